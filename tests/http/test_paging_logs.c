/* Keyset paging of the logs: the audit trail (/admin/audit, a merge of six
 * sources keyed by at, id and source), the access log (/admin/privacy), the
 * outbox (/admin/outbox, with and without a status) and the notifications
 * (/notifications), each keyed by id. A walk by ?limit=2 and next_url sees
 * every row once and in the order of the whole list, while rows are added
 * between two pages both before the reader's place (never shown) and after it
 * (shown once, in its place). The browser pages keep their page numbers and
 * offer 처음/다음 on a cursor page; the CSV export still holds every row of
 * the filter. A cursor that is garbage, edited, from another list or other
 * filters, of the old page-number kind, or checked but of the wrong shape is a
 * Korean 400, never a 500. */
#include "harness.h"

#include <sodium.h>
#include <stdlib.h>

static struct daemon d;

/* One list under test: its first page (limit 2, API path), the array of its
 * page model, how a row is named ("source:id" or "id"), the rows seeded before
 * the walk, the rows added after the first page, and the whole order expected
 * from the walk. */
struct list {
	const char *name;
	const char *first;
	const char *rows_key;
	bool with_source;
	const char *seed;
	const char *between;
	const char *const *want;   /* NULL-terminated */
	const char *const *hidden; /* rows added before the reader's place */
};

/* audit: ties in time across sources (account < case < company by source name)
 * and within a source; the order is at DESC, id DESC, source. */
static const char AUDIT_SEED[] =
    "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) VALUES (1, "
    "'가나상사', '가나상사', '1111111111', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel, "
    "category_id, title, due_on, status, created_at, updated_at) VALUES (1, 'SOS-2024-0001', 1, "
    "'2024-05-01T00:00:00Z', '2024-05-01', 'visit', (SELECT min(id) FROM case_category), "
    "'애로', '2024-05-10', 'received', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z');"
    "INSERT INTO audit_log (id, at, actor_id, action, object, detail) VALUES "
    "(1001, '2024-05-01T05:00:00Z', NULL, 'holiday.add', 'holiday:2024-05-06', NULL), "
    "(1002, '2024-05-01T05:00:00Z', NULL, 'holiday.add', 'holiday:2024-05-07', NULL), "
    "(1003, '2024-05-01T03:00:00Z', NULL, 'holiday.add', 'holiday:2024-05-08', NULL), "
    "(1004, '2024-04-20T03:00:00Z', NULL, 'holiday.add', 'holiday:2024-05-09', NULL);"
    "INSERT INTO company_event (id, company_id, at, actor_id, kind, field, old, new) VALUES "
    "(1001, 1, '2024-05-01T05:00:00Z', NULL, 'update', 'zone', 'A', 'B'), "
    "(1002, 1, '2024-05-01T04:00:00Z', NULL, 'update', 'zone', 'B', 'C');"
    "INSERT INTO case_event (id, case_id, at, actor_id, kind, field, old, new, note) VALUES "
    "(1001, 1, '2024-05-01T01:00:00Z', NULL, 'note', NULL, NULL, NULL, '메모 하나'), "
    "(1002, 1, '2024-05-01T05:00:00Z', NULL, 'note', NULL, NULL, NULL, '메모 둘')";
/* before the place: newer (2001) and a tie in time with a higher id (1500);
 * after it: a tie in time with a lower id (900), an older one (500) */
static const char AUDIT_BETWEEN[] =
    "INSERT INTO audit_log (id, at, actor_id, action, object, detail) VALUES "
    "(2001, '2024-05-01T06:00:00Z', NULL, 'holiday.add', 'holiday:2024-05-10', NULL), "
    "(1500, '2024-05-01T05:00:00Z', NULL, 'holiday.add', 'holiday:2024-05-11', NULL);"
    "INSERT INTO company_event (id, company_id, at, actor_id, kind, field, old, new) VALUES "
    "(900, 1, '2024-05-01T05:00:00Z', NULL, 'update', 'zone', 'C', 'D');"
    "INSERT INTO case_event (id, case_id, at, actor_id, kind, field, old, new, note) VALUES "
    "(500, 1, '2024-05-01T02:00:00Z', NULL, 'note', NULL, NULL, NULL, '메모 셋')";
