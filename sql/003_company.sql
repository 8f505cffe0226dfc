-- 003_company: companies (기업), their contacts, their history, the access log
-- for personal data (개인정보 접속기록), the KSIC industry table and the
-- trigram full-text index over companies.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.

-- 한국표준산업분류 (KSIC, 10th/11th revision): the 21 sections (대분류, code =
-- section letter) and 중분류 divisions (code = section letter + 2 digits,
-- e.g. C10). A company names the most precise code known.
CREATE TABLE ksic (
	code TEXT PRIMARY KEY CHECK (code GLOB '[A-U]' OR code GLOB '[A-U][0-9][0-9]'),
	section TEXT NOT NULL CHECK (section GLOB '[A-U]' AND substr(code, 1, 1) = section),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
) STRICT;

INSERT INTO ksic (code, section, name) VALUES
	('A', 'A', '농업, 임업 및 어업'),
	('B', 'B', '광업'),
	('C', 'C', '제조업'),
	('D', 'D', '전기, 가스, 증기 및 공기 조절 공급업'),
	('E', 'E', '수도, 하수 및 폐기물 처리, 원료 재생업'),
	('F', 'F', '건설업'),
	('G', 'G', '도매 및 소매업'),
	('H', 'H', '운수 및 창고업'),
	('I', 'I', '숙박 및 음식점업'),
	('J', 'J', '정보통신업'),
	('K', 'K', '금융 및 보험업'),
	('L', 'L', '부동산업'),
	('M', 'M', '전문, 과학 및 기술 서비스업'),
	('N', 'N', '사업시설 관리, 사업 지원 및 임대 서비스업'),
	('O', 'O', '공공 행정, 국방 및 사회보장 행정'),
	('P', 'P', '교육 서비스업'),
	('Q', 'Q', '보건업 및 사회복지 서비스업'),
	('R', 'R', '예술, 스포츠 및 여가관련 서비스업'),
	('S', 'S', '협회 및 단체, 수리 및 기타 개인 서비스업'),
	('T', 'T', '가구 내 고용활동 및 달리 분류되지 않은 자가 소비 생산활동'),
	('U', 'U', '국제 및 외국기관');

