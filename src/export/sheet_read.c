/* Reading CSV and XLSX tables row by row (see sheet.h). The XLSX side opens
 * the zip with libzip, finds the first sheet through xl/workbook.xml and its
 * relationships, loads the shared strings, then streams the sheet's XML
 * through expat in 64 KiB pieces: memory grows with the shared strings and
 * one row, never with the number of rows. */
#include "bizsos/sheet.h"
#include "bizsos/buf.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK        65536
#define SHARED_MAX   ((size_t)64 * 1024 * 1024) /* bytes of shared strings held */
#define SHARED_COUNT 2000000
#define SMALL_PART   ((zip_uint64_t)8 * 1024 * 1024)

/* ---- a row being built ---------------------------------------------------- */

struct row {
	struct buf cell[SHEET_MAX_COLS];
	size_t n;
};

static void row_init(struct row *r)
{
	for (size_t i = 0; i < SHEET_MAX_COLS; i++)
		buf_init(&r->cell[i], SHEET_MAX_CELL_BYTES);
	r->n = 0;
}

static void row_reset(struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		buf_reset(&r->cell[i]);
	r->n = 0;
}

static void row_free(struct row *r)
{
	for (size_t i = 0; i < SHEET_MAX_COLS; i++)
		buf_free(&r->cell[i]);
}

