-- Issue 8, point 2: a correction of an execution entry is the retire of the
-- wrong entry plus a new one; the new entry names the one it corrects (the
-- other direction is found by this column), so the list shows both linked.
ALTER TABLE budget_execution ADD COLUMN corrects_id INTEGER REFERENCES budget_execution (id);
CREATE INDEX budget_execution_corrects ON budget_execution (corrects_id)
	WHERE corrects_id IS NOT NULL;
