/* The pledge card: every figure counted live from the records. The dashboard
 * and the progress page are in card_dashboard.c and card_progress.c. See
 * include/bizsos/card.h for the counting rules. */
#include "card_internal.h"
#include "bizsos/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

/* Activities per card row and year, in [?1, ?2]. */
static const char SQL_ACT_COUNTS[] =
    "SELECT COALESCE(t.card_row, p.card_row) AS r, CAST(substr(a.held_on, 1, 4) AS INTEGER),"
    " count(*), count(DISTINCT t.id), min(CASE WHEN t.parent_id IS NOT NULL THEN t.name END)"
    " FROM activity a JOIN activity_type t ON t.id = a.type_id"
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
static const char SQL_PHOTOS[] =
    "SELECT ph.id, a.id, ph.caption, a.held_on, t.name FROM activity_photo ph"
    " JOIN activity a ON a.id = ph.activity_id JOIN activity_type t ON t.id = a.type_id"
    " LEFT JOIN activity_type p ON p.id = t.parent_id"
    " WHERE ph.retired_at IS NULL AND a.retired_at IS NULL AND a.held_on <= ?1"
    " AND COALESCE(t.card_row, p.card_row) IN ('mayor_site_visit', 'roundtable',"
    "  'one_stop_meeting', 'mobile_squad', 'education')"
    " ORDER BY a.held_on DESC, ph.id DESC LIMIT 4";
/* Cards' per-year layout records in [?2, ?3]. */
static const char SQL_LAYOUT[] =
    "SELECT year, card_row, sort, label FROM card_row_year WHERE program_id = ?1"
    " AND year BETWEEN ?2 AND ?3";
/* The photos the leader chose for the quarter ?2 of program ?1 (card_photo,
 * sql/105), in their order, with the caption chosen (else the photo's). */
static const char SQL_PHOTOS_CHOSEN[] =
    "SELECT ph.id, a.id, coalesce(cp.caption, ph.caption),"
    " a.held_on, t.name FROM card_photo cp JOIN activity_photo ph ON ph.id = cp.photo_id"
    " JOIN activity a ON a.id = ph.activity_id JOIN activity_type t ON t.id = a.type_id"
    " WHERE cp.program_id = ?1 AND cp.quarter = ?2 AND cp.retired_at IS NULL"
    " AND ph.retired_at IS NULL AND a.retired_at IS NULL ORDER BY cp.sort, cp.id";
static const char SQL_PHOTOS_CHOSEN_COUNT[] =
    "SELECT count(*) FROM card_photo WHERE program_id = ?1 AND quarter = ?2"
    " AND retired_at IS NULL";

/* ------------------------------------------------------------ helpers -- */

json_t *card_rate_json(struct rate r)
{
	char t[RATE_TEXT_SIZE];
	rate_format(r, t, sizeof(t));
	return json_pack("{s:b, s:o, s:s}", "ok", r.ok, "tenths",
	                 r.ok ? json_integer(r.tenths) : json_null(), "text", t);
}

void card_money_set(json_t *o, const char *key, int64_t won)
{
	char m[MONEY_TEXT_SIZE], k[64];
	money_format_million(won, m, sizeof(m));
	json_object_set_new(o, key, json_integer(won));
	snprintf(k, sizeof(k), "%s_text", key);
	json_object_set_new(o, k, json_string(m));
}

static void count_text(int64_t n, char *out, size_t outlen)
{
	if (n == 0)
		bz_strlcpy(out, "–", outlen);
	else
		snprintf(out, outlen, "%lld", (long long)n);
}

