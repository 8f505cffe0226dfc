/* The leader's pages on the demo database (issue 14):
 *   - the dashboard as of a quarter (?as_of=2024-Q3): the JSON face counts up
 *     to the quarter's last day (the seed card's 2024 Q3 execution, 135 million
 *     won in 2024), cases received by then, the quarter selector; bad or
 *     out-of-term quarters are a 400 with a Korean message; the category chart
 *     is horizontal bars with role="img", a title, and the table beside it;
 *   - the demo is lively on the day it runs: departments with open referrals,
 *     late answers, cases received in the last weeks;
 *   - the company page's one timeline (visits, cases, grants, letters, status
 *     checks, changes): filters by kind and year as query parameters (the
 *     counts in the choices), 30 a page, newest first; bad filters a 400;
 *   - the card's photo strip: the demo's drawn photos by default, the leader's
 *     choice per quarter (order, caption; audited), only the leader. */
#include "harness.h"
#include "bizsos/kst.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static struct daemon d;

static void dashboard(struct client *c)
{
	long st = 0;
	json_t *j = t_api(c, "GET", "/dashboard?as_of=2024-Q3", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "as_of"), "key")),
	          "2024-Q3");
	CHECK_STR(json_string_value(json_object_get(j, "today")), "2024-09-30");
	/* 2024's executions to 2024-09-30: 56 + 51 + 28 million won (the card's) */
	json_t *y;
	size_t i;
	bool seen = false;
	json_array_foreach(json_object_get(j, "budget_years"), i, y)
	{
		if (strcmp(json_string_value(json_object_get(y, "label")), "2024년") == 0) {
			CHECK_INT(json_integer_value(json_object_get(y, "executed")),
			          INT64_C(135000000));
			seen = true;
		}
	}
	CHECK(seen, "a 2024 budget row");
	/* the headline 집행률 as of 2024-Q3 is the card's (753 ÷ 884 = 85.2%): money
	 * secured for later years is not counted before their year */
	json_t *g0 = json_array_get(json_object_get(j, "exec_gauges"), 0);
	CHECK_STR(json_string_value(json_object_get(json_object_get(g0, "rate"), "text")), "85.2");
	CHECK_INT(json_integer_value(json_object_get(g0, "secured")), INT64_C(884000000));
	CHECK_INT(json_integer_value(json_object_get(g0, "executed")), INT64_C(753000000));
	/* cases: those received by 2024-09-30, none later */
	int64_t sum = 0;
	json_array_foreach(json_object_get(j, "cases_by_status"), i, y) sum +=
	    json_integer_value(json_object_get(y, "count"));
	CHECK_INT(sum, t_sql_int(d.db,
	                         "SELECT count(*) FROM sos_case WHERE merged_into IS NULL"
	                         " AND received_on <= '2024-09-30'",
	                         NULL));
	int64_t cat = 0;
	json_array_foreach(json_object_get(j, "cases_by_category"), i, y) cat +=
	    json_integer_value(json_object_get(y, "count"));
	CHECK_INT(cat, sum);
	/* the selector: the quarter chosen, newest first */
	json_t *q = json_object_get(j, "quarters");
	CHECK(json_array_size(q) >= 8, "quarters to choose from");
	bool chosen = false;
	json_array_foreach(q, i, y)
	{
		if (json_is_true(json_object_get(y, "selected")))
			chosen =
			    strcmp(json_string_value(json_object_get(y, "value")), "2024-Q3") == 0;
	}
	CHECK(chosen, "2024-Q3 selected");
	json_decref(j);

	/* today: no as_of, every case */
	j = t_api(c, "GET", "/dashboard", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_is_null(json_object_get(j, "as_of")), "live dashboard has as_of null");
	sum = 0;
	json_array_foreach(json_object_get(j, "cases_by_status"), i, y) sum +=
	    json_integer_value(json_object_get(y, "count"));
	CHECK_INT(sum,
	          t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE merged_into IS NULL", NULL));
	json_decref(j);

	/* bad quarters */
	static const char *const bad[] = {"/dashboard?as_of=2024-Q5", "/dashboard?as_of=x",
	                                  "/dashboard?as_of=2019-Q1", "/dashboard?as_of=2099-Q1"};
	for (size_t k = 0; k < BZ_ARRAY_LEN(bad); k++) {
		struct resp r;
		t_get(c, bad[k], &r);
		CHECK(r.status == 400, "%s answered %ld", bad[k], r.status);
		CHECK_CONTAINS(r.body.s, "분기");
		t_resp_free(&r);
	}

	/* the page: the selector and the category chart as horizontal bars */
	struct resp r;
	t_get(c, "/dashboard?as_of=2024-Q3", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "<select id=\"dash-as-of\" name=\"as_of\"");
	CHECK_CONTAINS(r.body.s, "<option value=\"2024-Q3\" selected>2024년 3분기</option>");
	CHECK_CONTAINS(r.body.s, "2024년 3분기 기준(2024-09-30까지)");
	CHECK_CONTAINS(r.body.s, "class=\"app-chart app-chart-hbars\"");
	CHECK_CONTAINS(r.body.s, "role=\"img\" aria-labelledby=\"bars-category-title "
	                         "bars-category-desc\"><title id=\"bars-category-title\">분야별");
	CHECK_CONTAINS(r.body.s, "<caption id=\"dash-cat-cap\">");
	t_resp_free(&r);
}

