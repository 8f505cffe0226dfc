/* The phone form's issue-14 half over HTTP: photos sent with the visit
 * (multipart) are saved in the visit's transaction, once even when the form
 * is sent twice, and a refused file saves nothing; the visit page names the
 * cases a save created (?new_from=); "이 기업 다른 애로 추가"
 * (/visits/{id}/grievances) links more cases to the visit, sent twice makes
 * them once, a row number taken meanwhile is a 422 that keeps the text; the
 * case page links back to its visit; the staff home lists the newest cases
 * apart from the deadline list. */
#include "harness.h"

#include <stdlib.h>

static struct daemon d;

#define BD "----bizsosphonetest"

static void part(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "--" BD "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", name,
	           value);
}

static void file_part(struct buf *b, const char *name, const char *filename, const void *data,
                      size_t n)
{
	buf_printf(b,
	           "--" BD "\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
	           "Content-Type: image/jpeg\r\n\r\n",
	           name, filename);
	buf_append(b, data, n);
	buf_printf(b, "\r\n");
}

/* The phone form as a browser sends it (multipart): company, staff 1, a
 * summary, two grievances and the given photo (none when data is NULL). */
static int post_visit(struct client *c, const char *key, long long company, const void *data,
                      size_t n, struct resp *r)
{
	struct buf b;
	buf_init(&b, 0);
	char v[32];
	part(&b, "csrf", c->csrf);
	part(&b, "idempotency_key", key);
	part(&b, "rows", "2");
	snprintf(v, sizeof(v), "%lld", company);
	part(&b, "company_id", v);
	part(&b, "staff", "1");
	part(&b, "summary", "도장 라인 증설 현장 확인");
	part(&b, "g1_title", "공장 진입로 확장 요청");
	part(&b, "g1_category", "1");
	part(&b, "g2_title", "생산직 인력 채용 지원");
	part(&b, "g2_category", "2");
	part(&b, "action", "save");
	if (data)
		file_part(&b, "photos", "yard.jpg", data, n);
	else
		file_part(&b, "photos", "", "", 0); /* no file picked: an empty part */
	buf_printf(&b, "--" BD "--\r\n");
	int rc = t_request(c, "POST", "/visits/new", "multipart/form-data; boundary=" BD,
	                   buf_cstr(&b), b.len, NULL, r);
	buf_free(&b);
	return rc;
}

static long long count(const char *sql, const char *arg)
{
	return (long long)t_sql_int(d.db, sql, arg);
}

