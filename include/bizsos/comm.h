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
#define COMM_PAGE_SIZE     30

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

/* Entries of year (0: every year) and kind ("" or NULL: every kind;
 * "roundtable": only the computed line), newest first: {entries: [{id, kind,
 * kind_label, held_on, title, outlet, url, summary}], counts: [{kind, label,
 * count}] (all six kinds, 간담회 등 from round-table activities of the year),
 * total, roundtable: {count, href}}. */
bz_rc comm_list(struct db *db, int year, const char *kind, json_t **out);

#endif
