/* The access log through the daemon: a contact view is exactly one row (with
 * account, address, subject, action), adding a contact is an entry row; the
 * admin's search, its CSV download refused without a reason and logged with
 * one; the monthly review and its sign-off (once); the rights-change list;
 * scheduled backups (kept N), the operations page, /healthz?deep=1 for anyone
 * and for an admin; every page admin-only. */
#include "bizsos/buf.h"
#include "bizsos/totp.h"
#include "harness.h"
#include "sinks.h"

#include <dirent.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct daemon d;

static int count_backups(void)
{
	char dir[600];
	snprintf(dir, sizeof(dir), "%s.backups", d.db);
	DIR *dd = opendir(dir);
	if (dd == NULL)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dd)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "bizsos-", 7) == 0 && len > 3 &&
		    strcmp(e->d_name + len - 3, ".db") == 0)
			n++;
	}
	closedir(dd);
	return n;
}

static void access_rows(struct client *staff, int64_t *company)
{
	struct resp r;
	CHECK_INT(t_post_form_free(staff, "/companies",
	                           t_form("name", "㈜한빛정밀", "brn", "120-81-47521", NULL), &r),
	          303);
	char loc[256] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	t_resp_free(&r);
	const char *slash = strrchr(loc, '/');
	*company = slash ? strtoll(slash + 1, NULL, 10) : 0;
	char path[64], cpath[80];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)*company);
	snprintf(cpath, sizeof(cpath), "%s/contacts", path);

	/* adding a contact is an entry (입력) of personal data, with the address */
	int64_t before = t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0);
	CHECK_INT(t_post_form_free(
	              staff, cpath,
	              t_form("contact_name", "김철수", "contact_phone", "010-1234-5678", NULL), &r),
	          303);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0), before + 1);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM privacy_access WHERE action = 'enter' AND login = "
	              "'staff' AND remote = '127.0.0.1' AND company_id = ?1",
	              *company),
	    1);

	/* one view of the company page: exactly one row */
	before = t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0);
	CHECK_INT(t_get(staff, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "010-1234-5678");
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0), before + 1);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM privacy_access WHERE action = 'view' AND login = "
	              "'staff' AND remote = '127.0.0.1' AND subject = '㈜한빛정밀 담당자' AND "
	              "subject_id = ?1 AND what = 'contacts:1'",
	              *company),
	    1);
	/* the list masks and writes nothing */
	before = t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0);
	CHECK_INT(t_get(staff, "/companies", &r), 200);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0), before);
}

static void admin_search_and_export(struct client *admin, struct client *staff)
{
	struct resp r;
	CHECK_INT(t_get(admin, "/admin/privacy", &r), 200);
	CHECK_CONTAINS(r.body.s, "개인정보 접속기록");
	CHECK_CONTAINS(r.body.s, "㈜한빛정밀 담당자");
	CHECK_CONTAINS(r.body.s, "조회");
	CHECK_CONTAINS(r.body.s, "입력");
	CHECK_CONTAINS(r.body.s, "127.0.0.1");
	CHECK_CONTAINS(r.body.s, "담당자 1명 (전체)");
	CHECK(strstr(r.body.s, "contacts:1") == NULL, "what in Korean, not the code");
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/api/v1/admin/privacy?action=enter&user=staff", &r), 200);
	json_t *j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "rows"), 0),
	                                            "action_label")),
	          "입력");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/admin/privacy?from=2000-01-01&to=2000-01-31", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기록이 없습니다.");
	t_resp_free(&r);
	/* hostile filters are just text */
	CHECK_INT(t_get(admin, "/admin/privacy?from=x&to=%3Cscript%3E&subject=%27%22&page=-4", &r),
	          200);
	CHECK(strstr(r.body.s, "<script>") == NULL, "escaped");
	t_resp_free(&r);

	/* a download without a reason is refused: the reason form, no file, no row */
	int64_t before = t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0);
	CHECK_INT(t_get(admin, "/admin/privacy.csv?user=staff", &r), 200);
	CHECK_CONTAINS(r.body.s, "다운로드 사유");
	CHECK(strstr(r.body.s, "번호,일시") == NULL, "no file");
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/admin/privacy.csv?reason=%20%20", &r), 422);
	CHECK_CONTAINS(r.body.s, "사유를 2자 이상");
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/api/v1/admin/privacy.csv", &r), 422);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0), before);
	/* with one: the CSV, and a download row with the reason */
	CHECK_INT(
	    t_get(admin,
	          "/admin/privacy.csv?user=staff&reason=%EB%B6%84%EA%B8%B0+%EC%A0%90%EA%B2%80", &r),
	    200);
	char ct[128] = "", disp[256] = "";
	t_header(&r, "Content-Type", ct, sizeof(ct));
	t_header(&r, "Content-Disposition", disp, sizeof(disp));
	CHECK_CONTAINS(ct, "text/csv");
	CHECK_CONTAINS(disp, "attachment");
	CHECK(r.body.len > 3 && memcmp(r.body.s, "\xEF\xBB\xBF", 3) == 0, "UTF-8 BOM");
	CHECK_CONTAINS(r.body.s, "㈜한빛정밀 담당자");
	CHECK_CONTAINS(r.body.s, "담당자 1명 (전체)");
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM privacy_access WHERE action = 'download' AND login = "
	              "'admin' AND reason = '분기 점검' AND subject = '개인정보 접속기록'",
	              0),
	    1);

	/* admin-only */
	CHECK_INT(t_get(staff, "/admin/privacy", &r), 403);
	t_resp_free(&r);
	CHECK_INT(t_get(staff, "/admin/privacy.csv?reason=abcd", &r), 403);
	t_resp_free(&r);
	CHECK_INT(t_get(staff, "/admin/operations", &r), 403);
	t_resp_free(&r);
}

