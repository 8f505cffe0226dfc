/* The case list's closing-date filters (closed_from, closed_to) against the
 * card's 기업SOS처리 실적: on the demo database the link the card gives for
 * 2023, 2024 and 2025 lists exactly as many cases as the card counts, every
 * one of them done and closed in the period; a merged case leaves both the
 * count and the list; the filters are echoed in the form; bad dates and a
 * reversed range are 422 with a Korean message (HTML and JSON); a department
 * user sees only its own department's cases through the same link. */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

/* The target rows of the card as of 2025 Q4: {period: row}. */
static json_t *card_targets(struct client *c)
{
	json_t *card = t_api(c, "GET", "/card?year=2025&quarter=4", NULL, NULL);
	json_t *out = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(json_object_get(card, "targets"), "periods"), i, t)
	    json_object_set(out, json_string_value(json_object_get(t, "period")), t);
	json_decref(card);
	return out;
}

/* Walks every page of the list at href; checks each row is done and closed
 * within [first, last]; returns the number of rows seen (and *total the
 * list's own count). */
static int64_t walk(struct client *c, const char *href, const char *first, const char *last,
                    int64_t *total)
{
	int64_t seen = 0;
	*total = -1;
	for (int page = 1; page < 50; page++) {
		char path[512];
		snprintf(path, sizeof(path), "%s&page=%d", href, page);
		long st = 0;
		json_t *j = t_api(c, "GET", path, NULL, &st);
		CHECK_INT(st, 200);
		if (*total < 0)
			*total = json_integer_value(json_object_get(j, "total"));
		json_t *rows = json_object_get(j, "cases");
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			const char *status = json_string_value(json_object_get(row, "status"));
			const char *closed = json_string_value(json_object_get(row, "closed_on"));
			CHECK_STR(status, "done");
			CHECK(closed && strcmp(closed, first) >= 0 && strcmp(closed, last) <= 0,
			      "case %s closed %s, outside %s..%s",
			      json_string_value(json_object_get(row, "case_no")),
			      closed ? closed : "(null)", first, last);
			CHECK(json_is_null(json_object_get(row, "merged_into")), "not merged");
			seen++;
		}
		bool more = json_object_get(json_object_get(j, "pager"), "next") != NULL;
		json_decref(j);
		if (!more)
			break;
	}
	return seen;
}

static void same_as_card(struct client *c, json_t *targets, const char *period, int64_t expect)
{
	json_t *t = json_object_get(targets, period);
	CHECK(t != NULL, "card has a target row for %s", period);
	if (t == NULL)
		return;
	int64_t actual = json_integer_value(json_object_get(t, "actual"));
	const char *href = json_string_value(json_object_get(t, "cases_href"));
	const char *first = json_string_value(json_object_get(t, "first"));
	const char *last = json_string_value(json_object_get(t, "last"));
	CHECK(href && strstr(href, "status=done&closed_from=") == href + strlen("/cases?"),
	      "card links %s to the done cases: %s", period, href ? href : "(none)");
	if (expect >= 0)
		CHECK_INT(actual, expect);
	if (href == NULL || first == NULL || last == NULL)
		return;
	int64_t total = 0;
	int64_t seen = walk(c, href, first, last, &total);
	CHECK(total == actual, "%s: the card counts %lld, its link lists %lld", period,
	      (long long)actual, (long long)total);
	CHECK(seen == actual, "%s: the card counts %lld, the pages hold %lld rows", period,
	      (long long)actual, (long long)seen);
}

