/* Single-flight builds: when many threads miss a cache on the same key at
 * once, one of them builds the value and the others wait for it, then look in
 * the cache again, instead of all of them running the same expensive build
 * together (a thundering herd: thirty-two requests arriving at a cold card
 * cost one build, not thirty-two competing for two cores). Different keys build
 * in parallel. Knows nothing of what is built or where it is kept: the caller
 * owns the cache, this only says who builds.
 *
 * A key is built "for a generation" (the data generation the builder read
 * before building, db_generation): a thread waits only for a build at its own
 * generation or a newer one, never for one that started before a commit it
 * must see. Waits are bounded; a thread that waited in vain, or finds the
 * table full, builds on its own and tells no one. Thread-safe. */
#ifndef BIZSOS_FLIGHT_H
#define BIZSOS_FLIGHT_H

#include "bizsos/common.h"

struct flight;

/* A table for at most `slots` builds under way at once (at least 1); NULL if
 * out of memory. Free with flight_free once no thread uses it. */
struct flight *flight_new(size_t slots);
void flight_free(struct flight *f);

enum flight_role {
	FLIGHT_LEAD,   /* build it, then flight_land(f, ticket, ok) on every path */
	FLIGHT_LANDED, /* a build for this generation or newer finished while this
	                  thread waited: look in the cache again */
	FLIGHT_FAILED, /* ... and it failed: build alone (or give up) */
	FLIGHT_ALONE,  /* waited wait_ms in vain, no room, out of memory, or the
	                  table is closed: build alone, tell no one */
};

/* Joins the build of key for generation gen: leads it when no build of key
 * for gen or newer is under way (*ticket set, never 0), else waits at most
 * wait_ms milliseconds for that build to land. *ticket is 0 unless
 * FLIGHT_LEAD. */
enum flight_role flight_join(struct flight *f, const char *key, uint64_t gen, int wait_ms,
                             uint64_t *ticket);

/* Ends the build of ticket (from FLIGHT_LEAD; 0 does nothing) and wakes its
 * waiters: ok tells whether the value is now in the cache. Call it after
 * storing the value, and exactly once. */
void flight_land(struct flight *f, uint64_t ticket, bool ok);

/* Wakes every waiter (FLIGHT_ALONE) and lets no thread wait from now on; builds
 * under way may still land. For shutting down. */
void flight_close(struct flight *f);

/* Builds under way and threads waiting for them (tests, diagnostics). */
void flight_counts(struct flight *f, size_t *flying, size_t *waiting);

#endif
