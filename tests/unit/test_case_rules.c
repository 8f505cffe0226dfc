/* The rules of SOS cases without HTTP: the status machine table for every
 * from -> to x role (against an expectation written out here, not derived
 * from the table), deadlines over the seeded holiday table across 설날 and
 * 추석 and a substitute holiday, per-year numbering, the action table, and
 * what attachments are accepted by their bytes. */
#include "bizsos/sos_case.h"
#include "bizsos/store_raw.h"
#include "bizsos/store.h"
#include "harness.h"

#include <stdlib.h>

static const char *const statuses[] = {"received",    "reviewing", "in_progress", "done",
                                       "transferred", "withdrawn", "bogus"};
static const int roles[] = {ROLE_STAFF, ROLE_LEADER, ROLE_EXECUTIVE, ROLE_DEPARTMENT, ROLE_ADMIN};

/* The expected answer for (from, to, role): 'A' allowed, 'F' forbidden (the
 * move exists, not for this role), 'I' no such move. */
static char expected(const char *from, const char *to, int role)
{
	bool open = strcmp(from, "received") == 0 || strcmp(from, "reviewing") == 0 ||
	            strcmp(from, "in_progress") == 0;
	bool staff_or_leader = role == ROLE_STAFF || role == ROLE_LEADER;
	if ((strcmp(from, "received") == 0 && strcmp(to, "reviewing") == 0) ||
	    (strcmp(from, "reviewing") == 0 && strcmp(to, "in_progress") == 0))
		return staff_or_leader ? 'A' : 'F';
	if (open && strcmp(to, "withdrawn") == 0)
		return staff_or_leader ? 'A' : 'F';
	if (open && (strcmp(to, "done") == 0 || strcmp(to, "transferred") == 0))
		return role == ROLE_LEADER ? 'A' : 'F';
	if (strcmp(from, "done") == 0 && strcmp(to, "in_progress") == 0)
		return role == ROLE_LEADER ? 'A' : 'F';
	return 'I';
}

static void machine(void)
{
	int allowed = 0, checked = 0;
	for (size_t f = 0; f < BZ_ARRAY_LEN(statuses); f++)
		for (size_t t = 0; t < BZ_ARRAY_LEN(statuses); t++)
			for (size_t r = 0; r < BZ_ARRAY_LEN(roles); r++) {
				const struct case_transition *tr = NULL;
				bz_rc rc =
				    case_transition_check(statuses[f], statuses[t], roles[r], &tr);
				char got = rc == BZ_OK              ? 'A'
				           : rc == BZ_ERR_FORBIDDEN ? 'F'
				           : rc == BZ_ERR_INVALID   ? 'I'
				                                    : '?';
				char want = expected(statuses[f], statuses[t], roles[r]);
				CHECK(got == want, "%s -> %s as %s: %c, expected %c", statuses[f],
				      statuses[t], role_name(roles[r]), got, want);
				allowed += got == 'A';
				checked++;
			}
	CHECK_INT(checked, 7 * 7 * 5);
	CHECK_INT(allowed, 2 * 2 + 3 * 2 + 3 + 3 + 1); /* see expected() */
	/* what each move needs */
	const struct case_transition *t = NULL;
	case_transition_check("in_progress", "done", ROLE_LEADER, &t);
	CHECK(t && (t->needs & CASE_NEED_COMPLETION), "done needs completion");
	case_transition_check("received", "transferred", ROLE_LEADER, &t);
	CHECK(t && (t->needs & CASE_NEED_TRANSFER), "transfer needs where and when");
	case_transition_check("reviewing", "withdrawn", ROLE_STAFF, &t);
	CHECK(t && (t->needs & CASE_NEED_REASON), "withdrawal needs a reason");
	case_transition_check("done", "in_progress", ROLE_LEADER, &t);
	CHECK(t && (t->needs & CASE_NEED_REASON), "reopening needs a reason");
	CHECK_INT(case_transition_check(NULL, "done", ROLE_LEADER, NULL), BZ_ERR_INVALID);
	CHECK(case_status_open("reviewing") && !case_status_open("done") && !case_status_open(NULL),
	      "open statuses");

	/* the other actions */
	struct user u = {.id = 1, .role = ROLE_EXECUTIVE};
	for (int a = 0; a < CASE_ACT_COUNT; a++)
		CHECK(!case_may(&u, (enum case_action)a), "executive only reads (action %d)", a);
	u.role = ROLE_DEPARTMENT;
	CHECK(case_may(&u, CASE_ACT_ANSWER) && case_may(&u, CASE_ACT_NOTE) &&
	          !case_may(&u, CASE_ACT_REFER) && !case_may(&u, CASE_ACT_CREATE) &&
	          !case_may(&u, CASE_ACT_EXTEND),
	      "department answers and notes only");
	u.role = ROLE_ADMIN;
	CHECK(case_may(&u, CASE_ACT_CATEGORIES) && !case_may(&u, CASE_ACT_CREATE),
	      "admin: categories only");
	u.role = ROLE_STAFF;
	CHECK(case_may(&u, CASE_ACT_CREATE) && !case_may(&u, CASE_ACT_MERGE), "staff");
	u.role = ROLE_LEADER;
	CHECK(case_may(&u, CASE_ACT_MERGE) && case_may(&u, CASE_ACT_ANSWER), "leader");
	CHECK_STR(case_label("status", "in_progress"), "처리중");
	CHECK_STR(case_label("outcome", "partial"), "일부수용");
	CHECK(case_label("status", "nope") == NULL, "unknown code");
}

