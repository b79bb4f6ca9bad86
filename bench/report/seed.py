"""Seeds a data directory's store with one tenant-month for bench/report:
ALERTS alerts and TICKETS tickets (with their histories) received in the
month MONTH (Asia/Shanghai) of tenant 1, over 200 assets, 300 rules and
4,096 source addresses. Prints the SQL for sqlite3.
    usage: seed.py MONTH ALERTS TICKETS"""
import datetime
import sys

month, n_alerts, n_tickets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
zone = datetime.timezone(datetime.timedelta(hours=8))
y, m = map(int, month.split("-"))
start = datetime.datetime(y, m, 1, tzinfo=zone)
end = datetime.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=zone)
t0, span = int(start.timestamp() * 1000), int((end - start).total_seconds() * 1000)

print("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; BEGIN;")
print(f"""
INSERT INTO assets (tenant_id, instance_id, ip, hostname, cloud, products, alerts, first_seen,
                    last_seen)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
SELECT 1, 'i-bench' || i, '10.0.' || (i / 250) || '.' || (i % 250), 'host-' || i, 'alibaba',
       '["Vigil"]', 0, {t0}, {t0} FROM n;

INSERT INTO alerts (tenant_id, group_key, rule_id, rule_title, level, severity_id, tags, count,
                    first_seen, last_seen, status, created_at, updated_at, product, vendor,
                    actor, resource, asset_id, acknowledged_at, closed_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n_alerts})
SELECT 1, hex(randomblob(16)), 'bench-rule-' || (i % 300), 'Bench rule ' || (i % 300), 'high',
       1 + (i * 7) % 5, '["attack.execution","attack.t1059"]', 1 + i % 4, at, at,
       CASE i % 10 WHEN 0 THEN 'open' WHEN 1 THEN 'acknowledged' ELSE 'closed' END, at, at,
       CASE i % 3 WHEN 0 THEN 'Vigil' WHEN 1 THEN 'Security Center' ELSE 'GuardDuty' END,
       'Vigil', json_object('user', 'u' || (i % 50), 'ip',
                            '203.0.' || ((i / 16) % 16) || '.' || (i % 256)),
       '{{}}', 1 + i % 200,
       CASE WHEN i % 10 = 0 THEN NULL ELSE at + (i % 3600) * 1000 END,
       CASE WHEN i % 10 < 2 THEN NULL ELSE at + (i % 86400) * 1000 END
FROM (SELECT i, {t0} + i * ({span} - 1000) / {n_alerts} AS at FROM n);

INSERT INTO tickets (tenant_id, type, title, description, state, impact, urgency, priority,
                     channel, received_at, fields, created_by, created_at, updated_at,
                     resolved_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n_tickets})
SELECT 1, CASE WHEN i % 4 = 0 THEN 'incident' ELSE 'request' END, 'Bench ticket ' || i, '',
       CASE WHEN i % 5 = 0 THEN 'in_progress' ELSE 'resolved' END,
       CASE i % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'medium' ELSE 'low' END, 'medium',
       CASE i % 3 WHEN 0 THEN 'P2' WHEN 1 THEN 'P3' ELSE 'P4' END,
       CASE i % 5 WHEN 0 THEN 'portal' WHEN 1 THEN 'email' WHEN 2 THEN 'phone'
                  WHEN 3 THEN 'alert' ELSE 'im' END,
       at, '{{"resolution":"done"}}', 'bench', at, at,
       CASE WHEN i % 5 = 0 THEN NULL ELSE at + (i % 7200) * 1000 + 600000 END
FROM (SELECT i, {t0} + i * ({span} - 86400000) / {n_tickets} AS at FROM n);

INSERT INTO ticket_activity (ticket_id, at, username, action, from_state, to_state, public,
                             staff)
SELECT id, received_at, 'bench', 'create', NULL, 'new', 1, 1 FROM tickets WHERE tenant_id = 1
UNION ALL
SELECT id, received_at + (id % 1800) * 1000, 'bench', 'start', 'new', 'in_progress', 1, 1
FROM tickets WHERE tenant_id = 1
UNION ALL
SELECT id, resolved_at, 'bench', 'resolve', 'in_progress', 'resolved', 1, 1
FROM tickets WHERE tenant_id = 1 AND resolved_at IS NOT NULL;
COMMIT;
""")
