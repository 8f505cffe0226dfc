/* SQLite storage: open with pragmas, group commit, the data generation, a
 * per-connection statement cache keyed by the SQL pointer, transactions. The
 * migration runner is in migrate.c; struct db is in db_internal.h. */
#include "db_internal.h"
#include "bizsos/batch.h"
#include "bizsos/store_raw.h"
#include "bizsos/kst.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_BUSY_TIMEOUT_MS 5000

/* The data generation (see db_generation): bumped by every commit of this
 * process's connections (the commit hook, and again by the WAL hook once the
 * commit is visible to readers, so that a reader that took the first value
 * while the old data was still visible cannot keep a stale model), and by a
 * connection that sees PRAGMA data_version move (a commit by another connection
 * or process). */
static _Atomic uint64_t data_generation = 1;

/* BIZSOS_SQL_PROFILE_US=N (a diagnostic, off by default): every statement
 * that runs longer than N microseconds is logged with its time, to find the
 * query behind a slow page (docs/benchmarks.md). */
static int64_t profile_ns = -1;
static pthread_once_t profile_once = PTHREAD_ONCE_INIT;

static void profile_init(void)
{
	const char *e = getenv("BIZSOS_SQL_PROFILE_US");
	if (e && *e)
		profile_ns = strtoll(e, NULL, 10) * 1000;
}

static int on_profile(unsigned kind, void *arg, void *p, void *x)
{
	(void)arg;
	if (kind != SQLITE_TRACE_PROFILE)
		return 0;
	int64_t ns = *(const int64_t *)x;
	if (ns < profile_ns)
		return 0;
	char *sql = sqlite3_expanded_sql((sqlite3_stmt *)p);
	bz_log("profile", "%.3f ms: %.400s", (double)ns / 1e6,
	       sql ? sql : sqlite3_sql((sqlite3_stmt *)p));
	sqlite3_free(sql);
	return 0;
}

static int on_commit(void *arg)
{
	const struct db *db = arg;
	if (!db->quiet)
		data_generation++;
	return 0; /* let the commit proceed */
}

/* ---- group commit ------------------------------------------------------------
 * Durability without one fsync per commit. Connections in WAL mode run with
 * synchronous=NORMAL, so COMMIT writes the WAL without syncing it; then, still
 * inside sqlite3_step(COMMIT) (the WAL hook runs after the commit is written),
 * the committing thread waits until an fsync of the WAL file that started
 * after its commit has finished. The first waiter does that fsync for every
 * commit written so far; those that arrive during it wait, and the next of
 * them syncs them all together. So a write returns only once it is on disk
 * (as with synchronous=FULL), and N concurrent writers share one fsync.
 * One group per database file (the daemon has one; tests may have several). */
#define SYNC_GROUPS 8
struct sync_group {
	char wal[PATH_MAX]; /* the WAL file's path; "" for a free slot */
	uint64_t written;   /* commits written to the WAL so far */
	uint64_t synced;    /* every commit up to this one is on disk */
	bool syncing;       /* a thread is in fsync for this file */
};
static struct sync_group sync_groups[SYNC_GROUPS];
static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sync_cond = PTHREAD_COND_INITIALIZER;

/* fsync of the file at path (opened for this sync, so that a WAL file SQLite
 * has replaced is never the one synced). */
static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fdatasync(fd);
	close(fd);
	return rc;
}

/* The group of the WAL file at path, taken if new; NULL when all are taken.
 * Under sync_lock. */
static struct sync_group *group_for(const char *wal)
{
	for (size_t i = 0; i < SYNC_GROUPS; i++)
		if (strcmp(sync_groups[i].wal, wal) == 0)
			return &sync_groups[i];
	for (size_t i = 0; i < SYNC_GROUPS; i++)
		if (sync_groups[i].wal[0] == '\0' && strlen(wal) < sizeof(sync_groups[i].wal)) {
			bz_strlcpy(sync_groups[i].wal, wal, sizeof(sync_groups[i].wal));
			return &sync_groups[i];
		}
	return NULL;
}

