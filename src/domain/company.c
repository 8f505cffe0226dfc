/* Companies: validation, duplicates, optimistic concurrency, history, contacts,
 * and the read model; contacts and masking are in company_contact.c, the
 * list, lookup and timeline in company_list.c. See company.h. */
#include "company_internal.h"
#include "bizsos/kst.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL ----------------------------------------------------------------- */

static const char SQL_KSIC_EXISTS[] = "SELECT 1 FROM ksic WHERE code = ?1";
static const char SQL_BRN_FIND[] = "SELECT id, name FROM company WHERE brn = ?1 AND id <> ?2";
static const char SQL_SIMILAR[] =
    "SELECT id, name, brn FROM company WHERE name_key = ?1 AND id <> ?2 AND retired_at IS NULL"
    " ORDER BY name LIMIT 5";
static const char SQL_INSERT[] =
    "INSERT INTO company (name, brn, crn, representative, ksic_code, address, zone, employees,"
    " founded_on, notes, name_key, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
static const char SQL_ROW[] =
    "SELECT name, brn, crn, representative, ksic_code, address, zone, employees, founded_on,"
    " notes, version FROM company WHERE id = ?1";
static const char SQL_UPDATE[] =
    "UPDATE company SET name = ?1, brn = ?2, crn = ?3, representative = ?4, ksic_code = ?5,"
    " address = ?6, zone = ?7, employees = ?8, founded_on = ?9, notes = ?10, name_key = ?11,"
    " updated_at = ?12, version = version + 1 WHERE id = ?13 AND version = ?14";
static const char SQL_GET[] =
    "SELECT c.id, c.name, c.brn, c.crn, c.representative, c.ksic_code, k.name, k.section,"
    " s.name, c.address, c.zone, c.employees, c.founded_on, c.notes, c.created_at,"
    " c.updated_at, c.version, c.retired_at IS NOT NULL"
    " FROM company c LEFT JOIN ksic k ON k.code = c.ksic_code"
    " LEFT JOIN ksic s ON s.code = k.section WHERE c.id = ?1";

/* The columns of a company the form edits, in SQL_ROW / SQL_INSERT order. */
enum cf {
	CF_NAME,
	CF_BRN,
	CF_CRN,
	CF_REPRESENTATIVE,
	CF_KSIC,
	CF_ADDRESS,
	CF_ZONE,
	CF_EMPLOYEES,
	CF_FOUNDED,
	CF_NOTES,
	CF_COUNT
};
static const char *const cf_names[CF_COUNT] = {"name",       "brn",     "crn",  "representative",
                                               "ksic_code",  "address", "zone", "employees",
                                               "founded_on", "notes"};
static const char *const cf_labels[CF_COUNT] = {
    "기업명", "사업자등록번호",        "법인등록번호", "대표자", "업종",
    "주소",   "산업단지·지식산업센터", "종업원 수",    "설립일", "메모"};

/* The Korean label of a company field name ("brn" → "사업자등록번호"). */
const char *company_field_label(const char *field)
{
	for (int i = 0; i < CF_COUNT; i++)
		if (field && strcmp(cf_names[i], field) == 0)
			return cf_labels[i];
	return field ? field : "";
}

/* ---- small helpers ------------------------------------------------------- */

static bool streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

void company_outcome_free(struct company_outcome *o)
{
	json_decref(o->fields);
	json_decref(o->similar);
	json_decref(o->current);
	memset(o, 0, sizeof(*o));
}

/* ---- validation ---------------------------------------------------------- */

struct company_vals {
	char *v[CF_COUNT]; /* NULL for an empty optional field; text as stored */
	int64_t employees;
	char name_key[COMPANY_NAME_CHARS * 4 + 1];
};

static void vals_free(struct company_vals *cv)
{
	for (int i = 0; i < CF_COUNT; i++)
		free(cv->v[i]);
	memset(cv, 0, sizeof(*cv));
}

