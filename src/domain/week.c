/* The leader's week: counts of the week, the overdue backlog with why each
 * case is late, load per staff member and per department, and the flagged
 * lists (bounced, open > 30 days, red). See include/bizsos/week.h. */
#include "bizsos/week.h"
#include "bizsos/link.h"
#include "bizsos/refdata.h"
#include "bizsos/sos_case.h"
#include "bizsos/store.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

#define W_OPEN   "s.status IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL"
#define W_CLOSED "s.status IN ('done', 'transferred', 'withdrawn') AND s.merged_into IS NULL"
#define W_DUE    "coalesce(s.extended_due_on, s.due_on)"
#define W_COLS                                                                                     \
	"SELECT s.id, s.case_no, s.title, c.name, u.name, " W_DUE ", s.received_on, s.closed_on,"  \
	" s.status FROM sos_case s JOIN company c ON c.id = s.company_id"                          \
	" LEFT JOIN app_user u ON u.id = s.assignee_id"

/* ?1 monday, ?2 sunday, ?3 today, ?4 limit */
static const char SQL_NEW_COUNT[] = "SELECT count(*) FROM sos_case s WHERE s.merged_into IS NULL "
                                    "AND s.received_on BETWEEN ?1 AND ?2";
static const char SQL_NEW_ROWS[] =
    W_COLS " WHERE s.merged_into IS NULL AND s.received_on BETWEEN"
           " ?1 AND ?2 ORDER BY s.received_on DESC, s.id DESC LIMIT ?3";
static const char SQL_CLOSED_COUNT[] =
    "SELECT count(*) FROM sos_case s WHERE " W_CLOSED " AND s.closed_on BETWEEN ?1 AND ?2";
static const char SQL_CLOSED_ROWS[] = W_COLS " WHERE " W_CLOSED " AND s.closed_on BETWEEN ?1 AND ?2"
                                             " ORDER BY s.closed_on DESC, s.id DESC LIMIT ?3";
/* due this week and not yet late: today ?1 .. sunday ?2 */
static const char SQL_DUE_COUNT[] =
    "SELECT count(*) FROM sos_case s WHERE " W_OPEN " AND " W_DUE " BETWEEN ?1 AND ?2";
static const char SQL_DUE_ROWS[] = W_COLS " WHERE " W_OPEN " AND " W_DUE " BETWEEN ?1 AND ?2"
                                          " ORDER BY " W_DUE ", s.id LIMIT ?3";
static const char SQL_UNASSIGNED[] =
    "SELECT count(*) FROM sos_case s WHERE " W_OPEN " AND s.assignee_id IS NULL";

/* Every overdue open case (?1 today) with what it waits for: the open
 * referral furthest past its own due date, else any open referral, and
 * whether the newest note was shared with the company. */
static const char SQL_OVERDUE[] =
    "SELECT s.id, s.case_no, s.title, c.name, u.name, " W_DUE ","
    " (SELECT d.name || char(31) || r.due_on FROM case_referral r JOIN department d"
    "  ON d.id = r.department_id WHERE r.case_id = s.id AND r.status = 'open'"
    "  ORDER BY r.due_on, r.id LIMIT 1),"
    " (SELECT n.shared FROM case_note n WHERE n.case_id = s.id ORDER BY n.id DESC LIMIT 1),"
    " (SELECT max(r.answered_at) FROM case_referral r WHERE r.case_id = s.id),"
    " (SELECT n.at FROM case_note n WHERE n.case_id = s.id ORDER BY n.id DESC LIMIT 1),"
    " s.flag FROM sos_case s JOIN company c ON c.id = s.company_id"
    " LEFT JOIN app_user u ON u.id = s.assignee_id"
    " WHERE " W_OPEN " AND " W_DUE " < ?1 ORDER BY " W_DUE ", s.id";

/* Staff and leaders (enabled): open, overdue (?1 today) and closed since ?2
 * (the first of the month) to ?1. */
static const char SQL_STAFF[] =
    "SELECT u.id, u.name,"
    " (SELECT count(*) FROM sos_case s WHERE s.assignee_id = u.id AND " W_OPEN "),"
    " (SELECT count(*) FROM sos_case s WHERE s.assignee_id = u.id AND " W_OPEN " AND " W_DUE
    " < ?1),"
    " (SELECT count(*) FROM sos_case s WHERE s.assignee_id = u.id AND " W_CLOSED
    " AND s.closed_on BETWEEN ?2 AND ?1)"
    " FROM app_user u WHERE u.role IN ('staff', 'leader') AND u.disabled_at IS NULL"
    " ORDER BY u.name, u.id";

