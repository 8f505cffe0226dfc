/* Companies: validation of every field (and the Korean message for each kind of
 * bad input), duplicate BRN, similar names, optimistic concurrency, history,
 * contacts and the access log, masking, list search with 2- and 3+-syllable
 * Korean, the timeline, and the admin reference data (departments, holidays). */
#include "bizsos/company.h"
#include "bizsos/store_raw.h"
#include "bizsos/brn.h"
#include "bizsos/user.h"
#include "harness.h"

#include <stdlib.h>

static const char *field_msg(const struct company_outcome *o, const char *key)
{
	return json_string_value(json_object_get(o->fields, key));
}

static void test_masking(void)
{
	char out[128];
	static const char *const names[][2] = {
	    {"김철수", "김*수"}, {"김수", "김*"}, {"남궁민수", "남**수"},
	    {"김", "*"},         {"", ""},        {"John Smith", "J*** ****h"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(names); i++) {
		mask_name(names[i][0], out, sizeof(out));
		CHECK_STR(out, names[i][1]);
	}
	mask_name(NULL, out, sizeof(out));
	CHECK_STR(out, "");
	static const char *const phones[][2] = {
	    {"010-1234-5678", "010-****-5678"}, {"01012345678", "010****5678"},
	    {"02-123-4567", "02-***-4567"},     {"031-987-6543", "031-***-6543"},
	    {"1588-1234", "****-1234"},         {"", ""},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(phones); i++) {
		mask_phone(phones[i][0], out, sizeof(out));
		CHECK_STR(out, phones[i][1]);
	}
	static const char *const emails[][2] = {
	    {"kim@example.com", "k***@example.com"},
	    {"김철수@회사.kr", "김***@회사.kr"},
	    {"x", "x***"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(emails); i++) {
		mask_email(emails[i][0], out, sizeof(out));
		CHECK_STR(out, emails[i][1]);
	}
	/* a small buffer truncates, never overflows */
	char small[6];
	mask_phone("010-1234-5678", small, sizeof(small));
	CHECK_STR(small, "010-*");
}

static void test_name_key(void)
{
	char k1[256], k2[256];
	static const char *const same[] = {"(주)한빛정밀",     "한빛정밀 주식회사", "㈜ 한빛 정밀",
	                                   "주식회사한빛정밀", "한빛정밀（주）",    "한빛정밀(유)",
	                                   "유한회사 한빛정밀"};
	company_name_key("한빛정밀", k1, sizeof(k1));
	CHECK_STR(k1, "한빛정밀");
	for (size_t i = 0; i < BZ_ARRAY_LEN(same); i++) {
		company_name_key(same[i], k2, sizeof(k2));
		CHECK(strcmp(k1, k2) == 0, "\"%s\" keys to \"%s\"", same[i], k2);
	}
	company_name_key("ABC Tech (주)", k1, sizeof(k1));
	company_name_key("abctech", k2, sizeof(k2));
	CHECK_STR(k1, k2);
	company_name_key("한빛정밀산업", k2, sizeof(k2));
	CHECK(strcmp(k2, "한빛정밀") != 0, "a longer name is another company");
}

static void test_phone(void)
{
	char out[64];
	const char *msg = NULL;
	static const char *const ok[][2] = {
	    {"01012345678", "010-1234-5678"}, {"010 1234 5678", "010-1234-5678"},
	    {"0212345678", "02-1234-5678"},   {"(031) 123-4567", "031-123-4567"},
	    {"15881234", "1588-1234"},        {"+82 10 1234 5678", "+82 10 1234 5678"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(ok); i++) {
		CHECK(contact_phone_normalize(ok[i][0], out, sizeof(out), &msg), "%s", ok[i][0]);
		CHECK_STR(out, ok[i][1]);
	}
	static const char *const bad[] = {"010-12", "전화 010-1234-5678", "010-1234-5678 내선 3",
	                                  "123456789012345678901"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		msg = NULL;
		CHECK(!contact_phone_normalize(bad[i], out, sizeof(out), &msg), "%s refused",
		      bad[i]);
		CHECK_STR(msg, "전화번호는 숫자와 - ( ) + 기호로 8~20자리를 입력하세요.");
	}
}

/* A valid BRN from nine digits. */
static void make_brn(const char *nine, char out[BRN_BARE_SIZE])
{
	memcpy(out, nine, 9);
	out[9] = (char)('0' + brn_check_digit(nine));
	out[10] = '\0';
}

static struct company_input valid_input(void)
{
	struct company_input in = {
	    .name = "한빛정밀(주)",
	    .brn = "120-81-47521",
	    .crn = "",
	    .representative = "김대표",
	    .ksic_code = "C29",
	    .address = "경기도 예시시 산단로 12",
	    .zone = "예시일반산업단지",
	    .employees = "1,200",
	    .founded_on = "1998-04-15",
	    .notes = "스마트공장 구축 희망\n자금 상담 요청",
	};
	return in;
}

static void test_create_and_validate(struct db *db, int64_t uid)
{
	struct company_outcome o;
	int64_t id = 0;

	/* every kind of bad input, each with its Korean message, nothing written */
	struct company_input in = {.name = "  ",
	                           .brn = "120-81-47522",
	                           .crn = "110111-123456",
	                           .representative = "",
	                           .ksic_code = "Z99",
	                           .employees = "-3",
	                           .founded_on = "2023-02-29",
	                           .notes = ""};
	CHECK_INT(company_create(db, uid, &in, &id, &o), BZ_ERR_INVALID);
	CHECK_STR(field_msg(&o, "name"), "기업명을 입력하세요.");
	CHECK(field_msg(&o, "brn") && strstr(field_msg(&o, "brn"), "사업자등록번호"),
	      "brn message: %s", field_msg(&o, "brn"));
	CHECK(field_msg(&o, "crn") != NULL, "crn message");
	CHECK_STR(field_msg(&o, "ksic_code"), "업종은 목록에서 고르세요.");
	CHECK(field_msg(&o, "employees") != NULL, "employees message");
	CHECK(field_msg(&o, "founded_on") != NULL, "founded_on message");
	company_outcome_free(&o);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM company WHERE ?1", 1), 0);

	in = valid_input();
	in.founded_on = "2999-01-01";
	in.employees = "abc";
	CHECK_INT(company_create(db, uid, &in, &id, &o), BZ_ERR_INVALID);
	CHECK_STR(field_msg(&o, "founded_on"), "설립일은 오늘 이후일 수 없습니다.");
	CHECK_STR(field_msg(&o, "employees"),
	          "종업원 수는 0 이상의 정수로 입력하세요(예: 35 또는 1,200).");
	company_outcome_free(&o);
	char longname[512] = "";
	for (int i = 0; i < 101; i++)
		bz_strlcpy(longname + strlen(longname), "가", sizeof(longname) - strlen(longname));
	in = valid_input();
	in.name = longname;
	CHECK_INT(company_create(db, uid, &in, &id, &o), BZ_ERR_INVALID);
	CHECK_STR(field_msg(&o, "name"), "기업명은 100자 이내로 입력하세요.");
	company_outcome_free(&o);
	in = valid_input();
	in.name = "제어\x01문자";
	CHECK_INT(company_create(db, uid, &in, &id, &o), BZ_ERR_INVALID);
	company_outcome_free(&o);

	/* a valid company; the BRN is stored bare, shown with dashes */
	in = valid_input();
	CHECK_INT(company_create(db, uid, &in, &id, &o), BZ_OK);
	company_outcome_free(&o);
	CHECK(id > 0, "an id");
	json_t *c = NULL;
	CHECK_INT(company_get(db, id, &c), BZ_OK);
	CHECK_STR(json_string_value(json_object_get(c, "brn")), "1208147521");
	CHECK_STR(json_string_value(json_object_get(c, "brn_text")), "120-81-47521");
	CHECK_INT(json_integer_value(json_object_get(c, "employees")), 1200);
	CHECK_STR(json_string_value(json_object_get(c, "employees_text")), "1,200명");
	CHECK_STR(json_string_value(json_object_get(c, "ksic_section")), "C");
	CHECK_STR(json_string_value(json_object_get(c, "ksic_section_name")), "제조업");
	CHECK_INT(json_integer_value(json_object_get(c, "version")), 1);
	json_decref(c);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM company_event WHERE company_id = ?1", id), 1);

	/* the same BRN (typed differently) is refused, naming the existing company */
	in = valid_input();
	in.name = "전혀 다른 회사";
	in.brn = "1208147521";
	int64_t id2 = 0;
	CHECK_INT(company_create(db, uid, &in, &id2, &o), BZ_ERR_CONSTRAINT);
	CHECK_INT(o.duplicate_id, id);
	CHECK_CONTAINS(field_msg(&o, "brn"), "이미 등록된 사업자등록번호입니다");
	CHECK_CONTAINS(field_msg(&o, "brn"), "한빛정밀(주)");
	company_outcome_free(&o);

	/* a similar name is a warning until confirmed */
	in = valid_input();
	in.name = "주식회사 한빛 정밀";
	char brn2[BRN_BARE_SIZE];
	make_brn("214810000", brn2);
	in.brn = brn2;
	CHECK_INT(company_create(db, uid, &in, &id2, &o), BZ_ERR_INVALID);
	CHECK(o.similar && json_array_size(o.similar) == 1, "one similar company");
	CHECK_CONTAINS(field_msg(&o, "name"), "이름이 비슷한 기업");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(o.similar, 0), "id")), id);
	company_outcome_free(&o);
	in.confirm_similar = true;
	CHECK_INT(company_create(db, uid, &in, &id2, &o), BZ_OK);
	company_outcome_free(&o);
	CHECK(id2 > id, "second company");
}

