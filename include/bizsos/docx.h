/* Issued documents (document.h models) as DOCX files a Korean office can open
 * and edit: the official layout on A4, written with libzip. */
#ifndef BIZSOS_DOCX_H
#define BIZSOS_DOCX_H

#include "bizsos/common.h"
#include <jansson.h>

/* Writes the document model d (document_get / document_draft) as DOCX into a
 * temporary file under tmp_dir, which is unlinked: *fd is open on it at its
 * start (the caller closes it), *size its length. BZ_ERR_IO / NOMEM. */
bz_rc docx_document(const json_t *d, const char *tmp_dir, int *fd, int64_t *size);

#define DOCX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#endif
