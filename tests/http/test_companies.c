/* Companies over HTTP: create (valid BRN), every kind of bad input answered
 * with a Korean message and 422 (wrong BRN check digit, duplicate BRN with a
 * link to the existing company, similar name until confirmed, missing
 * version), a stale edit answered 409 with the current values, contacts masked
 * in the list and shown in full on the company page with a privacy_access row
 * per view, search with 2- and 3+-syllable Korean, the lookup, the timeline
 * with cases, the JSON face of every page under /api/v1/, the roles, and the
 * administrators' departments and holidays (audited). */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

/* GET path with ?q=<escaped q> appended. */
static int get_q(struct client *c, const char *path, const char *q, struct resp *r)
{
	char *e = curl_easy_escape(NULL, q, 0);
	char url[1024];
	snprintf(url, sizeof(url), "%s%sq=%s", path, strchr(path, '?') ? "&" : "?", e);
	curl_free(e);
	return t_get(c, url, r);
}

static int64_t location_id(const struct resp *r)
{
	char loc[512] = "";
	t_header(r, "Location", loc, sizeof(loc));
	const char *p = strrchr(loc, '/');
	return p ? strtoll(p + 1, NULL, 10) : 0;
}

static int64_t create_valid(struct client *c)
{
	struct resp r;
	int st = t_post_form_free(c, "/companies",
	                          t_form("name", "한빛정밀(주)", "brn", "120-81-47521",
	                                 "representative", "김대표", "ksic_code", "C29", "address",
	                                 "경기도 예시시 산단로 12", "zone", "예시일반산업단지",
	                                 "employees", "120", "founded_on", "1998-04-15", "notes",
	                                 "스마트공장 구축 희망, 자금 상담 요청", NULL),
	                          &r);
	CHECK_INT(st, 303);
	int64_t id = location_id(&r);
	CHECK(id > 0, "created company id from Location");
	t_resp_free(&r);
	return id;
}

