/* Handlers of notices, notice settings and the admin's outbox (src/web/notify.c). */
#ifndef BIZSOS_WEB_NOTIFY_H
#define BIZSOS_WEB_NOTIFY_H

#include "bizsos/web.h"

/* GET /notifications[?unread=1&page=N]: the user's notices, newest first. */
void web_notifications(struct request *rq, struct response *rs);
/* GET /notifications/{id}: marks it read and goes (303) to what it is about. */
void web_notification_open(struct request *rq, struct response *rs);
/* POST /notifications/read-all */
void web_notifications_read_all(struct request *rq, struct response *rs);
/* GET, POST /notifications/settings: mail address and a mode per kind. */
void web_notify_settings(struct request *rq, struct response *rs);
void web_notify_settings_save(struct request *rq, struct response *rs);
/* GET /admin/outbox[?status=pending|sent|failed&page=N]; POST /admin/outbox/{id}/retry */
void web_admin_outbox(struct request *rq, struct response *rs);
void web_admin_outbox_retry(struct request *rq, struct response *rs);

/* POST /companies/{id}/contacts/{cid}/consent: email=1, sms=1 (checkboxes). */
void web_company_contact_consent(struct request *rq, struct response *rs);
/* GET /admin/templates: the result notice and the SMS gateway's JSON, with a
 * preview of each; POST /admin/templates/{name}: action=preview or save. */
void web_admin_templates(struct request *rq, struct response *rs);
void web_admin_template_save(struct request *rq, struct response *rs);

#endif
