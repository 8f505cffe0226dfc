/* Private to src/jobs: the background thread both the worker (worker.c) and
 * the maintenance thread (maintenance.c) run on — its lock, its wake-up
 * condition and the stop flag, started and stopped one way. */
#ifndef BIZSOS_JOBS_INTERNAL_H
#define BIZSOS_JOBS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

struct jobs_thread {
	pthread_t thread;
	pthread_mutex_t mu; /* guards stop; the thread waits on cv under it */
	pthread_cond_t cv;
	bool stop;
};

/* Starts run(arg) on a new thread, born with every signal blocked (signals are
 * the main thread's: sigwait in server_run). false when it cannot start (the
 * lock and condition are freed again). */
bool jobs_thread_start(struct jobs_thread *t, void *(*run)(void *), void *arg);
/* Asks the thread to stop, wakes it, waits for it, frees the lock and the
 * condition. */
void jobs_thread_stop(struct jobs_thread *t);
/* Has the thread been asked to stop? (takes the lock) */
bool jobs_thread_stopping(struct jobs_thread *t);

#endif
