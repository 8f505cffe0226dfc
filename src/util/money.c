/* Integer money: checked arithmetic, the grant split, rates, formatting, parsing. */
#include "bizsos/money.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 i128;

#define EN_DASH    "\xE2\x80\x93" /* U+2013 */
#define WON        "\xEC\x9B\x90" /* 원 */
#define WON_SIGN   "\xE2\x82\xA9" /* ₩ U+20A9 */
#define WON_FULL   "\xEF\xBF\xA6" /* ￦ U+FFE6 */
#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */

#define MSG_EMPTY   "금액을 입력하세요."
#define MSG_DECIMAL "금액은 원 단위 정수로 입력하세요(소수점 없이)."
#define MSG_CHARS   "금액은 숫자로 입력하세요(예: 12,345,678)."
#define MSG_COMMAS  "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678)."
#define MSG_NEG     "금액은 0원 이상이어야 합니다."
#define MSG_BIG     "금액이 너무 큽니다. 원 단위로 입력했는지 확인하세요."

/* ---- arithmetic ---- */

bz_rc money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return BZ_ERR_TOOLARGE;
	*out = r;
	return BZ_OK;
}

bz_rc money_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_sub_overflow(a, b, &r))
		return BZ_ERR_TOOLARGE;
	*out = r;
	return BZ_OK;
}

bz_rc money_mul(int64_t a, int64_t n, int64_t *out)
{
	int64_t r;
	if (__builtin_mul_overflow(a, n, &r))
		return BZ_ERR_TOOLARGE;
	*out = r;
	return BZ_OK;
}

bz_rc money_sum(const int64_t *v, size_t n, int64_t *out)
{
	int64_t s = 0;
	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(s, v[i], &s))
			return BZ_ERR_TOOLARGE;
	*out = s;
	return BZ_OK;
}

/* ---- grant split ---- */

bz_rc grant_split_default(int64_t total, struct grant_split *out)
{
	if (total < 0)
		return BZ_ERR_INVALID;
	/* total × 40 / 100 without an intermediate that could overflow:
	 * total = 100q + r  →  40q + 40r / 100. */
	int64_t q = total / 100, r = total % 100;
	int64_t share = q * GRANT_PUBLIC_PERCENT + r * GRANT_PUBLIC_PERCENT / 100;
	share -= share % 10;
	int64_t both, rest;
	if (__builtin_add_overflow(share, share, &both) ||
	    __builtin_sub_overflow(total, both, &rest))
		return BZ_ERR_TOOLARGE; /* cannot happen for total >= 0 */
	out->total = total;
	out->province = share;
	out->city = share;
	out->company = rest;
	return BZ_OK;
}

bool grant_split_is_default(const struct grant_split *s)
{
	struct grant_split d;
	if (grant_split_default(s->total, &d) != BZ_OK)
		return false;
	return s->province == d.province && s->city == d.city && s->company == d.company;
}

/* True if s holds only ASCII whitespace and U+3000 ideographic spaces. */
static bool blank(const char *s)
{
	if (!s)
		return true;
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f')
			s++;
		else if (strncmp(s, IDEO_SPACE, 3) == 0)
			s += 3;
		else
			return false;
	}
	return true;
}

static bz_rc split_fail(enum grant_field f, const char *m, enum grant_field *field,
                        const char **msg)
{
	if (field)
		*field = f;
	if (msg)
		*msg = m;
	return BZ_ERR_INVALID;
}

bz_rc grant_split_check(const struct grant_split *s, const char *reason, enum grant_field *field,
                        const char **msg)
{
	if (field)
		*field = GRANT_FIELD_NONE;
	if (s->total < 0)
		return split_fail(GRANT_FIELD_TOTAL, "총사업비는 0원 이상이어야 합니다.", field,
		                  msg);
	if (s->province < 0)
		return split_fail(GRANT_FIELD_PROVINCE, "도비는 0원 이상이어야 합니다.", field,
		                  msg);
	if (s->city < 0)
		return split_fail(GRANT_FIELD_CITY, "시비는 0원 이상이어야 합니다.", field, msg);
	if (s->company < 0)
		return split_fail(GRANT_FIELD_COMPANY, "자부담은 0원 이상이어야 합니다.", field,
		                  msg);
	int64_t sum;
	if (__builtin_add_overflow(s->province, s->city, &sum) ||
	    __builtin_add_overflow(sum, s->company, &sum) || sum != s->total)
		return split_fail(GRANT_FIELD_SHARES,
		                  "도비, 시비, 자부담을 더한 금액이 총사업비와 같아야 합니다.",
		                  field, msg);
	if (!grant_split_is_default(s) && blank(reason))
		return split_fail(
		    GRANT_FIELD_REASON,
		    "분담 비율이 기본(도비 40%, 시비 40%, 자부담 20%)과 다르면 사유를 "
		    "입력하세요.",
		    field, msg);
	return BZ_OK;
}

