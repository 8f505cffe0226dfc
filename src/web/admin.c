/* Administration: users (add, disable, enable, re-role) and the audit log. */
#include "bizsos/account.h"
#include "bizsos/audit.h"
#include "bizsos/codes.h"
#include "bizsos/directory.h"
#include "bizsos/view.h"
#include "bizsos/web.h"
#include "web_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *roles_json(void)
{
	static const int roles[] = {ROLE_STAFF, ROLE_LEADER, ROLE_EXECUTIVE, ROLE_DEPARTMENT,
	                            ROLE_ADMIN};
	json_t *a = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(roles); i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "value", role_name(roles[i]),
		                                   "label", role_label_ko(roles[i])));
	return a;
}

/* The role choices for one user's row, the current one selected. */
static json_t *role_options(const char *current)
{
	json_t *opts = roles_json();
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o)
	{
		json_object_set_new(
		    o, "selected",
		    json_boolean(strcmp(json_string_value(json_object_get(o, "value")),
		                        current ? current : "") == 0));
	}
	return opts;
}

/* The users page model, or NULL (rs filled) on a database error. */
static json_t *users_model(struct request *rq, struct response *rs)
{
	json_t *users = NULL;
	if (directory_users(rq->db, &users) != BZ_OK) {
		web_error(rs, 500, "internal", "사용자 목록을 읽지 못했습니다.");
		return NULL;
	}
	json_t *last = NULL;
	if (account_last_use(rq->db, &last) != BZ_OK) {
		json_decref(users);
		web_error(rs, 500, "internal", "사용자 목록을 읽지 못했습니다.");
		return NULL;
	}
	size_t i;
	json_t *u;
	json_int_t unused = 0;
	json_array_foreach(users, i, u)
	{
		json_object_set_new(u, "role_options",
		                    role_options(json_string_value(json_object_get(u, "role"))));
		char key[24];
		snprintf(key, sizeof(key), "%lld",
		         (long long)json_integer_value(json_object_get(u, "id")));
		json_t *l = json_object_get(last, key);
		json_object_set_new(
		    u, "last_use_kst",
		    json_string(l ? json_string_value(json_object_get(l, "last_use_kst"))
		                  : "없음"));
		bool un = l && json_is_true(json_object_get(l, "unused"));
		json_object_set_new(u, "unused", json_boolean(un));
		unused += un;
	}
	json_decref(last);
	if (unused > 0) {
		json_t *m = json_pack("{s:o, s:o, s:{}, s:{}, s:I}", "users", users, "roles",
		                      roles_json(), "errors", "values", "unused_count", unused);
		return m;
	}
	return json_pack("{s:o, s:o, s:{}, s:{}}", "users", users, "roles", roles_json(), "errors",
	                 "values");
}

/* The columns of the user list's CSV and XLSX (names and logins: personal data). */
static const struct export_col user_cols[] = {
    {"login", "아이디", EXPORT_TEXT},       {"name", "이름", EXPORT_TEXT},
    {"role_label", "역할", EXPORT_TEXT},    {"department", "부서", EXPORT_TEXT},
    {"disabled", "사용 중지", EXPORT_BOOL}, {"locked", "잠김", EXPORT_BOOL},
};
static const struct export_spec user_export = EXPORT_SPEC("users", "사용자 목록", user_cols, true);

void web_admin_users(struct request *rq, struct response *rs)
{
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &user_export, &xw)) {
		if (xw) {
			json_t *users = NULL;
			bz_rc rc = directory_users(rq->db, &users);
			if (rc == BZ_OK)
				rc = export_rows(xw, users);
			json_decref(users);
			web_export_end(rq, rs, xw, rc);
		}
		return;
	}
	json_t *m = users_model(rq, rs);
	if (m)
		web_export_links(rq, m, &user_export);
	if (m)
		web_page(rs, "admin/users", "사용자 관리", m);
}

