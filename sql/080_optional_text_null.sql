-- bizsos: foreign_keys off
-- Empty optional text is absent (NULL), never '' (issue 8, point 3), in every
-- table: the columns 001–070 declared NOT NULL DEFAULT '' become plain nullable
-- TEXT, and their '' rows become NULL. SQLite cannot drop a NOT NULL in place,
-- so each table is rebuilt (the procedure of sqlite.org/lang_altertable.html
-- "Making Other Kinds Of Table Schema Changes"): create <t>_new with the
-- schema as it stood, copy the rows (NULLIF(col, '') on the optional text),
-- drop <t>, rename <t>_new to <t>, and recreate <t>'s indexes and triggers
-- word for word. No view and no trigger of another table names these tables.
-- The first line asks the runner (src/store/db.c) to run this with
-- foreign_keys off, and to refuse to commit unless PRAGMA foreign_key_check
-- is empty afterwards. A later migration that adds a column to one of these
-- tables must come after this one (its number higher), or this rebuild would
-- drop the column.

-- sos_case: description, request
CREATE TABLE sos_case_new (
	id INTEGER PRIMARY KEY,
	case_no TEXT NOT NULL UNIQUE CHECK (case_no GLOB 'SOS-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]*'),
	company_id INTEGER NOT NULL REFERENCES company (id),
	received_at TEXT NOT NULL,
	received_on TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	channel TEXT NOT NULL CHECK (channel IN ('visit', 'meeting', 'onestop', 'mobile', 'phone',
		'walkin', 'online', 'letter', 'other')),
	category_id INTEGER NOT NULL REFERENCES case_category (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description TEXT CHECK (length(description) <= 10000),
	request TEXT CHECK (length(request) <= 10000),
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
	updated_at TEXT NOT NULL, transfer_answer_on TEXT
	CHECK (transfer_answer_on IS NULL OR transfer_answer_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	CHECK (status <> 'done' OR (disposition IS NOT NULL AND outcome IS NOT NULL
		AND notified_method IS NOT NULL AND notified_on IS NOT NULL)),
	CHECK (outcome IS NULL OR outcome = 'accepted' OR length(outcome_reason) > 0),
	CHECK (extended_due_on IS NULL OR (extended_due_on > due_on AND length(extension_reason) > 0)),
	CHECK (merged_into IS NULL OR merged_into <> id)
) STRICT;
INSERT INTO sos_case_new (id, case_no, company_id, received_at, received_on, channel, category_id, title, description, request, triage, flag, status, status_reason, disposition, outcome, outcome_reason, closed_on, transfer_to, transfer_on, transfer_answer, notified_method, notified_on, due_on, extended_due_on, extension_reason, assignee_id, reassign_count, merged_into, created_by, version, created_at, updated_at, transfer_answer_on)
	SELECT id, case_no, company_id, received_at, received_on, channel, category_id, title, NULLIF(description, ''), NULLIF(request, ''), triage, flag, status, status_reason, disposition, outcome, outcome_reason, closed_on, transfer_to, transfer_on, transfer_answer, notified_method, notified_on, due_on, extended_due_on, extension_reason, assignee_id, reassign_count, merged_into, created_by, version, created_at, updated_at, transfer_answer_on
	FROM sos_case;
DROP TABLE sos_case;
ALTER TABLE sos_case_new RENAME TO sos_case;
CREATE INDEX sos_case_company ON sos_case (company_id, category_id);
CREATE INDEX sos_case_status ON sos_case (status, due_on);
CREATE INDEX sos_case_received ON sos_case (received_on);
CREATE INDEX sos_case_assignee ON sos_case (assignee_id);
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
CREATE TRIGGER sos_case_no_delete BEFORE DELETE ON sos_case
BEGIN
	SELECT RAISE(ABORT, 'cases are never deleted');
END;
CREATE INDEX sos_case_closed ON sos_case (closed_on, status, merged_into);
CREATE TRIGGER sos_case_bigram_insert AFTER INSERT ON sos_case
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.title || ' ' || coalesce(new.description, '') || ' ' ||
			coalesce(new.request, ''))),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 1, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;
CREATE TRIGGER sos_case_bigram_update AFTER UPDATE OF title, description, request ON sos_case
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.title || ' ' || coalesce(new.description, '') || ' ' ||
			coalesce(new.request, ''))),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 1, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;
