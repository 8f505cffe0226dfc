/* Notices in the app, each user's choices, and the mail and webhook messages
 * they cause (see include/bizsos/notify.h). */
#include "notify_internal.h"
#include "bizsos/buf.h"
#include "bizsos/link.h"
#include "bizsos/outbox.h"
#include "bizsos/sos_case.h"
#include "bizsos/user.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const notify_kinds[NOTIFY_KIND_COUNT] = {"assigned", "referral", "answered",
                                                     "due_soon", "overdue",  "followed"};
static const char *const kind_labels[NOTIFY_KIND_COUNT] = {
    "내게 배정된 사건", "우리 부서로 온 이관", "이관 건의 답변·반송",
    "처리 기한 2일 전", "처리 기한 경과",      "관심 사건의 재개·이송·병합",
};

const char *notify_kind_label(const char *kind)
{
	for (size_t i = 0; i < NOTIFY_KIND_COUNT; i++)
		if (kind && strcmp(kind, notify_kinds[i]) == 0)
			return kind_labels[i];
	return NULL;
}

static struct {
	int webhooks;
} settings;

void notify_configure(int webhooks)
{
	settings.webhooks = webhooks;
}

/* ---- SQL ---- */

static const char SQL_USER[] =
    "SELECT u.email, u.disabled_at IS NULL, coalesce(p.mode, 'app') FROM app_user u "
    "LEFT JOIN notify_pref p ON p.user_id = u.id AND p.kind = ?2 WHERE u.id = ?1";
static const char SQL_NOTICE_ADD[] =
    "INSERT INTO notification (user_id, kind, case_id, title, body, link, dedupe, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (dedupe) DO NOTHING";
static const char SQL_CASE_INFO[] =
    "SELECT s.case_no, s.title, c.name, coalesce(s.assignee_id, 0), coalesce(s.created_by, 0), "
    "coalesce(s.extended_due_on, s.due_on) FROM sos_case s JOIN company c ON c.id = s.company_id "
    "WHERE s.id = ?1";
static const char SQL_DEPT_USERS[] =
    "SELECT u.id FROM app_user u JOIN department d ON d.id = u.department_id "
    "WHERE d.name = ?1 AND u.role = 'department' AND u.disabled_at IS NULL ORDER BY u.id";
static const char SQL_UNREAD[] =
    "SELECT count(*) FROM notification WHERE user_id = ?1 AND read_at IS NULL";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM notification WHERE user_id = ?1 AND (?2 = 0 OR read_at IS NULL)";
/* ?5: the id of the last notice already shown (max for the first page), a
 * seek on notification_user (user_id, id). */
static const char SQL_LIST[] =
    "SELECT id, kind, title, body, link, created_at, read_at IS NOT NULL, case_id "
    "FROM notification WHERE user_id = ?1 AND (?2 = 0 OR read_at IS NULL) AND id < ?5 "
    "ORDER BY id DESC LIMIT ?3 OFFSET ?4";
static const char SQL_OPEN_GET[] =
    "SELECT link, coalesce(case_id, 0) FROM notification WHERE id = ?1 AND user_id = ?2";
static const char SQL_OPEN_SET[] =
    "UPDATE notification SET read_at = ?3 WHERE id = ?1 AND user_id = ?2 AND read_at IS NULL";
static const char SQL_READ_ALL[] =
    "UPDATE notification SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL";
static const char SQL_PREFS[] = "SELECT kind, mode FROM notify_pref WHERE user_id = ?1";
static const char SQL_EMAIL_GET[] = "SELECT coalesce(email, '') FROM app_user WHERE id = ?1";
static const char SQL_EMAIL_SET[] =
    "UPDATE app_user SET email = nullif(?2, ''), updated_at = ?3 WHERE id = ?1";
static const char SQL_PREF_SET[] =
    "INSERT INTO notify_pref (user_id, kind, mode) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode";

/* ---- helpers ---- */

bool notify_ids_collect(struct db *db, const char *sql, const char *text, int64_t num, int64_t *ids,
                        size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	if (text)
		db_bind_text(st, 1, text);
	else
		db_bind_int(st, 1, num);
	while (*n < max && db_step(st) == SQLITE_ROW)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return true;
}

void notify_col_copy(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	bz_strlcpy(out, t ? (const char *)t : "", outlen);
}

