/* Activities (field work) on a fresh database: an activity held on a
 * Saturday and one on a public holiday (부처님오신날, a Wednesday) are saved
 * like any other and the month calendar shows them on their day, marked as a
 * weekend or with the holiday's name; a weekday's shows neither. Its page has
 * the weekday in the date, the companies, staff, attendees and follow-ups;
 * the list and the year's counts find it; an edit is one history row per
 * field; a retired activity leaves the lists. Bad input gets a Korean message
 * per field and nothing written:
 *   type_id       none, unknown                  fields.type_id
 *   held_on       blank, not a date, the future,  fields.held_on
 *                 before 2000
 *   starts/ends   "25:00", an end without start,  fields.starts_at / ends_at
 *                 an end before the start
 *   companies     an id that does not exist       fields.company_id
 *   attendees     an organisation without name    fields.attendee1_name
 *   edit          a stale version                 BZ_ERR_CONFLICT, fields.version
 *   retire        no reason                       fields.reason */
#include "harness.h"

#include "bizsos/activity.h"
#include "bizsos/kst.h"
#include "bizsos/store.h"

#include <string.h>

static struct db *db;
static const struct user staff = {.id = 1, .role = ROLE_STAFF};

static int64_t activities_total(void)
{
	int64_t n = -1;
	CHECK_INT(db_int1f(db, "SELECT count(*) FROM activity", -1, &n, ""), BZ_OK);
	return n;
}

static const char *const one_company[] = {"1"};
static const char *const one_staff[] = {"1"};

/* A visit (type 2, 시장 기업체 현장방문) on day with the company and staff 1. */
static struct activity_input visit_on(const char *day, const char *title)
{
	struct activity_input in = {.type_id = "2",
	                            .held_on = day,
	                            .starts_at = "14:00",
	                            .ends_at = "15:30",
	                            .place = "한빛정밀 공장",
	                            .title = title,
	                            .summary = "생산 현장 애로 청취",
	                            .company_ids = one_company,
	                            .ncompanies = 1,
	                            .staff_ids = one_staff,
	                            .nstaff = 1};
	return in;
}

static int64_t create(const struct activity_input *in)
{
	json_t *f = json_object();
	int64_t id = 0;
	CHECK_INT(activity_create(db, &staff, in, f, &id), BZ_OK);
	CHECK(json_object_size(f) == 0, "no field errors for %s", in->held_on);
	json_decref(f);
	return id;
}

/* activity_create refused with fields.<field> (= msg when not NULL); nothing written. */
static void refused(const struct activity_input *in, const char *field, const char *msg)
{
	json_t *f = json_object();
	int64_t before = activities_total();
	CHECK_INT(activity_create(db, &staff, in, f, NULL), BZ_ERR_INVALID);
	const char *got = json_string_value(json_object_get(f, field));
	CHECK(got != NULL, "fields.%s is set", field);
	if (got && msg)
		CHECK_STR(got, msg);
	CHECK_INT(activities_total(), before);
	json_decref(f);
}

/* The calendar day `date` of 2024-05. */
static json_t *calendar_day(json_t *cal, const char *date)
{
	size_t w, k;
	json_t *week, *day;
	json_array_foreach(json_object_get(cal, "weeks"), w, week)
	    json_array_foreach(json_object_get(week, "days"), k,
	                       day) if (strcmp(t_str(day, "date"), date) == 0) return day;
	return NULL;
}

static bool day_lists(json_t *day, int64_t id)
{
	size_t k;
	json_t *a;
	json_array_foreach(json_object_get(day, "activities"), k,
	                   a) if (json_integer_value(json_object_get(a, "id")) == id) return true;
	return false;
}

