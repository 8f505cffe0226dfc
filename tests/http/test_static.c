/* Static files by Accept-Encoding: the pre-compressed sibling (name.br,
 * name.gz, made at build time by scripts/build_assets.py) goes to a client
 * that accepts it, brotli first; a client that accepts neither, or refuses one
 * with q=0, gets the file itself; every answer says Vary: Accept-Encoding and
 * each encoding has its own ETag. A sibling older than the file (the file was
 * edited after the build) is never sent. Pages are gzipped on the fly, but
 * only when no query string can put chosen text on them. */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

static void put(const char *dir, const char *name, const char *text, time_t mtime)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL, "write %s", path);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
	struct timeval tv[2] = {{mtime, 0}, {mtime, 0}};
	utimes(path, tv);
}

/* GET path with Accept-Encoding ae (NULL: none); body, Content-Encoding, ETag. */
static void get(struct client *c, const char *path, const char *ae, char *body, size_t bodylen,
                char *enc, char *etag)
{
	char h[128];
	snprintf(h, sizeof(h), "Accept-Encoding: %s", ae ? ae : "");
	const char *headers[] = {ae ? h : "Accept-Encoding:", NULL};
	struct resp r;
	CHECK_INT(t_request(c, "GET", path, NULL, NULL, 0, headers, &r), 200);
	snprintf(body, bodylen, "%s", r.body.s ? r.body.s : "");
	enc[0] = etag[0] = '\0';
	t_header(&r, "Content-Encoding", enc, 32);
	t_header(&r, "ETag", etag, 64);
	char vary[64] = "";
	CHECK(t_header(&r, "Vary", vary, sizeof(vary)) && strcmp(vary, "Accept-Encoding") == 0,
	      "%s (%s): Vary: Accept-Encoding, got '%s'", path, ae ? ae : "-", vary);
	t_resp_free(&r);
}

int main(void)
{
	char dir[512], css[600];
	t_path(dir, sizeof(dir), "static");
	mkdir(dir, 0755);
	snprintf(css, sizeof(css), "%s/css", dir);
	mkdir(css, 0755);
	time_t t = 1700000000;
	put(css, "a.css", "body{color:red}", t);
	put(css, "a.css.gz", "GZIP-BYTES", t);
	put(css, "a.css.br", "BROTLI-BYTES", t + 10);
	put(css, "b.css", "p{margin:0}", t);
	put(css, "b.css.gz", "OLD-GZIP", t - 100); /* older than b.css: stale */

	const char *args[] = {"--static", dir, NULL};
	struct daemon d;
	if (!t_start(&d, args))
		return 1;
	struct client c;
	t_client_init(&c, &d);
	char body[256], enc[32], etag[64], etag_br[64], etag_gz[64], etag_id[64];

	get(&c, "/static/css/a.css", "gzip, deflate, br", body, sizeof(body), enc, etag_br);
	CHECK_STR(body, "BROTLI-BYTES");
	CHECK_STR(enc, "br");
	get(&c, "/static/css/a.css", "gzip", body, sizeof(body), enc, etag_gz);
	CHECK_STR(body, "GZIP-BYTES");
	CHECK_STR(enc, "gzip");
	get(&c, "/static/css/a.css", "br;q=0, gzip;q=0.5", body, sizeof(body), enc, etag);
	CHECK_STR(body, "GZIP-BYTES");
	get(&c, "/static/css/a.css", "gzip;q=0", body, sizeof(body), enc, etag);
	CHECK_STR(body, "body{color:red}");
	CHECK_STR(enc, "");
	get(&c, "/static/css/a.css", "identity", body, sizeof(body), enc, etag_id);
	CHECK_STR(body, "body{color:red}");
	get(&c, "/static/css/a.css", NULL, body, sizeof(body), enc, etag);
	CHECK_STR(body, "body{color:red}");
	CHECK(strcmp(etag_br, etag_gz) != 0 && strcmp(etag_gz, etag_id) != 0 &&
	          strcmp(etag_br, etag_id) != 0,
	      "one ETag per encoding: %s %s %s", etag_br, etag_gz, etag_id);

	/* a stale sibling is never sent */
	get(&c, "/static/css/b.css", "gzip, br", body, sizeof(body), enc, etag);
	CHECK_STR(body, "p{margin:0}");
	CHECK_STR(enc, "");

	/* revalidation with the encoding's own ETag: 304 */
	char inm[96];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag_gz);
	const char *h[] = {"Accept-Encoding: gzip", inm, NULL};
	struct resp r;
	CHECK_INT(t_request(&c, "GET", "/static/css/a.css", NULL, NULL, 0, h, &r), 304);
	t_resp_free(&r);

	/* pages: gzip for a GET without a query string; with one (text the client
	 * chose may be on the page next to the CSRF token: BREACH), never */
	const char *gz[] = {"Accept-Encoding: gzip, br", NULL};
	CHECK_INT(t_request(&c, "GET", "/login", NULL, NULL, 0, gz, &r), 200);
	enc[0] = '\0';
	t_header(&r, "Content-Encoding", enc, sizeof(enc));
	CHECK_STR(enc, "gzip");
	CHECK(r.body.len > 2 && (unsigned char)r.body.s[0] == 0x1f &&
	          (unsigned char)r.body.s[1] == 0x8b,
	      "a gzip stream (%zu bytes)", r.body.len);
	t_resp_free(&r);
	CHECK_INT(t_request(&c, "GET", "/login?next=%2Fcases", NULL, NULL, 0, gz, &r), 200);
	enc[0] = '\0';
	t_header(&r, "Content-Encoding", enc, sizeof(enc));
	CHECK_STR(enc, "");
	CHECK_CONTAINS(r.body.s, "<html");
	t_resp_free(&r);
	CHECK_INT(t_request(&c, "GET", "/login", NULL, NULL, 0, NULL, &r), 200);
	CHECK_CONTAINS(r.body.s, "<html");
	t_resp_free(&r);

	t_client_free(&c);
	t_daemon_stop(&d);
	return t_done();
}
