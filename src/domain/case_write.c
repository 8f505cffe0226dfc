/* SOS cases: every change to an existing case. Each write runs in one
 * BEGIN IMMEDIATE transaction that loads the case, checks visibility, role,
 * merge state and the version the form was loaded with, validates, changes,
 * appends history events and bumps the version; any failure rolls it all back. */
#include "case_internal.h"
#include "bizsos/kst.h"
#include "bizsos/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ROW[] =
    "SELECT s.id, s.version, coalesce(s.merged_into, 0), s.company_id, "
    "coalesce(s.assignee_id, 0), s.reassign_count, s.status, s.case_no, s.received_on, "
    "s.due_on, coalesce(s.extended_due_on, ''), coalesce(s.notified_method, ''), "
    "coalesce(s.notified_on, ''), coalesce(m.case_no, '') "
    "FROM sos_case s LEFT JOIN sos_case m ON m.id = s.merged_into "
    "WHERE s.id = ?1 AND " CASE_SCOPE;
static const char SQL_BUMP[] =
    "UPDATE sos_case SET version = version + 1, updated_at = ?2 WHERE id = ?1 AND version = ?3";

void case_col(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	bz_strlcpy(out, t ? (const char *)t : "", outlen);
}

bz_rc case_row_load(struct db *db, const struct user *actor, int64_t id, struct case_row *r)
{
	sqlite3_stmt *st;
	bz_rc vrc = case_visible_row(db, actor, SQL_ROW, id, "case row", &st);
	if (vrc != BZ_OK)
		return vrc;
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->version = sqlite3_column_int64(st, 1);
	r->merged_into = sqlite3_column_int64(st, 2);
	r->company_id = sqlite3_column_int64(st, 3);
	r->assignee_id = sqlite3_column_int64(st, 4);
	r->reassign_count = sqlite3_column_int64(st, 5);
	case_col(st, 6, r->status, sizeof(r->status));
	case_col(st, 7, r->case_no, sizeof(r->case_no));
	case_col(st, 8, r->received_on, sizeof(r->received_on));
	case_col(st, 9, r->due_on, sizeof(r->due_on));
	case_col(st, 10, r->ext_due, sizeof(r->ext_due));
	case_col(st, 11, r->notified_method, sizeof(r->notified_method));
	case_col(st, 12, r->notified_on, sizeof(r->notified_on));
	case_col(st, 13, r->merged_into_no, sizeof(r->merged_into_no));
	sqlite3_reset(st);
	return BZ_OK;
}

static const char *const action_names[CASE_ACT_COUNT] = {
    [CASE_ACT_CREATE] = "기업애로 접수",
    [CASE_ACT_TRIAGE] = "분류·표시 변경",
    [CASE_ACT_ASSIGN] = "담당자 지정",
    [CASE_ACT_REFER] = "부서 이관",
    [CASE_ACT_ANSWER] = "부서 답변",
    [CASE_ACT_EXTEND] = "기한 연장",
    [CASE_ACT_NOTIFY] = "결과 통보 기록",
    [CASE_ACT_NOTE] = "메모 작성",
    [CASE_ACT_ATTACH] = "파일 첨부",
    [CASE_ACT_MERGE] = "사건 병합",
    [CASE_ACT_CATEGORIES] = "분류 관리",
    [CASE_ACT_EDIT] = "사건 내용 수정",
    [CASE_ACT_TRANSFER_ANSWER] = "이송 기관 회신 기록",
    [CASE_ACT_REFERRAL_OWNER] = "이관 담당자 변경",
};

/* Opens the write transaction and loads the case; on any outcome but BZ_OK the
 * transaction is rolled back and msg (for 403/409) is filled. act < 0: the
 * caller checks the role itself. */
