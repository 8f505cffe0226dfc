/* Settings from defaults, a config file, BIZSOS_* environment and flags. */
#include "bizsos/config.h"
#include "bizsos/kst.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	bz_strlcpy(c->listen, "127.0.0.1:8080", sizeof(c->listen));
	c->threads = 4;
	bz_strlcpy(c->templates, BIZSOS_SOURCE_DIR "/templates", sizeof(c->templates));
	bz_strlcpy(c->static_dir, BIZSOS_SOURCE_DIR "/static", sizeof(c->static_dir));
	c->form_limit = 1024 * 1024;
	c->upload_limit = 20 * 1024 * 1024;
	c->session_idle = 30 * 60;
	c->request_limit = 10;
	c->request_window = 3600;
	c->status_limit = 30;
	c->request_min_seconds = 3;
	c->request_upload_limit = 5 * 10 * 1024 * 1024 + 1024 * 1024;
	c->backup_interval = 24 * 3600;
	c->backup_keep = 14;
	c->privacy_retention_years = 2;
	c->max_connections = 1000;
	c->max_per_address = 64;
	c->header_timeout = 10;
	c->body_timeout = 120;
	c->login_concurrency = 2;
	bz_strlcpy(c->smtp_tls, "starttls", sizeof(c->smtp_tls));
	c->webhook_timeout_ms = 10000;
	c->outbox_poll_ms = 2000;
	c->outbox_retry_ms = 60000;
	c->outbox_max_tries = 8;
	bz_strlcpy(c->daily_at, "08:30", sizeof(c->daily_at));
	c->nts_timeout_ms = 10000;
	bz_strlcpy(c->nts_at, "02:00", sizeof(c->nts_at));
}

/* "HH:MM" with 00 <= HH <= 23, 00 <= MM <= 59. */
static bool hhmm_valid(const char *v)
{
	return clock_hhmm_minutes(v) >= 0;
}

static bool parse_int(const char *v, int64_t lo, int64_t hi, int64_t *out)
{
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) {
		*out = false;
		return true;
	}
	return false;
}

/* Size with an optional K/M suffix: "20M". */
static bool parse_size(const char *v, int64_t *out)
{
	char tmp[32];
	if (!bz_strlcpy(tmp, v, sizeof(tmp)) || tmp[0] == '\0')
		return false;
	size_t n = strlen(tmp);
	int64_t mul = 1;
	if (tmp[n - 1] == 'K' || tmp[n - 1] == 'k')
		mul = 1024;
	else if (tmp[n - 1] == 'M' || tmp[n - 1] == 'm')
		mul = 1024 * 1024;
	if (mul > 1)
		tmp[n - 1] = '\0';
	int64_t x;
	if (!parse_int(tmp, 1, INT64_C(1) << 40, &x))
		return false;
	*out = x * mul;
	return *out <= (INT64_C(1) << 40);
}

/* The integer settings with their bounds. */
struct int_key {
	const char *key;
	size_t offset;
	int64_t lo, hi;
};

static const struct int_key int_keys[] = {
    {"max_connections", offsetof(struct config, max_connections), 16, 100000},
    {"max_per_address", offsetof(struct config, max_per_address), 1, 100000},
    {"header_timeout", offsetof(struct config, header_timeout), 1, 3600},
    {"body_timeout", offsetof(struct config, body_timeout), 1, 86400},
    {"login_concurrency", offsetof(struct config, login_concurrency), 1, 64},
    {"backup_interval", offsetof(struct config, backup_interval), 0, 31 * 24 * 3600},
    {"backup_keep", offsetof(struct config, backup_keep), 1, 1000},
};

static const struct int_key *int_setting(const struct config *c, const char *key)
{
	(void)c;
	for (size_t i = 0; i < BZ_ARRAY_LEN(int_keys); i++)
		if (strcmp(key, int_keys[i].key) == 0)
			return &int_keys[i];
	return NULL;
}

