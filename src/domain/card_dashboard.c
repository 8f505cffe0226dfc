/* The executive dashboard. See include/bizsos/card.h. */
#include "card_internal.h"
#include "bizsos/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* As of the day ?1: a case closed (done, transferred, withdrawn) after ?1
 * was still open on ?1, and one received after ?1 was not there yet. */
#define OPEN_ON_DAY "(s.status IN ('received', 'reviewing', 'in_progress') OR s.closed_on > ?1)"
static const char SQL_OVERDUE_NOW[] =
    "SELECT count(*) FROM sos_case s WHERE s.merged_into IS NULL AND s.received_on <= ?1"
    " AND " OPEN_ON_DAY " AND COALESCE(s.extended_due_on, s.due_on) < ?1";
static const char SQL_CASES_BY_CATEGORY[] =
    "SELECT c.name, count(s.id), COALESCE(sum(" OPEN_ON_DAY "), 0) FROM case_category c"
    " LEFT JOIN sos_case s ON s.category_id = c.id AND s.merged_into IS NULL"
    " AND s.received_on <= ?1"
    " WHERE c.retired_at IS NULL OR s.id IS NOT NULL GROUP BY c.id ORDER BY c.sort, c.id";
/* an open case's status on ?1 is not recorded: a case still open then counts
 * as 처리중 */
