/* Companies in lists: the timeline of one company, the filtered list, the
 * lookup by name or number, the zones in use. See company.h. */
#include "bizsos/buf.h"
#include "company_internal.h"
#include "bizsos/sos_case.h"
#include "bizsos/link.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_ZONES[] =
    "SELECT DISTINCT zone FROM company WHERE zone IS NOT NULL AND zone <> ''"
    " AND retired_at IS NULL ORDER BY zone";
static const char SQL_CASES[] =
    "SELECT id, case_no, received_at, title, status FROM sos_case WHERE company_id = ?1"
    " ORDER BY received_at DESC, id DESC";
static const char SQL_EVENTS[] =
    "SELECT e.at, e.kind, e.field, e.old, e.new, COALESCE(u.name, '시스템')"
    " FROM company_event e LEFT JOIN app_user u ON u.id = e.actor_id"
    " WHERE e.company_id = ?1 ORDER BY e.at DESC, e.id DESC";
/* ---- timeline ------------------------------------------------------------ */

static int by_at_desc(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "at"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "at"));
	return strcmp(y ? y : "", x ? x : "");
}

bz_rc company_timeline(struct db *db, int64_t company_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	json_t *arr = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		const char *kind = db_col_text(st, 1), *field = db_col_text(st, 2);
		const char *old = db_col_text_or_null(st, 3), *nw = db_col_text_or_null(st, 4);
		struct buf tb; /* grows: a long Korean value is never cut */
		buf_init(&tb, 0);
		const char *label;
		if (strcmp(kind, "create") == 0) {
			label = "등록";
			buf_printf(&tb, "기업을 등록했습니다.");
		} else if (strcmp(kind, "contact_add") == 0) {
			label = "담당자";
			buf_printf(&tb, "담당자 %s 추가", nw ? nw : "");
		} else if (strcmp(kind, "contact_retire") == 0) {
			label = "담당자";
			buf_printf(&tb, "담당자 %s 삭제", old ? old : "");
		} else if (strcmp(field, "notes") == 0) {
			label = "수정";
			buf_printf(&tb, "메모를 고쳤습니다.");
		} else {
			label = "수정";
			buf_printf(&tb, "%s: %s → %s", company_field_label(field),
			           old ? old : "(없음)", nw ? nw : "(없음)");
		}
		const char *text = buf_cstr(&tb);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s}",
		                                     "at", db_col_text(st, 0), "kind", kind,
		                                     "kind_label", label, "text", text ? text : "",
		                                     "field", field, "old", old, "new", nw, "actor",
		                                     db_col_text(st, 5)));
		buf_free(&tb);
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "company events");
	}
	st = db_stmt(db, SQL_CASES);
	if (st == NULL) {
		json_decref(arr);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, company_id);
	while ((r = db_step(st)) == SQLITE_ROW) {
		struct buf tb; /* grows: a long Korean title is never cut */
		buf_init(&tb, 0);
		json_t *href = link_fact(
		    "case", json_pack("{s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0)));
		buf_printf(&tb, "%s %s", db_col_text(st, 1), db_col_text(st, 3));
		const char *text = buf_cstr(&tb);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
		                                     "at", db_col_text(st, 2), "kind", "case",
		                                     "kind_label", "애로", "text", text ? text : "",
		                                     "case_no", db_col_text(st, 1), "status",
		                                     db_col_text(st, 4), "status_label",
		                                     case_label("status", db_col_text(st, 4))
		                                         ? case_label("status", db_col_text(st, 4))
		                                         : db_col_text(st, 4),
		                                     "href", href));
		buf_free(&tb);
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "company cases");
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
static const struct search_spec COMPANY_SEARCH = {"company_fts", "c.id", SEARCH_COLS, 2};

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

/* The statement for a list's SQL, prepared once per connection and shape
 * (db_stmt_text); reset, never finalised, when done. */
static bz_rc prepare(struct db *db, const char *sql, sqlite3_stmt **st)
{
	*st = db_stmt_text(db, sql);
	return *st ? BZ_OK : BZ_ERR_DB;
}

