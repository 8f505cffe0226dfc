/* SOS cases over HTTP, against the real daemon: a case's whole life (created,
 * referred to two departments, answered by a department user, extended once,
 * completed with outcome and notification), every forbidden transition for
 * every role (403 or 422), department isolation, stale versions (409), Korean
 * search of 2, 3 and 4+ syllables, attachments judged by their bytes, merging,
 * repeat grievances, overdue and bounce flags, and the HTML pages.
 * Bad input and what happens to it:
 *   missing/invalid fields            422 with a Korean message per field
 *   missing version                   422 (fields.version); nothing written
 *   stale version                     409 with the current values; nothing written
 *   a transition not in the table     422 (fields.to)
 *   a role not allowed                403 (route or domain); nothing written
 *   a case not referred to a dept     404 for that department's users
 *   a renamed executable              422 (fields.file), by its bytes
 *   a second extension                422 (fields.new_due_on)
 *   completion without notification   422 (fields.notified_method/notified_on) */
#include "bizsos/sos_case.h"
#include "bizsos/store.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static struct daemon d;
static char today[DATE_TEXT_SIZE];

/* ---- helpers ---------------------------------------------------------- */

static int64_t category(const char *name)
{
	return t_sql_int(d.db, "SELECT id FROM case_category WHERE name = ?1", name);
}

static int64_t department(const char *name)
{
	return t_sql_int(d.db, "SELECT id FROM department WHERE name = ?1", name);
}

static json_t *get_case(struct client *c, int64_t id, long *st)
{
	char p[64];
	snprintf(p, sizeof(p), "/cases/%lld", (long long)id);
	return t_api(c, "GET", p, NULL, st);
}

static char *status_of(struct client *c, int64_t id)
{
	return strdup(t_case_status(c, id));
}

static int64_t create_case(struct client *c, int64_t company, const char *cat, const char *title,
                           const char *desc, const char *received_on, char *no_out)
{
	char form[4096];
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=visit&category_id=%lld&title=%s&description=%s"
	         "&request=%s&received_on=%s",
	         (long long)company, (long long)category(cat), t_enc(title), t_enc(desc),
	         t_enc("신속한 처리를 바랍니다"), received_on ? received_on : "");
	return t_new_case(c, form, no_out);
}

/* ---- the whole life of a case ----------------------------------------- */

static int64_t company_a, company_b;

static void whole_life(struct client *staff, struct client *leader, struct client *dept,
                       struct client *dept2)
{
	char no[32] = "", no2[32] = "";
	int64_t id = create_case(staff, company_a, "자금", "운전자금 지원 요청",
	                         "원자재 값이 올라 운영 자금이 모자랍니다.", NULL, no);
	char expect[32];
	snprintf(expect, sizeof(expect), "SOS-%.4s-0001", today);
	CHECK_STR(no, expect);
	int64_t id2 = create_case(staff, company_a, "인력", "기능인력 채용 지원",
	                          "용접 인력을 구하지 못합니다.", NULL, no2);
	snprintf(expect, sizeof(expect), "SOS-%.4s-0002", today);
	CHECK_STR(no2, expect);

	/* the deadline: 7 working days of the holiday table */
	long st;
	json_t *j = get_case(staff, id, &st);
	CHECK_INT(st, 200);
	struct db *db = NULL;
	char err[256];
	struct workday_holidays h;
	workday_holidays_init(&h);
	char due[DATE_TEXT_SIZE] = "";
	if (db_open(d.db, false, &db, err, sizeof(err)) == BZ_OK) {
		holiday_set_load(db, &h);
		db_close(db);
	}
	case_due_date(&h, today, 7, due, sizeof(due));
	workday_holidays_free(&h);
	CHECK_STR(t_jstr(j, "case", "due_on"), due);
	CHECK_STR(t_jstr(j, "case", "status"), "received");
	CHECK_STR(t_jstr(j, "case", "dday_label") ? "yes" : "no", "yes");
	json_decref(j);

