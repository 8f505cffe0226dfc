/* The daemon's two kinds of helper threads: the connection watchdog (header
 * and body deadlines) and the sign-in threads (slow requests). */
#include "bizsos/app.h"
#include "bizsos/http.h"
#include "bizsos/web.h"

#include "server_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>

/* ---- deadlines ---------------------------------------------------------------
 * libmicrohttpd's connection timeout counts inactivity only: a client that sends
 * a header line every few seconds holds its connection forever. Every
 * connection is therefore watched: from the moment it opens (or its previous
 * response is done) it has header_timeout seconds to deliver a complete
 * request head, then body_timeout seconds for the body. A watchdog thread shuts
 * overdue sockets down; libmicrohttpd then sees the end of the stream and
 * closes the connection itself. A connection whose response is being sent is
 * left to the inactivity timeout. */

struct watch {
	int fd;
	enum watch_phase phase;
	time_t since; /* CLOCK_MONOTONIC seconds */
	struct watch *prev, *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct watch *head;
	bool stop;
	int header_timeout, body_timeout;
	long cut; /* connections shut down for missing a deadline */
} watchdog = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, false, 10, 120, 0};

static time_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void server_notify_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct watch *w = calloc(1, sizeof(*w));
		if (w == NULL || ci == NULL) {
			free(w);
			*socket_context = NULL;
			return;
		}
		w->fd = ci->connect_fd;
		w->phase = WATCH_HEAD;
		w->since = mono_now();
		pthread_mutex_lock(&watchdog.mu);
		w->next = watchdog.head;
		if (watchdog.head)
			watchdog.head->prev = w;
		watchdog.head = w;
		pthread_mutex_unlock(&watchdog.mu);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		/* Called before libmicrohttpd closes the socket: once unlinked here, the
		 * watchdog can never touch a reused descriptor. */
		struct watch *w = *socket_context;
		if (w == NULL)
			return;
		pthread_mutex_lock(&watchdog.mu);
		if (w->prev)
			w->prev->next = w->next;
		else
			watchdog.head = w->next;
		if (w->next)
			w->next->prev = w->prev;
		pthread_mutex_unlock(&watchdog.mu);
		free(w);
		*socket_context = NULL;
	}
}

/* Moves the connection's watch to phase, restarting its clock. */
void server_watch_phase(struct MHD_Connection *mc, enum watch_phase phase)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct watch *w = ci ? ci->socket_context : NULL;
	if (w == NULL)
		return;
	pthread_mutex_lock(&watchdog.mu);
	if (w->phase != WATCH_CUT) {
		w->phase = phase;
		w->since = mono_now();
	}
	pthread_mutex_unlock(&watchdog.mu);
}

static void *watchdog_run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&watchdog.mu);
	while (!watchdog.stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&watchdog.cv, &watchdog.mu, &until);
		time_t now = mono_now();
		for (struct watch *w = watchdog.head; w; w = w->next) {
			int limit = w->phase == WATCH_HEAD   ? watchdog.header_timeout
			            : w->phase == WATCH_BODY ? watchdog.body_timeout
			                                     : 0;
			if (limit > 0 && now - w->since >= limit) {
				shutdown(w->fd, SHUT_RDWR);
				w->phase = WATCH_CUT;
				watchdog.cut++;
			}
		}
	}
	pthread_mutex_unlock(&watchdog.mu);
	return NULL;
}

/* ---- sign-in threads ----------------------------------------------------------
 * Hashing a password takes ~100 ms of CPU and 64 MiB. Done on a request thread
 * it would stall every other connection that thread serves (libmicrohttpd's
 * thread pool multiplexes many connections per thread). Such requests are
 * therefore handed to login_concurrency threads of their own through a short
 * queue; when the queue is full the answer is 503 with Retry-After at once. */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *head, *tail;
	int queued, cap, nthreads;
	bool stop;
	pthread_t threads[64];
} slow = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, false, {0}};

static void *slow_run(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&slow.mu);
		while (slow.head == NULL && !slow.stop)
			pthread_cond_wait(&slow.cv, &slow.mu);
		struct conn *c = slow.head;
		if (c == NULL) {
			pthread_mutex_unlock(&slow.mu);
			break;
		}
		slow.head = c->next_job;
		if (slow.head == NULL)
			slow.tail = NULL;
		slow.queued--;
		pthread_mutex_unlock(&slow.mu);
		bz_log_request_id(c->rid);
		dispatch(&c->rq, &c->rs, rq_header(&c->rq, "Authorization"),
		         rq_header(&c->rq, "X-CSRF-Token"));
		bz_log_request_id(NULL);
		atomic_store(&c->dispatched, true);
		MHD_resume_connection(c->mc);
	}
	return NULL;
}

/* Queues c for a sign-in thread; false when the queue is full. */
bool server_slow_enqueue(struct conn *c)
{
	pthread_mutex_lock(&slow.mu);
	bool ok = !slow.stop && slow.nthreads > 0 && slow.queued < slow.cap;
	if (ok) {
		c->next_job = NULL;
		if (slow.tail)
			slow.tail->next_job = c;
		else
			slow.head = c;
		slow.tail = c;
		slow.queued++;
		pthread_cond_signal(&slow.cv);
	}
	pthread_mutex_unlock(&slow.mu);
	return ok;
}

bool server_slow_start(int n)
{
	slow.stop = false;
	slow.nthreads = 0;
	slow.cap = n * 4;
	for (int i = 0; i < n && i < (int)BZ_ARRAY_LEN(slow.threads); i++) {
		if (pthread_create(&slow.threads[i], NULL, slow_run, NULL) != 0)
			break;
		slow.nthreads++;
	}
	return slow.nthreads > 0;
}

/* Lets the threads finish every queued request (resuming its connection), then joins them. */
void server_slow_stop(void)
{
	pthread_mutex_lock(&slow.mu);
	slow.stop = true;
	pthread_cond_broadcast(&slow.cv);
	pthread_mutex_unlock(&slow.mu);
	for (int i = 0; i < slow.nthreads; i++)
		pthread_join(slow.threads[i], NULL);
	slow.nthreads = 0;
}

void server_watchdog_stop(pthread_t dog)
{
	pthread_mutex_lock(&watchdog.mu);
	watchdog.stop = true;
	pthread_cond_signal(&watchdog.cv);
	pthread_mutex_unlock(&watchdog.mu);
	pthread_join(dog, NULL);
}

bool server_watchdog_start(int header_timeout, int body_timeout, pthread_t *dog)
{
	watchdog.header_timeout = header_timeout;
	watchdog.body_timeout = body_timeout;
	watchdog.stop = false;
	return pthread_create(dog, NULL, watchdog_run, NULL) == 0;
}

long server_watchdog_cut(void)
{
	return watchdog.cut;
}
