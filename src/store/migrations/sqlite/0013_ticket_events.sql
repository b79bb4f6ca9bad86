-- 0013_ticket_events: what happens to tickets that people are told of: a
-- ticket opened, an SLA clock past its warning share, an SLA clock
-- breached. Each is raised once (the unique key), routed by the routes that
-- list its kind, through the same delivery queue as alerts.
CREATE TABLE ticket_events (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	kind TEXT NOT NULL CHECK (kind IN ('created', 'sla_warning', 'sla_breach')),
	clock TEXT NOT NULL DEFAULT '' CHECK (clock IN ('', 'response', 'resolution')),
	at INTEGER NOT NULL,
	UNIQUE (ticket_id, kind, clock)
);

ALTER TABLE notify_routes ADD COLUMN ticket_events TEXT NOT NULL DEFAULT '[]';
-- 0: the route sends ticket events only, no alerts.
ALTER TABLE notify_routes ADD COLUMN alerts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE notify_cursor ADD COLUMN last_ticket_event_id INTEGER NOT NULL DEFAULT 0;

-- Deliveries learn the kind "ticket". SQLite cannot change a CHECK in
-- place, so the table is built anew; its attempts are set aside first, as
-- dropping the table would cascade to them.
CREATE TABLE deliveries_was AS SELECT * FROM deliveries;
CREATE TABLE delivery_attempts_was AS SELECT * FROM delivery_attempts;
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
CREATE TABLE deliveries (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL,
	channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
	channel_name TEXT NOT NULL,
	route_id INTEGER REFERENCES notify_routes(id) ON DELETE SET NULL,
	kind TEXT NOT NULL CHECK (kind IN ('alert', 'digest', 'escalation', 'ticket')),
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
	sent_at INTEGER,
	ticket_id INTEGER       -- a ticket event's ticket
);
INSERT INTO deliveries (id, tenant_id, channel_id, channel_name, route_id, kind, alert_id,
	alerts, title, text, state, attempts, next_at, last_status, last_vendor_code, last_error,
	created_at, sent_at)
	SELECT id, tenant_id, channel_id, channel_name, route_id, kind, alert_id, alerts, title,
	text, state, attempts, next_at, last_status, last_vendor_code, last_error, created_at,
	sent_at FROM deliveries_was;
CREATE INDEX deliveries_due ON deliveries(state, next_at);
CREATE INDEX deliveries_tenant ON deliveries(tenant_id, id);
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
INSERT INTO delivery_attempts SELECT * FROM delivery_attempts_was;
CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, id);
DROP TABLE delivery_attempts_was;
DROP TABLE deliveries_was;
