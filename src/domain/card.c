/* Aggregation for the pledge card, the executive dashboard and the quarterly
 * progress page. See include/bizsos/card.h for the counting rules. */
#include "bizsos/card.h"
#include "bizsos/buf.h"
#include "bizsos/money.h"
#include "bizsos/program.h"
#include "bizsos/sos_case.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

/* Activities per card row and year, in [?1, ?2]. */
static const char SQL_ACT_COUNTS[] =
    "SELECT COALESCE(t.card_row, p.card_row) AS r, CAST(substr(a.held_on, 1, 4) AS INTEGER),"
    " count(*) FROM activity a JOIN activity_type t ON t.id = a.type_id"
    " LEFT JOIN activity_type p ON p.id = t.parent_id"
    " WHERE a.retired_at IS NULL AND a.held_on BETWEEN ?1 AND ?2 AND r IS NOT NULL"
    " GROUP BY 1, 2";
/* Grant sites per year in [?1, ?2], selected by ?3. */
static const char SQL_GRANT_SITES[] =
    "SELECT year, count(*) FROM improvement_grant WHERE retired_at IS NULL"
    " AND status IN ('selected', 'done') AND year BETWEEN ?1 AND ?2"
    " AND (selected_on IS NULL OR selected_on <= ?3) GROUP BY year";
static const char SQL_COMM[] = "SELECT kind, count(*) FROM comm_entry WHERE retired_at IS NULL"
                               " AND held_on BETWEEN ?1 AND ?2 GROUP BY kind";
/* Budget lines up to year ?2 with executions up to day ?3. */
static const char SQL_BUDGET[] =
    "SELECT l.year, l.source, l.planned, l.secured,"
    " COALESCE((SELECT sum(e.amount) FROM budget_execution e WHERE e.budget_line_id = l.id"
    "   AND e.retired_at IS NULL AND e.executed_on <= ?3), 0)"
    " FROM budget_line l WHERE l.program_id = ?1 AND l.retired_at IS NULL AND l.year <= ?2"
    " ORDER BY l.year";
static const char SQL_PHOTOS[] =
    "SELECT ph.id, a.id, ph.caption, a.held_on, t.name FROM activity_photo ph"
    " JOIN activity a ON a.id = ph.activity_id JOIN activity_type t ON t.id = a.type_id"
    " LEFT JOIN activity_type p ON p.id = t.parent_id"
    " WHERE ph.retired_at IS NULL AND a.retired_at IS NULL AND a.held_on <= ?1"
    " AND COALESCE(t.card_row, p.card_row) IN ('mayor_site_visit', 'roundtable',"
    "  'one_stop_meeting', 'mobile_squad', 'education')"
    " ORDER BY a.held_on DESC, ph.id DESC LIMIT 4";
static const char SQL_EXEC_BETWEEN[] =
    "SELECT l.source, COALESCE(sum(e.amount), 0) FROM budget_execution e"
    " JOIN budget_line l ON l.id = e.budget_line_id WHERE l.program_id = ?1"
    " AND l.retired_at IS NULL AND e.retired_at IS NULL AND e.executed_on BETWEEN ?2 AND ?3"
    " GROUP BY l.source";
static const char SQL_CASES_BY_STATUS[] =
    "SELECT status, count(*) FROM sos_case WHERE merged_into IS NULL GROUP BY status";
static const char SQL_CASES_BY_CATEGORY[] =
    "SELECT c.name, count(s.id), COALESCE(sum(s.status IN ('received', 'reviewing',"
    " 'in_progress')), 0) FROM case_category c LEFT JOIN sos_case s ON s.category_id = c.id"
    " AND s.merged_into IS NULL AND s.received_on BETWEEN ?1 AND ?2"
    " WHERE c.retired_at IS NULL OR s.id IS NOT NULL GROUP BY c.id ORDER BY c.sort, c.id";
static const char SQL_OVERDUE_NOW[] = "SELECT count(*) FROM sos_case WHERE merged_into IS NULL"
                                      " AND status IN ('received', 'reviewing', 'in_progress')"
                                      " AND COALESCE(extended_due_on, due_on) < ?1";
static const char SQL_RECEIVED_BETWEEN[] =
    "SELECT count(*) FROM sos_case WHERE merged_into IS NULL AND received_on BETWEEN ?1 AND ?2";
/* Cases whose deadline fell in [?1, ?2] and that were not done by then. */
static const char SQL_OVERDUE_BETWEEN[] =
    "SELECT count(*) FROM sos_case WHERE merged_into IS NULL"
    " AND status NOT IN ('withdrawn', 'transferred')"
    " AND COALESCE(extended_due_on, due_on) BETWEEN ?1 AND ?2"
    " AND COALESCE(extended_due_on, due_on) < ?3"
    " AND (closed_on IS NULL OR closed_on > COALESCE(extended_due_on, due_on))";
static const char SQL_CLOSED_DAYS[] =
    "SELECT received_on, closed_on FROM sos_case WHERE merged_into IS NULL AND status = 'done'"
    " AND closed_on BETWEEN ?1 AND ?2";
static const char SQL_HOLIDAYS[] = "SELECT day FROM holiday WHERE retired_at IS NULL ORDER BY day";
/* A case open at the end of day ?1: received by then, not closed by then (a
 * case closed later, or still open, counts; merged ones never). */
#define OPEN_AT_END                                                                                \
	" s.merged_into IS NULL AND s.received_on <= ?1"                                           \
	" AND (s.closed_on IS NULL OR s.closed_on > ?1)"                                           \
	" AND (s.status IN ('received', 'reviewing', 'in_progress') OR s.closed_on IS NOT NULL)"
#define PERIOD_CASE_COLUMNS                                                                        \
	"SELECT s.id, s.case_no, s.title, COALESCE(c.name, ''), COALESCE(s.extended_due_on, "      \
	"s.due_on),"                                                                               \
	" s.received_on, COALESCE(u.name, '미배정') FROM sos_case s"                            \
	" LEFT JOIN company c ON c.id = s.company_id LEFT JOIN app_user u ON u.id = s.assignee_id"
/* Red-flag cases open at the period's end ?1. */
static const char SQL_RED_CASES[] =
    PERIOD_CASE_COLUMNS " WHERE" OPEN_AT_END " AND s.flag = 'red'"
                        " ORDER BY COALESCE(s.extended_due_on, s.due_on), s.id LIMIT 50";
/* The overdue backlog at the period's end ?1: open then, its deadline before it. */
static const char SQL_OVERDUE_AT_END[] = "SELECT count(*) FROM sos_case s WHERE" OPEN_AT_END
                                         " AND COALESCE(s.extended_due_on, s.due_on) < ?1";
static const char SQL_OVERDUE_CASES_AT_END[] =
    PERIOD_CASE_COLUMNS " WHERE" OPEN_AT_END " AND COALESCE(s.extended_due_on, s.due_on) < ?1"
                        " ORDER BY COALESCE(s.extended_due_on, s.due_on), s.id LIMIT 50";
static const char SQL_GRANTS_YEAR[] =
    "SELECT status, count(*), COALESCE(sum(total), 0),"
    " COALESCE(sum(selected_on BETWEEN ?2 AND ?3), 0)"
    " FROM improvement_grant WHERE retired_at IS NULL AND year = ?1 GROUP BY status";

/* ------------------------------------------------------------ helpers -- */

static json_t *rate_json(struct rate r)
{
	char t[RATE_TEXT_SIZE];
	rate_format(r, t, sizeof(t));
	return json_pack("{s:b, s:o, s:s}", "ok", r.ok, "tenths",
	                 r.ok ? json_integer(r.tenths) : json_null(), "text", t);
}

