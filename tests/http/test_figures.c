/* Issue 8 ("every figure trustworthy, every mistake undoable"), on the demo
 * database, one section per finding:
 *
 *   point 8  referring a 접수/검토 case moves it to 처리중, with a status event
 *   point 3  an empty optional text is stored as NULL (no empty "초과:" badge)
 *   point 1  every 422 page has an error summary at the top linking to the fields
 *   point 5  a past quarter's progress page lists that quarter's cases only
 *   point 2  the execution list: filters, pages, totals equal to the card's,
 *            cancel and correction (linked both ways), who may do what
 *   also     an activity can be edited and retired (reason, history) and its
 *            follow-ups marked done, by the roles that create activities
 */
#include "harness.h"

#include "bizsos/kst.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct daemon d;

/* ---- point 8: a referral moves the case -------------------------------- */

static void referral_moves_case(struct client *leader)
{
	static const char *const from[] = {"received", "reviewing"};
	for (size_t i = 0; i < 2; i++) {
		char sql[256];
		snprintf(
		    sql, sizeof(sql),
		    "SELECT s.id FROM sos_case s WHERE s.status = '%s' AND s.merged_into IS NULL "
		    "AND NOT EXISTS (SELECT 1 FROM case_referral r WHERE r.case_id = s.id) "
		    "ORDER BY s.id DESC LIMIT 1",
		    from[i]);
		int64_t id = t_sql_int(d.db, sql, NULL);
		if (id <= 0) { /* the demo has none in this status: make one */
			id = t_sql_int(d.db,
			               "SELECT id FROM sos_case WHERE status = 'received' AND "
			               "merged_into IS NULL ORDER BY id LIMIT 1",
			               NULL);
			snprintf(sql, sizeof(sql),
			         "UPDATE sos_case SET status = '%s' WHERE id = %lld", from[i],
			         (long long)id);
			t_sql_exec(d.db, sql);
			snprintf(sql, sizeof(sql), "DELETE FROM case_referral WHERE case_id = %lld",
			         (long long)id);
			t_sql_exec(d.db, sql);
		}
		CHECK(id > 0, "a %s case", from[i]);
		CHECK_STR(t_case_status(leader, id), from[i]);
		int64_t dept = t_sql_int(d.db,
		                         "SELECT id FROM department WHERE retired_at IS NULL "
		                         "ORDER BY id LIMIT 1",
		                         NULL);
		char form[128];
		snprintf(form, sizeof(form), "lead=%lld", (long long)dept);
		CHECK_INT(t_case_act(leader, id, "referrals", form, NULL), 200);
		CHECK_STR(t_case_status(leader, id), "in_progress");
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM case_event WHERE case_id = %lld AND kind = 'status' "
		         "AND field = 'status' AND old = '%s' AND new = 'in_progress'",
		         (long long)id, from[i]);
		CHECK_INT(t_sql_int(d.db, sql, NULL), 1);
	}
	/* a case already 처리중 stays so, with no second status event */
}

/* ---- point 3: empty optional text is NULL ----------------------------- */

static void empty_text_is_null(struct client *leader)
{
	/* an ordinary entry, its over-spend reason sent empty */
	int64_t line = t_sql_int(d.db,
	                         "SELECT id FROM budget_line WHERE year = 2024 AND source = 'city' "
	                         "AND retired_at IS NULL",
	                         NULL);
	char form[256];
	snprintf(form, sizeof(form),
	         "line_id=%lld&executed_on=2024-05-02&amount=1000&memo=&grant_id=&over_reason=",
	         (long long)line);
	struct resp r;
	t_post_form(leader, "/program/executions", form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM budget_execution WHERE over_reason = ''", NULL),
	    0);
	/* no entry of the list wears an empty "초과:" badge */
	t_get(leader, "/program", &r);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body.s, "초과: </span>") == NULL, "an empty 초과 badge on /program");
	t_resp_free(&r);
	json_t *j = t_api(leader, "GET", "/program", NULL, NULL);
	size_t i;
	json_t *e;
	int with_reason = 0;
	json_array_foreach(json_object_get(j, "executions"), i, e)
	{
		json_t *o = json_object_get(e, "over_reason");
		with_reason += o != NULL && !json_is_null(o);
	}
	CHECK_INT(with_reason, 0);
	json_decref(j);
	/* a company's notes cleared through the form are NULL, not '' */
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company WHERE notes = ''", NULL), 0);
	/* no optional text anywhere in the store is '' (the demo's rows included) */
	static const char *const optional[][2] = {{"sos_case", "description"},
	                                          {"sos_case", "request"},
	                                          {"activity", "place"},
	                                          {"activity", "title"},
	                                          {"activity", "summary"},
	                                          {"activity_attendee", "organisation"},
	                                          {"activity_photo", "caption"},
	                                          {"improvement_grant", "memo"},
	                                          {"comm_entry", "summary"},
	                                          {"program", "department"},
	                                          {"program", "final_goal"},
	                                          {"program", "overview"},
	                                          {"program", "evidence"},
	                                          {"program_contact", "phone"},
	                                          {"budget_line", "memo"},
	                                          {"budget_execution", "memo"},
	                                          {"quarter_signoff", "note"},
	                                          {"notification", "body"},
	                                          {"outbox", "subject"},
	                                          {"message_template", "subject"},
	                                          {"document_letterhead", "phone"},
	                                          {"document_template", "attachments"},
	                                          {"issued_document", "attachments"}};
	for (size_t k = 0; k < sizeof(optional) / sizeof(optional[0]); k++) {
		char q[160];
		snprintf(q, sizeof(q), "SELECT count(*) FROM %s WHERE %s = ''", optional[k][0],
		         optional[k][1]);
		CHECK(t_sql_int(d.db, q, NULL) == 0, "%s.%s stores ''", optional[k][0],
		      optional[k][1]);
	}
	/* an activity saved with its place, title and summary emptied: NULL in the
	 * store, null in the JSON face, no empty "· place" and a "–" for the summary */
	int64_t act =
	    t_sql_int(d.db, "SELECT min(id) FROM activity WHERE retired_at IS NULL", NULL);
	char aq[32], apath[64];
	snprintf(aq, sizeof(aq), "%lld", (long long)act);
	snprintf(apath, sizeof(apath), "/activities/%lld/edit", (long long)act);
	snprintf(form, sizeof(form), "version=%lld&held_on=2024-05-03&place=&title=&summary=",
	         (long long)t_sql_int(d.db, "SELECT version FROM activity WHERE id = ?", aq));
	t_post_form(leader, apath, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT place IS NULL AND title IS NULL AND summary IS NULL FROM activity "
	              "WHERE id = ?",
	              aq),
	    1);
	snprintf(apath, sizeof(apath), "/activities/%lld", (long long)act);
	t_get(leader, apath, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "<dd class=\"app-pre\">–</dd>");
	CHECK(strstr(r.body.s, " · </p>") == NULL, "an empty place after the date");
	t_resp_free(&r);
	j = t_api(leader, "GET", apath, NULL, NULL);
	json_t *a = json_object_get(j, "activity");
	CHECK(json_is_null(json_object_get(a, "place")), "place is null");
	CHECK(json_is_null(json_object_get(a, "summary")), "summary is null");
	json_decref(j);
}

