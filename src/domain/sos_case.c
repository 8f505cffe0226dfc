/* SOS cases: vocabularies, the status machine and action table (as data),
 * deadlines, categories, creating a case, and reading (one case, the list,
 * repeat grievances). Writes to an existing case are in case_write.c. */
#include "bizsos/brn.h"
#include "bizsos/notify.h"
#include "bizsos/search.h"
#include "bizsos/kst.h"
#include "case_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- vocabularies ------------------------------------------------------- */

struct vocab_entry {
	const char *vocab;
	const char *code;
	const char *label;
};

static const struct vocab_entry vocab[] = {
    {"status", "received", "접수"},
    {"status", "reviewing", "검토"},
    {"status", "in_progress", "처리중"},
    {"status", "done", "완료"},
    {"status", "transferred", "이송"},
    {"status", "withdrawn", "취하"},
    {"channel", "visit", "현장방문"},
    {"channel", "meeting", "간담회"},
    {"channel", "onestop", "원스톱회의"},
    {"channel", "mobile", "기동반"},
    {"channel", "phone", "전화"},
    {"channel", "walkin", "내방"},
    {"channel", "online", "온라인"},
    {"channel", "letter", "공문"},
    {"channel", "other", "기타"},
    {"triage", "single", "단일애로"},
    {"triage", "complex", "복합애로"},
    {"flag", "red", "긴급"},
    {"flag", "yellow", "중요"},
    {"disposition", "immediate", "즉시처리"},
    {"disposition", "long_term", "장기추진"},
    {"disposition", "system", "제도개선건의"},
    {"outcome", "accepted", "수용"},
    {"outcome", "partial", "일부수용"},
    {"outcome", "rejected", "불수용"},
    {"notified_method", "letter", "서면"},
    {"notified_method", "email", "이메일"},
    {"notified_method", "sms", "문자"},
    {"notified_method", "phone", "전화"},
    {"referral_role", "lead", "주관"},
    {"referral_role", "coop", "협조"},
    {"referral_status", "open", "답변 대기"},
    {"referral_status", "answered", "답변 완료"},
    {"referral_status", "returned", "반송"},
};

const char *case_label(const char *voc, const char *code)
{
	if (voc == NULL || code == NULL)
		return NULL;
	for (size_t i = 0; i < BZ_ARRAY_LEN(vocab); i++)
		if (strcmp(vocab[i].vocab, voc) == 0 && strcmp(vocab[i].code, code) == 0)
			return vocab[i].label;
	return NULL;
}

json_t *case_vocab_json(const char *voc)
{
	json_t *a = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(vocab); i++)
		if (strcmp(vocab[i].vocab, voc) == 0)
			json_array_append_new(a, json_pack("{s:s, s:s}", "value", vocab[i].code,
			                                   "label", vocab[i].label));
	return a;
}

/* ---- the status machine ------------------------------------------------- */

const char *const case_statuses[] = {"received",    "reviewing", "in_progress", "done",
                                     "transferred", "withdrawn", NULL};

#define STAFF_LEADER (ROLE_STAFF | ROLE_LEADER)

/* Every allowed move. Anything not here is refused (422); a move here by a
 * role not named is refused (403). Department users only answer referrals,
 * executives and admins only read: no row names them. A CASE_BY_REFERRAL row
 * is made by referring the case to a department (접수/검토 → 처리중: the work
 * has left the team's desk), never from the status form. */
const struct case_transition case_transitions[] = {
    {"received", "in_progress", STAFF_LEADER, CASE_BY_REFERRAL},
    {"reviewing", "in_progress", STAFF_LEADER, CASE_BY_REFERRAL},
    {"received", "reviewing", STAFF_LEADER, CASE_NEED_NONE},
    {"reviewing", "in_progress", STAFF_LEADER, CASE_NEED_NONE},
    {"received", "done", ROLE_LEADER, CASE_NEED_COMPLETION},
    {"reviewing", "done", ROLE_LEADER, CASE_NEED_COMPLETION},
    {"in_progress", "done", ROLE_LEADER, CASE_NEED_COMPLETION},
    {"received", "transferred", ROLE_LEADER, CASE_NEED_TRANSFER},
    {"reviewing", "transferred", ROLE_LEADER, CASE_NEED_TRANSFER},
    {"in_progress", "transferred", ROLE_LEADER, CASE_NEED_TRANSFER},
    {"received", "withdrawn", STAFF_LEADER, CASE_NEED_REASON},
    {"reviewing", "withdrawn", STAFF_LEADER, CASE_NEED_REASON},
    {"in_progress", "withdrawn", STAFF_LEADER, CASE_NEED_REASON},
    {"done", "in_progress", ROLE_LEADER, CASE_NEED_REASON}, /* reopen */
};
const size_t case_transition_count = BZ_ARRAY_LEN(case_transitions);

