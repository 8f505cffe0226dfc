/* The model cache: the card, dashboard and progress models computed once per
 * data generation (db_generation: any commit, by this process or another) and
 * day, instead of from every record on every request. One mechanism for every
 * aggregate page; the models themselves are card.h's, unchanged. */
#ifndef BIZSOS_MODEL_CACHE_H
#define BIZSOS_MODEL_CACHE_H

#include "bizsos/store.h"
#include <jansson.h>

/* Builds the model named by a cache key; returns a new object the caller owns. */
typedef bz_rc (*model_build_fn)(struct db *db, const void *arg, json_t **out);

/* The model for key (at most MODEL_CACHE_KEY_MAX - 1 bytes; the key must name
 * every input of build, the day included when the model depends on it): a copy
 * of the cached one when nothing was committed since it was built, else built
 * now with build(db, arg) and kept. *out is the caller's to change and free.
 * Errors are build's (nothing is cached then), or BZ_ERR_NOMEM. Thread-safe. */
#define MODEL_CACHE_KEY_MAX 96
bz_rc model_cache_get(struct db *db, const char *key, model_build_fn build, const void *arg,
                      json_t **out);

/* Drops every cached model (tests; memory at exit). */
void model_cache_clear(void);

/* card_model, dashboard_model and progress_model (card.h) through the cache. */
bz_rc card_model_cached(struct db *db, int64_t program_id, int year, int quarter, json_t **out);
bz_rc dashboard_model_cached(struct db *db, int64_t program_id, const char *today, json_t **out);
bz_rc progress_model_cached(struct db *db, int64_t program_id, int year, int quarter,
                            const char *today, json_t **out);
/* company_zones (company.h) through the cache: the company list's zone filter
 * (a DISTINCT over every company otherwise, on every request). */
bz_rc company_zones_cached(struct db *db, json_t **out);
/* progress_pace_model (card.h) through the cache: the leader's home. */
bz_rc progress_pace_cached(struct db *db, int64_t program_id, int year, int quarter,
                           const char *today, json_t **out);

/* Warming up and refreshing ahead: a thread of its own, with its own
 * connection to the database at db_path, builds the models the first requests
 * of a day ask for (the dashboard, the card's default quarter, this quarter's
 * progress, the leader's home pace, the leaders' and executives' homes) once
 * at start, and again whenever a burst of commits is over (a sign-in, a saved
 * case), so that the next request finds them built at the new generation
 * instead of waiting for the build. It never makes anything stale visible:
 * a request before the refresh waits for it or builds. Returns at once; NULL
 * when nothing was started (out of memory, or BIZSOS_WARMUP=0 in the
 * environment). model_cache_warm_stop lets the build under way finish, skips
 * the rest, joins the thread and frees w (NULL: nothing). */
struct model_warm;
struct model_warm *model_cache_warm_start(const char *db_path);
void model_cache_warm_stop(struct model_warm *w);

#endif