/* ---- point 1: every 422 page has an error summary at the top ----------- */

/* POSTs form to path as HTML and as JSON: the HTML answer is a 422 whose error
 * summary comes before the page's heading and links every field the JSON
 * face names. */
static void summary_on(struct client *c, const char *path, const char *form)
{
	struct resp r;
	t_post_form(c, path, form, &r);
	CHECK(r.status == 422, "%s answered %ld", path, r.status);
	const char *html = r.body.s ? r.body.s : "";
	const char *sum = strstr(html, "id=\"error-summary\"");
	const char *h1 = strstr(html, "<h1");
	CHECK(sum != NULL, "%s: no error summary", path);
	CHECK(sum && h1 && sum < h1, "%s: the summary is not at the top", path);
	CHECK(sum && strstr(sum, "tabindex=\"-1\"") != NULL, "%s: summary not focusable", path);
	long st = 0;
	json_t *j = t_api(c, "POST", path, form, &st);
	CHECK_INT(st, 422);
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(json_object_get(j, "error"), "fields"), key, v)
	{
		char want[160];
		snprintf(want, sizeof(want), "href=\"#%s\" data-field=\"%s\"", key, key);
		CHECK(strstr(html, want) != NULL, "%s: the summary does not link %s", path, key);
	}
	json_decref(j);
	t_resp_free(&r);
}

static void error_summaries(struct client *leader, struct client *staff)
{
	summary_on(leader, "/program/executions", "line_id=&executed_on=x&amount=");
	summary_on(leader, "/program/budget", "year=1800&source=&planned=-1&secured=");
	summary_on(staff, "/cases", "title=&company_id=");
	summary_on(staff, "/companies", "name=&brn=123");
	summary_on(staff, "/grants", "title=&total=x");
	summary_on(staff, "/comm", "kind=&held_on=x");
	summary_on(staff, "/activities", "type_id=&held_on=x");
	summary_on(leader, "/program/targets", "year=x&target=-5");
}

/* ---- point 1: the budget-entry form keeps its values; dates in the line's year */

static void budget_form_keeps_values(struct client *leader)
{
	int64_t line = t_sql_int(d.db,
	                         "SELECT id FROM budget_line WHERE year = 2024 AND source = 'city' "
	                         "AND retired_at IS NULL",
	                         NULL);
	int64_t before = t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL);
	/* far over the secured money, confirmed without a reason: refused, all kept */
	char form[512];
	snprintf(form, sizeof(form),
	         "line_id=%lld&executed_on=2024-08-16&amount=999999999999&memo=%s&grant_id="
	         "&confirm_over=1&over_reason=",
	         (long long)line, t_enc("하반기 집행"));
	struct resp r;
	t_post_form(leader, "/program/executions", form, &r);
	CHECK(r.status == 422 || r.status == 409, "over-secured answered %ld", r.status);
	const char *html = r.body.s ? r.body.s : "";
	char want[128];
	snprintf(want, sizeof(want), "<option value=\"%lld\" selected>", (long long)line);
	CHECK_CONTAINS(html, want);
	CHECK_CONTAINS(html, "value=\"2024-08-16\"");
	CHECK_CONTAINS(html, "value=\"999999999999\"");
	CHECK_CONTAINS(html, "value=\"하반기 집행\"");
	CHECK_CONTAINS(html, "name=\"confirm_over\" value=\"1\" checked");
	CHECK_CONTAINS(html, "id=\"error-summary\"");
	t_resp_free(&r);
	/* a 2024-08-16 entry on a 2022 line: a field error, nothing booked */
	int64_t l2022 =
	    t_sql_int(d.db,
	              "SELECT id FROM budget_line WHERE year = 2022 AND retired_at IS NULL "
	              "ORDER BY id LIMIT 1",
	              NULL);
	snprintf(form, sizeof(form), "line_id=%lld&executed_on=2024-08-16&amount=1000",
	         (long long)l2022);
	long st = 0;
	json_t *j = t_api(leader, "POST", "/program/executions", form, &st);
	CHECK_INT(st, 422);
	const char *m = json_string_value(
	    json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "executed_on"));
	CHECK(m && strstr(m, "2022") != NULL, "executed_on error names the line's year: %s",
	      m ? m : "(none)");
	json_decref(j);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL), before);
	/* the same date on the 2024 line is booked */
	snprintf(form, sizeof(form), "line_id=%lld&executed_on=2024-08-16&amount=1000",
	         (long long)line);
	json_decref(t_api(leader, "POST", "/program/executions", form, &st));
	CHECK_INT(st, 200);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM budget_execution", NULL), before + 1);
}

