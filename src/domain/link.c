/* Link facts: see include/bizsos/link.h. */
#include "bizsos/link.h"

json_t *link_fact(const char *page, json_t *params)
{
	json_t *o = params && json_is_object(params) ? params : json_object();
	if (params && o != params)
		json_decref(params);
	json_object_set_new(o, "$link", json_string(page));
	return o;
}
