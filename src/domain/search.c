/* Search helpers: query normalisation and the per-term strategy (FTS5 trigram
 * phrase for 3+ code points, the exact bigram index for two, instr() for
 * one). See search.h. */
#include "bizsos/search.h"

#include <stdlib.h>
#include <string.h>

size_t search_utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

/* Length in bytes of a separator at p (ASCII blank or control, NBSP, the
 * ideographic space U+3000), or 0. */
static size_t separator_len(const unsigned char *p)
{
	if (*p < 0x20 || *p == ' ' || *p == 0x7f)
		return 1;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

static void query_clear(struct search_query *q)
{
	q->terms_buf[0] = '\0';
	q->nterms = 0;
}

bz_rc search_parse(const char *in, struct search_query *q, const char **msg)
{
	q->text[0] = '\0';
	query_clear(q);
	if (msg)
		*msg = NULL;
	if (in == NULL)
		return BZ_OK;
	size_t inlen = strlen(in);
	if (!bz_utf8_valid(in, inlen)) {
		if (msg)
			*msg = "검색어에 읽을 수 없는 문자가 있습니다.";
		return BZ_ERR_INVALID;
	}
	/* Copy with single spaces, counting code points; stop at the cap but
	 * remember that there was more. */
	const unsigned char *p = (const unsigned char *)in;
	size_t len = 0, chars = 0;
	bool pending_space = false, over = false;
	while (*p) {
		size_t sep = separator_len(p);
		if (sep) {
			pending_space = len > 0;
			p += sep;
			continue;
		}
		size_t clen = 1;
		while ((p[clen] & 0xC0) == 0x80)
			clen++;
		if (chars + (pending_space ? 1 : 0) + 1 > SEARCH_MAX_CHARS) {
			over = true;
			break;
		}
		if (pending_space) {
			q->text[len++] = ' ';
			chars++;
			pending_space = false;
		}
		memcpy(q->text + len, p, clen);
		len += clen;
		chars++;
		p += clen;
	}
	q->text[len] = '\0';
	if (over) {
		if (msg)
			*msg = "검색어는 100자 이내로 입력하세요.";
		return BZ_ERR_TOOLARGE;
	}

	/* Split into terms (NUL-separated copies in terms_buf). */
	memcpy(q->terms_buf, q->text, len + 1);
	char *s = q->terms_buf;
	while (*s) {
		if (q->nterms == SEARCH_MAX_TERMS) {
			query_clear(q);
			if (msg)
				*msg = "검색어는 낱말 10개까지 입력할 수 있습니다.";
			return BZ_ERR_TOOLARGE;
		}
		char *end = strchr(s, ' ');
		if (end)
			*end = '\0';
		struct search_term *t = &q->terms[q->nterms++];
		t->text = s;
		t->chars = search_utf8_chars(s);
		t->fts = t->chars >= SEARCH_FTS_MIN_CHARS;
		if (end == NULL)
			break;
		s = end + 1;
	}
	return BZ_OK;
}

bool search_fts_phrase(const char *term, char *out, size_t outlen)
{
	size_t o = 0;
	if (outlen < 3)
		return false;
	out[o++] = '"';
	for (const char *p = term; *p; p++) {
		size_t need = *p == '"' ? 2 : 1;
		if (o + need + 2 > outlen) {
			out[0] = '\0';
			return false;
		}
		out[o++] = *p;
		if (*p == '"')
			out[o++] = '"';
	}
	out[o++] = '"';
	out[o] = '\0';
	return true;
}

static bool add_bind(struct search_sql *s, const char *v)
{
	char **nb = realloc(s->binds, (s->nbinds + 1) * sizeof(*nb));
	if (nb == NULL)
		return false;
	s->binds = nb;
	char *copy = strdup(v);
	if (copy == NULL)
		return false;
	s->binds[s->nbinds++] = copy;
	return true;
}

/* The terms' condition, appended to out: every term must match. */
static bool where_terms(const struct search_query *q, const struct search_spec *spec,
                        struct search_sql *out)
{
	bool ok = true;
	bool first = true;
	buf_putc(&out->where, '(');

	/* Every long term in one MATCH: phrases separated by spaces AND together. */
	if (spec->fts_table) {
		struct buf match;
		buf_init(&match, SEARCH_TEXT_SIZE * 3);
		for (size_t i = 0; i < q->nterms; i++) {
			if (!q->terms[i].fts)
				continue;
			char phrase[SEARCH_TEXT_SIZE * 2 + 3];
			if (!search_fts_phrase(q->terms[i].text, phrase, sizeof(phrase)))
				ok = false;
			if (match.len)
				buf_putc(&match, ' ');
			buf_puts(&match, phrase);
		}
		if (match.len) {
			buf_printf(&out->where, "%s IN (SELECT rowid FROM %s WHERE %s MATCH ?)",
			           spec->id_expr, spec->fts_table, spec->fts_table);
			const char *m = buf_cstr(&match);
			ok = ok && m && add_bind(out, m);
			first = false;
		}
		buf_free(&match);
	}

	/* Each short term (or every term, without an FTS table): any column has it. */
	for (size_t i = 0; i < q->nterms && ok; i++) {
		if (spec->fts_table && q->terms[i].fts)
			continue;
		buf_puts(&out->where, first ? "(" : " AND (");
		first = false;
		if (spec->bigram_kind > 0 && q->terms[i].chars == 2) {
			/* exact (sql/090): the index alone answers, no check of the text */
			buf_printf(&out->where,
			           "%s IN (SELECT id FROM search_bigram WHERE kind = %d AND "
			           "gram = lower(?)))",
			           spec->id_expr, spec->bigram_kind);
			ok = add_bind(out, q->terms[i].text);
			continue;
		}
		for (size_t c = 0; spec->columns[c] && ok; c++) {
			buf_printf(&out->where, "%sinstr(lower(%s), lower(?)) > 0", c ? " OR " : "",
			           spec->columns[c]);
			ok = add_bind(out, q->terms[i].text);
		}
		buf_putc(&out->where, ')');
	}
	buf_putc(&out->where, ')');
	return ok;
}

bz_rc search_where(const struct search_query *q, const struct search_spec *spec,
                   struct search_sql *out)
{
	buf_init(&out->where, 64 * 1024);
	out->binds = NULL;
	out->nbinds = 0;
	if (spec->columns == NULL || spec->columns[0] == NULL)
		return BZ_ERR_INVALID;
	if (q->nterms == 0) {
		buf_puts(&out->where, "1");
		return buf_cstr(&out->where) ? BZ_OK : BZ_ERR_NOMEM;
	}

	bool ok;
	if (spec->stale_kind > 0) {
		/* A record whose index entries are not yet those of its text (sql/150)
		 * is judged by its text; every other one by the index. */
		const struct search_spec text = {NULL, spec->id_expr, spec->columns, 0, 0};
		buf_printf(&out->where,
		           "((%s NOT IN (SELECT id FROM search_stale WHERE kind = %d) AND ",
		           spec->id_expr, spec->stale_kind);
		ok = where_terms(q, spec, out);
		buf_printf(&out->where,
		           ") OR (%s IN (SELECT id FROM search_stale WHERE kind = %d) AND ",
		           spec->id_expr, spec->stale_kind);
		ok = ok && where_terms(q, &text, out);
		buf_puts(&out->where, "))");
	} else {
		ok = where_terms(q, spec, out);
	}
	if (!ok || buf_cstr(&out->where) == NULL)
		return BZ_ERR_NOMEM;
	return BZ_OK;
}

int search_bind(sqlite3_stmt *st, const struct search_sql *s, int first)
{
	for (size_t i = 0; i < s->nbinds; i++)
		sqlite3_bind_text(st, first++, s->binds[i], -1, SQLITE_TRANSIENT);
	return first;
}

void search_sql_free(struct search_sql *s)
{
	buf_free(&s->where);
	for (size_t i = 0; i < s->nbinds; i++)
		free(s->binds[i]);
	free(s->binds);
	s->binds = NULL;
	s->nbinds = 0;
}
