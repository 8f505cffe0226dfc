/* 사업자등록번호 and 법인등록번호: normalisation, check digits, display format. */
#include "bizsos/brn.h"

#include <string.h>

/* The shape and messages of one kind of number. */
struct idkind {
	size_t digits;       /* total number of digits */
	size_t groups[3];    /* display grouping, 0-terminated */
	const char *m_empty; /* 빈 값 */
	const char *m_chars; /* 숫자가 아닌 문자 */
	const char *m_len;   /* 자릿수 */
	const char *m_shape; /* digits right, grouping wrong */
	const char *m_check; /* 검증번호 불일치 */
};

static const struct idkind brn_kind = {
    BRN_DIGITS,
    {3, 2, 5},
    "사업자등록번호를 입력하세요.",
    "사업자등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다.",
    "사업자등록번호는 숫자 10자리입니다.",
    "사업자등록번호는 123-45-67890 형식으로 입력하세요.",
    "사업자등록번호가 올바르지 않습니다(검증번호 불일치). 번호를 다시 확인하세요.",
};

static const struct idkind crn_kind = {
    CRN_DIGITS,
    {6, 7, 0},
    "법인등록번호를 입력하세요.",
    "법인등록번호에는 숫자와 하이픈(-)만 쓸 수 있습니다.",
    "법인등록번호는 숫자 13자리입니다.",
    "법인등록번호는 110111-1234567 형식으로 입력하세요.",
    "법인등록번호가 올바르지 않습니다(검증번호 불일치). 번호를 다시 확인하세요.",
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bz_rc fail(char *out, const char **msg, const char *text)
{
	out[0] = '\0';
	if (msg)
		*msg = text;
	return BZ_ERR_INVALID;
}

/* Splits input into runs of digits separated by blanks with at most one '-'
 * between two runs, then accepts one run of k->digits or exactly k->groups. */
static bz_rc id_normalize(const struct idkind *k, const char *in, char *out, const char **msg)
{
	out[0] = '\0';
	if (!in)
		return fail(out, msg, k->m_empty);

	size_t a = 0, b = strlen(in);
	while (a < b && is_blank(in[a]))
		a++;
	while (b > a && is_blank(in[b - 1]))
		b--;
	if (a == b)
		return fail(out, msg, k->m_empty);

	/* First pass: character set and digit count, so the message names the
	 * most basic problem first. */
	size_t ndigits = 0;
	for (size_t i = a; i < b; i++) {
		if (is_digit(in[i]))
			ndigits++;
		else if (in[i] != '-' && !is_blank(in[i]))
			return fail(out, msg, k->m_chars);
	}
	if (ndigits != k->digits)
		return fail(out, msg, k->m_len);

	/* Second pass: grouping. */
	size_t runs[4] = {0};
	size_t nruns = 0, n = 0;
	size_t i = a;
	while (i < b) {
		if (!is_digit(in[i]))
			return fail(out, msg, k->m_shape); /* leading '-' */
		if (nruns == BZ_ARRAY_LEN(runs))
			return fail(out, msg, k->m_shape);
		size_t len = 0;
		while (i < b && is_digit(in[i])) {
			out[n++] = in[i++];
			len++;
		}
		runs[nruns++] = len;
		if (i == b)
			break;
		int hyphens = 0;
		while (i < b && !is_digit(in[i])) {
			if (in[i] == '-')
				hyphens++;
			i++;
		}
		if (hyphens > 1 || i == b)
			return fail(out, msg, k->m_shape); /* "--" or trailing '-' */
	}
	out[n] = '\0';

	bool ok = nruns == 1;
	if (!ok) {
		size_t g = 0;
		while (g < BZ_ARRAY_LEN(k->groups) && k->groups[g])
			g++;
		ok = nruns == g;
		for (size_t j = 0; ok && j < g; j++)
			ok = runs[j] == k->groups[j];
	}
	if (!ok)
		return fail(out, msg, k->m_shape);
	return BZ_OK;
}

static bool all_digits(const char *s, size_t n)
{
	if (!s)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static bz_rc id_format(const struct idkind *k, const char *bare, char *out, size_t outlen)
{
	if (outlen > 0)
		out[0] = '\0';
	if (!all_digits(bare, k->digits) || bare[k->digits] != '\0')
		return BZ_ERR_INVALID;
	size_t need = k->digits + 1;
	for (size_t g = 1; g < BZ_ARRAY_LEN(k->groups) && k->groups[g]; g++)
		need++;
	if (outlen < need)
		return BZ_ERR_TOOLARGE;
	size_t n = 0, pos = 0;
	for (size_t g = 0; g < BZ_ARRAY_LEN(k->groups) && k->groups[g]; g++) {
		if (g > 0)
			out[n++] = '-';
		memcpy(out + n, bare + pos, k->groups[g]);
		n += k->groups[g];
		pos += k->groups[g];
	}
	out[n] = '\0';
	return BZ_OK;
}

int brn_check_digit(const char *bare9)
{
	static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
	if (!all_digits(bare9, 9))
		return -1;
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (bare9[i] - '0') * w[i];
	sum += (bare9[8] - '0') * 5 / 10;
	return (10 - sum % 10) % 10;
}

bool brn_checksum_ok(const char *bare)
{
	if (!all_digits(bare, BRN_DIGITS) || bare[BRN_DIGITS] != '\0')
		return false;
	return brn_check_digit(bare) == bare[9] - '0';
}

bz_rc brn_normalize(const char *in, char out[BRN_BARE_SIZE], const char **msg)
{
	return id_normalize(&brn_kind, in, out, msg);
}

bz_rc brn_parse(const char *in, char out[BRN_BARE_SIZE], const char **msg)
{
	bz_rc rc = id_normalize(&brn_kind, in, out, msg);
	if (rc != BZ_OK)
		return rc;
	if (!brn_checksum_ok(out))
		return fail(out, msg, brn_kind.m_check);
	return BZ_OK;
}

bz_rc brn_format(const char *bare, char *out, size_t outlen)
{
	return id_format(&brn_kind, bare, out, outlen);
}

int crn_check_digit(const char *bare12)
{
	if (!all_digits(bare12, 12))
		return -1;
	int sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (bare12[i] - '0') * (i % 2 == 0 ? 1 : 2);
	return (10 - sum % 10) % 10;
}

bool crn_checksum_ok(const char *bare)
{
	if (!all_digits(bare, CRN_DIGITS) || bare[CRN_DIGITS] != '\0')
		return false;
	return crn_check_digit(bare) == bare[12] - '0';
}

bz_rc crn_normalize(const char *in, char out[CRN_BARE_SIZE], const char **msg)
{
	return id_normalize(&crn_kind, in, out, msg);
}

bz_rc crn_parse(const char *in, char out[CRN_BARE_SIZE], const char **msg)
{
	bz_rc rc = id_normalize(&crn_kind, in, out, msg);
	if (rc != BZ_OK)
		return rc;
	if (!crn_checksum_ok(out))
		return fail(out, msg, crn_kind.m_check);
	return BZ_OK;
}

bz_rc crn_format(const char *bare, char *out, size_t outlen)
{
	return id_format(&crn_kind, bare, out, outlen);
}
