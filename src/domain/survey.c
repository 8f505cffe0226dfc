/* Satisfaction surveys: one-time links, answers, rounds per period and the
 * averages the dashboard and the progress page show. */
#include "bizsos/survey.h"
#include "bizsos/comm.h"
#include "bizsos/link.h"
#include "bizsos/online_request.h"
#include "bizsos/store.h"
#include "bizsos/validate.h"
#include "bizsos/kst.h"
#include "bizsos/workday.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL ---------------------------------------------------------------- */

static const char SQL_CASE[] = "SELECT s.status, s.company_id, s.title, s.merged_into, "
                               "(SELECT o.email FROM online_request o WHERE o.case_id = s.id) "
                               "FROM sos_case s WHERE s.id = ?1";
static const char SQL_CASE_INVITES[] =
    "SELECT answered_at IS NOT NULL, expires_at FROM survey_invite WHERE case_id = ?1 "
    "ORDER BY id DESC";
static const char SQL_INVITE_ADD[] =
    "INSERT INTO survey_invite (token_hash, company_id, case_id, round_id, email, created_by, "
    "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_BY_TOKEN[] =
    "SELECT i.id, i.expires_at, i.answered_at, c.name, "
    "coalesce(s.title, r.title), i.case_id IS NOT NULL "
    "FROM survey_invite i JOIN company c ON c.id = i.company_id "
    "LEFT JOIN sos_case s ON s.id = i.case_id LEFT JOIN survey_round r ON r.id = i.round_id "
    "WHERE i.token_hash = ?1";
static const char SQL_ANSWER[] =
    "UPDATE survey_invite SET answered_at = ?2, speed = ?3, kindness = ?4, resolution = ?5, "
    "comment = ?6 WHERE id = ?1 AND answered_at IS NULL";
static const char SQL_ROUND_EXISTS[] =
    "SELECT 1 FROM survey_round WHERE period_first = ?1 AND period_last = ?2";
/* Companies served in [?1, ?2]: a case completed, or an activity (visit,
 * meeting) with the company, in the period; with the email to write to: the
 * latest online request that agreed to be contacted, else the first contact. */
static const char SQL_SERVED[] =
    "SELECT c.id, c.name, coalesce("
    " (SELECT o.email FROM online_request o JOIN sos_case s2 ON s2.id = o.case_id"
    "  WHERE s2.company_id = c.id AND o.email IS NOT NULL AND o.contact_consent = 1"
    "  ORDER BY o.id DESC LIMIT 1),"
    " (SELECT k.email FROM company_contact k WHERE k.company_id = c.id"
    "  AND k.retired_at IS NULL AND k.email IS NOT NULL AND k.email <> '' ORDER BY k.id LIMIT 1)) "
    "FROM company c WHERE c.retired_at IS NULL AND c.id IN ("
    " SELECT s.company_id FROM sos_case s WHERE s.status = 'done' AND s.merged_into IS NULL"
    "  AND s.closed_on BETWEEN ?1 AND ?2"
    " UNION SELECT ac.company_id FROM activity_company ac JOIN activity a ON a.id = ac.activity_id"
    "  WHERE a.retired_at IS NULL AND a.held_on BETWEEN ?1 AND ?2) "
    "ORDER BY c.name, c.id";
static const char SQL_ROUND_ADD[] =
    "INSERT INTO survey_round (title, period_first, period_last, comm_entry_id, opened_by, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_ROUNDS[] =
    "SELECT r.id, r.title, r.period_first, r.period_last, r.created_at, "
    "(SELECT count(*) FROM survey_invite i WHERE i.round_id = r.id), "
    "(SELECT count(answered_at) FROM survey_invite i WHERE i.round_id = r.id) "
    "FROM survey_round r ORDER BY r.created_at DESC, r.id DESC";
