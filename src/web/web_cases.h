/* Handlers of the SOS case pages (src/web/cases.c, case_list.c, case_actions.c,
 * case_attach.c, case_categories.c): list, overdue list, new
 * case form with the repeat-grievance panel, the case page and its actions,
 * attachment download, and the admin category table. Every one answers JSON
 * under /api/v1/ with the same model. */
#ifndef BIZSOS_WEB_CASES_H
#define BIZSOS_WEB_CASES_H

#include "bizsos/web.h"

void web_cases_list(struct request *rq, struct response *rs);
void web_cases_overdue(struct request *rq, struct response *rs);
void web_case_new(struct request *rq, struct response *rs);
void web_case_create(struct request *rq, struct response *rs);
void web_case_show(struct request *rq, struct response *rs);
void web_case_status(struct request *rq, struct response *rs);
void web_case_triage(struct request *rq, struct response *rs);
void web_case_assign(struct request *rq, struct response *rs);
void web_case_refer(struct request *rq, struct response *rs);
void web_case_referral_answer(struct request *rq, struct response *rs);
void web_case_referral_resend(struct request *rq, struct response *rs);
void web_case_extend(struct request *rq, struct response *rs);
void web_case_notify(struct request *rq, struct response *rs);
void web_case_note(struct request *rq, struct response *rs);
void web_case_attach(struct request *rq, struct response *rs);
void web_case_attachment(struct request *rq, struct response *rs);
void web_case_merge(struct request *rq, struct response *rs);
void web_case_referral_owner(struct request *rq, struct response *rs);
void web_case_transfer_answer(struct request *rq, struct response *rs);
/* src/web/case_edit.c: the case's own fields (staff and leaders). */
void web_case_edit(struct request *rq, struct response *rs);
void web_case_update(struct request *rq, struct response *rs);
void web_case_categories(struct request *rq, struct response *rs);
void web_case_category_save(struct request *rq, struct response *rs);

#endif
