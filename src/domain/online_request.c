/* The companies' own door: online requests filed without sign-in, the
 * receipt numbers companies follow them by, and the status they may see. */
#include "bizsos/online_request.h"
#include "bizsos/brn.h"
#include "bizsos/company.h"
#include "bizsos/notify.h"
#include "bizsos/outbox.h"
#include "bizsos/privacy.h"
#include "bizsos/store.h"
#include "bizsos/validate.h"
#include "bizsos/kst.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- SQL ---------------------------------------------------------------- */

static const char SQL_CATEGORY_OK[] =
    "SELECT 1 FROM case_category WHERE id = ?1 AND retired_at IS NULL";
static const char SQL_REPLAY[] = "SELECT receipt_no, case_id, brn FROM online_request "
                                 "WHERE form_nonce = ?1";
static const char SQL_COMPANY_BY_BRN[] = "SELECT id FROM company WHERE brn = ?1";
static const char SQL_COMPANY_UNCONFIRMED[] = "UPDATE company SET unconfirmed = 1 WHERE id = ?1";
static const char SQL_ATTACH[] =
    "INSERT INTO case_attachment (case_id, at, uploader_id, filename, content_type, size, "
    "sha256, stored_path) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_INSERT[] =
    "INSERT INTO online_request (case_id, receipt_no, form_nonce, brn, company_name, "
    "contact_name, phone, email, privacy_consent_at, privacy_notice, contact_consent, remote, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?9)";
static const char SQL_MAIL[] =
    "INSERT INTO public_mail (kind, case_id, company_id, to_addr, subject, body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* The case behind a receipt, with everything the status page may show. */
static const char SQL_STATUS[] =
    "SELECT o.brn, o.receipt_no, o.company_name, s.id, s.title, k.name, s.status, "
    "s.received_on, coalesce(s.extended_due_on, s.due_on), s.outcome, s.outcome_reason, "
    "s.closed_on, s.transfer_to, s.transfer_on, s.merged_into "
    "FROM online_request o JOIN sos_case s ON s.id = o.case_id "
    "JOIN case_category k ON k.id = s.category_id WHERE o.receipt_no = ?1";
static const char SQL_SHARED_NOTES[] =
    "SELECT at, body FROM case_note WHERE case_id = ?1 AND shared = 1 ORDER BY at, id";
static const char SQL_RECEIPT[] =
    "SELECT o.receipt_no, o.company_name, s.title, k.name, s.received_at, "
    "coalesce(s.extended_due_on, s.due_on), o.email, s.id "
    "FROM online_request o JOIN sos_case s ON s.id = o.case_id "
    "JOIN case_category k ON k.id = s.category_id WHERE o.receipt_no = ?1";
static const char SQL_FILES[] =
    "SELECT filename FROM case_attachment WHERE case_id = ?1 ORDER BY id";
static const char SQL_FOR_CASE[] =
    "SELECT o.receipt_no, o.contact_name, o.phone, o.email, o.contact_consent, "
    "o.privacy_consent_at, o.company_name, c.unconfirmed, c.id, o.brn "
    "FROM online_request o JOIN sos_case s ON s.id = o.case_id "
    "JOIN company c ON c.id = s.company_id WHERE o.case_id = ?1";
static const char SQL_MAILS_FOR_CASE[] =
    "SELECT kind, to_addr, created_at, sent_at FROM public_mail WHERE case_id = ?1 ORDER BY id";
static const char SQL_WAITING[] =
    "SELECT s.id, s.case_no, c.name, s.title, s.received_at, c.unconfirmed "
    "FROM online_request o JOIN sos_case s ON s.id = o.case_id "
    "JOIN company c ON c.id = s.company_id "
    "WHERE s.status = 'received' AND s.assignee_id IS NULL AND s.merged_into IS NULL "
    "ORDER BY s.received_at, s.id LIMIT 50";
static const char SQL_LEADERS[] =
    "SELECT id FROM app_user WHERE role = 'leader' AND disabled_at IS NULL ORDER BY id";
