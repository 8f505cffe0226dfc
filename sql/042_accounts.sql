-- 042_accounts: what a user's sessions are (device and address, for the
-- list a user and admins see and revoke), and the optional second factor
-- (TOTP, RFC 6238) with single-use recovery codes.
ALTER TABLE session ADD COLUMN user_agent TEXT CHECK (user_agent IS NULL OR length(user_agent) <= 300);
ALTER TABLE session ADD COLUMN address TEXT CHECK (address IS NULL OR length(address) <= 64);

-- totp_secret: the shared secret as hex (20 bytes), set when the user starts
-- enrolling; totp_enabled_at once a first code confirmed it; totp_last_step:
-- the 30-second step of the last accepted code (a code is accepted once).
ALTER TABLE app_user ADD COLUMN totp_secret TEXT CHECK (totp_secret IS NULL OR length(totp_secret) = 40);
ALTER TABLE app_user ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE app_user ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Recovery codes: only their SHA-256 (hex) is stored; each works once.
CREATE TABLE totp_recovery (
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
	used_at TEXT,
	PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

-- A password accepted, the second factor still due: the pending sign-in
-- (its cookie value hashed), for five minutes, at most five tries.
CREATE TABLE mfa_pending (
	token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	next TEXT,
	expires_at INTEGER NOT NULL,
	tries INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
