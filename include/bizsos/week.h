/* The leader's week (주간 점검): what happened this week and what is stuck, for
 * the team leader's Monday meeting. Built from the case tables and the
 * holiday calendar; knows nothing of HTTP.
 *
 * The week is Monday..Sunday (KST) containing `today`. Working days follow
 * workday_between (weekends and the holiday table left out). */
#ifndef BIZSOS_WEEK_H
#define BIZSOS_WEEK_H

#include "bizsos/user.h"
#include <jansson.h>

/* Rows shown per list before "나머지도 보기". */
#define WEEK_LIST_MAX 30
/* Reply times of department referrals are averaged over the answers of the
 * last WEEK_REPLY_WINDOW_DAYS calendar days. */
#define WEEK_REPLY_WINDOW_DAYS 365

/* The week view as of today (YYYY-MM-DD, KST), for u (a leader, executive or
 * admin: every case). *out = {
 *   week {from, to, label, today},
 *   summary {new, closed, due_week, overdue, overdue_department, overdue_company,
 *            overdue_us, unassigned, bounced, long, red},
 *   new_cases, closed_cases, due_cases: {rows [...], total, more, href|null},
 *   overdue: {rows [{id, case_no, title, company, assignee, due, days_late,
 *             reason (department|company|us), reason_label, department,
 *             department_days_late}], total, more, href},
 *   staff: [{id, name, open, overdue, closed_month, href_open, href_overdue,
 *            href_closed}],
 *   departments: [{id, name, open, overdue_open, answered, avg_reply_days
 *                  (text, "-" without answers), late_replies, href_open}],
 *   bounced, long, red: {rows (case_list rows), total, more, href} }.
 * BZ_ERR_INVALID for a bad date, BZ_ERR_DB / BZ_ERR_NOMEM (logged). */
bz_rc week_model(struct db *db, const struct user *u, const char *today, json_t **out);

/* The short summary for the leader's home: {week, summary} of week_model. */
bz_rc week_summary(struct db *db, const struct user *u, const char *today, json_t **out);

#endif
