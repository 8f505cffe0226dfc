/* Loopback stand-ins for the world the daemon talks to, run as threads of the
 * test: an SMTP sink that keeps every message, and an HTTP receiver that
 * records every request and answers as the test's handler says (webhooks,
 * the tax office's status service). Both listen on 127.0.0.1, port 0. */
#ifndef BIZSOS_TEST_SINKS_H
#define BIZSOS_TEST_SINKS_H

#include "bizsos/buf.h"
#include <pthread.h>
#include <stdbool.h>

#define SINK_MAX 256

struct smtp_msg {
	char from[256];
	char rcpt[256];
	char *data; /* the message as sent, dot-unstuffed, CRLF line ends */
};

struct smtp_sink {
	int fd, port;
	pthread_t thread;
	pthread_mutex_t mu;
	bool stop;
	size_t n;
	struct smtp_msg msgs[SINK_MAX];
};

/* Starts listening; 0 on success. */
int smtp_sink_start(struct smtp_sink *s);
void smtp_sink_stop(struct smtp_sink *s);
/* How many messages arrived so far. */
size_t smtp_sink_count(struct smtp_sink *s);
/* Waits until at least n messages arrived or timeout_ms passed; the count. */
size_t smtp_sink_wait(struct smtp_sink *s, size_t n, int timeout_ms);

struct hook_req {
	char method[16];
	char path[1024];
	char *headers; /* the header block, CRLF separated */
	char *body;
	size_t body_len;
};

struct hook;
/* Answers one request: fills resp (may stay empty) and returns the status.
 * Runs on the connection's own thread (several may run at once); may sleep
 * (check hook_stopping). */
typedef int (*hook_fn)(struct hook *h, const struct hook_req *rq, struct buf *resp);

struct hook {
	int fd, port;
	pthread_t thread;
	pthread_mutex_t mu;
	bool stop;
	int busy;   /* requests inside the handler */
	int active; /* connections being served (a thread each) */
	hook_fn fn;
	void *ud;
	size_t n;
	struct hook_req reqs[SINK_MAX];
};

int hook_start(struct hook *h, hook_fn fn, void *ud);
void hook_stop(struct hook *h);
size_t hook_count(struct hook *h);
size_t hook_wait(struct hook *h, size_t n, int timeout_ms);
bool hook_stopping(struct hook *h);
bool hook_busy(struct hook *h);
/* The value of header name of request i (case-insensitive) into out. */
bool hook_header(const struct hook_req *rq, const char *name, char *out, size_t outlen);

/* Sleeps ms milliseconds. */
void t_sleep_ms(int ms);

#endif
