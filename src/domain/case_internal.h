/* Shared between the files of the case module (sos_case.c, case_rules.c,
 * case_create.c, case_query.c, case_write.c, case_referral.c, case_edit.c,
 * case_files.c); not part of the public interface. */
#ifndef BIZSOS_CASE_INTERNAL_H
#define BIZSOS_CASE_INTERNAL_H

#include "bizsos/sos_case.h"
#include "bizsos/validate.h"

/* The department whose referrals bound what actor sees: 0 for roles that see
 * every case; the user's department (or -1 if it has none) for department users. */
int64_t case_scope_department(const struct user *actor);

/* The one text column of the row sql finds for id (bound as ?1) into out;
 * false if there is no such row. */
bool case_name_of(struct db *db, const char *sql, int64_t id, char *out, size_t outlen);

/* Appends a history row inside the caller's transaction. Text may be NULL. */
bz_rc case_event_add(struct db *db, int64_t case_id, int64_t actor_id, const char *kind,
                     const char *field, const char *old, const char *new_, const char *note);

/* Free text: NULL or "" allowed only when !required; at most max_chars code
 * points; no control characters except tab and line breaks. */
bool case_text_ok(const char *s, size_t max_chars, bool required);
/* A case's title (required), description and request: a Korean error on
 * fields for each that is not valid (creating and editing share the rule). */
void case_check_texts(const char *title, const char *description, const char *request,
                      json_t *fields);
/* A YYYY-MM-DD date within [min, max] (either may be NULL: no bound). Returns
 * NULL if fine, else a static Korean message. */
const char *case_date_check(const char *s, const char *min, const char *max);

/* Steps sql (?1 the case id, ?2 the actor's scope, as CASE_SCOPE wants) to
 * its one row: BZ_OK with *out on the row (the caller reads and resets it),
 * NOTFOUND when the case is absent or not visible, else the step's error. */
bz_rc case_visible_row(struct db *db, const struct user *actor, const char *sql, int64_t id,
                       const char *what, sqlite3_stmt **out);
/* Every row of sql (?1 bound to id unless id is 0) as case_row_json objects. */
bz_rc case_rows(struct db *db, const char *sql, int64_t id, json_t **out);
/* One result row as a JSON object keyed by column names (NULL -> null). */
json_t *case_row_json(sqlite3_stmt *st);
/* Adds labels and computed fields (due, dday, overdue, open, bounced, ...)
 * to a row holding status, channel, ..., due_on, extended_due_on. */
void case_decorate(json_t *row, int32_t today);

/* SQL: the case s is visible to the scope bound as ?2 (case_scope_department):
 * a department sees a case while it holds an open or answered referral of it,
 * never after returning (반송) it. */
#define CASE_REFERRAL_HOLDS "r.status IN ('open', 'answered')"
#define CASE_SCOPE                                                                                 \
	"(?2 = 0 OR EXISTS (SELECT 1 FROM case_referral r WHERE r.case_id = s.id "                 \
	"AND r.department_id = ?2 AND " CASE_REFERRAL_HOLDS "))"
/* SQL: the case s still needs work. */
#define OPEN_SQL "s.status IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL"

/* ---- the write transaction (case_write.c), shared by case_edit.c ---- */

/* The parts of a case every write checks. */
struct case_row {
	int64_t id, version, merged_into, company_id, assignee_id, reassign_count;
	char status[16];
	char case_no[CASE_NO_SIZE];
	char received_on[DATE_TEXT_SIZE];
	char due_on[DATE_TEXT_SIZE];
	char ext_due[DATE_TEXT_SIZE];
	char notified_method[16];
	char notified_on[DATE_TEXT_SIZE];
	char merged_into_no[CASE_NO_SIZE];
};

/* Column i of the current row as text ("" for NULL) into out. */
void case_col(sqlite3_stmt *st, int i, char *out, size_t outlen);
/* Loads case id as actor may see it; BZ_ERR_NOTFOUND if not visible. */
bz_rc case_row_load(struct db *db, const struct user *actor, int64_t id, struct case_row *r);
/* Opens the write transaction (BEGIN IMMEDIATE) and loads the case, checking
 * the action's roles (act < 0: the caller checks), the merge state and the
 * version. On anything but BZ_OK it has rolled back and filled msg (403/409). */
bz_rc case_write_begin(struct db *db, const struct user *actor, int64_t id, int64_t version,
                       int act, struct case_row *r, char *msg, size_t msglen);
/* Bumps the version and commits; rolls back on failure. */
bz_rc case_write_finish(struct db *db, const struct case_row *r);
/* Rolls back and returns rc. */
bz_rc case_write_abort(struct db *db, bz_rc rc);

#endif
