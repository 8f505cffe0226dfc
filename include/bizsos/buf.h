/* A growable string builder with a sticky error: after a failed append every
 * further append does nothing, and the caller checks `failed` once at the end. */
#ifndef BIZSOS_BUF_H
#define BIZSOS_BUF_H

#include "bizsos/common.h"
#include <stdarg.h>

#define BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

struct buf {
	char *s; /* NUL-terminated when len > 0; owned */
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len; exceeding it sets failed */
	bool failed;
};

/* Prepares an empty builder that may grow to `max` bytes (0: BUF_DEFAULT_MAX). */
void buf_init(struct buf *b, size_t max);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) BZ_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) BZ_PRINTF(2, 0);
/* The one HTML escape of the project: & < > " ' become entities. */
void buf_html_escape(struct buf *b, const char *s, size_t n);
/* The one URL escape (RFC 3986): letters, digits, "-_.~" and the bytes of
 * keep (NULL: none) stay; every other byte becomes %XX. */
void buf_url_encode(struct buf *b, const char *s, const char *keep);
/* Empties the builder, keeping its memory. */
void buf_reset(struct buf *b);
/* The contents as a C string ("" when empty); NULL if the builder failed. */
const char *buf_cstr(struct buf *b);
/* Hands the contents to the caller (free() it); NULL if failed. Leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);
void buf_free(struct buf *b);

#endif