	/* referred to two departments at once: 건축과 leads, 도로과 cooperates */
	char form[512];
	snprintf(form, sizeof(form), "lead=%lld&coop=%lld", (long long)department("건축과"),
	         (long long)department("도로과"));
	CHECK_INT(t_case_act(leader, id, "referrals", form, NULL), 200);
	/* the same department again, and a second lead, are refused */
	snprintf(form, sizeof(form), "lead=%lld", (long long)department("환경과"));
	CHECK_INT(t_case_act(leader, id, "referrals", form, &j), 422);
	CHECK(t_jstr(j, "error", "fields") == NULL &&
	          json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "lead"),
	      "second lead refused with fields.lead");
	json_decref(j);
	snprintf(form, sizeof(form), "coop=%lld", (long long)department("건축과"));
	CHECK_INT(t_case_act(leader, id, "referrals", form, NULL), 422);
	CHECK_INT(t_case_act(leader, id, "referrals", "coop=999999", NULL), 422);
	CHECK_INT(t_case_act(leader, id, "referrals", "", NULL), 422);

	/* department isolation: 건축과 sees case 1 only; the list too */
	j = get_case(dept, id, &st);
	CHECK_INT(st, 200);
	json_t *refs = json_object_get(j, "referrals");
	CHECK_INT(json_array_size(refs), 2);
	int64_t rid_mine = 0, rid_other = 0;
	size_t i;
	json_t *x;
	json_array_foreach(refs, i, x)
	{
		if (strcmp(json_string_value(json_object_get(x, "department")), "건축과") == 0)
			rid_mine = json_integer_value(json_object_get(x, "id"));
		else
			rid_other = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(j);
	j = get_case(dept, id2, &st);
	CHECK_INT(st, 404);
	json_decref(j);
	j = t_api(dept, "GET", "/cases", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	struct client dept3;
	t_sign_in(&dept3, &d, "hwangyeong");
	j = get_case(&dept3, id, &st);
	CHECK_INT(st, 404);
	json_decref(j);
	j = t_api(&dept3, "GET", "/cases", NULL, &st);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
	char p[128];
	snprintf(p, sizeof(p), "referrals/%lld/answer", (long long)rid_mine);
	CHECK_INT(t_case_act(&dept3, id, p, "answer=x", NULL), 404);
	t_client_free(&dept3);

	/* 건축과 answers its own referral, not 도로과's */
	snprintf(form, sizeof(form), "action=answer&answer=%s",
	         t_enc("건축 인허가는 다음 주까지 처리하겠습니다."));
	CHECK_INT(t_case_act(dept, id, p, form, NULL), 200);
	snprintf(p, sizeof(p), "referrals/%lld/answer", (long long)rid_other);
	CHECK_INT(t_case_act(dept, id, p, form, NULL), 403);
	CHECK_INT(t_case_act(dept2, id, p, "action=answer&answer=", NULL), 422);
	/* executive and staff may not answer */
	CHECK_INT(t_case_act(staff, id, p, form, NULL), 403);

	/* the referral moved it from 접수 to 처리중 (the status table's referral row) */
	char *moved = status_of(staff, id);
	CHECK_STR(moved, "in_progress");
	free(moved);

	/* a stale version: 409, the current values, nothing overwritten */
	int64_t v = t_case_version(staff, id);
	snprintf(form, sizeof(form), "triage=complex&flag=red&version=%lld", (long long)(v - 1));
	snprintf(p, sizeof(p), "/cases/%lld/triage", (long long)id);
	j = t_api(staff, "POST", p, form, &st);
	CHECK_INT(st, 409);
	CHECK_STR(t_jstr(j, "error", "code"), "conflict");
	CHECK_CONTAINS(t_jstr(j, "error", "message"), "다른 사용자가 먼저");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "case"), "version")), v);
	CHECK_STR(t_jstr(j, "case", "triage"), "single");
	json_decref(j);
	CHECK_INT(t_case_version(staff, id), v);
	/* no version at all: 422 */
	j = t_api(staff, "POST", p, "triage=complex", &st);
	CHECK_INT(st, 422);
	json_decref(j);
	CHECK_INT(t_case_act(staff, id, "triage", "triage=complex&flag=red", NULL), 200);
	CHECK_INT(t_case_act(staff, id, "triage", "triage=huge", NULL), 422);

	/* extended once, with a reason and a later date */
	int32_t dd;
	date_parse(due, &dd, NULL);
	char later[DATE_TEXT_SIZE], earlier[DATE_TEXT_SIZE];
	date_format(dd + 10, later, sizeof(later));
	date_format(dd - 1, earlier, sizeof(earlier));
	snprintf(form, sizeof(form), "new_due_on=%s&extension_reason=", later);
	CHECK_INT(t_case_act(staff, id, "extend", form, NULL), 422);
	snprintf(form, sizeof(form), "new_due_on=%s&extension_reason=%s", earlier,
	         t_enc("관계기관 협의"));
	CHECK_INT(t_case_act(staff, id, "extend", form, NULL), 422);
	/* beyond the category's period (counted in working days, so the limit moves
	   with weekends and holidays): refused, naming the last date allowed */
	date_format(dd + 60, later, sizeof(later));
	snprintf(form, sizeof(form), "new_due_on=%s&extension_reason=%s", later,
	         t_enc("관계기관 협의 필요"));
	CHECK_INT(t_case_act(staff, id, "extend", form, &j), 422);
	const char *lim_msg = json_string_value(
	    json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "new_due_on"));
	CHECK_CONTAINS(lim_msg, "까지 고를 수 있습니다");
	const char *until = lim_msg ? strstr(lim_msg, "까지 고를") : NULL;
	CHECK(until && until - lim_msg >= DATE_TEXT_SIZE - 1, "limit date in the message");
	if (until && until - lim_msg >= DATE_TEXT_SIZE - 1)
		snprintf(later, sizeof(later), "%.10s", until - (DATE_TEXT_SIZE - 1));
	json_decref(j);
	int32_t ld = 0;
	CHECK(date_parse(later, &ld, NULL) == BZ_OK && ld > dd, "the limit is after the due date");
	/* the last date allowed is accepted */
	snprintf(form, sizeof(form), "new_due_on=%s&extension_reason=%s", later,
	         t_enc("관계기관 협의 필요"));
	CHECK_INT(t_case_act(staff, id, "extend", form, NULL), 200);
	date_format(dd + 20, later, sizeof(later));
	snprintf(form, sizeof(form), "new_due_on=%s&extension_reason=%s", later, t_enc("또 연장"));
	CHECK_INT(t_case_act(staff, id, "extend", form, &j), 422);
	CHECK_CONTAINS(json_string_value(json_object_get(
	                   json_object_get(json_object_get(j, "error"), "fields"), "new_due_on")),
	               "한 번만");
	json_decref(j);

	/* completion needs disposition, outcome, a reason for 일부수용, and a notice */
	CHECK_INT(
	    t_case_act(staff, id, "status", "to=done&disposition=immediate&outcome=accepted", NULL),
	    403);
	CHECK_INT(
	    t_case_act(leader, id, "status", "to=done&disposition=immediate&outcome=partial", &j),
	    422);
	json_t *fields = json_object_get(json_object_get(j, "error"), "fields");
	CHECK(json_object_get(fields, "outcome_reason") != NULL, "reason for 일부수용 required");
	CHECK(json_object_get(fields, "notified_method") != NULL, "notice required");
	json_decref(j);
	CHECK_INT(t_case_act(leader, id, "status", "to=done", NULL), 422);
	snprintf(form, sizeof(form), "notified_method=fax&notified_on=%s", today);
	CHECK_INT(t_case_act(staff, id, "notify", form, NULL), 422);
	CHECK_INT(
	    t_case_act(staff, id, "notify", "notified_method=email&notified_on=2099-01-01", NULL),
	    422);
	snprintf(form, sizeof(form), "notified_method=email&notified_on=%s", today);
	CHECK_INT(t_case_act(staff, id, "notify", form, NULL), 200);
	snprintf(form, sizeof(form),
	         "to=done&disposition=immediate&outcome=partial&outcome_reason=%s",
	         t_enc("예산 범위에서 일부 지원"));
	CHECK_INT(t_case_act(leader, id, "status", form, NULL), 200);
	j = get_case(staff, id, &st);
	CHECK_STR(t_jstr(j, "case", "status"), "done");
	CHECK_STR(t_jstr(j, "case", "outcome"), "partial");
	CHECK_STR(t_jstr(j, "case", "closed_on"), today);
	CHECK(json_is_false(json_object_get(json_object_get(j, "case"), "open")), "closed");
	/* the history: every step an event, newest first */
	json_t *events = json_object_get(j, "events");
	const char *kinds[] = {"created", "referral", "referral_answer", "status",
	                       "triage",  "extend",   "notify"};
	for (size_t k = 0; k < BZ_ARRAY_LEN(kinds); k++) {
		bool found = false;
		json_array_foreach(events, i, x) found |=
		    strcmp(json_string_value(json_object_get(x, "kind")), kinds[k]) == 0;
		CHECK(found, "event %s recorded", kinds[k]);
	}
	CHECK(json_array_size(events) >= 12, "%zu events", json_array_size(events));
	json_decref(j);
	/* events are append-only in the database itself */
	CHECK(!t_sql_try(d.db, "UPDATE case_event SET kind = 'x'"), "an event cannot be changed");
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM case_event WHERE kind = 'x'", NULL), 0);

	/* the leader reopens with a reason; staff cannot */
	CHECK_INT(t_case_act(staff, id, "status", "to=in_progress&reason=x", NULL), 403);
	CHECK_INT(t_case_act(leader, id, "status", "to=in_progress", NULL), 422);
	snprintf(form, sizeof(form), "to=in_progress&reason=%s", t_enc("기업이 추가 자료 제출"));
	CHECK_INT(t_case_act(leader, id, "status", form, NULL), 200);
	char *s = status_of(staff, id);
	CHECK_STR(s, "in_progress");
	free(s);
}

