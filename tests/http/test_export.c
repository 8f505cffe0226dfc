/* List downloads over HTTP: /cases.csv keeps the list's filters (a filtered
 * file has only the matching rows), starts with the UTF-8 BOM, quotes by RFC
 * 4180 and neutralises formula cells (=HYPERLINK(...), +cmd, @SUM, -1+1);
 * /cases.xlsx and /grants.xlsx are unzipped and their sheet XML read: Korean
 * headers, a Korean cell, a won cell as a number with #,##0, a date cell with
 * a date format, the autofilter, the frozen header row, A4 landscape and the
 * page header; personal-data lists (companies, users, audit) ask for a
 * download reason (a form for browsers, 422 for the API) and the download is
 * recorded in the audit log with the reason; roles keep their limits;
 * a bad filter is a 422, not a file. */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

static struct daemon d;

/* The s="N" style index of cell ref (e.g. "D2") in the sheet, or -1. */
static int cell_style(const char *sheet, const char *ref)
{
	char pat[32];
	snprintf(pat, sizeof(pat), "<c r=\"%s\" s=\"", ref);
	const char *p = strstr(sheet, pat);
	return p ? atoi(p + strlen(pat)) : -1;
}

/* The numFmtId of cellXfs entry n in styles.xml, or -1. */
static int xf_numfmt(const char *styles, int n)
{
	const char *p = strstr(styles, "<cellXfs");
	for (int i = 0; p && i <= n; i++)
		p = strstr(p + 1, "<xf ");
	if (p == NULL)
		return -1;
	const char *f = strstr(p, "numFmtId=\"");
	return f ? atoi(f + 10) : -1;
}

/* The formatCode of custom numFmt id, copied into out. */
static bool numfmt_code(const char *styles, int id, char *out, size_t outlen)
{
	char pat[48];
	snprintf(pat, sizeof(pat), "numFmtId=\"%d\" formatCode=\"", id);
	const char *p = strstr(styles, pat);
	if (p == NULL)
		return false;
	p += strlen(pat);
	const char *e = strchr(p, '"');
	snprintf(out, outlen, "%.*s", (int)(e ? e - p : 0), p);
	return true;
}

static void seed(void)
{
	t_sql_exec(
	    d.db, "INSERT INTO company (id, name, name_key, brn, employees, founded_on, "
	          "representative, created_at, updated_at) VALUES "
	          "(901, '=HYPERLINK(\"http://evil.example/\",\"클릭\")', 'x', '1010101010', 1200, "
	          "'2001-03-04', '김대표', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'),"
	          "(902, '한빛정밀', '한빛정밀', '2020202020', 35, NULL, '이대표', "
	          "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')");
	int64_t cat = t_sql_int(d.db, "SELECT min(id) FROM case_category", NULL);
	char sql[2048];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel, "
	         "category_id, title, description, request, due_on, status, created_at, "
	         "updated_at) VALUES "
	         "('SOS-2024-0001', 901, '2024-05-02T01:00:00Z', '2024-05-02', 'visit', %lld, "
	         "'+cmd|'' /C calc''!A0', '@SUM(A1:A2)', 'He said \"hi\", then' || char(10) || "
	         "'left', '2024-05-16', 'received', '2024-05-02T01:00:00Z', "
	         "'2024-05-02T01:00:00Z'),"
	         "('SOS-2024-0002', 902, '2024-06-03T01:00:00Z', '2024-06-03', 'phone', %lld, "
	         "'공장 진입로 포장 요청', '-1+1', '', '2024-06-17', 'in_progress', "
	         "'2024-06-03T01:00:00Z', '2024-06-03T01:00:00Z')",
	         (long long)cat, (long long)cat);
	t_sql_exec(d.db, sql);
	t_sql_exec(d.db,
	           "INSERT INTO improvement_grant (company_id, year, title, total, province, city, "
	           "company_share, created_at, updated_at) VALUES (902, 2024, '화장실 개보수', "
	           "41800000, 16720000, 16720000, 8360000, '2024-03-01T00:00:00Z', "
	           "'2024-03-01T00:00:00Z')");
}

