-- 0006_suppressions: known noise an analyst silences for a while. A
-- suppression holds for alerts of its tenant (0: every tenant) whose rule,
-- source and grouped values match what it names; until it expires, such
-- alerts are not opened (and so not notified), only counted here.
CREATE TABLE suppressions (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL DEFAULT 0,
	rule_id TEXT,              -- NULL: any rule
	source_id INTEGER,         -- NULL: any source
	group_match TEXT NOT NULL DEFAULT '{}', -- JSON object: grouped field -> value
	reason TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	suppressed INTEGER NOT NULL DEFAULT 0, -- matches it kept from opening alerts
	last_suppressed_at INTEGER,
	created_at INTEGER NOT NULL,
	CHECK (rule_id IS NOT NULL OR source_id IS NOT NULL OR group_match != '{}')
);
CREATE INDEX suppressions_tenant ON suppressions(tenant_id, expires_at);