/* ---- every forbidden transition for every role ------------------------ */

static const char *const role_logins[] = {"staff", "leader", "executive", "department", "admin"};
static const int role_bits[] = {ROLE_STAFF, ROLE_LEADER, ROLE_EXECUTIVE, ROLE_DEPARTMENT,
                                ROLE_ADMIN};

/* A case brought to `status` by the leader, referred to 건축과 so that the
 * department user can see it. The referral moves it to 처리중; a case wanted
 * in 접수 or 검토 is put back there directly in the database. */
static int64_t case_in(struct client *leader, const char *status)
{
	int64_t id =
	    create_case(leader, company_b, "환경", "폐수 처리 문의", "배출 기준", NULL, NULL);
	char form[256];
	snprintf(form, sizeof(form), "lead=%lld", (long long)department("건축과"));
	CHECK_INT(t_case_act(leader, id, "referrals", form, NULL), 200);
	if (strcmp(status, "received") == 0 || strcmp(status, "reviewing") == 0) {
		char sql[128];
		snprintf(sql, sizeof(sql), "UPDATE sos_case SET status = '%s' WHERE id = %lld",
		         status, (long long)id);
		t_sql_exec(d.db, sql);
		return id;
	}
	if (strcmp(status, "withdrawn") == 0) {
		CHECK_INT(t_case_act(leader, id, "status", "to=withdrawn&reason=x", NULL), 200);
		return id;
	}
	if (strcmp(status, "transferred") == 0) {
		snprintf(form, sizeof(form), "to=transferred&transfer_to=%s&transfer_on=%s",
		         t_enc("도청"), today);
		CHECK_INT(t_case_act(leader, id, "status", form, NULL), 200);
		return id;
	}
	if (strcmp(status, "in_progress") == 0)
		return id;
	snprintf(form, sizeof(form),
	         "to=done&disposition=immediate&outcome=accepted&notified_method=phone&"
	         "notified_on=%s",
	         today);
	CHECK_INT(t_case_act(leader, id, "status", form, NULL), 200);
	return id;
}

