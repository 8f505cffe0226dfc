/* Photos: sniffing by magic bytes (never by name), pixel size from the header
 * of JPEG, PNG and WebP, and storing: a renamed executable, HTML or an empty
 * file is refused with a Korean message, an oversize file too; a real image is
 * stored once by its SHA-256 outside static/. */
#include "bizsos/photo.h"
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

#include <stdio.h>
#include <sys/stat.h>

static const unsigned char jpeg[] = {
    0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00, 1,    1,    1,    1,   1,    1,    1,    1,
    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,
    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,
    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,
    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,   0xFF, 0xC0, 0x00, 0x0B,
    0x08, 0x01, 0x2C, 0x02, 0x58, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9};

static void write_file(const char *path, const void *d, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(d, 1, n, f);
		fclose(f);
	}
}

struct racer {
	const char *data, *src;
	bz_rc rc;
	pthread_barrier_t *go;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct photo_file pf;
	const char *msg;
	pthread_barrier_wait(r->go);
	r->rc = photo_store(r->data, r->src, &pf, &msg);
	return NULL;
}

/* Point 10 of issue 15: identical uploads stored at the same moment all
 * succeed, leave one file and no temporary file behind. */
static void concurrent_identical(const char *data)
{
	int failures = 0;
	for (int round = 0; round < 20; round++) {
		char src[512];
		t_path(src, sizeof(src), "same.jpg");
		unsigned char img[sizeof(jpeg) + 4096];
		memcpy(img, jpeg, sizeof(jpeg));
		for (size_t i = sizeof(jpeg); i < sizeof(img); i++)
			img[i] = (unsigned char)(i * 7 + (size_t)round);
		write_file(src, img, sizeof(img));
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, 8);
		struct racer r[8];
		pthread_t th[8];
		for (int i = 0; i < 8; i++) {
			r[i] = (struct racer){data, src, BZ_OK, &go};
			pthread_create(&th[i], NULL, race, &r[i]);
		}
		for (int i = 0; i < 8; i++) {
			pthread_join(th[i], NULL);
			failures += r[i].rc != BZ_OK;
		}
		pthread_barrier_destroy(&go);
	}
	CHECK_INT(failures, 0);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "find %s -name '*tmp*' | grep -q .", data);
	CHECK(system(cmd) != 0, "no temporary file left behind");
}

