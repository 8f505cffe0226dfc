/* Collection pages by keyset cursor: /activities, /grants, /comm, /cases and
 * /companies (and their JSON faces, in each order of the company list) page by ?limit= and the
 * opaque next_cursor; a walk to the end sees every row exactly once even when rows are added before
 * and after the reader's place, and one is retired, between two pages. next_url repeats the
 * filters. A bad limit is a Korean 422 naming the field; a cursor edited by hand, or carried to
 * other filters or another list, is a Korean 400. */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

struct list {
	const char *name;
	const char *first;    /* the first page's URL (limit 2) */
	const char *rows_key; /* the array of the page model */
	const char *seed;     /* 7 rows, ids 101..107 */
	const char *between;  /* after page 1: a row before the reader's place (id 201), one
	                         after it (id 202), and a row of page 1 retired (but cases,
	                         which are never retired) */
};

/* 7 rows with ties in the first sort key; a row of the first page is retired
 * after it; 201 sorts first (newest: would shift an offset), 202 last. */
static const struct list lists[] = {
    {"activities", "/api/v1/activities?limit=2", "activities",
     "INSERT INTO activity (id, type_id, held_on, starts_at, title, created_at, updated_at) "
     "SELECT v.column1, (SELECT min(id) FROM activity_type), v.column2, v.column3, '활동', "
     "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM (VALUES "
     "(101, '2024-05-02', '10:00'), (102, '2024-05-02', NULL), (103, '2024-05-02', '09:00'), "
     "(104, '2024-05-01', NULL), (105, '2024-05-01', NULL), (106, '2024-04-30', '14:00'), "
     "(107, '2024-04-01', NULL)) v",
     "INSERT INTO activity (id, type_id, held_on, title, created_at, updated_at) "
     "SELECT v.column1, (SELECT min(id) FROM activity_type), v.column2, '새 활동', "
     "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM (VALUES (201, '2025-01-01'), "
     "(202, '2023-01-01')) v; UPDATE activity SET retired_at = '2024-06-01T00:00:00Z' "
     "WHERE id = 103"},
    {"grants", "/api/v1/grants?limit=2", "grants",
     "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) VALUES (1, "
     "'가나상사', '가나상사', '1111111111', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'); "
     "INSERT INTO improvement_grant (id, company_id, year, title, total, province, city, "
     "company_share, created_at, updated_at) SELECT v.column1, 1, v.column2, '개선', 100, 30, "
     "30, 40, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM (VALUES (101, 2024), "
     "(102, 2024), (103, 2024), (104, 2023), (105, 2023), (106, 2022), (107, 2021)) v",
     "INSERT INTO improvement_grant (id, company_id, year, title, total, province, city, "
     "company_share, created_at, updated_at) SELECT v.column1, 1, v.column2, '새 개선', 100, "
     "30, 30, 40, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM (VALUES (201, 2025), "
     "(202, 2020)) v; UPDATE improvement_grant SET retired_at = '2024-06-01T00:00:00Z' "
     "WHERE id = 102"},
    {"comm", "/api/v1/comm?year=&limit=2", "entries",
     "INSERT INTO comm_entry (id, kind, held_on, title, created_at) SELECT v.column1, "
     "'other', v.column2, '소통', '2024-01-01T00:00:00Z' FROM (VALUES (101, '2024-05-02'), "
     "(102, '2024-05-02'), (103, '2024-05-02'), (104, '2024-05-01'), (105, '2024-05-01'), "
     "(106, '2024-04-30'), (107, '2024-04-01')) v",
     "INSERT INTO comm_entry (id, kind, held_on, title, created_at) VALUES (201, 'other', "
     "'2025-01-01', '새 소통', '2024-01-01T00:00:00Z'), (202, 'other', '2023-01-01', "
     "'새 소통', '2024-01-01T00:00:00Z'); UPDATE comm_entry SET retired_at = "
     "'2024-06-01T00:00:00Z' WHERE id = 102"},
    {"cases", "/api/v1/cases?limit=2", "cases",
     "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) VALUES (2, "
     "'다라상사', '다라상사', '2222222222', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'); "
     "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel, "
     "category_id, title, due_on, status, created_at, updated_at) SELECT v.column1, "
     "printf('SOS-2024-%04d', v.column1), 2, '2024-05-01T00:00:00Z', '2024-05-01', 'visit', "
     "(SELECT min(id) FROM case_category), '애로', v.column2, 'received', "
     "'2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z' FROM (VALUES (101, '2024-05-10'), "
     "(102, '2024-05-10'), (103, '2024-05-10'), (104, '2024-05-11'), (105, '2024-05-11'), "
     "(106, '2024-05-12'), (107, '2024-06-01')) v",
     "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel, "
     "category_id, title, due_on, status, created_at, updated_at) SELECT v.column1, "
     "printf('SOS-2024-%04d', v.column1), 2, '2024-05-01T00:00:00Z', '2024-05-01', 'visit', "
     "(SELECT min(id) FROM case_category), '새 애로', v.column2, 'received', "
     "'2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z' FROM (VALUES (201, '2024-01-01'), "
     "(202, '2030-01-01')) v"},
    {"companies", "/api/v1/companies?limit=2", "companies",
     "INSERT INTO company (id, name, name_key, brn, employees, created_at, updated_at) SELECT "
     "v.column1, v.column2, v.column2, printf('%010d', v.column1), v.column3, "
     "'2024-01-01T00:00:00Z', v.column4 FROM (VALUES (101, 'A1', 5, '2024-02-01T00:00:00Z'), "
     "(102, 'A2', NULL, '2024-02-01T00:00:00Z'), (103, 'a3', 5, '2024-03-01T00:00:00Z'), "
     "(104, 'A4', 50, '2024-01-01T00:00:00Z'), (105, 'A5', NULL, '2024-02-01T00:00:00Z'), "
     "(106, 'A6', 7, '2024-05-01T00:00:00Z'), (107, 'A7', 5, '2024-02-01T00:00:00Z')) v",
     "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) VALUES (201, "
     "'0 먼저', '0', '0000000201', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), (202, "
     "'Z 나중', 'Z', '0000000202', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'); UPDATE "
     "company SET retired_at = '2024-06-01T00:00:00Z' WHERE id = 102"},
};