static const char SQL_STATS[] =
    "SELECT CAST(substr(d, 1, 4) AS INTEGER) AS y, (CAST(substr(d, 6, 2) AS INTEGER) + 2) / 3 "
    "AS q, count(*), count(answered_at), coalesce(sum(speed), 0), coalesce(sum(kindness), 0), "
    "coalesce(sum(resolution), 0) FROM (SELECT date(created_at, '+9 hours') AS d, answered_at, "
    "speed, kindness, resolution FROM survey_invite) WHERE d BETWEEN ?1 AND ?2 "
    "GROUP BY y, q ORDER BY y, q";
static const char SQL_FOR_CASE[] =
    "SELECT created_at, expires_at, answered_at, speed, kindness, resolution, comment, email "
    "FROM survey_invite WHERE case_id = ?1 ORDER BY id DESC";

/* ---- helpers ------------------------------------------------------------ */

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static bz_rc step(struct db *db, sqlite3_stmt *st, const char *what)
{
	bz_rc rc = db_rc(db, sqlite3_step(st), what);
	sqlite3_reset(st);
	return rc;
}

void survey_avg_text(int64_t sum, int64_t count, char *out, size_t outlen)
{
	if (count <= 0) {
		bz_strlcpy(out, "–", outlen);
		return;
	}
	int64_t tenths = (sum * 20 + count) / (count * 2); /* sum / count in tenths, half up */
	int n =
	    snprintf(out, outlen, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
	if (n < 0 || (size_t)n >= outlen)
		bz_strlcpy(out, "–", outlen);
}

/* answered / sent as "62.5%" (tenths, half up); "–" when nothing was sent. */
static void rate_text(int64_t answered, int64_t sent, char *out, size_t outlen)
{
	if (sent <= 0) {
		bz_strlcpy(out, "–", outlen);
		return;
	}
	int64_t tenths = (answered * 2000 + sent) / (sent * 2);
	int n = snprintf(out, outlen, "%lld.%lld%%", (long long)(tenths / 10),
	                 (long long)(tenths % 10));
	if (n < 0 || (size_t)n >= outlen)
		bz_strlcpy(out, "–", outlen);
}

static void token_new(char token[SURVEY_TOKEN_SIZE], char hash[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, SURVEY_TOKEN_SIZE, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hash, 65, h, sizeof(h));
}

/* The hash of a token as typed; false if it cannot be one of ours. */
static bool token_hash(const char *token, char hash[65])
{
	if (token == NULL || strlen(token) != SURVEY_TOKEN_SIZE - 1)
		return false;
	for (const char *p = token; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hash, 65, h, sizeof(h));
	return true;
}

static void expiry(char out[24])
{
	db_format_utc(db_time() + (time_t)SURVEY_DAYS * 86400, out);
}

static void today_text(char out[DATE_TEXT_SIZE])
{
	date_format(date_from_unix_kst((int64_t)db_time()), out, DATE_TEXT_SIZE);
}

static bz_rc invite_add(struct db *db, const char *hash, int64_t company, int64_t case_id,
                        int64_t round_id, const char *email, int64_t actor)
{
	sqlite3_stmt *st = db_stmt(db, SQL_INVITE_ADD);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24], exp[24];
	db_now_utc(now);
	expiry(exp);
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, company);
	if (case_id > 0)
		db_bind_int(st, 3, case_id);
	if (round_id > 0)
		db_bind_int(st, 4, round_id);
	db_bind_text(st, 5, email);
	if (actor > 0)
		db_bind_int(st, 6, actor);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, exp);
	return step(db, st, "survey invite");
}

static bz_rc invite_mail(struct db *db, int64_t case_id, int64_t company, const char *email,
                         const char *about, const char *url)
{
	char subject[200], body[2048], exp[24], exp_day[DATE_TEXT_SIZE];
	expiry(exp);
	date_format(date_from_unix_kst((int64_t)db_time() + (int64_t)SURVEY_DAYS * 86400), exp_day,
	            sizeof(exp_day));
	snprintf(subject, sizeof(subject), "[기업SOS] 만족도 조사에 참여해 주세요");
	snprintf(body, sizeof(body),
	         "기업SOS팀의 도움이 어떠셨는지 알려 주세요.\n\n대상: %s\n\n"
	         "아래 주소에서 신속성, 친절도, 해결 만족도를 1~5점으로 평가하고 의견을 남길 수 "
	         "있습니다(로그인 없음, 한 번만 응답, %s까지).\n%s\n\n기업경제과 기업SOS팀",
	         about, exp_day, url);
	return online_mail_queue(db, "survey", case_id, company, email, subject, body);
}

