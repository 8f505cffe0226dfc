/* Delivery over libcurl: mail (SMTP, STARTTLS or SMTPS) and signed webhooks. */
#include "bizsos/jobs.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool jobs_mail_on(const struct config *cfg)
{
	return cfg->smtp_host[0] != '\0';
}

bool jobs_webhook_on(const struct config *cfg)
{
	return cfg->webhook_url[0] != '\0';
}

/* The n-th (1-based) space- or comma-separated word of list. */
static bool nth_word(const char *list, int n, char *out, size_t outlen)
{
	int k = 0;
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		const char *e = p;
		while (*e && *e != ' ' && *e != ',' && *e != '\t')
			e++;
		if (++k == n) {
			size_t len = (size_t)(e - p);
			if (len >= outlen)
				return false;
			memcpy(out, p, len);
			out[len] = '\0';
			return true;
		}
		p = e;
	}
	return false;
}

int jobs_webhook_count(const struct config *cfg)
{
	char tmp[2048];
	int n = 0;
	while (nth_word(cfg->webhook_url, n + 1, tmp, sizeof(tmp)))
		n++;
	return n;
}

bool jobs_webhook_url(const struct config *cfg, int n, char *out, size_t outlen)
{
	return nth_word(cfg->webhook_url, n, out, outlen);
}

bool jobs_sms_on(const struct config *cfg)
{
	return cfg->sms_url[0] != '\0';
}

bool jobs_nts_on(const struct config *cfg)
{
	return cfg->nts_endpoint[0] != '\0';
}

/* ---- composing mail ---- */

static void b64(struct buf *out, const unsigned char *p, size_t n)
{
	char tmp[256];
	while (n > 0) {
		size_t k = n > 57 * 2 ? 57 * 2 : n; /* keeps tmp small */
		sodium_bin2base64(tmp, sizeof(tmp), p, k, sodium_base64_VARIANT_ORIGINAL);
		buf_puts(out, tmp);
		p += k;
		n -= k;
	}
}

/* RFC 2047: "=?UTF-8?B?...?=" words of at most 39 bytes of text each (52
 * base64 characters, 64 with the markers: a "Subject: " line stays within 76),
 * split between characters, joined by CRLF + space (folding). */
static void encoded_words(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	bool first = true;
	if (n == 0)
		return;
	while (i < n) {
		size_t k = n - i > 39 ? 39 : n - i;
		while (k > 0 && i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k--;
		if (k == 0)
			k = 1;
		if (!first)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		b64(out, (const unsigned char *)s + i, k);
		buf_puts(out, "?=");
		first = false;
		i += k;
	}
}

/* Copies an address into out without CR, LF, < or >: nothing can add a header. */
static void clean_addr(const char *in, char *out, size_t outlen)
{
	size_t k = 0;
	for (const char *p = in ? in : ""; *p && k + 1 < outlen; p++)
		if (*p != '\r' && *p != '\n' && *p != '<' && *p != '>')
			out[k++] = *p;
	out[k] = '\0';
}

void mail_compose(struct buf *out, const char *from, const char *to, const char *subject,
                  const char *body, const char *key, int64_t t)
{
	char f[256], r[256], date[64];
	clean_addr(from, f, sizeof(f));
	clean_addr(to, r, sizeof(r));
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	snprintf(date, sizeof(date), "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
	         tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	         tm.tm_sec);
	const char *domain = strchr(f, '@');
	domain = domain && domain[1] ? domain + 1 : "bizsos.invalid";
	buf_printf(out, "Date: %s\r\n", date);
	buf_puts(out, "From: ");
	encoded_words(out, "기업SOS");
	buf_printf(out, " <%s>\r\n", f);
	buf_printf(out, "To: <%s>\r\n", r);
	buf_puts(out, "Subject: ");
	encoded_words(out, subject ? subject : "");
	buf_puts(out, "\r\n");
	buf_printf(out, "Message-ID: <%s@%s>\r\n", key, domain);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	              "Content-Type: text/plain; charset=UTF-8\r\n"
	              "Content-Transfer-Encoding: base64\r\n"
	              "Auto-Submitted: auto-generated\r\n"
	              "\r\n");
	/* the text with CRLF line ends, base64 in lines of 76 */
	struct buf text;
	buf_init(&text, 0);
	for (const char *p = body ? body : ""; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			buf_putc(&text, '\r');
		buf_putc(&text, *p);
	}
	const unsigned char *tp = (const unsigned char *)buf_cstr(&text);
	size_t tn = text.len;
	char line[128];
	while (tp && tn > 0) {
		size_t k = tn > 57 ? 57 : tn;
		sodium_bin2base64(line, sizeof(line), tp, k, sodium_base64_VARIANT_ORIGINAL);
		buf_puts(out, line);
		buf_puts(out, "\r\n");
		tp += k;
		tn -= k;
	}
	buf_free(&text);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t room = size * nmemb;
	size_t k = u->left < room ? u->left : room;
	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static size_t sink_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	(void)p;
	(void)ud;
	return size * nmemb;
}

