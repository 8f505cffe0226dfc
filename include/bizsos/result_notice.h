/* Telling the company the result (결과 통지): a contact's consent to be told
 * by mail or text message, the admin-edited message templates (Mustache, with
 * a preview), and completing a case with the notice sent: the case records
 * the method (이메일 or 문자) and the day, and the message goes into the
 * outbox, all in one transaction. Text messages go to the SMS/알림톡 gateway
 * through the webhook channel (target "sms"), the body made from the
 * gateway's JSON template. */
#ifndef BIZSOS_RESULT_NOTICE_H
#define BIZSOS_RESULT_NOTICE_H

#include "bizsos/sos_case.h"

/* Process-wide, set once before threads start: whether an SMS gateway is
 * configured, and the sender number it is given. */
void result_notice_configure(bool sms_on, const char *sms_sender);

/* Records a contact's consent (mail, text message) to be told results.
 * BZ_ERR_NOTFOUND if the contact is not the company's (or retired).
 * Audited as contact.consent. */
bz_rc result_notice_consent(struct db *db, int64_t actor_id, int64_t company_id, int64_t contact_id,
                            bool email, bool sms);
/* Consent flags of each contact in the array (objects with "id"): adds
 * consent_email, consent_sms (bools). */
bz_rc result_notice_decorate_contacts(struct db *db, json_t *contacts);
/* How the result of case id can be sent: [{value "email:<contact>" or
 * "sms:<contact>", label (the address masked)}] for the company's contacts
 * who consented and have the address (text messages only when a gateway is
 * configured). */
bz_rc result_notice_options(struct db *db, int64_t case_id, json_t **out);

/* A template: {name, subject, body, updated_at}. BZ_ERR_NOTFOUND for an
 * unknown name ("case_result", "sms_gateway"). */
bz_rc result_notice_template(struct db *db, const char *name, json_t **out);
/* Renders subject and body with example data: {subject, body} (plain text;
 * for sms_gateway, body is the JSON to be sent). BZ_ERR_INVALID with
 * fields.subject / fields.body when a template does not compile, or the
 * gateway's does not make valid JSON. */
bz_rc result_notice_preview(const char *name, const char *subject, const char *body, json_t **out,
                            json_t *fields);
/* Saves a template after the preview's checks. Audited as template.save. */
bz_rc result_notice_template_save(struct db *db, int64_t actor_id, const char *name,
                                  const char *subject, const char *body, json_t *fields);

/* Completes case id (case_set_status with in->to "done") and sends the
 * result by `how` ("email:<contact id>" or "sms:<contact id>"): the case
 * records notified_method email|sms and today. The contact must be the
 * case's company's, have consented and have the address (fields.result_contact
 * otherwise), and the case must have no notice recorded yet. Everything or
 * nothing: a refusal of the completion writes no message. */
bz_rc result_notice_complete(struct db *db, const struct user *actor, int64_t id, int64_t version,
                             const struct case_status_input *in, const char *how, json_t *fields,
                             char *msg, size_t msglen);

#endif
