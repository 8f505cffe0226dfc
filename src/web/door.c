/* The staff side of the companies' door: survey links for completed cases,
 * survey rounds and their figures, confirming a company filed online (미확인),
 * and the hooks that show online requests on the case page and the leader's
 * home. */
#include "bizsos/app.h"
#include "bizsos/online_request.h"
#include "bizsos/survey.h"
#include "bizsos/web.h"
#include "web_export.h"
#include "web_public.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where companies reach this server, for the links in mail. */
static void base_url(const struct request *rq, char *out, size_t outlen)
{
	const struct config *cfg = &rq->app->cfg;
	if (cfg->base_url[0]) {
		bz_strlcpy(out, cfg->base_url, outlen);
		size_t n = strlen(out);
		while (n > 0 && out[n - 1] == '/')
			out[--n] = '\0';
	} else {
		snprintf(out, outlen, "%s://%s", cfg->tls_cert[0] ? "https" : "http", cfg->listen);
	}
}

static json_t *crumbs(const char *href, const char *label, const char *here)
{
	json_t *bc = json_pack("[{s:s, s:s}]", "href", "/", "label", "홈");
	if (href)
		json_array_append_new(bc, json_pack("{s:s, s:s}", "href", href, "label", label));
	json_array_append_new(bc, json_pack("{s:s}", "label", here));
	return bc;
}

/* ---- a survey link for one case ----------------------------------------- */

void web_case_survey(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	char token[SURVEY_TOKEN_SIZE], base[300], msg[400] = "";
	bool mailed = false;
	base_url(rq, base, sizeof(base));
	json_t *fields = json_object();
	bz_rc rc = survey_invite_case(rq->db, &rq->user, id, rq_form(rq, "email"), token, &mailed,
	                              fields, msg, sizeof(msg));
	char back[48];
	snprintf(back, sizeof(back), "/cases/%lld", (long long)id);
	if (rc == BZ_ERR_NOTFOUND) {
		json_decref(fields);
		web_error(rs, 404, "not_found", "그런 기업애로가 없습니다.");
		return;
	}
	if (rc == BZ_ERR_FORBIDDEN) {
		json_decref(fields);
		web_error(rs, 403, "forbidden", "만족도 조사를 보낼 권한이 없습니다.");
		return;
	}
	json_t *m = json_pack("{s:s, s:I, s:o}", "back", back, "case_id", (json_int_t)id,
	                      "breadcrumb", crumbs(back, "기업애로", "만족도 조사 보내기"));
	if (rc == BZ_ERR_INVALID || rc == BZ_ERR_CONFLICT) {
		const char *fmsg = json_string_value(json_object_get(fields, "email"));
		json_object_set_new(m, "refused", json_string(fmsg ? fmsg : msg));
		json_object_set_new(m, "error",
		                    json_pack("{s:s, s:s}", "code",
		                              rc == BZ_ERR_INVALID ? "invalid" : "conflict",
		                              "message", fmsg ? fmsg : msg));
		json_decref(fields);
		web_page_status(rs, rc == BZ_ERR_INVALID ? 422 : 409, "door/survey_sent",
		                "만족도 조사 보내기", m);
		return;
	}
	json_decref(fields);
	if (rc != BZ_OK) {
		json_decref(m);
		web_error(rs, 500, "internal", "만족도 조사를 만들지 못했습니다.");
		return;
	}
	char url[512];
	snprintf(url, sizeof(url), "%s/survey/%s", base, token);
	json_object_set_new(m, "url", json_string(url));
	json_object_set_new(m, "mailed", json_boolean(mailed));
	web_page(rs, "door/survey_sent", "만족도 조사 보내기", m);
}

/* ---- survey rounds and figures ------------------------------------------ */

static int this_year(void)
{
	return date_year(date_from_unix_kst((int64_t)db_time()));
}

