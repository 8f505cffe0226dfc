/* Private to src/store: the connection's layout and the small pieces db.c
 * shares with the other store files (migrate.c, backup.c). Nothing outside
 * src/store includes this; the rest of the program sees struct db only as an
 * opaque pointer (bizsos/store.h). */
#ifndef BIZSOS_STORE_DB_INTERNAL_H
#define BIZSOS_STORE_DB_INTERNAL_H

#include "bizsos/store.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stmt_slot {
	const char *sql; /* key: the caller's static string; NULL when free */
	sqlite3_stmt *st;
};

/* Statements whose text is built at run time (list filters, searches): kept by
 * their text, the least recently used dropped beyond SHAPES_MAX. */
#define SHAPES_MAX 48
struct shape {
	char *sql; /* owned; NULL when free */
	uint64_t hash;
	uint64_t used;
	sqlite3_stmt *st;
};

/* What a commit written with its sync deferred still needs before it may be
 * acknowledged: the WAL fsync that covers it (seq in its file's group). */
struct sync_group;
struct db_sync_ticket {
	struct sync_group *group; /* NULL: nothing owed */
	uint64_t seq;
};

#define CTL_KINDS  6 /* BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO (db.c) */
#define CTL_LEVELS 8 /* savepoint levels whose statements are kept */

struct db {
	sqlite3 *h;
	struct shape shapes[SHAPES_MAX];
	uint64_t shape_tick;
	int depth; /* open db_begin levels: 1 is the transaction, more are savepoints */
	struct stmt_slot *slots; /* open addressing, linear probing; cap is a power of 2 */
	size_t cap;
	size_t count;
	int64_t data_version;     /* PRAGMA data_version when db_generation last looked */
	bool group_commit;        /* WAL with synchronous=NORMAL: commits wait for group_wait */
	bool quiet;               /* its commits do not move the data generation (the watcher) */
	int64_t changes_at_begin; /* sqlite3_total_changes64 when the transaction began */
	bool search_deferred;     /* the schema has search_stale (sql/150) */
	bool search_lazy;         /* commits leave up to SEARCH_LAZY_MAX cases stale */
	/* Pipelined group commit (db_sync_defer): what the last commits still owe. */
	bool sync_deferred;
	struct db_sync_ticket owed;
	/* db_stop_on_commit: the generation its statements stop past (0: off) */
	uint64_t stop_past;
	bool busy_quiet; /* db_execf_quiet on the watcher: SQLITE_BUSY is BZ_ERR_BUSY, unlogged */
	sqlite3_stmt *ctl[CTL_KINDS][CTL_LEVELS]; /* transaction control, compiled once */
};

/* Pipelined group commit, for the write batcher (batch.c). While deferred, a
 * commit on db writes the WAL and returns without waiting for the fsync;
 * db_sync_take hands over what it still owes, and db_sync_wait, called after
 * the write lock has been passed on to the next batch, waits for that fsync
 * (doing it if no other thread is). A write must not be acknowledged before
 * db_sync_wait has returned. */
void db_sync_defer(struct db *db, bool on);
void db_sync_take(struct db *db, struct db_sync_ticket *t);
void db_sync_wait(const struct db_sync_ticket *t);

/* Writes the search entries of every case listed in search_stale and empties
 * the list (search_index.c); inside the caller's transaction. */
bz_rc search_index_drain(struct db *db);
/* Whether the schema defers them so (it has search_stale). */
bool db_search_deferred(struct db *db);
/* The write batcher's connection (batch.c): its commits write the entries only
 * once SEARCH_LAZY_MAX cases are waiting, so that each FTS5 segment holds many
 * cases (one per commit of 2-3 cases wrote ~10 KB of segment and merge pages
 * per case, one per 256 under 0.3 KB); the search reads the few waiting cases'
 * text meanwhile, and the maintenance thread catches up what a burst left. */
#define SEARCH_LAZY_MAX 256
void db_search_lazy(struct db *db, bool on);
/* Marks this thread's request as having met a busy database (db_busy_seen). */
void db_busy_note(void);

/* Writes the formatted message into err (if there is room at all). */
void db_set_err(char *err, size_t errlen, const char *fmt, ...) BZ_PRINTF(3, 4);

/* db_execf with the arguments in ap (stmt.c). */
bz_rc db_vexecf(struct db *db, const char *sql, const char *fmt, va_list ap);

/* Reads PRAGMA user_version; -1 on error. Reads only the header: no write. */
int db_read_user_version(sqlite3 *h);

#endif
