/* Notices, the outbox and its delivery, against the real daemon with a local
 * SMTP sink and a local webhook receiver (tests/support/sinks.c):
 *   - a referral to 건축과: one notice in the app for each of its three users,
 *     one mail for each of the two who chose mail (UTF-8 subject as RFC 2047
 *     words, base64 body with the case's full link, a Message-ID), none for
 *     the one who did not;
 *   - the webhook arrives signed (HMAC-SHA256 checked here) and well-formed;
 *     the receiver answers 500 twice, the third try gets through with the same
 *     Idempotency-Key;
 *   - a change that rolls back (a referral refused with 422) leaves no outbox
 *     row and no notice;
 *   - opening a notice marks it read and goes to the case; the count drops;
 *   - SIGKILL while messages are pending, then a restart: every message is
 *     delivered, and no event arrives under two keys;
 *   - a message that keeps failing is parked as failed after the configured
 *     tries; the admin sees it with its last error and can retry it;
 *   - settings: a bad address or mail without an address is a 422 in Korean.
 * The worker's intervals are set to tens of milliseconds so this runs fast. */
#include "bizsos/jobs.h"
#include "harness.h"
#include "sinks.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static struct daemon d;
static struct smtp_sink smtp;
static struct hook hook;
static const char *const SECRET = "webhook-s3cret-for-tests";
static char config_path[512];

/* ---- helpers ---- */

static int64_t new_case(struct client *c, int64_t company, const char *title)
{
	char form[1024];
	char *t = curl_easy_escape(c->curl, title, 0);
	snprintf(form, sizeof(form), "company_id=%lld&channel=phone&category_id=%lld&title=%s",
	         (long long)company,
	         (long long)t_sql_int(d.db, "SELECT id FROM case_category WHERE name = ?1",
	                              "인허가·규제"),
	         t);
	curl_free(t);
	return t_new_case(c, form, NULL);
}

static int64_t unread_of(struct client *c)
{
	long st;
	json_t *j = t_api(c, "GET", "/notifications", NULL, &st);
	int64_t n = json_integer_value(json_object_get(j, "unread"));
	json_decref(j);
	return n;
}

/* Decodes the base64 body of a mail (after the blank line) into out. */
static void mail_text(const char *data, char *out, size_t outlen)
{
	out[0] = '\0';
	const char *b = strstr(data, "\r\n\r\n");
	if (b == NULL)
		return;
	size_t bin = 0;
	if (sodium_base642bin((unsigned char *)out, outlen - 1, b + 4, strlen(b + 4), "\r\n", &bin,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		bin = 0;
	out[bin] = '\0';
}

/* Decodes every "=?UTF-8?B?...?=" word of a header value and joins them. */
static void decode_words(const char *v, char *out, size_t outlen)
{
	size_t o = 0;
	out[0] = '\0';
	const char *p = v;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		p += 10;
		const char *e = strstr(p, "?=");
		if (e == NULL)
			break;
		size_t bin = 0;
		sodium_base642bin((unsigned char *)out + o, outlen - o - 1, p, (size_t)(e - p),
		                  NULL, &bin, NULL, sodium_base64_VARIANT_ORIGINAL);
		o += bin;
		out[o] = '\0';
		p = e + 2;
	}
}

/* The value of a header of a mail (unfolded), into out. */
static bool mail_header(const char *data, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = data;
	while (p && *p && strncmp(p, "\r\n", 2) != 0) {
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			size_t o = 0;
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			for (; *v && o + 1 < outlen; v++) {
				if (v[0] == '\r' && v[1] == '\n') {
					if (v[2] != ' ' && v[2] != '\t')
						break;
					v += 2;
					continue;
				}
				out[o++] = *v;
			}
			out[o] = '\0';
			return true;
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return false;
}

/* ---- the webhook receiver's answers ---- */

enum hook_mode { HOOK_FAIL_TWICE, HOOK_OK, HOOK_SLOW, HOOK_ALWAYS_FAIL };
static enum hook_mode mode = HOOK_FAIL_TWICE;

/* HOOK_FAIL_TWICE: every message (by its Idempotency-Key) is refused with
 * 500 twice, then accepted. */
static pthread_mutex_t keys_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char key[64];
	int tries;
} keys[64];
static size_t nkeys;

static int tries_so_far(const struct hook_req *rq)
{
	char k[64] = "";
	hook_header(rq, "Idempotency-Key", k, sizeof(k));
	pthread_mutex_lock(&keys_mu);
	size_t i;
	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].key, k) == 0)
			break;
	if (i == nkeys && nkeys < 64)
		snprintf(keys[nkeys++].key, sizeof(keys[0].key), "%s", k);
	int t = i < 64 ? ++keys[i].tries : 99;
	pthread_mutex_unlock(&keys_mu);
	return t;
}

