/* The HTTP layer: requests as parsed by the daemon, responses as built by the
 * handlers, and the router table type. Handlers never see libmicrohttpd. */
#ifndef BIZSOS_HTTP_H
#define BIZSOS_HTTP_H

#include "bizsos/buf.h"
#include "bizsos/user.h"
#include <jansson.h>
#include <limits.h>

enum http_method {
	HTTP_GET = 1,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OTHER,
};

/* Anyone, signed in or not. Every route names its roles: this bit or ROLE_*. */
#define ROLE_PUBLIC (1 << 8)
/* Public and served without a session or the database (health check, static files). */
#define ROLE_BARE (ROLE_PUBLIC | 1 << 9)

struct kv {
	char *key;
	char *value; /* NUL-terminated; len bytes */
	size_t len;
};

struct kvlist {
	struct kv *items;
	size_t n;
	size_t cap;
};

/* The value for key, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);
bz_rc kv_add(struct kvlist *l, const char *key, const char *value, size_t len);
void kv_free(struct kvlist *l);

struct upload {
	char *field;         /* form field name */
	char *filename;      /* as sent by the client: never trust it */
	char *content_type;  /* as sent by the client: never trust it */
	char path[PATH_MAX]; /* the temp file holding the bytes; removed after the request */
	int64_t size;
};

struct app;
struct db;

struct request {
	enum http_method method;
	const char *method_name;
	const char *path; /* decoded path, without the /api/v1 prefix */
	bool api;         /* under /api/v1 or Accept: application/json */
	struct kvlist query;
	struct kvlist form; /* url-encoded, multipart fields, or a flat JSON object */
	struct kvlist cookies;
	struct kvlist headers; /* as sent; look up with rq_header (case-insensitive) */
	struct kvlist params;  /* {name} segments of the route pattern */
	struct upload *uploads;
	size_t nuploads;
	bool signed_in;
	bool via_token;       /* authenticated by Authorization: Bearer */
	bool token_read_only; /* ... with a read-only token: GET and HEAD only */
	struct user user;     /* valid when signed_in */
	char session[SESSION_TOKEN_LEN + 1];
	char csrf[SESSION_TOKEN_LEN + 1]; /* the token forms must carry */
	char remote[64];
	struct app *app;
	struct db *db; /* this worker thread's connection */
	/* The rendered-page cache (src/http/page_cache.c): the key this request's
	 * page is kept under ("" when it may not be kept), the data generation read
	 * before the handler ran, the day (KST) and the number of response headers then. */
	/* The data generation read at the session's look-up (0: not read): the
	 * rendered-page cache uses it too, one look per request. */
	uint64_t gen;
	char page_key[1024];
	uint64_t page_gen;
	size_t page_headers; /* response headers before the handler ran */
	char page_day[16];
	uint64_t page_ticket; /* not 0: others wait for this request's page (page_cache_land) */
};

/* The value of a query/form/route parameter, or NULL. */
const char *rq_query(const struct request *rq, const char *key);
const char *rq_form(const struct request *rq, const char *key);
const char *rq_param(const struct request *rq, const char *key);
const char *rq_header(const struct request *rq, const char *name);
/* Whether the request's Accept-Encoding lists coding ("gzip", "br") without q=0. */
bool rq_accepts_encoding(const struct request *rq, const char *coding);
/* The route parameter as a positive id, or 0 if missing or not a number. */
int64_t rq_param_id(const struct request *rq, const char *key);
const struct upload *rq_upload(const struct request *rq, const char *field);

struct response {
	int status;
	/* A page: template name and the view model (owned; also the JSON face). */
	const char *tpl;
	json_t *model;
	char title[160];
	/* A redirect (303 for browsers). */
	char location[512];
	/* An error: code and Korean message; fields maps field → message. */
	const char *err_code;
	char err_message[512];
	json_t *err_fields;
	/* A raw body (static files, downloads): body owned, or fd to send. */
	char *body;
	size_t body_len;
	int fd;
	int64_t fd_size;
	char content_type[128];
	struct kvlist headers; /* extra headers, e.g. Set-Cookie */
};

typedef void (*route_fn)(struct request *rq, struct response *rs);

struct route {
	enum http_method method;
	const char *pattern; /* "/cases/{id}"; a final star segment matches any rest */
	route_fn handler;
	int roles;        /* ROLE_* bits, or ROLE_PUBLIC; never 0 */
	const char *name; /* the handler's name (the OpenAPI operationId) */
};

/* A route cannot be declared without roles: ROUTE(m, p, h, 0) does not compile. */
#define ROUTE(m, p, h, r)                                                                          \
	{                                                                                          \
		(m), (p), (h),                                                                     \
		    (r) + 0 * (int)sizeof(struct {                                                 \
			          _Static_assert((r) != 0,                                         \
			                         "every route must name the roles it allows");     \
			          int x;                                                           \
		          }),                                                                      \
		    #h                                                                             \
	}

extern const struct route web_routes[];
extern const size_t web_route_count;

/* True for a request that hashes a password: served off the request threads,
 * on login_concurrency sign-in threads with a short queue (503 when full). */
bool web_route_is_slow(enum http_method method, const char *path);

/* May a user of role (ROLE_* bits) make the request method+href (a query
 * string is ignored)? The route table's answer, so that a page shows a link or
 * a button exactly to those the route lets through. */
bool web_route_allows(int role, enum http_method method, const char *href);

/* Finds the route for method+path. Returns the route, or NULL with *status set to
 * 404 (no pattern matches) or 405 (pattern matches, method does not). Fills params. */
const struct route *router_match(enum http_method method, const char *path, struct kvlist *params,
                                 int *status);

/* The methods the routes matching path accept, as an Allow header value. */
void router_allow(const char *path, char *out, size_t outlen);

/* Flattens a JSON object body into form fields: strings, numbers, booleans,
 * and arrays of those (one field per element; null is skipped). Returns 0, or
 * 400 (not an object, a nested value, a NUL in a string) / 413 (too many
 * fields) with a static Korean *msg; fields added before a failure stay in form. */
int http_json_to_form(const char *body, size_t len, struct kvlist *form, const char **msg);

/* Percent-decodes in place (form and query semantics: '+' is a space when plus). */
size_t http_unescape(char *s, bool plus);

#endif
