/* The request pipeline: route, authenticate, authorize, check CSRF, handle. */
#include "bizsos/privacy.h"
#include "bizsos/kst.h"
#include "bizsos/app.h"
#include "bizsos/web.h"

#include "server_internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_hex_token(const char *s)
{
	if (s == NULL || strlen(s) != SESSION_TOKEN_LEN)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool state_changing(enum http_method m)
{
	return m != HTTP_GET && m != HTTP_HEAD;
}

/* Sends an anonymous browser to the sign-in page, remembering where it was going. */
static void to_login(struct request *rq, struct response *rs, bool expired)
{
	struct buf next;
	buf_init(&next, 2048);
	buf_puts(&next, rq->path);
	for (size_t i = 0; i < rq->query.n; i++) {
		buf_putc(&next, i == 0 ? '?' : '&');
		buf_puts(&next, rq->query.items[i].key);
		buf_putc(&next, '=');
		buf_puts(&next, rq->query.items[i].value);
	}
	struct buf loc;
	buf_init(&loc, 4096);
	buf_puts(&loc, "/login");
	if (strcmp(rq->path, "/") != 0 && buf_cstr(&next)) {
		buf_puts(&loc, "?next=");
		buf_url_encode(&loc, buf_cstr(&next), "/");
	}
	web_redirect(rs, buf_cstr(&loc) ? buf_cstr(&loc) : "/login");
	if (expired)
		web_flash(rs, rq, "info", "expired");
	buf_free(&next);
	buf_free(&loc);
}

/* Authenticates by bearer token or session cookie. Returns false (rs filled) when
 * a bearer token is given but is not valid. *expired tells a stale session cookie. */
static bool authenticate(struct request *rq, struct response *rs, const char *authorization,
                         bool *expired)
{
	*expired = false;
	if (authorization && strncasecmp(authorization, "Bearer ", 7) == 0) {
		const char *tok = authorization + 7;
		while (*tok == ' ')
			tok++;
		if (token_lookup(rq->db, tok, &rq->user, &rq->token_read_only) != BZ_OK) {
			rq->api = true;
			web_error(rs, 401, "bad_token",
			          "API 토큰이 올바르지 않거나 폐기되었습니다.");
			return false;
		}
		rq->signed_in = true;
		rq->via_token = true;
		return true;
	}
	const char *cookie = kv_get(&rq->cookies, "bz_session");
	if (cookie && is_hex_token(cookie)) {
		rq->gen = db_generation(rq->db);
		if (session_lookup(rq->db, cookie, rq->app->cfg.session_idle, rq->gen, &rq->user,
		                   rq->csrf) == BZ_OK) {
			rq->signed_in = true;
			bz_strlcpy(rq->session, cookie, sizeof(rq->session));
			return true;
		}
	}
	if (cookie) {
		*expired = true;
		web_set_cookie(rs, rq, "bz_session", "", 0);
	}
	/* Anonymous forms (sign-in) carry a double-submit token from this cookie. */
	const char *pre = kv_get(&rq->cookies, "bz_csrf");
	if (is_hex_token(pre)) {
		bz_strlcpy(rq->csrf, pre, sizeof(rq->csrf));
	} else {
		unsigned char raw[SESSION_TOKEN_LEN / 2];
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(rq->csrf, sizeof(rq->csrf), raw, sizeof(raw));
		web_set_cookie(rs, rq, "bz_csrf", rq->csrf, -1);
	}
	return true;
}

static void dispatch_inner(struct request *rq, struct response *rs, const char *authorization,
                           const char *csrf_header);

/* The pages the rendered-page cache may keep (page_cache.c): read-only HTML
 * pages whose content is the database's, the day's and the signed-in user's. */
static const char *const cached_routes[] = {
    "/",          "/dashboard",      "/card",          "/progress",
    "/week",      "/cases",          "/cases/overdue", "/cases/{id}",
    "/companies", "/companies/{id}", "/activities",    "/activities/{id}",
};

/* A handler's 500 whose statement waited in vain for the write lock of
 * another connection or process (a backup, the command line, a long import):
 * the database is busy, not broken. 503 with Retry-After, in one place for
 * every handler (each maps its failures to 500 without knowing why). */
static void busy_to_503(struct response *rs)
{
	if (rs->status != 500 || !db_busy_seen())
		return;
	web_error(rs, 503, "busy",
	          "다른 작업이 데이터베이스를 쓰고 있어 처리하지 못했습니다. 잠시 후 다시 시도해 "
	          "주세요.");
	web_retry_after(rs, 5);
}

/* Serves the page from the cache (true: rs filled, the handler must not run),
 * or notes in rq the key to keep it under once rendered. */
static bool page_from_cache(struct request *rq, struct response *rs, const struct route *route)
{
	rq->page_key[0] = '\0';
	if (rq->method != HTTP_GET || rq->api || !rq->signed_in || rq->via_token ||
	    kv_get(&rs->headers, "Set-Cookie") != NULL ||
	    kv_get(&rq->cookies, "bz_flash") != NULL || rq_header(rq, "X-Bizsos-Fault") != NULL)
		return false;
	bool listed = false;
	for (size_t i = 0; i < BZ_ARRAY_LEN(cached_routes) && !listed; i++)
		listed = strcmp(route->pattern, cached_routes[i]) == 0;
	if (!listed)
		return false;
	uint64_t gen = rq->gen ? rq->gen : db_generation(rq->db);
	if (gen == 0)
		return false;
	char day[DATE_TEXT_SIZE];
	kst_today(day);
	bool gzip = rq_accepts_encoding(rq, "gzip");
	if (!page_cache_key(rq, gzip, rq->page_key, sizeof(rq->page_key))) {
		rq->page_key[0] = '\0';
		return false;
	}
	char *body = NULL;
	size_t len = 0;
	bool gz = false;
	if (page_cache_fetch(rq->db, rq->page_key, &gen, day, &body, &len, &gz, &rq->page_ticket)) {
		rq->page_key[0] = '\0'; /* nothing to keep */
		rs->status = 200;
		rs->body = body;
		rs->body_len = len;
		bz_strlcpy(rs->content_type, "text/html; charset=utf-8", sizeof(rs->content_type));
		if (gz)
			kv_add(&rs->headers, "Content-Encoding", "gzip", 4);
		kv_add(&rs->headers, "Vary", "Accept-Encoding", 15);
		kv_add(&rs->headers, "Cache-Control", "no-store", 8);
		return true;
	}
	if (gen == 0) { /* waited, and the generation could not be read: keep nothing */
		rq->page_key[0] = '\0';
		return false;
	}
	rq->page_gen = gen;
	rq->page_headers = rs->headers.n; /* the handler must add none (a cookie) */
	bz_strlcpy(rq->page_day, day, sizeof(rq->page_day));
	return false;
}

/* What a user whose password an administrator set may still reach. */
static bool open_before_password_change(const struct request *rq)
{
	return strcmp(rq->path, "/account/password") == 0 || strcmp(rq->path, "/logout") == 0;
}

void dispatch(struct request *rq, struct response *rs, const char *authorization,
              const char *csrf_header)
{
	dispatch_inner(rq, rs, authorization, csrf_header);
	if (rq->db)
		db_end_request(rq->db);
}

static void dispatch_inner(struct request *rq, struct response *rs, const char *authorization,
                           const char *csrf_header)
{
	int status = 0;
	const struct route *route = router_match(rq->method, rq->path, &rq->params, &status);
	if (route == NULL) {
		/* Show the error inside the signed-in user's chrome when we can. */
		bool expired;
		rq->db = app_db(rq->app);
		if (rq->db && !(rq->path[0] == '/' && strncmp(rq->path, "/static/", 8) == 0))
			(void)authenticate(rq, rs, authorization, &expired);
		if (status == 405) {
			char allow[64];
			router_allow(rq->path, allow, sizeof(allow));
			kv_add(&rs->headers, "Allow", allow, strlen(allow));
			web_error(rs, 405, "method_not_allowed",
			          "이 주소에서는 허용되지 않는 요청 방식입니다.");
		} else {
			web_error(rs, 404, "not_found",
			          "요청하신 페이지가 없거나 옮겨졌습니다. 주소를 확인해 주세요.");
		}
		return;
	}
	if ((route->roles & ROLE_BARE) == ROLE_BARE) {
		route->handler(rq, rs);
		return;
	}
	rq->db = app_db(rq->app);
	if (rq->db == NULL) {
		web_error(rs, 503, "unavailable",
		          "데이터베이스를 열 수 없습니다. 관리자에게 알려 주세요.");
		return;
	}
	bool expired = false;
	if (!authenticate(rq, rs, authorization, &expired))
		return;

	if (!(route->roles & ROLE_PUBLIC)) {
		if (!rq->signed_in) {
			if (rq->api || state_changing(rq->method))
				web_error(rs, 401, expired ? "session_expired" : "unauthenticated",
				          expired ? "로그인 시간이 지나 로그아웃되었습니다. 다시 "
				                    "로그인해 주세요."
				                  : "로그인이 필요합니다.");
			else
				to_login(rq, rs, expired);
			return;
		}
		if (!(route->roles & rq->user.role)) {
			web_error(rs, 403, "forbidden",
			          "이 화면을 볼 권한이 없습니다. 필요하면 관리자에게 권한을 "
			          "요청해 주세요.");
			return;
		}
	}
	if (rq->signed_in && rq->via_token && rq->token_read_only && state_changing(rq->method)) {
		web_error(rs, 403, "read_only_token",
		          "읽기 전용 API 토큰으로는 내용을 바꿀 수 없습니다.");
		return;
	}
	if (rq->signed_in && rq->user.must_change_password && !open_before_password_change(rq)) {
		if (rq->api || state_changing(rq->method))
			web_error(rs, 403, "password_change_required",
			          "관리자가 정한 비밀번호입니다. 먼저 비밀번호를 바꿔 주세요.");
		else
			web_redirect(rs, "/account/password");
		return;
	}
	if (state_changing(rq->method) && !rq->via_token) {
		const char *sent = rq_form(rq, "csrf");
		if (sent == NULL)
			sent = csrf_header;
		if (sent == NULL || rq->csrf[0] == '\0' || !bz_streq_ct(sent, rq->csrf)) {
			web_error(rs, 403, "csrf",
			          "보안 확인값이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 "
			          "시도해 주세요.");
			return;
		}
	}
	if (page_from_cache(rq, rs, route))
		return;
	privacy_set_request_remote(rq->remote); /* for the access log (privacy.h) */
	db_busy_reset();
#ifdef BIZSOS_FAULT_INJECTION
	/* test-only: "X-Bizsos-Fault: step=N" or "prepare=N" fails the handler's Nth one */
	const char *fault = rq_header(rq, "X-Bizsos-Fault");
	if (fault && strncmp(fault, "step=", 5) == 0)
		db_fault_arm(strtol(fault + 5, NULL, 10), 0);
	else if (fault && strncmp(fault, "prepare=", 8) == 0)
		db_fault_arm(0, strtol(fault + 8, NULL, 10));
	route->handler(rq, rs);
	if (fault) {
		kv_add(&rs->headers, "X-Bizsos-Fault-Fired", db_fault_fired() ? "1" : "0", 1);
		const char *what = db_fault_what();
		kv_add(&rs->headers, "X-Bizsos-Fault-Sql", what, strlen(what));
	}
#else
	route->handler(rq, rs);
#endif
	busy_to_503(rs);
	privacy_set_request_remote(NULL);
}