static const char SQL_CONFIRM_GET[] = "SELECT unconfirmed FROM company WHERE id = ?1";
static const char SQL_CONFIRM_SET[] =
    "UPDATE company SET unconfirmed = 0, updated_at = ?2, version = version + 1 WHERE id = ?1";

/* ---- the notice --------------------------------------------------------- */

json_t *online_privacy_notice(void)
{
	return json_pack(
	    "{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}", "version",
	    ONLINE_PRIVACY_NOTICE, "items", "label", "수집 항목", "text",
	    "담당자 이름, 전화번호, 이메일(적은 경우), 신청 내용과 첨부파일, 접속 IP 주소", "label",
	    "수집·이용 목적", "text", "기업애로 신청의 접수·처리, 처리 결과 안내와 문의 응대",
	    "label", "보는 사람", "text",
	    "시청 기업경제과 기업SOS팀 담당 공무원, 그리고 처리에 필요한 경우 사건을 넘겨받은 "
	    "시청 부서·관계 기관의 담당자(신청 내용만)",
	    "label", "보유·이용 기간", "text",
	    "처리가 끝난 날부터 3년 동안 보관한 뒤 파기합니다(민원 처리 기록의 보존 기간).",
	    "label", "동의를 거부할 권리", "text",
	    "동의하지 않을 수 있습니다. 다만 동의하지 않으면 온라인으로 신청할 수 없으니 "
	    "전화나 방문으로 신청해 주세요.");
}

/* ---- pure helpers ------------------------------------------------------- */

static const char RECEIPT_ALPHABET[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 32 */

void online_receipt_new(char out[RECEIPT_NO_SIZE])
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof(raw));
	size_t o = 0;
	for (size_t i = 0; i < 12; i++) {
		if (i == 4 || i == 8)
			out[o++] = '-';
		out[o++] = RECEIPT_ALPHABET[raw[i] & 31];
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

bool online_receipt_normalize(const char *in, char out[RECEIPT_NO_SIZE])
{
	out[0] = '\0';
	if (in == NULL)
		return false;
	char bare[13];
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) || n >= 12)
			return false;
		bare[n++] = c;
	}
	if (n != 12)
		return false;
	snprintf(out, RECEIPT_NO_SIZE, "%.4s-%.4s-%.4s", bare, bare + 4, bare + 8);
	return true;
}

bool online_phone_ok(const char *s)
{
	if (s == NULL || strlen(s) > ONLINE_PHONE_BYTES)
		return false;
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '+' && p == s)
			continue;
		else if (*p != '-' && *p != ' ' && *p != '(' && *p != ')')
			return false;
	}
	return digits >= 8 && digits <= 15;
}

bool online_email_ok(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if (n < 3 || n > ONLINE_EMAIL_BYTES)
		return false;
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	const char *dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"'<>()[],;:\\", *p))
			return false;
	return true;
}

/* ---- checking ----------------------------------------------------------- */

