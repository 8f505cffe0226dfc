/* Company status (국세청 사업자등록 상태조회) against a local fake of the
 * service (tests/support/sinks.c's receiver):
 *   - 01 / 02 / 03 and an unregistered number are stored and shown; 휴업 and
 *     폐업 are flagged on the company page, in the list and on the phone form;
 *   - the call is POST {endpoint}?serviceKey={key, URL-encoded} with
 *     {"b_no": [...]};
 *   - a 5-second hang: another company saved meanwhile answers at once (its
 *     answer arrives while the fake is still hanging), the hung lookup times
 *     out and the company stays 확인 불가;
 *   - editing a company asks again;
 *   - an unset endpoint: the company is saved and shown as 확인 불가, and
 *     nothing is asked. */
#include "bizsos/brn.h"
#include "harness.h"
#include "sinks.h"

#include <sqlite3.h>
#include <stdlib.h>

static struct daemon d;
static struct hook nts;
static char brn_ok[11], brn_rest[11], brn_closed[11], brn_none[11], brn_hang[11], brn_late[11];
static bool path_ok = true;

static void make_brn(const char *nine, char out[11])
{
	snprintf(out, 11, "%s%d", nine, brn_check_digit(nine));
}

static void item(json_t *data, const char *b, const char *cd, const char *stt, const char *tax)
{
	json_array_append_new(data, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "b_no", b,
	                                      "b_stt", stt, "b_stt_cd", cd, "tax_type", tax,
	                                      "end_dt", strcmp(cd, "03") == 0 ? "20240131" : "",
	                                      "utcc_yn", "N", "invoice_apply_dt", ""));
}

static int nts_answer(struct hook *h, const struct hook_req *rq, struct buf *resp)
{
	if (strcmp(rq->method, "POST") != 0 ||
	    strcmp(rq->path, "/api/nts-businessman/v1/status?serviceKey=k%2By%2Fz%3D") != 0)
		path_ok = false;
	json_t *req = json_loadb(rq->body, rq->body_len, 0, NULL);
	json_t *list = json_object_get(req, "b_no");
	json_t *data = json_array();
	size_t i;
	json_t *b;
	json_array_foreach(list, i, b)
	{
		const char *s = json_string_value(b);
		if (s == NULL)
			continue;
		if (strcmp(s, brn_hang) == 0) {
			for (int t = 0; t < 100 && !hook_stopping(h); t++)
				t_sleep_ms(50); /* 5 seconds */
			item(data, s, "01", "계속사업자", "부가가치세 일반과세자");
		} else if (strcmp(s, brn_rest) == 0)
			item(data, s, "02", "휴업자", "부가가치세 일반과세자");
		else if (strcmp(s, brn_closed) == 0)
			item(data, s, "03", "폐업자", "부가가치세 간이과세자");
		else if (strcmp(s, brn_none) == 0)
			item(data, s, "", "", "국세청에 등록되지 않은 사업자등록번호입니다.");
		else
			item(data, s, "01", "계속사업자", "부가가치세 일반과세자");
	}
	json_t *ans = json_pack("{s:s, s:I, s:I, s:o}", "status_code", "OK", "request_cnt",
	                        (json_int_t)json_array_size(list), "match_cnt",
	                        (json_int_t)json_array_size(data), "data", data);
	char *txt = json_dumps(ans, JSON_COMPACT);
	buf_puts(resp, txt);
	free(txt);
	json_decref(ans);
	json_decref(req);
	return 200;
}

