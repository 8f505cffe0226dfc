/* Demo data: the people around the cases (departments with their users, more
 * staff, company contacts with consent) and the recent months — visits, cases
 * with referrals (some answered late), notes and status checks — from the end
 * of the planned data (2026-06-30) up to the day the demo is generated, so a
 * demo database is lively on any date. Runs after the planned records, on its
 * own PRNG stream: the seed card's figures do not move. See demo_internal.h. */
#include "demo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ SQL -- */

static const char SQL_DEPT_ADD[] =
    "INSERT INTO department (name, kind, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (name) DO NOTHING";
static const char SQL_DEPT_ID[] = "SELECT id FROM department WHERE name = ?1";
static const char SQL_USER_BY_DEPT[] =
    "SELECT id FROM app_user WHERE role = 'department' AND department_id = ?1 LIMIT 1";
/* The extra accounts cannot sign in ('!' is no password hash); an admin sets
 * a password when somebody wants to try them. */
static const char SQL_USER_ADD[] =
    "INSERT INTO app_user (login, name, role, department_id, password_hash, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, '!', ?5, ?5)";
static const char SQL_CONTACT[] =
    "INSERT INTO company_contact (company_id, name, title, phone, email, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_CONSENT[] =
    "INSERT INTO contact_consent (contact_id, email, sms, recorded_at, recorded_by)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_CONTACT_EVENT[] =
    "INSERT INTO company_event (company_id, at, actor_id, kind, field, old, new)"
    " VALUES (?, ?, ?, 'contact_add', NULL, NULL, ?)";
static const char SQL_STATUS_CHECK[] =
    "UPDATE company_status SET status_cd = ?2, status = ?3, tax_type = ?4, end_dt = ?5,"
    " checked_at = ?6, pending = 0, tries = 0 WHERE company_id = ?1";
static const char SQL_SEQ_LAST[] = "SELECT last FROM case_seq WHERE year = ?1";
static const char SQL_SEQ_SET[] = "INSERT INTO case_seq (year, last) VALUES (?1, ?2)"
                                  " ON CONFLICT (year) DO UPDATE SET last = max(last, ?2)";
static const char SQL_REFER[] =
    "INSERT INTO case_referral (case_id, department_id, role, owner_id, due_on, status, answer,"
    " answered_at, answered_by, created_at, created_by) VALUES (?, ?, 'lead', ?, ?, ?, ?, ?, ?,"
    " ?, ?)";
static const char SQL_EVENT[] =
    "INSERT INTO case_event (case_id, at, actor_id, kind, field, old, new, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_NOTE[] =
    "INSERT INTO case_note (case_id, at, author_id, body, shared) VALUES (?, ?, ?, ?, ?)";
/* Open cases received before ?1: the planned data leaves some open at its end. */
static const char SQL_OLD_OPEN[] =
    "SELECT id, received_on FROM sos_case WHERE status IN ('received', 'reviewing',"
    " 'in_progress') AND received_on < ?1 ORDER BY id";
static const char SQL_CLOSE[] =
    "UPDATE sos_case SET status = 'done', disposition = 'immediate', outcome = 'accepted',"
    " notified_method = 'phone', notified_on = ?2, closed_on = ?2, updated_at = ?3"
    " WHERE id = ?1";

/* ------------------------------------------------------------- people -- */

static const struct {
	const char *name, *kind, *login, *person;
} depts[] = {
    {"건축과", "internal", NULL, NULL}, /* the demo user "department" */
    {"도시계획과", "internal", "dept-plan", "김도현"},
    {"환경관리과", "internal", "dept-env", "오민정"},
    {"도로과", "internal", "dept-road", "정재훈"},
    {"상하수도과", "internal", "dept-water", "한수경"},
    {"세정과", "internal", "dept-tax", "윤상우"},
    {"일자리정책과", "internal", "dept-jobs", "서지원"},
    {"교통정책과", "internal", "dept-traffic", "류태민"},
    {"투자유치과", "internal", "dept-invest", "장은비"},
    {"경기도 기업SOS센터", "agency", "dept-gg", "홍석진"},
};
static const struct {
	const char *login, *name;
} staff[] = {{"staff2", "김하늘"}, {"staff3", "박준서"}, {"staff4", "정유진"}};

/* The first column of st's first row (0 when none). */
static bz_rc id_of(struct ctx *c, sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : db_rc(c->db, rc, "demo lookup");
}

