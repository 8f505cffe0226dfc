/* Many requests for the same page at once (the same session, as a browser's
 * tabs or a load test's connections): the rendered-page cache builds it once
 * and the others wait for that build (src/http/page_cache.c, single flight).
 * What a user notices: every one of them gets the whole page, the same page;
 * a page whose request writes (a view of a company's contacts goes to the
 * privacy access log) is still logged once per view, never handed to a
 * waiter; a record written by another process shows in every answer asked
 * after the write; and nothing hangs. */
#include "harness.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HERD 16

static struct daemon d;
static char cookie[256];

struct shot {
	pthread_barrier_t *go;
	const char *path;
	long status;
	char *body;
};

static void *shoot(void *arg)
{
	struct shot *s = arg;
	struct client c;
	t_client_init(&c, &d);
	const char *headers[] = {cookie, NULL};
	struct resp r;
	pthread_barrier_wait(s->go);
	t_request(&c, "GET", s->path, NULL, NULL, 0, headers, &r);
	s->status = r.status;
	s->body = r.body.s ? strdup(r.body.s) : NULL;
	t_resp_free(&r);
	t_client_free(&c);
	return NULL;
}

/* HERD requests for path at once with the session in `cookie`; checks that all
 * are 200, identical, and contain want (if not NULL). */
static void herd(const char *path, const char *want)
{
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, HERD);
	struct shot s[HERD];
	pthread_t t[HERD];
	for (int i = 0; i < HERD; i++) {
		s[i] = (struct shot){&go, path, 0, NULL};
		pthread_create(&t[i], NULL, shoot, &s[i]);
	}
	for (int i = 0; i < HERD; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	int ok = 0, same = 0, has = 0;
	for (int i = 0; i < HERD; i++) {
		ok += s[i].status == 200;
		same += s[i].body && s[0].body && strcmp(s[i].body, s[0].body) == 0;
		has += want == NULL || (s[i].body && strstr(s[i].body, want) != NULL);
	}
	CHECK(ok == HERD, "%s: %d of %d answered 200", path, ok, HERD);
	CHECK(same == HERD, "%s: %d of %d the same page", path, same, HERD);
	CHECK(has == HERD, "%s: %d of %d show \"%s\"", path, has, HERD, want ? want : "");
	for (int i = 0; i < HERD; i++)
		free(s[i].body);
}

/* Another process's write transaction, held for a while: a request that
 * writes waits for it, so the requests behind it find its build under way. */
struct hold {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool locked;
	int ms;
};

static void *hold_lock(void *arg)
{
	struct hold *h = arg;
	sqlite3 *db = NULL;
	bool ok = sqlite3_open(d.db, &db) == SQLITE_OK &&
	          sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
	          sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	pthread_mutex_lock(&h->mu);
	h->locked = true;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	if (ok) {
		struct timespec t = {h->ms / 1000, (long)(h->ms % 1000) * 1000000L};
		nanosleep(&t, NULL);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	return NULL;
}

/* The session cookie of a signed-in client, as a request header. */
static bool session_of(struct client *c)
{
	char v[128]; /* 64 hex digits */
	if (!t_cookie(c, "bz_session", v, sizeof(v)))
		return false;
	snprintf(cookie, sizeof(cookie), "Cookie: bz_session=%s", v);
	return true;
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"leader", "staff", NULL});
	if (t_daemon_start(&d, (const char *const[]){"--threads", "16", NULL}) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client leader, staff;
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&staff, &d, "staff");

	/* the leader's pages, cold (nothing built for this session yet), at once */
	CHECK(session_of(&leader), "the leader's session cookie");
	herd("/", NULL);
	herd("/dashboard", NULL);
	herd("/card?year=2024&quarter=3", NULL);
	herd("/progress?year=2024&quarter=3", NULL);
	herd("/cases?q=%EC%9E%90%EA%B8%88", NULL); /* 자금 */
	int64_t id = t_sql_num(d.db, "SELECT min(id) FROM sos_case", 0);
	char path[64];
	snprintf(path, sizeof(path), "/cases/%lld", (long long)id);
	herd(path, NULL);

	/* written by another process: every answer asked after it shows it */
	t_sql_exec(d.db, "UPDATE sos_case SET title = '한꺼번에 확인' WHERE id = "
	                 "(SELECT min(id) FROM sos_case)");
	herd(path, "한꺼번에 확인");
	herd("/cases?q=%ED%95%9C%EA%BA%BC%EB%B2%88", "한꺼번에 확인"); /* 한꺼번 */
	t_sql_exec(d.db, "UPDATE sos_case SET title = '두 번째 확인' WHERE id = "
	                 "(SELECT min(id) FROM sos_case)");
	herd(path, "두 번째 확인");

	/* a page whose every view is logged: sixteen views, sixteen rows */
	int64_t company = t_sql_num(d.db, "SELECT min(id) FROM company", 0);
	char cpath[80];
	snprintf(cpath, sizeof(cpath), "/companies/%lld/contacts", (long long)company);
	struct resp r;
	CHECK_INT(t_post_form_free(
	              &staff, cpath,
	              t_form("contact_name", "박영희", "contact_phone", "010-2345-6789", NULL), &r),
	          303);
	t_resp_free(&r);
	CHECK(session_of(&staff), "the staff member's session cookie");
	snprintf(cpath, sizeof(cpath), "/companies/%lld", (long long)company);
	int64_t before = t_sql_num(d.db,
	                           "SELECT count(*) FROM privacy_access WHERE action = 'view'"
	                           " AND company_id = ?1",
	                           company);
	herd(cpath, "010-2345-6789");
	CHECK_INT(t_sql_num(d.db,
	                    "SELECT count(*) FROM privacy_access WHERE action = 'view'"
	                    " AND company_id = ?1",
	                    company),
	          before + HERD);
	/* ... also when the first view is slow to write its row (a writer holds the
	 * database), so that the others come while its page is being built: they
	 * wait for it, see that it wrote, and each views (and is logged) itself */
	struct hold h = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 600};
	pthread_t holder;
	pthread_create(&holder, NULL, hold_lock, &h);
	pthread_mutex_lock(&h.mu);
	while (!h.locked)
		pthread_cond_wait(&h.cv, &h.mu);
	pthread_mutex_unlock(&h.mu);
	herd(cpath, "010-2345-6789");
	pthread_join(holder, NULL);
	CHECK_INT(t_sql_num(d.db,
	                    "SELECT count(*) FROM privacy_access WHERE action = 'view'"
	                    " AND company_id = ?1",
	                    company),
	          before + 2 * HERD);

	t_client_free(&leader);
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