static void non_working_days(void)
{
	struct activity_attendee_input guests[] = {{"박사장", "한빛정밀"}};
	struct activity_input sat = visit_on("2024-05-04", "토요일 현장 방문");
	sat.attendees = guests;
	sat.nattendees = 1;
	sat.followups = "공장 진입로 보수 요청 전달\n\n자금 상담 연결";
	int64_t a = create(&sat);
	int64_t b = create(&(struct activity_input){.type_id = "2",
	                                            .held_on = "2024-05-15",
	                                            .title = "부처님오신날 방문",
	                                            .company_ids = one_company,
	                                            .ncompanies = 1});
	int64_t c = create(&(struct activity_input){.type_id = "11", .held_on = "2024-05-14"});
	CHECK(a > 0 && b > a && c > b, "three activities saved");

	json_t *cal = NULL;
	CHECK_INT(activity_calendar(db, 2024, 5, "2024-05-20", &cal), BZ_OK);
	CHECK_STR(t_str(cal, "title"), "2024년 5월");
	CHECK_INT(json_integer_value(json_object_get(cal, "total")), 3);
	json_t *d = calendar_day(cal, "2024-05-04");
	CHECK(d && day_lists(d, a), "the Saturday's visit is on its day");
	CHECK(d && json_is_true(json_object_get(d, "weekend")), "04 is a weekend");
	CHECK(d && json_is_true(json_object_get(d, "saturday")), "04 is a Saturday");
	CHECK_STR(t_str(d, "label"), "5월 4일 (토)");
	d = calendar_day(cal, "2024-05-15");
	CHECK(d && day_lists(d, b), "the holiday's visit is on its day");
	CHECK(d && !json_is_true(json_object_get(d, "weekend")), "15 is a Wednesday");
	CHECK_STR(t_str(d, "holiday"), "부처님오신날");
	d = calendar_day(cal, "2024-05-14");
	CHECK(d && day_lists(d, c), "the weekday's education");
	CHECK(d && json_is_null(json_object_get(d, "holiday")), "14 is no holiday");
	CHECK(d && !json_is_true(json_object_get(d, "weekend")), "14 is a weekday");
	CHECK(d && json_integer_value(json_object_get(d, "count")) == 1, "one on the 14th");
	d = calendar_day(cal, "2024-05-20");
	CHECK(d && json_is_true(json_object_get(d, "today")), "today marked");
	json_decref(cal);

	/* the Saturday's page: the weekday in the date, everything attached */
	json_t *g = NULL;
	CHECK_INT(activity_get(db, a, &g), BZ_OK);
	json_t *act = json_object_get(g, "activity");
	CHECK_CONTAINS(t_str(act, "held_on_text"), "토");
	CHECK_STR(t_str(act, "type"), "시장 기업체 현장방문");
	CHECK_STR(t_str(act, "place"), "한빛정밀 공장");
	CHECK_STR(t_str(json_array_get(json_object_get(g, "companies"), 0), "name"), "한빛정밀");
	CHECK_STR(t_str(json_array_get(json_object_get(g, "staff"), 0), "name"), "김주무");
	CHECK_STR(t_str(json_array_get(json_object_get(g, "attendees"), 0), "organisation"),
	          "한빛정밀");
	CHECK_INT(json_array_size(json_object_get(g, "followups")), 2); /* the blank line skipped */
	json_decref(g);

	/* the list of May and of the company; the year's counts */
	struct activity_filter lf = {.year = 2024, .month = 5};
	json_t *l = NULL;
	CHECK_INT(activity_list(db, &lf, &l), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(l, "total")), 3);
	CHECK_INT(json_integer_value(
	              json_object_get(json_array_get(json_object_get(l, "activities"), 0), "id")),
	          b); /* the latest first */
	json_decref(l);
	struct activity_filter type_f = {.type_id = 2};
	CHECK_INT(activity_list(db, &type_f, &l), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(l, "total")), 2);
	json_decref(l);
	json_t *stats = NULL;
	CHECK_INT(activity_stats(db, 2024, &stats), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(stats, "total")), 3);
	CHECK_INT(json_integer_value(json_array_get(json_object_get(stats, "month_totals"), 4)), 3);
	json_decref(stats);

	/* an edit of the Saturday's title and place: one history row each; stale version refused */
	CHECK_INT(activity_get(db, a, &g), BZ_OK);
	char version[24];
	snprintf(version, sizeof(version), "%lld",
	         (long long)json_integer_value(
	             json_object_get(json_object_get(g, "activity"), "version")));
	size_t events = json_array_size(json_object_get(g, "events"));
	json_decref(g);
	struct activity_edit_input e = {.held_on = "2024-05-04",
	                                .place = "한빛정밀 2공장",
	                                .title = "토요일 현장 방문 (보완)",
	                                .summary = "생산 현장 애로 청취",
	                                .version = version};
	json_t *f = json_object();
	CHECK_INT(activity_edit(db, &staff, a, &e, f), BZ_OK);
	CHECK_INT(activity_get(db, a, &g), BZ_OK);
	CHECK_STR(t_str(json_object_get(g, "activity"), "place"), "한빛정밀 2공장");
	CHECK_INT(json_array_size(json_object_get(g, "events")), events + 2);
	json_decref(g);
	e.title = "다시 고침";
	CHECK_INT(activity_edit(db, &staff, a, &e, f), BZ_ERR_CONFLICT);
	CHECK(json_object_get(f, "version") != NULL, "fields.version on a stale edit");
	json_object_clear(f);

	/* retiring: a reason is needed; then it leaves the calendar and the list */
	CHECK_INT(activity_retire(db, &staff, c, "", f), BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "reason"), "취소 사유를 500자 이내로 적어 주세요.");
	json_object_clear(f);
	CHECK_INT(activity_retire(db, &staff, c, "중복 입력", f), BZ_OK);
	CHECK_INT(activity_get(db, c, &g), BZ_ERR_NOTFOUND);
	CHECK_INT(activity_calendar(db, 2024, 5, NULL, &cal), BZ_OK);
	CHECK_INT(json_integer_value(json_object_get(cal, "total")), 2);
	json_decref(cal);
	json_decref(f);
}

