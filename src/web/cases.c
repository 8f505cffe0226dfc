/* SOS case pages: each handler reads its input, calls the case domain
 * (src/domain/sos_case.c, case_write.c) and answers with a view model, which
 * is also the JSON face under /api/v1/. */
#include "bizsos/fsutil.h"
#include "bizsos/app.h"
#include "bizsos/kst.h"
#include "bizsos/result_notice.h"
#include "bizsos/company.h"
#include "bizsos/document.h"
#include "bizsos/sos_case.h"
#include "bizsos/web_attach.h"
#include "bizsos/web_cases.h"
#include "bizsos/web_public.h"
#include "bizsos/web_export.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------ */

static void url_encode(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static void qs_add(struct buf *b, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_putc(b, b->len == 0 ? '?' : '&');
	buf_puts(b, key);
	buf_putc(b, '=');
	url_encode(b, value);
}

/* A select's options from a [{value, label}] list, marking the selected one
 * (new reference; steals list). */
static json_t *mark(json_t *list, const char *selected)
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
static json_t *id_options(json_t *rows, const char *label_key, const char *selected)
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
static json_t *form_values(const struct request *rq)
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

/* ---- the list ----------------------------------------------------------- */

static const char *const flag_filters[][2] = {
    {"red", "긴급"},
    {"yellow", "중요"},
    {"bounced", "3회 이상 재배정·반송"},
    {"long", "30일 넘게 처리중 (중간 통보 필요)"},
};
static const char *const sort_options[][2] = {
    {"due", "처리 기한순"},
    {"received", "접수일순"},
    {"no", "사건 번호순"},
    {"updated", "최근 변경순"},
};
static const char *const order_options[][2] = {
    {"asc", "오름차순"},
    {"desc", "내림차순"},
};

static json_t *pairs(const char *const (*p)[2], size_t n, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", p[i][0], "label",
		                                   p[i][1], "selected",
		                                   selected && strcmp(selected, p[i][0]) == 0));
	return a;
}

static int parse_small(const char *s, int min, int max, bool *bad)
{
	if (s == NULL || *s == '\0')
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || v < min || v > max) {
		*bad = true;
		return 0;
	}
	return (int)v;
}

/* Checks the closing-date filters (YYYY-MM-DD, KST): field errors into fields. */
static void closed_range(const char *from, const char *to, json_t *fields)
{
	int32_t a = 0, b = 0;
	bool has_a = from && *from, has_b = to && *to;
	if (has_a && date_parse(from, &a, NULL) != BZ_OK)
		json_object_set_new(fields, "closed_from",
		                    json_string("종결일(부터)은 2024-01-01처럼 있는 날짜로 입력해 "
		                                "주세요."));
	if (has_b && date_parse(to, &b, NULL) != BZ_OK)
		json_object_set_new(fields, "closed_to",
		                    json_string("종결일(까지)은 2024-12-31처럼 있는 날짜로 입력해 "
		                                "주세요."));
	if (has_a && has_b && json_object_get(fields, "closed_from") == NULL &&
	    json_object_get(fields, "closed_to") == NULL && a > b)
		json_object_set_new(fields, "closed_to",
		                    json_string("종결일(까지)이 종결일(부터)보다 앞섭니다. 기간을 "
		                                "확인해 주세요."));
}

/* The columns of the case list's CSV and XLSX (and of the case import). */
static const struct export_col case_cols[] = {
    {"case_no", "접수번호", EXPORT_TEXT},
    {"received_on", "접수일", EXPORT_DATE},
    {"company", "기업명", EXPORT_TEXT},
    {"company_brn", "사업자등록번호", EXPORT_TEXT},
    {"channel_label", "접수 경로", EXPORT_TEXT},
    {"category", "분야", EXPORT_TEXT},
    {"title", "제목", EXPORT_TEXT},
    {"description", "내용", EXPORT_TEXT},
    {"request", "요청사항", EXPORT_TEXT},
    {"status_label", "상태", EXPORT_TEXT},
    {"assignee", "담당자", EXPORT_TEXT},
    {"departments", "이관 부서", EXPORT_TEXT},
    {"due", "처리 기한", EXPORT_DATE},
    {"dday_label", "D-day", EXPORT_TEXT},
    {"closed_on", "종결일", EXPORT_DATE},
    {"outcome_label", "처리 결과", EXPORT_TEXT},
    {"notified_on", "결과 통지일", EXPORT_DATE},
    {"flag_label", "표시", EXPORT_TEXT},
};
static const struct export_spec case_export =
    EXPORT_SPEC("cases", "기업애로 목록", case_cols, false);
