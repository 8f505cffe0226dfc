/* The rendered-page cache (src/http/page_cache.c): what a user notices is that
 * a page is never stale. Asked twice without a write, a page is the same; a
 * record written by another process (another SQLite connection, as `bizsos
 * import` would) shows on the next request, in the page, the list and both
 * kinds of search; a client that does not take gzip never gets the gzipped bytes kept
 * for one that does; two users of the same URL each get their own page. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static bool has(const struct resp *r, const char *needle)
{
	return r->body.s && strstr(r->body.s, needle) != NULL;
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_path(db, sizeof(db), "test.db"); /* the harness serves this file when it exists */
	CHECK_INT(t_run(NULL, NULL, "demo", "--db", db, NULL), 0);
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "passwd", "--db", db, "--login", "leader",
	                "--password-stdin", NULL),
	          0);
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "passwd", "--db", db, "--login", "staff",
	                "--password-stdin", NULL),
	          0);
	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client leader, staff;
	t_client_init(&leader, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	t_client_init(&staff, &d);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);

	int64_t id = t_sql_int(db, "SELECT id FROM sos_case ORDER BY id LIMIT 1", NULL);
	CHECK(id > 0, "the demo has a case");
	char path[64];
	snprintf(path, sizeof(path), "/cases/%lld", (long long)id);

	/* twice without a write: the same page */
	struct resp a, b;
	t_get(&leader, path, &a);
	t_get(&leader, path, &b);
	CHECK_INT(a.status, 200);
	CHECK(a.body.s && b.body.s && strcmp(a.body.s, b.body.s) == 0, "the case page twice");
	t_resp_free(&a);
	t_resp_free(&b);

	/* another process renames the case: the next request shows it */
	t_sql_exec(db, "UPDATE sos_case SET title = '캐시확인 다른 프로세스' WHERE id = "
	               "(SELECT min(id) FROM sos_case)");
	t_get(&leader, path, &a);
	CHECK(has(&a, "캐시확인 다른 프로세스"), "a title written by another process shows");
	t_resp_free(&a);
	/* ... and in the list and the search, also asked before the write */
	t_get(&leader, "/cases?q=%EC%BA%90%EC%8B%9C%ED%99%95%EC%9D%B8", &a); /* 캐시확인 */
	CHECK(has(&a, "캐시확인 다른 프로세스"), "the search finds it");
	t_resp_free(&a);
	t_get(&leader, "/cases?q=%EC%BA%90%EC%8B%9C", &a); /* 캐시: two characters */
	CHECK(has(&a, "캐시확인 다른 프로세스"), "the two-character search finds it");
	t_resp_free(&a);
	t_sql_exec(db, "UPDATE sos_case SET title = '캐시확인 두 번째' WHERE id = "
	               "(SELECT min(id) FROM sos_case)");
	t_get(&leader, "/cases?q=%EC%BA%90%EC%8B%9C", &a);
	CHECK(has(&a, "캐시확인 두 번째") && !has(&a, "캐시확인 다른 프로세스"),
	      "the two-character search shows the new title only");
	t_resp_free(&a);
	t_get(&leader, path, &a);
	CHECK(has(&a, "캐시확인 두 번째"), "the case page shows the second title");
	t_resp_free(&a);

	/* gzip kept for one client is never sent to a client that does not take it */
	const char *gz[] = {"Accept-Encoding: gzip", NULL};
	t_request(&leader, "GET", "/dashboard", NULL, NULL, 0, gz, &a);
	t_request(&leader, "GET", "/dashboard", NULL, NULL, 0, gz, &b);
	char enc[32] = "";
	CHECK(t_header(&b, "Content-Encoding", enc, sizeof(enc)) && strcmp(enc, "gzip") == 0,
	      "gzip when asked (%s)", enc);
	t_resp_free(&a);
	t_resp_free(&b);
	t_get(&leader, "/dashboard", &a);
	CHECK(!t_header(&a, "Content-Encoding", enc, sizeof(enc)), "no gzip when not asked");
	CHECK(a.body.s && (unsigned char)a.body.s[0] != 0x1f && strstr(a.body.s, "<!DOCTYPE html>"),
	      "plain HTML");
	t_resp_free(&a);

	/* the same URL for two users: each gets a page of their own */
	t_get(&leader, "/cases", &a);
	t_get(&staff, "/cases", &b);
	CHECK(a.body.s && b.body.s && strcmp(a.body.s, b.body.s) != 0, "two users, two pages");
	CHECK(has(&a, leader.csrf) && !has(&a, staff.csrf),
	      "the leader's page has the leader's token");
	CHECK(has(&b, staff.csrf) && !has(&b, leader.csrf), "the staff page has the staff token");
	t_resp_free(&a);
	t_resp_free(&b);

	t_client_free(&leader);
	t_client_free(&staff);
	t_daemon_stop(&d);
	return t_done();
}
