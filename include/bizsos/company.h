/* Companies (기업): validation, duplicates, optimistic concurrency, history,
 * contacts and their masking, the list with search and filters, the company
 * page's timeline; and the reference data admins keep (KSIC, departments,
 * holidays). Knows nothing of HTTP.
 *
 * Read models are Jansson objects owned by the caller. Korean messages for
 * fields travel in a `fields` object (field name → message), as web_invalid
 * wants them. */
#ifndef BIZSOS_COMPANY_H
#define BIZSOS_COMPANY_H

#include "bizsos/store.h"
#include "bizsos/refdata.h" /* categories, types, departments, holidays, KSIC */
#include <jansson.h>

#define COMPANY_NAME_CHARS    100
#define COMPANY_TEXT_CHARS    100 /* representative, zone */
#define COMPANY_ADDRESS_CHARS 200
#define COMPANY_NOTES_CHARS   4000
#define COMPANY_EMPLOYEES_MAX 10000000
#define CONTACT_NAME_CHARS    50
#define CONTACT_TITLE_CHARS   50
#define COMPANY_PAGE_SIZE     20

/* The form as typed (every pointer may be NULL or ""): create and update. */
struct company_input {
	const char *name;
	const char *brn;
	const char *crn;
	const char *representative;
	const char *ksic_code;
	const char *address;
	const char *zone;
	const char *employees;
	const char *founded_on;
	const char *notes;
	bool confirm_similar; /* the user saw the similar-name warning and goes on */
	int64_t version;      /* update: the version the form was loaded with */
};

/* What a refused create or update tells the form. */
struct company_outcome {
	json_t *fields;       /* field → Korean message; owned, NULL if none */
	json_t *similar;      /* [{id, name, brn_text}] similar names; owned, or NULL */
	int64_t duplicate_id; /* the company that already has this BRN, or 0 */
	json_t *current;      /* on BZ_ERR_CONFLICT: the company as it is now; owned */
};
void company_outcome_free(struct company_outcome *o);

/* Creates a company. BZ_OK with *id_out. BZ_ERR_INVALID: fields says why (a
 * similar name without confirm_similar is a "name" field warning with
 * o->similar listing them). BZ_ERR_CONSTRAINT: the BRN is taken; fields.brn
 * says so and o->duplicate_id names the existing company. BZ_ERR_DB on failure.
 * The create is a company_event row. */
bz_rc company_create(struct db *db, int64_t actor_id, const struct company_input *in,
                     int64_t *id_out, struct company_outcome *o);

/* Updates company id from a form loaded at in->version. As create, plus:
 * BZ_ERR_NOTFOUND for no such company; BZ_ERR_CONFLICT when someone saved in
 * between (o->current holds the company as it is now; nothing was written).
 * Every changed field is a company_event row (old → new); no change at all is
 * BZ_OK without a new version. */
bz_rc company_update(struct db *db, int64_t actor_id, int64_t id, const struct company_input *in,
                     struct company_outcome *o);

/* The company as a read model: {id, name, brn, brn_text, crn, crn_text,
 * representative, ksic_code, ksic_name, ksic_section, ksic_section_name,
 * address, zone, employees (number or null), employees_text, founded_on,
 * notes, created_at, updated_at, version, retired}. BZ_ERR_NOTFOUND if none. */
bz_rc company_get(struct db *db, int64_t id, json_t **out);

/* The same company as form values (strings, as the form shows them). */
json_t *company_form_values(const json_t *company);

/* Contacts of a company, not retired, in full: [{id, name, title, phone,
 * email}]. Every call is a full view of personal data: it writes a
 * privacy_access row (user_id, company_id, what, remote) when there is at
 * least one contact. */
bz_rc company_contacts_view(struct db *db, int64_t company_id, int64_t user_id, const char *remote,
                            json_t **out);

/* Adds a contact. BZ_ERR_INVALID with fields (name 1..50, title ..50, phone:
 * digits and - ( ) + and blanks, 8..20 digits; email: one @, no blanks);
 * BZ_ERR_NOTFOUND for no such company. A company_event row. */
bz_rc company_contact_add(struct db *db, int64_t actor_id, int64_t company_id, const char *name,
                          const char *title, const char *phone, const char *email, json_t **fields);
/* Retires a contact of the company. BZ_ERR_NOTFOUND if it is not one of its
 * current contacts. A company_event row. */
