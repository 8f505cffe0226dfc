/* The pledge card (/card), its XLSX download, and the frozen copies the
 * leader publishes per quarter (/card/snapshots). */
#include "bizsos/app.h"
#include "bizsos/kst.h"
#include "bizsos/card.h"
#include "bizsos/card_photo.h"
#include "bizsos/model_cache.h"
#include "bizsos/program.h"
#include "bizsos/validate.h"
#include "bizsos/web.h"
#include "web_program.h"
#include "bizsos/workday.h"
#include "bizsos/xlsx.h"

#include <stdlib.h>
#include <string.h>

int64_t web_program_id(struct request *rq, struct response *rs)
{
	const char *s = rq_query(rq, "program");
	if (s == NULL)
		s = rq_form(rq, "program");
	if (s == NULL || *s == '\0')
		return PROGRAM_SOS_ID;
	char *end;
	long long id = strtoll(s, &end, 10);
	if (*end || id <= 0) {
		web_error(rs, 400, "bad_program", "사업 번호가 올바르지 않습니다.");
		return 0;
	}
	return id;
}

bool web_program_quarter(struct request *rq, struct response *rs, int *year, int *quarter)
{
	*year = 0;
	*quarter = 0;
	const char *as_of = rq_query(rq, "as_of");
	const char *y = rq_query(rq, "year"), *q = rq_query(rq, "quarter");
	if (as_of && *as_of) {
		if (!quarter_parse(as_of, year, quarter)) {
			web_error(rs, 400, "bad_quarter",
			          "기준 분기는 2024-Q3 형식으로 적어 주세요.");
			return false;
		}
		return true;
	}
	if ((y == NULL || *y == '\0') && (q == NULL || *q == '\0'))
		return true;
	char buf[16];
	if (y == NULL || q == NULL || strlen(y) != 4 || strlen(q) != 1) {
		web_error(rs, 400, "bad_quarter", "연도(예: 2024)와 분기(1~4)를 함께 적어 주세요.");
		return false;
	}
	snprintf(buf, sizeof(buf), "%s-Q%s", y, q);
	if (!quarter_parse(buf, year, quarter)) {
		web_error(rs, 400, "bad_quarter", "연도(2000~2100)와 분기(1~4)를 확인해 주세요.");
		return false;
	}
	return true;
}

json_t *web_quarter_options(json_t *program, int year, int quarter)
{
	int fy, fq, ly, lq;
	json_t *a = json_array();
	if (!quarter_parse(json_string_value(json_object_get(program, "first_quarter")), &fy,
	                   &fq) ||
	    !quarter_parse(json_string_value(json_object_get(program, "last_quarter")), &ly, &lq))
		return a;
	for (int y = ly; y >= fy; y--)
		for (int q = 4; q >= 1; q--) {
			if ((y == ly && q > lq) || (y == fy && q < fq))
				continue;
			char v[16], l[32];
			snprintf(v, sizeof(v), "%d-Q%d", y, q);
			snprintf(l, sizeof(l), "%d년 %d분기", y, q);
			json_array_append_new(a,
			                      json_pack("{s:s, s:s, s:b}", "value", v, "label", l,
			                                "selected", y == year && q == quarter));
		}
	return a;
}

/* Builds the card model of the request's program and quarter; NULL with rs
 * filled on an error. */
static json_t *card_for(struct request *rq, struct response *rs, int64_t *pid, int *year,
                        int *quarter)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return NULL;
	if (!web_program_quarter(rq, rs, year, quarter))
		return NULL;
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	bz_rc rc = BZ_OK;
	if (*year == 0)
		rc = card_default_quarter(rq->db, id, today, year, quarter);
	json_t *m = NULL;
	if (rc == BZ_OK)
		rc = card_model_cached(rq->db, id, *year, *quarter, &m);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return NULL;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "공약 이행 카드를 만들지 못했습니다.");
		return NULL;
	}
	*pid = id;
	return m;
}

