/* The storage layer: open, pragmas, migrations, the refusal of a newer
 * database, the statement cache, result-code mapping, transactions. */
#include "bizsos/store.h"
#include "bizsos/store_raw.h"
#include "harness.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* The whole file, malloc'ed; NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (s = malloc((size_t)n + 1)) != NULL) {
		*len = fread(s, 1, (size_t)n, f);
		if (*len != (size_t)n) {
			free(s);
			s = NULL;
		}
	}
	fclose(f);
	return s;
}

static char *pragma_text(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = db_col_strdup(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Writes a plain SQLite file (not through db_open) whose user_version is v. */
static void make_foreign_db(const char *path, int v, bool wal)
{
	sqlite3 *h = NULL;
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "%sCREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = %d;",
	         wal ? "PRAGMA journal_mode=WAL; " : "", v);
	CHECK(sqlite3_open(path, &h) == SQLITE_OK, "open %s", path);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
}

static void test_open_and_migrate(void)
{
	char path[512], err[256] = "";
	struct db *db = NULL;
	t_path(path, sizeof(path), "fresh.db");

	/* Without create, a missing file is an error and is not created. */
	CHECK_INT(db_open(path, false, &db, err, sizeof(err)), BZ_ERR_NOTFOUND);
	CHECK(db == NULL, "no handle on failure");
	CHECK_CONTAINS(err, path);
	CHECK(!exists(path), "a missing database is not created");

	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	CHECK_INT(db_schema_version(db), 0);
	CHECK(db_schema_latest() >= 1, "at least one migration is embedded");
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_schema_version(db), db_schema_latest());

	char *mode = pragma_text(db, "PRAGMA journal_mode");
	CHECK_STR(mode, "wal");
	free(mode);
	/* NORMAL, with every commit waiting for the group fsync of the WAL */
	CHECK_INT(t_db_int(db, "PRAGMA synchronous", 0), 1);
	CHECK_INT(t_db_int(db, "PRAGMA foreign_keys", 0), 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'app_user'", 0), 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_log'", 0),
	          1);
	db_close(db);
	db = NULL;

	/* Re-opening and migrating again changes nothing. */
	CHECK_INT(db_open(path, false, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	int64_t objects = t_db_int(db, "SELECT count(*) FROM sqlite_schema", 0);
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_schema_version(db), db_schema_latest());
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema", 0), objects);
	db_close(db);
}

static void check_newer_refused(const char *name, bool wal)
{
	char path[512], wal_path[600], err[256] = "", want[160];
	struct db *db = NULL;
	size_t len0 = 0, len1 = 0;
	t_path(path, sizeof(path), name);
	snprintf(wal_path, sizeof(wal_path), "%s-wal", path);
	int newer = db_schema_latest() + 1;
	make_foreign_db(path, newer, wal);
	char *before = slurp(path, &len0);
	CHECK(before != NULL, "read %s", path);

	CHECK_INT(db_open(path, false, &db, err, sizeof(err)), BZ_ERR_SCHEMA);
	CHECK(db == NULL, "no handle for a newer database");
	snprintf(want, sizeof(want),
	         "database schema version %d is newer than this bizsos (%d); upgrade bizsos", newer,
	         db_schema_latest());
	CHECK_STR(err, want);
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_ERR_SCHEMA);

	char *after = slurp(path, &len1);
	CHECK(after != NULL && len0 == len1 && memcmp(before, after, len0) == 0,
	      "%s: bytes unchanged", name);
	CHECK(!exists(wal_path), "%s: no WAL file left behind", name);
	free(before);
	free(after);
}

static void test_newer_refused(void)
{
	check_newer_refused("newer.db", false);
	check_newer_refused("newer-wal.db", true);
}

