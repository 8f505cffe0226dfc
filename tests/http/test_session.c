/* A signed-in browser's session and user are kept in memory between its
 * requests (session_lookup), and whatever changes them in the database counts
 * at the next request, whoever made the change:
 *
 *   - the account disabled from the command line (another process): the
 *     next page sends the browser to the sign-in form;
 *   - the session's row deleted by another program: the same;
 *   - the user's role changed by another program: the next page is shown, or
 *     refused, by the new role;
 *   - the last-seen time, due once a minute, is still written while the row
 *     comes from memory;
 *   - signing out in one tab signs out the others sharing the cookie. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static struct daemon d;

static int get(struct client *c, const char *path)
{
	struct resp r;
	int st = t_get(c, path, &r);
	t_resp_free(&r);
	return st;
}

/* /cases in another tab: a client of its own that sends the cookie given. */
static int tab_get(const char *cookie)
{
	struct client tab;
	t_client_init(&tab, &d);
	struct resp r;
	int st = t_request(&tab, "GET", "/cases", NULL, NULL, 0,
	                   (const char *const[]){cookie, NULL}, &r);
	t_resp_free(&r);
	t_client_free(&tab);
	return st;
}

static void test_session(void)
{
	struct client c;
	t_sign_in(&c, &d, "staff");
	CHECK_INT(get(&c, "/cases"), 200);
	CHECK_INT(get(&c, "/cases"), 200); /* from memory now */

	/* disabled by another process */
	CHECK_INT(t_run(NULL, NULL, "user", "disable", "--db", d.db, "--login", "staff", NULL), 0);
	CHECK_INT(get(&c, "/cases"), 303);
	CHECK_INT(t_run(NULL, NULL, "user", "enable", "--db", d.db, "--login", "staff", NULL), 0);
	t_client_free(&c);

	/* the row deleted by another program */
	t_sign_in(&c, &d, "staff");
	CHECK_INT(get(&c, "/cases"), 200);
	t_sql_exec(d.db, "DELETE FROM session");
	CHECK_INT(get(&c, "/cases"), 303);
	t_client_free(&c);

	/* the role changed by another program: staff may not see the admin pages,
	 * an administrator may */
	t_sign_in(&c, &d, "staff");
	CHECK_INT(get(&c, "/admin/users"), 403);
	t_sql_exec(d.db, "UPDATE app_user SET role = 'admin' WHERE login = 'staff'");
	CHECK_INT(get(&c, "/admin/users"), 200);
	t_sql_exec(d.db, "UPDATE app_user SET role = 'staff' WHERE login = 'staff'");
	CHECK_INT(get(&c, "/admin/users"), 403);

	/* the last-seen time: due (ten minutes ago), written by the next request */
	CHECK_INT(get(&c, "/cases"), 200);
	t_sql_exec(d.db, "UPDATE session SET last_seen = last_seen - 600");
	int64_t before = t_sql_int(d.db, "SELECT max(last_seen) FROM session", NULL);
	CHECK_INT(get(&c, "/cases"), 200);
	int64_t after = t_sql_int(d.db, "SELECT max(last_seen) FROM session", NULL);
	CHECK(after >= before + 600, "last seen written: %lld -> %lld", (long long)before,
	      (long long)after);
	CHECK_INT(get(&c, "/cases"), 200); /* and not once per request */
	CHECK_INT(t_sql_int(d.db, "SELECT max(last_seen) FROM session", NULL), after);

	/* signing out in one tab: the other tab, same cookie, is signed out too */
	char v[256], cookie[300];
	CHECK(t_cookie(&c, "bz_session", v, sizeof(v)), "the session cookie");
	snprintf(cookie, sizeof(cookie), "Cookie: bz_session=%s", v);
	CHECK_INT(tab_get(cookie), 200);
	t_fetch_csrf(&c, "/cases");
	struct resp r;
	CHECK_INT(t_post_form(&c, "/logout", "", &r), 303);
	t_resp_free(&r);
	CHECK_INT(tab_get(cookie), 303);
	t_client_free(&c);
}

int main(void)
{
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"staff", NULL});
	if (!t_start(&d, NULL))
		return 1;
	test_session();
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
