/* Users: roles, the password rule and hashing, adding and changing users, the
 * audit log. Sign-in, sessions and API tokens are in auth.c. */
#include "bizsos/user.h"
#include "bizsos/store.h"

#include <jansson.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_USER_BY_ID[] =
    "SELECT " USER_COLUMNS_SQL " FROM app_user u LEFT JOIN department d ON d.id = u.department_id"
    " WHERE u.id = ?1";
static const char SQL_USER_BY_LOGIN[] =
    "SELECT " USER_COLUMNS_SQL " FROM app_user u LEFT JOIN department d ON d.id = u.department_id"
    " WHERE u.login = ?1";
static const char SQL_DEPT_INSERT[] = "INSERT INTO department (name, created_at) VALUES (?1, ?2)"
                                      " ON CONFLICT (name) DO NOTHING";
static const char SQL_DEPT_FIND[] = "SELECT id FROM department WHERE name = ?1";
static const char SQL_USER_INSERT[] =
    "INSERT INTO app_user (login, name, role, department_id, password_hash, created_at,"
    " updated_at, must_change_password) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)";
static const char SQL_USER_SET_PASSWORD[] =
    "UPDATE app_user SET password_hash = ?2, failed_logins = 0, locked_until = NULL,"
    " updated_at = ?3, must_change_password = ?4 WHERE id = ?1";
static const char SQL_USER_SET_DISABLED[] =
    "UPDATE app_user SET disabled_at = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_USER_SET_ROLE[] =
    "UPDATE app_user SET role = ?2, department_id = ?3, updated_at = ?4 WHERE id = ?1";
static const char SQL_OTHER_ADMINS[] = "SELECT count(*) FROM app_user"
                                       " WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?1";
static const char SQL_SESSIONS_OF_USER_DELETE[] = "DELETE FROM session WHERE user_id = ?1";
static const char SQL_TOKENS_OF_USER_REVOKE[] =
    "UPDATE api_token SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
static const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit_log (at, actor_id, action, object, detail) VALUES (?1, ?2, ?3, ?4, ?5)";

static const char MSG_PW_RULE[] = "비밀번호는 10자 이상(영문 대문자·영문 소문자·숫자·기타 문자 "
                                  "중 2종류) 또는 8자 이상(3종류)이어야 합니다.";
static const char MSG_PW_LONG[] = "비밀번호는 128바이트(한글 약 42자)를 넘을 수 없습니다.";
static const char MSG_PW_UTF8[] = "비밀번호에 올바르지 않은 문자가 있습니다.";
static const char MSG_PW_COMMON[] = "너무 흔해 쉽게 추측되는 비밀번호입니다. 단어와 숫자를 "
                                    "조합하지 말고 더 길고 고유한 문장을 써 주세요.";
static const char MSG_PW_CONTROL[] = "비밀번호에 제어 문자는 쓸 수 없습니다.";
static const char MSG_LOGIN[] = "로그인 아이디는 영문·숫자·마침표(.)·밑줄(_)·하이픈(-)으로 된 "
                                "3~63자여야 합니다.";
static const char MSG_LOGIN_TAKEN[] = "이미 쓰이는 로그인 아이디입니다.";
static const char MSG_NAME[] = "이름은 제어 문자 없이 1~100자여야 합니다.";
static const char MSG_ROLE[] = "역할이 올바르지 않습니다.";
static const char MSG_DEPT[] = "부서 이름은 제어 문자 없이 1~100자여야 합니다.";
static const char MSG_DEPT_NEEDED[] = "유관부서 담당자는 부서를 지정해야 합니다.";
static const char MSG_NOT_FOUND[] = "없는 사용자입니다.";
static const char MSG_FAILED[] = "처리하지 못했습니다. 잠시 후 다시 시도해 주세요.";

/* --- roles ---------------------------------------------------------------- */

static const struct {
	int role;
	const char *name;
	const char *label;
} roles[] = {
    {ROLE_STAFF, "staff", "주무관"},       {ROLE_LEADER, "leader", "팀장"},
    {ROLE_EXECUTIVE, "executive", "과장"}, {ROLE_DEPARTMENT, "department", "유관부서"},
    {ROLE_ADMIN, "admin", "관리자"},
};

int role_from_name(const char *name)
{
	for (size_t i = 0; name && i < BZ_ARRAY_LEN(roles); i++) {
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	}
	return 0;
}

const char *role_name(int role)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(roles); i++) {
		if (roles[i].role == role)
			return roles[i].name;
	}
	return "";
}

