/* The card's photo strip as the leader chooses it per quarter. See
 * include/bizsos/card_photo.h. */
#include "bizsos/card_photo.h"
#include "bizsos/link.h"
#include "bizsos/quarter.h"
#include "bizsos/user.h"
#include "bizsos/validate.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <string.h>

/* The field rows of the card (its photos come from these activities). */
#define FIELD_ROW                                                                                  \
	"COALESCE(t.card_row, pt.card_row) IN ('mayor_site_visit', 'roundtable',"                  \
	" 'one_stop_meeting', 'mobile_squad', 'education')"

/* Photos of field activities held from ?2 to ?3, and any chosen for the
 * quarter ?4 of program ?1, newest first. */
static const char SQL_CANDIDATES[] =
    "SELECT ph.id, a.id, a.held_on, t.name, ph.caption, cp.sort, cp.caption"
    " FROM activity_photo ph JOIN activity a ON a.id = ph.activity_id"
    " JOIN activity_type t ON t.id = a.type_id LEFT JOIN activity_type pt ON pt.id = t.parent_id"
    " LEFT JOIN card_photo cp ON cp.photo_id = ph.id AND cp.program_id = ?1"
    "  AND cp.quarter = ?4 AND cp.retired_at IS NULL"
    " WHERE ph.retired_at IS NULL AND a.retired_at IS NULL AND " FIELD_ROW
    " AND (a.held_on BETWEEN ?2 AND ?3 OR cp.id IS NOT NULL)"
    " ORDER BY a.held_on DESC, ph.id DESC LIMIT 60";
/* Whether photo ?1 may be chosen for a card as of ?2. */
static const char SQL_PHOTO_OK[] =
    "SELECT count(*) FROM activity_photo ph JOIN activity a ON a.id = ph.activity_id"
    " JOIN activity_type t ON t.id = a.type_id LEFT JOIN activity_type pt ON pt.id = t.parent_id"
    " WHERE ph.id = ?1 AND ph.retired_at IS NULL AND a.retired_at IS NULL"
    " AND a.held_on <= ?2 AND " FIELD_ROW;
static const char SQL_PROGRAM_OK[] = "SELECT count(*) FROM program WHERE id = ?1";
static const char SQL_RETIRE[] = "UPDATE card_photo SET retired_at = ?3 WHERE program_id = ?1"
                                 " AND quarter = ?2 AND retired_at IS NULL";
static const char SQL_INSERT[] =
    "INSERT INTO card_photo (program_id, quarter, photo_id, sort, caption, chosen_by,"
    " chosen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

bz_rc card_photo_choices(struct db *db, int64_t program_id, int year, int quarter, json_t **out)
{
	char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE], from[DATE_TEXT_SIZE], key[16];
	quarter_bounds(year, quarter, first, last);
	/* a year back from the quarter's end: a Q1 card may show last autumn's visit */
	char from_[24];
	snprintf(from_, sizeof(from_), "%04d%.6s", year - 1, last + 4);
	bz_strlcpy(from, from_, sizeof(from));
	snprintf(key, sizeof(key), "%d-Q%d", year, quarter);
	sqlite3_stmt *st = db_stmt(db, SQL_CANDIDATES);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, last);
	db_bind_text(st, 4, key);
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0), aid = sqlite3_column_int64(st, 1);
		bool chosen = sqlite3_column_type(st, 5) != SQLITE_NULL;
		json_t *o = json_pack(
		    "{s:I, s:I, s:s, s:s, s:s, s:b, s:I, s:s, s:o}", "id", (json_int_t)pid,
		    "activity_id", (json_int_t)aid, "held_on", db_col_text(st, 2), "type",
		    db_col_text(st, 3), "caption", db_col_text(st, 4), "chosen", chosen, "sort",
		    (json_int_t)(chosen ? sqlite3_column_int64(st, 5) : 0), "card_caption",
		    chosen ? db_col_text(st, 6) : "", "src",
		    link_fact("activity_photo", json_pack("{s:I, s:I}", "activity", (json_int_t)aid,
		                                          "photo", (json_int_t)pid)));
		json_array_append_new(a, o);
	}
	return db_rows_json(db, st, r, "card photo choices", a, out);
}

bz_rc card_photo_choose(struct db *db, int64_t actor_id, int64_t program_id, int year, int quarter,
                        const struct card_photo_pick *picks, size_t n, json_t *fields)
{
	char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE], key[16];
	quarter_bounds(year, quarter, first, last);
	snprintf(key, sizeof(key), "%d-Q%d", year, quarter);
	int64_t ok = 0;
	bz_rc rc = db_int1f(db, SQL_PROGRAM_OK, 0, &ok, "i", program_id);
	if (rc != BZ_OK)
		return rc;
	if (ok == 0)
		return BZ_ERR_NOTFOUND;
	if (n > CARD_PHOTOS_MAX)
		val_field_error(fields, "photos", "카드에는 사진을 6장까지 실을 수 있습니다.");
	for (size_t i = 0; i < n; i++) {
		char f[48];
		snprintf(f, sizeof(f), "caption_%lld", (long long)picks[i].photo_id);
		if (picks[i].caption && !val_line_ok(picks[i].caption, PHOTO_CAPTION_CHARS))
			val_field_error(fields, f,
			                "사진 설명은 줄바꿈 없이 200자까지 입력할 수 있습니다.");
		snprintf(f, sizeof(f), "sort_%lld", (long long)picks[i].photo_id);
		if (picks[i].sort < 1 || picks[i].sort > 99)
			val_field_error(fields, f, "순서는 1부터 99까지의 숫자로 적어 주세요.");
		if ((rc = db_int1f(db, SQL_PHOTO_OK, 0, &ok, "it", picks[i].photo_id, last)) !=
		    BZ_OK)
			return rc;
		if (ok == 0)
			val_field_error(fields, "photos",
			                "고를 수 없는 사진이 있습니다(지워졌거나 분기 뒤의 사진). "
			                "목록을 새로 고쳐 다시 골라 주세요.");
	}
	if (json_object_size(fields) > 0)
		return BZ_ERR_INVALID;
	if ((rc = db_begin(db)) != BZ_OK)
		return rc;
	char now[24];
	db_now_utc(now);
	rc = db_execf(db, SQL_RETIRE, "itt", program_id, key, now);
	json_t *ids = json_array();
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		rc = db_execf(db, SQL_INSERT, "itiitit", program_id, key, picks[i].photo_id,
		              (int64_t)picks[i].sort, picks[i].caption ? picks[i].caption : "",
		              actor_id, now);
		json_array_append_new(ids, json_pack("{s:I, s:I, s:s}", "photo",
		                                     (json_int_t)picks[i].photo_id, "sort",
		                                     (json_int_t)picks[i].sort, "caption",
		                                     picks[i].caption ? picks[i].caption : ""));
	}
	char object[64];
	snprintf(object, sizeof(object), "program:%lld/%s", (long long)program_id, key);
	if (rc == BZ_OK)
		rc = audit_log_json(db, actor_id, "card_photos", object,
		                    json_pack("{s:s, s:o}", "quarter", key, "photos", ids));
	else
		json_decref(ids);
	if (rc == BZ_OK)
		rc = db_commit(db);
	if (rc != BZ_OK)
		db_rollback(db);
	return rc == BZ_ERR_CONSTRAINT ? BZ_ERR_INVALID : rc;
}