static const struct export_spec overdue_export =
    EXPORT_SPEC("cases-overdue", "처리 기한이 지난 기업애로", case_cols, false);

static void list_page(struct request *rq, struct response *rs, bool overdue_only)
{
	json_t *fields = json_object();
	struct case_filter f = {0};
	const char *status = rq_query(rq, "status");
	const char *category = rq_query(rq, "category");
	const char *channel = rq_query(rq, "channel");
	const char *dept = rq_query(rq, "department");
	const char *assignee = rq_query(rq, "assignee");
	const char *year = rq_query(rq, "year");
	const char *quarter = rq_query(rq, "quarter");
	const char *overdue = rq_query(rq, "overdue");
	const char *flag = rq_query(rq, "flag");
	const char *q = rq_query(rq, "q");
	const char *sort = rq_query(rq, "sort");
	const char *order = rq_query(rq, "order");
	const char *page = rq_query(rq, "page");
	const char *company = rq_query(rq, "company");
	const char *closed_from = rq_query(rq, "closed_from");
	const char *closed_to = rq_query(rq, "closed_to");
	const char *mine = rq_query(rq, "mine");
	bool bad = false;

	if (status && *status && strcmp(status, "open") && strcmp(status, "closed") &&
	    case_label("status", status) == NULL)
		json_object_set_new(fields, "status", json_string("상태를 목록에서 골라 주세요."));
	f.status = status;
	f.category_id = case_parse_id(category);
	if (category && *category && f.category_id == 0)
		json_object_set_new(fields, "category",
		                    json_string("분야를 목록에서 골라 주세요."));
	if (channel && *channel && case_label("channel", channel) == NULL)
		json_object_set_new(fields, "channel",
		                    json_string("접수 경로를 목록에서 골라 주세요."));
	f.channel = channel;
	f.department_id = case_parse_id(dept);
	if (dept && *dept && f.department_id == 0)
		json_object_set_new(fields, "department",
		                    json_string("부서를 목록에서 골라 주세요."));
	if (assignee && strcmp(assignee, "none") == 0)
		f.assignee_id = -1;
	else if (assignee && strcmp(assignee, "me") == 0)
		f.assignee_id = rq->user.id;
	else {
		f.assignee_id = case_parse_id(assignee);
		if (assignee && *assignee && f.assignee_id == 0)
			json_object_set_new(fields, "assignee",
			                    json_string("담당자를 목록에서 골라 주세요."));
	}
	f.year = parse_small(year, 2000, 9998, &bad);
	if (bad)
		json_object_set_new(fields, "year", json_string("연도는 2024처럼 입력해 주세요."));
	bad = false;
	f.quarter = parse_small(quarter, 1, 4, &bad);
	if (bad || (f.quarter && !f.year))
		json_object_set_new(fields, "quarter",
		                    json_string("분기는 1~4 중에서, 연도와 함께 골라 주세요."));
	f.overdue = overdue_only || (overdue && strcmp(overdue, "1") == 0);
	bool flag_ok = flag == NULL || *flag == '\0';
	for (size_t i = 0; i < BZ_ARRAY_LEN(flag_filters); i++)
		if (flag && strcmp(flag, flag_filters[i][0]) == 0)
			flag_ok = true;
	if (!flag_ok)
		json_object_set_new(fields, "flag", json_string("표시를 목록에서 골라 주세요."));
	f.flag = flag;
	f.q = q;
	f.sort = sort;
	bool sort_ok = sort == NULL || *sort == '\0';
	for (size_t i = 0; i < BZ_ARRAY_LEN(sort_options); i++)
		if (sort && strcmp(sort, sort_options[i][0]) == 0)
			sort_ok = true;
	if (!sort_ok)
		json_object_set_new(fields, "sort", json_string("정렬을 목록에서 골라 주세요."));
	if (order && *order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
		json_object_set_new(fields, "order",
		                    json_string("정렬 방향은 오름차순 또는 내림차순입니다."));
	f.desc = order && strcmp(order, "desc") == 0;
	(void)page;
	if (!web_paging(rq, rs, CASE_PAGE_SIZE, 100, &f.page, &f.per_page)) {
		json_decref(fields);
		return;
	}
	f.company_id = case_parse_id(company);
	closed_range(closed_from, closed_to, fields);
	f.closed_from = closed_from;
	f.closed_to = closed_to;
	/* 내 사건: assigned to me or taken in by me */
	bool mine_on = mine && strcmp(mine, "1") == 0;
	if (mine && *mine && !mine_on)
		json_object_set_new(
		    fields, "mine",
		    json_string("‘내 사건만’은 켜거나(1) 끄는 것만 고를 수 있습니다."));
	f.involved_id = mine_on ? rq->user.id : 0;

	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, overdue_only ? &overdue_export : &case_export, &xw)) {
		if (xw) {
			f.each = export_row_cb;
			f.each_ctx = xw;
			web_export_end(rq, rs, xw,
			               json_object_size(fields)
			                   ? BZ_ERR_INVALID
			                   : case_list(rq->db, &rq->user, &f, NULL, NULL, fields));
		}
		json_decref(fields);
		return;
	}

	json_t *rows = NULL;
	int64_t total = 0;
	bz_rc rc = json_object_size(fields)
	               ? BZ_ERR_INVALID
	               : case_list(rq->db, &rq->user, &f, &rows, &total, fields);
	if (rc != BZ_OK && rc != BZ_ERR_INVALID) {
		json_decref(fields);
		web_error(rs, 500, "internal", "기업애로 목록을 읽지 못했습니다.");
		return;
	}
	if (rows == NULL)
		rows = json_array();

	/* the filters, as they are, for links that keep them */
	struct buf base;
	buf_init(&base, 4096);
	qs_add(&base, "status", status);
	qs_add(&base, "category", category);
	qs_add(&base, "channel", channel);
	qs_add(&base, "department", dept);
	qs_add(&base, "assignee", assignee);
	qs_add(&base, "year", year);
	qs_add(&base, "quarter", quarter);
	qs_add(&base, "closed_from", closed_from);
	qs_add(&base, "closed_to", closed_to);
	qs_add(&base, "mine", mine_on ? "1" : NULL);
	if (!overdue_only)
		qs_add(&base, "overdue", f.overdue ? "1" : NULL);
	qs_add(&base, "flag", flag);
	qs_add(&base, "q", q);
	qs_add(&base, "company", company);
	qs_add(&base, "sort", sort);
	qs_add(&base, "order", order);
	const char *path = overdue_only ? "/cases/overdue" : "/cases";
	int64_t pages = total == 0 ? 1 : (total + f.per_page - 1) / f.per_page;
	json_t *pager = json_object();
	char link[4200];
	const char *qs = buf_cstr(&base) ? buf_cstr(&base) : "";
	if (f.page > 1) {
		snprintf(link, sizeof(link), "%s%s%spage=%d", path, qs, *qs ? "&" : "?",
		         f.page - 1);
		json_object_set_new(pager, "prev", json_string(link));
	}
	if (f.page < pages) {
		snprintf(link, sizeof(link), "%s%s%spage=%d", path, qs, *qs ? "&" : "?",
		         f.page + 1);
		json_object_set_new(pager, "next", json_string(link));
	}
	snprintf(link, sizeof(link), "%s%s", path, qs);
	json_object_set_new(pager, "self", json_string(link));
	buf_free(&base);

	json_t *cats = NULL, *depts = NULL, *users = NULL;
	if (case_categories(rq->db, true, &cats) != BZ_OK)
		cats = json_array();
	if (case_departments(rq->db, &depts) != BZ_OK)
		depts = json_array();
	if (case_assignees(rq->db, &users) != BZ_OK)
		users = json_array();
	json_t *status_opts = json_array();
	json_array_append_new(status_opts, json_pack("{s:s, s:s, s:b}", "value", "open", "label",
	                                             "처리 중인 건 전체", "selected",
	                                             status && strcmp(status, "open") == 0));
	json_array_append_new(status_opts, json_pack("{s:s, s:s, s:b}", "value", "closed", "label",
	                                             "종결된 건 전체", "selected",
	                                             status && strcmp(status, "closed") == 0));
	json_t *codes = mark(case_vocab_json("status"), status);
	json_array_extend(status_opts, codes);
	json_decref(codes);
	json_t *assignee_opts = id_options(users, "name", assignee);
	json_array_insert_new(assignee_opts, 0,
	                      json_pack("{s:s, s:s, s:b}", "value", "none", "label", "미지정",
	                                "selected", assignee && strcmp(assignee, "none") == 0));
	json_array_insert_new(assignee_opts, 0,
	                      json_pack("{s:s, s:s, s:b}", "value", "me", "label", "나", "selected",
	                                assignee && strcmp(assignee, "me") == 0));
	json_t *quarter_opts = json_array();
	for (int i = 1; i <= 4; i++) {
		char v[2] = {(char)('0' + i), 0}, l[16];
		snprintf(l, sizeof(l), "%d분기", i);
		json_array_append_new(quarter_opts,
		                      json_pack("{s:s, s:s, s:b}", "value", v, "label", l,
		                                "selected", quarter && strcmp(quarter, v) == 0));
	}
	json_t *m =
	    json_pack("{s:o, s:I, s:i, s:I, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}, "
	              "s:{s:s, s:s, s:s, s:b, s:s}, s:b, s:b, s:o}",
	              "cases", rows, "total", (json_int_t)total, "page_no", f.page, "pages",
	              (json_int_t)pages, "pager", pager, "errors", json_copy(fields), "options",
	              "status", status_opts, "category", id_options(cats, "name", category),
	              "channel", mark(case_vocab_json("channel"), channel), "department",
	              id_options(depts, "name", dept), "assignee", assignee_opts, "quarter",
	              quarter_opts, "flag", pairs(flag_filters, BZ_ARRAY_LEN(flag_filters), flag),
	              "sort", pairs(sort_options, BZ_ARRAY_LEN(sort_options), sort), "values", "q",
	              q ? q : "", "year", year ? year : "", "order", order ? order : "", "overdue",
	              f.overdue, "company", company ? company : "", "overdue_page", overdue_only,
	              "can_create", case_may(&rq->user, CASE_ACT_CREATE), "filtered",
	              json_boolean(rq->query.n > 0 && !(rq->query.n == 1 && page)));
	json_object_set_new(json_object_get(m, "options"), "order",
	                    pairs(order_options, BZ_ARRAY_LEN(order_options), order));
	json_object_set_new(m, "mine_first", json_boolean(rq->user.role == ROLE_DEPARTMENT));
	json_t *values = json_object_get(m, "values");
	json_object_set_new(values, "closed_from", json_string(closed_from ? closed_from : ""));
	json_object_set_new(values, "closed_to", json_string(closed_to ? closed_to : ""));
	json_object_set_new(values, "mine", json_boolean(mine_on));
	/* the card's 기업SOS처리 실적: say what is being listed */
	bool closed = (closed_from && *closed_from) || (closed_to && *closed_to);
	json_object_set_new(m, "done_in_period",
	                    json_boolean(closed && status && strcmp(status, "done") == 0 &&
	                                 json_object_size(fields) == 0));
	const char *more[] = {status,  category, channel,     dept,      assignee, year,
	                      quarter, flag,     closed_from, closed_to, sort,     order};
	bool more_open = (f.overdue && !overdue_only) || mine_on;
	for (size_t i = 0; i < BZ_ARRAY_LEN(more); i++)
		more_open |= more[i] && *more[i];
	json_object_set_new(m, "more_open", json_boolean(more_open));
	web_export_links(rq, m, overdue_only ? &overdue_export : &case_export);
	web_next_cursor(m, f.page, pages);
	const char *title = overdue_only ? "처리 기한이 지난 기업애로" : "기업애로 목록";
	if (rc == BZ_ERR_INVALID)
		web_invalid(rs, "cases/list", title, m, fields);
	else {
		json_decref(fields);
		web_page(rs, "cases/list", title, m);
	}
}

