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
	/* Backups and the access log (src/jobs/maintenance.c). */
	char backup_dir[PATH_MAX];   /* scheduled backups; "" = "<db>.backups" */
	int backup_interval;         /* seconds between scheduled backups; 0 = none */
	int backup_keep;             /* scheduled backups kept (newest) */
	int privacy_retention_years; /* access log kept at least this long (>= 2) */
	/* Abuse limits (see README "Configuration"). */
	int max_connections;   /* open connections in total */
	int max_per_address;   /* open connections from one client address */
	int header_timeout;    /* seconds to receive a request's headers */
	int body_timeout;      /* seconds to receive a request's body */
	int login_concurrency; /* password hashes computed at once */

	/* Outgoing messages (src/jobs/worker.c). Unset = recorded, not sent. */
	char base_url[256];  /* the address users open, for links in mail */
	char smtp_host[256]; /* "" = mail is off */
	int smtp_port;       /* 0: 25, 587 with starttls, 465 with tls */
	char smtp_tls[16];   /* none | starttls | tls */
	char smtp_from[256]; /* sender address */
	char smtp_user[256];
	char smtp_password[256];
	char webhook_url[2048]; /* "" = webhooks are off; several URLs: space-separated */
	char webhook_secret[256];
	int webhook_timeout_ms;
	char sms_url[512];      /* SMS/알림톡 gateway (webhook channel, target "sms") */
	char sms_secret[256];   /* its HMAC key */
	char sms_sender[64];    /* the sender number given to the gateway's template */
	int outbox_poll_ms;     /* how often the worker looks for work */
	int outbox_retry_ms;    /* first retry delay; doubles each try, with jitter */
	int outbox_max_tries;   /* then the message is parked as failed */
	char daily_at[8];       /* HH:MM KST: deadline notices and digests */
	char nts_endpoint[512]; /* 국세청 상태조회 URL; "" = off */
	char nts_key[256];      /* serviceKey */
	int nts_timeout_ms;
	char nts_at[8]; /* HH:MM KST: the nightly status batch */
};

void config_defaults(struct config *c);
/* Sets one key ("db", "listen", "threads", ...). BZ_ERR_INVALID with a message. */
bz_rc config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);
/* Reads key = value lines (# comments). */
bz_rc config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Reads BIZSOS_DB, BIZSOS_LISTEN, BIZSOS_THREADS, ... */
bz_rc config_load_env(struct config *c, char *err, size_t errlen);

#endif
