/* Users, roles, passwords, sessions, API tokens, sign-in lockout, audit. */
#ifndef BIZSOS_USER_H
#define BIZSOS_USER_H

#include "bizsos/common.h"
#include <time.h>

struct db;     /* bizsos/store.h */
struct json_t; /* jansson.h */

enum role {
	ROLE_STAFF = 1 << 0,      /* 주무관 */
	ROLE_LEADER = 1 << 1,     /* 팀장 */
	ROLE_EXECUTIVE = 1 << 2,  /* 과장 이상 */
	ROLE_DEPARTMENT = 1 << 3, /* 유관부서 담당자 */
	ROLE_ADMIN = 1 << 4,      /* 관리자 */
};
#define ROLE_ANY_USER (ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE | ROLE_DEPARTMENT | ROLE_ADMIN)

/* "staff" -> ROLE_STAFF ...; 0 if unknown. */
int role_from_name(const char *name);
const char *role_name(int role);     /* "staff" */
const char *role_label_ko(int role); /* "주무관" */

#define USER_LOGIN_MAX  64 /* 63 ASCII characters and the NUL */
#define USER_NAME_CHARS 100
#define USER_NAME_MAX   (USER_NAME_CHARS * 4 + 1) /* 100 code points of UTF-8 and the NUL */
#define PASSWORD_MAX    128                       /* bytes */

struct user {
	int64_t id;
	char login[USER_LOGIN_MAX];
	char name[USER_NAME_MAX];
	int role;
	int64_t department_id; /* 0 when none */
	char department[USER_NAME_MAX];
	bool disabled;
	bool must_change_password; /* an administrator set it: change before anything else */
};

/* Initialises libsodium (idempotent, thread-safe). Every function below calls
 * it as needed; main may call it once at start to fail early. */
bz_rc bz_crypto_init(void);

/* Password rule: at least 10 characters of 2 kinds, or 8 of 3 kinds (kinds:
 * lower, upper, digit, other; characters are UTF-8 code points, so a Korean
 * syllable is one "other" character); at most PASSWORD_MAX bytes; no control
 * characters. Returns NULL if fine, else a static Korean message. */
const char *password_check_rule(const char *pw);
/* True for a password on the committed common-password list, or a listed word
 * followed only by digits and symbols ("Password1", "admin123!"). The rule
 * above refuses these too. */
bool password_is_common(const char *pw);
/* argon2id (libsodium, interactive limits). out must hold crypto_pwhash_STRBYTES.
 * Tests only: the environment variable BIZSOS_TEST_FAST_HASH=1 switches to the
 * minimum limits (a warning is logged once); such hashes are upgraded to the
 * interactive limits at the next successful sign-in without the variable. */
bz_rc password_hash(const char *pw, char *out, size_t outlen);
bool password_verify(const char *hash, const char *pw);
/* True if hash was made with other limits than password_hash would use now. */
bool password_needs_rehash(const char *hash);

/* Login: letters, digits, . _ -; 3..63 chars. */
bool user_login_valid(const char *login);
/* A name or label: valid UTF-8, 1..max_chars code points, no control
 * characters, not only spaces. */
bool user_text_valid(const char *s, size_t max_chars);

/* Adds a user; added by an administrator (actor_id not 0) the user must change
 * the password at the first sign-in. department may be NULL or "" (none); it is created if it does
 * not exist; the department role requires one. actor_id 0 means the command line. BZ_ERR_CONSTRAINT
 * if the login is taken, BZ_ERR_INVALID for a bad field; both with a Korean message in msg (msg may
 * be NULL). Audited. */
bz_rc user_add(struct db *db, int64_t actor_id, const char *login, const char *name, int role,
               const char *department, const char *password, int64_t *id_out, char *msg,
               size_t msglen);
/* Sets a new password (checked against the rule: BZ_ERR_INVALID with msg), clears
 * a lockout, ends every session and revokes every API token of that user: a
 * handler changing the signed-in user's own password creates a fresh session
 * afterwards. Set by anyone but the user (actor_id not 0 and not the user), the
 * user must change it at the next sign-in (must_change_password).
 * BZ_ERR_NOTFOUND for an unknown login. Audited. */
