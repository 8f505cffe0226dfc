/* The cases' search entries written at commit (sql/150, src/store/
 * search_index.c): after every commit of the store's, each case's grams are
 * exactly those the old trigger's SQL defined (random texts with Hangul, ASCII
 * of both cases, blanks, line breaks, tabs, 2- and 4-byte characters, notes),
 * its case_fts row holds its text, and nothing is left listed as stale; a
 * rolled-back transaction leaves nothing; a write outside the store's
 * transactions (another program) is found by its text until it is caught up,
 * and the old text of an edited case is found by neither; the write batcher's
 * connection lets at most SEARCH_LAZY_MAX (256) cases wait, found by their
 * text meanwhile; a failure while writing the entries fails the commit and
 * keeps nothing of it. */
#include "bizsos/batch.h"
#include "bizsos/sos_case.h"
#include "bizsos/store.h"
#include "bizsos/store_raw.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

/* The first column of the first row of sql with ?1 = id, malloc'ed ("" for
 * NULL or no row). */
static char *text_of(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = db_col_strdup(st, 0);
	} else {
		CHECK(0, "prepare: %s", sqlite3_errmsg(db_handle(db)));
	}
	sqlite3_finalize(st);
	return v ? v : strdup("");
}

/* The grams as sql/060 and sql/090 computed them in SQL, sorted, "|"-joined. */
static const char SQL_WANT_GRAMS[] =
    "WITH RECURSIVE t(s) AS ("
    " SELECT lower(title || ' ' || coalesce(description, '') || ' ' || coalesce(request, ''))"
    " FROM sos_case WHERE id = ?1"
    " UNION ALL SELECT lower(body) FROM case_note WHERE case_id = ?1),"
    " g(i, gram, s) AS (SELECT 1, substr(s, 1, 2), s FROM t"
    " UNION ALL SELECT i + 1, substr(s, i + 1, 2), s FROM g WHERE i < length(s) - 1)"
    " SELECT group_concat(gram, '|') FROM (SELECT DISTINCT gram FROM g WHERE length(gram) = 2"
    " AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0 ORDER BY gram)";
static const char SQL_HAVE_GRAMS[] =
    "SELECT group_concat(gram, '|') FROM (SELECT gram FROM search_bigram"
    " WHERE kind = 1 AND id = ?1 ORDER BY gram)";
static const char SQL_WANT_FTS[] =
    "SELECT title || '/' || coalesce(description, '') || '/' || coalesce(request, '') || '/' ||"
    " coalesce((SELECT group_concat(body, char(10)) FROM case_note WHERE case_id = ?1), '')"
    " FROM sos_case WHERE id = ?1";
static const char SQL_HAVE_FTS[] =
    "SELECT title || '/' || coalesce(description, '') || '/' || coalesce(request, '') || '/' ||"
    " coalesce(notes, '') FROM case_fts WHERE rowid = ?1";

static void check_entries(struct db *db, int64_t id)
{
	char *want = text_of(db, SQL_WANT_GRAMS, id), *have = text_of(db, SQL_HAVE_GRAMS, id);
	CHECK(strcmp(want, have) == 0, "case %lld: grams [%s], expected [%s]", (long long)id, have,
	      want);
	free(want);
	free(have);
	want = text_of(db, SQL_WANT_FTS, id);
	have = text_of(db, SQL_HAVE_FTS, id);
	CHECK(strcmp(want, have) == 0, "case %lld: case_fts [%s], expected [%s]", (long long)id,
	      have, want);
	free(want);
	free(have);
}

static int64_t stale(struct db *db)
{
	return t_db_int(db, "SELECT count(*) FROM search_stale", 0);
}

static const char SQL_CASE[] =
    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel, "
    "category_id, title, description, request, triage, due_on, created_at, updated_at) VALUES "
    "(?1, printf('SOS-2026-%04d', ?1), 3, '2026-03-02T01:00:00Z', '2026-03-02', 'phone', "
    "(SELECT min(id) FROM case_category), ?2, ?3, ?4, 'single', '2026-03-10', "
    "'2026-03-02T01:00:00Z', '2026-03-02T01:00:00Z')";
