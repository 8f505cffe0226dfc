/* The API contract: /api/v1/openapi.json describes every route of the router
 * table (but the bare ones: static files, favicon, health check) with its
 * method, and every described path and method is a route; path parameters
 * are declared; operationIds are unique; errors share one schema. Then the
 * JSON faces: an ETag on GET pages and 304 for If-None-Match with it (200
 * again once the data changed); collection pages by ?limit= and the opaque
 * next_cursor, to the end; a bad cursor or limit is a Korean 400.
 * (tests/e2e/openapi.test.js validates the document as OpenAPI 3.1.) */
#include "harness.h"

#include "bizsos/http.h"
#include "bizsos/web_openapi.h"
#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

static const char *method_key(enum http_method m)
{
	return m == HTTP_GET ? "get" : m == HTTP_POST ? "post" : NULL;
}

static enum http_method method_of(const char *k)
{
	return strcmp(k, "get") == 0 ? HTTP_GET : strcmp(k, "post") == 0 ? HTTP_POST : HTTP_OTHER;
}

/* "/cases/{id}/referrals/{rid}" -> "/cases/1/referrals/1" ({day}: a date, {kind}: result) */
static void concrete(const char *pattern, char *out, size_t outlen)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 12 < outlen;) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			const char *v = strncmp(p, "{day}", 5) == 0    ? "2024-01-01"
			                : strncmp(p, "{kind}", 6) == 0 ? "result"
			                                               : "1";
			n += (size_t)snprintf(out + n, outlen - n, "%s", v);
			p = e ? e + 1 : p + strlen(p);
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
}

static void contract(void)
{
	struct client anon;
	t_client_init(&anon, &d);
	struct resp r;
	t_get(&anon, "/api/v1/openapi.json", &r);
	CHECK_INT(r.status, 200);
	json_t *doc = t_json(&r);
	t_resp_free(&r);
	CHECK(doc != NULL, "not JSON");
	if (doc == NULL)
		return;
	CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	json_t *paths = json_object_get(doc, "paths");
	CHECK(json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
	                      "Error") != NULL,
	      "Error schema");

	/* every route is described */
	size_t described = 0;
	for (size_t i = 0; i < web_route_count; i++) {
		const struct route *rt = &web_routes[i];
		json_t *item = json_object_get(paths, rt->pattern);
		const char *m = method_key(rt->method);
		if (!web_openapi_described(rt)) {
			CHECK(item == NULL, "bare route %s is in the document", rt->pattern);
			continue;
		}
		described++;
		CHECK(m && json_object_get(item, m) != NULL, "route %s %s is not described",
		      rt->method == HTTP_GET ? "GET" : "POST", rt->pattern);
		/* its path parameters are declared */
		json_t *op = json_object_get(item, m);
		for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
			const char *e = strchr(p, '}');
			char name[32];
			snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
			bool found = false;
			size_t k;
			json_t *prm;
			json_array_foreach(json_object_get(op, "parameters"), k, prm)
			{
				const char *pn = json_string_value(json_object_get(prm, "name"));
				if (pn && strcmp(pn, name) == 0 &&
				    strcmp(json_string_value(json_object_get(prm, "in")), "path") ==
				        0)
					found = true;
			}
			CHECK(found, "%s: path parameter %s not declared", rt->pattern, name);
		}
	}
	CHECK(described > 100, "only %zu routes described", described);

	/* every described path and method is a route; operationIds unique */
	json_t *ids = json_object();
	const char *path;
	json_t *item;
	size_t ops = 0;
	json_object_foreach(paths, path, item)
	{
		const char *mk;
		json_t *op;
		json_object_foreach(item, mk, op)
		{
			ops++;
			char url[512];
			concrete(path, url, sizeof(url));
			struct kvlist params = {0};
			int status = 0;
			const struct route *rt = router_match(method_of(mk), url, &params, &status);
			kv_free(&params);
			CHECK(rt != NULL && strcmp(rt->pattern, path) == 0,
			      "described %s %s is not a route (%d)", mk, path, status);
			const char *id = json_string_value(json_object_get(op, "operationId"));
			CHECK(id && json_object_get(ids, id) == NULL, "operationId %s twice",
			      id ? id : "(none)");
			if (id)
				json_object_set_new(ids, id, json_true());
			CHECK(json_object_get(json_object_get(op, "responses"), "200") != NULL,
			      "%s %s: no 200", mk, path);
		}
	}
	CHECK_INT(ops, described);
	json_decref(ids);
	/* a download is described as a file, a page as the model */
	json_t *csv = json_object_get(json_object_get(paths, "/cases.csv"), "get");
	CHECK(json_object_get(
	          json_object_get(json_object_get(json_object_get(csv, "responses"), "200"),
	                          "content"),
	          "text/csv") != NULL,
	      "/cases.csv as text/csv");
	/* pages are described by their own model, writes by their form's fields,
	 * the chrome is one shared schema, paged lists take cursor and limit */
	json_t *acts = json_object_get(json_object_get(paths, "/activities"), "get");
	json_t *schema = json_object_get(
	    json_object_get(
	        json_object_get(json_object_get(json_object_get(acts, "responses"), "200"),
	                        "content"),
	        "application/json"),
	    "schema");
	char *dump = json_dumps(schema, JSON_COMPACT);
	CHECK(dump && strstr(dump, "#/components/schemas/PageChrome") &&
	          strstr(dump, "\"activities\"") && strstr(dump, "\"held_on\"") &&
	          strstr(dump, "\"next_cursor\""),
	      "/activities described by its model: %.300s", dump ? dump : "");
	free(dump);
	dump = json_dumps(json_object_get(acts, "parameters"), JSON_COMPACT);
	CHECK(dump && strstr(dump, "parameters/cursor") && strstr(dump, "parameters/limit"),
	      "/activities pages: %s", dump ? dump : "");
	free(dump);
	CHECK(json_object_get(json_object_get(acts, "responses"), "400") != NULL,
	      "/activities: a bad cursor is described");
	json_t *post = json_object_get(json_object_get(paths, "/cases"), "post");
	json_t *form = json_object_get(
	    json_object_get(json_object_get(json_object_get(post, "requestBody"), "content"),
	                    "application/json"),
	    "schema");
	CHECK(json_object_get(json_object_get(form, "properties"), "title") != NULL,
	      "POST /cases: its form's fields");
	json_t *chrome = json_object_get(
	    json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
	                    "PageChrome"),
	    "properties");
	CHECK(json_object_get(chrome, "me") && json_object_get(chrome, "nav") &&
	          json_object_get(chrome, "flash") && json_object_get(chrome, "breadcrumb"),
	      "PageChrome has me, nav, flash and breadcrumb");
	json_decref(doc);
	t_client_free(&anon);
}

