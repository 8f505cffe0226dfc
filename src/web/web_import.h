/* The import pages (src/web/imports.c): /companies/import and /cases/import,
 * their template downloads, and the upload (check or import). */
#ifndef BIZSOS_WEB_IMPORT_H
#define BIZSOS_WEB_IMPORT_H

#include "bizsos/web.h"

/* GET …/import: the columns, the template links and the upload form. */
void web_import_form(struct request *rq, struct response *rs);
/* GET …/import/template.csv|.xlsx: the header row the import reads. */
void web_import_template(struct request *rq, struct response *rs);
/* POST …/import (multipart: file, action=check|import): the report; 422 when
 * a row has an error (nothing written) or the file cannot be read. */
void web_import_upload(struct request *rq, struct response *rs);

#endif
