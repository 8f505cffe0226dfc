/* GET /api/v1/openapi.json: the OpenAPI 3.1 description of the API, built
 * from the router table itself — every route but the bare ones (static files,
 * the favicon, the health check) becomes an operation, so a route cannot be
 * left undescribed and no described path can be missing
 * (tests/http/test_openapi.c checks both; tests/e2e/openapi.test.js
 * validates the document against the OpenAPI 3.1 schema). Every page's JSON
 * face is its whole view model (the chrome — app, page, me, nav, breadcrumb,
 * flash, csrf — included, as PageChrome), described route by route from
 * src/web/openapi_models.json (written by scripts/api_schemas.js, embedded at
 * build time), as are the forms each write takes; a page it does not know
 * answers the open PageModel. The list downloads answer with files; errors
 * share one shape. */
#include "bizsos/web.h"
#include "bizsos/web_openapi.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	int bit;
	const char *name;
} ROLE_NAMES[] = {{ROLE_STAFF, "staff"},
                  {ROLE_LEADER, "leader"},
                  {ROLE_EXECUTIVE, "executive"},
                  {ROLE_DEPARTMENT, "department"},
                  {ROLE_ADMIN, "admin"}};

/* The list paths that take ?cursor=&limit= (web_keyset). */
static const char *const PAGED[] = {
    "/cases",         "/cases/overdue", "/companies",  "/admin/audit", "/admin/outbox",
    "/admin/privacy", "/notifications", "/activities", "/grants",      "/comm"};

/* GET routes whose answer is not the page model but a plain body or a file. */
static const char *const PLAIN[][2] = {
    {"/healthz", "text/plain"},
    {"/cases/{id}/attachments/{aid}", "application/octet-stream"},
    {"/activities/{id}/photos/{pid}", "image/jpeg"}};

/* GET routes that need a query parameter: a missing or bad one is a 400.
 * The example is what tests and scripts/api_schemas.js send. */
static const struct {
	const char *path, *name, *description, *pattern, *example;
} REQUIRED_QUERY[] = {
    {"/card/photos", "as_of", "사진을 고를 분기", "^[0-9]{4}-Q[1-4]$", "2024-Q3"},
};

/* src/web/openapi_models.json, embedded (build/generated/openapi_models.c):
 * {chrome: schema, responses: {path: schema}, requests: {path: schema}}. */
extern const char openapi_models_json[];
extern const size_t openapi_models_json_len;

static json_t *g_models;
static pthread_once_t g_models_once = PTHREAD_ONCE_INIT;

static void load_models(void)
{
	g_models = json_loadb(openapi_models_json, openapi_models_json_len, 0, NULL);
	if (g_models == NULL)
		g_models = json_object();
}

/* The schema of part ("responses", "requests") for path, as a new reference;
 * NULL if none. */