static void forbidden_transitions(struct client *clients[5], struct client *leader)
{
	static const char *const targets[] = {"received",    "reviewing", "in_progress", "done",
	                                      "transferred", "withdrawn", "archived"};
	int refused = 0;
	for (size_t s = 0; case_statuses[s]; s++) {
		const char *from = case_statuses[s];
		int64_t id = case_in(leader, from);
		char *now = status_of(leader, id);
		CHECK_STR(now, from);
		free(now);
		for (size_t r = 0; r < BZ_ARRAY_LEN(role_logins); r++) {
			for (size_t t = 0; t < BZ_ARRAY_LEN(targets); t++) {
				const struct case_transition *tr = NULL;
				bz_rc rc =
				    case_transition_check(from, targets[t], role_bits[r], &tr);
				if (rc == BZ_OK)
					continue; /* allowed: walked elsewhere */
				bool route = role_bits[r] & (ROLE_STAFF | ROLE_LEADER);
				int expect = !route || rc == BZ_ERR_FORBIDDEN ? 403 : 422;
				char form[512];
				/* a complete form, so that only the rule can refuse it */
				snprintf(form, sizeof(form),
				         "to=%s&reason=x&disposition=immediate&outcome=accepted&"
				         "notified_method=phone&notified_on=%s&transfer_to=x&"
				         "transfer_on=%s",
				         targets[t], today, today);
				long st = t_case_act(clients[r], id, "status", form, NULL);
				CHECK(st == expect, "%s: %s -> %s answered %ld, expected %d",
				      role_logins[r], from, targets[t], st, expect);
				refused++;
			}
		}
		now = status_of(leader, id);
		CHECK_STR(now, from); /* nothing moved */
		free(now);
	}
	CHECK(refused > 150, "%d forbidden transitions tried", refused);
}

/* ---- search ----------------------------------------------------------- */

