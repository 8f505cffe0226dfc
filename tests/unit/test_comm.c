/* Citizen communication (시민소통) on a fresh database: an entry of each kind
 * is saved and listed newest first with the year's counts (간담회 등 counted
 * from round-table activities, never entered), a year and a kind filter the
 * list, and bad input gets a Korean message per field with nothing written:
 *   kind            missing, unknown or "roundtable"   fields.kind
 *   held_on         blank, not a date, in the future   fields.held_on
 *   title           blank or over 200 characters       fields.title
 *   outlet          missing for press, over 100 chars  fields.outlet
 *   url             not http(s)://host                 fields.url
 *   summary         over 4,000 characters              fields.summary
 *   executive, department, admin                       BZ_ERR_FORBIDDEN */
#include "harness.h"

#include "bizsos/comm.h"
#include "bizsos/kst.h"
#include "bizsos/store.h"

#include <string.h>

static struct db *db;
static const struct user staff = {.id = 1, .role = ROLE_STAFF};
static const struct user leader = {.id = 2, .role = ROLE_LEADER};

static int64_t entries_total(void)
{
	int64_t n = -1;
	CHECK_INT(db_int1f(db, "SELECT count(*) FROM comm_entry", -1, &n, ""), BZ_OK);
	return n;
}

/* comm_create that expects BZ_ERR_INVALID naming field with msg; nothing written. */
static void refused(const struct comm_input *in, const char *field, const char *msg)
{
	json_t *f = json_object();
	int64_t before = entries_total();
	int64_t id = 0;
	CHECK_INT(comm_create(db, &staff, in, f, &id), BZ_ERR_INVALID);
	const char *got = json_string_value(json_object_get(f, field));
	CHECK(got != NULL, "fields.%s is set (title \"%.40s\")", field, in->title ? in->title : "");
	if (got && msg)
		CHECK_STR(got, msg);
	CHECK_INT(entries_total(), before);
	json_decref(f);
}

static void bad_input(void)
{
	char tomorrow[DATE_TEXT_SIZE], today[DATE_TEXT_SIZE];
	kst_today(today);
	int32_t d = 0;
	CHECK_INT(date_parse(today, &d, NULL), BZ_OK);
	date_format(d + 1, tomorrow, sizeof(tomorrow));

	struct comm_input ok = {.kind = "survey", .held_on = "2024-05-03", .title = "만족도 조사"};
	struct comm_input in = ok;
	in.kind = NULL;
	refused(&in, "kind", "종류를 골라 주세요. (간담회는 활동 기록에서 셉니다.)");
	in.kind = "party";
	refused(&in, "kind", NULL);
	in.kind = "roundtable"; /* counted from activities, never entered */
	refused(&in, "kind", "종류를 골라 주세요. (간담회는 활동 기록에서 셉니다.)");

	in = ok;
	in.held_on = "";
	refused(&in, "held_on", "날짜를 입력해 주세요.");
	in.held_on = "2024-02-30";
	refused(&in, "held_on", NULL);
	in.held_on = "어제";
	refused(&in, "held_on", NULL);
	in.held_on = tomorrow;
	refused(&in, "held_on", "날짜는 오늘 이후일 수 없습니다.");

	in = ok;
	in.title = "  ";
	refused(&in, "title", "제목을 1~200자로 입력해 주세요.");
	char long_title[1024];
	t_repeat(long_title, sizeof(long_title), "가", 201);
	in.title = long_title;
	refused(&in, "title", "제목을 1~200자로 입력해 주세요.");

	in = ok;
	in.kind = "press";
	refused(&in, "outlet", "언론·방송 보도는 매체명을 입력해 주세요.");
	char outlet[400];
	t_repeat(outlet, sizeof(outlet), "나", 101);
	in.outlet = outlet;
	refused(&in, "outlet", "매체명은 100자까지 입력할 수 있습니다.");

	in = ok;
	static const char *const bad_urls[] = {
	    "javascript:alert(1)",   "ftp://x.kr",     "https://", "https:///path",
	    "https://a.kr/<script>", "https://a.kr/ b"};
	for (size_t i = 0; i < sizeof(bad_urls) / sizeof(*bad_urls); i++) {
		in.url = bad_urls[i];
		refused(&in, "url", "링크는 https://로 시작하는 주소로 입력해 주세요.");
	}

	in = ok;
	char summary[4100];
	t_repeat(summary, sizeof(summary), "a", 4001);
	in.summary = summary;
	refused(&in, "summary", "내용은 4,000자까지 입력할 수 있습니다.");

	/* several at once: every one named */
	struct comm_input all_bad = {.kind = "press", .held_on = "", .title = "", .url = "x"};
	json_t *f = json_object();
	CHECK_INT(comm_create(db, &staff, &all_bad, f, NULL), BZ_ERR_INVALID);
	CHECK(json_object_get(f, "held_on") && json_object_get(f, "title") &&
	          json_object_get(f, "outlet") && json_object_get(f, "url"),
	      "held_on, title, outlet and url explained together");
	json_decref(f);

	/* roles that only read */
	static const int readers[] = {ROLE_EXECUTIVE, ROLE_DEPARTMENT, ROLE_ADMIN};
	for (size_t i = 0; i < 3; i++) {
		struct user u = {.id = 9, .role = readers[i]};
		f = json_object();
		CHECK_INT(comm_create(db, &u, &ok, f, NULL), BZ_ERR_FORBIDDEN);
		json_decref(f);
	}
	CHECK_INT(entries_total(), 0);
}

