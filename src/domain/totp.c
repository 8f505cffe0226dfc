/* TOTP second factor and recovery codes. See totp.h. */
#include "bizsos/totp.h"
#include "bizsos/user.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_GET[] =
    "SELECT totp_secret, totp_enabled_at IS NOT NULL, totp_last_step FROM app_user WHERE id = ?1";
static const char SQL_SET_SECRET[] =
    "UPDATE app_user SET totp_secret = ?2, totp_enabled_at = NULL WHERE id = ?1";
static const char SQL_ENABLE[] = "UPDATE app_user SET totp_enabled_at = ?2 WHERE id = ?1";
static const char SQL_DISABLE[] =
    "UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL WHERE id = ?1";
static const char SQL_STEP[] = "UPDATE app_user SET totp_last_step = ?2 WHERE id = ?1";
static const char SQL_REC_CLEAR[] = "DELETE FROM totp_recovery WHERE user_id = ?1";
static const char SQL_REC_ADD[] = "INSERT INTO totp_recovery (user_id, code_hash) VALUES (?1, ?2)";
static const char SQL_REC_USE[] = "UPDATE totp_recovery SET used_at = ?3 WHERE user_id = ?1"
                                  " AND code_hash = ?2 AND used_at IS NULL";
static const char SQL_PEND_ADD[] =
    "INSERT INTO mfa_pending (token_hash, user_id, next, expires_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_PEND_GET[] =
    "SELECT user_id, COALESCE(next, '/'), expires_at, tries FROM mfa_pending WHERE token_hash = ?1";
static const char SQL_PEND_FAIL[] =
    "UPDATE mfa_pending SET tries = tries + 1 WHERE token_hash = ?1";
static const char SQL_PEND_DEL[] =
    "DELETE FROM mfa_pending WHERE token_hash = ?1 OR expires_at < ?2 OR tries >= 5";

