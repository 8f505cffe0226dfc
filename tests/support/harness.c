/* Test support: counting assertions, temp dirs, running the binary, and a real
 * daemon on an ephemeral loopback port driven with libcurl. */
#define _GNU_SOURCE
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int t_failed, t_passed;
static char tmpdir[256];

int t_done(void)
{
	t_cleanup();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
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
	signal(SIGPIPE, SIG_IGN); /* a daemon closing early must not kill the test */
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
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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