static void test_bad_migration(void)
{
	char path[512], err[256] = "";
	struct db *db = NULL;
	static const struct migration good_then_bad[] = {
	    {1, "001_one", "CREATE TABLE one (x INTEGER);"},
	    {2, "002_two", "CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);"},
	};
	static const struct migration unordered[] = {
	    {2, "002_b", "SELECT 1;"},
	    {1, "001_a", "SELECT 1;"},
	};
	t_path(path, sizeof(path), "badmig.db");
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	CHECK_INT(db_apply_migrations(db, good_then_bad, 2, err, sizeof(err)), BZ_ERR_DB);
	CHECK_CONTAINS(err, "002_two");
	CHECK_CONTAINS(err, "no such table: nowhere");
	/* The first stays applied, the failing one left no trace. */
	CHECK_INT(db_schema_version(db), 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'one'", 0), 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'two'", 0), 0);
	CHECK(sqlite3_get_autocommit(db_handle(db)), "no transaction left open");
	CHECK_INT(db_apply_migrations(db, unordered, 2, err, sizeof(err)), BZ_ERR_SCHEMA);
	CHECK_CONTAINS(err, "versions must increase");
	/* A list older than the database is refused too. */
	CHECK_INT(db_apply_migrations(db, NULL, 0, err, sizeof(err)), BZ_ERR_SCHEMA);
	db_close(db);
}

/* sql/080: a database written before it keeps every row, its '' optional text
 * becomes NULL, no text column stays NOT NULL DEFAULT '', and the tables keep
 * their indexes, triggers and references (issue 8, point 3). */
static void test_optional_text_migration(void)
{
	char path[512], err[256] = "";
	struct db *db = NULL;
	t_path(path, sizeof(path), "before080.db");
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	size_t before = 0;
	while (before < db_migration_count && db_migrations[before].version < 80)
		before++;
	CHECK(before < db_migration_count && db_migrations[before].version == 80,
	      "080 is embedded");
	CHECK_INT(db_apply_migrations(db, db_migrations, before, err, sizeof(err)), BZ_OK);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM pragma_table_info('activity') WHERE name = "
	                   "'summary' AND \"notnull\" = 1",
	                   0),
	          1);
	static const char rows[] =
	    "INSERT INTO company (id, name, name_key, brn, created_at, updated_at) VALUES"
	    " (1, '가', '가', '1234567891', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel,"
	    " category_id, title, description, request, due_on, created_at, updated_at) VALUES"
	    " (1, 'SOS-2024-0001', 1, '2024-01-02T00:00:00Z', '2024-01-02', 'visit', 4, '주차',"
	    " '', '', '2024-01-20', '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z');"
	    "INSERT INTO sos_case (id, case_no, company_id, received_at, received_on, channel,"
	    " category_id, title, description, request, due_on, created_at, updated_at) VALUES"
	    " (2, 'SOS-2024-0002', 1, '2024-01-02T00:00:00Z', '2024-01-02', 'visit', 4, '가로등',"
	    " '어두움', '', '2024-01-20', '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z');"
	    "INSERT INTO activity (id, type_id, held_on, place, title, summary, created_at,"
	    " updated_at) VALUES (1, 1, '2024-01-02', '', '', '', '2024-01-02T00:00:00Z',"
	    " '2024-01-02T00:00:00Z');"
	    "INSERT INTO activity_case (activity_id, case_id, kind, seq) VALUES (1, 1, 'raised', "
	    "1);"
	    "INSERT INTO budget_line (id, program_id, year, source, planned, secured, memo,"
	    " created_at, updated_at) VALUES (1, 1, 2024, 'city', 100, 100, '',"
	    " '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO budget_execution (id, budget_line_id, executed_on, amount, memo,"
	    " created_at) VALUES (1, 1, '2024-01-03', 10, '', '2024-01-03T00:00:00Z');"
	    "INSERT INTO quarter_signoff (id, program_id, year, quarter, signed_at, note) VALUES"
	    " (1, 1, 2024, 1, '2024-04-02T00:00:00Z', '');";
	char *msg = NULL;
	CHECK(sqlite3_exec(db_handle(db), rows, NULL, NULL, &msg) == SQLITE_OK, "old rows: %s",
	      msg ? msg : "");
	sqlite3_free(msg);
	int64_t indexes =
	    t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'", 0);
	int64_t triggers =
	    t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'", 0);

	CHECK_INT(db_apply_migrations(db, db_migrations, before + 1, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_schema_version(db), 80);
	/* every row kept, the empty text now absent, the typed text as it was */
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sos_case", 0), 2);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM sos_case WHERE description IS NULL AND "
	                   "request IS NULL",
	                   0),
	          1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sos_case WHERE description = '어두움'", 0), 1);
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM activity WHERE place IS NULL AND title IS NULL "
	                   "AND summary IS NULL",
	                   0),
	          1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM budget_line WHERE memo IS NULL", 0), 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM budget_execution WHERE memo IS NULL", 0), 1);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM quarter_signoff WHERE note IS NULL", 0), 1);
	/* no column anywhere is still NOT NULL DEFAULT '' */
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM sqlite_schema s, pragma_table_info(s.name) c"
	                   " WHERE s.type = 'table' AND c.\"notnull\" = 1 AND c.dflt_value = "
	                   "''''''",
	                   0),
	          0);
	/* the same indexes and triggers, references whole, foreign keys back on */
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'", 0),
	          indexes);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'", 0),
	          triggers);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM pragma_foreign_key_check", 0), 0);
	CHECK_INT(t_db_int(db, "PRAGMA foreign_keys", 0), 1);
	CHECK(sqlite3_exec(db_handle(db), "DELETE FROM company WHERE id = 1", NULL, NULL, NULL) !=
	          SQLITE_OK,
	      "a case still holds its company");
	CHECK(sqlite3_exec(db_handle(db), "UPDATE quarter_signoff SET note = 'x'", NULL, NULL,
	                   NULL) != SQLITE_OK,
	      "a sign-off is still append-only");
	/* the search triggers still fire on the rebuilt table */
	CHECK(sqlite3_exec(db_handle(db),
	                   "UPDATE sos_case SET description = '가나다라' WHERE id = 1", NULL, NULL,
	                   NULL) == SQLITE_OK,
	      "a case edit");
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM search_bigram WHERE kind = 1 AND id = 1 AND "
	                   "gram = '나다'",
	                   0),
	          1);
	/* and the later migrations apply on top, adding no '' column of their own
	 * (sql/105's card_photo.caption is made nullable again by sql/106) */
	CHECK_INT(db_migrate(db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_schema_version(db), db_schema_latest());
	CHECK_INT(t_db_int(db,
	                   "SELECT count(*) FROM sqlite_schema s, pragma_table_info(s.name) c"
	                   " WHERE s.type = 'table' AND c.\"notnull\" = 1 AND c.dflt_value = "
	                   "''''''",
	                   0),
	          0);
	db_close(db);
}

