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
/* A user's own sessions (/account/sessions) and an admin's view of anyone's
 * (/admin/users/{id}/sessions), each session revocable. */
void web_account_sessions(struct request *rq, struct response *rs);
void web_account_session_revoke(struct request *rq, struct response *rs);
void web_admin_user_sessions(struct request *rq, struct response *rs);
void web_admin_user_session_revoke(struct request *rq, struct response *rs);

/* The second factor (src/web/auth.c): the code step of a sign-in, and
 * /account/totp where admins and leaders turn it on and off. */
void web_login_totp_form(struct request *rq, struct response *rs);
void web_login_totp(struct request *rq, struct response *rs);
void web_account_totp(struct request *rq, struct response *rs);
void web_account_totp_begin(struct request *rq, struct response *rs);
void web_account_totp_enable(struct request *rq, struct response *rs);
void web_account_totp_disable(struct request *rq, struct response *rs);

#endif
