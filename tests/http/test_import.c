/* Imports over HTTP: a company file with one bad row (a wrong BRN check
 * digit) is refused whole — 422, the row and column named in Korean, not one
 * company written — both as a check and as an import; the corrected file
 * imports in one go; importing it again changes nothing (no new version, no
 * event). Cases the same way (an unknown 분야 on row 3; case numbers kept, the
 * year's counter moved past them); the case list's own CSV and XLSX downloads
 * import back unchanged; a file without a required column, an empty file and
 * a non-UTF-8 file get a Korean message; the templates download; executives
 * and department users may not import. */
#include "harness.h"

#include "bizsos/brn.h"
#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

/* POSTs a multipart form {csrf, action, file} to path as JSON (api) or HTML. */
static void upload(struct client *c, const char *path, const char *action, const char *filename,
                   const char *data, size_t len, bool api, struct resp *r)
{
	static const char *bnd = "----bizsos-test-boundary-7f3a";
	struct buf b;
	buf_init(&b, 0);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", bnd,
	           c->csrf);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n%s\r\n", bnd,
	           action);
	buf_printf(&b,
	           "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
	           "Content-Type: application/octet-stream\r\n\r\n",
	           bnd, filename);
	buf_append(&b, data, len);
	buf_printf(&b, "\r\n--%s--\r\n", bnd);
	char ct[128];
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	const char *hdr[] = {"Accept: application/json", NULL};
	t_request(c, "POST", path, ct, b.s, b.len, api ? hdr : NULL, r);
	buf_free(&b);
}

static json_t *report_of(const struct resp *r)
{
	json_t *j = t_json(r);
	json_t *rep = json_incref(json_object_get(j, "report"));
	json_decref(j);
	return rep;
}

static int64_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

#define CO_HEAD "\xEF\xBB\xBF기업명,사업자등록번호,대표자,종업원 수,창립일,주소\r\n"