static void bad_inputs(struct client *c, int64_t id)
{
	struct resp r;
	/* a wrong check digit: 422, the Korean message, the form kept */
	CHECK_INT(t_post_form_free(c, "/companies",
	                           t_form("name", "다른회사", "brn", "120-81-47522", NULL), &r),
	          422);
	CHECK_CONTAINS(r.body.s, "사업자등록번호가 올바르지 않습니다(검증번호 불일치)");
	CHECK_CONTAINS(r.body.s, "value=\"120-81-47522\"");
	CHECK_CONTAINS(r.body.s, "aria-invalid=\"true\"");
	t_resp_free(&r);
	/* letters, too short, empty: 422 each */
	CHECK_INT(t_post_form_free(c, "/companies",
	                           t_form("name", "다른회사", "brn", "12O-81-47521", NULL), &r),
	          422);
	CHECK_CONTAINS(r.body.s, "사업자등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다.");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(c, "/companies", t_form("name", "", "brn", "", NULL), &r), 422);
	CHECK_CONTAINS(r.body.s, "기업명을 입력하세요.");
	CHECK_CONTAINS(r.body.s, "사업자등록번호를 입력하세요.");
	t_resp_free(&r);
	/* bad optional fields */
	CHECK_INT(t_post_form_free(c, "/companies",
	                           t_form("name", "다른회사", "brn", "2148100006", "employees",
	                                  "-5", "founded_on", "2023-02-29", "ksic_code", "Z99",
	                                  "crn", "1234", NULL),
	                           &r),
	          422);
	CHECK_CONTAINS(r.body.s, "종업원 수는 0 이상의 정수로 입력하세요");
	CHECK_CONTAINS(r.body.s, "업종은 목록에서 고르세요.");
	t_resp_free(&r);

	/* the JSON face of a refusal: fields with messages */
	const char *json[] = {"Accept: application/json", NULL};
	char *body = t_form("name", "다른회사", "brn", "120-81-47522", "csrf", c->csrf, NULL);
	t_request(c, "POST", "/companies", "application/x-www-form-urlencoded", body, strlen(body),
	          json, &r);
	free(body);
	CHECK_INT(r.status, 422);
	json_t *j = t_json(&r);
	json_t *e = json_object_get(j, "error");
	CHECK_STR(json_string_value(json_object_get(e, "code")), "invalid");
	CHECK(json_string_value(json_object_get(json_object_get(e, "fields"), "brn")) != NULL,
	      "JSON names the brn field: %s", r.body.s);
	json_decref(j);
	t_resp_free(&r);

	/* the same BRN, typed bare: 422 with a link to the existing company */
	CHECK_INT(t_post_form_free(c, "/companies",
	                           t_form("name", "완전히 다른 회사", "brn", "1208147521", NULL),
	                           &r),
	          422);
	CHECK_CONTAINS(r.body.s, "이미 등록된 사업자등록번호입니다");
	char href[64];
	snprintf(href, sizeof(href), "href=\"/companies/%lld\"", (long long)id);
	CHECK_CONTAINS(r.body.s, href);
	t_resp_free(&r);
	body = t_form("name", "완전히 다른 회사", "brn", "1208147521", "csrf", c->csrf, NULL);
	t_request(c, "POST", "/api/v1/companies", "application/x-www-form-urlencoded", body,
	          strlen(body), NULL, &r);
	free(body);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	snprintf(href, sizeof(href), "/companies/%lld", (long long)id);
	CHECK_STR(json_string_value(json_object_get(
	              json_object_get(json_object_get(j, "error"), "fields"), "duplicate_of")),
	          href);
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM company", 0), 1);

	/* a similar name: a warning with a checkbox; confirmed, it is created */
	CHECK_INT(t_post_form_free(c, "/companies",
	                           t_form("name", "주식회사 한빛 정밀", "brn", "2148100006", NULL),
	                           &r),
	          422);
	CHECK_CONTAINS(r.body.s, "이름이 비슷한 기업이 이미 있습니다");
	CHECK_CONTAINS(r.body.s, "name=\"confirm_similar\"");
	CHECK_CONTAINS(r.body.s, "한빛정밀(주)");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(c, "/companies",
	                           t_form("name", "주식회사 한빛 정밀", "brn", "2148100006",
	                                  "confirm_similar", "1", "notes", "인력 채용 애로", NULL),
	                           &r),
	          303);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM company", 0), 2);
}

