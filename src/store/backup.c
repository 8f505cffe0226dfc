/* Backups and restores: SQLite's online backup API for the database, a folder
 * copy for the uploaded files, integrity checks, the serving lock. See backup.h. */
#include "bizsos/backup.h"
#include "bizsos/store_raw.h"
#include "db_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_CAP 4096

static bool join(char *out, const char *a, const char *b)
{
	int n = snprintf(out, PATH_CAP, "%s/%s", a, b);
	return n > 0 && n < PATH_CAP;
}

static bool suffixed(char *out, const char *a, const char *suffix)
{
	int n = snprintf(out, PATH_CAP, "%s%s", a, suffix);
	return n > 0 && n < PATH_CAP;
}

/* ---- files ------------------------------------------------------------------ */

static bz_rc copy_file(const char *from, const char *to, mode_t mode, int64_t *bytes)
{
	int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return BZ_ERR_IO;
	int out =
	    open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0600 ? mode & 0777 : 0600);
	if (out < 0) {
		close(in);
		return BZ_ERR_IO;
	}
	char buf[65536];
	bz_rc rc = BZ_OK;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = BZ_ERR_IO;
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				rc = BZ_ERR_IO;
				break;
			}
			off += w;
		}
		if (rc != BZ_OK)
			break;
		*bytes += n;
	}
	if (rc == BZ_OK && fsync(out) != 0)
		rc = BZ_ERR_IO;
	close(in);
	if (close(out) != 0)
		rc = BZ_ERR_IO;
	return rc;
}

/* Copies the regular files and folders under from into to (created, 0700);
 * symbolic links and other kinds are skipped; at the top, skip_top (if not
 * NULL) is left out. */
static bz_rc copy_tree(const char *from, const char *to, const char *skip_top,
                       struct backup_stats *st, char *err, size_t errlen)
{
	if (mkdir(to, 0700) != 0 && errno != EEXIST) {
		db_set_err(err, errlen, "cannot create %s: %s", to, strerror(errno));
		return BZ_ERR_IO;
	}
	DIR *d = opendir(from);
	if (d == NULL) {
		db_set_err(err, errlen, "cannot read %s: %s", from, strerror(errno));
		return BZ_ERR_IO;
	}
	bz_rc rc = BZ_OK;
	struct dirent *e;
	char a[PATH_CAP], b[PATH_CAP];
	while (rc == BZ_OK && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (skip_top && strcmp(e->d_name, skip_top) == 0)
			continue;
		if (!join(a, from, e->d_name) || !join(b, to, e->d_name)) {
			db_set_err(err, errlen, "path too long under %s", from);
			rc = BZ_ERR_TOOLARGE;
			break;
		}
		struct stat sb;
		if (lstat(a, &sb) != 0)
			continue; /* gone meanwhile */
		if (S_ISDIR(sb.st_mode))
			rc = copy_tree(a, b, NULL, st, err, errlen);
		else if (S_ISREG(sb.st_mode)) {
			if ((rc = copy_file(a, b, sb.st_mode, &st->file_bytes)) != BZ_OK)
				db_set_err(err, errlen, "cannot copy %s to %s: %s", a, b,
				           strerror(errno));
			else
				st->files++;
		}
	}
	closedir(d);
	return rc;
}

/* Removes path and everything under it (not following symbolic links). */
static void remove_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			char p[PATH_CAP];
			while ((e = readdir(d)) != NULL) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				if (join(p, path, e->d_name))
					remove_tree(p);
			}
			closedir(d);
		}
		rmdir(path);
	} else
		unlink(path);
}

static bool is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void fsync_parent(const char *path)
{
	char dir[PATH_CAP];
	if (!bz_strlcpy(dir, path, sizeof(dir)))
		return;
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		bz_strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* ---- database ----------------------------------------------------------------- */

bz_rc backup_integrity(const char *path, char *msg, size_t msglen)
{
	sqlite3 *h = NULL;
	bz_rc rc = BZ_ERR_INVALID;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		db_set_err(msg, msglen, "cannot open %s: %s", path,
		           h ? sqlite3_errmsg(h) : "no memory");
		sqlite3_close(h);
		return BZ_ERR_IO;
	}
	sqlite3_busy_timeout(h, 5000);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK) {
		db_set_err(msg, msglen, "%s is not a bizsos database: %s", path, sqlite3_errmsg(h));
	} else if (sqlite3_step(st) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		db_set_err(msg, msglen, "%s", r ? r : "?");
		if (r && strcmp(r, "ok") == 0)
			rc = BZ_OK;
	} else
		db_set_err(msg, msglen, "%s: %s", path, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return rc;
}