static void walk(struct client *c, const struct list *l)
{
	t_sql_exec(d.db, l->seed);
	int seen[300] = {0};
	char url[2048];
	bz_strlcpy(url, l->first, sizeof(url));
	int pages = 0;
	char first_cursor[1024] = "";
	for (;;) {
		struct resp r;
		t_get(c, url, &r);
		CHECK(r.status == 200, "%s: %s answered %ld", l->name, url, r.status);
		json_t *j = t_json(&r);
		t_resp_free(&r);
		if (j == NULL)
			break;
		json_t *rows = json_object_get(j, l->rows_key);
		CHECK(json_array_size(rows) <= 2, "%s: %zu rows on a page of 2", l->name,
		      json_array_size(rows));
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			json_int_t id = json_integer_value(json_object_get(row, "id"));
			if (id > 0 && id < 300)
				seen[id]++;
		}
		pages++;
		if (pages == 1)
			t_sql_exec(d.db, l->between);
		const char *cur = json_string_value(json_object_get(j, "next_cursor"));
		const char *next = json_string_value(json_object_get(j, "next_url"));
		CHECK((cur == NULL) == (next == NULL), "%s: next_cursor and next_url together",
		      l->name);
		if (cur && pages == 1)
			bz_strlcpy(first_cursor, cur, sizeof(first_cursor));
		if (cur == NULL || next == NULL || pages > 10) {
			json_decref(j);
			break;
		}
		/* next_url is relative to the API base and keeps the filters */
		CHECK(strstr(next, "limit=2") != NULL && strstr(next, "cursor=") != NULL,
		      "%s: next_url %s", l->name, next);
		snprintf(url, sizeof(url), "/api/v1%s", next);
		json_decref(j);
	}
	for (int id = 101; id <= 107; id++)
		CHECK(seen[id] == 1, "%s: row %d seen %d times", l->name, id, seen[id]);
	CHECK(seen[201] == 0, "%s: the row added before the reader's place showed", l->name);
	CHECK(seen[202] == 1, "%s: the row added after the reader's place seen %d times", l->name,
	      seen[202]);
	CHECK(pages >= 4, "%s: %d pages", l->name, pages);

	/* the cursor, edited by a character, is refused in Korean */
	struct resp r;
	size_t n = strlen(first_cursor);
	if (n > 4) {
		first_cursor[n / 2] = first_cursor[n / 2] == 'A' ? 'B' : 'A';
		snprintf(url, sizeof(url), "%s&cursor=%s", l->first, first_cursor);
		t_get(c, url, &r);
		CHECK_INT(r.status, 400);
		CHECK_CONTAINS(r.body.s, "bad_cursor");
		CHECK_CONTAINS(r.body.s, "cursor가 올바르지 않습니다");
		t_resp_free(&r);
	}
	snprintf(url, sizeof(url), "%s&cursor=%%%%%%", l->first);
	t_get(c, url, &r);
	CHECK_INT(r.status, 400);
	t_resp_free(&r);
	/* limits out of bounds: 422 naming the field */
	static const char *const bad[] = {"0", "-1", "abc", "101", "2x", "99999999999999999999"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		char base[256];
		bz_strlcpy(base, l->first, sizeof(base));
		char *lim = strstr(base, "limit=2");
		if (lim)
			*lim = '\0';
		snprintf(url, sizeof(url), "%slimit=%s", base, bad[i]);
		t_get(c, url, &r);
		CHECK(r.status == 422, "%s limit=%s: %ld", l->name, bad[i], r.status);
		json_t *j = t_json(&r);
		const char *msg = json_string_value(json_object_get(
		    json_object_get(json_object_get(j, "error"), "fields"), "limit"));
		CHECK(msg && strstr(msg, "limit는 1부터"), "%s: limit message %s", l->name,
		      msg ? msg : "(none)");
		json_decref(j);
		t_resp_free(&r);
	}
}

