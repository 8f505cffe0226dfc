/* Imports of companies and cases (see import.h). One pass over the file:
 * the header row names the columns; each later row is checked and written
 * through the domain's own create/update functions inside one outer
 * transaction, and a TEMP table remembers the keys already seen so a key
 * twice in one file is an error. At the end the transaction is committed
 * only for an import with no error; a check always rolls back. */
#include "bizsos/import.h"
#include "bizsos/company.h"
#include "bizsos/sos_case.h"
#include "bizsos/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct col_def {
	const char *header;
	const char *field; /* the domain's field name in its error object */
	bool required;
	const char *note;
};

static const struct col_def company_defs[] = {
    {"기업명", "name", true, "1~100자"},
    {"사업자등록번호", "brn", true, "123-45-67890 (같은 번호의 기업이 있으면 고칩니다)"},
    {"법인등록번호", "crn", false, "13자리"},
    {"대표자", "representative", false, NULL},
    {"업종코드", "ksic_code", false, "한국표준산업분류 대분류·중분류 (예: C, C25)"},
    {"주소", "address", false, NULL},
    {"지역", "zone", false, "산업단지·권역"},
    {"종업원 수", "employees", false, "숫자"},
    {"창립일", "founded_on", false, "2001-03-04"},
    {"비고", "notes", false, NULL},
};

static const struct col_def case_defs[] = {
    {"접수번호", "case_no", false,
     "SOS-2024-0001 (같은 번호의 사건이 있으면 고칩니다; 비우면 새 번호)"},
    {"접수일", "received_on", true, "2024-05-02"},
    {"기업명", NULL, false, "참고용 (기업은 사업자등록번호로 찾습니다)"},
    {"사업자등록번호", "company_id", true, "등록된 기업"},
    {"접수 경로", "channel", true, "현장방문, 전화, 온라인 …"},
    {"분야", "category_id", true, "애로 분야 이름"},
    {"제목", "title", true, "1~200자"},
    {"내용", "description", false, NULL},
    {"요청사항", "request", false, NULL},
};

#define MAX_DEFS 12

static const struct col_def *defs_of(enum import_kind kind, size_t *n)
{
	if (kind == IMPORT_COMPANIES) {
		*n = BZ_ARRAY_LEN(company_defs);
		return company_defs;
	}
	*n = BZ_ARRAY_LEN(case_defs);
	return case_defs;
}

json_t *import_columns(enum import_kind kind)
{
	size_t n;
	const struct col_def *d = defs_of(kind, &n);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:b, s:s}", "header", d[i].header,
		                                   "required", d[i].required, "note",
		                                   d[i].note ? d[i].note : ""));
	return a;
}

bool import_allowed(const struct user *u, enum import_kind kind)
{
	if (kind == IMPORT_COMPANIES)
		return (u->role & (ROLE_STAFF | ROLE_LEADER | ROLE_ADMIN)) != 0;
	return case_may(u, CASE_ACT_CREATE) && case_may(u, CASE_ACT_EDIT);
}

static const char SQL_SEEN_MAKE[] =
    "CREATE TEMP TABLE IF NOT EXISTS import_seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL)";
static const char SQL_SEEN_CLEAR[] = "DELETE FROM temp.import_seen";
static const char SQL_SEEN_GET[] = "SELECT row FROM temp.import_seen WHERE key = ?1";
static const char SQL_SEEN_ADD[] = "INSERT INTO temp.import_seen (key, row) VALUES (?1, ?2)";
static const char SQL_COMPANY_BY_BRN[] = "SELECT id, version FROM company WHERE brn = ?1";
static const char SQL_COMPANY_VERSION[] = "SELECT version FROM company WHERE id = ?1";
static const char SQL_CASE_BY_NO[] = "SELECT id FROM sos_case WHERE case_no = ?1";

struct run {
	struct db *db;
	const struct user *actor;
	enum import_kind kind;
	const struct col_def *defs;
	size_t ndefs;
	long at[MAX_DEFS]; /* the file's column of each def, -1 if absent */
	bool header_done;
	const char *msg;
	json_t *report_rows;
	json_t *ignored;
	int64_t total, created, changed, unchanged, error_rows, errors, errors_shown;
	json_t *categories; /* [{id, name}] */
	json_t *channels;   /* [{value, label}] */
	char msgbuf[256];
};

