/* Programs (사업) of the pledge book and what the card states about them that
 * is not counted from other records: the header, targets, budget lines and
 * execution entries, roadmap tasks, the yearly self-assessment, next plans,
 * published cards and quarter sign-offs (sql/006_program.sql).
 *
 * Every write runs in one transaction and appends program_event rows (who,
 * when, which object, field, old -> new). Field errors go into a caller's
 * `fields` object (field -> Korean message) with BZ_ERR_INVALID; a stale
 * version is BZ_ERR_CONFLICT; an unknown id BZ_ERR_NOTFOUND. Read functions
 * return new Jansson values the caller owns. Money is int64 won. */
#ifndef BIZSOS_PROGRAM_H
#define BIZSOS_PROGRAM_H

#include "bizsos/quarter.h"
#include "bizsos/store.h"
#include "bizsos/user.h"
#include <jansson.h>

/* The id of the SOS program (code 'sos', seeded by the migration). */
#define PROGRAM_SOS_ID 1

/* ---- vocabularies: code -> Korean label (static), NULL if unknown ---- */
/* vocab: "nature" (continuing 계속, new 신규), "term" (within 임기내, beyond 임기후),
 * "funding" (budget 예산, none 비예산), "status" (done_ended 완료-종료 ...),
 * "source" (national 국비, province 도비, city 시비, other 기타),
 * "task_status" (planned 계획, ongoing 추진중, done 완료, continuing 완료(지속추진)),
 * "sa_kind" (went_well 잘된 점, improvement 개선계획). */
const char *program_label(const char *vocab, const char *code);
/* The codes of a vocabulary in display order, NULL-terminated (static). */
const char *const *program_codes(const char *vocab);

/* Quarters and target periods: bizsos/quarter.h. */

/* ---- the program header ---- */

/* The program with id: {id, code, name, nature, nature_label, term, ..., status,
 * status_label, completed_year, central_help, owner, department, final_goal,
 * overview, overview_items [{text, subs[]}], evidence, first_quarter,
 * last_quarter, version, contacts [{id, title, name, phone}], impl {num, den,
 * tenths, text, formula}}. BZ_ERR_NOTFOUND if none. */
bz_rc program_get(struct db *db, int64_t id, json_t **out);
/* Every program not retired: [{id, code, name, status_label}]. */
bz_rc program_list(struct db *db, json_t **out);

/* Fields of the header a leader edits; NULL leaves a field unchanged. */
struct program_input {
	const char *name, *nature, *term, *funding, *status, *completed_year, *central_help, *owner,
	    *department, *final_goal, *overview, *evidence, *first_quarter, *last_quarter;
};
/* Creates a program (code: lowercase letters, digits, _ -). *id_out gets its id. */
bz_rc program_create(struct db *db, const struct user *actor, const char *code,
                     const struct program_input *in, json_t *fields, int64_t *id_out);
/* Updates the given fields, checking version (BZ_ERR_CONFLICT if stale); one
 * event per changed field. */
bz_rc program_update(struct db *db, const struct user *actor, int64_t id, int64_t version,
                     const struct program_input *in, json_t *fields);
/* Adds (contact_id 0), edits, or retires (retire) a responsible person. */
bz_rc program_contact_save(struct db *db, const struct user *actor, int64_t program_id,
                           int64_t contact_id, const char *title, const char *name,
                           const char *phone, bool retire, json_t *fields);
/* The program's history, newest first: [{at, at_kst, actor, object, kind, field, old, new, note}].
 */
bz_rc program_events(struct db *db, int64_t program_id, const char *object, int64_t object_id,
                     int limit, json_t **out);

/* ---- targets ---- */

/* Number of cases completed (status done, closed_on in [first, last], not merged). */
bz_rc cases_done_between(struct db *db, const char *first, const char *last, int64_t *out);
/* Targets with their actuals: [{id, indicator, metric, period, period_label, first,
 * last, value, unit, actual, actual_text, achievement {tenths, text}, cases_href}]. */
bz_rc target_list(struct db *db, int64_t program_id, json_t **out);
/* Sets the target of (indicator, period) to value (adds it if new). value_text as typed. */
bz_rc target_save(struct db *db, const struct user *actor, int64_t program_id,
                  const char *indicator, const char *period, const char *value_text,
                  json_t *fields);
/* Retires a target. */
bz_rc target_retire(struct db *db, const struct user *actor, int64_t target_id);

/* ---- budget ---- */

/* Budget lines with executed sums and rates: [{id, year, source, source_label,
 * planned, secured, executed, *_text (백만원), *_won (원), secure_rate, exec_rate
 * {tenths, text}, remaining, version}], ordered by year then source. */
bz_rc budget_lines(struct db *db, int64_t program_id, json_t **out);
/* Adds or updates the line of (year, source); amounts as typed in won. */
bz_rc budget_line_save(struct db *db, const struct user *actor, int64_t program_id,
                       const char *year, const char *source, const char *planned,
                       const char *secured, json_t *fields);
/* An execution entry as typed. over_reason is required (with the leader role)
 * when the entry takes the line's executed amount above its secured amount. */
struct execution_input {
	int64_t line_id;
	const char *executed_on, *amount, *memo, *grant_id, *over_reason;
	bool confirm_over;   /* the leader ticked "확보액 초과 집행을 확인합니다" */
	int64_t corrects_id; /* set by budget_execution_correct only */
};
/* Records an execution entry. Executing more than secured without the leader's
 * confirmation and reason is BZ_ERR_CONFLICT with fields.amount (and
 * fields.over_reason) explaining it; nothing is written then. *id_out may be NULL. */
