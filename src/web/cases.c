/* SOS case pages: each handler reads its input, calls the case domain
 * (src/domain/sos_case.c, case_write.c) and answers with a view model, which
 * is also the JSON face under /api/v1/. This file holds the new-case form,
 * the case page and the answer every write gives; the list is in
 * case_list.c, the writes in case_actions.c, attachments in case_attach.c and
 * the category table in case_categories.c. */
#include "bizsos/activity.h"
#include "bizsos/app.h"
#include "bizsos/kst.h"
#include "bizsos/result_notice.h"
#include "bizsos/company.h"
#include "bizsos/document.h"
#include "bizsos/sos_case.h"
#include "web_cases.h"
#include "web_public.h"
#include "cases_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

/* A select's options from a [{value, label}] list, marking the selected one
 * (new reference; steals list). */
json_t *cases_mark(json_t *list, const char *selected)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		const char *v = json_string_value(json_object_get(o, "value"));
		json_object_set_new(o, "selected",
		                    json_boolean(selected && v && strcmp(v, selected) == 0));
	}
	return list;
}

/* [{id, name}] rows as [{value, label, selected}]. */
json_t *cases_id_options(json_t *rows, const char *label_key, const char *selected)
{
	json_t *a = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o)
	{
		char v[32];
		snprintf(v, sizeof(v), "%lld",
		         (long long)json_integer_value(json_object_get(o, "id")));
		const char *l = json_string_value(json_object_get(o, label_key));
		json_array_append_new(a,
		                      json_pack("{s:s, s:s, s:b}", "value", v, "label", l ? l : "",
		                                "selected", selected && strcmp(v, selected) == 0));
	}
	json_decref(rows);
	return a;
}

/* The submitted form as an object of strings (to show it back). */
json_t *cases_form_values(const struct request *rq)
{
	json_t *o = json_object();
	for (size_t i = 0; i < rq->form.n; i++)
		if (strcmp(rq->form.items[i].key, "csrf") != 0)
			json_object_set_new(o, rq->form.items[i].key,
			                    json_string(rq->form.items[i].value));
	return o;
}

/* The form's version field; false (field error set) when missing. */
static bool form_version(const struct request *rq, json_t *fields, int64_t *v)
{
	*v = case_parse_id(rq_form(rq, "version"));
	if (*v == 0) {
		json_object_set_new(fields, "version",
		                    json_string("사건 버전이 없습니다. 페이지를 새로 고친 뒤 다시 "
		                                "입력해 주세요."));
		return false;
	}
	return true;
}

/* ---- the new-case form -------------------------------------------------- */

static const char *const NEW_FORM_FIELDS[] = {
    "company_id",  "received_on", "received_time", "channel", "category_id", "title",
    "description", "request",     "triage",        "flag",    NULL};

