/* The leader's quarterly progress page (/progress?year=2024&quarter=3), its
 * XLSX download, and the quarter's sign-off. */
#include "web_public.h"
#include "bizsos/app.h"
#include "bizsos/kst.h"
#include "bizsos/card.h"
#include "bizsos/model_cache.h"
#include "bizsos/program.h"
#include "bizsos/web.h"
#include "web_program.h"
#include "bizsos/workday.h"
#include "bizsos/xlsx.h"

#include <stdlib.h>
#include <string.h>

static json_t *progress_for(struct request *rq, struct response *rs, int64_t *pid, int *year,
                            int *quarter)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return NULL;
	int want_y = *year, want_q = *quarter; /* a sign-off form's quarter, if any */
	if (!web_program_quarter(rq, rs, year, quarter))
		return NULL;
	if (*year == 0 && want_y > 0) {
		*year = want_y;
		*quarter = want_q;
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	if (*year == 0) {
		int32_t d;
		date_parse(today, &d, NULL);
		*year = date_year(d);
		*quarter = date_quarter(d);
	}
	json_t *m = NULL;
	bz_rc rc = progress_model_cached(rq->db, id, *year, *quarter, today, &m);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "분기 추진 현황을 만들지 못했습니다.");
		return NULL;
	}
	json_t *so = NULL;
	if (quarter_signoff_get(rq->db, id, *year, *quarter, &so) != BZ_OK) {
		json_decref(m);
		web_error(rs, 500, "internal", "분기 추진 현황을 만들지 못했습니다.");
		return NULL;
	}
	if (so) {
		/* the figures as signed, and what has changed since (e.g. a late visit) */
		json_t *live = progress_figures(m);
		json_t *changes = progress_figures_changes(json_object_get(so, "figures"), live);
		json_decref(live);
		json_object_set_new(so, "changed", json_boolean(json_array_size(changes) > 0));
		json_object_set_new(so, "changes", changes);
		/* and the records behind them changed since (who, what) */
		json_t *ch = NULL;
		int64_t n = 0;
		if (period_changes_since(rq->db, *year, *quarter,
		                         json_string_value(json_object_get(so, "signed_at")), &ch,
		                         &n) != BZ_OK) {
			json_decref(so);
			json_decref(m);
			web_error(rs, 500, "internal", "분기 추진 현황을 만들지 못했습니다.");
			return NULL;
		}
		json_object_set_new(m, "changed_since",
		                    json_pack("{s:I, s:o, s:b, s:b}", "count", (json_int_t)n,
		                              "items", ch, "records", n > 0, "any", n > 0));
		json_object_set_new(m, "signoff", so);
	}
	json_t *withdrawn = NULL;
	if (quarter_signoff_withdrawals(rq->db, id, *year, *quarter, &withdrawn) != BZ_OK) {
		json_decref(m);
		web_error(rs, 500, "internal", "분기 추진 현황을 만들지 못했습니다.");
		return NULL;
	}
	json_object_set_new(m, "withdrawals", withdrawn);
	char ql[DATE_TEXT_SIZE], qf[DATE_TEXT_SIZE];
	quarter_bounds(*year, *quarter, qf, ql);
	json_object_set_new(m, "quarter_ended", json_boolean(strcmp(today, ql) > 0));
	json_object_set_new(m, "program_id", json_integer(id));
	{ /* satisfaction surveys of the year up to this quarter's end (issue 10) */
		char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
		static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};
		snprintf(first, sizeof(first), "%04d-01-01", *year);
		snprintf(last, sizeof(last), "%04d-%s", *year, ends[(*quarter - 1) & 3]);
		if (web_public_stats_hook(rq, first, last, m) != BZ_OK) {
			json_decref(m);
			web_error(rs, 500, "internal", "분기 추진 현황을 만들지 못했습니다.");
			return NULL;
		}
	}
	*pid = id;
	return m;
}