bool case_status_open(const char *status)
{
	return status && (strcmp(status, "received") == 0 || strcmp(status, "reviewing") == 0 ||
	                  strcmp(status, "in_progress") == 0);
}

const char *case_status_on_referral(const char *from)
{
	for (size_t i = 0; from && i < case_transition_count; i++)
		if ((case_transitions[i].needs & CASE_BY_REFERRAL) &&
		    strcmp(case_transitions[i].from, from) == 0)
			return case_transitions[i].to;
	return NULL;
}

bz_rc case_transition_check(const char *from, const char *to, int role,
                            const struct case_transition **t)
{
	if (from == NULL || to == NULL)
		return BZ_ERR_INVALID;
	for (size_t i = 0; i < case_transition_count; i++) {
		const struct case_transition *r = &case_transitions[i];
		if (r->needs & CASE_BY_REFERRAL)
			continue;
		if (strcmp(r->from, from) == 0 && strcmp(r->to, to) == 0) {
			if (t)
				*t = r;
			return (r->roles & role) ? BZ_OK : BZ_ERR_FORBIDDEN;
		}
	}
	return BZ_ERR_INVALID;
}

static const int action_roles[CASE_ACT_COUNT] = {
    [CASE_ACT_CREATE] = STAFF_LEADER,
    [CASE_ACT_TRIAGE] = STAFF_LEADER,
    [CASE_ACT_ASSIGN] = STAFF_LEADER,
    [CASE_ACT_REFER] = STAFF_LEADER,
    [CASE_ACT_ANSWER] = ROLE_DEPARTMENT | ROLE_LEADER,
    [CASE_ACT_EXTEND] = STAFF_LEADER,
    [CASE_ACT_NOTIFY] = STAFF_LEADER,
    [CASE_ACT_NOTE] = STAFF_LEADER | ROLE_DEPARTMENT,
    [CASE_ACT_ATTACH] = STAFF_LEADER | ROLE_DEPARTMENT,
    [CASE_ACT_MERGE] = ROLE_LEADER,
    [CASE_ACT_CATEGORIES] = ROLE_ADMIN,
    [CASE_ACT_EDIT] = STAFF_LEADER,
    [CASE_ACT_TRANSFER_ANSWER] = STAFF_LEADER,
    [CASE_ACT_REFERRAL_OWNER] = ROLE_LEADER,
};

int case_action_roles(enum case_action a)
{
	return a < CASE_ACT_COUNT ? action_roles[a] : 0;
}

bool case_may(const struct user *u, enum case_action a)
{
	return u && (case_action_roles(a) & u->role) != 0;
}

/* ---- small helpers shared by the module --------------------------------- */

int64_t case_scope_department(const struct user *actor)
{
	if (actor->role != ROLE_DEPARTMENT)
		return 0;
	return actor->department_id > 0 ? actor->department_id : -1;
}

static const char SQL_EVENT_ADD[] =
    "INSERT INTO case_event (case_id, at, actor_id, kind, field, old, new, note) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

bz_rc case_event_add(struct db *db, int64_t case_id, int64_t actor_id, const char *kind,
                     const char *field, const char *old, const char *new_, const char *note)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_ADD);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_int(st, 1, case_id);
	db_bind_text(st, 2, now);
	if (actor_id > 0)
		db_bind_int(st, 3, actor_id);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, field);
	db_bind_text(st, 6, old);
	db_bind_text(st, 7, new_);
	db_bind_text(st, 8, note);
	bz_rc rc = db_rc(db, db_step(st), "case event");
	sqlite3_reset(st);
	/* the notices and messages this change owes, in the same transaction */
	if (rc == BZ_OK)
		rc = notify_case_event(db, case_id, actor_id, kind, field, old, new_);
	return rc;
}

bool case_text_ok(const char *s, size_t max_chars, bool required)
{
	if (s == NULL || *s == '\0')
		return !required;
	size_t n = strlen(s);
	if (!bz_utf8_valid(s, n))
		return false;
	size_t chars = 0;
	bool blank = true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return false;
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			blank = false;
	}
	return chars <= max_chars && !(required && blank);
}

