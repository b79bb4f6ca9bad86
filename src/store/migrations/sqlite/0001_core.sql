-- 0001_core: tenants, identities, sessions, API tokens, login throttling and
-- the hash-chained audit trail. Instants are INTEGER Unix milliseconds.

CREATE TABLE schema_version (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at INTEGER NOT NULL
);

-- A customer of the MSSP and its contract.
CREATE TABLE tenants (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	edition TEXT NOT NULL CHECK (edition IN ('professional', 'enterprise')),
	contract_start TEXT NOT NULL, -- YYYY-MM-DD, inclusive
	contract_end TEXT NOT NULL,   -- YYYY-MM-DD, inclusive
	timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
	contacts TEXT NOT NULL DEFAULT '[]', -- JSON array of {name, email, phone, role}
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (contract_end >= contract_start)
);

-- Staff have tenant_id NULL; customer users belong to exactly one tenant.
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER REFERENCES tenants(id),
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'auditor',
					   'customer_admin', 'customer_user')),
	password_hash TEXT NOT NULL,      -- argon2id, libsodium's encoded form
	totp_secret BLOB,                 -- sealed with the master key
	totp_enabled INTEGER NOT NULL DEFAULT 0,
	totp_last_step INTEGER NOT NULL DEFAULT 0, -- refuses replay of a used code
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK ((role IN ('customer_admin', 'customer_user')) = (tenant_id IS NOT NULL))
);
CREATE INDEX users_tenant ON users(tenant_id);

-- Login sessions; the cookie carries a random token, the table its hash.
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	tenant_id INTEGER REFERENCES tenants(id),
	token_hash TEXT NOT NULL UNIQUE,
	csrf_hash TEXT NOT NULL,
	source TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- API tokens, sent as "Authorization: Bearer vgt_...". Only the hash is kept.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	tenant_id INTEGER REFERENCES tenants(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	prefix TEXT NOT NULL,        -- first characters, to recognise a token in lists
	scopes TEXT NOT NULL,        -- space-separated: read write
	expires_at INTEGER,          -- NULL: never
	revoked_at INTEGER,
	last_used_at INTEGER,
	created_at INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed-login counters, keyed "user:NAME" or "addr:ADDRESS".
CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start INTEGER NOT NULL,
	locked_until INTEGER NOT NULL DEFAULT 0
);

-- The audit trail: append-only, each row chained to its predecessor by
-- hash = SHA-256(prev_hash || canonical row content).
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	actor_id INTEGER,
	tenant_id INTEGER,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	source TEXT NOT NULL,
	outcome TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log(tenant_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
