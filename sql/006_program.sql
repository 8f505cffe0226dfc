-- 006_program: the program (사업) of a pledge card and everything the card
-- states about it that is not counted from other records: its header, targets,
-- budget lines and their execution entries, roadmap tasks, the yearly
-- self-assessment, next plans, published (frozen) cards and quarter sign-offs.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
-- Runs after 005_activity.sql: improvement_grant (id) exists.
-- Money is INTEGER won; rates are never stored (computed in src/domain/card.c).
-- Dates are "YYYY-MM-DD"; quarters "YYYY-Qn"; instants UTC ISO-8601 text.

-- A program of the mayor's pledge book. The first (code 'sos') is the one the
-- operational records (cases, activities, grants) feed.
--   nature   계속 continuing | 신규 new
--   term     임기내 within the term | 임기후 beyond it
--   funding  예산 budget | 비예산 none
--   status   the card's six-way 이행구분
CREATE TABLE program (
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
	department TEXT NOT NULL DEFAULT '' CHECK (length(department) <= 100),
	final_goal TEXT NOT NULL DEFAULT '' CHECK (length(final_goal) <= 2000),
	overview TEXT NOT NULL DEFAULT '' CHECK (length(overview) <= 4000),
	evidence TEXT NOT NULL DEFAULT '' CHECK (length(evidence) <= 1000),
	first_quarter TEXT NOT NULL CHECK (first_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	last_quarter TEXT NOT NULL CHECK (last_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	sort INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	retired_at TEXT,
	CHECK (last_quarter >= first_quarter)
) STRICT;

-- The responsible people (추진부서) with phone extensions, in card order.
CREATE TABLE program_contact (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 50),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
	phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 20),
	sort INTEGER NOT NULL DEFAULT 0,
	retired_at TEXT
) STRICT;
CREATE INDEX program_contact_program ON program_contact (program_id, sort);

-- Every change in this area: who, when, which object (program, contact,
-- target, budget_line, budget_execution, roadmap_task, self_assessment,
-- next_plan, snapshot, signoff), field, old -> new, a note. Append-only.
CREATE TABLE program_event (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	at TEXT NOT NULL,
	actor_id INTEGER REFERENCES app_user (id),
	object TEXT NOT NULL,
	object_id INTEGER,
	kind TEXT NOT NULL,
	field TEXT,
	old TEXT,
	new TEXT,
	note TEXT
) STRICT;
CREATE INDEX program_event_program ON program_event (program_id, id);
CREATE INDEX program_event_object ON program_event (object, object_id, id);
CREATE TRIGGER program_event_no_update BEFORE UPDATE ON program_event
BEGIN
	SELECT RAISE(ABORT, 'program_event is append-only');
END;
CREATE TRIGGER program_event_no_delete BEFORE DELETE ON program_event
BEGIN
	SELECT RAISE(ABORT, 'program_event is append-only');
END;

-- A target per indicator and period. period is 'YYYY' (a year) or 'YYYY-MM'
-- (from January to the end of that month: '2026-06' is the half-year the term
-- ends with). metric 'cases_done' counts sos_case rows with status 'done'
-- closed in the period; 'manual' has no automatic actual.
CREATE TABLE target (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	indicator TEXT NOT NULL CHECK (length(indicator) BETWEEN 1 AND 100),
	metric TEXT NOT NULL DEFAULT 'cases_done' CHECK (metric IN ('cases_done', 'manual')),
	period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]'
		OR period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
	value INTEGER NOT NULL CHECK (value >= 0),
	unit TEXT NOT NULL DEFAULT '건' CHECK (length(unit) <= 10),
	retired_at TEXT,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;
CREATE UNIQUE INDEX target_one ON target (program_id, indicator, period) WHERE retired_at IS NULL;

