/* The shared helpers of the field-work pages (activities, visits, grants,
 * citizen communication): repeated form values, the page answer that turns
 * empty strings into null, and small query and option helpers. */
#include "bizsos/app.h"
#include "web_field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t web_form_values(const struct request *rq, const char *key, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < rq->form.n && n < max; i++)
		if (strcmp(rq->form.items[i].key, key) == 0 && rq->form.items[i].value[0])
			out[n++] = rq->form.items[i].value;
	return n;
}

/* Replaces every "" in v (objects and arrays, recursively) by null, and adds
 * has_<key> (true when not empty) next to every array, for templates that wrap
 * a list in a <ul> or <table> only when it has items. */
static void empty_to_null(json_t *v)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		void *tmp;
		json_t *flags = json_object();
		json_object_foreach_safe(v, tmp, k, x)
		{
			if (json_is_string(x) && json_string_length(x) == 0) {
				json_object_set_new(v, k, json_null());
			} else {
				if (json_is_array(x) && strncmp(k, "has_", 4) != 0) {
					char key[96];
					snprintf(key, sizeof(key), "has_%s", k);
					json_object_set_new(flags, key,
					                    json_boolean(json_array_size(x) > 0));
				}
				empty_to_null(x);
			}
		}
		json_object_update(v, flags);
		json_decref(flags);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			if (json_is_string(x) && json_string_length(x) == 0)
				json_array_set_new(v, i, json_null());
			else
				empty_to_null(x);
		}
	}
}

void field_page(struct response *rs, const char *tpl, const char *title, json_t *model)
{
	empty_to_null(model);
	web_page(rs, tpl, title, model);
}

void field_invalid(struct response *rs, const char *tpl, const char *title, json_t *model,
                   json_t *fields)
{
	empty_to_null(model);
	web_invalid(rs, tpl, title, model, fields);
}

void field_created(struct request *rq, struct response *rs, bz_rc rc, int64_t id, json_t *m,
                   json_t *fields, const struct field_create_answer *a)
{
	if (rc == BZ_ERR_INVALID) {
		field_invalid(rs, a->tpl, a->title, m, fields);
		return;
	}
	json_decref(fields);
	json_decref(m);
	if (rc == BZ_OK) {
		char loc[64];
		snprintf(loc, sizeof(loc), "%s%lld", a->path, (long long)id);
		web_flash(rs, rq, "success", a->flash);
		web_redirect(rs, loc);
		rs->model = json_pack("{s:I}", "id", (json_int_t)id);
	} else if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", a->forbidden);
	else
		web_error(rs, 500, "internal", a->failed);
}

/* A small non-negative integer from the query; def when absent; -1 if bad. */
long field_query_int(const struct request *rq, const char *key, long def, long min, long max)
{
	const char *s = rq_query(rq, key);
	if (s == NULL || *s == '\0')
		return def;
	char *end = NULL;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return -1;
	return v;
}

void field_db_fail(struct response *rs, const char *what)
{
	char msg[160];
	snprintf(msg, sizeof(msg), "%s 읽지 못했습니다. 잠시 후 다시 시도해 주세요.", what);
	web_error(rs, 500, "internal", msg);
}

/* Marks the option whose "value" (string or integer) equals sel. */
void field_mark_selected(json_t *opts, const char *key, const char *sel)
{
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o)
	{
		json_t *v = json_object_get(o, key);
		char buf[32];
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
			s = buf;
		}
		json_object_set_new(o, "selected", json_boolean(sel && s && strcmp(s, sel) == 0));
	}
}
