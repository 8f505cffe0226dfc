/* The model cache (include/bizsos/model_cache.h): a few slots, each a key, the
 * data generation its model was built at, and the model. A hit hands out a deep
 * copy (the cached object is never changed after it is stored, so copies may
 * be taken by several threads at once); a miss builds outside the lock, so a
 * slow build never blocks hits on other keys. The generation is read before
 * building: a commit during the build makes the stored model stale at once.
 *
 * Builds are single-flight (flight.h): a thread that misses on a key another
 * thread is already building (for the same or a newer generation) waits for
 * that build, at most MODEL_WAIT_MS, instead of running the same queries again
 * — thirty requests arriving together for a cold card cost one build, not
 * thirty at once. A waiter whose build failed, or who waited in vain, builds
 * on its own. */
#include "bizsos/model_cache.h"
#include "bizsos/card.h"
#include "bizsos/company.h"
#include "bizsos/flight.h"
#include "bizsos/kst.h"
#include "bizsos/program.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS         32 /* programs × quarters a team looks at, × days: plenty */
#define MODEL_WAIT_MS 10000

struct slot {
	char key[MODEL_CACHE_KEY_MAX];
	uint64_t gen;
	uint64_t used; /* tick of the last hit: the least recently used slot goes first */
	json_t *model;
};

static struct slot slots[SLOTS];
static uint64_t tick;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct flight *flights; /* NULL (out of memory at start): every miss builds */
static pthread_once_t flights_once = PTHREAD_ONCE_INIT;

static void flights_init(void)
{
	flights = flight_new(SLOTS);
}

/* The slot holding key, or NULL. Under lock. */
static struct slot *find(const char *key)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].model && strcmp(slots[i].key, key) == 0)
			return &slots[i];
	return NULL;
}

/* Where a new model for key goes: its old slot, a free one, or the least recently used. */
static struct slot *victim(const char *key)
{
	struct slot *s = find(key);
	if (s)
		return s;
	s = &slots[0];
	for (size_t i = 0; i < SLOTS; i++) {
		if (slots[i].model == NULL)
			return &slots[i];
		if (slots[i].used < s->used)
			s = &slots[i];
	}
	return s;
}