static int user_version(sqlite3 *h)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Copies the whole of src (main) into dst (main) in one step: one read
 * snapshot of src, so the copy is consistent; in WAL mode writers go on. */
static bz_rc copy_db(sqlite3 *src, sqlite3 *dst, char *err, size_t errlen)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		db_set_err(err, errlen, "backup: %s", sqlite3_errmsg(dst));
		return BZ_ERR_DB;
	}
	int r;
	int tries = 0;
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || r == SQLITE_LOCKED) {
		if (++tries > 200)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		db_set_err(err, errlen, "backup: %s (%d)", sqlite3_errstr(r), r);
		return BZ_ERR_DB;
	}
	return BZ_OK;
}

bz_rc backup_create(const char *db_path, const char *data_dir, const char *to,
                    struct backup_stats *stats, char *err, size_t errlen)
{
	struct backup_stats local = {0};
	struct backup_stats *st = stats ? stats : &local;
	memset(st, 0, sizeof(*st));
	char tmp[PATH_CAP], files[PATH_CAP], files_tmp[PATH_CAP], sfx[48];
	snprintf(sfx, sizeof(sfx), ".tmp-%ld", (long)getpid());
	if (!suffixed(tmp, to, sfx) || !suffixed(files, to, ".files") ||
	    !suffixed(files_tmp, files, sfx)) {
		db_set_err(err, errlen, "path too long: %s", to);
		return BZ_ERR_TOOLARGE;
	}
	struct db *src = NULL;
	if (db_open(db_path, false, &src, err, errlen) != BZ_OK)
		return BZ_ERR_IO;
	sqlite3 *dst = NULL;
	bz_rc rc = BZ_ERR_IO;
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		db_set_err(err, errlen, "cannot create %s: %s", tmp,
		           dst ? sqlite3_errmsg(dst) : "no memory");
		goto out;
	}
	if ((rc = copy_db(db_handle(src), dst, err, errlen)) != BZ_OK)
		goto out;
	/* A backup is one self-contained file: no -wal beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		db_set_err(err, errlen, "backup: %s", sqlite3_errmsg(dst));
		rc = BZ_ERR_DB;
		goto out;
	}
	sqlite3_close(dst);
	dst = NULL;
	db_close(src);
	src = NULL;
	char msg[256];
	if (backup_integrity(tmp, msg, sizeof(msg)) != BZ_OK) {
		db_set_err(err, errlen, "the copy failed its integrity check: %s", msg);
		rc = BZ_ERR_DB;
		goto out;
	}
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fsync(fd) != 0 || fstat(fd, &sb) != 0) {
		db_set_err(err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		rc = BZ_ERR_IO;
		goto out;
	}
	close(fd);
	chmod(tmp, 0600);
	st->db_bytes = (int64_t)sb.st_size;

	/* Files after the database: every file the copied records name was
	 * written before its record was committed, so it is there. */
	if (data_dir && *data_dir && is_dir(data_dir)) {
		remove_tree(files_tmp);
		if ((rc = copy_tree(data_dir, files_tmp, "tmp", st, err, errlen)) != BZ_OK) {
			remove_tree(files_tmp);
			goto out;
		}
		remove_tree(files);
		if (rename(files_tmp, files) != 0) {
			db_set_err(err, errlen, "cannot rename %s: %s", files_tmp, strerror(errno));
			remove_tree(files_tmp);
			rc = BZ_ERR_IO;
			goto out;
		}
	}
	if (rename(tmp, to) != 0) {
		db_set_err(err, errlen, "cannot rename %s to %s: %s", tmp, to, strerror(errno));
		rc = BZ_ERR_IO;
		goto out;
	}
	fsync_parent(to);
	rc = BZ_OK;
out:
	if (dst)
		sqlite3_close(dst);
	db_close(src);
	if (rc != BZ_OK)
		unlink(tmp);
	return rc;
}

bz_rc backup_lock(const char *db_path, int *fd, char *err, size_t errlen)
{
	char path[PATH_CAP];
	*fd = -1;
	if (!suffixed(path, db_path, ".lock")) {
		db_set_err(err, errlen, "path too long: %s", db_path);
		return BZ_ERR_TOOLARGE;
	}
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0) {
		db_set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		bz_rc rc = errno == EWOULDBLOCK ? BZ_ERR_CONFLICT : BZ_ERR_IO;
		char pid[32] = "";
		ssize_t n = pread(f, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		db_set_err(err, errlen, "%s is in use by a running bizsos%s%s%s", db_path,
		           pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
		close(f);
		return rc;
	}
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(f, 0) == 0 && pwrite(f, pid, (size_t)n, 0) < 0)
		LOG_WARN("cannot write the pid into %s", path);
	*fd = f;
	return BZ_OK;
}