void web_cases_list(struct request *rq, struct response *rs)
{
	list_page(rq, rs, false);
}

void web_cases_overdue(struct request *rq, struct response *rs)
{
	list_page(rq, rs, true);
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
	json_t *flag_opts = mark(case_vocab_json("flag"), flag);
	json_array_insert_new(flag_opts, 0,
	                      json_pack("{s:s, s:s, s:b}", "value", "", "label", "없음", "selected",
	                                flag == NULL || *flag == '\0'));
	json_t *m = json_pack(
	    "{s:o, s:o?, s:o?, s:o?, s:s?, s:{s:o, s:o, s:o, s:o}, s:s, s:{}, s:b}", "values",
	    values, "company", company, "matches", matches, "repeats", repeats, "lookup_error",
	    lookup_msg, "options", "category", id_options(cats, "name", category_id), "channel",
	    mark(case_vocab_json("channel"), get(rq, "channel")), "triage",
	    mark(case_vocab_json("triage"), triage && *triage ? triage : "single"), "flag",
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

/* What the current user may do on this case: {can: {...}, transitions: [...]}. */
static void add_permissions(const struct request *rq, json_t *m)
{
	json_t *c = json_object_get(m, "case");
	const char *status = json_string_value(json_object_get(c, "status"));
	bool merged = json_is_true(json_object_get(c, "merged"));
	bool open = json_is_true(json_object_get(c, "open"));
	const struct user *u = &rq->user;
	json_t *simple = json_array();
	bool complete = false, transfer = false, withdraw = false, reopen = false;
	for (size_t i = 0; !merged && i < case_transition_count; i++) {
		const struct case_transition *t = &case_transitions[i];
		if (strcmp(t->from, status) != 0 || !(t->roles & u->role) ||
		    (t->needs & CASE_BY_REFERRAL))
			continue;
		if (t->needs & CASE_NEED_COMPLETION)
			complete = true;
		else if (t->needs & CASE_NEED_TRANSFER)
			transfer = true;
		else if (strcmp(t->to, "withdrawn") == 0)
			withdraw = true;
		else if (t->needs & CASE_NEED_REASON)
			reopen = true;
		else
			json_array_append_new(simple, json_pack("{s:s, s:s}", "to", t->to, "label",
			                                        case_label("status", t->to)));
	}
	bool any_answer = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(m, "referrals"), i, x)
	{
		bool may =
		    !merged && case_may(u, CASE_ACT_ANSWER) &&
		    (u->role != ROLE_DEPARTMENT || json_is_true(json_object_get(x, "mine"))) &&
		    !json_is_true(json_object_get(x, "is_returned"));
		json_object_set_new(x, "can_answer", json_boolean(may));
		json_object_set_new(
		    x, "can_return",
		    json_boolean(may && json_is_true(json_object_get(x, "is_open"))));
		json_object_set_new(x, "can_resend",
		                    json_boolean(!merged && open && case_may(u, CASE_ACT_REFER) &&
		                                 json_is_true(json_object_get(x, "is_returned"))));
		json_object_set_new(x, "can_change_owner",
		                    json_boolean(!merged && case_may(u, CASE_ACT_REFERRAL_OWNER) &&
		                                 json_is_true(json_object_get(x, "is_open"))));
		any_answer |= may;
	}
	bool extended = json_is_true(json_object_get(c, "extended"));
	json_t *can = json_pack(
	    "{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
	    "status", json_array_size(simple) > 0, "complete", complete, "transfer", transfer,
	    "withdraw", withdraw, "reopen", reopen, "triage",
	    !merged && case_may(u, CASE_ACT_TRIAGE), "assign_any",
	    !merged && u->role == ROLE_LEADER, "take",
	    !merged && u->role == ROLE_STAFF &&
	        json_integer_value(json_object_get(c, "assignee_id")) != u->id,
	    "refer", !merged && open && case_may(u, CASE_ACT_REFER), "extend",
	    !merged && open && !extended && case_may(u, CASE_ACT_EXTEND), "notify",
	    !merged && case_may(u, CASE_ACT_NOTIFY), "note", !merged && case_may(u, CASE_ACT_NOTE),
	    "attach", !merged && case_may(u, CASE_ACT_ATTACH), "merge",
	    !merged && case_may(u, CASE_ACT_MERGE), "answer", any_answer, "write",
	    !merged && (u->role & (ROLE_STAFF | ROLE_LEADER)));
	json_object_set_new(can, "view_company", json_boolean(u->role != ROLE_DEPARTMENT));
	json_object_set_new(can, "edit", json_boolean(!merged && case_may(u, CASE_ACT_EDIT)));
	json_object_set_new(can, "transfer_answer",
	                    json_boolean(!merged && strcmp(status, "transferred") == 0 &&
	                                 case_may(u, CASE_ACT_TRANSFER_ANSWER)));
	json_object_set_new(m, "can", can);
	json_object_set_new(m, "transitions", simple);
	json_object_set_new(
	    m, "read_only",
	    json_boolean(merged || !(u->role & (ROLE_STAFF | ROLE_LEADER | ROLE_DEPARTMENT))));
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
static json_t *show_model(struct request *rq, struct response *rs, int64_t id)
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
	add_permissions(rq, m);
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
		json_object_set_new(m, "departments", id_options(depts, "name", NULL));
		json_object_set_new(m, "assignees", id_options(users, "name", cur));
	}
	add_owner_options(rq, m);
	const char *triage = json_string_value(json_object_get(c, "triage"));
	const char *flag = json_string_value(json_object_get(c, "flag"));
	json_t *flag_opts = mark(case_vocab_json("flag"), flag);
	json_array_insert_new(
	    flag_opts, 0,
	    json_pack("{s:s, s:s, s:b}", "value", "", "label", "없음", "selected", flag == NULL));
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_object_set_new(m, "options",
	                    json_pack("{s:o, s:o, s:o, s:o, s:o}", "triage",
	                              mark(case_vocab_json("triage"), triage), "flag", flag_opts,
	                              "disposition", case_vocab_json("disposition"), "outcome",
	                              case_vocab_json("outcome"), "notified_method",
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
	json_t *m = show_model(rq, rs, rq_param_id(rq, "id"));
	if (m == NULL)
		return;
	char title[600];
	page_title(m, title, sizeof(title));
	web_page(rs, "cases/show", title, m);
}

/* Answers a write on case id: redirect on success, the page with field errors
 * (422), the current values (409), or an error. Takes fields. */
static void write_outcome(struct request *rq, struct response *rs, int64_t id, const char *form,
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
	json_t *m = show_model(rq, rs, id);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	char title[600];
	page_title(m, title, sizeof(title));
	json_object_set_new(json_object_get(m, "form_values"), form, form_values(rq));
	if (rc == BZ_ERR_CONFLICT) {
		json_decref(fields);
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
		mark(json_object_get(opts, keep[i]), rq_form(rq, keep[i]));
	size_t gi;
	json_t *g;
	json_array_foreach(json_object_get(m, "owner_groups"), gi, g)
	    mark(json_object_get(g, "options"), rq_form(rq, "lead_owner"));
	json_object_set(json_object_get(m, "form_errors"), form, fields);
	json_object_set_new(m, "form_failed", json_pack("{s:b}", form, 1));
	web_invalid(rs, "cases/show", title, m, fields);
}

/* The common start of a write: the case id and the version; false (rs filled
 * with 404 or 422) if either is missing. */
static bool write_start(struct request *rq, struct response *rs, const char *form, int64_t *id,
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
		write_outcome(rq, rs, *id, form, BZ_ERR_INVALID, *fields, NULL, NULL);
		return false;
	}
	return true;
}

void web_case_status(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	const char *to = rq_form(rq, "to");
	const char *form = to && strcmp(to, "done") == 0          ? "complete"
	                   : to && strcmp(to, "transferred") == 0 ? "transfer"
	                   : to && strcmp(to, "withdrawn") == 0   ? "withdraw"
	                                                          : "status";
	if (!write_start(rq, rs, form, &id, &version, &fields))
		return;
	struct case_status_input in = {
	    .to = to,
	    .reason = rq_form(rq, "reason"),
	    .disposition = rq_form(rq, "disposition"),
	    .outcome = rq_form(rq, "outcome"),
	    .outcome_reason = rq_form(rq, "outcome_reason"),
	    .notified_method = rq_form(rq, "notified_method"),
	    .notified_on = rq_form(rq, "notified_on"),
	    .transfer_to = rq_form(rq, "transfer_to"),
	    .transfer_on = rq_form(rq, "transfer_on"),
	    .transfer_answer = rq_form(rq, "transfer_answer"),
	};
	char msg[512] = "";
	/* 결과 통지: completing with the result sent to a consenting contact */
	const char *how = rq_form(rq, "result_contact");
	bz_rc rc =
	    strcmp(form, "complete") == 0 && how && *how
	        ? result_notice_complete(rq->db, &rq->user, id, version, &in, how, fields, msg,
	                                 sizeof(msg))
	        : case_set_status(rq->db, &rq->user, id, version, &in, fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, form, rc, fields, msg, "case_status");
}

void web_case_triage(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "triage", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_set_triage(rq->db, &rq->user, id, version, rq_form(rq, "triage"),
	                           rq_form(rq, "flag"), fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "triage", rc, fields, msg, "case_saved");
}

void web_case_assign(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "assign", &id, &version, &fields))
		return;
	char msg[512] = "";
	const char *a = rq_form(rq, "assignee");
	char self[32];
	if (a && strcmp(a, "me") == 0) {
		snprintf(self, sizeof(self), "%lld", (long long)rq->user.id);
		a = self;
	}
	bz_rc rc = case_assign(rq->db, &rq->user, id, version, a, fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "assign", rc, fields, msg, "case_assigned");
}

