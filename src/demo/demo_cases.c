/* Demo data: budget lines with their execution entries, and the SOS cases
 * around the yearly targets. See demo_internal.h. */
#include "demo_internal.h"
#include "bizsos/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_ACTIVITY_CASE[] =
    "INSERT INTO activity_case (activity_id, case_id, kind, seq) VALUES (?, ?, 'raised', ?)";
static const char SQL_LINE[] =
    "INSERT INTO budget_line (program_id, year, source, planned, secured, created_at,"
    " updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)";
static const char SQL_EXEC[] =
    "INSERT INTO budget_execution (budget_line_id, executed_on, amount, memo, created_by,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?)";
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

bz_rc demo_budget(struct ctx *c, int scale)
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
		bz_rc r = demo_step(c, st, "demo budget line");
		if (r != BZ_OK)
			return r;
		int64_t line = db_last_id(c->db);
		c->stats->budget_lines++;
		for (int e = 0; e < 2 && lines[i].exec[e].first; e++) {
			int64_t total = INT64_C(1000000) * lines[i].exec[e].million * scale;
			int n = (int)demo_rnd_range(3, 7) * (scale > 4 ? 4 : scale);
			int32_t a = demo_day_of(lines[i].exec[e].first),
			        b = demo_day_of(lines[i].exec[e].last);
			int32_t days[64];
			for (int k = 0; k < n; k++)
				days[k] = demo_workday(c, a, b);
			qsort(days, (size_t)n, sizeof(days[0]), cmp_day);
			int64_t left = total;
			for (int k = 0; k < n; k++) {
				/* the last entry takes the remainder, so the sum is exact */
				int64_t amt = k == n - 1 ? left
				                         : (total / n / 1000) * 1000 +
				                               demo_rnd_range(-40, 40) * 10000;
				left -= amt;
				char d[DATE_TEXT_SIZE], cat[24];
				demo_fmt(days[k], d);
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
				if ((r = demo_step(c, st, "demo execution")) != BZ_OK)
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

static int cmp_case(const void *a, const void *b)
{
	const struct demo_case *x = a, *y = b;
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
	size_t k = lo - 1 - (size_t)demo_rnd_range(0, 3);
	if (k >= c->nvisits || c->visits[k].day < a)
		k = lo - 1;
	return (long)k;
}

bz_rc demo_insert_case(struct ctx *c, struct demo_case *s, int *seq_year, int *seq_last)
{
	static const char *const channels[] = {"phone",  "walkin",  "online",
	                                       "letter", "meeting", "onestop"};
	char recv[DATE_TEXT_SIZE], closed[DATE_TEXT_SIZE] = "", due[DATE_TEXT_SIZE], no[24], at[24],
	                           closed_at[24] = "";
	demo_fmt(s->received, recv);
	int y = date_year(s->received);
	if (y != *seq_year) {
		*seq_year = y;
		*seq_last = 0;
	}
	(*seq_last)++;
	snprintf(no, sizeof(no), "SOS-%d-%04d", y, *seq_last);
	snprintf(at, sizeof(at), "%sT0%d:%02d:00Z", recv, (int)demo_rnd_range(0, 7),
	         (int)demo_rnd_range(0, 59));
	int32_t dd;
	if (workday_add(&c->h, s->received, c->cat[s->cat].days, &dd) != BZ_OK)
		return BZ_ERR_INVALID;
	demo_fmt(dd, due);
	if (s->closed) {
		demo_fmt(s->closed, closed);
		snprintf(closed_at, sizeof(closed_at), "%sT08:00:00Z", closed);
	}
	const char *channel = s->visit ? "visit" : s->channel ? s->channel : PICK(channels);
	bool done = strcmp(s->status, "done") == 0;
	int o = (int)demo_rnd_range(0, 19);
	const char *outcome = done ? (o < 15 ? "accepted" : o < 18 ? "partial" : "rejected") : NULL;
	const char *reason = outcome && strcmp(outcome, "accepted")
	                         ? (strcmp(outcome, "partial") == 0
	                                ? "관련 법령상 일부만 지원 가능하여 가능한 범위를 안내함"
	                                : "지원 요건(업력·업종)에 해당하지 않아 대체 시책을 안내함")
	                         : NULL;
	int d = (int)demo_rnd_range(0, 9);
	const char *disposition = done ? (d < 7   ? "immediate"
	                                  : d < 9 ? "long_term"
	                                          : "system")
	                               : NULL;
	sqlite3_stmt *st = db_stmt(c->db, SQL_CASE);
	if (st == NULL)
		return BZ_ERR_DB;
	const char *title = case_titles[s->cat % 12][demo_rnd() % 3];
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
	int64_t assignee = demo_rnd() % 5 ? c->staff : c->leader;
	if (s->assignee >= 0) /* < 0: nobody yet */
		db_bind_int(st, 23, s->assignee ? s->assignee : assignee);
	db_bind_int(st, 24, c->staff);
	db_bind_text(st, 25, at);
	db_bind_text(st, 26, s->closed ? closed_at : at);
	bz_rc r = demo_step(c, st, "demo case");
	if (r != BZ_OK)
		return r;
	int64_t id = db_last_id(c->db);
	if (s->id_out)
		*s->id_out = id;
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
		if ((r = demo_step(c, st, "demo case event")) != BZ_OK)
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
		if ((r = demo_step(c, st, "demo activity case")) != BZ_OK)
			return r;
	}
	c->stats->cases++;
	return BZ_OK;
}

bz_rc demo_cases(struct ctx *c, int scale)
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
	struct demo_case *specs = calloc(cap, sizeof(*specs));
	if (specs == NULL)
		return BZ_ERR_NOMEM;
	size_t n = 0;
	for (size_t p = 0; p < BZ_ARRAY_LEN(periods); p++) {
		int32_t a = demo_day_of(periods[p].first), b = demo_day_of(periods[p].last);
		int total =
		    (periods[p].done + periods[p].withdrawn + periods[p].transferred) * scale;
		for (int i = 0; i < total; i++) {
			struct demo_case *s = &specs[n++];
			s->status = i < periods[p].done * scale ? "done"
			            : i < (periods[p].done + periods[p].withdrawn) * scale
			                ? "withdrawn"
			                : "transferred";
			s->cat = (int)(demo_rnd() % c->ncat);
			/* closed on a working day of the period, after 1..12 working days (a few
			 * more than the deadline allows, as happens) */
			s->closed = demo_workday(c, a + 5, b);
			int took = (int)demo_rnd_range(1, 12);
			if (demo_rnd() % 10 == 0)
				took += (int)demo_rnd_range(5, 12);
			int32_t received = demo_workdays_before(c, s->closed, took);
			long v =
			    demo_rnd() % 100 < 45 ? visit_in(c, received - 20, s->closed - 1) : -1;
			if (v >= 0) {
				s->visit = c->visits[v].id;
				s->visit_idx = (int)v;
				s->company = c->visits[v].company;
				s->received = c->visits[v].day;
			} else {
				s->received = received;
				s->company = c->company[demo_rnd() % c->ncompany];
			}
			int f = (int)demo_rnd_range(0, 19);
			s->flag = f == 0 ? "red" : f < 3 ? "yellow" : NULL;
		}
	}
	/* still open at the end of the data (received in May and June 2026) */
	static const char *const open_status[] = {"received", "reviewing", "in_progress"};
	for (int i = 0; i < 14 * scale; i++) {
		struct demo_case *s = &specs[n++];
		s->status = open_status[i % 3];
		s->cat = (int)(demo_rnd() % c->ncat);
		s->received = demo_workday(c, demo_day_of("2026-05-04"), demo_day_of("2026-06-30"));
		s->company = c->company[demo_rnd() % c->ncompany];
		s->flag = i % 5 == 0 ? "red" : i % 4 == 0 ? "yellow" : NULL;
		s->channel = i % 2 ? "phone" : "online";
	}
	qsort(specs, n, sizeof(*specs), cmp_case);
	int seq_year = 0, seq_last = 0;
	bz_rc r = BZ_OK;
	for (size_t i = 0; i < n && r == BZ_OK; i++) {
		int before = seq_year;
		r = demo_insert_case(c, &specs[i], &seq_year, &seq_last);
		if (r == BZ_OK && (seq_year != before || i + 1 == n ||
		                   date_year(specs[i + 1].received) != seq_year)) {
			sqlite3_stmt *st = db_stmt(c->db, SQL_CASE_SEQ);
			if (st == NULL)
				r = BZ_ERR_DB;
			else {
				db_bind_int(st, 1, seq_year);
				db_bind_int(st, 2, seq_last);
				r = demo_step(c, st, "demo case seq");
			}
		}
	}
	free(specs);
	return r;
}
