/* A case's attachments: the upload (a write on the case page) and the download. */
#include "bizsos/fsutil.h"
#include "bizsos/app.h"
#include "bizsos/sos_case.h"
#include "web_attach.h"
#include "web_cases.h"
#include "cases_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- attachments -------------------------------------------------------- */

#define ATTACH_MAX_BYTES ((int64_t)20 * 1024 * 1024)

void web_case_attach(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "attach", &id, &version, &fields))
		return;
	const struct upload *u = rq_upload(rq, "file");
	struct case_attachment a = {0};
	unsigned char head[512];
	size_t headlen = 0;
	const char *type = NULL;
	if (u == NULL || u->size == 0) {
		json_object_set_new(fields, "file", json_string("첨부할 파일을 골라 주세요."));
	} else if (u->size > ATTACH_MAX_BYTES) {
		json_object_set_new(fields, "file",
		                    json_string("파일은 20MB까지 첨부할 수 있습니다."));
	} else if (!web_attach_hash(u->path, a.sha256, head, sizeof(head), &headlen)) {
		json_decref(fields);
		web_error(rs, 500, "internal", "파일을 읽지 못했습니다.");
		return;
	} else if ((type = case_sniff_type(head, headlen)) == NULL) {
		json_object_set_new(fields, "file", json_string(WEB_ATTACH_TYPE_MSG));
	}
	if (json_object_size(fields) > 0) {
		/* the case must exist and be visible before we say anything about the file */
		json_t *cur = NULL;
		if (case_current(rq->db, &rq->user, id, &cur) != BZ_OK) {
			json_decref(fields);
			web_error(rs, 404, "not_found",
			          "그런 기업애로가 없거나 볼 수 있는 권한이 없습니다.");
			return;
		}
		json_decref(cur);
		cases_write_outcome(rq, rs, id, "attach", BZ_ERR_INVALID, fields, NULL, NULL);
		return;
	}
	case_safe_filename(u->filename, a.filename, sizeof(a.filename));
	bz_strlcpy(a.content_type, type, sizeof(a.content_type));
	a.size = u->size;
	if (!web_attach_store(rq->app->cfg.data_dir, u->path, a.sha256, a.stored_path,
	                      sizeof(a.stored_path))) {
		json_decref(fields);
		web_error(rs, 500, "internal", "파일을 저장하지 못했습니다.");
		return;
	}
	char msg[512] = "";
	bz_rc rc =
	    case_attachment_add(rq->db, &rq->user, id, version, &a, fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "attach", rc, fields, msg, "case_attached");
}

void web_case_attachment(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id"), aid = rq_param_id(rq, "aid");
	struct case_attachment a;
	bz_rc rc = id > 0 && aid > 0 ? case_attachment_get(rq->db, &rq->user, id, aid, &a)
	                             : BZ_ERR_NOTFOUND;
	if (rc != BZ_OK) {
		if (rc == BZ_ERR_NOTFOUND)
			web_error(rs, 404, "not_found", "그런 첨부파일이 없습니다.");
		else
			web_error(rs, 500, "internal", "첨부파일을 읽지 못했습니다.");
		return;
	}
	char full[PATH_MAX];
	int n = snprintf(full, sizeof(full), "%s/%s", rq->app->cfg.data_dir, a.stored_path);
	int fd = n > 0 && (size_t)n < sizeof(full) && strstr(a.stored_path, "..") == NULL
	             ? open(full, O_RDONLY | O_CLOEXEC)
	             : -1;
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		LOG_ERROR("attachment %lld missing: %s", (long long)aid, full);
		web_error(rs, 404, "not_found",
		          "첨부파일이 저장소에 없습니다. 관리자에게 알려 주세요.");
		return;
	}
	rs->status = 200;
	rs->fd = fd;
	rs->fd_size = sb.st_size;
	bz_strlcpy(rs->content_type, a.content_type, sizeof(rs->content_type));
	/* ASCII fallback name plus the UTF-8 name (RFC 6266 / 5987) */
	struct buf h;
	buf_init(&h, 2048);
	buf_puts(&h, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)a.filename; *p; p++)
		buf_putc(&h, *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_');
	buf_puts(&h, "\"; filename*=UTF-8''");
	buf_url_encode(&h, a.filename, NULL);
	if (buf_cstr(&h))
		kv_add(&rs->headers, "Content-Disposition", buf_cstr(&h), h.len);
	buf_free(&h);
	kv_add(&rs->headers, "X-Content-Type-Options", "nosniff", 7);
	kv_add(&rs->headers, "Cache-Control", "private, no-store", 17);
}
