/* A program's roadmap tasks, yearly self-assessment and next plans. See
 * include/bizsos/program.h. */
#include "program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_TASKS[] =
    "SELECT id, title, first_quarter, last_quarter, beyond_term, status FROM roadmap_task"
    " WHERE program_id = ? AND retired_at IS NULL ORDER BY sort, id";
static const char SQL_TASK_GET[] =
    "SELECT title, first_quarter, last_quarter, beyond_term, status FROM roadmap_task"
    " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_TASK_INSERT[] =
    "INSERT INTO roadmap_task (program_id, title, first_quarter, last_quarter, beyond_term,"
    " status, sort) VALUES (?, ?, ?, ?, ?, ?,"
    " (SELECT COALESCE(max(sort), 0) + 1 FROM roadmap_task WHERE program_id = ?1))";
static const char SQL_TASK_UPDATE[] =
    "UPDATE roadmap_task SET title = ?, first_quarter = ?, last_quarter = ?, beyond_term = ?,"
    " status = ? WHERE id = ?";
static const char SQL_TASK_RETIRE[] = "UPDATE roadmap_task SET retired_at = ? WHERE id = ?";
static const char SQL_SA_YEARS[] =
    "SELECT DISTINCT year FROM self_assessment_item WHERE program_id = ? AND retired_at IS NULL"
    " ORDER BY year DESC";
static const char SQL_SA_ITEMS[] =
    "SELECT id, kind, COALESCE(parent_id, 0), body FROM self_assessment_item"
    " WHERE program_id = ? AND year = ? AND retired_at IS NULL"
    " ORDER BY kind, COALESCE(parent_id, 0) <> 0, sort, id";
static const char SQL_SA_GET[] =
    "SELECT year, kind, COALESCE(parent_id, 0), body FROM self_assessment_item"
    " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_SA_INSERT[] =
    "INSERT INTO self_assessment_item (program_id, year, kind, parent_id, body, sort,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
    " (SELECT COALESCE(max(sort), 0) + 1 FROM self_assessment_item WHERE program_id = ?1"
    "  AND year = ?2 AND kind = ?3), ?6, ?6)";
static const char SQL_SA_UPDATE[] =
    "UPDATE self_assessment_item SET body = ?, updated_at = ? WHERE id = ?";
static const char SQL_SA_RETIRE[] =
    "UPDATE self_assessment_item SET retired_at = ?1 WHERE id = ?2 OR parent_id = ?2";
static const char SQL_PLANS[] =
    "SELECT id, period_label, starts_on, ends_on, plan FROM next_plan"
    " WHERE program_id = ? AND retired_at IS NULL ORDER BY starts_on, sort, id";
static const char SQL_PLAN_GET[] = "SELECT period_label, starts_on, ends_on, plan FROM next_plan"
                                   " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_PLAN_INSERT[] =
    "INSERT INTO next_plan (program_id, period_label, starts_on, ends_on, plan, sort)"
    " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(max(sort), 0) + 1 FROM next_plan"
    " WHERE program_id = ?1))";
static const char SQL_PLAN_UPDATE[] =
    "UPDATE next_plan SET period_label = ?, starts_on = ?, ends_on = ?, plan = ? WHERE id = ?";
static const char SQL_PLAN_RETIRE[] = "UPDATE next_plan SET retired_at = ? WHERE id = ?";

/* ------------------------------------------------------------- roadmap -- */

bz_rc roadmap_tasks(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TASKS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *l = program_label("task_status", db_col_text(st, 5));
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "title",
		                                   db_col_text(st, 1), "first_quarter",
		                                   db_col_text(st, 2), "last_quarter",
		                                   db_col_text(st, 3), "beyond_term",
		                                   sqlite3_column_int(st, 4), "status",
		                                   db_col_text(st, 5), "status_label", l ? l : ""));
	}
	return db_rows_json(db, st, rc, "roadmap", a, out);
}

struct task_in {
	const char *title, *first_quarter, *last_quarter, *status;
	bool beyond_term;
};

static void task_row(sqlite3_stmt *st, struct buf *out)
{
	buf_printf(out, "%s (%s ~ %s%s, %s)", db_col_text(st, 0), db_col_text(st, 1),
	           db_col_text(st, 2), sqlite3_column_int(st, 3) ? ", 임기후" : "",
	           program_label("task_status", db_col_text(st, 4)));
}

static void task_new(const void *in, struct buf *out)
{
	const struct task_in *t = in;
	buf_printf(out, "%s (%s ~ %s%s, %s)", t->title, t->first_quarter, t->last_quarter,
	           t->beyond_term ? ", 임기후" : "", program_label("task_status", t->status));
}

static void task_bind(sqlite3_stmt *st, bool insert, int64_t program_id, int64_t row_id,
                      const void *in, const char *now)
{
	(void)now;
	const struct task_in *t = in;
	int i = 1;
	if (insert)
		db_bind_int(st, i++, program_id);
	db_bind_text(st, i++, t->title);
	db_bind_text(st, i++, t->first_quarter);
	db_bind_text(st, i++, t->last_quarter);
	db_bind_int(st, i++, t->beyond_term);
	db_bind_text(st, i++, t->status);
	if (!insert)
		db_bind_int(st, i, row_id);
}