/* ---- point 5: a past quarter's page lists that quarter's cases ---------- */

static void period_pages(struct client *leader)
{
	/* a red-flag case received today: open now, not in 2024 Q3 */
	t_sql_exec(d.db,
	           "UPDATE sos_case SET flag = 'red' WHERE id = (SELECT max(id) FROM sos_case "
	           "WHERE status IN ('received', 'reviewing', 'in_progress'))");
	CHECK(t_sql_int(d.db,
	                "SELECT count(*) FROM sos_case WHERE flag = 'red' AND received_on > "
	                "'2024-09-30' AND status IN ('received', 'reviewing', 'in_progress')",
	                NULL) > 0,
	      "a red case received after 2024 Q3 exists");
	/* a case fell due in June and was closed only in October */
	t_sql_exec(
	    d.db, "UPDATE sos_case SET due_on = '2024-06-20', extended_due_on = NULL, closed_on = "
	          "'2024-10-15' WHERE id = (SELECT min(id) FROM sos_case WHERE status = 'done' AND "
	          "received_on BETWEEN '2024-06-01' AND '2024-06-15')");
	long st = 0;
	json_t *j = t_api(leader, "GET", "/progress?year=2024&quarter=3", NULL, &st);
	CHECK_INT(st, 200);
	size_t i;
	json_t *c;
	int n_red = 0;
	json_array_foreach(json_object_get(j, "red_cases"), i, c)
	{
		const char *recv = json_string_value(json_object_get(c, "received_on"));
		CHECK(recv && strcmp(recv, "2024-09-30") <= 0,
		      "red case received %s listed on 2024 Q3", recv ? recv : "?");
		n_red++;
	}
	CHECK_INT(n_red, t_sql_int(d.db,
	                           "SELECT count(*) FROM sos_case WHERE merged_into IS NULL AND "
	                           "flag = 'red' AND received_on <= '2024-09-30' AND (closed_on IS "
	                           "NULL OR closed_on > '2024-09-30')",
	                           NULL));
	/* 기한 넘김: the backlog overdue at 2024-09-30, listed */
	int64_t backlog =
	    t_sql_int(d.db,
	              "SELECT count(*) FROM sos_case WHERE merged_into IS NULL AND "
	              "received_on <= '2024-09-30' AND (closed_on IS NULL OR closed_on "
	              "> '2024-09-30') AND coalesce(extended_due_on, due_on) < "
	              "'2024-09-30'",
	              NULL);
	CHECK(backlog > 0, "the demo has an overdue backlog at 2024-09-30");
	json_t *late =
	    json_object_get(json_object_get(json_object_get(j, "cases"), "overdue"), "quarter");
	CHECK_INT(json_integer_value(late), backlog);
	json_t *lc = json_object_get(j, "overdue_cases");
	CHECK(json_is_array(lc), "overdue_cases listed");
	CHECK_INT((int64_t)json_array_size(lc), backlog < 50 ? backlog : 50);
	json_array_foreach(lc, i, c)
	{
		const char *due = json_string_value(json_object_get(c, "due"));
		CHECK(due && strcmp(due, "2024-09-30") < 0, "overdue case due %s", due ? due : "?");
	}
	json_decref(j);
}

/* ---- point 6: history keeps long Korean titles whole --------------------- */

static bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;
		p++;
		for (int k = 0; k < n; k++, p++)
			if ((*p & 0xC0) != 0x80)
				return false;
	}
	return true;
}

