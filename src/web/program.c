/* The leader's editing pages for a program (/program): header and
 * responsible people, targets, budget lines and execution entries (with the
 * over-execution confirmation), roadmap, self-assessment, next plans, and
 * the history of every change. */
#include "bizsos/card.h"
#include "bizsos/program.h"
#include "bizsos/web.h"
#include "web_export.h"
#include "web_program.h"

#include <stdlib.h>
#include <string.h>

static json_t *options(const char *vocab, const char *current)
{
	json_t *a = json_array();
	const char *const *codes = program_codes(vocab);
	for (size_t i = 0; codes[i]; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", codes[i], "label",
		                                   program_label(vocab, codes[i]), "selected",
		                                   current && strcmp(current, codes[i]) == 0));
	return a;
}

/* The whole editing page; NULL with rs filled on an error. */
static json_t *program_page_model(struct request *rq, struct response *rs, int64_t id)
{
	json_t *p = NULL, *m = NULL;
	bz_rc rc = program_get(rq->db, id, &p);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "사업 정보를 읽지 못했습니다.");
		return NULL;
	}
	json_t *programs = NULL, *targets = NULL, *lines = NULL, *execs = NULL, *tasks = NULL,
	       *sa = NULL, *plans = NULL, *events = NULL;
	const char *say = rq_query(rq, "sa_year");
	int sa_year = say ? atoi(say) : 0;
	if (program_list(rq->db, &programs) != BZ_OK ||
	    target_list(rq->db, id, &targets) != BZ_OK ||
	    budget_lines(rq->db, id, &lines) != BZ_OK ||
	    budget_executions(rq->db, id, 0, 30, &execs) != BZ_OK ||
	    roadmap_tasks(rq->db, id, &tasks) != BZ_OK ||
	    self_assessment(rq->db, id, sa_year, &sa) != BZ_OK ||
	    next_plans(rq->db, id, &plans) != BZ_OK ||
	    program_events(rq->db, id, NULL, 0, 60, &events) != BZ_OK) {
		json_decref(p);
		json_decref(programs);
		json_decref(targets);
		json_decref(lines);
		json_decref(execs);
		json_decref(tasks);
		json_decref(sa);
		json_decref(plans);
		json_decref(events);
		web_error(rs, 500, "internal", "사업 정보를 읽지 못했습니다.");
		return NULL;
	}
	size_t i;
	json_t *t;
	json_array_foreach(tasks, i, t) json_object_set_new(
	    t, "status_options",
	    options("task_status", json_string_value(json_object_get(t, "status"))));
	json_array_foreach(programs, i, t) json_object_set_new(
	    t, "selected", json_boolean(json_integer_value(json_object_get(t, "id")) == id));
	json_t *line_opts = json_array();
	json_array_foreach(lines, i, t)
	{
		char l[64];
		snprintf(l, sizeof(l), "%lld년 %s",
		         (long long)json_integer_value(json_object_get(t, "year")),
		         json_string_value(json_object_get(t, "source_label")));
		json_array_append_new(
		    line_opts, json_pack("{s:O, s:s}", "id", json_object_get(t, "id"), "label", l));
	}
	const char *status = json_string_value(json_object_get(p, "status"));
	m = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{}, s:{}}", "program",
	              p, "programs", programs, "targets", targets, "lines", lines, "line_options",
	              line_opts, "executions", execs, "tasks", tasks, "assessment", sa, "plans",
	              plans, "events", events, "errors", "values");
	json_object_set_new(
	    m, "vocab",
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "nature",
	              options("nature", json_string_value(json_object_get(p, "nature"))), "term",
	              options("term", json_string_value(json_object_get(p, "term"))), "funding",
	              options("funding", json_string_value(json_object_get(p, "funding"))),
	              "status", options("status", status), "source", options("source", NULL),
	              "task_status", options("task_status", "ongoing"), "sa_kind",
	              options("sa_kind", "went_well")));
	return m;
}

void web_program(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *m = program_page_model(rq, rs, id);
	if (m) {
		web_program_budget_links(rq, m, id);
		web_page(rs, "program/edit", "사업 관리", m);
	}
}

/* Marks the option of `list` whose `key` (a string or an integer) equals the
 * typed value `typed` as selected, and no other: a form that comes back with
 * a 422 keeps the choice made, never the first option. */
