/* The maintenance thread: scheduled backups (kept N), the daily purge of
 * access-log rows past the retention period, and each minute the search
 * entries of cases written by other programs (sql/150). See maintenance.h. */
#include "bizsos/maintenance.h"
#include "bizsos/backup.h"
#include "bizsos/ops.h"
#include "bizsos/privacy.h"
#include "jobs_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct maintenance {
	struct config cfg;
	struct jobs_thread t;
};

static void backup_dir_of(const struct config *cfg, char *out, size_t outlen)
{
	if (cfg->backup_dir[0])
		bz_strlcpy(out, cfg->backup_dir, outlen);
	else
		snprintf(out, outlen, "%.4000s.backups", cfg->db);
}

bz_rc maintenance_backup_now(const struct config *cfg, struct db *db)
{
	char dir[4200], path[4400], started[24], stamp[32], err[512] = "";
	backup_dir_of(cfg, dir, sizeof(dir));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, sizeof(err), "cannot create %.300s: %s", dir, strerror(errno));
		LOG_ERROR("backup: %s", err);
		db_now_utc(started);
		ops_backup_record(db, started, dir, false, NULL, err);
		return BZ_ERR_IO;
	}
	db_now_utc(started);
	time_t t = db_time();
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(path, sizeof(path), "%s/bizsos-%s.db", dir, stamp);
	char data_dir[4200];
	if (cfg->data_dir[0])
		bz_strlcpy(data_dir, cfg->data_dir, sizeof(data_dir));
	else
		snprintf(data_dir, sizeof(data_dir), "%.4000s.files", cfg->db);
	struct backup_stats st;
	bz_rc rc = backup_create(cfg->db, data_dir, path, &st, err, sizeof(err));
	if (rc == BZ_OK)
		LOG_INFO("backup %s: %lld bytes, %lld files, integrity ok", path,
		         (long long)st.db_bytes, (long long)st.files);
	else
		LOG_ERROR("backup %s failed: %s", path, err);
	/* prune first, so that once the run is recorded the folder holds what it says */
	if (rc == BZ_OK)
		backup_prune(dir, cfg->backup_keep);
	bz_rc rr = ops_backup_record(db, started, path, rc == BZ_OK, &st, err);
	return rc != BZ_OK ? rc : rr;
}

/* Seconds until the next backup is due. */
static long next_backup_in(const struct config *cfg, struct db *db, bool first)
{
	json_t *last = NULL;
	long wait = first ? (cfg->backup_interval < 60 ? cfg->backup_interval : 60) : 0;
	if (ops_backup_last_good(db, &last) == BZ_OK && last) {
		json_int_t age = json_integer_value(json_object_get(last, "age_seconds"));
		if (age >= 0 && age < cfg->backup_interval)
			wait = (long)(cfg->backup_interval - age);
		json_decref(last);
	}
	return wait;
}

static void *run(void *arg)
{
	struct maintenance *j = arg;
	struct db *db = NULL;
	char err[512];
	if (db_open(j->cfg.db, false, &db, err, sizeof(err)) != BZ_OK) {
		LOG_ERROR("maintenance: %s", err);
		return NULL;
	}
	time_t next_purge = db_time() + 300;
	time_t next_catch_up = 0; /* the search entries of outside writes (sql/150) */
	time_t next_backup = 0;
	if (j->cfg.backup_interval > 0)
		next_backup = db_time() + next_backup_in(&j->cfg, db, true);
	pthread_mutex_lock(&j->t.mu);
	while (!j->t.stop) {
		time_t now = time(NULL);
		if (next_backup && now >= next_backup) {
			pthread_mutex_unlock(&j->t.mu);
			if (maintenance_backup_now(&j->cfg, db) == BZ_OK)
				next_backup = time(NULL) + j->cfg.backup_interval;
			else /* try again soon, not at once */
				next_backup =
				    time(NULL) +
				    (j->cfg.backup_interval < 600 ? j->cfg.backup_interval : 600);
			db_end_request(db);
			pthread_mutex_lock(&j->t.mu);
			continue;
		}
		if (now >= next_catch_up) {
			pthread_mutex_unlock(&j->t.mu);
			if (db_search_catch_up(db) != BZ_OK)
				LOG_WARN("maintenance: the search entries could not be caught up");
			db_end_request(db);
			next_catch_up = time(NULL) + 60;
			pthread_mutex_lock(&j->t.mu);
			continue;
		}
		if (now >= next_purge) {
			pthread_mutex_unlock(&j->t.mu);
			int64_t removed = 0;
			if (privacy_purge(db, j->cfg.privacy_retention_years, &removed) == BZ_OK &&
			    removed > 0)
				LOG_INFO("access log: %lld rows older than %d years removed (chain "
				         "anchored)",
				         (long long)removed, j->cfg.privacy_retention_years);
			/* the planner's statistics, for tables whose size changed a lot */
			if (db_exec(db, "PRAGMA optimize") != BZ_OK)
				LOG_WARN("maintenance: PRAGMA optimize failed");
			db_end_request(db);
			next_purge = time(NULL) + 24 * 3600;
			pthread_mutex_lock(&j->t.mu);
			continue;
		}
		time_t until = next_purge < next_catch_up ? next_purge : next_catch_up;
		if (next_backup && next_backup < until)
			until = next_backup;
		struct timespec ts = {.tv_sec = until, .tv_nsec = 0};
		pthread_cond_timedwait(&j->t.cv, &j->t.mu, &ts);
	}
	pthread_mutex_unlock(&j->t.mu);
	db_close(db);
	return NULL;
}

struct maintenance *maintenance_start(const struct config *cfg)
{
	struct maintenance *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->cfg = *cfg;
	if (!jobs_thread_start(&j->t, run, j)) {
		LOG_ERROR("maintenance: cannot start its thread");
		free(j);
		return NULL;
	}
	return j;
}

void maintenance_stop(struct maintenance *j)
{
	if (j == NULL)
		return;
	jobs_thread_stop(&j->t);
	free(j);
}
