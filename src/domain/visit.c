/* The phone form: one visit with its grievances as cases. See activity.h. */
#include "activity_internal.h"
#include "bizsos/batch.h"
#include "bizsos/kst.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_COMPANY_OK[] = "SELECT 1 FROM company WHERE id = ?1 AND retired_at IS NULL";
/* ---- the phone form ------------------------------------------------------- */

static const char SQL_SEQ_DONE[] =
    "SELECT s.title FROM activity_case x JOIN sos_case s ON s.id = x.case_id"
    " WHERE x.activity_id = ?1 AND x.seq = ?2";
static const char SQL_LAST_ROW[] =
    "SELECT coalesce(max(seq), 0) FROM activity_case WHERE activity_id = ?1 AND kind = 'raised'";
static const char SQL_VISIT_OPEN[] =
    "SELECT 1 FROM activity a WHERE a.id = ?1 AND a.retired_at IS NULL"
    " AND EXISTS (SELECT 1 FROM activity_company x WHERE x.activity_id = a.id)";
static const char SQL_CASE_VISIT[] =
    "SELECT a.id, a.held_on, t.name FROM activity_case x JOIN activity a ON a.id = x.activity_id"
    " JOIN activity_type t ON t.id = a.type_id WHERE x.case_id = ?1 AND x.kind = 'raised'"
    " AND a.retired_at IS NULL ORDER BY a.id LIMIT 1";
static const char SQL_PHOTO_THERE[] = "SELECT 1 FROM activity_photo WHERE activity_id = ?1"
                                      " AND sha256 = ?2 AND retired_at IS NULL";
static const char SQL_VISIT_COMPANY[] =
    "SELECT company_id FROM activity_company WHERE activity_id = ?1 LIMIT 1";
static const char SQL_VISIT_HELD[] = "SELECT held_on FROM activity WHERE id = ?1";
static const char SQL_CATEGORY_OK[] =
    "SELECT 1 FROM case_category WHERE id = ?1 AND retired_at IS NULL";

static const char SQL_KEY_OWNER[] =
    "SELECT id, created_by, coalesce(idempotency_body, '') FROM activity"
    " WHERE idempotency_key = ?1";
static const char SQL_KEY_BODY[] = "UPDATE activity SET idempotency_body = ?2 WHERE id = ?1";

/* Adds one field to the body hash, length-prefixed so that fields cannot run
 * into each other. */
static void hash_field(crypto_hash_sha256_state *h, const char *v)
{
	uint64_t n = v ? (uint64_t)strlen(v) + 1 : 0; /* NULL and "" differ */
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_hash_sha256_update(h, len, sizeof(len));
	if (v)
		crypto_hash_sha256_update(h, (const unsigned char *)v, n - 1);
}

/* The SHA-256 (hex) of everything the form sent but its key: the same visit
 * sent twice hashes the same, whatever its encoding (form or JSON). */
