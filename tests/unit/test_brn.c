/* 사업자등록번호 / 법인등록번호: normalisation, check digit, formatting, messages. */
#include "bizsos/brn.h"
#include "harness.h"

static void test_normalize_accepts(void)
{
	static const char *const ok[] = {
	    "120-81-47521",     "1208147521",     " 120-81-47521 ", "120 81 47521",
	    "120 - 81 - 47521", "\t1208147521\t", "120-81 47521",
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(ok); i++) {
		char bare[BRN_BARE_SIZE] = "x";
		const char *msg = NULL;
		CHECK_INT(brn_normalize(ok[i], bare, &msg), BZ_OK);
		CHECK_STR(bare, "1208147521");
		CHECK(msg == NULL, "message set for \"%s\"", ok[i]);
		CHECK_INT(brn_parse(ok[i], bare, &msg), BZ_OK);
		CHECK_STR(bare, "1208147521");
	}
}

static void test_normalize_rejects(void)
{
	static const struct {
		const char *in;
		const char *msg;
	} bad[] = {
	    {"", "사업자등록번호를 입력하세요."},
	    {"   ", "사업자등록번호를 입력하세요."},
	    {NULL, "사업자등록번호를 입력하세요."},
	    {"120-81-4752", "사업자등록번호는 숫자 10자리입니다."},
	    {"12081475211", "사업자등록번호는 숫자 10자리입니다."},
	    {"-", "사업자등록번호는 숫자 10자리입니다."},
	    {"120.81.47521", "사업자등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다."},
	    {"120-81-4752l", "사업자등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다."},
	    {"１２０-81-47521", "사업자등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다."},
	    {"번호 1208147521", "사업자등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다."},
	    {"12-081-47521", "사업자등록번호는 123-45-67890 형식으로 입력하세요."},
	    {"120--81-47521", "사업자등록번호는 123-45-67890 형식으로 입력하세요."},
	    {"-120-81-47521", "사업자등록번호는 123-45-67890 형식으로 입력하세요."},
	    {"120-81-47521-", "사업자등록번호는 123-45-67890 형식으로 입력하세요."},
	    {"1208-147521", "사업자등록번호는 123-45-67890 형식으로 입력하세요."},
	    {"1-2-0-8-1-4-7-5-2-1", "사업자등록번호는 123-45-67890 형식으로 입력하세요."},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		char bare[BRN_BARE_SIZE] = "x";
		const char *msg = NULL;
		CHECK_INT(brn_normalize(bad[i].in, bare, &msg), BZ_ERR_INVALID);
		CHECK_STR(msg, bad[i].msg);
		CHECK_STR(bare, "");
		msg = NULL;
		CHECK_INT(brn_parse(bad[i].in, bare, &msg), BZ_ERR_INVALID);
		CHECK_STR(msg, bad[i].msg);
	}
	/* msg may be NULL */
	char bare[BRN_BARE_SIZE];
	CHECK_INT(brn_normalize("abc", bare, NULL), BZ_ERR_INVALID);
}

static void test_check_digit(void)
{
	CHECK_INT(brn_check_digit("120814752"), 1);
	CHECK_INT(brn_check_digit("12081475"), -1);
	CHECK_INT(brn_check_digit("12081475x"), -1);
	CHECK_INT(brn_check_digit(NULL), -1);
	CHECK(brn_checksum_ok("1208147521"), "valid BRN refused");
	CHECK(!brn_checksum_ok("120814752"), "9 digits accepted");
	CHECK(!brn_checksum_ok("12081475210"), "11 digits accepted");
	CHECK(!brn_checksum_ok(NULL), "NULL accepted");

	/* Every single-digit change of a valid number is caught. */
	const char *valid = "1208147521";
	int caught = 0;
	for (int pos = 0; pos < 10; pos++) {
		for (char d = '0'; d <= '9'; d++) {
			if (d == valid[pos])
				continue;
			char s[BRN_BARE_SIZE];
			memcpy(s, valid, sizeof(s));
			s[pos] = d;
			const char *msg = NULL;
			char bare[BRN_BARE_SIZE];
			bz_rc rc = brn_parse(s, bare, &msg);
			CHECK(rc == BZ_ERR_INVALID, "%s accepted", s);
			CHECK_STR(msg,
			          "사업자등록번호가 올바르지 않습니다(검증번호 불일치). 번호를 "
			          "다시 확인하세요.");
			if (rc == BZ_ERR_INVALID)
				caught++;
		}
	}
	CHECK_INT(caught, 90);

	/* Other known-valid numbers (the check digit completes them). */
	static const char *const more[] = {"1248100998", "2208162517"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(more); i++) {
		char nine[10];
		memcpy(nine, more[i], 9);
		nine[9] = '\0';
		CHECK_INT(brn_check_digit(nine), more[i][9] - '0');
	}
}

