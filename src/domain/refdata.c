/* Reference data that administrators keep: SOS case categories, activity
 * types (and the card rows they count towards), departments and outside
 * agencies, holidays, and the KSIC industry codes. Every kind is changed the
 * same way: validate, write in one transaction, audit (kind:id), and a clash of
 * names becomes a field error. See include/bizsos/refdata.h. */
#include "bizsos/refdata.h"
#include "bizsos/codes.h"
#include "bizsos/sos_case.h"
#include "bizsos/user.h"
#include "bizsos/validate.h"
#include "bizsos/workday.h"
#include "case_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL (departments, holidays, KSIC) ------------------------------------- */

static const char SQL_HOLIDAYS[] = "SELECT day FROM holiday WHERE retired_at IS NULL ORDER BY day";
static const char SQL_HOLIDAYS_FROM[] =
    "SELECT day FROM holiday WHERE day >= ?1 AND retired_at IS NULL ORDER BY day";
static const char SQL_KSIC_ALL[] = "SELECT code, section, name FROM ksic ORDER BY section, code";
static const char SQL_KSIC_SECTIONS[] =
    "SELECT code, section, name FROM ksic WHERE code = section ORDER BY code";
static const char SQL_DEPT_LIST[] =
    "SELECT d.id, d.name, d.kind, d.retired_at IS NOT NULL,"
    " (SELECT count(*) FROM app_user u WHERE u.department_id = d.id AND u.disabled_at IS NULL)"
    " FROM department d ORDER BY d.retired_at IS NOT NULL, d.kind, d.name";
static const char SQL_DEPT_FIND_NAME[] = "SELECT id FROM department WHERE name = ?1";
static const char SQL_DEPT_INSERT[] =
    "INSERT INTO department (name, kind, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_DEPT_GET[] =
    "SELECT name, retired_at IS NOT NULL FROM department WHERE id = ?1";
static const char SQL_DEPT_RETIRE[] = "UPDATE department SET retired_at = ?2 WHERE id = ?1";
static const char SQL_HOL_LIST[] =
    "SELECT day, name, kind, retired_at IS NOT NULL FROM holiday WHERE day BETWEEN ?1 AND ?2"
    " ORDER BY day";
static const char SQL_HOL_GET[] =
    "SELECT name, kind, retired_at IS NOT NULL FROM holiday WHERE day = ?1";
static const char SQL_HOL_INSERT[] = "INSERT INTO holiday (day, name, kind) VALUES (?1, ?2, ?3)";
static const char SQL_HOL_REVIVE[] =
    "UPDATE holiday SET name = ?2, kind = ?3, retired_at = NULL WHERE day = ?1";
static const char SQL_HOL_RETIRE[] =
    "UPDATE holiday SET retired_at = ?2 WHERE day = ?1 AND retired_at IS NULL";

/* ---- the one write pattern ------------------------------------------------ */

/* The end of every reference-data write, inside its transaction: on success the
 * change is audited (action, object "kind:id" or "kind:key", detail stolen) and
 * committed; on failure detail is dropped and the transaction rolled back. With
 * dup_msg, a name clash (BZ_ERR_CONSTRAINT) becomes fields.name = dup_msg and
 * BZ_ERR_INVALID. Returns the final code. */
static bz_rc ref_done(struct db *db, bz_rc rc, int64_t actor_id, const char *action,
                      const char *kind, int64_t id, const char *key, json_t *detail, json_t *fields,
                      const char *dup_msg)
{
	if (rc == BZ_ERR_CONSTRAINT && dup_msg)
		val_field_error(fields, "name", dup_msg);
	if (rc == BZ_OK) {
		char object[64];
		if (key)
			snprintf(object, sizeof(object), "%s:%s", kind, key);
		else
			snprintf(object, sizeof(object), "%s:%lld", kind, (long long)id);
		rc = audit_log_json(db, actor_id, action, object, detail);
	} else {
		json_decref(detail);
	}
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc == BZ_ERR_CONSTRAINT && dup_msg ? BZ_ERR_INVALID : rc;
}

/* ---- SOS case categories --------------------------------------------------------- */

