-- 070_documents: official documents (공문서) — the admin-editable templates of
-- the three kinds, the letterhead they share, and every issued document with
-- its text frozen as issued (re-printing never changes what was sent).
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.

-- One row: who sends, as the official layout prints it.
CREATE TABLE document_letterhead (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	org_name TEXT NOT NULL CHECK (length(org_name) BETWEEN 1 AND 60),        -- 기관명
	sender TEXT NOT NULL CHECK (length(sender) BETWEEN 1 AND 60),            -- 발신명의
	department TEXT NOT NULL CHECK (length(department) BETWEEN 1 AND 60),    -- 시행번호의 부서
	address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 200),
	phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
	fax TEXT NOT NULL DEFAULT '' CHECK (length(fax) <= 40),
	email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 100),
	homepage TEXT NOT NULL DEFAULT '' CHECK (length(homepage) <= 100),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;
INSERT INTO document_letterhead (id, org_name, sender, department, address, phone, updated_at)
VALUES (1, '가상시', '가상시장', '기업경제과', '(12345) 가상시 시청로 1 가상시청 기업경제과',
        '031-000-0000', '2026-01-01T00:00:00Z');

-- A template per kind: title and body are Mustache over the document's model
-- (company, case, recipient, date ...); attachments is the 붙임 line.
CREATE TABLE document_template (
	kind TEXT PRIMARY KEY CHECK (kind IN ('referral', 'result', 'anniversary')),
	name TEXT NOT NULL,
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
	attachments TEXT NOT NULL DEFAULT '' CHECK (length(attachments) <= 300),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;

INSERT INTO document_template (kind, name, title, body, attachments, updated_at) VALUES
('referral', '협조 요청',
 '기업애로 해결 협조 요청({{case.case_no}})',
 '1. 귀 {{recipient_kind}}의 무궁한 발전을 기원합니다.
2. 우리 시 기업SOS팀에 접수된 기업애로에 대하여 아래와 같이 협조를 요청하오니, 검토 후 {{due_text}}까지 처리 결과를 회신하여 주시기 바랍니다.
  가. 접수번호: {{case.case_no}} (접수일 {{case.received_on_text}})
  나. 기업명: {{company.name}} (사업자등록번호 {{company.brn_text}})
  다. 분야: {{case.category}}
  라. 애로 내용: {{case.title}}
{{#case.description}}     {{case.description}}
{{/case.description}}{{#case.request}}  마. 요청 사항: {{case.request}}
{{/case.request}}',
 '기업애로 접수 내용 1부.', '2026-01-01T00:00:00Z'),
('result', '결과 통지문',
 '기업애로 처리 결과 알림({{case.case_no}})',
 '1. 귀사의 무궁한 발전을 기원하며, 우리 시 기업 지원 시책에 관심을 가져 주셔서 감사드립니다.
2. 귀사에서 {{case.received_on_text}} 건의하신 기업애로에 대한 처리 결과를 아래와 같이 알려 드립니다.
  가. 접수번호: {{case.case_no}}
  나. 건의 내용: {{case.title}}
  다. 처리 결과: {{case.outcome_label}}
{{#case.outcome_reason}}  라. 사유: {{case.outcome_reason}}
{{/case.outcome_reason}}3. 처리 결과에 대하여 궁금한 점이 있으시면 담당자에게 연락하여 주시기 바랍니다.',
 '', '2026-01-01T00:00:00Z'),
('anniversary', '창립기념일 축하서한문',
 '{{company.name}} 창립 {{years}}주년 축하',
 '1. 귀사의 창립 {{years}}주년을 진심으로 축하드립니다.
2. {{founded_on_text}} 문을 연 이래 지역 경제와 일자리를 위해 애써 오신 대표님과 임직원 여러분께 깊은 감사의 말씀을 드립니다.
3. 우리 시는 앞으로도 기업 하기 좋은 도시를 만들기 위해 기업의 어려움에 귀 기울이겠습니다. 귀사의 무궁한 발전을 기원합니다.',
 '', '2026-01-01T00:00:00Z');

-- Issued documents. doc_no: 시행번호 "<부서>-<연번>", the number restarting each year.
-- recipient, title, body, attachments are the text as issued (body is the
-- template's output, already escaped for HTML and XML). Append-only.
CREATE TABLE issued_document (
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
	attachments TEXT NOT NULL DEFAULT '',
	letterhead TEXT NOT NULL, -- the letterhead as issued (JSON)
	staff_name TEXT NOT NULL,
	issued_by INTEGER NOT NULL REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	UNIQUE (year, seq)
) STRICT;
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
