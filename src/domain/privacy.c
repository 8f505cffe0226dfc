/* 개인정보 접속기록: appending to the hash-chained access log, verifying the
 * chain, purging past the retention period, searching, the monthly review
 * report and its sign-off, and the list of users' rights changes. See privacy.h. */
#include "bizsos/privacy.h"
#include "bizsos/codes.h"
#include "bizsos/user.h"
#include "bizsos/kst.h"
#include "bizsos/validate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- SQL ----------------------------------------------------------------- */

/* The chain's head: the last row, else the last purge's head, else genesis. */
#define SQL_HEAD_SUBQUERY                                                                          \
	"SELECT id, hash FROM (SELECT id, hash, 1 AS o FROM privacy_access"                        \
	" WHERE id = (SELECT max(id) FROM privacy_access)"                                         \
	" UNION ALL SELECT head_id, head_hash, 2 FROM privacy_anchor"                              \
	" WHERE id = (SELECT max(id) FROM privacy_anchor WHERE kind = 'purge')"                    \
	" UNION ALL SELECT 0, '" ZERO_HASH "', 3) ORDER BY o LIMIT 1"

static const char SQL_APPEND[] =
    "INSERT INTO privacy_access (id, at, user_id, login, action, subject_kind, subject_id,"
    " subject, company_id, what, reason, remote, prev_hash, hash)"
    " SELECT h.id + 1, ?1, u.id, u.login, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, h.hash,"
    " bz_chain(h.hash, h.id + 1, ?1, u.id, u.login, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " FROM app_user u, (" SQL_HEAD_SUBQUERY ") h WHERE u.id = ?2";
static const char SQL_HEAD[] = SQL_HEAD_SUBQUERY;
static const char SQL_PURGE_HEAD[] =
    "SELECT head_id, head_hash FROM privacy_anchor WHERE kind = 'purge' ORDER BY id DESC LIMIT 1";
static const char SQL_WALK[] =
    "SELECT id, prev_hash, hash, bz_chain(prev_hash, id, at, user_id, login, action,"
    " subject_kind, subject_id, subject, company_id, what, reason, remote) = hash"
    " FROM privacy_access ORDER BY id";
static const char SQL_ANCHORS[] =
    "SELECT a.id, a.head_id, a.head_hash, p.hash FROM privacy_anchor a"
    " LEFT JOIN privacy_access p ON p.id = a.head_id"
    " WHERE a.kind = 'review' AND a.head_id > COALESCE((SELECT max(head_id) FROM privacy_anchor"
    " WHERE kind = 'purge'), 0) ORDER BY a.id";
static const char SQL_PURGE_LAST[] =
    "SELECT id, hash FROM privacy_access WHERE at < ?1 ORDER BY id DESC LIMIT 1";
static const char SQL_ANCHOR_INSERT[] =
    "INSERT INTO privacy_anchor (at, kind, head_id, head_hash, rows) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PURGE[] = "DELETE FROM privacy_access WHERE id <= ?1";

/* The search: ?1 from (UTC instant), ?2 to (UTC instant, exclusive), ?3 user
 * pattern, ?4 subject pattern, ?5 action. */
#define SQL_SEARCH_WHERE                                                                           \
	" FROM privacy_access p JOIN app_user u ON u.id = p.user_id"                               \
	" WHERE (?1 IS NULL OR p.at >= ?1) AND (?2 IS NULL OR p.at < ?2)"                          \
	" AND (?3 IS NULL OR instr(lower(p.login), lower(?3)) > 0 OR instr(u.name, ?3) > 0)"       \
	" AND (?4 IS NULL OR instr(p.subject, ?4) > 0) AND (?5 IS NULL OR p.action = ?5)"
static const char SQL_SEARCH_COUNT[] = "SELECT count(*)" SQL_SEARCH_WHERE;
/* Newest first by id (rows are appended in time order): ?8 is the id of the
 * last row already shown (max for the first page), a seek on the rowid. */
static const char SQL_SEARCH[] =
    "SELECT p.id, p.at, p.login, u.name, p.action, p.subject_kind, p.subject_id, p.subject,"
    " p.company_id, p.what, p.reason, p.remote" SQL_SEARCH_WHERE
    " AND p.id < ?8 ORDER BY p.id DESC LIMIT ?6 OFFSET ?7";