static json_t *model_schema(const char *part, const char *path)
{
	pthread_once(&g_models_once, load_models);
	json_t *s = json_object_get(json_object_get(g_models, part), path);
	return s ? json_deep_copy(s) : NULL;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

bool web_openapi_described(const struct route *r)
{
	return (r->roles & ROLE_BARE) != ROLE_BARE && strchr(r->pattern, '*') == NULL;
}

static const char *method_key(enum http_method m)
{
	switch (m) {
	case HTTP_GET:
		return "get";
	case HTTP_POST:
		return "post";
	case HTTP_PUT:
		return "put";
	case HTTP_PATCH:
		return "patch";
	case HTTP_DELETE:
		return "delete";
	default:
		return NULL;
	}
}

static json_t *ref(const char *to)
{
	return json_pack("{s:s}", "$ref", to);
}

static json_t *json_content(json_t *schema)
{
	return json_pack("{s:{s:o}}", "application/json", "schema", schema);
}

static json_t *error_response(const char *desc)
{
	return json_pack("{s:s, s:o}", "description", desc, "content",
	                 json_content(ref("#/components/schemas/Error")));
}

static json_t *components(void)
{
	json_t *error = json_pack(
	    "{s:s, s:s, s:[s], s:{s:{s:s, s:[s, s], s:{s:{s:s, s:s}, s:{s:s, s:s}, "
	    "s:{s:s, s:s, s:{s:s}}}}}}",
	    "type", "object", "description",
	    "오류: code는 영어 기호, message는 한국어 설명, fields는 입력 칸별 한국어 메시지",
	    "required", "error", "properties", "error", "type", "object", "required", "code",
	    "message", "properties", "code", "type", "string", "description",
	    "예: invalid, not_found, forbidden", "message", "type", "string", "description",
	    "한국어 메시지", "fields", "type", "object", "description",
	    "입력 칸 이름 → 한국어 메시지", "additionalProperties", "type", "string");
	json_t *page = json_pack(
	    "{s:s, s:s, s:b, s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}}", "type",
	    "object", "description",
	    "그 화면의 뷰 모델 전체(브라우저가 보는 화면과 같은 자료, PageChrome 포함). 목록은 "
	    "행 배열과 next_cursor, next_url을 담습니다.",
	    "additionalProperties", true, "properties", "next_cursor", "type", "string",
	    "description", "다음 쪽의 커서 (마지막 쪽에서는 없음)", "next_url", "type", "string",
	    "description", "다음 쪽의 주소: 같은 조건, limit, cursor (/api/v1 기준)", "location",
	    "type", "string", "description", "쓰기 뒤 브라우저가 옮겨 갈 주소 (쓰기 요청의 응답)",
	    "errors", "type", "object", "description", "입력 칸별 오류 (422)");
	json_t *form = json_pack("{s:s, s:s, s:{s:s}}", "type", "object", "description",
	                         "폼 값 (모두 문자열). 브라우저 폼과 같은 이름을 씁니다. "
	                         "세션 쿠키로 보낼 때는 csrf도 함께 보냅니다.",
	                         "additionalProperties", "type", "string");
	json_t *upload = json_pack(
	    "{s:s, s:{s:{s:s, s:s}, s:{s:s, s:[s, s]}}, s:{s:s}}", "type", "object", "properties",
	    "file", "type", "string", "contentMediaType", "application/octet-stream", "action",
	    "type", "string", "enum", "check", "import", "additionalProperties", "type", "string");
	pthread_once(&g_models_once, load_models);
	json_t *chrome = json_object_get(g_models, "chrome");
	chrome = chrome ? json_deep_copy(chrome) : json_pack("{s:s}", "type", "object");
	json_object_set_new(chrome, "description",
	                    json_string("모든 화면(HTML과 JSON)에 붙는 공통 부분: app, page.title, "
	                                "me(로그인한 사용자와 읽지 않은 알림 수), nav(그 역할이 "
	                                "볼 수 있는 메뉴), breadcrumb, flash(한 번만 보이는 안내), "
	                                "csrf(세션 쿠키로 쓰기 요청을 보낼 때의 토큰)"));
	json_t *schemas = json_pack("{s:o, s:o, s:o, s:o, s:o}", "Error", error, "PageModel", page,
	                            "PageChrome", chrome, "Form", form, "Upload", upload);
	json_t *security =
	    json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}", "bearer", "type", "http", "scheme",
	              "bearer", "description", "bizsos token create로 만든 API 토큰 (bz_…)",
	              "session", "type", "apiKey", "in", "cookie", "name", "bz_session");
	json_t *params = json_pack(
	    "{s:{s:s, s:s, s:s, s:b, s:{s:s}}, s:{s:s, s:s, s:s, s:b, s:{s:s, s:i, s:i}}}",
	    "cursor", "name", "cursor", "in", "query", "description",
	    "앞 응답의 next_cursor (처음 쪽은 비움)", "required", false, "schema", "type", "string",
	    "limit", "name", "limit", "in", "query", "description",
	    "한 쪽의 행 수 (범위 밖이면 422)", "required", false, "schema", "type", "integer",
	    "minimum", 1, "maximum", 100);
	return json_pack("{s:o, s:o, s:o}", "schemas", schemas, "securitySchemes", security,
	                 "parameters", params);
}

static const char *plain_type(const char *pattern)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(PLAIN); i++)
		if (strcmp(pattern, PLAIN[i][0]) == 0)
			return PLAIN[i][1];
	return NULL;
}

