/* Shared between the files of the daemon (server.c, server_body.c,
 * server_response.c, server_watch.c) and the request pipeline (dispatch.c). */
#ifndef BIZSOS_SERVER_INTERNAL_H
#define BIZSOS_SERVER_INTERNAL_H

#include "bizsos/http.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

/* Authenticates (session cookie or bearer token), routes, checks roles and CSRF,
 * and runs the handler, filling rs. authorization and csrf_header are the raw
 * header values (NULL when absent). */
void dispatch(struct request *rq, struct response *rs, const char *authorization,
              const char *csrf_header);

#define FIELD_LIMIT ((size_t)1024 * 1024) /* one url-encoded or multipart text field */
#define MAX_UPLOADS 32

/* Everything of one request: allocated on the first call of the access
 * handler, freed in the completion callback. */
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

/* Keeps the first failure found while reading the request. */
static inline void conn_fail(struct conn *c, int status, const char *message)
{
	if (c->fail_status == 0) {
		c->fail_status = status;
		c->fail_message = message;
	}
}

static inline const char *conn_header(struct MHD_Connection *mc, const char *name)
{
	return MHD_lookup_connection_value(mc, MHD_HEADER_KIND, name);
}

/* ---- server_body.c ---- */

/* Decides how to read the body from its headers. */
void server_body_setup(struct conn *c, struct MHD_Connection *mc);
/* One piece of the body. */
void server_body_feed(struct conn *c, const char *data, size_t size);
/* A JSON body's top-level values as form fields. */
void server_json_body_to_form(struct conn *c);
/* MHD_KeyValueIterator adding each value to the kvlist cls. */
enum MHD_Result server_collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value);
/* True when every key and value of l is valid UTF-8. */
bool server_kvlist_utf8_ok(const struct kvlist *l);

/* ---- server_response.c ---- */

/* Turns c's response into bytes and queues them on mc. */
enum MHD_Result server_send_response(struct MHD_Connection *mc, struct conn *c);

/* ---- server_accept.c ---- */

/* A listening socket bound to sa (non-blocking; *port: the port it got, for
 * port 0); -1 with errno when it cannot be had. */
int server_listen(const struct sockaddr_in *sa, int *port);
/* Starts the thread that accepts on fd and hands the connections to daemon's
 * workers (its thread pool's size) in turn; daemon was started with
 * MHD_USE_NO_LISTEN_SOCKET and MHD_USE_ITC. Takes fd: it is closed by
 * server_accept_stop, or at once when this fails (NULL). */
struct server_acceptor *server_accept_start(struct MHD_Daemon *daemon, unsigned workers, int fd);
/* Stops accepting (the socket is closed: new connections are refused). */
void server_accept_stop(struct server_acceptor *a);

/* ---- server_watch.c ---- */

enum watch_phase { WATCH_HEAD, WATCH_BODY, WATCH_ANSWER, WATCH_CUT };

/* MHD_OPTION_NOTIFY_CONNECTION: starts and ends the watch of a connection. */
void server_notify_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                              enum MHD_ConnectionNotificationCode code);
/* Moves the connection's watch to phase, restarting its clock. */
void server_watch_phase(struct MHD_Connection *mc, enum watch_phase phase);
/* Starts the watchdog thread with these deadlines (seconds); false if it cannot. */
bool server_watchdog_start(int header_timeout, int body_timeout, pthread_t *dog);
void server_watchdog_stop(pthread_t dog);
/* Connections shut down for missing a deadline. */
long server_watchdog_cut(void);
/* Starts n sign-in threads; false if none could start. */
bool server_slow_start(int n);
/* Queues c for a sign-in thread; false when the queue is full. */
bool server_slow_enqueue(struct conn *c);
/* Lets the threads finish every queued request (resuming its connection), then joins them. */
void server_slow_stop(void);
/* The rendered-page cache (page_cache.c). page_cache_key writes the key of rq's
 * page for a client that does (gzip) or does not accept gzip; false when it does
 * not fit in cap or the cache is off. page_cache_get hands out a copy of the
 * body kept under key if it was built at generation gen on day; page_cache_put
 * keeps one. Thread-safe; memory bounded. */
bool page_cache_key(const struct request *rq, bool gzip, char *key, size_t cap);
bool page_cache_get(const char *key, uint64_t gen, const char *day, char **body, size_t *len,
                    bool *gzip);
void page_cache_put(const char *key, uint64_t gen, const char *day, const char *body, size_t len,
                    bool gzip);
/* page_cache_get, and on a miss while another request builds the same page
 * (single flight), waits for that build and looks again at the generation then
 * current (*gen: the one to keep the page under; 0 when it cannot be read).
 * False on a miss: the caller builds the page; when *ticket is not 0 others wait
 * for it, and page_cache_land(*ticket) must follow once it is kept or not
 * (after page_cache_put, on every path; 0 does nothing). */
bool page_cache_fetch(struct db *db, const char *key, uint64_t *gen, const char *day, char **body,
                      size_t *len, bool *gzip, uint64_t *ticket);
void page_cache_land(uint64_t ticket);
void page_cache_clear(void);
/* BIZSOS_PAGE_CACHE=0 in the environment turns it off (server_run). */
void page_cache_disable(bool off);

#endif
