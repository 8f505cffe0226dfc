/* The home page of each role. Cases come from the case domain (case_list and
 * its filters, so the home page and the full list it links to agree), the
 * quarter's pace from progress_pace_model (the cases section of the progress
 * page, alone), 집행률 from dashboard_model; the few
 * queries no other module answers are below. See include/bizsos/home.h. */
#include "bizsos/home.h"
#include "bizsos/link.h"
#include "bizsos/card.h"
#include "bizsos/model_cache.h"
#include "bizsos/program.h"
#include "bizsos/sos_case.h"
#include "bizsos/kst.h"
#include "bizsos/workday.h"
#include "bizsos/week.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

/* Activities user ?1 went to (activity_staff) or recorded (created_by). */
#define MY_ACTIVITY_WHERE                                                                          \
	" WHERE a.retired_at IS NULL AND (a.created_by = ?1 OR EXISTS (SELECT 1 FROM"              \
	" activity_staff m WHERE m.activity_id = a.id AND m.user_id = ?1))"
static const char SQL_MY_ACTIVITY_COUNT[] = "SELECT count(*) FROM activity a" MY_ACTIVITY_WHERE;
static const char SQL_MY_ACTIVITIES[] =
    "SELECT a.id, a.held_on, t.name, a.title, a.place,"
    " (SELECT group_concat(c.name, ', ') FROM activity_company ac"
    "  JOIN company c ON c.id = ac.company_id WHERE ac.activity_id = a.id),"
    " (SELECT count(*) FROM activity_case x WHERE x.activity_id = a.id AND x.kind = 'raised')"
    " FROM activity a JOIN activity_type t ON t.id = a.type_id" MY_ACTIVITY_WHERE
    " ORDER BY a.held_on DESC, a.id DESC LIMIT ?2";

/* Open referrals of department ?1 on open cases; ?2 the user ("내 담당"). */
#define DEPT_REFERRAL_FROM                                                                         \
	" FROM case_referral r JOIN sos_case s ON s.id = r.case_id"                                \
	" WHERE r.department_id = ?1 AND r.status = 'open' AND s.merged_into IS NULL"              \
	" AND s.status IN ('received', 'reviewing', 'in_progress')"
static const char SQL_DEPT_REFERRAL_COUNT[] =
    "SELECT count(*), COALESCE(sum(r.owner_id = ?2), 0)" DEPT_REFERRAL_FROM;
static const char SQL_DEPT_REFERRALS[] =
    "SELECT s.id, s.case_no, s.title, c.name, r.role, r.due_on, r.owner_id IS ?2,"
    " o.name FROM case_referral r JOIN sos_case s ON s.id = r.case_id"
    " JOIN company c ON c.id = s.company_id LEFT JOIN app_user o ON o.id = r.owner_id"
    " WHERE r.department_id = ?1 AND r.status = 'open' AND s.merged_into IS NULL"
    " AND s.status IN ('received', 'reviewing', 'in_progress')"
    " ORDER BY r.owner_id IS ?2 DESC, r.due_on, s.id LIMIT ?3"; /* IS: no owner is not mine */

static const char SQL_USER_COUNTS[] =
    "SELECT role, sum(disabled_at IS NULL), sum(disabled_at IS NOT NULL) FROM app_user"
    " GROUP BY role";
/* Accounts locked now (?1: the current UTC instant), not disabled. */
static const char SQL_LOCKED[] =
    "SELECT id, login, name, role, locked_until FROM app_user WHERE disabled_at IS NULL"
    " AND locked_until IS NOT NULL AND locked_until > ?1 ORDER BY locked_until DESC, id"
    " LIMIT ?2";

/* ------------------------------------------------------------ helpers -- */

/* rows, total and href as one section object (steals rows). */
static json_t *section(const char *key, json_t *rows, int64_t total, json_t *href)
{
	json_t *o = json_object();
	json_object_set_new(o, key, rows);
	json_object_set_new(o, "total", json_integer(total));
	json_object_set_new(o, "empty", json_boolean(total == 0));
	json_object_set_new(o, "more", json_boolean(total > (int64_t)json_array_size(rows)));
	json_object_set_new(o, "href", href);
	return o;
}

