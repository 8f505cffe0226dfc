/* The phone form: a 발로뛰는 기업소통 Day visit and its grievances in one form,
 * built to survive a factory yard. Without JavaScript it is a plain form: the
 * company search and "add another grievance" are submit buttons that render
 * the form again with everything typed kept. The server puts a random
 * idempotency key in the form when it renders it; a second POST with the same
 * key (double tap, retry after a timeout) creates nothing and answers with the
 * first one's result. static/js/visit-form.js only adds the safety net (a
 * draft in localStorage offered again after a failed submit). */
#include "bizsos/activity.h"
#include "bizsos/kst.h"
#include "bizsos/app.h"
#include "bizsos/bizstatus.h"
#include "bizsos/company.h"
#include "bizsos/sos_case.h"
#include "bizsos/validate.h"
#include "web_field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_FIELD "rows"

static const char *form_or(const struct request *rq, const char *key, const char *def)
{
	const char *v = rq_form(rq, key);
	return v ? v : def;
}

/* How many grievance rows the form had (hidden field rows), 1..VISIT_GRIEVANCES_MAX. */
static size_t posted_rows(const struct request *rq)
{
	const char *r = rq_form(rq, ROWS_FIELD);
	long n = r ? strtol(r, NULL, 10) : 1;
	if (n < 1)
		n = 1;
	if (n > VISIT_GRIEVANCES_MAX)
		n = VISIT_GRIEVANCES_MAX;
	return (size_t)n;
}

static void row_key(char *out, size_t outlen, size_t n, const char *what)
{
	snprintf(out, outlen, "g%zu_%s", n, what);
}

/* The grievance rows of a form: [{n, title, description, categories [{value,
 * label, selected}], last}], with what was posted when posted. */
static json_t *grievance_rows(struct request *rq, bool posted, size_t nrows)
{
	json_t *cats = NULL;
	case_categories(rq->db, false, &cats);
	if (cats == NULL)
		cats = json_array();
	json_t *rows = json_array();
	for (size_t n = 1; n <= nrows; n++) {
		char kt[32], kc[32], kd[32];
		row_key(kt, sizeof(kt), n, "title");
		row_key(kc, sizeof(kc), n, "category");
		row_key(kd, sizeof(kd), n, "description");
		const char *cat = posted ? rq_form(rq, kc) : NULL;
		json_t *opts = json_array();
		size_t i;
		json_t *c;
		json_array_foreach(cats, i, c)
		{
			char ids[24];
			snprintf(ids, sizeof(ids), "%lld",
			         (long long)json_integer_value(json_object_get(c, "id")));
			json_array_append_new(opts,
			                      json_pack("{s:s, s:O, s:b}", "value", ids, "label",
			                                json_object_get(c, "name"), "selected",
			                                cat && strcmp(cat, ids) == 0));
		}
		json_array_append_new(rows,
		                      json_pack("{s:i, s:s, s:s, s:o, s:b}", "n", (int)n, "title",
		                                posted ? form_or(rq, kt, "") : "", "description",
		                                posted ? form_or(rq, kd, "") : "", "categories",
		                                opts, "last", n == nrows));
	}
	json_decref(cats);
	return rows;
}