static void test_update(struct db *db, int64_t uid)
{
	int64_t id = t_db_int(db, "SELECT id FROM company WHERE brn = '1208147521' AND ?1", 1);
	struct company_outcome o;
	struct company_input in = valid_input();
	in.version = 1;
	in.employees = "1300";
	in.zone = "";
	CHECK_INT(company_update(db, uid, id, &in, &o), BZ_OK);
	company_outcome_free(&o);
	CHECK_INT(t_db_int(db, "SELECT version FROM company WHERE id = ?1", id), 2);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM company_event WHERE company_id = ?1 AND kind = "
	                   "'update'",
	                   id),
	          2);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM company_event WHERE company_id = ?1 AND field = "
	                   "'employees' AND old = '1200' AND new = '1300'",
	                   id),
	          1);

	/* the same form saved again: no change, no new version */
	in.version = 2;
	CHECK_INT(company_update(db, uid, id, &in, &o), BZ_OK);
	company_outcome_free(&o);
	CHECK_INT(t_db_int(db, "SELECT version FROM company WHERE id = ?1", id), 2);

	/* a stale form: conflict, the current values, nothing written */
	in.version = 1;
	in.employees = "5";
	CHECK_INT(company_update(db, uid, id, &in, &o), BZ_ERR_CONFLICT);
	CHECK(o.current != NULL, "current values");
	CHECK_INT(json_integer_value(json_object_get(o.current, "employees")), 1300);
	CHECK_INT(json_integer_value(json_object_get(o.current, "version")), 2);
	company_outcome_free(&o);
	CHECK_INT(t_db_int(db, "SELECT employees FROM company WHERE id = ?1", id), 1300);

	/* another company's BRN */
	int64_t other = t_db_int(db, "SELECT max(id) FROM company WHERE ?1", 1);
	in = valid_input();
	in.version = 2;
	in.brn = "120-81-47521";
	CHECK_INT(company_update(db, uid, other, &in, &o), BZ_ERR_CONFLICT); /* version is 1 */
	company_outcome_free(&o);
	in.version = 1;
	CHECK_INT(company_update(db, uid, other, &in, &o), BZ_ERR_CONSTRAINT);
	CHECK_INT(o.duplicate_id, id);
	company_outcome_free(&o);
	CHECK_INT(company_update(db, uid, 999999, &in, &o), BZ_ERR_NOTFOUND);
	company_outcome_free(&o);

	/* history is append-only */
	CHECK(sqlite3_exec(db_handle(db), "UPDATE company_event SET new = 'x'", NULL, NULL, NULL) !=
	          SQLITE_OK,
	      "company_event refuses UPDATE");
	CHECK(sqlite3_exec(db_handle(db), "DELETE FROM company_event", NULL, NULL, NULL) !=
	          SQLITE_OK,
	      "company_event refuses DELETE");
}