static void edit_and_conflict(struct client *c, struct client *c2, int64_t id)
{
	struct resp r;
	char path[64], edit[80];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)id);
	snprintf(edit, sizeof(edit), "/companies/%lld/edit", (long long)id);
	CHECK_INT(t_get(c, edit, &r), 200);
	CHECK_CONTAINS(r.body.s, "name=\"version\" value=\"1\"");
	CHECK_CONTAINS(r.body.s, "value=\"120-81-47521\"");
	t_resp_free(&r);

	/* the second user saves first */
	CHECK_INT(
	    t_post_form_free(c2, path,
	                     t_form("version", "1", "name", "한빛정밀(주)", "brn", "120-81-47521",
	                            "representative", "김대표", "ksic_code", "C29", "address",
	                            "경기도 예시시 산단로 12", "zone", "예시일반산업단지",
	                            "employees", "150", "founded_on", "1998-04-15", "notes",
	                            "스마트공장 구축 희망, 자금 상담 요청", NULL),
	                     &r),
	    303);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT version FROM company WHERE id = ?1", id), 2);
	CHECK_INT(t_sql_num(d.db,
	                    "SELECT count(*) FROM company_event WHERE company_id = ?1 AND field = "
	                    "'employees' AND old = '120' AND new = '150'",
	                    id),
	          1);

	/* the first user's stale form: 409, a clear message, the current values,
	 * their own input kept, nothing overwritten */
	CHECK_INT(t_post_form_free(c, path,
	                           t_form("version", "1", "name", "한빛정밀(주)", "brn",
	                                  "120-81-47521", "employees", "999", NULL),
	                           &r),
	          409);
	CHECK_CONTAINS(r.body.s, "다른 사용자가 먼저 고쳤습니다");
	CHECK_CONTAINS(r.body.s, "150"); /* current */
	CHECK_CONTAINS(r.body.s, "999"); /* mine */
	CHECK_CONTAINS(r.body.s, "name=\"version\" value=\"2\"");
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT employees FROM company WHERE id = ?1", id), 150);

	/* the same through the API: JSON with error.code and current */
	char api[80];
	snprintf(api, sizeof(api), "/api/v1%s", path);
	char *body = t_form("version", "1", "name", "한빛정밀(주)", "brn", "120-81-47521",
	                    "employees", "999", "csrf", c->csrf, NULL);
	t_request(c, "POST", api, "application/x-www-form-urlencoded", body, strlen(body), NULL,
	          &r);
	free(body);
	CHECK_INT(r.status, 409);
	json_t *j = t_json(&r);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
	          "conflict");
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "current"), "employees")),
	          "150");
	json_decref(j);
	t_resp_free(&r);

	/* no version at all: 422 */
	CHECK_INT(t_post_form_free(c, path,
	                           t_form("name", "한빛정밀(주)", "brn", "120-81-47521", NULL), &r),
	          422);
	CHECK_CONTAINS(r.body.s, "수정 화면을 다시 여세요");
	t_resp_free(&r);
	/* a bad field on update: 422, nothing written */
	CHECK_INT(t_post_form_free(c, path,
	                           t_form("version", "2", "name", "한빛정밀(주)", "brn",
	                                  "120-81-47521", "founded_on", "2024-13-01", NULL),
	                           &r),
	          422);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT version FROM company WHERE id = ?1", id), 2);
	/* unknown company */
	CHECK_INT(t_post_form_free(c, "/companies/999999", t_form("version", "1", NULL), &r), 404);
	t_resp_free(&r);
	CHECK_INT(t_get(c, "/companies/999999", &r), 404);
	t_resp_free(&r);
	CHECK_INT(t_get(c, "/companies/abc", &r), 404);
	t_resp_free(&r);
}

