/* Companies: validation, duplicates, optimistic concurrency, history, contacts,
 * masking, list/search, timeline; and the admin reference data (departments,
 * holidays). See company.h. */
#include "bizsos/company.h"
#include "bizsos/validate.h"
#include "bizsos/brn.h"
#include "bizsos/money.h"
#include "bizsos/search.h"
#include "bizsos/user.h"
#include "bizsos/workday.h"

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
static const char SQL_EVENT[] =
    "INSERT INTO company_event (company_id, at, actor_id, kind, field, old, new)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_GET[] =
    "SELECT c.id, c.name, c.brn, c.crn, c.representative, c.ksic_code, k.name, k.section,"
    " s.name, c.address, c.zone, c.employees, c.founded_on, c.notes, c.created_at,"
    " c.updated_at, c.version, c.retired_at IS NOT NULL"
    " FROM company c LEFT JOIN ksic k ON k.code = c.ksic_code"
    " LEFT JOIN ksic s ON s.code = k.section WHERE c.id = ?1";
static const char SQL_EXISTS[] = "SELECT 1 FROM company WHERE id = ?1";
static const char SQL_CONTACTS[] = "SELECT id, name, title, phone, email FROM company_contact"
                                   " WHERE company_id = ?1 AND retired_at IS NULL ORDER BY id";
static const char SQL_PRIVACY[] =
    "INSERT INTO privacy_access (at, user_id, company_id, what, remote)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CONTACT_INSERT[] =
    "INSERT INTO company_contact (company_id, name, title, phone, email, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_CONTACT_FIND[] =
    "SELECT name FROM company_contact WHERE id = ?1 AND company_id = ?2 AND retired_at IS NULL";
static const char SQL_CONTACT_RETIRE[] =
    "UPDATE company_contact SET retired_at = ?2 WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_EVENTS[] =
    "SELECT e.at, e.kind, e.field, e.old, e.new, COALESCE(u.name, '시스템')"
    " FROM company_event e LEFT JOIN app_user u ON u.id = e.actor_id"
    " WHERE e.company_id = ?1 ORDER BY e.at DESC, e.id DESC";
static const char SQL_CASES[] =
    "SELECT id, case_no, received_at, title, status FROM sos_case WHERE company_id = ?1"
    " ORDER BY received_at DESC, id DESC";
static const char SQL_TABLE_EXISTS[] =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1";
static const char SQL_ZONES[] =
    "SELECT DISTINCT zone FROM company WHERE zone IS NOT NULL AND zone <> ''"
    " AND retired_at IS NULL ORDER BY zone";
static const char SQL_KSIC_ALL[] = "SELECT code, section, name FROM ksic ORDER BY section, code";
static const char SQL_KSIC_SECTIONS[] =
    "SELECT code, section, name FROM ksic WHERE code = section ORDER BY code";

static const char SQL_DEPT_LIST[] =
    "SELECT d.id, d.name, d.kind, d.retired_at IS NOT NULL,"
    " (SELECT count(*) FROM app_user u WHERE u.department_id = d.id AND u.disabled_at IS NULL)"
    " FROM department d ORDER BY d.retired_at IS NOT NULL, d.kind, d.name";
static const char SQL_DEPT_FIND_NAME[] = "SELECT id FROM department WHERE name = ?1";
static const char SQL_DEPT_INSERT[] =
    "INSERT INTO department (name, kind, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_DEPT_GET[] =
    "SELECT name, retired_at IS NOT NULL FROM department WHERE id = ?1";
static const char SQL_DEPT_RETIRE[] = "UPDATE department SET retired_at = ?2 WHERE id = ?1";
static const char SQL_HOL_LIST[] =
    "SELECT day, name, kind, retired_at IS NOT NULL FROM holiday WHERE day BETWEEN ?1 AND ?2"
    " ORDER BY day";
static const char SQL_HOL_GET[] =
    "SELECT name, kind, retired_at IS NOT NULL FROM holiday WHERE day = ?1";
static const char SQL_HOL_INSERT[] = "INSERT INTO holiday (day, name, kind) VALUES (?1, ?2, ?3)";
static const char SQL_HOL_REVIVE[] =
    "UPDATE holiday SET name = ?2, kind = ?3, retired_at = NULL WHERE day = ?1";
static const char SQL_HOL_RETIRE[] =
    "UPDATE holiday SET retired_at = ?2 WHERE day = ?1 AND retired_at IS NULL";

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

/* ---- small helpers ------------------------------------------------------- */