const char *case_date_check(const char *s, const char *min, const char *max)
{
	int32_t d;
	const char *msg = NULL;
	if (s == NULL || *s == '\0')
		return "날짜를 입력해 주세요.";
	if (date_parse(s, &d, &msg) != BZ_OK)
		return msg ? msg : "날짜는 2024-03-15처럼 입력해 주세요.";
	if (min && *min && strcmp(s, min) < 0)
		return "접수일보다 앞선 날짜는 입력할 수 없습니다.";
	if (max && *max && strcmp(s, max) > 0)
		return "오늘 이후의 날짜는 입력할 수 없습니다.";
	return NULL;
}

json_t *case_row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL:
			json_object_set_new(o, name, json_null());
			break;
		case SQLITE_INTEGER:
			json_object_set_new(o, name,
			                    json_integer((json_int_t)sqlite3_column_int64(st, i)));
			break;
		default: {
			const char *t = (const char *)sqlite3_column_text(st, i);
			json_object_set_new(o, name, json_string(t ? t : ""));
		}
		}
	}
	return o;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void add_label(json_t *row, const char *key, const char *voc)
{
	const char *code = jstr(row, key);
	char lk[64];
	snprintf(lk, sizeof(lk), "%s_label", key);
	const char *l = case_label(voc, code);
	json_object_set_new(row, lk, l ? json_string(l) : json_null());
}

void case_decorate(json_t *row, int32_t today)
{
	add_label(row, "status", "status");
	add_label(row, "channel", "channel");
	add_label(row, "triage", "triage");
	add_label(row, "flag", "flag");
	add_label(row, "disposition", "disposition");
	add_label(row, "outcome", "outcome");
	add_label(row, "notified_method", "notified_method");
	const char *flag = jstr(row, "flag");
	json_object_set_new(
	    row, "flag_class",
	    json_string(flag && strcmp(flag, "red") == 0 ? "bg-danger" : "bg-warning"));
	const char *status = jstr(row, "status");
	json_t *status_key = json_object();
	if (status)
		json_object_set_new(status_key, status, json_true());
	json_object_set_new(row, "is", status_key);
	const char *ext = jstr(row, "extended_due_on");
	const char *due = ext && *ext ? ext : jstr(row, "due_on");
	bool merged = json_integer_value(json_object_get(row, "merged_into")) > 0;
	bool open = case_status_open(status) && !merged;
	json_object_set_new(row, "due", due ? json_string(due) : json_null());
	json_object_set_new(row, "open", json_boolean(open));
	json_object_set_new(row, "merged", json_boolean(merged));
	json_object_set_new(row, "extended", json_boolean(ext && *ext));
	int32_t d;
	bool overdue = false, soon = false, too_long = false;
	if (open && due && date_parse(due, &d, NULL) == BZ_OK) {
		int32_t dd = date_dday(today, d);
		char lab[16];
		date_dday_label(dd, lab, sizeof(lab));
		json_object_set_new(row, "dday", json_integer(dd));
		json_object_set_new(row, "dday_label", json_string(lab));
		overdue = dd < 0;
		soon = dd >= 0 && dd <= 2;
	} else {
		json_object_set_new(row, "dday", json_null());
		json_object_set_new(row, "dday_label", json_null());
	}
	const char *recv = jstr(row, "received_on");
	int32_t r;
	if (open && recv && date_parse(recv, &r, NULL) == BZ_OK) {
		json_object_set_new(row, "open_days", json_integer(today - r));
		too_long = today - r > CASE_OPEN_FLAG_DAYS;
	}
	json_object_set_new(row, "overdue", json_boolean(overdue));
	json_object_set_new(row, "due_soon", json_boolean(soon));
	json_object_set_new(row, "open_too_long", json_boolean(too_long));
	json_int_t rc = json_integer_value(json_object_get(row, "reassign_count"));
	json_object_set_new(row, "reassigned", json_boolean(rc > 0));
	json_int_t ret = json_integer_value(json_object_get(row, "max_returned"));
	json_object_set_new(row, "bounced",
	                    json_boolean(rc >= CASE_BOUNCE_LIMIT || ret >= CASE_BOUNCE_LIMIT));
	const char *at = jstr(row, "received_at");
	if (at) {
		char kst[32];
		fmt_instant_kst(at, kst, sizeof(kst));
		json_object_set_new(row, "received_at_kst", json_string(kst));
	}
}

int64_t case_parse_id(const char *s)
{
	if (s == NULL || *s < '1' || *s > '9')
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 && v < INT64_MAX ? (int64_t)v : 0;
}

/* ---- deadlines ---------------------------------------------------------- */

bz_rc case_due_date(const struct workday_holidays *h, const char *received_on, int default_days,
                    char *out, size_t outlen)
{
	int32_t r, due;
	bz_rc rc;
	if ((rc = date_parse(received_on, &r, NULL)) != BZ_OK)
		return rc;
	if ((rc = workday_add(h, r, default_days, &due)) != BZ_OK)
		return rc;
	return date_format(due, out, outlen);
}