static const char SQL_CATEGORIES[] =
    "SELECT id, name, default_days, retired_at IS NOT NULL AS retired, retired_at "
    "FROM case_category WHERE ?1 OR retired_at IS NULL ORDER BY retired_at IS NOT NULL, sort, id";
static const char SQL_CATEGORY_ADD[] =
    "INSERT INTO case_category (name, default_days, sort) "
    "VALUES (?1, ?2, (SELECT coalesce(max(sort), 0) + 10 FROM case_category))";
static const char SQL_CATEGORY_GET[] =
    "SELECT name, default_days, retired_at IS NOT NULL FROM case_category WHERE id = ?1";
static const char SQL_CATEGORY_SET[] =
    "UPDATE case_category SET name = ?2, default_days = ?3, "
    "retired_at = CASE WHEN ?4 THEN coalesce(retired_at, ?5) END WHERE id = ?1";

bz_rc case_categories(struct db *db, bool include_retired, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CATEGORIES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, include_retired);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_t *o = case_row_json(st);
		json_object_set_new(o, "retired", json_boolean(sqlite3_column_int(st, 3)));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, rc, "categories");
	}
	*out = a;
	return BZ_OK;
}

bz_rc case_category_save(struct db *db, const struct user *actor, int64_t id, const char *name,
                         const char *default_days, bool retired, json_t *fields)
{
	if (!case_may(actor, CASE_ACT_CATEGORIES))
		return BZ_ERR_FORBIDDEN;
	if (name == NULL || !user_text_valid(name, 50))
		val_field_error(fields, "name", "분류 이름을 1~50자로 입력해 주세요.");
	char *end = NULL;
	long days = default_days ? strtol(default_days, &end, 10) : 0;
	if (default_days == NULL || end == default_days || *end != '\0' || days < 1 || days > 365)
		val_field_error(fields, "default_days",
		                "처리 기간은 1~365 사이의 근무일 수로 입력해 주세요.");
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	bz_rc rc;
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	sqlite3_stmt *st;
	json_t *detail = NULL;
	if (id == 0) {
		st = db_stmt(db, SQL_CATEGORY_ADD);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_text(st, 1, name);
		db_bind_int(st, 2, days);
		rc = db_rc(db, db_step(st), "category add");
		sqlite3_reset(st);
		id = db_last_id(db);
		detail = json_pack("{s:s, s:i}", "name", name, "default_days", (int)days);
	} else {
		st = db_stmt(db, SQL_CATEGORY_GET);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_int(st, 1, id);
		if (db_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			rc = BZ_ERR_NOTFOUND;
			goto out;
		}
		detail =
		    json_pack("{s:{s:s, s:i, s:b}, s:{s:s, s:i, s:b}}", "old", "name",
		              (const char *)sqlite3_column_text(st, 0), "default_days",
		              sqlite3_column_int(st, 1), "retired", sqlite3_column_int(st, 2),
		              "new", "name", name, "default_days", (int)days, "retired", retired);
		sqlite3_reset(st);
		st = db_stmt(db, SQL_CATEGORY_SET);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		char now[24];
		db_now_utc(now);
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, name);
		db_bind_int(st, 3, days);
		db_bind_int(st, 4, retired);
		db_bind_text(st, 5, now);
		rc = db_rc(db, db_step(st), "category set");
		sqlite3_reset(st);
	}
out:
	return ref_done(db, rc, actor->id, "case_category.save", "case_category", id, NULL, detail,
	                fields, "같은 이름의 분류가 이미 있습니다.");
}

/* ---- activity types------------------------------------------------------------ */

static const struct code_label card_rows[] = {
    {"operating_plan", "운영계획 수립"},
    {"mayor_site_visit", "시장 기업체 현장방문"},
    {"roundtable", "기업애로 간담회"},
    {"one_stop_meeting", "기업원스톱처리 회의"},
    {"mobile_squad", "찾아가는 기업SOS 기동반"},
    {"comm_day", "발로뛰는 기업소통 Day"},
    {"anniversary_letter", "창립기념일 축하서한문 전달"},
    {"education", "지식산업센터 교육"},
};

