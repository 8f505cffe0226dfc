/* The leader's quarterly progress page. See include/bizsos/card.h. */
#include "card_internal.h"
#include "bizsos/link.h"
#include "bizsos/kst.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_GRANTS_YEAR[] =
    "SELECT status, count(*), COALESCE(sum(total), 0),"
    " COALESCE(sum(selected_on BETWEEN ?2 AND ?3), 0)"
    " FROM improvement_grant WHERE retired_at IS NULL AND year = ?1 GROUP BY status";
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
/* The overdue backlog at the period's end ?1: open then, its deadline before it.
 * OPEN_AT_END split in its two disjoint halves, so that each reads an index
 * instead of every case: the cases open now (the partial index on the open
 * cases' deadlines, sql/062) and the cases closed after ?1 (the index on the
 * closing day; none when ?1 is today; the unary + keeps the planner off the
 * deadline index, which would read every case). status is NOT NULL. */
static const char SQL_OVERDUE_AT_END[] =
    "SELECT (SELECT count(*) FROM sos_case s"
    " WHERE s.status IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL"
    " AND COALESCE(s.extended_due_on, s.due_on) < ?1 AND s.received_on <= ?1"
    " AND (s.closed_on IS NULL OR s.closed_on > ?1))"
    " + (SELECT count(*) FROM sos_case s WHERE s.closed_on > ?1"
    " AND s.status NOT IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL"
    " AND s.received_on <= ?1 AND +COALESCE(s.extended_due_on, s.due_on) < ?1)";
static const char SQL_OVERDUE_CASES_AT_END[] =
    PERIOD_CASE_COLUMNS " WHERE" OPEN_AT_END " AND COALESCE(s.extended_due_on, s.due_on) < ?1"
                        " ORDER BY COALESCE(s.extended_due_on, s.due_on), s.id LIMIT 50";
static const char SQL_CLOSED_DAYS[] =
    "SELECT received_on, closed_on FROM sos_case WHERE merged_into IS NULL AND status = 'done'"
    " AND closed_on BETWEEN ?1 AND ?2";
static const char SQL_OVERDUE_BETWEEN[] =
    "SELECT count(*) FROM sos_case WHERE merged_into IS NULL"
    " AND status NOT IN ('withdrawn', 'transferred')"
    " AND COALESCE(extended_due_on, due_on) BETWEEN ?1 AND ?2"
    " AND COALESCE(extended_due_on, due_on) < ?3"
    " AND (closed_on IS NULL OR closed_on > COALESCE(extended_due_on, due_on))";
static const char SQL_RECEIVED_BETWEEN[] =
    "SELECT count(*) FROM sos_case WHERE merged_into IS NULL AND received_on BETWEEN ?1 AND ?2";
static const char SQL_EXEC_BETWEEN[] =
    "SELECT l.source, COALESCE(sum(e.amount), 0) FROM budget_execution e"
    " JOIN budget_line l ON l.id = e.budget_line_id WHERE l.program_id = ?1"
    " AND l.retired_at IS NULL AND e.retired_at IS NULL AND e.executed_on BETWEEN ?2 AND ?3"
    " GROUP BY l.source";
/* ------------------------------------------------------------ progress -- */

/* Every change recorded after ?3 to a record dated in [?1, ?2]: (at, who,
 * what, kind, the record's link page and id). The four histories the card and progress figures are
 * counted from. */