static void contacts_and_privacy(struct client *c, struct client *exec, int64_t id)
{
	struct resp r;
	char path[64], cpath[80];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)id);
	snprintf(cpath, sizeof(cpath), "/companies/%lld/contacts", (long long)id);
	CHECK_INT(t_post_form_free(c, cpath,
	                           t_form("contact_name", "", "contact_phone", "010-12",
	                                  "contact_email", "x@", NULL),
	                           &r),
	          422);
	CHECK_CONTAINS(r.body.s, "담당자 이름을 입력하세요.");
	CHECK_CONTAINS(r.body.s, "전화번호는 숫자와");
	CHECK_CONTAINS(r.body.s, "이메일 주소를 name@example.com 형식으로 입력하세요.");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(c, cpath,
	                           t_form("contact_name", "김철수", "contact_title", "생산과장",
	                                  "contact_phone", "01012345678", "contact_email",
	                                  "kim@example.com", NULL),
	                           &r),
	          303);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(
	              c, cpath,
	              t_form("contact_name", "이영희", "contact_phone", "02-123-4567", NULL), &r),
	          303);
	t_resp_free(&r);

	/* the company page shows contacts in full and records the view */
	int64_t before = t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0);
	CHECK_INT(t_get(c, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "010-1234-5678");
	CHECK_CONTAINS(r.body.s, "kim@example.com");
	CHECK_CONTAINS(r.body.s, "120-81-47521");
	CHECK_CONTAINS(r.body.s, "개인정보 접속기록");
	CHECK_CONTAINS(r.body.s, "담당자 김철수 추가"); /* the timeline */
	CHECK_CONTAINS(r.body.s, "종업원 수: 120 → 150");
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0), before + 1);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM privacy_access p JOIN app_user u ON u.id = p.user_id"
	              " WHERE p.company_id = ?1 AND u.login = 'staff' AND p.what = 'contacts:2'",
	              id),
	    1);
	/* an executive reads it too: recorded under the executive */
	CHECK_INT(t_get(exec, path, &r), 200);
	CHECK(strstr(r.body.s, "정보 수정") == NULL, "no edit button for an executive");
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM privacy_access p JOIN app_user u ON u.id = p.user_id"
	              " WHERE u.login = 'executive'",
	              0),
	    1);
	/* the JSON face is a full view too */
	char api[80];
	snprintf(api, sizeof(api), "/api/v1%s", path);
	CHECK_INT(t_get(c, api, &r), 200);
	json_t *j = t_json(&r);
	CHECK_INT(json_array_size(json_object_get(j, "contacts")), 2);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "company"), "brn_text")),
	          "120-81-47521");
	CHECK(json_is_array(json_object_get(j, "timeline")), "timeline in JSON");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access", 0), before + 3);

	/* the list masks them */
	CHECK_INT(t_get(c, "/companies", &r), 200);
	CHECK_CONTAINS(r.body.s, "김*수");
	CHECK_CONTAINS(r.body.s, "010-****-5678");
	CHECK(strstr(r.body.s, "010-1234-5678") == NULL, "no full phone in the list");
	t_resp_free(&r);

	/* retire a contact: once */
	int64_t cid = t_sql_num(d.db, "SELECT id FROM company_contact WHERE name = '이영희'", 0);
	char rpath[128];
	snprintf(rpath, sizeof(rpath), "/companies/%lld/contacts/%lld/retire", (long long)id,
	         (long long)cid);
	CHECK_INT(t_post_form_free(c, rpath, t_form("x", "1", NULL), &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(c, rpath, t_form("x", "1", NULL), &r), 404);
	t_resp_free(&r);
}

