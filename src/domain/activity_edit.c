/* Changing an activity after the fact: its date, place, title and summary;
 * retiring it with a reason; marking a follow-up done. Every change is an
 * activity_event row (append-only). See activity.h. */
#include "activity_internal.h"
#include "bizsos/kst.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_CUR[] = "SELECT held_on, place, title, summary, version FROM activity"
                              " WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_UPDATE[] = "UPDATE activity SET held_on = ?2, place = ?3, title = ?4,"
                                 " summary = ?5, updated_at = ?6, version = version + 1"
                                 " WHERE id = ?1 AND retired_at IS NULL AND version = ?7";
static const char SQL_RETIRE[] =
    "UPDATE activity SET retired_at = ?2, updated_at = ?2, version = version + 1"
    " WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_FU_GET[] = "SELECT body, done_on FROM activity_followup WHERE id = ?2"
                                 " AND activity_id = ?1";
static const char SQL_FU_DONE[] = "UPDATE activity_followup SET done_on = ?3 WHERE id = ?2"
                                  " AND activity_id = ?1";

static bool same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bz_rc activity_edit(struct db *db, const struct user *actor, int64_t id,
                    const struct activity_edit_input *in, json_t *fields)
{
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	int32_t d;
	const char *dmsg = NULL;
	if (val_blank(in->held_on))
		val_field_error(fields, "held_on", "날짜를 입력해 주세요.");
	else if (date_parse(in->held_on, &d, &dmsg) != BZ_OK)
		val_field_error(fields, "held_on",
		                dmsg ? dmsg : "날짜를 YYYY-MM-DD로 적어 주세요.");
	else if (strcmp(in->held_on, today) > 0)
		val_field_error(fields, "held_on", "앞으로의 날짜는 활동으로 기록할 수 없습니다.");
	else if (strcmp(in->held_on, "2000-01-01") < 0)
		val_field_error(fields, "held_on", "날짜는 2000-01-01 이후여야 합니다.");
	if (!val_text_ok(in->place, ACTIVITY_PLACE_CHARS))
		val_field_error(fields, "place", "장소는 200자 이내로 적어 주세요.");
	if (!val_text_ok(in->title, 200))
		val_field_error(fields, "title", "제목은 200자 이내로 적어 주세요.");
	if (!val_text_ok(in->summary, 20000))
		val_field_error(fields, "summary", "내용은 20,000자 이내로 적어 주세요.");
	char *end = NULL;
	long long version = in->version ? strtoll(in->version, &end, 10) : 0;
	if (in->version == NULL || *in->version == '\0' || *end || version < 1)
		val_field_error(fields, "version", "고칠 기록의 판이 없습니다. 새로 읽어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CUR);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, id);
	int r = db_step(st);
	if (r != SQLITE_ROW) {
		rc = r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rows_end(db, st, r, "activity edit");
		sqlite3_reset(st);
		goto out;
	}
	char *old[4];
	for (int i = 0; i < 4; i++)
		old[i] = strdup(db_col_text(st, i));
	int64_t have = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);
	const char *now_vals[4] = {in->held_on, in->place, in->title, in->summary};
	static const char *const names[4] = {"날짜", "장소", "제목", "내용"};
	if (old[0] == NULL || old[1] == NULL || old[2] == NULL || old[3] == NULL) {
		rc = BZ_ERR_NOMEM;
		goto freeout;
	}
	if (have != version) {
		val_field_error(fields, "version",
		                "다른 사람이 먼저 고쳤습니다. 새로 읽은 값을 확인하고 다시 "
		                "저장해 주세요.");
		rc = BZ_ERR_CONFLICT;
		goto freeout;
	}
	bool changed = false;
	for (int i = 0; i < 4; i++)
		changed = changed || !same(old[i], now_vals[i]);
	if (!changed) {
		rc = db_commit(db);
		goto freeout;
	}
	char now[24];
	db_now_utc(now);
	if ((st = db_stmt(db, SQL_UPDATE)) == NULL) {
		rc = BZ_ERR_DB;
		goto freeout;
	}
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, in->held_on);
	db_bind_text(st, 3, in->place);
	db_bind_text(st, 4, in->title);
	db_bind_text(st, 5, in->summary);
	db_bind_text(st, 6, now);
	db_bind_int(st, 7, version);
	if ((rc = db_step_done(db, st, "activity update")) != BZ_OK)
		goto freeout;
	int64_t actor_id = actor ? actor->id : 0;
	for (int i = 0; i < 4 && rc == BZ_OK; i++)
		if (!same(old[i], now_vals[i]))
			rc = db_event_add(db, EVENT_ACTIVITY, id, NULL, actor_id, "updated",
			                  names[i], old[i], now_vals[i] ? now_vals[i] : "", NULL);
	if (rc == BZ_OK)
		rc = db_commit(db);
freeout:
	for (int i = 0; i < 4; i++)
		free(old[i]);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc activity_retire(struct db *db, const struct user *actor, int64_t id, const char *reason,
                      json_t *fields)
{
	if (val_blank_wide(reason) || !val_text_ok(reason, 500)) {
		val_field_error(fields, "reason", "취소 사유를 500자 이내로 적어 주세요.");
		return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_RETIRE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	if ((rc = db_step_done(db, st, "activity retire")) != BZ_OK)
		goto out;
	if (db_changes(db) == 0) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = db_event_add(db, EVENT_ACTIVITY, id, NULL, actor ? actor->id : 0, "retired",
	                       "사유", NULL, reason, NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc activity_followup_done(struct db *db, const struct user *actor, int64_t id,
                             int64_t followup_id)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	if (!act_row_exists(db, "SELECT 1 FROM activity WHERE id = ?1 AND retired_at IS NULL",
	                    id)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_FU_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, followup_id);
	int r = db_step(st);
	if (r != SQLITE_ROW) {
		rc = r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rows_end(db, st, r, "followup");
		sqlite3_reset(st);
		goto out;
	}
	bool done = sqlite3_column_type(st, 1) != SQLITE_NULL;
	char body[1100];
	bz_strlcpy(body, db_col_text(st, 0), sizeof(body));
	sqlite3_reset(st);
	if (done) { /* already done: nothing to record */
		rc = db_commit(db);
		goto out;
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	if ((st = db_stmt(db, SQL_FU_DONE)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, followup_id);
	db_bind_text(st, 3, today);
	if ((rc = db_step_done(db, st, "followup done")) != BZ_OK)
		goto out;
	if ((rc = db_event_add(db, EVENT_ACTIVITY, id, NULL, actor ? actor->id : 0, "followup_done",
	                       "후속 조치", NULL, body, NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