static void photos_with_the_visit(struct client *c, long long company, long long *visit)
{
	struct resp r;
	/* a file that is no image: 422 naming the photo, nothing saved */
	static const char html[] = "<html><script>alert(1)</script></html>";
	post_visit(c, "0123456789abcdef0123456789abcde0", company, html, sizeof(html) - 1, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(buf_cstr(&r.body), "id=\"photos-error\"");
	CHECK_CONTAINS(buf_cstr(&r.body), "사진을 다시 골라 주세요");
	CHECK_CONTAINS(buf_cstr(&r.body), "id=\"error-summary\"");
	t_resp_free(&r);
	CHECK_INT(count("SELECT count(*) FROM activity", NULL), 0);
	CHECK_INT(count("SELECT count(*) FROM sos_case", NULL), 0);

	/* a JPEG: the visit, its photo and its two cases */
	const char *key = "0123456789abcdef0123456789abcdef";
	post_visit(c, key, company, t_tiny_jpeg, t_tiny_jpeg_size, &r);
	CHECK_INT(r.status, 303);
	char loc[128] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	t_resp_free(&r);
	*visit = strncmp(loc, "/activities/", 12) == 0 ? atoll(loc + 12) : 0;
	CHECK(*visit > 0 && strstr(loc, "?new_from=0") != NULL, "to the visit, new rows marked: %s",
	      loc);
	char id[24];
	snprintf(id, sizeof(id), "%lld", *visit);
	CHECK_INT(count("SELECT count(*) FROM activity_photo WHERE activity_id = ?1", id), 1);
	CHECK_INT(count("SELECT count(*) FROM activity_case WHERE activity_id = ?1", id), 2);
	CHECK_INT(count("SELECT count(*) FROM activity_event WHERE kind = 'photo_added' AND "
	                "activity_id = ?1",
	                id),
	          1);
	/* sent again (a retry in the yard): nothing twice */
	post_visit(c, key, company, t_tiny_jpeg, t_tiny_jpeg_size, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(count("SELECT count(*) FROM activity", NULL), 1);
	CHECK_INT(count("SELECT count(*) FROM activity_photo", NULL), 1);
	CHECK_INT(count("SELECT count(*) FROM sos_case", NULL), 2);
	/* a good photo with a form that fails elsewhere: the form says to pick it again */
	{
		struct buf b;
		buf_init(&b, 0);
		part(&b, "csrf", c->csrf);
		part(&b, "idempotency_key", "0123456789abcdef0123456789abcd11");
		part(&b, "rows", "1");
		part(&b, "staff", "1");
		part(&b, "summary", "");
		part(&b, "action", "save");
		file_part(&b, "photos", "yard.jpg", t_tiny_jpeg, t_tiny_jpeg_size);
		buf_printf(&b, "--" BD "--\r\n");
		t_request(c, "POST", "/visits/new", "multipart/form-data; boundary=" BD,
		          buf_cstr(&b), b.len, NULL, &r);
		buf_free(&b);
		CHECK_INT(r.status, 422);
		CHECK_CONTAINS(buf_cstr(&r.body), "id=\"photos-again\"");
		CHECK_CONTAINS(buf_cstr(&r.body), "사진 1장은 아직 저장되지 않았습니다");
		t_resp_free(&r);
		CHECK_INT(count("SELECT count(*) FROM activity", NULL), 1);
	}
	/* a visit without a photo: the empty file part is no photo */
	post_visit(c, "0123456789abcdef0123456789abcd00", company, NULL, 0, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(count("SELECT count(*) FROM activity_photo", NULL), 1);
	CHECK_INT(count("SELECT count(*) FROM activity", NULL), 2);
}

static void created_and_more(struct client *c, long long visit)
{
	struct resp r;
	char path[96];
	long status = 0;
	snprintf(path, sizeof(path), "/api/v1/activities/%lld?new_from=0", visit);
	json_t *j = t_get_json(c, path, &status);
	CHECK_INT(status, 200);
	json_t *created = json_object_get(j, "created");
	CHECK_INT(json_integer_value(json_object_get(created, "count")), 2);
	CHECK(json_is_string(json_object_get(j, "more_href")), "offers more grievances");
	long long case1 = json_integer_value(
	    json_object_get(json_array_get(json_object_get(created, "cases"), 0), "id"));
	json_decref(j);
	/* without new_from: no "created" */
	snprintf(path, sizeof(path), "/api/v1/activities/%lld", visit);
	j = t_get_json(c, path, &status);
	CHECK(json_object_get(j, "created") == NULL, "created only after a save");
	json_decref(j);

	/* the case page links back to its visit */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case1);
	j = t_get_json(c, path, &status);
	CHECK_INT(status, 200);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "visit"), "id")), visit);
	json_decref(j);
	snprintf(path, sizeof(path), "/cases/%lld", case1);
	t_get(c, path, &r);
	char href[96];
	snprintf(href, sizeof(href),
	         "id=\"case-visit\"><dt>접수한 방문</dt><dd><a href=\"/activities/%lld\"", visit);
	CHECK_CONTAINS(buf_cstr(&r.body), href);
	t_resp_free(&r);

	/* "이 기업 다른 애로 추가": the form knows the visit's last row */
	snprintf(path, sizeof(path), "/api/v1/visits/%lld/grievances", visit);
	j = t_get_json(c, path, &status);
	CHECK_INT(status, 200);
	CHECK_INT(json_integer_value(json_object_get(j, "base")), 2);
	json_decref(j);
	snprintf(path, sizeof(path), "/visits/%lld/grievances", visit);
	/* without JavaScript "add another" renders the form again, a row more, text kept */
	snprintf(path, sizeof(path), "/visits/%lld/grievances", visit);
	t_post_form(c, path, "base=2&rows=1&g1_title=%EC%B2%AB&g1_category=&action=add_grievance",
	            &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(buf_cstr(&r.body), "id=\"g2_title\"");
	CHECK_CONTAINS(buf_cstr(&r.body), "value=\"첫\"");
	CHECK_CONTAINS(buf_cstr(&r.body), "name=\"rows\" value=\"2\"");
	t_resp_free(&r);
	/* nothing typed: 422 on the first row */
	t_post_form(c, path, "base=2&rows=1&g1_title=&g1_category=&action=save", &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(buf_cstr(&r.body), "id=\"g1_title-error\"");
	t_resp_free(&r);
	const char *one = "base=2&rows=1&g1_title=%ED%8F%90%EC%88%98&g1_category=3&action=save";
	t_post_form(c, path, one, &r);
	CHECK_INT(r.status, 303);
	char loc[128] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	CHECK(strstr(loc, "?new_from=2") != NULL, "the new rows after 2: %s", loc);
	t_resp_free(&r);
	char id[24];
	snprintf(id, sizeof(id), "%lld", visit);
	CHECK_INT(count("SELECT count(*) FROM activity_case WHERE activity_id = ?1", id), 3);
	CHECK_INT(
	    count("SELECT seq FROM activity_case WHERE activity_id = ?1 ORDER BY seq DESC", id), 3);
	/* sent twice (here with a space after the title, which the case trims): once */
	t_post_form(c, path, "base=2&rows=1&g1_title=%ED%8F%90%EC%88%98+&g1_category=3&action=save",
	            &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(count("SELECT count(*) FROM activity_case WHERE activity_id = ?1", id), 3);
	/* another form that was shown at base 2: row 3 is taken, the text is kept */
	t_post_form(c, path, "base=2&rows=1&g1_title=%EB%8B%A4%EB%A5%B8&g1_category=3&action=save",
	            &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(buf_cstr(&r.body), "다른 애로사항이 추가되었습니다");
	CHECK_CONTAINS(buf_cstr(&r.body), "value=\"다른\"");
	CHECK_CONTAINS(buf_cstr(&r.body), "name=\"base\" value=\"3\"");
	t_resp_free(&r);
	CHECK_INT(count("SELECT count(*) FROM activity_case WHERE activity_id = ?1", id), 3);
	/* no such visit */
	t_post_form(c, "/visits/999999/grievances", one, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	/* an activity without a company (none here) and a bad id */
	t_get(c, "/visits/0/grievances", &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
}

static void home(struct client *c)
{
	long status = 0;
	json_t *j = t_api(c, "GET", "/", NULL, &status);
	CHECK_INT(status, 200);
	json_t *recent = json_object_get(j, "my_recent");
	CHECK(recent != NULL, "the staff home has my_recent");
	json_t *rows = json_object_get(recent, "cases");
	CHECK(json_array_size(rows) >= 3, "the newest cases: %zu", json_array_size(rows));
	json_int_t a = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_int_t b = json_integer_value(json_object_get(json_array_get(rows, 1), "id"));
	CHECK(a > b, "newest first (%lld, %lld)", (long long)a, (long long)b);
	json_decref(j);
}

int main(void)
{
	char data[512];
	t_path(data, sizeof(data), "data");
	const char *args[] = {"--data-dir", data, NULL};
	if (t_daemon_start(&d, args) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	t_sql_exec(d.db, "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	                 "('한빛정밀', '한빛정밀', '1208147521', '2024-01-01T00:00:00Z', "
	                 "'2024-01-01T00:00:00Z')");
	long long company = count("SELECT max(id) FROM company", NULL);
	struct client c;
	t_client_init(&c, &d);
	int login = t_login(&c, "staff", T_PASSWORD);
	CHECK(login == 200 || login == 303, "signed in: %d", login);
	t_fetch_csrf(&c, "/visits/new");
	long long visit = 0;
	photos_with_the_visit(&c, company, &visit);
	if (visit > 0)
		created_and_more(&c, visit);
	home(&c);

	/* a department user may not add grievances */
	struct client dep;
	t_client_init(&dep, &d);
	t_login(&dep, "department", T_PASSWORD);
	t_fetch_csrf(&dep, "/");
	struct resp r;
	char path[64];
	snprintf(path, sizeof(path), "/visits/%lld/grievances", visit);
	t_post_form(&dep, path, "base=0&rows=1&g1_title=x&g1_category=1", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_client_free(&dep);

	t_client_free(&c);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