static void money_set(json_t *o, const char *key, int64_t won)
{
	char m[MONEY_TEXT_SIZE], k[64];
	money_format_million(won, m, sizeof(m));
	json_object_set_new(o, key, json_integer(won));
	snprintf(k, sizeof(k), "%s_text", key);
	json_object_set_new(o, k, json_string(m));
}

/* Won rounded to whole millions, half up (the card's 백만원). */
static int64_t million(int64_t won)
{
	return won >= 0 ? (won + 500000) / 1000000 : -((-won + 500000) / 1000000);
}

static void count_text(int64_t n, char *out, size_t outlen)
{
	if (n == 0)
		bz_strlcpy(out, "–", outlen);
	else
		snprintf(out, outlen, "%lld", (long long)n);
}

static bz_rc load_holidays(struct db *db, struct workday_holidays *h)
{
	sqlite3_stmt *st = db_stmt(db, SQL_HOLIDAYS);
	if (st == NULL)
		return BZ_ERR_DB;
	int rc;
	bz_rc r = BZ_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r == BZ_OK)
		r = workday_holidays_add_text(h, db_col_text(st, 0));
	sqlite3_reset(st);
	if (r != BZ_OK)
		return r;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : db_rc(db, rc, "holidays");
}

/* ------------------------------------------------------------ card rows -- */

/* The rows of 추진실적 in the order the card lists them. */
enum { R_PLAN, R_MAYOR, R_ROUND, R_SQUAD, R_ONESTOP, R_COMM, R_LETTER, R_GRANT, R_EDU, R_N };
static const struct {
	const char *key; /* card_row code, or the figure key */
	const char *label;
	const char *unit;
} rows[R_N] = {
    [R_PLAN] = {"operating_plan", "기업SOS 시스템 운영계획 수립", ""},
    [R_MAYOR] = {"mayor_site_visit", "시장 기업체 현장방문", "회"},
    [R_ROUND] = {"roundtable", "기업애로 간담회 등", "회"},
    [R_SQUAD] = {"mobile_squad", "찾아가는 기업SOS 기동반", "회"},
    [R_ONESTOP] = {"one_stop_meeting", "기업원스톱처리 회의", "회"},
    [R_COMM] = {"comm_day", "발로뛰는 기업소통 Day", "회"},
    [R_LETTER] = {"anniversary_letter", "창립기념일 축하서한문 전달", "회"},
    [R_GRANT] = {"improvement_grant_sites", "소규모 기업환경 개선사업", "개소"},
    [R_EDU] = {"education", "지식산업센터 개선을 위한 교육 실시", ""},
};

static int row_index(const char *card_row)
{
	for (int i = 0; i < R_N; i++)
		if (strcmp(rows[i].key, card_row) == 0)
			return i;
	return -1;
}

#define YEARS_MAX 16

struct counts {
	int first_year;
	int nyears;
	int64_t v[YEARS_MAX][R_N];
};

/* Counts activity rows per year between first and last (dates), and grant
 * sites of the years, as of last. */
static bz_rc count_rows(struct db *db, int first_year, int nyears, const char *first,
                        const char *last, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	c->first_year = first_year;
	c->nyears = nyears > YEARS_MAX ? YEARS_MAX : nyears;
	sqlite3_stmt *st = db_stmt(db, SQL_ACT_COUNTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, first);
	db_bind_text(st, 2, last);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = row_index(db_col_text(st, 0));
		int y = sqlite3_column_int(st, 1) - first_year;
		if (r >= 0 && y >= 0 && y < c->nyears)
			c->v[y][r] += sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_rc(db, rc, "activity counts");
	st = db_stmt(db, SQL_GRANT_SITES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, first_year);
	db_bind_int(st, 2, first_year + c->nyears - 1);
	db_bind_text(st, 3, last);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int y = sqlite3_column_int(st, 0) - first_year;
		if (y >= 0 && y < c->nyears)
			c->v[y][R_GRANT] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? BZ_OK : db_rc(db, rc, "grant sites");
}

/* 발로뛰는 기업소통 Day on the card: communication days and letters together. */
static int64_t comm_day_total(const int64_t *v)
{
	return v[R_COMM] + v[R_LETTER];
}

/* The bullet items of one year, as the card lists them. */
static json_t *result_items(const int64_t *v)
{
	json_t *items = json_array();
	char text[256];
	static const int order[] = {R_PLAN,    R_MAYOR, R_ROUND, R_SQUAD,
	                            R_ONESTOP, R_COMM,  R_GRANT, R_EDU};
	for (size_t i = 0; i < BZ_ARRAY_LEN(order); i++) {
		int r = order[i];
		int64_t n = r == R_COMM ? comm_day_total(v) : v[r];
		if (n == 0)
			continue;
		if (r == R_PLAN || r == R_EDU)
			bz_strlcpy(text, rows[r].label, sizeof(text));
		else if (r == R_COMM && v[R_LETTER] > 0)
			snprintf(text, sizeof(text), "%s : %lld%s (%s 등 (%lld회))", rows[r].label,
			         (long long)n, rows[r].unit, rows[R_LETTER].label,
			         (long long)v[R_LETTER]);
		else
			snprintf(text, sizeof(text), "%s : %lld%s", rows[r].label, (long long)n,
			         rows[r].unit);
		json_array_append_new(items, json_pack("{s:s, s:I, s:s}", "key", rows[r].key,
		                                       "count", (json_int_t)n, "text", text));
	}
	return items;
}

/* The card-figures.json form of one year. */
static json_t *result_figures(const int64_t *v)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "mayor_site_visit",
	                 (json_int_t)v[R_MAYOR], "roundtable", (json_int_t)v[R_ROUND],
	                 "mobile_squad", (json_int_t)v[R_SQUAD], "one_stop_meeting",
	                 (json_int_t)v[R_ONESTOP], "comm_day", (json_int_t)comm_day_total(v),
	                 "anniversary_letter", (json_int_t)v[R_LETTER], "improvement_grant_sites",
	                 (json_int_t)v[R_GRANT], "education", (json_int_t)v[R_EDU],
	                 "operating_plan", v[R_PLAN] > 0);
}

/* ------------------------------------------------------------- roadmap -- */

static int qindex(int y, int q)
{
	return y * 4 + (q - 1);
}

/* The roadmap grid between the program's quarters, then 임기후. */
static json_t *roadmap_grid(json_t *tasks, const char *pfirst, const char *plast, int cur_y,
                            int cur_q)
{
	int fy, fq, ly, lq;
	if (!quarter_parse(pfirst, &fy, &fq) || !quarter_parse(plast, &ly, &lq))
		return json_pack("{s:[], s:[], s:[]}", "years", "quarters", "rows");
	json_t *years = json_array(), *quarters = json_array(), *grid_rows = json_array();
	for (int y = fy; y <= ly; y++) {
		int q1 = y == fy ? fq : 1, q2 = y == ly ? lq : 4;
		char yl[16];
		snprintf(yl, sizeof(yl), "%d", y);
		json_array_append_new(years, json_pack("{s:s, s:i, s:i}", "label", yl, "span",
		                                       q2 - q1 + 1, "year", y));
		for (int q = q1; q <= q2; q++) {
			char ql[8], key[16];
			snprintf(ql, sizeof(ql), "%d", q);
			snprintf(key, sizeof(key), "%d-Q%d", y, q);
			json_array_append_new(quarters,
			                      json_pack("{s:s, s:s, s:b}", "label", ql, "key", key,
			                                "current", y == cur_y && q == cur_q));
		}
	}
	size_t i;
	json_t *t;
	json_array_foreach(tasks, i, t)
	{
		int ty1, tq1, ty2, tq2;
		bool ok = quarter_parse(json_string_value(json_object_get(t, "first_quarter")),
		                        &ty1, &tq1) &&
		          quarter_parse(json_string_value(json_object_get(t, "last_quarter")), &ty2,
		                        &tq2);
		json_t *cells = json_array();
		for (int y = fy; y <= ly; y++) {
			int q1 = y == fy ? fq : 1, q2 = y == ly ? lq : 4;
			for (int q = q1; q <= q2; q++) {
				bool on = ok && qindex(y, q) >= qindex(ty1, tq1) &&
				          qindex(y, q) <= qindex(ty2, tq2);
				char lab[64];
				snprintf(lab, sizeof(lab), "%d년 %d분기 %s", y, q,
				         on ? "추진" : "");
				json_array_append_new(
				    cells, json_pack("{s:b, s:b, s:s}", "on", on, "current",
				                     y == cur_y && q == cur_q, "label", lab));
			}
		}
		json_array_append_new(grid_rows,
		                      json_pack("{s:O, s:O, s:O, s:O, s:o, s:b}", "title",
		                                json_object_get(t, "title"), "status_label",
		                                json_object_get(t, "status_label"), "first_quarter",
		                                json_object_get(t, "first_quarter"), "last_quarter",
		                                json_object_get(t, "last_quarter"), "cells", cells,
		                                "beyond",
		                                json_is_true(json_object_get(t, "beyond_term"))));
	}
	return json_pack("{s:o, s:o, s:o, s:i}", "years", years, "quarters", quarters, "rows",
	                 grid_rows, "span", (int)json_array_size(quarters) + 2);
}

