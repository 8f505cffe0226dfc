/* The OpenAPI 3.1 description of the API, generated from the router table
 * (src/web/openapi.c). */
#ifndef BIZSOS_WEB_OPENAPI_H
#define BIZSOS_WEB_OPENAPI_H

#include "bizsos/web.h"

/* Is this route in the document? Every one but the bare routes (static
 * files, favicon, health check), which are not part of the API. */
bool web_openapi_described(const struct route *r);
/* The whole document (new reference). */
json_t *web_openapi_document(void);
/* GET /openapi.json (and /api/v1/openapi.json): the document. */
void web_openapi(struct request *rq, struct response *rs);

#endif