/* Counts a commit just written to the WAL at wal; the ticket that
 * group_wait needs. A file with no group left is synced here and then. */
static struct db_sync_ticket group_enter(const char *wal)
{
	struct db_sync_ticket t = {0};
	pthread_mutex_lock(&sync_lock);
	t.group = group_for(wal);
	if (t.group)
		t.seq = ++t.group->written;
	pthread_mutex_unlock(&sync_lock);
	if (t.group == NULL && sync_path(wal) != 0) /* more files than groups: sync alone */
		LOG_ERROR("fsync %s: %s", wal, strerror(errno));
	return t;
}

/* Waits until the commit counted as t is on disk. Under no lock of SQLite's.
 * The first waiter syncs every commit counted so far; a failed fsync is
 * logged and answered by syncing again. */
static void group_wait(const struct db_sync_ticket *t)
{
	struct sync_group *g = t->group;
	if (g == NULL)
		return;
	pthread_mutex_lock(&sync_lock);
	while (g->synced < t->seq) {
		if (g->syncing) {
			pthread_cond_wait(&sync_cond, &sync_lock);
			continue;
		}
		g->syncing = true;
		uint64_t upto = g->written;
		pthread_mutex_unlock(&sync_lock);
		int rc = sync_path(g->wal);
		int err = errno;
		pthread_mutex_lock(&sync_lock);
		g->syncing = false;
		if (rc == 0)
			g->synced = upto;
		else
			LOG_ERROR("fsync %s: %s", g->wal, strerror(err));
		pthread_cond_broadcast(&sync_cond);
	}
	pthread_mutex_unlock(&sync_lock);
}

/* After a WAL commit: the group fsync (db->group_commit), then what SQLite's
 * default auto-checkpoint hook (replaced by this one) does; with the sync
 * deferred (db_sync_defer) the fsync is left owed. The checkpoint is not: run
 * here, while no other commit can come, it copies every frame, and the next
 * transaction starts the WAL over; run beside the next batch's commits, it
 * never catches up, and the WAL grows without end (each commit then asking
 * for another checkpoint). */
static int on_wal_commit(void *arg, sqlite3 *h, const char *name, int pages)
{
	struct db *db = arg;
	if (!db->quiet)
		data_generation++;
	if (db->group_commit && strcmp(name, "main") == 0) {
		const char *wal = sqlite3_filename_wal(sqlite3_db_filename(h, name));
		if (wal && *wal) {
			struct db_sync_ticket t = group_enter(wal);
			if (db->sync_deferred) {
				if (t.group) /* a later commit's ticket covers the earlier ones */
					db->owed.group = t.group, db->owed.seq = t.seq;
			} else {
				group_wait(&t);
			}
		}
	}
	if (pages >= 1000)
		sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

void db_sync_defer(struct db *db, bool on)
{
	db->sync_deferred = on;
}

void db_sync_take(struct db *db, struct db_sync_ticket *t)
{
	*t = db->owed;
	db->owed = (struct db_sync_ticket){0};
}

void db_sync_wait(const struct db_sync_ticket *t)
{
	group_wait(t);
}

/* Whether this thread's statements met a busy database (db_busy_seen). */
static _Thread_local bool busy_seen;

bool db_busy_seen(void)
{
	return busy_seen;
}

void db_busy_reset(void)
{
	busy_seen = false;
}

void db_busy_note(void)
{
	busy_seen = true;
}

/* A busy database (another connection holds the write lock, usually for well
 * under a millisecond) makes the caller wait and retry, not fail: polls every
 * 50 µs at first, then every 0.5 ms, up to DB_BUSY_TIMEOUT_MS in all
 * (SQLite's own busy_timeout sleeps 1..100 ms between tries, which would cost
 * a queue of writers far more than the lock is held). */
static int on_busy(void *arg, int count)
{
	(void)arg;
	long waited_us = count < 100 ? count * 50L : 5000L + (count - 100) * 500L;
	if (waited_us >= DB_BUSY_TIMEOUT_MS * 1000L) {
		busy_seen = true; /* SQLite gives up with SQLITE_BUSY */
		return 0;
	}
	usleep(count < 100 ? 50 : 500);
	return 1;
}

time_t db_time(void)
{
	return bz_time();
}

void db_clock_override(time_t (*now)(void))
{
	bz_clock_override(now);
}

void db_format_utc(time_t t, char out[24])
{
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		bz_strlcpy(out, "1970-01-01T00:00:00Z", 24);
}

void db_now_utc(char out[24])
{
	db_format_utc(db_time(), out);
}

void db_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int db_schema_latest(void)
{
	return db_migration_count ? db_migrations[db_migration_count - 1].version : 0;
}

/* Reads PRAGMA user_version; -1 on error. Reads only the header: no write. */
int db_read_user_version(sqlite3 *h)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
out:
	sqlite3_finalize(st);
	return v;
}

