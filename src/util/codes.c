#include "bizsos/codes.h"

#include <string.h>

const char *code_label_find(const struct code_label *table, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(table[i].code, code) == 0)
			return table[i].label;
	return NULL;
}

json_t *code_label_choices(const struct code_label *table, size_t n, size_t from)
{
	json_t *a = json_array();
	for (size_t i = from; i < n; i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "value", table[i].code, "label", table[i].label));
	return a;
}