static void test_contacts(struct db *db, int64_t uid)
{
	int64_t id = t_db_int(db, "SELECT id FROM company WHERE brn = '1208147521' AND ?1", 1);
	json_t *fields = NULL;
	CHECK_INT(company_contact_add(db, uid, id, "", "과장", "010-12", "nope", &fields),
	          BZ_ERR_INVALID);
	CHECK_STR(json_string_value(json_object_get(fields, "contact_name")),
	          "담당자 이름을 입력하세요.");
	CHECK(json_object_get(fields, "contact_phone") != NULL, "phone message");
	CHECK(json_object_get(fields, "contact_email") != NULL, "email message");
	json_decref(fields);
	CHECK_INT(company_contact_add(db, uid, id, "김철수", "", "", "", &fields), BZ_ERR_INVALID);
	CHECK_STR(json_string_value(json_object_get(fields, "contact_phone")),
	          "전화번호나 이메일 중 하나는 입력하세요.");
	json_decref(fields);
	CHECK_INT(company_contact_add(db, uid, 999999, "김철수", "", "01012345678", "", &fields),
	          BZ_ERR_NOTFOUND);
	json_decref(fields);
	CHECK_INT(company_contact_add(db, uid, id, "김철수", "생산과장", "01012345678",
	                              "kim@example.com", &fields),
	          BZ_OK);
	CHECK_INT(company_contact_add(db, uid, id, "이영희", "", "", "lee@example.com", &fields),
	          BZ_OK);

	/* viewing the contacts in full is recorded; no contacts, no record */
	int64_t before = t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1);
	json_t *contacts = NULL;
	CHECK_INT(company_contacts_view(db, id, uid, "127.0.0.1", &contacts), BZ_OK);
	CHECK_INT(json_array_size(contacts), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(contacts, 0), "phone")),
	          "010-1234-5678");
	json_decref(contacts);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 1);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM privacy_access WHERE company_id = ?1 AND what = "
	                   "'contacts:2' AND remote = '127.0.0.1'",
	                   id),
	          1);
	int64_t other = t_db_int(db, "SELECT max(id) FROM company WHERE ?1", 1);
	CHECK_INT(company_contacts_view(db, other, uid, "127.0.0.1", &contacts), BZ_OK);
	json_decref(contacts);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 1);
	CHECK(sqlite3_exec(db_handle(db), "DELETE FROM privacy_access", NULL, NULL, NULL) !=
	          SQLITE_OK,
	      "privacy_access refuses DELETE");

	/* retire: only a current contact of that company */
	int64_t cid =
	    t_db_int(db, "SELECT id FROM company_contact WHERE name = '이영희' AND ?1", 1);
	CHECK_INT(company_contact_retire(db, uid, other, cid), BZ_ERR_NOTFOUND);
	CHECK_INT(company_contact_retire(db, uid, id, cid), BZ_OK);
	CHECK_INT(company_contact_retire(db, uid, id, cid), BZ_ERR_NOTFOUND);

	/* the timeline has every change, newest first */
	json_t *tl = NULL;
	CHECK_INT(company_timeline(db, id, NULL, &tl, NULL), BZ_OK);
	CHECK(json_array_size(tl) >= 5, "timeline has %zu entries", json_array_size(tl));
	const char *last = json_string_value(json_object_get(json_array_get(tl, 0), "text"));
	CHECK_CONTAINS(last, "이영희");
	json_decref(tl);
}