static void history_whole(struct client *leader)
{
	/* 200 Korean characters (600 bytes) as a roadmap task's and a plan's title */
	char title[700] = "";
	for (int k = 0; k < 200; k++)
		bz_strlcpy(title + strlen(title), k % 2 ? "업" : "기",
		           sizeof(title) - strlen(title));
	char form[4096];
	snprintf(form, sizeof(form),
	         "title=%s&first_quarter=2023-Q1&last_quarter=2026-Q4&status=ongoing",
	         t_enc(title));
	long st = 0;
	json_decref(t_api(leader, "POST", "/program/roadmap", form, &st));
	CHECK_INT(st, 200);
	snprintf(form, sizeof(form),
	         "period_label=%s&starts_on=2027-01-01&ends_on=2027-12-31&plan=%s", t_enc("2027년"),
	         t_enc(title));
	json_decref(t_api(leader, "POST", "/program/plans", form, &st));
	CHECK_INT(st, 200);
	/* every stored event text is valid UTF-8 and holds the whole title */
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM program_event WHERE instr(new, ?1) > 0", title),
	    2);
	/* and the program page shows its history */
	json_t *j = t_api(leader, "GET", "/program", NULL, &st);
	CHECK_INT(st, 200);
	json_t *ev = json_object_get(j, "events");
	CHECK(json_array_size(ev) > 0, "the program page shows its history");
	size_t i;
	json_t *e;
	int whole = 0;
	json_array_foreach(ev, i, e)
	{
		char *dd = json_dumps(e, 0);
		whole += dd && strstr(dd, title) != NULL;
		free(dd);
	}
	CHECK(whole >= 2, "the history shows the whole title (%d)", whole);
	json_decref(j);
	/* a company's timeline: a change of 200-character addresses shown whole */
	int64_t company = t_sql_int(d.db, "SELECT min(id) FROM company", NULL);
	char sql[2048];
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO company_event (company_id, at, actor_id, kind, field, old, new) VALUES "
	    "(%lld, '2026-01-01T00:00:00Z', NULL, 'update', 'address', '%s', '%s')",
	    (long long)company, title, title);
	t_sql_exec(d.db, sql);
	char path[64];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)company);
	j = t_api(leader, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	char *dump = json_dumps(j, JSON_ENSURE_ASCII);
	char *plain = json_dumps(j, 0);
	CHECK(plain != NULL && utf8_ok(plain), "the company page is valid UTF-8");
	int found = 0;
	for (const char *p = plain; p && (p = strstr(p, title)) != NULL; p += strlen(title))
		found++;
	CHECK(found >= 2, "the timeline shows both addresses whole (%d)", found);
	free(dump);
	free(plain);
	json_decref(j);
}

/* ---- point 4: sign-off after the quarter only, frozen, withdrawable ------- */

static void signoffs(struct client *leader)
{
	/* today's quarter (KST, the daemon's clock) has not ended: refused */
	int32_t today = kst_today_day();
	int cy = date_year(today), cq = date_quarter(today);
	char form[64];
	snprintf(form, sizeof(form), "year=%d&quarter=%d&note=", cy, cq);
	long st = 0;
	json_t *j = t_api(leader, "POST", "/progress/signoff", form, &st);
	CHECK_INT(st, 422);
	CHECK(json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "quarter") !=
	          NULL,
	      "fields.quarter says why");
	json_decref(j);
	char sql[128];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM quarter_signoff WHERE year = %d AND quarter = %d", cy, cq);
	CHECK_INT(t_sql_int(d.db, sql, NULL), 0);
	/* 2024 Q3 is signed, its figures stored with it */
	json_decref(t_api(leader, "POST", "/progress/signoff", "year=2024&quarter=3&note=ok", &st));
	CHECK_INT(st, 200);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM quarter_signoff WHERE year = 2024 AND quarter = 3 "
	              "AND json_extract(figures, '$.cases.received.quarter') IS NOT NULL",
	              NULL),
	    1);
	j = t_api(leader, "GET", "/progress?year=2024&quarter=3", NULL, &st);
	json_t *so = json_object_get(j, "signoff");
	CHECK(so != NULL, "signed");
	CHECK(json_is_false(json_object_get(so, "changed")), "nothing changed yet");
	int64_t recv = json_integer_value(
	    json_object_get(json_object_get(json_object_get(j, "cases"), "received"), "quarter"));
	json_decref(j);
	/* a case entered late, received in that quarter: signed and live side by side */
	t_sql_exec(d.db,
	           "UPDATE sos_case SET received_on = '2024-08-20' WHERE id = (SELECT max(id) FROM "
	           "sos_case)");
	j = t_api(leader, "GET", "/progress?year=2024&quarter=3", NULL, &st);
	so = json_object_get(j, "signoff");
	CHECK(json_is_true(json_object_get(so, "changed")), "the change since the sign-off shows");
	bool seen = false;
	size_t i;
	json_t *c;
	char want_s[32], want_l[32];
	snprintf(want_s, sizeof(want_s), "%lld", (long long)recv);
	snprintf(want_l, sizeof(want_l), "%lld", (long long)recv + 1);
	json_array_foreach(json_object_get(so, "changes"), i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "label")), "접수 (분기)") == 0) {
			CHECK_STR(json_string_value(json_object_get(c, "signed")), want_s);
			CHECK_STR(json_string_value(json_object_get(c, "live")), want_l);
			seen = true;
		}
	}
	CHECK(seen, "접수 (분기) listed as signed %s, now %s", want_s, want_l);
	json_decref(j);
	struct resp r;
	t_get(leader, "/progress?year=2024&quarter=3", &r);
	CHECK_CONTAINS(r.body.s, "확인한 뒤 바뀐 수치");
	t_resp_free(&r);
	/* withdrawn only with a reason; recorded, never deleted; then signed again */
	json_decref(t_api(leader, "POST", "/progress/signoff/withdraw",
	                  "year=2024&quarter=3&reason=", &st));
	CHECK_INT(st, 422);
	json_decref(t_api(leader, "POST", "/progress/signoff/withdraw",
	                  "year=2024&quarter=3&reason=late%20entries", &st));
	CHECK_INT(st, 200);
	j = t_api(leader, "GET", "/progress?year=2024&quarter=3", NULL, &st);
	CHECK(json_object_get(j, "signoff") == NULL, "withdrawn: not signed any more");
	CHECK_INT((int64_t)json_array_size(json_object_get(j, "withdrawals")), 1);
	json_decref(j);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM quarter_signoff WHERE year = 2024 AND quarter = 3",
	              NULL),
	    1);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM program_event WHERE object = 'signoff' AND kind = "
	              "'withdraw'",
	              NULL),
	    1);
	json_decref(
	    t_api(leader, "POST", "/progress/signoff", "year=2024&quarter=3&note=again", &st));
	CHECK_INT(st, 200);
}

