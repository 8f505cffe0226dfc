/* Crash safety (issue 15): four writers create SOS cases and phone-form visits
 * through the API while the daemon is SIGKILLed at random moments, several
 * times, and restarted on the same database. Afterwards every write that was
 * acknowledged with a 2xx is present exactly once, no case number is
 * duplicated, and PRAGMA integrity_check answers ok. Bounded to a few seconds. */
#include "harness.h"
#include "sinks.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WRITERS 4
#define KILLS   5
#define MAX_ACK 4096

static struct daemon d;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char base[64];
static char token[128];
static volatile bool stop;
static long long company, category, staff_id;

struct ack {
	char kind; /* 'c' case (title), 'v' visit (idempotency key) */
	char id[64];
};
static struct ack acks[MAX_ACK];
static int nacks, attempts;

static void *writer(void *arg)
{
	int w = (int)(intptr_t)arg;
	unsigned seed = (unsigned)w * 7919u + 1;
	for (int n = 0; !stop; n++) {
		char b[64];
		pthread_mutex_lock(&mu);
		bz_strlcpy(b, base, sizeof(b));
		pthread_mutex_unlock(&mu);
		struct daemon view = d;
		bz_strlcpy(view.base, b, sizeof(view.base));
		struct client c;
		t_client_init(&c, &view);
		curl_easy_setopt(c.curl, CURLOPT_TIMEOUT_MS, 3000L);
		bz_strlcpy(c.bearer, token, sizeof(c.bearer));
		struct ack a;
		char form[512];
		if (rand_r(&seed) % 2) {
			a.kind = 'c';
			snprintf(a.id, sizeof(a.id), "crash-w%d-n%d", w, n);
			snprintf(form, sizeof(form),
			         "{\"company_id\":%lld,\"channel\":\"phone\",\"category_id\":%lld,"
			         "\"title\":\"%s\",\"received_on\":\"\"}",
			         company, category, a.id);
		} else {
			a.kind = 'v';
			snprintf(a.id, sizeof(a.id), "%08x%08x%08x%08x", (unsigned)w, (unsigned)n,
			         rand_r(&seed), rand_r(&seed));
			snprintf(form, sizeof(form),
			         "{\"idempotency_key\":\"%s\",\"rows\":\"1\",\"staff\":\"%lld\","
			         "\"summary\":\"visit "
			         "%d-%d\",\"company_id\":\"%lld\",\"action\":\"save\"}",
			         a.id, staff_id, w, n, company);
		}
		struct resp r;
		int st =
		    t_request(&c, "POST", a.kind == 'c' ? "/api/v1/cases" : "/api/v1/visits/new",
		              "application/json", form, strlen(form), NULL, &r);
		t_resp_free(&r);
		t_client_free(&c);
		pthread_mutex_lock(&mu);
		attempts++;
		if (st >= 200 && st < 300 && nacks < MAX_ACK)
			acks[nacks++] = a;
		pthread_mutex_unlock(&mu);
		if (st == 0) {
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

int main(void)
{
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}
	t_token(d.db, "staff", token, sizeof(token));
	sqlite3 *h;
	CHECK(sqlite3_open(d.db, &h) == SQLITE_OK, "open");
	sqlite3_busy_timeout(h, 10000);
	sqlite3_exec(h,
	             "INSERT INTO company (name, name_key, brn, created_at, updated_at) VALUES "
	             "('충돌시험(주)', '충돌시험', '1208147521', '2026-01-01T00:00:00Z', "
	             "'2026-01-01T00:00:00Z')",
	             NULL, NULL, NULL);
	sqlite3_close(h);
	company = t_sql_int(d.db, "SELECT id FROM company WHERE brn = '1208147521'", NULL);
	category = t_sql_int(d.db, "SELECT min(id) FROM case_category", NULL);
	staff_id = t_sql_int(d.db, "SELECT id FROM app_user WHERE login = 'staff'", NULL);
	bz_strlcpy(base, d.base, sizeof(base));

	pthread_t th[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		pthread_create(&th[i], NULL, writer, (void *)(intptr_t)i);
	unsigned seed = (unsigned)time(NULL);
	int kills = 0;
	for (int k = 0; k < KILLS; k++) {
		t_sleep_ms(300 + (int)(rand_r(&seed) % 900));
		kill(d.pid, SIGKILL);
		int status;
		waitpid(d.pid, &status, 0);
		d.pid = 0;
		kills++;
		if (t_daemon_start(&d, NULL) != 0) {
			CHECK(0, "daemon did not restart after kill %d", kills);
			break;
		}
		pthread_mutex_lock(&mu);
		bz_strlcpy(base, d.base, sizeof(base));
		pthread_mutex_unlock(&mu);
	}
	t_sleep_ms(300);
	stop = true;
	for (int i = 0; i < WRITERS; i++)
		pthread_join(th[i], NULL);
	CHECK_INT(t_daemon_stop(&d), 0);

	int lost = 0, ncases = 0;
	for (int i = 0; i < nacks; i++) {
		ncases += acks[i].kind == 'c';
		long long n =
		    acks[i].kind == 'c'
		        ? t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE title = ?1",
		                    acks[i].id)
		        : t_sql_int(d.db,
		                    "SELECT count(*) FROM activity WHERE idempotency_key = ?1",
		                    acks[i].id);
		if (n != 1) {
			lost++;
			CHECK(n == 1, "acknowledged %s %s found %lld times",
			      acks[i].kind == 'c' ? "case" : "visit", acks[i].id, n);
		}
	}
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) - count(DISTINCT case_no) FROM sos_case", NULL),
	          0);
	sqlite3 *ic;
	char result[64] = "";
	if (sqlite3_open(d.db, &ic) == SQLITE_OK) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(ic, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				bz_strlcpy(result, (const char *)sqlite3_column_text(st, 0),
				           sizeof(result));
			sqlite3_finalize(st);
		}
		sqlite3_close(ic);
	}
	CHECK_STR(result, "ok");
	CHECK(ncases > 10 && nacks - ncases > 10, "acknowledged %d cases and %d visits", ncases,
	      nacks - ncases);
	printf("figure: %d kills, %d writes attempted, %d acknowledged (%d cases, %d visits), %d "
	       "lost; integrity_check %s\n",
	       kills, attempts, nacks, ncases, nacks - ncases, lost, result);
	return t_done();
}