static void csv_checks(struct client *leader)
{
	struct resp r;
	t_get(leader, "/cases.csv?sort=no", &r);
	CHECK_INT(r.status, 200);
	char h[256];
	CHECK(t_header(&r, "Content-Type", h, sizeof(h)) && strstr(h, "text/csv"), "type %s", h);
	CHECK(t_header(&r, "Content-Disposition", h, sizeof(h)) && strstr(h, "attachment") &&
	          strstr(h, "cases-"),
	      "disposition %s", h);
	const char *b = r.body.s ? r.body.s : "";
	CHECK(r.body.len > 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0, "no BOM");
	CHECK(strncmp(b + 3, "접수번호,접수일,기업명,사업자등록번호", 40) == 0 ||
	          strstr(b, "접수번호,접수일,기업명,사업자등록번호") == b + 3,
	      "header row: %.80s", b + 3);
	/* rows end in CRLF; a cell with a quote, comma or newline is quoted, quotes doubled */
	CHECK_CONTAINS(b, "\r\nSOS-2024-0001,2024-05-02,");
	CHECK_CONTAINS(b, "\"He said \"\"hi\"\", then\nleft\"");
	/* formula cells are neutralised with an apostrophe inside quotes */
	CHECK_CONTAINS(b, "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"클릭\"\")\"");
	CHECK_CONTAINS(b, "\"'+cmd|' /C calc'!A0\"");
	CHECK_CONTAINS(b, "\"'@SUM(A1:A2)\"");
	CHECK_CONTAINS(b, "\"'-1+1\"");
	CHECK(strstr(b, ",=HYPERLINK") == NULL && strstr(b, ",+cmd") == NULL &&
	          strstr(b, ",@SUM") == NULL,
	      "a formula cell was not neutralised");
	/* sort by number: 0001 before 0002; order=desc turns it round */
	const char *one = strstr(b, "SOS-2024-0001"), *two = strstr(b, "SOS-2024-0002");
	CHECK(one && two && one < two, "sort no asc");
	t_resp_free(&r);
	t_get(leader, "/cases.csv?sort=no&order=desc", &r);
	one = strstr(r.body.s ? r.body.s : "", "SOS-2024-0001");
	two = strstr(r.body.s ? r.body.s : "", "SOS-2024-0002");
	CHECK(one && two && two < one, "sort no desc");
	t_resp_free(&r);

	/* the list's filters: only the in-progress case */
	t_get(leader, "/cases.csv?status=in_progress", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "SOS-2024-0002");
	CHECK(r.body.s && strstr(r.body.s, "SOS-2024-0001") == NULL, "filter ignored");
	t_resp_free(&r);
	/* full-text search too */
	t_get(leader, "/cases.csv?q=%EC%A7%84%EC%9E%85%EB%A1%9C", &r);
	CHECK_CONTAINS(r.body.s, "SOS-2024-0002");
	CHECK(r.body.s && strstr(r.body.s, "SOS-2024-0001") == NULL, "q ignored");
	t_resp_free(&r);
	/* a bad filter is a Korean 422, not a file */
	t_get(leader, "/cases.csv?status=nope", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "조건");
	t_resp_free(&r);
	/* the list page has both buttons with the query kept (no page) */
	t_get(leader, "/cases?status=open&page=1", &r);
	CHECK_CONTAINS(r.body.s, "href=\"/cases.csv?status=open\"");
	CHECK_CONTAINS(r.body.s, "href=\"/cases.xlsx?status=open\"");
	CHECK_CONTAINS(r.body.s, ">엑셀<");
	t_resp_free(&r);
	/* overdue: its own rows (both cases are long past their deadline) */
	t_get(leader, "/cases/overdue.csv", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "SOS-2024-0002");
	t_resp_free(&r);
}

