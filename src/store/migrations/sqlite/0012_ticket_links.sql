-- 0012_ticket_links: what a ticket is linked to: other tickets (an
-- incident to its problem, a problem to the change that fixes it), alerts
-- and assets, all of its own tenant. A link between two tickets is one row,
-- read from both ends.
CREATE TABLE ticket_links (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	kind TEXT NOT NULL CHECK (kind IN ('ticket', 'alert', 'asset')),
	target_id INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, kind, target_id)
);
CREATE INDEX ticket_links_target ON ticket_links(kind, target_id);
