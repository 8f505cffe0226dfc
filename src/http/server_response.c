/* Turning a handler's response into bytes: HTML through the template (gzip,
 * ETag), JSON (the same view model), a redirect, a file, or an error page;
 * the security headers every answer carries. */
#include "bizsos/app.h"
#include "bizsos/http.h"
#include "bizsos/web.h"

#include "server_internal.h"

#include <sodium.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ---- turning a response into bytes ----------------------------------------- */

static void add_security_headers(struct MHD_Response *r, const struct app *app)
{
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'self'; script-src 'self'; style-src 'self'; "
	                        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
	                        "form-action 'self'; base-uri 'none'; object-src 'none'; "
	                        "frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	if (app->cfg.tls_cert[0])
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

static struct MHD_Response *response_from_buf(struct buf *b, const char *ctype, size_t *len)
{
	size_t n = 0;
	char *s = buf_detach(b, &n);
	if (s == NULL)
		return NULL;
	*len = n;
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(n, s, free);
	if (r == NULL) {
		free(s);
		return NULL;
	}
	MHD_add_response_header(r, "Content-Type", ctype);
	return r;
}

static const char *status_title(int status)
{
	switch (status) {
	case 400:
		return "잘못된 요청입니다";
	case 401:
		return "로그인이 필요합니다";
	case 403:
		return "접근 권한이 없습니다";
	case 404:
		return "페이지를 찾을 수 없습니다";
	case 405:
		return "허용되지 않는 요청 방식입니다";
	case 409:
		return "다른 사용자가 먼저 수정했습니다";
	case 413:
		return "보낸 내용이 너무 큽니다";
	case 415:
		return "지원하지 않는 형식입니다";
	case 422:
		return "입력한 내용을 확인해 주세요";
	case 429:
		return "요청이 너무 많습니다";
	case 503:
		return "잠시 후 다시 시도해 주세요";
	default:
		return status >= 500 ? "서버에 문제가 생겼습니다" : "요청을 처리하지 못했습니다";
	}
}

static json_t *error_json(const struct response *rs)
{
	json_t *e =
	    json_pack("{s:s, s:s}", "code", rs->err_code ? rs->err_code : "error", "message",
	              rs->err_message[0] ? rs->err_message : status_title(rs->status));
	if (rs->err_fields)
		json_object_set(e, "fields", rs->err_fields);
	return json_pack("{s:o}", "error", e);
}

/* Renders tpl with the model and the page chrome; on failure a plain 500 page. */
/* gzip for pages: only for a GET without a query string answered 200, so that
 * no text an attacker chose sits in a compressed page next to the CSRF token
 * (BREACH); 1 KiB and more; level 1 (pages are repetitive markup: ~8x smaller
 * for a few hundred microseconds). Replaces out on success; leaves it on any
 * failure (the page goes uncompressed). */
#define PAGE_GZIP_MIN 1024
static bool page_gzip(struct conn *c, struct buf *out, char **zout, size_t *zlen)
{
	const struct request *rq = &c->rq;
	const char *src = buf_cstr(out);
	if (rq->method != HTTP_GET || rq->query.n > 0 ||
	    (c->rs.status != 0 && c->rs.status != 200) || out->len < PAGE_GZIP_MIN || src == NULL ||
	    !rq_accepts_encoding(rq, "gzip"))
		return false;
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	uLong bound = deflateBound(&zs, (uLong)out->len);
	char *z = malloc((size_t)bound);
	bool ok = z != NULL;
	if (ok) {
		zs.next_in = (Bytef *)src;
		zs.avail_in = (uInt)out->len;
		zs.next_out = (Bytef *)z;
		zs.avail_out = (uInt)bound;
		ok = deflate(&zs, Z_FINISH) == Z_STREAM_END;
	}
	deflateEnd(&zs);
	if (!ok) {
		free(z);
		return false;
	}
	*zout = z;
	*zlen = (size_t)zs.total_out;
	return true;
}

static struct MHD_Response *render_page(struct conn *c, const char *tpl, json_t *model,
                                        const char *title, size_t *len)
{
	json_t *data = web_chrome(&c->rq, &c->rs, model, title);
	struct buf out;
	buf_init(&out, 0);
	bz_rc rc = data ? view_render(c->app->view, tpl, data, &out) : BZ_ERR_NOMEM;
	json_decref(data);
	if (rc != BZ_OK) {
		LOG_ERROR("render %s: %s", tpl, bz_strerror(rc));
		buf_reset(&out);
		buf_puts(&out, "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\">"
		               "<title>오류 | 기업SOS</title><h1>서버에 문제가 생겼습니다</h1>"
		               "<p>잠시 후 다시 시도해 주세요.</p></html>");
		c->rs.status = 500;
	}
	char *z = NULL;
	size_t zn = 0;
	struct MHD_Response *r;
	bool gz = page_gzip(c, &out, &z, &zn);
	if (c->rq.page_key[0] && rc == BZ_OK && (c->rs.status == 0 || c->rs.status == 200) &&
	    c->rs.headers.n == c->rq.page_headers && (gz || buf_cstr(&out))) /* no cookie */
		page_cache_put(c->rq.page_key, c->rq.page_gen, c->rq.page_day,
		               gz ? z : buf_cstr(&out), gz ? zn : out.len, gz);
	if (gz) {
		buf_free(&out);
		*len = zn;
		r = MHD_create_response_from_buffer_with_free_callback(zn, z, free);
		if (r == NULL)
			free(z);
		else {
			MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
			MHD_add_response_header(r, "Content-Encoding", "gzip");
		}
	} else {
		r = response_from_buf(&out, "text/html; charset=utf-8", len);
	}
	if (r)
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
	return r;
}

/* A strong ETag for a response body: 128 bits of BLAKE2b, quoted hex. */
static void etag_of(const char *body, char *out, size_t outlen)
{
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)body, strlen(body), NULL, 0);
	char hex[33];
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, outlen, "\"%s\"", hex);
}

