/* Sign-in, sign-out and changing one's own password. */
#include "bizsos/app.h"
#include "bizsos/view.h"
#include "bizsos/account.h"
#include "bizsos/totp.h"
#include "bizsos/web.h"
#include "web_privacy.h"

#include <string.h>

static const char *safe_next(const char *next)
{
	return web_local_path(next) && strncmp(next, "/login", 6) != 0 ? next : "/";
}

static json_t *login_model(const char *login, const char *next)
{
	return json_pack("{s:s, s:s}", "login", login ? login : "", "next", safe_next(next));
}

void web_login_form(struct request *rq, struct response *rs)
{
	if (rq->signed_in) {
		web_redirect(rs, safe_next(rq_query(rq, "next")));
		return;
	}
	web_page(rs, "auth/login", "로그인", login_model(NULL, rq_query(rq, "next")));
}

void web_login(struct request *rq, struct response *rs)
{
	const char *login = rq_form(rq, "login");
	const char *password = rq_form(rq, "password");
	const char *next = rq_form(rq, "next");
	json_t *model = login_model(login, next);

	if (login == NULL || *login == '\0' || password == NULL || *password == '\0') {
		json_t *fields = json_object();
		if (login == NULL || *login == '\0')
			json_object_set_new(fields, "login",
			                    json_string("아이디를 입력해 주세요."));
		if (password == NULL || *password == '\0')
			json_object_set_new(fields, "password",
			                    json_string("비밀번호를 입력해 주세요."));
		json_object_set_new(model, "error",
		                    json_string("아이디와 비밀번호를 입력해 주세요."));
		web_invalid(rs, "auth/login", "로그인", model, fields);
		return;
	}
	struct user u;
	int retry = 0;
	struct auth_attempt at = {.login = login, .password = password, .address = rq->remote};
	bz_rc rc = auth_login(rq->db, &at, &u, &retry);
	if (rc == BZ_ERR_THROTTLED || rc == BZ_ERR_BUSY) {
		json_decref(model);
		web_retry_after(rs, retry);
		web_error(
		    rs, rc == BZ_ERR_BUSY ? 503 : 429, rc == BZ_ERR_BUSY ? "busy" : "throttled",
		    rc == BZ_ERR_BUSY ? "로그인 요청이 몰려 있습니다. 잠시 후 다시 시도해 주세요."
		                      : "로그인 시도가 너무 많습니다. 잠시 기다린 뒤 다시 "
		                        "시도해 주세요.");
		return;
	}
	if (rc != BZ_OK) {
		/* One answer for an unknown login, a wrong password, a disabled or a
		 * locked account: nothing here tells them apart. */
		json_object_set_new(model, "error",
		                    json_string("아이디 또는 비밀번호가 맞지 않습니다. 여러 번 "
		                                "틀리면 잠시 로그인할 수 없습니다."));
		web_page_status(rs, rc == BZ_ERR_NOTFOUND ? 401 : 500, "auth/login", "로그인",
		                model);
		rs->err_code = "bad_credentials";
		bz_strlcpy(rs->err_message, "아이디 또는 비밀번호가 맞지 않습니다.",
		           sizeof(rs->err_message));
		return;
	}
	/* Admins and leaders with a second factor: the code first (/login/totp). */
	if ((u.role == ROLE_ADMIN || u.role == ROLE_LEADER) && totp_enabled(rq->db, u.id)) {
		char pending[65];
		json_decref(model);
		if (totp_pending_login(rq->db, u.id, safe_next(next), pending) != BZ_OK) {
			web_error(rs, 500, "internal", "로그인을 이어 가지 못했습니다.");
			return;
		}
		web_set_cookie(rs, rq, "bz_mfa", pending, 300);
		web_redirect(rs, "/login/totp");
		rs->model = json_pack("{s:s, s:b}", "login", u.login, "second_factor", true);
		return;
	}
	char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
	if (session_create(rq->db, u.id, token, csrf) != BZ_OK) {
		json_decref(model);
		web_error(rs, 500, "internal", "로그인 세션을 만들지 못했습니다.");
		return;
	}
	/* the device and address a user sees in their session list */
	account_session_describe(rq->db, token, rq_header(rq, "User-Agent"), rq->remote);
	web_set_cookie(rs, rq, "bz_session", token, -1);
	web_redirect(rs, u.must_change_password ? "/account/password" : safe_next(next));
	/* The JSON face of a sign-in: who and the CSRF token for later forms. */
	json_decref(model);
	rs->model = json_pack("{s:s, s:s, s:s, s:b}", "login", u.login, "role", role_name(u.role),
	                      "csrf", csrf, "must_change_password", u.must_change_password);
}

