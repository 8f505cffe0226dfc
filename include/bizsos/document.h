/* Official documents (공문서): the letterhead, one admin-editable Mustache
 * template per kind — 협조 요청 (referral: a case to a department or agency),
 * 결과 통지문 (result: a completed case to its company), 창립기념일 축하서한문
 * (anniversary: to a company) — drafts, and issued documents, whose text is
 * frozen at issue. Issuing is recorded on the case; a result letter also
 * records the company as notified (서면, on the issue date). Knows nothing of
 * HTTP. Document text (title, body) is the renderer's output: escaped for
 * HTML, and therefore also valid XML character data. */
#ifndef BIZSOS_DOCUMENT_H
#define BIZSOS_DOCUMENT_H

#include "bizsos/user.h"
#include <jansson.h>

#define DOCUMENT_RECIPIENT_CHARS 200

/* The kind's Korean name ("협조 요청", …), NULL for an unknown kind. */
const char *document_kind_name(const char *kind);

/* {org_name, sender, department, address, phone, fax, email, homepage, version}. */
bz_rc document_letterhead(struct db *db, json_t **out);
/* Saves the letterhead from form values (keys as above, all strings).
 * BZ_ERR_FORBIDDEN unless admin; BZ_ERR_INVALID with fields; BZ_ERR_CONFLICT
 * for a stale version. Audited. */
bz_rc document_letterhead_save(struct db *db, const struct user *actor, const json_t *form,
                               json_t *fields);

/* [{kind, name, title, body, attachments, version}] in kind order. */
bz_rc document_templates(struct db *db, json_t **out);
/* Saves one kind's template. The title and body must compile as Mustache
 * and may hold no < > & and no {{{ (the text is put into HTML and XML as it
 * renders). BZ_ERR_FORBIDDEN unless admin; BZ_ERR_INVALID with fields
 * (title, body, attachments); BZ_ERR_NOTFOUND for an unknown kind;
 * BZ_ERR_CONFLICT for a stale version. Audited. */
bz_rc document_template_save(struct db *db, const struct user *actor, const char *kind,
                             const char *title, const char *body, const char *attachments,
                             int64_t version, json_t *fields);

/* What a document is about: a case (referral, result) and, for a referral,
 * the department; a company (anniversary). recipient NULL or "": the kind's
 * default (부서장 / 대표 귀하). */
struct document_request {
	const char *kind;
	int64_t case_id;
	int64_t company_id;
	int64_t department_id;
	const char *recipient;
};

/* The document as it would be issued now, not numbered: {kind, kind_name,
 * recipient, title, body, attachments, issued_on, issued_on_text, doc_no
 * (null), staff_name, letterhead {...}, case_id, company_id, company_name,
 * departments [{id, name, selected}] (referral)}. BZ_ERR_NOTFOUND (case or
 * company not there or not visible), BZ_ERR_CONFLICT with msg when the kind
 * does not fit (a result letter for a case not completed, an anniversary
 * letter without a founding date), BZ_ERR_FORBIDDEN, BZ_ERR_INVALID with
 * fields (department_id, recipient). */
bz_rc document_draft(struct db *db, const struct user *actor, const struct document_request *rq,
                     json_t **out, json_t *fields, char *msg, size_t msglen);

/* Issues the draft: numbers it (시행번호, per year), stores its text, adds a
 * "document" event to the case, and for a result letter records the company
 * as notified by letter on the issue date — all in one transaction. Outcomes
 * as document_draft; *id_out the new document. */
bz_rc document_issue(struct db *db, const struct user *actor, const struct document_request *rq,
                     json_t *fields, int64_t *id_out, char *msg, size_t msglen);

/* An issued document as stored, shaped like a draft (doc_no set, letterhead
 * as issued). NOTFOUND if absent, or its case is not visible to actor. */
bz_rc document_get(struct db *db, const struct user *actor, int64_t id, json_t **out);

/* The documents issued about a case, newest first: [{id, kind, kind_name,
 * doc_no, issued_on, recipient, title}]. */
bz_rc document_list_for_case(struct db *db, int64_t case_id, json_t **out);

#endif
