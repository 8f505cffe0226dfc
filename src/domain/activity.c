/* Field work: activity types, activities and everything attached to them, the
 * list, calendar, yearly counts and anniversary reminders, photos, the phone
 * form's visit with its grievances, and one-stop meeting decisions. */
#include "bizsos/activity.h"
#include "bizsos/validate.h"
#include "bizsos/codes.h"
#include "bizsos/brn.h"
#include "bizsos/company.h"
#include "bizsos/sos_case.h"
#include "bizsos/view.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

/* "HH:MM" (00:00..23:59); NULL/"" is fine (no time). */
static bool hhmm_ok(const char *s)
{
	if (val_blank(s))
		return true;
	if (strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	return (s[0] - '0') * 10 + (s[1] - '0') < 24 && (s[3] - '0') < 6;
}

static void today_text(char out[DATE_TEXT_SIZE])
{
	date_format(date_from_unix_kst((int64_t)db_time()), out, DATE_TEXT_SIZE);
}

static bool may_write(const struct user *u)
{
	return (u->role & (ROLE_STAFF | ROLE_LEADER)) != 0;
}

/* "2024-05-03 (금)" */
static void date_label(const char *ymd, char *out, size_t outlen)
{
	int32_t d;
	if (ymd && date_parse(ymd, &d, NULL) == BZ_OK)
		snprintf(out, outlen, "%s (%s)", ymd, date_weekday_ko(d));
	else
		bz_strlcpy(out, ymd ? ymd : "", outlen);
}

static void time_label(const char *start, const char *end, char *out, size_t outlen)
{
	if (val_blank(start))
		out[0] = '\0';
	else if (val_blank(end))
		bz_strlcpy(out, start, outlen);
	else
		snprintf(out, outlen, "%s~%s", start, end);
}

/* ---- types ---------------------------------------------------------------- */

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
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
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
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
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
		int src = sqlite3_step(st);
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
		bool has = sqlite3_step(st) == SQLITE_ROW;
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
		rc = db_rc(db, sqlite3_step(st), "activity type add");
		sqlite3_reset(st);
		id = db_last_id(db);
	} else {
		st = db_stmt(db, SQL_TYPE_ROW);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_int(st, 1, id);
		bool found = sqlite3_step(st) == SQLITE_ROW;
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
		rc = db_rc(db, sqlite3_step(st), "activity type set");
		sqlite3_reset(st);
	}
	if (rc == BZ_ERR_CONSTRAINT)
		val_field_error(fields, "name", "같은 이름의 유형이 이미 있습니다.");
	if (rc == BZ_OK) {
		char object[48];
		snprintf(object, sizeof(object), "activity_type:%lld", (long long)id);
		rc = audit_log_json(db, actor->id, "activity_type.save", object, detail);
		detail = NULL;
	}
	if (rc == BZ_OK)
		rc = db_commit(db);
out:
	json_decref(detail);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_INVALID : rc;
}

/* ---- creating ------------------------------------------------------------- */

static const char SQL_TYPE_OK[] =
    "SELECT card_row FROM activity_type WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_COMPANY_OK[] = "SELECT 1 FROM company WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_STAFF_OK[] = "SELECT 1 FROM app_user WHERE id = ?1 AND disabled_at IS NULL "
                                   "AND role IN ('staff', 'leader', 'executive', 'admin')";
static const char SQL_DEPT_OK[] = "SELECT 1 FROM department WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_CASE_OK[] = "SELECT 1 FROM sos_case WHERE id = ?1 AND merged_into IS NULL";
static const char SQL_ACT_INSERT[] =
    "INSERT INTO activity (type_id, held_on, starts_at, ends_at, place, title, summary, "
    "created_by, created_at, updated_at, idempotency_key) "
    "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''), coalesce(?7, ''), ?8, ?9, ?9, "
    "?10)";
static const char SQL_ACT_COMPANY[] =
    "INSERT OR IGNORE INTO activity_company (activity_id, company_id) VALUES (?1, ?2)";
static const char SQL_ACT_STAFF[] =
    "INSERT OR IGNORE INTO activity_staff (activity_id, user_id) VALUES (?1, ?2)";
static const char SQL_ACT_AGENCY[] =
    "INSERT OR IGNORE INTO activity_agency (activity_id, department_id) VALUES (?1, ?2)";
static const char SQL_ACT_ATTENDEE[] =
    "INSERT INTO activity_attendee (activity_id, name, organisation) "
    "VALUES (?1, ?2, coalesce(?3, ''))";
static const char SQL_ACT_FOLLOWUP[] =
    "INSERT INTO activity_followup (activity_id, body, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_ACT_CASE[] =
    "INSERT OR IGNORE INTO activity_case (activity_id, case_id, kind, seq) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_ACT_EVENT[] =
    "INSERT INTO activity_event (activity_id, at, actor_id, kind, field, old, new) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_BY_KEY[] = "SELECT id FROM activity WHERE idempotency_key = ?1";

static bool row_exists(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

bool activity_key_valid(const char *key)
{
	if (key == NULL || strlen(key) != IDEMPOTENCY_KEY_HEX)
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

void activity_new_key(char out[IDEMPOTENCY_KEY_HEX + 1])
{
	unsigned char raw[IDEMPOTENCY_KEY_HEX / 2];
	if (sodium_init() < 0) {
		out[0] = '\0';
		return;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, IDEMPOTENCY_KEY_HEX + 1, raw, sizeof(raw));
}

bz_rc activity_by_key(struct db *db, const char *key, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, SQL_BY_KEY);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, key);
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return src == SQLITE_ROW ? BZ_OK : src == SQLITE_DONE ? BZ_ERR_NOTFOUND : BZ_ERR_DB;
}