void web_logout(struct request *rq, struct response *rs)
{
	if (rq->session[0])
		session_destroy(rq->db, rq->session);
	web_set_cookie(rs, rq, "bz_session", "", 0);
	web_flash(rs, rq, "success", "signed_out");
	web_redirect(rs, "/login");
}

static json_t *password_model(const struct request *rq)
{
	return json_pack("{s:b}", "must_change", rq->user.must_change_password);
}

void web_password_form(struct request *rq, struct response *rs)
{
	web_page(rs, "account/password", "비밀번호 변경", password_model(rq));
}

void web_password(struct request *rq, struct response *rs)
{
	const char *current = rq_form(rq, "current");
	const char *pw = rq_form(rq, "password");
	const char *confirm = rq_form(rq, "confirm");
	json_t *fields = json_object();
	if (current == NULL || *current == '\0')
		json_object_set_new(fields, "current",
		                    json_string("현재 비밀번호를 입력해 주세요."));
	const char *rule = pw ? password_check_rule(pw) : "새 비밀번호를 입력해 주세요.";
	if (rule)
		json_object_set_new(fields, "password", json_string(rule));
	else if (confirm == NULL || strcmp(pw, confirm) != 0)
		json_object_set_new(fields, "confirm",
		                    json_string("새 비밀번호와 확인이 서로 다릅니다."));
	if (json_object_size(fields) == 0) {
		struct user u;
		struct auth_attempt at = {
		    .login = rq->user.login, .password = current, .address = rq->remote};
		bz_rc rc = auth_login(rq->db, &at, &u, NULL);
		if (rc != BZ_OK)
			json_object_set_new(
			    fields, "current",
			    json_string(
			        rc == BZ_ERR_THROTTLED || rc == BZ_ERR_BUSY
			            ? "확인 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."
			            : "현재 비밀번호가 맞지 않습니다."));
		else if (strcmp(current, pw) == 0)
			json_object_set_new(
			    fields, "password",
			    json_string("지금 비밀번호와 다른 비밀번호를 정해 주세요."));
	}
	if (json_object_size(fields) > 0) {
		web_invalid(rs, "account/password", "비밀번호 변경", password_model(rq), fields);
		return;
	}
	json_decref(fields);
	char msg[256] = "";
	bz_rc rc = user_set_password(rq->db, rq->user.id, rq->user.login, pw, msg, sizeof(msg));
	if (rc != BZ_OK) {
		web_error(rs, rc == BZ_ERR_INVALID ? 422 : 500, "invalid",
		          msg[0] ? msg : "비밀번호를 바꾸지 못했습니다.");
		return;
	}
	/* Changing the password ended every session: start a fresh one for this browser. */
	if (!rq->via_token) {
		char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
		if (session_create(rq->db, rq->user.id, token, csrf) == BZ_OK) {
			account_session_describe(rq->db, token, rq_header(rq, "User-Agent"),
			                         rq->remote);
			web_set_cookie(rs, rq, "bz_session", token, -1);
		}
	}
	web_flash(rs, rq, "success", "password_changed");
	web_redirect(rs, "/");
}

/* ---- the second factor ------------------------------------------------------ */

void web_login_totp_form(struct request *rq, struct response *rs)
{
	int64_t uid = 0;
	char next[512];
	if (totp_pending_get(rq->db, kv_get(&rq->cookies, "bz_mfa"), &uid, next, sizeof(next)) !=
	    BZ_OK) {
		web_redirect(rs, "/login");
		return;
	}
	web_page(rs, "auth/totp", "2단계 인증", json_pack("{}"));
}

