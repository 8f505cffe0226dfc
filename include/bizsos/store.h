/* SQLite storage: one connection per worker thread, statements prepared once
 * and reused, forward-only migrations embedded in the binary. */
#ifndef BIZSOS_STORE_H
#define BIZSOS_STORE_H

#include "bizsos/common.h"
#include <sqlite3.h>

struct migration {
	int version;      /* NNN of sql/NNN_name.sql */
	const char *name; /* "NNN_name" */
	const char *sql;
};
extern const struct migration db_migrations[];
extern const size_t db_migration_count;

struct db;

/* Opens (creating if `create`) the database at path with WAL, synchronous=FULL,
 * foreign_keys=ON and a busy timeout. Refuses (BZ_ERR_SCHEMA, message in err) a
 * database whose user_version is newer than this binary knows, without writing
 * to it. Does not migrate. */
bz_rc db_open(const char *path, bool create, struct db **out, char *err, size_t errlen);
void db_close(struct db *db);

/* Applies every pending migration, each in its own BEGIN IMMEDIATE transaction,
 * and records it in PRAGMA user_version. */
bz_rc db_migrate(struct db *db, char *err, size_t errlen);
/* The schema version of the open database. */
int db_schema_version(struct db *db);
/* The newest version this binary knows. */
int db_schema_latest(void);

/* Returns the cached prepared statement for `sql` (keyed by the pointer, so pass
 * a static string), reset and with bindings cleared; NULL on error (logged with
 * the SQL). The statement stays owned by the connection. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

bz_rc db_begin(struct db *db);    /* BEGIN IMMEDIATE */
bz_rc db_commit(struct db *db);
void db_rollback(struct db *db); /* safe to call when no transaction is open */
/* Runs SQL without results (pragmas, scripts). */
bz_rc db_exec(struct db *db, const char *sql);
sqlite3 *db_handle(struct db *db);
/* Maps an SQLite result code to BZ_OK/BZ_ERR_CONSTRAINT/BZ_ERR_DB, logging failures. */
bz_rc db_rc(struct db *db, int sqlite_rc, const char *what);
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

/* Bind helpers: text may be NULL (binds NULL). */
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);
void db_bind_int(sqlite3_stmt *st, int idx, int64_t v);
/* A column as a freshly allocated string (NULL for SQL NULL). */
char *db_col_strdup(sqlite3_stmt *st, int col);

/* The current UTC instant as "YYYY-MM-DDTHH:MM:SSZ". */
void db_now_utc(char out[24]);

#endif