/* ---- rates ---- */

/* n / d rounded half away from zero; d > 0. */
static i128 div_round(i128 n, i128 d)
{
	i128 q = n / d, r = n % d;
	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	return q;
}

struct rate rate_tenths(int64_t num, int64_t den)
{
	struct rate r = {false, 0};
	if (den <= 0)
		return r;
	i128 t = div_round((i128)num * 1000, den);
	if (t > INT64_MAX || t < -INT64_MAX)
		return r;
	r.ok = true;
	r.tenths = (int64_t)t;
	return r;
}

struct rate rate_achievement(int64_t actual, int64_t target)
{
	return rate_tenths(actual, target);
}

/* ---- formatting ---- */

static bz_rc put(char *out, size_t outlen, const char *text)
{
	if (!bz_strlcpy(out, text, outlen)) {
		if (outlen > 0)
			out[0] = '\0';
		return BZ_ERR_TOOLARGE;
	}
	return BZ_OK;
}

bz_rc money_format_won(int64_t won, char *out, size_t outlen)
{
	/* Digits are written backwards from the end of tmp. */
	char tmp[MONEY_TEXT_SIZE];
	size_t i = sizeof(tmp) - 1;
	tmp[i] = '\0';
	uint64_t u = won < 0 ? (uint64_t)0 - (uint64_t)won : (uint64_t)won;
	int digits = 0;
	do {
		if (digits > 0 && digits % 3 == 0)
			tmp[--i] = ',';
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
		digits++;
	} while (u > 0);
	if (won < 0)
		tmp[--i] = '-';
	return put(out, outlen, tmp + i);
}

bz_rc money_format_million(int64_t won, char *out, size_t outlen)
{
	return money_format_won((int64_t)div_round(won, 1000000), out, outlen);
}

bz_rc rate_format(struct rate r, char *out, size_t outlen)
{
	if (!r.ok)
		return put(out, outlen, EN_DASH);
	uint64_t u = r.tenths < 0 ? (uint64_t)0 - (uint64_t)r.tenths : (uint64_t)r.tenths;
	char tmp[RATE_TEXT_SIZE];
	snprintf(tmp, sizeof(tmp), "%s%llu.%u", r.tenths < 0 ? "-" : "",
	         (unsigned long long)(u / 10), (unsigned)(u % 10));
	return put(out, outlen, tmp);
}

/* ---- parsing ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bz_rc parse_fail(const char **msg, const char *m)
{
	if (msg)
		*msg = m;
	return BZ_ERR_INVALID;
}

bz_rc money_parse_won(const char *s, bool allow_negative, int64_t *out, const char **msg)
{
	if (!s)
		return parse_fail(msg, MSG_EMPTY);
	size_t a = 0, b = strlen(s);
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	if (a == b)
		return parse_fail(msg, MSG_EMPTY);

	bool neg = false;
	if (s[a] == '-') {
		neg = true;
		a++;
	}
	if (b - a >= 3 && (memcmp(s + a, WON_SIGN, 3) == 0 || memcmp(s + a, WON_FULL, 3) == 0))
		a += 3;
	if (b - a >= 3 && memcmp(s + b - 3, WON, 3) == 0) {
		b -= 3;
		while (b > a && is_space(s[b - 1]))
			b--;
	}
	if (a == b)
		return parse_fail(msg, MSG_CHARS); /* "-", "원" */

	/* Characters first, so "12.5" says "no decimals" rather than "bad commas". */
	for (size_t i = a; i < b; i++) {
		if (s[i] == '.')
			return parse_fail(msg, MSG_DECIMAL);
		if ((s[i] < '0' || s[i] > '9') && s[i] != ',')
			return parse_fail(msg, MSG_CHARS);
	}

	/* Commas, if any, group by three from the right: 1-3 digits, then ,ddd... */
	bool commas = memchr(s + a, ',', b - a) != NULL;
	int64_t v = 0;
	size_t group = 0, ngroups = 0;
	bool big = false;
	for (size_t i = a; i <= b; i++) {
		if (i == b || s[i] == ',') {
			if (group == 0 || (commas && ngroups == 0 && group > 3) ||
			    (ngroups > 0 && group != 3))
				return parse_fail(msg, MSG_COMMAS);
			ngroups++;
			group = 0;
			continue;
		}
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, s[i] - '0', &v) || v > MONEY_INPUT_MAX) {
			big = true; /* keep scanning: a comma error is reported first */
			v = 0;
		}
		group++;
	}
	if (big)
		return parse_fail(msg, MSG_BIG);
	if (neg && !allow_negative && v != 0)
		return parse_fail(msg, MSG_NEG);
	*out = neg ? -v : v;
	return BZ_OK;
}
