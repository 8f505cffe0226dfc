/* The libmicrohttpd daemon: reads a request (headers, query, cookies, body —
 * url-encoded, multipart streamed to disk, or JSON), authenticates it, finds
 * its route, checks roles and CSRF, calls the handler and turns its response
 * into HTML (template), JSON (the same view model), a redirect or a file.
 *
 * Ownership: everything of one request lives in struct conn (allocated on the
 * first call of the access handler, freed in the completion callback). */
#include "bizsos/app.h"
#include "bizsos/http.h"
#include "bizsos/login_guard.h"
#include "bizsos/web.h"

#include "server_internal.h"

#include <sodium.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define FIELD_LIMIT ((size_t)1024 * 1024) /* one url-encoded or multipart text field */
#define MAX_UPLOADS 32

enum body_kind { BODY_NONE, BODY_FORM, BODY_MULTIPART, BODY_JSON, BODY_OTHER };

struct conn {
	struct request rq;
	struct response rs;
	struct app *app;
	struct timespec start;
	char *url; /* as received, for the log */
	enum body_kind kind;
	struct MHD_PostProcessor *pp;
	struct buf json;
	int64_t body_bytes;
	int64_t body_limit;
	int fail_status; /* 400/413/415 found while reading the body */
	const char *fail_message;
	int upload_fd;
	char last_key[128]; /* the field the post processor is filling */
	bool last_is_file;
	size_t sent_bytes;
	int sent_status;
	char rid[20]; /* request id: in every log line of this request and X-Request-Id */
	/* A slow request (web_route_is_slow) is queued for a sign-in thread while
	 * its connection is suspended; the thread fills rs and resumes it. */
	struct MHD_Connection *mc;
	bool queued;
	atomic_bool dispatched;
	struct conn *next_job;
};

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void db_key_destroy(void *p)
{
	db_close(p);
}

static void db_key_init(void)
{
	pthread_key_create(&db_key, db_key_destroy);
}

struct db *app_db(struct app *app)
{
	pthread_once(&db_key_once, db_key_init);
	struct db *db = pthread_getspecific(db_key);
	if (db)
		return db;
	char err[256];
	if (db_open(app->cfg.db, false, &db, err, sizeof(err)) != BZ_OK) {
		LOG_ERROR("cannot open database %s: %s", app->cfg.db, err);
		return NULL;
	}
	pthread_setspecific(db_key, db);
	return db;
}

static enum http_method method_from(const char *m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} map[] = {{"GET", HTTP_GET}, {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
	           {"PUT", HTTP_PUT}, {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(map); i++)
		if (strcmp(m, map[i].name) == 0)
			return map[i].m;
	return HTTP_OTHER;
}

static void conn_fail(struct conn *c, int status, const char *message)
{
	if (c->fail_status == 0) {
		c->fail_status = status;
		c->fail_message = message;
	}
}

/* ---- body parsing ---------------------------------------------------------- */

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct conn *c = cls;
	struct request *rq = &c->rq;
	if (c->fail_status)
		return MHD_YES;
	if (key == NULL)
		key = "";
	bool same = off > 0 && strcmp(c->last_key, key) == 0;

	if (filename != NULL) {
		if (!same || !c->last_is_file) {
			if (rq->nuploads >= MAX_UPLOADS) {
				conn_fail(c, 413, "한 번에 올릴 수 있는 파일 수를 넘었습니다.");
				return MHD_YES;
			}
			struct upload *u = realloc(rq->uploads, (rq->nuploads + 1) * sizeof(*u));
			if (u == NULL)
				return MHD_NO;
			rq->uploads = u;
			u = &rq->uploads[rq->nuploads];
			memset(u, 0, sizeof(*u));
			u->field = strdup(key);
			u->filename = strdup(filename);
			u->content_type = strdup(content_type ? content_type : "");
			int pn = snprintf(u->path, sizeof(u->path), "%.4000s/upload-XXXXXX",
			                  c->app->tmp_dir);
			rq->nuploads++;
			if (c->upload_fd >= 0)
				close(c->upload_fd);
			c->upload_fd =
			    pn > 0 && (size_t)pn < sizeof(u->path) ? mkstemp(u->path) : -1;
			if (c->upload_fd < 0 || !u->field || !u->filename || !u->content_type) {
				u->path[0] = '\0';
				LOG_ERROR("upload temp file: %s", strerror(errno));
				conn_fail(c, 500, "파일을 저장하지 못했습니다.");
				return MHD_YES;
			}
			bz_strlcpy(c->last_key, key, sizeof(c->last_key));
			c->last_is_file = true;
		}
		struct upload *u = &rq->uploads[rq->nuploads - 1];
		size_t done = 0;
		while (done < size) {
			ssize_t w = write(c->upload_fd, data + done, size - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				conn_fail(c, 500, "파일을 저장하지 못했습니다.");
				return MHD_YES;
			}
			done += (size_t)w;
		}
		u->size += (int64_t)size;
		return MHD_YES;
	}

