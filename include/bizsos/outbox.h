/* The durable outbox: messages written in the same transaction as the change
 * that caused them, delivered by the background worker (src/jobs/worker.c),
 * retried with exponential backoff and jitter, parked as failed after the
 * configured number of tries. Each message has a stable key (Message-ID,
 * Idempotency-Key): delivery is at least once, and receivers drop repeats. */
#ifndef BIZSOS_OUTBOX_H
#define BIZSOS_OUTBOX_H

#include "bizsos/store.h"
#include <jansson.h>

#define OUTBOX_KEY_SIZE 40 /* 32 hex characters and the NUL */

/* A new random message key (32 hex characters). */
void outbox_new_key(char key[OUTBOX_KEY_SIZE]);
/* Adds a pending message inside the caller's transaction. channel "email"
 * (target an address, subject and body plain UTF-8 text) or "webhook" (target
 * the webhook's name, body JSON text). case_id 0: none. key: from
 * outbox_new_key when the body must name it, or NULL for a fresh one. */
bz_rc outbox_add(struct db *db, const char *channel, const char *target, const char *kind,
                 const char *subject, const char *body, int64_t case_id, const char *key);

/* One message to deliver; strings owned (outbox_msg_free). */
struct outbox_msg {
	int64_t id;
	char key[OUTBOX_KEY_SIZE];
	char channel[16];
	char kind[32];
	int tries;
	char *target;
	char *subject;
	char *body;
	char created_at[24];
};
void outbox_msg_free(struct outbox_msg *m);

/* Up to max pending messages due at now_ms (unix milliseconds), oldest first,
 * of the given channels (a message of a channel not listed stays pending).
 * *n how many were filled. */
bz_rc outbox_due(struct db *db, int64_t now_ms, bool email, bool webhook, struct outbox_msg *out,
                 size_t max, size_t *n);
/* Delivered: status sent. */
bz_rc outbox_mark_sent(struct db *db, int64_t id);
/* A try failed with err: counted; parked as failed when tries reach
 * max_tries, else due again at next_ms. */
bz_rc outbox_mark_retry(struct db *db, int64_t id, const char *err, int max_tries, int64_t next_ms);
/* The delay before try number `tries`+1: base_ms * 2^(tries-1), at most an
 * hour, with up to ±25 % random jitter. */
int64_t outbox_backoff_ms(int base_ms, int tries);

/* The outbox for the admin page, newest (highest id) first, one page: rows
 * [{id, key, channel, channel_label, target, kind, subject, status,
 * status_label, tries, last_error, created_at, sent_at, case_id}], *total (of
 * the whole filter; NULL: not counted); status "" or NULL: all. before_id > 0: the id of the last
 * message already shown — the page starts right after it (offset ignored). */
bz_rc outbox_list(struct db *db, const char *status, int limit, int offset, int64_t before_id,
                  json_t **rows, int64_t *total);
/* {pending, sent, failed} counts. */
bz_rc outbox_counts(struct db *db, json_t **out);
/* Puts a failed message back in the queue (tries from zero). BZ_ERR_NOTFOUND,
 * BZ_ERR_CONFLICT if it is not failed. Audited as outbox.retry. */
bz_rc outbox_retry(struct db *db, int64_t actor_id, int64_t id);

#endif
