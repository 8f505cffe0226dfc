-- 002_calendar: public holidays, for working-day deadlines.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
--
-- Holidays: the days on which the working-day clock stops (weekends stop it
-- anyway). Admins edit this table; nothing is deleted: a wrong row gets
-- retired_at (UTC instant) and stops counting.
--   kind: legal      관공서의 공휴일에 관한 규정 제2조 (incl. 설날/추석 연휴)
--         substitute 대체공휴일 (제3조)
--         temporary  임시공휴일 (designated by the cabinet)
--         election   공직선거법 선거일
-- Substitute rule used for the seed (제3조 as amended 2021-08-04 and 2023-05-04):
-- 설날·추석 연휴 overlapping a Sunday or another holiday, and 삼일절, 어린이날,
-- 광복절, 개천절, 한글날 (and from 2023-05-04 부처님오신날, 성탄절) on a Saturday,
-- Sunday or another holiday give the first following day that is neither a
-- weekend nor a holiday. 신정 and 현충일 get none.
-- 제헌절 is a holiday again from 2026 (공휴일에 관한 법률 amended 2026-02); its
-- substitute 2027-07-19 assumes 제3조 treats it like the other 국경일.
-- 노동절 (05-01) is not seeded: not a 관공서 공휴일 when this was written.
-- One row per day: a day that is two holidays at once has one row naming both.
-- Re-adding a retired day means clearing its retired_at.
CREATE TABLE holiday (
	day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('legal', 'substitute', 'temporary', 'election')),
	retired_at TEXT
) STRICT;

-- 2022
INSERT INTO holiday (day, name, kind) VALUES
	('2022-01-01', '신정', 'legal'), -- 토
	('2022-01-31', '설날 연휴', 'legal'), -- 월
	('2022-02-01', '설날', 'legal'), -- 화
	('2022-02-02', '설날 연휴', 'legal'), -- 수
	('2022-03-01', '삼일절', 'legal'), -- 화
	('2022-03-09', '제20대 대통령선거', 'election'), -- 수
	('2022-05-05', '어린이날', 'legal'), -- 목
	('2022-05-08', '부처님오신날', 'legal'), -- 일
	('2022-06-01', '제8회 전국동시지방선거', 'election'), -- 수
	('2022-06-06', '현충일', 'legal'), -- 월
	('2022-08-15', '광복절', 'legal'), -- 월
	('2022-09-09', '추석 연휴', 'legal'), -- 금
	('2022-09-10', '추석', 'legal'), -- 토
	('2022-09-11', '추석 연휴', 'legal'), -- 일
	('2022-09-12', '대체공휴일(추석)', 'substitute'), -- 월
	('2022-10-03', '개천절', 'legal'), -- 월
	('2022-10-09', '한글날', 'legal'), -- 일
	('2022-10-10', '대체공휴일(한글날)', 'substitute'), -- 월
	('2022-12-25', '성탄절', 'legal'); -- 일

-- 2023
INSERT INTO holiday (day, name, kind) VALUES
	('2023-01-01', '신정', 'legal'), -- 일
	('2023-01-21', '설날 연휴', 'legal'), -- 토
	('2023-01-22', '설날', 'legal'), -- 일
	('2023-01-23', '설날 연휴', 'legal'), -- 월
	('2023-01-24', '대체공휴일(설날)', 'substitute'), -- 화
	('2023-03-01', '삼일절', 'legal'), -- 수
	('2023-05-05', '어린이날', 'legal'), -- 금
	('2023-05-27', '부처님오신날', 'legal'), -- 토
	('2023-05-29', '대체공휴일(부처님오신날)', 'substitute'), -- 월
	('2023-06-06', '현충일', 'legal'), -- 화
	('2023-08-15', '광복절', 'legal'), -- 화
	('2023-09-28', '추석 연휴', 'legal'), -- 목
	('2023-09-29', '추석', 'legal'), -- 금
	('2023-09-30', '추석 연휴', 'legal'), -- 토
	('2023-10-02', '임시공휴일', 'temporary'), -- 월
	('2023-10-03', '개천절', 'legal'), -- 화
	('2023-10-09', '한글날', 'legal'), -- 월
	('2023-12-25', '성탄절', 'legal'); -- 월

-- 2024
INSERT INTO holiday (day, name, kind) VALUES
	('2024-01-01', '신정', 'legal'), -- 월
	('2024-02-09', '설날 연휴', 'legal'), -- 금
	('2024-02-10', '설날', 'legal'), -- 토
	('2024-02-11', '설날 연휴', 'legal'), -- 일
	('2024-02-12', '대체공휴일(설날)', 'substitute'), -- 월
	('2024-03-01', '삼일절', 'legal'), -- 금
	('2024-04-10', '제22대 국회의원선거', 'election'), -- 수
	('2024-05-05', '어린이날', 'legal'), -- 일
	('2024-05-06', '대체공휴일(어린이날)', 'substitute'), -- 월
	('2024-05-15', '부처님오신날', 'legal'), -- 수
	('2024-06-06', '현충일', 'legal'), -- 목
	('2024-08-15', '광복절', 'legal'), -- 목
	('2024-09-16', '추석 연휴', 'legal'), -- 월
	('2024-09-17', '추석', 'legal'), -- 화
	('2024-09-18', '추석 연휴', 'legal'), -- 수
	('2024-10-01', '임시공휴일(국군의날)', 'temporary'), -- 화
	('2024-10-03', '개천절', 'legal'), -- 목
	('2024-10-09', '한글날', 'legal'), -- 수
	('2024-12-25', '성탄절', 'legal'); -- 수

