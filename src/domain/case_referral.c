/* SOS cases: referrals to departments (refer, answer, return, resend,
 * owner change), each one write in the pattern of case_write.c. */
#include "case_internal.h"
#include "bizsos/kst.h"
#include "bizsos/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- referrals ---------------------------------------------------------- */

static const char SQL_SET_STATUS[] =
    "UPDATE sos_case SET status = ?2, status_reason = NULL WHERE id = ?1";
static const char SQL_DEPT_NAME[] =
    "SELECT name FROM department WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_HAS_LEAD[] =
    "SELECT 1 FROM case_referral WHERE case_id = ?1 AND role = 'lead'";
static const char SQL_DEPT_REFERRED[] =
    "SELECT 1 FROM case_referral WHERE case_id = ?1 AND department_id = ?2 "
    "AND status <> 'returned'";
static const char SQL_REFER[] =
    "INSERT INTO case_referral (case_id, department_id, role, due_on, created_at, created_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static bool exists2(struct db *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	bool found = db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

#define REFER_MAX 20

bz_rc case_refer(struct db *db, const struct user *actor, int64_t id, int64_t version,
                 const char *lead, const char *const *coops, size_t ncoops, const char *due_on,
                 json_t *fields, char *msg, size_t msglen)
{
	struct case_refer_input in = {
	    .lead = lead, .coops = coops, .ncoops = ncoops, .due_on = due_on};
	return case_refer_to(db, actor, id, version, &in, fields, msg, msglen);
}

static const char SQL_DEPT_USER[] =
    "SELECT name FROM app_user WHERE id = ?1 AND department_id = ?2 AND role = 'department' "
    "AND disabled_at IS NULL";

/* The owner typed for a referral to department dept: 0 for none; -1 (field
 * error set under key) if it is not an enabled user of that department. */
static int64_t owner_for(struct db *db, const char *owner, int64_t dept, const char *dept_name,
                         const char *key, char *name, size_t namelen, json_t *fields)
{
	if (!val_nz(owner))
		return 0;
	int64_t uid = case_parse_id(owner);
	sqlite3_stmt *st = db_stmt(db, SQL_DEPT_USER);
	bool ok = false;
	if (uid > 0 && st) {
		db_bind_int(st, 1, uid);
		db_bind_int(st, 2, dept);
		ok = db_step(st) == SQLITE_ROW;
		if (ok)
			case_col(st, 0, name, namelen);
		sqlite3_reset(st);
	}
	if (ok)
		return uid;
	char m[USER_NAME_MAX + 96];
	snprintf(m, sizeof(m), "담당자는 %s 소속 사용자 중에서 골라 주세요.", dept_name);
	if (json_object_get(fields, key) == NULL)
		json_object_set_new(fields, key, json_string(m));
	return -1;
}

static const char SQL_REFERRAL_SET_OWNER[] = "UPDATE case_referral SET owner_id = ?2 WHERE id = ?1";