/* Checks a list of ids against sql; errors go to fields[key]. */
static void check_ids(struct db *db, const char *sql, const char *const *ids, size_t n,
                      const char *key, const char *msg_bad, json_t *fields)
{
	if (n > ACTIVITY_LIST_MAX) {
		val_field_error(fields, key, "한 번에 50개까지 고를 수 있습니다.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t id = val_parse_id(ids[i]);
		if (id == 0 || !row_exists(db, sql, id)) {
			val_field_error(fields, key, msg_bad);
			return;
		}
	}
}

static size_t followup_lines(const char *s)
{
	size_t n = 0;
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		bool any = false;
		for (size_t i = 0; i < len; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
				any = true;
		n += any;
		s = nl ? nl + 1 : s + len;
	}
	return n;
}

bz_rc activity_validate(struct db *db, const struct activity_input *in, json_t *fields)
{
	int64_t type = val_parse_id(in->type_id);
	if (type == 0 || !row_exists(db, SQL_TYPE_OK, type))
		val_field_error(fields, "type_id", "활동 유형을 골라 주세요.");
	char today[DATE_TEXT_SIZE];
	today_text(today);
	int32_t d;
	const char *dmsg = NULL;
	if (val_blank(in->held_on))
		val_field_error(fields, "held_on", "날짜를 입력해 주세요.");
	else if (date_parse(in->held_on, &d, &dmsg) != BZ_OK)
		val_field_error(fields, "held_on",
		                dmsg ? dmsg : "날짜를 2024-05-03처럼 입력해 주세요.");
	else if (strcmp(in->held_on, today) > 0)
		val_field_error(fields, "held_on",
		                "한 일을 기록합니다. 날짜는 오늘 이후일 수 없습니다.");
	else if (strcmp(in->held_on, "2000-01-01") < 0)
		val_field_error(fields, "held_on", "날짜는 2000-01-01 이후여야 합니다.");
	if (!hhmm_ok(in->starts_at))
		val_field_error(fields, "starts_at", "시작 시각은 14:30처럼 입력해 주세요.");
	if (!hhmm_ok(in->ends_at))
		val_field_error(fields, "ends_at", "끝난 시각은 16:00처럼 입력해 주세요.");
	else if (!val_blank(in->ends_at) && val_blank(in->starts_at))
		val_field_error(fields, "starts_at",
		                "끝난 시각을 적으려면 시작 시각도 입력해 주세요.");
	else if (!val_blank(in->ends_at) && hhmm_ok(in->starts_at) &&
	         strcmp(in->ends_at, in->starts_at) < 0)
		val_field_error(fields, "ends_at", "끝난 시각이 시작 시각보다 빠릅니다.");
	if (!val_text_ok(in->place, ACTIVITY_PLACE_CHARS))
		val_field_error(fields, "place", "장소는 200자까지 입력할 수 있습니다.");
	if (!val_text_ok(in->title, ACTIVITY_TITLE_CHARS))
		val_field_error(fields, "title", "제목은 200자까지 입력할 수 있습니다.");
	if (!val_text_ok(in->summary, ACTIVITY_SUMMARY_CHARS))
		val_field_error(fields, "summary", "내용은 20,000자까지 입력할 수 있습니다.");
	if (!val_text_ok(in->followups, 20000) || followup_lines(in->followups) > ACTIVITY_LIST_MAX)
		val_field_error(fields, "followups",
		                "후속 조치는 한 줄에 하나씩, 50개까지 적어 주세요.");
	check_ids(db, SQL_COMPANY_OK, in->company_ids, in->ncompanies, "company_id",
	          "고른 기업을 찾을 수 없습니다. 다시 골라 주세요.", fields);
	check_ids(db, SQL_STAFF_OK, in->staff_ids, in->nstaff, "staff",
	          "고른 직원을 찾을 수 없습니다. 다시 골라 주세요.", fields);
	check_ids(db, SQL_DEPT_OK, in->agency_ids, in->nagencies, "agency",
	          "고른 기관을 찾을 수 없습니다. 다시 골라 주세요.", fields);
	check_ids(db, SQL_CASE_OK, in->agenda_case_ids, in->nagenda, "agenda",
	          "고른 안건(애로)을 찾을 수 없습니다. 다시 골라 주세요.", fields);
	if (in->nattendees > ACTIVITY_LIST_MAX)
		val_field_error(fields, "attendees", "참석자는 50명까지 적을 수 있습니다.");
	for (size_t i = 0; i < in->nattendees && i < ACTIVITY_LIST_MAX; i++) {
		const struct activity_attendee_input *a = &in->attendees[i];
		if (val_blank(a->name) && val_blank(a->organisation))
			continue;
		char key[32];
		snprintf(key, sizeof(key), "attendee%zu_name", i + 1);
		if (val_blank(a->name) || !user_text_valid(a->name, 100))
			val_field_error(fields, key, "참석자 이름을 1~100자로 입력해 주세요.");
		snprintf(key, sizeof(key), "attendee%zu_org", i + 1);
		if (!val_text_ok(a->organisation, 100))
			val_field_error(fields, key, "소속은 100자까지 입력할 수 있습니다.");
	}
	if (in->idempotency_key && *in->idempotency_key && !activity_key_valid(in->idempotency_key))
		val_field_error(
		    fields, "idempotency_key",
		    "양식이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요.");
	return json_object_size(fields) > 0 ? BZ_ERR_INVALID : BZ_OK;
}

static bz_rc exec_ids(struct db *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	bz_rc rc = db_rc(db, sqlite3_step(st), sql);
	sqlite3_reset(st);
	return rc;
}

static bz_rc event_add(struct db *db, int64_t activity_id, int64_t actor_id, const char *kind,
                       const char *field, const char *old, const char *new_)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ACT_EVENT);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_int(st, 1, activity_id);
	db_bind_text(st, 2, now);
	if (actor_id > 0)
		db_bind_int(st, 3, actor_id);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, field);
	db_bind_text(st, 6, old);
	db_bind_text(st, 7, new_);
	bz_rc rc = db_rc(db, sqlite3_step(st), "activity event");
	sqlite3_reset(st);
	return rc;
}

static bz_rc link_case(struct db *db, int64_t activity_id, int64_t case_id, const char *kind,
                       int seq)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ACT_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, case_id);
	db_bind_text(st, 3, kind);
	if (seq > 0)
		db_bind_int(st, 4, seq);
	bz_rc rc = db_rc(db, sqlite3_step(st), "activity case");
	sqlite3_reset(st);
	return rc;
}

/* Inserts the activity and its attachments; the caller holds the transaction. */
static bz_rc insert_activity(struct db *db, int64_t actor_id, const struct activity_input *in,
                             int64_t *id_out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ACT_INSERT);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_int(st, 1, val_parse_id(in->type_id));
	db_bind_text(st, 2, in->held_on);
	db_bind_text(st, 3, val_nz(in->starts_at));
	db_bind_text(st, 4, val_nz(in->ends_at));
	db_bind_text(st, 5, in->place ? in->place : "");
	db_bind_text(st, 6, in->title ? in->title : "");
	db_bind_text(st, 7, in->summary ? in->summary : "");
	if (actor_id > 0)
		db_bind_int(st, 8, actor_id);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, val_nz(in->idempotency_key));
	bz_rc rc = db_rc(db, sqlite3_step(st), "activity insert");
	sqlite3_reset(st);
	if (rc != BZ_OK)
		return rc;
	int64_t id = db_last_id(db);
	for (size_t i = 0; rc == BZ_OK && i < in->ncompanies; i++)
		rc = exec_ids(db, SQL_ACT_COMPANY, id, val_parse_id(in->company_ids[i]));
	for (size_t i = 0; rc == BZ_OK && i < in->nstaff; i++)
		rc = exec_ids(db, SQL_ACT_STAFF, id, val_parse_id(in->staff_ids[i]));
	for (size_t i = 0; rc == BZ_OK && i < in->nagencies; i++)
		rc = exec_ids(db, SQL_ACT_AGENCY, id, val_parse_id(in->agency_ids[i]));
	for (size_t i = 0; rc == BZ_OK && i < in->nagenda; i++)
		rc = link_case(db, id, val_parse_id(in->agenda_case_ids[i]), "agenda", 0);
	for (size_t i = 0; rc == BZ_OK && i < in->nattendees; i++) {
		const struct activity_attendee_input *a = &in->attendees[i];
		if (val_blank(a->name))
			continue;
		st = db_stmt(db, SQL_ACT_ATTENDEE);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, a->name);
		db_bind_text(st, 3, a->organisation ? a->organisation : "");
		rc = db_rc(db, sqlite3_step(st), "activity attendee");
		sqlite3_reset(st);
	}
	const char *s = in->followups;
	while (rc == BZ_OK && s && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		const char *b = s;
		while (len > 0 && (*b == ' ' || *b == '\t')) {
			b++;
			len--;
		}
		if (len > 0) {
			char line[4096];
			if (len >= sizeof(line))
				len = sizeof(line) - 1;
			memcpy(line, b, len);
			line[len] = '\0';
			st = db_stmt(db, SQL_ACT_FOLLOWUP);
			if (st == NULL)
				return BZ_ERR_DB;
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, line);
			db_bind_text(st, 3, now);
			rc = db_rc(db, sqlite3_step(st), "activity followup");
			sqlite3_reset(st);
		}
		s = nl ? nl + 1 : NULL;
	}
	if (rc == BZ_OK)
		rc = event_add(db, id, actor_id, "created", NULL, NULL, in->held_on);
	if (rc == BZ_OK)
		*id_out = id;
	return rc;
}

