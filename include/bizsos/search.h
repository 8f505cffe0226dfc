/* Search over Korean text: one query box, any record type.
 *
 * SQLite's trigram tokenizer (FTS5 tokenize='trigram') matches substrings of
 * three characters or more, but cannot match a shorter query: two-syllable
 * Korean words such as 자금 or 인력 are two code points. So every term of the
 * query picks its own strategy:
 *   - a term of 3 code points or more: an FTS5 MATCH, the term quoted as a
 *     phrase (double quotes doubled), so no user text is ever FTS syntax;
 *   - a two-character term, for a record type with a search_bigram kind: the
 *     records that index lists for it (sql/060, exact since sql/090: a record's
 *     grams are replaced when its text changes), so 자금 over 100,000 cases
 *     reads one range of an index, not any record's text;
 *   - any other shorter term: instr(lower(col), lower(?)) > 0 over the caller's
 *     columns, OR-ed (instr takes % and _ literally, so nothing needs escaping).
 * Terms are separated by whitespace and AND together.
 *
 * The SQL text this module writes contains only the table and column names the
 * caller passes (compile-time constants of the caller's module) and '?'
 * placeholders; the user's text only ever travels as bind values.
 *
 * Use:
 *     static const char *const COLS[] = {"c.name", "c.representative", NULL};
 *     static const struct search_spec SPEC = {"company_fts", "c.id", COLS};
 *     struct search_query q;
 *     const char *msg;
 *     if (search_parse(rq_query(rq, "q"), &q, &msg) != BZ_OK) -> 422 with msg
 *     struct search_sql s;
 *     if (search_where(&q, &SPEC, &s) != BZ_OK) -> 500
 *     ... "SELECT ... FROM company c WHERE c.retired_at IS NULL AND " + s.where
 *     int next = search_bind(st, &s, 1);  // binds ?1.. ; returns the next index
 *     search_sql_free(&s);
 * With no terms, s.where is "1" (matches everything) and there is nothing to bind. */
#ifndef BIZSOS_SEARCH_H
#define BIZSOS_SEARCH_H

#include "bizsos/buf.h"
#include <sqlite3.h>

#define SEARCH_MAX_CHARS     100                        /* code points after normalising */
#define SEARCH_TEXT_SIZE     (SEARCH_MAX_CHARS * 4 + 1) /* UTF-8 and the NUL */
#define SEARCH_MAX_TERMS     10
#define SEARCH_FTS_MIN_CHARS 3 /* the trigram tokenizer's shortest match */

struct search_term {
	const char *text; /* points into search_query.text; NUL-terminated */
	size_t chars;     /* code points */
	bool fts;         /* chars >= SEARCH_FTS_MIN_CHARS */
};

struct search_query {
	char text[SEARCH_TEXT_SIZE]; /* normalised: trimmed, single spaces */
	char terms_buf[SEARCH_TEXT_SIZE];
	struct search_term terms[SEARCH_MAX_TERMS];
	size_t nterms; /* 0: no search (list everything) */
};

/* Normalises the user's query into q: trims, collapses every run of blanks and
 * control characters into one space. in may be NULL (no search). BZ_OK with
 * nterms 0 for an empty query. BZ_ERR_TOOLARGE with a static Korean *msg (if
 * msg) when the normalised text is longer than SEARCH_MAX_CHARS code points or
 * has more than SEARCH_MAX_TERMS terms; BZ_ERR_INVALID for invalid UTF-8. On an
 * error q is an empty query, but q->text keeps what fits (to show it back). */
bz_rc search_parse(const char *in, struct search_query *q, const char **msg);

/* Where and how to search one kind of record. */
struct search_spec {
	/* The FTS5 table (tokenize='trigram') whose rowid is the record's id, over
	 * the same text as columns; NULL: short-term strategy for every term. */
	const char *fts_table;
	/* The expression for the record's id in the caller's query ("c.id"). */
	const char *id_expr;
	/* NULL-terminated list of text expressions for short terms ("c.name"). */
	const char *const *columns;
	/* The record's kind in search_bigram (sql/060: 1 case, 2 company), whose
	 * grams are exactly those of the columns' texts (sql/090): a two-character
	 * term is answered from it alone; 0: no bigram index. */
	int bigram_kind;
	/* The record's kind in search_stale (sql/150: 1 case): a record listed
	 * there is matched against its text, not the index; 0: none. */
	int stale_kind;
};

struct search_sql {
	struct buf where; /* the fragment, e.g. "(c.id IN (SELECT rowid FROM ...))" */
	char **binds;     /* bind values in order; owned */
	size_t nbinds;
};

/* Builds the WHERE fragment (parenthesised, to be AND-ed by the caller) and its
 * bind values for q over spec. With no terms the fragment is "1". out is always
 * initialised, so search_sql_free may be called on any outcome. BZ_ERR_NOMEM on
 * allocation failure, BZ_ERR_INVALID if spec names no columns. */
bz_rc search_where(const struct search_query *q, const struct search_spec *spec,
                   struct search_sql *out);

/* Binds s's values to st from index `first`; returns the next free index. */
int search_bind(sqlite3_stmt *st, const struct search_sql *s, int first);

void search_sql_free(struct search_sql *s);

/* The FTS5 phrase for one term: the term in double quotes, inner double quotes
 * doubled ("a""b"). Written into out; false if it does not fit. */
bool search_fts_phrase(const char *term, char *out, size_t outlen);

/* Number of UTF-8 code points in s (counts lead bytes). */
size_t search_utf8_chars(const char *s);

#endif