bz_rc case_refer_to(struct db *db, const struct user *actor, int64_t id, int64_t version,
                    const struct case_refer_input *in, json_t *fields, char *msg, size_t msglen)
{
	const char *lead = in->lead, *due_on = in->due_on;
	const char *const *coops = in->coops;
	size_t ncoops = in->ncoops;
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_REFER, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	if (!case_status_open(r.status)) {
		snprintf(msg, msglen, "이미 종결된 사건은 부서에 이관할 수 없습니다.");
		return case_write_abort(db, BZ_ERR_CONFLICT);
	}
	int64_t ids[REFER_MAX + 1], owners[REFER_MAX + 1];
	const char *roles[REFER_MAX + 1], *owner_in[REFER_MAX + 1];
	char names[REFER_MAX + 1][USER_NAME_MAX], owner_names[REFER_MAX + 1][USER_NAME_MAX];
	size_t n = 0;
	if (val_nz(lead)) {
		ids[n] = case_parse_id(lead);
		owner_in[n] = in->lead_owner;
		roles[n++] = "lead";
		if (exists2(db, SQL_HAS_LEAD, r.id, 0))
			val_field_error(
			    fields, "lead",
			    "주관부서는 하나뿐입니다. 이 사건에는 이미 주관부서가 있습니다.");
	}
	if (ncoops > REFER_MAX) {
		val_field_error(fields, "coop", "한 번에 20개 부서까지 이관할 수 있습니다.");
		ncoops = 0;
	}
	for (size_t i = 0; i < ncoops; i++) {
		if (!val_nz(coops[i]))
			continue;
		ids[n] = case_parse_id(coops[i]);
		owner_in[n] = in->coop_owners ? in->coop_owners[i] : NULL;
		roles[n++] = "coop";
	}
	if (!val_nz(lead) && val_nz(in->lead_owner))
		val_field_error(fields, "lead_owner",
		                "주관부서 담당자를 고르려면 주관부서도 골라 주세요.");
	if (n == 0)
		val_field_error(fields, "lead", "이관할 부서를 하나 이상 골라 주세요.");
	for (size_t i = 0; i < n; i++) {
		const char *key = strcmp(roles[i], "lead") == 0 ? "lead" : "coop";
		owners[i] = 0;
		owner_names[i][0] = '\0';
		if (ids[i] == 0 ||
		    !case_name_of(db, SQL_DEPT_NAME, ids[i], names[i], sizeof(names[i]))) {
			val_field_error(fields, key, "목록에 있는 부서를 골라 주세요.");
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i])
				val_field_error(fields, key,
				                "같은 부서를 주관과 협조로 함께 고를 수 없습니다.");
		if (exists2(db, SQL_DEPT_REFERRED, r.id, ids[i])) {
			char m[USER_NAME_MAX + 64];
			snprintf(m, sizeof(m), "%s에는 이미 이관되어 있습니다.", names[i]);
			json_object_set_new(fields, key, json_string(m));
		}
		owners[i] = owner_for(db, owner_in[i], ids[i], names[i],
		                      strcmp(key, "lead") == 0 ? "lead_owner" : "coop_owner",
		                      owner_names[i], sizeof(owner_names[i]), fields);
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *due = val_nz(due_on) ? due_on : (*r.ext_due ? r.ext_due : r.due_on);
	if (val_nz(due_on)) {
		const char *dm = case_date_check(due_on, today, NULL);
		if (dm)
			val_field_error(
			    fields, "referral_due_on",
			    strstr(dm, "접수일") ? "회신 기한은 오늘 이후로 정해 주세요." : dm);
	}
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	char now[24];
	db_now_utc(now);
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		rc = db_execf(db, SQL_REFER, "iittti", r.id, ids[i], roles[i], due, now, actor->id);
		int64_t rid = db_last_id(db);
		if (rc == BZ_OK)
			rc = case_event_add(db, r.id, actor->id, "referral", roles[i], NULL,
			                    names[i], due);
		if (rc == BZ_OK && owners[i] > 0)
			rc = db_execf(db, SQL_REFERRAL_SET_OWNER, "ii", rid, owners[i]);
		if (rc == BZ_OK && owners[i] > 0)
			rc = case_event_add(db, r.id, actor->id, "referral_owner", "owner", NULL,
			                    owner_names[i], names[i]);
	}
	const char *moved = case_status_on_referral(r.status);
	if (rc == BZ_OK && moved)
		rc = db_execf(db, SQL_SET_STATUS, "it", r.id, moved);
	if (rc == BZ_OK && moved)
		rc = case_event_add(db, r.id, actor->id, "status", "status", r.status, moved,
		                    "부서 이관");
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

static const char SQL_REFERRAL_GET[] =
    "SELECT r.department_id, r.status, d.name, coalesce(r.answer, ''), r.reassigned_count "
    "FROM case_referral r JOIN department d ON d.id = r.department_id "
    "WHERE r.id = ?1 AND r.case_id = ?2";
static const char SQL_REFERRAL_ANSWER[] =
    "UPDATE case_referral SET status = 'answered', answer = ?2, answered_at = ?3, "
    "answered_by = ?4, owner_id = coalesce(owner_id, ?4) WHERE id = ?1";
