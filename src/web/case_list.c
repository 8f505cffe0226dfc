/* The case list and the overdue list, with their filters, pager and the
 * CSV/XLSX export. */
#include "bizsos/app.h"
#include "bizsos/kst.h"
#include "bizsos/sos_case.h"
#include "web_cases.h"
#include "web_export.h"
#include "cases_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void qs_add(struct buf *b, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_putc(b, b->len == 0 ? '?' : '&');
	buf_puts(b, key);
	buf_putc(b, '=');
	buf_url_encode(b, value, NULL);
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
	/* ?page= for the browser's pager; ?cursor= (next_cursor) and ?limit= */
	json_t *after = NULL, *next_key = NULL;
	if (!web_keyset(rq, rs, "isi", CASE_PAGE_SIZE, 100, &after, &f.per_page)) {
		json_decref(fields);
		return;
	}
	{
		char *end = NULL;
		long pg = page && *page ? strtol(page, &end, 10) : 1;
		f.page = end && *end ? 1 : pg < 1 ? 1 : pg > 1000000 ? 1000000 : (int)pg;
	}
	f.after = after;
	f.next_key = &next_key;
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
		json_decref(after);
		return;
	}

	json_t *rows = NULL;
	int64_t total = 0;
	bz_rc rc = json_object_size(fields)
	               ? BZ_ERR_INVALID
	               : case_list(rq->db, &rq->user, &f, &rows, &total, fields);
	json_decref(after);
	if (rc != BZ_OK && rc != BZ_ERR_INVALID) {
		json_decref(next_key);
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
	json_t *codes = cases_mark(case_vocab_json("status"), status);
	json_array_extend(status_opts, codes);
	json_decref(codes);
	json_t *assignee_opts = cases_id_options(users, "name", assignee);
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
	              "status", status_opts, "category", cases_id_options(cats, "name", category),
	              "channel", cases_mark(case_vocab_json("channel"), channel), "department",
	              cases_id_options(depts, "name", dept), "assignee", assignee_opts, "quarter",
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
	if (next_key)
		json_object_set_new(m, "next_key", next_key);
	web_keyset_next(rq, m, f.per_page);
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
