/* The demo data generator. Every figure of the card is the count (or sum) of
 * the individual records written here; the plans below say how many records
 * of each kind fall into each period. See include/bizsos/demo.h. */
#include "bizsos/demo.h"
#include "bizsos/brn.h"
#include "bizsos/company.h"
#include "bizsos/money.h"
#include "bizsos/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_USER[] = "SELECT id FROM app_user WHERE login = ?";
static const char SQL_TYPE[] = "SELECT id FROM activity_type WHERE code = ?";
static const char SQL_CATEGORIES[] =
    "SELECT id, name, default_days FROM case_category WHERE retired_at IS NULL ORDER BY sort, id";
static const char SQL_KSIC[] = "SELECT code FROM ksic WHERE section = 'C' AND length(code) = 3";
static const char SQL_COMPANY[] =
    "INSERT INTO company (name, name_key, brn, representative, ksic_code, address, zone,"
    " employees, founded_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?)";
static const char SQL_COMPANY_EVENT[] =
    "INSERT INTO company_event (company_id, at, actor_id, kind, field, old, new)"
    " VALUES (?, ?, ?, 'create', NULL, NULL, ?)";
static const char SQL_ACTIVITY[] =
    "INSERT INTO activity (type_id, held_on, starts_at, place, title, summary, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?,"
    " ?, ?, ?, ?)";
static const char SQL_ACTIVITY_EVENT[] =
    "INSERT INTO activity_event (activity_id, at, actor_id, kind, field, old, new)"
    " VALUES (?, ?, ?, 'created', NULL, NULL, ?)";
static const char SQL_ACTIVITY_COMPANY[] =
    "INSERT OR IGNORE INTO activity_company (activity_id, company_id) VALUES (?, ?)";
static const char SQL_ACTIVITY_STAFF[] =
    "INSERT OR IGNORE INTO activity_staff (activity_id, user_id) VALUES (?, ?)";
static const char SQL_ACTIVITY_CASE[] =
    "INSERT INTO activity_case (activity_id, case_id, kind, seq) VALUES (?, ?, 'raised', ?)";
static const char SQL_GRANT[] =
    "INSERT INTO improvement_grant (company_id, year, title, total, province, city,"
    " company_share, status, applied_on, selected_on, done_on, cancelled_on, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_GRANT_EVENT[] =
    "INSERT INTO grant_event (grant_id, at, actor_id, kind, field, old, new, note)"
    " VALUES (?, ?, ?, 'created', NULL, NULL, ?, NULL)";
static const char SQL_COMM[] =
    "INSERT INTO comm_entry (kind, held_on, title, outlet, url, summary, created_by, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_LINE[] =
    "INSERT INTO budget_line (program_id, year, source, planned, secured, created_at,"
    " updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)";
static const char SQL_EXEC[] =
    "INSERT INTO budget_execution (budget_line_id, executed_on, amount, memo, created_by,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?)";
/* The published cards' layout where it differs from the default (sql/081). */
static const char SQL_CARD_LAYOUT[] =
    "INSERT INTO card_row_year (program_id, year, card_row, sort, label, created_at)"
    " VALUES (1, ?, ?, ?, ?, ?)";
static const char SQL_CASE[] =
    "INSERT INTO sos_case (case_no, company_id, received_at, received_on, channel, category_id,"
    " title, description, request, triage, flag, status, status_reason, disposition, outcome,"
    " outcome_reason, closed_on, transfer_to, transfer_on, notified_method, notified_on, due_on,"
    " assignee_id, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_CASE_EVENT[] =
    "INSERT INTO case_event (case_id, at, actor_id, kind, field, old, new, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, NULL)";
static const char SQL_CASE_SEQ[] = "INSERT INTO case_seq (year, last) VALUES (?1, ?2)"
                                   " ON CONFLICT (year) DO UPDATE SET last = max(last, ?2)";

/* ---------------------------------------------------------------- PRNG -- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t rnd_range(int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static const char *pick(const char *const *list, size_t n)
{
	return list[rnd() % n];
}
#define PICK(a) pick((a), BZ_ARRAY_LEN(a))

/* ------------------------------------------------------------- context -- */

struct ctx {
	struct db *db;
	struct workday_holidays h;
	int64_t staff, leader, executive;
	int64_t type[12];
	int64_t *company;
	int32_t *founded;
	size_t ncompany;
	const char **ksic;
	size_t nksic;
	struct {
		int64_t id;
		char name[64];
		int days;
	} cat[32];
	size_t ncat;
	/* communication-day visits, in date order, for linking cases */
	struct visit {
		int64_t id, company;
		int32_t day;
		int seq;
	} * visits;
	size_t nvisits, capvisits;
	struct demo_stats *stats;
	char now[24];
};

enum {
	T_PLAN,
	T_MAYOR,
	T_ROUND,
	T_CHAMBER,
	T_NEWYEAR,
	T_MAYOR_ROUND,
	T_ONESTOP,
	T_SQUAD,
	T_COMM,
	T_LETTER,
	T_EDU,
	T_N
};
static const char *const type_codes[T_N] = {
    "operating_plan",    "mayor_site_visit",   "roundtable",       "chamber_breakfast",
    "new_year_greeting", "mayor_roundtable",   "one_stop_meeting", "mobile_squad",
    "comm_day",          "anniversary_letter", "education"};

static bz_rc step(struct ctx *c, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) /* a generator bug: say which row broke what */
		LOG_ERROR("%s: %s", what, db_errmsg(c->db));
	sqlite3_reset(st);
	return db_rc(c->db, rc, what);
}

