/* API tokens can be listed and revoked (issue 15, point 4): `bizsos token
 * list/revoke`, the admin page, a user's own page, revocation on a password
 * change and on disable (re-enabling does not revive), and read-only tokens. */
#include "harness.h"

#include <stdlib.h>

static const struct daemon *dd;

/* GET /api/v1/cases with the bearer token; the status. */
static long with_token(const char *token, const char *method)
{
	struct client c;
	t_client_init(&c, dd);
	bz_strlcpy(c.bearer, token, sizeof(c.bearer));
	struct resp r;
	long st;
	if (strcmp(method, "GET") == 0)
		st = t_get(&c, "/api/v1/cases", &r);
	else
		st = t_request(&c, "POST", "/api/v1/account/tokens", "application/json",
		               "{\"label\":\"x\"}", 13, NULL, &r);
	t_resp_free(&r);
	t_client_free(&c);
	return st;
}

static void cli_token(const struct daemon *d, const char *login, const char *extra, char *out,
                      size_t outlen)
{
	struct buf b;
	buf_init(&b, 0);
	int rc = extra ? t_run(NULL, &b, "token", "create", "--db", d->db, "--login", login,
	                       "--label", "보고서 연동", extra, NULL)
	               : t_run(NULL, &b, "token", "create", "--db", d->db, "--login", login,
	                       "--label", "보고서 연동", NULL);
	CHECK_INT(rc, 0);
	bz_strlcpy(out, buf_cstr(&b) ? buf_cstr(&b) : "", outlen);
	out[strcspn(out, "\n")] = '\0';
	buf_free(&b);
}

/* The id of the newest token of login, from `bizsos token list`. */
static long long newest_id(const struct daemon *d, const char *login)
{
	struct buf b;
	buf_init(&b, 0);
	CHECK_INT(t_run(NULL, &b, "token", "list", "--db", d->db, "--login", login, NULL), 0);
	const char *s = buf_cstr(&b);
	const char *nl = s ? strchr(s, '\n') : NULL; /* skip the heading */
	long long id = nl ? atoll(nl + 1) : 0;
	buf_free(&b);
	return id;
}

