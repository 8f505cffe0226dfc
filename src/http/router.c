/* Matches a method and path against the route table (src/web/routes.c). */
#include "bizsos/http.h"

#include <string.h>

/* Matches one pattern; on success adds {name} segments to params. */
static bool pattern_match(const char *pat, const char *path, struct kvlist *params)
{
	const char *p = pat, *s = path;
	while (*p && *s) {
		if (p[0] == '*' && p[1] == '\0')
			return *s != '\0';
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (close == NULL)
				return false;
			const char *end = strchr(s, '/');
			size_t seglen = end ? (size_t)(end - s) : strlen(s);
			if (seglen == 0)
				return false;
			char name[32];
			size_t nlen = (size_t)(close - p - 1);
			if (nlen >= sizeof(name))
				return false;
			memcpy(name, p + 1, nlen);
			name[nlen] = '\0';
			if (params && kv_add(params, name, s, seglen) != BZ_OK)
				return false;
			p = close + 1;
			s += seglen;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (p[0] == '*' && p[1] == '\0')
		return *s != '\0';
	return *p == '\0' && *s == '\0';
}

const struct route *router_match(enum http_method method, const char *path, struct kvlist *params,
                                 int *status)
{
	enum http_method m = method == HTTP_HEAD ? HTTP_GET : method;
	bool path_seen = false;
	for (size_t i = 0; i < web_route_count; i++) {
		const struct route *r = &web_routes[i];
		if (!pattern_match(r->pattern, path, NULL))
			continue;
		path_seen = true;
		if (r->method != m)
			continue;
		if (params) {
			kv_free(params);
			pattern_match(r->pattern, path, params);
		}
		*status = 200;
		return r;
	}
	*status = path_seen ? 405 : 404;
	return NULL;
}

void router_allow(const char *path, char *out, size_t outlen)
{
	static const char *const names[] = {[HTTP_GET] = "GET, HEAD",
	                                    [HTTP_POST] = "POST",
	                                    [HTTP_PUT] = "PUT",
	                                    [HTTP_PATCH] = "PATCH",
	                                    [HTTP_DELETE] = "DELETE"};
	bool seen[HTTP_OTHER + 1] = {false};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < web_route_count; i++) {
		const struct route *r = &web_routes[i];
		if (r->method > HTTP_DELETE || seen[r->method] || names[r->method] == NULL ||
		    !pattern_match(r->pattern, path, NULL))
			continue;
		seen[r->method] = true;
		int n =
		    snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", names[r->method]);
		if (n < 0 || (size_t)n >= outlen - used)
			break;
		used += (size_t)n;
	}
}
