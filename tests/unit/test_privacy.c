/* The access log (개인정보 접속기록): one row per access with account, time,
 * address, subject, action and reason; a download without a reason refused;
 * UPDATE and DELETE refused; the hash chain found broken at a forged, altered
 * or removed row; rows from before the chain carried over and chained; purge
 * past the retention period (never under two years); search; the monthly
 * report (top viewers, downloads, out of hours, unusual volume) and its review;
 * the list of rights changes. */
#include "bizsos/company.h"
#include "bizsos/store_raw.h"
#include "bizsos/privacy.h"
#include "bizsos/user.h"
#include "harness.h"

#include <stdlib.h>

static bool exec_ok(struct db *db, const char *sql)
{
	return sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL) == SQLITE_OK;
}

static time_t now_value;
static time_t fake_now(void)
{
	return now_value;
}

static struct privacy_entry entry(int64_t uid, enum privacy_action a, int64_t subject_id)
{
	return (struct privacy_entry){.user_id = uid,
	                              .remote = "10.0.0.7",
	                              .action = a,
	                              .subject_kind = "company",
	                              .subject_id = subject_id,
	                              .subject = "㈜한빛정밀 담당자",
	                              .company_id = 0,
	                              .what = "contacts:2"};
}

static void test_append_and_refuse(struct db *db, int64_t uid)
{
	int64_t before = t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1);
	struct privacy_entry e = entry(uid, PRIVACY_VIEW, 5);
	CHECK_INT(privacy_log(db, &e), BZ_OK);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 1);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM privacy_access WHERE login = 'kim' AND action = "
	                   "'view' AND remote = '10.0.0.7' AND subject = '㈜한빛정밀 담당자' AND "
	                   "subject_id = ?1 AND reason IS NULL AND length(hash) = 64",
	                   5),
	          1);

	/* a download needs a reason: none, blank or one letter is refused, nothing written */
	e = entry(uid, PRIVACY_DOWNLOAD, 0);
	e.subject_kind = "list";
	CHECK_INT(privacy_log(db, &e), BZ_ERR_INVALID);
	e.reason = "   ";
	CHECK_INT(privacy_log(db, &e), BZ_ERR_INVALID);
	e.reason = "a";
	CHECK_INT(privacy_log(db, &e), BZ_ERR_INVALID);
	CHECK(privacy_reason_check(NULL) != NULL, "no reason has a message");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 1);
	e.reason = "분기 실적 보고 자료 작성";
	CHECK_INT(privacy_log(db, &e), BZ_OK);
	CHECK_INT(
	    t_db_int(db,
	             "SELECT count(*) FROM privacy_access WHERE action = 'download' AND reason = "
	             "'분기 실적 보고 자료 작성' AND subject_id IS NULL AND ?1",
	             1),
	    1);
	/* the database refuses a download without a reason too */
	CHECK(!exec_ok(db, "INSERT INTO privacy_access (at, user_id, login, action, subject_kind,"
	                   " subject, what, prev_hash, hash) VALUES ('2026-01-01T00:00:00Z', 1,"
	                   " 'kim', 'download', 'list', 'x', 'x', printf('%064d', 0),"
	                   " printf('%064d', 1))"),
	      "a reasonless download row is refused by the table");

	/* missing subject, unknown user, bad action */
	e = entry(uid, PRIVACY_VIEW, 5);
	e.subject = "";
	CHECK_INT(privacy_log(db, &e), BZ_ERR_INVALID);
	e = entry(999999, PRIVACY_VIEW, 5);
	CHECK_INT(privacy_log(db, &e), BZ_ERR_NOTFOUND);
	e = entry(uid, (enum privacy_action)42, 5);
	CHECK_INT(privacy_log(db, &e), BZ_ERR_INVALID);

	/* append-only */
	CHECK(!exec_ok(db, "UPDATE privacy_access SET subject = 'x'"), "UPDATE refused");
	CHECK(!exec_ok(db, "UPDATE privacy_access SET reason = NULL WHERE action = 'download'"),
	      "UPDATE of a reason refused");
	CHECK(!exec_ok(db, "DELETE FROM privacy_access"), "DELETE refused");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 2);

	/* every action has its Korean label */
	static const char *const ko[] = {"조회", "입력", "변경", "삭제", "출력", "다운로드"};
	for (int a = PRIVACY_VIEW; a <= PRIVACY_DOWNLOAD; a++)
		CHECK_STR(privacy_action_label_ko(privacy_action_code((enum privacy_action)a)),
		          ko[a]);
}

