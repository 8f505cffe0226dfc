/* The companies' own door (issue 10): a grievance filed online without
 * sign-in becomes an SOS case (channel online, status received), the company
 * follows it by a random receipt number together with its BRN, and the mail
 * owed to the company (the receipt) waits in public_mail until an outbox
 * delivers it. Knows nothing of HTTP.
 *
 * Outcomes: BZ_OK; BZ_ERR_INVALID with Korean messages in fields (field name
 * -> message); BZ_ERR_NOTFOUND; BZ_ERR_DB / BZ_ERR_NOMEM (logged). */
#ifndef BIZSOS_ONLINE_REQUEST_H
#define BIZSOS_ONLINE_REQUEST_H

#include "bizsos/sos_case.h"

#define RECEIPT_NO_SIZE       15 /* "7K3M-9QXA-2HCD" + NUL */
#define ONLINE_NONCE_SIZE     33 /* 32 hex digits + NUL */
#define ONLINE_MAX_FILES      5
#define ONLINE_FILE_MAX_BYTES ((int64_t)10 * 1024 * 1024)
#define ONLINE_CONTACT_CHARS  50
#define ONLINE_PHONE_BYTES    30
#define ONLINE_EMAIL_BYTES    254
#define ONLINE_PRIVACY_NOTICE "2026-1" /* the version of the notice agreed to */

/* The privacy notice (개인정보 수집·이용 동의) as the form shows it:
 * {version, items: [{label, text}]}: what is collected, why, who sees it and
 * how long it is kept. New reference. */
json_t *online_privacy_notice(void);

struct online_request_input {
	const char *brn;
	const char *company_name;
	const char *contact_name;
	const char *phone;
	const char *email; /* optional */
	const char *category_id;
	const char *title;
	const char *description;
	const char *request; /* the help wanted */
	bool privacy_consent;
	bool contact_consent; /* may be contacted by email / SMS */
	const char *nonce;    /* ONLINE_NONCE_SIZE-1 hex digits from the form */
	const char *remote;   /* the peer address, kept with the request */
};

/* A file already stored under data_dir (see web_attachment_save). */
struct online_file {
	char filename[256];
	char content_type[64];
	int64_t size;
	char sha256[65];
	char stored_path[512];
};

/* Checks the input without writing: fields gets a message per bad field (brn
 * with the check digit, privacy_consent, ...). BZ_OK or BZ_ERR_INVALID. */
bz_rc online_request_check(struct db *db, const struct online_request_input *in, json_t *fields);

/* Files the request in one transaction: the company by BRN (or a new one
 * marked 미확인), the case (channel online, status received, due by the
 * category's working days), the files, the receipt number, and the receipt
 * mail when an email was given. A form sent twice (same nonce and BRN) gives
 * back the first receipt with *replayed set and writes nothing. receipt:
 * RECEIPT_NO_SIZE; *case_id (if not NULL) the case. */
bz_rc online_request_submit(struct db *db, const struct online_request_input *in,
                            const struct online_file *files, size_t nfiles, json_t *fields,
                            char *receipt, int64_t *case_id, bool *replayed);

/* What the company may see of its request, found by receipt number and BRN
 * (both as typed): {receipt_no, company_name, title, category, status,
 * status_label, received_on, due_on, done, outcome_label, outcome_reason,
 * closed_on, transfer_to, transfer_on, merged, answers: [{at, at_text, body}]}
 * — the shared notes only; never internal notes, staff, departments or their
 * answers. An unknown receipt and a receipt with another BRN are both
 * BZ_ERR_NOTFOUND, after the same work. */
bz_rc online_request_status(struct db *db, const char *receipt, const char *brn, json_t **out);

/* The receipt page of a request just filed: {receipt_no, company_name,
 * title, category, received_at_text, due_on, email_queued, files: [name]}. */
bz_rc online_request_receipt(struct db *db, const char *receipt, json_t **out);

/* For the case page of staff, leaders, executives and admins: the online
 * request behind case id ({receipt_no, contact_name, phone, email,
 * contact_consent, privacy_consent_at_text, company_unconfirmed,
 * company_id, mails: [{kind_label, to_addr, created_text, sent}]}), *out
 * NULL if the case was not filed online. Department users get NULL. Showing
 * the contact writes a privacy_access row (user, company, remote). */
bz_rc online_request_for_case(struct db *db, const struct user *actor, int64_t case_id,
                              const char *remote, json_t **out);

/* Online requests still waiting for someone (status received, unassigned,
 * not merged), oldest first, for the leader's home: [{case_id, case_no,
 * company, title, received_text, unconfirmed}]. */
bz_rc online_request_waiting(struct db *db, json_t **out);

/* Staff confirm a 미확인 company against the register: unconfirmed -> 0, a
 * company_event (update unconfirmed 1 -> 0). BZ_ERR_FORBIDDEN for roles that
 * may not edit companies, BZ_ERR_NOTFOUND, BZ_ERR_CONFLICT if already
 * confirmed. */
bz_rc online_company_confirm(struct db *db, const struct user *actor, int64_t company_id);

/* Queues a mail to a company (kind receipt | survey) inside the caller's
 * transaction. */
bz_rc online_mail_queue(struct db *db, const char *kind, int64_t case_id, int64_t company_id,
                        const char *to, const char *subject, const char *body);

/* Pure helpers (unit-tested). */
/* A fresh random receipt number "XXXX-XXXX-XXXX" (32 letters and digits
 * without 0, 1, I, O: 60 random bits). */
void online_receipt_new(char out[RECEIPT_NO_SIZE]);
/* Normalises a typed receipt (case, blanks and dashes ignored) into out;
 * false if it cannot be one. */
bool online_receipt_normalize(const char *in, char out[RECEIPT_NO_SIZE]);
/* A phone number as people type it: digits with -, spaces, parentheses or a
 * leading +, 8 to 15 digits. */
bool online_phone_ok(const char *s);
/* An email address of a plausible shape (one @, a dot in the domain, no
 * blanks or quotes), at most ONLINE_EMAIL_BYTES. */
bool online_email_ok(const char *s);

#endif
