/* Programs: header, targets, budget, roadmap, self-assessment, next plans,
 * published cards and sign-offs. See include/bizsos/program.h. */
#include "bizsos/program.h"
#include "bizsos/sos_case.h"
#include "bizsos/money.h"
#include "bizsos/view.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_PROGRAM[] =
    "SELECT id, code, name, nature, term, funding, status, completed_year, central_help, owner,"
    " department, final_goal, overview, evidence, first_quarter, last_quarter, version"
    " FROM program WHERE id = ? AND retired_at IS NULL";
static const char SQL_PROGRAMS[] =
    "SELECT id, code, name, status FROM program WHERE retired_at IS NULL ORDER BY sort, id";
static const char SQL_PROGRAM_INSERT[] =
    "INSERT INTO program (code, name, first_quarter, last_quarter, sort, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, (SELECT COALESCE(max(sort), 0) + 1 FROM program), ?, ?)";
static const char SQL_PROGRAM_CODE_TAKEN[] = "SELECT 1 FROM program WHERE code = ?";
static const char SQL_PROGRAM_VERSION[] =
    "SELECT version FROM program WHERE id = ? AND retired_at IS NULL";
static const char SQL_PROGRAM_TOUCH[] =
    "UPDATE program SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
static const char SQL_CONTACTS[] = "SELECT id, title, name, phone FROM program_contact"
                                   " WHERE program_id = ? AND retired_at IS NULL ORDER BY sort, id";
static const char SQL_CONTACT_GET[] = "SELECT title, name, phone FROM program_contact"
                                      " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_CONTACT_INSERT[] =
    "INSERT INTO program_contact (program_id, title, name, phone, sort) VALUES (?, ?, ?,"
    " coalesce(?, ''),"
    " (SELECT COALESCE(max(sort), 0) + 1 FROM program_contact WHERE program_id = ?))";
static const char SQL_CONTACT_UPDATE[] =
    "UPDATE program_contact SET title = ?, name = ?, phone = coalesce(?, '') WHERE id = ?";
static const char SQL_CONTACT_RETIRE[] = "UPDATE program_contact SET retired_at = ? WHERE id = ?";
static const char SQL_EVENT[] =
    "INSERT INTO program_event (program_id, at, actor_id, object, object_id, kind, field, old,"
    " new, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENTS[] =
    "SELECT e.at, COALESCE(u.name, '명령줄'), e.object, e.kind, COALESCE(e.field, ''),"
    " COALESCE(e.old, ''), COALESCE(e.new, ''), COALESCE(e.note, ''), e.object_id"
    " FROM program_event e LEFT JOIN app_user u ON u.id = e.actor_id"
    " WHERE e.program_id = ? AND (?2 IS NULL OR e.object = ?2) AND (?3 = 0 OR e.object_id = ?3)"
    " ORDER BY e.id DESC LIMIT ?4";
static const char SQL_TASK_COUNTS[] =
    "SELECT count(*), COALESCE(sum(status IN ('done', 'continuing')), 0) FROM roadmap_task"
    " WHERE program_id = ? AND retired_at IS NULL";

static const char SQL_TARGETS[] =
    "SELECT id, indicator, metric, period, value, unit, version FROM target"
    " WHERE program_id = ? AND retired_at IS NULL ORDER BY indicator, period";
static const char SQL_TARGET_FIND[] =
    "SELECT id, value FROM target WHERE program_id = ? AND indicator = ? AND period = ?"
    " AND retired_at IS NULL";
static const char SQL_TARGET_INSERT[] =
    "INSERT INTO target (program_id, indicator, metric, period, value, unit)"
    " VALUES (?, ?, ?, ?, ?, '건')";
static const char SQL_TARGET_UPDATE[] =
    "UPDATE target SET value = ?, version = version + 1 WHERE id = ?";
static const char SQL_TARGET_GET[] =
    "SELECT program_id, indicator, period, value FROM target WHERE id = ? AND retired_at IS NULL";
static const char SQL_TARGET_RETIRE[] = "UPDATE target SET retired_at = ? WHERE id = ?";

static const char SQL_LINES[] =
    "SELECT l.id, l.year, l.source, l.planned, l.secured, l.version,"
    " COALESCE((SELECT sum(e.amount) FROM budget_execution e"
    "   WHERE e.budget_line_id = l.id AND e.retired_at IS NULL), 0)"
    " FROM budget_line l WHERE l.program_id = ? AND l.retired_at IS NULL"
    " ORDER BY l.year, CASE l.source WHEN 'national' THEN 1 WHEN 'province' THEN 2"
    "  WHEN 'city' THEN 3 ELSE 4 END";
static const char SQL_LINE_FIND[] =
    "SELECT id, planned, secured FROM budget_line WHERE program_id = ? AND year = ?"
    " AND source = ? AND retired_at IS NULL";
static const char SQL_LINE_GET[] =
    "SELECT l.year, l.source, l.secured, COALESCE((SELECT sum(e.amount) FROM budget_execution e"
    "   WHERE e.budget_line_id = l.id AND e.retired_at IS NULL), 0)"
    " FROM budget_line l WHERE l.id = ? AND l.program_id = ? AND l.retired_at IS NULL";
static const char SQL_LINE_INSERT[] =
    "INSERT INTO budget_line (program_id, year, source, planned, secured, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_LINE_UPDATE[] =
    "UPDATE budget_line SET planned = ?, secured = ?, updated_at = ?, version = version + 1"
    " WHERE id = ?";
static const char SQL_EXEC_INSERT[] =
    "INSERT INTO budget_execution (budget_line_id, executed_on, amount, memo, grant_id,"
    " over_reason, created_by, created_at) VALUES (?, ?, ?, coalesce(?, ''), ?, ?, ?, ?)";
static const char SQL_EXEC_GET[] =
    "SELECT e.amount, e.executed_on FROM budget_execution e JOIN budget_line l"
    " ON l.id = e.budget_line_id WHERE e.id = ? AND l.program_id = ? AND e.retired_at IS NULL";
static const char SQL_EXEC_RETIRE[] = "UPDATE budget_execution SET retired_at = ? WHERE id = ?";
static const char SQL_EXECS[] =
    "SELECT e.id, l.id, l.year, l.source, e.executed_on, e.amount, e.memo, e.grant_id,"
    " e.over_reason FROM budget_execution e JOIN budget_line l"
    " ON l.id = e.budget_line_id WHERE l.program_id = ? AND e.retired_at IS NULL"
    " AND (?2 = 0 OR l.year = ?2) ORDER BY e.executed_on DESC, e.id DESC LIMIT ?3";
static const char SQL_GRANT_EXISTS[] = "SELECT 1 FROM improvement_grant WHERE id = ?";

static const char SQL_TASKS[] =
    "SELECT id, title, first_quarter, last_quarter, beyond_term, status FROM roadmap_task"
    " WHERE program_id = ? AND retired_at IS NULL ORDER BY sort, id";
static const char SQL_TASK_GET[] =
    "SELECT title, first_quarter, last_quarter, beyond_term, status FROM roadmap_task"
    " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_TASK_INSERT[] =
    "INSERT INTO roadmap_task (program_id, title, first_quarter, last_quarter, beyond_term,"
    " status, sort) VALUES (?, ?, ?, ?, ?, ?,"
    " (SELECT COALESCE(max(sort), 0) + 1 FROM roadmap_task WHERE program_id = ?1))";
static const char SQL_TASK_UPDATE[] =
    "UPDATE roadmap_task SET title = ?, first_quarter = ?, last_quarter = ?, beyond_term = ?,"
    " status = ? WHERE id = ?";
static const char SQL_TASK_RETIRE[] = "UPDATE roadmap_task SET retired_at = ? WHERE id = ?";

static const char SQL_SA_YEARS[] =
    "SELECT DISTINCT year FROM self_assessment_item WHERE program_id = ? AND retired_at IS NULL"
    " ORDER BY year DESC";
static const char SQL_SA_ITEMS[] =
    "SELECT id, kind, COALESCE(parent_id, 0), body FROM self_assessment_item"
    " WHERE program_id = ? AND year = ? AND retired_at IS NULL"
    " ORDER BY kind, COALESCE(parent_id, 0) <> 0, sort, id";
static const char SQL_SA_GET[] =
    "SELECT year, kind, COALESCE(parent_id, 0), body FROM self_assessment_item"
    " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_SA_INSERT[] =
    "INSERT INTO self_assessment_item (program_id, year, kind, parent_id, body, sort,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
    " (SELECT COALESCE(max(sort), 0) + 1 FROM self_assessment_item WHERE program_id = ?1"
    "  AND year = ?2 AND kind = ?3), ?6, ?6)";
static const char SQL_SA_UPDATE[] =
    "UPDATE self_assessment_item SET body = ?, updated_at = ? WHERE id = ?";