void card_tenths_text(int64_t t, char *out, size_t outlen)
{
	snprintf(out, outlen, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
}

/* ------------------------------------------------------------ card rows -- */

const struct card_row_def card_row_defs[R_N] = {
    [R_PLAN] = {"operating_plan", "기업SOS 시스템 운영계획 수립", ""},
    [R_MAYOR] = {"mayor_site_visit", "시장 기업체 현장방문", "회"},
    [R_ROUND] = {"roundtable", "기업애로 간담회 등", "회"},
    [R_SQUAD] = {"mobile_squad", "찾아가는 기업SOS 기동반", "회"},
    [R_ONESTOP] = {"one_stop_meeting", "기업원스톱처리 회의", "회"},
    [R_COMM] = {"comm_day", "발로뛰는 기업소통 Day", "회"},
    [R_LETTER] = {"anniversary_letter", "기업 창립기념일 축하서한문 전달", "회"},
    [R_GRANT] = {"improvement_grant_sites", "소규모 기업환경 개선사업", "개소"},
    [R_EDU] = {"education", "지식산업센터 개선을 위한 교육 실시", ""},
};

static int row_index(const char *card_row)
{
	for (int i = 0; i < R_N; i++)
		if (strcmp(card_row_defs[i].key, card_row) == 0)
			return i;
	return -1;
}

/* The default layout: the order of the latest published card (2024 Q3). The
 * letters are no row of their own: they go into 발로뛰는 기업소통 Day. */
static const int card_row_default_order[] = {R_PLAN,    R_ROUND, R_MAYOR, R_SQUAD,
                                             R_ONESTOP, R_COMM,  R_GRANT, R_EDU};

static int card_row_default_sort(int r)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(card_row_default_order); i++)
		if (card_row_default_order[i] == r)
			return (int)(i + 1) * 10;
	return -1;
}

bz_rc card_layout_load(struct db *db, int64_t program_id, int first_year, int nyears,
                       struct card_layout *l)
{
	memset(l->label, 0, sizeof(l->label));
	for (int y = 0; y < YEARS_MAX; y++)
		for (int r = 0; r < R_N; r++)
			l->sort[y][r] = card_row_default_sort(r);
	sqlite3_stmt *st = db_stmt(db, SQL_LAYOUT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, first_year);
	db_bind_int(st, 3, first_year + nyears - 1);
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int y = sqlite3_column_int(st, 0) - first_year;
		int r = row_index(db_col_text(st, 1));
		if (y < 0 || y >= nyears || y >= YEARS_MAX || r < 0 || r == R_LETTER)
			continue;
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			l->sort[y][r] = sqlite3_column_int(st, 2);
		bz_strlcpy(l->label[y][r], db_col_text(st, 3), CARD_LABEL_SIZE);
	}
	return db_rows_end(db, st, rc, "card layout");
}

/* Counts activity rows per year between first and last (dates), and grant
 * sites of the years, as of last. */