/* ---- one case ----------------------------------------------------------- */

bz_rc survey_invite_case(struct db *db, const struct user *actor, int64_t case_id,
                         const char *email, char *token, bool *mailed, json_t *fields, char *msg,
                         size_t msglen)
{
	token[0] = '\0';
	*mailed = false;
	if (!(actor->role & (ROLE_STAFF | ROLE_LEADER)))
		return BZ_ERR_FORBIDDEN;
	if (!val_blank(email) && !online_email_ok(email)) {
		val_field_error(fields, "email",
		                "이메일 주소가 올바르지 않습니다. 예: name@example.com");
		return BZ_ERR_INVALID;
	}
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CASE);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, case_id);
	int src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "survey case");
		goto out;
	}
	bool done = strcmp(col(st, 0), "done") == 0 && sqlite3_column_type(st, 3) == SQLITE_NULL;
	int64_t company = sqlite3_column_int64(st, 1);
	char title[CASE_TITLE_CHARS * 4 + 1], to[ONLINE_EMAIL_BYTES + 1];
	bz_strlcpy(title, col(st, 2), sizeof(title));
	bz_strlcpy(to, val_blank(email) ? col(st, 4) : email, sizeof(to));
	sqlite3_reset(st);
	if (!done) {
		snprintf(msg, msglen, "처리가 완료된 사건에만 만족도 조사를 보낼 수 있습니다.");
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	if ((st = db_stmt(db, SQL_CASE_INVITES)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_int(st, 1, case_id);
	char now[24];
	db_now_utc(now);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0)) {
			snprintf(msg, msglen, "이 사건의 만족도 조사에는 이미 응답했습니다.");
			rc = BZ_ERR_CONFLICT;
		} else if (strcmp(col(st, 1), now) > 0) {
			char exp[32];
			fmt_instant_kst(col(st, 1), exp, sizeof(exp));
			snprintf(msg, msglen,
			         "보낸 만족도 조사가 응답을 기다리고 있습니다(%s까지). 기한이 "
			         "지나면 다시 보낼 수 있습니다.",
			         exp);
			rc = BZ_ERR_CONFLICT;
		}
		if (rc != BZ_OK)
			break;
	}
	sqlite3_reset(st);
	if (rc != BZ_OK)
		goto out;
	char hash[65], url[LINK_TEXT_SIZE];
	token_new(token, hash);
	if ((rc = invite_add(db, hash, company, case_id, 0, to[0] ? to : NULL, actor->id)) != BZ_OK)
		goto out;
	link_text_token(url, "survey", token); /* the worker makes it the address */
	if (to[0]) {
		if ((rc = invite_mail(db, case_id, company, to, title, url)) != BZ_OK)
			goto out;
		*mailed = true;
	}
	rc = db_commit(db);
out:
	if (rc != BZ_OK) {
		db_rollback(db);
		token[0] = '\0';
		*mailed = false;
	}
	return rc;
}

/* ---- answering ---------------------------------------------------------- */

/* Loads the invitation of token: id, state. */
static bz_rc load(struct db *db, const char *token, int64_t *id, json_t **out)
{
	char hash[65];
	if (!token_hash(token, hash))
		return BZ_ERR_NOTFOUND;
	sqlite3_stmt *st = db_stmt(db, SQL_BY_TOKEN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, hash);
	int src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		sqlite3_reset(st);
		return src == SQLITE_DONE ? BZ_ERR_NOTFOUND : db_rc(db, src, "survey token");
	}
	char now[24], exp[32], ans[32];
	db_now_utc(now);
	*id = sqlite3_column_int64(st, 0);
	bool answered = sqlite3_column_type(st, 2) != SQLITE_NULL;
	bool expired = !answered && strcmp(col(st, 1), now) <= 0;
	fmt_instant_kst(col(st, 1), exp, sizeof(exp));
	fmt_instant_kst(col(st, 2), ans, sizeof(ans));
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "state",
	                 answered  ? "answered"
	                 : expired ? "expired"
	                           : "open",
	                 "company", col(st, 3), "about", col(st, 4), "expires_text", exp,
	                 "answered_text", answered ? ans : "", "open", !answered && !expired,
	                 "answered", answered, "expired", expired, "about_case",
	                 sqlite3_column_int(st, 5) != 0);
	sqlite3_reset(st);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bz_rc survey_get(struct db *db, const char *token, json_t **out)
{
	int64_t id;
	*out = NULL;
	return load(db, token, &id, out);
}

