/* Notices (/notifications), the user's choices (/notifications/settings) and
 * the admin's outbox (/admin/outbox). */
#include "web_export.h"
#include "bizsos/app.h"
#include "bizsos/jobs.h"
#include "bizsos/notify.h"
#include "bizsos/outbox.h"
#include "bizsos/result_notice.h"
#include "bizsos/view.h"
#include "bizsos/web.h"
#include "web_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 30

static void add_kst(json_t *rows, const char *from, const char *to)
{
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o)
	{
		const char *at = json_string_value(json_object_get(o, from));
		if (at == NULL)
			continue;
		char kst[32];
		fmt_instant_kst(at, kst, sizeof(kst));
		json_object_set_new(o, to, json_string(kst));
	}
}

/* ?page= for the browser's pager, or ?cursor= (next_cursor: the id of the
 * last row shown) and ?limit= of a list newest id first. *before: the id to
 * seek past, 0 on a page-number page. false with rs answered (a bad cursor or
 * limit). */
static bool id_keyset(struct request *rq, struct response *rs, int *page, int *per, int64_t *before)
{
	json_t *after = NULL;
	if (!web_keyset(rq, rs, "i", PER_PAGE, 100, &after, per))
		return false;
	*before = 0;
	*page = web_page_no(rq);
	if (after) {
		*before = json_integer_value(json_array_get(after, 0));
		if (*before < 1)
			*before = 1; /* nothing comes after the oldest row */
		*page = 1;
		json_decref(after);
	}
	return true;
}

/* The pager of a page read with one row more than per: page numbers for the
 * browser (none on a cursor page), next_cursor and next_url from the last row. */
static void pager(struct request *rq, json_t *m, json_t *rows, int page, int64_t total, int per,
                  bool by_cursor)
{
	int64_t pages = total == 0 ? 1 : (total + per - 1) / per;
	static const char *const key[] = {"id"};
	web_keyset_trim(m, rows, per, key, BZ_ARRAY_LEN(key));
	web_keyset_next(rq, m, per);
	json_object_set_new(m, "page_no", json_integer(page));
	json_object_set_new(m, "pages", json_integer(pages));
	json_object_set_new(m, "by_cursor", json_boolean(by_cursor));
	if (!by_cursor && page > 1)
		json_object_set_new(m, "prev", json_integer(page - 1));
	if (!by_cursor && page < pages)
		json_object_set_new(m, "next", json_integer(page + 1));
}

void web_notifications(struct request *rq, struct response *rs)
{
	int page, per;
	int64_t before;
	if (!id_keyset(rq, rs, &page, &per, &before))
		return;
	const char *u = rq_query(rq, "unread");
	bool unread_only = u && strcmp(u, "1") == 0;
	json_t *rows = NULL;
	int64_t total = 0, unread = 0;
	if (notify_list(rq->db, rq->user.id, unread_only, per + 1, (page - 1) * per, before, &rows,
	                &total) != BZ_OK ||
	    notify_unread_count(rq->db, rq->user.id, &unread) != BZ_OK) {
		json_decref(rows);
		web_error(rs, 500, "internal", "알림을 읽지 못했습니다.");
		return;
	}
	add_kst(rows, "created_at", "created_kst");
	json_t *m =
	    json_pack("{s:o, s:I, s:I, s:b}", "notifications", rows, "total", (json_int_t)total,
	              "unread", (json_int_t)unread, "unread_only", unread_only);
	pager(rq, m, rows, page, total, per, before > 0);
	web_page(rs, "notifications/list", "알림", m);
}

void web_notification_open(struct request *rq, struct response *rs)
{
	char link[512];
	int64_t id = rq_param_id(rq, "id");
	bz_rc rc =
	    id > 0 ? notify_open(rq->db, rq->user.id, id, link, sizeof(link)) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 알림이 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "알림을 열지 못했습니다.");
		return;
	}
	char *href = NULL; /* a notice about a case names the case: its URL */
	if (web_links_message(link, false, "", &href) == BZ_OK && href)
		bz_strlcpy(link, href, sizeof(link));
	free(href);
	web_redirect(rs, web_local_path(link) ? link : "/notifications");
	rs->model = json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "link", link, "read", 1);
}