bz_rc backup_restore(const char *from, const char *db_path, const char *data_dir,
                     struct backup_stats *stats, char *err, size_t errlen)
{
	struct backup_stats local = {0};
	struct backup_stats *st = stats ? stats : &local;
	memset(st, 0, sizeof(*st));
	char msg[256];
	struct stat sb;
	if (stat(from, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		db_set_err(err, errlen, "%s: no such backup file", from);
		return BZ_ERR_NOTFOUND;
	}
	bz_rc rc = backup_integrity(from, msg, sizeof(msg));
	if (rc != BZ_OK) {
		db_set_err(err, errlen, "%s failed its integrity check, nothing restored: %s", from,
		           msg);
		return BZ_ERR_INVALID;
	}
	int lock = -1;
	if ((rc = backup_lock(db_path, &lock, err, errlen)) != BZ_OK) {
		if (rc == BZ_ERR_CONFLICT)
			db_set_err(
			    err, errlen,
			    "%s is in use by a running bizsos: stop it first (systemctl stop "
			    "bizsos), nothing restored",
			    db_path);
		return rc;
	}
	sqlite3 *src = NULL;
	struct db *dst = NULL;
	char files[PATH_CAP], old_files[PATH_CAP], sfx[48];
	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		db_set_err(err, errlen, "cannot open %s", from);
		rc = BZ_ERR_IO;
		goto out;
	}
	int v = user_version(src);
	if (v < 0 || v > db_schema_latest()) {
		db_set_err(err, errlen, "%s has schema version %d; this bizsos knows up to %d",
		           from, v, db_schema_latest());
		rc = BZ_ERR_INVALID;
		goto out;
	}
	/* The database it replaces is kept aside, not deleted. */
	snprintf(sfx, sizeof(sfx), ".before-restore-%lld", (long long)db_time());
	if (stat(db_path, &sb) == 0) {
		char aside[PATH_CAP];
		if (!suffixed(aside, db_path, sfx)) {
			rc = BZ_ERR_TOOLARGE;
			goto out;
		}
		if ((rc = backup_create(db_path, NULL, aside, NULL, err, errlen)) != BZ_OK)
			goto out;
	}
	if ((rc = db_open(db_path, true, &dst, err, errlen)) != BZ_OK)
		goto out;
	if ((rc = copy_db(src, db_handle(dst), err, errlen)) != BZ_OK)
		goto out;
	/* The copy keeps the backup's journal mode; the daemon wants WAL. */
	if (db_exec(dst, "PRAGMA journal_mode=WAL") != BZ_OK) {
		db_set_err(err, errlen, "cannot set WAL mode on %s", db_path);
		rc = BZ_ERR_DB;
		goto out;
	}
	db_close(dst);
	dst = NULL;
	if (backup_integrity(db_path, msg, sizeof(msg)) != BZ_OK) {
		db_set_err(err, errlen, "the restored %s failed its integrity check: %s", db_path,
		           msg);
		rc = BZ_ERR_DB;
		goto out;
	}
	stat(db_path, &sb);
	st->db_bytes = (int64_t)sb.st_size;

	if (!suffixed(files, from, ".files")) {
		rc = BZ_ERR_TOOLARGE;
		goto out;
	}
	if (data_dir && *data_dir && is_dir(files)) {
		/* The folder it replaces is kept aside, not deleted. */
		if (is_dir(data_dir)) {
			if (!suffixed(old_files, data_dir, sfx) ||
			    rename(data_dir, old_files) != 0) {
				db_set_err(err, errlen, "cannot move %s aside: %s", data_dir,
				           strerror(errno));
				rc = BZ_ERR_IO;
				goto out;
			}
		}
		if ((rc = copy_tree(files, data_dir, NULL, st, err, errlen)) != BZ_OK)
			goto out;
	}
	rc = BZ_OK;
out:
	db_close(dst);
	sqlite3_close(src);
	if (lock >= 0)
		close(lock);
	return rc;
}

/* ---- keeping N ---------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bz_rc backup_prune(const char *dir, int keep)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return BZ_ERR_IO;
	char *names[4096];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < BZ_ARRAY_LEN(names)) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "bizsos-", 7) == 0 && len > 3 &&
		    strcmp(e->d_name + len - 3, ".db") == 0)
			if ((names[n] = strdup(e->d_name)) != NULL)
				n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names); /* names carry a sortable UTC time */
	char p[PATH_CAP], f[PATH_CAP];
	for (size_t i = 0; i < n; i++) {
		if (keep >= 0 && i + (size_t)keep < n && join(p, dir, names[i]) &&
		    suffixed(f, p, ".files")) {
			unlink(p);
			remove_tree(f);
		}
		free(names[i]);
	}
	return BZ_OK;
}
