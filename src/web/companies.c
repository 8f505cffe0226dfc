/* Companies: the list with search and filters, the company page (contacts in
 * full, recorded in the access log; the whole history as one timeline), the
 * create/edit form with duplicate, similar-name and stale-version handling,
 * contacts, and the quick lookup for the phone form. */
#include "bizsos/bizstatus.h"
#include "bizsos/company.h"
#include "bizsos/model_cache.h"
#include "bizsos/result_notice.h"
#include "bizsos/validate.h"
#include "bizsos/view.h"
#include "web_companies.h"
#include "web_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool can_edit(const struct request *rq)
{
	return web_route_allows(rq->user.role, HTTP_POST, "/companies");
}

/* ---- query strings ------------------------------------------------------- */

static void url_param(struct buf *b, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_putc(b, b->len && strchr(buf_cstr(b), '?') ? '&' : '?');
	buf_puts(b, key);
	buf_putc(b, '=');
	buf_url_encode(b, value, NULL);
}

/* "/companies?..." for the filter f at page (0: no page parameter). */
static json_t *list_href(const struct company_filter *f, int page)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "/companies");
	url_param(&b, "q", f->q);
	url_param(&b, "zone", f->zone);
	url_param(&b, "section", f->section);
	if (f->sort && strcmp(f->sort, "name") != 0)
		url_param(&b, "sort", f->sort);
	if (f->open_cases)
		url_param(&b, "open", "1");
	if (page > 1) {
		char p[16];
		snprintf(p, sizeof(p), "%d", page);
		url_param(&b, "page", p);
	}
	json_t *s = json_string(buf_cstr(&b) ? buf_cstr(&b) : "/companies");
	buf_free(&b);
	return s;
}

static json_t *breadcrumb(const char *label, const char *middle_href, const char *middle)
{
	json_t *bc = json_array();
	json_array_append_new(bc, json_pack("{s:s, s:s}", "href", "/", "label", "홈"));
	if (middle)
		json_array_append_new(
		    bc, json_pack("{s:s, s:s}", "href", middle_href, "label", middle));
	json_array_append_new(bc, json_pack("{s:s}", "label", label));
	return bc;
}

/* ---- the list ------------------------------------------------------------ */

static const char *const SORTS[][2] = {
    {"name", "이름순"},
    {"recent", "최근 수정순"},
    {"employees", "종업원 많은순"},
};

static json_t *choices_selected(json_t *arr, const char *key, const char *current)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(json_object_get(v, key));
		json_object_set_new(v, "selected",
		                    json_boolean(current && s && strcmp(s, current) == 0));
	}
	return arr;
}

/* The columns of the company list's CSV and XLSX, which the company import
 * reads back (matched by 사업자등록번호). 대표자 and the masked contact make it
 * personal data: a download asks for the reason. */
static const struct export_col company_cols[] = {
    {"name", "기업명", EXPORT_TEXT},
    {"brn_text", "사업자등록번호", EXPORT_TEXT},
    {"crn", "법인등록번호", EXPORT_TEXT},
    {"representative", "대표자", EXPORT_TEXT},
    {"ksic_code", "업종코드", EXPORT_TEXT},
    {"ksic_name", "업종", EXPORT_TEXT},
    {"address", "주소", EXPORT_TEXT},
    {"zone", "지역", EXPORT_TEXT},
    {"employees", "종업원 수", EXPORT_INT},
    {"founded_on", "창립일", EXPORT_DATE},
    {"notes", "비고", EXPORT_TEXT},
    {"contact.name", "담당자(가림)", EXPORT_TEXT},
    {"contact.phone", "연락처(가림)", EXPORT_TEXT},
    {"open_cases", "처리 중 애로", EXPORT_INT},
};
static const struct export_spec company_export =
    EXPORT_SPEC("companies", "기업 목록", company_cols, true);

