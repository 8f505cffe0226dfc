/* The maintenance thread of the daemon (beside the jobs worker of jobs.h):
 * scheduled backups (kept N) and the daily purge of access-log rows past the
 * retention period. */
#ifndef BIZSOS_MAINTENANCE_H
#define BIZSOS_MAINTENANCE_H

#include "bizsos/config.h"
#include "bizsos/store.h"

struct maintenance;

/* Starts the maintenance thread with its own database connection. With
 * cfg->backup_interval 0 it takes no backups (the purge still runs daily).
 * The first backup is taken 60 seconds after start (or after the interval,
 * when shorter) unless a good one is younger than the interval. NULL on
 * failure (logged). */
struct maintenance *maintenance_start(const struct config *cfg);
/* Wakes the thread, waits for it (a backup in progress finishes) and frees it. */
void maintenance_stop(struct maintenance *m);

/* Takes one backup now into cfg's backup folder, records it in backup_run and
 * prunes to backup_keep. For the thread and for tests. */
bz_rc maintenance_backup_now(const struct config *cfg, struct db *db);

#endif