static int64_t lookup_id(struct db *db, const char *sql, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (st == NULL)
		return 0;
	db_bind_text(st, 1, key);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

static int32_t day_of(const char *ymd)
{
	int32_t d = 0;
	date_parse(ymd, &d, NULL);
	return d;
}

/* A working day in [a, b] (b if none is found quickly). */
static int32_t random_workday(struct ctx *c, int32_t a, int32_t b)
{
	for (int i = 0; i < 64; i++) {
		int32_t d = (int32_t)rnd_range(a, b);
		if (workday_is_working_day(&c->h, d))
			return d;
	}
	int32_t d = workday_next_on_or_after(&c->h, a);
	return d <= b ? d : b;
}

/* n working days before d. */
static int32_t workdays_before(struct ctx *c, int32_t d, int n)
{
	while (n > 0) {
		d--;
		if (workday_is_working_day(&c->h, d))
			n--;
	}
	return d;
}

static void fmt(int32_t d, char out[DATE_TEXT_SIZE])
{
	date_format(d, out, DATE_TEXT_SIZE);
}

/* ----------------------------------------------------------- companies -- */

static const char *const name_head[] = {
    "한빛", "세진", "대성", "동양", "신우", "태광", "우진", "삼원", "청운", "대림",
    "금강", "한솔", "성원", "일신", "영진", "동신", "화성", "경동", "서진", "미래",
    "새한", "정우", "대원", "보성", "진흥", "한결", "다온", "유성", "광명", "창성"};
static const char *const name_core[] = {"정밀",       "테크",   "산업",   "화학",   "전자",
                                        "식품",       "기계",   "금속",   "소재",   "플라스틱",
                                        "이앤씨",     "오토텍", "메탈",   "바이오", "에너지",
                                        "엔지니어링", "물산",   "하이텍", "포장",   "케미칼"};
static const char *const surnames[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임",
                                       "한", "오", "서", "신", "권", "황", "안", "송", "류", "홍"};
static const char *const given[] = {"민수", "영호", "성진", "지훈", "현우", "정숙", "미경",
                                    "동욱", "상철", "은정", "재혁", "수빈", "태호", "혜진",
                                    "광수", "승민", "경희", "준영", "명숙", "도윤"};
static const char *const zones[] = {"제1일반산업단지",
                                    "제2일반산업단지",
                                    "테크노밸리",
                                    "스마트지식산업센터",
                                    "에이스하이테크시티 지식산업센터",
                                    "농공단지",
                                    ""};
static const char *const streets[] = {"산단로", "공단로", "첨단로", "테크노로",
                                      "중앙로", "기업로", "산업로", "성장로"};

static bz_rc make_companies(struct ctx *c, size_t n)
{
	c->company = calloc(n, sizeof(*c->company));
	c->founded = calloc(n, sizeof(*c->founded));
	if (c->company == NULL || c->founded == NULL)
		return BZ_ERR_NOMEM;
	sqlite3_stmt *st = db_stmt(c->db, SQL_COMPANY);
	if (st == NULL)
		return BZ_ERR_DB;
	size_t combos = BZ_ARRAY_LEN(name_head) * BZ_ARRAY_LEN(name_core);
	for (size_t i = 0; i < n; i++) {
		char name[128], key[COMPANY_NAME_CHARS * 4 + 1], brn[BRN_BARE_SIZE], rep[32],
		    addr[160], founded[DATE_TEXT_SIZE];
		size_t k = (i * 7919) % combos; /* a permutation of the combinations */
		const char *head = name_head[k % BZ_ARRAY_LEN(name_head)];
		const char *core = name_core[k / BZ_ARRAY_LEN(name_head)];
		if (i < combos)
			snprintf(name, sizeof(name), "%s%s%s", (i % 3) ? "(주)" : "", head, core);
		else
			snprintf(name, sizeof(name), "(주)%s%s %zu", head, core, i / combos + 1);
		company_name_key(name, key, sizeof(key));
		/* BRN: a tax-office code, 81 (a corporation) or 01..79, a serial, the check digit
		 */
		char nine[10];
		snprintf(nine, sizeof(nine), "%03d%02d%04d", (int)rnd_range(101, 899),
		         (i % 3) ? 81 : (int)rnd_range(1, 79), (int)(i % 10000));
		snprintf(brn, sizeof(brn), "%s%d", nine, brn_check_digit(nine));
		snprintf(rep, sizeof(rep), "%s%s", PICK(surnames), PICK(given));
		snprintf(addr, sizeof(addr), "%s %d", PICK(streets), (int)rnd_range(1, 320));
		int32_t f = date_from_ymd((int)rnd_range(1978, 2021), (int)rnd_range(1, 12),
		                          (int)rnd_range(1, 28));
		fmt(f, founded);
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, key);
		db_bind_text(st, 3, brn);
		db_bind_text(st, 4, rep);
		db_bind_text(st, 5, c->nksic ? c->ksic[rnd() % c->nksic] : NULL);
		db_bind_text(st, 6, addr);
		const char *z = PICK(zones);
		db_bind_text(st, 7, *z ? z : NULL);
		db_bind_int(st, 8, rnd_range(5, 240));
		db_bind_text(st, 9, founded);
		db_bind_text(st, 10, c->now);
		db_bind_text(st, 11, c->now);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if ((rc & 0xff) == SQLITE_CONSTRAINT) { /* a BRN drawn twice: draw again */
			i--;
			continue;
		}
		bz_rc r = db_rc(c->db, rc, "demo company");
		if (r != BZ_OK)
			return r;
		c->company[i] = db_last_id(c->db);
		c->founded[i] = f;
		sqlite3_stmt *ev = db_stmt(c->db, SQL_COMPANY_EVENT);
		if (ev == NULL)
			return BZ_ERR_DB;
		db_bind_int(ev, 1, c->company[i]);
		db_bind_text(ev, 2, c->now);
		db_bind_int(ev, 3, c->staff);
		db_bind_text(ev, 4, name);
		if ((r = step(c, ev, "demo company event")) != BZ_OK)
			return r;
	}
	c->ncompany = n;
	c->stats->companies = (int64_t)n;
	return BZ_OK;
}

/* ---------------------------------------------------------- activities -- */

static const char *const comm_notes[] = {
    "생산 현장을 둘러보고 대표와 애로사항을 청취함.",
    "인력 수급과 물류 여건에 대해 의견을 나눔. 지원시책 안내문 전달.",
    "공장 증축 계획과 인허가 절차에 대해 상담함.",
    "수출 판로 확대 방안을 논의하고 관련 지원사업을 안내함.",
    "근로환경 개선 필요사항을 확인하고 개선사업 신청 방법을 안내함.",
    "진입도로와 주차 문제에 대한 민원을 접수함.",
    "신규 설비 도입에 따른 자금 지원 문의를 받음."};

