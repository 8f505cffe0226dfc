/* Activities: creating one (with its companies, staff, agencies, follow-ups and
 * cases), reading one, the list. The calendar, photos, the phone form and
 * one-stop meetings are in activity_*.c and visit.c. See activity.h. */
#include "activity_internal.h"
#include "bizsos/link.h"
#include "bizsos/kst.h"

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
	return clock_hhmm_minutes(s) >= 0;
}

bool act_may_write(const struct user *u)
{
	return (u->role & (ROLE_STAFF | ROLE_LEADER)) != 0;
}

/* "2024-05-03 (금)" */
void act_date_label(const char *ymd, char *out, size_t outlen)
{
	int32_t d;
	if (ymd && date_parse(ymd, &d, NULL) == BZ_OK)
		snprintf(out, outlen, "%s (%s)", ymd, date_weekday_ko(d));
	else
		bz_strlcpy(out, ymd ? ymd : "", outlen);
}

void act_time_label(const char *start, const char *end, char *out, size_t outlen)
{
	if (val_blank(start))
		out[0] = '\0';
	else if (val_blank(end))
		bz_strlcpy(out, start, outlen);
	else
		snprintf(out, outlen, "%s~%s", start, end);
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
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, "
    "?10)";
static const char SQL_ACT_COMPANY[] =
    "INSERT OR IGNORE INTO activity_company (activity_id, company_id) VALUES (?1, ?2)";
static const char SQL_ACT_STAFF[] =
    "INSERT OR IGNORE INTO activity_staff (activity_id, user_id) VALUES (?1, ?2)";
static const char SQL_ACT_AGENCY[] =
    "INSERT OR IGNORE INTO activity_agency (activity_id, department_id) VALUES (?1, ?2)";
static const char SQL_ACT_ATTENDEE[] =
    "INSERT INTO activity_attendee (activity_id, name, organisation) "
    "VALUES (?1, ?2, ?3)";
static const char SQL_ACT_FOLLOWUP[] =
    "INSERT INTO activity_followup (activity_id, body, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_ACT_CASE[] =
    "INSERT OR IGNORE INTO activity_case (activity_id, case_id, kind, seq) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_BY_KEY[] = "SELECT id FROM activity WHERE idempotency_key = ?1";

bool act_row_exists(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool found = db_step(st) == SQLITE_ROW;
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
	int src = db_step(st);
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
		if (id == 0 || !act_row_exists(db, sql, id)) {
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
	if (type == 0 || !act_row_exists(db, SQL_TYPE_OK, type))
		val_field_error(fields, "type_id", "활동 유형을 골라 주세요.");
	char today[DATE_TEXT_SIZE];
	kst_today(today);
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
	bz_rc rc = db_rc(db, db_step(st), sql);
	sqlite3_reset(st);
	return rc;
}

bz_rc act_link_case(struct db *db, int64_t activity_id, int64_t case_id, const char *kind, int seq)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ACT_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, case_id);
	db_bind_text(st, 3, kind);
	if (seq > 0)
		db_bind_int(st, 4, seq);
	bz_rc rc = db_rc(db, db_step(st), "activity case");
	sqlite3_reset(st);
	return rc;
}

/* Inserts the activity and its attachments; the caller holds the transaction. */
bz_rc act_insert_activity(struct db *db, int64_t actor_id, const struct activity_input *in,
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
	bz_rc rc = db_rc(db, db_step(st), "activity insert");
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
		rc = act_link_case(db, id, val_parse_id(in->agenda_case_ids[i]), "agenda", 0);
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
		rc = db_rc(db, db_step(st), "activity attendee");
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
			rc = db_rc(db, db_step(st), "activity followup");
			sqlite3_reset(st);
		}
		s = nl ? nl + 1 : NULL;
	}
	if (rc == BZ_OK)
		rc = db_event_add(db, EVENT_ACTIVITY, id, NULL, actor_id, "created", NULL, NULL,
		                  in->held_on, NULL);
	if (rc == BZ_OK)
		*id_out = id;
	return rc;
}

