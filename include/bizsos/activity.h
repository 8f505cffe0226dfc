/* Field work: activities (visits, meetings, letters, education) with their
 * companies, staff, outside attendees, agencies, photos, follow-ups and the
 * cases they raised or discussed; the admin-editable activity types; the list,
 * month calendar, yearly counts and anniversary reminders; the phone form's
 * visit (발로뛰는 기업소통 Day) with its grievances; one-stop meeting decisions.
 * Knows nothing of HTTP.
 *
 * Writes answer BZ_OK; BZ_ERR_INVALID with field errors in `fields` ({field:
 * "한국어 메시지"}), nothing written; BZ_ERR_FORBIDDEN for roles that only read;
 * BZ_ERR_NOTFOUND; BZ_ERR_DB / NOMEM on a system failure (logged, rolled back).
 * Read models are Jansson objects owned by the caller. */
#ifndef BIZSOS_ACTIVITY_H
#define BIZSOS_ACTIVITY_H

#include "bizsos/photo.h"
#include "bizsos/user.h"
#include "bizsos/workday.h"
#include "bizsos/refdata.h" /* categories, types, departments, holidays, KSIC */
#include <jansson.h>

#define ACTIVITY_PAGE_SIZE     20
#define ACTIVITY_TITLE_CHARS   200
#define ACTIVITY_PLACE_CHARS   200
#define ACTIVITY_SUMMARY_CHARS 20000
#define ACTIVITY_LIST_MAX      50 /* companies, staff, attendees, agencies, follow-ups each */
#define VISIT_GRIEVANCES_MAX   20
#define VISIT_PHOTOS_MAX       10 /* photos sent with the phone form */
#define IDEMPOTENCY_KEY_HEX    32 /* 128 random bits as hex */
#define ANNIVERSARY_DAYS       30

/* ---- activities ---- */

/* Staff and leaders (not disabled) who can be named as having gone, by name:
 * [{id, name}]. */
bz_rc activity_staff(struct db *db, json_t **out);

struct activity_attendee_input {
	const char *name;
	const char *organisation;
};

/* The form as typed; every pointer may be NULL or "". Lists hold ids as text. */
struct activity_input {
	const char *type_id;
	const char *held_on;   /* YYYY-MM-DD, not in the future */
	const char *starts_at; /* HH:MM or blank */
	const char *ends_at;   /* HH:MM or blank */
	const char *place;
	const char *title;
	const char *summary;
	const char *followups; /* one follow-up per line */
	const char *const *company_ids;
	size_t ncompanies;
	const char *const *staff_ids;
	size_t nstaff;
	const char *const *agency_ids;
	size_t nagencies;
	const char *const *agenda_case_ids; /* one-stop meetings: complex cases */
	size_t nagenda;
	const struct activity_attendee_input *attendees;
	size_t nattendees;
	const char *idempotency_key; /* NULL or IDEMPOTENCY_KEY_HEX hex digits */
};

/* Checks the input; field errors into fields. BZ_OK or BZ_ERR_INVALID. */
bz_rc activity_validate(struct db *db, const struct activity_input *in, json_t *fields);
/* Creates the activity with everything attached, in one transaction, and an
 * activity_event "created". */
bz_rc activity_create(struct db *db, const struct user *actor, const struct activity_input *in,
                      json_t *fields, int64_t *id_out);
/* The activity created by the form with this idempotency key: BZ_OK and *id,
 * or BZ_ERR_NOTFOUND. */
bz_rc activity_by_key(struct db *db, const char *key, int64_t *id);
/* A fresh idempotency key (IDEMPOTENCY_KEY_HEX hex digits + NUL). */
void activity_new_key(char out[IDEMPOTENCY_KEY_HEX + 1]);
/* True if key is IDEMPOTENCY_KEY_HEX lower-case hex digits. */
bool activity_key_valid(const char *key);

