/* Card arithmetic in integers: 85.2% rounding, a zero denominator as "–",
 * the median of working days, quarter and target-period parsing, and the
 * budget rules of the program module on a fresh database (over-execution
 * refused without the leader's confirmed reason; nothing written then). */
#include "harness.h"

#include "bizsos/card.h"
#include "bizsos/money.h"
#include "bizsos/program.h"
#include "bizsos/store.h"

static void rates(void)
{
	char t[RATE_TEXT_SIZE];
	struct rate r = rate_tenths(753, 884);
	CHECK(r.ok && r.tenths == 852, "753/884 = 852 tenths");
	rate_format(r, t, sizeof(t));
	CHECK_STR(t, "85.2");
	/* in won, as the card stores it */
	r = rate_tenths(INT64_C(753000000), INT64_C(884000000));
	CHECK_INT(r.tenths, 852);
	/* half up: 0.85205 -> 85.2, 0.8525 -> 85.3 */
	CHECK_INT(rate_tenths(8525, 10000).tenths, 853);
	CHECK_INT(rate_tenths(8524, 10000).tenths, 852);
	r = rate_tenths(5, 0);
	CHECK(!r.ok, "nothing secured: not available");
	rate_format(r, t, sizeof(t));
	CHECK_STR(t, "–");
	CHECK(!rate_tenths(0, 0).ok, "0/0 is not available either");
	CHECK_INT(rate_tenths(0, 884).tenths, 0);
	char m[MONEY_TEXT_SIZE];
	money_format_million(INT64_C(898000000), m, sizeof(m));
	CHECK_STR(m, "898");
	money_format_million(INT64_C(134499999), m, sizeof(m));
	CHECK_STR(m, "134");
}

static void helpers(void)
{
	int32_t v[] = {10, 2, 3, 1};
	CHECK_INT(card_median_tenths(v, 4), 25);
	int32_t w[] = {7, 3, 5};
	CHECK_INT(card_median_tenths(w, 3), 50);
	CHECK_INT(card_median_tenths(NULL, 0), 0);
	int y, q;
	CHECK(quarter_parse("2024-Q3", &y, &q) && y == 2024 && q == 3, "2024-Q3");
	CHECK(quarter_parse("2024-3", &y, &q) && q == 3, "2024-3");
	CHECK(!quarter_parse("2024-Q5", &y, &q), "Q5 refused");
	CHECK(!quarter_parse("24-Q1", &y, &q), "short year refused");
	CHECK(!quarter_parse("2024-Q1x", &y, &q), "trailing junk refused");
	char a[11], b[11], l[32];
	CHECK(target_period_bounds("2026-06", a, b), "2026-06");
	CHECK_STR(a, "2026-01-01");
	CHECK_STR(b, "2026-06-30");
	target_period_label("2026-06", l, sizeof(l));
	CHECK_STR(l, "2026년 6월");
	CHECK(target_period_bounds("2024", a, b) && strcmp(b, "2024-12-31") == 0, "2024");
	CHECK(!target_period_bounds("2024-13", a, b), "month 13 refused");
	quarter_bounds(2024, 1, a, b);
	CHECK_STR(b, "2024-03-31");
}

