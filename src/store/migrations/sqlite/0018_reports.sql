-- 0018_reports: the reports delivered to customers (the MSS monthly
-- analysis report, security incident analysis reports), kept as rendered,
-- and the mails that carried them to the tenant's report contacts.

-- The customer's logo for report covers: PNG, at most 512 KiB; and the
-- language its scheduled reports are written in.
ALTER TABLE tenants ADD COLUMN logo BLOB;
ALTER TABLE tenants ADD COLUMN report_language TEXT NOT NULL DEFAULT 'zh-CN'
	CHECK (report_language IN ('zh-CN', 'en'));

-- One rendered report. period is "YYYY-MM" for a monthly report, the
-- incident's reference ("SEC-7") for an incident report. state: pending
-- (the schedule will make it at next_at), ready (content holds the file),
-- failed (given up after attempts; error says why). scheduled marks the
-- one monthly report per tenant and month the schedule makes and mails;
-- reports asked for through the API or CLI are never mailed.
CREATE TABLE reports (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL CHECK (kind IN ('monthly', 'incident')),
	period TEXT NOT NULL,
	incident_id INTEGER REFERENCES security_incidents(id),
	format TEXT NOT NULL CHECK (format IN ('pdf', 'html')),
	language TEXT NOT NULL CHECK (language IN ('zh-CN', 'en')),
	state TEXT NOT NULL CHECK (state IN ('pending', 'ready', 'failed')),
	content BLOB,
	size INTEGER NOT NULL DEFAULT 0,
	sha256 TEXT,
	error TEXT,
	scheduled INTEGER NOT NULL DEFAULT 0,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK ((kind = 'incident') = (incident_id IS NOT NULL)),
	CHECK ((state = 'ready') = (content IS NOT NULL))
);
CREATE INDEX reports_tenant ON reports(tenant_id, id);
CREATE UNIQUE INDEX reports_scheduled ON reports(tenant_id, period) WHERE scheduled = 1;
CREATE INDEX reports_due ON reports(state, next_at);

-- A scheduled report mailed to one report contact. state: pending (next_at
-- says when to try), sent, failed (out of attempts; error says why).
CREATE TABLE report_mailings (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports(id),
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	recipient TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	error TEXT,
	sent_at INTEGER,
	UNIQUE (report_id, recipient)
);
CREATE INDEX report_mailings_due ON report_mailings(state, next_at);

-- The monthly report reads a tenant-month of alerts in aggregate: its
-- per-day counts and times to acknowledge and close from this index alone,
-- and the open high-severity alerts without scanning closed history.
CREATE INDEX alerts_tenant_created_cover ON alerts(tenant_id, created_at, severity_id, status,
	acknowledged_at, closed_at);
CREATE INDEX alerts_tenant_open ON alerts(tenant_id, status, severity_id, created_at);
