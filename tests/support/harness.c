/* Test support: counting assertions, temp dirs, running the binary, and a real
 * daemon on an ephemeral loopback port driven with libcurl. */
#define _GNU_SOURCE
#include "harness.h"
#include "bizsos/common.h"
#include "bizsos/store.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

int t_failed, t_passed;
static char tmpdir[256];

int t_done(void)
{
	t_cleanup();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
}

void t_repeat(char *out, size_t outlen, const char *unit, int times)
{
	size_t o = 0, n = strlen(unit);
	for (int i = 0; i < times && o + n < outlen; i++, o += n)
		memcpy(out + o, unit, n);
	if (outlen)
		out[o < outlen ? o : outlen - 1] = '\0';
}

const char *t_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/bizsos-test-XXXXXX");
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return tmpdir;
}

void t_path(char *out, size_t outlen, const char *name)
{
	snprintf(out, outlen, "%s/%s", t_tmpdir(), name);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void t_cleanup(void)
{
	if (tmpdir[0] && getenv("BIZSOS_KEEP_TMP") == NULL)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = '\0';
}

/* Runs argv with stdin fed from text; captures stdout into out. */
static int run_argv(const char *stdin_text, struct buf *out, char *const *argv)
{
	int in[2], outp[2];
	if (pipe(in) || pipe(outp))
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[1]);
		close(outp[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	if (stdin_text) {
		size_t n = strlen(stdin_text);
		if (write(in[1], stdin_text, n) != (ssize_t)n)
			perror("write");
	}
	close(in[1]);
	char chunk[4096];
	ssize_t r;
	while ((r = read(outp[0], chunk, sizeof(chunk))) > 0)
		if (out)
			buf_append(out, chunk, (size_t)r);
	close(outp[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int t_run(const char *stdin_text, struct buf *out, const char *arg0, ...)
{
	char *argv[64];
	int n = 0;
	argv[n++] = (char *)BIZSOS_BIN;
	va_list ap;
	va_start(ap, arg0);
	for (const char *a = arg0; a && n < 63; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	return run_argv(stdin_text, out, argv);
}

int t_daemon_start(struct daemon *d, const char *const *extra_args)
{
	memset(d, 0, sizeof(*d));
	signal(SIGPIPE, SIG_IGN);                /* a daemon closing early must not kill the test */
	setenv("BIZSOS_TEST_FAST_HASH", "1", 0); /* a test may ask for real hashing with "0" */
	t_path(d->db, sizeof(d->db), "test.db");
	t_path(d->log, sizeof(d->log), "daemon.log");
	if (access(d->db, F_OK) != 0) {
		if (t_run(NULL, NULL, "init", "--db", d->db, NULL) != 0)
			return -1;
		static const char *const roles[] = {"staff", "leader", "executive", "department",
		                                    "admin"};
		for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
			char name[64];
			snprintf(name, sizeof(name), "시험 %s", roles[i]);
			if (t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", d->db, "--login",
			          roles[i], "--name", name, "--role", roles[i], "--department",
			          strcmp(roles[i], "department") == 0 ? "건축과" : "기업경제과",
			          "--password-stdin", NULL) != 0)
				return -1;
		}
	}
	int outp[2];
	if (pipe(outp))
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int logfd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(outp[1], 1);
		if (logfd >= 0)
			dup2(logfd, 2);
		close(outp[0]);
		char *argv[64];
		int n = 0;
		argv[n++] = (char *)BIZSOS_BIN;
		argv[n++] = "serve";
		argv[n++] = "--db";
		argv[n++] = d->db;
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:0";
		argv[n++] = "--threads";
		argv[n++] = "2";
		for (int i = 0; extra_args && extra_args[i] && n < 62; i++)
			argv[n++] = (char *)extra_args[i];
		argv[n] = NULL;
		execv(argv[0], argv);
		_exit(127);
	}
	close(outp[1]);
	d->pid = pid;
	/* The daemon prints "listening on http://127.0.0.1:PORT". */
	char line[256];
	size_t len = 0;
	while (len + 1 < sizeof(line)) {
		ssize_t r = read(outp[0], line + len, 1);
		if (r <= 0)
			break;
		if (line[len] == '\n')
			break;
		len++;
	}
	line[len] = '\0';
	close(outp[0]);
	const char *colon = strrchr(line, ':');
	if (strncmp(line, "listening on ", 13) != 0 || colon == NULL) {
		fprintf(stderr, "daemon did not start (see %s): %s\n", d->log, line);
		t_daemon_stop(d);
		return -1;
	}
	d->port = atoi(colon + 1);
	snprintf(d->base, sizeof(d->base), "%s://127.0.0.1:%d",
	         strncmp(line + 13, "https", 5) == 0 ? "https" : "http", d->port);
	return 0;
}

void t_set_passwords(const char *db, const char *const *logins)
{
	for (size_t i = 0; logins[i]; i++)
		CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "passwd", "--db", db, "--login",
		                logins[i], "--password-stdin", NULL),
		          0);
}

void t_demo_db(char *db, size_t dblen, const char *const *logins)
{
	t_path(db, dblen, "test.db"); /* t_daemon_start serves this file when it exists */
	CHECK_INT(t_run(NULL, NULL, "demo", "--db", db, NULL), 0);
	t_set_passwords(db, logins);
}

bool t_cookie(struct client *c, const char *name, char *out, size_t outlen)
{
	struct curl_slist *list = NULL;
	if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
		return false;
	size_t n = strlen(name);
	bool found = false;
	for (struct curl_slist *l = list; l && !found; l = l->next) {
		/* domain, tailmatch, path, secure, expires, name, value: tab-separated */
		const char *f = l->data;
		for (int i = 0; i < 5 && f; i++) {
			f = strchr(f, '\t');
			f = f ? f + 1 : NULL;
		}
		if (f && strncmp(f, name, n) == 0 && f[n] == '\t')
			found = bz_strlcpy(out, f + n + 1, outlen);
	}
	curl_slist_free_all(list);
	return found;
}

void t_token(const char *db, const char *login, char *out, size_t outlen)
{
	struct buf b;
	buf_init(&b, 0);
	CHECK_INT(t_run(NULL, &b, "token", "create", "--db", db, "--login", login, NULL), 0);
	bz_strlcpy(out, buf_cstr(&b) ? buf_cstr(&b) : "", outlen);
	out[strcspn(out, "\n")] = '\0';
	buf_free(&b);
}

bool t_start(struct daemon *d, const char *const *extra_args)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (t_daemon_start(d, extra_args) != 0) {
		fprintf(stderr, "daemon did not start\n");
		return false;
	}
	return true;
}

