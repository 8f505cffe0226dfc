-- Two-character search terms from an index (src/domain/search.c): the trigram
-- FTS tables answer terms of three characters or more; a two-syllable Korean
-- word (자금, 인력, 정밀) is answered from this table of every two-character
-- gram of a record's searchable text, instead of instr() over every row.
--
-- kind: 1 = an SOS case (title, description, request, notes), 2 = a company
-- (name, representative, address, notes). Grams are lower-cased (ASCII, as
-- the search is) and never contain a blank. The table only ever grows: when a
-- record's text changes its new grams are added and old ones stay, so the
-- search checks each candidate's current text (a candidate, not a match).
CREATE TABLE search_bigram (
	kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
	gram TEXT NOT NULL,
	id INTEGER NOT NULL,
	PRIMARY KEY (kind, gram, id)
) WITHOUT ROWID, STRICT;

-- The grams of one text: every pair of adjacent characters without a blank.
-- (A view cannot take parameters, so each trigger repeats this CTE.)
CREATE TRIGGER sos_case_bigram_insert AFTER INSERT ON sos_case
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.title || ' ' || coalesce(new.description, '') || ' ' ||
			coalesce(new.request, ''))),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 1, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

CREATE TRIGGER sos_case_bigram_update AFTER UPDATE OF title, description, request ON sos_case
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.title || ' ' || coalesce(new.description, '') || ' ' ||
			coalesce(new.request, ''))),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 1, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

CREATE TRIGGER case_note_bigram_insert AFTER INSERT ON case_note
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (SELECT lower(new.body)),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 1, gram, new.case_id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

CREATE TRIGGER company_bigram_insert AFTER INSERT ON company
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.name || ' ' || coalesce(new.representative, '') || ' ' ||
			coalesce(new.address, '') || ' ' || coalesce(new.notes, ''))),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 2, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

CREATE TRIGGER company_bigram_update AFTER UPDATE OF name, representative, address, notes
	ON company
BEGIN
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.name || ' ' || coalesce(new.representative, '') || ' ' ||
			coalesce(new.address, '') || ' ' || coalesce(new.notes, ''))),
	g(i, gram) AS (
		SELECT 1, substr(s, 1, 2) FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2) FROM g, t WHERE i < length(s) - 1)
	SELECT 2, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

-- The records that exist already.
INSERT OR IGNORE INTO search_bigram (kind, gram, id)
WITH RECURSIVE t(id, s) AS (
	SELECT id, lower(title || ' ' || coalesce(description, '') || ' ' ||
		coalesce(request, '')) FROM sos_case
	UNION ALL SELECT case_id, lower(body) FROM case_note),
g(id, i, gram, s) AS (
	SELECT id, 1, substr(s, 1, 2), s FROM t
	UNION ALL SELECT id, i + 1, substr(s, i + 1, 2), s FROM g WHERE i < length(s) - 1)
SELECT 1, gram, id FROM g
WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;

INSERT OR IGNORE INTO search_bigram (kind, gram, id)
WITH RECURSIVE t(id, s) AS (
	SELECT id, lower(name || ' ' || coalesce(representative, '') || ' ' ||
		coalesce(address, '') || ' ' || coalesce(notes, '')) FROM company),
g(id, i, gram, s) AS (
	SELECT id, 1, substr(s, 1, 2), s FROM t
	UNION ALL SELECT id, i + 1, substr(s, i + 1, 2), s FROM g WHERE i < length(s) - 1)
SELECT 2, gram, id FROM g
WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
