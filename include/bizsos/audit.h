/* The audit trail: every domain's history (account and admin actions from
 * audit_log; company, case, activity, grant and program events) as one
 * searchable list in Korean. */
#ifndef BIZSOS_AUDIT_H
#define BIZSOS_AUDIT_H

#include "bizsos/store.h"
#include <jansson.h>

/* Filters; each may be NULL or "". from/to: KST dates YYYY-MM-DD (inclusive);
 * user: login or name (substring); object: the readable object label
 * (substring, e.g. a company name, a case number, a login); source: one of
 * audit_sources() values. after_at (NULL: from the newest), after_source and
 * after_id: the key (at, source, id) of the last row already shown — the page
 * starts right after it, and offset is then ignored. */
struct audit_filter {
	const char *from, *to, *user, *object, *source;
	const char *after_at, *after_source;
	int64_t after_id;
};

/* Newest first, ties by newest id then source: [{id, at, at_kst, source,
 * source_label, actor, action_label, object, detail}] — labels and details in
 * Korean, never raw codes (id is the row's id within its source). *total
 * (NULL: not counted) counts the whole filter, whatever the key. Caller owns
 * *out. */
bz_rc audit_search(struct db *db, const struct audit_filter *f, int limit, int offset, json_t **out,
                   int64_t *total);

/* The sources as choices [{value, label, selected}] with "" (전체) first. */
json_t *audit_sources(const char *selected);

/* The Korean label of an audit_log action ("user.add" → "사용자 추가"); a
 * generic Korean label for an unknown one, never the code. */
const char *audit_action_label(const char *action);

#endif