static bz_rc add_activity(struct ctx *c, int type, int32_t day, int64_t company, const char *title,
                          const char *summary, int64_t *id_out)
{
	sqlite3_stmt *st = db_stmt(c->db, SQL_ACTIVITY);
	if (st == NULL)
		return BZ_ERR_DB;
	char held[DATE_TEXT_SIZE], at[8];
	fmt(day, held);
	snprintf(at, sizeof(at), "%02d:%02d", (int)rnd_range(9, 16), (int)rnd_range(0, 1) * 30);
	db_bind_int(st, 1, c->type[type]);
	db_bind_text(st, 2, held);
	db_bind_text(st, 3, at);
	db_bind_text(st, 4, type == T_COMM || type == T_LETTER ? "기업 현장" : "시청 회의실");
	db_bind_text(st, 5, title);
	db_bind_text(st, 6, summary);
	db_bind_int(st, 7, c->staff);
	char created[24];
	snprintf(created, sizeof(created), "%sT07:00:00Z", held);
	db_bind_text(st, 8, created);
	db_bind_text(st, 9, created);
	bz_rc r = step(c, st, "demo activity");
	if (r != BZ_OK)
		return r;
	int64_t id = db_last_id(c->db);
	st = db_stmt(c->db, SQL_ACTIVITY_EVENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, created);
	db_bind_int(st, 3, c->staff);
	db_bind_text(st, 4, held);
	if ((r = step(c, st, "demo activity event")) != BZ_OK)
		return r;
	if (company > 0) {
		st = db_stmt(c->db, SQL_ACTIVITY_COMPANY);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, company);
		if ((r = step(c, st, "demo activity company")) != BZ_OK)
			return r;
	}
	int64_t who[2] = {c->staff, type == T_MAYOR || type == T_ONESTOP || type == T_ROUND ||
	                                    type == T_CHAMBER || type == T_NEWYEAR ||
	                                    type == T_MAYOR_ROUND
	                                ? c->leader
	                                : 0};
	for (int i = 0; i < 2; i++) {
		if (who[i] <= 0)
			continue;
		st = db_stmt(c->db, SQL_ACTIVITY_STAFF);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, who[i]);
		if ((r = step(c, st, "demo activity staff")) != BZ_OK)
			return r;
	}
	c->stats->activities++;
	if (type == T_LETTER)
		c->stats->letters++;
	if (type == T_COMM) {
		if (c->nvisits == c->capvisits) {
			size_t nc = c->capvisits ? c->capvisits * 2 : 1024;
			struct visit *nv = realloc(c->visits, nc * sizeof(*nv));
			if (nv == NULL)
				return BZ_ERR_NOMEM;
			c->visits = nv;
			c->capvisits = nc;
		}
		c->visits[c->nvisits++] = (struct visit){id, company, day, 0};
	}
	if (id_out)
		*id_out = id;
	return BZ_OK;
}

/* How many records of each kind one period holds (at scale 1). */
struct plan {
	const char *first, *last;
	int n[T_N];
	int grant_year, grants, grants_cancelled, grants_applied;
};

/* 2022 H2, 2023, 2024 to Q3 are the card's columns; the rest continues the
 * same work to the end of the term (2026-06). */
static const struct plan plans[] = {
    {"2022-07-01",
     "2022-12-31",
     {[T_MAYOR] = 4, [T_MAYOR_ROUND] = 2, [T_SQUAD] = 9, [T_COMM] = 69},
     2022,
     13,
     1,
     0},
    {"2023-01-01",
     "2023-12-31",
     {[T_PLAN] = 1,
      [T_MAYOR] = 4,
      [T_NEWYEAR] = 1,
      [T_CHAMBER] = 1,
      [T_ROUND] = 1,
      [T_ONESTOP] = 7,
      [T_COMM] = 287,
      [T_LETTER] = 21},
     2023,
     14,
     1,
     0},
    {"2024-01-01",
     "2024-09-30",
     {[T_PLAN] = 1,
      [T_MAYOR] = 2,
      [T_NEWYEAR] = 1,
      [T_CHAMBER] = 1,
      [T_ONESTOP] = 4,
      [T_COMM] = 134,
      [T_LETTER] = 21,
      [T_EDU] = 1},
     2024,
     12,
     1,
     0},
    {"2024-10-01",
     "2024-12-31",
     {[T_MAYOR] = 2, [T_ROUND] = 1, [T_ONESTOP] = 2, [T_COMM] = 58, [T_LETTER] = 6},
     0,
     0,
     0,
     0},
    {"2025-01-01",
     "2025-12-31",
     {[T_PLAN] = 1,
      [T_MAYOR] = 4,
      [T_NEWYEAR] = 1,
      [T_CHAMBER] = 1,
      [T_ROUND] = 1,
      [T_ONESTOP] = 6,
      [T_COMM] = 276,
      [T_LETTER] = 26,
      [T_EDU] = 1},
     2025,
     12,
     1,
     0},
    {"2026-01-01",
     "2026-06-30",
     {[T_PLAN] = 1,
      [T_MAYOR] = 2,
      [T_NEWYEAR] = 1,
      [T_ROUND] = 1,
      [T_ONESTOP] = 3,
      [T_COMM] = 141,
      [T_LETTER] = 12},
     2026,
     5,
     0,
     3},
};

static const char *type_title(int t)
{
	static const char *const titles[T_N] = {[T_PLAN] = "기업SOS 시스템 운영계획 수립",
	                                        [T_MAYOR] = "시장 기업체 현장방문",
	                                        [T_ROUND] = "기업애로 간담회",
	                                        [T_CHAMBER] = "상공회의소 조찬 간담회",
	                                        [T_NEWYEAR] = "상공인 신년인사회",
	                                        [T_MAYOR_ROUND] = "시장 주관 기업애로 간담회",
	                                        [T_ONESTOP] = "기업원스톱처리 회의",
	                                        [T_SQUAD] = "찾아가는 기업SOS 기동반",
	                                        [T_COMM] = "발로뛰는 기업소통 Day",
	                                        [T_LETTER] = "창립기념일 축하서한문 전달",
	                                        [T_EDU] = "지식산업센터 법령교육 및 애로 청취"};
	return titles[t];
}

