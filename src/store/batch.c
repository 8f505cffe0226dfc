/* Write batching: concurrent writes share one transaction (include/bizsos/batch.h).
 *
 * Why: one case is about 30 pages of the WAL (the row, its ten indexes, the
 * full-text index's new segment, the bigram index, the event, the sequence),
 * about 117 KB written and synced per commit. N cases in one transaction
 * write the shared pages once (about 10-25 KB per case at 8-32 per batch),
 * and their callers sleep on their own condition variables instead of
 * polling the write lock.
 *
 * How: a caller queues its unit; if no batch is running for its database
 * file it becomes the runner: it takes every queued unit (its own first),
 * runs them in one BEGIN IMMEDIATE, each in a savepoint, and commits with the
 * fsync deferred (db_sync_defer: the WAL is written, not yet synced). Then it
 * hands the queue to the next waiting caller, who runs the units queued
 * meanwhile, and only then waits for the group fsync that covers its commit:
 * the next batch's statements overlap this batch's fsync. Once the commit is on
 * disk it marks its units done and wakes their callers: no write is answered
 * before it is durable.
 *
 * The daemon (db_batch_writer) runs every batch on one connection of the
 * batcher's: only it writes there, so its page cache stays valid from one
 * batch to the next (a connection that sees another's commit drops its whole
 * cache and reads every page again). */
#include "bizsos/batch.h"
#include "bizsos/store_raw.h"
#include "db_internal.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_FILES 8
#define BATCH_MAX   64 /* units per transaction */

struct batch_unit {
	db_batch_fn fn;
	void *arg;
	bz_rc rc;
	bool busy;  /* it met a busy database (db_busy_seen, for its caller) */
	bool taken; /* in a batch (running, or waiting for its fsync) */
	bool done;
	pthread_cond_t wake; /* done, or the queue has no runner (one waiter at a time) */
	struct batch_unit *next;
};

struct batch_queue {
	char path[PATH_MAX]; /* the main database file; "" for a free slot */
	struct batch_unit *head;
	struct batch_unit **tail;
	bool running;
	struct db *writer; /* the connection batches run on (db_batch_writer) */
};

static struct batch_queue queues[BATCH_FILES];
static pthread_mutex_t batch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_idle = PTHREAD_COND_INITIALIZER; /* a runner finished */
static bool batch_enabled; /* BIZSOS_WRITE_BATCH, read once (batch_once) */
static pthread_once_t batch_once = PTHREAD_ONCE_INIT;
static bool use_writer; /* db_batch_writer(true) */
/* BIZSOS_BATCH_STATS=N (a diagnostic): every N batches, log how many units
 * they held, and the runner's time per batch in the units and their commit
 * (the serial part) and waiting for the fsync (overlapped with the next). */
static long stats_every, stats_batches, stats_units, stats_shared;
static double stats_run_ms, stats_sync_ms;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The queue of the file at path, taken if new; NULL when all are taken. */
static struct batch_queue *queue_for(const char *path)
{
	for (size_t i = 0; i < BATCH_FILES; i++)
		if (strcmp(queues[i].path, path) == 0)
			return &queues[i];
	for (size_t i = 0; i < BATCH_FILES; i++)
		if (queues[i].path[0] == '\0' && strlen(path) < sizeof(queues[i].path)) {
			bz_strlcpy(queues[i].path, path, sizeof(queues[i].path));
			queues[i].head = NULL;
			queues[i].tail = &queues[i].head;
			return &queues[i];
		}
	return NULL;
}

/* Undoes every open level of the connection. */
static void unwind(struct db *db)
{
	while (db_depth(db) > 0)
		db_rollback(db);
	if (!sqlite3_get_autocommit(db_handle(db)))
		db_rollback(db);
}

/* Runs the units in one transaction; false (everything rolled back, no unit's
 * rc set) when the shared transaction could not be used. */
static bool run_shared(struct db *db, struct batch_unit *list)
{
	if (db_begin(db) != BZ_OK) {
		unwind(db);
		return false;
	}
	for (struct batch_unit *u = list; u; u = u->next) {
		if (db_begin(db) != BZ_OK)
			goto lost;
		bz_rc rc = u->fn(db, u->arg);
		if (db_depth(db) != 2 || sqlite3_get_autocommit(db_handle(db)))
			goto lost;
		if (rc == BZ_OK) {
			if (db_commit(db) != BZ_OK)
				goto lost;
		} else {
			db_rollback(db);
		}
		if (db_depth(db) != 1)
			goto lost;
		u->rc = rc;
	}
	if (db_commit(db) != BZ_OK) {
		unwind(db);
		return false;
	}
	return true;
lost:
	unwind(db);
	return false;
}

void db_batch_writer(bool on)
{
	pthread_mutex_lock(&batch_lock);
	use_writer = on;
	for (size_t i = 0; i < BATCH_FILES && !on; i++) {
		while (queues[i].running)
			pthread_cond_wait(&batch_idle, &batch_lock);
		if (queues[i].writer)
			db_close(queues[i].writer);
		queues[i].writer = NULL;
	}
	pthread_mutex_unlock(&batch_lock);
}

/* The connection the runner of q uses: q's writer (opened on first use) or the
 * caller's own. Called by the runner only (q->running), outside the lock. */