/* The form's model. posted: values from the request; else a fresh form. */
static json_t *visit_model(struct request *rq, bool posted, size_t extra_rows)
{
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	char key[IDEMPOTENCY_KEY_HEX + 1];
	const char *posted_key = posted ? rq_form(rq, "idempotency_key") : NULL;
	if (posted_key && activity_key_valid(posted_key))
		bz_strlcpy(key, posted_key, sizeof(key));
	else
		activity_new_key(key);

	/* staff: who went (the signed-in user by default) */
	json_t *staff = json_array();
	const char *picked[ACTIVITY_LIST_MAX];
	size_t npicked = posted ? web_form_values(rq, "staff", picked, ACTIVITY_LIST_MAX) : 0;
	json_t *people = NULL;
	if (activity_staff(rq->db, &people) != BZ_OK)
		people = json_array();
	size_t pi;
	json_t *person;
	json_array_foreach(people, pi, person)
	{
		int64_t id = json_integer_value(json_object_get(person, "id"));
		char ids[24];
		snprintf(ids, sizeof(ids), "%lld", (long long)id);
		bool on = !posted && id == rq->user.id;
		for (size_t i = 0; i < npicked; i++)
			on = on || strcmp(picked[i], ids) == 0;
		json_array_append_new(staff,
		                      json_pack("{s:I, s:O, s:b}", "id", (json_int_t)id, "name",
		                                json_object_get(person, "name"), "checked", on));
	}
	json_decref(people);

	/* the company: the one picked, plus search results */
	json_t *companies = json_array();
	json_t *errors = json_object();
	const char *cid = posted ? rq_form(rq, "company_id") : rq_query(rq, "company");
	int64_t chosen = cid ? strtoll(cid, NULL, 10) : 0;
	if (chosen > 0) {
		json_t *c = NULL;
		if (company_get(rq->db, chosen, &c) == BZ_OK) {
			json_array_append_new(
			    companies,
			    json_pack("{s:O, s:O, s:O, s:b}", "id", json_object_get(c, "id"),
			              "name", json_object_get(c, "name"), "brn_text",
			              json_object_get(c, "brn_text"), "checked", 1));
			json_decref(c);
		}
	}
	const char *q = posted ? rq_form(rq, "company_q") : NULL;
	const char *action = posted ? rq_form(rq, "action") : NULL;
	if (q && *q && action && strcmp(action, "search_company") == 0) {
		json_t *res = NULL;
		const char *msg = NULL;
		if (company_lookup(rq->db, q, &res, &msg) == BZ_OK) {
			size_t i;
			json_t *c;
			bool only = json_array_size(res) == 1 && chosen == 0;
			json_array_foreach(res, i, c)
			{
				if (json_integer_value(json_object_get(c, "id")) == chosen)
					continue;
				json_object_set_new(c, "checked", json_boolean(only));
				json_array_append(companies, c);
			}
			if (json_array_size(res) == 0)
				json_object_set_new(
				    errors, "company_q",
				    json_string("찾는 기업이 없습니다. 아래에 새 기업으로 이름과 "
				                "사업자등록번호를 입력해 주세요."));
			json_decref(res);
		} else {
			json_object_set_new(errors, "company_q",
			                    json_string(msg ? msg : "검색어를 확인해 주세요."));
		}
	}

	size_t nrows = posted ? posted_rows(rq) : 1;
	nrows += extra_rows;
	if (nrows > VISIT_GRIEVANCES_MAX)
		nrows = VISIT_GRIEVANCES_MAX;
	json_t *rows = grievance_rows(rq, posted, nrows);
	bizstatus_decorate_rows(rq->db, companies); /* 휴업·폐업 flagged on the phone */
	json_t *values =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "company_q", q ? q : "",
	              "new_company_name", posted ? form_or(rq, "new_company_name", "") : "",
	              "new_company_brn", posted ? form_or(rq, "new_company_brn", "") : "",
	              "held_on", posted ? form_or(rq, "held_on", today) : today, "starts_at",
	              posted ? form_or(rq, "starts_at", "") : "", "place",
	              posted ? form_or(rq, "place", "") : "", "summary",
	              posted ? form_or(rq, "summary", "") : "");
	/* photos sent with a form shown again are not kept (a browser cannot put a
	 * file back in the field): say so beside the field */
	size_t sent = 0;
	for (size_t i = 0; posted && i < rq->nuploads; i++)
		sent += strcmp(rq->uploads[i].field, "photos") == 0 && rq->uploads[i].size > 0;
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:i, s:b, s:s, s:i, s:o}",
	                 "idempotency_key", key, "staff", staff, "companies", companies,
	                 "grievances", rows, "values", values, "errors", errors, "rows", (int)nrows,
	                 "fresh", !posted, "today", today, "max_rows", VISIT_GRIEVANCES_MAX,
	                 "photos_again", sent ? json_integer((json_int_t)sent) : json_null());
}