void web_program_send_xlsx(struct request *rq, struct response *rs, json_t *m, bool card,
                           const char *name, bool no_store)
{
	char *data = NULL;
	size_t len = 0;
	web_links_resolve(m);
	bz_rc rc = card ? xlsx_card(m, rq->app->tmp_dir, &data, &len)
	                : xlsx_progress(m, rq->app->tmp_dir, &data, &len);
	json_decref(m);
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "엑셀 파일을 만들지 못했습니다.");
		return;
	}
	rs->status = 200;
	rs->body = data;
	rs->body_len = len;
	bz_strlcpy(rs->content_type, XLSX_CONTENT_TYPE, sizeof(rs->content_type));
	char disp[160];
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	kv_add(&rs->headers, "Content-Disposition", disp, strlen(disp));
	if (no_store)
		kv_add(&rs->headers, "Cache-Control", "private, no-store", 17);
}

static void card_page(struct request *rq, struct response *rs, bool force_xlsx)
{
	int64_t id;
	int year, quarter;
	json_t *m = card_for(rq, rs, &id, &year, &quarter);
	if (m == NULL)
		return;
	const char *format = rq_query(rq, "format");
	if (force_xlsx || (format && strcmp(format, "xlsx") == 0)) {
		char name[96];
		snprintf(name, sizeof(name), "pledge-card-%lld-%d-Q%d.xlsx", (long long)id, year,
		         quarter);
		web_program_send_xlsx(rq, rs, m, true, name, true);
		return;
	}
	if (format && *format && strcmp(format, "html") && strcmp(format, "json")) {
		json_decref(m);
		web_error(rs, 400, "bad_format", "format은 xlsx 또는 html만 쓸 수 있습니다.");
		return;
	}
	/* Since its card was published: the records of this quarter that changed
	 * (who, what), and every figure of the card that is no longer what was
	 * published, whatever record or rule moved it (an entry of an earlier
	 * year, an activity type counted elsewhere). Both faces carry it. */
	json_t *snaps = NULL;
	if (card_snapshots(rq->db, id, &snaps) != BZ_OK) {
		json_decref(m);
		web_error(rs, 500, "internal", "공약 이행 카드를 만들지 못했습니다.");
		return;
	}
	bool published = false;
	{
		const char *published_at = NULL;
		json_int_t snap_id = 0;
		size_t i;
		json_t *s;
		json_array_foreach(snaps, i, s)
		{
			if (json_integer_value(json_object_get(s, "year")) == year &&
			    json_integer_value(json_object_get(s, "quarter")) == quarter) {
				published = true;
				published_at =
				    json_string_value(json_object_get(s, "published_at"));
				snap_id = json_integer_value(json_object_get(s, "id"));
			}
		}
		if (published_at) {
			json_t *ch = NULL, *snap = NULL, *meta = NULL;
			int64_t n = 0;
			if (period_changes_since(rq->db, year, quarter, published_at, &ch, &n) !=
			        BZ_OK ||
			    card_snapshot_get(rq->db, snap_id, &snap, &meta) != BZ_OK) {
				json_decref(ch);
				json_decref(snaps);
				json_decref(m);
				web_error(rs, 500, "internal",
				          "공약 이행 카드를 만들지 못했습니다.");
				return;
			}
			json_t *figs = progress_figures_changes(json_object_get(snap, "figures"),
			                                        json_object_get(m, "figures"));
			json_decref(snap);
			json_decref(meta);
			size_t nf = json_array_size(figs);
			json_object_set_new(m, "changed_since",
			                    json_pack("{s:I, s:o, s:b, s:b, s:o, s:b}", "count",
			                              (json_int_t)n, "items", ch, "records", n > 0,
			                              "any", n > 0 || nf > 0, "figures", figs,
			                              "figures_changed", nf > 0));
		}
	}
	if (rq->api) {
		json_decref(snaps);
	} else {
		json_t *programs = NULL;
		if (program_list(rq->db, &programs) != BZ_OK) {
			json_decref(snaps);
			json_decref(m);
			web_error(rs, 500, "internal", "공약 이행 카드를 만들지 못했습니다.");
			return;
		}
		json_object_set_new(m, "snapshots", snaps);
		{
			size_t i;
			json_t *p;
			json_array_foreach(programs, i, p) json_object_set_new(
			    p, "selected",
			    json_boolean(json_integer_value(json_object_get(p, "id")) == id));
			json_object_set_new(m, "programs", programs);
			json_object_set_new(m, "many_programs",
			                    json_boolean(json_array_size(programs) > 1));
		}
		json_object_set_new(
		    m, "quarters",
		    web_quarter_options(json_object_get(m, "program"), year, quarter));
		/* the default is the last completed quarter; the current one is a click away */
		char today[DATE_TEXT_SIZE], key[16], label[48], cur_href[96];
		kst_today(today);
		int32_t td = 0;
		if (date_parse(today, &td, NULL) == BZ_OK) {
			int cy = date_year(td), cq = date_quarter(td);
			snprintf(key, sizeof(key), "%d-Q%d", cy, cq);
			snprintf(label, sizeof(label), "%d년 %d분기", cy, cq);
			snprintf(cur_href, sizeof(cur_href), "/card?program=%lld&as_of=%s",
			         (long long)id, key);
			json_object_set_new(m, "current_quarter",
			                    json_pack("{s:s, s:s, s:s, s:b}", "key", key, "label",
			                              label, "href", cur_href, "viewing",
			                              cy == year && cq == quarter));
		}
		json_object_set_new(m, "can_publish",
		                    json_boolean((rq->user.role & ROLE_LEADER) && !published));
		json_object_set_new(m, "published", json_boolean(published));
		if (rq->user.role & ROLE_LEADER) { /* the leader chooses the photo strip */
			char ph[96];
			snprintf(ph, sizeof(ph), "/card/photos?program=%lld&as_of=%d-Q%d",
			         (long long)id, year, quarter);
			json_object_set_new(m, "photos_href", json_string(ph));
		}
		char href[128];
		snprintf(href, sizeof(href), "/card.xlsx?program=%lld&year=%d&quarter=%d",
		         (long long)id, year, quarter);
		json_object_set_new(m, "xlsx_href", json_string(href));
		json_object_set_new(m, "live", json_true());
	}
	web_page(rs, "card/show", "공약 이행 카드", m);
}

