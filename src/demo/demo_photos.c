/* Demo photos: a few small pictures drawn here (a factory under a sky, in
 * different colours and shapes) and written as PNG files with no library —
 * palette pixels in stored (uncompressed) deflate blocks — then stored like an
 * upload (photo_store) and attached to field activities, so the card's photo
 * strip is not empty. No image is copied from anywhere. See demo.h. */
#include "demo_internal.h"
#include "bizsos/activity.h"
#include "bizsos/fsutil.h"
#include "bizsos/photo.h"
#include "bizsos/user.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define W 240
#define H 160

/* The field activity (a card photo row) latest on or before ?1. */
static const char SQL_FIELD_ACTIVITY[] =
    "SELECT a.id FROM activity a JOIN activity_type t ON t.id = a.type_id"
    " WHERE a.retired_at IS NULL AND a.held_on <= ?1 AND t.code = ?2"
    " AND NOT EXISTS (SELECT 1 FROM activity_photo p WHERE p.activity_id = a.id)"
    " ORDER BY a.held_on DESC, a.id DESC LIMIT 1";
static const char SQL_LEADER[] = "SELECT id FROM app_user WHERE login = 'leader'";

/* ------------------------------------------------------------------ PNG -- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc(const unsigned char *p, size_t n, uint32_t c)
{
	c ^= 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a chunk (length, type, data, CRC) at out + *n. */
static void chunk(unsigned char *out, size_t *n, const char *type, const unsigned char *d,
                  size_t len)
{
	be32(out + *n, (uint32_t)len);
	memcpy(out + *n + 4, type, 4);
	if (len)
		memcpy(out + *n + 8, d, len);
	be32(out + *n + 8 + len, crc(out + *n + 4, len + 4, 0));
	*n += len + 12;
}

/* The PNG of a W x H palette image (pix: one palette index a pixel, pal: 256
 * RGB triples) into a new buffer (*len bytes); NULL when out of memory. */
static unsigned char *png_encode(const unsigned char *pix, const unsigned char *pal, size_t *len)
{
	size_t raw = (size_t)H * (W + 1); /* each row: filter byte 0, then the pixels */
	size_t blocks = (raw + 65534) / 65535;
	size_t zlen = 2 + raw + blocks * 5 + 4;
	size_t cap = 8 + 25 + (12 + 768) + (12 + zlen) + 12;
	unsigned char *out = malloc(cap), *z = malloc(zlen), *r = malloc(raw);
	if (out == NULL || z == NULL || r == NULL) {
		free(out);
		free(z);
		free(r);
		return NULL;
	}
	for (int y = 0; y < H; y++) {
		r[(size_t)y * (W + 1)] = 0;
		memcpy(r + (size_t)y * (W + 1) + 1, pix + (size_t)y * W, W);
	}
	size_t zn = 0;
	z[zn++] = 0x78; /* deflate, 32K window */
	z[zn++] = 0x01; /* no preset dictionary, fastest; (0x7801 % 31 == 0) */
	uint32_t a = 1, b = 0;
	for (size_t off = 0; off < raw;) {
		size_t k = raw - off > 65535 ? 65535 : raw - off;
		z[zn++] = off + k == raw ? 1 : 0; /* BFINAL, BTYPE 00 (stored) */
		z[zn++] = (unsigned char)(k & 0xFF);
		z[zn++] = (unsigned char)(k >> 8);
		z[zn++] = (unsigned char)(~k & 0xFF);
		z[zn++] = (unsigned char)((~k >> 8) & 0xFF);
		memcpy(z + zn, r + off, k);
		for (size_t i = 0; i < k; i++) {
			a = (a + r[off + i]) % 65521;
			b = (b + a) % 65521;
		}
		zn += k;
		off += k;
	}
	be32(z + zn, (b << 16) | a);
	zn += 4;
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	size_t n = 0;
	memcpy(out, sig, 8);
	n = 8;
	unsigned char ihdr[13];
	be32(ihdr, W);
	be32(ihdr + 4, H);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 3;  /* palette */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering (every row: none) */
	ihdr[12] = 0; /* no interlace */
	chunk(out, &n, "IHDR", ihdr, 13);
	chunk(out, &n, "PLTE", pal, 768);
	chunk(out, &n, "IDAT", z, zn);
	chunk(out, &n, "IEND", NULL, 0);
	free(z);
	free(r);
	*len = n;
	return out;
}

