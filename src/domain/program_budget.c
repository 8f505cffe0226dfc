/* Program budget lines and execution entries. See include/bizsos/program.h. */
#include "program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_LINES[] =
    "SELECT l.id, l.year, l.source, l.planned, l.secured, l.version,"
    " COALESCE((SELECT sum(e.amount) FROM budget_execution e"
    "   WHERE e.budget_line_id = l.id AND e.retired_at IS NULL), 0)"
    " FROM budget_line l WHERE l.program_id = ? AND l.retired_at IS NULL"
    " ORDER BY l.year, CASE l.source WHEN 'national' THEN 1 WHEN 'province' THEN 2"
    "  WHEN 'city' THEN 3 ELSE 4 END";
static const char SQL_LINE_FIND[] =
    "SELECT l.id, l.planned, l.secured, COALESCE((SELECT sum(e.amount) FROM budget_execution e"
    "   WHERE e.budget_line_id = l.id AND e.retired_at IS NULL), 0)"
    " FROM budget_line l WHERE l.program_id = ? AND l.year = ? AND l.source = ?"
    " AND l.retired_at IS NULL";
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
    " over_reason, created_by, created_at, corrects_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EXEC_GET[] =
    "SELECT e.amount, e.executed_on FROM budget_execution e JOIN budget_line l"
    " ON l.id = e.budget_line_id WHERE e.id = ? AND l.program_id = ? AND e.retired_at IS NULL";
static const char SQL_EXEC_RETIRE[] = "UPDATE budget_execution SET retired_at = ? WHERE id = ?";
static const char SQL_EXECS[] =
    "SELECT e.id, l.id, l.year, l.source, e.executed_on, e.amount, e.memo, e.grant_id,"
    " e.over_reason FROM budget_execution e JOIN budget_line l"
    " ON l.id = e.budget_line_id WHERE l.program_id = ? AND e.retired_at IS NULL"
    " AND (?2 = 0 OR l.year = ?2) ORDER BY e.executed_on DESC, e.id DESC LIMIT ?3";
/* The execution list's filter: ?1 program, ?2 year (0 any), ?3 source (NULL
 * any), ?4 line (0 any), ?5 grant (0 any), ?6 1 to include cancelled ones. */
#define EXEC_FILTER                                                                                \
	" FROM budget_execution e JOIN budget_line l ON l.id = e.budget_line_id"                   \
	" WHERE l.program_id = ?1 AND l.retired_at IS NULL AND (?2 = 0 OR l.year = ?2)"            \
	" AND (?3 IS NULL OR l.source = ?3) AND (?4 = 0 OR l.id = ?4)"                             \
	" AND (?5 = 0 OR e.grant_id = ?5) AND (?6 = 1 OR e.retired_at IS NULL)"
static const char SQL_EXEC_PAGE_SUM[] = "SELECT count(*), COALESCE(sum(CASE WHEN e.retired_at IS "
                                        "NULL THEN e.amount END), 0)" EXEC_FILTER;
static const char SQL_EXEC_PAGE[] =
    "SELECT e.id, l.id, l.year, l.source, e.executed_on, e.amount, e.memo, e.grant_id,"
    " e.over_reason, e.retired_at, e.corrects_id,"
    " (SELECT max(c.id) FROM budget_execution c WHERE c.corrects_id = e.id),"
    " (SELECT v.note FROM program_event v WHERE v.object = 'budget_execution'"
    "   AND v.object_id = e.id AND v.kind = 'retire' ORDER BY v.id DESC LIMIT 1)" EXEC_FILTER
    " ORDER BY e.executed_on DESC, e.id DESC LIMIT ?7 OFFSET ?8";
static const char SQL_GRANT_EXISTS[] = "SELECT 1 FROM improvement_grant WHERE id = ?";

/* -------------------------------------------------------------- budget -- */