static const struct prog_child task_kind = {
    .object = "roadmap_task",
    .field = "task",
    .what = "roadmap save",
    .get_sql = SQL_TASK_GET,
    .insert_sql = SQL_TASK_INSERT,
    .update_sql = SQL_TASK_UPDATE,
    .retire_sql = SQL_TASK_RETIRE,
    .skip_unchanged = true,
    .describe_row = task_row,
    .describe_new = task_new,
    .bind = task_bind,
};

bz_rc roadmap_task_save(struct db *db, const struct user *actor, int64_t program_id,
                        int64_t task_id, const char *title, const char *first_quarter,
                        const char *last_quarter, bool beyond_term, const char *status, bool retire,
                        json_t *fields)
{
	if (!retire) {
		if (val_blank_wide(title) || !val_text_ok(title, 200))
			val_field_error(fields, "title", "과제명을 200자 이내로 입력해 주세요.");
		if (!prog_quarter_text_ok(first_quarter))
			val_field_error(fields, "first_quarter",
			                "시작 분기를 2022-Q3 형식으로 적어 주세요.");
		if (!prog_quarter_text_ok(last_quarter))
			val_field_error(fields, "last_quarter",
			                "종료 분기를 2026-Q2 형식으로 적어 주세요.");
		else if (prog_quarter_text_ok(first_quarter) &&
		         strcmp(last_quarter, first_quarter) < 0)
			val_field_error(fields, "last_quarter",
			                "종료 분기가 시작 분기보다 앞설 수 없습니다.");
		if (program_label("task_status", status) == NULL)
			val_field_error(fields, "status", "진행 상태를 골라 주세요.");
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	struct task_in in = {title, first_quarter, last_quarter, status, beyond_term};
	return prog_child_save(db, actor, &task_kind, program_id, task_id, retire, NULL, &in,
	                       fields);
}

/* ----------------------------------------------------- self-assessment -- */

bz_rc self_assessment(struct db *db, int64_t program_id, int year, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SA_YEARS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *years = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(years, json_integer(sqlite3_column_int(st, 0)));
	if (db_rows_json(db, st, rc, "self-assessment years", years, &years) != BZ_OK)
		return BZ_ERR_DB;
	if (year <= 0)
		year =
		    json_array_size(years) ? (int)json_integer_value(json_array_get(years, 0)) : 0;
	json_t *o = json_pack("{s:o, s:i, s:[], s:[], s:b}", "years", years, "year", year,
	                      "went_well", "improvement", "many_years", json_array_size(years) > 1);
	st = db_stmt(db, SQL_SA_ITEMS);
	if (st == NULL) {
		json_decref(o);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_t *list = json_object_get(o, db_col_text(st, 1));
		if (list == NULL)
			continue;
		int64_t id = sqlite3_column_int64(st, 0), parent = sqlite3_column_int64(st, 2);
		json_t *item = json_pack("{s:I, s:s, s:s, s:[]}", "id", (json_int_t)id, "body",
		                         db_col_text(st, 3), "kind", db_col_text(st, 1), "subs");
		if (parent == 0) {
			json_array_append_new(list, item);
			continue;
		}
		size_t i;
		json_t *p;
		bool placed = false;
		json_array_foreach(list, i, p)
		{
			if (json_integer_value(json_object_get(p, "id")) == parent) {
				json_array_append_new(json_object_get(p, "subs"), item);
				json_object_set_new(p, "has_subs", json_true());
				placed = true;
				break;
			}
		}
		if (!placed)
			json_array_append_new(list, item);
	}
	return db_rows_json(db, st, rc, "self assessment", o, out);
}

struct sa_in {
	int year;
	const char *kind, *body;
	int64_t parent_id;
};

static void sa_row(sqlite3_stmt *st, struct buf *out)
{
	buf_puts(out, db_col_text(st, 3));
}

static void sa_new(const void *in, struct buf *out)
{
	buf_puts(out, ((const struct sa_in *)in)->body);
}

static void sa_bind(sqlite3_stmt *st, bool insert, int64_t program_id, int64_t row_id,
                    const void *in, const char *now)
{
	const struct sa_in *a = in;
	if (insert) {
		db_bind_int(st, 1, program_id);
		db_bind_int(st, 2, a->year);
		db_bind_text(st, 3, a->kind);
		if (a->parent_id > 0)
			db_bind_int(st, 4, a->parent_id);
		else
			sqlite3_bind_null(st, 4);
		db_bind_text(st, 5, a->body);
		db_bind_text(st, 6, now);
	} else {
		db_bind_text(st, 1, a->body);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, row_id);
	}
}