static void search(struct client *c)
{
	struct resp r;
	/* 2 syllables (below the trigram minimum) */
	CHECK_INT(get_q(c, "/companies", "자금", &r), 200);
	CHECK_CONTAINS(r.body.s, "한빛정밀(주)");
	CHECK(strstr(r.body.s, "주식회사 한빛 정밀") == NULL, "자금 only in the first");
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/companies", "인력", &r), 200);
	CHECK_CONTAINS(r.body.s, "주식회사 한빛 정밀");
	CHECK(strstr(r.body.s, "한빛정밀(주)") == NULL, "인력 only in the second");
	t_resp_free(&r);
	/* 3 and 5 syllables (FTS5 trigram) */
	CHECK_INT(get_q(c, "/companies", "스마트", &r), 200);
	CHECK_CONTAINS(r.body.s, "한빛정밀(주)");
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/companies", "스마트공장", &r), 200);
	CHECK_CONTAINS(r.body.s, "한빛정밀(주)");
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업 1곳");
	t_resp_free(&r);
	/* a 4-syllable address word, and terms AND together */
	CHECK_INT(get_q(c, "/companies", "예시시 산단로", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업 1곳");
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/companies", "자금 인력", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업이 없습니다");
	t_resp_free(&r);
	/* one syllable, FTS syntax and SQL-ish text are only text */
	CHECK_INT(get_q(c, "/companies", "빛", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업 2곳");
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/companies", "\"스마트\" OR NEAR(자금", &r), 200);
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/companies", "%' OR 1=1 --", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업이 없습니다");
	t_resp_free(&r);
	/* by BRN digits */
	CHECK_INT(get_q(c, "/companies", "120-81", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업 1곳");
	t_resp_free(&r);
	/* filters live in the URL */
	CHECK_INT(t_get(c,
	                "/companies?section=C&zone=%EC%98%88%EC%8B%9C%EC%9D%BC%EB%B0%98%EC%82%B0%"
	                "EC%97%85%EB%8B%A8%EC%A7%80&sort=recent",
	                &r),
	          200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업 1곳");
	CHECK_CONTAINS(r.body.s, "<option value=\"C\" selected>");
	t_resp_free(&r);
	CHECK_INT(t_get(c, "/companies?section=G&page=abc&sort=bogus", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업이 없습니다");
	t_resp_free(&r);
	/* too long a query: 422 with the message */
	char q[400] = "";
	for (int i = 0; i < 101; i++)
		bz_strlcpy(q + strlen(q), "가", sizeof(q) - strlen(q));
	CHECK_INT(get_q(c, "/companies", q, &r), 422);
	CHECK_CONTAINS(r.body.s, "검색어는 100자 이내로 입력하세요.");
	t_resp_free(&r);

	/* the quick lookup (JSON for the phone form) */
	CHECK_INT(get_q(c, "/api/v1/companies/lookup", "한빛", &r), 200);
	json_t *j = t_json(&r);
	json_t *res = json_object_get(j, "results");
	CHECK_INT(json_array_size(res), 2);
	CHECK(json_object_get(json_array_get(res, 0), "brn_text") != NULL, "lookup has brn_text");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/api/v1/companies/lookup", "1208147", &r), 200);
	j = t_json(&r);
	res = json_object_get(j, "results");
	CHECK_INT(json_array_size(res), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(res, 0), "brn_text")),
	          "120-81-47521");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(get_q(c, "/companies/lookup", "정밀", &r), 200);
	CHECK_CONTAINS(r.body.s, "한빛정밀(주)");
	t_resp_free(&r);
	CHECK_INT(t_get(c, "/api/v1/companies/lookup", &r), 200);
	j = t_json(&r);
	CHECK_INT(json_array_size(json_object_get(j, "results")), 0);
	json_decref(j);
	t_resp_free(&r);
}

/* A case row straight into sos_case (when sql/004 is there) shows on the
 * company page's timeline with a link. */
static void timeline_with_case(struct client *c, int64_t id)
{
	sqlite3 *h = NULL;
	sqlite3_open_v2(d.db, &h, SQLITE_OPEN_READWRITE, NULL);
	sqlite3_busy_timeout(h, 5000);
	char sql[1024];
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel,"
	    " category_id, title, due_on, created_at, updated_at) VALUES ('SOS-2024-0001', %lld,"
	    " '2024-03-04T01:00:00Z', '2024-03-04', 'visit', (SELECT min(id) FROM"
	    " case_category), '운전자금 대출 애로', '2024-03-13', '2024-03-04T01:00:00Z',"
	    " '2024-03-04T01:00:00Z')",
	    (long long)id);
	char *err = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	sqlite3_close(h);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "note: no sos_case row (%s); timeline case check skipped\n",
		        err ? err : "?");
		sqlite3_free(err);
		return;
	}
	struct resp r;
	char path[64];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)id);
	CHECK_INT(t_get(c, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "SOS-2024-0001 운전자금 대출 애로");
	CHECK_CONTAINS(r.body.s, "href=\"/cases/");
	CHECK_CONTAINS(r.body.s, "접수");
	t_resp_free(&r);
	CHECK_INT(t_get(c, "/companies?open=1", &r), 200);
	CHECK_CONTAINS(r.body.s, "조건에 맞는 기업 1곳");
	t_resp_free(&r);
}

static void json_faces(struct client *c, int64_t id)
{
	char p1[64], p2[80];
	snprintf(p1, sizeof(p1), "/api/v1/companies/%lld", (long long)id);
	snprintf(p2, sizeof(p2), "/api/v1/companies/%lld/edit", (long long)id);
	const char *paths[] = {"/api/v1/companies", "/api/v1/companies/new", p1, p2,
	                       "/api/v1/companies/lookup?q=x"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(paths); i++) {
		struct resp r;
		CHECK_INT(t_get(c, paths[i], &r), 200);
		json_t *j = t_json(&r);
		CHECK(json_is_object(j), "%s answers a JSON object", paths[i]);
		/* the whole page model: the chrome too */
		CHECK_STR(json_string_value(json_object_get(json_object_get(j, "me"), "role")),
		          "staff");
		CHECK(json_is_array(json_object_get(j, "nav")), "%s: nav", paths[i]);
		json_decref(j);
		t_resp_free(&r);
	}
	struct resp r;
	CHECK_INT(t_get(c, "/api/v1/companies", &r), 200);
	json_t *j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 2);
	CHECK(json_is_array(json_object_get(j, "companies")), "companies array");
	json_decref(j);
	t_resp_free(&r);
}