/* ---- creating ----------------------------------------------------------- */

static const char SQL_COMPANY_EXISTS[] = "SELECT 1 FROM company WHERE id = ?1";
static const char SQL_CATEGORY_DAYS[] =
    "SELECT default_days FROM case_category WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_SEQ_NEXT[] =
    "INSERT INTO case_seq (year, last) VALUES (?1, 1) "
    "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last";
static const char SQL_SEQ_PAST[] =
    "INSERT INTO case_seq (year, last) VALUES (?1, ?2) "
    "ON CONFLICT (year) DO UPDATE SET last = max(last, ?2) RETURNING last";
static const char SQL_CASE_NO_TAKEN[] = "SELECT 1 FROM sos_case WHERE case_no = ?1";
static const char SQL_CASE_INSERT[] =
    "INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel, category_id, "
    "title, description, request, triage, flag, due_on, created_by, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, "
    "?14)";

static bool exists_id(struct db *db, const char *sql, int64_t id, int *val)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool found = db_step(st) == SQLITE_ROW;
	if (found && val)
		*val = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return found;
}

static bool exists_text(struct db *db, const char *sql, const char *text)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_text(st, 1, text);
	bool found = db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* "HH:MM" -> minutes; -1 if not that shape. */
static int parse_hhmm(const char *s)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