/* A new sub-item's parent: a top item of the same program, year and kind. */
static bz_rc sa_check(struct db *db, int64_t program_id, int64_t row_id, const void *in,
                      json_t *fields)
{
	const struct sa_in *a = in;
	if (a->parent_id <= 0 || row_id > 0)
		return BZ_OK;
	sqlite3_stmt *st;
	bz_rc rc = prog_prepare(db, SQL_SA_GET, &st);
	if (rc != BZ_OK)
		return rc;
	db_bind_int(st, 1, a->parent_id);
	db_bind_int(st, 2, program_id);
	bool ok = db_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == a->year &&
	          strcmp(db_col_text(st, 1), a->kind) == 0 && sqlite3_column_int64(st, 2) == 0;
	sqlite3_reset(st);
	if (!ok) {
		val_field_error(fields, "parent_id", "상위 항목이 올바르지 않습니다.");
		return BZ_ERR_INVALID;
	}
	return BZ_OK;
}

static const struct prog_child sa_kind = {
    .object = "self_assessment",
    .what = "self assessment save",
    .get_sql = SQL_SA_GET,
    .insert_sql = SQL_SA_INSERT,
    .update_sql = SQL_SA_UPDATE,
    .retire_sql = SQL_SA_RETIRE,
    .skip_unchanged = true,
    .describe_row = sa_row,
    .describe_new = sa_new,
    .bind = sa_bind,
    .check = sa_check,
};

bz_rc self_assessment_save(struct db *db, const struct user *actor, int64_t program_id,
                           int64_t item_id, int year, const char *kind, int64_t parent_id,
                           const char *body, bool retire, json_t *fields)
{
	if (!retire) {
		if (val_blank_wide(body) || !val_text_ok(body, 500))
			val_field_error(fields, "body", "내용을 500자 이내로 입력해 주세요.");
		if (item_id <= 0) {
			if (year < 2000 || year > 2100)
				val_field_error(fields, "year", "연도를 골라 주세요.");
			if (program_label("sa_kind", kind) == NULL)
				val_field_error(fields, "kind",
				                "잘된 점 또는 개선계획을 골라 주세요.");
		}
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	struct sa_in in = {year, kind, body, parent_id};
	return prog_child_save(db, actor, &sa_kind, program_id, item_id, retire, kind, &in, fields);
}

/* ---------------------------------------------------------- next plans -- */

bz_rc next_plans(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PLANS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0),
		                                   "period_label", db_col_text(st, 1), "starts_on",
		                                   db_col_text(st, 2), "ends_on",
		                                   db_col_text(st, 3), "plan", db_col_text(st, 4)));
	return db_rows_json(db, st, rc, "next plans", a, out);
}

struct plan_in {
	const char *period_label, *starts_on, *ends_on, *plan;
};

static void plan_row(sqlite3_stmt *st, struct buf *out)
{
	buf_printf(out, "%s : %s", db_col_text(st, 0), db_col_text(st, 3));
}

static void plan_new(const void *in, struct buf *out)
{
	const struct plan_in *p = in;
	buf_printf(out, "%s : %s", p->period_label, p->plan);
}

static void plan_bind(sqlite3_stmt *st, bool insert, int64_t program_id, int64_t row_id,
                      const void *in, const char *now)
{
	(void)now;
	const struct plan_in *p = in;
	int i = 1;
	if (insert)
		db_bind_int(st, i++, program_id);
	db_bind_text(st, i++, p->period_label);
	db_bind_text(st, i++, p->starts_on);
	db_bind_text(st, i++, p->ends_on);
	db_bind_text(st, i++, p->plan);
	if (!insert)
		db_bind_int(st, i, row_id);
}

static const struct prog_child plan_kind = {
    .object = "next_plan",
    .field = "plan",
    .what = "next plan save",
    .get_sql = SQL_PLAN_GET,
    .insert_sql = SQL_PLAN_INSERT,
    .update_sql = SQL_PLAN_UPDATE,
    .retire_sql = SQL_PLAN_RETIRE,
    .describe_row = plan_row,
    .describe_new = plan_new,
    .bind = plan_bind,
};

bz_rc next_plan_save(struct db *db, const struct user *actor, int64_t program_id, int64_t plan_id,
                     const char *period_label, const char *starts_on, const char *ends_on,
                     const char *plan, bool retire, json_t *fields)
{
	if (!retire) {
		int32_t a = 0, b = 0;
		const char *msg = NULL;
		if (val_blank_wide(period_label) || !val_text_ok(period_label, 50))
			val_field_error(fields, "period_label",
			                "기간 표기를 50자 이내로 입력해 주세요.");
		if (date_parse(starts_on, &a, &msg) != BZ_OK)
			val_field_error(fields, "starts_on", msg ? msg : "시작일을 확인해 주세요.");
		msg = NULL;
		if (date_parse(ends_on, &b, &msg) != BZ_OK)
			val_field_error(fields, "ends_on", msg ? msg : "종료일을 확인해 주세요.");
		else if (a && b < a)
			val_field_error(fields, "ends_on", "종료일이 시작일보다 앞설 수 없습니다.");
		if (val_blank_wide(plan) || !val_text_ok(plan, 1000))
			val_field_error(fields, "plan", "계획을 1000자 이내로 입력해 주세요.");
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	struct plan_in in = {period_label, starts_on, ends_on, plan};
	return prog_child_save(db, actor, &plan_kind, program_id, plan_id, retire, NULL, &in,
	                       fields);
}
