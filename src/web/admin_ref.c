/* Administration of reference data: departments and outside agencies (where
 * cases are referred) and holidays (which stop the working-day clock). Every
 * change is audited by the domain (company.c). */
#include "bizsos/company.h"
#include "bizsos/kst.h"
#include "web_companies.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- departments --------------------------------------------------------- */

static json_t *dept_kinds(const char *selected)
{
	static const char *const kinds[][2] = {{"internal", "시 부서"}, {"agency", "외부기관"}};
	json_t *a = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(kinds); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", kinds[i][0], "label",
		                                   kinds[i][1], "selected",
		                                   selected && strcmp(selected, kinds[i][0]) == 0));
	return a;
}

/* The departments page model; NULL (rs filled) on a database error. */
static json_t *departments_model(struct request *rq, struct response *rs, const char *name,
                                 const char *kind)
{
	json_t *list = NULL;
	if (department_list(rq->db, &list) != BZ_OK) {
		web_error(rs, 500, "internal", "부서 목록을 읽지 못했습니다.");
		return NULL;
	}
	return json_pack("{s:o, s:o, s:{s:s, s:s}, s:{}}", "departments", list, "kinds",
	                 dept_kinds(kind ? kind : "internal"), "values", "name", name ? name : "",
	                 "kind", kind ? kind : "internal", "errors");
}

void web_admin_departments(struct request *rq, struct response *rs)
{
	json_t *m = departments_model(rq, rs, NULL, NULL);
	if (m)
		web_page(rs, "admin/departments", "부서·기관 관리", m);
}

void web_admin_department_add(struct request *rq, struct response *rs)
{
	const char *name = rq_form(rq, "name"), *kind = rq_form(rq, "kind");
	json_t *fields = NULL;
	int64_t id = 0;
	bz_rc rc = department_add(rq->db, rq->user.id, name, kind, &fields, &id);
	if (rc == BZ_OK) {
		web_flash(rs, rq, "success", "department_added");
		web_redirect(rs, "/admin/departments");
		rs->model = json_pack("{s:I}", "id", (json_int_t)id);
		return;
	}
	if (rc != BZ_ERR_INVALID && rc != BZ_ERR_CONSTRAINT) {
		json_decref(fields);
		web_error(rs, 500, "internal", "부서를 추가하지 못했습니다.");
		return;
	}
	json_t *m = departments_model(rq, rs, name, kind);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	web_invalid(rs, "admin/departments", "부서·기관 관리", m, fields);
}

static void dept_set_retired(struct request *rq, struct response *rs, bool retired)
{
	int64_t id = rq_param_id(rq, "id");
	bz_rc rc =
	    id > 0 ? department_set_retired(rq->db, rq->user.id, id, retired) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 부서가 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "부서 상태를 바꾸지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", retired ? "department_retired" : "department_restored");
	web_redirect(rs, "/admin/departments");
}

void web_admin_department_retire(struct request *rq, struct response *rs)
{
	dept_set_retired(rq, rs, true);
}

void web_admin_department_restore(struct request *rq, struct response *rs)
{
	dept_set_retired(rq, rs, false);
}

/* ---- holidays ------------------------------------------------------------ */

static const char *const HOLIDAY_KINDS[] = {"legal", "substitute", "temporary", "election"};

/* The year of ?year= (2000..2100), or this year. */
static int year_param(const char *s)
{
	char *end = NULL;
	long y = s ? strtol(s, &end, 10) : 0;
	if (s == NULL || end == s || *end != '\0' || y < 2000 || y > 2100)
		return kst_year();
	return (int)y;
}

static json_t *holidays_model(struct request *rq, struct response *rs, int year, json_t *values)
{
	json_t *list = NULL;
	if (holiday_list(rq->db, year, &list) != BZ_OK) {
		json_decref(values);
		web_error(rs, 500, "internal", "휴일 목록을 읽지 못했습니다.");
		return NULL;
	}
	const char *kind = json_string_value(json_object_get(values, "kind"));
	json_t *kinds = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(HOLIDAY_KINDS); i++)
		json_array_append_new(
		    kinds, json_pack("{s:s, s:s, s:b}", "value", HOLIDAY_KINDS[i], "label",
		                     holiday_kind_label(HOLIDAY_KINDS[i]), "selected",
		                     kind && strcmp(kind, HOLIDAY_KINDS[i]) == 0));
	size_t active = 0, i;
	json_t *h;
	json_array_foreach(list, i, h) active += !json_is_true(json_object_get(h, "retired"));
	json_t *m =
	    json_pack("{s:i, s:o, s:o, s:o, s:{}, s:I}", "year", year, "holidays", list, "kinds",
	              kinds, "values", values, "errors", "active", (json_int_t)active);
	if (year > 2000)
		json_object_set_new(m, "prev_year", json_integer(year - 1));
	if (year < 2100)
		json_object_set_new(m, "next_year", json_integer(year + 1));
	return m;
}

void web_admin_holidays(struct request *rq, struct response *rs)
{
	int year = year_param(rq_query(rq, "year"));
	json_t *m = holidays_model(
	    rq, rs, year, json_pack("{s:s, s:s, s:s}", "day", "", "name", "", "kind", "temporary"));
	if (m)
		web_page(rs, "admin/holidays", "휴일 관리", m);
}

void web_admin_holiday_add(struct request *rq, struct response *rs)
{
	const char *day = rq_form(rq, "day"), *name = rq_form(rq, "name");
	const char *kind = rq_form(rq, "kind");
	json_t *fields = NULL;
	bz_rc rc = holiday_add(rq->db, rq->user.id, day, name, kind, &fields);
	int32_t dn = 0;
	bool dated = day && date_parse(day, &dn, NULL) == BZ_OK;
	int year =
	    dated && date_year(dn) >= 2000 && date_year(dn) <= 2100 ? date_year(dn) : kst_year();
	if (rc == BZ_OK) {
		char loc[48];
		snprintf(loc, sizeof(loc), "/admin/holidays?year=%d", year);
		web_flash(rs, rq, "success", "holiday_added");
		web_redirect(rs, loc);
		return;
	}
	if (rc != BZ_ERR_INVALID && rc != BZ_ERR_CONSTRAINT) {
		json_decref(fields);
		web_error(rs, 500, "internal", "휴일을 추가하지 못했습니다.");
		return;
	}
	json_t *m = holidays_model(rq, rs, year,
	                           json_pack("{s:s, s:s, s:s}", "day", day ? day : "", "name",
	                                     name ? name : "", "kind", kind ? kind : ""));
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	web_invalid(rs, "admin/holidays", "휴일 관리", m, fields);
}

void web_admin_holiday_retire(struct request *rq, struct response *rs)
{
	const char *day = rq_param(rq, "day");
	bz_rc rc = holiday_retire(rq->db, rq->user.id, day);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그날은 등록된 휴일이 아닙니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "휴일을 지우지 못했습니다.");
		return;
	}
	int32_t dn = 0;
	date_parse(day, &dn, NULL);
	char loc[48];
	snprintf(loc, sizeof(loc), "/admin/holidays?year=%d", date_year(dn));
	web_flash(rs, rq, "success", "holiday_retired");
	web_redirect(rs, loc);
}
