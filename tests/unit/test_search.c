/* Search: normalising the query, the per-term strategy (FTS5 trigram phrase for
 * 3+ code points, instr() below that), and the SQL it builds, run against a real
 * SQLite table with Korean text of 1, 2, 3 and 4+ syllables, mixed terms,
 * quotes, % and _ and would-be FTS syntax. */
#include "bizsos/search.h"
#include "harness.h"

#include <stdlib.h>

static void test_parse(void)
{
	struct search_query q;
	const char *msg = "x";

	CHECK_INT(search_parse(NULL, &q, &msg), BZ_OK);
	CHECK_INT(q.nterms, 0);
	CHECK(msg == NULL, "no message for NULL");
	CHECK_INT(search_parse("   \t\n ", &q, &msg), BZ_OK);
	CHECK_INT(q.nterms, 0);
	CHECK_STR(q.text, "");

	/* trim, collapse blanks (tabs, newlines, NBSP, ideographic space) */
	CHECK_INT(search_parse("  자금 \t  지원\n", &q, &msg), BZ_OK);
	CHECK_STR(q.text, "자금 지원");
	CHECK_INT(q.nterms, 2);
	CHECK_STR(q.terms[0].text, "자금");
	CHECK_STR(q.terms[1].text, "지원");
	CHECK_INT(search_parse("인력\xC2\xA0채용\xE3\x80\x80애로", &q, &msg), BZ_OK);
	CHECK_STR(q.text, "인력 채용 애로");
	CHECK_INT(q.nterms, 3);

	/* 1, 2, 3 and 4+ syllables: the strategy flips at 3 code points */
	static const struct {
		const char *in;
		size_t chars;
		bool fts;
	} terms[] = {
	    {"김", 1, false},        {"자금", 2, false}, {"인력", 2, false}, {"스마트", 3, true},
	    {"스마트공장", 5, true}, {"ab", 2, false},   {"abc", 3, true},   {"%", 1, false},
	    {"a_", 2, false},        {"\"", 1, false},   {"공장a", 3, true}, {"x\"y", 3, true},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(terms); i++) {
		CHECK_INT(search_parse(terms[i].in, &q, &msg), BZ_OK);
		CHECK_INT(q.nterms, 1);
		CHECK_INT(q.terms[0].chars, terms[i].chars);
		CHECK(q.terms[0].fts == terms[i].fts, "strategy of \"%s\"", terms[i].in);
	}

	/* mixed: a short and a long term */
	CHECK_INT(search_parse("자금 스마트공장", &q, &msg), BZ_OK);
	CHECK_INT(q.nterms, 2);
	CHECK(!q.terms[0].fts && q.terms[1].fts, "mixed strategies");

	/* 100 code points are fine, 101 are refused with a Korean message */
	char s[1024] = "";
	size_t n = 0;
	for (int i = 0; i < 100; i++) {
		memcpy(s + n, "가", 3);
		n += 3;
	}
	s[n] = '\0';
	CHECK_INT(search_parse(s, &q, &msg), BZ_OK);
	CHECK_INT(q.terms[0].chars, 100);
	memcpy(s + n, "나", 4);
	CHECK_INT(search_parse(s, &q, &msg), BZ_ERR_TOOLARGE);
	CHECK_STR(msg, "검색어는 100자 이내로 입력하세요.");
	CHECK_INT(q.nterms, 0);
	CHECK_INT(search_utf8_chars(q.text), 100); /* what fits is kept to show back */
	/* blanks collapse before counting: 100 letters padded with spaces pass */
	char padded[1200];
	snprintf(padded, sizeof(padded), "     %.*s     ", (int)n, s);
	CHECK_INT(search_parse(padded, &q, &msg), BZ_OK);

	/* more than 10 terms */
	CHECK_INT(search_parse("a b c d e f g h i j", &q, &msg), BZ_OK);
	CHECK_INT(q.nterms, 10);
	CHECK_INT(search_parse("a b c d e f g h i j k", &q, &msg), BZ_ERR_TOOLARGE);
	CHECK_STR(msg, "검색어는 낱말 10개까지 입력할 수 있습니다.");
	CHECK_INT(q.nterms, 0);

	/* invalid UTF-8 */
	CHECK_INT(search_parse("\xff\xfe", &q, &msg), BZ_ERR_INVALID);
	CHECK(msg != NULL, "a message for invalid UTF-8");
}