static const char SQL_REFERRAL_RETURN[] =
    "UPDATE case_referral SET status = 'returned', answer = ?2, answered_at = ?3, "
    "answered_by = ?4, reassigned_count = reassigned_count + 1 WHERE id = ?1";
static const char SQL_REFERRAL_RESEND[] =
    "UPDATE case_referral SET status = 'open', department_id = ?2, due_on = ?3, answer = NULL, "
    "answered_at = NULL, answered_by = NULL, owner_id = NULL WHERE id = ?1";

struct referral {
	int64_t department_id, returns;
	char status[16];
	char department[USER_NAME_MAX];
	char answer[64];
};

static bool load_referral(struct db *db, int64_t rid, int64_t case_id, struct referral *f)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REFERRAL_GET);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, rid);
	db_bind_int(st, 2, case_id);
	bool ok = db_step(st) == SQLITE_ROW;
	if (ok) {
		f->department_id = sqlite3_column_int64(st, 0);
		case_col(st, 1, f->status, sizeof(f->status));
		case_col(st, 2, f->department, sizeof(f->department));
		case_col(st, 3, f->answer, sizeof(f->answer));
		f->returns = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return ok;
}

bz_rc case_referral_answer(struct db *db, const struct user *actor, int64_t id, int64_t referral_id,
                           int64_t version, const char *action, const char *text, json_t *fields,
                           char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_ANSWER, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	struct referral f;
	if (!load_referral(db, referral_id, r.id, &f))
		return case_write_abort(db, BZ_ERR_NOTFOUND);
	if (actor->role == ROLE_DEPARTMENT && f.department_id != actor->department_id) {
		snprintf(msg, msglen, "%s에 온 이관 건에는 그 부서만 답변할 수 있습니다.",
		         f.department);
		return case_write_abort(db, BZ_ERR_FORBIDDEN);
	}
	bool ret = action && strcmp(action, "return") == 0;
	if (action && *action && !ret && strcmp(action, "answer") != 0)
		val_field_error(fields, "action", "답변 또는 반송을 골라 주세요.");
	if (strcmp(f.status, "returned") == 0)
		val_field_error(fields, "answer", "반송한 이관 건에는 답변할 수 없습니다.");
	else if (ret && strcmp(f.status, "open") != 0)
		val_field_error(fields, "answer", "이미 답변한 이관 건은 반송할 수 없습니다.");
	if (!val_nz(text))
		val_field_error(fields, "answer",
		                ret ? "반송 사유를 입력해 주세요." : "답변 내용을 입력해 주세요.");
	else if (!case_text_ok(text, CASE_TEXT_CHARS, true))
		val_field_error(fields, "answer", "답변은 10,000자까지 입력할 수 있습니다.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	char now[24];
	db_now_utc(now);
	rc = db_execf(db, ret ? SQL_REFERRAL_RETURN : SQL_REFERRAL_ANSWER, "itti", referral_id,
	              text, now, actor->id);
	char note[96] = "";
	if (ret && f.returns + 1 >= CASE_BOUNCE_LIMIT)
		snprintf(note, sizeof(note), "%lld번째 반송: 팀장 확인 필요",
		         (long long)(f.returns + 1));
	if (rc == BZ_OK)
		rc =
		    case_event_add(db, r.id, actor->id, ret ? "referral_return" : "referral_answer",
		                   NULL, f.department, text, val_nz(note));
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

bz_rc case_referral_resend(struct db *db, const struct user *actor, int64_t id, int64_t referral_id,
                           int64_t version, const char *department, const char *due_on,
                           json_t *fields, char *msg, size_t msglen)
{
	struct case_row r;
	bz_rc rc = case_write_begin(db, actor, id, version, CASE_ACT_REFER, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	struct referral f;
	if (!load_referral(db, referral_id, r.id, &f))
		return case_write_abort(db, BZ_ERR_NOTFOUND);
	if (strcmp(f.status, "returned") != 0)
		val_field_error(fields, "department",
		                "반송된 이관 건만 다른 부서로 보낼 수 있습니다.");
	int64_t dept = case_parse_id(department);
	char name[USER_NAME_MAX] = "";
	if (dept == 0 || !case_name_of(db, SQL_DEPT_NAME, dept, name, sizeof(name)))
		val_field_error(fields, "department", "목록에 있는 부서를 골라 주세요.");
	else if (exists2(db, SQL_DEPT_REFERRED, r.id, dept))
		val_field_error(fields, "department", "그 부서에는 이미 이관되어 있습니다.");
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *due = val_nz(due_on) ? due_on : (*r.ext_due ? r.ext_due : r.due_on);
	if (val_nz(due_on) && case_date_check(due_on, today, NULL))
		val_field_error(fields, "referral_due_on", "회신 기한은 오늘 이후로 정해 주세요.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	rc = db_execf(db, SQL_REFERRAL_RESEND, "iit", referral_id, dept, due);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "referral_resend", NULL, f.department,
		                    name, due);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}

static const char SQL_REFERRAL_OWNER_GET[] =
    "SELECT coalesce(r.owner_id, 0), coalesce(o.name, '') FROM case_referral r "
    "LEFT JOIN app_user o ON o.id = r.owner_id WHERE r.id = ?1";

bz_rc case_referral_owner(struct db *db, const struct user *actor, int64_t id, int64_t referral_id,
                          int64_t version, const char *owner, json_t *fields, char *msg,
                          size_t msglen)
{
	struct case_row r;
	bz_rc rc =
	    case_write_begin(db, actor, id, version, CASE_ACT_REFERRAL_OWNER, &r, msg, msglen);
	if (rc != BZ_OK)
		return rc;
	struct referral f;
	if (!load_referral(db, referral_id, r.id, &f))
		return case_write_abort(db, BZ_ERR_NOTFOUND);
	if (strcmp(f.status, "open") != 0) {
		val_field_error(fields, "owner",
		                strcmp(f.status, "returned") == 0
		                    ? "반송된 이관 건의 담당자는 바꿀 수 없습니다. 다시 이관한 뒤 "
		                      "정해 주세요."
		                    : "답변을 마친 이관 건의 담당자는 바꿀 수 없습니다.");
		return case_write_abort(db, BZ_ERR_INVALID);
	}
	int64_t old_id = 0;
	char old_name[USER_NAME_MAX] = "", new_name[USER_NAME_MAX] = "";
	sqlite3_stmt *st = db_stmt(db, SQL_REFERRAL_OWNER_GET);
	if (st == NULL)
		return case_write_abort(db, BZ_ERR_DB);
	db_bind_int(st, 1, referral_id);
	if (db_step(st) == SQLITE_ROW) {
		old_id = sqlite3_column_int64(st, 0);
		case_col(st, 1, old_name, sizeof(old_name));
	}
	sqlite3_reset(st);
	int64_t to = owner_for(db, owner, f.department_id, f.department, "owner", new_name,
	                       sizeof(new_name), fields);
	if (to >= 0 && to == old_id)
		val_field_error(fields, "owner",
		                to ? "이미 그 사람이 담당자입니다."
		                   : "담당자가 이미 비어 있습니다.");
	if (json_object_size(fields) > 0)
		return case_write_abort(db, BZ_ERR_INVALID);
	st = db_stmt(db, SQL_REFERRAL_SET_OWNER);
	if (st == NULL)
		return case_write_abort(db, BZ_ERR_DB);
	db_bind_int(st, 1, referral_id);
	if (to > 0)
		db_bind_int(st, 2, to);
	rc = db_rc(db, db_step(st), "referral owner");
	sqlite3_reset(st);
	if (rc == BZ_OK)
		rc = case_event_add(db, r.id, actor->id, "referral_owner", "owner",
		                    val_nz(old_name), to ? new_name : "(미지정)", f.department);
	if (rc != BZ_OK)
		return case_write_abort(db, rc);
	return case_write_finish(db, &r);
}
