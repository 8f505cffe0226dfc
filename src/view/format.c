/* Display formatting of instants: stored UTC, shown in KST (UTC+9, no DST). */
#include "bizsos/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