void web_admin_user_add(struct request *rq, struct response *rs)
{
	const char *login = rq_form(rq, "login");
	const char *name = rq_form(rq, "name");
	const char *role_s = rq_form(rq, "role");
	const char *dept = rq_form(rq, "department");
	const char *pw = rq_form(rq, "password");
	json_t *fields = json_object();
	int role = role_s ? role_from_name(role_s) : 0;
	if (login == NULL || !user_login_valid(login))
		json_object_set_new(fields, "login",
		                    json_string("아이디는 영문·숫자·. _ - 로 3~63자여야 합니다."));
	if (name == NULL || *name == '\0')
		json_object_set_new(fields, "name", json_string("이름을 입력해 주세요."));
	if (role == 0)
		json_object_set_new(fields, "role", json_string("역할을 골라 주세요."));
	const char *rule = pw ? password_check_rule(pw) : "비밀번호를 입력해 주세요.";
	if (rule)
		json_object_set_new(fields, "password", json_string(rule));

	if (json_object_size(fields) == 0) {
		char msg[256] = "";
		int64_t id = 0;
		bz_rc rc = user_add(rq->db, rq->user.id, login, name, role,
		                    dept && *dept ? dept : NULL, pw, &id, msg, sizeof(msg));
		if (rc == BZ_OK) {
			json_decref(fields);
			web_flash(rs, rq, "success", "user_added");
			web_redirect(rs, "/admin/users");
			rs->model = json_pack("{s:I}", "id", (json_int_t)id);
			return;
		}
		if (rc == BZ_ERR_CONSTRAINT)
			json_object_set_new(fields, "login",
			                    json_string("이미 있는 아이디입니다."));
		else if (rc == BZ_ERR_INVALID)
			json_object_set_new(fields, "name",
			                    json_string(msg[0] ? msg : "입력을 확인해 주세요."));
		else {
			json_decref(fields);
			web_error(rs, 500, "internal", "사용자를 추가하지 못했습니다.");
			return;
		}
	}
	json_t *m = users_model(rq, rs);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	json_object_set_new(m, "values",
	                    json_pack("{s:s, s:s, s:s, s:s}", "login", login ? login : "", "name",
	                              name ? name : "", "department", dept ? dept : "", "role",
	                              role_s ? role_s : ""));
	web_invalid(rs, "admin/users", "사용자 관리", m, fields);
}

/* Finds the user named by {id}; fills rs with 404 when there is none. */
static bool target_user(struct request *rq, struct response *rs, struct user *u)
{
	int64_t id = rq_param_id(rq, "id");
	if (id <= 0 || user_by_id(rq->db, id, u) != BZ_OK) {
		web_error(rs, 404, "not_found", "그런 사용자가 없습니다.");
		return false;
	}
	return true;
}

