/* The audit trail over every history table. See audit.h. */
#include "bizsos/audit.h"
#include "bizsos/codes.h"
#include "bizsos/grant.h"
#include "bizsos/sos_case.h"
#include "bizsos/user.h"
#include "bizsos/kst.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The object label of an audit_log row (alias e). */
#define ACCOUNT_OBJECT                                                                               \
	"CASE"                                                                                       \
	" WHEN e.object LIKE 'user:%' THEN COALESCE((SELECT '사용자 ' || t.login || ' (' ||"      \
	"  t.name || ')' FROM app_user t WHERE 'user:' || t.id = e.object), '사용자')"            \
	" WHEN e.object LIKE 'department:%' THEN COALESCE((SELECT '부서 ' || d.name FROM"          \
	"  department d WHERE 'department:' || d.id = e.object), '부서')"                          \
	" WHEN e.object LIKE 'holiday:%' THEN '휴일 ' || substr(e.object, 9)"                      \
	" WHEN e.object LIKE 'privacy_review:%' THEN '접속기록 점검 ' || substr(e.object, 16)" \
	" WHEN e.object LIKE 'token:%' THEN 'API 토큰 ' || substr(e.object, 7) || '번'"           \
	" WHEN e.object LIKE 'activity_type:%' THEN '활동 유형'"                                 \
	" WHEN e.object LIKE 'case_category:%' THEN '애로 분야'"                                 \
	" WHEN e.object LIKE 'document%' THEN '공문'"                                              \
	" WHEN e.object LIKE 'import%' THEN '가져오기'"                                          \
	" WHEN e.object LIKE 'contact:%' THEN '기업 담당자'"                                    \
	" WHEN e.object IS NULL OR e.object = '' THEN '시스템'"                                   \
	" ELSE '관리 대상' END"

/* One arm of the trail: the events of one source (alias e, its actor u), with
 * the filters and the keyset seek. Bindings: ?1 from, ?2 to (UTC, exclusive),
 * ?3 user, ?4 object, ?5 source, and the key of the last row already shown —
 * ?6 at, ?7 source, ?8 id — or, for the first page, ('9999', '', max). The
 * seek "e.at <= ?6" is a range on each source's (at) index, read backwards, so
 * every arm comes out in (at DESC, id DESC) order and the compound merges them
 * without sorting. */
#define ARM(SRC, ACTOR_NONE, KIND, OBJ, FIELD, OLD, NEW, FROM)                                     \
	" SELECT '" SRC "', e.at, COALESCE(u.login || ' (' || u.name || ')', '" ACTOR_NONE         \
	"'), " KIND ", " OBJ ", " FIELD ", " OLD ", " NEW ", e.id FROM " FROM                      \
	" LEFT JOIN app_user u ON u.id = e.actor_id"                                               \
	" WHERE (?1 IS NULL OR e.at >= ?1) AND (?2 IS NULL OR e.at < ?2)"                          \
	" AND (?3 IS NULL OR instr(lower(u.login), lower(?3)) > 0 OR instr(u.name, ?3) > 0)"       \
	" AND (?4 IS NULL OR instr(lower(" OBJ "), lower(?4)) > 0)"                                \
	" AND (?5 IS NULL OR ?5 = '" SRC "')"                                                      \
	" AND e.at <= ?6 AND (e.at < ?6 OR e.id < ?8 OR (e.id = ?8 AND '" SRC "' > ?7))"

/* The six sources, each in (at DESC, id DESC) order: CROSS JOIN keeps the
 * event table the outer loop, read on its (at) index, whatever the planner
 * would guess for small tables. */
#define ARM_ACCOUNT                                                                                \
	ARM("account", "명령줄·시스템", "e.action", ACCOUNT_OBJECT, "NULL", "NULL", "e.detail",    \
	    "audit_log e")
#define ARM_COMPANY                                                                                \
	ARM("company", "시스템", "e.kind", "'기업 ' || c.name", "e.field", "e.old", "e.new",       \
	    "company_event e CROSS JOIN company c ON c.id = e.company_id")
#define ARM_CASE                                                                                   \
	ARM("case", "시스템", "e.kind", "'애로 ' || s.case_no || ' ' || s.title", "e.field",       \
	    "e.old", "COALESCE(e.new, e.note)",                                                    \
	    "case_event e CROSS JOIN sos_case s ON s.id = e.case_id")
#define ACTIVITY_OBJECT                                                                            \
	"'활동 ' || x.held_on || CASE WHEN x.title <> '' THEN ' ' || x.title ELSE '' END"
#define ARM_ACTIVITY                                                                               \
	ARM("activity", "시스템", "e.kind", ACTIVITY_OBJECT, "e.field", "e.old", "e.new",          \
	    "activity_event e CROSS JOIN activity x ON x.id = e.activity_id")
