/* The executive dashboard (/dashboard): 집행률 by source as gauges, the
 * budget per year and source as bars, targets against actuals, cases by
 * status and category, overdue count. Each chart is inline SVG with a table
 * of the same numbers beside it. */
#include "web_public.h"
#include "bizsos/card.h"
#include "bizsos/model_cache.h"
#include "bizsos/program.h"
#include "bizsos/quarter.h"
#include "bizsos/kst.h"
#include "bizsos/svg.h"
#include "bizsos/web.h"
#include "web_program.h"

#include <stdio.h>
#include <string.h>

/* The chart drawn into b becomes o[key] (nothing when drawing failed). */
static void set_svg(json_t *o, const char *key, struct buf *b)
{
	const char *s = buf_cstr(b);
	if (s)
		json_object_set_new(o, key, json_string(s));
	buf_reset(b);
}

/* A one-series bar chart of the {label, count} rows of m[rows_key] (16 at
 * most), as m[svg_key]. */
static void count_bars(json_t *m, struct buf *b, const char *rows_key, const char *id,
                       const char *title, const char *desc, const char *svg_key)
{
	struct svg_bar_group groups[16];
	char ct[16][24];
	json_t *rows = json_object_get(m, rows_key);
	size_t n = json_array_size(rows) > 16 ? 16 : json_array_size(rows);
	size_t i;
	json_t *t;
	json_array_foreach(rows, i, t)
	{
		if (i >= n)
			break;
		groups[i].label = json_string_value(json_object_get(t, "label"));
		groups[i].value[0] = json_integer_value(json_object_get(t, "count"));
		snprintf(ct[i], sizeof(ct[i]), "%lld", (long long)groups[i].value[0]);
		groups[i].text[0] = ct[i];
	}
	static const char *const series[] = {"사건 수"};
	svg_bars(b, id, title, desc, series, 1, groups, (int)n);
	set_svg(m, svg_key, b);
}

/* Horizontal bars of the {label, count} rows of m[rows_key] (32 at most), as
 * m[svg_key]: for categories, whose names are long. */
static void count_hbars(json_t *m, struct buf *b, const char *rows_key, const char *id,
                        const char *title, const char *desc, const char *svg_key)
{
	struct svg_hbar rows[32];
	char ct[32][24];
	json_t *a = json_object_get(m, rows_key);
	size_t n = json_array_size(a) > 32 ? 32 : json_array_size(a);
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(a, i);
		rows[i].label = json_string_value(json_object_get(t, "label"));
		rows[i].value = json_integer_value(json_object_get(t, "count"));
		snprintf(ct[i], sizeof(ct[i]), "%lld건", (long long)rows[i].value);
		rows[i].text = ct[i];
	}
	svg_hbars(b, id, title, desc, rows, (int)n);
	set_svg(m, svg_key, b);
}

/* The day the dashboard is counted on: today, or with ?as_of=2024-Q3 (or
 * ?year=&quarter=) the last day of that quarter (today while it runs), within
 * the program's term. Sets m.as_of and m.quarters. false with rs filled (400,
 * 404) on bad input. */
static bool dashboard_day(struct request *rq, struct response *rs, int64_t id, char day[11],
                          json_t **as_of, json_t **quarters)
{
	int year, quarter;
	*as_of = NULL;
	*quarters = NULL;
	kst_today(day);
	if (!web_program_quarter(rq, rs, &year, &quarter))
		return false;
	json_t *p = NULL;
	bz_rc rc = program_get(rq->db, id, &p);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return false;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "대시보드를 만들지 못했습니다.");
		return false;
	}
	if (year > 0) {
		int fy, fq, ly, lq;
		bool ok =
		    quarter_parse(json_string_value(json_object_get(p, "first_quarter")), &fy,
		                  &fq) &&
		    quarter_parse(json_string_value(json_object_get(p, "last_quarter")), &ly, &lq);
		char first[11], last[11];
		quarter_bounds(year, quarter, first, last);
		if (!ok || year * 4 + quarter < fy * 4 + fq || year * 4 + quarter > ly * 4 + lq) {
			json_decref(p);
			web_error(rs, 400, "bad_quarter", "사업 기간 안의 분기를 골라 주세요.");
			return false;
		}
		if (strcmp(first, day) > 0) {
			json_decref(p);
			web_error(rs, 400, "bad_quarter", "아직 시작하지 않은 분기입니다.");
			return false;
		}
		char key[16], label[32];
		snprintf(key, sizeof(key), "%d-Q%d", year, quarter);
		snprintf(label, sizeof(label), "%d년 %d분기", year, quarter);
		bool running = strcmp(last, day) > 0;
		if (!running)
			memcpy(day, last, 11);
		*as_of = json_pack("{s:s, s:s, s:s, s:b}", "key", key, "label", label, "last_day",
		                   last, "running", running);
	}
	/* only the quarters begun so far */
	json_t *all = web_quarter_options(p, year, quarter), *q = json_array(), *o;
	size_t i;
	char today[11];
	kst_today(today);
	json_array_foreach(all, i, o)
	{
		int y, qq;
		char f[11], l[11];
		if (quarter_parse(json_string_value(json_object_get(o, "value")), &y, &qq)) {
			quarter_bounds(y, qq, f, l);
			if (strcmp(f, today) <= 0)
				json_array_append(q, o);
		}
	}
	json_decref(all);
	json_decref(p);
	*quarters = q;
	return true;
}