#define COOP_MAX 21

void web_case_refer(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "refer", &id, &version, &fields))
		return;
	/* coop may repeat (checkboxes) or be one comma-separated value (API) */
	const char *coops[COOP_MAX];
	size_t n = 0;
	char *copies[COOP_MAX];
	size_t ncopies = 0;
	for (size_t i = 0; i < rq->form.n && n < COOP_MAX; i++) {
		if (strcmp(rq->form.items[i].key, "coop") != 0)
			continue;
		const char *v = rq->form.items[i].value;
		if (strchr(v, ',') == NULL) {
			coops[n++] = v;
			continue;
		}
		char *dup = strdup(v);
		if (dup == NULL || ncopies >= COOP_MAX) {
			free(dup);
			continue;
		}
		copies[ncopies++] = dup;
		char *save = NULL;
		for (char *t = strtok_r(dup, ",", &save); t && n < COOP_MAX;
		     t = strtok_r(NULL, ",", &save))
			coops[n++] = t;
	}
	/* an owner chosen in advance: lead_owner for the lead; owner_<department
	 * id> for any referred department (the API) */
	const char *owners[COOP_MAX];
	char key[48];
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "owner_%s", coops[i]);
		owners[i] = rq_form(rq, key);
	}
	const char *lead = rq_form(rq, "lead");
	const char *lead_owner = rq_form(rq, "lead_owner");
	if ((lead_owner == NULL || *lead_owner == '\0') && lead && *lead) {
		snprintf(key, sizeof(key), "owner_%s", lead);
		lead_owner = rq_form(rq, key);
	}
	struct case_refer_input in = {
	    .lead = lead,
	    .lead_owner = lead_owner,
	    .coops = coops,
	    .coop_owners = owners,
	    .ncoops = n,
	    .due_on = rq_form(rq, "referral_due_on"),
	};
	char msg[512] = "";
	bz_rc rc = case_refer_to(rq->db, &rq->user, id, version, &in, fields, msg, sizeof(msg));
	for (size_t i = 0; i < ncopies; i++)
		free(copies[i]);
	write_outcome(rq, rs, id, "refer", rc, fields, msg, "case_referred");
}