static int score(const char *s)
{
	return s && s[0] >= '1' && s[0] <= '5' && s[1] == '\0' ? s[0] - '0' : 0;
}

bz_rc survey_answer(struct db *db, const char *token, const char *speed, const char *kindness,
                    const char *resolution, const char *comment, json_t *fields)
{
	int64_t id;
	json_t *s = NULL;
	bz_rc rc = load(db, token, &id, &s);
	if (rc != BZ_OK)
		return rc;
	const char *state = json_string_value(json_object_get(s, "state"));
	rc = strcmp(state, "answered") == 0  ? BZ_ERR_CONFLICT
	     : strcmp(state, "expired") == 0 ? BZ_ERR_LOCKED
	                                     : BZ_OK;
	json_decref(s);
	if (rc != BZ_OK)
		return rc;
	int sp = score(speed), ki = score(kindness), re = score(resolution);
	if (!sp)
		val_field_error(fields, "speed", "신속성을 1~5점 중에서 골라 주세요.");
	if (!ki)
		val_field_error(fields, "kindness", "친절도를 1~5점 중에서 골라 주세요.");
	if (!re)
		val_field_error(fields, "resolution", "해결 만족도를 1~5점 중에서 골라 주세요.");
	if (!val_text_ok(comment, SURVEY_COMMENT_CHARS))
		val_field_error(fields, "comment", "의견은 2,000자까지 적을 수 있습니다.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;
	sqlite3_stmt *st = db_stmt(db, SQL_ANSWER);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, sp);
	db_bind_int(st, 4, ki);
	db_bind_int(st, 5, re);
	db_bind_text(st, 6, val_blank(comment) ? NULL : comment);
	rc = step(db, st, "survey answer");
	if (rc == BZ_OK && db_changes(db) == 0)
		rc = BZ_ERR_CONFLICT; /* answered in between */
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_CONFLICT : rc;
}

/* ---- rounds ------------------------------------------------------------- */