#define PERIOD_CHANGES                                                                                  \
	"SELECT e.at, COALESCE(u.name, '시스템'), '애로 ' || s.case_no || ' ' || s.title, e.kind," \
	" 'case', s.id FROM case_event e JOIN sos_case s ON s.id = e.case_id"                           \
	" LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.at > ?3"                                    \
	" AND (s.received_on BETWEEN ?1 AND ?2 OR s.closed_on BETWEEN ?1 AND ?2)"                       \
	" UNION ALL SELECT e.at, COALESCE(u.name, '시스템'), '활동 ' || a.held_on || ' ' ||"       \
	" coalesce(a.title, t.name), e.kind, 'activity', a.id FROM activity_event e"                    \
	" JOIN activity a ON a.id = e.activity_id JOIN activity_type t ON t.id = a.type_id"             \
	" LEFT JOIN app_user u ON u.id = e.actor_id"                                                    \
	" WHERE e.at > ?3 AND a.held_on BETWEEN ?1 AND ?2"                                              \
	" UNION ALL SELECT e.at, COALESCE(u.name, '시스템'), '지원사업 ' || g.title, e.kind,"    \
	" 'grant', g.id FROM grant_event e JOIN improvement_grant g ON g.id = e.grant_id"               \
	" LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.at > ?3"                                    \
	" AND (g.applied_on BETWEEN ?1 AND ?2 OR g.selected_on BETWEEN ?1 AND ?2"                       \
	" OR g.done_on BETWEEN ?1 AND ?2)"                                                              \
	" UNION ALL SELECT e.at, COALESCE(u.name, '시스템'), '예산 집행 ' || x.executed_on,"     \
	" e.kind, 'program_executions', 0 FROM program_event e JOIN budget_execution x"                 \
	" ON e.object = 'budget_execution' AND x.id = e.object_id"                                      \
	" LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.at > ?3"                                    \
	" AND x.executed_on BETWEEN ?1 AND ?2"
static const char SQL_PERIOD_CHANGES[] =
    "SELECT * FROM (" PERIOD_CHANGES ") ORDER BY 1 DESC LIMIT 100";
static const char SQL_PERIOD_CHANGES_COUNT[] = "SELECT count(*) FROM (" PERIOD_CHANGES ")";

static const char *change_action(const char *kind)
{
	if (strncmp(kind, "create", 6) == 0 || strcmp(kind, "created") == 0)
		return "추가";
	if (strstr(kind, "retire") || strstr(kind, "cancel") || strstr(kind, "withdraw"))
		return "취소·삭제";
	return "변경";
}

bz_rc period_changes_since(struct db *db, int year, int quarter, const char *since, json_t **out,
                           int64_t *count)
{
	char qf[DATE_TEXT_SIZE], ql[DATE_TEXT_SIZE];
	quarter_bounds(year, quarter, qf, ql);
	bz_rc rc = db_int1f(db, SQL_PERIOD_CHANGES_COUNT, 0, count, "ttt", qf, ql, since);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_PERIOD_CHANGES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, qf);
	db_bind_text(st, 2, ql);
	db_bind_text(st, 3, since);
	json_t *a = json_array();
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		json_t *href =
		    link_fact(db_col_text(st, 4),
		              json_pack("{s:I}", "id", (json_int_t)sqlite3_column_int64(st, 5)));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "at",
		                                   db_col_text(st, 0), "at_kst", kst, "who",
		                                   db_col_text(st, 1), "what", db_col_text(st, 2),
		                                   "action", change_action(db_col_text(st, 3)),
		                                   "href", href));
	}
	return db_rows_json(db, st, sr, "period changes", a, out);
}

static const char *const frozen_keys[] = {"cases", "close_days", "activities", "grants", "budget"};

json_t *progress_figures(const json_t *model)
{
	json_t *f = json_object();
	for (size_t i = 0; i < BZ_ARRAY_LEN(frozen_keys); i++) {
		json_t *v = json_object_get(model, frozen_keys[i]);
		if (v)
			json_object_set_new(f, frozen_keys[i], json_deep_copy(v));
	}
	return f;
}

/* Korean names of the figures' paths; a path not named here is shown as is. */
static const char *const figure_names[][2] = {
    {"cases.received.quarter", "접수 (분기)"},
    {"cases.received.ytd", "접수 (연간 누계)"},
    {"cases.done.quarter", "완료 (분기)"},
    {"cases.done.ytd", "완료 (연간 누계)"},
    {"cases.overdue.quarter", "기한 넘김 (분기 말)"},
    {"cases.overdue.ytd", "기한 넘김 (연간 누계)"},
    {"close_days.cases", "처리 기간을 잰 사건 수"},
    {"close_days.average", "처리 기간 평균(근무일)"},
    {"close_days.median", "처리 기간 중앙값(근무일)"},
    /* the card's figures (card_figures) */
    {"program", "사업"},
    {"header", "사업구분·이행구분"},
    {"yearly_targets", "연차별 목표"},
    {"roadmap", "로드맵"},
    {"results", "추진실적"},
    {"budget_million_won", "투자계획·집행(백만원)"},
    {"citizen_communication", "시민소통 실적"},
    {"self_assessment", "자체 점검결과"},
    {"next_plan", "향후 추진계획"},
};

