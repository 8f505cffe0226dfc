/* The pledge card's budget: the lines and executions of a program by year and
 * source, and the card's budget tables with their figures. */
#include "card_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_BUDGET[] =
    "SELECT l.year, l.source, l.planned, l.secured,"
    " COALESCE((SELECT sum(e.amount) FROM budget_execution e WHERE e.budget_line_id = l.id"
    "   AND e.retired_at IS NULL AND e.executed_on <= ?3), 0)"
    " FROM budget_line l WHERE l.program_id = ?1 AND l.retired_at IS NULL AND l.year <= ?2"
    " ORDER BY l.year";

/* Won rounded to whole millions, half up (the card's 백만원). */
static int64_t million(int64_t won)
{
	return won >= 0 ? (won + 500000) / 1000000 : -((-won + 500000) / 1000000);
}

/* -------------------------------------------------------------- budget -- */

const char *const card_sources[NSRC] = {"province", "city", "other", "national"};

int card_src_index(const char *s)
{
	for (int i = 0; i < NSRC; i++)
		if (strcmp(card_sources[i], s) == 0)
			return i;
	return -1;
}

bz_rc card_budget_load(struct db *db, int64_t program_id, int first_year, int nyears, int upto_year,
                       const char *upto_day, struct budget *b)
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
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int s = card_src_index(db_col_text(st, 1));
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
int64_t card_bsum(const int64_t (*m)[YEARS_MAX + 1], int s, int y, bool *overflow)
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
json_t *card_budget_tables(const struct budget *b, int last_quarter_of_term, json_t **figures)
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
		const char *label = s < 0 ? "계" : program_label("source", card_sources[s]);
		json_t *pc = json_array(), *ec = json_array();
		json_t *fps = json_object(), *fss = json_object(), *fes = json_object();
		for (int y = 0; y < b->nyears; y++) {
			bool present = b->year_has[y];
			int64_t p = card_bsum(b->plan, s, y, &of), q = card_bsum(b->sec, s, y, &of),
			        e = card_bsum(b->exe, s, y, &of);
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
		int64_t tp = card_bsum(b->plan, s, -1, &of), ts = card_bsum(b->sec, s, -1, &of),
		        te = card_bsum(b->exe, s, -1, &of);
		json_t *row = json_pack(
		    "{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "source",
		    s < 0 ? "total" : card_sources[s], "label", label, "is_total", s < 0, "plan",
		    amount_cell(tp, true), "secured", amount_cell(ts, true), "cells", pc,
		    "beyond_plan", amount_cell(card_bsum(b->plan, s, YEARS_MAX, &of), beyond),
		    "beyond_secured", amount_cell(card_bsum(b->sec, s, YEARS_MAX, &of), beyond),
		    "secure_rate", card_rate_json(rate_tenths(ts, tp)));
		json_array_append_new(plan_rows, row);
		json_array_append_new(
		    exec_rows, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}", "source",
		                         s < 0 ? "total" : card_sources[s], "label", label,
		                         "is_total", s < 0, "total", amount_cell(te, true), "cells",
		                         ec, "exec_rate", card_rate_json(rate_tenths(te, ts))));
		if (s >= 0) {
			json_object_set_new(fp, card_sources[s], fps);
			json_object_set_new(fs, card_sources[s], fss);
			json_object_set_new(fe, card_sources[s], fes);
		} else {
			json_decref(fps);
			json_decref(fss);
			json_decref(fes);
		}
	}
	int64_t tp = card_bsum(b->plan, -1, -1, &of), ts = card_bsum(b->sec, -1, -1, &of),
	        te = card_bsum(b->exe, -1, -1, &of);
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
	card_money_set(totals, "planned", tp);
	card_money_set(totals, "secured", ts);
	card_money_set(totals, "executed", te);
	json_object_set_new(totals, "exec_rate", card_rate_json(er));
	json_object_set_new(totals, "secure_rate", card_rate_json(sr));
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
