/* Activity photos: what an uploaded file is, judged by its bytes (never by its
 * name or the type the browser sent), its pixel size when the header tells it
 * cheaply, and storing it under <data_dir>/photos/ (outside static/) by its
 * SHA-256. Knows nothing of HTTP. */
#ifndef BIZSOS_PHOTO_H
#define BIZSOS_PHOTO_H

#include "bizsos/common.h"

#define PHOTO_MAX_BYTES     ((int64_t)10 * 1024 * 1024) /* 10 MiB */
#define PHOTO_CAPTION_CHARS 200
#define PHOTO_MAX_SIDE      20000               /* pixels, width or height */
#define PHOTO_MAX_PIXELS    ((int64_t)40000000) /* 40 megapixels */
#define PHOTO_PATH_SIZE     128                 /* "photos/ab/<64 hex>.jpg" + NUL, with room */

/* The image type of a file by its first bytes: "image/jpeg" (FF D8 FF),
 * "image/png" (89 50 4E 47 0D 0A 1A 0A) or "image/webp" (RIFF....WEBP); NULL
 * for anything else (executables, scripts, HTML, SVG, GIF, unknown). */
const char *photo_sniff(const unsigned char *head, size_t n);

/* Width and height in pixels from the header of a JPEG (first SOFn segment),
 * PNG (IHDR) or WebP (VP8, VP8L or VP8X chunk) held in data[0..n); false when
 * they cannot be read (then *w and *h are 0). */
bool photo_dimensions(const unsigned char *data, size_t n, int *w, int *h);

struct photo_file {
	char content_type[16];
	char stored_path[PHOTO_PATH_SIZE]; /* relative to data_dir */
	char sha256[65];
	int64_t size;
	int width, height; /* 0 when unknown */
};

/* Checks the file at src (a streamed upload) and copies it to
 * <data_dir>/photos/<2 hex>/<sha256>.<ext> (created 0700; an identical file
 * already stored is reused; written with bz_write_atomic, so concurrent
 * identical uploads never collide). Outcomes:
 *   BZ_OK              *out filled
 *   BZ_ERR_INVALID     empty, not a JPEG/PNG/WebP by its bytes, or declaring more
 *                      than PHOTO_MAX_SIDE or PHOTO_MAX_PIXELS; *msg says so
 *   BZ_ERR_TOOLARGE    over PHOTO_MAX_BYTES; *msg says so
 *   BZ_ERR_IO/NOMEM    a system failure (logged)
 * msg (may be NULL) gets a static Korean message for the form. */
bz_rc photo_store(const char *data_dir, const char *src, struct photo_file *out, const char **msg);

/* The full path of a stored photo: data_dir + "/" + stored_path, refusing a
 * stored_path that is not of the form photo_store writes. */
bool photo_full_path(const char *data_dir, const char *stored_path, char *out, size_t outlen);

#endif
