-- A case's search entries (its case_fts row and its two-character grams in
-- search_bigram) are written once per transaction by the program, not by a
-- trigger per row. The triggers below only note which cases changed; the
-- store writes their entries from the cases' current text just before the
-- transaction commits (src/store/search_index.c), in C and in one go:
--  * the grams: the recursive CTE of 060/090 cost about 4 µs per character
--    of text (0.1 ms for a 20-character case, over 1 ms for 300), C a small
--    fraction of that;
--  * case_fts: FTS5 writes a new segment at every savepoint, so one insert per
--    case inside the write batches' savepoints (src/store/batch.c) made one
--    segment per case; now a batch of cases makes one.
-- A case listed in search_stale is one whose entries are not (yet) those of
-- its text: a write by another program (which runs the triggers but not the
-- store's code), or a statement outside a transaction of the store's, until
-- the next catch-up (each commit of the store's, the maintenance thread). The
-- search reads such a case's text instead of the index (search_where), so it
-- stays exact either way.
--
-- Companies keep their triggers (060/090): they are written rarely and singly.

CREATE TABLE search_stale (
	kind INTEGER NOT NULL CHECK (kind = 1), -- 1: sos_case (as search_bigram.kind)
	id INTEGER NOT NULL,
	PRIMARY KEY (kind, id)
) WITHOUT ROWID, STRICT;

DROP TRIGGER sos_case_fts_insert;
DROP TRIGGER sos_case_fts_update;
DROP TRIGGER sos_case_bigram_insert;
DROP TRIGGER sos_case_bigram_update;
DROP TRIGGER case_note_fts_insert;
DROP TRIGGER case_note_bigram_insert;
DROP TRIGGER case_note_bigram_update;

CREATE TRIGGER sos_case_search_insert AFTER INSERT ON sos_case
BEGIN
	INSERT OR IGNORE INTO search_stale (kind, id) VALUES (1, new.id);
END;

-- A changed text: its old grams go now (the index must never list a gram the
-- text no longer has once the case is caught up), the new ones at catch-up.
CREATE TRIGGER sos_case_search_update AFTER UPDATE OF title, description, request ON sos_case
	WHEN old.title IS NOT new.title OR old.description IS NOT new.description
		OR old.request IS NOT new.request
BEGIN
	DELETE FROM search_bigram WHERE kind = 1 AND id = new.id;
	INSERT OR IGNORE INTO search_stale (kind, id) VALUES (1, new.id);
END;

CREATE TRIGGER case_note_search_insert AFTER INSERT ON case_note
BEGIN
	INSERT OR IGNORE INTO search_stale (kind, id) VALUES (1, new.case_id);
END;

-- Notes are append-only (004), but should a note's text ever change:
CREATE TRIGGER case_note_search_update AFTER UPDATE OF body, case_id ON case_note
	WHEN old.body IS NOT new.body OR old.case_id IS NOT new.case_id
BEGIN
	DELETE FROM search_bigram WHERE kind = 1 AND id IN (old.case_id, new.case_id);
	INSERT OR IGNORE INTO search_stale (kind, id) VALUES (1, old.case_id), (1, new.case_id);
END;
