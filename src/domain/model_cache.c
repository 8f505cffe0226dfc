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
#include "bizsos/home.h"
#include "bizsos/kst.h"
#include "bizsos/program.h"
#include "bizsos/user.h"

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
	bool asked;    /* a request used this model (refreshing ahead rebuilds it) */
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

/* On the warm-up thread (see warm_run): WARM_ALL builds every model it asks
 * for, WARM_ASKED only those a request has used since they were last built;
 * depth is how many builds this thread is inside (a home builds the dashboard:
 * only the outermost call is the warm-up's, the inner one is as a request's). */
enum warm_mode { WARM_NONE, WARM_ALL, WARM_ASKED };
static _Thread_local enum warm_mode warm_mode;
static _Thread_local int depth;

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
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
		if (warm_mode == WARM_NONE)
			s->asked = true;
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
	/* the warm-up's own call: nothing to copy out, nothing to build if fresh
	 * (or, refreshing, if no request has used it since it was built) */
	bool warming = warm_mode != WARM_NONE && depth == 0;
	if (warming) {
		pthread_mutex_lock(&lock);
		struct slot *s = find(key);
		bool skip = (s && s->gen >= gen) || (warm_mode == WARM_ASKED && !(s && s->asked));
		pthread_mutex_unlock(&lock);
		if (skip)
			return BZ_OK;
	}
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
		*out = warming ? NULL : json_deep_copy(hit);
		json_decref(hit);
		return *out || warming ? BZ_OK : BZ_ERR_NOMEM;
	}
	json_t *m = NULL;
	depth++;
	bz_rc rc = build(db, arg, &m);
	depth--;
	json_t *copy = rc == BZ_OK && !warming ? json_deep_copy(m) : NULL;
	if (rc == BZ_OK && copy == NULL && !warming)
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
			s->asked = warm_mode == WARM_NONE;
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

/* ---- warming up and refreshing ahead ---------------------------------------- */

#define WARM_TICK_MS  200    /* how often the thread looks at the generation */
#define WARM_QUIET_MS 1000   /* a burst of commits is over after this long without one */
#define WARM_EVERY_MS 1000   /* at most one round this often */
#define WARM_START_MS 120000 /* after the start, rounds build every model (WARM_ALL) */
#define WARM_HOMES    4      /* leaders' and executives' homes kept warm, at most */
#define WARM_DELAY_MS 100    /* the first answers go before the warm-up */

static const char SQL_WARM_HOMES[] =
    "SELECT id FROM app_user WHERE role IN ('leader', 'executive') AND disabled_at IS NULL"
    " ORDER BY id LIMIT 4";

struct model_warm {
	pthread_t thread;
	char path[4096];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop; /* under mu */
};

/* Whether w was told to stop. */
static bool warm_stopping(struct model_warm *w)
{
	pthread_mutex_lock(&w->mu);
	bool stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return stop;
}

/* Sleeps ms unless told to stop; false once told. */
static bool warm_sleep(struct model_warm *w, int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->mu);
	if (!w->stop)
		pthread_cond_timedwait(&w->cv, &w->mu, &until);
	bool go = !w->stop;
	pthread_mutex_unlock(&w->mu);
	return go;
}

/* Whether the round goes on: not told to stop, and nothing committed since it
 * began at generation gen. */
static bool warm_go(struct model_warm *w, struct db *db, uint64_t gen)
{
	return !warm_stopping(w) && db_generation(db) == gen;
}

/* One round: the models the first pages of a day ask for, each through
 * model_cache_get with the same key and arguments as its page's — the
 * dashboard (also the executive's home), the card's default quarter, this
 * quarter's progress, the leader's home pace, and the homes of the leaders and
 * executives — so that a request during a build waits for it (single flight)
 * and one after finds it (each skipped when fresh, or, refreshing, not used
 * since it was built). Reads only. */
