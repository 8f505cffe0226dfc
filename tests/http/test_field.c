/* Field work over HTTP: the phone form (idempotency: the same POST twice makes
 * one visit and one set of cases; bad input gets field errors), improvement
 * grants (the 40/40/20 split of 12,345,678 won; shares that do not add up and
 * an off-rule split without a reason are 422 with the field named), photos
 * (a renamed executable is refused with a Korean message, a real JPEG is
 * stored and served with its sniffed type), citizen communication, the
 * activity pages and their JSON faces under /api/v1/. */
#include "bizsos/brn.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

/* The value="..." of the input named name in html, copied into out. */
static bool input_value(const char *html, const char *name, char *out, size_t outlen)
{
	char pat[128];
	snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
	const char *p = html ? strstr(html, pat) : NULL;
	if (p == NULL)
		return false;
	p += strlen(pat);
	const char *e = strchr(p, '"');
	if (e == NULL || (size_t)(e - p) >= outlen)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return true;
}

static void valid_brn(const char *nine, char out[BRN_BARE_SIZE])
{
	snprintf(out, BRN_BARE_SIZE, "%s%d", nine, brn_check_digit(nine));
}

/* The phone form: two grievances, posted twice with the same key. */
static long long visit(struct client *c)
{
	struct resp r;
	t_get(c, "/visits/new", &r);
	CHECK_INT(r.status, 200);
	char key[80] = "", staff[24] = "";
	CHECK(input_value(buf_cstr(&r.body), "idempotency_key", key, sizeof(key)),
	      "the form carries an idempotency key");
	CHECK_INT(strlen(key), 32);
	const char *sp = strstr(buf_cstr(&r.body), "name=\"staff\" value=\"");
	if (sp)
		sscanf(sp + strlen("name=\"staff\" value=\""), "%23[0-9]", staff);
	t_resp_free(&r);

	/* a second GET gets another key */
	t_get(c, "/visits/new", &r);
	char key2[80] = "";
	input_value(buf_cstr(&r.body), "idempotency_key", key2, sizeof(key2));
	CHECK(strcmp(key, key2) != 0, "every rendered form has its own key");
	t_resp_free(&r);

	char brn[BRN_BARE_SIZE], form[2048];
	valid_brn("123450000", brn);
	/* without a company or staff, and a grievance without a category: 422 */
	snprintf(form, sizeof(form),
	         "idempotency_key=%s&rows=1&summary=&g1_title=%%EC%%9D%%B8%%EB%%A0%%A5&action=save",
	         key);
	t_post_form(c, "/api/v1/visits/new", form, &r);
	CHECK_INT(r.status, 422);
	json_t *j = t_json(&r);
	CHECK(t_field_error(j, "company_id") != NULL, "no company: company_id error");
	CHECK(t_field_error(j, "staff") != NULL, "no staff: staff error");
	CHECK(t_field_error(j, "summary") != NULL, "nothing seen: summary error");
	CHECK(t_field_error(j, "g1_category") != NULL, "grievance without category: g1_category");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity", NULL), 0);
	/* a bad BRN for a new company */
	snprintf(form, sizeof(form),
	         "idempotency_key=%s&rows=1&staff=%s&summary=x&new_company_name=A&"
	         "new_company_brn=123-45-6789&action=save",
	         key, staff);
	t_post_form(c, "/api/v1/visits/new", form, &r);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	CHECK(t_field_error(j, "new_company_brn") != NULL, "bad BRN: new_company_brn error");
	json_decref(j);
	t_resp_free(&r);
	/* a forged key */
	snprintf(form, sizeof(form),
	         "idempotency_key=zz&rows=1&staff=%s&summary=x&new_company_name=A&"
	         "new_company_brn=%s&action=save",
	         staff, brn);
	t_post_form(c, "/api/v1/visits/new", form, &r);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	CHECK(t_field_error(j, "idempotency_key") != NULL, "bad key refused");
	json_decref(j);
	t_resp_free(&r);

	/* "add another grievance" without JS: the form again, one row more, typed text kept */
	snprintf(form, sizeof(form),
	         "idempotency_key=%s&rows=1&staff=%s&summary=%%ED%%98%%84%%EC%%9E%%A5&"
	         "g1_title=keep-me&action=add_grievance",
	         key, staff);
	t_post_form(c, "/visits/new", form, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(buf_cstr(&r.body), "name=\"g2_title\"");
	CHECK_CONTAINS(buf_cstr(&r.body), "value=\"keep-me\"");
	char key3[80] = "";
	input_value(buf_cstr(&r.body), "idempotency_key", key3, sizeof(key3));
	CHECK_STR(key3, key);
	t_resp_free(&r);

	snprintf(
	    form, sizeof(form),
	    "idempotency_key=%s&rows=3&staff=%s&summary=%%EA%%B3%%B5%%EC%%9E%%A5+%%EC%%A0%%90%%EA%%"
	    "B2%%80&"
	    "new_company_name=%%ED%%98%%84%%EC%%9E%%A5%%EA%%B8%%B0%%EC%%97%%85&new_company_brn=%s&"
	    "g1_title=%%EC%%9D%%B8%%EB%%A0%%A5+%%EB%%B6%%80%%EC%%A1%%B1&g1_category=1&g1_"
	    "description=a&"
	    "g2_title=&g2_category=&g2_description=&"
	    "g3_title=%%EC%%9E%%90%%EA%%B8%%88&g3_category=2&g3_description=b&action=save",
	    key, staff, brn);
	t_post_form(c, "/visits/new", form, &r);
	CHECK_INT(r.status, 303);
	char loc1[128] = "", loc2[128] = "";
	t_header(&r, "Location", loc1, sizeof(loc1));
	CHECK(strncmp(loc1, "/activities/", 12) == 0, "redirects to the visit: %s", loc1);
	t_resp_free(&r);
	/* the same POST again (double tap / retry): nothing new, same answer */
	t_post_form(c, "/visits/new", form, &r);
	CHECK_INT(r.status, 303);
	t_header(&r, "Location", loc2, sizeof(loc2));
	CHECK_STR(loc2, loc1);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity", NULL), 1);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL), 2);
	/* Issue 15, point 6: the key is bound to its user and its body. Another
	 * user replaying it, or the same key with other content, gets 422 and
	 * nothing is dropped silently or created. */
	struct client other;
	t_client_init(&other, &d);
	CHECK_INT(t_login(&other, "leader", T_PASSWORD), 303);
	t_fetch_csrf(&other, "/visits/new");
	t_post_form(&other, "/visits/new", form, &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(buf_cstr(&r.body), "다른 내용이 이미 저장되었습니다");
	t_resp_free(&r);
	t_client_free(&other);
	char *changed = strstr(form, "g3_description=b");
	if (changed)
		changed[15] = 'c';
	t_post_form(c, "/visits/new", form, &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity", NULL), 1);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL), 2);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity_case WHERE kind = 'raised'", NULL),
	          2);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM company", NULL), 1);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE channel = 'visit'", NULL),
	          2);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM activity a JOIN activity_type t ON t.id = a.type_id "
	              "WHERE t.code = 'comm_day'",
	              NULL),
	    1);

	long long id = atoll(loc1 + 12);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/activities/%lld", id);
	t_get(c, path, &r);
	CHECK_INT(r.status, 200);
	j = t_json(&r);
	CHECK_INT(json_array_size(json_object_get(j, "cases")), 2);
	CHECK_INT(json_array_size(json_object_get(j, "companies")), 1);
	CHECK_INT(json_array_size(json_object_get(j, "staff")), 1);
	json_decref(j);
	t_resp_free(&r);
	return id;
}