bz_rc activity_create(struct db *db, const struct user *actor, const struct activity_input *in,
                      json_t *fields, int64_t *id_out)
{
	if (!may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (activity_validate(db, in, fields) != BZ_OK)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	int64_t id = 0;
	rc = insert_activity(db, actor->id, in, &id);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		if (rc == BZ_ERR_CONSTRAINT && in->idempotency_key &&
		    activity_by_key(db, in->idempotency_key, &id) == BZ_OK) {
			*id_out = id; /* the same form, sent twice at once */
			return BZ_OK;
		}
		return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
	}
	*id_out = id;
	return BZ_OK;
}

/* ---- reading one ---------------------------------------------------------- */

static const char SQL_GET[] =
    "SELECT a.id, a.type_id, t.name, coalesce(t.card_row, p.card_row), t.code, p.code, "
    "a.held_on, a.starts_at, a.ends_at, a.place, a.title, a.summary, u.name, a.created_at, "
    "a.idempotency_key, a.version "
    "FROM activity a JOIN activity_type t ON t.id = a.type_id "
    "LEFT JOIN activity_type p ON p.id = t.parent_id LEFT JOIN app_user u ON u.id = a.created_by "
    "WHERE a.id = ?1 AND a.retired_at IS NULL";
static const char SQL_GET_COMPANIES[] =
    "SELECT c.id, c.name, c.brn FROM activity_company ac JOIN company c ON c.id = ac.company_id "
    "WHERE ac.activity_id = ?1 ORDER BY c.name";
static const char SQL_GET_STAFF[] =
    "SELECT u.id, u.name FROM activity_staff s JOIN app_user u ON u.id = s.user_id "
    "WHERE s.activity_id = ?1 ORDER BY u.name";
static const char SQL_GET_ATTENDEES[] =
    "SELECT name, organisation FROM activity_attendee WHERE activity_id = ?1 ORDER BY id";
static const char SQL_GET_AGENCIES[] =
    "SELECT d.id, d.name, d.kind FROM activity_agency x JOIN department d "
    "ON d.id = x.department_id WHERE x.activity_id = ?1 ORDER BY d.name";
static const char SQL_GET_PHOTOS[] = "SELECT id, caption, width, height, size FROM activity_photo "
                                     "WHERE activity_id = ?1 AND retired_at IS NULL ORDER BY id";
static const char SQL_GET_FOLLOWUPS[] =
    "SELECT id, body, done_on FROM activity_followup WHERE activity_id = ?1 ORDER BY id";
static const char SQL_GET_CASES[] =
    "SELECT s.id, s.case_no, s.title, s.status, x.kind, x.seq, x.decision, x.decided_at, "
    "u.name, c.name FROM activity_case x JOIN sos_case s ON s.id = x.case_id "
    "JOIN company c ON c.id = s.company_id LEFT JOIN app_user u ON u.id = x.decided_by "
    "WHERE x.activity_id = ?1 ORDER BY x.kind, coalesce(x.seq, 0), s.id";
static const char SQL_GET_EVENTS[] =
    "SELECT e.at, coalesce(u.name, '시스템'), e.kind, e.field, e.old, e.new "
    "FROM activity_event e LEFT JOIN app_user u ON u.id = e.actor_id "
    "WHERE e.activity_id = ?1 ORDER BY e.id";

static void row_title(const char *title, const char *companies, int64_t ncompanies,
                      const char *type, char *out, size_t outlen);

typedef json_t *(*row_fn)(sqlite3_stmt *st);

static bz_rc rows(struct db *db, const char *sql, int64_t id, row_fn fn, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	json_t *a = json_array();
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *r = fn(st);
		if (r)
			json_array_append_new(a, r);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, sql);
	}
	*out = a;
	return BZ_OK;
}

static json_t *company_row(sqlite3_stmt *st)
{
	char brn[BRN_FMT_SIZE];
	brn_format(db_col_text(st, 2), brn, sizeof(brn));
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
	                 db_col_text(st, 1), "brn_text", brn);
}

static json_t *staff_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
	                 db_col_text(st, 1));
}

static json_t *attendee_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s}", "name", db_col_text(st, 0), "organisation",
	                 db_col_text(st, 1));
}

static json_t *agency_row(sqlite3_stmt *st)
{
	const char *kind = db_col_text(st, 2);
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
	                 db_col_text(st, 1), "kind_label",
	                 strcmp(kind, "agency") == 0 ? "외부기관" : "시 부서");
}

static json_t *followup_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "body",
	                 db_col_text(st, 1), "done_on", db_col_json(st, 2));
}

static json_t *case_row(sqlite3_stmt *st)
{
	const char *status = db_col_text(st, 3);
	const char *label = case_label("status", status);
	char kst[32] = "";
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		fmt_instant_kst(db_col_text(st, 7), kst, sizeof(kst));
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:s, s:o, s:s}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "case_no", db_col_text(st, 1), "title",
	    db_col_text(st, 2), "status", status, "status_label", label ? label : status, "open",
	    case_status_open(status), "kind", db_col_text(st, 4), "seq",
	    sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
	                                              : json_integer(sqlite3_column_int64(st, 5)),
	    "decision", db_col_json(st, 6), "decided_at_text", kst, "decided_by",
	    db_col_json(st, 8), "company", db_col_text(st, 9));
}

static const char *event_text(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
	    {"created", "기록 작성"},
	    {"photo_added", "사진 추가"},
	    {"case_linked", "애로 접수·연결"},
	    {"agenda_decided", "안건 결정"},
	    {"updated", "수정"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(labels); i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return kind;
}

static json_t *event_row(sqlite3_stmt *st)
{
	char kst[32];
	fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
	const char *kind = db_col_text(st, 2);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "at_text", kst, "actor",
	                 db_col_text(st, 1), "kind", kind, "kind_label", event_text(kind), "field",
	                 db_col_json(st, 3), "text", db_col_json(st, 5));
}

static void size_text(int64_t size, char *out, size_t outlen)
{
	if (size >= 1024 * 1024)
		snprintf(out, outlen, "%lld.%lldMB", (long long)(size / (1024 * 1024)),
		         (long long)(size % (1024 * 1024) * 10 / (1024 * 1024)));
	else
		snprintf(out, outlen, "%lldKB", (long long)((size + 1023) / 1024));
}

