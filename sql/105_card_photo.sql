-- 105_card_photo: the photos the leader chose for the card's photo strip of a
-- quarter, in order, with the caption the card shows (empty: the photo's own).
-- No current row for a quarter: the card shows the latest four field photos up
-- to its as-of day, as before. A new choice retires the quarter's rows
-- (retired_at) and adds the new ones; each choice is in audit_log.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
CREATE TABLE card_photo (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	quarter TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	photo_id INTEGER NOT NULL REFERENCES activity_photo (id),
	sort INTEGER NOT NULL CHECK (sort BETWEEN 1 AND 99),
	caption TEXT NOT NULL DEFAULT '' CHECK (length(caption) <= 200),
	chosen_by INTEGER REFERENCES app_user (id),
	chosen_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
CREATE UNIQUE INDEX card_photo_current ON card_photo (program_id, quarter, photo_id)
	WHERE retired_at IS NULL;