/* Copies the g<N>_* field errors into their rows (Mustache has no dynamic keys). */
static void row_errors(json_t *m, json_t *fields)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(m, "grievances"), i, r)
	{
		json_int_t n = json_integer_value(json_object_get(r, "n"));
		static const char *const what[] = {"title", "category", "description"};
		json_t *e = json_object();
		for (size_t k = 0; k < BZ_ARRAY_LEN(what); k++) {
			char key[32];
			snprintf(key, sizeof(key), "g%lld_%s", (long long)n, what[k]);
			json_t *msg = json_object_get(fields, key);
			if (msg)
				json_object_set(e, what[k], msg);
		}
		json_object_set_new(r, "errors", e);
	}
}

static void read_rows(const struct request *rq, struct visit_grievance_input *g, size_t nrows)
{
	for (size_t n = 1; n <= nrows; n++) {
		char kt[32], kc[32], kd[32];
		row_key(kt, sizeof(kt), n, "title");
		row_key(kc, sizeof(kc), n, "category");
		row_key(kd, sizeof(kd), n, "description");
		g[n - 1] = (struct visit_grievance_input){rq_form(rq, kt), rq_form(rq, kc),
		                                          rq_form(rq, kd)};
	}
}

/* Stores the form's photos (field "photos", taken or picked on the phone;
 * empty parts skipped) and returns how many; a refused file is the field
 * error "photos" (the browser cannot keep a picked file across a re-render,
 * so the message asks to pick it again). */
static size_t read_photos(const struct request *rq, struct photo_file *out, json_t *fields)
{
	size_t n = 0, seen = 0;
	for (size_t i = 0; i < rq->nuploads; i++) {
		const struct upload *u = &rq->uploads[i];
		if (strcmp(u->field, "photos") != 0 || u->size == 0)
			continue;
		seen++;
		if (n == VISIT_PHOTOS_MAX) {
			val_field_error(
			    fields, "photos",
			    "사진은 한 번에 10장까지 올릴 수 있습니다. 나머지는 방문 기록을 "
			    "저장한 뒤 방문 기록 화면에서 올려 주세요.");
			break;
		}
		const char *msg = NULL;
		bz_rc rc;
		if (u->size > PHOTO_MAX_BYTES) {
			msg = "사진 한 장은 10MB까지 올릴 수 있습니다.";
			rc = BZ_ERR_TOOLARGE;
		} else {
			rc = photo_store(rq->app->cfg.data_dir, u->path, &out[n], &msg);
		}
		if (rc == BZ_OK) {
			n++;
			continue;
		}
		char text[400];
		snprintf(text, sizeof(text), "사진 %zu: %s 사진을 다시 골라 주세요.", seen,
		         msg ? msg : "저장하지 못했습니다.");
		val_field_error(fields, "photos", text);
		break;
	}
	return n;
}

void web_visit_form(struct request *rq, struct response *rs)
{
	json_t *m = visit_model(rq, false, 0);
	row_errors(m, json_object_get(m, "errors"));
	field_page(rs, "visits/new", "기업소통 Day 방문 기록", m);
}

