/* Telling the company the result (see include/bizsos/result_notice.h). */
#include "bizsos/result_notice.h"
#include "bizsos/buf.h"
#include "bizsos/mustache.h"
#include "bizsos/notify.h"
#include "bizsos/outbox.h"
#include "bizsos/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	bool sms_on;
	char sender[64];
} settings;

void result_notice_configure(bool sms_on, const char *sms_sender)
{
	settings.sms_on = sms_on;
	bz_strlcpy(settings.sender, sms_sender ? sms_sender : "", sizeof(settings.sender));
}

static const char SQL_CONTACT[] =
    "SELECT ct.name, coalesce(ct.email, ''), coalesce(ct.phone, ''), coalesce(cc.email, 0), "
    "coalesce(cc.sms, 0), ct.company_id FROM company_contact ct "
    "LEFT JOIN contact_consent cc ON cc.contact_id = ct.id "
    "WHERE ct.id = ?1 AND ct.retired_at IS NULL";
static const char SQL_CONSENT_SET[] =
    "INSERT INTO contact_consent (contact_id, email, sms, recorded_at, recorded_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (contact_id) DO UPDATE SET email = ?2, sms = ?3, "
    "recorded_at = ?4, recorded_by = ?5";
static const char SQL_CONSENT_GET[] =
    "SELECT coalesce(email, 0), coalesce(sms, 0) FROM contact_consent WHERE contact_id = ?1";
static const char SQL_OPTIONS[] =
    "SELECT ct.id, ct.name, coalesce(ct.email, ''), coalesce(ct.phone, ''), cc.email, cc.sms "
    "FROM company_contact ct JOIN contact_consent cc ON cc.contact_id = ct.id "
    "JOIN sos_case s ON s.company_id = ct.company_id WHERE s.id = ?1 AND ct.retired_at IS NULL "
    "ORDER BY ct.id";
static const char SQL_TEMPLATE[] =
    "SELECT name, subject, body, updated_at FROM message_template WHERE name = ?1";
static const char SQL_TEMPLATE_SET[] =
    "UPDATE message_template SET subject = ?2, body = ?3, updated_at = ?4, "
    "updated_by = ?5 "
    "WHERE name = ?1";
static const char SQL_CASE[] =
    "SELECT s.case_no, s.title, s.received_on, c.name, s.company_id, coalesce(s.outcome, ''), "
    "coalesce(s.outcome_reason, ''), coalesce(s.notified_method, '') FROM sos_case s "
    "JOIN company c ON c.id = s.company_id WHERE s.id = ?1";
static const char SQL_SHARED_NOTES[] =
    "SELECT body FROM case_note WHERE case_id = ?1 AND shared = 1 ORDER BY id";

static void col_copy(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	bz_strlcpy(out, t ? (const char *)t : "", outlen);
}

struct contact {
	char name[256], email[256], phone[64];
	bool consent_email, consent_sms;
	int64_t company_id;
};

static bool contact_load(struct db *db, int64_t id, struct contact *c)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONTACT);
	if (st == NULL)
		return false;
	db_bind_int(st, 1, id);
	bool ok = db_step(st) == SQLITE_ROW;
	if (ok) {
		col_copy(st, 0, c->name, sizeof(c->name));
		col_copy(st, 1, c->email, sizeof(c->email));
		col_copy(st, 2, c->phone, sizeof(c->phone));
		c->consent_email = sqlite3_column_int(st, 3) != 0;
		c->consent_sms = sqlite3_column_int(st, 4) != 0;
		c->company_id = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return ok;
}