#define ARM_GRANT                                                                                  \
	ARM("grant", "시스템", "e.kind", "'개선사업 ' || g.title", "e.field", "e.old",             \
	    "COALESCE(e.new, e.note)",                                                             \
	    "grant_event e CROSS JOIN improvement_grant g ON g.id = e.grant_id")
#define ARM_PROGRAM                                                                                \
	ARM("program", "시스템", "e.object || '.' || e.kind", "'사업 ' || p.name", "e.field",      \
	    "e.old", "COALESCE(e.new, e.note)",                                                    \
	    "program_event e CROSS JOIN program p ON p.id = e.program_id")
/* Columns: source, at, actor, kind, object, field, old, new (for audit_log:
 * the JSON detail), id. */
#define SQL_ARMS                                                                                   \
	ARM_ACCOUNT " UNION ALL" ARM_COMPANY " UNION ALL" ARM_CASE " UNION ALL" ARM_ACTIVITY       \
	            " UNION ALL" ARM_GRANT " UNION ALL" ARM_PROGRAM
static const char SQL_COUNT[] = "SELECT count(*) FROM (" SQL_ARMS ")";
/* Newest first; ties in time by newest id, then by source: the key (at, id,
 * source) is unique, so a page starts right after the last row of the one
 * before. (The source last: within an arm it is constant, and (at, id) is
 * already in index order, so no arm sorts.)
 * ?9 limit, ?10 offset. */
static const char SQL_LIST[] = SQL_ARMS " ORDER BY 2 DESC, 9 DESC, 1 LIMIT ?9 OFFSET ?10";

static const struct code_label sources[] = {
    {"account", "계정·권한·설정"}, {"company", "기업"},       {"case", "기업애로"},
    {"activity", "활동"},          {"grant", "환경개선사업"}, {"program", "사업 관리"},
};

static const struct code_label account_actions[] = {
    {"user.add", "사용자 추가"},
    {"user.password", "비밀번호 변경"},
    {"user.disable", "사용 중지"},
    {"user.enable", "사용 재개"},
    {"user.role", "역할 변경"},
    {"user.notify_prefs", "알림 설정 변경"},
    {"user.password_reset", "비밀번호 초기화"},
    {"department.add", "부서 추가"},
    {"department.retire", "부서 사용 중지"},
    {"department.restore", "부서 다시 사용"},
    {"holiday.add", "휴일 추가"},
    {"holiday.restore", "휴일 다시 추가"},
    {"holiday.retire", "휴일 지움"},
    {"login", "로그인"},
    {"login.fail", "로그인 실패"},
    {"login.failed", "로그인 실패"},
    {"login.lock", "계정 잠금"},
    {"logout", "로그아웃"},
    {"session.revoke", "접속 끊기"},
    {"token.create", "API 토큰 발급"},
    {"token.revoke", "API 토큰 폐기"},
    {"activity_type.save", "활동 유형 저장"},
    {"case_category.save", "애로 분야 저장"},
    {"privacy.review", "접속기록 월간 점검"},
    {"outbox.retry", "알림 다시 보내기"},
    {"export", "목록 내려받기"},
    {"export.personal", "개인정보 내려받기"},
    {"import.cases", "기업애로 가져오기"},
    {"import.companies", "기업 가져오기"},
    {"document.letterhead", "공문 머리 저장"},
    {"document.template", "공문 서식 저장"},
    {"contact.consent", "결과 통지 동의 변경"},
    {"template.save", "통지 문안 저장"},
    {"totp.enable", "2단계 인증 켜기"},
    {"totp.disable", "2단계 인증 끄기"},
};

static const struct code_label event_kinds[] = {
    /* companies */
    {"create", "등록"},
    {"update", "수정"},
    {"contact_add", "담당자 추가"},
    {"contact_retire", "담당자 뺌"},
    /* cases, activities, grants */
    {"created", "등록"},
    {"updated", "수정"},
    {"status", "상태 변경"},
    {"assign", "담당자 지정"},
    {"referral", "협조 요청"},
    {"referral_answer", "협조 부서 답변"},
    {"referral_resend", "협조 요청 다시 보냄"},
    {"referral_return", "협조 요청 반송"},
    {"note", "메모"},
    {"attachment", "첨부"},
    {"extend", "기한 연장"},
    {"merge", "병합"},
    {"flag", "표시"},
    {"field", "항목 수정"},
    {"triage", "분류"},
    {"notify", "처리 결과 통지"},
    {"transfer_answer", "이송 답변"},
    {"disposition", "처리 결과"},
    {"outcome", "결과"},
    {"photo_added", "사진 추가"},
    {"case_linked", "애로 접수·연결"},
    {"agenda_decided", "안건 결정"},
    {"retire", "삭제"},
};

