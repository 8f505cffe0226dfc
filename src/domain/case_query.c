/* SOS cases: the list with its filters and pager, the done count, repeat
 * grievances, and the assignee and department choices. */
#include "bizsos/brn.h"
#include "bizsos/notify.h"
#include "bizsos/search.h"
#include "bizsos/kst.h"
#include "case_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the list ----------------------------------------------------------- */

enum bind_kind { B_INT, B_TEXT };
struct bindv {
	enum bind_kind kind;
	int64_t i;
	const char *s;
};
#define MAX_BINDS 24

static void bind_int(struct bindv *b, size_t *n, int64_t v)
{
	if (*n < MAX_BINDS)
		b[(*n)++] = (struct bindv){B_INT, v, NULL};
}

static void bind_text(struct bindv *b, size_t *n, const char *s)
{
	if (*n < MAX_BINDS)
		b[(*n)++] = (struct bindv){B_TEXT, 0, s};
}

static const char *const CASE_SEARCH_COLS[] = {
    "s.title", "s.description", "s.request",
    "(SELECT group_concat(n.body, char(10)) FROM case_note n WHERE n.case_id = s.id)", NULL};
static const struct search_spec CASE_SEARCH = {"case_fts", "s.id", CASE_SEARCH_COLS, 1, 1};

/* The WHERE clause (after "WHERE ") for f and actor, and its bind values. */
static void list_where(const struct user *actor, const struct case_filter *f, const char *today,
                       struct buf *w, struct bindv *b, size_t *nb)
{
	buf_puts(w, "1");
	int64_t scope = case_scope_department(actor);
	if (scope != 0) {
		buf_puts(w, " AND EXISTS (SELECT 1 FROM case_referral r WHERE r.case_id = s.id AND "
		            "r.department_id = ? AND " CASE_REFERRAL_HOLDS ")");
		bind_int(b, nb, scope);
	}
	if (f->status && *f->status) {
		if (strcmp(f->status, "open") == 0)
			buf_puts(w, " AND " OPEN_SQL);
		else if (strcmp(f->status, "closed") == 0)
			buf_puts(w, " AND NOT (" OPEN_SQL ")");
		else {
			buf_puts(w, " AND s.status = ?");
			bind_text(b, nb, f->status);
		}
	}
	if (f->category_id > 0) {
		buf_puts(w, " AND s.category_id = ?");
		bind_int(b, nb, f->category_id);
	}
	if (f->channel && *f->channel) {
		buf_puts(w, " AND s.channel = ?");
		bind_text(b, nb, f->channel);
	}
	if (f->department_id > 0) {
		buf_puts(w,
		         " AND EXISTS (SELECT 1 FROM case_referral r2 WHERE r2.case_id = s.id AND "
		         "r2.department_id = ?)");
		bind_int(b, nb, f->department_id);
	}
	if (f->assignee_id > 0) {
		buf_puts(w, " AND s.assignee_id = ?");
		bind_int(b, nb, f->assignee_id);
	} else if (f->assignee_id < 0) {
		buf_puts(w, " AND s.assignee_id IS NULL");
	}
	if (f->involved_id > 0) {
		buf_puts(w, " AND (s.assignee_id = ? OR s.created_by = ?)");
		bind_int(b, nb, f->involved_id);
		bind_int(b, nb, f->involved_id);
	}
	if (f->company_id > 0) {
		buf_puts(w, " AND s.company_id = ?");
		bind_int(b, nb, f->company_id);
	}
	if (f->year >= 2000 && f->year <= 9998) {
		char from[32], to[32];
		int q0 = f->quarter >= 1 && f->quarter <= 4 ? f->quarter : 0;
		snprintf(from, sizeof(from), "%04d-%02d-01", f->year, q0 ? (q0 - 1) * 3 + 1 : 1);
		if (q0 && q0 < 4)
			snprintf(to, sizeof(to), "%04d-%02d-01", f->year, q0 * 3 + 1);
		else
			snprintf(to, sizeof(to), "%04d-01-01", f->year + 1);
		buf_printf(w, " AND s.received_on >= '%s' AND s.received_on < '%s'", from, to);
	}
	/* closed in a period: the definition of 기업SOS처리 실적 with status done
	 * (case_count_done); merged cases are counted in the case they joined */
	bool cf = f->closed_from && *f->closed_from, ct = f->closed_to && *f->closed_to;
	if (cf || ct)
		buf_puts(w, " AND s.merged_into IS NULL AND s.closed_on IS NOT NULL");
	if (cf) {
		buf_puts(w, " AND s.closed_on >= ?");
		bind_text(b, nb, f->closed_from);
	}
	if (ct) {
		buf_puts(w, " AND s.closed_on <= ?");
		bind_text(b, nb, f->closed_to);
	}
	if (f->overdue) {
		buf_puts(w, " AND " OPEN_SQL " AND coalesce(s.extended_due_on, s.due_on) < ?");
		bind_text(b, nb, today);
	}
	if (f->flag && *f->flag) {
		if (strcmp(f->flag, "red") == 0 || strcmp(f->flag, "yellow") == 0) {
			buf_puts(w, " AND s.flag = ?");
			bind_text(b, nb, f->flag);
		} else if (strcmp(f->flag, "bounced") == 0) {
			buf_printf(w,
			           " AND (s.reassign_count >= %d OR EXISTS (SELECT 1 FROM "
			           "case_referral r3 WHERE r3.case_id = s.id AND "
			           "r3.reassigned_count >= %d))",
			           CASE_BOUNCE_LIMIT, CASE_BOUNCE_LIMIT);
		} else if (strcmp(f->flag, "long") == 0) {
			buf_printf(w, " AND " OPEN_SQL " AND s.received_on < date(?, '-%d days')",
			           CASE_OPEN_FLAG_DAYS);
			bind_text(b, nb, today);
		}
	}
}

