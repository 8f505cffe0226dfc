-- 007_case_more: what the SOS case workflow needed after 004.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
-- Runs after 004_sos_case.sql: sos_case and case_referral exist.

-- The day the agency a case was transferred to (도청, 중소기업 옴부즈만, a
-- ministry) answered. transfer_answer (004) holds the text; the answer can be
-- recorded, or replaced, after the transfer (case_event keeps every version).
-- Answers recorded before this column existed keep a NULL date.
ALTER TABLE sos_case ADD COLUMN transfer_answer_on TEXT
	CHECK (transfer_answer_on IS NULL OR transfer_answer_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

-- A department user's own referrals ("내 담당") come first in the case list.
CREATE INDEX case_referral_owner ON case_referral (owner_id) WHERE owner_id IS NOT NULL;
