/* Money: checked arithmetic, the 40/40/20 grant split, rates, formatting, parsing. */
#include "bizsos/money.h"
#include "harness.h"

static void test_arithmetic(void)
{
	int64_t r = 42;
	CHECK_INT(money_add(1, 2, &r), BZ_OK);
	CHECK_INT(r, 3);
	CHECK_INT(money_add(INT64_MAX, 1, &r), BZ_ERR_TOOLARGE);
	CHECK_INT(r, 3); /* untouched */
	CHECK_INT(money_add(INT64_MIN, -1, &r), BZ_ERR_TOOLARGE);
	CHECK_INT(money_add(INT64_MAX, INT64_MIN, &r), BZ_OK);
	CHECK_INT(r, -1);
	CHECK_INT(money_sub(5, 7, &r), BZ_OK);
	CHECK_INT(r, -2);
	CHECK_INT(money_sub(INT64_MIN, 1, &r), BZ_ERR_TOOLARGE);
	CHECK_INT(money_sub(0, INT64_MIN, &r), BZ_ERR_TOOLARGE);
	CHECK_INT(money_mul(1000000, 898, &r), BZ_OK);
	CHECK_INT(r, 898000000);
	CHECK_INT(money_mul(INT64_MAX / 2 + 1, 2, &r), BZ_ERR_TOOLARGE);
	CHECK_INT(money_mul(-1, INT64_MIN, &r), BZ_ERR_TOOLARGE);

	int64_t v[] = {300000000, 298000000, 300000000};
	CHECK_INT(money_sum(v, 3, &r), BZ_OK);
	CHECK_INT(r, 898000000);
	CHECK_INT(money_sum(v, 0, &r), BZ_OK);
	CHECK_INT(r, 0);
	int64_t big[] = {INT64_MAX, 1, -5};
	r = 7;
	CHECK_INT(money_sum(big, 3, &r), BZ_ERR_TOOLARGE);
	CHECK_INT(r, 7);
}

