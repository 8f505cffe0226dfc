/* Programs: the vocabularies, the header, its contacts and its history. The
 * targets, budget, roadmap/assessment/plans and published cards live in the
 * program_*.c files beside it. See include/bizsos/program.h. */
#include "program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_PROGRAM[] =
    "SELECT id, code, name, nature, term, funding, status, completed_year, central_help, owner,"
    " department, final_goal, overview, evidence, first_quarter, last_quarter, version"
    " FROM program WHERE id = ? AND retired_at IS NULL";
static const char SQL_PROGRAMS[] =
    "SELECT id, code, name, status FROM program WHERE retired_at IS NULL ORDER BY sort, id";
static const char SQL_PROGRAM_INSERT[] =
    "INSERT INTO program (code, name, first_quarter, last_quarter, sort, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, (SELECT COALESCE(max(sort), 0) + 1 FROM program), ?, ?)";
static const char SQL_PROGRAM_CODE_TAKEN[] = "SELECT 1 FROM program WHERE code = ?";
static const char SQL_CONTACTS[] = "SELECT id, title, name, phone FROM program_contact"
                                   " WHERE program_id = ? AND retired_at IS NULL ORDER BY sort, id";
static const char SQL_CONTACT_GET[] = "SELECT title, name, phone FROM program_contact"
                                      " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_CONTACT_INSERT[] =
    "INSERT INTO program_contact (program_id, title, name, phone, sort) VALUES (?, ?, ?,"
    " ?,"
    " (SELECT COALESCE(max(sort), 0) + 1 FROM program_contact WHERE program_id = ?))";
static const char SQL_CONTACT_UPDATE[] =
    "UPDATE program_contact SET title = ?, name = ?, phone = ? WHERE id = ?";
static const char SQL_CONTACT_RETIRE[] = "UPDATE program_contact SET retired_at = ? WHERE id = ?";
static const char SQL_EVENTS[] =
    "SELECT e.at, COALESCE(u.name, '명령줄'), e.object, e.kind, COALESCE(e.field, ''),"
    " COALESCE(e.old, ''), COALESCE(e.new, ''), COALESCE(e.note, ''), e.object_id"
    " FROM program_event e LEFT JOIN app_user u ON u.id = e.actor_id"
    " WHERE e.program_id = ? AND (?2 IS NULL OR e.object = ?2) AND (?3 = 0 OR e.object_id = ?3)"
    " ORDER BY e.id DESC LIMIT ?4";
static const char SQL_TASK_COUNTS[] =
    "SELECT count(*), COALESCE(sum(status IN ('done', 'continuing')), 0) FROM roadmap_task"
    " WHERE program_id = ? AND retired_at IS NULL";

/* -------------------------------------------------------- vocabularies -- */

struct vocab_entry {
	const char *vocab, *code, *label;
};

static const struct vocab_entry vocab[] = {
    {"nature", "continuing", "계속"},
    {"nature", "new", "신규"},
    {"term", "within", "임기내"},
    {"term", "beyond", "임기후"},
    {"funding", "budget", "예산"},
    {"funding", "none", "비예산"},
    {"status", "done_ended", "완료-종료"},
    {"status", "done_continuing", "완료-지속추진"},
    {"status", "ongoing_normal", "추진중-정상"},
    {"status", "ongoing_lagging", "추진중-부진"},
    {"status", "notstarted_review", "미착수-검토중"},
    {"status", "notstarted_notdue", "미착수-시기미도래"},
    {"source", "national", "국비"},
    {"source", "province", "도비"},
    {"source", "city", "시비"},
    {"source", "other", "기타"},
    {"task_status", "planned", "계획"},
    {"task_status", "ongoing", "추진중"},
    {"task_status", "done", "완료"},
    {"task_status", "continuing", "완료(지속추진)"},
    {"sa_kind", "went_well", "잘된 점"},
    {"sa_kind", "improvement", "개선계획"},
};

const char *program_label(const char *v, const char *code)
{
	if (v == NULL || code == NULL)
		return NULL;
	for (size_t i = 0; i < BZ_ARRAY_LEN(vocab); i++)
		if (strcmp(vocab[i].vocab, v) == 0 && strcmp(vocab[i].code, code) == 0)
			return vocab[i].label;
	return NULL;
}