static void reselect(json_t *list, const char *key, const char *typed)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		json_t *v = json_object_get(o, key);
		char s[32];
		const char *have = json_string_value(v);
		if (json_is_integer(v)) {
			snprintf(s, sizeof(s), "%lld", (long long)json_integer_value(v));
			have = s;
		}
		json_object_set_new(o, "selected",
		                    json_boolean(typed && have && strcmp(have, typed) == 0));
	}
}

/* After a write: 303 back to the page (section anchor), or the page again
 * with the field errors (422), or an error page. */
static void finish(struct request *rq, struct response *rs, int64_t id, bz_rc rc, json_t *fields,
                   const char *anchor, const char *flash)
{
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[128];
		snprintf(loc, sizeof(loc), "/program?program=%lld#%s", (long long)id, anchor);
		web_flash(rs, rq, "success", flash);
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONFLICT) {
		if (rc == BZ_ERR_CONFLICT && json_object_size(fields) == 0)
			json_object_set_new(
			    fields, "version",
			    json_string("다른 사람이 먼저 고쳤습니다. 새로 읽은 값을 "
			                "확인하고 다시 저장해 주세요."));
		json_t *m = program_page_model(rq, rs, id);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		json_t *values = json_object();
		for (size_t i = 0; i < rq->form.n; i++)
			if (strcmp(rq->form.items[i].key, "csrf"))
				json_object_set_new(values, rq->form.items[i].key,
				                    json_string(rq->form.items[i].value));
		json_object_set_new(values, "section", json_string(anchor));
		if (strcmp(anchor, "executions") == 0)
			reselect(json_object_get(m, "line_options"), "id", rq_form(rq, "line_id"));
		if (strcmp(anchor, "budget") == 0)
			reselect(json_object_get(json_object_get(m, "vocab"), "source"), "value",
			         rq_form(rq, "source"));
		json_object_set_new(m, "values", values);
		json_object_set_new(m, "error_section", json_string(anchor));
		web_invalid(rs, "program/edit", "사업 관리", m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "고칠 항목을 찾지 못했습니다.");
	else
		web_error(rs, 500, "internal", "저장하지 못했습니다.");
}

static json_t *executions_model(struct request *rq, struct response *rs, int64_t id);

static int64_t form_id(struct request *rq, const char *key)
{
	const char *s = rq_form(rq, key);
	if (s == NULL || *s == '\0')
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

static bool form_flag(struct request *rq, const char *key)
{
	const char *s = rq_form(rq, key);
	return s && (strcmp(s, "1") == 0 || strcmp(s, "on") == 0 || strcmp(s, "yes") == 0);
}

void web_program_create(struct request *rq, struct response *rs)
{
	struct program_input in = {0};
	in.name = rq_form(rq, "name");
	in.first_quarter = rq_form(rq, "first_quarter");
	in.last_quarter = rq_form(rq, "last_quarter");
	json_t *fields = json_object();
	int64_t id = 0;
	bz_rc rc = program_create(rq->db, &rq->user, rq_form(rq, "code"), &in, fields, &id);
	finish(rq, rs, rc == BZ_OK ? id : PROGRAM_SOS_ID, rc, fields, "header", "program_saved");
}

void web_program_header(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	struct program_input in = {
	    rq_form(rq, "name"),          rq_form(rq, "nature"),
	    rq_form(rq, "term"),          rq_form(rq, "funding"),
	    rq_form(rq, "status"),        rq_form(rq, "completed_year"),
	    rq_form(rq, "central_help"),  rq_form(rq, "owner"),
	    rq_form(rq, "department"),    rq_form(rq, "final_goal"),
	    rq_form(rq, "overview"),      rq_form(rq, "evidence"),
	    rq_form(rq, "first_quarter"), rq_form(rq, "last_quarter"),
	};
	json_t *fields = json_object();
	int64_t version = form_id(rq, "version");
	bz_rc rc = version <= 0 ? BZ_ERR_CONFLICT
	                        : program_update(rq->db, &rq->user, id, version, &in, fields);
	finish(rq, rs, id, rc, fields, "header", "program_saved");
}

/* ---- the child rows of a program: contacts, roadmap, self-assessment, plans ----
 * One pattern (as the domain's prog_child_save): the program, the row's id
 * from the form (0: a new row; not a number: no such row), the retire box,
 * the domain's save, and finish on the section's anchor. Each kind of row
 * adds only how the rest of its form reads. */
typedef bz_rc (*child_save_fn)(struct request *rq, int64_t program, int64_t row, bool retire,
                               json_t *fields);

static void child_save(struct request *rq, struct response *rs, const char *row_key,
                       const char *anchor, child_save_fn save)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *fields = json_object();
	int64_t row = form_id(rq, row_key);
	bz_rc rc = row < 0 ? BZ_ERR_NOTFOUND : save(rq, id, row, form_flag(rq, "retire"), fields);
	finish(rq, rs, id, rc, fields, anchor, "program_saved");
}

