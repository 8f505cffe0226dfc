/* Editing a case without HTTP (src/domain/case_edit.c): who may, the
 * due-date rule over the holiday table (a new category or received date
 * recomputes across 설날 and 추석; an extended case keeps its dates), events
 * old -> new, nothing written on refusal or when nothing changed, stale
 * versions; and the roles of the actions added with it. */
#include "bizsos/sos_case.h"
#include "bizsos/store_raw.h"
#include "bizsos/store.h"
#include "harness.h"

#include <stdlib.h>

/* Frozen clock: 2025-03-14 10:00 KST. */
static time_t fixed_now(void)
{
	return 1741914000;
}

static const char *case_str(json_t *c, const char *key)
{
	return json_string_value(json_object_get(json_object_get(c, "case"), key));
}

static void actions(void)
{
	static const struct {
		int role;
		bool edit, transfer_answer, owner;
	} want[] = {
	    {ROLE_STAFF, true, true, false},       {ROLE_LEADER, true, true, true},
	    {ROLE_EXECUTIVE, false, false, false}, {ROLE_DEPARTMENT, false, false, false},
	    {ROLE_ADMIN, false, false, false},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(want); i++) {
		struct user u = {.id = 1, .role = want[i].role};
		CHECK(case_may(&u, CASE_ACT_EDIT) == want[i].edit, "edit as %s",
		      role_name(want[i].role));
		CHECK(case_may(&u, CASE_ACT_TRANSFER_ANSWER) == want[i].transfer_answer,
		      "transfer answer as %s", role_name(want[i].role));
		CHECK(case_may(&u, CASE_ACT_REFERRAL_OWNER) == want[i].owner, "owner as %s",
		      role_name(want[i].role));
	}
}

static void edit(struct db *db)
{
	CHECK_INT(
	    db_exec(db, "INSERT INTO app_user (id, login, name, role, password_hash) VALUES "
	                "(7, 'kim', '김주무', 'staff', 'x'), (8, 'lee', '이팀장', 'leader', 'x');"
	                "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) "
	                "VALUES (3, '한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                "'2025-01-01T00:00:00Z')"),
	    BZ_OK);
	struct user staff = {.id = 7, .role = ROLE_STAFF};
	struct user dept = {.id = 9, .role = ROLE_DEPARTMENT, .department_id = 1};
	char fund[32], permit[32];
	snprintf(fund, sizeof(fund), "%lld",
	         (long long)t_db_int(db, "SELECT id FROM case_category WHERE name = '자금'", 0));
	snprintf(
	    permit, sizeof(permit), "%lld",
	    (long long)t_db_int(db, "SELECT id FROM case_category WHERE name = '인허가·규제'", 0));
	struct case_input in = {.company_id = "3",
	                        .channel = "visit",
	                        .category_id = fund,
	                        .title = "운전자금 문의",
	                        .received_on = "2025-01-24",
	                        .received_time = "09:30"};
	json_t *f = json_object();
	int64_t id = 0;
	CHECK_INT(case_create(db, &staff, &in, f, &id, NULL), BZ_OK);
	json_t *c = NULL;
	CHECK_INT(case_get(db, &staff, id, &c), BZ_OK);
	CHECK_STR(case_str(c, "due_on"), "2025-02-10"); /* across 설날 2025 */
	json_decref(c);

	/* 인허가·규제 (14) received 2024-09-13: across 추석, 국군의날, 개천절, 한글날 */
	struct case_edit_input e = {.title = "인허가 지연",
	                            .description = "",
	                            .request = "",
	                            .category_id = permit,
	                            .channel = "visit",
	                            .received_on = "2024-09-13",
	                            .received_time = ""};
	bool changed = false;
	char msg[512] = "";
	CHECK_INT(case_edit(db, &staff, id, 1, &e, &changed, f, msg, sizeof(msg)), BZ_OK);
	CHECK(changed, "changed");
	CHECK_INT(case_get(db, &staff, id, &c), BZ_OK);
	CHECK_STR(case_str(c, "due_on"), "2024-10-11");
	CHECK_STR(case_str(c, "received_at"), "2024-09-13T00:30:00Z"); /* the time stays 09:30 */
	CHECK_INT(json_integer_value(json_object_get(json_object_get(c, "case"), "version")), 2);
	json_decref(c);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM case_event WHERE kind = 'field'", 0), 4);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM case_event WHERE field = 'due_on' AND "
	                   "old = '2025-02-10' AND new = '2024-10-11'",
	                   0),
	          1);
	/* the case number keeps its year: numbers are never reused */
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sos_case WHERE case_no = 'SOS-2025-0001'", 0),
	          1);

	/* nothing changed: BZ_OK, no version, no event */
	e.received_time = "09:30";
	CHECK_INT(case_edit(db, &staff, id, 2, &e, &changed, f, msg, sizeof(msg)), BZ_OK);
	CHECK(!changed, "nothing changed");
	CHECK_INT(t_db_int(db, "SELECT version FROM sos_case WHERE id = 1", 0), 2);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM case_event WHERE kind = 'field'", 0), 4);

	/* refused: stale version, a department user, bad fields; nothing written */
	e.title = "늦은 제목";
	CHECK_INT(case_edit(db, &staff, id, 1, &e, &changed, f, msg, sizeof(msg)), BZ_ERR_CONFLICT);
	CHECK_INT(case_edit(db, &dept, id, 2, &e, &changed, f, msg, sizeof(msg)), BZ_ERR_NOTFOUND);
	struct user dept_self = {.id = 9, .role = ROLE_DEPARTMENT, .department_id = 0};
	CHECK_INT(case_edit(db, &dept_self, id, 2, &e, &changed, f, msg, sizeof(msg)),
	          BZ_ERR_NOTFOUND);
	e.title = "";
	e.received_on = "2025-03-15"; /* tomorrow */
	CHECK_INT(case_edit(db, &staff, id, 2, &e, &changed, f, msg, sizeof(msg)), BZ_ERR_INVALID);
	CHECK(json_object_get(f, "title") && json_object_get(f, "received_on"), "both named");
	json_decref(f);
	f = json_object();
	e.title = "인허가 지연";
	e.received_on = "2024-09-13";
	e.category_id = "999";
	CHECK_INT(case_edit(db, &staff, id, 2, &e, &changed, f, msg, sizeof(msg)), BZ_ERR_INVALID);
	json_decref(f);
	f = json_object();
	CHECK_INT(t_db_int(db, "SELECT version FROM sos_case WHERE id = 1", 0), 2);

	/* extended: the category changes, the dates stay */
	CHECK_INT(case_extend(db, &staff, id, 2, "2024-10-25", "현장 확인", f, msg, sizeof(msg)),
	          BZ_OK);
	e.category_id = fund;
	e.received_on = "2024-09-20";
	CHECK_INT(case_edit(db, &staff, id, 3, &e, &changed, f, msg, sizeof(msg)), BZ_OK);
	CHECK_INT(case_get(db, &staff, id, &c), BZ_OK);
	CHECK_STR(case_str(c, "due_on"), "2024-10-11");
	CHECK_STR(case_str(c, "extended_due_on"), "2024-10-25");
	CHECK_STR(case_str(c, "category"), "자금");
	CHECK_STR(case_str(c, "received_on"), "2024-09-20");
	json_decref(c);
	json_decref(f);
}