bz_rc card_count_rows(struct db *db, int first_year, int nyears, const char *first,
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
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int r = row_index(db_col_text(st, 0));
		int y = sqlite3_column_int(st, 1) - first_year;
		if (r >= 0 && y >= 0 && y < c->nyears) {
			c->v[y][r] += sqlite3_column_int64(st, 2);
			if (r == R_ROUND && sqlite3_column_int64(st, 3) == 1 &&
			    sqlite3_column_type(st, 4) != SQLITE_NULL)
				bz_strlcpy(c->round_kind[y], db_col_text(st, 4),
				           sizeof(c->round_kind[y]));
		}
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
	while ((rc = db_step(st)) == SQLITE_ROW) {
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

/* The bullet items of one year, as the card lists them: in the year's layout
 * order (sort[], ties in the default order), under the year's labels (label[],
 * "" for the row's own; a year whose round tables were all of one kind names
 * that kind). */
static json_t *result_items(const int64_t *v, const char *round_kind, const int *sort,
                            char (*label)[CARD_LABEL_SIZE])
{
	json_t *items = json_array();
	char text[256];
	int order[BZ_ARRAY_LEN(card_row_default_order)];
	size_t n_order = BZ_ARRAY_LEN(card_row_default_order);
	memcpy(order, card_row_default_order, sizeof(order));
	for (size_t i = 1; i < n_order; i++) /* insertion sort: stable */
		for (size_t k = i; k > 0 && sort[order[k]] < sort[order[k - 1]]; k--) {
			int t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	for (size_t i = 0; i < n_order; i++) {
		int r = order[i];
		int64_t n = r == R_COMM ? comm_day_total(v) : v[r];
		if (n == 0)
			continue;
		const char *name = label[r][0] ? label[r]
		                   : r == R_ROUND && round_kind && *round_kind
		                       ? round_kind
		                       : card_row_defs[r].label;
		if (r == R_PLAN || r == R_EDU)
			bz_strlcpy(text, name, sizeof(text));
		else if (r == R_COMM && v[R_LETTER] > 0)
			snprintf(text, sizeof(text), "%s : %lld%s (%s 등 (%lld회))", name,
			         (long long)n, card_row_defs[r].unit, card_row_defs[R_LETTER].label,
			         (long long)v[R_LETTER]);
		else
			snprintf(text, sizeof(text), "%s : %lld%s", name, (long long)n,
			         card_row_defs[r].unit);
		json_array_append_new(items,
		                      json_pack("{s:s, s:I, s:s}", "key", card_row_defs[r].key,
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
json_t *card_roadmap_grid(json_t *tasks, const char *pfirst, const char *plast, int cur_y,
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
	int y = date_year(d), q = date_quarter(d) - 1; /* the last one completed */
	if (q < 1) {
		q = 4;
		y--;
	}
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

/* What the card's sections share while it is built: the inputs, read once;
 * the as-of dates; the card m; and the pieces of its machine form (figures),
 * each made by the section that makes the matching part of the card. */
struct card_build {
	struct db *db;
	int64_t program_id;
	int year, quarter;
	int fy, fq, ly, lq; /* the term's first and last quarter */
	int ny;             /* result years: the term's first to the as-of year */
	char qfirst[DATE_TEXT_SIZE], qlast[DATE_TEXT_SIZE]; /* the as-of quarter */
	char tfirst[DATE_TEXT_SIZE];                        /* the term's first day */
	char year_first[DATE_TEXT_SIZE];                    /* 1 January of the term's first year */
	char askey[16];                                     /* "2025-Q2" */
	json_t *p, *targets, *tasks, *plans, *sa;
	struct counts c;
	struct card_layout lay;
	json_t *m;
	const char *indicator;
	json_t *fig_targets, *fig_results, *fig_budget, *fig_comm, *fig_np, *fig_sa, *fig_rows;
};

static void card_build_free(struct card_build *b)
{
	json_t *all[] = {b->m,      b->p,           b->targets,     b->tasks,      b->sa,
	                 b->plans,  b->fig_targets, b->fig_results, b->fig_budget, b->fig_comm,
	                 b->fig_np, b->fig_sa,      b->fig_rows};
	for (size_t i = 0; i < BZ_ARRAY_LEN(all); i++)
		json_decref(all[i]);
}

/* The program's records and the dates of the term and the as-of quarter. */
static bz_rc card_inputs(struct card_build *b)
{
	bz_rc rc;
	if ((rc = program_get(b->db, b->program_id, &b->p)) != BZ_OK)
		return rc;
	if ((rc = target_list(b->db, b->program_id, &b->targets)) != BZ_OK ||
	    (rc = roadmap_tasks(b->db, b->program_id, &b->tasks)) != BZ_OK ||
	    (rc = next_plans(b->db, b->program_id, &b->plans)) != BZ_OK)
		return rc;
	if (!quarter_parse(json_string_value(json_object_get(b->p, "first_quarter")), &b->fy,
	                   &b->fq) ||
	    !quarter_parse(json_string_value(json_object_get(b->p, "last_quarter")), &b->ly,
	                   &b->lq))
		return BZ_ERR_INVALID;
	char tdummy[DATE_TEXT_SIZE];
	quarter_bounds(b->year, b->quarter, b->qfirst, b->qlast);
	quarter_bounds(b->fy, b->fq, b->tfirst, tdummy);
	quarter_bounds(b->fy, 1, b->year_first, tdummy);
	b->ny = b->year - b->fy + 1;
	if (b->ny < 1)
		b->ny = 1;
	if (b->ny > YEARS_MAX)
		b->ny = YEARS_MAX;
	return BZ_OK;
}

/* as_of, and the header: the program with its status table. */
static void card_header(struct card_build *b)
{
	char aslabel[32];
	snprintf(aslabel, sizeof(aslabel), "%d년 %d분기", b->year, b->quarter);
	snprintf(b->askey, sizeof(b->askey), "%d-Q%d", b->year, b->quarter);
	json_object_set_new(b->m, "as_of",
	                    json_pack("{s:i, s:i, s:s, s:s, s:s}", "year", b->year, "quarter",
	                              b->quarter, "label", aslabel, "key", b->askey, "last_day",
	                              b->qlast));
	const char *status = json_string_value(json_object_get(b->p, "status"));
	json_object_set_new(b->p, "status_table", header_cells(status));
	json_object_set(b->m, "program", b->p);
}

/* The header as figures: labels, the implementation rate in percent, contacts. */
static json_t *card_header_figures(const json_t *p)
{
	json_t *contacts = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(p, "contacts"), i, t) json_array_append_new(
	    contacts, json_pack("{s:O, s:O, s:O}", "title", json_object_get(t, "title"), "name",
	                        json_object_get(t, "name"), "phone", json_object_get(t, "phone")));
	json_t *tenths = json_object_get(json_object_get(p, "impl"), "tenths");
	json_t *impl_pct = json_is_integer(tenths) && json_integer_value(tenths) % 10 == 0
	                       ? json_integer(json_integer_value(tenths) / 10)
	                   : json_is_integer(tenths)
	                       ? json_real((double)json_integer_value(tenths) / 10.0)
	                       : json_null();
	return json_pack("{s:O, s:O, s:O, s:O, s:o, s:O, s:O, s:O, s:o}", "nature",
	                 json_object_get(p, "nature_label"), "period",
	                 json_object_get(p, "term_label"), "funding",
	                 json_object_get(p, "funding_label"), "status",
	                 json_object_get(p, "status_label"), "implementation_rate_pct", impl_pct,
	                 "completed_year", json_object_get(p, "completed_year"), "central_help",
	                 json_object_get(p, "central_help"), "owner", json_object_get(p, "owner"),
	                 "contacts", contacts);
}

/* One target with its actual counted up to the as-of day. */
static bz_rc card_goal_row(struct card_build *b, json_t *t, json_t **out)
{
	const char *first = json_string_value(json_object_get(t, "first"));
	const char *last = json_string_value(json_object_get(t, "last"));
	json_t *row = json_deep_copy(t);
	bool started = strcmp(first, b->qlast) <= 0;
	if (strcmp(json_string_value(json_object_get(t, "metric")), "cases_done") == 0 && started) {
		const char *upto = strcmp(last, b->qlast) < 0 ? last : b->qlast;
		int64_t n = 0;
		bz_rc rc = case_count_done(b->db, first, upto, &n);
		if (rc != BZ_OK) {
			json_decref(row);
			return rc;
		}
		char txt[32];
		snprintf(txt, sizeof(txt), "%lld", (long long)n);
		json_t *href =
		    link_fact("cases_done", json_pack("{s:s, s:s}", "from", first, "to", upto));
		json_object_set_new(row, "actual", json_integer(n));
		json_object_set_new(row, "actual_text", json_string(txt));
		json_object_set_new(row, "achievement",
		                    card_rate_json(rate_achievement(
		                        n, json_integer_value(json_object_get(t, "value")))));
		json_object_set_new(row, "cases_href", href);
		json_object_set_new(row, "partial", json_boolean(strcmp(last, b->qlast) > 0));
	} else {
		json_object_set_new(row, "actual", json_null());
		json_object_set_new(row, "actual_text", json_string("–"));
		json_object_set_new(row, "achievement", card_rate_json(rate_achievement(0, 0)));
		json_object_del(row, "cases_href");
	}
	char vt[32];
	snprintf(vt, sizeof(vt), "%lld",
	         (long long)json_integer_value(json_object_get(t, "value")));
	json_object_set_new(row, "value_text", json_string(vt));
	*out = row;
	return BZ_OK;
}

/* goals: targets with actuals counted up to the as-of day */
static bz_rc card_goals(struct card_build *b)
{
	json_t *tl = json_array();
	size_t i;
	json_t *t;
	b->fig_targets = json_object();
	b->indicator = "";
	json_array_foreach(b->targets, i, t)
	{
		b->indicator = json_string_value(json_object_get(t, "indicator"));
		json_t *row;
		bz_rc rc = card_goal_row(b, t, &row);
		if (rc != BZ_OK) {
			json_decref(tl);
			return rc;
		}
		json_object_set(b->fig_targets, json_string_value(json_object_get(t, "period")),
		                json_object_get(t, "value"));
		json_array_append_new(tl, row);
	}
	json_object_set_new(b->m, "targets",
	                    json_pack("{s:s, s:o, s:s}", "indicator", b->indicator, "periods", tl,
	                              "definition",
	                              "처리 실적 = 기간 안에 완료(처리 결과 통지 후 종결)된 "
	                              "기업애로(SOS) 건수. 병합된 건은 세지 않습니다."));
	return BZ_OK;
}

/* roadmap: the grid, and its rows as figures */
static void card_roadmap(struct card_build *b)
{
	json_object_set_new(
	    b->m, "roadmap",
	    card_roadmap_grid(b->tasks, json_string_value(json_object_get(b->p, "first_quarter")),
	                      json_string_value(json_object_get(b->p, "last_quarter")), b->year,
	                      b->quarter));
	b->fig_rows = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(b->tasks, i, t) json_array_append_new(
	    b->fig_rows, json_pack("{s:O, s:O, s:O}", "task", json_object_get(t, "title"), "from",
	                           json_object_get(t, "first_quarter"), "to",
	                           json_object_get(t, "last_quarter")));
}

/* The results as a table: one row per card row (the default order, the
 * letters under their Day row), one column per year. */
static json_t *card_results_rows(const struct card_build *b)
{
	json_t *trows = json_array();
	int rows[R_N], n_rows = 0;
	for (size_t i = 0; i < BZ_ARRAY_LEN(card_row_default_order); i++) {
		rows[n_rows++] = card_row_default_order[i];
		if (card_row_default_order[i] == R_COMM)
			rows[n_rows++] = R_LETTER;
	}
	for (int i = 0; i < n_rows; i++) {
		int r = rows[i];
		json_t *cells = json_array();
		for (int y = 0; y < b->ny; y++) {
			int64_t n = r == R_COMM ? comm_day_total(b->c.v[y]) : b->c.v[y][r];
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
			snprintf(label, sizeof(label), "└ 그중 %s", card_row_defs[r].label);
		else
			bz_strlcpy(label, card_row_defs[r].label, sizeof(label));
		json_array_append_new(trows, json_pack("{s:s, s:s, s:s, s:o}", "key",
		                                       card_row_defs[r].key, "label", label, "unit",
		                                       card_row_defs[r].unit, "cells", cells));
	}
	return trows;
}

/* results per year, from the term's first year to the as-of year */
static bz_rc card_results(struct card_build *b)
{
	bz_rc rc = card_count_rows(b->db, b->fy, b->ny, b->year_first, b->qlast, &b->c);
	if (rc == BZ_OK)
		rc = card_layout_load(b->db, b->program_id, b->fy, b->ny, &b->lay);
	if (rc != BZ_OK)
		return rc;
	json_t *cols = json_array();
	b->fig_results = json_object();
	for (int y = 0; y < b->ny; y++) {
		char l[32], yk[8];
		bool partial = b->fy + y == b->year && b->quarter < 4;
		if (partial)
			snprintf(l, sizeof(l), "%d년 %d분기", b->fy + y, b->quarter);
		else
			snprintf(l, sizeof(l), "%d년", b->fy + y);
		snprintf(yk, sizeof(yk), "%d", b->fy + y);
		json_array_append_new(
		    cols, json_pack("{s:i, s:s, s:o}", "year", b->fy + y, "label", l, "items",
		                    result_items(b->c.v[y], b->c.round_kind[y], b->lay.sort[y],
		                                 b->lay.label[y])));
		json_t *f = result_figures(b->c.v[y]);
		if (partial)
			json_object_set_new(f, "as_of", json_string(b->askey));
		json_object_set_new(b->fig_results, yk, f);
	}
	json_object_set_new(b->m, "results",
	                    json_pack("{s:o, s:o}", "columns", cols, "rows", card_results_rows(b)));
	return BZ_OK;
}

/* photos: those the leader chose for the quarter, else the latest four of
 * the card's field rows up to the as-of day */
static bz_rc card_photos(struct card_build *b)
{
	int64_t chosen = 0;
	bz_rc rc0 =
	    db_int1f(b->db, SQL_PHOTOS_CHOSEN_COUNT, 0, &chosen, "it", b->program_id, b->askey);
	if (rc0 != BZ_OK)
		return rc0;
	sqlite3_stmt *st = db_stmt(b->db, chosen ? SQL_PHOTOS_CHOSEN : SQL_PHOTOS);
	if (st == NULL)
		return BZ_ERR_DB;
	if (chosen) {
		db_bind_int(st, 1, b->program_id);
		db_bind_text(st, 2, b->askey);
	} else
		db_bind_text(st, 1, b->qlast);
	json_t *photos = json_array();
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW) {
		json_t *src = link_fact("activity_photo",
		                        json_pack("{s:I, s:I}", "activity",
		                                  (json_int_t)sqlite3_column_int64(st, 1), "photo",
		                                  (json_int_t)sqlite3_column_int64(st, 0)));
		const char *cap = db_col_text(st, 2);
		json_array_append_new(photos,
		                      json_pack("{s:o, s:s, s:s, s:I}", "src", src, "caption",
		                                *cap ? cap : db_col_text(st, 4), "held_on",
		                                db_col_text(st, 3), "activity_id",
		                                (json_int_t)sqlite3_column_int64(st, 1)));
	}
	bz_rc rc = db_rows_json(b->db, st, sr, "card photos", photos, &photos);
	if (rc != BZ_OK)
		return rc;
	json_object_set_new(b->m, "has_photos", json_boolean(json_array_size(photos) > 0));
	json_object_set_new(b->m, "photos_chosen", json_boolean(chosen > 0));
	json_object_set_new(b->m, "photos", photos);
	return BZ_OK;
}

/* One self-assessment item as a figure: "body (sub, sub)". */
static json_t *card_sa_figure(const json_t *t)
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
			buf_puts(&sb, json_string_value(json_object_get(s, "body")));
		}
		buf_puts(&sb, ")");
		bz_strlcpy(body, buf_cstr(&sb) ? buf_cstr(&sb) : bt, sizeof(body));
		buf_free(&sb);
	} else
		bz_strlcpy(body, bt, sizeof(body));
	return json_string(body);
}

/* self-assessment: the latest year up to the as-of year */
static bz_rc card_self_assessment(struct card_build *b)
{
	bz_rc rc = self_assessment(b->db, b->program_id, 0, &b->sa);
	if (rc != BZ_OK)
		return rc;
	int sa_year = 0;
	size_t i;
	json_t *yv;
	json_array_foreach(json_object_get(b->sa, "years"), i, yv)
	{
		if (json_integer_value(yv) <= b->year) {
			sa_year = (int)json_integer_value(yv);
			break;
		}
	}
	json_decref(b->sa);
	b->sa = NULL;
	if ((rc = self_assessment(b->db, b->program_id, sa_year ? sa_year : -1, &b->sa)) != BZ_OK)
		return rc;
	json_object_set(b->m, "self_assessment", b->sa);
	b->fig_sa = json_pack("{s:[], s:[]}", "went_well", "improvement_plan");
	static const char *const sak[][2] = {{"went_well", "went_well"},
	                                     {"improvement", "improvement_plan"}};
	for (size_t k = 0; k < 2; k++) {
		json_t *t;
		json_array_foreach(json_object_get(b->sa, sak[k][0]), i, t)
		    json_array_append_new(json_object_get(b->fig_sa, sak[k][1]), card_sa_figure(t));
	}
	return BZ_OK;
}

/* budget: lines up to the as-of year, executions up to its last day */
static bz_rc card_budget(struct card_build *b)
{
	struct budget bud;
	bz_rc rc = card_budget_load(b->db, b->program_id, b->fy, b->ly - b->fy + 1, b->year,
	                            b->qlast, &bud);
	if (rc != BZ_OK)
		return rc;
	json_object_set_new(b->m, "budget", card_budget_tables(&bud, b->lq, &b->fig_budget));
	return BZ_OK;
}

/* citizen communication, from the term's start to the as-of day */
static bz_rc card_communication(struct card_build *b)
{
	int64_t comm[6] = {0};
	for (int y = 0; y < b->ny; y++)
		comm[0] += b->c.v[y][R_ROUND];
	sqlite3_stmt *st = db_stmt(b->db, SQL_COMM);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, b->tfirst);
	db_bind_text(st, 2, b->qlast);
	static const char *const ckinds[] = {NULL, "survey", "expert", "press", "sns", "other"};
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW)
		for (int k = 1; k < 6; k++)
			if (strcmp(db_col_text(st, 0), ckinds[k]) == 0)
				comm[k] = sqlite3_column_int64(st, 1);
	bz_rc rc = db_rows_end(b->db, st, sr, "card communication");
	if (rc != BZ_OK)
		return rc;
	static const char *const clabels[] = {"간담회 등",      "만족도 조사", "민간전문가 자문",
	                                      "언론·방송 보도", "SNS 소통",    "기타 시민참여"};
	static const char *const ckeys[] = {
	    "meetings", "satisfaction_surveys", "expert_advice", "press", "sns", "other"};
	json_t *ccells = json_array();
	b->fig_comm = json_object();
	for (int k = 0; k < 6; k++) {
		char txt[32];
		count_text(comm[k], txt, sizeof(txt));
		json_array_append_new(ccells, json_pack("{s:s, s:s, s:I, s:s}", "key", ckeys[k],
		                                        "label", clabels[k], "count",
		                                        (json_int_t)comm[k], "text", txt));
		json_object_set_new(b->fig_comm, ckeys[k], json_integer(comm[k]));
	}
	json_object_set_new(b->m, "communication", json_pack("{s:o}", "cells", ccells));
	return BZ_OK;
}

/* next plans that have not ended before the as-of quarter */
static void card_next_plans(struct card_build *b)
{
	json_t *np = json_array();
	b->fig_np = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(b->plans, i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "ends_on")), b->qfirst) < 0)
			continue;
		json_array_append(np, t);
		json_array_append_new(b->fig_np, json_pack("{s:O, s:O}", "period",
		                                           json_object_get(t, "period_label"),
		                                           "plan", json_object_get(t, "plan")));
	}
	json_object_set_new(b->m, "next_plans", np);
}

