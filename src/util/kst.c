/* Time in Korea: the clock, today, and instants shown in KST. See kst.h. */
#include "bizsos/kst.h"

#include <stdio.h>
#include <string.h>

static time_t (*clock_fn)(void);

time_t bz_time(void)
{
	return clock_fn ? clock_fn() : time(NULL);
}

void bz_clock_override(time_t (*now)(void))
{
	clock_fn = now;
}

int32_t kst_today_day(void)
{
	return date_from_unix_kst((int64_t)bz_time());
}

void kst_today(char out[DATE_TEXT_SIZE])
{
	date_format(kst_today_day(), out, DATE_TEXT_SIZE);
}

int kst_year(void)
{
	return date_year(kst_today_day());
}

void fmt_instant_kst(const char *utc, char *out, size_t outlen)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = utc ? strptime(utc, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (end == NULL || (*end != 'Z' && *end != '\0')) {
		bz_strlcpy(out, utc ? utc : "", outlen);
		return;
	}
	time_t t = timegm(&tm) + 9 * 3600;
	struct tm k;
	gmtime_r(&t, &k);
	strftime(out, outlen, "%Y-%m-%d %H:%M", &k);
}

int clock_hhmm_minutes(const char *s)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}