void web_case_referral_answer(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "answer", &id, &version, &fields))
		return;
	int64_t rid = rq_param_id(rq, "rid");
	char msg[512] = "";
	const char *action = rq_form(rq, "action");
	bz_rc rc = rid > 0 ? case_referral_answer(rq->db, &rq->user, id, rid, version, action,
	                                          rq_form(rq, "answer"), fields, msg, sizeof(msg))
	                   : BZ_ERR_NOTFOUND;
	write_outcome(rq, rs, id, "answer", rc, fields, msg,
	              action && strcmp(action, "return") == 0 ? "referral_returned"
	                                                      : "referral_answered");
}

void web_case_referral_resend(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "resend", &id, &version, &fields))
		return;
	int64_t rid = rq_param_id(rq, "rid");
	char msg[512] = "";
	bz_rc rc = rid > 0 ? case_referral_resend(
	                         rq->db, &rq->user, id, rid, version, rq_form(rq, "department"),
	                         rq_form(rq, "referral_due_on"), fields, msg, sizeof(msg))
	                   : BZ_ERR_NOTFOUND;
	write_outcome(rq, rs, id, "resend", rc, fields, msg, "case_referred");
}

void web_case_referral_owner(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "owner", &id, &version, &fields))
		return;
	int64_t rid = rq_param_id(rq, "rid");
	char msg[512] = "";
	bz_rc rc = rid > 0 ? case_referral_owner(rq->db, &rq->user, id, rid, version,
	                                         rq_form(rq, "owner"), fields, msg, sizeof(msg))
	                   : BZ_ERR_NOTFOUND;
	write_outcome(rq, rs, id, "owner", rc, fields, msg, "referral_owner");
}

