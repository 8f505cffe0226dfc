/* Sign-in with lockout, browser sessions and API tokens. Secrets (session
 * cookies, API tokens) are 256 random bits; only their SHA-256 is stored. */
#include "bizsos/user.h"
#include "bizsos/store.h"
#include "bizsos/login_guard.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char SQL_LOGIN_FIND[] =
    "SELECT id, password_hash, disabled_at IS NOT NULL, failed_logins, locked_until"
    " FROM app_user WHERE login = ?1";
static const char SQL_LOGIN_RESET[] =
    "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?1";
static const char SQL_LOGIN_REHASH[] = "UPDATE app_user SET password_hash = ?2 WHERE id = ?1";
static const char SQL_SESSION_INSERT[] =
    "INSERT INTO session (token_hash, user_id, csrf, created_at, last_seen, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* The session and its user in one statement (the user's columns from 5). */
static const char SQL_SESSION_FIND[] =
    "SELECT s.user_id, s.csrf, s.last_seen, s.expires_at, u.disabled_at IS NOT "
    "NULL, " USER_COLUMNS_SQL " FROM session s JOIN app_user u ON u.id = s.user_id"
    " LEFT JOIN department d ON d.id = u.department_id WHERE s.token_hash = ?1";
static const char SQL_SESSION_TOUCH[] = "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM session WHERE token_hash = ?1";
static const char SQL_SESSION_PURGE[] =
    "DELETE FROM session WHERE last_seen < ?1 OR expires_at <= ?2";
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_token (token_hash, user_id, label, created_at, scope)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TOKEN_LIST[] =
    "SELECT t.id, t.user_id, u.login, u.name, t.label, t.scope, t.created_at, t.last_used_at,"
    " t.revoked_at FROM api_token t JOIN app_user u ON u.id = t.user_id"
    " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.revoked_at IS NOT NULL, t.id DESC LIMIT 500";
static const char SQL_TOKEN_OWNER[] =
    "SELECT user_id FROM api_token WHERE id = ?1 AND revoked_at IS NULL";
static const char SQL_TOKEN_REVOKE_ALL[] =
    "UPDATE api_token SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
static const char SQL_TOKEN_FIND[] =
    "SELECT t.id, t.last_used_at, t.revoked_at IS NOT NULL, u.disabled_at IS NOT NULL,"
    " t.scope = 'read', " USER_COLUMNS_SQL " FROM api_token t JOIN app_user u ON u.id = t.user_id"
    " LEFT JOIN department d ON d.id = u.department_id WHERE t.token_hash = ?1";
static const char SQL_TOKEN_TOUCH[] = "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1";
static const char SQL_TOKEN_REVOKE[] = "UPDATE api_token SET revoked_at = ?2"
                                       " WHERE id = ?1 AND revoked_at IS NULL RETURNING user_id";

#define HASH_HEX_LEN      64 /* hex of SHA-256 */
#define TOKEN_LABEL_CHARS 100

/* --- secrets -------------------------------------------------------------- */

/* 256 random bits as lowercase hex (SESSION_TOKEN_LEN + 1 bytes). */
static void random_hex(char *out)
{
	unsigned char bin[SESSION_TOKEN_LEN / 2];
	randombytes_buf(bin, sizeof(bin));
	sodium_bin2hex(out, SESSION_TOKEN_LEN + 1, bin, sizeof(bin));
	sodium_memzero(bin, sizeof(bin));
}