	if (same && !c->last_is_file && rq->form.n > 0) {
		struct kv *kv = &rq->form.items[rq->form.n - 1];
		if (kv->len + size > FIELD_LIMIT) {
			conn_fail(c, 413, "입력한 내용이 너무 깁니다.");
			return MHD_YES;
		}
		char *v = realloc(kv->value, kv->len + size + 1);
		if (v == NULL)
			return MHD_NO;
		memcpy(v + kv->len, data, size);
		kv->len += size;
		v[kv->len] = '\0';
		kv->value = v;
		return MHD_YES;
	}
	if (kv_add(&rq->form, key, data ? data : "", size) != BZ_OK) {
		conn_fail(c, 413, "입력 항목이 너무 많습니다.");
		return MHD_YES;
	}
	bz_strlcpy(c->last_key, key, sizeof(c->last_key));
	c->last_is_file = false;
	return MHD_YES;
}

/* A JSON body becomes form fields (http_json_to_form, request.c). */
static void json_body_to_form(struct conn *c)
{
	const char *msg = NULL;
	if (http_json_to_form(c->json.s ? c->json.s : "", c->json.len, &c->rq.form, &msg) != 0)
		conn_fail(c, 400, msg);
}

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	(void)kind;
	struct kvlist *l = cls;
	if (key == NULL)
		return MHD_YES;
	kv_add(l, key, value ? value : "", value ? strlen(value) : 0);
	return MHD_YES;
}

static bool kvlist_utf8_ok(const struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!bz_utf8_valid(l->items[i].key, strlen(l->items[i].key)) ||
		    !bz_utf8_valid(l->items[i].value, l->items[i].len))
			return false;
	return true;
}

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
	if (page_gzip(c, &out, &z, &zn)) {
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

static enum MHD_Result send_response(struct MHD_Connection *mc, struct conn *c)
{
	size_t len = 0;
	struct MHD_Response *r = build_response(c, &len);
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

/* ---- deadlines ---------------------------------------------------------------
 * libmicrohttpd's connection timeout counts inactivity only: a client that sends
 * a header line every few seconds holds its connection forever. Every
 * connection is therefore watched: from the moment it opens (or its previous
 * response is done) it has header_timeout seconds to deliver a complete
 * request head, then body_timeout seconds for the body. A watchdog thread shuts
 * overdue sockets down; libmicrohttpd then sees the end of the stream and
 * closes the connection itself. A connection whose response is being sent is
 * left to the inactivity timeout. */

enum watch_phase { WATCH_HEAD, WATCH_BODY, WATCH_ANSWER, WATCH_CUT };

struct watch {
	int fd;
	enum watch_phase phase;
	time_t since; /* CLOCK_MONOTONIC seconds */
	struct watch *prev, *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct watch *head;
	bool stop;
	int header_timeout, body_timeout;
	long cut; /* connections shut down for missing a deadline */
} watchdog = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, false, 10, 120, 0};

static time_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void notify_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct watch *w = calloc(1, sizeof(*w));
		if (w == NULL || ci == NULL) {
			free(w);
			*socket_context = NULL;
			return;
		}
		w->fd = ci->connect_fd;
		w->phase = WATCH_HEAD;
		w->since = mono_now();
		pthread_mutex_lock(&watchdog.mu);
		w->next = watchdog.head;
		if (watchdog.head)
			watchdog.head->prev = w;
		watchdog.head = w;
		pthread_mutex_unlock(&watchdog.mu);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		/* Called before libmicrohttpd closes the socket: once unlinked here, the
		 * watchdog can never touch a reused descriptor. */
		struct watch *w = *socket_context;
		if (w == NULL)
			return;
		pthread_mutex_lock(&watchdog.mu);
		if (w->prev)
			w->prev->next = w->next;
		else
			watchdog.head = w->next;
		if (w->next)
			w->next->prev = w->prev;
		pthread_mutex_unlock(&watchdog.mu);
		free(w);
		*socket_context = NULL;
	}
}

