/* The one writer of history rows: every record that keeps a history (case,
 * company, activity, grant) has a <name>_event table of the same shape. */
#include "bizsos/store.h"

static const struct {
	const char *sql;
	const char *what;
} logs[] = {
    [EVENT_CASE] = {"INSERT INTO case_event (case_id, at, actor_id, kind, field, old, new, note) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    "case event"},
    [EVENT_COMPANY] = {"INSERT INTO company_event (company_id, at, actor_id, kind, field, old, "
                       "new) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                       "company event"},
    [EVENT_ACTIVITY] = {"INSERT INTO activity_event (activity_id, at, actor_id, kind, field, old, "
                        "new) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "activity event"},
    [EVENT_GRANT] = {"INSERT INTO grant_event (grant_id, at, actor_id, kind, field, old, new, "
                     "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                     "grant event"},
};

bz_rc db_event_add(struct db *db, enum event_log log, int64_t owner_id, const char *at,
                   int64_t actor_id, const char *kind, const char *field, const char *old,
                   const char *new_, const char *note)
{
	sqlite3_stmt *st = db_stmt(db, logs[log].sql);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	if (at == NULL) {
		db_now_utc(now);
		at = now;
	}
	db_bind_int(st, 1, owner_id);
	db_bind_text(st, 2, at);
	if (actor_id > 0)
		db_bind_int(st, 3, actor_id);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, field);
	db_bind_text(st, 6, old);
	db_bind_text(st, 7, new_);
	if (log == EVENT_CASE || log == EVENT_GRANT)
		db_bind_text(st, 8, note);
	return db_step_done(db, st, logs[log].what);
}
