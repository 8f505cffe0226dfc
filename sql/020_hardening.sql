-- 020_hardening: sign-in addresses that lift an account lock, a forced password
-- change after an administrator sets one, read-only API tokens, and
-- idempotency keys bound to their user and request body.

-- Where a user has signed in successfully (the address as the daemon saw it).
-- An account locked by failures from elsewhere still opens from these
-- addresses with the right password, so a stranger cannot lock a user out.
CREATE TABLE login_address (
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	address TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
	last_ok TEXT NOT NULL,
	PRIMARY KEY (user_id, address)
) STRICT, WITHOUT ROWID;

-- 1 after an administrator set the password: the next sign-in must change it.
ALTER TABLE app_user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
	CHECK (must_change_password IN (0, 1));

-- 'read' tokens may only read (GET/HEAD); 'write' tokens act fully as their user.
ALTER TABLE api_token ADD COLUMN scope TEXT NOT NULL DEFAULT 'write'
	CHECK (scope IN ('read', 'write'));

-- SHA-256 (hex) of the request body that first used an activity's idempotency
-- key; a replay must carry the same body and come from the same user.
ALTER TABLE activity ADD COLUMN idempotency_body TEXT
	CHECK (idempotency_body IS NULL OR length(idempotency_body) = 64);