static const struct code_label program_objects[] = {
    {"program", "사업"},
    {"target", "목표"},
    {"budget_line", "예산"},
    {"budget_execution", "집행"},
    {"roadmap_task", "로드맵"},
    {"next_plan", "향후 계획"},
    {"snapshot", "카드 게시"},
    {"signoff", "분기 확인"},
    {"contact", "담당자"},
    {"quarter", "분기"},
    {"self_assessment_item", "자체 평가"},
};

static const struct code_label program_kinds[] = {
    {"create", "추가"},   {"create_over", "추가(초과 집행)"},
    {"update", "수정"},   {"retire", "삭제"},
    {"publish", "게시"},  {"signoff", "확인"},
    {"snapshot", "게시"}, {"quarter", "분기 처리"},
};

/* Korean names of fields and detail keys; others are left out of the text. */
static const struct code_label field_labels[] = {
    {"login", "아이디"},
    {"name", "이름"},
    {"role", "역할"},
    {"from", "이전 역할"},
    {"to", "새 역할"},
    {"department", "부서"},
    {"kind", "종류"},
    {"label", "이름표"},
    {"status", "상태"},
    {"assignee", "담당자"},
    {"owner", "담당자"},
    {"due_on", "처리 기한"},
    {"title", "제목"},
    {"category", "분야"},
    {"contact", "담당자"},
    {"employees", "종업원 수"},
    {"address", "주소"},
    {"representative", "대표자"},
    {"brn", "사업자등록번호"},
    {"zone", "산업단지"},
    {"notes", "메모"},
    {"amount", "금액"},
    {"reason", "사유"},
    {"day", "날짜"},
    {"head_id", "마지막 기록 번호"},
    {"tries", "시도 횟수"},
};

const char *audit_action_label(const char *action)
{
	const char *l = code_label_find(account_actions, BZ_ARRAY_LEN(account_actions), action);
	return l ? l : "기타 관리 작업";
}

json_t *audit_sources(const char *selected)
{
	json_t *a = json_array();
	json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", "", "label", "전체",
	                                   "selected", !selected || !*selected));
	for (size_t i = 0; i < BZ_ARRAY_LEN(sources); i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:b}", "value", sources[i].code, "label",
		                 sources[i].label, "selected",
		                 selected && strcmp(selected, sources[i].code) == 0));
	return a;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

/* A role code as its Korean name, other values as they are. */
static const char *value_text(const char *key, const char *v)
{
	if (strcmp(key, "role") == 0 || strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
		int r = role_from_name(v);
		if (r)
			return role_label_ko(r);
	}
	return v;
}

/* The audit_log detail JSON as "아이디: kim, 역할: 팀장"; keys without a
 * Korean name (internal flags) are left out. */
static void detail_text(const char *json, char *out, size_t outlen)
{
	out[0] = '\0';
	json_t *d = json_loads(json, 0, NULL);
	if (!json_is_object(d)) {
		json_decref(d);
		return;
	}
	size_t n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(d, k, v)
	{
		const char *label = code_label_find(field_labels, BZ_ARRAY_LEN(field_labels), k);
		if (label == NULL)
			continue;
		char num[32];
		const char *s = NULL;
		if (json_is_string(v))
			s = value_text(k, json_string_value(v));
		else if (json_is_integer(v)) {
			if (json_integer_value(v) == 0 && strstr(k, "department"))
				continue;
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			s = num;
		}
		if (s == NULL || *s == '\0')
			continue;
		int w = snprintf(out + n, outlen - n, "%s%s: %s", n ? ", " : "", label, s);
		if (w < 0 || (size_t)w >= outlen - n)
			break;
		n += (size_t)w;
	}
	json_decref(d);
}

/* A stored code as its Korean label where the source has a vocabulary for it. */
static const char *value_label(const char *src, const char *field, const char *v)
{
	if (*v == '\0')
		return v;
	const char *l = NULL;
	if (strcmp(src, "case") == 0)
		l = case_label(*field ? field : "status", v);
	else if (strcmp(src, "grant") == 0 && (*field == '\0' || strcmp(field, "status") == 0))
		l = grant_status_label(v);
	return l && *l ? l : v;
}

/* "상태: 접수 → 처리 중" from field, old, new (field named in Korean when known). */
static void change_text(const char *src, const char *field, const char *old, const char *new_,
                        char *out, size_t outlen)
{
	old = value_label(src, field, old);
	new_ = value_label(src, field, new_);
	const char *fl =
	    *field ? code_label_find(field_labels, BZ_ARRAY_LEN(field_labels), field) : NULL;
	if (*old && *new_)
		snprintf(out, outlen, "%s%s%.300s → %.300s", fl ? fl : "", fl ? ": " : "", old,
		         new_);
	else if (*new_)
		snprintf(out, outlen, "%s%s%.600s", fl ? fl : "", fl ? ": " : "", new_);
	else if (*old)
		snprintf(out, outlen, "%s%s%.600s 삭제", fl ? fl : "", fl ? ": " : "", old);
	else
		snprintf(out, outlen, "%s", fl ? fl : "");
}

