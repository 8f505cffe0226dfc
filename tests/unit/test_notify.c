/* Notices without HTTP (src/domain/notify.c, outbox.c, src/jobs/deliver.c):
 *   - the daily run: due in two working days (across a weekend), overdue to
 *     the owner and to the department of an overdue referral, nothing for
 *     closed or far-off cases; once a day (a second run the same day writes
 *     nothing), never on a weekend or holiday; mail per choice, and the
 *     daily digest (one mail listing the day's notices of digest kinds);
 *   - mail composition: RFC 2047 subject words that decode back, lines of at
 *     most 76, base64 body, Message-ID, no header injection through the
 *     address;
 *   - the webhook signature against a known HMAC-SHA256 vector;
 *   - backoff: doubles, jitter within ±25 %, capped at an hour;
 *   - mail address checks. */
#include "bizsos/bizstatus.h"
#include "bizsos/jobs.h"
#include "bizsos/store_raw.h"
#include "bizsos/notify.h"
#include "bizsos/outbox.h"
#include "bizsos/store.h"
#include "harness.h"

#include <sodium.h>
#include <stdlib.h>

/* Frozen clock: 2025-06-11 (Wednesday) 09:00 KST. */
static time_t fixed_now(void)
{
	return 1749600000;
}

static void daily(struct db *db)
{
	CHECK_INT(
	    db_exec(db, "INSERT INTO department (id, name) VALUES (50, '건축과');"
	                "INSERT INTO app_user (id, login, name, role, password_hash, email, "
	                "department_id) VALUES "
	                "(7, 'kim', '김주무', 'staff', 'x', 'kim@city.example.kr', NULL),"
	                "(8, 'park', '박주무', 'staff', 'x', NULL, NULL),"
	                "(9, 'arch1', '건축1', 'department', 'x', 'a1@city.example.kr', 50),"
	                "(10, 'arch2', '건축2', 'department', 'x', NULL, 50),"
	                "(11, 'arch3', '건축3', 'department', 'x', NULL, 50);"
	                "UPDATE app_user SET disabled_at = '2025-01-01T00:00:00Z' WHERE id = 11;"
	                "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) "
	                "VALUES (1, '한빛정밀', '한빛정밀', '1208147521', '2025-01-01T00:00:00Z', "
	                "'2025-01-01T00:00:00Z');"),
	    BZ_OK);
	/* A due Fri 06-13 (two working days on), B overdue (Tue 06-10) with a
	 * referral past its date, C far off, D done and overdue, E overdue with
	 * nobody to tell, F extended to Fri 06-13 from an earlier date. */
	CHECK_INT(
	    db_exec(
	        db,
	        "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, "
	        "channel, category_id, title, status, due_on, extended_due_on, extension_reason, "
	        "assignee_id, created_by, created_at, updated_at, disposition, outcome, "
	        "notified_method, notified_on) VALUES "
	        "(1, 'SOS-2025-0001', 1, 'x', '2025-06-02', 'visit', 1, '곧 기한', 'received', "
	        "'2025-06-13', NULL, NULL, 7, 7, 'x', 'x', NULL, NULL, NULL, NULL),"
	        "(2, 'SOS-2025-0002', 1, 'x', '2025-05-20', 'visit', 1, '기한 지남', "
	        "'in_progress', "
	        "'2025-06-10', NULL, NULL, NULL, 8, 'x', 'x', NULL, NULL, NULL, NULL),"
	        "(3, 'SOS-2025-0003', 1, 'x', '2025-06-10', 'visit', 1, '먼 기한', 'received', "
	        "'2025-06-30', NULL, NULL, 7, 7, 'x', 'x', NULL, NULL, NULL, NULL),"
	        "(4, 'SOS-2025-0004', 1, 'x', '2025-05-01', 'visit', 1, '끝난 일', 'done', "
	        "'2025-05-12', NULL, NULL, 7, 7, 'x', 'x', 'immediate', 'accepted', 'phone', "
	        "'2025-05-10'),"
	        "(5, 'SOS-2025-0005', 1, 'x', '2025-05-01', 'visit', 1, '주인 없음', 'received', "
	        "'2025-05-12', NULL, NULL, NULL, NULL, 'x', 'x', NULL, NULL, NULL, NULL),"
	        "(6, 'SOS-2025-0006', 1, 'x', '2025-05-01', 'visit', 1, '연장된 일', 'received', "
	        "'2025-06-05', '2025-06-13', '자료 보완', 8, 8, 'x', 'x', NULL, NULL, NULL, "
	        "NULL);"
	        "INSERT INTO case_referral (case_id, department_id, role, due_on, status, "
	        "created_at) VALUES (2, 50, 'lead', '2025-06-09', 'open', 'x'),"
	        "(3, 50, 'lead', '2025-06-09', 'answered', 'x');"
	        "INSERT INTO notify_pref (user_id, kind, mode) VALUES (7, 'due_soon', 'email'),"
	        "(9, 'overdue', 'digest'), (9, 'referral', 'digest');"),
	    BZ_OK);
	bool ran = false;
	/* a Saturday and a holiday (현충일): nothing */
	CHECK_INT(notify_daily_run(db, "2025-06-14", &ran), BZ_OK);
	CHECK(!ran, "no run on a Saturday");
	CHECK_INT(notify_daily_run(db, "2025-06-06", &ran), BZ_OK);
	CHECK(!ran, "no run on a holiday");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification", 0), 0);

	CHECK_INT(notify_daily_run(db, "2025-06-11", &ran), BZ_OK);
	CHECK(ran, "ran on Wednesday");
	/* due soon: A to kim, F (extended) to park */
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification WHERE kind = 'due_soon'", 0), 2);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM notification WHERE kind = 'due_soon' AND "
	                   "user_id = 7 AND case_id = 1",
	                   0),
	          1);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM notification WHERE kind = 'due_soon' AND "
	                   "user_id = 8 AND case_id = 6",
	                   0),
	          1);
	/* overdue: B to park (who recorded it, no assignee); B's referral to the two
	 * enabled 건축과 users; not D (done), not C (answered referral), E nobody */
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM notification WHERE kind = 'overdue' AND "
	                   "user_id = 8 AND case_id = 2",
	                   0),
	          1);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM notification WHERE kind = 'overdue' AND "
	                   "user_id IN (9, 10) AND case_id = 2",
	                   0),
	          2);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification WHERE user_id = 11", 0), 0);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification WHERE case_id IN (3, 4, 5)", 0),
	          0);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification", 0), 5);
	/* mail: kim chose mail for due_soon; arch1 a digest of overdue */
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM outbox WHERE target = 'kim@city.example.kr' "
	                   "AND kind = 'due_soon'",
	                   0),
	          1);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM outbox WHERE target = 'a1@city.example.kr' "
	                   "AND kind = 'digest' AND subject LIKE '%알림 모음 (1건)%' AND body "
	                   "LIKE '%회신 기한이 지났습니다%'",
	                   0),
	          1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM outbox", 0), 2);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM notification WHERE user_id = 9 AND digested_at "
	                   "IS NOT NULL",
	                   0),
	          1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM job_run WHERE job = 'daily'", 0), 1);

	/* the same day again (a restart): nothing new */
	CHECK_INT(notify_daily_run(db, "2025-06-11", &ran), BZ_OK);
	CHECK(!ran, "once a day");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification", 0), 5);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM outbox", 0), 2);
	/* the next day: A and F are not due in two working days any more (Mon
	 * 06-16 is); B was told already for this due date; no new digest (nothing
	 * new of a digest kind) */
	CHECK_INT(notify_daily_run(db, "2025-06-12", &ran), BZ_OK);
	CHECK(ran, "ran on Thursday");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM notification", 0), 5);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM outbox", 0), 2);

	/* notify_user: a disabled user gets nothing; dedupe */
	bool written = true;
	CHECK_INT(notify_user(db, 11, "assigned", 1, "제목", "", "/cases/1", NULL, &written),
	          BZ_OK);
	CHECK(!written, "disabled user");
	CHECK_INT(notify_user(db, 8, "assigned", 1, "제목", "", "/cases/1", "k1", &written), BZ_OK);
	CHECK(written, "written");
	CHECK_INT(notify_user(db, 8, "assigned", 1, "제목", "", "/cases/1", "k1", &written), BZ_OK);
	CHECK(!written, "deduped");
	/* a long ASCII title is cut to the column's limit, not refused */
	char longt[1200];
	memset(longt, 'x', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	CHECK_INT(notify_user(db, 8, "assigned", 1, longt, "", "/cases/1", NULL, &written), BZ_OK);
	CHECK(written, "long title");

	/* list, open, read all */
	json_t *rows = NULL;
	int64_t total = 0, unread = 0;
	CHECK_INT(notify_list(db, 8, true, 10, 0, 0, &rows, &total), BZ_OK);
	CHECK_INT(total, 4);
	int64_t nid = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	char link[64];
	CHECK_INT(notify_open(db, 7, nid, link, sizeof(link)), BZ_ERR_NOTFOUND);
	CHECK_INT(notify_open(db, 8, nid, link, sizeof(link)), BZ_OK);
	CHECK_STR(link, "/cases/1");
	CHECK_INT(notify_unread_count(db, 8, &unread), BZ_OK);
	CHECK_INT(unread, 3);
	int64_t n = 0;
	CHECK_INT(notify_read_all(db, 8, &n), BZ_OK);
	CHECK_INT(n, 3);
}