void web_companies_list(struct request *rq, struct response *rs)
{
	const char *sort = rq_query(rq, "sort");
	const char *section = rq_query(rq, "section");
	const char *page_s = rq_query(rq, "page");
	const char *open = rq_query(rq, "open");
	/* ?page= for the browser's pager; ?cursor= (next_cursor) and ?limit= */
	int per_page = COMPANY_PAGE_SIZE;
	json_t *after = NULL;
	if (!web_keyset(rq, rs, "nnni", COMPANY_PAGE_SIZE, 100, &after, &per_page))
		return;
	char *end = NULL;
	long pg = page_s && *page_s ? strtol(page_s, &end, 10) : 1;
	int page = end && *end ? 1 : pg < 1 ? 1 : pg > 1000000 ? 1000000 : (int)pg;
	bool sort_ok = false;
	for (size_t i = 0; sort && i < BZ_ARRAY_LEN(SORTS); i++)
		sort_ok = sort_ok || strcmp(sort, SORTS[i][0]) == 0;
	if (section && !(section[0] >= 'A' && section[0] <= 'U' && section[1] == '\0'))
		section = NULL;
	struct company_filter f = {
	    .q = rq_query(rq, "q"),
	    .zone = rq_query(rq, "zone"),
	    .section = section,
	    .sort = sort_ok ? sort : "name",
	    .open_cases = open && strcmp(open, "1") == 0,
	    .page = page,
	    .per_page = per_page,
	    .after = after,
	};

	json_t *list = NULL, *zones = NULL, *sections = NULL;
	const char *msg = NULL;
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &company_export, &xw)) {
		if (xw) {
			f.each = export_row_cb;
			f.each_ctx = xw;
			bz_rc xrc = company_list(rq->db, &f, &list, &msg);
			web_export_end(rq, rs, xw, xrc == BZ_ERR_TOOLARGE ? BZ_ERR_INVALID : xrc);
		}
		json_decref(after);
		return;
	}
	bz_rc rc = company_list(rq->db, &f, &list, &msg);
	json_decref(after);
	if (rc != BZ_OK && rc != BZ_ERR_INVALID && rc != BZ_ERR_TOOLARGE) {
		web_error(rs, 500, "internal", "기업 목록을 읽지 못했습니다.");
		return;
	}
	if (company_zones_cached(rq->db, &zones) != BZ_OK ||
	    company_ksic(rq->db, true, &sections) != BZ_OK) {
		json_decref(list);
		json_decref(zones);
		web_error(rs, 500, "internal", "기업 목록을 읽지 못했습니다.");
		return;
	}
	if (list)
		bizstatus_decorate_rows(rq->db, json_object_get(list, "companies"));
	if (list == NULL)
		list = json_pack("{s:[], s:i, s:i, s:i, s:b}", "companies", "total", 0, "page_no",
		                 1, "pages", 1, "cases_known", 0);
	json_t *sorts = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(SORTS); i++)
		json_array_append_new(
		    sorts, json_pack("{s:s, s:s}", "value", SORTS[i][0], "label", SORTS[i][1]));
	json_object_set_new(list, "zones", choices_selected(zones, "value", f.zone));
	json_object_set_new(list, "sections", choices_selected(sections, "code", f.section));
	json_object_set_new(list, "sorts", choices_selected(sorts, "value", f.sort));
	json_object_set_new(list, "filter",
	                    json_pack("{s:s, s:s, s:s, s:s, s:b}", "q", f.q ? f.q : "", "zone",
	                              f.zone ? f.zone : "", "section", f.section ? f.section : "",
	                              "sort", f.sort, "open", f.open_cases));
	int cur = (int)json_integer_value(json_object_get(list, "page_no"));
	int pages = (int)json_integer_value(json_object_get(list, "pages"));
	if (cur > 1)
		json_object_set_new(list, "prev_href", list_href(&f, cur - 1));
	if (cur < pages)
		json_object_set_new(list, "next_href", list_href(&f, cur + 1));
	json_object_set_new(list, "can_edit", json_boolean(can_edit(rq)));
	bool filtered = (f.q && *f.q) || (f.zone && *f.zone) || f.section || f.open_cases;
	json_object_set_new(list, "filtered", json_boolean(filtered));
	bool more = (f.zone && *f.zone) || f.section || f.open_cases || strcmp(f.sort, "name") != 0;
	json_object_set_new(list, "more_open", json_boolean(more));
	char total[48];
	snprintf(total, sizeof(total), "%lld",
	         (long long)json_integer_value(json_object_get(list, "total")));
	json_object_set_new(list, "total_text", json_string(total));
	web_export_links(rq, list, &company_export);
	web_keyset_next(rq, list, per_page);
	if (rc != BZ_OK) {
		web_invalid(rs, "companies/list", "기업", list, json_pack("{s:s}", "q", msg));
		return;
	}
	web_page(rs, "companies/list", "기업", list);
}