/* The new-case page model. Values come from query (GET) or the form (POST). */
static json_t *new_model(struct request *rq, bool from_form)
{
	const char *(*get)(const struct request *, const char *) = from_form ? rq_form : rq_query;
	json_t *values = json_object();
	for (size_t i = 0; NEW_FORM_FIELDS[i]; i++) {
		const char *v = get(rq, NEW_FORM_FIELDS[i]);
		json_object_set_new(values, NEW_FORM_FIELDS[i], json_string(v ? v : ""));
	}
	const char *company_q = rq_query(rq, "company_q");
	json_object_set_new(values, "company_q", json_string(company_q ? company_q : ""));
	const char *company_id = get(rq, "company_id");
	const char *category_id = get(rq, "category_id");
	int64_t cid = case_parse_id(company_id), kid = case_parse_id(category_id);

	json_t *company = NULL;
	if (cid && company_get(rq->db, cid, &company) != BZ_OK)
		company = NULL;
	json_t *matches = NULL;
	const char *lookup_msg = NULL;
	if (company == NULL && company_q && *company_q &&
	    company_lookup(rq->db, company_q, &matches, &lookup_msg) != BZ_OK)
		matches = NULL;
	json_t *cats = NULL;
	if (case_categories(rq->db, false, &cats) != BZ_OK)
		cats = json_array();
	json_t *repeats = NULL;
	if (company && kid && case_repeats(rq->db, &rq->user, cid, kid, &repeats) != BZ_OK)
		repeats = NULL;
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *triage = get(rq, "triage");
	const char *flag = get(rq, "flag");
	json_t *flag_opts = cases_mark(case_vocab_json("flag"), flag);
	json_array_insert_new(flag_opts, 0,
	                      json_pack("{s:s, s:s, s:b}", "value", "", "label", "없음", "selected",
	                                flag == NULL || *flag == '\0'));
	json_t *m = json_pack(
	    "{s:o, s:o?, s:o?, s:o?, s:s?, s:{s:o, s:o, s:o, s:o}, s:s, s:{}, s:b}", "values",
	    values, "company", company, "matches", matches, "repeats", repeats, "lookup_error",
	    lookup_msg, "options", "category", cases_id_options(cats, "name", category_id),
	    "channel", cases_mark(case_vocab_json("channel"), get(rq, "channel")), "triage",
	    cases_mark(case_vocab_json("triage"), triage && *triage ? triage : "single"), "flag",
	    flag_opts, "today", today, "errors", "company_q_searched", company_q && *company_q);
	if (repeats) {
		size_t n = json_array_size(repeats), open = 0, i;
		json_t *x;
		json_array_foreach(repeats, i, x) open += json_is_true(json_object_get(x, "open"));
		json_object_set_new(m, "repeat_count", json_integer((json_int_t)n));
		json_object_set_new(m, "repeat_open", json_integer((json_int_t)open));
	}
	return m;
}

void web_case_new(struct request *rq, struct response *rs)
{
	web_page(rs, "cases/new", "기업애로 접수", new_model(rq, false));
}

void web_case_create(struct request *rq, struct response *rs)
{
	struct case_input in = {
	    .company_id = rq_form(rq, "company_id"),
	    .received_on = rq_form(rq, "received_on"),
	    .received_time = rq_form(rq, "received_time"),
	    .channel = rq_form(rq, "channel"),
	    .category_id = rq_form(rq, "category_id"),
	    .title = rq_form(rq, "title"),
	    .description = rq_form(rq, "description"),
	    .request = rq_form(rq, "request"),
	    .triage = rq_form(rq, "triage"),
	    .flag = rq_form(rq, "flag"),
	};
	json_t *fields = json_object();
	int64_t id = 0;
	char no[CASE_NO_SIZE] = "";
	bz_rc rc = case_create(rq->db, &rq->user, &in, fields, &id, no);
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[64];
		snprintf(loc, sizeof(loc), "/cases/%lld", (long long)id);
		web_flash(rs, rq, "success", "case_created");
		web_redirect(rs, loc);
		rs->model = json_pack("{s:I, s:s}", "id", (json_int_t)id, "case_no", no);
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		web_invalid(rs, "cases/new", "기업애로 접수", new_model(rq, true), fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", "기업애로를 접수할 권한이 없습니다.");
	else
		web_error(rs, 500, "internal",
		          "기업애로를 저장하지 못했습니다. 다시 시도해 주세요.");
}

/* ---- the case page ------------------------------------------------------ */

/* "<label>로 변경" or "<label>으로 변경": the particle after the last Hangul
 * syllable (으로 after a final consonant other than ㄹ); 로 otherwise. */
static void change_to_label(const char *label, char *out, size_t outlen)
{
	size_t n = strlen(label);
	bool euro = false;
	/* the last UTF-8 character, if a Hangul syllable (3 bytes, U+AC00..U+D7A3) */
	if (n >= 3) {
		const unsigned char *p = (const unsigned char *)label + n - 3;
		if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			unsigned cp = ((unsigned)(p[0] & 0x0F) << 12) |
			              ((unsigned)(p[1] & 0x3F) << 6) | (unsigned)(p[2] & 0x3F);
			if (cp >= 0xAC00 && cp <= 0xD7A3) {
				unsigned jong = (cp - 0xAC00) % 28;
				euro = jong != 0 && jong != 8; /* 8: ㄹ */
			}
		}
	}
	snprintf(out, outlen, "%s%s 변경", label, euro ? "으로" : "로");
}

/* Renders what the domain says the user may do (case_can): the button text
 * of each plain status move and the label of the next step. */
