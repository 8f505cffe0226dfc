/* Citizen communication (시민소통): survey rounds, expert advice, press and
 * broadcast coverage, SNS posts and other participation, one row each; and
 * 간담회 등, counted from round-table activities (never stored here). Knows
 * nothing of HTTP. */
#ifndef BIZSOS_COMM_H
#define BIZSOS_COMM_H

#include "bizsos/user.h"
#include <jansson.h>

#define COMM_TITLE_CHARS   200
#define COMM_OUTLET_CHARS  100
#define COMM_URL_BYTES     1000
#define COMM_SUMMARY_CHARS 4000
#define COMM_PAGE_SIZE     100

/* Korean label of a kind ("survey" → "만족도 조사"; "roundtable" → "간담회 등");
 * NULL if unknown. */
const char *comm_kind_label(const char *kind);
/* The stored kinds: [{value, label}]. */
json_t *comm_kinds_json(void);

struct comm_input {
	const char *kind;
	const char *held_on; /* YYYY-MM-DD, not in the future */
	const char *title;
	const char *outlet; /* press: required */
	const char *url;    /* http(s)://..., optional */
	const char *summary;
};

/* Adds an entry. BZ_ERR_INVALID with fields (kind, held_on, title, outlet, url,
 * summary); BZ_ERR_FORBIDDEN for roles that only read. */
bz_rc comm_create(struct db *db, const struct user *actor, const struct comm_input *in,
                  json_t *fields, int64_t *id_out);

struct comm_filter {
	int year;         /* 0: every year */
	const char *kind; /* "" or NULL: every kind; "roundtable": only the computed line */
	/* Keyset paging: entries after [held_on, id] of the last one shown (NULL:
	 * from the newest); limit entries (0: COMM_PAGE_SIZE; -1: all, for the
	 * downloads). next_key in the answer when more follow. */
	const json_t *after;
	int limit;
};

/* Entries of the filter, newest first: {entries: [{id, kind, kind_label,
 * held_on, title, outlet, url, summary}], counts: [{kind, label, count}] (all
 * six kinds, 간담회 등 from round-table activities of the year), total,
 * roundtable: {count, href}, next_key?}. */
bz_rc comm_list(struct db *db, const struct comm_filter *f, json_t **out);

#endif