/* "1,234" or "1234" → 1234; false for anything else or above the cap. */
static bool parse_count(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p == ',')
			continue;
		if (!isdigit((unsigned char)*p))
			return false;
		v = v * 10 + (*p - '0');
		if (v > COMPANY_EMPLOYEES_MAX)
			return false;
		digits++;
	}
	*out = v;
	return digits > 0;
}

static bool ksic_exists(struct db *db, const char *code, bz_rc *rc)
{
	sqlite3_stmt *st = db_stmt(db, SQL_KSIC_EXISTS);
	if (st == NULL) {
		*rc = BZ_ERR_DB;
		return false;
	}
	db_bind_text(st, 1, code);
	int r = db_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		*rc = BZ_ERR_DB;
	return r == SQLITE_ROW;
}

/* Checks every field of the form; fills cv with the stored form of each and
 * fields with Korean messages. BZ_ERR_DB only for a database failure. */
static bz_rc validate(struct db *db, const struct company_input *in, struct company_vals *cv,
                      json_t **fields)
{
	memset(cv, 0, sizeof(*cv));
	const char *raw[CF_COUNT] = {in->name,       in->brn,     in->crn,  in->representative,
	                             in->ksic_code,  in->address, in->zone, in->employees,
	                             in->founded_on, in->notes};
	for (int i = 0; i < CF_COUNT; i++)
		cv->v[i] = val_trimdup(raw[i]);
	bz_rc rc = BZ_OK;
	const char *msg = NULL;

	if (cv->v[CF_NAME] == NULL)
		val_field_error_new(fields, "name", "기업명을 입력하세요.");
	else if (!val_line_ok(cv->v[CF_NAME], COMPANY_NAME_CHARS))
		val_field_error_new(fields, "name", "기업명은 100자 이내로 입력하세요.");
	else
		company_name_key(cv->v[CF_NAME], cv->name_key, sizeof(cv->name_key));

	char brn[BRN_BARE_SIZE];
	if (brn_parse(cv->v[CF_BRN], brn, &msg) != BZ_OK) {
		val_field_error_new(fields, "brn", msg);
	} else {
		free(cv->v[CF_BRN]);
		cv->v[CF_BRN] = strdup(brn);
	}
	if (cv->v[CF_CRN]) {
		char crn[CRN_BARE_SIZE];
		if (crn_parse(cv->v[CF_CRN], crn, &msg) != BZ_OK) {
			val_field_error_new(fields, "crn", msg);
		} else {
			free(cv->v[CF_CRN]);
			cv->v[CF_CRN] = strdup(crn);
		}
	}
	if (cv->v[CF_REPRESENTATIVE] && !val_line_ok(cv->v[CF_REPRESENTATIVE], COMPANY_TEXT_CHARS))
		val_field_error_new(fields, "representative", "대표자는 100자 이내로 입력하세요.");
	if (cv->v[CF_KSIC] && !ksic_exists(db, cv->v[CF_KSIC], &rc))
		val_field_error_new(fields, "ksic_code", "업종은 목록에서 고르세요.");
	if (cv->v[CF_ADDRESS] && !val_line_ok(cv->v[CF_ADDRESS], COMPANY_ADDRESS_CHARS))
		val_field_error_new(fields, "address", "주소는 200자 이내로 입력하세요.");
	if (cv->v[CF_ZONE] && !val_line_ok(cv->v[CF_ZONE], COMPANY_TEXT_CHARS))
		val_field_error_new(fields, "zone",
		                    "산업단지·지식산업센터는 100자 이내로 입력하세요.");
	if (cv->v[CF_EMPLOYEES]) {
		int64_t n;
		if (!parse_count(cv->v[CF_EMPLOYEES], &n)) {
			val_field_error_new(
			    fields, "employees",
			    "종업원 수는 0 이상의 정수로 입력하세요(예: 35 또는 1,200).");
		} else {
			char t[32];
			snprintf(t, sizeof(t), "%lld", (long long)n);
			free(cv->v[CF_EMPLOYEES]);
			cv->v[CF_EMPLOYEES] = strdup(t);
			cv->employees = n;
		}
	}
	if (cv->v[CF_FOUNDED]) {
		int32_t day;
		if (date_parse(cv->v[CF_FOUNDED], &day, &msg) != BZ_OK)
			val_field_error_new(fields, "founded_on", msg);
		else if (day > kst_today_day())
			val_field_error_new(fields, "founded_on",
			                    "설립일은 오늘 이후일 수 없습니다.");
	}
	if (cv->v[CF_NOTES] && !val_text_ok(cv->v[CF_NOTES], COMPANY_NOTES_CHARS))
		val_field_error_new(fields, "notes", "메모는 4,000자 이내로 입력하세요.");
	if (json_object_get(*fields, "brn") == NULL && cv->v[CF_BRN] == NULL)
		rc = BZ_ERR_NOMEM; /* a failed strdup */
	return rc;
}

