/* Activities: the filterable list, the month calendar, counts per type, the
 * anniversary reminders, the form, the page with photos and one-stop
 * decisions, photo upload and download, and the admin's activity types. */
#include "bizsos/activity.h"
#include "bizsos/kst.h"
#include "bizsos/app.h"
#include "bizsos/company.h"
#include "bizsos/sos_case.h"
#include "web_export.h"
#include "web_field.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checks each option whose id is among vals (checkboxes kept across a re-render). */
static void mark_checked(json_t *opts, const char *const *vals, size_t n)
{
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o)
	{
		char buf[32];
		snprintf(buf, sizeof(buf), "%lld",
		         (long long)json_integer_value(json_object_get(o, "id")));
		bool on = false;
		for (size_t k = 0; k < n; k++)
			on = on || strcmp(vals[k], buf) == 0;
		json_object_set_new(o, "checked", json_boolean(on));
	}
}

/* Staff and leaders who can be named as having gone: [{id, name}] ([] when
 * they cannot be read). */
static json_t *staff_options(struct db *db)
{
	json_t *a = NULL;
	return activity_staff(db, &a) == BZ_OK ? a : json_array();
}

static json_t *year_options(int sel)
{
	json_t *a = json_array();
	int y = kst_year();
	for (int v = y; v >= 2020; v--)
		json_array_append_new(a, json_pack("{s:i, s:b}", "value", v, "selected", v == sel));
	return a;
}

static json_t *month_options(int sel)
{
	json_t *a = json_array();
	for (int m = 1; m <= 12; m++) {
		char label[16];
		snprintf(label, sizeof(label), "%d월", m);
		json_array_append_new(a, json_pack("{s:i, s:s, s:b}", "value", m, "label", label,
		                                   "selected", m == sel));
	}
	return a;
}

static bool can_write(const struct request *rq)
{
	return web_route_allows(rq->user.role, HTTP_POST, "/activities");
}

/* ---- GET /activities ------------------------------------------------------ */

/* The columns of the activity list's CSV and XLSX. */
static const struct export_col activity_cols[] = {
    {"held_on", "일자", EXPORT_DATE},    {"time_text", "시간", EXPORT_TEXT},
    {"type", "유형", EXPORT_TEXT},       {"display_title", "제목", EXPORT_TEXT},
    {"place", "장소", EXPORT_TEXT},      {"companies", "기업", EXPORT_TEXT},
    {"staff", "참석 직원", EXPORT_TEXT}, {"photos", "사진", EXPORT_INT},
    {"cases", "접수 애로", EXPORT_INT},
};
static const struct export_spec activity_export =
    EXPORT_SPEC("activities", "활동 기록", activity_cols, false);