static int64_t list_total(struct client *c, const char *query)
{
	long st;
	char p[1024];
	snprintf(p, sizeof(p), "/cases?%s", query);
	json_t *j = t_api(c, "GET", p, NULL, &st);
	CHECK(st == 200, "GET %s -> %ld", p, st);
	int64_t n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static bool list_has(struct client *c, const char *query, int64_t id)
{
	long st;
	char p[1024];
	snprintf(p, sizeof(p), "/cases?%s", query);
	json_t *j = t_api(c, "GET", p, NULL, &st);
	bool found = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "cases"), i, x) found |=
	    json_integer_value(json_object_get(x, "id")) == id;
	json_decref(j);
	return found;
}

static void search(struct client *staff)
{
	int64_t a = create_case(staff, company_b, "자금", "정책자금 추천 요청", "시설 투자 계획",
	                        NULL, NULL);
	int64_t b = create_case(staff, company_b, "인허가·규제", "인허가 처리 지연",
	                        "공장설립허가 절차가 석 달째 멈췄습니다.", NULL, NULL);
	int64_t c =
	    create_case(staff, company_b, "기타", "간판 설치 문의", "옥외광고물", NULL, NULL);
	char form[256];
	snprintf(form, sizeof(form), "body=%s", t_enc("생산 인력이 부족하다는 추가 의견"));
	CHECK_INT(t_case_act(staff, c, "notes", form, NULL), 200);
	char q[128];
	/* two syllables (below the trigram tokenizer): title and note */
	snprintf(q, sizeof(q), "q=%s", t_enc("자금"));
	CHECK(list_has(staff, q, a), "자금 finds the title");
	CHECK(!list_has(staff, q, b), "자금 does not find 인허가");
	snprintf(q, sizeof(q), "q=%s", t_enc("인력"));
	CHECK(list_has(staff, q, c), "인력 finds the note");
	CHECK(!list_has(staff, q, a), "인력 not in 정책자금");
	/* three syllables */
	snprintf(q, sizeof(q), "q=%s", t_enc("인허가"));
	CHECK(list_has(staff, q, b), "인허가 finds the title");
	CHECK(!list_has(staff, q, a), "인허가 only where it is");
	/* six syllables, in the description */
	snprintf(q, sizeof(q), "q=%s", t_enc("공장설립허가"));
	CHECK(list_has(staff, q, b), "공장설립허가 finds the description");
	CHECK_INT(list_total(staff, q), 1);
	/* two terms AND together; nothing matches nonsense */
	snprintf(q, sizeof(q), "q=%s", t_enc("인허가 석 달"));
	CHECK(list_has(staff, q, b), "two terms");
	snprintf(q, sizeof(q), "q=%s", t_enc("없는말입니다"));
	CHECK_INT(list_total(staff, q), 0);
	/* FTS syntax in the query is only text */
	snprintf(q, sizeof(q), "q=%s", t_enc("\"자금\" OR *"));
	long st;
	char p[256];
	snprintf(p, sizeof(p), "/cases?%s", q);
	json_t *j = t_api(staff, "GET", p, NULL, &st);
	CHECK_INT(st, 200);
	json_decref(j);
	/* filters in the URL */
	snprintf(q, sizeof(q), "category=%lld&status=received&q=%s", (long long)category("자금"),
	         t_enc("정책"));
	CHECK(list_has(staff, q, a), "category + status + q");
	j = t_api(staff, "GET", "/cases?status=bogus", NULL, &st);
	CHECK_INT(st, 422);
	json_decref(j);
	j = t_api(staff, "GET", "/cases?year=20x4", NULL, &st);
	CHECK_INT(st, 422);
	json_decref(j);
	snprintf(q, sizeof(q), "year=%.4s&quarter=%d", today, (atoi(today + 5) - 1) / 3 + 1);
	CHECK(list_has(staff, q, a), "year and quarter");
	CHECK_INT(list_total(staff, "year=2001"), 0);
}

/* ---- attachments ------------------------------------------------------ */

static long upload(struct client *c, int64_t id, const char *name, const void *bytes, size_t n,
                   json_t **out)
{
	struct buf b;
	buf_init(&b, 0);
	const char *bd = "----bizsos-test-boundary";
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", bd,
	           c->csrf);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n%lld\r\n",
	           bd, (long long)t_case_version(c, id));
	buf_printf(&b,
	           "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
	           "Content-Type: application/pdf\r\n\r\n",
	           bd, name);
	buf_append(&b, bytes, n);
	buf_printf(&b, "\r\n--%s--\r\n", bd);
	char ct[128], path[128];
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bd);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/attachments", (long long)id);
	struct resp r;
	t_request(c, "POST", path, ct, b.s, b.len, NULL, &r);
	if (out)
		*out = t_json(&r);
	long st = r.status;
	t_resp_free(&r);
	buf_free(&b);
	return st;
}