/* -------------------------------------------------------------- budget -- */

static const char *const sources[] = {"province", "city", "other", "national"};
#define NSRC 4

struct budget {
	int first_year, nyears;            /* term years */
	int64_t plan[NSRC][YEARS_MAX + 1]; /* last slot: 임기후 */
	int64_t sec[NSRC][YEARS_MAX + 1];
	int64_t exe[NSRC][YEARS_MAX + 1];
	bool has[NSRC];
	bool year_has[YEARS_MAX + 1];
};

static int src_index(const char *s)
{
	for (int i = 0; i < NSRC; i++)
		if (strcmp(sources[i], s) == 0)
			return i;
	return -1;
}

static bz_rc budget_load(struct db *db, int64_t program_id, int first_year, int nyears,
                         int upto_year, const char *upto_day, struct budget *b)
{
	memset(b, 0, sizeof(*b));
	b->first_year = first_year;
	b->nyears = nyears > YEARS_MAX ? YEARS_MAX : nyears;
	sqlite3_stmt *st = db_stmt(db, SQL_BUDGET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, upto_year);
	db_bind_text(st, 3, upto_day);
	int rc;
	bz_rc r = BZ_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int s = src_index(db_col_text(st, 1));
		int y = sqlite3_column_int(st, 0) - first_year;
		if (s < 0 || y < 0)
			continue;
		if (y >= b->nyears)
			y = YEARS_MAX; /* 임기후 */
		if (money_add(b->plan[s][y], sqlite3_column_int64(st, 2), &b->plan[s][y]) ||
		    money_add(b->sec[s][y], sqlite3_column_int64(st, 3), &b->sec[s][y]) ||
		    money_add(b->exe[s][y], sqlite3_column_int64(st, 4), &b->exe[s][y]))
			r = BZ_ERR_TOOLARGE;
		b->has[s] = true;
		b->year_has[y] = true;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_rc(db, rc, "budget");
	return r;
}

/* Sums over sources (s = -1) or years (y = -1) or both, with overflow checks. */
static int64_t bsum(const int64_t (*m)[YEARS_MAX + 1], int s, int y, bool *overflow)
{
	int64_t t = 0;
	for (int i = 0; i < NSRC; i++) {
		if (s >= 0 && i != s)
			continue;
		for (int j = 0; j <= YEARS_MAX; j++) {
			if (y >= 0 && j != y)
				continue;
			if (money_add(t, m[i][j], &t) != BZ_OK)
				*overflow = true;
		}
	}
	return t;
}

static json_t *amount_cell(int64_t won, bool present)
{
	char m[MONEY_TEXT_SIZE] = "";
	if (present)
		money_format_million(won, m, sizeof(m));
	return json_pack("{s:I, s:s, s:b}", "won", (json_int_t)won, "text", m, "present", present);
}

/* The two budget tables of the card and their totals. */
static json_t *budget_tables(const struct budget *b, int last_quarter_of_term, json_t **figures)
{
	bool of = false;
	json_t *years = json_array();
	for (int y = 0; y < b->nyears; y++) {
		char l[16];
		if (y == b->nyears - 1 && last_quarter_of_term < 4)
			snprintf(l, sizeof(l), "%d.%d", b->first_year + y,
			         last_quarter_of_term * 3);
		else
			snprintf(l, sizeof(l), "%d", b->first_year + y);
		json_array_append_new(
		    years, json_pack("{s:s, s:i}", "label", l, "year", b->first_year + y));
	}
	json_t *plan_rows = json_array(), *exec_rows = json_array();
	json_t *fp = json_object(), *fs = json_object(), *fe = json_object();
	for (int s = -1; s < NSRC; s++) {
		if (s >= 0 && !b->has[s])
			continue;
		const char *label = s < 0 ? "계" : program_label("source", sources[s]);
		json_t *pc = json_array(), *ec = json_array();
		json_t *fps = json_object(), *fss = json_object(), *fes = json_object();
		for (int y = 0; y < b->nyears; y++) {
			bool present = b->year_has[y];
			int64_t p = bsum(b->plan, s, y, &of), q = bsum(b->sec, s, y, &of),
			        e = bsum(b->exe, s, y, &of);
			json_array_append_new(pc, json_pack("{s:o, s:o}", "plan",
			                                    amount_cell(p, present), "secured",
			                                    amount_cell(q, present)));
			json_array_append_new(ec, amount_cell(e, present));
			if (present && s >= 0) {
				char yk[8];
				snprintf(yk, sizeof(yk), "%d", b->first_year + y);
				json_object_set_new(fps, yk, json_integer(million(p)));
				json_object_set_new(fss, yk, json_integer(million(q)));
				json_object_set_new(fes, yk, json_integer(million(e)));
			}
		}
		bool beyond = b->year_has[YEARS_MAX];
		int64_t tp = bsum(b->plan, s, -1, &of), ts = bsum(b->sec, s, -1, &of),
		        te = bsum(b->exe, s, -1, &of);
		json_t *row = json_pack(
		    "{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "source",
		    s < 0 ? "total" : sources[s], "label", label, "is_total", s < 0, "plan",
		    amount_cell(tp, true), "secured", amount_cell(ts, true), "cells", pc,
		    "beyond_plan", amount_cell(bsum(b->plan, s, YEARS_MAX, &of), beyond),
		    "beyond_secured", amount_cell(bsum(b->sec, s, YEARS_MAX, &of), beyond),
		    "secure_rate", rate_json(rate_tenths(ts, tp)));
		json_array_append_new(plan_rows, row);
		json_array_append_new(
		    exec_rows, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}", "source",
		                         s < 0 ? "total" : sources[s], "label", label, "is_total",
		                         s < 0, "total", amount_cell(te, true), "cells", ec,
		                         "exec_rate", rate_json(rate_tenths(te, ts))));
		if (s >= 0) {
			json_object_set_new(fp, sources[s], fps);
			json_object_set_new(fs, sources[s], fss);
			json_object_set_new(fe, sources[s], fes);
		} else {
			json_decref(fps);
			json_decref(fss);
			json_decref(fes);
		}
	}
	int64_t tp = bsum(b->plan, -1, -1, &of), ts = bsum(b->sec, -1, -1, &of),
	        te = bsum(b->exe, -1, -1, &of);
	struct rate er = rate_tenths(te, ts), sr = rate_tenths(ts, tp);
	char et[RATE_TEXT_SIZE], st[RATE_TEXT_SIZE], ef[256], sf[256];
	rate_format(er, et, sizeof(et));
	rate_format(sr, st, sizeof(st));
	char a[MONEY_TEXT_SIZE], bb[MONEY_TEXT_SIZE], c[MONEY_TEXT_SIZE];
	money_format_million(te, a, sizeof(a));
	money_format_million(ts, bb, sizeof(bb));
	money_format_million(tp, c, sizeof(c));
	snprintf(ef, sizeof(ef), "집행률 = 집행액 ÷ 확보액 = %s ÷ %s = %s%%", a, bb, et);
	snprintf(sf, sizeof(sf), "확보율 = 확보액 ÷ 계획액 = %s ÷ %s = %s%%", bb, c, st);
	json_t *totals = json_object();
	money_set(totals, "planned", tp);
	money_set(totals, "secured", ts);
	money_set(totals, "executed", te);
	json_object_set_new(totals, "exec_rate", rate_json(er));
	json_object_set_new(totals, "secure_rate", rate_json(sr));
	json_object_set_new(totals, "exec_formula", json_string(ef));
	json_object_set_new(totals, "secure_formula", json_string(sf));
	json_object_set_new(totals, "overflow", json_boolean(of));
	json_t *fig_totals =
	    json_pack("{s:I, s:I, s:I}", "plan", (json_int_t)million(tp), "secured",
	              (json_int_t)million(ts), "executed", (json_int_t)million(te));
	json_object_set_new(fig_totals, "execution_rate_pct",
	                    er.ok ? json_real((double)er.tenths / 10.0) : json_null());
	*figures = json_pack("{s:o, s:o, s:o, s:o}", "plan", fp, "secured", fs, "executed", fe,
	                     "totals", fig_totals);
	return json_pack("{s:o, s:o, s:o, s:o, s:b}", "years", years, "plan_rows", plan_rows,
	                 "exec_rows", exec_rows, "totals", totals, "has_beyond",
	                 b->year_has[YEARS_MAX]);
}

