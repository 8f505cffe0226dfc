/* SOS cases over HTTP, the second round: editing a case after intake, the
 * transferred case's answer recorded later, a referral's owner chosen in
 * advance and changed by the leader ("내 담당" first for department users),
 * the company shown on the case page to department users (who cannot open the
 * company page), and the case list's filters round-tripping into its form.
 * Bad input and what happens to it:
 *   edit: empty title, unknown or retired    422 with a Korean message per field;
 *     category, bad or future received       nothing written, no new version
 *     date, a time not HH:MM, a received
 *     date after the recorded notice date
 *   edit: stale version                      409; the current values (JSON
 *                                            `case`, and the form), what was
 *                                            typed listed beside; nothing written
 *   edit: a merged case                      409 (GET and POST); nothing written
 *   edit: department, executive, admin       403
 *   edit: nothing changed                    303/200 "바뀐 내용이 없어", no new version
 *   transfer answer on a case not transferred 409; missing text, a date before
 *                                            the transfer or in the future 422
 *   referral owner from another department,  422 (fields.lead_owner / owner)
 *     owner without a lead, the same owner,
 *     an answered referral's owner
 *   referral owner by staff or department    403
 *   a list filter not in its list            422 (fields.<filter>) */
#include "bizsos/sos_case.h"
#include "bizsos/store.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>

static struct daemon d;
static char today[DATE_TEXT_SIZE];
static int64_t company_a, company_b;

/* ---- helpers ---------------------------------------------------------- */

static json_t *jget(json_t *j, const char *a, const char *b)
{
	json_t *x = json_object_get(j, a);
	return b ? json_object_get(x, b) : x;
}

static int64_t category(const char *name)
{
	return t_sql_int(d.db, "SELECT id FROM case_category WHERE name = ?1", name);
}

static int64_t department(const char *name)
{
	return t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", name);
}

static int64_t user_id(const char *login)
{
	return t_sql_int(d.db, "SELECT id FROM app_user WHERE login = ?1", login);
}

static json_t *get_case(struct client *c, int64_t id, long *st)
{
	char p[64];
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	return t_api(c, "GET", p, NULL, st);
}

static int64_t create_case(struct client *c, int64_t company, const char *cat, const char *title,
                           const char *received_on)
{
	char form[2048];
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=visit&category_id=%lld&title=%s&description=%s"
	         "&request=%s&received_on=%s&received_time=10:30",
	         (long long)company, (long long)category(cat), t_enc(title),
	         t_enc("처음 적은 내용"), t_enc("처음 적은 요청"), received_on ? received_on : "");
	return t_new_case(c, form, NULL);
}

/* An edit form with every field; NULL keeps the built-in value. */
static void edit_form(char *out, size_t outlen, const char *title, int64_t cat, const char *channel,
                      const char *received_on, const char *received_time)
{
	snprintf(out, outlen,
	         "title=%s&description=%s&request=%s&category_id=%lld&channel=%s&received_on=%s"
	         "&received_time=%s",
	         t_enc(title), t_enc("처음 적은 내용"), t_enc("처음 적은 요청"), (long long)cat,
	         channel, received_on, received_time);
}

static bool has_event(json_t *page, const char *kind, const char *field, const char *old,
                      const char *new_)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(page, "events"), i, e)
	{
		const char *k = json_string_value(json_object_get(e, "kind"));
		const char *f = json_string_value(json_object_get(e, "field"));
		const char *o = json_string_value(json_object_get(e, "old"));
		const char *n = json_string_value(json_object_get(e, "new"));
		if (k && strcmp(k, kind) == 0 && (!field || (f && strcmp(f, field) == 0)) &&
		    (!old || (o && strcmp(o, old) == 0)) && (!new_ || (n && strcmp(n, new_) == 0)))
			return true;
	}
	return false;
}

static void due_after(const char *received_on, int days, char out[DATE_TEXT_SIZE])
{
	struct db *db = NULL;
	char err[256];
	struct workday_holidays h;
	workday_holidays_init(&h);
	if (db_open(d.db, false, &db, err, sizeof(err)) == BZ_OK) {
		holiday_set_load(db, &h);
		db_close(db);
	}
	out[0] = '\0';
	case_due_date(&h, received_on, days, out, DATE_TEXT_SIZE);
	workday_holidays_free(&h);
}

/* ---- 1. editing a case ------------------------------------------------- */

static void editing(struct client *staff, struct client *leader, struct client *dept,
                    struct client *exec, struct client *admin)
{
	int64_t id = create_case(staff, company_a, "자금", "운전자금 문의", "2025-03-04");
	char form[4096];
	long st;
	json_t *j;
	struct resp r;
	char p[128];

	/* who may open the form */
	snprintf(p, sizeof(p), "/cases/%lld/edit", (long long)id);
	t_get(staff, p, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "value=\"운전자금 문의\"");
	CHECK_CONTAINS(r.body.s, "value=\"2025-03-04\"");
	CHECK_CONTAINS(r.body.s, "value=\"10:30\"");
	CHECK_CONTAINS(r.body.s, "분야나 접수일을 바꾸면 처리 기한을 다시 계산합니다");
	CHECK_CONTAINS(r.body.s, "인허가·규제 (14근무일)");
	t_resp_free(&r);
	struct client *refused[] = {exec, admin};
	for (size_t i = 0; i < 2; i++) {
		t_get(refused[i], p, &r);
		CHECK_INT(r.status, 403);
		t_resp_free(&r);
	}
	/* the case page offers the edit link to staff, not to executives */
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	t_get(staff, p, &r);
	CHECK_CONTAINS(r.body.s, "/edit\" class=\"krds-btn");
	t_resp_free(&r);
	t_get(exec, p, &r);
	CHECK(strstr(r.body.s, "/edit\"") == NULL, "no edit link for the executive");
	t_resp_free(&r);