static void budget(void)
{
	struct db *db = t_fresh_db("unit.db");
	if (db == NULL)
		return;
	struct user leader = {.id = 0, .role = ROLE_LEADER};
	struct user staff = {.id = 0, .role = ROLE_STAFF};
	json_t *f = json_object();
	CHECK_INT(budget_line_save(db, &leader, PROGRAM_SOS_ID, "2025", "city", "10,000,000",
	                           "8,000,000", f),
	          BZ_OK);
	CHECK_INT(
	    budget_line_save(db, &leader, PROGRAM_SOS_ID, "2026", "province", "5,000,000", "0", f),
	    BZ_OK);
	CHECK_INT(budget_line_save(db, &leader, PROGRAM_SOS_ID, "2025", "moon", "12.5", "abc", f),
	          BZ_ERR_INVALID);
	CHECK(json_object_get(f, "source") && json_object_get(f, "planned") &&
	          json_object_get(f, "secured"),
	      "each bad field named");
	json_object_clear(f);
	json_t *lines = NULL;
	budget_lines(db, PROGRAM_SOS_ID, &lines);
	int64_t city = json_integer_value(json_object_get(json_array_get(lines, 0), "id"));
	int64_t prov = json_integer_value(json_object_get(json_array_get(lines, 1), "id"));
	CHECK_STR(json_string_value(json_object_get(
	              json_object_get(json_array_get(lines, 1), "exec_rate"), "text")),
	          "–");
	json_decref(lines);
	struct execution_input in = {city, "2025-03-04", "6,000,000", "지급", NULL, NULL, false};
	CHECK_INT(budget_execute(db, &staff, PROGRAM_SOS_ID, &in, f, NULL), BZ_OK);
	/* 6 + 3 > 8 secured: refused for staff, and for the leader without a reason */
	in.amount = "3,000,000";
	CHECK_INT(budget_execute(db, &staff, PROGRAM_SOS_ID, &in, f, NULL), BZ_ERR_CONFLICT);
	CHECK(json_object_get(f, "amount") != NULL, "amount explained");
	json_object_clear(f);
	in.confirm_over = true;
	CHECK_INT(budget_execute(db, &staff, PROGRAM_SOS_ID, &in, f, NULL), BZ_ERR_CONFLICT);
	json_object_clear(f);
	in.over_reason = "  ";
	CHECK_INT(budget_execute(db, &leader, PROGRAM_SOS_ID, &in, f, NULL), BZ_ERR_CONFLICT);
	json_object_clear(f);
	lines = NULL;
	budget_lines(db, PROGRAM_SOS_ID, &lines);
	CHECK_INT(json_integer_value(json_object_get(json_array_get(lines, 0), "executed")),
	          6000000); /* nothing written by the refusals */
	json_decref(lines);
	in.over_reason = "추경 확보 예정";
	CHECK_INT(budget_execute(db, &leader, PROGRAM_SOS_ID, &in, f, NULL), BZ_OK);
	/* a correction below zero is refused; zero and bad dates too */
	struct execution_input neg = {prov, "2026-01-05", "-1", "", NULL, NULL, false};
	CHECK_INT(budget_execute(db, &leader, PROGRAM_SOS_ID, &neg, f, NULL), BZ_ERR_INVALID);
	json_object_clear(f);
	struct execution_input bad = {prov, "2026-02-30", "0", "", "x", NULL, false};
	CHECK_INT(budget_execute(db, &leader, PROGRAM_SOS_ID, &bad, f, NULL), BZ_ERR_INVALID);
	CHECK(json_object_get(f, "executed_on") && json_object_get(f, "amount") &&
	          json_object_get(f, "grant_id"),
	      "date, amount and grant named");
	json_object_clear(f);
	/* the card as of 2025 Q4: 2025 secured 8, executed 9; 2026 is after the as-of year */
	json_t *card = NULL;
	CHECK_INT(card_model(db, PROGRAM_SOS_ID, 2025, 4, &card), BZ_OK);
	json_t *tot = json_object_get(json_object_get(card, "budget"), "totals");
	CHECK_STR(json_string_value(json_object_get(json_object_get(tot, "exec_rate"), "text")),
	          "112.5");
	json_decref(card);
	/* as of 2026 Q2 the 국비-free province line with nothing secured adds 0 */
	CHECK_INT(card_model(db, PROGRAM_SOS_ID, 2026, 2, &card), BZ_OK);
	json_t *rows = json_object_get(json_object_get(card, "budget"), "exec_rows");
	size_t i;
	json_t *r;
	bool seen = false;
	json_array_foreach(rows, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "source")), "province") == 0) {
			CHECK_STR(json_string_value(
			              json_object_get(json_object_get(r, "exec_rate"), "text")),
			          "–");
			seen = true;
		}
	}
	CHECK(seen, "the province row is on the card");
	json_decref(card);
	/* every change is in the history */
	json_t *ev = NULL;
	program_events(db, PROGRAM_SOS_ID, "budget_execution", 0, 10, &ev);
	CHECK_INT(json_array_size(ev), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(ev, 0), "note")),
	          "추경 확보 예정");
	json_decref(ev);
	json_decref(f);
	db_close(db);
}

int main(void)
{
	rates();
	helpers();
	budget();
	return t_done();
}
