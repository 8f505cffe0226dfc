/* The companies' own door over HTTP (issue 10), as an anonymous company and
 * as the team:
 *   a request with consent          200 receipt page, a case (online, received),
 *                                   a 미확인 company, the receipt mail queued
 *   no privacy consent              422 on privacy_consent, no case
 *   a BRN with a wrong check digit  422 on brn, no case
 *   the honeypot filled             400 Korean refusal, no case
 *   the 11th request in the window  429 Korean page with Retry-After
 *   a form sent back too fast       422 (second daemon, 5-second minimum)
 *   status: right pair              200 접수; shared answer and outcome after
 *                                   completion, never the internal note
 *   status: wrong pair vs unknown   the same status and the same bytes
 *   survey link                     works once, then "already answered" (409);
 *                                   forged 404, expired 410, Korean pages
 *   survey round                    invites the served company, counts once as
 *                                   a 만족도 조사; a second round for the same
 *                                   period 409; dashboard averages match */
#include "harness.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;

/* Copies the text after `marker` up to the next `end` character into out. */
static bool scrape(const char *body, const char *marker, char end, char *out, size_t outlen)
{
	out[0] = '\0';
	const char *p = body ? strstr(body, marker) : NULL;
	if (p == NULL)
		return false;
	p += strlen(marker);
	size_t n = 0;
	while (p[n] && p[n] != end && n + 1 < outlen)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return n > 0;
}

/* A fresh form: its csrf (in c) and its signed token. */
static void fresh_form(struct client *c, char *token, size_t len)
{
	struct resp r;
	t_get(c, "/request", &r);
	CHECK_INT(r.status, 200);
	scrape(r.body.s, "name=\"form_token\" value=\"", '"', token, len);
	CHECK(token[0], "no form token on /request");
	t_fetch_csrf(c, "/request");
	t_resp_free(&r);
}

static char category[16];

static int submit(struct client *c, const char *brn, bool consent, const char *honeypot,
                  struct resp *r)
{
	char token[160];
	fresh_form(c, token, sizeof(token));
	return t_post_form_free(
	    c, "/request",
	    t_form("form_token", token, "brn", brn, "company_name", "(주)새빛테크", "contact_name",
	           "홍길동", "phone", "010-1234-5678", "email", "hong@example.com", "category_id",
	           category, "title", "공장 진입로 포장 요청", "description",
	           "비가 오면 진입로가 잠깁니다.", "request", "포장 공사 일정을 알고 싶습니다.",
	           "privacy_consent", consent ? "1" : "", "contact_consent", "1", "website",
	           honeypot, NULL),
	    r);
}

static int lookup(struct client *c, const char *receipt, const char *brn, struct resp *r)
{
	t_fetch_csrf(c, "/request/status");
	return t_post_form_free(c, "/request/status", t_form("receipt", receipt, "brn", brn, NULL),
	                        r);
}