static void review_and_rights(struct client *admin)
{
	struct resp r;
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char month[32], path[80];
	snprintf(month, sizeof(month), "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
	snprintf(path, sizeof(path), "/admin/privacy/review?month=%s", month);
	CHECK_INT(t_get(admin, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "월간 점검");
	CHECK_CONTAINS(r.body.s, "가장 많은 정보주체를 조회한 사용자");
	CHECK_CONTAINS(r.body.s, "분기 점검"); /* the download's reason */
	CHECK_CONTAINS(r.body.s, "점검 완료 기록");
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/admin/privacy/review", &r), 200); /* last month by default */
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/admin/privacy/review?month=2026-13", &r), 400);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(admin, "/admin/privacy/review",
	                           t_form("month", month, "note", "이상 없음", NULL), &r),
	          303);
	t_resp_free(&r);
	CHECK_INT(t_get(admin, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "점검을 마쳤습니다");
	CHECK_CONTAINS(r.body.s, "이상 없음");
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(admin, "/admin/privacy/review", t_form("month", month, NULL), &r),
	    409);
	CHECK_CONTAINS(r.body.s, "이미 점검을 마쳤습니다");
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(admin, "/admin/privacy/review", t_form("month", "2999-01", NULL), &r),
	    422);
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(admin, "/admin/privacy/review", t_form("month", "bad", NULL), &r),
	    400);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_review", 0), 1);

	/* rights: a role change made on the users page is listed in Korean */
	int64_t uid = t_sql_num(d.db, "SELECT id FROM app_user WHERE login = 'executive'", 0);
	char rpath[64];
	snprintf(rpath, sizeof(rpath), "/admin/users/%lld/role", (long long)uid);
	CHECK_INT(t_post_form_free(admin, rpath, t_form("role", "leader", NULL), &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/admin/rights", &r), 200);
	CHECK_CONTAINS(r.body.s, "권한 변경 (역할 변경)");
	CHECK_CONTAINS(r.body.s, "역할 과장 → 팀장");
	CHECK_CONTAINS(r.body.s, "권한 부여 (사용자 추가)");
	t_resp_free(&r);
}

/* The first session id (16 hex) in a sessions page, or "". */
static void first_sid(const char *html, const char *skip_current, char out[17])
{
	out[0] = '\0';
	const char *p = html;
	while ((p = strstr(p, "/revoke\"")) != NULL) {
		const char *q = p - 16;
		if (q > html && (skip_current == NULL || strncmp(q, skip_current, 16) != 0)) {
			memcpy(out, q, 16);
			out[16] = '\0';
			return;
		}
		p++;
	}
}

/* Sessions: listed with device, address and last use; revoked by the user and
 * by an admin; accounts unused for 90 days flagged on the users page. */
static void sessions_and_unused(struct client *admin)
{
	struct client a, b;
	t_client_init(&a, &d);
	t_client_init(&b, &d);
	CHECK_INT(t_login(&a, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&b, "leader", T_PASSWORD), 303);
	struct resp r;
	CHECK_INT(t_get(&a, "/account/sessions", &r), 200);
	CHECK_CONTAINS(r.body.s, "지금 이 기기");
	CHECK_CONTAINS(r.body.s, "127.0.0.1");
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM session s JOIN app_user u ON u.id = s.user_id WHERE "
	              "u.login = 'leader' AND s.address = '127.0.0.1'",
	              0),
	    2);
	/* a's list: revoke the other session (b's) */
	const char *cur = strstr(r.body.s, "지금 이 기기");
	char cur_sid[17] = "", other[17] = "";
	const char *form_after = cur ? strstr(cur, "/revoke\"") : NULL;
	if (form_after) {
		memcpy(cur_sid, form_after - 16, 16);
		cur_sid[16] = '\0';
	}
	first_sid(r.body.s, cur_sid, other);
	t_resp_free(&r);
	CHECK(other[0] != '\0', "another session listed");
	char path[96];
	snprintf(path, sizeof(path), "/account/sessions/%s/revoke", other);
	CHECK_INT(t_post_form(&a, path, "", &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_get(&b, "/", &r), 303); /* b is signed out */
	t_resp_free(&r);
	CHECK_INT(t_get(&a, "/", &r), 200); /* a is not */
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, "/account/sessions/zzzzzzzzzzzzzzzz/revoke", "", &r), 404);
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, path, "", &r), 404); /* already gone */
	t_resp_free(&r);

	/* an admin sees and ends the leader's session */
	int64_t lid = t_sql_num(d.db, "SELECT id FROM app_user WHERE login = 'leader'", 0);
	snprintf(path, sizeof(path), "/admin/users/%lld/sessions", (long long)lid);
	CHECK_INT(t_get(admin, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "의 접속 세션");
	char sid[17];
	first_sid(r.body.s, NULL, sid);
	t_resp_free(&r);
	CHECK_INT(t_get(&a, path, &r), 403);
	t_resp_free(&r);
	char rpath[128];
	snprintf(rpath, sizeof(rpath), "%s/%s/revoke", path, sid);
	CHECK_INT(t_post_form(admin, rpath, "", &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_get(&a, "/", &r), 303);
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_num(d.db, "SELECT count(*) FROM audit_log WHERE action = 'session.revoke'", 0),
	    2);
	CHECK_INT(t_get(admin, "/admin/users/999999/sessions", &r), 404);
	t_resp_free(&r);

	/* unused accounts: the department user never signed in and was made 100 days ago */
	CHECK(t_sql_try(d.db,
	                "UPDATE app_user SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', "
	                "'-100 days') WHERE login = 'department'"),
	      "age an account");
	CHECK_INT(t_get(admin, "/admin/users", &r), 200);
	CHECK_CONTAINS(r.body.s, "90일 이상 사용하지 않은 계정이 1개 있습니다.");
	CHECK_CONTAINS(r.body.s, "90일 이상 미사용");
	t_resp_free(&r);
	t_client_free(&a);
	t_client_free(&b);
}