/* Prints the last 40 lines of a daemon's log to stderr: the daemon did not
 * stop cleanly, and its log goes with the test's temporary folder. */
static void log_tail(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	static char ring[40][512];
	int n = 0;
	while (fgets(ring[n % 40], sizeof(ring[0]), f))
		n++;
	fclose(f);
	fprintf(stderr, "---- the last lines of %s ----\n", path);
	for (int i = n > 40 ? n - 40 : 0; i < n; i++)
		fputs(ring[i % 40], stderr);
	fprintf(stderr, "----\n");
}

int t_daemon_stop(struct daemon *d)
{
	if (d->pid <= 0)
		return -1;
	kill(d->pid, SIGTERM);
	int status = 0;
	for (int i = 0; i < 200; i++) {
		pid_t r = waitpid(d->pid, &status, WNOHANG);
		if (r == d->pid) {
			d->pid = 0;
			int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			if (rc != 0)
				log_tail(d->log);
			return rc;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &status, 0);
	d->pid = 0;
	return -1;
}

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	buf_append(userdata, ptr, size * nmemb);
	return size * nmemb;
}

void t_client_init(struct client *c, const struct daemon *d)
{
	memset(c, 0, sizeof(*c));
	c->d = d;
	c->curl = curl_easy_init();
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	/* The TLS test serves a self-signed certificate made for it. */
	curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYHOST, 0L);
}

