/* Notices in the app, each user's choice per kind (in the app only, also a
 * mail each time, or a daily digest), and the messages they cause in the
 * outbox. Everything here writes inside the caller's transaction: a change
 * that rolls back leaves no notice and no outbox row.
 *
 * Other modules tell people things through notify_case_event (called once,
 * from case_event_add, for every case history row) or notify_user (any other
 * reason, e.g. a new online request for the team leader). */
#ifndef BIZSOS_NOTIFY_H
#define BIZSOS_NOTIFY_H

#include "bizsos/store.h"
#include <jansson.h>

/* The kinds of notice; each user chooses a mode per kind. */
#define NOTIFY_KIND_COUNT 6
extern const char *const notify_kinds[NOTIFY_KIND_COUNT]; /* "assigned", "referral", ... */
/* The Korean label of a kind ("배정"), or NULL if unknown. */
const char *notify_kind_label(const char *kind);

#define NOTIFY_TITLE_CHARS 300
#define NOTIFY_BODY_CHARS  2000

/* Process-wide setting, set once before any thread starts: how many webhook
 * URLs are configured (each event is recorded once per URL, targets
 * "1".."n"; none when 0). Links in messages are link facts (bizsos/link.h):
 * the delivery worker makes them absolute URLs with the configured base_url
 * when it sends them. */
void notify_configure(int webhooks);

/* The hook of the case module: called inside the transaction for each case
 * history row (kind, field, old -> new as case_event_add got them). Writes the
 * notices and outbox rows this change owes (a case assigned, a referral to a
 * department, a referral answered, a case reopened, transferred or merged)
 * and one webhook event. Never notifies the actor about their own act. */
bz_rc notify_case_event(struct db *db, int64_t case_id, int64_t actor_id, const char *kind,
                        const char *field, const char *old, const char *new_);

/* One notice to one user (enabled users only; others are skipped with BZ_OK),
 * plus a mail to the outbox when the user chose mail for the kind and has an
 * address. link: NULL for the page of case case_id (stored as the fact, the
 * address composed where the notice is shown or sent), or an explicit local
 * path ("/x"); one of the two is needed. dedupe (may be NULL): a notice
 * with the same text already written is not written again (*written false). */
bz_rc notify_user(struct db *db, int64_t user_id, const char *kind, int64_t case_id,
                  const char *title, const char *body, const char *link, const char *dedupe,
                  bool *written);

/* One webhook event per configured URL (none when there is none): {id,
 * event, at, case: {id, case_no, title, company, due_on, link}, data}; id is
 * the message's key. data (may be NULL) is stolen. */
bz_rc notify_webhook(struct db *db, const char *event, int64_t case_id, json_t *data);

/* ---- the user's side ---- */

/* Unread notices of the user. */
bz_rc notify_unread_count(struct db *db, int64_t user_id, int64_t *out);
/* The user's notices, newest (highest id) first, one page: rows [{id, kind,
 * kind_label, title, body, link, created_at, read (bool)}], *total all of
 * them. before_id > 0: the id of the last notice already shown — the page
 * starts right after it (offset ignored). */
bz_rc notify_list(struct db *db, int64_t user_id, bool unread_only, int limit, int offset,
                  int64_t before_id, json_t **rows, int64_t *total);
/* Marks notice id of the user read and copies where it goes into link: its
 * stored local path, else the text form of its case's link fact
 * (bizsos/link.h; web_links_message resolves it). BZ_ERR_NOTFOUND if it is
 * not the user's. */
bz_rc notify_open(struct db *db, int64_t user_id, int64_t id, char *link, size_t linklen);
/* Marks every notice of the user read; *count how many changed. */
bz_rc notify_read_all(struct db *db, int64_t user_id, int64_t *count);

/* The user's choices: {email, kinds: [{kind, label, mode}]}. */
bz_rc notify_prefs(struct db *db, int64_t user_id, json_t **out);
/* Saves the mail address ("" clears it) and a mode per kind (modes[i] for
 * notify_kinds[i]: "app", "email", "digest"; NULL keeps it). BZ_ERR_INVALID
 * with Korean messages in fields (email, mode_<kind>); mail modes need an
 * address. */
bz_rc notify_prefs_save(struct db *db, int64_t user_id, const char *email,
                        const char *const modes[NOTIFY_KIND_COUNT], json_t *fields);

/* ---- the daily run (src/jobs/worker.c calls it) ---- */

/* The deadline notices of day `today` (YYYY-MM-DD, KST): a case due in two
 * working days (to its owner), and an overdue one (to its owner, and to the
 * department for its open referrals past their own date); once per case and
 * deadline. Then the daily digest mails. Runs only on a working day and only
 * once a day (job_run "daily"): *ran says whether it ran. One transaction. */
bz_rc notify_daily_run(struct db *db, const char *today, bool *ran);

/* A plausible mail address: local@domain.tld, ASCII, no spaces, ≤ 254. */
bool notify_email_valid(const char *s);

#endif