/* Everything about one activity: {activity: {id, type_id, type, card_row,
 * is_one_stop, is_comm_day, held_on, held_on_text (with weekday), starts_at,
 * ends_at, time_text, place, title, display_title, summary, created_by,
 * created_at_text, idempotency_key, version}, companies [{id, name,
 * brn_text}], staff [{id, name}], attendees [{name, organisation}], agencies
 * [{id, name, kind_label}], photos [{id, caption, width, height, size_text,
 * url}], followups [{id, body, done_on}], cases [{id, case_no, title,
 * status, status_label, kind, seq}] (raised), agenda [{... decision,
 * decided_at_text, decided_by}], events [{at_text, actor, kind_label, text}]}.
 * BZ_ERR_NOTFOUND if absent or retired. */
bz_rc activity_get(struct db *db, int64_t id, json_t **out);

/* The fields of an activity that can be changed after the fact, as typed;
 * version is the version the form was read at. */
struct activity_edit_input {
	const char *held_on, *place, *title, *summary, *version;
};
/* Changes an activity's date, place, title and summary; one activity_event
 * "updated" per changed field (old -> new). Field errors as activity_validate's;
 * a stale version is BZ_ERR_CONFLICT with fields.version; a retired or absent
 * activity BZ_ERR_NOTFOUND. */
bz_rc activity_edit(struct db *db, const struct user *actor, int64_t id,
                    const struct activity_edit_input *in, json_t *fields);
/* Retires an activity (it leaves the lists, the calendar and the card) with a
 * reason (fields.reason when blank or over 500 characters), recorded as an
 * activity_event "retired". */
bz_rc activity_retire(struct db *db, const struct user *actor, int64_t id, const char *reason,
                      json_t *fields);
/* Marks a follow-up of the activity done today (KST), recorded; done already:
 * BZ_OK, nothing changes. */
bz_rc activity_followup_done(struct db *db, const struct user *actor, int64_t id,
                             int64_t followup_id);

struct activity_filter {
	int64_t type_id;    /* includes the type's sub-kinds; 0: any */
	int year;           /* 0: any */
	int month;          /* 1..12 with year; 0: any */
	int64_t company_id; /* 0: any */
	int64_t staff_id;   /* 0: any */
	int page;           /* from 1 */
	/* Keyset paging: rows after this key ([held_on, starts_at or "", id] of
	 * the last row shown; NULL: from page) and rows a page (0: the page size).
	 * The answer has next_key, the key of its last row, when more follow. */
	const json_t *after;
	int limit;
	/* A cursor instead of a page: when set, every matching row is handed to
	 * each(each_ctx, row) in order and *out stays NULL; a non-OK answer stops
	 * the walk and is returned. */
	bz_rc (*each)(void *ctx, const json_t *row);
	void *each_ctx;
};
/* {activities: [{id, held_on, held_on_text, time_text, type, display_title,
 * place, companies (names joined), staff (names joined), photos, cases}],
 * total, page_no, pages, next_key?} (page_no: "page" is the chrome's). */
bz_rc activity_list(struct db *db, const struct activity_filter *f, json_t **out);

/* The month as weeks Monday..Sunday: {year, month, title ("2024년 5월"),
 * prev {year, month}, next {...}, weeks: [{days: [{date, day, in_month,
 * today, weekend, weekday, activities: [{id, type, display_title,
 * time_text}], count}]}], total}. today: YYYY-MM-DD (for marking). */
bz_rc activity_calendar(struct db *db, int year, int month, const char *today, json_t **out);

/* Counts per type per month of year: {year, rows: [{type_id, name, label,
 * card_row_label, sub, months: [12 counts], total}], month_totals: [12],
 * total}. Sub-kinds count in their own row; a parent's row counts only
 * activities of the parent type itself and shows the family total in
 * family_total. */
bz_rc activity_stats(struct db *db, int year, json_t **out);

/* Companies whose founding anniversary falls within the next `days` days from
 * today (today included): [{company_id, name, brn_text, founded_on,
 * anniversary_on, anniversary_text, years, dday, dday_label, letter_id (the
 * anniversary-letter activity already logged for this anniversary, or
 * null)}], soonest first. A company founded on 29 February celebrates on 28
 * February in other years. */
bz_rc activity_anniversaries(struct db *db, const char *today, int days, json_t **out);

/* ---- photos ---- */

/* Records a photo already stored by photo_store. caption up to 200 characters.
 * BZ_ERR_INVALID (fields.caption), BZ_ERR_NOTFOUND (no such activity). */