int db_schema_version(struct db *db)
{
	return db_read_user_version(db->h);
}

void db_chain_hash(int argc, sqlite3_value **argv, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	for (int i = 0; i < argc; i++) {
		char head[40];
		int type = sqlite3_value_type(argv[i]);
		const unsigned char *bytes = NULL;
		int n = 0;
		char num[24];
		if (type == SQLITE_INTEGER) {
			n = snprintf(num, sizeof(num), "%lld",
			             (long long)sqlite3_value_int64(argv[i]));
			bytes = (const unsigned char *)num;
		} else if (type != SQLITE_NULL) {
			bytes = sqlite3_value_text(argv[i]);
			n = sqlite3_value_bytes(argv[i]);
		}
		int hn = snprintf(head, sizeof(head), "%c%d:",
		                  type == SQLITE_NULL      ? 'n'
		                  : type == SQLITE_INTEGER ? 'i'
		                                           : 't',
		                  n);
		crypto_hash_sha256_update(&h, (const unsigned char *)head, (unsigned long long)hn);
		if (n > 0 && bytes)
			crypto_hash_sha256_update(&h, bytes, (unsigned long long)n);
	}
	unsigned char dig[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, dig);
	sodium_bin2hex(out, 65, dig, sizeof(dig));
}

/* SQL bz_chain(v, ...): db_chain_hash of its arguments, as 64 hex digits. */
static void sql_chain(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char hex[65];
	db_chain_hash(argc, argv, hex);
	sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

bz_rc db_open(const char *path, bool create, struct db **out, char *err, size_t errlen)
{
	struct db *db = NULL;
	sqlite3 *h = NULL;
	char *mode = NULL;
	bz_rc rc = BZ_ERR_DB;
	struct stat sb;

	*out = NULL;
	if (!create && stat(path, &sb) != 0) {
		rc = errno == ENOENT ? BZ_ERR_NOTFOUND : BZ_ERR_IO;
		db_set_err(err, errlen, "database %s: %s", path,
		           errno == ENOENT ? "no such file (create it with `bizsos init`)"
		                           : strerror(errno));
		goto err;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
		rc = BZ_ERR_IO;
		db_set_err(err, errlen, "cannot open database %s: %s", path,
		           h ? sqlite3_errmsg(h) : "out of memory");
		goto err;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_handler(h, on_busy, NULL);
	if (sqlite3_create_function(h, "bz_chain", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                            sql_chain, NULL, NULL) != SQLITE_OK) {
		db_set_err(err, errlen, "cannot register bz_chain on %s: %s", path,
		           sqlite3_errmsg(h));
		goto err;
	}

	/* Before anything that could write (journal_mode=WAL rewrites the header). */
	int version = db_read_user_version(h);
	if (version < 0) {
		db_set_err(err, errlen, "cannot read database %s: %s", path, sqlite3_errmsg(h));
		goto err;
	}
	if (version > db_schema_latest()) {
		rc = BZ_ERR_SCHEMA;
		db_set_err(
		    err, errlen,
		    "database schema version %d is newer than this bizsos (%d); upgrade bizsos",
		    version, db_schema_latest());
		goto err;
	}

	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		mode = m ? strdup(m) : NULL;
	}
	sqlite3_finalize(st);
	if (mode == NULL) {
		db_set_err(err, errlen, "cannot set WAL mode on %s: %s", path, sqlite3_errmsg(h));
		goto err;
	}
	if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
		LOG_WARN("database %s: journal_mode is %s, not wal", path, mode);

	char *msg = NULL;
	/* WAL: synchronous=NORMAL and the group fsync after each commit (as durable
	 * as FULL, see group_wait); otherwise FULL. */
	bool wal = strcmp(mode, "wal") == 0;
	if (sqlite3_exec(h,
	                 wal ? "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
	                     : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
	                 NULL, NULL, &msg) != SQLITE_OK) {
		db_set_err(err, errlen, "cannot configure database %s: %s", path,
		           msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		goto err;
	}

	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		rc = BZ_ERR_NOMEM;
		db_set_err(err, errlen, "out of memory");
		goto err;
	}
	db->h = h;
	db->data_version = -1;
	db->group_commit = wal;
	sqlite3_commit_hook(h, on_commit, db);
	pthread_once(&profile_once, profile_init);
	if (profile_ns >= 0)
		sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, on_profile, NULL);
	sqlite3_wal_hook(h, on_wal_commit, db);
	*out = db;
	rc = BZ_OK;
	goto out;
err:
	sqlite3_close(h);
out:
	free(mode);
	return rc;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->cap; i++)
		sqlite3_finalize(db->slots[i].st);
	free(db->slots);
	for (size_t k = 0; k < CTL_KINDS; k++)
		for (size_t l = 0; l < CTL_LEVELS; l++)
			sqlite3_finalize(db->ctl[k][l]);
	for (size_t i = 0; i < SHAPES_MAX; i++) {
		sqlite3_finalize(db->shapes[i].st);
		free(db->shapes[i].sql);
	}
	if (sqlite3_close(db->h) != SQLITE_OK)
		LOG_ERROR("closing database: %s", sqlite3_errmsg(db->h));
	free(db);
}

