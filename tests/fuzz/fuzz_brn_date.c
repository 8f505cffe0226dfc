/* libFuzzer target for the domain's text parsers: the BRN and 법인등록번호
 * normalisers, the date parser and the won parser. Beyond "no crash, no
 * sanitizer report", it checks that whatever a parser accepts formats back to
 * text the parser accepts again with the same value.
 *
 *   cmake -DBIZSOS_FUZZ=ON -DCMAKE_C_COMPILER=clang ... && ./fuzz_brn_date \
 *       tests/fuzz/corpus/domain */
#include "bizsos/brn.h"
#include "bizsos/money.h"
#include "bizsos/workday.h"

#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

static void fuzz_brn(const char *s)
{
	char bare[BRN_BARE_SIZE], shown[BRN_FMT_SIZE], again[BRN_BARE_SIZE];
	const char *msg = NULL;
	if (brn_normalize(s, bare, &msg) == BZ_OK) {
		REQUIRE(strlen(bare) == BRN_DIGITS);
		REQUIRE(brn_format(bare, shown, sizeof(shown)) == BZ_OK);
		REQUIRE(brn_normalize(shown, again, NULL) == BZ_OK && strcmp(bare, again) == 0);
	} else {
		REQUIRE(msg != NULL && bare[0] == '\0');
	}
	msg = NULL;
	if (brn_parse(s, bare, &msg) == BZ_OK)
		REQUIRE(brn_checksum_ok(bare));
	else
		REQUIRE(msg != NULL);

	char cbare[CRN_BARE_SIZE], cshown[CRN_FMT_SIZE], cagain[CRN_BARE_SIZE];
	if (crn_parse(s, cbare, NULL) == BZ_OK) {
		REQUIRE(crn_checksum_ok(cbare));
		REQUIRE(crn_format(cbare, cshown, sizeof(cshown)) == BZ_OK);
		REQUIRE(crn_parse(cshown, cagain, NULL) == BZ_OK && strcmp(cbare, cagain) == 0);
	}
}

static void fuzz_date(const char *s)
{
	int32_t day = 0, back = 0;
	const char *msg = NULL;
	char text[DATE_TEXT_SIZE];
	if (date_parse(s, &day, &msg) == BZ_OK) {
		REQUIRE(day >= DATE_MIN && day <= DATE_MAX);
		REQUIRE(date_format(day, text, sizeof(text)) == BZ_OK);
		REQUIRE(strcmp(text, s) == 0);
		REQUIRE(date_parse(text, &back, NULL) == BZ_OK && back == day);
		int q = date_quarter(day), w = date_weekday(day);
		REQUIRE(q >= 1 && q <= 4 && w >= 1 && w <= 7);
		REQUIRE(date_weekday_ko(day) != NULL);
		/* working-day arithmetic on a parsed date, weekends only */
		int32_t due;
		int n = (int)(((unsigned)day * 2654435761u) % 60);
		if (workday_add(NULL, day, n, &due) == BZ_OK)
			REQUIRE(workday_between(NULL, day, due) == n);
	} else {
		REQUIRE(msg != NULL);
	}
}

static void fuzz_won(const char *s)
{
	for (int neg = 0; neg <= 1; neg++) {
		int64_t v = 0, back = 0;
		const char *msg = NULL;
		char text[MONEY_TEXT_SIZE];
		if (money_parse_won(s, neg, &v, &msg) == BZ_OK) {
			REQUIRE(v <= MONEY_INPUT_MAX && v >= -MONEY_INPUT_MAX);
			REQUIRE(neg || v >= 0);
			REQUIRE(money_format_won(v, text, sizeof(text)) == BZ_OK);
			REQUIRE(money_parse_won(text, neg, &back, NULL) == BZ_OK && back == v);
			REQUIRE(money_format_million(v, text, sizeof(text)) == BZ_OK);
			struct rate r = rate_tenths(v, 884000000);
			REQUIRE(rate_format(r, text, sizeof(text)) == BZ_OK);
		} else {
			REQUIRE(msg != NULL);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* the parsers take C strings: they see up to the first NUL */
	fuzz_brn(s);
	fuzz_date(s);
	fuzz_won(s);
	free(s);
	return 0;
}