static bool nonce_ok(const char *s)
{
	if (s == NULL || strlen(s) != ONLINE_NONCE_SIZE - 1)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

bz_rc online_request_check(struct db *db, const struct online_request_input *in, json_t *fields)
{
	char brn[BRN_BARE_SIZE];
	const char *msg = NULL;
	if (val_blank(in->brn))
		val_field_error(fields, "brn", "사업자등록번호를 입력해 주세요.");
	else if (brn_parse(in->brn, brn, &msg) != BZ_OK)
		val_field_error(fields, "brn", msg ? msg : "사업자등록번호가 올바르지 않습니다.");
	if (!user_text_valid(in->company_name, COMPANY_NAME_CHARS))
		val_field_error(fields, "company_name", "기업 이름을 1~100자로 입력해 주세요.");
	if (!user_text_valid(in->contact_name, ONLINE_CONTACT_CHARS))
		val_field_error(fields, "contact_name", "담당자 이름을 1~50자로 입력해 주세요.");
	if (val_blank(in->phone))
		val_field_error(fields, "phone", "연락받을 전화번호를 입력해 주세요.");
	else if (!online_phone_ok(in->phone))
		val_field_error(fields, "phone",
		                "전화번호는 010-1234-5678처럼 숫자와 -로 입력해 주세요.");
	if (!val_blank(in->email) && !online_email_ok(in->email))
		val_field_error(fields, "email",
		                "이메일 주소가 올바르지 않습니다. 예: name@example.com");
	int64_t cat = case_parse_id(in->category_id);
	bool cat_ok = false;
	if (cat > 0) {
		sqlite3_stmt *st = db_stmt(db, SQL_CATEGORY_OK);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, cat);
		cat_ok = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	}
	if (!cat_ok)
		val_field_error(fields, "category_id", "애로 분야를 골라 주세요.");
	if (!user_text_valid(in->title, CASE_TITLE_CHARS))
		val_field_error(fields, "title", "제목을 1~200자로 입력해 주세요.");
	if (val_blank(in->description))
		val_field_error(fields, "description", "어떤 어려움인지 내용을 적어 주세요.");
	else if (!val_text_ok(in->description, CASE_TEXT_CHARS))
		val_field_error(fields, "description", "내용은 10,000자까지 입력할 수 있습니다.");
	if (!val_text_ok(in->request, CASE_TEXT_CHARS))
		val_field_error(fields, "request",
		                "바라는 도움은 10,000자까지 입력할 수 있습니다.");
	if (!in->privacy_consent)
		val_field_error(fields, "privacy_consent",
		                "개인정보 수집·이용에 동의해야 온라인으로 신청할 수 있습니다.");
	if (!nonce_ok(in->nonce))
		val_field_error(fields, "form",
		                "신청서가 올바르지 않습니다. 새로 열어 다시 작성해 주세요.");
	return json_object_size(fields) ? BZ_ERR_INVALID : BZ_OK;
}

/* ---- filing ------------------------------------------------------------- */

static bz_rc step(struct db *db, sqlite3_stmt *st, const char *what)
{
	bz_rc rc = db_rc(db, sqlite3_step(st), what);
	sqlite3_reset(st);
	return rc;
}

bz_rc online_mail_queue(struct db *db, const char *kind, int64_t case_id, int64_t company_id,
                        const char *to, const char *subject, const char *body)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MAIL);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_text(st, 1, kind);
	if (case_id > 0)
		db_bind_int(st, 2, case_id);
	if (company_id > 0)
		db_bind_int(st, 3, company_id);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, subject);
	db_bind_text(st, 6, body);
	db_bind_text(st, 7, now);
	bz_rc rc = step(db, st, "public mail");
	/* the outbox delivers it (src/jobs); public_mail keeps it with the case */
	if (rc == BZ_OK)
		rc = outbox_add(db, "email", to, kind, subject, body, case_id, NULL);
	return rc;
}

/* A form sent again (reload, double click): the receipt it got the first time. */
static bz_rc find_replay(struct db *db, const char *nonce, const char *brn, char *receipt,
                         int64_t *case_id, bool *found)
{
	*found = false;
	sqlite3_stmt *st = db_stmt(db, SQL_REPLAY);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, nonce);
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 2), brn) == 0) {
		bz_strlcpy(receipt, (const char *)sqlite3_column_text(st, 0), RECEIPT_NO_SIZE);
		if (case_id)
			*case_id = sqlite3_column_int64(st, 1);
		*found = true;
	}
	sqlite3_reset(st);
	return src == SQLITE_ROW || src == SQLITE_DONE ? BZ_OK : db_rc(db, src, "replay");
}