static void attachments(struct client *staff, struct client *dept, struct client *exec)
{
	int64_t id =
	    create_case(staff, company_a, "기술·인증", "인증 비용 문의", "KC 인증", NULL, NULL);
	static const unsigned char exe[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
	                                   "This program cannot be run in DOS mode.";
	json_t *j = NULL;
	CHECK_INT(upload(staff, id, "report.pdf", exe, sizeof(exe) - 1, &j), 422);
	CHECK(json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "file") !=
	          NULL,
	      "fields.file says why");
	json_decref(j);
	static const unsigned char elf[] = "\x7f"
	                                   "ELF\x02\x01\x01\x00";
	CHECK_INT(upload(staff, id, "photo.png", elf, sizeof(elf) - 1, NULL), 422);
	static const unsigned char html[] = "<!DOCTYPE html><script>alert(1)</script>";
	CHECK_INT(upload(staff, id, "note.txt", html, sizeof(html) - 1, NULL), 422);
	CHECK_INT(upload(staff, id, "empty.txt", "", 0, NULL), 422);
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
	                                   "\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
	CHECK_INT(upload(staff, id, "../../현장 사진.png", png, sizeof(png) - 1, NULL), 200);
	long st;
	j = get_case(staff, id, &st);
	json_t *a = json_array_get(json_object_get(j, "attachments"), 0);
	CHECK_STR(json_string_value(json_object_get(a, "filename")), "현장 사진.png");
	CHECK_STR(json_string_value(json_object_get(a, "content_type")), "image/png");
	int64_t aid = json_integer_value(json_object_get(a, "id"));
	json_decref(j);
	char p[128];
	snprintf(p, sizeof(p), "/cases/%lld/attachments/%lld", (long long)id, (long long)aid);
	struct resp r;
	t_get(exec, p, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body.len == sizeof(png) - 1 && memcmp(r.body.s, png, r.body.len) == 0,
	      "the bytes come back");
	char cd[512] = "", ct[128] = "";
	t_header(&r, "Content-Disposition", cd, sizeof(cd));
	t_header(&r, "Content-Type", ct, sizeof(ct));
	CHECK_CONTAINS(cd, "attachment;");
	CHECK_CONTAINS(cd, "filename*=UTF-8''");
	CHECK_STR(ct, "image/png");
	t_resp_free(&r);
	/* a department it was not referred to cannot fetch it */
	t_get(dept, p, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/cases/%lld/attachments/999999", (long long)id);
	t_get(staff, p, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
}

/* ---- merge, repeats, overdue, bounces, pages -------------------------- */

static void merge_and_more(struct client *staff, struct client *leader)
{
	char no_keep[32];
	int64_t keep =
	    create_case(staff, company_a, "자금", "자금 반복 요청", "다시 요청", NULL, no_keep);
	int64_t dup =
	    create_case(staff, company_a, "자금", "자금 같은 요청", "중복 접수", NULL, NULL);
	int64_t other = create_case(staff, company_b, "자금", "다른 기업", "x", NULL, NULL);

	/* repeat grievances on the new-case form */
	char p[256];
	snprintf(p, sizeof(p), "/cases/new?company_id=%lld&category_id=%lld", (long long)company_a,
	         (long long)category("자금"));
	long st;
	json_t *j = t_api(staff, "GET", p, NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_array_size(json_object_get(j, "repeats")) >= 3, "repeats listed");
	json_decref(j);

	char form[128];
	snprintf(form, sizeof(form), "into=%lld", (long long)other);
	CHECK_INT(t_case_act(leader, dup, "merge", form, NULL), 422); /* another company */
	snprintf(form, sizeof(form), "into=%s", no_keep);
	CHECK_INT(t_case_act(staff, dup, "merge", form, NULL), 403);
	CHECK_INT(t_case_act(leader, dup, "merge", form, NULL), 200);
	j = get_case(staff, dup, &st);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "case"), "merged_into")),
	          keep);
	json_decref(j);
	CHECK_INT(t_case_act(staff, dup, "notes", "body=x", NULL), 409); /* read-only now */
	j = get_case(staff, keep, &st);
	bool from = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "events"), i, x) from |=
	    json_integer_value(json_object_get(x, "case_id")) == dup;
	CHECK(from, "the merged case's history shows on the kept case");
	json_decref(j);

	/* overdue and open more than 30 days */
	int64_t old = create_case(staff, company_b, "노무", "임금체불 상담", "오래된 사건",
	                          "2024-01-02", NULL);
	j = t_api(staff, "GET", "/cases/overdue", NULL, &st);
	CHECK_INT(st, 200);
	bool found = false;
	json_array_foreach(json_object_get(j, "cases"), i, x)
	{
		if (json_integer_value(json_object_get(x, "id")) == old) {
			found = true;
			CHECK(json_is_true(json_object_get(x, "overdue")), "overdue");
			CHECK(json_is_true(json_object_get(x, "open_too_long")), "30-day flag");
			CHECK_CONTAINS(json_string_value(json_object_get(x, "dday_label")), "D+");
		}
	}
	CHECK(found, "the old case is on the overdue list");
	json_decref(j);
	CHECK(list_has(staff, "flag=long", old), "flag=long");
	CHECK(!list_has(staff, "flag=long", keep), "a fresh case is not long open");

	/* three reassignments flag the case for the leader */
	int64_t staff_id = t_sql_int(d.db, "SELECT id FROM app_user WHERE login = 'staff'", NULL);
	int64_t leader_id = t_sql_int(d.db, "SELECT id FROM app_user WHERE login = 'leader'", NULL);
	int64_t who[] = {staff_id, leader_id, staff_id, leader_id};
	for (size_t k = 0; k < 4; k++) {
		snprintf(form, sizeof(form), "assignee=%lld", (long long)who[k]);
		CHECK_INT(t_case_act(leader, keep, "assign", form, NULL), 200);
	}
	CHECK_INT(t_case_act(leader, keep, "assign", form, NULL), 422); /* same person again */
	CHECK_INT(t_case_act(staff, keep, "assign", "assignee=me", NULL), 200);
	snprintf(form, sizeof(form), "assignee=%lld", (long long)leader_id);
	CHECK_INT(t_case_act(staff, keep, "assign", form, NULL),
	          403); /* staff only takes for itself */
	CHECK(list_has(staff, "flag=bounced", keep), "bounced after 3 reassignments");
	CHECK(list_has(staff, "assignee=me", keep), "assignee=me");

	/* the HTML pages */
	struct resp r;
	t_get(staff, "/cases", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "기업애로 목록");
	CHECK_CONTAINS(r.body.s, no_keep);
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/cases/%lld", (long long)keep);
	t_get(leader, p, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "처리 이력");
	CHECK_CONTAINS(r.body.s, "완료 처리");
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/cases/new?company_id=%lld&category_id=%lld", (long long)company_a,
	         (long long)category("자금"));
	t_get(staff, p, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "반복 애로");
	t_resp_free(&r);
	t_get(staff, "/cases/overdue", &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);
	/* a 422 on the page keeps the form and says why */
	snprintf(p, sizeof(p), "/cases/%lld/extend", (long long)keep);
	snprintf(form, sizeof(form), "version=%lld&new_due_on=2020-01-01&extension_reason=x",
	         (long long)t_case_version(staff, keep));
	t_post_form(staff, p, form, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(r.body.s, "새 기한은");
	t_resp_free(&r);
	t_get(staff, "/cases/abc", &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
}

static void categories(struct client *admin, struct client *staff)
{
	struct resp r;
	t_get(admin, "/admin/categories", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "인허가·규제");
	t_resp_free(&r);
	char form[256];
	snprintf(form, sizeof(form), "name=%s&default_days=10", t_enc("수출바우처"));
	CHECK_INT(t_post_form(admin, "/admin/categories", form, &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_post_form(admin, "/admin/categories", form, &r), 422); /* duplicate */
	t_resp_free(&r);
	snprintf(form, sizeof(form), "name=%s&default_days=0", t_enc("영일"));
	CHECK_INT(t_post_form(admin, "/admin/categories", form, &r), 422);
	t_resp_free(&r);
	CHECK_INT(t_post_form(staff, "/admin/categories", form, &r), 403);
	t_resp_free(&r);
	int64_t k = category("수출바우처");
	CHECK(k > 0, "added");
	snprintf(form, sizeof(form), "id=%lld&name=%s&default_days=12&retired=1", (long long)k,
	         t_enc("수출바우처"));
	CHECK_INT(t_post_form(admin, "/admin/categories", form, &r), 303);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT retired_at IS NOT NULL FROM case_category WHERE name = ?1",
	                    "수출바우처"),
	          1);
	/* a retired category cannot be used for a new case */
	char f2[256];
	snprintf(f2, sizeof(f2), "company_id=%lld&channel=phone&category_id=%lld&title=x",
	         (long long)company_a, (long long)k);
	long st;
	json_t *j = t_api(staff, "POST", "/cases", f2, &st);
	CHECK_INT(st, 422);
	json_decref(j);
}