static const char SQL_SA_RETIRE[] =
    "UPDATE self_assessment_item SET retired_at = ?1 WHERE id = ?2 OR parent_id = ?2";

static const char SQL_PLANS[] =
    "SELECT id, period_label, starts_on, ends_on, plan FROM next_plan"
    " WHERE program_id = ? AND retired_at IS NULL ORDER BY starts_on, sort, id";
static const char SQL_PLAN_GET[] = "SELECT period_label, starts_on, ends_on, plan FROM next_plan"
                                   " WHERE id = ? AND program_id = ? AND retired_at IS NULL";
static const char SQL_PLAN_INSERT[] =
    "INSERT INTO next_plan (program_id, period_label, starts_on, ends_on, plan, sort)"
    " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(max(sort), 0) + 1 FROM next_plan"
    " WHERE program_id = ?1))";
static const char SQL_PLAN_UPDATE[] =
    "UPDATE next_plan SET period_label = ?, starts_on = ?, ends_on = ?, plan = ? WHERE id = ?";
static const char SQL_PLAN_RETIRE[] = "UPDATE next_plan SET retired_at = ? WHERE id = ?";

static const char SQL_SNAP_INSERT[] =
    "INSERT INTO card_snapshot (program_id, year, quarter, published_at, published_by, model)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_SNAP_EXISTS[] =
    "SELECT 1 FROM card_snapshot WHERE program_id = ? AND year = ? AND quarter = ?";
static const char SQL_SNAPS[] =
    "SELECT s.id, s.year, s.quarter, s.published_at, COALESCE(u.name, '명령줄')"
    " FROM card_snapshot s LEFT JOIN app_user u ON u.id = s.published_by"
    " WHERE s.program_id = ? ORDER BY s.year DESC, s.quarter DESC";
static const char SQL_SNAP_GET[] =
    "SELECT s.id, s.program_id, s.year, s.quarter, s.published_at, COALESCE(u.name, '명령줄'),"
    " s.model FROM card_snapshot s LEFT JOIN app_user u ON u.id = s.published_by"
    " WHERE s.id = ?";
static const char SQL_SIGNOFF_INSERT[] =
    "INSERT INTO quarter_signoff (program_id, year, quarter, signed_at, signed_by, note)"
    " VALUES (?, ?, ?, ?, ?, coalesce(?, ''))";
static const char SQL_SIGNOFF_GET[] =
    "SELECT q.signed_at, COALESCE(u.name, '명령줄'), q.note FROM quarter_signoff q"
    " LEFT JOIN app_user u ON u.id = q.signed_by"
    " WHERE q.program_id = ? AND q.year = ? AND q.quarter = ?";

/* ------------------------------------------------------------ helpers -- */

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

static bz_rc step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return db_rc(db, rc == SQLITE_ROW ? SQLITE_DONE : rc, what);
}

/* The end of every row loop: rc is the last sqlite3_step result; the rows read
 * become *out, or are dropped when the loop stopped on an error. */
static bz_rc rows_done(struct db *db, sqlite3_stmt *st, int rc, const char *what, json_t *rows,
                       json_t **out)
{
	bz_rc r = db_rc(db, rc, what);
	sqlite3_reset(st);
	if (r != BZ_OK) {
		json_decref(rows);
		return r;
	}
	*out = rows;
	return BZ_OK;
}

static void field_err(json_t *fields, const char *field, const char *msg)
{
	if (fields && json_object_get(fields, field) == NULL)
		json_object_set_new(fields, field, json_string(msg));
}

static bool blank(const char *s)
{
	if (s == NULL)
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
			p += 2;
			continue;
		}
		return false;
	}
	return true;
}

/* Text that may be empty but must be valid and short. */
static bool text_ok(const char *s, size_t max_chars)
{
	if (s == NULL || *s == '\0')
		return true;
	size_t n = strlen(s);
	if (!bz_utf8_valid(s, n))
		return false;
	size_t chars = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			chars++;
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
			return false;
	}
	return chars <= max_chars;
}

static bz_rc event(struct db *db, int64_t program_id, const char *at, const struct user *actor,
                   const char *object, int64_t object_id, const char *kind, const char *field,
                   const char *old, const char *new_value, const char *note)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, at);
	if (actor && actor->id > 0)
		db_bind_int(st, 3, actor->id);
	else
		sqlite3_bind_null(st, 3);
	db_bind_text(st, 4, object);
	if (object_id > 0)
		db_bind_int(st, 5, object_id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, kind);
	db_bind_text(st, 7, field);
	db_bind_text(st, 8, old);
	db_bind_text(st, 9, new_value);
	db_bind_text(st, 10, note);
	return step_done(db, st, "program event");
}

static bool program_exists(struct db *db, int64_t id, int64_t *version)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_VERSION);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok && version)
		*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return ok;
}

static bz_rc touch_program(struct db *db, int64_t id, const char *now)
{
	int64_t v = 0;
	if (!program_exists(db, id, &v))
		return BZ_ERR_NOTFOUND;
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_TOUCH);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, v);
	return step_done(db, st, "touch program");
}

/* A missing prepared statement is a database error. */
static bz_rc prepare(struct db *db, const char *sql, sqlite3_stmt **st)
{
	*st = db_stmt(db, sql);
	return *st ? BZ_OK : BZ_ERR_DB;
}

/* Steps get_sql bound (row_id, program_id) onto its row: BZ_OK leaves the row
 * on *st for the caller to read and reset; no such row of that program is
 * BZ_ERR_NOTFOUND. */
static bz_rc program_row(struct db *db, const char *get_sql, int64_t row_id, int64_t program_id,
                         sqlite3_stmt **st)
{
	bz_rc rc = prepare(db, get_sql, st);
	if (rc != BZ_OK)
		return rc;
	db_bind_int(*st, 1, row_id);
	db_bind_int(*st, 2, program_id);
	if (sqlite3_step(*st) != SQLITE_ROW) {
		sqlite3_reset(*st);
		return BZ_ERR_NOTFOUND;
	}
	return BZ_OK;
}

/* The opening shared by the saves of a program's own rows (contacts, roadmap
 * tasks, self-assessment items, next plans), inside their transaction: the
 * program must exist; row_id > 0 names an existing row of it, left on *row
 * (read it, then reset); row_id <= 0 adds a row (*row stays NULL), and there is
 * nothing to retire. */
static bz_rc child_open(struct db *db, int64_t program_id, int64_t row_id, bool retire,
                        const char *get_sql, sqlite3_stmt **row)
{
	*row = NULL;
	if (!program_exists(db, program_id, NULL))
		return BZ_ERR_NOTFOUND;
	if (row_id > 0)
		return program_row(db, get_sql, row_id, program_id, row);
	return retire ? BZ_ERR_NOTFOUND : BZ_OK;
}

/* Every retire statement sets retired_at = now on one row id. */
static bz_rc retire_stmt(struct db *db, const char *sql, const char *now, int64_t row_id,
                         sqlite3_stmt **st)
{
	bz_rc rc = prepare(db, sql, st);
	if (rc == BZ_OK) {
		db_bind_text(*st, 1, now);
		db_bind_int(*st, 2, row_id);
	}
	return rc;
}

/* The close shared by those saves: run the bound write st, learn a new row's
 * id, and record the change (old is "" for a new row). */
static bz_rc child_close(struct db *db, sqlite3_stmt *st, const char *what,
                         const struct user *actor, int64_t program_id, const char *now,
                         const char *object, int64_t *row_id, bool retire, const char *field,
                         const char *old, const char *new_value)
{
	bz_rc rc = step_done(db, st, what);
	if (rc != BZ_OK)
		return rc;
	if (*row_id <= 0)
		*row_id = db_last_id(db);
	return event(db, program_id, now, actor, object, *row_id,
	             retire ? "retire" : (old[0] ? "update" : "create"), field, old[0] ? old : NULL,
	             new_value, NULL);
}

static json_t *rate_json(struct rate r)
{
	char t[RATE_TEXT_SIZE];
	rate_format(r, t, sizeof(t));
	json_t *o = json_pack("{s:b, s:s}", "ok", r.ok, "text", t);
	if (r.ok)
		json_object_set_new(o, "tenths", json_integer(r.tenths));
	else
		json_object_set_new(o, "tenths", json_null());
	return o;
}

static json_t *won_json(json_t *o, const char *key, int64_t won)
{
	char m[MONEY_TEXT_SIZE], w[MONEY_TEXT_SIZE], k[64];
	money_format_million(won, m, sizeof(m));
	money_format_won(won, w, sizeof(w));
	json_object_set_new(o, key, json_integer(won));
	snprintf(k, sizeof(k), "%s_text", key);
	json_object_set_new(o, k, json_string(m));
	snprintf(k, sizeof(k), "%s_won", key);
	json_object_set_new(o, k, json_string(w));
	return o;
}

