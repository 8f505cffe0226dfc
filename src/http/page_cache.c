/* The rendered-page cache (server_internal.h): the bytes of a few pages a
 * signed-in browser asks for again and again (the home, the dashboard, the
 * card, lists and record pages), kept per session, URL and encoding, and
 * served again only while
 *   - nothing has been committed to the database since the page was built
 *     (db_generation: every commit of this process's connections, and any
 *     commit by another process seen through PRAGMA data_version),
 *   - it is still the same day (KST), and
 *   - the page is at most PAGE_TTL seconds old (a bound for anything shown that
 *     moves with the clock rather than with the data, e.g. "3분 전").
 * The generation is read before the handler runs, so a page whose own request
 * wrote (an access-log entry, a notification read) is stale the moment it is
 * stored, and the next request runs the handler again.
 * Memory is bounded: PAGE_SLOTS entries, PAGE_BYTES_MAX bytes in all, no page
 * over PAGE_ONE_MAX; the least recently used entry goes first. */
#include "bizsos/kst.h"
#include "bizsos/store.h"

#include "server_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_SLOTS     512
#define PAGE_BYTES_MAX (8u << 20)
#define PAGE_ONE_MAX   (512u << 10)
#define PAGE_TTL       60

struct page {
	char *key; /* NULL when free */
	uint64_t hash;
	uint64_t gen;
	char day[DATE_TEXT_SIZE];
	time_t at;
	uint64_t used;
	bool gzip;
	char *body;
	size_t len;
};

static struct page pages[PAGE_SLOTS];
static size_t bytes; /* sum of the bodies held */
static uint64_t tick;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic bool disabled;

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static time_t mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void drop(struct page *p)
{
	bytes -= p->len;
	free(p->key);
	free(p->body);
	memset(p, 0, sizeof(*p));
}

void page_cache_disable(bool off)
{
	disabled = off;
}

/* Appends "<len>:<s>" so that no two different requests make the same key. */
static bool key_put(char *key, size_t cap, size_t *n, const char *s)
{
	size_t sl = strlen(s);
	int w = snprintf(key + *n, cap - *n, "%zu:", sl);
	if (w < 0 || (size_t)w + sl + 1 >= cap - *n)
		return false;
	*n += (size_t)w;
	memcpy(key + *n, s, sl);
	*n += sl;
	key[*n] = '\0';
	return true;
}

bool page_cache_key(const struct request *rq, bool gzip, char *key, size_t cap)
{
	if (disabled || cap == 0)
		return false;
	size_t n = 0;
	key[0] = '\0';
	if (!key_put(key, cap, &n, rq->session) || !key_put(key, cap, &n, gzip ? "gz" : "id") ||
	    !key_put(key, cap, &n, rq->path))
		return false;
	for (size_t i = 0; i < rq->query.n; i++)
		if (!key_put(key, cap, &n, rq->query.items[i].key) ||
		    !key_put(key, cap, &n, rq->query.items[i].value))
			return false;
	return true;
}

bool page_cache_get(const char *key, uint64_t gen, const char *day, char **body, size_t *len,
                    bool *gzip)
{
	uint64_t h = fnv(key);
	time_t now = mono();
	bool hit = false;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < PAGE_SLOTS; i++) {
		struct page *p = &pages[i];
		if (p->key == NULL || p->hash != h || strcmp(p->key, key) != 0)
			continue;
		if (p->gen != gen || strcmp(p->day, day) != 0 || now - p->at > PAGE_TTL) {
			drop(p);
			break;
		}
		char *copy = malloc(p->len ? p->len : 1);
		if (copy) {
			memcpy(copy, p->body, p->len);
			*body = copy;
			*len = p->len;
			*gzip = p->gzip;
			p->used = ++tick;
			hit = true;
		}
		break;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void page_cache_put(const char *key, uint64_t gen, const char *day, const char *body, size_t len,
                    bool gzip)
{
	if (disabled || len > PAGE_ONE_MAX || gen == 0)
		return;
	char *k = strdup(key);
	char *b = malloc(len ? len : 1);
	if (k == NULL || b == NULL) {
		free(k);
		free(b);
		return;
	}
	memcpy(b, body, len);
	uint64_t h = fnv(key);
	time_t now = mono();
	pthread_mutex_lock(&lock);
	struct page *slot = NULL;
	for (size_t i = 0; i < PAGE_SLOTS; i++) /* an older copy of the same page */
		if (pages[i].key && pages[i].hash == h && strcmp(pages[i].key, key) == 0) {
			if (pages[i].gen > gen) { /* a newer build got there first */
				pthread_mutex_unlock(&lock);
				free(k);
				free(b);
				return;
			}
			drop(&pages[i]);
			slot = &pages[i];
			break;
		}
	for (;;) { /* room: a free slot, and the byte bound */
		struct page *lru = NULL;
		if (slot == NULL)
			for (size_t i = 0; i < PAGE_SLOTS && slot == NULL; i++)
				if (pages[i].key == NULL)
					slot = &pages[i];
		if (slot && bytes + len <= PAGE_BYTES_MAX)
			break;
		for (size_t i = 0; i < PAGE_SLOTS; i++)
			if (pages[i].key && (lru == NULL || pages[i].used < lru->used))
				lru = &pages[i];
		if (lru == NULL)
			break; /* empty and still no room: cannot happen (len <= PAGE_ONE_MAX) */
		drop(lru);
		if (slot == NULL)
			slot = lru;
	}
	if (slot && bytes + len <= PAGE_BYTES_MAX) {
		*slot = (struct page){.key = k,
		                      .hash = h,
		                      .gen = gen,
		                      .at = now,
		                      .used = ++tick,
		                      .gzip = gzip,
		                      .body = b,
		                      .len = len};
		bz_strlcpy(slot->day, day, sizeof(slot->day));
		bytes += len;
		k = NULL;
		b = NULL;
	}
	pthread_mutex_unlock(&lock);
	free(k);
	free(b);
}

void page_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < PAGE_SLOTS; i++)
		if (pages[i].key)
			drop(&pages[i]);
	pthread_mutex_unlock(&lock);
}