static int hook_answer(struct hook *h, const struct hook_req *rq, struct buf *resp)
{
	buf_puts(resp, "{}");
	switch (mode) {
	case HOOK_FAIL_TWICE:
		return tries_so_far(rq) <= 2 ? 500 : 200;
	case HOOK_SLOW:
		for (int i = 0; i < 10 && !hook_stopping(h); i++)
			t_sleep_ms(30);
		return 200;
	case HOOK_ALWAYS_FAIL:
		return 503;
	default:
		return 200;
	}
}

static bool signature_ok(const struct hook_req *rq)
{
	char got[128], want[128];
	if (!hook_header(rq, "X-Bizsos-Signature", got, sizeof(got)))
		return false;
	/* computed here with libsodium, independently of webhook_signature */
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)rq->body, rq->body_len);
	crypto_auth_hmacsha256_final(&st, mac);
	char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(want, sizeof(want), "sha256=%s", hex);
	return strcmp(got, want) == 0;
}

static int start_daemon(void)
{
	const char *args[] = {"--config", config_path, NULL};
	return t_daemon_start(&d, args);
}

/* ---- the scenarios ---- */

static int64_t company;

static void referral_to_building(void)
{
	/* three 건축과 users: two chose mail for referrals, one the app only */
	t_add_user(&d, "arch2", "건축 둘째", "department", "건축과");
	t_add_user(&d, "arch3", "건축 셋째", "department", "건축과");
	struct client dept, arch2, arch3, staff, leader;
	t_sign_in(&dept, &d, "department");
	t_sign_in(&arch2, &d, "arch2");
	t_sign_in(&arch3, &d, "arch3");
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	long st;
	json_decref(t_api(&dept, "POST", "/notifications/settings",
	                  "email=dept1%40city.example.kr&mode_referral=email", &st));
	CHECK_INT(st, 200);
	json_decref(t_api(&arch2, "POST", "/notifications/settings",
	                  "email=arch2%40city.example.kr&mode_referral=email&mode_overdue=digest",
	                  &st));
	CHECK_INT(st, 200);
	json_decref(t_api(&arch3, "POST", "/notifications/settings",
	                  "email=arch3%40city.example.kr&mode_referral=app", &st));
	CHECK_INT(st, 200);
	json_t *p = t_api(&arch2, "GET", "/notifications/settings", NULL, &st);
	CHECK_STR(json_string_value(json_object_get(p, "email")), "arch2@city.example.kr");
	json_decref(p);

	/* bad settings: a Korean 422, nothing saved */
	json_t *e = t_api(&arch3, "POST", "/notifications/settings", "email=not-an-address", &st);
	CHECK_INT(st, 422);
	CHECK(json_object_get(json_object_get(json_object_get(e, "error"), "fields"), "email"),
	      "email error");
	json_decref(e);
	e = t_api(&arch3, "POST", "/notifications/settings", "email=&mode_assigned=email", &st);
	CHECK_INT(st, 422);
	json_decref(e);
	e = t_api(&arch3, "POST", "/notifications/settings",
	          "email=arch3%40city.example.kr&mode_referral=sometimes", &st);
	CHECK_INT(st, 422);
	json_decref(e);

	int64_t id = new_case(&staff, company, "공장 증축 인허가 지연 — 건축과 협의 필요");
	int64_t outbox_before = t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL);
	char form[128];
	snprintf(form, sizeof(form), "lead=%lld",
	         (long long)t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", "건축과"));
	CHECK_INT(t_case_act(&leader, id, "referrals", form, NULL), 200);

	/* one notice each in the app */
	CHECK_INT(unread_of(&dept), 1);
	CHECK_INT(unread_of(&arch2), 1);
	CHECK_INT(unread_of(&arch3), 1);
	CHECK_INT(unread_of(&leader), 0); /* the actor is not told of their own act */
	/* two mails and one webhook event were recorded with the referral */
	char q[160];
	snprintf(q, sizeof(q),
	         "SELECT count(*) FROM outbox WHERE channel = 'email' AND case_id = %lld",
	         (long long)id);
	CHECK_INT(t_sql_int(d.db, q, NULL), 2);
	snprintf(q, sizeof(q),
	         "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND case_id = %lld "
	         "AND kind = 'case.referred'",
	         (long long)id);
	CHECK_INT(t_sql_int(d.db, q, NULL), 2); /* one per configured URL */
	(void)outbox_before;

	/* a referral refused with 422 (건축과 again) rolls back: no row, no notice */
	int64_t rows = t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL);
	int64_t notices = t_sql_int(d.db, "SELECT count(*) FROM notification", NULL);
	CHECK_INT(t_case_act(&leader, id, "referrals", form, NULL), 422);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL), rows);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM notification", NULL), notices);

	/* the mails: one per 건축과 user who chose mail */
	CHECK_INT(smtp_sink_wait(&smtp, 2, 10000), 2);
	t_sleep_ms(200);
	CHECK_INT(smtp_sink_count(&smtp), 2);
	bool to1 = false, to2 = false;
	char link[128];
	snprintf(link, sizeof(link), "https://sos.example.kr/cases/%lld", (long long)id);
	for (size_t i = 0; i < smtp_sink_count(&smtp) && i < 2; i++) {
		struct smtp_msg *m = &smtp.msgs[i];
		to1 = to1 || strcmp(m->rcpt, "dept1@city.example.kr") == 0;
		to2 = to2 || strcmp(m->rcpt, "arch2@city.example.kr") == 0;
		CHECK_STR(m->from, "sos@city.example.kr");
		char v[1024], dec[1024], text[8192];
		CHECK(mail_header(m->data, "Subject", v, sizeof(v)), "Subject");
		decode_words(v, dec, sizeof(dec));
		CHECK_CONTAINS(dec, "[기업SOS] 건축과(으)로 사건이 이관되었습니다");
		CHECK_CONTAINS(dec, "공장 증축 인허가 지연 — 건축과 협의 필요");
		CHECK(mail_header(m->data, "Message-ID", v, sizeof(v)) &&
		          strstr(v, "@city.example.kr>") && v[0] == '<',
		      "Message-ID %s", v);
		CHECK(mail_header(m->data, "Content-Type", v, sizeof(v)) &&
		          strstr(v, "charset=UTF-8"),
		      "charset");
		CHECK(mail_header(m->data, "Date", v, sizeof(v)), "Date");
		mail_text(m->data, text, sizeof(text));
		CHECK_CONTAINS(text, link);
		CHECK_CONTAINS(text, "한빛정밀");
		/* every line is 7-bit and at most 78 characters */
		bool ok = true;
		size_t col = 0;
		for (const unsigned char *u = (const unsigned char *)m->data; *u; u++) {
			ok = ok && *u < 0x80;
			col = *u == '\n' ? 0 : col + 1;
			ok = ok && col <= 78;
		}
		CHECK(ok, "mail is 7-bit with short lines");
	}
	CHECK(to1 && to2, "mail to both who chose it");

	/* the webhooks (the referral and the status move it caused): each refused
	 * with 500 twice, then delivered on the third try under the same key;
	 * signed and well-formed every time */
	snprintf(q, sizeof(q),
	         "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND case_id = %lld",
	         (long long)id);
	int64_t events = t_sql_int(d.db, q, NULL);
	CHECK(events >= 1, "webhook events recorded");
	CHECK_INT(hook_wait(&hook, (size_t)events * 3, 10000), events * 3);
	t_sleep_ms(300);
	CHECK_INT(hook_count(&hook), events * 3); /* delivered: no fourth try */
	bool referred = false, hook2 = false;
	for (size_t i = 0; i < hook_count(&hook); i++) {
		struct hook_req *rq = &hook.reqs[i];
		CHECK_STR(rq->method, "POST");
		CHECK(strcmp(rq->path, "/hook") == 0 || strcmp(rq->path, "/hook2") == 0, "path %s",
		      rq->path);
		hook2 = hook2 || strcmp(rq->path, "/hook2") == 0;
		CHECK(signature_ok(rq), "signature of request %zu", i + 1);
		char k[64] = "", ct[128] = "";
		CHECK(hook_header(rq, "Idempotency-Key", k, sizeof(k)) && strlen(k) == 32, "key");
		CHECK(hook_header(rq, "Content-Type", ct, sizeof(ct)) &&
		          strstr(ct, "application/json"),
		      "content type");
		int same = 0;
		for (size_t j = 0; j < hook_count(&hook); j++) {
			char kj[64] = "";
			hook_header(&hook.reqs[j], "Idempotency-Key", kj, sizeof(kj));
			same += strcmp(kj, k) == 0;
		}
		CHECK_INT(same, 3);
		json_t *b = json_loadb(rq->body, rq->body_len, 0, NULL);
		CHECK(b != NULL, "JSON body");
		CHECK_STR(json_string_value(json_object_get(b, "id")), k);
		CHECK(json_string_value(json_object_get(b, "at")) != NULL, "at");
		json_t *c = json_object_get(b, "case");
		CHECK_INT(json_integer_value(json_object_get(c, "id")), id);
		CHECK_STR(json_string_value(json_object_get(c, "link")), link);
		const char *ev = json_string_value(json_object_get(b, "event"));
		char evh[64] = "";
		hook_header(rq, "X-Bizsos-Event", evh, sizeof(evh));
		CHECK_STR(evh, ev ? ev : "");
		if (ev && strcmp(ev, "case.referred") == 0) {
			referred = true;
			CHECK_STR(json_string_value(
			              json_object_get(json_object_get(b, "data"), "department")),
			          "건축과");
		}
		json_decref(b);
	}
	CHECK(referred, "the referral's event arrived");
	CHECK(hook2, "the second URL got its copy");
	snprintf(q, sizeof(q),
	         "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND case_id = %lld AND "
	         "status = 'sent' AND tries = 3",
	         (long long)id);
	CHECK_INT(t_sql_int(d.db, q, NULL), events);

	/* a tampered body would not match the signature */
	struct hook_req fake = hook.reqs[0];
	char *copy = strdup(fake.body);
	copy[2] = copy[2] == 'x' ? 'y' : 'x';
	fake.body = copy;
	CHECK(!signature_ok(&fake), "tampered body refused");
	free(copy);

	/* opening the notice: marked read, lands on the case, the count drops */
	long s2;
	json_t *list = t_api(&arch3, "GET", "/notifications", NULL, &s2);
	json_t *n0 = json_array_get(json_object_get(list, "notifications"), 0);
	int64_t nid = json_integer_value(json_object_get(n0, "id"));
	CHECK_STR(json_string_value(json_object_get(n0, "kind")), "referral");
	CHECK(json_is_false(json_object_get(n0, "read")), "unread");
	json_decref(list);
	char np[64];
	snprintf(np, sizeof(np), "/notifications/%lld", (long long)nid);
	struct resp r;
	t_get(&arch3, np, &r);
	CHECK_INT(r.status, 303);
	char loc[256] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	char want[64];
	snprintf(want, sizeof(want), "/cases/%lld", (long long)id);
	CHECK_STR(loc, want);
	t_resp_free(&r);
	CHECK_INT(unread_of(&arch3), 0);
	/* another user's notice is not there */
	t_get(&arch2, np, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	/* the header shows the count on every page */
	t_get(&arch2, "/notifications", &r);
	CHECK_CONTAINS(r.body.s, "app-notice-count");
	t_resp_free(&r);
	t_get(&arch3, "/notifications", &r);
	CHECK(strstr(r.body.s, "id=\"app-notice-count\"") == NULL, "no count when all read");
	t_resp_free(&r);
	/* mark all read */
	json_decref(t_api(&arch2, "POST", "/notifications/read-all", "", &s2));
	CHECK_INT(s2, 200);
	CHECK_INT(unread_of(&arch2), 0);

	t_client_free(&dept);
	t_client_free(&arch2);
	t_client_free(&arch3);
	t_client_free(&staff);
	t_client_free(&leader);
}