/* Moves the connection's watch to phase, restarting its clock. */
static void watch_phase(struct MHD_Connection *mc, enum watch_phase phase)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct watch *w = ci ? ci->socket_context : NULL;
	if (w == NULL)
		return;
	pthread_mutex_lock(&watchdog.mu);
	if (w->phase != WATCH_CUT) {
		w->phase = phase;
		w->since = mono_now();
	}
	pthread_mutex_unlock(&watchdog.mu);
}

static void *watchdog_run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&watchdog.mu);
	while (!watchdog.stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&watchdog.cv, &watchdog.mu, &until);
		time_t now = mono_now();
		for (struct watch *w = watchdog.head; w; w = w->next) {
			int limit = w->phase == WATCH_HEAD   ? watchdog.header_timeout
			            : w->phase == WATCH_BODY ? watchdog.body_timeout
			                                     : 0;
			if (limit > 0 && now - w->since >= limit) {
				shutdown(w->fd, SHUT_RDWR);
				w->phase = WATCH_CUT;
				watchdog.cut++;
			}
		}
	}
	pthread_mutex_unlock(&watchdog.mu);
	return NULL;
}

/* ---- sign-in threads ----------------------------------------------------------
 * Hashing a password takes ~100 ms of CPU and 64 MiB. Done on a request thread
 * it would stall every other connection that thread serves (libmicrohttpd's
 * thread pool multiplexes many connections per thread). Such requests are
 * therefore handed to login_concurrency threads of their own through a short
 * queue; when the queue is full the answer is 503 with Retry-After at once. */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *head, *tail;
	int queued, cap, nthreads;
	bool stop;
	pthread_t threads[64];
} slow = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, false, {0}};

static void *slow_run(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&slow.mu);
		while (slow.head == NULL && !slow.stop)
			pthread_cond_wait(&slow.cv, &slow.mu);
		struct conn *c = slow.head;
		if (c == NULL) {
			pthread_mutex_unlock(&slow.mu);
			break;
		}
		slow.head = c->next_job;
		if (slow.head == NULL)
			slow.tail = NULL;
		slow.queued--;
		pthread_mutex_unlock(&slow.mu);
		bz_log_request_id(c->rid);
		dispatch(&c->rq, &c->rs, rq_header(&c->rq, "Authorization"),
		         rq_header(&c->rq, "X-CSRF-Token"));
		bz_log_request_id(NULL);
		atomic_store(&c->dispatched, true);
		MHD_resume_connection(c->mc);
	}
	return NULL;
}

/* Queues c for a sign-in thread; false when the queue is full. */
static bool slow_enqueue(struct conn *c)
{
	pthread_mutex_lock(&slow.mu);
	bool ok = !slow.stop && slow.nthreads > 0 && slow.queued < slow.cap;
	if (ok) {
		c->next_job = NULL;
		if (slow.tail)
			slow.tail->next_job = c;
		else
			slow.head = c;
		slow.tail = c;
		slow.queued++;
		pthread_cond_signal(&slow.cv);
	}
	pthread_mutex_unlock(&slow.mu);
	return ok;
}

static bool slow_start(int n)
{
	slow.stop = false;
	slow.nthreads = 0;
	slow.cap = n * 4;
	for (int i = 0; i < n && i < (int)BZ_ARRAY_LEN(slow.threads); i++) {
		if (pthread_create(&slow.threads[i], NULL, slow_run, NULL) != 0)
			break;
		slow.nthreads++;
	}
	return slow.nthreads > 0;
}