static bz_rc contact_save(struct request *rq, int64_t program, int64_t row, bool retire,
                          json_t *fields)
{
	return program_contact_save(rq->db, &rq->user, program, row, rq_form(rq, "title"),
	                            rq_form(rq, "name"), rq_form(rq, "phone"), retire, fields);
}

static bz_rc roadmap_save(struct request *rq, int64_t program, int64_t row, bool retire,
                          json_t *fields)
{
	return roadmap_task_save(rq->db, &rq->user, program, row, rq_form(rq, "title"),
	                         rq_form(rq, "first_quarter"), rq_form(rq, "last_quarter"),
	                         form_flag(rq, "beyond_term"), rq_form(rq, "status"), retire,
	                         fields);
}

static bz_rc assessment_save(struct request *rq, int64_t program, int64_t row, bool retire,
                             json_t *fields)
{
	int64_t parent = form_id(rq, "parent_id");
	if (parent < 0)
		return BZ_ERR_NOTFOUND;
	const char *ys = rq_form(rq, "year");
	return self_assessment_save(rq->db, &rq->user, program, row, ys ? atoi(ys) : 0,
	                            rq_form(rq, "kind"), parent, rq_form(rq, "body"), retire,
	                            fields);
}

static bz_rc plan_save(struct request *rq, int64_t program, int64_t row, bool retire,
                       json_t *fields)
{
	return next_plan_save(rq->db, &rq->user, program, row, rq_form(rq, "period_label"),
	                      rq_form(rq, "starts_on"), rq_form(rq, "ends_on"), rq_form(rq, "plan"),
	                      retire, fields);
}

void web_program_contact(struct request *rq, struct response *rs)
{
	child_save(rq, rs, "contact_id", "contacts", contact_save);
}

void web_program_roadmap(struct request *rq, struct response *rs)
{
	child_save(rq, rs, "task_id", "roadmap", roadmap_save);
}

void web_program_assessment(struct request *rq, struct response *rs)
{
	child_save(rq, rs, "item_id", "assessment", assessment_save);
}

void web_program_plan(struct request *rq, struct response *rs)
{
	child_save(rq, rs, "plan_id", "plans", plan_save);
}

void web_program_target(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *fields = json_object();
	bz_rc rc;
	int64_t tid = form_id(rq, "target_id");
	if (form_flag(rq, "retire"))
		rc = tid > 0 ? target_retire(rq->db, &rq->user, tid) : BZ_ERR_NOTFOUND;
	else
		rc = target_save(rq->db, &rq->user, id, rq_form(rq, "indicator"),
		                 rq_form(rq, "period"), rq_form(rq, "value"), fields);
	finish(rq, rs, id, rc, fields, "targets", "program_saved");
}

void web_program_budget(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *fields = json_object();
	bz_rc rc =
	    budget_line_save(rq->db, &rq->user, id, rq_form(rq, "year"), rq_form(rq, "source"),
	                     rq_form(rq, "planned"), rq_form(rq, "secured"), fields);
	finish(rq, rs, id, rc, fields, "budget", "program_saved");
}

void web_program_execution(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *fields = json_object();
	struct execution_input in = {form_id(rq, "line_id"),       rq_form(rq, "executed_on"),
	                             rq_form(rq, "amount"),        rq_form(rq, "memo"),
	                             rq_form(rq, "grant_id"),      rq_form(rq, "over_reason"),
	                             form_flag(rq, "confirm_over")};
	bz_rc rc = budget_execute(rq->db, &rq->user, id, &in, fields, NULL);
	finish(rq, rs, id, rc, fields, "executions", "execution_saved");
}

