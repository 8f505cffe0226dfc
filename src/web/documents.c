/* Official documents (공문서): the draft page from a case (협조 요청, 결과
 * 통지문) or a company (창립기념일 축하서한문), issuing, the A4 print page of an
 * issued document (print CSS, no navigation), its DOCX, and the admins'
 * letterhead and template editor. */
#include "bizsos/app.h"
#include "bizsos/document.h"
#include "bizsos/docx.h"
#include "web_documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void request_of(struct request *rq, bool form, struct document_request *d)
{
	const char *(*get)(const struct request *, const char *) = form ? rq_form : rq_query;
	memset(d, 0, sizeof(*d));
	d->kind = get(rq, "kind");
	bool on_case = strncmp(rq->path, "/cases/", 7) == 0;
	if (on_case)
		d->case_id = rq_param_id(rq, "id");
	else
		d->company_id = rq_param_id(rq, "id");
	const char *dept = get(rq, "department_id");
	d->department_id = dept ? strtoll(dept, NULL, 10) : 0;
	d->recipient = get(rq, "recipient");
	if (d->kind == NULL)
		d->kind = on_case ? "result" : "anniversary";
}

/* Answers a refused draft or issue. */
static bool refused(struct response *rs, bz_rc rc, const char *msg)
{
	switch (rc) {
	case BZ_OK:
	case BZ_ERR_INVALID:
		return false;
	case BZ_ERR_NOTFOUND:
		web_error(rs, 404, "not_found", "그런 사건·기업이나 공문 종류가 없습니다.");
		return true;
	case BZ_ERR_FORBIDDEN:
		web_error(rs, 403, "forbidden", "이 공문을 발행할 권한이 없습니다.");
		return true;
	case BZ_ERR_CONFLICT:
		web_error(rs, 409, "conflict",
		          msg && *msg ? msg : "지금은 이 공문을 발행할 수 없습니다.");
		return true;
	default:
		web_error(rs, 500, "internal", "공문을 만들지 못했습니다.");
		return true;
	}
}

static void draft_page(struct request *rq, struct response *rs, bool from_form, json_t *fields,
                       int status)
{
	struct document_request d;
	request_of(rq, from_form, &d);
	json_t *doc = NULL;
	char msg[256] = "";
	json_t *f = fields ? fields : json_object();
	bz_rc rc = document_draft(rq->db, &rq->user, &d, &doc, f, msg, sizeof(msg));
	if (refused(rs, rc, msg)) {
		json_decref(f);
		return;
	}
	char action[96], back[96];
	if (d.case_id) {
		snprintf(action, sizeof(action), "/cases/%lld/documents", (long long)d.case_id);
		snprintf(back, sizeof(back), "/cases/%lld", (long long)d.case_id);
	} else {
		snprintf(action, sizeof(action), "/companies/%lld/documents",
		         (long long)d.company_id);
		snprintf(back, sizeof(back), "/activities/anniversaries");
	}
	json_t *m = json_pack("{s:o, s:s, s:s, s:b, s:O}", "doc", doc, "action", action, "back",
	                      back, "referral", strcmp(d.kind, "referral") == 0, "errors", f);
	char title[96];
	snprintf(title, sizeof(title), "%s 작성", document_kind_name(d.kind));
	if (status == 422 || json_object_size(f))
		web_invalid(rs, "documents/draft", title, m, f);
	else {
		json_decref(f);
		web_page(rs, "documents/draft", title, m);
	}
}

void web_document_new(struct request *rq, struct response *rs)
{
	draft_page(rq, rs, false, NULL, 200);
}

void web_document_issue(struct request *rq, struct response *rs)
{
	struct document_request d;
	request_of(rq, true, &d);
	json_t *fields = json_object();
	char msg[256] = "";
	int64_t id = 0;
	bz_rc rc = document_issue(rq->db, &rq->user, &d, fields, &id, msg, sizeof(msg));
	if (rc == BZ_ERR_INVALID) {
		draft_page(rq, rs, true, fields, 422);
		return;
	}
	json_decref(fields);
	if (refused(rs, rc, msg))
		return;
	char to[64];
	snprintf(to, sizeof(to), "/documents/%lld", (long long)id);
	web_redirect(rs, to);
}

static json_t *issued(struct request *rq, struct response *rs)
{
	json_t *doc = NULL;
	bz_rc rc = document_get(rq->db, &rq->user, rq_param_id(rq, "id"), &doc);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 공문이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "공문을 읽지 못했습니다.");
		return NULL;
	}
	return doc;
}

void web_document_show(struct request *rq, struct response *rs)
{
	json_t *doc = issued(rq, rs);
	if (doc == NULL)
		return;
	int64_t id = json_integer_value(json_object_get(doc, "id"));
	int64_t case_id = json_integer_value(json_object_get(doc, "case_id"));
	char docx[64], back[64];
	snprintf(docx, sizeof(docx), "/documents/%lld/docx", (long long)id);
	if (case_id)
		snprintf(back, sizeof(back), "/cases/%lld", (long long)case_id);
	else
		snprintf(back, sizeof(back), "/activities/anniversaries");
	char title[400];
	snprintf(title, sizeof(title), "%s %s",
	         json_string_value(json_object_get(doc, "kind_name")),
	         json_string_value(json_object_get(doc, "doc_no")));
	json_t *m = json_pack("{s:o, s:s, s:s}", "doc", doc, "docx", docx, "back", back);
	web_page(rs, "documents/print", title, m);
}