static void test_format(void)
{
	char out[BRN_FMT_SIZE];
	CHECK_INT(brn_format("1208147521", out, sizeof(out)), BZ_OK);
	CHECK_STR(out, "120-81-47521");
	CHECK_INT(brn_format("1234567890", out, sizeof(out)), BZ_OK);
	CHECK_STR(out, "123-45-67890");
	CHECK_INT(brn_format("120814752", out, sizeof(out)), BZ_ERR_INVALID);
	CHECK_STR(out, "");
	CHECK_INT(brn_format("12081475210", out, sizeof(out)), BZ_ERR_INVALID);
	CHECK_INT(brn_format("120-81-4752", out, sizeof(out)), BZ_ERR_INVALID);
	CHECK_INT(brn_format(NULL, out, sizeof(out)), BZ_ERR_INVALID);
	char small[12];
	CHECK_INT(brn_format("1208147521", small, sizeof(small)), BZ_ERR_TOOLARGE);
	CHECK_STR(small, "");
	CHECK_INT(brn_format("1208147521", NULL, 0), BZ_ERR_TOOLARGE);
}

static void test_crn(void)
{
	/* 1*1+1*2+0*1+1*2+1*1+1*2+1*1+2*2+3*1+4*2+5*1+6*2 = 41 -> check 9 */
	CHECK_INT(crn_check_digit("110111123456"), 9);
	CHECK_INT(crn_check_digit("11011112345"), -1);
	CHECK(crn_checksum_ok("1101111234569"), "valid CRN refused");
	CHECK(!crn_checksum_ok("1101111234567"), "invalid CRN accepted");

	static const char *const ok[] = {"110111-1234569", "1101111234569", " 110111 - 1234569 "};
	for (size_t i = 0; i < BZ_ARRAY_LEN(ok); i++) {
		char bare[CRN_BARE_SIZE];
		const char *msg = NULL;
		CHECK_INT(crn_parse(ok[i], bare, &msg), BZ_OK);
		CHECK_STR(bare, "1101111234569");
	}
	char bare[CRN_BARE_SIZE];
	const char *msg = NULL;
	CHECK_INT(crn_parse("", bare, &msg), BZ_ERR_INVALID);
	CHECK_STR(msg, "법인등록번호를 입력하세요.");
	CHECK_INT(crn_parse("110111-123456", bare, &msg), BZ_ERR_INVALID);
	CHECK_STR(msg, "법인등록번호는 숫자 13자리입니다.");
	CHECK_INT(crn_parse("110111-12345a7", bare, &msg), BZ_ERR_INVALID);
	CHECK_STR(msg, "법인등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다.");
	CHECK_INT(crn_parse("1101-111234567", bare, &msg), BZ_ERR_INVALID);
	CHECK_STR(msg, "법인등록번호는 110111-1234567 형식으로 입력하세요.");
	CHECK_INT(crn_parse("110111-1234567", bare, &msg), BZ_ERR_INVALID);
	CHECK_STR(msg,
	          "법인등록번호가 올바르지 않습니다(검증번호 불일치). 번호를 다시 확인하세요.");
	CHECK_INT(crn_normalize("110111-1234567", bare, &msg), BZ_OK);
	CHECK_STR(bare, "1101111234567");

	/* A single-digit change is caught except a change by 5 under weight 2
	 * (2 * 5 = 10): six positions have weight 2, so 117 - 6 changes are caught. */
	int caught = 0;
	for (int pos = 0; pos < 13; pos++)
		for (char d = '0'; d <= '9'; d++) {
			char s[CRN_BARE_SIZE];
			memcpy(s, "1101111234569", sizeof(s));
			if (s[pos] == d)
				continue;
			s[pos] = d;
			if (!crn_checksum_ok(s))
				caught++;
		}
	CHECK_INT(caught, 111);

	char out[CRN_FMT_SIZE];
	CHECK_INT(crn_format("1101111234569", out, sizeof(out)), BZ_OK);
	CHECK_STR(out, "110111-1234569");
	CHECK_INT(crn_format("110111123456", out, sizeof(out)), BZ_ERR_INVALID);
	CHECK_INT(crn_format("1101111234569", out, 14), BZ_ERR_TOOLARGE);
}

int main(void)
{
	test_normalize_accepts();
	test_normalize_rejects();
	test_check_digit();
	test_format();
	test_crn();
	return t_done();
}
