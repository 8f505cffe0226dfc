-- 030_notify: notices in the app, per-user choices, the durable outbox that the
-- background worker (src/jobs/worker.c) delivers from, the daily runs and the
-- company status (국세청 사업자등록 상태조회).
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.

-- Where a user's mail goes (NULL: no mail; notices stay in the app).
ALTER TABLE app_user ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

-- A notice in the app for one user. kind is one of the codes of notify.c
-- (assigned, referral, answered, due_soon, overdue, followed). dedupe makes a
-- notice that the daily run writes once per case and deadline idempotent
-- across restarts. read_at NULL = unread.
CREATE TABLE notification (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	kind TEXT NOT NULL,
	case_id INTEGER REFERENCES sos_case (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	body TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
	link TEXT NOT NULL CHECK (link GLOB '/*'),
	dedupe TEXT UNIQUE,
	created_at TEXT NOT NULL,
	read_at TEXT,
	digested_at TEXT
) STRICT;
CREATE INDEX notification_user ON notification (user_id, id);
CREATE INDEX notification_unread ON notification (user_id) WHERE read_at IS NULL;

-- What a user wants per kind: 'app' (in the app only), 'email' (also a mail
-- each time), 'digest' (in the app, and one mail a day listing them). No row
-- = 'app'.
CREATE TABLE notify_pref (
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	kind TEXT NOT NULL,
	mode TEXT NOT NULL CHECK (mode IN ('app', 'email', 'digest')),
	PRIMARY KEY (user_id, kind)
) STRICT, WITHOUT ROWID;

-- A message to deliver, written in the same transaction as the change that
-- caused it: a rolled-back change leaves no row. msg_key is stable across
-- retries and restarts (Message-ID, Idempotency-Key): delivery is at least
-- once, and receivers drop repeats by the key. next_at is unix milliseconds.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	msg_key TEXT NOT NULL UNIQUE,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
	target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 254),
	kind TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	case_id INTEGER REFERENCES sos_case (id),
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	tries INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
	next_at INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	created_at TEXT NOT NULL,
	sent_at TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox (next_at) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox (status, id);

-- One row per daily job and KST day it ran (deadline notices, digests, the
-- nightly status batch): a restart the same day does not run it twice.
CREATE TABLE job_run (
	job TEXT NOT NULL,
	day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	at TEXT NOT NULL,
	PRIMARY KEY (job, day)
) STRICT, WITHOUT ROWID;

-- The business status of a company as the tax office's service last said it.
-- status_cd: '01' 계속사업자, '02' 휴업자, '03' 폐업자, '' not registered, NULL
-- never answered. pending = a check is wanted (set by the triggers below on
-- every new or changed company and by the nightly batch; the worker clears it).
CREATE TABLE company_status (
	company_id INTEGER PRIMARY KEY REFERENCES company (id),
	status_cd TEXT,
	status TEXT,
	tax_type TEXT,
	end_dt TEXT,
	checked_at TEXT,
	pending INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1)),
	last_error TEXT,
	tries INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX company_status_pending ON company_status (next_at) WHERE pending = 1;

INSERT INTO company_status (company_id) SELECT id FROM company WHERE retired_at IS NULL;

CREATE TRIGGER company_status_new AFTER INSERT ON company
BEGIN
	INSERT INTO company_status (company_id) VALUES (new.id)
	ON CONFLICT (company_id) DO UPDATE SET pending = 1, tries = 0, next_at = 0;
END;
CREATE TRIGGER company_status_changed AFTER UPDATE ON company
BEGIN
	INSERT INTO company_status (company_id) VALUES (new.id)
	ON CONFLICT (company_id) DO UPDATE SET pending = 1, tries = 0, next_at = 0;
END;
