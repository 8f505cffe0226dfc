/* The home page of each role (GET / and its JSON face GET /api/v1/):
 *   staff       the phone-form button, my open cases (assigned to me or taken
 *               in by me; nobody else's) by deadline with the overdue one first
 *               and marked, my recent activities (went or recorded), at most 10
 *               rows with the full list's link showing the same total
 *   leader      red-flag, unassigned and bounced open cases, the overdue count,
 *               the quarter's pace, the sign-off of the last quarter (to do,
 *               then done after signing)
 *   executive   집행률 with links to /dashboard and /card
 *   department  the open referrals of its own department only, "내 담당" first;
 *               another department's case never appears; empty state in Korean
 *   admin       users per role and the locked account
 * and the HTML shows the same rows as the JSON. */
#include "harness.h"
#include "bizsos/sos_case.h"
#include "bizsos/workday.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static struct daemon d;
static char today[DATE_TEXT_SIZE];

static int64_t user_id(const char *login)
{
	return t_sql_int(d.db, "SELECT id FROM app_user WHERE login = ?1", login);
}

static int64_t new_case(struct client *c, int64_t company, const char *title,
                        const char *received_on)
{
	char form[2048];
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=phone&category_id=%lld&title=%s&received_on=%s",
	         (long long)company,
	         (long long)t_sql_int(d.db, "SELECT id FROM case_category WHERE name = ?1", "자금"),
	         t_enc(title), received_on ? received_on : "");
	return t_new_case(c, form, NULL);
}

/* The ids of a section's rows (key "cases" or "referrals" -> case_id). */
static bool has_case(json_t *section, int64_t id)
{
	size_t i;
	json_t *row;
	json_t *rows = json_object_get(section, "cases");
	const char *key = "id";
	if (rows == NULL) {
		rows = json_object_get(section, "referrals");
		key = "case_id";
	}
	json_array_foreach(rows, i, row) if (json_integer_value(json_object_get(row, key)) ==
	                                     id) return true;
	return false;
}

static json_t *home(struct client *c)
{
	long st = 0;
	json_t *j = t_api(c, "GET", "/", NULL, &st);
	CHECK_INT(st, 200);
	return j;
}

static char *home_html(struct client *c)
{
	struct resp r;
	t_get(c, "/", &r);
	CHECK_INT(r.status, 200);
	char *s = strdup(r.body.s ? r.body.s : "");
	t_resp_free(&r);
	return s;
}

static bool html_links_case(const char *html, int64_t id)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "href=\"/cases/%lld\"", (long long)id);
	return strstr(html, needle) != NULL;
}