static const char *const AUDIT_WANT[] = {
    "account:1002", "case:1002",    "account:1001", "company:1001", "company:900",
    "company:1002", "account:1003", "case:500",     "case:1001",    NULL};
static const char *const AUDIT_HIDDEN[] = {"account:2001", "account:1500", NULL};

/* privacy_access rows (id, at) for the leader; the hash chain is not checked
 * here, only unique */
#define PRIVACY_INSERT                                                                             \
	"INSERT INTO privacy_access (id, at, user_id, login, action, subject_kind, subject_id, "   \
	"subject, what, remote, prev_hash, hash) SELECT v.column1, v.column2, u.id, 'leader', "    \
	"'view', 'company', 1, '가나상사 담당자', 'contacts:1', '127.0.0.1', "              \
	"printf('%064d', 0), printf('%064d', v.column1) FROM app_user u, (VALUES "
static const char PRIVACY_SEED[] =
    PRIVACY_INSERT "(1001, '2024-05-01T01:00:00Z'), (1002, '2024-05-01T01:00:00Z'), "
                   "(1003, '2024-05-01T02:00:00Z'), (1004, '2024-05-01T02:00:00Z'), "
                   "(1005, '2024-05-01T03:00:00Z'), (1006, '2024-04-01T03:00:00Z')) v "
                   "WHERE u.login = 'leader'";
static const char PRIVACY_BETWEEN[] = PRIVACY_INSERT
    "(2001, '2024-05-01T04:00:00Z'), (500, '2024-05-01T00:30:00Z')) v WHERE u.login = 'leader'";
static const char *const PRIVACY_WANT[] = {"1005", "1004", "1003", "1002", "1001", "500", NULL};
static const char *const PRIVACY_HIDDEN[] = {"2001", NULL};

/* outbox rows (id, status) */
#define OUTBOX_INSERT                                                                              \
	"INSERT INTO outbox (id, msg_key, channel, target, kind, subject, body, status, tries, "   \
	"created_at) SELECT v.column1, 'k' || v.column1, 'email', 'a@example.kr', "                \
	"'case_assigned', '제목', '본문', v.column2, 0, '2024-05-01T00:00:00Z' FROM (VALUES "
static const char OUTBOX_SEED[] = OUTBOX_INSERT
    "(1001, 'sent'), (1002, 'failed'), (1003, 'sent'), (1004, 'failed'), (1005, 'failed'), "
    "(1006, 'sent')) v";
static const char OUTBOX_BETWEEN[] =
    OUTBOX_INSERT "(2001, 'failed'), (500, 'failed'), (501, 'sent')) v";
static const char *const OUTBOX_WANT[] = {"1006", "1005", "1004", "1003", "1002",
                                          "1001", "501",  "500",  NULL};
static const char *const OUTBOX_FAILED_WANT[] = {"2001", "1005", "1004", "1002", "500", NULL};
static const char *const OUTBOX_HIDDEN[] = {"2001", NULL};

/* notification rows (id, login, read_at) */
#define NOTICE_INSERT                                                                              \
	"INSERT INTO notification (id, user_id, kind, title, link, created_at, read_at) SELECT "   \
	"v.column1, u.id, 'case_assigned', '알림 ' || v.column1, '/cases/1', "                   \
	"'2024-05-01T00:00:00Z', v.column3 FROM app_user u JOIN (VALUES "
/* the admin's notices (1002 read), and one of the leader's that never shows */
static const char NOTICE_SEED[] = NOTICE_INSERT
    "(1001, 'admin', NULL), (1002, 'admin', '2024-05-02T00:00:00Z'), (1003, 'admin', NULL), "
    "(1004, 'admin', NULL), (1005, 'admin', NULL), (1006, 'leader', NULL)) v "
    "ON v.column2 = u.login";
static const char NOTICE_BETWEEN[] =
    NOTICE_INSERT "(2001, 'admin', NULL), (500, 'admin', NULL)) v ON v.column2 = u.login";
static const char *const NOTICE_WANT[] = {"1005", "1004", "1003", "1002", "1001", "500", NULL};
static const char *const NOTICE_UNREAD_WANT[] = {"2001", "1005", "1004", "1003",
                                                 "1001", "500",  NULL};
static const char *const NOTICE_HIDDEN[] = {"2001", NULL};