/* The stored form of a secret: hex SHA-256 of its text. */
static void secret_hash(const char *secret, char out[HASH_HEX_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(out, HASH_HEX_LEN + 1, h, sizeof(h));
}

/* Exactly SESSION_TOKEN_LEN lowercase hex digits and the NUL. */
static bool hex_secret_valid(const char *s)
{
	if (s == NULL)
		return false;
	for (size_t i = 0; i < SESSION_TOKEN_LEN; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[SESSION_TOKEN_LEN] == '\0';
}

/* A hash to verify against when the login is unknown, so that an unknown login
 * costs the same time as a wrong password. Made once, with the current limits. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	char pw[SESSION_TOKEN_LEN + 1];
	random_hex(pw);
	if (password_hash(pw, dummy_hash, sizeof(dummy_hash)) != BZ_OK)
		dummy_hash[0] = '\0';
}

/* --- sign-in --------------------------------------------------------------
 * Every attempt costs exactly one argon2 verification, whatever the outcome
 * (unknown login, disabled user, locked, wrong or right password), inside one
 * of the few hash slots (login_guard), and every refusal gets the same answer.
 * Counters are reserved before the password is checked, so parallel attempts
 * cannot overshoot a limit. */

static const char SQL_LOGIN_RESERVE[] =
    "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = ?1"
    " RETURNING failed_logins, locked_until";
static const char SQL_LOGIN_ACCOUNT_LOCK[] = "UPDATE app_user SET locked_until = ?2 WHERE id = ?1";
static const char SQL_LOGIN_KNOWN[] =
    "SELECT 1 FROM login_address WHERE user_id = ?1 AND address = ?2 AND last_ok >= ?3";
static const char SQL_LOGIN_REMEMBER[] =
    "INSERT INTO login_address (user_id, address, last_ok) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (user_id, address) DO UPDATE SET last_ok = excluded.last_ok";

#define KNOWN_ADDRESS_DAYS 90

struct login_row {
	int64_t id;
	char hash[crypto_pwhash_STRBYTES];
	bool disabled;
	int failed;
	char locked_until[24];
};

/* BZ_OK with *row filled, BZ_ERR_NOTFOUND, or a database error. */
static bz_rc login_find(struct db *db, const char *login, struct login_row *row)
{
	const char *s;
	bz_rc rc;
	if (!user_login_valid(login))
		return BZ_ERR_NOTFOUND;
	sqlite3_stmt *st = db_stmt(db, SQL_LOGIN_FIND);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, login);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		row->id = sqlite3_column_int64(st, 0);
		s = (const char *)sqlite3_column_text(st, 1);
		bz_strlcpy(row->hash, s ? s : "", sizeof(row->hash));
		row->disabled = sqlite3_column_int(st, 2) != 0;
		row->failed = sqlite3_column_int(st, 3);
		s = (const char *)sqlite3_column_text(st, 4);
		bz_strlcpy(row->locked_until, s ? s : "", sizeof(row->locked_until));
		rc = BZ_OK;
	} else {
		rc = src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "login find");
	}
	sqlite3_reset(st);
	return rc;
}

/* Whether the user signed in successfully from address in the last 90 days. */
static bool login_address_known(struct db *db, int64_t user_id, const char *address)
{
	char since[24];
	db_format_utc(db_time() - (int64_t)KNOWN_ADDRESS_DAYS * 86400, since);
	sqlite3_stmt *st = db_stmt(db, SQL_LOGIN_KNOWN);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, address);
	db_bind_text(st, 3, since);
	bool known = db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return known;
}

/* Reserves one failure on the account (atomically, before the check); the
 * AUTH_ACCOUNT_FAILURES-th sets an account lock. *locked tells whether the
 * account is locked for this address (never for an address the user signed
 * in from before). */
static bz_rc login_reserve(struct db *db, const struct login_row *row, const char *address,
                           bool *locked)
{
	sqlite3_stmt *st = NULL;
	int64_t failed = 0;
	char until[24] = "", now[24];
	bz_rc rc;

	*locked = false;
	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if ((st = db_stmt(db, SQL_LOGIN_RESERVE)) == NULL) {
		rc = BZ_ERR_DB;
		goto err;
	}
	db_bind_int(st, 1, row->id);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		failed = sqlite3_column_int64(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		bz_strlcpy(until, s ? s : "", sizeof(until));
		src = db_step(st);
	}
	if ((rc = db_rc(db, src, "login reserve")) != BZ_OK)
		goto err;
	sqlite3_reset(st);
	st = NULL;
	db_now_utc(now);
	if (failed >= AUTH_ACCOUNT_FAILURES && (until[0] == '\0' || strcmp(until, now) <= 0)) {
		db_format_utc(db_time() + AUTH_LOCK_SECONDS, until);
		if ((rc = db_execf(db, SQL_LOGIN_ACCOUNT_LOCK, "it", row->id, until)) != BZ_OK)
			goto err;
		rc = audit_user(db, 0, "login.lock", row->id,
		                json_pack("{s:s, s:i}", "until", until, "failures", (int)failed));
		if (rc != BZ_OK)
			goto err;
		LOG_WARN("sign-in locked for user %lld until %s (except known addresses)",
		         (long long)row->id, until);
	}
	if ((rc = db_commit(db)) != BZ_OK)
		goto err;
	*locked = until[0] != '\0' && strcmp(until, now) > 0 &&
	          !login_address_known(db, row->id, address);
	goto out;
err:
	if (st != NULL)
		sqlite3_reset(st);
	db_rollback(db);
out:
	return rc;
}