void web_case_transfer_answer(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "transfer_answer", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc =
	    case_transfer_answer(rq->db, &rq->user, id, version, rq_form(rq, "transfer_answer_on"),
	                         rq_form(rq, "transfer_answer"), fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "transfer_answer", rc, fields, msg, "transfer_answered");
}

void web_case_extend(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "extend", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_extend(rq->db, &rq->user, id, version, rq_form(rq, "new_due_on"),
	                       rq_form(rq, "extension_reason"), fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "extend", rc, fields, msg, "case_extended");
}

void web_case_notify(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "notify", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_notify(rq->db, &rq->user, id, version, rq_form(rq, "notified_method"),
	                       rq_form(rq, "notified_on"), fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "notify", rc, fields, msg, "case_notified");
}

void web_case_note(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "note", &id, &version, &fields))
		return;
	char msg[512] = "";
	const char *shared = rq_form(rq, "shared");
	bz_rc rc = case_note_add(rq->db, &rq->user, id, version, rq_form(rq, "body"),
	                         shared && (strcmp(shared, "1") == 0 || strcmp(shared, "on") == 0 ||
	                                    strcmp(shared, "true") == 0),
	                         fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "note", rc, fields, msg, "case_note");
}

void web_case_merge(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "merge", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_merge(rq->db, &rq->user, id, version, rq_form(rq, "into"), fields, msg,
	                      sizeof(msg));
	write_outcome(rq, rs, id, "merge", rc, fields, msg, "case_merged");
}