/* One page (HOME_LIST_MAX rows) of case_list for u with f; a section. */
static bz_rc cases_section(struct db *db, const struct user *u, struct case_filter *f,
                           const char *list, json_t **out)
{
	f->page = 1;
	f->per_page = HOME_LIST_MAX;
	json_t *rows = NULL, *fields = json_object();
	int64_t total = 0;
	bz_rc rc = case_list(db, u, f, &rows, &total, fields);
	json_decref(fields);
	if (rc != BZ_OK)
		return rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc;
	*out =
	    section("cases", rows, total, link_fact("home_list", json_pack("{s:s}", "list", list)));
	return BZ_OK;
}

/* ---------------------------------------------------------------- staff -- */

bz_rc home_my_cases(struct db *db, const struct user *u, json_t **out)
{
	struct case_filter f = {.status = "open", .involved_id = u->id, .sort = "due"};
	return cases_section(db, u, &f, "mine", out);
}

bz_rc home_my_recent(struct db *db, const struct user *u, json_t **out)
{
	struct case_filter f = {.involved_id = u->id, .sort = "no", .desc = true};
	f.page = 1;
	f.per_page = HOME_RECENT_MAX;
	json_t *rows = NULL, *fields = json_object();
	int64_t total = 0;
	bz_rc rc = case_list(db, u, &f, &rows, &total, fields);
	json_decref(fields);
	if (rc != BZ_OK)
		return rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc;
	*out = section("cases", rows, total,
	               link_fact("home_list", json_pack("{s:s}", "list", "recent")));
	return BZ_OK;
}

bz_rc home_my_activities(struct db *db, const struct user *u, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MY_ACTIVITY_COUNT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, u->id);
	int rc = db_step(st);
	int64_t total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_rc(db, rc, "home: my activity count");
	if ((st = db_stmt(db, SQL_MY_ACTIVITIES)) == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, u->id);
	db_bind_int(st, 2, HOME_LIST_MAX);
	json_t *rows = json_array();
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *held = db_col_text(st, 1), *type = db_col_text(st, 2),
		           *title = db_col_text(st, 3), *companies = db_col_text(st, 5);
		char text[32] = "";
		int32_t d;
		if (date_parse(held, &d, NULL) == BZ_OK) {
			int y, m, dd;
			date_to_ymd(d, &y, &m, &dd);
			snprintf(text, sizeof(text), "%d. %d. %d.(%s)", y, m, dd,
			         date_weekday_ko(d));
		}
		/* the title, unless it only repeats the type: then the companies visited */
		const char *display = *title && strcmp(title, type) != 0 ? title
		                      : *companies                       ? companies
		                                                         : type;
		const char *place = db_col_text(st, 4);
		int64_t ncases = sqlite3_column_int64(st, 6);
		json_array_append_new(
		    rows,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:b}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "held_on", held,
		              "held_on_text", text, "type", type, "display_title", display, "place",
		              *place ? json_string(place) : json_null(), "companies", companies,
		              "cases", (json_int_t)ncases, "has_cases", ncases > 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(rows);
		return db_rc(db, rc, "home: my activities");
	}
	*out =
	    section("activities", rows, total,
	            link_fact("staff_activities", json_pack("{s:I}", "staff", (json_int_t)u->id)));
	return BZ_OK;
}

/* ----------------------------------------------------------- department -- */

