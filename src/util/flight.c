/* Single-flight builds (include/bizsos/flight.h). A fixed table of slots, each
 * one build under way: its key, generation, ticket and the threads waiting for
 * it. A slot stays taken until the build has landed and its last waiter has
 * read the outcome, so a waiter never reads another build's result. One mutex
 * and one condition variable (CLOCK_MONOTONIC) for the whole table: a landing
 * wakes every waiter, each looks at its own slot. */
#include "bizsos/flight.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum slot_state { SLOT_FREE, SLOT_FLYING, SLOT_LANDED };

struct slot {
	enum slot_state state;
	char *key;
	uint64_t gen;
	uint64_t ticket;
	size_t waiters;
	bool ok; /* SLOT_LANDED: the value is in the cache */
};

struct flight {
	pthread_mutex_t mu;
	pthread_cond_t landed;
	bool closed;
	uint64_t tickets; /* the last ticket handed out */
	size_t n;
	struct slot *slots;
};

struct flight *flight_new(size_t slots)
{
	if (slots == 0)
		slots = 1;
	struct flight *f = calloc(1, sizeof(*f));
	if (f == NULL)
		return NULL;
	f->slots = calloc(slots, sizeof(*f->slots));
	pthread_condattr_t ca;
	bool ca_ok = pthread_condattr_init(&ca) == 0;
	if (f->slots == NULL || !ca_ok || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&f->landed, &ca) != 0) {
		if (ca_ok)
			pthread_condattr_destroy(&ca);
		free(f->slots);
		free(f);
		return NULL;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_mutex_init(&f->mu, NULL) != 0) {
		pthread_cond_destroy(&f->landed);
		free(f->slots);
		free(f);
		return NULL;
	}
	f->n = slots;
	return f;
}

static void slot_clear(struct slot *s)
{
	free(s->key);
	memset(s, 0, sizeof(*s));
}

void flight_free(struct flight *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		slot_clear(&f->slots[i]);
	free(f->slots);
	pthread_cond_destroy(&f->landed);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

/* The absolute CLOCK_MONOTONIC time ms milliseconds from now. */
static struct timespec deadline(int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

enum flight_role flight_join(struct flight *f, const char *key, uint64_t gen, int wait_ms,
                             uint64_t *ticket)
{
	*ticket = 0;
	if (f == NULL)
		return FLIGHT_ALONE;
	pthread_mutex_lock(&f->mu);
	struct slot *s = NULL, *free_slot = NULL;
	for (size_t i = 0; i < f->n && s == NULL; i++) {
		struct slot *x = &f->slots[i];
		if (x->state == SLOT_FLYING && x->gen >= gen && strcmp(x->key, key) == 0)
			s = x;
		else if (x->state == SLOT_FREE && free_slot == NULL)
			free_slot = x;
	}
	enum flight_role role = FLIGHT_ALONE;
	if (s == NULL) { /* nobody is building it: this thread does, if there is room */
		char *k = free_slot && !f->closed ? strdup(key) : NULL;
		if (k) {
			*free_slot = (struct slot){
			    .state = SLOT_FLYING, .key = k, .gen = gen, .ticket = ++f->tickets};
			*ticket = free_slot->ticket;
			role = FLIGHT_LEAD;
		}
		pthread_mutex_unlock(&f->mu);
		return role;
	}
	if (f->closed || wait_ms <= 0) {
		pthread_mutex_unlock(&f->mu);
		return FLIGHT_ALONE;
	}
	/* wait for it: the slot is not reused while this thread counts as a waiter */
	s->waiters++;
	struct timespec until = deadline(wait_ms);
	while (s->state == SLOT_FLYING && !f->closed)
		if (pthread_cond_timedwait(&f->landed, &f->mu, &until) == ETIMEDOUT)
			break;
	if (s->state == SLOT_LANDED)
		role = s->ok ? FLIGHT_LANDED : FLIGHT_FAILED;
	s->waiters--;
	if (s->state == SLOT_LANDED && s->waiters == 0)
		slot_clear(s);
	pthread_mutex_unlock(&f->mu);
	return role;
}

void flight_land(struct flight *f, uint64_t ticket, bool ok)
{
	if (f == NULL || ticket == 0)
		return;
	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < f->n; i++) {
		struct slot *s = &f->slots[i];
		if (s->state != SLOT_FLYING || s->ticket != ticket)
			continue;
		if (s->waiters == 0) {
			slot_clear(s);
		} else {
			s->state = SLOT_LANDED;
			s->ok = ok;
			pthread_cond_broadcast(&f->landed);
		}
		break;
	}
	pthread_mutex_unlock(&f->mu);
}

void flight_close(struct flight *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->mu);
	f->closed = true;
	pthread_cond_broadcast(&f->landed);
	pthread_mutex_unlock(&f->mu);
}

void flight_counts(struct flight *f, size_t *flying, size_t *waiting)
{
	*flying = 0;
	*waiting = 0;
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < f->n; i++) {
		if (f->slots[i].state == SLOT_FLYING)
			(*flying)++;
		*waiting += f->slots[i].waiters;
	}
	pthread_mutex_unlock(&f->mu);
}
