/* Loopback SMTP sink and HTTP receiver for the tests (see sinks.h). */
#define _GNU_SOURCE
#include "sinks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void t_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int listen_loopback(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Waits for a connection while checking *stop under mu; -1 when stopping. */
static int accept_or_stop(int fd, pthread_mutex_t *mu, bool *stop)
{
	for (;;) {
		pthread_mutex_lock(mu);
		bool s = *stop;
		pthread_mutex_unlock(mu);
		if (s)
			return -1;
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 50) > 0) {
			int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				struct timeval tv = {10, 0};
				setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
				return c;
			}
		}
	}
}

static void say(int c, const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = send(c, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Reads one CRLF line (without it) into line; false at EOF. */
static bool read_line(int c, struct buf *pending, char *line, size_t linelen)
{
	for (;;) {
		char *eol = pending->s ? memmem(pending->s, pending->len, "\r\n", 2) : NULL;
		if (eol) {
			size_t n = (size_t)(eol - pending->s);
			size_t k = n < linelen - 1 ? n : linelen - 1;
			memcpy(line, pending->s, k);
			line[k] = '\0';
			size_t rest = pending->len - n - 2;
			memmove(pending->s, eol + 2, rest);
			pending->len = rest;
			pending->s[rest] = '\0';
			return true;
		}
		char chunk[4096];
		ssize_t r = recv(c, chunk, sizeof(chunk), 0);
		if (r <= 0)
			return false;
		buf_append(pending, chunk, (size_t)r);
	}
}

/* ---- SMTP ---- */

static void copy_addr(const char *arg, char *out, size_t outlen)
{
	const char *lt = strchr(arg, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t n = lt && gt ? (size_t)(gt - lt - 1) : strlen(arg);
	const char *from = lt && gt ? lt + 1 : arg;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, from, n);
	out[n] = '\0';
}

static void smtp_session(struct smtp_sink *s, int c)
{
	struct buf pending;
	buf_init(&pending, 0);
	char line[8192], from[256] = "", rcpt[256] = "";
	say(c, "220 sink.test ESMTP\r\n");
	while (read_line(c, &pending, line, sizeof(line))) {
		if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
			say(c, "250-sink.test\r\n250 8BITMIME\r\n");
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			copy_addr(line + 10, from, sizeof(from));
			say(c, "250 OK\r\n");
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			copy_addr(line + 8, rcpt, sizeof(rcpt));
			say(c, "250 OK\r\n");
		} else if (strncasecmp(line, "DATA", 4) == 0) {
			say(c, "354 go ahead\r\n");
			struct buf data;
			buf_init(&data, 0);
			bool done = false;
			while (read_line(c, &pending, line, sizeof(line))) {
				if (strcmp(line, ".") == 0) {
					done = true;
					break;
				}
				buf_puts(&data, line[0] == '.' ? line + 1 : line);
				buf_puts(&data, "\r\n");
			}
			if (!done) {
				buf_free(&data);
				break;
			}
			pthread_mutex_lock(&s->mu);
			if (s->n < SINK_MAX) {
				struct smtp_msg *m = &s->msgs[s->n++];
				snprintf(m->from, sizeof(m->from), "%s", from);
				snprintf(m->rcpt, sizeof(m->rcpt), "%s", rcpt);
				m->data = buf_detach(&data, NULL);
			}
			pthread_mutex_unlock(&s->mu);
			buf_free(&data);
			say(c, "250 queued\r\n");
		} else if (strncasecmp(line, "QUIT", 4) == 0) {
			say(c, "221 bye\r\n");
			break;
		} else if (strncasecmp(line, "RSET", 4) == 0 || strncasecmp(line, "NOOP", 4) == 0) {
			say(c, "250 OK\r\n");
		} else {
			say(c, "502 not here\r\n");
		}
	}
	buf_free(&pending);
	close(c);
}

static void *smtp_run(void *arg)
{
	struct smtp_sink *s = arg;
	int c;
	while ((c = accept_or_stop(s->fd, &s->mu, &s->stop)) >= 0)
		smtp_session(s, c);
	return NULL;
}

int smtp_sink_start(struct smtp_sink *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mu, NULL);
	if ((s->fd = listen_loopback(&s->port)) < 0)
		return -1;
	return pthread_create(&s->thread, NULL, smtp_run, s);
}

void smtp_sink_stop(struct smtp_sink *s)
{
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	close(s->fd);
	for (size_t i = 0; i < s->n; i++)
		free(s->msgs[i].data);
	pthread_mutex_destroy(&s->mu);
}

size_t smtp_sink_count(struct smtp_sink *s)
{
	pthread_mutex_lock(&s->mu);
	size_t n = s->n;
	pthread_mutex_unlock(&s->mu);
	return n;
}

size_t smtp_sink_wait(struct smtp_sink *s, size_t n, int timeout_ms)
{
	size_t have;
	for (int t = 0; (have = smtp_sink_count(s)) < n && t < timeout_ms; t += 20)
		t_sleep_ms(20);
	return have;
}

/* ---- HTTP ---- */