const char *activity_card_row_label(const char *code)
{
	return code_label_find(card_rows, BZ_ARRAY_LEN(card_rows), code);
}

json_t *activity_card_rows_json(void)
{
	return code_label_choices(card_rows, BZ_ARRAY_LEN(card_rows), 0);
}

static const char SQL_TYPES[] =
    "SELECT t.id, t.code, t.name, t.card_row, t.parent_id, p.name, t.sort, "
    "t.retired_at IS NOT NULL "
    "FROM activity_type t LEFT JOIN activity_type p ON p.id = t.parent_id "
    "WHERE ?1 OR t.retired_at IS NULL "
    "ORDER BY coalesce(p.sort, t.sort), coalesce(p.id, t.id), t.parent_id IS NOT NULL, t.sort, "
    "t.id";

bz_rc activity_types(struct db *db, bool include_retired, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TYPES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, include_retired);
	json_t *a = json_array();
	int src;
	while ((src = db_step(st)) == SQLITE_ROW) {
		const char *name = db_col_text(st, 2);
		bool sub = sqlite3_column_type(st, 4) != SQLITE_NULL;
		char label[256];
		snprintf(label, sizeof(label), "%s%s", sub ? "— " : "", name);
		const char *row = (const char *)sqlite3_column_text(st, 3);
		const char *rl = activity_card_row_label(row);
		json_t *t =
		    json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, s:o, s:o, s:i, s:b, s:b}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "code", db_col_json(st, 1),
		              "name", name, "label", label, "card_row", db_col_json(st, 3),
		              "card_row_label", rl ? rl : "집계 안 함", "parent_id",
		              sub ? json_integer(sqlite3_column_int64(st, 4)) : json_null(),
		              "parent_name", db_col_json(st, 5), "sort", sqlite3_column_int(st, 6),
		              "retired", sqlite3_column_int(st, 7), "sub", sub);
		json_array_append_new(a, t);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, "activity types");
	}
	*out = a;
	return BZ_OK;
}

static const char SQL_TYPE_BY_CODE[] = "SELECT id FROM activity_type WHERE code = ?1";

int64_t activity_type_id(struct db *db, const char *code)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TYPE_BY_CODE);
	if (st == NULL)
		return 0;
	db_bind_text(st, 1, code);
	int64_t id = db_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

static const char SQL_TYPE_ROW[] =
    "SELECT id, parent_id, retired_at IS NOT NULL, name, coalesce(card_row, ''), sort "
    "FROM activity_type WHERE id = ?1";
static const char SQL_TYPE_HAS_SUBS[] = "SELECT 1 FROM activity_type WHERE parent_id = ?1 LIMIT 1";
static const char SQL_TYPE_ADD[] =
    "INSERT INTO activity_type (name, card_row, parent_id, sort) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_TYPE_SET[] =
    "UPDATE activity_type SET name = ?2, card_row = ?3, parent_id = ?4, sort = ?5, "
    "retired_at = CASE WHEN ?6 THEN coalesce(retired_at, ?7) ELSE NULL END WHERE id = ?1";