void web_visit_submit(struct request *rq, struct response *rs)
{
	const char *action = rq_form(rq, "action");
	if (action && strcmp(action, "add_grievance") == 0) {
		json_t *m = visit_model(rq, true, 1);
		row_errors(m, json_object_get(m, "errors"));
		field_page(rs, "visits/new", "기업소통 Day 방문 기록", m);
		return;
	}
	if (action && strcmp(action, "search_company") == 0) {
		json_t *m = visit_model(rq, true, 0);
		row_errors(m, json_object_get(m, "errors"));
		field_page(rs, "visits/new", "기업소통 Day 방문 기록", m);
		return;
	}
	size_t nrows = posted_rows(rq);
	struct visit_grievance_input g[VISIT_GRIEVANCES_MAX];
	read_rows(rq, g, nrows);
	json_t *fields = json_object();
	struct photo_file photos[VISIT_PHOTOS_MAX];
	size_t nphotos = read_photos(rq, photos, fields);
	const char *staff[ACTIVITY_LIST_MAX];
	struct visit_input in = {
	    .company_id = rq_form(rq, "company_id"),
	    .new_company_name = rq_form(rq, "new_company_name"),
	    .new_company_brn = rq_form(rq, "new_company_brn"),
	    .held_on = rq_form(rq, "held_on"),
	    .starts_at = rq_form(rq, "starts_at"),
	    .place = rq_form(rq, "place"),
	    .summary = rq_form(rq, "summary"),
	    .staff_ids = staff,
	    .nstaff = web_form_values(rq, "staff", staff, ACTIVITY_LIST_MAX),
	    .grievances = g,
	    .ngrievances = nrows,
	    .idempotency_key = rq_form(rq, "idempotency_key"),
	    .photos = photos,
	    .nphotos = nphotos,
	};
	/* a photo refused above is already a field error: visit_create then checks
	 * everything else and saves nothing */
	int64_t id = 0;
	bool replayed = false;
	bz_rc rc = visit_create(rq->db, &rq->user, &in, fields, &id, &replayed);
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[64];
		snprintf(loc, sizeof(loc), "/activities/%lld?new_from=0", (long long)id);
		web_flash(rs, rq, "success", replayed ? "visit_replayed" : "visit_saved");
		web_redirect(rs, loc);
		rs->model = json_pack("{s:I, s:b}", "id", (json_int_t)id, "replayed", replayed);
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		json_t *m = visit_model(rq, true, 0);
		if (id > 0) {
			/* the visit was saved; one grievance could not become a case */
			json_object_set_new(m, "saved_id", json_integer(id));
		}
		if (json_object_get(fields, "idempotency_key")) {
			/* the key is taken (another user, other content): a fresh one,
			 * so that saving again stores this visit */
			char key[IDEMPOTENCY_KEY_HEX + 1];
			activity_new_key(key);
			json_object_set_new(m, "idempotency_key", json_string(key));
		}
		row_errors(m, fields);
		field_invalid(rs, "visits/new", "기업소통 Day 방문 기록", m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", "방문 기록을 남길 권한이 없습니다.");
	else
		web_error(rs, 500, "internal",
		          "저장하지 못했습니다. 입력한 내용은 이 기기에 남아 있으니 잠시 후 다시 "
		          "보내 주세요.");
}

/* ---- more grievances for a saved visit ("이 기업 다른 애로 추가") ---------- */

static json_t *more_model(struct request *rq, struct response *rs, int64_t id, bool posted)
{
	json_t *act = NULL;
	bz_rc rc = id > 0 ? activity_get(rq->db, id, &act) : BZ_ERR_NOTFOUND;
	json_t *companies = act ? json_object_get(act, "companies") : NULL;
	if (rc == BZ_OK && json_array_size(companies) == 0)
		rc = BZ_ERR_NOTFOUND;
	int base = 0;
	if (rc == BZ_OK)
		rc = visit_last_row(rq->db, id, &base);
	if (rc != BZ_OK) {
		json_decref(act);
		if (rc == BZ_ERR_NOTFOUND)
			web_error(rs, 404, "not_found", "기업을 방문한 기록이 없습니다.");
		else
			web_error(rs, 500, "internal", "방문 기록을 읽지 못했습니다.");
		return NULL;
	}
	if (posted) {
		const char *b = rq_form(rq, "base");
		base = b ? (int)strtol(b, NULL, 10) : -1;
	}
	size_t nrows = posted ? posted_rows(rq) : 1;
	json_t *a = json_object_get(act, "activity");
	json_t *m = json_pack("{s:O, s:O, s:i, s:o, s:i, s:i, s:o}", "activity", a, "company",
	                      json_array_get(companies, 0), "base", base, "grievances",
	                      grievance_rows(rq, posted, nrows), "rows", (int)nrows, "max_rows",
	                      VISIT_GRIEVANCES_MAX, "errors", json_object());
	char href[48];
	snprintf(href, sizeof(href), "/activities/%lld", (long long)id);
	const char *t = json_string_value(json_object_get(a, "display_title"));
	json_object_set_new(m, "breadcrumb",
	                    json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s}]", "href", "/",
	                              "label", "홈", "href", "/activities", "label", "활동 기록",
	                              "href", href, "label", t ? t : "방문 기록", "label",
	                              "애로 추가"));
	json_decref(act);
	return m;
}

