/* Administration of personal-data handling and operations: the access log
 * (개인정보 접속기록) search, the monthly review, users' rights changes,
 * backups and the health check. */
#include "bizsos/account.h"
#include "web_export.h"
#include "bizsos/app.h"
#include "bizsos/maintenance.h"
#include "bizsos/ops.h"
#include "bizsos/privacy.h"
#include "bizsos/view.h"
#include "web_privacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void web_healthz_deep(struct request *rq, struct response *rs)
{
	json_t *h = NULL;
	bool ok = rq->db &&
	          ops_health(rq->db, rq->app->cfg.backup_interval, rq->app->started, &h) == BZ_OK;
	ok = ok && json_is_true(json_object_get(h, "ok"));
	rs->status = ok ? 200 : 503;
	if (rq->signed_in && rq->user.role == ROLE_ADMIN && h) {
		rs->body = json_dumps(h, JSON_INDENT(2));
		bz_strlcpy(rs->content_type, "application/json", sizeof(rs->content_type));
	} else {
		rs->body = strdup(ok ? "ok\n" : "degraded\n");
		bz_strlcpy(rs->content_type, "text/plain; charset=utf-8", sizeof(rs->content_type));
	}
	rs->body_len = rs->body ? strlen(rs->body) : 0;
	json_decref(h);
}

static json_t *action_choices(const char *current)
{
	static const char *const codes[] = {"view",   "enter", "change",
	                                    "delete", "print", "download"};
	json_t *a = json_array();
	json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", "", "label", "전체",
	                                   "selected", !current || !*current));
	for (size_t i = 0; i < BZ_ARRAY_LEN(codes); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", codes[i], "label",
		                                   privacy_action_label_ko(codes[i]), "selected",
		                                   current && strcmp(current, codes[i]) == 0));
	return a;
}

/* A query string of the filters (for the pager), escaped for a URL. */
static void filter_query(struct request *rq, char *out, size_t outlen)
{
	static const char *const keys[] = {"from", "to", "user", "subject", "action"};
	web_filter_query(rq, keys, BZ_ARRAY_LEN(keys), out, outlen);
}

/* The columns of the access log's CSV and XLSX (itself personal data). */
static const struct export_col privacy_cols[] = {
    {"at", "일시", EXPORT_INSTANT},       {"login", "아이디", EXPORT_TEXT},
    {"user_name", "이름", EXPORT_TEXT},   {"action_label", "구분", EXPORT_TEXT},
    {"subject", "정보주체", EXPORT_TEXT}, {"what", "처리한 정보", EXPORT_TEXT},
    {"reason", "사유", EXPORT_TEXT},      {"remote", "접속지", EXPORT_TEXT},
};
static const struct export_spec privacy_export =
    EXPORT_SPEC("access-log", "개인정보 접속기록", privacy_cols, true);

/* Every row of the filter, newest first, a thousand at a time, each chunk
 * seeking past the last id of the one before (rows logged meanwhile, this
 * download's own among them, neither repeat nor shift a row). */
static bz_rc export_privacy(struct request *rq, const struct privacy_filter *f,
                            struct export_writer *xw)
{
	const int chunk = 1000;
	struct privacy_filter g = *f;
	for (;;) {
		json_t *rows = NULL;
		bz_rc rc = privacy_search(rq->db, &g, chunk, 0, &rows, NULL);
		if (rc != BZ_OK)
			return rc;
		rc = export_rows(xw, rows);
		size_t n = json_array_size(rows);
		if (n > 0)
			g.before_id =
			    json_integer_value(json_object_get(json_array_get(rows, n - 1), "id"));
		json_decref(rows);
		if (rc != BZ_OK || n < (size_t)chunk || g.before_id <= 1)
			return rc;
	}
}

