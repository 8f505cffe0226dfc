/* The background worker: its own thread and database connection, started and
 * stopped with the daemon; no request ever waits on it. It delivers the
 * outbox (mail over SMTP/SMTPS, webhooks), runs the daily deadline notices
 * and digests, and asks the tax office's service for company statuses. */
#ifndef BIZSOS_JOBS_H
#define BIZSOS_JOBS_H

#include "bizsos/buf.h"
#include "bizsos/config.h"

struct jobs;

/* How the worker turns the link facts of a stored message into URLs under
 * base just before it sends it: web_links_message (src/web/links.c, the one
 * table of page addresses), handed over by main so that src/jobs does not
 * depend on src/web. *out NULL: nothing to change. */
typedef bz_rc (*jobs_links_fn)(const char *body, bool json, const char *base, char **out);

/* Starts the worker over cfg (copied), resolving links with links.
 * BZ_ERR_INVALID with a message in err for settings that cannot work (a
 * webhook without a secret, mail without a sender). */
bz_rc jobs_start(const struct config *cfg, jobs_links_fn links, struct jobs **out, char *err,
                 size_t errlen);
/* Stops the worker (finishing the message in hand, bounded by its timeout)
 * and frees it. NULL is fine. */
void jobs_stop(struct jobs *j);

/* Is mail / the webhook / the status service configured? */
bool jobs_mail_on(const struct config *cfg);
bool jobs_webhook_on(const struct config *cfg);
/* How many webhook URLs are configured, and the n-th (1-based) into out;
 * false if there is no such one. */
int jobs_webhook_count(const struct config *cfg);
bool jobs_webhook_url(const struct config *cfg, int n, char *out, size_t outlen);
bool jobs_sms_on(const struct config *cfg);
bool jobs_nts_on(const struct config *cfg);

/* ---- the pieces, public for the tests ---- */

/* A whole RFC 5322 message: Date (from unix time t), From (display name
 * 기업SOS), To, Subject as RFC 2047 encoded words (base64 UTF-8, each at most
 * 75 characters, split on character boundaries), Message-ID <key@domain of
 * from>, MIME-Version, text/plain; charset=UTF-8, base64 body in 76-column
 * lines with CRLF line ends. Appends to out. */
void mail_compose(struct buf *out, const char *from, const char *to, const char *subject,
                  const char *body, const char *key, int64_t t);
/* Sends one message with libcurl. BZ_OK, or an error with a short English
 * description in err. */
bz_rc mail_send(const struct config *cfg, const char *to, const char *message, char *err,
                size_t errlen);

/* The signature header value of a webhook body: "sha256=" + hex
 * HMAC-SHA256(secret, body). out: at least 72 bytes. */
void webhook_signature(const char *secret, const char *body, size_t len, char *out, size_t outlen);
/* POSTs body to the webhook named target ("1", "2", …: the n-th URL of
 * webhook_url, "default" the first; "sms": the SMS/알림톡 gateway, sms_url) with the signature
 * (that target's secret), Idempotency-Key: key and X-Bizsos-Event: event; any 2xx is delivered. */
bz_rc webhook_send(const struct config *cfg, const char *target, const char *key, const char *event,
                   const char *body, char *err, size_t errlen);

/* One status call for up to 100 companies: POST {endpoint}?serviceKey={key}
 * {"b_no": [...]}, then stores each answer (bizstatus_store) or the failure. */
struct db;
bz_rc nts_check_pending(struct db *db, const struct config *cfg, int64_t now_ms);

#endif
