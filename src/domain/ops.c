/* Operations: backup records and the deep health summary. See ops.h. */
#include "bizsos/ops.h"
#include "bizsos/kst.h"

#include <stdio.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO backup_run (started_at, finished_at, path, ok, db_bytes, files, file_bytes,"
    " message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_LAST_GOOD[] =
    "SELECT finished_at, path, db_bytes, files, file_bytes FROM backup_run WHERE ok = 1"
    " ORDER BY id DESC LIMIT 1";
static const char SQL_RECENT[] =
    "SELECT finished_at, path, ok, db_bytes, files, file_bytes, COALESCE(message, '')"
    " FROM backup_run ORDER BY id DESC LIMIT ?1";
static const char SQL_PING[] = "SELECT count(*) FROM privacy_access";

bz_rc ops_backup_record(struct db *db, const char *started_at, const char *path, bool ok,
                        const struct backup_stats *st, const char *message)
{
	sqlite3_stmt *s = db_stmt(db, SQL_INSERT);
	if (s == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_text(s, 1, started_at);
	db_bind_text(s, 2, now);
	db_bind_text(s, 3, path);
	db_bind_int(s, 4, ok ? 1 : 0);
	db_bind_int(s, 5, st ? st->db_bytes : 0);
	db_bind_int(s, 6, st ? st->files : 0);
	db_bind_int(s, 7, st ? st->file_bytes : 0);
	db_bind_text(s, 8, message && *message ? message : NULL);
	int r = db_step(s);
	sqlite3_reset(s);
	return db_rc(db, r, "backup record");
}

/* "1.2 MB" style size. */
static void size_text(int64_t bytes, char *out, size_t outlen)
{
	if (bytes >= 1024 * 1024)
		snprintf(out, outlen, "%lld.%lld MB", (long long)(bytes / (1024 * 1024)),
		         (long long)(bytes % (1024 * 1024) * 10 / (1024 * 1024)));
	else if (bytes >= 1024)
		snprintf(out, outlen, "%lld KB", (long long)(bytes / 1024));
	else
		snprintf(out, outlen, "%lld B", (long long)bytes);
}

static time_t parse_utc(const char *s)
{
	struct tm tm = {0};
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

bz_rc ops_backup_last_good(struct db *db, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_LAST_GOOD);
	if (st == NULL)
		return BZ_ERR_DB;
	int r = db_step(st);
	if (r == SQLITE_ROW) {
		char kst[32], size[32];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		size_text(sqlite3_column_int64(st, 2) + sqlite3_column_int64(st, 4), size,
		          sizeof(size));
		time_t at = parse_utc(db_col_text(st, 0));
		*out =
		    json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:I}", "finished_at",
		              db_col_text(st, 0), "finished_kst", kst, "path", db_col_text(st, 1),
		              "db_bytes", (json_int_t)sqlite3_column_int64(st, 2), "files",
		              (json_int_t)sqlite3_column_int64(st, 3), "file_bytes",
		              (json_int_t)sqlite3_column_int64(st, 4), "size_text", size,
		              "age_seconds", (json_int_t)(at ? db_time() - at : -1));
		r = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return db_rc(db, r, "last good backup");
}

bz_rc ops_backup_recent(struct db *db, int limit, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_RECENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, limit);
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		char kst[32], size[32];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		size_text(sqlite3_column_int64(st, 3) + sqlite3_column_int64(st, 5), size,
		          sizeof(size));
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:s, s:I, s:s}", "finished_kst",
		                                   kst, "path", db_col_text(st, 1), "ok",
		                                   sqlite3_column_int(st, 2), "size_text", size,
		                                   "files", (json_int_t)sqlite3_column_int64(st, 4),
		                                   "message", db_col_text(st, 6)));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, r, "recent backups");
	}
	*out = a;
	return BZ_OK;
}

bz_rc ops_health(struct db *db, int interval, time_t started, json_t **out)
{
	json_t *h = json_object();
	bool ok = true;
	sqlite3_stmt *st = db_stmt(db, SQL_PING);
	int r = st ? db_step(st) : SQLITE_ERROR;
	if (r == SQLITE_ROW) {
		json_object_set_new(h, "database", json_string("ok"));
		json_object_set_new(h, "access_log_rows",
		                    json_integer(sqlite3_column_int64(st, 0)));
	} else {
		ok = false;
		json_object_set_new(h, "database", json_string(db_errmsg(db)));
	}
	if (st)
		sqlite3_reset(st);
	json_object_set_new(h, "schema", json_integer(db_schema_version(db)));
	json_object_set_new(h, "schema_latest", json_integer(db_schema_latest()));
	json_t *last = NULL;
	bool backup_ok = true;
	if (ops_backup_last_good(db, &last) != BZ_OK)
		backup_ok = false;
	if (interval > 0) {
		if (last) {
			json_int_t age = json_integer_value(json_object_get(last, "age_seconds"));
			if (age < 0 || age > 2 * (json_int_t)interval)
				backup_ok = false;
		} else if (db_time() - started > interval + 120)
			backup_ok = false;
	}
	json_object_set_new(h, "backup", last ? last : json_null());
	json_object_set_new(h, "backup_interval", json_integer(interval));
	json_object_set_new(h, "backup_ok", json_boolean(backup_ok));
	json_object_set_new(h, "ok", json_boolean(ok && backup_ok));
	*out = h;
	return BZ_OK;
}
