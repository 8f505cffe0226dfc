/* Templates: a registry of compiled Mustache templates (compiled once at start,
 * or on every render in dev mode), and formatting helpers used by handlers. */
#ifndef BIZSOS_VIEW_H
#define BIZSOS_VIEW_H

#include "bizsos/buf.h"
#include "bizsos/kst.h"
#include "bizsos/mustache.h"

struct view;

/* Loads and compiles every templates/<dir>/<name>.mustache as "<dir>/<name>".
 * dev: recompile from disk on every render. */
bz_rc view_open(const char *dir, bool dev, struct view **out, char *err, size_t errlen);
void view_close(struct view *v);
/* Renders template `name` with data into out. BZ_ERR_NOTFOUND if no such template. */
bz_rc view_render(struct view *v, const char *name, json_t *data, struct buf *out);

/* fmt_instant_kst (instants shown in KST) is in bizsos/kst.h. */

#endif
