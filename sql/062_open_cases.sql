-- Open cases only, in deadline order: the leader's home (overdue, urgent,
-- unassigned, bounced), /cases?status=open and /cases/overdue scan the few
-- thousand open cases through this partial index, never every case ever
-- received. The WHERE clause is the case domain's OPEN_SQL, term for term
-- (src/domain/case_internal.h), so that the planner can prove a query fits it.
CREATE INDEX sos_case_open_due ON sos_case (coalesce(extended_due_on, due_on), id)
	WHERE status IN ('received', 'reviewing', 'in_progress') AND merged_into IS NULL;

-- The cases merged into one (shown on its page): a short list, never a scan.
CREATE INDEX sos_case_merged_into ON sos_case (merged_into) WHERE merged_into IS NOT NULL;

-- A list filtered by status and received period (e.g. /cases?status=done&year=2024),
-- counted and sorted by deadline from the index alone.
CREATE INDEX sos_case_status_received ON sos_case (status, received_on, due_on, extended_due_on);