/* -------------------------------------------------------- vocabularies -- */

struct vocab_entry {
	const char *vocab, *code, *label;
};

static const struct vocab_entry vocab[] = {
    {"nature", "continuing", "계속"},
    {"nature", "new", "신규"},
    {"term", "within", "임기내"},
    {"term", "beyond", "임기후"},
    {"funding", "budget", "예산"},
    {"funding", "none", "비예산"},
    {"status", "done_ended", "완료-종료"},
    {"status", "done_continuing", "완료-지속추진"},
    {"status", "ongoing_normal", "추진중-정상"},
    {"status", "ongoing_lagging", "추진중-부진"},
    {"status", "notstarted_review", "미착수-검토중"},
    {"status", "notstarted_notdue", "미착수-시기미도래"},
    {"source", "national", "국비"},
    {"source", "province", "도비"},
    {"source", "city", "시비"},
    {"source", "other", "기타"},
    {"task_status", "planned", "계획"},
    {"task_status", "ongoing", "추진중"},
    {"task_status", "done", "완료"},
    {"task_status", "continuing", "완료(지속추진)"},
    {"sa_kind", "went_well", "잘된 점"},
    {"sa_kind", "improvement", "개선계획"},
};

const char *program_label(const char *v, const char *code)
{
	if (v == NULL || code == NULL)
		return NULL;
	for (size_t i = 0; i < BZ_ARRAY_LEN(vocab); i++)
		if (strcmp(vocab[i].vocab, v) == 0 && strcmp(vocab[i].code, code) == 0)
			return vocab[i].label;
	return NULL;
}

const char *const *program_codes(const char *v)
{
	static const char *const nature[] = {"continuing", "new", NULL};
	static const char *const term[] = {"within", "beyond", NULL};
	static const char *const funding[] = {"budget", "none", NULL};
	static const char *const status[] = {"done_ended",
	                                     "done_continuing",
	                                     "ongoing_normal",
	                                     "ongoing_lagging",
	                                     "notstarted_review",
	                                     "notstarted_notdue",
	                                     NULL};
	static const char *const source[] = {"national", "province", "city", "other", NULL};
	static const char *const task[] = {"planned", "ongoing", "done", "continuing", NULL};
	static const char *const sa[] = {"went_well", "improvement", NULL};
	static const char *const none[] = {NULL};
	if (v == NULL)
		return none;
	if (strcmp(v, "nature") == 0)
		return nature;
	if (strcmp(v, "term") == 0)
		return term;
	if (strcmp(v, "funding") == 0)
		return funding;
	if (strcmp(v, "status") == 0)
		return status;
	if (strcmp(v, "source") == 0)
		return source;
	if (strcmp(v, "task_status") == 0)
		return task;
	if (strcmp(v, "sa_kind") == 0)
		return sa;
	return none;
}

/* ------------------------------------------------------------ quarters -- */

bool quarter_parse(const char *s, int *year, int *quarter)
{
	if (s == NULL || strlen(s) < 6 || strlen(s) > 7)
		return false;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[4] != '-')
		return false;
	const char *q = s + 5;
	if (*q == 'Q' || *q == 'q')
		q++;
	if (q[0] < '1' || q[0] > '4' || q[1] != '\0')
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (y < 2000 || y > 2100)
		return false;
	*year = y;
	*quarter = q[0] - '0';
	return true;
}

void quarter_bounds(int year, int quarter, char *first, char *last)
{
	if (year < 1 || year > 9999 || quarter < 1 || quarter > 4) {
		first[0] = last[0] = '\0';
		return;
	}
	int m1 = (quarter - 1) * 3 + 1, m3 = m1 + 2;
	date_format(date_from_ymd(year, m1, 1), first, DATE_TEXT_SIZE);
	date_format(date_from_ymd(year, m3, date_days_in_month(year, m3)), last, DATE_TEXT_SIZE);
}

static bool quarter_text_ok(const char *s)
{
	int y, q;
	return s && strlen(s) == 7 && s[5] == 'Q' && quarter_parse(s, &y, &q);
}

/* ------------------------------------------------------------- header -- */

static json_t *overview_items(const char *text)
{
	json_t *items = json_array();
	json_t *last = NULL;
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		char *s = line;
		while (*s == ' ' || *s == '-')
			s++;
		bool sub = strncmp(s, "▶", strlen("▶")) == 0;
		if (sub) {
			s += strlen("▶");
			while (*s == ' ')
				s++;
		}
		if (*s) {
			if (sub && last) {
				json_array_append_new(json_object_get(last, "subs"),
				                      json_string(s));
				json_object_set_new(last, "has_subs", json_true());
			} else {
				last = json_pack("{s:s, s:[]}", "text", s, "subs");
				json_array_append_new(items, last);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return items;
}

static bz_rc impl_rate(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TASK_COUNTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	int64_t den = 0, num = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		den = sqlite3_column_int64(st, 0);
		num = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_rc(db, rc, "roadmap counts");
	struct rate r = rate_tenths(num, den);
	char t[RATE_TEXT_SIZE + 4], formula[256];
	if (!r.ok)
		bz_strlcpy(t, "–", sizeof(t));
	else if (r.tenths % 10 == 0)
		snprintf(t, sizeof(t), "%lld%%", (long long)(r.tenths / 10));
	else {
		char x[RATE_TEXT_SIZE];
		rate_format(r, x, sizeof(x));
		snprintf(t, sizeof(t), "%s%%", x);
	}
	snprintf(formula, sizeof(formula),
	         "이행률 = 완료(종료·지속추진)된 세부 추진과제 수 ÷ 전체 세부 추진과제 수 = %lld ÷ "
	         "%lld",
	         (long long)num, (long long)den);
	*out = json_pack("{s:I, s:I, s:o, s:s, s:s}", "num", (json_int_t)num, "den",
	                 (json_int_t)den, "tenths", r.ok ? json_integer(r.tenths) : json_null(),
	                 "text", t, "formula", formula);
	return BZ_OK;
}

bz_rc program_get(struct db *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, rc, "program");
	}
	json_t *p = json_object();
	json_object_set_new(p, "id", json_integer(sqlite3_column_int64(st, 0)));
	static const char *const keys[] = {
	    "code",       "name",     "nature",       "term",          "funding",
	    "status",     NULL,       "central_help", "owner",         "department",
	    "final_goal", "overview", "evidence",     "first_quarter", "last_quarter"};
	for (int i = 0; i < (int)BZ_ARRAY_LEN(keys); i++)
		if (keys[i])
			json_object_set_new(p, keys[i], json_string(col(st, i + 1)));
	if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
		json_object_set_new(p, "completed_year", json_null());
		json_object_set_new(p, "completed_text", json_string("–"));
	} else {
		char t[32];
		snprintf(t, sizeof(t), "%d년", sqlite3_column_int(st, 7));
		json_object_set_new(p, "completed_year", json_integer(sqlite3_column_int(st, 7)));
		json_object_set_new(p, "completed_text", json_string(t));
	}
	json_object_set_new(p, "version", json_integer(sqlite3_column_int64(st, 16)));
	sqlite3_reset(st);
	static const char *const vk[][2] = {
	    {"nature", "nature"}, {"term", "term"}, {"funding", "funding"}, {"status", "status"}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(vk); i++) {
		char k[32];
		snprintf(k, sizeof(k), "%s_label", vk[i][0]);
		const char *l =
		    program_label(vk[i][1], json_string_value(json_object_get(p, vk[i][0])));
		json_object_set_new(p, k, json_string(l ? l : ""));
	}
	json_object_set_new(p, "overview_items",
	                    overview_items(json_string_value(json_object_get(p, "overview"))));

	st = db_stmt(db, SQL_CONTACTS);
	if (st == NULL) {
		json_decref(p);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	json_t *contacts = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(contacts, json_pack("{s:I, s:s, s:s, s:s}", "id",
		                                          (json_int_t)sqlite3_column_int64(st, 0),
		                                          "title", col(st, 1), "name", col(st, 2),
		                                          "phone", col(st, 3)));
	sqlite3_reset(st);
	if (json_array_size(contacts))
		json_object_set_new(json_array_get(contacts, 0), "first", json_true());
	json_object_set_new(
	    p, "contact_rows",
	    json_integer(json_array_size(contacts) ? (json_int_t)json_array_size(contacts) : 1));
	json_object_set_new(p, "contacts", contacts);
	json_t *impl = NULL;
	bz_rc r = impl_rate(db, id, &impl);
	if (r != BZ_OK) {
		json_decref(p);
		return r;
	}
	json_object_set_new(p, "impl", impl);
	*out = p;
	return BZ_OK;
}