bz_rc activity_get(struct db *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "activity get");
	}
	json_t *a = json_object();
	json_object_set_new(a, "id", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(a, "type_id", json_integer(sqlite3_column_int64(st, 1)));
	json_object_set_new(a, "type", json_string(db_col_text(st, 2)));
	json_object_set_new(a, "card_row", db_col_json(st, 3));
	const char *code = db_col_text(st, 4), *pcode = db_col_text(st, 5);
	json_object_set_new(a, "is_one_stop",
	                    json_boolean(strcmp(code, "one_stop_meeting") == 0 ||
	                                 strcmp(pcode, "one_stop_meeting") == 0));
	json_object_set_new(a, "is_comm_day", json_boolean(strcmp(code, "comm_day") == 0));
	char label[64], tl[32];
	date_label(db_col_text(st, 6), label, sizeof(label));
	json_object_set_new(a, "held_on", json_string(db_col_text(st, 6)));
	json_object_set_new(a, "held_on_text", json_string(label));
	json_object_set_new(a, "starts_at", db_col_json(st, 7));
	json_object_set_new(a, "ends_at", db_col_json(st, 8));
	time_label((const char *)sqlite3_column_text(st, 7),
	           (const char *)sqlite3_column_text(st, 8), tl, sizeof(tl));
	json_object_set_new(a, "time_text", json_string(tl));
	json_object_set_new(a, "place", json_string(db_col_text(st, 9)));
	json_object_set_new(a, "title", json_string(db_col_text(st, 10)));
	json_object_set_new(a, "summary", json_string(db_col_text(st, 11)));
	json_object_set_new(a, "created_by", db_col_json(st, 12));
	char kst[32];
	fmt_instant_kst(db_col_text(st, 13), kst, sizeof(kst));
	json_object_set_new(a, "created_at_text", json_string(kst));
	json_object_set_new(a, "idempotency_key", db_col_json(st, 14));
	json_object_set_new(a, "version", json_integer(sqlite3_column_int64(st, 15)));
	sqlite3_reset(st);

	json_t *companies = NULL, *staff = NULL, *attendees = NULL, *agencies = NULL,
	       *followups = NULL, *cases = NULL, *events = NULL, *photos = json_array();
	bz_rc rc;
	if ((rc = rows(db, SQL_GET_COMPANIES, id, company_row, &companies)) != BZ_OK ||
	    (rc = rows(db, SQL_GET_STAFF, id, staff_row, &staff)) != BZ_OK ||
	    (rc = rows(db, SQL_GET_ATTENDEES, id, attendee_row, &attendees)) != BZ_OK ||
	    (rc = rows(db, SQL_GET_AGENCIES, id, agency_row, &agencies)) != BZ_OK ||
	    (rc = rows(db, SQL_GET_FOLLOWUPS, id, followup_row, &followups)) != BZ_OK ||
	    (rc = rows(db, SQL_GET_CASES, id, case_row, &cases)) != BZ_OK ||
	    (rc = rows(db, SQL_GET_EVENTS, id, event_row, &events)) != BZ_OK)
		goto fail;
	st = db_stmt(db, SQL_GET_PHOTOS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_int(st, 1, id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0);
		char url[96], sz[32];
		snprintf(url, sizeof(url), "/activities/%lld/photos/%lld", (long long)id,
		         (long long)pid);
		size_text(sqlite3_column_int64(st, 4), sz, sizeof(sz));
		json_t *p = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)pid, "caption",
		                      db_col_text(st, 1), "url", url, "size_text", sz);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			json_object_set_new(p, "width", json_integer(sqlite3_column_int64(st, 2)));
			json_object_set_new(p, "height", json_integer(sqlite3_column_int64(st, 3)));
		}
		json_array_append_new(photos, p);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		rc = db_rc(db, src, "activity photos");
		goto fail;
	}
	/* raised cases and agenda cases apart */
	json_t *raised = json_array(), *agenda = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c)
	{
		const char *kind = json_string_value(json_object_get(c, "kind"));
		json_array_append(strcmp(kind, "agenda") == 0 ? agenda : raised, c);
	}
	json_decref(cases);
	/* a title for lists and headings: the typed one, else company + type */
	char display[600];
	const char *first =
	    json_string_value(json_object_get(json_array_get(companies, 0), "name"));
	row_title(json_string_value(json_object_get(a, "title")), first,
	          (int64_t)json_array_size(companies),
	          json_string_value(json_object_get(a, "type")), display, sizeof(display));
	json_object_set_new(a, "display_title", json_string(display));
	json_object_set_new(a, "ncases", json_integer((json_int_t)json_array_size(raised)));
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "activity", a,
	                 "companies", companies, "staff", staff, "attendees", attendees, "agencies",
	                 agencies, "photos", photos, "followups", followups, "cases", raised,
	                 "agenda", agenda, "events", events);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
fail:
	json_decref(a);
	json_decref(companies);
	json_decref(staff);
	json_decref(attendees);
	json_decref(agencies);
	json_decref(followups);
	json_decref(cases);
	json_decref(events);
	json_decref(photos);
	return rc;
}

/* ---- the list ------------------------------------------------------------- */

#define LIST_WHERE                                                                                 \
	" FROM activity a JOIN activity_type t ON t.id = a.type_id "                               \
	"WHERE a.retired_at IS NULL AND (?1 = 0 OR t.id = ?1 OR t.parent_id = ?1) "                \
	"AND (?2 IS NULL OR a.held_on >= ?2) AND (?3 IS NULL OR a.held_on < ?3) "                  \
	"AND (?4 = 0 OR EXISTS (SELECT 1 FROM activity_company x WHERE x.activity_id = a.id "      \
	"AND x.company_id = ?4)) "                                                                 \
	"AND (?5 = 0 OR EXISTS (SELECT 1 FROM activity_staff x WHERE x.activity_id = a.id "        \
	"AND x.user_id = ?5))"
static const char SQL_LIST_COUNT[] = "SELECT count(*)" LIST_WHERE;
static const char SQL_LIST[] =
    "SELECT a.id, a.held_on, a.starts_at, a.ends_at, t.name, a.title, a.place, "
    "(SELECT group_concat(name, ', ') FROM (SELECT c.name FROM activity_company x JOIN company c "
    "ON c.id = x.company_id WHERE x.activity_id = a.id ORDER BY c.name)), "
    "(SELECT group_concat(name, ', ') FROM (SELECT u.name FROM activity_staff x JOIN app_user u "
    "ON u.id = x.user_id WHERE x.activity_id = a.id ORDER BY u.name)), "
    "(SELECT count(*) FROM activity_photo p WHERE p.activity_id = a.id AND p.retired_at IS NULL), "
    "(SELECT count(*) FROM activity_case x WHERE x.activity_id = a.id), "
    "(SELECT count(*) FROM activity_company x WHERE x.activity_id = a.id)" LIST_WHERE
    " ORDER BY a.held_on DESC, coalesce(a.starts_at, '') DESC, a.id DESC LIMIT ?6 OFFSET ?7";

/* [from, to) of a year or a month as YYYY-MM-DD; false if no bound. */
static bool range_of(int year, int month, char *from, char *to)
{
	if (year < 2000 || year > 9999)
		return false;
	bool m = month >= 1 && month <= 12;
	int32_t a = date_from_ymd(year, m ? month : 1, 1);
	int32_t b = m ? a + date_days_in_month(year, month) : date_from_ymd(year, 12, 31) + 1;
	return date_format(a, from, DATE_TEXT_SIZE) == BZ_OK &&
	       date_format(b, to, DATE_TEXT_SIZE) == BZ_OK;
}

