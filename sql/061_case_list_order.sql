-- The case list's default order (deadline, the extended one when set, then id):
-- page 1 of /cases reads the first rows of this index instead of sorting every
-- case (src/domain/sos_case.c case_list).
CREATE INDEX sos_case_due_order ON sos_case (coalesce(extended_due_on, due_on), id);
