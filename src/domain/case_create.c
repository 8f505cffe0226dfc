/* SOS cases: creating a case (number, deadline, first history event). */
#include "bizsos/batch.h"
#include "bizsos/brn.h"
#include "bizsos/notify.h"
#include "bizsos/search.h"
#include "bizsos/kst.h"
#include "case_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- creating ----------------------------------------------------------- */

static const char SQL_COMPANY_EXISTS[] = "SELECT 1 FROM company WHERE id = ?1";
static const char SQL_CATEGORY_DAYS[] =
    "SELECT default_days FROM case_category WHERE id = ?1 AND retired_at IS NULL";
/* The year's sequence moved on (SQL_SEQ_NEXT), or past a number given by hand
 * (SQL_SEQ_PAST), then read back (SQL_SEQ_LAST) in the same savepoint. Not one
 * statement with RETURNING: SQLite keeps a RETURNING statement's rows in a
 * temporary table of its own, opened and closed on every run (a tenth of a
 * case's write). */
static const char SQL_SEQ_NEXT[] = "INSERT INTO case_seq (year, last) VALUES (?1, 1) "
                                   "ON CONFLICT (year) DO UPDATE SET last = last + 1";
static const char SQL_SEQ_PAST[] = "INSERT INTO case_seq (year, last) VALUES (?1, ?2) "
                                   "ON CONFLICT (year) DO UPDATE SET last = max(last, ?2)";
static const char SQL_SEQ_LAST[] = "SELECT last FROM case_seq WHERE year = ?1";
static const char SQL_CASE_NO_TAKEN[] = "SELECT 1 FROM sos_case WHERE case_no = ?1";
static const char SQL_CASE_INSERT[] =
    "INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel, category_id, "
    "title, description, request, triage, flag, due_on, created_by, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, "
    "?14)";

static bool exists_id(struct db *db, const char *sql, int64_t id, int *val)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool found = db_step(st) == SQLITE_ROW;
	if (found && val)
		*val = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return found;
}

static bool exists_text(struct db *db, const char *sql, const char *text)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_text(st, 1, text);
	bool found = db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* What the checks decide before anything is written (case_plan), so that the
 * write itself (case_write) is short: in a write batch it runs on the
 * batch's serial path, the checks beside it on the caller's own thread. */
struct case_plan {
	char today[DATE_TEXT_SIZE];
	const char *recv; /* in->received_on or today */
	int64_t company, category;
	const char *triage, *flag;
	long long given_seq;
	char at[24];
	char due[DATE_TEXT_SIZE];
};

static bz_rc case_plan(struct db *db, const struct user *actor, const struct case_input *in,
                       json_t *fields, struct case_plan *p)
{
	if (!case_may(actor, CASE_ACT_CREATE))
		return BZ_ERR_FORBIDDEN;
	kst_today(p->today);
	const char *today = p->today;
	int64_t company = case_parse_id(in->company_id);
	if (company == 0 || !exists_id(db, SQL_COMPANY_EXISTS, company, NULL))
		val_field_error(fields, "company_id", "기업을 골라 주세요.");
	int64_t category = case_parse_id(in->category_id);
	int days = 0;
	if (category == 0 || !exists_id(db, SQL_CATEGORY_DAYS, category, &days))
		val_field_error(fields, "category_id", "애로 분야를 골라 주세요.");
	if (in->channel == NULL || case_label("channel", in->channel) == NULL)
		val_field_error(fields, "channel", "접수 경로를 골라 주세요.");
	case_check_texts(in->title, in->description, in->request, fields);
	const char *triage = in->triage && *in->triage ? in->triage : "single";
	if (case_label("triage", triage) == NULL)
		val_field_error(fields, "triage", "단일애로 또는 복합애로를 골라 주세요.");
	const char *flag = in->flag && *in->flag ? in->flag : NULL;
	if (flag && case_label("flag", flag) == NULL)
		val_field_error(fields, "flag", "표시는 긴급, 중요 또는 없음 중에서 골라 주세요.");
	const char *recv = in->received_on && *in->received_on ? in->received_on : today;
	const char *dmsg = case_date_check(recv, "2000-01-01", today);
	if (dmsg)
		val_field_error(fields, "received_on", dmsg);
	int minutes = -1;
	bool now_time = !(in->received_time && *in->received_time);
	if (!now_time && (minutes = clock_hhmm_minutes(in->received_time)) < 0)
		val_field_error(fields, "received_time", "접수 시각은 14:30처럼 입력해 주세요.");
	long long given_seq = 0;
	if (in->case_no && *in->case_no) {
		int y = 0;
		char tail[2];
		if (sscanf(in->case_no, "SOS-%4d-%8lld%1s", &y, &given_seq, tail) != 2 ||
		    strlen(in->case_no) < 13 || strlen(in->case_no) >= CASE_NO_SIZE ||
		    given_seq <= 0 || y != atoi(recv))
			val_field_error(fields, "case_no",
			                "접수번호는 SOS-(접수 연도)-0001 꼴이어야 합니다.");
		else if (exists_text(db, SQL_CASE_NO_TAKEN, in->case_no)) /* again in the write */
			val_field_error(fields, "case_no", "이미 있는 접수번호입니다.");
	}
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	/* The instant: now if received today without a time; else the KST wall time. */
	if (now_time && strcmp(recv, today) == 0) {
		db_now_utc(p->at);
	} else {
		int32_t d;
		date_parse(recv, &d, NULL);
		if (minutes < 0)
			minutes = 9 * 60;
		db_format_utc((time_t)d * 86400 + (time_t)minutes * 60 - 9 * 3600, p->at);
	}

	struct workday_holidays h;
	workday_holidays_init(&h);
	bz_rc rc = holiday_set_load_from(db, recv, &h);
	if (rc == BZ_OK)
		rc = case_due_date(&h, recv, days, p->due, sizeof(p->due));
	workday_holidays_free(&h);
	if (rc != BZ_OK)
		return rc == BZ_ERR_INVALID ? BZ_ERR_DB : rc;
	p->recv = recv;
	p->company = company;
	p->category = category;
	p->triage = triage;
	p->flag = flag;
	p->given_seq = given_seq;
	return BZ_OK;
}