static long long company_id(void)
{
	return t_sql_int(d.db, "SELECT min(id) FROM company", NULL);
}

static void grants(struct client *c)
{
	struct resp r;
	char form[1024];
	long long co = company_id();
	snprintf(form, sizeof(form),
	         "company_id=%lld&year=2024&title=%%ED%%99%%98%%EA%%B8%%B0&total=12%%2C345%%2C678&"
	         "action=save",
	         co);
	t_post_form(c, "/grants", form, &r);
	CHECK_INT(r.status, 303);
	char loc[64] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	t_resp_free(&r);
	char api[80];
	snprintf(api, sizeof(api), "/api/v1%s", loc);
	t_get(c, api, &r);
	CHECK_INT(r.status, 200);
	json_t *j = t_json(&r);
	json_t *g = json_object_get(j, "grant");
	CHECK_INT(json_integer_value(json_object_get(g, "total")), 12345678);
	CHECK_INT(json_integer_value(json_object_get(g, "province")), 4938270);
	CHECK_INT(json_integer_value(json_object_get(g, "city")), 4938270);
	CHECK_INT(json_integer_value(json_object_get(g, "company_share")), 2469138);
	CHECK_STR(json_string_value(json_object_get(g, "province_text")), "4,938,270");
	CHECK(json_is_true(json_object_get(g, "is_default")), "default split");
	long long version = json_integer_value(json_object_get(g, "version"));
	json_decref(j);
	t_resp_free(&r);

	/* the form shows the computed split for a typed total */
	snprintf(form, sizeof(form), "company_id=%lld&total=12345678&action=compute", co);
	t_post_form(c, "/grants", form, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(buf_cstr(&r.body), "4,938,270");
	CHECK_CONTAINS(buf_cstr(&r.body), "2,469,138");
	t_resp_free(&r);

	/* shares that do not add up: 422, the field named */
	snprintf(form, sizeof(form),
	         "company_id=%lld&year=2024&title=x&total=10000000&province=4000000&city=4000000&"
	         "company_share=1000000&split_reason=why&action=save",
	         co);
	t_post_form(c, "/api/v1/grants", form, &r);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	CHECK(t_field_error(j, "shares") != NULL, "shares that do not add up: shares error");
	json_decref(j);
	t_resp_free(&r);
	/* an off-rule split without a reason: 422 on split_reason */
	snprintf(form, sizeof(form),
	         "company_id=%lld&year=2024&title=x&total=10000000&province=5000000&city=3000000&"
	         "company_share=2000000&split_reason=&action=save",
	         co);
	t_post_form(c, "/api/v1/grants", form, &r);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	CHECK(t_field_error(j, "split_reason") != NULL, "off-rule split without reason refused");
	json_decref(j);
	t_resp_free(&r);
	/* bad money text */
	snprintf(form, sizeof(form), "company_id=%lld&year=2024&title=x&total=12.5&action=save",
	         co);
	t_post_form(c, "/api/v1/grants", form, &r);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	CHECK(t_field_error(j, "total") != NULL, "decimal won refused on total");
	json_decref(j);
	t_resp_free(&r);
	/* the same with a reason: saved */
	snprintf(
	    form, sizeof(form),
	    "company_id=%lld&year=2024&title=x&total=10000000&province=5000000&city=3000000&"
	    "company_share=2000000&split_reason=%%EB%%8F%%84%%EB%%B9%%84+%%EC%%B6%%94%%EA%%B0%%80&"
	    "action=save",
	    co);
	t_post_form(c, "/grants", form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM improvement_grant", NULL), 2);

	/* status: applied → done is not allowed; applied → selected → done is */
	char spath[80];
	snprintf(spath, sizeof(spath), "%s/status", loc);
	snprintf(form, sizeof(form), "version=%lld&to=done", version);
	t_post_form(c, spath, form, &r);
	CHECK_INT(r.status, 409);
	t_resp_free(&r);
	snprintf(form, sizeof(form), "version=%lld&to=selected", version);
	t_post_form(c, spath, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	t_post_form(c, spath, form, &r); /* stale version */
	CHECK_INT(r.status, 409);
	t_resp_free(&r);
	snprintf(form, sizeof(form), "version=%lld&to=done", version + 1);
	t_post_form(c, spath, form, &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM grant_event", NULL), 4);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM improvement_grant WHERE status = 'done' "
	                    "AND selected_on IS NOT NULL AND done_on IS NOT NULL",
	                    NULL),
	          1);
	t_get(c, "/api/v1/grants?year=2024", &r);
	j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "sites")), 1);
	json_decref(j);
	t_resp_free(&r);
}