bz_rc program_list(struct db *db, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAMS);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *l = program_label("status", col(st, 3));
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "code",
		                                   col(st, 1), "name", col(st, 2), "status_label",
		                                   l ? l : ""));
	}
	return rows_done(db, st, rc, "programs", a, out);
}

/* The header fields: column, form key, check. */
enum pf_kind { PF_TEXT, PF_VOCAB, PF_YEAR, PF_QUARTER };
struct pf {
	const char *column;
	const char *label;
	enum pf_kind kind;
	const char *vocab;
	size_t max;
	bool required;
};
static const struct pf pfields[] = {
    {"name", "사업명", PF_TEXT, NULL, 100, true},
    {"nature", "성격", PF_VOCAB, "nature", 0, true},
    {"term", "기간", PF_VOCAB, "term", 0, true},
    {"funding", "재원", PF_VOCAB, "funding", 0, true},
    {"status", "이행구분", PF_VOCAB, "status", 0, true},
    {"completed_year", "완료시기", PF_YEAR, NULL, 0, false},
    {"central_help", "중앙정부 도움 필요성", PF_TEXT, NULL, 200, false},
    {"owner", "사업주체", PF_TEXT, NULL, 100, false},
    {"department", "추진부서", PF_TEXT, NULL, 100, false},
    {"final_goal", "최종목표", PF_TEXT, NULL, 2000, false},
    {"overview", "사업개요", PF_TEXT, NULL, 4000, false},
    {"evidence", "확인지표", PF_TEXT, NULL, 1000, false},
    {"first_quarter", "시작 분기", PF_QUARTER, NULL, 0, true},
    {"last_quarter", "종료 분기", PF_QUARTER, NULL, 0, true},
};

static const char *pf_value(const struct program_input *in, size_t i)
{
	const char *const v[] = {in->name,          in->nature,      in->term,
	                         in->funding,       in->status,      in->completed_year,
	                         in->central_help,  in->owner,       in->department,
	                         in->final_goal,    in->overview,    in->evidence,
	                         in->first_quarter, in->last_quarter};
	_Static_assert(BZ_ARRAY_LEN(v) == BZ_ARRAY_LEN(pfields), "one value per field");
	return v[i];
}

static void pf_check(const struct program_input *in, json_t *fields)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(pfields); i++) {
		const struct pf *f = &pfields[i];
		const char *v = pf_value(in, i);
		if (v == NULL)
			continue;
		char msg[160];
		if (f->required && blank(v)) {
			snprintf(msg, sizeof(msg), "%s을(를) 입력해 주세요.", f->label);
			field_err(fields, f->column, msg);
			continue;
		}
		switch (f->kind) {
		case PF_TEXT:
			if (!text_ok(v, f->max)) {
				snprintf(msg, sizeof(msg), "%s은(는) %zu자 이내로 적어 주세요.",
				         f->label, f->max);
				field_err(fields, f->column, msg);
			}
			break;
		case PF_VOCAB:
			if (program_label(f->vocab, v) == NULL)
				field_err(fields, f->column, "목록에서 골라 주세요.");
			break;
		case PF_YEAR:
			if (*v) {
				char *end;
				long y = strtol(v, &end, 10);
				if (*end || y < 2000 || y > 2100)
					field_err(fields, f->column,
					          "완료시기는 2000~2100 사이의 연도(예: 2022)로 "
					          "적어 주세요.");
			}
			break;
		case PF_QUARTER:
			if (!quarter_text_ok(v))
				field_err(fields, f->column,
				          "분기는 2022-Q3 형식으로 적어 주세요.");
			break;
		}
	}
	if (in->first_quarter && in->last_quarter && quarter_text_ok(in->first_quarter) &&
	    quarter_text_ok(in->last_quarter) && strcmp(in->last_quarter, in->first_quarter) < 0)
		field_err(fields, "last_quarter", "종료 분기가 시작 분기보다 앞설 수 없습니다.");
}

