-- 040_privacy_log: privacy_access becomes the 개인정보 접속기록 — one row per
-- view, entry, change, deletion, print or download of a person's data, with
-- the account, the client address, whose data, the action and (for downloads)
-- the reason; hash-chained row to row so that a changed, forged or removed row
-- is found by `bizsos audit verify`. The existing rows are carried over as
-- views of company contacts and chained in id order.
--
-- hash = bz_chain(prev_hash, id, at, user_id, login, action, subject_kind,
--                 subject_id, subject, company_id, what, reason, remote)
-- (src/store/db.c); prev_hash of the first row is 64 zeros, or the head of
-- the last purge (privacy_anchor) once rows older than the retention period
-- have been removed.

DROP TRIGGER privacy_access_no_update;
DROP TRIGGER privacy_access_no_delete;
DROP INDEX privacy_access_at;
DROP INDEX privacy_access_user;
DROP INDEX privacy_access_company;
ALTER TABLE privacy_access RENAME TO privacy_access_v1;

CREATE TABLE privacy_access (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	-- the account as it was named at the time
	login TEXT NOT NULL,
	action TEXT NOT NULL
		CHECK (action IN ('view', 'enter', 'change', 'delete', 'print', 'download')),
	-- whose data: kind of record ('company' for its contacts, 'request' for the
	-- requester of an online request, 'list' for a list download), its id, and
	-- a label a reviewer can read (e.g. "㈜한빛정밀 담당자")
	subject_kind TEXT NOT NULL CHECK (length(subject_kind) BETWEEN 1 AND 40),
	subject_id INTEGER,
	subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
	company_id INTEGER REFERENCES company (id),
	-- which data, e.g. 'contacts:3' (three contacts in full)
	what TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 200),
	reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
	remote TEXT,
	prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
	hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
	CHECK (action <> 'download' OR length(trim(COALESCE(reason, ''))) >= 2)
) STRICT;
CREATE INDEX privacy_access_at ON privacy_access (at);
CREATE INDEX privacy_access_user ON privacy_access (user_id, at);
CREATE INDEX privacy_access_company ON privacy_access (company_id, at);
CREATE INDEX privacy_access_subject ON privacy_access (subject_kind, subject_id, at);

-- A purge (rows older than the retention period removed, oldest first) or a
-- monthly review leaves an anchor: the chain's head at that moment. verify
-- starts the chain at the last purge's head and checks that every reviewed
-- head is still in the chain. Append-only.
CREATE TABLE privacy_anchor (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('purge', 'review')),
	head_id INTEGER NOT NULL,
	head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
	rows INTEGER NOT NULL DEFAULT 0
) STRICT;

WITH RECURSIVE chain (id, prev_hash, hash) AS (
	SELECT o.id, '0000000000000000000000000000000000000000000000000000000000000000',
	       bz_chain('0000000000000000000000000000000000000000000000000000000000000000',
	                o.id, o.at, o.user_id, u.login, 'view', 'company', o.company_id,
	                COALESCE(c.name, '기업') || ' 담당자', o.company_id, o.what, NULL, o.remote)
	FROM privacy_access_v1 o
	JOIN app_user u ON u.id = o.user_id
	LEFT JOIN company c ON c.id = o.company_id
	WHERE o.id = (SELECT min(id) FROM privacy_access_v1)
	UNION ALL
	SELECT o.id, chain.hash,
	       bz_chain(chain.hash, o.id, o.at, o.user_id, u.login, 'view', 'company', o.company_id,
	                COALESCE(c.name, '기업') || ' 담당자', o.company_id, o.what, NULL, o.remote)
	FROM chain
	JOIN privacy_access_v1 o ON o.id = (SELECT min(id) FROM privacy_access_v1 WHERE id > chain.id)
	JOIN app_user u ON u.id = o.user_id
	LEFT JOIN company c ON c.id = o.company_id
)
INSERT INTO privacy_access (id, at, user_id, login, action, subject_kind, subject_id, subject,
                            company_id, what, reason, remote, prev_hash, hash)
SELECT o.id, o.at, o.user_id, u.login, 'view', 'company', o.company_id,
       COALESCE(c.name, '기업') || ' 담당자', o.company_id, o.what, NULL, o.remote,
       chain.prev_hash, chain.hash
FROM chain
JOIN privacy_access_v1 o ON o.id = chain.id
JOIN app_user u ON u.id = o.user_id
LEFT JOIN company c ON c.id = o.company_id;

DROP TABLE privacy_access_v1;

-- Append-only: no UPDATE ever; DELETE only of rows older than two years (the
-- legal floor, whatever the configuration says) that a purge has anchored.
CREATE TRIGGER privacy_access_no_update BEFORE UPDATE ON privacy_access
BEGIN
	SELECT RAISE(ABORT, 'privacy_access is append-only');
END;
CREATE TRIGGER privacy_access_no_delete BEFORE DELETE ON privacy_access
WHEN OLD.at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 years')
	OR OLD.id > COALESCE((SELECT max(head_id) FROM privacy_anchor WHERE kind = 'purge'), 0)
BEGIN
	SELECT RAISE(ABORT, 'privacy_access is append-only');
END;
CREATE TRIGGER privacy_anchor_no_update BEFORE UPDATE ON privacy_anchor
BEGIN
	SELECT RAISE(ABORT, 'privacy_anchor is append-only');
END;
CREATE TRIGGER privacy_anchor_no_delete BEFORE DELETE ON privacy_anchor
BEGIN
	SELECT RAISE(ABORT, 'privacy_anchor is append-only');
END;

-- The monthly review of the access log (month 'YYYY-MM'): who reviewed it,
-- when, with what note, and the chain head they saw (an anchor). One per month.
CREATE TABLE privacy_review (
	id INTEGER PRIMARY KEY,
	month TEXT NOT NULL UNIQUE CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
	reviewed_at TEXT NOT NULL,
	reviewer_id INTEGER NOT NULL REFERENCES app_user (id),
	note TEXT CHECK (note IS NULL OR length(note) <= 2000),
	anchor_id INTEGER NOT NULL REFERENCES privacy_anchor (id)
) STRICT;
CREATE TRIGGER privacy_review_no_update BEFORE UPDATE ON privacy_review
BEGIN
	SELECT RAISE(ABORT, 'privacy_review is append-only');
END;
CREATE TRIGGER privacy_review_no_delete BEFORE DELETE ON privacy_review
BEGIN
	SELECT RAISE(ABORT, 'privacy_review is append-only');
END;

-- Rights changes (user.add, user.role, user.disable, user.enable in
-- audit_log) are listed from audit_log, which is append-only: kept for good,
-- beyond the three years required.
CREATE INDEX audit_log_action ON audit_log (action, at);
