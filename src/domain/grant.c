/* Improvement grants: the split rule, the status machine and the history. */
#include "bizsos/grant.h"
#include "bizsos/store.h"
#include "bizsos/validate.h"
#include "bizsos/codes.h"
#include "bizsos/brn.h"
#include "bizsos/kst.h"
#include "bizsos/money.h"
#include "bizsos/program.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_COMPANY_OK[] = "SELECT 1 FROM company WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_INSERT[] =
    "INSERT INTO improvement_grant (company_id, year, title, total, province, city, "
    "company_share, split_reason, status, applied_on, memo, created_by, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'applied', ?9, ?10, ?11, ?12, ?12)";
static const char SQL_GET[] =
    "SELECT g.id, g.company_id, c.name, c.brn, g.year, g.title, g.total, g.province, g.city, "
    "g.company_share, g.split_reason, g.status, g.applied_on, g.selected_on, g.done_on, "
    "g.cancelled_on, g.memo, g.version, g.created_at "
    "FROM improvement_grant g JOIN company c ON c.id = g.company_id "
    "WHERE g.id = ?1 AND g.retired_at IS NULL";
static const char SQL_EVENTS[] =
    "SELECT e.at, coalesce(u.name, '시스템'), e.kind, e.field, e.old, e.new, e.note "
    "FROM grant_event e LEFT JOIN app_user u ON u.id = e.actor_id "
    "WHERE e.grant_id = ?1 ORDER BY e.id";
#define LIST_WHERE                                                                                 \
	" FROM improvement_grant g JOIN company c ON c.id = g.company_id "                         \
	"WHERE g.retired_at IS NULL AND (?1 = 0 OR g.year = ?1) AND (?2 IS NULL OR g.status = "    \
	"?2) "                                                                                     \
	"AND (?3 = 0 OR g.company_id = ?3)"
static const char SQL_LIST[] =
    "SELECT g.id, c.name, g.year, g.title, g.total, g.province, g.city, g.company_share, "
    "g.status, g.company_id" LIST_WHERE " AND (?6 IS NULL OR (g.year, g.id) < (?6, ?7)) "
    "ORDER BY g.year DESC, g.id DESC LIMIT ?4 OFFSET ?5";
static const char SQL_LIST_SUMS[] =
    "SELECT count(*), coalesce(sum(g.total), 0), coalesce(sum(g.province), 0), "
    "coalesce(sum(g.city), 0), coalesce(sum(g.company_share), 0), "
    "coalesce(sum(g.status IN ('selected', 'done')), 0)" LIST_WHERE;
static const char SQL_STATUS_ROW[] =
    "SELECT status, version FROM improvement_grant WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_SET_STATUS[] =
    "UPDATE improvement_grant SET status = ?2, version = version + 1, updated_at = ?3, "
    "selected_on = CASE WHEN ?2 = 'selected' THEN ?4 ELSE selected_on END, "
    "done_on = CASE WHEN ?2 = 'done' THEN ?4 ELSE done_on END, "
    "cancelled_on = CASE WHEN ?2 = 'cancelled' THEN ?4 ELSE cancelled_on END "
    "WHERE id = ?1 AND version = ?5";

static const struct code_label statuses[] = {
    {"applied", "신청"},
    {"selected", "선정"},
    {"done", "완료"},
    {"cancelled", "취소"},
};

static const struct {
	const char *from, *to;
} transitions[] = {
    {"applied", "selected"},
    {"applied", "cancelled"},
    {"selected", "done"},
    {"selected", "cancelled"},
};

const char *grant_status_label(const char *status)
{
	return code_label_find(statuses, BZ_ARRAY_LEN(statuses), status);
}

json_t *grant_statuses_json(void)
{
	return code_label_choices(statuses, BZ_ARRAY_LEN(statuses), 0);
}

