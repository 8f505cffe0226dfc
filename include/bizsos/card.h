/* The pledge card (공약 이행 카드), the executive dashboard and the leader's
 * quarterly progress page: every figure counted live from the records
 * (activities, grants, communication entries, cases, budget entries), never
 * typed in. Rates are integer tenths (money.h); money int64 won.
 *
 * Counting rules (the contract with sql/005):
 *   - a card row of a year = non-retired activities whose type (or parent
 *     type) has that card_row, held in the year (up to the card's as-of day);
 *     발로뛰는 기업소통 Day counts comm_day and anniversary_letter, the letters
 *     shown as "of which";
 *   - grant sites of a year = non-retired grants selected or done that year;
 *   - 시민소통: 간담회 등 = roundtable activities; the other five = comm_entry rows;
 *   - 기업SOS처리 실적 = cases with status done, closed in the period;
 *   - budget: executed = sum of execution entries; 확보율 = secured ÷ plan,
 *     집행률 = executed ÷ secured (— when the denominator is 0).
 * Each model function returns a new object the caller owns. */
#ifndef BIZSOS_CARD_H
#define BIZSOS_CARD_H

#include "bizsos/store.h"
#include <jansson.h>

/* The card of program_id as of the end of year/quarter: sections header,
 * goals, overview, roadmap, results, photos, self_assessment, budget,
 * communication, next_plans, and `figures` (the machine form, with the keys
 * of shared/seed/card-figures.json). today: YYYY-MM-DD (for the as-of note). */
bz_rc card_model(struct db *db, int64_t program_id, int year, int quarter, json_t **out);

/* The quarter the live card shows by default: the last completed reporting
 * quarter (the one before today's), clamped to the program's first and last
 * quarter. */
bz_rc card_default_quarter(struct db *db, int64_t program_id, const char *today, int *year,
                           int *quarter);

/* The executive dashboard as of the day `today` (the real today, or a
 * quarter's last day for "as of a quarter"): exec_rate (overall and per
 * source) of executions up to the day, budget per year and source, targets
 * against actuals closed by the day, cases received by the day by their
 * status then (a case closed later counts as 처리중) and by category, and
 * those overdue on the day. */
bz_rc dashboard_model(struct db *db, int64_t program_id, const char *today, json_t **out);

/* The changes recorded after `since` (a UTC instant: a card's publication or a
 * quarter's sign-off) to records dated in year/quarter — cases received or
 * closed in it, activities held in it, grants applied, selected or done in it,
 * budget entries made in it: [{at, at_kst, who, what, action, href}], newest
 * first, at most 100, and *count all of them. */
bz_rc period_changes_since(struct db *db, int year, int quarter, const char *since, json_t **out,
                           int64_t *count);

/* The figures of a progress model a sign-off freezes: a new object with deep
 * copies of its cases, close_days, activities, grants and budget. */
json_t *progress_figures(const json_t *model);
/* What differs between the figures as signed and as they are now:
 * [{label, signed, live}] (texts), empty when nothing changed. */
json_t *progress_figures_changes(const json_t *signed_figures, const json_t *live_figures);

/* The leader's progress page of year/quarter (as of today). */
bz_rc progress_model(struct db *db, int64_t program_id, int year, int quarter, const char *today,
                     json_t **out);

/* The head and the `cases` section of progress_model (received, done, overdue
 * and the pace against the year's target), alone: what the leader's home
 * shows, without the rest of the progress page. */
bz_rc progress_pace_model(struct db *db, int64_t program_id, int year, int quarter,
                          const char *today, json_t **out);

/* The median of n values (sorted in place) in tenths: 1,2,3,10 -> 25. 0 for n = 0. */
int64_t card_median_tenths(int32_t *v, size_t n);

#endif
