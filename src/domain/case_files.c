/* SOS case attachments: adding one to a case and reading it back; what a
 * file is, judged by its bytes (never by the name or the type the browser
 * sent), and a display name safe anywhere. */
#include "case_internal.h"
#include "bizsos/kst.h"

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

/* ---- attachments -------------------------------------------------------- */

static const char SQL_ATTACH[] =
    "INSERT INTO case_attachment (case_id, at, uploader_id, filename, content_type, size, "
    "sha256, stored_path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_ATTACH_GET[] =
    "SELECT a.id, a.case_id, a.filename, a.content_type, a.size, a.sha256, a.stored_path "
    "FROM case_attachment a JOIN sos_case s ON s.id = a.case_id "
    "WHERE a.id = ?3 AND a.case_id = ?1 AND " CASE_SCOPE;

bz_rc case_attachment_add(struct db *db, const struct user *actor, int64_t id, int64_t version,
                          const struct case_attachment *a, json_t *fields, char *msg, size_t msglen)
{
	(void)fields;
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_ATTACH, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	rc = db_execf(db, SQL_ATTACH, "itittitt", r.id, now, actor->id, a->filename,
	              a->content_type, a->size, a->sha256, a->stored_path);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "attachment", NULL, NULL, a->filename,
		                    NULL);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

bz_rc case_attachment_get(struct db *db, const struct user *actor, int64_t id, int64_t aid,
                          struct case_attachment *out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ATTACH_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, case_scope_department(actor));
	db_bind_int(st, 3, aid);
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "attachment");
	}
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->case_id = sqlite3_column_int64(st, 1);
	case_col(st, 2, out->filename, sizeof(out->filename));
	case_col(st, 3, out->content_type, sizeof(out->content_type));
	out->size = sqlite3_column_int64(st, 4);
	case_col(st, 5, out->sha256, sizeof(out->sha256));
	case_col(st, 6, out->stored_path, sizeof(out->stored_path));
	sqlite3_reset(st);
	return BZ_OK;
}