static json_t *list(int year, const char *kind)
{
	struct comm_filter cf = {.year = year, .kind = kind};
	json_t *out = NULL;
	CHECK_INT(comm_list(db, &cf, &out), BZ_OK);
	return out;
}

static int64_t count_of(json_t *l, const char *kind)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(l, "counts"), i,
	                   c) if (strcmp(t_str(c, "kind"), kind) ==
	                          0) return json_integer_value(json_object_get(c, "count"));
	return -1;
}

static void saved_and_listed(void)
{
	struct comm_input press = {.kind = "press",
	                           .held_on = "2024-05-03",
	                           .title = "기업SOS 현장 방문 보도",
	                           .outlet = "경기일보",
	                           .url = "https://news.example.kr/a/1",
	                           .summary = "현장 애로 해결 사례"};
	struct comm_input survey = {
	    .kind = "survey", .held_on = "2024-06-10", .title = "상반기 만족도"};
	struct comm_input sns = {.kind = "sns", .held_on = "2023-12-30", .title = "연말 카드뉴스"};
	int64_t a = 0, b = 0, c = 0;
	json_t *f = json_object();
	CHECK_INT(comm_create(db, &staff, &press, f, &a), BZ_OK);
	CHECK_INT(comm_create(db, &leader, &survey, f, &b), BZ_OK);
	CHECK_INT(comm_create(db, &staff, &sns, f, &c), BZ_OK);
	CHECK_INT(json_object_size(f), 0);
	json_decref(f);
	CHECK(a > 0 && b > a && c > b, "three ids");

	/* 2024: newest first, the press entry whole, 2023 left out */
	json_t *l = list(2024, NULL);
	json_t *e = json_object_get(l, "entries");
	CHECK_INT(json_array_size(e), 2);
	CHECK_INT(json_integer_value(json_object_get(json_array_get(e, 0), "id")), b);
	json_t *p = json_array_get(e, 1);
	CHECK_STR(t_str(p, "kind_label"), "언론·방송 보도");
	CHECK_STR(t_str(p, "outlet"), "경기일보");
	CHECK_STR(t_str(p, "url"), "https://news.example.kr/a/1");
	CHECK_STR(t_str(p, "summary"), "현장 애로 해결 사례");
	CHECK_INT(json_integer_value(json_object_get(l, "total")), 2);
	/* all six kinds counted, the unused ones 0; no round-table activity yet */
	CHECK_INT(json_array_size(json_object_get(l, "counts")), 6);
	CHECK_INT(count_of(l, "press"), 1);
	CHECK_INT(count_of(l, "survey"), 1);
	CHECK_INT(count_of(l, "sns"), 0);
	CHECK_INT(count_of(l, "roundtable"), 0);
	json_decref(l);

	/* a kind filters; every year lists all three */
	l = list(2024, "press");
	CHECK_INT(json_array_size(json_object_get(l, "entries")), 1);
	json_decref(l);
	l = list(0, NULL);
	CHECK_INT(json_array_size(json_object_get(l, "entries")), 3);
	CHECK_INT(count_of(l, "sns"), 1);
	json_decref(l);
	/* 간담회 등 only: no stored entries */
	l = list(2024, "roundtable");
	CHECK_INT(json_array_size(json_object_get(l, "entries")), 0);
	json_decref(l);
	/* a year with nothing */
	l = list(2001, NULL);
	CHECK_INT(json_array_size(json_object_get(l, "entries")), 0);
	CHECK_INT(json_integer_value(json_object_get(l, "total")), 0);
	json_decref(l);

	/* labels: every stored kind has one; unknown is NULL */
	CHECK_STR(comm_kind_label("roundtable"), "간담회 등");
	CHECK(comm_kind_label("party") == NULL, "unknown kind has no label");
	json_t *k = comm_kinds_json();
	CHECK_INT(json_array_size(k), 5); /* roundtable is not offered */
	json_decref(k);
}

int main(void)
{
	db = t_fresh_db("comm.db");
	if (db == NULL)
		return t_done();
	CHECK_INT(
	    db_exec(db, "INSERT INTO app_user (id, login, name, role, password_hash) VALUES "
	                "(1, 'kim', '김주무', 'staff', 'x'), (2, 'lee', '이팀장', 'leader', 'x')"),
	    BZ_OK);
	bad_input();
	saved_and_listed();
	db_close(db);
	t_cleanup();
	return t_done();
}
