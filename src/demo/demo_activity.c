/* Demo data: activities (visits, meetings, letters, education), improvement
 * grants and communication entries, by the plans below. See demo_internal.h. */
#include "demo_internal.h"
#include "bizsos/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

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

/* ---------------------------------------------------------- activities -- */

static const char *const comm_notes[] = {
    "생산 현장을 둘러보고 대표와 애로사항을 청취함.",
    "인력 수급과 물류 여건에 대해 의견을 나눔. 지원시책 안내문 전달.",
    "공장 증축 계획과 인허가 절차에 대해 상담함.",
    "수출 판로 확대 방안을 논의하고 관련 지원사업을 안내함.",
    "근로환경 개선 필요사항을 확인하고 개선사업 신청 방법을 안내함.",
    "진입도로와 주차 문제에 대한 민원을 접수함.",
    "신규 설비 도입에 따른 자금 지원 문의를 받음."};

bz_rc demo_add_activity(struct ctx *c, int type, int32_t day, int64_t company, const char *title,
                        const char *summary, int64_t *id_out)
{
	sqlite3_stmt *st = db_stmt(c->db, SQL_ACTIVITY);
	if (st == NULL)
		return BZ_ERR_DB;
	char held[DATE_TEXT_SIZE], at[8];
	demo_fmt(day, held);
	snprintf(at, sizeof(at), "%02d:%02d", (int)demo_rnd_range(9, 16),
	         (int)demo_rnd_range(0, 1) * 30);
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
	bz_rc r = demo_step(c, st, "demo activity");
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
	if ((r = demo_step(c, st, "demo activity event")) != BZ_OK)
		return r;
	if (company > 0) {
		st = db_stmt(c->db, SQL_ACTIVITY_COMPANY);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, company);
		if ((r = demo_step(c, st, "demo activity company")) != BZ_OK)
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
		if ((r = demo_step(c, st, "demo activity staff")) != BZ_OK)
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

bz_rc demo_activities(struct ctx *c, int scale)
{
	bz_rc r;
	for (size_t p = 0; p < BZ_ARRAY_LEN(plans); p++) {
		int32_t a = demo_day_of(plans[p].first), b = demo_day_of(plans[p].last);
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
						size_t k = demo_rnd() % c->ncompany;
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
					d = demo_workday(c, a, a + 40);
					snprintf(title, sizeof(title),
					         "%d년 기업SOS 시스템 운영계획 수립", y);
					summary =
					    "연간 현장방문·간담회·원스톱회의 운영 계획을 확정함.";
				} else if (t == T_NEWYEAR) {
					int y, m, dd;
					date_to_ymd(a, &y, &m, &dd);
					d = demo_workday(c, date_from_ymd(y, 1, 5),
					                 date_from_ymd(y, 1, 20));
					bz_strlcpy(title, type_title(t), sizeof(title));
					summary =
					    "상공인과 신년 인사를 나누고 지역 경제 현안을 공유함.";
				} else {
					d = demo_workday(c, a, b);
					if (t == T_COMM || t == T_MAYOR || t == T_SQUAD) {
						company = c->company[demo_rnd() % c->ncompany];
						summary = PICK(comm_notes);
					} else
						summary = "참석 기업의 애로사항을 듣고 관련 부서와 "
						          "처리 방안을 논의함.";
					bz_strlcpy(title, type_title(t), sizeof(title));
				}
				if ((r = demo_add_activity(c, t, d, company, title, summary,
				                           NULL)) != BZ_OK)
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

bz_rc demo_grants(struct ctx *c, int scale)
{
	for (size_t p = 0; p < BZ_ARRAY_LEN(plans); p++) {
		const struct plan *pl = &plans[p];
		if (pl->grant_year == 0)
			continue;
		int32_t a = demo_day_of(pl->first), b = demo_day_of(pl->last);
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
			if (grant_split_default(demo_rnd_range(150, 420) * 100000, &s) != BZ_OK)
				return BZ_ERR_INVALID;
			int32_t applied = demo_workday(c, a, a + (b - a) / 3);
			int32_t selected = demo_workday(c, applied + 14, applied + 40);
			if (selected > b)
				selected = b;
			int32_t done = demo_workday(c, selected + 30, selected + 90);
			char ap[DATE_TEXT_SIZE], se[DATE_TEXT_SIZE], dn[DATE_TEXT_SIZE];
			demo_fmt(applied, ap);
			demo_fmt(selected, se);
			demo_fmt(done, dn);
			sqlite3_stmt *st = db_stmt(c->db, SQL_GRANT);
			if (st == NULL)
				return BZ_ERR_DB;
			db_bind_int(st, 1, c->company[demo_rnd() % c->ncompany]);
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
			bz_rc r = demo_step(c, st, "demo grant");
			if (r != BZ_OK)
				return r;
			st = db_stmt(c->db, SQL_GRANT_EVENT);
			if (st == NULL)
				return BZ_ERR_DB;
			db_bind_int(st, 1, db_last_id(c->db));
			db_bind_text(st, 2, at);
			db_bind_int(st, 3, c->staff);
			db_bind_text(st, 4, status);
			if ((r = demo_step(c, st, "demo grant event")) != BZ_OK)
				return r;
			c->stats->grants++;
		}
	}
	return BZ_OK;
}

/* ------------------------------------------------------- communication -- */

bz_rc demo_comm(struct ctx *c, int scale)
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
			demo_fmt(demo_workday(c, demo_day_of(entries[i].first),
			                      demo_day_of(entries[i].last)),
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
			bz_rc r = demo_step(c, st, "demo comm entry");
			if (r != BZ_OK)
				return r;
			c->stats->comm_entries++;
		}
	return BZ_OK;
}