/* Checks the cells, fills the pointer array and calls fn. */
static bz_rc row_emit(struct row *r, int64_t row_no, sheet_row_fn fn, void *ctx, bool csv,
                      const char **msg)
{
	const char *cells[SHEET_MAX_COLS];
	for (size_t i = 0; i < r->n; i++) {
		struct buf *b = &r->cell[i];
		if (b->failed) {
			*msg = "셀 하나에 64KB가 넘는 내용이 있습니다. 내용을 줄여 주세요.";
			return BZ_ERR_INVALID;
		}
		const char *s = buf_cstr(b);
		if (!bz_utf8_valid(s, b->len)) {
			*msg = "파일이 UTF-8이 아닙니다. 엑셀에서 ‘CSV UTF-8’로 저장하거나 XLSX로 "
			       "올려 "
			       "주세요.";
			return BZ_ERR_INVALID;
		}
		if (row_no == 1 && i == 0 && b->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3;
		/* the export's neutralising apostrophe comes off again */
		if (csv && s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
			s++;
		cells[i] = s;
	}
	/* a blank line is no row */
	if (r->n == 0 || (r->n == 1 && cells[0][0] == '\0'))
		return BZ_OK;
	return fn(ctx, row_no, cells, r->n);
}

/* ---- CSV ------------------------------------------------------------------ */

static bz_rc read_csv(const char *path, sheet_row_fn fn, void *ctx, const char **msg)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return BZ_ERR_IO;
	struct row r;
	row_init(&r);
	bz_rc rc = BZ_OK;
	int64_t row_no = 1;
	enum { START, PLAIN, QUOTED, QUOTE_IN } st = START;
	bool pending = false; /* a row has begun */
	int c;
	r.n = 1;
	while (rc == BZ_OK && (c = getc(f)) != EOF) {
		struct buf *cell = &r.cell[r.n - 1];
		if (st == QUOTED) {
			if (c == '"')
				st = QUOTE_IN;
			else
				buf_putc(cell, (char)c);
			continue;
		}
		if (st == QUOTE_IN) {
			if (c == '"') {
				buf_putc(cell, '"');
				st = QUOTED;
				continue;
			}
			st = PLAIN; /* the closing quote; what follows is handled below */
		}
		if (c == ',') {
			if (r.n == SHEET_MAX_COLS) {
				*msg = "열이 64개를 넘습니다. 서식 파일의 열만 남겨 주세요.";
				rc = BZ_ERR_INVALID;
				break;
			}
			r.n++;
			st = START;
			pending = true;
		} else if (c == '\n' || c == '\r') {
			if (c == '\r') {
				int d = getc(f);
				if (d != '\n' && d != EOF)
					ungetc(d, f);
			}
			rc = row_emit(&r, row_no, fn, ctx, true, msg);
			row_no++;
			row_reset(&r);
			r.n = 1;
			st = START;
			pending = false;
		} else if (c == '"' && st == START) {
			st = QUOTED;
			pending = true;
		} else {
			buf_putc(cell, (char)c);
			st = PLAIN;
			pending = true;
		}
	}
	if (rc == BZ_OK && ferror(f))
		rc = BZ_ERR_IO;
	if (rc == BZ_OK && st == QUOTED) {
		*msg = "따옴표(\")가 닫히지 않은 셀이 있습니다. 파일 끝을 확인해 주세요.";
		rc = BZ_ERR_INVALID;
	}
	if (rc == BZ_OK && pending)
		rc = row_emit(&r, row_no, fn, ctx, true, msg);
	row_free(&r);
	fclose(f);
	return rc;
}

/* ---- XLSX: small parts read whole ------------------------------------------ */

static bz_rc zip_read_all(zip_t *z, const char *name, char **out, size_t *len)
{
	zip_stat_t st;
	*out = NULL;
	if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return BZ_ERR_NOTFOUND;
	if (st.size > SMALL_PART)
		return BZ_ERR_TOOLARGE;
	zip_file_t *f = zip_fopen(z, name, 0);
	if (f == NULL)
		return BZ_ERR_IO;
	char *data = malloc(st.size + 1);
	zip_int64_t got = data ? zip_fread(f, data, st.size) : -1;
	zip_fclose(f);
	if (got != (zip_int64_t)st.size) {
		free(data);
		return BZ_ERR_IO;
	}
	data[st.size] = '\0';
	*out = data;
	*len = st.size;
	return BZ_OK;
}

static const char *attr(const XML_Char **a, const char *name)
{
	for (size_t i = 0; a[i]; i += 2)
		if (strcmp(a[i], name) == 0)
			return a[i + 1];
	return NULL;
}

/* The local part of an element name ("x:row" -> "row"). */
static const char *local(const XML_Char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

/* workbook.xml: the r:id of the first sheet */
struct first_sheet {
	char rid[64];
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct first_sheet *fs = ud;
	if (fs->rid[0] == '\0' && strcmp(local(name), "sheet") == 0) {
		for (size_t i = 0; a[i]; i += 2)
			if (strcmp(local(a[i]), "id") == 0 && strncmp(a[i], "r:", 2) == 0)
				bz_strlcpy(fs->rid, a[i + 1], sizeof(fs->rid));
	}
}

/* workbook.xml.rels: the target of that id */
struct rel_find {
	const char *rid;
	char target[512];
};

static void XMLCALL rel_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct rel_find *rf = ud;
	if (strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(a, "Id"), *target = attr(a, "Target");
	if (id && target && strcmp(id, rf->rid) == 0)
		bz_strlcpy(rf->target, target, sizeof(rf->target));
}

static bool parse_small(zip_t *z, const char *name, XML_StartElementHandler start, void *ud)
{
	char *data;
	size_t len;
	if (zip_read_all(z, name, &data, &len) != BZ_OK)
		return false;
	XML_Parser p = XML_ParserCreate("UTF-8");
	bool ok = p != NULL;
	if (ok) {
		XML_SetUserData(p, ud);
		XML_SetStartElementHandler(p, start);
		ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK;
		XML_ParserFree(p);
	}
	free(data);
	return ok;
}

/* The path of the first worksheet inside the zip, into out. */
static bool sheet_path(zip_t *z, char *out, size_t outlen)
{
	struct first_sheet fs = {{0}};
	struct rel_find rf = {fs.rid, {0}};
	if (parse_small(z, "xl/workbook.xml", wb_start, &fs) && fs.rid[0] &&
	    parse_small(z, "xl/_rels/workbook.xml.rels", rel_start, &rf) && rf.target[0] &&
	    strstr(rf.target, "..") == NULL) {
		if (rf.target[0] == '/')
			bz_strlcpy(out, rf.target + 1, outlen);
		else
			snprintf(out, outlen, "xl/%s", rf.target);
		return true;
	}
	bz_strlcpy(out, "xl/worksheets/sheet1.xml", outlen);
	return zip_name_locate(z, out, 0) >= 0;
}

/* ---- shared strings ---------------------------------------------------------- */

struct shared {
	char **s;
	size_t n, cap, bytes;
	struct buf cur;
	int in_si, in_t, in_rph;
	bool failed;
};

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	(void)a;
	struct shared *ss = ud;
	const char *l = local(name);
	if (strcmp(l, "si") == 0) {
		ss->in_si = 1;
		buf_reset(&ss->cur);
	} else if (strcmp(l, "rPh") == 0)
		ss->in_rph++;
	else if (strcmp(l, "t") == 0 && ss->in_si && !ss->in_rph)
		ss->in_t = 1;
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
	struct shared *ss = ud;
	const char *l = local(name);
	if (strcmp(l, "t") == 0)
		ss->in_t = 0;
	else if (strcmp(l, "rPh") == 0)
		ss->in_rph--;
	else if (strcmp(l, "si") == 0) {
		ss->in_si = 0;
		if (ss->failed)
			return;
		if (ss->n == ss->cap) {
			size_t cap = ss->cap ? ss->cap * 2 : 256;
			char **ns = cap <= SHARED_COUNT ? realloc(ss->s, cap * sizeof(*ns)) : NULL;
			if (ns == NULL) {
				ss->failed = true;
				return;
			}
			ss->s = ns;
			ss->cap = cap;
		}
		const char *t = ss->cur.failed ? NULL : buf_cstr(&ss->cur);
		ss->bytes += ss->cur.len + 1;
		char *copy = t && ss->bytes <= SHARED_MAX ? strdup(t) : NULL;
		if (copy == NULL) {
			ss->failed = true;
			return;
		}
		ss->s[ss->n++] = copy;
	}
}

static void XMLCALL ss_text(void *ud, const XML_Char *s, int len)
{
	struct shared *ss = ud;
	if (ss->in_t)
		buf_append(&ss->cur, s, (size_t)len);
}

static void shared_free(struct shared *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		free(ss->s[i]);
	free(ss->s);
	buf_free(&ss->cur);
}

/* Streams part name of z through parser p. */
static bz_rc stream_part(zip_t *z, const char *name, XML_Parser p, bool *stopped)
{
	zip_file_t *f = zip_fopen(z, name, 0);
	if (f == NULL)
		return BZ_ERR_NOTFOUND;
	char *chunk = malloc(CHUNK);
	bz_rc rc = chunk ? BZ_OK : BZ_ERR_NOMEM;
	for (;;) {
		if (rc != BZ_OK)
			break;
		zip_int64_t got = zip_fread(f, chunk, CHUNK);
		if (got < 0) {
			rc = BZ_ERR_IO;
			break;
		}
		if (XML_Parse(p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
			rc = *stopped ? BZ_OK : BZ_ERR_INVALID;
			break;
		}
		if (got == 0)
			break;
	}
	free(chunk);
	zip_fclose(f);
	return rc;
}

static bz_rc load_shared(zip_t *z, struct shared *ss)
{
	memset(ss, 0, sizeof(*ss));
	buf_init(&ss->cur, SHEET_MAX_CELL_BYTES);
	if (zip_name_locate(z, "xl/sharedStrings.xml", 0) < 0)
		return BZ_OK;
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (p == NULL)
		return BZ_ERR_NOMEM;
	XML_SetUserData(p, ss);
	XML_SetElementHandler(p, ss_start, ss_end);
	XML_SetCharacterDataHandler(p, ss_text);
	bool stopped = false;
	bz_rc rc = stream_part(z, "xl/sharedStrings.xml", p, &stopped);
	XML_ParserFree(p);
	if (rc == BZ_OK && ss->failed)
		rc = BZ_ERR_TOOLARGE;
	return rc;
}

/* ---- the sheet ---------------------------------------------------------------- */

struct sheet_state {
	XML_Parser p;
	struct shared *ss;
	struct row row;
	struct buf val;
	int64_t row_no;
	size_t col;
	char type[16];
	bool in_row, in_cell, in_v, in_is_t;
	bz_rc rc;
	const char *msg;
	sheet_row_fn fn;
	void *ctx;
};

static void stop(struct sheet_state *s, bz_rc rc, const char *msg)
{
	if (s->rc == BZ_OK) {
		s->rc = rc;
		s->msg = msg;
	}
	XML_StopParser(s->p, XML_FALSE);
}

/* "BC12" -> column index 54 (0-based); -1 when there are no letters. */
static long ref_col(const char *ref)
{
	long c = 0;
	const char *p = ref;
	for (; *p >= 'A' && *p <= 'Z'; p++) {
		c = c * 26 + (*p - 'A' + 1);
		if (c > 16384)
			return -1;
	}
	return p == ref ? -1 : c - 1;
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct sheet_state *s = ud;
	const char *l = local(name);
	if (strcmp(l, "row") == 0) {
		const char *r = attr(a, "r");
		long n = r ? strtol(r, NULL, 10) : 0;
		s->row_no = n > 0 ? n : s->row_no + 1;
		s->in_row = true;
		row_reset(&s->row);
		s->col = 0;
	} else if (strcmp(l, "c") == 0 && s->in_row) {
		const char *r = attr(a, "r"), *t = attr(a, "t");
		long c = r ? ref_col(r) : (long)s->col;
		if (c < 0) {
			stop(s, BZ_ERR_INVALID, "시트의 셀 주소를 읽을 수 없습니다.");
			return;
		}
		s->col = (size_t)c; /* beyond SHEET_MAX_COLS: refused at the value */
		bz_strlcpy(s->type, t ? t : "n", sizeof(s->type));
		s->in_cell = true;
		buf_reset(&s->val);
	} else if (s->in_cell && strcmp(l, "v") == 0)
		s->in_v = true;
	else if (s->in_cell && strcmp(l, "t") == 0)
		s->in_is_t = true;
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
	struct sheet_state *s = ud;
	if (s->in_v || s->in_is_t)
		buf_append(&s->val, t, (size_t)len);
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
	struct sheet_state *s = ud;
	const char *l = local(name);
	if (strcmp(l, "v") == 0)
		s->in_v = false;
	else if (strcmp(l, "t") == 0)
		s->in_is_t = false;
	else if (strcmp(l, "c") == 0 && s->in_cell) {
		s->in_cell = false;
		if (s->val.failed) {
			stop(s, BZ_ERR_INVALID, "셀 하나에 64KB가 넘는 내용이 있습니다.");
			return;
		}
		const char *v = buf_cstr(&s->val);
		const char *text = v;
		if (strcmp(s->type, "s") == 0) {
			char *end;
			long i = strtol(v, &end, 10);
			if (*v == '\0' || *end || i < 0 || (size_t)i >= s->ss->n) {
				stop(s, BZ_ERR_INVALID,
				     "공유 문자열 번호가 맞지 않는 셀이 있습니다.");
				return;
			}
			text = s->ss->s[i];
		} else if (strcmp(s->type, "b") == 0)
			text = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
		if (*text == '\0') {
			s->col++;
			return;
		}
		if (s->col >= SHEET_MAX_COLS) {
			stop(s, BZ_ERR_INVALID,
			     "열이 64개를 넘습니다. 서식 파일의 열만 남겨 주세요.");
			return;
		}
		while (s->row.n <= s->col)
			buf_reset(&s->row.cell[s->row.n++]);
		buf_puts(&s->row.cell[s->col], text);
		s->col++;
	} else if (strcmp(l, "row") == 0 && s->in_row) {
		s->in_row = false;
		const char *msg = NULL;
		bz_rc rc = row_emit(&s->row, s->row_no, s->fn, s->ctx, false, &msg);
		if (rc != BZ_OK)
			stop(s, rc, msg);
	}
}

static bz_rc read_xlsx(const char *path, sheet_row_fn fn, void *ctx, const char **msg)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	if (z == NULL) {
		*msg = "XLSX 파일을 열 수 없습니다. 엑셀 통합 문서(.xlsx)인지 확인해 주세요.";
		return BZ_ERR_INVALID;
	}
	char part[600];
	struct shared ss;
	bz_rc rc = BZ_OK;
	memset(&ss, 0, sizeof(ss));
	buf_init(&ss.cur, 16);
	if (!sheet_path(z, part, sizeof(part))) {
		*msg = "XLSX 파일에서 시트를 찾지 못했습니다.";
		rc = BZ_ERR_INVALID;
		goto out;
	}
	buf_free(&ss.cur);
	rc = load_shared(z, &ss);
	if (rc != BZ_OK) {
		*msg = rc == BZ_ERR_TOOLARGE
		           ? "공유 문자열이 너무 많은 파일입니다. 나눠서 올려 주세요."
		           : "XLSX 파일의 문자열 목록을 읽지 못했습니다.";
		rc = BZ_ERR_INVALID;
		goto out;
	}
	struct sheet_state s;
	memset(&s, 0, sizeof(s));
	s.p = XML_ParserCreate("UTF-8");
	if (s.p == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	s.ss = &ss;
	s.fn = fn;
	s.ctx = ctx;
	row_init(&s.row);
	buf_init(&s.val, SHEET_MAX_CELL_BYTES);
	XML_SetUserData(s.p, &s);
	XML_SetElementHandler(s.p, sh_start, sh_end);
	XML_SetCharacterDataHandler(s.p, sh_text);
	bool stopped = false;
	rc = stream_part(z, part, s.p, &stopped);
	if (s.rc != BZ_OK) {
		rc = s.rc;
		*msg = s.msg;
	} else if (rc == BZ_ERR_INVALID || rc == BZ_ERR_NOTFOUND) {
		*msg = "XLSX 시트의 XML을 읽지 못했습니다. 파일이 손상되었을 수 있습니다.";
		rc = BZ_ERR_INVALID;
	}
	XML_ParserFree(s.p);
	row_free(&s.row);
	buf_free(&s.val);
out:
	shared_free(&ss);
	zip_close(z);
	return rc;
}

/* ---- public ------------------------------------------------------------------ */

enum sheet_format sheet_sniff(const char *path)
{
	unsigned char head[4] = {0};
	FILE *f = fopen(path, "rb");
	if (f) {
		size_t n = fread(head, 1, 4, f);
		fclose(f);
		if (n == 4 && memcmp(head, "PK\3\4", 4) == 0)
			return SHEET_XLSX;
	}
	return SHEET_CSV;
}

bz_rc sheet_read(const char *path, enum sheet_format fmt, sheet_row_fn fn, void *ctx,
                 const char **msg)
{
	static const char *unknown = "파일을 읽지 못했습니다.";
	const char *m = NULL;
	bz_rc rc = fmt == SHEET_XLSX ? read_xlsx(path, fn, ctx, &m) : read_csv(path, fn, ctx, &m);
	if (msg)
		*msg = m ? m : rc == BZ_ERR_INVALID ? unknown : NULL;
	return rc;
}

bool sheet_serial_date(const char *s, char *out, size_t outlen)
{
	if (s == NULL || *s < '0' || *s > '9')
		return false;
	char *end;
	double v = strtod(s, &end);
	if (*end || v < 1 || v > 2958465)
		return false;
	long serial = (long)v;
	/* 1900 system: serial 60 is the fictional 1900-02-29; days since 1899-12-30 after it */
	if (serial < 61)
		serial++;
	long days = serial - 25569; /* days from 1970-01-01 */
	/* civil from days (Howard Hinnant) */
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, outlen, "%04ld-%02ld-%02ld", y, m, d);
	return true;
}