/* "A", "B", … "AA" for a 0-based column */
static void col_letter(long c, char out[8])
{
	char tmp[8];
	int n = 0;
	for (c = c + 1; c > 0 && n < 7; c = (c - 1) / 26)
		tmp[n++] = (char)('A' + (c - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static const char *cell(const struct run *r, const char *const *cells, size_t n, size_t def)
{
	long at = r->at[def];
	if (at < 0)
		return NULL;
	return (size_t)at < n ? cells[at] : "";
}

static size_t def_index(const struct run *r, const char *field)
{
	for (size_t i = 0; i < r->ndefs; i++)
		if (r->defs[i].field && strcmp(r->defs[i].field, field) == 0)
			return i;
	return (size_t)-1;
}

/* Adds {column, letter, message} for a domain field to errs. */
static void add_error(struct run *r, json_t *errs, const char *field, const char *message)
{
	size_t d = def_index(r, field);
	char letter[8] = "";
	const char *column = "(행 전체)";
	if (d != (size_t)-1) {
		column = r->defs[d].header;
		if (r->at[d] >= 0)
			col_letter(r->at[d], letter);
	}
	json_array_append_new(errs, json_pack("{s:s, s:s, s:s}", "column", column, "letter", letter,
	                                      "message", message));
}

static void add_field_errors(struct run *r, json_t *errs, json_t *fields)
{
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v)
	{
		const char *m = json_string_value(v);
		add_error(r, errs, k, m ? m : "값을 확인해 주세요.");
	}
}

static bz_rc header(struct run *r, const char *const *cells, size_t n)
{
	for (size_t d = 0; d < r->ndefs; d++)
		r->at[d] = -1;
	for (size_t i = 0; i < n; i++) {
		const char *h = cells[i];
		while (*h == ' ')
			h++;
		bool known = false;
		for (size_t d = 0; d < r->ndefs; d++)
			if (strcmp(h, r->defs[d].header) == 0 && r->at[d] < 0) {
				r->at[d] = (long)i;
				known = true;
			}
		if (!known && *h)
			json_array_append_new(r->ignored, json_string(h));
	}
	for (size_t d = 0; d < r->ndefs; d++)
		if (r->defs[d].required && r->at[d] < 0) {
			snprintf(
			    r->msgbuf, sizeof(r->msgbuf),
			    "첫 행에 ‘%s’ 열이 없습니다. 서식 파일의 머리글을 그대로 써 주세요.",
			    r->defs[d].header);
			r->msg = r->msgbuf;
			return BZ_ERR_INVALID;
		}
	r->header_done = true;
	return BZ_OK;
}

/* Has key been seen on an earlier row? *first gets that row. Else remembers it. */
static bz_rc seen(struct run *r, const char *key, int64_t row_no, int64_t *first)
{
	*first = 0;
	sqlite3_stmt *st = db_stmt(r->db, SQL_SEEN_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, key);
	if (db_step(st) == SQLITE_ROW)
		*first = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (*first)
		return BZ_OK;
	st = db_stmt(r->db, SQL_SEEN_ADD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, row_no);
	bz_rc rc = db_rc(r->db, db_step(st), "import seen");
	sqlite3_reset(st);
	return rc;
}

/* A date cell: text as is, an Excel serial number as YYYY-MM-DD. */
static const char *date_cell(const char *v, char *buf, size_t buflen)
{
	if (v && sheet_serial_date(v, buf, buflen))
		return buf;
	return v;
}

static void brn_digits(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	for (; s && *s && n + 1 < outlen; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
		else if (*s != '-' && *s != ' ') {
			n = 0;
			break;
		}
	out[n] = '\0';
}

/* One company row: created, changed or unchanged; errors into errs. */
static bz_rc company_row(struct run *r, int64_t row_no, const char *const *cells, size_t n,
                         json_t *errs, const char **result, char *key, size_t keylen)
{
	const char *v[BZ_ARRAY_LEN(company_defs)];
	for (size_t d = 0; d < r->ndefs; d++)
		v[d] = cell(r, cells, n, d);
	char brn[32];
	brn_digits(v[1], brn, sizeof(brn));
	bz_strlcpy(key, v[1] ? v[1] : "", keylen);
	int64_t first = 0;
	if (brn[0]) {
		bz_rc rc = seen(r, brn, row_no, &first);
		if (rc != BZ_OK)
			return rc;
		if (first) {
			char m[160];
			snprintf(m, sizeof(m), "같은 사업자등록번호가 %lld행에도 있습니다.",
			         (long long)first);
			add_error(r, errs, "brn", m);
			return BZ_OK;
		}
	}
	int64_t id = 0, version = 0;
	sqlite3_stmt *st = db_stmt(r->db, SQL_COMPANY_BY_BRN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, brn);
	if (brn[0] && db_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		version = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);

	/* columns the file does not have keep the company's current values */
	json_t *current = NULL;
	if (id) {
		json_t *c = NULL;
		if (company_get(r->db, id, &c) != BZ_OK)
			return BZ_ERR_DB;
		current = company_form_values(c);
		json_decref(c);
	}
	char founded[16];
	const char *vals[BZ_ARRAY_LEN(company_defs)];
	for (size_t d = 0; d < r->ndefs; d++) {
		vals[d] = v[d];
		if (vals[d] == NULL && current)
			vals[d] = json_string_value(json_object_get(current, r->defs[d].field));
	}
	struct company_input in = {
	    .name = vals[0],
	    .brn = vals[1],
	    .crn = vals[2],
	    .representative = vals[3],
	    .ksic_code = vals[4],
	    .address = vals[5],
	    .zone = vals[6],
	    .employees = vals[7],
	    .founded_on = date_cell(vals[8], founded, sizeof(founded)),
	    .notes = vals[9],
	    .confirm_similar = true,
	    .version = version,
	};
	struct company_outcome o = {0};
	bz_rc rc;
	if (id) {
		rc = company_update(r->db, r->actor->id, id, &in, &o);
		if (rc == BZ_OK) {
			st = db_stmt(r->db, SQL_COMPANY_VERSION);
			int64_t now = version;
			if (st) {
				db_bind_int(st, 1, id);
				if (db_step(st) == SQLITE_ROW)
					now = sqlite3_column_int64(st, 0);
				sqlite3_reset(st);
			}
			*result = now != version ? "changed" : "unchanged";
		}
	} else {
		rc = company_create(r->db, r->actor->id, &in, &id, &o);
		if (rc == BZ_OK)
			*result = "created";
	}
	if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONSTRAINT || rc == BZ_ERR_CONFLICT) {
		if (o.fields && json_object_size(o.fields))
			add_field_errors(r, errs, o.fields);
		else
			add_error(r, errs, "", "이 행을 저장할 수 없습니다.");
		rc = BZ_OK;
	}
	company_outcome_free(&o);
	json_decref(current);
	return rc;
}

static int64_t category_id(const struct run *r, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(r->categories, i, c)
	{
		const char *n = json_string_value(json_object_get(c, "name"));
		if (name && n && strcmp(n, name) == 0)
			return json_integer_value(json_object_get(c, "id"));
	}
	return 0;
}

static const char *channel_code(const struct run *r, const char *text)
{
	size_t i;
	json_t *c;
	json_array_foreach(r->channels, i, c)
	{
		const char *v = json_string_value(json_object_get(c, "value"));
		const char *l = json_string_value(json_object_get(c, "label"));
		if (text && ((v && strcmp(v, text) == 0) || (l && strcmp(l, text) == 0)))
			return v;
	}
	return NULL;
}

static bool same(const json_t *cur, const char *key, const char *v)
{
	const char *c = json_string_value(json_object_get(cur, key));
	return strcmp(c ? c : "", v ? v : "") == 0;
}

static bz_rc case_row(struct run *r, int64_t row_no, const char *const *cells, size_t n,
                      json_t *errs, const char **result, char *key, size_t keylen)
{
	const char *no = cell(r, cells, n, 0);
	char recvb[16];
	const char *recv = date_cell(cell(r, cells, n, 1), recvb, sizeof(recvb));
	const char *brn_text = cell(r, cells, n, 3);
	const char *channel_text = cell(r, cells, n, 4);
	const char *category = cell(r, cells, n, 5);
	const char *title = cell(r, cells, n, 6);
	const char *desc = cell(r, cells, n, 7);
	const char *req = cell(r, cells, n, 8);
	bz_strlcpy(key, no && *no ? no : "(새 사건)", keylen);

	if (no && *no) {
		int64_t first = 0;
		bz_rc rc = seen(r, no, row_no, &first);
		if (rc != BZ_OK)
			return rc;
		if (first) {
			char m[160];
			snprintf(m, sizeof(m), "같은 접수번호가 %lld행에도 있습니다.",
			         (long long)first);
			add_error(r, errs, "case_no", m);
			return BZ_OK;
		}
	}
	/* the company by its BRN */
	char brn[32];
	brn_digits(brn_text, brn, sizeof(brn));
	int64_t company = 0;
	sqlite3_stmt *st = db_stmt(r->db, SQL_COMPANY_BY_BRN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, brn);
	if (brn[0] && db_step(st) == SQLITE_ROW)
		company = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	bool bad = false;
	if (company == 0) {
		add_error(r, errs, "company_id",
		          brn[0] ? "등록되지 않은 사업자등록번호입니다. 기업을 먼저 등록하거나 "
		                   "가져와 주세요."
		                 : "사업자등록번호를 123-45-67890처럼 적어 주세요.");
		bad = true;
	}
	int64_t cat = category_id(r, category);
	if (cat == 0) {
		add_error(r, errs, "category_id",
		          category && *category ? "없는 애로 분야입니다. 분야 이름을 확인해 주세요."
		                                : "애로 분야를 적어 주세요.");
		bad = true;
	}
	const char *ch = channel_code(r, channel_text);
	if (ch == NULL) {
		add_error(r, errs, "channel",
		          "접수 경로는 현장방문, 전화, 온라인처럼 목록의 이름으로 적어 주세요.");
		bad = true;
	}
	char company_s[32], cat_s[32];
	snprintf(company_s, sizeof(company_s), "%lld", (long long)company);
	snprintf(cat_s, sizeof(cat_s), "%lld", (long long)cat);

	int64_t id = 0;
	if (no && *no) {
		st = db_stmt(r->db, SQL_CASE_BY_NO);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_text(st, 1, no);
		if (db_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	json_t *fields = json_object();
	bz_rc rc = BZ_OK;
	if (id) {
		json_t *cur = NULL;
		rc = case_edit_values(r->db, r->actor, id, &cur);
		if (rc == BZ_ERR_NOTFOUND) {
			add_error(r, errs, "case_no", "이 접수번호의 사건을 볼 수 없습니다.");
			rc = BZ_OK;
		} else if (rc == BZ_OK && !bad) {
			int64_t company_now = 0;
			json_t *full = NULL;
			if (case_get(r->db, r->actor, id, &full) == BZ_OK)
				company_now = json_integer_value(
				    json_object_get(json_object_get(full, "case"), "company_id"));
			json_decref(full);
			if (company_now != company)
				add_error(
				    r, errs, "company_id",
				    "이 접수번호의 사건은 다른 기업의 것입니다. 기업은 가져오기로 "
				    "바꿀 수 없습니다.");
			else if (same(cur, "title", title) &&
			         same(cur, "description", desc ? desc : "") &&
			         same(cur, "request", req ? req : "") &&
			         same(cur, "category_id", cat_s) && same(cur, "channel", ch) &&
			         same(cur, "received_on", recv))
				*result = "unchanged";
			else {
				struct case_edit_input in = {title, desc, req, cat_s,
				                             ch,    recv, NULL};
				bool changed = false;
				char msg[256] = "";
				rc = case_edit(r->db, r->actor, id,
				               json_integer_value(json_object_get(cur, "version")),
				               &in, &changed, fields, msg, sizeof(msg));
				if (rc == BZ_OK)
					*result = changed ? "changed" : "unchanged";
				else if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONFLICT ||
				         rc == BZ_ERR_FORBIDDEN) {
					if (json_object_size(fields))
						add_field_errors(r, errs, fields);
					else
						add_error(r, errs, "",
						          msg[0] ? msg
						                 : "이 사건은 고칠 수 없습니다.");
					rc = BZ_OK;
				}
			}
		}
		json_decref(cur);
	} else if (!bad) {
		struct case_input in = {.company_id = company_s,
		                        .received_on = recv,
		                        .channel = ch,
		                        .category_id = cat_s,
		                        .title = title,
		                        .description = desc,
		                        .request = req,
		                        .case_no = no};
		rc = case_create(r->db, r->actor, &in, fields, &id, NULL);
		if (rc == BZ_OK)
			*result = "created";
		else if (rc == BZ_ERR_INVALID || rc == BZ_ERR_FORBIDDEN) {
			if (json_object_size(fields))
				add_field_errors(r, errs, fields);
			else
				add_error(r, errs, "", "이 행으로 사건을 만들 수 없습니다.");
			rc = BZ_OK;
		}
	}
	json_decref(fields);
	return rc;
}

static const char *result_label(const char *result)
{
	if (strcmp(result, "created") == 0)
		return "새로 등록";
	if (strcmp(result, "changed") == 0)
		return "변경";
	if (strcmp(result, "unchanged") == 0)
		return "변경 없음";
	return "오류";
}

static bz_rc on_row(void *ctx, int64_t row_no, const char *const *cells, size_t n)
{
	struct run *r = ctx;
	if (!r->header_done)
		return header(r, cells, n);
	r->total++;
	json_t *errs = json_array();
	const char *result = "error";
	char key[128] = "";
	/* each row in its own savepoint: a refused row leaves nothing behind */
	bz_rc rc = db_begin(r->db);
	if (rc == BZ_OK)
		rc = r->kind == IMPORT_COMPANIES
		         ? company_row(r, row_no, cells, n, errs, &result, key, sizeof(key))
		         : case_row(r, row_no, cells, n, errs, &result, key, sizeof(key));
	if (rc != BZ_OK) {
		db_rollback(r->db);
		json_decref(errs);
		return rc;
	}
	if (json_array_size(errs)) {
		db_rollback(r->db);
		result = "error";
	} else if ((rc = db_commit(r->db)) != BZ_OK) {
		json_decref(errs);
		return rc;
	}
	if (strcmp(result, "created") == 0)
		r->created++;
	else if (strcmp(result, "changed") == 0)
		r->changed++;
	else if (strcmp(result, "unchanged") == 0)
		r->unchanged++;
	else
		r->error_rows++;
	size_t ne = json_array_size(errs);
	r->errors += (int64_t)ne;
	bool keep = r->total <= IMPORT_REPORT_ROWS ||
	            (ne > 0 && r->errors_shown + (int64_t)ne <= IMPORT_REPORT_ERRORS);
	if (keep) {
		r->errors_shown += (int64_t)ne;
		json_array_append_new(r->report_rows,
		                      json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}", "row",
		                                (json_int_t)row_no, "key", key, "result", result,
		                                "result_label", result_label(result), "has_errors",
		                                ne > 0, "errors", errs));
	} else
		json_decref(errs);
	return BZ_OK;
}

static bz_rc exec(struct db *db, const char *sql)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	bz_rc rc = db_rc(db, db_step(st), "import");
	sqlite3_reset(st);
	return rc;
}