const char *role_label_ko(int role)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(roles); i++) {
		if (roles[i].role == role)
			return roles[i].label;
	}
	return "";
}

/* --- crypto and passwords ------------------------------------------------- */

bz_rc bz_crypto_init(void)
{
	if (sodium_init() < 0) {
		LOG_ERROR("libsodium failed to initialise");
		return BZ_ERR_IO;
	}
	return BZ_OK;
}

bool bz_streq_ct(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

/* BIZSOS_TEST_FAST_HASH=1 (tests only) selects the minimum argon2id limits. */
static bool fast_hash(void)
{
	static atomic_flag warned = ATOMIC_FLAG_INIT;
	const char *v = getenv("BIZSOS_TEST_FAST_HASH");
	bool fast = v != NULL && strcmp(v, "1") == 0;
	if (fast && !atomic_flag_test_and_set(&warned))
		LOG_WARN("BIZSOS_TEST_FAST_HASH=1: weak password hashing, for tests only");
	return fast;
}

static void pwhash_limits(unsigned long long *ops, size_t *mem)
{
	if (fast_hash()) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		/* OWASP's Password Storage Cheat Sheet's first Argon2id setting:
		 * 19 MiB, 2 passes, 1 lane (libsodium's interactive limit takes 64 MiB
		 * per sign-in, more than the whole daemon needs to serve; several
		 * sign-ins at once multiplied it). Hashes made with other limits still
		 * verify and are rehashed at the next sign-in (password_needs_rehash). */
		*ops = 2;
		*mem = (size_t)19 * 1024 * 1024;
	}
}

/* Counts code points of valid UTF-8 and tells whether there is a control
 * character (C0, DEL or C1). */
static size_t utf8_chars(const char *s, size_t n, bool *control)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t chars = 0;
	*control = false;
	for (size_t i = 0; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			chars++;
		if (u[i] < 0x20 || u[i] == 0x7F || (u[i] == 0xC2 && i + 1 < n && u[i + 1] < 0xA0))
			*control = true;
	}
	return chars;
}

const char *password_check_rule(const char *pw)
{
	if (pw == NULL)
		return MSG_PW_RULE;
	size_t n = strnlen(pw, PASSWORD_MAX + 1);
	if (n > PASSWORD_MAX)
		return MSG_PW_LONG;
	if (!bz_utf8_valid(pw, n))
		return MSG_PW_UTF8;
	bool control;
	size_t chars = utf8_chars(pw, n, &control);
	if (control)
		return MSG_PW_CONTROL;
	bool lower = false, upper = false, digit = false, other = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];
		if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else
			other = true;
	}
	int kinds = lower + upper + digit + other;
	if (!((chars >= 10 && kinds >= 2) || (chars >= 8 && kinds >= 3)))
		return MSG_PW_RULE;
	if (password_is_common(pw))
		return MSG_PW_COMMON;
	return NULL;
}

bz_rc password_hash(const char *pw, char *out, size_t outlen)
{
	unsigned long long ops;
	size_t mem;
	bz_rc rc = bz_crypto_init();
	if (rc != BZ_OK)
		return rc;
	if (pw == NULL || out == NULL || outlen < crypto_pwhash_STRBYTES)
		return BZ_ERR_INVALID;
	pwhash_limits(&ops, &mem);
	if (crypto_pwhash_str(out, pw, strlen(pw), ops, mem) != 0) {
		LOG_ERROR("crypto_pwhash_str failed (out of memory?)");
		return BZ_ERR_NOMEM;
	}
	return BZ_OK;
}