/* ---- the quick lookup ---------------------------------------------------- */

void web_company_lookup(struct request *rq, struct response *rs)
{
	const char *q = rq_query(rq, "q");
	json_t *results = NULL;
	const char *msg = NULL;
	bool blank = true;
	for (const char *p = q; p && *p; p++)
		blank = blank && (*p == ' ' || *p == '\t');
	bz_rc rc = blank ? BZ_OK : company_lookup(rq->db, q, &results, &msg);
	if (blank)
		results = json_array();
	else if (rc == BZ_OK)
		bizstatus_decorate_rows(rq->db, results);
	if (rc != BZ_OK && rc != BZ_ERR_INVALID && rc != BZ_ERR_TOOLARGE) {
		web_error(rs, 500, "internal", "기업을 찾지 못했습니다.");
		return;
	}
	json_t *m = json_pack("{s:s, s:o, s:b}", "q", q ? q : "", "results",
	                      results ? results : json_array(), "searched", !blank);
	json_object_set_new(m, "breadcrumb", breadcrumb("기업 빠른 찾기", "/companies", "기업"));
	if (rc != BZ_OK) {
		web_invalid(rs, "companies/lookup", "기업 빠른 찾기", m,
		            json_pack("{s:s}", "q", msg));
		return;
	}
	web_page(rs, "companies/lookup", "기업 빠른 찾기", m);
}

/* ---- the form ------------------------------------------------------------ */

static const char *const FORM_KEYS[] = {"name",       "brn",     "crn",  "representative",
                                        "ksic_code",  "address", "zone", "employees",
                                        "founded_on", "notes"};
static const char *const FORM_LABELS[] = {
    "기업명", "사업자등록번호",        "법인등록번호", "대표자", "업종",
    "주소",   "산업단지·지식산업센터", "종업원 수",    "설립일", "메모"};

static void read_input(const struct request *rq, struct company_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = rq_form(rq, "name");
	in->brn = rq_form(rq, "brn");
	in->crn = rq_form(rq, "crn");
	in->representative = rq_form(rq, "representative");
	in->ksic_code = rq_form(rq, "ksic_code");
	in->address = rq_form(rq, "address");
	in->zone = rq_form(rq, "zone");
	in->employees = rq_form(rq, "employees");
	in->founded_on = rq_form(rq, "founded_on");
	in->notes = rq_form(rq, "notes");
	const char *c = rq_form(rq, "confirm_similar");
	in->confirm_similar = c && (strcmp(c, "1") == 0 || strcmp(c, "on") == 0);
}

/* The form's values as typed (to show them back). */
static json_t *values_from_form(const struct request *rq)
{
	json_t *v = json_object();
	for (size_t i = 0; i < BZ_ARRAY_LEN(FORM_KEYS); i++) {
		const char *s = rq_form(rq, FORM_KEYS[i]);
		json_object_set_new(v, FORM_KEYS[i], json_string(s ? s : ""));
	}
	const char *ver = rq_form(rq, "version");
	if (ver)
		json_object_set_new(v, "version", json_integer(strtoll(ver, NULL, 10)));
	return v;
}