bz_rc result_notice_consent(struct db *db, int64_t actor_id, int64_t company_id, int64_t contact_id,
                            bool email, bool sms)
{
	struct contact c;
	if (!contact_load(db, contact_id, &c) || c.company_id != company_id)
		return BZ_ERR_NOTFOUND;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_CONSENT_SET);
	if (st == NULL)
		rc = BZ_ERR_DB;
	else {
		db_bind_int(st, 1, contact_id);
		db_bind_int(st, 2, email);
		db_bind_int(st, 3, sms);
		db_bind_text(st, 4, now);
		if (actor_id > 0)
			db_bind_int(st, 5, actor_id);
		rc = db_rc(db, db_step(st), "consent");
		sqlite3_reset(st);
	}
	char object[48];
	snprintf(object, sizeof(object), "contact:%lld", (long long)contact_id);
	if (rc == BZ_OK)
		rc = audit_log_json(db, actor_id, "contact.consent", object,
		                    json_pack("{s:I, s:b, s:b}", "company", (json_int_t)company_id,
		                              "email", email, "sms", sms));
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

bz_rc result_notice_decorate_contacts(struct db *db, json_t *contacts)
{
	size_t i;
	json_t *c;
	json_array_foreach(contacts, i, c)
	{
		sqlite3_stmt *st = db_stmt(db, SQL_CONSENT_GET);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, json_integer_value(json_object_get(c, "id")));
		bool e = false, s = false;
		if (db_step(st) == SQLITE_ROW) {
			e = sqlite3_column_int(st, 0) != 0;
			s = sqlite3_column_int(st, 1) != 0;
		}
		sqlite3_reset(st);
		json_object_set_new(c, "consent_email", json_boolean(e));
		json_object_set_new(c, "consent_sms", json_boolean(s));
		json_object_set_new(c, "consent_any", json_boolean(e || s));
	}
	return BZ_OK;
}

/* Masked for the case page (the full address is on the company page, whose
 * views are in the access log): k***@example.kr, ***-5678. */
static void mask_email(const char *e, char *out, size_t outlen)
{
	const char *at = strchr(e, '@');
	if (at == NULL || at == e)
		snprintf(out, outlen, "***");
	else
		snprintf(out, outlen, "%c***%s", e[0], at);
}

static void mask_phone(const char *p, char *out, size_t outlen)
{
	size_t n = strlen(p);
	snprintf(out, outlen, "***-%s", n > 4 ? p + n - 4 : p);
}

bz_rc result_notice_options(struct db *db, int64_t case_id, json_t **out)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OPTIONS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, case_id);
	json_t *a = json_array();
	while (db_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		char name[256], email[256], phone[64], value[48], label[700], masked[300];
		col_copy(st, 1, name, sizeof(name));
		col_copy(st, 2, email, sizeof(email));
		col_copy(st, 3, phone, sizeof(phone));
		if (sqlite3_column_int(st, 4) && email[0]) {
			snprintf(value, sizeof(value), "email:%lld", (long long)id);
			mask_email(email, masked, sizeof(masked));
			snprintf(label, sizeof(label), "%s에게 이메일로 (%s)", name, masked);
			json_array_append_new(
			    a, json_pack("{s:s, s:s}", "value", value, "label", label));
		}
		if (settings.sms_on && sqlite3_column_int(st, 5) && phone[0]) {
			snprintf(value, sizeof(value), "sms:%lld", (long long)id);
			mask_phone(phone, masked, sizeof(masked));
			snprintf(label, sizeof(label), "%s에게 문자로 (%s)", name, masked);
			json_array_append_new(
			    a, json_pack("{s:s, s:s}", "value", value, "label", label));
		}
	}
	sqlite3_reset(st);
	*out = a;
	return BZ_OK;
}

/* ---- templates ---- */

static bool known_template(const char *name)
{
	return name && (strcmp(name, "case_result") == 0 || strcmp(name, "sms_gateway") == 0);
}

bz_rc result_notice_template(struct db *db, const char *name, json_t **out)
{
	if (!known_template(name))
		return BZ_ERR_NOTFOUND;
	sqlite3_stmt *st = db_stmt(db, SQL_TEMPLATE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, name);
	bz_rc rc = BZ_ERR_NOTFOUND;
	if (db_step(st) == SQLITE_ROW) {
		/* subject is optional (a text message has none): JSON null when absent */
		*out = json_pack(
		    "{s:s, s:o, s:s, s:s}", "name", (const char *)sqlite3_column_text(st, 0),
		    "subject", db_col_json(st, 1), "body", (const char *)sqlite3_column_text(st, 2),
		    "updated_at", (const char *)sqlite3_column_text(st, 3));
		rc = *out ? BZ_OK : BZ_ERR_NOMEM;
	}
	sqlite3_reset(st);
	return rc;
}

