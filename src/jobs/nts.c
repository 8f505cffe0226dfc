/* The tax office's business status service (국세청 사업자등록 상태조회):
 * POST {endpoint}?serviceKey={key} with {"b_no": [...]}, at most 100 numbers a
 * call; each answer item names b_no, b_stt, b_stt_cd, tax_type, end_dt. */
#include "bizsos/bizstatus.h"
#include "bizsos/jobs.h"
#include "bizsos/outbox.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t collect(char *p, size_t size, size_t nmemb, void *ud)
{
	buf_append(ud, p, size * nmemb);
	return ((struct buf *)ud)->failed ? 0 : size * nmemb;
}

/* Calls the service; *answer the parsed body (caller frees). */
static bz_rc call(const struct config *cfg, json_t *req, json_t **answer, char *err, size_t errlen)
{
	*answer = NULL;
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "curl init failed");
		return BZ_ERR_NOMEM;
	}
	char *key = curl_easy_escape(h, cfg->nts_key, 0);
	char url[1200];
	snprintf(url, sizeof(url), "%s%sserviceKey=%s", cfg->nts_endpoint,
	         strchr(cfg->nts_endpoint, '?') ? "&" : "?", key ? key : "");
	curl_free(key);
	char *body = json_dumps(req, JSON_COMPACT);
	struct buf resp;
	buf_init(&resp, 4 * 1024 * 1024);
	struct curl_slist *hl = NULL;
	hl = curl_slist_append(hl, "Content-Type: application/json");
	hl = curl_slist_append(hl, "Accept: application/json");
	hl = curl_slist_append(hl, "Expect:");
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "{}");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)cfg->nts_timeout_ms);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	free(body);
	bz_rc out = BZ_OK;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		out = BZ_ERR_IO;
	} else if (code != 200) {
		snprintf(err, errlen, "HTTP %ld", code);
		out = BZ_ERR_IO;
	} else {
		*answer = json_loadb(resp.s ? resp.s : "", resp.len, 0, NULL);
		if (*answer == NULL || !json_is_array(json_object_get(*answer, "data"))) {
			snprintf(err, errlen, "answer is not the expected JSON");
			json_decref(*answer);
			*answer = NULL;
			out = BZ_ERR_IO;
		}
	}
	buf_free(&resp);
	return out;
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v;
}

bz_rc nts_check_pending(struct db *db, const struct config *cfg, int64_t now_ms)
{
	struct bizstatus_item items[BIZSTATUS_BATCH];
	size_t n = 0;
	bz_rc rc = bizstatus_due(db, now_ms, items, BIZSTATUS_BATCH, &n);
	if (rc != BZ_OK || n == 0)
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(items[i].brn));
	json_t *req = json_pack("{s:o}", "b_no", list);
	json_t *answer = NULL;
	char err[256] = "";
	bz_rc call_rc = call(cfg, req, &answer, err, sizeof(err));
	json_decref(req);
	if ((rc = db_begin(db)) != BZ_OK) {
		json_decref(answer);
		return rc;
	}
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		json_t *found = NULL;
		size_t k;
		json_t *it;
		if (answer)
			json_array_foreach(json_object_get(answer, "data"), k, it)
			{
				const char *b = str(it, "b_no");
				if (b && strcmp(b, items[i].brn) == 0) {
					found = it;
					break;
				}
			}
		if (found) {
			const char *cd = str(found, "b_stt_cd");
			rc = bizstatus_store(db, items[i].company_id, cd ? cd : "",
			                     str(found, "b_stt"), str(found, "tax_type"),
			                     str(found, "end_dt"));
		} else {
			const char *why =
			    call_rc != BZ_OK ? err : "the answer did not name this number";
			rc = bizstatus_fail(
			    db, items[i].company_id, why, cfg->outbox_max_tries,
			    now_ms + outbox_backoff_ms(cfg->outbox_retry_ms, items[i].tries + 1));
		}
	}
	json_decref(answer);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	if (call_rc != BZ_OK)
		LOG_WARN("status service: %s (%zu companies, will retry)", err, n);
	return rc;
}