/* ---------------------------------------------------------------- card -- */

bz_rc card_default_quarter(struct db *db, int64_t program_id, const char *today, int *year,
                           int *quarter)
{
	json_t *p = NULL;
	bz_rc rc = program_get(db, program_id, &p);
	if (rc != BZ_OK)
		return rc;
	int fy, fq, ly, lq;
	quarter_parse(json_string_value(json_object_get(p, "first_quarter")), &fy, &fq);
	quarter_parse(json_string_value(json_object_get(p, "last_quarter")), &ly, &lq);
	json_decref(p);
	int32_t d;
	if (date_parse(today, &d, NULL) != BZ_OK)
		d = date_from_ymd(ly, lq * 3, 1);
	int y = date_year(d), q = date_quarter(d);
	if (qindex(y, q) > qindex(ly, lq)) {
		y = ly;
		q = lq;
	}
	if (qindex(y, q) < qindex(fy, fq)) {
		y = fy;
		q = fq;
	}
	*year = y;
	*quarter = q;
	return BZ_OK;
}

static json_t *header_cells(const char *status)
{
	static const char *const groups[][2] = {
	    {"완료", "done"}, {"추진중", "ongoing"}, {"미착수", "notstarted"}};
	json_t *g = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(groups); i++)
		json_array_append_new(g, json_pack("{s:s}", "label", groups[i][0]));
	json_t *cells = json_array();
	const char *const *codes = program_codes("status");
	for (size_t i = 0; codes[i]; i++) {
		const char *l = program_label("status", codes[i]);
		const char *dash = strchr(l, '-');
		json_array_append_new(cells, json_pack("{s:s, s:s, s:b, s:s}", "code", codes[i],
		                                       "label", dash ? dash + 1 : l, "on",
		                                       strcmp(codes[i], status) == 0, "mark",
		                                       strcmp(codes[i], status) == 0 ? "○" : ""));
	}
	return json_pack("{s:o, s:o}", "groups", g, "cells", cells);
}

