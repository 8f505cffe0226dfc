/* The aggregate pages are cached per data generation (src/domain/model_cache.c):
 * what a user notices is that they never show stale figures. A record written
 * by another process (here: another SQLite connection, as `bizsos import` or a
 * second daemon would) shows on the next request to the dashboard, the card
 * and the leader's home; reading twice without a write gives the same page;
 * a write through the daemon shows at once. */
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>

static json_t *get_json(struct client *c, const char *path)
{
	struct resp r;
	t_get(c, path, &r);
	CHECK_INT(r.status, 200);
	json_t *j = t_json(&r);
	t_resp_free(&r);
	return j;
}

/* The dashboard's overall executed won. */
static int64_t dash_executed(struct client *c)
{
	json_t *d = get_json(c, "/api/v1/dashboard");
	int64_t v = json_integer_value(
	    json_object_get(json_array_get(json_object_get(d, "exec_gauges"), 0), "executed"));
	json_decref(d);
	return v;
}

/* The card's 2024 Q3 budget total executed, in million won. */
static int64_t card_executed(struct client *c)
{
	json_t *card = get_json(c, "/api/v1/card?year=2024&quarter=3");
	int64_t v = json_integer_value(json_object_get(
	    json_object_get(json_object_get(json_object_get(card, "figures"), "budget_million_won"),
	                    "totals"),
	    "executed"));
	json_decref(card);
	return v;
}

int main(void)
{
	setenv("BIZSOS_TEST_FAST_HASH", "1", 1);
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"leader", NULL});
	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	struct client leader;
	t_client_init(&leader, &d);
	CHECK_INT(t_login(&leader, "leader", T_PASSWORD), 303);

	/* twice without a write: the same figures, the same page */
	int64_t exe = dash_executed(&leader);
	CHECK(exe > 0, "the demo has executions (%lld)", (long long)exe);
	CHECK_INT(dash_executed(&leader), exe);
	int64_t card = card_executed(&leader);
	CHECK_INT(card_executed(&leader), card);
	struct resp a, b;
	t_get(&leader, "/card?year=2024&quarter=3", &a);
	t_get(&leader, "/card?year=2024&quarter=3", &b);
	CHECK(a.body.s && b.body.s && strcmp(a.body.s, b.body.s) == 0,
	      "the card page is the same twice");
	t_resp_free(&a);
	t_resp_free(&b);

	/* another process writes 5,000,000 won of execution in 2024: the next
	 * requests show it (dashboard in won, the 2024 Q3 card in million won) */
	t_sql_exec(
	    db, "INSERT INTO budget_execution (budget_line_id, executed_on, amount, memo, "
	        "created_at) SELECT id, '2024-08-01', 5000000, 'other process', "
	        "'2024-08-01T00:00:00Z' FROM budget_line WHERE year = 2024 AND retired_at IS NULL "
	        "ORDER BY id LIMIT 1");
	CHECK_INT(dash_executed(&leader), exe + 5000000);
	CHECK_INT(card_executed(&leader), card + 5);

	/* a retired line's executions no longer count: the same, the other way */
	t_sql_exec(db, "UPDATE budget_execution SET retired_at = '2024-08-02T00:00:00Z' "
	               "WHERE memo = 'other process'");
	CHECK_INT(dash_executed(&leader), exe);
	CHECK_INT(card_executed(&leader), card);

	/* a write through the daemon shows at once (the program page's form) */
	struct resp r;
	json_t *lines = get_json(&leader, "/api/v1/program");
	int64_t line = 0;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(lines, "lines"), i, l)
	{
		if (json_integer_value(json_object_get(l, "year")) == 2024 && line == 0)
			line = json_integer_value(json_object_get(l, "id"));
	}
	json_decref(lines);
	CHECK(line > 0, "a 2024 budget line is listed");
	char form[256];
	snprintf(form, sizeof(form),
	         "line_id=%lld&executed_on=2024-09-02&amount=1%%2C000%%2C000&memo=daemon",
	         (long long)line);
	t_fetch_csrf(&leader, "/program");
	CHECK_INT(t_post_form(&leader, "/program/executions", form, &r), 303);
	t_resp_free(&r);
	CHECK_INT(dash_executed(&leader), exe + 1000000);
	CHECK_INT(card_executed(&leader), card + 1);

	t_client_free(&leader);
	t_daemon_stop(&d);
	return t_done();
}