static const char SQL_NOTE[] =
    "INSERT INTO case_note (case_id, body, at) VALUES (?1, ?2, '2026-03-02T02:00:00Z')";

static void add_case(struct db *db, int64_t id, const char *title, const char *desc,
                     const char *req)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CASE);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, desc);
	db_bind_text(st, 4, req);
	CHECK_INT(db_step_done(db, st, "case"), BZ_OK);
}

static void add_note(struct db *db, int64_t id, const char *body)
{
	sqlite3_stmt *st = db_stmt(db, SQL_NOTE);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, body);
	CHECK_INT(db_step_done(db, st, "note"), BZ_OK);
}

/* A random text of up to max characters from an alphabet with every kind of
 * character the grams treat differently. */
static void random_text(char *out, size_t outlen, int max, unsigned *seed)
{
	static const char *const alphabet[] = {
	    "자", "금", "지", "원", "인", "력", "정", "밀", "가", "A", "b", "Z", "q",  "0",
	    "7",  " ",  " ",  "\n", "\t", "\r", "é",  "😀",  "·",  "-", "%", "_", "\"", "'",
	};
	size_t o = 0;
	int n = (int)(rand_r(seed) % (unsigned)(max + 1));
	for (int i = 0; i < n; i++) {
		const char *c = alphabet[rand_r(seed) % BZ_ARRAY_LEN(alphabet)];
		size_t l = strlen(c);
		if (o + l + 1 > outlen)
			break;
		memcpy(out + o, c, l);
		o += l;
	}
	out[o] = '\0';
}

/* 300 random cases with notes, in transactions of up to 7 (as a write batch),
 * each checked against the old SQL. */
static void random_cases(struct db *db)
{
	unsigned seed = 20261202;
	int64_t id = 100;
	for (int batch = 0; batch < 45; batch++) {
		CHECK_INT(db_begin(db), BZ_OK);
		int n = 1 + (int)(rand_r(&seed) % 7);
		for (int k = 0; k < n; k++) {
			char title[512], desc[512], req[512], note[512];
			random_text(title, sizeof(title), 30, &seed);
			if (title[0] == '\0')
				bz_strlcpy(title, "제목", sizeof(title));
			random_text(desc, sizeof(desc), 60, &seed);
			random_text(req, sizeof(req), 20, &seed);
			CHECK_INT(db_begin(db), BZ_OK); /* a savepoint per case, as batches do */
			add_case(db, ++id, title, desc, req);
			for (int m = (int)(rand_r(&seed) % 3); m > 0; m--) {
				random_text(note, sizeof(note), 40, &seed);
				if (note[0])
					add_note(db, id, note);
			}
			CHECK_INT(db_commit(db), BZ_OK);
		}
		CHECK_INT(db_commit(db), BZ_OK);
		CHECK_INT(stale(db), 0);
	}
	for (int64_t i = 101; i <= id; i++)
		check_entries(db, i);
	/* a note added later, to an old case */
	CHECK_INT(db_begin(db), BZ_OK);
	add_note(db, 101, "나중에 적은 메모 Memo");
	CHECK_INT(db_commit(db), BZ_OK);
	check_entries(db, 101);
}

/* The ids case_list finds for q, as "1,3" (by id). */
static void found(struct db *db, const char *q, char *out, size_t outlen)
{
	struct user leader = {.id = 8, .role = ROLE_LEADER};
	struct case_filter f = {.q = q, .sort = "no", .page = 1, .per_page = 100};
	json_t *rows = NULL, *fields = json_object();
	int64_t total = 0;
	out[0] = '\0';
	CHECK_INT(case_list(db, &leader, &f, &rows, &total, fields), BZ_OK);
	size_t o = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		int w = snprintf(out + o, outlen - o, "%s%lld", o ? "," : "",
		                 (long long)json_integer_value(json_object_get(r, "id")));
		if (w > 0 && (size_t)w < outlen - o)
			o += (size_t)w;
	}
	json_decref(rows);
	json_decref(fields);
}