/* Frozen clock: 2025-03-14 10:00 KST. */
static time_t fixed_now(void)
{
	return 1741914000; /* 2025-03-14T01:00:00Z */
}

static void deadlines(struct db *db)
{
	struct workday_holidays h;
	workday_holidays_init(&h);
	CHECK_INT(holiday_set_load(db, &h), BZ_OK);
	static const struct {
		const char *received;
		int days;
		const char *due;
		const char *why;
	} cases[] = {
	    {"2025-01-24", 7, "2025-02-10", "설날 2025 with the 01-27 temporary holiday"},
	    {"2026-02-13", 7, "2026-02-27", "설날 2026"},
	    {"2024-09-13", 7, "2024-09-27", "추석 2024"},
	    {"2024-09-13", 14, "2024-10-11", "추석 2024, 국군의날, 개천절, 한글날"},
	    {"2024-09-14", 7, "2024-09-30", "received on a Saturday before 추석"},
	    {"2025-10-02", 7, "2025-10-20", "추석 2025 with its substitute holiday"},
	    {"2026-10-02", 7, "2026-10-15", "substitute holiday for 개천절 2026"},
	    {"2026-09-23", 7, "2026-10-07", "추석 2026 (Saturday 연휴) and 대체 개천절"},
	    {"2025-03-14", 7, "2025-03-25", "an ordinary week"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(cases); i++) {
		char due[DATE_TEXT_SIZE] = "";
		CHECK_INT(case_due_date(&h, cases[i].received, cases[i].days, due, sizeof(due)),
		          BZ_OK);
		CHECK(strcmp(due, cases[i].due) == 0, "%s + %d: %s, expected %s (%s)",
		      cases[i].received, cases[i].days, due, cases[i].due, cases[i].why);
	}
	char due[DATE_TEXT_SIZE];
	CHECK_INT(case_due_date(&h, "2025-02-30", 7, due, sizeof(due)), BZ_ERR_INVALID);
	workday_holidays_free(&h);
}

static int64_t category(struct db *db, const char *name)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db_handle(db), "SELECT id FROM case_category WHERE name = ?", -1,
	                       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return id;
}

