-- 0003_notify: notification channels (where a tenant's, or the MSSP's,
-- messages go).

-- A channel's URL is a credential for most vendors (WeCom's key, Slack's
-- hook, DingTalk's access token are in it), so it is sealed like the
-- secret; url_hint keeps the scheme and host to show. tenant_id 0 is the
-- MSSP's own (the SOC's duty group).
CREATE TABLE channels (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL DEFAULT 0,
	name TEXT NOT NULL,
	type TEXT NOT NULL
		CHECK (type IN ('wecom', 'dingtalk', 'feishu', 'slack', 'webhook', 'email')),
	url_sealed BLOB NOT NULL,
	url_hint TEXT NOT NULL,
	secret_sealed BLOB,          -- NULL: none
	username TEXT,               -- email: SMTP login
	email_from TEXT,
	email_to TEXT NOT NULL DEFAULT '[]', -- JSON array of addresses
	enabled INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (tenant_id, name)
);
CREATE INDEX channels_tenant ON channels(tenant_id, id);
