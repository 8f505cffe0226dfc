/* The companies' own door, the pages anyone may open without signing in:
 * the online request form (/request) and its receipt, the status lookup
 * (/request/status) and the satisfaction survey (/survey/{token}). They use
 * the public layout (no staff navigation), need no JavaScript, and are
 * guarded against abuse: per-IP limits, a honeypot field, a signed form
 * token that refuses forms sent back faster than a person can fill them. */
#include "bizsos/app.h"
#include "bizsos/online_request.h"
#include "bizsos/ratelimit.h"
#include "bizsos/survey.h"
#include "bizsos/web.h"
#include "web_attach.h"
#include "web_public.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared state: limiters and the form-token key ---------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct ratelimit *submit_rl, *status_rl, *survey_rl;
static unsigned char form_key[crypto_auth_KEYBYTES];

static void init_once(void)
{
	submit_rl = ratelimit_new(4096);
	status_rl = ratelimit_new(4096);
	survey_rl = ratelimit_new(4096);
	if (sodium_init() < 0)
		LOG_ERROR("libsodium init failed");
	crypto_auth_keygen(form_key);
}

/* The form token: "<issued unix>.<nonce 32 hex>.<HMAC hex>", so the time the
 * form was handed out cannot be forged. A form older than a day is stale. */
#define FORM_TOKEN_SIZE 128
#define FORM_MAX_AGE    (24 * 3600)

static void form_token_new(char *out, size_t outlen)
{
	unsigned char raw[16], mac[crypto_auth_BYTES];
	randombytes_buf(raw, sizeof(raw));
	char nonce[33], msg[64], hex[crypto_auth_BYTES * 2 + 1];
	sodium_bin2hex(nonce, sizeof(nonce), raw, sizeof(raw));
	snprintf(msg, sizeof(msg), "%lld.%s", (long long)db_time(), nonce);
	crypto_auth(mac, (const unsigned char *)msg, strlen(msg), form_key);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, outlen, "%s.%s", msg, hex);
}

enum form_check { FORM_OK, FORM_BAD, FORM_FAST };

/* Checks a token sent back; the nonce (33 bytes) is copied out when valid. */
static enum form_check form_token_check(const char *tok, int min_seconds, char nonce[33])
{
	nonce[0] = '\0';
	if (tok == NULL || strlen(tok) >= FORM_TOKEN_SIZE)
		return FORM_BAD;
	const char *d1 = strchr(tok, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (d1 == NULL || d2 == NULL || d2 - d1 - 1 != 32 ||
	    strlen(d2 + 1) != crypto_auth_BYTES * 2)
		return FORM_BAD;
	unsigned char mac[crypto_auth_BYTES];
	size_t maclen = 0;
	if (sodium_hex2bin(mac, sizeof(mac), d2 + 1, strlen(d2 + 1), NULL, &maclen, NULL) != 0 ||
	    maclen != sizeof(mac) ||
	    crypto_auth_verify(mac, (const unsigned char *)tok, (size_t)(d2 - tok), form_key) != 0)
		return FORM_BAD;
	long long issued = strtoll(tok, NULL, 10);
	long long age = (long long)db_time() - issued;
	if (age > FORM_MAX_AGE || age < -60)
		return FORM_BAD;
	memcpy(nonce, d1 + 1, 32);
	nonce[32] = '\0';
	return age < min_seconds ? FORM_FAST : FORM_OK;
}

/* ---- the chrome of public pages ----------------------------------------- */

/* Adds what every public page shows: the office's contact and the national
 * ombudsman; `public` tells the layout. */
static json_t *public_model(struct request *rq, json_t *m)
{
	if (m == NULL)
		m = json_object();
	const char *phone = rq->app->cfg.office_phone;
	json_t *office = json_pack("{s:s, s:s}", "name", "기업경제과 기업SOS팀", "hours",
	                           "평일 09:00~18:00 (주말·공휴일 제외)");
	if (phone[0]) /* the renderer treats "" as true: leave it out */
		json_object_set_new(office, "phone", json_string(phone));
	json_object_set_new(m, "office", office);
	json_object_set_new(m, "breadcrumb", json_array()); /* no staff breadcrumb */
	bool status = strncmp(rq->path, "/request/status", 15) == 0;
	json_object_set_new(m, "nav_request",
	                    json_boolean(!status && strncmp(rq->path, "/request", 8) == 0));
	json_object_set_new(m, "nav_status", json_boolean(status));
	web_has_flags(m);
	return m;
}

static void public_page(struct request *rq, struct response *rs, int status, const char *tpl,
                        const char *title, json_t *m)
{
	web_page_status(rs, status, tpl, title, public_model(rq, m));
}

/* A refusal the company can read: 400/404/410/429 with a Korean page. */
static void refuse(struct request *rq, struct response *rs, int status, const char *code,
                   const char *title, const char *message, const char *back)
{
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:i}", "code", code, "title", title, "message",
	                      message, "back", back ? back : "/request", "status", status);
	public_page(rq, rs, status, "public/refused", title, m);
	/* the JSON face answers with the one error shape; browsers get the page
	 * (code is always a literal) */
	rs->err_code = code;
	bz_strlcpy(rs->err_message, message, sizeof(rs->err_message));
}