const char *const *program_codes(const char *v)
{
	static const char *const nature[] = {"continuing", "new", NULL};
	static const char *const term[] = {"within", "beyond", NULL};
	static const char *const funding[] = {"budget", "none", NULL};
	static const char *const status[] = {"done_ended",
	                                     "done_continuing",
	                                     "ongoing_normal",
	                                     "ongoing_lagging",
	                                     "notstarted_review",
	                                     "notstarted_notdue",
	                                     NULL};
	static const char *const source[] = {"national", "province", "city", "other", NULL};
	static const char *const task[] = {"planned", "ongoing", "done", "continuing", NULL};
	static const char *const sa[] = {"went_well", "improvement", NULL};
	static const char *const none[] = {NULL};
	if (v == NULL)
		return none;
	if (strcmp(v, "nature") == 0)
		return nature;
	if (strcmp(v, "term") == 0)
		return term;
	if (strcmp(v, "funding") == 0)
		return funding;
	if (strcmp(v, "status") == 0)
		return status;
	if (strcmp(v, "source") == 0)
		return source;
	if (strcmp(v, "task_status") == 0)
		return task;
	if (strcmp(v, "sa_kind") == 0)
		return sa;
	return none;
}
/* ------------------------------------------------------------- header -- */

static json_t *overview_items(const char *text)
{
	json_t *items = json_array();
	json_t *last = NULL;
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		char *s = line;
		while (*s == ' ' || *s == '-')
			s++;
		bool sub = strncmp(s, "▶", strlen("▶")) == 0;
		if (sub) {
			s += strlen("▶");
			while (*s == ' ')
				s++;
		}
		if (*s) {
			if (sub && last) {
				json_array_append_new(json_object_get(last, "subs"),
				                      json_string(s));
				json_object_set_new(last, "has_subs", json_true());
			} else {
				last = json_pack("{s:s, s:[]}", "text", s, "subs");
				json_array_append_new(items, last);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return items;
}

static bz_rc impl_rate(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TASK_COUNTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	int64_t den = 0, num = 0;
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		den = sqlite3_column_int64(st, 0);
		num = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_rc(db, rc, "roadmap counts");
	struct rate r = rate_tenths(num, den);
	char t[RATE_TEXT_SIZE + 4], formula[256];
	if (!r.ok)
		bz_strlcpy(t, "–", sizeof(t));
	else if (r.tenths % 10 == 0)
		snprintf(t, sizeof(t), "%lld%%", (long long)(r.tenths / 10));
	else {
		char x[RATE_TEXT_SIZE];
		rate_format(r, x, sizeof(x));
		snprintf(t, sizeof(t), "%s%%", x);
	}
	snprintf(formula, sizeof(formula),
	         "이행률 = 완료(종료·지속추진)된 세부 추진과제 수 ÷ 전체 세부 추진과제 수 = %lld ÷ "
	         "%lld",
	         (long long)num, (long long)den);
	*out = json_pack("{s:I, s:I, s:o, s:s, s:s}", "num", (json_int_t)num, "den",
	                 (json_int_t)den, "tenths", r.ok ? json_integer(r.tenths) : json_null(),
	                 "text", t, "formula", formula);
	return BZ_OK;
}

bz_rc program_get(struct db *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, rc, "program");
	}
	json_t *p = json_object();
	json_object_set_new(p, "id", json_integer(sqlite3_column_int64(st, 0)));
	static const char *const keys[] = {
	    "code",       "name",     "nature",       "term",          "funding",
	    "status",     NULL,       "central_help", "owner",         "department",
	    "final_goal", "overview", "evidence",     "first_quarter", "last_quarter"};
	for (int i = 0; i < (int)BZ_ARRAY_LEN(keys); i++)
		if (keys[i])
			json_object_set_new(p, keys[i], db_col_json(st, i + 1)); /* null: absent */
	if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
		json_object_set_new(p, "completed_year", json_null());
		json_object_set_new(p, "completed_text", json_string("–"));
	} else {
		char t[32];
		snprintf(t, sizeof(t), "%d년", sqlite3_column_int(st, 7));
		json_object_set_new(p, "completed_year", json_integer(sqlite3_column_int(st, 7)));
		json_object_set_new(p, "completed_text", json_string(t));
	}
	json_object_set_new(p, "version", json_integer(sqlite3_column_int64(st, 16)));
	sqlite3_reset(st);
	static const char *const vk[][2] = {
	    {"nature", "nature"}, {"term", "term"}, {"funding", "funding"}, {"status", "status"}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(vk); i++) {
		char k[32];
		snprintf(k, sizeof(k), "%s_label", vk[i][0]);
		const char *l =
		    program_label(vk[i][1], json_string_value(json_object_get(p, vk[i][0])));
		json_object_set_new(p, k, json_string(l ? l : ""));
	}
	json_object_set_new(p, "overview_items",
	                    overview_items(json_string_value(json_object_get(p, "overview"))));

	st = db_stmt(db, SQL_CONTACTS);
	if (st == NULL) {
		json_decref(p);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	json_t *contacts = json_array();
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(contacts,
		                      json_pack("{s:I, s:s, s:s, s:o}", "id",
		                                (json_int_t)sqlite3_column_int64(st, 0), "title",
		                                db_col_text(st, 1), "name", db_col_text(st, 2),
		                                "phone", db_col_json(st, 3)));
	if (db_rows_json(db, st, rc, "program contacts", contacts, &contacts) != BZ_OK) {
		json_decref(p);
		return BZ_ERR_DB;
	}
	if (json_array_size(contacts))
		json_object_set_new(json_array_get(contacts, 0), "first", json_true());
	json_object_set_new(
	    p, "contact_rows",
	    json_integer(json_array_size(contacts) ? (json_int_t)json_array_size(contacts) : 1));
	json_object_set_new(p, "contacts", contacts);
	json_t *impl = NULL;
	bz_rc r = impl_rate(db, id, &impl);
	if (r != BZ_OK) {
		json_decref(p);
		return r;
	}
	json_object_set_new(p, "impl", impl);
	*out = p;
	return BZ_OK;
}

