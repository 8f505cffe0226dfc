/* Code → Korean label tables: the one lookup and the one list of choices that
 * every module's statuses and kinds use. */
#ifndef BIZSOS_CODES_H
#define BIZSOS_CODES_H

#include "bizsos/common.h"
#include <jansson.h>

struct code_label {
	const char *code;
	const char *label;
};

/* The label of code in table[0..n), or NULL (also for a NULL code). */
const char *code_label_find(const struct code_label *table, size_t n, const char *code);
/* table[from..n) as form choices [{value, label}]; caller owns the array. */
json_t *code_label_choices(const struct code_label *table, size_t n, size_t from);

#endif
