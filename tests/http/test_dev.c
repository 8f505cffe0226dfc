/* --dev: template edits show on the next request without a restart; without
 * --dev templates are compiled once at start. A broken template at start is a
 * clear start-up error, not a half-working server. */
#include "harness.h"

#include <stdlib.h>

static int serve_login(const char *tpldir, bool dev, const char *edit, const char *want)
{
	const char *args[] = {"--templates", tpldir, dev ? "--dev" : NULL, NULL};
	struct daemon d;
	if (t_daemon_start(&d, args) != 0)
		return -1;
	struct client c;
	t_client_init(&c, &d);
	struct resp r;
	t_get(&c, "/login", &r);
	CHECK_INT(r.status, 200);
	t_resp_free(&r);
	if (system(edit) != 0)
		CHECK(0, "edit failed: %s", edit);
	t_get(&c, "/login", &r);
	int found = r.body.s && strstr(r.body.s, want) != NULL;
	t_resp_free(&r);
	t_client_free(&c);
	CHECK_INT(t_daemon_stop(&d), 0);
	return found;
}

int main(void)
{
	char tpl[256], cmd[1024];
	t_path(tpl, sizeof(tpl), "templates");
	snprintf(cmd, sizeof(cmd), "cp -r %s/templates %s", BIZSOS_SOURCE_DIR, tpl);
	CHECK(system(cmd) == 0, "copy templates");

	snprintf(cmd, sizeof(cmd),
	         "printf '%%s' '<p>DEV-MARKER-1</p>' >> %s/error.mustache && "
	         "sed -i 's|</form>|</form><p>DEV-MARKER-1</p>|' %s/auth/login.mustache",
	         tpl, tpl);
	CHECK(serve_login(tpl, true, cmd, "DEV-MARKER-1") == 1, "--dev shows the edit at once");

	snprintf(cmd, sizeof(cmd), "sed -i 's|DEV-MARKER-1|DEV-MARKER-2|' %s/auth/login.mustache",
	         tpl);
	CHECK(serve_login(tpl, false, cmd, "DEV-MARKER-2") == 0,
	      "without --dev the compiled template stays");

	/* A template that does not compile stops the start with its name. */
	snprintf(cmd, sizeof(cmd), "printf '{{#open}}' > %s/broken.mustache", tpl);
	CHECK(system(cmd) == 0, "write broken template");
	char db[256];
	t_path(db, sizeof(db), "test.db");
	CHECK(t_run(NULL, NULL, "serve", "--db", db, "--listen", "127.0.0.1:0", "--templates", tpl,
	            NULL) == 1,
	      "broken template refused at start");
	return t_done();
}
