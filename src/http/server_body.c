/* Reading a request's body: url-encoded or multipart (files streamed to
 * disk) through libmicrohttpd's post processor, or JSON turned into form
 * fields; the limits and the 400/413/415 found on the way. */
#include "bizsos/app.h"
#include "bizsos/http.h"
#include "bizsos/web.h"

#include "server_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>

/* ---- body parsing ---------------------------------------------------------- */

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct conn *c = cls;
	struct request *rq = &c->rq;
	if (c->fail_status)
		return MHD_YES;
	if (key == NULL)
		key = "";
	bool same = off > 0 && strcmp(c->last_key, key) == 0;

	if (filename != NULL) {
		if (!same || !c->last_is_file) {
			if (rq->nuploads >= MAX_UPLOADS) {
				conn_fail(c, 413, "한 번에 올릴 수 있는 파일 수를 넘었습니다.");
				return MHD_YES;
			}
			struct upload *u = realloc(rq->uploads, (rq->nuploads + 1) * sizeof(*u));
			if (u == NULL)
				return MHD_NO;
			rq->uploads = u;
			u = &rq->uploads[rq->nuploads];
			memset(u, 0, sizeof(*u));
			u->field = strdup(key);
			u->filename = strdup(filename);
			u->content_type = strdup(content_type ? content_type : "");
			int pn = snprintf(u->path, sizeof(u->path), "%.4000s/upload-XXXXXX",
			                  c->app->tmp_dir);
			rq->nuploads++;
			if (c->upload_fd >= 0)
				close(c->upload_fd);
			c->upload_fd =
			    pn > 0 && (size_t)pn < sizeof(u->path) ? mkstemp(u->path) : -1;
			if (c->upload_fd < 0 || !u->field || !u->filename || !u->content_type) {
				u->path[0] = '\0';
				LOG_ERROR("upload temp file: %s", strerror(errno));
				conn_fail(c, 500, "파일을 저장하지 못했습니다.");
				return MHD_YES;
			}
			bz_strlcpy(c->last_key, key, sizeof(c->last_key));
			c->last_is_file = true;
		}
		struct upload *u = &rq->uploads[rq->nuploads - 1];
		size_t done = 0;
		while (done < size) {
			ssize_t w = write(c->upload_fd, data + done, size - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				conn_fail(c, 500, "파일을 저장하지 못했습니다.");
				return MHD_YES;
			}
			done += (size_t)w;
		}
		u->size += (int64_t)size;
		return MHD_YES;
	}

	if (same && !c->last_is_file && rq->form.n > 0) {
		struct kv *kv = &rq->form.items[rq->form.n - 1];
		if (kv->len + size > FIELD_LIMIT) {
			conn_fail(c, 413, "입력한 내용이 너무 깁니다.");
			return MHD_YES;
		}
		char *v = realloc(kv->value, kv->len + size + 1);
		if (v == NULL)
			return MHD_NO;
		memcpy(v + kv->len, data, size);
		kv->len += size;
		v[kv->len] = '\0';
		kv->value = v;
		return MHD_YES;
	}
	if (kv_add(&rq->form, key, data ? data : "", size) != BZ_OK) {
		conn_fail(c, 413, "입력 항목이 너무 많습니다.");
		return MHD_YES;
	}
	bz_strlcpy(c->last_key, key, sizeof(c->last_key));
	c->last_is_file = false;
	return MHD_YES;
}

/* A JSON body becomes form fields (http_json_to_form, request.c). */
void server_json_body_to_form(struct conn *c)
{
	const char *msg = NULL;
	if (http_json_to_form(c->json.s ? c->json.s : "", c->json.len, &c->rq.form, &msg) != 0)
		conn_fail(c, 400, msg);
}

enum MHD_Result server_collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	(void)kind;
	struct kvlist *l = cls;
	if (key == NULL)
		return MHD_YES;
	kv_add(l, key, value ? value : "", value ? strlen(value) : 0);
	return MHD_YES;
}

bool server_kvlist_utf8_ok(const struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!bz_utf8_valid(l->items[i].key, strlen(l->items[i].key)) ||
		    !bz_utf8_valid(l->items[i].value, l->items[i].len))
			return false;
	return true;
}

/* Decides how to read the body from its headers. */
void server_body_setup(struct conn *c, struct MHD_Connection *mc)
{
	const char *ctype = conn_header(mc, "Content-Type");
	const char *clen = conn_header(mc, "Content-Length");
	const struct config *cfg = &c->app->cfg;
	if (ctype == NULL)
		ctype = "";
	if (strncasecmp(ctype, "multipart/form-data", 19) == 0) {
		c->kind = BODY_MULTIPART;
		c->body_limit = cfg->upload_limit;
		/* the public request form takes up to 5 files of 10 MiB each */
		if (strcmp(c->rq.path, "/request") == 0 &&
		    cfg->request_upload_limit > c->body_limit)
			c->body_limit = cfg->request_upload_limit;
	} else if (strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		c->kind = BODY_FORM;
		c->body_limit = cfg->form_limit;
	} else if (strncasecmp(ctype, "application/json", 16) == 0) {
		c->kind = BODY_JSON;
		c->body_limit = cfg->form_limit;
	} else {
		c->kind = BODY_OTHER;
		c->body_limit = cfg->form_limit;
	}
	if (clen) {
		char *end = NULL;
		errno = 0;
		long long n = strtoll(clen, &end, 10);
		if (errno || end == clen || *end || n < 0)
			conn_fail(c, 400, "Content-Length 헤더가 올바르지 않습니다.");
		else if (n > c->body_limit)
			conn_fail(c, 413,
			          c->kind == BODY_MULTIPART
			              ? "올린 파일이 너무 큽니다. 크기 제한을 확인해 주세요."
			              : "보낸 내용이 너무 큽니다.");
	}
	if (c->fail_status == 0 && (c->kind == BODY_FORM || c->kind == BODY_MULTIPART)) {
		c->pp = MHD_create_post_processor(mc, 64 * 1024, post_iter, c);
		if (c->pp == NULL)
			conn_fail(c, 400, "요청 본문의 형식이 올바르지 않습니다.");
	}
}

void server_body_feed(struct conn *c, const char *data, size_t size)
{
	c->body_bytes += (int64_t)size;
	if (c->fail_status)
		return;
	if (c->body_bytes > c->body_limit) {
		conn_fail(c, 413,
		          c->kind == BODY_MULTIPART
		              ? "올린 파일이 너무 큽니다. 크기 제한을 확인해 주세요."
		              : "보낸 내용이 너무 큽니다.");
		return;
	}
	switch (c->kind) {
	case BODY_FORM:
	case BODY_MULTIPART:
		if (MHD_post_process(c->pp, data, size) != MHD_YES)
			conn_fail(c, 400, "요청 본문의 형식이 올바르지 않습니다.");
		break;
	case BODY_JSON:
		buf_append(&c->json, data, size);
		break;
	case BODY_OTHER:
		conn_fail(c, 415, "지원하지 않는 본문 형식입니다. 폼 또는 JSON으로 보내 주세요.");
		break;
	case BODY_NONE:
		break;
	}
}
