/* Improvement grants (소규모 기업환경 개선사업): list, form with the computed
 * 40/40/20 split, the grant page with its history, status changes. */
#include "bizsos/company.h"
#include "bizsos/kst.h"
#include "bizsos/grant.h"
#include "web_export.h"
#include "web_field.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool can_write(const struct request *rq)
{
	return web_route_allows(rq->user.role, HTTP_POST, "/grants");
}

/* The columns of the grant list's CSV and XLSX. */
static const struct export_col grant_cols[] = {
    {"year", "연도", EXPORT_INT},
    {"company", "기업", EXPORT_TEXT},
    {"title", "사업명", EXPORT_TEXT},
    {"total", "총사업비(원)", EXPORT_WON},
    {"province", "도비(원)", EXPORT_WON},
    {"city", "시비(원)", EXPORT_WON},
    {"company_share", "자부담(원)", EXPORT_WON},
    {"status_label", "상태", EXPORT_TEXT},
};
static const struct export_spec grant_export =
    EXPORT_SPEC("grants", "소규모 기업환경 개선사업", grant_cols, false);

void web_grants(struct request *rq, struct response *rs)
{
	const char *ys = rq_query(rq, "year"), *status = rq_query(rq, "status");
	const char *ps = rq_query(rq, "page");
	long year = ys && *ys ? strtol(ys, NULL, 10) : 0;
	if (year < 2000 || year > 2100)
		year = 0;
	if (status && grant_status_label(status) == NULL)
		status = NULL;
	long page = ps ? strtol(ps, NULL, 10) : 1;
	if (page < 1 || page > 100000)
		page = 1;
	struct grant_filter f = {(int)year, status, 0, (int)page, false};
	json_t *m = NULL;
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &grant_export, &xw)) {
		if (xw) {
			f.all = true;
			bz_rc rc = grant_list(rq->db, &f, &m);
			if (rc == BZ_OK)
				rc = export_rows(xw, json_object_get(m, "grants"));
			json_decref(m);
			web_export_end(rq, rs, xw, rc);
		}
		return;
	}
	json_t *after = NULL;
	int limit = 0;
	if (!web_keyset(rq, rs, "ii", GRANT_PAGE_SIZE, 100, &after, &limit))
		return;
	f.after = after;
	f.limit = limit;
	bz_rc lrc = grant_list(rq->db, &f, &m);
	json_decref(after);
	if (lrc != BZ_OK) {
		web_error(rs, 500, "internal", "개선사업 목록을 읽지 못했습니다.");
		return;
	}
	web_keyset_next(rq, m, limit);
	json_t *years = json_array();
	for (int y = kst_year() + 1; y >= 2020; y--)
		json_array_append_new(years,
		                      json_pack("{s:i, s:b}", "value", y, "selected", y == year));
	json_t *statuses = grant_statuses_json();
	size_t i;
	json_t *s;
	json_array_foreach(statuses, i, s) json_object_set_new(
	    s, "selected",
	    json_boolean(status &&
	                 strcmp(status, json_string_value(json_object_get(s, "value"))) == 0));
	json_object_set_new(m, "years", years);
	json_object_set_new(m, "statuses", statuses);
	json_object_set_new(m, "year", json_integer(year));
	json_object_set_new(m, "filtered", json_boolean(year || status));
	json_object_set_new(m, "can_create", json_boolean(can_write(rq)));
	json_int_t pg = json_integer_value(json_object_get(m, "page_no"));
	json_int_t pages = json_integer_value(json_object_get(m, "pages"));
	char href[160];
	json_t *pager = json_object();
	if (pg > 1) {
		snprintf(href, sizeof(href), "/grants?year=%ld&status=%s&page=%lld", year,
		         status ? status : "", (long long)pg - 1);
		json_object_set_new(pager, "prev", json_string(href));
	}
	if (pg < pages) {
		snprintf(href, sizeof(href), "/grants?year=%ld&status=%s&page=%lld", year,
		         status ? status : "", (long long)pg + 1);
		json_object_set_new(pager, "next", json_string(href));
	}
	json_object_set_new(m, "pager", pager);
	web_export_links(rq, m, &grant_export);
	field_page(rs, "grants/list", "소규모 기업환경 개선사업", m);
}

