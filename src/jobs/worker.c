/* The background worker thread (see include/bizsos/jobs.h). One loop: deliver
 * what is due in the outbox, check company statuses, run the daily jobs when
 * their time has come, then sleep outbox_poll_ms (woken at once to stop). */
#include "bizsos/bizstatus.h"
#include "bizsos/jobs.h"
#include "bizsos/notify.h"
#include "bizsos/outbox.h"
#include "bizsos/store.h"
#include "jobs_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct jobs {
	struct config cfg;
	jobs_links_fn links;
	struct jobs_thread t;
	char daily_done[16]; /* KST day whose daily run is settled (ran, or not a working day) */
	char nts_done[16];   /* KST day whose nightly status batch is queued */
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* db_time() is the clock every stored instant comes from */
	return (int64_t)db_time() * 1000 + ts.tv_nsec / 1000000;
}

/* Today in Korea and the time of day there, "YYYY-MM-DD" and "HH:MM". */
static void kst_now(char day[16], char hhmm[16])
{
	time_t t = db_time() + 9 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(day, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
	         tm.tm_mday % 100);
	snprintf(hhmm, 16, "%02d:%02d", tm.tm_hour % 100, tm.tm_min % 100);
}

#define BATCH 20

static void deliver_due(struct jobs *j, struct db *db)
{
	bool mail = jobs_mail_on(&j->cfg), hook = jobs_webhook_on(&j->cfg) || jobs_sms_on(&j->cfg);
	if (!mail && !hook)
		return;
	struct outbox_msg msgs[BATCH];
	size_t n = 0;
	if (outbox_due(db, now_ms(), mail, hook, msgs, BATCH, &n) != BZ_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		struct outbox_msg *m = &msgs[i];
		char err[512] = "";
		/* the message's link facts become URLs under base_url now */
		bool email = strcmp(m->channel, "email") == 0;
		char *resolved = NULL;
		bz_rc rc = j->links(m->body, !email, j->cfg.base_url, &resolved);
		if (resolved) {
			free(m->body);
			m->body = resolved;
		}
		if (rc != BZ_OK) {
			bz_strlcpy(err, "cannot resolve the message's links", sizeof(err));
		} else if (email) {
			struct buf msg;
			buf_init(&msg, 0);
			mail_compose(&msg, j->cfg.smtp_from, m->target, m->subject, m->body, m->key,
			             (int64_t)db_time());
			rc = msg.failed
			         ? BZ_ERR_NOMEM
			         : mail_send(&j->cfg, m->target, buf_cstr(&msg), err, sizeof(err));
			buf_free(&msg);
		} else {
			rc = webhook_send(&j->cfg, m->target, m->key, m->kind, m->body, err,
			                  sizeof(err));
		}
		if (rc == BZ_OK) {
			outbox_mark_sent(db, m->id);
		} else {
			int64_t next =
			    now_ms() + outbox_backoff_ms(j->cfg.outbox_retry_ms, m->tries + 1);
			outbox_mark_retry(db, m->id, err[0] ? err : bz_strerror(rc),
			                  j->cfg.outbox_max_tries, next);
			LOG_WARN("outbox %lld (%s) try %d failed: %s", (long long)m->id, m->channel,
			         m->tries + 1, err);
		}
		outbox_msg_free(m);
		if (jobs_thread_stopping(&j->t)) {
			for (size_t k = i + 1; k < n; k++)
				outbox_msg_free(&msgs[k]);
			return;
		}
	}
}

/* The daily jobs, once their time of day has come; each is settled once a
 * day in this process (the job_run table makes it once a day across
 * restarts too). */
