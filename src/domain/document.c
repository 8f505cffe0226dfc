/* Official documents (see document.h): templates rendered with the project's
 * Mustache renderer over a model of the case or company, numbered and frozen
 * at issue. */
#include "bizsos/document.h"
#include "bizsos/company.h"
#include "bizsos/mustache.h"
#include "bizsos/sos_case.h"
#include "bizsos/store.h"
#include "case_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KINDS[][2] = {
    {"referral", "협조 요청"}, {"result", "결과 통지문"}, {"anniversary", "창립기념일 축하서한문"}};

static const char SQL_LETTERHEAD[] =
    "SELECT org_name, sender, department, address, phone, fax, email, homepage, version "
    "FROM document_letterhead WHERE id = 1";
static const char SQL_LETTERHEAD_SAVE[] =
    "UPDATE document_letterhead SET org_name = ?1, sender = ?2, department = ?3, "
    "address = ?4, phone = ?5, fax = ?6, "
    "email = ?7, homepage = ?8, updated_at = ?9, updated_by = ?10, "
    "version = version + 1 WHERE id = 1 AND version = ?11";
static const char SQL_TEMPLATES[] =
    "SELECT kind, name, title, body, attachments, version FROM document_template ORDER BY "
    "CASE kind WHEN 'referral' THEN 1 WHEN 'result' THEN 2 ELSE 3 END";
static const char SQL_TEMPLATE[] =
    "SELECT title, body, attachments FROM document_template WHERE kind = ?1";
static const char SQL_TEMPLATE_SAVE[] =
    "UPDATE document_template SET title = ?2, body = ?3, attachments = ?4, "
    "updated_at = ?5, "
    "updated_by = ?6, version = version + 1 WHERE kind = ?1 AND version = ?7";
static const char SQL_DEPARTMENT[] =
    "SELECT name, kind FROM department WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_NEXT_SEQ[] =
    "SELECT coalesce(max(seq), 0) + 1 FROM issued_document WHERE year = ?1";
static const char SQL_ISSUE[] =
    "INSERT INTO issued_document (kind, doc_no, year, seq, case_id, company_id, department_id, "
    "issued_on, recipient, title, body, attachments, letterhead, staff_name, issued_by, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, ?15, ?16)";
static const char SQL_GET[] =
    "SELECT kind, doc_no, case_id, company_id, department_id, issued_on, recipient, title, body, "
    "attachments, letterhead, staff_name FROM issued_document WHERE id = ?1";
static const char SQL_FOR_CASE[] =
    "SELECT id, kind, doc_no, issued_on, recipient, title FROM issued_document "
    "WHERE case_id = ?1 ORDER BY id DESC";
static const char SQL_COMPANY_NAME[] = "SELECT name FROM company WHERE id = ?1";

const char *document_kind_name(const char *kind)
{
	for (size_t i = 0; kind && i < BZ_ARRAY_LEN(KINDS); i++)
		if (strcmp(KINDS[i][0], kind) == 0)
			return KINDS[i][1];
	return NULL;
}

/* "2024-05-02" -> "2024. 5. 2." (the official documents' date form) */
static void date_text(const char *d, char *out, size_t outlen)
{
	int y, m, dd;
	if (d && sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) == 3)
		snprintf(out, outlen, "%d. %d. %d.", y, m, dd);
	else
		bz_strlcpy(out, d ? d : "", outlen);
}

bz_rc document_letterhead(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LETTERHEAD);
	if (st == NULL)
		return BZ_ERR_DB;
	int r = db_step(st);
	if (r == SQLITE_ROW)
		/* the optional parts: JSON null when absent */
		*out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:I}", "org_name",
		                 db_col_text(st, 0), "sender", db_col_text(st, 1), "department",
		                 db_col_text(st, 2), "address", db_col_json(st, 3), "phone",
		                 db_col_json(st, 4), "fax", db_col_json(st, 5), "email",
		                 db_col_json(st, 6), "homepage", db_col_json(st, 7), "version",
		                 (json_int_t)sqlite3_column_int64(st, 8));
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return db_rc(db, r == SQLITE_DONE ? SQLITE_ERROR : r, "letterhead");
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

static bool plain_ok(const char *s, size_t max_chars, bool required, bool multiline)
{
	if (s == NULL || *s == '\0')
		return !required;
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
			return false;
		if (*p == '<' || *p == '>' || *p == '&')
			return false;
	}
	return bz_utf8_valid(s, strlen(s)) && chars <= max_chars;
}

