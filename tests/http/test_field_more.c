/* Field work, the parts test_field.c leaves out: the one-stop meeting's
 * agenda decisions (a decision becomes a note, a referral and a status
 * change in the case's history; a department user or an executive is 403;
 * an empty decision or an unknown status is 422 with a Korean message; a
 * case that is not on the meeting's agenda, or does not exist, is 404),
 * anniversary reminders (20 days ahead is listed, 40 is not; the letter is
 * logged as an anniversary_letter activity for that company; an unknown or
 * missing company is 422) and admin activity types (a sub-kind of 기업애로
 * 간담회 counts in the card's roundtable row; staff is 403; an empty name is
 * 422). */
#include "bizsos/brn.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

static struct daemon d;

static long post(struct client *c, const char *path, const char *form, char *body, size_t bodylen)
{
	struct resp r;
	t_post_form(c, path, form, &r);
	long st = r.status;
	if (body)
		bz_strlcpy(body, buf_cstr(&r.body), bodylen);
	t_resp_free(&r);
	return st;
}

/* today in KST shifted by days, in the year y_back years earlier */
static void kst_date(int days, int y_back, char out[32])
{
	time_t t = time(NULL) + 9 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900 - y_back, tm.tm_mon + 1, tm.tm_mday);
}

static int kst_year(void)
{
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

static long long new_company(struct client *c, const char *name, const char *nine,
                             const char *founded)
{
	char brn[BRN_BARE_SIZE], form[512], sql[256];
	snprintf(brn, sizeof(brn), "%s%d", nine, brn_check_digit(nine));
	snprintf(form, sizeof(form), "name=%s&brn=%s&founded_on=%s", name, brn, founded);
	long st = post(c, "/companies", form, NULL, 0);
	CHECK(st == 303 || st == 200, "company %s created: %ld", name, st);
	snprintf(sql, sizeof(sql), "SELECT id FROM company WHERE brn = '%s'", brn);
	return t_sql_int(d.db, sql, NULL);
}

static long long case_version(struct client *c, long long id, const char **status, json_t **keep)
{
	char p[64];
	long st;
	snprintf(p, sizeof(p), "/api/v1/cases/%lld", id);
	json_t *j = t_get_json(c, p, &st);
	CHECK_INT(st, 200);
	json_t *cs = json_object_get(j, "case");
	long long v = json_integer_value(json_object_get(cs, "version"));
	if (status)
		*status = json_string_value(json_object_get(cs, "status"));
	*keep = j;
	return v;
}

/* ---- 1. one-stop meeting agenda ---------------------------------------- */

static void agenda(struct client *staff, struct client *dept, struct client *exec)
{
	long long co = new_company(staff, "OneStopCo", "220810000", "2001-01-01");
	long long cat = t_sql_int(d.db, "SELECT min(id) FROM case_category", NULL);
	long long dep = t_sql_int(d.db, "SELECT id FROM department WHERE name = '건축과'", NULL);
	CHECK(dep > 0, "the department exists");
	char form[1024], body[65536];
	long st;
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=onestop&category_id=%lld&title=complex1&description=d"
	         "&request=r&received_on=",
	         co, cat);
	long long cid = t_new_case(staff, form, NULL);
	/* a second case, never put on the agenda */
	snprintf(form, sizeof(form),
	         "company_id=%lld&channel=onestop&category_id=%lld&title=other&description=d"
	         "&request=r&received_on=",
	         co, cat);
	long long other = t_new_case(staff, form, NULL);

	CHECK_INT(t_case_act(staff, cid, "triage", "triage=complex", NULL), 200);
	struct resp r;
	json_t *keep;
	long long v;
	char p[128];

	/* the meeting, with the complex case on its agenda */
	char today[32];
	kst_date(0, 0, today);
	snprintf(form, sizeof(form),
	         "type_id=7&held_on=%s&title=onestop-meeting&summary=s&agenda=%lld&action=save",
	         today, cid);
	t_post_form(staff, "/activities", form, &r);
	CHECK_INT(r.status, 303);
	char loc[128] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	t_resp_free(&r);
	long long aid = strncmp(loc, "/activities/", 12) == 0 ? atoll(loc + 12) : 0;
	CHECK(aid > 0, "meeting saved: %s", loc);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity_case WHERE kind = 'agenda'", NULL),
	          1);

	long long ev0 = 0;
	v = case_version(staff, cid, NULL, &keep);
	ev0 = (long long)json_array_size(json_object_get(keep, "events"));
	json_decref(keep);

	char path[128];
	snprintf(path, sizeof(path), "/activities/%lld/agenda/%lld", aid, cid);
	/* department user and executive: 403 */
	CHECK_INT(post(dept, path, "decision=x", NULL, 0), 403);
	CHECK_INT(post(exec, path, "decision=x", body, sizeof(body)), 403);
	/* an empty decision: 422, the field named in Korean */
	CHECK_INT(post(staff, path, "decision=&status=reviewing", body, sizeof(body)), 422);
	CHECK_CONTAINS(body, "회의에서 결정한 내용을");
	/* an unknown status and an unknown department: 422 */
	snprintf(form, sizeof(form), "decision=d&status=closed&lead_department=999999");
	CHECK_INT(post(staff, path, form, body, sizeof(body)), 422);
	CHECK_CONTAINS(body, "처리 상태는 검토중 또는 처리중에서");
	CHECK_CONTAINS(body, "주관 부서를 목록에서");
	/* nothing was recorded by the refused posts */
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM activity_case WHERE decision IS NOT NULL", NULL),
	    0);
	/* a case that is not on this meeting's agenda, and one that does not exist: 404 */
	snprintf(p, sizeof(p), "/activities/%lld/agenda/%lld", aid, other);
	CHECK_INT(post(staff, p, "decision=x", body, sizeof(body)), 404);
	CHECK_CONTAINS(body, "이 회의의 안건이 아닙니다");
	snprintf(p, sizeof(p), "/activities/%lld/agenda/%lld", aid, cid + 100000);
	CHECK_INT(post(staff, p, "decision=x", NULL, 0), 404);
	snprintf(p, sizeof(p), "/activities/%lld/agenda/%lld", aid + 100000, cid);
	CHECK_INT(post(staff, p, "decision=x", NULL, 0), 404);

	/* the decision: a note, a referral to 건축과 and 처리중 */
	snprintf(form, sizeof(form),
	         "decision=%%EA%%B1%%B4%%EC%%B6%%95%%EA%%B3%%BC+%%EC%%A3%%BC%%EA%%B4%%80"
	         "&lead_department=%lld&status=in_progress",
	         dep);
	CHECK_INT(post(staff, path, form, NULL, 0), 303);
	t_get(staff, loc, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(buf_cstr(&r.body), "건축과 주관");
	t_resp_free(&r);
	const char *status = NULL;
	case_version(staff, cid, &status, &keep);
	CHECK_STR(status, "in_progress");
	json_t *events = json_object_get(keep, "events");
	CHECK(json_array_size(events) >= (size_t)ev0 + 3,
	      "note, referral and status events added: %zu -> %zu", (size_t)ev0,
	      json_array_size(events));
	char *dump = json_dumps(keep, 0);
	CHECK_CONTAINS(dump, "기업원스톱처리 회의");
	CHECK_CONTAINS(dump, "건축과 주관");
	free(dump);
	json_decref(keep);
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM case_referral WHERE case_id = %lld AND department_id = %lld"
	         " AND role = 'lead'",
	         cid, dep);
	CHECK_INT(t_sql_int(d.db, sql, NULL), 1);

	/* Issue 15, point 8: a decision refused half-way (건축과 already holds the
	 * referral) leaves nothing behind: no note, no event, no decision change. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM case_note WHERE case_id = %lld", cid);
	long long notes = t_sql_int(d.db, sql, NULL);
	snprintf(form, sizeof(form), "decision=again&lead_department=%lld&status=in_progress", dep);
	for (int i = 0; i < 3; i++)
		CHECK_INT(post(staff, path, form, body, sizeof(body)), 422);
	CHECK_CONTAINS(body, "lead_department");
	CHECK_INT(t_sql_int(d.db, sql, NULL), notes);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT count(*) FROM activity_case WHERE decision = 'again'", NULL),
	    0);

	/* Issue 15, point 9: a due date cannot be pushed out of every overdue figure. */
	v = case_version(staff, cid, NULL, &keep);
	const char *due =
	    json_string_value(json_object_get(json_object_get(keep, "case"), "due_on"));
	char due_s[16] = "";
	bz_strlcpy(due_s, due ? due : "", sizeof(due_s));
	json_decref(keep);
	snprintf(p, sizeof(p), "/api/v1/cases/%lld/extend", cid);
	snprintf(form, sizeof(form), "new_due_on=9999-12-31&extension_reason=x&version=%lld", v);
	CHECK_INT(post(staff, p, form, body, sizeof(body)), 422);
	CHECK_CONTAINS(body, "new_due_on");
	CHECK_CONTAINS(body, "한 번 연장할 수 있습니다");
	int yy = 0, mm = 0, dd = 0;
	sscanf(due_s, "%d-%d-%d", &yy, &mm, &dd);
	snprintf(form, sizeof(form), "new_due_on=%04d-%02d-%02d&extension_reason=x&version=%lld",
	         yy + 1, mm, dd, v);
	CHECK_INT(post(staff, p, form, body, sizeof(body)), 422);
	/* the next day is within the category's period */
	struct tm tm = {.tm_year = yy - 1900, .tm_mon = mm - 1, .tm_mday = dd + 1, .tm_hour = 12};
	mktime(&tm);
	snprintf(form, sizeof(form), "new_due_on=%04d-%02d-%02d&extension_reason=x&version=%lld",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, v);
	CHECK_INT(post(staff, p, form, body, sizeof(body)), 200);

	/* Issue 15, point 7: the department reads the case while its referral is
	 * open; after returning (반송) it, the case, its notes and attachments are
	 * gone for it. */
	snprintf(p, sizeof(p), "/api/v1/cases/%lld", cid);
	json_t *dj = t_get_json(dept, p, &st);
	CHECK_INT(st, 200);
	json_t *refs = json_object_get(dj, "referrals");
	long long rid = 0;
	size_t ri;
	json_t *ro;
	json_array_foreach(refs, ri, ro)
	{
		if (json_integer_value(json_object_get(ro, "department_id")) == dep)
			rid = json_integer_value(json_object_get(ro, "id"));
	}
	long long dv = json_integer_value(json_object_get(json_object_get(dj, "case"), "version"));
	json_decref(dj);
	CHECK(rid > 0, "the department's referral");
	snprintf(p, sizeof(p), "/api/v1/cases/%lld/referrals/%lld/answer", cid, rid);
	snprintf(
	    form, sizeof(form),
	    "action=return&answer=%%EC%%86%%8C%%EA%%B4%%80+%%EC%%95%%84%%EB%%8B%%98&version=%lld",
	    dv);
	CHECK_INT(post(dept, p, form, body, sizeof(body)), 200);
	snprintf(p, sizeof(p), "/api/v1/cases/%lld", cid);
	json_decref(t_get_json(dept, p, &st));
	CHECK_INT(st, 404);
	snprintf(p, sizeof(p), "/api/v1/cases/%lld/notes", cid);
	snprintf(form, sizeof(form), "body=still-here&version=%lld", dv + 1);
	CHECK_INT(post(dept, p, form, body, sizeof(body)), 404);
	dj = t_get_json(dept, "/api/v1/cases", &st);
	CHECK_INT(st, 200);
	char *dd_s = json_dumps(dj, 0);
	char needle[64];
	snprintf(needle, sizeof(needle), "\"id\": %lld,", cid);
	CHECK(dd_s && strstr(dd_s, needle) == NULL, "the returned case is off the list");
	free(dd_s);
	json_decref(dj);
	(void)st;
}

