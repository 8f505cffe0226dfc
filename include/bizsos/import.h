/* Imports of companies and SOS cases from the files the list downloads write
 * (CSV or XLSX, the same Korean column headers), row by row in bounded
 * memory. Every row goes through the same domain functions as the forms
 * (company_create / company_update, case_create / case_edit), all inside one
 * transaction: a check (dry run) always rolls back, an import commits only
 * when no row has an error. Companies match by 사업자등록번호, cases by
 * 접수번호, so importing the same file again changes nothing. Knows nothing
 * of HTTP. */
#ifndef BIZSOS_IMPORT_H
#define BIZSOS_IMPORT_H

#include "bizsos/sheet.h"
#include "bizsos/user.h"
#include <jansson.h>

#define IMPORT_REPORT_ROWS   1000 /* row results kept in the report (the counts cover all) */
#define IMPORT_REPORT_ERRORS 1000 /* errors kept in the report */

enum import_kind { IMPORT_COMPANIES = 1, IMPORT_CASES };

/* The columns an import reads, in the download's order: [{header, required,
 * note}] (new reference). */
json_t *import_columns(enum import_kind kind);

/* May this user import this kind? (companies: staff, leaders, admins;
 * cases: staff and leaders) */
bool import_allowed(const struct user *u, enum import_kind kind);

/* Runs the file at path (fmt) through the import. commit false: a check;
 * true: writes everything if (and only if) every row is valid. *report:
 * {rows: [{row, key, result (created|changed|unchanged|error), result_label,
 * errors: [{column, letter, message}]}] (the first IMPORT_REPORT_ROWS rows
 * and every row with an error, up to IMPORT_REPORT_ERRORS errors), total,
 * created, changed, unchanged, error_rows, errors, errors_shown, rows_shown,
 * ignored_columns: [header], committed (bool)}.
 * BZ_OK with the report (look at error_rows); BZ_ERR_INVALID with a Korean
 * message in msg when the file itself cannot be read or lacks a required
 * column; BZ_ERR_FORBIDDEN; BZ_ERR_DB. */
bz_rc import_run(struct db *db, const struct user *actor, enum import_kind kind, const char *path,
                 enum sheet_format fmt, bool commit, json_t **report, char *msg, size_t msglen);

#endif
