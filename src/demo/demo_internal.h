/* What the demo generator's files share: the generation context, the PRNG
 * (one deterministic stream, DEMO_SEED), date helpers and the steps each file
 * defines. Private to src/demo. */
#ifndef BIZSOS_DEMO_INTERNAL_H
#define BIZSOS_DEMO_INTERNAL_H

#include "bizsos/demo.h"
#include "bizsos/workday.h"

#include <sqlite3.h>

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
	char today[DATE_TEXT_SIZE]; /* KST: the recent records run up to this day */
	/* the departments and staff demo_people adds (ids) */
	int64_t dept[16], dept_user[16], more_staff[4];
	size_t ndept, nmore_staff;
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

/* The PRNG: one stream for the whole run, so the data set is the same every
 * time. Uniform in [lo, hi]; a random element of list. */
void demo_seed(uint64_t seed);
uint64_t demo_rnd(void);
int64_t demo_rnd_range(int64_t lo, int64_t hi);
const char *demo_pick(const char *const *list, size_t n);
#define PICK(a) demo_pick((a), BZ_ARRAY_LEN(a))

/* Steps st, resets it, and says which row broke what on a constraint. */
bz_rc demo_step(struct ctx *c, sqlite3_stmt *st, const char *what);
int32_t demo_day_of(const char *ymd);
/* A working day in [a, b] (b if none is found quickly). */
int32_t demo_workday(struct ctx *c, int32_t a, int32_t b);
/* n working days before d. */
int32_t demo_workdays_before(struct ctx *c, int32_t d, int n);
void demo_fmt(int32_t d, char out[DATE_TEXT_SIZE]);

/* The record kinds, in the order demo_generate runs them (the order fixes
 * the PRNG stream, and so the seed card's figures). */
bz_rc demo_companies(struct ctx *c, size_t n);   /* demo.c */
bz_rc demo_activities(struct ctx *c, int scale); /* demo_activity.c */
bz_rc demo_grants(struct ctx *c, int scale);     /* demo_activity.c */
bz_rc demo_comm(struct ctx *c, int scale);       /* demo_activity.c */
bz_rc demo_budget(struct ctx *c, int scale);     /* demo_cases.c */
bz_rc demo_cases(struct ctx *c, int scale);      /* demo_cases.c */
/* One activity of type on day (with a company when > 0), its event, staff
 * and, for a communication-day visit, its place in c->visits. */
bz_rc demo_add_activity(struct ctx *c, int type, int32_t day, int64_t company, const char *title,
                        const char *summary, int64_t *id_out);
/* One case as the generator specifies it, numbered from seq_year and seq_last. */
struct demo_case {
	int32_t received, closed; /* closed 0: still open */
	int64_t company, visit;   /* visit: the communication-day activity it came from */
	int visit_idx;
	int cat;
	const char *status, *channel, *flag;
	int64_t assignee; /* 0: the generator's choice; < 0: nobody */
	int64_t *id_out;  /* the new case's id, when wanted */
};
bz_rc demo_insert_case(struct ctx *c, struct demo_case *s, int *seq_year, int *seq_last);
/* demo_recent.c: departments and their users, more staff, company contacts
 * with consent, referrals with answers (some late), notes, and the work of
 * the months from the end of the planned data up to c->today. Runs last, on
 * its own PRNG stream, so the planned records above do not change. */
bz_rc demo_people(struct ctx *c);
bz_rc demo_recent(struct ctx *c, int scale);

#endif