/* ---- also: the card defaults to the last completed quarter ---------------- */

static void card_default(struct client *leader)
{
	time_t now = time(NULL) + 9 * 3600; /* KST */
	struct tm tm;
	gmtime_r(&now, &tm);
	int y = tm.tm_year + 1900, q = tm.tm_mon / 3 + 1, py = q == 1 ? y - 1 : y,
	    pq = q == 1 ? 4 : q - 1;
	char want[64];
	snprintf(want, sizeof(want), "%d-Q%d", py, pq);
	/* ... within the program's term */
	int64_t last_y =
	    t_sql_int(d.db, "SELECT substr(last_quarter, 1, 4) FROM program WHERE id = 1", NULL);
	int64_t last_q =
	    t_sql_int(d.db, "SELECT substr(last_quarter, 7, 1) FROM program WHERE id = 1", NULL);
	if (py * 10 + pq > last_y * 10 + last_q)
		snprintf(want, sizeof(want), "%lld-Q%lld", (long long)last_y, (long long)last_q);
	long st = 0;
	json_t *j = t_api(leader, "GET", "/card", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "as_of"), "key")), want);
	json_decref(j);
	struct resp r;
	t_get(leader, "/card", &r);
	snprintf(want, sizeof(want), "진행 중인 %d년 %d분기 카드 보기", y, q);
	CHECK_CONTAINS(r.body.s, want);
	t_resp_free(&r);
}

/* ---- point 9: changes after a published card or a sign-off are flagged --- */

static void changed_after_publication(struct client *leader)
{
	long st = 0;
	json_decref(t_api(leader, "POST", "/card/snapshots", "as_of=2024-Q2", &st));
	CHECK_INT(st, 200);
	json_t *j = t_api(leader, "GET", "/card?as_of=2024-Q2", NULL, &st);
	CHECK(json_object_get(j, "changed_since") == NULL ||
	          json_integer_value(
	              json_object_get(json_object_get(j, "changed_since"), "count")) == 0,
	      "nothing changed right after publishing");
	json_decref(j);
	/* a budget entry dated in 2024 Q2, booked after the card was published */
	sleep(1); /* instants have one-second resolution */
	int64_t line = t_sql_int(d.db,
	                         "SELECT id FROM budget_line WHERE year = 2024 AND source = 'city' "
	                         "AND retired_at IS NULL",
	                         NULL);
	char form[256];
	snprintf(form, sizeof(form), "line_id=%lld&executed_on=2024-05-10&amount=2000&memo=late",
	         (long long)line);
	json_decref(t_api(leader, "POST", "/program/executions", form, &st));
	CHECK_INT(st, 200);
	char who[128] = "";
	{
		sqlite3 *h;
		if (sqlite3_open(d.db, &h) == SQLITE_OK) {
			sqlite3_stmt *q;
			if (sqlite3_prepare_v2(h,
			                       "SELECT name FROM app_user WHERE login = 'leader'",
			                       -1, &q, NULL) == SQLITE_OK) {
				if (sqlite3_step(q) == SQLITE_ROW)
					bz_strlcpy(who, (const char *)sqlite3_column_text(q, 0),
					           sizeof(who));
				sqlite3_finalize(q);
			}
		}
		sqlite3_close(h);
	}
	struct resp r;
	t_get(leader, "/card?as_of=2024-Q2", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "게시 이후 변경됨");
	CHECK_CONTAINS(r.body.s, "예산 집행 2024-05-10");
	CHECK_CONTAINS(r.body.s, who);
	t_resp_free(&r);
	/* the signed 2024 Q3 progress page, after an entry dated in it */
	snprintf(form, sizeof(form), "line_id=%lld&executed_on=2024-08-12&amount=2000&memo=late",
	         (long long)line);
	json_decref(t_api(leader, "POST", "/program/executions", form, &st));
	CHECK_INT(st, 200);
	j = t_api(leader, "GET", "/progress?year=2024&quarter=3", NULL, &st);
	CHECK(json_integer_value(json_object_get(json_object_get(j, "changed_since"), "count")) >=
	          1,
	      "the progress page of the signed quarter lists the change");
	json_decref(j);
	/* and the leader's home says so */
	t_get(leader, "/", &r);
	CHECK_CONTAINS(r.body.s, "게시 이후 변경됨");
	CHECK_CONTAINS(r.body.s, "2024년 2분기 게시한 카드");
	t_resp_free(&r);
}

/* ---- point 2 (part): a grant's page lists the entries that paid it -------- */

