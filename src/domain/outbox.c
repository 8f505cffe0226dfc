/* The durable outbox (see include/bizsos/outbox.h). */
#include "bizsos/outbox.h"
#include "bizsos/notify.h"
#include "bizsos/user.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_ADD[] =
    "INSERT INTO outbox (msg_key, channel, target, kind, subject, body, case_id, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ''), ?7, ?8)";
static const char SQL_DUE[] =
    "SELECT id, msg_key, channel, kind, tries, target, coalesce(subject, ''), body, created_at "
    "FROM outbox "
    "WHERE status = 'pending' AND next_at <= ?1 AND ((?2 AND channel = 'email') OR "
    "(?3 AND channel = 'webhook')) ORDER BY next_at, id LIMIT ?4";
static const char SQL_SENT[] =
    "UPDATE outbox SET status = 'sent', tries = tries + 1, sent_at = ?2, last_error = NULL "
    "WHERE id = ?1";
static const char SQL_RETRY_LATER[] =
    "UPDATE outbox SET tries = tries + 1, last_error = ?2, next_at = ?3, "
    "status = CASE WHEN tries + 1 >= ?4 THEN 'failed' ELSE 'pending' END WHERE id = ?1";
/* Newest first; ?4 is the id of the last message already shown (max for the
 * first page): a seek on the rowid, or on outbox_status (status, id) for one
 * status. */
#define SQL_LIST_COLS                                                                              \
	"SELECT id, msg_key, channel, target, kind, subject, status, tries, last_error, "          \
	"created_at, sent_at, case_id FROM outbox"
static const char SQL_LIST[] =
    SQL_LIST_COLS " WHERE ?1 IS NULL AND id < ?4 ORDER BY id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_LIST_STATUS[] =
    SQL_LIST_COLS " WHERE status = ?1 AND id < ?4 ORDER BY id DESC LIMIT ?2 OFFSET ?3";
/* ?1: a status, or NULL (db_bind_text binds "" as NULL) for every message */
static const char SQL_COUNT[] = "SELECT count(*) FROM outbox WHERE (?1 IS NULL OR status = ?1)";
static const char SQL_COUNTS[] =
    "SELECT coalesce(sum(status = 'pending'), 0), coalesce(sum(status = 'sent'), 0), "
    "coalesce(sum(status = 'failed'), 0) FROM outbox";
static const char SQL_STATUS[] = "SELECT status FROM outbox WHERE id = ?1";
static const char SQL_REQUEUE[] =
    "UPDATE outbox SET status = 'pending', tries = 0, next_at = 0 WHERE id = ?1";

void outbox_new_key(char key[OUTBOX_KEY_SIZE])
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(key, OUTBOX_KEY_SIZE, raw, sizeof(raw));
}

bz_rc outbox_add(struct db *db, const char *channel, const char *target, const char *kind,
                 const char *subject, const char *body, int64_t case_id, const char *key)
{
	char hex[OUTBOX_KEY_SIZE];
	if (key && *key)
		bz_strlcpy(hex, key, sizeof(hex));
	else
		outbox_new_key(hex);
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_ADD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, hex);
	db_bind_text(st, 2, channel);
	db_bind_text(st, 3, target);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, subject ? subject : "");
	db_bind_text(st, 6, body);
	if (case_id > 0)
		db_bind_int(st, 7, case_id);
	db_bind_text(st, 8, now);
	bz_rc rc = db_rc(db, db_step(st), "outbox add");
	sqlite3_reset(st);
	return rc;
}

void outbox_msg_free(struct outbox_msg *m)
{
	free(m->target);
	free(m->subject);
	free(m->body);
	m->target = m->subject = m->body = NULL;
}

static void col_copy(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	bz_strlcpy(out, t ? (const char *)t : "", outlen);
}

bz_rc outbox_due(struct db *db, int64_t now_ms, bool email, bool webhook, struct outbox_msg *out,
                 size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_DUE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, now_ms);
	db_bind_int(st, 2, email);
	db_bind_int(st, 3, webhook);
	db_bind_int(st, 4, (int64_t)max);
	int rc;
	bz_rc out_rc = BZ_OK;
	while (*n < max && (rc = db_step(st)) == SQLITE_ROW) {
		struct outbox_msg *m = &out[*n];
		memset(m, 0, sizeof(*m));
		m->id = sqlite3_column_int64(st, 0);
		col_copy(st, 1, m->key, sizeof(m->key));
		col_copy(st, 2, m->channel, sizeof(m->channel));
		col_copy(st, 3, m->kind, sizeof(m->kind));
		m->tries = sqlite3_column_int(st, 4);
		m->target = db_col_strdup(st, 5);
		m->subject = db_col_strdup(st, 6);
		m->body = db_col_strdup(st, 7);
		col_copy(st, 8, m->created_at, sizeof(m->created_at));
		if (m->target == NULL || m->subject == NULL || m->body == NULL) {
			outbox_msg_free(m);
			out_rc = BZ_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	if (out_rc != BZ_OK) {
		for (size_t i = 0; i < *n; i++)
			outbox_msg_free(&out[i]);
		*n = 0;
	}
	return out_rc;
}

bz_rc outbox_mark_sent(struct db *db, int64_t id)
{
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_SENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	bz_rc rc = db_rc(db, db_step(st), "outbox sent");
	sqlite3_reset(st);
	return rc;
}

bz_rc outbox_mark_retry(struct db *db, int64_t id, const char *err, int max_tries, int64_t next_ms)
{
	sqlite3_stmt *st = db_stmt(db, SQL_RETRY_LATER);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, err);
	db_bind_int(st, 3, next_ms);
	db_bind_int(st, 4, max_tries);
	bz_rc rc = db_rc(db, db_step(st), "outbox retry");
	sqlite3_reset(st);
	return rc;
}

