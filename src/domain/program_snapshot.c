/* Published cards (snapshots) and quarter sign-offs. See include/bizsos/program.h. */
#include "program_internal.h"
#include "bizsos/card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_SNAP_INSERT[] =
    "INSERT INTO card_snapshot (program_id, year, quarter, published_at, published_by, model)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_SNAP_EXISTS[] =
    "SELECT 1 FROM card_snapshot WHERE program_id = ? AND year = ? AND quarter = ?";
static const char SQL_SNAPS[] =
    "SELECT s.id, s.year, s.quarter, s.published_at, COALESCE(u.name, '명령줄')"
    " FROM card_snapshot s LEFT JOIN app_user u ON u.id = s.published_by"
    " WHERE s.program_id = ? ORDER BY s.year DESC, s.quarter DESC";
static const char SQL_SNAP_GET[] =
    "SELECT s.id, s.program_id, s.year, s.quarter, s.published_at, COALESCE(u.name, '명령줄'),"
    " s.model FROM card_snapshot s LEFT JOIN app_user u ON u.id = s.published_by"
    " WHERE s.id = ?";
static const char SQL_SIGNOFF_INSERT[] =
    "INSERT INTO quarter_signoff (program_id, year, quarter, signed_at, signed_by, note,"
    " figures) VALUES (?, ?, ?, ?, ?, ?, ?)";
/* The sign-off in force: the latest one not withdrawn. */
static const char SQL_SIGNOFF_GET[] =
    "SELECT q.signed_at, COALESCE(u.name, '명령줄'), q.note, q.id, q.figures"
    " FROM quarter_signoff q LEFT JOIN app_user u ON u.id = q.signed_by"
    " WHERE q.program_id = ? AND q.year = ? AND q.quarter = ? AND NOT EXISTS"
    " (SELECT 1 FROM quarter_signoff_withdrawal w WHERE w.signoff_id = q.id)"
    " ORDER BY q.id DESC LIMIT 1";
static const char SQL_SIGNOFF_WITHDRAW[] =
    "INSERT INTO quarter_signoff_withdrawal (signoff_id, withdrawn_at, withdrawn_by, reason)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SIGNOFF_WITHDRAWN[] =
    "SELECT w.withdrawn_at, COALESCE(u.name, '명령줄'), w.reason, q.signed_at"
    " FROM quarter_signoff_withdrawal w JOIN quarter_signoff q ON q.id = w.signoff_id"
    " LEFT JOIN app_user u ON u.id = w.withdrawn_by"
    " WHERE q.program_id = ?1 AND q.year = ?2 AND q.quarter = ?3 ORDER BY w.signoff_id DESC";

/* ----------------------------------------------- snapshots, sign-offs -- */