/* The company with this BRN, or a new one marked 미확인. */
static bz_rc company_for(struct db *db, const char *brn, const char *name, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, SQL_COMPANY_BY_BRN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, brn);
	int src = sqlite3_step(st);
	*id = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (src == SQLITE_ROW)
		return BZ_OK;
	if (src != SQLITE_DONE)
		return db_rc(db, src, "company by brn");
	struct company_input ci = {.name = name, .brn = brn, .confirm_similar = true};
	struct company_outcome o = {0};
	bz_rc rc = company_create(db, 0, &ci, id, &o);
	company_outcome_free(&o);
	if (rc != BZ_OK)
		return rc == BZ_ERR_INVALID || rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
	st = db_stmt(db, SQL_COMPANY_UNCONFIRMED);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, *id);
	return step(db, st, "company unconfirmed");
}

static bz_rc receipt_mail(struct db *db, const struct online_request_input *in, int64_t case_id,
                          int64_t company_id, const char *receipt, const char *due)
{
	char subject[200], body[2048];
	snprintf(subject, sizeof(subject), "[기업SOS] 기업애로 신청 접수 확인 (접수번호 %s)",
	         receipt);
	snprintf(body, sizeof(body),
	         "%s 님, 기업애로 신청이 접수되었습니다.\n\n"
	         "접수번호: %s\n제목: %s\n처리 예정일: %s\n\n"
	         "처리 상황은 기업SOS 누리집의 '처리 상황 조회'에서 접수번호와 "
	         "사업자등록번호로 확인할 수 있습니다. 접수번호는 다른 사람에게 알려 주지 "
	         "마세요.\n\n기업경제과 기업SOS팀",
	         in->contact_name, receipt, in->title, due);
	return online_mail_queue(db, "receipt", case_id, company_id, in->email, subject, body);
}

/* A notice in the app (and a mail, as each chose) to every leader, in the
 * filing transaction. */