static void test_contact_view(struct db *db, int64_t uid)
{
	struct company_input in = {.name = "㈜가나정밀", .brn = "1208147521"};
	struct company_outcome o = {0};
	int64_t cid = 0;
	CHECK_INT(company_create(db, uid, &in, &cid, &o), BZ_OK);
	company_outcome_free(&o);
	json_t *fields = NULL;
	CHECK_INT(company_contact_add(db, uid, cid, "김철수", "", "01012345678", "", &fields),
	          BZ_OK);
	json_decref(fields);
	int64_t before = t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1);
	json_t *contacts = NULL;
	CHECK_INT(company_contacts_view(db, cid, uid, "192.0.2.1", &contacts), BZ_OK);
	json_decref(contacts);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 1);
	CHECK_INT(
	    t_db_int(db,
	             "SELECT count(*) FROM privacy_access WHERE company_id = ?1 AND subject_id = "
	             "?1 AND subject = '㈜가나정밀 담당자' AND action = 'view' AND what = "
	             "'contacts:1' AND remote = '192.0.2.1'",
	             cid),
	    1);
}

static void check_verify(struct db *db, int64_t broken, const char *problem_part)
{
	struct privacy_verify_result r;
	CHECK_INT(privacy_verify(db, &r), BZ_OK);
	CHECK_INT(r.broken_id, broken);
	if (problem_part)
		CHECK_CONTAINS(r.problem, problem_part);
}