bz_rc home_department_referrals(struct db *db, const struct user *u, const char *today,
                                json_t **out)
{
	int32_t td = 0;
	date_parse(today, &td, NULL);
	/* no department: nothing is referred to this user (never "all") */
	int64_t dept = u->department_id > 0 ? u->department_id : -1;
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_REFERRAL_COUNT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, dept);
	db_bind_int(st, 2, u->id);
	int rc = db_step(st);
	int64_t total = 0, mine_total = 0;
	if (rc == SQLITE_ROW) {
		total = sqlite3_column_int64(st, 0);
		mine_total = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_rc(db, rc, "home: referral count");
	if ((st = db_stmt(db, SQL_DEPT_REFERRALS)) == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, dept);
	db_bind_int(st, 2, u->id);
	db_bind_int(st, 3, HOME_LIST_MAX);
	json_t *rows = json_array();
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *role = db_col_text(st, 4), *due = db_col_text(st, 5);
		int32_t d;
		json_t *row = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "case_id",
		    (json_int_t)sqlite3_column_int64(st, 0), "case_no", db_col_text(st, 1), "title",
		    db_col_text(st, 2), "company", db_col_text(st, 3), "role", role, "role_label",
		    strcmp(role, "lead") == 0 ? "주관" : "협조", "due_on", due, "mine",
		    sqlite3_column_int(st, 6) == 1, "owner",
		    sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
		                                              : json_string(db_col_text(st, 7)));
		if (td && date_parse(due, &d, NULL) == BZ_OK) {
			char lab[16];
			int32_t dd = date_dday(td, d);
			date_dday_label(dd, lab, sizeof(lab));
			json_object_set_new(row, "dday", json_integer(dd));
			json_object_set_new(row, "dday_label", json_string(lab));
			json_object_set_new(row, "overdue", json_boolean(dd < 0));
			json_object_set_new(row, "due_soon", json_boolean(dd >= 0 && dd <= 2));
		} else {
			json_object_set_new(row, "dday", json_null());
			json_object_set_new(row, "dday_label", json_null());
			json_object_set_new(row, "overdue", json_false());
			json_object_set_new(row, "due_soon", json_false());
		}
		json_array_append_new(rows, row);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(rows);
		return db_rc(db, rc, "home: referrals");
	}
	json_t *o = section("referrals", rows, total,
	                    link_fact("home_list", json_pack("{s:s}", "list", "referrals")));
	json_object_set_new(o, "mine_total", json_integer(mine_total));
	*out = o;
	return BZ_OK;
}

/* ---------------------------------------------------------------- admin -- */

bz_rc home_admin_users(struct db *db, json_t **out)
{
	static const int roles[] = {ROLE_STAFF, ROLE_LEADER, ROLE_EXECUTIVE, ROLE_DEPARTMENT,
	                            ROLE_ADMIN};
	int64_t en[5] = {0}, dis[5] = {0}, en_all = 0, dis_all = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_COUNTS);
	if (st == NULL)
		return BZ_ERR_DB;
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int r = role_from_name(db_col_text(st, 0));
		for (size_t i = 0; i < BZ_ARRAY_LEN(roles); i++)
			if (roles[i] == r) {
				en[i] = sqlite3_column_int64(st, 1);
				dis[i] = sqlite3_column_int64(st, 2);
			}
		en_all += sqlite3_column_int64(st, 1);
		dis_all += sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_rc(db, rc, "home: user counts");
	json_t *counts = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(roles); i++)
		json_array_append_new(counts,
		                      json_pack("{s:s, s:s, s:I, s:I}", "role", role_name(roles[i]),
		                                "label", role_label_ko(roles[i]), "enabled",
		                                (json_int_t)en[i], "disabled", (json_int_t)dis[i]));
	if ((st = db_stmt(db, SQL_LOCKED)) == NULL) {
		json_decref(counts);
		return BZ_ERR_DB;
	}
	char now[24];
	db_now_utc(now);
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, HOME_LIST_MAX);
	json_t *locked = json_array();
	while ((rc = db_step(st)) == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(db_col_text(st, 4), kst, sizeof(kst));
		json_array_append_new(
		    locked,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "login", db_col_text(st, 1),
		              "name", db_col_text(st, 2), "role_label",
		              role_label_ko(role_from_name(db_col_text(st, 3))), "locked_until",
		              db_col_text(st, 4), "locked_until_text", kst));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(counts);
		json_decref(locked);
		return db_rc(db, rc, "home: locked users");
	}
	*out = json_pack("{s:o, s:I, s:I, s:I, s:b, s:o}", "roles", counts, "enabled",
	                 (json_int_t)en_all, "disabled", (json_int_t)dis_all, "locked_total",
	                 (json_int_t)json_array_size(locked), "any_locked",
	                 json_array_size(locked) > 0, "locked", locked);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

