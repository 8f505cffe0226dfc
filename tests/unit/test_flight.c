/* Single-flight builds (src/util/flight.c) and the model cache that uses them
 * (src/domain/model_cache.c): many threads missing the same key at once cost
 * one build; a failed build wakes its waiters, who build on their own; a
 * waiter waits for a build of its own generation or newer, never an older one,
 * and never longer than it asked; different keys build in parallel; closing
 * the table wakes everyone; nothing is left behind. */
#include "bizsos/flight.h"
#include "bizsos/model_cache.h"
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define THREADS 32

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* ---- the flight table, with a one-value cache of its own ------------------ */

struct herd {
	struct flight *f;
	pthread_barrier_t start;
	pthread_mutex_t mu;
	bool cached; /* the "cache": the value is there */
	bool fail;   /* builds fail */
	int build_ms;
	_Atomic int builds, leads, landed, failed, alone, served;
	_Atomic long long slowest_wait; /* ms a non-leader spent in flight_join */
};

static bool herd_lookup(struct herd *h)
{
	pthread_mutex_lock(&h->mu);
	bool hit = h->cached;
	pthread_mutex_unlock(&h->mu);
	return hit;
}

static bool herd_build(struct herd *h)
{
	h->builds++;
	sleep_ms(h->build_ms);
	if (h->fail)
		return false;
	pthread_mutex_lock(&h->mu);
	h->cached = true;
	pthread_mutex_unlock(&h->mu);
	return true;
}

/* What a cache does on a request: look, join, build or look again. */
static void *herd_request(void *arg)
{
	struct herd *h = arg;
	pthread_barrier_wait(&h->start);
	if (herd_lookup(h)) {
		h->served++;
		return NULL;
	}
	uint64_t ticket = 0;
	long long t0 = now_ms();
	enum flight_role role = flight_join(h->f, "card/1/2026/2", 7, 5000, &ticket);
	long long waited = now_ms() - t0;
	switch (role) {
	case FLIGHT_LEAD: {
		h->leads++;
		if (herd_lookup(h)) { /* landed between the miss and the join */
			flight_land(h->f, ticket, true);
			h->served++;
			return NULL;
		}
		bool ok = herd_build(h);
		flight_land(h->f, ticket, ok);
		if (ok)
			h->served++;
		return NULL;
	}
	case FLIGHT_LANDED:
		h->landed++;
		if (herd_lookup(h))
			h->served++;
		break;
	case FLIGHT_FAILED:
		h->failed++;
		if (herd_build(h))
			h->served++;
		break;
	case FLIGHT_ALONE:
		h->alone++;
		if (herd_build(h))
			h->served++;
		break;
	}
	long long s = h->slowest_wait;
	while (waited > s && !atomic_compare_exchange_weak(&h->slowest_wait, &s, waited))
		;
	return NULL;
}

static void run_herd(struct herd *h)
{
	pthread_t t[THREADS];
	pthread_barrier_init(&h->start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, herd_request, h);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&h->start);
}

static void test_one_build(void)
{
	struct herd h = {.f = flight_new(8), .build_ms = 200};
	pthread_mutex_init(&h.mu, NULL);
	CHECK(h.f != NULL, "flight_new");
	run_herd(&h);
	CHECK_INT(h.builds, 1);
	CHECK_INT(h.alone, 0);
	CHECK_INT(h.failed, 0);
	CHECK_INT(h.served, THREADS);
	CHECK(h.landed > THREADS / 2, "most threads waited for the build (%d)", (int)h.landed);
	size_t flying, waiting;
	flight_counts(h.f, &flying, &waiting);
	CHECK_INT(flying, 0);
	CHECK_INT(waiting, 0);
	flight_free(h.f);
	pthread_mutex_destroy(&h.mu);
}

static void test_failure_wakes_waiters(void)
{
	struct herd h = {.f = flight_new(8), .build_ms = 200, .fail = true};
	pthread_mutex_init(&h.mu, NULL);
	long long t0 = now_ms();
	run_herd(&h);
	long long took = now_ms() - t0;
	CHECK(h.leads >= 1, "someone led");
	CHECK_INT(h.landed, 0);
	CHECK(h.failed > THREADS / 2, "the waiters learn that the build failed (%d)",
	      (int)h.failed);
	CHECK_INT(h.failed + h.alone + h.leads, THREADS);
	CHECK_INT(h.builds, THREADS); /* each then tried on its own */
	CHECK(h.slowest_wait < 2000, "no waiter waited for its time-out (%lld ms)", h.slowest_wait);
	CHECK(took < 4000, "the herd ended in %lld ms", took);
	size_t flying, waiting;
	flight_counts(h.f, &flying, &waiting);
	CHECK_INT(flying + waiting, 0);
	flight_free(h.f);
	pthread_mutex_destroy(&h.mu);
}