static bz_rc tell_leaders(struct db *db, int64_t cid, const char *no,
                          const struct online_request_input *in)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LEADERS);
	if (st == NULL)
		return BZ_ERR_DB;
	int64_t ids[64];
	size_t n = 0;
	while (n < BZ_ARRAY_LEN(ids) && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	char title[400], body[600];
	snprintf(title, sizeof(title), "새 온라인 신청 %s: %s", no, in->title);
	snprintf(body, sizeof(body),
	         "%s(이)가 누리집에서 기업애로를 신청했습니다. 담당자를 정해 주세요.",
	         in->company_name);
	for (size_t i = 0; i < n; i++) {
		bz_rc rc = notify_user(db, ids[i], "online", cid, title, body, NULL, NULL, NULL);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

bz_rc online_request_submit(struct db *db, const struct online_request_input *in,
                            const struct online_file *files, size_t nfiles, json_t *fields,
                            char *receipt, int64_t *case_id, bool *replayed)
{
	*replayed = false;
	receipt[0] = '\0';
	bz_rc rc = online_request_check(db, in, fields);
	if (rc != BZ_OK)
		return rc;
	if (nfiles > ONLINE_MAX_FILES) {
		val_field_error(fields, "files", "파일은 5개까지 첨부할 수 있습니다.");
		return BZ_ERR_INVALID;
	}
	char brn[BRN_BARE_SIZE];
	if (brn_parse(in->brn, brn, NULL) != BZ_OK)
		return BZ_ERR_INVALID;
	bool found;
	if ((rc = find_replay(db, in->nonce, brn, receipt, case_id, &found)) != BZ_OK)
		return rc;
	if (found) {
		*replayed = true;
		return BZ_OK;
	}

	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	int64_t company = 0, cid = 0;
	char company_text[24], no[CASE_NO_SIZE], now[24];
	db_now_utc(now);
	if ((rc = company_for(db, brn, in->company_name, &company)) != BZ_OK)
		goto fail;
	snprintf(company_text, sizeof(company_text), "%lld", (long long)company);
	/* The public files no case as a user: no one is recorded as its author. */
	struct user door = {.id = 0, .role = ROLE_STAFF};
	bz_strlcpy(door.name, "온라인 신청", sizeof(door.name));
	struct case_input ci = {.company_id = company_text,
	                        .channel = "online",
	                        .category_id = in->category_id,
	                        .title = in->title,
	                        .description = in->description,
	                        .request = in->request};
	json_t *cf = json_object();
	rc = case_create(db, &door, &ci, cf, &cid, no);
	if (rc == BZ_ERR_INVALID)
		json_object_update(fields, cf);
	json_decref(cf);
	if (rc != BZ_OK)
		goto fail;
	for (size_t i = 0; i < nfiles; i++) {
		sqlite3_stmt *st = db_stmt(db, SQL_ATTACH);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto fail;
		}
		db_bind_int(st, 1, cid);
		db_bind_text(st, 2, now);
		db_bind_text(st, 3, files[i].filename);
		db_bind_text(st, 4, files[i].content_type);
		db_bind_int(st, 5, files[i].size);
		db_bind_text(st, 6, files[i].sha256);
		db_bind_text(st, 7, files[i].stored_path);
		if ((rc = step(db, st, "online attachment")) != BZ_OK)
			goto fail;
		if ((rc = db_event_add(db, EVENT_CASE, cid, now, 0, "attachment", NULL, NULL,
		                       files[i].filename, "온라인 신청 첨부")) != BZ_OK)
			goto fail;
	}
	/* a receipt number that is free: 60 random bits make a clash rare */
	rc = BZ_ERR_CONSTRAINT;
	for (int attempt = 0; attempt < 5 && rc == BZ_ERR_CONSTRAINT; attempt++) {
		online_receipt_new(receipt);
		sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto fail;
		}
		db_bind_int(st, 1, cid);
		db_bind_text(st, 2, receipt);
		db_bind_text(st, 3, in->nonce);
		db_bind_text(st, 4, brn);
		db_bind_text(st, 5, in->company_name);
		db_bind_text(st, 6, in->contact_name);
		db_bind_text(st, 7, in->phone);
		db_bind_text(st, 8, val_blank(in->email) ? NULL : in->email);
		db_bind_text(st, 9, now);
		db_bind_text(st, 10, ONLINE_PRIVACY_NOTICE);
		db_bind_int(st, 11, in->contact_consent ? 1 : 0);
		db_bind_text(st, 12, in->remote && *in->remote ? in->remote : NULL);
		rc = step(db, st, "online request");
	}
	if (rc != BZ_OK)
		goto fail;
	if ((rc = db_event_add(db, EVENT_CASE, cid, now, 0, "online", NULL, NULL, NULL,
	                       "기업이 누리집에서 직접 신청")) != BZ_OK)
		goto fail;
	if (!val_blank(in->email)) {
		char due[DATE_TEXT_SIZE] = "";
		sqlite3_stmt *st = db_stmt(db, SQL_RECEIPT);
		if (st == NULL) {
			rc = BZ_ERR_DB;
			goto fail;
		}
		db_bind_text(st, 1, receipt);
		if (sqlite3_step(st) == SQLITE_ROW)
			bz_strlcpy(due, (const char *)sqlite3_column_text(st, 5), sizeof(due));
		sqlite3_reset(st);
		if ((rc = receipt_mail(db, in, cid, company, receipt, due)) != BZ_OK)
			goto fail;
	}
	if ((rc = tell_leaders(db, cid, no, in)) != BZ_OK)
		goto fail;
	if ((rc = db_commit(db)) != BZ_OK)
		goto fail;
	if (case_id)
		*case_id = cid;
	return BZ_OK;
fail:
	db_rollback(db);
	receipt[0] = '\0';
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
}

/* ---- reading ------------------------------------------------------------ */

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static const char *label_or(const char *label, const char *fallback)
{
	return label ? label : fallback;
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() : json_string(col(st, i));
}

