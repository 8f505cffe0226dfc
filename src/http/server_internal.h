/* Shared between the daemon (server.c) and the request pipeline (dispatch.c). */
#ifndef BIZSOS_SERVER_INTERNAL_H
#define BIZSOS_SERVER_INTERNAL_H

#include "bizsos/http.h"

/* Authenticates (session cookie or bearer token), routes, checks roles and CSRF,
 * and runs the handler, filling rs. authorization and csrf_header are the raw
 * header values (NULL when absent). */
void dispatch(struct request *rq, struct response *rs, const char *authorization,
              const char *csrf_header);

#endif