static void daily(struct jobs *j, struct db *db)
{
	char day[16], hhmm[16];
	kst_now(day, hhmm);
	if (strcmp(hhmm, j->cfg.daily_at) >= 0 && strcmp(day, j->daily_done) != 0) {
		bool ran = false;
		bz_rc rc = notify_daily_run(db, day, &ran);
		if (rc != BZ_OK)
			LOG_ERROR("daily notices of %s failed: %s", day, bz_strerror(rc));
		else {
			bz_strlcpy(j->daily_done, day, sizeof(j->daily_done));
			if (ran)
				LOG_INFO("daily notices of %s written", day);
		}
	}
	if (jobs_nts_on(&j->cfg) && strcmp(hhmm, j->cfg.nts_at) >= 0 &&
	    strcmp(day, j->nts_done) != 0) {
		bool ran = false;
		if (bizstatus_mark_all(db, day, &ran) == BZ_OK) {
			bz_strlcpy(j->nts_done, day, sizeof(j->nts_done));
			if (ran)
				LOG_INFO("nightly company status check of %s queued", day);
		}
	}
}

static void *run(void *arg)
{
	struct jobs *j = arg;
	struct db *db = NULL;
	char err[256];
	if (db_open(j->cfg.db, false, &db, err, sizeof(err)) != BZ_OK) {
		LOG_ERROR("worker: cannot open the database: %s", err);
		return NULL;
	}
	LOG_INFO("worker started: mail %s, webhook %s, status service %s",
	         jobs_mail_on(&j->cfg) ? "on" : "off (recorded, not sent)",
	         jobs_webhook_on(&j->cfg) ? "on" : "off", jobs_nts_on(&j->cfg) ? "on" : "off");
	for (;;) {
		if (jobs_thread_stopping(&j->t))
			break;
		deliver_due(j, db);
		if (jobs_nts_on(&j->cfg))
			nts_check_pending(db, &j->cfg, now_ms());
		daily(j, db);
		db_end_request(db);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		int64_t ns = until.tv_nsec + (int64_t)(j->cfg.outbox_poll_ms % 1000) * 1000000;
		until.tv_sec += j->cfg.outbox_poll_ms / 1000 + ns / 1000000000;
		until.tv_nsec = ns % 1000000000;
		pthread_mutex_lock(&j->t.mu);
		while (!j->t.stop) {
			if (pthread_cond_timedwait(&j->t.cv, &j->t.mu, &until) == ETIMEDOUT)
				break;
		}
		pthread_mutex_unlock(&j->t.mu);
	}
	db_close(db);
	LOG_INFO("worker stopped");
	return NULL;
}

bz_rc jobs_start(const struct config *cfg, jobs_links_fn links, struct jobs **out, char *err,
                 size_t errlen)
{
	*out = NULL;
	if (jobs_webhook_on(cfg) && cfg->webhook_secret[0] == '\0') {
		snprintf(err, errlen, "webhook_url needs webhook_secret (the bodies are signed)");
		return BZ_ERR_INVALID;
	}
	if (jobs_sms_on(cfg) && cfg->sms_secret[0] == '\0') {
		snprintf(err, errlen, "sms_url needs sms_secret (the bodies are signed)");
		return BZ_ERR_INVALID;
	}
	if (jobs_mail_on(cfg) && strchr(cfg->smtp_from, '@') == NULL) {
		snprintf(err, errlen, "smtp_host needs smtp_from, the sender's address");
		return BZ_ERR_INVALID;
	}
	struct jobs *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return BZ_ERR_NOMEM;
	j->cfg = *cfg;
	j->links = links;
	/* the address users open, without a trailing slash: links are base + path */
	for (size_t n = strlen(j->cfg.base_url); n > 0 && j->cfg.base_url[n - 1] == '/';)
		j->cfg.base_url[--n] = '\0';
	if (!jobs_thread_start(&j->t, run, j)) {
		free(j);
		snprintf(err, errlen, "cannot start the worker thread");
		return BZ_ERR_NOMEM;
	}
	*out = j;
	return BZ_OK;
}

void jobs_stop(struct jobs *j)
{
	if (j == NULL)
		return;
	jobs_thread_stop(&j->t);
	free(j);
}
