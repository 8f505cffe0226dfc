-- A quarter's sign-off keeps the figures it confirmed, and can be withdrawn
-- with a reason (issue 8, point 4). Nothing is deleted: a withdrawal is a row
-- of its own, and a quarter may be signed again after one, so the one-per-
-- quarter UNIQUE goes (the code allows one sign-off in force per quarter).
DROP TRIGGER quarter_signoff_no_update;
DROP TRIGGER quarter_signoff_no_delete;
CREATE TABLE quarter_signoff_v2 (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
	signed_at TEXT NOT NULL,
	signed_by INTEGER REFERENCES app_user (id),
	note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
	-- the progress figures as signed (JSON); NULL for sign-offs made before
	figures TEXT CHECK (figures IS NULL OR json_valid(figures))
) STRICT;
INSERT INTO quarter_signoff_v2 (id, program_id, year, quarter, signed_at, signed_by, note)
	SELECT id, program_id, year, quarter, signed_at, signed_by, note FROM quarter_signoff;
DROP TABLE quarter_signoff;
ALTER TABLE quarter_signoff_v2 RENAME TO quarter_signoff;
CREATE INDEX quarter_signoff_quarter ON quarter_signoff (program_id, year, quarter);
CREATE TRIGGER quarter_signoff_no_update BEFORE UPDATE ON quarter_signoff
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff is append-only');
END;
CREATE TRIGGER quarter_signoff_no_delete BEFORE DELETE ON quarter_signoff
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff is append-only');
END;

CREATE TABLE quarter_signoff_withdrawal (
	signoff_id INTEGER PRIMARY KEY REFERENCES quarter_signoff (id),
	withdrawn_at TEXT NOT NULL,
	withdrawn_by INTEGER REFERENCES app_user (id),
	reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000)
) STRICT;
CREATE TRIGGER quarter_signoff_withdrawal_no_update BEFORE UPDATE ON quarter_signoff_withdrawal
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff_withdrawal is append-only');
END;
CREATE TRIGGER quarter_signoff_withdrawal_no_delete BEFORE DELETE ON quarter_signoff_withdrawal
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff_withdrawal is append-only');
END;