void web_admin_privacy(struct request *rq, struct response *rs)
{
	struct privacy_filter f = {.from = rq_query(rq, "from"),
	                           .to = rq_query(rq, "to"),
	                           .user = rq_query(rq, "user"),
	                           .subject = rq_query(rq, "subject"),
	                           .action = rq_query(rq, "action")};
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &privacy_export, &xw)) {
		if (xw)
			web_export_end(rq, rs, xw, export_privacy(rq, &f, xw));
		return;
	}
	/* ?page= for the browser's pager; ?cursor= (next_cursor: the last row's
	 * id) and ?limit= */
	int per;
	json_t *after = NULL;
	if (!web_keyset(rq, rs, "i", 50, 100, &after, &per))
		return;
	bool by_cursor = after != NULL;
	int page = by_cursor ? 1 : web_page_no(rq);
	if (by_cursor) {
		f.before_id = json_integer_value(json_array_get(after, 0));
		if (f.before_id < 1)
			f.before_id = 1; /* nothing comes after the oldest row */
		json_decref(after);
	}
	json_t *rows = NULL;
	int64_t total = 0;
	if (privacy_search(rq->db, &f, per + 1, (page - 1) * per, &rows, &total) != BZ_OK) {
		web_error(rs, 500, "internal", "개인정보 접속기록을 읽지 못했습니다.");
		return;
	}
	int64_t pages = total == 0 ? 1 : (total + per - 1) / per;
	char q[1024];
	filter_query(rq, q, sizeof(q));
	json_t *m = json_pack(
	    "{s:o, s:I, s:I, s:I, s:b, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:o, s:s}", "rows", rows,
	    "total", (json_int_t)total, "page_no", (json_int_t)page, "pages", (json_int_t)pages,
	    "by_cursor", by_cursor, "values", "from", web_query_or_empty(rq, "from"), "to",
	    web_query_or_empty(rq, "to"), "user", web_query_or_empty(rq, "user"), "subject",
	    web_query_or_empty(rq, "subject"), "action", web_query_or_empty(rq, "action"), "reason",
	    web_query_or_empty(rq, "reason"), "actions", action_choices(rq_query(rq, "action")),
	    "filter_query", q);
	static const char *const key[] = {"id"};
	web_keyset_trim(m, rows, per, key, BZ_ARRAY_LEN(key));
	if (!by_cursor && page > 1)
		json_object_set_new(m, "prev", json_integer(page - 1));
	if (!by_cursor && page < pages)
		json_object_set_new(m, "next", json_integer(page + 1));
	web_export_links(rq, m, &privacy_export);
	web_keyset_next(rq, m, per);
	web_page(rs, "admin/privacy", "개인정보 접속기록", m);
}

/* The month to show: ?month=YYYY-MM, else last month (KST). */
static void month_param(struct request *rq, char out[24])
{
	const char *m = rq_query(rq, "month");
	if (m && strlen(m) == 7) {
		bz_strlcpy(out, m, 24);
		return;
	}
	time_t t = db_time() + 9 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	int y = tm.tm_year + 1900, mo = tm.tm_mon; /* 0-based this month = 1-based last month */
	if (mo == 0) {
		y--;
		mo = 12;
	}
	snprintf(out, 24, "%04d-%02d", y, mo);
}