static void add_permissions(json_t *m)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(m, "transitions"), i, t)
	{
		char button[96];
		change_to_label(json_string_value(json_object_get(t, "label")), button,
		                sizeof(button));
		json_object_set_new(t, "button", json_string(button));
	}
	static const char *const next_labels[][2] = {
	    {"assign", "담당자 지정"},
	    {"refer", "부서 이송"},
	    {"wait", "답변 대기"},
	    {"complete", "완료 처리"},
	};
	json_t *next = json_object_get(m, "next");
	const char *key = json_string_value(json_object_get(next, "key"));
	for (i = 0; key && i < BZ_ARRAY_LEN(next_labels); i++)
		if (strcmp(key, next_labels[i][0]) == 0)
			json_object_set_new(next, "label", json_string(next_labels[i][1]));
}

/* Owners a referral may have (users of its department): the groups of the
 * refer form's lead_owner select, and each open referral's owner_options for
 * the leader's owner change. */
static void add_owner_options(struct request *rq, json_t *m)
{
	const json_t *can = json_object_get(m, "can");
	bool any_change = false;
	size_t i, j;
	json_t *x, *u;
	json_array_foreach(json_object_get(m, "referrals"), i, x) any_change |=
	    json_is_true(json_object_get(x, "can_change_owner"));
	if (!json_is_true(json_object_get(can, "refer")) && !any_change)
		return;
	json_t *users = NULL;
	if (case_department_users(rq->db, &users) != BZ_OK)
		return;
	json_t *groups = json_array(), *group = NULL;
	int64_t last = 0;
	json_array_foreach(users, j, u)
	{
		int64_t d = json_integer_value(json_object_get(u, "department_id"));
		if (group == NULL || d != last) {
			group = json_pack("{s:O, s:[]}", "department",
			                  json_object_get(u, "department"), "options");
			json_array_append_new(groups, group);
			last = d;
		}
		char v[32];
		snprintf(v, sizeof(v), "%lld",
		         (long long)json_integer_value(json_object_get(u, "id")));
		json_array_append_new(
		    json_object_get(group, "options"),
		    json_pack("{s:s, s:O}", "value", v, "label", json_object_get(u, "name")));
	}
	json_object_set_new(m, "has_owner_groups", json_boolean(json_array_size(groups) > 0));
	json_object_set_new(m, "owner_groups", groups);
	json_array_foreach(json_object_get(m, "referrals"), i, x)
	{
		if (!json_is_true(json_object_get(x, "can_change_owner")))
			continue;
		int64_t dept = json_integer_value(json_object_get(x, "department_id"));
		int64_t owner = json_integer_value(json_object_get(x, "owner_id"));
		json_t *opts = json_array();
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
		                                      "(미지정)", "selected", owner == 0));
		json_array_foreach(users, j, u)
		{
			if (json_integer_value(json_object_get(u, "department_id")) != dept)
				continue;
			int64_t uid = json_integer_value(json_object_get(u, "id"));
			char v[32];
			snprintf(v, sizeof(v), "%lld", (long long)uid);
			json_array_append_new(opts, json_pack("{s:s, s:O, s:b}", "value", v,
			                                      "label", json_object_get(u, "name"),
			                                      "selected", uid == owner));
		}
		json_object_set_new(x, "owner_options", opts);
		json_object_set_new(x, "has_owner_choice", json_boolean(json_array_size(opts) > 1));
	}
	json_decref(users);
}