static int64_t create(struct client *c, const char *name, const char *brn)
{
	char form[512];
	char *n = curl_easy_escape(c->curl, name, 0);
	snprintf(form, sizeof(form), "name=%s&brn=%s", n, brn);
	curl_free(n);
	long st;
	json_t *j = t_api(c, "POST", "/companies", form, &st);
	CHECK(st == 200, "create %s -> %ld", name, st);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

/* Waits until the company has an answer (checked_at set); true if so. */
static bool wait_checked(int64_t id, int timeout_ms)
{
	char q[128];
	snprintf(q, sizeof(q),
	         "SELECT checked_at IS NOT NULL FROM company_status WHERE company_id = %lld",
	         (long long)id);
	for (int t = 0; t < timeout_ms; t += 20) {
		if (t_sql_int(d.db, q, NULL) == 1)
			return true;
		t_sleep_ms(20);
	}
	return false;
}

static json_t *status_of(struct client *c, int64_t id)
{
	char p[64];
	snprintf(p, sizeof(p), "/companies/%lld", (long long)id);
	long st;
	json_t *j = t_api(c, "GET", p, NULL, &st);
	json_t *s = json_incref(json_object_get(json_object_get(j, "company"), "biz_status"));
	json_decref(j);
	return s;
}

static void check_status(struct client *c, int64_t id, const char *code, const char *label,
                         bool flagged)
{
	json_t *s = status_of(c, id);
	const char *got = json_string_value(json_object_get(s, "code"));
	CHECK(got && strcmp(got, code) == 0, "company %lld code %s, expected %s", (long long)id,
	      got ? got : "(null)", code);
	CHECK_STR(json_string_value(json_object_get(s, "label")), label);
	CHECK(json_is_boolean(json_object_get(s, "flagged")) &&
	          json_boolean_value(json_object_get(s, "flagged")) == flagged,
	      "flagged %d", flagged);
	CHECK(json_string_value(json_object_get(s, "checked_kst")) != NULL, "check time shown");
	json_decref(s);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	make_brn("120814752", brn_ok);
	make_brn("101810034", brn_rest);
	make_brn("220811111", brn_closed);
	make_brn("314862223", brn_none);
	make_brn("605123456", brn_hang);
	make_brn("410813333", brn_late);
	CHECK_INT(hook_start(&nts, nts_answer, NULL), 0);
	char conf[512];
	t_path(conf, sizeof(conf), "nts.conf");
	FILE *f = fopen(conf, "w");
	fprintf(f,
	        "nts_endpoint = http://127.0.0.1:%d/api/nts-businessman/v1/status\n"
	        "nts_key = k+y/z=\nnts_timeout_ms = 1500\noutbox_poll_ms = 20\n"
	        "outbox_retry_ms = 600000\nnts_at = 23:59\ndaily_at = 23:59\n",
	        nts.port);
	fclose(f);
	const char *args[] = {"--config", conf, NULL};
	if (t_daemon_start(&d, args) != 0) {
		CHECK(0, "daemon did not start");
		hook_stop(&nts);
		return t_done();
	}
	struct client staff;
	t_client_init(&staff, &d);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);

	/* 01 / 02 / 03 / unregistered */
	int64_t a = create(&staff, "계속정밀", brn_ok);
	int64_t b = create(&staff, "쉬는기계", brn_rest);
	int64_t c = create(&staff, "닫은화학", brn_closed);
	int64_t n = create(&staff, "없는상사", brn_none);
	CHECK(wait_checked(a, 10000) && wait_checked(b, 10000) && wait_checked(c, 10000) &&
	          wait_checked(n, 10000),
	      "all four answered");
	CHECK(path_ok, "POST {endpoint}?serviceKey={key}");
	json_t *req = json_loadb(nts.reqs[0].body, nts.reqs[0].body_len, 0, NULL);
	CHECK(json_is_array(json_object_get(req, "b_no")) &&
	          json_array_size(json_object_get(req, "b_no")) <= 100,
	      "{\"b_no\": [...]} with at most 100");
	json_decref(req);
	check_status(&staff, a, "01", "계속사업자", false);
	check_status(&staff, b, "02", "휴업자", true);
	check_status(&staff, c, "03", "폐업자", true);
	check_status(&staff, n, "", "미등록", false);

	/* flagged in the list, on the company page and on the phone form */
	struct resp r;
	t_get(&staff, "/companies", &r);
	CHECK_CONTAINS(r.body.s, "휴업자</span>");
	CHECK_CONTAINS(r.body.s, "폐업자</span>");
	t_resp_free(&r);
	char p[128];
	snprintf(p, sizeof(p), "/companies/%lld", (long long)c);
	t_get(&staff, p, &r);
	CHECK_CONTAINS(r.body.s, "id=\"biz-status\"");
	CHECK_CONTAINS(r.body.s, "폐업자");
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/visits/new?company=%lld", (long long)b);
	t_get(&staff, p, &r);
	CHECK_CONTAINS(r.body.s, "국세청: 휴업자");
	t_resp_free(&r);

	/* a 5-second hang: another save answers while the fake is still hanging */
	size_t calls = hook_count(&nts);
	int64_t h = create(&staff, "느린응답", brn_hang);
	for (int t = 0; t < 5000 && !hook_busy(&nts); t += 10)
		t_sleep_ms(10);
	CHECK(hook_busy(&nts), "the service is hanging");
	int64_t late = create(&staff, "나중등록", brn_late);
	CHECK(late > 0, "saved");
	CHECK(hook_busy(&nts), "the save answered while the lookup was still hanging");
	json_t *s = status_of(&staff, late);
	CHECK_STR(json_string_value(json_object_get(s, "label")), "확인 불가");
	json_decref(s);
	/* the hung lookup times out; the company stays 확인 불가 with the error */
	CHECK(wait_checked(late, 10000), "the next company is checked after the timeout");
	s = status_of(&staff, h);
	CHECK_STR(json_string_value(json_object_get(s, "label")), "확인 불가");
	CHECK(json_is_true(json_object_get(s, "unknown")), "unknown");
	CHECK(json_string_value(json_object_get(s, "error")) != NULL, "error kept");
	json_decref(s);
	snprintf(p, sizeof(p), "/companies/%lld", (long long)h);
	t_get(&staff, p, &r);
	CHECK_CONTAINS(r.body.s, "확인 불가");
	t_resp_free(&r);
	CHECK(hook_count(&nts) > calls, "asked");

	/* editing a company asks again */
	calls = hook_count(&nts);
	char form[256];
	snprintf(form, sizeof(form), "name=%s&brn=%s&version=1",
	         "%EA%B3%84%EC%86%8D%EC%A0%95%EB%B0%80%EA%B3%B5%EC%97%85", brn_ok);
	snprintf(p, sizeof(p), "/companies/%lld", (long long)a);
	long st;
	json_decref(t_api(&staff, "POST", p, form, &st));
	CHECK_INT(st, 200);
	hook_wait(&nts, calls + 1, 5000);
	CHECK(hook_count(&nts) > calls, "asked again after the edit");
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);

	/* unset endpoint: saved, shown as 확인 불가, nothing asked */
	calls = hook_count(&nts);
	CHECK_INT(t_daemon_start(&d, NULL), 0);
	t_client_init(&staff, &d);
	CHECK_INT(t_login(&staff, "staff", T_PASSWORD), 303);
	char brn_new[11];
	make_brn("507123457", brn_new);
	int64_t u = create(&staff, "설정없음", brn_new);
	t_sleep_ms(200);
	s = status_of(&staff, u);
	CHECK_STR(json_string_value(json_object_get(s, "label")), "확인 불가");
	json_decref(s);
	CHECK_INT(hook_count(&nts), calls);
	t_client_free(&staff);
	CHECK_INT(t_daemon_stop(&d), 0);
	hook_stop(&nts);
	curl_global_cleanup();
	return t_done();
}