/* Undoes the renderer's HTML escaping: the messages are plain text or JSON. */
static void unescape(char *s)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
	char *w = s;
	for (const char *r = s; *r;) {
		bool done = false;
		if (*r == '&')
			for (size_t i = 0; i < BZ_ARRAY_LEN(ents) && !done; i++) {
				size_t n = strlen(ents[i].ent);
				if (strncmp(r, ents[i].ent, n) == 0) {
					*w++ = ents[i].c;
					r += n;
					done = true;
				}
			}
		if (!done)
			*w++ = *r++;
	}
	*w = '\0';
}

/* Each string of data (recursively) JSON-escaped, without the quotes: for a
 * JSON template that puts "{{x}}" between quotes. */
static void json_escape_strings(json_t *v)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		void *tmp;
		json_object_foreach_safe(v, tmp, k, x)
		{
			if (json_is_string(x)) {
				char *d = json_dumps(x, JSON_ENCODE_ANY);
				if (d) {
					size_t n = strlen(d);
					d[n - 1] = '\0';
					json_object_set_new(v, k, json_string(d + 1));
					free(d);
				}
			} else {
				json_escape_strings(x);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			if (json_is_string(x)) {
				char *d = json_dumps(x, JSON_ENCODE_ANY);
				if (d) {
					d[strlen(d) - 1] = '\0';
					json_array_set_new(v, i, json_string(d + 1));
					free(d);
				}
			} else {
				json_escape_strings(x);
			}
		}
	}
}

/* Renders src with data into a fresh string (caller frees); NULL and a Korean
 * message in err when it does not compile. */
static char *render(const char *src, json_t *data, char *err, size_t errlen)
{
	struct tpl *t = NULL;
	char cerr[200] = "";
	if (tpl_compile(src, strlen(src), &t, cerr, sizeof(cerr)) != BZ_OK) {
		snprintf(err, errlen, "템플릿 문법 오류: %s", cerr);
		return NULL;
	}
	struct buf b;
	buf_init(&b, 256 * 1024);
	bz_rc rc = tpl_render(t, data, NULL, NULL, &b);
	tpl_free(t);
	char *s = rc == BZ_OK ? buf_detach(&b, NULL) : NULL;
	buf_free(&b);
	if (s == NULL) {
		snprintf(err, errlen, "템플릿을 채우지 못했습니다(너무 깁니다).");
		return NULL;
	}
	unescape(s);
	return s;
}

static json_t *sample_data(void)
{
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:[s, s], s:s, s:s, s:s}", "contact",
	    "김담당", "company", "한빛정밀(주)", "case_no", "SOS-2025-0007", "title",
	    "공장 증축 인허가 지연", "received_on", "2025-06-02", "outcome", "일부수용",
	    "outcome_reason", "관련 법령상 증축 면적 일부만 허용됩니다.", "has_answers", 1,
	    "answers", "건축과: 증축 허가 신청서를 보완하면 2주 안에 처리합니다.",
	    "도로과: 진입로 점용 허가는 별도 신청이 필요합니다.", "phone", "010-1234-5678",
	    "sender", "031-000-0000", "key", "0123456789abcdef0123456789abcdef");
}