void t_client_free(struct client *c)
{
	curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

void t_resp_free(struct resp *r)
{
	buf_free(&r->body);
	buf_free(&r->headers);
}

int t_request(struct client *c, const char *method, const char *path, const char *content_type,
              const char *body, size_t bodylen, const char *const *headers, struct resp *r)
{
	CURL *h = c->curl;
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, 0);
	buf_init(&r->headers, 0);
	char url[1024];
	snprintf(url, sizeof(url), "%s%s", c->d->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)bodylen);
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	struct curl_slist *hl = NULL;
	char line[512];
	if (content_type) {
		snprintf(line, sizeof(line), "Content-Type: %s", content_type);
		hl = curl_slist_append(hl, line);
	}
	if (c->bearer[0]) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", c->bearer);
		hl = curl_slist_append(hl, line);
	}
	hl = curl_slist_append(hl, "Expect:");
	for (int i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(hl);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	}
	if (rc != CURLE_OK) {
		r->status = -1;
		return -1;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->body.s == NULL)
		buf_puts(&r->body, "");
	return (int)r->status;
}

int t_get(struct client *c, const char *path, struct resp *r)
{
	return t_request(c, "GET", path, NULL, NULL, 0, NULL, r);
}

int t_post_form(struct client *c, const char *path, const char *form, struct resp *r)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, form ? form : "");
	if (c->csrf[0]) {
		buf_puts(&b, b.len ? "&csrf=" : "csrf=");
		buf_puts(&b, c->csrf);
	}
	int st = t_request(c, "POST", path, "application/x-www-form-urlencoded", b.s ? b.s : "",
	                   b.len, NULL, r);
	buf_free(&b);
	return st;
}

/* Pulls the csrf hidden field out of a page. */
static void scrape_csrf(struct client *c, const char *html)
{
	const char *p = html ? strstr(html, "name=\"csrf\" value=\"") : NULL;
	if (p == NULL)
		return;
	p += strlen("name=\"csrf\" value=\"");
	size_t n = 0;
	while (p[n] && p[n] != '"' && n + 1 < sizeof(c->csrf))
		n++;
	memcpy(c->csrf, p, n);
	c->csrf[n] = '\0';
}

void t_fetch_csrf(struct client *c, const char *path)
{
	struct resp r;
	t_get(c, path, &r);
	scrape_csrf(c, r.body.s);
	t_resp_free(&r);
}

int t_login(struct client *c, const char *login, const char *password)
{
	struct resp r;
	t_get(c, "/login", &r);
	scrape_csrf(c, r.body.s);
	t_resp_free(&r);
	char *el = curl_easy_escape(c->curl, login, 0);
	char *ep = curl_easy_escape(c->curl, password, 0);
	char form[512];
	snprintf(form, sizeof(form), "login=%s&password=%s", el, ep);
	curl_free(el);
	curl_free(ep);
	int st = t_post_form(c, "/login", form, &r);
	t_resp_free(&r);
	if (st == 303) {
		t_get(c, "/", &r);
		scrape_csrf(c, r.body.s);
		t_resp_free(&r);
	}
	return st;
}

bool t_header(const struct resp *r, const char *name, char *out, size_t outlen)
{
	const char *h = r->headers.s;
	size_t nl = strlen(name);
	while (h && *h) {
		const char *eol = strstr(h, "\r\n");
		size_t len = eol ? (size_t)(eol - h) : strlen(h);
		if (len > nl && strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
			const char *v = h + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = len - (size_t)(v - h);
			if (vl >= outlen)
				vl = outlen - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return true;
		}
		h = eol ? eol + 2 : NULL;
	}
	return false;
}