/* The company page's one timeline: every kind, filters by kind and year, pages. */
static void timeline(struct client *c)
{
	/* the company with the most cases, and a visit of it */
	int64_t id = t_sql_int(d.db,
	                       "SELECT company_id FROM sos_case GROUP BY company_id"
	                       " ORDER BY count(*) DESC, company_id LIMIT 1",
	                       NULL);
	char path[128], sql[512];
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO company_event (company_id, at, actor_id, kind, field, old, new)"
	    " SELECT %lld, '2025-05-0' || (value %% 9 + 1) || 'T01:00:00Z', NULL, 'update',"
	    " 'employees', value, value + 1 FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL"
	    " SELECT value + 1 FROM n WHERE value < 40) SELECT value FROM n)",
	    (long long)id);
	t_sql_exec(d.db, sql);
	snprintf(path, sizeof(path), "/companies/%lld", (long long)id);
	long st = 0;
	json_t *j = t_api(c, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	json_t *meta = json_object_get(j, "timeline_meta");
	int64_t all = json_integer_value(json_object_get(meta, "all"));
	CHECK(all > 40, "all %lld", (long long)all);
	CHECK_INT(json_array_size(json_object_get(j, "timeline")), 30);
	CHECK_INT(json_integer_value(json_object_get(meta, "pages")), (all + 29) / 30);
	CHECK_INT(json_integer_value(json_object_get(meta, "next")), 2);
	/* kinds counted, a case among them, newest first */
	size_t i;
	json_t *k;
	int64_t cases = 0;
	json_array_foreach(json_object_get(meta, "kinds"), i, k)
	{
		if (strcmp(json_string_value(json_object_get(k, "key")), "case") == 0)
			cases = json_integer_value(json_object_get(k, "count"));
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sos_case WHERE company_id = %lld",
	         (long long)id);
	CHECK_INT(cases, t_sql_int(d.db, sql, NULL));
	const char *prev = NULL;
	json_array_foreach(json_object_get(j, "timeline"), i, k)
	{
		const char *day = json_string_value(json_object_get(k, "day"));
		CHECK(day && (!prev || strcmp(prev, day) >= 0), "newest first");
		prev = day;
	}
	json_decref(j);
	/* only cases */
	snprintf(path, sizeof(path), "/companies/%lld?kind=case", (long long)id);
	j = t_api(c, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "timeline_meta"), "total")),
	          cases);
	json_array_foreach(json_object_get(j, "timeline"), i, k)
	{
		CHECK_STR(json_string_value(json_object_get(k, "kind")), "case");
		CHECK(json_string_value(json_object_get(k, "href")) != NULL, "case links");
	}
	json_decref(j);
	/* only 2025: the 40 changes, two pages, the second with 10 + what else 2025 holds */
	snprintf(path, sizeof(path), "/companies/%lld?kind=record&year=2025&page=2", (long long)id);
	j = t_api(c, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_array_size(json_object_get(j, "timeline")), 10);
	json_decref(j);
	/* the page: no-JS filters, the pager keeps them */
	struct resp r;
	snprintf(path, sizeof(path), "/companies/%lld?kind=record&year=2025", (long long)id);
	t_get(c, path, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "<select id=\"tl-kind\" name=\"kind\"");
	CHECK_CONTAINS(r.body.s, "<option value=\"record\" selected>기업 정보 (40)</option>");
	CHECK_CONTAINS(r.body.s, "<option value=\"2025\" selected>2025년 (40)</option>");
	CHECK_CONTAINS(r.body.s, "?kind=record&amp;year=2025&amp;page=2#history-title\">다음</a>");
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기록 40건");
	t_resp_free(&r);
	/* bad filters: 400 with a Korean message */
	static const char *const bad[] = {"?kind=zzz", "?year=99", "?page=0", "?year=abcd"};
	for (size_t b = 0; b < BZ_ARRAY_LEN(bad); b++) {
		snprintf(path, sizeof(path), "/companies/%lld%s", (long long)id, bad[b]);
		t_get(c, path, &r);
		CHECK(r.status == 400, "%s answered %ld", path, r.status);
		CHECK(strstr(r.body.s, "이력 종류") || strstr(r.body.s, "연도") ||
		          strstr(r.body.s, "쪽 번호"),
		      "%s: a Korean message", path);
		t_resp_free(&r);
	}
}