int main(void)
{
	int w, h;
	/* sniffing */
	CHECK_STR(photo_sniff(jpeg, sizeof(jpeg)), "image/jpeg");
	static const unsigned char png[] = {
	    0x89, 'P', 'N', 'G',  0x0D, 0x0A, 0x1A, 0x0A, 0,    0, 0, 13, 'I', 'H', 'D',
	    'R',  0,   0,   0x02, 0x80, 0,    0,    0x01, 0xE0, 8, 2, 0,  0,   0};
	CHECK_STR(photo_sniff(png, sizeof(png)), "image/png");
	unsigned char webp[40] = "RIFF\x20\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0";
	webp[24] = 0x1F; /* width − 1 = 799 (0x31F) */
	webp[25] = 0x03;
	webp[27] = 0x57; /* height − 1 = 599 (0x257) */
	webp[28] = 0x02;
	CHECK_STR(photo_sniff(webp, sizeof(webp)), "image/webp");
	static const unsigned char elf[] = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
	CHECK(photo_sniff(elf, sizeof(elf)) == NULL, "ELF executable is not a photo");
	CHECK(photo_sniff((const unsigned char *)"MZ\x90\0", 4) == NULL, "PE executable refused");
	CHECK(photo_sniff((const unsigned char *)"GIF89a", 6) == NULL, "GIF is not accepted");
	CHECK(photo_sniff((const unsigned char *)"<svg xmlns=", 11) == NULL, "SVG refused");
	CHECK(photo_sniff((const unsigned char *)"RIFF\0\0\0\0WAVE", 12) == NULL,
	      "RIFF WAVE refused");
	CHECK(photo_sniff(jpeg, 2) == NULL, "two bytes are not enough");
	CHECK(photo_sniff(NULL, 0) == NULL, "nothing");

	/* dimensions */
	CHECK(photo_dimensions(jpeg, sizeof(jpeg), &w, &h), "JPEG size read");
	CHECK_INT(w, 600);
	CHECK_INT(h, 300);
	CHECK(photo_dimensions(png, sizeof(png), &w, &h), "PNG size read");
	CHECK_INT(w, 640);
	CHECK_INT(h, 480);
	CHECK(photo_dimensions(webp, sizeof(webp), &w, &h), "WebP size read");
	CHECK_INT(w, 800);
	CHECK_INT(h, 600);
	CHECK(!photo_dimensions(jpeg, 20, &w, &h), "cut-off JPEG: no size");
	CHECK_INT(w, 0);

	/* storing */
	char data[512], src[512];
	t_path(data, sizeof(data), "data");
	mkdir(data, 0700);
	struct photo_file pf;
	const char *msg = NULL;
	t_path(src, sizeof(src), "photo.jpg");
	write_file(src, elf, sizeof(elf));
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_ERR_INVALID);
	CHECK(msg && strstr(msg, "JPEG, PNG, WebP"), "a renamed executable: %s", msg ? msg : "");
	write_file(src, "", 0);
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_ERR_INVALID);
	CHECK(msg && strstr(msg, "빈 파일"), "empty file: %s", msg ? msg : "");
	FILE *f = fopen(src, "wb");
	if (f) {
		fwrite(jpeg, 1, sizeof(jpeg), f);
		fseek(f, PHOTO_MAX_BYTES, SEEK_SET);
		fputc(0, f);
		fclose(f);
	}
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_ERR_TOOLARGE);
	CHECK(msg && strstr(msg, "10MB"), "too large: %s", msg ? msg : "");
	write_file(src, jpeg, sizeof(jpeg));
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_OK);
	CHECK_STR(pf.content_type, "image/jpeg");
	CHECK_INT(pf.size, sizeof(jpeg));
	CHECK_INT(pf.width, 600);
	CHECK(strncmp(pf.stored_path, "photos/", 7) == 0 && strstr(pf.stored_path, ".jpg"),
	      "stored as %s", pf.stored_path);
	char full[1024];
	CHECK(photo_full_path(data, pf.stored_path, full, sizeof(full)), "path of a stored photo");
	struct stat st;
	CHECK(stat(full, &st) == 0 && st.st_size == (off_t)sizeof(jpeg), "the bytes are there");
	struct photo_file again;
	CHECK_INT(photo_store(data, src, &again, &msg), BZ_OK);
	CHECK_STR(again.stored_path, pf.stored_path);
	CHECK(!photo_full_path(data, "photos/../../etc/passwd", full, sizeof(full)),
	      "no way out of the folder");
	CHECK(!photo_full_path(data, "static/x.jpg", full, sizeof(full)), "only photos/");

	/* Point 11 of issue 15: an image bomb's declared size is refused. */
	unsigned char bomb[sizeof(png)];
	memcpy(bomb, png, sizeof(png));
	memcpy(bomb + 16, "\x7f\xff\xff\xff\x7f\xff\xff\xff", 8);
	write_file(src, bomb, sizeof(bomb));
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_ERR_INVALID);
	CHECK(msg && strstr(msg, "화소"), "bomb: %s", msg ? msg : "");
	memcpy(bomb + 16, "\x00\x00\x1f\x40\x00\x00\x17\x70", 8); /* 8000 x 6000: 48 MP */
	write_file(src, bomb, sizeof(bomb));
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_ERR_INVALID);
	memcpy(bomb + 16, "\x00\x00\x00\x01\x00\x00\x59\xd8", 8); /* 1 x 23000: too tall */
	write_file(src, bomb, sizeof(bomb));
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_ERR_INVALID);
	memcpy(bomb + 16, "\x00\x00\x17\x70\x00\x00\x0f\xa0", 8); /* 6000 x 4000: 24 MP */
	write_file(src, bomb, sizeof(bomb));
	CHECK_INT(photo_store(data, src, &pf, &msg), BZ_OK);
	CHECK_INT(pf.width, 6000);

	concurrent_identical(data);
	t_cleanup();
	return t_done();
}