static void roles(int64_t id)
{
	struct client dep, exec;
	struct resp r;
	char path[64];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)id);
	t_client_init(&dep, &d);
	CHECK_INT(t_login(&dep, "department", T_PASSWORD), 303);
	const char *denied[] = {"/companies",        path,
	                        "/companies/new",    "/companies/lookup?q=a",
	                        "/api/v1/companies", "/admin/departments",
	                        "/admin/holidays"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(denied); i++) {
		CHECK_INT(t_get(&dep, denied[i], &r), 403);
		t_resp_free(&r);
	}
	CHECK_INT(t_post_form_free(&dep, "/companies",
	                           t_form("name", "x", "brn", "2148100006", NULL), &r),
	          403);
	t_resp_free(&r);
	CHECK_INT(t_get(&dep, "/", &r), 200);
	CHECK(strstr(r.body.s, "href=\"/companies\"") == NULL, "no 기업 menu for department");
	t_resp_free(&r);
	t_client_free(&dep);

	t_client_init(&exec, &d);
	CHECK_INT(t_login(&exec, "executive", T_PASSWORD), 303);
	CHECK_INT(t_get(&exec, "/companies", &r), 200);
	CHECK(strstr(r.body.s, "/companies/new") == NULL, "no 기업 등록 for an executive");
	t_resp_free(&r);
	CHECK_INT(t_get(&exec, "/companies/new", &r), 403);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/companies/%lld/edit", (long long)id);
	CHECK_INT(t_get(&exec, path, &r), 403);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(&exec, "/companies",
	                           t_form("name", "x", "brn", "2148100006", NULL), &r),
	          403);
	t_resp_free(&r);
	t_client_free(&exec);
}

