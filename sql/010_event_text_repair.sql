-- History cut in the middle of a character (issue 8, point 6): event texts
-- for roadmap tasks, next plans, contacts and the self-assessment were built in
-- fixed buffers, so a long Korean title could end in a partial UTF-8 sequence,
-- which the JSON encoder refused (GET /program then showed no history at all).
-- They are now built whole; here the stored rows lose their partial last
-- character and are marked as cut with "…". The table stays append-only: its
-- guard is lifted for this one repair and put back.
DROP TRIGGER program_event_no_update;
UPDATE program_event SET old = CASE
	WHEN hex(substr(CAST(old AS BLOB), -1, 1)) >= 'C0' THEN CAST(substr(CAST(old AS BLOB), 1, length(CAST(old AS BLOB)) - 1) AS TEXT) || '…'
	WHEN (hex(substr(CAST(old AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(old AS BLOB), -2, 1)) >= 'E0') THEN CAST(substr(CAST(old AS BLOB), 1, length(CAST(old AS BLOB)) - 2) AS TEXT) || '…'
	ELSE CAST(substr(CAST(old AS BLOB), 1, length(CAST(old AS BLOB)) - 3) AS TEXT) || '…' END
WHERE old IS NOT NULL AND length(CAST(old AS BLOB)) > 0 AND (hex(substr(CAST(old AS BLOB), -1, 1)) >= 'C0' OR (hex(substr(CAST(old AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(old AS BLOB), -2, 1)) >= 'E0') OR (hex(substr(CAST(old AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(old AS BLOB), -2, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(old AS BLOB), -3, 1)) >= 'F0'));
UPDATE program_event SET new = CASE
	WHEN hex(substr(CAST(new AS BLOB), -1, 1)) >= 'C0' THEN CAST(substr(CAST(new AS BLOB), 1, length(CAST(new AS BLOB)) - 1) AS TEXT) || '…'
	WHEN (hex(substr(CAST(new AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(new AS BLOB), -2, 1)) >= 'E0') THEN CAST(substr(CAST(new AS BLOB), 1, length(CAST(new AS BLOB)) - 2) AS TEXT) || '…'
	ELSE CAST(substr(CAST(new AS BLOB), 1, length(CAST(new AS BLOB)) - 3) AS TEXT) || '…' END
WHERE new IS NOT NULL AND length(CAST(new AS BLOB)) > 0 AND (hex(substr(CAST(new AS BLOB), -1, 1)) >= 'C0' OR (hex(substr(CAST(new AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(new AS BLOB), -2, 1)) >= 'E0') OR (hex(substr(CAST(new AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(new AS BLOB), -2, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(new AS BLOB), -3, 1)) >= 'F0'));
UPDATE program_event SET note = CASE
	WHEN hex(substr(CAST(note AS BLOB), -1, 1)) >= 'C0' THEN CAST(substr(CAST(note AS BLOB), 1, length(CAST(note AS BLOB)) - 1) AS TEXT) || '…'
	WHEN (hex(substr(CAST(note AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(note AS BLOB), -2, 1)) >= 'E0') THEN CAST(substr(CAST(note AS BLOB), 1, length(CAST(note AS BLOB)) - 2) AS TEXT) || '…'
	ELSE CAST(substr(CAST(note AS BLOB), 1, length(CAST(note AS BLOB)) - 3) AS TEXT) || '…' END
WHERE note IS NOT NULL AND length(CAST(note AS BLOB)) > 0 AND (hex(substr(CAST(note AS BLOB), -1, 1)) >= 'C0' OR (hex(substr(CAST(note AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(note AS BLOB), -2, 1)) >= 'E0') OR (hex(substr(CAST(note AS BLOB), -1, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(note AS BLOB), -2, 1)) BETWEEN '80' AND 'BF' AND hex(substr(CAST(note AS BLOB), -3, 1)) >= 'F0'));
CREATE TRIGGER program_event_no_update BEFORE UPDATE ON program_event
BEGIN
	SELECT RAISE(ABORT, 'program_event is append-only');
END;