static int cmp_visit(const void *a, const void *b)
{
	const struct visit *x = a, *y = b;
	return x->day != y->day ? (x->day < y->day ? -1 : 1) : (x->id < y->id ? -1 : x->id > y->id);
}

static bz_rc make_activities(struct ctx *c, int scale)
{
	bz_rc r;
	for (size_t p = 0; p < BZ_ARRAY_LEN(plans); p++) {
		int32_t a = day_of(plans[p].first), b = day_of(plans[p].last);
		for (int t = 0; t < T_N; t++) {
			int n = plans[p].n[t] * scale;
			for (int i = 0; i < n; i++) {
				int32_t d;
				int64_t company = 0;
				char title[160];
				const char *summary = "";
				if (t == T_LETTER) {
					/* a company whose founding anniversary falls in the period
					 */
					d = -1;
					for (int tries = 0; tries < 10000 && d < 0; tries++) {
						size_t k = rnd() % c->ncompany;
						int y0, m0, d0, y1, m1, d1;
						date_to_ymd(c->founded[k], &y0, &m0, &d0);
						date_to_ymd(a, &y1, &m1, &d1);
						int32_t an =
						    date_from_ymd(y1, m0, d0 > 28 ? 28 : d0);
						int32_t w = workday_next_on_or_after(&c->h, an);
						if (an >= a && w <= b) {
							d = w;
							company = c->company[k];
							snprintf(title, sizeof(title),
							         "창립 %d주년 축하서한문 전달",
							         y1 - y0);
						}
					}
					if (d < 0)
						return BZ_ERR_INVALID;
					summary = "대표이사께 시장 명의 축하서한문을 전달하고 "
					          "애로사항을 청취함.";
				} else if (t == T_PLAN) {
					int y, m, dd;
					date_to_ymd(a, &y, &m, &dd);
					d = random_workday(c, a, a + 40);
					snprintf(title, sizeof(title),
					         "%d년 기업SOS 시스템 운영계획 수립", y);
					summary =
					    "연간 현장방문·간담회·원스톱회의 운영 계획을 확정함.";
				} else if (t == T_NEWYEAR) {
					int y, m, dd;
					date_to_ymd(a, &y, &m, &dd);
					d = random_workday(c, date_from_ymd(y, 1, 5),
					                   date_from_ymd(y, 1, 20));
					bz_strlcpy(title, type_title(t), sizeof(title));
					summary =
					    "상공인과 신년 인사를 나누고 지역 경제 현안을 공유함.";
				} else {
					d = random_workday(c, a, b);
					if (t == T_COMM || t == T_MAYOR || t == T_SQUAD) {
						company = c->company[rnd() % c->ncompany];
						summary = PICK(comm_notes);
					} else
						summary = "참석 기업의 애로사항을 듣고 관련 부서와 "
						          "처리 방안을 논의함.";
					bz_strlcpy(title, type_title(t), sizeof(title));
				}
				if ((r = add_activity(c, t, d, company, title, summary, NULL)) !=
				    BZ_OK)
					return r;
			}
		}
	}
	qsort(c->visits, c->nvisits, sizeof(*c->visits), cmp_visit);
	return BZ_OK;
}

/* -------------------------------------------------------------- grants -- */

static const char *const grant_titles[] = {
    "작업장 환기설비 개선", "휴게실 및 샤워실 개보수", "작업장 바닥 도장 및 안전통로 설치",
    "노후 조명 LED 교체",   "냉난방기 교체",           "근로자 식당 환경 개선",
    "화장실 개보수",        "옥외 작업장 차양막 설치", "분진 집진설비 설치"};

static bz_rc make_grants(struct ctx *c, int scale)
{
	for (size_t p = 0; p < BZ_ARRAY_LEN(plans); p++) {
		const struct plan *pl = &plans[p];
		if (pl->grant_year == 0)
			continue;
		int32_t a = day_of(pl->first), b = day_of(pl->last);
		int total_n = (pl->grants + pl->grants_cancelled + pl->grants_applied) * scale;
		for (int i = 0; i < total_n; i++) {
			const char *status;
			if (i < pl->grants * scale)
				status = pl->grant_year <= 2024 ? "done" : "selected";
			else if (i < (pl->grants + pl->grants_cancelled) * scale)
				status = "cancelled";
			else
				status = "applied";
			struct grant_split s;
			if (grant_split_default(rnd_range(150, 420) * 100000, &s) != BZ_OK)
				return BZ_ERR_INVALID;
			int32_t applied = random_workday(c, a, a + (b - a) / 3);
			int32_t selected = random_workday(c, applied + 14, applied + 40);
			if (selected > b)
				selected = b;
			int32_t done = random_workday(c, selected + 30, selected + 90);
			char ap[DATE_TEXT_SIZE], se[DATE_TEXT_SIZE], dn[DATE_TEXT_SIZE];
			fmt(applied, ap);
			fmt(selected, se);
			fmt(done, dn);
			sqlite3_stmt *st = db_stmt(c->db, SQL_GRANT);
			if (st == NULL)
				return BZ_ERR_DB;
			db_bind_int(st, 1, c->company[rnd() % c->ncompany]);
			db_bind_int(st, 2, pl->grant_year);
			db_bind_text(st, 3, PICK(grant_titles));
			db_bind_int(st, 4, s.total);
			db_bind_int(st, 5, s.province);
			db_bind_int(st, 6, s.city);
			db_bind_int(st, 7, s.company);
			db_bind_text(st, 8, status);
			db_bind_text(st, 9, ap);
			db_bind_text(st, 10, strcmp(status, "applied") ? se : NULL);
			db_bind_text(st, 11, strcmp(status, "done") == 0 ? dn : NULL);
			db_bind_text(st, 12, strcmp(status, "cancelled") == 0 ? se : NULL);
			db_bind_int(st, 13, c->staff);
			char at[24];
			snprintf(at, sizeof(at), "%sT01:00:00Z", ap);
			db_bind_text(st, 14, at);
			db_bind_text(st, 15, at);
			bz_rc r = step(c, st, "demo grant");
			if (r != BZ_OK)
				return r;
			st = db_stmt(c->db, SQL_GRANT_EVENT);
			if (st == NULL)
				return BZ_ERR_DB;
			db_bind_int(st, 1, db_last_id(c->db));
			db_bind_text(st, 2, at);
			db_bind_int(st, 3, c->staff);
			db_bind_text(st, 4, status);
			if ((r = step(c, st, "demo grant event")) != BZ_OK)
				return r;
			c->stats->grants++;
		}
	}
	return BZ_OK;
}