/* Each tamper on its own copy of the log. */
static void test_tamper(int64_t uid_unused)
{
	(void)uid_unused;
	static const struct {
		const char *sql; /* the tamper, triggers dropped first */
		int64_t broken;
		const char *problem;
	} cases[] = {
	    {"UPDATE privacy_access SET subject = '다른 회사 담당자' WHERE id = 3", 3,
	     "do not match its hash"},
	    {"UPDATE privacy_access SET login = 'lee' WHERE id = 1", 1, "do not match its hash"},
	    {"DELETE FROM privacy_access WHERE id = 3", 4, "missing"},
	    {"DELETE FROM privacy_access WHERE id IN (2, 3)", 4, "missing"},
	    {"DELETE FROM privacy_access WHERE id = 1", 2, "missing"},
	    /* a forged row in the middle, with a well-formed hash of its own */
	    {"UPDATE privacy_access SET hash = printf('%064d', 7) WHERE id = 2", 2,
	     "do not match its hash"},
	    /* a whole forged row re-using the next row's prev hash but wrong contents */
	    {"INSERT INTO privacy_access (id, at, user_id, login, action, subject_kind, subject,"
	     " what, prev_hash, hash) SELECT 6, at, user_id, login, 'view', 'company', '위조',"
	     " 'contacts:9', hash, printf('%064d', 6) FROM privacy_access WHERE id = 5",
	     6, "do not match its hash"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(cases); i++) {
		char path[512], err[256], name[32];
		snprintf(name, sizeof(name), "tamper%zu.db", i);
		t_path(path, sizeof(path), name);
		struct db *db = NULL;
		CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
		CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
		int64_t uid = 0;
		CHECK_INT(
		    user_add(db, 0, "kim", "김주무", ROLE_STAFF, NULL, T_PASSWORD, &uid, NULL, 0),
		    BZ_OK);
		CHECK_INT(
		    user_add(db, 0, "lee", "이주무", ROLE_STAFF, NULL, T_PASSWORD, NULL, NULL, 0),
		    BZ_OK);
		for (int k = 1; k <= 5; k++) {
			struct privacy_entry e = entry(uid, PRIVACY_VIEW, k);
			CHECK_INT(privacy_log(db, &e), BZ_OK);
		}
		check_verify(db, 0, NULL);
		CHECK(exec_ok(db, "DROP TRIGGER privacy_access_no_update;"
		                  "DROP TRIGGER privacy_access_no_delete"),
		      "drop triggers");
		CHECK(exec_ok(db, cases[i].sql), "tamper %zu", i);
		check_verify(db, cases[i].broken, cases[i].problem);
		db_close(db);
	}
}

/* Rows written before migration 040 are carried over and chained. */
static void test_legacy_rows(void)
{
	char path[512], err[256];
	t_path(path, sizeof(path), "legacy.db");
	struct db *db = NULL;
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	size_t upto = 0;
	while (upto < db_migration_count && db_migrations[upto].version < 40)
		upto++;
	CHECK_INT(db_apply_migrations(db, db_migrations, upto, err, sizeof(err)), BZ_OK);
	CHECK(exec_ok(db,
	              "INSERT INTO app_user (login, name, role, password_hash) VALUES"
	              " ('kim', '김주무', 'staff', 'x');"
	              "INSERT INTO company (name, brn, name_key, created_at, updated_at) VALUES"
	              " ('㈜옛회사', '1208147521', '옛회사', '2025-01-01T00:00:00Z',"
	              " '2025-01-01T00:00:00Z');"
	              "INSERT INTO privacy_access (at, user_id, company_id, what, remote) VALUES"
	              " ('2025-02-01T01:00:00Z', 1, 1, 'contacts:2', '10.1.1.1'),"
	              " ('2025-02-02T01:00:00Z', 1, 1, 'contacts:3', NULL),"
	              " ('2025-02-03T01:00:00Z', 1, NULL, 'contacts:1', '10.1.1.2')"),
	      "legacy rows");
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	CHECK_INT(
	    t_db_int(db, "SELECT count(*) FROM privacy_access WHERE action = 'view' AND ?1", 1), 3);
	CHECK_INT(
	    t_db_int(db,
	             "SELECT count(*) FROM privacy_access WHERE subject = '㈜옛회사 담당자' AND "
	             "login = 'kim' AND ?1",
	             1),
	    2);
	check_verify(db, 0, NULL);
	struct privacy_entry e = entry(1, PRIVACY_VIEW, 1);
	CHECK_INT(privacy_log(db, &e), BZ_OK);
	CHECK_INT(t_db_int(db, "SELECT max(id) FROM privacy_access WHERE ?1", 1), 4);
	check_verify(db, 0, NULL);
	CHECK(!exec_ok(db, "UPDATE privacy_access SET what = 'x' WHERE id = 1"), "append-only");
	db_close(db);
}

static void test_report_review(void)
{
	char path[512], err[256];
	t_path(path, sizeof(path), "report.db");
	struct db *db = NULL;
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	int64_t kim = 0, lee = 0, admin = 0;
	CHECK_INT(user_add(db, 0, "kim", "김주무", ROLE_STAFF, NULL, T_PASSWORD, &kim, NULL, 0),
	          BZ_OK);
	CHECK_INT(user_add(db, 0, "lee", "이주무", ROLE_STAFF, NULL, T_PASSWORD, &lee, NULL, 0),
	          BZ_OK);
	CHECK_INT(user_add(db, 0, "boss", "관리자", ROLE_ADMIN, NULL, T_PASSWORD, &admin, NULL, 0),
	          BZ_OK);
	db_clock_override(fake_now);

	/* 2026-03 (KST): Tuesday 3 March 10:00 KST = 01:00Z, kim views 30 companies
	 * on one day and 1 on each of two other days; lee downloads at 23:30 KST */
	struct tm tm = {.tm_year = 126, .tm_mon = 2, .tm_mday = 3, .tm_hour = 1};
	now_value = timegm(&tm);
	for (int k = 0; k < 30; k++) {
		struct privacy_entry e = entry(kim, PRIVACY_VIEW, 1 + k);
		CHECK_INT(privacy_log(db, &e), BZ_OK);
	}
	for (int d = 0; d < 9; d++) {
		now_value += 86400;
		struct privacy_entry e = entry(kim, PRIVACY_VIEW, 1);
		CHECK_INT(privacy_log(db, &e), BZ_OK);
	}
	struct tm late = {.tm_year = 126, .tm_mon = 2, .tm_mday = 4, .tm_hour = 14, .tm_min = 30};
	now_value = timegm(&late); /* 23:30 KST */
	struct privacy_entry d = entry(lee, PRIVACY_DOWNLOAD, 0);
	d.subject_kind = "list";
	d.subject = "기업 목록";
	d.what = "xlsx:120";
	d.reason = "도의회 자료 요구 제출";
	CHECK_INT(privacy_log(db, &d), BZ_OK);
	/* Saturday 7 March 11:00 KST */
	struct tm sat = {.tm_year = 126, .tm_mon = 2, .tm_mday = 7, .tm_hour = 2};
	now_value = timegm(&sat);
	struct privacy_entry s = entry(lee, PRIVACY_VIEW, 77);
	CHECK_INT(privacy_log(db, &s), BZ_OK);

	json_t *m = NULL;
	CHECK_INT(privacy_month_report(db, "2026-03", &m), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(m, "rows")), 41);
	CHECK_INT(json_integer_value(json_object_get(m, "users")), 2);
	json_t *top = json_object_get(m, "top_viewers");
	CHECK_STR(json_string_value(json_object_get(json_array_get(top, 0), "login")), "kim");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(top, 0), "subjects")), 30);
	json_t *dl = json_object_get(m, "downloads");
	CHECK_INT(json_array_size(dl), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(dl, 0), "reason")),
	          "도의회 자료 요구 제출");
	CHECK_STR(json_string_value(json_object_get(json_array_get(dl, 0), "at_kst")),
	          "2026-03-04 23:30");
	CHECK_INT(json_integer_value(json_object_get(m, "out_of_hours_count")),
	          4); /* 2 weekend views of kim, lee's night download and Saturday view */
	json_t *un = json_object_get(m, "unusual");
	CHECK_INT(json_array_size(un), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(un, 0), "day")), "2026-03-03");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(un, 0), "rows")), 30);
	CHECK(json_object_get(m, "review") == NULL, "not yet reviewed");
	json_decref(m);
	CHECK_INT(privacy_month_report(db, "2026-13", &m), BZ_ERR_INVALID);
	CHECK_INT(privacy_month_report(db, "2026-3", &m), BZ_ERR_INVALID);
	CHECK_INT(privacy_month_report(db, "March", &m), BZ_ERR_INVALID);

	/* search */
	json_t *rows = NULL;
	int64_t total = 0;
	struct privacy_filter f = {.user = "이주무"};
	CHECK_INT(privacy_search(db, &f, 50, 0, &rows, &total), BZ_OK);
	CHECK_INT(total, 2);
	json_decref(rows);
	f = (struct privacy_filter){.action = "download", .from = "2026-03-04", .to = "2026-03-04"};
	CHECK_INT(privacy_search(db, &f, 50, 0, &rows, &total), BZ_OK);
	CHECK_INT(total, 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(rows, 0), "action_label")),
	          "다운로드");
	json_decref(rows);
	f = (struct privacy_filter){.from = "2026-03-05", .to = "2026-03-05"};
	CHECK_INT(privacy_search(db, &f, 50, 0, &rows, &total), BZ_OK);
	CHECK_INT(total, 1); /* kim's one view on the 5th (KST) */
	json_decref(rows);

	/* review: once per month, not for a month not yet begun */
	now_value = timegm(&(struct tm){.tm_year = 126, .tm_mon = 3, .tm_mday = 2, .tm_hour = 1});
	CHECK_INT(
	    privacy_review_mark(db, admin, "2026-03", "이상 없음. 이주무 야간 다운로드 확인함"),
	    BZ_OK);
	CHECK_INT(privacy_review_mark(db, admin, "2026-03", "again"), BZ_ERR_CONFLICT);
	CHECK_INT(privacy_review_mark(db, admin, "2026-05", NULL), BZ_ERR_INVALID);
	CHECK_INT(privacy_month_report(db, "2026-03", &m), BZ_OK);
	CHECK_CONTAINS(json_string_value(json_object_get(json_object_get(m, "review"), "reviewer")),
	               "boss");
	json_decref(m);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM audit_log WHERE action = 'privacy.review' AND ?1",
	                   1),
	          1);
	CHECK(!exec_ok(db, "DELETE FROM privacy_review"), "reviews are kept");
	check_verify(db, 0, NULL);
	db_clock_override(NULL);
	db_close(db);
}

