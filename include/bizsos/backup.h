/* Backups: the database through SQLite's online backup API (safe while the
 * daemon serves), the uploaded files as a folder copy beside it, restore with
 * integrity checks, and the lock that says a database is being served. */
#ifndef BIZSOS_BACKUP_H
#define BIZSOS_BACKUP_H

#include "bizsos/common.h"
#include <stdint.h>

struct backup_stats {
	int64_t db_bytes; /* size of the copied database file */
	int64_t files;    /* uploaded files copied */
	int64_t file_bytes;
};

/* Copies the database at db_path into `to` (written to a temporary name,
 * checked with PRAGMA integrity_check, fsynced, then renamed into place, so a
 * failed backup never leaves a half file under that name) and, when data_dir
 * exists, its files except tmp/ into "<to>.files/" (replaced). Readers and
 * writers of db_path carry on meanwhile. err gets an English message. */
bz_rc backup_create(const char *db_path, const char *data_dir, const char *to,
                    struct backup_stats *stats, char *err, size_t errlen);

/* Restores `from` (and "<from>.files/" when present) to db_path and data_dir.
 * Refuses (BZ_ERR_CONFLICT) when db_path is being served (backup_lock held by
 * a daemon) and (BZ_ERR_INVALID) when `from` fails PRAGMA integrity_check or is
 * from a newer bizsos; the target is replaced only after these checks, through
 * SQLite's backup API (so a stale -wal beside it cannot corrupt it), and
 * checked again afterwards. */
bz_rc backup_restore(const char *from, const char *db_path, const char *data_dir,
                     struct backup_stats *stats, char *err, size_t errlen);

/* "ok" or SQLite's first complaint about the database at path. BZ_OK only
 * when it is ok. */
bz_rc backup_integrity(const char *path, char *msg, size_t msglen);

/* Takes the serving lock of db_path ("<db_path>.lock", flock, held for the
 * process's life through the returned descriptor). BZ_ERR_CONFLICT when
 * another process holds it. */
bz_rc backup_lock(const char *db_path, int *fd, char *err, size_t errlen);

/* Keeps the newest `keep` backups named "bizsos-*.db" in dir (and their
 * .files folders), removing older ones. */
bz_rc backup_prune(const char *dir, int keep);

#endif