/* ------------------------------------------------------- communication -- */

static bz_rc make_comm(struct ctx *c, int scale)
{
	static const struct {
		const char *kind, *first, *last, *title, *outlet;
	} entries[] = {
	    {"press", "2022-09-01", "2022-09-30", "시, ‘발로 뛰는 기업소통 데이’로 현장 애로 해결",
	     "지역일보"},
	    {"press", "2023-03-01", "2023-03-31", "기업SOS 원스톱처리 회의 첫 개최", "경제신문"},
	    {"survey", "2023-11-01", "2023-11-30", "2023년 기업SOS 서비스 만족도 조사", NULL},
	    {"press", "2023-10-01", "2023-10-31", "시장, 산업단지 입주기업 현장 방문", "지역방송"},
	    {"press", "2024-05-01", "2024-05-31", "소규모 기업환경 개선사업 12개소 선정",
	     "지역일보"},
	    {"survey", "2024-06-01", "2024-06-30", "2024년 상반기 기업SOS 만족도 조사", NULL},
	    {"press", "2025-02-01", "2025-02-28", "기업애로 처리 실적 목표 초과 달성", "경제신문"},
	    {"survey", "2025-11-01", "2025-11-30", "2025년 기업SOS 서비스 만족도 조사", NULL},
	    {"sns", "2025-06-01", "2025-06-30", "기업소통 Day 현장 카드뉴스 게시", NULL},
	    {"press", "2026-04-01", "2026-04-30", "지식산업센터 입주기업 애로 청취", "지역방송"},
	};
	for (int s = 0; s < scale; s++)
		for (size_t i = 0; i < BZ_ARRAY_LEN(entries); i++) {
			sqlite3_stmt *st = db_stmt(c->db, SQL_COMM);
			if (st == NULL)
				return BZ_ERR_DB;
			char d[DATE_TEXT_SIZE], at[24];
			fmt(random_workday(c, day_of(entries[i].first), day_of(entries[i].last)),
			    d);
			snprintf(at, sizeof(at), "%sT05:00:00Z", d);
			db_bind_text(st, 1, entries[i].kind);
			db_bind_text(st, 2, d);
			db_bind_text(st, 3, entries[i].title);
			db_bind_text(st, 4, entries[i].outlet);
			db_bind_text(st, 5,
			             strcmp(entries[i].kind, "press") == 0
			                 ? "https://news.example.kr/article/bizsos"
			                 : NULL);
			db_bind_text(st, 6, "");
			db_bind_int(st, 7, c->staff);
			db_bind_text(st, 8, at);
			bz_rc r = step(c, st, "demo comm entry");
			if (r != BZ_OK)
				return r;
			c->stats->comm_entries++;
		}
	return BZ_OK;
}

/* -------------------------------------------------------------- budget -- */

/* Million won per year and source: plan, secured, then what is executed in
 * each period of the year (the card's 2024 column is as of Q3). */
static const struct {
	int year;
	const char *source;
	int plan, secured;
	struct {
		const char *first, *last;
		int million;
	} exec[2];
} lines[] = {
    {2022, "province", 140, 138, {{"2022-07-01", "2022-12-31", 138}, {NULL, NULL, 0}}},
    {2022, "city", 134, 131, {{"2022-07-01", "2022-12-31", 131}, {NULL, NULL, 0}}},
    {2022, "other", 129, 120, {{"2022-07-01", "2022-12-31", 120}, {NULL, NULL, 0}}},
    {2023, "province", 91, 91, {{"2023-02-01", "2023-12-29", 91}, {NULL, NULL, 0}}},
    {2023, "city", 89, 89, {{"2023-02-01", "2023-12-29", 89}, {NULL, NULL, 0}}},
    {2023, "other", 49, 49, {{"2023-02-01", "2023-12-29", 49}, {NULL, NULL, 0}}},
    {2024,
     "province",
     108,
     108,
     {{"2024-02-01", "2024-09-30", 56}, {"2024-10-01", "2024-12-27", 50}}},
    {2024, "city", 99, 99, {{"2024-02-01", "2024-09-30", 51}, {"2024-10-01", "2024-12-27", 46}}},
    {2024, "other", 59, 59, {{"2024-02-01", "2024-09-30", 28}, {"2024-10-01", "2024-12-27", 29}}},
    {2025, "province", 112, 112, {{"2025-02-01", "2025-12-29", 110}, {NULL, NULL, 0}}},
    {2025, "city", 104, 104, {{"2025-02-01", "2025-12-29", 101}, {NULL, NULL, 0}}},
    {2025, "other", 60, 60, {{"2025-02-01", "2025-12-29", 55}, {NULL, NULL, 0}}},
    {2026, "province", 115, 115, {{"2026-02-02", "2026-06-30", 48}, {NULL, NULL, 0}}},
    {2026, "city", 105, 105, {{"2026-02-02", "2026-06-30", 45}, {NULL, NULL, 0}}},
    {2026, "other", 62, 60, {{"2026-02-02", "2026-06-30", 20}, {NULL, NULL, 0}}},
};

static const char *const exec_memos[] = {
    "소규모 기업환경 개선사업 보조금 지급", "소규모 기업환경 개선사업 보조금 지급(잔액)",
    "기업SOS 현장방문 홍보물 제작",         "기업애로 간담회 운영비",
    "지식산업센터 법령교육 강사료",         "개선사업 자부담분 집행 확인"};

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* How the seed card lists 2022 and 2024 apart from the default: 2022 puts the
 * mayor's site visits before the round tables; 2024 calls the grants
 * "기업환경 개선사업". */
