/* Satisfaction surveys (만족도 조사): one-time links (a random token, only its
 * SHA-256 stored, 30 days to answer, no sign-in) asking a company to rate the
 * handling 1-5 on 신속성, 친절도 and 해결 만족도, with a comment; sent after a
 * case is completed, or to every company served in a period (a round, which
 * counts once as a 시민소통 만족도 조사 on the card). Knows nothing of HTTP. */
#ifndef BIZSOS_SURVEY_H
#define BIZSOS_SURVEY_H

#include "bizsos/user.h"
#include <jansson.h>

#define SURVEY_TOKEN_SIZE    44 /* 43 base64url characters (256 bits) + NUL */
#define SURVEY_DAYS          30
#define SURVEY_COMMENT_CHARS 2000

/* Invites the company of case id (completed: status done) to rate it; the
 * link goes to email (or, if NULL or "", the email of its online request),
 * queued in public_mail with base_url + "/survey/" + token. token: the new
 * token (SURVEY_TOKEN_SIZE), shown once. BZ_ERR_CONFLICT (msg) when the case
 * is not completed or already has an invitation that is open or answered;
 * BZ_ERR_INVALID (fields.email) for a malformed address; BZ_ERR_FORBIDDEN
 * unless staff or leader; BZ_ERR_NOTFOUND. */
bz_rc survey_invite_case(struct db *db, const struct user *actor, int64_t case_id,
                         const char *email, char *token, bool *mailed, json_t *fields, char *msg,
                         size_t msglen);

/* The survey behind a token as the public page shows it: {state: open |
 * answered | expired, company, about (the case title or the round's title),
 * expires_on, answered_on}. BZ_ERR_NOTFOUND for a token that never was. */
bz_rc survey_get(struct db *db, const char *token, json_t **out);

/* Records the answer (each of speed, kindness, resolution "1".."5"; comment
 * optional). BZ_ERR_INVALID with fields; BZ_ERR_CONFLICT if already
 * answered; BZ_ERR_LOCKED if expired; BZ_ERR_NOTFOUND for an unknown token. */
bz_rc survey_answer(struct db *db, const char *token, const char *speed, const char *kindness,
                    const char *resolution, const char *comment, json_t *fields);

/* Opens a round for [first, last] (YYYY-MM-DD): one invitation per company
 * served in the period (a case completed, or a visit or meeting, in it), mail
 * queued where an email is known, and one 시민소통 entry (kind survey, held
 * today) for the card. Leaders only. *out: {round_id, title, invited,
 * mailed, links: [{company, email, url}]} (the links are shown once).
 * BZ_ERR_INVALID with fields (period_first, period_last, title);
 * BZ_ERR_CONFLICT if a round for the same period exists or nobody was served. */
bz_rc survey_round_open(struct db *db, const struct user *actor, const char *first,
                        const char *last, const char *title, json_t *fields, json_t **out,
                        char *msg, size_t msglen);

/* The rounds, newest first: [{id, title, period_first, period_last, invited,
 * answered, rate_text, created_at, created_text}]. */
bz_rc survey_rounds(struct db *db, json_t **out);

/* Averages and response rates per quarter of the invitations sent in
 * [first, last] (KST dates): {quarters: [{label, sent, answered, rate_text,
 * speed_text, kindness_text, resolution_text}], total: {...}, any}. Averages
 * are tenths computed in integers (4.3), "–" when nobody answered. */
bz_rc survey_stats(struct db *db, const char *first, const char *last, json_t **out);

/* The invitations and answers of case id for its page: [{created_text,
 * state_label, answered, speed, kindness, resolution, comment, email}]. */
bz_rc survey_for_case(struct db *db, int64_t case_id, json_t **out);

/* "4.3" from a sum and a count (rounded half up in tenths); "–" for count 0. */
void survey_avg_text(int64_t sum, int64_t count, char *out, size_t outlen);

#endif