/* A migration marked "-- bizsos: foreign_keys off" runs with foreign keys off
 * but does not commit a row that points at nothing. */
static void test_fk_off_migration(void)
{
	char path[512], err[256] = "";
	struct db *db = NULL;
	static const struct migration list[] = {
	    {1, "001_parent",
	     "CREATE TABLE p (id INTEGER PRIMARY KEY);"
	     "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id));"
	     "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);"},
	    {2, "002_rebuild",
	     "-- bizsos: foreign_keys off\n"
	     "CREATE TABLE p_new (id INTEGER PRIMARY KEY, x TEXT); INSERT INTO p_new (id) SELECT id"
	     " FROM p; DROP TABLE p; ALTER TABLE p_new RENAME TO p;"},
	    {3, "003_orphan", "-- bizsos: foreign_keys off\nDELETE FROM p;"},
	};
	t_path(path, sizeof(path), "fkoff.db");
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	CHECK_INT(db_apply_migrations(db, list, 2, err, sizeof(err)), BZ_OK);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM c JOIN p ON p.id = c.p", 0), 1);
	CHECK_INT(t_db_int(db, "PRAGMA foreign_keys", 0), 1);
	CHECK_INT(db_apply_migrations(db, list, 3, err, sizeof(err)), BZ_ERR_DB);
	CHECK_CONTAINS(err, "foreign_key_check");
	CHECK_INT(db_schema_version(db), 2);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM p", 0), 1);
	CHECK_INT(t_db_int(db, "PRAGMA foreign_keys", 0), 1);
	db_close(db);
}

/* Distinct pointers with the same kind of text: the cache keys on pointers. */
static char many_sql[300][32];

