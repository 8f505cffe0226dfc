/* What users do on the foundation: the command line, signing in and out, the
 * home page per role, changing a password, administering users, the audit log,
 * the JSON face of pages, and API tokens. */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static void cli(void)
{
	char db[512];
	t_path(db, sizeof(db), "cli.db");
	struct buf out;
	buf_init(&out, 0);
	CHECK(t_run(NULL, NULL, NULL) == 2, "no subcommand exits 2");
	CHECK(t_run(NULL, NULL, "frobnicate", NULL) == 2, "unknown subcommand exits 2");
	CHECK(t_run(NULL, NULL, "init", NULL) == 2, "init without --db exits 2");
	CHECK(t_run(NULL, NULL, "init", "--db", db, "--bogus", NULL) == 2, "unknown flag exits 2");
	CHECK(t_run(NULL, NULL, "serve", "--db", db, "--threads", "zero", NULL) == 2,
	      "bad --threads exits 2");
	CHECK_INT(t_run(NULL, &out, "init", "--db", db, NULL), 0);
	CHECK_CONTAINS(buf_cstr(&out), "schema version");
	CHECK(t_run("short\n", NULL, "user", "add", "--db", db, "--login", "kim", "--name", "김",
	            "--role", "staff", "--password-stdin", NULL) == 1,
	      "a weak password is refused");
	CHECK(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", db, "--login", "kim", "--name",
	            "김", "--role", "boss", "--password-stdin", NULL) == 2,
	      "an unknown role is refused");
	CHECK(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", db, "--login", "kim", "--name",
	            "김", "--role", "staff", NULL) == 2,
	      "the password must come from stdin");
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", db, "--login", "kim",
	                "--name", "김주무", "--role", "staff", "--password-stdin", NULL),
	          0);
	CHECK(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", db, "--login", "KIM", "--name",
	            "김", "--role", "staff", "--password-stdin", NULL) == 1,
	      "a duplicate login (any case) is refused");
	CHECK_INT(t_run("Another-pass-99\n", NULL, "user", "passwd", "--db", db, "--login", "kim",
	                "--password-stdin", NULL),
	          0);
	CHECK_INT(t_run(NULL, NULL, "user", "disable", "--db", db, "--login", "kim", NULL), 0);
	CHECK(t_run(NULL, NULL, "user", "disable", "--db", db, "--login", "nobody", NULL) == 1,
	      "disabling an unknown login fails");
	buf_reset(&out);
	char demo[512];
	t_path(demo, sizeof(demo), "demo.db");
	CHECK_INT(t_run(NULL, &out, "demo", "--db", demo, NULL), 0);
	CHECK_CONTAINS(buf_cstr(&out), "leader");
	CHECK_CONTAINS(buf_cstr(&out), "executive");
	CHECK(t_run(NULL, NULL, "demo", "--db", demo, NULL) == 1, "demo refuses an existing file");

	/* A database from a newer bizsos is refused and left untouched. */
	sqlite3 *h;
	sqlite3_open(db, &h);
	sqlite3_exec(h, "PRAGMA user_version = 9999", NULL, NULL, NULL);
	sqlite3_close(h);
	struct stat before, after;
	stat(db, &before);
	CHECK(t_run(NULL, NULL, "init", "--db", db, NULL) == 1, "newer schema refused");
	stat(db, &after);
	CHECK(before.st_size == after.st_size && before.st_mtime == after.st_mtime,
	      "newer database untouched");
	buf_free(&out);
}