/* Records a refused sign-in (never the password). */
static void login_refused(struct db *db, const char *login, int64_t user_id, const char *address,
                          const char *reason)
{
	char shown[USER_LOGIN_MAX];
	size_t n = 0;
	/* The login as typed, cut to a valid UTF-8 prefix of at most 63 bytes. */
	for (size_t i = 0; login[i] && i < sizeof(shown) - 1; i++)
		n = i + 1;
	while (n > 0 && !bz_utf8_valid(login, n))
		n--;
	memcpy(shown, login, n);
	shown[n] = '\0';
	char object[32];
	snprintf(object, sizeof(object), "user:%lld", (long long)user_id);
	bz_rc rc = audit_log_json(
	    db, 0, "login.failed", user_id ? object : NULL,
	    json_pack("{s:s, s:s, s:s}", "login", shown, "address", address, "reason", reason));
	if (rc != BZ_OK)
		LOG_WARN("cannot audit a failed sign-in: %s", bz_strerror(rc));
}

/* Clears the failure count and lock, remembers the address, upgrades a hash
 * made with older limits, records the sign-in. */
static bz_rc login_succeeded(struct db *db, const struct login_row *row, const char *password,
                             const char *address)
{
	char hash[crypto_pwhash_STRBYTES];
	char now[24];
	bool rehash = password_needs_rehash(row->hash);
	bz_rc rc;

	if (rehash && password_hash(password, hash, sizeof(hash)) != BZ_OK)
		rehash = false; /* keep the old hash; it still verifies */
	db_now_utc(now);
	if ((rc = db_begin(db)) == BZ_OK &&
	    (rc = db_execf(db, SQL_LOGIN_RESET, "i", row->id)) == BZ_OK &&
	    (rc = db_execf(db, SQL_LOGIN_REMEMBER, "itt", row->id, address, now)) == BZ_OK &&
	    (!rehash || (rc = db_execf(db, SQL_LOGIN_REHASH, "it", row->id, hash)) == BZ_OK) &&
	    (rc = audit_user(db, row->id, "login", row->id,
	                     json_pack("{s:b, s:s}", "rehashed", rehash, "address", address))) ==
	        BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

bz_rc auth_login(struct db *db, const struct auth_attempt *at, struct user *u, int *retry_after)
{
	struct login_row row;
	const char *login = at->login ? at->login : "";
	const char *password = at->password ? at->password : "";
	const char *address = at->address && at->address[0] ? at->address : "-";
	const char *reason = "password";
	int wait = 0;
	bool slot = false, admitted = false, ok = false;
	bz_rc rc;

	memset(&row, 0, sizeof(row));
	if (retry_after)
		*retry_after = 0;
	if ((rc = bz_crypto_init()) != BZ_OK)
		goto out;
	pthread_once(&dummy_once, dummy_make);

	enum guard_verdict v = login_guard_admit(address, login, db_time(), &wait);
	if (v == GUARD_WAIT) {
		if (retry_after)
			*retry_after = wait;
		rc = BZ_ERR_THROTTLED;
		goto out;
	}
	admitted = true;
	if (!(slot = login_guard_hash_enter(AUTH_HASH_WAIT_MS))) {
		login_guard_cancel(address, login);
		admitted = false;
		if (retry_after)
			*retry_after = 1;
		rc = BZ_ERR_BUSY;
		goto out;
	}
	rc = login_find(db, login, &row);
	if (rc != BZ_OK && rc != BZ_ERR_NOTFOUND)
		goto out;
	bool found = rc == BZ_OK, locked = false;
	if (found && (rc = login_reserve(db, &row, address, &locked)) != BZ_OK)
		goto out;
	if (!found)
		reason = "unknown";
	else if (row.disabled)
		reason = "disabled";
	else if (v == GUARD_PAIR_LOCK || locked)
		reason = "locked";
	bool real = found && !row.disabled && v == GUARD_ALLOW && !locked;
	/* The same work for every outcome. */
	ok = password_verify(real ? row.hash : dummy_hash, password) && real;
	login_guard_hash_leave();
	slot = false;
	if (!ok) {
		login_refused(db, login, found ? row.id : 0, address, reason);
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = login_succeeded(db, &row, password, address)) != BZ_OK)
		goto out;
	rc = user_by_id(db, row.id, u);
out:
	if (slot)
		login_guard_hash_leave();
	if (admitted)
		login_guard_settle(address, login, ok && rc == BZ_OK, db_time());
	sodium_memzero(row.hash, sizeof(row.hash));
	return rc;
}

/* --- sessions ------------------------------------------------------------- */

bz_rc session_create(struct db *db, int64_t user_id, char *token_out, char *csrf_out)
{
	char hash[HASH_HEX_LEN + 1];
	char now_s[24];

	token_out[0] = '\0';
	csrf_out[0] = '\0';
	bz_rc rc = bz_crypto_init();
	if (rc != BZ_OK)
		return rc;
	random_hex(token_out);
	random_hex(csrf_out);
	secret_hash(token_out, hash);
	time_t now = db_time();
	db_format_utc(now, now_s);
	if ((rc = db_begin(db)) == BZ_OK &&
	    (rc = db_execf(db, SQL_SESSION_INSERT, "titiii", hash, (int64_t)user_id, csrf_out,
	                   now_s, (int64_t)now, (int64_t)(now + SESSION_MAX_AGE))) == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		sodium_memzero(token_out, SESSION_TOKEN_LEN + 1);
		sodium_memzero(csrf_out, SESSION_TOKEN_LEN + 1);
	}
	return rc;
}

/* ---- the session cache ---------------------------------------------------
 * Every request of a signed-in browser asks for its session and user: one
 * statement, about a fifth of a cached page's CPU (each statement opens and
 * closes a read transaction). The row is kept here, keyed by the session
 * token's hash and the data generation it was read at. Every change to a
 * session or a user is a commit that moves the generation (this process's, or
 * another's through PRAGMA data_version), except the last-seen time, a quiet
 * write (session_write) that is made here too: a row read at the current
 * generation is therefore the row in the database. */
#define SESSION_ROWS 256

struct session_row {
	char hash[HASH_HEX_LEN + 1]; /* "" for a free slot */
	uint64_t gen;                /* the data generation it was read at */
	char csrf[SESSION_TOKEN_LEN + 1];
	int64_t last_seen, expires_at;
	bool disabled;
	struct user user;
};

static struct session_row session_rows[SESSION_ROWS];
static pthread_mutex_t session_rows_lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot of a hash (hex of SHA-256: its first digits are as good as any). */
static struct session_row *session_slot(const char *hash)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++)
		v = v * 16 +
		    (unsigned)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
	return &session_rows[v % SESSION_ROWS];
}