static void companies(struct client *leader)
{
	CHECK(brn_checksum_ok("1018100001") && brn_checksum_ok("2208100001") &&
	          brn_checksum_ok("3058100001") && !brn_checksum_ok("4128100001"),
	      "test BRNs");
	const char *bad =
	    CO_HEAD "가온정밀,101-81-00001,김가온,12,2001-03-04,\"경기도 가상시 1로, 2\"\r\n"
	            "나래식품,220-81-00001,이나래,1200,2010-05-06,\r\n"
	            "다온테크,412-81-00001,박다온,7,,\r\n";
	struct resp r;
	t_fetch_csrf(leader, "/companies/import");
	/* the check: the bad row named by row and column; nothing written */
	upload(leader, "/companies/import", "check", "co.csv", bad, strlen(bad), true, &r);
	CHECK_INT(r.status, 422);
	json_t *rep = report_of(&r);
	CHECK_INT(num(rep, "total"), 3);
	CHECK_INT(num(rep, "error_rows"), 1);
	CHECK(json_is_false(json_object_get(rep, "committed")), "committed");
	json_t *row4 = json_array_get(json_object_get(rep, "rows"), 2);
	CHECK_INT(num(row4, "row"), 4);
	CHECK_STR(json_string_value(json_object_get(row4, "result")), "error");
	json_t *e = json_array_get(json_object_get(row4, "errors"), 0);
	CHECK_STR(json_string_value(json_object_get(e, "column")), "사업자등록번호");
	CHECK_STR(json_string_value(json_object_get(e, "letter")), "B");
	CHECK(json_string_value(json_object_get(e, "message")) != NULL, "message");
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company", NULL), 0);
	/* the import of the same file: refused whole */
	upload(leader, "/companies/import", "import", "co.csv", bad, strlen(bad), false, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "아무것도 저장하지 않았습니다");
	CHECK_CONTAINS(r.body.s, "4행 사업자등록번호(B열)");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company", NULL), 0);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company_event", NULL), 0);

	/* corrected: all three in */
	const char *good =
	    CO_HEAD "가온정밀,101-81-00001,김가온,12,2001-03-04,\"경기도 가상시 1로, 2\"\r\n"
	            "나래식품,220-81-00001,이나래,1200,2010-05-06,\r\n"
	            "다온테크,305-81-00001,박다온,7,,\r\n";
	upload(leader, "/companies/import", "import", "co.csv", good, strlen(good), true, &r);
	CHECK_INT(r.status, 200);
	rep = report_of(&r);
	CHECK_INT(num(rep, "created"), 3);
	CHECK(json_is_true(json_object_get(rep, "committed")), "not committed");
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company", NULL), 3);
	CHECK_INT(t_sql_int(d.db, "SELECT employees FROM company WHERE brn = '2208100001'", NULL),
	          1200);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM company WHERE address = '경기도 가상시 1로, 2' AND "
	              "founded_on = '2001-03-04'",
	              NULL),
	    1);
	int64_t events = t_sql_int(d.db, "SELECT count(*) FROM company_event", NULL);
	int64_t versions = t_sql_int(d.db, "SELECT sum(version) FROM company", NULL);
	/* again: nothing changes */
	upload(leader, "/companies/import", "import", "co.csv", good, strlen(good), true, &r);
	CHECK_INT(r.status, 200);
	rep = report_of(&r);
	CHECK_INT(num(rep, "unchanged"), 3);
	CHECK_INT(num(rep, "created") + num(rep, "changed"), 0);
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company", NULL), 3);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company_event", NULL), events);
	CHECK_INT(t_sql_int(d.db, "SELECT sum(version) FROM company", NULL), versions);
	/* an edit in the file: one company changed, with its event */
	const char *edit =
	    CO_HEAD "가온정밀,101-81-00001,김가온,13,2001-03-04,\"경기도 가상시 1로, 2\"\r\n";
	upload(leader, "/companies/import", "import", "co.csv", edit, strlen(edit), true, &r);
	rep = report_of(&r);
	CHECK_INT(num(rep, "changed"), 1);
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT employees FROM company WHERE brn = '1018100001'", NULL),
	          13);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company_event", NULL), events + 1);
	/* the same BRN twice in one file */
	const char *twice = CO_HEAD "가온정밀,101-81-00001,김가온,13,,\r\n"
	                            "가온정밀2,1018100001,김가온,13,,\r\n";
	upload(leader, "/companies/import", "check", "co.csv", twice, strlen(twice), true, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "2행에도 있습니다");
	t_resp_free(&r);
	/* a required column missing, an empty file, not UTF-8 */
	const char *nocol = "기업명,대표자\r\n가온정밀,김가온\r\n";
	upload(leader, "/companies/import", "check", "x.csv", nocol, strlen(nocol), true, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "‘사업자등록번호’ 열이 없습니다");
	t_resp_free(&r);
	upload(leader, "/companies/import", "check", "x.csv", "", 0, true, &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	const char *latin = "\xB1\xE2\xBE\xF7\xB8\xED,\xBB\xE7\r\n"; /* EUC-KR */
	upload(leader, "/companies/import", "check", "x.csv", latin, strlen(latin), true, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "UTF-8");
	t_resp_free(&r);
	/* the company list downloads import back unchanged (CSV and XLSX) */
	int64_t before = t_sql_int(d.db, "SELECT count(*) FROM company_event", NULL);
	static const char *const back[] = {
	    "/companies.csv?reason=%EC%9E%AC%EC%97%85%EB%A1%9C%EB%93%9C",
	    "/companies.xlsx?reason=%EC%9E%AC%EC%97%85%EB%A1%9C%EB%93%9C"};
	for (int i = 0; i < 2; i++) {
		struct resp f;
		t_get(leader, back[i], &f);
		CHECK_INT(f.status, 200);
		upload(leader, "/companies/import", "import", i ? "co.xlsx" : "co.csv", f.body.s,
		       f.body.len, true, &r);
		CHECK(r.status == 200, "%s re-import: %ld %.300s", back[i], r.status, r.body.s);
		rep = report_of(&r);
		CHECK_INT(num(rep, "unchanged"), 3);
		json_decref(rep);
		t_resp_free(&r);
		t_resp_free(&f);
	}
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company_event", NULL), before);
}

#define CASE_HEAD "접수번호,접수일,기업명,사업자등록번호,접수 경로,분야,제목,내용,요청사항\r\n"

