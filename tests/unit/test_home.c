/* The home model of each role on a small database (tests/http/test_home.c
 * drives the same pages over HTTP):
 *   staff      my open cases (assigned to me or taken in by me; another's
 *              never; a closed one never) with the overdue one first; my
 *              recent cases; my activities (went or recorded), the latest
 *              first, at most HOME_LIST_MAX rows with the total and "more"
 *   leader     the red-flag, unassigned and overdue open cases; the week,
 *              the quarter and the sign-offs of the last and this quarter
 *   department the open referrals of its own department only, 내 담당 first
 *   admin      users per role, the locked account (a disabled one is not)
 *   no role    an empty model
 * Bad input: a leader's "today" that is no date is BZ_ERR_INVALID. */
#include "harness.h"

#include "bizsos/home.h"
#include "bizsos/kst.h"
#include "bizsos/store.h"

#include <string.h>

static struct db *db;
static char today[DATE_TEXT_SIZE];

static int64_t i(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Whether case id is among the rows (key "cases" or, for referrals, case_id). */
static bool lists(json_t *section, const char *key, const char *idkey, int64_t id)
{
	size_t k;
	json_t *row;
	json_array_foreach(json_object_get(section, key), k,
	                   row) if (i(row, idkey) == id) return true;
	return false;
}

static void day(int offset, char out[DATE_TEXT_SIZE])
{
	date_format(kst_today_day() + offset, out, DATE_TEXT_SIZE);
}

/* A case of company 1 received `received` days from today, due `due` days from today. */
static void add_case(int64_t id, const char *title, int received, int due, const char *status,
                     const char *flag, const char *assignee, const char *created_by)
{
	char r[DATE_TEXT_SIZE], d[DATE_TEXT_SIZE], sql[1536];
	day(received, r);
	day(due, d);
	bool done = strcmp(status, "done") == 0;
	if (done) /* notified and closed on the day received */
		snprintf(
		    sql, sizeof(sql),
		    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, "
		    "channel, category_id, title, status, due_on, assignee_id, created_by, "
		    "disposition, outcome, notified_method, notified_on, closed_on, created_at, "
		    "updated_at) VALUES (%lld, 'SOS-%.4s-%04lld', 1, '%sT01:00:00Z', '%s', "
		    "'phone', "
		    "(SELECT min(id) FROM case_category), '%s', 'done', '%s', %s, %s, 'immediate', "
		    "'accepted', 'phone', '%s', '%s', '%sT01:00:00Z', '%sT01:00:00Z')",
		    (long long)id, r, (long long)id, r, r, title, d, assignee, created_by, r, r, r,
		    r);
	else
		snprintf(
		    sql, sizeof(sql),
		    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, "
		    "channel, category_id, title, status, flag, due_on, assignee_id, created_by, "
		    "created_at, updated_at) VALUES (%lld, 'SOS-%.4s-%04lld', 1, '%sT01:00:00Z', "
		    "'%s', 'phone', (SELECT min(id) FROM case_category), '%s', '%s', %s, '%s', %s, "
		    "%s, '%sT01:00:00Z', '%sT01:00:00Z')",
		    (long long)id, r, (long long)id, r, r, title, status, flag, d, assignee,
		    created_by, r, r);
	CHECK(db_exec(db, sql) == BZ_OK, "case %lld", (long long)id);
}

static void seed(void)
{
	CHECK_INT(
	    db_exec(
	        db,
	        "INSERT INTO department (id, name) VALUES (50, '시험건축과'), (51, '시험도로과');"
	        "INSERT INTO app_user (id, login, name, role, password_hash, department_id, "
	        "disabled_at, locked_until) VALUES "
	        "(1, 'kim', '김주무', 'staff', 'x', NULL, NULL, NULL),"
	        "(2, 'lee', '이팀장', 'leader', 'x', NULL, NULL, NULL),"
	        "(3, 'park', '박주무', 'staff', 'x', NULL, NULL, NULL),"
	        "(4, 'choi', '최건축', 'department', 'x', 50, NULL, NULL),"
	        "(5, 'jung', '정건축', 'department', 'x', 50, NULL, NULL),"
	        "(6, 'han', '한도로', 'department', 'x', 51, NULL, '2999-01-01T00:00:00Z'),"
	        "(7, 'gone', '퇴직자', 'staff', 'x', NULL, '2024-01-01T00:00:00Z', "
	        "'2999-01-01T00:00:00Z'),"
	        "(8, 'root', '관리자', 'admin', 'x', NULL, NULL, NULL);"
	        "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) VALUES "
	        "(1, '한빛정밀', '한빛정밀', '1208147521', '2024-01-01T00:00:00Z', "
	        "'2024-01-01T00:00:00Z')"),
	    BZ_OK);
	add_case(101, "기한 지난 내 사건", -20, -1, "in_progress", "'red'", "1", "2");
	add_case(102, "내가 접수한 사건", -2, 12, "received", "NULL", "NULL", "1");
	add_case(103, "다른 직원 사건", -3, 5, "reviewing", "NULL", "3", "3");
	add_case(100, "끝난 내 사건", -30, -16, "done", "NULL", "1", "1");
	/* referrals of 102 and 103 to 건축과 (103 owned by choi) and of 101 to 도로과 */
	CHECK_INT(db_exec(db,
	                  "INSERT INTO case_referral (case_id, department_id, role, status, "
	                  "due_on, owner_id, created_at) VALUES "
	                  "(102, 50, 'lead', 'open', '2999-01-01', NULL, '2024-01-01T00:00:00Z'),"
	                  "(103, 50, 'lead', 'open', '2999-01-02', 4, '2024-01-01T00:00:00Z'),"
	                  "(101, 51, 'lead', 'open', '2999-01-01', NULL, '2024-01-01T00:00:00Z'),"
	                  "(100, 50, 'lead', 'open', '2999-01-01', NULL, '2024-01-01T00:00:00Z')"),
	          BZ_OK);
	/* twelve activities kim went to (the 12th recorded by park), one park went to alone */
	for (int k = 1; k <= 13; k++) {
		char sql[512], held[DATE_TEXT_SIZE];
		day(-k, held);
		snprintf(
		    sql, sizeof(sql),
		    "INSERT INTO activity (id, type_id, held_on, title, created_by, created_at, "
		    "updated_at) VALUES (%d, 2, '%s', '방문 %d', %d, '2024-01-01T00:00:00Z', "
		    "'2024-01-01T00:00:00Z');"
		    "INSERT INTO activity_staff (activity_id, user_id) VALUES (%d, %d)",
		    k, held, k, k >= 12 ? 3 : 1, k, k == 13 ? 3 : 1);
		CHECK(db_exec(db, sql) == BZ_OK, "activity %d", k);
	}
}

static json_t *model_of(int64_t id, int role, int64_t dept)
{
	struct user u = {.id = id, .role = role, .department_id = dept};
	json_t *m = NULL;
	CHECK_INT(home_model(db, &u, today, &m), BZ_OK);
	return m ? m : json_object();
}

static void staff_home(void)
{
	json_t *m = model_of(1, ROLE_STAFF, 0);
	json_t *mine = json_object_get(m, "my_cases");
	CHECK(lists(mine, "cases", "id", 101), "assigned to me");
	CHECK(lists(mine, "cases", "id", 102), "taken in by me");
	CHECK(!lists(mine, "cases", "id", 103), "another's case is not mine");
	CHECK(!lists(mine, "cases", "id", 100), "a closed case is not open");
	CHECK_INT(i(mine, "total"), 2);
	CHECK_INT(i(json_array_get(json_object_get(mine, "cases"), 0), "id"),
	          101); /* overdue first */
	json_t *recent = json_object_get(m, "my_recent");
	CHECK(lists(recent, "cases", "id", 100), "a closed case among my recent ones");
	CHECK_INT(i(json_array_get(json_object_get(recent, "cases"), 0), "id"),
	          102); /* newest no. */
	json_t *acts = json_object_get(m, "my_activities");
	CHECK_INT(json_array_size(json_object_get(acts, "activities")), HOME_LIST_MAX);
	CHECK_INT(i(acts, "total"), 12); /* one recorded by park counts; park's own does not */
	CHECK(json_is_true(json_object_get(acts, "more")), "more than the home shows");
	json_t *first = json_array_get(json_object_get(acts, "activities"), 0);
	CHECK_STR(t_str(first, "display_title"), "방문 1");
	CHECK(json_object_get(m, "red") == NULL, "no leader sections on the staff home");
	json_decref(m);

	/* the other staff member: only his own */
	m = model_of(3, ROLE_STAFF, 0);
	CHECK_INT(i(json_object_get(m, "my_cases"), "total"), 1);
	CHECK_INT(i(json_object_get(m, "my_activities"), "total"), 2);
	json_decref(m);
	/* nobody's: empty sections */
	m = model_of(99, ROLE_STAFF, 0);
	CHECK_INT(i(json_object_get(m, "my_cases"), "total"), 0);
	CHECK(json_is_true(json_object_get(json_object_get(m, "my_cases"), "empty")), "empty");
	json_decref(m);
}

static void leader_home(void)
{
	json_t *m = model_of(2, ROLE_LEADER, 0);
	CHECK(lists(json_object_get(m, "red"), "cases", "id", 101), "the red flag");
	CHECK(!lists(json_object_get(m, "red"), "cases", "id", 102), "no flag, not red");
	json_t *un = json_object_get(m, "unassigned");
	CHECK(lists(un, "cases", "id", 102), "102 waits for a person");
	CHECK_INT(i(un, "total"), 1);
	CHECK(lists(json_object_get(m, "overdue"), "cases", "id", 101), "101 is overdue");
	CHECK_INT(i(json_object_get(m, "overdue"), "total"), 1);
	CHECK(json_object_get(m, "week") != NULL, "the week");
	CHECK(json_object_get(m, "quarter") != NULL, "the quarter's pace");
	CHECK_INT(json_array_size(json_object_get(m, "signoffs")), 2);
	CHECK(json_object_get(m, "my_cases") == NULL, "no staff sections on the leader home");
	json_decref(m);

	/* a day that is not a date */
	struct user u = {.id = 2, .role = ROLE_LEADER};
	json_t *bad = NULL;
	CHECK_INT(home_model(db, &u, "2024-13-45", &bad), BZ_ERR_INVALID);
	CHECK(bad == NULL, "no model for a bad day");
}

static void department_home(void)
{
	json_t *m = model_of(4, ROLE_DEPARTMENT, 50);
	json_t *r = json_object_get(m, "referrals");
	CHECK(lists(r, "referrals", "case_id", 102) && lists(r, "referrals", "case_id", 103),
	      "both open referrals of 건축과");
	CHECK(!lists(r, "referrals", "case_id", 101), "도로과's referral is not ours");
	CHECK(!lists(r, "referrals", "case_id", 100), "a closed case's referral is not listed");
	CHECK_INT(i(r, "total"), 2);
	CHECK_INT(i(r, "mine_total"), 1);
	json_t *first = json_array_get(json_object_get(r, "referrals"), 0);
	CHECK_INT(i(first, "case_id"), 103); /* 내 담당 first, though due later */
	CHECK(json_is_true(json_object_get(first, "mine")), "marked mine");
	json_decref(m);
	/* the colleague: the same two, none his, by deadline (the unowned 102,
	 * due first, is not put after choi's 103) */
	m = model_of(5, ROLE_DEPARTMENT, 50);
	r = json_object_get(m, "referrals");
	CHECK_INT(i(r, "mine_total"), 0);
	CHECK_INT(i(r, "total"), 2);
	CHECK_INT(i(json_array_get(json_object_get(r, "referrals"), 0), "case_id"), 102);
	CHECK(!json_is_true(
	          json_object_get(json_array_get(json_object_get(r, "referrals"), 0), "mine")),
	      "none is the colleague's");
	json_decref(m);
	/* a department user without a department sees nothing */
	m = model_of(9, ROLE_DEPARTMENT, 0);
	CHECK_INT(i(json_object_get(m, "referrals"), "total"), 0);
	json_decref(m);
}

static void admin_home(void)
{
	json_t *m = model_of(8, ROLE_ADMIN, 0);
	json_t *u = json_object_get(m, "users");
	CHECK_INT(i(u, "locked_total"), 1); /* the disabled account does not count */
	CHECK_STR(t_str(json_array_get(json_object_get(u, "locked"), 0), "login"), "han");
	CHECK_INT(i(u, "disabled"), 1);
	CHECK_INT(i(u, "enabled"), 7);
	size_t k;
	json_t *row;
	int64_t staff_enabled = -1;
	json_array_foreach(json_object_get(u, "roles"), k,
	                   row) if (strcmp(t_str(row, "role"), "staff") == 0) staff_enabled =
	    i(row, "enabled");
	CHECK_INT(staff_enabled, 2);
	json_decref(m);

	/* no role: nothing */
	m = model_of(10, 0, 0);
	CHECK_INT(json_object_size(m), 0);
	json_decref(m);
}

int main(void)
{
	db = t_fresh_db("home.db");
	if (db == NULL)
		return t_done();
	kst_today(today);
	seed();
	staff_home();
	leader_home();
	department_home();
	admin_home();
	db_close(db);
	t_cleanup();
	return t_done();
}
