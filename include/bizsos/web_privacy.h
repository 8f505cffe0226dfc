/* Handlers for the access log, its monthly review, rights changes, backups
 * and health (src/web/admin_privacy.c). */
#ifndef BIZSOS_WEB_PRIVACY_H
#define BIZSOS_WEB_PRIVACY_H

#include "bizsos/web.h"

/* /healthz?deep=1: "ok"/"degraded" (503) for anyone; the details as JSON for
 * a signed-in admin. */
void web_healthz_deep(struct request *rq, struct response *rs);
void web_admin_privacy(struct request *rq, struct response *rs);
void web_admin_privacy_review(struct request *rq, struct response *rs);
void web_admin_privacy_review_mark(struct request *rq, struct response *rs);
void web_admin_rights(struct request *rq, struct response *rs);
void web_admin_operations(struct request *rq, struct response *rs);
void web_admin_backup_now(struct request *rq, struct response *rs);

#endif
