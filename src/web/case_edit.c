/* The case edit page: GET /cases/{id}/edit shows what was recorded at intake
 * (title, description, request, category, channel, received date and time) in
 * a form; POST /cases/{id} saves it through case_edit (src/domain/case_edit.c).
 * Answers: 303 to the case page (saved, or nothing changed), 422 with Korean
 * field errors and the typed values, 409 when someone saved in between (the
 * form shows the current values, what was typed is listed beside it, nothing
 * is overwritten) or the case is merged (read-only), 403/404. */
#include "bizsos/sos_case.h"
#include "bizsos/kst.h"
#include "web_cases.h"

#include <stdio.h>
#include <string.h>

static const char *const EDIT_FIELDS[] = {"title",   "description", "request",       "category_id",
                                          "channel", "received_on", "received_time", NULL};

/* Category options with their processing period in the label; a retired
 * category only if it is the case's own (it may be kept, not chosen). */
static json_t *category_options(struct request *rq, const json_t *cur, const char *selected)
{
	json_t *cats = NULL;
	if (case_categories(rq->db, true, &cats) != BZ_OK)
		return json_array();
	const char *own = json_string_value(json_object_get(cur, "category_id"));
	json_t *a = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		char v[32], label[160];
		snprintf(v, sizeof(v), "%lld",
		         (long long)json_integer_value(json_object_get(c, "id")));
		bool retired = json_is_true(json_object_get(c, "retired"));
		if (retired && !(own && strcmp(own, v) == 0))
			continue;
		int days = (int)json_integer_value(json_object_get(c, "default_days"));
		snprintf(label, sizeof(label), "%s (%d근무일)%s",
		         json_string_value(json_object_get(c, "name")), days,
		         retired ? " · 더는 쓰지 않는 분야" : "");
		json_array_append_new(a, json_pack("{s:s, s:s, s:O, s:i, s:b}", "value", v, "label",
		                                   label, "name", json_object_get(c, "name"),
		                                   "days", days, "selected",
		                                   selected && strcmp(selected, v) == 0));
	}
	json_decref(cats);
	return a;
}

static json_t *channel_options(const char *selected)
{
	json_t *a = case_vocab_json("channel");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o)
	{
		const char *v = json_string_value(json_object_get(o, "value"));
		json_object_set_new(o, "selected",
		                    json_boolean(selected && v && strcmp(v, selected) == 0));
	}
	return a;
}

/* The edit page model for case id: the form holds `values` (the current ones,
 * or typed ones when typed is not NULL). NULL with rs filled (404/500). */
static json_t *edit_model(struct request *rq, struct response *rs, int64_t id, const json_t *typed)
{
	json_t *cur = NULL;
	bz_rc rc = id > 0 ? case_edit_values(rq->db, &rq->user, id, &cur) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found",
		          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "기업애로를 읽지 못했습니다.");
		return NULL;
	}
	json_t *values = json_object();
	for (size_t i = 0; EDIT_FIELDS[i]; i++) {
		const char *v = typed ? json_string_value(json_object_get(typed, EDIT_FIELDS[i]))
		                      : json_string_value(json_object_get(cur, EDIT_FIELDS[i]));
		json_object_set_new(values, EDIT_FIELDS[i], json_string(v ? v : ""));
	}
	const char *cat = json_string_value(json_object_get(values, "category_id"));
	const char *chan = json_string_value(json_object_get(values, "channel"));
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	char crumb[CASE_NO_SIZE + 8], href[48];
	snprintf(crumb, sizeof(crumb), "%s", json_string_value(json_object_get(cur, "case_no")));
	snprintf(href, sizeof(href), "/cases/%lld", (long long)id);
	json_t *m = json_pack(
	    "{s:o, s:o, s:{s:o, s:o}, s:s, s:{}, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s}]}",
	    "case", cur, "values", values, "options", "category", category_options(rq, cur, cat),
	    "channel", channel_options(chan), "today", today, "errors", "breadcrumb", "href", "/",
	    "label", "홈", "href", "/cases", "label", "기업애로", "href", href, "label", crumb,
	    "label", "내용 수정");
	return m;
}

static void edit_title(const json_t *m, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s 내용 수정",
	         json_string_value(json_object_get(json_object_get(m, "case"), "case_no")));
}

void web_case_edit(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	json_t *m = edit_model(rq, rs, id, NULL);
	if (m == NULL)
		return;
	char title[64];
	edit_title(m, title, sizeof(title));
	const json_t *c = json_object_get(m, "case");
	if (json_is_true(json_object_get(c, "merged"))) {
		char msg[256];
		snprintf(msg, sizeof(msg),
		         "이 사건은 %s 사건에 병합되어 고칠 수 없습니다. 병합된 사건에서 처리해 "
		         "주세요.",
		         json_string_value(json_object_get(c, "merged_into_no")));
		json_object_set_new(m, "conflict", json_pack("{s:s}", "message", msg));
		json_object_set_new(m, "error",
		                    json_pack("{s:s, s:s}", "code", "conflict", "message", msg));
		web_page_status(rs, 409, "cases/edit", title, m);
		return;
	}
	web_page(rs, "cases/edit", title, m);
}

