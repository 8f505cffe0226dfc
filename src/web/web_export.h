/* The CSV and XLSX faces of the lists (src/web/export.c over src/export):
 * a list's route is declared again with .csv and .xlsx added to its path and
 * the same handler, which calls web_export_begin after reading its filters. */
#ifndef BIZSOS_WEB_EXPORT_H
#define BIZSOS_WEB_EXPORT_H

#include "bizsos/export.h"
#include "bizsos/web.h"

/* Is this request the list's .csv or .xlsx download? false: no, build the
 * page. true: yes, and either *w is an open writer (feed it the rows, then
 * call web_export_end) or *w is NULL and rs already holds the answer (the
 * reason form of a personal-data list, or an error). */
bool web_export_begin(struct request *rq, struct response *rs, const struct export_spec *spec,
                      struct export_writer **w);
/* Answers with the finished file (rc BZ_OK), or an error for rc (the writer
 * is thrown away). Records the download in the audit log (list, format,
 * query, rows, reason). Takes ownership of w. */
void web_export_end(struct request *rq, struct response *rs, struct export_writer *w, bz_rc rc);
/* For a list already held as an array: begin, every row, end. false when
 * the request is not a download (build the page). */
bool web_export_list(struct request *rq, struct response *rs, const struct export_spec *spec,
                     const json_t *rows);
/* model.export = {csv, xlsx, personal, title}: the download links of this
 * list page with its query (no page), for the "CSV" and "엑셀" buttons. */
void web_export_links(const struct request *rq, json_t *model, const struct export_spec *spec);

#endif
