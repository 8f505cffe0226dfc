/* Malformed and hostile requests: each gets its documented 4xx, and the daemon
 * keeps serving.
 *
 *   unknown route                       404 Korean page / JSON error not_found
 *   wrong method                        405
 *   url-encoded body over 1 MiB          413
 *   upload over the upload limit        413
 *   unsupported body type               415
 *   invalid UTF-8 in form or query      400
 *   bad JSON body                       400
 *   ../ out of static/ (plain, encoded, symlink)  404
 *   POST without or with a wrong CSRF   403
 *   expired session                     GET: 303 to sign-in; POST: 401
 *   bad bearer token                    401
 *   locked account (5 wrong passwords)  423 with the Korean notice
 *   garbage on the socket               400 from the HTTP parser
 *   a header of 40 KB                   answered (a long cookie or token)
 *   headers over the connection's 64 KB 431, and the next connection is served
 */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void expect(struct client *c, const char *method, const char *path, const char *ctype,
                   const char *body, size_t len, int want, const char *want_text)
{
	struct resp r;
	int st = t_request(c, method, path, ctype, body, len, NULL, &r);
	CHECK(st == want, "%s %s -> %d, expected %d", method, path, st, want);
	if (want_text)
		CHECK_CONTAINS(r.body.s, want_text);
	t_resp_free(&r);
}

static void healthy(const struct daemon *d)
{
	struct client c;
	t_client_init(&c, d);
	struct resp r;
	CHECK_INT(t_get(&c, "/healthz", &r), 200);
	t_resp_free(&r);
	t_client_free(&c);
}

static void raw_garbage(const struct daemon *d)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)d->port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	CHECK(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect");
	static const char junk[] = "GARBAGE \x01\x02 NOT-HTTP\r\n\r\n";
	CHECK(write(fd, junk, sizeof(junk) - 1) > 0, "write");
	char answer[256] = "";
	ssize_t n = read(fd, answer, sizeof(answer) - 1);
	if (n > 0)
		answer[n] = '\0';
	CHECK(strncmp(answer, "HTTP/1.1 400", 12) == 0 || n <= 0, "garbage answered: %.40s",
	      answer);
	close(fd);
}

/* A request whose X-Padding header has n bytes: its status. */
static int padded(const struct daemon *d, size_t n)
{
	char *h = malloc(n + 16);
	snprintf(h, 16, "X-Padding: ");
	memset(h + strlen(h), 'a', n);
	h[11 + n] = '\0';
	struct client c;
	t_client_init(&c, d);
	struct resp r;
	int st =
	    t_request(&c, "GET", "/healthz", NULL, NULL, 0, (const char *const[]){h, NULL}, &r);
	t_resp_free(&r);
	t_client_free(&c);
	free(h);
	return st;
}

static void session_age(const char *db, int seconds)
{
	sqlite3 *h;
	CHECK(sqlite3_open(db, &h) == SQLITE_OK, "open db");
	sqlite3_busy_timeout(h, 5000);
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE session SET last_seen = last_seen - %d", seconds);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "age sessions: %s",
	      sqlite3_errmsg(h));
	sqlite3_close(h);
}

