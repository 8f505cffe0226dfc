/* Sign-in throttling kept in memory: a per-address budget with backoff, a lock
 * per login and address, and a bound on password hashes computed at once.
 * Knows nothing of HTTP: an address is any short text naming where an attempt
 * came from ("-" when unknown). Thread-safe. The policy is in README.md
 * ("Sign-in throttling and lockout"). */
#ifndef BIZSOS_LOGIN_GUARD_H
#define BIZSOS_LOGIN_GUARD_H

#include "bizsos/common.h"

#define GUARD_ADDRESS_FREE      10        /* failures from one address before backoff */
#define GUARD_ADDRESS_MAX_WAIT  900       /* seconds: the backoff's ceiling */
#define GUARD_PAIR_FAILURES     5         /* failures of one login from one address ... */
#define GUARD_PAIR_LOCK_SECONDS (15 * 60) /* ... lock that pair this long (seconds) */
#define GUARD_FORGET            (15 * 60) /* a counter is forgotten this long after its last failure */

enum guard_verdict {
	GUARD_ALLOW,     /* check the password */
	GUARD_WAIT,      /* the address must wait (*retry_after seconds): answer 429 */
	GUARD_PAIR_LOCK, /* this login is locked from this address: do the same work, refuse */
};

/* Sets how many password hashes may run at once (default 2). Call before serving. */
void login_guard_configure(int hash_concurrency);
/* Admits one attempt at now (unix seconds), reserving it as a failure of the
 * address and of the login from that address, so parallel attempts cannot
 * overshoot a limit. GUARD_WAIT reserves nothing and fills *retry_after. */
enum guard_verdict login_guard_admit(const char *address, const char *login, int64_t now,
                                     int *retry_after);
/* Settles an admitted attempt: a success gives back the address's reservation
 * and clears the login's count from that address; a failure keeps both. */
void login_guard_settle(const char *address, const char *login, bool success, int64_t now);
/* Gives back an admitted attempt that was never checked (e.g. no hash slot). */
void login_guard_cancel(const char *address, const char *login);
/* Takes one of the hash slots, waiting at most wait_ms; false if none came free. */
bool login_guard_hash_enter(int wait_ms);
void login_guard_hash_leave(void);
/* Forgets every counter (tests). */
void login_guard_reset(void);

#endif