static void leader_code(int64_t step_offset, char out[8])
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char key[TOTP_SECRET_BYTES] = {0};
	size_t n = 0;
	if (sqlite3_open_v2(d.db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT totp_secret FROM app_user WHERE login = 'leader'", -1,
	                       &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		const char *hex = (const char *)sqlite3_column_text(st, 0);
		sodium_hex2bin(key, sizeof(key), hex, strlen(hex), NULL, &n, NULL);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	snprintf(out, 8, "%06u",
	         totp_code(key, sizeof(key), (uint64_t)(time(NULL) / 30 + step_offset), 6));
}

/* The second factor: a leader turns it on; the next sign-in asks for a code. */
static void second_factor(void)
{
	struct client a, b;
	t_client_init(&a, &d);
	t_client_init(&b, &d);
	CHECK_INT(t_login(&a, "leader", T_PASSWORD), 303);
	struct resp r;
	CHECK_INT(t_get(&a, "/account/totp", &r), 200);
	CHECK_CONTAINS(r.body.s, "지금은 꺼져 있습니다.");
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, "/account/totp/begin", "", &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_get(&a, "/account/totp", &r), 200);
	CHECK_CONTAINS(r.body.s, "otpauth://totp/bizsos:leader?");
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, "/account/totp/enable", "code=12", &r), 422);
	CHECK_CONTAINS(r.body.s, "인증 코드가 맞지 않습니다.");
	t_resp_free(&r);
	char c[8], body[32];
	leader_code(0, c);
	snprintf(body, sizeof(body), "code=%s", c);
	CHECK_INT(t_post_form(&a, "/account/totp/enable", body, &r), 200);
	CHECK_CONTAINS(r.body.s, "복구 코드 (지금 한 번만 보입니다)");
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM totp_recovery", 0), 10);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM audit_log WHERE action = 'totp.enable'", 0),
	          1);

	/* sign in again: the password is not enough */
	CHECK_INT(t_login(&b, "leader", T_PASSWORD), 303);
	CHECK_INT(t_get(&b, "/", &r), 303); /* no session yet */
	t_resp_free(&r);
	CHECK_INT(t_get(&b, "/login/totp", &r), 200);
	CHECK_CONTAINS(r.body.s, "2단계 인증");
	t_resp_free(&r);
	t_fetch_csrf(&b, "/login/totp");
	CHECK_INT(t_post_form(&b, "/login/totp", "code=000000", &r), 401);
	t_resp_free(&r);
	leader_code(1, c);
	snprintf(body, sizeof(body), "code=%s", c);
	CHECK_INT(t_post_form(&b, "/login/totp", body, &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_get(&b, "/", &r), 200);
	t_resp_free(&r);
	/* a pending step without the cookie */
	struct client e;
	t_client_init(&e, &d);
	CHECK_INT(t_get(&e, "/login/totp", &r), 303);
	t_resp_free(&r);
	t_client_free(&e);
	/* staff have no second factor page */
	t_client_free(&a);
	t_client_free(&b);
}