/* Lets the threads finish every queued request (resuming its connection), then joins them. */
static void slow_stop(void)
{
	pthread_mutex_lock(&slow.mu);
	slow.stop = true;
	pthread_cond_broadcast(&slow.cv);
	pthread_mutex_unlock(&slow.mu);
	for (int i = 0; i < slow.nthreads; i++)
		pthread_join(slow.threads[i], NULL);
	slow.nthreads = 0;
}

/* ---- the access handler ----------------------------------------------------- */

static const char *header(struct MHD_Connection *mc, const char *name)
{
	return MHD_lookup_connection_value(mc, MHD_HEADER_KIND, name);
}

static void conn_free(struct conn *c)
{
	struct request *rq = &c->rq;
	if (c->pp)
		MHD_destroy_post_processor(c->pp);
	if (c->upload_fd >= 0)
		close(c->upload_fd);
	for (size_t i = 0; i < rq->nuploads; i++) {
		if (rq->uploads[i].path[0])
			unlink(rq->uploads[i].path);
		free(rq->uploads[i].field);
		free(rq->uploads[i].filename);
		free(rq->uploads[i].content_type);
	}
	free(rq->uploads);
	kv_free(&rq->query);
	kv_free(&rq->form);
	kv_free(&rq->cookies);
	kv_free(&rq->headers);
	kv_free(&rq->params);
	free((char *)rq->path);
	buf_free(&c->json);
	json_decref(c->rs.model);
	json_decref(c->rs.err_fields);
	free(c->rs.body);
	if (c->rs.fd >= 0)
		close(c->rs.fd);
	kv_free(&c->rs.headers);
	free(c->url);
	free(c);
}

static void request_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	struct conn *c = *con_cls;
	/* A kept-alive connection waits for its next request head. */
	if (mc != NULL)
		watch_phase(mc, WATCH_HEAD);
	if (c == NULL)
		return;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	long long us = (long long)(end.tv_sec - c->start.tv_sec) * 1000000LL +
	               (end.tv_nsec - c->start.tv_nsec) / 1000;
	bz_log("access", "%s %s %d %zu %lldus uid=%lld ip=%s rid=%s%s", c->rq.method_name, c->url,
	       c->sent_status, c->sent_bytes, us, c->rq.signed_in ? (long long)c->rq.user.id : 0LL,
	       c->rq.remote[0] ? c->rq.remote : "-", c->rid,
	       toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	conn_free(c);
	*con_cls = NULL;
}

static bool wants_json(struct MHD_Connection *mc);

static struct conn *conn_new(struct app *app, struct MHD_Connection *mc, const char *url,
                             const char *method)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	c->app = app;
	c->upload_fd = -1;
	c->rs.fd = -1;
	c->url = strdup(url);
	buf_init(&c->json, (size_t)app->cfg.form_limit);
	struct request *rq = &c->rq;
	rq->app = app;
	rq->method = method_from(method);
	rq->method_name = method;
	/* The peer address, for the access log and the personal-data access record. */
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
		          rq->remote, sizeof(rq->remote));
	else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
		          rq->remote, sizeof(rq->remote));
	/* Behind the configured reverse proxy only, the client is the last address
	 * of X-Forwarded-For (the one the proxy itself saw); from anyone else the
	 * header is ignored, so a client cannot choose the address it is logged under. */
	if (app->cfg.trusted_proxy[0] && strcmp(rq->remote, app->cfg.trusted_proxy) == 0) {
		const char *xff =
		    MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-Forwarded-For");
		if (xff) {
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			while (*last == ' ' || *last == '\t')
				last++;
			char cand[64];
			size_t n = strcspn(last, " \t");
			if (n > 0 && n < sizeof(cand)) {
				memcpy(cand, last, n);
				cand[n] = '\0';
				unsigned char bin[16];
				if (inet_pton(AF_INET, cand, bin) == 1 ||
				    inet_pton(AF_INET6, cand, bin) == 1)
					bz_strlcpy(rq->remote, cand, sizeof(rq->remote));
			}
		}
	}
	/* A request id for the log lines of this request, sent back as X-Request-Id. */
	unsigned char rb[8];
	randombytes_buf(rb, sizeof(rb));
	sodium_bin2hex(c->rid, sizeof(c->rid), rb, sizeof(rb));
	kv_add(&c->rs.headers, "X-Request-Id", c->rid, strlen(c->rid));
	/* The same page answers JSON under /api/v1/ or for Accept: application/json. */
	const char *path = url;
	rq->api = wants_json(mc);
	if (strncmp(url, "/api/v1/", 8) == 0 || strcmp(url, "/api/v1") == 0) {
		rq->api = true;
		path = url + 7;
		if (*path == '\0')
			path = "/";
	}
	rq->path = strdup(path);
	if (c->url == NULL || rq->path == NULL) {
		conn_free(c);
		return NULL;
	}
	return c;
}

