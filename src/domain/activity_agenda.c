/* One-stop meetings: the cases on the agenda and their decisions. See activity.h. */
#include "activity_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_DEPT_OK[] = "SELECT 1 FROM department WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_VISIT_HELD[] = "SELECT held_on FROM activity WHERE id = ?1";
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
	while ((src = db_step(st)) == SQLITE_ROW) {
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

/* The decision's writes, inside the caller's transaction. */
static bz_rc agenda_apply(struct db *db, const struct user *actor, int64_t activity_id,
                          int64_t case_id, const char *decision, int64_t dept, const char *status,
                          json_t *fields, char *msg, size_t msglen)
{
	sqlite3_stmt *st;
	char cur[24] = "", note[2400];
	int64_t v = case_version(db, actor, case_id, cur, sizeof(cur));
	if (v == 0)
		return BZ_ERR_NOTFOUND;
	sqlite3_stmt *hs = db_stmt(db, SQL_VISIT_HELD);
	char held[DATE_TEXT_SIZE] = "";
	if (hs) {
		db_bind_int(hs, 1, activity_id);
		if (db_step(hs) == SQLITE_ROW)
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
	rc = db_rc(db, db_step(st), "agenda decision");
	sqlite3_reset(st);
	if (rc == BZ_OK)
		rc = db_event_add(db, EVENT_ACTIVITY, activity_id, NULL, actor->id,
		                  "agenda_decided", "case", NULL, decision, NULL);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc activity_agenda_decide(struct db *db, const struct user *actor, int64_t activity_id,
                             int64_t case_id, const char *decision, const char *lead_department,
                             const char *status, json_t *fields, char *msg, size_t msglen)
{
	if (!act_may_write(actor)) {
		snprintf(msg, msglen, "안건 결정을 기록할 권한이 없습니다.");
		return BZ_ERR_FORBIDDEN;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_AGENDA_ROW);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, case_id);
	int src = db_step(st);
	bool agenda = src == SQLITE_ROW && strcmp(db_col_text(st, 0), "agenda") == 0;
	sqlite3_reset(st);
	if (!agenda)
		return BZ_ERR_NOTFOUND;
	if (val_blank(decision) || !val_text_ok(decision, 2000))
		val_field_error(fields, "decision",
		                "회의에서 결정한 내용을 2,000자 안에서 적어 주세요.");
	int64_t dept = val_blank(lead_department) ? 0 : val_parse_id(lead_department);
	if (!val_blank(lead_department) && (dept == 0 || !act_row_exists(db, SQL_DEPT_OK, dept)))
		val_field_error(fields, "lead_department", "주관 부서를 목록에서 골라 주세요.");
	if (!val_blank(status) && strcmp(status, "reviewing") && strcmp(status, "in_progress"))
		val_field_error(fields, "status",
		                "처리 상태는 검토중 또는 처리중에서 골라 주세요.");
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	/* The note, the referral, the status change and the decision are one
	 * transaction: a refusal anywhere leaves no trace of the others. */
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	rc = agenda_apply(db, actor, activity_id, case_id, decision, dept, status, fields, msg,
	                  msglen);
	if (rc == BZ_OK)
		rc = db_commit(db);
	else
		db_rollback(db);
	return rc;
}
