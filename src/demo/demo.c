/* The demo data generator. Every figure of the card is the count (or sum) of
 * the individual records written here and in demo_activity.c and
 * demo_cases.c, whose plans say how many records of each kind fall into each
 * period; demo_recent.c then adds the people and the recent months. See
 * include/bizsos/demo.h and demo_internal.h. */
#include "demo_internal.h"
#include "bizsos/brn.h"
#include "bizsos/company.h"
#include "bizsos/kst.h"

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

/* ---------------------------------------------------------------- PRNG -- */

static uint64_t rng_state;

void demo_seed(uint64_t seed)
{
	rng_state = seed;
}

uint64_t demo_rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

int64_t demo_rnd_range(int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(demo_rnd() % (uint64_t)(hi - lo + 1));
}

const char *demo_pick(const char *const *list, size_t n)
{
	return list[demo_rnd() % n];
}

/* ------------------------------------------------------------- helpers -- */

static const char *const type_codes[T_N] = {
    "operating_plan",    "mayor_site_visit",   "roundtable",       "chamber_breakfast",
    "new_year_greeting", "mayor_roundtable",   "one_stop_meeting", "mobile_squad",
    "comm_day",          "anniversary_letter", "education"};

bz_rc demo_step(struct ctx *c, sqlite3_stmt *st, const char *what)
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

int32_t demo_day_of(const char *ymd)
{
	int32_t d = 0;
	date_parse(ymd, &d, NULL);
	return d;
}

int32_t demo_workday(struct ctx *c, int32_t a, int32_t b)
{
	for (int i = 0; i < 64; i++) {
		int32_t d = (int32_t)demo_rnd_range(a, b);
		if (workday_is_working_day(&c->h, d))
			return d;
	}
	int32_t d = workday_next_on_or_after(&c->h, a);
	return d <= b ? d : b;
}

int32_t demo_workdays_before(struct ctx *c, int32_t d, int n)
{
	while (n > 0) {
		d--;
		if (workday_is_working_day(&c->h, d))
			n--;
	}
	return d;
}

void demo_fmt(int32_t d, char out[DATE_TEXT_SIZE])
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

bz_rc demo_companies(struct ctx *c, size_t n)
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
		snprintf(nine, sizeof(nine), "%03d%02d%04d", (int)demo_rnd_range(101, 899),
		         (i % 3) ? 81 : (int)demo_rnd_range(1, 79), (int)(i % 10000));
		snprintf(brn, sizeof(brn), "%s%d", nine, brn_check_digit(nine));
		snprintf(rep, sizeof(rep), "%s%s", PICK(surnames), PICK(given));
		snprintf(addr, sizeof(addr), "%s %d", PICK(streets), (int)demo_rnd_range(1, 320));
		int32_t f = date_from_ymd((int)demo_rnd_range(1978, 2021),
		                          (int)demo_rnd_range(1, 12), (int)demo_rnd_range(1, 28));
		demo_fmt(f, founded);
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, key);
		db_bind_text(st, 3, brn);
		db_bind_text(st, 4, rep);
		db_bind_text(st, 5, c->nksic ? c->ksic[demo_rnd() % c->nksic] : NULL);
		db_bind_text(st, 6, addr);
		const char *z = PICK(zones);
		db_bind_text(st, 7, *z ? z : NULL);
		db_bind_int(st, 8, demo_rnd_range(5, 240));
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
		if ((r = demo_step(c, ev, "demo company event")) != BZ_OK)
			return r;
	}
	c->ncompany = n;
	c->stats->companies = (int64_t)n;
	return BZ_OK;
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

/* The published cards' layout where it differs from the default (sql/081):
 * 2022 lists the mayor's site visits before the round tables; 2024 calls the
 * grants "기업환경 개선사업". Labels only; no PRNG, so it may run anywhere. */
static bz_rc demo_card_layout(struct ctx *c)
{
	static const char sql[] =
	    "INSERT INTO card_row_year (program_id, year, card_row, sort, label, created_at)"
	    " VALUES (1, ?, ?, ?, ?, ?)";
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
		sqlite3_stmt *st = db_stmt(c->db, sql);
		if (st == NULL)
			return BZ_ERR_DB;
		db_bind_int(st, 1, rows[i].year);
		db_bind_text(st, 2, rows[i].row);
		if (rows[i].sort >= 0)
			db_bind_int(st, 3, rows[i].sort);
		db_bind_text(st, 4, rows[i].label);
		db_bind_text(st, 5, c->now);
		bz_rc r = demo_step(c, st, "card layout");
		if (r != BZ_OK)
			return r;
	}
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
	kst_today(c.today);
	bz_rc r = load_context(&c);
	if (r == BZ_OK)
		r = db_begin(db);
	if (r == BZ_OK) {
		if ((r = demo_companies(&c, (size_t)220 * (size_t)scale)) == BZ_OK &&
		    (r = demo_activities(&c, scale)) == BZ_OK &&
		    (r = demo_grants(&c, scale)) == BZ_OK && (r = demo_comm(&c, scale)) == BZ_OK &&
		    (r = demo_budget(&c, scale)) == BZ_OK && (r = demo_cases(&c, scale)) == BZ_OK &&
		    (r = demo_people(&c)) == BZ_OK && (r = demo_recent(&c, scale)) == BZ_OK &&
		    (r = demo_card_layout(&c)) == BZ_OK)
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