/* Month report: ?1 start (UTC instant), ?2 end (UTC instant, exclusive). */
static const char SQL_M_TOTALS[] =
    "SELECT count(*), count(DISTINCT subject_kind || ':' || COALESCE(subject_id, subject)),"
    " count(DISTINCT user_id) FROM privacy_access WHERE at >= ?1 AND at < ?2";
static const char SQL_M_TOP[] =
    "SELECT p.login, u.name, count(DISTINCT p.subject_kind || ':' ||"
    " COALESCE(p.subject_id, p.subject)) AS n, count(*)"
    " FROM privacy_access p JOIN app_user u ON u.id = p.user_id"
    " WHERE p.at >= ?1 AND p.at < ?2 GROUP BY p.user_id ORDER BY n DESC, count(*) DESC, p.login"
    " LIMIT 10";
static const char SQL_M_DOWNLOADS[] =
    "SELECT p.at, p.login, u.name, p.subject, p.what, p.reason"
    " FROM privacy_access p JOIN app_user u ON u.id = p.user_id"
    " WHERE p.at >= ?1 AND p.at < ?2 AND p.action = 'download' ORDER BY p.id LIMIT 500";
#define SQL_OOH_WHERE                                                                              \
	" FROM privacy_access p JOIN app_user u ON u.id = p.user_id"                               \
	" WHERE p.at >= ?1 AND p.at < ?2 AND (strftime('%w', p.at, '+9 hours') IN ('0', '6')"      \
	" OR strftime('%H', p.at, '+9 hours') < '08' OR strftime('%H', p.at, '+9 hours') >= '20'"  \
	" OR EXISTS (SELECT 1 FROM holiday h WHERE h.day = date(p.at, '+9 hours')"                 \
	" AND h.retired_at IS NULL))"
static const char SQL_M_OOH_COUNT[] = "SELECT count(*)" SQL_OOH_WHERE;
static const char SQL_M_OOH[] =
    "SELECT p.at, p.login, u.name, p.action, p.subject" SQL_OOH_WHERE " ORDER BY p.id LIMIT 200";
static const char SQL_M_UNUSUAL[] =
    "WITH d AS (SELECT user_id, date(at, '+9 hours') AS day, count(*) AS n FROM privacy_access"
    " WHERE at >= ?1 AND at < ?2 GROUP BY user_id, day),"
    " a AS (SELECT user_id, avg(n) AS av FROM d GROUP BY user_id)"
    " SELECT u.login, u.name, d.day, d.n, a.av FROM d JOIN a USING (user_id)"
    " JOIN app_user u ON u.id = d.user_id"
    " WHERE d.n >= 20 AND d.n > 3 * a.av ORDER BY d.n DESC LIMIT 50";
static const char SQL_M_REVIEW[] =
    "SELECT r.reviewed_at, u.login || ' (' || u.name || ')', COALESCE(r.note, '')"
    " FROM privacy_review r JOIN app_user u ON u.id = r.reviewer_id WHERE r.month = ?1";
static const char SQL_REVIEW_INSERT[] =
    "INSERT INTO privacy_review (month, reviewed_at, reviewer_id, note, anchor_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_REVIEWS[] =
    "SELECT r.month, r.reviewed_at, u.login || ' (' || u.name || ')', COALESCE(r.note, '')"
    " FROM privacy_review r JOIN app_user u ON u.id = r.reviewer_id ORDER BY r.month DESC";
static const char SQL_RIGHTS[] =
    "SELECT a.at, COALESCE(x.login || ' (' || x.name || ')', '명령줄'), a.action,"
    " COALESCE(t.login || ' (' || t.name || ')', a.object), COALESCE(a.detail, '{}')"
    " FROM audit_log a LEFT JOIN app_user x ON x.id = a.actor_id"
    " LEFT JOIN app_user t ON a.object = 'user:' || t.id"
    " WHERE a.action IN ('user.add', 'user.role', 'user.disable', 'user.enable')"
    " ORDER BY a.id DESC LIMIT ?1";

/* ---- helpers ------------------------------------------------------------- */

static const struct code_label action_labels[] = {
    {"view", "조회"},   {"enter", "입력"}, {"change", "변경"},
    {"delete", "삭제"}, {"print", "출력"}, {"download", "다운로드"},
};

const char *privacy_action_code(enum privacy_action a)
{
	return (size_t)a < BZ_ARRAY_LEN(action_labels) ? action_labels[a].code : "view";
}