/* The form page model around values (stolen). NULL (rs filled) on failure. */
static json_t *form_model(struct request *rq, struct response *rs, int64_t id, json_t *values,
                          const char *company_name)
{
	json_t *ksic = NULL, *zones = NULL;
	if (company_ksic(rq->db, false, &ksic) != BZ_OK ||
	    company_zones_cached(rq->db, &zones) != BZ_OK) {
		json_decref(values);
		json_decref(ksic);
		web_error(rs, 500, "internal", "업종 목록을 읽지 못했습니다.");
		return NULL;
	}
	choices_selected(ksic, "code", json_string_value(json_object_get(values, "ksic_code")));
	json_t *m = json_pack("{s:o, s:o, s:o, s:{}, s:b}", "values", values, "ksic", ksic, "zones",
	                      zones, "errors", "edit", id > 0);
	char action[64];
	if (id > 0) {
		snprintf(action, sizeof(action), "/companies/%lld", (long long)id);
		json_object_set_new(m, "action", json_string(action));
		json_object_set_new(m, "cancel_href", json_string(action));
		json_object_set_new(
		    m, "company",
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", company_name));
		json_object_set_new(m, "breadcrumb", breadcrumb("정보 수정", action, company_name));
	} else {
		json_object_set_new(m, "action", json_string("/companies"));
		json_object_set_new(m, "cancel_href", json_string("/companies"));
		json_object_set_new(m, "breadcrumb", breadcrumb("기업 등록", "/companies", "기업"));
	}
	return m;
}

static const char *form_title(int64_t id)
{
	return id > 0 ? "기업 정보 수정" : "기업 등록";
}

/* 422 with what the domain said (field errors, duplicate, similar names). */
static void form_refused(struct request *rq, struct response *rs, int64_t id,
                         const char *company_name, struct company_outcome *o)
{
	json_t *m = form_model(rq, rs, id, values_from_form(rq), company_name);
	if (m == NULL)
		return;
	json_t *fields = o->fields ? json_incref(o->fields) : json_object();
	if (o->duplicate_id) {
		char href[48];
		snprintf(href, sizeof(href), "/companies/%lld", (long long)o->duplicate_id);
		json_object_set_new(
		    m, "duplicate",
		    json_pack("{s:I, s:s}", "id", (json_int_t)o->duplicate_id, "href", href));
		json_object_set_new(fields, "duplicate_of", json_string(href));
	}
	if (o->similar) {
		json_t *sim = json_incref(o->similar);
		size_t i;
		json_t *s;
		json_array_foreach(sim, i, s)
		{
			char href[48];
			snprintf(href, sizeof(href), "/companies/%lld",
			         (long long)json_integer_value(json_object_get(s, "id")));
			json_object_set_new(s, "href", json_string(href));
		}
		json_object_set_new(m, "similar", sim);
		json_object_set_new(m, "has_similar", json_true());
	}
	web_invalid(rs, "companies/form", form_title(id), m, fields);
}

void web_company_new(struct request *rq, struct response *rs)
{
	json_t *m = form_model(rq, rs, 0, json_object(), NULL);
	if (m)
		web_page(rs, "companies/form", "기업 등록", m);
}

void web_company_create(struct request *rq, struct response *rs)
{
	struct company_input in;
	read_input(rq, &in);
	struct company_outcome o;
	int64_t id = 0;
	bz_rc rc = company_create(rq->db, rq->user.id, &in, &id, &o);
	if (rc == BZ_OK) {
		char loc[48];
		snprintf(loc, sizeof(loc), "/companies/%lld", (long long)id);
		web_flash(rs, rq, "success", "company_created");
		web_redirect(rs, loc);
		rs->model = json_pack("{s:I}", "id", (json_int_t)id);
	} else if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONSTRAINT) {
		form_refused(rq, rs, 0, NULL, &o);
	} else {
		web_error(rs, 500, "internal", "기업을 등록하지 못했습니다.");
	}
	company_outcome_free(&o);
}