json_t *t_json(const struct resp *r)
{
	return json_loads(r->body.s ? r->body.s : "", 0, NULL);
}

/* ---- shared helpers of the unit tests ---------------------------------- */

struct db *t_fresh_db(const char *name)
{
	char path[512], err[256] = "";
	struct db *db = NULL;
	t_path(path, sizeof(path), name);
	if (db_open(path, true, &db, err, sizeof(err)) != BZ_OK ||
	    db_migrate(db, err, sizeof(err)) != BZ_OK) {
		CHECK(0, "database %s: %s", name, err);
		if (db)
			db_close(db);
		return NULL;
	}
	return db;
}

int64_t t_db_int(struct db *db, const char *sql, int64_t param)
{
	sqlite3_stmt *st = db_stmt_text(db, sql);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, param);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return v;
}

/* ---- shared helpers of the http tests ---------------------------------- */

#define ENC_SIZE 4096

const char *t_enc(const char *s)
{
	static char bufs[8][ENC_SIZE];
	static int k;
	char *out = bufs[k++ % 8];
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < ENC_SIZE; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, ENC_SIZE - o, "%%%02X", *p);
	}
	out[o] = '\0';
	return out;
}

char *t_form(const char *first, ...)
{
	struct buf b;
	buf_init(&b, 0);
	va_list ap;
	va_start(ap, first);
	for (const char *k = first; k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		char *e = curl_easy_escape(NULL, v, 0);
		buf_printf(&b, "%s%s=%s", b.len ? "&" : "", k, e);
		curl_free(e);
	}
	va_end(ap);
	return buf_detach(&b, NULL);
}

int t_post_form_free(struct client *c, const char *path, char *form, struct resp *r)
{
	int st = t_post_form(c, path, form, r);
	free(form);
	return st;
}

json_t *t_get_json(struct client *c, const char *path, long *status)
{
	struct resp r;
	t_get(c, path, &r);
	if (status)
		*status = r.status;
	json_t *j = t_json(&r);
	t_resp_free(&r);
	return j;
}

json_t *t_api(struct client *c, const char *method, const char *path, const char *form,
              long *status)
{
	char p[2048];
	snprintf(p, sizeof(p), "/api/v1%s", path);
	struct resp r;
	if (strcmp(method, "GET") == 0)
		t_get(c, p, &r);
	else
		t_post_form(c, p, form, &r);
	if (status)
		*status = r.status;
	json_t *j = t_json(&r);
	if (j == NULL)
		fprintf(stderr, "not JSON (%ld) from %s %s: %.300s\n", r.status, method, path,
		        r.body.s ? r.body.s : "");
	t_resp_free(&r);
	return j;
}

const char *t_str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "(none)";
}

const char *t_jstr(json_t *j, const char *a, const char *b)
{
	json_t *x = json_object_get(j, a);
	if (b)
		x = json_object_get(x, b);
	return json_string_value(x);
}

const char *t_field_error(json_t *j, const char *field)
{
	json_t *fields = json_object_get(json_object_get(j, "error"), "fields");
	return json_string_value(json_object_get(fields, field));
}

void t_sign_in(struct client *c, const struct daemon *d, const char *login)
{
	t_client_init(c, d);
	int st = t_login(c, login, T_PASSWORD);
	CHECK(st == 303, "%s signs in: %d", login, st);
}

void t_add_user(const struct daemon *d, const char *login, const char *name, const char *role,
                const char *department)
{
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", d->db, "--login", login,
	                "--name", name, "--role", role, "--department", department,
	                "--password-stdin", NULL),
	          0);
}

/* Opens d's database for one statement; NULL (and a note on stderr) on failure. */
static sqlite3 *open_db(const char *db)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot open %s: %s\n", db, h ? sqlite3_errmsg(h) : "?");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	return h;
}

