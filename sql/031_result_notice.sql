-- 031_result_notice: telling the company the result (결과 통지). A contact's
-- consent to be told by mail or text message, the message texts an admin
-- edits (Mustache), and the SMS/알림톡 gateway's JSON body template.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.

-- Consent of one contact (개인정보 수집·이용 동의 for notices): by mail, by
-- text message. A row is replaced when the consent changes; the audit log
-- keeps the history (contact.consent).
CREATE TABLE contact_consent (
	contact_id INTEGER PRIMARY KEY REFERENCES company_contact (id),
	email INTEGER NOT NULL DEFAULT 0 CHECK (email IN (0, 1)),
	sms INTEGER NOT NULL DEFAULT 0 CHECK (sms IN (0, 1)),
	recorded_at TEXT NOT NULL,
	recorded_by INTEGER REFERENCES app_user (id)
) STRICT;

-- Texts an admin edits (Mustache): 'case_result' (the mail to the company:
-- subject and body, plain text) and 'sms_gateway' (the JSON body POSTed to
-- the SMS/알림톡 gateway; subject unused). Every change is audited.
CREATE TABLE message_template (
	name TEXT PRIMARY KEY CHECK (name IN ('case_result', 'sms_gateway')),
	subject TEXT NOT NULL DEFAULT '' CHECK (length(subject) <= 300),
	body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id)
) STRICT;

INSERT INTO message_template (name, subject, body, updated_at) VALUES
('case_result', '[기업SOS] {{company}} 기업애로 처리 결과 안내 ({{case_no}})',
'{{contact}} 님께

{{company}}에서 {{received_on}}에 말씀하신 기업애로의 처리 결과를 알려 드립니다.

사건 번호: {{case_no}}
제목: {{title}}
처리 결과: {{outcome}}
{{#outcome_reason}}사유: {{outcome_reason}}
{{/outcome_reason}}{{#has_answers}}
답변 내용
{{/has_answers}}{{#answers}}
{{.}}
{{/answers}}

더 궁금하신 점은 기업경제과 기업SOS팀으로 연락 주십시오.
', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
('sms_gateway', '',
'{"to": "{{phone}}", "from": "{{sender}}", "text": "[기업SOS] {{company}} {{case_no}} 처리 결과: {{outcome}}. 자세한 내용은 담당자가 안내드립니다.", "ref": "{{key}}"}',
strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