bz_rc budget_lines(struct db *db, int64_t program_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LINES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int64_t planned = sqlite3_column_int64(st, 3),
		        secured = sqlite3_column_int64(st, 4),
		        executed = sqlite3_column_int64(st, 6), remaining = 0;
		const char *src = db_col_text(st, 2);
		const char *sl = program_label("source", src);
		json_t *o = json_pack(
		    "{s:I, s:i, s:s, s:s, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "year", sqlite3_column_int(st, 1), "source", src, "source_label", sl ? sl : src,
		    "version", (json_int_t)sqlite3_column_int64(st, 5));
		prog_won_json(o, "planned", planned);
		prog_won_json(o, "secured", secured);
		prog_won_json(o, "executed", executed);
		if (money_sub(secured, executed, &remaining) != BZ_OK)
			remaining = 0;
		prog_won_json(o, "remaining", remaining);
		json_object_set_new(o, "secure_rate",
		                    prog_rate_json(rate_tenths(secured, planned)));
		json_object_set_new(o, "exec_rate", prog_rate_json(rate_tenths(executed, secured)));
		json_object_set_new(o, "over", json_boolean(executed > secured));
		json_array_append_new(a, o);
	}
	return db_rows_json(db, st, rc, "budget lines", a, out);
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
		val_field_error(fields, "year",
		                "연도는 2000~2100 사이의 네 자리 숫자로 적어 주세요.");
	if (program_label("source", source) == NULL)
		val_field_error(fields, "source", "재원을 골라 주세요.");
	if (money_parse_won(planned_text, false, &planned, &msg) != BZ_OK)
		val_field_error(fields, "planned", msg ? msg : "계획액을 원 단위로 적어 주세요.");
	msg = NULL;
	if (money_parse_won(secured_text, false, &secured, &msg) != BZ_OK)
		val_field_error(fields, "secured", msg ? msg : "확보액을 원 단위로 적어 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st;
	int64_t id = 0, op = 0, os = 0, executed = 0;
	if (!prog_exists(db, program_id, NULL)) {
		rc = BZ_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = prog_prepare(db, SQL_LINE_FIND, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, year);
	db_bind_text(st, 3, source);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		op = sqlite3_column_int64(st, 1);
		os = sqlite3_column_int64(st, 2);
		executed = sqlite3_column_int64(st, 3);
	}
	if ((rc = db_rows_end(db, st, src == SQLITE_ROW ? SQLITE_DONE : src, "budget line")) !=
	    BZ_OK)
		goto out;
	/* Lowering the secured amount below what the line has already paid
	 * would put 집행률 over 100% with no one's confirmation, the way round
	 * that an over-secured entry is refused. */
	if (id && secured < os && secured < executed) {
		char ex[MONEY_TEXT_SIZE], msg2[200];
		money_format_won(executed, ex, sizeof(ex));
		snprintf(msg2, sizeof(msg2),
		         "이 예산에서 이미 %s원을 집행했습니다. 확보액을 그보다 적게 줄이려면 "
		         "집행 기록을 먼저 취소하거나 정정해 주세요.",
		         ex);
		val_field_error(fields, "secured", msg2);
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if (id && op == planned && os == secured) {
		rc = db_commit(db);
		goto out;
	}
	if (id) {
		if ((rc = prog_prepare(db, SQL_LINE_UPDATE, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, planned);
		db_bind_int(st, 2, secured);
		db_bind_text(st, 3, now);
		db_bind_int(st, 4, id);
	} else {
		if ((rc = prog_prepare(db, SQL_LINE_INSERT, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, program_id);
		db_bind_int(st, 2, year);
		db_bind_text(st, 3, source);
		db_bind_int(st, 4, planned);
		db_bind_int(st, 5, secured);
		db_bind_text(st, 6, now);
		db_bind_text(st, 7, now);
	}
	if ((rc = db_step_done(db, st, "budget line save")) != BZ_OK)
		goto out;
	bool created = id == 0;
	if (created)
		id = db_last_id(db);
	/* one history row per amount that is new or changed: 계획, then 확보 */
	const struct {
		const char *what;
		int64_t was, is;
	} amounts[] = {{"계획", op, planned}, {"확보", os, secured}};
	for (size_t i = 0; i < BZ_ARRAY_LEN(amounts); i++) {
		if (!created && amounts[i].was == amounts[i].is)
			continue;
		char field[96], a[MONEY_TEXT_SIZE], b[MONEY_TEXT_SIZE];
		snprintf(field, sizeof(field), "%d %s %s", year, program_label("source", source),
		         amounts[i].what);
		money_format_won(amounts[i].was, a, sizeof(a));
		money_format_won(amounts[i].is, b, sizeof(b));
		if ((rc = prog_event(db, program_id, now, actor, "budget_line", id,
		                     created ? "create" : "update", field, created ? NULL : a, b,
		                     NULL)) != BZ_OK)
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
		val_field_error(fields, "executed_on",
		                msg ? msg : "집행일을 YYYY-MM-DD로 적어 주세요.");
	msg = NULL;
	if (money_parse_won(in->amount, true, &amount, &msg) != BZ_OK)
		val_field_error(fields, "amount", msg ? msg : "집행액을 원 단위로 적어 주세요.");
	else if (amount == 0)
		val_field_error(fields, "amount", "0원은 집행으로 기록할 수 없습니다.");
	if (!val_text_ok(in->memo, 500))
		val_field_error(fields, "memo", "내용은 500자 이내로 적어 주세요.");
	if (in->grant_id && *in->grant_id) {
		char *end;
		grant_id = strtoll(in->grant_id, &end, 10);
		if (*end || grant_id <= 0)
			val_field_error(fields, "grant_id", "지원사업 번호가 올바르지 않습니다.");
	}
	if (in->line_id <= 0)
		val_field_error(fields, "line_id", "예산(연도·재원)을 골라 주세요.");
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
	int lr = db_step(st);
	if (lr != SQLITE_ROW && lr != SQLITE_DONE) {
		rc = db_rows_end(db, st, lr, "budget line");
		goto out;
	}
	if (lr != SQLITE_ROW) {
		sqlite3_reset(st);
		val_field_error(fields, "line_id", "그런 예산(연도·재원)이 없습니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	int year = sqlite3_column_int(st, 0);
	char src[16];
	bz_strlcpy(src, db_col_text(st, 1), sizeof(src));
	int64_t secured = sqlite3_column_int64(st, 2), executed = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	/* a line is one year's money: its entries are dated in that year */
	if (atoi(in->executed_on) != year) {
		char m[160];
		snprintf(m, sizeof(m),
		         "%d년 예산의 집행일은 %d-01-01부터 %d-12-31 사이여야 합니다. 집행일이나 "
		         "예산(연도·재원)을 확인해 주세요.",
		         year, year, year);
		val_field_error(fields, "executed_on", m);
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if (grant_id > 0) {
		if ((rc = prog_prepare(db, SQL_GRANT_EXISTS, &st)) != BZ_OK)
			goto out;
		db_bind_int(st, 1, grant_id);
		int gr = db_step(st);
		bool found = gr == SQLITE_ROW;
		if (gr != SQLITE_ROW && gr != SQLITE_DONE) {
			rc = db_rows_end(db, st, gr, "grant exists");
			goto out;
		}
		sqlite3_reset(st);
		if (!found) {
			val_field_error(fields, "grant_id", "그런 지원사업이 없습니다.");
			rc = BZ_ERR_INVALID;
			goto out;
		}
	}
	int64_t after = 0;
	if (money_add(executed, amount, &after) != BZ_OK) {
		val_field_error(fields, "amount", "금액이 너무 큽니다.");
		rc = BZ_ERR_INVALID;
		goto out;
	}
	if (after < 0) {
		val_field_error(fields, "amount",
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
		if (!leader || !in->confirm_over || val_blank_wide(in->over_reason) ||
		    !val_text_ok(in->over_reason, 500)) {
			snprintf(m, sizeof(m),
			         "확보액(%s원)보다 많이 집행하게 됩니다(집행 후 %s원). 팀장이 초과 "
			         "집행을 확인하고 사유를 적어야 기록할 수 있습니다.",
			         s, e);
			val_field_error(fields, "amount", m);
			if (!leader)
				val_field_error(fields, "over_reason",
				                "확보액 초과 집행은 팀장만 확인할 수 있습니다.");
			else if (!in->confirm_over)
				val_field_error(
				    fields, "over_reason",
				    "‘확보액 초과 집행을 확인합니다’에 표시하고 사유를 적어 "
				    "주세요.");
			else
				val_field_error(fields, "over_reason",
				                "초과 집행 사유를 500자 이내로 적어 주세요.");
			rc = BZ_ERR_CONFLICT;
			goto out;
		}
		reason = in->over_reason;
	}
	char now[24];
	db_now_utc(now);
	if ((rc = prog_prepare(db, SQL_EXEC_INSERT, &st)) != BZ_OK)
		goto out;
	db_bind_int(st, 1, in->line_id);
	db_bind_text(st, 2, in->executed_on);
	db_bind_int(st, 3, amount);
	db_bind_text(st, 4, in->memo);
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
	if (in->corrects_id > 0)
		db_bind_int(st, 9, in->corrects_id);
	else
		sqlite3_bind_null(st, 9);
	if ((rc = db_step_done(db, st, "execution insert")) != BZ_OK)
		goto out;
	int64_t id = db_last_id(db);
	char f[64], a[MONEY_TEXT_SIZE];
	snprintf(f, sizeof(f), "%d %s %s", year, program_label("source", src), in->executed_on);
	money_format_won(amount, a, sizeof(a));
	if ((rc = prog_event(db, program_id, now, actor, "budget_execution", id,
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
	if (val_blank_wide(reason) || !val_text_ok(reason, 500)) {
		val_field_error(fields, "reason", "취소 사유를 500자 이내로 적어 주세요.");
		return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st;
	if ((rc = prog_row(db, SQL_EXEC_GET, execution_id, program_id, &st)) != BZ_OK)
		goto out;
	char a[MONEY_TEXT_SIZE], on[DATE_TEXT_SIZE];
	money_format_won(sqlite3_column_int64(st, 0), a, sizeof(a));
	bz_strlcpy(on, db_col_text(st, 1), sizeof(on));
	sqlite3_reset(st);
	char now[24];
	db_now_utc(now);
	if ((rc = prog_retire_stmt(db, SQL_EXEC_RETIRE, now, execution_id, &st)) != BZ_OK)
		goto out;
	if ((rc = db_step_done(db, st, "execution retire")) != BZ_OK)
		goto out;
	if ((rc = prog_event(db, program_id, now, actor, "budget_execution", execution_id, "retire",
	                     on, a, NULL, reason)) != BZ_OK)
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
	db_bind_int(st, 3, limit > 0 ? limit : limit < 0 ? -1 : 100);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *sl = program_label("source", db_col_text(st, 3));
		json_t *o = json_pack("{s:I, s:I, s:i, s:s, s:s, s:s, s:o}", "id",
		                      (json_int_t)sqlite3_column_int64(st, 0), "line_id",
		                      (json_int_t)sqlite3_column_int64(st, 1), "year",
		                      sqlite3_column_int(st, 2), "source", db_col_text(st, 3),
		                      "source_label", sl ? sl : "", "executed_on",
		                      db_col_text(st, 4), "memo", db_col_json(st, 6));
		prog_won_json(o, "amount", sqlite3_column_int64(st, 5));
		json_object_set_new(o, "grant_id",
		                    sqlite3_column_type(st, 7) == SQLITE_NULL
		                        ? json_null()
		                        : json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(o, "over_reason", db_col_json(st, 8));
		json_array_append_new(a, o);
	}
	return db_rows_json(db, st, rc, "executions", a, out);
}

bz_rc budget_execution_correct(struct db *db, const struct user *actor, int64_t program_id,
                               int64_t execution_id, const char *reason,
                               const struct execution_input *in, json_t *fields, int64_t *id_out)
{
	if (val_blank_wide(reason) || !val_text_ok(reason, 500)) {
		val_field_error(fields, "reason", "정정 사유를 500자 이내로 적어 주세요.");
		return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	struct execution_input next = *in;
	next.corrects_id = execution_id;
	int64_t id = 0;
	char note[600];
	snprintf(note, sizeof(note), "정정: %s", reason);
	if ((rc = budget_execution_retire(db, actor, program_id, execution_id, note, fields)) !=
	    BZ_OK)
		goto out;
	if ((rc = budget_execute(db, actor, program_id, &next, fields, &id)) != BZ_OK)
		goto out;
	char now[24], a[32], b[32];
	db_now_utc(now);
	snprintf(a, sizeof(a), "#%lld", (long long)execution_id);
	snprintf(b, sizeof(b), "#%lld", (long long)id);
	if ((rc = prog_event(db, program_id, now, actor, "budget_execution", id, "correct", "정정",
	                     a, b, reason)) != BZ_OK)
		goto out;
	rc = db_commit(db);
	if (rc == BZ_OK && id_out)
		*id_out = id;
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

static void bind_filter(sqlite3_stmt *st, int64_t program_id, const struct execution_filter *f)
{
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, f->year);
	if (f->source && *f->source)
		db_bind_text(st, 3, f->source);
	else
		sqlite3_bind_null(st, 3);
	db_bind_int(st, 4, f->line_id);
	db_bind_int(st, 5, f->grant_id);
	db_bind_int(st, 6, f->with_retired ? 1 : 0);
}

bz_rc budget_execution_page(struct db *db, int64_t program_id, const struct execution_filter *f,
                            int page, int per_page, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EXEC_PAGE_SUM);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_filter(st, program_id, f);
	int rc = db_step(st);
	if (rc != SQLITE_ROW)
		return db_rows_end(db, st, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "execution sum");
	int64_t count = sqlite3_column_int64(st, 0), total = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (per_page <= 0)
		per_page = 50;
	int64_t pages = count == 0 ? 1 : (count + per_page - 1) / per_page;
	if (page < 1)
		page = 1;
	if (page > pages)
		page = (int)pages;
	if ((st = db_stmt(db, SQL_EXEC_PAGE)) == NULL)
		return BZ_ERR_DB;
	bind_filter(st, program_id, f);
	db_bind_int(st, 7, per_page);
	db_bind_int(st, 8, (int64_t)(page - 1) * per_page);
	json_t *a = json_array();
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char *sl = program_label("source", db_col_text(st, 3));
		json_t *o = json_pack("{s:I, s:I, s:i, s:s, s:s, s:s, s:o, s:b}", "id",
		                      (json_int_t)sqlite3_column_int64(st, 0), "line_id",
		                      (json_int_t)sqlite3_column_int64(st, 1), "year",
		                      sqlite3_column_int(st, 2), "source", db_col_text(st, 3),
		                      "source_label", sl ? sl : "", "executed_on",
		                      db_col_text(st, 4), "memo", db_col_json(st, 6), "retired",
		                      sqlite3_column_type(st, 9) != SQLITE_NULL);
		prog_won_json(o, "amount", sqlite3_column_int64(st, 5));
		json_object_set_new(o, "grant_id", db_col_json(st, 7));
		json_object_set_new(o, "over_reason", db_col_json(st, 8));
		json_object_set_new(o, "corrects_id", db_col_json(st, 10));
		json_object_set_new(o, "corrected_by", db_col_json(st, 11));
		json_object_set_new(o, "retire_reason", db_col_json(st, 12));
		json_array_append_new(a, o);
	}
	json_t *rows = NULL;
	bz_rc r = db_rows_json(db, st, rc, "execution page", a, &rows);
	if (r != BZ_OK)
		return r;
	*out = json_pack("{s:o, s:I, s:I, s:i}", "rows", rows, "count", (json_int_t)count, "pages",
	                 (json_int_t)pages, "page", page);
	prog_won_json(*out, "total", total);
	return BZ_OK;
}