/* ---- 2. anniversary reminders ------------------------------------------ */

static void anniversaries(struct client *staff)
{
	char near[32], far[32];
	kst_date(20, 4, near);
	kst_date(40, 4, far);
	long long co_near = new_company(staff, "NearCo", "220810001", near);
	long long co_far = new_company(staff, "FarCo", "220810002", far);
	long st;
	json_t *j = t_get_json(staff, "/api/v1/activities/anniversaries", &st);
	CHECK_INT(st, 200);
	json_t *list = json_object_get(j, "companies");
	bool saw_near = false, saw_far = false;
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		long long id = json_integer_value(json_object_get(o, "company_id"));
		if (id == co_near) {
			saw_near = true;
			CHECK_INT(json_integer_value(json_object_get(o, "dday")), 20);
			CHECK_INT(json_integer_value(json_object_get(o, "years")), 4);
		}
		if (id == co_far)
			saw_far = true;
	}
	CHECK(saw_near, "20 days ahead is listed");
	CHECK(!saw_far, "40 days ahead is not listed");
	json_decref(j);

	char form[128];
	snprintf(form, sizeof(form), "company_id=%lld&years=4", co_near);
	struct resp r;
	t_post_form(staff, "/activities/anniversaries/letter", form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	char q[128];
	snprintf(q, sizeof(q), "/api/v1/activities?type=10&year=%d", kst_year());
	j = t_get_json(staff, q, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	snprintf(q, sizeof(q),
	         "SELECT count(*) FROM activity a JOIN activity_company x ON x.activity_id = a.id"
	         " WHERE a.type_id = 10 AND x.company_id = %lld",
	         co_near);
	CHECK_INT(t_sql_int(d.db, q, NULL), 1);
	/* an unknown, a missing and a garbage company: 422, nothing logged */
	char body[8192];
	CHECK_INT(post(staff, "/activities/anniversaries/letter", "company_id=99999999", body,
	               sizeof(body)),
	          422);
	CHECK_CONTAINS(body, "기업을 찾을 수 없습니다");
	CHECK_INT(post(staff, "/activities/anniversaries/letter", "years=3", NULL, 0), 422);
	CHECK_INT(post(staff, "/activities/anniversaries/letter", "company_id=abc", NULL, 0), 422);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity WHERE type_id = 10", NULL), 1);
}

/* ---- 3. admin activity types -------------------------------------------- */

static long long roundtable_count(struct client *c)
{
	long st;
	/* the card's own default is the last reported quarter; ask for the whole year */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/card?as_of=%d-Q4", kst_year());
	json_t *j = t_get_json(c, path, &st);
	CHECK_INT(st, 200);
	long long n = -1;
	/* find {"year": this year, "items": [...]} anywhere in the card */
	json_t *stack[64];
	size_t sp = 0;
	if (j)
		stack[sp++] = j;
	while (sp > 0 && n < 0) {
		json_t *x = stack[--sp];
		if (json_is_object(x)) {
			json_t *items = json_object_get(x, "items");
			if (json_integer_value(json_object_get(x, "year")) == kst_year() &&
			    json_is_array(items)) {
				n = 0;
				size_t i;
				json_t *it;
				json_array_foreach(
				    items, i,
				    it) if (strcmp(json_string_value(json_object_get(it, "key"))
				                       ?: "",
				                   "roundtable") == 0) n =
				    json_integer_value(json_object_get(it, "count"));
				break;
			}
			const char *k;
			json_t *v;
			json_object_foreach(x, k, v) if ((json_is_object(v) || json_is_array(v)) &&
			                                 sp < 64) stack[sp++] = v;
		} else if (json_is_array(x)) {
			size_t i;
			json_t *v;
			json_array_foreach(x, i, v) if (sp < 64) stack[sp++] = v;
		}
	}
	json_decref(j);
	return n;
}

static void types(struct client *admin, struct client *staff, struct client *exec)
{
	char body[65536];
	/* staff: 403; empty name: 422 */
	CHECK_INT(post(staff, "/admin/activity-types", "name=x&parent_id=3", NULL, 0), 403);
	CHECK_INT(post(admin, "/admin/activity-types", "name=&parent_id=3", body, sizeof(body)),
	          422);
	CHECK_CONTAINS(body, "이름을 1~50자로");
	/* a sub-kind of a sub-kind is refused */
	CHECK_INT(post(admin, "/admin/activity-types", "name=sub2&parent_id=4", body, sizeof(body)),
	          422);
	CHECK_CONTAINS(body, "상위 유형은 하위 유형이 아닌");
	long long before_types = t_sql_int(d.db, "SELECT count(*) FROM activity_type", NULL);
	CHECK_INT(post(admin, "/admin/activity-types", "name=SubRoundtable&parent_id=3", NULL, 0),
	          303);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity_type", NULL), before_types + 1);
	long long tid =
	    t_sql_int(d.db, "SELECT id FROM activity_type WHERE name = 'SubRoundtable'", NULL);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT parent_id FROM activity_type WHERE name = 'SubRoundtable'",
	                    NULL),
	          3);

	long long before = roundtable_count(exec);
	CHECK(before >= 0, "the card has this year's column");
	char today[32], form[256];
	kst_date(0, 0, today);
	snprintf(form, sizeof(form), "type_id=%lld&held_on=%s&title=sub-meeting&action=save", tid,
	         today);
	CHECK_INT(post(staff, "/activities", form, body, sizeof(body)), 303);
	long long after = roundtable_count(exec);
	CHECK(after == before + 1, "the sub-kind counts as a roundtable: %lld -> %lld", before,
	      after);
}

int main(void)
{
	char data[512];
	t_path(data, sizeof(data), "data");
	const char *args[] = {"--data-dir", data, NULL};
	if (!t_start(&d, args))
		return 1;
	struct client staff, dept, exec, admin;
	t_sign_in(&staff, &d, "staff");
	t_sign_in(&dept, &d, "department");
	t_sign_in(&exec, &d, "executive");
	t_sign_in(&admin, &d, "admin");
	t_fetch_csrf(&dept, "/");
	t_fetch_csrf(&exec, "/activities");
	t_fetch_csrf(&admin, "/admin/activity-types");
	agenda(&staff, &dept, &exec);
	anniversaries(&staff);
	types(&admin, &staff, &exec);
	t_client_free(&staff);
	t_client_free(&dept);
	t_client_free(&exec);
	t_client_free(&admin);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