bool notify_case_info(struct db *db, int64_t id, struct case_info *c)
{
	memset(c, 0, sizeof(*c));
	sqlite3_stmt *st = db_stmt(db, SQL_CASE_INFO);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool ok = db_step(st) == SQLITE_ROW;
	if (ok) {
		c->id = id;
		notify_col_copy(st, 0, c->case_no, sizeof(c->case_no));
		notify_col_copy(st, 1, c->title, sizeof(c->title));
		notify_col_copy(st, 2, c->company, sizeof(c->company));
		c->assignee_id = sqlite3_column_int64(st, 3);
		c->created_by = sqlite3_column_int64(st, 4);
		notify_col_copy(st, 5, c->due, sizeof(c->due));
	}
	sqlite3_reset(st);
	return ok;
}

/* The text link fact of a notice (include/bizsos/link.h): its stored local
 * path, else its case's page. */
void notify_link_text(char out[LINK_TEXT_SIZE], const char *link, int64_t case_id)
{
	if (link && *link)
		link_text(out, link, 0);
	else
		link_text(out, "case", case_id);
}

/* Cuts s to at most max code points (in place); s is valid UTF-8. */
static void utf8_cut(char *s, size_t max)
{
	size_t chars = 0;
	for (size_t i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max) {
			s[i] = '\0';
			return;
		}
	}
}

/* ---- writing notices ---- */

bz_rc notify_user(struct db *db, int64_t user_id, const char *kind, int64_t case_id,
                  const char *title, const char *body, const char *link, const char *dedupe,
                  bool *written)
{
	if (written)
		*written = false;
	sqlite3_stmt *st = db_stmt(db, SQL_USER);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind);
	char email[256] = "", mode[16] = "app";
	bool enabled = false;
	if (db_step(st) == SQLITE_ROW) {
		notify_col_copy(st, 0, email, sizeof(email));
		enabled = sqlite3_column_int(st, 1) != 0;
		notify_col_copy(st, 2, mode, sizeof(mode));
	}
	sqlite3_reset(st);
	if (!enabled)
		return BZ_OK;
	char t[NOTIFY_TITLE_CHARS * 4 + 1], b[NOTIFY_BODY_CHARS * 4 + 1];
	bz_strlcpy(t, title, sizeof(t));
	utf8_cut(t, NOTIFY_TITLE_CHARS);
	bz_strlcpy(b, body ? body : "", sizeof(b));
	utf8_cut(b, NOTIFY_BODY_CHARS);
	char now[24];
	db_now_utc(now);
	if ((st = db_stmt(db, SQL_NOTICE_ADD)) == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, kind);
	if (case_id > 0)
		db_bind_int(st, 3, case_id);
	db_bind_text(st, 4, t);
	db_bind_text(st, 5, b);
	db_bind_text(st, 6, link);
	db_bind_text(st, 7, dedupe);
	db_bind_text(st, 8, now);
	bz_rc rc = db_rc(db, db_step(st), "notice add");
	sqlite3_reset(st);
	if (rc != BZ_OK || db_changes(db) == 0)
		return rc;
	if (written)
		*written = true;
	if (strcmp(mode, "email") != 0 || email[0] == '\0')
		return BZ_OK;
	struct buf m;
	buf_init(&m, 64 * 1024);
	buf_printf(&m, "%s\n\n", t);
	if (b[0])
		buf_printf(&m, "%s\n\n", b);
	char go[LINK_TEXT_SIZE], prefs[LINK_TEXT_SIZE];
	notify_link_text(go, link, case_id);
	link_text(prefs, "notify_settings", 0);
	buf_printf(&m, "바로 가기: %s\n\n", go);
	buf_printf(&m,
	           "--\n기업SOS · 기업경제과 기업SOS팀\n"
	           "알림을 받는 방법은 %s 에서 바꿀 수 있습니다.\n",
	           prefs);
	char subject[NOTIFY_TITLE_CHARS * 4 + 32];
	snprintf(subject, sizeof(subject), "[기업SOS] %s", t);
	if (m.failed) {
		buf_free(&m);
		return BZ_ERR_NOMEM;
	}
	rc = outbox_add(db, "email", email, kind, subject, buf_cstr(&m), case_id, NULL);
	buf_free(&m);
	return rc;
}

