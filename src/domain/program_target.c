/* Program targets and their actuals. See include/bizsos/program.h. */
#include "program_internal.h"
#include "bizsos/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_TARGETS[] =
    "SELECT id, indicator, metric, period, value, unit, version FROM target"
    " WHERE program_id = ? AND retired_at IS NULL ORDER BY indicator, period";
static const char SQL_TARGET_FIND[] =
    "SELECT id, value FROM target WHERE program_id = ? AND indicator = ? AND period = ?"
    " AND retired_at IS NULL";
static const char SQL_TARGET_INSERT[] =
    "INSERT INTO target (program_id, indicator, metric, period, value, unit)"
    " VALUES (?, ?, ?, ?, ?, '건')";
static const char SQL_TARGET_UPDATE[] =
    "UPDATE target SET value = ?, version = version + 1 WHERE id = ?";
static const char SQL_TARGET_GET[] =
    "SELECT program_id, indicator, period, value FROM target WHERE id = ? AND retired_at IS NULL";
static const char SQL_TARGET_RETIRE[] = "UPDATE target SET retired_at = ? WHERE id = ?";

/* ------------------------------------------------------------- targets -- */

bz_rc cases_done_between(struct db *db, const char *first, const char *last, int64_t *out)
{
	/* one definition, shared with the case list the targets link to */
	return case_count_done(db, first, last, out);
}

bz_rc target_list(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TARGETS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		char first[DATE_TEXT_SIZE] = "", last[DATE_TEXT_SIZE] = "", label[32];
		const char *period = db_col_text(st, 3);
		target_period_bounds(period, first, last);
		target_period_label(period, label, sizeof(label));
		json_array_append_new(
		    a,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "indicator",
		              db_col_text(st, 1), "metric", db_col_text(st, 2), "period", period,
		              "period_label", label, "first", first, "last", last, "value",
		              (json_int_t)sqlite3_column_int64(st, 4), "unit", db_col_text(st, 5),
		              "version", (json_int_t)sqlite3_column_int64(st, 6)));
	}
	bz_rc r = db_rows_json(db, st, rc, "targets", a, &a);
	if (r != BZ_OK)
		return r;
	size_t i;
	json_t *t;
	json_array_foreach(a, i, t)
	{
		const char *metric = json_string_value(json_object_get(t, "metric"));
		int64_t value = json_integer_value(json_object_get(t, "value"));
		if (strcmp(metric, "cases_done") != 0) {
			json_object_set_new(t, "actual", json_null());
			json_object_set_new(t, "actual_text", json_string("–"));
			json_object_set_new(t, "achievement",
			                    prog_rate_json(rate_achievement(0, 0)));
			continue;
		}
		const char *first = json_string_value(json_object_get(t, "first"));
		const char *last = json_string_value(json_object_get(t, "last"));
		int64_t actual = 0;
		if ((r = cases_done_between(db, first, last, &actual)) != BZ_OK) {
			json_decref(a);
			return r;
		}
		char txt[32];
		snprintf(txt, sizeof(txt), "%lld", (long long)actual);
		json_t *href =
		    link_fact("cases_done", json_pack("{s:s, s:s}", "from", first, "to", last));
		json_object_set_new(t, "actual", json_integer(actual));
		json_object_set_new(t, "actual_text", json_string(txt));
		json_object_set_new(t, "achievement",
		                    prog_rate_json(rate_achievement(actual, value)));
		json_object_set_new(t, "cases_href", href);
	}
	*out = a;
	return BZ_OK;
}

static bool parse_count(const char *s, int64_t *out)
{
	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return false;
	int64_t v = 0;
	for (; *s && *s != ' '; s++) {
		if (*s == ',')
			continue;
		if (*s < '0' || *s > '9' || v > 100000000)
			return false;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	if (*s)
		return false;
	*out = v;
	return true;
}

bz_rc target_save(struct db *db, const struct user *actor, int64_t program_id,
                  const char *indicator, const char *period, const char *value_text, json_t *fields)
{
	char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
	int64_t value = 0;
	if (val_blank_wide(indicator) || !val_text_ok(indicator, 100))
		val_field_error(fields, "indicator", "지표명을 100자 이내로 입력해 주세요.");
	if (!target_period_bounds(period, first, last))
		val_field_error(fields, "period",
		                "기간은 2024 (연도) 또는 2026-06 (그 해 1월부터 그 달까지) "
		                "형식으로 적어 주세요.");
	if (!parse_count(value_text, &value))
		val_field_error(fields, "value", "목표는 0 이상의 정수로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24], ov[32] = "", nv[32];
	db_now_utc(now);
	snprintf(nv, sizeof(nv), "%lld", (long long)value);
	int64_t id = 0;
	sqlite3_stmt *st;
	if (!prog_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = prog_prepare(db, SQL_TARGET_FIND, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, indicator);
	db_bind_text(st, 3, period);
	if (db_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(ov, sizeof(ov), "%lld", (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	if (id && strcmp(ov, nv) == 0) {
		rc = db_commit(db);
		goto out;
	}
	if (id) {
		if ((rc = prog_prepare(db, SQL_TARGET_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, value);
		db_bind_int(st, 2, id);
	} else {
		if ((rc = prog_prepare(db, SQL_TARGET_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_text(st, 2, indicator);
		db_bind_text(st, 3, strstr(indicator, "처리") ? "cases_done" : "manual");
		db_bind_text(st, 4, period);
		db_bind_int(st, 5, value);
	}
	if ((rc = db_step_done(db, st, "target save")) != BZ_OK)
		goto out;
	if (!id)
		id = db_last_id(db);
	char field[160];
	snprintf(field, sizeof(field), "%s %s", indicator, period);
	if ((rc = prog_event(db, program_id, now, actor, "target", id, ov[0] ? "update" : "create",
	                     field, ov[0] ? ov : NULL, nv, NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc target_retire(struct db *db, const struct user *actor, int64_t target_id)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_TARGET_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, target_id);
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	int64_t program_id = sqlite3_column_int64(st, 0);
	char field[160], ov[32];
	snprintf(field, sizeof(field), "%s %s", db_col_text(st, 1), db_col_text(st, 2));
	snprintf(ov, sizeof(ov), "%lld", (long long)sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	char now[24];
	db_now_utc(now);
	if ((rc = prog_retire_stmt(db, SQL_TARGET_RETIRE, now, target_id, &st)) != BZ_OK)
		goto out;
	if ((rc = db_step_done(db, st, "target retire")) != BZ_OK)
		goto out;
	if ((rc = prog_event(db, program_id, now, actor, "target", target_id, "retire", field, ov,
	                     NULL, NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