/* The operation for one route. */
static json_t *operation(const struct route *r, const char *tag)
{
	json_t *op = json_object();
	/* unique: method and path ("get_cases_id_documents_new") */
	char id[200];
	size_t n = (size_t)snprintf(id, sizeof(id), "%s", method_key(r->method));
	for (const char *p = r->pattern; *p && n + 2 < sizeof(id); p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			id[n++] = c;
		else if (c == '/' || c == '.' || c == '-') {
			if (id[n - 1] != '_')
				id[n++] = '_';
		}
	}
	while (n > 0 && id[n - 1] == '_')
		n--;
	id[n] = '\0';
	json_object_set_new(op, "operationId", json_string(id));
	json_object_set_new(op, "x-handler", json_string(r->name));
	json_object_set_new(op, "tags", json_pack("[s]", tag));
	json_t *roles = json_array();
	if (r->roles & ROLE_PUBLIC)
		json_array_append_new(roles, json_string("public"));
	for (size_t i = 0; i < BZ_ARRAY_LEN(ROLE_NAMES); i++)
		if (r->roles & ROLE_NAMES[i].bit)
			json_array_append_new(roles, json_string(ROLE_NAMES[i].name));
	json_object_set_new(op, "x-roles", roles);
	if (r->roles & ROLE_PUBLIC)
		json_object_set_new(op, "security", json_array());

	/* path parameters */
	json_t *params = json_array();
	for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (e == NULL)
			break;
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
		bool text = strcmp(name, "day") == 0 || strcmp(name, "kind") == 0;
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:o}", "name", name, "in",
		                                        "path", "required", 1, "schema",
		                                        text ? json_pack("{s:s}", "type", "string")
		                                             : json_pack("{s:s, s:i}", "type",
		                                                         "integer", "minimum", 1)));
	}
	bool paged = false;
	for (size_t i = 0; r->method == HTTP_GET && i < BZ_ARRAY_LEN(PAGED); i++)
		if (strcmp(r->pattern, PAGED[i]) == 0) {
			json_array_append_new(params, ref("#/components/parameters/cursor"));
			json_array_append_new(params, ref("#/components/parameters/limit"));
			paged = true;
		}
	bool needs_query = false;
	for (size_t i = 0; r->method == HTTP_GET && i < BZ_ARRAY_LEN(REQUIRED_QUERY); i++)
		if (strcmp(r->pattern, REQUIRED_QUERY[i].path) == 0) {
			json_array_append_new(
			    params,
			    json_pack("{s:s, s:s, s:s, s:b, s:{s:s, s:s}, s:s}", "name",
			              REQUIRED_QUERY[i].name, "in", "query", "description",
			              REQUIRED_QUERY[i].description, "required", 1, "schema",
			              "type", "string", "pattern", REQUIRED_QUERY[i].pattern,
			              "example", REQUIRED_QUERY[i].example));
			needs_query = true;
		}
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);

	json_t *resp = json_object();
	bool csv = ends_with(r->pattern, ".csv"), xlsx = ends_with(r->pattern, ".xlsx");
	bool docx = ends_with(r->pattern, "/docx");
	if (r->method == HTTP_GET && (csv || xlsx || docx)) {
		const char *type =
		    csv ? "text/csv"
		    : xlsx
		        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		        : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		json_object_set_new(
		    op, "summary",
		    json_string(csv ? "목록을 CSV(UTF-8 BOM)로 내려받기 (조건·정렬 그대로, "
		                      "행 제한 없음)"
		                : xlsx ? "목록을 엑셀(XLSX)로 내려받기 (조건·정렬 그대로, "
		                         "행 제한 없음)"
		                       : "공문을 DOCX로 내려받기"));
		json_object_set_new(resp, "200",
		                    json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "파일",
		                              "content", type, "schema", "type", "string",
		                              "contentMediaType", type));
		if (csv || xlsx)
			json_object_set_new(
			    resp, "422",
			    error_response("검색 조건이 올바르지 않음, 또는 개인정보 목록에 "
			                   "다운로드 사유(reason)가 없음"));
	} else if (r->method == HTTP_GET && plain_type(r->pattern)) {
		const char *type = plain_type(r->pattern);
		bool text = strncmp(type, "text/", 5) == 0;
		json_object_set_new(op, "summary",
		                    json_string(text ? "상태 확인 (평문)" : "올린 파일 그대로"));
		json_object_set_new(
		    resp, "200",
		    text
		        ? json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "평문 본문", "content",
		                    type, "schema", "type", "string")
		        : json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "파일", "content",
		                    type, "schema", "type", "string", "contentMediaType", type));
	} else if (r->method == HTTP_GET && strcmp(r->pattern, "/openapi.json") == 0) {
		json_object_set_new(op, "summary", json_string("이 API 설명서 (OpenAPI 3.1)"));
		json_object_set_new(
		    resp, "200",
		    json_pack("{s:s, s:o}", "description", "OpenAPI 3.1 문서", "content",
		              json_content(json_pack("{s:s, s:[s, s, s]}", "type", "object",
		                                     "required", "openapi", "info", "paths"))));
	} else if (r->method == HTTP_GET) {
		json_t *model = model_schema("responses", r->pattern);
		json_object_set_new(
		    resp, "200",
		    json_pack("{s:s, s:{s:{s:s, s:{s:s}}}, s:o}", "description",
		              model ? "화면의 뷰 모델 전체 (PageChrome 포함)"
		                    : "화면의 뷰 모델 (자세한 모양은 아직 설명되지 않음)",
		              "headers", "ETag", "description",
		              "응답 본문의 태그 (If-None-Match로 보냄)", "schema", "type", "string",
		              "content",
		              json_content(model ? model : ref("#/components/schemas/PageModel"))));
		json_object_set_new(
		    resp, "304",
		    json_pack("{s:s}", "description", "If-None-Match의 태그와 같음: 본문 없음"));
		json_object_set_new(resp, "422",
		                    error_response(paged ? "검색 조건 오류, 또는 limit가 범위 밖 "
		                                           "(fields.limit)"
		                                         : "검색 조건 오류"));
		if (needs_query)
			json_object_set_new(
			    resp, "400",
			    error_response("꼭 필요한 조회 조건이 없거나 형식이 틀림"));
		if (paged)
			json_object_set_new(
			    resp, "400",
			    error_response("cursor가 올바르지 않음 (고쳐졌거나 다른 "
			                   "목록·조건의 것)"));
	} else {
		bool multipart = ends_with(r->pattern, "/import") ||
		                 ends_with(r->pattern, "/attachments") ||
		                 ends_with(r->pattern, "/photos");
		json_t *content = multipart
		                      ? json_pack("{s:{s:o}}", "multipart/form-data", "schema",
		                                  ref("#/components/schemas/Upload"))
		                      : NULL;
		if (content == NULL) {
			json_t *form = model_schema("requests", r->pattern);
			if (form == NULL)
				form = ref("#/components/schemas/Form");
			content =
			    json_pack("{s:{s:O}, s:{s:o}}", "application/x-www-form-urlencoded",
			              "schema", form, "application/json", "schema", form);
		}
		json_object_set_new(op, "requestBody",
		                    json_pack("{s:b, s:o}", "required", 1, "content", content));
		json_object_set_new(
		    resp, "200",
		    json_pack("{s:s, s:o}", "description",
		              "처리됨: 다음 화면의 뷰 모델과 location (브라우저에는 303)",
		              "content", json_content(ref("#/components/schemas/PageModel"))));
		json_object_set_new(resp, "422", error_response("입력 오류: fields에 칸별 메시지"));
		json_object_set_new(
		    resp, "409",
		    error_response("다른 사람이 먼저 고쳤거나 지금 상태에서 할 수 없음"));
	}
	if (!(r->roles & ROLE_PUBLIC)) {
		json_object_set_new(resp, "401", error_response("로그인 필요"));
		json_object_set_new(resp, "403", error_response("이 역할에는 허용되지 않음"));
	}
	if (strchr(r->pattern, '{'))
		json_object_set_new(resp, "404", error_response("없는 자료, 또는 볼 권한이 없음"));
	json_object_set_new(op, "responses", resp);
	return op;
}