static bool streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bz_rc write_event(struct db *db, int64_t company_id, const char *at, int64_t actor_id,
                         const char *kind, const char *field, const char *old, const char *new_)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, at);
	if (actor_id > 0)
		db_bind_int(st, 3, actor_id);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, field);
	db_bind_text(st, 6, old);
	db_bind_text(st, 7, new_);
	return db_step_done(db, st, "company event");
}

void company_outcome_free(struct company_outcome *o)
{
	json_decref(o->fields);
	json_decref(o->similar);
	json_decref(o->current);
	memset(o, 0, sizeof(*o));
}

/* ---- pure helpers -------------------------------------------------------- */

void company_name_key(const char *name, char *out, size_t outlen)
{
	static const char *const tokens[] = {"(주)", "（주）", "주식회사", "㈜",
	                                     "(유)", "（유）", "유한회사"};
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (name == NULL)
		return;
	/* pass 1: drop blanks, fold ASCII case */
	size_t w = 0;
	for (const char *p = name; *p && w + 1 < outlen; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		out[w++] = (char)tolower((unsigned char)*p);
	}
	out[w] = '\0';
	/* pass 2: drop the company-form words, in place */
	size_t r = 0;
	w = 0;
	while (out[r]) {
		bool skipped = false;
		for (size_t t = 0; t < BZ_ARRAY_LEN(tokens); t++) {
			size_t tl = strlen(tokens[t]);
			if (strncmp(out + r, tokens[t], tl) == 0) {
				r += tl;
				skipped = true;
				break;
			}
		}
		if (!skipped)
			out[w++] = out[r++];
	}
	out[w] = '\0';
}

/* Length in bytes of the code point at p. */
static size_t cp_len(const char *p)
{
	size_t n = 1;
	while (((unsigned char)p[n] & 0xC0) == 0x80)
		n++;
	return n;
}

static void put_bytes(const char *s, size_t n, char *out, size_t outlen, size_t *w)
{
	if (*w + n < outlen) {
		memcpy(out + *w, s, n);
		*w += n;
	}
}

static void put_char(char c, char *out, size_t outlen, size_t *w)
{
	if (*w + 1 < outlen)
		out[(*w)++] = c;
}

void mask_name(const char *name, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (name == NULL)
		return;
	size_t chars = search_utf8_chars(name), w = 0, i = 0;
	for (const char *p = name; *p; i++) {
		size_t n = cp_len(p);
		bool keep = chars > 1 && (i == 0 || (chars > 2 && i == chars - 1));
		if (keep || *p == ' ')
			put_bytes(p, n, out, outlen, &w);
		else
			put_char('*', out, outlen, &w);
		p += n;
	}
	out[w] = '\0';
}

void mask_phone(const char *phone, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (phone == NULL)
		return;
	size_t digits = 0;
	bool separated = false;
	for (const char *p = phone; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (digits > 0)
			separated = true;
	}
	/* the first group: up to the first separator, or the area code */
	size_t first = 0;
	if (separated) {
		const char *p = phone;
		while (*p && !isdigit((unsigned char)*p))
			p++;
		while (isdigit((unsigned char)p[first]))
			first++;
	} else {
		first = strncmp(phone, "02", 2) == 0 ? 2 : 3;
	}
	if (digits <= 4 || first + 4 >= digits)
		first = 0;
	size_t w = 0, d = 0;
	for (const char *p = phone; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			bool keep = d < first || (digits > 4 && d >= digits - 4);
			put_char(keep ? *p : '*', out, outlen, &w);
			d++;
		} else {
			put_char(*p, out, outlen, &w);
		}
	}
	out[w] = '\0';
}

void mask_email(const char *email, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (email == NULL || *email == '\0')
		return;
	size_t w = 0;
	const char *p = email;
	const char *at = strchr(email, '@');
	if (*p != '@')
		put_bytes(p, cp_len(p), out, outlen, &w);
	for (int i = 0; i < 3; i++)
		put_char('*', out, outlen, &w);
	if (at) {
		for (const char *q = at; *q; q++)
			put_char(*q, out, outlen, &w);
	}
	out[w] = '\0';
}

