/* Private to the program_*.c files of src/domain: what they share. */
#ifndef BIZSOS_PROGRAM_INTERNAL_H
#define BIZSOS_PROGRAM_INTERNAL_H

#include "bizsos/buf.h"
#include "bizsos/money.h"
#include "bizsos/program.h"
#include "bizsos/sos_case.h"
#include "bizsos/validate.h"
#include "bizsos/kst.h"
#include "bizsos/workday.h"

/* "2024-Q3" exactly. */
bool prog_quarter_text_ok(const char *s);

/* Appends one program_event row (actor NULL or id 0: the command line; object_id
 * 0: none). */
bz_rc prog_event(struct db *db, int64_t program_id, const char *at, const struct user *actor,
                 const char *object, int64_t object_id, const char *kind, const char *field,
                 const char *old, const char *new_value, const char *note);
/* Whether the program exists (not retired); *version gets its version. */
bool prog_exists(struct db *db, int64_t id, int64_t *version);
/* Bumps the program's version and updated_at; BZ_ERR_NOTFOUND for no program. */
bz_rc prog_touch(struct db *db, int64_t id, const char *now);
/* Bumps the version when it still is `version`. */
bz_rc prog_touch_version(struct db *db, int64_t id, int64_t version, const char *now);
/* A missing prepared statement is a database error. */
bz_rc prog_prepare(struct db *db, const char *sql, sqlite3_stmt **st);
/* Steps get_sql bound (row_id, program_id) onto its row: BZ_OK leaves the row
 * on *st for the caller to read and reset; no such row of that program is
 * BZ_ERR_NOTFOUND. */
bz_rc prog_row(struct db *db, const char *get_sql, int64_t row_id, int64_t program_id,
               sqlite3_stmt **st);
/* Prepares sql (retired_at = ?1 on row ?2) bound to now and row_id. */
bz_rc prog_retire_stmt(struct db *db, const char *sql, const char *now, int64_t row_id,
                       sqlite3_stmt **st);

/* {ok, text, tenths|null} of a rate. */
json_t *prog_rate_json(struct rate r);
/* Sets o[key] = won, o[key_text] = 백만원 text, o[key_won] = 원 text; returns o. */
json_t *prog_won_json(json_t *o, const char *key, int64_t won);

/* ---- the one save of a program's own rows -----------------------------------
 * Contacts, roadmap tasks, self-assessment items and next plans are rows that
 * belong to one program. Each kind is one table of SQL and callbacks; the save
 * adds (row_id <= 0), edits or retires one row in its own transaction and
 * records one program_event (old -> new, as the kind describes the row). The
 * caller has checked the input fields before. */
struct prog_child {
	const char *object; /* program_event.object */
	const char *field;  /* program_event.field, unless the save names one */
	const char *what;   /* for the log */
	/* get: ?1 row id, ?2 program id; retire: ?1 now, ?2 row id */
	const char *get_sql, *insert_sql, *update_sql, *retire_sql;
	bool skip_unchanged; /* an edit that changes nothing writes nothing */
	bool touch;          /* the save bumps the program's version */
	/* The event text of the stored row on st (a row of get_sql), appended to
	 * out: a growing buffer, so a long Korean title is never cut. */
	void (*describe_row)(sqlite3_stmt *st, struct buf *out);
	/* The event text of the new values in, appended to out. */
	void (*describe_new)(const void *in, struct buf *out);
	/* Binds insert_sql (insert) or update_sql from in. */
	void (*bind)(sqlite3_stmt *st, bool insert, int64_t program_id, int64_t row_id,
	             const void *in, const char *now);
	/* Optional: a check against the stored rows before the write; BZ_ERR_INVALID
	 * with a message in fields refuses the save. */
	bz_rc (*check)(struct db *db, int64_t program_id, int64_t row_id, const void *in,
	               json_t *fields);
};

/* Saves one row of kind k with the values in (ignored when retiring); field
 * overrides k->field for the event when not NULL. BZ_ERR_NOTFOUND for an
 * unknown program or row of it (retiring needs a row). */
bz_rc prog_child_save(struct db *db, const struct user *actor, const struct prog_child *k,
                      int64_t program_id, int64_t row_id, bool retire, const char *field,
                      const void *in, json_t *fields);

#endif
