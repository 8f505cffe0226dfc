/* Link facts: see include/bizsos/link.h. */
#include "bizsos/link.h"

#include <stdio.h>

json_t *link_fact(const char *page, json_t *params)
{
	json_t *o = params && json_is_object(params) ? params : json_object();
	if (params && o != params)
		json_decref(params);
	json_object_set_new(o, "$link", json_string(page));
	return o;
}

void link_text(char out[LINK_TEXT_SIZE], const char *page, int64_t id)
{
	if (page[0] != '/' && id != 0)
		snprintf(out, LINK_TEXT_SIZE, "%c%s:%lld%c", LINK_MARK, page, (long long)id,
		         LINK_MARK);
	else
		snprintf(out, LINK_TEXT_SIZE, "%c%.*s%c", LINK_MARK, LINK_TEXT_SIZE - 3, page,
		         LINK_MARK);
}

void link_text_token(char out[LINK_TEXT_SIZE], const char *page, const char *token)
{
	snprintf(out, LINK_TEXT_SIZE, "%c%s:%s%c", LINK_MARK, page, token, LINK_MARK);
}