/* Renders the pair for data: *subject and *body (caller frees). */
static bz_rc render_pair(const char *name, const char *subject, const char *body, json_t *data,
                         char **subject_out, char **body_out, json_t *fields)
{
	*subject_out = *body_out = NULL;
	bool gateway = strcmp(name, "sms_gateway") == 0;
	char err[512];
	json_t *d = json_deep_copy(data);
	if (gateway)
		json_escape_strings(d);
	char *s = gateway ? strdup("") : render(subject ? subject : "", d, err, sizeof(err));
	if (s == NULL)
		json_object_set_new(fields, "subject", json_string(err));
	char *b = render(body ? body : "", d, err, sizeof(err));
	json_decref(d);
	if (b == NULL)
		json_object_set_new(fields, "body", json_string(err));
	else if (gateway) {
		json_error_t je;
		json_t *j = json_loads(b, 0, &je);
		if (!json_is_object(j)) {
			snprintf(err, sizeof(err),
			         "채운 결과가 JSON 객체가 아닙니다(%d번째 줄: %s). 따옴표와 쉼표를 "
			         "확인해 주세요.",
			         je.line, je.text);
			json_object_set_new(fields, "body", json_string(err));
		}
		json_decref(j);
	} else if (s && strchr(s, '\n')) {
		json_object_set_new(fields, "subject", json_string("제목은 한 줄이어야 합니다."));
	}
	if (json_object_size(fields) > 0) {
		free(s);
		free(b);
		return BZ_ERR_INVALID;
	}
	*subject_out = s;
	*body_out = b;
	return BZ_OK;
}

bz_rc result_notice_preview(const char *name, const char *subject, const char *body, json_t **out,
                            json_t *fields)
{
	if (!known_template(name))
		return BZ_ERR_NOTFOUND;
	if (body == NULL || *body == '\0' || strlen(body) > 20000)
		json_object_set_new(fields, "body",
		                    json_string("본문을 20,000자 안에서 입력해 주세요."));
	if (subject && strlen(subject) > 300)
		json_object_set_new(fields, "subject", json_string("제목은 300자까지입니다."));
	if ((body && !bz_utf8_valid(body, strlen(body))) ||
	    (subject && !bz_utf8_valid(subject, strlen(subject))))
		json_object_set_new(fields, "body", json_string("글자를 읽을 수 없습니다."));
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	json_t *data = sample_data();
	char *s, *b;
	bz_rc rc = render_pair(name, subject, body, data, &s, &b, fields);
	json_decref(data);
	if (rc != BZ_OK)
		return rc;
	*out = json_pack("{s:s, s:s}", "subject", s, "body", b);
	free(s);
	free(b);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bz_rc result_notice_template_save(struct db *db, int64_t actor_id, const char *name,
                                  const char *subject, const char *body, json_t *fields)
{
	json_t *pv = NULL;
	bz_rc rc = result_notice_preview(name, subject, body, &pv, fields);
	json_decref(pv);
	if (rc != BZ_OK)
		return rc;
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	sqlite3_stmt *st = db_stmt(db, SQL_TEMPLATE_SET);
	if (st == NULL)
		rc = BZ_ERR_DB;
	else {
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, subject ? subject : "");
		db_bind_text(st, 3, body);
		db_bind_text(st, 4, now);
		if (actor_id > 0)
			db_bind_int(st, 5, actor_id);
		rc = db_rc(db, db_step(st), "template save");
		sqlite3_reset(st);
	}
	char object[80];
	snprintf(object, sizeof(object), "template:%s", name);
	if (rc == BZ_OK)
		rc = audit_log(db, actor_id, "template.save", object, NULL);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}

/* ---- completing with the notice ---- */

/* The case's data for the templates (after completion). */
static json_t *case_data(struct db *db, int64_t id, const struct contact *c, int64_t *company)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CASE);
	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *d = NULL;
	if (db_step(st) == SQLITE_ROW) {
		const char *outcome = (const char *)sqlite3_column_text(st, 5);
		const char *label = case_label("outcome", outcome ? outcome : "");
		const char *reason = (const char *)sqlite3_column_text(st, 6);
		d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "case_no",
		              (const char *)sqlite3_column_text(st, 0), "title",
		              (const char *)sqlite3_column_text(st, 1), "received_on",
		              (const char *)sqlite3_column_text(st, 2), "company",
		              (const char *)sqlite3_column_text(st, 3), "outcome",
		              label ? label : "", "contact", c->name, "phone", c->phone, "sender",
		              settings.sender);
		if (d && reason && *reason)
			json_object_set_new(d, "outcome_reason", json_string(reason));
		*company = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (d == NULL)
		return NULL;
	json_t *answers = json_array();
	if ((st = db_stmt(db, SQL_SHARED_NOTES)) != NULL) {
		db_bind_int(st, 1, id);
		while (db_step(st) == SQLITE_ROW)
			json_array_append_new(
			    answers, json_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_reset(st);
	}
	json_object_set_new(d, "has_answers", json_boolean(json_array_size(answers) > 0));
	json_object_set_new(d, "answers", answers);
	return d;
}