static void cases(struct client *leader)
{
	char cat[128] = "";
	sqlite3 *h;
	if (sqlite3_open(d.db, &h) == SQLITE_OK) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, "SELECT name FROM case_category ORDER BY id LIMIT 1", -1,
		                       &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			snprintf(cat, sizeof(cat), "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	char bad[2048], good[2048];
	snprintf(bad, sizeof(bad),
	         CASE_HEAD "SOS-2024-0101,2024-05-02,가온정밀,101-81-00001,전화,%s,진입로 포장,"
	                   "\"비가 오면 진입로가, 잠깁니다\",포장 요청\r\n"
	                   "SOS-2024-0102,2024-05-03,나래식품,220-81-00001,현장방문,없는분야,"
	                   "인력 채용,,\r\n",
	         cat);
	snprintf(good, sizeof(good),
	         CASE_HEAD "SOS-2024-0101,2024-05-02,가온정밀,101-81-00001,전화,%s,진입로 포장,"
	                   "\"비가 오면 진입로가, 잠깁니다\",포장 요청\r\n"
	                   "SOS-2024-0102,2024-05-03,나래식품,220-81-00001,현장방문,%s,"
	                   "인력 채용,,\r\n",
	         cat, cat);
	struct resp r;
	t_fetch_csrf(leader, "/cases/import");
	upload(leader, "/cases/import", "import", "c.csv", bad, strlen(bad), true, &r);
	CHECK_INT(r.status, 422);
	json_t *rep = report_of(&r);
	json_t *row3 = json_array_get(json_object_get(rep, "rows"), 1);
	CHECK_INT(num(row3, "row"), 3);
	json_t *e = json_array_get(json_object_get(row3, "errors"), 0);
	CHECK_STR(json_string_value(json_object_get(e, "column")), "분야");
	CHECK_STR(json_string_value(json_object_get(e, "letter")), "F");
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL), 0);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM case_event", NULL), 0);

	upload(leader, "/cases/import", "import", "c.csv", good, strlen(good), true, &r);
	CHECK_INT(r.status, 200);
	rep = report_of(&r);
	CHECK_INT(num(rep, "created"), 2);
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM sos_case WHERE case_no IN ('SOS-2024-0101', "
	                    "'SOS-2024-0102')",
	                    NULL),
	          2);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM sos_case WHERE description = '비가 오면 진입로가, "
	              "잠깁니다'",
	              NULL),
	    1);
	int64_t ev = t_sql_int(d.db, "SELECT count(*) FROM case_event", NULL);
	upload(leader, "/cases/import", "import", "c.csv", good, strlen(good), true, &r);
	CHECK_INT(r.status, 200);
	rep = report_of(&r);
	CHECK_INT(num(rep, "unchanged"), 2);
	json_decref(rep);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL), 2);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM case_event", NULL), ev);
	/* the year's counter moved past the imported numbers */
	CHECK(t_sql_int(d.db, "SELECT last FROM case_seq WHERE year = 2024", NULL) >= 102,
	      "case_seq");
	/* the case list's downloads import back unchanged */
	static const char *const back[] = {"/cases.csv", "/cases.xlsx"};
	for (int i = 0; i < 2; i++) {
		struct resp f;
		t_get(leader, back[i], &f);
		upload(leader, "/cases/import", "import", i ? "c.xlsx" : "c.csv", f.body.s,
		       f.body.len, true, &r);
		CHECK(r.status == 200, "%s re-import: %ld %.300s", back[i], r.status, r.body.s);
		rep = report_of(&r);
		CHECK_INT(num(rep, "unchanged"), 2);
		json_decref(rep);
		t_resp_free(&r);
		t_resp_free(&f);
	}
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM case_event", NULL), ev);
	/* templates */
	t_get(leader, "/cases/import/template.csv", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "접수번호,접수일,기업명,사업자등록번호,접수 경로,분야,제목");
	t_resp_free(&r);
	t_get(leader, "/companies/import/template.xlsx", &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body.len > 2 && memcmp(r.body.s, "PK", 2) == 0, "xlsx template");
	t_resp_free(&r);
	t_get(leader, "/cases/import", &r);
	CHECK_CONTAINS(r.body.s, "검사만");
	t_resp_free(&r);
}

int main(void)
{
	if (!t_start(&d, NULL))
		return 1;
	struct client leader, exec, dept;
	t_client_init(&leader, &d);
	t_client_init(&exec, &d);
	t_client_init(&dept, &d);
	t_login(&leader, "leader", T_PASSWORD);
	t_login(&exec, "executive", T_PASSWORD);
	t_login(&dept, "department", T_PASSWORD);
	companies(&leader);
	cases(&leader);
	struct resp r;
	t_get(&exec, "/companies/import", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_get(&dept, "/cases/import", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_client_free(&leader);
	t_client_free(&exec);
	t_client_free(&dept);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