bz_rc import_run(struct db *db, const struct user *actor, enum import_kind kind, const char *path,
                 enum sheet_format fmt, bool commit, json_t **report, char *msgout, size_t msglen)
{
	*report = NULL;
	msgout[0] = '\0';
	const char *smsg = NULL;
	const char **msg = &smsg;
	if (!import_allowed(actor, kind))
		return BZ_ERR_FORBIDDEN;
	struct run r;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.actor = actor;
	r.kind = kind;
	r.defs = defs_of(kind, &r.ndefs);
	r.report_rows = json_array();
	r.ignored = json_array();
	r.channels = case_vocab_json("channel");
	bz_rc rc = kind == IMPORT_CASES ? case_categories(db, false, &r.categories) : BZ_OK;
	if (rc == BZ_OK)
		rc = exec(db, SQL_SEEN_MAKE);
	if (rc == BZ_OK)
		rc = db_begin(db);
	if (rc != BZ_OK)
		goto out;
	if ((rc = exec(db, SQL_SEEN_CLEAR)) == BZ_OK)
		rc = sheet_read(path, fmt, on_row, &r, msg);
	if (rc == BZ_OK && !r.header_done) {
		*msg = "빈 파일입니다. 서식 파일의 첫 행(머리글) 아래에 자료를 적어 주세요.";
		rc = BZ_ERR_INVALID;
	}
	if (rc == BZ_ERR_INVALID && r.msg)
		*msg = r.msg;
	if (rc == BZ_ERR_INVALID)
		bz_strlcpy(msgout, *msg ? *msg : "파일을 읽지 못했습니다.", msglen);
	bool committed = false;
	if (rc == BZ_OK && commit && r.error_rows == 0 && r.total > 0) {
		rc = db_commit(db);
		committed = rc == BZ_OK;
	} else
		db_rollback(db);
	if (rc == BZ_OK) {
		*report = json_pack("{s:O, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O, s:b, s:b}",
		                    "rows", r.report_rows, "total", (json_int_t)r.total, "created",
		                    (json_int_t)r.created, "changed", (json_int_t)r.changed,
		                    "unchanged", (json_int_t)r.unchanged, "error_rows",
		                    (json_int_t)r.error_rows, "errors", (json_int_t)r.errors,
		                    "errors_shown", (json_int_t)r.errors_shown, "rows_shown",
		                    (json_int_t)json_array_size(r.report_rows), "ignored_columns",
		                    r.ignored, "committed", committed, "check", !commit);
		if (*report == NULL)
			rc = BZ_ERR_NOMEM;
		else
			json_object_set_new(*report, "has_ignored",
			                    json_boolean(json_array_size(r.ignored) > 0));
	}
out:
	json_decref(r.report_rows);
	json_decref(r.ignored);
	json_decref(r.categories);
	json_decref(r.channels);
	return rc;
}
