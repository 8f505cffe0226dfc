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
			json_array_foreach(res, i, c)
			{
				if (json_integer_value(json_object_get(c, "id")) == chosen)
					continue;
				json_object_set_new(c, "checked", json_false());
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

	/* grievance rows */
	json_t *cats = NULL;
	case_categories(rq->db, false, &cats);
	if (cats == NULL)
		cats = json_array();
	size_t nrows = posted ? posted_rows(rq) : 1;
	nrows += extra_rows;
	if (nrows > VISIT_GRIEVANCES_MAX)
		nrows = VISIT_GRIEVANCES_MAX;
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
	bizstatus_decorate_rows(rq->db, companies); /* 휴업·폐업 flagged on the phone */
	json_t *values =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "company_q", q ? q : "",
	              "new_company_name", posted ? form_or(rq, "new_company_name", "") : "",
	              "new_company_brn", posted ? form_or(rq, "new_company_brn", "") : "",
	              "held_on", posted ? form_or(rq, "held_on", today) : today, "starts_at",
	              posted ? form_or(rq, "starts_at", "") : "", "place",
	              posted ? form_or(rq, "place", "") : "", "summary",
	              posted ? form_or(rq, "summary", "") : "");
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:i, s:b, s:s, s:i}", "idempotency_key",
	                 key, "staff", staff, "companies", companies, "grievances", rows, "values",
	                 values, "errors", errors, "rows", (int)nrows, "fresh", !posted, "today",
	                 today, "max_rows", VISIT_GRIEVANCES_MAX);
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
	for (size_t n = 1; n <= nrows; n++) {
		char kt[32], kc[32], kd[32];
		row_key(kt, sizeof(kt), n, "title");
		row_key(kc, sizeof(kc), n, "category");
		row_key(kd, sizeof(kd), n, "description");
		g[n - 1] = (struct visit_grievance_input){rq_form(rq, kt), rq_form(rq, kc),
		                                          rq_form(rq, kd)};
	}
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
	};
	json_t *fields = json_object();
	int64_t id = 0;
	bool replayed = false;
	bz_rc rc = visit_create(rq->db, &rq->user, &in, fields, &id, &replayed);
	if (rc == BZ_OK) {
		json_decref(fields);
		char loc[64];
		snprintf(loc, sizeof(loc), "/activities/%lld", (long long)id);
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