static bz_rc make_card_layout(struct ctx *c)
{
	static const struct {
		int year;
		const char *row;
		int sort; /* -1: the default position */
		const char *label;
	} rows[] = {
	    {2022, "mayor_site_visit", 15, NULL},
	    {2024, "improvement_grant_sites", -1, "기업환경 개선사업"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(rows); i++) {
		sqlite3_stmt *st = db_stmt(c->db, SQL_CARD_LAYOUT);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, rows[i].year);
		db_bind_text(st, 2, rows[i].row);
		if (rows[i].sort >= 0)
			db_bind_int(st, 3, rows[i].sort);
		db_bind_text(st, 4, rows[i].label);
		db_bind_text(st, 5, c->now);
		bz_rc r = step(c, st, "card layout");
		if (r != BZ_OK)
			return r;
	}
	return BZ_OK;
}

static bz_rc make_budget(struct ctx *c, int scale)
{
	for (size_t i = 0; i < BZ_ARRAY_LEN(lines); i++) {
		sqlite3_stmt *st = db_stmt(c->db, SQL_LINE);
		if (st == NULL)
			return BZ_ERR_DB;
		int64_t plan = 0, sec = 0;
		if (money_mul(INT64_C(1000000) * lines[i].plan, scale, &plan) != BZ_OK ||
		    money_mul(INT64_C(1000000) * lines[i].secured, scale, &sec) != BZ_OK)
			return BZ_ERR_TOOLARGE;
		char at[24];
		snprintf(at, sizeof(at), "%d-01-10T01:00:00Z", lines[i].year);
		db_bind_int(st, 1, lines[i].year);
		db_bind_text(st, 2, lines[i].source);
		db_bind_int(st, 3, plan);
		db_bind_int(st, 4, sec);
		db_bind_text(st, 5, at);
		db_bind_text(st, 6, at);
		bz_rc r = step(c, st, "demo budget line");
		if (r != BZ_OK)
			return r;
		int64_t line = db_last_id(c->db);
		c->stats->budget_lines++;
		for (int e = 0; e < 2 && lines[i].exec[e].first; e++) {
			int64_t total = INT64_C(1000000) * lines[i].exec[e].million * scale;
			int n = (int)rnd_range(3, 7) * (scale > 4 ? 4 : scale);
			int32_t a = day_of(lines[i].exec[e].first),
			        b = day_of(lines[i].exec[e].last);
			int32_t days[64];
			for (int k = 0; k < n; k++)
				days[k] = random_workday(c, a, b);
			qsort(days, (size_t)n, sizeof(days[0]), cmp_day);
			int64_t left = total;
			for (int k = 0; k < n; k++) {
				/* the last entry takes the remainder, so the sum is exact */
				int64_t amt = k == n - 1 ? left
				                         : (total / n / 1000) * 1000 +
				                               rnd_range(-40, 40) * 10000;
				left -= amt;
				char d[DATE_TEXT_SIZE], cat[24];
				fmt(days[k], d);
				snprintf(cat, sizeof(cat), "%sT06:00:00Z", d);
				st = db_stmt(c->db, SQL_EXEC);
				if (st == NULL)
					return BZ_ERR_DB;
				db_bind_int(st, 1, line);
				db_bind_text(st, 2, d);
				db_bind_int(st, 3, amt);
				db_bind_text(st, 4, PICK(exec_memos));
				db_bind_int(st, 5, c->leader);
				db_bind_text(st, 6, cat);
				if ((r = step(c, st, "demo execution")) != BZ_OK)
					return r;
				c->stats->executions++;
			}
		}
	}
	return BZ_OK;
}

/* --------------------------------------------------------------- cases -- */

static const char *const case_titles[][3] = {
    {"생산직 인력 채용 지원 요청", "외국인 근로자 고용 한도 확대 요청", "청년 인턴 채용 연계 요청"},
    {"운전자금 융자 지원 문의", "정책자금 이차보전 신청 안내 요청", "시설자금 대출 보증 문의"},
    {"해외 전시회 참가 지원 요청", "수출 바우처 신청 상담", "공공구매 판로 등록 문의"},
    {"공장 증축 부지 용도 문의", "산업단지 입주 절차 문의", "공장 이전 부지 알선 요청"},
    {"공장 등록 변경 인허가 지연", "건축 인허가 협의 요청", "소방 완공검사 일정 협의"},
    {"ISO 인증 비용 지원 문의", "시험성적서 발급 지원 요청", "특허 출원 비용 지원 문의"},
    {"진입도로 파손 보수 요청", "산업단지 가로등 설치 요청", "상수도 인입 공사 협조 요청"},
    {"대기배출시설 신고 절차 문의", "폐수 처리 시설 개선 상담", "악취 민원 대응 협조 요청"},
    {"근로시간 단축 컨설팅 요청", "산업안전 교육 지원 요청", "노사 분쟁 상담 요청"},
    {"지방세 감면 문의", "취득세 감면 요건 확인 요청", "세무 신고 일정 안내 요청"},
    {"소규모 사업장 규제 완화 건의", "산업단지 업종 제한 완화 건의",
     "보조금 정산 절차 간소화 건의"},
    {"기업 홍보 지원 요청", "통근버스 노선 조정 요청", "기업 방문 간담회 개최 요청"},
};

struct case_spec {
	int32_t received, closed; /* closed 0: still open */
	int64_t company, visit;   /* visit: the communication-day activity it came from */
	int visit_idx;
	int cat;
	const char *status, *channel, *flag;
};

static int cmp_case(const void *a, const void *b)
{
	const struct case_spec *x = a, *y = b;
	return (x->received > y->received) - (x->received < y->received);
}