/* A reference to the model cached for key at gen or newer, or NULL. */
static json_t *lookup(const char *key, uint64_t gen)
{
	json_t *hit = NULL;
	pthread_mutex_lock(&lock);
	struct slot *s = find(key);
	if (s && s->gen >= gen) {
		hit = json_incref(s->model);
		s->used = ++tick;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

bz_rc model_cache_get(struct db *db, const char *key, model_build_fn build, const void *arg,
                      json_t **out)
{
	*out = NULL;
	if (strlen(key) >= MODEL_CACHE_KEY_MAX)
		return build(db, arg, out); /* not cacheable; never happens with our keys */
	uint64_t gen = db_generation(db);
	if (gen == 0)
		return BZ_ERR_DB; /* cannot tell whether a cached model is current */
	pthread_once(&flights_once, flights_init);
	uint64_t ticket = 0;
	json_t *hit = lookup(key, gen);
	if (hit == NULL) {
		/* another thread may be building it: wait for that build, then look again */
		enum flight_role role = flight_join(flights, key, gen, MODEL_WAIT_MS, &ticket);
		/* looked again also when leading: a build may have landed since the miss */
		if (role == FLIGHT_LANDED || role == FLIGHT_LEAD)
			hit = lookup(key, gen);
	}
	if (hit) {
		flight_land(flights, ticket, true);
		*out = json_deep_copy(hit);
		json_decref(hit);
		return *out ? BZ_OK : BZ_ERR_NOMEM;
	}
	json_t *m = NULL;
	bz_rc rc = build(db, arg, &m);
	json_t *copy = rc == BZ_OK ? json_deep_copy(m) : NULL;
	if (rc == BZ_OK && copy == NULL)
		rc = BZ_ERR_NOMEM;
	json_t *old = NULL;
	pthread_mutex_lock(&lock);
	if (rc == BZ_OK) {
		struct slot *s = victim(key);
		/* keep the newer of two builds that raced for the same key */
		if (s->model == NULL || strcmp(s->key, key) != 0 || s->gen <= gen) {
			old = s->model;
			bz_strlcpy(s->key, key, sizeof(s->key));
			s->gen = gen;
			s->model = m;
			s->used = ++tick;
			m = NULL;
		}
	}
	pthread_mutex_unlock(&lock);
	/* waiters look again (or build on their own, if this failed) */
	flight_land(flights, ticket, rc == BZ_OK);
	json_decref(old);
	json_decref(m);
	*out = copy;
	return rc;
}

void model_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < SLOTS; i++) {
		json_decref(slots[i].model);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	pthread_mutex_unlock(&lock);
}

/* ---- the cached models ---------------------------------------------------- */

struct model_args {
	int64_t program_id;
	int year, quarter;
	const char *today;
};

static bz_rc build_card(struct db *db, const void *arg, json_t **out)
{
	const struct model_args *a = arg;
	return card_model(db, a->program_id, a->year, a->quarter, out);
}

static bz_rc build_dashboard(struct db *db, const void *arg, json_t **out)
{
	const struct model_args *a = arg;
	return dashboard_model(db, a->program_id, a->today, out);
}

static bz_rc build_progress(struct db *db, const void *arg, json_t **out)
{
	const struct model_args *a = arg;
	return progress_model(db, a->program_id, a->year, a->quarter, a->today, out);
}

static bz_rc build_pace(struct db *db, const void *arg, json_t **out)
{
	const struct model_args *a = arg;
	return progress_pace_model(db, a->program_id, a->year, a->quarter, a->today, out);
}

bz_rc progress_pace_cached(struct db *db, int64_t program_id, int year, int quarter,
                           const char *today, json_t **out)
{
	struct model_args a = {program_id, year, quarter, today};
	char key[MODEL_CACHE_KEY_MAX];
	snprintf(key, sizeof(key), "pace/%lld/%d/%d/%s", (long long)program_id, year, quarter,
	         today);
	return model_cache_get(db, key, build_pace, &a, out);
}

bz_rc card_model_cached(struct db *db, int64_t program_id, int year, int quarter, json_t **out)
{
	struct model_args a = {program_id, year, quarter, NULL};
	char key[MODEL_CACHE_KEY_MAX];
	snprintf(key, sizeof(key), "card/%lld/%d/%d", (long long)program_id, year, quarter);
	return model_cache_get(db, key, build_card, &a, out);
}

bz_rc dashboard_model_cached(struct db *db, int64_t program_id, const char *today, json_t **out)
{
	struct model_args a = {program_id, 0, 0, today};
	char key[MODEL_CACHE_KEY_MAX];
	snprintf(key, sizeof(key), "dashboard/%lld/%s", (long long)program_id, today);
	return model_cache_get(db, key, build_dashboard, &a, out);
}

bz_rc progress_model_cached(struct db *db, int64_t program_id, int year, int quarter,
                            const char *today, json_t **out)
{
	struct model_args a = {program_id, year, quarter, today};
	char key[MODEL_CACHE_KEY_MAX];
	snprintf(key, sizeof(key), "progress/%lld/%d/%d/%s", (long long)program_id, year, quarter,
	         today);
	return model_cache_get(db, key, build_progress, &a, out);
}

static bz_rc build_zones(struct db *db, const void *arg, json_t **out)
{
	(void)arg;
	return company_zones(db, out);
}

bz_rc company_zones_cached(struct db *db, json_t **out)
{
	return model_cache_get(db, "zones", build_zones, NULL, out);
}

/* ---- warming up at start ---------------------------------------------------- */

struct model_warm {
	pthread_t thread;
	char path[4096];
	_Atomic bool stop;
};

/* The models the first pages of a day ask for, built once on the warm-up
 * thread's own connection: the dashboard (also the executive's home), the
 * card's default quarter, this quarter's progress and the leader's home pace
 * — each the same call, key and arguments as its page's, so a request that
 * comes during the build waits for it (single flight) and one that comes later
 * finds it. Each is a read: the generation is the one read before it, as for
 * a request. Nothing is built once stop is set. */
static void *warm_run(void *arg)
{
	struct model_warm *w = arg;
	struct db *db = NULL;
	char err[256];
	if (db_open(w->path, false, &db, err, sizeof(err)) != BZ_OK) {
		LOG_WARN("model warm-up: cannot open %s: %s", w->path, err);
		return NULL;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	int32_t d = 0;
	int built = 0;
	if (date_parse(today, &d, NULL) == BZ_OK) {
		int year = date_year(d), quarter = date_quarter(d);
		int cy = 0, cq = 0;
		json_t *m = NULL;
		if (!w->stop && dashboard_model_cached(db, PROGRAM_SOS_ID, today, &m) == BZ_OK)
			built++;
		json_decref(m);
		m = NULL;
		if (!w->stop &&
		    card_default_quarter(db, PROGRAM_SOS_ID, today, &cy, &cq) == BZ_OK &&
		    card_model_cached(db, PROGRAM_SOS_ID, cy, cq, &m) == BZ_OK)
			built++;
		json_decref(m);
		m = NULL;
		if (!w->stop &&
		    progress_model_cached(db, PROGRAM_SOS_ID, year, quarter, today, &m) == BZ_OK)
			built++;
		json_decref(m);
		m = NULL;
		if (!w->stop &&
		    progress_pace_cached(db, PROGRAM_SOS_ID, year, quarter, today, &m) == BZ_OK)
			built++;
		json_decref(m);
	}
	db_close(db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	LOG_INFO("model warm-up: %d models in %lld ms", built,
	         (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return NULL;
}

struct model_warm *model_cache_warm_start(const char *db_path)
{
	const char *e = getenv("BIZSOS_WARMUP");
	if (e && strcmp(e, "0") == 0)
		return NULL;
	struct model_warm *w = calloc(1, sizeof(*w));
	if (w == NULL || !bz_strlcpy(w->path, db_path, sizeof(w->path)) ||
	    pthread_create(&w->thread, NULL, warm_run, w) != 0) {
		free(w);
		return NULL;
	}
	return w;
}

void model_cache_warm_stop(struct model_warm *w)
{
	if (w == NULL)
		return;
	w->stop = true;
	pthread_join(w->thread, NULL);
	free(w);
}