bz_rc budget_execute(struct db *db, const struct user *actor, int64_t program_id,
                     const struct execution_input *in, json_t *fields, int64_t *id_out);
/* Retires an execution entry (with a reason), recorded. */
bz_rc budget_execution_retire(struct db *db, const struct user *actor, int64_t program_id,
                              int64_t execution_id, const char *reason, json_t *fields);
/* Execution entries, newest first, optionally of one year (0: all), at most
 * limit of them (0: 100; negative: every one):
 * [{id, line_id, year, source_label, executed_on, amount, amount_text, memo, grant_id,
 * over_reason}]. */
bz_rc budget_executions(struct db *db, int64_t program_id, int year, int limit, json_t **out);
/* Corrects an execution entry: retires it (reason required, recorded) and
 * records `in` as the new entry that names it, in one transaction. Field
 * errors as budget_execute's plus fields.reason; nothing is written then. */
bz_rc budget_execution_correct(struct db *db, const struct user *actor, int64_t program_id,
                               int64_t execution_id, const char *reason,
                               const struct execution_input *in, json_t *fields, int64_t *id_out);
/* The filters of the execution list; 0 / NULL: any. */
struct execution_filter {
	int year;
	const char *source; /* a code of the "source" vocabulary */
	int64_t line_id, grant_id;
	bool with_retired; /* also cancelled entries (shown as such) */
};
/* One page (1-based) of the execution entries matching f, newest first:
 * {rows: [as budget_executions' plus retired, retire_reason, corrects_id,
 * corrected_by], count, pages, page, total (active entries only, won) and
 * total_text}. The total equals the card's executed figure for the same
 * year and source. */
bz_rc budget_execution_page(struct db *db, int64_t program_id, const struct execution_filter *f,
                            int page, int per_page, json_t **out);

/* ---- roadmap, self-assessment, next plans ---- */

/* [{id, title, first_quarter, last_quarter, beyond_term, status, status_label}] */
bz_rc roadmap_tasks(struct db *db, int64_t program_id, json_t **out);
/* Adds (task_id 0) or edits a task; retire retires it. */
bz_rc roadmap_task_save(struct db *db, const struct user *actor, int64_t program_id,
                        int64_t task_id, const char *title, const char *first_quarter,
                        const char *last_quarter, bool beyond_term, const char *status, bool retire,
                        json_t *fields);
/* The years that have items, newest first, and the items of year:
 * {years [..], year, went_well [{id, body, subs [{id, body}]}], improvement [...]} */
bz_rc self_assessment(struct db *db, int64_t program_id, int year, json_t **out);
/* Adds (item_id 0, with kind and optional parent), edits the body, or retires. */
bz_rc self_assessment_save(struct db *db, const struct user *actor, int64_t program_id,
                           int64_t item_id, int year, const char *kind, int64_t parent_id,
                           const char *body, bool retire, json_t *fields);
/* [{id, period_label, starts_on, ends_on, plan}] ordered by start. */
bz_rc next_plans(struct db *db, int64_t program_id, json_t **out);
bz_rc next_plan_save(struct db *db, const struct user *actor, int64_t program_id, int64_t plan_id,
                     const char *period_label, const char *starts_on, const char *ends_on,
                     const char *plan, bool retire, json_t *fields);

/* ---- published cards and sign-offs ---- */

/* Stores model (not stolen) as the frozen card of year/quarter. BZ_ERR_CONFLICT
 * if that quarter was already published. */
bz_rc card_snapshot_publish(struct db *db, const struct user *actor, int64_t program_id, int year,
                            int quarter, json_t *model, int64_t *id_out);
/* [{id, year, quarter, label, published_at, published_kst, published_by}] newest first. */
bz_rc card_snapshots(struct db *db, int64_t program_id, json_t **out);
/* The stored model of a snapshot, plus its metadata in *meta (both owned). */
bz_rc card_snapshot_get(struct db *db, int64_t id, json_t **model, json_t **meta);

/* Records the sign-off of a quarter with its progress figures as they stand
 * (progress_figures), only after the quarter's last day (`today` later than it;
 * otherwise BZ_ERR_INVALID with fields.quarter); BZ_ERR_CONFLICT if a sign-off
 * is in force. */
bz_rc quarter_signoff(struct db *db, const struct user *actor, int64_t program_id, int year,
                      int quarter, const char *note, const char *today, json_t *fields);
/* The sign-off in force {id, signed_at, signed_kst, by, note, figures (JSON or
 * null)}, or *out NULL if none. */
bz_rc quarter_signoff_get(struct db *db, int64_t program_id, int year, int quarter, json_t **out);
/* Withdraws the sign-off in force, with a reason (BZ_ERR_INVALID, fields.reason,
 * when blank); the sign-off stays recorded, with its withdrawal and an event.
 * BZ_ERR_NOTFOUND when none is in force. */
bz_rc quarter_signoff_withdraw(struct db *db, const struct user *actor, int64_t program_id,
                               int year, int quarter, const char *reason, json_t *fields);
/* The withdrawn sign-offs of a quarter [{signed_kst, withdrawn_kst, by, reason}]. */
bz_rc quarter_signoff_withdrawals(struct db *db, int64_t program_id, int year, int quarter,
                                  json_t **out);

#endif
