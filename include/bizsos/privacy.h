/* 개인정보 접속기록: the access log of people's data (company contacts,
 * requesters of online requests, list downloads) — append-only, hash-chained,
 * searched by admins, reviewed monthly; and the list of users' rights changes. */
#ifndef BIZSOS_PRIVACY_H
#define BIZSOS_PRIVACY_H

#include "bizsos/store.h"
#include <jansson.h>

enum privacy_action {
	PRIVACY_VIEW,     /* 조회 */
	PRIVACY_ENTER,    /* 입력 */
	PRIVACY_CHANGE,   /* 변경 */
	PRIVACY_DELETE,   /* 삭제 */
	PRIVACY_PRINT,    /* 출력 */
	PRIVACY_DOWNLOAD, /* 다운로드: needs a reason */
};

/* One access to a person's data. Strings are borrowed for the call. */
struct privacy_entry {
	int64_t user_id;    /* the signed-in account (required) */
	const char *remote; /* client address (rq->remote), may be NULL */
	enum privacy_action action;
	const char *subject_kind; /* "company" (its contacts), "request", "list", … (required) */
	int64_t subject_id;       /* the record, 0 for none (a list) */
	const char *subject; /* whose data, readable: "㈜한빛정밀 담당자" (required, ≤200) */
	int64_t company_id; /* the company concerned, 0 for none */
	const char *what;   /* which data: "contacts:3", "requester", "xlsx:120" (required) */
	const char *reason; /* why: required (2..500 characters) for a download */
};

/* Appends one row to the access log, chained to the previous one, inside its
 * own (nested) transaction — so call it inside the caller's transaction when
 * the access and its record must stand or fall together. BZ_ERR_INVALID for a
 * download without a reason (see privacy_reason_check) or a missing subject;
 * BZ_ERR_NOTFOUND for no such user. Usage:
 *   privacy_log(db, &(struct privacy_entry){.user_id = rq->user.id,
 *       .remote = rq->remote, .action = PRIVACY_DOWNLOAD, .subject_kind = "list",
 *       .subject = "기업 목록", .what = "xlsx:120", .reason = reason}); */
bz_rc privacy_log(struct db *db, const struct privacy_entry *e);

/* The client address of the request this thread is serving (set by the
 * dispatcher after sign-in, cleared after the request): privacy_log uses it
 * when an entry's remote is NULL, so domain functions that change personal
 * data record where the change came from without carrying the request. */
void privacy_set_request_remote(const char *remote);

/* NULL if reason is acceptable for a download (2..500 characters once blanks
 * are trimmed), else the Korean message to show next to the field. */
const char *privacy_reason_check(const char *reason);

/* The action's code ("view"…) and Korean label ("조회"…). */
const char *privacy_action_code(enum privacy_action a);
const char *privacy_action_label_ko(const char *code);

/* The result of privacy_verify. broken_id is 0 when the chain is whole. */
struct privacy_verify_result {
	int64_t rows;       /* rows checked */
	int64_t head_id;    /* last row's id (or the purge head when empty) */
	char head_hash[65]; /* last row's hash */
	int64_t broken_id;  /* first row that does not verify, 0 if none */
	char problem[256];  /* what is wrong with it, in English */
};

/* Walks the whole chain in id order: each row's hash must be bz_chain of its
 * own columns and its prev_hash the previous row's hash (the first row's: the
 * last purge's head or 64 zeros), and every anchored head (reviews) must still
 * be in the chain. BZ_OK whether or not it is broken (see r->broken_id);
 * BZ_ERR_DB if it cannot be read. */
bz_rc privacy_verify(struct db *db, struct privacy_verify_result *r);

/* Removes rows older than `years` (never fewer than 2: smaller values are
 * raised to 2) in one transaction, leaving a purge anchor at the last removed
 * row so that verify still holds. *removed gets the count. */
bz_rc privacy_purge(struct db *db, int years, int64_t *removed);

/* A search of the log, newest first. Every field may be NULL or "": from/to
 * are KST dates YYYY-MM-DD (inclusive); user matches login or name; subject
 * matches the subject label (substring); action is a code. before_id (0:
 * from the newest): the id of the last row already shown — the page starts
 * right after it, and offset is then ignored. */
struct privacy_filter {
	const char *from, *to, *user, *subject, *action;
	int64_t before_id;
};
/* rows: [{id, at, at_kst, login, user_name, action, action_label, subject_kind,
 * subject_id, subject, company_id, what, reason, remote}], newest (highest id)
 * first; *total (NULL: not counted) counts the whole filter. Caller owns *out. */
bz_rc privacy_search(struct db *db, const struct privacy_filter *f, int limit, int offset,
                     json_t **out, int64_t *total);

/* The monthly review report for month "YYYY-MM" (KST):
 * {month, rows, subjects, users, top_viewers: [{login, name, subjects, rows}],
 *  downloads: [{at_kst, login, name, subject, what, reason}],
 *  out_of_hours: [{at_kst, login, name, action_label, subject}], out_of_hours_count,
 *  unusual: [{login, name, day, rows, average_text}],
 *  review: {reviewed_at_kst, reviewer, note} or absent}.
 * Out of hours: weekends, holidays (holiday table) and outside 08:00–20:00
 * KST. Unusual: a user's day with at least 20 rows and more than three times
 * that user's average day in the month. BZ_ERR_INVALID for a bad month. */
bz_rc privacy_month_report(struct db *db, const char *month, json_t **out);

/* Marks month reviewed by reviewer_id with an optional note (≤2000): records a
 * review anchor at the chain's current head and the review row, and an
 * audit_log row. BZ_ERR_INVALID for a bad month or a month not yet begun;
 * BZ_ERR_CONFLICT when that month was already reviewed. */
bz_rc privacy_review_mark(struct db *db, int64_t reviewer_id, const char *month, const char *note);

/* Reviews done, newest month first: [{month, reviewed_at_kst, reviewer, note}]. */
bz_rc privacy_reviews(struct db *db, json_t **out);

/* Changes to users' rights (granted, role changed, disabled, enabled) from the
 * audit log, newest first, at most `limit`: [{at, at_kst, actor, action,
 * action_label, user, detail_text}]. The audit log is append-only, so these
 * are kept for good (the rule asks for three years). */
bz_rc privacy_rights_changes(struct db *db, int limit, json_t **out);

#endif