static void test_list(struct db *db)
{
	json_t *out = NULL;
	const char *msg = NULL;
	struct company_filter f = {.q = "인력"}; /* nothing has it */
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);
	f.q = "자금"; /* two syllables, in the notes of the first company */
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "total")), 2);
	json_t *row = json_array_get(json_object_get(out, "companies"), 0);
	json_t *contact = json_object_get(row, "contact");
	json_t *row2 = json_array_get(json_object_get(out, "companies"), 1);
	if (json_object_get(row2, "contact"))
		contact = json_object_get(row2, "contact");
	CHECK_STR(json_string_value(json_object_get(contact, "name")), "김*수");
	CHECK_STR(json_string_value(json_object_get(contact, "phone")), "010-****-5678");
	CHECK_STR(json_string_value(json_object_get(contact, "email")), "k***@example.com");
	json_decref(out);
	f.q = "스마트공장 정밀"; /* 5 syllables (FTS) and 2 (instr) */
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "total")), 2);
	json_decref(out);
	f.q = "120-81";
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "total")), 1);
	json_decref(out);
	f.q = NULL;
	f.section = "C";
	f.zone = "예시일반산업단지";
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "total")), 1); /* one lost its zone */
	json_decref(out);
	f.section = "G";
	f.zone = NULL;
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);
	char q[400] = "";
	for (int i = 0; i < 101; i++)
		bz_strlcpy(q + strlen(q), "가", sizeof(q) - strlen(q));
	f.section = NULL;
	f.q = q;
	CHECK_INT(company_list(db, &f, &out, &msg), BZ_ERR_TOOLARGE);
	CHECK_STR(msg, "검색어는 100자 이내로 입력하세요.");

	CHECK_INT(company_lookup(db, "한빛", &out, &msg), BZ_OK);
	CHECK_INT(json_array_size(out), 2);
	CHECK(json_string_value(json_object_get(json_array_get(out, 0), "brn_text")) != NULL,
	      "lookup rows carry brn_text");
	json_decref(out);
	CHECK_INT(company_lookup(db, "1208147521", &out, &msg), BZ_OK);
	CHECK_INT(json_array_size(out), 1);
	json_decref(out);
}