/* SIGKILL while messages are pending; a restart delivers them all, none
 * under two keys. */
static void kill_and_resume(void)
{
	mode = HOOK_SLOW;
	size_t hooks_before = hook_count(&hook), mails_before = smtp_sink_count(&smtp);
	int64_t sent_before =
	    t_sql_int(d.db, "SELECT count(*) FROM outbox WHERE status = 'sent'", NULL);
	struct client staff, leader;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	const int N = 6;
	int64_t ids[6];
	char form[128];
	snprintf(form, sizeof(form), "lead=%lld",
	         (long long)t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", "건축과"));
	for (int i = 0; i < N; i++) {
		char title[64];
		snprintf(title, sizeof(title), "재시작 시험 %d", i + 1);
		ids[i] = new_case(&staff, company, title);
		CHECK_INT(t_case_act(&leader, ids[i], "referrals", form, NULL), 200);
	}
	int64_t total = t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL);
	/* kill it in the middle of delivering */
	hook_wait(&hook, hooks_before + 2, 10000);
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM outbox WHERE status = 'pending'", NULL) > 0,
	      "messages pending at the kill");
	kill(d.pid, SIGKILL);
	int status;
	waitpid(d.pid, &status, 0);
	d.pid = 0;
	t_client_free(&staff);
	t_client_free(&leader);
	mode = HOOK_OK;
	CHECK_INT(start_daemon(), 0);
	/* every message gets out */
	for (int t = 0; t < 500; t++) {
		if (t_sql_int(d.db, "SELECT count(*) FROM outbox WHERE status = 'sent'", NULL) >=
		    total)
			break;
		t_sleep_ms(20);
	}
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM outbox WHERE status = 'sent'", NULL),
	          total);
	(void)sent_before;
	/* webhooks: each case's referral event under exactly one key */
	hook_wait(&hook, hooks_before + N, 5000);
	size_t nh = hook_count(&hook);
	CHECK(nh >= hooks_before + (size_t)N, "all webhook events arrived (%zu)", nh);
	for (int i = 0; i < N; i++) {
		char key[64] = "";
		int seen = 0;
		bool one_key = true;
		for (size_t k = hooks_before; k < nh; k++) {
			json_t *b = json_loadb(hook.reqs[k].body, hook.reqs[k].body_len, 0, NULL);
			int64_t cid =
			    json_integer_value(json_object_get(json_object_get(b, "case"), "id"));
			const char *ev = json_string_value(json_object_get(b, "event"));
			if (cid == ids[i] && ev && strcmp(ev, "case.referred") == 0 &&
			    strcmp(hook.reqs[k].path, "/hook") == 0) {
				char hk[64];
				hook_header(&hook.reqs[k], "Idempotency-Key", hk, sizeof(hk));
				if (seen++ == 0)
					snprintf(key, sizeof(key), "%s", hk);
				else
					one_key = one_key && strcmp(key, hk) == 0;
			}
			json_decref(b);
		}
		CHECK(seen >= 1, "event of case %d delivered", i + 1);
		CHECK(one_key, "event of case %d under one key", i + 1);
	}
	/* mails: two per referral, each Message-ID once per recipient and case */
	size_t want_mails = mails_before + 2 * (size_t)N;
	CHECK(smtp_sink_wait(&smtp, want_mails, 5000) >= want_mails, "all mails arrived");
	size_t nm = smtp_sink_count(&smtp);
	for (size_t a = mails_before; a < nm; a++) {
		char ida[256], idb[256];
		mail_header(smtp.msgs[a].data, "Message-ID", ida, sizeof(ida));
		for (size_t b = a + 1; b < nm; b++) {
			mail_header(smtp.msgs[b].data, "Message-ID", idb, sizeof(idb));
			char sa[512], sb[512], da[512], db2[512];
			mail_header(smtp.msgs[a].data, "Subject", sa, sizeof(sa));
			mail_header(smtp.msgs[b].data, "Subject", sb, sizeof(sb));
			decode_words(sa, da, sizeof(da));
			decode_words(sb, db2, sizeof(db2));
			bool same_msg = strcmp(da, db2) == 0 &&
			                strcmp(smtp.msgs[a].rcpt, smtp.msgs[b].rcpt) == 0;
			/* a repeat carries the same Message-ID */
			CHECK(!same_msg || strcmp(ida, idb) == 0,
			      "repeat under another Message-ID");
		}
	}
}

