/* The companies' door, its pure parts: receipt numbers (shape, alphabet,
 * typed forms), phone and email checks, survey averages in tenths, and the
 * per-address rate limiter (window, refusals counted, a new window, many keys
 * in a small table). */
#include "bizsos/online_request.h"
#include "bizsos/ratelimit.h"
#include "bizsos/survey.h"
#include "harness.h"

#include <sodium.h>

static void test_receipt(void)
{
	char a[RECEIPT_NO_SIZE], b[RECEIPT_NO_SIZE], n[RECEIPT_NO_SIZE];
	online_receipt_new(a);
	online_receipt_new(b);
	CHECK_INT(strlen(a), 14);
	CHECK(a[4] == '-' && a[9] == '-', "shape %s", a);
	CHECK(strcmp(a, b) != 0, "two receipts alike: %s", a);
	for (const char *p = a; *p; p++)
		CHECK(*p == '-' || strchr("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", *p), "letter %c", *p);
	CHECK(online_receipt_normalize(" k7m3-9qxa-2hcd ", n), "lower case");
	CHECK_STR(n, "K7M3-9QXA-2HCD");
	CHECK(online_receipt_normalize("K7M39QXA2HCD", n), "without dashes");
	CHECK_STR(n, "K7M3-9QXA-2HCD");
	CHECK(!online_receipt_normalize("K7M3-9QXA-2HC", n), "too short");
	CHECK(!online_receipt_normalize("K7M3-9QXA-2HCDE", n), "too long");
	CHECK(!online_receipt_normalize("K7M3-9QXA-2HC'", n), "a quote");
	CHECK(!online_receipt_normalize(NULL, n), "NULL");
	CHECK(!online_receipt_normalize("SOS-2026-0001", n), "a case number");
}

static void test_contact(void)
{
	CHECK(online_phone_ok("010-1234-5678"), "mobile");
	CHECK(online_phone_ok("031 123 4567"), "landline");
	CHECK(online_phone_ok("+82 10 1234 5678"), "international");
	CHECK(!online_phone_ok("1234"), "too short");
	CHECK(!online_phone_ok("010-1234-567a"), "a letter");
	CHECK(!online_phone_ok("010+1234"), "a plus inside");
	CHECK(online_email_ok("hong@example.com"), "plain");
	CHECK(!online_email_ok("hong@example"), "no dot");
	CHECK(!online_email_ok("hong@@example.com"), "two @");
	CHECK(!online_email_ok("ho ng@example.com"), "a blank");
	CHECK(!online_email_ok("\"x\"@example.com"), "quotes");
	CHECK(!online_email_ok("<a>@example.com"), "angle brackets");
}

static void test_avg(void)
{
	char t[16];
	survey_avg_text(9, 2, t, sizeof(t));
	CHECK_STR(t, "4.5");
	survey_avg_text(13, 3, t, sizeof(t)); /* 4.333 */
	CHECK_STR(t, "4.3");
	survey_avg_text(14, 3, t, sizeof(t)); /* 4.666 */
	CHECK_STR(t, "4.7");
	survey_avg_text(5, 1, t, sizeof(t));
	CHECK_STR(t, "5.0");
	survey_avg_text(0, 0, t, sizeof(t));
	CHECK_STR(t, "–");
}

static void test_ratelimit(void)
{
	struct ratelimit *rl = ratelimit_new(64);
	int retry = 0;
	for (int i = 1; i <= 10; i++)
		CHECK(ratelimit_hit(rl, "10.0.0.1", 10, 3600, 1000 + i, &retry), "hit %d", i);
	CHECK(!ratelimit_hit(rl, "10.0.0.1", 10, 3600, 1011, &retry), "the 11th");
	CHECK_INT(retry, 1001 + 3600 - 1011); /* the window began at the first hit */
	CHECK(ratelimit_hit(rl, "10.0.0.2", 10, 3600, 1011, NULL), "another address");
	CHECK(ratelimit_hit(rl, "10.0.0.1", 10, 3600, 1001 + 3600, NULL), "a new window");
	CHECK(ratelimit_hit(rl, "10.0.0.1", 0, 3600, 1, NULL), "no limit");
	/* far more keys than slots: no crash, a fresh key is always let in once */
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "192.168.%d.%d", i / 256, i % 256);
		CHECK(ratelimit_hit(rl, key, 1, 60, 5000, NULL), "key %d", i);
	}
	ratelimit_free(rl);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_receipt();
	test_contact();
	test_avg();
	test_ratelimit();
	return t_done();
}