/* Loads the company named by {id}; fills rs with 404 when there is none. */
static json_t *target_company(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	json_t *c = NULL;
	bz_rc rc = id > 0 ? company_get(rq->db, id, &c) : BZ_ERR_NOTFOUND;
	if (rc == BZ_OK)
		rc = bizstatus_decorate(rq->db, c, id); /* 국세청 상태 */
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "그런 기업이 없습니다.");
	else if (rc != BZ_OK)
		web_error(rs, 500, "internal", "기업 정보를 읽지 못했습니다.");
	return rc == BZ_OK ? c : NULL;
}

void web_company_edit(struct request *rq, struct response *rs)
{
	json_t *c = target_company(rq, rs);
	if (c == NULL)
		return;
	int64_t id = json_integer_value(json_object_get(c, "id"));
	json_t *m = form_model(rq, rs, id, company_form_values(c),
	                       json_string_value(json_object_get(c, "name")));
	if (m)
		web_page(rs, "companies/form", "기업 정보 수정", m);
	json_decref(c);
}

/* 409: the form as the user typed it, next to what is saved now. */
static void form_conflict(struct request *rq, struct response *rs, int64_t id, json_t *current)
{
	const char *name = json_string_value(json_object_get(current, "name"));
	json_t *cur = company_form_values(current);
	json_t *mine = values_from_form(rq);
	json_t *diff = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(FORM_KEYS); i++) {
		const char *a = json_string_value(json_object_get(mine, FORM_KEYS[i]));
		const char *b = json_string_value(json_object_get(cur, FORM_KEYS[i]));
		json_array_append_new(diff, json_pack("{s:s, s:s, s:s, s:s, s:b}", "field",
		                                      FORM_KEYS[i], "label", FORM_LABELS[i], "mine",
		                                      a ? a : "", "current", b ? b : "", "differs",
		                                      strcmp(a ? a : "", b ? b : "") != 0));
	}
	/* a resubmit of this form is a deliberate save over the current version */
	json_object_set(mine, "version", json_object_get(current, "version"));
	json_t *m = form_model(rq, rs, id, mine, name ? name : "");
	if (m == NULL) {
		json_decref(cur);
		json_decref(diff);
		return;
	}
	static const char msg[] = "이 기업 정보를 다른 사용자가 먼저 고쳤습니다. 지금 저장된 "
	                          "값과 입력한 값을 비교한 뒤 다시 저장하세요.";
	json_object_set_new(m, "conflict", json_pack("{s:s, s:o}", "message", msg, "fields", diff));
	json_object_set_new(m, "current", cur);
	json_object_set_new(m, "error",
	                    json_pack("{s:s, s:s}", "code", "conflict", "message", msg));
	web_page_status(rs, 409, "companies/form", "기업 정보 수정", m);
}

void web_company_update(struct request *rq, struct response *rs)
{
	json_t *c = target_company(rq, rs);
	if (c == NULL)
		return;
	int64_t id = json_integer_value(json_object_get(c, "id"));
	const char *name = json_string_value(json_object_get(c, "name"));
	struct company_input in;
	read_input(rq, &in);
	const char *ver = rq_form(rq, "version");
	char *end = NULL;
	long long v = ver ? strtoll(ver, &end, 10) : 0;
	struct company_outcome o = {0};
	if (ver == NULL || end == ver || *end != '\0' || v < 1) {
		o.fields =
		    json_pack("{s:s}", "version",
		              "불러온 판 번호(version)가 없습니다. 수정 화면을 다시 여세요.");
		form_refused(rq, rs, id, name, &o);
		company_outcome_free(&o);
		json_decref(c);
		return;
	}
	in.version = v;
	bz_rc rc = company_update(rq->db, rq->user.id, id, &in, &o);
	char loc[48];
	snprintf(loc, sizeof(loc), "/companies/%lld", (long long)id);
	if (rc == BZ_OK) {
		web_flash(rs, rq, "success", "company_updated");
		web_redirect(rs, loc);
		rs->model = json_pack("{s:I}", "id", (json_int_t)id);
	} else if (rc == BZ_ERR_CONFLICT && o.current) {
		form_conflict(rq, rs, id, o.current);
	} else if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONSTRAINT) {
		form_refused(rq, rs, id, name, &o);
	} else if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 기업이 없습니다.");
	} else {
		web_error(rs, 500, "internal", "기업 정보를 저장하지 못했습니다.");
	}
	company_outcome_free(&o);
	json_decref(c);
}