static const struct list lists[] = {
    {"audit", "/api/v1/admin/audit?from=2024-05-01&to=2024-05-01&limit=2", "entries", true,
     AUDIT_SEED, AUDIT_BETWEEN, AUDIT_WANT, AUDIT_HIDDEN},
    {"privacy", "/api/v1/admin/privacy?from=2024-05-01&to=2024-05-01&limit=2", "rows", false,
     PRIVACY_SEED, PRIVACY_BETWEEN, PRIVACY_WANT, PRIVACY_HIDDEN},
    {"outbox", "/api/v1/admin/outbox?limit=2", "messages", false, OUTBOX_SEED, OUTBOX_BETWEEN,
     OUTBOX_WANT, OUTBOX_HIDDEN},
    {"notifications", "/api/v1/notifications?limit=2", "notifications", false, NOTICE_SEED,
     NOTICE_BETWEEN, NOTICE_WANT, NOTICE_HIDDEN},
};

static void row_name(json_t *row, bool with_source, char *out, size_t outlen)
{
	json_int_t id = json_integer_value(json_object_get(row, "id"));
	if (with_source)
		snprintf(out, outlen, "%s:%lld", t_str(row, "source"), (long long)id);
	else
		snprintf(out, outlen, "%lld", (long long)id);
}

/* Walks url by next_url to the end (running between, when given, after the
 * first page), collecting the row names in order; returns how many (at most
 * max). first_cursor gets the first page's next_cursor. */
static int walk(struct client *c, const char *url0, const char *rows_key, bool with_source,
                const char *between, char names[][32], int max, char *first_cursor,
                size_t cursor_len)
{
	char url[8192];
	bz_strlcpy(url, url0, sizeof(url));
	int n = 0, pages = 0;
	for (;;) {
		long st = 0;
		json_t *j = t_get_json(c, url, &st);
		CHECK(st == 200, "%s answered %ld", url, st);
		if (j == NULL)
			break;
		json_t *rows = json_object_get(j, rows_key);
		bool small = strstr(url0, "limit=2") != NULL;
		CHECK(!small || json_array_size(rows) <= 2, "%s: %zu rows on a page of 2", url,
		      json_array_size(rows));
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			if (n < max)
				row_name(row, with_source, names[n], sizeof(names[n]));
			n++;
		}
		pages++;
		if (pages == 1 && between)
			t_sql_exec(d.db, between);
		const char *cur = json_string_value(json_object_get(j, "next_cursor"));
		const char *next = json_string_value(json_object_get(j, "next_url"));
		CHECK((cur == NULL) == (next == NULL), "%s: next_cursor and next_url together",
		      url);
		if (pages > 1)
			CHECK(json_is_true(json_object_get(j, "by_cursor")), "%s: by_cursor", url);
		if (cur && pages == 1 && first_cursor)
			bz_strlcpy(first_cursor, cur, cursor_len);
		if (cur == NULL || next == NULL || pages > 20) {
			json_decref(j);
			break;
		}
		CHECK(strstr(next, small ? "limit=2" : "limit=") && strstr(next, "cursor="),
		      "next_url %s", next);
		snprintf(url, sizeof(url), "/api/v1%s", next);
		json_decref(j);
	}
	return n;
}

static void check_order(const char *what, char names[][32], int n, const char *const *want)
{
	int w = 0;
	while (want[w])
		w++;
	CHECK(n == w, "%s: %d rows, expected %d", what, n, w);
	for (int i = 0; i < n && i < w && i < 64; i++)
		CHECK(strcmp(names[i], want[i]) == 0, "%s: row %d is %s, expected %s", what, i + 1,
		      names[i], want[i]);
}

/* base64url("k" + key + BLAKE2b-8 over path, filters and key): a cursor with a
 * good check, as src/web/cursor.c makes them (for keys of the wrong shape). */
