/* The model cache (include/bizsos/model_cache.h): a few slots, each a key, the
 * data generation its model was built at, and the model. A hit hands out a deep
 * copy (the cached object is never changed after it is stored, so copies may
 * be taken by several threads at once); a miss builds outside the lock, so a
 * slow build never blocks hits on other keys. The generation is read before
 * building: a commit during the build makes the stored model stale at once. */
#include "bizsos/model_cache.h"
#include "bizsos/card.h"
#include "bizsos/company.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 32 /* programs × quarters a team looks at, × days: plenty */

struct slot {
	char key[MODEL_CACHE_KEY_MAX];
	uint64_t gen;
	uint64_t used; /* tick of the last hit: the least recently used slot goes first */
	json_t *model;
};

/* Builds under way: a thread that misses on a key another thread is already
 * building (for the same or a newer generation) waits for that build instead
 * of running the same queries again — thirty requests arriving together for a
 * cold card cost one build, not thirty at once. */
struct flight {
	char key[MODEL_CACHE_KEY_MAX];
	uint64_t gen;
	bool on;
};

static struct slot slots[SLOTS];
static struct flight flights[SLOTS];
static uint64_t tick;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t built = PTHREAD_COND_INITIALIZER;

/* The build of key for gen or newer under way, or NULL. Under lock. */
static struct flight *flight_find(const char *key, uint64_t gen)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (flights[i].on && flights[i].gen >= gen && strcmp(flights[i].key, key) == 0)
			return &flights[i];
	return NULL;
}

/* Registers a build of key at gen; NULL when every flight slot is taken (the
 * caller then builds without telling anyone). Under lock. */
static struct flight *flight_start(const char *key, uint64_t gen)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (!flights[i].on) {
			bz_strlcpy(flights[i].key, key, sizeof(flights[i].key));
			flights[i].gen = gen;
			flights[i].on = true;
			return &flights[i];
		}
	return NULL;
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

bz_rc model_cache_get(struct db *db, const char *key, model_build_fn build, const void *arg,
                      json_t **out)
{
	*out = NULL;
	if (strlen(key) >= MODEL_CACHE_KEY_MAX)
		return build(db, arg, out); /* not cacheable; never happens with our keys */
	uint64_t gen = db_generation(db);
	if (gen == 0)
		return BZ_ERR_DB; /* cannot tell whether a cached model is current */
	json_t *hit = NULL;
	struct flight *mine = NULL;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct slot *s = find(key);
		if (s && s->gen >= gen) {
			hit = json_incref(s->model);
			s->used = ++tick;
			break;
		}
		if (flight_find(key, gen) == NULL) {
			mine = flight_start(key, gen);
			break;
		}
		pthread_cond_wait(&built, &lock); /* another thread is building it */
	}
	pthread_mutex_unlock(&lock);
	if (hit) {
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
	if (mine)
		mine->on = false;
	pthread_cond_broadcast(&built); /* waiters look again (and build, if this failed) */
	pthread_mutex_unlock(&lock);
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