/* A waiter on a build that does not land in time gives up after its wait. */
struct waiter {
	struct flight *f;
	const char *key;
	uint64_t gen;
	int wait_ms;
	enum flight_role role;
	long long took;
};

static void *waiter_run(void *arg)
{
	struct waiter *w = arg;
	uint64_t ticket = 0;
	long long t0 = now_ms();
	w->role = flight_join(w->f, w->key, w->gen, w->wait_ms, &ticket);
	w->took = now_ms() - t0;
	flight_land(w->f, ticket, true); /* if it led (it should not have) */
	return NULL;
}

static void test_generations_and_timeouts(void)
{
	struct flight *f = flight_new(4);
	uint64_t lead = 0, t2 = 0;
	CHECK_INT(flight_join(f, "k", 5, 1000, &lead), FLIGHT_LEAD);
	CHECK(lead != 0, "a ticket");
	/* a newer generation must not wait for a build that may miss its commit */
	CHECK_INT(flight_join(f, "k", 6, 1000, &t2), FLIGHT_LEAD);
	CHECK(t2 != 0 && t2 != lead, "a second ticket");
	flight_land(f, t2, true);
	/* an older generation waits; here longer than it may: alone after 150 ms */
	struct waiter w = {f, "k", 4, 150, FLIGHT_LEAD, 0};
	pthread_t t;
	pthread_create(&t, NULL, waiter_run, &w);
	pthread_join(t, NULL);
	CHECK_INT(w.role, FLIGHT_ALONE);
	CHECK(w.took >= 140 && w.took < 2000, "waited about 150 ms (%lld)", w.took);
	/* no wait at all when asked for none */
	uint64_t t3 = 1;
	CHECK_INT(flight_join(f, "k", 5, 0, &t3), FLIGHT_ALONE);
	CHECK_INT(t3, 0);
	/* landing twice, or a ticket never given, changes nothing */
	flight_land(f, lead, true);
	flight_land(f, lead, true);
	flight_land(f, 12345, false);
	flight_land(f, 0, false);
	size_t flying, waiting;
	flight_counts(f, &flying, &waiting);
	CHECK_INT(flying, 0);
	CHECK_INT(waiting, 0);
	/* a full table: the build goes ahead, alone */
	uint64_t a, b, c, d, e;
	CHECK_INT(flight_join(f, "a", 1, 100, &a), FLIGHT_LEAD);
	CHECK_INT(flight_join(f, "b", 1, 100, &b), FLIGHT_LEAD);
	CHECK_INT(flight_join(f, "c", 1, 100, &c), FLIGHT_LEAD);
	CHECK_INT(flight_join(f, "d", 1, 100, &d), FLIGHT_LEAD);
	CHECK_INT(flight_join(f, "e", 1, 100, &e), FLIGHT_ALONE);
	CHECK_INT(e, 0);
	flight_land(f, a, true);
	flight_land(f, b, true);
	flight_land(f, c, true);
	flight_land(f, d, true);
	flight_free(f);
	/* no table (out of memory at start): everyone builds alone */
	CHECK_INT(flight_join(NULL, "k", 1, 100, &a), FLIGHT_ALONE);
	flight_land(NULL, 1, true);
}

static void test_close_wakes_waiters(void)
{
	struct flight *f = flight_new(4);
	uint64_t lead = 0;
	CHECK_INT(flight_join(f, "k", 1, 1000, &lead), FLIGHT_LEAD);
	struct waiter w[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct waiter){f, "k", 1, 30000, FLIGHT_LEAD, 0};
		pthread_create(&t[i], NULL, waiter_run, &w[i]);
	}
	for (int i = 0; i < 100; i++) { /* until all four wait */
		size_t flying, waiting;
		flight_counts(f, &flying, &waiting);
		if (waiting == 4)
			break;
		sleep_ms(10);
	}
	long long t0 = now_ms();
	flight_close(f);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(now_ms() - t0 < 2000, "closing woke the waiters at once");
	for (int i = 0; i < 4; i++)
		CHECK_INT(w[i].role, FLIGHT_ALONE);
	uint64_t x = 0;
	CHECK_INT(flight_join(f, "other", 1, 1000, &x), FLIGHT_ALONE);
	flight_land(f, lead, true); /* the build under way still lands */
	size_t flying, waiting;
	flight_counts(f, &flying, &waiting);
	CHECK_INT(flying + waiting, 0);
	flight_free(f);
}

/* ---- the model cache ------------------------------------------------------- */

static char db_path[512];

struct model_run {
	pthread_barrier_t *start;
	const char *key;
	bz_rc rc;
	json_t *out;
};