uint32_t totp_code(const unsigned char *key, size_t keylen, uint64_t step, int digits)
{
	unsigned char msg[8], mac[crypto_auth_hmacsha256_BYTES];
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, msg, sizeof(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	int off = mac[sizeof(mac) - 1] & 0x0f;
	uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	               ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
	uint32_t mod = 1;
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return bin % mod;
}

void totp_base32(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t o = 0;
	uint32_t buf = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		buf = (buf << 8) | bin[i];
		bits += 8;
		while (bits >= 5 && o + 1 < outlen) {
			out[o++] = alpha[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o + 1 < outlen)
		out[o++] = alpha[(buf << (5 - bits)) & 31];
	out[o] = '\0';
}

static void sha_hex(const char *s, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* The user's secret (bytes), whether on, and the last accepted step. */
static bz_rc load(struct db *db, int64_t user_id, unsigned char key[TOTP_SECRET_BYTES], bool *has,
                  bool *on, int64_t *last)
{
	*has = *on = false;
	*last = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *hex = (const char *)sqlite3_column_text(st, 0);
		size_t n = 0;
		if (hex &&
		    sodium_hex2bin(key, TOTP_SECRET_BYTES, hex, strlen(hex), NULL, &n, NULL) == 0 &&
		    n == TOTP_SECRET_BYTES)
			*has = true;
		*on = sqlite3_column_int(st, 1) != 0;
		*last = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "totp load");
	return BZ_OK;
}

bool totp_enabled(struct db *db, int64_t user_id)
{
	unsigned char key[TOTP_SECRET_BYTES];
	bool has, on;
	int64_t last;
	bool r = load(db, user_id, key, &has, &on, &last) == BZ_OK && has && on;
	sodium_memzero(key, sizeof(key));
	return r;
}

static json_t *secret_json(const unsigned char *key, const char *login)
{
	char b32[64], uri[256];
	totp_base32(key, TOTP_SECRET_BYTES, b32, sizeof(b32));
	/* the login is [A-Za-z0-9._-]: safe in a URI path */
	snprintf(uri, sizeof(uri),
	         "otpauth://totp/bizsos:%s?secret=%s&issuer=bizsos&algorithm=SHA256&digits=6&"
	         "period=30",
	         login, b32);
	return json_pack("{s:s, s:s}", "secret", b32, "uri", uri);
}

static bz_rc exec1(struct db *db, const char *sql, int64_t id, const char *text)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	if (text)
		db_bind_text(st, 2, text);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return db_rc(db, r, "totp");
}

bz_rc totp_begin(struct db *db, int64_t user_id, const char *login, json_t **out)
{
	if (totp_enabled(db, user_id))
		return BZ_ERR_CONFLICT;
	unsigned char key[TOTP_SECRET_BYTES];
	char hex[2 * TOTP_SECRET_BYTES + 1];
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	bz_rc rc = exec1(db, SQL_SET_SECRET, user_id, hex);
	if (rc == BZ_OK)
		*out = secret_json(key, login);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

bz_rc totp_pending(struct db *db, int64_t user_id, const char *login, json_t **out)
{
	*out = NULL;
	unsigned char key[TOTP_SECRET_BYTES];
	bool has, on;
	int64_t last;
	bz_rc rc = load(db, user_id, key, &has, &on, &last);
	if (rc == BZ_OK && has && !on)
		*out = secret_json(key, login);
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* Checks a 6-digit code against steps now-1..now+1 newer than last; the
 * accepted step into *step. */
static bool code_ok(const unsigned char *key, const char *code, int64_t last, int64_t *step)
{
	if (code == NULL)
		return false;
	char digits[8];
	size_t n = 0;
	for (const char *p = code; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!isdigit((unsigned char)*p) || n >= 6)
			return false;
		digits[n++] = *p;
	}
	if (n != 6)
		return false;
	digits[n] = '\0';
	uint32_t want = (uint32_t)strtoul(digits, NULL, 10);
	int64_t now = (int64_t)db_time() / TOTP_STEP;
	for (int64_t s = now - 1; s <= now + 1; s++) {
		if (s <= last)
			continue;
		if (totp_code(key, TOTP_SECRET_BYTES, (uint64_t)s, 6) == want) {
			*step = s;
			return true;
		}
	}
	return false;
}

/* Normalises a recovery code ("abcd-efgh", case and blanks ignored). */
static bool recovery_norm(const char *code, char out[10])
{
	size_t n = 0;
	for (const char *p = code ? code : ""; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!isalnum((unsigned char)*p) || n >= 8)
			return false;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	return n == 8;
}

static bz_rc use_recovery(struct db *db, int64_t user_id, const char *code)
{
	char norm[10], hash[65], now[24];
	if (!recovery_norm(code, norm))
		return BZ_ERR_INVALID;
	sha_hex(norm, hash);
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_REC_USE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, now);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	bz_rc rc = db_rc(db, r, "recovery");
	if (rc != BZ_OK)
		return rc;
	return db_changes(db) == 1 ? BZ_OK : BZ_ERR_INVALID;
}

/* A code or a recovery code, inside the caller's transaction. */
static bz_rc check_in_tx(struct db *db, int64_t user_id, const char *code, bool need_on)
{
	unsigned char key[TOTP_SECRET_BYTES];
	bool has, on;
	int64_t last, step = 0;
	bz_rc rc = load(db, user_id, key, &has, &on, &last);
	if (rc != BZ_OK || !has || (need_on && !on)) {
		sodium_memzero(key, sizeof(key));
		return rc == BZ_OK ? BZ_ERR_INVALID : rc;
	}
	bool ok = code_ok(key, code, last, &step);
	sodium_memzero(key, sizeof(key));
	if (ok) {
		sqlite3_stmt *st = db_stmt(db, SQL_STEP);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, user_id);
		db_bind_int(st, 2, step);
		int r = sqlite3_step(st);
		sqlite3_reset(st);
		return db_rc(db, r, "totp step");
	}
	return need_on ? use_recovery(db, user_id, code) : BZ_ERR_INVALID;
}