void web_notifications_read_all(struct request *rq, struct response *rs)
{
	int64_t n = 0;
	if (notify_read_all(rq->db, rq->user.id, &n) != BZ_OK) {
		web_error(rs, 500, "internal", "알림을 읽음으로 바꾸지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "notices_read");
	web_redirect(rs, "/notifications");
	rs->model = json_pack("{s:I}", "marked", (json_int_t)n);
}

static json_t *settings_model(struct request *rq, struct response *rs)
{
	json_t *p = NULL;
	if (notify_prefs(rq->db, rq->user.id, &p) != BZ_OK) {
		web_error(rs, 500, "internal", "알림 설정을 읽지 못했습니다.");
		return NULL;
	}
	json_object_set_new(p, "mail_on", json_boolean(jobs_mail_on(&rq->app->cfg)));
	json_object_set_new(p, "errors", json_object());
	return p;
}

void web_notify_settings(struct request *rq, struct response *rs)
{
	json_t *m = settings_model(rq, rs);
	if (m)
		web_page(rs, "notifications/settings", "알림 설정", m);
}

void web_notify_settings_save(struct request *rq, struct response *rs)
{
	const char *modes[NOTIFY_KIND_COUNT];
	for (size_t i = 0; i < NOTIFY_KIND_COUNT; i++) {
		char key[32];
		snprintf(key, sizeof(key), "mode_%s", notify_kinds[i]);
		modes[i] = rq_form(rq, key);
	}
	const char *email = rq_form(rq, "email");
	json_t *fields = json_object();
	bz_rc rc = notify_prefs_save(rq->db, rq->user.id, email ? email : "", modes, fields);
	if (rc == BZ_OK) {
		json_decref(fields);
		web_flash(rs, rq, "success", "notify_saved");
		web_redirect(rs, "/notifications/settings");
		return;
	}
	if (rc != BZ_ERR_INVALID) {
		json_decref(fields);
		web_error(rs, 500, "internal", "알림 설정을 저장하지 못했습니다.");
		return;
	}
	json_t *m = settings_model(rq, rs);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	/* show what was typed */
	json_object_set_new(m, "email", json_string(email ? email : ""));
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(m, "kinds"), i, k)
	{
		if (i >= NOTIFY_KIND_COUNT || modes[i] == NULL)
			continue;
		size_t j;
		json_t *o;
		json_array_foreach(json_object_get(k, "options"), j, o)
		{
			json_object_set_new(
			    o, "selected",
			    json_boolean(strcmp(json_string_value(json_object_get(o, "value")),
			                        modes[i]) == 0));
		}
	}
	web_invalid(rs, "notifications/settings", "알림 설정", m, fields);
}

/* ---- the admin's outbox ---- */

/* The columns of the outbox's CSV and XLSX (recipients' addresses: personal data). */
static const struct export_col outbox_cols[] = {
    {"created_at", "만든 때", EXPORT_INSTANT},
    {"channel_label", "경로", EXPORT_TEXT},
    {"target", "받는 곳", EXPORT_TEXT},
    {"subject", "제목", EXPORT_TEXT},
    {"kind", "종류", EXPORT_TEXT},
    {"status_label", "상태", EXPORT_TEXT},
    {"sent_at", "보낸 때", EXPORT_INSTANT},
    {"tries", "시도", EXPORT_INT},
    {"last_error", "마지막 오류", EXPORT_TEXT},
};
static const struct export_spec outbox_export = EXPORT_SPEC("outbox", "발송함", outbox_cols, true);

/* Every message of the filter, newest first, a thousand at a time, each chunk
 * seeking past the last id of the one before (messages queued meanwhile
 * neither repeat nor shift a row). */
static bz_rc export_outbox(struct request *rq, const char *status, struct export_writer *xw)
{
	const int chunk = 1000;
	int64_t before = 0;
	for (;;) {
		json_t *rows = NULL;
		bz_rc rc = outbox_list(rq->db, status, chunk, 0, before, &rows, NULL);
		if (rc != BZ_OK)
			return rc;
		rc = export_rows(xw, rows);
		size_t n = json_array_size(rows);
		if (n > 0)
			before =
			    json_integer_value(json_object_get(json_array_get(rows, n - 1), "id"));
		json_decref(rows);
		if (rc != BZ_OK || n < (size_t)chunk || before <= 1)
			return rc;
	}
}

void web_admin_outbox(struct request *rq, struct response *rs)
{
	const char *status = rq_query(rq, "status");
	if (status && strcmp(status, "pending") && strcmp(status, "sent") &&
	    strcmp(status, "failed"))
		status = "";
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &outbox_export, &xw)) {
		if (xw)
			web_export_end(rq, rs, xw, export_outbox(rq, status, xw));
		return;
	}
	int page, per;
	int64_t before;
	if (!id_keyset(rq, rs, &page, &per, &before))
		return;
	json_t *rows = NULL, *counts = NULL;
	int64_t total = 0;
	if (outbox_list(rq->db, status, per + 1, (page - 1) * per, before, &rows, &total) !=
	        BZ_OK ||
	    outbox_counts(rq->db, &counts) != BZ_OK) {
		json_decref(rows);
		web_error(rs, 500, "internal", "발송함을 읽지 못했습니다.");
		return;
	}
	add_kst(rows, "created_at", "created_kst");
	add_kst(rows, "sent_at", "sent_kst");
	const struct config *cfg = &rq->app->cfg;
	bool mail = jobs_mail_on(cfg), hook = jobs_webhook_on(cfg);
	json_t *filters = json_array();
	static const char *const st[][2] = {
	    {"", "전체"}, {"pending", "대기"}, {"sent", "보냄"}, {"failed", "실패"}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(st); i++)
		json_array_append_new(
		    filters, json_pack("{s:s, s:s, s:b}", "value", st[i][0], "label", st[i][1],
		                       "active", strcmp(status ? status : "", st[i][0]) == 0));
	json_t *m = json_pack(
	    "{s:o, s:o, s:I, s:s, s:o, s:{s:b, s:b, s:b, s:s, s:s, s:b}}", "messages", rows,
	    "counts", counts, "total", (json_int_t)total, "status", status ? status : "", "filters",
	    filters, "delivery", "mail", mail, "webhook", hook, "off", !mail && !hook, "smtp_host",
	    cfg->smtp_host, "webhook_url", cfg->webhook_url, "nts", jobs_nts_on(cfg));
	pager(rq, m, rows, page, total, per, before > 0);
	web_export_links(rq, m, &outbox_export);
	web_page(rs, "admin/outbox", "발송함", m);
}