/* The purge, on its own database with times relative to the real clock: the
 * delete trigger compares with SQLite's own 'now', and rows at fixed dates (the
 * report's 2026-03) would become purgeable, or a row "eighteen months ago"
 * would land in the reported month, depending on the day the test runs. */
static void test_purge(void)
{
	char path[512], err[256];
	t_path(path, sizeof(path), "purge.db");
	struct db *db = NULL;
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	int64_t kim = 0, admin = 0;
	CHECK_INT(user_add(db, 0, "kim", "김주무", ROLE_STAFF, NULL, T_PASSWORD, &kim, NULL, 0),
	          BZ_OK);
	CHECK_INT(user_add(db, 0, "boss", "관리자", ROLE_ADMIN, NULL, T_PASSWORD, &admin, NULL, 0),
	          BZ_OK);
	db_clock_override(fake_now);
	/* three years ago: two rows (purgeable) */
	now_value = time(NULL) - 3 * 366 * 86400;
	for (int k = 0; k < 2; k++) {
		struct privacy_entry e = entry(kim, PRIVACY_VIEW, 100 + k);
		CHECK_INT(privacy_log(db, &e), BZ_OK);
	}
	/* eighteen months ago: one row (kept: younger than two years) */
	now_value = time(NULL) - 548 * 86400;
	struct privacy_entry e0 = entry(kim, PRIVACY_PRINT, 300);
	CHECK_INT(privacy_log(db, &e0), BZ_OK);
	/* a month ago and today: ten rows (kept) */
	for (int k = 0; k < 10; k++) {
		now_value = time(NULL) - (k < 5 ? 30 * 86400 : 0);
		struct privacy_entry e = entry(kim, PRIVACY_VIEW, 1 + k);
		CHECK_INT(privacy_log(db, &e), BZ_OK);
	}
	db_clock_override(NULL);
	/* this month reviewed (real clock): a review anchor before the purge */
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char month[32];
	snprintf(month, sizeof(month), "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
	CHECK_INT(privacy_review_mark(db, admin, month, "이상 없음"), BZ_OK);
	check_verify(db, 0, NULL);

	/* purge: years under two count as two; the 18-month-old row stays */
	int64_t removed = 0;
	CHECK_INT(privacy_purge(db, 1, &removed), BZ_OK);
	CHECK_INT(removed, 2);
	CHECK_INT(
	    t_db_int(db, "SELECT count(*) FROM privacy_access WHERE action = 'print' AND ?1", 1),
	    1);
	check_verify(db, 0, NULL);
	CHECK_INT(privacy_purge(db, 2, &removed), BZ_OK);
	CHECK_INT(removed, 0);
	/* the kept rows cannot be deleted even though a purge happened */
	CHECK(!exec_ok(db, "DELETE FROM privacy_access WHERE action = 'print'"),
	      "a row younger than two years cannot be deleted");
	struct privacy_entry e = entry(kim, PRIVACY_VIEW, 9);
	CHECK_INT(privacy_log(db, &e), BZ_OK);
	check_verify(db, 0, NULL);

	/* removing the newest rows leaves no gap, but loses the reviewed head */
	int64_t head =
	    t_db_int(db, "SELECT head_id FROM privacy_anchor WHERE kind = 'review' AND ?1", 1);
	CHECK(exec_ok(db, "DROP TRIGGER privacy_access_no_delete"), "drop trigger");
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db_handle(db), "DELETE FROM privacy_access WHERE id >= ?1", -1, &st,
	                   NULL);
	sqlite3_bind_int64(st, 1, head);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	check_verify(db, head, "monthly review");
	db_close(db);
}