/* Company status bookkeeping: new and changed companies wait for a check
 * (triggers), at most 100 a call, answers stored, failures retried then left
 * for the nightly batch, which asks again for every company once a day. */
static void status_queue(struct db *db)
{
	CHECK_INT(db_exec(db,
	                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	                  "WHERE i < 150) INSERT INTO company (name, name_key, brn, created_at, "
	                  "updated_at) SELECT 'c' || i, 'c' || i, printf('9%09d', i), 'x', 'x' "
	                  "FROM n;"),
	          BZ_OK);
	int64_t total = t_db_int(db, "SELECT count(*) FROM company", 0);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM company_status WHERE pending = 1", 0), total);
	struct bizstatus_item items[BIZSTATUS_BATCH + 10];
	size_t n = 0;
	CHECK_INT(bizstatus_due(db, 0, items, BIZSTATUS_BATCH, &n), BZ_OK);
	CHECK_INT(n, 100);
	CHECK_INT(bizstatus_store(db, items[0].company_id, "02", "휴업자", "일반", NULL), BZ_OK);
	json_t *s = NULL;
	CHECK_INT(bizstatus_get(db, items[0].company_id, &s), BZ_OK);
	CHECK_STR(json_string_value(json_object_get(s, "label")), "휴업자");
	CHECK(json_is_true(json_object_get(s, "flagged")), "flagged");
	json_decref(s);
	/* a failure: retried later, then given up until the nightly batch */
	int64_t cid = items[1].company_id;
	CHECK_INT(bizstatus_fail(db, cid, "timeout", 2, 5000), BZ_OK);
	CHECK_INT(bizstatus_due(db, 4999, items, BIZSTATUS_BATCH + 10, &n), BZ_OK);
	bool there = false;
	for (size_t i = 0; i < n; i++)
		there = there || items[i].company_id == cid;
	CHECK(!there, "not before its time");
	CHECK_INT(bizstatus_fail(db, cid, "timeout", 2, 6000), BZ_OK);
	char q[128];
	snprintf(q, sizeof(q), "SELECT pending FROM company_status WHERE company_id = %lld",
	         (long long)cid);
	CHECK_INT(t_db_int(db, q, 0), 0);
	CHECK_INT(bizstatus_get(db, cid, &s), BZ_OK);
	CHECK_STR(json_string_value(json_object_get(s, "label")), "확인 불가");
	CHECK_STR(json_string_value(json_object_get(s, "error")), "timeout");
	json_decref(s);
	/* an edit asks again */
	snprintf(q, sizeof(q), "UPDATE company SET name = 'd' WHERE id = %lld;", (long long)cid);
	CHECK_INT(db_exec(db, q), BZ_OK);
	snprintf(q, sizeof(q), "SELECT pending FROM company_status WHERE company_id = %lld",
	         (long long)cid);
	CHECK_INT(t_db_int(db, q, 0), 1);
	/* the nightly batch: everything again, once a day */
	bool ran = false;
	CHECK_INT(bizstatus_mark_all(db, "2025-06-11", &ran), BZ_OK);
	CHECK(ran, "nightly batch");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM company_status WHERE pending = 1", 0), total);
	CHECK_INT(db_exec(db, "UPDATE company_status SET pending = 0;"), BZ_OK);
	CHECK_INT(bizstatus_mark_all(db, "2025-06-11", &ran), BZ_OK);
	CHECK(!ran, "once a night");
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM company_status WHERE pending = 1", 0), 0);
	CHECK_STR(bizstatus_label(NULL), "확인 불가");
	CHECK_STR(bizstatus_label(""), "미등록");
	CHECK_STR(bizstatus_label("01"), "계속사업자");
	CHECK_STR(bizstatus_label("03"), "폐업자");
	CHECK(!bizstatus_flagged("01") && bizstatus_flagged("03"), "flags");
}