bool contact_phone_normalize(const char *in, char *out, size_t outlen, const char **msg)
{
	static const char *bad = "전화번호는 숫자와 - ( ) + 기호로 8~20자리를 입력하세요.";
	char digits[32];
	size_t nd = 0;
	out[0] = '\0';
	for (const char *p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (nd + 1 >= sizeof(digits)) {
				*msg = bad;
				return false;
			}
			digits[nd++] = *p;
		} else if (!strchr(" -()+.", *p)) {
			*msg = bad;
			return false;
		}
	}
	digits[nd] = '\0';
	if (nd < 8 || nd > 20) {
		*msg = bad;
		return false;
	}
	int n;
	if (strchr(in, '+') == NULL && digits[0] == '0' && nd >= 9 && nd <= 11) {
		size_t area = strncmp(digits, "02", 2) == 0 ? 2 : 3;
		size_t mid = nd - area - 4;
		n = snprintf(out, outlen, "%.*s-%.*s-%s", (int)area, digits, (int)mid,
		             digits + area, digits + area + mid);
	} else if (nd == 8 && digits[0] == '1') { /* 1588-1234 */
		n = snprintf(out, outlen, "%.4s-%s", digits, digits + 4);
	} else {
		char *t = val_trimdup(in);
		n = snprintf(out, outlen, "%s", t ? t : "");
		free(t);
	}
	if (n < 0 || (size_t)n >= outlen) {
		*msg = bad;
		out[0] = '\0';
		return false;
	}
	return true;
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	const char *dot = strchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == ',')
			return false;
	return bz_utf8_valid(s, strlen(s));
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
	int r = sqlite3_step(st);
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
		else if (day > date_from_unix_kst((int64_t)db_time()))
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
	int r = sqlite3_step(st);
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
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
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
	if ((rc = write_event(db, *id_out, now, actor_id, "create", NULL, NULL, cv.v[CF_NAME])) !=
	    BZ_OK)
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
	int r = sqlite3_step(st);
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
		if ((rc = write_event(db, id, now, actor_id, "update", cf_names[i],
		                      old[i] ? a : NULL, cv.v[i] ? b : NULL)) != BZ_OK)
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

static void employees_text(sqlite3_stmt *st, int i, char *out, size_t outlen)
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
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "company get");
	}
	char brn[BRN_FMT_SIZE] = "", crn[CRN_FMT_SIZE] = "", emp[48];
	brn_format(db_col_text(st, 2), brn, sizeof(brn));
	if (db_col_text_or_null(st, 3))
		crn_format(db_col_text(st, 3), crn, sizeof(crn));
	employees_text(st, 11, emp, sizeof(emp));
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

static bz_rc company_exists(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EXISTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return BZ_OK;
	return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "company exists");
}

bz_rc company_contacts_view(struct db *db, int64_t company_id, int64_t user_id, const char *remote,
                            json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONTACTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	json_t *arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s?, s:s?}", "id",
		                                     (json_int_t)sqlite3_column_int64(st, 0),
		                                     "name", db_col_text(st, 1), "title",
		                                     db_col_text_or_null(st, 2), "phone",
		                                     db_col_text_or_null(st, 3), "email",
		                                     db_col_text_or_null(st, 4)));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "contacts");
	}
	if (json_array_size(arr) > 0) {
		st = db_stmt(db, SQL_PRIVACY);
		if (st == NULL) {
			json_decref(arr);
			return BZ_ERR_DB;
		}
		char now[24], what[48];
		db_now_utc(now);
		snprintf(what, sizeof(what), "contacts:%zu", json_array_size(arr));
		db_bind_text(st, 1, now);
		db_bind_int(st, 2, user_id);
		db_bind_int(st, 3, company_id);
		db_bind_text(st, 4, what);
		db_bind_text(st, 5, remote && *remote ? remote : NULL);
		bz_rc rc = db_step_done(db, st, "privacy access");
		if (rc != BZ_OK) { /* no record, no view */
			json_decref(arr);
			return rc;
		}
	}
	*out = arr;
	return BZ_OK;
}

bz_rc company_contact_add(struct db *db, int64_t actor_id, int64_t company_id, const char *name,
                          const char *title, const char *phone, const char *email, json_t **fields)
{
	*fields = NULL;
	char *n = val_trimdup(name), *t = val_trimdup(title), *p = val_trimdup(phone),
	     *e = val_trimdup(email);
	char ph[64] = "";
	const char *msg = NULL;
	bz_rc rc = company_exists(db, company_id);
	if (rc != BZ_OK)
		goto out;
	if (n == NULL)
		val_field_error_new(fields, "contact_name", "담당자 이름을 입력하세요.");
	else if (!val_line_ok(n, CONTACT_NAME_CHARS))
		val_field_error_new(fields, "contact_name",
		                    "담당자 이름은 50자 이내로 입력하세요.");
	if (t && !val_line_ok(t, CONTACT_TITLE_CHARS))
		val_field_error_new(fields, "contact_title", "직위는 50자 이내로 입력하세요.");
	if (p && !contact_phone_normalize(p, ph, sizeof(ph), &msg))
		val_field_error_new(fields, "contact_phone", msg);
	if (e && !email_ok(e))
		val_field_error_new(fields, "contact_email",
		                    "이메일 주소를 name@example.com 형식으로 입력하세요.");
	if (p == NULL && e == NULL)
		val_field_error_new(fields, "contact_phone",
		                    "전화번호나 이메일 중 하나는 입력하세요.");
	if (*fields) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_CONTACT_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		db_rollback(db);
		goto out;
	}
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, n);
	db_bind_text(st, 3, t);
	db_bind_text(st, 4, p ? ph : NULL);
	db_bind_text(st, 5, e);
	db_bind_text(st, 6, now);
	if ((rc = db_step_done(db, st, "contact insert")) != BZ_OK ||
	    (rc = write_event(db, company_id, now, actor_id, "contact_add", "contact", NULL, n)) !=
	        BZ_OK) {
		db_rollback(db);
		goto out;
	}
	rc = db_commit(db);