static void too_many(struct request *rq, struct response *rs, int retry_after, const char *back)
{
	char secs[16], msg[400];
	snprintf(secs, sizeof(secs), "%d", retry_after > 0 ? retry_after : 60);
	kv_add(&rs->headers, "Retry-After", secs, strlen(secs));
	int minutes = (retry_after + 59) / 60;
	snprintf(msg, sizeof(msg),
	         "같은 곳에서 짧은 시간에 너무 많은 요청이 왔습니다. 약 %d분 뒤에 다시 시도해 "
	         "주세요. 급한 일은 기업SOS팀에 전화로 알려 주세요.",
	         minutes > 0 ? minutes : 1);
	refuse(rq, rs, 429, "too_many_requests", "잠시 후 다시 시도해 주세요", msg, back);
}

/* ---- /request ------------------------------------------------------------ */

static const char *const text_keys[] = {"brn",   "company_name", "contact_name",
                                        "phone", "email",        "category_id",
                                        "title", "description",  "request"};

static bool checked(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "yes") == 0);
}

static json_t *request_model(struct request *rq, bool posted)
{
	json_t *values = json_object();
	for (size_t i = 0; i < BZ_ARRAY_LEN(text_keys); i++) {
		const char *v = posted ? rq_form(rq, text_keys[i]) : NULL;
		json_object_set_new(values, text_keys[i], json_string(v ? v : ""));
	}
	json_object_set_new(values, "privacy_consent",
	                    json_boolean(posted && checked(rq_form(rq, "privacy_consent"))));
	json_object_set_new(values, "contact_consent",
	                    json_boolean(posted && checked(rq_form(rq, "contact_consent"))));
	json_t *cats = NULL;
	if (case_categories(rq->db, false, &cats) != BZ_OK)
		cats = json_array();
	const char *sel = json_string_value(json_object_get(values, "category_id"));
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		char id[24];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(c, "id")));
		json_object_set_new(c, "value", json_string(id));
		json_object_set_new(c, "selected", json_boolean(strcmp(id, sel) == 0));
	}
	char tok[FORM_TOKEN_SIZE];
	form_token_new(tok, sizeof(tok));
	return json_pack("{s:o, s:o, s:o, s:s, s:{}, s:i, s:i}", "values", values, "categories",
	                 cats, "privacy", online_privacy_notice(), "form_token", tok, "errors",
	                 "max_files", ONLINE_MAX_FILES, "max_file_mb",
	                 (int)(ONLINE_FILE_MAX_BYTES / (1024 * 1024)));
}

void web_request_form(struct request *rq, struct response *rs)
{
	pthread_once(&once, init_once);
	public_page(rq, rs, 200, "public/request", "기업애로 온라인 신청",
	            request_model(rq, false));
}

static void request_invalid(struct request *rq, struct response *rs, json_t *fields)
{
	json_t *m = request_model(rq, true);
	json_object_set(m, "errors", fields);
	json_t *list = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v)
	    json_array_append_new(list, json_pack("{s:s, s:O}", "field", k, "message", v));
	json_object_set_new(m, "error_list", list);
	bool chosen = false;
	for (size_t i = 0; i < rq->nuploads; i++)
		chosen = chosen || rq->uploads[i].size > 0;
	json_object_set_new(m, "files_again", json_boolean(chosen));
	web_invalid(rs, "public/request", "기업애로 온라인 신청", public_model(rq, m), fields);
}