bz_rc case_write_begin(struct db *db, const struct user *actor, int64_t id, int64_t version,
                       int act, struct case_row *r, char *msg, size_t msglen)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	if ((rc = case_row_load(db, actor, id, r)) != BZ_OK)
		goto fail;
	if (act >= 0 && !case_may(actor, (enum case_action)act)) {
		snprintf(msg, msglen, "%s 권한이 없습니다. (%s)", action_names[act],
		         role_label_ko(actor->role));
		rc = BZ_ERR_FORBIDDEN;
		goto fail;
	}
	if (r->merged_into) {
		snprintf(msg, msglen,
		         "이 사건은 %s 사건에 병합되어 더는 고칠 수 없습니다. 병합된 사건에서 "
		         "처리해 주세요.",
		         r->merged_into_no);
		rc = BZ_ERR_CONFLICT;
		goto fail;
	}
	if (version != r->version) {
		snprintf(msg, msglen,
		         "다른 사용자가 먼저 이 사건을 고쳤습니다. 입력하신 내용은 저장하지 "
		         "않았습니다. 아래의 현재 내용을 확인한 뒤 다시 입력해 주세요.");
		rc = BZ_ERR_CONFLICT;
		goto fail;
	}
	return BZ_OK;
fail:
	db_rollback(db);
	return rc;
}

/* Bumps the version and commits; rolls back on failure. */
bz_rc case_write_finish(struct db *db, const struct case_row *r)
{
	sqlite3_stmt *st = db_stmt(db, SQL_BUMP);
	bz_rc rc = BZ_ERR_DB;
	if (st) {
		char now[24];
		db_now_utc(now);
		db_bind_int(st, 1, r->id);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, r->version);
		rc = db_rc(db, db_step(st), "case bump");
		sqlite3_reset(st);
		if (rc == BZ_OK && db_changes(db) != 1)
			rc = BZ_ERR_CONFLICT;
	}
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* Ends a write that failed validation or a step. */
bz_rc case_write_abort(struct db *db, bz_rc rc)
{
	db_rollback(db);
	return rc;
}

/* ---- status ------------------------------------------------------------- */

static const char SQL_SET_DONE[] =
    "UPDATE sos_case SET status = 'done', disposition = ?2, outcome = ?3, outcome_reason = ?4, "
    "notified_method = ?5, notified_on = ?6, closed_on = ?7, status_reason = NULL WHERE id = ?1";
static const char SQL_SET_TRANSFERRED[] =
    "UPDATE sos_case SET status = 'transferred', transfer_to = ?2, transfer_on = ?3, "
    "transfer_answer = ?4, closed_on = ?5, status_reason = NULL, "
    "transfer_answer_on = CASE WHEN ?4 IS NULL THEN NULL ELSE ?3 END WHERE id = ?1";
static const char SQL_SET_WITHDRAWN[] =
    "UPDATE sos_case SET status = 'withdrawn', status_reason = ?2, closed_on = ?3 WHERE id = ?1";
static const char SQL_SET_REOPEN[] =
    "UPDATE sos_case SET status = ?2, status_reason = ?3, disposition = NULL, outcome = NULL, "
    "outcome_reason = NULL, closed_on = NULL, notified_method = NULL, notified_on = NULL "
    "WHERE id = ?1";
static const char SQL_SET_STATUS[] =
    "UPDATE sos_case SET status = ?2, status_reason = NULL WHERE id = ?1";