static void compose(void)
{
	struct buf b;
	buf_init(&b, 0);
	const char *subject = "[기업SOS] 건축과(으)로 사건이 이관되었습니다: 공장 증축 인허가 "
	                      "지연 — 협의 필요 (긴 제목은 여러 단어로 나뉩니다)";
	mail_compose(&b, "sos@city.example.kr", "evil@x.kr>\r\nBcc: all@x.kr", subject,
	             "첫 줄\n둘째 줄 https://sos.example.kr/cases/7\n", "0123abcd", 1749600000);
	const char *m = buf_cstr(&b);
	CHECK(strstr(m, "\r\nBcc:") == NULL, "no header injection");
	CHECK_CONTAINS(m, "Message-ID: <0123abcd@city.example.kr>\r\n");
	CHECK_CONTAINS(m, "Date: Wed, 11 Jun 2025 00:00:00 +0000\r\n");
	CHECK_CONTAINS(m, "Content-Type: text/plain; charset=UTF-8\r\n");
	CHECK_CONTAINS(m, "Content-Transfer-Encoding: base64\r\n");
	/* lines: 7-bit, at most 76 characters */
	size_t col = 0, maxcol = 0;
	bool ascii = true;
	for (const unsigned char *p = (const unsigned char *)m; *p; p++) {
		ascii = ascii && *p < 0x80;
		if (*p == '\r' || *p == '\n')
			col = 0;
		else if (++col > maxcol)
			maxcol = col;
	}
	CHECK(ascii, "7-bit");
	CHECK(maxcol <= 76, "longest line %zu", maxcol);
	/* the subject's words decode back to the subject */
	const char *s = strstr(m, "Subject: ");
	char decoded[1024] = "";
	size_t o = 0;
	const char *end = strstr(s, "\r\nMessage-ID");
	for (const char *p = s; p && p < end && (p = strstr(p, "=?UTF-8?B?")) && p < end;) {
		p += 10;
		const char *e = strstr(p, "?=");
		size_t bin = 0;
		sodium_base642bin((unsigned char *)decoded + o, sizeof(decoded) - o - 1, p,
		                  (size_t)(e - p), NULL, &bin, NULL,
		                  sodium_base64_VARIANT_ORIGINAL);
		o += bin;
		decoded[o] = '\0';
		p = e + 2;
	}
	CHECK_STR(decoded, subject);
	/* the body decodes to the text with CRLF */
	const char *body = strstr(m, "\r\n\r\n") + 4;
	unsigned char text[1024];
	size_t tl = 0;
	CHECK_INT(sodium_base642bin(text, sizeof(text) - 1, body, strlen(body), "\r\n", &tl, NULL,
	                            sodium_base64_VARIANT_ORIGINAL),
	          0);
	text[tl] = '\0';
	CHECK_STR((const char *)text, "첫 줄\r\n둘째 줄 https://sos.example.kr/cases/7\r\n");
	buf_free(&b);
}

