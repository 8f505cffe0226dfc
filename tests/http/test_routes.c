/* Walks every route in the router table for anonymous and every role, and checks
 * the outcome: allowed, 403, or (anonymous) a redirect to the sign-in page. */
#include "bizsos/http.h"
#include "harness.h"

#include <stdlib.h>

static const struct {
	const char *login;
	int role;
} roles[] = {
    {"staff", ROLE_STAFF},           {"leader", ROLE_LEADER}, {"executive", ROLE_EXECUTIVE},
    {"department", ROLE_DEPARTMENT}, {"admin", ROLE_ADMIN},
};

/* A concrete path for a pattern: {id} becomes an id no record has; a final
 * star segment becomes an existing static file. */
static void concrete(const char *pattern, char *out, size_t outlen)
{
	struct buf b;
	buf_init(&b, outlen);
	for (const char *p = pattern; *p; p++) {
		if (*p == '{') {
			buf_puts(&b, "999999");
			p = strchr(p, '}');
		} else if (*p == '*' && p[1] == '\0') {
			buf_puts(&b, "css/app.css");
		} else {
			buf_putc(&b, *p);
		}
	}
	bz_strlcpy(out, buf_cstr(&b) ? buf_cstr(&b) : "/", outlen);
	buf_free(&b);
}

static const char *method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET:
		return "GET";
	case HTTP_POST:
		return "POST";
	case HTTP_PUT:
		return "PUT";
	case HTTP_PATCH:
		return "PATCH";
	case HTTP_DELETE:
		return "DELETE";
	default:
		return "HEAD";
	}
}

static int call(struct client *c, const struct route *r, struct resp *res)
{
	char path[256];
	concrete(r->pattern, path, sizeof(path));
	if (r->method == HTTP_GET)
		return t_get(c, path, res);
	return t_post_form(c, path, "", res);
}

int main(void)
{
	/* Every route names roles, and only known bits. */
	for (size_t i = 0; i < web_route_count; i++) {
		const struct route *r = &web_routes[i];
		CHECK(r->roles != 0, "%s has no roles", r->pattern);
		CHECK((r->roles & ~(ROLE_ANY_USER | ROLE_BARE)) == 0, "%s has unknown role bits",
		      r->pattern);
		CHECK(r->handler != NULL, "%s has no handler", r->pattern);
	}

	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}

	/* Anonymous: public routes answer, the rest send the browser to sign in
	 * (GET) or answer 401 (POST, API). */
	struct client anon;
	t_client_init(&anon, &d);
	t_fetch_csrf(&anon, "/login");
	for (size_t i = 0; i < web_route_count; i++) {
		const struct route *r = &web_routes[i];
		struct resp res;
		int st = call(&anon, r, &res);
		char loc[512] = "";
		t_header(&res, "Location", loc, sizeof(loc));
		if (r->roles & ROLE_PUBLIC) {
			CHECK(st != 401 && st != 403 && strncmp(loc, "/login?", 7) != 0,
			      "anonymous %s %s -> %d", method_name(r->method), r->pattern, st);
		} else if (r->method == HTTP_GET) {
			CHECK(st == 303 && strncmp(loc, "/login", 6) == 0,
			      "anonymous GET %s -> %d %s, expected sign-in redirect", r->pattern,
			      st, loc);
		} else {
			CHECK(st == 401, "anonymous %s %s -> %d, expected 401",
			      method_name(r->method), r->pattern, st);
		}
		t_resp_free(&res);
	}
	t_client_free(&anon);

	/* Each role: allowed routes do not answer 401/403; the others answer 403. */
	for (size_t k = 0; k < BZ_ARRAY_LEN(roles); k++) {
		struct client c;
		t_client_init(&c, &d);
		int st = t_login(&c, roles[k].login, T_PASSWORD);
		CHECK_INT(st, 303);
		for (size_t i = 0; i < web_route_count; i++) {
			const struct route *r = &web_routes[i];
			if (strcmp(r->pattern, "/logout") == 0 || strcmp(r->pattern, "/login") == 0)
				continue; /* would end or replace this client's session */
			struct resp res;
			st = call(&c, r, &res);
			bool allowed = (r->roles & ROLE_PUBLIC) || (r->roles & roles[k].role);
			if (allowed)
				CHECK(st != 401 && st != 403 && st != 500 && st > 0,
				      "%s %s %s -> %d, expected allowed", roles[k].login,
				      method_name(r->method), r->pattern, st);
			else
				CHECK(st == 403, "%s %s %s -> %d, expected 403", roles[k].login,
				      method_name(r->method), r->pattern, st);
			t_resp_free(&res);
		}
		/* The API face of the same routes answers JSON with the same rules. */
		struct resp res;
		st = t_get(&c, "/api/v1/admin/users", &res);
		CHECK_INT(st, roles[k].role == ROLE_ADMIN ? 200 : 403);
		json_t *j = t_json(&res);
		CHECK(j != NULL, "API answer is JSON: %s", res.body.s);
		if (roles[k].role != ROLE_ADMIN)
			CHECK_STR(
			    json_string_value(json_object_get(json_object_get(j, "error"), "code")),
			    "forbidden");
		json_decref(j);
		t_resp_free(&res);

		st = t_post_form(&c, "/logout", "", &res);
		CHECK_INT(st, 303);
		t_resp_free(&res);
		st = t_get(&c, "/", &res);
		CHECK_INT(st, 303);
		t_resp_free(&res);
		t_client_free(&c);
	}
	CHECK_INT(t_daemon_stop(&d), 0);
	return t_done();
}
