-- 0008_findings: one alert model for Vigil's own detections and the
-- alerts cloud security products raise (Security Hub, Defender for Cloud,
-- Security Center, CWP, HSS), modelled on OCSF's Detection Finding; the
-- assets alerts name; and the records a source sent that were refused,
-- kept so they can be replayed once the cause is fixed.

-- What alerts named: a cloud instance, else an address, else a host name.
-- products lists who reported on it ("Alibaba Cloud Security Center",
-- "Vigil"), so the inventory shows which assets no product covers.
CREATE TABLE assets (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	instance_id TEXT,
	ip TEXT,
	hostname TEXT,
	region TEXT,
	account TEXT,
	cloud TEXT,
	products TEXT NOT NULL DEFAULT '[]', -- JSON array, in the order first seen
	alerts INTEGER NOT NULL DEFAULT 0,    -- alerts opened on it
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	CHECK (instance_id IS NOT NULL OR ip IS NOT NULL OR hostname IS NOT NULL)
);
CREATE UNIQUE INDEX assets_instance ON assets(tenant_id, instance_id) WHERE instance_id IS NOT NULL;
CREATE INDEX assets_ip ON assets(tenant_id, ip);
CREATE INDEX assets_hostname ON assets(tenant_id, hostname);

-- level keeps the native severity as the product wrote it (a Sigma level,
-- ASFF's Severity.Label, SAS's serious/suspicious/remind...); severity_id
-- is OCSF's. For a vendor's alert rule_id is "<source type>:<its detection
-- type>" and finding_uid the vendor's own id for it (ASFF Id, Defender
-- systemAlertId, ...), which is the alert's group: the same finding sent
-- again updates its alert.
ALTER TABLE alerts ADD COLUMN description TEXT;
ALTER TABLE alerts ADD COLUMN category TEXT;
ALTER TABLE alerts ADD COLUMN vendor TEXT NOT NULL DEFAULT 'Vigil';
ALTER TABLE alerts ADD COLUMN product TEXT NOT NULL DEFAULT 'Vigil';
ALTER TABLE alerts ADD COLUMN finding_uid TEXT;
ALTER TABLE alerts ADD COLUMN vendor_status TEXT;  -- the product's own state of it
ALTER TABLE alerts ADD COLUMN resource TEXT NOT NULL DEFAULT '{}'; -- JSON: instance_id, ip, hostname, region, account, cloud
ALTER TABLE alerts ADD COLUMN actor TEXT NOT NULL DEFAULT '{}';    -- JSON: user, ip
ALTER TABLE alerts ADD COLUMN asset_id INTEGER REFERENCES assets(id);
CREATE INDEX alerts_asset ON alerts(asset_id, id);

-- Refused records, the newest per source (ingest.rejects_kept), verbatim.
CREATE TABLE rejected_records (
	id INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES sources(id),
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	at INTEGER NOT NULL,
	reason TEXT NOT NULL,
	message TEXT NOT NULL,
	raw BLOB NOT NULL  -- as it came (a too_large one cut when it came in pieces)
);
CREATE INDEX rejected_records_source ON rejected_records(source_id, id);
