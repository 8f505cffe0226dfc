/* Citizen communication entries and their yearly counts. */
#include "bizsos/comm.h"
#include "bizsos/store.h"
#include "bizsos/link.h"
#include "bizsos/kst.h"
#include "bizsos/validate.h"
#include "bizsos/codes.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <string.h>

static const struct code_label kinds[] = {
    {"roundtable", "간담회 등"}, {"survey", "만족도 조사"}, {"expert", "민간전문가 자문"},
    {"press", "언론·방송 보도"}, {"sns", "SNS 소통"},       {"other", "기타 시민참여"},
};

const char *comm_kind_label(const char *kind)
{
	return code_label_find(kinds, BZ_ARRAY_LEN(kinds), kind);
}

json_t *comm_kinds_json(void)
{
	/* "간담회 등" is counted from round-table activities, never entered here */
	return code_label_choices(kinds, BZ_ARRAY_LEN(kinds), 1);
}

/* http(s)://host... without blanks, quotes or angle brackets. */
static bool url_ok(const char *u)
{
	size_t n = strlen(u);
	if (n > COMM_URL_BYTES || !bz_utf8_valid(u, n))
		return false;
	const char *rest = strncmp(u, "https://", 8) == 0  ? u + 8
	                   : strncmp(u, "http://", 7) == 0 ? u + 7
	                                                   : NULL;
	if (rest == NULL || *rest == '\0' || *rest == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

static const char SQL_INSERT[] =
    "INSERT INTO comm_entry (kind, held_on, title, outlet, url, summary, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

bz_rc comm_create(struct db *db, const struct user *actor, const struct comm_input *in,
                  json_t *fields, int64_t *id_out)
{
	if (!(actor->role & (ROLE_STAFF | ROLE_LEADER)))
		return BZ_ERR_FORBIDDEN;
	if (in->kind == NULL || comm_kind_label(in->kind) == NULL ||
	    strcmp(in->kind, "roundtable") == 0)
		val_field_error(fields, "kind",
		                "종류를 골라 주세요. (간담회는 활동 기록에서 셉니다.)");
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	int32_t d;
	const char *dmsg = NULL;
	if (val_blank(in->held_on))
		val_field_error(fields, "held_on", "날짜를 입력해 주세요.");
	else if (date_parse(in->held_on, &d, &dmsg) != BZ_OK)
		val_field_error(fields, "held_on",
		                dmsg ? dmsg : "날짜를 2024-05-03처럼 입력해 주세요.");
	else if (strcmp(in->held_on, today) > 0)
		val_field_error(fields, "held_on", "날짜는 오늘 이후일 수 없습니다.");
	if (in->title == NULL || !user_text_valid(in->title, COMM_TITLE_CHARS))
		val_field_error(fields, "title", "제목을 1~200자로 입력해 주세요.");
	bool press = in->kind && strcmp(in->kind, "press") == 0;
	if (press && val_blank(in->outlet))
		val_field_error(fields, "outlet", "언론·방송 보도는 매체명을 입력해 주세요.");
	else if (!val_blank(in->outlet) && !user_text_valid(in->outlet, COMM_OUTLET_CHARS))
		val_field_error(fields, "outlet", "매체명은 100자까지 입력할 수 있습니다.");
	if (!val_blank(in->url) && !url_ok(in->url))
		val_field_error(fields, "url", "링크는 https://로 시작하는 주소로 입력해 주세요.");
	if (!val_text_ok(in->summary, COMM_SUMMARY_CHARS))
		val_field_error(fields, "summary", "내용은 4,000자까지 입력할 수 있습니다.");
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
	if (st == NULL)
		return BZ_ERR_DB;
	char now[24];
	db_now_utc(now);
	db_bind_text(st, 1, in->kind);
	db_bind_text(st, 2, in->held_on);
	db_bind_text(st, 3, in->title);
	db_bind_text(st, 4, val_blank(in->outlet) ? NULL : in->outlet);
	db_bind_text(st, 5, val_blank(in->url) ? NULL : in->url);
	db_bind_text(st, 6, in->summary ? in->summary : "");
	db_bind_int(st, 7, actor->id);
	db_bind_text(st, 8, now);
	bz_rc rc = db_rc(db, db_step(st), "comm insert");
	sqlite3_reset(st);
	if (rc == BZ_OK && id_out)
		*id_out = db_last_id(db);
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_DB : rc;
}

static const char SQL_LIST[] =
    "SELECT id, kind, held_on, title, outlet, url, summary FROM comm_entry "
    "WHERE retired_at IS NULL AND (?1 IS NULL OR (held_on >= ?1 AND held_on < ?2)) "
    "AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR (held_on, id) < (?4, ?5)) "
    "ORDER BY held_on DESC, id DESC LIMIT ?6";
static const char SQL_COUNTS[] =
    "SELECT kind, count(*) FROM comm_entry WHERE retired_at IS NULL "
    "AND (?1 IS NULL OR (held_on >= ?1 AND held_on < ?2)) GROUP BY kind";
static const char SQL_ROUNDTABLES[] =
    "SELECT count(*) FROM activity a JOIN activity_type t ON t.id = a.type_id "
    "LEFT JOIN activity_type p ON p.id = t.parent_id WHERE a.retired_at IS NULL "
    "AND coalesce(t.card_row, p.card_row) = 'roundtable' "
    "AND (?1 IS NULL OR (a.held_on >= ?1 AND a.held_on < ?2))";

bz_rc comm_list(struct db *db, const struct comm_filter *f, json_t **out)
{
	int year = f->year;
	const char *kind = f->kind;
	int64_t size = f->limit > 0 ? f->limit : COMM_PAGE_SIZE;
	bool all = f->limit < 0;
	json_t *next_key = NULL;
	char from[16], to[16];
	bool ranged = year >= 2000 && year <= 9998;
	if (ranged) {
		snprintf(from, sizeof(from), "%04d-01-01", year % 10000);
		snprintf(to, sizeof(to), "%04d-01-01", (year + 1) % 10000);
	}
	const char *k = kind && *kind ? kind : NULL;
	json_t *entries = json_array();
	int src = SQLITE_DONE;
	if (k == NULL || strcmp(k, "roundtable") != 0) {
		sqlite3_stmt *st = db_stmt(db, SQL_LIST);
		if (st == NULL) {
			json_decref(entries);
			return BZ_ERR_DB;
		}
		db_bind_text(st, 1, ranged ? from : NULL);
		db_bind_text(st, 2, ranged ? to : NULL);
		db_bind_text(st, 3, k);
		if (f->after && !all) {
			db_bind_text(st, 4, json_string_value(json_array_get(f->after, 0)));
			db_bind_int(st, 5, json_integer_value(json_array_get(f->after, 1)));
		}
		/* one row more than the page shows: whether a next page follows */
		db_bind_int(st, 6, all ? -1 : size + 1);
		while ((src = db_step(st)) == SQLITE_ROW) {
			if (!all && (int64_t)json_array_size(entries) == size) {
				json_t *last =
				    json_array_get(entries, json_array_size(entries) - 1);
				next_key = json_pack("[O, O]", json_object_get(last, "held_on"),
				                     json_object_get(last, "id"));
				src = SQLITE_DONE;
				break;
			}
			const char *kd = (const char *)sqlite3_column_text(st, 1);
			const char *label = comm_kind_label(kd);
			json_array_append_new(
			    entries, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
			                       (json_int_t)sqlite3_column_int64(st, 0), "kind", kd,
			                       "kind_label", label ? label : kd, "held_on",
			                       db_col_json(st, 2), "title", db_col_json(st, 3),
			                       "outlet", db_col_json(st, 4), "url",
			                       db_col_json(st, 5), "summary", db_col_json(st, 6)));
		}
		sqlite3_reset(st);
	}
	if (src != SQLITE_DONE) {
		json_decref(entries);
		json_decref(next_key);
		return db_rc(db, src, "comm list");
	}
	if (next_key == NULL)
		next_key = json_null();
	int64_t counts[BZ_ARRAY_LEN(kinds)] = {0};
	sqlite3_stmt *st = db_stmt(db, SQL_COUNTS);
	if (st == NULL) {
		json_decref(entries);
		json_decref(next_key);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, ranged ? from : NULL);
	db_bind_text(st, 2, ranged ? to : NULL);
	while ((src = db_step(st)) == SQLITE_ROW)
		for (size_t i = 1; i < BZ_ARRAY_LEN(kinds); i++)
			if (strcmp(kinds[i].code, (const char *)sqlite3_column_text(st, 0)) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	st = db_stmt(db, SQL_ROUNDTABLES);
	if (st == NULL) {
		json_decref(entries);
		json_decref(next_key);
		return BZ_ERR_DB;
	}
	db_bind_text(st, 1, ranged ? from : NULL);
	db_bind_text(st, 2, ranged ? to : NULL);
	if (db_step(st) == SQLITE_ROW)
		counts[0] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	json_t *cj = json_array();
	int64_t total = 0;
	for (size_t i = 0; i < BZ_ARRAY_LEN(kinds); i++) {
		total += counts[i];
		json_array_append_new(cj, json_pack("{s:s, s:s, s:I, s:s, s:b}", "kind",
		                                    kinds[i].code, "label", kinds[i].label, "count",
		                                    (json_int_t)counts[i], "count_text",
		                                    counts[i] ? "" : "–", "computed", i == 0));
	}
	/* the count text: a number, or "–" as on the card */
	size_t i;
	json_t *c;
	json_array_foreach(cj, i, c)
	{
		char t[24];
		snprintf(t, sizeof(t), "%lld", (long long)counts[i]);
		if (counts[i])
			json_object_set_new(c, "count_text", json_string(t));
	}
	json_t *href =
	    link_fact("comm_day_activities", json_pack("{s:i}", "year", ranged ? year : 0));
	*out = json_pack("{s:o, s:o, s:I, s:{s:I, s:o}}", "entries", entries, "counts", cj, "total",
	                 (json_int_t)total, "roundtable", "count", (json_int_t)counts[0], "href",
	                 href);
	if (*out && !json_is_null(next_key))
		json_object_set_new(*out, "next_key", next_key);
	else
		json_decref(next_key);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}
