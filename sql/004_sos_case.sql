-- 004_sos_case: SOS cases (기업애로), their categories, numbering, referrals to
-- departments, the append-only history, notes, attachments and full-text search.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
-- Runs after 003_company.sql: company (id) exists.
-- Dates are "YYYY-MM-DD" (KST calendar days); instants UTC ISO-8601 text.
-- Codes are English (the API's vocabulary); Korean labels live in sos_case.c.

-- A grievance category, with its default processing period in working days.
-- Admins edit names and periods; a category is retired, never deleted.
CREATE TABLE case_category (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 50),
	default_days INTEGER NOT NULL CHECK (default_days BETWEEN 1 AND 365),
	sort INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	retired_at TEXT
) STRICT;

-- The categories of issue 3; 14 working days for 인허가·규제 and for 제도개선
-- (a request to change a rule), 7 for the rest.
INSERT INTO case_category (name, default_days, sort) VALUES
	('인력', 7, 10),
	('자금', 7, 20),
	('판로·수출', 7, 30),
	('공장설립·입지', 7, 40),
	('인허가·규제', 14, 50),
	('기술·인증', 7, 60),
	('기반시설', 7, 70),
	('환경', 7, 80),
	('노무', 7, 90),
	('세무·회계', 7, 100),
	('제도개선', 14, 110),
	('기타', 7, 120);

-- The last case number given out per year: SOS-2024-0007 is year 2024, 7.
-- Bumped inside the transaction that inserts the case, so numbers are never
-- reused (a rolled-back insert rolls the bump back with it).
CREATE TABLE case_seq (
	year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
	last INTEGER NOT NULL CHECK (last >= 0)
) STRICT;

CREATE TABLE sos_case (
	id INTEGER PRIMARY KEY,
	case_no TEXT NOT NULL UNIQUE CHECK (case_no GLOB 'SOS-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]*'),
	company_id INTEGER NOT NULL REFERENCES company (id),
	received_at TEXT NOT NULL,
	received_on TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	channel TEXT NOT NULL CHECK (channel IN ('visit', 'meeting', 'onestop', 'mobile', 'phone',
		'walkin', 'online', 'letter', 'other')),
	category_id INTEGER NOT NULL REFERENCES case_category (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
	request TEXT NOT NULL DEFAULT '' CHECK (length(request) <= 10000),
	triage TEXT NOT NULL DEFAULT 'single' CHECK (triage IN ('single', 'complex')),
	flag TEXT CHECK (flag IS NULL OR flag IN ('red', 'yellow')),
	status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'reviewing',
		'in_progress', 'done', 'transferred', 'withdrawn')),
	status_reason TEXT,
	disposition TEXT CHECK (disposition IS NULL OR disposition IN ('immediate', 'long_term',
		'system')),
	outcome TEXT CHECK (outcome IS NULL OR outcome IN ('accepted', 'partial', 'rejected')),
	outcome_reason TEXT,
	closed_on TEXT,
	transfer_to TEXT,
	transfer_on TEXT,
	transfer_answer TEXT,
	notified_method TEXT CHECK (notified_method IS NULL OR notified_method IN ('letter', 'email',
		'sms', 'phone')),
	notified_on TEXT,
	due_on TEXT NOT NULL,
	extended_due_on TEXT,
	extension_reason TEXT,
	assignee_id INTEGER REFERENCES app_user (id),
	reassign_count INTEGER NOT NULL DEFAULT 0 CHECK (reassign_count >= 0),
	merged_into INTEGER REFERENCES sos_case (id),
	created_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (status <> 'done' OR (disposition IS NOT NULL AND outcome IS NOT NULL
		AND notified_method IS NOT NULL AND notified_on IS NOT NULL)),
	CHECK (outcome IS NULL OR outcome = 'accepted' OR length(outcome_reason) > 0),
	CHECK (extended_due_on IS NULL OR (extended_due_on > due_on AND length(extension_reason) > 0)),
	CHECK (merged_into IS NULL OR merged_into <> id)
) STRICT;
CREATE INDEX sos_case_company ON sos_case (company_id, category_id);
CREATE INDEX sos_case_status ON sos_case (status, due_on);
CREATE INDEX sos_case_received ON sos_case (received_on);
CREATE INDEX sos_case_assignee ON sos_case (assignee_id);