bz_rc company_list(struct db *db, const struct company_filter *f, json_t **out, const char **msg)
{
	const bool cases = true; /* the case table is always there (sql/004) */
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
	int r = db_step(st);
	if (r != SQLITE_ROW) {
		rc = db_rc(db, r, "company count");
		goto out;
	}
	int64_t total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = NULL;
	int64_t per = f->per_page > 0 && f->per_page <= 100 ? f->per_page : COMPANY_PAGE_SIZE;
	int64_t pages = total == 0 ? 1 : (total + per - 1) / per;
	int64_t page = f->page < 1 ? 1 : f->page;
	if (page > pages)
		page = pages;

	const char *order = "c.name COLLATE NOCASE, c.id";
	if (f->sort && strcmp(f->sort, "recent") == 0)
		order = "c.updated_at DESC, c.id DESC";
	else if (f->sort && strcmp(f->sort, "employees") == 0)
		order = "c.employees IS NULL, c.employees DESC, c.name";
	buf_reset(&sql);
	/* The page's ids first, then their columns: SQLite computes every result
	 * column, the contact and open-case subqueries included, for each row it
	 * sorts — thousands for a short search term — not only for the page. */
	buf_printf(
	    &sql,
	    "SELECT c.id, c.name, c.brn, c.representative, k.name, c.zone, c.employees,"
	    " ct.name, ct.phone, ct.email, %s, c.brn, c.crn, c.ksic_code, c.address,"
	    " c.employees, c.founded_on, c.notes"
	    " FROM (SELECT c.id AS pid FROM company c LEFT JOIN ksic k ON k.code = c.ksic_code"
	    "%s ORDER BY %s LIMIT ? OFFSET ?) p JOIN company c ON c.id = p.pid"
	    " LEFT JOIN ksic k ON k.code = c.ksic_code"
	    " LEFT JOIN company_contact ct ON ct.id = (SELECT min(x.id) FROM company_contact"
	    " x WHERE x.company_id = c.id AND x.retired_at IS NULL)"
	    " ORDER BY %s",
	    cases ? "(SELECT count(*) FROM sos_case s WHERE s.company_id = c.id AND s.status"
	            " IN ('received', 'reviewing', 'in_progress'))"
	          : "0",
	    buf_cstr(&w.sql), order, order);
	if (buf_cstr(&sql) == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	if ((rc = prepare(db, buf_cstr(&sql), &st)) != BZ_OK)
		goto out;
	int i = bind_where(st, f, &w);
	sqlite3_bind_int64(st, i++, f->each ? -1 : per);
	sqlite3_bind_int64(st, i, f->each ? 0 : (page - 1) * per);
	arr = json_array();
	while ((r = db_step(st)) == SQLITE_ROW) {
		char brn[BRN_FMT_SIZE], emp[48];
		brn_format(db_col_text(st, 2), brn, sizeof(brn));
		company_employees_text(st, 6, emp, sizeof(emp));
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
		json_object_set_new(row, "brn", json_string(db_col_text(st, 11)));
		static const char *const more[] = {"crn", "ksic_code", "address"};
		for (int k = 0; k < 3; k++)
			json_object_set_new(row, more[k],
			                    sqlite3_column_type(st, 12 + k) == SQLITE_NULL
			                        ? json_null()
			                        : json_string(db_col_text(st, 12 + k)));
		json_object_set_new(row, "employees",
		                    sqlite3_column_type(st, 15) == SQLITE_NULL
		                        ? json_null()
		                        : json_integer(sqlite3_column_int64(st, 15)));
		json_object_set_new(row, "founded_on",
		                    sqlite3_column_type(st, 16) == SQLITE_NULL
		                        ? json_null()
		                        : json_string(db_col_text(st, 16)));
		json_object_set_new(row, "notes",
		                    sqlite3_column_type(st, 17) == SQLITE_NULL
		                        ? json_null()
		                        : json_string(db_col_text(st, 17)));
		if (f->each) {
			rc = f->each(f->each_ctx, row);
			json_decref(row);
			if (rc != BZ_OK)
				goto out;
			continue;
		}
		json_array_append_new(arr, row);
	}
	if (r != SQLITE_DONE) {
		rc = db_rc(db, r, "company list");
		goto out;
	}
	if (f->each) {
		rc = BZ_OK;
		goto out;
	}
	*out = json_pack("{s:O, s:I, s:I, s:I, s:b}", "companies", arr, "total", (json_int_t)total,
	                 "page_no", (json_int_t)page, "pages", (json_int_t)pages, "cases_known",
	                 cases);
	rc = *out ? BZ_OK : BZ_ERR_NOMEM;
out:
	json_decref(arr);
	sqlite3_reset(st);
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
	while ((r = db_step(st)) == SQLITE_ROW) {
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
	sqlite3_reset(st);
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
	while ((r = db_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:s}", "value", db_col_text(st, 0)));
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		json_decref(arr);
		return db_rc(db, r, "zones");
	}
	*out = arr;
	return BZ_OK;
}