static const char SQL_CASES_BY_STATUS[] =
    "SELECT CASE WHEN s.closed_on > ?1 THEN 'in_progress' ELSE s.status END, count(*)"
    " FROM sos_case s WHERE s.merged_into IS NULL AND s.received_on <= ?1 GROUP BY 1";
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
	if ((rc = card_budget_load(db, program_id, fy, last_year - fy + 1, 2100, today, &b)) !=
	    BZ_OK)
		goto out;
	bool of = false;
	/* the gauges count the years up to today's (the card's 확보 and 집행 as of
	 * the same day): money secured for a later year is not yet the rate's */
	int today_year = atoi(today);
	json_t *gauges = json_array();
	for (int s = -1; s < NSRC; s++) {
		if (s >= 0 && !b.has[s])
			continue;
		int64_t sec = 0, exe = 0;
		for (int y = 0; y <= YEARS_MAX; y++) {
			/* y: a year of the term by its index, or YEARS_MAX for after it */
			bool counted =
			    y == YEARS_MAX ? today_year > last_year : fy + y <= today_year;
			if (counted && (money_add(sec, card_bsum(b.sec, s, y, &of), &sec) ||
			                money_add(exe, card_bsum(b.exe, s, y, &of), &exe)))
				of = true;
		}
		json_t *g =
		    json_pack("{s:s, s:s, s:o}", "key", s < 0 ? "total" : card_sources[s], "label",
		              s < 0 ? "전체" : program_label("source", card_sources[s]), "rate",
		              card_rate_json(rate_tenths(exe, sec)));
		card_money_set(g, "secured", sec);
		card_money_set(g, "executed", exe);
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
			json_t *o = json_pack("{s:s, s:s}", "source", card_sources[s], "label",
			                      program_label("source", card_sources[s]));
			card_money_set(o, "planned", b.plan[s][y]);
			card_money_set(o, "secured", b.sec[s][y]);
			card_money_set(o, "executed", b.exe[s][y]);
			json_object_set_new(o, "exec_rate",
			                    card_rate_json(rate_tenths(b.exe[s][y], b.sec[s][y])));
			json_array_append_new(srcs, o);
		}
		char l[16];
		if (y == YEARS_MAX)
			bz_strlcpy(l, "임기후", sizeof(l));
		else
			snprintf(l, sizeof(l), "%d년", fy + y);
		json_t *yo = json_pack("{s:s, s:o}", "label", l, "sources", srcs);
		card_money_set(yo, "planned", card_bsum(b.plan, -1, y, &of));
		card_money_set(yo, "secured", card_bsum(b.sec, -1, y, &of));
		card_money_set(yo, "executed", card_bsum(b.exe, -1, y, &of));
		json_object_set_new(yo, "exec_rate",
		                    card_rate_json(rate_tenths(card_bsum(b.exe, -1, y, &of),
		                                               card_bsum(b.sec, -1, y, &of))));
		json_array_append_new(years, yo);
	}
	json_object_set_new(m, "budget_years", years);
	if (of) { /* a sum past int64 won: no figure rather than a wrong one */
		rc = BZ_ERR_TOOLARGE;
		goto out;
	}
	/* a period not over on the day counts its cases up to the day */
	json_t *t;
	size_t ti;
	json_array_foreach(targets, ti, t)
	{
		const char *first = json_string_value(json_object_get(t, "first"));
		const char *last = json_string_value(json_object_get(t, "last"));
		if (!json_is_integer(json_object_get(t, "actual")) || !first || !last ||
		    strcmp(last, today) <= 0)
			continue;
		int64_t actual = 0;
		if (strcmp(first, today) <= 0 &&
		    (rc = cases_done_between(db, first, today, &actual)) != BZ_OK)
			goto out;
		char txt[32];
		snprintf(txt, sizeof(txt), "%lld", (long long)actual);
		json_object_set_new(t, "actual", json_integer(actual));
		json_object_set_new(t, "actual_text", json_string(txt));
		json_object_set_new(t, "achievement",
		                    card_rate_json(rate_achievement(
		                        actual, json_integer_value(json_object_get(t, "value")))));
	}
	json_object_set_new(m, "targets", targets);
	targets = NULL;

	/* cases */
	sqlite3_stmt *st = db_stmt(db, SQL_CASES_BY_STATUS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, today);
	/* in the order of the case's life: the statuses and labels are the case module's */
	const char *const *statuses = case_statuses;
	enum { NSTATUS = 6 };
	int64_t sc[NSTATUS] = {0};
	int sr;
	while ((sr = db_step(st)) == SQLITE_ROW)
		for (int k = 0; k < NSTATUS && statuses[k]; k++)
			if (strcmp(db_col_text(st, 0), statuses[k]) == 0)
				sc[k] = sqlite3_column_int64(st, 1);
	if ((rc = db_rows_end(db, st, sr, "dashboard cases by status")) != BZ_OK)
		goto out;
	json_t *by_status = json_array();
	for (int k = 0; k < NSTATUS && statuses[k]; k++)
		json_array_append_new(by_status,
		                      json_pack("{s:s, s:s, s:I, s:s}", "status", statuses[k],
		                                "label", case_label("status", statuses[k]), "count",
		                                (json_int_t)sc[k], "href", ""));
	size_t i;
	json_t *o;
	json_array_foreach(by_status, i, o)
	{
		json_object_set_new(
		    o, "href",
		    link_fact("cases_status", json_pack("{s:s}", "status", statuses[i])));
	}
	json_object_set_new(m, "cases_by_status", by_status);
	st = db_stmt(db, SQL_CASES_BY_CATEGORY);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, today);
	json_t *by_cat = json_array();
	while ((sr = db_step(st)) == SQLITE_ROW)
		json_array_append_new(by_cat,
		                      json_pack("{s:s, s:I, s:I}", "label", db_col_text(st, 0),
		                                "count", (json_int_t)sqlite3_column_int64(st, 1),
		                                "open", (json_int_t)sqlite3_column_int64(st, 2)));
	if ((rc = db_rows_json(db, st, sr, "dashboard cases by category", by_cat, &by_cat)) !=
	    BZ_OK)
		goto out;
	json_object_set_new(m, "cases_by_category", by_cat);
	int64_t overdue = 0;
	rc = db_int1f(db, SQL_OVERDUE_NOW, 0, &overdue, "t", today);
	if (rc != BZ_OK)
		goto out;
	json_object_set_new(m, "overdue",
	                    json_pack("{s:I, s:o}", "count", (json_int_t)overdue, "href",
	                              link_fact("cases_overdue_filter", NULL)));
	*out = m;
	m = NULL;
	rc = BZ_OK;
out:
	json_decref(m);
	json_decref(p);
	json_decref(targets);
	return rc;
}
