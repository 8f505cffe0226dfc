/* List exports as CSV or XLSX from a column spec and a stream of rows (see
 * export.h). Both write to a temporary file that is unlinked once finished
 * and handed over as a descriptor, so a 100,000-row export costs a file on
 * disk, not memory: libxlsxwriter's constant_memory mode flushes every row. */
#include "bizsos/export.h"
#include "bizsos/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define WIDTH_MAX   60
#define XLSX_STRMAX 32767

struct export_writer {
	const struct export_spec *spec;
	enum export_format fmt;
	char file[4200];
	int64_t rows;
	/* CSV */
	FILE *csv;
	struct buf line;
	/* XLSX */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *text, *won, *num, *date, *instant;
	double *width;
};

static const json_t *cell_value(const json_t *row, const char *key)
{
	const char *dot = strchr(key, '.');
	if (dot == NULL)
		return json_object_get(row, key);
	char first[64];
	size_t n = (size_t)(dot - key);
	if (n >= sizeof(first))
		return NULL;
	memcpy(first, key, n);
	first[n] = '\0';
	return json_object_get(json_object_get(row, first), dot + 1);
}

/* The value as display text into out ("" for null). */
static void value_text(const json_t *v, enum export_type type, char *out, size_t outlen)
{
	out[0] = '\0';
	if (json_is_string(v))
		bz_strlcpy(out, json_string_value(v), outlen);
	else if (json_is_integer(v))
		snprintf(out, outlen, "%" PRId64, (int64_t)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, outlen, "%.1f", json_real_value(v));
	else if (json_is_true(v))
		bz_strlcpy(out, type == EXPORT_BOOL ? "예" : "true", outlen);
}

/* An integer from a JSON integer or digit text ("1,200,000"); false otherwise. */
static bool value_int(const json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return true;
	}
	const char *s = json_string_value(v);
	if (s == NULL || *s == '\0')
		return false;
	int64_t n = 0;
	bool neg = false, any = false;
	const char *p = s;
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (; *p; p++) {
		if (*p == ',')
			continue;
		if (*p < '0' || *p > '9')
			return false;
		if (n > (INT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (*p - '0');
		any = true;
	}
	*out = neg ? -n : n;
	return any;
}

/* YYYY-MM-DD[...] into y/m/d; false if not a date. */
static bool parse_date(const char *s, int *y, int *m, int *d)
{
	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s);
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *y >= 1900 && *y <= 9999 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

/* A UTC instant (YYYY-MM-DDTHH:MM[:SS]Z) as KST broken-down time. */
static bool parse_instant_kst(const char *s, struct tm *out)
{
	int y, m, d;
	if (!parse_date(s, &y, &m, &d) || strlen(s) < 16 || (s[10] != 'T' && s[10] != ' '))
		return false;
	struct tm t = {0};
	t.tm_year = y - 1900;
	t.tm_mon = m - 1;
	t.tm_mday = d;
	t.tm_hour = atoi(s + 11);
	t.tm_min = atoi(s + 14);
	t.tm_sec = strlen(s) >= 19 && s[16] == ':' ? atoi(s + 17) : 0;
	time_t when = timegm(&t) + 9 * 3600;
	return gmtime_r(&when, out) != NULL;
}

/* Display width: Hangul and other wide characters count two. */
static double text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			w += 1;
		else if (*p >= 0xE0)
			w += 2;
	}
	return w;
}