static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

/* One watcher connection per database file, shared by the process, for PRAGMA
 * data_version: its value moves with every commit by any other connection,
 * this process's or another's. A single watcher, rather than each worker's own
 * connection, because a connection's first look cannot tell what was committed
 * before it opened: with one per worker, each new worker thread would
 * invalidate every cached model and page once.
 *
 * The watcher also runs the quiet writes (db_execf_quiet): a connection's own
 * commits never move its data_version, and the watcher is opened quiet (its
 * hooks do not move the generation), so a session's last-seen time can be
 * written without making every cached page and model be built again. */
#define WATCHERS 8
struct watcher {
	char path[PATH_MAX];
	struct db *db; /* quiet */
	sqlite3_stmt *st;
	int64_t last;
};
static struct watcher watchers[WATCHERS];
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;

/* The watcher of path, opened on first use; NULL when there is none (an
 * in-memory database, too many files, an error). Under watch_lock. */
static struct watcher *watcher_for(const char *path)
{
	for (size_t i = 0; i < WATCHERS; i++)
		if (watchers[i].db && strcmp(watchers[i].path, path) == 0)
			return &watchers[i];
	for (size_t i = 0; i < WATCHERS; i++)
		if (watchers[i].db == NULL && strlen(path) < sizeof(watchers[i].path)) {
			struct db *wdb = NULL;
			char err[256];
			if (db_open(path, false, &wdb, err, sizeof(err)) != BZ_OK) {
				LOG_ERROR("data watcher: %s", err);
				return NULL;
			}
			if (sqlite3_prepare_v2(wdb->h, SQL_DATA_VERSION, -1, &watchers[i].st,
			                       NULL) != SQLITE_OK) {
				LOG_ERROR("data watcher: %s", sqlite3_errmsg(wdb->h));
				db_close(wdb);
				return NULL;
			}
			wdb->quiet = true;
			watchers[i].db = wdb;
			watchers[i].last = -1;
			bz_strlcpy(watchers[i].path, path, sizeof(watchers[i].path));
			return &watchers[i];
		}
	return NULL;
}

