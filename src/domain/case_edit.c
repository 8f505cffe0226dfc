/* SOS cases: correcting what was recorded at intake (title, texts, category,
 * channel, received date and time) and recording the answer of the agency a
 * transferred case went to. Both run in the write transaction of
 * case_write.c: visibility, role, merge state and version are checked there. */
#include "bizsos/kst.h"
#include "bizsos/validate.h"
#include "case_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What an edit compares against, beyond struct case_row. */
struct edit_row {
	int64_t category_id;
	char category[64];
	char title[CASE_TITLE_CHARS * 4 + 1];
	char *description; /* owned */
	char *request;     /* owned */
	char channel[16];
	char received_at[24];
	char received_time[8]; /* HH:MM KST */
	char closed_on[DATE_TEXT_SIZE];
	char transfer_on[DATE_TEXT_SIZE];
};

static const char SQL_EDIT_ROW[] =
    "SELECT s.category_id, k.name, s.title, s.description, s.request, s.channel, "
    "s.received_at, coalesce(s.closed_on, ''), coalesce(s.transfer_on, '') "
    "FROM sos_case s JOIN case_category k ON k.id = s.category_id WHERE s.id = ?1";

/* Column i as a new string ("" for NULL); NULL if out of memory. */
static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return strdup(t ? (const char *)t : "");
}

static bz_rc edit_row_load(struct db *db, int64_t id, struct edit_row *e)
{
	memset(e, 0, sizeof(*e));
	sqlite3_stmt *st = db_stmt(db, SQL_EDIT_ROW);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "case edit row");
	}
	e->category_id = sqlite3_column_int64(st, 0);
	case_col(st, 1, e->category, sizeof(e->category));
	case_col(st, 2, e->title, sizeof(e->title));
	e->description = dup_col(st, 3);
	e->request = dup_col(st, 4);
	case_col(st, 5, e->channel, sizeof(e->channel));
	case_col(st, 6, e->received_at, sizeof(e->received_at));
	case_col(st, 7, e->closed_on, sizeof(e->closed_on));
	case_col(st, 8, e->transfer_on, sizeof(e->transfer_on));
	sqlite3_reset(st);
	char kst[32];
	fmt_instant_kst(e->received_at, kst, sizeof(kst)); /* "YYYY-MM-DD HH:MM" */
	bz_strlcpy(e->received_time, strlen(kst) >= 16 ? kst + 11 : "09:00",
	           sizeof(e->received_time));
	if (e->description == NULL || e->request == NULL)
		return BZ_ERR_NOMEM;
	return BZ_OK;
}

static void edit_row_free(struct edit_row *e)
{
	free(e->description);
	free(e->request);
	e->description = e->request = NULL;
}

static const char SQL_EDIT_VALUES[] =
    "SELECT s.id, s.case_no, s.version, s.status, s.title, s.description, s.request, "
    "s.category_id, k.name AS category, k.default_days, k.retired_at IS NOT NULL AS "
    "category_retired, s.channel, s.received_on, s.received_at, s.due_on, s.extended_due_on, "
    "s.merged_into, m.case_no AS merged_into_no, s.company_id, c.name AS company "
    "FROM sos_case s JOIN case_category k ON k.id = s.category_id "
    "JOIN company c ON c.id = s.company_id LEFT JOIN sos_case m ON m.id = s.merged_into "
    "WHERE s.id = ?1 AND " CASE_SCOPE;

bz_rc case_edit_values(struct db *db, const struct user *actor, int64_t id, json_t **out)
{
	sqlite3_stmt *st;
	bz_rc vrc = case_visible_row(db, actor, SQL_EDIT_VALUES, id, "case edit values", &st);
	if (vrc != BZ_OK)
		return vrc;
	json_t *o = case_row_json(st);
	sqlite3_reset(st);
	char v[32], kst[32];
	snprintf(v, sizeof(v), "%lld",
	         (long long)json_integer_value(json_object_get(o, "category_id")));
	json_object_set_new(o, "category_id", json_string(v));
	fmt_instant_kst(json_string_value(json_object_get(o, "received_at")), kst, sizeof(kst));
	json_object_set_new(o, "received_time", json_string(strlen(kst) >= 16 ? kst + 11 : ""));
	const char *ext = json_string_value(json_object_get(o, "extended_due_on"));
	json_object_set_new(o, "extended", json_boolean(ext && *ext));
	json_object_set_new(
	    o, "merged", json_boolean(json_integer_value(json_object_get(o, "merged_into")) > 0));
	json_object_set_new(
	    o, "category_retired",
	    json_boolean(json_integer_value(json_object_get(o, "category_retired")) != 0));
	const char *l = case_label("status", json_string_value(json_object_get(o, "status")));
	json_object_set_new(o, "status_label", l ? json_string(l) : json_null());
	*out = o;
	return BZ_OK;
}

static const char SQL_CATEGORY_FOR_EDIT[] =
    "SELECT name, default_days, retired_at IS NOT NULL FROM case_category WHERE id = ?1";