static void test_phrase(void)
{
	char out[64];
	CHECK(search_fts_phrase("스마트", out, sizeof(out)), "phrase");
	CHECK_STR(out, "\"스마트\"");
	CHECK(search_fts_phrase("a\"b", out, sizeof(out)), "phrase with a quote");
	CHECK_STR(out, "\"a\"\"b\"");
	CHECK(search_fts_phrase("\"\"", out, sizeof(out)), "only quotes");
	CHECK_STR(out, "\"\"\"\"\"\"");
	CHECK(!search_fts_phrase("abcdef", out, 5), "too small a buffer");
}

static const char *const COLS[] = {"t.name", "t.notes", NULL};
static const struct search_spec SPEC = {"t_fts", "t.id", COLS};
static const struct search_spec SPEC_NOFTS = {NULL, "t.id", COLS};
/* as the cases' (sql/150): records listed in search_stale go by their text */
static const struct search_spec SPEC_STALE = {"t_fts", "t.id", COLS, 0, 1};

static void test_where_sql(void)
{
	struct search_query q;
	struct search_sql s;
	search_parse("", &q, NULL);
	CHECK_INT(search_where(&q, &SPEC, &s), BZ_OK);
	CHECK_STR(buf_cstr(&s.where), "1");
	CHECK_INT(s.nbinds, 0);
	search_sql_free(&s);

	search_parse("자금 스마트공장 \"x\"", &q, NULL);
	CHECK_INT(search_where(&q, &SPEC, &s), BZ_OK);
	CHECK_STR(buf_cstr(&s.where), "(t.id IN (SELECT rowid FROM t_fts WHERE t_fts MATCH ?) AND "
	                              "(instr(lower(t.name), lower(?)) > 0 OR "
	                              "instr(lower(t.notes), lower(?)) > 0))");
	CHECK_INT(s.nbinds, 3);
	CHECK_STR(s.binds[0], "\"스마트공장\" \"\"\"x\"\"\"");
	CHECK_STR(s.binds[1], "자금");
	CHECK_STR(s.binds[2], "자금");
	search_sql_free(&s);

	/* no FTS table: every term goes through instr */
	search_parse("스마트공장", &q, NULL);
	CHECK_INT(search_where(&q, &SPEC_NOFTS, &s), BZ_OK);
	CHECK(strstr(buf_cstr(&s.where), "MATCH") == NULL, "no MATCH without FTS");
	CHECK_INT(s.nbinds, 2);
	search_sql_free(&s);

	/* with search_stale: either way, every term bound for each */
	search_parse("자금 스마트공장", &q, NULL);
	CHECK_INT(search_where(&q, &SPEC_STALE, &s), BZ_OK);
	CHECK_STR(
	    buf_cstr(&s.where),
	    "((t.id NOT IN (SELECT id FROM search_stale WHERE kind = 1) AND "
	    "(t.id IN (SELECT rowid FROM t_fts WHERE t_fts MATCH ?) AND "
	    "(instr(lower(t.name), lower(?)) > 0 OR instr(lower(t.notes), lower(?)) > 0))) OR "
	    "(t.id IN (SELECT id FROM search_stale WHERE kind = 1) AND "
	    "((instr(lower(t.name), lower(?)) > 0 OR instr(lower(t.notes), lower(?)) > 0) AND "
	    "(instr(lower(t.name), lower(?)) > 0 OR instr(lower(t.notes), lower(?)) > 0))))");
	CHECK_INT(s.nbinds, 7);
	CHECK_STR(s.binds[0], "\"스마트공장\"");
	CHECK_STR(s.binds[3], "자금");
	CHECK_STR(s.binds[5], "스마트공장");
	search_sql_free(&s);

	static const char *const none[] = {NULL};
	static const struct search_spec bad = {NULL, "t.id", none};
	CHECK_INT(search_where(&q, &bad, &s), BZ_ERR_INVALID);
	search_sql_free(&s);
}