bz_rc activity_type_save(struct db *db, const struct user *actor, int64_t id, const char *name,
                         const char *card_row, const char *parent_id, const char *sort,
                         bool retired, json_t *fields)
{
	if (!(actor->role & ROLE_ADMIN))
		return BZ_ERR_FORBIDDEN;
	if (name == NULL || !user_text_valid(name, ACTIVITY_TYPE_CHARS))
		val_field_error(fields, "name", "이름을 1~50자로 입력해 주세요.");
	const char *row = val_blank(card_row) ? NULL : card_row;
	if (row && activity_card_row_label(row) == NULL)
		val_field_error(fields, "card_row", "실적표의 항목을 목록에서 골라 주세요.");
	int64_t parent = val_blank(parent_id) ? 0 : val_parse_id(parent_id);
	if (!val_blank(parent_id) && parent == 0)
		val_field_error(fields, "parent_id", "상위 유형을 목록에서 골라 주세요.");
	long sortv = 0;
	if (!val_blank(sort)) {
		char *end = NULL;
		sortv = strtol(sort, &end, 10);
		if (*end != '\0' || sortv < 0 || sortv > 100000)
			val_field_error(fields, "sort",
			                "순서는 0~100000 사이의 숫자로 입력해 주세요.");
	}
	if (parent && parent == id)
		val_field_error(fields, "parent_id", "자기 자신을 상위 유형으로 고를 수 없습니다.");
	sqlite3_stmt *st;
	if (parent && json_object_get(fields, "parent_id") == NULL) {
		st = db_stmt(db, SQL_TYPE_ROW);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, parent);
		int src = db_step(st);
		bool ok = src == SQLITE_ROW && sqlite3_column_type(st, 1) == SQLITE_NULL;
		sqlite3_reset(st);
		if (!ok)
			val_field_error(fields, "parent_id",
			                "상위 유형은 하위 유형이 아닌 유형이어야 합니다.");
	}
	if (parent && id) {
		st = db_stmt(db, SQL_TYPE_HAS_SUBS);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		bool has = db_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (has)
			val_field_error(
			    fields, "parent_id",
			    "하위 유형이 있는 유형은 다른 유형의 하위로 옮길 수 없습니다.");
	}
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *detail =
	    json_pack("{s:s, s:s?, s:I, s:i, s:b}", "name", name, "card_row", row, "parent_id",
	              (json_int_t)parent, "sort", (int)sortv, "retired", retired);
	if (id == 0) {
		st = db_stmt(db, SQL_TYPE_ADD);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, row);
		if (parent)
			db_bind_int(st, 3, parent);
		db_bind_int(st, 4, sortv);
		rc = db_rc(db, db_step(st), "activity type add");
		sqlite3_reset(st);
		id = db_last_id(db);
	} else {
		st = db_stmt(db, SQL_TYPE_ROW);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_int(st, 1, id);
		bool found = db_step(st) == SQLITE_ROW;
		if (found)
			json_object_set_new(detail, "old",
			                    json_pack("{s:s, s:s, s:i}", "name", db_col_text(st, 3),
			                              "card_row", db_col_text(st, 4), "sort",
			                              sqlite3_column_int(st, 5)));
		sqlite3_reset(st);
		if (!found) {
			rc = BZ_ERR_NOTFOUND;
			goto out;
		}
		char now[24];
		db_now_utc(now);
		st = db_stmt(db, SQL_TYPE_SET);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, row);
		if (parent)
			db_bind_int(st, 4, parent);
		db_bind_int(st, 5, sortv);
		db_bind_int(st, 6, retired);
		db_bind_text(st, 7, now);
		rc = db_rc(db, db_step(st), "activity type set");
		sqlite3_reset(st);
	}
out:
	return ref_done(db, rc, actor->id, "activity_type.save", "activity_type", id, NULL, detail,
	                fields, "같은 이름의 유형이 이미 있습니다.");
}

/* ---- KSIC ------------------------------------------------------------------ */

bz_rc company_ksic(struct db *db, bool sections_only, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sections_only ? SQL_KSIC_SECTIONS : SQL_KSIC_ALL);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *arr = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		char label[400];
		bool section = strcmp(db_col_text(st, 0), db_col_text(st, 1)) == 0;
		if (section)
			snprintf(label, sizeof(label), "%s. %s (대분류)", db_col_text(st, 0),
			         db_col_text(st, 2));
		else
			snprintf(label, sizeof(label), "%s %s", db_col_text(st, 0),
			         db_col_text(st, 2));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b}", "code",
		                                     db_col_text(st, 0), "section",
		                                     db_col_text(st, 1), "name", db_col_text(st, 2),
		                                     "label", label, "is_section", section));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "ksic");
	}
	*out = arr;
	return BZ_OK;
}

/* ---- departments --------------------------------------------------------- */

static const char *dept_kind_label(const char *kind)
{
	return strcmp(kind, "agency") == 0 ? "외부기관" : "시 부서";
}

