-- bizsos: foreign_keys off
-- A notice about a case keeps the fact (case_id), not the page's address: the
-- domain writes no URL (issue 16). notification.link becomes optional — it
-- holds only an explicit local path a caller gave — and the notices that
-- stored their case's own path keep just the case. The web layer and the
-- delivery worker compose the address when they show or send the notice.
CREATE TABLE notification_new (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	kind TEXT NOT NULL,
	case_id INTEGER REFERENCES sos_case (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	body TEXT CHECK (length(body) <= 2000),
	link TEXT CHECK (link GLOB '/*'),
	dedupe TEXT UNIQUE,
	created_at TEXT NOT NULL,
	read_at TEXT,
	digested_at TEXT,
	CHECK (link IS NOT NULL OR case_id IS NOT NULL)
) STRICT;
INSERT INTO notification_new (id, user_id, kind, case_id, title, body, link, dedupe, created_at, read_at, digested_at)
	SELECT id, user_id, kind, case_id, title, body,
	       CASE WHEN case_id IS NOT NULL AND link = '/cases/' || case_id THEN NULL ELSE link END,
	       dedupe, created_at, read_at, digested_at
	FROM notification;
DROP TABLE notification;
ALTER TABLE notification_new RENAME TO notification;
CREATE INDEX notification_user ON notification (user_id, id);
CREATE INDEX notification_unread ON notification (user_id) WHERE read_at IS NULL;
