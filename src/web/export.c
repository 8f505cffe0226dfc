/* List downloads: a list handler asks web_export_begin whether this request
 * is its CSV or XLSX face (the list's path with .csv or .xlsx added, the
 * query kept); if so it feeds the domain's rows to the writer instead of
 * building a page, and web_export_end answers with the file. A list holding
 * personal data first asks for the reason (다운로드 사유), which is recorded
 * in the audit log with the query and the row count. */
#include "web_export.h"
#include "bizsos/app.h"
#include "bizsos/kst.h"
#include "bizsos/buf.h"
#include "bizsos/privacy.h"
#include "bizsos/sos_case.h"
#include "bizsos/user.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define REASON_MIN_CHARS 2
#define REASON_MAX_CHARS 200

static enum export_format path_format(const char *path, size_t *stem)
{
	size_t n = strlen(path);
	if (n > 4 && strcmp(path + n - 4, ".csv") == 0) {
		*stem = n - 4;
		return EXPORT_CSV;
	}
	if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0) {
		*stem = n - 5;
		return EXPORT_XLSX;
	}
	return 0;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The request's query without page, reason and format, as "?a=b&c=d" ("" if none). */
static void kept_query(const struct request *rq, struct buf *b)
{
	bool first = true;
	for (size_t i = 0; i < rq->query.n; i++) {
		const struct kv *kv = &rq->query.items[i];
		if (strcmp(kv->key, "page") == 0 || strcmp(kv->key, "reason") == 0 ||
		    strcmp(kv->key, "cursor") == 0 || strcmp(kv->key, "limit") == 0 ||
		    kv->value[0] == '\0')
			continue;
		buf_putc(b, first ? '?' : '&');
		first = false;
		buf_url_encode(b, kv->key, NULL);
		buf_putc(b, '=');
		buf_url_encode(b, kv->value, NULL);
	}
}

void web_export_links(const struct request *rq, json_t *model, const struct export_spec *spec)
{
	struct buf q;
	buf_init(&q, 8192);
	kept_query(rq, &q);
	const char *qs = q.failed ? "" : buf_cstr(&q);
	char csv[8400], xlsx[8400];
	snprintf(csv, sizeof(csv), "%s.csv%s", rq->path, qs);
	snprintf(xlsx, sizeof(xlsx), "%s.xlsx%s", rq->path, qs);
	json_object_set_new(model, "export",
	                    json_pack("{s:s, s:s, s:b, s:s}", "csv", csv, "xlsx", xlsx, "personal",
	                              spec->personal, "title", spec->title));
	buf_free(&q);
}

/* The page that asks for the reason: a GET form back to the same download. */
static void ask_reason(struct request *rq, struct response *rs, const struct export_spec *spec,
                       const char *message)
{
	json_t *hidden = json_array();
	for (size_t i = 0; i < rq->query.n; i++) {
		const struct kv *kv = &rq->query.items[i];
		if (strcmp(kv->key, "reason") == 0)
			continue;
		json_array_append_new(hidden,
		                      json_pack("{s:s, s:s}", "name", kv->key, "value", kv->value));
	}
	size_t stem = 0;
	enum export_format fmt = path_format(rq->path, &stem);
	char back[1024];
	snprintf(back, sizeof(back), "%.*s", (int)stem, rq->path);
	const char *reason = rq_query(rq, "reason");
	json_t *m = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "action", rq->path, "title",
	                      spec->title, "format", fmt == EXPORT_CSV ? "CSV" : "엑셀", "hidden",
	                      hidden, "back", back, "reason", reason ? reason : "");
	if (message == NULL) {
		web_page(rs, "export/reason", "다운로드 사유", m);
		return;
	}
	json_object_set_new(m, "error", json_string(message));
	web_invalid(rs, "export/reason", "다운로드 사유", m, json_pack("{s:s}", "reason", message));
}

bool web_export_begin(struct request *rq, struct response *rs, const struct export_spec *spec,
                      struct export_writer **w)
{
	*w = NULL;
	size_t stem;
	enum export_format fmt = path_format(rq->path, &stem);
	if (fmt == 0)
		return false;
	if (spec->personal) {
		const char *reason = rq_query(rq, "reason");
		size_t chars = reason ? utf8_chars(reason) : 0;
		if (reason == NULL) {
			if (rq->api) {
				web_error(
				    rs, 422, "reason_required",
				    "개인정보가 담긴 목록입니다. 다운로드 사유(reason)를 적어 "
				    "주세요.");
				return true;
			}
			ask_reason(rq, rs, spec, NULL);
			return true;
		}
		const char *bad = privacy_reason_check(reason);
		if (bad || chars < REASON_MIN_CHARS || chars > REASON_MAX_CHARS) {
			const char *msg = bad ? bad : "다운로드 사유를 2~200자로 적어 주세요.";
			if (rq->api)
				web_error(rs, 422, "reason_required", msg);
			else
				ask_reason(rq, rs, spec, msg);
			return true;
		}
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	bz_rc rc = export_open(spec, fmt, rq->app->tmp_dir, today, w);
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "내려받을 파일을 만들지 못했습니다.");
		return true;
	}
	return true;
}