void web_admin_outbox_retry(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	bz_rc rc = id > 0 ? outbox_retry(rq->db, rq->user.id, id) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 메시지가 없습니다.");
		return;
	}
	if (rc == BZ_ERR_CONFLICT) {
		web_error(rs, 409, "not_failed",
		          "실패한 메시지만 다시 보낼 수 있습니다. 이 메시지는 이미 대기 중이거나 "
		          "보냈습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "다시 보내기를 예약하지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "outbox_retry");
	web_redirect(rs, "/admin/outbox?status=pending");
	rs->model = json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending");
}

/* ---- 결과 통지: consent and templates ---- */

void web_company_contact_consent(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), cid = rq_param_id(rq, "cid");
	const char *e = rq_form(rq, "email"), *s = rq_form(rq, "sms");
	bool email = e && strcmp(e, "1") == 0, sms = s && strcmp(s, "1") == 0;
	bz_rc rc = id > 0 && cid > 0
	               ? result_notice_consent(rq->db, rq->user.id, id, cid, email, sms)
	               : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 담당자가 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "통지 동의를 기록하지 못했습니다.");
		return;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/companies/%lld#contacts", (long long)id);
	web_flash(rs, rq, "success", "consent_saved");
	web_redirect(rs, loc);
	rs->model =
	    json_pack("{s:I, s:b, s:b}", "contact", (json_int_t)cid, "email", email, "sms", sms);
}