bz_rc totp_check(struct db *db, int64_t user_id, const char *code)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	if ((rc = check_in_tx(db, user_id, code, true)) != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

bz_rc totp_enable(struct db *db, int64_t user_id, const char *code, json_t **codes)
{
	*codes = NULL;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	if ((rc = check_in_tx(db, user_id, code, false)) != BZ_OK)
		goto fail;
	char now[24];
	db_now_utc(now);
	if ((rc = exec1(db, SQL_ENABLE, user_id, now)) != BZ_OK ||
	    (rc = exec1(db, SQL_REC_CLEAR, user_id, NULL)) != BZ_OK)
		goto fail;
	json_t *list = json_array();
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789";
	for (int i = 0; i < TOTP_RECOVERY_N; i++) {
		char c[10], shown[10], hash[65];
		for (int k = 0; k < 8; k++)
			c[k] = alpha[randombytes_uniform(sizeof(alpha) - 1)];
		c[8] = '\0';
		snprintf(shown, sizeof(shown), "%.4s-%.4s", c, c + 4);
		sha_hex(c, hash);
		if ((rc = exec1(db, SQL_REC_ADD, user_id, hash)) != BZ_OK) {
			json_decref(list);
			goto fail;
		}
		json_array_append_new(list, json_string(shown));
	}
	if ((rc = audit_user(db, user_id, "totp.enable", user_id, json_pack("{}"))) != BZ_OK) {
		json_decref(list);
		goto fail;
	}
	if ((rc = db_commit(db)) != BZ_OK) {
		json_decref(list);
		return rc;
	}
	*codes = list;
	return BZ_OK;
fail:
	db_rollback(db);
	return rc;
}

bz_rc totp_disable(struct db *db, int64_t user_id, const char *code)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	if ((rc = check_in_tx(db, user_id, code, true)) != BZ_OK ||
	    (rc = exec1(db, SQL_DISABLE, user_id, NULL)) != BZ_OK ||
	    (rc = exec1(db, SQL_REC_CLEAR, user_id, NULL)) != BZ_OK ||
	    (rc = audit_user(db, user_id, "totp.disable", user_id, json_pack("{}"))) != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

bz_rc totp_pending_login(struct db *db, int64_t user_id, const char *next, char token[65])
{
	unsigned char raw[32];
	char hash[65];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, 65, raw, sizeof(raw));
	sha_hex(token, hash);
	sqlite3_stmt *st = db_stmt(db, SQL_PEND_ADD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, next);
	db_bind_int(st, 4, (int64_t)db_time() + 300);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return db_rc(db, r, "mfa pending");
}

bz_rc totp_pending_get(struct db *db, const char *token, int64_t *user_id, char *next,
                       size_t nextlen)
{
	if (token == NULL || strlen(token) != 64)
		return BZ_ERR_NOTFOUND;
	char hash[65];
	sha_hex(token, hash);
	sqlite3_stmt *st = db_stmt(db, SQL_PEND_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, hash);
	int r = sqlite3_step(st);
	bz_rc rc = BZ_ERR_NOTFOUND;
	if (r == SQLITE_ROW && sqlite3_column_int64(st, 2) >= (int64_t)db_time() &&
	    sqlite3_column_int(st, 3) < 5) {
		*user_id = sqlite3_column_int64(st, 0);
		bz_strlcpy(next, (const char *)sqlite3_column_text(st, 1), nextlen);
		rc = BZ_OK;
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_rc(db, r, "mfa pending");
	return rc;
}

void totp_pending_fail(struct db *db, const char *token)
{
	char hash[65];
	sha_hex(token, hash);
	sqlite3_stmt *st = db_stmt(db, SQL_PEND_FAIL);
	if (st) {
		db_bind_text(st, 1, hash);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
}

void totp_pending_done(struct db *db, const char *token)
{
	char hash[65];
	sha_hex(token ? token : "", hash);
	sqlite3_stmt *st = db_stmt(db, SQL_PEND_DEL);
	if (st) {
		db_bind_text(st, 1, hash);
		db_bind_int(st, 2, (int64_t)db_time());
		sqlite3_step(st);
		sqlite3_reset(st);
	}
}