void web_activities(struct request *rq, struct response *rs)
{
	json_t *fields = json_object();
	long type = field_query_int(rq, "type", 0, 1, 1000000000);
	long year = field_query_int(rq, "year", 0, 2000, 2100);
	long month = field_query_int(rq, "month", 0, 1, 12);
	long company = field_query_int(rq, "company", 0, 1, 2000000000);
	long staff = field_query_int(rq, "staff", 0, 1, 2000000000);
	long page = field_query_int(rq, "page", 1, 1, 100000);
	if (type < 0) {
		json_object_set_new(fields, "type",
		                    json_string("활동 유형을 목록에서 골라 주세요."));
		type = 0;
	}
	if (year < 0) {
		json_object_set_new(fields, "year", json_string("연도를 목록에서 골라 주세요."));
		year = 0;
	}
	if (month < 0 || (month > 0 && year == 0)) {
		json_object_set_new(fields, "month",
		                    json_string(month < 0 ? "월을 목록에서 골라 주세요."
		                                          : "월을 고르려면 연도도 골라 주세요."));
		month = 0;
	}
	if (company < 0)
		company = 0;
	if (staff < 0)
		staff = 0;
	if (page < 0)
		page = 1;
	struct activity_filter f = {type, (int)year, (int)month, company, staff, (int)page};
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &activity_export, &xw)) {
		if (xw) {
			f.each = export_row_cb;
			f.each_ctx = xw;
			web_export_end(rq, rs, xw,
			               json_object_size(fields) ? BZ_ERR_INVALID
			                                        : activity_list(rq->db, &f, NULL));
		}
		json_decref(fields);
		return;
	}
	json_t *after = NULL;
	int limit = 0;
	if (!web_keyset(rq, rs, "ssi", ACTIVITY_PAGE_SIZE, 100, &after, &limit)) {
		json_decref(fields);
		return;
	}
	f.after = after;
	f.limit = limit;
	json_t *list = NULL, *types = NULL;
	bz_rc lrc = activity_list(rq->db, &f, &list);
	json_decref(after);
	if (lrc != BZ_OK || activity_types(rq->db, false, &types) != BZ_OK) {
		json_decref(list);
		json_decref(fields);
		field_db_fail(rs, "활동 목록을");
		return;
	}
	char sel[32];
	snprintf(sel, sizeof(sel), "%ld", type);
	field_mark_selected(types, "id", sel);
	json_t *staff_opts = staff_options(rq->db);
	snprintf(sel, sizeof(sel), "%ld", staff);
	field_mark_selected(staff_opts, "id", sel);
	/* the query string of the current filters, for the pager links */
	char qs[256] = "";
	size_t used = 0;
	const struct {
		const char *k;
		long v;
	} parts[] = {{"type", type},
	             {"year", year},
	             {"month", month},
	             {"company", company},
	             {"staff", staff}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(parts); i++)
		if (parts[i].v > 0 && used < sizeof(qs))
			used += (size_t)snprintf(qs + used, sizeof(qs) - used, "%s=%ld&",
			                         parts[i].k, parts[i].v);
	json_int_t pg = json_integer_value(json_object_get(list, "page_no"));
	json_int_t pages = json_integer_value(json_object_get(list, "pages"));
	json_t *pager = json_object();
	char href[320];
	if (pg > 1) {
		snprintf(href, sizeof(href), "/activities?%spage=%lld", qs, (long long)pg - 1);
		json_object_set_new(pager, "prev", json_string(href));
	}
	if (pg < pages) {
		snprintf(href, sizeof(href), "/activities?%spage=%lld", qs, (long long)pg + 1);
		json_object_set_new(pager, "next", json_string(href));
	}
	json_object_set_new(list, "pager", pager);
	json_object_set_new(list, "types", types);
	json_object_set_new(list, "staff_options", staff_opts);
	json_object_set_new(list, "years", year_options((int)year));
	json_object_set_new(list, "months", month_options((int)month));
	json_object_set_new(list, "filtered",
	                    json_boolean(type || year || month || company || staff));
	json_object_set_new(list, "can_create", json_boolean(can_write(rq)));
	json_object_set_new(list, "values", json_pack("{s:I}", "company", (json_int_t)company));
	if (company > 0) {
		json_t *c = NULL;
		if (company_get(rq->db, company, &c) == BZ_OK)
			json_object_set_new(list, "company", c);
	}
	json_object_set_new(list, "errors", fields);
	web_keyset_next(rq, list, limit);
	web_export_links(rq, list, &activity_export);
	field_page(rs, "activities/list", "활동 기록", list);
}

/* ---- GET /activities/calendar --------------------------------------------- */