static bz_rc set_column(struct db *db, int64_t id, const char *column, const char *value, bool year)
{
	/* column comes from pfields only: never from input. */
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE program SET %s = ? WHERE id = ?", column);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return db_rc(db, sqlite3_errcode(db_handle(db)), "prepare program update");
	if (year && (value == NULL || *value == '\0'))
		sqlite3_bind_null(st, 1);
	else if (year)
		sqlite3_bind_int64(st, 1, strtoll(value, NULL, 10));
	else
		sqlite3_bind_text(st, 1, value ? value : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return db_rc(db, rc, "program update");
}

bz_rc program_create(struct db *db, const struct user *actor, const char *code,
                     const struct program_input *in, json_t *fields, int64_t *id_out)
{
	bool code_ok = code && strlen(code) >= 1 && strlen(code) <= 30;
	for (const char *p = code; code_ok && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			code_ok = false;
	if (!code_ok)
		field_err(fields, "code", "사업 코드는 영문 소문자·숫자·_ - 로 1~30자여야 합니다.");
	if (in->name == NULL)
		field_err(fields, "name", "사업명을 입력해 주세요.");
	if (in->first_quarter == NULL || in->last_quarter == NULL)
		field_err(fields, "first_quarter", "시작·종료 분기를 입력해 주세요.");
	pf_check(in, fields);
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_CODE_TAKEN);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, code);
	bool taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (taken) {
		field_err(fields, "code", "이미 있는 사업 코드입니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	if ((rc = prepare(db, SQL_PROGRAM_INSERT, &st)) != BZ_OK)
		goto out;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->first_quarter);
	db_bind_text(st, 4, in->last_quarter);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, now);
	if ((rc = step_done(db, st, "program insert")) != BZ_OK)
		goto out;
	int64_t id = db_last_id(db);
	for (size_t i = 0; i < BZ_ARRAY_LEN(pfields); i++) {
		const char *v = pf_value(in, i);
		if (v == NULL || i == 0 || i >= 12)
			continue;
		if ((rc = set_column(db, id, pfields[i].column, v, pfields[i].kind == PF_YEAR)) !=
		    BZ_OK)
			goto out;
	}
	if ((rc = event(db, id, now, actor, "program", id, "create", NULL, NULL, in->name, NULL)) !=
	    BZ_OK)
		goto out;
	rc = db_commit(db);
	if (rc == BZ_OK && id_out)
		*id_out = id;
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc program_update(struct db *db, const struct user *actor, int64_t id, int64_t version,
                     const struct program_input *in, json_t *fields)
{
	pf_check(in, fields);
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *cur = NULL;
	if ((rc = program_get(db, id, &cur)) != BZ_OK)
		goto out;
	if (json_integer_value(json_object_get(cur, "version")) != version) {
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	int changed = 0;
	for (size_t i = 0; i < BZ_ARRAY_LEN(pfields); i++) {
		const char *v = pf_value(in, i);
		if (v == NULL)
			continue;
		json_t *o = json_object_get(cur, pfields[i].column);
		char old[64] = "";
		const char *oldv = old;
		if (json_is_integer(o))
			snprintf(old, sizeof(old), "%lld", (long long)json_integer_value(o));
		else if (json_is_string(o))
			oldv = json_string_value(o);
		if (strcmp(oldv, v) == 0)
			continue;
		if ((rc = set_column(db, id, pfields[i].column, v, pfields[i].kind == PF_YEAR)) !=
		    BZ_OK)
			goto out;
		if ((rc = event(db, id, now, actor, "program", id, "update", pfields[i].column,
		                oldv, v, NULL)) != BZ_OK)
			goto out;
		changed++;
	}
	if (changed) {
		sqlite3_stmt *st = db_stmt(db, SQL_PROGRAM_TOUCH);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto out;
		}
		db_bind_text(st, 1, now);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, version);
		if ((rc = step_done(db, st, "program touch")) != BZ_OK)
			goto out;
	}
	rc = db_commit(db);
out:
	json_decref(cur);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc program_contact_save(struct db *db, const struct user *actor, int64_t program_id,
                           int64_t contact_id, const char *title, const char *name,
                           const char *phone, bool retire, json_t *fields)
{
	if (!retire) {
		if (blank(title) || !text_ok(title, 50))
			field_err(fields, "title", "직위를 50자 이내로 입력해 주세요.");
		if (blank(name) || !text_ok(name, 50))
			field_err(fields, "name", "이름을 50자 이내로 입력해 주세요.");
		bool ph = phone != NULL && strlen(phone) <= 20;
		for (const char *p = phone; ph && *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == ' '))
				ph = false;
		if (!ph)
			field_err(fields, "phone",
			          "전화(내선)는 숫자와 - 로 20자 이내로 적어 주세요.");
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	char old[256] = "", nw[256] = "";
	sqlite3_stmt *st;
	if ((rc = child_open(db, program_id, contact_id, retire, SQL_CONTACT_GET, &st)) != BZ_OK)
		goto out;
	if (st) {
		snprintf(old, sizeof(old), "%s %s ☎%s", col(st, 0), col(st, 1), col(st, 2));
		sqlite3_reset(st);
	}
	if (!retire)
		snprintf(nw, sizeof(nw), "%s %s ☎%s", title, name, phone);
	if (retire) {
		if ((rc = retire_stmt(db, SQL_CONTACT_RETIRE, now, contact_id, &st)) != BZ_OK)
			goto out;
	} else if (contact_id > 0) {
		if ((rc = prepare(db, SQL_CONTACT_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_text(st, 1, title);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, phone);
		db_bind_int(st, 4, contact_id);
	} else {
		if ((rc = prepare(db, SQL_CONTACT_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_text(st, 2, title);
		db_bind_text(st, 3, name);
		db_bind_text(st, 4, phone);
		db_bind_int(st, 5, program_id);
	}
	if ((rc = child_close(db, st, "contact save", actor, program_id, now, "contact",
	                      &contact_id, retire, "contact", old, nw[0] ? nw : NULL)) != BZ_OK)
		goto out;
	if ((rc = touch_program(db, program_id, now)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

static const char *object_label(const char *o)
{
	static const char *const m[][2] = {
	    {"program", "사업 정보"},
	    {"contact", "추진부서"},
	    {"target", "목표"},
	    {"budget_line", "예산"},
	    {"budget_execution", "집행"},
	    {"roadmap_task", "로드맵"},
	    {"self_assessment", "자체 점검"},
	    {"next_plan", "향후 계획"},
	    {"snapshot", "카드 게시"},
	    {"signoff", "분기 확인"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(m); i++)
		if (strcmp(m[i][0], o) == 0)
			return m[i][1];
	return o;
}

bz_rc program_events(struct db *db, int64_t program_id, const char *object, int64_t object_id,
                     int limit, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENTS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, object);
	db_bind_int(st, 3, object_id);
	db_bind_int(st, 4, limit > 0 ? limit : 100);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(col(st, 0), kst, sizeof(kst));
		json_array_append_new(
		    a,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "at",
		              col(st, 0), "at_kst", kst, "actor", col(st, 1), "object", col(st, 2),
		              "object_label", object_label(col(st, 2)), "kind", col(st, 3), "field",
		              col(st, 4), "old", col(st, 5), "new", col(st, 6), "note", col(st, 7),
		              "object_id", (json_int_t)sqlite3_column_int64(st, 8)));
	}
	return rows_done(db, st, rc, "program events", a, out);
}

/* ------------------------------------------------------------- targets -- */

bool target_period_bounds(const char *period, char *first, char *last)
{
	if (period == NULL)
		return false;
	size_t n = strlen(period);
	if (n != 4 && n != 7)
		return false;
	for (int i = 0; i < 4; i++)
		if (period[i] < '0' || period[i] > '9')
			return false;
	int y = atoi(period);
	if (y < 2000 || y > 2100)
		return false;
	int m = 12;
	if (n == 7) {
		if (period[4] != '-' || period[5] < '0' || period[5] > '1' || period[6] < '0' ||
		    period[6] > '9')
			return false;
		m = (period[5] - '0') * 10 + (period[6] - '0');
		if (m < 1 || m > 12)
			return false;
	}
	date_format(date_from_ymd(y, 1, 1), first, DATE_TEXT_SIZE);
	date_format(date_from_ymd(y, m, date_days_in_month(y, m)), last, DATE_TEXT_SIZE);
	return true;
}

void target_period_label(const char *period, char *out, size_t outlen)
{
	if (period && strlen(period) == 7)
		snprintf(out, outlen, "%.4s년 %d월", period, atoi(period + 5));
	else
		snprintf(out, outlen, "%s년", period ? period : "");
}

bz_rc cases_done_between(struct db *db, const char *first, const char *last, int64_t *out)
{
	/* one definition, shared with the case list the targets link to */
	return case_count_done(db, first, last, out);
}

bz_rc target_list(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TARGETS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char first[DATE_TEXT_SIZE] = "", last[DATE_TEXT_SIZE] = "", label[32];
		const char *period = col(st, 3);
		target_period_bounds(period, first, last);
		target_period_label(period, label, sizeof(label));
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I}", "id",
		                 (json_int_t)sqlite3_column_int64(st, 0), "indicator", col(st, 1),
		                 "metric", col(st, 2), "period", period, "period_label", label,
		                 "first", first, "last", last, "value",
		                 (json_int_t)sqlite3_column_int64(st, 4), "unit", col(st, 5),
		                 "version", (json_int_t)sqlite3_column_int64(st, 6)));
	}
	bz_rc r = rows_done(db, st, rc, "targets", a, &a);
	if (r != BZ_OK)
		return r;
	size_t i;
	json_t *t;
	json_array_foreach(a, i, t)
	{
		const char *metric = json_string_value(json_object_get(t, "metric"));
		int64_t value = json_integer_value(json_object_get(t, "value"));
		if (strcmp(metric, "cases_done") != 0) {
			json_object_set_new(t, "actual", json_null());
			json_object_set_new(t, "actual_text", json_string("–"));
			json_object_set_new(t, "achievement", rate_json(rate_achievement(0, 0)));
			continue;
		}
		const char *first = json_string_value(json_object_get(t, "first"));
		const char *last = json_string_value(json_object_get(t, "last"));
		int64_t actual = 0;
		if ((r = cases_done_between(db, first, last, &actual)) != BZ_OK) {
			json_decref(a);
			return r;
		}
		char txt[32], href[160];
		snprintf(txt, sizeof(txt), "%lld", (long long)actual);
		snprintf(href, sizeof(href), "/cases?status=done&closed_from=%s&closed_to=%s",
		         first, last);
		json_object_set_new(t, "actual", json_integer(actual));
		json_object_set_new(t, "actual_text", json_string(txt));
		json_object_set_new(t, "achievement", rate_json(rate_achievement(actual, value)));
		json_object_set_new(t, "cases_href", json_string(href));
	}
	*out = a;
	return BZ_OK;
}

static bool parse_count(const char *s, int64_t *out)
{
	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return false;
	int64_t v = 0;
	for (; *s && *s != ' '; s++) {
		if (*s == ',')
			continue;
		if (*s < '0' || *s > '9' || v > 100000000)
			return false;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	if (*s)
		return false;
	*out = v;
	return true;
}

bz_rc target_save(struct db *db, const struct user *actor, int64_t program_id,
                  const char *indicator, const char *period, const char *value_text, json_t *fields)
{
	char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
	int64_t value = 0;
	if (blank(indicator) || !text_ok(indicator, 100))
		field_err(fields, "indicator", "지표명을 100자 이내로 입력해 주세요.");
	if (!target_period_bounds(period, first, last))
		field_err(fields, "period",
		          "기간은 2024 (연도) 또는 2026-06 (그 해 1월부터 그 달까지) "
		          "형식으로 적어 주세요.");
	if (!parse_count(value_text, &value))
		field_err(fields, "value", "목표는 0 이상의 정수로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24], ov[32] = "", nv[32];
	db_now_utc(now);
	snprintf(nv, sizeof(nv), "%lld", (long long)value);
	int64_t id = 0;
	sqlite3_stmt *st;
	if (!program_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = prepare(db, SQL_TARGET_FIND, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, indicator);
	db_bind_text(st, 3, period);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(ov, sizeof(ov), "%lld", (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	if (id && strcmp(ov, nv) == 0) {
		rc = db_commit(db);
		goto out;
	}
	if (id) {
		if ((rc = prepare(db, SQL_TARGET_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, value);
		db_bind_int(st, 2, id);
	} else {
		if ((rc = prepare(db, SQL_TARGET_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_text(st, 2, indicator);
		db_bind_text(st, 3, strstr(indicator, "처리") ? "cases_done" : "manual");
		db_bind_text(st, 4, period);
		db_bind_int(st, 5, value);
	}
	if ((rc = step_done(db, st, "target save")) != BZ_OK)
		goto out;
	if (!id)
		id = db_last_id(db);
	char field[160];
	snprintf(field, sizeof(field), "%s %s", indicator, period);
	if ((rc = event(db, program_id, now, actor, "target", id, ov[0] ? "update" : "create",
	                field, ov[0] ? ov : NULL, nv, NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc target_retire(struct db *db, const struct user *actor, int64_t target_id)
{
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_TARGET_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, target_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	int64_t program_id = sqlite3_column_int64(st, 0);
	char field[160], ov[32];
	snprintf(field, sizeof(field), "%s %s", col(st, 1), col(st, 2));
	snprintf(ov, sizeof(ov), "%lld", (long long)sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	char now[24];
	db_now_utc(now);
	if ((rc = retire_stmt(db, SQL_TARGET_RETIRE, now, target_id, &st)) != BZ_OK)
		goto out;
	if ((rc = step_done(db, st, "target retire")) != BZ_OK)
		goto out;
	if ((rc = event(db, program_id, now, actor, "target", target_id, "retire", field, ov, NULL,
	                NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* -------------------------------------------------------------- budget -- */

bz_rc budget_lines(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LINES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t planned = sqlite3_column_int64(st, 3),
		        secured = sqlite3_column_int64(st, 4),
		        executed = sqlite3_column_int64(st, 6), remaining = 0;
		const char *src = col(st, 2);
		const char *sl = program_label("source", src);
		json_t *o = json_pack(
		    "{s:I, s:i, s:s, s:s, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "year", sqlite3_column_int(st, 1), "source", src, "source_label", sl ? sl : src,
		    "version", (json_int_t)sqlite3_column_int64(st, 5));
		won_json(o, "planned", planned);
		won_json(o, "secured", secured);
		won_json(o, "executed", executed);
		if (money_sub(secured, executed, &remaining) != BZ_OK)
			remaining = 0;
		won_json(o, "remaining", remaining);
		json_object_set_new(o, "secure_rate", rate_json(rate_tenths(secured, planned)));
		json_object_set_new(o, "exec_rate", rate_json(rate_tenths(executed, secured)));
		json_object_set_new(o, "over", json_boolean(executed > secured));
		json_array_append_new(a, o);
	}
	return rows_done(db, st, rc, "budget lines", a, out);
}

static bool parse_year(const char *s, int *out)
{
	if (s == NULL || strlen(s) != 4)
		return false;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	int y = atoi(s);
	if (y < 2000 || y > 2100)
		return false;
	*out = y;
	return true;
}

bz_rc budget_line_save(struct db *db, const struct user *actor, int64_t program_id,
                       const char *year_text, const char *source, const char *planned_text,
                       const char *secured_text, json_t *fields)
{
	int year = 0;
	int64_t planned = 0, secured = 0;
	const char *msg = NULL;
	if (!parse_year(year_text, &year))
		field_err(fields, "year", "연도는 2000~2100 사이의 네 자리 숫자로 적어 주세요.");
	if (program_label("source", source) == NULL)
		field_err(fields, "source", "재원을 골라 주세요.");
	if (money_parse_won(planned_text, false, &planned, &msg) != BZ_OK)
		field_err(fields, "planned", msg ? msg : "계획액을 원 단위로 적어 주세요.");
	msg = NULL;
	if (money_parse_won(secured_text, false, &secured, &msg) != BZ_OK)
		field_err(fields, "secured", msg ? msg : "확보액을 원 단위로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st;
	int64_t id = 0, op = 0, os = 0;
	if (!program_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = prepare(db, SQL_LINE_FIND, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_text(st, 3, source);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		op = sqlite3_column_int64(st, 1);
		os = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (id && op == planned && os == secured) {
		rc = db_commit(db);
		goto out;
	}
	if (id) {
		if ((rc = prepare(db, SQL_LINE_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, planned);
		db_bind_int(st, 2, secured);
		db_bind_text(st, 3, now);
		db_bind_int(st, 4, id);
	} else {
		if ((rc = prepare(db, SQL_LINE_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_int(st, 2, year);
		db_bind_text(st, 3, source);
		db_bind_int(st, 4, planned);
		db_bind_int(st, 5, secured);
		db_bind_text(st, 6, now);
		db_bind_text(st, 7, now);
	}
	if ((rc = step_done(db, st, "budget line save")) != BZ_OK)
		goto out;
	bool created = id == 0;
	if (created)
		id = db_last_id(db);
	char f[64];
	snprintf(f, sizeof(f), "%d %s", year, program_label("source", source));
	char a[MONEY_TEXT_SIZE], b[MONEY_TEXT_SIZE];
	if (created || op != planned) {
		char fp[96];
		snprintf(fp, sizeof(fp), "%s 계획", f);
		money_format_won(op, a, sizeof(a));
		money_format_won(planned, b, sizeof(b));
		if ((rc = event(db, program_id, now, actor, "budget_line", id,
		                created ? "create" : "update", fp, created ? NULL : a, b, NULL)) !=
		    BZ_OK)
			goto out;
	}
	if (created || os != secured) {
		char fs[96];
		snprintf(fs, sizeof(fs), "%s 확보", f);
		money_format_won(os, a, sizeof(a));
		money_format_won(secured, b, sizeof(b));
		if ((rc = event(db, program_id, now, actor, "budget_line", id,
		                created ? "create" : "update", fs, created ? NULL : a, b, NULL)) !=
		    BZ_OK)
			goto out;
	}
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc budget_execute(struct db *db, const struct user *actor, int64_t program_id,
                     const struct execution_input *in, json_t *fields, int64_t *id_out)
{
	int64_t amount = 0, grant_id = 0;
	int32_t day;
	const char *msg = NULL;
	if (date_parse(in->executed_on, &day, &msg) != BZ_OK)
		field_err(fields, "executed_on", msg ? msg : "집행일을 YYYY-MM-DD로 적어 주세요.");
	msg = NULL;
	if (money_parse_won(in->amount, true, &amount, &msg) != BZ_OK)
		field_err(fields, "amount", msg ? msg : "집행액을 원 단위로 적어 주세요.");
	else if (amount == 0)
		field_err(fields, "amount", "0원은 집행으로 기록할 수 없습니다.");
	if (!text_ok(in->memo, 500))
		field_err(fields, "memo", "내용은 500자 이내로 적어 주세요.");
	if (in->grant_id && *in->grant_id) {
		char *end;
		grant_id = strtoll(in->grant_id, &end, 10);
		if (*end || grant_id <= 0)
			field_err(fields, "grant_id", "지원사업 번호가 올바르지 않습니다.");
	}
	if (in->line_id <= 0)
		field_err(fields, "line_id", "예산(연도·재원)을 골라 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_LINE_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, in->line_id);
	db_bind_int(st, 2, program_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		field_err(fields, "line_id", "그런 예산(연도·재원)이 없습니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	int year = sqlite3_column_int(st, 0);
	char src[16];
	bz_strlcpy(src, col(st, 1), sizeof(src));
	int64_t secured = sqlite3_column_int64(st, 2), executed = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	if (grant_id > 0) {
		if ((rc = prepare(db, SQL_GRANT_EXISTS, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, grant_id);
		bool found = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (!found) {
			field_err(fields, "grant_id", "그런 지원사업이 없습니다.");
			rc = BZ_ERR_INVALID;
			goto out;
		}
	}
	int64_t after = 0;
	if (money_add(executed, amount, &after) != BZ_OK) {
		field_err(fields, "amount", "금액이 너무 큽니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if (after < 0) {
		field_err(fields, "amount",
		          "정정(음수) 집행으로 집행액 합계가 0원 아래가 될 수는 없습니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	const char *reason = NULL;
	if (amount > 0 && after > secured) {
		char s[MONEY_TEXT_SIZE], e[MONEY_TEXT_SIZE], m[320];
		money_format_won(secured, s, sizeof(s));
		money_format_won(after, e, sizeof(e));
		bool leader = actor && (actor->role & ROLE_LEADER);
		if (!leader || !in->confirm_over || blank(in->over_reason) ||
		    !text_ok(in->over_reason, 500)) {
			snprintf(m, sizeof(m),
			         "확보액(%s원)보다 많이 집행하게 됩니다(집행 후 %s원). 팀장이 초과 "
			         "집행을 확인하고 사유를 적어야 기록할 수 있습니다.",
			         s, e);
			field_err(fields, "amount", m);
			if (!leader)
				field_err(fields, "over_reason",
				          "확보액 초과 집행은 팀장만 확인할 수 있습니다.");
			else if (!in->confirm_over)
				field_err(fields, "over_reason",
				          "‘확보액 초과 집행을 확인합니다’에 표시하고 사유를 적어 "
				          "주세요.");
			else
				field_err(fields, "over_reason",
				          "초과 집행 사유를 500자 이내로 적어 주세요.");
			rc = BZ_ERR_CONFLICT;
			goto out;
		}
		reason = in->over_reason;
	}
	char now[24];
	db_now_utc(now);
	if ((rc = prepare(db, SQL_EXEC_INSERT, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, in->line_id);
	db_bind_text(st, 2, in->executed_on);
	db_bind_int(st, 3, amount);
	db_bind_text(st, 4, in->memo ? in->memo : "");
	if (grant_id > 0)
		db_bind_int(st, 5, grant_id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, reason);
	if (actor && actor->id > 0)
		db_bind_int(st, 7, actor->id);
	else
		sqlite3_bind_null(st, 7);
	db_bind_text(st, 8, now);
	if ((rc = step_done(db, st, "execution insert")) != BZ_OK)
		goto out;
	int64_t id = db_last_id(db);
	char f[64], a[MONEY_TEXT_SIZE];
	snprintf(f, sizeof(f), "%d %s %s", year, program_label("source", src), in->executed_on);
	money_format_won(amount, a, sizeof(a));
	if ((rc = event(db, program_id, now, actor, "budget_execution", id,
	                reason ? "create_over" : "create", f, NULL, a, reason)) != BZ_OK)
		goto out;
	rc = db_commit(db);
	if (rc == BZ_OK && id_out)
		*id_out = id;
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc budget_execution_retire(struct db *db, const struct user *actor, int64_t program_id,
                              int64_t execution_id, const char *reason, json_t *fields)
{
	if (blank(reason) || !text_ok(reason, 500)) {
		field_err(fields, "reason", "취소 사유를 500자 이내로 적어 주세요.");
		return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st;
	if ((rc = program_row(db, SQL_EXEC_GET, execution_id, program_id, &st)) != BZ_OK)
		goto out;
	char a[MONEY_TEXT_SIZE], on[DATE_TEXT_SIZE];
	money_format_won(sqlite3_column_int64(st, 0), a, sizeof(a));
	bz_strlcpy(on, col(st, 1), sizeof(on));
	sqlite3_reset(st);
	char now[24];
	db_now_utc(now);
	if ((rc = retire_stmt(db, SQL_EXEC_RETIRE, now, execution_id, &st)) != BZ_OK)
		goto out;
	if ((rc = step_done(db, st, "execution retire")) != BZ_OK)
		goto out;
	if ((rc = event(db, program_id, now, actor, "budget_execution", execution_id, "retire", on,
	                a, NULL, reason)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc budget_executions(struct db *db, int64_t program_id, int year, int limit, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EXECS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, limit > 0 ? limit : 100);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sl = program_label("source", col(st, 3));
		json_t *o =
		    json_pack("{s:I, s:I, s:i, s:s, s:s, s:s, s:s}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "line_id",
		              (json_int_t)sqlite3_column_int64(st, 1), "year",
		              sqlite3_column_int(st, 2), "source", col(st, 3), "source_label",
		              sl ? sl : "", "executed_on", col(st, 4), "memo", col(st, 6));
		won_json(o, "amount", sqlite3_column_int64(st, 5));
		json_object_set_new(o, "grant_id",
		                    sqlite3_column_type(st, 7) == SQLITE_NULL
		                        ? json_null()
		                        : json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(o, "over_reason",
		                    sqlite3_column_type(st, 8) == SQLITE_NULL
		                        ? json_null()
		                        : json_string(col(st, 8)));
		json_array_append_new(a, o);
	}
	return rows_done(db, st, rc, "executions", a, out);
}

/* ------------------------------------------------------------- roadmap -- */

bz_rc roadmap_tasks(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TASKS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *l = program_label("task_status", col(st, 5));
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "title",
		                                   col(st, 1), "first_quarter", col(st, 2),
		                                   "last_quarter", col(st, 3), "beyond_term",
		                                   sqlite3_column_int(st, 4), "status", col(st, 5),
		                                   "status_label", l ? l : ""));
	}
	return rows_done(db, st, rc, "roadmap", a, out);
}

bz_rc roadmap_task_save(struct db *db, const struct user *actor, int64_t program_id,
                        int64_t task_id, const char *title, const char *first_quarter,
                        const char *last_quarter, bool beyond_term, const char *status, bool retire,
                        json_t *fields)
{
	if (!retire) {
		if (blank(title) || !text_ok(title, 200))
			field_err(fields, "title", "과제명을 200자 이내로 입력해 주세요.");
		if (!quarter_text_ok(first_quarter))
			field_err(fields, "first_quarter",
			          "시작 분기를 2022-Q3 형식으로 적어 주세요.");
		if (!quarter_text_ok(last_quarter))
			field_err(fields, "last_quarter",
			          "종료 분기를 2026-Q2 형식으로 적어 주세요.");
		else if (quarter_text_ok(first_quarter) && strcmp(last_quarter, first_quarter) < 0)
			field_err(fields, "last_quarter",
			          "종료 분기가 시작 분기보다 앞설 수 없습니다.");
		if (program_label("task_status", status) == NULL)
			field_err(fields, "status", "진행 상태를 골라 주세요.");
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24], old[320] = "", nw[320] = "";
	db_now_utc(now);
	sqlite3_stmt *st;
	if ((rc = child_open(db, program_id, task_id, retire, SQL_TASK_GET, &st)) != BZ_OK)
		goto out;
	if (st) {
		snprintf(old, sizeof(old), "%s (%s ~ %s%s, %s)", col(st, 0), col(st, 1), col(st, 2),
		         sqlite3_column_int(st, 3) ? ", 임기후" : "",
		         program_label("task_status", col(st, 4)));
		sqlite3_reset(st);
	}
	if (!retire)
		snprintf(nw, sizeof(nw), "%s (%s ~ %s%s, %s)", title, first_quarter, last_quarter,
		         beyond_term ? ", 임기후" : "", program_label("task_status", status));
	if (retire) {
		if ((rc = retire_stmt(db, SQL_TASK_RETIRE, now, task_id, &st)) != BZ_OK)
			goto out;
	} else if (task_id > 0) {
		if (strcmp(old, nw) == 0) {
			rc = db_commit(db);
			goto out;
		}
		if ((rc = prepare(db, SQL_TASK_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_text(st, 1, title);
		db_bind_text(st, 2, first_quarter);
		db_bind_text(st, 3, last_quarter);
		db_bind_int(st, 4, beyond_term);
		db_bind_text(st, 5, status);
		db_bind_int(st, 6, task_id);
	} else {
		if ((rc = prepare(db, SQL_TASK_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_text(st, 2, title);
		db_bind_text(st, 3, first_quarter);
		db_bind_text(st, 4, last_quarter);
		db_bind_int(st, 5, beyond_term);
		db_bind_text(st, 6, status);
	}
	if ((rc = child_close(db, st, "roadmap save", actor, program_id, now, "roadmap_task",
	                      &task_id, retire, "task", old, nw[0] ? nw : NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* ----------------------------------------------------- self-assessment -- */

bz_rc self_assessment(struct db *db, int64_t program_id, int year, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SA_YEARS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *years = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(years, json_integer(sqlite3_column_int(st, 0)));
	sqlite3_reset(st);
	if (year <= 0)
		year =
		    json_array_size(years) ? (int)json_integer_value(json_array_get(years, 0)) : 0;
	json_t *o = json_pack("{s:o, s:i, s:[], s:[], s:b}", "years", years, "year", year,
	                      "went_well", "improvement", "many_years", json_array_size(years) > 1);
	st = db_stmt(db, SQL_SA_ITEMS);
	if (st == NULL) {
		json_decref(o);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *list = json_object_get(o, col(st, 1));
		if (list == NULL)
			continue;
		int64_t id = sqlite3_column_int64(st, 0), parent = sqlite3_column_int64(st, 2);
		json_t *item = json_pack("{s:I, s:s, s:s, s:[]}", "id", (json_int_t)id, "body",
		                         col(st, 3), "kind", col(st, 1), "subs");
		if (parent == 0) {
			json_array_append_new(list, item);
			continue;
		}
		size_t i;
		json_t *p;
		bool placed = false;
		json_array_foreach(list, i, p)
		{
			if (json_integer_value(json_object_get(p, "id")) == parent) {
				json_array_append_new(json_object_get(p, "subs"), item);
				json_object_set_new(p, "has_subs", json_true());
				placed = true;
				break;
			}
		}
		if (!placed)
			json_array_append_new(list, item);
	}
	return rows_done(db, st, rc, "self assessment", o, out);
}

bz_rc self_assessment_save(struct db *db, const struct user *actor, int64_t program_id,
                           int64_t item_id, int year, const char *kind, int64_t parent_id,
                           const char *body, bool retire, json_t *fields)
{
	if (!retire) {
		if (blank(body) || !text_ok(body, 500))
			field_err(fields, "body", "내용을 500자 이내로 입력해 주세요.");
		if (item_id <= 0) {
			if (year < 2000 || year > 2100)
				field_err(fields, "year", "연도를 골라 주세요.");
			if (program_label("sa_kind", kind) == NULL)
				field_err(fields, "kind", "잘된 점 또는 개선계획을 골라 주세요.");
		}
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24], old[600] = "";
	db_now_utc(now);
	sqlite3_stmt *st;
	if ((rc = child_open(db, program_id, item_id, retire, SQL_SA_GET, &st)) != BZ_OK)
		goto out;
	if (st) {
		bz_strlcpy(old, col(st, 3), sizeof(old));
		sqlite3_reset(st);
	}
	if (parent_id > 0 && item_id <= 0) {
		if ((rc = prepare(db, SQL_SA_GET, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, parent_id);
		db_bind_int(st, 2, program_id);
		bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == year &&
		          strcmp(col(st, 1), kind) == 0 && sqlite3_column_int64(st, 2) == 0;
		sqlite3_reset(st);
		if (!ok) {
			field_err(fields, "parent_id", "상위 항목이 올바르지 않습니다.");
			rc = BZ_ERR_INVALID;
			goto out;
		}
	}
	if (retire) {
		if ((rc = retire_stmt(db, SQL_SA_RETIRE, now, item_id, &st)) != BZ_OK)
			goto out;
	} else if (item_id > 0) {
		if (strcmp(old, body) == 0) {
			rc = db_commit(db);
			goto out;
		}
		if ((rc = prepare(db, SQL_SA_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_text(st, 1, body);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, item_id);
	} else {
		if ((rc = prepare(db, SQL_SA_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_int(st, 2, year);
		db_bind_text(st, 3, kind);
		if (parent_id > 0)
			db_bind_int(st, 4, parent_id);
		else
			sqlite3_bind_null(st, 4);
		db_bind_text(st, 5, body);
		db_bind_text(st, 6, now);
	}
	if ((rc = child_close(db, st, "self assessment save", actor, program_id, now,
	                      "self_assessment", &item_id, retire, kind, old,
	                      retire ? NULL : body)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* ---------------------------------------------------------- next plans -- */

bz_rc next_plans(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PLANS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a,
		                      json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		                                (json_int_t)sqlite3_column_int64(st, 0),
		                                "period_label", col(st, 1), "starts_on", col(st, 2),
		                                "ends_on", col(st, 3), "plan", col(st, 4)));
	return rows_done(db, st, rc, "next plans", a, out);
}

bz_rc next_plan_save(struct db *db, const struct user *actor, int64_t program_id, int64_t plan_id,
                     const char *period_label, const char *starts_on, const char *ends_on,
                     const char *plan, bool retire, json_t *fields)
{
	if (!retire) {
		int32_t a = 0, b = 0;
		const char *msg = NULL;
		if (blank(period_label) || !text_ok(period_label, 50))
			field_err(fields, "period_label", "기간 표기를 50자 이내로 입력해 주세요.");
		if (date_parse(starts_on, &a, &msg) != BZ_OK)
			field_err(fields, "starts_on", msg ? msg : "시작일을 확인해 주세요.");
		msg = NULL;
		if (date_parse(ends_on, &b, &msg) != BZ_OK)
			field_err(fields, "ends_on", msg ? msg : "종료일을 확인해 주세요.");
		else if (a && b < a)
			field_err(fields, "ends_on", "종료일이 시작일보다 앞설 수 없습니다.");
		if (blank(plan) || !text_ok(plan, 1000))
			field_err(fields, "plan", "계획을 1000자 이내로 입력해 주세요.");
		if (json_object_size(fields))
			return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24], old[1200] = "", nw[1200] = "";
	db_now_utc(now);
	sqlite3_stmt *st;
	if ((rc = child_open(db, program_id, plan_id, retire, SQL_PLAN_GET, &st)) != BZ_OK)
		goto out;
	if (st) {
		snprintf(old, sizeof(old), "%s : %s", col(st, 0), col(st, 3));
		sqlite3_reset(st);
	}
	if (!retire)
		snprintf(nw, sizeof(nw), "%s : %s", period_label, plan);
	if (retire) {
		if ((rc = retire_stmt(db, SQL_PLAN_RETIRE, now, plan_id, &st)) != BZ_OK)
			goto out;
	} else if (plan_id > 0) {
		if ((rc = prepare(db, SQL_PLAN_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_text(st, 1, period_label);
		db_bind_text(st, 2, starts_on);
		db_bind_text(st, 3, ends_on);
		db_bind_text(st, 4, plan);
		db_bind_int(st, 5, plan_id);
	} else {
		if ((rc = prepare(db, SQL_PLAN_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_text(st, 2, period_label);
		db_bind_text(st, 3, starts_on);
		db_bind_text(st, 4, ends_on);
		db_bind_text(st, 5, plan);
	}
	if ((rc = child_close(db, st, "next plan save", actor, program_id, now, "next_plan",
	                      &plan_id, retire, "plan", old, nw[0] ? nw : NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* ----------------------------------------------- snapshots, sign-offs -- */

bz_rc card_snapshot_publish(struct db *db, const struct user *actor, int64_t program_id, int year,
                            int quarter, json_t *model, int64_t *id_out)
{
	char *text = json_dumps(model, JSON_COMPACT);
	if (text == NULL)
		return BZ_ERR_NOMEM;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK) {
		free(text);
		return rc;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_SNAP_EXISTS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	bool exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (exists) {
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	if ((rc = prepare(db, SQL_SNAP_INSERT, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	db_bind_text(st, 4, now);
	if (actor && actor->id > 0)
		db_bind_int(st, 5, actor->id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, text);
	if ((rc = step_done(db, st, "snapshot insert")) != BZ_OK)
		goto out;
	int64_t id = db_last_id(db);
	char q[16];
	snprintf(q, sizeof(q), "%d-Q%d", year, quarter);
	if ((rc = event(db, program_id, now, actor, "snapshot", id, "publish", "quarter", NULL, q,
	                NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
	if (rc == BZ_OK && id_out)
		*id_out = id;
out:
	free(text);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc card_snapshots(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SNAPS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char kst[32], label[32];
		fmt_instant_kst(col(st, 3), kst, sizeof(kst));
		snprintf(label, sizeof(label), "%d년 %d분기", sqlite3_column_int(st, 1),
		         sqlite3_column_int(st, 2));
		json_array_append_new(a, json_pack("{s:I, s:i, s:i, s:s, s:s, s:s, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "year",
		                                   sqlite3_column_int(st, 1), "quarter",
		                                   sqlite3_column_int(st, 2), "label", label,
		                                   "published_at", col(st, 3), "published_kst", kst,
		                                   "published_by", col(st, 4)));
	}
	return rows_done(db, st, rc, "snapshots", a, out);
}

bz_rc card_snapshot_get(struct db *db, int64_t id, json_t **model, json_t **meta)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SNAP_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, rc, "snapshot");
	}
	json_error_t err;
	json_t *m = json_loads(col(st, 6), 0, &err);
	char kst[32], label[32];
	fmt_instant_kst(col(st, 4), kst, sizeof(kst));
	snprintf(label, sizeof(label), "%d년 %d분기", sqlite3_column_int(st, 2),
	         sqlite3_column_int(st, 3));
	json_t *md =
	    json_pack("{s:I, s:I, s:i, s:i, s:s, s:s, s:s, s:s}", "id",
	              (json_int_t)sqlite3_column_int64(st, 0), "program_id",
	              (json_int_t)sqlite3_column_int64(st, 1), "year", sqlite3_column_int(st, 2),
	              "quarter", sqlite3_column_int(st, 3), "label", label, "published_at",
	              col(st, 4), "published_kst", kst, "published_by", col(st, 5));
	sqlite3_reset(st);
	if (m == NULL) {
		json_decref(md);
		return BZ_ERR_DB;
	}
	*model = m;
	*meta = md;
	return BZ_OK;
}

bz_rc quarter_signoff(struct db *db, const struct user *actor, int64_t program_id, int year,
                      int quarter, const char *note, json_t *fields)
{
	if (year < 2000 || year > 2100 || quarter < 1 || quarter > 4)
		field_err(fields, "quarter", "연도와 분기를 확인해 주세요.");
	if (!text_ok(note, 1000))
		field_err(fields, "note", "의견은 1000자 이내로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *cur = NULL;
	if ((rc = quarter_signoff_get(db, program_id, year, quarter, &cur)) != BZ_OK)
		goto out;
	if (cur) {
		json_decref(cur);
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	if (!program_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNOFF_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	db_bind_text(st, 4, now);
	if (actor && actor->id > 0)
		db_bind_int(st, 5, actor->id);
	else
		sqlite3_bind_null(st, 5);
	db_bind_text(st, 6, note ? note : "");
	if ((rc = step_done(db, st, "signoff insert")) != BZ_OK)
		goto out;
	char q[16];
	snprintf(q, sizeof(q), "%d-Q%d", year, quarter);
	if ((rc = event(db, program_id, now, actor, "signoff", db_last_id(db), "signoff", "quarter",
	                NULL, q, note && *note ? note : NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc quarter_signoff_get(struct db *db, int64_t program_id, int year, int quarter, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNOFF_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_int(st, 3, quarter);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char kst[32];
		fmt_instant_kst(col(st, 0), kst, sizeof(kst));
		*out = json_pack("{s:s, s:s, s:s, s:s}", "signed_at", col(st, 0), "signed_kst", kst,
		                 "by", col(st, 1), "note", col(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : db_rc(db, rc, "signoff");
}