bz_rc activity_create(struct db *db, const struct user *actor, const struct activity_input *in,
                      json_t *fields, int64_t *id_out)
{
	if (!act_may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (activity_validate(db, in, fields) != BZ_OK)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	int64_t id = 0;
	rc = act_insert_activity(db, actor->id, in, &id);
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

typedef json_t *(*row_fn)(sqlite3_stmt *st);

static bz_rc rows(struct db *db, const char *sql, int64_t id, row_fn fn, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	json_t *a = json_array();
	int src;
	while ((src = db_step(st)) == SQLITE_ROW) {
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
	return json_pack("{s:s, s:o}", "name", db_col_text(st, 0), "organisation",
	                 db_col_json(st, 1));
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
	    {"retired", "기록 취소"},
	    {"followup_done", "후속 조치 완료"},
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
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "at_text", kst, "actor",
	                 db_col_text(st, 1), "kind", kind, "kind_label", event_text(kind), "field",
	                 db_col_json(st, 3), "old", db_col_json(st, 4), "text", db_col_json(st, 5));
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
	int src = db_step(st);
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
	act_date_label(db_col_text(st, 6), label, sizeof(label));
	json_object_set_new(a, "held_on", json_string(db_col_text(st, 6)));
	json_object_set_new(a, "held_on_text", json_string(label));
	json_object_set_new(a, "starts_at", db_col_json(st, 7));
	json_object_set_new(a, "ends_at", db_col_json(st, 8));
	act_time_label((const char *)sqlite3_column_text(st, 7),
	               (const char *)sqlite3_column_text(st, 8), tl, sizeof(tl));
	json_object_set_new(a, "time_text", json_string(tl));
	/* optional text: JSON null when absent (never "") */
	json_object_set_new(a, "place", db_col_json(st, 9));
	json_object_set_new(a, "title", db_col_json(st, 10));
	json_object_set_new(a, "summary", db_col_json(st, 11));
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
	while ((src = db_step(st)) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0);
		char sz[32];
		size_text(sqlite3_column_int64(st, 4), sz, sizeof(sz));
		json_t *url =
		    link_fact("activity_photo", json_pack("{s:I, s:I}", "activity", (json_int_t)id,
		                                          "photo", (json_int_t)pid));
		json_t *p = json_pack("{s:I, s:o, s:o, s:s}", "id", (json_int_t)pid, "caption",
		                      db_col_json(st, 1), "url", url, "size_text", sz);
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
	act_row_title(json_string_value(json_object_get(a, "title")), first,
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
    "(SELECT count(*) FROM activity_company x WHERE x.activity_id = a.id), "
    "coalesce(a.starts_at, '')" LIST_WHERE
    " AND (?8 IS NULL OR (a.held_on, coalesce(a.starts_at, ''), a.id) < (?8, ?9, ?10))"
    " ORDER BY a.held_on DESC, coalesce(a.starts_at, '') DESC, a.id DESC LIMIT ?6 OFFSET ?7";

/* [from, to) of a year or a month as YYYY-MM-DD; false if no bound. */
bool act_range_of(int year, int month, char *from, char *to)
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
void act_row_title(const char *title, const char *companies, int64_t ncompanies, const char *type,
                   char *out, size_t outlen)
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
	bool ranged = act_range_of(f->year, f->month, fromb, tob);
	const char *from = ranged ? fromb : NULL, *to = ranged ? tob : NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_LIST_COUNT);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_list(st, f, from, to);
	int src = db_step(st);
	int64_t total = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (src != SQLITE_ROW)
		return db_rc(db, src, "activity count");
	int64_t size = f->limit > 0 ? f->limit : ACTIVITY_PAGE_SIZE;
	int64_t pages = total == 0 ? 1 : (total + size - 1) / size;
	int64_t page = f->page < 1 ? 1 : f->page > pages ? pages : f->page;
	st = db_stmt(db, SQL_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_list(st, f, from, to);
	/* one row more than the page shows: whether a next page follows */
	db_bind_int(st, 6, f->each ? -1 : size + 1);
	db_bind_int(st, 7, f->each || f->after ? 0 : (page - 1) * size);
	if (f->after && !f->each) {
		db_bind_text(st, 8, json_string_value(json_array_get(f->after, 0)));
		/* "" is a key here, not an absent value (db_bind_text would bind NULL) */
		sqlite3_bind_text(st, 9, json_string_value(json_array_get(f->after, 1)), -1,
		                  SQLITE_TRANSIENT);
		db_bind_int(st, 10, json_integer_value(json_array_get(f->after, 2)));
	} else
		db_bind_text(st, 8, NULL);
	json_t *a = json_array();
	json_t *next_key = NULL;
	char last_starts[64] = "";
	bz_rc rc = BZ_OK;
	while ((src = db_step(st)) == SQLITE_ROW) {
		if (!f->each && (int64_t)json_array_size(a) == size) {
			json_t *last = json_array_get(a, json_array_size(a) - 1);
			next_key = json_pack("[O, s, O]", json_object_get(last, "held_on"),
			                     last_starts, json_object_get(last, "id"));
			break;
		}
		char dl[64], tl[32], title[600];
		act_date_label(db_col_text(st, 1), dl, sizeof(dl));
		act_time_label((const char *)sqlite3_column_text(st, 2),
		               (const char *)sqlite3_column_text(st, 3), tl, sizeof(tl));
		act_row_title(db_col_text(st, 5), db_col_text(st, 7), sqlite3_column_int64(st, 11),
		              db_col_text(st, 4), title, sizeof(title));
		json_t *row =
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:I}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "held_on",
		              db_col_text(st, 1), "held_on_text", dl, "time_text", tl, "type",
		              db_col_text(st, 4), "display_title", title, "place",
		              db_col_json(st, 6), "companies", db_col_text(st, 7), "staff",
		              db_col_text(st, 8), "photos", (json_int_t)sqlite3_column_int64(st, 9),
		              "cases", (json_int_t)sqlite3_column_int64(st, 10));
		if (f->each) {
			rc = row ? f->each(f->each_ctx, row) : BZ_ERR_NOMEM;
			json_decref(row);
			if (rc != BZ_OK)
				break;
			continue;
		}
		bz_strlcpy(last_starts, db_col_text(st, 12), sizeof(last_starts));
		json_array_append_new(a, row);
	}
	if (src == SQLITE_ROW && next_key != NULL)
		src = SQLITE_DONE;
	sqlite3_reset(st);
	if (rc != BZ_OK || src != SQLITE_DONE || f->each) {
		json_decref(a);
		json_decref(next_key);
		return rc != BZ_OK          ? rc
		       : src != SQLITE_DONE ? db_rc(db, src, "activity list")
		                            : BZ_OK;
	}
	*out = json_pack("{s:o, s:I, s:I, s:I}", "activities", a, "total", (json_int_t)total,
	                 "page_no", (json_int_t)page, "pages", (json_int_t)pages);
	if (*out && next_key)
		json_object_set_new(*out, "next_key", next_key);
	else
		json_decref(next_key);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* ---- staff who can go ------------------------------------------------------- */

static const char SQL_STAFF_OPTS[] = "SELECT id, name FROM app_user WHERE disabled_at IS NULL "
                                     "AND role IN ('staff', 'leader') ORDER BY name";

bz_rc activity_staff(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STAFF_OPTS);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "name",
		                                   db_col_text(st, 1)));
	return db_rows_json(db, st, rc, "staff options", a, out);
}
