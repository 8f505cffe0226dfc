/* Store errors never turn into figures (issue 8, point 7). Built and run only
 * with -DBIZSOS_FAULT_INJECTION=ON (scripts/test.sh does, under ASan + UBSan):
 * the request header "X-Bizsos-Fault: step=N" makes the handler's Nth
 * statement step fail as an I/O error would, "prepare=N" its Nth statement
 * lookup. For every N until the page no longer reaches it, the card, the
 * progress page, the dashboard and a budget entry must answer 500 or 503 with
 * the Korean error page — never a 200 with partial figures — log the error,
 * and (the write) book nothing. At the end the daemon must stop cleanly (under
 * ASan: no leak). */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static struct daemon d;

/* One request with the fault header; returns whether the fault fired. */
static bool faulty(struct client *c, const char *method, const char *path, const char *form,
                   const char *fault, struct resp *r)
{
	char h[64], body[512] = "";
	snprintf(h, sizeof(h), "X-Bizsos-Fault: %s", fault);
	const char *headers[] = {h, NULL};
	if (form)
		snprintf(body, sizeof(body), "%s&csrf=%s", form, c->csrf);
	t_request(c, method, path, form ? "application/x-www-form-urlencoded" : NULL,
	          form ? body : NULL, form ? strlen(body) : 0, headers, r);
	char fired[8] = "";
	CHECK(t_header(r, "X-Bizsos-Fault-Fired", fired, sizeof(fired)),
	      "%s: no X-Bizsos-Fault-Fired (built without BIZSOS_FAULT_INJECTION?)", path);
	return strcmp(fired, "1") == 0;
}

/* Fails every step (kind "step") or statement lookup (kind "prepare") of one
 * page in turn. Returns how many were failed. */
static int walk(struct client *c, const char *method, const char *path, const char *form,
                const char *kind, int ok_status)
{
	int fired_n = 0;
	for (int n = 1; n <= 5000; n++) {
		char fault[32];
		snprintf(fault, sizeof(fault), "%s=%d", kind, n);
		int64_t before =
		    form ? t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL) : 0;
		struct resp r;
		bool fired = faulty(c, method, path, form, fault, &r);
		if (!fired) {
			/* past the page's last step: the page itself works */
			CHECK(r.status == ok_status, "%s %s: %ld without a fault", path, fault,
			      r.status);
			t_resp_free(&r);
			break;
		}
		fired_n++;
		char sql[128] = "";
		t_header(&r, "X-Bizsos-Fault-Sql", sql, sizeof(sql));
		CHECK(r.status == 500 || r.status == 503, "%s with %s failing answered %ld (%s)",
		      path, fault, r.status, sql);
		const char *b = r.body.s ? r.body.s : "";
		CHECK(strstr(b, "app-error-status") != NULL && strstr(b, "오류 ") != NULL,
		      "%s %s: not the Korean error page", path, fault);
		if (form)
			CHECK(t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL) ==
			          before,
			      "%s %s: a failed write booked an entry", path, fault);
		t_resp_free(&r);
	}
	CHECK(fired_n > 0, "%s: no %s was failed", path, kind);
	return fired_n;
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"leader", "executive", NULL});
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client leader, exec;
	t_client_init(&leader, &d);
	t_client_init(&exec, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&exec, "executive", T_PASSWORD), 303);
	t_fetch_csrf(&leader, "/program");
	int64_t line = t_sql_int(
	    d.db, "SELECT id FROM budget_line WHERE year = 2024 AND source = 'city'", NULL);
	char form[256];
	snprintf(form, sizeof(form), "line_id=%lld&executed_on=2024-05-02&amount=1000&memo=x",
	         (long long)line);
	static const char *const kinds[] = {"step", "prepare"};
	for (size_t k = 0; k < 2; k++) {
		int n = 0;
		n += walk(&exec, "GET", "/card?year=2024&quarter=3", NULL, kinds[k], 200);
		n += walk(&leader, "GET", "/progress?year=2024&quarter=3", NULL, kinds[k], 200);
		n += walk(&exec, "GET", "/dashboard", NULL, kinds[k], 200);
		int64_t before = t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL);
		n += walk(&leader, "POST", "/program/executions", form, kinds[k], 303);
		CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL),
		          before + 1);
		fprintf(stderr, "%d %ss failed in turn\n", n, kinds[k]);
	}
	t_client_free(&leader);
	t_client_free(&exec);
	CHECK_INT(t_daemon_stop(&d), 0);
	/* every failure was logged */
	FILE *f = fopen(d.log, "r");
	int logged = 0;
	char line_buf[2048];
	while (f && fgets(line_buf, sizeof(line_buf), f))
		logged += strstr(line_buf, " error ") != NULL;
	if (f)
		fclose(f);
	CHECK(logged > 0, "errors logged (%d)", logged);
	t_cleanup();
	return t_done();
}