/* The watcher's data_version for path: -1 when there is no watcher. Under
 * watch_lock. The statement is stepped directly, not through db_step: it is
 * the cache's bookkeeping, not a statement of the request (fault injection
 * counts only those). */
static int64_t watcher_version(const char *path)
{
	struct watcher *w = watcher_for(path);
	if (w == NULL)
		return -1;
	int64_t v = -1;
	if (sqlite3_step(w->st) == SQLITE_ROW)
		v = sqlite3_column_int64(w->st, 0);
	sqlite3_reset(w->st);
	return v;
}

bz_rc db_execf_quiet(struct db *db, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bz_rc rc = BZ_ERR_DB;
	bool done = false;
	const char *path = sqlite3_db_filename(db->h, "main");
	/* only outside a transaction: inside one, this connection may hold the
	 * write lock the watcher would wait for */
	if (db->depth == 0 && sqlite3_get_autocommit(db->h) && path && *path) {
		pthread_mutex_lock(&watch_lock);
		struct watcher *w = watcher_for(path);
		if (w != NULL) {
			/* Never waits for the write lock (another process's, or the
			 * write batches'): it would hold every thread that asks for the
			 * generation (watch_lock) meanwhile. Busy: BZ_ERR_BUSY, unlogged;
			 * the next request writes it. */
			sqlite3_busy_handler(w->db->h, NULL, NULL);
			w->db->busy_quiet = true;
			rc = db_vexecf(w->db, sql, fmt, ap); /* autocommit: its own transaction */
			w->db->busy_quiet = false;
			sqlite3_busy_handler(w->db->h, on_busy, NULL);
			done = true;
		}
		pthread_mutex_unlock(&watch_lock);
	}
	if (!done) /* one statement: atomic alone, or part of the open transaction */
		rc = db_vexecf(db, sql, fmt, ap);
	va_end(ap);
	return rc;
}

uint64_t db_generation(struct db *db)
{
	const char *path = sqlite3_db_filename(db->h, "main");
	if (path && *path) {
		pthread_mutex_lock(&watch_lock);
		int64_t v = watcher_version(path);
		bool moved = false;
		if (v >= 0) {
			for (size_t i = 0; i < WATCHERS; i++)
				if (watchers[i].db && strcmp(watchers[i].path, path) == 0) {
					moved = watchers[i].last != v;
					watchers[i].last = v;
				}
			if (moved)
				data_generation++;
		}
		pthread_mutex_unlock(&watch_lock);
		if (v >= 0)
			return data_generation;
	}
	/* no watcher: this connection's own data_version (its first look counts
	 * as a change: it cannot know what came before) */
	sqlite3_stmt *st = db_stmt(db, SQL_DATA_VERSION);
	int64_t v = -1;
	if (st != NULL && db_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (v < 0 || v != db->data_version) {
		db->data_version = v;
		data_generation++;
	}
	if (v < 0) {
		LOG_ERROR("PRAGMA data_version failed: %s", sqlite3_errmsg(db->h));
		return 0;
	}
	return data_generation;
}

/* SQLite's progress handler (every STOP_CHECK_OPS virtual machine steps, a
 * few microseconds): an atomic load. */
#define STOP_CHECK_OPS 1000
static int stop_if_committed(void *arg)
{
	const struct db *db = arg;
	return atomic_load_explicit(&data_generation, memory_order_relaxed) != db->stop_past;
}

void db_stop_on_commit(struct db *db, uint64_t gen)
{
	db->stop_past = gen;
	if (gen != 0)
		sqlite3_progress_handler(db->h, STOP_CHECK_OPS, stop_if_committed, db);
	else
		sqlite3_progress_handler(db->h, 0, NULL, NULL);
}

sqlite3 *db_handle(struct db *db)
{
	return db->h;
}

bz_rc db_prepare_once(struct db *db, const char *sql, sqlite3_stmt **st)
{
	*st = NULL;
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK) {
		LOG_ERROR("prepare failed: %s: %s", sqlite3_errmsg(db->h), sql);
		sqlite3_finalize(*st);
		*st = NULL;
		return BZ_ERR_DB;
	}
	return BZ_OK;
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

bz_rc db_rc(struct db *db, int sqlite_rc, const char *what)
{
	switch (sqlite_rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return BZ_OK;
	default:
		break;
	}
	if ((sqlite_rc & 0xff) == SQLITE_CONSTRAINT)
		return BZ_ERR_CONSTRAINT;
	if ((sqlite_rc & 0xff) == SQLITE_BUSY && db->busy_quiet)
		return BZ_ERR_BUSY; /* db_execf_quiet: skipped, not an error */
	if ((sqlite_rc & 0xff) == SQLITE_BUSY || (sqlite_rc & 0xff) == SQLITE_LOCKED)
		busy_seen = true; /* also when SQLite did not ask the busy handler */
	if (sqlite_rc == SQLITE_INTERRUPT && db->stop_past != 0)
		return BZ_ERR_DB; /* asked for (db_stop_on_commit): not an error to log */
	LOG_ERROR("%s: %s (%d)", what ? what : "sqlite", sqlite3_errmsg(db->h), sqlite_rc);
	return BZ_ERR_DB;
}

bz_rc db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int src = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	bz_rc rc = BZ_OK;
	if (src != SQLITE_OK) {
		if ((src & 0xff) == SQLITE_CONSTRAINT) {
			rc = BZ_ERR_CONSTRAINT;
		} else {
			LOG_ERROR("exec failed: %s: %s", msg ? msg : sqlite3_errmsg(db->h), sql);
			rc = BZ_ERR_DB;
		}
	}
	sqlite3_free(msg);
	return rc;
}

