/* Write batching: concurrent write requests share one transaction, one WAL
 * write and one fsync (src/store/batch.c). */
#ifndef BIZSOS_BATCH_H
#define BIZSOS_BATCH_H

#include "bizsos/store.h"

/* A unit of work for db_batch_run: it uses only the db it is given (which may
 * be another thread's connection), opens and closes its own db_begin levels
 * in balance, and has no effect outside the database that a second run after
 * a rollback would repeat wrongly. */
typedef bz_rc (*db_batch_fn)(struct db *db, void *arg);

/* Runs fn(db', arg) and returns its result once its changes (if it returned
 * BZ_OK) are committed and on disk. Concurrent calls for the same database
 * file are combined: one thread (the first to arrive while none is running)
 * opens BEGIN IMMEDIATE, runs each queued unit in its own savepoint (a unit
 * that fails is rolled back to its savepoint alone), commits once (one group
 * fsync for all) and then hands every caller its own result; db' is that
 * thread's connection. Called inside a transaction (db_begin open), for an
 * in-memory database, or with BIZSOS_WRITE_BATCH=0 in the environment, it is
 * just fn(db, arg). If the shared transaction cannot be used (BEGIN or COMMIT
 * fails, a unit leaves its levels unbalanced or SQLite rolled it all back),
 * every unit of that batch is run again alone, in its own transaction. */
bz_rc db_batch_run(struct db *db, db_batch_fn fn, void *arg);

/* on: batches run on one connection per database file, opened by the batcher
 * (the daemon: its page cache stays valid between batches); off (the
 * default): on the runner's own connection. Turning it off waits for running
 * batches and closes those connections. */
void db_batch_writer(bool on);

/* Open db_begin levels of the connection (0: no transaction). */
int db_depth(struct db *db);

#endif