static void bad_input(void)
{
	struct activity_input in = visit_on("2024-05-03", "방문");
	in.type_id = "";
	refused(&in, "type_id", "활동 유형을 골라 주세요.");
	in.type_id = "999";
	refused(&in, "type_id", "활동 유형을 골라 주세요.");

	char tomorrow[DATE_TEXT_SIZE];
	date_format(kst_today_day() + 1, tomorrow, sizeof(tomorrow));
	in = visit_on("", "방문");
	refused(&in, "held_on", "날짜를 입력해 주세요.");
	in.held_on = "2024-02-30";
	refused(&in, "held_on", NULL);
	in.held_on = tomorrow;
	refused(&in, "held_on", "한 일을 기록합니다. 날짜는 오늘 이후일 수 없습니다.");
	in.held_on = "1999-12-31";
	refused(&in, "held_on", "날짜는 2000-01-01 이후여야 합니다.");

	in = visit_on("2024-05-03", "방문");
	in.starts_at = "25:00";
	refused(&in, "starts_at", "시작 시각은 14:30처럼 입력해 주세요.");
	in.starts_at = "";
	refused(&in, "starts_at", "끝난 시각을 적으려면 시작 시각도 입력해 주세요.");
	in.starts_at = "16:00";
	refused(&in, "ends_at", "끝난 시각이 시작 시각보다 빠릅니다.");

	in = visit_on("2024-05-03", "방문");
	static const char *const ghost[] = {"77"};
	in.company_ids = ghost;
	refused(&in, "company_id", "고른 기업을 찾을 수 없습니다. 다시 골라 주세요.");

	in = visit_on("2024-05-03", "방문");
	struct activity_attendee_input nameless[] = {{"", "경기도청"}};
	in.attendees = nameless;
	in.nattendees = 1;
	refused(&in, "attendee1_name", "참석자 이름을 1~100자로 입력해 주세요.");

	char title[1024];
	t_repeat(title, sizeof(title), "가", 201);
	in = visit_on("2024-05-03", title);
	refused(&in, "title", "제목은 200자까지 입력할 수 있습니다.");
	CHECK_INT(activities_total(), 0);
}

int main(void)
{
	db = t_fresh_db("activity.db");
	if (db == NULL)
		return t_done();
	CHECK_INT(db_exec(db,
	                  "INSERT INTO app_user (id, login, name, role, password_hash) VALUES "
	                  "(1, 'kim', '김주무', 'staff', 'x');"
	                  "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) "
	                  "VALUES (1, '한빛정밀', '한빛정밀', '1208147521', "
	                  "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"),
	          BZ_OK);
	bad_input();
	non_working_days();
	db_close(db);
	t_cleanup();
	return t_done();
}