static const char SQL_EDIT_SET[] =
    "UPDATE sos_case SET title = ?2, description = ?3, request = ?4, "
    "category_id = ?5, "
    "channel = ?6, received_on = ?7, received_at = ?8, due_on = ?9 WHERE id = ?1";

/* One changed field: its event, or nothing if old and new are the same. */
static bz_rc field_event(struct db *db, const struct case_row *r, int64_t actor, const char *field,
                         const char *old, const char *new_, const char *note, bool *changed)
{
	if (strcmp(old ? old : "", new_ ? new_ : "") == 0)
		return BZ_OK;
	*changed = true;
	return case_event_add(db, r->id, actor, "field", field, val_nz(old), val_nz(new_), note);
}

bz_rc case_edit(struct db *db, const struct user *actor, int64_t id, int64_t version,
                const struct case_edit_input *in, bool *changed, json_t *fields, char *msg,
                size_t msglen)
{
	*changed = false;
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_EDIT, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	struct edit_row e;
	if ((rc = edit_row_load(db, r.id, &e)) != BZ_OK) {
		edit_row_free(&e);
		return case_write_abort(db, rc);
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);

	case_check_texts(in->title, in->description, in->request, fields);
	if (in->channel == NULL || case_label("channel", in->channel) == NULL)
		val_field_error(fields, "channel", "접수 경로를 목록에서 골라 주세요.");

	/* the category: a known one; a retired one only if the case already has it */
	int64_t cat = case_parse_id(in->category_id);
	char cat_name[64] = "";
	int days = 0;
	bool known = false, retired = false;
	sqlite3_stmt *st = cat ? db_stmt(db, SQL_CATEGORY_FOR_EDIT) : NULL;
	if (st) {
		db_bind_int(st, 1, cat);
		if (db_step(st) == SQLITE_ROW) {
			known = true;
			case_col(st, 0, cat_name, sizeof(cat_name));
			days = sqlite3_column_int(st, 1);
			retired = sqlite3_column_int(st, 2) != 0;
		}
		sqlite3_reset(st);
	}
	if (!known)
		val_field_error(fields, "category_id", "애로 분야를 목록에서 골라 주세요.");
	else if (retired && cat != e.category_id)
		val_field_error(fields, "category_id",
		                "더는 쓰지 않는 분야입니다. 목록에 있는 분야를 골라 주세요.");

	/* the received date and time: not in the future, not after what followed */
	const char *recv = in->received_on;
	const char *dm = case_date_check(recv, "2000-01-01", today);
	if (dm)
		val_field_error(fields, "received_on",
		                strcmp(dm, "접수일보다 앞선 날짜는 입력할 수 없습니다.") == 0
		                    ? "접수일은 2000년 이후의 날짜로 입력해 주세요."
		                    : dm);
	else {
		const char *later[][2] = {{r.notified_on, "기업 통보일"},
		                          {e.transfer_on, "이송일"},
		                          {e.closed_on, "종결일"}};
		for (size_t i = 0; i < BZ_ARRAY_LEN(later); i++) {
			if (*later[i][0] && strcmp(recv, later[i][0]) > 0) {
				char m[160];
				snprintf(m, sizeof(m), "접수일은 %s(%s)보다 늦을 수 없습니다.",
				         later[i][1], later[i][0]);
				json_object_set_new(fields, "received_on", json_string(m));
				break;
			}
		}
	}
	const char *time_in = val_nz(in->received_time) ? in->received_time : e.received_time;
	int minutes = clock_hhmm_minutes(time_in);
	if (minutes < 0)
		val_field_error(fields, "received_time", "접수 시각은 14:30처럼 입력해 주세요.");
	if (json_object_size(fields) > 0) {
		edit_row_free(&e);
		return case_write_abort(db, BZ_ERR_INVALID);
	}

	/* the instant and, by the rule, the due date */
	char at[24];
	bool same_when = strcmp(recv, r.received_on) == 0 && strcmp(time_in, e.received_time) == 0;
	if (same_when) {
		bz_strlcpy(at, e.received_at, sizeof(at));
	} else {
		int32_t d;
		date_parse(recv, &d, NULL);
		db_format_utc((time_t)d * 86400 + (time_t)minutes * 60 - 9 * 3600, at);
	}
	char due[DATE_TEXT_SIZE];
	bz_strlcpy(due, r.due_on, sizeof(due));
	bool recompute = !*r.ext_due && (cat != e.category_id || strcmp(recv, r.received_on) != 0);
	if (recompute) {
		struct workday_holidays h;
		workday_holidays_init(&h);
		rc = holiday_set_load_from(db, recv, &h);
		if (rc == BZ_OK)
			rc = case_due_date(&h, recv, days, due, sizeof(due));
		workday_holidays_free(&h);
		if (rc != BZ_OK) {
			edit_row_free(&e);
			return case_write_abort(db, rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc);
		}
	}

	/* one event per changed field, old -> new */
	int64_t a = actor->id;
	const char *desc = in->description ? in->description : "";
	const char *req = in->request ? in->request : "";
	rc = field_event(db, &r, a, "title", e.title, in->title, NULL, changed);
	if (rc == BZ_OK)
		rc = field_event(db, &r, a, "description", e.description, desc, NULL, changed);
	if (rc == BZ_OK)
		rc = field_event(db, &r, a, "request", e.request, req, NULL, changed);
	if (rc == BZ_OK && cat != e.category_id)
		rc = field_event(db, &r, a, "category", e.category, cat_name, NULL, changed);
	if (rc == BZ_OK)
		rc = field_event(db, &r, a, "channel", e.channel, in->channel, NULL, changed);
	if (rc == BZ_OK && !same_when) {
		char old_kst[32], new_kst[32];
		fmt_instant_kst(e.received_at, old_kst, sizeof(old_kst));
		fmt_instant_kst(at, new_kst, sizeof(new_kst));
		rc = field_event(db, &r, a, "received_at", old_kst, new_kst, NULL, changed);
	}
	if (rc == BZ_OK && recompute) {
		char note[192];
		snprintf(note, sizeof(note), "%s 처리 기간 %d근무일로 다시 계산", cat_name, days);
		rc = field_event(db, &r, a, "due_on", r.due_on, due, note, changed);
	}
	if (rc == BZ_OK && *changed)
		rc = db_execf(db, SQL_EDIT_SET, "itttitttt", r.id, in->title, desc, req, cat,
		              in->channel, recv, at, due);
	edit_row_free(&e);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	if (!*changed) /* nothing to write: no new version */
		return case_write_abort(db, BZ_OK);
	return case_write_finish(db, &r);
}