-- A budget line: one year and one source, with the planned (계획) and the
-- secured (확보) amount in won. source: national 국비, province 도비, city 시비,
-- other 기타 (e.g. the companies' own share).
CREATE TABLE budget_line (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	source TEXT NOT NULL CHECK (source IN ('national', 'province', 'city', 'other')),
	planned INTEGER NOT NULL CHECK (planned BETWEEN 0 AND 999999999999999),
	secured INTEGER NOT NULL CHECK (secured BETWEEN 0 AND 999999999999999),
	memo TEXT NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
CREATE UNIQUE INDEX budget_line_one ON budget_line (program_id, year, source) WHERE retired_at IS NULL;

-- An execution entry (집행): money spent from a budget line. The executed
-- amount of a line is the sum of its entries that are not retired; a
-- negative amount is a correction. An entry that takes the line above its
-- secured amount carries the leader's reason (over_reason).
CREATE TABLE budget_execution (
	id INTEGER PRIMARY KEY,
	budget_line_id INTEGER NOT NULL REFERENCES budget_line (id),
	executed_on TEXT NOT NULL CHECK (executed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	amount INTEGER NOT NULL CHECK (amount BETWEEN -999999999999999 AND 999999999999999 AND amount <> 0),
	memo TEXT NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
	grant_id INTEGER REFERENCES improvement_grant (id),
	over_reason TEXT CHECK (over_reason IS NULL OR length(over_reason) BETWEEN 1 AND 500),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
CREATE INDEX budget_execution_line ON budget_execution (budget_line_id, executed_on);
CREATE INDEX budget_execution_on ON budget_execution (executed_on);

-- A roadmap task (세부 추진계획) from its first to its last quarter; beyond_term
-- marks the 임기후 column. status feeds 이행률: done and continuing count as
-- implemented.
CREATE TABLE roadmap_task (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	first_quarter TEXT NOT NULL CHECK (first_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	last_quarter TEXT NOT NULL CHECK (last_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
	beyond_term INTEGER NOT NULL DEFAULT 0 CHECK (beyond_term IN (0, 1)),
	status TEXT NOT NULL DEFAULT 'ongoing' CHECK (status IN ('planned', 'ongoing', 'done',
		'continuing')),
	sort INTEGER NOT NULL DEFAULT 0,
	retired_at TEXT,
	CHECK (last_quarter >= first_quarter)
) STRICT;
CREATE INDEX roadmap_task_program ON roadmap_task (program_id, sort);

-- The yearly self-assessment (자체 점검결과): what went well (went_well) and the
-- improvement plan (improvement); parent_id makes a ▶ sub-item.
CREATE TABLE self_assessment_item (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	kind TEXT NOT NULL CHECK (kind IN ('went_well', 'improvement')),
	parent_id INTEGER REFERENCES self_assessment_item (id),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
	sort INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
CREATE INDEX self_assessment_program ON self_assessment_item (program_id, year, kind, sort);

-- Next plans (향후 추진계획) by period: '2024. 1. ~ 12.' with its dates.
CREATE TABLE next_plan (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	period_label TEXT NOT NULL CHECK (length(period_label) BETWEEN 1 AND 50),
	starts_on TEXT NOT NULL CHECK (starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	ends_on TEXT NOT NULL CHECK (ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	plan TEXT NOT NULL CHECK (length(plan) BETWEEN 1 AND 1000),
	sort INTEGER NOT NULL DEFAULT 0,
	retired_at TEXT,
	CHECK (ends_on >= starts_on)
) STRICT;
CREATE INDEX next_plan_program ON next_plan (program_id, starts_on);

-- A published card: the rendered card model (JSON) of one quarter, frozen.
-- Never changed nor deleted.
CREATE TABLE card_snapshot (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
	published_at TEXT NOT NULL,
	published_by INTEGER REFERENCES app_user (id),
	model TEXT NOT NULL CHECK (json_valid(model)),
	UNIQUE (program_id, year, quarter)
) STRICT;
CREATE TRIGGER card_snapshot_no_update BEFORE UPDATE ON card_snapshot
BEGIN
	SELECT RAISE(ABORT, 'a published card is never changed');
END;
CREATE TRIGGER card_snapshot_no_delete BEFORE DELETE ON card_snapshot
BEGIN
	SELECT RAISE(ABORT, 'a published card is never deleted');
END;

-- The leader's sign-off of a quarter's progress page. Append-only.
CREATE TABLE quarter_signoff (
	id INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
	signed_at TEXT NOT NULL,
	signed_by INTEGER REFERENCES app_user (id),
	note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
	UNIQUE (program_id, year, quarter)
) STRICT;
CREATE TRIGGER quarter_signoff_no_update BEFORE UPDATE ON quarter_signoff
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff is append-only');
END;
CREATE TRIGGER quarter_signoff_no_delete BEFORE DELETE ON quarter_signoff
BEGIN
	SELECT RAISE(ABORT, 'quarter_signoff is append-only');
END;

-- The SOS program as the city's card defines it: its header, goals, targets,
-- roadmap, self-assessment and next plan (statements, not counts). Budget
-- lines and execution entries are records the team enters (see bizsos demo).
INSERT INTO program (id, code, name, nature, term, funding, status, completed_year,
	central_help, owner, department, final_goal, overview, evidence, first_quarter,
	last_quarter, sort)
VALUES (1, 'sos', '기업SOS 시스템 운영', 'continuing', 'within', 'budget', 'done_continuing',
	2022, '해당없음', '자체', '기업경제과',
	'기업의 애로를 적극 발굴·처리하는 맞춤형 기업애로 처리 시스템(기업 SOS시스템)을 운영하여 기업하기 좋은 환경을 조성하고자 함.',
	'시장 기업체 현장 방문 및 간담회 실시 : 연 4회' || char(10) ||
	'발로 뛰는 기업 소통 DAY 운영' || char(10) ||
	'▶ 기업 현장을 방문하여 기업 애로사항 및 민원 처리' || char(10) ||
	'기업 원스톱 처리 회의 운영(찾아가는 기업SOS 기동반 운영)' || char(10) ||
	'▶ 관련 부서 및 기관이 합동하여 복합 기업 애로 해결' || char(10) ||
	'기업환경 개선사업 추진' || char(10) ||
	'▶ 중소기업의 열악한 기업 환경 개선 사업(도비40%, 시비40%, 자부담20%)' || char(10) ||
	'▶ 지식산업센터 대상 법령교육 및 애로사항 청취',
	'기업 애로 발굴 및 처리 실적', '2022-Q3', '2026-Q2', 1);

INSERT INTO program_contact (program_id, title, name, phone, sort) VALUES
	(1, '기업경제과장', '이주빈', '2100', 1),
	(1, '기업SOS팀장', '최성근', '2809', 2),
	(1, '주무관', '이수연', '2284', 3);

INSERT INTO target (program_id, indicator, metric, period, value, unit) VALUES
	(1, '기업SOS처리 실적', 'cases_done', '2023', 60, '건'),
	(1, '기업SOS처리 실적', 'cases_done', '2024', 65, '건'),
	(1, '기업SOS처리 실적', 'cases_done', '2025', 70, '건'),
	(1, '기업SOS처리 실적', 'cases_done', '2026-06', 75, '건');

INSERT INTO roadmap_task (program_id, title, first_quarter, last_quarter, beyond_term, status, sort)
VALUES (1, '기업SOS 시스템 운영', '2022-Q3', '2026-Q2', 0, 'continuing', 1);

INSERT INTO self_assessment_item (id, program_id, year, kind, parent_id, body, sort, created_at,
	updated_at) VALUES
	(1, 1, 2024, 'went_well', NULL, '현장 중심의 다양한 기업애로 발굴 강화', 1, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z'),
	(2, 1, 2024, 'went_well', NULL, '기업지원을 통한 근로복지 향상, 작업시설 개선', 2, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z'),
	(3, 1, 2024, 'went_well', NULL, '중앙부처 연계(협업)을 통한 중소기업 규제 개선 추진', 3, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z'),
	(4, 1, 2024, 'went_well', NULL, '수요자 중심의 맞춤형 기업애로 발굴 서비스 실시', 4, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z'),
	(5, 1, 2024, 'improvement', NULL, '기업인 단체 참여를 강화하여 수요자 입장 적극 반영', 1, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z'),
	(6, 1, 2024, 'improvement', 5, '상공회의소, 지식산업센터, 산업단지 기업인 애로 발굴, 처리', 1, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z'),
	(7, 1, 2024, 'improvement', NULL, '기업 및 지원시책 홍보 강화로 수혜기업 확대', 2, '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z');

INSERT INTO next_plan (program_id, period_label, starts_on, ends_on, plan, sort) VALUES
	(1, '2024. 1. ~ 12.', '2024-01-01', '2024-12-31', '사업 추진', 1);