/* Decides how to read the body from its headers. */
static void body_setup(struct conn *c, struct MHD_Connection *mc)
{
	const char *ctype = header(mc, "Content-Type");
	const char *clen = header(mc, "Content-Length");
	const struct config *cfg = &c->app->cfg;
	if (ctype == NULL)
		ctype = "";
	if (strncasecmp(ctype, "multipart/form-data", 19) == 0) {
		c->kind = BODY_MULTIPART;
		c->body_limit = cfg->upload_limit;
		/* the public request form takes up to 5 files of 10 MiB each */
		if (strcmp(c->rq.path, "/request") == 0 &&
		    cfg->request_upload_limit > c->body_limit)
			c->body_limit = cfg->request_upload_limit;
	} else if (strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		c->kind = BODY_FORM;
		c->body_limit = cfg->form_limit;
	} else if (strncasecmp(ctype, "application/json", 16) == 0) {
		c->kind = BODY_JSON;
		c->body_limit = cfg->form_limit;
	} else {
		c->kind = BODY_OTHER;
		c->body_limit = cfg->form_limit;
	}
	if (clen) {
		char *end = NULL;
		errno = 0;
		long long n = strtoll(clen, &end, 10);
		if (errno || end == clen || *end || n < 0)
			conn_fail(c, 400, "Content-Length 헤더가 올바르지 않습니다.");
		else if (n > c->body_limit)
			conn_fail(c, 413,
			          c->kind == BODY_MULTIPART
			              ? "올린 파일이 너무 큽니다. 크기 제한을 확인해 주세요."
			              : "보낸 내용이 너무 큽니다.");
	}
	if (c->fail_status == 0 && (c->kind == BODY_FORM || c->kind == BODY_MULTIPART)) {
		c->pp = MHD_create_post_processor(mc, 64 * 1024, post_iter, c);
		if (c->pp == NULL)
			conn_fail(c, 400, "요청 본문의 형식이 올바르지 않습니다.");
	}
}

static void body_feed(struct conn *c, const char *data, size_t size)
{
	c->body_bytes += (int64_t)size;
	if (c->fail_status)
		return;
	if (c->body_bytes > c->body_limit) {
		conn_fail(c, 413,
		          c->kind == BODY_MULTIPART
		              ? "올린 파일이 너무 큽니다. 크기 제한을 확인해 주세요."
		              : "보낸 내용이 너무 큽니다.");
		return;
	}
	switch (c->kind) {
	case BODY_FORM:
	case BODY_MULTIPART:
		if (MHD_post_process(c->pp, data, size) != MHD_YES)
			conn_fail(c, 400, "요청 본문의 형식이 올바르지 않습니다.");
		break;
	case BODY_JSON:
		buf_append(&c->json, data, size);
		break;
	case BODY_OTHER:
		conn_fail(c, 415, "지원하지 않는 본문 형식입니다. 폼 또는 JSON으로 보내 주세요.");
		break;
	case BODY_NONE:
		break;
	}
}

