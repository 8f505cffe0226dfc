/* Shared between the daemon (server.c) and the request pipeline (dispatch.c). */
#ifndef BIZSOS_SERVER_INTERNAL_H
#define BIZSOS_SERVER_INTERNAL_H

#include "bizsos/http.h"

/* Authenticates (session cookie or bearer token), routes, checks roles and CSRF,
 * and runs the handler, filling rs. authorization and csrf_header are the raw
 * header values (NULL when absent). */
void dispatch(struct request *rq, struct response *rs, const char *authorization,
              const char *csrf_header);

/* The rendered-page cache (page_cache.c). page_cache_key writes the key of rq's
 * page for a client that does (gzip) or does not accept gzip; false when it does
 * not fit in cap or the cache is off. page_cache_get hands out a copy of the
 * body kept under key if it was built at generation gen on day; page_cache_put
 * keeps one. Thread-safe; memory bounded. */
bool page_cache_key(const struct request *rq, bool gzip, char *key, size_t cap);
bool page_cache_get(const char *key, uint64_t gen, const char *day, char **body, size_t *len,
                    bool *gzip);
void page_cache_put(const char *key, uint64_t gen, const char *day, const char *body, size_t len,
                    bool gzip);
void page_cache_clear(void);
/* BIZSOS_PAGE_CACHE=0 in the environment turns it off (server_run). */
void page_cache_disable(bool off);

#endif