/* Departments not retired: open referrals on open cases, and those past the
 * referral's due date (?1 today). */
static const char SQL_DEPTS[] =
    "SELECT d.id, d.name,"
    " (SELECT count(*) FROM case_referral r JOIN sos_case s ON s.id = r.case_id"
    "  WHERE r.department_id = d.id AND r.status = 'open' AND " W_OPEN "),"
    " (SELECT count(*) FROM case_referral r JOIN sos_case s ON s.id = r.case_id"
    "  WHERE r.department_id = d.id AND r.status = 'open' AND " W_OPEN " AND r.due_on < ?1)"
    " FROM department d WHERE d.retired_at IS NULL ORDER BY d.name, d.id";
/* Answers given since ?1 (UTC instant): sent and answered KST days, due. */
static const char SQL_REPLIES[] =
    "SELECT r.department_id, date(r.created_at, '+9 hours'), date(r.answered_at, '+9 hours'),"
    " r.due_on FROM case_referral r WHERE r.status = 'answered' AND r.answered_at IS NOT NULL"
    " AND r.answered_at >= ?1";

/* ------------------------------------------------------------ helpers -- */

static bz_rc count2(struct db *db, const char *sql, const char *a, const char *b, int64_t *out)
{
	return db_int1f(db, sql, 0, out, "tt", a, b);
}

static json_t *case_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:o}", "id",
	                 (json_int_t)sqlite3_column_int64(st, 0), "case_no", db_col_text(st, 1),
	                 "title", db_col_text(st, 2), "company", db_col_text(st, 3), "assignee",
	                 db_col_json(st, 4), "due", db_col_text(st, 5), "received_on",
	                 db_col_text(st, 6), "closed_on", db_col_json(st, 7));
}

/* The case list filtered by the parameters of filters (stolen), as a link fact. */
static json_t *cases_link(json_t *filters)
{
	return link_fact("cases", filters);
}

/* {rows, total, more, href} of a count query and a rows query over (a, b);
 * href (a link fact, stolen; NULL: none) is the full list. */
static bz_rc list_section(struct db *db, const char *count_sql, const char *rows_sql, const char *a,
                          const char *b, json_t *href, int64_t *total, json_t **out)
{
	bz_rc rc = count2(db, count_sql, a, b, total);
	sqlite3_stmt *st = rc == BZ_OK ? db_stmt(db, rows_sql) : NULL;
	if (st == NULL) {
		json_decref(href);
		return rc == BZ_OK ? BZ_ERR_DB : rc;
	}
	db_bind_text(st, 1, a);
	db_bind_text(st, 2, b);
	db_bind_int(st, 3, WEEK_LIST_MAX);
	json_t *rows = json_array();
	int s;
	while ((s = db_step(st)) == SQLITE_ROW)
		json_array_append_new(rows, case_row(st));
	json_t *got = NULL;
	if ((rc = db_rows_json(db, st, s, "week: list", rows, &got)) != BZ_OK) {
		json_decref(href);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:b, s:b, s:o}", "rows", got, "total", (json_int_t)*total,
	                 "empty", *total == 0, "more", *total > (int64_t)json_array_size(got),
	                 "href", href ? href : json_null());
	return BZ_OK;
}

/* A case_list section of the open cases with a flag (bounced | long | red). */
static bz_rc flag_section(struct db *db, const struct user *u, const char *flag, json_t **out)
{
	struct case_filter f = {.status = "open", .flag = flag, .sort = "due"};
	f.page = 1;
	f.per_page = WEEK_LIST_MAX;
	json_t *rows = NULL, *fields = json_object();
	int64_t total = 0;
	bz_rc rc = case_list(db, u, &f, &rows, &total, fields);
	json_decref(fields);
	if (rc != BZ_OK)
		return rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc;
	*out =
	    json_pack("{s:o, s:I, s:b, s:b, s:o}", "rows", rows, "total", (json_int_t)total,
	              "empty", total == 0, "more", total > (int64_t)json_array_size(rows), "href",
	              cases_link(json_pack("{s:s, s:s, s:s}", "status", "open", "flag", flag,
	                                   "sort", "due")));
	return BZ_OK;
}

static int32_t days_late(const struct workday_holidays *h, const char *due, int32_t today)
{
	int32_t d;
	if (date_parse(due, &d, NULL) != BZ_OK || d >= today)
		return 0;
	return workday_between(h, d, today);
}

/* ------------------------------------------------------------ backlog -- */