static bool wants_json(struct MHD_Connection *mc)
{
	const char *accept = header(mc, "Accept");
	return accept && strstr(accept, "application/json") != NULL &&
	       strstr(accept, "text/html") == NULL;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *mc, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
	(void)version;
	struct app *app = cls;
	struct conn *c = *con_cls;

	if (c == NULL) {
		c = conn_new(app, mc, url, method);
		if (c == NULL)
			return MHD_NO;
		*con_cls = c;
		watch_phase(mc, WATCH_BODY);
		body_setup(c, mc);
		/* Refuse an oversized body before reading it. */
		if (c->fail_status == 413) {
			watch_phase(mc, WATCH_ANSWER);
			web_error(&c->rs, 413, "too_large", c->fail_message);
			return send_response(mc, c);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		body_feed(c, upload_data, *upload_data_size);
		*upload_data_size = 0;
		/* Stop reading a body that is far over the limit. */
		if (c->fail_status == 413 && c->body_bytes > c->body_limit * 2 + 1024 * 1024)
			return MHD_NO;
		return MHD_YES;
	}
	if (c->sent_status)
		return MHD_YES;
	if (c->queued) {
		/* Resumed by a sign-in thread: the answer is ready. */
		if (!atomic_load(&c->dispatched))
			return MHD_YES;
		return send_response(mc, c);
	}

	watch_phase(mc, WATCH_ANSWER);
	struct request *rq = &c->rq;
	if (c->pp) {
		MHD_destroy_post_processor(c->pp);
		c->pp = NULL;
	}
	if (c->upload_fd >= 0) {
		close(c->upload_fd);
		c->upload_fd = -1;
	}
	if (c->kind == BODY_JSON && c->fail_status == 0) {
		if (c->json.failed)
			conn_fail(c, 413, "보낸 내용이 너무 큽니다.");
		else if (c->body_bytes > 0)
			json_body_to_form(c);
	}
	MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, collect_kv, &rq->query);
	MHD_get_connection_values(mc, MHD_COOKIE_KIND, collect_kv, &rq->cookies);
	MHD_get_connection_values(mc, MHD_HEADER_KIND, collect_kv, &rq->headers);

	if (!bz_utf8_valid(url, strlen(url)) || !kvlist_utf8_ok(&rq->query) ||
	    !kvlist_utf8_ok(&rq->form) || !kvlist_utf8_ok(&rq->cookies))
		conn_fail(c, 400, "요청에 올바르지 않은 문자(UTF-8이 아닌 바이트)가 있습니다.");
	for (size_t i = 0; i < rq->nuploads && c->fail_status == 0; i++)
		if (!bz_utf8_valid(rq->uploads[i].filename, strlen(rq->uploads[i].filename)))
			conn_fail(c, 400, "파일 이름에 올바르지 않은 문자가 있습니다.");

	if (c->fail_status) {
		web_error(&c->rs, c->fail_status,
		          c->fail_status == 413   ? "too_large"
		          : c->fail_status == 415 ? "unsupported_media_type"
		          : c->fail_status >= 500 ? "internal"
		                                  : "bad_request",
		          c->fail_message);
		return send_response(mc, c);
	}

	if (web_route_is_slow(rq->method, rq->path)) {
		c->mc = mc;
		c->queued = true;
		MHD_suspend_connection(mc);
		if (slow_enqueue(c))
			return MHD_YES;
		MHD_resume_connection(mc);
		c->queued = false;
		web_retry_after(&c->rs, 1);
		web_error(&c->rs, 503, "busy", "요청이 몰려 있습니다. 잠시 후 다시 시도해 주세요.");
		return send_response(mc, c);
	}
	bz_log_request_id(c->rid);
	dispatch(rq, &c->rs, rq_header(rq, "Authorization"), rq_header(rq, "X-CSRF-Token"));
	bz_log_request_id(NULL);
	return send_response(mc, c);
}

/* ---- start and stop ------------------------------------------------------------ */

static bool parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
		return false;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end = NULL;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return false;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		bz_strlcpy(host, "127.0.0.1", sizeof(host));
	return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) == 1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct buf b;
	buf_init(&b, 1024 * 1024);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

BZ_PRINTF(2, 0) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	LOG_WARN("microhttpd: %s", msg);
}

/* Percent-decodes the path and arguments like MHD does, except that an encoded
 * NUL becomes 0x01 instead of cutting the string short: a control byte that the
 * router and the static file check refuse, where a NUL would hide the rest. */
static size_t unescape_keep_nul(void *cls, struct MHD_Connection *mc, char *s)
{
	(void)cls;
	(void)mc;
	size_t n = http_unescape(s, false);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = '\x01';
	return n;
}

static void watchdog_stop(pthread_t dog)
{
	pthread_mutex_lock(&watchdog.mu);
	watchdog.stop = true;
	pthread_cond_signal(&watchdog.cv);
	pthread_mutex_unlock(&watchdog.mu);
	pthread_join(dog, NULL);
}

