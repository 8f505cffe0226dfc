/* SOS cases (기업애로): numbering, working-day deadlines, the status machine,
 * referrals to departments, the append-only history, notes, attachments,
 * merging, the repeat-grievance lookup and the case list with its filters.
 *
 * Every function takes the acting user; what a user may see and do is decided
 * here, not only by the router: a department user sees only the cases referred
 * to its department (any other case is BZ_ERR_NOTFOUND, as if it did not
 * exist), an executive and an admin only read.
 *
 * Writes take the case version the form was loaded with. The outcomes are
 *   BZ_OK             done; the version went up by one and an event was written
 *   BZ_ERR_INVALID    field errors in *fields ({field: "한국어 메시지"}); nothing written
 *   BZ_ERR_CONFLICT   the version is stale, or the case is merged into another
 *                     (read-only); msg says which; nothing written
 *   BZ_ERR_FORBIDDEN  this role may not do this (msg says why); nothing written
 *   BZ_ERR_NOTFOUND   no such case, or not visible to this user
 *   BZ_ERR_DB / NOMEM a system failure (logged); rolled back
 * Codes (status, channel, ...) are English; case_label() gives the Korean. */
#ifndef BIZSOS_SOS_CASE_H
#define BIZSOS_SOS_CASE_H

#include "bizsos/user.h"
#include "bizsos/kst.h"
#include "bizsos/workday.h"
#include "bizsos/refdata.h" /* categories, types, departments, holidays, KSIC */
#include <jansson.h>

#define CASE_NO_SIZE        24 /* "SOS-2024-0007" + room for 5+ digit counts */
#define CASE_TITLE_CHARS    200
#define CASE_TEXT_CHARS     10000
#define CASE_REASON_CHARS   1000
#define CASE_OPEN_FLAG_DAYS 30 /* open longer than this: an interim notice is owed */
#define CASE_BOUNCE_LIMIT   3  /* reassigned or returned this often: flagged for the leader */
#define CASE_PAGE_SIZE      20

/* ---- vocabularies ---- */

/* The Korean label of a code in a vocabulary ("status", "channel", "triage",
 * "flag", "disposition", "outcome", "notified_method", "referral_role",
 * "referral_status"); NULL if the code is unknown. Static strings. */
const char *case_label(const char *vocab, const char *code);
/* The vocabulary as [{value, label}] (new reference). */
json_t *case_vocab_json(const char *vocab);

/* ---- the status machine, as data ---- */

enum case_need {
	CASE_NEED_NONE = 0,
	CASE_NEED_REASON = 1 << 0,     /* status_reason (withdrawal, reopening) */
	CASE_NEED_COMPLETION = 1 << 1, /* disposition, outcome (+reason), company notified */
	CASE_NEED_TRANSFER = 1 << 2,   /* transfer_to and transfer_on */
	/* Not a choice on the status form: the move referring the case to a
	 * department makes (recorded as a status event beside the referral). */
	CASE_BY_REFERRAL = 1 << 3,
};

struct case_transition {
	const char *from;
	const char *to;
	int roles; /* ROLE_* bits allowed to make it */
	int needs; /* enum case_need bits */
};
extern const struct case_transition case_transitions[];
extern const size_t case_transition_count;

/* The status a referral moves a case in `from` to (the table's CASE_BY_REFERRAL
 * row), or NULL when a referral leaves the status as it is. */
const char *case_status_on_referral(const char *from);

/* All statuses, in the order of the workflow; NULL-terminated. */
extern const char *const case_statuses[];
/* True for a status that still needs work (received, reviewing, in_progress). */
bool case_status_open(const char *status);

/* May `role` move a case from `from` to `to`? BZ_OK and *t (if not NULL) the row;
 * BZ_ERR_INVALID if no such transition exists (an unknown status too);
 * BZ_ERR_FORBIDDEN if it exists but not for this role. */
bz_rc case_transition_check(const char *from, const char *to, int role,
                            const struct case_transition **t);

/* The other actions on a case and the roles allowed them. */
enum case_action {
	CASE_ACT_CREATE,
	CASE_ACT_TRIAGE,
	CASE_ACT_ASSIGN, /* a staff user may only take the case for itself */
	CASE_ACT_REFER,
	CASE_ACT_ANSWER, /* a department user: only its own department's referral */
	CASE_ACT_EXTEND,
	CASE_ACT_NOTIFY,
	CASE_ACT_NOTE,
	CASE_ACT_ATTACH,
	CASE_ACT_MERGE,
	CASE_ACT_CATEGORIES,      /* edit the category table */
	CASE_ACT_EDIT,            /* the case's own fields: title, texts, category, channel, date */
	CASE_ACT_TRANSFER_ANSWER, /* record the answer of the agency a case went to */
	CASE_ACT_REFERRAL_OWNER,  /* change a referral's owner after referring */
	CASE_ACT_COUNT
};
/* The roles allowed an action (the data table in case_rules.c). */
int case_action_roles(enum case_action a);
bool case_may(const struct user *u, enum case_action a);

