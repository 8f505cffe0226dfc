/* A company's contact people: masking, phone numbers, the audited view of the
 * full contacts, adding and retiring. See company.h. */
#include "company_internal.h"
#include "bizsos/privacy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_CONTACT_RETIRE[] =
    "UPDATE company_contact SET retired_at = ?2 WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_CONTACT_FIND[] =
    "SELECT name FROM company_contact WHERE id = ?1 AND company_id = ?2 AND retired_at IS NULL";
static const char SQL_CONTACT_INSERT[] =
    "INSERT INTO company_contact (company_id, name, title, phone, email, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_NAME[] = "SELECT name FROM company WHERE id = ?1";
static const char SQL_CONTACTS[] = "SELECT id, name, title, phone, email FROM company_contact"
                                   " WHERE company_id = ?1 AND retired_at IS NULL ORDER BY id";
static const char SQL_EXISTS[] = "SELECT 1 FROM company WHERE id = ?1";
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

/* ---- contacts ------------------------------------------------------------ */

static bz_rc company_exists(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EXISTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int r = db_step(st);
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return BZ_OK;
	return r == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, r, "company exists");
}

/* One access-log row about the contacts of company_id ("<company> 담당자"). */
static bz_rc contact_privacy_log(struct db *db, int64_t user_id, const char *remote,
                                 enum privacy_action action, int64_t company_id, const char *what)
{
	char subject[640] = "기업 담당자";
	sqlite3_stmt *st = db_stmt(db, SQL_NAME);
	if (st != NULL) {
		db_bind_int(st, 1, company_id);
		if (db_step(st) == SQLITE_ROW)
			snprintf(subject, sizeof(subject), "%.600s 담당자", db_col_text(st, 0));
		sqlite3_reset(st);
	}
	return privacy_log(db, &(struct privacy_entry){.user_id = user_id,
	                                               .remote = remote,
	                                               .action = action,
	                                               .subject_kind = "company",
	                                               .subject_id = company_id,
	                                               .subject = subject,
	                                               .company_id = company_id,
	                                               .what = what});
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
	while ((r = db_step(st)) == SQLITE_ROW)
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
		char what[48];
		snprintf(what, sizeof(what), "contacts:%zu", json_array_size(arr));
		bz_rc rc = contact_privacy_log(db, user_id, remote, PRIVACY_VIEW, company_id, what);
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
	    (rc = db_event_add(db, EVENT_COMPANY, company_id, now, actor_id, "contact_add",
	                       "contact", NULL, n, NULL)) != BZ_OK ||
	    (actor_id > 0 && (rc = contact_privacy_log(db, actor_id, NULL, PRIVACY_ENTER,
	                                               company_id, "contact_add")) != BZ_OK)) {
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
	int r = db_step(st);
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
		rc = db_event_add(db, EVENT_COMPANY, company_id, now, actor_id, "contact_retire",
		                  "contact", name, NULL, NULL);
	if (rc == BZ_OK && actor_id > 0)
		rc = contact_privacy_log(db, actor_id, NULL, PRIVACY_DELETE, company_id,
		                         "contact_retire");
	free(name);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