bz_rc case_create(struct db *db, const struct user *actor, const struct case_input *in,
                  json_t *fields, int64_t *id_out, char *case_no)
{
	if (!case_may(actor, CASE_ACT_CREATE))
		return BZ_ERR_FORBIDDEN;
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	int64_t company = case_parse_id(in->company_id);
	if (company == 0 || !exists_id(db, SQL_COMPANY_EXISTS, company, NULL))
		val_field_error(fields, "company_id", "기업을 골라 주세요.");
	int64_t category = case_parse_id(in->category_id);
	int days = 0;
	if (category == 0 || !exists_id(db, SQL_CATEGORY_DAYS, category, &days))
		val_field_error(fields, "category_id", "애로 분야를 골라 주세요.");
	if (in->channel == NULL || case_label("channel", in->channel) == NULL)
		val_field_error(fields, "channel", "접수 경로를 골라 주세요.");
	if (in->title == NULL || !user_text_valid(in->title, CASE_TITLE_CHARS))
		val_field_error(fields, "title", "제목을 1~200자로 입력해 주세요.");
	if (!case_text_ok(in->description, CASE_TEXT_CHARS, false))
		val_field_error(fields, "description", "내용은 10,000자까지 입력할 수 있습니다.");
	if (!case_text_ok(in->request, CASE_TEXT_CHARS, false))
		val_field_error(fields, "request", "요청 사항은 10,000자까지 입력할 수 있습니다.");
	const char *triage = in->triage && *in->triage ? in->triage : "single";
	if (case_label("triage", triage) == NULL)
		val_field_error(fields, "triage", "단일애로 또는 복합애로를 골라 주세요.");
	const char *flag = in->flag && *in->flag ? in->flag : NULL;
	if (flag && case_label("flag", flag) == NULL)
		val_field_error(fields, "flag", "표시는 긴급, 중요 또는 없음 중에서 골라 주세요.");
	const char *recv = in->received_on && *in->received_on ? in->received_on : today;
	const char *dmsg = case_date_check(recv, "2000-01-01", today);
	if (dmsg)
		val_field_error(fields, "received_on", dmsg);
	int minutes = -1;
	bool now_time = !(in->received_time && *in->received_time);
	if (!now_time && (minutes = parse_hhmm(in->received_time)) < 0)
		val_field_error(fields, "received_time", "접수 시각은 14:30처럼 입력해 주세요.");
	long long given_seq = 0;
	if (in->case_no && *in->case_no) {
		int y = 0;
		char tail[2];
		if (sscanf(in->case_no, "SOS-%4d-%8lld%1s", &y, &given_seq, tail) != 2 ||
		    strlen(in->case_no) < 13 || strlen(in->case_no) >= CASE_NO_SIZE ||
		    given_seq <= 0 || y != atoi(recv))
			val_field_error(fields, "case_no",
			                "접수번호는 SOS-(접수 연도)-0001 꼴이어야 합니다.");
		else if (exists_text(db, SQL_CASE_NO_TAKEN, in->case_no))
			val_field_error(fields, "case_no", "이미 있는 접수번호입니다.");
	}
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	/* The instant: now if received today without a time; else the KST wall time. */
	char at[24];
	if (now_time && strcmp(recv, today) == 0) {
		db_now_utc(at);
	} else {
		int32_t d;
		date_parse(recv, &d, NULL);
		if (minutes < 0)
			minutes = 9 * 60;
		db_format_utc((time_t)d * 86400 + (time_t)minutes * 60 - 9 * 3600, at);
	}

	struct workday_holidays h;
	workday_holidays_init(&h);
	char due[DATE_TEXT_SIZE];
	bz_rc rc = holiday_set_load(db, &h);
	if (rc == BZ_OK)
		rc = case_due_date(&h, recv, days, due, sizeof(due));
	workday_holidays_free(&h);
	if (rc != BZ_OK)
		return rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc;

	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	int year = atoi(recv);
	sqlite3_stmt *st = db_stmt(db, given_seq ? SQL_SEQ_PAST : SQL_SEQ_NEXT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_int(st, 1, year);
	if (given_seq)
		db_bind_int(st, 2, given_seq);
	int src = db_step(st);
	int64_t seq = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (src != SQLITE_ROW) {
		rc = db_rc(db, src, "case seq");
		goto fail;
	}
	char no[CASE_NO_SIZE];
	if (given_seq)
		bz_strlcpy(no, in->case_no, sizeof(no));
	else
		snprintf(no, sizeof(no), "SOS-%04d-%04lld", year, (long long)seq);
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_CASE_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_text(st, 1, no);
	db_bind_int(st, 2, company);
	db_bind_text(st, 3, at);
	db_bind_text(st, 4, recv);
	db_bind_text(st, 5, in->channel);
	db_bind_int(st, 6, category);
	db_bind_text(st, 7, in->title);
	db_bind_text(st, 8, in->description ? in->description : "");
	db_bind_text(st, 9, in->request ? in->request : "");
	db_bind_text(st, 10, triage);
	db_bind_text(st, 11, flag);
	db_bind_text(st, 12, due);
	if (actor->id > 0) /* 0: filed by the company online (online_request.c) */
		db_bind_int(st, 13, actor->id);
	db_bind_text(st, 14, now);
	rc = db_rc(db, db_step(st), "case insert");
	sqlite3_reset(st);
	if (rc != BZ_OK)
		goto fail;
	int64_t id = db_last_id(db);
	if ((rc = case_event_add(db, id, actor->id, "created", NULL, NULL, no, NULL)) != BZ_OK)
		goto fail;
	if ((rc = db_commit(db)) != BZ_OK)
		goto fail;
	if (id_out)
		*id_out = id;
	if (case_no)
		bz_strlcpy(case_no, no, CASE_NO_SIZE);
	return BZ_OK;
fail:
	db_rollback(db);
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
}

/* ---- reading one case --------------------------------------------------- */

static const char SQL_CASE_GET[] =
    "SELECT s.id, s.case_no, s.company_id, c.name AS company, c.brn AS company_brn, "
    "c.address AS company_address, s.received_at, s.received_on, "
    "s.channel, s.category_id, k.name AS category, k.default_days, s.title, s.description, "
    "s.request, s.triage, s.flag, s.status, s.status_reason, s.disposition, s.outcome, "
    "s.outcome_reason, s.closed_on, s.transfer_to, s.transfer_on, s.transfer_answer, "
    "s.transfer_answer_on, s.notified_method, s.notified_on, s.due_on, s.extended_due_on, "
    "s.extension_reason, s.assignee_id, u.name AS assignee, s.reassign_count, s.merged_into, "
    "m.case_no AS merged_into_no, s.created_by, cb.name AS created_by_name, s.version, "
    "s.created_at, s.updated_at, "
    "(SELECT max(reassigned_count) FROM case_referral r WHERE r.case_id = s.id) AS max_returned "
    "FROM sos_case s JOIN company c ON c.id = s.company_id "
    "JOIN case_category k ON k.id = s.category_id "
    "LEFT JOIN app_user u ON u.id = s.assignee_id "
    "LEFT JOIN app_user cb ON cb.id = s.created_by "
    "LEFT JOIN sos_case m ON m.id = s.merged_into "
    "WHERE s.id = ?1 AND " CASE_SCOPE;

static const char SQL_CASE_REFERRALS[] =
    "SELECT r.id, r.department_id, d.name AS department, d.kind AS department_kind, r.role, "
    "r.owner_id, o.name AS owner, r.due_on, r.status, r.answer, r.answered_at, "
    "a.name AS answered_by, r.reassigned_count, r.created_at "
    "FROM case_referral r JOIN department d ON d.id = r.department_id "
    "LEFT JOIN app_user o ON o.id = r.owner_id LEFT JOIN app_user a ON a.id = r.answered_by "
    "WHERE r.case_id = ?1 ORDER BY r.role = 'coop', r.id";

static const char SQL_CASE_EVENTS[] =
    "SELECT e.id, e.case_id, s.case_no, e.at, e.kind, e.field, e.old, e.new, e.note, "
    "coalesce(u.name, '시스템') AS actor "
    "FROM case_event e JOIN sos_case s ON s.id = e.case_id "
    "LEFT JOIN app_user u ON u.id = e.actor_id "
    "WHERE e.case_id = ?1 OR e.case_id IN (SELECT id FROM sos_case WHERE merged_into = ?1) "
    "ORDER BY e.at DESC, e.id DESC";

static const char SQL_CASE_NOTES[] =
    "SELECT n.id, n.case_id, s.case_no, n.at, n.body, n.shared, "
    "coalesce(u.name, '') AS author "
    "FROM case_note n JOIN sos_case s ON s.id = n.case_id "
    "LEFT JOIN app_user u ON u.id = n.author_id "
    "WHERE n.case_id = ?1 OR n.case_id IN (SELECT id FROM sos_case WHERE merged_into = ?1) "
    "ORDER BY n.at DESC, n.id DESC";

static const char SQL_CASE_ATTACHMENTS[] =
    "SELECT a.id, a.case_id, s.case_no, a.at, a.filename, a.content_type, a.size, "
    "coalesce(u.name, '') AS uploader "
    "FROM case_attachment a JOIN sos_case s ON s.id = a.case_id "
    "LEFT JOIN app_user u ON u.id = a.uploader_id "
    "WHERE a.case_id = ?1 OR a.case_id IN (SELECT id FROM sos_case WHERE merged_into = ?1) "
    "ORDER BY a.id";

static const char SQL_CASE_MERGED_FROM[] =
    "SELECT id, case_no, title FROM sos_case WHERE merged_into = ?1 ORDER BY id";

/* Runs a statement bound with ?1 = id and returns every row as JSON. */
static bz_rc rows_of(struct db *db, const char *sql, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(a, case_row_json(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, rc, "case rows");
	}
	*out = a;
	return BZ_OK;
}

static const struct {
	const char *kind;
	const char *label;
} event_kinds[] = {
    {"created", "접수"},
    {"status", "상태 변경"},
    {"triage", "분류·표시"},
    {"assign", "담당자 지정"},
    {"referral", "부서 이관"},
    {"referral_resend", "재이관"},
    {"referral_answer", "부서 답변"},
    {"referral_return", "부서 반송"},
    {"extend", "기한 연장"},
    {"notify", "결과 통보"},
    {"note", "메모"},
    {"attachment", "첨부파일"},
    {"merge", "병합"},
    {"merged_from", "병합 받음"},
    {"field", "내용 수정"},
    {"transfer_answer", "이송 기관 회신"},
    {"referral_owner", "이관 담당자"},
    {"document", "공문 발행"},
};

static const struct {
	const char *field;
	const char *label;
	const char *vocab;
} event_fields[] = {
    {"status", "상태", "status"},
    {"triage", "애로 유형", "triage"},
    {"flag", "표시", "flag"},
    {"disposition", "처리 구분", "disposition"},
    {"outcome", "처리 결과", "outcome"},
    {"notified_method", "통보 방법", "notified_method"},
    {"notified_on", "통보일", NULL},
    {"assignee", "담당자", NULL},
    {"due_on", "처리 기한", NULL},
    {"transfer_to", "이송 기관", NULL},
    {"merged_into", "병합 대상", NULL},
    {"lead", "주관부서", NULL},
    {"coop", "협조부서", NULL},
    {"note", "메모", NULL},
    {"title", "제목", NULL},
    {"description", "애로 내용", NULL},
    {"request", "기업 요청 사항", NULL},
    {"category", "애로 분야", NULL},
    {"channel", "접수 경로", "channel"},
    {"received_at", "접수 일시", NULL},
    {"transfer_answer", "회신", NULL},
    {"owner", "담당자", NULL},
};

static void decorate_event(json_t *e)
{
	const char *kind = jstr(e, "kind");
	const char *field = jstr(e, "field");
	for (size_t i = 0; i < BZ_ARRAY_LEN(event_kinds); i++)
		if (kind && strcmp(kind, event_kinds[i].kind) == 0)
			json_object_set_new(e, "kind_label", json_string(event_kinds[i].label));
	for (size_t i = 0; field && i < BZ_ARRAY_LEN(event_fields); i++) {
		if (strcmp(field, event_fields[i].field) != 0)
			continue;
		json_object_set_new(e, "field_label", json_string(event_fields[i].label));
		if (event_fields[i].vocab) {
			const char *o = case_label(event_fields[i].vocab, jstr(e, "old"));
			const char *n = case_label(event_fields[i].vocab, jstr(e, "new"));
			if (o)
				json_object_set_new(e, "old", json_string(o));
			if (n)
				json_object_set_new(e, "new", json_string(n));
		}
	}
	if (kind && strcmp(kind, "note") == 0) {
		const char *n = jstr(e, "new");
		json_object_del(e, "note");        /* the note's id: not for reading */
		json_object_del(e, "field_label"); /* "메모 · 메모" says it twice */
		json_object_set_new(
		    e, "new", json_string(n && strcmp(n, "shared") == 0 ? "기업 공유" : "내부"));
	}
	char kst[32];
	fmt_instant_kst(jstr(e, "at"), kst, sizeof(kst));
	json_object_set_new(e, "at_kst", json_string(kst));
}

bz_rc case_get(struct db *db, const struct user *actor, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CASE_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, case_scope_department(actor));
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "case get");
	}
	json_t *c = case_row_json(st);
	sqlite3_reset(st);
	case_decorate(c, kst_today_day());
	static const char *const texts[][2] = {{"description", "has_description"},
	                                       {"request", "has_request"}};
	for (size_t k = 0; k < BZ_ARRAY_LEN(texts); k++) {
		const char *t = jstr(c, texts[k][0]);
		json_object_set_new(c, texts[k][1], json_boolean(t && *t));
	}
	char brn[16];
	const char *bare = jstr(c, "company_brn");
	if (bare && brn_format(bare, brn, sizeof(brn)) == BZ_OK)
		json_object_set_new(c, "company_brn_text", json_string(brn));
	else
		json_object_set_new(c, "company_brn_text", json_string(bare ? bare : ""));
	json_t *refs = NULL, *events = NULL, *notes = NULL, *atts = NULL, *merged = NULL;
	bz_rc rc = rows_of(db, SQL_CASE_REFERRALS, id, &refs);
	if (rc == BZ_OK)
		rc = rows_of(db, SQL_CASE_EVENTS, id, &events);
	if (rc == BZ_OK)
		rc = rows_of(db, SQL_CASE_NOTES, id, &notes);
	if (rc == BZ_OK)
		rc = rows_of(db, SQL_CASE_ATTACHMENTS, id, &atts);
	if (rc == BZ_OK)
		rc = rows_of(db, SQL_CASE_MERGED_FROM, id, &merged);
	if (rc != BZ_OK) {
		json_decref(c);
		json_decref(refs);
		json_decref(events);
		json_decref(notes);
		json_decref(atts);
		json_decref(merged);
		return rc;
	}
	size_t i;
	json_t *x;
	int32_t today = kst_today_day();
	json_array_foreach(refs, i, x)
	{
		add_label(x, "role", "referral_role");
		add_label(x, "status", "referral_status");
		const char *rs = jstr(x, "status");
		json_object_set_new(x, "is_open", json_boolean(rs && strcmp(rs, "open") == 0));
		json_object_set_new(
		    x, "returned_before",
		    json_boolean(json_integer_value(json_object_get(x, "reassigned_count")) > 0));
		json_object_set_new(x, "is_returned",
		                    json_boolean(rs && strcmp(rs, "returned") == 0));
		json_object_set_new(x, "mine",
		                    json_boolean(actor->role == ROLE_DEPARTMENT &&
		                                 json_integer_value(json_object_get(
		                                     x, "department_id")) == actor->department_id));
		json_object_set_new(
		    x, "owned_by_me",
		    json_boolean(json_integer_value(json_object_get(x, "owner_id")) == actor->id));
		int32_t d;
		if (rs && strcmp(rs, "open") == 0 &&
		    date_parse(jstr(x, "due_on"), &d, NULL) == BZ_OK) {
			char lab[16];
			date_dday_label(date_dday(today, d), lab, sizeof(lab));
			json_object_set_new(x, "dday_label", json_string(lab));
			json_object_set_new(x, "overdue", json_boolean(date_dday(today, d) < 0));
		}
		const char *aa = jstr(x, "answered_at");
		if (aa) {
			char kst[32];
			fmt_instant_kst(aa, kst, sizeof(kst));
			json_object_set_new(x, "answered_at_kst", json_string(kst));
		}
	}
	json_array_foreach(events, i, x)
	{
		decorate_event(x);
		json_object_set_new(
		    x, "other_case",
		    json_boolean(json_integer_value(json_object_get(x, "case_id")) != id));
	}
	json_array_foreach(notes, i, x)
	{
		char kst[32];
		fmt_instant_kst(jstr(x, "at"), kst, sizeof(kst));
		json_object_set_new(x, "at_kst", json_string(kst));
		json_object_set_new(x, "shared",
		                    json_boolean(json_integer_value(json_object_get(x, "shared"))));
		json_object_set_new(
		    x, "other_case",
		    json_boolean(json_integer_value(json_object_get(x, "case_id")) != id));
	}
	json_array_foreach(atts, i, x)
	{
		char kst[32], size[32];
		fmt_instant_kst(jstr(x, "at"), kst, sizeof(kst));
		json_object_set_new(x, "at_kst", json_string(kst));
		json_int_t n = json_integer_value(json_object_get(x, "size"));
		if (n < 1024)
			snprintf(size, sizeof(size), "%lld B", (long long)n);
		else if (n < 1024 * 1024)
			snprintf(size, sizeof(size), "%.1f KB", (double)n / 1024.0);
		else
			snprintf(size, sizeof(size), "%.1f MB", (double)n / (1024.0 * 1024.0));
		json_object_set_new(x, "size_text", json_string(size));
	}
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "case", c, "referrals", refs, "events",
	                 events, "notes", notes, "attachments", atts, "merged_from", merged);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

