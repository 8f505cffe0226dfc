/* Quarters and target periods as calendar dates (see workday.h for dates). */
#ifndef BIZSOS_QUARTER_H
#define BIZSOS_QUARTER_H

#include "bizsos/common.h"

/* Parses "2024-Q3" (or "2024-3") into year and quarter. false if malformed. */
bool quarter_parse(const char *s, int *year, int *quarter);
/* First and last day of a quarter as YYYY-MM-DD (DATE_TEXT_SIZE each). */
void quarter_bounds(int year, int quarter, char *first, char *last);

/* First and last day of a target period: "2024" -> 2024-01-01..2024-12-31,
 * "2026-06" -> 2026-01-01..2026-06-30. false if the period is malformed. */
bool target_period_bounds(const char *period, char *first, char *last);
/* "2024년", "2026년 6월" into out. */
void target_period_label(const char *period, char *out, size_t outlen);

#endif