bz_rc online_request_status(struct db *db, const char *receipt_in, const char *brn_in, json_t **out)
{
	*out = NULL;
	char receipt[RECEIPT_NO_SIZE], brn[BRN_BARE_SIZE] = "";
	bool rok = online_receipt_normalize(receipt_in, receipt);
	if (brn_normalize(brn_in, brn, NULL) != BZ_OK)
		brn[0] = '\0';
	/* the same lookup whatever was typed, so time tells nothing either */
	sqlite3_stmt *st = db_stmt(db, SQL_STATUS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, rok ? receipt : "----");
	int src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "status");
	}
	char stored[BRN_BARE_SIZE];
	bz_strlcpy(stored, col(st, 0), sizeof(stored));
	/* both are 10 digits when they can match; compare without a shortcut */
	bool match = strlen(brn) == BRN_DIGITS && sodium_memcmp(stored, brn, BRN_DIGITS) == 0;
	if (!match) {
		sqlite3_reset(st);
		return BZ_ERR_NOTFOUND;
	}
	int64_t cid = sqlite3_column_int64(st, 3);
	const char *status = col(st, 6);
	bool merged = sqlite3_column_type(st, 14) != SQLITE_NULL;
	bool done = strcmp(status, "done") == 0;
	const char *outcome = col(st, 9);
	json_t *m = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "receipt_no", col(st, 1),
	    "company_name", col(st, 2), "title", col(st, 4), "category", col(st, 5), "status",
	    status, "status_label",
	    merged ? "다른 신청과 함께 처리 중" : label_or(case_label("status", status), status),
	    "received_on", col(st, 7), "due_on", col(st, 8), "done", done && !merged, "merged",
	    merged, "open", case_status_open(status) && !merged);
	if (m == NULL) {
		sqlite3_reset(st);
		return BZ_ERR_NOMEM;
	}
	if (done && !merged) {
		json_object_set_new(m, "outcome_label",
		                    json_string(label_or(case_label("outcome", outcome), "")));
		json_object_set_new(m, "outcome_reason", col_json(st, 10));
		json_object_set_new(m, "closed_on", col_json(st, 11));
	}
	if (strcmp(status, "transferred") == 0 && !merged) {
		json_object_set_new(m, "transfer_to", col_json(st, 12));
		json_object_set_new(m, "transfer_on", col_json(st, 13));
	}
	sqlite3_reset(st);
	json_t *answers = json_array();
	if ((st = db_stmt(db, SQL_SHARED_NOTES)) == NULL) {
		json_decref(m);
		json_decref(answers);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, cid);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		char at[32];
		fmt_instant_kst(col(st, 0), at, sizeof(at));
		json_array_append_new(answers, json_pack("{s:s, s:s, s:s}", "at", col(st, 0),
		                                         "at_text", at, "body", col(st, 1)));
	}
	sqlite3_reset(st);
	json_object_set_new(m, "answers", answers);
	if (src != SQLITE_DONE) {
		json_decref(m);
		return db_rc(db, src, "shared notes");
	}
	*out = m;
	return BZ_OK;
}

bz_rc online_request_receipt(struct db *db, const char *receipt, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_RECEIPT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, receipt);
	int src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "receipt");
	}
	char at[32];
	fmt_instant_kst(col(st, 4), at, sizeof(at));
	int64_t cid = sqlite3_column_int64(st, 7);
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:[]}", "receipt_no", col(st, 0),
	                      "company_name", col(st, 1), "title", col(st, 2), "category",
	                      col(st, 3), "received_at_text", at, "due_on", col(st, 5),
	                      "email_queued", sqlite3_column_type(st, 6) != SQLITE_NULL, "files");
	sqlite3_reset(st);
	if (m == NULL)
		return BZ_ERR_NOMEM;
	if ((st = db_stmt(db, SQL_FILES)) == NULL) {
		json_decref(m);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, cid);
	json_t *files = json_object_get(m, "files");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(files, json_string(col(st, 0)));
	sqlite3_reset(st);
	*out = m;
	return BZ_OK;
}