bz_rc user_set_password(struct db *db, int64_t actor_id, const char *login, const char *password,
                        char *msg, size_t msglen);
/* Disables (ending the user's sessions and revoking their API tokens, which
 * re-enabling does not revive) or enables.
 * No change and no audit row if already in that state. BZ_ERR_NOTFOUND for an
 * unknown login; BZ_ERR_CONFLICT when it would leave no enabled admin. Audited. */
bz_rc user_set_disabled(struct db *db, int64_t actor_id, const char *login, bool disabled);
/* Changes the role. department NULL keeps the current one, "" clears it, a name
 * is found or created. BZ_ERR_INVALID for a bad role or a department user
 * without a department; BZ_ERR_NOTFOUND for an unknown login; BZ_ERR_CONFLICT
 * when it would leave no enabled admin. Audited. */
bz_rc user_set_role(struct db *db, int64_t actor_id, const char *login, int role,
                    const char *department);
/* Fill *out; BZ_ERR_NOTFOUND if there is no such user (disabled users are found,
 * with out->disabled set). Logins compare case-insensitively. */
bz_rc user_by_id(struct db *db, int64_t id, struct user *out);
/* The columns user_from_columns reads, for queries that join app_user u (and
 * LEFT JOIN department d ON d.id = u.department_id) to something else, e.g.
 * the session lookup: one statement for session and user. */
#define USER_COLUMNS_SQL                                                                           \
	"u.id, u.login, u.name, u.role, u.department_id, d.name, u.disabled_at IS NOT NULL, "      \
	"u.must_change_password"
/* Fills u from the USER_COLUMNS_SQL columns of st's current row, from column first. */
struct sqlite3_stmt;
struct json_t;
void user_from_columns(struct sqlite3_stmt *st, int first, struct user *u);
bz_rc user_by_login(struct db *db, const char *login, struct user *out);

#define AUTH_ACCOUNT_FAILURES 20        /* failures from anywhere that lock an account ... */
#define AUTH_LOCK_SECONDS     (15 * 60) /* ... this long, except from its known addresses */
#define AUTH_HASH_WAIT_MS     100       /* how long a sign-in waits for a hash slot */

/* One sign-in attempt. address names where it came from (NULL: unknown). */
struct auth_attempt {
	const char *login;
	const char *password;
	const char *address;
};

/* Sign-in (policy: README "Sign-in throttling and lockout"). On success fills
 * *u. Every refusal — unknown login, wrong password, disabled user, a login
 * locked from this address, an account locked from an address it never signed
 * in from — answers BZ_ERR_NOTFOUND after the same argon2 work, and is audited
 * ("login.failed", without the password). BZ_ERR_THROTTLED: the address has
 * failed too often and must wait *retry_after seconds (nothing checked).
 * BZ_ERR_BUSY: every hash slot stayed busy; try again in *retry_after seconds.
 * retry_after may be NULL. A success resets the account's count, lifts its
 * lock and remembers the address. */
bz_rc auth_login(struct db *db, const struct auth_attempt *at, struct user *u, int *retry_after);

#define SESSION_TOKEN_LEN     64             /* hex of 256 random bits */
#define SESSION_MAX_AGE       (12 * 60 * 60) /* seconds, however active */
#define SESSION_TOUCH_SECONDS 60             /* last_seen is written at most this often */

/* How often last_seen is written for an idle limit: a tenth of it, at least 1
 * and at most SESSION_TOUCH_SECONDS seconds. A session ends when it has been
 * idle for idle_seconds + this (so never early, at most this late). */
int session_touch_interval(int idle_seconds);

/* Creates a session; token_out (SESSION_TOKEN_LEN+1) gets the cookie value and
 * csrf_out (SESSION_TOKEN_LEN+1) the CSRF token. Only a hash of the token is stored. */
