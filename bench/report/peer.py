"""The figures of the monthly report's alert and ticket chapters as plain SQL
for the sqlite3 shell: what a report would cost as a few hand-written
GROUP BY queries (no SLA working-time arithmetic, no rendering).
    usage: peer.py MONTH"""
import datetime
import sys

y, m = map(int, sys.argv[1].split("-"))
zone = datetime.timezone(datetime.timedelta(hours=8))
t0 = int(datetime.datetime(y, m, 1, tzinfo=zone).timestamp() * 1000)
t1 = int(datetime.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=zone).timestamp() * 1000)
month = f"tenant_id = 1 AND created_at >= {t0} AND created_at < {t1}"
print(f"""
SELECT severity_id, COUNT(*) FROM alerts WHERE {month} GROUP BY severity_id;
SELECT product, COUNT(*) FROM alerts WHERE {month} GROUP BY product;
SELECT date(created_at / 1000 + 28800, 'unixepoch'), severity_id, COUNT(*) FROM alerts
 WHERE {month} GROUP BY 1, 2;
SELECT rule_title, COUNT(*) AS n FROM alerts WHERE {month} GROUP BY rule_id
 ORDER BY n DESC LIMIT 10;
SELECT a.hostname, COUNT(*) AS n FROM alerts l JOIN assets a ON a.id = l.asset_id
 WHERE l.tenant_id = 1 AND l.created_at >= {t0} AND l.created_at < {t1}
 GROUP BY l.asset_id ORDER BY n DESC LIMIT 10;
SELECT json_extract(actor, '$.ip') AS ip, COUNT(*) AS n FROM alerts WHERE {month}
 GROUP BY ip ORDER BY n DESC LIMIT 10;
SELECT COUNT(*), AVG(acknowledged_at - created_at) FROM alerts
 WHERE {month} AND acknowledged_at IS NOT NULL;
SELECT acknowledged_at - created_at AS d FROM alerts WHERE {month}
 AND acknowledged_at IS NOT NULL ORDER BY d LIMIT 1 OFFSET
 (SELECT COUNT(*) / 2 FROM alerts WHERE {month} AND acknowledged_at IS NOT NULL);
SELECT closed_at - created_at AS d FROM alerts WHERE {month}
 AND closed_at IS NOT NULL ORDER BY d LIMIT 1 OFFSET
 (SELECT COUNT(*) * 95 / 100 FROM alerts WHERE {month} AND closed_at IS NOT NULL);
SELECT type, priority, channel, COUNT(*) FROM tickets WHERE tenant_id = 1
 AND received_at >= {t0} AND received_at < {t1} GROUP BY 1, 2, 3;
""")