/* The files chosen (empty file inputs are skipped): checked and stored. */
static bool request_files(struct request *rq, struct online_file *files, const char **paths,
                          size_t *n, json_t *fields)
{
	*n = 0;
	for (size_t i = 0; i < rq->nuploads; i++) {
		const struct upload *u = &rq->uploads[i];
		if (strcmp(u->field, "files") != 0 ||
		    (u->size == 0 && (!u->filename || !*u->filename)))
			continue;
		if (*n >= ONLINE_MAX_FILES) {
			json_object_set_new(fields, "files",
			                    json_string("파일은 5개까지 첨부할 수 있습니다."));
			return false;
		}
		struct online_file *f = &files[*n];
		memset(f, 0, sizeof(*f));
		case_safe_filename(u->filename, f->filename, sizeof(f->filename));
		char msg[1024];
		if (u->size == 0) {
			snprintf(msg, sizeof(msg), "%s: 빈 파일은 첨부할 수 없습니다.",
			         f->filename);
			json_object_set_new(fields, "files", json_string(msg));
			return false;
		}
		if (u->size > ONLINE_FILE_MAX_BYTES) {
			snprintf(msg, sizeof(msg), "%s: 파일 하나는 10MB까지 첨부할 수 있습니다.",
			         f->filename);
			json_object_set_new(fields, "files", json_string(msg));
			return false;
		}
		unsigned char head[512];
		size_t headlen = 0;
		if (!web_attach_hash(u->path, f->sha256, head, sizeof(head), &headlen))
			return false;
		const char *type = case_sniff_type(head, headlen);
		if (type == NULL) {
			snprintf(msg, sizeof(msg), "%s: %s", f->filename, WEB_ATTACH_TYPE_MSG);
			json_object_set_new(fields, "files", json_string(msg));
			return false;
		}
		bz_strlcpy(f->content_type, type, sizeof(f->content_type));
		f->size = u->size;
		paths[*n] = u->path;
		(*n)++;
	}
	return true;
}

static void show_receipt(struct request *rq, struct response *rs, const char *receipt,
                         bool replayed)
{
	json_t *m = NULL;
	if (online_request_receipt(rq->db, receipt, &m) != BZ_OK) {
		web_error(rs, 500, "internal",
		          "접수 확인을 읽지 못했습니다. 기업SOS팀에 알려 주세요.");
		return;
	}
	json_object_set_new(m, "replayed", json_boolean(replayed));
	public_page(rq, rs, 200, "public/receipt", "접수 확인", m);
}

void web_request_submit(struct request *rq, struct response *rs)
{
	pthread_once(&once, init_once);
	const struct config *cfg = &rq->app->cfg;
	int retry = 0;
	if (!ratelimit_hit(submit_rl, rq->remote, cfg->request_limit, cfg->request_window,
	                   db_time(), &retry)) {
		LOG_WARN("request: rate limit for %s", rq->remote);
		too_many(rq, rs, retry, "/request");
		return;
	}
	/* the honeypot: a field people never see and never fill */
	const char *hp = rq_form(rq, "website");
	if (hp && *hp) {
		LOG_WARN("request: honeypot filled from %s", rq->remote);
		refuse(rq, rs, 400, "refused", "신청을 받을 수 없습니다",
		       "자동으로 입력된 것으로 보이는 신청은 받지 않습니다. 사람이 직접 "
		       "작성했는데 이 화면이 보이면 기업SOS팀에 전화로 알려 주세요.",
		       "/request");
		return;
	}
	char nonce[33];
	enum form_check fc =
	    form_token_check(rq_form(rq, "form_token"), cfg->request_min_seconds, nonce);
	if (fc != FORM_OK) {
		json_t *fields = json_object();
		json_object_set_new(
		    fields, "form",
		    json_string(fc == FORM_FAST
		                    ? "신청서가 너무 빨리 제출되었습니다. 내용을 확인한 뒤 다시 "
		                      "제출해 주세요."
		                    : "신청서를 연 지 오래되었거나 올바르지 않습니다. 내용을 "
		                      "확인한 뒤 다시 제출해 주세요."));
		request_invalid(rq, rs, fields);
		return;
	}
	struct online_request_input in = {
	    .brn = rq_form(rq, "brn"),
	    .company_name = rq_form(rq, "company_name"),
	    .contact_name = rq_form(rq, "contact_name"),
	    .phone = rq_form(rq, "phone"),
	    .email = rq_form(rq, "email"),
	    .category_id = rq_form(rq, "category_id"),
	    .title = rq_form(rq, "title"),
	    .description = rq_form(rq, "description"),
	    .request = rq_form(rq, "request"),
	    .privacy_consent = checked(rq_form(rq, "privacy_consent")),
	    .contact_consent = checked(rq_form(rq, "contact_consent")),
	    .nonce = nonce,
	    .remote = rq->remote,
	};
	json_t *fields = json_object();
	struct online_file files[ONLINE_MAX_FILES];
	const char *paths[ONLINE_MAX_FILES];
	size_t nfiles = 0;
	bool files_ok = request_files(rq, files, paths, &nfiles, fields);
	if (!files_ok && json_object_size(fields) == 0) {
		json_decref(fields);
		web_error(rs, 500, "internal", "첨부파일을 읽지 못했습니다. 다시 시도해 주세요.");
		return;
	}
	bz_rc rc = online_request_check(rq->db, &in, fields);
	if (rc == BZ_ERR_DB || json_object_size(fields) > 0) {
		if (rc == BZ_ERR_DB) {
			json_decref(fields);
			web_error(rs, 500, "internal",
			          "신청을 저장하지 못했습니다. 다시 시도해 주세요.");
			return;
		}
		request_invalid(rq, rs, fields);
		return;
	}
	for (size_t i = 0; i < nfiles; i++) {
		if (!web_attach_store(cfg->data_dir, paths[i], files[i].sha256,
		                      files[i].stored_path, sizeof(files[i].stored_path))) {
			json_decref(fields);
			web_error(rs, 500, "internal",
			          "첨부파일을 저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
			return;
		}
	}
	char receipt[RECEIPT_NO_SIZE];
	bool replayed = false;
	rc = online_request_submit(rq->db, &in, files, nfiles, fields, receipt, NULL, &replayed);
	if (rc == BZ_ERR_INVALID) {
		request_invalid(rq, rs, fields);
		return;
	}
	json_decref(fields);
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal",
		          "신청을 저장하지 못했습니다. 잠시 후 다시 시도하거나 기업SOS팀에 "
		          "전화로 알려 주세요.");
		return;
	}
	if (!replayed)
		LOG_INFO("request: online request %s filed", receipt);
	show_receipt(rq, rs, receipt, replayed);
}