/* A receiver that keeps failing: parked as failed, shown to the admin with
 * its error, and a retry puts it back in the queue. */
static void parked_and_retried(void)
{
	mode = HOOK_ALWAYS_FAIL;
	struct client staff, leader, admin;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&admin, &d, "admin");
	int64_t id = new_case(&staff, company, "계속 실패하는 웹훅");
	char form[64];
	snprintf(form, sizeof(form), "assignee=%lld",
	         (long long)t_sql_int(d.db, "SELECT id FROM app_user WHERE login = ?1", "staff"));
	CHECK_INT(t_case_act(&leader, id, "assign", form, NULL), 200);
	int64_t mid = t_sql_int(d.db, "SELECT max(id) FROM outbox WHERE channel = 'webhook'", NULL);
	for (int t = 0; t < 500; t++) {
		char q[96];
		snprintf(q, sizeof(q), "SELECT status = 'failed' FROM outbox WHERE id = %lld",
		         (long long)mid);
		if (t_sql_int(d.db, q, NULL) == 1)
			break;
		t_sleep_ms(20);
	}
	long st;
	json_t *ob = t_api(&admin, "GET", "/admin/outbox?status=failed", NULL, &st);
	CHECK_INT(st, 200);
	json_t *m0 = json_array_get(json_object_get(ob, "messages"), 0);
	CHECK_INT(json_integer_value(json_object_get(m0, "id")), mid);
	CHECK_INT(json_integer_value(json_object_get(m0, "tries")), 4);
	CHECK_STR(json_string_value(json_object_get(m0, "last_error")), "HTTP 503");
	CHECK_STR(json_string_value(json_object_get(m0, "status_label")), "실패");
	CHECK(json_is_false(json_object_get(json_object_get(ob, "delivery"), "off")), "on");
	json_decref(ob);
	/* staff may not see it; a pending one cannot be retried */
	struct resp r;
	t_get(&staff, "/admin/outbox", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	char p[64];
	snprintf(
	    p, sizeof(p), "/admin/outbox/%lld/retry",
	    (long long)t_sql_int(d.db, "SELECT max(id) FROM outbox WHERE status = 'sent'", NULL));
	json_decref(t_api(&admin, "POST", p, "", &st));
	CHECK_INT(st, 409);
	json_decref(t_api(&admin, "POST", "/admin/outbox/99999999/retry", "", &st));
	CHECK_INT(st, 404);
	/* the receiver is back: a retry gets it through */
	mode = HOOK_OK;
	snprintf(p, sizeof(p), "/admin/outbox/%lld/retry", (long long)mid);
	json_decref(t_api(&admin, "POST", p, "", &st));
	CHECK_INT(st, 200);
	char q[96];
	snprintf(q, sizeof(q), "SELECT status = 'sent' FROM outbox WHERE id = %lld",
	         (long long)mid);
	for (int t = 0; t < 300 && t_sql_int(d.db, q, NULL) != 1; t++)
		t_sleep_ms(20);
	CHECK_INT(t_sql_int(d.db, q, NULL), 1);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM audit_log WHERE action = 'outbox.retry'", NULL),
	    1);
	/* without a status filter: every message, and the total counts them all
	 * (the filter bound "" as NULL and the list came back empty) */
	ob = t_api(&admin, "GET", "/admin/outbox", NULL, &st);
	CHECK_INT(st, 200);
	int64_t all = t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL);
	CHECK(all > 0, "messages were queued");
	CHECK_INT(json_integer_value(json_object_get(ob, "total")), all);
	CHECK_INT(json_array_size(json_object_get(ob, "messages")), all < 30 ? all : 30);
	json_decref(ob);
	/* the HTML page */
	t_get(&admin, "/admin/outbox", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "발송함");
	CHECK(strstr(r.body.s, "발송이 꺼져 있습니다") == NULL, "delivery is on");
	t_resp_free(&r);
	t_client_free(&staff);
	t_client_free(&leader);
	t_client_free(&admin);
}