static const char SQL_CASE_CURRENT[] =
    "SELECT s.id, s.case_no, s.version, s.status, s.title, s.description, s.request, "
    "s.category_id, k.name AS category, s.channel, s.received_on, s.received_at, s.triage, "
    "s.flag, s.assignee_id, u.name AS assignee, s.due_on, s.extended_due_on, "
    "s.notified_method, s.notified_on, s.disposition, s.outcome, s.transfer_to, s.transfer_on, "
    "s.transfer_answer, s.transfer_answer_on, s.merged_into, s.updated_at "
    "FROM sos_case s JOIN case_category k ON k.id = s.category_id "
    "LEFT JOIN app_user u ON u.id = s.assignee_id "
    "WHERE s.id = ?1 AND " CASE_SCOPE;

bz_rc case_current(struct db *db, const struct user *actor, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CASE_CURRENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, case_scope_department(actor));
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "case current");
	}
	*out = case_row_json(st);
	sqlite3_reset(st);
	add_label(*out, "status", "status");
	add_label(*out, "channel", "channel");
	return BZ_OK;
}

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
static const struct search_spec CASE_SEARCH = {"case_fts", "s.id", CASE_SEARCH_COLS, 1};

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
	           "s.notified_method, p.mine AS mine "
	           "FROM (SELECT s.id AS pid, %s AS mine FROM sos_case s WHERE %s "
	           "ORDER BY %s%s %s, s.id %s LIMIT ? OFFSET ?) p "
	           "JOIN sos_case s ON s.id = p.pid "
	           "JOIN company c ON c.id = s.company_id "
	           "JOIN case_category k ON k.id = s.category_id "
	           "LEFT JOIN app_user u ON u.id = s.assignee_id "
	           "ORDER BY %s%s %s, s.id %s",
	           mine, buf_cstr(&w), scoped ? "mine DESC, " : "", order, dir, dir,
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
	sqlite3_bind_int(sst, next, per);
	sqlite3_bind_int64(sst, next + 1, (int64_t)(page - 1) * (per > 0 ? per : 0));
	arr = json_array();
	int32_t td = kst_today_day();
	while ((src = db_step(sst)) == SQLITE_ROW) {
		json_t *row = case_row_json(sst);
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

static bz_rc all_rows(struct db *db, const char *sql, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(a, case_row_json(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, rc, "rows");
	}
	*out = a;
	return BZ_OK;
}

bz_rc case_assignees(struct db *db, json_t **out)
{
	return all_rows(db, SQL_ASSIGNEES, out);
}

bz_rc case_departments(struct db *db, json_t **out)
{
	return all_rows(db, SQL_DEPARTMENTS, out);
}

static const char SQL_DEPARTMENT_USERS[] =
    "SELECT u.id, u.name, u.department_id, d.name AS department FROM app_user u "
    "JOIN department d ON d.id = u.department_id WHERE u.role = 'department' "
    "AND u.disabled_at IS NULL AND d.retired_at IS NULL ORDER BY d.kind, d.name, u.name, u.id";

bz_rc case_department_users(struct db *db, json_t **out)
{
	return all_rows(db, SQL_DEPARTMENT_USERS, out);
}