void web_card(struct request *rq, struct response *rs)
{
	card_page(rq, rs, false);
}

void web_card_xlsx(struct request *rq, struct response *rs)
{
	card_page(rq, rs, true);
}

void web_card_publish(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	const char *as_of = rq_form(rq, "as_of");
	int year, quarter;
	if (as_of == NULL || !quarter_parse(as_of, &year, &quarter)) {
		web_error(rs, 422, "bad_quarter", "게시할 분기를 2024-Q3 형식으로 골라 주세요.");
		return;
	}
	json_t *m = NULL;
	bz_rc rc = card_model(rq->db, id, year, quarter, &m);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "카드를 만들지 못했습니다.");
		return;
	}
	int64_t sid = 0;
	web_links_resolve(m); /* the published card keeps its links as URLs */
	rc = card_snapshot_publish(rq->db, &rq->user, id, year, quarter, m, &sid);
	json_decref(m);
	if (rc == BZ_ERR_CONFLICT) {
		web_error(rs, 409, "already_published",
		          "그 분기의 카드는 이미 게시되었습니다. 게시된 카드는 바꿀 수 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "카드를 게시하지 못했습니다.");
		return;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/card/snapshots/%lld", (long long)sid);
	web_flash(rs, rq, "success", "card_published");
	web_redirect(rs, loc);
	rs->model = json_pack("{s:I}", "id", (json_int_t)sid);
}

void web_card_snapshots(struct request *rq, struct response *rs)
{
	int64_t id = web_program_id(rq, rs);
	if (id == 0)
		return;
	json_t *snaps = NULL;
	if (card_snapshots(rq->db, id, &snaps) != BZ_OK) {
		web_error(rs, 500, "internal", "게시된 카드 목록을 읽지 못했습니다.");
		return;
	}
	web_page(rs, "card/snapshots", "게시된 공약 이행 카드",
	         json_pack("{s:o, s:I}", "snapshots", snaps, "program_id", (json_int_t)id));
}

void web_card_snapshot(struct request *rq, struct response *rs)
{
	int64_t sid = rq_param_id(rq, "id");
	json_t *m = NULL, *meta = NULL;
	bz_rc rc = sid > 0 ? card_snapshot_get(rq->db, sid, &m, &meta) : BZ_ERR_NOTFOUND;
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 게시 카드가 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "게시된 카드를 읽지 못했습니다.");
		return;
	}
	const char *format = rq_query(rq, "format");
	json_object_set_new(m, "snapshot", meta);
	if (format && strcmp(format, "xlsx") == 0) {
		char name[96];
		snprintf(name, sizeof(name), "pledge-card-snapshot-%lld.xlsx", (long long)sid);
		web_program_send_xlsx(rq, rs, m, true, name, true);
		return;
	}
	if (!rq->api) {
		char href[96];
		snprintf(href, sizeof(href), "/card/snapshots/%lld?format=xlsx", (long long)sid);
		json_object_set_new(m, "xlsx_href", json_string(href));
	}
	web_page(rs, "card/show", "게시된 공약 이행 카드", m);
}