/* the machine form, keyed as shared/seed/card-figures.json (steals the pieces) */
static json_t *card_figures(struct card_build *b)
{
	json_t *f = json_pack(
	    "{s:O, s:o, s:{s:s, s:o}, s:{s:O, s:O, s:o}, s:o, s:o, s:o, s:o, s:o}", "program",
	    json_object_get(b->p, "name"), "header", card_header_figures(b->p), "yearly_targets",
	    "indicator", b->indicator, "targets", b->fig_targets, "roadmap", "first_quarter",
	    json_object_get(b->p, "first_quarter"), "last_quarter",
	    json_object_get(b->p, "last_quarter"), "rows", b->fig_rows, "results", b->fig_results,
	    "budget_million_won", b->fig_budget, "citizen_communication", b->fig_comm,
	    "self_assessment", b->fig_sa, "next_plan", b->fig_np);
	b->fig_targets = b->fig_rows = b->fig_results = b->fig_budget = b->fig_comm = b->fig_sa =
	    b->fig_np = NULL;
	return f;
}

bz_rc card_model(struct db *db, int64_t program_id, int year, int quarter, json_t **out)
{
	struct card_build b = {
	    .db = db, .program_id = program_id, .year = year, .quarter = quarter};
	bz_rc rc = card_inputs(&b);
	if (rc != BZ_OK)
		goto out;
	b.m = json_object();
	card_header(&b);
	if ((rc = card_goals(&b)) != BZ_OK)
		goto out;
	card_roadmap(&b);
	if ((rc = card_results(&b)) != BZ_OK || (rc = card_photos(&b)) != BZ_OK ||
	    (rc = card_self_assessment(&b)) != BZ_OK || (rc = card_budget(&b)) != BZ_OK ||
	    (rc = card_communication(&b)) != BZ_OK)
		goto out;
	card_next_plans(&b);
	json_object_set_new(b.m, "figures", card_figures(&b));
	*out = b.m;
	b.m = NULL;
out:
	card_build_free(&b);
	return rc;
}
