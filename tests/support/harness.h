/* Test support: assertions that count and keep going, plus a real daemon on an
 * ephemeral loopback port driven with libcurl. */
#ifndef BIZSOS_TEST_HARNESS_H
#define BIZSOS_TEST_HARNESS_H

#include "bizsos/buf.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdint.h>
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

/* unit (times repeated) into out, as much as fits: over-long input for a field. */
void t_repeat(char *out, size_t outlen, const char *unit, int times);

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
/* Gives each login of the NULL-terminated list the password T_PASSWORD in the
 * database at db (`bizsos user passwd`); checks that it worked. */
void t_set_passwords(const char *db, const char *const *logins);
/* `bizsos demo` into the file t_daemon_start serves (path into db), then
 * t_set_passwords for logins; checks that it worked. */
void t_demo_db(char *db, size_t dblen, const char *const *logins);
/* `bizsos token create` for login on db: the token into out; checks it worked. */
void t_token(const char *db, const char *login, char *out, size_t outlen);
/* curl_global_init and t_daemon_start(d, extra_args); false (and a note on
 * stderr) when the daemon did not start: main returns 1 then. */
bool t_start(struct daemon *d, const char *const *extra_args);
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
/* The value of the cookie name in c's jar into out; false when there is none. */
bool t_cookie(struct client *c, const char *name, char *out, size_t outlen);
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

/* ---- shared helpers of the unit tests ---------------------------------- */

struct db;
/* A new database file name in the temp dir, opened and migrated; NULL (a
 * failed check) when that does not work. db_close it. */
struct db *t_fresh_db(const char *name);
/* The first column of the first row of sql on db, ?1 bound to param when the
 * SQL has a parameter; -1 when there is no row or the SQL fails. */
int64_t t_db_int(struct db *db, const char *sql, int64_t param);

/* ---- shared helpers of the http tests ---------------------------------- */

/* Percent-encodes s (letters, digits and -_. kept) into one of eight rotating
 * static 4 KiB buffers: up to eight results may be used in one expression. */
const char *t_enc(const char *s);
/* A url-encoded form from NULL-terminated name, value pairs ("a", "1", NULL);
 * the caller frees it (or hands it to t_post_form_free). */
char *t_form(const char *first, ...);
/* t_post_form with a form from t_form, which it frees. */
int t_post_form_free(struct client *c, const char *path, char *form, struct resp *r);
/* GET path (as given) and parse the answer as JSON; status may be NULL. */
json_t *t_get_json(struct client *c, const char *path, long *status);
/* method "GET": GET /api/v1<path>; anything else: POST form to it (with the
 * CSRF token). The JSON answer (NULL, and the body on stderr, if it is not
 * JSON); status may be NULL. */
json_t *t_api(struct client *c, const char *method, const char *path, const char *form,
              long *status);
/* The string o.k, "(none)" when absent (never NULL: for CHECK_STR and strcmp). */
const char *t_str(json_t *o, const char *k);
/* The string at j.a (or j.a.b when b is not NULL); NULL if absent. */
const char *t_jstr(json_t *j, const char *a, const char *b);
/* The Korean message of the API error's field (error.fields.<field>). */
const char *t_field_error(json_t *j, const char *field);

/* A fresh client of d signed in as login (password T_PASSWORD); checks 303. */
void t_sign_in(struct client *c, const struct daemon *d, const char *login);
/* `bizsos user add` on d's database with T_PASSWORD; checks that it worked. */
void t_add_user(const struct daemon *d, const char *login, const char *name, const char *role,
                const char *department);

/* Straight to the database at db (the daemon may be running): the first column of
 * the first row, with ?1 bound to arg as text when arg is not NULL; -1 when
 * there is no row or the SQL fails. */
int64_t t_sql_int(const char *db, const char *sql, const char *arg);
/* The same with ?1 bound to an integer when the SQL has a parameter; 0 when
 * there is no row, -1 when the SQL fails. */
int64_t t_sql_num(const char *db, const char *sql, int64_t param);
/* Runs SQL on the database at db; a failure counts as a failed check. */
void t_sql_exec(const char *db, const char *sql);
/* Runs SQL on the database at db; whether it worked (for SQL meant to be refused). */
bool t_sql_try(const char *db, const char *sql);

/* The case's current version and status (GET /api/v1/cases/ID); status is
 * copied into a static buffer ("?" when absent). */
int64_t t_case_version(struct client *c, int64_t id);
const char *t_case_status(struct client *c, int64_t id);
/* POSTs form plus the case's current version to /api/v1/cases/ID/what (what
 * "" posts to the case itself); the status; the JSON answer into out if not NULL. */
/* POSTs a new case's form to /api/v1/cases; checks 200; the new case's id
 * (and its case number into no_out, 32 bytes, when not NULL). */
int64_t t_new_case(struct client *c, const char *form, char *no_out);
long t_case_act(struct client *c, int64_t id, const char *what, const char *form, json_t **out);

/* The named part of a zip file in the response body (malloc'd, NUL-terminated),
 * or NULL when the body is not a zip or has no such part. */
char *t_zip_part(const struct resp *r, const char *name);
/* A 1×1 grey baseline JPEG, built by hand (SOI, DQT, SOF0, DHT DC and AC,
 * SOS, one byte of scan data, EOI): the smallest photo the daemon accepts. */
extern const unsigned char t_tiny_jpeg[];
extern const size_t t_tiny_jpeg_size;
/* A monotonic clock in milliseconds. */
double t_now_ms(void);

#endif