bz_rc department_list(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *arr = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW)
		json_array_append_new(arr,
		                      json_pack("{s:I, s:s, s:s, s:s, s:b, s:I}", "id",
		                                (json_int_t)sqlite3_column_int64(st, 0), "name",
		                                db_col_text(st, 1), "kind", db_col_text(st, 2),
		                                "kind_label", dept_kind_label(db_col_text(st, 2)),
		                                "retired", sqlite3_column_int(st, 3), "users",
		                                (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "departments");
	}
	*out = arr;
	return BZ_OK;
}

bz_rc department_add(struct db *db, int64_t actor_id, const char *name, const char *kind,
                     json_t **fields, int64_t *id_out)
{
	*fields = NULL;
	char *n = val_trimdup(name);
	bz_rc rc = BZ_OK;
	if (n == NULL)
		val_field_error_new(fields, "name", "부서·기관 이름을 입력하세요.");
	else if (!user_text_valid(n, 100))
		val_field_error_new(fields, "name", "부서·기관 이름은 100자 이내로 입력하세요.");
	if (kind == NULL || (strcmp(kind, "internal") != 0 && strcmp(kind, "agency") != 0))
		val_field_error_new(fields, "kind", "구분(시 부서 또는 외부기관)을 고르세요.");
	if (*fields) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_FIND_NAME);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, n);
	int r = db_step(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW) {
		val_field_error_new(
		    fields, "name",
		    "이미 있는 이름입니다. 사용을 멈춘 부서라면 목록에서 다시 사용으로 바꾸세요.");
		rc = BZ_ERR_CONSTRAINT;
		goto rollback;
	}
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_DEPT_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, n);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, now);
	if ((rc = db_step_done(db, st, "department insert")) != BZ_OK)
		goto rollback;
	*id_out = db_last_id(db);
	rc = ref_done(db, BZ_OK, actor_id, "department.add", "department", *id_out, NULL,
	              json_pack("{s:s, s:s}", "name", n, "kind", kind), NULL, NULL);
	goto out;
rollback:
	db_rollback(db);
out:
	free(n);
	return rc;
}

bz_rc department_set_retired(struct db *db, int64_t actor_id, int64_t id, bool retired)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_GET);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	int r = db_step(st);
	char *name = r == SQLITE_ROW ? strdup(db_col_text(st, 0)) : NULL;
	bool was = r == SQLITE_ROW && sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		db_rollback(db);
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "department get");
	}
	if (was == retired) {
		free(name);
		db_rollback(db);
		return BZ_OK;
	}
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_DEPT_RETIRE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
	} else {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, retired ? now : NULL);
		rc = db_step_done(db, st, "department retire");
	}
	rc = ref_done(db, rc, actor_id, retired ? "department.retire" : "department.restore",
	              "department", id, NULL, json_pack("{s:s}", "name", name ? name : ""), NULL,
	              NULL);
	free(name);
	return rc;
}

/* ---- holidays ------------------------------------------------------------ */

const char *holiday_kind_label(const char *kind)
{
	static const char *const map[][2] = {
	    {"legal", "법정공휴일"},
	    {"substitute", "대체공휴일"},
	    {"temporary", "임시공휴일"},
	    {"election", "선거일"},
	};
	for (size_t i = 0; kind && i < BZ_ARRAY_LEN(map); i++)
		if (strcmp(map[i][0], kind) == 0)
			return map[i][1];
	return NULL;
}

static bz_rc holidays_add(struct db *db, sqlite3_stmt *st, struct workday_holidays *h)
{
	int rc;
	bz_rc r = BZ_OK;
	while ((rc = db_step(st)) == SQLITE_ROW && r == BZ_OK)
		r = workday_holidays_add_text(h, db_col_text(st, 0));
	if (r != BZ_OK) {
		sqlite3_reset(st);
		return r;
	}
	return db_rows_end(db, st, rc, "holidays");
}

bz_rc holiday_set_load(struct db *db, struct workday_holidays *h)
{
	sqlite3_stmt *st = db_stmt(db, SQL_HOLIDAYS);
	return st ? holidays_add(db, st, h) : BZ_ERR_DB;
}