void export_csv_cell(struct buf *b, const char *text, bool neutralise)
{
	bool quote = false;
	for (const char *p = text; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n')
			quote = true;
	bool lead = neutralise && text[0] && strchr("=+-@\t\r", text[0]) != NULL;
	if (quote || lead)
		buf_putc(b, '"');
	if (lead)
		buf_putc(b, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote || lead)
		buf_putc(b, '"');
}

static bz_rc temp_file(const char *tmp_dir, char *file, size_t filelen, const char *ext, int *fd)
{
	if ((size_t)snprintf(file, filelen, "%s/export-XXXXXX%s", tmp_dir, ext) >= filelen)
		return BZ_ERR_IO;
	*fd = mkstemps(file, (int)strlen(ext));
	return *fd < 0 ? BZ_ERR_IO : BZ_OK;
}

static bz_rc open_csv(struct export_writer *w, const char *tmp_dir)
{
	int fd;
	if (temp_file(tmp_dir, w->file, sizeof(w->file), ".csv", &fd) != BZ_OK)
		return BZ_ERR_IO;
	w->csv = fdopen(fd, "w+b");
	if (w->csv == NULL) {
		close(fd);
		unlink(w->file);
		return BZ_ERR_IO;
	}
	buf_init(&w->line, 1024 * 1024);
	buf_puts(&w->line, "\xEF\xBB\xBF");
	for (size_t i = 0; i < w->spec->ncols; i++) {
		if (i)
			buf_putc(&w->line, ',');
		export_csv_cell(&w->line, w->spec->cols[i].header, true);
	}
	buf_puts(&w->line, "\r\n");
	if (w->line.failed || fwrite(w->line.s, 1, w->line.len, w->csv) != w->line.len)
		return BZ_ERR_IO;
	return BZ_OK;
}

static lxw_format *fmt_new(lxw_workbook *wb, const char *numfmt)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (numfmt)
		format_set_num_format(f, numfmt);
	return f;
}

/* The XLSX page header: "&L<title>&R출력일 <today>", & doubled in the title. */
static void page_header(char *out, size_t outlen, const char *title, const char *today)
{
	struct buf b;
	buf_init(&b, 240);
	buf_puts(&b, "&L&\"-,Bold\"");
	for (const char *p = title; *p; p++) {
		if (*p == '&')
			buf_putc(&b, '&');
		buf_putc(&b, *p);
	}
	buf_printf(&b, "&R출력일 %s", today);
	bz_strlcpy(out, b.failed ? "" : buf_cstr(&b), outlen);
	buf_free(&b);
}

static bz_rc open_xlsx(struct export_writer *w, const char *tmp_dir, const char *today)
{
	int fd;
	if (temp_file(tmp_dir, w->file, sizeof(w->file), ".xlsx", &fd) != BZ_OK)
		return BZ_ERR_IO;
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmp_dir};
	w->wb = workbook_new_opt(w->file, &opt);
	if (w->wb == NULL) {
		unlink(w->file);
		return BZ_ERR_IO;
	}
	/* a sheet name: at most 31 characters, none of []:*?/\ */
	char sheet[96];
	size_t n = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)w->spec->title;
	     *p && n + 4 < sizeof(sheet);) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
		if (chars == 31)
			break;
		if (len == 1 && strchr("[]:*?/\\", *p)) {
			p++;
			continue;
		}
		for (size_t i = 0; i < len && p[i]; i++)
			sheet[n++] = (char)p[i];
		p += len;
		chars++;
	}
	sheet[n] = '\0';
	w->ws = workbook_add_worksheet(w->wb, n ? sheet : NULL);
	w->width = calloc(w->spec->ncols ? w->spec->ncols : 1, sizeof(double));
	if (w->ws == NULL || w->width == NULL)
		return BZ_ERR_NOMEM;
	w->head = workbook_add_format(w->wb);
	format_set_bold(w->head);
	format_set_border(w->head, LXW_BORDER_THIN);
	format_set_bg_color(w->head, 0xEEF2F7);
	format_set_align(w->head, LXW_ALIGN_CENTER);
	format_set_align(w->head, LXW_ALIGN_VERTICAL_CENTER);
	w->text = fmt_new(w->wb, NULL);
	w->won = fmt_new(w->wb, "#,##0");
	w->num = fmt_new(w->wb, "#,##0");
	w->date = fmt_new(w->wb, "yyyy-mm-dd");
	w->instant = fmt_new(w->wb, "yyyy-mm-dd hh:mm");

	worksheet_set_landscape(w->ws);
	worksheet_set_paper(w->ws, 9); /* A4 */
	worksheet_set_margins(w->ws, 0.4, 0.4, 0.6, 0.5);
	worksheet_fit_to_pages(w->ws, 1, 0);
	worksheet_repeat_rows(w->ws, 0, 0);
	char header[256];
	page_header(header, sizeof(header), w->spec->title, today);
	worksheet_set_header(w->ws, header);
	worksheet_set_footer(w->ws, "&C&P / &N");
	worksheet_freeze_panes(w->ws, 1, 0);
	for (size_t i = 0; i < w->spec->ncols; i++) {
		worksheet_write_string(w->ws, 0, (lxw_col_t)i, w->spec->cols[i].header, w->head);
		w->width[i] =
		    text_width(w->spec->cols[i].header) + 4; /* room for the filter button */
	}
	return BZ_OK;
}