-- A referral of a case to a department or an outside agency: one lead per
-- case, the others cooperating. reassigned_count counts how often it came
-- back (returned) and was sent on again.
CREATE TABLE case_referral (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES sos_case (id),
	department_id INTEGER NOT NULL REFERENCES department (id),
	role TEXT NOT NULL CHECK (role IN ('lead', 'coop')),
	owner_id INTEGER REFERENCES app_user (id),
	due_on TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'returned')),
	answer TEXT,
	answered_at TEXT,
	answered_by INTEGER REFERENCES app_user (id),
	reassigned_count INTEGER NOT NULL DEFAULT 0 CHECK (reassigned_count >= 0),
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES app_user (id)
) STRICT;
CREATE INDEX case_referral_case ON case_referral (case_id);
CREATE INDEX case_referral_department ON case_referral (department_id, status);
-- at most one lead per case
CREATE UNIQUE INDEX case_referral_one_lead ON case_referral (case_id) WHERE role = 'lead';

-- Every change to a case: who, when, what (kind, field), old -> new, a note.
-- Append-only: the triggers refuse UPDATE and DELETE.
CREATE TABLE case_event (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES sos_case (id),
	at TEXT NOT NULL,
	actor_id INTEGER REFERENCES app_user (id),
	kind TEXT NOT NULL,
	field TEXT,
	old TEXT,
	new TEXT,
	note TEXT
) STRICT;
CREATE INDEX case_event_case ON case_event (case_id, id);
CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
BEGIN
	SELECT RAISE(ABORT, 'case_event is append-only');
END;
CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event
BEGIN
	SELECT RAISE(ABORT, 'case_event is append-only');
END;

-- Notes: internal by default; shared = 1 is what the company may see.
CREATE TABLE case_note (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES sos_case (id),
	at TEXT NOT NULL,
	author_id INTEGER REFERENCES app_user (id),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1))
) STRICT;
CREATE INDEX case_note_case ON case_note (case_id, id);

-- Files: stored under <data_dir>/attachments/ (outside static/) by sha256,
-- served only through the case's download handler as an attachment.
CREATE TABLE case_attachment (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES sos_case (id),
	at TEXT NOT NULL,
	uploader_id INTEGER REFERENCES app_user (id),
	filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size >= 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
	stored_path TEXT NOT NULL
) STRICT;
CREATE INDEX case_attachment_case ON case_attachment (case_id, id);

-- Full-text search over title, description, request and every note of a case
-- (rowid = sos_case.id), kept in step by the triggers below. The trigram
-- tokenizer matches terms of three characters or more; shorter terms are
-- searched with instr() (see include/bizsos/search.h).
CREATE VIRTUAL TABLE case_fts USING fts5 (title, description, request, notes,
	tokenize = 'trigram');

CREATE TRIGGER sos_case_fts_insert AFTER INSERT ON sos_case
BEGIN
	INSERT INTO case_fts (rowid, title, description, request, notes)
	VALUES (new.id, new.title, new.description, new.request, '');
END;
CREATE TRIGGER sos_case_fts_update AFTER UPDATE OF title, description, request ON sos_case
BEGIN
	UPDATE case_fts SET title = new.title, description = new.description,
		request = new.request WHERE rowid = new.id;
END;
CREATE TRIGGER case_note_fts_insert AFTER INSERT ON case_note
BEGIN
	UPDATE case_fts SET notes = (SELECT group_concat(body, char(10)) FROM case_note
		WHERE case_id = new.case_id) WHERE rowid = new.case_id;
END;
CREATE TRIGGER case_note_no_delete BEFORE DELETE ON case_note
BEGIN
	SELECT RAISE(ABORT, 'case_note is append-only');
END;
CREATE TRIGGER sos_case_no_delete BEFORE DELETE ON sos_case
BEGIN
	SELECT RAISE(ABORT, 'cases are never deleted');
END;