bz_rc company_contact_retire(struct db *db, int64_t actor_id, int64_t company_id,
                             int64_t contact_id);

/* One page of the company's timeline. kind: NULL or "" for all, else one of
 * visit (방문·회의), case (애로), grant (개선사업), letter (서한·문서),
 * status (사업자 상태 확인), record (기업 정보의 변경); year: 0 for all;
 * page from 1. */
struct company_timeline_query {
	const char *kind;
	int year;
	int64_t page;
};
#define COMPANY_TIMELINE_PAGE 30

/* Whether kind is one of the timeline's kinds above. */
bool company_timeline_kind_ok(const char *kind);

/* Everything about the company as one timeline, newest first (by KST day):
 * its activities (visits, meetings; anniversary letters as letters), cases,
 * grants, issued documents, status checks and changes to its record, as
 * [{at, day, kind, kind_label, text, actor?, status_label?, href?}] (cases
 * also {case_no, status}); q NULL: the first page of all. When meta is not
 * NULL, *meta = {kinds: [{key, label, count, selected}] (within the year),
 * years: [{year, count, selected}] (within the kind), total, all, page,
 * pages, kind, year}. Both new. */
bz_rc company_timeline(struct db *db, int64_t company_id, const struct company_timeline_query *q,
                       json_t **out, json_t **meta);

/* The list. q is the raw search text; zone, section ("A".."U") may be NULL or
 * "". sort: "name" (default), "recent", "employees". open_cases: only
 * companies with an open case (needs sos_case; ignored without it). page from 1. */
struct company_filter {
	const char *q;
	const char *zone;
	const char *section;
	const char *sort;
	bool open_cases;
	int page;
	int per_page; /* 1..100; 0: COMPANY_PAGE_SIZE */
	/* Keyset paging: the rows after this key (NULL: from page), the key of
	 * the last row shown as the answer's next_key gave it: [name, null, null,
	 * id] by name, [updated_at, null, null, id] by recent, [no count 0/1,
	 * employees or 0, name, id] by employees. */
	const json_t *after;
	/* A cursor instead of a page: when set, every matching row is handed to
	 * each(each_ctx, row) in order and *out stays NULL; a non-OK answer stops
	 * the walk and is returned. */
	bz_rc (*each)(void *ctx, const json_t *row);
	void *each_ctx;
};
/* {companies: [{id, name, brn_text, representative, ksic_name, zone,
 * employees_text, contact: {name, phone, email} masked or absent,
 * open_cases, brn, crn, ksic_code, address, employees, founded_on, notes}], total, page_no, pages,
 * cases_known, next_key (when more rows follow)}; absent values are null. BZ_ERR_INVALID /
 * BZ_ERR_TOOLARGE with a static Korean *msg for a bad query (search.h). */
bz_rc company_list(struct db *db, const struct company_filter *f, json_t **out, const char **msg);

/* Quick search by name (search.h rules) or BRN digits (3+ digits typed, with
 * or without dashes): up to 10 [{id, name, brn_text}]. */
bz_rc company_lookup(struct db *db, const char *q, json_t **out, const char **msg);

/* Filters' choices: zones in use [{value}] (KSIC: company_ksic in refdata.h). */
bz_rc company_zones(struct db *db, json_t **out);

/* ---- pure helpers (unit-tested) ---- */

/* The similar-name key: the name without blanks, (주) 주식회사 ㈜ (유) 유한회사
 * (also with full-width parentheses) and with ASCII folded to lower case.
 * Written into out (at least strlen(name) + 1). */
void company_name_key(const char *name, char *out, size_t outlen);
/* Masking for lists: 김철수 → 김*수, 김수 → 김*, 남궁민수 → 남**수;
 * 010-1234-5678 → 010-****-5678; kim@example.com → k***@example.com.
 * Each writes into out (NUL-terminated, truncated to fit); "" for NULL. */
void mask_name(const char *name, char *out, size_t outlen);
void mask_phone(const char *phone, char *out, size_t outlen);
void mask_email(const char *email, char *out, size_t outlen);
/* Normalises a phone number: Korean numbers of 9..11 digits starting with 0
 * get their dashes (02-123-4567, 031-123-4567, 010-1234-5678); other accepted
 * numbers are kept as typed (trimmed). NULL with *msg for a bad number. */
bool contact_phone_normalize(const char *in, char *out, size_t outlen, const char **msg);

#endif