bz_rc holiday_set_load_from(struct db *db, const char *from, struct workday_holidays *h)
{
	sqlite3_stmt *st = db_stmt(db, SQL_HOLIDAYS_FROM);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, from);
	return holidays_add(db, st, h);
}

bz_rc holiday_list(struct db *db, int year, json_t **out)
{
	char from[16], to[16];
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	sqlite3_stmt *st = db_stmt(db, SQL_HOL_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	json_t *arr = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		int32_t day;
		const char *wd =
		    date_parse(db_col_text(st, 0), &day, NULL) == BZ_OK ? date_weekday_ko(day) : "";
		const char *label = holiday_kind_label(db_col_text(st, 2));
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "day",
		                                db_col_text(st, 0), "weekday", wd, "name",
		                                db_col_text(st, 1), "kind", db_col_text(st, 2),
		                                "kind_label", label ? label : db_col_text(st, 2),
		                                "retired", sqlite3_column_int(st, 3)));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "holidays");
	}
	*out = arr;
	return BZ_OK;
}

bz_rc holiday_add(struct db *db, int64_t actor_id, const char *day, const char *name,
                  const char *kind, json_t **fields)
{
	*fields = NULL;
	char *n = val_trimdup(name), *d = val_trimdup(day);
	const char *msg = NULL;
	int32_t dn;
	bz_rc rc = BZ_OK;
	if (date_parse(d, &dn, &msg) != BZ_OK)
		val_field_error_new(fields, "day", msg);
	else if (date_year(dn) < 2000 || date_year(dn) > 2100)
		val_field_error_new(fields, "day", "2000년부터 2100년 사이의 날짜를 입력하세요.");
	if (n == NULL)
		val_field_error_new(fields, "name", "휴일 이름을 입력하세요.");
	else if (!user_text_valid(n, 50))
		val_field_error_new(fields, "name", "휴일 이름은 50자 이내로 입력하세요.");
	if (holiday_kind_label(kind) == NULL)
		val_field_error_new(fields, "kind", "휴일 종류를 고르세요.");
	if (*fields) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;
	sqlite3_stmt *st = db_stmt(db, SQL_HOL_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, d);
	int r = db_step(st);
	bool exists = r == SQLITE_ROW, retired = exists && sqlite3_column_int(st, 2);
	char old_name[256] = "";
	if (exists)
		bz_strlcpy(old_name, db_col_text(st, 0), sizeof(old_name));
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		rc = db_rc(db, r, "holiday get");
		goto rollback;
	}
	if (exists && !retired) {
		char m[400];
		snprintf(m, sizeof(m), "이미 휴일로 등록된 날입니다(%s).", old_name);
		val_field_error_new(fields, "day", m);
		rc = BZ_ERR_CONSTRAINT;
		goto rollback;
	}
	st = db_stmt(db, exists ? SQL_HOL_REVIVE : SQL_HOL_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, d);
	db_bind_text(st, 2, n);
	db_bind_text(st, 3, kind);
	if ((rc = db_step_done(db, st, "holiday add")) != BZ_OK)
		goto rollback;
	rc = ref_done(db, BZ_OK, actor_id, exists ? "holiday.restore" : "holiday.add", "holiday", 0,
	              d, json_pack("{s:s, s:s}", "name", n, "kind", kind), NULL, NULL);
	goto out;
rollback:
	db_rollback(db);
out:
	free(n);
	free(d);
	return rc;
}

bz_rc holiday_retire(struct db *db, int64_t actor_id, const char *day)
{
	int32_t dn;
	if (day == NULL || date_parse(day, &dn, NULL) != BZ_OK)
		return BZ_ERR_NOTFOUND;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_HOL_RETIRE);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, day);
	db_bind_text(st, 2, now);
	if ((rc = db_step_done(db, st, "holiday retire")) != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	if (db_changes(db) == 0) {
		db_rollback(db);
		return BZ_ERR_NOTFOUND;
	}
	return ref_done(db, BZ_OK, actor_id, "holiday.retire", "holiday", 0, day, json_pack("{}"),
	                NULL, NULL);
}