/* ---- the photo strip: the leader chooses (issue 14) ---------------------- */

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The program and quarter of the photo form (query or form): ?program= and
 * ?as_of=2024-Q3 within the program's term; false with rs filled. */
static bool photo_target(struct request *rq, struct response *rs, int64_t *id, int *year,
                         int *quarter, json_t **program)
{
	*program = NULL;
	if ((*id = web_program_id(rq, rs)) == 0)
		return false;
	const char *as_of = rq_query(rq, "as_of");
	if (as_of == NULL)
		as_of = rq_form(rq, "as_of");
	if (as_of == NULL && rq->method == HTTP_GET) {
		/* no quarter asked: the one the card shows by default */
		char today[DATE_TEXT_SIZE];
		kst_today(today);
		bz_rc drc = card_default_quarter(rq->db, *id, today, year, quarter);
		if (drc == BZ_ERR_NOTFOUND) {
			web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
			return false;
		}
		if (drc != BZ_OK) {
			web_error(rs, 500, "internal", "사업을 읽지 못했습니다.");
			return false;
		}
	} else if (as_of == NULL || !quarter_parse(as_of, year, quarter)) {
		web_error(rs, 400, "bad_quarter",
		          "사진을 고를 분기를 2024-Q3 형식으로 골라 주세요.");
		return false;
	}
	bz_rc rc = program_get(rq->db, *id, program);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return false;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "사업을 읽지 못했습니다.");
		return false;
	}
	int fy, fq, ly, lq;
	if (!quarter_parse(json_string_value(json_object_get(*program, "first_quarter")), &fy,
	                   &fq) ||
	    !quarter_parse(json_string_value(json_object_get(*program, "last_quarter")), &ly,
	                   &lq) ||
	    *year * 4 + *quarter < fy * 4 + fq || *year * 4 + *quarter > ly * 4 + lq) {
		json_decref(*program);
		*program = NULL;
		web_error(rs, 400, "bad_quarter", "사업 기간 안의 분기를 골라 주세요.");
		return false;
	}
	return true;
}

/* The form's model: the choices (with the values typed, when values). */
static json_t *photo_model(struct request *rq, int64_t id, int year, int quarter, json_t *program,
                           json_t *choices, const json_t *fields)
{
	char key[16], label[32], back[96];
	snprintf(key, sizeof(key), "%d-Q%d", year, quarter);
	snprintf(label, sizeof(label), "%d년 %d분기", year, quarter);
	snprintf(back, sizeof(back), "/card?program=%lld&as_of=%s", (long long)id, key);
	size_t i;
	json_t *c;
	json_array_foreach(choices, i, c)
	{
		char f[48];
		long long pid = json_integer_value(json_object_get(c, "id"));
		if (fields) { /* a refused form shows back what was typed, and why */
			snprintf(f, sizeof(f), "pick_%lld", pid);
			json_object_set_new(c, "chosen", json_boolean(rq_form(rq, f) != NULL));
			snprintf(f, sizeof(f), "caption_%lld", pid);
			json_object_set_new(c, "card_caption", json_string(nz(rq_form(rq, f))));
			snprintf(f, sizeof(f), "sort_%lld", pid);
			json_object_set_new(c, "sort_text", json_string(nz(rq_form(rq, f))));
			json_object_set(c, "sort_error", json_object_get(fields, f));
			snprintf(f, sizeof(f), "caption_%lld", pid);
			json_object_set(c, "caption_error", json_object_get(fields, f));
		} else {
			json_int_t s = json_integer_value(json_object_get(c, "sort"));
			char t[24] = "";
			if (s > 0)
				snprintf(t, sizeof(t), "%lld", (long long)s);
			json_object_set_new(c, "sort_text", json_string(t));
		}
		snprintf(f, sizeof(f), "%lld", pid);
		json_object_set_new(c, "key", json_string(f));
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:O, s:o, s:{}, s:b}", "program_id", (json_int_t)id,
	                 "as_of", key, "label", label, "back_href", back, "program_name",
	                 json_object_get(program, "name"), "choices", choices, "errors",
	                 "has_choices", json_array_size(choices) > 0);
}

