-- Empty optional text is absent (NULL), never '' (issue 8, point 3): the store
-- binds "" as NULL from now on (db_bind_text); this repairs rows written before.
-- Append-only tables (events, notes, published cards, sign-offs) keep their rows
-- as written. Columns declared NOT NULL DEFAULT '' are not optional text.
UPDATE app_user SET locked_until = NULL WHERE locked_until = '';
UPDATE api_token SET label = NULL WHERE label = '';
UPDATE company SET crn = NULL WHERE crn = '';
UPDATE company SET representative = NULL WHERE representative = '';
UPDATE company SET ksic_code = NULL WHERE ksic_code = '';
UPDATE company SET address = NULL WHERE address = '';
UPDATE company SET zone = NULL WHERE zone = '';
UPDATE company SET notes = NULL WHERE notes = '';
UPDATE company_contact SET title = NULL WHERE title = '';
UPDATE company_contact SET phone = NULL WHERE phone = '';
UPDATE company_contact SET email = NULL WHERE email = '';
UPDATE sos_case SET flag = NULL WHERE flag = '';
UPDATE sos_case SET status_reason = NULL WHERE status_reason = '';
UPDATE sos_case SET disposition = NULL WHERE disposition = '';
UPDATE sos_case SET outcome = NULL WHERE outcome = '';
UPDATE sos_case SET outcome_reason = NULL WHERE outcome_reason = '';
UPDATE sos_case SET transfer_to = NULL WHERE transfer_to = '';
UPDATE sos_case SET transfer_answer = NULL WHERE transfer_answer = '';
UPDATE sos_case SET notified_method = NULL WHERE notified_method = '';
UPDATE sos_case SET extension_reason = NULL WHERE extension_reason = '';
UPDATE case_referral SET answer = NULL WHERE answer = '';
UPDATE activity_type SET card_row = NULL WHERE card_row = '';
UPDATE activity_case SET decision = NULL WHERE decision = '';
UPDATE improvement_grant SET split_reason = NULL WHERE split_reason = '';
UPDATE comm_entry SET outlet = NULL WHERE outlet = '';
UPDATE comm_entry SET url = NULL WHERE url = '';
UPDATE budget_execution SET over_reason = NULL WHERE over_reason = '';