static struct rate rate_of(json_t *r)
{
	struct rate x = {json_is_true(json_object_get(r, "ok")),
	                 json_integer_value(json_object_get(r, "tenths"))};
	return x;
}

void web_dashboard(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	char today[11];
	json_t *as_of, *quarters;
	if (!dashboard_day(rq, rs, id, today, &as_of, &quarters))
		return;
	json_t *m = NULL;
	bz_rc rc = dashboard_model_cached(rq->db, id, today, &m);
	if (rc != BZ_OK) {
		json_decref(as_of);
		json_decref(quarters);
		if (rc == BZ_ERR_NOTFOUND)
			web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		else
			web_error(rs, 500, "internal", "대시보드를 만들지 못했습니다.");
		return;
	}
	/* the model may be the cache's: these go on this request's copy */
	json_object_set_new(m, "as_of", as_of ? as_of : json_null());
	json_object_set_new(m, "quarters", quarters);
	{ /* satisfaction surveys of this year, by quarter (issue 10) */
		char first[16];
		snprintf(first, sizeof(first), "%.4s-01-01", today);
		if (web_public_stats_hook(rq, first, today, m) != BZ_OK) {
			json_decref(m);
			web_error(rs, 500, "internal", "대시보드를 만들지 못했습니다.");
			return;
		}
	}
	if (rq->api) {
		web_page(rs, "dashboard/show", "집행률 현황", m);
		return;
	}
	struct buf b;
	buf_init(&b, 0);
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(m, "exec_gauges"), i, g)
	{
		char id_s[32], title[96], desc[256];
		snprintf(id_s, sizeof(id_s), "gauge-%s",
		         json_string_value(json_object_get(g, "key")));
		snprintf(title, sizeof(title), "%s 집행률",
		         json_string_value(json_object_get(g, "label")));
		snprintf(desc, sizeof(desc), "집행액 %s백만원 ÷ 확보액 %s백만원 = %s%%",
		         json_string_value(json_object_get(g, "executed_text")),
		         json_string_value(json_object_get(g, "secured_text")),
		         json_string_value(json_object_get(json_object_get(g, "rate"), "text")));
		svg_gauge(&b, id_s, title, desc, rate_of(json_object_get(g, "rate")));
		set_svg(g, "svg", &b);
	}
	/* budget bars: plan / secured / executed per year */
	json_t *years = json_object_get(m, "budget_years");
	size_t ny = json_array_size(years);
	struct svg_bar_group groups[16];
	if (ny > 16)
		ny = 16;
	json_t *y;
	json_array_foreach(years, i, y)
	{
		if (i >= ny)
			break;
		groups[i].label = json_string_value(json_object_get(y, "label"));
		static const char *const keys[] = {"planned", "secured", "executed"};
		for (int s = 0; s < 3; s++) {
			char k[32];
			snprintf(k, sizeof(k), "%s_text", keys[s]);
			groups[i].value[s] = json_integer_value(json_object_get(y, keys[s]));
			groups[i].text[s] = json_string_value(json_object_get(y, k));
		}
	}
	static const char *const bseries[] = {"계획", "확보", "집행"};
	svg_bars(&b, "bars-budget", "연도별 예산 계획·확보·집행 (백만원)",
	         "연도마다 계획, 확보, 집행 금액을 막대로 나란히 보입니다. 같은 숫자가 옆 표에 "
	         "있습니다.",
	         bseries, 3, groups, (int)ny);
	set_svg(m, "budget_svg", &b);
	/* targets against actuals */
	json_t *targets = json_object_get(m, "targets");
	size_t nt = json_array_size(targets) > 16 ? 16 : json_array_size(targets);
	char vt[16][2][24];
	json_t *t;
	json_array_foreach(targets, i, t)
	{
		if (i >= nt)
			break;
		groups[i].label = json_string_value(json_object_get(t, "period_label"));
		groups[i].value[0] = json_integer_value(json_object_get(t, "value"));
		groups[i].value[1] = json_integer_value(json_object_get(t, "actual"));
		snprintf(vt[i][0], sizeof(vt[i][0]), "%lld", (long long)groups[i].value[0]);
		snprintf(vt[i][1], sizeof(vt[i][1]), "%lld", (long long)groups[i].value[1]);
		groups[i].text[0] = vt[i][0];
		groups[i].text[1] = vt[i][1];
	}
	static const char *const tseries[] = {"목표", "처리 실적"};
	svg_bars(&b, "bars-targets", "연도별 기업SOS 처리 목표와 실적 (건)",
	         "기간마다 목표 건수와 완료된 사건 수를 나란히 보입니다.", tseries, 2, groups,
	         (int)nt);
	set_svg(m, "targets_svg", &b);
	/* cases by status and by category */
	count_bars(m, &b, "cases_by_status", "bars-status", "처리 상태별 기업애로 (건)",
	           "상태마다 사건 수를 보입니다.", "status_svg");
	count_hbars(m, &b, "cases_by_category", "bars-category", "분야별 기업애로 (건)",
	            "분야마다 접수된 사건 수를 가로 막대로 보입니다. 같은 숫자가 옆 표에 있습니다.",
	            "category_svg");
	bool failed = b.failed;
	buf_free(&b);
	if (failed) {
		json_decref(m);
		web_error(rs, 500, "internal", "차트를 그리지 못했습니다.");
		return;
	}
	web_page(rs, "dashboard/show", "집행률 현황", m);
}