static void set_disabled(struct request *rq, struct response *rs, bool disabled)
{
	struct user u;
	if (!target_user(rq, rs, &u))
		return;
	if (disabled && u.id == rq->user.id) {
		web_error(rs, 409, "self", "자기 자신의 사용을 중지할 수는 없습니다.");
		return;
	}
	if (user_set_disabled(rq->db, rq->user.id, u.login, disabled) != BZ_OK) {
		web_error(rs, 500, "internal", "사용자 상태를 바꾸지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", disabled ? "user_disabled" : "user_enabled");
	web_redirect(rs, "/admin/users");
}

void web_admin_user_disable(struct request *rq, struct response *rs)
{
	set_disabled(rq, rs, true);
}

void web_admin_user_enable(struct request *rq, struct response *rs)
{
	set_disabled(rq, rs, false);
}

void web_admin_user_role(struct request *rq, struct response *rs)
{
	struct user u;
	if (!target_user(rq, rs, &u))
		return;
	const char *role_s = rq_form(rq, "role");
	int role = role_s ? role_from_name(role_s) : 0;
	const char *dept = rq_form(rq, "department");
	if (role == 0) {
		json_t *m = users_model(rq, rs);
		if (m)
			web_invalid(rs, "admin/users", "사용자 관리", m,
			            json_pack("{s:s}", "role", "역할을 골라 주세요."));
		return;
	}
	if (u.id == rq->user.id && role != ROLE_ADMIN) {
		web_error(rs, 409, "self", "자기 자신의 관리자 권한은 뺄 수 없습니다.");
		return;
	}
	if (user_set_role(rq->db, rq->user.id, u.login, role, dept && *dept ? dept : NULL) !=
	    BZ_OK) {
		web_error(rs, 500, "internal", "역할을 바꾸지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "role_changed");
	web_redirect(rs, "/admin/users");
}

/* The filters as a query string for the pager links ("k=v&…&"), URL-escaped. */
static void audit_query(struct request *rq, char *out, size_t outlen)
{
	static const char *const keys[] = {"from", "to", "user", "object", "source"};
	web_filter_query(rq, keys, BZ_ARRAY_LEN(keys), out, outlen);
}

/* The columns of the audit log's CSV and XLSX (who did what: personal data),
 * in Korean like the page. */
static const struct export_col audit_cols[] = {
    {"at", "일시", EXPORT_INSTANT},   {"source_label", "구분", EXPORT_TEXT},
    {"actor", "수행자", EXPORT_TEXT}, {"action_label", "작업", EXPORT_TEXT},
    {"object", "대상", EXPORT_TEXT},  {"detail", "내용", EXPORT_TEXT},
};
static const struct export_spec audit_export = EXPORT_SPEC("audit", "감사 기록", audit_cols, true);

static struct audit_filter audit_filter_of(struct request *rq)
{
	return (struct audit_filter){.from = rq_query(rq, "from"),
	                             .to = rq_query(rq, "to"),
	                             .user = rq_query(rq, "user"),
	                             .object = rq_query(rq, "object"),
	                             .source = rq_query(rq, "source")};
}

/* Every matching entry, newest first, a thousand at a time, each chunk
 * seeking past the last row of the one before (so entries written meanwhile,
 * such as this download's own record, neither repeat nor shift a row). */
static bz_rc export_audit(struct request *rq, struct export_writer *xw)
{
	const int chunk = 1000;
	struct audit_filter f = audit_filter_of(rq);
	json_t *prev = NULL; /* holds the strings f.after_* point into */
	for (;;) {
		json_t *entries = NULL;
		bz_rc rc = audit_search(rq->db, &f, chunk, 0, &entries, NULL);
		json_decref(prev);
		if (rc != BZ_OK)
			return rc;
		rc = export_rows(xw, entries);
		size_t n = json_array_size(entries);
		if (rc != BZ_OK || n < (size_t)chunk) {
			json_decref(entries);
			return rc;
		}
		json_t *last = json_array_get(entries, n - 1);
		f.after_at = json_string_value(json_object_get(last, "at"));
		f.after_source = json_string_value(json_object_get(last, "source"));
		f.after_id = json_integer_value(json_object_get(last, "id"));
		prev = entries;
	}
}

void web_admin_audit(struct request *rq, struct response *rs)
{
	struct export_writer *xw = NULL;
	if (web_export_begin(rq, rs, &audit_export, &xw)) {
		if (xw)
			web_export_end(rq, rs, xw, export_audit(rq, xw));
		return;
	}
	/* ?page= for the browser's pager; ?cursor= (next_cursor: the last row's
	 * at, source and id) and ?limit= */
	int per;
	json_t *after = NULL;
	if (!web_keyset(rq, rs, "ssi", 50, 100, &after, &per))
		return;
	bool by_cursor = after != NULL;
	int page = by_cursor ? 1 : web_page_no(rq);
	struct audit_filter f = audit_filter_of(rq);
	if (after) {
		f.after_at = json_string_value(json_array_get(after, 0));
		f.after_source = json_string_value(json_array_get(after, 1));
		f.after_id = json_integer_value(json_array_get(after, 2));
	}
	json_t *entries = NULL;
	int64_t total = 0;
	bz_rc rc = audit_search(rq->db, &f, per + 1, (page - 1) * per, &entries, &total);
	json_decref(after);
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "감사 기록을 읽지 못했습니다.");
		return;
	}
	int64_t pages = total == 0 ? 1 : (total + per - 1) / per;
	char q[1024];
	audit_query(rq, q, sizeof(q));
	json_t *m =
	    json_pack("{s:o, s:I, s:I, s:I, s:b, s:{s:s, s:s, s:s, s:s}, s:o, s:s}", "entries",
	              entries, "total", (json_int_t)total, "page_no", (json_int_t)page, "pages",
	              (json_int_t)pages, "by_cursor", by_cursor, "values", "from",
	              web_query_or_empty(rq, "from"), "to", web_query_or_empty(rq, "to"), "user",
	              web_query_or_empty(rq, "user"), "object", web_query_or_empty(rq, "object"),
	              "sources", audit_sources(rq_query(rq, "source")), "filter_query", q);
	static const char *const key[] = {"at", "source", "id"};
	web_keyset_trim(m, entries, per, key, BZ_ARRAY_LEN(key));
	if (!by_cursor && page > 1)
		json_object_set_new(m, "prev", json_integer(page - 1));
	if (!by_cursor && page < pages)
		json_object_set_new(m, "next", json_integer(page + 1));
	web_export_links(rq, m, &audit_export);
	web_keyset_next(rq, m, per);
	web_page(rs, "admin/audit", "감사 기록", m);
}
