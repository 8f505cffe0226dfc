/* The daemon's listening socket and the thread that accepts on it.
 *
 * libmicrohttpd's worker threads all wait on one listening socket, and the
 * first to wake takes every connection then pending: 16 connections opened
 * together landed on 5 of 16 workers. A worker runs its connections' requests
 * one at a time, so a write waiting for its batch's fsync held up the two or
 * three other connections of its worker, and the batches stayed small.
 *
 * Here one thread accepts, and hands the connections to the workers in turn.
 * libmicrohttpd gives a connection added with MHD_add_connection to the worker
 * its descriptor number points to (the number modulo the pool's size; the next
 * one when that worker is full), so each connection is given a descriptor
 * number of its worker's class (place). The daemon still applies its limits
 * (total, per address) and the accept policy. */
#define _GNU_SOURCE /* accept4 */
#include "bizsos/common.h"

#include "server_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct server_acceptor {
	struct MHD_Daemon *daemon;
	unsigned workers; /* the daemon's thread pool */
	unsigned next;    /* the worker the next connection goes to */
	bool starved;     /* out of descriptors or memory (said once) */
	int fd;           /* the listening socket */
	int wake;         /* eventfd: written to stop the thread */
	pthread_t thread;
};

int server_listen(const struct sockaddr_in *sa, int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int on = 1;
	struct sockaddr_in bound;
	socklen_t len = sizeof(bound);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0 || listen(fd, SOMAXCONN) != 0 ||
	    getsockname(fd, (struct sockaddr *)&bound, &len) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	*port = ntohs(bound.sin_port);
	return fd;
}

/* c, or a duplicate of it numbered for worker k of n (c is then closed). Each
 * try takes the lowest free number from a candidate of k's class on: when that
 * is not of the class, every number from the candidate to it is in use, and the
 * next candidate lies past it. Keeps c when no number fits under the
 * descriptor limit (the connection then goes where c points). */
static int place(int c, unsigned k, unsigned n)
{
	if (n < 2 || (unsigned)c % n == k)
		return c;
	unsigned from = 0;
	for (int tries = 0; tries < 64; tries++) {
		unsigned want = from - from % n + k; /* the first of k's class from `from` on */
		if (want < from)
			want += n;
		int d = fcntl(c, F_DUPFD_CLOEXEC, (int)want);
		if (d < 0)
			return c;
		if ((unsigned)d % n == k) {
			close(c);
			return d;
		}
		close(d);
		from = (unsigned)d;
	}
	return c;
}

/* Accepts every connection pending on a->fd; false when the thread must stop
 * (the socket failed for good). */
static bool accept_pending(struct server_acceptor *a)
{
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof(addr);
		int c =
		    accept4(a->fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c >= 0) {
			a->starved = false;
			c = place(c, a->next, a->workers);
			a->next = (a->next + 1) % a->workers;
			/* Closes c itself when it cannot take it (a limit, no memory). */
			(void)MHD_add_connection(a->daemon, c, (const struct sockaddr *)&addr, len);
			continue;
		}
		switch (errno) {
		case EAGAIN:
#if EAGAIN != EWOULDBLOCK
		case EWOULDBLOCK:
#endif
			return true;
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
		case EPERM: /* a firewall rule refused it */
			continue;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM: {
			/* Out of descriptors or memory: the connection waits in the
			 * backlog while open ones finish; look again shortly. */
			if (!a->starved)
				LOG_WARN("accept: %s; retrying", strerror(errno));
			a->starved = true;
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
			return true;
		}
		default:
			LOG_ERROR("accept: %s; no longer accepting connections", strerror(errno));
			return false;
		}
	}
}

static void *accept_run(void *arg)
{
	struct server_acceptor *a = arg;
	struct pollfd p[2] = {{.fd = a->fd, .events = POLLIN}, {.fd = a->wake, .events = POLLIN}};
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			LOG_ERROR("accept: poll: %s", strerror(errno));
			break;
		}
		if (p[1].revents)
			break;
		if (p[0].revents && !accept_pending(a))
			break;
	}
	return NULL;
}

struct server_acceptor *server_accept_start(struct MHD_Daemon *daemon, unsigned workers, int fd)
{
	struct server_acceptor *a = calloc(1, sizeof(*a));
	if (a == NULL) {
		close(fd);
		return NULL;
	}
	a->daemon = daemon;
	a->workers = workers ? workers : 1;
	a->fd = fd;
	a->wake = eventfd(0, EFD_CLOEXEC);
	if (a->wake < 0 || pthread_create(&a->thread, NULL, accept_run, a) != 0) {
		if (a->wake >= 0)
			close(a->wake);
		close(fd);
		free(a);
		return NULL;
	}
	return a;
}

void server_accept_stop(struct server_acceptor *a)
{
	if (a == NULL)
		return;
	uint64_t one = 1;
	while (write(a->wake, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(a->thread, NULL);
	close(a->wake);
	close(a->fd);
	free(a);
}