bz_rc document_letterhead_save(struct db *db, const struct user *actor, const json_t *form,
                               json_t *fields)
{
	if (actor->role != ROLE_ADMIN)
		return BZ_ERR_FORBIDDEN;
	static const struct {
		const char *key;
		size_t max;
		bool required;
		const char *msg;
	} f[] = {
	    {"org_name", 60, true, "기관명을 1~60자로 적어 주세요."},
	    {"sender", 60, true, "발신명의(예: 가상시장)를 1~60자로 적어 주세요."},
	    {"department", 60, true, "부서명을 1~60자로 적어 주세요."},
	    {"address", 200, false, "주소는 200자까지 적을 수 있습니다."},
	    {"phone", 40, false, "전화는 40자까지 적을 수 있습니다."},
	    {"fax", 40, false, "전송은 40자까지 적을 수 있습니다."},
	    {"email", 100, false, "전자우편은 100자까지 적을 수 있습니다."},
	    {"homepage", 100, false, "홈페이지는 100자까지 적을 수 있습니다."},
	};
	const char *v[8];
	for (size_t i = 0; i < BZ_ARRAY_LEN(f); i++) {
		v[i] = json_string_value(json_object_get(form, f[i].key));
		if (!plain_ok(v[i], f[i].max, f[i].required, false))
			json_object_set_new(fields, f[i].key, json_string(f[i].msg));
	}
	const char *vs = json_string_value(json_object_get(form, "version"));
	int64_t version = vs ? strtoll(vs, NULL, 10) : 0;
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	char now[24];
	db_now_utc(now);
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	rc = db_execf(db, SQL_LETTERHEAD_SAVE, "tttttttttii", v[0], v[1], v[2], v[3] ? v[3] : "",
	              v[4] ? v[4] : "", v[5] ? v[5] : "", v[6] ? v[6] : "", v[7] ? v[7] : "", now,
	              actor->id, version);
	if (rc == BZ_OK && db_changes(db) == 0)
		rc = BZ_ERR_CONFLICT;
	if (rc == BZ_OK)
		rc = audit_log_json(db, actor->id, "document.letterhead", "document_letterhead",
		                    json_pack("{s:s, s:s}", "org_name", v[0], "sender", v[1]));
	if (rc == BZ_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

bz_rc document_templates(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TEMPLATES);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s, s:s, s:o, s:I}", "kind", db_col_text(st, 0),
		                 "name", db_col_text(st, 1), "title", db_col_text(st, 2), "body",
		                 db_col_text(st, 3), "attachments", db_col_json(st, 4), "version",
		                 (json_int_t)sqlite3_column_int64(st, 5)));
	return db_rows_json(db, st, r, "document templates", a, out);
}

/* A template source is fine: plain text (no < > &, no {{{) that compiles. */
static const char *template_problem(const char *src, size_t max_chars, char *err, size_t errlen)
{
	if (!plain_ok(src, max_chars, true, true))
		return "꺾쇠괄호(<, >)와 &는 쓸 수 없습니다. 글자 수와 줄바꿈 외 제어문자도 확인해 "
		       "주세요.";
	if (strstr(src, "{{{"))
		return "{{{ }}}는 쓸 수 없습니다. 값은 {{이름}}으로 넣어 주세요.";
	struct tpl *t = NULL;
	if (tpl_compile(src, strlen(src), &t, err, errlen) != BZ_OK)
		return err;
	tpl_free(t);
	return NULL;
}

