/* HTTPS: --tls-cert/--tls-key serve TLS; session cookies are Secure and HSTS is
 * sent. The certificate is a throwaway self-signed one made here with openssl. */
#include "harness.h"

#include <stdlib.h>

int main(void)
{
	char cert[256], key[256], cmd[1024];
	t_path(cert, sizeof(cert), "cert.pem");
	t_path(key, sizeof(key), "key.pem");
	snprintf(cmd, sizeof(cmd),
	         "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
	         "-keyout %s -out %s >/dev/null 2>&1",
	         key, cert);
	if (system(cmd) != 0) {
		CHECK(0, "openssl could not make a test certificate");
		return t_done();
	}
	const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
	struct daemon d;
	if (t_daemon_start(&d, args) != 0) {
		CHECK(0, "daemon did not start with TLS");
		return t_done();
	}
	CHECK(strncmp(d.base, "https://", 8) == 0, "serves https: %s", d.base);
	struct client c;
	t_client_init(&c, &d);
	struct resp r;
	CHECK_INT(t_get(&c, "/healthz", &r), 200);
	char hsts[128] = "";
	CHECK(t_header(&r, "Strict-Transport-Security", hsts, sizeof(hsts)), "HSTS sent");
	t_resp_free(&r);

	t_fetch_csrf(&c, "/login");
	struct buf form;
	buf_init(&form, 0);
	buf_printf(&form, "login=staff&password=%s", T_PASSWORD);
	t_post_form(&c, "/login", buf_cstr(&form), &r);
	CHECK_INT(r.status, 303);
	char cookie[256] = "";
	CHECK(t_header(&r, "Set-Cookie", cookie, sizeof(cookie)), "cookie set");
	CHECK_CONTAINS(cookie, "Secure");
	CHECK_CONTAINS(cookie, "HttpOnly");
	CHECK_CONTAINS(cookie, "SameSite=Lax");
	t_resp_free(&r);
	buf_free(&form);
	t_client_free(&c);

	/* 13. TLS 1.0 and 1.1 are refused; TLS 1.2 is accepted. openssl's own
	 * security level is lowered so that the client would offer TLS 1.1. */
	char port[16];
	snprintf(port, sizeof(port), "%d", d.port);
	for (int v = 0; v < 3; v++) {
		static const char *const flags[] = {"-tls1", "-tls1_1", "-tls1_2"};
		snprintf(cmd, sizeof(cmd),
		         "openssl s_client -connect 127.0.0.1:%s %s -cipher DEFAULT@SECLEVEL=0 "
		         "</dev/null >/dev/null 2>&1",
		         port, flags[v]);
		int rc = system(cmd);
		if (v < 2)
			CHECK(rc != 0, "a %s handshake was accepted", flags[v]);
		else
			CHECK(rc == 0, "a TLS 1.2 handshake was refused");
	}

	/* Bad TLS settings are refused at start with a clear message. */
	CHECK(t_run(NULL, NULL, "serve", "--db", d.db, "--tls-cert", cert, NULL) == 2,
	      "--tls-cert without --tls-key is refused");
	CHECK_INT(t_daemon_stop(&d), 0);
	return t_done();
}