/* The case page model, or NULL with rs filled (404/500). */
json_t *cases_show_model(struct request *rq, struct response *rs, int64_t id)
{
	json_t *m = NULL;
	bz_rc rc = id > 0 ? case_get(rq->db, &rq->user, id, &m) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found",
		          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "기업애로를 읽지 못했습니다.");
		return NULL;
	}
	add_permissions(m);
	if (web_public_case_hook(rq, id, m) != BZ_OK) { /* the online request and surveys */
		json_decref(m);
		web_error(rs, 500, "internal", "기업애로를 읽지 못했습니다.");
		return NULL;
	}
	json_t *c = json_object_get(m, "case");
	if (json_is_true(json_object_get(json_object_get(m, "can"), "refer")) ||
	    json_is_true(json_object_get(json_object_get(m, "can"), "assign_any"))) {
		json_t *depts = NULL, *users = NULL;
		if (case_departments(rq->db, &depts) != BZ_OK)
			depts = json_array();
		if (case_assignees(rq->db, &users) != BZ_OK)
			users = json_array();
		char cur[32];
		snprintf(cur, sizeof(cur), "%lld",
		         (long long)json_integer_value(json_object_get(c, "assignee_id")));
		json_object_set_new(m, "departments", cases_id_options(depts, "name", NULL));
		json_object_set_new(m, "assignees", cases_id_options(users, "name", cur));
	}
	add_owner_options(rq, m);
	const char *triage = json_string_value(json_object_get(c, "triage"));
	const char *flag = json_string_value(json_object_get(c, "flag"));
	json_t *flag_opts = cases_mark(case_vocab_json("flag"), flag);
	json_array_insert_new(
	    flag_opts, 0,
	    json_pack("{s:s, s:s, s:b}", "value", "", "label", "없음", "selected", flag == NULL));
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_object_set_new(m, "options",
	                    json_pack("{s:o, s:o, s:o, s:o, s:o}", "triage",
	                              cases_mark(case_vocab_json("triage"), triage), "flag",
	                              flag_opts, "disposition", case_vocab_json("disposition"),
	                              "outcome", case_vocab_json("outcome"), "notified_method",
	                              case_vocab_json("notified_method")));
	json_object_set_new(m, "today", json_string(today));
	/* 결과 통지: the consenting contacts the result can be sent to */
	json_t *result_options = NULL;
	if (json_is_true(json_object_get(json_object_get(m, "can"), "complete")) &&
	    result_notice_options(rq->db, id, &result_options) == BZ_OK) {
		json_object_set_new(m, "has_result_options",
		                    json_boolean(json_array_size(result_options) > 0));
		json_object_set_new(m, "result_options", result_options);
	}
	json_object_set_new(m, "has_merged_from",
	                    json_boolean(json_array_size(json_object_get(m, "merged_from")) > 0));
	json_object_set_new(m, "form_errors", json_object());
	json_object_set_new(m, "form_values", json_object());
	/* 공문: issued about this case, and the ones this user may draft */
	json_t *docs = NULL;
	if (document_list_for_case(rq->db, id, &docs) != BZ_OK)
		docs = json_array();
	json_object_set_new(m, "has_documents", json_boolean(json_array_size(docs) > 0));
	json_object_set_new(m, "documents", docs);
	json_t *links = json_object();
	char href[96];
	const char *status = json_string_value(json_object_get(c, "status"));
	if (case_may(&rq->user, CASE_ACT_REFER) && case_status_open(status)) {
		snprintf(href, sizeof(href), "/cases/%lld/documents/new?kind=referral",
		         (long long)id);
		json_object_set_new(links, "referral", json_string(href));
	}
	if (case_may(&rq->user, CASE_ACT_NOTIFY) && status && strcmp(status, "done") == 0) {
		snprintf(href, sizeof(href), "/cases/%lld/documents/new?kind=result",
		         (long long)id);
		json_object_set_new(links, "result", json_string(href));
	}
	json_object_set_new(m, "doc_links", links);
	/* the visit (or meeting) the case was raised at, for those who read activities */
	json_t *visit = NULL;
	if ((rq->user.role & (ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE | ROLE_ADMIN)) &&
	    visit_of_case(rq->db, id, &visit) == BZ_OK && visit)
		json_object_set_new(m, "visit", visit);
	char crumb[64];
	snprintf(crumb, sizeof(crumb), "%s", json_string_value(json_object_get(c, "case_no")));
	json_object_set_new(m, "breadcrumb",
	                    json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s}]", "href", "/", "label", "홈",
	                              "href", "/cases", "label", "기업애로", "label", crumb));
	return m;
}

static void page_title(const json_t *m, char *out, size_t outlen)
{
	const json_t *c = json_object_get(m, "case");
	snprintf(out, outlen, "%s %s", json_string_value(json_object_get(c, "case_no")),
	         json_string_value(json_object_get(c, "title")));
}

