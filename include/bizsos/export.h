/* List exports: one column spec per list, rows fed one at a time from the
 * domain's cursor, written as CSV (UTF-8 with BOM, RFC 4180, formula cells
 * neutralised) or XLSX (libxlsxwriter in constant_memory mode: frozen header,
 * autofilter, won as #,##0 numbers, real dates, A4 landscape). The output is a
 * temporary file already unlinked: memory stays bounded whatever the count. */
#ifndef BIZSOS_EXPORT_H
#define BIZSOS_EXPORT_H

#include "bizsos/common.h"
#include <jansson.h>

enum export_type {
	EXPORT_TEXT,    /* a string (numbers are written as their digits) */
	EXPORT_INT,     /* a count: a number cell */
	EXPORT_WON,     /* money in won: a number cell formatted #,##0 */
	EXPORT_DATE,    /* YYYY-MM-DD: a date cell */
	EXPORT_INSTANT, /* UTC ISO-8601: a date-time cell in KST */
	EXPORT_BOOL,    /* true/false: "예" or blank */
};

struct export_col {
	const char *key;    /* the row's key; "a.b" reads key b of object a */
	const char *header; /* Korean column header */
	enum export_type type;
};

struct export_spec {
	const char *name;  /* file name stem, ASCII ("cases") */
	const char *title; /* Korean title for the sheet name and the page header */
	const struct export_col *cols;
	size_t ncols;
	bool personal; /* holds personal data: a download needs a reason */
};

#define EXPORT_SPEC(name, title, cols, personal)                                                   \
	{                                                                                          \
		(name), (title), (cols), BZ_ARRAY_LEN(cols), (personal)                            \
	}

enum export_format { EXPORT_CSV = 1, EXPORT_XLSX };

struct export_writer;

/* Starts an export of spec in fmt into a new temporary file under tmp_dir;
 * today (YYYY-MM-DD) goes into the XLSX page header. *out is owned by the
 * caller, who ends it with export_finish or export_abort. BZ_ERR_IO/NOMEM. */
bz_rc export_open(const struct export_spec *spec, enum export_format fmt, const char *tmp_dir,
                  const char *today, struct export_writer **out);
/* Writes one row (the spec's keys are read from it; missing keys are blank). */
bz_rc export_row(struct export_writer *w, const json_t *row);
/* The same as a domain row callback: ctx is the writer. */
bz_rc export_row_cb(void *ctx, const json_t *row);
/* Writes every item of an array. */
bz_rc export_rows(struct export_writer *w, const json_t *rows);
/* Finishes the file and frees w: *fd is the open, unlinked file positioned at
 * its start (the caller closes it), *size its length. */
bz_rc export_finish(struct export_writer *w, int *fd, int64_t *size);
/* Throws the export away and frees w (NULL is fine). */
void export_abort(struct export_writer *w);

/* The rows written so far. */
int64_t export_count(const struct export_writer *w);
/* The spec the writer was opened with. */
const struct export_spec *export_spec_of(const struct export_writer *w);

/* Appends the CSV form of one cell to b: quoted when it holds , " CR or LF;
 * with neutralise, text beginning with = + - @ tab or CR gets a leading
 * apostrophe (and quotes) so no spreadsheet runs it as a formula. */
struct buf;
void export_csv_cell(struct buf *b, const char *text, bool neutralise);

#define EXPORT_CSV_TYPE  "text/csv; charset=utf-8"
#define EXPORT_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#endif