/* --------------------------------------------------------------- leader -- */

/* This quarter's completed cases against the yearly target's pace, from the
 * progress page's own model (null when the program or its target is missing). */
static json_t *leader_pace(struct db *db, int year, int quarter, const char *today)
{
	json_t *p = NULL;
	if (progress_pace_cached(db, PROGRAM_SOS_ID, year, quarter, today, &p) != BZ_OK)
		return json_null();
	json_t *cases = json_object_get(p, "cases");
	json_t *done = json_object_get(cases, "done");
	json_t *pace = json_object_get(cases, "pace");
	json_t *href =
	    link_fact("progress", json_pack("{s:i, s:i}", "year", year, "quarter", quarter));
	json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:O, s:o}", "label",
	                      json_object_get(p, "label"), "quarter",
	                      json_object_get(done, "quarter"), "ytd", json_object_get(done, "ytd"),
	                      "href_quarter", json_object_get(done, "href_quarter"), "href_ytd",
	                      json_object_get(done, "href_ytd"), "href", href);
	json_object_set(o, "pace", json_is_object(pace) ? pace : json_null());
	json_decref(p);
	return o ? o : json_null();
}

static json_t *signoff_row(struct db *db, int year, int quarter, bool ended)
{
	json_t *so = NULL;
	char label[32];
	snprintf(label, sizeof(label), "%d년 %d분기", year, quarter);
	json_t *href =
	    link_fact("progress", json_pack("{s:i, s:i}", "year", year, "quarter", quarter));
	if (quarter_signoff_get(db, PROGRAM_SOS_ID, year, quarter, &so) != BZ_OK)
		so = NULL;
	json_t *o = json_pack("{s:s, s:o, s:b, s:b}", "label", label, "href", href, "ended", ended,
	                      "signed", so != NULL);
	json_object_set_new(o, "signoff", so ? so : json_null());
	/* a quarter that has ended and is not signed is the leader's to do */
	json_object_set_new(o, "todo", json_boolean(ended && so == NULL));
	return o;
}

/* One entry per published card or sign-off in force whose quarter's records
 * changed after it: changed_after [{label, kind, count, href}]. */
/* A link fact to page {year, quarter}. */
static json_t *quarter_link(const char *page, int year, int quarter)
{
	return link_fact(page, json_pack("{s:i, s:i}", "year", year, "quarter", quarter));
}

static bz_rc add_changed(struct db *db, json_t *list, int year, int quarter, const char *since,
                         const char *kind, json_t *href)
{
	json_t *items = NULL;
	int64_t n = 0;
	bz_rc rc = period_changes_since(db, year, quarter, since, &items, &n);
	json_decref(items);
	if (rc != BZ_OK || n == 0) {
		json_decref(href);
		return rc;
	}
	char label[32];
	snprintf(label, sizeof(label), "%d년 %d분기", year, quarter);
	json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:o}", "label", label, "kind", kind,
	                                      "count", (json_int_t)n, "href", href));
	return BZ_OK;
}