int main(void)
{
	setenv("BIZSOS_REQUEST_MIN_SECONDS", "0", 1);
	setenv("BIZSOS_REQUEST_LIMIT", "10", 1);
	setenv("BIZSOS_REQUEST_WINDOW", "3600", 1);
	setenv("BIZSOS_BASE_URL", "https://sos.example.go.kr/", 1);
	if (t_daemon_start(&d, NULL) != 0 || sodium_init() < 0)
		return 1;
	struct client c, lc;
	t_client_init(&c, &d);
	t_client_init(&lc, &d);
	CHECK(t_login(&lc, "leader", T_PASSWORD) < 400, "leader cannot sign in");
	snprintf(
	    category, sizeof(category), "%lld",
	    (long long)t_sql_int(d.db, "SELECT id FROM case_category WHERE name = '기타'", NULL));
	struct resp r;

	/* the form itself: public, no staff navigation, consent text, ombudsman */
	CHECK_INT(t_get(&c, "/request", &r), 200);
	CHECK_CONTAINS(r.body.s, "개인정보 수집·이용 동의");
	CHECK_CONTAINS(r.body.s, "보유·이용 기간");
	CHECK_CONTAINS(r.body.s, "중소기업 옴부즈만");
	CHECK(strstr(r.body.s, "업무 메뉴") == NULL, "staff navigation on a public page");
	t_resp_free(&r);

	/* 1: a good request */
	CHECK_INT(submit(&c, "220-81-62517", true, "", &r), 200);
	char receipt[32];
	CHECK(scrape(r.body.s, "id=\"receipt-no\">", '<', receipt, sizeof(receipt)),
	      "no receipt number");
	CHECK_INT(strlen(receipt), 14);
	CHECK_CONTAINS(r.body.s, "신청이 접수되었습니다");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM sos_case WHERE channel = 'online' AND status = "
	                    "'received' AND created_by IS NULL",
	                    NULL),
	          1);
	CHECK_INT(t_sql_int(d.db, "SELECT unconfirmed FROM company WHERE brn = '2208162517'", NULL),
	          1);
	CHECK_INT(t_sql_int(d.db,
	                    "SELECT count(*) FROM public_mail WHERE kind = 'receipt' AND to_addr = "
	                    "'hong@example.com'",
	                    NULL),
	          1);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM outbox WHERE channel = 'email' AND kind = 'receipt' "
	              "AND target = 'hong@example.com'",
	              NULL),
	    1);
	CHECK_INT(
	    t_sql_int(d.db,
	              "SELECT count(*) FROM notification n JOIN app_user u ON u.id = n.user_id "
	              "WHERE u.login = 'leader'",
	              NULL),
	    1);
	CHECK(t_sql_int(d.db, "SELECT count(*) FROM online_request WHERE receipt_no LIKE 'SOS-%'",
	                NULL) == 0,
	      "receipt is the case number");
	int64_t cid = t_sql_int(d.db, "SELECT case_id FROM online_request", NULL);

	/* 2: no consent; 3: a wrong check digit; 4: the honeypot */
	CHECK_INT(submit(&c, "220-81-62517", false, "", &r), 422);
	CHECK_CONTAINS(r.body.s, "id=\"privacy_consent-error\"");
	t_resp_free(&r);
	CHECK_INT(submit(&c, "220-81-62518", true, "", &r), 422);
	CHECK_CONTAINS(r.body.s, "id=\"brn-error\"");
	t_resp_free(&r);
	CHECK_INT(submit(&c, "220-81-62517", true, "http://spam.example", &r), 400);
	CHECK_CONTAINS(r.body.s, "신청을 받을 수 없습니다");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL), 1);

	/* the leader hears of it on the home page */
	CHECK_INT(t_get(&lc, "/", &r), 200);
	CHECK_CONTAINS(r.body.s, "새 온라인 신청");
	t_resp_free(&r);

	/* status: the right pair */
	CHECK_INT(lookup(&c, receipt, "2208162517", &r), 200);
	CHECK_CONTAINS(r.body.s, "접수");
	CHECK_CONTAINS(r.body.s, "공장 진입로 포장 요청");
	t_resp_free(&r);
	/* a wrong pair and an unknown receipt: the same answer */
	struct resp w, u;
	CHECK_INT(lookup(&c, receipt, "120-81-47521", &w), 404);
	CHECK_INT(lookup(&c, "ZZZZ-ZZZZ-ZZZZ", "220-81-62517", &u), 404);
	CHECK(w.body.len == u.body.len && memcmp(w.body.s, u.body.s, w.body.len) == 0,
	      "a wrong pair answers differently from an unknown receipt");
	CHECK(strstr(w.body.s, receipt) == NULL, "the typed receipt is echoed");
	t_resp_free(&w);
	t_resp_free(&u);

	/* staff: an internal note, a shared answer, completion */
	char path[96], today[16];
	time_t now = time(NULL) + 9 * 3600;
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&now));
	char vtext[24];
	snprintf(path, sizeof(path), "/cases/%lld/notes", (long long)cid);
	snprintf(vtext, sizeof(vtext), "%lld", (long long)t_case_version(&lc, cid));
	CHECK_INT(
	    t_post_form_free(
	        &lc, path, t_form("body", "내부 검토: 예산 부족 우려", "version", vtext, NULL), &r),
	    303);
	t_resp_free(&r);
	snprintf(vtext, sizeof(vtext), "%lld", (long long)t_case_version(&lc, cid));
	CHECK_INT(t_post_form_free(&lc, path,
	                           t_form("body", "도로과와 협의해 다음 달 포장합니다.", "shared",
	                                  "1", "version", vtext, NULL),
	                           &r),
	          303);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%lld/status", (long long)cid);
	snprintf(vtext, sizeof(vtext), "%lld", (long long)t_case_version(&lc, cid));
	CHECK_INT(t_post_form_free(&lc, path,
	                           t_form("to", "done", "disposition", "immediate", "outcome",
	                                  "accepted", "notified_method", "email", "notified_on",
	                                  today, "version", vtext, NULL),
	                           &r),
	          303);
	t_resp_free(&r);
	CHECK_INT(lookup(&c, receipt, "2208162517", &r), 200);
	CHECK_CONTAINS(r.body.s, "도로과와 협의해 다음 달 포장합니다.");
	CHECK_CONTAINS(r.body.s, "id=\"outcome\"");
	CHECK_CONTAINS(r.body.s, "수용");
	CHECK(strstr(r.body.s, "내부 검토") == NULL, "the internal note is shown to the company");
	CHECK(strstr(r.body.s, "이팀장") == NULL && strstr(r.body.s, "leader") == NULL,
	      "a staff name is shown to the company");
	t_resp_free(&r);

	/* a survey link for the completed case: once, then already answered */
	snprintf(path, sizeof(path), "/cases/%lld/survey", (long long)cid);
	CHECK_INT(t_post_form_free(&lc, path, t_form("email", "", NULL), &r), 200);
	char url[256], token[64];
	CHECK(scrape(r.body.s, "id=\"survey-url\">", '<', url, sizeof(url)), "no survey url");
	CHECK_CONTAINS(url, "https://sos.example.go.kr/survey/");
	t_resp_free(&r);
	bz_strlcpy(token, strrchr(url, '/') + 1, sizeof(token));
	CHECK_INT(t_post_form_free(&lc, path, t_form("email", "", NULL), &r),
	          409); /* one open at a time */
	t_resp_free(&r);
	char spath[128];
	snprintf(spath, sizeof(spath), "/survey/%s", token);
	struct client sc;
	t_client_init(&sc, &d);
	t_fetch_csrf(&sc, spath);
	CHECK_INT(t_post_form_free(&sc, spath,
	                           t_form("speed", "6", "kindness", "5", "resolution", "3", NULL),
	                           &r),
	          422);
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(&sc, spath,
	                           t_form("speed", "4", "kindness", "5", "resolution", "3",
	                                  "comment", "빨리 처리해 주셔서 감사합니다.", NULL),
	                           &r),
	          200);
	CHECK_CONTAINS(r.body.s, "응답해 주셔서 감사합니다");
	t_resp_free(&r);
	CHECK_INT(t_post_form_free(&sc, spath,
	                           t_form("speed", "1", "kindness", "1", "resolution", "1", NULL),
	                           &r),
	          409);
	CHECK_CONTAINS(r.body.s, "이미 응답한 조사입니다");
	t_resp_free(&r);
	CHECK_INT(t_get(&sc, spath, &r), 200);
	CHECK_CONTAINS(r.body.s, "이미 응답한 조사입니다");
	t_resp_free(&r);
	CHECK_INT(
	    t_sql_int(d.db, "SELECT speed FROM survey_invite WHERE case_id IS NOT NULL", NULL), 4);
	/* the answer on the case page */
	snprintf(path, sizeof(path), "/cases/%lld", (long long)cid);
	CHECK_INT(t_get(&lc, path, &r), 200);
	CHECK_CONTAINS(r.body.s, "신속성 4");
	CHECK_CONTAINS(r.body.s, "빨리 처리해 주셔서 감사합니다.");
	t_resp_free(&r);
	/* forged and expired links */
	CHECK_INT(t_get(&sc, "/survey/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &r), 404);
	CHECK_CONTAINS(r.body.s, "찾을 수 없는 조사 주소입니다");
	t_resp_free(&r);
	CHECK_INT(t_get(&sc, "/survey/..%2F..%2Fetc", &r), 404);
	t_resp_free(&r);
	const char *old = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65], sql[512];
	crypto_hash_sha256(h, (const unsigned char *)old, strlen(old));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(sql, sizeof(sql),
	         "INSERT INTO survey_invite (token_hash, company_id, case_id, created_at, "
	         "expires_at) VALUES ('%s', (SELECT company_id FROM sos_case WHERE id = %lld), "
	         "%lld, '2020-01-01T00:00:00Z', '2020-01-31T00:00:00Z')",
	         hex, (long long)cid, (long long)cid);
	t_sql_exec(d.db, sql);
	snprintf(spath, sizeof(spath), "/survey/%s", old);
	CHECK_INT(t_get(&sc, spath, &r), 410);
	CHECK_CONTAINS(r.body.s, "응답 기한");
	t_resp_free(&r);
	t_fetch_csrf(&sc, "/request/status");
	CHECK_INT(t_post_form_free(&sc, spath,
	                           t_form("speed", "5", "kindness", "5", "resolution", "5", NULL),
	                           &r),
	          410);
	t_resp_free(&r);

	/* a round for this year: the company served today, counted once on the card */
	char first[16];
	snprintf(first, sizeof(first), "%.4s-01-01", today);
	int64_t surveys_before =
	    t_sql_int(d.db, "SELECT count(*) FROM comm_entry WHERE kind = 'survey'", NULL);
	t_fetch_csrf(&lc, "/surveys");
	CHECK_INT(t_post_form_free(&lc, "/api/v1/surveys/rounds",
	                           t_form("period_first", first, "period_last", today, NULL), &r),
	          200);
	json_t *j = t_json(&r);
	CHECK_INT(json_integer_value(json_object_get(j, "invited")), 1);
	const char *rurl = json_string_value(
	    json_object_get(json_array_get(json_object_get(j, "links"), 0), "url"));
	CHECK(rurl && strstr(rurl, "/survey/"), "no link in the round");
	snprintf(spath, sizeof(spath), "%s", rurl ? strstr(rurl, "/survey/") : "/survey/x");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM comm_entry WHERE kind = 'survey'", NULL),
	          surveys_before + 1);
	CHECK_INT(t_post_form_free(&lc, "/surveys/rounds",
	                           t_form("period_first", first, "period_last", today, NULL), &r),
	          409);
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM comm_entry WHERE kind = 'survey'", NULL),
	          surveys_before + 1);
	t_fetch_csrf(&sc, spath);
	CHECK_INT(t_post_form_free(&sc, spath,
	                           t_form("speed", "5", "kindness", "3", "resolution", "2", NULL),
	                           &r),
	          200);
	t_resp_free(&r);
	/* averages: speed (4+5)/2, kindness (5+3)/2, resolution (3+2)/2; 2 of 2 answered
	 * (the expired invitation was sent in 2020, outside this year) */
	CHECK_INT(t_get(&lc, "/api/v1/dashboard", &r), 200);
	j = t_json(&r);
	json_t *tot = json_object_get(json_object_get(j, "satisfaction"), "total");
	CHECK_STR(json_string_value(json_object_get(tot, "speed_text")), "4.5");
	CHECK_STR(json_string_value(json_object_get(tot, "kindness_text")), "4.0");
	CHECK_STR(json_string_value(json_object_get(tot, "resolution_text")), "2.5");
	CHECK_STR(json_string_value(json_object_get(tot, "rate_text")), "100.0%");
	json_decref(j);
	t_resp_free(&r);
	CHECK_INT(t_get(&lc, "/progress", &r), 200);
	CHECK_CONTAINS(r.body.s, "만족도 조사 결과");
	t_resp_free(&r);

	/* the rate limit: 4 requests so far from this address; 6 more, then 429 */
	for (int i = 0; i < 6; i++) {
		CHECK_INT(submit(&c, "220-81-62518", true, "", &r), 422);
		t_resp_free(&r);
	}
	CHECK_INT(submit(&c, "220-81-62517", true, "", &r), 429);
	CHECK_CONTAINS(r.body.s, "너무 많은 요청");
	char retry[16];
	CHECK(t_header(&r, "Retry-After", retry, sizeof(retry)) && atoi(retry) > 0,
	      "no Retry-After");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL), 1);

	t_client_free(&c);
	t_client_free(&lc);
	t_client_free(&sc);
	CHECK_INT(t_daemon_stop(&d), 0);

	/* a form sent back faster than a person fills it */
	setenv("BIZSOS_REQUEST_MIN_SECONDS", "30", 1);
	if (t_daemon_start(&d, NULL) != 0)
		return 1;
	t_client_init(&c, &d);
	CHECK_INT(submit(&c, "220-81-62517", true, "", &r), 422);
	CHECK_CONTAINS(r.body.s, "너무 빨리 제출되었습니다");
	t_resp_free(&r);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case", NULL),
	          1); /* the same database: still 1 */
	t_client_free(&c);
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