-- 2025
INSERT INTO holiday (day, name, kind) VALUES
	('2025-01-01', '신정', 'legal'), -- 수
	('2025-01-27', '임시공휴일', 'temporary'), -- 월
	('2025-01-28', '설날 연휴', 'legal'), -- 화
	('2025-01-29', '설날', 'legal'), -- 수
	('2025-01-30', '설날 연휴', 'legal'), -- 목
	('2025-03-01', '삼일절', 'legal'), -- 토
	('2025-03-03', '대체공휴일(삼일절)', 'substitute'), -- 월
	('2025-05-05', '어린이날·부처님오신날', 'legal'), -- 월
	('2025-05-06', '대체공휴일(어린이날·부처님오신날)', 'substitute'), -- 화
	('2025-06-03', '제21대 대통령선거', 'election'), -- 화
	('2025-06-06', '현충일', 'legal'), -- 금
	('2025-08-15', '광복절', 'legal'), -- 금
	('2025-10-03', '개천절', 'legal'), -- 금
	('2025-10-05', '추석 연휴', 'legal'), -- 일
	('2025-10-06', '추석', 'legal'), -- 월
	('2025-10-07', '추석 연휴', 'legal'), -- 화
	('2025-10-08', '대체공휴일(추석)', 'substitute'), -- 수
	('2025-10-09', '한글날', 'legal'), -- 목
	('2025-12-25', '성탄절', 'legal'); -- 목

-- 2026
INSERT INTO holiday (day, name, kind) VALUES
	('2026-01-01', '신정', 'legal'), -- 목
	('2026-02-16', '설날 연휴', 'legal'), -- 월
	('2026-02-17', '설날', 'legal'), -- 화
	('2026-02-18', '설날 연휴', 'legal'), -- 수
	('2026-03-01', '삼일절', 'legal'), -- 일
	('2026-03-02', '대체공휴일(삼일절)', 'substitute'), -- 월
	('2026-05-05', '어린이날', 'legal'), -- 화
	('2026-05-24', '부처님오신날', 'legal'), -- 일
	('2026-05-25', '대체공휴일(부처님오신날)', 'substitute'), -- 월
	('2026-06-03', '제9회 전국동시지방선거', 'election'), -- 수
	('2026-06-06', '현충일', 'legal'), -- 토
	('2026-07-17', '제헌절', 'legal'), -- 금
	('2026-08-15', '광복절', 'legal'), -- 토
	('2026-08-17', '대체공휴일(광복절)', 'substitute'), -- 월
	('2026-09-24', '추석 연휴', 'legal'), -- 목
	('2026-09-25', '추석', 'legal'), -- 금
	('2026-09-26', '추석 연휴', 'legal'), -- 토
	('2026-10-03', '개천절', 'legal'), -- 토
	('2026-10-05', '대체공휴일(개천절)', 'substitute'), -- 월
	('2026-10-09', '한글날', 'legal'), -- 금
	('2026-12-25', '성탄절', 'legal'); -- 금

-- 2027
INSERT INTO holiday (day, name, kind) VALUES
	('2027-01-01', '신정', 'legal'), -- 금
	('2027-02-06', '설날 연휴', 'legal'), -- 토
	('2027-02-07', '설날', 'legal'), -- 일
	('2027-02-08', '설날 연휴', 'legal'), -- 월
	('2027-02-09', '대체공휴일(설날)', 'substitute'), -- 화
	('2027-03-01', '삼일절', 'legal'), -- 월
	('2027-05-05', '어린이날', 'legal'), -- 수
	('2027-05-13', '부처님오신날', 'legal'), -- 목
	('2027-06-06', '현충일', 'legal'), -- 일
	('2027-07-17', '제헌절', 'legal'), -- 토
	('2027-07-19', '대체공휴일(제헌절)', 'substitute'), -- 월
	('2027-08-15', '광복절', 'legal'), -- 일
	('2027-08-16', '대체공휴일(광복절)', 'substitute'), -- 월
	('2027-09-14', '추석 연휴', 'legal'), -- 화
	('2027-09-15', '추석', 'legal'), -- 수
	('2027-09-16', '추석 연휴', 'legal'), -- 목
	('2027-10-03', '개천절', 'legal'), -- 일
	('2027-10-04', '대체공휴일(개천절)', 'substitute'), -- 월
	('2027-10-09', '한글날', 'legal'), -- 토
	('2027-10-11', '대체공휴일(한글날)', 'substitute'), -- 월
	('2027-12-25', '성탄절', 'legal'), -- 토
	('2027-12-27', '대체공휴일(성탄절)', 'substitute'); -- 월