/* ---- /request/status ---------------------------------------------------- */

static json_t *status_form_model(void)
{
	return json_pack("{s:{s:s, s:s}, s:{}}", "values", "receipt", "", "brn", "", "errors");
}

void web_request_status_form(struct request *rq, struct response *rs)
{
	pthread_once(&once, init_once);
	public_page(rq, rs, 200, "public/status", "처리 상황 조회", status_form_model());
}

void web_request_status(struct request *rq, struct response *rs)
{
	pthread_once(&once, init_once);
	const struct config *cfg = &rq->app->cfg;
	int retry = 0;
	if (!ratelimit_hit(status_rl, rq->remote, cfg->status_limit, cfg->request_window, db_time(),
	                   &retry)) {
		LOG_WARN("request status: rate limit for %s", rq->remote);
		too_many(rq, rs, retry, "/request/status");
		return;
	}
	const char *receipt = rq_form(rq, "receipt"), *brn = rq_form(rq, "brn");
	json_t *fields = json_object();
	if (receipt == NULL || *receipt == '\0')
		json_object_set_new(fields, "receipt", json_string("접수번호를 입력해 주세요."));
	if (brn == NULL || *brn == '\0')
		json_object_set_new(fields, "brn", json_string("사업자등록번호를 입력해 주세요."));
	if (json_object_size(fields)) {
		json_t *m = status_form_model();
		json_object_set(m, "errors", fields);
		web_invalid(rs, "public/status", "처리 상황 조회", public_model(rq, m), fields);
		return;
	}
	json_decref(fields);
	json_t *st = NULL;
	bz_rc rc = online_request_status(rq->db, receipt, brn, &st);
	if (rc == BZ_ERR_NOTFOUND) {
		/* an unknown receipt and a receipt with another BRN: one answer, no echo */
		json_t *m = status_form_model();
		json_object_set_new(m, "not_found", json_true());
		json_object_set_new(m, "error",
		                    json_pack("{s:s, s:s}", "code", "not_found", "message",
		                              "입력한 접수번호와 사업자등록번호에 맞는 신청을 찾지 "
		                              "못했습니다. 두 번호를 다시 확인해 주세요."));
		public_page(rq, rs, 404, "public/status", "처리 상황 조회", m);
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal",
		          "처리 상황을 읽지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	json_t *m = json_pack("{s:o}", "result", st);
	public_page(rq, rs, 200, "public/status_result", "처리 상황", m);
}

/* ---- /survey/{token} ---------------------------------------------------- */

static void survey_gone(struct request *rq, struct response *rs)
{
	refuse(rq, rs, 404, "survey_not_found", "찾을 수 없는 조사 주소입니다",
	       "주소가 잘못되었거나 끝까지 복사되지 않았습니다. 받은 메일이나 문자의 주소를 "
	       "그대로 열어 주세요. 문제가 계속되면 기업SOS팀에 알려 주세요.",
	       "/request/status");
}

static void survey_page(struct request *rq, struct response *rs, int status, json_t *s,
                        json_t *fields)
{
	const char *state = json_string_value(json_object_get(s, "state"));
	json_t *values = json_object();
	static const char *const keys[] = {"speed", "kindness", "resolution"};
	static const char *const labels[] = {"신속성", "친절도", "해결 만족도"};
	static const char *const hints[] = {"요청부터 처리까지 얼마나 빨랐나요?",
	                                    "담당자의 응대는 친절했나요?",
	                                    "어려움이 해결된 정도에 만족하나요?"};
	static const char *const scale[] = {"",     "매우 불만족", "불만족",
	                                    "보통", "만족",        "매우 만족"};
	json_t *qs = json_array();
	for (size_t i = 0; i < 3; i++) {
		const char *v = fields ? rq_form(rq, keys[i]) : NULL;
		json_t *opts = json_array();
		for (int k = 5; k >= 1; k--) {
			char val[2] = {(char)('0' + k), 0}, id[32];
			snprintf(id, sizeof(id), "%s-%d", keys[i], k);
			json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b}", "value", val,
			                                      "id", id, "label", scale[k],
			                                      "checked", v && strcmp(v, val) == 0));
		}
		json_t *err = fields ? json_object_get(fields, keys[i]) : NULL;
		json_array_append_new(qs, json_pack("{s:s, s:s, s:s, s:o, s:O*}", "key", keys[i],
		                                    "label", labels[i], "hint", hints[i], "options",
		                                    opts, "error", err));
	}
	const char *comment = fields ? rq_form(rq, "comment") : NULL;
	json_object_set_new(values, "comment", json_string(comment ? comment : ""));
	json_object_set_new(s, "questions", qs);
	json_object_set_new(s, "values", values);
	json_object_set_new(s, "errors", fields ? json_incref(fields) : json_object());
	char action[128];
	snprintf(action, sizeof(action), "/survey/%s", rq_param(rq, "token"));
	json_object_set_new(s, "action", json_string(action));
	const char *title = strcmp(state, "answered") == 0 ? "이미 응답한 조사입니다"
	                    : strcmp(state, "expired") == 0 ? "응답 기한이 지난 조사입니다"
	                                                    : "만족도 조사";
	if (fields) {
		/* web_invalid takes a reference: the caller keeps its own */
		web_invalid(rs, "public/survey", title, public_model(rq, s), json_incref(fields));
		return;
	}
	public_page(rq, rs, status, "public/survey", title, s);
}