void web_activities_calendar(struct request *rq, struct response *rs)
{
	int32_t today_d = kst_today_day();
	int ty, tm, td;
	date_to_ymd(today_d, &ty, &tm, &td);
	long year = field_query_int(rq, "year", ty, 2000, 2100);
	long month = field_query_int(rq, "month", tm, 1, 12);
	if (year < 0 || month < 0) {
		web_error(rs, 400, "bad_month",
		          "연도(2000~2100)와 월(1~12)을 숫자로 지정해 주세요. 예: "
		          "/activities/calendar?year=2024&month=5");
		return;
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_t *cal = NULL;
	if (activity_calendar(rq->db, (int)year, (int)month, today, &cal) != BZ_OK) {
		field_db_fail(rs, "달력을");
		return;
	}
	json_object_set_new(cal, "can_create", json_boolean(can_write(rq)));
	json_object_set_new(cal, "this_month", json_pack("{s:i, s:i}", "year", ty, "month", tm));
	char title[96];
	snprintf(title, sizeof(title), "활동 달력 %d년 %d월", (int)year, (int)month);
	field_page(rs, "activities/calendar", title, cal);
}

/* ---- GET /activities/stats ------------------------------------------------ */

void web_activities_stats(struct request *rq, struct response *rs)
{
	long year = field_query_int(rq, "year", kst_year(), 2000, 2100);
	if (year < 0) {
		web_error(rs, 400, "bad_year", "연도는 2000~2100 사이의 숫자로 지정해 주세요.");
		return;
	}
	json_t *m = NULL;
	if (activity_stats(rq->db, (int)year, &m) != BZ_OK) {
		field_db_fail(rs, "활동 집계를");
		return;
	}
	json_object_set_new(m, "years", year_options((int)year));
	json_object_set_new(m, "prev", json_integer(year - 1));
	if (year < kst_year())
		json_object_set_new(m, "next", json_integer(year + 1));
	char title[96];
	snprintf(title, sizeof(title), "유형별 활동 실적 %d년", (int)year);
	field_page(rs, "activities/stats", title, m);
}

/* ---- anniversaries -------------------------------------------------------- */

void web_activities_anniversaries(struct request *rq, struct response *rs)
{
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_t *list = NULL;
	if (activity_anniversaries(rq->db, today, ANNIVERSARY_DAYS, &list) != BZ_OK) {
		field_db_fail(rs, "창립기념일 목록을");
		return;
	}
	json_t *m = json_pack("{s:o, s:s, s:i, s:b, s:I}", "companies", list, "today", today,
	                      "days", ANNIVERSARY_DAYS, "can_create", can_write(rq), "count",
	                      (json_int_t)json_array_size(list));
	field_page(rs, "activities/anniversaries", "창립기념일 알림", m);
}

/* POST /activities/anniversaries/letter: logs an anniversary letter handed
 * over today to company_id, by the signed-in user. */
void web_activities_letter(struct request *rq, struct response *rs)
{
	const char *company = rq_form(rq, "company_id");
	const char *years = rq_form(rq, "years");
	char type[24], today[DATE_TEXT_SIZE], title[96], me[24];
	snprintf(type, sizeof(type), "%lld",
	         (long long)activity_type_id(rq->db, "anniversary_letter"));
	kst_today(today);
	long y = years ? strtol(years, NULL, 10) : 0;
	if (y > 0 && y < 1000)
		snprintf(title, sizeof(title), "창립 %ld주년 축하서한문 전달", y);
	else
		bz_strlcpy(title, "창립기념일 축하서한문 전달", sizeof(title));
	snprintf(me, sizeof(me), "%lld", (long long)rq->user.id);
	const char *companies[1] = {company ? company : ""};
	const char *staff[1] = {me};
	struct activity_input in = {.type_id = type,
	                            .held_on = today,
	                            .title = title,
	                            .company_ids = companies,
	                            .ncompanies = 1,
	                            .staff_ids = staff,
	                            .nstaff = 1};
	json_t *fields = json_object();
	int64_t id = 0;
	bz_rc rc = company && *company ? activity_create(rq->db, &rq->user, &in, fields, &id)
	                               : BZ_ERR_INVALID;
	json_decref(fields);
	if (rc == BZ_ERR_INVALID) {
		web_error(rs, 422, "invalid",
		          "축하서한문을 기록할 기업을 찾을 수 없습니다. 목록을 새로 고쳐 주세요.");
		return;
	}
	if (rc == BZ_ERR_FORBIDDEN) {
		web_error(rs, 403, "forbidden", "활동을 기록할 권한이 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "기록하지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/activities/%lld", (long long)id);
	web_flash(rs, rq, "success", "letter_logged");
	web_redirect(rs, loc);
	rs->model = json_pack("{s:I}", "id", (json_int_t)id);
}

/* ---- the form ------------------------------------------------------------- */

#define ATTENDEE_ROWS_MIN 3

/* The form's model: choices (types, staff, agencies, agenda candidates), the
 * companies picked and found, attendee rows, and the values as typed. */
static json_t *form_model(struct request *rq, bool posted)
{
	json_t *types = NULL, *agencies = NULL, *agenda = NULL;
	activity_types(rq->db, false, &types);
	case_departments(rq->db, &agencies);
	activity_agenda_candidates(rq->db, &rq->user, &agenda);
	json_t *staff = staff_options(rq->db);
	const char *vals[ACTIVITY_LIST_MAX];
	size_t n;
	char me[24];
	snprintf(me, sizeof(me), "%lld", (long long)rq->user.id);
	if (posted) {
		n = web_form_values(rq, "staff", vals, ACTIVITY_LIST_MAX);
		mark_checked(staff, vals, n);
	} else {
		const char *mine[1] = {me};
		mark_checked(staff, mine, 1);
	}
	n = web_form_values(rq, "agency", vals, ACTIVITY_LIST_MAX);
	mark_checked(agencies ? agencies : json_array(), vals, n);
	n = web_form_values(rq, "agenda", vals, ACTIVITY_LIST_MAX);
	mark_checked(agenda ? agenda : json_array(), vals, n);
	const char *type = posted ? rq_form(rq, "type_id") : rq_query(rq, "type");
	field_mark_selected(types ? types : json_array(), "id", type);

	/* companies: the ones picked (checked boxes) plus the search results */
	json_t *picked = json_array(), *found = json_array();
	n = posted ? web_form_values(rq, "company_id", vals, ACTIVITY_LIST_MAX) : 0;
	const char *qc = rq_query(rq, "company");
	if (!posted && qc)
		vals[n++] = qc;
	for (size_t i = 0; i < n; i++) {
		json_t *c = NULL;
		int64_t cid = strtoll(vals[i], NULL, 10);
		if (cid > 0 && company_get(rq->db, cid, &c) == BZ_OK) {
			json_array_append_new(
			    picked,
			    json_pack("{s:O, s:O, s:O, s:b}", "id", json_object_get(c, "id"),
			              "name", json_object_get(c, "name"), "brn_text",
			              json_object_get(c, "brn_text"), "checked", 1));
			json_decref(c);
		}
	}
	json_t *errors = json_object();
	const char *q = posted ? rq_form(rq, "company_q") : NULL;
	if (q && *q) {
		json_t *res = NULL;
		const char *msg = NULL;
		if (company_lookup(rq->db, q, &res, &msg) == BZ_OK) {
			size_t i;
			json_t *c;
			json_array_foreach(res, i, c)
			{
				bool dup = false;
				size_t k;
				json_t *p;
				json_array_foreach(picked, k, p) dup =
				    dup ||
				    json_equal(json_object_get(p, "id"), json_object_get(c, "id"));
				if (!dup)
					json_array_append(found, c);
			}
			json_decref(res);
			if (json_array_size(found) == 0 && json_array_size(picked) == 0)
				json_object_set_new(
				    errors, "company_q",
				    json_string("찾는 기업이 없습니다. 이름이나 사업자등록번호를 "
				                "확인해 주세요."));
		} else {
			json_object_set_new(errors, "company_q",
			                    json_string(msg ? msg : "검색어를 확인해 주세요."));
		}
	}

	/* attendee rows: as typed, plus empty ones (at least 3; one more on request) */
	json_t *rows = json_array();
	size_t nrows = 0;
	for (size_t i = 1; posted && i <= ACTIVITY_LIST_MAX; i++) {
		char kn[32], ko[32];
		snprintf(kn, sizeof(kn), "attendee%zu_name", i);
		snprintf(ko, sizeof(ko), "attendee%zu_org", i);
		const char *nm = rq_form(rq, kn), *org = rq_form(rq, ko);
		if (nm == NULL && org == NULL)
			break;
		nrows = i;
	}
	const char *action = posted ? rq_form(rq, "action") : NULL;
	size_t want = nrows < ATTENDEE_ROWS_MIN ? ATTENDEE_ROWS_MIN : nrows;
	if (action && strcmp(action, "add_attendee") == 0 && want < ACTIVITY_LIST_MAX)
		want++;
	for (size_t i = 1; i <= want; i++) {
		char kn[32], ko[32];
		snprintf(kn, sizeof(kn), "attendee%zu_name", i);
		snprintf(ko, sizeof(ko), "attendee%zu_org", i);
		const char *nm = posted ? rq_form(rq, kn) : NULL;
		const char *org = posted ? rq_form(rq, ko) : NULL;
		json_array_append_new(rows,
		                      json_pack("{s:i, s:s, s:s}", "n", (int)i, "name",
		                                nm ? nm : "", "organisation", org ? org : ""));
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *held = posted ? rq_form(rq, "held_on") : rq_query(rq, "date");
	json_t *values = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "held_on", held ? held : today, "starts_at",
	    posted && rq_form(rq, "starts_at") ? rq_form(rq, "starts_at") : "", "ends_at",
	    posted && rq_form(rq, "ends_at") ? rq_form(rq, "ends_at") : "", "place",
	    posted && rq_form(rq, "place") ? rq_form(rq, "place") : "", "title",
	    posted && rq_form(rq, "title") ? rq_form(rq, "title") : "", "summary",
	    posted && rq_form(rq, "summary") ? rq_form(rq, "summary") : "", "followups",
	    posted && rq_form(rq, "followups") ? rq_form(rq, "followups") : "", "company_q",
	    q ? q : "");
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "types",
	                 types ? types : json_array(), "staff", staff, "agencies",
	                 agencies ? agencies : json_array(), "agenda",
	                 agenda ? agenda : json_array(), "companies_picked", picked,
	                 "companies_found", found, "attendees", rows, "values", values, "errors",
	                 errors, "today", today);
}

void web_activity_new(struct request *rq, struct response *rs)
{
	field_page(rs, "activities/new", "활동 기록하기", form_model(rq, false));
}

void web_activity_create(struct request *rq, struct response *rs)
{
	const char *action = rq_form(rq, "action");
	json_t *m = form_model(rq, true);
	if (action && strcmp(action, "save") != 0) {
		/* search a company or add an attendee row: the same form again */
		field_page(rs, "activities/new", "활동 기록하기", m);
		return;
	}
	const char *companies[ACTIVITY_LIST_MAX], *staff[ACTIVITY_LIST_MAX],
	    *agencies[ACTIVITY_LIST_MAX], *agenda[ACTIVITY_LIST_MAX];
	struct activity_attendee_input att[ACTIVITY_LIST_MAX];
	size_t natt = 0;
	for (size_t i = 1; i <= ACTIVITY_LIST_MAX; i++) {
		char kn[32], ko[32];
		snprintf(kn, sizeof(kn), "attendee%zu_name", i);
		snprintf(ko, sizeof(ko), "attendee%zu_org", i);
		const char *nm = rq_form(rq, kn), *org = rq_form(rq, ko);
		if (nm == NULL && org == NULL)
			break;
		att[natt++] = (struct activity_attendee_input){nm, org};
	}
	struct activity_input in = {
	    .type_id = rq_form(rq, "type_id"),
	    .held_on = rq_form(rq, "held_on"),
	    .starts_at = rq_form(rq, "starts_at"),
	    .ends_at = rq_form(rq, "ends_at"),
	    .place = rq_form(rq, "place"),
	    .title = rq_form(rq, "title"),
	    .summary = rq_form(rq, "summary"),
	    .followups = rq_form(rq, "followups"),
	    .company_ids = companies,
	    .ncompanies = web_form_values(rq, "company_id", companies, ACTIVITY_LIST_MAX),
	    .staff_ids = staff,
	    .nstaff = web_form_values(rq, "staff", staff, ACTIVITY_LIST_MAX),
	    .agency_ids = agencies,
	    .nagencies = web_form_values(rq, "agency", agencies, ACTIVITY_LIST_MAX),
	    .agenda_case_ids = agenda,
	    .nagenda = web_form_values(rq, "agenda", agenda, ACTIVITY_LIST_MAX),
	    .attendees = att,
	    .nattendees = natt,
	};
	json_t *fields = json_object();
	int64_t id = 0;
	bz_rc rc = activity_create(rq->db, &rq->user, &in, fields, &id);
	static const struct field_create_answer answer = {
	    "/activities/",
	    "activity_saved",
	    "activities/new",
	    "활동 기록하기",
	    "활동을 기록할 권한이 없습니다.",
	    "활동을 저장하지 못했습니다. 잠시 후 다시 시도해 주세요.",
	};
	field_created(rq, rs, rc, id, m, fields, &answer);
}

/* ---- the activity page ---------------------------------------------------- */

/* The page's model, or NULL with rs filled (404/500). */
static json_t *show_model(struct request *rq, struct response *rs, int64_t id)
{
	json_t *m = NULL;
	bz_rc rc = id > 0 ? activity_get(rq->db, id, &m) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 활동 기록이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		field_db_fail(rs, "활동 기록을");
		return NULL;
	}
	json_object_set_new(m, "can_write", json_boolean(can_write(rq)));
	json_object_set_new(m, "errors", json_object());
	json_object_set_new(m, "values", json_object());
	if (json_is_true(json_object_get(json_object_get(m, "activity"), "is_one_stop"))) {
		json_t *depts = NULL;
		if (case_departments(rq->db, &depts) == BZ_OK)
			json_object_set_new(m, "departments", depts);
	}
	const char *title =
	    json_string_value(json_object_get(json_object_get(m, "activity"), "display_title"));
	json_object_set_new(m, "breadcrumb",
	                    json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s}]", "href", "/", "label", "홈",
	                              "href", "/activities", "label", "활동 기록", "label",
	                              title ? title : "활동"));
	return m;
}