static _Atomic int model_builds, in_build, most_in_build;
static _Atomic bool model_fail;
static _Atomic int rendezvous; /* > 0: a build waits until that many are building */

static bz_rc counting_build(struct db *db, const void *arg, json_t **out)
{
	(void)db;
	(void)arg;
	int n = ++model_builds;
	int now = ++in_build;
	int m = most_in_build;
	while (now > m && !atomic_compare_exchange_weak(&most_in_build, &m, now))
		;
	if (rendezvous > 0) {
		for (int i = 0; i < 300 && in_build < rendezvous; i++)
			sleep_ms(10);
	} else {
		sleep_ms(150);
	}
	in_build--;
	if (model_fail)
		return BZ_ERR_DB;
	*out = json_pack("{s:i}", "build", n);
	return *out ? BZ_OK : BZ_ERR_NOMEM;
}

static void *model_request(void *arg)
{
	struct model_run *r = arg;
	struct db *db = NULL;
	char err[256];
	if (db_open(db_path, false, &db, err, sizeof(err)) != BZ_OK) {
		r->rc = BZ_ERR_IO;
		pthread_barrier_wait(r->start);
		return NULL;
	}
	pthread_barrier_wait(r->start);
	r->rc = model_cache_get(db, r->key, counting_build, NULL, &r->out);
	db_close(db);
	return NULL;
}

static void model_herd(struct model_run *r, int n, const char *const *keys, int nkeys)
{
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	pthread_t t[THREADS];
	for (int i = 0; i < n; i++) {
		r[i] = (struct model_run){&start, keys[i % nkeys], BZ_OK, NULL};
		pthread_create(&t[i], NULL, model_request, &r[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
}

static void test_model_cache(void)
{
	t_path(db_path, sizeof(db_path), "flight.db");
	struct db *db = NULL;
	char err[256];
	CHECK_INT(db_open(db_path, true, &db, err, sizeof(err)), BZ_OK);
	if (db == NULL)
		return;
	struct model_run r[THREADS];
	const char *one[] = {"test/one"};

	/* thirty-two at once: one build, every copy its own and the same */
	model_herd(r, THREADS, one, 1);
	CHECK_INT(model_builds, 1);
	int ok = 0;
	for (int i = 0; i < THREADS; i++) {
		ok +=
		    r[i].rc == BZ_OK && json_integer_value(json_object_get(r[i].out, "build")) == 1;
		if (i > 0)
			CHECK(r[i].out != r[0].out, "each caller has its own copy");
	}
	CHECK_INT(ok, THREADS);
	for (int i = 0; i < THREADS; i++)
		json_decref(r[i].out);

	/* a commit makes it stale: the next herd builds it once again */
	CHECK_INT(db_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)"), BZ_OK);
	model_herd(r, THREADS, one, 1);
	CHECK_INT(model_builds, 2);
	for (int i = 0; i < THREADS; i++) {
		CHECK(r[i].rc == BZ_OK &&
		          json_integer_value(json_object_get(r[i].out, "build")) == 2,
		      "the rebuilt model");
		json_decref(r[i].out);
	}

	/* a build that fails: every waiter wakes and tries on its own, soon; each
	 * gets the error; nothing is cached */
	const char *bad[] = {"test/bad"};
	model_fail = true;
	model_builds = 0;
	long long t0 = now_ms();
	model_herd(r, THREADS, bad, 1);
	long long took = now_ms() - t0;
	model_fail = false;
	CHECK(took < 5000, "a failed build does not hold its waiters (%lld ms)", took);
	CHECK(model_builds >= 2 && model_builds <= THREADS, "the waiters tried (%d)",
	      (int)model_builds);
	for (int i = 0; i < THREADS; i++) {
		CHECK_INT(r[i].rc, BZ_ERR_DB);
		CHECK(r[i].out == NULL, "no model on an error");
	}
	model_builds = 0;
	model_herd(r, 4, bad, 1); /* and the next request builds it */
	CHECK_INT(model_builds, 1);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(r[i].rc, BZ_OK);
		json_decref(r[i].out);
	}

	/* different keys build side by side: each build waits for the other */
	const char *two[] = {"test/a", "test/b"};
	model_builds = 0;
	most_in_build = 0;
	rendezvous = 2;
	model_herd(r, 8, two, 2);
	rendezvous = 0;
	CHECK_INT(model_builds, 2);
	CHECK_INT(most_in_build, 2);
	for (int i = 0; i < 8; i++) {
		CHECK_INT(r[i].rc, BZ_OK);
		json_decref(r[i].out);
	}
	model_cache_clear();
	db_close(db);
}

int main(void)
{
	test_one_build();
	test_failure_wakes_waiters();
	test_generations_and_timeouts();
	test_close_wakes_waiters();
	test_model_cache();
	return t_done();
}