static int post_photo(struct client *c, long long id, const char *filename, const char *ctype,
                      const void *data, size_t n, struct resp *r)
{
	struct buf b;
	buf_init(&b, 0);
	const char *bd = "----bizsosfieldtest";
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", bd,
	           c->csrf);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n%s\r\n", bd,
	           "공장 외관");
	buf_printf(&b,
	           "--%s\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"%s\"\r\n"
	           "Content-Type: %s\r\n\r\n",
	           bd, filename, ctype);
	buf_append(&b, data, n);
	buf_printf(&b, "\r\n--%s--\r\n", bd);
	char path[64], ct[96];
	snprintf(path, sizeof(path), "/activities/%lld/photos", id);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bd);
	int rc = t_request(c, "POST", path, ct, buf_cstr(&b), b.len, NULL, r);
	buf_free(&b);
	return rc;
}

static void photos(struct client *c, long long id)
{
	struct resp r;
	/* a renamed executable (ELF) as photo.jpg with an image type: refused */
	static const unsigned char elf[] = {0x7F, 'E', 'L', 'F', 2, 1, 1,    0, 0, 0, 0, 0,
	                                    0,    0,   0,   0,   2, 0, 0x3E, 0, 1, 0, 0, 0};
	post_photo(c, id, "photo.jpg", "image/jpeg", elf, sizeof(elf), &r);
	CHECK_INT(r.status, 422);
	CHECK_CONTAINS(buf_cstr(&r.body), "JPEG, PNG, WebP 이미지 파일만");
	CHECK_CONTAINS(buf_cstr(&r.body), "aria-invalid=\"true\"");
	t_resp_free(&r);
	/* an HTML file named .png: refused too */
	static const char html[] = "<html><script>alert(1)</script></html>";
	post_photo(c, id, "x.png", "image/png", html, sizeof(html) - 1, &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	/* no file at all */
	post_photo(c, id, "", "application/octet-stream", "", 0, &r);
	CHECK_INT(r.status, 422);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM activity_photo", NULL), 0);

	/* a real JPEG named .bin with a wrong type: accepted by its bytes */
	post_photo(c, id, "camera.bin", "application/octet-stream", t_tiny_jpeg, t_tiny_jpeg_size,
	           &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM activity_photo WHERE content_type = 'image/jpeg' "
	                    "AND width = 1 AND height = 1",
	                    NULL),
	          1);
	long long pid = t_sql_int(d.db, "SELECT max(id) FROM activity_photo", NULL);
	char path[96];
	snprintf(path, sizeof(path), "/activities/%lld", id);
	t_get(c, path, &r);
	CHECK_INT(r.status, 200);
	char img[96];
	snprintf(img, sizeof(img), "src=\"/activities/%lld/photos/%lld\"", id, pid);
	CHECK_CONTAINS(buf_cstr(&r.body), img);
	CHECK_CONTAINS(buf_cstr(&r.body), "공장 외관");
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/activities/%lld/photos/%lld", id, pid);
	t_get(c, path, &r);
	CHECK_INT(r.status, 200);
	char h[128] = "";
	t_header(&r, "Content-Type", h, sizeof(h));
	CHECK_STR(h, "image/jpeg");
	t_header(&r, "X-Content-Type-Options", h, sizeof(h));
	CHECK_STR(h, "nosniff");
	CHECK_INT(r.body.len, t_tiny_jpeg_size);
	CHECK(r.body.len == t_tiny_jpeg_size && memcmp(r.body.s, t_tiny_jpeg, r.body.len) == 0,
	      "the same bytes come back");
	t_resp_free(&r);
	/* another activity's photo id: 404 */
	snprintf(path, sizeof(path), "/activities/%lld/photos/%lld", id + 100, pid);
	t_get(c, path, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
}

static void comm(struct client *c)
{
	struct resp r;
	t_post_form(c, "/api/v1/comm", "kind=press&held_on=2024-03-02&title=t", &r);
	CHECK_INT(r.status, 422);
	json_t *j = t_json(&r);
	CHECK(t_field_error(j, "outlet") != NULL, "press without outlet refused");
	json_decref(j);
	t_resp_free(&r);
	t_post_form(c, "/api/v1/comm",
	            "kind=press&held_on=2024-03-02&title=t&outlet=o&url=javascript:alert(1)", &r);
	CHECK_INT(r.status, 422);
	j = t_json(&r);
	CHECK(t_field_error(j, "url") != NULL, "javascript: link refused");
	json_decref(j);
	t_resp_free(&r);
	t_post_form(
	    c, "/comm",
	    "kind=press&held_on=2024-03-02&title=%EA%B8%B0%EC%82%AC&outlet=%EC%8B%A0%EB%AC%B8"
	    "&url=https%3A%2F%2Fnews.example%2F1",
	    &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	t_post_form(c, "/comm", "kind=survey&held_on=2024-06-01&title=1%EC%B0%A8", &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	t_get(c, "/api/v1/comm?year=2024", &r);
	CHECK_INT(r.status, 200);
	j = t_json(&r);
	CHECK_INT(json_array_size(json_object_get(j, "entries")), 2);
	json_t *counts = json_object_get(j, "counts");
	CHECK_STR(json_string_value(json_object_get(json_array_get(counts, 1), "kind")), "survey");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(counts, 1), "count")), 1);
	CHECK_INT(json_integer_value(json_object_get(json_array_get(counts, 3), "count")), 1);
	json_decref(j);
	t_resp_free(&r);
}

