/* What the program_*.c files share: the event writer, the program's version,
 * the one save of a program's own rows, and small field checks. */
#include "program_internal.h"
#include "bizsos/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_PROGRAM_VERSION[] =
    "SELECT version FROM program WHERE id = ? AND retired_at IS NULL";
static const char SQL_PROGRAM_TOUCH[] =
    "UPDATE program SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
static const char SQL_EVENT[] =
    "INSERT INTO program_event (program_id, at, actor_id, object, object_id, kind, field, old,"
    " new, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* ------------------------------------------------------------ helpers -- */

bz_rc prog_event(struct db *db, int64_t program_id, const char *at, const struct user *actor,
                 const char *object, int64_t object_id, const char *kind, const char *field,
                 const char *old, const char *new_value, const char *note)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, at);
	if (actor && actor->id > 0)
		db_bind_int(st, 3, actor->id);
	else
		sqlite3_bind_null(st, 3);
	db_bind_text(st, 4, object);
	if (object_id > 0)
		db_bind_int(st, 5, object_id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, kind);
	db_bind_text(st, 7, field);
	db_bind_text(st, 8, old);
	db_bind_text(st, 9, new_value);
	db_bind_text(st, 10, note);
	return db_step_done(db, st, "program event");
}

bool prog_exists(struct db *db, int64_t id, int64_t *version)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_VERSION);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool ok = db_step(st) == SQLITE_ROW;
	if (ok && version)
		*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return ok;
}

bz_rc prog_touch(struct db *db, int64_t id, const char *now)
{
	int64_t v = 0;
	if (!prog_exists(db, id, &v))
		return BZ_ERR_NOTFOUND;
	return prog_touch_version(db, id, v, now);
}

bz_rc prog_touch_version(struct db *db, int64_t id, int64_t version, const char *now)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_TOUCH);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, version);
	return db_step_done(db, st, "touch program");
}

/* A missing prepared statement is a database error. */
bz_rc prog_prepare(struct db *db, const char *sql, sqlite3_stmt **st)
{
	*st = db_stmt(db, sql);
	return *st ? BZ_OK : BZ_ERR_DB;
}

/* Steps get_sql bound (row_id, program_id) onto its row: BZ_OK leaves the row
 * on *st for the caller to read and reset; no such row of that program is
 * BZ_ERR_NOTFOUND. */
bz_rc prog_row(struct db *db, const char *get_sql, int64_t row_id, int64_t program_id,
               sqlite3_stmt **st)
{
	bz_rc rc = prog_prepare(db, get_sql, st);
	if (rc != BZ_OK)
		return rc;
	db_bind_int(*st, 1, row_id);
	db_bind_int(*st, 2, program_id);
	if (db_step(*st) != SQLITE_ROW) {
		sqlite3_reset(*st);
		return BZ_ERR_NOTFOUND;
	}
	return BZ_OK;
}

/* Every retire statement sets retired_at = now on one row id. */
bz_rc prog_retire_stmt(struct db *db, const char *sql, const char *now, int64_t row_id,
                       sqlite3_stmt **st)
{
	bz_rc rc = prog_prepare(db, sql, st);
	if (rc == BZ_OK) {
		db_bind_text(*st, 1, now);
		db_bind_int(*st, 2, row_id);
	}
	return rc;
}

bz_rc prog_child_save(struct db *db, const struct user *actor, const struct prog_child *k,
                      int64_t program_id, int64_t row_id, bool retire, const char *field,
                      const void *in, json_t *fields)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	struct buf ob, nb; /* the event's old and new texts, whole */
	buf_init(&ob, 0);
	buf_init(&nb, 0);
	const char *old = "", *nw = "";
	db_now_utc(now);
	sqlite3_stmt *st = NULL;
	/* The program must exist; row_id > 0 names an existing row of it; a new row
	 * cannot be retired. */
	if (!prog_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if (row_id > 0) {
		if ((rc = prog_row(db, k->get_sql, row_id, program_id, &st)) != BZ_OK)
			goto out;
		k->describe_row(st, &ob);
		sqlite3_reset(st);
		if ((old = buf_cstr(&ob)) == NULL) {
			rc = BZ_ERR_NOMEM;
			goto out;
		}
	} else if (retire) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if (!retire) {
		k->describe_new(in, &nb);
		if ((nw = buf_cstr(&nb)) == NULL) {
			rc = BZ_ERR_NOMEM;
			goto out;
		}
	}
	if (!retire && k->check && (rc = k->check(db, program_id, row_id, in, fields)) != BZ_OK)
		goto out;
	if (retire) {
		if ((rc = prog_retire_stmt(db, k->retire_sql, now, row_id, &st)) != BZ_OK)
			goto out;
	} else {
		if (row_id > 0 && k->skip_unchanged && strcmp(old, nw) == 0) {
			rc = db_commit(db);
			goto out;
		}
		if ((rc = prog_prepare(db, row_id > 0 ? k->update_sql : k->insert_sql, &st)) !=
		    BZ_OK)
			goto out;
		k->bind(st, row_id <= 0, program_id, row_id, in, now);
	}
	if ((rc = db_step_done(db, st, k->what)) != BZ_OK)
		goto out;
	if (row_id <= 0)
		row_id = db_last_id(db);
	rc = prog_event(db, program_id, now, actor, k->object, row_id,
	                retire ? "retire" : (old[0] ? "update" : "create"),
	                field ? field : k->field, old[0] ? old : NULL, nw[0] ? nw : NULL, NULL);
	if (rc != BZ_OK)
		goto out;
	if (k->touch && (rc = prog_touch(db, program_id, now)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	buf_free(&ob);
	buf_free(&nb);
	return rc;
}

json_t *prog_rate_json(struct rate r)
{
	char t[RATE_TEXT_SIZE];
	rate_format(r, t, sizeof(t));
	json_t *o = json_pack("{s:b, s:s}", "ok", r.ok, "text", t);
	if (r.ok)
		json_object_set_new(o, "tenths", json_integer(r.tenths));
	else
		json_object_set_new(o, "tenths", json_null());
	return o;
}

json_t *prog_won_json(json_t *o, const char *key, int64_t won)
{
	char m[MONEY_TEXT_SIZE], w[MONEY_TEXT_SIZE], k[64];
	money_format_million(won, m, sizeof(m));
	money_format_won(won, w, sizeof(w));
	json_object_set_new(o, key, json_integer(won));
	snprintf(k, sizeof(k), "%s_text", key);
	json_object_set_new(o, k, json_string(m));
	snprintf(k, sizeof(k), "%s_won", key);
	json_object_set_new(o, k, json_string(w));
	return o;
}
bool prog_quarter_text_ok(const char *s)
{
	int y, q;
	return s && strlen(s) == 7 && s[5] == 'Q' && quarter_parse(s, &y, &q);
}
