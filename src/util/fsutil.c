/* Atomic file writes: mkstemp beside the target, fsync, rename, fsync the folder. */
#include "bizsos/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool write_all(int fd, const unsigned char *d, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, d + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += (size_t)w;
	}
	return true;
}

/* Opens a unique temporary file in path's folder; tmp gets its name. */
static int temp_beside(const char *path, char *tmp, size_t tmplen)
{
	int k = snprintf(tmp, tmplen, "%s.tmp-XXXXXX", path);
	if (k < 0 || (size_t)k >= tmplen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* fsync, close, rename over path, fsync the folder; removes tmp on failure. */
static bz_rc finish(int fd, const char *tmp, const char *path, bool ok)
{
	ok = ok && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return BZ_ERR_IO;
	}
	char dir[PATH_MAX];
	if (bz_strlcpy(dir, path, sizeof(dir))) {
		char *slash = strrchr(dir, '/');
		if (slash != NULL) {
			*slash = '\0';
			int dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dfd >= 0) {
				fsync(dfd);
				close(dfd);
			}
		}
	}
	return BZ_OK;
}

bz_rc bz_write_atomic(const char *path, const void *data, size_t n)
{
	char tmp[PATH_MAX];
	int fd = temp_beside(path, tmp, sizeof(tmp));
	if (fd < 0)
		return BZ_ERR_IO;
	return finish(fd, tmp, path, write_all(fd, data, n));
}

bz_rc bz_copy_atomic(const char *src, const char *path)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return BZ_ERR_IO;
	char tmp[PATH_MAX];
	int fd = temp_beside(path, tmp, sizeof(tmp));
	if (fd < 0) {
		close(in);
		return BZ_ERR_IO;
	}
	bool ok = true;
	unsigned char buf[65536];
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			ok = false;
		if (r <= 0 || !(ok = write_all(fd, buf, (size_t)r)))
			break;
	}
	close(in);
	return finish(fd, tmp, path, ok);
}
