/* Accounts beyond sign-in: a user's sessions (device, address, last use),
 * revoked by the user or an admin; accounts unused for 90 days. */
#ifndef BIZSOS_ACCOUNT_H
#define BIZSOS_ACCOUNT_H

#include "bizsos/store.h"
#include <jansson.h>

#define ACCOUNT_UNUSED_DAYS 90

/* Records the device (User-Agent, cut to 300 bytes) and address of the
 * session whose cookie value is token. BZ_OK also when there is none. */
bz_rc account_session_describe(struct db *db, const char *token, const char *user_agent,
                               const char *address);

/* "Android · Chrome", "Windows · Edge", "iPhone · Safari", … or "알 수 없는 기기". */
void account_device_name(const char *user_agent, char *out, size_t outlen);

/* The user's open sessions, last used first: [{id (16 hex), device, address,
 * last_seen_kst, created_kst, current}] — current when it is the session of
 * the cookie value current_token (may be NULL). Caller owns *out. */
bz_rc account_sessions(struct db *db, int64_t user_id, const char *current_token, json_t **out);

/* Ends the session id (16 hex, from account_sessions) of user_id, with an
 * audit row by actor_id. BZ_ERR_NOTFOUND if that user has no such session. */
bz_rc account_session_revoke(struct db *db, int64_t actor_id, int64_t user_id, const char *id);

/* Every user's last use (sign-in, session activity or API token) as
 * {"<user id>": {last_use_kst, unused}}: unused when an enabled account was
 * not used for ACCOUNT_UNUSED_DAYS days (counted from its creation if never). */
bz_rc account_last_use(struct db *db, json_t **out);

#endif
