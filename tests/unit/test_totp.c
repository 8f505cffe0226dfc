/* TOTP (RFC 6238, HMAC-SHA-256): the RFC's test vectors, base32, enrolment
 * confirmed by a code, a code accepted once, drift of one step, recovery
 * codes used once, turning it off, the pending sign-in's expiry and tries. */
#include "bizsos/store_raw.h"
#include "bizsos/totp.h"
#include "bizsos/user.h"
#include "harness.h"

#include <sodium.h>
#include <stdlib.h>

static time_t now_value;
static time_t fake_now(void)
{
	return now_value;
}

static void test_vectors(void)
{
	/* RFC 6238 appendix B, SHA-256, 8 digits */
	static const unsigned char key[] = "12345678901234567890123456789012";
	static const struct {
		uint64_t t;
		uint32_t code;
	} v[] = {{59, 46119246},         {1111111109, 68084774}, {1111111111, 67062674},
	         {1234567890, 91819424}, {2000000000, 90698825}, {20000000000ULL, 77737706}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(v); i++)
		CHECK_INT(totp_code(key, 32, v[i].t / 30, 8), v[i].code);
	CHECK_INT(totp_code(key, 32, 59 / 30, 6), 119246);
	char b32[64];
	totp_base32((const unsigned char *)"foobar", 6, b32, sizeof(b32));
	CHECK_STR(b32, "MZXW6YTBOI"); /* RFC 4648 without padding */
}

/* The current code of the user's secret (read from the database). */
static uint32_t current_code(struct db *db, int64_t uid, int64_t step_offset)
{
	sqlite3_stmt *st = NULL;
	unsigned char key[TOTP_SECRET_BYTES];
	size_t n = 0;
	sqlite3_prepare_v2(db_handle(db), "SELECT totp_secret FROM app_user WHERE id = ?1", -1, &st,
	                   NULL);
	sqlite3_bind_int64(st, 1, uid);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *hex = (const char *)sqlite3_column_text(st, 0);
		sodium_hex2bin(key, sizeof(key), hex, strlen(hex), NULL, &n, NULL);
	}
	sqlite3_finalize(st);
	return totp_code(key, sizeof(key), (uint64_t)(now_value / 30 + step_offset), 6);
}

static void code_text(uint32_t c, char out[8])
{
	snprintf(out, 8, "%06u", c);
}

static void test_flow(void)
{
	char path[512], err[256];
	t_path(path, sizeof(path), "totp.db");
	struct db *db = NULL;
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	int64_t uid = 0;
	CHECK_INT(user_add(db, 0, "boss", "관리자", ROLE_ADMIN, NULL, T_PASSWORD, &uid, NULL, 0),
	          BZ_OK);
	db_clock_override(fake_now);
	now_value = 1800000000;
	CHECK(!totp_enabled(db, uid), "off at first");
	json_t *s = NULL;
	CHECK_INT(totp_begin(db, uid, "boss", &s), BZ_OK);
	CHECK_INT(strlen(json_string_value(json_object_get(s, "secret"))), 32);
	CHECK_CONTAINS(json_string_value(json_object_get(s, "uri")), "otpauth://totp/bizsos:boss?");
	CHECK_CONTAINS(json_string_value(json_object_get(s, "uri")), "algorithm=SHA256");
	json_decref(s);
	CHECK(!totp_enabled(db, uid), "not on before a code confirms it");
	json_t *codes = NULL;
	CHECK_INT(totp_enable(db, uid, "000000x", &codes), BZ_ERR_INVALID);
	char c[8];
	code_text((current_code(db, uid, 0) + 1) % 1000000, c);
	CHECK_INT(totp_enable(db, uid, c, &codes), BZ_ERR_INVALID);
	code_text(current_code(db, uid, 0), c);
	CHECK_INT(totp_enable(db, uid, c, &codes), BZ_OK);
	CHECK_INT(json_array_size(codes), TOTP_RECOVERY_N);
	char rec[16];
	bz_strlcpy(rec, json_string_value(json_array_get(codes, 0)), sizeof(rec));
	json_decref(codes);
	CHECK(totp_enabled(db, uid), "on");
	/* the same code again: refused (used); the next step's code: fine (drift) */
	CHECK_INT(totp_check(db, uid, c), BZ_ERR_INVALID);
	code_text(current_code(db, uid, 1), c);
	CHECK_INT(totp_check(db, uid, c), BZ_OK);
	now_value += 90;
	code_text(current_code(db, uid, -3), c); /* 90 s old */
	CHECK_INT(totp_check(db, uid, c), BZ_ERR_INVALID);
	/* a recovery code works once, in any case and without the dash */
	char upper[16];
	snprintf(upper, sizeof(upper), "%c%c%c%c%s", rec[0] - 32 * (rec[0] >= 'a'), rec[1], rec[2],
	         rec[3], rec + 5);
	CHECK_INT(totp_check(db, uid, upper), BZ_OK);
	CHECK_INT(totp_check(db, uid, rec), BZ_ERR_INVALID);
	CHECK_INT(totp_check(db, uid, "zzzz-zzzz"), BZ_ERR_INVALID);

	/* pending sign-in: five minutes, five tries */
	char tok[65];
	int64_t who = 0;
	char next[64];
	CHECK_INT(totp_pending_login(db, uid, "/cases", tok), BZ_OK);
	CHECK_INT(totp_pending_get(db, tok, &who, next, sizeof(next)), BZ_OK);
	CHECK_INT(who, uid);
	CHECK_STR(next, "/cases");
	for (int i = 0; i < 5; i++)
		totp_pending_fail(db, tok);
	CHECK_INT(totp_pending_get(db, tok, &who, next, sizeof(next)), BZ_ERR_NOTFOUND);
	CHECK_INT(totp_pending_login(db, uid, "/", tok), BZ_OK);
	now_value += 301;
	CHECK_INT(totp_pending_get(db, tok, &who, next, sizeof(next)), BZ_ERR_NOTFOUND);
	CHECK_INT(totp_pending_get(db, "nope", &who, next, sizeof(next)), BZ_ERR_NOTFOUND);

	/* off with a code */
	CHECK_INT(totp_disable(db, uid, "123"), BZ_ERR_INVALID);
	code_text(current_code(db, uid, 0), c);
	CHECK_INT(totp_disable(db, uid, c), BZ_OK);
	CHECK(!totp_enabled(db, uid), "off");
	db_clock_override(NULL);
	db_close(db);
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	if (sodium_init() < 0)
		return 1;
	test_vectors();
	test_flow();
	t_cleanup();
	return t_done();
}