/* ---- the company page ---------------------------------------------------- */

/* The timeline's filters from ?kind=&year=&page= into q; false when one is
 * malformed (*why: the Korean message). Absent or empty: no filter. */
static bool timeline_query(struct request *rq, struct company_timeline_query *q, const char **why)
{
	memset(q, 0, sizeof(*q));
	q->page = 1;
	const char *kind = rq_query(rq, "kind"), *year = rq_query(rq, "year");
	const char *page = rq_query(rq, "page");
	if (kind && *kind) {
		if (!company_timeline_kind_ok(kind)) {
			*why = "이력 종류가 올바르지 않습니다.";
			return false;
		}
		q->kind = kind;
	}
	if (year && *year) {
		int64_t y = val_parse_id(year);
		if (y < 1900 || y > 2100) {
			*why = "연도는 2024처럼 네 자리로 골라 주세요.";
			return false;
		}
		q->year = (int)y;
	}
	if (page && *page) {
		int64_t p = val_parse_id(page);
		if (p < 1 || p > 100000) {
			*why = "쪽 번호가 올바르지 않습니다.";
			return false;
		}
		q->page = p;
	}
	return true;
}

/* The page model for company c (stolen); NULL with rs filled on failure. */
static json_t *show_model(struct request *rq, struct response *rs, json_t *c)
{
	int64_t id = json_integer_value(json_object_get(c, "id"));
	json_t *contacts = NULL, *timeline = NULL, *tmeta = NULL;
	struct company_timeline_query q;
	const char *why = NULL;
	if (!timeline_query(rq, &q, &why)) { /* (web_company_show refused it already) */
		memset(&q, 0, sizeof(q));
		q.page = 1;
	}
	if (company_contacts_view(rq->db, id, rq->user.id, rq->remote, &contacts) != BZ_OK ||
	    company_timeline(rq->db, id, &q, &timeline, &tmeta) != BZ_OK) {
		json_decref(contacts);
		json_decref(c);
		web_error(rs, 500, "internal", "기업 정보를 읽지 못했습니다.");
		return NULL;
	}
	{ /* the pager: the filters kept (their values are from fixed sets) */
		char fq[64] = "";
		const char *k = json_string_value(json_object_get(tmeta, "kind"));
		const char *y = json_string_value(json_object_get(tmeta, "year"));
		snprintf(fq, sizeof(fq), "%s%s%s%s%s%s", *k ? "kind=" : "", k, *k ? "&" : "",
		         *y ? "year=" : "", y, *y ? "&" : "");
		json_object_set_new(tmeta, "filter_query", json_string(fq));
		json_int_t page = json_integer_value(json_object_get(tmeta, "page"));
		json_int_t pages = json_integer_value(json_object_get(tmeta, "pages"));
		if (page > 1)
			json_object_set_new(tmeta, "prev", json_integer(page - 1));
		if (page < pages)
			json_object_set_new(tmeta, "next", json_integer(page + 1));
		json_object_set_new(tmeta, "filtered", json_boolean(*k || *y));
		json_object_set_new(tmeta, "paged", json_boolean(pages > 1));
	}
	result_notice_decorate_contacts(rq->db, contacts); /* 결과 통지 동의 */
	size_t i;
	json_t *e;
	json_array_foreach(timeline, i, e)
	{
		/* an instant (…Z) in KST; an activity's local "day Thh:mm"; a grant's or a
		 * document's day */
		char kst[32];
		const char *at = json_string_value(json_object_get(e, "at"));
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *day = json_string_value(json_object_get(e, "day"));
		size_t n = at ? strlen(at) : 0;
		bool instant = n && at[n - 1] == 'Z';
		if (day && kind &&
		    (strcmp(kind, "grant") == 0 || (strcmp(kind, "letter") == 0 && instant)))
			bz_strlcpy(kst, day, sizeof(kst));
		else if (n && !instant) {
			bz_strlcpy(kst, at, sizeof(kst));
			char *t = strchr(kst, 'T');
			if (t)
				*t = ' ';
		} else
			fmt_instant_kst(at, kst, sizeof(kst));
		json_object_set_new(e, "at_text", json_string(kst));
		json_object_set_new(e, "is_case", json_boolean(kind && strcmp(kind, "case") == 0));
	}
	char kst[32];
	fmt_instant_kst(json_string_value(json_object_get(c, "updated_at")), kst, sizeof(kst));
	json_object_set_new(c, "updated_text", json_string(kst));
	fmt_instant_kst(json_string_value(json_object_get(c, "created_at")), kst, sizeof(kst));
	json_object_set_new(c, "created_text", json_string(kst));
	const char *name = json_string_value(json_object_get(c, "name"));
	json_t *m = json_pack("{s:o, s:o, s:o, s:o, s:b, s:{}, s:{}}", "company", c, "contacts",
	                      contacts, "timeline", timeline, "timeline_meta", tmeta, "can_edit",
	                      can_edit(rq), "errors", "contact_values");
	json_object_set_new(m, "breadcrumb", breadcrumb(name ? name : "", "/companies", "기업"));
	return m;
}