/* The full list a section links to has the section's total. */
static void same_total(struct client *c, json_t *section, const char *what)
{
	const char *href = json_string_value(json_object_get(section, "href"));
	CHECK(href != NULL, "%s links to its full list", what);
	if (href == NULL)
		return;
	json_t *j = t_api(c, "GET", href, NULL, NULL);
	CHECK(json_integer_value(json_object_get(j, "total")) >=
	          json_integer_value(json_object_get(section, "total")),
	      "%s: the full list %s holds at least the %lld of the home page", what, href,
	      (long long)json_integer_value(json_object_get(section, "total")));
	if (strstr(href, "/cases") == href && strstr(what, "referrals") == NULL)
		CHECK_INT(json_integer_value(json_object_get(j, "total")),
		          json_integer_value(json_object_get(section, "total")));
	json_decref(j);
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	kst_today(today);
	int32_t td = 0;
	date_parse(today, &td, NULL);
	char long_ago[DATE_TEXT_SIZE];
	date_format(td - 45, long_ago, sizeof(long_ago));

	t_add_user(&d, "staff2", "둘째 주무관", "staff", "기업경제과");
	t_add_user(&d, "doro", "도로 담당", "department", "도로과");
	t_add_user(&d, "hwan", "환경 담당", "department", "환경과");
	t_add_user(&d, "locked1", "잠긴 사람", "staff", "기업경제과");
	t_sql_exec(d.db, "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	                 "('한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                 "'2025-01-01T00:00:00Z')");
	int64_t company = t_sql_int(d.db, "SELECT id FROM company WHERE brn = '1208147521'", NULL);
	int64_t staff_id = user_id("staff"), dept_user = user_id("department");
	int64_t geonchuk = t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", "건축과");
	int64_t doro_dept = t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", "도로과");

	struct client staff, staff2, leader, exec, dept, doro, hwan, admin, bad;
	struct client *all[] = {&staff, &staff2, &leader, &exec, &dept, &doro, &hwan, &admin};
	const char *logins[] = {"staff",      "staff2", "leader", "executive",
	                        "department", "doro",   "hwan",   "admin"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(all); i++) {
		t_client_init(all[i], &d);
		CHECK_INT(t_login(all[i], logins[i], T_PASSWORD), 303);
	}
	/* an account locked by failures from many addresses (test_signin drives that) */
	(void)bad;
	{
		sqlite3 *h;
		CHECK(sqlite3_open(d.db, &h) == SQLITE_OK, "open db");
		sqlite3_busy_timeout(h, 5000);
		CHECK(
		    sqlite3_exec(h,
		                 "UPDATE app_user SET locked_until = strftime('%Y-%m-%dT%H:%M:%SZ',"
		                 " 'now', '+15 minutes') WHERE login = 'locked1'",
		                 NULL, NULL, NULL) == SQLITE_OK,
		    "lock: %s", sqlite3_errmsg(h));
		sqlite3_close(h);
	}

	/* ---- empty states first: a fresh staff user, a department with nothing ---- */
	json_t *j = home(&staff);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "my_cases"), "total")), 0);
	CHECK(json_is_true(json_object_get(json_object_get(j, "my_cases"), "empty")), "empty");
	json_decref(j);
	char *html = home_html(&staff);
	CHECK_CONTAINS(html,
	               "href=\"/visits/new\" class=\"krds-btn primary xlarge app-home-visit\"");
	CHECK_CONTAINS(html, "현장 방문 기록");
	CHECK_CONTAINS(html, "href=\"/cases/new\"");
	CHECK_CONTAINS(html, "처리 중인 내 사건이 없습니다.");
	CHECK_CONTAINS(html, "아직 내가 다녀오거나 기록한 활동이 없습니다.");
	CHECK(strstr(html, "/admin/users") == NULL, "staff sees no admin link");
	free(html);

	/* ---- the cases ---- */
	int64_t mine_created = new_case(&staff, company, "내가 접수한 자금 애로", NULL);
	int64_t other = new_case(&staff2, company, "남이 접수한 애로", NULL);
	int64_t assigned = new_case(&staff2, company, "나에게 배정된 애로", NULL);
	int64_t late = new_case(&staff2, company, "기한 지난 내 애로", long_ago);
	int64_t gone = new_case(&staff, company, "취하된 내 애로", NULL);
	char form[256];
	snprintf(form, sizeof(form), "assignee=%lld", (long long)staff_id);
	CHECK_INT(t_case_act(&leader, assigned, "assign", form, NULL), 200);
	CHECK_INT(t_case_act(&leader, late, "assign", form, NULL), 200);
	CHECK_INT(t_case_act(&staff, gone, "status",
	                     "to=withdrawn&reason=%EA%B8%B0%EC%97%85+%EC%B7%A8%ED%95%98", NULL),
	          200);
	CHECK_INT(t_case_act(&leader, other, "triage", "triage=single&flag=red", NULL), 200);
	/* 건축과 leads mine_created (owner: the department user); 도로과 gets `other` */
	snprintf(form, sizeof(form), "lead=%lld&lead_owner=%lld", (long long)geonchuk,
	         (long long)dept_user);
	CHECK_INT(t_case_act(&leader, mine_created, "referrals", form, NULL), 200);
	snprintf(form, sizeof(form), "lead=%lld", (long long)geonchuk);
	CHECK_INT(t_case_act(&leader, assigned, "referrals", form, NULL), 200);
	snprintf(form, sizeof(form), "lead=%lld", (long long)doro_dept);
	CHECK_INT(t_case_act(&leader, other, "referrals", form, NULL), 200);
	/* bounced three times (as the referral loop would count it) */
	char sql[512];
	snprintf(sql, sizeof(sql), "UPDATE sos_case SET reassign_count = 3 WHERE id = %lld",
	         (long long)other);
	t_sql_exec(d.db, sql);
	/* activities: one the staff user went to, one it recorded, one of staff2 only */
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO activity (type_id, held_on, title, created_by, created_at, updated_at)"
	    " VALUES (9, '%s', '동행 방문', %lld, '2025-01-01T00:00:00Z',"
	    " '2025-01-01T00:00:00Z')",
	    today, (long long)user_id("staff2"));
	t_sql_exec(d.db, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO activity_staff (activity_id, user_id) VALUES ((SELECT max(id) FROM"
	         " activity), %lld)",
	         (long long)staff_id);
	t_sql_exec(d.db, sql);
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO activity (type_id, held_on, title, created_by, created_at, updated_at)"
	    " VALUES (9, '%s', '내가 기록한 방문', %lld, '2025-01-01T00:00:00Z',"
	    " '2025-01-01T00:00:00Z')",
	    long_ago, (long long)staff_id);
	t_sql_exec(d.db, sql);
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO activity (type_id, held_on, title, created_by, created_at, updated_at)"
	    " VALUES (9, '%s', '남의 방문', %lld, '2025-01-01T00:00:00Z',"
	    " '2025-01-01T00:00:00Z')",
	    today, (long long)user_id("staff2"));
	t_sql_exec(d.db, sql);

	/* ---- staff ---- */
	j = home(&staff);
	json_t *mc = json_object_get(j, "my_cases");
	CHECK_INT(json_integer_value(json_object_get(mc, "total")), 3);
	CHECK(has_case(mc, mine_created), "a case I took in");
	CHECK(has_case(mc, assigned), "a case assigned to me");
	CHECK(has_case(mc, late), "my overdue case");
	CHECK(!has_case(mc, other), "not someone else's case");
	CHECK(!has_case(mc, gone), "not a withdrawn case");
	json_t *first = json_array_get(json_object_get(mc, "cases"), 0);
	CHECK_INT(json_integer_value(json_object_get(first, "id")), late); /* overdue first */
	CHECK(json_is_true(json_object_get(first, "overdue")), "marked overdue");
	CHECK(json_string_value(json_object_get(first, "dday_label")) &&
	          json_string_value(json_object_get(first, "dday_label"))[0] == 'D',
	      "a D-day badge");
	same_total(&staff, mc, "staff my_cases");
	json_t *ma = json_object_get(j, "my_activities");
	CHECK_INT(json_integer_value(json_object_get(ma, "total")), 2);
	json_t *a0 = json_array_get(json_object_get(ma, "activities"), 0);
	CHECK_STR(json_string_value(json_object_get(a0, "display_title")), "동행 방문");
	CHECK_STR(json_string_value(json_object_get(
	              json_array_get(json_object_get(ma, "activities"), 1), "display_title")),
	          "내가 기록한 방문");
	json_decref(j);
	html = home_html(&staff);
	CHECK(html_links_case(html, late) && html_links_case(html, assigned) &&
	          html_links_case(html, mine_created),
	      "the page shows the JSON's cases");
	CHECK(!html_links_case(html, other), "and not another's");
	CHECK_CONTAINS(html, "<span class=\"sr-only\">기한 지남 </span>D+");
	CHECK_CONTAINS(html, "bg-danger");
	CHECK_CONTAINS(html, "동행 방문");
	CHECK(strstr(html, "남의 방문") == NULL, "not another's activity");
	free(html);

	/* more than ten: ten shown, the rest behind the link */
	for (int i = 0; i < 9; i++) {
		char t[64];
		snprintf(t, sizeof(t), "추가 애로 %d", i + 1);
		new_case(&staff, company, t, NULL);
	}
	j = home(&staff);
	mc = json_object_get(j, "my_cases");
	CHECK_INT(json_integer_value(json_object_get(mc, "total")), 12);
	CHECK_INT(json_array_size(json_object_get(mc, "cases")), 10);
	CHECK(json_is_true(json_object_get(mc, "more")), "more behind the link");
	same_total(&staff, mc, "staff my_cases (12)");
	json_decref(j);
	html = home_html(&staff);
	CHECK_CONTAINS(html, "나머지도 보기 (모두 12건)");
	CHECK_CONTAINS(html, "href=\"/cases?status=open&amp;mine=1&amp;sort=due\"");
	free(html);

	/* ---- leader ---- */
	j = home(&leader);
	json_t *red = json_object_get(j, "red"), *un = json_object_get(j, "unassigned"),
	       *bo = json_object_get(j, "bounced"), *ov = json_object_get(j, "overdue");
	CHECK(has_case(red, other) && json_integer_value(json_object_get(red, "total")) == 1,
	      "the red-flag case");
	CHECK(has_case(un, other) && has_case(un, mine_created) && !has_case(un, assigned),
	      "unassigned cases");
	CHECK(has_case(bo, other) && json_integer_value(json_object_get(bo, "total")) == 1,
	      "the bounced case");
	CHECK_INT(json_integer_value(json_object_get(ov, "total")), 1);
	same_total(&leader, red, "leader red");
	same_total(&leader, un, "leader unassigned");
	same_total(&leader, bo, "leader bounced");
	same_total(&leader, ov, "leader overdue");
	CHECK(json_is_object(json_object_get(j, "quarter")), "the quarter's pace");
	json_t *so = json_object_get(j, "signoffs");
	CHECK_INT(json_array_size(so), 2);
	json_t *prev = json_array_get(so, 0);
	CHECK(json_is_true(json_object_get(prev, "todo")), "last quarter awaits its sign-off");
	json_decref(j);
	html = home_html(&leader);
	CHECK_CONTAINS(html, "지금 챙길 사건");
	CHECK_CONTAINS(html, "확인 필요");
	CHECK_CONTAINS(html, "href=\"/progress");
	CHECK(html_links_case(html, other), "the leader sees the red case");
	free(html);
	/* signing last quarter off shows on the home page */
	int py = date_year(td), pq = date_quarter(td) - 1;
	if (pq == 0) {
		pq = 4;
		py--;
	}
	snprintf(form, sizeof(form), "year=%d&quarter=%d&note=ok", py, pq);
	struct resp r;
	t_fetch_csrf(&leader, "/");
	CHECK_INT(t_post_form(&leader, "/progress/signoff", form, &r), 303);
	t_resp_free(&r);
	j = home(&leader);
	prev = json_array_get(json_object_get(j, "signoffs"), 0);
	CHECK(json_is_true(json_object_get(prev, "signed")) &&
	          !json_is_true(json_object_get(prev, "todo")),
	      "signed off");
	json_decref(j);
	html = home_html(&leader);
	CHECK_CONTAINS(html, "확인 완료");
	free(html);

	/* ---- executive ---- */
	j = home(&exec);
	CHECK(json_is_object(json_object_get(j, "exec")), "집행률 for the executive");
	CHECK(json_object_get(j, "my_cases") == NULL && json_object_get(j, "red") == NULL,
	      "no case lists for the executive");
	json_decref(j);
	html = home_html(&exec);
	CHECK_CONTAINS(html, "예산 집행률");
	CHECK_CONTAINS(html, "href=\"/dashboard\"");
	CHECK_CONTAINS(html, "href=\"/card\"");
	free(html);

	/* ---- department: its own department only ---- */
	j = home(&dept);
	json_t *rf = json_object_get(j, "referrals");
	CHECK_INT(json_integer_value(json_object_get(rf, "total")), 2);
	CHECK_INT(json_integer_value(json_object_get(rf, "mine_total")), 1);
	CHECK(has_case(rf, mine_created) && has_case(rf, assigned), "건축과's referrals");
	CHECK(!has_case(rf, other), "never 도로과's case");
	json_t *r0 = json_array_get(json_object_get(rf, "referrals"), 0);
	CHECK_INT(json_integer_value(json_object_get(r0, "case_id")), mine_created); /* 내 담당 */
	CHECK(json_is_true(json_object_get(r0, "mine")), "marked mine");
	CHECK(json_object_get(j, "my_cases") == NULL && json_object_get(j, "red") == NULL,
	      "no team lists for a department user");
	json_decref(j);
	html = home_html(&dept);
	CHECK(html_links_case(html, mine_created) && html_links_case(html, assigned), "listed");
	CHECK(!html_links_case(html, other), "another department's case is not on the page");
	CHECK(strstr(html, "남이 접수한 애로") == NULL, "nor its title");
	CHECK_CONTAINS(html, "내 담당");
	free(html);
	j = home(&doro);
	rf = json_object_get(j, "referrals");
	CHECK(has_case(rf, other) && json_integer_value(json_object_get(rf, "total")) == 1,
	      "도로과 sees only its case");
	json_decref(j);
	html = home_html(&hwan);
	CHECK_CONTAINS(html, "지금 답변할 이관·협조 요청이 없습니다.");
	CHECK(!html_links_case(html, other) && !html_links_case(html, mine_created),
	      "환경과 sees nothing");
	free(html);
	/* an answered referral leaves the list */
	{
		char p[64];
		snprintf(p, sizeof(p), "/cases/%lld", (long long)assigned);
		json_t *c = t_api(&dept, "GET", p, NULL, NULL);
		int64_t rid = json_integer_value(
		    json_object_get(json_array_get(json_object_get(c, "referrals"), 0), "id"));
		json_decref(c);
		snprintf(p, sizeof(p), "referrals/%lld/answer", (long long)rid);
		CHECK_INT(t_case_act(&dept, assigned, p,
		                     "action=answer&answer=%EA%B2%80%ED%86%A0+%EC%99%84%EB%A3%8C",
		                     NULL),
		          200);
	}
	j = home(&dept);
	rf = json_object_get(j, "referrals");
	CHECK(!has_case(rf, assigned) && json_integer_value(json_object_get(rf, "total")) == 1,
	      "answered: off the list");
	json_decref(j);

	/* ---- admin ---- */
	j = home(&admin);
	json_t *u = json_object_get(j, "users");
	CHECK_INT(json_integer_value(json_object_get(u, "enabled")), 9);
	CHECK_INT(json_integer_value(json_object_get(u, "locked_total")), 1);
	CHECK_STR(json_string_value(
	              json_object_get(json_array_get(json_object_get(u, "locked"), 0), "login")),
	          "locked1");
	json_decref(j);
	html = home_html(&admin);
	CHECK_CONTAINS(html, "잠긴 사람");
	CHECK_CONTAINS(html, "href=\"/admin/users\"");
	CHECK_CONTAINS(html, "href=\"/admin/audit\"");
	free(html);

	for (size_t i = 0; i < BZ_ARRAY_LEN(all); i++)
		t_client_free(all[i]);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
