-- 130_event_at_indexes: the audit trail (src/domain/audit.c) pages by keyset
-- over six sources, newest first by (at, id): each source's events are read
-- backwards from the cursor on an (at) index (the rowid id completes the key),
-- so the compound merges them without sorting whole tables. audit_log has
-- audit_log_at already.
-- Applied by db_migrate inside one BEGIN IMMEDIATE transaction; no BEGIN/COMMIT here.
CREATE INDEX company_event_at ON company_event (at);
CREATE INDEX case_event_at ON case_event (at);
CREATE INDEX activity_event_at ON activity_event (at);
CREATE INDEX grant_event_at ON grant_event (at);
CREATE INDEX program_event_at ON program_event (at);