bool grant_transition_ok(const char *from, const char *to)
{
	for (size_t i = 0; from && to && i < BZ_ARRAY_LEN(transitions); i++)
		if (strcmp(transitions[i].from, from) == 0 && strcmp(transitions[i].to, to) == 0)
			return true;
	return false;
}

bz_rc grant_split_from_form(const struct grant_input *in, struct grant_split *out, bool *is_default,
                            json_t *fields)
{
	size_t before = json_object_size(fields);
	const char *msg = NULL;
	memset(out, 0, sizeof(*out));
	*is_default = false;
	int64_t total = 0;
	if (money_parse_won(in->total, false, &total, &msg) != BZ_OK) {
		val_field_error(fields, "total", msg ? msg : "총사업비를 원 단위로 입력해 주세요.");
		return BZ_ERR_INVALID;
	}
	struct grant_split def;
	grant_split_default(total, &def);
	*out = def;
	bool all_blank =
	    val_blank(in->province) && val_blank(in->city) && val_blank(in->company_share);
	if (all_blank) {
		*is_default = true;
		return BZ_OK;
	}
	struct grant_split s = {.total = total};
	static const struct {
		const char *key;
		size_t off;
		const char *missing;
	} parts[] = {
	    {"province", offsetof(struct grant_split, province), "도비를 입력해 주세요."},
	    {"city", offsetof(struct grant_split, city), "시비를 입력해 주세요."},
	    {"company_share", offsetof(struct grant_split, company), "자부담을 입력해 주세요."},
	};
	const char *vals[3] = {in->province, in->city, in->company_share};
	for (size_t i = 0; i < 3; i++) {
		int64_t v = 0;
		if (val_blank(vals[i])) {
			val_field_error(fields, parts[i].key, parts[i].missing);
			continue;
		}
		if (money_parse_won(vals[i], false, &v, &msg) != BZ_OK) {
			val_field_error(fields, parts[i].key, msg ? msg : "금액을 확인해 주세요.");
			continue;
		}
		*(int64_t *)((char *)&s + parts[i].off) = v;
	}
	if (json_object_size(fields) > before)
		return BZ_ERR_INVALID;
	if (!val_text_ok(in->split_reason, GRANT_REASON_CHARS)) {
		val_field_error(fields, "split_reason", "사유는 1,000자까지 입력할 수 있습니다.");
		return BZ_ERR_INVALID;
	}
	enum grant_field gf = GRANT_FIELD_NONE;
	if (grant_split_check(&s, in->split_reason, &gf, &msg) != BZ_OK) {
		static const char *const keys[] = {
		    [GRANT_FIELD_NONE] = "shares",           [GRANT_FIELD_TOTAL] = "total",
		    [GRANT_FIELD_PROVINCE] = "province",     [GRANT_FIELD_CITY] = "city",
		    [GRANT_FIELD_COMPANY] = "company_share", [GRANT_FIELD_SHARES] = "shares",
		    [GRANT_FIELD_REASON] = "split_reason",
		};
		const char *key = (size_t)gf < BZ_ARRAY_LEN(keys) ? keys[gf] : "shares";
		val_field_error(fields, key, msg ? msg : "분담액을 확인해 주세요.");
		return BZ_ERR_INVALID;
	}
	*out = s;
	*is_default = grant_split_is_default(&s);
	return BZ_OK;
}

static bool may_write(const struct user *u)
{
	return (u->role & (ROLE_STAFF | ROLE_LEADER)) != 0;
}

