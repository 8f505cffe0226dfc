/* Dates, the holiday seed (sql/002_calendar.sql, loaded into an in-memory SQLite)
 * and working-day deadlines, tested together. */
#include "bizsos/workday.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>

#ifndef BIZSOS_SOURCE_DIR
#error "BIZSOS_SOURCE_DIR must be defined (bizsos_core exports it)"
#endif
#define CALENDAR_SQL BIZSOS_SOURCE_DIR "/sql/002_calendar.sql"

static int32_t D(const char *ymd)
{
	int32_t day = 0;
	const char *msg = NULL;
	if (date_parse(ymd, &day, &msg) != BZ_OK) {
		fprintf(stderr, "bad test date %s: %s\n", ymd, msg);
		abort();
	}
	return day;
}

static const char *S(int32_t day, char buf[DATE_TEXT_SIZE])
{
	if (date_format(day, buf, DATE_TEXT_SIZE) != BZ_OK)
		bz_strlcpy(buf, "(bad)", DATE_TEXT_SIZE);
	return buf;
}

#define CHECK_DAY(got, want)                                                                       \
	do {                                                                                       \
		char g_[DATE_TEXT_SIZE];                                                           \
		CHECK_STR(S((got), g_), (want));                                                   \
	} while (0)

/* ---- dates ---- */

