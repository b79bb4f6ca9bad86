-- 0010_tickets: the ITIL records (service requests, incidents, problems,
-- changes) worked through content/workflows.yaml. A ticket's reference is
-- its type's prefix and id (INC-42). received_at is when the customer
-- reached the MSSP (a phone call's time, not when it was typed in): the
-- SLA clocks start there. fields holds what the workflow's actions require
-- (resolution, root_cause, plan, risk, rollback_plan, ...), as JSON text.
CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	type TEXT NOT NULL CHECK (type IN ('request', 'incident', 'problem', 'change')),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL,
	impact TEXT NOT NULL,
	urgency TEXT NOT NULL,
	priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
	channel TEXT NOT NULL CHECK (channel IN ('portal', 'email', 'phone', 'im', 'alert')),
	received_at INTEGER NOT NULL,
	assignee_id INTEGER REFERENCES users(id),
	fields TEXT NOT NULL DEFAULT '{}',
	security_incident_id INTEGER UNIQUE REFERENCES security_incidents(id),
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	resolved_at INTEGER,
	closed_at INTEGER
);
CREATE INDEX tickets_tenant ON tickets(tenant_id, id);

-- The ticket's history: created, each step, comments (public ones the
-- customer sees, internal ones only staff), approvals.
CREATE TABLE ticket_activity (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	at INTEGER NOT NULL,
	username TEXT NOT NULL,
	action TEXT NOT NULL,        -- create, a workflow action, comment, approve
	from_state TEXT,
	to_state TEXT,
	text TEXT NOT NULL DEFAULT '',
	public INTEGER NOT NULL DEFAULT 1,
	staff INTEGER NOT NULL DEFAULT 0 -- by the MSSP's staff: what answers the customer
);
CREATE INDEX ticket_activity_ticket ON ticket_activity(ticket_id, id);

-- A change's approvers, one row each: it moves on when enough have.
CREATE TABLE ticket_approvals (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	user_id INTEGER NOT NULL REFERENCES users(id),
	at INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, user_id)
);