static bz_rc changed_after(struct db *db, json_t *m, int py, int pq)
{
	bool prev_seen = false;
	json_t *list = json_array(), *snaps = NULL;
	bz_rc rc = card_snapshots(db, PROGRAM_SOS_ID, &snaps);
	size_t i;
	json_t *s;
	json_array_foreach(snaps, i, s)
	{
		if (rc != BZ_OK)
			break;
		int y = (int)json_integer_value(json_object_get(s, "year")),
		    q = (int)json_integer_value(json_object_get(s, "quarter"));
		prev_seen = prev_seen || (y == py && q == pq);
		rc = add_changed(db, list, y, q,
		                 json_string_value(json_object_get(s, "published_at")),
		                 "게시한 카드", quarter_link("card_as_of", y, q));
		/* the sign-off of the same quarter, if one is in force */
		json_t *so = NULL;
		if (rc == BZ_OK &&
		    (rc = quarter_signoff_get(db, PROGRAM_SOS_ID, y, q, &so)) == BZ_OK && so) {
			rc = add_changed(db, list, y, q,
			                 json_string_value(json_object_get(so, "signed_at")),
			                 "분기 확인", quarter_link("progress", y, q));
		}
		json_decref(so);
	}
	json_decref(snaps);
	/* the last quarter's sign-off, when its card was not published */
	json_t *so = NULL;
	if (rc == BZ_OK && !prev_seen &&
	    (rc = quarter_signoff_get(db, PROGRAM_SOS_ID, py, pq, &so)) == BZ_OK && so) {
		rc = add_changed(db, list, py, pq,
		                 json_string_value(json_object_get(so, "signed_at")), "분기 확인",
		                 quarter_link("progress", py, pq));
	}
	json_decref(so);
	if (rc != BZ_OK) {
		json_decref(list);
		return rc;
	}
	json_object_set_new(m, "any_changed_after", json_boolean(json_array_size(list) > 0));
	json_object_set_new(m, "changed_after", list);
	return BZ_OK;
}

static bz_rc leader_model(struct db *db, const struct user *u, const char *today, json_t *m)
{
	int32_t td = 0;
	if (date_parse(today, &td, NULL) != BZ_OK)
		return BZ_ERR_INVALID;
	int year = date_year(td), quarter = date_quarter(td);
	json_t *s = NULL;
	bz_rc rc;
	struct case_filter red = {.status = "open", .flag = "red", .sort = "due"};
	if ((rc = cases_section(db, u, &red, "red", &s)) != BZ_OK)
		return rc;
	json_object_set_new(m, "red", s);
	struct case_filter unassigned = {.status = "open", .assignee_id = -1, .sort = "due"};
	if ((rc = cases_section(db, u, &unassigned, "unassigned", &s)) != BZ_OK)
		return rc;
	json_object_set_new(m, "unassigned", s);
	struct case_filter bounced = {.status = "open", .flag = "bounced", .sort = "due"};
	if ((rc = cases_section(db, u, &bounced, "bounced", &s)) != BZ_OK)
		return rc;
	json_object_set_new(m, "bounced", s);
	struct case_filter overdue = {.overdue = true, .sort = "due"};
	if ((rc = cases_section(db, u, &overdue, "overdue", &s)) != BZ_OK)
		return rc;
	json_object_set_new(m, "overdue", s);
	json_t *wk = NULL;
	if ((rc = week_summary(db, u, today, &wk)) != BZ_OK)
		return rc;
	json_object_set_new(m, "week", wk);
	json_object_set_new(m, "quarter", leader_pace(db, year, quarter, today));
	json_t *so = json_array();
	int py = quarter == 1 ? year - 1 : year, pq = quarter == 1 ? 4 : quarter - 1;
	json_array_append_new(so, signoff_row(db, py, pq, true));
	json_array_append_new(so, signoff_row(db, year, quarter, false));
	json_object_set_new(m, "signoffs", so);
	return changed_after(db, m, py, pq);
}

/* ------------------------------------------------------------ executive -- */