bz_rc program_list(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAMS);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *l = program_label("status", db_col_text(st, 3));
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "code",
		                                   db_col_text(st, 1), "name", db_col_text(st, 2),
		                                   "status_label", l ? l : ""));
	}
	return db_rows_json(db, st, rc, "programs", a, out);
}

/* The header fields: column, form key, check. */
enum pf_kind { PF_TEXT, PF_VOCAB, PF_YEAR, PF_QUARTER };
struct pf {
	const char *column;
	const char *label;
	enum pf_kind kind;
	const char *vocab;
	size_t max;
	bool required;
};
static const struct pf pfields[] = {
    {"name", "사업명", PF_TEXT, NULL, 100, true},
    {"nature", "성격", PF_VOCAB, "nature", 0, true},
    {"term", "기간", PF_VOCAB, "term", 0, true},
    {"funding", "재원", PF_VOCAB, "funding", 0, true},
    {"status", "이행구분", PF_VOCAB, "status", 0, true},
    {"completed_year", "완료시기", PF_YEAR, NULL, 0, false},
    {"central_help", "중앙정부 도움 필요성", PF_TEXT, NULL, 200, false},
    {"owner", "사업주체", PF_TEXT, NULL, 100, false},
    {"department", "추진부서", PF_TEXT, NULL, 100, false},
    {"final_goal", "최종목표", PF_TEXT, NULL, 2000, false},
    {"overview", "사업개요", PF_TEXT, NULL, 4000, false},
    {"evidence", "확인지표", PF_TEXT, NULL, 1000, false},
    {"first_quarter", "시작 분기", PF_QUARTER, NULL, 0, true},
    {"last_quarter", "종료 분기", PF_QUARTER, NULL, 0, true},
};

static const char *pf_value(const struct program_input *in, size_t i)
{
	const char *const v[] = {in->name,          in->nature,      in->term,
	                         in->funding,       in->status,      in->completed_year,
	                         in->central_help,  in->owner,       in->department,
	                         in->final_goal,    in->overview,    in->evidence,
	                         in->first_quarter, in->last_quarter};
	_Static_assert(BZ_ARRAY_LEN(v) == BZ_ARRAY_LEN(pfields), "one value per field");
	return v[i];
}