bz_rc card_model(struct db *db, int64_t program_id, int year, int quarter, json_t **out)
{
	json_t *p = NULL, *targets = NULL, *tasks = NULL, *sa = NULL, *plans = NULL;
	json_t *m = NULL;
	bz_rc rc;
	if ((rc = program_get(db, program_id, &p)) != BZ_OK)
		return rc;
	if ((rc = target_list(db, program_id, &targets)) != BZ_OK ||
	    (rc = roadmap_tasks(db, program_id, &tasks)) != BZ_OK ||
	    (rc = next_plans(db, program_id, &plans)) != BZ_OK)
		goto out;
	int fy, fq, ly, lq;
	if (!quarter_parse(json_string_value(json_object_get(p, "first_quarter")), &fy, &fq) ||
	    !quarter_parse(json_string_value(json_object_get(p, "last_quarter")), &ly, &lq)) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	char qfirst[DATE_TEXT_SIZE], qlast[DATE_TEXT_SIZE], tfirst[DATE_TEXT_SIZE],
	    tdummy[DATE_TEXT_SIZE];
	quarter_bounds(year, quarter, qfirst, qlast);
	quarter_bounds(fy, fq, tfirst, tdummy);
	char year_first[DATE_TEXT_SIZE];
	quarter_bounds(fy, 1, year_first, tdummy);

	m = json_object();
	char aslabel[32], askey[16];
	snprintf(aslabel, sizeof(aslabel), "%d년 %d분기", year, quarter);
	snprintf(askey, sizeof(askey), "%d-Q%d", year, quarter);
	json_object_set_new(m, "as_of",
	                    json_pack("{s:i, s:i, s:s, s:s, s:s}", "year", year, "quarter", quarter,
	                              "label", aslabel, "key", askey, "last_day", qlast));

	/* header */
	const char *status = json_string_value(json_object_get(p, "status"));
	json_object_set_new(p, "status_table", header_cells(status));
	json_object_set(m, "program", p);

	/* goals: targets with actuals counted up to the as-of day */
	json_t *tl = json_array();
	size_t i;
	json_t *t;
	json_t *fig_targets = json_object();
	const char *indicator = "";
	json_array_foreach(targets, i, t)
	{
		const char *first = json_string_value(json_object_get(t, "first"));
		const char *last = json_string_value(json_object_get(t, "last"));
		indicator = json_string_value(json_object_get(t, "indicator"));
		json_t *row = json_deep_copy(t);
		bool started = strcmp(first, qlast) <= 0;
		if (strcmp(json_string_value(json_object_get(t, "metric")), "cases_done") == 0 &&
		    started) {
			const char *upto = strcmp(last, qlast) < 0 ? last : qlast;
			int64_t n = 0;
			if ((rc = case_count_done(db, first, upto, &n)) != BZ_OK) {
				json_decref(row);
				json_decref(tl);
				json_decref(fig_targets);
				goto out;
			}
			char txt[32], href[160];
			snprintf(txt, sizeof(txt), "%lld", (long long)n);
			snprintf(href, sizeof(href),
			         "/cases?status=done&closed_from=%s&closed_to=%s", first, upto);
			json_object_set_new(row, "actual", json_integer(n));
			json_object_set_new(row, "actual_text", json_string(txt));
			json_object_set_new(
			    row, "achievement",
			    rate_json(rate_achievement(
			        n, json_integer_value(json_object_get(t, "value")))));
			json_object_set_new(row, "cases_href", json_string(href));
			json_object_set_new(row, "partial", json_boolean(strcmp(last, qlast) > 0));
		} else {
			json_object_set_new(row, "actual", json_null());
			json_object_set_new(row, "actual_text", json_string("–"));
			json_object_set_new(row, "achievement", rate_json(rate_achievement(0, 0)));
			json_object_del(row, "cases_href");
		}
		char vt[32];
		snprintf(vt, sizeof(vt), "%lld",
		         (long long)json_integer_value(json_object_get(t, "value")));
		json_object_set_new(row, "value_text", json_string(vt));
		json_object_set(fig_targets, json_string_value(json_object_get(t, "period")),
		                json_object_get(t, "value"));
		json_array_append_new(tl, row);
	}
	json_object_set_new(m, "targets",
	                    json_pack("{s:s, s:o, s:s}", "indicator", indicator, "periods", tl,
	                              "definition",
	                              "처리 실적 = 기간 안에 완료(처리 결과 통지 후 종결)된 "
	                              "기업애로(SOS) 건수. 병합된 건은 세지 않습니다."));

	/* roadmap */
	json_object_set_new(
	    m, "roadmap",
	    roadmap_grid(tasks, json_string_value(json_object_get(p, "first_quarter")),
	                 json_string_value(json_object_get(p, "last_quarter")), year, quarter));

	/* results per year, from the term's first year to the as-of year */
	int ny = year - fy + 1;
	if (ny < 1)
		ny = 1;
	if (ny > YEARS_MAX)
		ny = YEARS_MAX;
	struct counts c;
	if ((rc = count_rows(db, fy, ny, year_first, qlast, &c)) != BZ_OK)
		goto out;
	json_t *cols = json_array(), *fig_results = json_object();
	for (int y = 0; y < ny; y++) {
		char l[32], yk[8];
		bool partial = fy + y == year && quarter < 4;
		if (partial)
			snprintf(l, sizeof(l), "%d년 %d분기", fy + y, quarter);
		else
			snprintf(l, sizeof(l), "%d년", fy + y);
		snprintf(yk, sizeof(yk), "%d", fy + y);
		json_array_append_new(cols, json_pack("{s:i, s:s, s:o}", "year", fy + y, "label", l,
		                                      "items", result_items(c.v[y])));
		json_t *f = result_figures(c.v[y]);
		if (partial)
			json_object_set_new(f, "as_of", json_string(askey));
		json_object_set_new(fig_results, yk, f);
	}
	/* the same as a table: one row per card row, one column per year */
	json_t *trows = json_array();
	for (int r = 0; r < R_N; r++) {
		json_t *cells = json_array();
		for (int y = 0; y < ny; y++) {
			int64_t n = r == R_COMM ? comm_day_total(c.v[y]) : c.v[y][r];
			char txt[32];
			if (r == R_PLAN || r == R_EDU)
				bz_strlcpy(txt, n ? (r == R_PLAN ? "수립" : "실시") : "–",
				           sizeof(txt));
			else
				count_text(n, txt, sizeof(txt));
			json_array_append_new(
			    cells, json_pack("{s:I, s:s}", "count", (json_int_t)n, "text", txt));
		}
		char label[160];
		if (r == R_LETTER)
			snprintf(label, sizeof(label), "└ 그중 %s", rows[r].label);
		else
			bz_strlcpy(label, rows[r].label, sizeof(label));
		json_array_append_new(trows,
		                      json_pack("{s:s, s:s, s:s, s:o}", "key", rows[r].key, "label",
		                                label, "unit", rows[r].unit, "cells", cells));
	}
	json_object_set_new(m, "results", json_pack("{s:o, s:o}", "columns", cols, "rows", trows));

	/* photos */
	sqlite3_stmt *st = db_stmt(db, SQL_PHOTOS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		json_decref(fig_results);
		goto out;
	}
	db_bind_text(st, 1, qlast);
	json_t *photos = json_array();
	int sr;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		char src[128];
		snprintf(src, sizeof(src), "/activities/%lld/photos/%lld",
		         (long long)sqlite3_column_int64(st, 1),
		         (long long)sqlite3_column_int64(st, 0));
		const char *cap = db_col_text(st, 2);
		json_array_append_new(photos,
		                      json_pack("{s:s, s:s, s:s, s:I}", "src", src, "caption",
		                                *cap ? cap : db_col_text(st, 4), "held_on",
		                                db_col_text(st, 3), "activity_id",
		                                (json_int_t)sqlite3_column_int64(st, 1)));
	}
	sqlite3_reset(st);
	json_object_set_new(m, "has_photos", json_boolean(json_array_size(photos) > 0));
	json_object_set_new(m, "photos", photos);

	/* self-assessment: the latest year up to the as-of year */
	if ((rc = self_assessment(db, program_id, 0, &sa)) != BZ_OK) {
		json_decref(fig_results);
		goto out;
	}
	int sa_year = 0;
	json_t *yv;
	json_array_foreach(json_object_get(sa, "years"), i, yv)
	{
		if (json_integer_value(yv) <= year) {
			sa_year = (int)json_integer_value(yv);
			break;
		}
	}
	json_decref(sa);
	sa = NULL;
	if ((rc = self_assessment(db, program_id, sa_year ? sa_year : -1, &sa)) != BZ_OK) {
		json_decref(fig_results);
		goto out;
	}
	json_object_set(m, "self_assessment", sa);

	/* budget: lines up to the as-of year, executions up to its last day */
	struct budget b;
	int bny = ly - fy + 1;
	if ((rc = budget_load(db, program_id, fy, bny, year, qlast, &b)) != BZ_OK) {
		json_decref(fig_results);
		goto out;
	}
	json_t *fig_budget = NULL;
	json_object_set_new(m, "budget", budget_tables(&b, lq, &fig_budget));

	/* citizen communication, from the term's start to the as-of day */
	int64_t comm[6] = {0};
	for (int y = 0; y < ny; y++)
		comm[0] += c.v[y][R_ROUND];
	st = db_stmt(db, SQL_COMM);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		json_decref(fig_results);
		json_decref(fig_budget);
		goto out;
	}
	db_bind_text(st, 1, tfirst);
	db_bind_text(st, 2, qlast);
	static const char *const ckinds[] = {NULL, "survey", "expert", "press", "sns", "other"};
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		for (int k = 1; k < 6; k++)
			if (strcmp(db_col_text(st, 0), ckinds[k]) == 0)
				comm[k] = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	static const char *const clabels[] = {"간담회 등",      "만족도 조사", "민간전문가 자문",
	                                      "언론·방송 보도", "SNS 소통",    "기타 시민참여"};
	static const char *const ckeys[] = {
	    "meetings", "satisfaction_surveys", "expert_advice", "press", "sns", "other"};
	json_t *ccells = json_array(), *fig_comm = json_object();
	for (int k = 0; k < 6; k++) {
		char txt[32];
		count_text(comm[k], txt, sizeof(txt));
		json_array_append_new(ccells, json_pack("{s:s, s:s, s:I, s:s}", "key", ckeys[k],
		                                        "label", clabels[k], "count",
		                                        (json_int_t)comm[k], "text", txt));
		json_object_set_new(fig_comm, ckeys[k], json_integer(comm[k]));
	}
	json_object_set_new(m, "communication", json_pack("{s:o}", "cells", ccells));

	/* next plans that have not ended before the as-of quarter */
	json_t *np = json_array(), *fig_np = json_array();
	json_array_foreach(plans, i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "ends_on")), qfirst) < 0)
			continue;
		json_array_append(np, t);
		json_array_append_new(fig_np, json_pack("{s:O, s:O}", "period",
		                                        json_object_get(t, "period_label"), "plan",
		                                        json_object_get(t, "plan")));
	}
	json_object_set_new(m, "next_plans", np);

	/* the machine form, keyed as shared/seed/card-figures.json */
	json_t *contacts = json_array();
	json_array_foreach(json_object_get(p, "contacts"), i, t) json_array_append_new(
	    contacts, json_pack("{s:O, s:O, s:O}", "title", json_object_get(t, "title"), "name",
	                        json_object_get(t, "name"), "phone", json_object_get(t, "phone")));
	json_t *impl = json_object_get(p, "impl");
	json_t *impl_pct =
	    json_is_integer(json_object_get(impl, "tenths")) &&
	            json_integer_value(json_object_get(impl, "tenths")) % 10 == 0
	        ? json_integer(json_integer_value(json_object_get(impl, "tenths")) / 10)
	    : json_is_integer(json_object_get(impl, "tenths"))
	        ? json_real((double)json_integer_value(json_object_get(impl, "tenths")) / 10.0)
	        : json_null();
	json_t *header = json_pack("{s:O, s:O, s:O, s:O, s:o, s:O, s:O, s:O, s:o}", "nature",
	                           json_object_get(p, "nature_label"), "period",
	                           json_object_get(p, "term_label"), "funding",
	                           json_object_get(p, "funding_label"), "status",
	                           json_object_get(p, "status_label"), "implementation_rate_pct",
	                           impl_pct, "completed_year", json_object_get(p, "completed_year"),
	                           "central_help", json_object_get(p, "central_help"), "owner",
	                           json_object_get(p, "owner"), "contacts", contacts);
	json_t *fig_sa = json_pack("{s:[], s:[]}", "went_well", "improvement_plan");
	static const char *const sak[][2] = {{"went_well", "went_well"},
	                                     {"improvement", "improvement_plan"}};
	for (size_t k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(sa, sak[k][0]), i, t)
		{
			char body[1200];
			const char *bt = json_string_value(json_object_get(t, "body"));
			json_t *subs = json_object_get(t, "subs");
			if (json_array_size(subs)) {
				struct buf sb;
				buf_init(&sb, 0);
				buf_puts(&sb, bt);
				buf_puts(&sb, " (");
				size_t j;
				json_t *s;
				json_array_foreach(subs, j, s)
				{
					if (j)
						buf_puts(&sb, ", ");
					buf_puts(&sb,
					         json_string_value(json_object_get(s, "body")));
				}
				buf_puts(&sb, ")");
				bz_strlcpy(body, buf_cstr(&sb) ? buf_cstr(&sb) : bt, sizeof(body));
				buf_free(&sb);
			} else
				bz_strlcpy(body, bt, sizeof(body));
			json_array_append_new(json_object_get(fig_sa, sak[k][1]),
			                      json_string(body));
		}
	}
	json_t *fig_rows = json_array();
	json_array_foreach(tasks, i, t) json_array_append_new(
	    fig_rows, json_pack("{s:O, s:O, s:O}", "task", json_object_get(t, "title"), "from",
	                        json_object_get(t, "first_quarter"), "to",
	                        json_object_get(t, "last_quarter")));
	json_object_set_new(
	    m, "figures",
	    json_pack("{s:O, s:o, s:{s:s, s:o}, s:{s:O, s:O, s:o}, s:o, s:o, s:o, s:o, s:o}",
	              "program", json_object_get(p, "name"), "header", header, "yearly_targets",
	              "indicator", indicator, "targets", fig_targets, "roadmap", "first_quarter",
	              json_object_get(p, "first_quarter"), "last_quarter",
	              json_object_get(p, "last_quarter"), "rows", fig_rows, "results", fig_results,
	              "budget_million_won", fig_budget, "citizen_communication", fig_comm,
	              "self_assessment", fig_sa, "next_plan", fig_np));
	*out = m;
	m = NULL;
	rc = BZ_OK;
