-- 0017_rule_tenants: a rule switched off (or back on) for one tenant. A
-- (rule, tenant) without a row is enabled; while enabled is 0 the rule's
-- matches for that tenant open no alerts.
CREATE TABLE rule_tenants (
	rule_id TEXT NOT NULL,
	tenant_id INTEGER NOT NULL,
	enabled INTEGER NOT NULL,
	changed_by TEXT NOT NULL,
	changed_at INTEGER NOT NULL,
	PRIMARY KEY (rule_id, tenant_id)
);
CREATE INDEX rule_tenants_tenant ON rule_tenants(tenant_id, enabled);
