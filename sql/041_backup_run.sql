-- 041_backup_run: one row per backup the daemon took on its schedule (or an
-- admin started): when, where, whether it passed its integrity check, and
-- its size. The admin page and /healthz?deep=1 show the last good one.
CREATE TABLE backup_run (
	id INTEGER PRIMARY KEY,
	started_at TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	path TEXT NOT NULL,
	ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
	db_bytes INTEGER NOT NULL DEFAULT 0,
	files INTEGER NOT NULL DEFAULT 0,
	file_bytes INTEGER NOT NULL DEFAULT 0,
	message TEXT
) STRICT;
CREATE INDEX backup_run_ok ON backup_run (ok, id);