/* The statements that open and close transactions and savepoints, compiled
 * once per connection and level: a write runs several (its batch's BEGIN and
 * COMMIT, a SAVEPOINT and RELEASE per unit and per nested case), and
 * compiling each from its text again was 3% of a write's CPU. Levels past
 * CTL_LEVELS are compiled each time. SQLite's result code (SQLITE_OK once
 * done); its message stays on the connection. */
enum ctl_kind { CTL_BEGIN, CTL_COMMIT, CTL_ROLLBACK, CTL_SAVEPOINT, CTL_RELEASE, CTL_ROLLBACK_TO };

static int ctl_run(struct db *db, enum ctl_kind kind, int level)
{
	bool keep = level >= 0 && level < CTL_LEVELS;
	sqlite3_stmt *st = keep ? db->ctl[kind][level] : NULL;
	if (st == NULL) {
		char sql[48];
		switch (kind) {
		case CTL_BEGIN:
			bz_strlcpy(sql, "BEGIN IMMEDIATE", sizeof(sql));
			break;
		case CTL_COMMIT:
			bz_strlcpy(sql, "COMMIT", sizeof(sql));
			break;
		case CTL_ROLLBACK:
			bz_strlcpy(sql, "ROLLBACK", sizeof(sql));
			break;
		case CTL_SAVEPOINT:
			snprintf(sql, sizeof(sql), "SAVEPOINT bz_%d", level);
			break;
		case CTL_RELEASE:
			snprintf(sql, sizeof(sql), "RELEASE bz_%d", level);
			break;
		case CTL_ROLLBACK_TO:
			snprintf(sql, sizeof(sql), "ROLLBACK TO bz_%d", level);
			break;
		}
		int rc = sqlite3_prepare_v3(db->h, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0,
		                            &st, NULL);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(st);
			return rc;
		}
		if (keep)
			db->ctl[kind][level] = st;
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (!keep)
		sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Transactions nest: the outermost db_begin is BEGIN IMMEDIATE, inner ones are
 * savepoints, so a domain function that makes its own transaction (creating a
 * case) can run inside a caller's (a visit and all its cases) and the whole
 * unit commits or rolls back at once. */
bz_rc db_begin(struct db *db)
{
	bz_rc rc = db->depth == 0 ? db_rc(db, ctl_run(db, CTL_BEGIN, 0), "BEGIN IMMEDIATE")
	                          : db_rc(db, ctl_run(db, CTL_SAVEPOINT, db->depth), "SAVEPOINT");
	if (rc == BZ_OK && db->depth++ == 0)
		db->changes_at_begin = sqlite3_total_changes64(db->h);
	return rc;
}

/* Whether the schema defers the cases' search entries to commit (sql/150).
 * Once it does it always will; before (an older file, during migrations)
 * asked again each time, from the schema SQLite holds in memory. */
bool db_search_deferred(struct db *db)
{
	if (!db->search_deferred)
		db->search_deferred =
		    sqlite3_table_column_metadata(db->h, "main", "search_stale", NULL, NULL, NULL,
		                                  NULL, NULL, NULL) == SQLITE_OK;
	return db->search_deferred;
}

void db_search_lazy(struct db *db, bool on)
{
	db->search_lazy = on;
}

static const char SQL_STALE_COUNT[] = "SELECT count(*) FROM search_stale";

/* Whether this commit writes the waiting search entries: always, unless the
 * connection is lazy and fewer than SEARCH_LAZY_MAX cases wait (or the count
 * cannot be read: then now). */
static bool search_due(struct db *db)
{
	if (!db->search_lazy)
		return true;
	sqlite3_stmt *st = db_stmt(db, SQL_STALE_COUNT);
	if (st == NULL)
		return true;
	bool due = db_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) >= SEARCH_LAZY_MAX;
	sqlite3_reset(st);
	return due;
}