	/* field errors: 422 with Korean messages, nothing written */
	int64_t v0 = t_case_version(staff, id);
	int64_t fund = category("자금"), permit = category("인허가·규제");
	edit_form(form, sizeof(form), "", fund, "visit", "2025-03-04", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "title"), "제목");
	json_decref(j);
	edit_form(form, sizeof(form), "   ", fund, "visit", "2025-03-04", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, NULL), 422);
	edit_form(form, sizeof(form), "x", 999999, "visit", "2025-03-04", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "category_id"), "분야");
	json_decref(j);
	CHECK_INT(t_case_act(staff, id, "",
	                     "title=x&category_id=abc&channel=visit&received_on=2025-03-04", NULL),
	          422);
	edit_form(form, sizeof(form), "x", fund, "fax", "2025-03-04", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK(t_field_error(j, "channel") != NULL, "unknown channel");
	json_decref(j);
	edit_form(form, sizeof(form), "x", fund, "visit", "2025-02-30", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK(t_field_error(j, "received_on") != NULL, "bad date");
	json_decref(j);
	edit_form(form, sizeof(form), "x", fund, "visit", "2025/03/04", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, NULL), 422);
	edit_form(form, sizeof(form), "x", fund, "visit", "2099-01-01", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "received_on"), "오늘 이후");
	json_decref(j);
	edit_form(form, sizeof(form), "x", fund, "visit", "", "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, NULL), 422);
	edit_form(form, sizeof(form), "x", fund, "visit", "2025-03-04", "25:00");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK(t_field_error(j, "received_time") != NULL, "bad time");
	json_decref(j);
	CHECK_INT(t_case_version(staff, id), v0);
	/* the page form keeps what was typed and says why */
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	char hform[8192];
	snprintf(hform, sizeof(hform),
	         "version=%lld&title=&description=%s&category_id=%lld"
	         "&channel=visit&received_on=2099-01-01&received_time=10:30",
	         (long long)v0, t_enc("새로 쓴 내용"), (long long)fund);
	t_post_form(staff, p, hform, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "제목을 1~200자로 입력해 주세요.");
	CHECK_CONTAINS(r.body.s, "오늘 이후의 날짜는 입력할 수 없습니다.");
	CHECK_CONTAINS(r.body.s, "새로 쓴 내용");
	CHECK_CONTAINS(r.body.s, "aria-invalid=\"true\"");
	t_resp_free(&r);
	/* no version: 422, nothing written */
	t_post_form(staff, p, "title=x", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "사건 버전이 없습니다");
	t_resp_free(&r);

	/* a real edit: every changed field an event, the due date recomputed
	 * from the new category and received date */
	edit_form(form, sizeof(form), "공장 증축 인허가 문의", permit, "phone", "2025-03-05",
	          "14:00");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 200);
	CHECK(json_is_true(json_object_get(j, "changed")), "changed");
	CHECK_STR(t_jstr(j, "case", "title"), "공장 증축 인허가 문의");
	json_decref(j);
	j = get_case(staff, id, &st);
	char due[DATE_TEXT_SIZE];
	due_after("2025-03-05", 14, due);
	CHECK_STR(t_jstr(j, "case", "due_on"), due);
	CHECK_STR(t_jstr(j, "case", "received_on"), "2025-03-05");
	CHECK_STR(t_jstr(j, "case", "received_at"), "2025-03-05T05:00:00Z"); /* 14:00 KST */
	CHECK_STR(t_jstr(j, "case", "category"), "인허가·규제");
	CHECK_STR(t_jstr(j, "case", "channel"), "phone");
	CHECK_INT(json_integer_value(jget(j, "case", "version")), v0 + 1);
	char old_due[DATE_TEXT_SIZE];
	due_after("2025-03-04", 7, old_due);
	CHECK(has_event(j, "field", "title", "운전자금 문의", "공장 증축 인허가 문의"),
	      "title event old -> new");
	CHECK(has_event(j, "field", "category", "자금", "인허가·규제"), "category event");
	CHECK(has_event(j, "field", "channel", "현장방문", "전화"), "channel event (labels)");
	CHECK(has_event(j, "field", "received_at", "2025-03-04 10:30", "2025-03-05 14:00"),
	      "received event");
	CHECK(has_event(j, "field", "due_on", old_due, due), "due date event");
	CHECK(!has_event(j, "field", "description", NULL, NULL), "unchanged: no event");
	json_decref(j);
	/* the new title is searchable (the FTS trigger) */
	snprintf(p, sizeof(p), "/cases?q=%s", t_enc("증축"));
	j = t_api(staff, "GET", p, NULL, &st);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	/* and the old one no longer is (the bigram index still lists the case for
	 * 운전: its current text decides) */
	snprintf(p, sizeof(p), "/cases?q=%s&company=%lld", t_enc("운전"), (long long)company_a);
	j = t_api(staff, "GET", p, NULL, &st);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
	/* the HTML answer: back to the case page with a flash */
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	snprintf(hform, sizeof(hform),
	         "version=%lld&title=%s&description=%s&request=%s"
	         "&category_id=%lld&channel=phone&received_on=2025-03-05&received_time=14:00",
	         (long long)t_case_version(staff, id), t_enc("공장 증축 인허가 문의"),
	         t_enc("설명을 고쳐 씀"), t_enc("처음 적은 요청"), (long long)permit);
	t_post_form(staff, p, hform, &r);
	CHECK_INT(r.status, 303);
	char loc[128] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	CHECK_STR(loc, p);
	t_resp_free(&r);
	t_get(staff, p, &r);
	CHECK_CONTAINS(r.body.s, "사건 내용을 고쳤습니다");
	CHECK_CONTAINS(r.body.s, "설명을 고쳐 씀");
	t_resp_free(&r);

	/* nothing changed: no new version, said so */
	int64_t v1 = t_case_version(staff, id);
	snprintf(hform, sizeof(hform),
	         "version=%lld&title=%s&description=%s&request=%s"
	         "&category_id=%lld&channel=phone&received_on=2025-03-05&received_time=14:00",
	         (long long)v1, t_enc("공장 증축 인허가 문의"), t_enc("설명을 고쳐 씀"),
	         t_enc("처음 적은 요청"), (long long)permit);
	t_post_form(staff, p, hform, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	t_get(staff, p, &r);
	CHECK_CONTAINS(r.body.s, "바뀐 내용이 없어");
	t_resp_free(&r);
	CHECK_INT(t_case_version(staff, id), v1);

	/* a stale version: 409, the current values, nothing overwritten */
	snprintf(form, sizeof(form),
	         "version=%lld&title=%s&category_id=%lld&channel=visit"
	         "&received_on=2025-03-05&received_time=14:00",
	         (long long)(v1 - 1), t_enc("늦게 저장한 제목"), (long long)fund);
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	j = t_api(leader, "POST", p, form, &st);
	CHECK_INT(st, 409);
	CHECK_STR(t_jstr(j, "error", "code"), "conflict");
	CHECK_CONTAINS(t_jstr(j, "error", "message"), "다른 사용자가 먼저");
	CHECK_STR(t_jstr(j, "case", "title"), "공장 증축 인허가 문의");
	CHECK_INT(json_integer_value(jget(j, "case", "version")), v1);
	json_decref(j);
	t_post_form(leader, p, form, &r);
	CHECK_INT(r.status, 409);
	CHECK_CONTAINS(r.body.s, "입력한 값과 지금 저장된 값");
	CHECK_CONTAINS(r.body.s, "늦게 저장한 제목");                /* what was typed */
	CHECK_CONTAINS(r.body.s, "value=\"공장 증축 인허가 문의\""); /* the form: current */
	t_resp_free(&r);
	j = get_case(staff, id, &st);
	CHECK_STR(t_jstr(j, "case", "title"), "공장 증축 인허가 문의");
	CHECK_STR(t_jstr(j, "case", "category"), "인허가·규제");
	json_decref(j);
	CHECK_INT(t_case_version(staff, id), v1);

	/* the department user it is referred to reads it, never edits it */
	snprintf(form, sizeof(form), "lead=%lld", (long long)department("건축과"));
	CHECK_INT(t_case_act(leader, id, "referrals", form, NULL), 200);
	edit_form(form, sizeof(form), "부서가 고친 제목", permit, "phone", "2025-03-05", "14:00");
	CHECK_INT(t_case_act(dept, id, "", form, NULL), 403);
	snprintf(p, sizeof(p), "/cases/%lld/edit", (long long)id);
	t_get(dept, p, &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	CHECK_INT(t_case_act(exec, id, "", form, NULL), 403);
	j = get_case(staff, id, &st);
	CHECK_STR(t_jstr(j, "case", "title"), "공장 증축 인허가 문의");
	json_decref(j);

	/* the received date cannot move after the recorded notice date */
	CHECK_INT(
	    t_case_act(staff, id, "notify", "notified_method=phone&notified_on=2025-03-06", NULL),
	    200);
	edit_form(form, sizeof(form), "공장 증축 인허가 문의", permit, "phone", "2025-03-07",
	          "14:00");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "received_on"), "기업 통보일(2025-03-06)");
	json_decref(j);

	/* extended: a new category leaves the due date and the extension alone */
	int64_t ext = create_case(staff, company_a, "자금", "연장한 사건", NULL);
	j = get_case(staff, ext, &st);
	char ext_due[DATE_TEXT_SIZE];
	bz_strlcpy(ext_due, t_jstr(j, "case", "due_on"), sizeof(ext_due));
	json_decref(j);
	int32_t dd;
	date_parse(ext_due, &dd, NULL);
	char later[DATE_TEXT_SIZE];
	date_format(dd + 5, later, sizeof(later));
	snprintf(form, sizeof(form), "new_due_on=%s&extension_reason=%s", later,
	         t_enc("현장 확인"));
	CHECK_INT(t_case_act(staff, ext, "extend", form, NULL), 200);
	edit_form(form, sizeof(form), "연장한 사건", permit, "visit", today, "10:30");
	CHECK_INT(t_case_act(leader, ext, "", form, NULL), 200);
	j = get_case(staff, ext, &st);
	CHECK_STR(t_jstr(j, "case", "due_on"), ext_due);
	CHECK_STR(t_jstr(j, "case", "extended_due_on"), later);
	CHECK_STR(t_jstr(j, "case", "category"), "인허가·규제");
	CHECK(!has_event(j, "field", "due_on", NULL, NULL), "no due-date event when extended");
	json_decref(j);
	snprintf(p, sizeof(p), "/cases/%lld/edit", (long long)ext);
	t_get(staff, p, &r);
	CHECK_CONTAINS(r.body.s, "분야나 접수일을 바꿔도 처리 기한은 그대로입니다");
	t_resp_free(&r);

	/* a retired category may be kept (other fields change), not chosen */
	char f2[512];
	snprintf(f2, sizeof(f2), "name=%s&default_days=9", t_enc("옛분야"));
	struct resp rr;
	t_post_form(admin, "/admin/categories", f2, &rr);
	t_resp_free(&rr);
	int64_t old_cat = category("옛분야");
	int64_t kept = create_case(staff, company_b, "옛분야", "옛 분야의 사건", NULL);
	snprintf(f2, sizeof(f2), "id=%lld&name=%s&default_days=9&retired=1", (long long)old_cat,
	         t_enc("옛분야"));
	t_post_form(admin, "/admin/categories", f2, &rr);
	CHECK_INT(rr.status, 303);
	t_resp_free(&rr);
	edit_form(form, sizeof(form), "옛 분야의 사건 (제목 고침)", old_cat, "visit", today,
	          "10:30");
	CHECK_INT(t_case_act(staff, kept, "", form, NULL), 200);
	edit_form(form, sizeof(form), "다른 사건으로", old_cat, "visit", today, "10:30");
	CHECK_INT(t_case_act(staff, id, "", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "category_id"), "더는 쓰지 않는 분야");
	json_decref(j);

	/* merged: read-only, 409 on the form and on a save */
	int64_t dup = create_case(staff, company_a, "자금", "중복 접수", NULL);
	j = get_case(staff, id, &st);
	char no[32];
	bz_strlcpy(no, t_jstr(j, "case", "case_no"), sizeof(no));
	json_decref(j);
	snprintf(form, sizeof(form), "into=%s", no);
	CHECK_INT(t_case_act(leader, dup, "merge", form, NULL), 200);
	edit_form(form, sizeof(form), "병합 뒤 고침", fund, "visit", today, "10:30");
	CHECK_INT(t_case_act(staff, dup, "", form, &j), 409);
	CHECK_CONTAINS(t_jstr(j, "error", "message"), "병합되어");
	json_decref(j);
	snprintf(p, sizeof(p), "/cases/%lld/edit", (long long)dup);
	t_get(staff, p, &r);
	CHECK_INT(r.status, 409);
	CHECK(strstr(r.body.s, "name=\"title\"") == NULL, "no form on a merged case");
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/cases/%lld", (long long)dup);
	t_get(staff, p, &r);
	CHECK(strstr(r.body.s, "/edit\"") == NULL, "no edit link on a merged case");
	t_resp_free(&r);
	j = get_case(staff, dup, &st);
	CHECK_STR(t_jstr(j, "case", "title"), "중복 접수");
	json_decref(j);

	/* an unknown case */
	t_get(staff, "/cases/999999/edit", &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	edit_form(form, sizeof(form), "x", fund, "visit", today, "10:30");
	snprintf(hform, sizeof(hform), "version=1&%s", form);
	j = t_api(staff, "POST", "/cases/999999", hform, &st);
	CHECK_INT(st, 404);
	json_decref(j);
}