static void review_page(struct request *rq, struct response *rs, const char *month, int status,
                        json_t *fields, const char *note)
{
	json_t *m = NULL;
	bz_rc rc = privacy_month_report(rq->db, month, &m);
	if (rc == BZ_ERR_INVALID) {
		json_decref(fields);
		web_error(rs, 400, "bad_month", "월은 2026-03처럼 연-월로 적어 주세요.");
		return;
	}
	json_t *reviews = NULL;
	if (rc != BZ_OK || privacy_reviews(rq->db, &reviews) != BZ_OK) {
		json_decref(m);
		json_decref(fields);
		web_error(rs, 500, "internal", "점검 보고서를 만들지 못했습니다.");
		return;
	}
	json_object_set_new(m, "reviews", reviews);
	json_object_set_new(m, "note", json_string(note ? note : ""));
	int y = atoi(month), mo = atoi(month + 5);
	char prev[24], next[24];
	snprintf(prev, sizeof(prev), "%04d-%02d", mo == 1 ? y - 1 : y, mo == 1 ? 12 : mo - 1);
	snprintf(next, sizeof(next), "%04d-%02d", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
	json_object_set_new(m, "prev_month", json_string(prev));
	json_object_set_new(m, "next_month", json_string(next));
	char title[64];
	snprintf(title, sizeof(title), "%d년 %d월", y, mo);
	json_object_set_new(m, "month_title", json_string(title));
	if (fields)
		web_invalid(rs, "admin/privacy_review", "개인정보 접속기록 월간 점검", m, fields);
	else if (status != 200)
		web_page_status(rs, status, "admin/privacy_review", "개인정보 접속기록 월간 점검",
		                m);
	else
		web_page(rs, "admin/privacy_review", "개인정보 접속기록 월간 점검", m);
}

void web_admin_privacy_review(struct request *rq, struct response *rs)
{
	char month[24];
	month_param(rq, month);
	review_page(rq, rs, month, 200, NULL, NULL);
}

void web_admin_privacy_review_mark(struct request *rq, struct response *rs)
{
	const char *month = rq_form(rq, "month");
	const char *note = rq_form(rq, "note");
	char mbuf[24] = "";
	if (month && strlen(month) == 7)
		bz_strlcpy(mbuf, month, sizeof(mbuf));
	else {
		web_error(rs, 400, "bad_month", "월은 2026-03처럼 연-월로 적어 주세요.");
		return;
	}
	bz_rc rc = privacy_review_mark(rq->db, rq->user.id, mbuf, note);
	if (rc == BZ_OK) {
		web_flash(rs, rq, "success", "privacy_reviewed");
		char loc[64];
		snprintf(loc, sizeof(loc), "/admin/privacy/review?month=%s", mbuf);
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_CONFLICT) {
		review_page(rq, rs, mbuf, 409, NULL, note);
		if (rs->model)
			json_object_set_new(rs->model, "conflict",
			                    json_string("이 달은 이미 점검을 마쳤습니다."));
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		review_page(rq, rs, mbuf, 422,
		            json_pack("{s:s}", "note",
		                      "아직 시작하지 않은 달이거나 의견이 2000자를 넘습니다."),
		            note);
		return;
	}
	web_error(rs, 500, "internal", "점검 기록을 저장하지 못했습니다.");
}

void web_admin_rights(struct request *rq, struct response *rs)
{
	json_t *a = NULL;
	if (privacy_rights_changes(rq->db, 1000, &a) != BZ_OK) {
		web_error(rs, 500, "internal", "권한 변경 기록을 읽지 못했습니다.");
		return;
	}
	web_page(rs, "admin/rights", "권한 변경 이력",
	         json_pack("{s:o, s:I}", "changes", a, "total", (json_int_t)json_array_size(a)));
}

void web_admin_operations(struct request *rq, struct response *rs)
{
	json_t *h = NULL, *recent = NULL;
	if (ops_health(rq->db, rq->app->cfg.backup_interval, rq->app->started, &h) != BZ_OK ||
	    ops_backup_recent(rq->db, 20, &recent) != BZ_OK) {
		json_decref(h);
		web_error(rs, 500, "internal", "운영 상태를 읽지 못했습니다.");
		return;
	}
	json_object_set_new(h, "recent", recent);
	char dir[4200];
	if (rq->app->cfg.backup_dir[0])
		bz_strlcpy(dir, rq->app->cfg.backup_dir, sizeof(dir));
	else
		snprintf(dir, sizeof(dir), "%.4000s.backups", rq->app->cfg.db);
	json_object_set_new(h, "backup_dir", json_string(dir));
	json_object_set_new(h, "backup_keep", json_integer(rq->app->cfg.backup_keep));
	int iv = rq->app->cfg.backup_interval;
	char every[64];
	if (iv == 0)
		bz_strlcpy(every, "예약 백업 안 함", sizeof(every));
	else if (iv % 86400 == 0)
		snprintf(every, sizeof(every), "%d일마다", iv / 86400);
	else if (iv % 3600 == 0)
		snprintf(every, sizeof(every), "%d시간마다", iv / 3600);
	else
		snprintf(every, sizeof(every), "%d초마다", iv);
	json_object_set_new(h, "backup_every", json_string(every));
	json_object_set_new(h, "retention_years",
	                    json_integer(rq->app->cfg.privacy_retention_years));
	const char *v = rq_query(rq, "verify");
	if (v && strcmp(v, "1") == 0) {
		struct privacy_verify_result r;
		if (privacy_verify(rq->db, &r) != BZ_OK) {
			json_decref(h);
			web_error(rs, 500, "internal", "접속기록 검증에 실패했습니다.");
			return;
		}
		char text[400];
		if (r.broken_id)
			snprintf(text, sizeof(text),
			         "%lld번 기록부터 위·변조 또는 삭제가 의심됩니다. (%s)",
			         (long long)r.broken_id, r.problem);
		else
			snprintf(text, sizeof(text), "기록 %lld건의 연결 해시가 모두 맞습니다.",
			         (long long)r.rows);
		json_object_set_new(h, "verify",
		                    json_pack("{s:b, s:s}", "ok", r.broken_id == 0, "text", text));
	}
	web_page(rs, "admin/operations", "백업·운영 상태", h);
}

void web_admin_backup_now(struct request *rq, struct response *rs)
{
	bz_rc rc = maintenance_backup_now(&rq->app->cfg, rq->db);
	web_flash(rs, rq, rc == BZ_OK ? "success" : "error",
	          rc == BZ_OK ? "backup_done" : "backup_failed");
	web_redirect(rs, "/admin/operations");
}

/* ---- sessions ------------------------------------------------------------- */

static void sessions_page(struct request *rq, struct response *rs, const struct user *u,
                          bool admin_view)
{
	json_t *list = NULL;
	if (account_sessions(rq->db, u->id, rq->session, &list) != BZ_OK) {
		web_error(rs, 500, "internal", "접속 세션 목록을 읽지 못했습니다.");
		return;
	}
	char base[64];
	if (admin_view)
		snprintf(base, sizeof(base), "/admin/users/%lld/sessions", (long long)u->id);
	else
		bz_strlcpy(base, "/account/sessions", sizeof(base));
	web_page(rs, "account/sessions", admin_view ? "사용자 접속 세션" : "내 접속 세션",
	         json_pack("{s:o, s:s, s:s, s:s, s:b}", "sessions", list, "user_login", u->login,
	                   "user_name", u->name, "base", base, "admin_view", admin_view));
}

void web_account_sessions(struct request *rq, struct response *rs)
{
	sessions_page(rq, rs, &rq->user, false);
}

void web_account_session_revoke(struct request *rq, struct response *rs)
{
	const char *sid = rq_param(rq, "sid");
	bz_rc rc = account_session_revoke(rq->db, rq->user.id, rq->user.id, sid);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found",
		          "그런 접속 세션이 없습니다. 이미 끊겼을 수 있습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "접속 세션을 끊지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "session_revoked");
	web_redirect(rs, "/account/sessions");
}

static bool user_param(struct request *rq, struct response *rs, struct user *u)
{
	int64_t id = rq_param_id(rq, "id");
	if (id <= 0 || user_by_id(rq->db, id, u) != BZ_OK) {
		web_error(rs, 404, "not_found", "그런 사용자가 없습니다.");
		return false;
	}
	return true;
}

void web_admin_user_sessions(struct request *rq, struct response *rs)
{
	struct user u;
	if (user_param(rq, rs, &u))
		sessions_page(rq, rs, &u, true);
}

void web_admin_user_session_revoke(struct request *rq, struct response *rs)
{
	struct user u;
	if (!user_param(rq, rs, &u))
		return;
	bz_rc rc = account_session_revoke(rq->db, rq->user.id, u.id, rq_param(rq, "sid"));
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found",
		          "그런 접속 세션이 없습니다. 이미 끊겼을 수 있습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "접속 세션을 끊지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "session_revoked");
	char loc[64];
	snprintf(loc, sizeof(loc), "/admin/users/%lld/sessions", (long long)u.id);
	web_redirect(rs, loc);
}
