/* The URLs of link facts (include/bizsos/link.h): the one place that knows
 * how the pages a model points at are addressed. */
#include "bizsos/web.h"

#include <stdio.h>
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
	} else if (strcmp(page, "home_list") == 0 && home_list_href(str(l, "list")))
		bz_strlcpy(out, home_list_href(str(l, "list")), outlen);
	else
		return false;
	return true;
}

static bool is_link(const json_t *v)
{
	return json_is_object(v) && json_object_get(v, "$link") != NULL;
}

/* The URL text of link fact v (NULL-safe: an unknown page becomes "/", logged). */
static json_t *href_of(const json_t *v)
{
	char h[512];
	if (!link_href(v, h, sizeof(h))) {
		LOG_WARN("unknown link page %s", str(v, "$link"));
		bz_strlcpy(h, "/", sizeof(h));
	}
	return json_string(h);
}

void web_links_resolve(json_t *model)
{
	if (json_is_object(model)) {
		const char *k;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(model, tmp, k, v)
		{
			if (is_link(v))
				json_object_set_new(model, k, href_of(v));
			else
				web_links_resolve(v);
		}
	} else if (json_is_array(model)) {
		size_t i;
		json_t *v;
		json_array_foreach(model, i, v)
		{
			if (is_link(v))
				json_array_set_new(model, i, href_of(v));
			else
				web_links_resolve(v);
		}
	}
}