/* Korean names of the figures' last keys, where the path has none. */
static const char *const figure_key_names[][2] = {
    {"mayor_site_visit", "시장 기업체 현장방문"},
    {"roundtable", "기업애로 간담회 등"},
    {"mobile_squad", "찾아가는 기업SOS 기동반"},
    {"one_stop_meeting", "기업원스톱처리 회의"},
    {"comm_day", "발로뛰는 기업소통 Day"},
    {"anniversary_letter", "창립기념일 축하서한문 전달"},
    {"improvement_grant_sites", "기업환경 개선사업(개소)"},
    {"education", "지식산업센터 교육"},
    {"operating_plan", "운영계획 수립"},
    {"meetings", "간담회 등"},
    {"satisfaction_surveys", "만족도 조사"},
    {"expert_advice", "민간전문가 자문"},
    {"press", "언론·방송 보도"},
    {"sns", "SNS 소통"},
    {"other", "기타"},
    {"plan", "계획"},
    {"secured", "확보"},
    {"executed", "집행"},
    {"province", "도비"},
    {"city", "시비"},
    {"totals", "계"},
    {"execution_rate_pct", "집행률(%)"},
};

static void scalar_text(const json_t *v, char *out, size_t outlen)
{
	if (v == NULL || json_is_null(v))
		bz_strlcpy(out, "–", outlen);
	else if (json_is_string(v))
		bz_strlcpy(out, json_string_value(v), outlen);
	else if (json_is_integer(v))
		snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		bz_strlcpy(out, json_is_true(v) ? "예" : "아니오", outlen);
	else
		bz_strlcpy(out, "…", outlen);
}

/* Walks a and b together, appending a change for each scalar that differs.
 * path is the dotted path so far; label the Korean name built so far. */
static void figure_walk(const json_t *a, const json_t *b, const char *path, const char *label,
                        json_t *changes)
{
	if (json_array_size(changes) >= 100)
		return;
	if (json_is_object(a) || json_is_object(b)) {
		const json_t *o = json_is_object(a) ? a : b;
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)o, key, v)
		{
			if (strstr(key, "href") || strcmp(key, "formula") == 0 ||
			    strcmp(key, "period_label") == 0 || strcmp(key, "label") == 0)
				continue;
			char p[256], l[256];
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
			const char *name = NULL;
			for (size_t i = 0; i < BZ_ARRAY_LEN(figure_names); i++)
				if (strcmp(figure_names[i][0], p) == 0)
					name = figure_names[i][1];
			const char *kn = key;
			for (size_t i = 0; i < BZ_ARRAY_LEN(figure_key_names); i++)
				if (strcmp(figure_key_names[i][0], key) == 0)
					kn = figure_key_names[i][1];
			snprintf(l, sizeof(l), "%s", name ? name : (*label ? label : p));
			if (!name && *label)
				snprintf(l, sizeof(l), "%s · %s", label, kn);
			figure_walk(json_object_get(a, key), json_object_get(b, key), p, l,
			            changes);
		}
		return;
	}
	if (json_is_array(a) || json_is_array(b)) {
		size_t n = json_array_size(a) > json_array_size(b) ? json_array_size(a)
		                                                   : json_array_size(b);
		for (size_t i = 0; i < n; i++) {
			const json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
			const char *rl = json_string_value(json_object_get(x ? x : y, "label"));
			char p[256], l[256];
			snprintf(p, sizeof(p), "%s.%zu", path, i);
			if (rl)
				snprintf(l, sizeof(l), "%s", rl);
			else
				snprintf(l, sizeof(l), "%s %zu", label, i + 1);
			figure_walk(x, y, p, l, changes);
		}
		return;
	}
	if (a && b && json_equal((json_t *)a, (json_t *)b))
		return;
	char ta[128], tb[128];
	scalar_text(a, ta, sizeof(ta));
	scalar_text(b, tb, sizeof(tb));
	json_array_append_new(
	    changes, json_pack("{s:s, s:s, s:s}", "label", label, "signed", ta, "live", tb));
}