bz_rc export_open(const struct export_spec *spec, enum export_format fmt, const char *tmp_dir,
                  const char *today, struct export_writer **out)
{
	*out = NULL;
	struct export_writer *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return BZ_ERR_NOMEM;
	w->spec = spec;
	w->fmt = fmt;
	bz_rc rc = fmt == EXPORT_CSV ? open_csv(w, tmp_dir) : open_xlsx(w, tmp_dir, today);
	if (rc != BZ_OK) {
		export_abort(w);
		return rc;
	}
	*out = w;
	return BZ_OK;
}

static bz_rc csv_row(struct export_writer *w, const json_t *row)
{
	char local[4096];
	buf_reset(&w->line);
	for (size_t i = 0; i < w->spec->ncols; i++) {
		const struct export_col *c = &w->spec->cols[i];
		const json_t *v = cell_value(row, c->key);
		if (i)
			buf_putc(&w->line, ',');
		int64_t n;
		struct tm t;
		if ((c->type == EXPORT_INT || c->type == EXPORT_WON) && value_int(v, &n)) {
			buf_printf(&w->line, "%" PRId64, n);
			continue;
		}
		if (c->type == EXPORT_INSTANT && json_is_string(v) &&
		    parse_instant_kst(json_string_value(v), &t)) {
			buf_printf(&w->line, "%04d-%02d-%02d %02d:%02d", t.tm_year + 1900,
			           t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min);
			continue;
		}
		if (json_is_string(v)) {
			export_csv_cell(&w->line, json_string_value(v), true);
			continue;
		}
		value_text(v, c->type, local, sizeof(local));
		export_csv_cell(&w->line, local, true);
	}
	buf_puts(&w->line, "\r\n");
	if (w->line.failed || fwrite(w->line.s, 1, w->line.len, w->csv) != w->line.len)
		return BZ_ERR_IO;
	return BZ_OK;
}