bz_rc case_set_status(struct db *db, const struct user *actor, int64_t id, int64_t version,
                      const struct case_status_input *in, json_t *fields, char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, -1, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	const struct case_transition *t = NULL;
	const char *to = in->to ? in->to : "";
	rc = case_transition_check(r.status, to, actor->role, &t);
	if (rc == BZ_ERR_INVALID) {
		const char *from_l = case_label("status", r.status);
		const char *to_l = case_label("status", to);
		char m[160];
		if (to_l)
			snprintf(m, sizeof(m), "‘%s’ 상태에서 ‘%s’(으)로는 바꿀 수 없습니다.",
			         from_l ? from_l : r.status, to_l);
		else
			snprintf(m, sizeof(m), "바꿀 상태를 골라 주세요.");
		json_object_set_new(fields, "to", json_string(m));
		return case_write_abort(db, BZ_ERR_INVALID);
	}
	if (rc == BZ_ERR_FORBIDDEN) {
		snprintf(msg, msglen, "‘%s’(으)로 바꾸는 일은 %s 권한으로는 할 수 없습니다.",
		         case_label("status", to), role_label_ko(actor->role));
		return case_write_abort(db, rc);
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *reason = val_nz(in->reason);
	if (t->needs & CASE_NEED_REASON) {
		if (reason == NULL)
			val_field_error(fields, "reason",
			                strcmp(to, "withdrawn") == 0
			                    ? "취하 사유를 입력해 주세요."
			                    : "다시 여는 사유를 입력해 주세요.");
		else if (!case_text_ok(reason, CASE_REASON_CHARS, true))
			val_field_error(fields, "reason", "사유는 1,000자까지 입력할 수 있습니다.");
	}
	const char *nm = r.notified_method, *non = r.notified_on;
	bool new_notice = false;
	if (t->needs & CASE_NEED_COMPLETION) {
		if (in->disposition == NULL || case_label("disposition", in->disposition) == NULL)
			val_field_error(fields, "disposition",
			                "처리 구분(즉시처리·장기추진·제도개선건의)을 골라 주세요.");
		if (in->outcome == NULL || case_label("outcome", in->outcome) == NULL)
			val_field_error(fields, "outcome",
			                "처리 결과(수용·일부수용·불수용)를 골라 주세요.");
		else if (strcmp(in->outcome, "accepted") != 0 && val_nz(in->outcome_reason) == NULL)
			val_field_error(fields, "outcome_reason",
			                "일부수용·불수용이면 그 사유를 입력해 주세요.");
		if (!case_text_ok(in->outcome_reason, CASE_REASON_CHARS, false))
			val_field_error(fields, "outcome_reason",
			                "사유는 1,000자까지 입력할 수 있습니다.");
		if (!*nm || !*non) {
			if (val_nz(in->notified_method) == NULL &&
			    val_nz(in->notified_on) == NULL) {
				val_field_error(fields, "notified_method",
				                "기업에 결과를 알린 방법을 먼저 기록해 주세요.");
				val_field_error(fields, "notified_on",
				                "기업에 결과를 알린 날짜를 먼저 기록해 주세요.");
			} else {
				if (case_label("notified_method",
				               in->notified_method ? in->notified_method : "") ==
				    NULL)
					val_field_error(
					    fields, "notified_method",
					    "통보 방법(서면·이메일·문자·전화)을 골라 주세요.");
				const char *dm =
				    case_date_check(in->notified_on, r.received_on, today);
				if (dm)
					val_field_error(fields, "notified_on", dm);
				nm = in->notified_method;
				non = in->notified_on;
				new_notice = true;
			}
		}
	}
	if (t->needs & CASE_NEED_TRANSFER) {
		if (in->transfer_to == NULL || !user_text_valid(in->transfer_to, 200))
			val_field_error(fields, "transfer_to",
			                "이송 기관(예: 도청, 중소기업 옴부즈만)을 입력해 주세요.");
		const char *dm = case_date_check(in->transfer_on, r.received_on, today);
		if (dm)
			val_field_error(fields, "transfer_on", dm);
		if (!case_text_ok(in->transfer_answer, CASE_TEXT_CHARS, false))
			val_field_error(fields, "transfer_answer",
			                "회신 내용은 10,000자까지 입력할 수 있습니다.");
	}
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);

	if (strcmp(to, "done") == 0) {
		rc = db_execf(db, SQL_SET_DONE, "itttttt", r.id, in->disposition, in->outcome,
		              val_nz(in->outcome_reason), nm, non, today);
		if (rc == BZ_OK && new_notice)
			rc = case_event_add(db, r.id, actor->id, "notify", "notified_method", NULL,
			                    nm, non);
		if (rc == BZ_OK)
			rc = case_event_add(db, r.id, actor->id, "status", "disposition", NULL,
			                    in->disposition, NULL);
		if (rc == BZ_OK)
			rc = case_event_add(db, r.id, actor->id, "status", "outcome", NULL,
			                    in->outcome, val_nz(in->outcome_reason));
	} else if (strcmp(to, "transferred") == 0) {
		/* closed on the day it was handed over */
		rc = db_execf(db, SQL_SET_TRANSFERRED, "itttt", r.id, in->transfer_to,
		              in->transfer_on, val_nz(in->transfer_answer), in->transfer_on);
		if (rc == BZ_OK)
			rc = case_event_add(db, r.id, actor->id, "status", "transfer_to", NULL,
			                    in->transfer_to, in->transfer_on);
	} else if (strcmp(to, "withdrawn") == 0) {
		rc = db_execf(db, SQL_SET_WITHDRAWN, "itt", r.id, reason, today);
	} else if (strcmp(r.status, "done") == 0) {
		rc = db_execf(db, SQL_SET_REOPEN, "itt", r.id, to, reason);
	} else {
		rc = db_execf(db, SQL_SET_STATUS, "it", r.id, to);
	}
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "status", "status", r.status, to, reason);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