static void test_statement_cache(struct db *db)
{
	static const char SQL_ONE[] = "SELECT ?1 + 1";
	sqlite3_stmt *a = db_stmt(db, SQL_ONE);
	CHECK(a != NULL, "prepare");
	if (a == NULL)
		return;
	db_bind_int(a, 1, 41);
	CHECK_INT(sqlite3_step(a), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(a, 0), 42);
	/* Fetched again mid-step: the same statement, reset, bindings cleared. */
	sqlite3_stmt *b = db_stmt(db, SQL_ONE);
	CHECK(a == b, "the same statement for the same pointer");
	CHECK_INT(sqlite3_step(b), SQLITE_ROW);
	CHECK_INT(sqlite3_column_type(b, 0), SQLITE_NULL); /* NULL + 1 */
	sqlite3_reset(b);

	/* Growing the table keeps every entry. */
	sqlite3_stmt *first[300];
	bool all = true;
	for (int i = 0; i < 300; i++) {
		snprintf(many_sql[i], sizeof(many_sql[i]), "SELECT %d", i);
		first[i] = db_stmt(db, many_sql[i]);
		all = all && first[i] != NULL;
	}
	CHECK(all, "300 statements prepared");
	bool same = true, right = true;
	for (int i = 0; i < 300; i++) {
		sqlite3_stmt *st = db_stmt(db, many_sql[i]);
		same = same && st == first[i];
		right =
		    right && st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == i;
		if (st)
			sqlite3_reset(st);
	}
	CHECK(same, "cached statements survive growth");
	CHECK(right, "each cached statement runs its own SQL");
	CHECK(db_stmt(db, SQL_ONE) == a, "still the first statement");

	static const char SQL_BAD[] = "SELEKT nonsense";
	CHECK(db_stmt(db, SQL_BAD) == NULL, "bad SQL gives NULL");
}

static void test_rc_and_transactions(struct db *db)
{
	static const char SQL_INSERT[] = "INSERT INTO t_unique (x) VALUES (?1)";
	static const char SQL_COUNT[] = "SELECT count(*) FROM t_unique";
	CHECK_INT(db_exec(db, "CREATE TABLE t_unique (x INTEGER UNIQUE NOT NULL)"), BZ_OK);
	CHECK_INT(db_exec(db, "THIS IS NOT SQL"), BZ_ERR_DB);

	CHECK_INT(db_rc(db, SQLITE_OK, "ok"), BZ_OK);
	CHECK_INT(db_rc(db, SQLITE_ROW, "row"), BZ_OK);
	CHECK_INT(db_rc(db, SQLITE_DONE, "done"), BZ_OK);
	CHECK_INT(db_rc(db, SQLITE_CONSTRAINT_UNIQUE, "unique"), BZ_ERR_CONSTRAINT);
	CHECK_INT(db_rc(db, SQLITE_BUSY, "busy (expected in this test)"), BZ_ERR_DB);

	sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
	db_bind_int(st, 1, 1);
	CHECK_INT(db_rc(db, sqlite3_step(st), "insert"), BZ_OK);
	CHECK_INT(db_last_id(db), 1);
	CHECK_INT(db_changes(db), 1);
	st = db_stmt(db, SQL_INSERT);
	db_bind_int(st, 1, 1);
	CHECK_INT(db_rc(db, sqlite3_step(st), "duplicate"), BZ_ERR_CONSTRAINT);
	st = db_stmt(db, SQL_INSERT);
	db_bind_text(st, 1, NULL);
	CHECK_INT(db_rc(db, sqlite3_step(st), "null"), BZ_ERR_CONSTRAINT);
	sqlite3_reset(st);

	/* Rolled back: gone. */
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK(!sqlite3_get_autocommit(db_handle(db)), "in a transaction");
	st = db_stmt(db, SQL_INSERT);
	db_bind_int(st, 1, 2);
	CHECK_INT(db_rc(db, sqlite3_step(st), "insert 2"), BZ_OK);
	sqlite3_reset(st);
	db_rollback(db);
	CHECK(sqlite3_get_autocommit(db_handle(db)), "rolled back");
	db_rollback(db); /* harmless without a transaction */
	st = db_stmt(db, SQL_COUNT);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	sqlite3_reset(st);

	/* Committed: kept. */
	CHECK_INT(db_begin(db), BZ_OK);
	st = db_stmt(db, SQL_INSERT);
	db_bind_int(st, 1, 3);
	CHECK_INT(db_rc(db, sqlite3_step(st), "insert 3"), BZ_OK);
	sqlite3_reset(st);
	CHECK_INT(db_commit(db), BZ_OK);
	st = db_stmt(db, SQL_COUNT);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 2);
	sqlite3_reset(st);

	/* Text helpers. */
	static const char SQL_TEXT[] = "SELECT ?1, ?2";
	st = db_stmt(db, SQL_TEXT);
	db_bind_text(st, 1, "기업SOS");
	db_bind_text(st, 2, NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	char *s = db_col_strdup(st, 0);
	CHECK_STR(s, "기업SOS");
	free(s);
	CHECK(db_col_strdup(st, 1) == NULL, "NULL column gives NULL");
	sqlite3_reset(st);
}