bz_rc notify_webhook(struct db *db, const char *event, int64_t case_id, json_t *data)
{
	if (settings.webhooks <= 0) {
		json_decref(data);
		return BZ_OK;
	}
	char now[24];
	db_now_utc(now);
	json_t *c = NULL;
	struct case_info ci;
	if (case_id > 0 && notify_case_info(db, case_id, &ci)) {
		/* link: a link fact, made the absolute URL when the worker sends it */
		c = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)case_id,
		              "case_no", ci.case_no, "title", ci.title, "company", ci.company,
		              "due_on", ci.due, "link",
		              link_fact("case", json_pack("{s:I}", "id", (json_int_t)case_id)));
	}
	if (data == NULL)
		data = json_object();
	bz_rc rc = BZ_OK;
	for (int i = 1; i <= settings.webhooks && rc == BZ_OK; i++) {
		char key[OUTBOX_KEY_SIZE], target[16];
		outbox_new_key(key);
		snprintf(target, sizeof(target), "%d", i);
		json_t *o = json_pack("{s:s, s:s, s:s, s:O?, s:O}", "id", key, "event", event, "at",
		                      now, "case", c, "data", data);
		char *body = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		if (body == NULL) {
			rc = BZ_ERR_NOMEM;
			break;
		}
		rc = outbox_add(db, "webhook", target, event, "", body, case_id, key);
		free(body);
	}
	json_decref(c);
	json_decref(data);
	return rc;
}

/* The owner of a case: its assignee, else who recorded it. */
static int64_t case_owner(const struct case_info *c)
{
	return c->assignee_id ? c->assignee_id : c->created_by;
}

static bz_rc notify_ids(struct db *db, const int64_t *ids, size_t n, int64_t actor_id,
                        const char *kind, const struct case_info *c, const char *title,
                        const char *body)
{
	bz_rc rc = BZ_OK;
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup = dup || ids[j] == ids[i];
		if (ids[i] > 0 && ids[i] != actor_id && !dup)
			rc = notify_user(db, ids[i], kind, c->id, title, body, NULL, NULL, NULL);
	}
	return rc;
}

bz_rc notify_case_event(struct db *db, int64_t case_id, int64_t actor_id, const char *kind,
                        const char *field, const char *old, const char *new_)
{
	if (kind == NULL)
		return BZ_OK;
	bool assign = strcmp(kind, "assign") == 0;
	bool refer = strcmp(kind, "referral") == 0 || strcmp(kind, "referral_resend") == 0;
	bool answer = strcmp(kind, "referral_answer") == 0;
	bool ret = strcmp(kind, "referral_return") == 0;
	bool status = strcmp(kind, "status") == 0 && field && strcmp(field, "status") == 0;
	bool merge = strcmp(kind, "merge") == 0;
	if (!assign && !refer && !answer && !ret && !status && !merge)
		return BZ_OK;
	struct case_info c;
	if (!notify_case_info(db, case_id, &c))
		return BZ_ERR_DB;
	char title[1400], body[1024];
	snprintf(body, sizeof(body), "%s · %s · 처리 기한 %s", c.case_no, c.company, c.due);
	bz_rc rc = BZ_OK;
	if (assign) {
		if (c.assignee_id == 0)
			return BZ_OK;
		snprintf(title, sizeof(title), "사건이 배정되었습니다: %s", c.title);
		int64_t to = c.assignee_id;
		rc = notify_ids(db, &to, 1, actor_id, "assigned", &c, title, body);
		if (rc == BZ_OK)
			rc = notify_webhook(db, "case.assigned", case_id,
			                    json_pack("{s:s?}", "assignee", new_));
	} else if (refer) {
		const char *dept = new_ ? new_ : "";
		int64_t ids[NOTIFY_DEPT_USERS_MAX];
		size_t n;
		if (!notify_ids_collect(db, SQL_DEPT_USERS, dept, 0, ids, NOTIFY_DEPT_USERS_MAX,
		                        &n))
			return BZ_ERR_DB;
		snprintf(title, sizeof(title), "%s(으)로 사건이 이관되었습니다: %s", dept, c.title);
		rc = notify_ids(db, ids, n, actor_id, "referral", &c, title, body);
		if (rc == BZ_OK)
			rc = notify_webhook(
			    db, "case.referred", case_id,
			    json_pack("{s:s, s:s?}", "department", dept, "role",
			              strcmp(kind, "referral") == 0 ? field : "resend"));
	} else if (answer || ret) {
		const char *dept = old ? old : "";
		snprintf(title, sizeof(title), "%s이(가) 이관 건을 %s: %s", dept,
		         ret ? "반송했습니다" : "답변했습니다", c.title);
		int64_t to = case_owner(&c);
		rc = notify_ids(db, &to, 1, actor_id, "answered", &c, title, body);
		if (rc == BZ_OK)
			rc = notify_webhook(
			    db, ret ? "case.referral_returned" : "case.referral_answered", case_id,
			    json_pack("{s:s}", "department", dept));
	} else if (status) {
		const char *to_s = new_ ? new_ : "";
		bool reopened = old && strcmp(old, "done") == 0 && case_status_open(to_s);
		bool transferred = strcmp(to_s, "transferred") == 0;
		if (reopened || transferred) {
			snprintf(title, sizeof(title), "%s: %s",
			         reopened ? "사건이 다시 열렸습니다"
			                  : "사건이 다른 기관으로 이송되었습니다",
			         c.title);
			int64_t ids[2] = {c.assignee_id, c.created_by};
			rc = notify_ids(db, ids, 2, actor_id, "followed", &c, title, body);
		}
		if (rc == BZ_OK)
			rc = notify_webhook(db, "case.status", case_id,
			                    json_pack("{s:s?, s:s}", "from", old, "to", to_s));
	} else if (merge) {
		snprintf(title, sizeof(title), "사건이 %s에 병합되었습니다: %s", new_ ? new_ : "",
		         c.title);
		int64_t ids[2] = {c.assignee_id, c.created_by};
		rc = notify_ids(db, ids, 2, actor_id, "followed", &c, title, body);
		if (rc == BZ_OK)
			rc = notify_webhook(db, "case.merged", case_id,
			                    json_pack("{s:s?}", "merged_into", new_));
	}
	return rc;
}