/* Does an If-None-Match value ("*", or tags separated by commas, W/ allowed)
 * name etag? */
static bool etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return false;
	size_t n = strlen(etag);
	for (const char *p = inm; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

static struct MHD_Response *build_response(struct conn *c, size_t *len)
{
	bool revalidate = false;
	struct request *rq = &c->rq;
	struct response *rs = &c->rs;
	struct MHD_Response *r = NULL;
	*len = 0;

	if (rs->fd >= 0) {
		r = MHD_create_response_from_fd64((uint64_t)rs->fd_size, rs->fd);
		if (r) {
			rs->fd = -1; /* MHD closes it */
			*len = (size_t)rs->fd_size;
			MHD_add_response_header(r, "Content-Type", rs->content_type);
		}
	} else if (rs->body) {
		r = MHD_create_response_from_buffer_with_free_callback(rs->body_len, rs->body,
		                                                       free);
		if (r) {
			*len = rs->body_len;
			rs->body = NULL;
			MHD_add_response_header(r, "Content-Type", rs->content_type);
		}
	} else if (rs->location[0]) {
		if (rq->api) {
			rs->status = 200;
			json_t *j = rs->model ? json_incref(rs->model) : json_object();
			json_object_set_new(j, "location", json_string(rs->location));
			struct buf b;
			buf_init(&b, 0);
			char *s = json_dumps(j, JSON_COMPACT);
			json_decref(j);
			if (s)
				buf_puts(&b, s);
			free(s);
			r = response_from_buf(&b, "application/json; charset=utf-8", len);
		} else {
			struct buf b;
			buf_init(&b, 0);
			r = response_from_buf(&b, "text/html; charset=utf-8", len);
		}
		if (r)
			MHD_add_response_header(r, "Location", rs->location);
	} else if (rq->api) {
		/* the JSON face is the page's whole model: what the template gets,
		 * chrome (app, page, me, nav, breadcrumb, flash, csrf) included */
		json_t *j =
		    rs->err_code ? error_json(rs) : web_chrome(rq, rs, rs->model, rs->title);
		char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII * 0) : NULL;
		json_decref(j);
		/* a GET page: an ETag of the body; If-None-Match with it gets 304 */
		char etag[40] = "";
		if (s && rq->method == HTTP_GET && !rs->err_code &&
		    (rs->status == 0 || rs->status == 200))
			etag_of(s, etag, sizeof(etag));
		if (etag[0] && etag_matches(rq_header(rq, "If-None-Match"), etag)) {
			free(s);
			rs->status = 304;
			r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
			*len = 0;
		} else {
			struct buf b;
			buf_init(&b, 0);
			if (s) {
				buf_puts(&b, s);
				buf_putc(&b, '\n');
			}
			free(s);
			r = response_from_buf(&b, "application/json; charset=utf-8", len);
		}
		if (r && etag[0]) {
			MHD_add_response_header(r, "ETag", etag);
			MHD_add_response_header(r, "Cache-Control", "private, no-cache");
			revalidate = true;
		}
	} else if (rs->tpl) {
		r = render_page(c, rs->tpl, rs->model, rs->title, len);
	} else {
		json_t *m = json_pack(
		    "{s:{s:i, s:s, s:s, s:s}}", "error", "status", rs->status, "code",
		    rs->err_code ? rs->err_code : "error", "title", status_title(rs->status),
		    "message", rs->err_message[0] ? rs->err_message : status_title(rs->status));
		r = render_page(c, "error", m, status_title(rs->status), len);
		json_decref(m);
	}
	if (r == NULL)
		return NULL;
	for (size_t i = 0; i < rs->headers.n; i++)
		MHD_add_response_header(r, rs->headers.items[i].key, rs->headers.items[i].value);
	if (rs->fd < 0 && rs->body == NULL && !rs->content_type[0] && !revalidate)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	add_security_headers(r, c->app);
	return r;
}

enum MHD_Result server_send_response(struct MHD_Connection *mc, struct conn *c)
{
	size_t len = 0;
	struct MHD_Response *r = build_response(c, &len);
	page_cache_land(c->rq.page_ticket); /* the page is kept, or will not be */
	c->rq.page_ticket = 0;
	if (r == NULL) {
		static const char oom[] = "서버에 문제가 생겼습니다";
		r = MHD_create_response_from_buffer(sizeof(oom) - 1, (void *)oom,
		                                    MHD_RESPMEM_PERSISTENT);
		c->rs.status = 500;
		if (r == NULL)
			return MHD_NO;
	}
	if (c->rs.status == 0)
		c->rs.status = 200;
	c->sent_status = c->rs.status;
	c->sent_bytes = len;
	enum MHD_Result ret = MHD_queue_response(mc, (unsigned)c->rs.status, r);
	MHD_destroy_response(r);
	return ret;
}
