/* The optional second factor for admins and leaders: TOTP (RFC 6238) with
 * HMAC-SHA-256 from libsodium, 6 digits, 30-second steps, one step of clock
 * drift either way, each code accepted once; ten single-use recovery codes. */
#ifndef BIZSOS_TOTP_H
#define BIZSOS_TOTP_H

#include "bizsos/store.h"
#include <jansson.h>

#define TOTP_STEP         30
#define TOTP_SECRET_BYTES 20
#define TOTP_RECOVERY_N   10

/* The RFC 6238 code (HMAC-SHA-256, `digits` digits) of key at time step. */
uint32_t totp_code(const unsigned char *key, size_t keylen, uint64_t step, int digits);
/* RFC 4648 base32 of bin, without padding, into out (NUL-terminated). */
void totp_base32(const unsigned char *bin, size_t n, char *out, size_t outlen);

/* Is TOTP on for the user? */
bool totp_enabled(struct db *db, int64_t user_id);
/* Starts (or restarts) enrolment: a new secret, not yet on. out: {secret
 * (base32, for typing into the app), uri (otpauth://totp/…)}. */
bz_rc totp_begin(struct db *db, int64_t user_id, const char *login, json_t **out);
/* The secret being enrolled as {secret, uri}, or *out NULL if none. */
bz_rc totp_pending(struct db *db, int64_t user_id, const char *login, json_t **out);
/* Confirms enrolment with a code from the app: turns TOTP on and returns ten
 * recovery codes (shown once; only their hashes are kept) in *codes.
 * BZ_ERR_INVALID for a wrong code or no enrolment under way. Audited. */
bz_rc totp_enable(struct db *db, int64_t user_id, const char *code, json_t **codes);
/* Turns TOTP off after a valid code (or recovery code). BZ_ERR_INVALID if
 * wrong. Audited. */
bz_rc totp_disable(struct db *db, int64_t user_id, const char *code);
/* Checks a code (6 digits) or a recovery code (xxxx-xxxx) for a sign-in;
 * a TOTP step or a recovery code works once. BZ_OK or BZ_ERR_INVALID. */
bz_rc totp_check(struct db *db, int64_t user_id, const char *code);

/* The pending second step of a sign-in: its cookie value (64 hex) into token
 * (65 bytes), valid five minutes. */
bz_rc totp_pending_login(struct db *db, int64_t user_id, const char *next, char token[65]);
/* Looks the pending sign-in up: user id and next page (next: 512 bytes).
 * BZ_ERR_NOTFOUND if unknown, expired or tried five times (then removed). */
bz_rc totp_pending_get(struct db *db, const char *token, int64_t *user_id, char *next,
                       size_t nextlen);
/* Counts a failed try; removes the pending sign-in after the fifth. */
void totp_pending_fail(struct db *db, const char *token);
/* Removes the pending sign-in (it succeeded). */
void totp_pending_done(struct db *db, const char *token);

#endif
