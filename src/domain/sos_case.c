/* SOS cases: the helpers the case module shares (scope, history events, text
 * and date checks, row decoration), deadlines, and reading one case. The
 * rules are in case_rules.c, creating in case_create.c, the list and other
 * queries in case_query.c, writes to an existing case in case_write.c and
 * case_referral.c. */
#include "bizsos/brn.h"
#include "bizsos/notify.h"
#include "bizsos/search.h"
#include "bizsos/kst.h"
#include "case_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers shared by the module --------------------------------- */

int64_t case_scope_department(const struct user *actor)
{
	if (actor->role != ROLE_DEPARTMENT)
		return 0;
	return actor->department_id > 0 ? actor->department_id : -1;
}

bz_rc case_event_add(struct db *db, int64_t case_id, int64_t actor_id, const char *kind,
                     const char *field, const char *old, const char *new_, const char *note)
{
	bz_rc rc =
	    db_event_add(db, EVENT_CASE, case_id, NULL, actor_id, kind, field, old, new_, note);
	/* the notices and messages this change owes, in the same transaction */
	if (rc == BZ_OK)
		rc = notify_case_event(db, case_id, actor_id, kind, field, old, new_);
	return rc;
}

void case_check_texts(const char *title, const char *description, const char *request,
                      json_t *fields)
{
	if (title == NULL || !user_text_valid(title, CASE_TITLE_CHARS))
		val_field_error(fields, "title", "제목을 1~200자로 입력해 주세요.");
	if (!case_text_ok(description, CASE_TEXT_CHARS, false))
		val_field_error(fields, "description", "내용은 10,000자까지 입력할 수 있습니다.");
	if (!case_text_ok(request, CASE_TEXT_CHARS, false))
		val_field_error(fields, "request", "요청 사항은 10,000자까지 입력할 수 있습니다.");
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
bz_rc case_visible_row(struct db *db, const struct user *actor, const char *sql, int64_t id,
                       const char *what, sqlite3_stmt **out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, case_scope_department(actor));
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, what);
	}
	*out = st;
	return BZ_OK;
}

bz_rc case_rows(struct db *db, const char *sql, int64_t id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	if (id)
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
	sqlite3_stmt *st = NULL;
	bz_rc vrc = case_visible_row(db, actor, SQL_CASE_GET, id, "case get", &st);
	if (vrc != BZ_OK)
		return vrc;
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
	bz_rc rc = case_rows(db, SQL_CASE_REFERRALS, id, &refs);
	if (rc == BZ_OK)
		rc = case_rows(db, SQL_CASE_EVENTS, id, &events);
	if (rc == BZ_OK)
		rc = case_rows(db, SQL_CASE_NOTES, id, &notes);
	if (rc == BZ_OK)
		rc = case_rows(db, SQL_CASE_ATTACHMENTS, id, &atts);
	if (rc == BZ_OK)
		rc = case_rows(db, SQL_CASE_MERGED_FROM, id, &merged);
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
	if (*out == NULL)
		return BZ_ERR_NOMEM;
	case_can(actor, *out);
	return BZ_OK;
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
	sqlite3_stmt *st = NULL;
	bz_rc vrc = case_visible_row(db, actor, SQL_CASE_CURRENT, id, "case current", &st);
	if (vrc != BZ_OK)
		return vrc;
	*out = case_row_json(st);
	sqlite3_reset(st);
	add_label(*out, "status", "status");
	add_label(*out, "channel", "channel");
	return BZ_OK;
}