static json_t *surveys_model(struct request *rq, int year)
{
	json_t *rounds = NULL, *stats = NULL;
	char first[16], last[16];
	snprintf(first, sizeof(first), "%04d-01-01", year);
	snprintf(last, sizeof(last), "%04d-12-31", year);
	if (survey_rounds(rq->db, &rounds) != BZ_OK || survey_stats(rq->db, first, last, &stats))
		goto fail;
	json_t *years = json_array();
	for (int y = this_year(); y >= this_year() - 5; y--)
		json_array_append_new(years,
		                      json_pack("{s:i, s:b}", "value", y, "selected", y == year));
	return json_pack("{s:o, s:o, s:i, s:o, s:b, s:{}, s:{s:s, s:s, s:s}}", "rounds", rounds,
	                 "stats", stats, "year", year, "years", years, "can_open",
	                 rq->user.role == ROLE_LEADER, "errors", "values", "period_first", "",
	                 "period_last", "", "title", "");
fail:
	json_decref(rounds);
	json_decref(stats);
	return NULL;
}

/* The columns of the survey rounds' CSV and XLSX (the list the page shows;
 * no personal data: counts and rates). */
static const struct export_col round_cols[] = {
    {"title", "조사", EXPORT_TEXT},
    {"period_first", "기간 시작일", EXPORT_DATE},
    {"period_last", "기간 종료일", EXPORT_DATE},
    {"invited", "대상", EXPORT_INT},
    {"answered", "응답", EXPORT_INT},
    {"rate_text", "응답률", EXPORT_TEXT},
    {"created_at", "시작", EXPORT_INSTANT},
};
static const struct export_spec round_export =
    EXPORT_SPEC("surveys", "만족도 조사 차수", round_cols, false);

void web_surveys(struct request *rq, struct response *rs)
{
	const char *ys = rq_query(rq, "year");
	long year = ys ? strtol(ys, NULL, 10) : this_year();
	if (year < 2000 || year > 2100)
		year = this_year();
	json_t *m = surveys_model(rq, (int)year);
	if (m == NULL) {
		web_error(rs, 500, "internal", "만족도 조사를 읽지 못했습니다.");
		return;
	}
	if (web_export_list(rq, rs, &round_export, json_object_get(m, "rounds"))) {
		json_decref(m);
		return;
	}
	web_export_links(rq, m, &round_export);
	web_has_flags(m);
	web_page(rs, "door/surveys", "만족도 조사", m);
}

void web_survey_round(struct request *rq, struct response *rs)
{
	const char *first = rq_form(rq, "period_first"), *last = rq_form(rq, "period_last"),
	           *title = rq_form(rq, "title");
	char base[300], msg[400] = "";
	base_url(rq, base, sizeof(base));
	json_t *fields = json_object(), *out = NULL;
	bz_rc rc = survey_round_open(rq->db, &rq->user, first, last, title, fields, &out, msg,
	                             sizeof(msg));
	if (rc == BZ_OK) {
		json_decref(fields);
		web_links_resolve_under(out, base); /* the leader copies them into other mail */
		json_object_set_new(out, "breadcrumb",
		                    crumbs("/surveys", "만족도 조사", "조사 시작"));
		web_page(rs, "door/round_opened", "만족도 조사를 시작했습니다", out);
		return;
	}
	if (rc == BZ_ERR_FORBIDDEN) {
		json_decref(fields);
		web_error(rs, 403, "forbidden", "만족도 조사는 팀장이 시작합니다.");
		return;
	}
	if (rc != BZ_ERR_INVALID && rc != BZ_ERR_CONFLICT) {
		json_decref(fields);
		web_error(rs, 500, "internal", "만족도 조사를 시작하지 못했습니다.");
		return;
	}
	json_t *m = surveys_model(rq, this_year());
	if (m == NULL) {
		json_decref(fields);
		web_error(rs, 500, "internal", "만족도 조사를 읽지 못했습니다.");
		return;
	}
	json_object_set_new(m, "values",
	                    json_pack("{s:s, s:s, s:s}", "period_first", first ? first : "",
	                              "period_last", last ? last : "", "title",
	                              title ? title : ""));
	if (rc == BZ_ERR_CONFLICT) {
		json_decref(fields);
		json_object_set_new(m, "conflict", json_string(msg));
		json_object_set_new(m, "error",
		                    json_pack("{s:s, s:s}", "code", "conflict", "message", msg));
		web_has_flags(m);
		web_page_status(rs, 409, "door/surveys", "만족도 조사", m);
		return;
	}
	json_object_set(m, "errors", fields);
	web_has_flags(m);
	web_invalid(rs, "door/surveys", "만족도 조사", m, fields);
}

/* ---- confirming a company filed online ---------------------------------- */