struct reasons {
	int64_t department, company, us;
};

static bz_rc overdue_backlog(struct db *db, const struct workday_holidays *h, const char *today,
                             int32_t td, struct reasons *why, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OVERDUE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, today);
	json_t *rows = json_array();
	int64_t total = 0;
	int s;
	while ((s = db_step(st)) == SQLITE_ROW) {
		total++;
		const char *due = db_col_text(st, 5);
		char dept[128] = "", ref_due[DATE_TEXT_SIZE] = "";
		const char *ref = db_col_text_or_null(st, 6);
		if (ref) {
			const char *sep = strchr(ref, 31);
			size_t n = sep ? (size_t)(sep - ref) : strlen(ref);
			if (n >= sizeof(dept))
				n = sizeof(dept) - 1;
			memcpy(dept, ref, n);
			dept[n] = '\0';
			if (sep)
				snprintf(ref_due, sizeof(ref_due), "%s", sep + 1);
		}
		/* the company: our newest word on the case is a note shared with
		 * it, newer than any department answer */
		bool shared_last =
		    sqlite3_column_type(st, 7) != SQLITE_NULL && sqlite3_column_int64(st, 7) == 1;
		const char *answered = db_col_text_or_null(st, 8), *note_at = db_col_text(st, 9);
		if (answered && strcmp(answered, note_at) > 0)
			shared_last = false;
		const char *reason, *label;
		char text[192];
		int32_t dept_late = 0;
		if (ref) {
			reason = "department";
			dept_late = days_late(h, ref_due, td);
			if (dept_late > 0)
				snprintf(text, sizeof(text),
				         "%s 답변 지연 (부서 기한 %s, %d일 지남)", dept, ref_due,
				         (int)dept_late);
			else
				snprintf(text, sizeof(text), "%s 답변 대기 (부서 기한 %s)", dept,
				         ref_due);
			label = text;
			why->department++;
		} else if (shared_last) {
			reason = "company";
			label = "기업 회신 대기 (기업에 보낸 메모 이후 회신 없음)";
			why->company++;
		} else {
			reason = "us";
			label = "우리 팀 처리 필요";
			why->us++;
		}
		if (json_array_size(rows) >= WEEK_LIST_MAX)
			continue;
		json_t *o = json_pack(
		    "{s:I, s:s, s:s, s:s, s:o, s:s, s:i, s:s, s:s, s:o, s:i, s:b}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "case_no", db_col_text(st, 1), "title",
		    db_col_text(st, 2), "company", db_col_text(st, 3), "assignee",
		    db_col_json(st, 4), "due", due, "days_late", (int)days_late(h, due, td),
		    "reason", reason, "reason_label", label, "department",
		    *dept ? json_string(dept) : json_null(), "department_days_late", (int)dept_late,
		    "red", strcmp(db_col_text(st, 10), "red") == 0);
		json_object_set_new(o,
		                    strcmp(reason, "department") == 0 ? "is_department"
		                    : strcmp(reason, "company") == 0  ? "is_company"
		                                                      : "is_us",
		                    json_true());
		json_array_append_new(rows, o);
	}
	json_t *got = NULL;
	bz_rc rc = db_rows_json(db, st, s, "week: overdue", rows, &got);
	if (rc != BZ_OK)
		return rc;
	*out = json_pack("{s:o, s:I, s:b, s:b, s:o}", "rows", got, "total", (json_int_t)total,
	                 "empty", total == 0, "more", total > (int64_t)json_array_size(got), "href",
	                 cases_link(json_pack("{s:i, s:s}", "overdue", 1, "sort", "due")));
	return BZ_OK;
}

/* -------------------------------------------------------------- loads -- */

static bz_rc staff_load(struct db *db, const char *today, const char *month_first, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STAFF);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, today);
	db_bind_text(st, 2, month_first);
	json_t *rows = json_array();
	int s;
	while ((s = db_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		json_t *h1 = cases_link(json_pack("{s:s, s:I, s:s}", "status", "open", "assignee",
		                                  (json_int_t)id, "sort", "due"));
		json_t *h2 = cases_link(json_pack("{s:i, s:I, s:s}", "overdue", 1, "assignee",
		                                  (json_int_t)id, "sort", "due"));
		json_t *h3 = cases_link(json_pack("{s:s, s:I, s:s, s:s}", "status", "closed",
		                                  "assignee", (json_int_t)id, "closed_from",
		                                  month_first, "closed_to", today));
		json_array_append_new(
		    rows, json_pack("{s:I, s:s, s:I, s:I, s:I, s:o, s:o, s:o}", "id",
		                    (json_int_t)id, "name", db_col_text(st, 1), "open",
		                    (json_int_t)sqlite3_column_int64(st, 2), "overdue",
		                    (json_int_t)sqlite3_column_int64(st, 3), "closed_month",
		                    (json_int_t)sqlite3_column_int64(st, 4), "href_open", h1,
		                    "href_overdue", h2, "href_closed", h3));
	}
	return db_rows_json(db, st, s, "week: staff", rows, out);
}