void web_case_show(struct request *rq, struct response *rs)
{
	json_t *m = cases_show_model(rq, rs, rq_param_id(rq, "id"));
	if (m == NULL)
		return;
	char title[600];
	page_title(m, title, sizeof(title));
	web_page(rs, "cases/show", title, m);
}

/* A form that failed behind "다른 작업" (any but the next step's) opens it. */
static void other_open(json_t *m, const char *form)
{
	const char *next = json_string_value(json_object_get(json_object_get(m, "next"), "key"));
	json_object_set_new(m, "other_open", json_boolean(!next || strcmp(next, form) != 0));
}

/* Answers a write on case id: redirect on success, the page with field errors
 * (422), the current values (409), or an error. Takes fields. */
void cases_write_outcome(struct request *rq, struct response *rs, int64_t id, const char *form,
                         bz_rc rc, json_t *fields, const char *msg, const char *flash)
{
	char loc[64];
	snprintf(loc, sizeof(loc), "/cases/%lld", (long long)id);
	if (rc == BZ_OK) {
		json_decref(fields);
		web_flash(rs, rq, "success", flash);
		web_redirect(rs, loc);
		json_t *cur = NULL;
		if (case_current(rq->db, &rq->user, id, &cur) == BZ_OK)
			rs->model = json_pack("{s:I, s:o}", "id", (json_int_t)id, "case", cur);
		return;
	}
	if (rc == BZ_ERR_NOTFOUND) {
		json_decref(fields);
		web_error(rs, 404, "not_found",
		          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
		return;
	}
	if (rc == BZ_ERR_FORBIDDEN) {
		json_decref(fields);
		web_error(rs, 403, "forbidden",
		          msg && *msg ? msg : "이 작업을 할 권한이 없습니다.");
		return;
	}
	if (rc != BZ_ERR_INVALID && rc != BZ_ERR_CONFLICT) {
		json_decref(fields);
		web_error(rs, 500, "internal", "저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	json_t *m = cases_show_model(rq, rs, id);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	char title[600];
	page_title(m, title, sizeof(title));
	json_object_set_new(json_object_get(m, "form_values"), form, cases_form_values(rq));
	if (rc == BZ_ERR_CONFLICT) {
		json_decref(fields);
		other_open(m, form);
		json_object_set_new(m, "conflict", json_pack("{s:s}", "message", msg));
		json_object_set_new(m, "error",
		                    json_pack("{s:s, s:s}", "code", "conflict", "message", msg));
		web_page_status(rs, 409, "cases/show", title, m);
		return;
	}
	/* radios and selects keep what was chosen */
	json_t *opts = json_object_get(m, "options");
	static const char *const keep[] = {"disposition", "outcome", "notified_method"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(keep); i++)
		cases_mark(json_object_get(opts, keep[i]), rq_form(rq, keep[i]));
	size_t gi;
	json_t *g;
	json_array_foreach(json_object_get(m, "owner_groups"), gi, g)
	    cases_mark(json_object_get(g, "options"), rq_form(rq, "lead_owner"));
	json_object_set(json_object_get(m, "form_errors"), form, fields);
	json_object_set_new(m, "form_failed", json_pack("{s:b}", form, 1));
	other_open(m, form);
	web_invalid(rs, "cases/show", title, m, fields);
}

/* The common start of a write: the case id and the version; false (rs filled
 * with 404 or 422) if either is missing. */
bool cases_write_start(struct request *rq, struct response *rs, const char *form, int64_t *id,
                       int64_t *version, json_t **fields)
{
	*id = rq_param_id(rq, "id");
	*fields = json_object();
	if (*id <= 0) {
		json_decref(*fields);
		web_error(rs, 404, "not_found", "그런 기업애로가 없습니다.");
		return false;
	}
	if (!form_version(rq, *fields, version)) {
		json_t *cur = NULL;
		if (case_current(rq->db, &rq->user, *id, &cur) != BZ_OK) {
			json_decref(*fields);
			web_error(rs, 404, "not_found",
			          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
			return false;
		}
		json_decref(cur);
		cases_write_outcome(rq, rs, *id, form, BZ_ERR_INVALID, *fields, NULL, NULL);
		return false;
	}
	return true;
}