static void test_parse_format(void)
{
	int32_t d = -1;
	const char *msg = NULL;
	CHECK_INT(date_parse("1970-01-01", &d, &msg), BZ_OK);
	CHECK_INT(d, 0);
	CHECK_INT(date_parse("1969-12-31", &d, &msg), BZ_OK);
	CHECK_INT(d, -1);
	CHECK_INT(date_parse("2024-01-01", &d, &msg), BZ_OK);
	CHECK_INT(d, 19723);
	CHECK_INT(date_parse("2024-02-29", &d, &msg), BZ_OK);
	CHECK_INT(date_parse("2000-02-29", &d, &msg), BZ_OK);
	CHECK_INT(date_parse("0001-01-01", &d, &msg), BZ_OK);
	CHECK_INT(d, DATE_MIN);
	CHECK_INT(date_parse("9999-12-31", &d, &msg), BZ_OK);
	CHECK_INT(d, DATE_MAX);

	static const struct {
		const char *in;
		const char *msg;
	} bad[] = {
	    {"", "날짜를 입력하세요."},
	    {NULL, "날짜를 입력하세요."},
	    {"2024-02-30", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2023-02-29", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"1900-02-29", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2024-04-31", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2024-13-01", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2024-00-10", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2024-01-00", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2024-01-32", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"0000-01-01", "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."},
	    {"2024-1-05", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"2024/01/05", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"20240105", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {" 2024-01-05", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"2024-01-05 ", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"2024-01-05T00:00", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"+024-01-05", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"2024-0a-05", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	    {"2024년 1월 5일", "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(bad); i++) {
		msg = NULL;
		d = 12345;
		CHECK_INT(date_parse(bad[i].in, &d, &msg), BZ_ERR_INVALID);
		CHECK_STR(msg, bad[i].msg);
		CHECK_INT(d, 12345); /* untouched */
	}
	CHECK_INT(date_parse("2024-02-30", &d, NULL), BZ_ERR_INVALID);

	char buf[DATE_TEXT_SIZE];
	CHECK_INT(date_format(19723, buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "2024-01-01");
	CHECK_INT(date_format(DATE_MIN, buf, sizeof(buf)), BZ_OK);
	CHECK_STR(buf, "0001-01-01");
	CHECK_INT(date_format(DATE_MAX + 1, buf, sizeof(buf)), BZ_ERR_INVALID);
	CHECK_STR(buf, "");
	CHECK_INT(date_format(DATE_MIN - 1, buf, sizeof(buf)), BZ_ERR_INVALID);
	CHECK_INT(date_format(0, buf, 10), BZ_ERR_TOOLARGE);
	CHECK_STR(buf, "");

	/* Every day of 1890..2110 round-trips, and days are consecutive. */
	int32_t prev = date_from_ymd(1889, 12, 31);
	int bad_trips = 0, days = 0;
	for (int y = 1890; y <= 2110; y++)
		for (int m = 1; m <= 12; m++)
			for (int dd = 1; dd <= date_days_in_month(y, m); dd++) {
				int32_t n = date_from_ymd(y, m, dd);
				int yy, mm, d2;
				date_to_ymd(n, &yy, &mm, &d2);
				char txt[DATE_TEXT_SIZE];
				int32_t back = -1;
				if (n != prev + 1 || yy != y || mm != m || d2 != dd ||
				    date_format(n, txt, sizeof(txt)) != BZ_OK ||
				    date_parse(txt, &back, NULL) != BZ_OK || back != n)
					bad_trips++;
				prev = n;
				days++;
			}
	CHECK_INT(bad_trips, 0);
	CHECK_INT(days, 80718); /* 221 years, 53 of them leap */
	CHECK_INT(date_days_in_month(2024, 2), 29);
	CHECK_INT(date_days_in_month(2100, 2), 28);
	CHECK_INT(date_days_in_month(2024, 13), 0);
	CHECK(!date_valid_ymd(10000, 1, 1), "year 10000 valid");
}

static void test_calendar_helpers(void)
{
	CHECK_INT(date_weekday(0), 4); /* 1970-01-01 was a Thursday */
	CHECK_STR(date_weekday_ko(0), "목");
	CHECK_STR(date_weekday_ko(-1), "수");
	CHECK_STR(date_weekday_ko(D("2024-02-10")), "토");
	CHECK_STR(date_weekday_ko(D("2024-02-11")), "일");
	CHECK_STR(date_weekday_ko(D("2024-02-12")), "월");
	CHECK_STR(date_weekday_ko(D("2025-10-08")), "수");
	CHECK_STR(date_weekday_ko(D("1900-01-01")), "월");
	CHECK_INT(date_weekday(D("2026-11-29")), 7);

	CHECK_INT(date_quarter(D("2024-01-01")), 1);
	CHECK_INT(date_quarter(D("2024-03-31")), 1);
	CHECK_INT(date_quarter(D("2024-04-01")), 2);
	CHECK_INT(date_quarter(D("2024-06-30")), 2);
	CHECK_INT(date_quarter(D("2024-07-01")), 3);
	CHECK_INT(date_quarter(D("2024-09-30")), 3);
	CHECK_INT(date_quarter(D("2024-10-01")), 4);
	CHECK_INT(date_quarter(D("2024-12-31")), 4);
	CHECK_INT(date_year(D("2024-12-31")), 2024);
	CHECK_INT(date_year(D("2025-01-01")), 2025);

	CHECK_INT(date_dday(D("2024-03-10"), D("2024-03-13")), 3);
	CHECK_INT(date_dday(D("2024-03-13"), D("2024-03-13")), 0);
	CHECK_INT(date_dday(D("2024-03-15"), D("2024-03-13")), -2);
	CHECK_INT(date_dday(D("2024-12-30"), D("2025-01-02")), 3);
	char lbl[16];
	CHECK_INT(date_dday_label(3, lbl, sizeof(lbl)), BZ_OK);
	CHECK_STR(lbl, "D-3");
	CHECK_INT(date_dday_label(0, lbl, sizeof(lbl)), BZ_OK);
	CHECK_STR(lbl, "D-day");
	CHECK_INT(date_dday_label(-2, lbl, sizeof(lbl)), BZ_OK);
	CHECK_STR(lbl, "D+2");
	CHECK_INT(date_dday_label(-INT32_MAX, lbl, sizeof(lbl)), BZ_OK);
	CHECK_STR(lbl, "D+2147483647");
	CHECK_INT(date_dday_label(123, lbl, 4), BZ_ERR_TOOLARGE);
	CHECK_STR(lbl, "");

	/* KST = UTC+9: 2024-03-10T14:59:59Z is still the 10th in Korea. */
	int64_t t = (int64_t)D("2024-03-10") * 86400;
	CHECK_DAY(date_from_unix_kst(t + 14 * 3600 + 3599), "2024-03-10");
	CHECK_DAY(date_from_unix_kst(t + 15 * 3600), "2024-03-11");
	CHECK_DAY(date_from_unix_kst(t - 9 * 3600), "2024-03-10");
	CHECK_DAY(date_from_unix_kst(t - 9 * 3600 - 1), "2024-03-09");
	CHECK_INT(date_from_unix_kst(-1), 0);
	CHECK_INT(date_from_unix_kst(-32401), -1);
	CHECK_INT(date_from_unix_kst(INT64_MAX), DATE_MAX);
	CHECK_INT(date_from_unix_kst(INT64_MIN), DATE_MIN);
}

/* ---- holiday set ---- */

static void test_holiday_set(void)
{
	struct workday_holidays h;
	workday_holidays_init(&h);
	CHECK(!workday_is_holiday(&h, 0), "empty set has a holiday");
	CHECK(!workday_is_holiday(NULL, 0), "NULL set has a holiday");
	/* out of order and duplicated */
	CHECK_INT(workday_holidays_add(&h, 30), BZ_OK);
	CHECK_INT(workday_holidays_add(&h, 10), BZ_OK);
	CHECK_INT(workday_holidays_add(&h, 20), BZ_OK);
	CHECK_INT(workday_holidays_add(&h, 20), BZ_OK);
	CHECK_INT(workday_holidays_add(&h, -5), BZ_OK);
	CHECK_INT(workday_holidays_add(&h, 40), BZ_OK);
	CHECK_INT(h.len, 5);
	bool sorted = true;
	for (size_t i = 1; i < h.len; i++)
		sorted = sorted && h.days[i - 1] < h.days[i];
	CHECK(sorted, "set not sorted");
	CHECK(workday_is_holiday(&h, 20), "20 missing");
	CHECK(workday_is_holiday(&h, -5), "-5 missing");
	CHECK(!workday_is_holiday(&h, 21), "21 present");
	CHECK_INT(workday_holidays_add(&h, DATE_MAX + 1), BZ_ERR_INVALID);
	CHECK_INT(workday_holidays_add(&h, DATE_MIN - 1), BZ_ERR_INVALID);
	CHECK_INT(workday_holidays_add_text(&h, "2024-02-30"), BZ_ERR_INVALID);
	CHECK_INT(workday_holidays_add_text(&h, "2024-02-12"), BZ_OK);
	CHECK(workday_is_holiday(&h, D("2024-02-12")), "text add missing");
	workday_holidays_free(&h);
	CHECK_INT(h.len, 0);
	CHECK(h.days == NULL, "not freed");

	/* Many adds, growing the array past its first allocation. */
	for (int32_t i = 2000; i > 0; i--)
		CHECK_INT(workday_holidays_add(&h, i * 3), BZ_OK);
	CHECK_INT(h.len, 2000);
	CHECK(workday_is_holiday(&h, 3000) && !workday_is_holiday(&h, 3001), "lookup after growth");
	workday_holidays_free(&h);
}

/* ---- the seed ---- */

struct seed_row {
	const char *day;
	const char *kind;
};

/* The holiday list, typed a second time independently of the SQL file. */
static const struct seed_row expected[] = {
    /* 2022 */
    {"2022-01-01", "legal"},
    {"2022-01-31", "legal"},
    {"2022-02-01", "legal"},
    {"2022-02-02", "legal"},
    {"2022-03-01", "legal"},
    {"2022-03-09", "election"},
    {"2022-05-05", "legal"},
    {"2022-05-08", "legal"},
    {"2022-06-01", "election"},
    {"2022-06-06", "legal"},
    {"2022-08-15", "legal"},
    {"2022-09-09", "legal"},
    {"2022-09-10", "legal"},
    {"2022-09-11", "legal"},
    {"2022-09-12", "substitute"},
    {"2022-10-03", "legal"},
    {"2022-10-09", "legal"},
    {"2022-10-10", "substitute"},
    {"2022-12-25", "legal"},
    /* 2023 */
    {"2023-01-01", "legal"},
    {"2023-01-21", "legal"},
    {"2023-01-22", "legal"},
    {"2023-01-23", "legal"},
    {"2023-01-24", "substitute"},
    {"2023-03-01", "legal"},
    {"2023-05-05", "legal"},
    {"2023-05-27", "legal"},
    {"2023-05-29", "substitute"},
    {"2023-06-06", "legal"},
    {"2023-08-15", "legal"},
    {"2023-09-28", "legal"},
    {"2023-09-29", "legal"},
    {"2023-09-30", "legal"},
    {"2023-10-02", "temporary"},
    {"2023-10-03", "legal"},
    {"2023-10-09", "legal"},
    {"2023-12-25", "legal"},
    /* 2024 */
    {"2024-01-01", "legal"},
    {"2024-02-09", "legal"},
    {"2024-02-10", "legal"},
    {"2024-02-11", "legal"},
    {"2024-02-12", "substitute"},
    {"2024-03-01", "legal"},
    {"2024-04-10", "election"},
    {"2024-05-05", "legal"},
    {"2024-05-06", "substitute"},
    {"2024-05-15", "legal"},
    {"2024-06-06", "legal"},
    {"2024-08-15", "legal"},
    {"2024-09-16", "legal"},
    {"2024-09-17", "legal"},
    {"2024-09-18", "legal"},
    {"2024-10-01", "temporary"},
    {"2024-10-03", "legal"},
    {"2024-10-09", "legal"},
    {"2024-12-25", "legal"},
    /* 2025 */
    {"2025-01-01", "legal"},
    {"2025-01-27", "temporary"},
    {"2025-01-28", "legal"},
    {"2025-01-29", "legal"},
    {"2025-01-30", "legal"},
    {"2025-03-01", "legal"},
    {"2025-03-03", "substitute"},
    {"2025-05-05", "legal"},
    {"2025-05-06", "substitute"},
    {"2025-06-03", "election"},
    {"2025-06-06", "legal"},
    {"2025-08-15", "legal"},
    {"2025-10-03", "legal"},
    {"2025-10-05", "legal"},
    {"2025-10-06", "legal"},
    {"2025-10-07", "legal"},
    {"2025-10-08", "substitute"},
    {"2025-10-09", "legal"},
    {"2025-12-25", "legal"},
    /* 2026 */
    {"2026-01-01", "legal"},
    {"2026-02-16", "legal"},
    {"2026-02-17", "legal"},
    {"2026-02-18", "legal"},
    {"2026-03-01", "legal"},
    {"2026-03-02", "substitute"},
    {"2026-05-05", "legal"},
    {"2026-05-24", "legal"},
    {"2026-05-25", "substitute"},
    {"2026-06-03", "election"},
    {"2026-06-06", "legal"},
    {"2026-07-17", "legal"},
    {"2026-08-15", "legal"},
    {"2026-08-17", "substitute"},
    {"2026-09-24", "legal"},
    {"2026-09-25", "legal"},
    {"2026-09-26", "legal"},
    {"2026-10-03", "legal"},
    {"2026-10-05", "substitute"},
    {"2026-10-09", "legal"},
    {"2026-12-25", "legal"},
    /* 2027 */
    {"2027-01-01", "legal"},
    {"2027-02-06", "legal"},
    {"2027-02-07", "legal"},
    {"2027-02-08", "legal"},
    {"2027-02-09", "substitute"},
    {"2027-03-01", "legal"},
    {"2027-05-05", "legal"},
    {"2027-05-13", "legal"},
    {"2027-06-06", "legal"},
    {"2027-07-17", "legal"},
    {"2027-07-19", "substitute"},
    {"2027-08-15", "legal"},
    {"2027-08-16", "substitute"},
    {"2027-09-14", "legal"},
    {"2027-09-15", "legal"},
    {"2027-09-16", "legal"},
    {"2027-10-03", "legal"},
    {"2027-10-04", "substitute"},
    {"2027-10-09", "legal"},
    {"2027-10-11", "substitute"},
    {"2027-12-25", "legal"},
    {"2027-12-27", "substitute"},
};

struct seed {
	size_t n;
	char day[200][DATE_TEXT_SIZE];
	char name[200][96];
	char kind[200][16];
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = NULL;
	long size = -1;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size < 1024 * 1024 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		text = malloc((size_t)size + 1);
		if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
			free(text);
			text = NULL;
		}
		if (text)
			text[size] = '\0';
	}
	fclose(f);
	return text;
}

/* Runs the migration on an in-memory database, fills the holiday set from it
 * (as the app does: rows not retired, in day order) and copies the rows. */
static bool load_seed(struct workday_holidays *h, struct seed *s)
{
	char *sql = read_file(CALENDAR_SQL);
	CHECK(sql != NULL, "cannot read %s", CALENDAR_SQL);
	if (!sql)
		return false;
	CHECK(strstr(sql, "\nBEGIN") == NULL && strstr(sql, "\nCOMMIT") == NULL,
	      "the migration must not open its own transaction");
	sqlite3 *db = NULL;
	bool ok = sqlite3_open(":memory:", &db) == SQLITE_OK;
	char *err = NULL;
	if (ok && sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		CHECK(false, "migration failed: %s", err ? err : "?");
		ok = false;
	}
	sqlite3_free(err);
	free(sql);

	sqlite3_stmt *st = NULL;
	if (ok)
		ok = sqlite3_prepare_v2(
		         db,
		         "SELECT day, name, kind FROM holiday WHERE retired_at IS NULL "
		         "ORDER BY day",
		         -1, &st, NULL) == SQLITE_OK;
	s->n = 0;
	while (ok && sqlite3_step(st) == SQLITE_ROW && s->n < BZ_ARRAY_LEN(s->day)) {
		const char *day = (const char *)sqlite3_column_text(st, 0);
		bz_strlcpy(s->day[s->n], day, sizeof(s->day[0]));
		bz_strlcpy(s->name[s->n], (const char *)sqlite3_column_text(st, 1),
		           sizeof(s->name[0]));
		bz_strlcpy(s->kind[s->n], (const char *)sqlite3_column_text(st, 2),
		           sizeof(s->kind[0]));
		CHECK_INT(workday_holidays_add_text(h, day), BZ_OK);
		s->n++;
	}
	sqlite3_finalize(st);

	/* The table's CHECK constraints hold. */
	if (ok) {
		CHECK(sqlite3_exec(db,
		                   "INSERT INTO holiday VALUES ('2024-1-1', 'x', 'legal', NULL)",
		                   NULL, NULL, NULL) == SQLITE_CONSTRAINT,
		      "malformed day accepted");
		CHECK(sqlite3_exec(db,
		                   "INSERT INTO holiday VALUES ('2028-01-01', 'x', 'other', NULL)",
		                   NULL, NULL, NULL) == SQLITE_CONSTRAINT,
		      "unknown kind accepted");
		CHECK(sqlite3_exec(db,
		                   "INSERT INTO holiday VALUES ('2024-02-12', 'x', 'legal', NULL)",
		                   NULL, NULL, NULL) == SQLITE_CONSTRAINT,
		      "duplicate day accepted");
	}
	sqlite3_close(db);
	return ok;
}

static bool name_has(const struct seed *s, size_t i, const char *word)
{
	return strstr(s->name[i], word) != NULL;
}

/* Rebuilds the substitute holidays of the seed from its other rows by the rule
 * of 관공서의 공휴일에 관한 규정 제3조, and compares. */
static void check_substitute_rule(const struct seed *s)
{
	int32_t taken[200];
	size_t ntaken = 0;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->kind[i], "substitute") != 0)
			taken[ntaken++] = D(s->day[i]);

	int32_t need[64]; /* the day after which a substitute is owed */
	size_t nneed = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->kind[i], "legal") != 0)
			continue;
		int32_t day = D(s->day[i]);
		int wd = date_weekday(day);
		bool two = name_has(s, i, "·"); /* two holidays on one day */
		if (name_has(s, i, "설날") || name_has(s, i, "추석")) {
			/* a 3-day 연휴: owed after its last day if any day is a Sunday */
			bool last = i + 1 == s->n || D(s->day[i + 1]) != day + 1 ||
			            strcmp(s->kind[i + 1], "legal") != 0 ||
			            !(name_has(s, i + 1, "설날") || name_has(s, i + 1, "추석"));
			if (!last)
				continue;
			bool sunday = false;
			for (int32_t k = 0; k < 3; k++)
				sunday = sunday || date_weekday(day - k) == 7;
			if (sunday)
				need[nneed++] = day;
			continue;
		}
		bool eligible = name_has(s, i, "삼일절") || name_has(s, i, "어린이날") ||
		                name_has(s, i, "광복절") || name_has(s, i, "개천절") ||
		                name_has(s, i, "한글날") || name_has(s, i, "제헌절") ||
		                ((name_has(s, i, "부처님오신날") || name_has(s, i, "성탄절")) &&
		                 day >= D("2023-05-04"));
		if (eligible && (wd >= 6 || two))
			need[nneed++] = day;
	}

	int32_t got[64];
	size_t ngot = 0;
	for (size_t i = 0; i < nneed; i++) {
		int32_t d = need[i] + 1;
		for (;;) {
			bool busy = date_weekday(d) >= 6;
			for (size_t k = 0; !busy && k < ntaken; k++)
				busy = taken[k] == d;
			if (!busy)
				break;
			d++;
		}
		got[ngot++] = d;
		taken[ntaken++] = d;
	}

	size_t nsub = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->kind[i], "substitute") != 0)
			continue;
		bool found = false;
		for (size_t k = 0; k < ngot; k++)
			found = found || got[k] == D(s->day[i]);
		CHECK(found, "seeded substitute %s is not owed by the rule", s->day[i]);
		nsub++;
	}
	CHECK_INT(ngot, nsub);
	for (size_t k = 0; k < ngot; k++) {
		char b[DATE_TEXT_SIZE];
		bool found = false;
		for (size_t i = 0; i < s->n; i++)
			found = found ||
			        (strcmp(s->kind[i], "substitute") == 0 && D(s->day[i]) == got[k]);
		CHECK(found, "substitute %s owed by the rule is not seeded", S(got[k], b));
	}
}