static void progress_page(struct request *rq, struct response *rs, bool xlsx)
{
	int64_t id;
	int year = 0, quarter = 0;
	json_t *m = progress_for(rq, rs, &id, &year, &quarter);
	if (m == NULL)
		return;
	const char *format = rq_query(rq, "format");
	if (xlsx || (format && strcmp(format, "xlsx") == 0)) {
		char name[48];
		snprintf(name, sizeof(name), "progress-%d-Q%d.xlsx", year, quarter);
		/* private figures: not kept by caches, like the card's */
		web_program_send_xlsx(rq, rs, m, false, name, true);
		return;
	}
	if (!rq->api) {
		char href[128];
		snprintf(href, sizeof(href), "/progress.xlsx?program=%lld&year=%d&quarter=%d",
		         (long long)id, year, quarter);
		json_object_set_new(m, "xlsx_href", json_string(href));
		json_object_set_new(
		    m, "can_sign",
		    json_boolean((rq->user.role & ROLE_LEADER) &&
		                 json_object_get(m, "signoff") == NULL &&
		                 json_is_true(json_object_get(m, "quarter_ended"))));
		json_object_set_new(m, "can_withdraw",
		                    json_boolean((rq->user.role & ROLE_LEADER) &&
		                                 json_object_get(m, "signoff") != NULL));
		json_t *years = json_array();
		for (int y = year + 1; y >= year - 4; y--)
			json_array_append_new(
			    years, json_pack("{s:i, s:b}", "value", y, "selected", y == year));
		json_object_set_new(m, "year_options", years);
		json_t *qs = json_array();
		for (int q = 1; q <= 4; q++)
			json_array_append_new(
			    qs, json_pack("{s:i, s:b}", "value", q, "selected", q == quarter));
		json_object_set_new(m, "quarter_options", qs);
	}
	web_page(rs, "progress/show", "분기 추진 현황", m);
}

void web_progress(struct request *rq, struct response *rs)
{
	progress_page(rq, rs, false);
}

void web_progress_xlsx(struct request *rq, struct response *rs)
{
	progress_page(rq, rs, true);
}

/* The year and quarter of a sign-off form; false (and a 422 answered) if bad. */
static bool signoff_quarter(struct request *rq, struct response *rs, int *year, int *quarter)
{
	const char *ys = rq_form(rq, "year"), *qs = rq_form(rq, "quarter");
	char key[16];
	snprintf(key, sizeof(key), "%.4s-Q%.1s", ys ? ys : "", qs ? qs : "");
	if (ys == NULL || qs == NULL || strlen(ys) != 4 || strlen(qs) != 1 ||
	    !quarter_parse(key, year, quarter)) {
		web_error(rs, 422, "bad_quarter", "확인할 연도와 분기가 올바르지 않습니다.");
		return false;
	}
	return true;
}

/* The answer to a sign-off or its withdrawal: back to the page, or the error. */
static void signoff_answer(struct request *rq, struct response *rs, int64_t id, int year,
                           int quarter, bz_rc rc, json_t *fields, const char *flash)
{
	char loc[96];
	snprintf(loc, sizeof(loc), "/progress?program=%lld&year=%d&quarter=%d", (long long)id, year,
	         quarter);
	if (rc == BZ_OK) {
		json_decref(fields);
		web_flash(rs, rq, "success", flash);
		web_redirect(rs, loc);
		return;
	}
	if (rc == BZ_ERR_CONFLICT) {
		json_decref(fields);
		web_error(rs, 409, "already_signed", "그 분기는 이미 확인(결재)되었습니다.");
		return;
	}
	if (rc == BZ_ERR_INVALID) {
		/* the progress page again, with the reason at the top and by the field */
		int64_t pid;
		int y = year, q = quarter;
		json_t *m = progress_for(rq, rs, &pid, &y, &q);
		if (m == NULL) {
			json_decref(fields);
			return;
		}
		bool signed_now = json_object_get(m, "signoff") != NULL;
		json_object_set_new(
		    m, "can_sign",
		    json_boolean(!signed_now && json_is_true(json_object_get(m, "quarter_ended"))));
		json_object_set_new(m, "can_withdraw", json_boolean(signed_now));
		web_invalid(rs, "progress/show", "분기 추진 현황", m, fields);
		return;
	}
	json_decref(fields);
	web_error(
	    rs, rc == BZ_ERR_NOTFOUND ? 404 : 500, rc == BZ_ERR_NOTFOUND ? "not_found" : "internal",
	    rc == BZ_ERR_NOTFOUND ? "확인된 분기가 없습니다." : "분기 확인을 기록하지 못했습니다.");
}

void web_progress_signoff(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	int year = 0, quarter = 0;
	if (id == 0 || !signoff_quarter(rq, rs, &year, &quarter))
		return;
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_t *fields = json_object();
	bz_rc rc = quarter_signoff(rq->db, &rq->user, id, year, quarter, rq_form(rq, "note"), today,
	                           fields);
	signoff_answer(rq, rs, id, year, quarter, rc, fields, "quarter_signed");
}

void web_progress_signoff_withdraw(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	int year = 0, quarter = 0;
	if (id == 0 || !signoff_quarter(rq, rs, &year, &quarter))
		return;
	json_t *fields = json_object();
	bz_rc rc = quarter_signoff_withdraw(rq->db, &rq->user, id, year, quarter,
	                                    rq_form(rq, "reason"), fields);
	signoff_answer(rq, rs, id, year, quarter, rc, fields, "signoff_withdrawn");
}