static void pf_check(const struct program_input *in, json_t *fields)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(pfields); i++) {
		const struct pf *f = &pfields[i];
		const char *v = pf_value(in, i);
		if (v == NULL)
			continue;
		char msg[160];
		if (f->required && val_blank_wide(v)) {
			snprintf(msg, sizeof(msg), "%s을(를) 입력해 주세요.", f->label);
			val_field_error(fields, f->column, msg);
			continue;
		}
		switch (f->kind) {
		case PF_TEXT:
			if (!val_text_ok(v, f->max)) {
				snprintf(msg, sizeof(msg), "%s은(는) %zu자 이내로 적어 주세요.",
				         f->label, f->max);
				val_field_error(fields, f->column, msg);
			}
			break;
		case PF_VOCAB:
			if (program_label(f->vocab, v) == NULL)
				val_field_error(fields, f->column, "목록에서 골라 주세요.");
			break;
		case PF_YEAR:
			if (*v) {
				char *end;
				long y = strtol(v, &end, 10);
				if (*end || y < 2000 || y > 2100)
					val_field_error(
					    fields, f->column,
					    "완료시기는 2000~2100 사이의 연도(예: 2022)로 "
					    "적어 주세요.");
			}
			break;
		case PF_QUARTER:
			if (!prog_quarter_text_ok(v))
				val_field_error(fields, f->column,
				                "분기는 2022-Q3 형식으로 적어 주세요.");
			break;
		}
	}
	if (in->first_quarter && in->last_quarter && prog_quarter_text_ok(in->first_quarter) &&
	    prog_quarter_text_ok(in->last_quarter) &&
	    strcmp(in->last_quarter, in->first_quarter) < 0)
		val_field_error(fields, "last_quarter",
		                "종료 분기가 시작 분기보다 앞설 수 없습니다.");
}

static bz_rc set_column(struct db *db, int64_t id, const char *column, const char *value, bool year)
{
	/* column comes from pfields only: never from input. */
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE program SET %s = ? WHERE id = ?", column);
	sqlite3_stmt *st = NULL;
	if (db_prepare_once(db, sql, &st) != BZ_OK)
		return BZ_ERR_DB;
	if (year && (value == NULL || *value == '\0'))
		sqlite3_bind_null(st, 1);
	else if (year)
		sqlite3_bind_int64(st, 1, strtoll(value, NULL, 10));
	else
		db_bind_text(st, 1, value); /* "" is absent: NULL */
	sqlite3_bind_int64(st, 2, id);
	int rc = db_step(st);
	sqlite3_finalize(st);
	return db_rc(db, rc, "program update");
}

