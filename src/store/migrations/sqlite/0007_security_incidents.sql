-- 0007_security_incidents: alerts escalated into a security incident
-- (安全事件), worked through the response phases: detection, containment,
-- eradication, recovery, post-incident, each entered with a note and a time.
CREATE TABLE security_incidents (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	title TEXT NOT NULL,
	category TEXT NOT NULL CHECK (category IN ('ransomware', 'backdoor', 'cryptomining',
		'webshell', 'brute_force', 'data_leak', 'ddos_cc', 'other')),
	severity_id INTEGER NOT NULL CHECK (severity_id BETWEEN 1 AND 6),
	phase TEXT NOT NULL DEFAULT 'detection' CHECK (phase IN ('detection', 'containment',
		'eradication', 'recovery', 'post_incident')),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	summary TEXT,                -- what the close said
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	closed_at INTEGER
);
CREATE INDEX security_incidents_tenant ON security_incidents(tenant_id, id);

-- An alert belongs to one incident at most.
CREATE TABLE security_incident_alerts (
	incident_id INTEGER NOT NULL REFERENCES security_incidents(id),
	alert_id INTEGER NOT NULL UNIQUE REFERENCES alerts(id),
	PRIMARY KEY (incident_id, alert_id)
);

-- The incident's timeline: opened, each phase entered, notes, alerts
-- linked, closed.
CREATE TABLE security_incident_activity (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES security_incidents(id),
	at INTEGER NOT NULL,
	username TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('open', 'phase', 'note', 'link', 'close')),
	phase TEXT NOT NULL,         -- the phase the incident was in (or entered)
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_incident_activity_incident ON security_incident_activity(incident_id, id);
