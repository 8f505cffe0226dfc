/* Background work of the daemon: scheduled backups (kept N) and the daily
 * purge of access-log rows past the retention period. */
#ifndef BIZSOS_JOBS_H
#define BIZSOS_JOBS_H

#include "bizsos/config.h"
#include "bizsos/store.h"

struct jobs;

/* Starts the maintenance thread with its own database connection. With
 * cfg->backup_interval 0 it takes no backups (the purge still runs daily).
 * The first backup is taken 60 seconds after start (or after the interval,
 * when shorter) unless a good one is younger than the interval. NULL on
 * failure (logged). */
struct jobs *jobs_start(const struct config *cfg);
/* Wakes the thread, waits for it (a backup in progress finishes) and frees it. */
void jobs_stop(struct jobs *j);

/* Takes one backup now into cfg's backup folder, records it in backup_run and
 * prunes to backup_keep. For the thread and for tests. */
bz_rc jobs_backup_now(const struct config *cfg, struct db *db);

#endif