static void bind_list(sqlite3_stmt *st, const struct activity_filter *f, const char *from,
                      const char *to)
{
	db_bind_int(st, 1, f->type_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_int(st, 4, f->company_id);
	db_bind_int(st, 5, f->staff_id);
}

/* The display title of a list row: the typed title, else company (+n) · type. */
static void row_title(const char *title, const char *companies, int64_t ncompanies,
                      const char *type, char *out, size_t outlen)
{
	if (title && *title) {
		bz_strlcpy(out, title, outlen);
		return;
	}
	if (companies && *companies) {
		const char *comma = strstr(companies, ", ");
		size_t first = comma ? (size_t)(comma - companies) : strlen(companies);
		char name[256];
		if (first >= sizeof(name))
			first = sizeof(name) - 1;
		memcpy(name, companies, first);
		name[first] = '\0';
		if (ncompanies > 1)
			snprintf(out, outlen, "%s 외 %lld곳 · %s", name,
			         (long long)(ncompanies - 1), type);
		else
			snprintf(out, outlen, "%s · %s", name, type);
		return;
	}
	bz_strlcpy(out, type, outlen);
}

bz_rc activity_list(struct db *db, const struct activity_filter *f, json_t **out)
{
	char fromb[DATE_TEXT_SIZE], tob[DATE_TEXT_SIZE];
	bool ranged = range_of(f->year, f->month, fromb, tob);
	const char *from = ranged ? fromb : NULL, *to = ranged ? tob : NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_LIST_COUNT);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_list(st, f, from, to);
	int src = sqlite3_step(st);
	int64_t total = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (src != SQLITE_ROW)
		return db_rc(db, src, "activity count");
	int64_t pages = total == 0 ? 1 : (total + ACTIVITY_PAGE_SIZE - 1) / ACTIVITY_PAGE_SIZE;
	int64_t page = f->page < 1 ? 1 : f->page > pages ? pages : f->page;
	st = db_stmt(db, SQL_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_list(st, f, from, to);
	db_bind_int(st, 6, ACTIVITY_PAGE_SIZE);
	db_bind_int(st, 7, (page - 1) * ACTIVITY_PAGE_SIZE);
	json_t *a = json_array();
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		char dl[64], tl[32], title[600];
		date_label(db_col_text(st, 1), dl, sizeof(dl));
		time_label((const char *)sqlite3_column_text(st, 2),
		           (const char *)sqlite3_column_text(st, 3), tl, sizeof(tl));
		row_title(db_col_text(st, 5), db_col_text(st, 7), sqlite3_column_int64(st, 11),
		          db_col_text(st, 4), title, sizeof(title));
		json_array_append_new(
		    a,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "held_on",
		              db_col_text(st, 1), "held_on_text", dl, "time_text", tl, "type",
		              db_col_text(st, 4), "display_title", title, "place",
		              db_col_text(st, 6), "companies", db_col_text(st, 7), "staff",
		              db_col_text(st, 8), "photos", (json_int_t)sqlite3_column_int64(st, 9),
		              "cases", (json_int_t)sqlite3_column_int64(st, 10)));
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, "activity list");
	}
	*out = json_pack("{s:o, s:I, s:I, s:I}", "activities", a, "total", (json_int_t)total,
	                 "page_no", (json_int_t)page, "pages", (json_int_t)pages);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* ---- the month calendar --------------------------------------------------- */

static const char SQL_MONTH[] =
    "SELECT a.id, a.held_on, a.starts_at, a.ends_at, t.name, a.title, "
    "(SELECT group_concat(name, ', ') FROM (SELECT c.name FROM activity_company x JOIN company c "
    "ON c.id = x.company_id WHERE x.activity_id = a.id ORDER BY c.name)), "
    "(SELECT count(*) FROM activity_company x WHERE x.activity_id = a.id) "
    "FROM activity a JOIN activity_type t ON t.id = a.type_id "
    "WHERE a.retired_at IS NULL AND a.held_on >= ?1 AND a.held_on < ?2 "
    "ORDER BY a.held_on, coalesce(a.starts_at, '99:99'), a.id";

bz_rc activity_calendar(struct db *db, int year, int month, const char *today, json_t **out)
{
	if (!date_valid_ymd(year, month, 1) || year < 2000)
		return BZ_ERR_INVALID;
	int32_t first = date_from_ymd(year, month, 1);
	int32_t last = first + date_days_in_month(year, month) - 1;
	int32_t start = first - (date_weekday(first) - 1);
	int32_t end = last + (7 - date_weekday(last));
	char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
	date_format(start, from, sizeof(from));
	date_format(end + 1, to, sizeof(to));
	sqlite3_stmt *st = db_stmt(db, SQL_MONTH);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	size_t ndays = (size_t)(end - start + 1);
	json_t **day_acts = calloc(ndays, sizeof(*day_acts));
	if (day_acts == NULL) {
		sqlite3_reset(st);
		return BZ_ERR_NOMEM;
	}
	for (size_t i = 0; i < ndays; i++)
		day_acts[i] = json_array();
	int src;
	int64_t total = 0;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t d;
		if (date_parse(db_col_text(st, 1), &d, NULL) != BZ_OK || d < start || d > end)
			continue;
		char tl[32], title[600];
		time_label((const char *)sqlite3_column_text(st, 2),
		           (const char *)sqlite3_column_text(st, 3), tl, sizeof(tl));
		row_title(db_col_text(st, 5), db_col_text(st, 6), sqlite3_column_int64(st, 7),
		          db_col_text(st, 4), title, sizeof(title));
		json_array_append_new(
		    day_acts[d - start],
		    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
		              "type", db_col_text(st, 4), "display_title", title, "time_text", tl));
		if (d >= first && d <= last)
			total++;
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		for (size_t i = 0; i < ndays; i++)
			json_decref(day_acts[i]);
		free(day_acts);
		return db_rc(db, src, "activity month");
	}
	json_t *weeks = json_array();
	for (int32_t w = start; w <= end; w += 7) {
		json_t *days = json_array();
		for (int32_t d = w; d < w + 7; d++) {
			int y, m, dd;
			date_to_ymd(d, &y, &m, &dd);
			char date[DATE_TEXT_SIZE], label[64];
			date_format(d, date, sizeof(date));
			snprintf(label, sizeof(label), "%d월 %d일 (%s)", m, dd, date_weekday_ko(d));
			json_t *acts = day_acts[d - start];
			day_acts[d - start] = NULL;
			json_array_append_new(
			    days,
			    json_pack("{s:s, s:i, s:s, s:b, s:b, s:b, s:b, s:o, s:i}", "date", date,
			              "day", dd, "label", label, "in_month", m == month, "today",
			              today && strcmp(today, date) == 0, "weekend",
			              date_weekday(d) >= 6, "sunday", date_weekday(d) == 7,
			              "activities", acts, "count", (int)json_array_size(acts)));
		}
		json_array_append_new(weeks, json_pack("{s:o}", "days", days));
	}
	free(day_acts);
	char title[32];
	snprintf(title, sizeof(title), "%d년 %d월", year, month);
	*out = json_pack("{s:i, s:i, s:s, s:{s:i, s:i}, s:{s:i, s:i}, s:o, s:I}", "year", year,
	                 "month", month, "title", title, "prev", "year",
	                 month == 1 ? year - 1 : year, "month", month == 1 ? 12 : month - 1, "next",
	                 "year", month == 12 ? year + 1 : year, "month",
	                 month == 12 ? 1 : month + 1, "weeks", weeks, "total", (json_int_t)total);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* ---- counts per type per year ---------------------------------------------- */

static const char SQL_STATS[] =
    "SELECT type_id, CAST(substr(held_on, 6, 2) AS INTEGER), count(*) FROM activity "
    "WHERE retired_at IS NULL AND held_on >= ?1 AND held_on < ?2 GROUP BY 1, 2";

