-- 106_card_photo_caption_null: the card photo's own caption is optional text,
-- so absent is NULL, never '' (the rule of 080). Rebuilds card_photo with the
-- column nullable; '' rows become NULL. Nothing references card_photo.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
CREATE TABLE card_photo_new (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	quarter TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	photo_id INTEGER NOT NULL REFERENCES activity_photo (id),
	sort INTEGER NOT NULL CHECK (sort BETWEEN 1 AND 99),
	caption TEXT CHECK (caption IS NULL OR length(caption) BETWEEN 1 AND 200),
	chosen_by INTEGER REFERENCES app_user (id),
	chosen_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
INSERT INTO card_photo_new (id, program_id, quarter, photo_id, sort, caption, chosen_by,
	chosen_at, retired_at)
	SELECT id, program_id, quarter, photo_id, sort, NULLIF(caption, ''), chosen_by, chosen_at,
		retired_at FROM card_photo;
DROP TABLE card_photo;
ALTER TABLE card_photo_new RENAME TO card_photo;
CREATE UNIQUE INDEX card_photo_current ON card_photo (program_id, quarter, photo_id)
	WHERE retired_at IS NULL;
