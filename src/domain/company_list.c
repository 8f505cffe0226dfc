/* Companies in lists: the timeline of one company, the filtered list, the
 * lookup by name or number, the zones in use. See company.h. */
#include "bizsos/buf.h"
#include "company_internal.h"
#include "bizsos/sos_case.h"
#include "bizsos/link.h"
#include "bizsos/grant.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_ZONES[] =
    "SELECT DISTINCT zone FROM company WHERE zone IS NOT NULL AND zone <> ''"
    " AND retired_at IS NULL ORDER BY zone";
/* Everything about company ?1 as rows of one shape: kind (visit, letter,
 * case, grant, status, record), day (KST date), at (for the order within a
 * day), id, text, sub (a status or type), actor, and for a record its event
 * kind, field, old and new. */
#define TIMELINE_CTE                                                                                \
	"WITH t(kind, day, at, id, text, sub, actor, ekind, field, old, new) AS ("                  \
	"SELECT 'record', date(e.at, '+9 hours'), e.at, e.id, NULL, NULL,"                          \
	" COALESCE(u.name, '시스템'), e.kind, e.field, e.old, e.new FROM company_event e"        \
	" LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.company_id = ?1"                        \
	" UNION ALL SELECT 'case', s.received_on, s.received_at, s.id, s.case_no || ' ' ||"         \
	" s.title, s.status, u.name, NULL, NULL, NULL, NULL FROM sos_case s"                        \
	" LEFT JOIN app_user u ON u.id = s.assignee_id WHERE s.company_id = ?1"                     \
	" UNION ALL SELECT CASE WHEN ty.code = 'anniversary_letter' THEN 'letter' ELSE 'visit'"     \
	" END, a.held_on, a.held_on || 'T' || COALESCE(a.starts_at, '00:00'), a.id,"                \
	" CASE WHEN a.title IN ('', ty.name) THEN COALESCE(NULLIF(substr(a.summary, 1, 80),"        \
	" ''), ty.name) ELSE a.title END, ty.name, u.name, NULL, NULL, NULL, NULL"                  \
	" FROM activity_company ac JOIN activity a ON a.id = ac.activity_id"                        \
	" JOIN activity_type ty ON ty.id = a.type_id LEFT JOIN app_user u ON u.id ="                \
	" a.created_by WHERE ac.company_id = ?1 AND a.retired_at IS NULL"                           \
	" UNION ALL SELECT 'grant', COALESCE(g.done_on, g.cancelled_on, g.selected_on,"             \
	" g.applied_on, date(g.created_at, '+9 hours')), g.created_at, g.id, g.year ||"             \
	" '년 ' || g.title, g.status, NULL, NULL, NULL, NULL, NULL FROM improvement_grant g"       \
	" WHERE g.company_id = ?1 AND g.retired_at IS NULL"                                         \
	" UNION ALL SELECT 'letter', d.issued_on, d.created_at, d.id, d.doc_no || ' ' ||"           \
	" d.title, 'document', d.staff_name, NULL, NULL, NULL, NULL FROM issued_document d"         \
	" WHERE d.company_id = ?1"                                                                  \
	" UNION ALL SELECT 'status', date(cs.checked_at, '+9 hours'), cs.checked_at,"               \
	" cs.company_id, COALESCE(cs.status, '조회 결과 없음'), cs.end_dt, NULL, NULL, NULL," \
	" NULL, NULL FROM company_status cs WHERE cs.company_id = ?1 AND cs.checked_at IS NOT"      \
	" NULL) "
/* ?2 kind, ?3 year (NULL: all; db_bind_text binds "" as NULL) */
#define TIMELINE_WHERE " (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR substr(day, 1, 4) = ?3)"
static const char SQL_TIMELINE[] = TIMELINE_CTE
    "SELECT kind, day, at, id, text, sub, actor, ekind, field, old, new FROM t WHERE" TIMELINE_WHERE
    " ORDER BY day DESC, at DESC, id DESC LIMIT ?4 OFFSET ?5";
/* the counts the filters show: per kind within the year, per year within the kind */
static const char SQL_TIMELINE_KINDS[] =
    TIMELINE_CTE "SELECT kind, count(*) FROM t WHERE (?3 IS NULL OR substr(day, 1, 4) = ?3)"
                 " AND (?2 IS NULL OR ?2 IS NOT NULL) GROUP BY kind";
