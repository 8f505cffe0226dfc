/* Request-side helpers: key/value lists, parameter look-ups, percent-decoding. */
#include "bizsos/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

bz_rc kv_add(struct kvlist *l, const char *key, const char *value, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		if (cap > 100000)
			return BZ_ERR_TOOLARGE;
		struct kv *items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return BZ_ERR_NOMEM;
		l->items = items;
		l->cap = cap;
	}
	struct kv *kv = &l->items[l->n];
	kv->key = strdup(key);
	kv->value = malloc(len + 1);
	if (kv->key == NULL || kv->value == NULL) {
		free(kv->key);
		free(kv->value);
		return BZ_ERR_NOMEM;
	}
	if (len)
		memcpy(kv->value, value, len);
	kv->value[len] = '\0';
	kv->len = len;
	l->n++;
	return BZ_OK;
}

void kv_free(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

const char *rq_query(const struct request *rq, const char *key)
{
	return kv_get(&rq->query, key);
}

const char *rq_form(const struct request *rq, const char *key)
{
	return kv_get(&rq->form, key);
}

const char *rq_param(const struct request *rq, const char *key)
{
	return kv_get(&rq->params, key);
}

const char *rq_header(const struct request *rq, const char *name)
{
	for (size_t i = 0; i < rq->headers.n; i++)
		if (strcasecmp(rq->headers.items[i].key, name) == 0)
			return rq->headers.items[i].value;
	return NULL;
}

int64_t rq_param_id(const struct request *rq, const char *key)
{
	const char *s = rq_param(rq, key);
	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

const struct upload *rq_upload(const struct request *rq, const char *field)
{
	for (size_t i = 0; i < rq->nuploads; i++)
		if (strcmp(rq->uploads[i].field, field) == 0)
			return &rq->uploads[i];
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t http_unescape(char *s, bool plus)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
			*w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
			r += 2;
		} else if (*r == '+' && plus) {
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

int http_json_to_form(const char *body, size_t len, struct kvlist *form, const char **msg)
{
	json_error_t jerr;
	json_t *root = json_loadb(body ? body : "", len, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		*msg = "JSON 본문이 올바른 객체가 아닙니다.";
		return 400;
	}
	int status = 0;
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val)
	{
		json_t *items = json_is_array(val) ? val : NULL;
		size_t n = items ? json_array_size(items) : 1;
		for (size_t i = 0; i < n && status == 0; i++) {
			json_t *v = items ? json_array_get(items, i) : val;
			char num[64];
			const char *s = NULL;
			if (json_is_string(v))
				s = json_string_value(v);
			else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				         json_integer_value(v));
				s = num;
			} else if (json_is_real(v)) {
				snprintf(num, sizeof(num), "%.17g", json_real_value(v));
				s = num;
			} else if (json_is_boolean(v))
				s = json_is_true(v) ? "1" : "";
			else if (json_is_null(v))
				continue;
			if (s == NULL) {
				*msg = "JSON 본문의 값은 문자열, 숫자, 참/거짓이어야 합니다.";
				status = 400;
				break;
			}
			/* A string with an embedded NUL cannot be a form value. */
			size_t sl = json_is_string(v) ? json_string_length(v) : strlen(s);
			if (sl != strlen(s)) {
				*msg = "JSON 본문의 문자열에 NUL 문자를 쓸 수 없습니다.";
				status = 400;
				break;
			}
			if (kv_add(form, key, s, sl) != BZ_OK) {
				*msg = "입력 항목이 너무 많습니다.";
				status = 413;
				break;
			}
		}
		if (status)
			break;
	}
	json_decref(root);
	return status;
}
