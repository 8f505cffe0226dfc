/* Write batching (src/store/batch.c): concurrent units share transactions,
 * each is committed or rolled back on its own, none is lost or doubled, and
 * a unit that breaks the shared transaction costs the others nothing. */
#include "bizsos/batch.h"
#include "bizsos/store_raw.h"
#include "harness.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 8
#define UNITS   40

static char path[512];
static long elsewhere; /* units run on another thread's connection */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

struct unit {
	long who, n;
	bool fail;       /* inserts, then rolls its level back and refuses */
	bool unbalanced; /* leaves its level open (a broken unit) */
	pthread_t caller;
};

static bz_rc insert_unit(struct db *db, void *arg)
{
	struct unit *u = arg;
	if (!pthread_equal(u->caller, pthread_self())) {
		pthread_mutex_lock(&mu);
		elsewhere++;
		pthread_mutex_unlock(&mu);
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	rc = db_execf(db, "INSERT INTO w (who, n) VALUES (?1, ?2)", "ii", (int64_t)u->who,
	              (int64_t)u->n);
	if (u->unbalanced)
		return rc;
	if (rc == BZ_OK && u->fail)
		rc = BZ_ERR_INVALID;
	if (rc == BZ_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static void *worker(void *arg)
{
	long who = (long)(intptr_t)arg;
	struct db *db = NULL;
	char err[256];
	long wrong = 0;
	if (db_open(path, false, &db, err, sizeof(err)) != BZ_OK)
		return (void *)(intptr_t)UNITS;
	for (long i = 0; i < UNITS; i++) {
		struct unit u = {.who = who,
		                 .n = i,
		                 .fail = i % 5 == 4,
		                 .unbalanced = who == 0 && i == 7,
		                 .caller = pthread_self()};
		bz_rc rc = db_batch_run(db, insert_unit, &u);
		bz_rc want = u.unbalanced ? BZ_ERR_DB : u.fail ? BZ_ERR_INVALID : BZ_OK;
		if (rc != want) /* CHECK is not for threads: counted here */
			wrong++;
		if (db_depth(db) != 0 || !sqlite3_get_autocommit(db_handle(db)))
			wrong++; /* the caller's connection left inside a transaction */
	}
	db_close(db);
	return (void *)(intptr_t)wrong;
}

static void run_threads(struct db *db, int round)
{
	CHECK_INT(db_execf(db, "DELETE FROM w", ""), BZ_OK);
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	long wrong = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r = NULL;
		pthread_join(t[i], &r);
		wrong += (long)(intptr_t)r;
	}
	CHECK(wrong == 0, "round %d: %ld units answered other than they did", round, wrong);
	/* every unit that succeeded is there once; failed and broken ones are not */
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM w", 0),
	          THREADS * UNITS - THREADS * UNITS / 5 - 1);
	CHECK_INT(t_db_int(db, "SELECT count(DISTINCT who * 1000 + n) FROM w", 0),
	          THREADS * UNITS - THREADS * UNITS / 5 - 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM w WHERE n % 5 = 4 OR (who = 0 AND n = 7)", 0),
	          0);
}

static bz_rc nested_unit(struct db *db, void *arg)
{
	*(struct db **)arg = db;
	return db_execf(db, "INSERT INTO w (who, n) VALUES (-1, -1)", "");
}

int main(void)
{
	char err[256];
	struct db *db = NULL;
	t_path(path, sizeof(path), "batch.db");
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return t_done();
	CHECK_INT(db_exec(db, "CREATE TABLE w (who INTEGER, n INTEGER)"), BZ_OK);

	/* Inside a caller's transaction: run there, on the caller's connection. */
	struct db *ran_on = NULL;
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK_INT(db_batch_run(db, nested_unit, &ran_on), BZ_OK);
	CHECK(ran_on == db, "a unit inside a transaction runs on the caller's connection");
	db_rollback(db);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM w", 0), 0);

	/* On the callers' own connections, then on the batcher's writer. */
	run_threads(db, 1);
	db_batch_writer(true);
	run_threads(db, 2);
	db_batch_writer(false);
	printf("units run on another thread's connection: %ld of %d\n", elsewhere,
	       2 * THREADS * UNITS);
	db_close(db);
	t_cleanup();
	return t_done();
}