/* ---- reading ---- */

bz_rc notify_unread_count(struct db *db, int64_t user_id, int64_t *out)
{
	*out = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_UNREAD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	int rc = db_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : db_rc(db, rc, "unread");
}

bz_rc notify_list(struct db *db, int64_t user_id, bool unread_only, int limit, int offset,
                  int64_t before_id, json_t **rows, int64_t *total)
{
	*rows = NULL;
	*total = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_COUNT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, unread_only);
	int crc = db_step(st);
	if (crc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (crc != SQLITE_ROW) { /* a failed count is an error, not zero notices */
		bz_rc rc = db_rc(db, crc, "notices count");
		return rc == BZ_OK ? BZ_ERR_DB : rc;
	}
	if ((st = db_stmt(db, SQL_LIST)) == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, unread_only);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, before_id > 0 ? 0 : offset);
	db_bind_int(st, 5, before_id > 0 ? before_id : INT64_MAX);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *label = notify_kind_label(kind);
		/* body is optional: JSON null when absent; link: the stored path, else
		 * the case's page as a link fact */
		json_t *link =
		    sqlite3_column_type(st, 4) != SQLITE_NULL
		        ? db_col_json(st, 4)
		        : link_fact("case", json_pack("{s:I}", "id",
		                                      (json_int_t)sqlite3_column_int64(st, 7)));
		json_t *o =
		    json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:b}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "kind", kind, "kind_label",
		              label ? label : kind, "title",
		              (const char *)sqlite3_column_text(st, 2), "body", db_col_json(st, 3),
		              "link", link, "created_at", (const char *)sqlite3_column_text(st, 5),
		              "read", sqlite3_column_int(st, 6) != 0);
		if (o == NULL)
			continue;
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(o, "case_id",
			                    json_integer(sqlite3_column_int64(st, 7)));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, rc, "notices");
	}
	*rows = a;
	return BZ_OK;
}

bz_rc notify_open(struct db *db, int64_t user_id, int64_t id, char *link, size_t linklen)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OPEN_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	bool found = db_step(st) == SQLITE_ROW;
	if (found) {
		char go[LINK_TEXT_SIZE];
		notify_col_copy(st, 0, link, linklen);
		if (link[0] == '\0') {
			notify_link_text(go, NULL, sqlite3_column_int64(st, 1));
			bz_strlcpy(link, go, linklen);
		}
	}
	sqlite3_reset(st);
	if (!found)
		return BZ_ERR_NOTFOUND;
	char now[24];
	db_now_utc(now);
	if ((st = db_stmt(db, SQL_OPEN_SET)) == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, now);
	bz_rc rc = db_rc(db, db_step(st), "notice read");
	sqlite3_reset(st);
	return rc;
}

bz_rc notify_read_all(struct db *db, int64_t user_id, int64_t *count)
{
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_READ_ALL);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, now);
	bz_rc rc = db_rc(db, db_step(st), "notices read");
	sqlite3_reset(st);
	if (count)
		*count = rc == BZ_OK ? db_changes(db) : 0;
	return rc;
}

