/* Photos of an activity. See activity.h. */
#include "activity_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- photos --------------------------------------------------------------- */

static const char SQL_ACT_EXISTS[] = "SELECT 1 FROM activity WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_PHOTO_INSERT[] =
    "INSERT INTO activity_photo (activity_id, caption, stored_path, content_type, width, height, "
    "size, sha256, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_PHOTO_GET[] = "SELECT stored_path, content_type FROM activity_photo "
                                    "WHERE id = ?1 AND activity_id = ?2 AND retired_at IS NULL";

bz_rc activity_photo_add(struct db *db, const struct user *actor, int64_t activity_id,
                         const struct photo_file *p, const char *caption, json_t *fields,
                         int64_t *pid_out)
{
	if (!act_may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (!act_row_exists(db, SQL_ACT_EXISTS, activity_id))
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
	rc = db_rc(db, db_step(st), "photo insert");
	sqlite3_reset(st);
	int64_t pid = db_last_id(db);
	if (rc == BZ_OK)
		rc = db_event_add(db, EVENT_ACTIVITY, activity_id, NULL, actor->id, "photo_added",
		                  "photo", NULL, caption && *caption ? caption : "(설명 없음)",
		                  NULL);
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
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		bz_strlcpy(stored_path, db_col_text(st, 0), pathlen);
		bz_strlcpy(content_type, db_col_text(st, 1), ctlen);
	}
	sqlite3_reset(st);
	return src == SQLITE_ROW ? BZ_OK : src == SQLITE_DONE ? BZ_ERR_NOTFOUND : BZ_ERR_DB;
}