/* ---- 2. the transferred case's answer, later ------------------------- */

static void transfer_answers(struct client *staff, struct client *leader, struct client *dept,
                             struct client *exec)
{
	int64_t id = create_case(staff, company_a, "인허가·규제", "규제 개선 건의", "2025-04-01");
	json_t *j;
	long st;
	char form[1024];
	/* not transferred yet: 409 */
	snprintf(form, sizeof(form), "transfer_answer_on=%s&transfer_answer=%s", today,
	         t_enc("검토하겠습니다"));
	CHECK_INT(t_case_act(staff, id, "transfer-answer", form, &j), 409);
	CHECK_CONTAINS(t_jstr(j, "error", "message"), "이송한 사건에만");
	json_decref(j);
	snprintf(form, sizeof(form), "to=transferred&transfer_to=%s&transfer_on=2025-04-10",
	         t_enc("중소기업 옴부즈만"));
	CHECK_INT(t_case_act(leader, id, "status", form, NULL), 200);
	j = get_case(staff, id, &st);
	CHECK(json_is_null(jget(j, "case", "transfer_answer")), "no answer yet");
	json_decref(j);
	/* the page offers the form, open, to staff */
	struct resp r;
	char p[64];
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	t_get(staff, p, &r);
	CHECK_CONTAINS(r.body.s, "아직 회신을 받지 못함");
	CHECK_CONTAINS(r.body.s, "action=\"/cases/");
	CHECK_CONTAINS(r.body.s, "/transfer-answer\"");
	t_resp_free(&r);