out:
	free(n);
	free(t);
	free(p);
	free(e);
	return rc;
}

bz_rc company_contact_retire(struct db *db, int64_t actor_id, int64_t company_id,
                             int64_t contact_id)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CONTACT_FIND);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, contact_id);
	db_bind_int(st, 2, company_id);
	int r = sqlite3_step(st);
	char *name = r == SQLITE_ROW ? strdup(db_col_text(st, 0)) : NULL;
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		db_rollback(db);
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "contact find");
	}
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_CONTACT_RETIRE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
	} else {
		db_bind_int(st, 1, contact_id);
		db_bind_text(st, 2, now);
		rc = db_step_done(db, st, "contact retire");
	}
	if (rc == BZ_OK)
		rc = write_event(db, company_id, now, actor_id, "contact_retire", "contact", name,
		                 NULL);
	free(name);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

bool company_table_exists(struct db *db, const char *table)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TABLE_EXISTS);
	if (st == NULL)
		return false;
	db_bind_text(st, 1, table);
	bool yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

static const char *case_status_label(const char *s)
{
	static const char *const map[][2] = {
	    {"received", "접수"}, {"reviewing", "검토"},   {"in_progress", "처리중"},
	    {"done", "완료"},     {"transferred", "이송"}, {"withdrawn", "취하"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(map); i++)
		if (strcmp(map[i][0], s) == 0)
			return map[i][1];
	return s;
}

static int by_at_desc(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "at"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "at"));
	return strcmp(y ? y : "", x ? x : "");
}

static const char *field_label(const char *field)
{
	for (int i = 0; i < CF_COUNT; i++)
		if (field && strcmp(cf_names[i], field) == 0)
			return cf_labels[i];
	return field ? field : "";
}

bz_rc company_timeline(struct db *db, int64_t company_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	json_t *arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = db_col_text(st, 1), *field = db_col_text(st, 2);
		const char *old = db_col_text_or_null(st, 3), *nw = db_col_text_or_null(st, 4);
		char text[1200];
		const char *label;
		if (strcmp(kind, "create") == 0) {
			label = "등록";
			snprintf(text, sizeof(text), "기업을 등록했습니다.");
		} else if (strcmp(kind, "contact_add") == 0) {
			label = "담당자";
			snprintf(text, sizeof(text), "담당자 %s 추가", nw ? nw : "");
		} else if (strcmp(kind, "contact_retire") == 0) {
			label = "담당자";
			snprintf(text, sizeof(text), "담당자 %s 삭제", old ? old : "");
		} else if (strcmp(field, "notes") == 0) {
			label = "수정";
			snprintf(text, sizeof(text), "메모를 고쳤습니다.");
		} else {
			label = "수정";
			snprintf(text, sizeof(text), "%s: %s → %s", field_label(field),
			         old ? old : "(없음)", nw ? nw : "(없음)");
		}
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s}", "at",
		                                db_col_text(st, 0), "kind", kind, "kind_label",
		                                label, "text", text, "field", field, "old", old,
		                                "new", nw, "actor", db_col_text(st, 5)));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "company events");
	}
	if (company_table_exists(db, "sos_case")) {
		st = db_stmt(db, SQL_CASES);
		if (st == NULL) {
			json_decref(arr);
			return BZ_ERR_DB;
		}
		db_bind_int(st, 1, company_id);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			char href[48], text[600];
			snprintf(href, sizeof(href), "/cases/%lld",
			         (long long)sqlite3_column_int64(st, 0));
			snprintf(text, sizeof(text), "%s %s", db_col_text(st, 1),
			         db_col_text(st, 3));
			json_array_append_new(
			    arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at",
			                   db_col_text(st, 2), "kind", "case", "kind_label", "애로",
			                   "text", text, "case_no", db_col_text(st, 1), "status",
			                   db_col_text(st, 4), "status_label",
			                   case_status_label(db_col_text(st, 4)), "href", href));
		}
		sqlite3_reset(st);
		if (r != SQLITE_DONE) {
			json_decref(arr);
			return db_rc(db, r, "company cases");
		}
	}
	/* newest first across both sources (ISO instants sort as text) */
	size_t n = json_array_size(arr);
	json_t **items = n ? calloc(n, sizeof(*items)) : NULL;
	if (n && items == NULL) {
		json_decref(arr);
		return BZ_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(arr, i));
	if (n)
		qsort(items, n, sizeof(*items), by_at_desc);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, items[i]);
	free(items);
	*out = arr;
	return BZ_OK;
}

