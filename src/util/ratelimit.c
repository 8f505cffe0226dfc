/* Fixed-window rate limiting per key, in a bounded open-addressing table. */
#include "bizsos/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char key[RATELIMIT_KEY_SIZE]; /* "" = free */
	time_t start;                 /* first event of the current window */
	int count;
};

struct ratelimit {
	pthread_mutex_t mu;
	size_t n; /* power of two */
	struct slot *slots;
};

struct ratelimit *ratelimit_new(size_t slots)
{
	size_t n = 64;
	while (n < slots && n < ((size_t)1 << 24))
		n <<= 1;
	struct ratelimit *rl = calloc(1, sizeof(*rl));
	if (rl == NULL)
		return NULL;
	rl->slots = calloc(n, sizeof(*rl->slots));
	if (rl->slots == NULL || pthread_mutex_init(&rl->mu, NULL) != 0) {
		free(rl->slots);
		free(rl);
		return NULL;
	}
	rl->n = n;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl->slots);
	free(rl);
}

/* FNV-1a */
static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* Probing stops at the key, a free slot or an expired one; at most 16 steps,
 * then the oldest window seen gives way. */
#define PROBES 16

bool ratelimit_hit(struct ratelimit *rl, const char *key, int max, int window, time_t now,
                   int *retry_after)
{
	if (retry_after)
		*retry_after = 0;
	if (rl == NULL || max < 1 || window < 1)
		return true;
	char k[RATELIMIT_KEY_SIZE];
	bz_strlcpy(k, key && *key ? key : "-", sizeof(k));
	pthread_mutex_lock(&rl->mu);
	size_t mask = rl->n - 1, h = hash(k);
	struct slot *hit = NULL, *spare = NULL, *oldest = NULL;
	for (size_t i = 0; i < PROBES; i++) {
		struct slot *s = &rl->slots[(h + i) & mask];
		if (s->key[0] && strcmp(s->key, k) == 0) {
			hit = s;
			break;
		}
		bool expired = s->key[0] == '\0' || now - s->start >= window || now < s->start;
		if (expired && spare == NULL)
			spare = s;
		if (oldest == NULL || s->start < oldest->start)
			oldest = s;
	}
	if (hit && (now - hit->start >= window || now < hit->start)) {
		hit->start = now; /* a new window */
		hit->count = 0;
	}
	if (hit == NULL) {
		hit = spare ? spare : oldest;
		memcpy(hit->key, k, sizeof(k));
		hit->start = now;
		hit->count = 0;
	}
	if (hit->count < INT32_MAX)
		hit->count++;
	bool ok = hit->count <= max;
	if (!ok && retry_after) {
		time_t left = hit->start + window - now;
		*retry_after = left > 0 ? (int)left : 1;
	}
	pthread_mutex_unlock(&rl->mu);
	return ok;
}