static void xlsx_checks(struct client *leader)
{
	struct resp r;
	t_get(leader, "/cases.xlsx?sort=no", &r);
	CHECK_INT(r.status, 200);
	char h[256];
	CHECK(t_header(&r, "Content-Type", h, sizeof(h)) && strstr(h, "spreadsheetml"), "type %s",
	      h);
	char *sheet = t_zip_part(&r, "xl/worksheets/sheet1.xml");
	char *styles = t_zip_part(&r, "xl/styles.xml");
	char *book = t_zip_part(&r, "xl/workbook.xml");
	CHECK(sheet && styles && book, "parts missing");
	if (sheet && styles && book) {
		CHECK_CONTAINS(sheet, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>접수번호</t>");
		CHECK_CONTAINS(sheet, "<t>기업명</t>");
		CHECK_CONTAINS(sheet, "<t>공장 진입로 포장 요청</t>");
		/* frozen header row, autofilter over every row */
		CHECK_CONTAINS(sheet,
		               "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
		               "state=\"frozen\"/>");
		CHECK_CONTAINS(sheet, "<autoFilter ref=\"A1:R3\"/>");
		/* A4 landscape, title and date in the page header */
		CHECK_CONTAINS(sheet, "paperSize=\"9\"");
		CHECK_CONTAINS(sheet, "orientation=\"landscape\"");
		CHECK_CONTAINS(sheet, "기업애로 목록&amp;R출력일 ");
		CHECK_CONTAINS(book, "_xlnm._FilterDatabase");
		/* B2 (접수일 2024-05-02) is a date serial with a date format */
		CHECK_CONTAINS(sheet, "<c r=\"B2\" s=\"");
		const char *b2 = strstr(sheet, "<c r=\"B2\"");
		CHECK(b2 && strncmp(strstr(b2, ">") + 1, "<v>45414</v>", 12) == 0, "B2 %.60s",
		      b2 ? b2 : "");
		int s = cell_style(sheet, "B2");
		char code[64] = "";
		CHECK(numfmt_code(styles, xf_numfmt(styles, s), code, sizeof(code)) &&
		          strcmp(code, "yyyy-mm-dd") == 0,
		      "date format %s", code);
		/* formula text stays text, never a formula */
		CHECK(strstr(sheet, "<f>") == NULL, "a formula in the sheet");
		CHECK_CONTAINS(sheet, "<t>+cmd|' /C calc'!A0</t>");
		/* widths fitted per column */
		CHECK_CONTAINS(sheet, "<col min=\"1\" max=\"1\" width=");
	}
	free(sheet);
	free(styles);
	free(book);
	t_resp_free(&r);

	/* won as a number with #,##0 */
	t_get(leader, "/grants.xlsx", &r);
	CHECK_INT(r.status, 200);
	sheet = t_zip_part(&r, "xl/worksheets/sheet1.xml");
	styles = t_zip_part(&r, "xl/styles.xml");
	if (sheet && styles) {
		CHECK_CONTAINS(sheet, "<t>총사업비(원)</t>");
		CHECK_CONTAINS(sheet, "<c r=\"D2\" s=\"");
		const char *d2 = strstr(sheet, "<c r=\"D2\"");
		CHECK(d2 && strstr(d2, "<v>41800000</v>") == strchr(d2, '>') + 1, "D2 %.60s",
		      d2 ? d2 : "");
		char code[64] = "";
		int id = xf_numfmt(styles, cell_style(sheet, "D2"));
		CHECK(id == 3 || (numfmt_code(styles, id, code, sizeof(code)) &&
		                  strcmp(code, "#,##0") == 0),
		      "won format id %d %s", id, code);
		CHECK_CONTAINS(sheet, "<t>화장실 개보수</t>");
	} else
		CHECK(0, "grants xlsx parts missing");
	free(sheet);
	free(styles);
	t_resp_free(&r);
}

static void personal_checks(struct client *leader, struct client *admin)
{
	struct resp r;
	/* a browser is asked for the reason, with the filters kept */
	t_get(leader, "/companies.csv?q=%ED%95%9C%EB%B9%9B", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "다운로드 사유");
	CHECK_CONTAINS(r.body.s, "name=\"q\" value=\"한빛\"");
	CHECK_CONTAINS(r.body.s, "action=\"/companies.csv\"");
	t_resp_free(&r);
	/* too short a reason: the form again, 422 */
	t_get(leader, "/companies.csv?reason=x", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "2자 이상");
	t_resp_free(&r);
	/* the API: 422 with a code */
	t_get(leader, "/api/v1/companies.csv", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "reason_required");
	t_resp_free(&r);
	int64_t before = t_sql_int(
	    d.db, "SELECT count(*) FROM audit_log WHERE action = 'export.personal'", NULL);
	t_get(leader,
	      "/companies.csv?q=%ED%95%9C%EB%B9%9B&reason=%EB%B6%84%EA%B8%B0%20%EB%B3%B4%EA%B3%A0",
	      &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "기업명,사업자등록번호");
	CHECK_CONTAINS(r.body.s, "한빛정밀,202-02-02020,");
	CHECK(r.body.s && strstr(r.body.s, "HYPERLINK") == NULL, "company filter ignored");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM audit_log WHERE action = 'export.personal'",
	                    NULL),
	          before + 1);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM audit_log WHERE action = 'export.personal' AND "
	                    "object = 'export:companies' AND detail LIKE '%분기 보고%' AND "
	                    "detail LIKE '%\"rows\":1%'",
	                    NULL),
	          1);
	/* and in the access log (개인정보 접속기록), as a download with its reason */
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM privacy_access WHERE action = 'download' AND "
	                    "subject_kind = 'list' AND what = 'csv:1' AND reason = '분기 보고'",
	                    NULL),
	          1);
	/* users and the audit log: admins only, with a reason */
	t_get(leader, "/admin/users.csv?reason=%EC%A0%90%EA%B2%80", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_get(admin, "/admin/users.xlsx?reason=%EC%A0%90%EA%B2%80", &r);
	CHECK_INT(r.status, 200);
	char *sheet = t_zip_part(&r, "xl/worksheets/sheet1.xml");
	CHECK(sheet && strstr(sheet, "<t>아이디</t>") && strstr(sheet, "<t>leader</t>"),
	      "users sheet");
	free(sheet);
	t_resp_free(&r);
	t_get(admin, "/admin/audit.csv?reason=%EC%A0%90%EA%B2%80", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "일시,구분,수행자,작업");
	CHECK_CONTAINS(r.body.s, "개인정보 내려받기"); /* Korean, not the code */
	t_resp_free(&r);
	t_get(admin, "/admin/outbox.xlsx", &r);
	CHECK_CONTAINS(r.body.s, "다운로드 사유");
	t_resp_free(&r);
	t_get(admin, "/admin/outbox.csv?status=failed&reason=%EC%A0%90%EA%B2%80", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "만든 때,경로,받는 곳,제목");
	t_resp_free(&r);
	/* the access log itself, with its filters */
	t_get(admin, "/admin/privacy.csv?action=download&reason=%EC%A0%90%EA%B2%80", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "일시,아이디,이름,구분,정보주체,처리한 정보,사유");
	CHECK_CONTAINS(r.body.s, ",분기 보고,");
	t_resp_free(&r);
	/* department users never see the company register */
	struct client dept;
	t_client_init(&dept, &d);
	t_login(&dept, "department", T_PASSWORD);
	t_get(&dept, "/companies.csv?reason=%EC%A0%90%EA%B2%80", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	/* and see only cases referred to their department: none here */
	t_get(&dept, "/cases.csv", &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body.s && strstr(r.body.s, "SOS-2024") == NULL, "department sees other cases");
	t_resp_free(&r);
	t_client_free(&dept);
}

static void other_lists(struct client *leader)
{
	static const char *const paths[] = {"/activities.csv",      "/activities.xlsx?year=2024",
	                                    "/comm.csv?year=",      "/grants.csv?year=2024",
	                                    "/program/budget.xlsx", "/program/executions.csv"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(paths); i++) {
		struct resp r;
		t_get(leader, paths[i], &r);
		CHECK(r.status == 200, "%s: %ld", paths[i], r.status);
		if (strstr(paths[i], ".csv"))
			CHECK(r.body.len >= 3 && memcmp(r.body.s, "\xEF\xBB\xBF", 3) == 0, "%s BOM",
			      paths[i]);
		else
			CHECK(r.body.len > 2 && memcmp(r.body.s, "PK", 2) == 0, "%s zip", paths[i]);
		t_resp_free(&r);
	}
	struct resp r;
	t_get(leader, "/grants.csv?year=2024", &r);
	CHECK_CONTAINS(r.body.s, "2024,한빛정밀,화장실 개보수,41800000,16720000,16720000,8360000,");
	t_resp_free(&r);

	/* the communication list pages (100 a page) but its downloads hold every row */
	t_sql_exec(d.db,
	           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 620) "
	           "INSERT INTO comm_entry (kind, held_on, title, created_at) SELECT 'other', "
	           "'2023-07-01', '소통 ' || i, '2024-01-01T00:00:00Z' FROM n");
	t_get(leader, "/comm.csv?year=2023", &r);
	CHECK_INT(r.status, 200);
	size_t lines = 0;
	for (size_t i = 0; r.body.s && i < r.body.len; i++)
		lines += r.body.s[i] == '\n';
	CHECK(lines == 621, "comm.csv: %zu lines for 620 entries", lines);
	t_resp_free(&r);

	/* the survey rounds, as the page lists them, with its buttons */
	t_sql_exec(
	    d.db, "INSERT INTO comm_entry (id, kind, held_on, title, created_at) VALUES (7001, "
	          "'survey', '2024-07-01', '만족도 조사', '2024-07-01T00:00:00Z'); "
	          "INSERT INTO survey_round (id, title, period_first, period_last, comm_entry_id, "
	          "created_at) VALUES (1, '2024년 상반기 만족도 조사', '2024-01-01', '2024-06-30', "
	          "7001, '2024-07-01T00:30:00Z'); INSERT INTO survey_invite (token_hash, "
	          "company_id, round_id, created_at, expires_at, answered_at, speed, kindness, "
	          "resolution) VALUES (printf('%064d', 1), 902, 1, '2024-07-01T00:30:00Z', "
	          "'2024-08-01T00:00:00Z', '2024-07-02T00:00:00Z', 5, 4, 4), (printf('%064d', 2), "
	          "902, 1, '2024-07-01T00:30:00Z', '2024-08-01T00:00:00Z', NULL, NULL, NULL, "
	          "NULL)");
	t_get(leader, "/surveys", &r);
	CHECK_CONTAINS(r.body.s, "href=\"/surveys.csv");
	CHECK_CONTAINS(r.body.s, "href=\"/surveys.xlsx");
	t_resp_free(&r);
	t_get(leader, "/surveys.csv", &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body.len >= 3 && memcmp(r.body.s, "\xEF\xBB\xBF", 3) == 0, "surveys.csv BOM");
	CHECK_CONTAINS(r.body.s, "조사,기간 시작일,기간 종료일,대상,응답,응답률,시작");
	CHECK_CONTAINS(r.body.s, "2024년 상반기 만족도 조사,2024-01-01,2024-06-30,2,1,50.0%,");
	t_resp_free(&r);
	t_get(leader, "/surveys.xlsx", &r);
	CHECK_INT(r.status, 200);
	char *sheet = t_zip_part(&r, "xl/worksheets/sheet1.xml");
	CHECK(sheet && strstr(sheet, "<autoFilter") != NULL, "surveys.xlsx autofilter");
	free(sheet);
	t_resp_free(&r);
}