static void grant_lists_entries(struct client *leader)
{
	int64_t grant =
	    t_sql_int(d.db, "SELECT min(id) FROM improvement_grant WHERE year = 2024", NULL);
	int64_t line = t_sql_int(d.db,
	                         "SELECT id FROM budget_line WHERE year = 2024 AND source = 'city' "
	                         "AND retired_at IS NULL",
	                         NULL);
	CHECK(grant > 0 && line > 0, "a 2024 grant and line");
	char form[256], path[64];
	snprintf(form, sizeof(form),
	         "line_id=%lld&executed_on=2024-09-03&amount=1234&memo=%s&grant_id=%lld",
	         (long long)line, t_enc("개선사업 지원금"), (long long)grant);
	long st = 0;
	json_decref(t_api(leader, "POST", "/program/executions", form, &st));
	CHECK_INT(st, 200);
	snprintf(path, sizeof(path), "/grants/%lld", (long long)grant);
	json_t *j = t_api(leader, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	json_t *ex = json_object_get(j, "executions");
	bool found = false;
	size_t i;
	json_t *e;
	json_array_foreach(ex, i, e)
	{
		found = found ||
		        (strcmp(json_string_value(json_object_get(e, "executed_on")),
		                "2024-09-03") == 0 &&
		         strcmp(json_string_value(json_object_get(e, "amount_won")), "1,234") == 0);
	}
	CHECK(found, "the grant's page lists the entry that paid it");
	json_decref(j);
}

/* ---- point 2: every execution entry can be found, cancelled, corrected ---- */

static int64_t list_total(struct client *c, const char *query, json_int_t *count)
{
	char path[256];
	snprintf(path, sizeof(path), "/program/executions?%s", query);
	long st = 0;
	json_t *j = t_api(c, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	json_t *l = json_object_get(j, "list");
	int64_t t = json_integer_value(json_object_get(l, "total"));
	if (count)
		*count = json_integer_value(json_object_get(l, "count"));
	json_decref(j);
	return t;
}

static void execution_list(struct client *leader, struct client *exec, struct client *staff)
{
	struct resp r;
	/* the program page's budget section links to the list */
	t_get(leader, "/program", &r);
	CHECK_CONTAINS(r.body.s, "/program/executions?program=");
	CHECK_CONTAINS(r.body.s, "집행 내역 전체 보기");
	t_resp_free(&r);
	t_get(leader, "/program/executions", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "<h1 class=\"app-h1\">집행 내역");
	CHECK_CONTAINS(r.body.s, "정정 기록");
	t_resp_free(&r);

	/* the filtered total of a year and source equals the card's figure */
	json_int_t n = 0;
	int64_t city24 = list_total(leader, "year=2024&source=city", &n);
	CHECK(city24 == t_sql_int(d.db,
	                          "SELECT sum(e.amount) FROM budget_execution e JOIN budget_line l"
	                          " ON l.id = e.budget_line_id WHERE e.retired_at IS NULL AND"
	                          " l.retired_at IS NULL AND l.year = 2024 AND l.source = 'city'",
	                          NULL),
	      "the list's 2024 시비 total is the sum of the active 2024 시비 entries");
	CHECK(n > 0, "there are 2024 시비 entries");
	long st = 0;
	json_t *card = t_api(leader, "GET", "/card?as_of=2024-Q4", NULL, &st);
	json_t *ex = json_object_get(
	    json_object_get(json_object_get(json_object_get(card, "figures"), "budget_million_won"),
	                    "executed"),
	    "city");
	CHECK_INT(json_integer_value(json_object_get(ex, "2024")), (city24 + 500000) / 1000000);
	json_decref(card);
	/* a budget line filter gives the same as its year and source */
	int64_t line = t_sql_int(d.db,
	                         "SELECT id FROM budget_line WHERE year = 2024 AND source = 'city' "
	                         "AND retired_at IS NULL",
	                         NULL);
	char q[256];
	snprintf(q, sizeof(q), "line=%lld", (long long)line);
	CHECK(list_total(leader, q, NULL) == city24, "line filter = year + source filter");

	/* pages of 50: every entry is on one of them */
	json_int_t all = 0;
	list_total(leader, "", &all);
	CHECK(all > 50, "the demo has more than one page of entries");
	json_t *p2 = t_api(leader, "GET", "/program/executions?page=2", NULL, &st);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(p2, "pager"), "page")), 2);
	CHECK_INT((json_int_t)json_array_size(json_object_get(json_object_get(p2, "list"), "rows")),
	          all - 50);
	json_decref(p2);

	/* bad filter values: ignored, said so, never a 500 */
	t_get(leader, "/program/executions?year=20x4&source=moon&line=-1&grant=abc&page=zz", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "연도는 2024처럼 네 자리로 적어야 합니다");
	CHECK_CONTAINS(r.body.s, "그런 재원이 없습니다");
	CHECK_CONTAINS(r.body.s, "쪽 번호가 올바르지 않아");
	t_resp_free(&r);
	t_get(leader, "/program/executions?year=1999&grant=999999", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 집행 기록이 없습니다.");
	t_resp_free(&r);

	/* a wrong entry: booked with the wrong amount */
	char form[512];
	snprintf(form, sizeof(form), "line_id=%lld&executed_on=2024-03-04&amount=7777&memo=%s",
	         (long long)line, t_enc("잘못 적은 금액"));
	json_decref(t_api(leader, "POST", "/program/executions", form, &st));
	CHECK_INT(st, 200);
	int64_t wrong = t_sql_int(d.db, "SELECT max(id) FROM budget_execution", NULL);
	CHECK(list_total(leader, "year=2024&source=city", NULL) == city24 + 7777, "counted");

	/* correction without a reason: 422, the row's form open with what was typed */
	char path[128];
	snprintf(path, sizeof(path), "/program/executions/%lld/correct?year=2024&source=city",
	         (long long)wrong);
	snprintf(form, sizeof(form),
	         "program=1&line_id=%lld&executed_on=2024-03-04&amount=7000&memo=%s&reason=",
	         (long long)line, t_enc("바로잡은 금액"));
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "정정 사유를 500자 이내로 적어 주세요.");
	CHECK_CONTAINS(r.body.s, "value=\"7000\"");
	CHECK_CONTAINS(r.body.s, "바로잡은 금액");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM budget_execution WHERE corrects_id IS NOT NULL",
	                    NULL),
	          0);
	/* the executive reads but cannot correct or cancel; staff cannot read */
	t_get(exec, "/program/executions", &r);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body.s, "정정 기록") == NULL, "no correction form for the executive");
	t_resp_free(&r);
	CHECK_INT(t_post_form(exec, path, form, &r), 403);
	t_resp_free(&r);
	t_get(staff, "/program/executions", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);

	/* with a reason: the wrong one retired, the new one linked to it */
	snprintf(form, sizeof(form),
	         "program=1&line_id=%lld&executed_on=2024-03-04&amount=7000&memo=%s&reason=%s",
	         (long long)line, t_enc("바로잡은 금액"), t_enc("금액 오기"));
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	int64_t fixed = t_sql_int(d.db, "SELECT max(id) FROM budget_execution", NULL);
	char idq[64];
	snprintf(idq, sizeof(idq), "%lld", (long long)wrong);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT corrects_id FROM budget_execution WHERE id = "
	                    "(SELECT max(id) FROM budget_execution)",
	                    NULL),
	          wrong);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT retired_at IS NOT NULL FROM budget_execution WHERE id = ?",
	                    idq),
	          1);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM program_event WHERE object = 'budget_execution'"
	                    " AND kind IN ('retire', 'correct') AND object_id IN (?, "
	                    "(SELECT max(id) FROM budget_execution))",
	                    idq),
	          2);
	CHECK(list_total(leader, "year=2024&source=city", NULL) == city24 + 7000,
	      "the total counts the corrected entry only");
	t_get(leader, "/program/executions?year=2024&source=city&retired=1", &r);
	CHECK_INT(r.status, 200);
	char link[64];
	snprintf(link, sizeof(link), "정정 후 기록 #%lld", (long long)fixed);
	CHECK_CONTAINS(r.body.s, link);
	snprintf(link, sizeof(link), "정정 전 기록 #%lld", (long long)wrong);
	CHECK_CONTAINS(r.body.s, link);
	CHECK_CONTAINS(r.body.s, "취소됨");
	CHECK_CONTAINS(r.body.s, "정정: 금액 오기");
	t_resp_free(&r);
	/* the corrected one is gone from the default (active) list */
	t_get(leader, "/program/executions?year=2024&source=city", &r);
	CHECK(strstr(r.body.s, "잘못 적은 금액") == NULL, "cancelled entries hidden by default");
	t_resp_free(&r);

	/* cancel from the list: reason required, then recorded and shown */
	snprintf(path, sizeof(path), "/program/executions/%lld/retire", (long long)fixed);
	t_post_form(leader, path, "program=1&back=list&reason=", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "취소 사유를 500자 이내로 적어 주세요.");
	t_resp_free(&r);
	snprintf(form, sizeof(form), "program=1&back=list&reason=%s", t_enc("중복 입력"));
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK(list_total(leader, "year=2024&source=city", NULL) == city24, "back to the start");
	t_get(leader, "/program/executions?year=2024&source=city&retired=1", &r);
	CHECK_CONTAINS(r.body.s, "사유: 중복 입력");
	t_resp_free(&r);
}