	/* bad input */
	CHECK_INT(t_case_act(staff, id, "transfer-answer", "transfer_answer_on=2025-04-20", &j),
	          422);
	CHECK_CONTAINS(t_field_error(j, "transfer_answer"), "회신 내용");
	json_decref(j);
	snprintf(form, sizeof(form), "transfer_answer_on=2025-04-09&transfer_answer=%s",
	         t_enc("회신"));
	CHECK_INT(t_case_act(staff, id, "transfer-answer", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "transfer_answer_on"), "이송일(2025-04-10)");
	json_decref(j);
	snprintf(form, sizeof(form), "transfer_answer_on=2099-01-01&transfer_answer=%s",
	         t_enc("회신"));
	CHECK_INT(t_case_act(staff, id, "transfer-answer", form, NULL), 422);
	snprintf(form, sizeof(form), "transfer_answer_on=&transfer_answer=%s", t_enc("회신"));
	CHECK_INT(t_case_act(staff, id, "transfer-answer", form, NULL), 422);
	/* who */
	snprintf(form, sizeof(form), "transfer_answer_on=2025-04-20&transfer_answer=%s",
	         t_enc("규정 개정을 검토하겠습니다."));
	CHECK_INT(t_case_act(dept, id, "transfer-answer", form, NULL), 403);
	CHECK_INT(t_case_act(exec, id, "transfer-answer", form, NULL), 403);
	/* recorded */
	CHECK_INT(t_case_act(staff, id, "transfer-answer", form, NULL), 200);
	j = get_case(staff, id, &st);
	CHECK_STR(t_jstr(j, "case", "transfer_answer"), "규정 개정을 검토하겠습니다.");
	CHECK_STR(t_jstr(j, "case", "transfer_answer_on"), "2025-04-20");
	CHECK_STR(t_jstr(j, "case", "status"), "transferred");
	CHECK(
	    has_event(j, "transfer_answer", "transfer_answer", NULL, "규정 개정을 검토하겠습니다."),
	    "history row");
	json_decref(j);
	CHECK_INT(t_case_act(staff, id, "transfer-answer", form, &j), 422); /* the same again */
	json_decref(j);
	/* replaced later: the old answer stays in the history */
	snprintf(form, sizeof(form), "transfer_answer_on=2025-05-02&transfer_answer=%s",
	         t_enc("개정안에 반영했습니다."));
	CHECK_INT(t_case_act(leader, id, "transfer-answer", form, NULL), 200);
	j = get_case(staff, id, &st);
	CHECK_STR(t_jstr(j, "case", "transfer_answer_on"), "2025-05-02");
	CHECK(has_event(j, "transfer_answer", "transfer_answer", "규정 개정을 검토하겠습니다.",
	                "개정안에 반영했습니다."),
	      "old -> new");
	json_decref(j);
	t_get(staff, p, &r);
	CHECK_CONTAINS(r.body.s, "2025-05-02 회신");
	CHECK_CONTAINS(r.body.s, "개정안에 반영했습니다.");
	t_resp_free(&r);