/* The card's photo strip: the demo's photos show by default; the leader
 * chooses one with its own caption; others may not; bad input is a 422. */
static void photos(struct client *leader, struct client *exec, struct client *staff)
{
	long st = 0;
	json_t *card = t_api(exec, "GET", "/card?as_of=2024-Q3", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_array_size(json_object_get(card, "photos")) >= 2, "the demo's photos show");
	CHECK(!json_is_true(json_object_get(card, "photos_chosen")), "not chosen yet");
	json_decref(card);
	/* no quarter asked: the last completed quarter, as the card shows by default */
	json_t *form = t_api(leader, "GET", "/card/photos", NULL, &st);
	CHECK_INT(st, 200);
	const char *asof = json_string_value(json_object_get(form, "as_of"));
	CHECK(asof && strlen(asof) == 7 && asof[5] == 'Q', "a default quarter: %s",
	      asof ? asof : "(none)");
	json_decref(form);
	/* a malformed one is still refused in Korean */
	json_decref(t_api(leader, "GET", "/card/photos?as_of=2024-Q9", NULL, &st));
	CHECK_INT(st, 400);
	form = t_api(leader, "GET", "/card/photos?as_of=2024-Q3", NULL, &st);
	CHECK_INT(st, 200);
	json_t *choices = json_object_get(form, "choices");
	CHECK(json_array_size(choices) >= 2, "photos to choose from");
	int64_t p1 = json_integer_value(json_object_get(json_array_get(choices, 1), "id"));
	int64_t p0 = json_integer_value(json_object_get(json_array_get(choices, 0), "id"));
	json_decref(form);
	char body[512];
	struct resp r;
	t_fetch_csrf(leader, "/card/photos?as_of=2024-Q3");
	snprintf(
	    body, sizeof(body),
	    "program=1&as_of=2024-Q3&pick_%lld=1&sort_%lld=1&caption_%lld=%%EA%%B8%%B0%%EC%%97%%85"
	    "%%20%%ED%%98%%84%%EC%%9E%%A5&pick_%lld=1&sort_%lld=2",
	    (long long)p1, (long long)p1, (long long)p1, (long long)p0, (long long)p0);
	t_post_form(leader, "/card/photos", body, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	card = t_api(exec, "GET", "/card?as_of=2024-Q3", NULL, &st);
	json_t *ph = json_object_get(card, "photos");
	CHECK_INT(json_array_size(ph), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(ph, 0), "caption")),
	          "기업 현장");
	CHECK(json_is_true(json_object_get(card, "photos_chosen")), "chosen");
	/* the second photo was chosen with no caption: NULL in the store, and the
	 * card shows the photo's own caption */
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM card_photo WHERE caption = ''", NULL), 0);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM card_photo WHERE caption IS NULL AND "
	                    "retired_at IS NULL",
	                    NULL),
	          1);
	json_decref(card);
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM audit_log WHERE action = 'card_photos'",
	                NULL) == 1,
	      "the choice is audited");
	/* another quarter keeps the default */
	card = t_api(exec, "GET", "/card?as_of=2024-Q2", NULL, &st);
	CHECK(!json_is_true(json_object_get(card, "photos_chosen")), "2024-Q2 default");
	json_decref(card);
	/* bad input: a caption with a line break, an order of 0 */
	snprintf(body, sizeof(body),
	         "program=1&as_of=2024-Q3&pick_%lld=1&sort_%lld=0&caption_%lld=a%%0Ab",
	         (long long)p1, (long long)p1, (long long)p1);
	t_post_form(leader, "/card/photos", body, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "순서는 1부터 99까지의 숫자로 적어 주세요.");
	CHECK_CONTAINS(r.body.s, "사진 설명은 줄바꿈 없이 200자까지 입력할 수 있습니다.");
	CHECK_CONTAINS(r.body.s, "aria-invalid=\"true\"");
	t_resp_free(&r);
	t_post_form(leader, "/card/photos", "program=1&as_of=2031-Q1", &r);
	CHECK_INT(r.status, 400);
	t_resp_free(&r);
	/* only the leader */
	t_get(exec, "/card/photos?as_of=2024-Q3", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_fetch_csrf(staff, "/");
	t_post_form(staff, "/card/photos", "program=1&as_of=2024-Q3", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	/* nothing picked: back to the default */
	t_post_form(leader, "/card/photos", "program=1&as_of=2024-Q3", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	card = t_api(exec, "GET", "/card?as_of=2024-Q3", NULL, &st);
	CHECK(!json_is_true(json_object_get(card, "photos_chosen")), "back to the default");
	json_decref(card);
	/* the photo itself is served */
	snprintf(body, sizeof(body), "SELECT activity_id FROM activity_photo WHERE id = %lld",
	         (long long)p1);
	char path[96];
	snprintf(path, sizeof(path), "/activities/%lld/photos/%lld",
	         (long long)t_sql_int(d.db, body, NULL), (long long)p1);
	t_get(leader, path, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body.len > 1000 && memcmp(r.body.s, "\x89PNG", 4) == 0, "a PNG");
	t_resp_free(&r);
}

/* The demo on the day it runs: open referrals, late answers, recent cases. */
static void lively(void)
{
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM department WHERE retired_at IS NULL", NULL) >=
	          10,
	      "about ten departments");
	CHECK(t_sql_int(d.db,
	                "SELECT count(DISTINCT department_id) FROM app_user WHERE role ="
	                " 'department'",
	                NULL) >= 10,
	      "a user in each department");
	CHECK(t_sql_int(d.db,
	                "SELECT count(*) FROM case_referral WHERE status = 'answered'"
	                " AND date(answered_at, '+9 hours') > due_on",
	                NULL) > 0,
	      "late answers");
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM case_referral WHERE status = 'open'", NULL) > 0,
	      "open referrals");
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM contact_consent", NULL) > 0,
	      "contacts with consent");
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM case_note", NULL) > 0, "notes");
	char today[DATE_TEXT_SIZE], sql[256];
	kst_today(today);
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM sos_case WHERE received_on > date('%s', '-14 days')", today);
	CHECK(t_sql_int(d.db, sql, NULL) > 0, "cases received in the last two weeks");
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"leader", "staff", "executive", NULL});
	if (!t_start(&d, NULL))
		return 1;
	struct client leader, exec, staff;
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&exec, &d, "executive");
	t_sign_in(&staff, &d, "staff");

	dashboard(&exec);
	lively();
	timeline(&leader);
	photos(&leader, &exec, &staff);

	t_client_free(&leader);
	t_client_free(&exec);
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