static int64_t list_total(struct client *c, const char *path)
{
	long st = 0;
	json_t *j = t_api(c, "GET", path, NULL, &st);
	CHECK_INT(st, 200);
	int64_t n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

/* A 422 for path, in HTML (message shown, the bad value echoed) and in JSON
 * (the field named). */
static void refused(struct client *c, const char *path, const char *field, const char *msg)
{
	struct resp r;
	t_get(c, path, &r);
	CHECK(r.status == 422, "%s answered %ld", path, r.status);
	CHECK_CONTAINS(r.body.s, msg);
	CHECK_CONTAINS(r.body.s, "aria-invalid=\"true\"");
	t_resp_free(&r);
	long st = 0;
	json_t *j = t_api(c, "GET", path, NULL, &st);
	CHECK_INT(st, 422);
	json_t *fields = json_object_get(json_object_get(j, "error"), "fields");
	CHECK(json_object_get(fields, field) != NULL, "%s: error on %s", path, field);
	json_decref(j);
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"leader", "department", NULL});
	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client leader, dept;
	t_client_init(&leader, &d);
	t_client_init(&dept, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);
	CHECK_INT(t_login(&dept, "department", T_PASSWORD), 303);

	/* 1. the card's actual and the list its link opens, for 2023..2025 (the demo
	 * completes 64, 68 and 71 cases in those years) */
	json_t *targets = card_targets(&leader);
	same_as_card(&leader, targets, "2023", 64);
	same_as_card(&leader, targets, "2024", 68);
	same_as_card(&leader, targets, "2025", 71);
	json_decref(targets);

	/* the progress page's links count the same way */
	json_t *prog = t_api(&leader, "GET", "/progress?year=2024&quarter=2", NULL, NULL);
	json_t *done = json_object_get(json_object_get(prog, "cases"), "done");
	const char *hq = json_string_value(json_object_get(done, "href_quarter"));
	const char *hy = json_string_value(json_object_get(done, "href_ytd"));
	CHECK(hq && hy, "progress links to its cases");
	if (hq && hy) {
		CHECK_INT(list_total(&leader, hq),
		          json_integer_value(json_object_get(done, "quarter")));
		CHECK_INT(list_total(&leader, hy),
		          json_integer_value(json_object_get(done, "ytd")));
	}
	json_decref(prog);

	/* 2. the filter alone (any status) counts every case closed in the period:
	 * the demo closes 2 withdrawn and 2 transferred cases in 2024 too */
	CHECK_INT(list_total(&leader, "/cases?closed_from=2024-01-01&closed_to=2024-12-31"), 72);
	CHECK_INT(list_total(&leader,
	                     "/cases?status=withdrawn&closed_from=2024-01-01&closed_to=2024-12-31"),
	          2);
	/* open-ended on either side; open cases have no closing date */
	int64_t upto = list_total(&leader, "/cases?status=done&closed_to=2024-12-31");
	CHECK_INT(upto, 64 + 68);
	/* to the end of the planned data: the demo's recent months (from 2026-07)
	 * close more, however many the day it runs on brings */
	CHECK_INT(
	    list_total(&leader, "/cases?status=done&closed_from=2025-01-01&closed_to=2026-06-30"),
	    71 + 77);
	CHECK(list_total(&leader, "/cases?status=done&closed_from=2025-01-01") >= 71 + 77,
	      "open-ended from 2025");
	CHECK_INT(list_total(&leader, "/cases?status=open&closed_from=2020-01-01"), 0);

	/* 3. a merged case leaves the card and the list alike */
	json_t *one =
	    t_api(&leader, "GET", "/cases?status=done&closed_from=2024-01-01&closed_to=2024-12-31",
	          NULL, NULL);
	int64_t merged_id = json_integer_value(
	    json_object_get(json_array_get(json_object_get(one, "cases"), 0), "id"));
	int64_t into_id = json_integer_value(
	    json_object_get(json_array_get(json_object_get(one, "cases"), 1), "id"));
	json_decref(one);
	sqlite3 *h = NULL;
	CHECK(sqlite3_open(d.db, &h) == SQLITE_OK, "open the database");
	sqlite3_busy_timeout(h, 5000);
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE sos_case SET merged_into = %lld WHERE id = %lld",
	         (long long)into_id, (long long)merged_id);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "merge %s", sqlite3_errmsg(h));
	sqlite3_close(h);
	targets = card_targets(&leader);
	same_as_card(&leader, targets, "2024", 67);
	same_as_card(&leader, targets, "2023", 64);
	json_decref(targets);

	/* 4. the form shows the filters back, opened, with what is listed */
	struct resp r;
	t_get(&leader, "/cases?status=done&closed_from=2024-01-01&closed_to=2024-12-31", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body.s, "name=\"closed_from\" class=\"krds-input\" value=\"2024-01-01\"");
	CHECK_CONTAINS(r.body.s, "name=\"closed_to\" class=\"krds-input\" value=\"2024-12-31\"");
	CHECK_CONTAINS(r.body.s, "<details class=\"app-case-more\" open>");
	CHECK_CONTAINS(r.body.s, "기업SOS처리 실적: 종결일이 2024-01-01 ~ 2024-12-31인 완료 건");
	CHECK_CONTAINS(r.body.s, "<strong>67</strong>건");
	/* the pager keeps the filters */
	CHECK_CONTAINS(r.body.s, "closed_from=2024-01-01&amp;closed_to=2024-12-31&amp;page=2");
	t_resp_free(&r);

	/* 5. bad input: 422 with a Korean message, nothing listed */
	refused(&leader, "/cases?closed_from=2024-13-01", "closed_from",
	        "종결일(부터)은 2024-01-01처럼 있는 날짜로 입력해 주세요.");
	refused(&leader, "/cases?closed_from=2023-02-29", "closed_from", "있는 날짜로");
	refused(&leader, "/cases?closed_to=yesterday", "closed_to",
	        "종결일(까지)은 2024-12-31처럼 있는 날짜로 입력해 주세요.");
	refused(&leader, "/cases?closed_to=2024-1-31", "closed_to", "종결일(까지)");
	refused(&leader, "/cases?closed_from=2024-12-31&closed_to=2024-01-01", "closed_to",
	        "종결일(까지)이 종결일(부터)보다 앞섭니다");
	refused(&leader, "/cases?closed_from=%27%20OR%201=1--", "closed_from", "종결일(부터)");
	/* an empty value is no filter: every done case, the merged one too (shown
	 * as 병합됨 in the list) */
	CHECK_INT(list_total(&leader, "/cases?status=done&closed_from=&closed_to="),
	          list_total(&leader, "/cases?status=done"));
	/* a closing-date filter leaves the merged case out, as the card does */
	CHECK_INT(list_total(&leader, "/cases?status=done&closed_to=2026-06-30"),
	          64 + 67 + 71 + 77);

	/* 6. a department user gets only its department's cases through the same
	 * link: the demo refers none of 2024's cases to 건축과 (its referrals are
	 * recent) */
	CHECK_INT(
	    list_total(&dept, "/cases?status=done&closed_from=2024-01-01&closed_to=2024-12-31"), 0);

	t_client_free(&leader);
	t_client_free(&dept);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