bz_rc survey_round_open(struct db *db, const struct user *actor, const char *first,
                        const char *last, const char *title, json_t *fields, json_t **out,
                        char *msg, size_t msglen)
{
	*out = NULL;
	if (actor->role != ROLE_LEADER)
		return BZ_ERR_FORBIDDEN;
	char today[DATE_TEXT_SIZE];
	today_text(today);
	int32_t d1 = 0, d2 = 0;
	const char *m1 = NULL, *m2 = NULL;
	if (first == NULL || date_parse(first, &d1, &m1) != BZ_OK)
		val_field_error(fields, "period_first",
		                m1 ? m1 : "시작일을 2026-07-01처럼 입력해 주세요.");
	if (last == NULL || date_parse(last, &d2, &m2) != BZ_OK)
		val_field_error(fields, "period_last",
		                m2 ? m2 : "종료일을 2026-09-30처럼 입력해 주세요.");
	if (!json_object_get(fields, "period_first") && !json_object_get(fields, "period_last")) {
		if (d1 > d2)
			val_field_error(fields, "period_last",
			                "종료일은 시작일과 같거나 뒤여야 합니다.");
		else if (strcmp(first, today) > 0)
			val_field_error(fields, "period_first", "아직 시작하지 않은 기간입니다.");
	}
	char tbuf[COMM_TITLE_CHARS * 4 + 1];
	if (val_blank(title) && !json_object_get(fields, "period_first") &&
	    !json_object_get(fields, "period_last"))
		snprintf(tbuf, sizeof(tbuf), "기업SOS 만족도 조사 (%s ~ %s)", first, last);
	else
		bz_strlcpy(tbuf, title ? title : "", sizeof(tbuf));
	if (!json_object_size(fields) && !user_text_valid(tbuf, COMM_TITLE_CHARS))
		val_field_error(fields, "title", "조사 이름을 1~200자로 입력해 주세요.");
	if (json_object_size(fields))
		return BZ_ERR_INVALID;

	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	json_t *links = json_array(), *ids = json_array();
	int64_t round_id = 0, comm_id = 0, mailed = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_ROUND_EXISTS);
	if (st == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, first);
	db_bind_text(st, 2, last);
	bool exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (exists) {
		snprintf(msg, msglen, "같은 기간의 만족도 조사가 이미 열려 있습니다.");
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	/* who was served, read before any write (a statement is used once at a time) */
	if ((st = db_stmt(db, SQL_SERVED)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	db_bind_text(st, 1, first);
	db_bind_text(st, 2, last);
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(ids, json_pack("{s:I, s:s, s:s}", "id",
		                                     (json_int_t)sqlite3_column_int64(st, 0),
		                                     "company", col(st, 1), "email", col(st, 2)));
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		rc = db_rc(db, src, "served");
		goto out;
	}
	if (json_array_size(ids) == 0) {
		snprintf(msg, msglen,
		         "이 기간에 처리 완료한 애로나 방문·간담회로 만난 기업이 없습니다.");
		rc = BZ_ERR_CONFLICT;
		goto out;
	}
	char summary[256];
	snprintf(summary, sizeof(summary), "%s ~ %s 지원 기업 %zu곳 대상 (기업SOS에서 발송)", first,
	         last, json_array_size(ids));
	struct comm_input ci = {
	    .kind = "survey", .held_on = today, .title = tbuf, .summary = summary};
	json_t *cf = json_object();
	rc = comm_create(db, actor, &ci, cf, &comm_id);
	if (rc == BZ_ERR_INVALID)
		json_object_update(fields, cf);
	json_decref(cf);
	if (rc != BZ_OK)
		goto out;
	if ((st = db_stmt(db, SQL_ROUND_ADD)) == NULL) {
		rc = BZ_ERR_DB;
		goto out;
	}
	char now[24];
	db_now_utc(now);
	db_bind_text(st, 1, tbuf);
	db_bind_text(st, 2, first);
	db_bind_text(st, 3, last);
	db_bind_int(st, 4, comm_id);
	db_bind_int(st, 5, actor->id);
	db_bind_text(st, 6, now);
	if ((rc = step(db, st, "survey round")) != BZ_OK)
		goto out;
	round_id = db_last_id(db);
	size_t i;
	json_t *c;
	json_array_foreach(ids, i, c)
	{
		char token[SURVEY_TOKEN_SIZE], hash[65], url[LINK_TEXT_SIZE];
		const char *email = json_string_value(json_object_get(c, "email"));
		int64_t company = json_integer_value(json_object_get(c, "id"));
		token_new(token, hash);
		if ((rc = invite_add(db, hash, company, 0, round_id, *email ? email : NULL,
		                     actor->id)) != BZ_OK)
			goto out;
		link_text_token(url, "survey", token);
		if (*email) {
			if ((rc = invite_mail(db, 0, company, email, tbuf, url)) != BZ_OK)
				goto out;
			mailed++;
		}
		json_array_append_new(
		    links, json_pack("{s:O, s:O, s:o}", "company", json_object_get(c, "company"),
		                     "email", json_object_get(c, "email"), "url",
		                     link_fact("survey", json_pack("{s:s}", "token", token))));
	}
	if ((rc = db_commit(db)) != BZ_OK)
		goto out;
	*out = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:O}", "round_id", (json_int_t)round_id,
	                 "title", tbuf, "period_first", first, "period_last", last, "invited",
	                 (json_int_t)json_array_size(ids), "mailed", (json_int_t)mailed, "links",
	                 links);