static const char *page_title(json_t *m)
{
	const char *t =
	    json_string_value(json_object_get(json_object_get(m, "activity"), "display_title"));
	return t ? t : "활동 기록";
}

/* After the phone form (?new_from=<row>): the cases the save created (rows
 * after new_from), as created {count, cases [{id, case_no, title}]}; and, on
 * a visit to a company, the next steps (more_href: more grievances of this
 * company, linked to this visit). */
static void visit_created(struct request *rq, json_t *m, int64_t id)
{
	if (json_array_size(json_object_get(m, "companies")) > 0 && can_write(rq)) {
		char href[48];
		snprintf(href, sizeof(href), "/visits/%lld/grievances", (long long)id);
		json_object_set_new(m, "more_href", json_string(href));
	}
	const char *from = rq_query(rq, "new_from");
	if (from == NULL)
		return;
	char *end = NULL;
	long base = strtol(from, &end, 10);
	if (end == from || *end || base < 0)
		return;
	json_t *made = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(m, "cases"), i, c)
	{
		json_t *seq = json_object_get(c, "seq");
		const char *kind = json_string_value(json_object_get(c, "kind"));
		if (json_is_integer(seq) && json_integer_value(seq) > base && kind &&
		    strcmp(kind, "raised") == 0)
			json_array_append(made, c);
	}
	json_object_set_new(
	    m, "created",
	    json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(made), "cases", made));
}

