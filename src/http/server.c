/* The libmicrohttpd daemon: reads a request (headers, query, cookies, body —
 * url-encoded, multipart streamed to disk, or JSON), authenticates it, finds
 * its route, checks roles and CSRF, calls the handler and turns its response
 * into HTML (template), JSON (the same view model), a redirect or a file.
 *
 * Ownership: everything of one request lives in struct conn (allocated on the
 * first call of the access handler, freed in the completion callback). */
#include "bizsos/app.h"
#include "bizsos/batch.h"
#include "bizsos/http.h"
#include "bizsos/login_guard.h"
#include "bizsos/model_cache.h"
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
#include <time.h>
#include <unistd.h>

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

/* ---- the access handler ----------------------------------------------------- */

static void conn_free(struct conn *c)
{
	struct request *rq = &c->rq;
	page_cache_land(rq->page_ticket); /* never answered: the waiters build it */
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
		server_watch_phase(mc, WATCH_HEAD);
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

static bool wants_json(struct MHD_Connection *mc)
{
	const char *accept = conn_header(mc, "Accept");
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
		server_watch_phase(mc, WATCH_BODY);
		server_body_setup(c, mc);
		/* Refuse an oversized body before reading it. */
		if (c->fail_status == 413) {
			server_watch_phase(mc, WATCH_ANSWER);
			web_error(&c->rs, 413, "too_large", c->fail_message);
			return server_send_response(mc, c);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		server_body_feed(c, upload_data, *upload_data_size);
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
		return server_send_response(mc, c);
	}

	server_watch_phase(mc, WATCH_ANSWER);
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
			server_json_body_to_form(c);
	}
	MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, server_collect_kv, &rq->query);
	MHD_get_connection_values(mc, MHD_COOKIE_KIND, server_collect_kv, &rq->cookies);
	MHD_get_connection_values(mc, MHD_HEADER_KIND, server_collect_kv, &rq->headers);

	if (!bz_utf8_valid(url, strlen(url)) || !server_kvlist_utf8_ok(&rq->query) ||
	    !server_kvlist_utf8_ok(&rq->form) || !server_kvlist_utf8_ok(&rq->cookies))
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
		return server_send_response(mc, c);
	}

	if (web_route_is_slow(rq->method, rq->path)) {
		c->mc = mc;
		c->queued = true;
		MHD_suspend_connection(mc);
		if (server_slow_enqueue(c))
			return MHD_YES;
		MHD_resume_connection(mc);
		c->queued = false;
		web_retry_after(&c->rs, 1);
		web_error(&c->rs, 503, "busy", "요청이 몰려 있습니다. 잠시 후 다시 시도해 주세요.");
		return server_send_response(mc, c);
	}
	bz_log_request_id(c->rid);
	dispatch(rq, &c->rs, rq_header(rq, "Authorization"), rq_header(rq, "X-CSRF-Token"));
	bz_log_request_id(NULL);
	return server_send_response(mc, c);
}

/* ---- start and stop ------------------------------------------------------------ */

/* Set when a stop signal arrives: new connections are closed at once while the
 * in-flight ones finish. This replaces MHD_quiesce_daemon, which on an epoll
 * daemon with worker threads races the workers' own removal of the listening
 * socket from their epoll sets and, losing, aborts the process (a defect open in
 * libmicrohttpd 0.9.75: an unguarded MHD_PANIC on ENOENT from epoll_ctl). */
static atomic_bool stopping;

static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)cls;
	(void)addr;
	(void)len;
	return atomic_load(&stopping) ? MHD_NO : MHD_YES;
}

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
	atomic_store(&stopping, false);
	const char *pc = getenv("BIZSOS_PAGE_CACHE"); /* "0": off (measuring, debugging) */
	page_cache_disable(pc && strcmp(pc, "0") == 0);
	db_batch_writer(true); /* write batches on one connection (src/store/batch.c) */
	/* Signals are taken by sigwait below, never by worker threads. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The listening socket is ours (server_accept.c): connections are handed
	 * to the workers in turn instead of to whichever wakes first. */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET;
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
	pthread_t dog;
	if (!server_slow_start(app->cfg.login_concurrency)) {
		fprintf(stderr, "bizsos: cannot start the sign-in threads\n");
		free(cert);
		free(key);
		return 1;
	}
	if (!server_watchdog_start(app->cfg.header_timeout, app->cfg.body_timeout, &dog)) {
		server_slow_stop();
		fprintf(stderr, "bizsos: cannot start the connection watchdog\n");
		free(cert);
		free(key);
		return 1;
	}
	int port = 0;
	int lfd = server_listen(&sa, &port);
	if (lfd < 0) {
		fprintf(stderr, "bizsos: cannot listen on %s: %s\n", app->cfg.listen,
		        strerror(errno));
		server_watchdog_stop(dog);
		server_slow_stop();
		free(cert);
		free(key);
		return 1;
	}
	/* Each connection's memory pool (request line, headers, the read buffer and
	 * the answer's headers). libmicrohttpd 0.9.75 zeroes all of it before
	 * every request on a kept-alive connection: 256 KB was 8% of a write's
	 * CPU. 64 KB takes a request head of about 60 KB (a larger one gets 431). */
	enum { CONN_POOL_BYTES = 64 * 1024 };
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, accept_policy, NULL, access_handler, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
	    NULL, MHD_OPTION_UNESCAPE_CALLBACK, unescape_keep_nul, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED,
	    request_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, server_notify_connection, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)app->cfg.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)app->cfg.max_per_address, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)CONN_POOL_BYTES, MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
	struct server_acceptor *acceptor =
	    d ? server_accept_start(d, (unsigned)app->cfg.threads, lfd) : NULL;
	if (acceptor == NULL) {
		fprintf(stderr, "bizsos: cannot start serving on %s\n", app->cfg.listen);
		if (d)
			MHD_stop_daemon(d);
		else
			close(lfd);
		server_watchdog_stop(dog);
		server_slow_stop();
		free(cert);
		free(key);
		return 1;
	}
	app->port = port;
	char host[64];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	printf("listening on %s://%s:%d\n", cert ? "https" : "http", host, app->port);
	fflush(stdout);
	LOG_INFO("bizsos %s serving %s on port %d with %d threads", BIZSOS_VERSION, app->cfg.db,
	         app->port, app->cfg.threads);
	/* Serving has begun: the expensive models are built meanwhile (model_cache.h). */
	struct model_warm *warm = model_cache_warm_start(app->cfg.db);

	int sig = 0;
	/* SIGHUP (systemctl reload, logrotate): reopen the access log and go on. */
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
		if (bz_access_log_reopen())
			LOG_INFO("SIGHUP: access log reopened");
		else
			LOG_ERROR("SIGHUP: cannot reopen the access log %s", app->cfg.access_log);
	}
	LOG_INFO("signal %d: finishing in-flight requests", sig);
	atomic_store(&stopping, true);
	for (int i = 0; i < 100; i++) {
		const union MHD_DaemonInfo *ci =
		    MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (ci == NULL || ci->num_connections == 0)
			break;
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	server_accept_stop(acceptor);
	server_slow_stop(); /* resumes every queued connection first */
	MHD_stop_daemon(d);
	model_cache_warm_stop(warm);
	db_batch_writer(false);
	server_watchdog_stop(dog);
	LOG_INFO("connections cut for missing the header or body deadline: %ld",
	         server_watchdog_cut());
	free(cert);
	free(key);
	LOG_INFO("stopped");
	return 0;
}