static bz_rc add_user(struct ctx *c, const char *login, const char *name, const char *role,
                      int64_t dept, int64_t *out)
{
	sqlite3_stmt *st = db_stmt(c->db, SQL_USER_ADD);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, role);
	if (dept > 0)
		db_bind_int(st, 4, dept);
	db_bind_text(st, 5, c->now);
	bz_rc r = demo_step(c, st, "demo user");
	if (r == BZ_OK)
		*out = db_last_id(c->db);
	return r;
}

bz_rc demo_people(struct ctx *c)
{
	bz_rc r = BZ_OK;
	for (size_t i = 0; i < BZ_ARRAY_LEN(depts) && r == BZ_OK; i++) {
		sqlite3_stmt *st = db_stmt(c->db, SQL_DEPT_ADD);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_text(st, 1, depts[i].name);
		db_bind_text(st, 2, depts[i].kind);
		db_bind_text(st, 3, c->now);
		if ((r = demo_step(c, st, "demo department")) != BZ_OK)
			return r;
		if ((st = db_stmt(c->db, SQL_DEPT_ID)) == NULL)
			return BZ_ERR_DB;
		db_bind_text(st, 1, depts[i].name);
		int64_t id = 0, user = 0;
		if ((r = id_of(c, st, &id)) != BZ_OK || id == 0)
			return r != BZ_OK ? r : BZ_ERR_NOTFOUND;
		if ((st = db_stmt(c->db, SQL_USER_BY_DEPT)) == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, id);
		if ((r = id_of(c, st, &user)) != BZ_OK)
			return r;
		if (user == 0 && depts[i].login)
			r = add_user(c, depts[i].login, depts[i].person, "department", id, &user);
		c->dept[c->ndept] = id;
		c->dept_user[c->ndept++] = user;
	}
	for (size_t i = 0; i < BZ_ARRAY_LEN(staff) && r == BZ_OK; i++)
		r = add_user(c, staff[i].login, staff[i].name, "staff", 0,
		             &c->more_staff[c->nmore_staff++]);
	return r;
}

/* ----------------------------------------------------------- contacts -- */

static const char *const surnames[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"};
static const char *const given[] = {"서연", "지호", "민준", "하은", "도윤",
                                    "수아", "예준", "지우", "시우", "유나"};
static const char *const titles[] = {"대표이사", "총무팀장", "관리부장", "생산과장",
                                     "경영지원실장"};

/* One contact in every fourth company, three in four of them consenting to
 * mail and one in two to text messages. */
static bz_rc make_contacts(struct ctx *c)
{
	for (size_t i = 0; i < c->ncompany; i += 4) {
		char name[32], phone[24], email[64];
		snprintf(name, sizeof(name), "%s%s", PICK(surnames), PICK(given));
		snprintf(phone, sizeof(phone), "010-%04d-%04d", (int)demo_rnd_range(2000, 9999),
		         (int)demo_rnd_range(0, 9999));
		snprintf(email, sizeof(email), "contact%zu@company.example.kr", i);
		sqlite3_stmt *st = db_stmt(c->db, SQL_CONTACT);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, c->company[i]);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, PICK(titles));
		db_bind_text(st, 4, phone);
		db_bind_text(st, 5, email);
		db_bind_text(st, 6, c->now);
		bz_rc r = demo_step(c, st, "demo contact");
		if (r != BZ_OK)
			return r;
		int64_t id = db_last_id(c->db);
		uint64_t k = demo_rnd() % 4;
		if (k > 0) {
			if ((st = db_stmt(c->db, SQL_CONSENT)) == NULL)
				return BZ_ERR_DB;
			db_bind_int(st, 1, id);
			db_bind_int(st, 2, 1);
			db_bind_int(st, 3, k % 2);
			db_bind_text(st, 4, c->now);
			db_bind_int(st, 5, c->staff);
			if ((r = demo_step(c, st, "demo consent")) != BZ_OK)
				return r;
		}
		if ((st = db_stmt(c->db, SQL_CONTACT_EVENT)) == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, c->company[i]);
		db_bind_text(st, 2, c->now);
		db_bind_int(st, 3, c->staff);
		db_bind_text(st, 4, name);
		if ((r = demo_step(c, st, "demo contact event")) != BZ_OK)
			return r;
		/* and a status check of the company (국세청 사업자 상태) */
		if ((st = db_stmt(c->db, SQL_STATUS_CHECK)) == NULL)
			return BZ_ERR_DB;
		bool closed = demo_rnd() % 40 == 0;
		char at[24];
		int32_t d = demo_day_of(c->today) - (int32_t)demo_rnd_range(1, 60);
		char day[DATE_TEXT_SIZE];
		demo_fmt(d, day);
		snprintf(at, sizeof(at), "%sT00:30:00Z", day);
		db_bind_int(st, 1, c->company[i]);
		db_bind_text(st, 2, closed ? "03" : "01");
		db_bind_text(st, 3, closed ? "폐업자" : "계속사업자");
		db_bind_text(st, 4, "부가가치세 일반과세자");
		db_bind_text(st, 5, closed ? day : NULL);
		db_bind_text(st, 6, at);
		if ((r = demo_step(c, st, "demo status check")) != BZ_OK)
			return r;
	}
	return BZ_OK;
}

