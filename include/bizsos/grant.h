/* Improvement grants (소규모 기업환경 개선사업): one company's improvement, its
 * total cost and the shares 도비 / 시비 / 자부담, the status machine
 * 신청 → 선정 → 완료 (or 취소) and the append-only history. Knows nothing of
 * HTTP. Korean messages for fields travel in a `fields` object (field name →
 * message), as web_invalid wants them. */
#ifndef BIZSOS_GRANT_H
#define BIZSOS_GRANT_H

#include "bizsos/money.h"
#include "bizsos/user.h"
#include <jansson.h>

#define GRANT_TITLE_CHARS  200
#define GRANT_REASON_CHARS 1000
#define GRANT_MEMO_CHARS   4000
#define GRANT_PAGE_SIZE    20

/* The form as typed (every pointer may be NULL or ""). Leaving all three shares
 * blank takes the default 40/40/20 split of the total. */
struct grant_input {
	const char *company_id;
	const char *year;
	const char *title;
	const char *total;
	const char *province;
	const char *city;
	const char *company_share;
	const char *split_reason;
	const char *applied_on; /* YYYY-MM-DD; blank: today */
	const char *memo;
};

/* Parses and checks the money part of a form: total (money_parse_won) and the
 * shares (all blank: the default split; otherwise all three, adding up to the
 * total, and a reason unless the split is the default). Field errors go to
 * fields under "total", "province", "city", "company_share", "shares" (they do
 * not add up) and "split_reason"; BZ_ERR_INVALID then. *out gets the split
 * (the default split of a valid total even when the shares are wrong, so the
 * form can show it). */
bz_rc grant_split_from_form(const struct grant_input *in, struct grant_split *out, bool *is_default,
                            json_t *fields);

/* Creates a grant (status applied). BZ_ERR_INVALID with fields; BZ_ERR_FORBIDDEN
 * for roles that only read; BZ_ERR_DB on failure. A grant_event row "created". */
bz_rc grant_create(struct db *db, const struct user *actor, const struct grant_input *in,
                   json_t *fields, int64_t *id_out);

/* {grant: {id, company_id, company, company_brn_text, year, title, total,
 * total_text, province(_text), city(_text), company_share(_text), split_reason,
 * is_default, status, status_label, applied_on, selected_on, done_on,
 * cancelled_on, memo, version, created_at_text}, events: [{at_text, actor,
 * kind, kind_label, field, old, new, old_label, new_label, note}], next:
 * [{value, label}] (the statuses it may move to)}. BZ_ERR_NOTFOUND. */
bz_rc grant_get(struct db *db, int64_t id, json_t **out);

struct grant_filter {
	int year;           /* 0: any */
	const char *status; /* code or NULL */
	int64_t company_id; /* 0: any */
	int page;           /* from 1 */
	bool all;           /* every row on one page (the list's downloads) */
	/* Keyset paging: rows after [year, id] of the last row shown (NULL: from
	 * page), limit rows a page (0: GRANT_PAGE_SIZE); next_key when more follow. */
	const json_t *after;
	int limit;
};
/* {grants: [{id, company, year, title, total_text, province_text, city_text,
 * company_share_text, status, status_label}], total, page_no, pages, sums: {total,
 * province, city, company_share (as *_text)}, sites (selected or done), next_key?}. */
bz_rc grant_list(struct db *db, const struct grant_filter *f, json_t **out);

/* Moves the grant to status `to` on date `on` (blank: today) with an optional
 * note; version is the one the page was loaded with. applied → selected |
 * cancelled; selected → done | cancelled. BZ_ERR_INVALID (fields.to / .on),
 * BZ_ERR_CONFLICT (stale version or a move not allowed now; msg says which),
 * BZ_ERR_NOTFOUND, BZ_ERR_FORBIDDEN. A grant_event row. */
bz_rc grant_set_status(struct db *db, const struct user *actor, int64_t id, int64_t version,
                       const char *to, const char *on, const char *note, json_t *fields, char *msg,
                       size_t msglen);

/* True if the status machine allows from → to. */
bool grant_transition_ok(const char *from, const char *to);
/* "신청", "선정", "완료", "취소"; NULL for an unknown code. */
const char *grant_status_label(const char *status);
/* [{value, label}] of every status. */
json_t *grant_statuses_json(void);

#endif
