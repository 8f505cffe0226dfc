-- The two-character search index (060) made exact, so that a two-character
-- term is answered from it alone (src/domain/search.c), with no instr() check
-- of each candidate's text: when a record's searchable text changes, its grams
-- are replaced rather than added to. A case's grams are those of its title,
-- description and request and of every note; a company's those of its name,
-- representative, address and notes. Grams never contain a blank or a line
-- break (a search term never does either), so a term is in the index for a
-- record exactly when one of the record's searched texts contains it.

DROP TRIGGER sos_case_bigram_update;
CREATE TRIGGER sos_case_bigram_update AFTER UPDATE OF title, description, request ON sos_case
	WHEN old.title IS NOT new.title OR old.description IS NOT new.description
		OR old.request IS NOT new.request
BEGIN
	DELETE FROM search_bigram WHERE kind = 1 AND id = new.id;
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(s) AS (
		SELECT lower(new.title || ' ' || coalesce(new.description, '') || ' ' ||
			coalesce(new.request, ''))
		UNION ALL SELECT lower(body) FROM case_note WHERE case_id = new.id),
	g(i, gram, s) AS (
		SELECT 1, substr(s, 1, 2), s FROM t
		UNION ALL SELECT i + 1, substr(s, i + 1, 2), s FROM g WHERE i < length(s) - 1)
	SELECT 1, gram, new.id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

-- Notes are append-only (004), but should a note's text ever change:
CREATE TRIGGER case_note_bigram_update AFTER UPDATE OF body, case_id ON case_note
	WHEN old.body IS NOT new.body OR old.case_id IS NOT new.case_id
BEGIN
	DELETE FROM search_bigram WHERE kind = 1 AND id IN (old.case_id, new.case_id);
	INSERT OR IGNORE INTO search_bigram (kind, gram, id)
	WITH RECURSIVE t(id, s) AS (
		SELECT id, lower(title || ' ' || coalesce(description, '') || ' ' ||
			coalesce(request, '')) FROM sos_case WHERE id IN (old.case_id, new.case_id)
		UNION ALL SELECT case_id, lower(body) FROM case_note
		WHERE case_id IN (old.case_id, new.case_id)),
	g(id, i, gram, s) AS (
		SELECT id, 1, substr(s, 1, 2), s FROM t
		UNION ALL SELECT id, i + 1, substr(s, i + 1, 2), s FROM g WHERE i < length(s) - 1)
	SELECT 1, gram, id FROM g
	WHERE length(gram) = 2 AND instr(gram, ' ') = 0 AND instr(gram, char(10)) = 0;
END;

DROP TRIGGER company_bigram_update;
CREATE TRIGGER company_bigram_update AFTER UPDATE OF name, representative, address, notes
	ON company
	WHEN old.name IS NOT new.name OR old.representative IS NOT new.representative
		OR old.address IS NOT new.address OR old.notes IS NOT new.notes
BEGIN
	DELETE FROM search_bigram WHERE kind = 2 AND id = new.id;
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

CREATE TRIGGER company_bigram_delete AFTER DELETE ON company
BEGIN
	DELETE FROM search_bigram WHERE kind = 2 AND id = old.id;
END;

-- The grams left behind by earlier edits: rebuilt once from the current text.
DELETE FROM search_bigram;

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