json_t *progress_figures_changes(const json_t *signed_figures, const json_t *live_figures)
{
	json_t *changes = json_array();
	if (json_is_object(signed_figures) && json_is_object(live_figures) &&
	    !json_equal((json_t *)signed_figures, (json_t *)live_figures))
		figure_walk(signed_figures, live_figures, "", "", changes);
	return changes;
}

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

/* What the progress page's sections share while it is built. */
struct progress_build {
	struct db *db;
	int64_t program_id;
	int year, quarter;
	const char *today;
	char qf[DATE_TEXT_SIZE], ql[DATE_TEXT_SIZE], yf[DATE_TEXT_SIZE];
	json_t *p, *targets, *tasks;
	struct workday_holidays h;
	json_t *m;
};

/* The quarter, its neighbours and whether it is still running. */
static void progress_head(struct progress_build *b)
{
	char label[32];
	snprintf(label, sizeof(label), "%d년 %d분기", b->year, b->quarter);
	b->m = json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:b}", "year", b->year, "quarter",
	                 b->quarter, "label", label, "first", b->qf, "last", b->ql, "today",
	                 b->today, "in_progress", strcmp(b->today, b->ql) < 0);
	int py = b->year, pq = b->quarter - 1, ny = b->year, nq = b->quarter + 1;
	if (pq < 1) {
		pq = 4;
		py--;
	}
	if (nq > 4) {
		nq = 1;
		ny++;
	}
	json_object_set_new(b->m, "prev", json_pack("{s:i, s:i}", "year", py, "quarter", pq));
	json_object_set_new(b->m, "next", json_pack("{s:i, s:i}", "year", ny, "quarter", nq));
}

/* The target of the year (a 'YYYY' or 'YYYY-MM' period in that year) and the
 * pace of the cases done so far against it; JSON null without a target. */
static json_t *progress_pace(const struct progress_build *b, int64_t done_y)
{
	json_t *target = NULL;
	size_t i;
	json_t *t;
	json_array_foreach(b->targets, i, t)
	{
		const char *per = json_string_value(json_object_get(t, "period"));
		if (strncmp(per, b->yf, 4) == 0 &&
		    strcmp(json_string_value(json_object_get(t, "metric")), "cases_done") == 0) {
			target = t;
			break;
		}
	}
	if (target == NULL)
		return json_null();
	const char *per = json_string_value(json_object_get(target, "period"));
	int months = strlen(per) == 7 ? atoi(per + 5) : 12;
	int elapsed = b->quarter * 3 > months ? months : b->quarter * 3;
	int64_t value = json_integer_value(json_object_get(target, "value"));
	int64_t due = months > 0 ? (value * elapsed + months - 1) / months : value;
	char formula[200];
	snprintf(formula, sizeof(formula),
	         "목표 진도 = 연간 목표 %lld건 × %d개월 ÷ %d개월 = %lld건 (올림)", (long long)value,
	         elapsed, months, (long long)due);
	json_t *pace = json_pack("{s:O, s:I, s:I, s:s, s:o, s:b, s:s}", "period_label",
	                         json_object_get(target, "period_label"), "target",
	                         (json_int_t)value, "due", (json_int_t)due, "formula", formula,
	                         "achievement", card_rate_json(rate_achievement(done_y, due)),
	                         "behind", done_y < due, "year_rate_text", "");
	char yr[RATE_TEXT_SIZE];
	rate_format(rate_achievement(done_y, value), yr, sizeof(yr));
	json_object_set_new(pace, "year_rate_text", json_string(yr));
	return pace;
}