bz_rc activity_stats(struct db *db, int year, json_t **out)
{
	char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
	if (!range_of(year, 0, from, to))
		return BZ_ERR_INVALID;
	json_t *types = NULL;
	bz_rc rc = activity_types(db, true, &types);
	if (rc != BZ_OK)
		return rc;
	size_t nt = json_array_size(types);
	int64_t(*counts)[13] = calloc(nt ? nt : 1, sizeof(*counts));
	if (counts == NULL) {
		json_decref(types);
		return BZ_ERR_NOMEM;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_STATS);
	if (st == NULL) {
		free(counts);
		json_decref(types);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t tid = sqlite3_column_int64(st, 0);
		int m = sqlite3_column_int(st, 1);
		for (size_t i = 0; i < nt && m >= 1 && m <= 12; i++)
			if (json_integer_value(json_object_get(json_array_get(types, i), "id")) ==
			    tid)
				counts[i][m] += sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		free(counts);
		json_decref(types);
		return db_rc(db, src, "activity stats");
	}
	json_t *rowsj = json_array();
	int64_t month_totals[13] = {0}, total = 0;
	for (size_t i = 0; i < nt; i++) {
		json_t *t = json_array_get(types, i);
		int64_t sum = 0;
		json_t *months = json_array();
		for (int m = 1; m <= 12; m++) {
			sum += counts[i][m];
			month_totals[m] += counts[i][m];
			json_array_append_new(months, json_integer(counts[i][m]));
		}
		total += sum;
		bool retired = json_is_true(json_object_get(t, "retired"));
		if (retired && sum == 0) {
			json_decref(months);
			continue;
		}
		/* the family total: the type itself and its sub-kinds */
		int64_t family = sum;
		json_int_t tid = json_integer_value(json_object_get(t, "id"));
		for (size_t j = 0; j < nt; j++) {
			json_t *u = json_array_get(types, j);
			if (json_integer_value(json_object_get(u, "parent_id")) == tid)
				for (int m = 1; m <= 12; m++)
					family += counts[j][m];
		}
		json_t *r =
		    json_pack("{s:I, s:O, s:O, s:O, s:O, s:o, s:I, s:I}", "type_id", tid, "name",
		              json_object_get(t, "name"), "label", json_object_get(t, "label"),
		              "card_row_label", json_object_get(t, "card_row_label"), "sub",
		              json_object_get(t, "sub"), "months", months, "total", (json_int_t)sum,
		              "family_total", (json_int_t)family);
		json_array_append_new(rowsj, r);
	}
	json_t *mt = json_array();
	for (int m = 1; m <= 12; m++)
		json_array_append_new(mt, json_integer(month_totals[m]));
	free(counts);
	json_decref(types);
	*out = json_pack("{s:i, s:o, s:o, s:I}", "year", year, "rows", rowsj, "month_totals", mt,
	                 "total", (json_int_t)total);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* ---- anniversaries -------------------------------------------------------- */

static const char SQL_FOUNDED[] =
    "SELECT id, name, brn, founded_on FROM company WHERE retired_at IS NULL "
    "AND founded_on IS NOT NULL";
static const char SQL_LETTER[] =
    "SELECT a.id FROM activity a JOIN activity_type t ON t.id = a.type_id "
    "JOIN activity_company x ON x.activity_id = a.id "
    "WHERE a.retired_at IS NULL AND t.code = 'anniversary_letter' AND x.company_id = ?1 "
    "AND a.held_on >= ?2 AND a.held_on <= ?3 ORDER BY a.held_on DESC LIMIT 1";

static int cmp_dday(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t dx = json_integer_value(json_object_get(x, "dday"));
	json_int_t dy = json_integer_value(json_object_get(y, "dday"));
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(json_string_value(json_object_get(x, "name")),
	              json_string_value(json_object_get(y, "name")));
}

bz_rc activity_anniversaries(struct db *db, const char *today, int days, json_t **out)
{
	int32_t t0;
	if (date_parse(today, &t0, NULL) != BZ_OK || days < 0 || days > 366)
		return BZ_ERR_INVALID;
	sqlite3_stmt *st = db_stmt(db, SQL_FOUNDED);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *found = json_array();
	int src;
	int ty, tm, td;
	date_to_ymd(t0, &ty, &tm, &td);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t f;
		if (date_parse(db_col_text(st, 3), &f, NULL) != BZ_OK)
			continue;
		int fy, fm, fd;
		date_to_ymd(f, &fy, &fm, &fd);
		for (int y = ty; y <= ty + 1; y++) {
			int dd = fd;
			if (fm == 2 && fd == 29 && !date_valid_ymd(y, 2, 29))
				dd = 28;
			if (!date_valid_ymd(y, fm, dd))
				continue;
			int32_t ann = date_from_ymd(y, fm, dd);
			int32_t dday = ann - t0;
			if (dday < 0 || dday > days || y <= fy)
				continue;
			char at[DATE_TEXT_SIZE], text[64], ddl[16], brn[BRN_FMT_SIZE];
			date_format(ann, at, sizeof(at));
			date_label(at, text, sizeof(text));
			if (dday > 0)
				snprintf(ddl, sizeof(ddl), "D-%d", (int)dday);
			else
				bz_strlcpy(ddl, "D-day", sizeof(ddl));
			brn_format(db_col_text(st, 2), brn, sizeof(brn));
			json_array_append_new(
			    found, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:n}",
			                     "company_id", (json_int_t)sqlite3_column_int64(st, 0),
			                     "name", db_col_text(st, 1), "brn_text", brn,
			                     "founded_on", db_col_text(st, 3), "anniversary_on", at,
			                     "anniversary_text", text, "years", y - fy, "dday",
			                     (int)dday, "dday_label", ddl, "letter_id"));
			break;
		}
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(found);
		return db_rc(db, src, "anniversaries");
	}
	size_t n = json_array_size(found);
	json_t **items = calloc(n ? n : 1, sizeof(*items));
	if (items == NULL) {
		json_decref(found);
		return BZ_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(found, i));
	qsort(items, n, sizeof(*items), cmp_dday);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *r = items[i];
		int32_t ann;
		date_parse(json_string_value(json_object_get(r, "anniversary_on")), &ann, NULL);
		char lo[DATE_TEXT_SIZE], hi[DATE_TEXT_SIZE];
		date_format(ann - 60, lo, sizeof(lo));
		date_format(ann + 30, hi, sizeof(hi));
		st = db_stmt(db, SQL_LETTER);
		if (st) {
			db_bind_int(st, 1, json_integer_value(json_object_get(r, "company_id")));
			db_bind_text(st, 2, lo);
			db_bind_text(st, 3, hi);
			if (sqlite3_step(st) == SQLITE_ROW)
				json_object_set_new(r, "letter_id",
				                    json_integer(sqlite3_column_int64(st, 0)));
			sqlite3_reset(st);
		}
		json_array_append_new(sorted, r);
	}
	free(items);
	json_decref(found);
	*out = sorted;
	return BZ_OK;
}

/* ---- photos --------------------------------------------------------------- */

static const char SQL_ACT_EXISTS[] = "SELECT 1 FROM activity WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_PHOTO_INSERT[] =
    "INSERT INTO activity_photo (activity_id, caption, stored_path, content_type, width, height, "
    "size, sha256, created_by, created_at) "
    "VALUES (?1, coalesce(?2, ''), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_PHOTO_GET[] = "SELECT stored_path, content_type FROM activity_photo "
                                    "WHERE id = ?1 AND activity_id = ?2 AND retired_at IS NULL";

bz_rc activity_photo_add(struct db *db, const struct user *actor, int64_t activity_id,
                         const struct photo_file *p, const char *caption, json_t *fields,
                         int64_t *pid_out)
{
	if (!may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (!row_exists(db, SQL_ACT_EXISTS, activity_id))
		return BZ_ERR_NOTFOUND;
	if (!val_text_ok(caption, PHOTO_CAPTION_CHARS)) {
		val_field_error(fields, "caption", "사진 설명은 200자까지 입력할 수 있습니다.");
		return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_INSERT);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	char now[24];
	db_now_utc(now);
	db_bind_int(st, 1, activity_id);
	db_bind_text(st, 2, caption ? caption : "");
	db_bind_text(st, 3, p->stored_path);
	db_bind_text(st, 4, p->content_type);
	if (p->width > 0 && p->height > 0) {
		db_bind_int(st, 5, p->width);
		db_bind_int(st, 6, p->height);
	}
	db_bind_int(st, 7, p->size);
	db_bind_text(st, 8, p->sha256);
	db_bind_int(st, 9, actor->id);
	db_bind_text(st, 10, now);
	rc = db_rc(db, sqlite3_step(st), "photo insert");
	sqlite3_reset(st);
	int64_t pid = db_last_id(db);
	if (rc == BZ_OK)
		rc = event_add(db, activity_id, actor->id, "photo_added", "photo", NULL,
		               caption && *caption ? caption : "(설명 없음)");
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
	}
	if (pid_out)
		*pid_out = pid;
	return BZ_OK;
}