const char *privacy_action_label_ko(const char *code)
{
	const char *l = code_label_find(action_labels, BZ_ARRAY_LEN(action_labels), code);
	return l ? l : "";
}

/* The "what" of a row in Korean: contacts:3 → 담당자 3명 (전체), csv:10 → CSV
 * 파일 (10건), known codes by name; free text as it is. */
static void what_text(const char *what, char *out, size_t outlen)
{
	static const struct {
		const char *prefix, *before, *after;
	} counted[] = {{"contacts:", "담당자 ", "명 (전체)"},
	               {"csv:", "CSV 파일 (", "건)"},
	               {"xlsx:", "XLSX 파일 (", "건)"},
	               {"print:", "인쇄 (", "건)"}};
	static const struct code_label named[] = {{"contact_add", "담당자 추가"},
	                                          {"contact_retire", "담당자 뺌"},
	                                          {"requester", "신청인 정보"}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(counted); i++) {
		size_t n = strlen(counted[i].prefix);
		if (strncmp(what, counted[i].prefix, n) == 0 && what[n] &&
		    strspn(what + n, "0123456789") == strlen(what + n)) {
			snprintf(out, outlen, "%s%s%s", counted[i].before, what + n,
			         counted[i].after);
			return;
		}
	}
	const char *l = code_label_find(named, BZ_ARRAY_LEN(named), what);
	bz_strlcpy(out, l ? l : what, outlen);
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	default:
		return json_string(db_col_text(st, i));
	}
}

/* Characters (UTF-8 code points) of s after trimming ASCII blanks. */
static size_t trimmed_chars(const char *s)
{
	if (s == NULL)
		return 0;
	const char *b = s, *e = s + strlen(s);
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	size_t n = 0;
	for (const char *p = b; p < e; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			n++;
	return n;
}

const char *privacy_reason_check(const char *reason)
{
	size_t n = trimmed_chars(reason);
	if (n < 2)
		return "내려받는 사유를 2자 이상 적어 주세요.";
	if (n > 500)
		return "사유는 500자 이내로 적어 주세요.";
	return NULL;
}

static bool text_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max * 4 && trimmed_chars(s) >= 1;
}

/* ---- append --------------------------------------------------------------- */

static _Thread_local char request_remote[64];

void privacy_set_request_remote(const char *remote)
{
	bz_strlcpy(request_remote, remote ? remote : "", sizeof(request_remote));
}

bz_rc privacy_log(struct db *db, const struct privacy_entry *e)
{
	if (e == NULL || e->user_id <= 0 || !text_ok(e->subject_kind, 40) ||
	    !text_ok(e->subject, 200) || !text_ok(e->what, 200) ||
	    (size_t)e->action >= BZ_ARRAY_LEN(action_labels))
		return BZ_ERR_INVALID;
	if (e->action == PRIVACY_DOWNLOAD && privacy_reason_check(e->reason) != NULL)
		return BZ_ERR_INVALID;
	if (e->reason && strlen(e->reason) > 2000)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_APPEND);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	char now[24];
	db_now_utc(now);
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, e->user_id);
	db_bind_text(st, 3, privacy_action_code(e->action));
	db_bind_text(st, 4, e->subject_kind);
	if (e->subject_id > 0)
		db_bind_int(st, 5, e->subject_id);
	db_bind_text(st, 6, e->subject);
	if (e->company_id > 0)
		db_bind_int(st, 7, e->company_id);
	db_bind_text(st, 8, e->what);
	db_bind_text(st, 9, e->reason && *e->reason ? e->reason : NULL);
	const char *remote = e->remote && *e->remote ? e->remote : request_remote;
	db_bind_text(st, 10, *remote ? remote : NULL);
	int r = db_step(st);
	sqlite3_reset(st);
	rc = db_rc(db, r, "privacy access");
	if (rc == BZ_OK && db_changes(db) != 1)
		rc = BZ_ERR_NOTFOUND; /* no such user */
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_INVALID : rc;
	}
	return db_commit(db);
}

/* ---- verify and purge ----------------------------------------------------- */