#define CHECK_FOUND(db, q, expected)                                                               \
	do {                                                                                       \
		char got_[256];                                                                    \
		found(db, q, got_, sizeof(got_));                                                  \
		CHECK(strcmp(got_, expected) == 0, "search \"%s\" found [%s], expected [%s]", q,   \
		      got_, expected);                                                             \
	} while (0)

/* Writes as another program makes them: no transaction of the store's. */
static void outside_writes(struct db *db)
{
	sqlite3 *h = db_handle(db);
	CHECK_INT(sqlite3_exec(h,
	                       "INSERT INTO sos_case (id, case_no, company_id, received_at, "
	                       "received_on, channel, category_id, title, description, triage, "
	                       "due_on, created_at, updated_at) VALUES (1, 'SOS-2026-9001', 3, "
	                       "'2026-03-02T01:00:00Z', '2026-03-02', 'phone', (SELECT min(id) "
	                       "FROM case_category), '수출 바우처 신청', '포장재 단가', 'single', "
	                       "'2026-03-10', '2026-03-02T01:00:00Z', '2026-03-02T01:00:00Z')",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(stale(db), 1);
	/* found by its text: two syllables, three and more, two terms */
	CHECK_FOUND(db, "바우", "1");
	CHECK_FOUND(db, "바우처", "1");
	CHECK_FOUND(db, "수출 단가", "1");
	CHECK_FOUND(db, "수출바우처", "");
	/* caught up: found by the index, the same */
	CHECK_INT(db_search_catch_up(db), BZ_OK);
	CHECK_INT(stale(db), 0);
	check_entries(db, 1);
	CHECK_FOUND(db, "바우", "1");
	CHECK_FOUND(db, "바우처", "1");
	CHECK_FOUND(db, "수출 단가", "1");
	/* nothing left: catching up again writes nothing and moves nothing */
	uint64_t gen = db_generation(db);
	CHECK_INT(db_search_catch_up(db), BZ_OK);
	CHECK(db_generation(db) == gen, "an empty catch-up commits nothing");

	/* edited outside: the old text is found by neither way, the new by both */
	CHECK_INT(sqlite3_exec(h, "UPDATE sos_case SET title = '내수 판로 개척' WHERE id = 1", NULL,
	                       NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(stale(db), 1);
	CHECK_FOUND(db, "바우", "");
	CHECK_FOUND(db, "바우처", "");
	CHECK_FOUND(db, "판로", "1");
	CHECK_FOUND(db, "판로 개척", "1");
	CHECK_FOUND(db, "단가", "1");
	CHECK_INT(db_search_catch_up(db), BZ_OK);
	check_entries(db, 1);
	CHECK_FOUND(db, "바우", "");
	CHECK_FOUND(db, "바우처", "");
	CHECK_FOUND(db, "판로 개척", "1");

	/* a note outside: found by its text, then by the index */
	CHECK_INT(sqlite3_exec(h,
	                       "INSERT INTO case_note (case_id, body, at) VALUES (1, "
	                       "'통관 서류 보완', '2026-03-03T01:00:00Z')",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	CHECK_FOUND(db, "통관", "1");
	CHECK_FOUND(db, "서류 보완", "1");
	/* any later commit of the store's catches up what it finds */
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK_INT(db_exec(db, "UPDATE app_user SET name = name WHERE id = 8"), BZ_OK);
	CHECK_INT(db_commit(db), BZ_OK);
	CHECK_INT(stale(db), 0);
	check_entries(db, 1);
	CHECK_FOUND(db, "통관", "1");
}

/* A rolled-back case leaves no entry and nothing stale. */
static void rollback(struct db *db)
{
	CHECK_INT(db_begin(db), BZ_OK);
	add_case(db, 2, "롤백될 사건", NULL, NULL);
	db_rollback(db);
	CHECK_INT(stale(db), 0);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM search_bigram WHERE id = 2 AND kind = 1", 0),
	          0);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM case_fts WHERE rowid = 2", 0), 0);
	CHECK_FOUND(db, "롤백", "");
}

struct lazy_case {
	int64_t id;
	const char *title;
};

static bz_rc lazy_unit(struct db *db, void *arg)
{
	const struct lazy_case *c = arg;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	add_case(db, c->id, c->title, "게으른 색인", NULL);
	return db_commit(db);
}

/* Through the write batcher's own connection: cases wait (found by their
 * text) until 256 do, then one commit writes them all. */
static void lazy(struct db *db)
{
	db_batch_writer(true);
	int64_t first = 5000;
	int64_t waiting = 0;
	bool drained = false;
	for (int64_t i = 0; i < 300; i++) {
		struct lazy_case c = {first + i, i % 2 ? "배치 사건 홀수" : "배치 사건 짝수"};
		CHECK_INT(db_batch_run(db, lazy_unit, &c), BZ_OK);
		int64_t now = stale(db);
		CHECK(now < 256, "at most 255 cases wait (%lld)", (long long)now);
		if (now < waiting)
			drained = true;
		waiting = now;
	}
	CHECK(drained, "the waiting cases were written in one go");
	CHECK(waiting > 0, "some cases wait again after it");
	/* every case is found, waiting or not, and only by what it says */
	struct user leader = {.id = 8, .role = ROLE_LEADER};
	struct case_filter f = {.q = "게으른 홀수", .sort = "no", .page = 1, .per_page = 100};
	json_t *rows = NULL, *fields = json_object();
	int64_t total = 0;
	CHECK_INT(case_list(db, &leader, &f, &rows, &total, fields), BZ_OK);
	CHECK_INT(total, 150);
	json_decref(rows);
	f.q = "짝수";
	CHECK_INT(case_list(db, &leader, &f, &rows, &total, fields), BZ_OK);
	CHECK_INT(total, 150);
	json_decref(rows);
	json_decref(fields);
	db_batch_writer(false);
	/* caught up: the same entries a commit writes at once */
	CHECK_INT(db_search_catch_up(db), BZ_OK);
	CHECK_INT(stale(db), 0);
	for (int64_t i = 0; i < 300; i += 37)
		check_entries(db, first + i);
}

#ifdef BIZSOS_FAULT_INJECTION
/* The entries fail to be written: the commit fails, the case is not kept. */
static void fault(struct db *db)
{
	int64_t cases = t_db_int(db, "SELECT count(*) FROM sos_case", 0);
	bool failed = false;
	/* the case's own statements, then the entries' (list, text, fts, grams) */
	for (int n = 1; n <= 12; n++) {
		CHECK_INT(db_begin(db), BZ_OK);
		add_case(db, 3, "고장 주입", "설명", NULL);
		db_fault_arm(n, 0);
		bz_rc rc = db_commit(db);
		db_fault_arm(0, 0);
		if (rc == BZ_OK) {
			/* past the last statement: kept whole */
			check_entries(db, 3);
			CHECK_INT(stale(db), 0);
			CHECK_INT(t_db_int(db, "SELECT count(*) FROM sos_case", 0), cases + 1);
			break;
		}
		failed = true;
		CHECK_INT(db_depth(db), 0);
		CHECK_INT(t_db_int(db, "SELECT count(*) FROM sos_case", 0), cases);
		CHECK_INT(stale(db), 0);
		CHECK_INT(t_db_int(db, "SELECT count(*) FROM case_fts WHERE rowid = 3", 0), 0);
	}
	CHECK(failed, "a fault inside the commit's entries fails it");
}
#endif

int main(void)
{
	struct db *db = t_fresh_db("search_index.db");
	if (db == NULL)
		return t_done();
	CHECK_INT(db_exec(db,
	                  "INSERT INTO app_user (id, login, name, role, password_hash) VALUES "
	                  "(8, 'lee', '이팀장', 'leader', 'x');"
	                  "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) "
	                  "VALUES (3, '한빛정밀', '한빛정밀', '1208147521', "
	                  "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')"),
	          BZ_OK);
	outside_writes(db);
	rollback(db);
	random_cases(db);
	lazy(db);
#ifdef BIZSOS_FAULT_INJECTION
	fault(db);
#endif
	db_close(db);
	return t_done();
}