int main(void)
{
	cli();

	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct resp r;

	/* Signing in lands on the home page with the user's name; next= is honoured
	 * only for local paths. */
	struct client c;
	t_client_init(&c, &d);
	t_get(&c, "/admin/users", &r);
	char loc[512] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	CHECK_STR(loc, "/login?next=/admin/users");
	t_resp_free(&r);
	t_get(&c, "/login", &r);
	CHECK_CONTAINS(r.body.s, "name=\"csrf\"");
	CHECK_CONTAINS(r.body.s, "lang=\"ko\"");
	t_resp_free(&r);
	CHECK_INT(t_login(&c, "staff", T_PASSWORD), 303);
	t_get(&c, "/", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "시험 staff");
	CHECK_CONTAINS(r.body.s, "주무관");
	CHECK(strstr(r.body.s, "/admin/users") == NULL, "staff sees no admin link");
	t_resp_free(&r);

	/* The JSON face of the same page. */
	const char *accept[] = {"Accept: application/json", NULL};
	t_request(&c, "GET", "/", NULL, NULL, 0, accept, &r);
	json_t *j = t_json(&r);
	CHECK(json_is_array(json_object_get(j, "cards")), "home JSON has cards: %s", r.body.s);
	/* the JSON face is the page's whole model, the chrome included */
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "me"), "login")), "staff");
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "page"), "title")), "홈");
	CHECK(json_is_array(json_object_get(j, "nav")), "home JSON has nav");
	CHECK(json_is_array(json_object_get(j, "breadcrumb")), "home JSON has breadcrumb");
	CHECK(json_is_string(json_object_get(j, "csrf")), "home JSON has the CSRF token");
	json_decref(j);
	t_resp_free(&r);
	t_get(&c, "/api/v1/", &r);
	CHECK_INT(r.status, 200);
	j = t_json(&r);
	CHECK_STR(json_string_value(json_object_get(j, "role")), "staff");
	json_decref(j);
	t_resp_free(&r);

	/* Changing the password: wrong current, mismatch, then right. */
	char form[512];
	snprintf(form, sizeof(form),
	         "current=nope&password=New-password-77&confirm=New-password-77");
	CHECK_INT(t_post_form(&c, "/account/password", form, &r), 422);
	CHECK_CONTAINS(r.body.s, "현재 비밀번호가 맞지 않습니다");
	t_resp_free(&r);
	snprintf(form, sizeof(form),
	         "current=" T_PASSWORD "&password=New-password-77&confirm=Other-password-77");
	CHECK_INT(t_post_form(&c, "/account/password", form, &r), 422);
	CHECK_CONTAINS(r.body.s, "서로 다릅니다");
	t_resp_free(&r);
	snprintf(form, sizeof(form),
	         "current=" T_PASSWORD "&password=New-password-77&confirm=New-password-77");
	CHECK_INT(t_post_form(&c, "/account/password", form, &r), 303);
	t_resp_free(&r);
	t_get(&c, "/", &r);
	CHECK_INT(r.status, 200); /* still signed in with a fresh session */
	CHECK_CONTAINS(r.body.s, "비밀번호를 바꿨습니다");
	t_resp_free(&r);
	t_fetch_csrf(&c, "/"); /* the fresh session has its own CSRF token */
	CHECK_INT(t_post_form(&c, "/logout", "", &r), 303);
	t_resp_free(&r);
	t_client_free(&c);
	t_client_init(&c, &d);
	CHECK_INT(t_login(&c, "staff", T_PASSWORD), 401);
	CHECK_INT(t_login(&c, "staff", "New-password-77"), 303);
	t_client_free(&c);

	/* Administration: add a user, refuse a duplicate and a weak password, re-role,
	 * disable; every change is in the audit log. */
	struct client a;
	t_client_init(&a, &d);
	CHECK_INT(t_login(&a, "admin", T_PASSWORD), 303);
	snprintf(form, sizeof(form),
	         "login=park&name=%%EB%%B0%%95&role=department&department=%%EA%%B1%%B4%%EC%%B6%%95%"
	         "%EA%%B3%%BC&password=" T_PASSWORD);
	CHECK_INT(t_post_form(&a, "/admin/users", form, &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, "/admin/users", form, &r), 422);
	CHECK_CONTAINS(r.body.s, "이미 있는 아이디");
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, "/admin/users", "login=lee&name=x&role=staff&password=abc", &r),
	          422);
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, "/admin/users", "login=../x&name=&role=king&password=", &r), 422);
	t_resp_free(&r);
	t_request(&a, "GET", "/api/v1/admin/users", NULL, NULL, 0, NULL, &r);
	j = t_json(&r);
	json_int_t park = 0;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(j, "users"), i, u)
	{
		if (strcmp(json_string_value(json_object_get(u, "login")), "park") == 0)
			park = json_integer_value(json_object_get(u, "id"));
	}
	json_decref(j);
	t_resp_free(&r);
	CHECK(park > 0, "new user listed");
	char path[128];
	snprintf(path, sizeof(path), "/admin/users/%lld/role", (long long)park);
	CHECK_INT(t_post_form(&a, path, "role=leader&department=", &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_post_form(&a, path, "role=emperor", &r), 422);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/admin/users/%lld/disable", (long long)park);
	CHECK_INT(t_post_form(&a, path, "", &r), 303);
	t_resp_free(&r);
	struct client p;
	t_client_init(&p, &d);
	CHECK_INT(t_login(&p, "park", T_PASSWORD), 401);
	t_client_free(&p);
	CHECK_INT(t_post_form(&a, "/admin/users/abc/disable", "", &r), 404);
	t_resp_free(&r);
	t_get(&a, "/admin/audit", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "park");
	t_resp_free(&r);

	/* API tokens: a bearer request needs no CSRF token. */
	struct buf out;
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "token", "create", "--db", d.db, "--login", "leader", "--label",
	                "시험", NULL),
	          0);
	struct client api;
	t_client_init(&api, &d);
	const char *tok = buf_cstr(&out);
	size_t tl = strcspn(tok, "\n");
	CHECK(tl < sizeof(api.bearer), "token fits");
	memcpy(api.bearer, tok, tl);
	api.bearer[tl] = '\0';
	t_get(&api, "/api/v1/", &r);
	CHECK_INT(r.status, 200);
	j = t_json(&r);
	CHECK_STR(json_string_value(json_object_get(j, "role")), "leader");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_request(&api, "POST", "/api/v1/account/password", "application/json",
	                    "{\"current\":\"x\"}", 15, NULL, &r),
	          422);
	j = t_json(&r);
	CHECK(json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "password") !=
	          NULL,
	      "field errors in JSON: %s", r.body.s);
	json_decref(j);
	t_resp_free(&r);
	t_client_free(&api);
	buf_free(&out);
	t_client_free(&a);

	/* The access log has one line per request. */
	CHECK_INT(t_daemon_stop(&d), 0);
	FILE *f = fopen(d.log, "r");
	char line[1024];
	int access = 0;
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " access GET /healthz") || strstr(line, " access POST /login"))
			access++;
	if (f)
		fclose(f);
	CHECK(access > 0, "access log lines");
	return t_done();
}