bz_rc privacy_verify(struct db *db, struct privacy_verify_result *r)
{
	memset(r, 0, sizeof(*r));
	bz_strlcpy(r->head_hash, ZERO_HASH, sizeof(r->head_hash));
	sqlite3_stmt *st = db_stmt(db, SQL_PURGE_HEAD);
	if (st == NULL)
		return BZ_ERR_DB;
	int s = db_step(st);
	if (s == SQLITE_ROW) {
		r->head_id = sqlite3_column_int64(st, 0);
		bz_strlcpy(r->head_hash, db_col_text(st, 1), sizeof(r->head_hash));
	}
	sqlite3_reset(st);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return db_rc(db, s, "verify: purge head");

	st = db_stmt(db, SQL_WALK);
	if (st == NULL)
		return BZ_ERR_DB;
	while ((s = db_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *prev = db_col_text(st, 1);
		if (r->broken_id == 0) {
			if (strcmp(prev, r->head_hash) != 0) {
				r->broken_id = id;
				if (id != r->head_id + 1)
					snprintf(
					    r->problem, sizeof(r->problem),
					    "row %lld: the row(s) before it (after row %lld) are "
					    "missing — its previous-row hash does not match",
					    (long long)id, (long long)r->head_id);
				else
					snprintf(r->problem, sizeof(r->problem),
					         "row %lld: its previous-row hash does not match "
					         "row %lld "
					         "(row %lld was altered or replaced)",
					         (long long)id, (long long)r->head_id,
					         (long long)r->head_id);
			} else if (sqlite3_column_int(st, 3) != 1) {
				r->broken_id = id;
				snprintf(r->problem, sizeof(r->problem),
				         "row %lld: its contents do not match its hash (forged or "
				         "altered)",
				         (long long)id);
			}
		}
		r->rows++;
		r->head_id = id;
		bz_strlcpy(r->head_hash, db_col_text(st, 2), sizeof(r->head_hash));
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return db_rc(db, s, "verify: walk");
	if (r->broken_id)
		return BZ_OK;

	/* Every reviewed head must still be there, unchanged: removing the newest
	 * rows leaves no gap in the chain, but it loses an anchored head. */
	st = db_stmt(db, SQL_ANCHORS);
	if (st == NULL)
		return BZ_ERR_DB;
	while ((s = db_step(st)) == SQLITE_ROW) {
		int64_t head = sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 3) == SQLITE_NULL ||
		    strcmp(db_col_text(st, 2), db_col_text(st, 3)) != 0) {
			r->broken_id = head;
			snprintf(
			    r->problem, sizeof(r->problem),
			    "row %lld: a monthly review recorded it as the head of the log, but "
			    "it is %s",
			    (long long)head,
			    sqlite3_column_type(st, 3) == SQLITE_NULL ? "missing" : "different");
			break;
		}
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE && s != SQLITE_ROW)
		return db_rc(db, s, "verify: anchors");
	return BZ_OK;
}

bz_rc privacy_purge(struct db *db, int years, int64_t *removed)
{
	*removed = 0;
	if (years < 2)
		years = 2;
	time_t cut = db_time() - (time_t)years * 366 * 86400; /* a little over: never less */
	char cutoff[24], now[24];
	db_format_utc(cut, cutoff);
	db_now_utc(now);
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_PURGE_LAST);
	if (st == NULL)
		goto fail;
	db_bind_text(st, 1, cutoff);
	int s = db_step(st);
	if (s == SQLITE_DONE) {
		sqlite3_reset(st);
		return db_commit(db);
	}
	if (s != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = db_rc(db, s, "purge: last");
		goto fail_rc;
	}
	int64_t last = sqlite3_column_int64(st, 0);
	char hash[65];
	bz_strlcpy(hash, db_col_text(st, 1), sizeof(hash));
	sqlite3_reset(st);
	/* Only rows up to the last old one, oldest first: a newer row in between
	 * (clock skew) keeps everything after it. */
	if ((rc = db_execf(db, SQL_ANCHOR_INSERT, "ttiti", now, "purge", last, hash, (int64_t)0)) !=
	    BZ_OK)
		goto fail_rc;
	if ((rc = db_execf(db, SQL_PURGE, "i", last)) != BZ_OK)
		goto fail_rc;
	*removed = db_changes(db);
	return db_commit(db);
fail:
	rc = BZ_ERR_DB;
fail_rc:
	db_rollback(db);
	return rc;
}

/* ---- search ---------------------------------------------------------------- */

/* KST date YYYY-MM-DD plus `days` → the UTC instant of its midnight KST. */
static bool kst_midnight_utc(const char *day, int days, char out[24])
{
	int y, m, d;
	char extra;
	if (day == NULL || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || y < 2000 ||
	    y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days};
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	db_format_utc(t - 9 * 3600, out);
	return true;
}

