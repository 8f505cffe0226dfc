/* The running daemon: its settings, templates and per-thread database handles. */
#ifndef BIZSOS_APP_H
#define BIZSOS_APP_H

#include "bizsos/config.h"
#include "bizsos/store.h"
#include "bizsos/view.h"
#include <time.h>

struct app {
	struct config cfg;
	struct view *view;
	char static_real[PATH_MAX]; /* realpath of cfg.static_dir */
	char tmp_dir[PATH_MAX];     /* data_dir/tmp: streamed uploads */
	int port;                   /* the bound port */
	time_t started;             /* when serving began (health checks) */
};

/* This worker thread's database connection, opened on first use and closed when
 * the thread ends. NULL (logged) if it cannot be opened. */
struct db *app_db(struct app *app);

/* Serves until SIGTERM/SIGINT; finishes in-flight requests, then returns 0. */
int server_run(struct app *app);

#endif