static void test_seed(struct workday_holidays *h, const struct seed *s)
{
	CHECK_INT(s->n, BZ_ARRAY_LEN(expected));
	CHECK_INT(h->len, BZ_ARRAY_LEN(expected));
	for (size_t i = 0; i < s->n && i < BZ_ARRAY_LEN(expected); i++) {
		CHECK_STR(s->day[i], expected[i].day);
		CHECK_STR(s->kind[i], expected[i].kind);
		CHECK(s->name[i][0] != '\0', "empty name on %s", s->day[i]);
		CHECK(bz_utf8_valid(s->name[i], strlen(s->name[i])), "bad UTF-8 on %s", s->day[i]);
		/* substitutes, temporary holidays and elections fall on weekdays */
		if (strcmp(s->kind[i], "legal") != 0)
			CHECK(date_weekday(D(s->day[i])) <= 5, "%s %s on a weekend", s->kind[i],
			      s->day[i]);
	}

	/* Fixed-date holidays every year; 3-day 설날 and 추석, one 부처님오신날. */
	static const char *const fixed[] = {"01-01", "03-01", "05-05", "06-06",
	                                    "08-15", "10-03", "10-09", "12-25"};
	for (int y = 2022; y <= 2027; y++) {
		for (size_t f = 0; f < BZ_ARRAY_LEN(fixed); f++) {
			char ymd[DATE_TEXT_SIZE];
			snprintf(ymd, sizeof(ymd), "%04d-%s", y, fixed[f]);
			CHECK(workday_is_holiday(h, D(ymd)), "%s missing", ymd);
		}
		int seol = 0, chuseok = 0, buddha = 0;
		int32_t seol_first = 0, chuseok_first = 0;
		for (size_t i = 0; i < s->n; i++) {
			if (date_year(D(s->day[i])) != y || strcmp(s->kind[i], "legal") != 0)
				continue;
			if (name_has(s, i, "설날") && seol++ == 0)
				seol_first = D(s->day[i]);
			if (name_has(s, i, "추석") && chuseok++ == 0)
				chuseok_first = D(s->day[i]);
			buddha += name_has(s, i, "부처님오신날");
		}
		CHECK(seol == 3, "%d: %d 설날 days", y, seol);
		CHECK(chuseok == 3, "%d: %d 추석 days", y, chuseok);
		CHECK(buddha == 1, "%d: %d 부처님오신날", y, buddha);
		for (int32_t k = 0; k < 3; k++) {
			CHECK(workday_is_holiday(h, seol_first + k), "%d 설날 not consecutive", y);
			CHECK(workday_is_holiday(h, chuseok_first + k), "%d 추석 not consecutive",
			      y);
		}
	}
	/* The lunar days themselves (설날, 추석 and 부처님오신날 in the Korean calendar). */
	static const char *const lunar[] = {
	    "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-07",
	    "2022-09-10", "2023-09-29", "2024-09-17", "2025-10-06", "2026-09-25", "2027-09-15",
	    "2022-05-08", "2023-05-27", "2024-05-15", "2025-05-05", "2026-05-24", "2027-05-13",
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(lunar); i++) {
		bool named = false;
		for (size_t k = 0; k < s->n; k++)
			if (strcmp(s->day[k], lunar[i]) == 0)
				named = strcmp(s->name[k], "설날") == 0 ||
				        strcmp(s->name[k], "추석") == 0 ||
				        name_has(s, k, "부처님오신날");
		CHECK(named, "%s is not the named lunar holiday", lunar[i]);
	}
	check_substitute_rule(s);

	/* Working days per year, Monday..Friday less the seeded weekday holidays. */
	static const int per_year[] = {247, 247, 246, 244, 246, 247};
	for (int y = 2022; y <= 2027; y++) {
		int32_t last_prev = date_from_ymd(y - 1, 12, 31);
		int32_t last = date_from_ymd(y, 12, 31);
		int n = 0;
		for (int32_t d = last_prev + 1; d <= last; d++)
			n += workday_is_working_day(h, d);
		CHECK(n == per_year[y - 2022], "%d: %d working days", y, n);
	}
}