/* ---- choices ---- */

static const char *mode_label(const char *m)
{
	return strcmp(m, "email") == 0    ? "앱과 이메일(건마다)"
	       : strcmp(m, "digest") == 0 ? "앱과 하루 한 번 모아서 이메일"
	                                  : "앱에서만";
}

bz_rc notify_prefs(struct db *db, int64_t user_id, json_t **out)
{
	const char *modes[NOTIFY_KIND_COUNT];
	char stored[NOTIFY_KIND_COUNT][16];
	for (size_t i = 0; i < NOTIFY_KIND_COUNT; i++)
		modes[i] = "app";
	sqlite3_stmt *st = db_stmt(db, SQL_PREFS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	while (db_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		for (size_t i = 0; i < NOTIFY_KIND_COUNT; i++)
			if (k && strcmp(k, notify_kinds[i]) == 0) {
				notify_col_copy(st, 1, stored[i], sizeof(stored[i]));
				modes[i] = stored[i];
			}
	}
	sqlite3_reset(st);
	char email[256] = "";
	if ((st = db_stmt(db, SQL_EMAIL_GET)) == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	if (db_step(st) == SQLITE_ROW)
		notify_col_copy(st, 0, email, sizeof(email));
	sqlite3_reset(st);
	json_t *kinds = json_array();
	static const char *const all_modes[] = {"app", "email", "digest"};
	for (size_t i = 0; i < NOTIFY_KIND_COUNT; i++) {
		json_t *opts = json_array();
		for (size_t j = 0; j < BZ_ARRAY_LEN(all_modes); j++)
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b, s:s}", "value",
			                                      all_modes[j], "label",
			                                      mode_label(all_modes[j]), "selected",
			                                      strcmp(modes[i], all_modes[j]) == 0,
			                                      "kind", notify_kinds[i]));
		json_array_append_new(kinds, json_pack("{s:s, s:s, s:s, s:o}", "kind",
		                                       notify_kinds[i], "label", kind_labels[i],
		                                       "mode", modes[i], "options", opts));
	}
	*out = json_pack("{s:s, s:o}", "email", email, "kinds", kinds);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bool notify_email_valid(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if (n < 3 || n > 254)
		return false;
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	const char *dot = strrchr(at, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch <= ' ' || ch >= 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',' ||
		    ch == ';' || ch == '\\' || ch == '(' || ch == ')')
			return false;
	}
	return true;
}

bz_rc notify_prefs_save(struct db *db, int64_t user_id, const char *email,
                        const char *const modes[NOTIFY_KIND_COUNT], json_t *fields)
{
	const char *e = email ? email : "";
	if (*e && !notify_email_valid(e))
		json_object_set_new(
		    fields, "email",
		    json_string("이메일 주소를 name@example.go.kr 처럼 입력해 주세요."));
	bool wants_mail = false;
	for (size_t i = 0; i < NOTIFY_KIND_COUNT; i++) {
		const char *m = modes[i];
		if (m == NULL)
			continue;
		char key[32];
		snprintf(key, sizeof(key), "mode_%s", notify_kinds[i]);
		if (strcmp(m, "app") && strcmp(m, "email") && strcmp(m, "digest"))
			json_object_set_new(fields, key, json_string("받는 방법을 골라 주세요."));
		else if (strcmp(m, "app") != 0)
			wants_mail = true;
	}
	if (wants_mail && *e == '\0' && json_object_get(fields, "email") == NULL)
		json_object_set_new(fields, "email",
		                    json_string("이메일로 받으려면 이메일 주소를 입력해 주세요."));
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_EMAIL_SET);
	if (st == NULL)
		rc = BZ_ERR_DB;
	else {
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, e);
		db_bind_text(st, 3, now);
		rc = db_rc(db, db_step(st), "email set");
		sqlite3_reset(st);
	}
	for (size_t i = 0; i < NOTIFY_KIND_COUNT && rc == BZ_OK; i++) {
		if (modes[i] == NULL)
			continue;
		if ((st = db_stmt(db, SQL_PREF_SET)) == NULL) {
			rc = BZ_ERR_DB;
			break;
		}
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, notify_kinds[i]);
		db_bind_text(st, 3, modes[i]);
		rc = db_rc(db, db_step(st), "pref set");
		sqlite3_reset(st);
	}
	if (rc == BZ_OK)
		rc = audit_user(db, user_id, "user.notify_prefs", user_id,
		                json_pack("{s:b}", "email", *e != '\0'));
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
