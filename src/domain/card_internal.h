/* Private to the card*.c files of src/domain: the card rows, the budget grid
 * and the counting helpers the card, the dashboard and the progress page share. */
#ifndef BIZSOS_CARD_INTERNAL_H
#define BIZSOS_CARD_INTERNAL_H

#include "bizsos/buf.h"
#include "bizsos/card.h"
#include "bizsos/money.h"
#include "bizsos/program.h"
#include "bizsos/sos_case.h"
#include "bizsos/workday.h"

/* The rows of 추진실적 in the order the card lists them. */
enum { R_PLAN, R_MAYOR, R_ROUND, R_SQUAD, R_ONESTOP, R_COMM, R_LETTER, R_GRANT, R_EDU, R_N };
struct card_row_def {
	const char *key; /* card_row code, or the figure key */
	const char *label;
	const char *unit;
};
extern const struct card_row_def card_row_defs[R_N];

#define YEARS_MAX 16

struct counts {
	int first_year;
	int nyears;
	int64_t v[YEARS_MAX][R_N];
	/* The one kind a year's roundtables all were, when they were all of one
	 * sub-kind (the card then names it: "시장 주관 기업애로 간담회"); "" else. */
	char round_kind[YEARS_MAX][96];
};

/* How the card lists a year's 추진실적 items: each row's position (lower
 * first) and, where the published card named the row differently that year,
 * its label ("" for the row's own). Rows and years without a card_row_year
 * record keep the default layout (card_row_default_sort). */
#define CARD_LABEL_SIZE 128
struct card_layout {
	int sort[YEARS_MAX][R_N];
	char label[YEARS_MAX][R_N][CARD_LABEL_SIZE];
};
/* Fills l for the years first_year .. first_year + nyears - 1 of a program. */
bz_rc card_layout_load(struct db *db, int64_t program_id, int first_year, int nyears,
                       struct card_layout *l);

/* Budget sources in the card's column order. */
#define NSRC 4
extern const char *const card_sources[NSRC];

struct budget {
	int first_year, nyears;            /* term years */
	int64_t plan[NSRC][YEARS_MAX + 1]; /* last slot: 임기후 */
	int64_t sec[NSRC][YEARS_MAX + 1];
	int64_t exe[NSRC][YEARS_MAX + 1];
	bool has[NSRC];
	bool year_has[YEARS_MAX + 1];
};

/* ------------------------------------------------------------ helpers -- */
json_t *card_rate_json(struct rate r);
void card_money_set(json_t *o, const char *key, int64_t won);
/* Counts activity rows per year between first and last (dates), and grant
 * sites of the years, as of last. */
bz_rc card_count_rows(struct db *db, int first_year, int nyears, const char *first,
                      const char *last, struct counts *c);
/* The roadmap grid between the program's quarters, then 임기후. */
json_t *card_roadmap_grid(json_t *tasks, const char *pfirst, const char *plast, int cur_y,
                          int cur_q);
int card_src_index(const char *s);
bz_rc card_budget_load(struct db *db, int64_t program_id, int first_year, int nyears, int upto_year,
                       const char *upto_day, struct budget *b);
/* The card's budget tables (card_budget.c) through the last quarter of the
 * term; *figures gets their figures. */
json_t *card_budget_tables(const struct budget *b, int last_quarter_of_term, json_t **figures);
/* Sums over sources (s = -1) or years (y = -1) or both, with overflow checks. */
int64_t card_bsum(const int64_t (*m)[YEARS_MAX + 1], int s, int y, bool *overflow);
void card_tenths_text(int64_t t, char *out, size_t outlen);

#endif