void web_survey_form(struct request *rq, struct response *rs)
{
	pthread_once(&once, init_once);
	json_t *s = NULL;
	bz_rc rc = survey_get(rq->db, rq_param(rq, "token"), &s);
	if (rc == BZ_ERR_NOTFOUND) {
		survey_gone(rq, rs);
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal",
		          "조사를 읽지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	const char *state = json_string_value(json_object_get(s, "state"));
	survey_page(rq, rs, strcmp(state, "expired") == 0 ? 410 : 200, s, NULL);
}

void web_survey_submit(struct request *rq, struct response *rs)
{
	pthread_once(&once, init_once);
	const struct config *cfg = &rq->app->cfg;
	int retry = 0;
	if (!ratelimit_hit(survey_rl, rq->remote, cfg->status_limit, cfg->request_window, db_time(),
	                   &retry)) {
		too_many(rq, rs, retry, "/request/status");
		return;
	}
	const char *token = rq_param(rq, "token");
	json_t *fields = json_object();
	bz_rc rc = survey_answer(rq->db, token, rq_form(rq, "speed"), rq_form(rq, "kindness"),
	                         rq_form(rq, "resolution"), rq_form(rq, "comment"), fields);
	json_t *s = NULL;
	if (rc == BZ_ERR_NOTFOUND) {
		json_decref(fields);
		survey_gone(rq, rs);
		return;
	}
	if (rc != BZ_OK && rc != BZ_ERR_INVALID && rc != BZ_ERR_CONFLICT && rc != BZ_ERR_LOCKED) {
		json_decref(fields);
		web_error(rs, 500, "internal",
		          "응답을 저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	if (survey_get(rq->db, token, &s) != BZ_OK) {
		json_decref(fields);
		web_error(rs, 500, "internal", "조사를 읽지 못했습니다.");
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		survey_page(rq, rs, 422, s, fields);
		json_decref(fields);
		return;
	}
	json_decref(fields);
	json_object_set_new(s, "thanks", json_boolean(rc == BZ_OK));
	survey_page(rq, rs, rc == BZ_OK ? 200 : rc == BZ_ERR_CONFLICT ? 409 : 410, s, NULL);
}
