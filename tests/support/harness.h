/* Test support: assertions that count and keep going, plus a real daemon on an
 * ephemeral loopback port driven with libcurl. */
#ifndef BIZSOS_TEST_HARNESS_H
#define BIZSOS_TEST_HARNESS_H

#include "bizsos/buf.h"
#include <curl/curl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

extern int t_failed, t_passed;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			t_passed++;                                                                \
		} else {                                                                           \
			t_failed++;                                                                \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)
#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		CHECK(a_ == b_, "%s = %lld, expected %lld", #a, a_, b_);                           \
	} while (0)
#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		CHECK(a_ &&b_ &&strcmp(a_, b_) == 0, "%s = \"%s\", expected \"%s\"", #a,           \
		      a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                     \
	} while (0)
#define CHECK_CONTAINS(hay, needle)                                                                \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		CHECK(h_ &&strstr(h_, n_) != NULL, "%s does not contain \"%s\"", #hay, n_);        \
	} while (0)

/* Prints "N passed, N failed" and returns the process exit code. */
int t_done(void);

/* A temporary directory removed by t_cleanup(); path of a file inside it. */
const char *t_tmpdir(void);
void t_path(char *out, size_t outlen, const char *name);
void t_cleanup(void);

/* Runs the bizsos binary with args (NULL-terminated), feeding stdin_text if not
 * NULL; captures stdout into out (if not NULL). Returns the exit status. */
int t_run(const char *stdin_text, struct buf *out, const char *arg0, ...);

struct daemon {
	pid_t pid;
	int port;
	char base[64]; /* "http://127.0.0.1:PORT" */
	char db[512];
	char log[512];
};

/* Creates a database at a temp path with `bizsos init` and users added with
 * `bizsos user add` for each role ("staff", "leader", ...), login = role name,
 * password = T_PASSWORD, then starts `bizsos serve` on an ephemeral port with the
 * extra args and waits for /healthz. */
#define T_PASSWORD "Correct-horse-42"
int t_daemon_start(struct daemon *d, const char *const *extra_args);
/* SIGTERM, wait; returns the daemon's exit status (0 on a clean stop). */
int t_daemon_stop(struct daemon *d);

struct resp {
	long status;
	struct buf body;
	struct buf headers;
};

/* A client with its own cookie jar. */
struct client {
	void *curl;
	char csrf[128];
	char bearer[160];
	const struct daemon *d;
};
void t_client_init(struct client *c, const struct daemon *d);
void t_client_free(struct client *c);
/* method: "GET", "POST", ...; body may be NULL; extra headers NULL-terminated. */
int t_request(struct client *c, const char *method, const char *path, const char *content_type,
              const char *body, size_t bodylen, const char *const *headers, struct resp *r);
int t_get(struct client *c, const char *path, struct resp *r);
/* POSTs a url-encoded form, adding csrf=<c->csrf> unless no_csrf. */
int t_post_form(struct client *c, const char *path, const char *form, struct resp *r);
/* GETs path and keeps the csrf hidden field of the page in c->csrf. */
void t_fetch_csrf(struct client *c, const char *path);
/* Signs in through /login; returns the HTTP status of the final answer. Fills c->csrf. */
int t_login(struct client *c, const char *login, const char *password);
void t_resp_free(struct resp *r);
/* The value of a response header (case-insensitive), copied into out; false if absent. */
bool t_header(const struct resp *r, const char *name, char *out, size_t outlen);
/* Parses the body as JSON (NULL if it is not). */
json_t *t_json(const struct resp *r);

#endif