static void forge(const char *path, const char *const *filters, const char *key, char *out,
                  size_t outlen)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, (const unsigned char *)"bizsos-cursor-v1", 16, 8);
	crypto_generichash_update(&st, (const unsigned char *)path, strlen(path) + 1);
	for (size_t i = 0; filters && filters[i]; i++)
		crypto_generichash_update(&st, (const unsigned char *)filters[i],
		                          strlen(filters[i]) + 1);
	crypto_generichash_update(&st, (const unsigned char *)key, strlen(key));
	unsigned char raw[512];
	size_t klen = strlen(key);
	raw[0] = 'k';
	memcpy(raw + 1, key, klen);
	crypto_generichash_final(&st, raw + 1 + klen, 8);
	sodium_bin2base64(out, outlen, raw, 1 + klen + 8, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void bad_cursor(struct client *c, const char *url, const char *why)
{
	long st = 0;
	json_t *j = t_get_json(c, url, &st);
	CHECK(st == 400, "%s (%s): %ld", why, url, st);
	CHECK_STR(t_jstr(j, "error", "code"), "bad_cursor");
	const char *msg = t_jstr(j, "error", "message");
	CHECK(msg && strstr(msg, "cursor가 올바르지 않습니다"), "%s: message %s", why,
	      msg ? msg : "(none)");
	json_decref(j);
}

static void bad_cursors(struct client *c, const struct list *l, char *first_cursor)
{
	char url[8192];
	snprintf(url, sizeof(url), "%s&cursor=zzzz", l->first);
	bad_cursor(c, url, "garbage");
	snprintf(url, sizeof(url), "%s&cursor=%%%%%%", l->first);
	bad_cursor(c, url, "not base64");
	/* the old page-number cursor ("p2") */
	snprintf(url, sizeof(url), "%s&cursor=cDI", l->first);
	bad_cursor(c, url, "page cursor");
	size_t n = strlen(first_cursor);
	CHECK(n > 8, "%s: a first cursor", l->name);
	if (n > 8) {
		/* carried to other filters */
		snprintf(url, sizeof(url), "%s&user=x&cursor=%s", l->first, first_cursor);
		bad_cursor(c, url, "other filters");
		char edited[1024];
		bz_strlcpy(edited, first_cursor, sizeof(edited));
		edited[n / 2] = edited[n / 2] == 'A' ? 'B' : 'A';
		snprintf(url, sizeof(url), "%s&cursor=%s", l->first, edited);
		bad_cursor(c, url, "edited");
		edited[n - 1] = '\0';
		snprintf(url, sizeof(url), "%s&cursor=%s", l->first, edited);
		bad_cursor(c, url, "cut short");
	}
}

/* A cursor of one list on the others: refused. */
static void cross_lists(struct client *admin, char cursors[][1024])
{
	for (size_t a = 0; a < BZ_ARRAY_LEN(lists); a++)
		for (size_t b = 0; b < BZ_ARRAY_LEN(lists); b++) {
			if (a == b || cursors[a][0] == '\0')
				continue;
			char url[8192];
			snprintf(url, sizeof(url), "%s&cursor=%s", lists[b].first, cursors[a]);
			bad_cursor(admin, url, lists[a].name);
		}
}

/* Checked cursors whose key has the wrong shape: 400, not a 500. */
static void wrong_shapes(struct client *admin)
{
	static const char *const audit_filters[] = {"from", "2024-05-01", "to", "2024-05-01", NULL};
	static const char *const audit_keys[] = {
	    "[1,2,3]", "[\"a\",\"b\"]", "[\"a\",\"b\",\"c\"]", "{}", "[\"a\",\"b\",1,2]", "1"};
	char cur[512], url[8192];
	for (size_t i = 0; i < BZ_ARRAY_LEN(audit_keys); i++) {
		forge("/admin/audit", audit_filters, audit_keys[i], cur, sizeof(cur));
		snprintf(url, sizeof(url), "%s&cursor=%s", lists[0].first, cur);
		bad_cursor(admin, url, audit_keys[i]);
	}
	/* the right shape forged is a place like any other: 200 */
	forge("/admin/audit", audit_filters, "[\"2024-05-01T05:00:00Z\",\"account\",1001]", cur,
	      sizeof(cur));
	snprintf(url, sizeof(url), "%s&cursor=%s", lists[0].first, cur);
	long st = 0;
	json_t *j = t_get_json(admin, url, &st);
	CHECK_INT(st, 200);
	char first[32] = "";
	json_t *row = json_array_get(json_object_get(j, "entries"), 0);
	if (row)
		row_name(row, true, first, sizeof(first));
	CHECK_STR(first, "company:1001");
	json_decref(j);
	static const char *const id_keys[] = {"[\"1\"]", "[1,2]", "[null]", "[1.5]", "[]"};
	static const char *const paths[] = {"/admin/outbox", "/notifications"};
	static const char *const firsts[] = {"/api/v1/admin/outbox?limit=2",
	                                     "/api/v1/notifications?limit=2"};
	for (size_t p = 0; p < BZ_ARRAY_LEN(paths); p++)
		for (size_t i = 0; i < BZ_ARRAY_LEN(id_keys); i++) {
			forge(paths[p], NULL, id_keys[i], cur, sizeof(cur));
			snprintf(url, sizeof(url), "%s&cursor=%s", firsts[p], cur);
			bad_cursor(admin, url, id_keys[i]);
		}
	/* a negative or zero id is past every row: an empty last page */
	forge("/notifications", NULL, "[0]", cur, sizeof(cur));
	snprintf(url, sizeof(url), "/api/v1/notifications?limit=2&cursor=%s", cur);
	j = t_get_json(admin, url, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_array_size(json_object_get(j, "notifications")), 0);
	CHECK(json_object_get(j, "next_cursor") == NULL, "no next_cursor past the end");
	json_decref(j);
}

/* The browser: page numbers as before, 처음/다음 on a cursor page, and the CSV
 * export of the whole filter. */
static void browser(struct client *admin, const char *audit_cursor)
{
	struct resp r;
	t_get(admin, "/admin/audit?from=2024-05-01&to=2024-05-01&limit=2", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "page=2");
	CHECK_CONTAINS(r.body.s, "1 / 6쪽");
	t_resp_free(&r);
	t_get(admin, "/admin/audit?from=2024-05-01&to=2024-05-01&limit=2&page=3", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "page=2");
	CHECK_CONTAINS(r.body.s, "page=4");
	t_resp_free(&r);
	char url[8192];
	snprintf(url, sizeof(url), "/admin/audit?from=2024-05-01&to=2024-05-01&limit=2&cursor=%s",
	         audit_cursor);
	t_get(admin, url, &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, ">처음</a>");
	CHECK_CONTAINS(r.body.s, "cursor=");
	CHECK(strstr(r.body.s, "쪽</p>") == NULL, "no page numbers on a cursor page");
	t_resp_free(&r);
	static const char *const pages[] = {
	    "/admin/privacy?limit=2", "/admin/outbox?limit=2", "/notifications?limit=2",
	    "/admin/outbox?page=2&limit=2", "/notifications?page=99"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(pages); i++) {
		t_get(admin, pages[i], &r);
		CHECK(r.status == 200, "%s: %ld", pages[i], r.status);
		t_resp_free(&r);
	}
	/* exports: every row of the filter, hidden rows included, no page cap */
	static const struct {
		const char *url;
		int rows;
	} exports[] = {
	    {"/admin/audit.csv?from=2024-05-01&to=2024-05-01&limit=2&cursor=x&reason=", 11},
	    {"/admin/privacy.csv?from=2024-05-01&to=2024-05-01&limit=2&reason=", 7},
	    {"/admin/outbox.csv?status=failed&reason=", 5},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(exports); i++) {
		snprintf(url, sizeof(url), "%s%s", exports[i].url, t_enc("정기 점검 자료"));
		t_get(admin, url, &r);
		CHECK(r.status == 200, "%s: %ld", exports[i].url, r.status);
		int lines = 0;
		for (const char *p = r.body.s; p && *p; p++)
			lines += *p == '\n';
		CHECK(lines == exports[i].rows + 1, "%s: %d lines, expected %d rows and a header",
		      exports[i].url, lines, exports[i].rows);
		t_resp_free(&r);
	}
	/* the XLSX of the audit trail: the same rows */
	snprintf(url, sizeof(url), "/admin/audit.xlsx?from=2024-05-01&to=2024-05-01&reason=%s",
	         t_enc("정기 점검 자료"));
	t_get(admin, url, &r);
	CHECK_INT(r.status, 200);
	char *sheet = t_zip_part(&r, "xl/worksheets/sheet1.xml");
	int xrows = 0;
	for (const char *p = sheet; p && (p = strstr(p, "<row ")) != NULL; p++)
		xrows++;
	CHECK(xrows == 12, "audit.xlsx: %d rows, expected 11 and a header", xrows);
	free(sheet);
	t_resp_free(&r);
}

/* With fault injection built in (-DBIZSOS_FAULT_INJECTION=ON, as under ASan),
 * the Nth statement step of each list and export failing is a 500 or 503 —
 * never a crash, a partial 200 or a leak (the clean stop checks that). Without
 * it the header is ignored and every answer is a 200. */
static void faults(struct client *admin)
{
	static const char *const paths[] = {
	    "/api/v1/admin/audit?from=2024-05-01&to=2024-05-01&limit=2",
	    "/api/v1/admin/privacy?limit=2",
	    "/api/v1/admin/outbox?status=failed&limit=2",
	    "/api/v1/notifications?limit=2",
	    "/admin/"
	    "audit.csv?from=2024-05-01&to=2024-05-01&reason=%EC%A0%95%EA%B8%B0+%EC%A0%90%EA%B2%80",
	    "/admin/outbox.csv?reason=%EC%A0%95%EA%B8%B0+%EC%A0%90%EA%B2%80"};
	for (size_t i = 0; i < BZ_ARRAY_LEN(paths); i++)
		for (int n = 1; n <= 8; n++) {
			char h[64];
			snprintf(h, sizeof(h), "X-Bizsos-Fault: step=%d", n);
			const char *headers[] = {h, NULL};
			struct resp r;
			t_request(admin, "GET", paths[i], NULL, NULL, 0, headers, &r);
			char fired[8] = "";
			bool hit = t_header(&r, "X-Bizsos-Fault-Fired", fired, sizeof(fired)) &&
			           strcmp(fired, "1") == 0;
			CHECK(hit ? r.status == 500 || r.status == 503 : r.status == 200,
			      "%s with step=%d failing (fired %s): %ld", paths[i], n, fired,
			      r.status);
			t_resp_free(&r);
		}
}

int main(void)
{
	if (!t_start(&d, NULL) || sodium_init() < 0)
		return 1;
	struct client admin;
	t_sign_in(&admin, &d, "admin");
	static char cursors[BZ_ARRAY_LEN(lists)][1024];
	for (size_t i = 0; i < BZ_ARRAY_LEN(lists); i++) {
		const struct list *l = &lists[i];
		t_sql_exec(d.db, l->seed);
		char names[64][32];
		int n = walk(&admin, l->first, l->rows_key, l->with_source, l->between, names, 64,
		             cursors[i], sizeof(cursors[i]));
		check_order(l->name, names, n, l->want);
		/* the whole list now, in one page: the walk's rows plus the hidden ones */
		char all[2048];
		bz_strlcpy(all, l->first, sizeof(all));
		char *lim = strstr(all, "limit=2");
		if (lim)
			memcpy(lim, "limit=99", 9);
		char full[64][32];
		int m = walk(&admin, all, l->rows_key, l->with_source, NULL, full, 64, NULL, 0);
		int h = 0;
		while (l->hidden[h])
			h++;
		CHECK(m == n + h, "%s: the whole list has %d rows, the walk %d and %d hidden",
		      l->name, m, n, h);
		int k = 0;
		for (int j = 0; j < m && j < 64; j++) {
			bool hidden = false;
			for (int q = 0; q < h; q++)
				hidden = hidden || strcmp(full[j], l->hidden[q]) == 0;
			if (hidden)
				continue;
			CHECK(k < n && strcmp(full[j], names[k]) == 0,
			      "%s: the whole list's row %d (%s) differs from the walk's", l->name,
			      j + 1, full[j]);
			k++;
		}
		bad_cursors(&admin, l, cursors[i]);
	}
	/* a filtered walk: the outbox's failed messages, the unread notices */
	char names[64][32];
	int n = walk(&admin, "/api/v1/admin/outbox?status=failed&limit=2", "messages", false, NULL,
	             names, 64, NULL, 0);
	check_order("failed outbox", names, n, OUTBOX_FAILED_WANT);
	n = walk(&admin, "/api/v1/notifications?unread=1&limit=2", "notifications", false, NULL,
	         names, 64, NULL, 0);
	check_order("unread notices", names, n, NOTICE_UNREAD_WANT);
	cross_lists(&admin, cursors);
	wrong_shapes(&admin);
	browser(&admin, cursors[0]);
	faults(&admin);
	t_client_free(&admin);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	curl_global_cleanup();
	return t_done();
}