/* What u may do with the case model m (as case_get builds it), added to m:
 * can {status, complete, transfer, withdraw, reopen, triage, assign_any,
 * take, refer, extend, notify, note, attach, merge, answer, write,
 * view_company, edit, transfer_answer}; transitions [{to, label}] (the plain
 * status moves); each referral's can_answer, can_return, can_resend,
 * can_change_owner; next {key, <key>: true} (assign, refer, wait or
 * complete: the one step the open case needs); read_only. */
void case_can(const struct user *u, json_t *m);

/* ---- deadlines ---- */

/* The due date of a case received on received_on (YYYY-MM-DD) in a category
 * with default_days: workday_add over the holiday table. out: DATE_TEXT_SIZE. */
bz_rc case_due_date(const struct workday_holidays *h, const char *received_on, int default_days,
                    char *out, size_t outlen);

/* ---- creating ---- */

struct case_input {
	const char *company_id;
	const char *received_on;   /* YYYY-MM-DD, KST; NULL or "": today */
	const char *received_time; /* HH:MM, KST; NULL or "": now (today) or 09:00 */
	const char *channel;
	const char *category_id;
	const char *title;
	const char *description;
	const char *request;
	const char *triage; /* NULL: single */
	const char *flag;   /* NULL or "": none */
	/* NULL or "": the next number of the year. Else (imports) this number,
	 * SOS-<year of received_on>-NNNN…, not yet taken; the year's counter
	 * moves past it. */
	const char *case_no;
};

/* Creates a case numbered SOS-<year of received_on>-NNNN, due
 * workday_add(received_on, category.default_days). *id_out and case_no (if not
 * NULL; CASE_NO_SIZE) get the new case. */
bz_rc case_create(struct db *db, const struct user *actor, const struct case_input *in,
                  json_t *fields, int64_t *id_out, char *case_no);

/* ---- reading ---- */

/* The whole case as the case page shows it: {case: {...fields, labels,
 * due (effective), dday, dday_label, overdue, open_too_long, bounced,
 * merged_into_no}, referrals: [...], events: [...], notes: [...],
 * attachments: [...], merged_from: [...]} with what actor may do (case_can).
 * NOTFOUND if absent or not visible. */
bz_rc case_get(struct db *db, const struct user *actor, int64_t id, json_t **out);
/* Just the current editable values and version ({id, case_no, version, status,
 * ...}), for a 409 answer. */
bz_rc case_current(struct db *db, const struct user *actor, int64_t id, json_t **out);

struct case_filter {
	const char *status; /* a status code, or "open" / "closed" */
	int64_t category_id;
	const char *channel;
	int64_t department_id;
	int64_t assignee_id; /* -1: unassigned */
	int64_t involved_id; /* assigned to or created by this user ("내 사건"); 0: any */
	int year;            /* of received_on; 0: any */
	int quarter;         /* 1..4 with year; 0: any */
	bool overdue;
	const char *flag; /* red | yellow | bounced | long (open > 30 days) */
	/* Closed (종결: completed, transferred or withdrawn) on a KST date in
	 * [closed_from, closed_to], YYYY-MM-DD, checked by the caller; either may
	 * be NULL or "" (open-ended). Either one set also leaves out merged cases,
	 * which live on in the case they were merged into: with status "done"
	 * this is exactly what case_count_done counts. */
	const char *closed_from;
	const char *closed_to;
	int64_t company_id;
	const char *q;    /* full-text, already checked with search_parse */
	const char *sort; /* due (default) | received | no | updated */
	bool desc;
	int page;     /* 1.. */
	int per_page; /* 1..100 */
	/* Keyset paging: the rows after this key ([mine 0/1, the sort column's
	 * value, id] of the last row shown; NULL: from page); and, when next_key
	 * is set, *next_key gets the key of the page's last row if more follow
	 * (NULL on the last page; caller owns it). */
	const json_t *after;
	json_t **next_key;
	/* A cursor instead of a page: when set, every matching row (no page, no
	 * count) is handed to each(each_ctx, row) in order, and *rows stays NULL;
	 * a non-OK answer from each stops the walk and is returned. */
	bz_rc (*each)(void *ctx, const json_t *row);
	void *each_ctx;
};