/* cases: received, completed and overdue, in the quarter and year to date */
static bz_rc progress_cases(struct progress_build *b)
{
	int64_t recv_q = 0, recv_y = 0, done_q = 0, done_y = 0, late_q = 0, late_y = 0;
	bz_rc rc = db_int1f(b->db, SQL_RECEIVED_BETWEEN, 0, &recv_q, "tt", b->qf, b->ql);
	if (rc == BZ_OK)
		rc = db_int1f(b->db, SQL_RECEIVED_BETWEEN, 0, &recv_y, "tt", b->yf, b->ql);
	if (rc == BZ_OK)
		rc = case_count_done(b->db, b->qf, b->ql, &done_q);
	if (rc == BZ_OK)
		rc = case_count_done(b->db, b->yf, b->ql, &done_y);
	/* 기한 넘김: the backlog overdue at the period's end; and, for the year so
	 * far, the cases that fell due in it and were not done by their deadline */
	const char *upto = strcmp(b->today, b->ql) < 0 ? b->today : b->ql;
	if (rc == BZ_OK)
		rc = db_int1f(b->db, SQL_OVERDUE_AT_END, 0, &late_q, "t", upto);
	if (rc == BZ_OK)
		rc = db_int1f(b->db, SQL_OVERDUE_BETWEEN, 0, &late_y, "ttt", b->yf, b->ql, upto);
	if (rc != BZ_OK)
		return rc;
	json_t *pace = progress_pace(b, done_y);
	json_t *href_q =
	    link_fact("cases_done", json_pack("{s:s, s:s}", "from", b->qf, "to", b->ql));
	json_t *href_y =
	    link_fact("cases_done", json_pack("{s:s, s:s}", "from", b->yf, "to", b->ql));
	json_object_set_new(b->m, "cases",
	                    json_pack("{s:{s:I, s:I}, s:{s:I, s:I, s:o, s:o}, s:{s:I, s:I}, s:o}",
	                              "received", "quarter", (json_int_t)recv_q, "ytd",
	                              (json_int_t)recv_y, "done", "quarter", (json_int_t)done_q,
	                              "ytd", (json_int_t)done_y, "href_quarter", href_q, "href_ytd",
	                              href_y, "overdue", "quarter", (json_int_t)late_q, "ytd",
	                              (json_int_t)late_y, "pace", pace));
	return BZ_OK;
}

/* working days to close, for the cases closed in the quarter */
static bz_rc progress_close_days(struct progress_build *b)
{
	sqlite3_stmt *st = db_stmt(b->db, SQL_CLOSED_DAYS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, b->qf);
	db_bind_text(st, 2, b->ql);
	int32_t *days = NULL;
	size_t n = 0, cap = 0;
	int64_t sum = 0;
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW) {
		int32_t a, d;
		if (date_parse(db_col_text(st, 0), &a, NULL) != BZ_OK ||
		    date_parse(db_col_text(st, 1), &d, NULL) != BZ_OK)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int32_t *nd = realloc(days, nc * sizeof(*nd));
			if (nd == NULL) {
				sqlite3_reset(st);
				free(days);
				return BZ_ERR_NOMEM;
			}
			days = nd;
			cap = nc;
		}
		days[n] = workday_between(&b->h, a, d);
		sum += days[n];
		n++;
	}
	bz_rc rc = db_rows_end(b->db, st, sr, "progress close days");
	if (rc != BZ_OK) {
		free(days);
		return rc;
	}
	char avg[32] = "–", med[32] = "–";
	if (n) {
		int64_t avg_t = (sum * 20 + (int64_t)n) / (2 * (int64_t)n); /* tenths, half up */
		card_tenths_text(avg_t, avg, sizeof(avg));
		card_tenths_text(card_median_tenths(days, n), med, sizeof(med));
	}
	free(days);
	json_object_set_new(
	    b->m, "close_days",
	    json_pack("{s:I, s:s, s:s}", "cases", (json_int_t)n, "average", avg, "median", med));
	return BZ_OK;
}

