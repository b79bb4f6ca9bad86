-- 0005_triage: working alerts - who has one, when it was acknowledged and
-- closed and why, and its activity (comments, state changes).

ALTER TABLE alerts ADD COLUMN assignee_id INTEGER REFERENCES users(id);
ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE alerts ADD COLUMN closed_at INTEGER;
ALTER TABLE alerts ADD COLUMN disposition TEXT
	CHECK (disposition IN ('true_positive', 'false_positive', 'benign', 'duplicate'));
ALTER TABLE alerts ADD COLUMN close_reason TEXT;
CREATE INDEX alerts_tenant_created ON alerts(tenant_id, created_at);

-- What happened to an alert, in order. user_id NULL is the system.
CREATE TABLE alert_activity (
	id INTEGER PRIMARY KEY,
	alert_id INTEGER NOT NULL REFERENCES alerts(id),
	tenant_id INTEGER NOT NULL,
	at INTEGER NOT NULL,
	user_id INTEGER,
	username TEXT NOT NULL,
	action TEXT NOT NULL
		CHECK (action IN ('acknowledge', 'assign', 'comment', 'close', 'reopen', 'escalate')),
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_activity_alert ON alert_activity(alert_id, id);
