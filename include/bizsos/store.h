/* SQLite storage: one connection per worker thread, statements prepared once
 * and reused, forward-only migrations embedded in the binary. */
#ifndef BIZSOS_STORE_H
#define BIZSOS_STORE_H

#include "bizsos/common.h"
#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

struct migration {
	int version;      /* NNN of sql/NNN_name.sql */
	const char *name; /* "NNN_name" */
	const char *sql;
};
extern const struct migration db_migrations[];
extern const size_t db_migration_count;

struct db;

/* Opens (creating if `create`) the database at path with WAL, foreign_keys=ON
 * and a busy timeout (5 s of short retries). Durability: every commit returns
 * only once it is on disk — in WAL mode by synchronous=NORMAL and a group fsync
 * of the WAL that concurrent commits share (src/store/db.c, group_sync),
 * otherwise synchronous=FULL. Refuses (BZ_ERR_SCHEMA, message in err) a
 * database whose user_version is newer than this binary knows, without writing
 * to it. Without `create` a missing file is BZ_ERR_NOTFOUND. Does not migrate.
 * One connection per thread: a struct db must not be shared between threads. */
bz_rc db_open(const char *path, bool create, struct db **out, char *err, size_t errlen);
void db_close(struct db *db);

/* The tamper-evident chain hash: SHA-256 over each value as a type letter
 * (n/i/t), its byte length, ':' and its bytes (integers in decimal), as 64
 * lowercase hex digits plus NUL. Every connection db_open makes has it as the
 * SQL function bz_chain(v, ...), so migrations and queries hash the same way. */
void db_chain_hash(int argc, sqlite3_value **argv, char out[65]);

/* Applies every pending migration, each in its own BEGIN IMMEDIATE transaction,
 * and records it in PRAGMA user_version. On failure the failing migration is
 * rolled back (earlier ones stay applied) and err names it with SQLite's message. */
bz_rc db_migrate(struct db *db, char *err, size_t errlen);
/* db_migrate over the given list (versions strictly increasing); for tests. */
bz_rc db_apply_migrations(struct db *db, const struct migration *list, size_t count, char *err,
                          size_t errlen);
/* The schema version of the open database. */
int db_schema_version(struct db *db);
/* The newest version this binary knows. */
int db_schema_latest(void);

/* Returns the cached prepared statement for `sql` (keyed by the pointer, so pass
 * a static string), reset and with bindings cleared; NULL on error (logged with
 * the SQL). The statement stays owned by the connection. Call sqlite3_reset()
 * when done with it, so that it does not keep a read snapshot open; a statement
 * cannot be used twice at once (no recursion over the same SQL). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
/* db_stmt for SQL built at run time (a list's filters, a search): cached by
 * its text — the few dozen shapes a list can take are prepared once per
 * connection, the least recently used dropped beyond that. The same contract:
 * reset and cleared, owned by the connection, sqlite3_reset() when done, and
 * only bound values ever come from users, never the text. */
sqlite3_stmt *db_stmt_text(struct db *db, const char *sql);

/* Transactions nest: the outermost db_begin is BEGIN IMMEDIATE, inner ones are
 * savepoints; each db_begin is closed by one db_commit or one db_rollback, and
 * an inner rollback undoes only its own level. db_rollback is safe to call when
 * no transaction is open. */
bz_rc db_begin(struct db *db);
bz_rc db_commit(struct db *db);
void db_rollback(struct db *db);
/* After each request: resets every statement (no read snapshot outlives the
 * request) and rolls back, with an error logged, a transaction left open. */
void db_end_request(struct db *db);
/* Runs SQL without results (pragmas, scripts). */
bz_rc db_exec(struct db *db, const char *sql);
/* The data generation: a number that changes whenever any committed data may
 * have changed — a commit on any connection of this process, or one by another
 * process (seen through PRAGMA data_version on db). Equal values from two calls
 * mean nothing was committed in between; src/domain/model_cache.c keys on it.
 * 0 when data_version cannot be read (logged): then nothing cached may be used. */
uint64_t db_generation(struct db *db);
/* For reads that a commit makes worthless (the model warm-up builds for one
 * generation): while gen is not 0, a statement of db's stops with
 * SQLITE_INTERRUPT (unlogged, BZ_ERR_DB to its caller) soon after a commit of
 * this process's moves the generation past gen — so that a burst of writes
 * never shares the CPU with a build whose result it has already made stale. 0
 * turns it off. */
void db_stop_on_commit(struct db *db, uint64_t gen);
/* As db_execf, for one small write statement that no page or
 * model shows (a session's or token's last-seen time): it does not move the
 * data generation, so cached pages and models stay valid. Run on the file's
 * watcher connection (one at a time), and never waits for the write lock:
 * BZ_ERR_BUSY (unlogged) when another connection or process holds it, and
 * the caller goes on without it. Inside a transaction, or for an in-memory
 * database, on db itself (and then the generation moves). */
bz_rc db_execf_quiet(struct db *db, const char *sql, const char *fmt, ...);
/* Whether a statement run for this thread's request found the database locked
 * by another connection or process for longer than the busy wait (5 s) since
 * the last db_busy_reset: its failure is a busy database, not a fault. The
 * daemon then answers 503 with Retry-After instead of 500 (dispatch). Writes
 * run in a batch count for the request that sent them. */
bool db_busy_seen(void);
void db_busy_reset(void);
/* Writes the search entries of cases changed outside a transaction of the
 * store's (another program, a lone statement) and not yet caught up (sql/150):
 * in a transaction of its own. Every commit of the store's does it too. */
