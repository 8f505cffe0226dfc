-- 005_activity: field work — activities (visits, meetings, letters, education)
-- with their companies, staff, attendees, agencies, photos, follow-ups and the
-- cases they raised or discussed; improvement grants (소규모 기업환경 개선사업);
-- citizen-communication entries (시민소통).
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
-- Runs after 003_company.sql and 004_sos_case.sql: company (id), sos_case (id) exist.
-- Dates are "YYYY-MM-DD" (KST calendar days); instants UTC ISO-8601 text.
-- Table and column names shared with the card (sql/006) are fixed by contract.

-- A kind of activity, mapped to a row of the card's 추진실적 (card_row). Sub-kinds
-- (parent_id) share their parent's card_row. Admins add, rename and retire them.
CREATE TABLE activity_type (
	id INTEGER PRIMARY KEY,
	code TEXT UNIQUE CHECK (code IS NULL OR (length(code) BETWEEN 1 AND 40
		AND code NOT GLOB '*[^a-z0-9_]*')),
	name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 50),
	card_row TEXT CHECK (card_row IS NULL OR card_row IN ('operating_plan', 'mayor_site_visit',
		'roundtable', 'mobile_squad', 'one_stop_meeting', 'comm_day', 'anniversary_letter',
		'education')),
	parent_id INTEGER REFERENCES activity_type (id),
	sort INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	retired_at TEXT,
	CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;

INSERT INTO activity_type (id, code, name, card_row, parent_id, sort) VALUES
	(1, 'operating_plan', '운영계획 수립', 'operating_plan', NULL, 10),
	(2, 'mayor_site_visit', '시장 기업체 현장방문', 'mayor_site_visit', NULL, 20),
	(3, 'roundtable', '기업애로 간담회', 'roundtable', NULL, 30),
	(4, 'chamber_breakfast', '상공회의소 조찬 간담회', 'roundtable', 3, 31),
	(5, 'new_year_greeting', '상공인 신년인사회', 'roundtable', 3, 32),
	(6, 'mayor_roundtable', '시장 주관 기업애로 간담회', 'roundtable', 3, 33),
	(7, 'one_stop_meeting', '기업원스톱처리 회의', 'one_stop_meeting', NULL, 40),
	(8, 'mobile_squad', '찾아가는 기업SOS 기동반', 'mobile_squad', NULL, 50),
	(9, 'comm_day', '발로뛰는 기업소통 Day', 'comm_day', NULL, 60),
	(10, 'anniversary_letter', '창립기념일 축하서한문 전달', 'anniversary_letter', NULL, 70),
	(11, 'education', '지식산업센터 교육', 'education', NULL, 80);

-- One thing the team did: a visit, a meeting, a letter handed over, a class.
-- idempotency_key is the random key of the form that created it (the phone
-- form): a second POST with the same key finds this row instead of creating
-- another. version counts edits (optimistic concurrency).
CREATE TABLE activity (
	id INTEGER PRIMARY KEY,
	type_id INTEGER NOT NULL REFERENCES activity_type (id),
	held_on TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	starts_at TEXT CHECK (starts_at IS NULL OR starts_at GLOB '[0-2][0-9]:[0-5][0-9]'),
	ends_at TEXT CHECK (ends_at IS NULL OR ends_at GLOB '[0-2][0-9]:[0-5][0-9]'),
	place TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 200),
	title TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 200),
	summary TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	idempotency_key TEXT UNIQUE CHECK (idempotency_key IS NULL OR
		(length(idempotency_key) BETWEEN 16 AND 64 AND idempotency_key NOT GLOB '*[^0-9a-f]*'))
) STRICT;
CREATE INDEX activity_held ON activity (held_on);
CREATE INDEX activity_type_held ON activity (type_id, held_on);

