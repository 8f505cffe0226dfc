/* Improvement grants (소규모 기업환경 개선사업) on a fresh database: a grant
 * with the shares left blank takes the 40/40/20 split; a typed split adds up
 * and gives its reason; the list's sums are the grants' totals and the sites
 * count only selected or finished ones; the status machine 신청 → 선정 → 완료
 * (or 취소) with its history, and what bad input gets:
 *   company_id   none or unknown                  fields.company_id
 *   year         blank, not a number, 1999, 2101  fields.year
 *   title        blank                            fields.title
 *   total        blank, decimal, negative         fields.total
 *   shares       one blank; not adding up;        fields.province/city/company_share,
 *                another split without reason     fields.shares, fields.split_reason
 *   applied_on   in the future                    fields.applied_on
 *   status       applied → done, done → anything, BZ_ERR_CONFLICT with the Korean msg
 *                a stale version
 *   executive, department, admin                  BZ_ERR_FORBIDDEN */
#include "harness.h"

#include "bizsos/grant.h"
#include "bizsos/kst.h"
#include "bizsos/store.h"

#include <string.h>

static struct db *db;
static const struct user staff = {.id = 1, .role = ROLE_STAFF};
static const struct user leader = {.id = 2, .role = ROLE_LEADER};

static int64_t i(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int64_t grants_total(void)
{
	int64_t n = -1;
	CHECK_INT(db_int1f(db, "SELECT count(*) FROM improvement_grant", -1, &n, ""), BZ_OK);
	return n;
}

static const struct grant_input base = {
    .company_id = "1", .year = "2024", .title = "화장실 개보수", .total = "41,800,000"};

/* grant_create refused with fields.<field> (= msg when not NULL); nothing written. */
static void refused(const struct grant_input *in, const char *field, const char *msg)
{
	json_t *f = json_object();
	int64_t before = grants_total();
	CHECK_INT(grant_create(db, &staff, in, f, NULL), BZ_ERR_INVALID);
	const char *got = json_string_value(json_object_get(f, field));
	CHECK(got != NULL, "fields.%s is set", field);
	if (got && msg)
		CHECK_STR(got, msg);
	CHECK_INT(grants_total(), before);
	json_decref(f);
}

static void default_split(void)
{
	/* the form's money part alone: blank shares take 40/40/20 (도비, 시비 truncated to 10 won)
	 */
	struct grant_input in = {.total = "12,345,678"};
	struct grant_split sp;
	bool is_default = false;
	json_t *f = json_object();
	CHECK_INT(grant_split_from_form(&in, &sp, &is_default, f), BZ_OK);
	CHECK(is_default, "blank shares are the default split");
	CHECK_INT(sp.total, 12345678);
	CHECK_INT(sp.province, 4938270);
	CHECK_INT(sp.city, 4938270);
	CHECK_INT(sp.company, 2469138);
	CHECK_INT(sp.province + sp.city + sp.company, sp.total);
	CHECK_INT(json_object_size(f), 0);

	/* the same shares typed in are still the default, no reason needed */
	in.province = "4,938,270";
	in.city = "4938270";
	in.company_share = "2,469,138";
	CHECK_INT(grant_split_from_form(&in, &sp, &is_default, f), BZ_OK);
	CHECK(is_default, "the default typed out");

	/* another split needs a reason */
	in.province = "5,000,000";
	in.city = "5,000,000";
	in.company_share = "2,345,678";
	CHECK_INT(grant_split_from_form(&in, &sp, &is_default, f), BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "split_reason"),
	          "분담 비율이 기본(도비 40%, 시비 40%, 자부담 20%)과 다르면 사유를 입력하세요.");
	json_object_clear(f);
	in.split_reason = "시 특별 지원";
	CHECK_INT(grant_split_from_form(&in, &sp, &is_default, f), BZ_OK);
	CHECK(!is_default, "a typed split");
	CHECK_INT(sp.province, 5000000);

	/* shares that do not add up */
	in.company_share = "2,345,677";
	CHECK_INT(grant_split_from_form(&in, &sp, &is_default, f), BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "shares"), "도비, 시비, 자부담을 더한 금액이 총사업비와 같아야 합니다.");
	/* the form still shows the default split of the valid total */
	CHECK_INT(sp.province, 4938270);
	json_decref(f);
}