int64_t outbox_backoff_ms(int base_ms, int tries)
{
	int64_t d = base_ms > 0 ? base_ms : 1;
	for (int i = 1; i < tries && d < 3600000; i++)
		d *= 2;
	if (d > 3600000)
		d = 3600000;
	/* jitter: ±25 % */
	int64_t span = d / 2;
	if (span > 0 && span < UINT32_MAX)
		d = d - d / 4 + (int64_t)randombytes_uniform((uint32_t)span + 1);
	return d;
}

static const char *channel_label(const char *c)
{
	return strcmp(c, "email") == 0 ? "이메일" : strcmp(c, "webhook") == 0 ? "웹훅" : c;
}

static const char *status_label(const char *s)
{
	return strcmp(s, "pending") == 0  ? "대기"
	       : strcmp(s, "sent") == 0   ? "보냄"
	       : strcmp(s, "failed") == 0 ? "실패"
	                                  : s;
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	default:
		return json_string((const char *)sqlite3_column_text(st, i));
	}
}

bz_rc outbox_list(struct db *db, const char *status, int limit, int offset, int64_t before_id,
                  json_t **rows, int64_t *total)
{
	*rows = NULL;
	const char *s = status && *status ? status : NULL;
	if (total && db_int1f(db, SQL_COUNT, 0, total, "t", s) != BZ_OK)
		return BZ_ERR_DB;
	sqlite3_stmt *st = db_stmt(db, s ? SQL_LIST_STATUS : SQL_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, s);
	db_bind_int(st, 2, limit);
	db_bind_int(st, 3, before_id > 0 ? 0 : offset);
	db_bind_int(st, 4, before_id > 0 ? before_id : INT64_MAX);
	json_t *a = json_array();
	static const char *const names[] = {"id",         "key",        "channel", "target",
	                                    "kind",       "subject",    "status",  "tries",
	                                    "last_error", "created_at", "sent_at", "case_id"};
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < (int)BZ_ARRAY_LEN(names); i++)
			json_object_set_new(o, names[i], col_json(st, i));
		json_object_set_new(
		    o, "channel_label",
		    json_string(channel_label((const char *)sqlite3_column_text(st, 2))));
		json_object_set_new(
		    o, "status_label",
		    json_string(status_label((const char *)sqlite3_column_text(st, 6))));
		const char *kl = notify_kind_label((const char *)sqlite3_column_text(st, 4));
		json_object_set_new(o, "kind_label", json_string(kl ? kl : "알림"));
		json_object_set_new(
		    o, "failed",
		    json_boolean(strcmp((const char *)sqlite3_column_text(st, 6), "failed") == 0));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, rc, "outbox list");
	}
	*rows = a;
	return BZ_OK;
}

bz_rc outbox_counts(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_COUNTS);
	if (st == NULL)
		return BZ_ERR_DB;
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return BZ_ERR_DB;
	}
	*out = json_pack("{s:I, s:I, s:I}", "pending", (json_int_t)sqlite3_column_int64(st, 0),
	                 "sent", (json_int_t)sqlite3_column_int64(st, 1), "failed",
	                 (json_int_t)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bz_rc outbox_retry(struct db *db, int64_t actor_id, int64_t id)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_STATUS);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	char status[16] = "";
	if (db_step(st) == SQLITE_ROW)
		col_copy(st, 0, status, sizeof(status));
	sqlite3_reset(st);
	if (status[0] == '\0')
		rc = BZ_ERR_NOTFOUND;
	else if (strcmp(status, "failed") != 0)
		rc = BZ_ERR_CONFLICT;
	if (rc == BZ_OK) {
		if ((st = db_stmt(db, SQL_REQUEUE)) == NULL)
			rc = BZ_ERR_DB;
		else {
			db_bind_int(st, 1, id);
			rc = db_rc(db, db_step(st), "outbox requeue");
			sqlite3_reset(st);
		}
	}
	char object[32];
	snprintf(object, sizeof(object), "outbox:%lld", (long long)id);
	if (rc == BZ_OK)
		rc = audit_log(db, actor_id, "outbox.retry", object, NULL);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