static void kind_label(const char *src, const char *kind, char *out, size_t outlen)
{
	if (strcmp(src, "account") == 0) {
		bz_strlcpy(out, audit_action_label(kind), outlen);
		return;
	}
	if (strcmp(src, "program") == 0) {
		const char *dot = strchr(kind, '.');
		char obj[64] = "";
		if (dot && (size_t)(dot - kind) < sizeof(obj)) {
			memcpy(obj, kind, (size_t)(dot - kind));
			obj[dot - kind] = '\0';
		}
		const char *o =
		    code_label_find(program_objects, BZ_ARRAY_LEN(program_objects), obj);
		const char *k =
		    dot ? code_label_find(program_kinds, BZ_ARRAY_LEN(program_kinds), dot + 1)
		        : NULL;
		snprintf(out, outlen, "%s %s", o ? o : "사업 항목", k ? k : "변경");
		return;
	}
	const char *l = code_label_find(event_kinds, BZ_ARRAY_LEN(event_kinds), kind);
	bz_strlcpy(out, l ? l : "변경", outlen);
}

/* KST date + days → UTC instant of its midnight KST; false if not a date. */
static bool kst_day_utc(const char *day, int days, char out[24])
{
	int y, m, d;
	char extra;
	if (day == NULL || *day == '\0' || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
	    y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days};
	db_format_utc(timegm(&tm) - 9 * 3600, out);
	return true;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

bz_rc audit_search(struct db *db, const struct audit_filter *f, int limit, int offset, json_t **out,
                   int64_t *total)
{
	char from[24], to[24];
	bool hf = kst_day_utc(f->from, 0, from), ht = kst_day_utc(f->to, 1, to);
	const char *src =
	    nz(f->source) && code_label_find(sources, BZ_ARRAY_LEN(sources), f->source) ? f->source
	                                                                                : NULL;
	json_t *rows = json_array();
	if (total)
		*total = 0;
	const char *sqls[2] = {SQL_COUNT, SQL_LIST};
	/* no count when the caller needs none (an export's chunks) */
	for (int pass = total ? 0 : 1; pass < 2; pass++) {
		sqlite3_stmt *st = db_stmt(db, sqls[pass]);
		if (st == NULL) {
			json_decref(rows);
			return BZ_ERR_DB;
		}
		db_bind_text(st, 1, hf ? from : NULL);
		db_bind_text(st, 2, ht ? to : NULL);
		db_bind_text(st, 3, nz(f->user));
		db_bind_text(st, 4, nz(f->object));
		db_bind_text(st, 5, src);
		/* the count is of the whole filter; the page seeks past f->after_* */
		bool seek = pass == 1 && f->after_at != NULL;
		sqlite3_bind_text(st, 6, seek ? f->after_at : "9999", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, seek && f->after_source ? f->after_source : "", -1,
		                  SQLITE_TRANSIENT);
		db_bind_int(st, 8, seek ? f->after_id : INT64_MAX);
		if (pass == 1) {
			db_bind_int(st, 9, limit);
			db_bind_int(st, 10, seek ? 0 : offset);
		}
		int r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			if (pass == 0) {
				*total = sqlite3_column_int64(st, 0);
				continue;
			}
			const char *s = col(st, 0);
			char kst[32], kl[128], detail[800];
			fmt_instant_kst(col(st, 1), kst, sizeof(kst));
			kind_label(s, col(st, 3), kl, sizeof(kl));
			if (strcmp(s, "account") == 0)
				detail_text(col(st, 7), detail, sizeof(detail));
			else
				change_text(s, col(st, 5), col(st, 6), col(st, 7), detail,
				            sizeof(detail));
			const char *sl = code_label_find(sources, BZ_ARRAY_LEN(sources), s);
			json_array_append_new(
			    rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			                    (json_int_t)sqlite3_column_int64(st, 8), "at",
			                    col(st, 1), "at_kst", kst, "source", s, "source_label",
			                    sl ? sl : "", "actor", col(st, 2), "action_label", kl,
			                    "object", col(st, 4), "detail", detail));
		}
		sqlite3_reset(st);
		if (r != SQLITE_DONE) {
			json_decref(rows);
			return db_rc(db, r, "audit search");
		}
	}
	*out = rows;
	return BZ_OK;
}