static void bad_input(void)
{
	struct grant_input in = base;
	in.company_id = "";
	refused(&in, "company_id", "기업을 골라 주세요.");
	in.company_id = "999";
	refused(&in, "company_id", "기업을 골라 주세요.");
	in.company_id = "1 OR 1=1";
	refused(&in, "company_id", "기업을 골라 주세요.");

	static const char *const years[] = {"", "이천이십사", "2024.5", "1999", "2101"};
	for (size_t k = 0; k < 5; k++) {
		in = base;
		in.year = years[k];
		refused(&in, "year", "사업 연도를 2000~2100 사이의 숫자로 입력해 주세요.");
	}

	in = base;
	in.title = " ";
	refused(&in, "title", "개선 내용을 1~200자로 입력해 주세요.");

	in = base;
	in.total = "";
	refused(&in, "total", "금액을 입력하세요.");
	in.total = "12.5";
	refused(&in, "total", "금액은 원 단위 정수로 입력하세요(소수점 없이).");
	in.total = "-1,000";
	refused(&in, "total", NULL);
	in.total = "12,34,5";
	refused(&in, "total", "쉼표(,) 위치가 올바르지 않습니다(예: 12,345,678).");

	in = base;
	in.province = "1,000"; /* one share typed: the other two are asked for */
	refused(&in, "city", "시비를 입력해 주세요.");
	refused(&in, "company_share", "자부담을 입력해 주세요.");

	char tomorrow[DATE_TEXT_SIZE];
	date_format(kst_today_day() + 1, tomorrow, sizeof(tomorrow));
	in = base;
	in.applied_on = tomorrow;
	refused(&in, "applied_on", "신청일은 오늘 이후일 수 없습니다.");
	in.applied_on = "2024-13-01";
	refused(&in, "applied_on", NULL);

	static const int readers[] = {ROLE_EXECUTIVE, ROLE_DEPARTMENT, ROLE_ADMIN};
	for (size_t k = 0; k < 3; k++) {
		struct user u = {.id = 9, .role = readers[k]};
		json_t *f = json_object();
		CHECK_INT(grant_create(db, &u, &base, f, NULL), BZ_ERR_FORBIDDEN);
		json_decref(f);
	}
	CHECK_INT(grants_total(), 0);
}

static int64_t create(const struct grant_input *in)
{
	json_t *f = json_object();
	int64_t id = 0;
	CHECK_INT(grant_create(db, &staff, in, f, &id), BZ_OK);
	CHECK(json_object_size(f) == 0, "no field errors for \"%s\"", in->title);
	json_decref(f);
	return id;
}

static int64_t version_of(int64_t id, char *status, size_t len)
{
	json_t *g = NULL;
	CHECK_INT(grant_get(db, id, &g), BZ_OK);
	json_t *gr = json_object_get(g, "grant");
	int64_t v = i(gr, "version");
	if (status)
		bz_strlcpy(status, t_str(gr, "status"), len);
	json_decref(g);
	return v;
}

static bz_rc move(int64_t id, int64_t version, const char *to, char *msg, size_t msglen)
{
	json_t *f = json_object();
	msg[0] = '\0';
	bz_rc rc = grant_set_status(db, &leader, id, version, to, "2024-06-01", "심사 결과", f, msg,
	                            msglen);
	json_decref(f);
	return rc;
}