/* The company with this BRN other than self_id: its id and name, or 0. */
static bz_rc brn_owner(struct db *db, const char *brn, int64_t self_id, int64_t *id, char *name,
                       size_t namelen)
{
	*id = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_BRN_FIND);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, brn);
	db_bind_int(st, 2, self_id);
	int r = db_step(st);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		bz_strlcpy(name, db_col_text(st, 1), namelen);
	}
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BZ_OK : db_rc(db, r, "brn find");
}

static bz_rc similar_names(struct db *db, const char *key, int64_t self_id, json_t **out)
{
	*out = NULL;
	if (key[0] == '\0')
		return BZ_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_SIMILAR);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, self_id);
	json_t *arr = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		char brn[BRN_FMT_SIZE];
		brn_format(db_col_text(st, 2), brn, sizeof(brn));
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id",
		                                     (json_int_t)sqlite3_column_int64(st, 0),
		                                     "name", db_col_text(st, 1), "brn_text", brn));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "similar names");
	}
	if (json_array_size(arr) == 0)
		json_decref(arr);
	else
		*out = arr;
	return BZ_OK;
}

/* The checks shared by create and update after field validation: duplicate BRN
 * (BZ_ERR_CONSTRAINT) and similar name (BZ_ERR_INVALID unless confirmed). */
static bz_rc check_duplicates(struct db *db, const struct company_input *in,
                              const struct company_vals *cv, int64_t self_id, bool name_changed,
                              struct company_outcome *o)
{
	bz_rc rc;
	if (cv->v[CF_BRN] && json_object_get(o->fields, "brn") == NULL) {
		char name[COMPANY_NAME_CHARS * 4 + 1] = "";
		if ((rc = brn_owner(db, cv->v[CF_BRN], self_id, &o->duplicate_id, name,
		                    sizeof(name))) != BZ_OK)
			return rc;
		if (o->duplicate_id) {
			char msg[600];
			snprintf(msg, sizeof(msg),
			         "이미 등록된 사업자등록번호입니다. 등록된 기업: %s", name);
			val_field_error_new(&o->fields, "brn", msg);
		}
	}
	if (name_changed && !in->confirm_similar && cv->name_key[0] &&
	    json_object_get(o->fields, "name") == NULL) {
		if ((rc = similar_names(db, cv->name_key, self_id, &o->similar)) != BZ_OK)
			return rc;
		if (o->similar)
			val_field_error_new(
			    &o->fields, "name",
			    "이름이 비슷한 기업이 이미 있습니다. 같은 기업인지 확인하고, 다른 "
			    "기업이면 '비슷한 이름이지만 다른 기업입니다'를 선택하세요.");
	}
	if (o->duplicate_id)
		return BZ_ERR_CONSTRAINT;
	return o->fields ? BZ_ERR_INVALID : BZ_OK;
}