INSERT INTO ksic (code, section, name) VALUES
	('A01', 'A', '농업'),
	('A02', 'A', '임업'),
	('A03', 'A', '어업'),
	('B05', 'B', '석탄, 원유 및 천연가스 광업'),
	('B06', 'B', '금속 광업'),
	('B07', 'B', '비금속광물 광업; 연료용 제외'),
	('B08', 'B', '광업 지원 서비스업'),
	('C10', 'C', '식료품 제조업'),
	('C11', 'C', '음료 제조업'),
	('C12', 'C', '담배 제조업'),
	('C13', 'C', '섬유제품 제조업; 의복 제외'),
	('C14', 'C', '의복, 의복 액세서리 및 모피제품 제조업'),
	('C15', 'C', '가죽, 가방 및 신발 제조업'),
	('C16', 'C', '목재 및 나무제품 제조업; 가구 제외'),
	('C17', 'C', '펄프, 종이 및 종이제품 제조업'),
	('C18', 'C', '인쇄 및 기록매체 복제업'),
	('C19', 'C', '코크스, 연탄 및 석유정제품 제조업'),
	('C20', 'C', '화학 물질 및 화학제품 제조업; 의약품 제외'),
	('C21', 'C', '의료용 물질 및 의약품 제조업'),
	('C22', 'C', '고무 및 플라스틱제품 제조업'),
	('C23', 'C', '비금속 광물제품 제조업'),
	('C24', 'C', '1차 금속 제조업'),
	('C25', 'C', '금속 가공제품 제조업; 기계 및 가구 제외'),
	('C26', 'C', '전자 부품, 컴퓨터, 영상, 음향 및 통신장비 제조업'),
	('C27', 'C', '의료, 정밀, 광학 기기 및 시계 제조업'),
	('C28', 'C', '전기장비 제조업'),
	('C29', 'C', '기타 기계 및 장비 제조업'),
	('C30', 'C', '자동차 및 트레일러 제조업'),
	('C31', 'C', '기타 운송장비 제조업'),
	('C32', 'C', '가구 제조업'),
	('C33', 'C', '기타 제품 제조업'),
	('C34', 'C', '산업용 기계 및 장비 수리업'),
	('D35', 'D', '전기, 가스, 증기 및 공기 조절 공급업'),
	('E36', 'E', '수도업'),
	('E37', 'E', '하수, 폐수 및 분뇨 처리업'),
	('E38', 'E', '폐기물 수집, 운반, 처리 및 원료 재생업'),
	('E39', 'E', '환경 정화 및 복원업'),
	('F41', 'F', '종합 건설업'),
	('F42', 'F', '전문직별 공사업'),
	('G45', 'G', '자동차 및 부품 판매업'),
	('G46', 'G', '도매 및 상품 중개업'),
	('G47', 'G', '소매업; 자동차 제외'),
	('H49', 'H', '육상 운송 및 파이프라인 운송업'),
	('H50', 'H', '수상 운송업'),
	('H51', 'H', '항공 운송업'),
	('H52', 'H', '창고 및 운송관련 서비스업'),
	('I55', 'I', '숙박업'),
	('I56', 'I', '음식점 및 주점업'),
	('J58', 'J', '출판업'),
	('J59', 'J', '영상·오디오 기록물 제작 및 배급업'),
	('J60', 'J', '방송업'),
	('J61', 'J', '우편 및 통신업'),
	('J62', 'J', '컴퓨터 프로그래밍, 시스템 통합 및 관리업'),
	('J63', 'J', '정보서비스업'),
	('K64', 'K', '금융업'),
	('K65', 'K', '보험 및 연금업'),
	('K66', 'K', '금융 및 보험 관련 서비스업'),
	('L68', 'L', '부동산업'),
	('M70', 'M', '연구개발업'),
	('M71', 'M', '전문 서비스업'),
	('M72', 'M', '건축 기술, 엔지니어링 및 기타 과학기술 서비스업'),
	('M73', 'M', '기타 전문, 과학 및 기술 서비스업'),
	('N74', 'N', '사업시설 관리 및 조경 서비스업'),
	('N75', 'N', '사업 지원 서비스업'),
	('N76', 'N', '임대업; 부동산 제외'),
	('O84', 'O', '공공 행정, 국방 및 사회보장 행정'),
	('P85', 'P', '교육 서비스업'),
	('Q86', 'Q', '보건업'),
	('Q87', 'Q', '사회복지 서비스업'),
	('R90', 'R', '창작, 예술 및 여가관련 서비스업'),
	('R91', 'R', '스포츠 및 오락관련 서비스업'),
	('S94', 'S', '협회 및 단체'),
	('S95', 'S', '개인 및 소비용품 수리업'),
	('S96', 'S', '기타 개인 서비스업'),
	('T97', 'T', '가구 내 고용활동'),
	('T98', 'T', '달리 분류되지 않은 자가 소비를 위한 가구의 재화 및 서비스 생산활동'),
	('U99', 'U', '국제 및 외국기관');