CREATE INDEX sos_case_due_order ON sos_case (coalesce(extended_due_on, due_on), id);
CREATE INDEX sos_case_open_due ON sos_case (coalesce(extended_due_on, due_on), id)
	WHERE status IN ('received', 'reviewing', 'in_progress') AND merged_into IS NULL;
CREATE INDEX sos_case_merged_into ON sos_case (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX sos_case_status_received ON sos_case (status, received_on, due_on, extended_due_on);

-- activity: place, title, summary
CREATE TABLE activity_new (
	id INTEGER PRIMARY KEY,
	type_id INTEGER NOT NULL REFERENCES activity_type (id),
	held_on TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	starts_at TEXT CHECK (starts_at IS NULL OR starts_at GLOB '[0-2][0-9]:[0-5][0-9]'),
	ends_at TEXT CHECK (ends_at IS NULL OR ends_at GLOB '[0-2][0-9]:[0-5][0-9]'),
	place TEXT CHECK (length(place) <= 200),
	title TEXT CHECK (length(title) <= 200),
	summary TEXT CHECK (length(summary) <= 20000),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	idempotency_key TEXT UNIQUE CHECK (idempotency_key IS NULL OR
		(length(idempotency_key) BETWEEN 16 AND 64 AND idempotency_key NOT GLOB '*[^0-9a-f]*'))
, idempotency_body TEXT
	CHECK (idempotency_body IS NULL OR length(idempotency_body) = 64)) STRICT;
INSERT INTO activity_new (id, type_id, held_on, starts_at, ends_at, place, title, summary, created_by, created_at, updated_at, retired_at, version, idempotency_key, idempotency_body)
	SELECT id, type_id, held_on, starts_at, ends_at, NULLIF(place, ''), NULLIF(title, ''), NULLIF(summary, ''), created_by, created_at, updated_at, retired_at, version, idempotency_key, idempotency_body
	FROM activity;
DROP TABLE activity;
ALTER TABLE activity_new RENAME TO activity;
CREATE INDEX activity_held ON activity (held_on);
CREATE INDEX activity_type_held ON activity (type_id, held_on);
CREATE INDEX activity_held_type ON activity (held_on, type_id, retired_at);

-- activity_attendee: organisation
CREATE TABLE activity_attendee_new (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	organisation TEXT CHECK (length(organisation) <= 100)
) STRICT;
INSERT INTO activity_attendee_new (id, activity_id, name, organisation)
	SELECT id, activity_id, name, NULLIF(organisation, '')
	FROM activity_attendee;
DROP TABLE activity_attendee;
ALTER TABLE activity_attendee_new RENAME TO activity_attendee;
CREATE INDEX activity_attendee_activity ON activity_attendee (activity_id);

-- activity_photo: caption
CREATE TABLE activity_photo_new (
	id INTEGER PRIMARY KEY,
	activity_id INTEGER NOT NULL REFERENCES activity (id),
	caption TEXT CHECK (length(caption) <= 200),
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
INSERT INTO activity_photo_new (id, activity_id, caption, stored_path, content_type, width, height, size, sha256, created_by, created_at, retired_at)
	SELECT id, activity_id, NULLIF(caption, ''), stored_path, content_type, width, height, size, sha256, created_by, created_at, retired_at
	FROM activity_photo;
DROP TABLE activity_photo;
ALTER TABLE activity_photo_new RENAME TO activity_photo;
CREATE INDEX activity_photo_activity ON activity_photo (activity_id);

-- improvement_grant: memo
CREATE TABLE improvement_grant_new (
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
	memo TEXT CHECK (length(memo) <= 4000),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	CHECK (province + city + company_share = total)
) STRICT;
INSERT INTO improvement_grant_new (id, company_id, year, title, total, province, city, company_share, split_reason, status, applied_on, selected_on, done_on, cancelled_on, memo, created_by, created_at, updated_at, retired_at, version)
	SELECT id, company_id, year, title, total, province, city, company_share, split_reason, status, applied_on, selected_on, done_on, cancelled_on, NULLIF(memo, ''), created_by, created_at, updated_at, retired_at, version
	FROM improvement_grant;
DROP TABLE improvement_grant;
ALTER TABLE improvement_grant_new RENAME TO improvement_grant;
CREATE INDEX improvement_grant_year ON improvement_grant (year, status);
CREATE INDEX improvement_grant_company ON improvement_grant (company_id);

-- comm_entry: summary
CREATE TABLE comm_entry_new (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('survey', 'expert', 'press', 'sns', 'other')),
	held_on TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	outlet TEXT CHECK (outlet IS NULL OR length(outlet) <= 100),
	url TEXT CHECK (url IS NULL OR (length(url) <= 1000 AND
		(url GLOB 'http://*' OR url GLOB 'https://*'))),
	summary TEXT CHECK (length(summary) <= 4000),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	retired_at TEXT,
	CHECK (kind <> 'press' OR outlet IS NOT NULL)
) STRICT;
INSERT INTO comm_entry_new (id, kind, held_on, title, outlet, url, summary, created_by, created_at, retired_at)
	SELECT id, kind, held_on, title, outlet, url, NULLIF(summary, ''), created_by, created_at, retired_at
	FROM comm_entry;
DROP TABLE comm_entry;
ALTER TABLE comm_entry_new RENAME TO comm_entry;
CREATE INDEX comm_entry_held ON comm_entry (held_on, kind);

-- program: department, final_goal, overview, evidence
CREATE TABLE program_new (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 30 AND code NOT GLOB '*[^a-z0-9_-]*'),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	nature TEXT NOT NULL DEFAULT 'continuing' CHECK (nature IN ('continuing', 'new')),
	term TEXT NOT NULL DEFAULT 'within' CHECK (term IN ('within', 'beyond')),
	funding TEXT NOT NULL DEFAULT 'budget' CHECK (funding IN ('budget', 'none')),
	status TEXT NOT NULL DEFAULT 'ongoing_normal' CHECK (status IN ('done_ended',
		'done_continuing', 'ongoing_normal', 'ongoing_lagging', 'notstarted_review',
		'notstarted_notdue')),
	completed_year INTEGER CHECK (completed_year IS NULL OR completed_year BETWEEN 2000 AND 2100),
	central_help TEXT NOT NULL DEFAULT '해당없음' CHECK (length(central_help) <= 200),
	owner TEXT NOT NULL DEFAULT '자체' CHECK (length(owner) <= 100),
	department TEXT CHECK (length(department) <= 100),
	final_goal TEXT CHECK (length(final_goal) <= 2000),
	overview TEXT CHECK (length(overview) <= 4000),
	evidence TEXT CHECK (length(evidence) <= 1000),
	first_quarter TEXT NOT NULL CHECK (first_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	last_quarter TEXT NOT NULL CHECK (last_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	sort INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	retired_at TEXT,
	CHECK (last_quarter >= first_quarter)
) STRICT;
INSERT INTO program_new (id, code, name, nature, term, funding, status, completed_year, central_help, owner, department, final_goal, overview, evidence, first_quarter, last_quarter, sort, version, created_at, updated_at, retired_at)
	SELECT id, code, name, nature, term, funding, status, completed_year, central_help, owner, NULLIF(department, ''), NULLIF(final_goal, ''), NULLIF(overview, ''), NULLIF(evidence, ''), first_quarter, last_quarter, sort, version, created_at, updated_at, retired_at
	FROM program;
DROP TABLE program;
ALTER TABLE program_new RENAME TO program;

-- program_contact: phone
CREATE TABLE program_contact_new (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 50),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
	phone TEXT CHECK (length(phone) <= 20),
	sort INTEGER NOT NULL DEFAULT 0,
	retired_at TEXT
) STRICT;
INSERT INTO program_contact_new (id, program_id, title, name, phone, sort, retired_at)
	SELECT id, program_id, title, name, NULLIF(phone, ''), sort, retired_at
	FROM program_contact;
DROP TABLE program_contact;
ALTER TABLE program_contact_new RENAME TO program_contact;
CREATE INDEX program_contact_program ON program_contact (program_id, sort);

-- budget_line: memo
CREATE TABLE budget_line_new (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	source TEXT NOT NULL CHECK (source IN ('national', 'province', 'city', 'other')),
	planned INTEGER NOT NULL CHECK (planned BETWEEN 0 AND 999999999999999),
	secured INTEGER NOT NULL CHECK (secured BETWEEN 0 AND 999999999999999),
	memo TEXT CHECK (length(memo) <= 500),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
INSERT INTO budget_line_new (id, program_id, year, source, planned, secured, memo, version, created_at, updated_at, retired_at)
	SELECT id, program_id, year, source, planned, secured, NULLIF(memo, ''), version, created_at, updated_at, retired_at
	FROM budget_line;
DROP TABLE budget_line;
ALTER TABLE budget_line_new RENAME TO budget_line;
CREATE UNIQUE INDEX budget_line_one ON budget_line (program_id, year, source) WHERE retired_at IS NULL;

-- budget_execution: memo
CREATE TABLE budget_execution_new (
	id INTEGER PRIMARY KEY,
	budget_line_id INTEGER NOT NULL REFERENCES budget_line (id),
	executed_on TEXT NOT NULL CHECK (executed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	amount INTEGER NOT NULL CHECK (amount BETWEEN -999999999999999 AND 999999999999999 AND amount <> 0),
	memo TEXT CHECK (length(memo) <= 500),
	grant_id INTEGER REFERENCES improvement_grant (id),
	over_reason TEXT CHECK (over_reason IS NULL OR length(over_reason) BETWEEN 1 AND 500),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	retired_at TEXT
, corrects_id INTEGER REFERENCES budget_execution (id)) STRICT;
INSERT INTO budget_execution_new (id, budget_line_id, executed_on, amount, memo, grant_id, over_reason, created_by, created_at, retired_at, corrects_id)
	SELECT id, budget_line_id, executed_on, amount, NULLIF(memo, ''), grant_id, over_reason, created_by, created_at, retired_at, corrects_id
	FROM budget_execution;
DROP TABLE budget_execution;
ALTER TABLE budget_execution_new RENAME TO budget_execution;
CREATE INDEX budget_execution_line ON budget_execution (budget_line_id, executed_on);
CREATE INDEX budget_execution_on ON budget_execution (executed_on);
CREATE INDEX budget_execution_corrects ON budget_execution (corrects_id)
	WHERE corrects_id IS NOT NULL;

-- quarter_signoff: note
CREATE TABLE quarter_signoff_new (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
	signed_at TEXT NOT NULL,
	signed_by INTEGER REFERENCES app_user (id),
	note TEXT CHECK (length(note) <= 1000),
	-- the progress figures as signed (JSON); NULL for sign-offs made before
	figures TEXT CHECK (figures IS NULL OR json_valid(figures))
) STRICT;
INSERT INTO quarter_signoff_new (id, program_id, year, quarter, signed_at, signed_by, note, figures)
	SELECT id, program_id, year, quarter, signed_at, signed_by, NULLIF(note, ''), figures
	FROM quarter_signoff;
DROP TABLE quarter_signoff;
ALTER TABLE quarter_signoff_new RENAME TO quarter_signoff;
CREATE INDEX quarter_signoff_quarter ON quarter_signoff (program_id, year, quarter);
CREATE TRIGGER quarter_signoff_no_update BEFORE UPDATE ON quarter_signoff
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff is append-only');
END;
CREATE TRIGGER quarter_signoff_no_delete BEFORE DELETE ON quarter_signoff
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff is append-only');
END;

-- notification: body
CREATE TABLE notification_new (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	kind TEXT NOT NULL,
	case_id INTEGER REFERENCES sos_case (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	body TEXT CHECK (length(body) <= 2000),
	link TEXT NOT NULL CHECK (link GLOB '/*'),
	dedupe TEXT UNIQUE,
	created_at TEXT NOT NULL,
	read_at TEXT,
	digested_at TEXT
) STRICT;
INSERT INTO notification_new (id, user_id, kind, case_id, title, body, link, dedupe, created_at, read_at, digested_at)
	SELECT id, user_id, kind, case_id, title, NULLIF(body, ''), link, dedupe, created_at, read_at, digested_at
	FROM notification;
DROP TABLE notification;
ALTER TABLE notification_new RENAME TO notification;
CREATE INDEX notification_user ON notification (user_id, id);
CREATE INDEX notification_unread ON notification (user_id) WHERE read_at IS NULL;

-- outbox: subject
CREATE TABLE outbox_new (
	id INTEGER PRIMARY KEY,
	msg_key TEXT NOT NULL UNIQUE,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
	target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 254),
	kind TEXT NOT NULL,
	subject TEXT,
	body TEXT NOT NULL,
	case_id INTEGER REFERENCES sos_case (id),
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	tries INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
	next_at INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	created_at TEXT NOT NULL,
	sent_at TEXT
) STRICT;
INSERT INTO outbox_new (id, msg_key, channel, target, kind, subject, body, case_id, status, tries, next_at, last_error, created_at, sent_at)
	SELECT id, msg_key, channel, target, kind, NULLIF(subject, ''), body, case_id, status, tries, next_at, last_error, created_at, sent_at
	FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_at) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox (status, id);

-- message_template: subject
CREATE TABLE message_template_new (
	name TEXT PRIMARY KEY CHECK (name IN ('case_result', 'sms_gateway')),
	subject TEXT CHECK (length(subject) <= 300),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id)
) STRICT;
INSERT INTO message_template_new (name, subject, body, updated_at, updated_by)
	SELECT name, NULLIF(subject, ''), body, updated_at, updated_by
	FROM message_template;
DROP TABLE message_template;
ALTER TABLE message_template_new RENAME TO message_template;

-- document_letterhead: address, phone, fax, email, homepage
CREATE TABLE document_letterhead_new (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	org_name TEXT NOT NULL CHECK (length(org_name) BETWEEN 1 AND 60),        -- 기관명
	sender TEXT NOT NULL CHECK (length(sender) BETWEEN 1 AND 60),            -- 발신명의
	department TEXT NOT NULL CHECK (length(department) BETWEEN 1 AND 60),    -- 시행번호의 부서
	address TEXT CHECK (length(address) <= 200),
	phone TEXT CHECK (length(phone) <= 40),
	fax TEXT CHECK (length(fax) <= 40),
	email TEXT CHECK (length(email) <= 100),
	homepage TEXT CHECK (length(homepage) <= 100),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;
INSERT INTO document_letterhead_new (id, org_name, sender, department, address, phone, fax, email, homepage, updated_at, updated_by, version)
	SELECT id, org_name, sender, department, NULLIF(address, ''), NULLIF(phone, ''), NULLIF(fax, ''), NULLIF(email, ''), NULLIF(homepage, ''), updated_at, updated_by, version
	FROM document_letterhead;
DROP TABLE document_letterhead;
ALTER TABLE document_letterhead_new RENAME TO document_letterhead;

-- document_template: attachments
CREATE TABLE document_template_new (
	kind TEXT PRIMARY KEY CHECK (kind IN ('referral', 'result', 'anniversary')),
	name TEXT NOT NULL,
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
	attachments TEXT CHECK (length(attachments) <= 300),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;
INSERT INTO document_template_new (kind, name, title, body, attachments, updated_at, updated_by, version)
	SELECT kind, name, title, body, NULLIF(attachments, ''), updated_at, updated_by, version
	FROM document_template;
DROP TABLE document_template;
ALTER TABLE document_template_new RENAME TO document_template;

-- issued_document: attachments
CREATE TABLE issued_document_new (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('referral', 'result', 'anniversary')),
	doc_no TEXT NOT NULL,
	year INTEGER NOT NULL,
	seq INTEGER NOT NULL CHECK (seq >= 1),
	case_id INTEGER REFERENCES sos_case (id),
	company_id INTEGER REFERENCES company (id),
	department_id INTEGER REFERENCES department (id),
	issued_on TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	recipient TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 200),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	attachments TEXT,
	letterhead TEXT NOT NULL, -- the letterhead as issued (JSON)
	staff_name TEXT NOT NULL,
	issued_by INTEGER NOT NULL REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	UNIQUE (year, seq)
) STRICT;
INSERT INTO issued_document_new (id, kind, doc_no, year, seq, case_id, company_id, department_id, issued_on, recipient, title, body, attachments, letterhead, staff_name, issued_by, created_at)
	SELECT id, kind, doc_no, year, seq, case_id, company_id, department_id, issued_on, recipient, title, body, NULLIF(attachments, ''), letterhead, staff_name, issued_by, created_at
	FROM issued_document;
DROP TABLE issued_document;
ALTER TABLE issued_document_new RENAME TO issued_document;
CREATE INDEX issued_document_case ON issued_document (case_id);
CREATE INDEX issued_document_company ON issued_document (company_id);
CREATE TRIGGER issued_document_no_update BEFORE UPDATE ON issued_document
BEGIN
	SELECT RAISE(ABORT, 'issued_document is append-only');
END;
CREATE TRIGGER issued_document_no_delete BEFORE DELETE ON issued_document
BEGIN
	SELECT RAISE(ABORT, 'issued_document is append-only');
END;