static struct db *runner_db(struct batch_queue *q, struct db *own, bool writer)
{
	if (!writer)
		return own;
	if (q->writer == NULL) {
		char err[256];
		if (db_open(q->path, false, &q->writer, err, sizeof(err)) != BZ_OK) {
			LOG_ERROR("write batches: cannot open a writer connection: %s", err);
			q->writer = NULL;
			return own;
		}
		/* A case's INSERT (its indexes, its search entries) keeps a statement
		 * journal; past 64 KiB SQLite spills it to a temporary file (created,
		 * written and unlinked per transaction). This connection only runs
		 * batches, no large sort: temporary data stays in memory. And its
		 * page cache holds the pages every batch touches (the tables' and
		 * indexes' last leaves, the search index's), 16 MiB instead of 2: with
		 * the default, a batch re-read pages it had just written and spilled
		 * dirty pages into the WAL before its commit. */
		db_search_lazy(q->writer, true);
		if (db_exec(q->writer, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384") !=
		    BZ_OK)
			LOG_ERROR("write batches: temp_store or cache_size refused");
	}
	return q->writer;
}

static void batch_init(void)
{
	const char *e = getenv("BIZSOS_WRITE_BATCH");
	batch_enabled = !(e && strcmp(e, "0") == 0);
	e = getenv("BIZSOS_BATCH_STATS");
	stats_every = e ? strtol(e, NULL, 10) : 0;
}

bz_rc db_batch_run(struct db *db, db_batch_fn fn, void *arg)
{
	/* once for the process: concurrent first callers must not race on it */
	pthread_once(&batch_once, batch_init);
	const char *path = sqlite3_db_filename(db_handle(db), "main");
	if (!batch_enabled || db_depth(db) > 0 || path == NULL || *path == '\0')
		return fn(db, arg);

	pthread_mutex_lock(&batch_lock);
	struct batch_queue *q = queue_for(path);
	if (q == NULL) {
		pthread_mutex_unlock(&batch_lock);
		return fn(db, arg);
	}
	bool busy_before = db_busy_seen(); /* the runner's flag serves its units */
	struct batch_unit me = {.fn = fn, .arg = arg};
	pthread_cond_init(&me.wake, NULL);
	*q->tail = &me;
	q->tail = &me.next;
	while (!me.done) {
		if (q->running || me.taken) {
			pthread_cond_wait(&me.wake, &batch_lock);
			continue;
		}
		/* Run the queue: at most BATCH_MAX units, in the order they came. */
		q->running = true;
		struct batch_unit *list = q->head, *last = list;
		for (int n = 1; n < BATCH_MAX && last->next; n++)
			last = last->next;
		for (struct batch_unit *u = list; u != last->next; u = u->next)
			u->taken = true;
		q->head = last->next;
		if (q->head == NULL)
			q->tail = &q->head;
		last->next = NULL;
		bool writer = use_writer;
		pthread_mutex_unlock(&batch_lock);
		struct db *rdb = runner_db(q, db, writer);

		double t0 = stats_every > 0 ? now_ms() : 0;
		db_sync_defer(rdb, true);
		db_busy_reset();
		bool shared = list->next != NULL && run_shared(rdb, list);
		/* The shared transaction waited for another process's write lock
		 * and gave up: so would each unit alone, one after the other. */
		bool locked = !shared && db_busy_seen();
		if (!shared) {
			/* one unit alone, or the shared transaction failed: each alone */
			for (struct batch_unit *u = list; u; u = u->next) {
				if (locked) {
					u->rc = BZ_ERR_DB;
					u->busy = true;
					continue;
				}
				db_busy_reset();
				u->rc = u->fn(rdb, u->arg);
				u->busy = db_busy_seen();
				if (db_depth(rdb) > 0 || !sqlite3_get_autocommit(db_handle(rdb))) {
					/* left a level open: nothing of it is committed */
					LOG_ERROR("write batches: a unit left a transaction open");
					unwind(rdb);
					if (u->rc == BZ_OK)
						u->rc = BZ_ERR_DB;
				}
			}
		}
		db_sync_defer(rdb, false);
		struct db_sync_ticket owed;
		db_sync_take(rdb, &owed);
		if (rdb != db) /* no statement of the writer's keeps a read snapshot */
			for (sqlite3_stmt *st = sqlite3_next_stmt(db_handle(rdb), NULL); st;
			     st = sqlite3_next_stmt(db_handle(rdb), st))
				sqlite3_reset(st);

		/* The next batch may run now; this one's fsync overlaps it. */
		pthread_mutex_lock(&batch_lock);
		q->running = false;
		if (q->head) /* the next batch: run by its first caller */
			pthread_cond_signal(&q->head->wake);
		pthread_cond_broadcast(&batch_idle);
		pthread_mutex_unlock(&batch_lock);

		double t1 = stats_every > 0 ? now_ms() : 0;
		db_sync_wait(&owed);
		double t2 = stats_every > 0 ? now_ms() : 0;

		pthread_mutex_lock(&batch_lock);
		/* Each caller woken alone (no herd); u is its caller's, gone once it
		 * has seen done, so signalled before the lock is let go. */
		for (struct batch_unit *u = list, *next; u; u = next) {
			next = u->next;
			u->done = true;
			if (u != &me)
				pthread_cond_signal(&u->wake);
			stats_units++;
		}
		stats_shared += shared;
		stats_run_ms += t1 - t0;
		stats_sync_ms += t2 - t1;
		if (stats_every > 0 && ++stats_batches % stats_every == 0)
			bz_log("info",
			       "write batches: %ld, %ld shared, %.2f units per batch; per batch "
			       "%.3f ms running, %.3f ms waiting for the fsync",
			       stats_batches, stats_shared, (double)stats_units / stats_batches,
			       stats_run_ms / (double)stats_batches,
			       stats_sync_ms / (double)stats_batches);
	}
	pthread_mutex_unlock(&batch_lock);
	pthread_cond_destroy(&me.wake);
	db_busy_reset();
	if (busy_before || me.busy)
		db_busy_note();
	return me.rc;
}
