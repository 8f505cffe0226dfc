/* SOS case attachments: what a file is, judged by its bytes (never by the
 * name or the type the browser sent), and a display name safe anywhere. */
#include "bizsos/sos_case.h"

#include <string.h>
#include <strings.h>

static bool starts(const unsigned char *h, size_t n, const void *magic, size_t m)
{
	return n >= m && memcmp(h, magic, m) == 0;
}

/* UTF-8 text without control characters other than tab and line breaks; a
 * multi-byte character cut off at the end of the sample is fine. */
static bool plain_text(const unsigned char *h, size_t n)
{
	if (n == 0)
		return false;
	size_t i = 0;
	if (starts(h, n, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n) {
		unsigned char c = h[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return false;
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (len == 0 || c > 0xF4)
			return false;
		if (i + len > n)
			return n - i < 4; /* cut off by the sample */
		if (!bz_utf8_valid((const char *)h + i, len))
			return false;
		i += len;
	}
	return true;
}

/* Text that a browser or a shell would run: refused even as text. */
static bool active_text(const unsigned char *h, size_t n)
{
	size_t i = 0;
	while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
		i++;
	static const char *const bad[] = {"#!",   "<!doctype", "<html", "<script",
	                                  "<svg", "<?xml",     "<?php"};
	for (size_t k = 0; k < BZ_ARRAY_LEN(bad); k++) {
		size_t m = strlen(bad[k]);
		if (n - i >= m && strncasecmp((const char *)h + i, bad[k], m) == 0)
			return true;
	}
	return false;
}

const char *case_sniff_type(const unsigned char *h, size_t n)
{
	if (starts(h, n, "%PDF-", 5))
		return "application/pdf";
	if (starts(h, n, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts(h, n, "\xFF\xD8\xFF", 3))
		return "image/jpeg";
	if (starts(h, n, "GIF87a", 6) || starts(h, n, "GIF89a", 6))
		return "image/gif";
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (starts(h, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return "application/x-hwp"; /* OLE compound file: HWP 5, old Office */
	if (starts(h, n, "PK\x03\x04", 4))
		return "application/zip"; /* HWPX, DOCX, XLSX, PPTX */
	if (plain_text(h, n) && !active_text(h, n))
		return "text/plain; charset=utf-8";
	return NULL;
}

void case_safe_filename(const char *in, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (in == NULL)
		in = "";
	const char *base = in;
	for (const char *p = in; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	while (*base == '.' || *base == ' ')
		base++;
	size_t o = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)base; *p && chars < 100;) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
		if (!bz_utf8_valid((const char *)p, strnlen((const char *)p, len)) ||
		    strnlen((const char *)p, len) < len) {
			p++;
			continue;
		}
		if (o + len + 1 > outlen)
			break;
		if (len == 1 && (*p < 0x20 || *p == 0x7f || strchr("\"'<>:;|?*`$%", *p)))
			out[o++] = '_';
		else {
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		chars++;
	}
	out[o] = '\0';
	if (o == 0)
		bz_strlcpy(out, "첨부파일", outlen);
}
