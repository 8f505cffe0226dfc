/* Private to the activity_*.c and visit.c files of src/domain: what they share. */
#ifndef BIZSOS_ACTIVITY_INTERNAL_H
#define BIZSOS_ACTIVITY_INTERNAL_H

#include "bizsos/activity.h"
#include "bizsos/brn.h"
#include "bizsos/codes.h"
#include "bizsos/company.h"
#include "bizsos/sos_case.h"
#include "bizsos/validate.h"
#include "bizsos/kst.h"

bool act_may_write(const struct user *u);
/* "2024-05-03 (금)" */
void act_date_label(const char *ymd, char *out, size_t outlen);
void act_time_label(const char *start, const char *end, char *out, size_t outlen);
bool act_row_exists(struct db *db, const char *sql, int64_t id);
bz_rc act_link_case(struct db *db, int64_t activity_id, int64_t case_id, const char *kind, int seq);
/* Inserts the activity and its attachments; the caller holds the transaction. */
bz_rc act_insert_activity(struct db *db, int64_t actor_id, const struct activity_input *in,
                          int64_t *id_out);
/* The display title of a list row: the typed title, else company (+n) · type. */
void act_row_title(const char *title, const char *companies, int64_t ncompanies, const char *type,
                   char *out, size_t outlen);
/* [from, to) of a year or a month as YYYY-MM-DD; false if no bound. */
bool act_range_of(int year, int month, char *from, char *to);

#endif