/* 결과 통지: a consenting contact gets the result by mail (and by text message
 * through the gateway), the case records the method and the day; a contact
 * without consent is refused and nothing is written; the admin's template is
 * previewed, refused when broken, and used once saved. */
static void result_notice(void)
{
	mode = HOOK_OK;
	struct client staff, leader, admin;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&admin, &d, "admin");
	char sqlbuf[512];
	snprintf(sqlbuf, sizeof(sqlbuf),
	         "INSERT INTO company_contact (id, company_id, name, phone, email, created_at) "
	         "VALUES (501, %lld, '김담당', '010-1234-5678', 'contact@hanbit.example.kr', "
	         "'2025-01-01T00:00:00Z'), (502, %lld, '이무동의', '010-9999-0000', "
	         "'nope@hanbit.example.kr', '2025-01-01T00:00:00Z')",
	         (long long)company, (long long)company);
	t_sql_exec(d.db, sqlbuf);
	long st;
	char p[128];
	snprintf(p, sizeof(p), "/companies/%lld/contacts/501/consent", (long long)company);
	json_decref(t_api(&staff, "POST", p, "email=1&sms=1", &st));
	CHECK_INT(st, 200);
	snprintf(p, sizeof(p), "/companies/%lld/contacts/999/consent", (long long)company);
	json_decref(t_api(&staff, "POST", p, "email=1", &st));
	CHECK_INT(st, 404);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM audit_log WHERE action = 'contact.consent'",
	                    NULL),
	          1);

	/* the admin's template: a broken one is refused, a preview renders */
	json_t *j = t_api(&admin, "POST", "/admin/templates/case_result",
	                  "action=preview&subject=x&body=%7B%7B%23answers%7D%7Dunclosed", &st);
	CHECK_INT(st, 422);
	json_decref(j);
	j = t_api(&admin, "POST", "/admin/templates/sms_gateway",
	          "action=save&body=%7B%22to%22%3A+%7B%7Bphone%7D%7D%7D",
	          &st); /* {"to": {{phone}}} */
	CHECK_INT(st, 422);
	json_decref(j);
	j = t_api(
	    &admin, "POST", "/admin/templates/case_result",
	    "action=preview&subject=%5B%EA%B2%B0%EA%B3%BC%5D+%7B%7Bcase_no%7D%7D"
	    "&body=%7B%7Bcontact%7D%7D+%EB%8B%98+%26+%7B%7Boutcome%7D%7D%0A%7B%7B%23answers%7D%7D-"
	    "+%7B%7B.%7D%7D%0A%7B%7B%2Fanswers%7D%7D",
	    &st);
	CHECK_INT(st, 200);
	json_t *t0 = json_array_get(json_object_get(j, "templates"), 0);
	CHECK_STR(json_string_value(json_object_get(json_object_get(t0, "preview"), "subject")),
	          "[결과] SOS-2025-0007");
	CHECK_CONTAINS(json_string_value(json_object_get(json_object_get(t0, "preview"), "body")),
	               "김담당 님 & 일부수용\n- 건축과:");
	json_decref(j);
	json_decref(t_api(
	    &admin, "POST", "/admin/templates/case_result",
	    "action=save&subject=%5B%EA%B2%B0%EA%B3%BC%5D+%7B%7Bcase_no%7D%7D+%7B%7Bcompany%7D%7D"
	    "&body=%7B%7Bcontact%7D%7D+%EB%8B%98%2C+%EC%B2%98%EB%A6%AC+%EA%B2%B0%EA%B3%BC%3A+"
	    "%7B%7Boutcome%7D%7D%0A%7B%7B%23answers%7D%7D-+%7B%7B.%7D%7D%0A%7B%7B%2Fanswers%7D%7D",
	    &st));
	CHECK_INT(st, 200);
	json_decref(t_api(&admin, "GET", "/admin/templates/nothing", NULL, &st));
	CHECK(st == 404 || st == 405, "unknown template path -> %ld", st);

	/* a case with a shared answer and an internal note */
	int64_t id = new_case(&staff, company, "판로 지원 요청");
	CHECK_INT(t_case_act(&staff, id, "notes",
	                     "body=%EC%88%98%EC%B6%9C%EB%B0%94%EC%9A%B0%EC%B2%98+"
	                     "%EC%97%B0%EA%B3%84+%EC%95%88%EB%82%B4&shared=1",
	                     NULL),
	          200);
	CHECK_INT(
	    t_case_act(&staff, id, "notes", "body=%EB%82%B4%EB%B6%80+%EB%A9%94%EB%AA%A8", NULL),
	    200);
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	j = t_api(&leader, "GET", p, NULL, &st);
	json_t *opts = json_object_get(j, "result_options");
	CHECK_INT(json_array_size(opts), 2); /* 김담당 by mail and by text; not 이무동의 */
	json_decref(j);

	/* not consenting: refused, nothing written */
	int64_t rows = t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL);
	CHECK_INT(
	    t_case_act(&leader, id, "status",
	               "to=done&disposition=immediate&outcome=accepted&result_contact=email%3A502",
	               NULL),
	    422);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL), rows);
	/* a completion that fails its own checks (no outcome) writes no message either */
	CHECK_INT(t_case_act(&leader, id, "status",
	                     "to=done&disposition=immediate&result_contact=email%3A501", NULL),
	          422);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM outbox", NULL), rows);

	size_t mails = smtp_sink_count(&smtp);
	CHECK_INT(
	    t_case_act(&leader, id, "status",
	               "to=done&disposition=immediate&outcome=accepted&result_contact=email%3A501",
	               NULL),
	    200);
	snprintf(
	    sqlbuf, sizeof(sqlbuf),
	    "SELECT notified_method = 'email' AND notified_on = strftime('%%Y-%%m-%%d', 'now', "
	    "'+9 hours') AND status = 'done' FROM sos_case WHERE id = %lld",
	    (long long)id);
	CHECK_INT(t_sql_int(d.db, sqlbuf, NULL), 1);
	CHECK_INT(smtp_sink_wait(&smtp, mails + 1, 5000), mails + 1);
	struct smtp_msg *m = &smtp.msgs[mails];
	CHECK_STR(m->rcpt, "contact@hanbit.example.kr");
	char v[512], dec[512], text[4096];
	mail_header(m->data, "Subject", v, sizeof(v));
	decode_words(v, dec, sizeof(dec));
	CHECK_CONTAINS(dec, "[결과] SOS-");
	CHECK_CONTAINS(dec, "한빛정밀");
	mail_text(m->data, text, sizeof(text));
	CHECK_CONTAINS(text, "김담당 님, 처리 결과: 수용");
	CHECK_CONTAINS(text, "- 수출바우처 연계 안내");
	CHECK(strstr(text, "내부 메모") == NULL, "internal notes stay inside");

	/* by text message, through the gateway */
	int64_t id2 = new_case(&staff, company, "문자 통지 시험");
	size_t hooks = hook_count(&hook);
	CHECK_INT(
	    t_case_act(
	        &leader, id2, "status",
	        "to=done&disposition=immediate&outcome=partial&outcome_reason=%EC%9D%BC%EB%B6%80"
	        "&result_contact=sms%3A501",
	        NULL),
	    200);
	snprintf(sqlbuf, sizeof(sqlbuf),
	         "SELECT notified_method = 'sms' FROM sos_case WHERE id = %lld", (long long)id2);
	CHECK_INT(t_sql_int(d.db, sqlbuf, NULL), 1);
	bool found = false;
	for (int t = 0; t < 250 && !found; t++) {
		for (size_t k = hooks; k < hook_count(&hook); k++)
			if (strcmp(hook.reqs[k].path, "/sms") == 0) {
				found = true;
				json_t *b =
				    json_loadb(hook.reqs[k].body, hook.reqs[k].body_len, 0, NULL);
				CHECK_STR(json_string_value(json_object_get(b, "to")),
				          "010-1234-5678");
				CHECK_STR(json_string_value(json_object_get(b, "from")),
				          "031-000-0000");
				CHECK_CONTAINS(json_string_value(json_object_get(b, "text")),
				               "일부수용");
				char sig[128], want[128];
				hook_header(&hook.reqs[k], "X-Bizsos-Signature", sig, sizeof(sig));
				webhook_signature("sms-s3cret", hook.reqs[k].body,
				                  hook.reqs[k].body_len, want, sizeof(want));
				CHECK_STR(sig, want);
				json_decref(b);
			}
		if (!found)
			t_sleep_ms(20);
	}
	CHECK(found, "the gateway got the text message");
	t_client_free(&staff);
	t_client_free(&leader);
	t_client_free(&admin);
}

