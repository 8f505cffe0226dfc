/* Time in Korea: the one clock "now" and "today" come from, and instants shown
 * in KST (UTC+9, no daylight saving). Pure helpers, below every layer. */
#ifndef BIZSOS_KST_H
#define BIZSOS_KST_H

#include "bizsos/workday.h"
#include <time.h>

/* The current time: time(NULL) unless a test replaced the clock with
 * bz_clock_override(fn); bz_clock_override(NULL) restores the real clock. Not
 * synchronised: set it only before any other thread starts. (store.h's
 * db_time and db_clock_override are this clock.) */
time_t bz_time(void);
void bz_clock_override(time_t (*now)(void));

/* Today in Korea as YYYY-MM-DD. */
void kst_today(char out[DATE_TEXT_SIZE]);
/* Today in Korea as a day number (workday.h). */
int32_t kst_today_day(void);
/* This year in Korea. */
int kst_year(void);

/* "2026-11-26T12:40:00Z" (UTC) -> "2026-11-26 21:40" (KST). Copies input if unparsable. */
void fmt_instant_kst(const char *utc, char *out, size_t outlen);

/* A clock time "HH:MM" (00:00..23:59) as minutes since midnight; -1 when s is
 * NULL or not that shape. */
int clock_hhmm_minutes(const char *s);

#endif