static void visit_body_hash(const struct visit_input *in, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	const char *one[] = {in->company_id, in->new_company_name, in->new_company_brn,
	                     in->held_on,    in->starts_at,        in->place,
	                     in->summary};
	for (size_t i = 0; i < BZ_ARRAY_LEN(one); i++)
		hash_field(&h, one[i]);
	char n[24];
	snprintf(n, sizeof(n), "%zu", in->nstaff);
	hash_field(&h, n);
	for (size_t i = 0; i < in->nstaff; i++)
		hash_field(&h, in->staff_ids[i]);
	snprintf(n, sizeof(n), "%zu", in->ngrievances);
	hash_field(&h, n);
	for (size_t i = 0; i < in->ngrievances; i++) {
		hash_field(&h, in->grievances[i].title);
		hash_field(&h, in->grievances[i].category_id);
		hash_field(&h, in->grievances[i].description);
	}
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* Whether the visit stored under the key may be answered as a replay of this
 * request: the same user and the same body. BZ_OK: yes, *id set;
 * BZ_ERR_NOTFOUND: no visit has the key; BZ_ERR_INVALID (field error set): the
 * key belongs to another user or another body. */
static bz_rc visit_replay(struct db *db, const struct user *actor, const char *key,
                          const char *body, json_t *fields, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, SQL_KEY_OWNER);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, key);
	int src = db_step(st);
	int64_t owner = 0;
	char stored[65] = "";
	if (src == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		owner = sqlite3_column_int64(st, 1);
		bz_strlcpy(stored, db_col_text(st, 2), sizeof(stored));
	}
	sqlite3_reset(st);
	if (src == SQLITE_DONE)
		return BZ_ERR_NOTFOUND;
	if (src != SQLITE_ROW)
		return db_rc(db, src, "visit key");
	if (owner != actor->id || (stored[0] && strcmp(stored, body) != 0)) {
		val_field_error(
		    fields, "idempotency_key",
		    "이 양식 번호로 다른 내용이 이미 저장되었습니다. 새 번호를 붙였으니 "
		    "내용을 확인하고 다시 저장해 주세요.");
		return BZ_ERR_INVALID;
	}
	return BZ_OK;
}

/* Whether a stored title is the typed one, spaces around either aside (the
 * case stores its title trimmed). */
static bool same_title(const char *stored, const char *typed)
{
	if (stored == NULL || typed == NULL)
		return false;
	while (*stored == ' ' || *stored == '\t' || *stored == '\n' || *stored == '\r')
		stored++;
	while (*typed == ' ' || *typed == '\t' || *typed == '\n' || *typed == '\r')
		typed++;
	size_t a = strlen(stored), b = strlen(typed);
	while (a > 0 && strchr(" \t\n\r", stored[a - 1]))
		a--;
	while (b > 0 && strchr(" \t\n\r", typed[b - 1]))
		b--;
	return a == b && memcmp(stored, typed, a) == 0;
}

static bool grievance_blank(const struct visit_grievance_input *g)
{
	return val_blank(g->title) && val_blank(g->description) && val_blank(g->category_id);
}

/* Creates the cases of grievance rows not yet linked to visit id: row i of g
 * is the visit's row base + i + 1. A row already linked is skipped when its
 * case has the same title (the same form sent again), and is a conflict when
 * not (another form took the row number meanwhile). Field errors name the
 * form's own row (g<i+1>_...). *created counts the cases made. */
static bz_rc visit_cases(struct db *db, const struct user *actor, int64_t id, int base,
                         const struct visit_grievance_input *rows, size_t n, json_t *fields,
                         size_t *created)
{
	char company[24], held[DATE_TEXT_SIZE] = "";
	sqlite3_stmt *st = db_stmt(db, SQL_VISIT_COMPANY);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return BZ_ERR_NOTFOUND;
	}
	snprintf(company, sizeof(company), "%lld", (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	st = db_stmt(db, SQL_VISIT_HELD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	if (db_step(st) == SQLITE_ROW)
		bz_strlcpy(held, db_col_text(st, 0), sizeof(held));
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++) {
		const struct visit_grievance_input *g = &rows[i];
		if (grievance_blank(g))
			continue;
		int seq = base + (int)i + 1;
		st = db_stmt(db, SQL_SEQ_DONE);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, seq);
		int src = db_step(st);
		bool done = src == SQLITE_ROW;
		bool same = done && same_title(db_col_text(st, 0), g->title);
		sqlite3_reset(st);
		if (src != SQLITE_ROW && src != SQLITE_DONE)
			return db_rc(db, src, "visit row");
		if (done && same)
			continue;
		if (done)
			return BZ_ERR_CONFLICT;
		struct case_input ci = {.company_id = company,
		                        .received_on = held,
		                        .channel = "visit",
		                        .category_id = g->category_id,
		                        .title = g->title,
		                        .description = g->description};
		json_t *cf = json_object();
		int64_t case_id = 0;
		char case_no[CASE_NO_SIZE];
		bz_rc rc = case_create(db, actor, &ci, cf, &case_id, case_no);
		if (rc == BZ_ERR_INVALID) {
			const char *k;
			json_t *v;
			json_object_foreach(cf, k, v)
			{
				char key[48];
				snprintf(key, sizeof(key), "g%zu_%s", i + 1,
				         strcmp(k, "category_id") == 0 ? "category" : k);
				val_field_error(fields, key, json_string_value(v));
			}
		}
		json_decref(cf);
		if (rc != BZ_OK)
			return rc;
		if ((rc = db_begin(db)) != BZ_OK)
			return rc;
		rc = act_link_case(db, id, case_id, "raised", seq);
		if (rc == BZ_OK)
			rc = db_event_add(db, EVENT_ACTIVITY, id, NULL, actor->id, "case_linked",
			                  "case", NULL, case_no, NULL);
		if (rc == BZ_OK)
			rc = db_commit(db);
		if (rc != BZ_OK) {
			db_rollback(db);
			return rc;
		}
		if (created)
			(*created)++;
	}
	return BZ_OK;
}