static const char *const template_names[] = {"case_result", "sms_gateway"};

/* The page: templates [{name, label, subject, body, updated_kst, preview
 * {subject, body}, is_mail, errors}], sms_on. over: a template to show as
 * posted (name, subject, body, with its errors or preview), or NULL. */
static json_t *templates_model(struct request *rq, struct response *rs, const char *over_name,
                               const char *subject, const char *body, json_t *errors,
                               json_t *preview)
{
	json_t *list = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(template_names); i++) {
		json_t *t = NULL;
		if (result_notice_template(rq->db, template_names[i], &t) != BZ_OK) {
			json_decref(list);
			web_error(rs, 500, "internal", "통지 문안을 읽지 못했습니다.");
			return NULL;
		}
		bool mail = i == 0;
		json_object_set_new(t, "label",
		                    json_string(mail ? "결과 통지 메일 (기업 담당자에게)"
		                                     : "문자·알림톡 게이트웨이 JSON"));
		json_object_set_new(t, "is_mail", json_boolean(mail));
		char kst[32];
		fmt_instant_kst(json_string_value(json_object_get(t, "updated_at")), kst,
		                sizeof(kst));
		json_object_set_new(t, "updated_kst", json_string(kst));
		bool over = over_name && strcmp(over_name, template_names[i]) == 0;
		if (over) {
			json_object_set_new(t, "subject", json_string(subject ? subject : ""));
			json_object_set_new(t, "body", json_string(body ? body : ""));
			json_object_set(t, "errors", errors ? errors : json_object());
			if (preview)
				json_object_set(t, "preview", preview);
		} else {
			json_t *pv = NULL, *f = json_object();
			if (result_notice_preview(
			        template_names[i], json_string_value(json_object_get(t, "subject")),
			        json_string_value(json_object_get(t, "body")), &pv, f) == BZ_OK)
				json_object_set_new(t, "preview", pv);
			json_object_set_new(t, "errors", f);
		}
		json_array_append_new(list, t);
	}
	return json_pack("{s:o, s:b, s:b}", "templates", list, "sms_on", jobs_sms_on(&rq->app->cfg),
	                 "mail_on", jobs_mail_on(&rq->app->cfg));
}

void web_admin_templates(struct request *rq, struct response *rs)
{
	json_t *m = templates_model(rq, rs, NULL, NULL, NULL, NULL, NULL);
	if (m)
		web_page(rs, "admin/templates", "통지 문안", m);
}

void web_admin_template_save(struct request *rq, struct response *rs)
{
	const char *name = rq_param(rq, "name");
	bool known = false;
	for (size_t i = 0; i < BZ_ARRAY_LEN(template_names); i++)
		known = known || (name && strcmp(name, template_names[i]) == 0);
	if (!known) {
		web_error(rs, 404, "not_found", "그런 통지 문안이 없습니다.");
		return;
	}
	const char *subject = rq_form(rq, "subject"), *body = rq_form(rq, "body");
	const char *action = rq_form(rq, "action");
	bool save = action == NULL || strcmp(action, "preview") != 0;
	json_t *fields = json_object(), *preview = NULL;
	bz_rc rc =
	    save ? result_notice_template_save(rq->db, rq->user.id, name, subject, body, fields)
	         : result_notice_preview(name, subject, body, &preview, fields);
	if (rc == BZ_OK && save) {
		json_decref(fields);
		web_flash(rs, rq, "success", "template_saved");
		web_redirect(rs, "/admin/templates");
		return;
	}
	if (rc != BZ_OK && rc != BZ_ERR_INVALID) {
		json_decref(fields);
		web_error(rs, 500, "internal", "통지 문안을 저장하지 못했습니다.");
		return;
	}
	json_t *m = templates_model(rq, rs, name, subject, body, fields, preview);
	json_decref(preview);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	if (rc == BZ_OK) { /* a preview: 200 with the rendered text */
		json_decref(fields);
		web_page(rs, "admin/templates", "통지 문안", m);
		return;
	}
	web_invalid(rs, "admin/templates", "통지 문안", m, fields);
}