/* ---- also: activities edited and retired, follow-ups done ----------------- */

static void activity_changes(struct client *leader, struct client *exec)
{
	int64_t id = t_sql_int(d.db, "SELECT max(id) FROM activity WHERE retired_at IS NULL", NULL);
	CHECK(id > 0, "the demo has activities");
	char sql[256], path[128], form[1024], idq[32];
	snprintf(idq, sizeof(idq), "%lld", (long long)id);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO activity_followup (activity_id, body, created_at) VALUES (%lld, "
	         "'견적서 다시 받기', '2024-01-01T00:00:00Z')",
	         (long long)id);
	t_sql_exec(d.db, sql);
	int64_t fu = t_sql_int(d.db, "SELECT max(id) FROM activity_followup", NULL);
	int64_t version = t_sql_int(d.db, "SELECT version FROM activity WHERE id = ?", idq);
	struct resp r;
	snprintf(path, sizeof(path), "/activities/%lld", (long long)id);
	t_get(leader, path, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "기록 고치기·취소");
	CHECK_CONTAINS(r.body.s, "견적서 다시 받기");
	t_resp_free(&r);
	t_get(exec, path, &r);
	CHECK(r.status != 200 || strstr(r.body.s, "기록 고치기·취소") == NULL,
	      "the executive gets no edit form");
	t_resp_free(&r);

	/* a bad date: 422, what was typed is still there, nothing changed */
	snprintf(path, sizeof(path), "/activities/%lld/edit", (long long)id);
	snprintf(form, sizeof(form),
	         "version=%lld&held_on=2024-13-40&place=&title=%s&summary=", (long long)version,
	         t_enc("고친 제목입니다"));
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "고친 제목입니다");
	CHECK_CONTAINS(r.body.s, "value=\"2024-13-40\"");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT version FROM activity WHERE id = ?", idq), version);
	CHECK_INT(t_post_form(exec, path, form, &r), 403);
	t_resp_free(&r);
	/* a good edit: saved, and the history says what changed */
	snprintf(form, sizeof(form), "version=%lld&held_on=2024-05-02&place=%s&title=%s&summary=%s",
	         (long long)version, t_enc("시청 3층"), t_enc("고친 제목입니다"), t_enc("내용"));
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	/* the same form again (an old version): refused, not overwritten */
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "다른 사람이 먼저 고쳤습니다");
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/activities/%lld", (long long)id);
	t_get(leader, path, &r);
	CHECK_CONTAINS(r.body.s, "<h1 class=\"app-h1\">고친 제목입니다</h1>");
	CHECK_CONTAINS(r.body.s, "수정: 제목 ");
	CHECK_CONTAINS(r.body.s, "→ 고친 제목입니다");
	t_resp_free(&r);

	/* a follow-up marked done: dated today, recorded */
	snprintf(path, sizeof(path), "/activities/%lld/followups/%lld/done", (long long)id,
	         (long long)fu);
	CHECK_INT(t_post_form(exec, path, "", &r), 403);
	t_resp_free(&r);
	t_post_form(leader, path, "", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT done_on IS NOT NULL FROM activity_followup WHERE id = %lld",
	         (long long)fu);
	CHECK_INT(t_sql_int(d.db, sql, NULL), 1);
	snprintf(path, sizeof(path), "/activities/%lld", (long long)id);
	t_get(leader, path, &r);
	CHECK_CONTAINS(r.body.s, "후속 조치 완료: 견적서 다시 받기");
	CHECK_CONTAINS(r.body.s, " 완료</span>");
	t_resp_free(&r);

	/* retire: a reason is required; then it is gone from the pages, kept in history */
	snprintf(path, sizeof(path), "/activities/%lld/retire", (long long)id);
	t_post_form(leader, path, "reason=", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "취소 사유를 500자 이내로 적어 주세요.");
	t_resp_free(&r);
	snprintf(form, sizeof(form), "reason=%s", t_enc("중복으로 기록함"));
	t_post_form(leader, path, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/activities/%lld", (long long)id);
	t_get(leader, path, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT count(*) FROM activity_event WHERE activity_id = %lld AND kind = 'retired' "
	    "AND new = ?",
	    (long long)id);
	CHECK_INT(t_sql_int(d.db, sql, "중복으로 기록함"), 1);
}