/* The labels of the card's header and roadmap header as the seed card has
 * them (tests/data/pledge-card-headers.tsv): every non-empty tab field. */
static json_t *card_labels(void)
{
	json_t *a = json_array();
	FILE *f = fopen(BIZSOS_SOURCE_DIR "/tests/data/pledge-card-headers.tsv", "r");
	CHECK(f != NULL, "tests/data/pledge-card-headers.tsv");
	char line[2048];
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		for (char *save = NULL, *t = strtok_r(line, "\t\r\n", &save); t;
		     t = strtok_r(NULL, "\t\r\n", &save))
			json_array_append_new(a, json_string(t));
	}
	if (f)
		fclose(f);
	return a;
}

static void card_checks(struct client *leader)
{
	struct resp r;
	t_get(leader, "/card.xlsx?as_of=2024-Q3", &r);
	CHECK_INT(r.status, 200);
	char *sheet = t_zip_part(&r, "xl/worksheets/sheet1.xml");
	char *strings = t_zip_part(&r, "xl/sharedStrings.xml");
	CHECK(sheet && strings, "card parts");
	if (sheet && strings) {
		/* every label of the seed card's header rows is in the workbook */
		json_t *labels = card_labels();
		CHECK(json_array_size(labels) > 20, "labels read");
		size_t i;
		json_t *l;
		json_array_foreach(labels, i, l)
		{
			const char *t = json_string_value(l);
			char want[128];
			if (t[0] >= '1' && t[0] <= '4' && t[1] == '\0')
				snprintf(want, sizeof(want), "<t>%s/4</t>",
				         t); /* quarters as 3/4 */
			else
				snprintf(want, sizeof(want), "<t>%s</t>", t);
			CHECK(strstr(strings, want) != NULL, "card XLSX lacks %s", want);
		}
		json_decref(labels);
		/* merged as on the card: 사업구분 over three columns, 이행구분 over six,
		 * 완료/추진중/미착수 over two each, 이행률 and 완료시기 over three rows,
		 * 성격/기간/재원 over two; the roadmap's years over their quarters */
		static const char *const merges[] = {"A3:C3", "D3:I3", "J3:J5", "K3:K5", "A4:A5",
		                                     "B4:B5", "C4:C5", "D4:E4", "F4:G4", "H4:I4"};
		for (size_t k = 0; k < BZ_ARRAY_LEN(merges); k++) {
			char want[64];
			snprintf(want, sizeof(want), "<mergeCell ref=\"%s\"/>", merges[k]);
			CHECK(strstr(sheet, want) != NULL, "card merge %s", merges[k]);
		}
		CHECK_CONTAINS(sheet, "paperSize=\"9\"");
		CHECK(strstr(sheet, "<mergeCells count=") != NULL, "merges");
		/* the 2022 year cell spans two quarters (3/4, 4/4), 2023 four */
		int merges_n = 0;
		for (const char *q = strstr(sheet, "<mergeCell "); q;
		     q = strstr(q + 1, "<mergeCell "))
			merges_n++;
		CHECK(merges_n >= 10 + 5 + 2, "card merges: %d", merges_n);
	}
	free(sheet);
	free(strings);
	t_resp_free(&r);
}

int main(void)
{
	if (!t_start(&d, NULL))
		return 1;
	seed();
	struct client leader, admin;
	t_client_init(&leader, &d);
	t_client_init(&admin, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&admin, "admin", T_PASSWORD), 303);
	csv_checks(&leader);
	xlsx_checks(&leader);
	personal_checks(&leader, &admin);
	other_lists(&leader);
	card_checks(&leader);
	t_client_free(&leader);
	t_client_free(&admin);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
