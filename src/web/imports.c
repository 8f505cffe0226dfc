/* Imports of companies (/companies/import) and cases (/cases/import): the
 * page with the columns and the template downloads, and the upload, which is
 * either a check (검사만: every row's result and every error, nothing
 * written) or an import (everything in one transaction, only when every row
 * is valid). The kind is taken from the path. */
#include "bizsos/app.h"
#include "bizsos/import.h"
#include "bizsos/sos_case.h"
#include "web_export.h"
#include "web_import.h"

#include <stdio.h>
#include <string.h>

static enum import_kind kind_of(const struct request *rq)
{
	return strncmp(rq->path, "/cases", 6) == 0 ? IMPORT_CASES : IMPORT_COMPANIES;
}

static json_t *page_model(const struct request *rq, enum import_kind kind)
{
	const char *base = kind == IMPORT_CASES ? "/cases" : "/companies";
	char action[64], csv[96], xlsx[96], list[32];
	snprintf(action, sizeof(action), "%s/import", base);
	snprintf(csv, sizeof(csv), "%s/import/template.csv", base);
	snprintf(xlsx, sizeof(xlsx), "%s/import/template.xlsx", base);
	snprintf(list, sizeof(list), "%s", base);
	(void)rq;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:s}", "title",
	                 kind == IMPORT_CASES ? "기업애로 가져오기" : "기업 가져오기", "what",
	                 kind == IMPORT_CASES ? "기업애로" : "기업", "action", action,
	                 "template_csv", csv, "template_xlsx", xlsx, "list", list, "columns",
	                 import_columns(kind), "cases", kind == IMPORT_CASES, "key",
	                 kind == IMPORT_CASES ? "접수번호" : "사업자등록번호");
}

void web_import_form(struct request *rq, struct response *rs)
{
	enum import_kind kind = kind_of(rq);
	if (!import_allowed(&rq->user, kind)) {
		web_error(rs, 403, "forbidden", "가져오기 권한이 없습니다.");
		return;
	}
	json_t *m = page_model(rq, kind);
	web_page(rs, "import/form", json_string_value(json_object_get(m, "title")), m);
}

void web_import_template(struct request *rq, struct response *rs)
{
	enum import_kind kind = kind_of(rq);
	json_t *cols = import_columns(kind);
	struct export_col c[16];
	size_t n = 0;
	size_t i;
	json_t *col;
	json_array_foreach(cols, i, col)
	{
		if (n == BZ_ARRAY_LEN(c))
			break;
		c[n].key = "";
		c[n].header = json_string_value(json_object_get(col, "header"));
		c[n].type = EXPORT_TEXT;
		n++;
	}
	struct export_spec spec = {
	    kind == IMPORT_CASES ? "cases-import-template" : "companies-import-template",
	    kind == IMPORT_CASES ? "기업애로 가져오기 서식" : "기업 가져오기 서식", c, n, false};
	struct export_writer *w = NULL;
	if (web_export_begin(rq, rs, &spec, &w) && w)
		web_export_end(rq, rs, w, BZ_OK);
	json_decref(cols);
}

void web_import_upload(struct request *rq, struct response *rs)
{
	enum import_kind kind = kind_of(rq);
	json_t *m = page_model(rq, kind);
	const char *title = json_string_value(json_object_get(m, "title"));
	char t[64];
	bz_strlcpy(t, title, sizeof(t));
	const struct upload *u = rq_upload(rq, "file");
	const char *action = rq_form(rq, "action");
	bool commit = action && strcmp(action, "import") == 0;
	if (action && *action && !commit && strcmp(action, "check") != 0) {
		web_invalid(rs, "import/form", t, m,
		            json_pack("{s:s}", "action", "검사 또는 가져오기를 골라 주세요."));
		return;
	}
	if (u == NULL || u->size == 0) {
		web_invalid(rs, "import/form", t, m,
		            json_pack("{s:s}", "file", "올릴 CSV 또는 XLSX 파일을 골라 주세요."));
		return;
	}
	json_t *report = NULL;
	char msg[320];
	bz_rc rc = import_run(rq->db, &rq->user, kind, u->path, sheet_sniff(u->path), commit,
	                      &report, msg, sizeof(msg));
	if (rc == BZ_ERR_FORBIDDEN) {
		json_decref(m);
		web_error(rs, 403, "forbidden", "가져오기 권한이 없습니다.");
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		web_invalid(rs, "import/form", t, m, json_pack("{s:s}", "file", msg));
		return;
	}
	if (rc != BZ_OK) {
		json_decref(m);
		web_error(rs, 500, "internal",
		          "가져오기를 마치지 못했습니다. 아무것도 저장하지 않았습니다.");
		return;
	}
	bool failed = json_integer_value(json_object_get(report, "error_rows")) > 0;
	bool empty = json_integer_value(json_object_get(report, "total")) == 0;
	if (json_is_true(json_object_get(report, "committed"))) {
		json_t *detail = json_pack(
		    "{s:s, s:O, s:O, s:O, s:O}", "file", u->filename ? u->filename : "", "rows",
		    json_object_get(report, "total"), "created", json_object_get(report, "created"),
		    "changed", json_object_get(report, "changed"), "unchanged",
		    json_object_get(report, "unchanged"));
		audit_log_json(rq->db, rq->user.id,
		               kind == IMPORT_CASES ? "import.cases" : "import.companies", "import",
		               detail);
	}
	json_object_set_new(m, "report", report);
	json_object_set_new(m, "failed", json_boolean(failed));
	json_object_set_new(m, "empty", json_boolean(empty));
	if (failed) {
		/* the report is the answer, for the API too: a 422 page, not an error */
		json_object_set_new(
		    m, "errors",
		    json_pack("{s:s}", "file",
		              commit ? "오류가 있는 행이 있어 아무것도 저장하지 않았습니다. 오류를 "
		                       "고친 파일을 다시 올려 주세요."
		                     : "오류가 있는 행이 있습니다. 고친 뒤 가져오세요."));
		web_page_status(rs, 422, "import/form", t, m);
		return;
	}
	web_page(rs, "import/form", t, m);
}
