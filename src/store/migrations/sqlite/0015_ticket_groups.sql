-- 0015_ticket_groups: who works a ticket and who follows it, which SLA
-- policy a tenant is on, and what an SLA clock past its mark set off.
--
-- Staff groups (the L2 SOC, the network team) that tickets are assigned
-- to, a person within the group or the group's queue; their members are
-- working staff only (admin, manager, analyst: ops/staff.h checks).
CREATE TABLE groups (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,   -- a slug content/sla.yaml names: l2-soc
	description TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE TABLE group_members (
	group_id INTEGER NOT NULL REFERENCES groups(id),
	user_id INTEGER NOT NULL REFERENCES users(id),
	added_at INTEGER NOT NULL,
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

-- A ticket's group; its assignee_id, when set as well, is a member of it.
ALTER TABLE tickets ADD COLUMN assignee_group_id INTEGER REFERENCES groups(id);

-- Who follows a ticket: staff, or users of the ticket's tenant.
CREATE TABLE ticket_watchers (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	user_id INTEGER NOT NULL REFERENCES users(id),
	added_by TEXT NOT NULL,
	added_at INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, user_id)
);

-- A policy of content/sla.yaml the tenant is on instead of its edition's
-- (NULL: the edition's).
ALTER TABLE tenants ADD COLUMN sla_policy TEXT;

-- Ticket events learn the kind "escalated": what an SLA warning or breach
-- set off by its policy's escalation rule; and "quota_warning" and
-- "quota_exceeded": a work log that took a contracted yearly quota past
-- its warning share or past its end (detail says which, and how far). cause names that warning or
-- breach (sla_warning, sla_breach), so each is escalated once; detail holds
-- the explanation as JSON (which clock, which target on which calendar, how
-- much time paused, what was done); recipients the users told, as JSON
-- [{user_id, username, role, as}]. SQLite cannot change a CHECK in place,
-- so the table is built anew (nothing refers to it).
CREATE TABLE ticket_events_was AS SELECT * FROM ticket_events;
DROP TABLE ticket_events;
CREATE TABLE ticket_events (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	kind TEXT NOT NULL CHECK (kind IN ('created', 'sla_warning', 'sla_breach', 'escalated',
					   'quota_warning', 'quota_exceeded')),
	clock TEXT NOT NULL DEFAULT '' CHECK (clock IN ('', 'response', 'resolution')),
	cause TEXT NOT NULL DEFAULT '' CHECK (cause IN ('', 'sla_warning', 'sla_breach')),
	at INTEGER NOT NULL,
	detail TEXT NOT NULL DEFAULT '{}',
	recipients TEXT NOT NULL DEFAULT '[]',
	UNIQUE (ticket_id, kind, clock, cause)
);
INSERT INTO ticket_events (id, tenant_id, ticket_id, kind, clock, at)
	SELECT id, tenant_id, ticket_id, kind, clock, at FROM ticket_events_was;
DROP TABLE ticket_events_was;
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