bz_rc db_search_catch_up(struct db *db);
/* Prepares sql (built at run time, so not cached) into *st, which the caller
 * finalizes; BZ_ERR_DB (logged with the SQL) if it does not compile. */
bz_rc db_prepare_once(struct db *db, const char *sql, sqlite3_stmt **st);
/* SQLite's message for the connection's last error (for logs and health). */
const char *db_errmsg(struct db *db);
/* Maps an SQLite result code to BZ_OK/BZ_ERR_CONSTRAINT/BZ_ERR_DB, logging failures. */
bz_rc db_rc(struct db *db, int sqlite_rc, const char *what);
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

/* Bind helpers: text may be NULL; NULL and "" both bind NULL: empty optional
 * text is never stored as '' (the one rule; readers take NULL as absent). */
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);
void db_bind_int(sqlite3_stmt *st, int idx, int64_t v);
/* A column as a freshly allocated string (NULL for SQL NULL). */
char *db_col_strdup(sqlite3_stmt *st, int col);
/* A column's text, "" for SQL NULL; valid until the next step or reset. */
const char *db_col_text(sqlite3_stmt *st, int col);
/* A column's text, NULL for SQL NULL; valid until the next step or reset. */
const char *db_col_text_or_null(sqlite3_stmt *st, int col);
/* A column as a new JSON string, or JSON null for SQL NULL. */
json_t *db_col_json(sqlite3_stmt *st, int col);

/* --- running statements: every helper checks the final sqlite3_step result --
 * Each one resets the statement before it returns, and maps a failed step to
 * BZ_ERR_CONSTRAINT or BZ_ERR_DB (logged with `what`). */

/* The one place statements are stepped (sqlite3_step): every row loop and the
 * helpers below go through it. */
int db_step(sqlite3_stmt *st);

#ifdef BIZSOS_FAULT_INJECTION
/* Test-only (cmake -DBIZSOS_FAULT_INJECTION=ON): on this thread, the step_n-th
 * db_step from now answers SQLITE_IOERR, and the prepare_n-th db_stmt answers
 * NULL (0: never). db_end_request disarms. */
void db_fault_arm(long step_n, long prepare_n);
/* True when an armed fault has fired on this thread since db_fault_arm. */
bool db_fault_fired(void);
/* The SQL (ASCII, cut) of the statement the fault hit; "" when none fired. */
const char *db_fault_what(void);
#endif
/* Steps st once (a write, or a statement whose rows do not matter) and resets
 * it: BZ_OK when the step gave SQLITE_DONE or SQLITE_ROW. */
bz_rc db_step_done(struct db *db, sqlite3_stmt *st, const char *what);
/* The end of a row loop: last_rc is the last sqlite3_step result (SQLITE_DONE,
 * or SQLITE_ROW when the loop stopped early on purpose). Resets st. */
bz_rc db_rows_end(struct db *db, sqlite3_stmt *st, int last_rc, const char *what);
/* db_rows_end for a loop that collected JSON rows: on success *out = rows, on
 * failure rows are dropped (json_decref) and *out is untouched. */
bz_rc db_rows_json(struct db *db, sqlite3_stmt *st, int last_rc, const char *what, json_t *rows,
                   json_t **out);
/* Calls fn for each row of st (bound by the caller) until it returns other than
 * BZ_OK; then resets st. A stop by fn returns fn's code; a failed step its error. */
typedef bz_rc (*db_row_fn)(sqlite3_stmt *st, void *ctx);
bz_rc db_each(struct db *db, sqlite3_stmt *st, db_row_fn fn, void *ctx, const char *what);
/* Prepares sql (cached), binds ?1..?n from fmt ('t' const char * or NULL,
 * 'i' int64_t, 'n' NULL; at most 16) and runs it to done, as db_step_done. */
bz_rc db_execf(struct db *db, const char *sql, const char *fmt, ...);
/* As db_execf for a query of one integer: *out is the first column of the first
 * row, or dflt when there is no row (BZ_OK either way). */
bz_rc db_int1f(struct db *db, const char *sql, int64_t dflt, int64_t *out, const char *fmt, ...);

/* The history logs: one <name>_event table each, of one shape. */
enum event_log { EVENT_CASE, EVENT_COMPANY, EVENT_ACTIVITY, EVENT_GRANT };
/* Appends a history row to log's table inside the caller's transaction
 * (src/store/event.c): owner_id the record it belongs to, at NULL for now,
 * actor_id 0 for the system; the texts may be NULL; note is kept only by the
 * logs that have one (case, grant). The case module's case_event_add also
 * owes the change's notices: write case history through it. */
bz_rc db_event_add(struct db *db, enum event_log log, int64_t owner_id, const char *at,
                   int64_t actor_id, const char *kind, const char *field, const char *old,
                   const char *new_, const char *note);

/* The clock every stored timestamp comes from: time(NULL) unless a test has
 * replaced it with db_clock_override(fn); db_clock_override(NULL) restores the
 * real clock. Not synchronised: set it only before any other thread starts. */
time_t db_time(void);
void db_clock_override(time_t (*now)(void));
/* The current UTC instant (db_time()) as "YYYY-MM-DDTHH:MM:SSZ". */
void db_now_utc(char out[24]);
/* The instant t as "YYYY-MM-DDTHH:MM:SSZ". */
void db_format_utc(time_t t, char out[24]);

#endif