bz_rc config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	if (strcmp(key, "trusted_proxy") == 0 && value[0] != '\0') {
		unsigned char bin[16];
		if (inet_pton(AF_INET, value, bin) != 1 && inet_pton(AF_INET6, value, bin) != 1) {
			snprintf(
			    err, errlen,
			    "trusted_proxy must be the proxy's IP address (e.g. 127.0.0.1), got "
			    "\"%.64s\"",
			    value);
			return BZ_ERR_INVALID;
		}
	}
	struct {
		const char *key;
		char *dst;
		size_t size;
	} paths[] = {
	    {"db", c->db, sizeof(c->db)},
	    {"listen", c->listen, sizeof(c->listen)},
	    {"tls_cert", c->tls_cert, sizeof(c->tls_cert)},
	    {"tls_key", c->tls_key, sizeof(c->tls_key)},
	    {"templates", c->templates, sizeof(c->templates)},
	    {"static", c->static_dir, sizeof(c->static_dir)},
	    {"data_dir", c->data_dir, sizeof(c->data_dir)},
	    {"office_phone", c->office_phone, sizeof(c->office_phone)},
	    {"backup_dir", c->backup_dir, sizeof(c->backup_dir)},
	    {"access_log", c->access_log, sizeof(c->access_log)},
	    {"trusted_proxy", c->trusted_proxy, sizeof(c->trusted_proxy)},
	    {"base_url", c->base_url, sizeof(c->base_url)},
	    {"smtp_host", c->smtp_host, sizeof(c->smtp_host)},
	    {"smtp_from", c->smtp_from, sizeof(c->smtp_from)},
	    {"smtp_user", c->smtp_user, sizeof(c->smtp_user)},
	    {"smtp_password", c->smtp_password, sizeof(c->smtp_password)},
	    {"webhook_url", c->webhook_url, sizeof(c->webhook_url)},
	    {"webhook_secret", c->webhook_secret, sizeof(c->webhook_secret)},
	    {"sms_url", c->sms_url, sizeof(c->sms_url)},
	    {"sms_secret", c->sms_secret, sizeof(c->sms_secret)},
	    {"sms_sender", c->sms_sender, sizeof(c->sms_sender)},
	    {"nts_endpoint", c->nts_endpoint, sizeof(c->nts_endpoint)},
	    {"nts_key", c->nts_key, sizeof(c->nts_key)},
	};
	struct {
		const char *key;
		int *dst;
		int64_t lo, hi;
	} ints[] = {
	    {"smtp_port", &c->smtp_port, 0, 65535},
	    {"webhook_timeout_ms", &c->webhook_timeout_ms, 100, 600000},
	    {"outbox_poll_ms", &c->outbox_poll_ms, 10, 3600000},
	    {"outbox_retry_ms", &c->outbox_retry_ms, 10, 86400000},
	    {"outbox_max_tries", &c->outbox_max_tries, 1, 100},
	    {"nts_timeout_ms", &c->nts_timeout_ms, 100, 600000},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(paths); i++) {
		if (strcmp(key, paths[i].key) == 0) {
			if (!bz_strlcpy(paths[i].dst, value, paths[i].size)) {
				snprintf(err, errlen, "%s: value too long", key);
				return BZ_ERR_INVALID;
			}
			return BZ_OK;
		}
	}
	int64_t n;
	for (size_t i = 0; i < BZ_ARRAY_LEN(ints); i++) {
		if (strcmp(key, ints[i].key) == 0) {
			if (!parse_int(value, ints[i].lo, ints[i].hi, &n)) {
				snprintf(err, errlen, "%s must be a number from %lld to %lld", key,
				         (long long)ints[i].lo, (long long)ints[i].hi);
				return BZ_ERR_INVALID;
			}
			*ints[i].dst = (int)n;
			return BZ_OK;
		}
	}
	if (strcmp(key, "daily_at") == 0 || strcmp(key, "nts_at") == 0) {
		if (!hhmm_valid(value)) {
			snprintf(err, errlen, "%s must be a time of day like 08:30 (KST)", key);
			return BZ_ERR_INVALID;
		}
		bz_strlcpy(key[0] == 'd' ? c->daily_at : c->nts_at, value, sizeof(c->daily_at));
		return BZ_OK;
	}
	if (strcmp(key, "smtp_tls") == 0) {
		if (strcmp(value, "none") && strcmp(value, "starttls") && strcmp(value, "tls")) {
			snprintf(err, errlen, "smtp_tls must be none, starttls or tls");
			return BZ_ERR_INVALID;
		}
		bz_strlcpy(c->smtp_tls, value, sizeof(c->smtp_tls));
		return BZ_OK;
	}
	if (strcmp(key, "threads") == 0) {
		if (!parse_int(value, 1, 256, &n)) {
			snprintf(err, errlen, "threads must be a number from 1 to 256, got \"%s\"",
			         value);
			return BZ_ERR_INVALID;
		}
		c->threads = (int)n;
	} else if (strcmp(key, "privacy_retention_years") == 0) {
		if (!parse_int(value, 2, 100, &n)) {
			snprintf(
			    err, errlen,
			    "privacy_retention_years must be at least 2 (the access log is kept "
			    "two years or more) and at most 100");
			return BZ_ERR_INVALID;
		}
		c->privacy_retention_years = (int)n;
	} else if (strcmp(key, "session_idle") == 0) {
		if (!parse_int(value, 5, 7 * 24 * 3600, &n)) {
			snprintf(err, errlen, "session_idle must be seconds from 5 to 604800");
			return BZ_ERR_INVALID;
		}
		c->session_idle = (int)n;
	} else if (int_setting(c, key) != NULL) {
		const struct int_key *ik = int_setting(c, key);
		if (!parse_int(value, ik->lo, ik->hi, &n)) {
			snprintf(err, errlen, "%s must be a number from %lld to %lld, got \"%s\"",
			         key, (long long)ik->lo, (long long)ik->hi, value);
			return BZ_ERR_INVALID;
		}
		*(int *)((char *)c + ik->offset) = (int)n;
	} else if (strcmp(key, "form_limit") == 0 || strcmp(key, "upload_limit") == 0) {
		if (!parse_size(value, &n)) {
			snprintf(err, errlen, "%s must be a size like 1048576, 512K or 20M", key);
			return BZ_ERR_INVALID;
		}
		*(key[0] == 'f' ? &c->form_limit : &c->upload_limit) = n;
	} else if (strcmp(key, "request_limit") == 0 || strcmp(key, "status_limit") == 0) {
		if (!parse_int(value, 0, 100000, &n)) {
			snprintf(err, errlen, "%s must be a count from 0 (no limit) to 100000",
			         key);
			return BZ_ERR_INVALID;
		}
		*(key[0] == 'r' ? &c->request_limit : &c->status_limit) = (int)n;
	} else if (strcmp(key, "request_window") == 0) {
		if (!parse_int(value, 1, 7 * 24 * 3600, &n)) {
			snprintf(err, errlen, "request_window must be seconds from 1 to 604800");
			return BZ_ERR_INVALID;
		}
		c->request_window = (int)n;
	} else if (strcmp(key, "request_min_seconds") == 0) {
		if (!parse_int(value, 0, 600, &n)) {
			snprintf(err, errlen, "request_min_seconds must be seconds from 0 to 600");
			return BZ_ERR_INVALID;
		}
		c->request_min_seconds = (int)n;
	} else if (strcmp(key, "request_upload_limit") == 0) {
		if (!parse_size(value, &n)) {
			snprintf(err, errlen, "%s must be a size like 1048576, 512K or 20M", key);
			return BZ_ERR_INVALID;
		}
		c->request_upload_limit = n;
	} else if (strcmp(key, "dev") == 0) {
		if (!parse_bool(value, &c->dev)) {
			snprintf(err, errlen, "dev must be true or false");
			return BZ_ERR_INVALID;
		}
	} else {
		snprintf(err, errlen, "unknown setting \"%s\"", key);
		return BZ_ERR_INVALID;
	}
	return BZ_OK;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