/* Checks the grievance rows (field errors g<N>_title, g<N>_category,
 * g<N>_description, grievances). */
static void grievances_check(struct db *db, const struct visit_grievance_input *rows, size_t n,
                             json_t *fields)
{
	if (n > VISIT_GRIEVANCES_MAX)
		val_field_error(fields, "grievances",
		                "애로사항은 한 번에 20건까지 적을 수 있습니다.");
	for (size_t i = 0; i < n && i < VISIT_GRIEVANCES_MAX; i++) {
		const struct visit_grievance_input *g = &rows[i];
		if (grievance_blank(g))
			continue;
		char key[32];
		snprintf(key, sizeof(key), "g%zu_title", i + 1);
		if (val_blank(g->title) || !user_text_valid(g->title, CASE_TITLE_CHARS))
			val_field_error(fields, key, "애로사항 제목을 1~200자로 입력해 주세요.");
		snprintf(key, sizeof(key), "g%zu_category", i + 1);
		int64_t cat = val_parse_id(g->category_id);
		if (cat == 0 || !act_row_exists(db, SQL_CATEGORY_OK, cat))
			val_field_error(fields, key, "애로 분야를 골라 주세요.");
		snprintf(key, sizeof(key), "g%zu_description", i + 1);
		if (!val_text_ok(g->description, CASE_TEXT_CHARS))
			val_field_error(fields, key, "내용은 10,000자까지 입력할 수 있습니다.");
	}
}

/* Attaches the form's photos to visit id, each once (a resent form finds its
 * photos there already). The caller holds the transaction. */
static bz_rc visit_photos(struct db *db, const struct user *actor, int64_t id,
                          const struct visit_input *in, json_t *fields)
{
	for (size_t i = 0; i < in->nphotos; i++) {
		sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_THERE);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, in->photos[i].sha256);
		int src = db_step(st);
		sqlite3_reset(st);
		if (src == SQLITE_ROW)
			continue;
		if (src != SQLITE_DONE)
			return db_rc(db, src, "visit photo");
		bz_rc rc = activity_photo_add(db, actor, id, &in->photos[i], "", fields, NULL);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

bz_rc visit_last_row(struct db *db, int64_t id, int *out)
{
	int64_t v = 0;
	bz_rc rc = db_int1f(db, SQL_LAST_ROW, 0, &v, "i", id);
	*out = (int)v;
	return rc;
}