static sqlite3 *h;

/* Runs the search; returns the matching ids as "1,3" ("" for none, "ERR" when
 * SQLite refused the statement). */
static void ids(const struct search_spec *spec, const char *query, char *out, size_t outlen)
{
	struct search_query q;
	struct search_sql s;
	out[0] = '\0';
	if (search_parse(query, &q, NULL) != BZ_OK || search_where(&q, spec, &s) != BZ_OK) {
		bz_strlcpy(out, "ERR", outlen);
		return;
	}
	char sql[4096];
	snprintf(sql, sizeof(sql), "SELECT t.id FROM t WHERE %s ORDER BY t.id", buf_cstr(&s.where));
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(h));
		bz_strlcpy(out, "ERR", outlen);
		search_sql_free(&s);
		return;
	}
	search_bind(st, &s, 1);
	struct buf b;
	buf_init(&b, 0);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(&b, "%s%lld", b.len ? "," : "", (long long)sqlite3_column_int64(st, 0));
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "step: %s (%s)\n", sqlite3_errmsg(h), query);
		buf_reset(&b);
		buf_puts(&b, "ERR");
	}
	bz_strlcpy(out, buf_cstr(&b), outlen);
	buf_free(&b);
	sqlite3_finalize(st);
	search_sql_free(&s);
}

#define CHECK_FINDS(spec, query, expected)                                                         \
	do {                                                                                       \
		char got_[256];                                                                    \
		ids(spec, query, got_, sizeof(got_));                                              \
		CHECK(strcmp(got_, expected) == 0, "search \"%s\" found [%s], expected [%s]",      \
		      query, got_, expected);                                                      \
	} while (0)

