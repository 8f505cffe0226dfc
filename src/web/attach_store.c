/* Uploaded files for cases: hashed, and stored content-addressed under
 * <data_dir>/attachments/ (moved here from cases.c so the public request form
 * stores its files the same way). */
#include "web_attach.h"
#include "bizsos/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates dir (one level) if missing. */
static bool ensure_dir(const char *dir)
{
	return mkdir(dir, 0700) == 0 || errno == EEXIST;
}

bool web_attach_hash(const char *path, char hex[65], unsigned char *head, size_t headcap,
                     size_t *headlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	unsigned char buf[65536];
	*headlen = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (*headlen < headcap) {
			size_t take =
			    (size_t)r < headcap - *headlen ? (size_t)r : headcap - *headlen;
			memcpy(head + *headlen, buf, take);
			*headlen += take;
		}
		crypto_hash_sha256_update(&h, buf, (unsigned long long)r);
	}
	close(fd);
	if (r < 0)
		return false;
	unsigned char out[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, out);
	sodium_bin2hex(hex, 65, out, sizeof(out));
	return true;
}

bool web_attach_store(const char *data, const char *tmp_path, const char *sha256, char *stored_path,
                      size_t stored_len)
{
	char dir[PATH_MAX], sub[PATH_MAX], full[PATH_MAX];
	int n1 = snprintf(dir, sizeof(dir), "%s/attachments", data);
	int n2 = snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha256);
	int n3 = snprintf(stored_path, stored_len, "attachments/%.2s/%s", sha256, sha256);
	int n4 = snprintf(full, sizeof(full), "%s/%s", data, stored_path);
	struct stat sb;
	if (n1 < 0 || n2 < 0 || n3 < 0 || n4 < 0 || (size_t)n4 >= sizeof(full) ||
	    (size_t)n3 >= stored_len || (size_t)n2 >= sizeof(sub) || !ensure_dir(dir) ||
	    !ensure_dir(sub) || (stat(full, &sb) != 0 && bz_copy_atomic(tmp_path, full) != BZ_OK)) {
		LOG_ERROR("attachment store %s: %s", full, strerror(errno));
		return false;
	}
	return true;
}
