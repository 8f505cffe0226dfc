/* Connections opened together are served side by side: a request that waits
 * (here a new case, while another process holds the database's write lock)
 * holds up no other connection. Four request threads (--threads 4); four
 * connections opened back to back, before any of them sends a byte.
 *
 * libmicrohttpd's own accepting gave every connection then pending to the
 * worker that woke first, and a worker runs its connections' requests one at a
 * time: the /healthz requests on the connections beside the waiting case went
 * unanswered until the lock went. Now each of the four is answered at once, and
 * the case is saved once the lock goes. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 4

static struct daemon d;
static char token[128];

/* Opens n connections at once (non-blocking connects back to back, so that
 * all are waiting to be accepted together), then makes them blocking. */
static void connect_all(int port, int *fd, int n)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	for (int i = 0; i < n; i++)
		fd[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0 && connect(fd[i], (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
		    errno != EINPROGRESS) {
			close(fd[i]);
			fd[i] = -1;
		}
	for (int i = 0; i < n; i++) {
		struct pollfd p = {.fd = fd[i], .events = POLLOUT};
		if (fd[i] >= 0 && (poll(&p, 1, 2000) != 1 || fcntl(fd[i], F_SETFL, 0) != 0)) {
			close(fd[i]);
			fd[i] = -1;
		}
	}
}

static bool send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* The status of the answer read from fd within ms (0: none by then). The
 * answers here are short: the status line is in the first read. */
static int status_within(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char head[512];
	if (poll(&p, 1, ms) != 1)
		return 0;
	ssize_t n = read(fd, head, sizeof(head) - 1);
	if (n < 12)
		return 0;
	head[n] = '\0';
	int status = 0;
	return sscanf(head, "HTTP/1.1 %d", &status) == 1 ? status : 0;
}

static void test_spread(void)
{
	if (t_daemon_start(&d, (const char *const[]){"--threads", "4", NULL}) != 0) {
		CHECK(0, "daemon did not start");
		return;
	}
	long long company = t_sql_int(d.db, "SELECT min(id) FROM company", NULL);
	long long category =
	    t_sql_int(d.db, "SELECT min(id) FROM case_category WHERE retired_at IS NULL", NULL);
	int fd[CONNS];
	connect_all(d.port, fd, CONNS);
	for (int i = 0; i < CONNS; i++)
		CHECK(fd[i] >= 0, "connection %d opened", i);

	/* another process's write transaction */
	sqlite3 *h = NULL;
	CHECK(sqlite3_open(d.db, &h) == SQLITE_OK && sqlite3_busy_timeout(h, 5000) == SQLITE_OK &&
	          sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK,
	      "another process holds the write lock");

	char body[256], req[1024];
	int blen = snprintf(body, sizeof(body),
	                    "{\"company_id\":%lld,\"channel\":\"phone\",\"category_id\":%lld,"
	                    "\"title\":\"옆 연결을 막지 않는 애로\"}",
	                    company, category);
	int rlen = snprintf(req, sizeof(req),
	                    "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                    "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
	                    "Content-Length: %d\r\n\r\n%s",
	                    token, blen, body);
	CHECK(send_all(fd[0], req, (size_t)rlen), "the case sent");
	CHECK_INT(status_within(fd[0], 300), 0); /* it waits for the lock */

	static const char health[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	for (int i = 1; i < CONNS; i++) {
		CHECK(send_all(fd[i], health, sizeof(health) - 1), "/healthz sent on %d", i);
		CHECK(status_within(fd[i], 2000) == 200,
		      "/healthz on connection %d answered while the case waits", i);
	}

	CHECK(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK, "the lock let go");
	sqlite3_close(h);
	CHECK_INT(status_within(fd[0], 10000), 200);
	CHECK_INT(t_sql_int(d.db, "SELECT count(*) FROM sos_case WHERE title = ?1",
	                    "옆 연결을 막지 않는 애로"),
	          1);
	for (int i = 0; i < CONNS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	CHECK_INT(t_daemon_stop(&d), 0);
}

int main(void)
{
	char db[512];
	t_demo_db(db, sizeof(db), (const char *const[]){"staff", NULL});
	t_token(db, "staff", token, sizeof(token));

	test_spread();

	t_cleanup();
	return t_done();
}