/* The name of option value v in a [{value, name}] list ("" if none). */
static const char *option_label(const json_t *opts, const char *v)
{
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o)
	{
		if (v && strcmp(v, json_string_value(json_object_get(o, "value"))) == 0)
			return json_string_value(json_object_get(o, "name"));
	}
	return "";
}

/* After a 409: each field with what was typed and what is saved now
 * [{label, mine, current, differs}], so the user can redo the change on the
 * current values without losing what they typed. */
static json_t *conflict_rows(struct request *rq, const json_t *m)
{
	static const char *const labels[] = {
	    "제목", "애로 내용", "기업 요청 사항", "애로 분야", "접수 경로", "접수일", "접수 시각"};
	const json_t *cur = json_object_get(m, "case");
	const json_t *opts = json_object_get(m, "options");
	json_t *rows = json_array();
	for (size_t i = 0; EDIT_FIELDS[i]; i++) {
		const char *mine = rq_form(rq, EDIT_FIELDS[i]);
		const char *now = json_string_value(json_object_get(cur, EDIT_FIELDS[i]));
		bool differs = strcmp(mine ? mine : "", now ? now : "") != 0;
		if (strcmp(EDIT_FIELDS[i], "category_id") == 0) {
			mine = option_label(json_object_get(opts, "category"), mine);
			now = json_string_value(json_object_get(cur, "category"));
		} else if (strcmp(EDIT_FIELDS[i], "channel") == 0) {
			mine = case_label("channel", mine ? mine : "");
			now = case_label("channel", now ? now : "");
		}
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}", "label", labels[i],
		                                      "mine", mine ? mine : "", "current",
		                                      now ? now : "", "differs", differs));
	}
	return rows;
}

void web_case_update(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	if (id <= 0) {
		web_error(rs, 404, "not_found", "그런 기업애로가 없습니다.");
		return;
	}
	json_t *fields = json_object();
	int64_t version = case_parse_id(rq_form(rq, "version"));
	struct case_edit_input in = {
	    .title = rq_form(rq, "title"),
	    .description = rq_form(rq, "description"),
	    .request = rq_form(rq, "request"),
	    .category_id = rq_form(rq, "category_id"),
	    .channel = rq_form(rq, "channel"),
	    .received_on = rq_form(rq, "received_on"),
	    .received_time = rq_form(rq, "received_time"),
	};
	bool changed = false;
	char msg[512] = "";
	bz_rc rc;
	if (version == 0) {
		json_object_set_new(fields, "version",
		                    json_string("사건 버전이 없습니다. 페이지를 새로 고친 뒤 다시 "
		                                "입력해 주세요."));
		rc = BZ_ERR_INVALID;
	} else {
		rc = case_edit(rq->db, &rq->user, id, version, &in, &changed, fields, msg,
		               sizeof(msg));
	}
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[48];
		snprintf(loc, sizeof(loc), "/cases/%lld", (long long)id);
		web_flash(rs, rq, changed ? "success" : "info",
		          changed ? "case_edited" : "case_unchanged");
		web_redirect(rs, loc);
		json_t *cur = NULL;
		if (case_current(rq->db, &rq->user, id, &cur) == BZ_OK)
			rs->model = json_pack("{s:I, s:b, s:o}", "id", (json_int_t)id, "changed",
			                      changed, "case", cur);
		return;
	}
	if (rc == BZ_ERR_FORBIDDEN || rc == BZ_ERR_NOTFOUND || rc == BZ_ERR_DB ||
	    rc == BZ_ERR_NOMEM) {
		json_decref(fields);
		if (rc == BZ_ERR_FORBIDDEN)
			web_error(rs, 403, "forbidden",
			          *msg ? msg : "사건 내용을 고칠 권한이 없습니다.");
		else if (rc == BZ_ERR_NOTFOUND)
			web_error(rs, 404, "not_found",
			          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
		else
			web_error(rs, 500, "internal",
			          "저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	if (rc == BZ_ERR_CONFLICT) {
		/* the form starts again from the current values; what was typed is
		 * listed beside it so nothing is lost and nothing is overwritten */
		json_decref(fields);
		json_t *m = edit_model(rq, rs, id, NULL);
		if (m == NULL)
			return;
		char title[64];
		edit_title(m, title, sizeof(title));
		bool merged = json_is_true(json_object_get(json_object_get(m, "case"), "merged"));
		json_object_set_new(m, "conflict",
		                    json_pack("{s:s, s:o, s:b}", "message", msg, "fields",
		                              conflict_rows(rq, m), "show_fields", !merged));
		json_object_set_new(m, "error",
		                    json_pack("{s:s, s:s}", "code", "conflict", "message", msg));
		web_page_status(rs, 409, "cases/edit", title, m);
		return;
	}
	/* 422: the typed values back, with the reasons */
	json_t *typed = json_object();
	for (size_t i = 0; EDIT_FIELDS[i]; i++) {
		const char *v = rq_form(rq, EDIT_FIELDS[i]);
		json_object_set_new(typed, EDIT_FIELDS[i], json_string(v ? v : ""));
	}
	json_t *m = edit_model(rq, rs, id, typed);
	json_decref(typed);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	/* the version the form was loaded with stays, so a later save still
	 * notices someone else's change */
	if (version > 0)
		json_object_set_new(m, "form_version", json_integer((json_int_t)version));
	char title[64];
	edit_title(m, title, sizeof(title));
	web_invalid(rs, "cases/edit", title, m, fields);
}