bz_rc mail_send(const struct config *cfg, const char *to, const char *message, char *err,
                size_t errlen)
{
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "curl init failed");
		return BZ_ERR_NOMEM;
	}
	bool tls = strcmp(cfg->smtp_tls, "tls") == 0;
	bool starttls = strcmp(cfg->smtp_tls, "starttls") == 0;
	int port = cfg->smtp_port ? cfg->smtp_port : tls ? 465 : starttls ? 587 : 25;
	char url[400], from[300], rcpt[300];
	snprintf(url, sizeof(url), "%s://%s:%d/bizsos", tls ? "smtps" : "smtp", cfg->smtp_host,
	         port);
	char f[256], r[256];
	clean_addr(cfg->smtp_from, f, sizeof(f));
	clean_addr(to, r, sizeof(r));
	snprintf(from, sizeof(from), "<%s>", f);
	snprintf(rcpt, sizeof(rcpt), "<%s>", r);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload u = {message, strlen(message)};
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
	if (starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg->smtp_user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "SMTP %ld: %s", code,
		         ebuf[0] ? ebuf : curl_easy_strerror(rc));
		return BZ_ERR_IO;
	}
	return BZ_OK;
}

/* ---- webhooks ---- */

void webhook_signature(const char *secret, const char *body, size_t len, char *out, size_t outlen)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, outlen, "sha256=%s", hex);
}

bz_rc webhook_send(const struct config *cfg, const char *target, const char *key, const char *event,
                   const char *body, char *err, size_t errlen)
{
	bool sms = strcmp(target, "sms") == 0;
	char url[2048] = "";
	int n = strcmp(target, "default") == 0 ? 1 : atoi(target);
	if (sms)
		bz_strlcpy(url, cfg->sms_url, sizeof(url));
	else if (n > 0)
		jobs_webhook_url(cfg, n, url, sizeof(url));
	const char *secret = sms ? cfg->sms_secret : cfg->webhook_secret;
	if (url[0] == '\0') {
		snprintf(err, errlen, "%s is not configured (target %s)",
		         sms ? "sms_url" : "webhook_url", target);
		return BZ_ERR_INVALID;
	}
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "curl init failed");
		return BZ_ERR_NOMEM;
	}
	size_t len = strlen(body);
	char sig[96], line[256];
	webhook_signature(secret, body, len, sig, sizeof(sig));
	struct curl_slist *hl = NULL;
	hl = curl_slist_append(hl, "Content-Type: application/json; charset=utf-8");
	hl = curl_slist_append(hl, "User-Agent: bizsos/" BIZSOS_VERSION);
	hl = curl_slist_append(hl, "Expect:");
	snprintf(line, sizeof(line), "X-Bizsos-Signature: %s", sig);
	hl = curl_slist_append(hl, line);
	snprintf(line, sizeof(line), "Idempotency-Key: %s", key);
	hl = curl_slist_append(hl, line);
	snprintf(line, sizeof(line), "X-Bizsos-Event: %s", event);
	hl = curl_slist_append(hl, line);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_cb);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)cfg->webhook_timeout_ms);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		return BZ_ERR_IO;
	}
	if (code < 200 || code > 299) {
		snprintf(err, errlen, "HTTP %ld", code);
		return BZ_ERR_IO;
	}
	return BZ_OK;
}