void web_card_photos(struct request *rq, struct response *rs)
{
	int64_t id;
	int year, quarter;
	json_t *program, *choices = NULL;
	if (!photo_target(rq, rs, &id, &year, &quarter, &program))
		return;
	if (card_photo_choices(rq->db, id, year, quarter, &choices) != BZ_OK) {
		json_decref(program);
		web_error(rs, 500, "internal", "사진 목록을 읽지 못했습니다.");
		return;
	}
	json_t *m = photo_model(rq, id, year, quarter, program, choices, NULL);
	json_decref(program);
	web_page(rs, "card/photos", "카드 사진 고르기", m);
}

void web_card_photos_save(struct request *rq, struct response *rs)
{
	int64_t id;
	int year, quarter;
	json_t *program, *choices = NULL;
	if (!photo_target(rq, rs, &id, &year, &quarter, &program))
		return;
	if (card_photo_choices(rq->db, id, year, quarter, &choices) != BZ_OK) {
		json_decref(program);
		web_error(rs, 500, "internal", "사진 목록을 읽지 못했습니다.");
		return;
	}
	/* the photos offered are the ones read back: pick_<id>, sort_<id>, caption_<id> */
	struct card_photo_pick picks[64];
	size_t n = 0;
	json_t *fields = json_object(), *c;
	size_t i;
	json_array_foreach(choices, i, c)
	{
		char f[48];
		long long pid = json_integer_value(json_object_get(c, "id"));
		snprintf(f, sizeof(f), "pick_%lld", pid);
		if (rq_form(rq, f) == NULL || n >= BZ_ARRAY_LEN(picks))
			continue;
		picks[n].photo_id = pid;
		snprintf(f, sizeof(f), "sort_%lld", pid);
		const char *s = rq_form(rq, f);
		int64_t v = s && *s ? val_parse_id(s) : (int64_t)n + 1;
		picks[n].sort = v < 0 || v > 1000 ? 0 : (int)v;
		snprintf(f, sizeof(f), "caption_%lld", pid);
		picks[n].caption = rq_form(rq, f);
		n++;
	}
	bz_rc rc = card_photo_choose(rq->db, rq->user.id, id, year, quarter, picks, n, fields);
	if (rc == BZ_ERR_INVALID) {
		json_t *m = photo_model(rq, id, year, quarter, program, choices, fields);
		json_decref(program);
		web_invalid(rs, "card/photos", "카드 사진 고르기", m, fields);
		return;
	}
	json_decref(fields);
	json_decref(choices);
	json_decref(program);
	if (rc == BZ_ERR_NOTFOUND) {
		web_error(rs, 404, "not_found", "그런 사업이 없습니다.");
		return;
	}
	if (rc != BZ_OK) {
		web_error(rs, 500, "internal", "사진 선택을 저장하지 못했습니다.");
		return;
	}
	char loc[96];
	snprintf(loc, sizeof(loc), "/card?program=%lld&as_of=%d-Q%d#card-results", (long long)id,
	         year, quarter);
	web_flash(rs, rq, "success", "card_photos_saved");
	web_redirect(rs, loc);
	rs->model = json_pack("{s:I}", "photos", (json_int_t)n);
}
