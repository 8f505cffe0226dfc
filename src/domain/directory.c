/* Read models for administration pages. */
#include "bizsos/directory.h"
#include "bizsos/user.h"

#include <string.h>

static const char SQL_USERS[] =
    "SELECT u.id, u.login, u.name, u.role, COALESCE(d.name, ''), u.disabled_at IS NOT NULL, "
    "       COALESCE(u.locked_until > strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0) "
    "FROM app_user u LEFT JOIN department d ON d.id = u.department_id ORDER BY u.login";

static const char SQL_AUDIT[] =
    "SELECT a.at, COALESCE(u.login || ' (' || u.name || ')', '명령줄'), a.action, a.object, "
    "       COALESCE(a.detail, '') "
    "FROM audit_log a LEFT JOIN app_user u ON u.id = a.actor_id "
    "ORDER BY a.id DESC LIMIT ? OFFSET ?";

static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit_log";

bz_rc directory_users(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_USERS);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int role = role_from_name(db_col_text(st, 3));
		json_array_append_new(
		    arr,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "login", db_col_text(st, 1),
		              "name", db_col_text(st, 2), "role", db_col_text(st, 3), "role_label",
		              role_label_ko(role), "department", db_col_text(st, 4), "disabled",
		              sqlite3_column_int(st, 5), "locked", sqlite3_column_int(st, 6)));
	}
	bz_rc r = db_rc(db, rc, "list users");
	sqlite3_reset(st);
	if (r != BZ_OK) {
		json_decref(arr);
		return r;
	}
	*out = arr;
	return BZ_OK;
}

bz_rc directory_audit(struct db *db, int limit, int offset, json_t **out, int64_t *total)
{
	sqlite3_stmt *st = db_stmt(db, SQL_AUDIT_COUNT);
	if (st == NULL)
		return BZ_ERR_DB;
	*total = db_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	st = db_stmt(db, SQL_AUDIT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, limit);
	db_bind_int(st, 2, offset);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", db_col_text(st, 0), "actor",
		                   db_col_text(st, 1), "action", db_col_text(st, 2), "object",
		                   db_col_text(st, 3), "detail", db_col_text(st, 4)));
	}
	bz_rc r = db_rc(db, rc, "list audit");
	sqlite3_reset(st);
	if (r != BZ_OK) {
		json_decref(arr);
		return r;
	}
	*out = arr;
	return BZ_OK;
}