bz_rc session_create(struct db *db, int64_t user_id, char *token_out, char *csrf_out);
/* Looks a session up by its cookie value; deletes it and answers BZ_ERR_NOTFOUND
 * if idle longer than idle_seconds (last_seen lags the last request by less
 * than session_touch_interval, which the check adds, so a session never ends
 * early), older than SESSION_MAX_AGE, or its user
 * is disabled; otherwise fills *u and csrf_out (SESSION_TOKEN_LEN+1, may be NULL)
 * and touches last_seen. BZ_ERR_NOTFOUND for an absent or malformed token.
 * gen: the data generation (db_generation) read before; the session's row is
 * kept in memory under it between requests (0: neither kept nor looked for). */
bz_rc session_lookup(struct db *db, const char *token, int idle_seconds, uint64_t gen,
                     struct user *u, char *csrf_out);
/* Deletes the session (signing out); BZ_OK whether or not it existed. */
bz_rc session_destroy(struct db *db, const char *token);
/* Deletes every session idle longer than idle_seconds or past SESSION_MAX_AGE. */
bz_rc session_purge(struct db *db, int idle_seconds);

#define API_TOKEN_PREFIX "bz_"
#define API_TOKEN_LEN    (3 + SESSION_TOKEN_LEN) /* "bz_" + 64 hex */

/* Creates an API token for login; token_out (API_TOKEN_LEN+1) gets it, once: only
 * its hash is stored. label may be NULL (at most 100 characters).
 * BZ_ERR_NOTFOUND for an unknown or disabled login,
 * BZ_ERR_INVALID for a bad label. Audited (actor: the command line). */
bz_rc token_create(struct db *db, const char *login, const char *label, char *token_out);
/* token_create with a scope: read_only tokens may only GET and HEAD (dispatch
 * answers 403 to anything else). actor_id 0 is the command line. */
bz_rc token_create_scoped(struct db *db, int64_t actor_id, const char *login, const char *label,
                          bool read_only, char *token_out);
struct json_t;
/* The tokens of user_id (0: everyone's), newest first, as a new array of
 * {id, user_id, login, name, label, scope, read_only, created_at, last_used_at,
 * revoked_at, revoked, *_text (KST)} in *out. Never the secret: only its hash is stored. */
bz_rc token_list(struct db *db, int64_t user_id, struct json_t **out);
/* Revokes token_id if it belongs to owner_id (0: anyone's). BZ_ERR_NOTFOUND if
 * there is no such live token (of that owner). Audited. */
bz_rc token_revoke_of(struct db *db, int64_t actor_id, int64_t owner_id, int64_t token_id);
/* Revokes every live token of login; *n (may be NULL) gets how many.
 * BZ_ERR_NOTFOUND for an unknown login. Audited. */
bz_rc token_revoke_all(struct db *db, int64_t actor_id, const char *login, int *n);
/* Authenticates a bearer token: fills *u and *read_only (may be NULL).
 * BZ_ERR_NOTFOUND for an unknown, malformed or revoked token or a disabled
 * user. Updates last_used_at (at most once a minute). */
bz_rc token_lookup(struct db *db, const char *token, struct user *u, bool *read_only);
/* Revokes the token with that id; BZ_ERR_NOTFOUND if none or already revoked. Audited. */
bz_rc token_revoke(struct db *db, int64_t actor_id, int64_t token_id);

/* Appends an audit row: who did what to which object, with details as JSON text
 * (may be NULL; must be valid JSON). actor_id 0 is stored as NULL (command line or
 * system). Runs inside the caller's transaction if one is open. */
bz_rc audit_log(struct db *db, int64_t actor_id, const char *action, const char *object,
                const char *detail_json);
/* audit_log with the detail as a Jansson value, which it steals (json_decref);
 * NULL detail (a failed json_pack) answers BZ_ERR_NOMEM and writes nothing. */
struct json_t;
bz_rc audit_log_json(struct db *db, int64_t actor_id, const char *action, const char *object,
                     struct json_t *detail);

/* audit_log_json about the user `user_id` (object "user:<id>"); detail is stolen. */
bz_rc audit_user(struct db *db, int64_t actor_id, const char *action, int64_t user_id,
                 struct json_t *detail);

/* Comparison of two NUL-terminated strings in time independent of their
 * contents (only of their lengths); false if either is NULL. */
bool bz_streq_ct(const char *a, const char *b);

#endif