static void bind_vals(sqlite3_stmt *st, const struct company_vals *cv)
{
	for (int i = 0; i < CF_COUNT; i++) {
		if (i == CF_EMPLOYEES && cv->v[i])
			db_bind_int(st, i + 1, cv->employees);
		else
			db_bind_text(st, i + 1, cv->v[i]);
	}
	db_bind_text(st, CF_COUNT + 1, cv->name_key);
}

/* ---- create / update ----------------------------------------------------- */

bz_rc company_create(struct db *db, int64_t actor_id, const struct company_input *in,
                     int64_t *id_out, struct company_outcome *o)
{
	memset(o, 0, sizeof(*o));
	struct company_vals cv;
	bz_rc rc = validate(db, in, &cv, &o->fields);
	if (rc != BZ_OK)
		goto out;
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;
	if ((rc = check_duplicates(db, in, &cv, 0, true, o)) != BZ_OK)
		goto rollback;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	bind_vals(st, &cv);
	db_bind_text(st, 12, now);
	if ((rc = db_step_done(db, st, "company insert")) != BZ_OK)
		goto rollback;
	*id_out = db_last_id(db);
	if ((rc = db_event_add(db, EVENT_COMPANY, *id_out, now, actor_id, "create", NULL, NULL,
	                       cv.v[CF_NAME], NULL)) != BZ_OK)
		goto rollback;
	rc = db_commit(db);
	goto out;
rollback:
	db_rollback(db);
out:
	vals_free(&cv);
	return rc;
}

/* The text an event shows for a stored value (BRN and CRN with dashes). */
static void event_text(int field, const char *v, char *out, size_t outlen)
{
	if (v == NULL) {
		out[0] = '\0';
		return;
	}
	if (field == CF_BRN && brn_format(v, out, outlen) == BZ_OK)
		return;
	if (field == CF_CRN && crn_format(v, out, outlen) == BZ_OK)
		return;
	bz_strlcpy(out, v, outlen);
}

bz_rc company_update(struct db *db, int64_t actor_id, int64_t id, const struct company_input *in,
                     struct company_outcome *o)
{
	memset(o, 0, sizeof(*o));
	struct company_vals cv;
	char *old[CF_COUNT] = {0};
	bz_rc rc = validate(db, in, &cv, &o->fields);
	if (rc != BZ_OK)
		goto out;
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;

	sqlite3_stmt *st = db_stmt(db, SQL_ROW);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_int(st, 1, id);
	int r = db_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "company row");
		goto rollback;
	}
	for (int i = 0; i < CF_COUNT; i++) {
		const char *v = db_col_text_or_null(st, i);
		old[i] = v ? strdup(v) : NULL;
	}
	int64_t version = sqlite3_column_int64(st, CF_COUNT);
	sqlite3_reset(st);

	if (version != in->version) {
		rc = BZ_ERR_CONFLICT;
		db_rollback(db);
		json_decref(o->fields);
		o->fields = NULL;
		if (company_get(db, id, &o->current) != BZ_OK)
			o->current = NULL;
		goto out;
	}
	char old_key[sizeof(cv.name_key)];
	company_name_key(old[CF_NAME], old_key, sizeof(old_key));
	if ((rc = check_duplicates(db, in, &cv, id, strcmp(old_key, cv.name_key) != 0, o)) != BZ_OK)
		goto rollback;

	char now[24];
	db_now_utc(now);
	int changed = 0;
	for (int i = 0; i < CF_COUNT; i++) {
		if (streq_null(old[i], cv.v[i]))
			continue;
		char a[COMPANY_NOTES_CHARS * 4 + 1], b[COMPANY_NOTES_CHARS * 4 + 1];
		event_text(i, old[i], a, sizeof(a));
		event_text(i, cv.v[i], b, sizeof(b));
		if ((rc = db_event_add(db, EVENT_COMPANY, id, now, actor_id, "update", cf_names[i],
		                       old[i] ? a : NULL, cv.v[i] ? b : NULL, NULL)) != BZ_OK)
			goto rollback;
		changed++;
	}
	if (changed == 0) {
		db_rollback(db);
		rc = BZ_OK;
		goto out;
	}
	st = db_stmt(db, SQL_UPDATE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	bind_vals(st, &cv);
	db_bind_text(st, 12, now);
	db_bind_int(st, 13, id);
	db_bind_int(st, 14, in->version);
	if ((rc = db_step_done(db, st, "company update")) != BZ_OK)
		goto rollback;
	if (db_changes(db) != 1) {
		rc = BZ_ERR_CONFLICT;
		goto rollback;
	}
	rc = db_commit(db);
	goto out;
rollback:
	db_rollback(db);
out:
	for (int i = 0; i < CF_COUNT; i++)
		free(old[i]);
	vals_free(&cv);
	return rc;
}

