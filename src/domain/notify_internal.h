/* Private to notify.c and notify_daily.c: what the notices of a case change
 * and of the daily run share. */
#ifndef BIZSOS_NOTIFY_INTERNAL_H
#define BIZSOS_NOTIFY_INTERNAL_H

#include "bizsos/link.h"
#include "bizsos/notify.h"
#include "bizsos/sos_case.h"
#include "bizsos/workday.h"

/* At most this many users of one department are told. */
#define NOTIFY_DEPT_USERS_MAX 500

/* What a notice says about its case. */
struct case_info {
	int64_t id, assignee_id, created_by;
	char case_no[CASE_NO_SIZE];
	char title[CASE_TITLE_CHARS * 4 + 1];
	char company[404];
	char due[DATE_TEXT_SIZE];
};

/* Loads case id; false when there is none (or the read failed). */
bool notify_case_info(struct db *db, int64_t id, struct case_info *c);
/* The ids of the first column of sql bound with text (or num when text is
 * NULL), at most max; false when it cannot run. */
bool notify_ids_collect(struct db *db, const char *sql, const char *text, int64_t num, int64_t *ids,
                        size_t max, size_t *n);
/* Column i as text into out ("" for NULL). */
void notify_col_copy(sqlite3_stmt *st, int i, char *out, size_t outlen);
/* The text link fact of a notice (bizsos/link.h): its stored local path,
 * else its case's page. */
void notify_link_text(char out[LINK_TEXT_SIZE], const char *link, int64_t case_id);

#endif