void web_company_show(struct request *rq, struct response *rs)
{
	json_t *c = target_company(rq, rs);
	if (c == NULL)
		return;
	struct company_timeline_query q;
	const char *why = NULL;
	if (!timeline_query(rq, &q, &why)) {
		json_decref(c);
		web_error(rs, 400, "bad_filter", why);
		return;
	}
	char title[300];
	bz_strlcpy(title, json_string_value(json_object_get(c, "name")), sizeof(title));
	json_t *m = show_model(rq, rs, c);
	if (m)
		web_page(rs, "companies/show", title, m);
}

void web_company_contact_add(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	const char *name = rq_form(rq, "contact_name"), *title = rq_form(rq, "contact_title");
	const char *phone = rq_form(rq, "contact_phone"), *email = rq_form(rq, "contact_email");
	json_t *fields = NULL;
	bz_rc rc = id > 0 ? company_contact_add(rq->db, rq->user.id, id, name, title, phone, email,
	                                        &fields)
	                  : BZ_ERR_NOTFOUND;
	char loc[64];
	snprintf(loc, sizeof(loc), "/companies/%lld#contacts", (long long)id);
	if (rc == BZ_OK) {
		web_flash(rs, rq, "success", "contact_added");
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 기업이 없습니다.");
		return;
	}
	if (rc != BZ_ERR_INVALID) {
		json_decref(fields);
		web_error(rs, 500, "internal", "담당자를 추가하지 못했습니다.");
		return;
	}
	json_t *c = target_company(rq, rs);
	json_t *m = c ? show_model(rq, rs, c) : NULL;
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	json_object_set_new(m, "contact_values",
	                    json_pack("{s:s, s:s, s:s, s:s}", "name", name ? name : "", "title",
	                              title ? title : "", "phone", phone ? phone : "", "email",
	                              email ? email : ""));
	json_object_set_new(m, "contact_open", json_true());
	char t[300];
	bz_strlcpy(t, json_string_value(json_object_get(json_object_get(m, "company"), "name")),
	           sizeof(t));
	web_invalid(rs, "companies/show", t, m, fields);
}

void web_company_contact_retire(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), cid = rq_param_id(rq, "cid");
	bz_rc rc = id > 0 && cid > 0 ? company_contact_retire(rq->db, rq->user.id, id, cid)
	                             : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 담당자가 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "담당자를 삭제하지 못했습니다.");
		return;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/companies/%lld#contacts", (long long)id);
	web_flash(rs, rq, "success", "contact_retired");
	web_redirect(rs, loc);
}