/* Behind the trusted proxy (127.0.0.1 here) the client address comes from
 * X-Forwarded-For; every answer carries a request id that is in the access
 * log file; SIGHUP reopens that file after logrotate moved it. */
static void proxy_and_logs(struct client *staff, int64_t company, const char *log_path)
{
	char path[64];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)company);
	static const char *const xff[] = {"X-Forwarded-For: 198.51.100.1, 203.0.113.7", NULL};
	struct resp r;
	CHECK_INT(t_request(staff, "GET", path, NULL, NULL, 0, xff, &r), 200);
	char rid[64] = "";
	CHECK(t_header(&r, "X-Request-Id", rid, sizeof(rid)), "X-Request-Id");
	CHECK_INT(strlen(rid), 16);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db,
	                    "SELECT count(*) FROM privacy_access WHERE remote = '203.0.113.7' AND "
	                    "action = 'view' AND login = 'staff'",
	                    0),
	          1);
	static const char *const bad[] = {"X-Forwarded-For: <script>", NULL};
	CHECK_INT(t_request(staff, "GET", path, NULL, NULL, 0, bad, &r), 200);
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_num(d.db, "SELECT count(*) FROM privacy_access WHERE remote LIKE '%script%'", 0),
	    0);

	/* the access log file has the request's line with its id */
	FILE *f = fopen(log_path, "r");
	CHECK(f != NULL, "access log file");
	bool found = false;
	char line[4096];
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, rid) && strstr(line, " access GET /companies/"))
			found = true;
	if (f)
		fclose(f);
	CHECK(found, "the access line carries rid=%s", rid);

	/* logrotate: move the file, SIGHUP, the next lines go to a new file */
	char moved[600];
	snprintf(moved, sizeof(moved), "%s.1", log_path);
	CHECK_INT(rename(log_path, moved), 0);
	kill(d.pid, SIGHUP);
	bool reopened = false;
	for (int i = 0; i < 50 && !reopened; i++) {
		t_sleep_ms(100);
		CHECK_INT(t_get(staff, "/healthz", &r), 200);
		t_resp_free(&r);
		reopened = access(log_path, R_OK) == 0;
	}
	CHECK(reopened, "a new access log after SIGHUP");
	CHECK(kill(d.pid, 0) == 0, "the daemon lives on after SIGHUP");
}

/* The audit trail: every domain in one list, searchable, in Korean only. */
static void audit_trail(struct client *admin)
{
	struct resp r;
	CHECK_INT(t_get(admin, "/admin/audit", &r), 200);
	CHECK_CONTAINS(r.body.s, "로그인");
	CHECK_CONTAINS(r.body.s, "역할 변경");
	CHECK_CONTAINS(r.body.s, "이전 역할: 과장, 새 역할: 팀장");
	CHECK_CONTAINS(r.body.s, "사용자 executive (");
	CHECK_CONTAINS(r.body.s, "기업 ㈜한빛정밀");
	CHECK_CONTAINS(r.body.s, "담당자 추가");
	CHECK_CONTAINS(r.body.s, "접속기록 월간 점검");
	CHECK(strstr(r.body.s, "user:") == NULL, "no raw object codes");
	CHECK(strstr(r.body.s, "rehashed") == NULL, "no raw JSON");
	CHECK(strstr(r.body.s, "user.role") == NULL, "no raw action codes");
	CHECK(strstr(r.body.s, ">login<") == NULL, "no raw action codes");
	CHECK(strstr(r.body.s, "contact_add") == NULL, "no raw event kinds");
	t_resp_free(&r);
	/* by kind, by object, by user, by date */
	CHECK_INT(t_get(admin, "/api/v1/admin/audit?source=company", &r), 200);
	json_t *j = t_json(&r);
	json_t *e = json_object_get(j, "entries");
	CHECK(json_array_size(e) >= 2, "company events");
	size_t i;
	json_t *x;
	json_array_foreach(e, i, x)
	{
		CHECK_STR(json_string_value(json_object_get(x, "source_label")), "기업");
	}
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/api/v1/admin/audit?object=executive&user=admin", &r), 200);
	j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
	CHECK_STR(json_string_value(json_object_get(
	              json_array_get(json_object_get(j, "entries"), 0), "action_label")),
	          "역할 변경");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/api/v1/admin/audit?from=2001-01-01&to=2001-12-31", &r), 200);
	j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/admin/audit?source=%3Cx%3E&page=abc&user=%27", &r), 200);
	t_resp_free(&r);
}