/* The last communication-day visit held in [a, b], or -1. */
static long visit_in(struct ctx *c, int32_t a, int32_t b)
{
	size_t lo = 0, hi = c->nvisits;
	while (lo < hi) { /* first visit with day > b */
		size_t mid = (lo + hi) / 2;
		if (c->visits[mid].day <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || c->visits[lo - 1].day < a)
		return -1;
	/* a random one among the last few in range, so not every case hits the same visit */
	size_t k = lo - 1 - (size_t)rnd_range(0, 3);
	if (k >= c->nvisits || c->visits[k].day < a)
		k = lo - 1;
	return (long)k;
}

static bz_rc insert_case(struct ctx *c, struct case_spec *s, int *seq_year, int *seq_last)
{
	static const char *const channels[] = {"phone",  "walkin",  "online",
	                                       "letter", "meeting", "onestop"};
	char recv[DATE_TEXT_SIZE], closed[DATE_TEXT_SIZE] = "", due[DATE_TEXT_SIZE], no[24], at[24],
	                           closed_at[24] = "";
	fmt(s->received, recv);
	int y = date_year(s->received);
	if (y != *seq_year) {
		*seq_year = y;
		*seq_last = 0;
	}
	(*seq_last)++;
	snprintf(no, sizeof(no), "SOS-%d-%04d", y, *seq_last);
	snprintf(at, sizeof(at), "%sT0%d:%02d:00Z", recv, (int)rnd_range(0, 7),
	         (int)rnd_range(0, 59));
	int32_t dd;
	if (workday_add(&c->h, s->received, c->cat[s->cat].days, &dd) != BZ_OK)
		return BZ_ERR_INVALID;
	fmt(dd, due);
	if (s->closed) {
		fmt(s->closed, closed);
		snprintf(closed_at, sizeof(closed_at), "%sT08:00:00Z", closed);
	}
	const char *channel = s->visit ? "visit" : s->channel ? s->channel : PICK(channels);
	bool done = strcmp(s->status, "done") == 0;
	int o = (int)rnd_range(0, 19);
	const char *outcome = done ? (o < 15 ? "accepted" : o < 18 ? "partial" : "rejected") : NULL;
	const char *reason = outcome && strcmp(outcome, "accepted")
	                         ? (strcmp(outcome, "partial") == 0
	                                ? "관련 법령상 일부만 지원 가능하여 가능한 범위를 안내함"
	                                : "지원 요건(업력·업종)에 해당하지 않아 대체 시책을 안내함")
	                         : NULL;
	int d = (int)rnd_range(0, 9);
	const char *disposition = done ? (d < 7   ? "immediate"
	                                  : d < 9 ? "long_term"
	                                          : "system")
	                               : NULL;
	sqlite3_stmt *st = db_stmt(c->db, SQL_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	const char *title = case_titles[s->cat % 12][rnd() % 3];
	db_bind_text(st, 1, no);
	db_bind_int(st, 2, s->company);
	db_bind_text(st, 3, at);
	db_bind_text(st, 4, recv);
	db_bind_text(st, 5, channel);
	db_bind_int(st, 6, c->cat[s->cat].id);
	db_bind_text(st, 7, title);
	db_bind_text(st, 8, "현장에서 접수한 애로사항. 대표와 통화하여 세부 내용을 확인함.");
	db_bind_text(st, 9, "관련 부서 검토와 지원 가능 여부 회신을 요청함.");
	db_bind_text(st, 10, s->cat == 4 || s->cat == 10 ? "complex" : "single");
	db_bind_text(st, 11, s->flag);
	db_bind_text(st, 12, s->status);
	db_bind_text(st, 13,
	             strcmp(s->status, "withdrawn") == 0 ? "기업이 자체 해결하여 취하함" : NULL);
	db_bind_text(st, 14, disposition);
	db_bind_text(st, 15, outcome);
	db_bind_text(st, 16, reason);
	db_bind_text(st, 17, s->closed ? closed : NULL);
	bool tr = strcmp(s->status, "transferred") == 0;
	db_bind_text(st, 18, tr ? "경기도 기업SOS" : NULL);
	db_bind_text(st, 19, tr ? closed : NULL);
	db_bind_text(st, 20, done ? (o % 2 ? "phone" : "letter") : NULL);
	db_bind_text(st, 21, done ? closed : NULL);
	db_bind_text(st, 22, due);
	db_bind_int(st, 23, rnd() % 5 ? c->staff : c->leader);
	db_bind_int(st, 24, c->staff);
	db_bind_text(st, 25, at);
	db_bind_text(st, 26, s->closed ? closed_at : at);
	bz_rc r = step(c, st, "demo case");
	if (r != BZ_OK)
		return r;
	int64_t id = db_last_id(c->db);
	struct {
		const char *at, *kind, *field, *old, *nw;
	} ev[2] = {{at, "created", NULL, NULL, no},
	           {closed_at, "status", "status", "in_progress", s->status}};
	for (int i = 0; i < (s->closed ? 2 : 1); i++) {
		st = db_stmt(c->db, SQL_CASE_EVENT);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, ev[i].at);
		db_bind_int(st, 3, c->staff);
		db_bind_text(st, 4, ev[i].kind);
		db_bind_text(st, 5, ev[i].field);
		db_bind_text(st, 6, ev[i].old);
		db_bind_text(st, 7, ev[i].nw);
		if ((r = step(c, st, "demo case event")) != BZ_OK)
			return r;
	}
	if (s->visit) {
		struct visit *v = &c->visits[s->visit_idx];
		st = db_stmt(c->db, SQL_ACTIVITY_CASE);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, v->id);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, ++v->seq);
		if ((r = step(c, st, "demo activity case")) != BZ_OK)
			return r;
	}
	c->stats->cases++;
	return BZ_OK;
}