/* ---- attachments -------------------------------------------------------- */

#define ATTACH_MAX_BYTES ((int64_t)20 * 1024 * 1024)

void web_case_attach(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!write_start(rq, rs, "attach", &id, &version, &fields))
		return;
	const struct upload *u = rq_upload(rq, "file");
	struct case_attachment a = {0};
	unsigned char head[512];
	size_t headlen = 0;
	const char *type = NULL;
	if (u == NULL || u->size == 0) {
		json_object_set_new(fields, "file", json_string("첨부할 파일을 골라 주세요."));
	} else if (u->size > ATTACH_MAX_BYTES) {
		json_object_set_new(fields, "file",
		                    json_string("파일은 20MB까지 첨부할 수 있습니다."));
	} else if (!web_attach_hash(u->path, a.sha256, head, sizeof(head), &headlen)) {
		json_decref(fields);
		web_error(rs, 500, "internal", "파일을 읽지 못했습니다.");
		return;
	} else if ((type = case_sniff_type(head, headlen)) == NULL) {
		json_object_set_new(fields, "file", json_string(WEB_ATTACH_TYPE_MSG));
	}
	if (json_object_size(fields) > 0) {
		/* the case must exist and be visible before we say anything about the file */
		json_t *cur = NULL;
		if (case_current(rq->db, &rq->user, id, &cur) != BZ_OK) {
			json_decref(fields);
			web_error(rs, 404, "not_found",
			          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
			return;
		}
		json_decref(cur);
		write_outcome(rq, rs, id, "attach", BZ_ERR_INVALID, fields, NULL, NULL);
		return;
	}
	case_safe_filename(u->filename, a.filename, sizeof(a.filename));
	bz_strlcpy(a.content_type, type, sizeof(a.content_type));
	a.size = u->size;
	if (!web_attach_store(rq->app->cfg.data_dir, u->path, a.sha256, a.stored_path,
	                      sizeof(a.stored_path))) {
		json_decref(fields);
		web_error(rs, 500, "internal", "파일을 저장하지 못했습니다.");
		return;
	}
	char msg[512] = "";
	bz_rc rc =
	    case_attachment_add(rq->db, &rq->user, id, version, &a, fields, msg, sizeof(msg));
	write_outcome(rq, rs, id, "attach", rc, fields, msg, "case_attached");
}