void web_activity_show(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	json_t *m = show_model(rq, rs, id);
	if (m) {
		visit_created(rq, m, id);
		char title[160];
		bz_strlcpy(title, page_title(m), sizeof(title));
		field_page(rs, "activities/show", title, m);
	}
}

void web_activity_photo_add(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	json_t *m = show_model(rq, rs, id);
	if (m == NULL)
		return;
	json_t *fields = json_object();
	const char *caption = rq_form(rq, "caption");
	json_object_set_new(json_object_get(m, "values"), "caption",
	                    json_string(caption ? caption : ""));
	const struct upload *u = rq_upload(rq, "photo");
	const char *msg = NULL;
	struct photo_file pf;
	bz_rc rc;
	if (u == NULL || u->size == 0) {
		msg = "올릴 사진 파일을 골라 주세요.";
		rc = BZ_ERR_INVALID;
	} else if (u->size > PHOTO_MAX_BYTES) {
		msg = "사진 한 장은 10MB까지 올릴 수 있습니다. 크기를 줄여 다시 올려 주세요.";
		rc = BZ_ERR_TOOLARGE;
	} else {
		rc = photo_store(rq->app->cfg.data_dir, u->path, &pf, &msg);
	}
	if (rc == BZ_ERR_INVALID || rc == BZ_ERR_TOOLARGE) {
		json_object_set_new(fields, "photo",
		                    json_string(msg ? msg : "사진을 확인해 주세요."));
		char title[160];
		bz_strlcpy(title, page_title(m), sizeof(title));
		field_invalid(rs, "activities/show", title, m, fields);
		return;
	}
	int64_t pid = 0;
	if (rc == BZ_OK)
		rc = activity_photo_add(rq->db, &rq->user, id, &pf, caption, fields, &pid);
	if (rc == BZ_ERR_INVALID) {
		char title[160];
		bz_strlcpy(title, page_title(m), sizeof(title));
		field_invalid(rs, "activities/show", title, m, fields);
		return;
	}
	json_decref(m);
	json_decref(fields);
	if (rc == BZ_ERR_FORBIDDEN) {
		web_error(rs, 403, "forbidden", "사진을 올릴 권한이 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal",
		          "사진을 저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	char loc[96];
	snprintf(loc, sizeof(loc), "/activities/%lld#photos", (long long)id);
	web_flash(rs, rq, "success", "photo_added");
	web_redirect(rs, loc);
	rs->model = json_pack("{s:I, s:I}", "id", (json_int_t)id, "photo_id", (json_int_t)pid);
}

void web_activity_photo(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), pid = rq_param_id(rq, "pid");
	char stored[PHOTO_PATH_SIZE], ctype[32], full[PATH_MAX];
	if (id <= 0 || pid <= 0 ||
	    activity_photo_get(rq->db, id, pid, stored, sizeof(stored), ctype, sizeof(ctype)) !=
	        BZ_OK ||
	    !photo_full_path(rq->app->cfg.data_dir, stored, full, sizeof(full))) {
		web_error(rs, 404, "not_found", "그런 사진이 없습니다.");
		return;
	}
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		web_error(rs, 404, "not_found", "사진 파일을 찾을 수 없습니다.");
		return;
	}
	const char *ext = strrchr(stored, '.');
	char disp[96];
	snprintf(disp, sizeof(disp), "inline; filename=\"activity-%lld-photo-%lld%s\"",
	         (long long)id, (long long)pid, ext ? ext : "");
	kv_add(&rs->headers, "Content-Disposition", disp, strlen(disp));
	static const char cache[] = "private, max-age=86400";
	kv_add(&rs->headers, "Cache-Control", cache, strlen(cache));
	bz_strlcpy(rs->content_type, ctype, sizeof(rs->content_type));
	rs->status = 200;
	rs->fd = fd;
	rs->fd_size = st.st_size;
}