static void bad_create(struct client *staff, struct client *exec)
{
	long st;
	json_t *j = t_api(staff, "POST", "/cases", "title=", &st);
	CHECK_INT(st, 422);
	json_t *f = json_object_get(json_object_get(j, "error"), "fields");
	CHECK(json_object_get(f, "title") && json_object_get(f, "channel") &&
	          json_object_get(f, "company_id") && json_object_get(f, "category_id"),
	      "every missing field is named");
	json_decref(j);
	char form[512];
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=visit&category_id=%lld&title=x&received_on=2024-02-30",
	         (long long)company_a, (long long)category("자금"));
	j = t_api(staff, "POST", "/cases", form, &st);
	CHECK_INT(st, 422);
	json_decref(j);
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=visit&category_id=%lld&title=x&received_on=2099-01-01",
	         (long long)company_a, (long long)category("자금"));
	j = t_api(staff, "POST", "/cases", form, &st);
	CHECK_INT(st, 422);
	json_decref(j);
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=visit&category_id=%lld&title=x&received_time=25:00",
	         (long long)company_a, (long long)category("자금"));
	j = t_api(staff, "POST", "/cases", form, &st);
	CHECK_INT(st, 422);
	json_decref(j);
	snprintf(form, sizeof(form), "company_id=%lld&channel=visit&category_id=%lld&title=x",
	         (long long)company_a, (long long)category("자금"));
	j = t_api(exec, "POST", "/cases", form, &st);
	CHECK_INT(st, 403);
	json_decref(j);
}