static void hook_session(struct hook *h, int c)
{
	struct buf in;
	buf_init(&in, 0);
	char *end = NULL;
	while ((end = in.s ? memmem(in.s, in.len, "\r\n\r\n", 4) : NULL) == NULL) {
		char chunk[4096];
		ssize_t r = recv(c, chunk, sizeof(chunk), 0);
		if (r <= 0) {
			buf_free(&in);
			close(c);
			return;
		}
		buf_append(&in, chunk, (size_t)r);
	}
	size_t head_len = (size_t)(end - in.s) + 4;
	struct hook_req rq = {0};
	sscanf(in.s, "%15s %1023s", rq.method, rq.path);
	rq.headers = strndup(in.s, head_len);
	size_t clen = 0;
	char v[64];
	if (hook_header(&rq, "Content-Length", v, sizeof(v)))
		clen = (size_t)strtoul(v, NULL, 10);
	while (in.len - head_len < clen) {
		char chunk[4096];
		ssize_t r = recv(c, chunk, sizeof(chunk), 0);
		if (r <= 0)
			break;
		buf_append(&in, chunk, (size_t)r);
	}
	size_t have = in.len - head_len < clen ? in.len - head_len : clen;
	rq.body = malloc(have + 1);
	memcpy(rq.body, in.s + head_len, have);
	rq.body[have] = '\0';
	rq.body_len = have;
	buf_free(&in);
	pthread_mutex_lock(&h->mu);
	size_t idx = h->n;
	if (h->n < SINK_MAX)
		h->reqs[h->n++] = rq;
	h->busy++;
	pthread_mutex_unlock(&h->mu);
	struct buf resp;
	buf_init(&resp, 0);
	int status = h->fn ? h->fn(h, idx < SINK_MAX ? &h->reqs[idx] : &rq, &resp) : 200;
	pthread_mutex_lock(&h->mu);
	h->busy--;
	pthread_mutex_unlock(&h->mu);
	char head[256];
	snprintf(head, sizeof(head),
	         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	         "Connection: close\r\n\r\n",
	         status, resp.len);
	say(c, head);
	if (resp.len)
		say(c, resp.s);
	buf_free(&resp);
	if (idx >= SINK_MAX) {
		free(rq.headers);
		free(rq.body);
	}
	close(c);
}

struct session {
	struct hook *h;
	int c;
};

static void *session_run(void *arg)
{
	struct session *s = arg;
	struct hook *h = s->h;
	hook_session(h, s->c);
	free(s);
	pthread_mutex_lock(&h->mu);
	h->active--;
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* One thread per connection: a hanging answer does not hold up the next. */
static void *hook_run(void *arg)
{
	struct hook *h = arg;
	int c;
	while ((c = accept_or_stop(h->fd, &h->mu, &h->stop)) >= 0) {
		struct session *s = malloc(sizeof(*s));
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_mutex_lock(&h->mu);
		h->active++;
		pthread_mutex_unlock(&h->mu);
		s->h = h;
		s->c = c;
		if (pthread_create(&t, &attr, session_run, s) != 0) {
			hook_session(h, c);
			free(s);
			pthread_mutex_lock(&h->mu);
			h->active--;
			pthread_mutex_unlock(&h->mu);
		}
		pthread_attr_destroy(&attr);
	}
	return NULL;
}

int hook_start(struct hook *h, hook_fn fn, void *ud)
{
	memset(h, 0, sizeof(*h));
	h->fn = fn;
	h->ud = ud;
	pthread_mutex_init(&h->mu, NULL);
	if ((h->fd = listen_loopback(&h->port)) < 0)
		return -1;
	return pthread_create(&h->thread, NULL, hook_run, h);
}

void hook_stop(struct hook *h)
{
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	close(h->fd);
	for (;;) { /* sessions finish (handlers check hook_stopping) */
		pthread_mutex_lock(&h->mu);
		int a = h->active;
		pthread_mutex_unlock(&h->mu);
		if (a == 0)
			break;
		t_sleep_ms(10);
	}
	for (size_t i = 0; i < h->n; i++) {
		free(h->reqs[i].headers);
		free(h->reqs[i].body);
	}
	pthread_mutex_destroy(&h->mu);
}

size_t hook_count(struct hook *h)
{
	pthread_mutex_lock(&h->mu);
	size_t n = h->n;
	pthread_mutex_unlock(&h->mu);
	return n;
}

size_t hook_wait(struct hook *h, size_t n, int timeout_ms)
{
	size_t have;
	for (int t = 0; (have = hook_count(h)) < n && t < timeout_ms; t += 20)
		t_sleep_ms(20);
	return have;
}

bool hook_stopping(struct hook *h)
{
	pthread_mutex_lock(&h->mu);
	bool s = h->stop;
	pthread_mutex_unlock(&h->mu);
	return s;
}

bool hook_busy(struct hook *h)
{
	pthread_mutex_lock(&h->mu);
	bool b = h->busy > 0;
	pthread_mutex_unlock(&h->mu);
	return b;
}

bool hook_header(const struct hook_req *rq, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = rq->headers ? strstr(rq->headers, "\r\n") : NULL;
	while (p && p[2]) {
		p += 2;
		const char *eol = strstr(p, "\r\n");
		if (eol == NULL || eol == p)
			break;
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			size_t k = (size_t)(eol - v);
			if (k >= outlen)
				k = outlen - 1;
			memcpy(out, v, k);
			out[k] = '\0';
			return true;
		}
		p = eol;
	}
	return false;
}