bool password_verify(const char *hash, const char *pw)
{
	if (hash == NULL || pw == NULL || bz_crypto_init() != BZ_OK)
		return false;
	if (strncmp(hash, "$argon2id$", 10) != 0)
		return false;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool password_needs_rehash(const char *hash)
{
	unsigned long long ops;
	size_t mem;
	if (hash == NULL || fast_hash() || bz_crypto_init() != BZ_OK)
		return false;
	pwhash_limits(&ops, &mem);
	return crypto_pwhash_str_needs_rehash(hash, ops, mem) != 0;
}

/* --- validation ----------------------------------------------------------- */

bool user_login_valid(const char *login)
{
	if (login == NULL)
		return false;
	size_t n = strnlen(login, USER_LOGIN_MAX);
	if (n < 3 || n > USER_LOGIN_MAX - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool user_text_valid(const char *s, size_t max_chars)
{
	if (s == NULL)
		return false;
	size_t n = strnlen(s, max_chars * 4 + 1);
	if (n == 0 || n > max_chars * 4 || !bz_utf8_valid(s, n))
		return false;
	bool control;
	if (utf8_chars(s, n, &control) > max_chars || control)
		return false;
	return strspn(s, " ") < n;
}

static bool role_valid(int role)
{
	return role_name(role)[0] != '\0';
}

static void set_msg(char *msg, size_t msglen, const char *text)
{
	if (msg != NULL && msglen > 0)
		bz_strlcpy(msg, text, msglen);
}

/* --- audit ---------------------------------------------------------------- */

bz_rc audit_log(struct db *db, int64_t actor_id, const char *action, const char *object,
                const char *detail_json)
{
	char now[24];
	sqlite3_stmt *st = db_stmt(db, SQL_AUDIT_INSERT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_now_utc(now);
	db_bind_text(st, 1, now);
	if (actor_id > 0)
		db_bind_int(st, 2, actor_id);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, object);
	db_bind_text(st, 5, detail_json);
	bz_rc rc = db_rc(db, db_step(st), "audit_log");
	sqlite3_reset(st);
	return rc;
}

bz_rc audit_log_json(struct db *db, int64_t actor_id, const char *action, const char *object,
                     json_t *detail)
{
	char *text = NULL;
	bz_rc rc = BZ_ERR_NOMEM;
	if (detail == NULL || (text = json_dumps(detail, JSON_COMPACT)) == NULL)
		goto out;
	rc = audit_log(db, actor_id, action, object, text);
out:
	free(text);
	json_decref(detail);
	return rc;
}

bz_rc audit_user(struct db *db, int64_t actor_id, const char *action, int64_t id, json_t *detail)
{
	char object[32];
	snprintf(object, sizeof(object), "user:%lld", (long long)id);
	return audit_log_json(db, actor_id, action, object, detail);
}

/* --- users ---------------------------------------------------------------- */

void user_from_columns(sqlite3_stmt *st, int first, struct user *u)
{
	const char *s;
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, first);
	s = (const char *)sqlite3_column_text(st, first + 1);
	bz_strlcpy(u->login, s ? s : "", sizeof(u->login));
	s = (const char *)sqlite3_column_text(st, first + 2);
	bz_strlcpy(u->name, s ? s : "", sizeof(u->name));
	u->role = role_from_name((const char *)sqlite3_column_text(st, first + 3));
	u->department_id = sqlite3_column_int64(st, first + 4);
	s = (const char *)sqlite3_column_text(st, first + 5);
	bz_strlcpy(u->department, s ? s : "", sizeof(u->department));
	u->disabled = sqlite3_column_int(st, first + 6) != 0;
	u->must_change_password = sqlite3_column_int(st, first + 7) != 0;
}

static bz_rc user_fetch(struct db *db, const char *sql, const char *login, int64_t id,
                        struct user *out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	bz_rc rc;
	if (st == NULL)
		return BZ_ERR_DB;
	if (login != NULL)
		db_bind_text(st, 1, login);
	else
		db_bind_int(st, 1, id);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		user_from_columns(st, 0, out);
		rc = BZ_OK;
	} else if (src == SQLITE_DONE) {
		rc = BZ_ERR_NOTFOUND;
	} else {
		rc = db_rc(db, src, "user lookup");
	}
	sqlite3_reset(st);
	return rc;
}

bz_rc user_by_id(struct db *db, int64_t id, struct user *out)
{
	return user_fetch(db, SQL_USER_BY_ID, NULL, id, out);
}

bz_rc user_by_login(struct db *db, const char *login, struct user *out)
{
	if (!user_login_valid(login))
		return BZ_ERR_NOTFOUND;
	return user_fetch(db, SQL_USER_BY_LOGIN, login, 0, out);
}

/* Finds the department by name or creates it (kind 'internal'), inside the
 * caller's transaction. */
static bz_rc department_ensure(struct db *db, int64_t actor_id, const char *name, int64_t *id)
{
	char now[24];
	bz_rc rc = BZ_ERR_DB;
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_INSERT);
	if (st == NULL)
		goto out;
	db_now_utc(now);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, now);
	if ((rc = db_rc(db, db_step(st), "department insert")) != BZ_OK)
		goto out;
	if (db_changes(db) > 0) {
		char object[32];
		*id = db_last_id(db);
		snprintf(object, sizeof(object), "department:%lld", (long long)*id);
		rc = audit_log_json(db, actor_id, "department.add", object,
		                    json_pack("{s:s}", "name", name));
		goto out;
	}
	sqlite3_reset(st);
	if ((st = db_stmt(db, SQL_DEPT_FIND)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, name);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = BZ_OK;
	} else {
		rc = src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "department find");
	}
