-- 0002_detection: log sources and their counters, alerts, indicators of
-- compromise, and each tenant's log retention.

-- China's Cybersecurity Law (art. 21) asks for six months of logs.
ALTER TABLE tenants ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 180
	CHECK (retention_days BETWEEN 1 AND 3650);

-- Where a tenant's events come from. Ingest authenticates with a token
-- bound to one source (only its hash is kept); a syslog source may name a
-- listener ("udp://0.0.0.0:5514", "tcp://0.0.0.0:6514").
CREATE TABLE sources (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	token_prefix TEXT NOT NULL,
	listen TEXT UNIQUE,
	enabled INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (tenant_id, name)
);
CREATE INDEX sources_tenant ON sources(tenant_id);

-- What a source sent: accepted events, bytes, and refused records by
-- reason (invalid_json, truncated, ...), with the last refusal's message.
CREATE TABLE source_stats (
	source_id INTEGER PRIMARY KEY REFERENCES sources(id),
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	events INTEGER NOT NULL DEFAULT 0,
	bytes INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	rejected_by_reason TEXT NOT NULL DEFAULT '{}', -- JSON object reason -> count
	last_reject TEXT,
	last_reject_at INTEGER,
	last_event_at INTEGER,
	alerts INTEGER NOT NULL DEFAULT 0
);

-- Alerts: a rule's matches for a tenant, grouped. A flood of matches with
-- the same group key while the alert is open becomes one row whose count
-- and last_seen grow. severity_id is OCSF's: 1 informational, 2 low,
-- 3 medium, 4 high, 5 critical.
CREATE TABLE alerts (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	source_id INTEGER REFERENCES sources(id),
	group_key TEXT NOT NULL,     -- SHA-256 of rule, tenant, source and grouped values
	rule_id TEXT,                -- the Sigma rule's id
	rule_title TEXT NOT NULL,
	level TEXT,                  -- the rule's level, as written
	severity_id INTEGER NOT NULL CHECK (severity_id BETWEEN 1 AND 5),
	tags TEXT NOT NULL DEFAULT '[]',     -- JSON array (ATT&CK tags)
	correlation TEXT,            -- the correlation type, or NULL for a detection
	value REAL,                  -- a correlation's count, sum or share at its latest hit
	group_values TEXT NOT NULL DEFAULT '{}', -- JSON object of the grouped fields
	count INTEGER NOT NULL,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	first_event TEXT,            -- the event JSON that opened it
	last_event TEXT,             -- and the latest
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX alerts_tenant ON alerts(tenant_id, id);
CREATE INDEX alerts_group ON alerts(group_key, status, last_seen);

-- Indicators of compromise the detection pipeline looks for in every
-- event's fields. tenant_id 0 is the MSSP's own list, watched for in every
-- tenant's events.
CREATE TABLE iocs (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL DEFAULT 0,
	type TEXT NOT NULL CHECK (type IN ('ip', 'domain', 'url', 'hash')),
	value TEXT NOT NULL,             -- normalised (lower-cased host, canonical address)
	level TEXT NOT NULL DEFAULT 'high'
		CHECK (level IN ('informational', 'low', 'medium', 'high', 'critical')),
	description TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '', -- the feed or analyst it came from
	expires_at INTEGER,              -- NULL: never
	created_at INTEGER NOT NULL,
	UNIQUE (tenant_id, type, value)
);
CREATE INDEX iocs_tenant ON iocs(tenant_id, id);