static void signature_and_backoff(void)
{
	char sig[96];
	const char *msg = "The quick brown fox jumps over the lazy dog";
	webhook_signature("key", msg, strlen(msg), sig, sizeof(sig));
	CHECK_STR(sig, "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
	for (int t = 1; t <= 20; t++) {
		int64_t want = 1000;
		for (int i = 1; i < t && want < 3600000; i++)
			want *= 2;
		if (want > 3600000)
			want = 3600000;
		int64_t d = outbox_backoff_ms(1000, t);
		CHECK(d >= want - want / 4 && d <= want + want / 4, "try %d: %lld ms for %lld", t,
		      (long long)d, (long long)want);
	}
	CHECK(notify_email_valid("kim@city.example.kr"), "ok address");
	CHECK(!notify_email_valid("kim@city"), "no dot");
	CHECK(!notify_email_valid("kim city@x.kr"), "space");
	CHECK(!notify_email_valid("a@b@c.kr"), "two @");
	CHECK(!notify_email_valid("김@city.kr"), "not ASCII");
	CHECK(!notify_email_valid("x@y.kr>\r\nBcc: z@z.kr"), "injection");
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	compose();
	signature_and_backoff();
	db_clock_override(fixed_now);
	struct db *db = t_fresh_db("notify.db");
	if (db) {
		daily(db);
		status_queue(db);
		db_close(db);
	}
	db_clock_override(NULL);
	t_cleanup();
	return t_done();
}
