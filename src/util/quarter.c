/* Quarter and target-period arithmetic over calendar dates. See
 * include/bizsos/quarter.h. */
#include "bizsos/quarter.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ quarters -- */

bool quarter_parse(const char *s, int *year, int *quarter)
{
	if (s == NULL || strlen(s) < 6 || strlen(s) > 7)
		return false;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[4] != '-')
		return false;
	const char *q = s + 5;
	if (*q == 'Q' || *q == 'q')
		q++;
	if (q[0] < '1' || q[0] > '4' || q[1] != '\0')
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (y < 2000 || y > 2100)
		return false;
	*year = y;
	*quarter = q[0] - '0';
	return true;
}

void quarter_bounds(int year, int quarter, char *first, char *last)
{
	if (year < 1 || year > 9999 || quarter < 1 || quarter > 4) {
		first[0] = last[0] = '\0';
		return;
	}
	int m1 = (quarter - 1) * 3 + 1, m3 = m1 + 2;
	date_format(date_from_ymd(year, m1, 1), first, DATE_TEXT_SIZE);
	date_format(date_from_ymd(year, m3, date_days_in_month(year, m3)), last, DATE_TEXT_SIZE);
}

bool target_period_bounds(const char *period, char *first, char *last)
{
	if (period == NULL)
		return false;
	size_t n = strlen(period);
	if (n != 4 && n != 7)
		return false;
	for (int i = 0; i < 4; i++)
		if (period[i] < '0' || period[i] > '9')
			return false;
	int y = atoi(period);
	if (y < 2000 || y > 2100)
		return false;
	int m = 12;
	if (n == 7) {
		if (period[4] != '-' || period[5] < '0' || period[5] > '1' || period[6] < '0' ||
		    period[6] > '9')
			return false;
		m = (period[5] - '0') * 10 + (period[6] - '0');
		if (m < 1 || m > 12)
			return false;
	}
	date_format(date_from_ymd(y, 1, 1), first, DATE_TEXT_SIZE);
	date_format(date_from_ymd(y, m, date_days_in_month(y, m)), last, DATE_TEXT_SIZE);
	return true;
}

void target_period_label(const char *period, char *out, size_t outlen)
{
	if (period && strlen(period) == 7)
		snprintf(out, outlen, "%.4s년 %d월", period, atoi(period + 5));
	else
		snprintf(out, outlen, "%s년", period ? period : "");
}
