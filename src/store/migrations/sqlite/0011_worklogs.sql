-- 0011_worklogs: time the MSSP's staff spent on a ticket, against a
-- service item of the catalog. Metered items (on-duty watch: 16 hours a
-- contract year Professional, 48 Enterprise) are summed against their
-- quota; the excess is billed separately.
CREATE TABLE worklogs (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	user_id INTEGER REFERENCES users(id),
	username TEXT NOT NULL,
	service_item TEXT NOT NULL,   -- a catalog item id: duty.watch
	minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
	worked_at INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX worklogs_tenant ON worklogs(tenant_id, service_item, worked_at);