bz_rc grant_create(struct db *db, const struct user *actor, const struct grant_input *in,
                   json_t *fields, int64_t *id_out)
{
	if (!may_write(actor))
		return BZ_ERR_FORBIDDEN;
	int64_t company = val_parse_id(in->company_id);
	sqlite3_stmt *st = db_stmt(db, SQL_COMPANY_OK);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company);
	bool found = company > 0 && db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!found)
		val_field_error(fields, "company_id", "기업을 골라 주세요.");
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	long year = 0;
	char *end = NULL;
	if (!val_blank(in->year))
		year = strtol(in->year, &end, 10);
	if (val_blank(in->year) || *end != '\0' || year < 2000 || year > 2100)
		val_field_error(fields, "year",
		                "사업 연도를 2000~2100 사이의 숫자로 입력해 주세요.");
	if (in->title == NULL || !user_text_valid(in->title, GRANT_TITLE_CHARS))
		val_field_error(fields, "title", "개선 내용을 1~200자로 입력해 주세요.");
	const char *applied = val_blank(in->applied_on) ? today : in->applied_on;
	int32_t d;
	const char *dmsg = NULL;
	if (date_parse(applied, &d, &dmsg) != BZ_OK)
		val_field_error(fields, "applied_on", dmsg ? dmsg : "신청일을 확인해 주세요.");
	else if (strcmp(applied, today) > 0)
		val_field_error(fields, "applied_on", "신청일은 오늘 이후일 수 없습니다.");
	if (!val_text_ok(in->memo, GRANT_MEMO_CHARS))
		val_field_error(fields, "memo", "메모는 4,000자까지 입력할 수 있습니다.");
	struct grant_split s;
	bool is_default = false;
	grant_split_from_form(in, &s, &is_default, fields);
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	st = db_stmt(db, SQL_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	char now[24];
	db_now_utc(now);
	db_bind_int(st, 1, company);
	db_bind_int(st, 2, year);
	db_bind_text(st, 3, in->title);
	db_bind_int(st, 4, s.total);
	db_bind_int(st, 5, s.province);
	db_bind_int(st, 6, s.city);
	db_bind_int(st, 7, s.company);
	db_bind_text(st, 8, is_default || val_blank(in->split_reason) ? NULL : in->split_reason);
	db_bind_text(st, 9, applied);
	db_bind_text(st, 10, in->memo);
	db_bind_int(st, 11, actor->id);
	db_bind_text(st, 12, now);
	rc = db_rc(db, db_step(st), "grant insert");
	sqlite3_reset(st);
	if (rc != BZ_OK)
		goto fail;
	int64_t id = db_last_id(db);
	char detail[160];
	snprintf(detail, sizeof(detail), "%lld/%lld/%lld/%lld", (long long)s.total,
	         (long long)s.province, (long long)s.city, (long long)s.company);
	if ((rc = db_event_add(db, EVENT_GRANT, id, NULL, actor->id, "created", "split", NULL,
	                       detail, NULL)) != BZ_OK)
		goto fail;
	if ((rc = db_commit(db)) != BZ_OK)
		goto fail;
	if (id_out)
		*id_out = id;
	return BZ_OK;
fail:
	db_rollback(db);
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
}

static void set_money(json_t *o, const char *key, int64_t v)
{
	char text[MONEY_TEXT_SIZE], k[48];
	money_format_won(v, text, sizeof(text));
	json_object_set_new(o, key, json_integer(v));
	snprintf(k, sizeof(k), "%s_text", key);
	json_object_set_new(o, k, json_string(text));
}

static const char *event_label(const char *kind)
{
	if (strcmp(kind, "created") == 0)
		return "신청 등록";
	if (strcmp(kind, "status") == 0)
		return "상태 변경";
	return kind;
}

static const char SQL_GRANT_PAID[] =
    "SELECT e.id, e.executed_on, e.amount, l.year, l.source, e.memo FROM budget_execution e"
    " JOIN budget_line l ON l.id = e.budget_line_id WHERE e.grant_id = ?1"
    " AND e.retired_at IS NULL ORDER BY e.executed_on, e.id";