bz_rc card_snapshot_publish(struct db *db, const struct user *actor, int64_t program_id, int year,
                            int quarter, json_t *model, int64_t *id_out)
{
	char *text = json_dumps(model, JSON_COMPACT);
	if (text == NULL)
		return BZ_ERR_NOMEM;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK) {
		free(text);
		return rc;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_SNAP_EXISTS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	bool exists = db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (exists) {
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	if ((rc = prog_prepare(db, SQL_SNAP_INSERT, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	db_bind_text(st, 4, now);
	if (actor && actor->id > 0)
		db_bind_int(st, 5, actor->id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, text);
	if ((rc = db_step_done(db, st, "snapshot insert")) != BZ_OK)
		goto out;
	int64_t id = db_last_id(db);
	char q[16];
	snprintf(q, sizeof(q), "%d-Q%d", year, quarter);
	if ((rc = prog_event(db, program_id, now, actor, "snapshot", id, "publish", "quarter", NULL,
	                     q, NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
	if (rc == BZ_OK && id_out)
		*id_out = id;
out:
	free(text);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc card_snapshots(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SNAPS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		char kst[32], label[32];
		fmt_instant_kst(db_col_text(st, 3), kst, sizeof(kst));
		snprintf(label, sizeof(label), "%d년 %d분기", sqlite3_column_int(st, 1),
		         sqlite3_column_int(st, 2));
		json_array_append_new(
		    a, json_pack("{s:I, s:i, s:i, s:s, s:s, s:s, s:s}", "id",
		                 (json_int_t)sqlite3_column_int64(st, 0), "year",
		                 sqlite3_column_int(st, 1), "quarter", sqlite3_column_int(st, 2),
		                 "label", label, "published_at", db_col_text(st, 3),
		                 "published_kst", kst, "published_by", db_col_text(st, 4)));
	}
	return db_rows_json(db, st, rc, "snapshots", a, out);
}

bz_rc card_snapshot_get(struct db *db, int64_t id, json_t **model, json_t **meta)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SNAP_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, rc, "snapshot");
	}
	json_error_t err;
	json_t *m = json_loads(db_col_text(st, 6), 0, &err);
	char kst[32], label[32];
	fmt_instant_kst(db_col_text(st, 4), kst, sizeof(kst));
	snprintf(label, sizeof(label), "%d년 %d분기", sqlite3_column_int(st, 2),
	         sqlite3_column_int(st, 3));
	json_t *md =
	    json_pack("{s:I, s:I, s:i, s:i, s:s, s:s, s:s, s:s}", "id",
	              (json_int_t)sqlite3_column_int64(st, 0), "program_id",
	              (json_int_t)sqlite3_column_int64(st, 1), "year", sqlite3_column_int(st, 2),
	              "quarter", sqlite3_column_int(st, 3), "label", label, "published_at",
	              db_col_text(st, 4), "published_kst", kst, "published_by", db_col_text(st, 5));
	sqlite3_reset(st);
	if (m == NULL) {
		json_decref(md);
		return BZ_ERR_DB;
	}
	*model = m;
	*meta = md;
	return BZ_OK;
}

bz_rc quarter_signoff(struct db *db, const struct user *actor, int64_t program_id, int year,
                      int quarter, const char *note, const char *today, json_t *fields)
{
	char qf[DATE_TEXT_SIZE], ql[DATE_TEXT_SIZE];
	if (year < 2000 || year > 2100 || quarter < 1 || quarter > 4) {
		val_field_error(fields, "quarter", "연도와 분기를 확인해 주세요.");
	} else {
		quarter_bounds(year, quarter, qf, ql);
		if (today == NULL || strcmp(today, ql) <= 0) {
			char m[200];
			snprintf(m, sizeof(m),
			         "%d년 %d분기는 %s에 끝납니다. 분기가 끝난 다음 날부터 확인할 수 "
			         "있습니다.",
			         year, quarter, ql);
			val_field_error(fields, "quarter", m);
		}
	}
	if (!val_text_ok(note, 1000))
		val_field_error(fields, "note", "의견은 1000자 이내로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *cur = NULL;
	if ((rc = quarter_signoff_get(db, program_id, year, quarter, &cur)) != BZ_OK)
		goto out;
	if (cur) {
		json_decref(cur);
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	if (!prog_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	/* the figures as signed: the progress page of that quarter, now */
	json_t *model = NULL;
	if ((rc = progress_model(db, program_id, year, quarter, today, &model)) != BZ_OK)
		goto out;
	json_t *frozen = progress_figures(model);
	json_decref(model);
	char *figures = frozen ? json_dumps(frozen, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(frozen);
	if (figures == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNOFF_INSERT);
	if (st == NULL) {
		free(figures);
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	db_bind_text(st, 4, now);
	if (actor && actor->id > 0)
		db_bind_int(st, 5, actor->id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, note);
	db_bind_text(st, 7, figures);
	rc = db_step_done(db, st, "signoff insert");
	free(figures);
	if (rc != BZ_OK)
		goto out;
	char q[16];
	snprintf(q, sizeof(q), "%d-Q%d", year, quarter);
	if ((rc = prog_event(db, program_id, now, actor, "signoff", db_last_id(db), "signoff",
	                     "quarter", NULL, q, note && *note ? note : NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc quarter_signoff_get(struct db *db, int64_t program_id, int year, int quarter, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNOFF_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		json_t *fig = NULL;
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			fig = json_loads(db_col_text(st, 4), 0, NULL);
		*out = json_pack("{s:s, s:s, s:s, s:o, s:I, s:o}", "signed_at", db_col_text(st, 0),
		                 "signed_kst", kst, "by", db_col_text(st, 1), "note",
		                 db_col_json(st, 2), "id", (json_int_t)sqlite3_column_int64(st, 3),
		                 "figures", fig ? fig : json_null());
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		json_decref(*out);
		*out = NULL;
		return db_rc(db, rc, "signoff");
	}
	return BZ_OK;
}

bz_rc quarter_signoff_withdraw(struct db *db, const struct user *actor, int64_t program_id,
                               int year, int quarter, const char *reason, json_t *fields)
{
	if (val_blank(reason) || !val_text_ok(reason, 1000))
		val_field_error(fields, "reason", "철회 사유를 1000자 이내로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *cur = NULL;
	if ((rc = quarter_signoff_get(db, program_id, year, quarter, &cur)) != BZ_OK)
		goto out;
	if (cur == NULL) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	int64_t sid = json_integer_value(json_object_get(cur, "id"));
	json_decref(cur);
	char now[24], q[16];
	db_now_utc(now);
	if (actor && actor->id > 0)
		rc = db_execf(db, SQL_SIGNOFF_WITHDRAW, "itit", sid, now, actor->id, reason);
	else
		rc = db_execf(db, SQL_SIGNOFF_WITHDRAW, "itnt", sid, now, reason);
	if (rc != BZ_OK)
		goto out;
	snprintf(q, sizeof(q), "%d-Q%d", year, quarter);
	rc = prog_event(db, program_id, now, actor, "signoff", sid, "withdraw", "quarter", q, NULL,
	                reason);
	if (rc == BZ_OK)
		rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc quarter_signoff_withdrawals(struct db *db, int64_t program_id, int year, int quarter,
                                  json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNOFF_WITHDRAWN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		char kst[32], skst[32];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		fmt_instant_kst(db_col_text(st, 3), skst, sizeof(skst));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "withdrawn_kst", kst,
		                                   "by", db_col_text(st, 1), "reason",
		                                   db_col_text(st, 2), "signed_kst", skst));
	}
	return db_rows_json(db, st, rc, "signoff withdrawals", a, out);
}