out:
	json_decref(m);
	json_decref(p);
	json_decref(targets);
	json_decref(tasks);
	json_decref(sa);
	json_decref(plans);
	return rc;
}

/* ----------------------------------------------------------- dashboard -- */

int64_t card_median_tenths(int32_t *v, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 1; i < n; i++) { /* insertion sort: n is a quarter's cases */
		int32_t x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	if (n % 2)
		return (int64_t)v[n / 2] * 10;
	return ((int64_t)v[n / 2 - 1] + v[n / 2]) * 10 / 2;
}

static void tenths_text(int64_t t, char *out, size_t outlen)
{
	snprintf(out, outlen, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
}

bz_rc dashboard_model(struct db *db, int64_t program_id, const char *today, json_t **out)
{
	json_t *p = NULL, *targets = NULL, *m = NULL;
	bz_rc rc;
	if ((rc = program_get(db, program_id, &p)) != BZ_OK)
		return rc;
	if ((rc = target_list(db, program_id, &targets)) != BZ_OK)
		goto out;
	int fy, fq, ly, lq;
	if (!quarter_parse(json_string_value(json_object_get(p, "first_quarter")), &fy, &fq) ||
	    !quarter_parse(json_string_value(json_object_get(p, "last_quarter")), &ly, &lq)) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	m = json_pack("{s:s, s:{s:I, s:O}}", "today", today, "program", "id",
	              (json_int_t)program_id, "name", json_object_get(p, "name"));
	/* budget: every line of the program, executions up to today */
	struct budget b;
	int last_year = ly > fy + YEARS_MAX - 2 ? fy + YEARS_MAX - 2 : ly;
	if ((rc = budget_load(db, program_id, fy, last_year - fy + 1, 2100, today, &b)) != BZ_OK)
		goto out;
	bool of = false;
	json_t *gauges = json_array();
	for (int s = -1; s < NSRC; s++) {
		if (s >= 0 && !b.has[s])
			continue;
		int64_t sec = bsum(b.sec, s, -1, &of), exe = bsum(b.exe, s, -1, &of);
		json_t *g = json_pack("{s:s, s:s, s:o}", "key", s < 0 ? "total" : sources[s],
		                      "label", s < 0 ? "전체" : program_label("source", sources[s]),
		                      "rate", rate_json(rate_tenths(exe, sec)));
		money_set(g, "secured", sec);
		money_set(g, "executed", exe);
		json_array_append_new(gauges, g);
	}
	json_object_set(
	    m, "total_rate_text",
	    json_object_get(json_object_get(json_array_get(gauges, 0), "rate"), "text"));
	json_object_set_new(m, "exec_gauges", gauges);
	json_t *years = json_array();
	for (int y = 0; y <= YEARS_MAX; y++) {
		if (!b.year_has[y])
			continue;
		json_t *srcs = json_array();
		for (int s = 0; s < NSRC; s++) {
			if (!b.has[s])
				continue;
			json_t *o = json_pack("{s:s, s:s}", "source", sources[s], "label",
			                      program_label("source", sources[s]));
			money_set(o, "planned", b.plan[s][y]);
			money_set(o, "secured", b.sec[s][y]);
			money_set(o, "executed", b.exe[s][y]);
			json_object_set_new(o, "exec_rate",
			                    rate_json(rate_tenths(b.exe[s][y], b.sec[s][y])));
			json_array_append_new(srcs, o);
		}
		char l[16];
		if (y == YEARS_MAX)
			bz_strlcpy(l, "임기후", sizeof(l));
		else
			snprintf(l, sizeof(l), "%d년", fy + y);
		json_t *yo = json_pack("{s:s, s:o}", "label", l, "sources", srcs);
		money_set(yo, "planned", bsum(b.plan, -1, y, &of));
		money_set(yo, "secured", bsum(b.sec, -1, y, &of));
		money_set(yo, "executed", bsum(b.exe, -1, y, &of));
		json_object_set_new(
		    yo, "exec_rate",
		    rate_json(rate_tenths(bsum(b.exe, -1, y, &of), bsum(b.sec, -1, y, &of))));
		json_array_append_new(years, yo);
	}
	json_object_set_new(m, "budget_years", years);
	json_object_set_new(m, "targets", targets);
	targets = NULL;

	/* cases */
	sqlite3_stmt *st = db_stmt(db, SQL_CASES_BY_STATUS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	static const char *const statuses[][2] = {{"received", "접수"},      {"reviewing", "검토"},
	                                          {"in_progress", "처리중"}, {"done", "완료"},
	                                          {"transferred", "이송"},   {"withdrawn", "취하"}};
	int64_t sc[6] = {0};
	int sr;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		for (int k = 0; k < 6; k++)
			if (strcmp(db_col_text(st, 0), statuses[k][0]) == 0)
				sc[k] = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	json_t *by_status = json_array();
	for (int k = 0; k < 6; k++)
		json_array_append_new(by_status, json_pack("{s:s, s:s, s:I, s:s}", "status",
		                                           statuses[k][0], "label", statuses[k][1],
		                                           "count", (json_int_t)sc[k], "href", ""));
	size_t i;
	json_t *o;
	json_array_foreach(by_status, i, o)
	{
		char h[64];
		snprintf(h, sizeof(h), "/cases?status=%s", statuses[i][0]);
		json_object_set_new(o, "href", json_string(h));
	}
	json_object_set_new(m, "cases_by_status", by_status);
	st = db_stmt(db, SQL_CASES_BY_CATEGORY);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, "0000-01-01");
	db_bind_text(st, 2, "9999-12-31");
	json_t *by_cat = json_array();
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(by_cat,
		                      json_pack("{s:s, s:I, s:I}", "label", db_col_text(st, 0),
		                                "count", (json_int_t)sqlite3_column_int64(st, 1),
		                                "open", (json_int_t)sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	json_object_set_new(m, "cases_by_category", by_cat);
	int64_t overdue = 0;
	rc = db_int1f(db, SQL_OVERDUE_NOW, 0, &overdue, "t", today);
	if (rc != BZ_OK)
		goto out;
	json_object_set_new(
	    m, "overdue",
	    json_pack("{s:I, s:s}", "count", (json_int_t)overdue, "href", "/cases?overdue=1"));
	*out = m;
	m = NULL;
	rc = BZ_OK;
out:
	json_decref(m);
	json_decref(p);
	json_decref(targets);
	return rc;
}

/* ------------------------------------------------------------ progress -- */

/* The cases of sql (PERIOD_CASE_COLUMNS, ?1 = the period's end `end`) as
 * [{id, case_no, title, company, due, received_on, assignee, dday, overdue}],
 * the D-day counted from `end`. BZ_ERR_DB when a step fails (nothing partial). */
static bz_rc period_cases(struct db *db, const char *sql, const char *end, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, end);
	int32_t td = 0;
	bool have_end = date_parse(end, &td, NULL) == BZ_OK;
	json_t *a = json_array();
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW) {
		int32_t due = 0;
		char dl[16] = "";
		if (have_end && date_parse(db_col_text(st, 4), &due, NULL) == BZ_OK)
			date_dday_label(date_dday(td, due), dl, sizeof(dl));
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
		                 (json_int_t)sqlite3_column_int64(st, 0), "case_no",
		                 db_col_text(st, 1), "title", db_col_text(st, 2), "company",
		                 db_col_text(st, 3), "due", db_col_text(st, 4), "received_on",
		                 db_col_text(st, 5), "assignee", db_col_text(st, 6), "dday", dl,
		                 "overdue", strcmp(db_col_text(st, 4), end) < 0));
	}
	return db_rows_json(db, st, sr, "period cases", a, out);
}