static void admin_reference(void)
{
	struct client a;
	struct resp r;
	t_client_init(&a, &d);
	CHECK_INT(t_login(&a, "admin", T_PASSWORD), 303);
	CHECK_INT(t_get(&a, "/admin/departments", &r), 200);
	CHECK_CONTAINS(r.body.s, "부서·기관 관리");
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(&a, "/admin/departments", t_form("name", "", "kind", "x", NULL), &r),
	    422);
	CHECK_CONTAINS(r.body.s, "부서·기관 이름을 입력하세요.");
	CHECK_CONTAINS(r.body.s, "구분(시 부서 또는 외부기관)을 고르세요.");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(&a, "/admin/departments",
	                           t_form("name", "경기테크노파크", "kind", "agency", NULL), &r),
	          303);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(&a, "/admin/departments",
	                           t_form("name", "경기테크노파크", "kind", "agency", NULL), &r),
	          422);
	CHECK_CONTAINS(r.body.s, "이미 있는 이름입니다");
	t_resp_free(&r);
	int64_t did = t_sql_num(d.db, "SELECT id FROM department WHERE name = '경기테크노파크'", 0);
	char p[96];
	snprintf(p, sizeof(p), "/admin/departments/%lld/retire", (long long)did);
	CHECK_INT(t_post_form_free(&a, p, t_form("x", "1", NULL), &r), 303);
	t_resp_free(&r);
	CHECK(t_sql_num(d.db, "SELECT retired_at IS NOT NULL FROM department WHERE id = ?1", did) ==
	          1,
	      "retired");
	snprintf(p, sizeof(p), "/admin/departments/%lld/restore", (long long)did);
	CHECK_INT(t_post_form_free(&a, p, t_form("x", "1", NULL), &r), 303);
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(&a, "/admin/departments/999999/retire", t_form("x", "1", NULL), &r),
	    404);
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM audit_log WHERE object = 'department:' || ?1 AND"
	              " action IN ('department.add', 'department.retire', 'department.restore')",
	              did),
	    3);

	CHECK_INT(t_get(&a, "/admin/holidays?year=2025", &r), 200);
	CHECK_CONTAINS(r.body.s, "2025-01-29"); /* 설날 */
	CHECK_CONTAINS(r.body.s, "2025년 휴일");
	t_resp_free(&r);
	CHECK_INT(t_get(&a, "/admin/holidays?year=abc", &r), 200);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(&a, "/admin/holidays",
	                           t_form("day", "2025-02-30", "name", "", "kind", "x", NULL), &r),
	          422);
	CHECK_CONTAINS(r.body.s, "휴일 이름을 입력하세요.");
	CHECK_CONTAINS(r.body.s, "휴일 종류를 고르세요.");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(
	              &a, "/admin/holidays",
	              t_form("day", "2025-01-29", "name", "설날", "kind", "legal", NULL), &r),
	          422);
	CHECK_CONTAINS(r.body.s, "이미 휴일로 등록된 날입니다");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(
	              &a, "/admin/holidays",
	              t_form("day", "2025-05-02", "name", "임시공휴일", "kind", "temporary", NULL),
	              &r),
	          303);
	char loc[256] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	CHECK_STR(loc, "/admin/holidays?year=2025");
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(&a, "/admin/holidays/2025-05-02/retire", t_form("x", "1", NULL), &r),
	    303);
	t_resp_free(&r);
	CHECK(t_sql_num(d.db, "SELECT retired_at IS NOT NULL FROM holiday WHERE day = '2025-05-02'",
	                0) == 1,
	      "holiday retired");
	CHECK_INT(
	    t_post_form_free(&a, "/admin/holidays/2025-05-02/retire", t_form("x", "1", NULL), &r),
	    404);
	t_resp_free(&r);
	CHECK_INT(
	    t_post_form_free(&a, "/admin/holidays/not-a-day/retire", t_form("x", "1", NULL), &r),
	    404);
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_num(d.db, "SELECT count(*) FROM audit_log WHERE action LIKE 'holiday.%'", 0), 2);

	const char *api[] = {"/api/v1/admin/departments", "/api/v1/admin/holidays?year=2026"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(api); i++) {
		CHECK_INT(t_get(&a, api[i], &r), 200);
		json_t *j = t_json(&r);
		CHECK(json_is_object(j), "%s JSON", api[i]);
		json_decref(j);
		t_resp_free(&r);
	}
	t_client_free(&a);
}

int main(void)
{
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client c, c2, exec;
	t_client_init(&c, &d);
	t_client_init(&c2, &d);
	t_client_init(&exec, &d);
	CHECK_INT(t_login(&c, "staff", T_PASSWORD), 303);
	CHECK_INT(t_login(&c2, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&exec, "executive", T_PASSWORD), 303);

	struct resp r;
	CHECK_INT(t_get(&c, "/companies", &r), 200);
	CHECK_CONTAINS(r.body.s, "등록된 기업이 없습니다");
	t_resp_free(&r);
	CHECK_INT(t_get(&c, "/companies/new", &r), 200);
	CHECK_CONTAINS(r.body.s, "C29 기타 기계 및 장비 제조업");
	t_resp_free(&r);

	int64_t id = create_valid(&c);
	bad_inputs(&c, id);
	edit_and_conflict(&c, &c2, id);
	contacts_and_privacy(&c, &exec, id);
	search(&c);
	timeline_with_case(&c, id);
	json_faces(&c, id);
	roles(id);
	admin_reference();

	t_client_free(&c);
	t_client_free(&c2);
	t_client_free(&exec);
	CHECK_INT(t_daemon_stop(&d), 0);
	return t_done();
}