/* ---- also: a line's secured amount cannot drop below what it has paid ---- */

static void secured_not_below_executed(struct client *leader)
{
	int64_t planned = t_sql_int(d.db,
	                            "SELECT planned FROM budget_line WHERE year = 2022 AND "
	                            "source = 'city' AND retired_at IS NULL",
	                            NULL);
	int64_t secured = t_sql_int(d.db,
	                            "SELECT secured FROM budget_line WHERE year = 2022 AND "
	                            "source = 'city' AND retired_at IS NULL",
	                            NULL);
	CHECK(planned > 0 && secured > 0, "the 2022 city line");
	char form[256];
	/* 2022's city money is all paid: 100,000,000 secured would make 131%% */
	snprintf(form, sizeof(form), "year=2022&source=city&planned=%lld&secured=100000000",
	         (long long)planned);
	long st = 0;
	json_t *j = t_api(leader, "POST", "/program/budget", form, &st);
	CHECK_INT(st, 422);
	const char *msg = json_string_value(
	    json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "secured"));
	CHECK(msg && strstr(msg, "이미") && strstr(msg, "집행"), "secured: %s",
	      msg ? msg : "(none)");
	json_decref(j);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT secured FROM budget_line WHERE year = 2022 AND source = 'city' "
	                    "AND retired_at IS NULL",
	                    NULL),
	          secured);
	/* raising it, or lowering it no further than what was paid, is fine */
	snprintf(form, sizeof(form), "year=2022&source=city&planned=%lld&secured=%lld",
	         (long long)planned, (long long)secured);
	json_decref(t_api(leader, "POST", "/program/budget", form, &st));
	CHECK_INT(st, 200);
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_demo_db(db, sizeof(db),
	          (const char *const[]){"staff", "leader", "executive", "department", NULL});
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client leader, staff;
	t_client_init(&leader, &d);
	t_client_init(&staff, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);

	referral_moves_case(&leader);
	empty_text_is_null(&leader);
	error_summaries(&leader, &staff);
	budget_form_keeps_values(&leader);
	period_pages(&leader);
	history_whole(&leader);
	signoffs(&leader);
	card_default(&leader);
	changed_after_publication(&leader);
	secured_not_below_executed(&leader);
	grant_lists_entries(&leader);
	{
		struct client exec;
		t_client_init(&exec, &d);
		CHECK_INT(t_login(&exec, "executive", T_PASSWORD), 303);
		execution_list(&leader, &exec, &staff);
		activity_changes(&leader, &exec);
		t_client_free(&exec);
	}

	t_client_free(&leader);
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