/* -------------------------------------------------------------- cases -- */

static const char *const answers[] = {
    "현장 확인 결과 관련 규정상 가능하며 신청 절차를 안내드렸습니다.",
    "검토 결과 다음 달 정비 계획에 반영하겠습니다.",
    "법령상 제한이 있어 대체 방안(지원 시책)을 안내드립니다.",
    "담당자가 기업을 방문하여 협의하였고 처리 예정입니다."};
static const char *const notes[] = {"대표와 통화함. 부서 회신을 기다리는 중이라고 안내함.",
                                    "기업에서 추가 자료(도면, 사업자등록증)를 보내오기로 함.",
                                    "부서 담당자와 통화: 이번 주 안에 회신 예정.",
                                    "현장 사진을 다시 받아 부서에 전달함."};

static bz_rc event(struct ctx *c, int64_t id, const char *at, int64_t actor, const char *kind,
                   const char *field, const char *old, const char *nw, const char *note)
{
	sqlite3_stmt *st = db_stmt(c->db, SQL_EVENT);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, at);
	db_bind_int(st, 3, actor);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, field);
	db_bind_text(st, 6, old);
	db_bind_text(st, 7, nw);
	db_bind_text(st, 8, note);
	return demo_step(c, st, "demo case event");
}

/* A referral of case id (received on day `received`) to a random department,
 * answered unless the case is still open and the dice say so; one in four
 * answers comes after its due day. closed: the case's closing day or 0. */
static bz_rc refer(struct ctx *c, int64_t id, int32_t received, int32_t closed, int32_t today)
{
	/* never 건축과 (depts[0]): the demo login "department" starts with an empty
	 * list, which the home page's browser test fills and counts */
	size_t k = c->ndept > 1 ? 1 + (size_t)(demo_rnd() % (c->ndept - 1)) : 0;
	int32_t sent = demo_workday(c, received, received + 2 > today ? today : received + 2);
	int32_t due;
	if (workday_add(&c->h, sent, 5, &due) != BZ_OK)
		return BZ_ERR_INVALID;
	bool late = demo_rnd() % 4 == 0;
	int32_t ans = late ? due + (int32_t)demo_rnd_range(2, 9)
	                   : demo_workday(c, sent + 1, due > sent + 1 ? due : sent + 1);
	bool answered = closed ? true : ans <= today && demo_rnd() % 2 != 0;
	if (closed && ans > closed)
		ans = closed;
	char sent_at[24], ans_at[24], due_s[DATE_TEXT_SIZE], d[DATE_TEXT_SIZE];
	demo_fmt(sent, d);
	snprintf(sent_at, sizeof(sent_at), "%sT02:10:00Z", d);
	demo_fmt(ans, d);
	snprintf(ans_at, sizeof(ans_at), "%sT06:40:00Z", d);
	demo_fmt(due, due_s);
	const char *answer = PICK(answers);
	sqlite3_stmt *st = db_stmt(c->db, SQL_REFER);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, c->dept[k]);
	if (c->dept_user[k] > 0)
		db_bind_int(st, 3, c->dept_user[k]);
	db_bind_text(st, 4, due_s);
	db_bind_text(st, 5, answered ? "answered" : "open");
	db_bind_text(st, 6, answered ? answer : NULL);
	db_bind_text(st, 7, answered ? ans_at : NULL);
	if (answered && c->dept_user[k] > 0)
		db_bind_int(st, 8, c->dept_user[k]);
	db_bind_text(st, 9, sent_at);
	db_bind_int(st, 10, c->leader);
	bz_rc r = demo_step(c, st, "demo referral");
	if (r == BZ_OK)
		r = event(c, id, sent_at, c->leader, "referral", "lead", NULL, depts[k].name,
		          due_s);
	if (r == BZ_OK && answered)
		r = event(c, id, ans_at, c->dept_user[k] > 0 ? c->dept_user[k] : c->leader,
		          "referral_answer", NULL, depts[k].name, answer, NULL);
	return r;
}

