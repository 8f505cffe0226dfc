/* Official documents over HTTP: a 결과 통지문 is refused for an open case
 * (409) and issued for a completed one — numbered 기업경제과-1, its text
 * frozen, a "document" event on the case, the company recorded as notified
 * by letter today; the DOCX is a zip whose word/document.xml is well-formed
 * XML (expat) holding the company and the outcome; a 협조 요청 needs a
 * department (422) and is numbered next; an anniversary letter needs a
 * founding date (409); admins' template edits refuse < > & and {{{ and broken
 * Mustache, and a saved template is used by the next document only;
 * executives may not issue; department users do not see other cases'
 * documents. */
#include "harness.h"

#include <expat.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <zip.h>

static struct daemon d;

static char *sql_text(const char *sql)
{
	sqlite3 *h;
	char *v = NULL;
	if (sqlite3_open(d.db, &h) == SQLITE_OK) {
		sqlite3_busy_timeout(h, 5000);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
				v = strdup((const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(h);
	return v ? v : strdup("");
}

static bool well_formed(const char *xml)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	bool ok = XML_Parse(p, xml, (int)strlen(xml), 1) == XML_STATUS_OK;
	if (!ok)
		fprintf(stderr, "xml: %s at line %lu\n", XML_ErrorString(XML_GetErrorCode(p)),
		        (unsigned long)XML_GetCurrentLineNumber(p));
	XML_ParserFree(p);
	return ok;
}

static void seed(void)
{
	t_sql_exec(
	    d.db,
	    "INSERT INTO company (id, name, name_key, brn, representative, founded_on, "
	    "created_at, updated_at) VALUES (1, '한빛&정밀', '한빛정밀', '1208147521', '김대표', "
	    "NULL, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')");
	t_sql_exec(
	    d.db,
	    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel, "
	    "category_id, title, due_on, status, disposition, outcome, notified_method, "
	    "notified_on, closed_on, created_at, updated_at) VALUES "
	    "(1, 'SOS-2024-0001', 1, '2024-03-04T00:00:00Z', '2024-03-04', 'visit', "
	    "(SELECT min(id) FROM case_category), '운전자금 <긴급> 지원', '2024-03-18', 'done', "
	    "'immediate', 'accepted', 'phone', '2024-03-20', '2024-03-20', "
	    "'2024-03-04T00:00:00Z', '2024-03-04T00:00:00Z'),"
	    "(2, 'SOS-2024-0002', 1, '2024-03-05T00:00:00Z', '2024-03-05', 'phone', "
	    "(SELECT min(id) FROM case_category), '시설자금 문의', '2024-03-19', 'received', "
	    "NULL, NULL, NULL, NULL, NULL, '2024-03-05T00:00:00Z', '2024-03-05T00:00:00Z')");
}

int main(void)
{
	if (!t_start(&d, NULL))
		return 1;
	seed();
	struct client leader, exec, dept, admin;
	t_client_init(&leader, &d);
	t_client_init(&exec, &d);
	t_client_init(&dept, &d);
	t_client_init(&admin, &d);
	t_login(&leader, "leader", T_PASSWORD);
	t_login(&exec, "executive", T_PASSWORD);
	t_login(&dept, "department", T_PASSWORD);
	t_login(&admin, "admin", T_PASSWORD);
	struct resp r;

	/* a result letter only for a completed case */
	t_get(&leader, "/cases/2/documents/new?kind=result", &r);
	CHECK_INT(r.status, 409);
	CHECK_CONTAINS(r.body.s, "완료된 사건에만");
	t_resp_free(&r);
	t_get(&leader, "/cases/1/documents/new?kind=result", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "한빛&amp;정밀 대표 김대표 귀하");
	CHECK_CONTAINS(r.body.s, "운전자금 &lt;긴급&gt; 지원");
	CHECK_CONTAINS(r.body.s, "처리 결과: 수용");
	t_resp_free(&r);
	t_fetch_csrf(&exec, "/");
	t_post_form(&exec, "/cases/1/documents", "kind=result", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_fetch_csrf(&leader, "/cases/1/documents/new?kind=result");
	t_post_form(&leader, "/cases/1/documents", "kind=result", &r);
	CHECK_INT(r.status, 303);
	char loc[128] = "";
	CHECK(t_header(&r, "Location", loc, sizeof(loc)) && strcmp(loc, "/documents/1") == 0,
	      "location %s", loc);
	t_resp_free(&r);
	char *v =
	    sql_text("SELECT notified_method || ' ' || (notified_on = date('now', '+9 hours')) "
	             "FROM sos_case WHERE id = 1");
	CHECK_STR(v, "letter 1");
	free(v);
	v = sql_text("SELECT doc_no || '|' || recipient FROM issued_document WHERE id = 1");
	CHECK_STR(v, "기업경제과-1|한빛&정밀 대표 김대표 귀하");
	free(v);
	v = sql_text("SELECT new FROM case_event WHERE case_id = 1 AND kind = 'document'");
	CHECK_STR(v, "기업경제과-1");
	free(v);
	t_get(&leader, "/documents/1", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "document.css");
	CHECK(strstr(r.body.s, "krds-side-navigation") == NULL, "navigation on the print page");
	CHECK_CONTAINS(r.body.s, "기업경제과-1");
	t_resp_free(&r);
	/* the DOCX */
	t_get(&leader, "/documents/1/docx", &r);
	CHECK_INT(r.status, 200);
	char *xml = t_zip_part(&r, "word/document.xml");
	char *types = t_zip_part(&r, "[Content_Types].xml");
	CHECK(xml && types, "docx parts");
	if (xml && types) {
		CHECK(well_formed(xml), "document.xml well-formed");
		CHECK(well_formed(types), "content types well-formed");
		CHECK_CONTAINS(xml, "한빛&amp;정밀 대표 김대표 귀하");
		CHECK_CONTAINS(xml, "처리 결과: 수용");
		CHECK_CONTAINS(xml, "w:w=\"11906\" w:h=\"16838\""); /* A4 */
	}
	free(xml);
	free(types);
	t_resp_free(&r);

	/* the template changes the next document only */
	t_fetch_csrf(&admin, "/admin/documents");
	t_post_form(&admin, "/admin/documents/result", "version=1&title=x&body=%3Cb%3E", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "꺾쇠괄호");
	t_resp_free(&r);
	t_post_form(&admin, "/admin/documents/result",
	            "version=1&title=x&body=%7B%7B%7Bcase.title%7D%7D%7D", &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	t_post_form(&admin, "/admin/documents/result", "version=1&title=x&body=%7B%7B%23open%7D%7D",
	            &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	t_post_form(&admin, "/admin/documents/result",
	            "version=1&title=%EA%B2%B0%EA%B3%BC&body=%EC%83%88+%EB%B3%B8%EB%AC%B8+%7B%"
	            "7Bcase.case_no%7D%7D",
	            &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	t_post_form(&admin, "/admin/documents/result", "version=1&title=x&body=y", &r);
	CHECK_INT(r.status, 409); /* stale version */
	t_resp_free(&r);
	t_get(&leader, "/documents/1", &r);
	CHECK(r.body.s && strstr(r.body.s, "새 본문") == NULL, "an issued document changed");
	t_resp_free(&r);
	t_get(&leader, "/cases/1/documents/new?kind=result", &r);
	CHECK_CONTAINS(r.body.s, "새 본문 SOS-2024-0001");
	t_resp_free(&r);

	/* a referral needs a department */
	t_post_form(&leader, "/cases/2/documents", "kind=referral", &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	v = sql_text("SELECT min(id) FROM department WHERE retired_at IS NULL");
	char form[128];
	snprintf(form, sizeof(form), "kind=referral&department_id=%s", v);
	char *dname = sql_text("SELECT name || '장' FROM department WHERE id = (SELECT min(id) "
	                       "FROM department WHERE retired_at IS NULL)");
	free(v);
	t_post_form(&leader, "/cases/2/documents", form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	v = sql_text(
	    "SELECT doc_no || '|' || recipient FROM issued_document WHERE kind = 'referral'");
	char want[256];
	snprintf(want, sizeof(want), "기업경제과-2|%s", dname);
	CHECK_STR(v, want);
	free(v);
	free(dname);
	/* an anniversary letter needs a founding date */
	t_get(&leader, "/companies/1/documents/new?kind=anniversary", &r);
	CHECK_INT(r.status, 409);
	CHECK_CONTAINS(r.body.s, "창립일");
	t_resp_free(&r);
	t_sql_exec(d.db, "UPDATE company SET founded_on = '2001-03-04' WHERE id = 1");
	t_post_form(&leader, "/companies/1/documents", "kind=anniversary", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	v = sql_text("SELECT title FROM issued_document WHERE kind = 'anniversary'");
	CHECK_CONTAINS(v, "창립");
	free(v);
	/* a department user sees no document of a case not referred to it */
	t_get(&dept, "/documents/1", &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	t_get(&dept, "/documents/3", &r); /* the anniversary letter: no case */
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	t_get(&leader, "/documents/99", &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);

	t_client_free(&leader);
	t_client_free(&exec);
	t_client_free(&dept);
	t_client_free(&admin);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
