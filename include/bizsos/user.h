/* Users, roles, passwords, sessions, API tokens, sign-in lockout, audit. */
#ifndef BIZSOS_USER_H
#define BIZSOS_USER_H

#include "bizsos/store.h"
#include <time.h>

enum role {
	ROLE_STAFF = 1 << 0,     /* 주무관 */
	ROLE_LEADER = 1 << 1,    /* 팀장 */
	ROLE_EXECUTIVE = 1 << 2, /* 과장 이상 */
	ROLE_DEPARTMENT = 1 << 3, /* 유관부서 담당자 */
	ROLE_ADMIN = 1 << 4,     /* 관리자 */
};
#define ROLE_ANY_USER (ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE | ROLE_DEPARTMENT | ROLE_ADMIN)

/* "staff" -> ROLE_STAFF ...; 0 if unknown. */
int role_from_name(const char *name);
const char *role_name(int role);     /* "staff" */
const char *role_label_ko(int role); /* "주무관" */

#define USER_LOGIN_MAX 64
#define USER_NAME_MAX  128

struct user {
	int64_t id;
	char login[USER_LOGIN_MAX];
	char name[USER_NAME_MAX];
	int role;
	int64_t department_id; /* 0 when none */
	char department[USER_NAME_MAX];
	bool disabled;
};

/* Password rule: at least 10 characters of 2 kinds, or 8 of 3 kinds (kinds:
 * lower, upper, digit, other). Returns NULL if fine, else a Korean message. */
const char *password_check_rule(const char *pw);
/* argon2id (libsodium, interactive limits). out must hold crypto_pwhash_STRBYTES. */
bz_rc password_hash(const char *pw, char *out, size_t outlen);
bool password_verify(const char *hash, const char *pw);

/* Login: letters, digits, . _ -; 3..63 chars. */
bool user_login_valid(const char *login);

/* Adds a user. department may be NULL; it is created if it does not exist.
 * actor_id 0 means the command line. BZ_ERR_CONSTRAINT if the login is taken,
 * BZ_ERR_INVALID (with a Korean message in msg) for a bad field. */
bz_rc user_add(struct db *db, int64_t actor_id, const char *login, const char *name, int role,
	       const char *department, const char *password, int64_t *id_out, char *msg,
	       size_t msglen);
bz_rc user_set_password(struct db *db, int64_t actor_id, const char *login, const char *password,
			char *msg, size_t msglen);
bz_rc user_set_disabled(struct db *db, int64_t actor_id, const char *login, bool disabled);
bz_rc user_set_role(struct db *db, int64_t actor_id, const char *login, int role,
		    const char *department);
bz_rc user_by_id(struct db *db, int64_t id, struct user *out);
bz_rc user_by_login(struct db *db, const char *login, struct user *out);

/* Sign-in. On success fills *u. BZ_ERR_LOCKED when locked (*locked_until gets the
 * UTC instant), BZ_ERR_NOTFOUND for a wrong login or password (same answer for
 * both), counting the failure; the fifth failure in a row locks for 15 minutes. */
bz_rc auth_login(struct db *db, const char *login, const char *password, struct user *u,
		 char *locked_until, size_t lulen);

#define SESSION_TOKEN_LEN 64 /* hex of 256 random bits */

/* Creates a session; token_out (SESSION_TOKEN_LEN+1) gets the cookie value and
 * csrf_out (SESSION_TOKEN_LEN+1) the CSRF token. Only a hash of the token is stored. */
bz_rc session_create(struct db *db, int64_t user_id, char *token_out, char *csrf_out);
/* Looks a session up by its cookie value; expires it if idle longer than
 * idle_seconds; touches it otherwise. BZ_ERR_NOTFOUND if absent or expired. */
bz_rc session_lookup(struct db *db, const char *token, int idle_seconds, struct user *u,
		     char *csrf_out);
bz_rc session_destroy(struct db *db, const char *token);

/* Creates an API token for login; token_out (SESSION_TOKEN_LEN+1). Stores its hash. */
bz_rc token_create(struct db *db, const char *login, const char *label, char *token_out);
bz_rc token_lookup(struct db *db, const char *token, struct user *u);

/* Appends an audit row: who did what to which object, with details as JSON text. */
bz_rc audit_log(struct db *db, int64_t actor_id, const char *action, const char *object,
		const char *detail_json);

/* Constant-time comparison of two NUL-terminated strings. */
bool bz_streq_ct(const char *a, const char *b);

#endif