int main(void)
{
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	kst_today(today);
	/* more department users: 도로과 and 환경과 (the harness made 건축과's) */
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", d.db, "--login", "doro",
	                "--name", "도로 담당", "--role", "department", "--department", "도로과",
	                "--password-stdin", NULL),
	          0);
	CHECK_INT(t_run(T_PASSWORD "\n", NULL, "user", "add", "--db", d.db, "--login", "hwangyeong",
	                "--name", "환경 담당", "--role", "department", "--department", "환경과",
	                "--password-stdin", NULL),
	          0);
	t_sql_exec(d.db, "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	                 "('한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                 "'2025-01-01T00:00:00Z'), "
	                 "('동해화학', '동해화학', '1018100340', '2025-01-01T00:00:00Z', "
	                 "'2025-01-01T00:00:00Z')");
	company_a = t_sql_int(d.db, "SELECT id FROM company WHERE brn = '1208147521'", NULL);
	company_b = t_sql_int(d.db, "SELECT id FROM company WHERE brn = '1018100340'", NULL);
	CHECK(company_a > 0 && company_b > 0, "companies");

	struct client staff, leader, exec, dept, admin, dept2;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&leader, &d, "leader");
	t_sign_in(&exec, &d, "executive");
	t_sign_in(&dept, &d, "department");
	t_sign_in(&admin, &d, "admin");
	t_sign_in(&dept2, &d, "doro");

	whole_life(&staff, &leader, &dept, &dept2);
	bad_create(&staff, &exec);
	struct client *clients[5] = {&staff, &leader, &exec, &dept, &admin};
	forbidden_transitions(clients, &leader);
	search(&staff);
	attachments(&staff, &dept2, &exec);
	merge_and_more(&staff, &leader);
	categories(&admin, &staff);

	t_client_free(&staff);
	t_client_free(&leader);
	t_client_free(&exec);
	t_client_free(&dept);
	t_client_free(&admin);
	t_client_free(&dept2);
	int stop = t_daemon_stop(&d);
	CHECK_INT(stop, 0);
	if (stop != 0) { /* show what the daemon said (sanitizer reports) */
		struct buf log;
		buf_init(&log, 0);
		FILE *f = fopen(d.log, "r");
		char line[1024];
		while (f && fgets(line, sizeof(line), f))
			if (!strstr(line, " access "))
				buf_puts(&log, line);
		if (f)
			fclose(f);
		fprintf(stderr, "%s", buf_cstr(&log) ? buf_cstr(&log) : "");
		buf_free(&log);
	}
	t_cleanup();
	return t_done();
}