void web_document_docx(struct request *rq, struct response *rs)
{
	json_t *doc = issued(rq, rs);
	if (doc == NULL)
		return;
	int fd = -1;
	int64_t size = 0;
	bz_rc rc = docx_document(doc, rq->app->tmp_dir, &fd, &size);
	int64_t id = json_integer_value(json_object_get(doc, "id"));
	json_decref(doc);
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "DOCX 파일을 만들지 못했습니다.");
		return;
	}
	rs->status = 200;
	rs->fd = fd;
	rs->fd_size = size;
	bz_strlcpy(rs->content_type, DOCX_CONTENT_TYPE, sizeof(rs->content_type));
	char disp[128];
	snprintf(disp, sizeof(disp), "attachment; filename=\"document-%lld.docx\"", (long long)id);
	kv_add(&rs->headers, "Content-Disposition", disp, strlen(disp));
	kv_add(&rs->headers, "Cache-Control", "private, no-store", 17);
}

/* ---- the admins' editor -------------------------------------------------- */

static void admin_page(struct request *rq, struct response *rs, json_t *fields, const char *kind)
{
	json_t *lh = NULL, *tpls = NULL;
	if (document_letterhead(rq->db, &lh) != BZ_OK ||
	    document_templates(rq->db, &tpls) != BZ_OK) {
		json_decref(lh);
		json_decref(fields);
		web_error(rs, 500, "internal", "공문 서식을 읽지 못했습니다.");
		return;
	}
	size_t i;
	json_t *t;
	json_array_foreach(tpls, i, t)
	{
		const char *k = json_string_value(json_object_get(t, "kind"));
		if (fields && kind && strcmp(k, kind) == 0) {
			json_object_set(t, "errors", fields);
			static const char *const keys[] = {"title", "body", "attachments"};
			for (size_t j = 0; j < 3; j++) {
				const char *v = rq_form(rq, keys[j]);
				if (v)
					json_object_set_new(t, keys[j], json_string(v));
			}
		}
	}
	if (fields && kind && strcmp(kind, "letterhead") == 0) {
		json_object_set(lh, "errors", fields);
		const char *k;
		json_t *v;
		json_object_foreach(lh, k, v)
		{
			const char *fv = rq_form(rq, k);
			if (fv && strcmp(k, "version") != 0)
				json_object_set_new(lh, k, json_string(fv));
		}
	}
	json_t *m = json_pack("{s:o, s:o}", "letterhead", lh, "templates", tpls);
	if (fields)
		web_invalid(rs, "documents/admin", "공문 서식", m, fields);
	else
		web_page(rs, "documents/admin", "공문 서식", m);
}

void web_admin_documents(struct request *rq, struct response *rs)
{
	admin_page(rq, rs, NULL, NULL);
}

void web_admin_letterhead_save(struct request *rq, struct response *rs)
{
	json_t *form = json_object();
	for (size_t i = 0; i < rq->form.n; i++)
		json_object_set_new(form, rq->form.items[i].key,
		                    json_string(rq->form.items[i].value));
	json_t *fields = json_object();
	bz_rc rc = document_letterhead_save(rq->db, &rq->user, form, fields);
	json_decref(form);
	if (rc == BZ_ERR_INVALID) {
		admin_page(rq, rs, fields, "letterhead");
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_CONFLICT) {
		web_error(rs, 409, "conflict",
		          "다른 관리자가 먼저 고쳤습니다. 화면을 새로 읽고 다시 고쳐 주세요.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, rc == BZ_ERR_FORBIDDEN ? 403 : 500, "error",
		          "기관 정보를 저장하지 못했습니다.");
		return;
	}
	web_redirect(rs, "/admin/documents");
}

void web_admin_document_template_save(struct request *rq, struct response *rs)
{
	const char *kind = rq_param(rq, "kind");
	const char *vs = rq_form(rq, "version");
	json_t *fields = json_object();
	bz_rc rc = document_template_save(rq->db, &rq->user, kind, rq_form(rq, "title"),
	                                  rq_form(rq, "body"), rq_form(rq, "attachments"),
	                                  vs ? strtoll(vs, NULL, 10) : 0, fields);
	if (rc == BZ_ERR_INVALID) {
		admin_page(rq, rs, fields, kind);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 공문 종류가 없습니다.");
		return;
	}
	if (rc == BZ_ERR_CONFLICT) {
		web_error(rs, 409, "conflict",
		          "다른 관리자가 먼저 고쳤습니다. 화면을 새로 읽고 다시 고쳐 주세요.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, rc == BZ_ERR_FORBIDDEN ? 403 : 500, "error",
		          "서식을 저장하지 못했습니다.");
		return;
	}
	web_redirect(rs, "/admin/documents");
}