/* ---- list, lookup -------------------------------------------------------- */

static const char *const SEARCH_COLS[] = {"c.name", "c.representative", "c.address", "c.notes",
                                          NULL};
static const struct search_spec COMPANY_SEARCH = {"company_fts", "c.id", SEARCH_COLS};

/* If q is a BRN fragment (only digits, dashes and blanks, 3+ digits), writes the
 * digits into out and answers true. */
static bool brn_fragment(const char *q, char *out, size_t outlen)
{
	size_t n = 0;
	if (q == NULL)
		return false;
	for (const char *p = q; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= outlen)
				return false;
			out[n++] = *p;
		} else if (*p != '-' && *p != ' ') {
			return false;
		}
	}
	out[n] = '\0';
	return n >= 3;
}

/* The WHERE of the list and the lookup, with its binds. */
struct where {
	struct buf sql;
	struct search_sql search;
	char brn[16];
	bool by_brn;
};

static bz_rc build_where(struct db *db, const struct company_filter *f, struct where *w, bool cases,
                         const char **msg)
{
	buf_init(&w->sql, 0);
	memset(&w->search, 0, sizeof(w->search));
	buf_init(&w->search.where, 0);
	w->by_brn = brn_fragment(f->q, w->brn, sizeof(w->brn));
	(void)db;
	buf_puts(&w->sql, " WHERE c.retired_at IS NULL");
	if (w->by_brn) {
		buf_puts(&w->sql, " AND instr(c.brn, ?) > 0");
	} else {
		struct search_query q;
		bz_rc rc = search_parse(f->q, &q, msg);
		if (rc != BZ_OK)
			return rc;
		buf_free(&w->search.where);
		if ((rc = search_where(&q, &COMPANY_SEARCH, &w->search)) != BZ_OK)
			return rc;
		buf_printf(&w->sql, " AND %s", buf_cstr(&w->search.where));
	}
	if (f->zone && *f->zone)
		buf_puts(&w->sql, " AND c.zone = ?");
	if (f->section && *f->section)
		buf_puts(&w->sql, " AND k.section = ?");
	if (f->open_cases && cases)
		buf_puts(&w->sql, " AND EXISTS (SELECT 1 FROM sos_case s WHERE s.company_id = c.id"
		                  " AND s.status IN ('received', 'reviewing', 'in_progress'))");
	return buf_cstr(&w->sql) ? BZ_OK : BZ_ERR_NOMEM;
}

static int bind_where(sqlite3_stmt *st, const struct company_filter *f, const struct where *w)
{
	int i = 1;
	if (w->by_brn)
		sqlite3_bind_text(st, i++, w->brn, -1, SQLITE_TRANSIENT);
	else
		i = search_bind(st, &w->search, i);
	if (f->zone && *f->zone)
		sqlite3_bind_text(st, i++, f->zone, -1, SQLITE_TRANSIENT);
	if (f->section && *f->section)
		sqlite3_bind_text(st, i++, f->section, -1, SQLITE_TRANSIENT);
	return i;
}

static void where_free(struct where *w)
{
	buf_free(&w->sql);
	search_sql_free(&w->search);
}

static bz_rc prepare(struct db *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, st, NULL) != SQLITE_OK) {
		LOG_ERROR("prepare failed: %s: %s", sqlite3_errmsg(db_handle(db)), sql);
		sqlite3_finalize(*st);
		*st = NULL;
		return BZ_ERR_DB;
	}
	return BZ_OK;
}