static bz_rc executive_model(struct db *db, const char *today, json_t *m)
{
	json_t *d = NULL;
	bz_rc rc = dashboard_model_cached(db, PROGRAM_SOS_ID, today, &d);
	if (rc == BZ_ERR_NOTFOUND) {
		json_object_set_new(m, "exec", json_null());
		return BZ_OK;
	}
	if (rc != BZ_OK)
		return rc;
	json_t *gauges = json_object_get(d, "exec_gauges");
	json_t *overall = json_array_get(gauges, 0);
	json_t *sources = json_array();
	size_t i;
	json_t *g;
	json_array_foreach(gauges, i, g)
	{
		if (i == 0)
			continue;
		json_array_append_new(
		    sources,
		    json_pack("{s:O, s:O, s:O, s:O}", "label", json_object_get(g, "label"),
		              "rate_text", json_object_get(json_object_get(g, "rate"), "text"),
		              "executed_text", json_object_get(g, "executed_text"), "secured_text",
		              json_object_get(g, "secured_text")));
	}
	json_t *e = json_object();
	json_object_set(e, "rate", json_object_get(overall, "rate"));
	json_object_set(e, "rate_text", json_object_get(d, "total_rate_text"));
	json_object_set(e, "executed_text", json_object_get(overall, "executed_text"));
	json_object_set(e, "secured_text", json_object_get(overall, "secured_text"));
	json_object_set_new(e, "sources", sources);
	json_object_set(e, "overdue", json_object_get(json_object_get(d, "overdue"), "count"));
	/* this year's target and actual, with the link to exactly those cases */
	json_t *t;
	json_array_foreach(json_object_get(d, "targets"), i, t)
	{
		const char *per = json_string_value(json_object_get(t, "period"));
		if (per && strncmp(per, today, 4) == 0) {
			json_object_set_new(e, "target",
			                    json_pack("{s:O, s:O, s:O, s:O, s:O}", "period_label",
			                              json_object_get(t, "period_label"), "value",
			                              json_object_get(t, "value"), "actual",
			                              json_object_get(t, "actual"), "achievement",
			                              json_object_get(t, "achievement"),
			                              "cases_href",
			                              json_object_get(t, "cases_href")));
			break;
		}
	}
	json_object_set_new(m, "exec", e);
	json_decref(d);
	return BZ_OK;
}

/* ----------------------------------------------------------------- all -- */

static bz_rc home_build(struct db *db, const struct user *u, const char *today, json_t **out)
{
	json_t *m = json_object(), *s = NULL;
	bz_rc rc = BZ_OK;
	switch (u->role) {
	case ROLE_STAFF:
		if ((rc = home_my_recent(db, u, &s)) != BZ_OK)
			break;
		json_object_set_new(m, "my_recent", s);
		if ((rc = home_my_cases(db, u, &s)) != BZ_OK)
			break;
		json_object_set_new(m, "my_cases", s);
		if ((rc = home_my_activities(db, u, &s)) != BZ_OK)
			break;
		json_object_set_new(m, "my_activities", s);
		break;
	case ROLE_LEADER:
		rc = leader_model(db, u, today, m);
		break;
	case ROLE_EXECUTIVE:
		rc = executive_model(db, today, m);
		break;
	case ROLE_DEPARTMENT:
		if ((rc = home_department_referrals(db, u, today, &s)) == BZ_OK)
			json_object_set_new(m, "referrals", s);
		break;
	case ROLE_ADMIN:
		if ((rc = home_admin_users(db, &s)) == BZ_OK)
			json_object_set_new(m, "users", s);
		break;
	default:
		break;
	}
	if (rc != BZ_OK) {
		json_decref(m);
		return rc;
	}
	*out = m;
	return BZ_OK;
}

/* Through the model cache (model_cache.h): the same model while nothing is
 * committed and the day is the same, per user (a home's lists depend on who
 * asks). The user's own fields come from the database too, so a change to them
 * is a commit that rebuilds it. Not the administrator's: its locked accounts
 * unlock as time passes. */
struct home_args {
	const struct user *u;
	const char *today;
};

static bz_rc home_cache_build(struct db *db, const void *arg, json_t **out)
{
	const struct home_args *a = arg;
	return home_build(db, a->u, a->today, out);
}

bz_rc home_model(struct db *db, const struct user *u, const char *today, json_t **out)
{
	if (u->role == ROLE_ADMIN) /* locked accounts unlock with time, not by a commit */
		return home_build(db, u, today, out);
	struct home_args a = {u, today};
	char key[MODEL_CACHE_KEY_MAX];
	snprintf(key, sizeof(key), "home/%lld/%d/%s", (long long)u->id, u->role, today);
	return model_cache_get(db, key, home_cache_build, &a, out);
}