static bz_rc note(struct ctx *c, int64_t id, int32_t day, int64_t author)
{
	char d[DATE_TEXT_SIZE], at[24];
	demo_fmt(day, d);
	snprintf(at, sizeof(at), "%sT05:20:00Z", d);
	sqlite3_stmt *st = db_stmt(c->db, SQL_NOTE);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, at);
	db_bind_int(st, 3, author);
	db_bind_text(st, 4, PICK(notes));
	db_bind_int(st, 5, (int64_t)(demo_rnd() % 3 == 0));
	return demo_step(c, st, "demo note");
}

static bz_rc seq_load(struct ctx *c, int year, int *last)
{
	sqlite3_stmt *st = db_stmt(c->db, SQL_SEQ_LAST);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, year);
	int64_t v = 0;
	bz_rc r = id_of(c, st, &v);
	*last = (int)v;
	return r;
}

static bz_rc seq_save(struct ctx *c, int year, int last)
{
	if (year == 0)
		return BZ_OK;
	sqlite3_stmt *st = db_stmt(c->db, SQL_SEQ_SET);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_int(st, 1, year);
	db_bind_int(st, 2, last);
	return demo_step(c, st, "demo case seq");
}

/* One recent case received on day (from visit v when >= 0), its state by its
 * age at today: older cases mostly done, some overdue; recent ones open. */
static bz_rc recent_case(struct ctx *c, int32_t day, int32_t today, long v, int *seq_year,
                         int *seq_last)
{
	static const char *const open_status[] = {"received", "reviewing", "in_progress"};
	struct demo_case s;
	memset(&s, 0, sizeof(s));
	int64_t id = 0;
	s.id_out = &id;
	s.received = day;
	s.cat = (int)(demo_rnd() % c->ncat);
	if (v >= 0) {
		s.visit = c->visits[v].id;
		s.visit_idx = (int)v;
		s.company = c->visits[v].company;
	} else {
		s.company = c->company[demo_rnd() % c->ncompany];
		s.channel = demo_rnd() % 2 ? "phone" : "online";
	}
	int32_t due;
	if (workday_add(&c->h, day, c->cat[s.cat].days, &due) != BZ_OK)
		return BZ_ERR_INVALID;
	int dice = (int)(demo_rnd() % 100);
	bool old = due < today;
	if ((old && dice < 82) || (!old && dice < 25)) {
		int32_t took =
		    (int32_t)demo_rnd_range(2, c->cat[s.cat].days + (dice % 7 == 0 ? 8 : 1));
		int32_t cl;
		if (workday_add(&c->h, day, took, &cl) != BZ_OK)
			return BZ_ERR_INVALID;
		s.closed = cl > today ? today : cl;
		s.status = dice % 29 == 0 ? "withdrawn" : "done";
	} else
		s.status = open_status[dice % 3];
	int f = (int)(demo_rnd() % 20);
	s.flag = f == 0 ? "red" : f < 3 ? "yellow" : NULL;
	/* who: the demo staff, the extra staff, the leader; a few nobody yet */
	uint64_t w = demo_rnd() % (c->nmore_staff + 3);
	s.assignee = w == 0 ? c->leader : w <= c->nmore_staff ? c->more_staff[w - 1] : c->staff;
	if (!s.closed && day >= today - 3 && demo_rnd() % 3 == 0)
		s.assignee = -1;
	bz_rc r = demo_insert_case(c, &s, seq_year, seq_last);
	if (r != BZ_OK)
		return r;
	if (demo_rnd() % 100 < 55 && c->ndept > 0)
		r = refer(c, id, day, s.closed, today);
	if (r == BZ_OK && demo_rnd() % 100 < 40) {
		int32_t nd = day + (int32_t)demo_rnd_range(1, 10);
		r = note(c, id, nd > today ? today : nd, s.assignee > 0 ? s.assignee : c->staff);
	}
	return r;
}

