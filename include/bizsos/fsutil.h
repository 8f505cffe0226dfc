/* Files written whole or not at all. */
#ifndef BIZSOS_FSUTIL_H
#define BIZSOS_FSUTIL_H

#include "bizsos/common.h"
#include <stddef.h>

/* Writes data[0..n) to path atomically: into a fresh temporary file made with
 * mkstemp in path's own folder (so no two writers, threads or processes, ever
 * share one), fsync'd, then renamed over path, and the folder fsync'd. Readers
 * see the old file or the whole new one. BZ_ERR_IO (errno kept) on failure,
 * leaving no temporary file behind. */
bz_rc bz_write_atomic(const char *path, const void *data, size_t n);
/* The same, copying the file at src. */
bz_rc bz_copy_atomic(const char *src, const char *path);

#endif
