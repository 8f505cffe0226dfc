/* The daily run of notices (see notify_daily_run in include/bizsos/notify.h):
 * deadline notices to owners and departments, then the digest mails. */
#include "notify_internal.h"
#include "bizsos/buf.h"
#include "bizsos/link.h"
#include "bizsos/outbox.h"
#include "bizsos/refdata.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_DEPT_USERS_BY_ID[] =
    "SELECT u.id FROM app_user u WHERE u.department_id = ?1 AND u.role = 'department' "
    "AND u.disabled_at IS NULL ORDER BY u.id";
static const char SQL_JOB_CLAIM[] =
    "INSERT INTO job_run (job, day, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
static const char SQL_DUE_ON[] =
    "SELECT s.id, coalesce(s.assignee_id, s.created_by, 0), "
    "coalesce(s.extended_due_on, s.due_on) FROM sos_case s "
    "WHERE s.status IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL "
    "AND coalesce(s.extended_due_on, s.due_on) = ?1 ORDER BY s.id";
static const char SQL_OVERDUE[] =
    "SELECT s.id, coalesce(s.assignee_id, s.created_by, 0), "
    "coalesce(s.extended_due_on, s.due_on) FROM sos_case s "
    "WHERE s.status IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL "
    "AND coalesce(s.extended_due_on, s.due_on) < ?1 ORDER BY s.id";
static const char SQL_REFERRAL_OVERDUE[] =
    "SELECT r.id, r.case_id, r.department_id, r.due_on, d.name FROM case_referral r "
    "JOIN sos_case s ON s.id = r.case_id JOIN department d ON d.id = r.department_id "
    "WHERE r.status = 'open' AND r.due_on < ?1 "
    "AND s.status IN ('received', 'reviewing', 'in_progress') AND s.merged_into IS NULL "
    "ORDER BY r.id";
static const char SQL_DIGEST_USERS[] =
    "SELECT DISTINCT p.user_id, u.email FROM notify_pref p JOIN app_user u ON u.id = p.user_id "
    "WHERE p.mode = 'digest' AND u.email IS NOT NULL AND u.disabled_at IS NULL ORDER BY 1";
static const char SQL_DIGEST_ITEMS[] =
    "SELECT n.id, n.title, n.link, coalesce(n.case_id, 0) FROM notification n JOIN notify_pref p "
    "ON p.user_id = n.user_id AND p.kind = n.kind AND p.mode = 'digest' "
    "WHERE n.user_id = ?1 AND n.digested_at IS NULL ORDER BY n.id LIMIT 200";
static const char SQL_DIGESTED[] = "UPDATE notification SET digested_at = ?2 WHERE id = ?1";

/* Rows of (a, b, text) collected before writing, so no statement is stepped
 * while another write uses the connection. */
struct row3 {
	int64_t a, b;
	char due[DATE_TEXT_SIZE];
	char name[404];
	int64_t c;
};

static bz_rc rows_collect(struct db *db, const char *sql, const char *arg, struct row3 **out,
                          size_t *n, bool referral)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, arg);
	size_t cap = 0;
	int rc;
	bz_rc out_rc = BZ_OK;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct row3 *p = realloc(*out, nc * sizeof(*p));
			if (p == NULL) {
				out_rc = BZ_ERR_NOMEM;
				break;
			}
			*out = p;
			cap = nc;
		}
		struct row3 *r = &(*out)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->a = sqlite3_column_int64(st, 0);
		r->b = sqlite3_column_int64(st, 1);
		if (referral) {
			r->c = sqlite3_column_int64(st, 2);
			notify_col_copy(st, 3, r->due, sizeof(r->due));
			notify_col_copy(st, 4, r->name, sizeof(r->name));
		} else {
			notify_col_copy(st, 2, r->due, sizeof(r->due));
		}
	}
	if (out_rc == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		out_rc = db_rc(db, rc, "daily rows");
	sqlite3_reset(st);
	if (out_rc != BZ_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return out_rc;
}

static bz_rc deadline_notices(struct db *db, const char *today, const char *soon)
{
	struct row3 *rows;
	size_t n;
	bz_rc rc;
	char title[1400], body[1024], dedupe[96];
	/* due in two working days, then overdue: the owner */
	const struct {
		const char *sql, *day, *kind, *says;
	} owed[] = {
	    {SQL_DUE_ON, soon, "due_soon", "처리 기한이 2일(근무일) 남았습니다"},
	    {SQL_OVERDUE, today, "overdue", "처리 기한이 지났습니다"},
	};
	for (size_t o = 0; o < BZ_ARRAY_LEN(owed); o++) {
		if ((rc = rows_collect(db, owed[o].sql, owed[o].day, &rows, &n, false)) != BZ_OK)
			return rc;
		for (size_t i = 0; i < n && rc == BZ_OK; i++) {
			struct case_info c;
			if (rows[i].b == 0 || !notify_case_info(db, rows[i].a, &c))
				continue;
			snprintf(title, sizeof(title), "%s: %s", owed[o].says, c.title);
			snprintf(body, sizeof(body), "%s · %s · 처리 기한 %s", c.case_no, c.company,
			         c.due);
			snprintf(dedupe, sizeof(dedupe), "%s:%lld:%s:%lld", owed[o].kind,
			         (long long)c.id, c.due, (long long)rows[i].b);
			rc = notify_user(db, rows[i].b, owed[o].kind, c.id, title, body, NULL,
			                 dedupe, NULL);
		}
		free(rows);
		if (rc != BZ_OK)
			return rc;
	}
	/* overdue referrals: every user of the department */
	if ((rc = rows_collect(db, SQL_REFERRAL_OVERDUE, today, &rows, &n, true)) != BZ_OK)
		return rc;
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		struct case_info c;
		if (!notify_case_info(db, rows[i].b, &c))
			continue;
		int64_t ids[NOTIFY_DEPT_USERS_MAX];
		size_t k;
		if (!notify_ids_collect(db, SQL_DEPT_USERS_BY_ID, NULL, rows[i].c, ids,
		                        NOTIFY_DEPT_USERS_MAX, &k)) {
			rc = BZ_ERR_DB;
			break;
		}
		snprintf(title, sizeof(title), "%s 회신 기한이 지났습니다: %s", rows[i].name,
		         c.title);
		snprintf(body, sizeof(body), "%s · %s · 회신 기한 %s", c.case_no, c.company,
		         rows[i].due);
		for (size_t j = 0; j < k && rc == BZ_OK; j++) {
			snprintf(dedupe, sizeof(dedupe), "overdue:r%lld:%s:%lld",
			         (long long)rows[i].a, rows[i].due, (long long)ids[j]);
			rc = notify_user(db, ids[j], "overdue", c.id, title, body, NULL, dedupe,
			                 NULL);
		}
	}
	free(rows);
	return rc;
}