void web_visit_more_form(struct request *rq, struct response *rs)
{
	json_t *m = more_model(rq, rs, rq_param_id(rq, "id"), false);
	if (m) {
		row_errors(m, json_object_get(m, "errors"));
		field_page(rs, "visits/more", "이 기업 다른 애로 추가", m);
	}
}

void web_visit_more_submit(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	const char *action = rq_form(rq, "action");
	bool add_row = action && strcmp(action, "add_grievance") == 0;
	size_t nrows = posted_rows(rq);
	if (add_row) {
		json_t *m = more_model(rq, rs, id, true);
		if (m == NULL)
			return;
		size_t n = nrows < VISIT_GRIEVANCES_MAX ? nrows + 1 : nrows;
		json_object_set_new(m, "grievances", grievance_rows(rq, true, n));
		json_object_set_new(m, "rows", json_integer((json_int_t)n));
		row_errors(m, json_object_get(m, "errors"));
		field_page(rs, "visits/more", "이 기업 다른 애로 추가", m);
		return;
	}
	struct visit_grievance_input g[VISIT_GRIEVANCES_MAX];
	read_rows(rq, g, nrows);
	const char *b = rq_form(rq, "base");
	int base = b ? (int)strtol(b, NULL, 10) : -1;
	json_t *fields = json_object();
	size_t created = 0;
	bz_rc rc = visit_add_grievances(rq->db, &rq->user, id, base, g, nrows, fields, &created);
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[80];
		snprintf(loc, sizeof(loc), "/activities/%lld?new_from=%d", (long long)id, base);
		web_flash(rs, rq, "success", "visit_more_saved");
		web_redirect(rs, loc);
		rs->model =
		    json_pack("{s:I, s:I}", "id", (json_int_t)id, "created", (json_int_t)created);
		return;
	}
	if (rc == BZ_ERR_CONFLICT) {
		/* another form took the row numbers: the rows are kept, numbered anew */
		json_object_clear(fields);
		val_field_error(fields, "grievances",
		                "그 사이 이 방문에 다른 애로사항이 추가되었습니다. 내용은 그대로 "
		                "두었으니 확인하고 다시 저장해 주세요.");
		rc = BZ_ERR_INVALID;
		json_t *m = more_model(rq, rs, id, true);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		int fresh = 0;
		visit_last_row(rq->db, id, &fresh);
		json_object_set_new(m, "base", json_integer(fresh));
		row_errors(m, fields);
		field_invalid(rs, "visits/more", "이 기업 다른 애로 추가", m, fields);
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		json_t *m = more_model(rq, rs, id, true);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		row_errors(m, fields);
		field_invalid(rs, "visits/more", "이 기업 다른 애로 추가", m, fields);
		return;
	}
	json_decref(fields);
	if (rc == BZ_ERR_NOTFOUND)
		web_error(rs, 404, "not_found", "기업을 방문한 기록이 없습니다.");
	else if (rc == BZ_ERR_FORBIDDEN)
		web_error(rs, 403, "forbidden", "애로사항을 접수할 권한이 없습니다.");
	else
		web_error(rs, 500, "internal", "저장하지 못했습니다. 잠시 후 다시 보내 주세요.");
}