/* ---- deadlines ---- */

static void check_due(const struct workday_holidays *h, const char *received, int n,
                      const char *want)
{
	int32_t due = 0;
	bz_rc rc = workday_add(h, D(received), n, &due);
	char g[DATE_TEXT_SIZE];
	CHECK(rc == BZ_OK && strcmp(S(due, g), want) == 0, "%s + %d working days = %s, expected %s",
	      received, n, rc == BZ_OK ? g : bz_strerror(rc), want);
	if (rc == BZ_OK)
		CHECK(workday_between(h, D(received), due) == n, "between(%s, %s) != %d", received,
		      g, n);
}

static void test_deadlines(const struct workday_holidays *h)
{
	/* 설날 */
	check_due(h, "2024-02-07", 7, "2024-02-20"); /* 02-09..12 incl. 대체공휴일 */
	check_due(h, "2024-02-08", 1, "2024-02-13");
	check_due(h, "2024-02-07", 14, "2024-02-29");
	check_due(h, "2025-01-24", 7, "2025-02-10"); /* 01-27 임시 + 01-28..30 */
	check_due(h, "2025-01-24", 14, "2025-02-19");
	check_due(h, "2026-02-13", 7, "2026-02-27");  /* 02-16..18 */
	check_due(h, "2026-02-13", 14, "2026-03-11"); /* and 03-02 대체공휴일(삼일절) */
	/* 추석 */
	check_due(h, "2024-09-13", 7, "2024-09-27");
	check_due(h, "2024-09-13", 14, "2024-10-11"); /* 10-01 임시, 10-03, 10-09 */
	check_due(h, "2025-10-02", 7, "2025-10-20");  /* 10-03..10-09: seven days off */
	check_due(h, "2025-10-02", 14, "2025-10-29");
	check_due(h, "2025-10-02", 1, "2025-10-10");
	check_due(h, "2026-09-23", 7, "2026-10-07");  /* and 10-05 대체공휴일(개천절) */
	check_due(h, "2026-09-23", 14, "2026-10-19"); /* and 10-09 */
	/* a substitute holiday */
	check_due(h, "2024-05-03", 1, "2024-05-07"); /* 05-06 대체공휴일(어린이날) */
	check_due(h, "2024-05-03", 7, "2024-05-16"); /* and 05-15 */
	check_due(h, "2025-02-28", 1, "2025-03-04"); /* 03-03 대체공휴일(삼일절) */
	check_due(h, "2027-12-24", 1, "2027-12-28"); /* 12-27 대체공휴일(성탄절) */
	/* a weekend */
	check_due(h, "2024-03-08", 1, "2024-03-11");
	check_due(h, "2024-03-08", 7, "2024-03-19");
	check_due(h, "2024-03-04", 14, "2024-03-22");
	check_due(h, "2024-03-04", 0, "2024-03-04");
	/* received on a weekend or holiday: counted from the next working day */
	check_due(h, "2024-03-09", 0, "2024-03-11");
	check_due(h, "2024-03-09", 1, "2024-03-12");
	check_due(h, "2024-03-10", 7, "2024-03-20");
	check_due(h, "2025-10-03", 7, "2025-10-21"); /* 개천절: effective 10-10 */
	check_due(h, "2024-02-10", 7, "2024-02-22"); /* 설날: effective 02-13 */

	/* Weekends only (no set). */
	int32_t due;
	CHECK_INT(workday_add(NULL, D("2024-02-07"), 7, &due), BZ_OK);
	CHECK_DAY(due, "2024-02-16");

	/* Errors. */
	CHECK_INT(workday_add(h, D("2024-03-04"), -1, &due), BZ_ERR_INVALID);
	CHECK_INT(workday_add(h, D("2024-03-04"), WORKDAY_ADD_MAX + 1, &due), BZ_ERR_INVALID);
	CHECK_INT(workday_add(h, D("2024-03-04"), WORKDAY_ADD_MAX, &due), BZ_OK);
	CHECK_INT(workday_add(h, D("9999-12-28"), 5, &due), BZ_ERR_INVALID);
	CHECK_INT(workday_add(h, DATE_MAX + 1, 1, &due), BZ_ERR_INVALID);
	CHECK_INT(workday_add(h, DATE_MIN - 1, 1, &due), BZ_ERR_INVALID);

	CHECK(workday_is_working_day(h, D("2024-02-13")), "2024-02-13 not working");
	CHECK(!workday_is_working_day(h, D("2024-02-12")), "대체공휴일 working");
	CHECK(!workday_is_working_day(h, D("2024-02-17")), "Saturday working");
	CHECK_DAY(workday_next_on_or_after(h, D("2025-10-03")), "2025-10-10");
	CHECK_DAY(workday_next_on_or_after(h, D("2025-10-10")), "2025-10-10");
}

