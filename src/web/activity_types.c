/* Admin: the activity types and the card's 추진실적 row each one counts in. */
#include "bizsos/activity.h"
#include "bizsos/app.h"
#include "web_field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- admin: activity types ------------------------------------------------ */

static json_t *types_model(struct request *rq, struct response *rs)
{
	json_t *types = NULL;
	if (activity_types(rq->db, true, &types) != BZ_OK) {
		field_db_fail(rs, "활동 유형을");
		return NULL;
	}
	json_t *parents = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		json_object_set_new(t, "card_rows", activity_card_rows_json());
		field_mark_selected(json_object_get(t, "card_rows"), "value",
		                    json_string_value(json_object_get(t, "card_row")));
		if (!json_is_true(json_object_get(t, "sub")) &&
		    !json_is_true(json_object_get(t, "retired")))
			json_array_append_new(parents, json_pack("{s:O, s:O}", "id",
			                                         json_object_get(t, "id"), "name",
			                                         json_object_get(t, "name")));
	}
	json_array_foreach(types, i, t)
	{
		json_t *p = json_deep_copy(parents);
		char sel[32] = "";
		json_t *pid = json_object_get(t, "parent_id");
		if (json_is_integer(pid))
			snprintf(sel, sizeof(sel), "%lld", (long long)json_integer_value(pid));
		field_mark_selected(p, "id", sel);
		/* a type cannot be its own parent */
		size_t k;
		json_t *o;
		json_array_foreach(
		    p, k, o) if (json_equal(json_object_get(o, "id"), json_object_get(t, "id")))
		    json_object_set_new(o, "self", json_true());
		json_object_set_new(t, "parents", p);
	}
	return json_pack("{s:o, s:o, s:o, s:{}, s:{}}", "types", types, "parents", parents,
	                 "card_rows", activity_card_rows_json(), "errors", "values");
}

void web_activity_types(struct request *rq, struct response *rs)
{
	json_t *m = types_model(rq, rs);
	if (m)
		field_page(rs, "activities/types", "활동 유형 관리", m);
}

void web_activity_type_save(struct request *rq, struct response *rs)
{
	const char *ids = rq_form(rq, "id");
	int64_t id = ids && *ids ? strtoll(ids, NULL, 10) : 0;
	if (id < 0)
		id = 0;
	const char *retired = rq_form(rq, "retired");
	json_t *fields = json_object();
	bz_rc rc =
	    activity_type_save(rq->db, &rq->user, id, rq_form(rq, "name"), rq_form(rq, "card_row"),
	                       rq_form(rq, "parent_id"), rq_form(rq, "sort"),
	                       retired && strcmp(retired, "1") == 0, fields);
	if (rc == BZ_OK) {
		json_decref(fields);
		web_flash(rs, rq, "success", "activity_type_saved");
		web_redirect(rs, "/admin/activity-types");
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		json_t *m = types_model(rq, rs);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		const char *name = rq_form(rq, "name");
		json_object_set_new(
		    m, "values",
		    json_pack("{s:s, s:I}", "name", name ? name : "", "id", (json_int_t)id));
		field_invalid(rs, "activities/types", "활동 유형 관리", m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "그런 활동 유형이 없습니다.");
	else if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", "활동 유형은 관리자만 바꿀 수 있습니다.");
	else
		web_error(rs, 500, "internal", "활동 유형을 저장하지 못했습니다.");
}
