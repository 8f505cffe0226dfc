/* Staying up under abuse (issue 15, points 1 and 12): a flood of idle
 * connections from one address, a client trickling its headers or its body,
 * and a URL that tries to write a fake access-log line. Throughout, another
 * client's /healthz is answered. The attackers connect from other loopback
 * addresses (127.0.0.2, 127.0.0.3), the healthy client from 127.0.0.1. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLOOD 1100 /* more than libmicrohttpd's default limit of ~1020 */

/* A socket bound to source address from, connecting to the daemon; -1 on failure. */
static int connect_from(const char *from, int port, bool nonblocking)
{
	int fd = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in src = {.sin_family = AF_INET};
	inet_pton(AF_INET, from, &src.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
		close(fd);
		return -1;
	}
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The slowest of n /healthz requests in ms, or -1 if one failed (3 s timeout). */
static double healthz_worst(const struct daemon *d, int n)
{
	struct client c;
	t_client_init(&c, d);
	curl_easy_setopt(c.curl, CURLOPT_TIMEOUT_MS, 3000L);
	curl_easy_setopt(c.curl, CURLOPT_FORBID_REUSE, 1L);
	double worst = 0;
	for (int i = 0; i < n; i++) {
		struct resp r;
		double t0 = t_now_ms();
		int st = t_get(&c, "/healthz", &r);
		double dt = t_now_ms() - t0;
		t_resp_free(&r);
		if (st != 200) {
			worst = -1;
			break;
		}
		if (dt > worst)
			worst = dt;
	}
	t_client_free(&c);
	return worst;
}

/* True if the server closed fd within seconds, while the client kept sending
 * step (a header line or a body byte) every 300 ms. */
static bool closed_while_trickling(int fd, const char *first, const char *step, int seconds)
{
	if (write(fd, first, strlen(first)) < 0)
		return true;
	double end = t_now_ms() + seconds * 1000.0;
	while (t_now_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 300) > 0) {
			char b[512];
			ssize_t n = read(fd, b, sizeof(b));
			if (n <= 0)
				return true;
			/* a 408 or similar answer, then the close */
			continue;
		}
		if (write(fd, step, strlen(step)) < 0)
			return true;
	}
	return false;
}

static void flood(const struct daemon *d)
{
	static int fds[FLOOD];
	int opened = 0;
	for (int i = 0; i < FLOOD; i++) {
		fds[i] = connect_from("127.0.0.2", d->port, true);
		if (fds[i] >= 0)
			opened++;
	}
	CHECK(opened > 1000, "opened %d idle connections", opened);
	/* Let the daemon accept (and refuse over the per-address limit). */
	struct timespec ts = {0, 500 * 1000 * 1000};
	nanosleep(&ts, NULL);
	double worst = healthz_worst(d, 50);
	CHECK(worst >= 0 && worst < 1000,
	      "/healthz answered (worst %.0f ms) while %d idle "
	      "connections were open",
	      worst, opened);
	printf("figure: %d idle connections from one address held; /healthz worst of 50: %.1f ms\n",
	       opened, worst);
	for (int i = 0; i < FLOOD; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int main(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);

	setenv("BIZSOS_MAX_PER_ADDRESS", "32", 1);
	setenv("BIZSOS_HEADER_TIMEOUT", "2", 1);
	setenv("BIZSOS_BODY_TIMEOUT", "2", 1);
	struct daemon d;
	if (t_daemon_start(&d, NULL) != 0) {
		CHECK(0, "daemon did not start");
		return t_done();
	}

	/* 1. An idle flood from one address leaves the service to everyone else. */
	flood(&d);

	/* 1. A client trickling a header line every 300 ms is cut off after the
	 *    header deadline (2 s here), though it is never inactive. */
	int fd = connect_from("127.0.0.3", d.port, false);
	CHECK(fd >= 0, "connect");
	double t0 = t_now_ms();
	CHECK(
	    closed_while_trickling(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", 8),
	    "a trickled request head was cut off");
	double took = t_now_ms() - t0;
	CHECK(took < 5000, "cut after %.0f ms", took);
	close(fd);

	/* 1. The same for a body trickled a byte at a time. */
	fd = connect_from("127.0.0.3", d.port, false);
	CHECK(closed_while_trickling(fd,
	                             "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
	                             "application/x-www-form-urlencoded\r\nContent-Length: "
	                             "100000\r\n\r\n",
	                             "a", 8),
	      "a trickled body was cut off");
	close(fd);

	/* A normal request on a kept-alive connection still works. */
	CHECK(healthz_worst(&d, 3) >= 0, "healthz after the slow clients");

	/* 12. A newline in the URL cannot write a line of its own into the log. */
	struct client c;
	t_client_init(&c, &d);
	curl_easy_setopt(c.curl, CURLOPT_PATH_AS_IS, 1L);
	struct resp r;
	t_get(&c, "/x%0a2026-01-01T00:00:00Z%20access%20GET%20/admin/users%20200%200%201us%20uid=5",
	      &r);
	CHECK_INT(r.status, 404);
	t_resp_free(&r);
	t_get(&c, "/y%0d%1b[2J%7f", &r);
	t_resp_free(&r);
	t_client_free(&c);
	CHECK_INT(t_daemon_stop(&d), 0);

	FILE *f = fopen(d.log, "r");
	CHECK(f != NULL, "open log");
	char line[4096];
	bool forged = false, escaped = false, raw_ctl = false;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "2026-01-01T00:00:00Z", 20) == 0)
			forged = true;
		if (strstr(line, "/x\\x0a2026-01-01T00:00:00Z access GET"))
			escaped = true;
		for (char *p = line; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\n')
				raw_ctl = true;
	}
	if (f)
		fclose(f);
	CHECK(!forged, "a forged log line was written");
	CHECK(escaped, "the newline in the URL is logged as \\x0a");
	CHECK(!raw_ctl, "no raw control character in the log");
	return t_done();
}