/* A department user's case list puts their own referrals first: the cursor
 * carries that too. */
static void department_walk(void)
{
	t_sql_exec(
	    d.db, "INSERT INTO case_referral (case_id, department_id, role, owner_id, due_on, "
	          "created_at) SELECT v.column1, u.department_id, 'lead', CASE WHEN v.column2 THEN "
	          "u.id END, '2024-06-01', '2024-05-01T00:00:00Z' FROM (VALUES (101, 0), (102, 1), "
	          "(104, 0), (105, 1), (107, 0)) v, app_user u WHERE u.login = 'department'");
	struct client c;
	t_client_init(&c, &d);
	t_login(&c, "department", T_PASSWORD);
	char url[2048] = "/api/v1/cases?limit=1";
	int order[10], n = 0;
	for (int guard = 0; guard < 10; guard++) {
		struct resp r;
		t_get(&c, url, &r);
		CHECK_INT(r.status, 200);
		json_t *j = t_json(&r);
		t_resp_free(&r);
		json_t *row = json_array_get(json_object_get(j, "cases"), 0);
		if (row && n < 10)
			order[n++] = (int)json_integer_value(json_object_get(row, "id"));
		const char *next = json_string_value(json_object_get(j, "next_url"));
		if (next == NULL) {
			json_decref(j);
			break;
		}
		snprintf(url, sizeof(url), "/api/v1%s", next);
		json_decref(j);
	}
	/* mine first (102, 105), then the others by deadline */
	static const int want[] = {102, 105, 101, 104, 107};
	CHECK_INT(n, 5);
	for (int i = 0; i < n && i < 5; i++)
		CHECK(order[i] == want[i], "department page %d: case %d, expected %d", i + 1,
		      order[i], want[i]);
	t_client_free(&c);
}