void web_export_end(struct request *rq, struct response *rs, struct export_writer *w, bz_rc rc)
{
	if (rc != BZ_OK) {
		export_abort(w);
		if (rc == BZ_ERR_INVALID)
			web_error(rs, 422, "invalid",
			          "검색 조건이 올바르지 않아 내려받지 못했습니다. 목록에서 조건을 "
			          "확인해 주세요.");
		else
			web_error(rs, 500, "internal", "내려받을 파일을 만들지 못했습니다.");
		return;
	}
	size_t stem;
	enum export_format fmt = path_format(rq->path, &stem);
	const struct export_spec *spec = export_spec_of(w);
	int64_t rows = export_count(w);
	int fd = -1;
	int64_t size = 0;
	if (export_finish(w, &fd, &size) != BZ_OK) {
		web_error(rs, 500, "internal", "내려받을 파일을 만들지 못했습니다.");
		return;
	}
	/* who downloaded what, why, and how many rows */
	struct buf q;
	buf_init(&q, 8192);
	kept_query(rq, &q);
	const char *reason = rq_query(rq, "reason");
	json_t *detail = json_pack("{s:s, s:s, s:s, s:I}", "list", spec->title, "format",
	                           fmt == EXPORT_CSV ? "csv" : "xlsx", "query",
	                           q.failed ? "" : buf_cstr(&q), "rows", (json_int_t)rows);
	if (detail && reason)
		json_object_set_new(detail, "reason", json_string(reason));
	buf_free(&q);
	char object[96];
	snprintf(object, sizeof(object), "export:%s", spec->name);
	/* personal data: a row of the access log (개인정보 접속기록) with the reason */
	char what[64];
	snprintf(what, sizeof(what), "%s:%lld", fmt == EXPORT_CSV ? "csv" : "xlsx",
	         (long long)rows);
	bz_rc lrc = BZ_OK;
	if (spec->personal)
		lrc = privacy_log(rq->db, &(struct privacy_entry){.user_id = rq->user.id,
		                                                  .remote = rq->remote,
		                                                  .action = PRIVACY_DOWNLOAD,
		                                                  .subject_kind = "list",
		                                                  .subject = spec->title,
		                                                  .what = what,
		                                                  .reason = reason});
	if (lrc != BZ_OK) {
		json_decref(detail);
		close(fd);
		web_error(rs, 500, "internal", "다운로드 기록을 남기지 못해 내려받지 않았습니다.");
		return;
	}
	if (audit_log_json(rq->db, rq->user.id, spec->personal ? "export.personal" : "export",
	                   object, detail) != BZ_OK) {
		close(fd);
		web_error(rs, 500, "internal", "다운로드 기록을 남기지 못해 내려받지 않았습니다.");
		return;
	}

	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *ext = fmt == EXPORT_CSV ? "csv" : "xlsx";
	struct buf disp;
	buf_init(&disp, 2048);
	buf_printf(&disp, "attachment; filename=\"%s-%s.%s\"; filename*=UTF-8''", spec->name, today,
	           ext);
	char korean[256];
	snprintf(korean, sizeof(korean), "%s_%s.%s", spec->title, today, ext);
	buf_url_encode(&disp, korean, NULL);
	rs->status = 200;
	rs->fd = fd;
	rs->fd_size = size;
	bz_strlcpy(rs->content_type, fmt == EXPORT_CSV ? EXPORT_CSV_TYPE : EXPORT_XLSX_TYPE,
	           sizeof(rs->content_type));
	if (!disp.failed)
		kv_add(&rs->headers, "Content-Disposition", buf_cstr(&disp), disp.len);
	kv_add(&rs->headers, "Cache-Control", "private, no-store", 17);
	buf_free(&disp);
}

bool web_export_list(struct request *rq, struct response *rs, const struct export_spec *spec,
                     const json_t *rows)
{
	struct export_writer *w;
	if (!web_export_begin(rq, rs, spec, &w))
		return false;
	if (w)
		web_export_end(rq, rs, w, export_rows(w, rows));
	return true;
}
