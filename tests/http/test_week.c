/* The leader's week (GET /week and its JSON face GET /api/v1/week) on a small
 * database built here, with the counts a leader reads at the Monday meeting:
 *   - this week's new cases (a merged case is not counted), closed cases and
 *     cases due by Sunday;
 *   - the overdue backlog, most overdue first, each with its reason: an open
 *     referral (waiting on the department, with the department's own days
 *     late), a note shared with the company as the last word (waiting on the
 *     company), or nothing (on us), and how many working days late;
 *   - load per staff member (open, overdue, closed this month) with links to
 *     lists that show the same numbers; per department (open referrals, past
 *     the referral's due date, average reply in working days, late replies);
 *   - bounced (3+), open over 30 days, red flags;
 *   - the leader's home carries the week's summary; staff and department
 *     users may not open the week (403); the page prints (print CSS, button).
 * Holidays are retired in this database so working days are weekdays only. */
#include "harness.h"
#include "bizsos/kst.h"
#include "bizsos/workday.h"

#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

static int32_t td;

/* "YYYY-MM-DD" of today + off (a rotating static buffer). */
static const char *day(int off)
{
	static char bufs[16][DATE_TEXT_SIZE];
	static int k;
	char *b = bufs[k++ % 16];
	date_format(td + off, b, DATE_TEXT_SIZE);
	return b;
}

/* Inserts an open (or other status) case; returns its id. */
static int64_t add_case(int n, const char *title, int received_off, int due_off, const char *status,
                        const char *assignee_login, const char *extra_cols, const char *extra_vals)
{
	char sql[2048], who[128] = "NULL";
	if (assignee_login)
		snprintf(who, sizeof(who), "(SELECT id FROM app_user WHERE login = '%s')",
		         assignee_login);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel,"
	         " category_id, title, status, due_on, assignee_id, created_at, updated_at%s)"
	         " VALUES ('SOS-2099-%04d', (SELECT id FROM company WHERE brn = '1208147521'),"
	         " '%sT01:00:00Z', '%s', 'phone', 1, '%s', '%s', '%s', %s, '%sT01:00:00Z',"
	         " '%sT01:00:00Z'%s)",
	         extra_cols ? extra_cols : "", n, day(received_off), day(received_off), title,
	         status, day(due_off), who, day(received_off), day(received_off),
	         extra_vals ? extra_vals : "");
	t_sql_exec(d.db, sql);
	char q[128];
	snprintf(q, sizeof(q), "SELECT id FROM sos_case WHERE case_no = 'SOS-2099-%04d'", n);
	return t_sql_int(d.db, q, NULL);
}