/* The other orders of the company list: every company once, in order. */
static void company_orders(struct client *c)
{
	static const char *const sorts[] = {"employees", "recent"};
	for (size_t s = 0; s < BZ_ARRAY_LEN(sorts); s++) {
		char url[2048];
		snprintf(url, sizeof(url), "/api/v1/companies?sort=%s&limit=2", sorts[s]);
		int seen[300] = {0}, n = 0;
		for (int guard = 0; guard < 20; guard++) {
			struct resp r;
			t_get(c, url, &r);
			CHECK_INT(r.status, 200);
			json_t *j = t_json(&r);
			t_resp_free(&r);
			size_t i;
			json_t *row;
			json_array_foreach(json_object_get(j, "companies"), i, row)
			{
				json_int_t id = json_integer_value(json_object_get(row, "id"));
				if (id > 0 && id < 300)
					seen[id]++;
				n++;
			}
			const char *next = json_string_value(json_object_get(j, "next_url"));
			if (next == NULL) {
				json_decref(j);
				break;
			}
			snprintf(url, sizeof(url), "/api/v1%s", next);
			json_decref(j);
		}
		static const int ids[] = {1, 2, 101, 103, 104, 105, 106, 107, 201, 202};
		for (size_t k = 0; k < BZ_ARRAY_LEN(ids); k++)
			CHECK(seen[ids[k]] == 1, "companies by %s: %d seen %d times", sorts[s],
			      ids[k], seen[ids[k]]);
		CHECK(n == 10, "companies by %s: %d rows", sorts[s], n);
	}
}

/* A cursor belongs to its list and its filters. */
static void cursor_scope(struct client *c)
{
	struct resp r;
	t_get(c, "/api/v1/grants?limit=1", &r);
	json_t *j = t_json(&r);
	t_resp_free(&r);
	const char *cur = json_string_value(json_object_get(j, "next_cursor"));
	CHECK(cur != NULL, "grants cursor");
	char url[1024];
	snprintf(url, sizeof(url), "/api/v1/grants?limit=1&status=applied&cursor=%s",
	         cur ? cur : "");
	t_get(c, url, &r);
	CHECK_INT(r.status, 400);
	t_resp_free(&r);
	snprintf(url, sizeof(url), "/api/v1/comm?year=&limit=1&cursor=%s", cur ? cur : "");
	t_get(c, url, &r);
	CHECK_INT(r.status, 400);
	t_resp_free(&r);
	/* the same filters in another order keep the cursor */
	json_decref(j);
	t_get(c, "/api/v1/grants?status=applied&year=2024&limit=1", &r);
	j = t_json(&r);
	t_resp_free(&r);
	cur = json_string_value(json_object_get(j, "next_cursor"));
	CHECK(cur != NULL, "filtered grants cursor");
	snprintf(url, sizeof(url), "/api/v1/grants?limit=1&year=2024&status=applied&cursor=%s",
	         cur ? cur : "");
	t_get(c, url, &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);
	json_decref(j);
	/* the JSON face carries the page's flash too (once), as the page does */
	t_post_form(c, "/comm", "kind=other&held_on=2024-05-03&title=%EC%83%88+%EA%B8%B0%EB%A1%9D",
	            &r);
	CHECK_INT(r.status, 303);
	t_resp_free(&r);
	t_get(c, "/api/v1/comm?year=2024", &r);
	j = t_json(&r);
	t_resp_free(&r);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "flash"), "message")),
	          "시민소통 기록을 저장했습니다.");
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "me"), "login")), "leader");
	json_decref(j);
	t_get(c, "/api/v1/comm?year=2024", &r);
	j = t_json(&r);
	t_resp_free(&r);
	CHECK(json_object_get(j, "flash") == NULL, "the flash shows once");
	json_decref(j);
	/* the browser page offers the next page of communication entries */
	t_get(c, "/comm?year=&limit=2", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "rel=\"next\"");
	t_resp_free(&r);
}

int main(void)
{
	if (!t_start(&d, NULL))
		return 1;
	struct client c;
	t_client_init(&c, &d);
	t_login(&c, "leader", T_PASSWORD);
	for (size_t i = 0; i < BZ_ARRAY_LEN(lists); i++)
		walk(&c, &lists[i]);
	cursor_scope(&c);
	company_orders(&c);
	department_walk();
	t_client_free(&c);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