static void warm_round(struct model_warm *w, struct db *db, const char *today)
{
	int32_t d = 0;
	if (date_parse(today, &d, NULL) != BZ_OK)
		return;
	/* A commit during the round makes what it would build next stale at once:
	 * the round stops there (the next quiet moment starts another), so that
	 * a burst of writes never pays for models built between its commits... */
	uint64_t gen = db_generation(db);
	if (gen == 0)
		return;
	/* ... and so does a build under way: its statements stop at the commit */
	db_stop_on_commit(db, gen);
	int year = date_year(d), quarter = date_quarter(d), cy = 0, cq = 0;
	json_t *m = NULL; /* stays NULL: the warm-up's own calls copy nothing out */
	if (warm_go(w, db, gen))
		(void)dashboard_model_cached(db, PROGRAM_SOS_ID, today, &m);
	if (warm_go(w, db, gen) &&
	    card_default_quarter(db, PROGRAM_SOS_ID, today, &cy, &cq) == BZ_OK)
		(void)card_model_cached(db, PROGRAM_SOS_ID, cy, cq, &m);
	if (warm_go(w, db, gen))
		(void)progress_model_cached(db, PROGRAM_SOS_ID, year, quarter, today, &m);
	if (warm_go(w, db, gen))
		(void)progress_pace_cached(db, PROGRAM_SOS_ID, year, quarter, today, &m);
	json_decref(m);
	m = NULL;
	int64_t ids[WARM_HOMES];
	size_t nid = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_WARM_HOMES);
	while (st && nid < WARM_HOMES && db_step(st) == SQLITE_ROW)
		ids[nid++] = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	for (size_t i = 0; i < nid && warm_go(w, db, gen); i++) {
		struct user u;
		if (user_by_id(db, ids[i], &u) == BZ_OK && home_model(db, &u, today, &m) == BZ_OK)
			json_decref(m);
		m = NULL;
	}
	db_stop_on_commit(db, 0);
	db_end_request(db); /* a stopped statement keeps no read snapshot */
}

/* Warms up once at start, then refreshes ahead: once a burst of commits is
 * over (WARM_QUIET_MS without one), or the day has changed, it asks for the
 * same models again, so that the next request — after a sign-in, after a case
 * was saved — finds them built at the new generation instead of waiting for a
 * build. For WARM_START_MS after the start every model of the round is built
 * (the first sign-ins come before any page); after that only those a request
 * has used since they were last built, so the thread costs at most one build
 * per use, never a build per commit for models nobody looks at. Never serves
 * anything stale: a request that comes before the refresh has built a model
 * waits for that build (or builds it), as without this thread. At most one
 * round per WARM_EVERY_MS; none once stop is set. */
static void *warm_run(void *arg)
{
	struct model_warm *w = arg;
	struct db *db = NULL;
	char err[256];
	if (!warm_sleep(w, WARM_DELAY_MS))
		return NULL;
	if (db_open(w->path, false, &db, err, sizeof(err)) != BZ_OK) {
		LOG_WARN("model warm-up: cannot open %s: %s", w->path, err);
		return NULL;
	}
	char today[DATE_TEXT_SIZE], day[DATE_TEXT_SIZE];
	kst_today(today);
	int64_t start = mono_ms();
	uint64_t built_gen = db_generation(db);
	warm_mode = WARM_ALL;
	warm_round(w, db, today);
	int64_t last_round = mono_ms();
	LOG_INFO("model warm-up: %lld ms", (long long)(last_round - start));
	uint64_t seen = built_gen;
	int64_t seen_at = last_round;
	while (warm_sleep(w, WARM_TICK_MS)) {
		uint64_t g = db_generation(db);
		int64_t now = mono_ms();
		kst_today(day);
		if (g == 0)
			continue;
		if (g != seen) { /* still committing: wait until it is quiet */
			seen = g;
			seen_at = now;
			continue;
		}
		if ((g == built_gen && strcmp(day, today) == 0) || now - seen_at < WARM_QUIET_MS ||
		    now - last_round < WARM_EVERY_MS)
			continue;
		built_gen = g;
		bz_strlcpy(today, day, sizeof(today));
		warm_mode = now - start < WARM_START_MS ? WARM_ALL : WARM_ASKED;
		warm_round(w, db, today);
		last_round = mono_ms();
	}
	db_close(db);
	return NULL;
}

struct model_warm *model_cache_warm_start(const char *db_path)
{
	const char *e = getenv("BIZSOS_WARMUP");
	if (e && strcmp(e, "0") == 0)
		return NULL;
	struct model_warm *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	if (!bz_strlcpy(w->path, db_path, sizeof(w->path)) ||
	    pthread_mutex_init(&w->mu, NULL) != 0) {
		free(w);
		return NULL;
	}
	if (pthread_cond_init(&w->cv, NULL) != 0) {
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	if (pthread_create(&w->thread, NULL, warm_run, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

void model_cache_warm_stop(struct model_warm *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