static void test_search_db(void)
{
	CHECK_INT(sqlite3_open(":memory:", &h), SQLITE_OK);
	const char *schema =
	    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, notes TEXT);"
	    "CREATE VIRTUAL TABLE t_fts USING fts5 (name, notes, content='t', content_rowid='id',"
	    " tokenize='trigram');"
	    "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN"
	    " INSERT INTO t_fts (rowid, name, notes) VALUES (new.id, new.name, new.notes); END;"
	    "INSERT INTO t (id, name, notes) VALUES"
	    " (1, '한빛정밀 주식회사', '자금 지원 요청, 스마트공장 구축'),"
	    " (2, '대한인력개발', '인력 채용 애로'),"
	    " (3, '김철수 상사', '수출 판로 50% 할인'),"
	    " (4, 'ABC_테크', 'say \"hello\"'),"
	    " (5, 'Axb Works', NULL);";
	char *err = NULL;
	CHECK(sqlite3_exec(h, schema, NULL, NULL, &err) == SQLITE_OK, "schema: %s", err);
	sqlite3_free(err);

	CHECK(sqlite3_exec(
	          h, "CREATE TABLE search_stale (kind INTEGER, id INTEGER, PRIMARY KEY (kind, id))",
	          NULL, NULL, NULL) == SQLITE_OK,
	      "search_stale");
	for (int k = 0; k < 3; k++) {
		const struct search_spec *sp = k == 0 ? &SPEC : k == 1 ? &SPEC_NOFTS : &SPEC_STALE;
		/* two syllables: below the trigram minimum, still found */
		CHECK_FINDS(sp, "자금", "1");
		CHECK_FINDS(sp, "인력", "2");
		/* one syllable */
		CHECK_FINDS(sp, "김", "3");
		/* three and more syllables */
		CHECK_FINDS(sp, "스마트", "1");
		CHECK_FINDS(sp, "스마트공장", "1");
		CHECK_FINDS(sp, "인력개발", "2");
		CHECK_FINDS(sp, "한빛정밀 주식회사", "1");
		/* terms AND together, mixed strategies */
		CHECK_FINDS(sp, "정밀 자금", "1");
		CHECK_FINDS(sp, "자금 인력", "");
		CHECK_FINDS(sp, "인력개발 채용", "2");
		CHECK_FINDS(sp, "스마트공장 한빛정밀", "1");
		CHECK_FINDS(sp, "스마트공장 대한인력", "");
		/* % and _ are ordinary characters */
		CHECK_FINDS(sp, "%", "3");
		CHECK_FINDS(sp, "50%", "3");
		CHECK_FINDS(sp, "_", "4");
		CHECK_FINDS(sp, "c_", "4");
		CHECK_FINDS(sp, "a_", "");
		CHECK_FINDS(sp, "C_테", "4");
		/* quotes */
		CHECK_FINDS(sp, "\"", "4");
		CHECK_FINDS(sp, "\"hello\"", "4");
		CHECK_FINDS(sp, "y \"h", "4");
		/* ASCII case does not matter */
		CHECK_FINDS(sp, "abc", "4");
		CHECK_FINDS(sp, "AB", "4");
		CHECK_FINDS(sp, "WORKS", "5");
		/* FTS5 syntax is just text: no errors, no operators */
		CHECK_FINDS(sp, "name:abc", "");
		CHECK_FINDS(sp, "NEAR(자금", "");
		CHECK_FINDS(sp, "자금 OR 인력", "");
		CHECK_FINDS(sp, "*", "");
		CHECK_FINDS(sp, "스마*", "");
		CHECK_FINDS(sp, "-자금", "");
		CHECK_FINDS(sp, "^한빛", "");
		CHECK_FINDS(sp, "\"\"\"\"", "");
		CHECK_FINDS(sp, "'; DROP TABLE t; --", "");
		/* no query: everything */
		CHECK_FINDS(sp, "", "1,2,3,4,5");
	}

	/* A record whose index entry is not its text, listed as stale: found by
	 * its text only (and so is a stale record whose entry is right). */
	CHECK(sqlite3_exec(h,
	                   "INSERT INTO t_fts (rowid, name, notes) VALUES (6, '가짜색인 내용', '');"
	                   "INSERT INTO t (id, name, notes) VALUES (7, '부품 가공', NULL);"
	                   "DROP TRIGGER t_ai;"
	                   "INSERT INTO t (id, name, notes) VALUES (6, '진짜 기록 내용', '메모');"
	                   "INSERT INTO search_stale VALUES (1, 6), (1, 7);",
	                   NULL, NULL, NULL) == SQLITE_OK,
	      "a stale record: %s", sqlite3_errmsg(h));
	CHECK_FINDS(&SPEC, "가짜색인", "6"); /* the index alone is wrong */
	CHECK_FINDS(&SPEC_STALE, "가짜색인", "");
	CHECK_FINDS(&SPEC_STALE, "색인", "");
	CHECK_FINDS(&SPEC_STALE, "진짜 기록", "6");
	CHECK_FINDS(&SPEC_STALE, "기록", "6");
	CHECK_FINDS(&SPEC_STALE, "메모", "6");
	CHECK_FINDS(&SPEC_STALE, "내용", "6");
	CHECK_FINDS(&SPEC_STALE, "부품 가공", "7");
	CHECK_FINDS(&SPEC_STALE, "스마트공장", "1");
	CHECK_FINDS(&SPEC_STALE, "", "1,2,3,4,5,6,7");
	sqlite3_close(h);
}

int main(void)
{
	test_parse();
	test_phrase();
	test_where_sql();
	test_search_db();
	return t_done();
}
