/* Static files from static/: MIME types, ETag/304, long cache for versioned
 * assets (?v=...), and no way out of the folder (.., encoded or not, symlinks). */
#include "bizsos/app.h"
#include "bizsos/web.h"
#include "bizsos/web_privacy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".html", "text/html; charset=utf-8"},
};

const char *web_mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < BZ_ARRAY_LEN(mime_types); i++)
			if (strcasecmp(dot, mime_types[i].ext) == 0)
				return mime_types[i].type;
	return "application/octet-stream";
}

/* Rejects "..", ".", empty segments, backslashes and control bytes. */
static bool rel_path_safe(const char *rel)
{
	if (*rel == '\0' || *rel == '/')
		return false;
	const char *seg = rel;
	for (const char *p = rel;; p++) {
		if (*p == '/' || *p == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.') || seg[0] == '.')
				return false;
			if (*p == '\0')
				return true;
			seg = p + 1;
		} else if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f) {
			return false;
		}
	}
}

void web_static(struct request *rq, struct response *rs)
{
	const char *rel = rq->path + strlen("/static/");
	struct app *app = rq->app;
	if (!rel_path_safe(rel)) {
		web_error(rs, 404, "not_found", "파일을 찾을 수 없습니다.");
		return;
	}
	char full[PATH_MAX], real[PATH_MAX];
	int n = snprintf(full, sizeof(full), "%s/%s", app->static_real, rel);
	size_t rootlen = strlen(app->static_real);
	if (n < 0 || (size_t)n >= sizeof(full) || realpath(full, real) == NULL ||
	    strncmp(real, app->static_real, rootlen) != 0 || real[rootlen] != '/') {
		web_error(rs, 404, "not_found", "파일을 찾을 수 없습니다.");
		return;
	}
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		web_error(rs, 404, "not_found", "파일을 찾을 수 없습니다.");
		return;
	}
	char etag[64];
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_size,
	         (unsigned long long)st.st_mtime);
	kv_add(&rs->headers, "ETag", etag, strlen(etag));
	const char *cache = rq_query(rq, "v") ? "public, max-age=31536000, immutable"
	                                      : "public, max-age=300, must-revalidate";
	kv_add(&rs->headers, "Cache-Control", cache, strlen(cache));
	bz_strlcpy(rs->content_type, web_mime_type(real), sizeof(rs->content_type));
	const char *inm = rq_header(rq, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		close(fd);
		rs->status = 304;
		rs->body = calloc(1, 1);
		rs->body_len = 0;
		return;
	}
	rs->status = 200;
	rs->fd = fd;
	rs->fd_size = st.st_size;
}

void web_healthz(struct request *rq, struct response *rs)
{
	const char *deep = rq_query(rq, "deep");
	if (deep && strcmp(deep, "1") == 0) {
		web_healthz_deep(rq, rs);
		return;
	}
	static const char ok[] = "ok\n";
	rs->status = 200;
	rs->body = strdup(ok);
	rs->body_len = rs->body ? sizeof(ok) - 1 : 0;
	bz_strlcpy(rs->content_type, "text/plain; charset=utf-8", sizeof(rs->content_type));
}
