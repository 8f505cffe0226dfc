/* Reference data administrators keep: SOS case categories, activity types,
 * departments and outside agencies, holidays, KSIC codes (src/domain/refdata.c).
 * Each kind is listed, saved, retired and restored the same way: a save checks
 * its fields (BZ_ERR_INVALID with a Korean message per field), writes in one
 * transaction and leaves an audit_log row. Knows nothing of HTTP. */
#ifndef BIZSOS_REFDATA_H
#define BIZSOS_REFDATA_H

#include "bizsos/store.h"
#include "bizsos/user.h"
#include "bizsos/workday.h"
#include <jansson.h>

/* ---- SOS case categories ---- */

/* [{id, name, default_days, retired, retired_at}] ordered for display; retired
 * ones only if include_retired. */
bz_rc case_categories(struct db *db, bool include_retired, json_t **out);
/* Adds (id 0) or changes a category: name, default_days (1..365), retired.
 * BZ_ERR_INVALID with fields; BZ_ERR_FORBIDDEN unless the actor may edit
 * categories; BZ_ERR_NOTFOUND for an unknown id. Audited. */
bz_rc case_category_save(struct db *db, const struct user *actor, int64_t id, const char *name,
                         const char *default_days, bool retired, json_t *fields);

/* ---- activity types ---- */

#define ACTIVITY_TYPE_CHARS 50

/* The card rows a type may count towards: [{value, label}] (new reference). */
json_t *activity_card_rows_json(void);
/* Korean label of a card row code; NULL if unknown. */
const char *activity_card_row_label(const char *code);
/* Types for display, parents each followed by their sub-kinds: [{id, code, name,
 * label ("— name" for a sub-kind), card_row, card_row_label, parent_id,
 * parent_name, sort, retired, sub}]; retired ones only if include_retired. */
bz_rc activity_types(struct db *db, bool include_retired, json_t **out);
/* The id of the type with that code (seeded codes: comm_day, one_stop_meeting,
 * anniversary_letter, ...); 0 if none. */
int64_t activity_type_id(struct db *db, const char *code);
/* Adds (id 0) or changes a type: name (1..50), card_row ("" none), parent id as
 * text ("" none; a parent must itself be a top-level type), sort, retired.
 * Admin only. Audited. */
bz_rc activity_type_save(struct db *db, const struct user *actor, int64_t id, const char *name,
                         const char *card_row, const char *parent_id, const char *sort,
                         bool retired, json_t *fields);

/* ---- KSIC industry codes ---- */

/* KSIC sections [{code, name, ...}] (sections_only) or codes [{code, section,
 * name, label, is_section}] (sections and divisions). */
bz_rc company_ksic(struct db *db, bool sections_only, json_t **out);

/* ---- departments and holidays ---- */

/* Departments and outside agencies: [{id, name, kind, kind_label, retired,
 * users}], the current ones first. */
bz_rc department_list(struct db *db, json_t **out);
/* Adds one. BZ_ERR_INVALID (fields.name / fields.kind), BZ_ERR_CONSTRAINT
 * (fields.name: the name exists). Audited. */
bz_rc department_add(struct db *db, int64_t actor_id, const char *name, const char *kind,
                     json_t **fields, int64_t *id_out);
/* Retires (retired true) or restores one. BZ_ERR_NOTFOUND; no-op if already so.
 * Audited. */
bz_rc department_set_retired(struct db *db, int64_t actor_id, int64_t id, bool retired);

/* Adds every current holiday to the set h (initialised by the caller): the
 * one reading of the holiday table for due dates and working days. */
bz_rc holiday_set_load(struct db *db, struct workday_holidays *h);
/* The same for the holidays on or after from (YYYY-MM-DD): all a count of
 * working days forward from that day needs (a new case's due date reads the
 * 20-odd holidays ahead, not every year's). */
bz_rc holiday_set_load_from(struct db *db, const char *from, struct workday_holidays *h);
/* Holidays of a year: [{day, weekday, name, kind, kind_label, retired}]. */
bz_rc holiday_list(struct db *db, int year, json_t **out);
/* Adds a holiday (or brings a retired day back with the new name and kind).
 * BZ_ERR_INVALID with fields (day, name, kind), BZ_ERR_CONSTRAINT when the day
 * is already a holiday (fields.day). Audited. */
bz_rc holiday_add(struct db *db, int64_t actor_id, const char *day, const char *name,
                  const char *kind, json_t **fields);
/* Retires the holiday on day. BZ_ERR_NOTFOUND if it is not a current holiday.
 * Audited. */
bz_rc holiday_retire(struct db *db, int64_t actor_id, const char *day);
/* Korean label of a holiday kind ("legal" → "법정공휴일"); NULL if unknown. */
const char *holiday_kind_label(const char *kind);

#endif