static bool session_cached(const char *hash, uint64_t gen, struct session_row *out)
{
	if (gen == 0)
		return false;
	pthread_mutex_lock(&session_rows_lock);
	struct session_row *r = session_slot(hash);
	bool hit = r->gen == gen && strcmp(r->hash, hash) == 0;
	if (hit)
		*out = *r;
	pthread_mutex_unlock(&session_rows_lock);
	return hit;
}

static void session_keep(const struct session_row *row)
{
	if (row->gen == 0)
		return;
	pthread_mutex_lock(&session_rows_lock);
	*session_slot(row->hash) = *row;
	pthread_mutex_unlock(&session_rows_lock);
}

/* The last-seen time written (when >= 0), or the session deleted (< 0). */
static void session_kept_write(const char *hash, int64_t value)
{
	pthread_mutex_lock(&session_rows_lock);
	struct session_row *r = session_slot(hash);
	if (strcmp(r->hash, hash) == 0) {
		if (value >= 0)
			r->last_seen = value;
		else
			r->hash[0] = '\0';
	}
	pthread_mutex_unlock(&session_rows_lock);
}

/* Runs one write statement on a session row, keyed by its hash, in its own
 * transaction: delete (value < 0) or touch last_seen = value; the row kept in
 * memory follows. */
static bz_rc session_write(struct db *db, const char *hash, int64_t value)
{
	/* a touch is a quiet write: no page shows last_seen, so it must not make
	 * every cached page and model be built again once a minute per user */
	if (value >= 0) {
		bz_rc rc = db_execf_quiet(db, SQL_SESSION_TOUCH, "ti", hash, value);
		if (rc == BZ_OK)
			session_kept_write(hash, value);
		return rc;
	}
	session_kept_write(hash, -1);
	bz_rc rc = db_begin(db);
	if (rc == BZ_OK)
		rc = db_execf(db, SQL_SESSION_DELETE, "t", hash);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc session_lookup(struct db *db, const char *token, int idle_seconds, uint64_t gen,
                     struct user *u, char *csrf_out)
{
	struct session_row row = {.gen = 0};
	const char *s;
	bz_rc rc = BZ_ERR_NOTFOUND;

	if (!hex_secret_valid(token))
		goto out;
	secret_hash(token, row.hash);
	/* gen was read before the row: a commit meanwhile moves the generation
	 * past the one the row is kept under */
	if (session_cached(row.hash, gen, &row)) {
		rc = BZ_OK;
	} else {
		sqlite3_stmt *st = db_stmt(db, SQL_SESSION_FIND);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_text(st, 1, row.hash);
		int src = db_step(st);
		if (src == SQLITE_ROW) {
			s = (const char *)sqlite3_column_text(st, 1);
			bz_strlcpy(row.csrf, s ? s : "", sizeof(row.csrf));
			row.last_seen = sqlite3_column_int64(st, 2);
			row.expires_at = sqlite3_column_int64(st, 3);
			row.disabled = sqlite3_column_int(st, 4) != 0;
			user_from_columns(st, 5, &row.user);
			row.gen = gen;
			rc = BZ_OK;
		} else if (src != SQLITE_DONE) {
			rc = db_rc(db, src, "session find");
		}
		sqlite3_reset(st);
		if (rc == BZ_OK)
			session_keep(&row);
	}
	if (rc != BZ_OK)
		goto out;

	int64_t now = db_time();
	int touch = session_touch_interval(idle_seconds);
	/* The last request came at last_seen + touch - 1 at the latest. */
	if (row.disabled || now - row.last_seen >= (int64_t)idle_seconds + touch ||
	    row.expires_at <= now) {
		rc = session_write(db, row.hash, -1);
		if (rc == BZ_OK)
			rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	/* a touch that finds the database busy (a write of another process's) is
	 * left to the next request: the session is no less valid for it */
	if (now - row.last_seen >= touch && (rc = session_write(db, row.hash, now)) != BZ_OK &&
	    rc != BZ_ERR_BUSY)
		goto out;
	rc = BZ_OK;
	*u = row.user;
	if (csrf_out != NULL)
		bz_strlcpy(csrf_out, row.csrf, SESSION_TOKEN_LEN + 1);
out:
	return rc;
}

int session_touch_interval(int idle_seconds)
{
	int t = idle_seconds / 10;
	return t < 1 ? 1 : t > SESSION_TOUCH_SECONDS ? SESSION_TOUCH_SECONDS : t;
}

bz_rc session_destroy(struct db *db, const char *token)
{
	char hash[HASH_HEX_LEN + 1];
	if (!hex_secret_valid(token))
		return BZ_OK;
	secret_hash(token, hash);
	return session_write(db, hash, -1);
}

bz_rc session_purge(struct db *db, int idle_seconds)
{
	int64_t now = db_time();
	bz_rc rc = db_begin(db);
	if (rc == BZ_OK)
		rc = db_execf(db, SQL_SESSION_PURGE, "ii",
		              now - idle_seconds - session_touch_interval(idle_seconds), now);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* --- API tokens ----------------------------------------------------------- */

bz_rc token_create(struct db *db, const char *login, const char *label, char *token_out)
{
	return token_create_scoped(db, 0, login, label, false, token_out);
}

bz_rc token_create_scoped(struct db *db, int64_t actor_id, const char *login, const char *label,
                          bool read_only, char *token_out)
{
	char secret[SESSION_TOKEN_LEN + 1];
	char hash[HASH_HEX_LEN + 1];
	char now[24], object[32];
	struct user u;
	bz_rc rc = BZ_ERR_INVALID;

	token_out[0] = '\0';
	if (label != NULL && label[0] == '\0')
		label = NULL;
	if (label != NULL && !user_text_valid(label, TOKEN_LABEL_CHARS))
		goto out;
	if ((rc = bz_crypto_init()) != BZ_OK)
		goto out;
	random_hex(secret);
	snprintf(token_out, API_TOKEN_LEN + 1, "%s%s", API_TOKEN_PREFIX, secret);
	secret_hash(token_out, hash);
	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if ((rc = user_by_login(db, login, &u)) != BZ_OK)
		goto err;
	if (u.disabled) {
		rc = BZ_ERR_NOTFOUND;
		goto err;
	}
	db_now_utc(now);
	if ((rc = db_execf(db, SQL_TOKEN_INSERT, "tittt", hash, u.id, label, now,
	                   read_only ? "read" : "write")) != BZ_OK)
		goto err;
	snprintf(object, sizeof(object), "token:%lld", (long long)db_last_id(db));
	rc = audit_log_json(db, actor_id, "token.create", object,
	                    json_pack("{s:s, s:I, s:s?, s:s}", "login", u.login, "user_id",
	                              (json_int_t)u.id, "label", label, "scope",
	                              read_only ? "read" : "write"));
	if (rc != BZ_OK || (rc = db_commit(db)) != BZ_OK)
		goto err;
	goto out;
err:
	db_rollback(db);
	sodium_memzero(token_out, API_TOKEN_LEN + 1);
out:
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

bz_rc token_lookup(struct db *db, const char *token, struct user *u, bool *read_only)
{
	char hash[HASH_HEX_LEN + 1];
	char last_used[24] = "", stale[24];
	int64_t token_id = 0;
	bool refused = false;
	struct user found;
	sqlite3_stmt *st = NULL;
	const char *s;
	bz_rc rc = BZ_ERR_NOTFOUND;

	if (token == NULL || strncmp(token, API_TOKEN_PREFIX, 3) != 0 ||
	    !hex_secret_valid(token + 3))
		goto out;
	secret_hash(token, hash);
	if ((st = db_stmt(db, SQL_TOKEN_FIND)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, hash);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		token_id = sqlite3_column_int64(st, 0);
		s = (const char *)sqlite3_column_text(st, 1);
		bz_strlcpy(last_used, s ? s : "", sizeof(last_used));
		refused = sqlite3_column_int(st, 2) != 0 || sqlite3_column_int(st, 3) != 0;
		if (read_only != NULL)
			*read_only = sqlite3_column_int(st, 4) != 0;
		user_from_columns(st, 5, &found); /* one statement for token and user */
		rc = refused ? BZ_ERR_NOTFOUND : BZ_OK;
	} else if (src != SQLITE_DONE) {
		rc = db_rc(db, src, "token find");
	}
	sqlite3_reset(st);
	st = NULL;
	if (rc != BZ_OK)
		goto out;

	db_format_utc(db_time() - 60, stale);
	if (strcmp(last_used, stale) < 0) {
		char now[24];
		db_now_utc(now);
		/* quiet, as a session's touch: at most once a minute, shown only to the
		 * minute on the token list */
		if ((rc = db_execf_quiet(db, SQL_TOKEN_TOUCH, "it", token_id, now)) != BZ_OK &&
		    rc != BZ_ERR_BUSY) /* busy: left to the next request */
			goto out;
	}
	*u = found;
	rc = BZ_OK;
out:
	return rc;
}

bz_rc token_revoke(struct db *db, int64_t actor_id, int64_t token_id)
{
	char now[24], object[32];
	int64_t user_id = 0;
	sqlite3_stmt *st = NULL;
	bz_rc rc;

	if ((rc = db_begin(db)) != BZ_OK)
		goto err;
	if ((st = db_stmt(db, SQL_TOKEN_REVOKE)) == NULL) {
		rc = BZ_ERR_DB;
		goto err;
	}
	db_now_utc(now);
	db_bind_int(st, 1, token_id);
	db_bind_text(st, 2, now);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		user_id = sqlite3_column_int64(st, 0);
		src = db_step(st);
	}
	if ((rc = db_rc(db, src, "token revoke")) != BZ_OK)
		goto err;
	sqlite3_reset(st);
	st = NULL;
	if (user_id == 0) {
		rc = BZ_ERR_NOTFOUND;
		goto err;
	}
	snprintf(object, sizeof(object), "token:%lld", (long long)token_id);
	rc = audit_log_json(db, actor_id, "token.revoke", object,
	                    json_pack("{s:I}", "user_id", (json_int_t)user_id));
	if (rc != BZ_OK || (rc = db_commit(db)) != BZ_OK)
		goto err;
	goto out;
err:
	if (st != NULL)
		sqlite3_reset(st);
	db_rollback(db);
out:
	return rc;
}

static json_t *col_or_null(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? json_string(s) : json_null();
}

bz_rc token_list(struct db *db, int64_t user_id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	json_t *a = json_array();
	int src;
	while ((src = db_step(st)) == SQLITE_ROW) {
		const char *scope = (const char *)sqlite3_column_text(st, 5);
		bool ro = scope && strcmp(scope, "read") == 0;
		json_t *row = json_pack(
		    "{s:I, s:I, s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:b}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "user_id",
		    (json_int_t)sqlite3_column_int64(st, 1), "login", col_or_null(st, 2), "name",
		    col_or_null(st, 3), "label", col_or_null(st, 4), "scope", ro ? "read" : "write",
		    "read_only", ro, "created_at", col_or_null(st, 6), "last_used_at",
		    col_or_null(st, 7), "revoked_at", col_or_null(st, 8), "revoked",
		    sqlite3_column_type(st, 8) != SQLITE_NULL);
		if (row == NULL) {
			src = SQLITE_NOMEM;
			break;
		}
		json_array_append_new(a, row);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return src == SQLITE_NOMEM ? BZ_ERR_NOMEM : db_rc(db, src, "token list");
	}
	*out = a;
	return BZ_OK;
}

bz_rc token_revoke_of(struct db *db, int64_t actor_id, int64_t owner_id, int64_t token_id)
{
	if (owner_id != 0) {
		sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_OWNER);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, token_id);
		int src = db_step(st);
		int64_t owner = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (src != SQLITE_ROW && src != SQLITE_DONE)
			return db_rc(db, src, "token owner");
		if (owner != owner_id)
			return BZ_ERR_NOTFOUND;
	}
	return token_revoke(db, actor_id, token_id);
}

bz_rc token_revoke_all(struct db *db, int64_t actor_id, const char *login, int *n)
{
	struct user u;
	char now[24];
	db_now_utc(now);
	bz_rc rc = db_begin(db);
	if (rc == BZ_OK && (rc = user_by_login(db, login, &u)) == BZ_OK &&
	    (rc = db_execf(db, SQL_TOKEN_REVOKE_ALL, "it", u.id, now)) == BZ_OK) {
		int count = db_changes(db);
		rc = audit_user(db, actor_id, "token.revoke_all", u.id,
		                json_pack("{s:s, s:i}", "login", u.login, "revoked", count));
		if (rc == BZ_OK && (rc = db_commit(db)) == BZ_OK && n)
			*n = count;
	}
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