	/* an answer given at transfer time is dated the transfer day */
	int64_t id2 = create_case(staff, company_a, "기타", "바로 회신 받은 이송", "2025-04-01");
	snprintf(form, sizeof(form),
	         "to=transferred&transfer_to=%s&transfer_on=2025-04-11&transfer_answer=%s",
	         t_enc("도청"), t_enc("바로 답함"));
	CHECK_INT(t_case_act(leader, id2, "status", form, NULL), 200);
	j = get_case(staff, id2, &st);
	CHECK_STR(t_jstr(j, "case", "transfer_answer_on"), "2025-04-11");
	json_decref(j);
}

/* ---- 3. referral owners ------------------------------------------------ */

static void referral_owners(struct client *staff, struct client *leader, struct client *dept,
                            struct client *dept_b)
{
	int64_t me = user_id("department"), other = user_id("geonchuk2"), doro = user_id("doro");
	int64_t gc = department("건축과"), dr = department("도로과");
	int64_t id = create_case(staff, company_a, "기반시설", "진입로 포장 요청", NULL);
	char form[512];
	json_t *j;
	long st;

	/* an owner from another department, or without a lead: 422 */
	snprintf(form, sizeof(form), "lead=%lld&lead_owner=%lld", (long long)gc, (long long)doro);
	CHECK_INT(t_case_act(staff, id, "referrals", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "lead_owner"), "건축과 소속");
	json_decref(j);
	/* the page says so next to the select, which keeps the choice */
	{
		char p[64], hf[256], opt[96];
		snprintf(p, sizeof(p), "/cases/%lld/referrals", (long long)id);
		snprintf(hf, sizeof(hf), "version=%lld&lead=%lld&lead_owner=%lld",
		         (long long)t_case_version(staff, id), (long long)gc, (long long)doro);
		struct resp r;
		t_post_form(staff, p, hf, &r);
		CHECK_INT(r.status, 422);
		CHECK_CONTAINS(r.body.s, "id=\"lead_owner-error\"");
		snprintf(opt, sizeof(opt), "<option value=\"%lld\" selected>", (long long)doro);
		CHECK_CONTAINS(r.body.s, opt);
		t_resp_free(&r);
	}
	snprintf(form, sizeof(form), "coop=%lld&lead_owner=%lld", (long long)dr, (long long)doro);
	CHECK_INT(t_case_act(staff, id, "referrals", form, NULL), 422);
	snprintf(form, sizeof(form), "lead=%lld&lead_owner=abc", (long long)gc);
	CHECK_INT(t_case_act(staff, id, "referrals", form, NULL), 422);
	snprintf(form, sizeof(form), "lead=%lld&coop=%lld&owner_%lld=%lld", (long long)gc,
	         (long long)dr, (long long)dr, (long long)me);
	CHECK_INT(t_case_act(staff, id, "referrals", form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "coop_owner"), "도로과 소속");
	json_decref(j);
	/* chosen in advance: lead owner and a coop's owner */
	snprintf(form, sizeof(form), "lead=%lld&lead_owner=%lld&coop=%lld&owner_%lld=%lld",
	         (long long)gc, (long long)other, (long long)dr, (long long)dr, (long long)doro);
	CHECK_INT(t_case_act(staff, id, "referrals", form, NULL), 200);
	j = get_case(leader, id, &st);
	int64_t rid_gc = 0, rid_dr = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "referrals"), i, x)
	{
		int64_t dep = json_integer_value(json_object_get(x, "department_id"));
		int64_t own = json_integer_value(json_object_get(x, "owner_id"));
		if (dep == gc) {
			rid_gc = json_integer_value(json_object_get(x, "id"));
			CHECK_INT(own, other);
			CHECK(json_is_true(json_object_get(x, "can_change_owner")), "leader may");
			CHECK_INT(json_array_size(json_object_get(x, "owner_options")), 3);
		} else {
			rid_dr = json_integer_value(json_object_get(x, "id"));
			CHECK_INT(own, doro);
		}
	}
	CHECK(has_event(j, "referral_owner", "owner", NULL, "건축 담당 2"), "owner event");
	json_decref(j);

	/* the leader changes it; nobody else may */
	char path[96];
	snprintf(path, sizeof(path), "referrals/%lld/owner", (long long)rid_gc);
	snprintf(form, sizeof(form), "owner=%lld", (long long)me);
	CHECK_INT(t_case_act(staff, id, path, form, NULL), 403);
	CHECK_INT(t_case_act(dept, id, path, form, NULL), 403);
	snprintf(form, sizeof(form), "owner=%lld", (long long)doro);
	CHECK_INT(t_case_act(leader, id, path, form, &j), 422);
	CHECK_CONTAINS(t_field_error(j, "owner"), "건축과 소속");
	json_decref(j);
	snprintf(form, sizeof(form), "owner=%lld", (long long)other);
	CHECK_INT(t_case_act(leader, id, path, form, &j), 422); /* the same owner */
	json_decref(j);
	snprintf(form, sizeof(form), "owner=%lld", (long long)me);
	CHECK_INT(t_case_act(leader, id, path, form, NULL), 200);
	j = get_case(leader, id, &st);
	CHECK(has_event(j, "referral_owner", "owner", "건축 담당 2", "시험 department"),
	      "owner change old -> new");
	json_decref(j);
	snprintf(path, sizeof(path), "referrals/999999/owner");
	CHECK_INT(t_case_act(leader, id, path, form, NULL), 404);

	/* the department user sees it as theirs */
	j = get_case(dept, id, &st);
	CHECK_INT(st, 200);
	json_array_foreach(json_object_get(j, "referrals"), i, x)
	{
		if (json_integer_value(json_object_get(x, "id")) == rid_gc)
			CHECK(json_is_true(json_object_get(x, "owned_by_me")), "내 담당");
	}
	json_decref(j);
	char p[64];
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	struct resp r;
	t_get(dept, p, &r);
	CHECK_CONTAINS(r.body.s, "내 담당");
	t_resp_free(&r);

	/* "내 담당" first: two more cases to 건축과, this one the oldest by
	 * number, still first for its owner even sorted by number descending */
	int64_t later_ids[2];
	for (int k = 0; k < 2; k++) {
		later_ids[k] = create_case(staff, company_b, "기반시설", "다른 건축과 사건", NULL);
		snprintf(form, sizeof(form), "lead=%lld", (long long)gc);
		CHECK_INT(t_case_act(staff, later_ids[k], "referrals", form, NULL), 200);
	}
	j = t_api(dept, "GET", "/cases?sort=no&order=desc", NULL, &st);
	CHECK_INT(st, 200);
	json_t *first = json_array_get(json_object_get(j, "cases"), 0);
	CHECK_INT(json_integer_value(json_object_get(first, "id")), id);
	CHECK(json_is_true(json_object_get(first, "mine")), "first row is mine");
	CHECK(json_is_true(json_object_get(j, "mine_first")), "said on the page");
	json_t *second = json_array_get(json_object_get(j, "cases"), 1);
	CHECK_INT(json_integer_value(json_object_get(second, "id")), later_ids[1]);
	CHECK(json_is_false(json_object_get(second, "mine")), "then by number, descending");
	json_decref(j);
	/* the other 건축과 user does not have it first */
	j = t_api(dept_b, "GET", "/cases?sort=no&order=desc", NULL, &st);
	first = json_array_get(json_object_get(j, "cases"), 0);
	CHECK_INT(json_integer_value(json_object_get(first, "id")), later_ids[1]);
	json_decref(j);
	/* staff lists are not reordered */
	j = t_api(staff, "GET", "/cases?sort=no&order=desc", NULL, &st);
	first = json_array_get(json_object_get(j, "cases"), 0);
	CHECK(json_integer_value(json_object_get(first, "id")) != id, "staff: by number");
	json_decref(j);

	/* an answered referral keeps its owner */
	snprintf(path, sizeof(path), "referrals/%lld/answer", (long long)rid_dr);
	struct client doro_c;
	t_client_init(&doro_c, &d);
	CHECK_INT(t_login(&doro_c, "doro", T_PASSWORD), 303);
	snprintf(form, sizeof(form), "action=answer&answer=%s", t_enc("다음 달 포장 예정"));
	CHECK_INT(t_case_act(&doro_c, id, path, form, NULL), 200);
	t_client_free(&doro_c);
	snprintf(path, sizeof(path), "referrals/%lld/owner", (long long)rid_dr);
	CHECK_INT(t_case_act(leader, id, path, "owner=", &j), 422);
	CHECK_CONTAINS(t_field_error(j, "owner"), "답변을 마친");
	json_decref(j);
	/* clearing an open referral's owner */
	snprintf(path, sizeof(path), "referrals/%lld/owner", (long long)rid_gc);
	CHECK_INT(t_case_act(leader, id, path, "owner=", NULL), 200);
	j = get_case(leader, id, &st);
	json_array_foreach(json_object_get(j, "referrals"), i, x)
	{
		if (json_integer_value(json_object_get(x, "id")) == rid_gc)
			CHECK(json_is_null(json_object_get(x, "owner_id")), "cleared");
	}
	json_decref(j);
	/* the leader's page has the owner form and the refer form's owner select */
	t_get(leader, p, &r);
	CHECK_CONTAINS(r.body.s, "/owner\"");
	CHECK_CONTAINS(r.body.s, "<optgroup label=\"건축과\">");
	t_resp_free(&r);
}