bz_rc online_request_for_case(struct db *db, const struct user *actor, int64_t case_id,
                              const char *remote, json_t **out)
{
	*out = NULL;
	if (actor->role == ROLE_DEPARTMENT)
		return BZ_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_FOR_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, case_id);
	int src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_OK : db_rc(db, src, "online for case");
	}
	char at[32], brn_text[BRN_FMT_SIZE];
	fmt_instant_kst(col(st, 5), at, sizeof(at));
	if (brn_format(col(st, 9), brn_text, sizeof(brn_text)) != BZ_OK)
		bz_strlcpy(brn_text, col(st, 9), sizeof(brn_text));
	int64_t company = sqlite3_column_int64(st, 8);
	json_t *m = json_pack(
	    "{s:s, s:s, s:s, s:o, s:b, s:s, s:s, s:b, s:I, s:s, s:[]}", "receipt_no", col(st, 0),
	    "contact_name", col(st, 1), "phone", col(st, 2), "email", col_json(st, 3),
	    "contact_consent", sqlite3_column_int(st, 4) != 0, "privacy_consent_at_text", at,
	    "company_name", col(st, 6), "company_unconfirmed", sqlite3_column_int(st, 7) != 0,
	    "company_id", (json_int_t)company, "brn_text", brn_text, "mails");
	sqlite3_reset(st);
	if (m == NULL)
		return BZ_ERR_NOMEM;
	if ((st = db_stmt(db, SQL_MAILS_FOR_CASE)) == NULL) {
		json_decref(m);
		return BZ_ERR_DB;
	}
	db_bind_int(st, 1, case_id);
	json_t *mails = json_object_get(m, "mails");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char created[32];
		fmt_instant_kst(col(st, 2), created, sizeof(created));
		bool sent = sqlite3_column_type(st, 3) != SQLITE_NULL;
		json_array_append_new(
		    mails,
		    json_pack("{s:s, s:s, s:s, s:b}", "kind_label",
		              strcmp(col(st, 0), "receipt") == 0 ? "접수 확인" : "만족도 조사",
		              "to_addr", col(st, 1), "created_text", created, "sent", sent));
	}
	sqlite3_reset(st);
	/* 개인정보 접속기록: this user saw the requester's contact in full */
	if (actor->id > 0) {
		char what[48], subject[160];
		snprintf(what, sizeof(what), "requester:case:%lld", (long long)case_id);
		snprintf(subject, sizeof(subject), "%s 온라인 신청인",
		         json_string_value(json_object_get(m, "company_name")));
		bz_rc rc = privacy_log(db, &(struct privacy_entry){.user_id = actor->id,
		                                                   .remote = remote,
		                                                   .action = PRIVACY_VIEW,
		                                                   .subject_kind = "request",
		                                                   .subject_id = case_id,
		                                                   .subject = subject,
		                                                   .company_id = company,
		                                                   .what = what});
		if (rc != BZ_OK) {
			json_decref(m);
			return rc;
		}
	}
	*out = m;
	return BZ_OK;
}

bz_rc online_request_waiting(struct db *db, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_WAITING);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		char at[32];
		fmt_instant_kst(col(st, 4), at, sizeof(at));
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "case_id",
		                                   (json_int_t)sqlite3_column_int64(st, 0),
		                                   "case_no", col(st, 1), "company", col(st, 2),
		                                   "title", col(st, 3), "received_text", at,
		                                   "unconfirmed", sqlite3_column_int(st, 5) != 0));
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, "online waiting");
	}
	*out = a;
	return BZ_OK;
}

bz_rc online_company_confirm(struct db *db, const struct user *actor, int64_t company_id)
{
	if (!(actor->role & (ROLE_STAFF | ROLE_LEADER | ROLE_ADMIN)))
		return BZ_ERR_FORBIDDEN;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CONFIRM_GET);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, company_id);
	int src = sqlite3_step(st);
	int unconfirmed = src == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	if (src != SQLITE_ROW) {
		rc = src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "confirm get");
		goto out;
	}
	if (!unconfirmed) {
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	if ((st = db_stmt(db, SQL_CONFIRM_SET)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, now);
	if ((rc = step(db, st, "confirm set")) != BZ_OK)
		goto out;
	if ((rc = db_event_add(db, EVENT_COMPANY, company_id, now, actor->id, "update",
	                       "unconfirmed", "미확인", "확인", NULL)) != BZ_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
