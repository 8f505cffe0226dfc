/* Reading a table back from a CSV or XLSX file, one row at a time, for the
 * imports. CSV: UTF-8 (a BOM is skipped), RFC 4180 quoting, CRLF or LF; the
 * apostrophe the export puts before a formula-like cell is taken off again.
 * XLSX: the first worksheet of the workbook, read with libzip and parsed with
 * expat as it streams (shared strings are held in memory, the sheet is not);
 * numbers come back as their text, cells missing from a row as "". */
#ifndef BIZSOS_SHEET_H
#define BIZSOS_SHEET_H

#include "bizsos/common.h"

#define SHEET_MAX_COLS       64
#define SHEET_MAX_CELL_BYTES 65536

enum sheet_format { SHEET_CSV = 1, SHEET_XLSX };

/* One row: cells[0..ncells), each NUL-terminated, valid during the callback.
 * row_no is the row's number in the file as a spreadsheet shows it (1: the
 * header row). Return BZ_OK to go on; anything else stops the read. */
typedef bz_rc (*sheet_row_fn)(void *ctx, int64_t row_no, const char *const *cells, size_t ncells);

/* The format by content: a zip (PK\3\4) is XLSX, anything else CSV. */
enum sheet_format sheet_sniff(const char *path);

/* Reads every row of the file at path and hands it to fn, the header row
 * first. BZ_ERR_INVALID (with a Korean *msg, static) for a file that is not
 * a readable CSV/XLSX, invalid UTF-8, more than SHEET_MAX_COLS columns or a
 * cell over SHEET_MAX_CELL_BYTES; BZ_ERR_IO; or what fn returned. */
bz_rc sheet_read(const char *path, enum sheet_format fmt, sheet_row_fn fn, void *ctx,
                 const char **msg);

/* An Excel date serial ("45414", "45414.5") as YYYY-MM-DD into out (11
 * bytes); false if s is not one (1900 date system, 1..2958465). */
bool sheet_serial_date(const char *s, char *out, size_t outlen);

#endif