/* ---- read models --------------------------------------------------------- */

void company_employees_text(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	out[0] = '\0';
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return;
	char n[32];
	money_format_won(sqlite3_column_int64(st, i), n, sizeof(n));
	snprintf(out, outlen, "%s명", n);
}

bz_rc company_get(struct db *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int r = db_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "company get");
	}
	char brn[BRN_FMT_SIZE] = "", crn[CRN_FMT_SIZE] = "", emp[48];
	brn_format(db_col_text(st, 2), brn, sizeof(brn));
	if (db_col_text_or_null(st, 3))
		crn_format(db_col_text(st, 3), crn, sizeof(crn));
	company_employees_text(st, 11, emp, sizeof(emp));
	json_t *employees = sqlite3_column_type(st, 11) == SQLITE_NULL
	                        ? json_null()
	                        : json_integer(sqlite3_column_int64(st, 11));
	/* absent values are null, so templates can test them and the API says so */
	*out = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:s?, "
	    "s:s?, s:s?, s:s?, s:s, s:s, s:I, s:b}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1), "brn",
	    db_col_text(st, 2), "brn_text", brn, "crn", db_col_text_or_null(st, 3), "crn_text",
	    val_nz(crn), "representative", db_col_text_or_null(st, 4), "ksic_code",
	    db_col_text_or_null(st, 5), "ksic_name", db_col_text_or_null(st, 6), "ksic_section",
	    db_col_text_or_null(st, 7), "ksic_section_name", db_col_text_or_null(st, 8), "address",
	    db_col_text_or_null(st, 9), "employees", employees, "employees_text", val_nz(emp),
	    "zone", db_col_text_or_null(st, 10), "founded_on", db_col_text_or_null(st, 12), "notes",
	    db_col_text_or_null(st, 13), "created_at", db_col_text(st, 14), "updated_at",
	    db_col_text(st, 15), "version", (json_int_t)sqlite3_column_int64(st, 16), "retired",
	    sqlite3_column_int(st, 17));
	sqlite3_reset(st);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

json_t *company_form_values(const json_t *c)
{
	json_t *v = json_object();
	static const char *const keys[] = {"name", "representative", "ksic_code", "address",
	                                   "zone", "founded_on",     "notes"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(keys); i++) {
		const char *s = json_string_value(json_object_get(c, keys[i]));
		json_object_set_new(v, keys[i], json_string(s ? s : ""));
	}
	const char *brn = json_string_value(json_object_get(c, "brn_text"));
	json_object_set_new(v, "brn", json_string(brn ? brn : ""));
	const char *crn = json_string_value(json_object_get(c, "crn_text"));
	json_object_set_new(v, "crn", json_string(crn ? crn : ""));
	json_t *e = json_object_get(c, "employees");
	char t[32] = "";
	if (json_is_integer(e))
		snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(e));
	json_object_set_new(v, "employees", json_string(t));
	json_object_set(v, "version", json_object_get(c, "version"));
	return v;
}