/* ---- triage and flag ---------------------------------------------------- */

static const char SQL_TRIAGE_GET[] =
    "SELECT triage, coalesce(flag, '') FROM sos_case WHERE id = ?1";
static const char SQL_TRIAGE_SET[] = "UPDATE sos_case SET triage = ?2, flag = ?3 WHERE id = ?1";

bz_rc case_set_triage(struct db *db, const struct user *actor, int64_t id, int64_t version,
                      const char *triage, const char *flag, json_t *fields, char *msg,
                      size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_TRIAGE, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (triage == NULL || case_label("triage", triage) == NULL)
		val_field_error(fields, "triage", "단일애로 또는 복합애로를 골라 주세요.");
	if (val_nz(flag) && case_label("flag", flag) == NULL)
		val_field_error(fields, "flag", "표시는 긴급, 중요 또는 없음 중에서 골라 주세요.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	sqlite3_stmt *st = db_stmt(db, SQL_TRIAGE_GET);
	if (st == NULL)
		return case_write_abort(db, BZ_ERR_DB);
	db_bind_int(st, 1, r.id);
	char old_t[16] = "", old_f[16] = "";
	if (db_step(st) == SQLITE_ROW) {
		case_col(st, 0, old_t, sizeof(old_t));
		case_col(st, 1, old_f, sizeof(old_f));
	}
	sqlite3_reset(st);
	const char *nf = val_nz(flag) ? flag : "";
	if (strcmp(old_t, triage) == 0 && strcmp(old_f, nf) == 0) {
		val_field_error(fields, "triage", "바뀐 내용이 없습니다.");
		return case_write_abort(db, BZ_ERR_INVALID);
	}
	rc = db_execf(db, SQL_TRIAGE_SET, "itt", r.id, triage, val_nz(flag));
	if (rc == BZ_OK && strcmp(old_t, triage) != 0)
		rc = case_event_add(db, r.id, actor->id, "triage", "triage", old_t, triage, NULL);
	if (rc == BZ_OK && strcmp(old_f, nf) != 0)
		rc = case_event_add(db, r.id, actor->id, "triage", "flag", val_nz(old_f),
		                    val_nz(flag), NULL);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

/* ---- assignment --------------------------------------------------------- */

static const char SQL_USER_ASSIGNABLE[] =
    "SELECT name FROM app_user WHERE id = ?1 AND role IN ('staff', 'leader') "
    "AND disabled_at IS NULL";
static const char SQL_USER_NAME[] = "SELECT name FROM app_user WHERE id = ?1";
static const char SQL_ASSIGN[] =
    "UPDATE sos_case SET assignee_id = ?2, reassign_count = reassign_count + ?3 WHERE id = ?1";

bool case_name_of(struct db *db, const char *sql, int64_t id, char *out, size_t outlen)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool ok = db_step(st) == SQLITE_ROW;
	if (ok)
		case_col(st, 0, out, outlen);
	sqlite3_reset(st);
	return ok;
}

bz_rc case_assign(struct db *db, const struct user *actor, int64_t id, int64_t version,
                  const char *assignee, json_t *fields, char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_ASSIGN, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	int64_t to = case_parse_id(assignee);
	char new_name[USER_NAME_MAX] = "", old_name[USER_NAME_MAX] = "";
	if (val_nz(assignee) &&
	    (to == 0 || !case_name_of(db, SQL_USER_ASSIGNABLE, to, new_name, sizeof(new_name))))
		val_field_error(fields, "assignee",
		                "담당자는 주무관 또는 팀장 중에서 골라 주세요.");
	else if (actor->role != ROLE_LEADER && to != actor->id) {
		snprintf(msg, msglen,
		         "주무관은 자신을 담당자로 지정할 수만 있습니다. 다른 사람에게 맡기려면 "
		         "팀장에게 요청해 주세요.");
		return case_write_abort(db, BZ_ERR_FORBIDDEN);
	} else if (to == r.assignee_id)
		val_field_error(fields, "assignee", "이미 그 사람이 담당자입니다.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	if (r.assignee_id)
		case_name_of(db, SQL_USER_NAME, r.assignee_id, old_name, sizeof(old_name));
	int64_t bump = r.assignee_id != 0 && to != r.assignee_id ? 1 : 0;
	sqlite3_stmt *st = db_stmt(db, SQL_ASSIGN);
	if (st == NULL)
		return case_write_abort(db, BZ_ERR_DB);
	db_bind_int(st, 1, r.id);
	if (to)
		db_bind_int(st, 2, to);
	db_bind_int(st, 3, bump);
	rc = db_rc(db, db_step(st), "assign");
	sqlite3_reset(st);
	char note[96] = "";
	if (bump && r.reassign_count + 1 >= CASE_BOUNCE_LIMIT)
		snprintf(note, sizeof(note), "담당자 %lld번째 변경: 팀장 확인 필요",
		         (long long)(r.reassign_count + 1));
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "assign", "assignee", val_nz(old_name),
		                    val_nz(new_name), val_nz(note));
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

/* ---- extension, notice, notes ------------------------------------------- */

static const char SQL_EXTEND[] =
    "UPDATE sos_case SET extended_due_on = ?2, extension_reason = ?3 WHERE id = ?1";
static const char SQL_CATEGORY_DAYS[] =
    "SELECT k.default_days FROM sos_case s JOIN case_category k ON k.id = s.category_id"
    " WHERE s.id = ?1";

/* The latest date an extension may reach: the current due date plus the
 * category's period again, in working days. */
static bz_rc extension_limit(struct db *db, const struct case_row *r, char *out, size_t outlen)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CATEGORY_DAYS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, r->id);
	int src = db_step(st);
	int days = src == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (src != SQLITE_ROW)
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "category days");
	struct workday_holidays h;
	workday_holidays_init(&h);
	bz_rc rc = holiday_set_load(db, &h);
	if (rc == BZ_OK)
		rc = case_due_date(&h, r->due_on, days, out, outlen);
	workday_holidays_free(&h);
	return rc;
}