/* Cuts s (in place) to at most max bytes at a character boundary. */
static void utf8_cut(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

static bz_rc xlsx_row(struct export_writer *w, const json_t *row)
{
	lxw_row_t r = (lxw_row_t)(w->rows + 1);
	if (w->rows + 1 >= LXW_ROW_MAX)
		return BZ_ERR_TOOLARGE;
	for (size_t i = 0; i < w->spec->ncols; i++) {
		const struct export_col *c = &w->spec->cols[i];
		const json_t *v = cell_value(row, c->key);
		lxw_col_t col = (lxw_col_t)i;
		lxw_error e = LXW_NO_ERROR;
		int64_t n;
		int y, m, d;
		struct tm t;
		double width = 0;
		if ((c->type == EXPORT_INT || c->type == EXPORT_WON) && value_int(v, &n)) {
			e = worksheet_write_number(w->ws, r, col, (double)n,
			                           c->type == EXPORT_WON ? w->won : w->num);
			char digits[32];
			snprintf(digits, sizeof(digits), "%" PRId64, n);
			width = strlen(digits) * 1.3 + 1;
		} else if (c->type == EXPORT_DATE && json_is_string(v) &&
		           parse_date(json_string_value(v), &y, &m, &d)) {
			lxw_datetime dt = {y, m, d, 0, 0, 0};
			e = worksheet_write_datetime(w->ws, r, col, &dt, w->date);
			width = 11;
		} else if (c->type == EXPORT_INSTANT && json_is_string(v) &&
		           parse_instant_kst(json_string_value(v), &t)) {
			lxw_datetime dt = {t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
			                   t.tm_hour,        t.tm_min,     t.tm_sec};
			e = worksheet_write_datetime(w->ws, r, col, &dt, w->instant);
			width = 17;
		} else {
			char local[4096];
			char *buf = local;
			size_t cap = sizeof(local);
			const char *s = json_string_value(v);
			char *heap = NULL;
			if (s && strlen(s) >= cap) {
				heap = malloc(strlen(s) + 1);
				if (heap == NULL)
					return BZ_ERR_NOMEM;
				buf = heap;
				cap = strlen(s) + 1;
			}
			value_text(v, c->type, buf, cap);
			utf8_cut(buf, XLSX_STRMAX);
			if (*buf)
				e = worksheet_write_string(w->ws, r, col, buf, w->text);
			else
				e = worksheet_write_blank(w->ws, r, col, w->text);
			width = text_width(buf) + 1;
			free(heap);
		}
		if (e != LXW_NO_ERROR) {
			LOG_ERROR("export: %s", lxw_strerror(e));
			return BZ_ERR_IO;
		}
		if (width > w->width[i])
			w->width[i] = width;
	}
	return BZ_OK;
}

bz_rc export_row(struct export_writer *w, const json_t *row)
{
	bz_rc rc = w->fmt == EXPORT_CSV ? csv_row(w, row) : xlsx_row(w, row);
	if (rc == BZ_OK)
		w->rows++;
	return rc;
}

bz_rc export_row_cb(void *ctx, const json_t *row)
{
	return export_row(ctx, row);
}

bz_rc export_rows(struct export_writer *w, const json_t *rows)
{
	size_t i;
	const json_t *row;
	json_array_foreach(rows, i, row)
	{
		bz_rc rc = export_row(w, row);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

int64_t export_count(const struct export_writer *w)
{
	return w->rows;
}

const struct export_spec *export_spec_of(const struct export_writer *w)
{
	return w->spec;
}

bz_rc export_finish(struct export_writer *w, int *fd, int64_t *size)
{
	*fd = -1;
	bz_rc rc = BZ_OK;
	if (w->fmt == EXPORT_CSV) {
		if (fflush(w->csv) != 0)
			rc = BZ_ERR_IO;
	} else {
		for (size_t i = 0; i < w->spec->ncols; i++)
			worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
			                     w->width[i] > WIDTH_MAX ? WIDTH_MAX : w->width[i],
			                     NULL);
		worksheet_autofilter(w->ws, 0, 0, (lxw_row_t)w->rows,
		                     (lxw_col_t)(w->spec->ncols ? w->spec->ncols - 1 : 0));
		lxw_error e = workbook_close(w->wb);
		w->wb = NULL;
		if (e != LXW_NO_ERROR) {
			LOG_ERROR("export: %s", lxw_strerror(e));
			rc = BZ_ERR_IO;
		}
	}
	int f = -1;
	if (rc == BZ_OK)
		f = w->fmt == EXPORT_CSV ? dup(fileno(w->csv))
		                         : open(w->file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (rc == BZ_OK && (f < 0 || fstat(f, &st) != 0 || lseek(f, 0, SEEK_SET) != 0))
		rc = BZ_ERR_IO;
	if (rc == BZ_OK) {
		*fd = f;
		*size = (int64_t)st.st_size;
	} else if (f >= 0)
		close(f);
	export_abort(w);
	return rc;
}

void export_abort(struct export_writer *w)
{
	if (w == NULL)
		return;
	if (w->csv)
		fclose(w->csv);
	if (w->wb)
		lxw_workbook_free(w->wb);
	if (w->file[0])
		unlink(w->file);
	buf_free(&w->line);
	free(w->width);
	free(w);
}