void web_program_execution_retire(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *fields = json_object();
	int64_t eid = rq_param_id(rq, "id");
	bz_rc rc = eid > 0 ? budget_execution_retire(rq->db, &rq->user, id, eid,
	                                             rq_form(rq, "reason"), fields)
	                   : BZ_ERR_NOTFOUND;
	const char *back = rq_form(rq, "back");
	if (back && strcmp(back, "list") == 0 && (rc == BZ_OK || rc == BZ_ERR_INVALID)) {
		if (rc == BZ_OK) {
			json_decref(fields);
			char loc[160];
			snprintf(loc, sizeof(loc),
			         "/program/executions?program=%lld&retired=1#x-%lld", (long long)id,
			         (long long)eid);
			web_flash(rs, rq, "success", "execution_cancelled");
			web_redirect(rs, loc);
			return;
		}
		json_t *m = executions_model(rq, rs, id);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		web_invalid(rs, "program/executions", "집행 내역", m, fields);
		return;
	}
	finish(rq, rs, id, rc, fields, "executions", "program_saved");
}

/* ---- downloads of the budget lines and the execution entries ---- */

static const struct export_col budget_cols[] = {
    {"year", "연도", EXPORT_INT},
    {"source_label", "재원", EXPORT_TEXT},
    {"planned", "계획(원)", EXPORT_WON},
    {"secured", "확보(원)", EXPORT_WON},
    {"executed", "집행(원)", EXPORT_WON},
    {"remaining", "잔액(원)", EXPORT_WON},
    {"secure_rate.text", "확보율", EXPORT_TEXT},
    {"exec_rate.text", "집행률", EXPORT_TEXT},
};
static const struct export_spec budget_export =
    EXPORT_SPEC("budget-lines", "예산 (재원별 계획·확보·집행)", budget_cols, false);

static const struct export_col execution_cols[] = {
    {"executed_on", "집행일", EXPORT_DATE},
    {"year", "예산 연도", EXPORT_INT},
    {"source_label", "재원", EXPORT_TEXT},
    {"amount", "금액(원)", EXPORT_WON},
    {"memo", "내용", EXPORT_TEXT},
    {"grant_id", "개선사업 번호", EXPORT_INT},
    {"over_reason", "초과 집행 사유", EXPORT_TEXT},
};
static const struct export_spec execution_export =
    EXPORT_SPEC("budget-executions", "예산 집행 내역", execution_cols, false);

void web_program_budget_export(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *lines = NULL;
	if (budget_lines(rq->db, id, &lines) != BZ_OK) {
		web_error(rs, 500, "internal", "예산을 읽지 못했습니다.");
		return;
	}
	if (!web_export_list(rq, rs, &budget_export, lines))
		web_error(rs, 404, "not_found", "예산은 사업 편집 화면에서 봅니다.");
	json_decref(lines);
}

void web_program_executions_export(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	const char *ys = rq_query(rq, "year");
	int year = 0;
	if (ys && *ys) {
		char *end;
		long y = strtol(ys, &end, 10);
		if (*end || y < 2000 || y > 2100) {
			web_error(rs, 400, "bad_year", "연도는 2024처럼 네 자리로 적어 주세요.");
			return;
		}
		year = (int)y;
	}
	json_t *execs = NULL;
	if (budget_executions(rq->db, id, year, -1, &execs) != BZ_OK) {
		web_error(rs, 500, "internal", "집행 내역을 읽지 못했습니다.");
		return;
	}
	if (!web_export_list(rq, rs, &execution_export, execs))
		web_error(rs, 404, "not_found", "집행 내역은 사업 편집 화면에서 봅니다.");
	json_decref(execs);
}

void web_program_budget_links(struct request *rq, json_t *m, int64_t id)
{
	char href[128];
	json_t *o = json_object();
	const char *names[] = {"budget_csv", "budget_xlsx", "executions_csv", "executions_xlsx"};
	const char *paths[] = {"/program/budget.csv", "/program/budget.xlsx",
	                       "/program/executions.csv", "/program/executions.xlsx"};
	for (int i = 0; i < 4; i++) {
		snprintf(href, sizeof(href), "%s?program=%lld", paths[i], (long long)id);
		json_object_set_new(o, names[i], json_string(href));
	}
	(void)rq;
	json_object_set_new(m, "downloads", o);
}

/* ---- the execution list: filters, pages, totals, cancel and correction ---- */

/* Reads a positive id from the query; 0 when absent; -1 when not a number. */
static int64_t query_id(struct request *rq, const char *key)
{
	const char *s = rq_query(rq, key);
	if (s == NULL || *s == '\0')
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end || v <= 0 ? -1 : v;
}