static void test_rights(struct db *db, int64_t admin)
{
	CHECK_INT(
	    user_add(db, admin, "park", "박주무", ROLE_STAFF, NULL, T_PASSWORD, NULL, NULL, 0),
	    BZ_OK);
	CHECK_INT(user_set_role(db, admin, "park", ROLE_LEADER, NULL), BZ_OK);
	CHECK_INT(user_set_disabled(db, admin, "park", true), BZ_OK);
	json_t *a = NULL;
	CHECK_INT(privacy_rights_changes(db, 100, &a), BZ_OK);
	CHECK(json_array_size(a) >= 3, "three changes listed");
	CHECK_STR(json_string_value(json_object_get(json_array_get(a, 0), "action_label")),
	          "권한 말소 (사용 중지)");
	CHECK_STR(json_string_value(json_object_get(json_array_get(a, 1), "detail_text")),
	          "역할 주무관 → 팀장");
	CHECK_CONTAINS(json_string_value(json_object_get(json_array_get(a, 1), "user")), "park");
	json_decref(a);
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char path[512], err[256];
	t_path(path, sizeof(path), "privacy.db");
	struct db *db = NULL;
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	int64_t uid = 0, admin = 0;
	CHECK_INT(user_add(db, 0, "kim", "김주무", ROLE_STAFF, NULL, T_PASSWORD, &uid, NULL, 0),
	          BZ_OK);
	CHECK_INT(user_add(db, 0, "boss", "관리자", ROLE_ADMIN, NULL, T_PASSWORD, &admin, NULL, 0),
	          BZ_OK);
	test_append_and_refuse(db, uid);
	test_contact_view(db, uid);
	check_verify(db, 0, NULL);
	test_rights(db, admin);
	db_close(db);
	test_tamper(uid);
	test_legacy_rows();
	test_report_review();
	test_purge();
	t_cleanup();
	return t_done();
}