struct reply_acc {
	int64_t dept;
	int64_t n, days, late;
};

static bz_rc dept_load(struct db *db, const struct workday_holidays *h, const char *today,
                       int32_t td, json_t **out)
{
	/* reply times first, accumulated per department */
	struct reply_acc acc[256];
	size_t nacc = 0;
	char since[32];
	{
		int32_t from = td - WEEK_REPLY_WINDOW_DAYS;
		char d[DATE_TEXT_SIZE];
		if (date_format(from, d, sizeof(d)) != BZ_OK)
			return BZ_ERR_INVALID;
		snprintf(since, sizeof(since), "%sT00:00:00Z", d);
	}
	sqlite3_stmt *st = db_stmt(db, SQL_REPLIES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, since);
	int s;
	while ((s = db_step(st)) == SQLITE_ROW) {
		int64_t dept = sqlite3_column_int64(st, 0);
		int32_t sent, ans, due;
		if (date_parse(db_col_text(st, 1), &sent, NULL) != BZ_OK ||
		    date_parse(db_col_text(st, 2), &ans, NULL) != BZ_OK)
			continue;
		size_t i = 0;
		while (i < nacc && acc[i].dept != dept)
			i++;
		if (i == nacc) {
			if (nacc == BZ_ARRAY_LEN(acc))
				continue;
			acc[nacc++] = (struct reply_acc){.dept = dept};
		}
		acc[i].n++;
		acc[i].days += ans > sent ? workday_between(h, sent, ans) : 0;
		if (date_parse(db_col_text(st, 3), &due, NULL) == BZ_OK && ans > due)
			acc[i].late++;
	}
	bz_rc rc = db_rows_end(db, st, s, "week: replies");
	if (rc != BZ_OK)
		return rc;
	if ((st = db_stmt(db, SQL_DEPTS)) == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, today);
	json_t *rows = json_array();
	while ((s = db_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t open = sqlite3_column_int64(st, 2), late_open = sqlite3_column_int64(st, 3);
		struct reply_acc a = {0};
		for (size_t i = 0; i < nacc; i++)
			if (acc[i].dept == id)
				a = acc[i];
		if (open == 0 && a.n == 0)
			continue; /* a department with nothing to report */
		char avg[32] = "-";
		if (a.n > 0) {
			int64_t tenths = (a.days * 10 + a.n / 2) / a.n;
			snprintf(avg, sizeof(avg), "%lld.%lld", (long long)(tenths / 10),
			         (long long)(tenths % 10));
		}
		json_t *href = cases_link(json_pack("{s:s, s:I, s:s}", "status", "open",
		                                    "department", (json_int_t)id, "sort", "due"));
		json_array_append_new(
		    rows,
		    json_pack("{s:I, s:s, s:I, s:I, s:I, s:s, s:I, s:o}", "id", (json_int_t)id,
		              "name", db_col_text(st, 1), "open", (json_int_t)open, "overdue_open",
		              (json_int_t)late_open, "answered", (json_int_t)a.n, "avg_reply_days",
		              avg, "late_replies", (json_int_t)a.late, "href_open", href));
	}
	return db_rows_json(db, st, s, "week: departments", rows, out);
}

/* --------------------------------------------------------------- model -- */

static bz_rc week_build(struct db *db, const struct user *u, const char *today, bool full,
                        json_t **out)
{
	int32_t td;
	if (date_parse(today, &td, NULL) != BZ_OK)
		return BZ_ERR_INVALID;
	int32_t mon = td - (date_weekday(td) - 1), sun = mon + 6;
	char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE], month_first[DATE_TEXT_SIZE];
	int y, mo, d;
	date_to_ymd(td, &y, &mo, &d);
	if (date_format(mon, from, sizeof(from)) != BZ_OK ||
	    date_format(sun, to, sizeof(to)) != BZ_OK ||
	    date_format(date_from_ymd(y, mo, 1), month_first, sizeof(month_first)) != BZ_OK)
		return BZ_ERR_INVALID;
	int fy, fm, fd, ty, tm, tdd;
	date_to_ymd(mon, &fy, &fm, &fd);
	date_to_ymd(sun, &ty, &tm, &tdd);
	char label[96];
	snprintf(label, sizeof(label), "%d. %d. %d.(월) ~ %d. %d. %d.(일)", fy, fm, fd, ty, tm,
	         tdd);

	struct workday_holidays h;
	workday_holidays_init(&h);
	json_t *m = json_object();
	bz_rc rc = holiday_set_load(db, &h);
	int64_t n_new = 0, n_closed = 0, n_due = 0, n_unassigned = 0;
	json_t *sec = NULL;
	if (rc == BZ_OK)
		rc = list_section(db, SQL_NEW_COUNT, SQL_NEW_ROWS, from, to, NULL, &n_new, &sec);
	if (rc == BZ_OK)
		json_object_set_new(m, "new_cases", sec);
	if (rc == BZ_OK)
		rc = list_section(db, SQL_CLOSED_COUNT, SQL_CLOSED_ROWS, from, to,
		                  cases_link(json_pack("{s:s, s:s, s:s}", "status", "closed",
		                                       "closed_from", from, "closed_to", to)),
		                  &n_closed, &sec);
	if (rc == BZ_OK)
		json_object_set_new(m, "closed_cases", sec);
	if (rc == BZ_OK)
		rc = list_section(db, SQL_DUE_COUNT, SQL_DUE_ROWS, today, to, NULL, &n_due, &sec);
	if (rc == BZ_OK)
		json_object_set_new(m, "due_cases", sec);
	if (rc == BZ_OK)
		rc = db_int1f(db, SQL_UNASSIGNED, 0, &n_unassigned, "");
	struct reasons why = {0};
	json_t *backlog = NULL;
	if (rc == BZ_OK)
		rc = overdue_backlog(db, &h, today, td, &why, &backlog);
	const char *flags[] = {"bounced", "long", "red"};
	int64_t flag_totals[3] = {0};
	for (size_t i = 0; rc == BZ_OK && i < BZ_ARRAY_LEN(flags); i++) {
		json_t *f = NULL;
		if ((rc = flag_section(db, u, flags[i], &f)) == BZ_OK) {
			flag_totals[i] = json_integer_value(json_object_get(f, "total"));
			if (full)
				json_object_set_new(m, flags[i], f);
			else
				json_decref(f);
		}
	}
	json_t *staff = NULL, *depts = NULL;
	if (rc == BZ_OK && full && (rc = staff_load(db, today, month_first, &staff)) == BZ_OK) {
		json_object_set_new(m, "has_staff", json_boolean(json_array_size(staff) > 0));
		json_object_set_new(m, "staff", staff);
	}
	if (rc == BZ_OK && full && (rc = dept_load(db, &h, today, td, &depts)) == BZ_OK) {
		json_object_set_new(m, "has_departments", json_boolean(json_array_size(depts) > 0));
		json_object_set_new(m, "departments", depts);
	}
	workday_holidays_free(&h);
	if (rc != BZ_OK) {
		json_decref(backlog);
		json_decref(m);
		return rc;
	}
	int64_t n_overdue = json_integer_value(json_object_get(backlog, "total"));
	if (full)
		json_object_set_new(m, "overdue", backlog);
	else
		json_decref(backlog);
	json_object_set_new(m, "week",
	                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "from", from, "to", to, "label",
	                              label, "today", today, "month_first", month_first));
	json_t *sum = json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "new", (json_int_t)n_new,
	    "closed", (json_int_t)n_closed, "due_week", (json_int_t)n_due, "overdue",
	    (json_int_t)n_overdue, "overdue_department", (json_int_t)why.department,
	    "overdue_company", (json_int_t)why.company, "overdue_us", (json_int_t)why.us,
	    "unassigned", (json_int_t)n_unassigned, "bounced", (json_int_t)flag_totals[0], "long",
	    (json_int_t)flag_totals[1], "red", (json_int_t)flag_totals[2]);
	json_object_set_new(m, "summary", sum);
	if (!full) {
		json_t *small =
		    json_pack("{s:O, s:O}", "week", json_object_get(m, "week"), "summary", sum);
		json_decref(m);
		m = small;
	}
	*out = m;
	return BZ_OK;
}

bz_rc week_model(struct db *db, const struct user *u, const char *today, json_t **out)
{
	return week_build(db, u, today, true, out);
}

bz_rc week_summary(struct db *db, const struct user *u, const char *today, json_t **out)
{
	return week_build(db, u, today, false, out);
}
