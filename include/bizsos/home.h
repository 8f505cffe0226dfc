/* The home page of each role: what that person comes for, as short lists
 * (at most HOME_LIST_MAX rows each, with the total and a link to the full
 * list). Built from the case, activity and card domains plus the few read
 * queries of src/domain/home.c. Knows nothing of HTTP.
 *
 *   staff       my open cases (assigned to me or taken in by me) by deadline,
 *               my recent activities (I went, or I recorded them)
 *   leader      open red-flag cases, overdue count, cases awaiting assignment,
 *               cases bounced CASE_BOUNCE_LIMIT+ times, this quarter's
 *               completed cases against the yearly target's pace, sign-offs
 *   executive   집행률 (overall and by source), this year's target and actual
 *   department  open referrals to my department ("내 담당" first, then the
 *               nearest deadline); never another department's
 *   admin       users per role, disabled and locked accounts
 *
 * Every function returns BZ_OK and a new object in *out (the caller owns it),
 * or BZ_ERR_DB / BZ_ERR_NOMEM (logged). */
#ifndef BIZSOS_HOME_H
#define BIZSOS_HOME_H

#include "bizsos/user.h"
#include <jansson.h>

#define HOME_LIST_MAX   10
#define HOME_RECENT_MAX 5

/* The lists of u's role as of today (YYYY-MM-DD, KST). An object with the
 * role's sections (see the template templates/home.mustache for the keys);
 * an empty object for a role without lists. */
bz_rc home_model(struct db *db, const struct user *u, const char *today, json_t **out);

/* A list section is {<rows>, total, empty, more (total > rows shown), href
 * (the full list)}. */

/* {cases: [...case_list rows...], total, empty, more, href} of u's open cases: assigned to
 * u or created by u, nearest deadline first (overdue first). */
bz_rc home_my_cases(struct db *db, const struct user *u, json_t **out);
/* The same section of u's newest cases (assigned to u or created by u, any
 * status), the last received first, HOME_RECENT_MAX of them: what a visit
 * just created shows here, apart from the deadline list. */
bz_rc home_my_recent(struct db *db, const struct user *u, json_t **out);
/* {activities: [{id, held_on, held_on_text, type, display_title, place,
 * companies, cases, has_cases}] (place null if none), total, empty, more,
 * href}: activities u went to or recorded, the
 * latest first. */
bz_rc home_my_activities(struct db *db, const struct user *u, json_t **out);
/* {referrals: [{case_id, case_no, title, company, role, role_label, due_on,
 * dday, dday_label, overdue, due_soon, mine, owner}], total, mine_total,
 * href}: open referrals of u's department on open cases, u's own first, then
 * the nearest deadline. Empty when u has no department. */
bz_rc home_department_referrals(struct db *db, const struct user *u, const char *today,
                                json_t **out);
/* {roles: [{role, label, enabled, disabled}], enabled, disabled, locked_total, locked:
 * [{id, login, name, role_label, locked_until, locked_until_text}]}. */
bz_rc home_admin_users(struct db *db, json_t **out);

#endif
