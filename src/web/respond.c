/* How handlers answer: pages, redirects, errors, cookies and flash messages. */
#include "bizsos/web.h"
#include "bizsos/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void web_page_status(struct response *rs, int status, const char *tpl, const char *title,
                     json_t *model)
{
	rs->status = status;
	rs->tpl = tpl;
	json_decref(rs->model);
	rs->model = model ? model : json_object();
	web_links_resolve(rs->model);
	bz_strlcpy(rs->title, title ? title : "", sizeof(rs->title));
}

void web_page(struct response *rs, const char *tpl, const char *title, json_t *model)
{
	web_page_status(rs, 200, tpl, title, model);
}

bool web_local_path(const char *path)
{
	if (path == NULL || path[0] != '/' || path[1] == '/' || path[1] == '\\')
		return false;
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return strlen(path) < 500;
}

void web_redirect(struct response *rs, const char *location)
{
	rs->status = 303;
	bz_strlcpy(rs->location, web_local_path(location) ? location : "/", sizeof(rs->location));
}

void web_error(struct response *rs, int status, const char *code, const char *message)
{
	rs->status = status;
	rs->err_code = code;
	bz_strlcpy(rs->err_message, message, sizeof(rs->err_message));
}

/* The error summary every 422 page shows at the top of its content (KRDS
 * pattern): how many fields need attention and one link per field, in the
 * order the rules reported them. The link's target is #NAME; static/js/app.js
 * points it at the field's own id, moves the focus to the summary and, on a
 * click, to the field. */
static json_t *error_summary(json_t *fields)
{
	json_t *items = json_array();
	const char *key;
	json_t *msg;
	json_object_foreach(fields, key, msg)
	{
		if (!json_is_string(msg))
			continue;
		char href[128];
		snprintf(href, sizeof(href), "#%s", key);
		json_array_append_new(items, json_pack("{s:s, s:s, s:O}", "field", key, "href",
		                                       href, "message", msg));
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		return NULL;
	}
	return json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(items), "items", items);
}

void web_invalid(struct response *rs, const char *tpl, const char *title, json_t *model,
                 json_t *fields)
{
	if (model == NULL)
		model = json_object();
	json_object_set(model, "errors", fields);
	json_t *summary = error_summary(fields);
	if (summary)
		json_object_set_new(model, "error_summary", summary);
	web_page_status(rs, 422, tpl, title, model);
	rs->err_code = "invalid";
	bz_strlcpy(rs->err_message, "입력한 내용을 확인해 주세요.", sizeof(rs->err_message));
	json_decref(rs->err_fields);
	rs->err_fields = fields;
}

void web_set_cookie(struct response *rs, const struct request *rq, const char *name,
                    const char *value, int max_age)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
	                 rq->app && rq->app->cfg.tls_cert[0] ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (max_age >= 0) {
		size_t used = (size_t)n;
		snprintf(line + used, sizeof(line) - used, "; Max-Age=%d", max_age);
	}
	kv_add(&rs->headers, "Set-Cookie", line, strlen(line));
}

void web_flash(struct response *rs, const struct request *rq, const char *kind,
               const char *message_key)
{
	char v[96];
	snprintf(v, sizeof(v), "%s.%s", kind, message_key);
	web_set_cookie(rs, rq, "bz_flash", v, 60);
}

void web_retry_after(struct response *rs, int seconds)
{
	char v[16];
	snprintf(v, sizeof(v), "%d", seconds > 0 ? seconds : 1);
	kv_add(&rs->headers, "Retry-After", v, strlen(v));
}

const char *web_query_or_empty(struct request *rq, const char *key)
{
	const char *v = rq_query(rq, key);
	return v ? v : "";
}

void web_filter_query(struct request *rq, const char *const *keys, size_t nkeys, char *out,
                      size_t outlen)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < nkeys; i++) {
		const char *v = rq_query(rq, keys[i]);
		if (v == NULL || *v == '\0')
			continue;
		int w = snprintf(out + n, outlen - n, "%s=", keys[i]);
		if (w < 0 || (size_t)w >= outlen - n)
			return;
		n += (size_t)w;
		for (const unsigned char *p = (const unsigned char *)v; *p && n + 4 < outlen; p++) {
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
				out[n++] = (char)*p;
			else
				n += (size_t)snprintf(out + n, outlen - n, "%%%02X", *p);
		}
		if (n + 2 < outlen)
			out[n++] = '&';
		out[n] = '\0';
	}
}