/* POST /activities/{id}/agenda/{case_id}: the meeting's decision on one case. */
void web_activity_decide(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), case_id = rq_param_id(rq, "case_id");
	json_t *fields = json_object();
	char msg[512] = "";
	bz_rc rc = activity_agenda_decide(rq->db, &rq->user, id, case_id, rq_form(rq, "decision"),
	                                  rq_form(rq, "lead_department"), rq_form(rq, "status"),
	                                  fields, msg, sizeof(msg));
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[96];
		snprintf(loc, sizeof(loc), "/activities/%lld#agenda", (long long)id);
		web_flash(rs, rq, "success", "agenda_decided");
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		json_t *m = show_model(rq, rs, id);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		/* the errors belong to this case's form */
		json_t *agenda = json_object_get(m, "agenda");
		size_t i;
		json_t *c;
		json_array_foreach(agenda, i,
		                   c) if (json_integer_value(json_object_get(c, "id")) == case_id)
		{
			json_object_set(c, "errors", fields);
			const char *d = rq_form(rq, "decision");
			json_object_set_new(c, "typed", json_string(d ? d : ""));
		}
		char title[160];
		bz_strlcpy(title, page_title(m), sizeof(title));
		field_invalid(rs, "activities/show", title, m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "이 회의의 안건이 아닙니다.");
	else if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", msg[0] ? msg : "권한이 없습니다.");
	else if (rc == BZ_ERR_CONFLICT)
		web_error(rs, 409, "conflict", msg[0] ? msg : "사건이 그 사이 바뀌었습니다.");
	else
		web_error(rs, 500, "internal",
		          "결정을 기록하지 못했습니다. 잠시 후 다시 시도해 주세요.");
}