/* ---- 4. the company on the case page, for department users ----------- */

static void company_for_department(struct client *staff, struct client *leader, struct client *dept)
{
	long st;
	char form[1024];
	snprintf(form, sizeof(form), "name=%s&brn=%s&address=%s", t_enc("새솔기계"),
	         t_enc("220-81-62517"), t_enc("경기도 예시시 공단로 77, 2동"));
	json_t *j = t_api(leader, "POST", "/companies", form, &st);
	CHECK_INT(st, 200);
	int64_t co = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char p[128];
	snprintf(p, sizeof(p), "/companies/%lld/contacts", (long long)co);
	snprintf(form, sizeof(form), "contact_name=%s&contact_phone=010-9876-5432",
	         t_enc("박과장"));
	j = t_api(leader, "POST", p, form, &st);
	json_decref(j);
	int64_t id = create_case(staff, co, "환경", "폐수 배출 기준 문의", NULL);
	snprintf(form, sizeof(form), "lead=%lld", (long long)department("건축과"));
	CHECK_INT(t_case_act(leader, id, "referrals", form, NULL), 200);

	j = get_case(dept, id, &st);
	CHECK_INT(st, 200);
	CHECK_STR(t_jstr(j, "case", "company"), "새솔기계");
	CHECK_STR(t_jstr(j, "case", "company_brn_text"), "220-81-62517");
	CHECK_STR(t_jstr(j, "case", "company_address"), "경기도 예시시 공단로 77, 2동");
	CHECK(json_is_false(jget(j, "can", "view_company")), "no company link");
	json_decref(j);
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	struct resp r;
	t_get(dept, p, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "새솔기계");
	CHECK_CONTAINS(r.body.s, "220-81-62517");
	CHECK_CONTAINS(r.body.s, "경기도 예시시 공단로 77, 2동");
	CHECK(strstr(r.body.s, "href=\"/companies/") == NULL, "no link to the company page");
	CHECK(strstr(r.body.s, "9876") == NULL && strstr(r.body.s, "박과장") == NULL,
	      "no contacts (personal data stays on the company page)");
	CHECK(strstr(r.body.s, "/edit\"") == NULL, "no edit link for the department user");
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/companies/%lld", (long long)co);
	t_get(dept, p, &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	/* staff see the same, with the link */
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	t_get(staff, p, &r);
	char href[64];
	snprintf(href, sizeof(href), "href=\"/companies/%lld\"", (long long)co);
	CHECK_CONTAINS(r.body.s, href);
	CHECK_CONTAINS(r.body.s, "220-81-62517");
	t_resp_free(&r);
}

/* ---- 5. the list: count, clearing, and every filter in the form ------ */

/* The <select id="sel_id"> of the page has option value v selected. */
static bool selected(const char *html, const char *sel_id, const char *v)
{
	char key[64], opt[160];
	snprintf(key, sizeof(key), "id=\"%s\"", sel_id);
	const char *s = strstr(html, key);
	const char *e = s ? strstr(s, "</select>") : NULL;
	if (e == NULL)
		return false;
	snprintf(opt, sizeof(opt), "<option value=\"%s\" selected>", v);
	const char *o = strstr(s, opt);
	if (o == NULL || o > e)
		return false;
	/* and only that one */
	const char *again = strstr(o + strlen(opt), " selected>");
	return again == NULL || again > e;
}

static void list_filters(struct client *staff)
{
	struct resp r;
	t_get(staff, "/cases", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "모두 <strong>");
	CHECK(strstr(r.body.s, "필터 지우기") == NULL, "nothing to clear");
	t_resp_free(&r);

	long st;
	json_t *j = t_api(staff, "GET", "/cases", NULL, &st);
	json_t *opts = json_object_get(j, "options");
	static const struct {
		const char *param, *sel_id;
	} selects[] = {
	    {"status", "f-status"},     {"category", "f-category"},
	    {"channel", "f-channel"},   {"department", "f-department"},
	    {"assignee", "f-assignee"}, {"quarter", "f-quarter"},
	    {"flag", "f-flag"},         {"sort", "f-sort"},
	    {"order", "f-order"},
	};
	int tried = 0;
	for (size_t s = 0; s < BZ_ARRAY_LEN(selects); s++) {
		json_t *list = json_object_get(opts, selects[s].param);
		CHECK(json_array_size(list) > 1, "%s has options", selects[s].param);
		size_t i;
		json_t *o;
		json_array_foreach(list, i, o)
		{
			const char *v = json_string_value(json_object_get(o, "value"));
			char p[512];
			/* a quarter needs its year */
			snprintf(p, sizeof(p), "/cases?%s=%s%s", selects[s].param, t_enc(v),
			         strcmp(selects[s].param, "quarter") == 0 ? "&year=2025" : "");
			t_get(staff, p, &r);
			CHECK(r.status == 200, "%s -> %ld", p, r.status);
			CHECK(selected(r.body.s, selects[s].sel_id, v), "%s: %s=%s echoed", p,
			      selects[s].sel_id, v);
			CHECK_CONTAINS(r.body.s, "필터 지우기");
			CHECK_CONTAINS(r.body.s, "검색 결과 <strong>");
			t_resp_free(&r);
			tried++;
		}
	}
	json_decref(j);
	CHECK(tried > 40, "%d filter values tried", tried);

	/* everything at once, plus the text inputs, the checkbox and the company */
	char p[1024];
	snprintf(p, sizeof(p),
	         "/cases?status=open&category=%lld&channel=phone&department=%lld&assignee=none"
	         "&year=2025&quarter=2&overdue=1&flag=red&q=%s&sort=received&order=desc"
	         "&company=%lld",
	         (long long)category("자금"), (long long)department("건축과"), t_enc("자금 지원"),
	         (long long)company_a);
	t_get(staff, p, &r);
	CHECK_INT(r.status, 200);
	CHECK(selected(r.body.s, "f-status", "open"), "status");
	char v[32];
	snprintf(v, sizeof(v), "%lld", (long long)category("자금"));
	CHECK(selected(r.body.s, "f-category", v), "category");
	CHECK(selected(r.body.s, "f-channel", "phone"), "channel");
	snprintf(v, sizeof(v), "%lld", (long long)department("건축과"));
	CHECK(selected(r.body.s, "f-department", v), "department");
	CHECK(selected(r.body.s, "f-assignee", "none"), "assignee");
	CHECK(selected(r.body.s, "f-quarter", "2"), "quarter");
	CHECK(selected(r.body.s, "f-flag", "red"), "flag");
	CHECK(selected(r.body.s, "f-sort", "received"), "sort");
	CHECK(selected(r.body.s, "f-order", "desc"), "order");
	CHECK_CONTAINS(r.body.s, "name=\"year\" class=\"krds-input\" value=\"2025\"");
	CHECK_CONTAINS(r.body.s, "value=\"자금 지원\"");
	CHECK_CONTAINS(r.body.s, "name=\"overdue\" value=\"1\" checked");
	snprintf(v, sizeof(v), "name=\"company\" value=\"%lld\"", (long long)company_a);
	CHECK_CONTAINS(r.body.s, v);
	CHECK_CONTAINS(r.body.s, "<details class=\"app-case-more\" open>");
	CHECK_CONTAINS(r.body.s, "id=\"clear-filters\"");
	t_resp_free(&r);
	/* the count is the count of the results */
	j = t_api(staff, "GET", "/cases?status=open", NULL, &st);
	int64_t total = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	t_get(staff, "/cases?status=open", &r);
	char want[64];
	snprintf(want, sizeof(want), "검색 결과 <strong>%lld</strong>건", (long long)total);
	CHECK_CONTAINS(r.body.s, want);
	t_resp_free(&r);
	/* values not in the lists are refused, in Korean */
	const char *bad[] = {"/cases?sort=bogus",          "/cases?order=sideways",
	                     "/cases?flag=blue",           "/cases?channel=fax",
	                     "/cases?quarter=5&year=2025", "/cases?category=abc"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		t_get(staff, bad[i], &r);
		CHECK(r.status == 422, "%s -> %ld", bad[i], r.status);
		t_resp_free(&r);
	}
}

int main(void)
{
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	kst_today(today);
	/* a second 건축과 user and a 도로과 user (the harness made "department" in 건축과) */
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", d.db, "--login", "geonchuk2",
	                "--name", "건축 담당 2", "--role", "department", "--department", "건축과",
	                "--password-stdin", NULL),
	          0);
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", d.db, "--login", "doro",
	                "--name", "도로 담당", "--role", "department", "--department", "도로과",
	                "--password-stdin", NULL),
	          0);
	struct client staff, leader, exec, dept, admin, dept_b;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&exec, &d, "executive");
	t_sign_in(&dept, &d, "department");
	t_sign_in(&admin, &d, "admin");
	t_sign_in(&dept_b, &d, "geonchuk2");
	long st;
	char form[512];
	snprintf(form, sizeof(form), "name=%s&brn=120-81-47521", t_enc("한빛정밀"));
	json_t *j = t_api(&leader, "POST", "/companies", form, &st);
	company_a = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(form, sizeof(form), "name=%s&brn=101-81-00340", t_enc("동해화학"));
	j = t_api(&leader, "POST", "/companies", form, &st);
	company_b = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	CHECK(company_a > 0 && company_b > 0, "companies");

	editing(&staff, &leader, &dept, &exec, &admin);
	transfer_answers(&staff, &leader, &dept, &exec);
	referral_owners(&staff, &leader, &dept, &dept_b);
	company_for_department(&staff, &leader, &dept);
	list_filters(&staff);

	t_client_free(&staff);
	t_client_free(&leader);
	t_client_free(&exec);
	t_client_free(&dept);
	t_client_free(&admin);
	t_client_free(&dept_b);
	int stop = t_daemon_stop(&d);
	CHECK_INT(stop, 0);
	if (stop != 0) {
		FILE *f = fopen(d.log, "r");
		char line[1024];
		while (f && fgets(line, sizeof(line), f))
			if (!strstr(line, " access "))
				fputs(line, stderr);
		if (f)
			fclose(f);
	}
	t_cleanup();
	return t_done();
}
