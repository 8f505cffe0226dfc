/* Official documents (src/web/documents.c). */
#ifndef BIZSOS_WEB_DOCUMENTS_H
#define BIZSOS_WEB_DOCUMENTS_H

#include "bizsos/web.h"

/* GET /cases/{id}/documents/new?kind=referral|result[&department_id=&recipient=]
 * and /companies/{id}/documents/new?kind=anniversary: the draft with the form. */
void web_document_new(struct request *rq, struct response *rs);
/* POST /cases/{id}/documents, /companies/{id}/documents (kind, department_id,
 * recipient): issues it; 303 to its print page. */
void web_document_issue(struct request *rq, struct response *rs);
/* GET /documents/{id}: the A4 print page (no navigation). */
void web_document_show(struct request *rq, struct response *rs);
/* GET /documents/{id}/docx: the same as an editable DOCX. */
void web_document_docx(struct request *rq, struct response *rs);
/* GET /admin/documents; POST /admin/documents/letterhead and
 * /admin/documents/{kind}: the letterhead and the three templates. */
void web_admin_documents(struct request *rq, struct response *rs);
void web_admin_letterhead_save(struct request *rq, struct response *rs);
void web_admin_document_template_save(struct request *rq, struct response *rs);

#endif