bz_rc grant_get(struct db *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "grant get");
	}
	json_t *g = json_object();
	json_object_set_new(g, "id", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(g, "company_id", json_integer(sqlite3_column_int64(st, 1)));
	json_object_set_new(g, "company", db_col_json(st, 2));
	char brn[BRN_FMT_SIZE];
	brn_format((const char *)sqlite3_column_text(st, 3), brn, sizeof(brn));
	json_object_set_new(g, "company_brn_text", json_string(brn));
	json_object_set_new(g, "year", json_integer(sqlite3_column_int64(st, 4)));
	json_object_set_new(g, "title", db_col_json(st, 5));
	struct grant_split s = {sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
	                        sqlite3_column_int64(st, 8), sqlite3_column_int64(st, 9)};
	set_money(g, "total", s.total);
	set_money(g, "province", s.province);
	set_money(g, "city", s.city);
	set_money(g, "company_share", s.company);
	json_object_set_new(g, "is_default", json_boolean(grant_split_is_default(&s)));
	json_object_set_new(g, "split_reason", db_col_json(st, 10));
	const char *status = (const char *)sqlite3_column_text(st, 11);
	json_object_set_new(g, "status", json_string(status));
	json_object_set_new(g, "status_label", json_string(grant_status_label(status)));
	json_object_set_new(
	    g, "closed",
	    json_boolean(strcmp(status, "done") == 0 || strcmp(status, "cancelled") == 0));
	json_object_set_new(g, "applied_on", db_col_json(st, 12));
	json_object_set_new(g, "selected_on", db_col_json(st, 13));
	json_object_set_new(g, "done_on", db_col_json(st, 14));
	json_object_set_new(g, "cancelled_on", db_col_json(st, 15));
	json_object_set_new(g, "memo", db_col_json(st, 16));
	json_object_set_new(g, "version", json_integer(sqlite3_column_int64(st, 17)));
	char kst[32];
	fmt_instant_kst((const char *)sqlite3_column_text(st, 18), kst, sizeof(kst));
	json_object_set_new(g, "created_at_text", json_string(kst));
	json_t *next = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(transitions); i++)
		if (strcmp(transitions[i].from, status) == 0)
			json_array_append_new(
			    next, json_pack("{s:s, s:s}", "value", transitions[i].to, "label",
			                    grant_status_label(transitions[i].to)));
	sqlite3_reset(st);

	json_t *events = json_array();
	st = db_stmt(db, SQL_EVENTS);
	if (st == NULL) {
		json_decref(g);
		json_decref(next);
		json_decref(events);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	while ((src = db_step(st)) == SQLITE_ROW) {
		json_t *e = json_object();
		fmt_instant_kst((const char *)sqlite3_column_text(st, 0), kst, sizeof(kst));
		json_object_set_new(e, "at_text", json_string(kst));
		json_object_set_new(e, "actor", db_col_json(st, 1));
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		json_object_set_new(e, "kind", json_string(kind));
		json_object_set_new(e, "kind_label", json_string(event_label(kind)));
		json_object_set_new(e, "field", db_col_json(st, 3));
		const char *old = (const char *)sqlite3_column_text(st, 4);
		const char *nw = (const char *)sqlite3_column_text(st, 5);
		json_object_set_new(e, "old", old ? json_string(old) : json_null());
		json_object_set_new(e, "new", nw ? json_string(nw) : json_null());
		const char *ol = grant_status_label(old), *nl = grant_status_label(nw);
		json_object_set_new(e, "old_label", json_string(ol ? ol : old ? old : ""));
		json_object_set_new(e, "new_label", json_string(nl ? nl : ""));
		json_object_set_new(e, "note", db_col_json(st, 6));
		json_array_append_new(events, e);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(g);
		json_decref(next);
		json_decref(events);
		return db_rc(db, src, "grant events");
	}
	/* the budget entries that paid it (issue 8, point 2) */
	json_t *paid = json_array();
	st = db_stmt(db, SQL_GRANT_PAID);
	if (st == NULL) {
		json_decref(g);
		json_decref(next);
		json_decref(events);
		json_decref(paid);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, id);
	int64_t paid_total = 0;
	while ((src = db_step(st)) == SQLITE_ROW) {
		int64_t amount = sqlite3_column_int64(st, 2);
		char won[MONEY_TEXT_SIZE], src_l[64];
		money_format_won(amount, won, sizeof(won));
		const char *sl = program_label("source", db_col_text(st, 4));
		snprintf(src_l, sizeof(src_l), "%lld년 %s", (long long)sqlite3_column_int64(st, 3),
		         sl ? sl : db_col_text(st, 4));
		if (money_add(paid_total, amount, &paid_total) != BZ_OK)
			paid_total = 0;
		json_array_append_new(paid,
		                      json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
		                                (json_int_t)sqlite3_column_int64(st, 0),
		                                "executed_on", db_col_text(st, 1), "amount_won",
		                                won, "line", src_l, "memo", db_col_json(st, 5)));
	}
	if (db_rows_end(db, st, src, "grant entries") != BZ_OK) {
		json_decref(g);
		json_decref(next);
		json_decref(events);
		json_decref(paid);
		return BZ_ERR_DB;
	}
	char total_won[MONEY_TEXT_SIZE];
	money_format_won(paid_total, total_won, sizeof(total_won));
	*out = json_pack("{s:o, s:o, s:o, s:o, s:s}", "grant", g, "events", events, "next", next,
	                 "executions", paid, "executions_total_won", total_won);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