bz_rc document_template_save(struct db *db, const struct user *actor, const char *kind,
                             const char *title, const char *body, const char *attachments,
                             int64_t version, json_t *fields)
{
	if (actor->role != ROLE_ADMIN)
		return BZ_ERR_FORBIDDEN;
	if (document_kind_name(kind) == NULL)
		return BZ_ERR_NOTFOUND;
	char e1[256], e2[256];
	const char *m;
	if ((m = template_problem(title ? title : "", 300, e1, sizeof(e1))) != NULL)
		json_object_set_new(fields, "title", json_string(m));
	if ((m = template_problem(body ? body : "", 20000, e2, sizeof(e2))) != NULL)
		json_object_set_new(fields, "body", json_string(m));
	if (!plain_ok(attachments, 300, false, false))
		json_object_set_new(fields, "attachments",
		                    json_string("붙임은 300자까지, <, >, & 없이 적어 주세요."));
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	char now[24];
	db_now_utc(now);
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	rc = db_execf(db, SQL_TEMPLATE_SAVE, "ttttiii", kind, title, body,
	              attachments ? attachments : "", now, actor->id, version);
	if (rc == BZ_OK && db_changes(db) == 0)
		rc = BZ_ERR_CONFLICT;
	if (rc == BZ_OK)
		rc = audit_log_json(db, actor->id, "document.template", "document_template",
		                    json_pack("{s:s, s:s}", "kind", kind, "title", title));
	if (rc == BZ_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* Renders a template source over model into out (escaped text). */
static bz_rc render(const char *src, json_t *model, char **out)
{
	struct tpl *t = NULL;
	char err[128];
	bz_rc rc = tpl_compile(src, strlen(src), &t, err, sizeof(err));
	if (rc != BZ_OK)
		return rc == BZ_ERR_NOMEM ? rc : BZ_ERR_DB;
	struct buf b;
	buf_init(&b, 256 * 1024);
	rc = tpl_render(t, model, NULL, NULL, &b);
	tpl_free(t);
	if (rc == BZ_OK) {
		*out = buf_detach(&b, NULL);
		if (*out == NULL)
			*out = strdup("");
		rc = *out ? BZ_OK : BZ_ERR_NOMEM;
	}
	buf_free(&b);
	return rc;
}

/* HTML/XML-escapes plain text (recipient, attachments) into a new string. */
static char *escaped(const char *s)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_html_escape(&b, s ? s : "", strlen(s ? s : ""));
	char *r = buf_detach(&b, NULL);
	buf_free(&b);
	return r ? r : strdup("");
}

static int64_t this_year(const char *today)
{
	return atoi(today);
}

/* The template model and the defaults; fills d (the draft). */
static bz_rc build(struct db *db, const struct user *actor, const struct document_request *rq,
                   json_t *d, json_t *fields, char *msg, size_t msglen)
{
	char today[DATE_TEXT_SIZE], tt[32];
	kst_today(today);
	date_text(today, tt, sizeof(tt));
	json_t *model = json_pack("{s:s, s:s}", "today", today, "today_text", tt);
	json_t *company = NULL, *cs = NULL;
	bz_rc rc = BZ_OK;
	int64_t company_id = rq->company_id;
	char recipient[600] = "";
	if (strcmp(rq->kind, "referral") == 0 || strcmp(rq->kind, "result") == 0) {
		json_t *full = NULL;
		if ((rc = case_get(db, actor, rq->case_id, &full)) != BZ_OK)
			goto out;
		cs = json_incref(json_object_get(full, "case"));
		json_decref(full);
		company_id = json_integer_value(json_object_get(cs, "company_id"));
		char rt[32];
		date_text(json_string_value(json_object_get(cs, "received_on")), rt, sizeof(rt));
		json_object_set_new(cs, "received_on_text", json_string(rt));
		const char *outcome = json_string_value(json_object_get(cs, "outcome"));
		const char *ol = case_label("outcome", outcome);
		json_object_set_new(cs, "outcome_label", json_string(ol ? ol : ""));
		/* "" is true for a Mustache section: an empty text is left out */
		const char *k;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(cs, tmp, k, v)
		{
			if (json_is_string(v) && json_string_length(v) == 0)
				json_object_set_new(cs, k, json_null());
		}
		json_object_set(model, "case", cs);
		json_object_set_new(d, "case_id", json_integer(rq->case_id));
		json_object_set_new(d, "case_no", json_copy(json_object_get(cs, "case_no")));
	}
	if ((rc = company_get(db, company_id, &company)) != BZ_OK)
		goto out;
	json_object_set(model, "company", company);
	json_object_set_new(d, "company_id", json_integer(company_id));
	json_object_set_new(d, "company_name", json_copy(json_object_get(company, "name")));
	const char *cname = json_string_value(json_object_get(company, "name"));
	const char *rep = json_string_value(json_object_get(company, "representative"));
	snprintf(recipient, sizeof(recipient), "%s 대표%s%s 귀하", cname ? cname : "",
	         rep && *rep ? " " : "", rep && *rep ? rep : "");

	if (strcmp(rq->kind, "referral") == 0) {
		if (!case_may(actor, CASE_ACT_REFER)) {
			rc = BZ_ERR_FORBIDDEN;
			goto out;
		}
		json_t *depts = NULL;
		if ((rc = case_departments(db, &depts)) != BZ_OK)
			goto out;
		size_t i;
		json_t *x;
		json_array_foreach(depts, i, x)
		    json_object_set_new(x, "selected",
		                        json_boolean(json_integer_value(json_object_get(x, "id")) ==
		                                     rq->department_id));
		json_object_set_new(d, "departments", depts);
		sqlite3_stmt *st = db_stmt(db, SQL_DEPARTMENT);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_int(st, 1, rq->department_id);
		bool found = db_step(st) == SQLITE_ROW;
		char dname[128] = "", dkind[16] = "";
		if (found) {
			bz_strlcpy(dname, db_col_text(st, 0), sizeof(dname));
			bz_strlcpy(dkind, db_col_text(st, 1), sizeof(dkind));
		}
		sqlite3_reset(st);
		if (!found) {
			json_object_set_new(
			    fields, "department_id",
			    json_string("협조를 요청할 부서나 기관을 골라 주세요."));
			recipient[0] = '\0';
		} else
			snprintf(recipient, sizeof(recipient), "%s장", dname);
		json_object_set_new(model, "recipient_kind",
		                    json_string(strcmp(dkind, "agency") == 0 ? "기관" : "부서"));
		json_object_set_new(d, "department_id", json_integer(rq->department_id));
		const char *due = json_string_value(json_object_get(cs, "due"));
		if (due == NULL)
			due = json_string_value(json_object_get(cs, "due_on"));
		char dt[32];
		date_text(due, dt, sizeof(dt));
		json_object_set_new(model, "due_text", json_string(dt));
	} else if (strcmp(rq->kind, "result") == 0) {
		if (!case_may(actor, CASE_ACT_NOTIFY)) {
			rc = BZ_ERR_FORBIDDEN;
			goto out;
		}
		const char *status = json_string_value(json_object_get(cs, "status"));
		if (status == NULL || strcmp(status, "done") != 0) {
			snprintf(msg, msglen,
			         "결과 통지문은 완료된 사건에만 발행합니다. 먼저 사건을 "
			         "완료로 종결해 주세요.");
			rc = BZ_ERR_CONFLICT;
			goto out;
		}
	} else if (strcmp(rq->kind, "anniversary") == 0) {
		if ((actor->role & (ROLE_STAFF | ROLE_LEADER)) == 0) {
			rc = BZ_ERR_FORBIDDEN;
			goto out;
		}
		const char *founded = json_string_value(json_object_get(company, "founded_on"));
		if (founded == NULL || strlen(founded) < 10) {
			snprintf(msg, msglen,
			         "창립일이 등록되지 않은 기업입니다. 기업 정보에 창립일을 "
			         "먼저 적어 주세요.");
			rc = BZ_ERR_CONFLICT;
			goto out;
		}
		int64_t years = this_year(today) - atoi(founded);
		char ft[32];
		date_text(founded, ft, sizeof(ft));
		json_object_set_new(model, "years", json_integer(years > 0 ? years : 0));
		json_object_set_new(model, "founded_on_text", json_string(ft));
	} else {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if (rq->recipient && *rq->recipient) {
		if (!plain_ok(rq->recipient, DOCUMENT_RECIPIENT_CHARS, true, false))
			json_object_set_new(
			    fields, "recipient",
			    json_string("수신은 200자까지, <, >, & 없이 적어 주세요."));
		else
			bz_strlcpy(recipient, rq->recipient, sizeof(recipient));
	}
	json_object_set_new(model, "recipient", json_string(recipient));

	/* the template of the kind */
	sqlite3_stmt *st = db_stmt(db, SQL_TEMPLATE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, rq->kind);
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = BZ_ERR_DB;
		goto out;
	}
	char *title_src = db_col_strdup(st, 0), *body_src = db_col_strdup(st, 1);
	char *att = db_col_strdup(st, 2);
	sqlite3_reset(st);
	char *title = NULL, *body = NULL, *rcp = escaped(recipient), *atte = escaped(att);
	if (title_src && body_src) {
		rc = render(title_src, model, &title);
		if (rc == BZ_OK)
			rc = render(body_src, model, &body);
	} else
		rc = BZ_ERR_NOMEM;
	if (rc == BZ_OK) {
		json_t *lh = NULL;
		rc = document_letterhead(db, &lh);
		if (rc == BZ_OK) {
			json_object_set_new(d, "letterhead", lh);
			json_object_set_new(d, "kind", json_string(rq->kind));
			json_object_set_new(d, "kind_name",
			                    json_string(document_kind_name(rq->kind)));
			json_object_set_new(d, "recipient", json_string(rcp));
			json_object_set_new(d, "recipient_plain", json_string(recipient));
			json_object_set_new(d, "recipient_input",
			                    json_string(rq->recipient ? rq->recipient : ""));
			json_object_set_new(d, "title", json_string(title));
			json_object_set_new(d, "body", json_string(body));
			json_object_set_new(d, "attachments", json_string(atte));
			json_object_set_new(d, "issued_on", json_string(today));
			json_object_set_new(d, "issued_on_text", json_string(tt));
			json_object_set_new(d, "doc_no", json_null());
			json_object_set_new(d, "staff_name", json_string(actor->name));
		}
	}
	free(title_src);
	free(body_src);
	free(att);
	free(title);
	free(body);
	free(rcp);
	free(atte);
out:
	json_decref(model);
	json_decref(company);
	json_decref(cs);
	return rc;
}

/* has_attachments and the footer's contact line (the empty parts left out). */
static void finish_model(json_t *d)
{
	const json_t *lh = json_object_get(d, "letterhead");
	struct buf b;
	buf_init(&b, 1024);
	static const char *const parts[][2] = {{"phone", "전화 "}, {"fax", "전송 "}, {"email", ""}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(parts); i++) {
		const char *v = json_string_value(json_object_get(lh, parts[i][0]));
		if (v && *v)
			buf_printf(&b, "%s%s / ", parts[i][1], v);
	}
	buf_puts(&b, "공개");
	json_object_set_new(d, "contact_line", json_string(b.failed ? "공개" : buf_cstr(&b)));
	buf_free(&b);
	const char *att = json_string_value(json_object_get(d, "attachments"));
	json_object_set_new(d, "has_attachments", json_boolean(att && *att));
}

bz_rc document_draft(struct db *db, const struct user *actor, const struct document_request *rq,
                     json_t **out, json_t *fields, char *msg, size_t msglen)
{
	*out = NULL;
	if (document_kind_name(rq->kind) == NULL)
		return BZ_ERR_NOTFOUND;
	json_t *d = json_object();
	bz_rc rc = build(db, actor, rq, d, fields, msg, msglen);
	if (rc != BZ_OK) {
		json_decref(d);
		return rc;
	}
	finish_model(d);
	*out = d;
	return BZ_OK;
}

bz_rc document_issue(struct db *db, const struct user *actor, const struct document_request *rq,
                     json_t *fields, int64_t *id_out, char *msg, size_t msglen)
{
	json_t *d = NULL;
	bz_rc rc = document_draft(db, actor, rq, &d, fields, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (json_object_size(fields)) {
		json_decref(d);
		return BZ_ERR_INVALID;
	}
	char today[DATE_TEXT_SIZE], now[24];
	kst_today(today);
	db_now_utc(now);
	if ((rc = db_begin(db)) != BZ_OK) {
		json_decref(d);
		return rc;
	}
	int64_t year = this_year(today), seq = 0, id = 0;
	rc = db_int1f(db, SQL_NEXT_SEQ, 1, &seq, "i", year);
	json_t *lh = json_object_get(d, "letterhead");
	char doc_no[160];
	snprintf(doc_no, sizeof(doc_no), "%s-%lld",
	         json_string_value(json_object_get(lh, "department")), (long long)seq);
	char *lh_text = json_dumps(lh, JSON_COMPACT);
	int64_t case_id = json_integer_value(json_object_get(d, "case_id"));
	int64_t company_id = json_integer_value(json_object_get(d, "company_id"));
	if (rc == BZ_OK && lh_text == NULL)
		rc = BZ_ERR_NOMEM;
	if (rc == BZ_OK) {
		sqlite3_stmt *st = db_stmt(db, SQL_ISSUE);
		if (st == NULL)
			rc = BZ_ERR_DB;
		else {
			db_bind_text(st, 1, rq->kind);
			db_bind_text(st, 2, doc_no);
			db_bind_int(st, 3, year);
			db_bind_int(st, 4, seq);
			if (case_id)
				db_bind_int(st, 5, case_id);
			db_bind_int(st, 6, company_id);
			if (strcmp(rq->kind, "referral") == 0)
				db_bind_int(st, 7, rq->department_id);
			db_bind_text(st, 8, today);
			db_bind_text(st, 9,
			             json_string_value(json_object_get(d, "recipient_plain")));
			db_bind_text(st, 10, json_string_value(json_object_get(d, "title")));
			db_bind_text(st, 11, json_string_value(json_object_get(d, "body")));
			db_bind_text(st, 12, json_string_value(json_object_get(d, "attachments")));
			db_bind_text(st, 13, lh_text);
			db_bind_text(st, 14, actor->name);
			db_bind_int(st, 15, actor->id);
			db_bind_text(st, 16, now);
			rc = db_step_done(db, st, "issue document");
			id = db_last_id(db);
		}
	}
	free(lh_text);
	if (rc == BZ_OK && case_id) {
		char note[400];
		snprintf(note, sizeof(note), "%s %s → %s", document_kind_name(rq->kind), doc_no,
		         json_string_value(json_object_get(d, "recipient_plain")));
		rc = case_event_add(db, case_id, actor->id, "document", "document", NULL, doc_no,
		                    note);
	}
	if (rc == BZ_OK && strcmp(rq->kind, "result") == 0) {
		/* the letter is the notice to the company: 서면, today */
		json_t *cur = NULL;
		rc = case_current(db, actor, case_id, &cur);
		if (rc == BZ_OK) {
			json_t *nf = json_object();
			rc = case_notify(db, actor, case_id,
			                 json_integer_value(json_object_get(cur, "version")),
			                 "letter", today, nf, msg, msglen);
			json_decref(nf);
		}
		json_decref(cur);
	}
	json_decref(d);
	if (rc == BZ_OK && (rc = db_commit(db)) == BZ_OK) {
		*id_out = id;
		return BZ_OK;
	}
	db_rollback(db);
	return rc;
}

bz_rc document_get(struct db *db, const struct user *actor, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int r = db_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "document");
	}
	const char *kind = db_col_text(st, 0);
	char issued_text[32];
	date_text(db_col_text(st, 5), issued_text, sizeof(issued_text));
	char *rcp = escaped(db_col_text(st, 6));
	json_error_t jerr;
	json_t *lh = json_loads(db_col_text(st, 10), 0, &jerr);
	json_t *d = json_pack(
	    "{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}", "id",
	    (json_int_t)id, "kind", kind, "kind_name", document_kind_name(kind), "doc_no",
	    db_col_text(st, 1), "case_id", (json_int_t)sqlite3_column_int64(st, 2), "company_id",
	    (json_int_t)sqlite3_column_int64(st, 3), "issued_on", db_col_text(st, 5),
	    "issued_on_text", issued_text, "recipient", rcp, "recipient_plain", db_col_text(st, 6),
	    "title", db_col_text(st, 7), "body", db_col_text(st, 8), "attachments",
	    db_col_json(st, 9), "letterhead", lh ? lh : json_object(), "staff_name",
	    db_col_text(st, 11));
	int64_t case_id = sqlite3_column_int64(st, 2);
	int64_t company_id = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	free(rcp);
	if (d == NULL)
		return BZ_ERR_NOMEM;
	/* a document about a case is seen by those who see the case */
	if (case_id) {
		json_t *c = NULL;
		bz_rc rc = case_current(db, actor, case_id, &c);
		if (rc == BZ_OK)
			json_object_set_new(d, "case_no", json_copy(json_object_get(c, "case_no")));
		json_decref(c);
		if (rc != BZ_OK) {
			json_decref(d);
			return rc;
		}
	} else if (actor->role == ROLE_DEPARTMENT) {
		json_decref(d);
		return BZ_ERR_NOTFOUND;
	}
	finish_model(d);
	st = db_stmt(db, SQL_COMPANY_NAME);
	if (st) {
		db_bind_int(st, 1, company_id);
		if (db_step(st) == SQLITE_ROW)
			json_object_set_new(d, "company_name", json_string(db_col_text(st, 0)));
		sqlite3_reset(st);
	}
	*out = d;
	return BZ_OK;
}

bz_rc document_list_for_case(struct db *db, int64_t case_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_FOR_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, case_id);
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		const char *kind = db_col_text(st, 1);
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		                 (json_int_t)sqlite3_column_int64(st, 0), "kind", kind, "kind_name",
		                 document_kind_name(kind) ? document_kind_name(kind) : kind,
		                 "doc_no", db_col_text(st, 2), "issued_on", db_col_text(st, 3),
		                 "recipient", db_col_text(st, 4), "title", db_col_text(st, 5)));
	}
	return db_rows_json(db, st, r, "documents of a case", a, out);
}