bz_rc company_list(struct db *db, const struct company_filter *f, json_t **out, const char **msg)
{
	bool cases = company_table_exists(db, "sos_case");
	struct where w;
	struct buf sql;
	buf_init(&sql, 0);
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	bz_rc rc = build_where(db, f, &w, cases, msg);
	if (rc != BZ_OK)
		goto out;

	/* the count */
	buf_printf(&sql,
	           "SELECT count(*) FROM company c LEFT JOIN ksic k ON k.code = c.ksic_code%s",
	           buf_cstr(&w.sql));
	if (buf_cstr(&sql) == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	if ((rc = prepare(db, buf_cstr(&sql), &st)) != BZ_OK)
		goto out;
	bind_where(st, f, &w);
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		rc = db_rc(db, r, "company count");
		goto out;
	}
	int64_t total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	int64_t pages = total == 0 ? 1 : (total + COMPANY_PAGE_SIZE - 1) / COMPANY_PAGE_SIZE;
	int64_t page = f->page < 1 ? 1 : f->page;
	if (page > pages)
		page = pages;

	const char *order = "c.name COLLATE NOCASE, c.id";
	if (f->sort && strcmp(f->sort, "recent") == 0)
		order = "c.updated_at DESC, c.id DESC";
	else if (f->sort && strcmp(f->sort, "employees") == 0)
		order = "c.employees IS NULL, c.employees DESC, c.name";
	buf_reset(&sql);
	buf_printf(&sql,
	           "SELECT c.id, c.name, c.brn, c.representative, k.name, c.zone, c.employees,"
	           " ct.name, ct.phone, ct.email, %s"
	           " FROM company c LEFT JOIN ksic k ON k.code = c.ksic_code"
	           " LEFT JOIN company_contact ct ON ct.id = (SELECT min(x.id) FROM company_contact"
	           " x WHERE x.company_id = c.id AND x.retired_at IS NULL)"
	           "%s ORDER BY %s LIMIT ? OFFSET ?",
	           cases ? "(SELECT count(*) FROM sos_case s WHERE s.company_id = c.id AND s.status"
	                   " IN ('received', 'reviewing', 'in_progress'))"
	                 : "0",
	           buf_cstr(&w.sql), order);
	if (buf_cstr(&sql) == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	if ((rc = prepare(db, buf_cstr(&sql), &st)) != BZ_OK)
		goto out;
	int i = bind_where(st, f, &w);
	sqlite3_bind_int(st, i++, COMPANY_PAGE_SIZE);
	sqlite3_bind_int64(st, i, (page - 1) * COMPANY_PAGE_SIZE);
	arr = json_array();
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char brn[BRN_FMT_SIZE], emp[48];
		brn_format(db_col_text(st, 2), brn, sizeof(brn));
		employees_text(st, 6, emp, sizeof(emp));
		json_t *row =
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1),
		              "brn_text", brn, "representative", db_col_text(st, 3), "ksic_name",
		              db_col_text(st, 4), "zone", db_col_text(st, 5), "employees_text", emp,
		              "open_cases", (json_int_t)sqlite3_column_int64(st, 10));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
			char n[256], p[64], e[300];
			mask_name(db_col_text(st, 7), n, sizeof(n));
			mask_phone(db_col_text(st, 8), p, sizeof(p));
			mask_email(db_col_text(st, 9), e, sizeof(e));
			json_object_set_new(row, "contact",
			                    json_pack("{s:s, s:s?, s:s?}", "name", n, "phone",
			                              val_nz(p), "email", val_nz(e)));
		}
		json_array_append_new(arr, row);
	}
	if (r != SQLITE_DONE) {
		rc = db_rc(db, r, "company list");
		goto out;
	}
	*out = json_pack("{s:O, s:I, s:I, s:I, s:b}", "companies", arr, "total", (json_int_t)total,
	                 "page_no", (json_int_t)page, "pages", (json_int_t)pages, "cases_known",
	                 cases);
	rc = *out ? BZ_OK : BZ_ERR_NOMEM;
out:
	json_decref(arr);
	sqlite3_finalize(st);
	buf_free(&sql);
	where_free(&w);
	return rc;
}

bz_rc company_lookup(struct db *db, const char *q, json_t **out, const char **msg)
{
	struct company_filter f = {.q = q};
	struct where w;
	struct buf sql;
	buf_init(&sql, 0);
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	bz_rc rc = build_where(db, &f, &w, false, msg);
	if (rc != BZ_OK)
		goto out;
	buf_printf(&sql,
	           "SELECT c.id, c.name, c.brn FROM company c LEFT JOIN ksic k ON k.code ="
	           " c.ksic_code%s ORDER BY c.name COLLATE NOCASE, c.id LIMIT 10",
	           buf_cstr(&w.sql));
	if (buf_cstr(&sql) == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	if ((rc = prepare(db, buf_cstr(&sql), &st)) != BZ_OK)
		goto out;
	bind_where(st, &f, &w);
	arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char brn[BRN_FMT_SIZE];
		brn_format(db_col_text(st, 2), brn, sizeof(brn));
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id",
		                                     (json_int_t)sqlite3_column_int64(st, 0),
		                                     "name", db_col_text(st, 1), "brn_text", brn));
	}
	if (r != SQLITE_DONE) {
		rc = db_rc(db, r, "company lookup");
		goto out;
	}
	*out = json_incref(arr);
