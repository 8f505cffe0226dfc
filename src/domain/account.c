/* Sessions per user and unused accounts. See account.h. */
#include "bizsos/account.h"
#include "bizsos/user.h"
#include "bizsos/kst.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char SQL_DESCRIBE[] =
    "UPDATE session SET user_agent = ?2, address = ?3 WHERE token_hash = ?1";
static const char SQL_SESSIONS[] =
    "SELECT substr(token_hash, 1, 16), COALESCE(user_agent, ''), COALESCE(address, ''),"
    " strftime('%Y-%m-%dT%H:%M:%SZ', last_seen, 'unixepoch'), created_at, token_hash = ?2"
    " FROM session WHERE user_id = ?1 ORDER BY last_seen DESC";
static const char SQL_REVOKE[] =
    "DELETE FROM session WHERE user_id = ?1 AND substr(token_hash, 1, 16) = ?2";
static const char SQL_LAST_USE[] =
    "SELECT u.id, u.disabled_at IS NOT NULL, u.created_at, max("
    " COALESCE((SELECT max(last_ok) FROM login_address WHERE user_id = u.id), ''),"
    " COALESCE((SELECT max(last_used_at) FROM api_token WHERE user_id = u.id), ''),"
    " COALESCE((SELECT strftime('%Y-%m-%dT%H:%M:%SZ', max(last_seen), 'unixepoch')"
    " FROM session WHERE user_id = u.id), '')) FROM app_user u";

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

static void token_hash(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, d, sizeof(d));
}

bz_rc account_session_describe(struct db *db, const char *token, const char *user_agent,
                               const char *address)
{
	if (token == NULL || *token == '\0')
		return BZ_OK;
	char hash[65], ua[301] = "";
	token_hash(token, hash);
	if (user_agent) {
		/* cut at 300 bytes, on a character boundary */
		size_t n = strlen(user_agent);
		if (n > 300) {
			n = 300;
			while (n > 0 && ((unsigned char)user_agent[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(ua, user_agent, n);
		ua[n] = '\0';
	}
	sqlite3_stmt *st = db_stmt(db, SQL_DESCRIBE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, ua[0] ? ua : NULL);
	db_bind_text(st, 3, address && *address ? address : NULL);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return db_rc(db, r, "session describe");
}

void account_device_name(const char *ua, char *out, size_t outlen)
{
	if (ua == NULL || *ua == '\0') {
		bz_strlcpy(out, "알 수 없는 기기", outlen);
		return;
	}
	const char *os = strstr(ua, "Android")                               ? "Android"
	                 : strstr(ua, "iPhone")                              ? "iPhone"
	                 : strstr(ua, "iPad")                                ? "iPad"
	                 : strstr(ua, "Windows")                             ? "Windows"
	                 : strstr(ua, "Mac OS X") || strstr(ua, "Macintosh") ? "Mac"
	                 : strstr(ua, "CrOS")                                ? "ChromeOS"
	                 : strstr(ua, "Linux")                               ? "Linux"
	                                                                     : NULL;
	const char *br = strstr(ua, "SamsungBrowser")                       ? "삼성 인터넷"
	                 : strstr(ua, "Whale")                              ? "웨일"
	                 : strstr(ua, "Edg/")                               ? "Edge"
	                 : strstr(ua, "Firefox/")                           ? "Firefox"
	                 : strstr(ua, "Chrome/") || strstr(ua, "Chromium/") ? "Chrome"
	                 : strstr(ua, "Safari/")                            ? "Safari"
	                 : strstr(ua, "curl/")                              ? "curl"
	                                                                    : NULL;
	if (os && br)
		snprintf(out, outlen, "%s · %s", os, br);
	else if (os || br)
		snprintf(out, outlen, "%s", os ? os : br);
	else
		bz_strlcpy(out, "기타 기기", outlen);
}

bz_rc account_sessions(struct db *db, int64_t user_id, const char *current_token, json_t **out)
{
	char hash[65] = "";
	if (current_token && *current_token)
		token_hash(current_token, hash);
	sqlite3_stmt *st = db_stmt(db, SQL_SESSIONS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, hash);
	json_t *a = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char dev[64], seen[32], made[32];
		account_device_name(col(st, 1), dev, sizeof(dev));
		fmt_instant_kst(col(st, 3), seen, sizeof(seen));
		fmt_instant_kst(col(st, 4), made, sizeof(made));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "id",
		                                   col(st, 0), "device", dev, "address",
		                                   *col(st, 2) ? col(st, 2) : "알 수 없음",
		                                   "last_seen_kst", seen, "created_kst", made,
		                                   "current", sqlite3_column_int(st, 5)));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, r, "sessions");
	}
	*out = a;
	return BZ_OK;
}

bz_rc account_session_revoke(struct db *db, int64_t actor_id, int64_t user_id, const char *id)
{
	if (id == NULL || strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16)
		return BZ_ERR_NOTFOUND;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_REVOKE);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, id);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc = db_rc(db, r, "session revoke")) != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	if (db_changes(db) == 0) {
		db_rollback(db);
		return BZ_ERR_NOTFOUND;
	}
	if ((rc = audit_user(db, actor_id, "session.revoke", user_id,
	                     json_pack("{s:s}", "session", id))) != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

bz_rc account_last_use(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LAST_USE);
	if (st == NULL)
		return BZ_ERR_DB;
	char cutoff[24];
	db_format_utc(db_time() - (time_t)ACCOUNT_UNUSED_DAYS * 86400, cutoff);
	json_t *m = json_object();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *last = col(st, 3);
		const char *since = *last ? last : col(st, 2);
		bool unused = !sqlite3_column_int(st, 1) && strcmp(since, cutoff) < 0;
		char kst[32] = "없음", key[24];
		if (*last)
			fmt_instant_kst(last, kst, sizeof(kst));
		snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(st, 0));
		json_object_set_new(m, key,
		                    json_pack("{s:s, s:b}", "last_use_kst", kst, "unused", unused));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(m);
		return db_rc(db, r, "last use");
	}
	*out = m;
	return BZ_OK;
}
