/* Korean business identifiers: 사업자등록번호 (BRN, 10 digits, shown 123-45-67890)
 * and 법인등록번호 (corporate registration number, 13 digits, shown 110111-1234567).
 * Pure functions: no I/O, no allocation. Numbers are stored bare (digits only).
 *
 * Error messages are static Korean strings meant for a form's field error;
 * callers must not free them. */
#ifndef BIZSOS_BRN_H
#define BIZSOS_BRN_H

#include "bizsos/common.h"

#define BRN_DIGITS    10
#define BRN_BARE_SIZE 11 /* "1208147521" + NUL */
#define BRN_FMT_SIZE  13 /* "120-81-47521" + NUL */

#define CRN_DIGITS    13
#define CRN_BARE_SIZE 14 /* "1101111234567" + NUL */
#define CRN_FMT_SIZE  15 /* "110111-1234567" + NUL */

/* Normalises typed BRN input into 10 bare digits in out (BRN_BARE_SIZE bytes).
 * Accepted: "1208147521", "120-81-47521", "120 81 47521", "120 - 81 - 47521",
 * with surrounding spaces or tabs; the digits must be either one run of 10 or
 * grouped 3-2-5. Does not check the check digit (see brn_parse).
 * BZ_ERR_INVALID with *msg set (if msg) for empty input, a character other than
 * digits, '-' and blanks, or the wrong number or grouping of digits; out is then "". */
bz_rc brn_normalize(const char *in, char out[BRN_BARE_SIZE], const char **msg);

/* The check digit (0..9) for the first nine digits of a BRN; -1 if bare9 does not
 * start with nine ASCII digits. Useful for generating valid demo numbers. */
int brn_check_digit(const char *bare9);

/* True if bare is exactly 10 ASCII digits whose last digit is the check digit. */
bool brn_checksum_ok(const char *bare);

/* brn_normalize followed by the check-digit test: the one call a form handler
 * needs. BZ_ERR_INVALID with a Korean *msg when the input is malformed or the
 * check digit does not match; out is "" then. */
bz_rc brn_parse(const char *in, char out[BRN_BARE_SIZE], const char **msg);

/* Formats 10 bare digits as "123-45-67890" into out (at least BRN_FMT_SIZE).
 * BZ_ERR_INVALID if bare is not 10 digits, BZ_ERR_TOOLARGE if outlen is too
 * small; out is "" on any error (when outlen > 0). */
bz_rc brn_format(const char *bare, char *out, size_t outlen);

/* 법인등록번호: the same contract as the brn_ functions, for 13 digits grouped
 * 6-7 ("110111-1234567"). Check digit: weights 1,2,1,2,... on digits 1–12,
 * check = (10 − sum mod 10) mod 10. */
bz_rc crn_normalize(const char *in, char out[CRN_BARE_SIZE], const char **msg);
int crn_check_digit(const char *bare12);
bool crn_checksum_ok(const char *bare);
bz_rc crn_parse(const char *in, char out[CRN_BARE_SIZE], const char **msg);
bz_rc crn_format(const char *bare, char *out, size_t outlen);

#endif