/* activities by card row: this quarter against the same quarter a year earlier */
static bz_rc progress_activities(struct progress_build *b)
{
	char pf[DATE_TEXT_SIZE], pl[DATE_TEXT_SIZE];
	quarter_bounds(b->year - 1, b->quarter, pf, pl);
	struct counts cq, cp;
	bz_rc rc;
	if ((rc = card_count_rows(b->db, b->year, 1, b->qf, b->ql, &cq)) != BZ_OK ||
	    (rc = card_count_rows(b->db, b->year - 1, 1, pf, pl, &cp)) != BZ_OK)
		return rc;
	json_t *acts = json_array();
	for (int r = 0; r < R_N; r++) {
		if (r == R_GRANT)
			continue;
		int64_t a = cq.v[0][r], p = cp.v[0][r];
		char d[32];
		if (a == p)
			bz_strlcpy(d, "0", sizeof(d));
		else
			snprintf(d, sizeof(d), "%+lld", (long long)(a - p));
		json_array_append_new(acts, json_pack("{s:s, s:s, s:I, s:I, s:s}", "key",
		                                      card_row_defs[r].key, "label",
		                                      card_row_defs[r].label, "this", (json_int_t)a,
		                                      "last", (json_int_t)p, "diff", d));
	}
	char lastlabel[32];
	snprintf(lastlabel, sizeof(lastlabel), "%d년 %d분기", b->year - 1, b->quarter);
	json_object_set_new(b->m, "activities",
	                    json_pack("{s:o, s:s}", "rows", acts, "last_label", lastlabel));
	return BZ_OK;
}

/* grants of the year by status, and those selected in the quarter */
static bz_rc progress_grants(struct progress_build *b)
{
	sqlite3_stmt *st = db_stmt(b->db, SQL_GRANTS_YEAR);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, b->year);
	db_bind_text(st, 2, b->qf);
	db_bind_text(st, 3, b->ql);
	static const char *const gst[][2] = {
	    {"applied", "신청"}, {"selected", "선정"}, {"done", "완료"}, {"cancelled", "취소"}};
	int64_t gc[4] = {0}, gt[4] = {0}, gsel = 0;
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW)
		for (int k = 0; k < 4; k++)
			if (strcmp(db_col_text(st, 0), gst[k][0]) == 0) {
				gc[k] = sqlite3_column_int64(st, 1);
				gt[k] = sqlite3_column_int64(st, 2);
				gsel += sqlite3_column_int64(st, 3);
			}
	bz_rc rc = db_rows_end(b->db, st, sr, "progress grants");
	if (rc != BZ_OK)
		return rc;
	json_t *grows = json_array();
	for (int k = 0; k < 4; k++) {
		json_t *g = json_pack("{s:s, s:s, s:I}", "status", gst[k][0], "label", gst[k][1],
		                      "count", (json_int_t)gc[k]);
		card_money_set(g, "total", gt[k]);
		json_array_append_new(grows, g);
	}
	json_object_set_new(b->m, "grants",
	                    json_pack("{s:o, s:I, s:I}", "rows", grows, "selected_in_quarter",
	                              (json_int_t)gsel, "sites", (json_int_t)(gc[1] + gc[2])));
	return BZ_OK;
}

/* budget executed in the quarter, per source */
static bz_rc progress_budget(struct progress_build *b)
{
	sqlite3_stmt *st = db_stmt(b->db, SQL_EXEC_BETWEEN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, b->program_id);
	db_bind_text(st, 2, b->qf);
	db_bind_text(st, 3, b->ql);
	int64_t ex[NSRC] = {0}, ext = 0;
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW) {
		int s = card_src_index(db_col_text(st, 0));
		if (s >= 0) {
			ex[s] = sqlite3_column_int64(st, 1);
			if (money_add(ext, ex[s], &ext) != BZ_OK)
				ext = 0;
		}
	}
	bz_rc rc = db_rows_end(b->db, st, sr, "progress executions");
	if (rc != BZ_OK)
		return rc;
	json_t *brows = json_array();
	for (int s = 0; s < NSRC; s++) {
		if (ex[s] == 0)
			continue;
		json_t *o = json_pack("{s:s}", "label", program_label("source", card_sources[s]));
		card_money_set(o, "executed", ex[s]);
		char w[MONEY_TEXT_SIZE];
		money_format_won(ex[s], w, sizeof(w));
		json_object_set_new(o, "executed_won", json_string(w));
		json_array_append_new(brows, o);
	}
	json_t *bt = json_pack("{s:o}", "rows", brows);
	card_money_set(bt, "executed", ext);
	char w[MONEY_TEXT_SIZE];
	money_format_won(ext, w, sizeof(w));
	json_object_set_new(bt, "executed_won", json_string(w));
	json_object_set_new(b->m, "budget", bt);
	return BZ_OK;
}