/* Steps a prepared one-value query: the value, none when there is no row, -1 on error. */
static int64_t step_value(sqlite3_stmt *st, int64_t none)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(st, 0);
	return rc == SQLITE_DONE ? none : -1;
}

int64_t t_sql_int(const char *db, const char *sql, const char *arg)
{
	sqlite3 *h = open_db(db);
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (h && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (arg)
			sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
		v = step_value(st, -1);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

int64_t t_sql_num(const char *db, const char *sql, int64_t param)
{
	sqlite3 *h = open_db(db);
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (h && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_bind_parameter_count(st) > 0)
			sqlite3_bind_int64(st, 1, param);
		v = step_value(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

void t_sql_exec(const char *db, const char *sql)
{
	sqlite3 *h = open_db(db);
	char *err = NULL;
	CHECK(h && sqlite3_exec(h, sql, NULL, NULL, &err) == SQLITE_OK, "sql: %s: %s", sql,
	      err ? err : "cannot open the database");
	sqlite3_free(err);
	sqlite3_close(h);
}

bool t_sql_try(const char *db, const char *sql)
{
	sqlite3 *h = open_db(db);
	bool ok = h && sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(h);
	return ok;
}

int64_t t_case_version(struct client *c, int64_t id)
{
	char p[64];
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	json_t *j = t_api(c, "GET", p, NULL, NULL);
	int64_t v = json_integer_value(json_object_get(json_object_get(j, "case"), "version"));
	json_decref(j);
	return v;
}

const char *t_case_status(struct client *c, int64_t id)
{
	static char s[32];
	char p[64];
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	json_t *j = t_api(c, "GET", p, NULL, NULL);
	const char *v = t_jstr(j, "case", "status");
	bz_strlcpy(s, v ? v : "?", sizeof(s));
	json_decref(j);
	return s;
}

int64_t t_new_case(struct client *c, const char *form, char *no_out)
{
	long st = 0;
	json_t *j = t_api(c, "POST", "/cases", form, &st);
	CHECK(st == 200, "new case -> %ld (%s)", st, form);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	if (no_out) {
		const char *n = t_jstr(j, "case_no", NULL);
		bz_strlcpy(no_out, n ? n : "", 32);
	}
	json_decref(j);
	return id;
}

long t_case_act(struct client *c, int64_t id, const char *what, const char *form, json_t **out)
{
	char path[128];
	snprintf(path, sizeof(path), "/cases/%lld%s%s", (long long)id, *what ? "/" : "", what);
	struct buf full;
	buf_init(&full, 0);
	buf_printf(&full, "%s%sversion=%lld", form, *form ? "&" : "",
	           (long long)t_case_version(c, id));
	long st = 0;
	json_t *j = t_api(c, "POST", path, buf_cstr(&full), &st);
	buf_free(&full);
	if (out)
		*out = j;
	else
		json_decref(j);
	return st;
}

char *t_zip_part(const struct resp *r, const char *name)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(r->body.s, r->body.len, 0, &err);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
	char *out = NULL;
	if (z == NULL) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&err);
		return NULL;
	}
	zip_stat_t st;
	zip_file_t *f = NULL;
	if (zip_stat(z, name, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    (f = zip_fopen(z, name, 0)) != NULL) {
		out = malloc(st.size + 1);
		if (out && zip_fread(f, out, st.size) == (zip_int64_t)st.size) {
			out[st.size] = '\0';
		} else {
			free(out);
			out = NULL;
		}
		zip_fclose(f);
	}
	zip_close(z);
	zip_error_fini(&err);
	return out;
}

const unsigned char t_tiny_jpeg[] = {
    0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01,
    0x01, 0x01, 0x11, 0x00, 0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x3F, 0xFF, 0xD9};
const size_t t_tiny_jpeg_size = sizeof(t_tiny_jpeg);

double t_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