static const char SQL_TIMELINE_YEARS[] =
    TIMELINE_CTE "SELECT substr(day, 1, 4), count(*) FROM t WHERE (?2 IS NULL OR kind = ?2)"
                 " AND (?3 IS NULL OR ?3 IS NOT NULL) GROUP BY 1 ORDER BY 1 DESC";

/* ---- timeline ------------------------------------------------------------ */

static const struct {
	const char *key, *label;
} timeline_kinds[] = {{"visit", "방문·회의"},  {"case", "애로"},          {"grant", "개선사업"},
                      {"letter", "서한·문서"}, {"status", "사업자 상태"}, {"record", "기업 정보"}};

bool company_timeline_kind_ok(const char *kind)
{
	for (size_t i = 0; kind && i < BZ_ARRAY_LEN(timeline_kinds); i++)
		if (strcmp(kind, timeline_kinds[i].key) == 0)
			return true;
	return false;
}

static const char *kind_label(const char *kind)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(timeline_kinds); i++)
		if (strcmp(kind, timeline_kinds[i].key) == 0)
			return timeline_kinds[i].label;
	return kind;
}

/* The text of a company_event row (ekind, field, old, new) into tb; its label. */
static const char *record_text(struct buf *tb, const char *kind, const char *field, const char *old,
                               const char *nw)
{
	if (strcmp(kind, "create") == 0) {
		buf_printf(tb, "기업을 등록했습니다.");
		return "등록";
	}
	if (strcmp(kind, "contact_add") == 0) {
		buf_printf(tb, "담당자 %s 추가", nw ? nw : "");
		return "담당자";
	}
	if (strcmp(kind, "contact_retire") == 0) {
		buf_printf(tb, "담당자 %s 삭제", old ? old : "");
		return "담당자";
	}
	if (field && strcmp(field, "notes") == 0)
		buf_printf(tb, "메모를 고쳤습니다.");
	else
		buf_printf(tb, "%s: %s → %s", company_field_label(field ? field : ""),
		           old ? old : "(없음)", nw ? nw : "(없음)");
	return "수정";
}

static json_t *timeline_row(sqlite3_stmt *st)
{
	const char *kind = db_col_text(st, 0), *sub = db_col_text_or_null(st, 5);
	int64_t id = sqlite3_column_int64(st, 3);
	struct buf tb; /* grows: a long Korean value is never cut */
	buf_init(&tb, 0);
	const char *label = kind_label(kind), *sub_label = NULL;
	json_t *href = NULL;
	if (strcmp(kind, "record") == 0) {
		label = record_text(&tb, db_col_text(st, 7), db_col_text_or_null(st, 8),
		                    db_col_text_or_null(st, 9), db_col_text_or_null(st, 10));
	} else {
		buf_puts(&tb, db_col_text(st, 4));
		if (strcmp(kind, "case") == 0) {
			label = "애로";
			sub_label = sub ? case_label("status", sub) : NULL;
			if (sub_label == NULL)
				sub_label = sub;
			href = link_fact("case", json_pack("{s:I}", "id", (json_int_t)id));
		} else if (strcmp(kind, "grant") == 0) {
			sub_label = sub ? grant_status_label(sub) : NULL;
			href = link_fact("grant", json_pack("{s:I}", "id", (json_int_t)id));
		} else if (strcmp(kind, "letter") == 0 && sub && strcmp(sub, "document") == 0) {
			label = "문서";
			href = link_fact("document", json_pack("{s:I}", "id", (json_int_t)id));
		} else if (strcmp(kind, "visit") == 0 || strcmp(kind, "letter") == 0) {
			label = sub ? sub : label;
			href = link_fact("activity", json_pack("{s:I}", "id", (json_int_t)id));
		} else if (strcmp(kind, "status") == 0 && sub) {
			buf_printf(&tb, " (폐업일 %s)", sub);
		}
	}
	const char *text = buf_cstr(&tb);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}", "at", db_col_text(st, 2),
	                      "day", db_col_text(st, 1), "kind", kind, "kind_label", label, "text",
	                      text ? text : "", "actor", db_col_text_or_null(st, 6), "status_label",
	                      sub_label);
	buf_free(&tb);
	if (strcmp(kind, "case") == 0 && o) {
		json_object_set_new(o, "status", json_string(sub ? sub : ""));
		/* "SOS-2024-0001 title": the number alone too */
		const char *t = db_col_text(st, 4);
		const char *sp = strchr(t, ' ');
		json_object_set_new(o, "case_no",
		                    sp ? json_stringn(t, (size_t)(sp - t)) : json_string(t));
	}
	if (strcmp(kind, "record") == 0 && o) {
		json_object_set_new(o, "field", db_col_json(st, 8));
		json_object_set_new(o, "old", db_col_json(st, 9));
		json_object_set_new(o, "new", db_col_json(st, 10));
	}
	if (href)
		json_object_set_new(o, "href", href);
	return o;
}