bz_rc activity_photo_get(struct db *db, int64_t activity_id, int64_t pid, char *stored_path,
                         size_t pathlen, char *content_type, size_t ctlen)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, pid);
	db_bind_int(st, 2, activity_id);
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		bz_strlcpy(stored_path, db_col_text(st, 0), pathlen);
		bz_strlcpy(content_type, db_col_text(st, 1), ctlen);
	}
	sqlite3_reset(st);
	return src == SQLITE_ROW ? BZ_OK : src == SQLITE_DONE ? BZ_ERR_NOTFOUND : BZ_ERR_DB;
}

/* ---- the phone form ------------------------------------------------------- */

static const char SQL_SEQ_DONE[] =
    "SELECT 1 FROM activity_case WHERE activity_id = ?1 AND seq = ?2";
static const char SQL_VISIT_COMPANY[] =
    "SELECT company_id FROM activity_company WHERE activity_id = ?1 LIMIT 1";
static const char SQL_VISIT_HELD[] = "SELECT held_on FROM activity WHERE id = ?1";
static const char SQL_CATEGORY_OK[] =
    "SELECT 1 FROM case_category WHERE id = ?1 AND retired_at IS NULL";

static bool grievance_blank(const struct visit_grievance_input *g)
{
	return val_blank(g->title) && val_blank(g->description) && val_blank(g->category_id);
}

/* Creates the cases of grievance rows not yet linked to visit id. */
static bz_rc visit_cases(struct db *db, const struct user *actor, int64_t id,
                         const struct visit_input *in, json_t *fields)
{
	char company[24], held[DATE_TEXT_SIZE] = "";
	sqlite3_stmt *st = db_stmt(db, SQL_VISIT_COMPANY);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return BZ_ERR_DB;
	}
	snprintf(company, sizeof(company), "%lld", (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	st = db_stmt(db, SQL_VISIT_HELD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		bz_strlcpy(held, db_col_text(st, 0), sizeof(held));
	sqlite3_reset(st);
	int seq = 0;
	for (size_t i = 0; i < in->ngrievances; i++) {
		const struct visit_grievance_input *g = &in->grievances[i];
		if (grievance_blank(g))
			continue;
		seq = (int)i + 1;
		st = db_stmt(db, SQL_SEQ_DONE);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, seq);
		bool done = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (done)
			continue;
		struct case_input ci = {.company_id = company,
		                        .received_on = held,
		                        .channel = "visit",
		                        .category_id = g->category_id,
		                        .title = g->title,
		                        .description = g->description};
		json_t *cf = json_object();
		int64_t case_id = 0;
		char case_no[CASE_NO_SIZE];
		bz_rc rc = case_create(db, actor, &ci, cf, &case_id, case_no);
		if (rc == BZ_ERR_INVALID) {
			const char *k;
			json_t *v;
			json_object_foreach(cf, k, v)
			{
				char key[48];
				snprintf(key, sizeof(key), "g%d_%s", seq,
				         strcmp(k, "category_id") == 0 ? "category" : k);
				val_field_error(fields, key, json_string_value(v));
			}
		}
		json_decref(cf);
		if (rc != BZ_OK)
			return rc;
		if ((rc = db_begin(db)) != BZ_OK)
			return rc;
		rc = link_case(db, id, case_id, "raised", seq);
		if (rc == BZ_OK)
			rc = event_add(db, id, actor->id, "case_linked", "case", NULL, case_no);
		if (rc == BZ_OK)
			rc = db_commit(db);
		if (rc != BZ_OK) {
			db_rollback(db);
			return rc;
		}
	}
	return BZ_OK;
}

bz_rc visit_create(struct db *db, const struct user *actor, const struct visit_input *in,
                   json_t *fields, int64_t *id_out, bool *replayed)
{
	*replayed = false;
	if (!may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (!activity_key_valid(in->idempotency_key)) {
		val_field_error(
		    fields, "idempotency_key",
		    "양식이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요.");
		return BZ_ERR_INVALID;
	}
	int64_t id = 0;
	bz_rc rc = activity_by_key(db, in->idempotency_key, &id);
	if (rc == BZ_OK) {
		/* sent before: finish what the first POST may have left, create nothing new */
		*replayed = true;
		*id_out = id;
		rc = visit_cases(db, actor, id, in, fields);
		return rc == BZ_ERR_INVALID ? BZ_OK : rc;
	}
	if (rc != BZ_ERR_NOTFOUND)
		return rc;

	/* the company: picked, or typed in to be created */
	int64_t company = val_parse_id(in->company_id);
	bool create_company = false;
	if (company) {
		if (!row_exists(db, SQL_COMPANY_OK, company))
			val_field_error(fields, "company_id",
			                "고른 기업을 찾을 수 없습니다. 다시 골라 주세요.");
	} else if (val_blank(in->new_company_name) && val_blank(in->new_company_brn)) {
		val_field_error(fields, "company_id",
		                "방문한 기업을 검색해 고르거나, 새 기업의 이름과 사업자등록번호를 "
		                "입력해 주세요.");
	} else {
		create_company = true;
		if (val_blank(in->new_company_name) ||
		    !user_text_valid(in->new_company_name, COMPANY_NAME_CHARS))
			val_field_error(fields, "new_company_name",
			                "기업 이름을 1~100자로 입력해 주세요.");
		char bare[BRN_BARE_SIZE];
		const char *bmsg = NULL;
		if (val_blank(in->new_company_brn))
			val_field_error(fields, "new_company_brn",
			                "사업자등록번호를 입력해 주세요.");
		else if (brn_parse(in->new_company_brn, bare, &bmsg) != BZ_OK)
			val_field_error(fields, "new_company_brn",
			                bmsg ? bmsg : "사업자등록번호를 확인해 주세요.");
	}
	char today[DATE_TEXT_SIZE];
	today_text(today);
	const char *held = val_blank(in->held_on) ? today : in->held_on;
	struct activity_input ai = {.type_id = NULL,
	                            .held_on = held,
	                            .starts_at = in->starts_at,
	                            .place = in->place,
	                            .summary = in->summary,
	                            .staff_ids = in->staff_ids,
	                            .nstaff = in->nstaff,
	                            .idempotency_key = in->idempotency_key};
	char type[24];
	snprintf(type, sizeof(type), "%lld", (long long)activity_type_id(db, "comm_day"));
	ai.type_id = type;
	activity_validate(db, &ai, fields);
	if (in->nstaff == 0)
		val_field_error(fields, "staff", "방문한 직원을 한 명 이상 골라 주세요.");
	if (val_blank(in->summary))
		val_field_error(fields, "summary", "현장에서 보고 들은 내용을 적어 주세요.");
	if (in->ngrievances > VISIT_GRIEVANCES_MAX)
		val_field_error(fields, "grievances",
		                "애로사항은 한 번에 20건까지 적을 수 있습니다.");
	for (size_t i = 0; i < in->ngrievances && i < VISIT_GRIEVANCES_MAX; i++) {
		const struct visit_grievance_input *g = &in->grievances[i];
		if (grievance_blank(g))
			continue;
		char key[32];
		snprintf(key, sizeof(key), "g%zu_title", i + 1);
		if (val_blank(g->title) || !user_text_valid(g->title, CASE_TITLE_CHARS))
			val_field_error(fields, key, "애로사항 제목을 1~200자로 입력해 주세요.");
		snprintf(key, sizeof(key), "g%zu_category", i + 1);
		int64_t cat = val_parse_id(g->category_id);
		if (cat == 0 || !row_exists(db, SQL_CATEGORY_OK, cat))
			val_field_error(fields, key, "애로 분야를 골라 주세요.");
		snprintf(key, sizeof(key), "g%zu_description", i + 1);
		if (!val_text_ok(g->description, CASE_TEXT_CHARS))
			val_field_error(fields, key, "내용은 10,000자까지 입력할 수 있습니다.");
	}
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	/* One unit: the company (if new), the visit and every case it raised
	 * commit together or not at all (the domain functions nest as savepoints). */
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	if (create_company) {
		struct company_input ci = {.name = in->new_company_name,
		                           .brn = in->new_company_brn,
		                           .confirm_similar = true};
		struct company_outcome o = {0};
		rc = company_create(db, actor->id, &ci, &company, &o);
		if (rc == BZ_ERR_CONSTRAINT && o.duplicate_id > 0) {
			company = o.duplicate_id; /* registered already: that company */
			rc = BZ_OK;
		} else if (rc == BZ_ERR_INVALID && o.fields) {
			const char *k;
			json_t *v;
			json_object_foreach(o.fields, k, v)
			{
				const char *key =
				    strcmp(k, "brn") == 0 ? "new_company_brn" : "new_company_name";
				val_field_error(fields, key, json_string_value(v));
			}
		}
		company_outcome_free(&o);
		if (rc != BZ_OK) {
			db_rollback(db);
			return rc;
		}
	}
	char company_text[24];
	snprintf(company_text, sizeof(company_text), "%lld", (long long)company);
	const char *companies[1] = {company_text};
	ai.company_ids = companies;
	ai.ncompanies = 1;

	rc = insert_activity(db, actor->id, &ai, &id);
	if (rc == BZ_OK)
		rc = visit_cases(db, actor, id, in, fields);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		/* the same key sent twice at once: the other request made it all */
		if (rc == BZ_ERR_CONSTRAINT &&
		    activity_by_key(db, in->idempotency_key, &id) == BZ_OK) {
			*replayed = true;
			*id_out = id;
			return BZ_OK;
		}
		return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
	}
	*id_out = id;
	return BZ_OK;
}

/* ---- one-stop meetings ---------------------------------------------------- */

static const char SQL_AGENDA_CANDIDATES[] =
    "SELECT s.id, s.case_no, c.name, s.title, s.status FROM sos_case s "
    "JOIN company c ON c.id = s.company_id "
    "WHERE s.triage = 'complex' AND s.status IN ('received', 'reviewing', 'in_progress') "
    "AND s.merged_into IS NULL ORDER BY s.received_on, s.id LIMIT 100";
static const char SQL_AGENDA_ROW[] =
    "SELECT x.kind FROM activity_case x JOIN activity a ON a.id = x.activity_id "
    "WHERE x.activity_id = ?1 AND x.case_id = ?2 AND a.retired_at IS NULL";
static const char SQL_AGENDA_SET[] =
    "UPDATE activity_case SET decision = ?3, decided_at = ?4, decided_by = ?5 "
    "WHERE activity_id = ?1 AND case_id = ?2";

bz_rc activity_agenda_candidates(struct db *db, const struct user *actor, json_t **out)
{
	(void)actor;
	sqlite3_stmt *st = db_stmt(db, SQL_AGENDA_CANDIDATES);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = db_col_text(st, 4);
		const char *label = case_label("status", status);
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0),
		                                   "case_no", db_col_text(st, 1), "company",
		                                   db_col_text(st, 2), "title", db_col_text(st, 3),
		                                   "status_label", label ? label : status));
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, "agenda candidates");
	}
	*out = a;
	return BZ_OK;
}

