/* Users and sign-in: the password rule, hashing, adding and changing users,
 * lockout (with a test clock), sessions, API tokens, the audit log. */
#include "bizsos/user.h"
#include "bizsos/store_raw.h"
#include "harness.h"
#include "bizsos/login_guard.h"

#include <sodium.h>
#include <stdlib.h>

static time_t test_now = 1700000000; /* 2023-11-14T22:13:20Z */

static time_t test_clock(void)
{
	return test_now;
}

/* One integer from SQL with an optional text parameter ?1. */
static int64_t scalar(struct db *db, const char *sql, const char *param)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) == SQLITE_OK) {
		if (param != NULL)
			sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static int64_t audit_count(struct db *db, const char *action)
{
	return scalar(db, "SELECT count(*) FROM audit_log WHERE action = ?1", action);
}

static void test_roles(void)
{
	static const char *const names[] = {"staff", "leader", "executive", "department", "admin"};
	static const char *const labels[] = {"주무관", "팀장", "과장", "유관부서", "관리자"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(names); i++) {
		int r = role_from_name(names[i]);
		CHECK_INT(r, 1 << i);
		CHECK_STR(role_name(r), names[i]);
		CHECK_STR(role_label_ko(r), labels[i]);
	}
	CHECK_INT(role_from_name("root"), 0);
	CHECK_INT(role_from_name(NULL), 0);
	CHECK_STR(role_name(0), "");
	CHECK_STR(role_name(ROLE_STAFF | ROLE_ADMIN), "");
}

static void test_password_rule(void)
{
	static const struct {
		const char *pw;
		bool ok;
	} cases[] = {
	    {"abcdefghi1", true},  /* 10 chars, 2 kinds */
	    {"abcdefgh1", false},  /* 9 chars, 2 kinds */
	    {"abcdefghij", false}, /* 10 chars, 1 kind */
	    {"abcdefghijklmnopqrstuvwxyz", false},
	    {"xkcDEF12", true},      /* 8 chars, 3 kinds */
	    {"abcDEF12", false},     /* a common word and digits */
	    {"admin123!", false},    /* common */
	    {"Password1", false},    /* common */
	    {"Qwer1234!!", false},   /* a keyboard walk and digits */
	    {"P@ssw0rd!", false},    /* on the list */
	    {"abcDEF1", false},      /* 7 chars */
	    {"Abzdef1!", true},      /* 8 chars, 4 kinds */
	    {"ABCDEFGHI!", true},    /* upper + other */
	    {"1234567890", false},   /* digits only */
	    {"12345678-0", false},   /* digits and symbols only */
	    {"9x8y7z6w5-", true},    /* digit + lower + other */
	    {"correct horse", true}, /* a space is "other" */
	    {"", false},
	    {"한글비밀번호입니다1", true},   /* 10 code points: Korean (other) + digit */
	    {"한글비밀번호입니다", false},   /* 9 code points, 1 kind */
	    {"한글한글한글한글한글", false}, /* 10 code points, 1 kind */
	    {"가나다라마바사a1", true},      /* 9 code points, 3 kinds */
	    {"가나다라마바1", false},        /* 7 code points, 30 bytes */
	    {"가나다1", false},              /* 10 bytes, only 4 characters */
	    {"가나다라마바사1", false},      /* 8 code points, 2 kinds */
	    {"가나다라마바사아자1", true},   /* 10 code points, 2 kinds */
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(cases); i++) {
		const char *m = password_check_rule(cases[i].pw);
		CHECK((m == NULL) == cases[i].ok, "\"%s\" should be %s (%s)", cases[i].pw,
		      cases[i].ok ? "accepted" : "refused", m ? m : "accepted");
	}
	CHECK_CONTAINS(password_check_rule("short"), "10자 이상");
	CHECK_CONTAINS(password_check_rule("short"), "8자 이상(3종류)");
	CHECK(password_check_rule(NULL) != NULL, "NULL refused");

	char pw[200];
	memset(pw, 'x', sizeof(pw));
	memcpy(pw, "Aa1", 3);
	pw[PASSWORD_MAX] = '\0';
	CHECK(password_check_rule(pw) == NULL, "128 bytes accepted");
	pw[PASSWORD_MAX] = 'x';
	pw[PASSWORD_MAX + 1] = '\0';
	CHECK_CONTAINS(password_check_rule(pw), "128바이트");
	/* 43 Korean syllables = 129 bytes */
	pw[0] = '\0';
	for (int i = 0; i < 43; i++)
		strncat(pw, "가", sizeof(pw) - strlen(pw) - 1);
	CHECK_CONTAINS(password_check_rule(pw), "128바이트");
	CHECK_CONTAINS(password_check_rule("abc\xff\xfe"
	                                   "defgh1A"),
	               "올바르지 않은 문자");
	CHECK_CONTAINS(password_check_rule("\xed\xa0\x80"
	                                   "abcdefgh1A"),
	               "올바르지 않은 문자");
	CHECK_CONTAINS(password_check_rule("abcdefgh\t1A"), "제어 문자");
	CHECK_CONTAINS(password_check_rule("abcdefgh\xc2\x85"
	                                   "1A"),
	               "제어 문자");
}

static void test_hash(void)
{
	char h1[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES], small[16];
	CHECK_INT(password_hash("Correct-horse-42", h1, sizeof(h1)), BZ_OK);
	CHECK_INT(password_hash("Correct-horse-42", h2, sizeof(h2)), BZ_OK);
	CHECK(strncmp(h1, "$argon2id$", 10) == 0, "argon2id: %s", h1);
	CHECK(strcmp(h1, h2) != 0, "salted");
	CHECK(password_verify(h1, "Correct-horse-42"), "verifies");
	CHECK(password_verify(h2, "Correct-horse-42"), "verifies");
	CHECK(!password_verify(h1, "correct-horse-42"), "wrong password");
	CHECK(!password_verify(h1, ""), "empty password");
	CHECK(!password_verify("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x"),
	      "not argon2id");
	CHECK(!password_verify(NULL, "x"), "NULL hash");
	CHECK(!password_verify(h1, NULL), "NULL password");
	CHECK_INT(password_hash("x", small, sizeof(small)), BZ_ERR_INVALID);

	/* Korean passwords hash as their UTF-8 bytes. */
	CHECK_INT(password_hash("한글비밀번호입니다1", h2, sizeof(h2)), BZ_OK);
	CHECK(password_verify(h2, "한글비밀번호입니다1"), "Korean password verifies");

	/* Without the test switch: OWASP's Argon2id setting (19 MiB, 2 passes, 1
	 * lane), and hashes made with other limits are stale. */
	const char *fast = getenv("BIZSOS_TEST_FAST_HASH");
	CHECK(fast != NULL, "tests run with BIZSOS_TEST_FAST_HASH");
	CHECK(!password_needs_rehash(h1), "no rehash in fast mode");
	unsetenv("BIZSOS_TEST_FAST_HASH");
	CHECK_INT(password_hash("Correct-horse-42", h2, sizeof(h2)), BZ_OK);
	CHECK(strncmp(h2, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "OWASP limits: %s", h2);
	CHECK(password_verify(h2, "Correct-horse-42"), "verifies");
	CHECK(password_needs_rehash(h1), "a fast hash needs a rehash");
	CHECK(!password_needs_rehash(h2), "a current hash does not");
	/* a hash made earlier with libsodium's interactive limits (64 MiB) still
	 * signs in, and is rehashed with the current limits */
	char old[crypto_pwhash_STRBYTES];
	CHECK_INT(crypto_pwhash_str(old, "Correct-horse-42", 16, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                            crypto_pwhash_MEMLIMIT_INTERACTIVE),
	          0);
	CHECK(strncmp(old, "$argon2id$v=19$m=65536,", 23) == 0, "an interactive hash: %s", old);
	CHECK(password_verify(old, "Correct-horse-42"), "an interactive hash verifies");
	CHECK(password_needs_rehash(old), "an interactive hash needs a rehash");
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
}

static void test_streq_ct(void)
{
	CHECK(bz_streq_ct("abc", "abc"), "equal");
	CHECK(bz_streq_ct("", ""), "empty");
	CHECK(!bz_streq_ct("abc", "abd"), "differ");
	CHECK(!bz_streq_ct("abc", "abcd"), "lengths");
	CHECK(!bz_streq_ct(NULL, "a"), "NULL");
	CHECK(!bz_streq_ct("a", NULL), "NULL");
}

static void test_login_valid(void)
{
	CHECK(user_login_valid("kim.staff-1_a"), "ok");
	CHECK(user_login_valid("abc"), "3 chars");
	CHECK(!user_login_valid("ab"), "2 chars");
	CHECK(!user_login_valid(""), "empty");
	CHECK(!user_login_valid(NULL), "NULL");
	CHECK(!user_login_valid("kim staff"), "space");
	CHECK(!user_login_valid("김주무관"), "Korean");
	CHECK(!user_login_valid("a'b--"), "quote");
	char l[80];
	memset(l, 'a', sizeof(l));
	l[63] = '\0';
	CHECK(user_login_valid(l), "63 chars");
	l[63] = 'a';
	l[64] = '\0';
	CHECK(!user_login_valid(l), "64 chars");
}

#define PW "Correct-horse-42"

static void test_user_add(struct db *db)
{
	char msg[256] = "";
	int64_t id = 0, id2 = 0;
	struct user u;

	CHECK_INT(user_add(db, 0, "kim.staff", "김주무관", ROLE_STAFF, "기업지원과", PW, &id, msg,
	                   sizeof(msg)),
	          BZ_OK);
	CHECK(id > 0, "id given");
	CHECK_INT(user_by_login(db, "KIM.Staff", &u), BZ_OK); /* case-insensitive */
	CHECK_INT(u.id, id);
	CHECK_STR(u.login, "kim.staff");
	CHECK_STR(u.name, "김주무관");
	CHECK_INT(u.role, ROLE_STAFF);
	CHECK_STR(u.department, "기업지원과");
	CHECK(u.department_id > 0, "department created");
	CHECK(!u.disabled, "enabled");
	CHECK_INT(user_by_id(db, id, &u), BZ_OK);
	CHECK_STR(u.login, "kim.staff");
	CHECK_INT(user_by_id(db, 999999, &u), BZ_ERR_NOTFOUND);
	CHECK_INT(user_by_login(db, "nobody", &u), BZ_ERR_NOTFOUND);
	CHECK_INT(user_by_login(db, "no body", &u), BZ_ERR_NOTFOUND);

	/* The same department is found, not created twice. */
	CHECK_INT(user_add(db, id, "lee.dept", "이담당", ROLE_DEPARTMENT, "기업지원과", PW, &id2,
	                   msg, sizeof(msg)),
	          BZ_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM department WHERE name = ?1", "기업지원과"), 1);
	CHECK_INT(audit_count(db, "department.add"), 1);

	/* Duplicate login, whatever its case. */
	msg[0] = '\0';
	CHECK_INT(
	    user_add(db, 0, "Kim.Staff", "다른김", ROLE_STAFF, NULL, PW, NULL, msg, sizeof(msg)),
	    BZ_ERR_CONSTRAINT);
	CHECK_CONTAINS(msg, "이미 쓰이는");

	/* Field errors, each with a Korean message. */
	static const struct {
		const char *login, *name, *dept, *pw;
		int role;
		const char *msg;
	} bad[] = {
	    {"x", "이름", NULL, PW, ROLE_STAFF, "로그인 아이디"},
	    {"bad login", "이름", NULL, PW, ROLE_STAFF, "로그인 아이디"},
	    {"okname", "", NULL, PW, ROLE_STAFF, "이름은"},
	    {"okname", "   ", NULL, PW, ROLE_STAFF, "이름은"},
	    {"okname", "a\nb", NULL, PW, ROLE_STAFF, "이름은"},
	    {"okname", "\xff", NULL, PW, ROLE_STAFF, "이름은"},
	    {"okname", NULL, NULL, PW, ROLE_STAFF, "이름은"},
	    {"okname", "이름", NULL, PW, 0, "역할"},
	    {"okname", "이름", NULL, PW, ROLE_STAFF | ROLE_ADMIN, "역할"},
	    {"okname", "이름", NULL, PW, ROLE_DEPARTMENT, "부서를 지정"},
	    {"okname", "이름", "", PW, ROLE_DEPARTMENT, "부서를 지정"},
	    {"okname", "이름", "a\tb", PW, ROLE_STAFF, "부서 이름"},
	    {"okname", "이름", NULL, "short", ROLE_STAFF, "10자 이상"},
	    {"okname", "이름", NULL, NULL, ROLE_STAFF, "10자 이상"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		msg[0] = '\0';
		CHECK_INT(user_add(db, 0, bad[i].login, bad[i].name, bad[i].role, bad[i].dept,
		                   bad[i].pw, NULL, msg, sizeof(msg)),
		          BZ_ERR_INVALID);
		CHECK(strstr(msg, bad[i].msg) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, msg,
		      bad[i].msg);
	}
	CHECK_INT(user_by_login(db, "okname", &u), BZ_ERR_NOTFOUND);
	/* msg may be NULL */
	CHECK_INT(user_add(db, 0, "x", "이름", ROLE_STAFF, NULL, PW, NULL, NULL, 0),
	          BZ_ERR_INVALID);

	/* A 100-character Korean name fits; 101 does not. */
	char name[512] = "";
	for (int i = 0; i < 100; i++)
		strncat(name, "가", sizeof(name) - strlen(name) - 1);
	CHECK_INT(
	    user_add(db, 0, "long.name", name, ROLE_EXECUTIVE, NULL, PW, NULL, msg, sizeof(msg)),
	    BZ_OK);
	CHECK_INT(user_by_login(db, "long.name", &u), BZ_OK);
	CHECK_STR(u.name, name);
	CHECK_STR(u.department, "");
	CHECK_INT(u.department_id, 0);
	strncat(name, "가", sizeof(name) - strlen(name) - 1);
	CHECK_INT(
	    user_add(db, 0, "longer.name", name, ROLE_STAFF, NULL, PW, NULL, msg, sizeof(msg)),
	    BZ_ERR_INVALID);

	CHECK_INT(audit_count(db, "user.add"), 3);
	CHECK_INT(scalar(db,
	                 "SELECT count(*) FROM audit_log WHERE action = 'user.add' AND actor_id = "
	                 "(SELECT id FROM app_user WHERE login = ?1)",
	                 "kim.staff"),
	          1);
	/* The password is stored hashed. */
	CHECK_INT(scalar(db,
	                 "SELECT count(*) FROM app_user WHERE password_hash LIKE '%' || ?1 || '%'",
	                 PW),
	          0);
}

/* auth_login from an address. */
static bz_rc login_from(struct db *db, const char *login, const char *pw, const char *address,
                        struct user *u)
{
	struct auth_attempt at = {.login = login, .password = pw, .address = address};
	int retry = 0;
	return auth_login(db, &at, u, &retry);
}

static bz_rc login(struct db *db, const char *login, const char *pw, struct user *u)
{
	return login_from(db, login, pw, "10.0.0.1", u);
}

static void test_lockout(struct db *db)
{
	char msg[256];
	struct user u;
	login_guard_reset();

	CHECK_INT(user_add(db, 0, "park", "박팀장", ROLE_LEADER, NULL, PW, NULL, msg, sizeof(msg)),
	          BZ_OK);
	CHECK_INT(login(db, "PARK", PW, &u), BZ_OK);
	CHECK_STR(u.login, "park");
	CHECK_INT(u.role, ROLE_LEADER);

	/* Four failures answer "not found", like an unknown login, and are audited
	 * without the password. */
	for (int i = 0; i < 4; i++)
		CHECK_INT(login(db, "park", "Wrong-password-1", &u), BZ_ERR_NOTFOUND);
	CHECK_INT(scalar(db, "SELECT failed_logins FROM app_user WHERE login = ?1", "park"), 4);
	CHECK_INT(audit_count(db, "login.failed"), 4);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE detail LIKE '%' || ?1 || '%'",
	                 "Wrong-password"),
	          0);
	/* A success resets the count. */
	CHECK_INT(login(db, "park", PW, &u), BZ_OK);
	CHECK_INT(scalar(db, "SELECT failed_logins FROM app_user WHERE login = ?1", "park"), 0);

	/* Five failures from one address lock the login from that address only:
	 * the right password is refused there, with the same answer. */
	for (int i = 0; i < 5; i++)
		CHECK_INT(login_from(db, "park", "Wrong-password-1", "10.0.0.9", &u),
		          BZ_ERR_NOTFOUND);
	CHECK_INT(login_from(db, "park", PW, "10.0.0.9", &u), BZ_ERR_NOTFOUND);
	CHECK_INT(scalar(db,
	                 "SELECT count(*) FROM audit_log WHERE action = 'login.failed'"
	                 " AND json_extract(detail, '$.reason') = 'locked'",
	                 NULL),
	          1);
	/* The user at their usual address is not locked out by it. */
	CHECK_INT(login(db, "park", PW, &u), BZ_OK);
	/* The pair lock ends after GUARD_PAIR_LOCK_SECONDS. */
	test_now += GUARD_PAIR_LOCK_SECONDS + 1;
	CHECK_INT(login_from(db, "park", PW, "10.0.0.9", &u), BZ_OK);

	/* Failures from many addresses lock the account, except from an address
	 * the user signed in from before; a success there lifts the lock. */
	login_guard_reset();
	for (int i = 0; i < AUTH_ACCOUNT_FAILURES; i++) {
		char addr[32];
		snprintf(addr, sizeof(addr), "192.0.2.%d", i + 1);
		CHECK_INT(login_from(db, "park", "Wrong-password-1", addr, &u), BZ_ERR_NOTFOUND);
	}
	CHECK_INT(audit_count(db, "login.lock"), 1);
	char want[24];
	db_format_utc(test_now + AUTH_LOCK_SECONDS, want);
	CHECK_INT(scalar(db, "SELECT locked_until = ?1 FROM app_user WHERE login = 'park'", want),
	          1);
	CHECK_INT(login_from(db, "park", PW, "198.51.100.7", &u), BZ_ERR_NOTFOUND);
	CHECK_INT(login(db, "park", PW, &u), BZ_OK);
	CHECK_INT(scalar(db, "SELECT locked_until IS NULL FROM app_user WHERE login = ?1", "park"),
	          1);
	CHECK_INT(login_from(db, "park", PW, "198.51.100.7", &u), BZ_OK);

	/* An address failing over and over must wait, doubling, and nothing is checked. */
	login_guard_reset();
	for (int i = 0; i < GUARD_ADDRESS_FREE; i++) {
		char who[32];
		snprintf(who, sizeof(who), "guess%d", i);
		CHECK_INT(login_from(db, who, "Wrong-password-1", "203.0.113.5", &u),
		          BZ_ERR_NOTFOUND);
	}
	CHECK_INT(login_from(db, "guess-x", "Wrong-password-1", "203.0.113.5", &u),
	          BZ_ERR_NOTFOUND);
	struct auth_attempt at = {.login = "park", .password = PW, .address = "203.0.113.5"};
	int retry = 0;
	CHECK_INT(auth_login(db, &at, &u, &retry), BZ_ERR_THROTTLED);
	CHECK_INT(retry, 1);
	test_now += 1;
	CHECK_INT(login_from(db, "guess-y", "Wrong-password-1", "203.0.113.5", &u),
	          BZ_ERR_NOTFOUND);
	CHECK_INT(auth_login(db, &at, &u, &retry), BZ_ERR_THROTTLED);
	CHECK_INT(retry, 2);
	login_guard_reset();

	/* An admin's new password clears a lock. */
	CHECK_INT(user_set_password(db, 0, "park", "New-password-77", msg, sizeof(msg)), BZ_OK);
	CHECK_INT(login(db, "park", "New-password-77", &u), BZ_OK);
	CHECK_INT(login(db, "park", PW, &u), BZ_ERR_NOTFOUND);

	/* Unknown logins: the same answer, audited without an object. */
	CHECK_INT(login(db, "nobody", PW, &u), BZ_ERR_NOTFOUND);
	CHECK_INT(login(db, "", PW, &u), BZ_ERR_NOTFOUND);
	CHECK_INT(login(db, NULL, NULL, &u), BZ_ERR_NOTFOUND);
	CHECK_INT(scalar(db,
	                 "SELECT count(*) FROM audit_log WHERE action = 'login.failed'"
	                 " AND json_extract(detail, '$.reason') = 'unknown' AND object IS NULL",
	                 NULL),
	          GUARD_ADDRESS_FREE + 2 + 3);
	CHECK_INT(audit_count(db, "login"), 7);
	login_guard_reset();
}

static void test_disable_and_role(struct db *db)
{
	char msg[256], token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
	struct user u;

	CHECK_INT(user_add(db, 0, "choi", "최주무관", ROLE_STAFF, NULL, PW, NULL, msg, sizeof(msg)),
	          BZ_OK);
	CHECK_INT(login(db, "choi", PW, &u), BZ_OK);
	CHECK_INT(session_create(db, u.id, token, csrf), BZ_OK);

	CHECK_INT(user_set_disabled(db, 0, "choi", true), BZ_OK);
	CHECK_INT(user_by_login(db, "choi", &u), BZ_OK);
	CHECK(u.disabled, "disabled");
	CHECK_INT(login(db, "choi", PW, &u), BZ_ERR_NOTFOUND);
	CHECK_INT(login(db, "choi", "Wrong-password-1", &u), BZ_ERR_NOTFOUND);
	CHECK_INT(session_lookup(db, token, 1800, db_generation(db), &u, csrf), BZ_ERR_NOTFOUND);
	CHECK_INT(user_set_disabled(db, 0, "choi", true), BZ_OK); /* no change, no audit */
	CHECK_INT(audit_count(db, "user.disable"), 1);
	CHECK_INT(user_set_disabled(db, 0, "choi", false), BZ_OK);
	CHECK_INT(audit_count(db, "user.enable"), 1);
	CHECK_INT(login(db, "choi", PW, &u), BZ_OK);
	CHECK_INT(user_set_disabled(db, 0, "nobody", true), BZ_ERR_NOTFOUND);

	/* Roles. */
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_LEADER, NULL), BZ_OK);
	CHECK_INT(user_by_login(db, "choi", &u), BZ_OK);
	CHECK_INT(u.role, ROLE_LEADER);
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_DEPARTMENT, NULL), BZ_ERR_INVALID);
	CHECK_INT(user_set_role(db, 0, "choi", 0, NULL), BZ_ERR_INVALID);
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_DEPARTMENT, "환경정책과"), BZ_OK);
	CHECK_INT(user_by_login(db, "choi", &u), BZ_OK);
	CHECK_INT(u.role, ROLE_DEPARTMENT);
	CHECK_STR(u.department, "환경정책과");
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_DEPARTMENT, ""), BZ_ERR_INVALID);
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_STAFF, ""), BZ_OK);
	CHECK_INT(user_by_login(db, "choi", &u), BZ_OK);
	CHECK_INT(u.department_id, 0);
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_STAFF, NULL), BZ_OK); /* no change */
	CHECK_INT(audit_count(db, "user.role"), 3);
	CHECK_INT(user_set_role(db, 0, "nobody", ROLE_STAFF, NULL), BZ_ERR_NOTFOUND);

	/* The last enabled admin cannot be disabled or demoted. */
	CHECK_INT(
	    user_add(db, 0, "admin1", "관리자1", ROLE_ADMIN, NULL, PW, NULL, msg, sizeof(msg)),
	    BZ_OK);
	CHECK_INT(user_set_disabled(db, 0, "admin1", true), BZ_ERR_CONFLICT);
	CHECK_INT(user_set_role(db, 0, "admin1", ROLE_STAFF, NULL), BZ_ERR_CONFLICT);
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_ADMIN, NULL), BZ_OK);
	CHECK_INT(user_set_disabled(db, 0, "admin1", true), BZ_OK);
	CHECK_INT(user_set_role(db, 0, "choi", ROLE_STAFF, NULL), BZ_ERR_CONFLICT);
	CHECK(sqlite3_get_autocommit(db_handle(db)), "no transaction left open");

	/* A password change ends the user's sessions. */
	CHECK_INT(user_by_login(db, "choi", &u), BZ_OK);
	CHECK_INT(session_create(db, u.id, token, csrf), BZ_OK);
	CHECK_INT(session_lookup(db, token, 1800, db_generation(db), &u, NULL), BZ_OK);
	CHECK_INT(user_set_password(db, u.id, "choi", "short", msg, sizeof(msg)), BZ_ERR_INVALID);
	CHECK_CONTAINS(msg, "10자 이상");
	CHECK_INT(session_lookup(db, token, 1800, db_generation(db), &u, NULL), BZ_OK);
	CHECK_INT(user_set_password(db, u.id, "choi", "비밀번호는아주길어요1", msg, sizeof(msg)),
	          BZ_OK);
	CHECK_INT(session_lookup(db, token, 1800, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(login(db, "choi", "비밀번호는아주길어요1", &u), BZ_OK);
	CHECK_INT(user_set_password(db, 0, "nobody", "비밀번호는아주길어요1", msg, sizeof(msg)),
	          BZ_ERR_NOTFOUND);
	CHECK_INT(audit_count(db, "user.password"), 2);
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	return strspn(s, "0123456789abcdef") == 64;
}

static void test_sessions(struct db *db)
{
	char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1], got[SESSION_TOKEN_LEN + 1];
	char token2[SESSION_TOKEN_LEN + 1], csrf2[SESSION_TOKEN_LEN + 1];
	struct user u, me;
	const int idle = 30 * 60;

	CHECK_INT(user_by_login(db, "kim.staff", &me), BZ_OK);
	CHECK_INT(session_create(db, me.id, token, csrf), BZ_OK);
	CHECK(is_hex64(token), "token is 64 hex: %s", token);
	CHECK(is_hex64(csrf), "csrf is 64 hex: %s", csrf);
	CHECK(strcmp(token, csrf) != 0, "csrf differs from the token");
	CHECK_INT(session_create(db, me.id, token2, csrf2), BZ_OK);
	CHECK(strcmp(token, token2) != 0 && strcmp(csrf, csrf2) != 0, "fresh each time");
	/* Only the hash is stored. */
	CHECK_INT(scalar(db, "SELECT count(*) FROM session WHERE token_hash = ?1", token), 0);
	CHECK_INT(scalar(db,
	                 "SELECT count(*) FROM session WHERE user_id = "
	                 "(SELECT id FROM app_user WHERE login = ?1)",
	                 "kim.staff"),
	          2);

	CHECK_INT(session_lookup(db, token, idle, db_generation(db), &u, got), BZ_OK);
	CHECK_INT(u.id, me.id);
	CHECK_STR(u.login, "kim.staff");
	CHECK_STR(got, csrf);
	CHECK_INT(session_lookup(db, token2, idle, db_generation(db), &u, got), BZ_OK);
	CHECK_STR(got, csrf2);

	/* last_seen is written at most once a minute. */
	int64_t before = scalar(db, "SELECT max(last_seen) FROM session", NULL);
	test_now += 30;
	CHECK_INT(session_lookup(db, token, idle, db_generation(db), &u, NULL), BZ_OK);
	CHECK_INT(scalar(db, "SELECT max(last_seen) FROM session", NULL), before);
	test_now += 31;
	CHECK_INT(session_lookup(db, token, idle, db_generation(db), &u, NULL), BZ_OK);
	CHECK_INT(scalar(db, "SELECT max(last_seen) FROM session", NULL), test_now);

	/* Idle: token2 was last seen at t0 and its last request may have come up to
	 * the touch interval (60 s here) later, so it ends idle + 60 s after t0:
	 * never early. */
	CHECK_INT(session_touch_interval(idle), 60);
	CHECK_INT(session_touch_interval(6), 1);
	test_now += idle - 1; /* t0 + idle + 60 */
	CHECK_INT(session_lookup(db, token2, idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(session_lookup(db, token2, idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(scalar(db, "SELECT count(*) FROM session", NULL), 1);
	/* token was touched idle - 60 s ago: still alive, and touched now. */
	CHECK_INT(session_lookup(db, token, idle, db_generation(db), &u, NULL), BZ_OK);

	/* Malformed tokens are refused without a query. */
	CHECK_INT(session_lookup(db, "", idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(session_lookup(db, NULL, idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(session_lookup(db, "zz", idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	char upper[SESSION_TOKEN_LEN + 2];
	snprintf(upper, sizeof(upper), "%sA", token);
	CHECK_INT(session_lookup(db, upper, idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);

	/* Sign out. */
	CHECK_INT(session_destroy(db, token), BZ_OK);
	CHECK_INT(session_lookup(db, token, idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(session_destroy(db, token), BZ_OK);
	CHECK_INT(session_destroy(db, "junk"), BZ_OK);

	/* However active, a session ends after SESSION_MAX_AGE. */
	CHECK_INT(session_create(db, me.id, token, csrf), BZ_OK);
	bool alive = true;
	for (int t = 0; t + 20 * 60 < SESSION_MAX_AGE; t += 20 * 60) {
		test_now += 20 * 60;
		alive =
		    alive && session_lookup(db, token, idle, db_generation(db), &u, NULL) == BZ_OK;
	}
	CHECK(alive, "active session lives until the maximum age");
	test_now += 20 * 60;
	CHECK_INT(session_lookup(db, token, idle, db_generation(db), &u, NULL), BZ_ERR_NOTFOUND);

	/* Purge removes idle sessions nobody looks up. */
	CHECK_INT(session_create(db, me.id, token, csrf), BZ_OK);
	CHECK_INT(session_create(db, me.id, token2, csrf2), BZ_OK);
	test_now += 100;
	CHECK_INT(session_lookup(db, token2, idle, db_generation(db), &u, NULL), BZ_OK);
	CHECK_INT(session_purge(db, 50), BZ_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM session", NULL), 1);
	CHECK_INT(session_lookup(db, token2, idle, db_generation(db), &u, NULL), BZ_OK);

	/* A session for a user that does not exist is a constraint. */
	CHECK_INT(session_create(db, 999999, token, csrf), BZ_ERR_CONSTRAINT);
	CHECK_STR(token, "");
}

static void test_tokens(struct db *db)
{
	char token[API_TOKEN_LEN + 1], token2[API_TOKEN_LEN + 1], no[API_TOKEN_LEN + 1];
	struct user u;

	CHECK_INT(token_create(db, "kim.staff", "CI 스크립트", token), BZ_OK);
	CHECK_INT(strlen(token), 67);
	CHECK(strncmp(token, "bz_", 3) == 0 && is_hex64(token + 3), "format: %s", token);
	CHECK_INT(scalar(db, "SELECT count(*) FROM api_token WHERE token_hash = ?1", token), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM api_token WHERE token_hash = ?1", token + 3), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM api_token WHERE last_used_at IS NULL", NULL), 1);
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_OK);
	CHECK_STR(u.login, "kim.staff");
	CHECK_INT(scalar(db, "SELECT count(*) FROM api_token WHERE last_used_at IS NULL", NULL), 0);
	/* last_used_at is written at most once a minute. */
	char now[24];
	db_now_utc(now);
	test_now += 59;
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM api_token WHERE last_used_at = ?1", now), 1);
	test_now += 2;
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_OK);
	db_now_utc(now);
	CHECK_INT(scalar(db, "SELECT count(*) FROM api_token WHERE last_used_at = ?1", now), 1);
	CHECK_INT(token_lookup(db, token + 3, &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(token_lookup(db, "bz_", &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(token_lookup(db, NULL, &u, NULL), BZ_ERR_NOTFOUND);
	char saved = token[10];
	token[10] = saved == '0' ? '1' : '0';
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_ERR_NOTFOUND);
	token[10] = saved;
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_OK);

	CHECK_INT(token_create(db, "nobody", NULL, no), BZ_ERR_NOTFOUND);
	CHECK_STR(no, "");
	CHECK_INT(token_create(db, "kim.staff", "a\nb", no), BZ_ERR_INVALID);
	CHECK_INT(token_create(db, "kim.staff", "", token2), BZ_OK);
	CHECK(strcmp(token, token2) != 0, "distinct tokens");

	/* Disabled users' tokens stop working. */
	CHECK_INT(user_set_disabled(db, 0, "kim.staff", true), BZ_OK);
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(token_create(db, "kim.staff", NULL, no), BZ_ERR_NOTFOUND);
	CHECK_INT(user_set_disabled(db, 0, "kim.staff", false), BZ_OK);
	/* ... and re-enabling does not revive them. */
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(token_lookup(db, token2, &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(token_create(db, "kim.staff", "새 토큰", token), BZ_OK);
	CHECK_INT(token_create(db, "kim.staff", NULL, token2), BZ_OK);
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_OK);

	/* Revoked tokens are refused. */
	int64_t id = scalar(db, "SELECT min(id) FROM api_token WHERE revoked_at IS NULL", NULL);
	CHECK_INT(token_revoke(db, 0, id), BZ_OK);
	CHECK_INT(token_lookup(db, token, &u, NULL), BZ_ERR_NOTFOUND);
	CHECK_INT(token_revoke(db, 0, id), BZ_ERR_NOTFOUND);
	CHECK_INT(token_revoke(db, 0, 999999), BZ_ERR_NOTFOUND);
	CHECK_INT(token_lookup(db, token2, &u, NULL), BZ_OK);
	CHECK_INT(audit_count(db, "token.create"), 4);
	CHECK_INT(audit_count(db, "token.revoke"), 1);
}

static void test_audit(struct db *db)
{
	CHECK_INT(audit_log(db, 0, "test.event", "thing:1", "{\"a\":1}"), BZ_OK);
	CHECK_INT(audit_log(db, 0, "test.event", NULL, NULL), BZ_OK);
	CHECK_INT(audit_log(db, 0, "test.event", NULL, "not json"), BZ_ERR_CONSTRAINT);
	CHECK_INT(audit_log_json(db, 0, "test.event", NULL, NULL), BZ_ERR_NOMEM);
	CHECK_INT(audit_count(db, "test.event"), 2);
	CHECK_INT(scalar(db,
	                 "SELECT count(*) FROM audit_log WHERE actor_id IS NULL AND action = ?1",
	                 "test.event"),
	          2);
	CHECK_INT(scalar(db,
	                 "SELECT object = (SELECT 'user:' || id FROM app_user WHERE login = 'park')"
	                 " FROM audit_log WHERE action = ?1",
	                 "login.lock"),
	          1);

	int64_t rows = scalar(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK(rows > 10, "audit rows: %lld", (long long)rows);
	CHECK_INT(db_exec(db, "UPDATE audit_log SET action = 'x'"), BZ_ERR_CONSTRAINT);
	CHECK_INT(db_exec(db, "DELETE FROM audit_log"), BZ_ERR_CONSTRAINT);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log", NULL), rows);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'x'", NULL), 0);
}

#ifdef BIZSOS_FAULT_INJECTION
/* Every step and every statement lookup of each user and token write fails in
 * turn: the write answers an error (the Korean failure message where it has
 * one), changes nothing, writes no audit row and leaves no transaction open. */
static void test_write_faults(struct db *db)
{
	static const char *const users_sql = "SELECT count(*) FROM app_user";
	static const char *const audit_sql = "SELECT count(*) FROM audit_log";
	static const char *const tokens_sql =
	    "SELECT count(*) FROM api_token WHERE revoked_at IS NULL";
	for (int kind = 0; kind < 2; kind++) {
		const char *fresh = kind ? "fault.b" : "fault.a";
		for (int w = 0; w < 6; w++) {
			int fired_n = 0;
			for (long n = 1; n <= 200; n++) {
				char msg[256] = "", tok[API_TOKEN_LEN + 1];
				int64_t users = scalar(db, users_sql, NULL);
				int64_t audits = scalar(db, audit_sql, NULL);
				int64_t tokens = scalar(db, tokens_sql, NULL);
				db_fault_arm(kind == 0 ? n : 0, kind == 1 ? n : 0);
				bz_rc rc = BZ_OK;
				bool has_msg = w < 2;
				switch (w) {
				case 0:
					rc = user_add(db, 0, fresh, "장애", ROLE_DEPARTMENT,
					              "장애과", PW, NULL, msg, sizeof(msg));
					break;
				case 1:
					rc = user_set_password(db, 0, "kim.staff", PW, msg,
					                       sizeof(msg));
					break;
				case 2:
					rc = user_set_disabled(db, 0, fresh, true);
					break;
				case 3:
					rc = user_set_role(db, 0, "kim.staff",
					                   kind ? ROLE_STAFF : ROLE_LEADER,
					                   "장애과");
					break;
				case 4:
					rc = token_create(db, "kim.staff", "장애", tok);
					break;
				default:
					rc = token_revoke_all(db, 0, "kim.staff", NULL);
					break;
				}
				bool fired = db_fault_fired();
				db_fault_arm(0, 0);
				if (!fired) {
					CHECK(rc == BZ_OK, "write %d without a fault: %s", w,
					      bz_strerror(rc));
					break;
				}
				fired_n++;
				CHECK(rc == BZ_ERR_DB, "write %d, %s %ld (%s): %s", w,
				      kind ? "prepare" : "step", n, db_fault_what(),
				      bz_strerror(rc));
				if (has_msg)
					CHECK_STR(
					    msg,
					    "처리하지 못했습니다. 잠시 후 다시 시도해 주세요.");
				CHECK(scalar(db, users_sql, NULL) == users,
				      "write %d: no user added", w);
				CHECK(scalar(db, audit_sql, NULL) == audits,
				      "write %d: no audit row", w);
				CHECK(scalar(db, tokens_sql, NULL) == tokens,
				      "write %d: tokens unchanged", w);
				CHECK(sqlite3_get_autocommit(db_handle(db)),
				      "write %d: rolled back", w);
			}
			CHECK(fired_n > 0, "write %d: some fault fired", w);
		}
	}
}
#endif

int main(void)
{
	char path[512], err[256] = "";
	struct db *db = NULL;

	/* Minimum argon2id limits unless the caller chose otherwise. */
	setenv("BIZSOS_TEST_FAST_HASH", "1", 0);
	db_clock_override(test_clock);

	test_roles();
	test_password_rule();
	test_hash();
	test_streq_ct();
	test_login_valid();

	t_path(path, sizeof(path), "user.db");
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db != NULL) {
		CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
		test_user_add(db);
		test_lockout(db);
		test_disable_and_role(db);
		test_sessions(db);
		test_tokens(db);
		test_audit(db);
#ifdef BIZSOS_FAULT_INJECTION
		test_write_faults(db);
#endif
		CHECK(sqlite3_get_autocommit(db_handle(db)), "no transaction left open");
		db_close(db);
	}
	db_clock_override(NULL);
	t_cleanup();
	return t_done();
}
