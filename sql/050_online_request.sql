-- 050_online_request: the companies' own door (issue 10): requests filed online
-- without sign-in, the receipt numbers they are followed by, the mail the
-- public side owes (kept until a mail outbox delivers it), and satisfaction
-- surveys (one-time links, rounds per period).
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
-- Runs after 003_company, 004_sos_case and 005_activity.

-- A company created by an online request is 미확인 (unconfirmed) until staff
-- confirm it against the register; 0 for every company entered by staff.
ALTER TABLE company ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0
	CHECK (unconfirmed IN (0, 1));

-- One online request: the case it became, the receipt number the company
-- follows it by (random, never the case number), the contact as typed and the
-- consents given. form_nonce makes a re-sent form (reload, double click) come
-- back to the same receipt instead of a second case.
CREATE TABLE online_request (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL UNIQUE REFERENCES sos_case (id),
	receipt_no TEXT NOT NULL UNIQUE CHECK (length(receipt_no) = 14
		AND receipt_no GLOB '[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]-[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]-[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]'),
	form_nonce TEXT NOT NULL UNIQUE CHECK (length(form_nonce) = 32),
	brn TEXT NOT NULL CHECK (length(brn) = 10 AND brn NOT GLOB '*[^0-9]*'),
	company_name TEXT NOT NULL CHECK (length(company_name) BETWEEN 1 AND 100),
	contact_name TEXT NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 50),
	phone TEXT NOT NULL CHECK (length(phone) BETWEEN 1 AND 30),
	email TEXT CHECK (email IS NULL OR length(email) <= 254),
	privacy_consent_at TEXT NOT NULL,
	privacy_notice TEXT NOT NULL,
	contact_consent INTEGER NOT NULL DEFAULT 0 CHECK (contact_consent IN (0, 1)),
	remote TEXT,
	created_at TEXT NOT NULL
) STRICT;

-- Mail to a company (the receipt, a survey link) waiting for delivery. Until
-- an outbox delivers mail, rows stay with sent_at NULL and the case page says
-- the mail is waiting.
CREATE TABLE public_mail (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('receipt', 'survey')),
	case_id INTEGER REFERENCES sos_case (id),
	company_id INTEGER REFERENCES company (id),
	to_addr TEXT NOT NULL CHECK (length(to_addr) BETWEEN 3 AND 254),
	subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
	body TEXT NOT NULL CHECK (length(body) <= 10000),
	created_at TEXT NOT NULL,
	sent_at TEXT
) STRICT;
CREATE INDEX public_mail_pending ON public_mail (sent_at, id);
CREATE INDEX public_mail_case ON public_mail (case_id);

-- A survey round (만족도 조사 한 차례) for a period: every company served in it
-- is invited at once. comm_entry is the one 시민소통 row the round counts as
-- on the card.
CREATE TABLE survey_round (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	period_first TEXT NOT NULL CHECK (period_first GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	period_last TEXT NOT NULL CHECK (period_last GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	comm_entry_id INTEGER NOT NULL UNIQUE REFERENCES comm_entry (id),
	opened_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	UNIQUE (period_first, period_last),
	CHECK (period_first <= period_last)
) STRICT;

-- One invitation: a one-time link (only the SHA-256 of its token is kept)
-- for a company, about one completed case or a round. The answer (1..5 on
-- 신속성, 친절도, 해결 만족도 and a comment) is written into the same row once.
CREATE TABLE survey_invite (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
	company_id INTEGER NOT NULL REFERENCES company (id),
	case_id INTEGER REFERENCES sos_case (id),
	round_id INTEGER REFERENCES survey_round (id),
	email TEXT CHECK (email IS NULL OR length(email) <= 254),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	answered_at TEXT,
	speed INTEGER CHECK (speed IS NULL OR speed BETWEEN 1 AND 5),
	kindness INTEGER CHECK (kindness IS NULL OR kindness BETWEEN 1 AND 5),
	resolution INTEGER CHECK (resolution IS NULL OR resolution BETWEEN 1 AND 5),
	comment TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
	CHECK (case_id IS NOT NULL OR round_id IS NOT NULL),
	CHECK (answered_at IS NULL OR (speed IS NOT NULL AND kindness IS NOT NULL
		AND resolution IS NOT NULL))
) STRICT;
CREATE INDEX survey_invite_case ON survey_invite (case_id);
CREATE INDEX survey_invite_round ON survey_invite (round_id, company_id);
CREATE INDEX survey_invite_created ON survey_invite (created_at);
-- an answer is given once: it cannot be changed or removed afterwards
CREATE TRIGGER survey_invite_answer_once BEFORE UPDATE ON survey_invite
	WHEN old.answered_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a survey answer is given once');
END;
CREATE TRIGGER survey_invite_no_delete BEFORE DELETE ON survey_invite
BEGIN
	SELECT RAISE(ABORT, 'survey invitations are never deleted');
END;