bz_rc progress_model(struct db *db, int64_t program_id, int year, int quarter, const char *today,
                     json_t **out)
{
	json_t *p = NULL, *targets = NULL, *tasks = NULL, *m = NULL;
	struct workday_holidays h;
	workday_holidays_init(&h);
	int32_t *days = NULL;
	bz_rc rc;
	if ((rc = program_get(db, program_id, &p)) != BZ_OK)
		return rc;
	if ((rc = target_list(db, program_id, &targets)) != BZ_OK ||
	    (rc = roadmap_tasks(db, program_id, &tasks)) != BZ_OK ||
	    (rc = load_holidays(db, &h)) != BZ_OK)
		goto out;
	char qf[DATE_TEXT_SIZE], ql[DATE_TEXT_SIZE], yf[DATE_TEXT_SIZE], dummy[DATE_TEXT_SIZE];
	quarter_bounds(year, quarter, qf, ql);
	quarter_bounds(year, 1, yf, dummy);
	/* what has happened so far: the quarter's last day, or today if earlier */
	const char *upto = strcmp(today, ql) < 0 ? today : ql;
	char label[32];
	snprintf(label, sizeof(label), "%d년 %d분기", year, quarter);
	m = json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:b}", "year", year, "quarter", quarter,
	              "label", label, "first", qf, "last", ql, "today", today, "in_progress",
	              strcmp(today, ql) < 0);
	int py = year, pq = quarter - 1, ny = year, nq = quarter + 1;
	if (pq < 1) {
		pq = 4;
		py--;
	}
	if (nq > 4) {
		nq = 1;
		ny++;
	}
	json_object_set_new(m, "prev", json_pack("{s:i, s:i}", "year", py, "quarter", pq));
	json_object_set_new(m, "next", json_pack("{s:i, s:i}", "year", ny, "quarter", nq));

	/* cases: received, completed and overdue, in the quarter and year to date */
	int64_t recv_q = 0, recv_y = 0, done_q = 0, done_y = 0, late_q = 0, late_y = 0;
	if (rc == BZ_OK)
		rc = db_int1f(db, SQL_RECEIVED_BETWEEN, 0, &recv_q, "tt", qf, ql);
	if (rc == BZ_OK)
		rc = db_int1f(db, SQL_RECEIVED_BETWEEN, 0, &recv_y, "tt", yf, ql);
	if (rc == BZ_OK)
		rc = case_count_done(db, qf, ql, &done_q);
	if (rc == BZ_OK)
		rc = case_count_done(db, yf, ql, &done_y);
	/* 기한 넘김: the backlog overdue at the period's end; and, for the year so
	 * far, the cases that fell due in it and were not done by their deadline */
	if (rc == BZ_OK)
		rc = db_int1f(db, SQL_OVERDUE_AT_END, 0, &late_q, "t", upto);
	if (rc == BZ_OK)
		rc = db_int1f(db, SQL_OVERDUE_BETWEEN, 0, &late_y, "ttt", yf, ql, upto);
	if (rc != BZ_OK)
		goto out;
	/* the target of the year (a 'YYYY' or 'YYYY-MM' period in that year) and its pace */
	json_t *target = NULL;
	size_t i;
	json_t *t;
	json_array_foreach(targets, i, t)
	{
		const char *per = json_string_value(json_object_get(t, "period"));
		if (strncmp(per, yf, 4) == 0 &&
		    strcmp(json_string_value(json_object_get(t, "metric")), "cases_done") == 0) {
			target = t;
			break;
		}
	}
	json_t *pace = json_null();
	if (target) {
		const char *per = json_string_value(json_object_get(target, "period"));
		int months = strlen(per) == 7 ? atoi(per + 5) : 12;
		int elapsed = quarter * 3 > months ? months : quarter * 3;
		int64_t value = json_integer_value(json_object_get(target, "value"));
		int64_t due = months > 0 ? (value * elapsed + months - 1) / months : value;
		char formula[200];
		snprintf(formula, sizeof(formula),
		         "목표 진도 = 연간 목표 %lld건 × %d개월 ÷ %d개월 = %lld건 (올림)",
		         (long long)value, elapsed, months, (long long)due);
		pace = json_pack("{s:O, s:I, s:I, s:s, s:o, s:b, s:s}", "period_label",
		                 json_object_get(target, "period_label"), "target",
		                 (json_int_t)value, "due", (json_int_t)due, "formula", formula,
		                 "achievement", rate_json(rate_achievement(done_y, due)), "behind",
		                 done_y < due, "year_rate_text", "");
		char yr[RATE_TEXT_SIZE];
		rate_format(rate_achievement(done_y, value), yr, sizeof(yr));
		json_object_set_new(pace, "year_rate_text", json_string(yr));
	}
	char href_q[160], href_y[160];
	snprintf(href_q, sizeof(href_q), "/cases?status=done&closed_from=%s&closed_to=%s", qf, ql);
	snprintf(href_y, sizeof(href_y), "/cases?status=done&closed_from=%s&closed_to=%s", yf, ql);
	json_object_set_new(m, "cases",
	                    json_pack("{s:{s:I, s:I}, s:{s:I, s:I, s:s, s:s}, s:{s:I, s:I}, s:o}",
	                              "received", "quarter", (json_int_t)recv_q, "ytd",
	                              (json_int_t)recv_y, "done", "quarter", (json_int_t)done_q,
	                              "ytd", (json_int_t)done_y, "href_quarter", href_q, "href_ytd",
	                              href_y, "overdue", "quarter", (json_int_t)late_q, "ytd",
	                              (json_int_t)late_y, "pace", pace));

	/* working days to close, for the cases closed in the quarter */
	sqlite3_stmt *st = db_stmt(db, SQL_CLOSED_DAYS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, qf);
	db_bind_text(st, 2, ql);
	size_t n = 0, cap = 0;
	int64_t sum = 0;
	int sr;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t a, b;
		if (date_parse(db_col_text(st, 0), &a, NULL) != BZ_OK ||
		    date_parse(db_col_text(st, 1), &b, NULL) != BZ_OK)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int32_t *nd = realloc(days, nc * sizeof(*nd));
			if (nd == NULL) {
				sqlite3_reset(st);
				rc = BZ_ERR_NOMEM;
				goto out;
			}
			days = nd;
			cap = nc;
		}
		days[n] = workday_between(&h, a, b);
		sum += days[n];
		n++;
	}
	sqlite3_reset(st);
	char avg[32] = "–", med[32] = "–";
	if (n) {
		int64_t avg_t = (sum * 20 + (int64_t)n) / (2 * (int64_t)n); /* tenths, half up */
		tenths_text(avg_t, avg, sizeof(avg));
		tenths_text(card_median_tenths(days, n), med, sizeof(med));
	}
	json_object_set_new(
	    m, "close_days",
	    json_pack("{s:I, s:s, s:s}", "cases", (json_int_t)n, "average", avg, "median", med));

	/* activities by card row: this quarter against the same quarter a year earlier */
	char pf[DATE_TEXT_SIZE], pl[DATE_TEXT_SIZE];
	quarter_bounds(year - 1, quarter, pf, pl);
	struct counts cq, cp;
	if ((rc = count_rows(db, year, 1, qf, ql, &cq)) != BZ_OK ||
	    (rc = count_rows(db, year - 1, 1, pf, pl, &cp)) != BZ_OK)
		goto out;
	json_t *acts = json_array();
	for (int r = 0; r < R_N; r++) {
		if (r == R_GRANT)
			continue;
		int64_t a = cq.v[0][r], b = cp.v[0][r];
		char d[32];
		if (a == b)
			bz_strlcpy(d, "0", sizeof(d));
		else
			snprintf(d, sizeof(d), "%+lld", (long long)(a - b));
		json_array_append_new(acts,
		                      json_pack("{s:s, s:s, s:I, s:I, s:s}", "key", rows[r].key,
		                                "label", rows[r].label, "this", (json_int_t)a,
		                                "last", (json_int_t)b, "diff", d));
	}
	char lastlabel[32];
	snprintf(lastlabel, sizeof(lastlabel), "%d년 %d분기", year - 1, quarter);
	json_object_set_new(m, "activities",
	                    json_pack("{s:o, s:s}", "rows", acts, "last_label", lastlabel));

	/* grants of the year by status, and those selected in the quarter */
	st = db_stmt(db, SQL_GRANTS_YEAR);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, year);
	db_bind_text(st, 2, qf);
	db_bind_text(st, 3, ql);
	static const char *const gst[][2] = {
	    {"applied", "신청"}, {"selected", "선정"}, {"done", "완료"}, {"cancelled", "취소"}};
	int64_t gc[4] = {0}, gt[4] = {0}, gsel = 0;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		for (int k = 0; k < 4; k++)
			if (strcmp(db_col_text(st, 0), gst[k][0]) == 0) {
				gc[k] = sqlite3_column_int64(st, 1);
				gt[k] = sqlite3_column_int64(st, 2);
				gsel += sqlite3_column_int64(st, 3);
			}
	sqlite3_reset(st);
	json_t *grows = json_array();
	for (int k = 0; k < 4; k++) {
		json_t *g = json_pack("{s:s, s:s, s:I}", "status", gst[k][0], "label", gst[k][1],
		                      "count", (json_int_t)gc[k]);
		money_set(g, "total", gt[k]);
		json_array_append_new(grows, g);
	}
	json_object_set_new(m, "grants",
	                    json_pack("{s:o, s:I, s:I}", "rows", grows, "selected_in_quarter",
	                              (json_int_t)gsel, "sites", (json_int_t)(gc[1] + gc[2])));

	/* budget executed in the quarter, per source */
	st = db_stmt(db, SQL_EXEC_BETWEEN);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, qf);
	db_bind_text(st, 3, ql);
	int64_t ex[NSRC] = {0}, ext = 0;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int s = src_index(db_col_text(st, 0));
		if (s >= 0) {
			ex[s] = sqlite3_column_int64(st, 1);
			if (money_add(ext, ex[s], &ext) != BZ_OK)
				ext = 0;
		}
	}
	sqlite3_reset(st);
	json_t *brows = json_array();
	for (int s = 0; s < NSRC; s++) {
		if (ex[s] == 0)
			continue;
		json_t *o = json_pack("{s:s}", "label", program_label("source", sources[s]));
		money_set(o, "executed", ex[s]);
		char w[MONEY_TEXT_SIZE];
		money_format_won(ex[s], w, sizeof(w));
		json_object_set_new(o, "executed_won", json_string(w));
		json_array_append_new(brows, o);
	}
	json_t *bt = json_pack("{s:o}", "rows", brows);
	money_set(bt, "executed", ext);
	char w[MONEY_TEXT_SIZE];
	money_format_won(ext, w, sizeof(w));
	json_object_set_new(bt, "executed_won", json_string(w));
	json_object_set_new(m, "budget", bt);

	/* roadmap position */
	json_object_set_new(
	    m, "roadmap",
	    roadmap_grid(tasks, json_string_value(json_object_get(p, "first_quarter")),
	                 json_string_value(json_object_get(p, "last_quarter")), year, quarter));

	/* red-flag cases and the overdue backlog, as they stood at the period's end */
	json_t *red = NULL, *late = NULL;
	if ((rc = period_cases(db, SQL_RED_CASES, upto, &red)) != BZ_OK ||
	    (rc = period_cases(db, SQL_OVERDUE_CASES_AT_END, upto, &late)) != BZ_OK) {
		json_decref(red);
		goto out;
	}
	json_object_set_new(m, "red_cases", red);
	json_object_set_new(m, "overdue_cases", late);
	json_object_set_new(m, "period_end", json_string(upto));
	*out = m;
	m = NULL;
	rc = BZ_OK;
out:
	free(days);
	workday_holidays_free(&h);
	json_decref(m);
	json_decref(p);
	json_decref(targets);
	json_decref(tasks);
	return rc;
}
