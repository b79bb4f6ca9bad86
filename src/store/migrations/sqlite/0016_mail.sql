-- 0016_mail: the email channel. A mailbox is an IMAP folder Vigil polls
-- (one for the deployment, or one per tenant); every mail read from it is
-- kept, raw, with what became of it: a ticket, a comment, the triage
-- queue (a sender nobody knows), or a failure kept for retry. Replies go
-- out through the mailbox's email channel as deliveries addressed to the
-- ticket's contact, threaded on the Message-IDs recorded here.
CREATE TABLE mailboxes (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER REFERENCES tenants(id), -- NULL: the deployment's
	name TEXT NOT NULL UNIQUE,
	url TEXT NOT NULL,                -- imap[s]://host[:port]/FOLDER
	username TEXT NOT NULL,
	password_sealed BLOB NOT NULL,
	address TEXT NOT NULL,            -- the mailbox's own address: mail from it is ignored
	reply_channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
	enabled INTEGER NOT NULL DEFAULT 1,
	uidvalidity INTEGER NOT NULL DEFAULT 0,
	last_uid INTEGER NOT NULL DEFAULT 0, -- the highest UID read
	polled_at INTEGER,
	last_error TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE mail_messages (
	id INTEGER PRIMARY KEY,
	mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
	uidvalidity INTEGER NOT NULL,
	uid INTEGER NOT NULL,
	received_at INTEGER NOT NULL,     -- the server's INTERNALDATE: the SLA clock starts here
	size INTEGER NOT NULL,
	raw BLOB,                         -- NULL only for a mail over mail.max_message_bytes
	message_id TEXT NOT NULL DEFAULT '',
	from_address TEXT NOT NULL DEFAULT '',
	subject TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('ticket', 'comment', 'triage', 'failed',
					       'ignored', 'dismissed')),
	reason TEXT NOT NULL DEFAULT '',  -- why triage, failed or ignored
	tenant_id INTEGER REFERENCES tenants(id),
	ticket_id INTEGER REFERENCES tickets(id),
	attempts INTEGER NOT NULL DEFAULT 0, -- how often it was taken
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (mailbox_id, uidvalidity, uid)
);
CREATE INDEX mail_messages_status ON mail_messages(mailbox_id, status, id);

-- A ticket's mail thread: where its replies go, and every Message-ID in it
-- (received and sent), so a reply's In-Reply-To or References finds it.
CREATE TABLE ticket_mail (
	ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
	mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
	address TEXT NOT NULL
);
CREATE TABLE ticket_message_ids (
	message_id TEXT PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	at INTEGER NOT NULL
);
CREATE INDEX ticket_message_ids_ticket ON ticket_message_ids(ticket_id, at);

-- How far the reply writer has read the tickets' history.
CREATE TABLE mail_cursor (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	last_activity_id INTEGER NOT NULL DEFAULT 0
);
INSERT INTO mail_cursor (id, last_activity_id) VALUES (1, 0);

-- A delivery to one address rather than the channel's recipients (a reply
-- to a ticket's contact), with the email's own Message-ID and thread.
ALTER TABLE deliveries ADD COLUMN recipient TEXT;
ALTER TABLE deliveries ADD COLUMN message_id TEXT;
ALTER TABLE deliveries ADD COLUMN in_reply_to TEXT;
ALTER TABLE deliveries ADD COLUMN mail_references TEXT;