int main(void)
{
	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	dd = &d;
	char tok[128], tok2[128], ro[128];

	/* CLI: create, list (no secret shown), revoke by id. */
	cli_token(&d, "staff", NULL, tok, sizeof(tok));
	CHECK_INT(with_token(tok, "GET"), 200);
	struct buf b;
	buf_init(&b, 0);
	CHECK_INT(t_run(NULL, &b, "token", "list", "--db", d.db, "--login", "staff", NULL), 0);
	CHECK_CONTAINS(buf_cstr(&b), "보고서 연동");
	CHECK(strstr(buf_cstr(&b), tok + 3) == NULL, "the secret is never listed");
	buf_reset(&b);
	char id[32];
	snprintf(id, sizeof(id), "%lld", newest_id(&d, "staff"));
	CHECK_INT(t_run(NULL, NULL, "token", "revoke", "--db", d.db, "--id", id, NULL), 0);
	CHECK_INT(with_token(tok, "GET"), 401);
	CHECK(t_run(NULL, NULL, "token", "revoke", "--db", d.db, "--id", id, NULL) != 0,
	      "revoking twice fails");
	CHECK(t_run(NULL, NULL, "token", "revoke", "--db", d.db, NULL) != 0, "needs --id or --all");

	/* CLI: revoke all of a login. */
	cli_token(&d, "staff", NULL, tok, sizeof(tok));
	cli_token(&d, "staff", NULL, tok2, sizeof(tok2));
	CHECK_INT(
	    t_run(NULL, &b, "token", "revoke", "--db", d.db, "--login", "staff", "--all", NULL), 0);
	CHECK_CONTAINS(buf_cstr(&b), "revoked 2");
	buf_free(&b);
	CHECK_INT(with_token(tok, "GET"), 401);
	CHECK_INT(with_token(tok2, "GET"), 401);

	/* Read-only: reads, never writes. */
	cli_token(&d, "staff", "--read-only", ro, sizeof(ro));
	CHECK_INT(with_token(ro, "GET"), 200);
	CHECK_INT(with_token(ro, "POST"), 403);

	/* A password change revokes the user's tokens, and the page says so. */
	cli_token(&d, "leader", NULL, tok, sizeof(tok));
	CHECK_INT(with_token(tok, "GET"), 200);
	struct client leader;
	t_client_init(&leader, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	struct resp r;
	t_get(&leader, "/account/password", &r);
	CHECK_CONTAINS(r.body.s, "API 토큰</a>은 모두 폐기됩니다");
	t_resp_free(&r);
	t_fetch_csrf(&leader, "/account/password");
	t_post_form(
	    &leader, "/account/password",
	    "current=" T_PASSWORD "&password=Leader-new-phrase-5&confirm=Leader-new-phrase-5", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(with_token(tok, "GET"), 401);
	t_get(&leader, "/", &r);
	CHECK_CONTAINS(r.body.s, "API 토큰은 모두 폐기되었습니다");
	t_resp_free(&r);

	/* The own page: create (shown once, read-only), list, revoke; never another's. */
	t_fetch_csrf(&leader, "/account/tokens");
	t_post_form(&leader, "/account/tokens", "label=%EC%A1%B0%ED%9A%8C%EC%9A%A9&scope=read", &r);
	CHECK_INT(r.status, 200);
	const char *p = r.body.s ? strstr(r.body.s, "bz_") : NULL;
	char mine[80] = "";
	if (p)
		bz_strlcpy(mine, p, 68);
	t_resp_free(&r);
	CHECK_INT(strlen(mine), 67);
	CHECK_INT(with_token(mine, "GET"), 200);
	CHECK_INT(with_token(mine, "POST"), 403);
	t_get(&leader, "/account/tokens", &r);
	CHECK_CONTAINS(r.body.s, "조회용");
	CHECK(strstr(r.body.s, mine) == NULL, "shown only once");
	t_resp_free(&r);
	t_post_form(&leader, "/account/tokens", "label=&scope=write", &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	cli_token(&d, "staff", NULL, tok2, sizeof(tok2));
	char path[96];
	snprintf(path, sizeof(path), "/account/tokens/%lld/revoke", newest_id(&d, "staff"));
	t_post_form(&leader, path, "", &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	CHECK_INT(with_token(tok2, "GET"), 200);
	snprintf(path, sizeof(path), "/account/tokens/%lld/revoke", newest_id(&d, "leader"));
	t_post_form(&leader, path, "", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(with_token(mine, "GET"), 401);
	t_client_free(&leader);

	/* The admin page lists everyone's tokens (label, owner, created, last used)
	 * and revokes; other roles get 403. */
	struct client admin, staff;
	t_client_init(&admin, &d);
	t_client_init(&staff, &d);
	CHECK_INT(t_login(&admin, "admin", T_PASSWORD), 303);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);
	CHECK_INT(t_get(&staff, "/admin/tokens", &r), 403);
	t_resp_free(&r);
	CHECK_INT(t_get(&admin, "/admin/tokens", &r), 200);
	CHECK_CONTAINS(r.body.s, "보고서 연동");
	CHECK_CONTAINS(r.body.s, "(staff)");
	CHECK_CONTAINS(r.body.s, "마지막 사용");
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/admin/tokens/%lld/revoke", newest_id(&d, "staff"));
	t_fetch_csrf(&admin, "/admin/tokens");
	t_post_form(&admin, path, "", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(with_token(tok2, "GET"), 401);

	/* Disabling revokes; enabling again does not revive. */
	cli_token(&d, "executive", NULL, tok, sizeof(tok));
	CHECK_INT(with_token(tok, "GET"), 200);
	CHECK_INT(t_run(NULL, NULL, "user", "disable", "--db", d.db, "--login", "executive", NULL),
	          0);
	CHECK_INT(with_token(tok, "GET"), 401);
	CHECK_INT(t_run(NULL, NULL, "user", "enable", "--db", d.db, "--login", "executive", NULL),
	          0);
	CHECK_INT(with_token(tok, "GET"), 401);
	t_client_free(&admin);
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
	return t_done();
}