/* A case number given by hand (an import, a paper register): taken once, then
 * refused with a Korean field error, together with the form's other errors;
 * never a second case with it. */
static void given_number(struct db *db)
{
	struct user staff = {.id = 7, .role = ROLE_STAFF};
	char fund[32];
	snprintf(fund, sizeof(fund), "%lld",
	         (long long)t_db_int(db, "SELECT id FROM case_category WHERE name = '자금'", 0));
	struct case_input in = {.company_id = "3",
	                        .channel = "phone",
	                        .category_id = fund,
	                        .title = "수기 대장 사건",
	                        .received_on = "2025-03-03",
	                        .case_no = "SOS-2025-0777"};
	json_t *f = json_object();
	char no[CASE_NO_SIZE] = "";
	CHECK_INT(case_create(db, &staff, &in, f, NULL, no), BZ_OK);
	CHECK_STR(no, "SOS-2025-0777");
	json_decref(f);

	f = json_object();
	CHECK_INT(case_create(db, &staff, &in, f, NULL, NULL), BZ_ERR_INVALID);
	CHECK_STR(json_string_value(json_object_get(f, "case_no")), "이미 있는 접수번호입니다.");
	json_decref(f);

	in.channel = "pigeon";
	f = json_object();
	CHECK_INT(case_create(db, &staff, &in, f, NULL, NULL), BZ_ERR_INVALID);
	CHECK_STR(json_string_value(json_object_get(f, "case_no")), "이미 있는 접수번호입니다.");
	CHECK_STR(json_string_value(json_object_get(f, "channel")), "접수 경로를 골라 주세요.");
	json_decref(f);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sos_case WHERE case_no = 'SOS-2025-0777'", 0),
	          1);
}

int main(void)
{
	actions();
	db_clock_override(fixed_now);
	struct db *db = t_fresh_db("edit.db");
	if (db) {
		edit(db);
		given_number(db);
		db_close(db);
	}
	db_clock_override(NULL);
	t_cleanup();
	return t_done();
}