/* The cases matching f that actor may see, one page of them, with D-day
 * badges: rows [{id, case_no, company, title, status, status_label, category,
 * channel_label, assignee, due, dday, dday_label, overdue, flag, ...}], *total
 * the count of all matches. BZ_ERR_INVALID (msg in *fields.q) for a bad query. */
bz_rc case_list(struct db *db, const struct user *actor, const struct case_filter *f, json_t **rows,
                int64_t *total, json_t *fields);

/* 기업SOS처리 실적 of [first, last] (YYYY-MM-DD, KST, inclusive): the cases
 * completed in the period — status done, closed_on in the period, not merged
 * into another case. Counted with the same WHERE clause case_list builds for
 * {status "done", closed_from first, closed_to last} (all cases, whoever
 * asks), so the list /cases?status=done&closed_from=..&closed_to=.. shows
 * exactly *out cases to a user who sees every case. */
bz_rc case_count_done(struct db *db, const char *first, const char *last, int64_t *out);

/* The company's cases in the category (반복 애로), newest first, open ones
 * first: [{id, case_no, title, status, status_label, received_on, open}]. */
bz_rc case_repeats(struct db *db, const struct user *actor, int64_t company_id, int64_t category_id,
                   json_t **out);

/* Users a case may be assigned to (staff and leaders, enabled): [{id, name}]. */
bz_rc case_assignees(struct db *db, json_t **out);
/* Departments a case may be referred to (not retired): [{id, name, kind}]. */
bz_rc case_departments(struct db *db, json_t **out);
/* Users who may own a referral (department role, enabled, in a department not
 * retired): [{id, name, department_id, department}] by department, then name. */
bz_rc case_department_users(struct db *db, json_t **out);

/* ---- changing ---- */

struct case_status_input {
	const char *to;
	const char *reason;      /* withdrawal, reopening */
	const char *disposition; /* completion */
	const char *outcome;
	const char *outcome_reason;
	const char *notified_method; /* completion: may record the notice here */
	const char *notified_on;
	const char *transfer_to; /* transfer */
	const char *transfer_on;
	const char *transfer_answer;
};

bz_rc case_set_status(struct db *db, const struct user *actor, int64_t id, int64_t version,
                      const struct case_status_input *in, json_t *fields, char *msg, size_t msglen);
/* triage: single | complex; flag: red | yellow | "" (none). */
bz_rc case_set_triage(struct db *db, const struct user *actor, int64_t id, int64_t version,
                      const char *triage, const char *flag, json_t *fields, char *msg,
                      size_t msglen);
/* assignee: a user id as text ("" clears). Changing one assignee for another
 * counts a reassignment. */
bz_rc case_assign(struct db *db, const struct user *actor, int64_t id, int64_t version,
                  const char *assignee, json_t *fields, char *msg, size_t msglen);

/* Refers the case to departments at once: lead (may be NULL/"" if the case
 * already has one) and coops (department ids as text). due_on "" or NULL: the
 * case's due date. */
bz_rc case_refer(struct db *db, const struct user *actor, int64_t id, int64_t version,
                 const char *lead, const char *const *coops, size_t ncoops, const char *due_on,
                 json_t *fields, char *msg, size_t msglen);
/* case_refer with an owner chosen in advance for any referred department:
 * lead_owner for the lead, coop_owners[i] (NULL or "": none; the array may be
 * NULL) for coops[i]. An owner must be an enabled user of that department
 * (fields.lead_owner / fields.coop_owner otherwise). */
struct case_refer_input {
	const char *lead;
	const char *lead_owner;
	const char *const *coops;
	const char *const *coop_owners;
	size_t ncoops;
	const char *due_on;
};
bz_rc case_refer_to(struct db *db, const struct user *actor, int64_t id, int64_t version,
                    const struct case_refer_input *in, json_t *fields, char *msg, size_t msglen);
/* The leader changes the owner of an open referral: owner a user id of the
 * referral's department as text, "" for none. A "referral_owner" event. */
bz_rc case_referral_owner(struct db *db, const struct user *actor, int64_t id, int64_t referral_id,
                          int64_t version, const char *owner, json_t *fields, char *msg,
                          size_t msglen);
/* Sends a returned referral on to another department (department id as
 * text), open again; its return count stays. */
bz_rc case_referral_resend(struct db *db, const struct user *actor, int64_t id, int64_t referral_id,
                           int64_t version, const char *department, const char *due_on,
                           json_t *fields, char *msg, size_t msglen);
/* A department's answer to its referral (action "answer"), or its return
 * (action "return": not ours, with a reason in text). */
