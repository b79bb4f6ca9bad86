-- 0014_ticket_attachments: files attached to tickets (screenshots, logs,
-- pcaps, mails, documents). The bytes are not in the store but in the data
-- directory, content-addressed: DATA/attachments/<first two hex digits of
-- sha256>/<sha256>, so the same file attached twice is kept once and a row
-- names its file by sha256. Public attachments the ticket's customer sees;
-- internal ones (public 0) only staff, like internal comments.
CREATE TABLE ticket_attachments (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	tenant_id INTEGER NOT NULL REFERENCES tenants(id), -- the ticket's
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,  -- a type of content/attachments.yaml
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64), -- lower-case hex
	public INTEGER NOT NULL DEFAULT 1,
	created_by TEXT NOT NULL,    -- the username
	staff INTEGER NOT NULL DEFAULT 0, -- by the MSSP's staff
	source TEXT,                 -- where it came from: upload, email; NULL: unknown
	created_at INTEGER NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments(ticket_id, id);
CREATE INDEX ticket_attachments_sha256 ON ticket_attachments(sha256);
