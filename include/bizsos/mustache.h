/* Mustache templates over Jansson values (spec v1.4.2 + ~inheritance).
 * Compile once, render many times; a compiled template is immutable and may be
 * rendered from several threads at once. */
#ifndef BIZSOS_MUSTACHE_H
#define BIZSOS_MUSTACHE_H

#include "bizsos/buf.h"
#include <jansson.h>

struct tpl;

/* Looks up a partial (or a parent for {{<name}}) by name; returns NULL when
 * there is none (it then renders as empty). The template stays owned by the
 * resolver. */
typedef const struct tpl *(*tpl_partial_fn)(void *ctx, const char *name);

/* Compiles src[0..len). On failure returns BZ_ERR_INVALID and writes a message
 * with the line number into err (if err != NULL). *out is owned by the caller.
 * Sections nested over 100 deep are BZ_ERR_INVALID too; a source over 4 MiB
 * is BZ_ERR_TOOLARGE; BZ_ERR_NOMEM if memory runs out. *out is NULL on failure. */
bz_rc tpl_compile(const char *src, size_t len, struct tpl **out, char *err, size_t errlen);
void tpl_free(struct tpl *t);

/* Renders t with `data` as the root context, appending to out. Variables are
 * HTML-escaped by buf_html_escape; numbers are printed as integers or with the
 * shortest decimal that round-trips (1.1 -> "1.1"), never by json_dumps.
 * true and false print as words; null, objects and arrays print nothing.
 * Sections skip missing, null, false and []; "" and 0 count as true.
 * Returns BZ_ERR_NOMEM if out failed, BZ_ERR_TOOLARGE past a limit: partials,
 * parents and block overrides nested over 64 deep, or more nodes visited than
 * a quarter of out->max (at least 2^16, at most 2^24). */
bz_rc tpl_render(const struct tpl *t, json_t *data, tpl_partial_fn partials, void *pctx,
                 struct buf *out);

#endif
