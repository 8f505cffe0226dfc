/* The cases' search entries, written at commit (sql/150): for every case the
 * transaction listed in search_stale, its case_fts row and its two-character
 * grams are written from its current text, and the case leaves the list.
 *
 * The grams are those sql/060 and sql/090 defined: every two adjacent
 * characters (code points, as SQLite's substr counts them) of the lower-cased
 * text (ASCII only, as SQLite's lower()) that contain neither a blank nor a
 * line break, over "title description request" and over each note. */
#include "db_internal.h"
#include "bizsos/store.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_ANY_STALE[] = "SELECT 1 FROM search_stale LIMIT 1";
static const char SQL_STALE_IDS[] = "SELECT id FROM search_stale WHERE kind = 1 ORDER BY id";
/* The text the grams come from (lower-cased as SQLite's lower(): ASCII only),
 * then the row case_fts holds. */
static const char SQL_CASE_TEXT[] =
    "SELECT lower(s.title || ' ' || coalesce(s.description, '') || ' ' || "
    "coalesce(s.request, '')), lower(n.notes), "
    "s.title, s.description, s.request, coalesce(n.notes, '') "
    "FROM sos_case s, (SELECT group_concat(body, char(10)) AS notes FROM case_note "
    "WHERE case_id = ?1) n WHERE s.id = ?1";
static const char SQL_FTS_DELETE[] = "DELETE FROM case_fts WHERE rowid = ?1";
static const char SQL_FTS_INSERT[] =
    "INSERT INTO case_fts (rowid, title, description, request, notes) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_GRAM_INSERT[] =
    "INSERT OR IGNORE INTO search_bigram (kind, gram, id) VALUES (1, ?1, ?2)";
static const char SQL_STALE_DELETE[] = "DELETE FROM search_stale WHERE kind = 1 AND id = ?1";

/* One gram: 2 code points (SQLite's substr counts a lead byte and what
 * follows it up to the next lead byte), 8 bytes at most in the valid UTF-8
 * the store holds; room for 14. */
struct gram {
	unsigned char len;
	char s[15];
};

struct grams {
	struct gram *v;
	size_t n, cap;
};

/* Length of the character at p (a lead byte and its continuation bytes). */
static size_t char_len(const unsigned char *p)
{
	size_t n = 1;
	while (p[n] >= 0x80 && p[n] <= 0xBF)
		n++;
	return n;
}

/* The grams of s (already lower-cased), appended to g. */
static bool grams_of(const char *text, struct grams *g)
{
	const unsigned char *p = (const unsigned char *)text;
	if (p == NULL || *p == '\0')
		return true;
	size_t a = char_len(p);
	while (p[a] != '\0') {
		size_t b = char_len(p + a);
		bool blank = false;
		for (size_t i = 0; i < a + b; i++)
			blank = blank || p[i] == ' ' || p[i] == '\n';
		if (!blank && a + b < sizeof(g->v[0].s)) {
			if (g->n == g->cap) {
				size_t cap = g->cap ? g->cap * 2 : 64;
				struct gram *v = realloc(g->v, cap * sizeof(*v));
				if (v == NULL)
					return false;
				g->v = v;
				g->cap = cap;
			}
			struct gram *x = &g->v[g->n++];
			x->len = (unsigned char)(a + b);
			memcpy(x->s, p, a + b);
			x->s[a + b] = '\0';
		}
		p += a;
		a = b;
	}
	return true;
}

static int gram_cmp(const void *x, const void *y)
{
	return strcmp(((const struct gram *)x)->s, ((const struct gram *)y)->s);
}

/* Writes the entries of case id from its current text. */
static bz_rc index_case(struct db *db, int64_t id, struct grams *g)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CASE_TEXT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	int src = db_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		/* no such case (never the case: cases are not deleted) */
		return src == SQLITE_DONE ? BZ_OK : db_rc(db, src, "search text");
	}
	g->n = 0;
	bool ok = grams_of((const char *)sqlite3_column_text(st, 0), g) &&
	          grams_of((const char *)sqlite3_column_text(st, 1), g);

	bz_rc rc = ok ? BZ_OK : BZ_ERR_NOMEM;
	sqlite3_stmt *del = db_stmt(db, SQL_FTS_DELETE);
	sqlite3_stmt *ins = db_stmt(db, SQL_FTS_INSERT);
	if (rc == BZ_OK && (del == NULL || ins == NULL))
		rc = BZ_ERR_DB;
	if (rc == BZ_OK) {
		db_bind_int(del, 1, id);
		rc = db_step_done(db, del, "search fts delete");
	}
	if (rc == BZ_OK) {
		db_bind_int(ins, 1, id);
		for (int c = 2; c <= 5; c++) /* title, description, request, notes */
			sqlite3_bind_value(ins, c, sqlite3_column_value(st, c));
		rc = db_step_done(db, ins, "search fts insert");
	}
	sqlite3_reset(st);

	if (rc == BZ_OK && g->n > 0) {
		qsort(g->v, g->n, sizeof(g->v[0]), gram_cmp);
		sqlite3_stmt *gi = db_stmt(db, SQL_GRAM_INSERT);
		if (gi == NULL)
			rc = BZ_ERR_DB;
		for (size_t i = 0; i < g->n && rc == BZ_OK; i++) {
			if (i > 0 && strcmp(g->v[i].s, g->v[i - 1].s) == 0)
				continue;
			sqlite3_bind_text(gi, 1, g->v[i].s, g->v[i].len, SQLITE_STATIC);
			db_bind_int(gi, 2, id);
			rc = db_step_done(db, gi, "search gram");
		}
	}
	if (rc == BZ_OK) {
		sqlite3_stmt *sd = db_stmt(db, SQL_STALE_DELETE);
		if (sd == NULL)
			return BZ_ERR_DB;
		db_bind_int(sd, 1, id);
		rc = db_step_done(db, sd, "search caught up");
	}
	return rc;
}

bz_rc search_index_drain(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STALE_IDS);
	if (st == NULL)
		return BZ_ERR_DB;
	/* The ids first: each is then written (and deleted from the list). */
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int src;
	bz_rc rc = BZ_OK;
	while ((src = db_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *v = realloc(ids, ncap * sizeof(*v));
			if (v == NULL) {
				rc = BZ_ERR_NOMEM;
				break;
			}
			ids = v;
			cap = ncap;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc == BZ_OK && src != SQLITE_DONE)
		rc = db_rc(db, src, "search stale");
	struct grams g = {0};
	for (size_t i = 0; i < n && rc == BZ_OK; i++)
		rc = index_case(db, ids[i], &g);
	free(g.v);
	free(ids);
	return rc;
}

bz_rc db_search_catch_up(struct db *db)
{
	/* Looked at first: an empty transaction would still move the data
	 * generation (every cached page rebuilt) and take the write lock. */
	if (!db_search_deferred(db))
		return BZ_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_ANY_STALE);
	if (st == NULL)
		return BZ_ERR_DB;
	int src = db_step(st);
	sqlite3_reset(st);
	if (src == SQLITE_DONE)
		return BZ_OK;
	if (src != SQLITE_ROW)
		return db_rc(db, src, "search stale");
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	/* written here: db_commit only writes entries after a change of the
	 * transaction's own (and then finds the list empty) */
	rc = search_index_drain(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