/* -------------------------------------------------------------- drawing -- */

enum { SKY = 0, GROUND = 64, WALL = 128, ROOF, WINDOW, DOOR, SUN, CHIMNEY, SMOKE, TREE, PERSON };

static void rect(unsigned char *pix, int x0, int y0, int x1, int y1, unsigned char c)
{
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < H; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < W; x++)
			pix[y * W + x] = c;
}

static void set_rgb(unsigned char *pal, int i, int r, int g, int b)
{
	pal[i * 3] = (unsigned char)(r < 0 ? 0 : r > 255 ? 255 : r);
	pal[i * 3 + 1] = (unsigned char)(g < 0 ? 0 : g > 255 ? 255 : g);
	pal[i * 3 + 2] = (unsigned char)(b < 0 ? 0 : b > 255 ? 255 : b);
}

/* Picture k: a sky, the ground, a factory with a saw-tooth roof, windows, a
 * chimney, trees and a few people at the gate; colours and sizes vary with k. */
static void draw(int k, unsigned char *pix, unsigned char *pal)
{
	memset(pal, 0, 768);
	int hue = k * 37;
	for (int i = 0; i < 64; i++) /* sky: deep to pale */
		set_rgb(pal, SKY + i, 90 + i * 2 + (hue % 40), 150 + i * 1 + (hue % 25),
		        230 - (k % 3) * 20);
	for (int i = 0; i < 64; i++) /* ground: near to far */
		set_rgb(pal, GROUND + i, 70 + i + (k % 2) * 40, 120 + i / 2, 60 + (k % 3) * 15);
	static const int walls[6][3] = {{205, 210, 215}, {190, 160, 130}, {160, 180, 200},
	                                {215, 200, 170}, {180, 190, 175}, {200, 175, 175}};
	set_rgb(pal, WALL, walls[k % 6][0], walls[k % 6][1], walls[k % 6][2]);
	set_rgb(pal, ROOF, 70 + k * 10, 80, 110 - k * 5);
	set_rgb(pal, WINDOW, 60, 90, 130);
	set_rgb(pal, DOOR, 90, 70, 60);
	set_rgb(pal, SUN, 255, 215, 120);
	set_rgb(pal, CHIMNEY, 150, 70, 60);
	set_rgb(pal, SMOKE, 235, 235, 235);
	set_rgb(pal, TREE, 40, 110 + (k % 3) * 10, 60);
	set_rgb(pal, PERSON, 40, 50, 80);
	int horizon = 100 + (k % 3) * 6;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			pix[y * W + x] =
			    (unsigned char)(y < horizon ? SKY + y * 63 / horizon
			                                : GROUND + (H - y) * 63 / (H - horizon));
	int sx = 30 + (k * 53) % 170, sy = 22 + (k % 2) * 8; /* the sun */
	for (int y = -12; y <= 12; y++)
		for (int x = -12; x <= 12; x++)
			if (x * x + y * y <= 144 && sy + y >= 0 && sx + x >= 0 && sx + x < W)
				pix[(sy + y) * W + sx + x] = SUN;
	int fx = 20 + (k * 29) % 60, fw = 130 + (k % 3) * 20, fh = 34 + (k % 4) * 6;
	int top = horizon - fh;
	rect(pix, fx, top, fx + fw, horizon + 4, WALL);
	for (int t = 0; t < fw; t += 26) /* the saw-tooth roof */
		for (int y = 0; y < 14; y++)
			rect(pix, fx + t, top - y, fx + t + 26 - y * 26 / 14, top - y + 1, ROOF);
	for (int wx = fx + 8; wx + 12 < fx + fw - 30; wx += 20) /* windows */
		rect(pix, wx, top + 8, wx + 12, top + 18, WINDOW);
	rect(pix, fx + fw - 26, horizon - 22, fx + fw - 10, horizon + 4, DOOR);
	int cx = fx + 12 + (k % 3) * 30; /* the chimney and its smoke */
	rect(pix, cx, top - 40, cx + 8, top, CHIMNEY);
	for (int i = 0; i < 4; i++)
		rect(pix, cx - 2 + i * 6, top - 52 - i * 6, cx + 10 + i * 6, top - 44 - i * 6,
		     SMOKE);
	for (int t = 0; t < 3; t++) { /* trees */
		int tx = (fx + fw + 14 + t * 22 + k * 7) % (W - 12);
		rect(pix, tx + 4, horizon - 6, tx + 7, horizon + 6, DOOR);
		rect(pix, tx, horizon - 22, tx + 12, horizon - 6, TREE);
	}
	for (int p = 0; p < 2 + k % 3; p++) { /* people at the gate */
		int px = fx + fw - 60 + p * 9;
		rect(pix, px, horizon + 8, px + 5, horizon + 24, PERSON);
		rect(pix, px + 1, horizon + 3, px + 4, horizon + 7, PERSON);
	}
}

