/* Calendar dates and working days.
 *
 * Dates travel through the app as "YYYY-MM-DD" text; the arithmetic here works on
 * a day number: days since 1970-01-01 in the proleptic Gregorian calendar
 * (1970-01-01 = 0, 1969-12-31 = -1). Years 0001..9999 are representable.
 *
 * A working day is a Monday..Friday that is not in the holiday set. The holiday
 * set is loaded by the caller (from the `holiday` table, see
 * sql/002_calendar.sql) and is read-only afterwards, so one set may be shared by
 * threads; to apply an admin's edit, build a new set and swap it in.
 *
 * Error messages are static Korean strings for a form's field error. */
#ifndef BIZSOS_WORKDAY_H
#define BIZSOS_WORKDAY_H

#include "bizsos/common.h"

#define DATE_TEXT_SIZE 11        /* "2024-03-15" + NUL */
#define DATE_MIN       (-719162) /* 0001-01-01 */
#define DATE_MAX       2932896   /* 9999-12-31 */

/* Largest N accepted by workday_add (about 40 years of working days). */
#define WORKDAY_ADD_MAX 10000
/* Largest number of days a holiday set holds. */
#define WORKDAY_HOLIDAYS_MAX 100000

/* ---- dates ---- */

/* True if y-m-d is a real date with 1 <= y <= 9999. */
bool date_valid_ymd(int y, int m, int d);
/* Days in month m (1..12) of year y; 0 for a bad month. */
int date_days_in_month(int y, int m);
/* The day number of y-m-d. The date must be valid (see date_valid_ymd). */
int32_t date_from_ymd(int y, int m, int d);
/* Splits a day number (DATE_MIN..DATE_MAX) into year, month and day. */
void date_to_ymd(int32_t day, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" (ten characters, nothing around them) into a day
 * number. BZ_ERR_INVALID with a Korean *msg (if msg) for empty input, another
 * shape, or a date that does not exist (2023-02-29, 2024-02-30, 2024-13-01). */
bz_rc date_parse(const char *s, int32_t *out, const char **msg);
/* Writes "YYYY-MM-DD" into out (at least DATE_TEXT_SIZE). BZ_ERR_INVALID if day is
 * outside DATE_MIN..DATE_MAX, BZ_ERR_TOOLARGE if out is too small; out is "" then
 * (when outlen > 0). */
bz_rc date_format(int32_t day, char *out, size_t outlen);

/* The calendar day in Korea (UTC+9, no daylight saving) of a Unix time, e.g. of
 * time(NULL) for "today". */
int32_t date_from_unix_kst(int64_t unix_seconds);

/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(int32_t day);
/* Korean weekday letter: "월" "화" "수" "목" "금" "토" "일" (static). */
const char *date_weekday_ko(int32_t day);
/* Quarter of the year, 1..4. */
int date_quarter(int32_t day);
/* The year of a day number. */
int date_year(int32_t day);

/* D-day in calendar days: due − today. Positive while time is left, 0 on the due
 * day, negative when overdue (−2: two days late). */
int32_t date_dday(int32_t today, int32_t due);
/* The badge text for a D-day value: "D-3", "D-day", "D+2" (written into out,
 * at least 16 bytes). BZ_ERR_TOOLARGE if out is too small. */
bz_rc date_dday_label(int32_t dday, char *out, size_t outlen);

/* ---- holiday set ---- */

struct workday_holidays {
	int32_t *days; /* sorted ascending, no duplicates; owned */
	size_t len;
	size_t cap;
};

/* An empty set (no allocation until the first add). */
void workday_holidays_init(struct workday_holidays *h);
/* Adds a day (keeping the array sorted; a day already present is ignored).
 * BZ_ERR_INVALID for a day outside DATE_MIN..DATE_MAX, BZ_ERR_NOMEM when
 * allocation fails or the set already holds WORKDAY_HOLIDAYS_MAX days. Adding in
 * ascending order (ORDER BY day) is O(1) each. */
bz_rc workday_holidays_add(struct workday_holidays *h, int32_t day);
/* The same from "YYYY-MM-DD" text (a row of the holiday table). BZ_ERR_INVALID
 * if the text is not a valid date. */
bz_rc workday_holidays_add_text(struct workday_holidays *h, const char *ymd);
/* True if day is in the set (binary search). h may be NULL (an empty set). */
bool workday_is_holiday(const struct workday_holidays *h, int32_t day);
/* Frees the array and leaves an empty set. */
void workday_holidays_free(struct workday_holidays *h);

/* ---- working days ---- */

/* True for Monday..Friday not in h (h may be NULL: weekends only). */
bool workday_is_working_day(const struct workday_holidays *h, int32_t day);
/* The first working day on or after day (day itself if it is one). */
int32_t workday_next_on_or_after(const struct workday_holidays *h, int32_t day);

/* Deadline: the n-th working day after the received date.
 *   - The received day itself is never counted: a case received on a working
 *     Monday with n = 1 is due on Tuesday.
 *   - A case received on a weekend or holiday counts as received on the next
 *     working day, which then is the (uncounted) received day: received on
 *     Saturday, n = 1 → due Tuesday, exactly as if received on Monday.
 *   - n = 0 gives that effective received day.
 * BZ_ERR_INVALID if n is outside 0..WORKDAY_ADD_MAX or the result would pass
 * DATE_MAX. */
bz_rc workday_add(const struct workday_holidays *h, int32_t received, int n, int32_t *due);

/* Working days taken from `from` (received) to `to` (closed), by the same rule as
 * workday_add, so that workday_between(h, r, due) == n whenever
 * workday_add(h, r, n, &due) succeeded: the count of working days d with
 * effective(from) < d <= to, where effective(from) is the first working day on
 * or after from; 0 when to falls before that. When to < from (a data error:
 * closed before received) the result is the negative count of working days d
 * with to < d <= from. Runs in O(log holidays + holidays in range). */
int32_t workday_between(const struct workday_holidays *h, int32_t from, int32_t to);

#endif