json_t *web_openapi_document(void)
{
	json_t *paths = json_object();
	for (size_t i = 0; i < web_route_count; i++) {
		const struct route *r = &web_routes[i];
		const char *m = method_key(r->method);
		if (!web_openapi_described(r) || m == NULL)
			continue;
		json_t *item = json_object_get(paths, r->pattern);
		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		char tag[64];
		const char *p = r->pattern + 1;
		if (strncmp(p, "admin/", 6) == 0)
			p += 6;
		size_t n = strcspn(p, "/.");
		snprintf(tag, sizeof(tag), "%.*s", (int)n, *p ? p : "home");
		if (tag[0] == '\0')
			bz_strlcpy(tag, "home", sizeof(tag));
		json_object_set_new(item, m, operation(r, tag));
	}
	return json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:[{s:[]}, {s:[]}], s:o, s:o}", "openapi", "3.1.0",
	    "info", "title", "기업SOS API", "version", BIZSOS_VERSION, "description",
	    "모든 화면의 JSON 얼굴. 같은 경로를 /api/v1 아래에서 부르거나 Accept: "
	    "application/json으로 부르면 화면의 뷰 모델 전체를 JSON으로 받습니다. 쓰기는 폼과 "
	    "같은 이름의 값을 보내고, 오류는 {error: {code, message, fields}}입니다.",
	    "servers", "url", "/api/v1", "security", "bearer", "session", "paths", paths,
	    "components", components());
}

void web_openapi(struct request *rq, struct response *rs)
{
	(void)rq;
	json_t *doc = web_openapi_document();
	char *s = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	json_decref(doc);
	if (s == NULL) {
		web_error(rs, 500, "internal", "API 설명을 만들지 못했습니다.");
		return;
	}
	rs->status = 200;
	rs->body = s;
	rs->body_len = strlen(s);
	bz_strlcpy(rs->content_type, "application/json; charset=utf-8", sizeof(rs->content_type));
}
