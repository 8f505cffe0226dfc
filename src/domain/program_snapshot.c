/* Published cards (snapshots) and quarter sign-offs. See include/bizsos/program.h. */
#include "program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_SNAP_INSERT[] =
    "INSERT INTO card_snapshot (program_id, year, quarter, published_at, published_by, model)"
    " VALUES (?, ?, ?, ?, ?, coalesce(?, ''))";
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
    "INSERT INTO quarter_signoff (program_id, year, quarter, signed_at, signed_by, note)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_SIGNOFF_GET[] =
    "SELECT q.signed_at, COALESCE(u.name, '명령줄'), q.note FROM quarter_signoff q"
    " LEFT JOIN app_user u ON u.id = q.signed_by"
    " WHERE q.program_id = ? AND q.year = ? AND q.quarter = ?";

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
                      int quarter, const char *note, json_t *fields)
{
	if (year < 2000 || year > 2100 || quarter < 1 || quarter > 4)
		val_field_error(fields, "quarter", "연도와 분기를 확인해 주세요.");
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
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNOFF_INSERT);
	if (st == NULL) {
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
	db_bind_text(st, 6, note ? note : "");
	if ((rc = db_step_done(db, st, "signoff insert")) != BZ_OK)
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
		*out =
		    json_pack("{s:s, s:s, s:s, s:s}", "signed_at", db_col_text(st, 0), "signed_kst",
		              kst, "by", db_col_text(st, 1), "note", db_col_text(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : db_rc(db, rc, "signoff");
}
