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
 * over PAGE_ONE_MAX; the least recently used entry goes first.
 *
 * Builds are single-flight (flight.h): when requests for the same page (same
 * session, URL and encoding) miss together — the first requests after the
 * start or after a commit — one runs the handler and the others wait for it
 * (at most PAGE_WAIT_MS), then look again at the generation current when they
 * wake. So a waiter gets the page only if nothing was committed since it was
 * built, the builder's own request included: a page whose handler writes (an
 * access-log entry) is never handed to a waiter, who then runs the handler
 * itself, as every request did before. No stale page is ever served while a
 * new one is built: a write, by this user or anyone else, shows on the next
 * request. */
#include "bizsos/flight.h"
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
#define PAGE_FLIGHTS   64   /* pages built at once that others may wait for */
#define PAGE_WAIT_MS   5000 /* the longest a request waits for another's build */

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
static struct flight *flights; /* NULL (out of memory): every miss builds */
static pthread_once_t flights_once = PTHREAD_ONCE_INIT;

static void flights_init(void)
{
	flights = flight_new(PAGE_FLIGHTS);
}

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
		if (p->gen > gen) /* built after this request looked: not this one's to drop */
			break;
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

bool page_cache_fetch(struct db *db, const char *key, uint64_t *gen, const char *day, char **body,
                      size_t *len, bool *gzip, uint64_t *ticket)
{
	*ticket = 0;
	if (page_cache_get(key, *gen, day, body, len, gzip))
		return true;
	if (disabled)
		return false;
	pthread_once(&flights_once, flights_init);
	enum flight_role role = flight_join(flights, key, *gen, PAGE_WAIT_MS, ticket);
	if (role == FLIGHT_LEAD && page_cache_get(key, *gen, day, body, len, gzip)) {
		page_cache_land(*ticket); /* built and kept since the miss above */
		*ticket = 0;
		return true;
	}
	if (role != FLIGHT_LANDED)
		return false; /* this request builds it (leading, or alone) */
	/* Another request built it: use it if nothing was committed since, that
	 * request's own handler included. Else build alone (waiting again would
	 * queue every request behind the one before for a page that writes). */
	*gen = db_generation(db);
	return *gen != 0 && page_cache_get(key, *gen, day, body, len, gzip);
}

void page_cache_land(uint64_t ticket)
{
	flight_land(flights, ticket, true);
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