bz_rc case_extend(struct db *db, const struct user *actor, int64_t id, int64_t version,
                  const char *new_due, const char *reason, json_t *fields, char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_EXTEND, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (!case_status_open(r.status)) {
		snprintf(msg, msglen, "종결된 사건은 기한을 연장할 수 없습니다.");
		return case_write_abort(db, BZ_ERR_CONFLICT);
	}
	if (*r.ext_due)
		val_field_error(fields, "new_due_on",
		                "처리 기한은 한 번만 연장할 수 있습니다. 이미 연장한 사건입니다.");
	const char *dm = case_date_check(new_due, NULL, NULL);
	if (dm)
		val_field_error(fields, "new_due_on", dm);
	else if (strcmp(new_due, r.due_on) <= 0)
		val_field_error(fields, "new_due_on",
		                "새 기한은 지금 기한보다 뒤의 날짜여야 합니다.");
	else {
		char limit[DATE_TEXT_SIZE];
		rc = extension_limit(db, &r, limit, sizeof(limit));
		if (rc != BZ_OK)
			return case_write_abort(db, rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc);
		if (strcmp(new_due, limit) > 0) {
			char m[256];
			snprintf(
			    m, sizeof(m),
			    "기한은 분류의 처리 기간만큼(근무일 기준) 한 번 연장할 수 있습니다. "
			    "%s까지 고를 수 있습니다.",
			    limit);
			val_field_error(fields, "new_due_on", m);
		}
	}
	if (!val_nz(reason))
		val_field_error(fields, "extension_reason", "연장 사유를 입력해 주세요.");
	else if (!case_text_ok(reason, CASE_REASON_CHARS, true))
		val_field_error(fields, "extension_reason",
		                "사유는 1,000자까지 입력할 수 있습니다.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	rc = db_execf(db, SQL_EXTEND, "itt", r.id, new_due, reason);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "extend", "due_on", r.due_on, new_due,
		                    reason);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

static const char SQL_NOTIFY[] =
    "UPDATE sos_case SET notified_method = ?2, notified_on = ?3 WHERE id = ?1";

bz_rc case_notify(struct db *db, const struct user *actor, int64_t id, int64_t version,
                  const char *method, const char *on, json_t *fields, char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_NOTIFY, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	if (method == NULL || case_label("notified_method", method) == NULL)
		val_field_error(fields, "notified_method",
		                "통보 방법(서면·이메일·문자·전화)을 골라 주세요.");
	const char *dm = case_date_check(on, r.received_on, today);
	if (dm)
		val_field_error(fields, "notified_on", dm);
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	rc = db_execf(db, SQL_NOTIFY, "itt", r.id, method, on);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "notify", "notified_method",
		                    val_nz(r.notified_method), method, on);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

static const char SQL_NOTE_ADD[] =
    "INSERT INTO case_note (case_id, at, author_id, body, shared) VALUES (?1, ?2, ?3, ?4, ?5)";

bz_rc case_note_add(struct db *db, const struct user *actor, int64_t id, int64_t version,
                    const char *body, bool shared, json_t *fields, char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_NOTE, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (!val_nz(body) || !case_text_ok(body, CASE_TEXT_CHARS, true))
		val_field_error(fields, "body", "메모를 1~10,000자로 입력해 주세요.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	char now[24];
	db_now_utc(now);
	rc = db_execf(db, SQL_NOTE_ADD, "ititi", r.id, now, actor->id, body, (int64_t)shared);
	if (rc == BZ_OK) {
		char nid[32];
		snprintf(nid, sizeof(nid), "%lld", (long long)db_last_id(db));
		rc = case_event_add(db, r.id, actor->id, "note", "note", NULL,
		                    shared ? "shared" : "internal", nid);
	}
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

/* ---- merging ------------------------------------------------------------ */

static const char SQL_FIND_CASE[] =
    "SELECT s.id FROM sos_case s WHERE (s.case_no = ?1 OR s.id = ?3) AND " CASE_SCOPE;
static const char SQL_MERGE[] = "UPDATE sos_case SET merged_into = ?2 WHERE id = ?1";

bz_rc case_merge(struct db *db, const struct user *actor, int64_t id, int64_t version,
                 const char *into, json_t *fields, char *msg, size_t msglen)
{
	struct case_row r, t;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_MERGE, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	int64_t tid = 0;
	if (val_nz(into)) {
		sqlite3_stmt *st = db_stmt(db, SQL_FIND_CASE);
		if (st == NULL)
			return case_write_abort(db, BZ_ERR_DB);
		db_bind_text(st, 1, into);
		db_bind_int(st, 2, case_scope_department(actor));
		db_bind_int(st, 3, case_parse_id(into));
		if (db_step(st) == SQLITE_ROW)
			tid = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (tid == 0 || case_row_load(db, actor, tid, &t) != BZ_OK)
		val_field_error(fields, "into",
		                "합칠 사건 번호(예: SOS-2024-0007)를 확인해 주세요.");
	else if (tid == r.id)
		val_field_error(fields, "into", "같은 사건끼리는 합칠 수 없습니다.");
	else if (t.merged_into)
		val_field_error(fields, "into", "그 사건은 이미 다른 사건에 병합되었습니다.");
	else if (t.company_id != r.company_id)
		val_field_error(fields, "into", "같은 기업의 사건끼리만 합칠 수 있습니다.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	rc = db_execf(db, SQL_MERGE, "ii", r.id, t.id);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "merge", "merged_into", NULL, t.case_no,
		                    NULL);
	if (rc == BZ_OK)
		rc = case_event_add(db, t.id, actor->id, "merged_from", "merged_into", r.case_no,
		                    t.case_no, NULL);
	/* the target changed too (its history): bump its version */
	char now[24];
	db_now_utc(now);
	if (rc == BZ_OK)
		rc = db_execf(db, SQL_BUMP, "iti", t.id, now, t.version);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}