/* Lets the process hold max_connections sockets besides its files (up to the
 * hard limit; libmicrohttpd refuses connections beyond what it can hold). */
static void raise_fd_limit(int max_connections)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	rlim_t want = (rlim_t)max_connections + 256;
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		LOG_WARN("cannot raise the open-file limit to %llu", (unsigned long long)want);
}

int server_run(struct app *app)
{
	struct sockaddr_in sa;
	if (!parse_listen(app->cfg.listen, &sa)) {
		fprintf(stderr,
		        "bizsos: --listen must be HOST:PORT with an IPv4 address, got \"%s\"\n",
		        app->cfg.listen);
		return 2;
	}
	/* Signals are taken by sigwait below, never by worker threads. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
	                 MHD_ALLOW_SUSPEND_RESUME;
	char *cert = NULL, *key = NULL;
	if (app->cfg.tls_cert[0]) {
		cert = slurp(app->cfg.tls_cert);
		key = slurp(app->cfg.tls_key);
		if (cert == NULL || key == NULL) {
			fprintf(stderr, "bizsos: cannot read --tls-cert %s or --tls-key %s\n",
			        app->cfg.tls_cert, app->cfg.tls_key);
			free(cert);
			free(key);
			return 1;
		}
		flags |= MHD_USE_TLS;
	}
	/* TLS 1.2 and 1.3 only, AEAD ciphers with forward secrecy. */
	static const char tls_priorities[] =
	    "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:"
	    "+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:+DHE-RSA";
	struct MHD_OptionItem tls_opts[] = {
	    {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
	    {cert ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
	    {cert ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0, (void *)tls_priorities},
	    {MHD_OPTION_END, 0, NULL},
	};
	raise_fd_limit(app->cfg.max_connections);
	login_guard_configure(app->cfg.login_concurrency);
	watchdog.header_timeout = app->cfg.header_timeout;
	watchdog.body_timeout = app->cfg.body_timeout;
	watchdog.stop = false;
	pthread_t dog;
	if (!slow_start(app->cfg.login_concurrency)) {
		fprintf(stderr, "bizsos: cannot start the sign-in threads\n");
		free(cert);
		free(key);
		return 1;
	}
	if (pthread_create(&dog, NULL, watchdog_run, NULL) != 0) {
		slow_stop();
		fprintf(stderr, "bizsos: cannot start the connection watchdog\n");
		free(cert);
		free(key);
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, access_handler, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_keep_nul, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
	    MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
	    notify_connection, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->cfg.max_per_address,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024), MHD_OPTION_ARRAY, tls_opts,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bizsos: cannot listen on %s (in use, or not allowed)\n",
		        app->cfg.listen);
		watchdog_stop(dog);
		slow_stop();
		free(cert);
		free(key);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	app->port = info ? info->port : ntohs(sa.sin_port);
	char host[64];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	printf("listening on %s://%s:%d\n", cert ? "https" : "http", host, app->port);
	fflush(stdout);
	LOG_INFO("bizsos %s serving %s on port %d with %d threads", BIZSOS_VERSION, app->cfg.db,
	         app->port, app->cfg.threads);

	int sig = 0;
	/* SIGHUP (systemctl reload, logrotate): reopen the access log and go on. */
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
		if (bz_access_log_reopen())
			LOG_INFO("SIGHUP: access log reopened");
		else
			LOG_ERROR("SIGHUP: cannot reopen the access log %s", app->cfg.access_log);
	}
	LOG_INFO("signal %d: finishing in-flight requests", sig);
	MHD_socket lsock = MHD_quiesce_daemon(d);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	for (int i = 0; i < 100; i++) {
		const union MHD_DaemonInfo *ci =
		    MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (ci == NULL || ci->num_connections == 0)
			break;
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	slow_stop(); /* resumes every queued connection first */
	MHD_stop_daemon(d);
	watchdog_stop(dog);
	LOG_INFO("connections cut for missing the header or body deadline: %ld", watchdog.cut);
	free(cert);
	free(key);
	LOG_INFO("stopped");
	return 0;
}