static void totals_and_statuses(void)
{
	int64_t a = create(&base); /* 41,800,000: 16,720,000 / 16,720,000 / 8,360,000 */
	struct grant_input b = base;
	b.title = "진입로 포장";
	b.total = "10,000,000";
	b.province = "5,000,000";
	b.city = "3,000,000";
	b.company_share = "2,000,000";
	b.split_reason = "도 특별 지원";
	b.applied_on = "2024-03-02";
	int64_t bid = create(&b);
	struct grant_input c = base;
	c.title = "작년 사업";
	c.year = "2023";
	c.total = "1,000";
	int64_t cid = create(&c);
	CHECK(a > 0 && bid > a && cid > bid, "three grants");

	/* one grant: the split and its text, applied, a "created" history row */
	json_t *g = NULL;
	CHECK_INT(grant_get(db, a, &g), BZ_OK);
	json_t *gr = json_object_get(g, "grant");
	CHECK_STR(t_str(gr, "company"), "한빛정밀");
	CHECK_INT(i(gr, "total"), 41800000);
	CHECK_STR(t_str(gr, "total_text"), "41,800,000");
	CHECK_STR(t_str(gr, "province_text"), "16,720,000");
	CHECK_STR(t_str(gr, "city_text"), "16,720,000");
	CHECK_STR(t_str(gr, "company_share_text"), "8,360,000");
	CHECK(json_is_true(json_object_get(gr, "is_default")), "the default split");
	CHECK_STR(t_str(gr, "status"), "applied");
	CHECK_STR(t_str(gr, "status_label"), "신청");
	CHECK_INT(json_array_size(json_object_get(g, "events")), 1);
	CHECK_INT(json_array_size(json_object_get(g, "next")), 2); /* 선정, 취소 */
	json_decref(g);
	CHECK_INT(grant_get(db, 999, &g), BZ_ERR_NOTFOUND);

	/* the 2024 list: its sums are the two grants' totals; no site yet */
	struct grant_filter lf = {.year = 2024};
	json_t *l = NULL;
	CHECK_INT(grant_list(db, &lf, &l), BZ_OK);
	CHECK_INT(i(l, "total"), 2);
	json_t *sums = json_object_get(l, "sums");
	CHECK_STR(t_str(sums, "total_text"), "51,800,000");
	CHECK_STR(t_str(sums, "province_text"), "21,720,000");
	CHECK_STR(t_str(sums, "city_text"), "19,720,000");
	CHECK_STR(t_str(sums, "company_share_text"), "10,360,000");
	CHECK_INT(i(l, "sites"), 0);
	json_decref(l);

	/* 신청 → 완료 is not a move; 신청 → 선정 → 완료 is */
	char msg[256], st[16];
	int64_t v = version_of(a, NULL, 0);
	CHECK_INT(move(a, v, "done", msg, sizeof(msg)), BZ_ERR_CONFLICT);
	CHECK_STR(msg, "'신청' 상태에서는 '완료'(으)로 바꿀 수 없습니다.");
	CHECK_INT(version_of(a, st, sizeof(st)), v);
	CHECK_STR(st, "applied");
	CHECK_INT(move(a, v, "selected", msg, sizeof(msg)), BZ_OK);
	/* the page loaded before the move is stale now */
	CHECK_INT(move(a, v, "done", msg, sizeof(msg)), BZ_ERR_CONFLICT);
	CHECK_CONTAINS(msg, "다른 사용자가 먼저 이 사업을 고쳤습니다.");
	CHECK_INT(version_of(a, st, sizeof(st)), v + 1);
	CHECK_STR(st, "selected");
	CHECK_INT(move(a, v + 1, "done", msg, sizeof(msg)), BZ_OK);
	CHECK_INT(move(a, v + 2, "cancelled", msg, sizeof(msg)), BZ_ERR_CONFLICT);
	CHECK_INT(grant_get(db, a, &g), BZ_OK);
	gr = json_object_get(g, "grant");
	CHECK_STR(t_str(gr, "status_label"), "완료");
	CHECK_STR(t_str(gr, "selected_on"), "2024-06-01");
	CHECK_STR(t_str(gr, "done_on"), "2024-06-01");
	CHECK_INT(json_array_size(json_object_get(g, "events")), 3);
	CHECK_INT(json_array_size(json_object_get(g, "next")), 0);
	json_decref(g);

	/* the other is cancelled; sites count the finished one only */
	v = version_of(bid, NULL, 0);
	CHECK_INT(move(bid, v, "cancelled", msg, sizeof(msg)), BZ_OK);
	CHECK_INT(grant_list(db, &lf, &l), BZ_OK);
	CHECK_INT(i(l, "sites"), 1);
	CHECK_STR(t_str(json_object_get(l, "sums"), "total_text"), "51,800,000");
	json_decref(l);
	/* filters: a status, a year, every year */
	lf.status = "cancelled";
	CHECK_INT(grant_list(db, &lf, &l), BZ_OK);
	CHECK_INT(i(l, "total"), 1);
	CHECK_INT(i(json_array_get(json_object_get(l, "grants"), 0), "id"), bid);
	json_decref(l);
	struct grant_filter every = {0};
	CHECK_INT(grant_list(db, &every, &l), BZ_OK);
	CHECK_INT(i(l, "total"), 3);
	json_decref(l);

	/* bad moves: no status, the start status, a future date, a reader, no grant */
	json_t *f = json_object();
	v = version_of(cid, NULL, 0);
	CHECK_INT(grant_set_status(db, &leader, cid, v, "", "", NULL, f, msg, sizeof(msg)),
	          BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "to"), "바꿀 상태를 골라 주세요.");
	json_object_clear(f);
	CHECK_INT(grant_set_status(db, &leader, cid, v, "applied", "", NULL, f, msg, sizeof(msg)),
	          BZ_ERR_INVALID);
	json_object_clear(f);
	char tomorrow[DATE_TEXT_SIZE];
	date_format(kst_today_day() + 1, tomorrow, sizeof(tomorrow));
	CHECK_INT(
	    grant_set_status(db, &leader, cid, v, "selected", tomorrow, NULL, f, msg, sizeof(msg)),
	    BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "on"), "날짜는 오늘 이후일 수 없습니다.");
	json_object_clear(f);
	struct user exec = {.id = 9, .role = ROLE_EXECUTIVE};
	CHECK_INT(grant_set_status(db, &exec, cid, v, "selected", "", NULL, f, msg, sizeof(msg)),
	          BZ_ERR_FORBIDDEN);
	CHECK_STR(msg, "상태를 바꿀 권한이 없습니다.");
	CHECK_INT(grant_set_status(db, &leader, 999, 1, "selected", "", NULL, f, msg, sizeof(msg)),
	          BZ_ERR_NOTFOUND);
	CHECK_INT(version_of(cid, st, sizeof(st)), v);
	CHECK_STR(st, "applied");
	json_decref(f);

	/* the vocabulary */
	CHECK(grant_transition_ok("applied", "cancelled"), "applied -> cancelled");
	CHECK(!grant_transition_ok("cancelled", "applied"), "cancelled is final");
	CHECK(grant_status_label("bogus") == NULL, "unknown status");
}

int main(void)
{
	db = t_fresh_db("grant.db");
	if (db == NULL)
		return t_done();
	CHECK_INT(db_exec(db,
	                  "INSERT INTO app_user (id, login, name, role, password_hash) VALUES "
	                  "(1, 'kim', '김주무', 'staff', 'x'), (2, 'lee', '이팀장', 'leader', 'x');"
	                  "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) "
	                  "VALUES (1, '한빛정밀', '한빛정밀', '1208147521', "
	                  "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"),
	          BZ_OK);
	default_split();
	bad_input();
	totals_and_statuses();
	db_close(db);
	t_cleanup();
	return t_done();
}