static bz_rc digests(struct db *db, const char *today)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DIGEST_USERS);
	if (st == NULL)
		return BZ_ERR_DB;
	struct {
		int64_t id;
		char email[256];
	} users[256];
	size_t nu = 0;
	while (nu < BZ_ARRAY_LEN(users) && db_step(st) == SQLITE_ROW) {
		users[nu].id = sqlite3_column_int64(st, 0);
		notify_col_copy(st, 1, users[nu].email, sizeof(users[nu].email));
		nu++;
	}
	sqlite3_reset(st);
	char now[24];
	db_now_utc(now);
	bz_rc rc = BZ_OK;
	for (size_t u = 0; u < nu && rc == BZ_OK; u++) {
		if ((st = db_stmt(db, SQL_DIGEST_ITEMS)) == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, users[u].id);
		struct buf m;
		buf_init(&m, 256 * 1024);
		int64_t ids[200];
		size_t n = 0;
		buf_printf(&m, "%s 기업SOS 알림 모음입니다.\n\n", today);
		while (n < BZ_ARRAY_LEN(ids) && db_step(st) == SQLITE_ROW) {
			ids[n++] = sqlite3_column_int64(st, 0);
			char go[LINK_TEXT_SIZE];
			notify_link_text(go, (const char *)sqlite3_column_text(st, 2),
			                 sqlite3_column_int64(st, 3));
			buf_printf(&m, "- %s\n  %s\n", (const char *)sqlite3_column_text(st, 1),
			           go);
		}
		sqlite3_reset(st);
		char all[LINK_TEXT_SIZE];
		link_text(all, "notifications", 0);
		buf_printf(&m, "\n모든 알림: %s\n--\n기업SOS · 기업경제과 기업SOS팀\n", all);
		if (n > 0 && !m.failed) {
			char subject[128];
			snprintf(subject, sizeof(subject), "[기업SOS] %s 알림 모음 (%zu건)", today,
			         n);
			rc = outbox_add(db, "email", users[u].email, "digest", subject,
			                buf_cstr(&m), 0, NULL);
			for (size_t i = 0; i < n && rc == BZ_OK; i++) {
				if ((st = db_stmt(db, SQL_DIGESTED)) == NULL) {
					rc = BZ_ERR_DB;
					break;
				}
				db_bind_int(st, 1, ids[i]);
				db_bind_text(st, 2, now);
				rc = db_rc(db, db_step(st), "digested");
				sqlite3_reset(st);
			}
		}
		buf_free(&m);
	}
	return rc;
}

bz_rc notify_daily_run(struct db *db, const char *today, bool *ran)
{
	*ran = false;
	int32_t day;
	bz_rc rc;
	if ((rc = date_parse(today, &day, NULL)) != BZ_OK)
		return rc;
	struct workday_holidays h;
	workday_holidays_init(&h);
	if ((rc = holiday_set_load(db, &h)) != BZ_OK) {
		workday_holidays_free(&h);
		return rc;
	}
	if (!workday_is_working_day(&h, day)) {
		workday_holidays_free(&h);
		return BZ_OK;
	}
	int32_t soon_day;
	char soon[DATE_TEXT_SIZE];
	rc = workday_add(&h, day, 2, &soon_day);
	workday_holidays_free(&h);
	if (rc == BZ_OK)
		rc = date_format(soon_day, soon, sizeof(soon));
	if (rc != BZ_OK)
		return rc;
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_JOB_CLAIM);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, "daily");
	db_bind_text(st, 2, today);
	db_bind_text(st, 3, now);
	rc = db_rc(db, db_step(st), "job claim");
	sqlite3_reset(st);
	if (rc == BZ_OK && db_changes(db) == 0) {
		db_rollback(db); /* already ran today */
		return BZ_OK;
	}
	if (rc == BZ_OK)
		rc = deadline_notices(db, today, soon);
	if (rc == BZ_OK)
		rc = digests(db, today);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	*ran = true;
	return BZ_OK;
}