static void bind_query(sqlite3_stmt *st, int64_t company_id, const char *kind, const char *year)
{
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, year);
}

bz_rc company_timeline(struct db *db, int64_t company_id, const struct company_timeline_query *q,
                       json_t **out, json_t **meta)
{
	const char *kind = q && q->kind ? q->kind : "";
	char year[12] = "";
	if (q && q->year > 0)
		snprintf(year, sizeof(year), "%04d", q->year);
	int64_t page = q && q->page > 1 ? q->page : 1;
	sqlite3_stmt *st = db_stmt(db, SQL_TIMELINE);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_query(st, company_id, kind, year);
	db_bind_int(st, 4, COMPANY_TIMELINE_PAGE);
	db_bind_int(st, 5, (page - 1) * COMPANY_TIMELINE_PAGE);
	json_t *arr = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, timeline_row(st));
	bz_rc rc = db_rows_json(db, st, r, "company timeline", arr, &arr);
	if (rc != BZ_OK)
		return rc;
	if (meta == NULL) {
		*out = arr;
		return BZ_OK;
	}
	/* the filters' choices with their counts, and the total */
	json_t *kinds = json_array(), *years = json_array();
	int64_t counts[BZ_ARRAY_LEN(timeline_kinds)] = {0}, total = 0, all = 0;
	if ((st = db_stmt(db, SQL_TIMELINE_KINDS)) == NULL)
		rc = BZ_ERR_DB;
	if (rc == BZ_OK) {
		bind_query(st, company_id, kind, year);
		while ((r = db_step(st)) == SQLITE_ROW)
			for (size_t i = 0; i < BZ_ARRAY_LEN(timeline_kinds); i++)
				if (strcmp(db_col_text(st, 0), timeline_kinds[i].key) == 0)
					counts[i] = sqlite3_column_int64(st, 1);
		rc = db_rows_end(db, st, r, "company timeline kinds");
	}
	for (size_t i = 0; rc == BZ_OK && i < BZ_ARRAY_LEN(timeline_kinds); i++) {
		all += counts[i];
		if (!*kind || strcmp(kind, timeline_kinds[i].key) == 0)
			total += counts[i];
		json_array_append_new(
		    kinds, json_pack("{s:s, s:s, s:I, s:b}", "key", timeline_kinds[i].key, "label",
		                     timeline_kinds[i].label, "count", (json_int_t)counts[i],
		                     "selected", strcmp(kind, timeline_kinds[i].key) == 0));
	}
	if (rc == BZ_OK && (st = db_stmt(db, SQL_TIMELINE_YEARS)) == NULL)
		rc = BZ_ERR_DB;
	if (rc == BZ_OK) {
		bind_query(st, company_id, kind, year);
		while ((r = db_step(st)) == SQLITE_ROW)
			json_array_append_new(
			    years, json_pack("{s:s, s:I, s:b}", "year", db_col_text(st, 0), "count",
			                     (json_int_t)sqlite3_column_int64(st, 1), "selected",
			                     strcmp(db_col_text(st, 0), year) == 0));
		rc = db_rows_json(db, st, r, "company timeline years", years, &years);
	}
	if (rc != BZ_OK) {
		json_decref(arr);
		json_decref(kinds);
		json_decref(years);
		return rc;
	}
	int64_t pages = (total + COMPANY_TIMELINE_PAGE - 1) / COMPANY_TIMELINE_PAGE;
	*meta =
	    json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:s, s:s}", "kinds", kinds, "years", years,
	              "total", (json_int_t)total, "all", (json_int_t)all, "page", (json_int_t)page,
	              "pages", (json_int_t)(pages ? pages : 1), "kind", kind, "year", year);
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

	/* each order, and the rows after a key in it (keyset paging) */
	const char *order = "c.name COLLATE NOCASE, c.id";
	const char *after = " AND (c.name COLLATE NOCASE, c.id) > (?, ?)";
	int sort = 0;
	if (f->sort && strcmp(f->sort, "recent") == 0) {
		order = "c.updated_at DESC, c.id DESC";
		after = " AND (c.updated_at, c.id) < (?, ?)";
		sort = 1;
	} else if (f->sort && strcmp(f->sort, "employees") == 0) {
		order = "c.employees IS NULL, c.employees DESC, c.name, c.id";
		after = " AND ((c.employees IS NULL) > ? OR ((c.employees IS NULL) = ? AND "
		        "(coalesce(c.employees, 0) < ? OR (coalesce(c.employees, 0) = ? AND "
		        "(c.name, c.id) > (?, ?)))))";
		sort = 2;
	}
	bool keyed = f->each == NULL;
	if (f->after == NULL || !keyed)
		after = "";
	buf_reset(&sql);
	/* The page's ids first, then their columns: SQLite computes every result
	 * column, the contact and open-case subqueries included, for each row it
	 * sorts — thousands for a short search term — not only for the page. */
	buf_printf(
	    &sql,
	    "SELECT c.id, c.name, c.brn, c.representative, k.name, c.zone, c.employees,"
	    " ct.name, ct.phone, ct.email, %s, c.brn, c.crn, c.ksic_code, c.address,"
	    " c.employees, c.founded_on, c.notes, c.updated_at"
	    " FROM (SELECT c.id AS pid FROM company c LEFT JOIN ksic k ON k.code = c.ksic_code"
	    "%s%s ORDER BY %s LIMIT ? OFFSET ?) p JOIN company c ON c.id = p.pid"
	    " LEFT JOIN ksic k ON k.code = c.ksic_code"
	    " LEFT JOIN company_contact ct ON ct.id = (SELECT min(x.id) FROM company_contact"
	    " x WHERE x.company_id = c.id AND x.retired_at IS NULL)"
	    " ORDER BY %s",
	    cases ? "(SELECT count(*) FROM sos_case s WHERE s.company_id = c.id AND s.status"
	            " IN ('received', 'reviewing', 'in_progress'))"
	          : "0",
	    buf_cstr(&w.sql), after, order, order);
	if (buf_cstr(&sql) == NULL) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	if ((rc = prepare(db, buf_cstr(&sql), &st)) != BZ_OK)
		goto out;
	int i = bind_where(st, f, &w);
	if (*after) {
		const json_t *a = f->after;
		const char *k0 = json_string_value(json_array_get(a, 0));
		json_int_t n0 = json_integer_value(json_array_get(a, 0));
		json_int_t n1 = json_integer_value(json_array_get(a, 1));
		const char *k2 = json_string_value(json_array_get(a, 2));
		json_int_t id = json_integer_value(json_array_get(a, 3));
		if (sort == 2) {
			sqlite3_bind_int64(st, i++, n0);
			sqlite3_bind_int64(st, i++, n0);
			sqlite3_bind_int64(st, i++, n1);
			sqlite3_bind_int64(st, i++, n1);
			sqlite3_bind_text(st, i++, k2 ? k2 : "", -1, SQLITE_TRANSIENT);
		} else
			sqlite3_bind_text(st, i++, k0 ? k0 : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, i++, id);
	}
	/* a page reads one row more: whether another page follows */
	sqlite3_bind_int64(st, i++, f->each ? -1 : per + 1);
	sqlite3_bind_int64(st, i, f->each || *after ? 0 : (page - 1) * per);
	arr = json_array();
	json_t *next_key = NULL, *last_key = NULL;
	while ((r = db_step(st)) == SQLITE_ROW) {
		if (keyed && (int64_t)json_array_size(arr) == per) {
			next_key = last_key;
			last_key = NULL;
			r = SQLITE_DONE;
			break;
		}
		if (keyed) {
			json_decref(last_key);
			bool none = sqlite3_column_type(st, 6) == SQLITE_NULL;
			last_key =
			    sort == 0 ? json_pack("[s, n, n, I]", db_col_text(st, 1),
			                          (json_int_t)sqlite3_column_int64(st, 0))
			    : sort == 1
			        ? json_pack("[s, n, n, I]", db_col_text(st, 18),
			                    (json_int_t)sqlite3_column_int64(st, 0))
			        : json_pack("[i, I, s, I]", none ? 1 : 0,
			                    (json_int_t)(none ? 0 : sqlite3_column_int64(st, 6)),
			                    db_col_text(st, 1),
			                    (json_int_t)sqlite3_column_int64(st, 0));
		}
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
	json_decref(last_key);
	if (r != SQLITE_DONE) {
		json_decref(next_key);
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
	if (*out && next_key)
		json_object_set_new(*out, "next_key", next_key);
	else
		json_decref(next_key);
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