bz_rc config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	char line[1024];
	int lineno = 0;
	bz_rc rc = BZ_OK;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = BZ_ERR_INVALID;
			break;
		}
		*eq = '\0';
		char msg[256];
		if ((rc = config_set(c, trim(s), trim(eq + 1), msg, sizeof(msg))) != BZ_OK) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			break;
		}
	}
	fclose(f);
	return rc;
}

bz_rc config_load_env(struct config *c, char *err, size_t errlen)
{
	static const char *const keys[] = {"db",
	                                   "listen",
	                                   "threads",
	                                   "tls_cert",
	                                   "tls_key",
	                                   "dev",
	                                   "templates",
	                                   "static",
	                                   "data_dir",
	                                   "form_limit",
	                                   "upload_limit",
	                                   "session_idle",
	                                   "request_limit",
	                                   "request_window",
	                                   "status_limit",
	                                   "request_min_seconds",
	                                   "request_upload_limit",
	                                   "office_phone",
	                                   "backup_dir",
	                                   "backup_interval",
	                                   "backup_keep",
	                                   "privacy_retention_years",
	                                   "access_log",
	                                   "trusted_proxy",
	                                   "max_connections",
	                                   "max_per_address",
	                                   "header_timeout",
	                                   "body_timeout",
	                                   "login_concurrency",
	                                   "base_url",
	                                   "smtp_host",
	                                   "smtp_port",
	                                   "smtp_tls",
	                                   "smtp_from",
	                                   "smtp_user",
	                                   "smtp_password",
	                                   "webhook_url",
	                                   "webhook_secret",
	                                   "webhook_timeout_ms",
	                                   "outbox_poll_ms",
	                                   "outbox_retry_ms",
	                                   "outbox_max_tries",
	                                   "daily_at",
	                                   "nts_endpoint",
	                                   "nts_key",
	                                   "nts_timeout_ms",
	                                   "nts_at"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(keys); i++) {
		char name[64] = "BIZSOS_";
		size_t k = 7;
		for (const char *p = keys[i]; *p && k + 1 < sizeof(name); p++)
			name[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		name[k] = '\0';
		const char *v = getenv(name);
		if (v == NULL)
			continue;
		char msg[256];
		bz_rc rc = config_set(c, keys[i], v, msg, sizeof(msg));
		if (rc != BZ_OK) {
			snprintf(err, errlen, "%s: %s", name, msg);
			return rc;
		}
	}
	return BZ_OK;
}