static void bind_filter(sqlite3_stmt *st, const struct grant_filter *f)
{
	db_bind_int(st, 1, f->year);
	db_bind_text(st, 2, f->status && *f->status ? f->status : NULL);
	db_bind_int(st, 3, f->company_id);
}

bz_rc grant_list(struct db *db, const struct grant_filter *f, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LIST_SUMS);
	if (st == NULL)
		return BZ_ERR_DB;
	bind_filter(st, f);
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_rc(db, src, "grant sums");
	}
	int64_t count = sqlite3_column_int64(st, 0);
	json_t *sums = json_object();
	set_money(sums, "total", sqlite3_column_int64(st, 1));
	set_money(sums, "province", sqlite3_column_int64(st, 2));
	set_money(sums, "city", sqlite3_column_int64(st, 3));
	set_money(sums, "company_share", sqlite3_column_int64(st, 4));
	int64_t sites = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	int page = f->page < 1 ? 1 : f->page;
	int64_t size = f->limit > 0 ? f->limit : GRANT_PAGE_SIZE;
	int64_t pages = count == 0 ? 1 : (count + size - 1) / size;
	if (page > pages)
		page = (int)pages;
	st = db_stmt(db, SQL_LIST);
	if (st == NULL) {
		json_decref(sums);
		return BZ_ERR_DB;
	}
	bind_filter(st, f);
	/* one row more than the page shows: whether a next page follows */
	db_bind_int(st, 4, f->all ? -1 : size + 1);
	db_bind_int(st, 5, f->all || f->after ? 0 : (int64_t)(page - 1) * size);
	if (f->after && !f->all) {
		db_bind_int(st, 6, json_integer_value(json_array_get(f->after, 0)));
		db_bind_int(st, 7, json_integer_value(json_array_get(f->after, 1)));
	} else
		db_bind_text(st, 6, NULL);
	json_t *rows = json_array();
	json_t *next_key = NULL;
	while ((src = db_step(st)) == SQLITE_ROW) {
		if (!f->all && (int64_t)json_array_size(rows) == size) {
			json_t *last = json_array_get(rows, json_array_size(rows) - 1);
			next_key = json_pack("[O, O]", json_object_get(last, "year"),
			                     json_object_get(last, "id"));
			src = SQLITE_DONE;
			break;
		}
		json_t *g = json_object();
		json_object_set_new(g, "id", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(g, "company", db_col_json(st, 1));
		json_object_set_new(g, "year", json_integer(sqlite3_column_int64(st, 2)));
		json_object_set_new(g, "title", db_col_json(st, 3));
		set_money(g, "total", sqlite3_column_int64(st, 4));
		set_money(g, "province", sqlite3_column_int64(st, 5));
		set_money(g, "city", sqlite3_column_int64(st, 6));
		set_money(g, "company_share", sqlite3_column_int64(st, 7));
		const char *status = (const char *)sqlite3_column_text(st, 8);
		json_object_set_new(g, "status", json_string(status));
		json_object_set_new(g, "status_label", json_string(grant_status_label(status)));
		json_object_set_new(g, "company_id", json_integer(sqlite3_column_int64(st, 9)));
		json_array_append_new(rows, g);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(rows);
		json_decref(sums);
		json_decref(next_key);
		return db_rc(db, src, "grant list");
	}
	*out = json_pack("{s:o, s:I, s:i, s:I, s:o, s:I}", "grants", rows, "total",
	                 (json_int_t)count, "page_no", page, "pages", (json_int_t)pages, "sums",
	                 sums, "sites", (json_int_t)sites);
	if (*out && next_key)
		json_object_set_new(*out, "next_key", next_key);
	else
		json_decref(next_key);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bz_rc grant_set_status(struct db *db, const struct user *actor, int64_t id, int64_t version,
                       const char *to, const char *on, const char *note, json_t *fields, char *msg,
                       size_t msglen)
{
	if (!may_write(actor)) {
		snprintf(msg, msglen, "상태를 바꿀 권한이 없습니다.");
		return BZ_ERR_FORBIDDEN;
	}
	if (to == NULL || grant_status_label(to) == NULL || strcmp(to, "applied") == 0)
		val_field_error(fields, "to", "바꿀 상태를 골라 주세요.");
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *day = val_blank(on) ? today : on;
	int32_t d;
	const char *dmsg = NULL;
	if (date_parse(day, &d, &dmsg) != BZ_OK)
		val_field_error(fields, "on", dmsg ? dmsg : "날짜를 확인해 주세요.");
	else if (strcmp(day, today) > 0)
		val_field_error(fields, "on", "날짜는 오늘 이후일 수 없습니다.");
	if (!val_text_ok(note, GRANT_REASON_CHARS))
		val_field_error(fields, "note", "메모는 1,000자까지 입력할 수 있습니다.");
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_STATUS_ROW);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_int(st, 1, id);
	int src = db_step(st);
	char from[16] = "";
	int64_t cur = 0;
	if (src == SQLITE_ROW) {
		bz_strlcpy(from, (const char *)sqlite3_column_text(st, 0), sizeof(from));
		cur = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (src != SQLITE_ROW) {
		rc = src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "grant row");
		goto fail;
	}
	if (cur != version) {
		snprintf(msg, msglen,
		         "다른 사용자가 먼저 이 사업을 고쳤습니다. 바꾸지 않았습니다. 현재 상태를 "
		         "확인한 뒤 다시 시도해 주세요.");
		rc = BZ_ERR_CONFLICT;
		goto fail;
	}
	if (!grant_transition_ok(from, to)) {
		snprintf(msg, msglen, "'%s' 상태에서는 '%s'(으)로 바꿀 수 없습니다.",
		         grant_status_label(from), grant_status_label(to));
		rc = BZ_ERR_CONFLICT;
		goto fail;
	}
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_SET_STATUS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, day);
	db_bind_int(st, 5, version);
	rc = db_rc(db, db_step(st), "grant status");
	sqlite3_reset(st);
	if (rc == BZ_OK && db_changes(db) != 1)
		rc = BZ_ERR_CONFLICT;
	if (rc != BZ_OK)
		goto fail;
	if ((rc = db_event_add(db, EVENT_GRANT, id, NULL, actor->id, "status", "status", from, to,
	                       note && *note ? note : NULL)) != BZ_OK)
		goto fail;
	if ((rc = db_commit(db)) != BZ_OK)
		goto fail;
	return BZ_OK;
fail:
	db_rollback(db);
	return rc;
}