void web_login_totp(struct request *rq, struct response *rs)
{
	const char *pending = kv_get(&rq->cookies, "bz_mfa");
	int64_t uid = 0;
	char next[512];
	if (totp_pending_get(rq->db, pending, &uid, next, sizeof(next)) != BZ_OK) {
		/* no sign-in under way (or it expired): start again */
		web_set_cookie(rs, rq, "bz_mfa", "", 0);
		web_flash(rs, rq, "info", "mfa_expired");
		web_redirect(rs, "/login");
		return;
	}
	const char *code = rq_form(rq, "code");
	if (totp_check(rq->db, uid, code) != BZ_OK) {
		totp_pending_fail(rq->db, pending);
		web_page_status(rs, 401, "auth/totp", "2단계 인증",
		                json_pack("{s:s}", "error",
		                          "인증 코드가 맞지 않습니다. 앱에 보이는 6자리 숫자나 "
		                          "복구 코드를 입력해 주세요."));
		return;
	}
	totp_pending_done(rq->db, pending);
	web_set_cookie(rs, rq, "bz_mfa", "", 0);
	char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
	if (session_create(rq->db, uid, token, csrf) != BZ_OK) {
		web_error(rs, 500, "internal", "로그인 세션을 만들지 못했습니다.");
		return;
	}
	account_session_describe(rq->db, token, rq_header(rq, "User-Agent"), rq->remote);
	web_set_cookie(rs, rq, "bz_session", token, -1);
	web_redirect(rs, safe_next(next));
	rs->model = json_pack("{s:s}", "csrf", csrf);
}

static void totp_page(struct request *rq, struct response *rs, int status, json_t *extra)
{
	json_t *m = json_pack("{s:b}", "enabled", totp_enabled(rq->db, rq->user.id));
	json_t *pend = NULL;
	if (!json_is_true(json_object_get(m, "enabled")) &&
	    totp_pending(rq->db, rq->user.id, rq->user.login, &pend) == BZ_OK && pend)
		json_object_set_new(m, "pending", pend);
	if (extra) {
		json_object_update(m, extra);
		json_decref(extra);
	}
	web_page_status(rs, status, "account/totp", "2단계 인증", m);
}

void web_account_totp(struct request *rq, struct response *rs)
{
	totp_page(rq, rs, 200, NULL);
}

void web_account_totp_begin(struct request *rq, struct response *rs)
{
	json_t *out = NULL;
	bz_rc rc = totp_begin(rq->db, rq->user.id, rq->user.login, &out);
	json_decref(out);
	if (rc != BZ_OK && rc != BZ_ERR_CONFLICT) {
		web_error(rs, 500, "internal", "2단계 인증을 시작하지 못했습니다.");
		return;
	}
	web_redirect(rs, "/account/totp");
}

void web_account_totp_enable(struct request *rq, struct response *rs)
{
	json_t *codes = NULL;
	bz_rc rc = totp_enable(rq->db, rq->user.id, rq_form(rq, "code"), &codes);
	if (rc == BZ_ERR_INVALID) {
		totp_page(
		    rq, rs, 422,
		    json_pack(
		        "{s:{s:s}}", "errors", "code",
		        "인증 코드가 맞지 않습니다. 앱에 지금 보이는 6자리를 입력해 주세요."));
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "2단계 인증을 켜지 못했습니다.");
		return;
	}
	/* the recovery codes are shown this once */
	totp_page(rq, rs, 200,
	          json_pack("{s:o, s:b}", "recovery_codes", codes, "has_recovery_codes", true));
}

void web_account_totp_disable(struct request *rq, struct response *rs)
{
	bz_rc rc = totp_disable(rq->db, rq->user.id, rq_form(rq, "code"));
	if (rc == BZ_ERR_INVALID) {
		totp_page(rq, rs, 422,
		          json_pack("{s:{s:s}}", "errors", "code",
		                    "인증 코드가 맞지 않습니다. 앱의 6자리나 복구 코드를 입력해 "
		                    "주세요."));
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "2단계 인증을 끄지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "totp_disabled");
	web_redirect(rs, "/account/totp");
}