bz_rc db_commit(struct db *db)
{
	if (db->depth <= 0) {
		LOG_ERROR("commit without a transaction");
		return BZ_ERR_DB;
	}
	/* The transaction wrote: the search entries of the cases it changed are
	 * written now, once each, from their final text (sql/150). */
	if (db->depth == 1 && sqlite3_total_changes64(db->h) != db->changes_at_begin &&
	    db_search_deferred(db) && search_due(db)) {
		bz_rc rc = search_index_drain(db);
		if (rc != BZ_OK) {
			db_rollback(db);
			return rc;
		}
	}
	db->depth--;
	bz_rc rc = db->depth == 0 ? db_rc(db, ctl_run(db, CTL_COMMIT, 0), "COMMIT")
	                          : db_rc(db, ctl_run(db, CTL_RELEASE, db->depth), "RELEASE");
	if (rc != BZ_OK) {
		db->depth++; /* still open: db_rollback below undoes this level */
		db_rollback(db);
	}
	return rc;
}

void db_rollback(struct db *db)
{
	if (db->depth > 1) {
		/* Undo the savepoint's work, then leave it. */
		db->depth--;
		if (ctl_run(db, CTL_ROLLBACK_TO, db->depth) != SQLITE_OK ||
		    ctl_run(db, CTL_RELEASE, db->depth) != SQLITE_OK)
			LOG_ERROR("rollback to savepoint failed: %s", sqlite3_errmsg(db->h));
		return;
	}
	db->depth = 0;
	if (sqlite3_get_autocommit(db->h))
		return;
	if (ctl_run(db, CTL_ROLLBACK, 0) != SQLITE_OK)
		LOG_ERROR("rollback failed: %s", sqlite3_errmsg(db->h));
}

void db_end_request(struct db *db)
{
#ifdef BIZSOS_FAULT_INJECTION
	db_fault_arm(0, 0);
#endif
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st;
	     st = sqlite3_next_stmt(db->h, st))
		sqlite3_reset(st);
	if (db->depth > 0 || !sqlite3_get_autocommit(db->h)) {
		LOG_ERROR("a request left a transaction open (depth %d): rolled back", db->depth);
		db->depth = 0;
		db_rollback(db);
	}
}

