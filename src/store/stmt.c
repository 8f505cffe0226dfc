/* Binding, reading columns, and running statements to their end: the helpers
 * every module's SQL goes through (db_step itself, with its fault switch,
 * stays in db.c). */
#include "db_internal.h"
#include "bizsos/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- binding -------------------------------------------------------------- */

void db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	/* The one rule for optional text: empty is absent, stored as NULL (no
	 * text column is NOT NULL DEFAULT '' since sql/080). */
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

void db_bind_int(sqlite3_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st, idx, v);
}

char *db_col_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	if (s == NULL)
		return NULL;
	return strdup((const char *)s);
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

const char *db_col_text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : db_col_text(st, col);
}

json_t *db_col_json(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? json_string((const char *)s) : json_null();
}

/* --- running -------------------------------------------------------------- */

bz_rc db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = db_step(st);
	sqlite3_reset(st);
	return db_rc(db, rc == SQLITE_ROW ? SQLITE_DONE : rc, what);
}

bz_rc db_rows_end(struct db *db, sqlite3_stmt *st, int last_rc, const char *what)
{
	bz_rc r = db_rc(db, last_rc, what);
	sqlite3_reset(st);
	return r;
}

bz_rc db_rows_json(struct db *db, sqlite3_stmt *st, int last_rc, const char *what, json_t *rows,
                   json_t **out)
{
	bz_rc r = db_rows_end(db, st, last_rc, what);
	if (r != BZ_OK) {
		json_decref(rows);
		return r;
	}
	*out = rows;
	return BZ_OK;
}

bz_rc db_each(struct db *db, sqlite3_stmt *st, db_row_fn fn, void *ctx, const char *what)
{
	int rc;
	bz_rc r = BZ_OK;
	while (r == BZ_OK && (rc = db_step(st)) == SQLITE_ROW)
		r = fn(st, ctx);
	if (r != BZ_OK) {
		sqlite3_reset(st);
		return r;
	}
	return db_rows_end(db, st, rc, what);
}

/* Binds ?1..?n of st from fmt and ap; false (logged) for an unknown letter. */
static bool bind_fmt(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	for (int i = 0; fmt[i]; i++) {
		if (i >= 16) {
			LOG_ERROR("db bind: more than 16 parameters");
			return false;
		}
		switch (fmt[i]) {
		case 't':
			db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'i':
			db_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'n':
			sqlite3_bind_null(st, i + 1);
			break;
		default:
			LOG_ERROR("db bind: unknown format letter %c", fmt[i]);
			return false;
		}
	}
	return true;
}

bz_rc db_vexecf(struct db *db, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	if (!bind_fmt(st, fmt, ap)) {
		sqlite3_reset(st);
		return BZ_ERR_DB;
	}
	return db_step_done(db, st, sql);
}

bz_rc db_execf(struct db *db, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bz_rc rc = db_vexecf(db, sql, fmt, ap);
	va_end(ap);
	return rc;
}

bz_rc db_int1f(struct db *db, const char *sql, int64_t dflt, int64_t *out, const char *fmt, ...)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	va_list ap;
	va_start(ap, fmt);
	bool ok = bind_fmt(st, fmt, ap);
	va_end(ap);
	if (!ok) {
		sqlite3_reset(st);
		return BZ_ERR_DB;
	}
	int rc = db_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : dflt;
	return db_rows_end(db, st, rc, sql);
}
