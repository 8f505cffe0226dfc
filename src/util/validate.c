/* Field checks shared by the domain modules. See include/bizsos/validate.h. */
#include "bizsos/validate.h"

#include <stdlib.h>
#include <string.h>

static bool ascii_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool val_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (!ascii_blank(*s))
			return false;
	return true;
}

bool val_blank_wide(const char *s)
{
	if (s == NULL)
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (ascii_blank((char)*p))
			continue;
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
			p += 2;
			continue;
		}
		return false;
	}
	return true;
}

static bool text_check(const char *s, size_t max, bool multiline)
{
	if (s == NULL)
		return true;
	size_t n = strlen(s), cps = 0;
	if (!bz_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == 0x7f)
			return false;
		if (*p < 0x20 && !(multiline && (*p == '\t' || *p == '\n' || *p == '\r')))
			return false;
		if ((*p & 0xC0) != 0x80)
			cps++;
	}
	return cps <= max;
}

bool val_text_ok(const char *s, size_t max)
{
	return text_check(s, max, true);
}

bool val_line_ok(const char *s, size_t max)
{
	return text_check(s, max, false);
}

int64_t val_parse_id(const char *s)
{
	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 18)
		return 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

const char *val_nz(const char *s)
{
	return s && *s ? s : NULL;
}

char *val_trimdup(const char *s)
{
	if (s == NULL)
		return NULL;
	while (ascii_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && ascii_blank(s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	return strndup(s, n);
}

void val_field_error(json_t *fields, const char *key, const char *msg)
{
	if (fields && json_object_get(fields, key) == NULL)
		json_object_set_new(fields, key, json_string(msg));
}

void val_field_error_new(json_t **fields, const char *key, const char *msg)
{
	if (*fields == NULL)
		*fields = json_object();
	val_field_error(*fields, key, msg);
}