int db_depth(struct db *db)
{
	return db->depth;
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

/* --- statement cache ------------------------------------------------------ */

static size_t slot_hash(const char *sql, size_t cap)
{
	uint64_t k = (uint64_t)(uintptr_t)sql;
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static struct stmt_slot *slot_find(struct stmt_slot *slots, size_t cap, const char *sql)
{
	size_t i = slot_hash(sql, cap);
	while (slots[i].sql != NULL && slots[i].sql != sql)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Keeps the load factor at or under one half. */
static bool cache_grow(struct db *db)
{
	if (db->count + 1 <= db->cap / 2)
		return true;
	size_t cap = db->cap ? db->cap * 2 : 64;
	struct stmt_slot *slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return false;
	for (size_t i = 0; i < db->cap; i++) {
		if (db->slots[i].sql != NULL)
			*slot_find(slots, cap, db->slots[i].sql) = db->slots[i];
	}
	free(db->slots);
	db->slots = slots;
	db->cap = cap;
	return true;
}

#ifdef BIZSOS_FAULT_INJECTION
static _Thread_local long fault_step_at, fault_prepare_at, fault_steps, fault_prepares;
static _Thread_local bool fault_fired;
static _Thread_local char fault_what[96]; /* the failed statement's SQL, cut */

void db_fault_arm(long step_n, long prepare_n)
{
	fault_step_at = step_n > 0 ? step_n : 0;
	fault_prepare_at = prepare_n > 0 ? prepare_n : 0;
	fault_steps = fault_prepares = 0;
	fault_fired = false;
}

bool db_fault_fired(void)
{
	return fault_fired;
}

const char *db_fault_what(void)
{
	return fault_fired ? fault_what : "";
}

static bool fault_now(long *seen, long at, const char *what, const char *sql)
{
	if (at == 0 || ++*seen != at)
		return false;
	fault_fired = true;
	size_t n = 0;
	for (const char *p = sql ? sql : ""; *p && n + 1 < sizeof(fault_what); p++)
		fault_what[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : ' ';
	fault_what[n] = '\0';
	LOG_WARN("fault injection: %s %ld fails: %s", what, at, fault_what);
	return true;
}
#endif

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
#ifdef BIZSOS_FAULT_INJECTION
	if (fault_now(&fault_prepares, fault_prepare_at, "prepare", sql)) {
		LOG_ERROR("prepare failed: fault injection: %s", sql);
		return NULL;
	}
#endif
	if (db->cap) {
		struct stmt_slot *s = slot_find(db->slots, db->cap, sql);
		if (s->sql != NULL) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			return s->st;
		}
	}
	if (!cache_grow(db)) {
		LOG_ERROR("statement cache: out of memory: %s", sql);
		return NULL;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		LOG_ERROR("prepare failed: %s: %s", sqlite3_errmsg(db->h), sql);
		sqlite3_finalize(st);
		return NULL;
	}
	if (st == NULL) { /* only whitespace or comments */
		LOG_ERROR("prepare failed: empty statement: %s", sql);
		return NULL;
	}
	struct stmt_slot *s = slot_find(db->slots, db->cap, sql);
	s->sql = sql;
	s->st = st;
	db->count++;
	return st;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	return h;
}

sqlite3_stmt *db_stmt_text(struct db *db, const char *sql)
{
	uint64_t h = fnv1a(sql);
	struct shape *victim = &db->shapes[0];
	for (size_t i = 0; i < SHAPES_MAX; i++) {
		struct shape *s = &db->shapes[i];
		if (s->sql && s->hash == h && strcmp(s->sql, sql) == 0) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			s->used = ++db->shape_tick;
			return s->st;
		}
		if (victim->sql && (s->sql == NULL || s->used < victim->used))
			victim = s;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK ||
	    st == NULL) {
		LOG_ERROR("prepare failed: %s: %s", sqlite3_errmsg(db->h), sql);
		sqlite3_finalize(st);
		return NULL;
	}
	char *copy = strdup(sql);
	if (copy == NULL) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_finalize(victim->st);
	free(victim->sql);
	*victim = (struct shape){copy, h, ++db->shape_tick, st};
	return st;
}

/* --- running -------------------------------------------------------------- */

int db_step(sqlite3_stmt *st)
{
#ifdef BIZSOS_FAULT_INJECTION
	if (fault_now(&fault_steps, fault_step_at, "step", sqlite3_sql(st)))
		return SQLITE_IOERR;
#endif
	return sqlite3_step(st);
}
