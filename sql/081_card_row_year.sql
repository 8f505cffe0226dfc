-- How the pledge card lists its 추진실적 rows in a given year, as the city
-- published it (issue 8): the cards order and name the rows differently from
-- year to year (2022 lists 시장 기업체 현장방문 before the round tables, 2023
-- and 2024 after them; 2024 calls the grants 기업환경 개선사업 where 2022 and
-- 2023 say 소규모 기업환경 개선사업). Nothing in the activity and grant records
-- tells that apart, so it is a record of its own: one row per program, year
-- and card row that differs from the card's default layout (src/domain/card.c,
-- the latest published card's). sort NULL keeps the default position (10, 20,
-- … in that order); label NULL keeps the row's own label. Labels only: every
-- figure is still counted from the records.
CREATE TABLE card_row_year (
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	card_row TEXT NOT NULL CHECK (card_row IN ('operating_plan', 'mayor_site_visit',
		'roundtable', 'mobile_squad', 'one_stop_meeting', 'comm_day',
		'improvement_grant_sites', 'education')),
	sort INTEGER CHECK (sort IS NULL OR sort BETWEEN 0 AND 1000),
	label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 100),
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES app_user (id),
	PRIMARY KEY (program_id, year, card_row)
) STRICT;