static void bind_all(sqlite3_stmt *st, const struct bindv *b, size_t nb)
{
	for (size_t i = 0; i < nb; i++) {
		if (b[i].kind == B_INT)
			sqlite3_bind_int64(st, (int)i + 1, b[i].i);
		else
			sqlite3_bind_text(st, (int)i + 1, b[i].s, -1, SQLITE_TRANSIENT);
	}
}

bz_rc case_list(struct db *db, const struct user *actor, const struct case_filter *f, json_t **rows,
                int64_t *total, json_t *fields)
{
	struct search_query q;
	const char *smsg = NULL;
	if (search_parse(f->q, &q, &smsg) != BZ_OK) {
		val_field_error(fields, "q", smsg ? smsg : "검색어를 확인해 주세요.");
		return BZ_ERR_INVALID;
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	struct buf w;
	buf_init(&w, 16384);
	struct bindv b[MAX_BINDS];
	size_t nb = 0;
	list_where(actor, f, today, &w, b, &nb);
	struct search_sql ss;
	bz_rc rc = search_where(&q, &CASE_SEARCH, &ss);
	if (rc == BZ_OK) {
		buf_puts(&w, " AND ");
		buf_puts(&w, buf_cstr(&ss.where) ? buf_cstr(&ss.where) : "0");
	}

	static const struct {
		const char *key;
		const char *expr;
	} sorts[] = {
	    {"due", "coalesce(s.extended_due_on, s.due_on)"},
	    {"received", "s.received_at"},
	    {"no", "s.case_no"},
	    {"updated", "s.updated_at"},
	};
	const char *order = sorts[0].expr;
	for (size_t i = 0; i < BZ_ARRAY_LEN(sorts); i++)
		if (f->sort && strcmp(f->sort, sorts[i].key) == 0)
			order = sorts[i].expr;
	const char *dir = f->desc ? "DESC" : "ASC";
	/* A department user's own referrals ("내 담당") first, then the chosen
	 * order. The ids are integers from the session, not from the request. */
	char mine[256] = "0";
	if (case_scope_department(actor) != 0)
		snprintf(
		    mine, sizeof(mine),
		    "EXISTS (SELECT 1 FROM case_referral r4 WHERE r4.case_id = s.id AND "
		    "r4.department_id = %lld AND r4.owner_id = %lld AND r4.status <> 'returned')",
		    (long long)case_scope_department(actor), (long long)actor->id);

	/* after a key: the rows that sort after it (mine DESC first when scoped) */
	char ks[1024] = "";
	const char *op = f->desc ? "<" : ">";
	if (f->after && f->each == NULL) {
		if (case_scope_department(actor) != 0)
			snprintf(ks, sizeof(ks),
			         " AND (%s < ? OR (%s = ? AND (%s, s.id) %s (?, ?)))", mine, mine,
			         order, op);
		else
			snprintf(ks, sizeof(ks), " AND (%s, s.id) %s (?, ?)", order, op);
	}
	struct buf count, sel;
	buf_init(&count, 32768);
	buf_init(&sel, 32768);
	buf_printf(&count, "SELECT count(*) FROM sos_case s WHERE %s", buf_cstr(&w));
	/* The page's ids first (sorted by the index on the order, no other column
	 * computed), then their columns: SQLite computes a result's columns, the
	 * correlated subqueries included, for every row it sorts. */
	bool scoped = case_scope_department(actor) != 0;
	buf_printf(&sel,
	           "SELECT s.id, s.case_no, s.company_id, c.name AS company, s.title, s.status, "
	           "s.channel, s.category_id, k.name AS category, s.triage, s.flag, "
	           "s.received_on, s.received_at, s.due_on, s.extended_due_on, s.assignee_id, "
	           "u.name AS assignee, s.reassign_count, s.merged_into, s.closed_on, "
	           "(SELECT max(reassigned_count) FROM case_referral r WHERE r.case_id = s.id) "
	           "AS max_returned, "
	           "(SELECT group_concat(d.name, ', ') FROM case_referral r JOIN department d ON "
	           "d.id = r.department_id WHERE r.case_id = s.id AND r.status <> 'returned') "
	           "AS departments, s.updated_at, s.version, c.brn AS company_brn, "
	           "s.description, s.request, s.outcome, s.disposition, s.notified_on, "
	           "s.notified_method, p.mine AS mine, %s AS sort_key "
	           "FROM (SELECT s.id AS pid, %s AS mine FROM sos_case s WHERE %s%s "
	           "ORDER BY %s%s %s, s.id %s LIMIT ? OFFSET ?) p "
	           "JOIN sos_case s ON s.id = p.pid "
	           "JOIN company c ON c.id = s.company_id "
	           "JOIN case_category k ON k.id = s.category_id "
	           "LEFT JOIN app_user u ON u.id = s.assignee_id "
	           "ORDER BY %s%s %s, s.id %s",
	           order, mine, buf_cstr(&w), ks, scoped ? "mine DESC, " : "", order, dir, dir,
	           scoped ? "p.mine DESC, " : "", order, dir, dir);
	sqlite3_stmt *cst = NULL, *sst = NULL;
	json_t *arr = NULL;
	if (rc != BZ_OK || w.failed || count.failed || sel.failed) {
		rc = rc != BZ_OK ? rc : BZ_ERR_NOMEM;
		goto out;
	}
	/* prepared once per connection and shape of the filters */
	if ((cst = db_stmt_text(db, buf_cstr(&count))) == NULL ||
	    (sst = db_stmt_text(db, buf_cstr(&sel))) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	int src;
	if (f->each == NULL) {
		bind_all(cst, b, nb);
		search_bind(cst, &ss, (int)nb + 1);
		src = db_step(cst);
		if (src != SQLITE_ROW) {
			rc = db_rc(db, src, "case count");
			goto out;
		}
		*total = sqlite3_column_int64(cst, 0);
	}
	bind_all(sst, b, nb);
	int next = search_bind(sst, &ss, (int)nb + 1);
	int per = f->per_page > 0 && f->per_page <= 100 ? f->per_page : CASE_PAGE_SIZE;
	int page = f->page > 0 ? f->page : 1;
	if (f->each) {
		per = -1; /* every row */
		page = 1;
	}
	if (ks[0]) {
		const json_t *a = f->after;
		if (scoped) {
			sqlite3_bind_int64(sst, next++, json_integer_value(json_array_get(a, 0)));
			sqlite3_bind_int64(sst, next++, json_integer_value(json_array_get(a, 0)));
		}
		sqlite3_bind_text(sst, next++, json_string_value(json_array_get(a, 1)), -1,
		                  SQLITE_TRANSIENT);
		sqlite3_bind_int64(sst, next++, json_integer_value(json_array_get(a, 2)));
	}
	/* with next_key: one row more than the page, to know whether more follow */
	bool keyed = f->next_key != NULL && f->each == NULL;
	if (keyed)
		*f->next_key = NULL;
	sqlite3_bind_int(sst, next, per > 0 && keyed ? per + 1 : per);
	sqlite3_bind_int64(sst, next + 1, ks[0] ? 0 : (int64_t)(page - 1) * (per > 0 ? per : 0));
	arr = json_array();
	int32_t td = kst_today_day();
	char last_sort[128] = "";
	json_int_t last_mine = 0, last_id = 0;
	while ((src = db_step(sst)) == SQLITE_ROW) {
		if (keyed && (int)json_array_size(arr) == per) {
			*f->next_key = json_pack("[I, s, I]", last_mine, last_sort, last_id);
			src = SQLITE_DONE;
			break;
		}
		json_t *row = case_row_json(sst);
		last_id = json_integer_value(json_object_get(row, "id"));
		last_mine = json_integer_value(json_object_get(row, "mine"));
		const char *sk = json_string_value(json_object_get(row, "sort_key"));
		bz_strlcpy(last_sort, sk ? sk : "", sizeof(last_sort));
		json_object_del(row, "sort_key");
		case_decorate(row, td);
		json_object_set_new(row, "mine",
		                    json_boolean(json_integer_value(json_object_get(row, "mine"))));
		if (f->each) {
			rc = f->each(f->each_ctx, row);
			json_decref(row);
			if (rc != BZ_OK)
				goto out;
			continue;
		}
		json_array_append_new(arr, row);
	}
	if (src != SQLITE_DONE) {
		rc = db_rc(db, src, "case list");
		goto out;
	}
	if (f->each == NULL) {
		*rows = arr;
		arr = NULL;
	}
	rc = BZ_OK;
out:
	json_decref(arr);
	sqlite3_reset(cst);
	sqlite3_reset(sst);
	search_sql_free(&ss);
	buf_free(&w);
	buf_free(&count);
	buf_free(&sel);
	return rc;
}

bz_rc case_count_done(struct db *db, const char *first, const char *last, int64_t *out)
{
	/* every case, whoever asks: the card counts the whole program */
	static const struct user everyone = {.role = ROLE_LEADER};
	const struct case_filter f = {.status = "done", .closed_from = first, .closed_to = last};
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	struct buf w, sql;
	buf_init(&w, 4096);
	buf_init(&sql, 8192);
	struct bindv b[MAX_BINDS];
	size_t nb = 0;
	list_where(&everyone, &f, today, &w, b, &nb);
	buf_printf(&sql, "SELECT count(*) FROM sos_case s WHERE %s", buf_cstr(&w));
	sqlite3_stmt *st = NULL;
	bz_rc rc = BZ_OK;
	*out = 0;
	if (w.failed || sql.failed) {
		rc = BZ_ERR_NOMEM;
		goto out;
	}
	if ((st = db_stmt_text(db, buf_cstr(&sql))) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	bind_all(st, b, nb);
	int src = db_step(st);
	if (src == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = db_rc(db, src, "cases done");
out:
	sqlite3_reset(st);
	buf_free(&w);
	buf_free(&sql);
	return rc;
}

static const char SQL_REPEATS[] =
    "SELECT s.id, s.case_no, s.title, s.status, s.received_on, s.due_on, s.extended_due_on, "
    "s.merged_into, s.closed_on, s.outcome "
    "FROM sos_case s WHERE s.company_id = ?1 AND s.category_id = ?3 AND " CASE_SCOPE
    " ORDER BY (" OPEN_SQL ") DESC, s.received_on DESC, s.id DESC LIMIT 50";

bz_rc case_repeats(struct db *db, const struct user *actor, int64_t company_id, int64_t category_id,
                   json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REPEATS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, case_scope_department(actor));
	db_bind_int(st, 3, category_id);
	json_t *a = json_array();
	int rc;
	int32_t td = kst_today_day();
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_t *row = case_row_json(st);
		case_decorate(row, td);
		json_array_append_new(a, row);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, rc, "case repeats");
	}
	*out = a;
	return BZ_OK;
}

static const char SQL_ASSIGNEES[] =
    "SELECT id, name, role FROM app_user WHERE role IN ('staff', 'leader') "
    "AND disabled_at IS NULL ORDER BY role DESC, name";
static const char SQL_DEPARTMENTS[] =
    "SELECT id, name, kind FROM department WHERE retired_at IS NULL ORDER BY kind, name";

bz_rc case_assignees(struct db *db, json_t **out)
{
	return case_rows(db, SQL_ASSIGNEES, 0, out);
}

bz_rc case_departments(struct db *db, json_t **out)
{
	return case_rows(db, SQL_DEPARTMENTS, 0, out);
}

static const char SQL_DEPARTMENT_USERS[] =
    "SELECT u.id, u.name, u.department_id, d.name AS department FROM app_user u "
    "JOIN department d ON d.id = u.department_id WHERE u.role = 'department' "
    "AND u.disabled_at IS NULL AND d.retired_at IS NULL ORDER BY d.kind, d.name, u.name, u.id";

bz_rc case_department_users(struct db *db, json_t **out)
{
	return case_rows(db, SQL_DEPARTMENT_USERS, 0, out);
}
