/* The admin table of case categories (애로 분야). */
#include "bizsos/app.h"
#include "bizsos/sos_case.h"
#include "web_cases.h"
#include "cases_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- categories (admin) ------------------------------------------------- */

static json_t *categories_model(struct request *rq, struct response *rs)
{
	json_t *cats = NULL;
	if (case_categories(rq->db, true, &cats) != BZ_OK) {
		web_error(rs, 500, "internal", "분류 목록을 읽지 못했습니다.");
		return NULL;
	}
	return json_pack("{s:o, s:{}, s:{}}", "categories", cats, "errors", "values");
}

void web_case_categories(struct request *rq, struct response *rs)
{
	json_t *m = categories_model(rq, rs);
	if (m)
		web_page(rs, "admin/categories", "애로 분야 관리", m);
}

void web_case_category_save(struct request *rq, struct response *rs)
{
	const char *ids = rq_form(rq, "id");
	int64_t id = case_parse_id(ids);
	if (ids && *ids && id == 0) {
		web_error(rs, 404, "not_found", "그런 분류가 없습니다.");
		return;
	}
	const char *retired = rq_form(rq, "retired");
	json_t *fields = json_object();
	bz_rc rc = case_category_save(
	    rq->db, &rq->user, id, rq_form(rq, "name"), rq_form(rq, "default_days"),
	    retired && (strcmp(retired, "1") == 0 || strcmp(retired, "on") == 0), fields);
	if (rc == BZ_OK) {
		json_decref(fields);
		web_flash(rs, rq, "success", "category_saved");
		web_redirect(rs, "/admin/categories");
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		json_t *m = categories_model(rq, rs);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		json_object_set_new(m, "values", cases_form_values(rq));
		if (id)
			json_object_set_new(m, "failed_id", json_integer((json_int_t)id));
		else
			json_object_set_new(m, "failed_new", json_true());
		web_invalid(rs, "admin/categories", "애로 분야 관리", m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "그런 분류가 없습니다.");
	else if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", "분류를 고칠 권한이 없습니다.");
	else
		web_error(rs, 500, "internal", "분류를 저장하지 못했습니다.");
}