bz_rc case_referral_answer(struct db *db, const struct user *actor, int64_t id, int64_t referral_id,
                           int64_t version, const char *action, const char *text, json_t *fields,
                           char *msg, size_t msglen);
/* The one extension: a later date and a reason. */
bz_rc case_extend(struct db *db, const struct user *actor, int64_t id, int64_t version,
                  const char *new_due, const char *reason, json_t *fields, char *msg,
                  size_t msglen);
/* Records that the company was told: method and date. */
bz_rc case_notify(struct db *db, const struct user *actor, int64_t id, int64_t version,
                  const char *method, const char *on, json_t *fields, char *msg, size_t msglen);
bz_rc case_note_add(struct db *db, const struct user *actor, int64_t id, int64_t version,
                    const char *body, bool shared, json_t *fields, char *msg, size_t msglen);

struct case_attachment {
	int64_t id;
	int64_t case_id;
	char filename[256];
	char content_type[64];
	int64_t size;
	char sha256[65];
	char stored_path[512]; /* relative to data_dir */
};
/* Records a file already stored under data_dir (a->stored_path). */
bz_rc case_attachment_add(struct db *db, const struct user *actor, int64_t id, int64_t version,
                          const struct case_attachment *a, json_t *fields, char *msg,
                          size_t msglen);
/* The attachment aid of case id, if actor may see the case. */
bz_rc case_attachment_get(struct db *db, const struct user *actor, int64_t id, int64_t aid,
                          struct case_attachment *out);

/* Merges case id into case `into` (a case number or id as text) of the same
 * company: id becomes read-only with merged_into set; both get an event. */
bz_rc case_merge(struct db *db, const struct user *actor, int64_t id, int64_t version,
                 const char *into, json_t *fields, char *msg, size_t msglen);

/* ---- editing the case's own fields (case_edit.c) ---- */

struct case_edit_input {
	const char *title;
	const char *description;
	const char *request;
	const char *category_id;
	const char *channel;
	const char *received_on;   /* YYYY-MM-DD, KST; not in the future */
	const char *received_time; /* HH:MM, KST; NULL or "": the time of day stays */
};

/* Changes what was recorded at intake (staff and leaders; department users,
 * executives and admins never: BZ_ERR_FORBIDDEN). Every changed field is a
 * "field" event, old -> new. The deadline rule: a new category or received
 * date recomputes due_on = workday_add(received_on, category.default_days)
 * (a "field" event for due_on too), unless the case was extended: then the
 * due date and the extension stay as they are. A retired category may be
 * kept, not chosen; the received date may not be later than the notice,
 * transfer or closing date already recorded. Nothing changed: BZ_OK, *changed
 * = false, no new version. Merged cases are read-only (BZ_ERR_CONFLICT). */
bz_rc case_edit(struct db *db, const struct user *actor, int64_t id, int64_t version,
                const struct case_edit_input *in, bool *changed, json_t *fields, char *msg,
                size_t msglen);
/* The values the edit form starts from: {id, case_no, version, title,
 * description, request, category_id (text), category, channel, received_on,
 * received_time (HH:MM KST), due_on, extended_due_on, extended, status,
 * merged_into, merged_into_no}. NOTFOUND as case_get. */
bz_rc case_edit_values(struct db *db, const struct user *actor, int64_t id, json_t **out);

/* Records (or replaces) the answer of the agency a transferred case went to:
 * its date (YYYY-MM-DD, not before the transfer, not in the future) and text.
 * Staff and leaders. BZ_ERR_CONFLICT if the case is not transferred. A
 * "transfer_answer" event, old -> new. */
bz_rc case_transfer_answer(struct db *db, const struct user *actor, int64_t id, int64_t version,
                           const char *answered_on, const char *text, json_t *fields, char *msg,
                           size_t msglen);

/* Parses a positive decimal id ("42"); 0 if the text is not one. */
int64_t case_parse_id(const char *s);

/* ---- attachments: names and bytes ---- */

/* The content type of a file by its first bytes, for the types cases accept
 * (PDF, PNG, JPEG, GIF, WebP, HWP, HWPX/DOCX/XLSX/PPTX (zip), plain UTF-8
 * text); NULL for anything else (executables, scripts, HTML, unknown). */
const char *case_sniff_type(const unsigned char *head, size_t n);
/* A display name safe to show and to put in a header: the last path segment,
 * control characters, quotes, backslashes and slashes replaced, at most 100
 * code points; "첨부파일" if nothing is left. */
void case_safe_filename(const char *in, char *out, size_t outlen);

#endif