bz_rc privacy_search(struct db *db, const struct privacy_filter *f, int limit, int offset,
                     json_t **out, int64_t *total)
{
	char from[24], to[24];
	bool has_from = kst_midnight_utc(val_nz(f->from), 0, from);
	bool has_to = kst_midnight_utc(val_nz(f->to), 1, to);
	const char *action =
	    val_nz(f->action) &&
	            code_label_find(action_labels, BZ_ARRAY_LEN(action_labels), f->action)
	        ? f->action
	        : NULL;
	const char *sqls[2] = {SQL_SEARCH_COUNT, SQL_SEARCH};
	json_t *rows = json_array();
	if (total)
		*total = 0;
	/* no count when the caller needs none (an export's chunks) */
	for (int pass = total ? 0 : 1; pass < 2; pass++) {
		sqlite3_stmt *st = db_stmt(db, sqls[pass]);
		if (st == NULL) {
			json_decref(rows);
			return BZ_ERR_DB;
		}
		db_bind_text(st, 1, has_from ? from : NULL);
		db_bind_text(st, 2, has_to ? to : NULL);
		db_bind_text(st, 3, val_nz(f->user));
		db_bind_text(st, 4, val_nz(f->subject));
		db_bind_text(st, 5, action);
		if (pass == 1) {
			db_bind_int(st, 6, limit);
			db_bind_int(st, 7, f->before_id > 0 ? 0 : offset);
			db_bind_int(st, 8, f->before_id > 0 ? f->before_id : INT64_MAX);
		}
		int s;
		while ((s = db_step(st)) == SQLITE_ROW) {
			if (pass == 0) {
				*total = sqlite3_column_int64(st, 0);
				continue;
			}
			char kst[32];
			fmt_instant_kst(db_col_text(st, 1), kst, sizeof(kst));
			json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			                      (json_int_t)sqlite3_column_int64(st, 0), "at",
			                      db_col_text(st, 1), "at_kst", kst, "login",
			                      db_col_text(st, 2), "user_name", db_col_text(st, 3),
			                      "action", db_col_text(st, 4), "action_label",
			                      privacy_action_label_ko(db_col_text(st, 4)),
			                      "subject_kind", db_col_text(st, 5));
			json_object_set_new(o, "subject_id", col_json(st, 6));
			json_object_set_new(o, "subject", json_string(db_col_text(st, 7)));
			json_object_set_new(o, "company_id", col_json(st, 8));
			char wt[640];
			what_text(db_col_text(st, 9), wt, sizeof(wt));
			json_object_set_new(o, "what", json_string(wt));
			json_object_set_new(o, "what_code", json_string(db_col_text(st, 9)));
			json_object_set_new(o, "reason", col_json(st, 10));
			json_object_set_new(o, "remote", json_string(db_col_text(st, 11)));
			json_array_append_new(rows, o);
		}
		sqlite3_reset(st);
		if (s != SQLITE_DONE) {
			json_decref(rows);
			return db_rc(db, s, "privacy search");
		}
	}
	*out = rows;
	return BZ_OK;
}

/* ---- monthly review ------------------------------------------------------- */

/* "YYYY-MM" → the UTC instants of its first moment and the next month's (KST). */
static bool month_bounds(const char *month, char start[24], char end[24])
{
	int y, m;
	char extra;
	if (month == NULL || strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 || y < 2000 || y > 2999 || m < 1 ||
	    m > 12)
		return false;
	struct tm a = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1};
	struct tm b = {.tm_year = y - 1900, .tm_mon = m, .tm_mday = 1};
	db_format_utc(timegm(&a) - 9 * 3600, start);
	db_format_utc(timegm(&b) - 9 * 3600, end);
	return true;
}

static sqlite3_stmt *month_stmt(struct db *db, const char *sql, const char *start, const char *end)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st) {
		db_bind_text(st, 1, start);
		db_bind_text(st, 2, end);
	}
	return st;
}