/* ---- the answer of the agency a case was transferred to ----------------- */

static const char SQL_TRANSFER_GET[] =
    "SELECT coalesce(transfer_on, ''), coalesce(transfer_answer, ''), "
    "coalesce(transfer_answer_on, '') FROM sos_case WHERE id = ?1";
static const char SQL_TRANSFER_ANSWER[] =
    "UPDATE sos_case SET transfer_answer = ?2, transfer_answer_on = ?3 WHERE id = ?1";

bz_rc case_transfer_answer(struct db *db, const struct user *actor, int64_t id, int64_t version,
                           const char *answered_on, const char *text, json_t *fields, char *msg,
                           size_t msglen)
{
	struct case_row r;
	bz_rc rc =
	    case_write_begin(db, actor, id, version, CASE_ACT_TRANSFER_ANSWER, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (strcmp(r.status, "transferred") != 0) {
		snprintf(msg, msglen,
		         "이송한 사건에만 이송 기관의 회신을 기록할 수 있습니다. 이 사건은 ‘%s’ "
		         "상태입니다.",
		         case_label("status", r.status) ? case_label("status", r.status)
		                                        : r.status);
		return case_write_abort(db, BZ_ERR_CONFLICT);
	}
	char transfer_on[DATE_TEXT_SIZE] = "", old_on[DATE_TEXT_SIZE] = "";
	sqlite3_stmt *st = db_stmt(db, SQL_TRANSFER_GET);
	if (st == NULL)
		return case_write_abort(db, BZ_ERR_DB);
	db_bind_int(st, 1, r.id);
	char *old_text = NULL;
	if (db_step(st) == SQLITE_ROW) {
		case_col(st, 0, transfer_on, sizeof(transfer_on));
		old_text = dup_col(st, 1);
		case_col(st, 2, old_on, sizeof(old_on));
	}
	sqlite3_reset(st);
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *dm = case_date_check(answered_on, NULL, today);
	if (dm)
		val_field_error(fields, "transfer_answer_on", dm);
	else if (*transfer_on && strcmp(answered_on, transfer_on) < 0) {
		char m[128];
		snprintf(m, sizeof(m), "회신일은 이송일(%s)보다 앞설 수 없습니다.", transfer_on);
		json_object_set_new(fields, "transfer_answer_on", json_string(m));
	}
	if (!val_nz(text))
		val_field_error(fields, "transfer_answer", "회신 내용을 입력해 주세요.");
	else if (!case_text_ok(text, CASE_TEXT_CHARS, true))
		val_field_error(fields, "transfer_answer",
		                "회신 내용은 10,000자까지 입력할 수 있습니다.");
	else if (old_text && strcmp(old_text, text) == 0 && strcmp(old_on, answered_on) == 0)
		val_field_error(fields, "transfer_answer", "이미 기록한 회신과 같습니다.");
	if (json_object_size(fields) > 0) {
		free(old_text);
		return case_write_abort(db, BZ_ERR_INVALID);
	}
	rc = db_execf(db, SQL_TRANSFER_ANSWER, "itt", r.id, text, answered_on);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "transfer_answer", "transfer_answer",
		                    old_text ? val_nz(old_text) : NULL, text, answered_on);
	free(old_text);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}