/* ---- changing an activity: edit, retire, follow-up done ------------------ */

static void change_done(struct request *rq, struct response *rs, int64_t id, bz_rc rc,
                        json_t *fields, const char *flash, const char *section)
{
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[96];
		if (strcmp(section, "retired") == 0)
			snprintf(loc, sizeof(loc), "/activities");
		else
			snprintf(loc, sizeof(loc), "/activities/%lld#%s", (long long)id, section);
		web_flash(rs, rq, "success", flash);
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONFLICT) {
		json_t *m = show_model(rq, rs, id);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		json_t *values = json_object_get(m, "values");
		for (size_t i = 0; i < rq->form.n; i++)
			if (strcmp(rq->form.items[i].key, "csrf"))
				json_object_set_new(values, rq->form.items[i].key,
				                    json_string(rq->form.items[i].value));
		json_object_set_new(m, "open_section", json_string(section));
		json_object_set_new(m, strcmp(section, "edit") == 0 ? "edit_open" : "retire_open",
		                    json_true());
		char title[160];
		bz_strlcpy(title, page_title(m), sizeof(title));
		field_invalid(rs, "activities/show", title, m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "그런 활동 기록이 없습니다.");
	else
		field_db_fail(rs, "활동 기록을");
}

void web_activity_edit(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	json_t *fields = json_object();
	struct activity_edit_input in = {rq_form(rq, "held_on"), rq_form(rq, "place"),
	                                 rq_form(rq, "title"), rq_form(rq, "summary"),
	                                 rq_form(rq, "version")};
	bz_rc rc = id > 0 ? activity_edit(rq->db, &rq->user, id, &in, fields) : BZ_ERR_NOTFOUND;
	change_done(rq, rs, id, rc, fields, "activity_updated", "edit");
}

void web_activity_retire(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	json_t *fields = json_object();
	bz_rc rc = id > 0 ? activity_retire(rq->db, &rq->user, id, rq_form(rq, "reason"), fields)
	                  : BZ_ERR_NOTFOUND;
	change_done(rq, rs, id, rc, fields, "activity_retired", "retired");
}

void web_activity_followup_done(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), fid = rq_param_id(rq, "fid");
	bz_rc rc = id > 0 && fid > 0 ? activity_followup_done(rq->db, &rq->user, id, fid)
	                             : BZ_ERR_NOTFOUND;
	change_done(rq, rs, id, rc, json_object(), "followup_done", "followups");
}
