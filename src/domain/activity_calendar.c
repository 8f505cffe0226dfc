/* Activities by time: the month calendar, counts per type per year, and the
 * companies' founding anniversaries. See activity.h. */
#include "activity_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the month calendar --------------------------------------------------- */

static const char SQL_MONTH[] =
    "SELECT a.id, a.held_on, a.starts_at, a.ends_at, t.name, a.title, "
    "(SELECT group_concat(name, ', ') FROM (SELECT c.name FROM activity_company x JOIN company c "
    "ON c.id = x.company_id WHERE x.activity_id = a.id ORDER BY c.name)), "
    "(SELECT count(*) FROM activity_company x WHERE x.activity_id = a.id) "
    "FROM activity a JOIN activity_type t ON t.id = a.type_id "
    "WHERE a.retired_at IS NULL AND a.held_on >= ?1 AND a.held_on < ?2 "
    "ORDER BY a.held_on, coalesce(a.starts_at, '99:99'), a.id";

/* The holidays (not retired) in [?1, ?2): marked on the calendar. */
static const char SQL_MONTH_HOLIDAYS[] =
    "SELECT day, name FROM holiday WHERE retired_at IS NULL AND day >= ?1 AND day < ?2"
    " ORDER BY day";

/* The holidays of [from, to) as a new object {date: name}, or NULL when the
 * query failed (logged). */
static json_t *month_holidays(struct db *db, const char *from, const char *to)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MONTH_HOLIDAYS);
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_object_set_new(o, db_col_text(st, 0), json_string(db_col_text(st, 1)));
	if (db_rows_end(db, st, rc, "calendar holidays") != BZ_OK) {
		json_decref(o);
		return NULL;
	}
	return o;
}

bz_rc activity_calendar(struct db *db, int year, int month, const char *today, json_t **out)
{
	if (!date_valid_ymd(year, month, 1) || year < 2000)
		return BZ_ERR_INVALID;
	int32_t first = date_from_ymd(year, month, 1);
	int32_t last = first + date_days_in_month(year, month) - 1;
	int32_t start = first - (date_weekday(first) - 1);
	int32_t end = last + (7 - date_weekday(last));
	char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
	date_format(start, from, sizeof(from));
	date_format(end + 1, to, sizeof(to));
	sqlite3_stmt *st = db_stmt(db, SQL_MONTH);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	size_t ndays = (size_t)(end - start + 1);
	json_t **day_acts = calloc(ndays, sizeof(*day_acts));
	if (day_acts == NULL) {
		sqlite3_reset(st);
		return BZ_ERR_NOMEM;
	}
	for (size_t i = 0; i < ndays; i++)
		day_acts[i] = json_array();
	int src;
	int64_t total = 0;
	while ((src = db_step(st)) == SQLITE_ROW) {
		int32_t d;
		if (date_parse(db_col_text(st, 1), &d, NULL) != BZ_OK || d < start || d > end)
			continue;
		char tl[32], title[600];
		act_time_label((const char *)sqlite3_column_text(st, 2),
		               (const char *)sqlite3_column_text(st, 3), tl, sizeof(tl));
		act_row_title(db_col_text(st, 5), db_col_text(st, 6), sqlite3_column_int64(st, 7),
		              db_col_text(st, 4), title, sizeof(title));
		json_array_append_new(
		    day_acts[d - start],
		    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
		              "type", db_col_text(st, 4), "display_title", title, "time_text", tl));
		if (d >= first && d <= last)
			total++;
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		for (size_t i = 0; i < ndays; i++)
			json_decref(day_acts[i]);
		free(day_acts);
		return db_rc(db, src, "activity month");
	}
	json_t *holidays = month_holidays(db, from, to);
	if (holidays == NULL) {
		for (size_t i = 0; i < ndays; i++)
			json_decref(day_acts[i]);
		free(day_acts);
		return BZ_ERR_DB;
	}
	json_t *weeks = json_array();
	for (int32_t w = start; w <= end; w += 7) {
		json_t *days = json_array();
		for (int32_t d = w; d < w + 7; d++) {
			int y, m, dd;
			date_to_ymd(d, &y, &m, &dd);
			char date[DATE_TEXT_SIZE], label[64];
			date_format(d, date, sizeof(date));
			snprintf(label, sizeof(label), "%d월 %d일 (%s)", m, dd, date_weekday_ko(d));
			json_t *acts = day_acts[d - start];
			day_acts[d - start] = NULL;
			json_array_append_new(
			    days,
			    json_pack("{s:s, s:i, s:s, s:b, s:b, s:b, s:b, s:o, s:i}", "date", date,
			              "day", dd, "label", label, "in_month", m == month, "today",
			              today && strcmp(today, date) == 0, "weekend",
			              date_weekday(d) >= 6, "sunday", date_weekday(d) == 7,
			              "activities", acts, "count", (int)json_array_size(acts)));
			json_t *hn = json_object_get(holidays, date);
			json_t *day = json_array_get(days, json_array_size(days) - 1);
			json_object_set_new(day, "saturday", json_boolean(date_weekday(d) == 6));
			json_object_set_new(day, "holiday", hn ? json_incref(hn) : json_null());
		}
		json_array_append_new(weeks, json_pack("{s:o}", "days", days));
	}
	free(day_acts);
	json_decref(holidays);
	char title[32];
	snprintf(title, sizeof(title), "%d년 %d월", year, month);
	*out = json_pack("{s:i, s:i, s:s, s:{s:i, s:i}, s:{s:i, s:i}, s:o, s:I}", "year", year,
	                 "month", month, "title", title, "prev", "year",
	                 month == 1 ? year - 1 : year, "month", month == 1 ? 12 : month - 1, "next",
	                 "year", month == 12 ? year + 1 : year, "month",
	                 month == 12 ? 1 : month + 1, "weeks", weeks, "total", (json_int_t)total);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* ---- counts per type per year ---------------------------------------------- */

