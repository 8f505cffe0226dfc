/* Another process holds the database's write lock (the command line, a
 * script, the sqlite3 shell): what the daemon does meanwhile. One request
 * thread (--threads 1), so that a request that waited for the lock would hold
 * up every later one.
 *
 *   - Reads are answered at once, also when a signed-in user's session or a
 *     token is due for its last-seen time to be written: that write is
 *     skipped while the lock is held, not waited for, and made by a later
 *     request. (It used to wait, holding a lock every page asks for, and then
 *     fail the sign-in after 5 s: 401 for a token, the sign-in form for a
 *     session.)
 *   - A new case sent meanwhile waits for the lock and is saved, once, when it
 *     is let go within the wait (5 s): answered 200, not refused.
 *   - Held past the wait (a backup, a long import), the cases sent meanwhile
 *     (three at once, on four request threads) are answered 503 "busy" with
 *     Retry-After and a Korean message, not 500, and nothing of them is
 *     saved; sent again once the lock is gone, they are saved. */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct daemon d;
static char token[128];
static long long company, category;

struct write {
	char title[64];
	long status;
	char retry_after[16];
	char code[32];
	atomic_bool done;
};

static void *post_case(void *arg)
{
	struct write *w = arg;
	struct client c;
	t_client_init(&c, &d);
	curl_easy_setopt(c.curl, CURLOPT_TIMEOUT_MS, 30000L);
	bz_strlcpy(c.bearer, token, sizeof(c.bearer));
	char form[512];
	snprintf(form, sizeof(form),
	         "{\"company_id\":%lld,\"channel\":\"phone\",\"category_id\":%lld,"
	         "\"title\":\"%s\",\"received_on\":\"\"}",
	         company, category, w->title);
	struct resp r;
	w->status = t_request(&c, "POST", "/api/v1/cases", "application/json", form, strlen(form),
	                      NULL, &r);
	t_header(&r, "Retry-After", w->retry_after, sizeof(w->retry_after));
	json_t *j = t_json(&r);
	bz_strlcpy(w->code, t_jstr(j, "error", "code") ? t_jstr(j, "error", "code") : "",
	           sizeof(w->code));
	json_decref(j);
	t_resp_free(&r);
	t_client_free(&c);
	atomic_store(&w->done, true);
	return NULL;
}

/* Another process's write transaction on the daemon's database. */
static sqlite3 *lock_take(void)
{
	sqlite3 *h = NULL;
	bool ok = sqlite3_open(d.db, &h) == SQLITE_OK &&
	          sqlite3_busy_timeout(h, 5000) == SQLITE_OK &&
	          sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	CHECK(ok, "another process holds the write lock");
	return h;
}

static void lock_release(sqlite3 *h)
{
	CHECK(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK, "the lock let go");
	sqlite3_close(h);
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* A GET on a connection of its own, given 2 s: the status (0: no answer). */
static long get_now(const char *path)
{
	struct client c;
	t_client_init(&c, &d);
	curl_easy_setopt(c.curl, CURLOPT_TIMEOUT_MS, 2000L);
	bz_strlcpy(c.bearer, token, sizeof(c.bearer));
	struct resp r;
	long st = t_get(&c, path, &r);
	t_resp_free(&r);
	t_client_free(&c);
	return st;
}

static bool start(const char *threads)
{
	if (t_daemon_start(&d, (const char *const[]){"--threads", threads, NULL}) != 0) {
		CHECK(0, "daemon did not start");
		return false;
	}
	return true;
}

static void test_locked(void)
{
	if (!start("1"))
		return;
	/* a session whose last-seen time is due to be written (ten minutes ago) */
	struct client staff;
	t_sign_in(&staff, &d, "staff");
	curl_easy_setopt(staff.curl, CURLOPT_TIMEOUT_MS, 2000L);
	t_sql_exec(d.db, "UPDATE session SET last_seen = last_seen - 600");
	sqlite3 *h = lock_take();
	CHECK_INT(get_now("/healthz"), 200);
	CHECK_INT(get_now("/api/v1/cases"), 200);
	struct resp r;
	CHECK_INT(t_get(&staff, "/cases", &r), 200);
	CHECK(r.body.s && strstr(r.body.s, "기업애로 목록"),
	      "the signed-in page, not the sign-in form");
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM api_token WHERE last_used_at IS NOT NULL", NULL),
	    0);

	/* a case sent while the lock is held waits, and is saved once it goes */
	struct write w = {.title = "잠금 뒤에서 기다린 애로"};
	pthread_t t;
	pthread_create(&t, NULL, post_case, &w);
	sleep_ms(500);
	CHECK(!atomic_load(&w.done), "the case waits for the lock");
	lock_release(h);
	pthread_join(t, NULL);
	CHECK_INT(w.status, 200);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE title = ?1", w.title), 1);

	/* the skipped last-seen times are written by later requests */
	CHECK_INT(get_now("/healthz"), 200);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM api_token WHERE last_used_at IS NOT NULL", NULL),
	    1);
	int64_t before = t_sql_int(d.db, "SELECT max(last_seen) FROM session", NULL);
	CHECK_INT(t_get(&staff, "/cases", &r), 200);
	t_resp_free(&r);
	CHECK(t_sql_int(d.db, "SELECT max(last_seen) FROM session", NULL) > before,
	      "the session's last-seen time written");
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
}

#define SENT 3

static void test_locked_long(void)
{
	if (!start("4"))
		return;
	struct client staff;
	t_sign_in(&staff, &d, "staff");
	curl_easy_setopt(staff.curl, CURLOPT_TIMEOUT_MS, 30000L);
	sqlite3 *h = lock_take();
	struct write w[SENT];
	pthread_t t[SENT];
	for (int i = 0; i < SENT; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		snprintf(w[i].title, sizeof(w[i].title), "오래 잠긴 동안 보낸 애로 %d", i);
		pthread_create(&t[i], NULL, post_case, &w[i]);
	}
	for (int i = 0; i < SENT; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(w[i].status, 503);
		CHECK_STR(w[i].code, "busy");
		CHECK(atoi(w[i].retry_after) > 0, "Retry-After: %s", w[i].retry_after);
	}
	/* the HTML face says it in Korean */
	struct write page = {.title = "화면에서 보낸 애로"};
	struct resp r;
	char form[256];
	snprintf(form, sizeof(form), "company_id=%lld&channel=phone&category_id=%lld&title=%s",
	         company, category, t_enc(page.title));
	CHECK_INT(t_post_form(&staff, "/cases", form, &r), 503);
	CHECK(r.body.s && strstr(r.body.s, "다른 작업이 데이터베이스를 쓰고 있어"),
	      "the Korean notice on the page");
	t_resp_free(&r);
	lock_release(h);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE title LIKE '오래 잠긴%'", NULL),
	    0);
	/* sent again, now that the lock is gone */
	for (int i = 0; i < SENT; i++) {
		post_case(&w[i]);
		CHECK_INT(w[i].status, 200);
	}
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE title LIKE '오래 잠긴%'", NULL),
	    SENT);
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"staff", NULL});
	t_token(db, "staff", token, sizeof(token));
	company = t_sql_int(db, "SELECT min(id) FROM company", NULL);
	category =
	    t_sql_int(db, "SELECT min(id) FROM case_category WHERE retired_at IS NULL", NULL);

	test_locked();
	test_locked_long();

	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