bz_rc activity_photo_add(struct db *db, const struct user *actor, int64_t activity_id,
                         const struct photo_file *p, const char *caption, json_t *fields,
                         int64_t *pid_out);
/* The stored path and content type of photo pid of activity id. */
bz_rc activity_photo_get(struct db *db, int64_t activity_id, int64_t pid, char *stored_path,
                         size_t pathlen, char *content_type, size_t ctlen);

/* ---- the phone form: a communication-day visit and its grievances ---- */

struct visit_grievance_input {
	const char *title;
	const char *category_id;
	const char *description;
};

struct visit_input {
	const char *company_id;       /* an existing company, or blank and: */
	const char *new_company_name; /* create one inline */
	const char *new_company_brn;
	const char *held_on; /* blank: today */
	const char *starts_at;
	const char *place;
	const char *summary; /* what was seen */
	const char *const *staff_ids;
	size_t nstaff;
	const struct visit_grievance_input *grievances; /* rows left wholly blank are skipped */
	size_t ngrievances;
	const char *idempotency_key;     /* required */
	const struct photo_file *photos; /* stored already by photo_store; attached in */
	size_t nphotos;                  /* the visit's transaction */
};

/* Logs the visit. With a key already used, creates nothing new: *id_out is the
 * visit made by the first POST and *replayed is true (a grievance row that the
 * first POST could not finish is finished now, never created twice). A new
 * company is created first (a BRN already registered uses that company); the
 * visit with its company and staff is one transaction; each grievance becomes
 * an SOS case (channel "visit", received on the visit's date) linked to the
 * visit by its row number. Field errors: company_id, new_company_name,
 * new_company_brn, held_on, starts_at, place, summary, staff, g<N>_title,
 * g<N>_category, g<N>_description (N from 1), idempotency_key. */
bz_rc visit_create(struct db *db, const struct user *actor, const struct visit_input *in,
                   json_t *fields, int64_t *id_out, bool *replayed);

/* Adds grievances heard later to visit id ("이 기업 다른 애로 추가"): each
 * non-blank row becomes a case of the visit's company, linked to the visit as
 * row base + N (base: the visit's last row when the form was shown, from
 * visit_last_row). Sending the same form again creates nothing twice; a row
 * number another form took meanwhile is a conflict. At least one row.
 * BZ_ERR_INVALID (fields g<N>_title, g<N>_category, g<N>_description,
 * grievances), BZ_ERR_NOTFOUND (no such visit, or not a visit with a company),
 * BZ_ERR_CONFLICT, BZ_ERR_FORBIDDEN. *created: cases made by this call. */
bz_rc visit_add_grievances(struct db *db, const struct user *actor, int64_t id, int base,
                           const struct visit_grievance_input *g, size_t n, json_t *fields,
                           size_t *created);

/* The activity (a visit, a meeting) case_id was raised at: *out {id,
 * held_on, held_on_text, type}, or NULL when the case came another way. */
bz_rc visit_of_case(struct db *db, int64_t case_id, json_t **out);

/* The highest grievance row number of visit id (0 when none). */
bz_rc visit_last_row(struct db *db, int64_t id, int *out);

/* ---- one-stop meetings ---- */

/* Open complex cases that may be put on an agenda: [{id, case_no, company,
 * title, status_label}], at most 100, oldest first. */
bz_rc activity_agenda_candidates(struct db *db, const struct user *actor, json_t **out);

/* Records the meeting's decision for agenda case case_id and applies it to the
 * case through the case API, so it lands in the case's own history: a note
 * with the decision, a referral to lead_department (department id as text, or
 * blank), and a status change to `status` ("reviewing", "in_progress" or
 * blank). BZ_ERR_INVALID with fields (decision, lead_department, status);
 * BZ_ERR_CONFLICT / FORBIDDEN with msg from the case API. */
bz_rc activity_agenda_decide(struct db *db, const struct user *actor, int64_t activity_id,
                             int64_t case_id, const char *decision, const char *lead_department,
                             const char *status, json_t *fields, char *msg, size_t msglen);

#endif
