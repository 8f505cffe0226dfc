/* Citizen communication (시민소통): the list with yearly counts per kind, and
 * the form for a new entry. */
#include "bizsos/comm.h"
#include "bizsos/kst.h"
#include "web_export.h"
#include "web_field.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of the communication list's CSV and XLSX. */
static const struct export_col comm_cols[] = {
    {"held_on", "일자", EXPORT_DATE},  {"kind_label", "구분", EXPORT_TEXT},
    {"title", "제목", EXPORT_TEXT},    {"outlet", "매체·장소", EXPORT_TEXT},
    {"url", "주소(URL)", EXPORT_TEXT}, {"summary", "요약", EXPORT_TEXT},
};
static const struct export_spec comm_export = EXPORT_SPEC("comm", "시민소통", comm_cols, false);

void web_comm(struct request *rq, struct response *rs)
{
	const char *ys = rq_query(rq, "year"), *kind = rq_query(rq, "kind");
	long year = ys ? strtol(ys, NULL, 10) : kst_year();
	if (ys && *ys == '\0')
		year = 0; /* every year */
	if (year != 0 && (year < 2000 || year > 2100))
		year = kst_year();
	if (kind && *kind && comm_kind_label(kind) == NULL)
		kind = NULL;
	json_t *m = NULL;
	struct comm_filter f = {(int)year, kind, NULL, 0};
	/* a download: every entry, whatever the page */
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &comm_export, &xw)) {
		if (xw) {
			f.limit = -1;
			bz_rc rc = comm_list(rq->db, &f, &m);
			if (rc == BZ_OK)
				rc = export_rows(xw, json_object_get(m, "entries"));
			json_decref(m);
			web_export_end(rq, rs, xw, rc);
		}
		return;
	}
	json_t *after = NULL;
	int limit = 0;
	if (!web_keyset(rq, rs, "si", COMM_PAGE_SIZE, 100, &after, &limit))
		return;
	f.after = after;
	f.limit = limit;
	bz_rc lrc = comm_list(rq->db, &f, &m);
	json_decref(after);
	if (lrc != BZ_OK) {
		web_error(rs, 500, "internal", "시민소통 기록을 읽지 못했습니다.");
		return;
	}
	web_keyset_next(rq, m, limit);
	web_export_links(rq, m, &comm_export);
	json_t *years = json_array();
	for (int y = kst_year(); y >= 2020; y--)
		json_array_append_new(years,
		                      json_pack("{s:i, s:b}", "value", y, "selected", y == year));
	json_t *kinds = comm_kinds_json();
	json_array_insert_new(
	    kinds, 0,
	    json_pack("{s:s, s:s}", "value", "roundtable", "label", "간담회 등 (활동에서 집계)"));
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k) json_object_set_new(
	    k, "selected",
	    json_boolean(kind &&
	                 strcmp(kind, json_string_value(json_object_get(k, "value"))) == 0));
	json_object_set_new(m, "years", years);
	json_object_set_new(m, "kinds", kinds);
	json_object_set_new(m, "year", json_integer(year));
	json_object_set_new(m, "all_years", json_boolean(year == 0));
	json_object_set_new(
	    m, "show_roundtable",
	    json_boolean(kind == NULL || *kind == '\0' || strcmp(kind, "roundtable") == 0));
	json_object_set_new(m, "can_create",
	                    json_boolean(web_route_allows(rq->user.role, HTTP_POST, "/comm")));
	field_page(rs, "comm/list", "시민소통", m);
}

static json_t *comm_form_model(struct request *rq, bool posted)
{
	static const char *const keys[] = {"kind", "held_on", "title", "outlet", "url", "summary"};
	json_t *values = json_object();
	for (size_t i = 0; i < BZ_ARRAY_LEN(keys); i++) {
		const char *v = posted ? rq_form(rq, keys[i]) : rq_query(rq, keys[i]);
		json_object_set_new(values, keys[i], json_string(v ? v : ""));
	}
	if (json_string_length(json_object_get(values, "held_on")) == 0) {
		char today[DATE_TEXT_SIZE];
		kst_today(today);
		json_object_set_new(values, "held_on", json_string(today));
	}
	json_t *kinds = comm_kinds_json();
	const char *sel = json_string_value(json_object_get(values, "kind"));
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k) json_object_set_new(
	    k, "selected",
	    json_boolean(strcmp(sel, json_string_value(json_object_get(k, "value"))) == 0));
	return json_pack("{s:o, s:o, s:{}}", "values", values, "kinds", kinds, "errors");
}

void web_comm_new(struct request *rq, struct response *rs)
{
	field_page(rs, "comm/new", "시민소통 기록", comm_form_model(rq, false));
}

void web_comm_create(struct request *rq, struct response *rs)
{
	struct comm_input in = {rq_form(rq, "kind"),  rq_form(rq, "held_on"),
	                        rq_form(rq, "title"), rq_form(rq, "outlet"),
	                        rq_form(rq, "url"),   rq_form(rq, "summary")};
	json_t *fields = json_object();
	int64_t id = 0;
	bz_rc rc = comm_create(rq->db, &rq->user, &in, fields, &id);
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[48];
		snprintf(loc, sizeof(loc), "/comm?year=%.4s", in.held_on);
		web_flash(rs, rq, "success", "comm_saved");
		web_redirect(rs, loc);
		rs->model = json_pack("{s:I}", "id", (json_int_t)id);
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		field_invalid(rs, "comm/new", "시민소통 기록", comm_form_model(rq, true), fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", "시민소통을 기록할 권한이 없습니다.");
	else
		web_error(rs, 500, "internal", "저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
}