/* Naive count for cross-checking workday_between. */
static int32_t naive_between(const struct workday_holidays *h, int32_t from, int32_t to)
{
	int32_t n = 0;
	if (to < from) {
		for (int32_t d = to + 1; d <= from; d++)
			n -= workday_is_working_day(h, d);
		return n;
	}
	int32_t eff = workday_next_on_or_after(h, from);
	for (int32_t d = eff + 1; d <= to; d++)
		n += workday_is_working_day(h, d);
	return n;
}

static void test_between(const struct workday_holidays *h)
{
	CHECK_INT(workday_between(h, D("2024-02-07"), D("2024-02-20")), 7);
	CHECK_INT(workday_between(h, D("2024-03-04"), D("2024-03-04")), 0);
	CHECK_INT(workday_between(h, D("2024-03-04"), D("2024-03-05")), 1);
	CHECK_INT(workday_between(h, D("2024-03-09"), D("2024-03-10")), 0); /* Sat -> Sun */
	CHECK_INT(workday_between(h, D("2024-03-09"), D("2024-03-11")), 0); /* Sat -> Mon */
	CHECK_INT(workday_between(h, D("2024-03-09"), D("2024-03-12")), 1);
	CHECK_INT(workday_between(h, D("2023-12-29"), D("2024-12-31")), 246);
	CHECK_INT(workday_between(h, D("2024-12-31"), D("2025-12-31")), 244);
	CHECK_INT(workday_between(h, D("2024-03-12"), D("2024-03-08")), -2); /* closed before */
	CHECK_INT(workday_between(NULL, D("2024-02-07"), D("2024-02-20")), 9);
	CHECK_INT(workday_between(h, D("2021-12-31"), D("2027-12-31")),
	          247 + 247 + 246 + 244 + 246 + 247);

	/* Against a naive count, over many ranges around the seeded years. */
	unsigned seed = 12345;
	int mismatches = 0, roundtrip = 0;
	int32_t base = D("2021-11-01");
	for (int i = 0; i < 4000; i++) {
		seed = seed * 1103515245u + 12345u;
		int32_t a = base + (int32_t)((seed >> 8) % 2400);
		seed = seed * 1103515245u + 12345u;
		int32_t b = a + (int32_t)((seed >> 8) % 120) - 20;
		if (workday_between(h, a, b) != naive_between(h, a, b))
			mismatches++;
		int n = (int)((seed >> 4) % 40);
		int32_t due;
		if (workday_add(h, a, n, &due) != BZ_OK || workday_between(h, a, due) != n ||
		    !workday_is_working_day(h, due))
			roundtrip++;
	}
	CHECK_INT(mismatches, 0);
	CHECK_INT(roundtrip, 0);
	/* Far outside the seeded years, with weekends only. */
	CHECK_INT(workday_between(h, D("0001-01-01"), D("9999-12-31")),
	          naive_between(h, D("0001-01-01"), D("9999-12-31")));
}

int main(void)
{
	test_parse_format();
	test_calendar_helpers();
	test_holiday_set();

	struct workday_holidays h;
	workday_holidays_init(&h);
	static struct seed s;
	if (load_seed(&h, &s)) {
		test_seed(&h, &s);
		test_deadlines(&h);
		test_between(&h);
	}
	workday_holidays_free(&h);
	return t_done();
}
