/* XLSX downloads (libxlsxwriter) of the pledge card and the quarterly
 * progress page, with the same table shapes as the pages. */
#ifndef BIZSOS_XLSX_H
#define BIZSOS_XLSX_H

#include "bizsos/common.h"
#include <jansson.h>

/* Writes the workbook for a card model (card_model) into a temporary file in
 * tmp_dir, reads it back into *out (malloc'd; the caller frees) and removes
 * the file. BZ_ERR_IO on a file or writer failure. */
bz_rc xlsx_card(const json_t *card, const char *tmp_dir, char **out, size_t *len);
/* The same for a progress model (progress_model). */
bz_rc xlsx_progress(const json_t *progress, const char *tmp_dir, char **out, size_t *len);

#define XLSX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#endif