/* Without mail or webhook settings: recorded, shown in the app, not sent. */
static void delivery_off(void)
{
	CHECK_INT(t_daemon_stop(&d), 0); /* a clean stop: the worker ends with the daemon */
	CHECK_INT(t_daemon_start(&d, NULL), 0);
	struct client staff, leader, dept, admin;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&dept, &d, "department");
	t_sign_in(&admin, &d, "admin");
	int64_t before = unread_of(&dept);
	int64_t id = new_case(&staff, company, "발송 꺼짐 시험");
	char form[128];
	snprintf(form, sizeof(form), "lead=%lld",
	         (long long)t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", "건축과"));
	CHECK_INT(t_case_act(&leader, id, "referrals", form, NULL), 200);
	CHECK_INT(unread_of(&dept), before + 1);
	size_t mails = smtp_sink_count(&smtp);
	t_sleep_ms(300);
	CHECK_INT(smtp_sink_count(&smtp), mails);
	char q[128];
	snprintf(q, sizeof(q),
	         "SELECT count(*) FROM outbox WHERE case_id = %lld AND channel = 'email' AND "
	         "status = 'pending'",
	         (long long)id);
	CHECK_INT(t_sql_int(d.db, q, NULL), 2);
	struct resp r;
	t_get(&admin, "/admin/outbox", &r);
	CHECK_CONTAINS(r.body.s, "발송이 꺼져 있습니다");
	t_resp_free(&r);
	t_client_free(&staff);
	t_client_free(&leader);
	t_client_free(&dept);
	t_client_free(&admin);
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CHECK_INT(smtp_sink_start(&smtp), 0);
	CHECK_INT(hook_start(&hook, hook_answer, NULL), 0);
	t_path(config_path, sizeof(config_path), "notify.conf");
	FILE *f = fopen(config_path, "w");
	fprintf(f,
	        "base_url = https://sos.example.kr/\n"
	        "smtp_host = 127.0.0.1\nsmtp_port = %d\nsmtp_tls = none\n"
	        "smtp_from = sos@city.example.kr\n"
	        "webhook_url = http://127.0.0.1:%d/hook http://127.0.0.1:%d/hook2\n"
	        "webhook_secret = %s\n"
	        "webhook_timeout_ms = 3000\n"
	        "outbox_poll_ms = 20\noutbox_retry_ms = 20\noutbox_max_tries = 4\n"
	        "daily_at = 23:59\n"
	        "sms_url = http://127.0.0.1:%d/sms\nsms_secret = sms-s3cret\n"
	        "sms_sender = 031-000-0000\n",
	        smtp.port, hook.port, hook.port, SECRET, hook.port);
	fclose(f);
	if (start_daemon() != 0) {
		CHECK(0, "daemon did not start");
		smtp_sink_stop(&smtp);
		hook_stop(&hook);
		return t_done();
	}
	t_sql_exec(d.db, "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	                 "('한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                 "'2025-01-01T00:00:00Z')");
	company = t_sql_int(d.db, "SELECT id FROM company WHERE brn = '1208147521'", NULL);

	referral_to_building();
	kill_and_resume();
	parked_and_retried();
	result_notice();
	delivery_off();

	CHECK_INT(t_daemon_stop(&d), 0);
	hook_stop(&hook);
	smtp_sink_stop(&smtp);
	curl_global_cleanup();
	return t_done();
}
