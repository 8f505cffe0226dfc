/* The access log as CSV. See access_csv.h. */
#include "bizsos/access_csv.h"

#include <stdio.h>
#include <string.h>

static void cell(struct buf *b, const char *s, bool last)
{
	if (s == NULL)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
	if (quote)
		buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
	buf_puts(b, last ? "\r\n" : ",");
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void access_csv(const json_t *rows, struct buf *out)
{
	buf_puts(out, "\xEF\xBB\xBF");
	static const char *const head[] = {"번호",     "일시", "아이디", "이름",  "처리",
	                                   "정보주체", "내용", "사유",   "접속지"};
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		cell(out, head[i], i + 1 == sizeof(head) / sizeof(head[0]));
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r)
	{
		char id[24];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(r, "id")));
		cell(out, id, false);
		cell(out, str(r, "at_kst"), false);
		cell(out, str(r, "login"), false);
		cell(out, str(r, "user_name"), false);
		cell(out, str(r, "action_label"), false);
		cell(out, str(r, "subject"), false);
		cell(out, str(r, "what"), false);
		cell(out, str(r, "reason"), false);
		cell(out, str(r, "remote"), true);
	}
}