-- A company the team supports. brn (사업자등록번호) is 10 bare digits, unique
-- (a retired company keeps its number); crn (법인등록번호) 13 bare digits or
-- NULL. name_key is the name with spaces, (주)/주식회사/㈜/유한회사/(유) and
-- ASCII case removed (computed by src/domain/company.c), for the similar-name
-- warning. version counts edits, for optimistic concurrency.
CREATE TABLE company (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	name_key TEXT NOT NULL,
	brn TEXT NOT NULL UNIQUE CHECK (length(brn) = 10 AND brn NOT GLOB '*[^0-9]*'),
	crn TEXT CHECK (crn IS NULL OR (length(crn) = 13 AND crn NOT GLOB '*[^0-9]*')),
	representative TEXT CHECK (representative IS NULL OR length(representative) <= 100),
	ksic_code TEXT REFERENCES ksic (code),
	address TEXT CHECK (address IS NULL OR length(address) <= 200),
	zone TEXT CHECK (zone IS NULL OR length(zone) <= 100),
	employees INTEGER CHECK (employees IS NULL OR employees >= 0),
	founded_on TEXT CHECK (founded_on IS NULL OR
		founded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	notes TEXT CHECK (notes IS NULL OR length(notes) <= 4000),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	retired_at TEXT,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;
CREATE INDEX company_name_key ON company (name_key);
CREATE INDEX company_zone ON company (zone);
CREATE INDEX company_ksic ON company (ksic_code);
CREATE INDEX company_founded ON company (substr(founded_on, 6, 5));

-- A person at a company (personal data: masked in lists, shown in full only on
-- the company page, every full view in privacy_access). Retired, not deleted.
CREATE TABLE company_contact (
	id INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL REFERENCES company (id),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
	title TEXT CHECK (title IS NULL OR length(title) <= 50),
	phone TEXT CHECK (phone IS NULL OR length(phone) <= 30),
	email TEXT CHECK (email IS NULL OR length(email) <= 254),
	created_at TEXT NOT NULL,
	retired_at TEXT
) STRICT;
CREATE INDEX company_contact_company ON company_contact (company_id);

-- The history of a company: one row per created record, changed field or
-- contact change (kind: create | update | contact_add | contact_retire),
-- old → new as text. Append-only.
CREATE TABLE company_event (
	id INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL REFERENCES company (id),
	at TEXT NOT NULL,
	actor_id INTEGER REFERENCES app_user (id),
	kind TEXT NOT NULL CHECK (kind IN ('create', 'update', 'contact_add', 'contact_retire')),
	field TEXT,
	old TEXT,
	new TEXT
) STRICT;
CREATE INDEX company_event_company ON company_event (company_id, at);

CREATE TRIGGER company_event_no_update BEFORE UPDATE ON company_event
BEGIN
	SELECT RAISE(ABORT, 'company_event is append-only');
END;
CREATE TRIGGER company_event_no_delete BEFORE DELETE ON company_event
BEGIN
	SELECT RAISE(ABORT, 'company_event is append-only');
END;

-- 개인정보 접속기록: who saw whose personal data, when, from where. what names
-- the data shown (e.g. 'contacts:3' for three contacts in full). Append-only.
CREATE TABLE privacy_access (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	company_id INTEGER REFERENCES company (id),
	what TEXT NOT NULL,
	remote TEXT
) STRICT;
CREATE INDEX privacy_access_at ON privacy_access (at);
CREATE INDEX privacy_access_user ON privacy_access (user_id, at);
CREATE INDEX privacy_access_company ON privacy_access (company_id, at);

CREATE TRIGGER privacy_access_no_update BEFORE UPDATE ON privacy_access
BEGIN
	SELECT RAISE(ABORT, 'privacy_access is append-only');
END;
CREATE TRIGGER privacy_access_no_delete BEFORE DELETE ON privacy_access
BEGIN
	SELECT RAISE(ABORT, 'privacy_access is append-only');
END;

-- Full-text index over the company's searchable text (external content: the
-- text lives in company only). Trigram: substrings of 3+ characters; shorter
-- queries are answered with instr() (src/domain/search.c).
CREATE VIRTUAL TABLE company_fts USING fts5 (
	name, representative, address, notes,
	content = 'company', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER company_fts_ai AFTER INSERT ON company
BEGIN
	INSERT INTO company_fts (rowid, name, representative, address, notes)
	VALUES (new.id, new.name, new.representative, new.address, new.notes);
END;
CREATE TRIGGER company_fts_au AFTER UPDATE OF name, representative, address, notes ON company
BEGIN
	INSERT INTO company_fts (company_fts, rowid, name, representative, address, notes)
	VALUES ('delete', old.id, old.name, old.representative, old.address, old.notes);
	INSERT INTO company_fts (rowid, name, representative, address, notes)
	VALUES (new.id, new.name, new.representative, new.address, new.notes);
END;
CREATE TRIGGER company_fts_ad AFTER DELETE ON company
BEGIN
	INSERT INTO company_fts (company_fts, rowid, name, representative, address, notes)
	VALUES ('delete', old.id, old.name, old.representative, old.address, old.notes);
END;
