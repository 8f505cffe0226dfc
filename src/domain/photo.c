/* Activity photos: sniffing by magic bytes, pixel size from the header, and
 * content-addressed storage outside static/. */
#include "bizsos/photo.h"
#include "bizsos/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool starts(const unsigned char *h, size_t n, const void *magic, size_t m)
{
	return n >= m && memcmp(h, magic, m) == 0;
}

const char *photo_sniff(const unsigned char *h, size_t n)
{
	if (h == NULL)
		return NULL;
	if (starts(h, n, "\xFF\xD8\xFF", 3))
		return "image/jpeg";
	if (starts(h, n, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le24(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* Walks the JPEG segments up to the first start-of-frame marker. */
static bool jpeg_size(const unsigned char *d, size_t n, int *w, int *h)
{
	size_t i = 2;
	while (i + 4 <= n) {
		if (d[i] != 0xFF)
			return false;
		unsigned char m = d[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
			i += 2;
			continue;
		}
		if (m == 0xD9 || m == 0xDA) /* end of image, start of scan: no frame seen */
			return false;
		unsigned len = be16(d + i + 2);
		if (len < 2)
			return false;
		bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
		if (sof) {
			if (len < 7 || i + 9 > n)
				return false;
			*h = (int)be16(d + i + 5);
			*w = (int)be16(d + i + 7);
			return *w > 0 && *h > 0;
		}
		i += 2 + (size_t)len;
	}
	return false;
}

static bool png_size(const unsigned char *d, size_t n, int *w, int *h)
{
	if (n < 24 || memcmp(d + 12, "IHDR", 4) != 0)
		return false;
	uint32_t ww = be32(d + 16), hh = be32(d + 20);
	if (ww == 0 || hh == 0 || ww > 0x7fffffff || hh > 0x7fffffff)
		return false;
	*w = (int)ww;
	*h = (int)hh;
	return true;
}

static bool webp_size(const unsigned char *d, size_t n, int *w, int *h)
{
	if (n < 30)
		return false;
	const unsigned char *c = d + 12;
	if (memcmp(c, "VP8 ", 4) == 0) {
		/* frame tag (3), start code 9D 01 2A, then 14-bit width and height */
		if (c[11] != 0x9D || c[12] != 0x01 || c[13] != 0x2A)
			return false;
		*w = (int)((c[14] | c[15] << 8) & 0x3fff);
		*h = (int)((c[16] | c[17] << 8) & 0x3fff);
	} else if (memcmp(c, "VP8L", 4) == 0) {
		if (c[8] != 0x2F)
			return false;
		uint32_t bits = (uint32_t)c[9] | (uint32_t)c[10] << 8 | (uint32_t)c[11] << 16 |
		                (uint32_t)c[12] << 24;
		*w = (int)(bits & 0x3fff) + 1;
		*h = (int)((bits >> 14) & 0x3fff) + 1;
	} else if (memcmp(c, "VP8X", 4) == 0) {
		*w = (int)le24(c + 12) + 1;
		*h = (int)le24(c + 15) + 1;
	} else {
		return false;
	}
	return *w > 0 && *h > 0;
}

bool photo_dimensions(const unsigned char *d, size_t n, int *w, int *h)
{
	*w = *h = 0;
	const char *t = photo_sniff(d, n);
	bool ok = false;
	if (t == NULL)
		return false;
	if (strcmp(t, "image/jpeg") == 0)
		ok = jpeg_size(d, n, w, h);
	else if (strcmp(t, "image/png") == 0)
		ok = png_size(d, n, w, h);
	else
		ok = webp_size(d, n, w, h);
	if (!ok)
		*w = *h = 0;
	return ok;
}

static bool ensure_dir(const char *dir)
{
	return mkdir(dir, 0700) == 0 || errno == EEXIST;
}

/* Reads the whole file (at most PHOTO_MAX_BYTES + 1 bytes) into a new buffer. */
static bz_rc read_all(const char *path, unsigned char **out, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return BZ_ERR_IO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return BZ_ERR_IO;
	}
	if (st.st_size > PHOTO_MAX_BYTES) {
		close(fd);
		return BZ_ERR_TOOLARGE;
	}
	size_t size = (size_t)st.st_size;
	unsigned char *b = malloc(size ? size : 1);
	if (b == NULL) {
		close(fd);
		return BZ_ERR_NOMEM;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, b + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != size) {
		free(b);
		return BZ_ERR_IO;
	}
	*out = b;
	*n = size;
	return BZ_OK;
}

bz_rc photo_store(const char *data_dir, const char *src, struct photo_file *out, const char **msg)
{
	static const char not_image[] =
	    "사진은 JPEG, PNG, WebP 이미지 파일만 올릴 수 있습니다. 이 파일은 내용이 이미지가 "
	    "아닙니다(파일 이름만 바꾼 실행 파일 등은 받지 않습니다).";
	static const char too_many_pixels[] =
	    "사진의 화소 수가 너무 많습니다(가로·세로 각각 20,000픽셀, 모두 4천만 화소까지). "
	    "크기를 줄여 다시 올려 주세요.";
	static const char too_large[] = "사진 한 장은 10MB까지 올릴 수 있습니다. 크기를 줄여 "
	                                "다시 올려 주세요.";
	memset(out, 0, sizeof(*out));
	if (msg)
		*msg = NULL;
	unsigned char *d = NULL;
	size_t n = 0;
	bz_rc rc = read_all(src, &d, &n);
	if (rc == BZ_ERR_TOOLARGE) {
		if (msg)
			*msg = too_large;
		return rc;
	}
	if (rc != BZ_OK) {
		LOG_ERROR("photo: cannot read upload %s: %s", src, bz_strerror(rc));
		return rc;
	}
	const char *type = photo_sniff(d, n);
	if (n == 0 || type == NULL) {
		free(d);
		if (msg)
			*msg = n == 0 ? "빈 파일입니다. 사진 파일을 골라 주세요." : not_image;
		return BZ_ERR_INVALID;
	}
	/* A header may declare any size: refuse what no phone takes and no browser
	 * should be asked to lay out. */
	if (photo_dimensions(d, n, &out->width, &out->height) &&
	    (out->width > PHOTO_MAX_SIDE || out->height > PHOTO_MAX_SIDE ||
	     (int64_t)out->width * out->height > PHOTO_MAX_PIXELS)) {
		free(d);
		memset(out, 0, sizeof(*out));
		if (msg)
			*msg = too_many_pixels;
		return BZ_ERR_INVALID;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	if (sodium_init() < 0) {
		free(d);
		return BZ_ERR_NOMEM;
	}
	crypto_hash_sha256(hash, d, n);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), hash, sizeof(hash));
	const char *ext = strcmp(type, "image/jpeg") == 0  ? "jpg"
	                  : strcmp(type, "image/png") == 0 ? "png"
	                                                   : "webp";
	bz_strlcpy(out->content_type, type, sizeof(out->content_type));
	out->size = (int64_t)n;
	snprintf(out->stored_path, sizeof(out->stored_path), "photos/%.2s/%s.%s", out->sha256,
	         out->sha256, ext);

	char dir[PATH_MAX], full[PATH_MAX];
	int k1 = snprintf(dir, sizeof(dir), "%s/photos", data_dir);
	int k2 = snprintf(full, sizeof(full), "%s/%s", data_dir, out->stored_path);
	if (k1 < 0 || (size_t)k1 >= sizeof(dir) || k2 < 0 || (size_t)k2 >= sizeof(full) ||
	    !ensure_dir(dir)) {
		free(d);
		LOG_ERROR("photo: cannot create %s/photos", data_dir);
		return BZ_ERR_IO;
	}
	snprintf(dir, sizeof(dir), "%s/photos/%.2s", data_dir, out->sha256);
	if (!ensure_dir(dir)) {
		free(d);
		LOG_ERROR("photo: cannot create %s", dir);
		return BZ_ERR_IO;
	}
	struct stat st;
	rc = BZ_OK;
	if (stat(full, &st) != 0 || st.st_size != (off_t)n)
		rc = bz_write_atomic(full, d, n);
	free(d);
	if (rc != BZ_OK)
		LOG_ERROR("photo: cannot write %s", full);
	return rc;
}

bool photo_full_path(const char *data_dir, const char *stored_path, char *out, size_t outlen)
{
	/* photos/xx/<64 hex>.(jpg|png|webp) and nothing else */
	const char *p = stored_path;
	if (p == NULL || strncmp(p, "photos/", 7) != 0)
		return false;
	p += 7;
	for (int i = 0; i < 2; i++)
		if (!strchr("0123456789abcdef", p[i]) || p[i] == '\0')
			return false;
	if (p[2] != '/')
		return false;
	p += 3;
	for (int i = 0; i < 64; i++)
		if (p[i] == '\0' || !strchr("0123456789abcdef", p[i]))
			return false;
	p += 64;
	if (strcmp(p, ".jpg") && strcmp(p, ".png") && strcmp(p, ".webp"))
		return false;
	int k = snprintf(out, outlen, "%s/%s", data_dir, stored_path);
	return k > 0 && (size_t)k < outlen;
}
