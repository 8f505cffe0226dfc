/* Checks of typed-in fields, shared by every module that takes a form: blank,
 * free text, one line, ids; and the one way a field error is recorded (the
 * fields object maps a field name to its Korean message, first message wins). */
#ifndef BIZSOS_VALIDATE_H
#define BIZSOS_VALIDATE_H

#include "bizsos/common.h"
#include <jansson.h>

/* NULL, empty, or only ASCII blanks (space, tab, CR, LF). */
bool val_blank(const char *s);
/* val_blank, and the ideographic space U+3000 counts as blank too. */
bool val_blank_wide(const char *s);
/* Free text: NULL is fine; else valid UTF-8 of at most max code points with no
 * control characters but tab, CR and LF (and no DEL). */
bool val_text_ok(const char *s, size_t max);
/* One line: as val_text_ok, but no tab, CR or LF either. */
bool val_line_ok(const char *s, size_t max);
/* A positive decimal id of at most 18 digits without sign or blanks; 0 if not. */
int64_t val_parse_id(const char *s);
/* s, or NULL when s is NULL or "". */
const char *val_nz(const char *s);
/* A copy without blanks at either end; NULL for NULL or blank input (free it). */
char *val_trimdup(const char *s);

/* Records msg for key in fields unless key already has a message; a NULL
 * fields is ignored. */
void val_field_error(json_t *fields, const char *key, const char *msg);
/* As val_field_error, creating *fields on the first error. */
void val_field_error_new(json_t **fields, const char *key, const char *msg);

#endif