static const char SQL_STATS[] =
    "SELECT type_id, CAST(substr(held_on, 6, 2) AS INTEGER), count(*) FROM activity "
    "WHERE retired_at IS NULL AND held_on >= ?1 AND held_on < ?2 GROUP BY 1, 2";

bz_rc activity_stats(struct db *db, int year, json_t **out)
{
	char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
	if (!act_range_of(year, 0, from, to))
		return BZ_ERR_INVALID;
	json_t *types = NULL;
	bz_rc rc = activity_types(db, true, &types);
	if (rc != BZ_OK)
		return rc;
	size_t nt = json_array_size(types);
	int64_t(*counts)[13] = calloc(nt ? nt : 1, sizeof(*counts));
	if (counts == NULL) {
		json_decref(types);
		return BZ_ERR_NOMEM;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_STATS);
	if (st == NULL) {
		free(counts);
		json_decref(types);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int src;
	while ((src = db_step(st)) == SQLITE_ROW) {
		int64_t tid = sqlite3_column_int64(st, 0);
		int m = sqlite3_column_int(st, 1);
		for (size_t i = 0; i < nt && m >= 1 && m <= 12; i++)
			if (json_integer_value(json_object_get(json_array_get(types, i), "id")) ==
			    tid)
				counts[i][m] += sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		free(counts);
		json_decref(types);
		return db_rc(db, src, "activity stats");
	}
	json_t *rowsj = json_array();
	int64_t month_totals[13] = {0}, total = 0;
	for (size_t i = 0; i < nt; i++) {
		json_t *t = json_array_get(types, i);
		int64_t sum = 0;
		json_t *months = json_array();
		for (int m = 1; m <= 12; m++) {
			sum += counts[i][m];
			month_totals[m] += counts[i][m];
			json_array_append_new(months, json_integer(counts[i][m]));
		}
		total += sum;
		bool retired = json_is_true(json_object_get(t, "retired"));
		if (retired && sum == 0) {
			json_decref(months);
			continue;
		}
		/* the family total: the type itself and its sub-kinds */
		int64_t family = sum;
		json_int_t tid = json_integer_value(json_object_get(t, "id"));
		for (size_t j = 0; j < nt; j++) {
			json_t *u = json_array_get(types, j);
			if (json_integer_value(json_object_get(u, "parent_id")) == tid)
				for (int m = 1; m <= 12; m++)
					family += counts[j][m];
		}
		json_t *r =
		    json_pack("{s:I, s:O, s:O, s:O, s:O, s:o, s:I, s:I}", "type_id", tid, "name",
		              json_object_get(t, "name"), "label", json_object_get(t, "label"),
		              "card_row_label", json_object_get(t, "card_row_label"), "sub",
		              json_object_get(t, "sub"), "months", months, "total", (json_int_t)sum,
		              "family_total", (json_int_t)family);
		json_array_append_new(rowsj, r);
	}
	json_t *mt = json_array();
	for (int m = 1; m <= 12; m++)
		json_array_append_new(mt, json_integer(month_totals[m]));
	free(counts);
	json_decref(types);
	*out = json_pack("{s:i, s:o, s:o, s:I}", "year", year, "rows", rowsj, "month_totals", mt,
	                 "total", (json_int_t)total);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* ---- anniversaries -------------------------------------------------------- */

static const char SQL_FOUNDED[] =
    "SELECT id, name, brn, founded_on FROM company WHERE retired_at IS NULL "
    "AND founded_on IS NOT NULL";
static const char SQL_LETTER[] =
    "SELECT a.id FROM activity a JOIN activity_type t ON t.id = a.type_id "
    "JOIN activity_company x ON x.activity_id = a.id "
    "WHERE a.retired_at IS NULL AND t.code = 'anniversary_letter' AND x.company_id = ?1 "
    "AND a.held_on >= ?2 AND a.held_on <= ?3 ORDER BY a.held_on DESC LIMIT 1";

static int cmp_dday(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t dx = json_integer_value(json_object_get(x, "dday"));
	json_int_t dy = json_integer_value(json_object_get(y, "dday"));
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(json_string_value(json_object_get(x, "name")),
	              json_string_value(json_object_get(y, "name")));
}

bz_rc activity_anniversaries(struct db *db, const char *today, int days, json_t **out)
{
	int32_t t0;
	if (date_parse(today, &t0, NULL) != BZ_OK || days < 0 || days > 366)
		return BZ_ERR_INVALID;
	sqlite3_stmt *st = db_stmt(db, SQL_FOUNDED);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *found = json_array();
	int src;
	int ty, tm, td;
	date_to_ymd(t0, &ty, &tm, &td);
	while ((src = db_step(st)) == SQLITE_ROW) {
		int32_t f;
		if (date_parse(db_col_text(st, 3), &f, NULL) != BZ_OK)
			continue;
		int fy, fm, fd;
		date_to_ymd(f, &fy, &fm, &fd);
		for (int y = ty; y <= ty + 1; y++) {
			int dd = fd;
			if (fm == 2 && fd == 29 && !date_valid_ymd(y, 2, 29))
				dd = 28;
			if (!date_valid_ymd(y, fm, dd))
				continue;
			int32_t ann = date_from_ymd(y, fm, dd);
			int32_t dday = ann - t0;
			if (dday < 0 || dday > days || y <= fy)
				continue;
			char at[DATE_TEXT_SIZE], text[64], ddl[16], brn[BRN_FMT_SIZE];
			date_format(ann, at, sizeof(at));
			act_date_label(at, text, sizeof(text));
			if (dday > 0)
				snprintf(ddl, sizeof(ddl), "D-%d", (int)dday);
			else
				bz_strlcpy(ddl, "D-day", sizeof(ddl));
			brn_format(db_col_text(st, 2), brn, sizeof(brn));
			json_array_append_new(
			    found, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:n}",
			                     "company_id", (json_int_t)sqlite3_column_int64(st, 0),
			                     "name", db_col_text(st, 1), "brn_text", brn,
			                     "founded_on", db_col_text(st, 3), "anniversary_on", at,
			                     "anniversary_text", text, "years", y - fy, "dday",
			                     (int)dday, "dday_label", ddl, "letter_id"));
			break;
		}
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(found);
		return db_rc(db, src, "anniversaries");
	}
	size_t n = json_array_size(found);
	json_t **items = calloc(n ? n : 1, sizeof(*items));
	if (items == NULL) {
		json_decref(found);
		return BZ_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(found, i));
	qsort(items, n, sizeof(*items), cmp_dday);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *r = items[i];
		int32_t ann;
		date_parse(json_string_value(json_object_get(r, "anniversary_on")), &ann, NULL);
		char lo[DATE_TEXT_SIZE], hi[DATE_TEXT_SIZE];
		date_format(ann - 60, lo, sizeof(lo));
		date_format(ann + 30, hi, sizeof(hi));
		st = db_stmt(db, SQL_LETTER);
		if (st) {
			db_bind_int(st, 1, json_integer_value(json_object_get(r, "company_id")));
			db_bind_text(st, 2, lo);
			db_bind_text(st, 3, hi);
			if (db_step(st) == SQLITE_ROW)
				json_object_set_new(r, "letter_id",
				                    json_integer(sqlite3_column_int64(st, 0)));
			sqlite3_reset(st);
		}
		json_array_append_new(sorted, r);
	}
	free(items);
	json_decref(found);
	*out = sorted;
	return BZ_OK;
}
