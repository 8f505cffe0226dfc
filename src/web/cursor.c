/* Keyset cursors for the collection pages: ?cursor= is the opaque, checked
 * form of the sort key of the last row a page showed, so the next page starts
 * right after that row however many rows were added or retired in between
 * (an offset would repeat or skip them). ?limit= bounds the page.
 *
 * A cursor is base64url("k" + the key as compact JSON + 8 check bytes); the
 * check is BLAKE2b over the path, the list's filters (every query parameter
 * but cursor, limit, page and reason, sorted) and the key, so a cursor edited
 * by hand or carried to another list or other filters is refused (400) rather
 * than silently starting somewhere else. */
#include "bizsos/web.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_LEN  8
#define CURSOR_MAX 1024

static bool paging_key(const char *k)
{
	return strcmp(k, "cursor") == 0 || strcmp(k, "limit") == 0 || strcmp(k, "page") == 0 ||
	       strcmp(k, "reason") == 0;
}

static int kv_cmp(const void *a, const void *b)
{
	const struct kv *x = *(const struct kv *const *)a, *y = *(const struct kv *const *)b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static bool check_of(const struct request *rq, const char *key_json, size_t key_len,
                     unsigned char out[CHECK_LEN])
{
	size_t n = rq->query.n;
	const struct kv **sorted = calloc(n ? n : 1, sizeof(*sorted));
	if (sorted == NULL)
		return false;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!paging_key(rq->query.items[i].key))
			sorted[m++] = &rq->query.items[i];
	qsort(sorted, m, sizeof(*sorted), kv_cmp);
	crypto_generichash_state st;
	crypto_generichash_init(&st, (const unsigned char *)"bizsos-cursor-v1", 16, CHECK_LEN);
	const char *path = rq->path ? rq->path : "";
	crypto_generichash_update(&st, (const unsigned char *)path, strlen(path) + 1);
	for (size_t i = 0; i < m; i++) {
		crypto_generichash_update(&st, (const unsigned char *)sorted[i]->key,
		                          strlen(sorted[i]->key) + 1);
		crypto_generichash_update(&st, (const unsigned char *)sorted[i]->value,
		                          strlen(sorted[i]->value) + 1);
	}
	free(sorted);
	crypto_generichash_update(&st, (const unsigned char *)key_json, key_len);
	crypto_generichash_final(&st, out, CHECK_LEN);
	return true;
}

static void bad_cursor(struct response *rs)
{
	web_error(rs, 400, "bad_cursor",
	          "cursor가 올바르지 않습니다. 앞 응답의 next_cursor(또는 next_url)를 그대로 "
	          "보내 주세요. 검색 조건을 바꾸었다면 cursor 없이 첫 쪽부터 다시 받아 주세요.");
}

/* Does the decoded key match the shape ("s": string, "i": integer, "n":
 * integer, string or null)? */
static bool key_shape_ok(const json_t *key, const char *shape)
{
	if (!json_is_array(key) || json_array_size(key) != strlen(shape))
		return false;
	for (size_t i = 0; shape[i]; i++) {
		const json_t *v = json_array_get(key, i);
		bool ok = shape[i] == 's' ? json_is_string(v)
		          : shape[i] == 'i'
		              ? json_is_integer(v)
		              : json_is_string(v) || json_is_integer(v) || json_is_null(v);
		if (!ok)
			return false;
	}
	return true;
}

bool web_limit(struct request *rq, struct response *rs, int def, int max, int *limit)
{
	*limit = def;
	const char *lim = rq_query(rq, "limit");
	if (lim == NULL || *lim == '\0')
		return true;
	char *end;
	long v = strtol(lim, &end, 10);
	if (*end || end == lim || v < 1 || v > max) {
		char msg[128];
		snprintf(msg, sizeof(msg), "limit는 1부터 %d까지의 정수로 보내 주세요.", max);
		web_error(rs, 422, "invalid", msg);
		json_decref(rs->err_fields);
		rs->err_fields = json_pack("{s:s}", "limit", msg);
		return false;
	}
	*limit = (int)v;
	return true;
}