/* The list page's model; NULL with rs filled on an error. Filter values that
 * make no sense are ignored and named in m.notices. */
static json_t *executions_model(struct request *rq, struct response *rs, int64_t id)
{
	json_t *p = NULL;
	bz_rc rc = program_get(rq->db, id, &p);
	if (rc != BZ_OK) {
		if (rc == BZ_ERR_NOTFOUND)
			web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		else
			web_error(rs, 500, "internal", "사업 정보를 읽지 못했습니다.");
		return NULL;
	}
	json_t *notices = json_array();
	struct execution_filter f = {0};
	const char *ys = rq_query(rq, "year");
	if (ys && *ys) {
		char *end;
		long y = strtol(ys, &end, 10);
		if (*end || y < 2000 || y > 2100)
			json_array_append_new(
			    notices, json_string("연도는 2024처럼 네 자리로 적어야 합니다. 연도 "
			                         "조건 없이 보여 드립니다."));
		else
			f.year = (int)y;
	}
	const char *src = rq_query(rq, "source");
	if (src && *src) {
		if (program_label("source", src) == NULL)
			json_array_append_new(notices,
			                      json_string("그런 재원이 없습니다. 재원 조건 "
			                                  "없이 보여 드립니다."));
		else
			f.source = src;
	}
	f.line_id = query_id(rq, "line");
	if (f.line_id < 0) {
		f.line_id = 0;
		json_array_append_new(notices, json_string("예산 번호가 올바르지 않습니다. 예산 "
		                                           "조건 없이 보여 드립니다."));
	}
	f.grant_id = query_id(rq, "grant");
	if (f.grant_id < 0) {
		f.grant_id = 0;
		json_array_append_new(notices, json_string("개선사업 번호가 올바르지 않습니다. "
		                                           "개선사업 조건 없이 보여 드립니다."));
	}
	const char *rs_ = rq_query(rq, "retired");
	f.with_retired = rs_ && strcmp(rs_, "1") == 0;
	int64_t page = query_id(rq, "page");
	if (page < 0) {
		page = 1;
		json_array_append_new(
		    notices, json_string("쪽 번호가 올바르지 않아 첫 쪽을 보여 드립니다."));
	}
	if (page > 100000)
		page = 100000;
	json_t *lines = NULL, *list = NULL;
	if (budget_lines(rq->db, id, &lines) != BZ_OK ||
	    budget_execution_page(rq->db, id, &f, (int)(page ? page : 1), 50, &list) != BZ_OK) {
		json_decref(p);
		json_decref(lines);
		json_decref(notices);
		web_error(rs, 500, "internal", "집행 내역을 읽지 못했습니다.");
		return NULL;
	}
	/* the filter's choices, the current ones selected */
	char cur[32];
	json_t *years = json_array(), *line_opts = json_array(), *t;
	size_t i;
	int last_year = 0;
	json_array_foreach(lines, i, t)
	{
		int y = (int)json_integer_value(json_object_get(t, "year"));
		if (y != last_year)
			json_array_append_new(
			    years, json_pack("{s:i, s:b}", "value", y, "selected", y == f.year));
		last_year = y;
		char l[64];
		snprintf(l, sizeof(l), "%d년 %s", y,
		         json_string_value(json_object_get(t, "source_label")));
		json_int_t lid = json_integer_value(json_object_get(t, "id"));
		json_array_append_new(line_opts, json_pack("{s:I, s:s, s:b}", "id", lid, "label", l,
		                                           "selected", lid == f.line_id));
	}
	bool leader = (rq->user.role & ROLE_LEADER) != 0;
	/* each row's correction form offers the lines, its own selected */
	json_array_foreach(json_object_get(list, "rows"), i, t)
	{
		json_t *opts = json_array(), *o;
		size_t k;
		json_int_t own = json_integer_value(json_object_get(t, "line_id"));
		json_array_foreach(line_opts, k, o) json_array_append_new(
		    opts, json_pack("{s:O, s:O, s:b}", "id", json_object_get(o, "id"), "label",
		                    json_object_get(o, "label"), "selected",
		                    json_integer_value(json_object_get(o, "id")) == own));
		json_object_set_new(t, "line_options", opts);
		json_object_set_new(
		    t, "changeable",
		    json_boolean(leader && !json_is_true(json_object_get(t, "retired"))));
	}
	/* the query of the current filters, for the page links and the downloads */
	char q[256];
	int n = snprintf(q, sizeof(q), "program=%lld", (long long)id);
	if (f.year && n < (int)sizeof(q))
		n += snprintf(q + n, sizeof(q) - (size_t)n, "&year=%d", f.year);
	if (f.source && n < (int)sizeof(q))
		n += snprintf(q + n, sizeof(q) - (size_t)n, "&source=%s", f.source);
	if (f.line_id && n < (int)sizeof(q))
		n += snprintf(q + n, sizeof(q) - (size_t)n, "&line=%lld", (long long)f.line_id);
	if (f.grant_id && n < (int)sizeof(q))
		n += snprintf(q + n, sizeof(q) - (size_t)n, "&grant=%lld", (long long)f.grant_id);
	if (f.with_retired && n < (int)sizeof(q))
		snprintf(q + n, sizeof(q) - (size_t)n, "&retired=1");
	json_int_t pg = json_integer_value(json_object_get(list, "page")),
	           pages = json_integer_value(json_object_get(list, "pages"));
	json_t *pager = json_pack("{s:I, s:I}", "page", pg, "pages", pages);
	char href[320];
	if (pg > 1) {
		snprintf(href, sizeof(href), "/program/executions?%s&page=%lld", q,
		         (long long)pg - 1);
		json_object_set_new(pager, "prev", json_string(href));
	}
	if (pg < pages) {
		snprintf(href, sizeof(href), "/program/executions?%s&page=%lld", q,
		         (long long)pg + 1);
		json_object_set_new(pager, "next", json_string(href));
	}
	snprintf(cur, sizeof(cur), "%lld", (long long)id);
	json_t *m = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:{}, s:{}, s:s}",
	                      "program", p, "list", list, "years", years, "line_options", line_opts,
	                      "pager", pager, "notices", notices, "with_retired", f.with_retired,
	                      "can_change", leader, "errors", "values", "query", q);
	json_object_set_new(m, "sources", options("source", f.source));
	if (f.grant_id)
		json_object_set_new(m, "grant", json_integer(f.grant_id));
	json_decref(lines);
	(void)cur;
	return m;
}