static void operations(struct client *admin, struct client *anon)
{
	struct resp r;
	/* the scheduled backups (every 2 s here, keep 2) */
	for (int i = 0; i < 100 && count_backups() < 1; i++)
		t_sleep_ms(100);
	CHECK(count_backups() >= 1, "a scheduled backup was taken");
	for (int i = 0;
	     i < 100 && t_sql_num(d.db, "SELECT count(*) FROM backup_run WHERE ok = 1", 0) < 3; i++)
		t_sleep_ms(100);
	CHECK(t_sql_num(d.db, "SELECT count(*) FROM backup_run WHERE ok = 1", 0) >= 3,
	      "three backups");
	CHECK(count_backups() <= 2, "only the newest two are kept (%d)", count_backups());

	CHECK_INT(t_get(anon, "/healthz?deep=1", &r), 200);
	CHECK_STR(r.body.s, "ok\n");
	t_resp_free(&r);
	CHECK_INT(t_get(admin, "/healthz?deep=1", &r), 200);
	json_t *j = t_json(&r);
	CHECK(j != NULL, "JSON for an admin");
	CHECK_STR(json_string_value(json_object_get(j, "database")), "ok");
	CHECK(json_is_object(json_object_get(j, "backup")), "last good backup");
	CHECK(json_is_true(json_object_get(j, "backup_ok")), "backup ok");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_get(anon, "/healthz", &r), 200);
	CHECK_STR(r.body.s, "ok\n");
	t_resp_free(&r);

	CHECK_INT(t_get(admin, "/admin/operations?verify=1", &r), 200);
	CHECK_CONTAINS(r.body.s, "백업·운영 상태");
	CHECK_CONTAINS(r.body.s, "마지막 정상 백업");
	CHECK_CONTAINS(r.body.s, "연결 해시가 모두 맞습니다");
	t_resp_free(&r);
	int64_t before = t_sql_num(d.db, "SELECT count(*) FROM backup_run", 0);
	CHECK_INT(t_post_form_free(admin, "/admin/operations/backup", t_form("x", "1", NULL), &r),
	          303);
	t_resp_free(&r);
	CHECK(t_sql_num(d.db, "SELECT count(*) FROM backup_run", 0) > before,
	      "backup now recorded");
	CHECK_INT(t_get(admin, "/admin/operations", &r), 200);
	CHECK_CONTAINS(r.body.s, "백업을 만들고 무결성 검사를 마쳤습니다.");
	t_resp_free(&r);
}

int main(void)
{
	setenv("BIZSOS_BACKUP_INTERVAL", "2", 1);
	setenv("BIZSOS_BACKUP_KEEP", "2", 1);
	setenv("BIZSOS_TRUSTED_PROXY", "127.0.0.1", 1);
	char log_path[512];
	t_path(log_path, sizeof(log_path), "access.log");
	setenv("BIZSOS_ACCESS_LOG", log_path, 1);
	if (t_daemon_start(&d, NULL) != 0) {
		t_cleanup();
		return 1;
	}
	struct client staff, admin, anon;
	t_client_init(&staff, &d);
	t_client_init(&admin, &d);
	t_client_init(&anon, &d);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);
	CHECK_INT(t_login(&admin, "admin", T_PASSWORD), 303);
	int64_t company = 0;
	access_rows(&staff, &company);
	admin_search_and_export(&admin, &staff);
	proxy_and_logs(&staff, company, log_path);
	review_and_rights(&admin);
	audit_trail(&admin);
	sessions_and_unused(&admin);
	second_factor();
	operations(&admin, &anon);
	t_client_free(&staff);
	t_client_free(&admin);
	t_client_free(&anon);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