bool web_keyset(struct request *rq, struct response *rs, const char *shape, int def, int max,
                json_t **after, int *limit)
{
	*after = NULL;
	if (!web_limit(rq, rs, def, max, limit))
		return false;
	const char *cursor = rq_query(rq, "cursor");
	if (cursor == NULL || *cursor == '\0')
		return true;
	size_t clen = strlen(cursor);
	unsigned char raw[CURSOR_MAX];
	size_t n = 0;
	if (clen > CURSOR_MAX ||
	    sodium_base642bin(raw, sizeof(raw), cursor, clen, NULL, &n, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n < 1 + 2 + CHECK_LEN || raw[0] != 'k') {
		bad_cursor(rs);
		return false;
	}
	const char *js = (const char *)raw + 1;
	size_t jlen = n - 1 - CHECK_LEN;
	unsigned char want[CHECK_LEN];
	if (!check_of(rq, js, jlen, want) || sodium_memcmp(want, raw + 1 + jlen, CHECK_LEN) != 0) {
		bad_cursor(rs);
		return false;
	}
	json_t *key = json_loadb(js, jlen, JSON_REJECT_DUPLICATES, NULL);
	if (!key_shape_ok(key, shape)) {
		json_decref(key);
		bad_cursor(rs);
		return false;
	}
	*after = key;
	return true;
}

/* "k=v&" for every query parameter but the paging ones, URL-escaped. */
static void filters_of(const struct request *rq, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < rq->query.n; i++) {
		const struct kv *q = &rq->query.items[i];
		if (paging_key(q->key))
			continue;
		const char *parts[2] = {q->key, q->value};
		for (int p = 0; p < 2; p++) {
			for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++) {
				if (n + 4 >= outlen)
					return;
				if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
				    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.')
					out[n++] = (char)*s;
				else
					n += (size_t)snprintf(out + n, outlen - n, "%%%02X", *s);
			}
			if (n + 2 >= outlen)
				return;
			out[n++] = p == 0 ? '=' : '&';
			out[n] = '\0';
		}
	}
}

void web_keyset_next(struct request *rq, json_t *m, int limit)
{
	json_t *key = json_object_get(m, "next_key");
	if (key == NULL)
		return;
	char *js = json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY);
	json_object_del(m, "next_key");
	if (js == NULL)
		return;
	size_t jlen = strlen(js);
	unsigned char raw[CURSOR_MAX];
	if (1 + jlen + CHECK_LEN > sizeof(raw)) {
		free(js);
		return;
	}
	raw[0] = 'k';
	memcpy(raw + 1, js, jlen);
	bool ok = check_of(rq, js, jlen, raw + 1 + jlen);
	free(js);
	if (!ok)
		return;
	char enc[sodium_base64_ENCODED_LEN(CURSOR_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(enc, sizeof(enc), raw, 1 + jlen + CHECK_LEN,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	json_object_set_new(m, "next_cursor", json_string(enc));
	char filters[1024], url[4096];
	filters_of(rq, filters, sizeof(filters));
	const char *lim = rq_query(rq, "limit");
	char limq[32] = "";
	if (lim && *lim)
		snprintf(limq, sizeof(limq), "limit=%d&", limit);
	int w = snprintf(url, sizeof(url), "%s?%s%scursor=%s", rq->path ? rq->path : "/", filters,
	                 limq, enc);
	if (w > 0 && (size_t)w < sizeof(url))
		json_object_set_new(m, "next_url", json_string(url));
}

void web_keyset_trim(json_t *m, json_t *rows, int limit, const char *const *fields, size_t n)
{
	if (limit < 1 || json_array_size(rows) <= (size_t)limit)
		return;
	while (json_array_size(rows) > (size_t)limit)
		json_array_remove(rows, json_array_size(rows) - 1);
	json_t *last = json_array_get(rows, (size_t)limit - 1), *key = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(last, fields[i]);
		json_array_append_new(key, v ? json_incref(v) : json_null());
	}
	json_object_set_new(m, "next_key", key);
}

int web_page_no(struct request *rq)
{
	const char *s = rq_query(rq, "page");
	if (s == NULL || *s == '\0')
		return 1;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 1 ? 1 : v > 1000000 ? 1000000 : (int)v;
}