-- The companies an activity concerned (one or many).
CREATE TABLE activity_company (
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	company_id INTEGER NOT NULL REFERENCES company (id),
	PRIMARY KEY (activity_id, company_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_company_company ON activity_company (company_id);

-- The staff who went.
CREATE TABLE activity_staff (
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	PRIMARY KEY (activity_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_staff_user ON activity_staff (user_id);

-- People from outside who attended, with their organisation.
CREATE TABLE activity_attendee (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	organisation TEXT NOT NULL DEFAULT '' CHECK (length(organisation) <= 100)
) STRICT;
CREATE INDEX activity_attendee_activity ON activity_attendee (activity_id);

-- Departments and outside agencies present (one-stop meetings).
CREATE TABLE activity_agency (
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	department_id INTEGER NOT NULL REFERENCES department (id),
	PRIMARY KEY (activity_id, department_id)
) STRICT, WITHOUT ROWID;

-- A photo, stored under <data_dir>/photos/ (outside static/) by its sha256;
-- content_type was sniffed from the bytes (JPEG, PNG or WebP only).
CREATE TABLE activity_photo (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	caption TEXT NOT NULL DEFAULT '' CHECK (length(caption) <= 200),
	stored_path TEXT NOT NULL CHECK (length(stored_path) BETWEEN 1 AND 300),
	content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
	width INTEGER CHECK (width IS NULL OR width > 0),
	height INTEGER CHECK (height IS NULL OR height > 0),
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
CREATE INDEX activity_photo_activity ON activity_photo (activity_id);

-- What is to be done after the activity.
CREATE TABLE activity_followup (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
	done_on TEXT,
	created_at TEXT NOT NULL
) STRICT;
CREATE INDEX activity_followup_activity ON activity_followup (activity_id);

-- Cases linked to an activity: the grievances it raised (kind 'raised'), or
-- the complex cases on a one-stop meeting's agenda (kind 'agenda') with the
-- decision recorded for each (the decision also lands in the case's history).
-- seq is the grievance's row number on the phone form that raised it, so a
-- retried POST (same idempotency key) never creates a row's case twice.
CREATE TABLE activity_case (
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	case_id INTEGER NOT NULL REFERENCES sos_case (id),
	kind TEXT NOT NULL DEFAULT 'raised' CHECK (kind IN ('raised', 'agenda')),
	seq INTEGER CHECK (seq IS NULL OR seq >= 1),
	decision TEXT CHECK (decision IS NULL OR length(decision) <= 2000),
	decided_at TEXT,
	decided_by INTEGER REFERENCES app_user (id),
	PRIMARY KEY (activity_id, case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_case_case ON activity_case (case_id);
CREATE UNIQUE INDEX activity_case_seq ON activity_case (activity_id, seq) WHERE seq IS NOT NULL;

-- Every change to an activity: who, when, what (kind, field), old -> new.
-- Append-only.
CREATE TABLE activity_event (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	at TEXT NOT NULL,
	actor_id INTEGER REFERENCES app_user (id),
	kind TEXT NOT NULL,
	field TEXT,
	old TEXT,
	new TEXT
) STRICT;
CREATE INDEX activity_event_activity ON activity_event (activity_id, id);
CREATE TRIGGER activity_event_no_update BEFORE UPDATE ON activity_event
BEGIN
	SELECT RAISE(ABORT, 'activity_event is append-only');
END;
CREATE TRIGGER activity_event_no_delete BEFORE DELETE ON activity_event
BEGIN
	SELECT RAISE(ABORT, 'activity_event is append-only');
END;

-- 소규모 기업환경 개선사업: one company's improvement, its total cost and the
-- shares 도비 (province) / 시비 (city) / 자부담 (company_share), which add up to
-- the total; a split other than the default 40/40/20 carries split_reason.
CREATE TABLE improvement_grant (
	id INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL REFERENCES company (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	total INTEGER NOT NULL CHECK (total >= 0),
	province INTEGER NOT NULL CHECK (province >= 0),
	city INTEGER NOT NULL CHECK (city >= 0),
	company_share INTEGER NOT NULL CHECK (company_share >= 0),
	split_reason TEXT CHECK (split_reason IS NULL OR length(split_reason) <= 1000),
	status TEXT NOT NULL DEFAULT 'applied'
		CHECK (status IN ('applied', 'selected', 'done', 'cancelled')),
	applied_on TEXT,
	selected_on TEXT,
	done_on TEXT,
	cancelled_on TEXT,
	memo TEXT NOT NULL DEFAULT '' CHECK (length(memo) <= 4000),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	CHECK (province + city + company_share = total)
) STRICT;
CREATE INDEX improvement_grant_year ON improvement_grant (year, status);
CREATE INDEX improvement_grant_company ON improvement_grant (company_id);

-- The history of a grant (create, status changes). Append-only.
CREATE TABLE grant_event (
	id INTEGER PRIMARY KEY,
	grant_id INTEGER NOT NULL REFERENCES improvement_grant (id),
	at TEXT NOT NULL,
	actor_id INTEGER REFERENCES app_user (id),
	kind TEXT NOT NULL,
	field TEXT,
	old TEXT,
	new TEXT,
	note TEXT
) STRICT;
CREATE INDEX grant_event_grant ON grant_event (grant_id, id);
CREATE TRIGGER grant_event_no_update BEFORE UPDATE ON grant_event
BEGIN
	SELECT RAISE(ABORT, 'grant_event is append-only');
END;
CREATE TRIGGER grant_event_no_delete BEFORE DELETE ON grant_event
BEGIN
	SELECT RAISE(ABORT, 'grant_event is append-only');
END;

-- 시민소통: one survey round, expert consultation, press/broadcast article, SNS
-- post or other citizen participation. 간담회 등 is not stored here: it is
-- counted from round-table activities.
CREATE TABLE comm_entry (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('survey', 'expert', 'press', 'sns', 'other')),
	held_on TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	outlet TEXT CHECK (outlet IS NULL OR length(outlet) <= 100),
	url TEXT CHECK (url IS NULL OR (length(url) <= 1000 AND
		(url GLOB 'http://*' OR url GLOB 'https://*'))),
	summary TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 4000),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	retired_at TEXT,
	CHECK (kind <> 'press' OR outlet IS NOT NULL)
) STRICT;
CREATE INDEX comm_entry_held ON comm_entry (held_on, kind);