out:
	json_decref(arr);
	sqlite3_finalize(st);
	buf_free(&sql);
	where_free(&w);
	return rc;
}

bz_rc company_zones(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ZONES);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:s}", "value", db_col_text(st, 0)));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "zones");
	}
	*out = arr;
	return BZ_OK;
}

bz_rc company_ksic(struct db *db, bool sections_only, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sections_only ? SQL_KSIC_SECTIONS : SQL_KSIC_ALL);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char label[400];
		bool section = strcmp(db_col_text(st, 0), db_col_text(st, 1)) == 0;
		if (section)
			snprintf(label, sizeof(label), "%s. %s (대분류)", db_col_text(st, 0),
			         db_col_text(st, 2));
		else
			snprintf(label, sizeof(label), "%s %s", db_col_text(st, 0),
			         db_col_text(st, 2));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b}", "code",
		                                     db_col_text(st, 0), "section",
		                                     db_col_text(st, 1), "name", db_col_text(st, 2),
		                                     "label", label, "is_section", section));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "ksic");
	}
	*out = arr;
	return BZ_OK;
}

/* ---- departments --------------------------------------------------------- */

static const char *dept_kind_label(const char *kind)
{
	return strcmp(kind, "agency") == 0 ? "외부기관" : "시 부서";
}

bz_rc department_list(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr,
		                      json_pack("{s:I, s:s, s:s, s:s, s:b, s:I}", "id",
		                                (json_int_t)sqlite3_column_int64(st, 0), "name",
		                                db_col_text(st, 1), "kind", db_col_text(st, 2),
		                                "kind_label", dept_kind_label(db_col_text(st, 2)),
		                                "retired", sqlite3_column_int(st, 3), "users",
		                                (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "departments");
	}
	*out = arr;
	return BZ_OK;
}

bz_rc department_add(struct db *db, int64_t actor_id, const char *name, const char *kind,
                     json_t **fields, int64_t *id_out)
{
	*fields = NULL;
	char *n = val_trimdup(name);
	bz_rc rc = BZ_OK;
	if (n == NULL)
		val_field_error_new(fields, "name", "부서·기관 이름을 입력하세요.");
	else if (!user_text_valid(n, 100))
		val_field_error_new(fields, "name", "부서·기관 이름은 100자 이내로 입력하세요.");
	if (kind == NULL || (strcmp(kind, "internal") != 0 && strcmp(kind, "agency") != 0))
		val_field_error_new(fields, "kind", "구분(시 부서 또는 외부기관)을 고르세요.");
	if (*fields) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_FIND_NAME);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, n);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW) {
		val_field_error_new(
		    fields, "name",
		    "이미 있는 이름입니다. 사용을 멈춘 부서라면 목록에서 다시 사용으로 바꾸세요.");
		rc = BZ_ERR_CONSTRAINT;
		goto rollback;
	}
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_DEPT_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, n);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, now);
	if ((rc = db_step_done(db, st, "department insert")) != BZ_OK)
		goto rollback;
	*id_out = db_last_id(db);
	char object[48];
	snprintf(object, sizeof(object), "department:%lld", (long long)*id_out);
	if ((rc = audit_log_json(db, actor_id, "department.add", object,
	                         json_pack("{s:s, s:s}", "name", n, "kind", kind))) != BZ_OK)
		goto rollback;
	rc = db_commit(db);
	goto out;
rollback:
	db_rollback(db);
out:
	free(n);
	return rc;
}

bz_rc department_set_retired(struct db *db, int64_t actor_id, int64_t id, bool retired)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_GET);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	int r = sqlite3_step(st);
	char *name = r == SQLITE_ROW ? strdup(db_col_text(st, 0)) : NULL;
	bool was = r == SQLITE_ROW && sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		db_rollback(db);
		return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "department get");
	}
	if (was == retired) {
		free(name);
		db_rollback(db);
		return BZ_OK;
	}
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_DEPT_RETIRE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
	} else {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, retired ? now : NULL);
		rc = db_step_done(db, st, "department retire");
	}
	char object[48];
	snprintf(object, sizeof(object), "department:%lld", (long long)id);
	if (rc == BZ_OK)
		rc = audit_log_json(db, actor_id,
		                    retired ? "department.retire" : "department.restore", object,
		                    json_pack("{s:s}", "name", name ? name : ""));
	free(name);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* ---- holidays ------------------------------------------------------------ */