int main(void)
{
	char staticdir[256], outside[256], link[512];
	t_path(staticdir, sizeof(staticdir), "static");
	t_path(outside, sizeof(outside), "secret.txt");
	mkdir(staticdir, 0700);
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/css", staticdir);
	mkdir(sub, 0700);
	FILE *f = fopen(outside, "w");
	fputs("top secret\n", f);
	fclose(f);
	snprintf(sub, sizeof(sub), "%s/css/app.css", staticdir);
	f = fopen(sub, "w");
	fputs("body{color:#000}\n", f);
	fclose(f);
	snprintf(link, sizeof(link), "%s/leak.txt", staticdir);
	CHECK(symlink(outside, link) == 0, "symlink");

	setenv("BIZSOS_UPLOAD_LIMIT", "64K", 1);
	const char *args[] = {"--static", staticdir, NULL};
	struct daemon d;
	if (!t_start(&d, args))
		return 1;
	struct client c;
	t_client_init(&c, &d);
	curl_easy_setopt(c.curl, CURLOPT_PATH_AS_IS, 1L);

	/* Routing. */
	expect(&c, "GET", "/no/such/page", NULL, NULL, 0, 404, "페이지를 찾을 수 없습니다");
	expect(&c, "GET", "/api/v1/no/such/page", NULL, NULL, 0, 404, "\"code\":\"not_found\"");
	expect(&c, "DELETE", "/login", NULL, NULL, 0, 405, "허용되지 않는");
	expect(&c, "PUT", "/healthz", NULL, NULL, 0, 405, NULL);
	struct resp ar;
	t_request(&c, "DELETE", "/login", NULL, NULL, 0, NULL, &ar);
	char allow[64] = "";
	CHECK(t_header(&ar, "Allow", allow, sizeof(allow)), "405 names what is allowed");
	CHECK_STR(allow, "GET, HEAD, POST");
	t_resp_free(&ar);

	/* Static files: no way out. */
	expect(&c, "GET", "/static/css/app.css", NULL, NULL, 0, 200, "color");
	expect(&c, "GET", "/static/../secret.txt", NULL, NULL, 0, 404, NULL);
	expect(&c, "GET", "/static/css/../../secret.txt", NULL, NULL, 0, 404, NULL);
	expect(&c, "GET", "/static/%2e%2e/secret.txt", NULL, NULL, 0, 404, NULL);
	expect(&c, "GET", "/static/%2E%2E%2Fsecret.txt", NULL, NULL, 0, 404, NULL);
	expect(&c, "GET", "/static/..%2f..%2fsecret.txt", NULL, NULL, 0, 404, NULL);
	expect(&c, "GET", "/static/leak.txt", NULL, NULL, 0, 404, NULL);
	expect(&c, "GET", "/static/css/app.css%00.png", NULL, NULL, 0, 404, NULL);

	/* ETag and 304; MIME type; security headers. */
	struct resp r;
	t_get(&c, "/static/css/app.css?v=1", &r);
	char etag[128] = "", ctype[128] = "", csp[512] = "", cache[128] = "";
	CHECK(t_header(&r, "ETag", etag, sizeof(etag)), "ETag present");
	t_header(&r, "Content-Type", ctype, sizeof(ctype));
	t_header(&r, "Cache-Control", cache, sizeof(cache));
	CHECK_CONTAINS(ctype, "text/css");
	CHECK_CONTAINS(cache, "immutable");
	t_resp_free(&r);
	char inm[200];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *h[] = {inm, NULL};
	CHECK_INT(t_request(&c, "GET", "/static/css/app.css", NULL, NULL, 0, h, &r), 304);
	t_resp_free(&r);
	t_get(&c, "/login", &r);
	CHECK(t_header(&r, "Content-Security-Policy", csp, sizeof(csp)), "CSP present");
	CHECK_CONTAINS(csp, "frame-ancestors 'none'");
	CHECK(strstr(csp, "unsafe-inline") == NULL, "no unsafe-inline in CSP");
	CHECK(t_header(&r, "X-Content-Type-Options", ctype, sizeof(ctype)), "nosniff present");
	CHECK(t_header(&r, "Referrer-Policy", ctype, sizeof(ctype)), "Referrer-Policy present");
	t_resp_free(&r);

	/* CSRF: a POST without the token, or with a wrong one, is refused. */
	expect(&c, "POST", "/login", "application/x-www-form-urlencoded",
	       "login=staff&password=" T_PASSWORD, strlen("login=staff&password=" T_PASSWORD), 403,
	       "보안 확인값");
	expect(&c, "POST", "/login", "application/x-www-form-urlencoded",
	       "login=staff&csrf=00&password=x", 30, 403, NULL);

	/* Sign in properly for the body tests. */
	CHECK_INT(t_login(&c, "staff", T_PASSWORD), 303);

	/* Oversized url-encoded body (over 1 MiB). */
	size_t big = 1024 * 1024 + 100;
	char *body = malloc(big + 1);
	memset(body, 'a', big);
	memcpy(body, "note=", 5);
	body[big] = '\0';
	expect(&c, "POST", "/account/password", "application/x-www-form-urlencoded", body, big, 413,
	       "너무 큽니다");
	/* Oversized upload (the limit is 64K here). */
	char *mp = malloc(200 * 1024);
	int n = snprintf(mp, 1024,
	                 "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	                 "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; "
	                 "filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n",
	                 c.csrf);
	memset(mp + n, 'x', 100 * 1024);
	n += 100 * 1024;
	n += snprintf(mp + n, 64, "\r\n--XyZ--\r\n");
	expect(&c, "POST", "/account/password", "multipart/form-data; boundary=XyZ", mp, (size_t)n,
	       413, NULL);
	free(mp);
	free(body);
	healthy(&d);

	/* Other body types. */
	expect(&c, "POST", "/account/password", "text/plain", "hello", 5, 415, NULL);
	expect(&c, "POST", "/api/v1/account/password", "application/json", "{not json", 9, 400,
	       "\"code\":\"bad_request\"");

	/* Invalid UTF-8 anywhere. */
	char form[256];
	snprintf(form, sizeof(form), "current=%%C3%%28&password=x&csrf=%s", c.csrf);
	expect(&c, "POST", "/account/password", "application/x-www-form-urlencoded", form,
	       strlen(form), 400, "UTF-8");
	expect(&c, "GET", "/?q=%FF%FE", NULL, NULL, 0, 400, "UTF-8");
	expect(&c, "GET", "/%C0%AF", NULL, NULL, 0, 400, NULL);

	/* A form with the right token but wrong fields is a 422, not a crash. */
	snprintf(form, sizeof(form), "current=&password=short&confirm=x&csrf=%s", c.csrf);
	expect(&c, "POST", "/account/password", "application/x-www-form-urlencoded", form,
	       strlen(form), 422, "비밀번호");

	/* Expired session: GET goes to sign-in with a notice; POST answers 401. */
	session_age(d.db, 3 * 3600);
	t_get(&c, "/", &r);
	CHECK_INT(r.status, 303);
	char loc[256] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	CHECK_STR(loc, "/login");
	t_resp_free(&r);
	t_get(&c, "/login", &r);
	CHECK_CONTAINS(r.body.s, "오래 사용하지 않아");
	t_resp_free(&r);
	struct client c2;
	t_client_init(&c2, &d);
	CHECK_INT(t_login(&c2, "leader", T_PASSWORD), 303);
	session_age(d.db, 3 * 3600);
	snprintf(form, sizeof(form), "current=x&csrf=%s", c2.csrf);
	expect(&c2, "POST", "/account/password", "application/x-www-form-urlencoded", form,
	       strlen(form), 401, "로그인");
	t_client_free(&c2);

	/* Bearer tokens. */
	struct client api;
	t_client_init(&api, &d);
	bz_strlcpy(api.bearer,
	           "bz_0000000000000000000000000000000000000000000000000000000000000000",
	           sizeof(api.bearer));
	expect(&api, "GET", "/api/v1/", NULL, NULL, 0, 401, "\"code\":\"bad_token\"");
	t_client_free(&api);

	/* Lockout: five wrong passwords lock the login from this address; every
	 * answer is the same 401, the locked one included (test_signin has more). */
	struct client lk;
	t_client_init(&lk, &d);
	for (int i = 1; i <= 5; i++) {
		int st = t_login(&lk, "executive", "wrong-password-1");
		CHECK(st == 401, "attempt %d -> %d", i, st);
	}
	t_get(&lk, "/login", &r);
	t_resp_free(&r);
	int st = t_login(&lk, "executive", T_PASSWORD);
	CHECK_INT(st, 401);
	struct resp page;
	snprintf(form, sizeof(form), "login=executive&password=%s&csrf=%s", T_PASSWORD, lk.csrf);
	t_request(&lk, "POST", "/login", "application/x-www-form-urlencoded", form, strlen(form),
	          NULL, &page);
	CHECK_CONTAINS(page.body.s, "아이디 또는 비밀번호가 맞지 않습니다");
	t_resp_free(&page);
	t_client_free(&lk);

	raw_garbage(&d);
	healthy(&d);
	CHECK_INT(padded(&d, 40 * 1024), 200);
	CHECK_INT(padded(&d, 80 * 1024), 431);
	healthy(&d);
	t_client_free(&c);
	unsetenv("BIZSOS_UPLOAD_LIMIT");
	CHECK_INT(t_daemon_stop(&d), 0);
	return t_done();
}
