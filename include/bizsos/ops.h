/* Operations: the record of backups the daemon took, and the health summary
 * /healthz?deep=1 and the admin page show. */
#ifndef BIZSOS_OPS_H
#define BIZSOS_OPS_H

#include "bizsos/backup.h"
#include "bizsos/store.h"
#include <jansson.h>

/* Records one backup attempt (ok or not, with message when not). */
bz_rc ops_backup_record(struct db *db, const char *started_at, const char *path, bool ok,
                        const struct backup_stats *st, const char *message);

/* The last good backup {finished_at, finished_kst, path, db_bytes, files,
 * file_bytes, age_seconds} into *out, or *out = NULL when there is none. */
bz_rc ops_backup_last_good(struct db *db, json_t **out);

/* The newest backup attempts, newest first: [{finished_kst, path, ok,
 * size_text, files, message}]. */
bz_rc ops_backup_recent(struct db *db, int limit, json_t **out);

/* The deep health check: {ok, database: "ok"|message, schema, schema_latest,
 * backup: {...last good...} or null, backup_ok, access_log_rows}. ok is false
 * when the database does not answer or, with interval > 0, the last good
 * backup is older than twice the interval (or missing after one interval of
 * uptime: started is the daemon's start time). */
bz_rc ops_health(struct db *db, int interval, time_t started, json_t **out);

#endif