void web_program_executions(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *m = executions_model(rq, rs, id);
	if (m) {
		web_program_budget_links(rq, m, id);
		web_page(rs, "program/executions", "집행 내역", m);
	}
}

void web_program_execution_correct(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *fields = json_object();
	int64_t eid = rq_param_id(rq, "id"), new_id = 0;
	struct execution_input in = {form_id(rq, "line_id"),        rq_form(rq, "executed_on"),
	                             rq_form(rq, "amount"),         rq_form(rq, "memo"),
	                             rq_form(rq, "grant_id"),       rq_form(rq, "over_reason"),
	                             form_flag(rq, "confirm_over"), 0};
	bz_rc rc = eid > 0 ? budget_execution_correct(rq->db, &rq->user, id, eid,
	                                              rq_form(rq, "reason"), &in, fields, &new_id)
	                   : BZ_ERR_NOTFOUND;
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[160];
		snprintf(loc, sizeof(loc), "/program/executions?program=%lld&retired=1#x-%lld",
		         (long long)id, (long long)new_id);
		web_flash(rs, rq, "success", "execution_corrected");
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONFLICT) {
		json_t *m = executions_model(rq, rs, id);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		json_t *values = json_object();
		for (size_t i = 0; i < rq->form.n; i++)
			if (strcmp(rq->form.items[i].key, "csrf"))
				json_object_set_new(values, rq->form.items[i].key,
				                    json_string(rq->form.items[i].value));
		/* the row being corrected opens with what was typed */
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(json_object_get(m, "list"), "rows"), i, t)
		{
			if (json_integer_value(json_object_get(t, "id")) != eid)
				continue;
			json_object_set_new(t, "open", json_true());
			json_object_set(t, "typed", values);
			reselect(json_object_get(t, "line_options"), "id", rq_form(rq, "line_id"));
		}
		json_object_set_new(m, "values", values);
		web_invalid(rs, "program/executions", "집행 내역", m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "정정할 집행 기록을 찾지 못했습니다.");
	else
		web_error(rs, 500, "internal", "저장하지 못했습니다.");
}