void web_case_attachment(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), aid = rq_param_id(rq, "aid");
	struct case_attachment a;
	bz_rc rc = id > 0 && aid > 0 ? case_attachment_get(rq->db, &rq->user, id, aid, &a)
	                             : BZ_ERR_NOTFOUND;
	if (rc != BZ_OK) {
		if (rc == BZ_ERR_NOTFOUND)
			web_error(rs, 404, "not_found", "그런 첨부파일이 없습니다.");
		else
			web_error(rs, 500, "internal", "첨부파일을 읽지 못했습니다.");
		return;
	}
	char full[PATH_MAX];
	int n = snprintf(full, sizeof(full), "%s/%s", rq->app->cfg.data_dir, a.stored_path);
	int fd = n > 0 && (size_t)n < sizeof(full) && strstr(a.stored_path, "..") == NULL
	             ? open(full, O_RDONLY | O_CLOEXEC)
	             : -1;
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		LOG_ERROR("attachment %lld missing: %s", (long long)aid, full);
		web_error(rs, 404, "not_found",
		          "첨부파일이 저장소에 없습니다. 관리자에게 알려 주세요.");
		return;
	}
	rs->status = 200;
	rs->fd = fd;
	rs->fd_size = sb.st_size;
	bz_strlcpy(rs->content_type, a.content_type, sizeof(rs->content_type));
	/* ASCII fallback name plus the UTF-8 name (RFC 6266 / 5987) */
	struct buf h;
	buf_init(&h, 2048);
	buf_puts(&h, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)a.filename; *p; p++)
		buf_putc(&h, *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_');
	buf_puts(&h, "\"; filename*=UTF-8''");
	url_encode(&h, a.filename);
	if (buf_cstr(&h))
		kv_add(&rs->headers, "Content-Disposition", buf_cstr(&h), h.len);
	buf_free(&h);
	kv_add(&rs->headers, "X-Content-Type-Options", "nosniff", 7);
	kv_add(&rs->headers, "Cache-Control", "private, no-store", 17);
}

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
		json_object_set_new(m, "values", form_values(rq));
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