static time_t fixed_clock(void)
{
	return 1700000000; /* 2023-11-14T22:13:20Z */
}

static void test_clock(void)
{
	char now[24];
	db_clock_override(fixed_clock);
	CHECK_INT(db_time(), 1700000000);
	db_now_utc(now);
	CHECK_STR(now, "2023-11-14T22:13:20Z");
	db_clock_override(NULL);
	CHECK(db_time() > 1700000000, "the real clock is back");
	db_format_utc(0, now);
	CHECK_STR(now, "1970-01-01T00:00:00Z");
}

/* Nested db_begin levels are savepoints: an inner rollback undoes only its own
 * work, an outer rollback undoes everything, and db_end_request closes a
 * transaction a request forgot. */
static void test_nested_transactions(struct db *db)
{
	static const char SQL_ADD[] = "INSERT INTO t_nest (x) VALUES (?1)";
	static const char SQL_N[] = "SELECT count(*) FROM t_nest";
	CHECK_INT(db_exec(db, "CREATE TABLE t_nest (x INTEGER)"), BZ_OK);
	sqlite3_stmt *st;
#define ADD(v)                                                                                     \
	do {                                                                                       \
		st = db_stmt(db, SQL_ADD);                                                         \
		db_bind_int(st, 1, (v));                                                           \
		CHECK_INT(db_rc(db, sqlite3_step(st), "add"), BZ_OK);                              \
		sqlite3_reset(st);                                                                 \
	} while (0)
#define COUNT(want)                                                                                \
	do {                                                                                       \
		st = db_stmt(db, SQL_N);                                                           \
		CHECK(sqlite3_step(st) == SQLITE_ROW, "count");                                    \
		CHECK_INT(sqlite3_column_int(st, 0), (want));                                      \
		sqlite3_reset(st);                                                                 \
	} while (0)

	/* inner rolled back, outer committed: only the outer row stays */
	CHECK_INT(db_begin(db), BZ_OK);
	ADD(1);
	CHECK_INT(db_begin(db), BZ_OK);
	ADD(2);
	db_rollback(db);
	CHECK_INT(db_commit(db), BZ_OK);
	COUNT(1);
	/* inner committed, outer rolled back: nothing stays */
	CHECK_INT(db_begin(db), BZ_OK);
	ADD(3);
	CHECK_INT(db_begin(db), BZ_OK);
	ADD(4);
	CHECK_INT(db_commit(db), BZ_OK);
	db_rollback(db);
	COUNT(1);
	/* three levels, all committed */
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK_INT(db_begin(db), BZ_OK);
	ADD(5);
	CHECK_INT(db_commit(db), BZ_OK);
	CHECK_INT(db_commit(db), BZ_OK);
	CHECK_INT(db_commit(db), BZ_OK);
	COUNT(2);
	CHECK(sqlite3_get_autocommit(db_handle(db)), "no transaction left open");
	/* a commit without a transaction is an error, not a crash */
	CHECK_INT(db_commit(db), BZ_ERR_DB);
	/* a forgotten transaction is rolled back at the end of the request */
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK_INT(db_begin(db), BZ_OK);
	ADD(6);
	db_end_request(db);
	CHECK(sqlite3_get_autocommit(db_handle(db)), "end of request closes the transaction");
	COUNT(2);
	CHECK_INT(db_begin(db), BZ_OK); /* and the next request starts clean */
	ADD(7);
	CHECK_INT(db_commit(db), BZ_OK);
	COUNT(3);
	/* twelve levels, past those whose statements the connection keeps
	 * compiled (eight): a row at each; the innermost four rolled back one by
	 * one, the rest committed, twice over (the kept statements run again) */
	for (int round = 0; round < 2; round++) {
		for (int level = 0; level < 12; level++) {
			CHECK_INT(db_begin(db), BZ_OK);
			ADD(100 + level);
		}
		for (int level = 11; level >= 0; level--) {
			if (level >= 8)
				db_rollback(db);
			else
				CHECK_INT(db_commit(db), BZ_OK);
		}
		CHECK(sqlite3_get_autocommit(db_handle(db)), "all twelve levels closed");
		COUNT(3 + 8 * (round + 1));
	}
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM t_nest WHERE x >= 108", -1), 0);
#undef ADD
#undef COUNT
}