out:
	if (st != NULL)
		sqlite3_reset(st);
	return rc;
}

/* Checks the password rule and hashes the password; on refusal the message
 * (the rule, or MSG_FAILED) is in msg. */
static bz_rc password_rule_hash(const char *password, char hash[crypto_pwhash_STRBYTES], char *msg,
                                size_t msglen)
{
	const char *pwmsg = password_check_rule(password);
	if (pwmsg != NULL) {
		set_msg(msg, msglen, pwmsg);
		return BZ_ERR_INVALID;
	}
	bz_rc rc = password_hash(password, hash, crypto_pwhash_STRBYTES);
	if (rc != BZ_OK)
		set_msg(msg, msglen, MSG_FAILED);
	return rc;
}

bz_rc user_add(struct db *db, int64_t actor_id, const char *login, const char *name, int role,
               const char *department, const char *password, int64_t *id_out, char *msg,
               size_t msglen)
{
	char hash[crypto_pwhash_STRBYTES];
	char now[24];
	int64_t dept_id = 0;
	bz_rc rc = BZ_ERR_INVALID;

	if (department != NULL && department[0] == '\0')
		department = NULL;
	if (!user_login_valid(login)) {
		set_msg(msg, msglen, MSG_LOGIN);
		goto out;
	}
	if (!user_text_valid(name, USER_NAME_CHARS)) {
		set_msg(msg, msglen, MSG_NAME);
		goto out;
	}
	if (!role_valid(role)) {
		set_msg(msg, msglen, MSG_ROLE);
		goto out;
	}
	if (department != NULL && !user_text_valid(department, USER_NAME_CHARS)) {
		set_msg(msg, msglen, MSG_DEPT);
		goto out;
	}
	if (role == ROLE_DEPARTMENT && department == NULL) {
		set_msg(msg, msglen, MSG_DEPT_NEEDED);
		goto out;
	}
	/* Slow on purpose: before the write lock is taken. */
	if ((rc = password_rule_hash(password, hash, msg, msglen)) != BZ_OK)
		goto out;

	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if (department != NULL &&
	    (rc = department_ensure(db, actor_id, department, &dept_id)) != BZ_OK)
		goto err;
	db_now_utc(now);
	/* An administrator chose this password: the user must replace it. */
	int64_t must_change = actor_id != 0;
	rc = dept_id > 0 ? db_execf(db, SQL_USER_INSERT, "tttitti", login, name, role_name(role),
	                            dept_id, hash, now, must_change)
	                 : db_execf(db, SQL_USER_INSERT, "tttntti", login, name, role_name(role),
	                            hash, now, must_change);
	if (rc != BZ_OK)
		goto err;
	int64_t id = db_last_id(db);
	rc = audit_user(db, actor_id, "user.add", id,
	                json_pack("{s:s, s:s, s:s, s:s?}", "login", login, "name", name, "role",
	                          role_name(role), "department", department));
	if (rc != BZ_OK || (rc = db_commit(db)) != BZ_OK)
		goto err;
	if (id_out != NULL)
		*id_out = id;
	goto out;
err:
	db_rollback(db);
	set_msg(msg, msglen, rc == BZ_ERR_CONSTRAINT ? MSG_LOGIN_TAKEN : MSG_FAILED);
out:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* Revokes every live API token of the user; *n gets how many. */
static bz_rc revoke_tokens_of(struct db *db, int64_t user_id, int *n)
{
	char now[24];
	db_now_utc(now);
	bz_rc rc = db_execf(db, SQL_TOKENS_OF_USER_REVOKE, "it", user_id, now);
	*n = rc == BZ_OK ? db_changes(db) : 0;
	return rc;
}

static bz_rc delete_sessions_of(struct db *db, int64_t user_id)
{
	return db_execf(db, SQL_SESSIONS_OF_USER_DELETE, "i", user_id);
}

bz_rc user_set_password(struct db *db, int64_t actor_id, const char *login, const char *password,
                        char *msg, size_t msglen)
{
	char hash[crypto_pwhash_STRBYTES];
	char now[24];
	struct user u;
	bz_rc rc;

	if ((rc = password_rule_hash(password, hash, msg, msglen)) != BZ_OK)
		goto out;
	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if ((rc = user_by_login(db, login, &u)) != BZ_OK)
		goto err;
	db_now_utc(now);
	bool forced = actor_id != 0 && actor_id != u.id;
	if ((rc = db_execf(db, SQL_USER_SET_PASSWORD, "itti", u.id, hash, now, (int64_t)forced)) !=
	    BZ_OK)
		goto err;
	int revoked = 0;
	if ((rc = delete_sessions_of(db, u.id)) != BZ_OK ||
	    (rc = revoke_tokens_of(db, u.id, &revoked)) != BZ_OK)
		goto err;
	rc = audit_user(db, actor_id, "user.password", u.id,
	                json_pack("{s:s, s:b, s:i}", "login", u.login, "must_change", forced,
	                          "tokens_revoked", revoked));
	if (rc != BZ_OK || (rc = db_commit(db)) != BZ_OK)
		goto err;
	goto out;
err:
	db_rollback(db);
	set_msg(msg, msglen, rc == BZ_ERR_NOTFOUND ? MSG_NOT_FOUND : MSG_FAILED);
out:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* BZ_ERR_CONFLICT if u is an enabled admin and no other enabled admin exists. */
static bz_rc keep_an_admin(struct db *db, const struct user *u)
{
	if (u->role != ROLE_ADMIN || u->disabled)
		return BZ_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_OTHER_ADMINS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, u->id);
	int src = db_step(st);
	bz_rc rc = db_rc(db, src, "admin count");
	if (rc == BZ_OK && sqlite3_column_int64(st, 0) == 0)
		rc = BZ_ERR_CONFLICT;
	sqlite3_reset(st);
	return rc;
}

bz_rc user_set_disabled(struct db *db, int64_t actor_id, const char *login, bool disabled)
{
	char now[24];
	struct user u;
	bz_rc rc;

	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if ((rc = user_by_login(db, login, &u)) != BZ_OK)
		goto err;
	if (u.disabled == disabled) {
		rc = db_commit(db);
		goto out;
	}
	if (disabled && (rc = keep_an_admin(db, &u)) != BZ_OK)
		goto err;
	db_now_utc(now);
	if ((rc = db_execf(db, SQL_USER_SET_DISABLED, "itt", u.id, disabled ? now : NULL, now)) !=
	    BZ_OK)
		goto err;
	int revoked = 0;
	if (disabled && ((rc = delete_sessions_of(db, u.id)) != BZ_OK ||
	                 (rc = revoke_tokens_of(db, u.id, &revoked)) != BZ_OK))
		goto err;
	rc = audit_user(db, actor_id, disabled ? "user.disable" : "user.enable", u.id,
	                json_pack("{s:s, s:i}", "login", u.login, "tokens_revoked", revoked));
	if (rc != BZ_OK || (rc = db_commit(db)) != BZ_OK)
		goto err;
	goto out;
err:
	db_rollback(db);
out:
	return rc;
}

bz_rc user_set_role(struct db *db, int64_t actor_id, const char *login, int role,
                    const char *department)
{
	char now[24];
	struct user u;
	int64_t dept_id;
	bz_rc rc = BZ_ERR_INVALID;

	if (!role_valid(role))
		goto out;
	if (department != NULL && department[0] != '\0' &&
	    !user_text_valid(department, USER_NAME_CHARS))
		goto out;
	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if ((rc = user_by_login(db, login, &u)) != BZ_OK)
		goto err;
	dept_id = u.department_id;
	if (department != NULL && department[0] == '\0')
		dept_id = 0;
	else if (department != NULL &&
	         (rc = department_ensure(db, actor_id, department, &dept_id)) != BZ_OK)
		goto err;
	if (role == ROLE_DEPARTMENT && dept_id == 0) {
		rc = BZ_ERR_INVALID;
		goto err;
	}
	if (role == u.role && dept_id == u.department_id) {
		rc = db_commit(db);
		goto out;
	}
	if (role != ROLE_ADMIN && (rc = keep_an_admin(db, &u)) != BZ_OK)
		goto err;
	db_now_utc(now);
	rc = dept_id > 0
	         ? db_execf(db, SQL_USER_SET_ROLE, "itit", u.id, role_name(role), dept_id, now)
	         : db_execf(db, SQL_USER_SET_ROLE, "itnt", u.id, role_name(role), now);
	if (rc != BZ_OK)
		goto err;
	rc = audit_user(db, actor_id, "user.role", u.id,
	                json_pack("{s:s, s:s, s:s, s:I, s:I}", "login", u.login, "from",
	                          role_name(u.role), "to", role_name(role), "department_from",
	                          (json_int_t)u.department_id, "department_to",
	                          (json_int_t)dept_id));
	if (rc != BZ_OK || (rc = db_commit(db)) != BZ_OK)
		goto err;
	goto out;
err:
	db_rollback(db);
out:
	return rc;
}