bz_rc visit_add_grievances(struct db *db, const struct user *actor, int64_t id, int base,
                           const struct visit_grievance_input *g, size_t n, json_t *fields,
                           size_t *created)
{
	*created = 0;
	if (!act_may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (!act_row_exists(db, SQL_VISIT_OPEN, id))
		return BZ_ERR_NOTFOUND;
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any = any || !grievance_blank(&g[i]);
	if (!any)
		val_field_error(fields, "g1_title",
		                "추가할 애로사항의 제목과 분야를 입력해 주세요.");
	if (base < 0 || base > 10000)
		val_field_error(
		    fields, "grievances",
		    "양식이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요.");
	grievances_check(db, g, n, fields);
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	bz_rc rc = db_begin(db);
	if (rc != BZ_OK)
		return rc;
	rc = visit_cases(db, actor, id, base, g, n, fields, created);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		*created = 0;
	}
	return rc;
}

static bz_rc visit_create_now(struct db *db, const struct user *actor, const struct visit_input *in,
                              json_t *fields, int64_t *id_out, bool *replayed)
{
	*replayed = false;
	if (!act_may_write(actor))
		return BZ_ERR_FORBIDDEN;
	if (!activity_key_valid(in->idempotency_key)) {
		val_field_error(
		    fields, "idempotency_key",
		    "양식이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요.");
		return BZ_ERR_INVALID;
	}
	int64_t id = 0;
	char body[65];
	if (sodium_init() < 0)
		return BZ_ERR_NOMEM;
	visit_body_hash(in, body);
	bz_rc rc = visit_replay(db, actor, in->idempotency_key, body, fields, &id);
	if (rc == BZ_OK) {
		/* sent before: finish what the first POST may have left, create nothing new */
		*replayed = true;
		*id_out = id;
		size_t ngriev =
		    in->ngrievances < VISIT_GRIEVANCES_MAX ? in->ngrievances : VISIT_GRIEVANCES_MAX;
		if ((rc = db_begin(db)) != BZ_OK)
			return rc;
		rc = visit_photos(db, actor, id, in, fields);
		if (rc == BZ_OK)
			rc = visit_cases(db, actor, id, 0, in->grievances, ngriev, fields, NULL);
		if (rc == BZ_OK)
			rc = db_commit(db);
		if (rc != BZ_OK)
			db_rollback(db);
		return rc == BZ_ERR_INVALID || rc == BZ_ERR_CONFLICT ? BZ_OK : rc;
	}
	if (rc != BZ_ERR_NOTFOUND)
		return rc;

	/* the company: picked, or typed in to be created */
	int64_t company = val_parse_id(in->company_id);
	bool create_company = false;
	if (company) {
		if (!act_row_exists(db, SQL_COMPANY_OK, company))
			val_field_error(fields, "company_id",
			                "고른 기업을 찾을 수 없습니다. 다시 골라 주세요.");
	} else if (val_blank(in->new_company_name) && val_blank(in->new_company_brn)) {
		val_field_error(fields, "company_id",
		                "방문한 기업을 검색해 고르거나, 새 기업의 이름과 사업자등록번호를 "
		                "입력해 주세요.");
	} else {
		create_company = true;
		if (val_blank(in->new_company_name) ||
		    !user_text_valid(in->new_company_name, COMPANY_NAME_CHARS))
			val_field_error(fields, "new_company_name",
			                "기업 이름을 1~100자로 입력해 주세요.");
		char bare[BRN_BARE_SIZE];
		const char *bmsg = NULL;
		if (val_blank(in->new_company_brn))
			val_field_error(fields, "new_company_brn",
			                "사업자등록번호를 입력해 주세요.");
		else if (brn_parse(in->new_company_brn, bare, &bmsg) != BZ_OK)
			val_field_error(fields, "new_company_brn",
			                bmsg ? bmsg : "사업자등록번호를 확인해 주세요.");
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	const char *held = val_blank(in->held_on) ? today : in->held_on;
	struct activity_input ai = {.type_id = NULL,
	                            .held_on = held,
	                            .starts_at = in->starts_at,
	                            .place = in->place,
	                            .summary = in->summary,
	                            .staff_ids = in->staff_ids,
	                            .nstaff = in->nstaff,
	                            .idempotency_key = in->idempotency_key};
	char type[24];
	snprintf(type, sizeof(type), "%lld", (long long)activity_type_id(db, "comm_day"));
	ai.type_id = type;
	activity_validate(db, &ai, fields);
	if (in->nstaff == 0)
		val_field_error(fields, "staff", "방문한 직원을 한 명 이상 골라 주세요.");
	if (val_blank(in->summary))
		val_field_error(fields, "summary", "현장에서 보고 들은 내용을 적어 주세요.");
	grievances_check(db, in->grievances, in->ngrievances, fields);
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;

	/* One unit: the company (if new), the visit and every case it raised
	 * with its photos commit together or not at all (the domain functions nest
	 * as savepoints). */
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	if (create_company) {
		struct company_input ci = {.name = in->new_company_name,
		                           .brn = in->new_company_brn,
		                           .confirm_similar = true};
		struct company_outcome o = {0};
		rc = company_create(db, actor->id, &ci, &company, &o);
		if (rc == BZ_ERR_CONSTRAINT && o.duplicate_id > 0) {
			company = o.duplicate_id; /* registered already: that company */
			rc = BZ_OK;
		} else if (rc == BZ_ERR_INVALID && o.fields) {
			const char *k;
			json_t *v;
			json_object_foreach(o.fields, k, v)
			{
				const char *key =
				    strcmp(k, "brn") == 0 ? "new_company_brn" : "new_company_name";
				val_field_error(fields, key, json_string_value(v));
			}
		}
		company_outcome_free(&o);
		if (rc != BZ_OK) {
			db_rollback(db);
			return rc;
		}
	}
	char company_text[24];
	snprintf(company_text, sizeof(company_text), "%lld", (long long)company);
	const char *companies[1] = {company_text};
	ai.company_ids = companies;
	ai.ncompanies = 1;

	rc = act_insert_activity(db, actor->id, &ai, &id);
	if (rc == BZ_OK)
		rc = db_execf(db, SQL_KEY_BODY, "it", id, body);
	if (rc == BZ_OK)
		rc = visit_photos(db, actor, id, in, fields);
	if (rc == BZ_OK)
		rc = visit_cases(db, actor, id, 0, in->grievances, in->ngrievances, fields, NULL);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK) {
		db_rollback(db);
		/* the same key sent twice at once: the other request made it all */
		if (rc == BZ_ERR_CONSTRAINT) {
			bz_rc r2 = visit_replay(db, actor, in->idempotency_key, body, fields, &id);
			if (r2 == BZ_OK) {
				*replayed = true;
				*id_out = id;
				return BZ_OK;
			}
			if (r2 == BZ_ERR_INVALID)
				return r2;
		}
		return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
	}
	*id_out = id;
	return BZ_OK;
}

bz_rc visit_of_case(struct db *db, int64_t case_id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, SQL_CASE_VISIT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, case_id);
	int src = db_step(st);
	if (src == SQLITE_ROW) {
		char label[48];
		act_date_label(db_col_text(st, 1), label, sizeof(label));
		*out =
		    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
		              "held_on", db_col_text(st, 1), "held_on_text", label, "type",
		              db_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return db_rc(db, src, "case visit");
	return BZ_OK;
}

/* visit_create through the write batcher (src/store/batch.c): concurrent visits
 * and case creations share one transaction and one fsync. */
struct visit_args {
	const struct user *actor;
	const struct visit_input *in;
	json_t *fields;
	int64_t *id_out;
	bool *replayed;
};

static bz_rc visit_unit(struct db *db, void *arg)
{
	struct visit_args *a = arg;
	return visit_create_now(db, a->actor, a->in, a->fields, a->id_out, a->replayed);
}

bz_rc visit_create(struct db *db, const struct user *actor, const struct visit_input *in,
                   json_t *fields, int64_t *id_out, bool *replayed)
{
	struct visit_args a = {actor, in, fields, id_out, replayed};
	return db_batch_run(db, visit_unit, &a);
}
