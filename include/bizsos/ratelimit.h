/* A per-key (per-IP) fixed-window counter: "at most max events per window
 * seconds". In memory, bounded (a fixed table; when it is full the oldest
 * window makes room), safe to share between threads. Knows nothing of HTTP:
 * the caller chooses the key (e.g. the peer address) and the clock. */
#ifndef BIZSOS_RATELIMIT_H
#define BIZSOS_RATELIMIT_H

#include "bizsos/common.h"
#include <time.h>

#define RATELIMIT_KEY_SIZE 64 /* longer keys are cut (an IPv6 address fits) */

struct ratelimit;

/* A limiter with room for `slots` keys (rounded up to a power of two, at
 * least 64); NULL if out of memory. Free with ratelimit_free. */
struct ratelimit *ratelimit_new(size_t slots);
void ratelimit_free(struct ratelimit *rl);

/* Counts one event of key at now. True if it is within max events in the
 * key's current window of `window` seconds (which starts at the key's first
 * event and lasts window seconds); false once the limit is passed, with
 * *retry_after (if not NULL) the seconds until the window ends. max < 1 or
 * window < 1 means no limit. A refused event is counted too. */
bool ratelimit_hit(struct ratelimit *rl, const char *key, int max, int window, time_t now,
                   int *retry_after);

#endif