static bz_rc make_cases(struct ctx *c, int scale)
{
	/* completed cases per target period, around the targets 60/65/70/75 */
	static const struct {
		const char *first, *last;
		int done, withdrawn, transferred;
	} periods[] = {
	    {"2023-01-01", "2023-12-31", 64, 3, 2},
	    {"2024-01-01", "2024-12-31", 68, 2, 2},
	    {"2025-01-01", "2025-12-31", 71, 3, 1},
	    {"2026-01-01", "2026-06-30", 77, 1, 1},
	};
	size_t cap = 0;
	for (size_t p = 0; p < BZ_ARRAY_LEN(periods); p++)
		cap += (size_t)(periods[p].done + periods[p].withdrawn + periods[p].transferred) *
		       (size_t)scale;
	cap += (size_t)14 * (size_t)scale;
	struct case_spec *specs = calloc(cap, sizeof(*specs));
	if (specs == NULL)
		return BZ_ERR_NOMEM;
	size_t n = 0;
	for (size_t p = 0; p < BZ_ARRAY_LEN(periods); p++) {
		int32_t a = day_of(periods[p].first), b = day_of(periods[p].last);
		int total =
		    (periods[p].done + periods[p].withdrawn + periods[p].transferred) * scale;
		for (int i = 0; i < total; i++) {
			struct case_spec *s = &specs[n++];
			s->status = i < periods[p].done * scale ? "done"
			            : i < (periods[p].done + periods[p].withdrawn) * scale
			                ? "withdrawn"
			                : "transferred";
			s->cat = (int)(rnd() % c->ncat);
			/* closed on a working day of the period, after 1..12 working days (a few
			 * more than the deadline allows, as happens) */
			s->closed = random_workday(c, a + 5, b);
			int took = (int)rnd_range(1, 12);
			if (rnd() % 10 == 0)
				took += (int)rnd_range(5, 12);
			int32_t received = workdays_before(c, s->closed, took);
			long v = rnd() % 100 < 45 ? visit_in(c, received - 20, s->closed - 1) : -1;
			if (v >= 0) {
				s->visit = c->visits[v].id;
				s->visit_idx = (int)v;
				s->company = c->visits[v].company;
				s->received = c->visits[v].day;
			} else {
				s->received = received;
				s->company = c->company[rnd() % c->ncompany];
			}
			int f = (int)rnd_range(0, 19);
			s->flag = f == 0 ? "red" : f < 3 ? "yellow" : NULL;
		}
	}
	/* still open at the end of the data (received in May and June 2026) */
	static const char *const open_status[] = {"received", "reviewing", "in_progress"};
	for (int i = 0; i < 14 * scale; i++) {
		struct case_spec *s = &specs[n++];
		s->status = open_status[i % 3];
		s->cat = (int)(rnd() % c->ncat);
		s->received = random_workday(c, day_of("2026-05-04"), day_of("2026-06-30"));
		s->company = c->company[rnd() % c->ncompany];
		s->flag = i % 5 == 0 ? "red" : i % 4 == 0 ? "yellow" : NULL;
		s->channel = i % 2 ? "phone" : "online";
	}
	qsort(specs, n, sizeof(*specs), cmp_case);
	int seq_year = 0, seq_last = 0;
	bz_rc r = BZ_OK;
	for (size_t i = 0; i < n && r == BZ_OK; i++) {
		int before = seq_year;
		r = insert_case(c, &specs[i], &seq_year, &seq_last);
		if (r == BZ_OK && (seq_year != before || i + 1 == n ||
		                   date_year(specs[i + 1].received) != seq_year)) {
			sqlite3_stmt *st = db_stmt(c->db, SQL_CASE_SEQ);
			if (st == NULL)
				r = BZ_ERR_DB;
			else {
				db_bind_int(st, 1, seq_year);
				db_bind_int(st, 2, seq_last);
				r = step(c, st, "demo case seq");
			}
		}
	}
	free(specs);
	return r;
}

/* ---------------------------------------------------------------- main -- */

static bz_rc load_context(struct ctx *c)
{
	c->staff = lookup_id(c->db, SQL_USER, "staff");
	c->leader = lookup_id(c->db, SQL_USER, "leader");
	c->executive = lookup_id(c->db, SQL_USER, "executive");
	if (!c->staff || !c->leader)
		return BZ_ERR_NOTFOUND;
	for (int t = 0; t < T_N; t++)
		if ((c->type[t] = lookup_id(c->db, SQL_TYPE, type_codes[t])) == 0)
			return BZ_ERR_NOTFOUND;
	bz_rc r = holiday_set_load(c->db, &c->h);
	if (r != BZ_OK)
		return r;
	sqlite3_stmt *st = db_stmt(c->db, SQL_CATEGORIES);
	if (st == NULL)
		return BZ_ERR_DB;
	while (sqlite3_step(st) == SQLITE_ROW && c->ncat < BZ_ARRAY_LEN(c->cat)) {
		c->cat[c->ncat].id = sqlite3_column_int64(st, 0);
		bz_strlcpy(c->cat[c->ncat].name, (const char *)sqlite3_column_text(st, 1),
		           sizeof(c->cat[c->ncat].name));
		c->cat[c->ncat].days = sqlite3_column_int(st, 2);
		c->ncat++;
	}
	sqlite3_reset(st);
	if (c->ncat == 0)
		return BZ_ERR_NOTFOUND;
	st = db_stmt(c->db, SQL_KSIC);
	if (st == NULL)
		return BZ_ERR_DB;
	size_t capk = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (c->nksic == capk) {
			size_t nc = capk ? capk * 2 : 32;
			const char **nk = realloc(c->ksic, nc * sizeof(*nk));
			if (nk == NULL) {
				sqlite3_reset(st);
				return BZ_ERR_NOMEM;
			}
			c->ksic = nk;
			capk = nc;
		}
		char *code = strdup((const char *)sqlite3_column_text(st, 0));
		if (code == NULL) {
			sqlite3_reset(st);
			return BZ_ERR_NOMEM;
		}
		c->ksic[c->nksic++] = code;
	}
	sqlite3_reset(st);
	return BZ_OK;
}

bz_rc demo_generate(struct db *db, int scale, struct demo_stats *stats)
{
	if (scale < 1 || scale > DEMO_SCALE_MAX)
		return BZ_ERR_INVALID;
	struct demo_stats dummy;
	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.stats = stats ? stats : &dummy;
	memset(c.stats, 0, sizeof(*c.stats));
	workday_holidays_init(&c.h);
	rng_state = DEMO_SEED;
	db_now_utc(c.now);
	bz_rc r = load_context(&c);
	if (r == BZ_OK)
		r = db_begin(db);
	if (r == BZ_OK) {
		if ((r = make_companies(&c, (size_t)220 * (size_t)scale)) == BZ_OK &&
		    (r = make_activities(&c, scale)) == BZ_OK &&
		    (r = make_grants(&c, scale)) == BZ_OK && (r = make_comm(&c, scale)) == BZ_OK &&
		    (r = make_budget(&c, scale)) == BZ_OK && (r = make_cases(&c, scale)) == BZ_OK &&
		    (r = make_card_layout(&c)) == BZ_OK)
			r = db_commit(db);
		if (r != BZ_OK)
			db_rollback(db);
	}
	for (size_t i = 0; i < c.nksic; i++)
		free((void *)c.ksic[i]);
	free(c.ksic);
	free(c.company);
	free(c.founded);
	free(c.visits);
	workday_holidays_free(&c.h);
	return r;
}