static int64_t geti(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The list a link of the week points to has `want` cases. */
static void list_total(struct client *c, const char *href, int64_t want)
{
	json_t *j = t_api(c, "GET", href, NULL, NULL);
	CHECK(geti(j, "total") == want, "%s lists %lld (want %lld)", href,
	      (long long)geti(j, "total"), (long long)want);
	json_decref(j);
}

static json_t *find_by(json_t *rows, const char *key, const char *val)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *v = json_string_value(json_object_get(row, key));
		if (v && strcmp(v, val) == 0)
			return row;
	}
	return NULL;
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	date_parse(today, &td, NULL);
	int wd = date_weekday(td); /* 1 = Monday */
	int to_sunday = 7 - wd;

	t_add_user(&d, "staff2", "둘째 주무관", "staff", "기업경제과");
	t_sql_exec(d.db, "INSERT OR IGNORE INTO department (name) VALUES ('도로과'), ('환경과')");
	t_sql_exec(d.db, "UPDATE holiday SET retired_at = '2000-01-01T00:00:00Z'");
	t_sql_exec(d.db, "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	                 "('한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                 "'2025-01-01T00:00:00Z')");

	/* A: new today, due in 10 days (not this week), staff */
	int64_t a = add_case(1, "신규 인력 문의", 0, 10, "received", "staff", NULL, NULL);
	/* G: received today but merged into A: not counted */
	char mv[64];
	snprintf(mv, sizeof(mv), ", %lld", (long long)a);
	add_case(2, "중복 접수", 0, 10, "received", "staff", ", merged_into", mv);
	/* B: 45 days open, 10 days overdue, waiting on 건축과 (its referral 5 days
	 * late), reassigned three times */
	int64_t b = add_case(3, "공장 증축 인허가", -45, -10, "in_progress", "staff",
	                     ", reassign_count", ", 3");
	/* C: overdue 3 days, our last word a note shared with the company */
	int64_t c = add_case(4, "자금 서류 보완", -20, -3, "reviewing", "staff2", NULL, NULL);
	/* D: overdue 2 days, nobody assigned, red flag: on us */
	add_case(5, "진입로 파손", -20, -2, "received", NULL, ", flag", ", 'red'");
	/* E: closed today by staff2, with two answers from 도로과 (one late) */
	int64_t e = add_case(6, "가로등 설치", -20, 5, "done", "staff2",
	                     ", disposition, outcome, notified_method, notified_on, closed_on",
	                     ", 'immediate', 'accepted', 'phone', date('now', '+9 hours'),"
	                     " date('now', '+9 hours')");
	/* F: due on Sunday of this week, received before Monday */
	add_case(7, "판로 상담", -8, to_sunday, "received", "staff", NULL, NULL);

	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO case_referral (case_id, department_id, role, due_on, status,"
	         " created_at) VALUES (%lld, (SELECT id FROM department WHERE name = '건축과'),"
	         " 'lead', '%s', 'open', '%sT01:00:00Z')",
	         (long long)b, day(-5), day(-12));
	t_sql_exec(d.db, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO case_note (case_id, at, body, shared) VALUES (%lld, '%sT01:00:00Z',"
	         " '내부 메모', 0), (%lld, '%sT02:00:00Z', '서류 보완을 요청했습니다.', 1)",
	         (long long)c, day(-5), (long long)c, day(-4));
	t_sql_exec(d.db, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO case_referral (case_id, department_id, role, due_on, status,"
	         " answer, answered_at, created_at) VALUES"
	         " (%lld, (SELECT id FROM department WHERE name = '도로과'), 'lead', '%s',"
	         " 'answered', '설치하겠습니다.', '%sT01:00:00Z', '%sT01:00:00Z'),"
	         " (%lld, (SELECT id FROM department WHERE name = '도로과'), 'coop', '%s',"
	         " 'answered', '협조하겠습니다.', '%sT01:00:00Z', '%sT01:00:00Z')",
	         (long long)e, day(-6), day(-3), day(-10), (long long)e, day(-2), day(-9),
	         day(-10));
	t_sql_exec(d.db, sql);
	int64_t geonchuk = t_sql_int(d.db, "SELECT id FROM department WHERE name = '건축과'", NULL);
	int64_t staff_id = t_sql_int(d.db, "SELECT id FROM app_user WHERE login = 'staff'", NULL);

	struct client leader, staff, dept, exec;
	t_client_init(&leader, &d);
	t_client_init(&staff, &d);
	t_client_init(&dept, &d);
	t_client_init(&exec, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);
	CHECK_INT(t_login(&dept, "department", T_PASSWORD), 303);
	CHECK_INT(t_login(&exec, "executive", T_PASSWORD), 303);

	/* ---- who may look ---- */
	long st = 0;
	json_decref(t_api(&staff, "GET", "/week", NULL, &st));
	CHECK_INT(st, 403);
	json_decref(t_api(&dept, "GET", "/week", NULL, &st));
	CHECK_INT(st, 403);
	json_decref(t_api(&exec, "GET", "/week", NULL, &st));
	CHECK_INT(st, 200);

	/* ---- the counts of the week ---- */
	json_t *w = t_api(&leader, "GET", "/week", NULL, &st);
	CHECK_INT(st, 200);
	json_t *s = json_object_get(w, "summary");
	CHECK_INT(geti(s, "new"), 1);
	CHECK_INT(geti(s, "closed"), 1);
	CHECK_INT(geti(s, "due_week"), 1);
	CHECK_INT(geti(s, "overdue"), 3);
	CHECK_INT(geti(s, "overdue_department"), 1);
	CHECK_INT(geti(s, "overdue_company"), 1);
	CHECK_INT(geti(s, "overdue_us"), 1);
	CHECK_INT(geti(s, "unassigned"), 1);
	CHECK_INT(geti(s, "bounced"), 1);
	CHECK_INT(geti(s, "long"), 1);
	CHECK_INT(geti(s, "red"), 1);
	json_t *wk = json_object_get(w, "week");
	CHECK_STR(json_string_value(json_object_get(wk, "from")), day(1 - wd));
	CHECK_STR(json_string_value(json_object_get(wk, "to")), day(to_sunday));
	CHECK_STR(json_string_value(json_object_get(
	              json_array_get(json_object_get(json_object_get(w, "new_cases"), "rows"), 0),
	              "case_no")),
	          "SOS-2099-0001");
	list_total(&leader,
	           json_string_value(json_object_get(json_object_get(w, "closed_cases"), "href")),
	           1);

	/* ---- the backlog: most overdue first, with its reason and working days ---- */
	json_t *rows = json_object_get(json_object_get(w, "overdue"), "rows");
	CHECK_INT(json_array_size(rows), 3);
	json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1),
	       *r2 = json_array_get(rows, 2);
	CHECK_STR(json_string_value(json_object_get(r0, "case_no")), "SOS-2099-0003");
	CHECK_STR(json_string_value(json_object_get(r0, "reason")), "department");
	CHECK_STR(json_string_value(json_object_get(r0, "department")), "건축과");
	CHECK_INT(geti(r0, "days_late"), workday_between(NULL, td - 10, td));
	CHECK_INT(geti(r0, "department_days_late"), workday_between(NULL, td - 5, td));
	CHECK_CONTAINS(json_string_value(json_object_get(r0, "reason_label")), "건축과 답변 지연");
	CHECK_STR(json_string_value(json_object_get(r1, "case_no")), "SOS-2099-0004");
	CHECK_STR(json_string_value(json_object_get(r1, "reason")), "company");
	CHECK_INT(geti(r1, "days_late"), workday_between(NULL, td - 3, td));
	CHECK_STR(json_string_value(json_object_get(r2, "case_no")), "SOS-2099-0005");
	CHECK_STR(json_string_value(json_object_get(r2, "reason")), "us");
	CHECK(json_is_null(json_object_get(r2, "assignee")), "D has no assignee");
	list_total(&leader, "/cases?overdue=1", 3);

	/* ---- load per staff member, and the lists behind the numbers ---- */
	json_t *staff_rows = json_object_get(w, "staff");
	json_t *s1 = find_by(staff_rows, "name", "기업 주무관");
	if (s1 == NULL) { /* the seeded staff user's display name */
		size_t i;
		json_t *row;
		json_array_foreach(staff_rows, i, row) if (geti(row, "id") == staff_id) s1 = row;
	}
	json_t *s2 = find_by(staff_rows, "name", "둘째 주무관");
	CHECK(s1 != NULL && s2 != NULL, "both staff members have a row");
	if (s1 && s2) {
		CHECK_INT(geti(s1, "open"), 3); /* A, B, F (the merged G is not open work) */
		CHECK_INT(geti(s1, "overdue"), 1);
		CHECK_INT(geti(s1, "closed_month"), 0);
		CHECK_INT(geti(s2, "open"), 1);
		CHECK_INT(geti(s2, "overdue"), 1);
		CHECK_INT(geti(s2, "closed_month"), 1);
		list_total(&leader, json_string_value(json_object_get(s1, "href_open")), 3);
		list_total(&leader, json_string_value(json_object_get(s1, "href_overdue")), 1);
		list_total(&leader, json_string_value(json_object_get(s2, "href_closed")), 1);
	}

	/* ---- per department ---- */
	json_t *depts = json_object_get(w, "departments");
	json_t *g = find_by(depts, "name", "건축과"), *dr = find_by(depts, "name", "도로과");
	CHECK(g != NULL && dr != NULL, "건축과 and 도로과 are listed");
	if (g && dr) {
		CHECK_INT(geti(g, "id"), geonchuk);
		CHECK_INT(geti(g, "open"), 1);
		CHECK_INT(geti(g, "overdue_open"), 1);
		CHECK_STR(json_string_value(json_object_get(g, "avg_reply_days")), "-");
		list_total(&leader, json_string_value(json_object_get(g, "href_open")), 1);
		CHECK_INT(geti(dr, "open"), 0);
		CHECK_INT(geti(dr, "answered"), 2);
		CHECK_INT(geti(dr, "late_replies"), 1);
		int32_t w1 = workday_between(NULL, td - 10, td - 3),
		        w2 = workday_between(NULL, td - 10, td - 9);
		int tenths = (int)(((w1 + w2) * 10 + 1) / 2);
		char avg[16];
		snprintf(avg, sizeof(avg), "%d.%d", tenths / 10, tenths % 10);
		CHECK_STR(json_string_value(json_object_get(dr, "avg_reply_days")), avg);
	}
	CHECK(find_by(depts, "name", "환경과") == NULL, "a department with nothing is left out");

	/* ---- flagged lists ---- */
	CHECK_INT(geti(json_object_get(w, "bounced"), "total"), 1);
	CHECK_INT(geti(json_object_get(w, "long"), "total"), 1);
	CHECK_INT(geti(json_object_get(w, "red"), "total"), 1);
	list_total(&leader, json_string_value(json_object_get(json_object_get(w, "long"), "href")),
	           1);
	json_decref(w);

	/* ---- the page: the same numbers, printable ---- */
	struct resp r;
	t_get(&leader, "/week", &r);
	CHECK_INT(r.status, 200);
	const char *html = r.body.s ? r.body.s : "";
	CHECK_CONTAINS(html, "<h1 class=\"app-h1\">주간 점검</h1>");
	CHECK_CONTAINS(html, "data-count=\"overdue\">3<");
	CHECK_CONTAINS(html, "data-count=\"overdue_department\">1<");
	CHECK_CONTAINS(html, "data-reason=\"department\"");
	CHECK_CONTAINS(html, "data-reason=\"company\"");
	CHECK_CONTAINS(html, "data-reason=\"us\"");
	CHECK_CONTAINS(html, "건축과 답변 지연");
	CHECK_CONTAINS(html, "기업 회신 대기");
	CHECK_CONTAINS(html, "href=\"/static/css/print.css");
	CHECK_CONTAINS(html, "data-print>인쇄(A4)</button>");
	CHECK_CONTAINS(html, "data-label=\"지연 사유\"");
	t_resp_free(&r);

	/* ---- the leader's home carries the week's summary ---- */
	json_t *h = t_api(&leader, "GET", "/", NULL, &st);
	CHECK_INT(st, 200);
	json_t *hs = json_object_get(json_object_get(h, "week"), "summary");
	CHECK_INT(geti(hs, "new"), 1);
	CHECK_INT(geti(hs, "overdue"), 3);
	json_decref(h);
	t_get(&leader, "/", &r);
	CHECK_CONTAINS(r.body.s ? r.body.s : "", "href=\"/week\" class=\"app-home-all\"");
	t_resp_free(&r);

	/* ---- the case page names the next step and opens its panel ---- */
	struct {
		int64_t id;
		const char *next;
	} steps[] = {
	    {t_sql_int(d.db, "SELECT id FROM sos_case WHERE case_no = 'SOS-2099-0005'", NULL),
	     "assign"},
	    {a, "refer"},
	    {b, "wait"}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(steps); i++) {
		char p[64];
		snprintf(p, sizeof(p), "/cases/%lld", (long long)steps[i].id);
		json_t *cj = t_api(&leader, "GET", p, NULL, &st);
		CHECK_INT(st, 200);
		CHECK_STR(json_string_value(json_object_get(json_object_get(cj, "next"), "key")),
		          steps[i].next);
		json_decref(cj);
	}
	{
		char p[64];
		snprintf(p, sizeof(p), "/cases/%lld", (long long)a);
		t_get(&leader, p, &r);
		const char *ch = r.body.s ? r.body.s : "";
		CHECK_CONTAINS(ch, "다음 단계: <strong>부서 이송</strong>");
		CHECK_CONTAINS(ch, "<details class=\"app-action is-next\" open>");
		CHECK_CONTAINS(ch, ">검토로 변경</button>");
		CHECK(strstr(ch, "(으)로 바꾸기") == NULL, "no mechanical particle on buttons");
		t_resp_free(&r);
	}

	t_client_free(&leader);
	t_client_free(&staff);
	t_client_free(&dept);
	t_client_free(&exec);
	t_daemon_stop(&d);
	return t_done();
}