static void test_reference(struct db *db, int64_t uid)
{
	json_t *fields = NULL;
	int64_t id = 0;
	CHECK_INT(department_add(db, uid, "", "bogus", &fields, &id), BZ_ERR_INVALID);
	CHECK(json_object_get(fields, "name") && json_object_get(fields, "kind"), "both fields");
	json_decref(fields);
	CHECK_INT(department_add(db, uid, "경기테크노파크", "agency", &fields, &id), BZ_OK);
	CHECK_INT(department_add(db, uid, " 경기테크노파크 ", "agency", &fields, &id),
	          BZ_ERR_CONSTRAINT);
	json_decref(fields);
	CHECK_INT(department_set_retired(db, uid, id, true), BZ_OK);
	CHECK_INT(department_set_retired(db, uid, 999999, true), BZ_ERR_NOTFOUND);
	json_t *list = NULL;
	CHECK_INT(department_list(db, &list), BZ_OK);
	json_t *lastd = json_array_get(list, json_array_size(list) - 1);
	CHECK(json_is_true(json_object_get(lastd, "retired")), "retired last");
	json_decref(list);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM audit_log WHERE action LIKE 'department.%' AND ?1",
	                   1),
	          2);

	CHECK_INT(holiday_add(db, uid, "2025-02-30", "", "x", &fields), BZ_ERR_INVALID);
	CHECK(json_object_size(fields) == 3, "three field errors");
	json_decref(fields);
	CHECK_INT(holiday_add(db, uid, "2025-01-01", "신정", "legal", &fields), BZ_ERR_CONSTRAINT);
	CHECK_CONTAINS(json_string_value(json_object_get(fields, "day")), "이미 휴일");
	json_decref(fields);
	CHECK_INT(holiday_add(db, uid, "2025-05-02", "임시공휴일", "temporary", &fields), BZ_OK);
	CHECK_INT(holiday_retire(db, uid, "2025-05-02"), BZ_OK);
	CHECK_INT(holiday_retire(db, uid, "2025-05-02"), BZ_ERR_NOTFOUND);
	CHECK_INT(holiday_add(db, uid, "2025-05-02", "임시공휴일(재지정)", "temporary", &fields),
	          BZ_OK);
	CHECK_INT(holiday_list(db, 2025, &list), BZ_OK);
	CHECK(json_array_size(list) > 10, "2025 holidays");
	json_decref(list);
	CHECK_INT(
	    t_db_int(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'holiday.%' AND ?1", 1),
	    3);
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	test_masking();
	test_name_key();
	test_phone();

	char path[512], err[256];
	t_path(path, sizeof(path), "company.db");
	struct db *db = NULL;
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	int64_t uid = 0;
	CHECK_INT(user_add(db, 0, "kim", "김주무", ROLE_STAFF, NULL, T_PASSWORD, &uid, NULL, 0),
	          BZ_OK);
	test_create_and_validate(db, uid);
	test_update(db, uid);
	test_contacts(db, uid);
	test_list(db);
	test_reference(db, uid);
	db_close(db);
	t_cleanup();
	return t_done();
}