static void etags_and_cursors(void)
{
	struct client c;
	t_client_init(&c, &d);
	t_login(&c, "leader", T_PASSWORD);
	struct resp r;
	t_get(&c, "/api/v1/companies", &r);
	CHECK_INT(r.status, 200);
	char etag[128] = "";
	CHECK(t_header(&r, "ETag", etag, sizeof(etag)) && etag[0] == '"', "ETag %s", etag);
	t_resp_free(&r);
	char hdr[200];
	snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
	const char *h[] = {hdr, NULL};
	t_request(&c, "GET", "/api/v1/companies", NULL, NULL, 0, h, &r);
	CHECK_INT(r.status, 304);
	CHECK_INT(r.body.len, 0);
	t_resp_free(&r);
	const char *other[] = {"If-None-Match: \"0000\", W/\"1111\"", NULL};
	t_request(&c, "GET", "/api/v1/companies", NULL, NULL, 0, other, &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);

	/* three companies: the page changes, so does the tag */
	t_sql_exec(d.db,
	           "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	           "('가나상사', '가나상사', '1111111111', '2024-01-01T00:00:00Z', "
	           "'2024-01-01T00:00:00Z'), ('다라상사', '다라상사', '2222222222', "
	           "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), ('마바상사', '마바상사', "
	           "'3333333333', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')");
	t_request(&c, "GET", "/api/v1/companies", NULL, NULL, 0, h, &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);

	/* two a page, then the cursor to the rest */
	t_get(&c, "/api/v1/companies?limit=2", &r);
	json_t *j = t_json(&r);
	t_resp_free(&r);
	CHECK_INT(json_array_size(json_object_get(j, "companies")), 2);
	const char *cur = json_string_value(json_object_get(j, "next_cursor"));
	CHECK(cur != NULL, "next_cursor");
	char url[256];
	snprintf(url, sizeof(url), "/api/v1/companies?limit=2&cursor=%s", cur ? cur : "");
	json_decref(j);
	t_get(&c, url, &r);
	j = t_json(&r);
	t_resp_free(&r);
	CHECK_INT(json_array_size(json_object_get(j, "companies")), 1);
	CHECK_STR(json_string_value(
	              json_object_get(json_array_get(json_object_get(j, "companies"), 0), "name")),
	          "마바상사");
	CHECK(json_object_get(j, "next_cursor") == NULL, "no next_cursor on the last page");
	json_decref(j);
	t_get(&c, "/api/v1/companies?cursor=zzzz", &r);
	CHECK_INT(r.status, 400);
	CHECK_CONTAINS(r.body.s, "cursor");
	t_resp_free(&r);
	t_get(&c, "/api/v1/cases?limit=0", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "limit");
	t_resp_free(&r);
	t_get(&c, "/api/v1/cases?limit=100", &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);
	t_get(&c, "/api/v1/admin/audit?limit=5", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_client_free(&c);
}

int main(void)
{
	if (!t_start(&d, NULL))
		return 1;
	contract();
	etags_and_cursors();
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
