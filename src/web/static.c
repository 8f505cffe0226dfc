/* Static files from static/: MIME types, ETag/304, long cache for versioned
 * assets (?v=...), and no way out of the folder (.., encoded or not, symlinks).
 * A file's pre-compressed sibling (name.br, name.gz: scripts/build_assets.py)
 * is sent instead when the client accepts that encoding and the sibling is not
 * older than the file; every answer says Vary: Accept-Encoding. */
#include "bizsos/app.h"
#include "bizsos/web.h"
#include "web_privacy.h"

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

/* Opens the compressed sibling of real (suffix ".br" or ".gz") when it is a
 * regular file not older than the original; -1 otherwise. */
static int open_sibling(const char *real, const struct stat *orig, const char *suffix,
                        struct stat *st)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s%s", real, suffix);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_mtime < orig->st_mtime) {
		close(fd);
		return -1;
	}
	return fd;
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
	static const struct {
		const char *coding, *suffix;
	} codings[] = {{"br", ".br"}, {"gzip", ".gz"}};
	const char *coding = NULL;
	for (size_t i = 0; coding == NULL && i < BZ_ARRAY_LEN(codings); i++) {
		struct stat cst;
		int cfd;
		if (rq_accepts_encoding(rq, codings[i].coding) &&
		    (cfd = open_sibling(real, &st, codings[i].suffix, &cst)) >= 0) {
			close(fd);
			fd = cfd;
			st.st_size = cst.st_size;
			coding = codings[i].coding;
		}
	}
	char etag[80];
	snprintf(etag, sizeof(etag), "\"%llx-%llx%s%s\"", (unsigned long long)st.st_size,
	         (unsigned long long)st.st_mtime, coding ? "-" : "", coding ? coding : "");
	kv_add(&rs->headers, "ETag", etag, strlen(etag));
	kv_add(&rs->headers, "Vary", "Accept-Encoding", strlen("Accept-Encoding"));
	if (coding)
		kv_add(&rs->headers, "Content-Encoding", coding, strlen(coding));
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