/* The form's model with values as typed and the default split of the total. */
static json_t *grant_form_model(struct request *rq, bool posted)
{
	const char *keys[] = {"company_id", "year", "title",         "total",
	                      "province",   "city", "company_share", "split_reason",
	                      "applied_on", "memo", "company_q"};
	json_t *values = json_object();
	for (size_t i = 0; i < BZ_ARRAY_LEN(keys); i++) {
		const char *v = posted ? rq_form(rq, keys[i]) : rq_query(rq, keys[i]);
		json_object_set_new(values, keys[i], json_string(v ? v : ""));
	}
	if (!posted || json_string_length(json_object_get(values, "year")) == 0) {
		char y[8];
		snprintf(y, sizeof(y), "%d", kst_year());
		json_object_set_new(values, "year", json_string(y));
	}
	/* companies: the one picked, and the results of a search */
	json_t *companies = json_array(), *errors = json_object();
	const char *cid = json_string_value(json_object_get(values, "company_id"));
	int64_t chosen = cid && *cid ? strtoll(cid, NULL, 10) : 0;
	if (chosen > 0) {
		json_t *c = NULL;
		if (company_get(rq->db, chosen, &c) == BZ_OK) {
			json_array_append_new(
			    companies,
			    json_pack("{s:O, s:O, s:O, s:b}", "id", json_object_get(c, "id"),
			              "name", json_object_get(c, "name"), "brn_text",
			              json_object_get(c, "brn_text"), "checked", 1));
			json_decref(c);
		}
	}
	const char *q = json_string_value(json_object_get(values, "company_q"));
	if (q && *q) {
		json_t *res = NULL;
		const char *msg = NULL;
		if (company_lookup(rq->db, q, &res, &msg) == BZ_OK) {
			size_t i;
			json_t *c;
			json_array_foreach(res, i, c)
			{
				if (json_integer_value(json_object_get(c, "id")) == chosen)
					continue;
				json_object_set_new(c, "checked", json_false());
				json_array_append(companies, c);
			}
			if (json_array_size(res) == 0)
				json_object_set_new(
				    errors, "company_q",
				    json_string("찾는 기업이 없습니다. 기업 메뉴에서 "
				                "먼저 등록해 주세요."));
			json_decref(res);
		} else {
			json_object_set_new(errors, "company_q",
			                    json_string(msg ? msg : "검색어를 확인해 주세요."));
		}
	}
	/* the default split of the total typed, shown next to the share fields */
	json_t *preview = json_null();
	int64_t total = 0;
	if (money_parse_won(json_string_value(json_object_get(values, "total")), false, &total,
	                    NULL) == BZ_OK) {
		struct grant_split d;
		grant_split_default(total, &d);
		char t[MONEY_TEXT_SIZE], p[MONEY_TEXT_SIZE], c[MONEY_TEXT_SIZE], s[MONEY_TEXT_SIZE];
		money_format_won(d.total, t, sizeof(t));
		money_format_won(d.province, p, sizeof(p));
		money_format_won(d.city, c, sizeof(c));
		money_format_won(d.company, s, sizeof(s));
		preview = json_pack("{s:s, s:s, s:s, s:s}", "total_text", t, "province_text", p,
		                    "city_text", c, "company_share_text", s);
	}
	return json_pack("{s:o, s:o, s:o, s:o}", "values", values, "companies", companies, "errors",
	                 errors, "preview", preview);
}

void web_grant_new(struct request *rq, struct response *rs)
{
	field_page(rs, "grants/new", "개선사업 신청 등록", grant_form_model(rq, false));
}

void web_grant_create(struct request *rq, struct response *rs)
{
	json_t *m = grant_form_model(rq, true);
	const char *action = rq_form(rq, "action");
	if (action && strcmp(action, "save") != 0) {
		/* "기업 검색" or "분담액 계산": the same form again */
		field_page(rs, "grants/new", "개선사업 신청 등록", m);
		return;
	}
	struct grant_input in = {rq_form(rq, "company_id"),    rq_form(rq, "year"),
	                         rq_form(rq, "title"),         rq_form(rq, "total"),
	                         rq_form(rq, "province"),      rq_form(rq, "city"),
	                         rq_form(rq, "company_share"), rq_form(rq, "split_reason"),
	                         rq_form(rq, "applied_on"),    rq_form(rq, "memo")};
	json_t *fields = json_object();
	int64_t id = 0;
	bz_rc rc = grant_create(rq->db, &rq->user, &in, fields, &id);
	static const struct field_create_answer answer = {
	    "/grants/",
	    "grant_saved",
	    "grants/new",
	    "개선사업 신청 등록",
	    "개선사업을 등록할 권한이 없습니다.",
	    "저장하지 못했습니다. 잠시 후 다시 시도해 주세요.",
	};
	field_created(rq, rs, rc, id, m, fields, &answer);
}

static json_t *show_model(struct request *rq, struct response *rs, int64_t id)
{
	json_t *m = NULL;
	bz_rc rc = id > 0 ? grant_get(rq->db, id, &m) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 개선사업이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "개선사업을 읽지 못했습니다.");
		return NULL;
	}
	json_object_set_new(m, "can_write", json_boolean(can_write(rq)));
	json_object_set_new(m, "errors", json_object());
	const char *title =
	    json_string_value(json_object_get(json_object_get(m, "grant"), "title"));
	json_object_set_new(m, "breadcrumb",
	                    json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s}]", "href", "/", "label", "홈",
	                              "href", "/grants", "label", "개선사업", "label",
	                              title ? title : "개선사업"));
	return m;
}

void web_grant_show(struct request *rq, struct response *rs)
{
	json_t *m = show_model(rq, rs, rq_param_id(rq, "id"));
	if (m)
		field_page(rs, "grants/show", "개선사업", m);
}

void web_grant_status(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	const char *vs = rq_form(rq, "version");
	int64_t version = vs ? strtoll(vs, NULL, 10) : 0;
	json_t *fields = json_object();
	char msg[512] = "";
	bz_rc rc =
	    grant_set_status(rq->db, &rq->user, id, version, rq_form(rq, "to"), rq_form(rq, "on"),
	                     rq_form(rq, "note"), fields, msg, sizeof(msg));
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[48];
		snprintf(loc, sizeof(loc), "/grants/%lld", (long long)id);
		web_flash(rs, rq, "success", "grant_status");
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		json_t *m = show_model(rq, rs, id);
		if (m)
			field_invalid(rs, "grants/show", "개선사업", m, fields);
		else
			json_decref(fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "그런 개선사업이 없습니다.");
	else if (rc == BZ_ERR_CONFLICT)
		web_error(rs, 409, "conflict", msg);
	else if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", msg);
	else
		web_error(rs, 500, "internal", "상태를 바꾸지 못했습니다.");
}
