/* Sign-in throttling in memory. One table of counters, keyed "a <address>" for
 * the address and "p <login> <address>" for a login from an address, under
 * one mutex; sign-ins are rare enough that a linear scan of a few thousand
 * entries costs nothing next to one argon2 hash. When the table is full the
 * counter idle longest is reused. */
#include "bizsos/login_guard.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define GUARD_SLOTS 8192
#define KEY_MAX     160

struct counter {
	char key[KEY_MAX];
	int failures;
	int64_t last;  /* unix seconds of the last failure or reservation */
	int64_t until; /* pair lock: locked until; address: must wait until */
};

static struct counter table[GUARD_SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int hash_busy;
static atomic_int hash_limit = 2;

void login_guard_configure(int hash_concurrency)
{
	atomic_store(&hash_limit, hash_concurrency > 0 ? hash_concurrency : 1);
}

static void make_key(char *out, char kind, const char *address, const char *login)
{
	char lower[72];
	size_t i = 0;
	for (; login && login[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)login[i]);
	lower[i] = '\0';
	snprintf(out, KEY_MAX, "%c %.64s %.70s", kind, kind == 'p' ? lower : "",
	         address && *address ? address : "-");
}

/* The counter for key, created (or reused) when absent. Called under mu. */
static struct counter *find(const char *key, int64_t now)
{
	struct counter *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < GUARD_SLOTS; i++) {
		struct counter *c = &table[i];
		if (c->key[0] == '\0') {
			if (free_slot == NULL)
				free_slot = c;
			continue;
		}
		if (strcmp(c->key, key) == 0) {
			if (now - c->last > GUARD_FORGET && c->until <= now) {
				c->failures = 0;
				c->until = 0;
			}
			return c;
		}
		if (now - c->last > GUARD_FORGET && c->until <= now && free_slot == NULL)
			free_slot = c;
		if (oldest == NULL || c->last < oldest->last)
			oldest = c;
	}
	struct counter *c = free_slot ? free_slot : oldest;
	memset(c, 0, sizeof(*c));
	bz_strlcpy(c->key, key, sizeof(c->key));
	c->last = now;
	return c;
}

enum guard_verdict login_guard_admit(const char *address, const char *login, int64_t now,
                                     int *retry_after)
{
	char akey[KEY_MAX], pkey[KEY_MAX];
	make_key(akey, 'a', address, NULL);
	make_key(pkey, 'p', address, login);
	enum guard_verdict v = GUARD_ALLOW;
	pthread_mutex_lock(&mu);
	struct counter *a = find(akey, now);
	if (a->until > now) {
		*retry_after = (int)(a->until - now);
		v = GUARD_WAIT;
		goto out;
	}
	a->failures++;
	a->last = now;
	if (a->failures > GUARD_ADDRESS_FREE) {
		/* 1, 2, 4 … seconds between further attempts, up to the ceiling. */
		int over = a->failures - GUARD_ADDRESS_FREE - 1;
		int64_t wait = over >= 10 ? GUARD_ADDRESS_MAX_WAIT : (int64_t)1 << over;
		if (wait > GUARD_ADDRESS_MAX_WAIT)
			wait = GUARD_ADDRESS_MAX_WAIT;
		a->until = now + wait;
	}
	struct counter *p = find(pkey, now);
	p->last = now;
	if (p->until > now) {
		v = GUARD_PAIR_LOCK;
		goto out;
	}
	p->failures++;
	if (p->failures > GUARD_PAIR_FAILURES) {
		/* The reservation beyond the limit is the lock itself. */
		p->until = now + GUARD_PAIR_LOCK_SECONDS;
		p->failures = 0;
		v = GUARD_PAIR_LOCK;
	}
out:
	pthread_mutex_unlock(&mu);
	return v;
}

void login_guard_settle(const char *address, const char *login, bool success, int64_t now)
{
	if (!success)
		return;
	char akey[KEY_MAX], pkey[KEY_MAX];
	make_key(akey, 'a', address, NULL);
	make_key(pkey, 'p', address, login);
	pthread_mutex_lock(&mu);
	struct counter *a = find(akey, now);
	if (a->failures > 0)
		a->failures--;
	struct counter *p = find(pkey, now);
	p->failures = 0;
	p->until = 0;
	pthread_mutex_unlock(&mu);
}

void login_guard_cancel(const char *address, const char *login)
{
	char akey[KEY_MAX], pkey[KEY_MAX];
	make_key(akey, 'a', address, NULL);
	make_key(pkey, 'p', address, login);
	int64_t now = (int64_t)time(NULL);
	pthread_mutex_lock(&mu);
	struct counter *a = find(akey, now);
	if (a->failures > 0)
		a->failures--;
	struct counter *p = find(pkey, now);
	if (p->failures > 0)
		p->failures--;
	pthread_mutex_unlock(&mu);
}

bool login_guard_hash_enter(int wait_ms)
{
	for (int waited = 0;; waited += 5) {
		int busy = atomic_load(&hash_busy);
		while (busy < atomic_load(&hash_limit)) {
			if (atomic_compare_exchange_weak(&hash_busy, &busy, busy + 1))
				return true;
		}
		if (waited >= wait_ms)
			return false;
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

void login_guard_hash_leave(void)
{
	atomic_fetch_sub(&hash_busy, 1);
}

void login_guard_reset(void)
{
	pthread_mutex_lock(&mu);
	memset(table, 0, sizeof(table));
	pthread_mutex_unlock(&mu);
}
