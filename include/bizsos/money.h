/* Money and rates, in integers only.
 *
 * Money is int64_t won. Every arithmetic helper checks for overflow and returns
 * BZ_ERR_TOOLARGE instead of wrapping. Rates are int64_t tenths of a percent
 * (852 = 85.2%), rounded half away from zero (반올림; for the non-negative
 * values the app shows, that is round-half-up), with a "not available" state
 * for a zero denominator that renders as "–".
 *
 * Error messages are static Korean strings for a form's field error. */
#ifndef BIZSOS_MONEY_H
#define BIZSOS_MONEY_H

#include "bizsos/common.h"

/* Enough for any int64 with separators: "-9,223,372,036,854,775,808" + NUL. */
#define MONEY_TEXT_SIZE 32
/* Enough for any rate_format output. */
#define RATE_TEXT_SIZE 32
/* The largest amount money_parse_won accepts: 10^15 − 1 won (just under 1,000조
 * 원), so that sums of many typed amounts stay far from int64 overflow. */
#define MONEY_INPUT_MAX INT64_C(999999999999999)

/* ---- arithmetic (BZ_ERR_TOOLARGE on overflow, *out untouched then) ---- */

bz_rc money_add(int64_t a, int64_t b, int64_t *out);
bz_rc money_sub(int64_t a, int64_t b, int64_t *out);
/* a × n, e.g. a unit price times a count. */
bz_rc money_mul(int64_t a, int64_t n, int64_t *out);
/* The sum of v[0..n); 0 for n = 0. */
bz_rc money_sum(const int64_t *v, size_t n, int64_t *out);

/* ---- improvement-grant split (도비 / 시비 / 자부담) ---- */

#define GRANT_PUBLIC_PERCENT 40 /* each of 도비 and 시비 by default */

struct grant_split {
	int64_t total;    /* 총사업비 */
	int64_t province; /* 도비 */
	int64_t city;     /* 시비 */
	int64_t company;  /* 자부담 */
};

/* Which form field a grant_split_check error belongs to. */
enum grant_field {
	GRANT_FIELD_NONE = 0,
	GRANT_FIELD_TOTAL,
	GRANT_FIELD_PROVINCE,
	GRANT_FIELD_CITY,
	GRANT_FIELD_COMPANY,
	GRANT_FIELD_SHARES, /* the three shares together (they do not add up) */
	GRANT_FIELD_REASON,
};

/* The default 40/40/20 split of total: 도비 and 시비 are each total × 40 / 100
 * truncated down to 10 won, 자부담 is the remainder (so the shares always add up).
 * 12,345,678 → 4,938,270 / 4,938,270 / 2,469,138. BZ_ERR_INVALID if total < 0. */
bz_rc grant_split_default(int64_t total, struct grant_split *out);

/* True if s equals grant_split_default(s->total). */
bool grant_split_is_default(const struct grant_split *s);

/* Validates a split typed by a user: the total and every share ≥ 0, the shares
 * add up to the total, and a split other than the default comes with a reason
 * that is not blank (ASCII or ideographic spaces only count as blank). reason
 * may be NULL. BZ_ERR_INVALID with *field and a Korean *msg (each if not NULL)
 * naming the first problem found. */
bz_rc grant_split_check(const struct grant_split *s, const char *reason, enum grant_field *field,
                        const char **msg);

/* ---- rates ---- */

struct rate {
	bool ok;        /* false: not available (zero or negative denominator, or too large) */
	int64_t tenths; /* tenths of a percent when ok */
};

/* num / den in tenths of a percent, rounded: 753 / 884 → 852 (85.2%).
 * Not available when den <= 0 or the result does not fit. Never divides by 0. */
struct rate rate_tenths(int64_t num, int64_t den);
/* Achievement against a target (달성률): actual / target, the same way. */
struct rate rate_achievement(int64_t actual, int64_t target);

/* ---- formatting and parsing (into caller buffers; "" on error) ---- */

/* "12,345,678", "-1,234", "0". BZ_ERR_TOOLARGE if out is too small. */
bz_rc money_format_won(int64_t won, char *out, size_t outlen);
/* In 백만원 as on the card: won / 1,000,000 rounded half away from zero, with
 * separators: 898,000,000 → "898", 1,234,500,000 → "1,235", 499,999 → "0". */
bz_rc money_format_million(int64_t won, char *out, size_t outlen);
/* A rate with one decimal: "85.2", "100.0", "-0.5"; "–" (U+2013) when not
 * available. BZ_ERR_TOOLARGE if out is too small. */
bz_rc rate_format(struct rate r, char *out, size_t outlen);

/* Parses a won amount typed in a form: digits with optional thousands commas
 * (grouped correctly), optional "원" after and "₩" before, surrounding blanks.
 * "12,345,678", "12345678", "1,234원", " ₩5,000 " are fine. A leading '-' only
 * if allow_negative (a correction entry). BZ_ERR_INVALID with a Korean *msg (if
 * msg) for empty input, decimals ("12.5"), other characters ("abc", "-"),
 * misplaced commas ("1,23,456") or an amount above MONEY_INPUT_MAX. */
bz_rc money_parse_won(const char *s, bool allow_negative, int64_t *out, const char **msg);

#endif