/* The planned data leaves open cases at its end; three in four of those
 * received before the window were closed since. */
static bz_rc close_old(struct ctx *c, int32_t from, int32_t today)
{
	char f[DATE_TEXT_SIZE];
	demo_fmt(from, f);
	sqlite3_stmt *st = db_stmt(c->db, SQL_OLD_OPEN);
	if (st == NULL)
		return BZ_ERR_DB;
	db_bind_text(st, 1, f);
	size_t n = 0, cap = 0;
	int64_t *ids = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int64_t *ni = realloc(ids, nc * sizeof(*ni));
			if (ni == NULL) {
				sqlite3_reset(st);
				free(ids);
				return BZ_ERR_NOMEM;
			}
			ids = ni;
			cap = nc;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	bz_rc r = rc == SQLITE_DONE ? BZ_OK : db_rc(c->db, rc, "demo old open cases");
	for (size_t i = 0; i < n && r == BZ_OK; i++) {
		if (demo_rnd() % 4 == 0)
			continue;
		char d[DATE_TEXT_SIZE], at[24];
		demo_fmt(demo_workday(c, from, from + 40 < today ? from + 40 : today), d);
		snprintf(at, sizeof(at), "%sT08:00:00Z", d);
		if ((st = db_stmt(c->db, SQL_CLOSE)) == NULL) {
			r = BZ_ERR_DB;
			break;
		}
		db_bind_int(st, 1, ids[i]);
		db_bind_text(st, 2, d);
		db_bind_text(st, 3, at);
		if ((r = demo_step(c, st, "demo close old case")) == BZ_OK)
			r = event(c, ids[i], at, c->staff, "status", "status", "in_progress",
			          "done", NULL);
	}
	free(ids);
	return r;
}

/* ------------------------------------------------------------- recent -- */

bz_rc demo_recent(struct ctx *c, int scale)
{
	demo_seed(DEMO_SEED ^ UINT64_C(0x7EC3E17));
	bz_rc r = make_contacts(c);
	if (r != BZ_OK)
		return r;
	int32_t today = demo_day_of(c->today), from = demo_day_of("2026-07-01");
	if (today - 183 > from) /* half a year of recent work is enough to be lively */
		from = today - 183;
	if (from > today)
		return BZ_OK;
	if ((r = close_old(c, from, today)) != BZ_OK)
		return r;
	int seq_year = 0, seq_last = 0;
	for (int32_t d = from; d <= today && r == BZ_OK; d++) {
		if (!workday_is_working_day(&c->h, d))
			continue;
		int y = date_year(d);
		if (y != seq_year) {
			if ((r = seq_save(c, seq_year, seq_last)) != BZ_OK ||
			    (r = seq_load(c, y, &seq_last)) != BZ_OK)
				break;
			seq_year = y;
		}
		/* about one visit a working day (per scale), half of them raising a case */
		int nv = (int)demo_rnd_range(0, 2) * scale;
		for (int i = 0; i < nv && r == BZ_OK; i++) {
			size_t k = (size_t)(demo_rnd() % c->ncompany);
			r = demo_add_activity(c, T_COMM, d, c->company[k], "발로뛰는 기업소통 Day",
			                      "생산 현장을 둘러보고 대표와 애로사항을 청취함.",
			                      NULL);
			if (r == BZ_OK && demo_rnd() % 2 == 0)
				r = recent_case(c, d, today, (long)c->nvisits - 1, &seq_year,
				                &seq_last);
		}
		/* and calls and online requests */
		int nc = demo_rnd() % 3 == 0 ? scale : 0;
		for (int i = 0; i < nc && r == BZ_OK; i++)
			r = recent_case(c, d, today, -1, &seq_year, &seq_last);
		/* a one-stop meeting every other week */
		if (r == BZ_OK && d % 14 == 3)
			r = demo_add_activity(c, T_ONESTOP, d, 0, "기업원스톱처리 회의",
			                      "참석 기업의 애로사항을 듣고 관련 부서와 처리 방안을 "
			                      "논의함.",
			                      NULL);
	}
	if (r == BZ_OK)
		r = seq_save(c, seq_year, seq_last);
	return r;
}