static void numbering(struct db *db)
{
	CHECK_INT(
	    db_exec(db, "INSERT INTO app_user (id, login, name, role, password_hash) "
	                "VALUES (7, 'kim', '김주무', 'staff', 'x');"
	                "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) "
	                "VALUES (3, '한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                "'2025-01-01T00:00:00Z')"),
	    BZ_OK);
	struct user staff = {.id = 7, .role = ROLE_STAFF};
	char cat[32], permit[32];
	snprintf(cat, sizeof(cat), "%lld", (long long)category(db, "자금"));
	snprintf(permit, sizeof(permit), "%lld", (long long)category(db, "인허가·규제"));
	struct case_input in = {
	    .company_id = "3", .channel = "phone", .category_id = cat, .title = "운전자금 문의"};
	char no[CASE_NO_SIZE];
	int64_t id = 0;
	for (int i = 1; i <= 3; i++) {
		json_t *f = json_object();
		CHECK_INT(case_create(db, &staff, &in, f, &id, no), BZ_OK);
		char want[CASE_NO_SIZE];
		snprintf(want, sizeof(want), "SOS-2025-%04d", i);
		CHECK_STR(no, want);
		json_decref(f);
	}
	/* received today (frozen: 2025-03-14): 7 working days */
	json_t *c = NULL;
	CHECK_INT(case_get(db, &staff, id, &c), BZ_OK);
	CHECK_STR(json_string_value(json_object_get(json_object_get(c, "case"), "due_on")),
	          "2025-03-25");
	CHECK_STR(json_string_value(json_object_get(json_object_get(c, "case"), "dday_label")),
	          "D-11");
	json_decref(c);
	/* a case received in 2024 gets a 2024 number, its own sequence */
	in.received_on = "2024-09-13";
	in.category_id = permit;
	json_t *f = json_object();
	CHECK_INT(case_create(db, &staff, &in, f, &id, no), BZ_OK);
	CHECK_STR(no, "SOS-2024-0001");
	CHECK_INT(case_get(db, &staff, id, &c), BZ_OK);
	json_t *k = json_object_get(c, "case");
	CHECK_STR(json_string_value(json_object_get(k, "due_on")), "2024-10-11");
	CHECK(json_is_true(json_object_get(k, "overdue")), "overdue");
	CHECK(json_is_true(json_object_get(k, "open_too_long")), "open more than 30 days");
	CHECK_STR(json_string_value(json_object_get(k, "received_at")), "2024-09-13T00:00:00Z");
	json_decref(c);
	/* a refused case takes no number; the next one continues the sequence */
	in.title = "";
	CHECK_INT(case_create(db, &staff, &in, f, &id, no), BZ_ERR_INVALID);
	CHECK(json_object_get(f, "title") != NULL, "title error");
	json_decref(f);
	f = json_object();
	in.title = "다음 사건";
	in.received_on = NULL;
	in.category_id = cat;
	CHECK_INT(case_create(db, &staff, &in, f, &id, no), BZ_OK);
	CHECK_STR(no, "SOS-2025-0004");
	json_decref(f);
	/* cases and their history are never deleted */
	CHECK(db_exec(db, "DELETE FROM sos_case") != BZ_OK, "sos_case refuses DELETE");
	CHECK(db_exec(db, "DELETE FROM case_event") != BZ_OK, "case_event refuses DELETE");
	/* department users see nothing not referred to them */
	struct user dept = {.id = 8, .role = ROLE_DEPARTMENT, .department_id = 1};
	CHECK_INT(case_get(db, &dept, id, &c), BZ_ERR_NOTFOUND);
	/* executives may not create */
	struct user exec = {.id = 9, .role = ROLE_EXECUTIVE};
	f = json_object();
	CHECK_INT(case_create(db, &exec, &in, f, &id, no), BZ_ERR_FORBIDDEN);
	json_decref(f);
}

static void files(void)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *type;
	} samples[] = {
	    {"%PDF-1.7\n", 9, "application/pdf"},
	    {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "image/png"},
	    {"\xff\xd8\xff\xe0\0\x10JFIF", 10, "image/jpeg"},
	    {"GIF89a\x01\0", 8, "image/gif"},
	    {"RIFF\0\0\0\0WEBPVP8 ", 16, "image/webp"},
	    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "application/x-hwp"},
	    {"PK\x03\x04\x14\0", 6, "application/zip"},
	    {"회의 결과 메모\n둘째 줄", 30, "text/plain; charset=utf-8"},
	    {"MZ\x90\0\x03\0", 6, NULL},
	    {"\x7f"
	     "ELF\x02\x01",
	     6, NULL},
	    {"#!/bin/sh\nrm -rf /\n", 19, NULL},
	    {"  <!DOCTYPE html><p>", 20, NULL},
	    {"<svg onload=alert(1)>", 21, NULL},
	    {"\xca\xfe\xba\xbe", 4, NULL},
	    {"", 0, NULL},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(samples); i++) {
		const char *t =
		    case_sniff_type((const unsigned char *)samples[i].bytes, samples[i].n);
		CHECK((t == NULL && samples[i].type == NULL) ||
		          (t && samples[i].type && strcmp(t, samples[i].type) == 0),
		      "sample %zu: %s, expected %s", i, t ? t : "(refused)",
		      samples[i].type ? samples[i].type : "(refused)");
	}
	/* a UTF-8 character cut by the sample's end is still text */
	CHECK(case_sniff_type((const unsigned char *)"abc\xed\x95", 5) != NULL, "cut sample");
	char out[256];
	case_safe_filename("../../etc/passwd", out, sizeof(out));
	CHECK_STR(out, "passwd");
	case_safe_filename("C:\\Users\\kim\\현장 사진.png", out, sizeof(out));
	CHECK_STR(out, "현장 사진.png");
	case_safe_filename("a\"b;c\r\n.pdf", out, sizeof(out));
	CHECK_STR(out, "a_b_c__.pdf");
	case_safe_filename("...", out, sizeof(out));
	CHECK_STR(out, "첨부파일");
	case_safe_filename(NULL, out, sizeof(out));
	CHECK_STR(out, "첨부파일");
	CHECK_INT(case_parse_id("42"), 42);
	CHECK_INT(case_parse_id("042"), 0);
	CHECK_INT(case_parse_id("4x"), 0);
	CHECK_INT(case_parse_id("99999999999999999999"), 0);
}

int main(void)
{
	machine();
	files();
	db_clock_override(fixed_now);
	struct db *db = t_fresh_db("cases.db");
	if (db) {
		deadlines(db);
		numbering(db);
		db_close(db);
	}
	db_clock_override(NULL);
	t_cleanup();
	return t_done();
}
