-- 0004_deliveries: which alerts go to which channels, and every message
-- sent (or being sent) with its attempts.

-- A routing rule: alerts of the tenant (0: of every tenant, the MSSP's
-- own rules) at or above min_severity, from the listed sources and rules
-- (empty: any), go to channel_id. With aggregate_minutes, the first alert
-- opens a window: it is sent at once, and the alerts after it until the
-- window ends are sent together as one digest. With escalate_after_minutes,
-- an alert still open (not acknowledged) that long after it was routed is
-- sent again to escalate_channel_id (the duty manager's).
CREATE TABLE notify_routes (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL DEFAULT 0,
	name TEXT NOT NULL,
	channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	min_severity INTEGER NOT NULL DEFAULT 1 CHECK (min_severity BETWEEN 1 AND 6),
	sources TEXT NOT NULL DEFAULT '[]',   -- JSON array of source ids
	rules TEXT NOT NULL DEFAULT '[]',     -- JSON array of Sigma rule ids
	aggregate_minutes INTEGER NOT NULL DEFAULT 0 CHECK (aggregate_minutes BETWEEN 0 AND 1440),
	language TEXT NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
	escalate_after_minutes INTEGER NOT NULL DEFAULT 0
		CHECK (escalate_after_minutes BETWEEN 0 AND 10080),
	escalate_channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
	enabled INTEGER NOT NULL DEFAULT 1,
	window_end INTEGER NOT NULL DEFAULT 0,  -- the open aggregation window's end (ms)
	digest_id INTEGER,                      -- its pending digest delivery
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (tenant_id, name)
);

-- One message to one channel. state: pending (next_at says when to try),
-- sent, failed (refused for good, or out of attempts), cancelled (an
-- escalation whose alert was acknowledged in time). The log outlives a
-- deleted channel (channel_id NULL then).
CREATE TABLE deliveries (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL,
	channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
	channel_name TEXT NOT NULL,
	route_id INTEGER REFERENCES notify_routes(id) ON DELETE SET NULL,
	kind TEXT NOT NULL CHECK (kind IN ('alert', 'digest', 'escalation')),
	alert_id INTEGER,       -- the alert (for a digest, the first one)
	alerts INTEGER NOT NULL DEFAULT 1, -- how many alerts it tells of
	title TEXT NOT NULL,
	text TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending'
		CHECK (state IN ('pending', 'sent', 'failed', 'cancelled')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	last_status INTEGER,
	last_vendor_code INTEGER,
	last_error TEXT,
	created_at INTEGER NOT NULL,
	sent_at INTEGER
);
CREATE INDEX deliveries_due ON deliveries(state, next_at);
CREATE INDEX deliveries_tenant ON deliveries(tenant_id, id);

-- Each try of a delivery: what the vendor answered.
CREATE TABLE delivery_attempts (
	id INTEGER PRIMARY KEY,
	delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
	at INTEGER NOT NULL,
	delivered INTEGER NOT NULL,
	retry INTEGER NOT NULL,
	status INTEGER,
	vendor_code INTEGER,
	answer TEXT NOT NULL DEFAULT '',
	error TEXT
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, id);

-- The last alert id the router has handled.
CREATE TABLE notify_cursor (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	last_alert_id INTEGER NOT NULL
);
INSERT INTO notify_cursor (id, last_alert_id) VALUES (1, 0);
