-- 001_core: departments, users, sessions, API tokens and the audit log.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
-- Instants are UTC ISO-8601 text ("YYYY-MM-DDTHH:MM:SSZ"), except session times,
-- which are unix seconds because they are compared on every request.

-- A city department or an outside agency that cases can be referred to.
-- Nothing is deleted: a department that no longer exists gets retired_at.
CREATE TABLE department (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	kind TEXT NOT NULL DEFAULT 'internal' CHECK (kind IN ('internal', 'agency')),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	retired_at TEXT
) STRICT;

-- A person who signs in. Logins compare case-insensitively (ASCII).
-- failed_logins counts consecutive wrong passwords; the fifth sets
-- locked_until (UTC ISO) and resets the counter.
CREATE TABLE app_user (
	id INTEGER PRIMARY KEY,
	login TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(login) BETWEEN 3 AND 63),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	role TEXT NOT NULL
		CHECK (role IN ('staff', 'leader', 'executive', 'department', 'admin')),
	department_id INTEGER REFERENCES department (id),
	password_hash TEXT NOT NULL,
	disabled_at TEXT,
	failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
	locked_until TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	-- a department user sees only its department's referrals, so it needs one
	CHECK (role <> 'department' OR department_id IS NOT NULL)
) STRICT;
CREATE INDEX app_user_department ON app_user (department_id);

-- A browser session. token_hash is the hex SHA-256 of the cookie value; the
-- cookie value itself is never stored. last_seen and expires_at are unix
-- seconds: a session idle too long or past expires_at is deleted on lookup.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_seen INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX session_user ON session (user_id);
CREATE INDEX session_last_seen ON session (last_seen);

-- A bearer token for the API ("bz_" + 64 hex); only its SHA-256 is stored.
CREATE TABLE api_token (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	label TEXT CHECK (label IS NULL OR length(label) <= 100),
	created_at TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at TEXT
) STRICT;
CREATE INDEX api_token_user ON api_token (user_id);

-- Who did what to which object. actor_id is NULL for the command line and for
-- the system (e.g. a lockout). detail is JSON text. Append-only: the triggers
-- below refuse every UPDATE and DELETE.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor_id INTEGER REFERENCES app_user (id),
	action TEXT NOT NULL,
	object TEXT,
	detail TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_object ON audit_log (object, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