bz_rc privacy_month_report(struct db *db, const char *month, json_t **out)
{
	char start[24], end[24];
	if (!month_bounds(month, start, end))
		return BZ_ERR_INVALID;
	json_t *m = json_pack("{s:s}", "month", month);
	json_t *top = json_array(), *dl = json_array(), *ooh = json_array(),
	       *unusual = json_array();
	json_object_set_new(m, "top_viewers", top);
	json_object_set_new(m, "downloads", dl);
	json_object_set_new(m, "out_of_hours", ooh);
	json_object_set_new(m, "unusual", unusual);
	int s = SQLITE_DONE;
	char kst[32];

	sqlite3_stmt *st = month_stmt(db, SQL_M_TOTALS, start, end);
	if (st == NULL)
		goto fail;
	if ((s = db_step(st)) == SQLITE_ROW) {
		json_object_set_new(m, "rows", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(m, "subjects", json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(m, "users", json_integer(sqlite3_column_int64(st, 2)));
		s = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;

	if ((st = month_stmt(db, SQL_M_TOP, start, end)) == NULL)
		goto fail;
	while ((s = db_step(st)) == SQLITE_ROW)
		json_array_append_new(top,
		                      json_pack("{s:s, s:s, s:I, s:I}", "login", db_col_text(st, 0),
		                                "name", db_col_text(st, 1), "subjects",
		                                (json_int_t)sqlite3_column_int64(st, 2), "rows",
		                                (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;

	if ((st = month_stmt(db, SQL_M_DOWNLOADS, start, end)) == NULL)
		goto fail;
	while ((s = db_step(st)) == SQLITE_ROW) {
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		char wt[640];
		what_text(db_col_text(st, 4), wt, sizeof(wt));
		json_array_append_new(
		    dl, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "at_kst", kst, "login",
		                  db_col_text(st, 1), "name", db_col_text(st, 2), "subject",
		                  db_col_text(st, 3), "what", wt, "reason", db_col_text(st, 5)));
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;

	json_object_set_new(m, "downloads_count", json_integer((json_int_t)json_array_size(dl)));
	if ((st = month_stmt(db, SQL_M_OOH_COUNT, start, end)) == NULL)
		goto fail;
	if ((s = db_step(st)) == SQLITE_ROW) {
		json_object_set_new(m, "out_of_hours_count",
		                    json_integer(sqlite3_column_int64(st, 0)));
		s = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;

	if ((st = month_stmt(db, SQL_M_OOH, start, end)) == NULL)
		goto fail;
	while ((s = db_step(st)) == SQLITE_ROW) {
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		json_array_append_new(ooh, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at_kst", kst,
		                                     "login", db_col_text(st, 1), "name",
		                                     db_col_text(st, 2), "action_label",
		                                     privacy_action_label_ko(db_col_text(st, 3)),
		                                     "subject", db_col_text(st, 4)));
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;

	if ((st = month_stmt(db, SQL_M_UNUSUAL, start, end)) == NULL)
		goto fail;
	while ((s = db_step(st)) == SQLITE_ROW) {
		char avg[32];
		snprintf(avg, sizeof(avg), "%.1f", sqlite3_column_double(st, 4));
		json_array_append_new(
		    unusual,
		    json_pack("{s:s, s:s, s:s, s:I, s:s}", "login", db_col_text(st, 0), "name",
		              db_col_text(st, 1), "day", db_col_text(st, 2), "rows",
		              (json_int_t)sqlite3_column_int64(st, 3), "average_text", avg));
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;

	if ((st = db_stmt(db, SQL_M_REVIEW)) == NULL)
		goto fail;
	db_bind_text(st, 1, month);
	if ((s = db_step(st)) == SQLITE_ROW) {
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		json_object_set_new(m, "review",
		                    json_pack("{s:s, s:s, s:s}", "reviewed_at_kst", kst, "reviewer",
		                              db_col_text(st, 1), "note", db_col_text(st, 2)));
		s = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		goto fail_s;
	*out = m;
	return BZ_OK;
fail_s:
	json_decref(m);
	return db_rc(db, s, "privacy month report");
fail:
	json_decref(m);
	return BZ_ERR_DB;
}

bz_rc privacy_review_mark(struct db *db, int64_t reviewer_id, const char *month, const char *note)
{
	char start[24], end[24], now[24];
	if (!month_bounds(month, start, end))
		return BZ_ERR_INVALID;
	db_now_utc(now);
	if (strcmp(start, now) > 0)
		return BZ_ERR_INVALID; /* not yet begun */
	if (note && (strlen(note) > 8000 || trimmed_chars(note) > 2000))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	int64_t head = 0;
	char hash[65] = ZERO_HASH;
	sqlite3_stmt *st = db_stmt(db, SQL_HEAD);
	if (st == NULL)
		goto fail;
	int s = db_step(st);
	if (s == SQLITE_ROW) {
		head = sqlite3_column_int64(st, 0);
		bz_strlcpy(hash, db_col_text(st, 1), sizeof(hash));
	}
	sqlite3_reset(st);
	if (s != SQLITE_ROW) {
		rc = db_rc(db, s, "review: head");
		goto fail_rc;
	}
	if ((rc = db_execf(db, SQL_ANCHOR_INSERT, "ttiti", now, "review", head, hash,
	                   (int64_t)0)) != BZ_OK)
		goto fail_rc;
	int64_t anchor = db_last_id(db);
	if ((st = db_stmt(db, SQL_REVIEW_INSERT)) == NULL)
		goto fail;
	db_bind_text(st, 1, month);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, reviewer_id);
	db_bind_text(st, 4, note && *note ? note : NULL);
	db_bind_int(st, 5, anchor);
	s = db_step(st);
	sqlite3_reset(st);
	if ((rc = db_rc(db, s, "review")) != BZ_OK) {
		if (rc == BZ_ERR_CONSTRAINT)
			rc = BZ_ERR_CONFLICT;
		goto fail_rc;
	}
	char object[32];
	snprintf(object, sizeof(object), "privacy_review:%s", month);
	if ((rc = audit_log_json(
	         db, reviewer_id, "privacy.review", object,
	         json_pack("{s:I, s:s}", "head_id", (json_int_t)head, "head_hash", hash))) != BZ_OK)
		goto fail_rc;
	return db_commit(db);
fail:
	rc = BZ_ERR_DB;
fail_rc:
	db_rollback(db);
	return rc;
}

bz_rc privacy_reviews(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REVIEWS);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int s;
	while ((s = db_step(st)) == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(db_col_text(st, 1), kst, sizeof(kst));
		json_array_append_new(a,
		                      json_pack("{s:s, s:s, s:s, s:s}", "month", db_col_text(st, 0),
		                                "reviewed_at_kst", kst, "reviewer",
		                                db_col_text(st, 2), "note", db_col_text(st, 3)));
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, s, "privacy reviews");
	}
	*out = a;
	return BZ_OK;
}

/* ---- rights changes ------------------------------------------------------- */

/* "역할: 주무관 → 팀장" etc. from the audit detail JSON. */
static void rights_detail(const char *action, const char *detail, char *out, size_t outlen)
{
	out[0] = '\0';
	json_t *d = json_loads(detail, 0, NULL);
	if (d == NULL)
		return;
	const char *role = json_string_value(json_object_get(d, "role"));
	const char *old_role = json_string_value(json_object_get(d, "old_role"));
	const char *from = json_string_value(json_object_get(d, "from"));
	const char *to = json_string_value(json_object_get(d, "to"));
	if (old_role == NULL)
		old_role = from;
	if (role == NULL)
		role = to;
	const char *nr = role ? role_label_ko(role_from_name(role)) : NULL;
	const char *orl = old_role ? role_label_ko(role_from_name(old_role)) : NULL;
	if (strcmp(action, "user.role") == 0 && orl && nr)
		snprintf(out, outlen, "역할 %s → %s", orl, nr);
	else if (nr)
		snprintf(out, outlen, "역할 %s", nr);
	json_decref(d);
}

bz_rc privacy_rights_changes(struct db *db, int limit, json_t **out)
{
	static const struct code_label labels[] = {
	    {"user.add", "권한 부여 (사용자 추가)"},
	    {"user.role", "권한 변경 (역할 변경)"},
	    {"user.disable", "권한 말소 (사용 중지)"},
	    {"user.enable", "권한 재부여 (사용 재개)"},
	};
	sqlite3_stmt *st = db_stmt(db, SQL_RIGHTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, limit);
	json_t *a = json_array();
	int s;
	while ((s = db_step(st)) == SQLITE_ROW) {
		char kst[32], detail[160];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		rights_detail(db_col_text(st, 2), db_col_text(st, 4), detail, sizeof(detail));
		const char *label =
		    code_label_find(labels, BZ_ARRAY_LEN(labels), db_col_text(st, 2));
		json_array_append_new(a,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at",
		                                db_col_text(st, 0), "at_kst", kst, "actor",
		                                db_col_text(st, 1), "action", db_col_text(st, 2),
		                                "action_label", label ? label : db_col_text(st, 2),
		                                "user", db_col_text(st, 3), "detail_text", detail));
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, s, "rights changes");
	}
	*out = a;
	return BZ_OK;
}
