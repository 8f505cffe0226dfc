-- 008: covering indexes for the card, dashboard and home page counts.
-- The card counts activities per type and year, and cases closed per period;
-- with these the counts read only the index, not every row (measured on the
-- demo database at --scale 5: GET /card 20 ms -> 8-15 ms on one thread).
CREATE INDEX activity_held_type ON activity (held_on, type_id, retired_at);
CREATE INDEX sos_case_closed ON sos_case (closed_on, status, merged_into);
