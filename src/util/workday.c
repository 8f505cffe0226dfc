/* Dates as day numbers, the holiday set, and working-day arithmetic. */
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_DATE_EMPTY "날짜를 입력하세요."
#define MSG_DATE_SHAPE "날짜는 YYYY-MM-DD 형식으로 입력하세요(예: 2024-03-15)."
#define MSG_DATE_NONE  "존재하지 않는 날짜입니다. 연·월·일을 확인하세요."

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && d >= 1 && d <= date_days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil / civil_from_days, on int64 to stay clear of
 * overflow for any int input. */
int32_t date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = mm;
	*d = dd;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bz_rc date_parse(const char *s, int32_t *out, const char **msg)
{
	const char *m = NULL;
	if (!s || !s[0]) {
		m = MSG_DATE_EMPTY;
	} else if (strnlen(s, 11) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	           s[7] != '-' || !digits(s + 8, 2)) {
		m = MSG_DATE_SHAPE;
	} else {
		int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
		if (!date_valid_ymd(y, mo, d))
			m = MSG_DATE_NONE;
		else
			*out = date_from_ymd(y, mo, d);
	}
	if (m) {
		if (msg)
			*msg = m;
		return BZ_ERR_INVALID;
	}
	return BZ_OK;
}

bz_rc date_format(int32_t day, char *out, size_t outlen)
{
	if (outlen > 0)
		out[0] = '\0';
	if (day < DATE_MIN || day > DATE_MAX)
		return BZ_ERR_INVALID;
	if (outlen < DATE_TEXT_SIZE)
		return BZ_ERR_TOOLARGE;
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(out, outlen, "%04d-%02d-%02d", y, m, d);
	return BZ_OK;
}

int32_t date_from_unix_kst(int64_t t)
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		days--;
		rem += 86400;
	}
	if (rem + 9 * 3600 >= 86400)
		days++;
	if (days < DATE_MIN)
		return DATE_MIN;
	if (days > DATE_MAX)
		return DATE_MAX;
	return (int32_t)days;
}

/* Days since Monday 1969-12-29, split into whole weeks and a 0..6 remainder
 * (0 = Monday). */
static void week_split(int64_t day, int64_t *weeks, int *rem)
{
	int64_t t = day + 3;
	int64_t w = t / 7, r = t % 7;
	if (r < 0) {
		w--;
		r += 7;
	}
	*weeks = w;
	*rem = (int)r;
}

int date_weekday(int32_t day)
{
	int64_t w;
	int r;
	week_split(day, &w, &r);
	return r + 1;
}

const char *date_weekday_ko(int32_t day)
{
	static const char *const names[7] = {"월", "화", "수", "목", "금", "토", "일"};
	return names[date_weekday(day) - 1];
}

int date_quarter(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return (m - 1) / 3 + 1;
}

int date_year(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y;
}

int32_t date_dday(int32_t today, int32_t due)
{
	int64_t v = (int64_t)due - today;
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < -INT32_MAX)
		return -INT32_MAX;
	return (int32_t)v;
}

bz_rc date_dday_label(int32_t dday, char *out, size_t outlen)
{
	int n;
	if (dday == 0)
		n = snprintf(out, outlen, "D-day");
	else if (dday > 0)
		n = snprintf(out, outlen, "D-%ld", (long)dday);
	else
		n = snprintf(out, outlen, "D+%lld", -(long long)dday);
	if (n < 0 || (size_t)n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return BZ_ERR_TOOLARGE;
	}
	return BZ_OK;
}

/* ---- holiday set ---- */

void workday_holidays_init(struct workday_holidays *h)
{
	h->days = NULL;
	h->len = 0;
	h->cap = 0;
}

void workday_holidays_free(struct workday_holidays *h)
{
	free(h->days);
	workday_holidays_init(h);
}

/* Index of the first element >= day. */
static size_t lower_bound(const struct workday_holidays *h, int64_t day)
{
	size_t lo = 0, hi = h->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bz_rc workday_holidays_add(struct workday_holidays *h, int32_t day)
{
	if (day < DATE_MIN || day > DATE_MAX)
		return BZ_ERR_INVALID;
	size_t at = (h->len == 0 || h->days[h->len - 1] < day) ? h->len : lower_bound(h, day);
	if (at < h->len && h->days[at] == day)
		return BZ_OK;
	if (h->len >= WORKDAY_HOLIDAYS_MAX)
		return BZ_ERR_NOMEM;
	if (h->len == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		if (cap > WORKDAY_HOLIDAYS_MAX)
			cap = WORKDAY_HOLIDAYS_MAX;
		int32_t *p = realloc(h->days, cap * sizeof(*p));
		if (!p)
			return BZ_ERR_NOMEM;
		h->days = p;
		h->cap = cap;
	}
	memmove(h->days + at + 1, h->days + at, (h->len - at) * sizeof(*h->days));
	h->days[at] = day;
	h->len++;
	return BZ_OK;
}

bz_rc workday_holidays_add_text(struct workday_holidays *h, const char *ymd)
{
	int32_t day;
	bz_rc rc = date_parse(ymd, &day, NULL);
	if (rc != BZ_OK)
		return rc;
	return workday_holidays_add(h, day);
}

bool workday_is_holiday(const struct workday_holidays *h, int32_t day)
{
	if (!h || h->len == 0)
		return false;
	size_t i = lower_bound(h, day);
	return i < h->len && h->days[i] == day;
}

/* ---- working days ---- */

static bool is_weekend(int64_t day)
{
	int64_t w;
	int r;
	week_split(day, &w, &r);
	return r >= 5;
}

bool workday_is_working_day(const struct workday_holidays *h, int32_t day)
{
	return !is_weekend(day) && !workday_is_holiday(h, day);
}

int32_t workday_next_on_or_after(const struct workday_holidays *h, int32_t day)
{
	if (day < DATE_MIN || day > DATE_MAX)
		return day;
	/* Terminates: the set is finite, so a working day comes within
	 * len + weekends days; day numbers stay far below INT32_MAX. */
	while (!workday_is_working_day(h, day))
		day++;
	return day;
}

bz_rc workday_add(const struct workday_holidays *h, int32_t received, int n, int32_t *due)
{
	if (n < 0 || n > WORKDAY_ADD_MAX || received < DATE_MIN || received > DATE_MAX)
		return BZ_ERR_INVALID;
	int32_t d = workday_next_on_or_after(h, received);
	for (int i = 0; i < n; i++)
		d = workday_next_on_or_after(h, d + 1);
	if (d > DATE_MAX)
		return BZ_ERR_INVALID;
	*due = d;
	return BZ_OK;
}

/* Monday..Friday days in the prefix ending at day (a running count whose
 * differences count weekdays in a range). */
static int64_t weekdays_upto(int64_t day)
{
	int64_t w;
	int r;
	week_split(day, &w, &r);
	return w * 5 + (r < 5 ? r + 1 : 5);
}

/* Working days d with a < d <= b (a <= b). */
static int64_t count_working(const struct workday_holidays *h, int64_t a, int64_t b)
{
	int64_t n = weekdays_upto(b) - weekdays_upto(a);
	if (h) {
		for (size_t i = lower_bound(h, a + 1); i < h->len && h->days[i] <= b; i++)
			if (!is_weekend(h->days[i]))
				n--;
	}
	return n;
}

int32_t workday_between(const struct workday_holidays *h, int32_t from, int32_t to)
{
	if (to < from)
		return (int32_t)-count_working(h, to, from);
	int32_t eff = workday_next_on_or_after(h, from);
	if (to <= eff)
		return 0;
	return (int32_t)count_working(h, eff, to);
}
