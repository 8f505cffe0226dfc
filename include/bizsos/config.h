/* Settings: defaults, then a config file (key = value), then BIZSOS_* environment
 * variables, then command-line flags; later sources win. */
#ifndef BIZSOS_CONFIG_H
#define BIZSOS_CONFIG_H

#include "bizsos/common.h"
#include <limits.h>

struct config {
	char db[PATH_MAX];
	char listen[128]; /* host:port; port 0 picks a free one */
	int threads;
	char tls_cert[PATH_MAX];
	char tls_key[PATH_MAX];
	bool dev; /* reload templates when they change */
	char templates[PATH_MAX];
	char static_dir[PATH_MAX];
	char data_dir[PATH_MAX]; /* uploads and temp files; outside static/ */
	int64_t form_limit;      /* bytes of a url-encoded body */
	int64_t upload_limit;    /* bytes of a multipart body */
	int session_idle;        /* seconds */
	/* the public door (/request, /request/status): per-IP limits per window */
	int request_limit;            /* submissions of /request per IP per window; 0: none */
	int request_window;           /* seconds */
	int status_limit;             /* status lookups per IP per window; 0: none */
	int request_min_seconds;      /* a form sent back sooner is refused (bots) */
	int64_t request_upload_limit; /* bytes of a /request multipart body */
	char public_url[256];         /* how companies reach this server, for links in mail */
	char office_phone[64];        /* the team's phone, shown on the public pages */
	/* Abuse limits (see README "Configuration"). */
	int max_connections;   /* open connections in total */
	int max_per_address;   /* open connections from one client address */
	int header_timeout;    /* seconds to receive a request's headers */
	int body_timeout;      /* seconds to receive a request's body */
	int login_concurrency; /* password hashes computed at once */
};

void config_defaults(struct config *c);
/* Sets one key ("db", "listen", "threads", ...). BZ_ERR_INVALID with a message. */
bz_rc config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);
/* Reads key = value lines (# comments). */
bz_rc config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Reads BIZSOS_DB, BIZSOS_LISTEN, BIZSOS_THREADS, ... */
bz_rc config_load_env(struct config *c, char *err, size_t errlen);

#endif