bz_rc program_create(struct db *db, const struct user *actor, const char *code,
                     const struct program_input *in, json_t *fields, int64_t *id_out)
{
	bool code_ok = code && strlen(code) >= 1 && strlen(code) <= 30;
	for (const char *p = code; code_ok && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			code_ok = false;
	if (!code_ok)
		val_field_error(fields, "code",
		                "사업 코드는 영문 소문자·숫자·_ - 로 1~30자여야 합니다.");
	if (in->name == NULL)
		val_field_error(fields, "name", "사업명을 입력해 주세요.");
	if (in->first_quarter == NULL || in->last_quarter == NULL)
		val_field_error(fields, "first_quarter", "시작·종료 분기를 입력해 주세요.");
	pf_check(in, fields);
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_CODE_TAKEN);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, code);
	bool taken = db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (taken) {
		val_field_error(fields, "code", "이미 있는 사업 코드입니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	if ((rc = prog_prepare(db, SQL_PROGRAM_INSERT, &st)) != BZ_OK)
		goto out;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->first_quarter);
	db_bind_text(st, 4, in->last_quarter);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, now);
	if ((rc = db_step_done(db, st, "program insert")) != BZ_OK)
		goto out;
	int64_t id = db_last_id(db);
	for (size_t i = 0; i < BZ_ARRAY_LEN(pfields); i++) {
		const char *v = pf_value(in, i);
		if (v == NULL || i == 0 || i >= 12)
			continue;
		if ((rc = set_column(db, id, pfields[i].column, v, pfields[i].kind == PF_YEAR)) !=
		    BZ_OK)
			goto out;
	}
	if ((rc = prog_event(db, id, now, actor, "program", id, "create", NULL, NULL, in->name,
	                     NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
	if (rc == BZ_OK && id_out)
		*id_out = id;
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc program_update(struct db *db, const struct user *actor, int64_t id, int64_t version,
                     const struct program_input *in, json_t *fields)
{
	pf_check(in, fields);
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *cur = NULL;
	if ((rc = program_get(db, id, &cur)) != BZ_OK)
		goto out;
	if (json_integer_value(json_object_get(cur, "version")) != version) {
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	int changed = 0;
	for (size_t i = 0; i < BZ_ARRAY_LEN(pfields); i++) {
		const char *v = pf_value(in, i);
		if (v == NULL)
			continue;
		json_t *o = json_object_get(cur, pfields[i].column);
		char old[64] = "";
		const char *oldv = old;
		if (json_is_integer(o))
			snprintf(old, sizeof(old), "%lld", (long long)json_integer_value(o));
		else if (json_is_string(o))
			oldv = json_string_value(o);
		if (strcmp(oldv, v) == 0)
			continue;
		if ((rc = set_column(db, id, pfields[i].column, v, pfields[i].kind == PF_YEAR)) !=
		    BZ_OK)
			goto out;
		if ((rc = prog_event(db, id, now, actor, "program", id, "update", pfields[i].column,
		                     oldv, v, NULL)) != BZ_OK)
			goto out;
		changed++;
	}
	if (changed) {
		if ((rc = prog_touch_version(db, id, version, now)) != BZ_OK)
			goto out;
	}
	rc = db_commit(db);
out:
	json_decref(cur);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

struct contact_in {
	const char *title, *name, *phone;
};

static void contact_row(sqlite3_stmt *st, struct buf *out)
{
	buf_printf(out, "%s %s ☎%s", db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2));
}

static void contact_new(const void *in, struct buf *out)
{
	const struct contact_in *c = in;
	buf_printf(out, "%s %s ☎%s", c->title, c->name, c->phone);
}

static void contact_bind(sqlite3_stmt *st, bool insert, int64_t program_id, int64_t row_id,
                         const void *in, const char *now)
{
	(void)now;
	const struct contact_in *c = in;
	if (insert) {
		db_bind_int(st, 1, program_id);
		db_bind_text(st, 2, c->title);
		db_bind_text(st, 3, c->name);
		db_bind_text(st, 4, c->phone);
		db_bind_int(st, 5, program_id);
	} else {
		db_bind_text(st, 1, c->title);
		db_bind_text(st, 2, c->name);
		db_bind_text(st, 3, c->phone);
		db_bind_int(st, 4, row_id);
	}
}

static const struct prog_child contact_kind = {
    .object = "contact",
    .field = "contact",
    .what = "contact save",
    .get_sql = SQL_CONTACT_GET,
    .insert_sql = SQL_CONTACT_INSERT,
    .update_sql = SQL_CONTACT_UPDATE,
    .retire_sql = SQL_CONTACT_RETIRE,
    .touch = true,
    .describe_row = contact_row,
    .describe_new = contact_new,
    .bind = contact_bind,
};

bz_rc program_contact_save(struct db *db, const struct user *actor, int64_t program_id,
                           int64_t contact_id, const char *title, const char *name,
                           const char *phone, bool retire, json_t *fields)
{
	if (!retire) {
		if (val_blank_wide(title) || !val_text_ok(title, 50))
			val_field_error(fields, "title", "직위를 50자 이내로 입력해 주세요.");
		if (val_blank_wide(name) || !val_text_ok(name, 50))
			val_field_error(fields, "name", "이름을 50자 이내로 입력해 주세요.");
		bool ph = phone != NULL && strlen(phone) <= 20;
		for (const char *p = phone; ph && *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == ' '))
				ph = false;
		if (!ph)
			val_field_error(fields, "phone",
			                "전화(내선)는 숫자와 - 로 20자 이내로 적어 주세요.");
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	struct contact_in in = {title, name, phone};
	return prog_child_save(db, actor, &contact_kind, program_id, contact_id, retire, NULL, &in,
	                       fields);
}

static const char *object_label(const char *o)
{
	static const char *const m[][2] = {
	    {"program", "사업 정보"},
	    {"contact", "추진부서"},
	    {"target", "목표"},
	    {"budget_line", "예산"},
	    {"budget_execution", "집행"},
	    {"roadmap_task", "로드맵"},
	    {"self_assessment", "자체 점검"},
	    {"next_plan", "향후 계획"},
	    {"snapshot", "카드 게시"},
	    {"signoff", "분기 확인"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(m); i++)
		if (strcmp(m[i][0], o) == 0)
			return m[i][1];
	return o;
}

bz_rc program_events(struct db *db, int64_t program_id, const char *object, int64_t object_id,
                     int limit, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, object);
	db_bind_int(st, 3, object_id);
	db_bind_int(st, 4, limit > 0 ? limit : 100);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(db_col_text(st, 0), kst, sizeof(kst));
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "at",
		                 db_col_text(st, 0), "at_kst", kst, "actor", db_col_text(st, 1),
		                 "object", db_col_text(st, 2), "object_label",
		                 object_label(db_col_text(st, 2)), "kind", db_col_text(st, 3),
		                 "field", db_col_text(st, 4), "old", db_col_text(st, 5), "new",
		                 db_col_text(st, 6), "note", db_col_text(st, 7), "object_id",
		                 (json_int_t)sqlite3_column_int64(st, 8)));
	}
	return db_rows_json(db, st, rc, "program events", a, out);
}
