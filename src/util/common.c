#include "bizsos/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *bz_strerror(bz_rc rc)
{
	static const char *const names[] = {
	    [BZ_OK] = "ok",
	    [BZ_ERR_NOMEM] = "out of memory",
	    [BZ_ERR_IO] = "i/o error",
	    [BZ_ERR_DB] = "database error",
	    [BZ_ERR_CONSTRAINT] = "constraint",
	    [BZ_ERR_INVALID] = "invalid input",
	    [BZ_ERR_NOTFOUND] = "not found",
	    [BZ_ERR_CONFLICT] = "conflict",
	    [BZ_ERR_FORBIDDEN] = "forbidden",
	    [BZ_ERR_TOOLARGE] = "too large",
	    [BZ_ERR_LOCKED] = "locked",
	    [BZ_ERR_SCHEMA] = "schema version",
	    [BZ_ERR_BUSY] = "busy",
	    [BZ_ERR_THROTTLED] = "throttled",
	};
	if ((size_t)rc < BZ_ARRAY_LEN(names) && names[rc])
		return names[rc];
	return "unknown error";
}

void bz_log(const char *level, const char *fmt, ...)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);

	char msg[2048], safe[2048 * 4];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bz_log_escape(msg, safe, sizeof(safe));
	fprintf(stderr, "%s %s %s\n", ts, level, safe);
}

size_t bz_log_escape(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (outlen == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		char esc[4];
		size_t n = 0;
		if (*p < 0x20 || *p == 0x7f || *p == '\\') {
			esc[n++] = '\\';
			if (*p == '\\') {
				esc[n++] = '\\';
			} else {
				esc[n++] = 'x';
				esc[n++] = hex[*p >> 4];
				esc[n++] = hex[*p & 15];
			}
			/* "\\" is two bytes, "\xNN" four. */
		} else {
			esc[n++] = (char)*p;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

bool bz_strlcpy(char *dst, const char *src, size_t dstsize)
{
	if (dstsize == 0)
		return false;
	size_t n = strnlen(src, dstsize);
	if (n == dstsize) {
		memcpy(dst, src, dstsize - 1);
		dst[dstsize - 1] = '\0';
		return false;
	}
	memcpy(dst, src, n + 1);
	return true;
}

bool bz_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}