const char *holiday_kind_label(const char *kind)
{
	static const char *const map[][2] = {
	    {"legal", "법정공휴일"},
	    {"substitute", "대체공휴일"},
	    {"temporary", "임시공휴일"},
	    {"election", "선거일"},
	};
	for (size_t i = 0; kind && i < BZ_ARRAY_LEN(map); i++)
		if (strcmp(map[i][0], kind) == 0)
			return map[i][1];
	return NULL;
}

bz_rc holiday_list(struct db *db, int year, json_t **out)
{
	char from[16], to[16];
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	sqlite3_stmt *st = db_stmt(db, SQL_HOL_LIST);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	json_t *arr = json_array();
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t day;
		const char *wd =
		    date_parse(db_col_text(st, 0), &day, NULL) == BZ_OK ? date_weekday_ko(day) : "";
		const char *label = holiday_kind_label(db_col_text(st, 2));
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "day",
		                                db_col_text(st, 0), "weekday", wd, "name",
		                                db_col_text(st, 1), "kind", db_col_text(st, 2),
		                                "kind_label", label ? label : db_col_text(st, 2),
		                                "retired", sqlite3_column_int(st, 3)));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "holidays");
	}
	*out = arr;
	return BZ_OK;
}

bz_rc holiday_add(struct db *db, int64_t actor_id, const char *day, const char *name,
                  const char *kind, json_t **fields)
{
	*fields = NULL;
	char *n = val_trimdup(name), *d = val_trimdup(day);
	const char *msg = NULL;
	int32_t dn;
	bz_rc rc = BZ_OK;
	if (date_parse(d, &dn, &msg) != BZ_OK)
		val_field_error_new(fields, "day", msg);
	else if (date_year(dn) < 2000 || date_year(dn) > 2100)
		val_field_error_new(fields, "day", "2000년부터 2100년 사이의 날짜를 입력하세요.");
	if (n == NULL)
		val_field_error_new(fields, "name", "휴일 이름을 입력하세요.");
	else if (!user_text_valid(n, 50))
		val_field_error_new(fields, "name", "휴일 이름은 50자 이내로 입력하세요.");
	if (holiday_kind_label(kind) == NULL)
		val_field_error_new(fields, "kind", "휴일 종류를 고르세요.");
	if (*fields) {
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if ((rc = db_begin(db)) != BZ_OK)
		goto out;
	sqlite3_stmt *st = db_stmt(db, SQL_HOL_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, d);
	int r = sqlite3_step(st);
	bool exists = r == SQLITE_ROW, retired = exists && sqlite3_column_int(st, 2);
	char old_name[256] = "";
	if (exists)
		bz_strlcpy(old_name, db_col_text(st, 0), sizeof(old_name));
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		rc = db_rc(db, r, "holiday get");
		goto rollback;
	}
	if (exists && !retired) {
		char m[400];
		snprintf(m, sizeof(m), "이미 휴일로 등록된 날입니다(%s).", old_name);
		val_field_error_new(fields, "day", m);
		rc = BZ_ERR_CONSTRAINT;
		goto rollback;
	}
	st = db_stmt(db, exists ? SQL_HOL_REVIVE : SQL_HOL_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto rollback;
	}
	db_bind_text(st, 1, d);
	db_bind_text(st, 2, n);
	db_bind_text(st, 3, kind);
	if ((rc = db_step_done(db, st, "holiday add")) != BZ_OK)
		goto rollback;
	char object[32];
	snprintf(object, sizeof(object), "holiday:%s", d);
	if ((rc = audit_log_json(db, actor_id, exists ? "holiday.restore" : "holiday.add", object,
	                         json_pack("{s:s, s:s}", "name", n, "kind", kind))) != BZ_OK)
		goto rollback;
	rc = db_commit(db);
	goto out;
rollback:
	db_rollback(db);
out:
	free(n);
	free(d);
	return rc;
}

bz_rc holiday_retire(struct db *db, int64_t actor_id, const char *day)
{
	int32_t dn;
	if (day == NULL || date_parse(day, &dn, NULL) != BZ_OK)
		return BZ_ERR_NOTFOUND;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_HOL_RETIRE);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, day);
	db_bind_text(st, 2, now);
	if ((rc = db_step_done(db, st, "holiday retire")) != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	if (db_changes(db) == 0) {
		db_rollback(db);
		return BZ_ERR_NOTFOUND;
	}
	char object[32];
	snprintf(object, sizeof(object), "holiday:%s", day);
	if ((rc = audit_log_json(db, actor_id, "holiday.retire", object, json_pack("{}"))) !=
	    BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