/* ---------------------------------------------------------------- store -- */

static bool make_dir(const char *d)
{
	return mkdir(d, 0700) == 0 || errno == EEXIST;
}

/* Stores picture k (photo_store, as an upload) and attaches it to the latest
 * activity of type code held by day, with caption. */
static bz_rc one(struct db *db, const struct user *leader, const char *data_dir, int k,
                 const char *day, const char *code, const char *caption, int64_t *stored)
{
	sqlite3_stmt *st = db_stmt(db, SQL_FIELD_ACTIVITY);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, day);
	db_bind_text(st, 2, code);
	int64_t activity = 0;
	int sr = sqlite3_step(st);
	if (sr == SQLITE_ROW)
		activity = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (sr != SQLITE_ROW && sr != SQLITE_DONE)
		return db_rc(db, sr, "demo photo activity");
	if (activity == 0)
		return BZ_OK; /* a small or early database: nothing to attach it to */
	unsigned char *pix = malloc((size_t)W * H), pal[768];
	if (pix == NULL)
		return BZ_ERR_NOMEM;
	draw(k, pix, pal);
	size_t len = 0;
	unsigned char *png = png_encode(pix, pal, &len);
	free(pix);
	if (png == NULL)
		return BZ_ERR_NOMEM;
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%.4000s/tmp/demo-photo-%d.png", data_dir, k);
	bz_rc rc = bz_write_atomic(tmp, png, len);
	free(png);
	if (rc != BZ_OK)
		return rc;
	struct photo_file pf;
	const char *msg = NULL;
	rc = photo_store(data_dir, tmp, &pf, &msg);
	unlink(tmp);
	if (rc != BZ_OK) {
		if (msg)
			LOG_ERROR("demo photo: %s", msg);
		return rc;
	}
	json_t *fields = json_object();
	rc = activity_photo_add(db, leader, activity, &pf, caption, fields, NULL);
	json_decref(fields);
	if (rc == BZ_OK)
		(*stored)++;
	return rc;
}

bz_rc demo_photos(struct db *db, const char *data_dir, const char *today, int64_t *stored)
{
	static const struct {
		const char *day, *code, *caption;
	} shots[] = {
	    {"2024-09-30", "mayor_site_visit", "시장 현장방문: 생산라인을 둘러보며 애로 청취"},
	    {"2024-09-30", "one_stop_meeting", "기업원스톱처리 회의: 관련 부서와 처리 방안 논의"},
	    {"2024-09-30", "education", "지식산업센터 입주기업 법령교육"},
	    {NULL, "mayor_site_visit", "시장 현장방문: 증축 현장 점검"},
	    {NULL, "one_stop_meeting", "원스톱처리 회의: 인허가 애로 합동 검토"},
	    {NULL, "roundtable", "기업애로 간담회: 산업단지 입주기업 대표들과"},
	};
	*stored = 0;
	crc_init();
	char dir[4200];
	snprintf(dir, sizeof(dir), "%.4000s/tmp", data_dir);
	if (!make_dir(data_dir) || !make_dir(dir)) {
		LOG_ERROR("demo photo: cannot create %s", dir);
		return BZ_ERR_IO;
	}
	struct user leader;
	memset(&leader, 0, sizeof(leader));
	if (db_int1f(db, SQL_LEADER, 0, &leader.id, "") != BZ_OK || leader.id == 0)
		return BZ_ERR_NOTFOUND;
	leader.role = ROLE_LEADER;
	bz_rc rc = BZ_OK;
	for (size_t i = 0; i < BZ_ARRAY_LEN(shots) && rc == BZ_OK; i++)
		rc = one(db, &leader, data_dir, (int)i, shots[i].day ? shots[i].day : today,
		         shots[i].code, shots[i].caption, stored);
	return rc;
}