/* Writes the case p planned: its number (the next of its year, or the one
 * given, if still free), the row and its first event. */
static bz_rc case_write(struct db *db, const struct user *actor, const struct case_input *in,
                        json_t *fields, const struct case_plan *p, int64_t *id_out, char *case_no)
{
	long long given_seq = p->given_seq;
	if (given_seq && exists_text(db, SQL_CASE_NO_TAKEN, in->case_no)) {
		val_field_error(fields, "case_no", "이미 있는 접수번호입니다.");
		return BZ_ERR_INVALID;
	}
	bz_rc rc;
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	int year = atoi(p->recv);
	sqlite3_stmt *st = db_stmt(db, given_seq ? SQL_SEQ_PAST : SQL_SEQ_NEXT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_int(st, 1, year);
	if (given_seq)
		db_bind_int(st, 2, given_seq);
	int src = db_step(st);
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		rc = db_rc(db, src, "case seq");
		goto fail;
	}
	int64_t seq = 0;
	/* at most fourteen digits: what CASE_NO_SIZE holds */
	if ((rc = db_int1f(db, SQL_SEQ_LAST, 0, &seq, "i", (int64_t)year)) != BZ_OK || seq <= 0 ||
	    seq > 99999999999999LL) {
		rc = rc == BZ_OK ? BZ_ERR_DB : rc;
		goto fail;
	}
	char no[CASE_NO_SIZE];
	if (given_seq)
		bz_strlcpy(no, in->case_no, sizeof(no));
	else
		snprintf(no, sizeof(no), "SOS-%04d-%04lld", year, (long long)seq);
	char now[24];
	db_now_utc(now);
	st = db_stmt(db, SQL_CASE_INSERT);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto fail;
	}
	db_bind_text(st, 1, no);
	db_bind_int(st, 2, p->company);
	db_bind_text(st, 3, p->at);
	db_bind_text(st, 4, p->recv);
	db_bind_text(st, 5, in->channel);
	db_bind_int(st, 6, p->category);
	db_bind_text(st, 7, in->title);
	db_bind_text(st, 8, in->description ? in->description : "");
	db_bind_text(st, 9, in->request ? in->request : "");
	db_bind_text(st, 10, p->triage);
	db_bind_text(st, 11, p->flag);
	db_bind_text(st, 12, p->due);
	if (actor->id > 0) /* 0: filed by the company online (online_request.c) */
		db_bind_int(st, 13, actor->id);
	db_bind_text(st, 14, now);
	rc = db_rc(db, db_step(st), "case insert");
	sqlite3_reset(st);
	if (rc != BZ_OK)
		goto fail;
	int64_t id = db_last_id(db);
	if ((rc = case_event_add(db, id, actor->id, "created", NULL, NULL, no, NULL)) != BZ_OK)
		goto fail;
	if ((rc = db_commit(db)) != BZ_OK)
		goto fail;
	if (id_out)
		*id_out = id;
	if (case_no)
		bz_strlcpy(case_no, no, CASE_NO_SIZE);
	return BZ_OK;
fail:
	db_rollback(db);
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
}

/* case_create through the write batcher: concurrent creations share one
 * transaction and one fsync (src/store/batch.c); the checks run first, on the
 * caller's connection, and only the write joins the batch (inside a caller's
 * transaction, a visit's or an import's, db_batch_run runs it at once). */
struct create_args {
	const struct user *actor;
	const struct case_input *in;
	json_t *fields;
	const struct case_plan *plan;
	int64_t *id_out;
	char *case_no;
};

static bz_rc create_unit(struct db *db, void *arg)
{
	struct create_args *a = arg;
	return case_write(db, a->actor, a->in, a->fields, a->plan, a->id_out, a->case_no);
}

bz_rc case_create(struct db *db, const struct user *actor, const struct case_input *in,
                  json_t *fields, int64_t *id_out, char *case_no)
{
	struct case_plan p;
	bz_rc rc = case_plan(db, actor, in, fields, &p);
	if (rc != BZ_OK)
		return rc;
	struct create_args a = {actor, in, fields, &p, id_out, case_no};
	return db_batch_run(db, create_unit, &a);
}
