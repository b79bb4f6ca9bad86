-- 0009_quiet_hours: a route's quiet hours, in its owner's time zone (the
-- tenant's; notify.timezone for the MSSP's own routes), and the alert
-- categories it takes. Alerts below
-- quiet_min_severity that come in quiet hours wait for their end; those at
-- or above it go at once. Minutes of the day; NULL: no quiet hours.
ALTER TABLE notify_routes ADD COLUMN quiet_from INTEGER CHECK (quiet_from BETWEEN 0 AND 1439);
ALTER TABLE notify_routes ADD COLUMN quiet_until INTEGER CHECK (quiet_until BETWEEN 0 AND 1439);
ALTER TABLE notify_routes ADD COLUMN quiet_min_severity INTEGER NOT NULL DEFAULT 5
	CHECK (quiet_min_severity BETWEEN 1 AND 6);

-- Alert categories a route takes (a rule's ATT&CK tactic, threat-intel, a
-- product's own category); none listed: any.
ALTER TABLE notify_routes ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