/* The case's current version, or 0. */
static int64_t case_version(struct db *db, const struct user *actor, int64_t case_id, char *status,
                            size_t statuslen)
{
	json_t *cur = NULL;
	if (case_current(db, actor, case_id, &cur) != BZ_OK)
		return 0;
	int64_t v = json_integer_value(json_object_get(cur, "version"));
	const char *s = json_string_value(json_object_get(cur, "status"));
	bz_strlcpy(status, s ? s : "", statuslen);
	json_decref(cur);
	return v;
}

bz_rc activity_agenda_decide(struct db *db, const struct user *actor, int64_t activity_id,
                             int64_t case_id, const char *decision, const char *lead_department,
                             const char *status, json_t *fields, char *msg, size_t msglen)
{
	if (!may_write(actor)) {
		snprintf(msg, msglen, "안건 결정을 기록할 권한이 없습니다.");
		return BZ_ERR_FORBIDDEN;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_AGENDA_ROW);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, case_id);
	int src = sqlite3_step(st);
	bool agenda = src == SQLITE_ROW && strcmp(db_col_text(st, 0), "agenda") == 0;
	sqlite3_reset(st);
	if (!agenda)
		return BZ_ERR_NOTFOUND;
	if (val_blank(decision) || !val_text_ok(decision, 2000))
		val_field_error(fields, "decision",
		                "회의에서 결정한 내용을 2,000자 안에서 적어 주세요.");
	int64_t dept = val_blank(lead_department) ? 0 : val_parse_id(lead_department);
	if (!val_blank(lead_department) && (dept == 0 || !row_exists(db, SQL_DEPT_OK, dept)))
		val_field_error(fields, "lead_department", "주관 부서를 목록에서 골라 주세요.");
	if (!val_blank(status) && strcmp(status, "reviewing") && strcmp(status, "in_progress"))
		val_field_error(fields, "status",
		                "처리 상태는 검토중 또는 처리중에서 골라 주세요.");
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	char cur[24] = "", note[2400];
	int64_t v = case_version(db, actor, case_id, cur, sizeof(cur));
	if (v == 0)
		return BZ_ERR_NOTFOUND;
	sqlite3_stmt *hs = db_stmt(db, SQL_VISIT_HELD);
	char held[DATE_TEXT_SIZE] = "";
	if (hs) {
		db_bind_int(hs, 1, activity_id);
		if (sqlite3_step(hs) == SQLITE_ROW)
			bz_strlcpy(held, db_col_text(hs, 0), sizeof(held));
		sqlite3_reset(hs);
	}
	snprintf(note, sizeof(note), "[기업원스톱처리 회의 %s 결정] %s", held, decision);
	bz_rc rc = case_note_add(db, actor, case_id, v, note, false, fields, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (dept) {
		char d[24];
		snprintf(d, sizeof(d), "%lld", (long long)dept);
		v = case_version(db, actor, case_id, cur, sizeof(cur));
		rc = case_refer(db, actor, case_id, v, d, NULL, 0, NULL, fields, msg, msglen);
		if (rc != BZ_OK)
			return rc;
	}
	if (!val_blank(status)) {
		v = case_version(db, actor, case_id, cur, sizeof(cur));
		/* received → in_progress goes through reviewing, as the machine wants */
		if (strcmp(cur, "received") == 0 && strcmp(status, "in_progress") == 0) {
			struct case_status_input si = {.to = "reviewing"};
			rc = case_set_status(db, actor, case_id, v, &si, fields, msg, msglen);
			if (rc != BZ_OK)
				return rc;
			v = case_version(db, actor, case_id, cur, sizeof(cur));
		}
		if (strcmp(cur, status) != 0) {
			struct case_status_input si = {.to = status};
			rc = case_set_status(db, actor, case_id, v, &si, fields, msg, msglen);
			if (rc != BZ_OK)
				return rc;
		}
	}
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_AGENDA_SET);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, case_id);
	db_bind_text(st, 3, decision);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, actor->id);
	rc = db_rc(db, sqlite3_step(st), "agenda decision");
	sqlite3_reset(st);
	if (rc == BZ_OK)
		rc =
		    event_add(db, activity_id, actor->id, "agenda_decided", "case", NULL, decision);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