static void pages(struct client *c, long long id)
{
	struct resp r;
	static const char *const ok[] = {
	    "/api/v1/activities",
	    "/api/v1/activities?type=9&year=2026",
	    "/api/v1/activities/calendar?year=2024&month=2",
	    "/api/v1/activities/stats?year=2024",
	    "/api/v1/activities/anniversaries",
	    "/api/v1/visits/new",
	    "/api/v1/grants/new",
	    "/api/v1/comm/new",
	    "/activities/calendar",
	    "/activities/new",
	    "/admin/activity-types",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		t_get(c, ok[i], &r);
		CHECK(r.status == 200 || (strstr(ok[i], "admin") && r.status == 403),
		      "%s answers %ld", ok[i], r.status);
		t_resp_free(&r);
	}
	t_get(c, "/api/v1/activities/calendar?year=2024&month=2", &r);
	json_t *j = t_json(&r);
	json_t *weeks = json_object_get(j, "weeks");
	CHECK_INT(json_array_size(weeks), 5); /* Feb 2024: Mon 29 Jan .. Sun 3 Mar */
	CHECK_STR(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(json_array_get(weeks, 0), "days"), 0), "date")),
	    "2024-01-29");
	json_decref(j);
	t_resp_free(&r);
	t_get(c, "/activities/calendar?year=2024&month=13", &r);
	CHECK_INT(r.status, 400);
	t_resp_free(&r);
	t_get(c, "/activities?month=3", &r); /* a month without a year */
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(buf_cstr(&r.body), "연도도 골라 주세요");
	t_resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/activities/%lld", id + 1000);
	t_get(c, path, &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	t_get(c, "/api/v1/activities", &r);
	j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	t_resp_free(&r);
}

int main(void)
{
	char data[512];
	t_path(data, sizeof(data), "data");
	const char *args[] = {"--data-dir", data, NULL};
	if (!t_start(&d, args))
		return 1;
	struct client c;
	t_client_init(&c, &d);
	int login = t_login(&c, "staff", T_PASSWORD);
	CHECK(login == 200 || login == 303, "signed in: %d", login);
	long long id = visit(&c);
	grants(&c);
	photos(&c, id);
	comm(&c);
	pages(&c, id);

	/* an executive reads but cannot write */
	struct client e;
	t_client_init(&e, &d);
	t_login(&e, "executive", T_PASSWORD);
	struct resp r;
	t_get(&e, "/activities", &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);
	t_fetch_csrf(&e, "/activities");
	t_post_form(&e, "/comm", "kind=sns&held_on=2024-01-01&title=x", &r);
	CHECK_INT(r.status, 403);
	t_resp_free(&r);
	t_client_free(&e);

	t_client_free(&c);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
