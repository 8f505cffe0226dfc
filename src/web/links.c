/* The URLs of link facts (include/bizsos/link.h): the one place that knows
 * how the pages a model points at are addressed. */
#include "bizsos/web.h"
#include "bizsos/buf.h"
#include "bizsos/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long num(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The home page's lists and the case list filter each one shows in full. */
static const char *home_list_href(const char *list)
{
	static const char *const m[][2] = {
	    {"mine", "/cases?status=open&mine=1&sort=due"},
	    {"recent", "/cases?mine=1&sort=no&order=desc"},
	    {"referrals", "/cases?status=open&sort=due"},
	    {"red", "/cases?status=open&flag=red&sort=due"},
	    {"unassigned", "/cases?status=open&assignee=none&sort=due"},
	    {"bounced", "/cases?status=open&flag=bounced&sort=due"},
	    {"overdue", "/cases/overdue"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(m); i++)
		if (strcmp(m[i][0], list) == 0)
			return m[i][1];
	return NULL;
}

/* The case list with the filters of link fact l ("cases" {status, overdue,
 * flag, assignee, department, closed_from, closed_to, sort}, each optional),
 * in this order of keys. */
static void cases_href(const json_t *l, char *out, size_t outlen)
{
	static const char *const keys[] = {"status",     "overdue",     "flag",      "assignee",
	                                   "department", "closed_from", "closed_to", "sort"};
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/cases");
	char sep = '?';
	for (size_t i = 0; i < BZ_ARRAY_LEN(keys); i++) {
		const json_t *v = json_object_get(l, keys[i]);
		if (json_is_integer(v))
			buf_printf(&b, "%c%s=%lld", sep, keys[i], (long long)json_integer_value(v));
		else if (json_is_string(v))
			buf_printf(&b, "%c%s=%s", sep, keys[i], json_string_value(v));
		else
			continue;
		sep = '&';
	}
	bz_strlcpy(out, b.failed ? "/cases" : buf_cstr(&b), outlen);
	buf_free(&b);
}

/* The URL of one link fact into out; false for an unknown page. */
static bool link_href(const json_t *l, char *out, size_t outlen)
{
	const char *page = str(l, "$link");
	if (strcmp(page, "case") == 0)
		snprintf(out, outlen, "/cases/%lld", num(l, "id"));
	else if (strcmp(page, "activity") == 0)
		snprintf(out, outlen, "/activities/%lld", num(l, "id"));
	else if (strcmp(page, "grant") == 0)
		snprintf(out, outlen, "/grants/%lld", num(l, "id"));
	else if (strcmp(page, "document") == 0)
		snprintf(out, outlen, "/documents/%lld", num(l, "id"));
	else if (strcmp(page, "cases") == 0)
		cases_href(l, out, outlen);
	else if (strcmp(page, "program_executions") == 0)
		bz_strlcpy(out, "/program#executions", outlen);
	else if (strcmp(page, "survey") == 0)
		snprintf(out, outlen, "/survey/%s", str(l, "token"));
	else if (strcmp(page, "card_as_of") == 0)
		snprintf(out, outlen, "/card?as_of=%lld-Q%lld", num(l, "year"), num(l, "quarter"));
	else if (strcmp(page, "cases_done") == 0)
		snprintf(out, outlen, "/cases?status=done&closed_from=%s&closed_to=%s",
		         str(l, "from"), str(l, "to"));
	else if (strcmp(page, "cases_status") == 0)
		snprintf(out, outlen, "/cases?status=%s", str(l, "status"));
	else if (strcmp(page, "cases_overdue_filter") == 0)
		bz_strlcpy(out, "/cases?overdue=1", outlen);
	else if (strcmp(page, "staff_activities") == 0)
		snprintf(out, outlen, "/activities?staff=%lld", num(l, "staff"));
	else if (strcmp(page, "progress") == 0)
		snprintf(out, outlen, "/progress?year=%lld&quarter=%lld", num(l, "year"),
		         num(l, "quarter"));
	else if (strcmp(page, "activity_photo") == 0)
		snprintf(out, outlen, "/activities/%lld/photos/%lld", num(l, "activity"),
		         num(l, "photo"));
	else if (strcmp(page, "comm_day_activities") == 0) {
		if (num(l, "year"))
			snprintf(out, outlen, "/activities?type=3&year=%lld", num(l, "year"));
		else
			bz_strlcpy(out, "/activities?type=3", outlen);
	} else if (strcmp(page, "notifications") == 0)
		bz_strlcpy(out, "/notifications", outlen);
	else if (strcmp(page, "notify_settings") == 0)
		bz_strlcpy(out, "/notifications/settings", outlen);
	else if (strcmp(page, "home_list") == 0 && home_list_href(str(l, "list")))
		bz_strlcpy(out, home_list_href(str(l, "list")), outlen);
	else
		return false;
	return true;
}

static bool is_link(const json_t *v)
{
	return json_is_object(v) && json_object_get(v, "$link") != NULL;
}

/* The URL text of link fact v under base ("" for a local path; NULL-safe: an
 * unknown page becomes base + "/", logged). */
static json_t *href_of(const json_t *v, const char *base)
{
	char h[512];
	if (!link_href(v, h, sizeof(h))) {
		LOG_WARN("unknown link page %s", str(v, "$link"));
		bz_strlcpy(h, "/", sizeof(h));
	}
	return json_pack("s++", base, "", h);
}

/* Replaces the link facts in model; counts them in *found. */
static void resolve(json_t *model, const char *base, size_t *found)
{
	if (json_is_object(model)) {
		const char *k;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(model, tmp, k, v)
		{
			if (is_link(v)) {
				json_object_set_new(model, k, href_of(v, base));
				++*found;
			} else
				resolve(v, base, found);
		}
	} else if (json_is_array(model)) {
		size_t i;
		json_t *v;
		json_array_foreach(model, i, v)
		{
			if (is_link(v)) {
				json_array_set_new(model, i, href_of(v, base));
				++*found;
			} else
				resolve(v, base, found);
		}
	}
}

void web_links_resolve(json_t *model)
{
	size_t found = 0;
	resolve(model, "", &found);
}

void web_links_resolve_under(json_t *model, const char *base)
{
	size_t found = 0;
	resolve(model, base, &found);
}

/* The URL of the text form of a link fact (include/bizsos/link.h: "page",
 * "page:id" or a local path), n bytes at t, under base, appended to b. */
static void text_href(struct buf *b, const char *t, size_t n, const char *base)
{
	char tok[LINK_TEXT_SIZE];
	bz_strlcpy(tok, t, n + 1 < sizeof(tok) ? n + 1 : sizeof(tok));
	if (tok[0] == '/') {
		buf_printf(b, "%s%s", base, web_local_path(tok) ? tok : "/");
		return;
	}
	char *colon = strchr(tok, ':');
	json_t *fact = json_object();
	if (colon) {
		*colon = '\0';
		const char *param = colon + 1;
		bool digits = *param != '\0' && strspn(param, "0123456789") == strlen(param);
		json_object_set_new(fact, digits ? "id" : "token",
		                    digits ? json_integer(strtoll(param, NULL, 10))
		                           : json_string(param));
	}
	json_object_set_new(fact, "$link", json_string(tok));
	json_t *h = href_of(fact, base);
	buf_puts(b, json_string_value(h));
	json_decref(h);
	json_decref(fact);
}

bz_rc web_links_message(const char *body, bool json, const char *base, char **out)
{
	*out = NULL;
	if (body == NULL)
		return BZ_OK;
	if (json) {
		json_t *o = json_loads(body, 0, NULL);
		size_t found = 0;
		if (o)
			resolve(o, base, &found);
		if (found > 0)
			*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(o);
		return found > 0 && *out == NULL ? BZ_ERR_NOMEM : BZ_OK;
	}
	if (strchr(body, LINK_MARK) == NULL)
		return BZ_OK;
	struct buf b;
	buf_init(&b, 0);
	const char *p = body;
	for (const char *m; (m = strchr(p, LINK_MARK)) != NULL;) {
		const char *e = strchr(m + 1, LINK_MARK);
		if (e == NULL)
			break;
		buf_append(&b, p, (size_t)(m - p));
		text_href(&b, m + 1, (size_t)(e - m - 1), base);
		p = e + 1;
	}
	buf_puts(&b, p);
	if (b.failed) {
		buf_free(&b);
		return BZ_ERR_NOMEM;
	}
	*out = strdup(buf_cstr(&b));
	buf_free(&b);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}