static void test_grant_split(void)
{
	struct grant_split s;
	CHECK_INT(grant_split_default(12345678, &s), BZ_OK);
	CHECK_INT(s.total, 12345678);
	CHECK_INT(s.province, 4938270);
	CHECK_INT(s.city, 4938270);
	CHECK_INT(s.company, 2469138);
	CHECK(grant_split_is_default(&s), "default not default");

	CHECK_INT(grant_split_default(10000000, &s), BZ_OK);
	CHECK_INT(s.province, 4000000);
	CHECK_INT(s.company, 2000000);
	CHECK_INT(grant_split_default(0, &s), BZ_OK);
	CHECK_INT(s.province + s.city + s.company, 0);
	CHECK_INT(grant_split_default(99, &s), BZ_OK); /* 39.6 -> 39 -> 30 */
	CHECK_INT(s.province, 30);
	CHECK_INT(s.company, 39);
	CHECK_INT(grant_split_default(-1, &s), BZ_ERR_INVALID);
	CHECK_INT(grant_split_default(INT64_MAX, &s), BZ_OK);
	CHECK(s.province % 10 == 0 && s.company >= 0, "INT64_MAX split");
	CHECK(s.province <= INT64_MAX / 100 * 40 + 40, "INT64_MAX split share");

	/* The shares always add up, and are the truncated 40% (checked a second way). */
	int bad = 0;
	for (int64_t t = 0; t < 20000; t += 7) {
		if (grant_split_default(t, &s) != BZ_OK || s.province + s.city + s.company != t ||
		    s.province != t * 40 / 100 / 10 * 10 || s.city != s.province || s.company < 0 ||
		    !grant_split_is_default(&s))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_grant_check(void)
{
	struct grant_split s;
	enum grant_field f = GRANT_FIELD_NONE;
	const char *msg = NULL;

	CHECK_INT(grant_split_default(12345678, &s), BZ_OK);
	CHECK_INT(grant_split_check(&s, NULL, &f, &msg), BZ_OK);
	CHECK_INT(f, GRANT_FIELD_NONE);
	CHECK_INT(grant_split_check(&s, "", NULL, NULL), BZ_OK);

	/* does not add up */
	struct grant_split off = {12345678, 4938270, 4938270, 2469000};
	CHECK_INT(grant_split_check(&off, "사유", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_SHARES);
	CHECK_STR(msg, "도비, 시비, 자부담을 더한 금액이 총사업비와 같아야 합니다.");

	/* negative shares and total */
	struct grant_split neg = {100, -10, 60, 50};
	CHECK_INT(grant_split_check(&neg, "x", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_PROVINCE);
	CHECK_STR(msg, "도비는 0원 이상이어야 합니다.");
	neg = (struct grant_split){100, 60, -10, 50};
	CHECK_INT(grant_split_check(&neg, "x", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_CITY);
	CHECK_STR(msg, "시비는 0원 이상이어야 합니다.");
	neg = (struct grant_split){100, 60, 50, -10};
	CHECK_INT(grant_split_check(&neg, "x", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_COMPANY);
	CHECK_STR(msg, "자부담은 0원 이상이어야 합니다.");
	neg = (struct grant_split){-100, 0, 0, -100};
	CHECK_INT(grant_split_check(&neg, "x", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_TOTAL);
	CHECK_STR(msg, "총사업비는 0원 이상이어야 합니다.");

	/* shares whose sum overflows are refused, not wrapped */
	struct grant_split huge = {INT64_MAX, INT64_MAX, INT64_MAX, 2};
	CHECK_INT(grant_split_check(&huge, "x", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_SHARES);

	/* an off-rule split that adds up needs a reason */
	struct grant_split custom = {10000000, 5000000, 3000000, 2000000};
	msg = NULL;
	CHECK_INT(grant_split_check(&custom, NULL, &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_REASON);
	CHECK_STR(msg,
	          "분담 비율이 기본(도비 40%, 시비 40%, 자부담 20%)과 다르면 사유를 입력하세요.");
	CHECK_INT(grant_split_check(&custom, "", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(grant_split_check(&custom, "  \t\n", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(grant_split_check(&custom, "\xE3\x80\x80 ", &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_REASON);
	CHECK_INT(grant_split_check(&custom, "도비 추가 배정(도 공문 제123호)", &f, &msg), BZ_OK);
	CHECK_INT(f, GRANT_FIELD_NONE);
	CHECK(!grant_split_is_default(&custom), "custom is default");

	/* 40/40/20 typed without the 10-won truncation is off-rule too */
	struct grant_split exact = {12345678, 4938271, 4938271, 2469136};
	CHECK_INT(grant_split_check(&exact, NULL, &f, &msg), BZ_ERR_INVALID);
	CHECK_INT(f, GRANT_FIELD_REASON);
}

static void test_rates(void)
{
	struct rate r = rate_tenths(753, 884);
	CHECK(r.ok, "753/884 not available");
	CHECK_INT(r.tenths, 852);
	r = rate_tenths(753000000, 884000000);
	CHECK_INT(r.tenths, 852);
	CHECK_INT(rate_tenths(884, 898).tenths, 984); /* 98.44 */
	CHECK_INT(rate_tenths(1, 1).tenths, 1000);
	CHECK_INT(rate_tenths(0, 5).tenths, 0);
	CHECK_INT(rate_tenths(1, 3).tenths, 333);
	CHECK_INT(rate_tenths(2, 3).tenths, 667);
	/* exactly half a tenth rounds up: 1/2000 = 0.05% */
	CHECK_INT(rate_tenths(1, 2000).tenths, 1);
	CHECK_INT(rate_tenths(1, 2001).tenths, 0);
	CHECK_INT(rate_tenths(17, 16).tenths, 1063); /* 106.25 -> 106.3 */
	CHECK_INT(rate_tenths(-1, 2000).tenths, -1); /* half away from zero */
	CHECK_INT(rate_tenths(INT64_MAX, INT64_MAX).tenths, 1000);

	r = rate_tenths(753, 0);
	CHECK(!r.ok, "division by zero available");
	CHECK(!rate_tenths(753, -1).ok, "negative denominator available");
	CHECK(!rate_tenths(INT64_MAX, 1).ok, "overflowing rate available");
	CHECK(!rate_tenths(0, 0).ok, "0/0 available");

	CHECK_INT(rate_achievement(309, 300).tenths, 1030);
	CHECK(!rate_achievement(5, 0).ok, "no target available");

	char buf[RATE_TEXT_SIZE];
	CHECK_INT(rate_format(rate_tenths(753, 884), buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "85.2");
	CHECK_INT(rate_format(rate_tenths(5, 5), buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "100.0");
	CHECK_INT(rate_format(rate_tenths(0, 5), buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "0.0");
	CHECK_INT(rate_format(rate_tenths(753, 0), buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "\xE2\x80\x93"); /* – */
	CHECK_INT(rate_format((struct rate){true, -5}, buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "-0.5");
	CHECK_INT(rate_format((struct rate){true, -INT64_MAX}, buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "-922337203685477580.7");
	CHECK_INT(rate_format((struct rate){true, 12345}, buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "1234.5");
	CHECK_INT(rate_format(rate_tenths(753, 884), buf, 4), BZ_ERR_TOOLARGE);
	CHECK_STR(buf, "");
	CHECK_INT(rate_format(rate_tenths(753, 0), buf, 3), BZ_ERR_TOOLARGE);
	CHECK_INT(rate_format(rate_tenths(753, 0), buf, 4), BZ_OK);
}

static void test_format(void)
{
	char buf[MONEY_TEXT_SIZE];
	static const struct {
		int64_t won;
		const char *text;
	} cases[] = {
	    {0, "0"},
	    {7, "7"},
	    {999, "999"},
	    {1000, "1,000"},
	    {12345678, "12,345,678"},
	    {898000000, "898,000,000"},
	    {-1, "-1"},
	    {-1234, "-1,234"},
	    {-123456, "-123,456"},
	    {INT64_MAX, "9,223,372,036,854,775,807"},
	    {INT64_MIN, "-9,223,372,036,854,775,808"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(cases); i++) {
		CHECK_INT(money_format_won(cases[i].won, buf, sizeof(buf)), BZ_OK);
		CHECK_STR(buf, cases[i].text);
	}
	CHECK_INT(money_format_won(12345678, buf, 10), BZ_ERR_TOOLARGE);
	CHECK_STR(buf, "");
	CHECK_INT(money_format_won(12345678, buf, 11), BZ_OK);
	CHECK_INT(money_format_won(1, NULL, 0), BZ_ERR_TOOLARGE);

	static const struct {
		int64_t won;
		const char *text;
	} mil[] = {
	    {898000000, "898"},
	    {884000000, "884"},
	    {753000000, "753"},
	    {1234500000, "1,235"},
	    {1234499999, "1,234"},
	    {499999, "0"},
	    {500000, "1"},
	    {0, "0"},
	    {-500000, "-1"},
	    {-499999, "0"},
	    {INT64_MAX, "9,223,372,036,855"},
	    {INT64_MIN, "-9,223,372,036,855"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(mil); i++) {
		CHECK_INT(money_format_million(mil[i].won, buf, sizeof(buf)), BZ_OK);
		CHECK_STR(buf, mil[i].text);
	}
	CHECK_INT(money_format_million(898000000, buf, 3), BZ_ERR_TOOLARGE);
}

static void test_parse(void)
{
	static const struct {
		const char *in;
		int64_t won;
	} ok[] = {
	    {"12,345,678", 12345678},
	    {"12345678", 12345678},
	    {"1,234원", 1234},
	    {"1,234 원", 1234},
	    {" 5000 ", 5000},
	    {"₩5,000", 5000},
	    {"￦5,000원", 5000},
	    {"0", 0},
	    {"007", 7},
	    {"1", 1},
	    {"123", 123},
	    {"1,000", 1000},
	    {"999,999,999,999,999", 999999999999999},
	    {"-0", 0},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(ok); i++) {
		int64_t v = -42;
		const char *msg = NULL;
		CHECK(money_parse_won(ok[i].in, false, &v, &msg) == BZ_OK, "\"%s\" refused: %s",
		      ok[i].in, msg ? msg : "");
		CHECK_INT(v, ok[i].won);
	}

	static const struct {
		const char *in;
		const char *msg;
	} bad[] = {
	    {"", "금액을 입력하세요."},
	    {"   ", "금액을 입력하세요."},
	    {NULL, "금액을 입력하세요."},
	    {"12.5", "금액은 원 단위 정수로 입력하세요(소수점 없이)."},
	    {"1,234.00", "금액은 원 단위 정수로 입력하세요(소수점 없이)."},
	    {"-", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"abc", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"원", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"12 345", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"1e6", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"+100", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"--100", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"100만", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"0x10", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"１２３", "금액은 숫자로 입력하세요(예: 12,345,678)."},
	    {"1,23,456", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {"1234,567", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {",123", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {"123,", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {"1,,234", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {"1,2345", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {",", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."},
	    {"-1,000", "금액은 0원 이상이어야 합니다."},
	    {"1,000,000,000,000,000", "금액이 너무 큽니다. 원 단위로 입력했는지 확인하세요."},
	    {"9223372036854775808", "금액이 너무 큽니다. 원 단위로 입력했는지 확인하세요."},
	    {"99999999999999999999999999", "금액이 너무 큽니다. 원 단위로 입력했는지 확인하세요."},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		int64_t v = 42;
		const char *msg = NULL;
		CHECK(money_parse_won(bad[i].in, false, &v, &msg) == BZ_ERR_INVALID,
		      "\"%s\" accepted", bad[i].in ? bad[i].in : "(null)");
		CHECK_STR(msg, bad[i].msg);
		CHECK_INT(v, 42); /* untouched */
	}

	int64_t v = 0;
	const char *msg = NULL;
	CHECK_INT(money_parse_won("-1,000", true, &v, &msg), BZ_OK);
	CHECK_INT(v, -1000);
	CHECK_INT(money_parse_won("-999,999,999,999,999원", true, &v, &msg), BZ_OK);
	CHECK_INT(v, -999999999999999);
	CHECK_INT(money_parse_won("-", true, &v, &msg), BZ_ERR_INVALID);
	CHECK_INT(money_parse_won("12.5", true, &v, NULL), BZ_ERR_INVALID);

	/* format -> parse round trip */
	int bad_trips = 0;
	for (int64_t w = 0; w < MONEY_INPUT_MAX / 3; w = w * 7 + 13) {
		char buf[MONEY_TEXT_SIZE];
		int64_t back = -1;
		if (money_format_won(w, buf, sizeof(buf)) != BZ_OK ||
		    money_parse_won(buf, false, &back, NULL) != BZ_OK || back != w)
			bad_trips++;
	}
	CHECK_INT(bad_trips, 0);
}

int main(void)
{
	test_arithmetic();
	test_grant_split();
	test_grant_check();
	test_rates();
	test_format();
	test_parse();
	return t_done();
}
