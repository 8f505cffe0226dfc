/* Company business status (see include/bizsos/bizstatus.h). */
#include "bizsos/bizstatus.h"
#include "bizsos/kst.h"

#include <stdio.h>
#include <string.h>

static const char SQL_DUE[] =
    "SELECT s.company_id, c.brn, s.tries FROM company_status s JOIN company c "
    "ON c.id = s.company_id WHERE s.pending = 1 AND s.next_at <= ?1 AND c.retired_at IS NULL "
    "ORDER BY s.next_at, s.company_id LIMIT ?2";
static const char SQL_STORE[] =
    "INSERT INTO company_status (company_id, status_cd, status, tax_type, end_dt, checked_at, "
    "pending, last_error, tries, next_at) VALUES (?1, coalesce(?2, ''), ?3, ?4, ?5, ?6, 0, NULL, "
    "0, "
    "0) ON CONFLICT (company_id) DO UPDATE SET status_cd = coalesce(?2, ''), status = ?3, tax_type "
    "= ?4, "
    "end_dt = ?5, checked_at = ?6, pending = 0, last_error = NULL, tries = 0, next_at = 0";
static const char SQL_FAIL[] =
    "UPDATE company_status SET tries = tries + 1, last_error = ?2, next_at = ?3, "
    "pending = CASE WHEN tries + 1 >= ?4 THEN 0 ELSE 1 END WHERE company_id = ?1";
static const char SQL_JOB_CLAIM[] =
    "INSERT INTO job_run (job, day, at) VALUES ('nts', ?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_MARK_ALL[] =
    "INSERT INTO company_status (company_id) SELECT id FROM company WHERE retired_at IS NULL "
    "ON CONFLICT (company_id) DO UPDATE SET pending = 1, tries = 0, next_at = 0";
static const char SQL_GET[] =
    "SELECT status_cd, checked_at, last_error FROM company_status WHERE company_id = ?1";

const char *bizstatus_label(const char *code)
{
	if (code == NULL)
		return "확인 불가";
	if (strcmp(code, "01") == 0)
		return "계속사업자";
	if (strcmp(code, "02") == 0)
		return "휴업자";
	if (strcmp(code, "03") == 0)
		return "폐업자";
	if (*code == '\0')
		return "미등록";
	return "확인 불가";
}

bool bizstatus_flagged(const char *code)
{
	return code && (strcmp(code, "02") == 0 || strcmp(code, "03") == 0);
}

bz_rc bizstatus_due(struct db *db, int64_t now_ms, struct bizstatus_item *out, size_t max,
                    size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_DUE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, now_ms);
	db_bind_int(st, 2, (int64_t)max);
	int rc;
	while (*n < max && (rc = db_step(st)) == SQLITE_ROW) {
		out[*n].company_id = sqlite3_column_int64(st, 0);
		const unsigned char *b = sqlite3_column_text(st, 1);
		bz_strlcpy(out[*n].brn, b ? (const char *)b : "", sizeof(out[*n].brn));
		out[*n].tries = sqlite3_column_int(st, 2);
		(*n)++;
	}
	sqlite3_reset(st);
	return BZ_OK;
}

bz_rc bizstatus_store(struct db *db, int64_t company_id, const char *code, const char *status,
                      const char *tax_type, const char *end_dt)
{
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_STORE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, code ? code : "");
	db_bind_text(st, 3, status);
	db_bind_text(st, 4, tax_type);
	db_bind_text(st, 5, end_dt && *end_dt ? end_dt : NULL);
	db_bind_text(st, 6, now);
	bz_rc rc = db_rc(db, db_step(st), "status store");
	sqlite3_reset(st);
	return rc;
}

bz_rc bizstatus_fail(struct db *db, int64_t company_id, const char *err, int max_tries,
                     int64_t next_ms)
{
	sqlite3_stmt *st = db_stmt(db, SQL_FAIL);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, err);
	db_bind_int(st, 3, next_ms);
	db_bind_int(st, 4, max_tries);
	bz_rc rc = db_rc(db, db_step(st), "status fail");
	sqlite3_reset(st);
	return rc;
}

bz_rc bizstatus_mark_all(struct db *db, const char *today, bool *ran)
{
	*ran = false;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_JOB_CLAIM);
	if (st == NULL) {
		db_rollback(db);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, today);
	db_bind_text(st, 2, now);
	rc = db_rc(db, db_step(st), "nts claim");
	sqlite3_reset(st);
	if (rc == BZ_OK && db_changes(db) == 0) {
		db_rollback(db);
		return BZ_OK;
	}
	if (rc == BZ_OK)
		rc = db_exec(db, SQL_MARK_ALL);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	*ran = true;
	return BZ_OK;
}

bz_rc bizstatus_get(struct db *db, int64_t company_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, company_id);
	const char *code = NULL;
	char code_buf[8] = "", checked[24] = "", err[256] = "";
	if (db_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			bz_strlcpy(code_buf, (const char *)sqlite3_column_text(st, 0),
			           sizeof(code_buf));
			code = code_buf;
		}
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			bz_strlcpy(checked, (const char *)sqlite3_column_text(st, 1),
			           sizeof(checked));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			bz_strlcpy(err, (const char *)sqlite3_column_text(st, 2), sizeof(err));
	}
	sqlite3_reset(st);
	char kst[32] = "";
	if (checked[0])
		fmt_instant_kst(checked, kst, sizeof(kst));
	*out = json_pack("{s:s?, s:s, s:b, s:b, s:s?, s:s?, s:s?}", "code", code, "label",
	                 bizstatus_label(code), "flagged", bizstatus_flagged(code), "unknown",
	                 code == NULL, "checked_at", checked[0] ? checked : NULL, "checked_kst",
	                 kst[0] ? kst : NULL, "error", err[0] ? err : NULL);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bz_rc bizstatus_decorate(struct db *db, json_t *row, int64_t company_id)
{
	json_t *s = NULL;
	bz_rc rc = bizstatus_get(db, company_id, &s);
	if (rc != BZ_OK)
		return rc;
	json_object_set_new(row, "biz_status", s);
	return BZ_OK;
}

bz_rc bizstatus_decorate_rows(struct db *db, json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_t *id = json_object_get(row, "id");
		if (!json_is_integer(id))
			continue;
		bz_rc rc = bizstatus_decorate(db, row, json_integer_value(id));
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}