/* red-flag cases and the overdue backlog, as they stood at the period's end */
static bz_rc progress_red_cases(struct progress_build *b)
{
	const char *upto = strcmp(b->today, b->ql) < 0 ? b->today : b->ql;
	json_t *red = NULL, *late = NULL;
	bz_rc rc;
	if ((rc = period_cases(b->db, SQL_RED_CASES, upto, &red)) != BZ_OK)
		return rc;
	if ((rc = period_cases(b->db, SQL_OVERDUE_CASES_AT_END, upto, &late)) != BZ_OK) {
		json_decref(red);
		return rc;
	}
	json_object_set_new(b->m, "red_cases", red);
	json_object_set_new(b->m, "overdue_cases", late);
	json_object_set_new(b->m, "period_end", json_string(upto));
	return BZ_OK;
}

bz_rc progress_model(struct db *db, int64_t program_id, int year, int quarter, const char *today,
                     json_t **out)
{
	struct progress_build b = {
	    .db = db, .program_id = program_id, .year = year, .quarter = quarter, .today = today};
	workday_holidays_init(&b.h);
	bz_rc rc;
	if ((rc = program_get(db, program_id, &b.p)) != BZ_OK)
		goto out;
	if ((rc = target_list(db, program_id, &b.targets)) != BZ_OK ||
	    (rc = roadmap_tasks(db, program_id, &b.tasks)) != BZ_OK ||
	    (rc = holiday_set_load(db, &b.h)) != BZ_OK)
		goto out;
	char dummy[DATE_TEXT_SIZE];
	quarter_bounds(year, quarter, b.qf, b.ql);
	quarter_bounds(year, 1, b.yf, dummy);
	progress_head(&b);
	if ((rc = progress_cases(&b)) != BZ_OK || (rc = progress_close_days(&b)) != BZ_OK ||
	    (rc = progress_activities(&b)) != BZ_OK || (rc = progress_grants(&b)) != BZ_OK ||
	    (rc = progress_budget(&b)) != BZ_OK)
		goto out;
	json_object_set_new(
	    b.m, "roadmap",
	    card_roadmap_grid(b.tasks, json_string_value(json_object_get(b.p, "first_quarter")),
	                      json_string_value(json_object_get(b.p, "last_quarter")), year,
	                      quarter));
	if ((rc = progress_red_cases(&b)) != BZ_OK)
		goto out;
	*out = b.m;
	b.m = NULL;
out:
	workday_holidays_free(&b.h);
	json_decref(b.m);
	json_decref(b.p);
	json_decref(b.targets);
	json_decref(b.tasks);
	return rc;
}

bz_rc progress_pace_model(struct db *db, int64_t program_id, int year, int quarter,
                          const char *today, json_t **out)
{
	struct progress_build b = {
	    .db = db, .program_id = program_id, .year = year, .quarter = quarter, .today = today};
	workday_holidays_init(&b.h);
	bz_rc rc;
	if ((rc = program_get(db, program_id, &b.p)) != BZ_OK ||
	    (rc = target_list(db, program_id, &b.targets)) != BZ_OK)
		goto out;
	char dummy[DATE_TEXT_SIZE];
	quarter_bounds(year, quarter, b.qf, b.ql);
	quarter_bounds(year, 1, b.yf, dummy);
	progress_head(&b);
	if ((rc = progress_cases(&b)) != BZ_OK)
		goto out;
	*out = b.m;
	b.m = NULL;
out:
	workday_holidays_free(&b.h);
	json_decref(b.m);
	json_decref(b.p);
	json_decref(b.targets);
	return rc;
}