bz_rc result_notice_complete(struct db *db, const struct user *actor, int64_t id, int64_t version,
                             const struct case_status_input *in, const char *how, json_t *fields,
                             char *msg, size_t msglen)
{
	bool by_mail = how && strncmp(how, "email:", 6) == 0;
	bool by_sms = how && strncmp(how, "sms:", 4) == 0;
	int64_t contact_id = by_mail ? case_parse_id(how + 6) : by_sms ? case_parse_id(how + 4) : 0;
	struct contact c;
	int64_t company = 0;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *pre = NULL;
	bool ok = contact_id > 0 && contact_load(db, contact_id, &c);
	if (ok)
		pre = case_data(db, id, &c, &company);
	sqlite3_stmt *st = db_stmt(db, SQL_CASE);
	char method[16] = "";
	if (st) {
		db_bind_int(st, 1, id);
		if (db_step(st) == SQLITE_ROW)
			col_copy(st, 7, method, sizeof(method));
		sqlite3_reset(st);
	}
	json_decref(pre);
	if (!ok || company != c.company_id ||
	    (by_mail && (!c.consent_email || c.email[0] == '\0')) ||
	    (by_sms && (!c.consent_sms || c.phone[0] == '\0' || !settings.sms_on)))
		json_object_set_new(fields, "result_contact",
		                    json_string("결과를 알릴 담당자를 목록에서 골라 주세요. 통지에 "
		                                "동의하고 주소(이메일·휴대전화)가 있는 담당자만 "
		                                "고를 수 있습니다."));
	else if (method[0])
		json_object_set_new(fields, "result_contact",
		                    json_string("이 사건에는 이미 기업 통보가 기록되어 있습니다."));
	if (json_object_size(fields) > 0) {
		db_rollback(db);
		return BZ_ERR_INVALID;
	}
	struct case_status_input mine = *in;
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	mine.to = "done";
	mine.notified_method = by_mail ? "email" : "sms";
	mine.notified_on = today;
	rc = case_set_status(db, actor, id, version, &mine, fields, msg, msglen);
	if (rc != BZ_OK) {
		db_rollback(db);
		return rc;
	}
	json_t *data = case_data(db, id, &c, &company);
	json_t *tpl = NULL;
	rc = data ? result_notice_template(db, by_mail ? "case_result" : "sms_gateway", &tpl)
	          : BZ_ERR_DB;
	char *subject = NULL, *body = NULL;
	char key[OUTBOX_KEY_SIZE];
	outbox_new_key(key);
	if (rc == BZ_OK) {
		json_object_set_new(data, "key", json_string(key));
		json_t *tf = json_object();
		rc = render_pair(json_string_value(json_object_get(tpl, "name")),
		                 json_string_value(json_object_get(tpl, "subject")),
		                 json_string_value(json_object_get(tpl, "body")), data, &subject,
		                 &body, tf);
		if (rc != BZ_OK)
			snprintf(msg, msglen,
			         "통지 템플릿이 잘못되어 보내지 못했습니다. 관리자에게 "
			         "템플릿을 고쳐 달라고 해 주세요.");
		json_decref(tf);
		if (rc == BZ_ERR_INVALID)
			rc = BZ_ERR_CONFLICT;
	}
	if (rc == BZ_OK && by_mail) {
		/* the office's signature and nothing else: no link into the system */
		rc = outbox_add(db, "email", c.email, "case_result", subject, body, id, key);
	} else if (rc == BZ_OK) {
		rc = outbox_add(db, "webhook", "sms", "case_result.sms", "", body, id, key);
	}
	free(subject);
	free(body);
	json_decref(tpl);
	json_decref(data);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc;
}