out:
	if (rc != BZ_OK)
		db_rollback(db);
	json_decref(links);
	json_decref(ids);
	return rc;
}

bz_rc survey_rounds(struct db *db, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_ROUNDS);
	if (st == NULL)
		return BZ_ERR_DB;
	json_t *a = json_array();
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		char created[32], rate[16];
		fmt_instant_kst(col(st, 4), created, sizeof(created));
		int64_t inv = sqlite3_column_int64(st, 5), ans = sqlite3_column_int64(st, 6);
		rate_text(ans, inv, rate, sizeof(rate));
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "id",
		                 (json_int_t)sqlite3_column_int64(st, 0), "title", col(st, 1),
		                 "period_first", col(st, 2), "period_last", col(st, 3),
		                 "created_at", col(st, 4), "created_text", created, "invited",
		                 (json_int_t)inv, "answered", (json_int_t)ans, "rate_text", rate));
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, "survey rounds");
	}
	*out = a;
	return BZ_OK;
}

static json_t *stats_row(const char *label, const int64_t v[5])
{
	char rate[16], sp[8], ki[8], re[8];
	rate_text(v[1], v[0], rate, sizeof(rate));
	survey_avg_text(v[2], v[1], sp, sizeof(sp));
	survey_avg_text(v[3], v[1], ki, sizeof(ki));
	survey_avg_text(v[4], v[1], re, sizeof(re));
	return json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "label", label, "sent",
	                 (json_int_t)v[0], "answered", (json_int_t)v[1], "rate_text", rate,
	                 "speed_text", sp, "kindness_text", ki, "resolution_text", re);
}

bz_rc survey_stats(struct db *db, const char *first, const char *last, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_STATS);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, first);
	db_bind_text(st, 2, last);
	json_t *qs = json_array();
	int64_t total[5] = {0};
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t v[5];
		for (int k = 0; k < 5; k++) {
			v[k] = sqlite3_column_int64(st, 2 + k);
			total[k] += v[k];
		}
		char label[32];
		snprintf(label, sizeof(label), "%d년 %d분기", sqlite3_column_int(st, 0),
		         sqlite3_column_int(st, 1));
		json_array_append_new(qs, stats_row(label, v));
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(qs);
		return db_rc(db, src, "survey stats");
	}
	*out =
	    json_pack("{s:o, s:o, s:b, s:s, s:s}", "quarters", qs, "total",
	              stats_row("합계", total), "any", total[0] > 0, "first", first, "last", last);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

bz_rc survey_for_case(struct db *db, int64_t case_id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_FOR_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, case_id);
	json_t *a = json_array();
	char now[24];
	db_now_utc(now);
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		char created[32], exp[32], ans[32];
		fmt_instant_kst(col(st, 0), created, sizeof(created));
		fmt_instant_kst(col(st, 1), exp, sizeof(exp));
		fmt_instant_kst(col(st, 2), ans, sizeof(ans));
		bool answered = sqlite3_column_type(st, 2) != SQLITE_NULL;
		bool expired = !answered && strcmp(col(st, 1), now) <= 0;
		json_t *r = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "created_text", created,
		                      "expires_text", exp, "state_label",
		                      answered  ? "응답함"
		                      : expired ? "기한 지남(응답 없음)"
		                                : "응답 기다림",
		                      "answered", answered, "answered_text", answered ? ans : "",
		                      "email", col(st, 7));
		if (*col(st, 7) == '\0') /* the renderer treats "" as true */
			json_object_set_new(r, "email", json_null());
		if (answered) {
			json_object_set_new(r, "speed", json_integer(sqlite3_column_int(st, 3)));
			json_object_set_new(r, "kindness", json_integer(sqlite3_column_int(st, 4)));
			json_object_set_new(r, "resolution",
			                    json_integer(sqlite3_column_int(st, 5)));
			if (*col(st, 6))
				json_object_set_new(r, "comment", json_string(col(st, 6)));
		}
		json_array_append_new(a, r);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		json_decref(a);
		return db_rc(db, src, "survey for case");
	}
	*out = a;
	return BZ_OK;
}