void web_company_confirm(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	bz_rc rc = id > 0 ? online_company_confirm(rq->db, &rq->user, id) : BZ_ERR_NOTFOUND;
	char loc[48];
	snprintf(loc, sizeof(loc), "/companies/%lld", (long long)id);
	const char *back = rq_form(rq, "back");
	if (back && web_local_path(back) && strlen(back) < 200)
		bz_strlcpy(loc, back, sizeof(loc));
	switch (rc) {
	case BZ_OK:
	case BZ_ERR_CONFLICT: /* already confirmed: nothing left to do */
		web_flash(rs, rq, "success", "company_confirmed");
		web_redirect(rs, loc);
		return;
	case BZ_ERR_NOTFOUND:
		web_error(rs, 404, "not_found", "그런 기업이 없습니다.");
		return;
	case BZ_ERR_FORBIDDEN:
		web_error(rs, 403, "forbidden", "기업 정보를 확인할 권한이 없습니다.");
		return;
	default:
		web_error(rs, 500, "internal", "저장하지 못했습니다. 잠시 후 다시 시도해 주세요.");
	}
}

/* ---- hooks into other pages --------------------------------------------- */

void web_has_flags(json_t *o)
{
	if (json_is_array(o)) {
		size_t i;
		json_t *v;
		json_array_foreach(o, i, v) web_has_flags(v);
		return;
	}
	if (!json_is_object(o))
		return;
	const char *k;
	json_t *v;
	void *tmp;
	json_t *flags = json_object();
	json_object_foreach_safe(o, tmp, k, v)
	{
		if (json_is_array(v) && strncmp(k, "has_", 4) != 0) {
			char key[96];
			snprintf(key, sizeof(key), "has_%s", k);
			json_object_set_new(flags, key, json_boolean(json_array_size(v) > 0));
		}
		if (json_is_object(v) || json_is_array(v))
			web_has_flags(v);
	}
	json_object_update(o, flags);
	json_decref(flags);
}

bz_rc web_public_case_hook(struct request *rq, int64_t case_id, json_t *model)
{
	json_t *online = NULL, *surveys = NULL;
	bz_rc rc = online_request_for_case(rq->db, &rq->user, case_id, rq->remote, &online);
	if (rc != BZ_OK)
		return rc;
	if (online)
		json_object_set_new(model, "online", online);
	if (rq->user.role == ROLE_DEPARTMENT)
		return BZ_OK;
	if ((rc = survey_for_case(rq->db, case_id, &surveys)) != BZ_OK)
		return rc;
	json_object_set_new(model, "has_surveys", json_boolean(json_array_size(surveys)));
	json_object_set_new(model, "surveys", surveys);
	if (online)
		web_has_flags(online);
	const json_t *c = json_object_get(model, "case");
	const char *status = json_string_value(json_object_get(c, "status"));
	bool merged = json_integer_value(json_object_get(c, "merged_into")) > 0;
	json_object_set_new(model, "can_survey",
	                    json_boolean((rq->user.role & (ROLE_STAFF | ROLE_LEADER)) && status &&
	                                 strcmp(status, "done") == 0 && !merged));
	if (online) {
		const json_t *e = json_object_get(online, "email");
		json_object_set_new(model, "survey_email",
		                    json_string(json_is_string(e) ? json_string_value(e) : ""));
	}
	return BZ_OK;
}

bz_rc web_public_home_hook(struct request *rq, json_t *model)
{
	if (!(rq->user.role & (ROLE_LEADER | ROLE_STAFF)))
		return BZ_OK;
	json_t *w = NULL;
	bz_rc rc = online_request_waiting(rq->db, &w);
	if (rc != BZ_OK)
		return rc;
	json_object_set_new(model, "has_online_waiting", json_boolean(json_array_size(w)));
	json_object_set_new(model, "online_waiting", w);
	json_object_set_new(model, "online_waiting_count",
	                    json_integer((json_int_t)json_array_size(w)));
	return BZ_OK;
}

bz_rc web_public_stats_hook(struct request *rq, const char *first, const char *last, json_t *model)
{
	json_t *s = NULL;
	bz_rc rc = survey_stats(rq->db, first, last, &s);
	if (rc == BZ_OK)
		json_object_set_new(model, "satisfaction", s);
	return rc;
}