/* Writers on their own connections (as the daemon's worker threads): each
 * commit waits for the others' write lock and for the shared fsync, none
 * fails, nothing is lost. */
#define WRITERS 8
#define WRITES  40
static char concurrent_path[512];

static void *writer(void *arg)
{
	long n = (long)(intptr_t)arg;
	struct db *db = NULL;
	char err[256];
	long failures = 0;
	if (db_open(concurrent_path, false, &db, err, sizeof(err)) != BZ_OK)
		return (void *)(intptr_t)WRITES;
	for (int i = 0; i < WRITES; i++) {
		sqlite3_stmt *st = db_begin(db) == BZ_OK
		                       ? db_stmt(db, "INSERT INTO w (who, n) VALUES (?1, ?2)")
		                       : NULL;
		if (st == NULL) {
			failures++;
			db_rollback(db);
			continue;
		}
		db_bind_int(st, 1, n);
		db_bind_int(st, 2, i);
		bz_rc rc = db_rc(db, sqlite3_step(st), "insert");
		sqlite3_reset(st);
		if (rc != BZ_OK || db_commit(db) != BZ_OK) {
			failures++;
			db_rollback(db);
		}
	}
	db_close(db);
	return (void *)(intptr_t)failures;
}

static void test_concurrent_writers(void)
{
	char err[256];
	struct db *db = NULL;
	t_path(concurrent_path, sizeof(concurrent_path), "concurrent.db");
	CHECK_INT(db_open(concurrent_path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	CHECK_INT(db_exec(db, "CREATE TABLE w (who INTEGER, n INTEGER)"), BZ_OK);
	pthread_t t[WRITERS];
	for (long i = 0; i < WRITERS; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	long failures = 0;
	for (int i = 0; i < WRITERS; i++) {
		void *r = NULL;
		pthread_join(t[i], &r);
		failures += (long)(intptr_t)r;
	}
	CHECK_INT(failures, 0);
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM w", 0), WRITERS * WRITES);
	CHECK_INT(t_db_int(db, "SELECT count(DISTINCT who * 1000 + n) FROM w", 0),
	          WRITERS * WRITES);
	db_close(db);
}

/* Two connections to a new database file name (created, with a table seen);
 * false (both closed) when they cannot be opened. path gets the file's name. */
static bool open_pair(const char *name, char *path, size_t pathlen, struct db **db,
                      struct db **other)
{
	char err[256];
	*db = *other = NULL;
	t_path(path, pathlen, name);
	CHECK_INT(db_open(path, true, db, err, sizeof(err)), BZ_OK);
	CHECK_INT(db_open(path, false, other, err, sizeof(err)), BZ_OK);
	if (*db == NULL || *other == NULL) {
		db_close(*db);
		db_close(*other);
		return false;
	}
	CHECK_INT(db_exec(*db, "CREATE TABLE seen (id INTEGER PRIMARY KEY, at INTEGER)"), BZ_OK);
	return true;
}

/* A quiet write (a session's last-seen time) is committed and seen by every
 * connection, yet leaves the data generation as it was; any other commit, by
 * this process or another, moves it; inside a transaction a quiet write is an
 * ordinary one. */
static void test_quiet_writes(void)
{
	char path[512];
	struct db *db, *other;
	if (!open_pair("quiet.db", path, sizeof(path), &db, &other))
		return;
	CHECK_INT(db_exec(db, "INSERT INTO seen VALUES (1, 0)"), BZ_OK);
	static const char touch[] = "UPDATE seen SET at = ?2 WHERE id = ?1";

	uint64_t g0 = db_generation(db);
	CHECK(g0 != 0, "the generation can be read");
	CHECK_INT(db_execf_quiet(db, touch, "ii", (int64_t)1, (int64_t)100), BZ_OK);
	CHECK_INT(t_db_int(other, "SELECT at FROM seen WHERE id = 1", 0), 100);
	CHECK(db_generation(db) == g0, "a quiet write leaves the generation");
	CHECK(db_generation(other) == g0, "also for the other connection");
	CHECK_INT(db_execf_quiet(other, touch, "ii", (int64_t)1, (int64_t)101), BZ_OK);
	CHECK(db_generation(db) == g0, "a second quiet write, from another connection, too");

	/* an ordinary commit of this process moves it */
	CHECK_INT(db_exec(other, "INSERT INTO seen VALUES (2, 0)"), BZ_OK);
	uint64_t g1 = db_generation(db);
	CHECK(g1 > g0, "an ordinary commit moves the generation");

	/* another process's commit (a connection outside the store) moves it */
	sqlite3 *ext = NULL;
	CHECK_INT(sqlite3_open(path, &ext), SQLITE_OK);
	CHECK_INT(sqlite3_exec(ext, "INSERT INTO seen VALUES (3, 0)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(ext);
	uint64_t g2 = db_generation(db);
	CHECK(g2 > g1, "another process's commit moves the generation");

	/* ... also when it comes right after a quiet write */
	CHECK_INT(db_execf_quiet(db, touch, "ii", (int64_t)1, (int64_t)102), BZ_OK);
	CHECK_INT(sqlite3_open(path, &ext), SQLITE_OK);
	CHECK_INT(sqlite3_exec(ext, "INSERT INTO seen VALUES (4, 0)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(ext);
	uint64_t g3 = db_generation(db);
	CHECK(g3 > g2, "an outside commit after a quiet write still moves it");

	/* inside a transaction: an ordinary write, committed with it */
	CHECK_INT(db_begin(db), BZ_OK);
	CHECK_INT(db_execf_quiet(db, touch, "ii", (int64_t)1, (int64_t)103), BZ_OK);
	CHECK_INT(db_commit(db), BZ_OK);
	CHECK_INT(t_db_int(other, "SELECT at FROM seen WHERE id = 1", 0), 103);
	CHECK(db_generation(db) > g3, "a quiet write inside a transaction moves it");

	/* a failing quiet write reports its error */
	CHECK(db_execf_quiet(db, "UPDATE nowhere SET at = ?1", "i", (int64_t)1) != BZ_OK,
	      "a quiet write to a missing table fails");
	db_close(other);
	db_close(db);
}

/* db_stop_on_commit: a long read stops (SQLITE_INTERRUPT) once a commit of
 * this process's moves the generation past the one given; without a commit, or
 * turned off, it runs to its end. The commit is made by a function the query
 * calls at its 1,000th row, on another connection: no timing involved. */
static struct db *commit_from;
static int commits_made;

static void commit_at(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (commit_from && sqlite3_value_int64(argv[0]) == 1000) {
		if (db_exec(commit_from, "INSERT INTO seen (at) VALUES (1)") == BZ_OK)
			commits_made++;
	}
	sqlite3_result_int(ctx, 1);
}

static int count_rows(struct db *db, int64_t *n)
{
	static const char sql[] = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	                          " WHERE i < 200000) SELECT count(*) FROM n WHERE commit_at(i)";
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = db_step(st);
		*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

static void test_stop_on_commit(void)
{
	char path[512];
	struct db *db, *other;
	if (!open_pair("stop.db", path, sizeof(path), &db, &other))
		return;
	CHECK_INT(sqlite3_create_function(db_handle(db), "commit_at", 1, SQLITE_UTF8, NULL,
	                                  commit_at, NULL, NULL),
	          SQLITE_OK);
	int64_t n = 0;

	/* on, and nothing committed meanwhile: the whole count */
	db_stop_on_commit(db, db_generation(db));
	CHECK_INT(count_rows(db, &n), SQLITE_ROW);
	CHECK_INT(n, 200000);

	/* on, and another connection commits at row 1,000: stopped, soon after */
	commit_from = other;
	CHECK_INT(count_rows(db, &n), SQLITE_INTERRUPT);
	CHECK_INT(commits_made, 1);
	CHECK_INT(db_rc(db, SQLITE_INTERRUPT, "stopped count"), BZ_ERR_DB);
	/* the connection is usable at once, and what was committed is there */
	CHECK_INT(t_db_int(db, "SELECT count(*) FROM seen", -1), 1);

	/* on again, from a generation already left behind: stops at once */
	commit_from = NULL;
	uint64_t old = db_generation(db);
	CHECK_INT(db_exec(other, "INSERT INTO seen (at) VALUES (2)"), BZ_OK);
	db_stop_on_commit(db, old);
	CHECK_INT(count_rows(db, &n), SQLITE_INTERRUPT);

	/* off: a commit meanwhile no longer stops it */
	db_stop_on_commit(db, 0);
	commit_from = other;
	CHECK_INT(count_rows(db, &n), SQLITE_ROW);
	CHECK_INT(n, 200000);
	CHECK_INT(commits_made, 2);
	commit_from = NULL;
	db_close(other);
	db_close(db);
}

/* The run helpers: each one checks how the statement ended and resets it. */
static bz_rc sum_row(sqlite3_stmt *st, void *ctx)
{
	*(int64_t *)ctx += sqlite3_column_int64(st, 0);
	return *(int64_t *)ctx >= 100 ? BZ_ERR_INVALID : BZ_OK;
}

static void test_run_helpers(struct db *db)
{
	static const char SQL_MAKE[] = "CREATE TABLE t_run (n INTEGER NOT NULL UNIQUE, s TEXT)";
	static const char SQL_ADD[] = "INSERT INTO t_run (n, s) VALUES (?1, ?2)";
	static const char SQL_MAX[] = "SELECT max(n) FROM t_run WHERE n < ?1";
	static const char SQL_NONE[] = "SELECT n FROM t_run WHERE n < 0";
	static const char SQL_ALL[] = "SELECT n, s FROM t_run ORDER BY n";
	CHECK_INT(db_exec(db, SQL_MAKE), BZ_OK);
	CHECK_INT(db_execf(db, SQL_ADD, "it", (int64_t)7, "칠"), BZ_OK);
	CHECK_INT(db_execf(db, SQL_ADD, "in", (int64_t)40), BZ_OK);
	CHECK_INT(db_execf(db, SQL_ADD, "it", (int64_t)70, NULL), BZ_OK);
	CHECK_INT(db_execf(db, SQL_ADD, "it", (int64_t)7, "again"), BZ_ERR_CONSTRAINT);
	CHECK_INT(db_execf(db, SQL_ADD, "ix", (int64_t)8), BZ_ERR_DB);

	int64_t v = -1;
	CHECK_INT(db_int1f(db, SQL_MAX, -5, &v, "i", (int64_t)50), BZ_OK);
	CHECK_INT(v, 40);
	CHECK_INT(db_int1f(db, SQL_NONE, -5, &v, ""), BZ_OK);
	CHECK_INT(v, -5);

	sqlite3_stmt *st = db_stmt(db, SQL_ALL);
	int64_t sum = -1000;
	CHECK_INT(db_each(db, st, sum_row, &sum, "sum"), BZ_OK);
	CHECK_INT(sum, -1000 + 117);
	sum = 60;
	CHECK_INT(db_each(db, db_stmt(db, SQL_ALL), sum_row, &sum, "sum"), BZ_ERR_INVALID);
	CHECK_INT(sum, 107); /* stopped at the row that passed 100 */

	st = db_stmt(db, SQL_ALL);
	json_t *rows = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(rows, json_pack("{s:o, s:o}", "s", db_col_json(st, 1), "t",
		                                      json_string(db_col_text(st, 1))));
	json_t *out = NULL;
	CHECK_INT(db_rows_json(db, st, rc, "rows", rows, &out), BZ_OK);
	CHECK_INT(json_array_size(out), 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(out, 0), "s")), "칠");
	CHECK(json_is_null(json_object_get(json_array_get(out, 1), "s")), "SQL NULL as JSON null");
	CHECK_STR(json_string_value(json_object_get(json_array_get(out, 2), "t")), "");
	json_decref(out);
	/* A loop that ended on an error drops what it read. */
	out = NULL;
	CHECK_INT(db_rows_json(db, db_stmt(db, SQL_ALL), SQLITE_IOERR, "rows", json_array(), &out),
	          BZ_ERR_DB);
	CHECK(out == NULL, "no rows handed out after an error");

	st = db_stmt(db, SQL_ALL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK(db_col_text_or_null(st, 1) != NULL, "text column");
	CHECK_INT(db_step_done(db, st, "first row only"), BZ_OK);
}

int main(void)
{
	char path[512], err[256] = "";
	struct db *db = NULL;

	test_open_and_migrate();
	test_newer_refused();
	test_bad_migration();
	test_optional_text_migration();
	test_fk_off_migration();
	test_clock();
	test_concurrent_writers();
	test_quiet_writes();
	test_stop_on_commit();

	t_path(path, sizeof(path), "scratch.db");
	CHECK_INT(db_open(path, true, &db, err, sizeof(err)), BZ_OK);
	if (db != NULL) {
		test_statement_cache(db);
		test_rc_and_transactions(db);
		test_nested_transactions(db);
		test_run_helpers(db);
		db_close(db);
	}
	t_cleanup();
	return t_done();
}
