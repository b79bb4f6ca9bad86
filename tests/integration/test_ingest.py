"""Ingest end to end against the real server: sources and their tokens,
HTTP bodies of every shape (gzip too), the bad-input matrix with its
per-reason counters, alerts from the shipped correlation, hunting in the
archive, syslog over UDP and TCP, and durability across kill -9."""
import gzip
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

import pytest

from conftest import (ADMIN_PASSWORD, SHARED, Server, cli, free_port, init_data, make_tenant,
                      raw_request, wait_for)

CLOUDTRAIL = os.path.join(SHARED, "datasets", "otrf-aws",
                          "ec2_proxy_s3_exfiltration_2020-09-14011940.json")
AUTH_LOG = os.path.join(SHARED, "datasets", "elastic-logs", "auth.log")
CONFIG = "ingest:\n  max_event_bytes: 4096\n  max_body_bytes: 262144\n"


@pytest.fixture(scope="module")
def ports():
    return {"udp": free_port(), "tcp": free_port()}


@pytest.fixture(scope="module")
def server(tmp_path_factory, ports):
    data = init_data(str(tmp_path_factory.mktemp("data") / "vigil"), CONFIG)
    # Syslog listeners open when the server starts: make their sources first.
    cli("tenant", "add", "--name", "Listening Co", "--edition", "professional", "--start",
        "2026-01-01", "--end", "2026-12-31", data=data, check=True)
    for proto in ("udp", "tcp"):
        cli("source", "add", "--tenant", "Listening Co", "--name", f"{proto} syslog", "--type",
            "syslog", "--listen", f"{proto}://127.0.0.1:{ports[proto]}", data=data, check=True)
    srv = Server(data)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def admin(server):
    return server.client("admin", ADMIN_PASSWORD)


@pytest.fixture(scope="module")
def tenant(admin):
    t = make_tenant(admin, "Ingest Co")
    # The events below carry times from March 2026 on: keep their days from
    # the retention sweep the server runs soon after it starts (180 days by
    # default), which otherwise removes whatever of them came before it.
    r = admin.patch(f"/api/v1/tenants/{t['id']}", {"retention_days": 3650})
    assert r.status == 200, r
    return r.json


def make_source(admin, tenant, name, type_):
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": name, "type": type_})
    assert r.status == 201, r
    return r.json


def send(server, source, body, headers=None, token=None):
    c = server.client()
    c.bearer = token or source["token"]
    h = {"Content-Type": "application/x-ndjson"}
    h.update(headers or {})
    return c.request("POST", f"/api/v1/ingest/{source['id']}",
                     body if isinstance(body, bytes) else body.encode(), headers=h)


def hunt(admin, tenant, **params):
    params.setdefault("from", "2000-01-01T00:00:00Z")
    params.setdefault("to", "2100-01-01T00:00:00Z")
    params["tenant"] = tenant["id"]
    return admin.get("/api/v1/events?" + urllib.parse.urlencode(params))


def all_events(admin, tenant, **params):
    out, cursor = [], None
    while True:
        if cursor:
            params["cursor"] = cursor
        r = hunt(admin, tenant, limit=500, **params)
        assert r.status == 200, r
        out += r.json["items"]
        cursor = r.json["next"]
        if not cursor:
            return out


def test_source_token_is_shown_once_and_only_its_source_takes_it(server, admin, tenant):
    s = make_source(admin, tenant, "tokens", "json")
    assert s["token"].startswith("vgs_") and s["token"][:10] == s["token_prefix"]
    got = admin.get(f"/api/v1/sources/{s['id']}").json
    assert "token" not in got and got["type"] == "json" and got["enabled"] is True
    listed = admin.get(f"/api/v1/sources?tenant={tenant['id']}").json["items"]
    assert all("token" not in x for x in listed)
    assert s["token"] not in json.dumps(listed)
    assert send(server, s, '{"a":1}').status == 200
    r = send(server, s, '{"a":1}', token="vgs_not-a-real-token")
    assert r.status == 401 and r.json["detail"] == "invalid source token"
    other = make_source(admin, tenant, "tokens 2", "json")
    assert send(server, other, '{"a":1}', token=s["token"]).status == 401
    rotated = admin.post(f"/api/v1/sources/{s['id']}/token").json
    assert rotated["token"] != s["token"]
    assert send(server, s, '{"a":1}').status == 401
    assert send(server, s, '{"a":1}', token=rotated["token"]).status == 200
    assert admin.patch(f"/api/v1/sources/{s['id']}", {"enabled": False}).status == 200
    assert send(server, s, '{"a":1}', token=rotated["token"]).status == 401
    r = admin.patch(f"/api/v1/sources/{s['id']}", {"type": "syslog"})
    assert r.status == 400 and "type cannot change" in r.json["detail"]
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": "x", "type": "nope"})
    assert r.status == 400 and r.json["detail"].startswith('unknown source type "nope"')
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": "x", "type": "json",
                                       "listen": "udp://0.0.0.0:1"})
    assert r.status == 400 and r.json["detail"] == "only syslog sources listen"
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": "tokens",
                                       "type": "json"})
    assert r.status == 409


def test_every_body_shape_and_gzip(server, admin, tenant):
    s = make_source(admin, tenant, "shapes", "json")
    shapes = [
        ('{"n": 1, "shape": "object"}', 1),
        ('[{"n": 2, "shape": "array"}, {"n": 3, "shape": "array"}]', 2),
        ('{"n": 4, "shape": "ndjson"}\n{"n": 5, "shape": "ndjson"}\n', 2),
        ('{\n  "n": 6,\n  "shape": "pretty"\n}\n{\n  "n": 7,\n  "shape": "pretty"\n}\n', 2),
    ]
    for body, n in shapes:
        r = send(server, s, body)
        assert (r.status, r.json["accepted"], r.json["rejected"]) == (200, n, 0), (body, r)
    packed = gzip.compress(b'{"n": 8, "shape": "gzip"}\n') + gzip.compress(b'{"n": 9, "shape": "gzip"}\n')
    r = send(server, s, packed, {"Content-Encoding": "gzip"})
    assert (r.status, r.json["accepted"]) == (200, 2), r
    r = send(server, s, b"\x1f\x8bnot gzip at all", {"Content-Encoding": "gzip"})
    assert r.status == 400 and r.json["detail"].startswith("body is not valid gzip")
    r = send(server, s, b"{}", {"Content-Encoding": "br"})
    assert r.status == 400
    events = all_events(admin, tenant, source=s["id"])
    assert [e["event"]["n"] for e in events] == list(range(1, 10))
    assert {e["source_id"] for e in events} == {s["id"]}


BAD_INPUT = [
    # (line, reason or None when it is a good event)
    ('{"id": "good-1"}', None),
    ('{"id": "cut-short", "msg": "no end', "truncated"),
    ('{"id": "good-2"}', None),
    ('{"id": bad json}', "invalid_json"),
    ('{"id": "good-3"}', None),
    (b'{"id": "\xff\xfe bad utf-8"}', "invalid_utf8"),
    ('{"id": "good-4"}', None),
    ('{"id": "' + "x" * 5000 + '"}', "too_large"),
    ('{"id": "good-5"}', None),
    (b"\x00\x01\x02\x03 binary garbage \x7f\x80", "invalid_json"),
    ('{"id": "good-6"}', None),
    ('[1, 2, 3]', "not_an_object"),
    ('{"id": "good-7"}', None),
    ('{"a":' * 70 + '1' + '}' * 70, "too_deep"),
    ('{"id": "good-8"}', None),
]


def test_bad_input_is_counted_by_reason_and_loses_no_good_event(server, admin, tenant):
    s = make_source(admin, tenant, "matrix", "json")
    lines = [l if isinstance(l, bytes) else l.encode() for l, _ in BAD_INPUT]
    r = send(server, s, b"\n".join(lines) + b"\n")
    assert r.status == 200, r
    expected = {}
    for _, reason in BAD_INPUT:
        if reason:
            expected[reason] = expected.get(reason, 0) + 1
    assert r.json["accepted"] == 8
    assert r.json["rejected"] == 7
    assert r.json["rejected_by_reason"] == expected
    assert [(x["line"], x["reason"]) for x in r.json["rejects"]] == \
        [(n, reason) for n, (_, reason) in enumerate(BAD_INPUT, 1) if reason]
    assert r.json["rejects"][0]["message"].startswith("line 2: ")
    events = all_events(admin, tenant, source=s["id"])
    assert [e["event"]["id"] for e in events] == [f"good-{i}" for i in range(1, 9)]
    stats = admin.get(f"/api/v1/sources/{s['id']}/stats").json
    assert stats["events"] == 8 and stats["rejected"] == 7
    assert stats["rejected_by_reason"] == expected
    assert stats["bytes"] == len(b"\n".join(lines) + b"\n")
    assert stats["last_reject"].startswith("line 14: ")
    # The counters add up over batches.
    send(server, s, '{"id": "good-9"}\n{"id"\n')
    stats = admin.get(f"/api/v1/sources/{s['id']}/stats").json
    assert stats["events"] == 9 and stats["rejected"] == 8
    assert stats["rejected_by_reason"]["truncated"] == expected["truncated"] + 1


def test_body_over_the_ingest_limit_is_413(server, admin, tenant):
    s = make_source(admin, tenant, "huge", "json")
    answer = raw_request(server.port,
                         b"POST /api/v1/ingest/%d HTTP/1.1\r\nHost: x\r\n"
                         b"Authorization: Bearer %s\r\nContent-Length: 300000\r\n"
                         b"Connection: close\r\n\r\n" % (s["id"], s["token"].encode()))
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"request body is larger than 262144 bytes" in answer
    # A small body that gunzips past the limit is refused as well.
    bomb = gzip.compress(b" " * 300000)
    r = send(server, s, bomb, {"Content-Encoding": "gzip"})
    assert r.status == 413
    assert r.json["detail"] == "body is larger than 262144 bytes once gunzipped"
    # Under the limit it is fine (ordinary requests stay at http.max_body_bytes).
    r = send(server, s, b'{"a": 1}\n' * 20000)
    assert (r.status, r.json["accepted"]) == (200, 20000)


def test_cloudtrail_export_is_archived_and_huntable(server, admin, tenant):
    s = make_source(admin, tenant, "aws", "cloudtrail")
    with open(CLOUDTRAIL, "rb") as f:
        body = f.read()
    r = send(server, s, body)
    assert (r.json["accepted"], r.json["rejected"]) == (103, 0)
    events = [json.loads(l) for l in body.splitlines()]
    q = "selection:\n  eventName: ListBuckets\ncondition: selection"
    got = all_events(admin, tenant, source=s["id"], q=q)
    want = [e for e in events if e["eventName"] == "ListBuckets"]
    assert len(got) == len(want) > 0
    assert [g["event"]["eventID"] for g in got] == [e["eventID"] for e in want]
    assert got[0]["time"] == want[0]["@timestamp"]
    # A lone search is its own condition; modifiers work as in rules.
    got = all_events(admin, tenant, source=s["id"], q="eventSource|endswith: .amazonaws.com\n"
                     "userIdentity.type: AssumedRole")
    want = [e for e in events if e["eventSource"].endswith(".amazonaws.com")
            and e["userIdentity"].get("type") == "AssumedRole"]
    assert len(got) == len(want) > 0
    # Time range and paging.
    page = hunt(admin, tenant, source=s["id"], limit=10, **{"from": "2020-09-14T00:00:00Z",
                                                            "to": "2020-09-15T00:00:00Z"})
    assert len(page.json["items"]) == 10 and page.json["next"]
    r = hunt(admin, tenant, q="selection:\n  eventName|contain: x\ncondition: selection")
    assert r.status == 400 and r.json["detail"] == 'query:2: unknown modifier "contain"'
    r = hunt(admin, tenant, cursor="zzz")
    assert r.status == 400


def test_brute_force_becomes_one_grouped_alert(server, admin, tenant):
    s = make_source(admin, tenant, "ssh", "syslog")
    with open(AUTH_LOG) as f:
        lines = f.read().splitlines()
    ip = "181.25.206.27"
    mine = [l for l in lines if ip in l]
    r = send(server, s, "\n".join(mine) + "\n", {"Content-Type": "text/plain"})
    assert r.json["accepted"] == len(mine) and r.json["rejected"] == 0
    alerts = admin.get(f"/api/v1/alerts?tenant={tenant['id']}").json["items"]
    assert len(alerts) == 1
    a = alerts[0]
    assert a["rule"]["title"] == "SSH Brute Force From One Address"
    assert a["group"] == {"source_ip": ip} and a["severity"] == "high" and a["severity_id"] == 4
    assert a["correlation"] == "event_count" and a["source_id"] is None
    assert a["count"] == r.json["alerts"] == 1
    full = admin.get(f"/api/v1/alerts/{a['id']}").json
    assert full["first_event"]["source_ip"] == ip and full["last_event"]["source_ip"] == ip
    # The same flood again joins the open alert instead of opening another.
    r2 = send(server, s, "\n".join(mine) + "\n", {"Content-Type": "text/plain"})
    assert r2.json["alerts_opened"] == 0
    again = admin.get(f"/api/v1/alerts?tenant={tenant['id']}").json["items"]
    assert [x["id"] for x in again] == [a["id"]]
    assert again[0]["count"] == a["count"] + r2.json["alerts"]
    assert admin.get(f"/api/v1/alerts?tenant={tenant['id']}&min_severity=critical").json[
        "items"] == []
    assert admin.get("/api/v1/alerts?status=bogus").status == 400




def listening_source(admin, proto):
    items = admin.get("/api/v1/sources?limit=500").json["items"]
    return [s for s in items if s["name"] == f"{proto} syslog"][0]


def test_syslog_over_udp(server, admin, ports):
    s = listening_source(admin, "udp")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for i in range(5):
            sock.sendto(f"<38>Mar 29 14:15:{i:02d} web-1 sshd[7]: Accepted password for u{i} "
                        f"from 192.0.2.{i} port 22 ssh2".encode(), ("127.0.0.1", ports["udp"]))
        sock.sendto(b"\xff\xfe not syslog", ("127.0.0.1", ports["udp"]))
    stats = wait_for(lambda: (lambda st: st if st["events"] + st["rejected"] == 6 else None)(
        admin.get(f"/api/v1/sources/{s['id']}/stats").json))
    assert (stats["events"], stats["rejected"]) == (5, 1)
    assert stats["rejected_by_reason"] == {"invalid_utf8": 1}
    events = all_events(admin, {"id": s["tenant_id"]}, source=s["id"])
    assert sorted(e["event"]["user"] for e in events) == [f"u{i}" for i in range(5)]
    assert events[0]["event"]["facility"] == "auth" and events[0]["event"]["severity"] == "info"


def test_syslog_over_tcp_with_both_framings(server, admin, ports):
    s = listening_source(admin, "tcp")
    msgs = [f"<34>1 2026-03-29T14:15:0{i}Z host-{i} app - - - message number {i}" for i in range(4)]
    counted = "".join(f"{len(m.encode())} {m}" for m in msgs[:2])
    lines = "".join(m + "\n" for m in msgs[2:])
    multiline = "<34>1 2026-03-29T14:16:00Z h app - - - first line\nsecond line"
    with socket.create_connection(("127.0.0.1", ports["tcp"])) as sock:
        sock.sendall(counted.encode())
        sock.sendall(lines.encode())
        sock.sendall(f"{len(multiline.encode())} {multiline}".encode())
        sock.sendall(b"99999999 " + b"x" * 10)
    stats = wait_for(lambda: (lambda st: st if st["events"] + st["rejected"] >= 6 else None)(
        admin.get(f"/api/v1/sources/{s['id']}/stats").json))
    assert stats["events"] == 5
    assert stats["rejected_by_reason"] == {"too_large": 1}
    events = all_events(admin, {"id": s["tenant_id"]}, source=s["id"])
    assert [e["event"]["message"] for e in events] == \
        [f"message number {i}" for i in range(4)] + ["first line\nsecond line"]
    assert events[0]["event"]["host"] == "host-0" and events[0]["time"] == \
        "2026-03-29T14:15:00.000Z"


def connect_or_none(port):
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=2)
    except OSError:
        return None


def closed(port):
    sock = connect_or_none(port)
    if sock:
        sock.close()
    return sock is None


def test_listeners_follow_source_changes_without_a_restart(server, admin, tenant):
    first, second = free_port(), free_port()
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": "late tcp",
                                       "type": "syslog", "listen": f"tcp://127.0.0.1:{first}"})
    assert r.status == 201, r
    s = r.json

    def count():
        return admin.get(f"/api/v1/sources/{s['id']}/stats").json["events"]

    with wait_for(lambda: connect_or_none(first)) as sock:
        sock.sendall(b"<34>1 2026-03-29T14:15:00Z h app - - - on the first port\n")
    wait_for(lambda: count() == 1)
    # Moved: the old address closes and the new one serves.
    r = admin.patch(f"/api/v1/sources/{s['id']}", {"listen": f"tcp://127.0.0.1:{second}"})
    assert r.status == 200, r
    with wait_for(lambda: connect_or_none(second)) as sock:
        sock.sendall(b"<34>1 2026-03-29T14:15:01Z h app - - - on the second port\n")
    wait_for(lambda: count() == 2)
    assert closed(first)
    # Disabled: nothing listens for it any more.
    assert admin.patch(f"/api/v1/sources/{s['id']}", {"enabled": False}).status == 200
    wait_for(lambda: closed(second))
    events = all_events(admin, tenant, source=s["id"])
    assert [e["event"]["message"] for e in events] == ["on the first port",
                                                       "on the second port"]


def test_every_acknowledged_event_survives_kill_9(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    srv = Server(data)
    admin = srv.client("admin", ADMIN_PASSWORD)
    t = make_tenant(admin, "Durable Co")
    s = admin.post("/api/v1/sources", {"tenant_id": t["id"], "name": "d", "type": "json"}).json
    acked, stop = [], threading.Event()

    def sender(k):
        n = 0
        while not stop.is_set():
            body = "".join(json.dumps({"id": f"{k}-{n}-{i}"}) + "\n" for i in range(50))
            try:
                r = send(srv, s, body)
            except OSError:
                return
            if r.status == 200:
                acked.append(f"{k}-{n}")
            n += 1

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    wait_for(lambda: len(acked) >= 40, timeout=60)
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait()
    stop.set()
    for th in threads:
        th.join()
    srv.log.close()
    before = list(acked)
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        events = all_events(admin, t)
        ids = [e["event"]["id"] for e in events]
        assert len(ids) == len(set(ids))
        batches = {}
        for i in ids:
            k, n, _ = i.split("-")
            batches[f"{k}-{n}"] = batches.get(f"{k}-{n}", 0) + 1
        # Every acknowledged batch is there whole; no batch is there in part.
        assert all(batches.get(b) == 50 for b in before)
        assert all(v == 50 for v in batches.values())
    finally:
        srv.stop()


def test_cli_ingest_prints_counts(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    cli("tenant", "add", "--name", "File Co", "--edition", "professional", "--start",
        "2026-01-01", "--end", "2026-12-31", data=data, check=True)
    path = tmp_path / "events.ndjson"
    path.write_bytes(b'{"a": 1}\n{"a": 2\n{"a": 3}\n')
    p = cli("ingest", "--tenant", "File Co", "--type", "json", str(path), data=data)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "2 accepted, 1 rejected, truncated 1; 0 alerts (0 new) for source 1\n"
    assert "vigil: rejected (truncated): line 2: " in p.stderr
    p = cli("ingest", "--tenant", "File Co", "--type", "syslog", "--year", "2026", AUTH_LOG,
            data=data)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "7121 accepted, 0 rejected; 41 alerts (10 new) for source 2\n"
    p = cli("source", "list", data=data)
    assert "cli-json" in p.stdout and "cli-syslog" in p.stdout
    p = cli("ingest", "--tenant", "Nobody", "--type", "json", str(path), data=data)
    assert p.returncode == 1 and "no such tenant" in p.stderr


def test_retention_removes_days_past_the_tenants_span(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        t = make_tenant(admin, "Retention Co")
        assert t["retention_days"] == 180
        r = admin.patch(f"/api/v1/tenants/{t['id']}", {"retention_days": 0})
        assert r.status == 400 and r.json["detail"] == "retention_days must be from 1 to 3650"
        assert admin.patch(f"/api/v1/tenants/{t['id']}",
                           {"retention_days": 30}).json["retention_days"] == 30
        s = make_source(admin, t, "old and new", "json")
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        r = send(srv, s, '{"timestamp": "2020-01-01T00:00:00Z", "id": "old"}\n'
                         f'{{"timestamp": "{now}", "id": "new"}}\n')
        assert r.json["accepted"] == 2
        assert [e["event"]["id"] for e in all_events(admin, t)] == ["old", "new"]
    finally:
        srv.stop()
    # Retention runs at the server's first clock tick after start.
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        wait_for(lambda: [e["event"]["id"] for e in all_events(admin, t)] == ["new"])
        assert os.listdir(os.path.join(data, "events", f"tenant-{t['id']}")) == \
            [time.strftime("%Y-%m-%d", time.gmtime())]
    finally:
        srv.stop()


def test_indicators_are_matched_in_the_same_pass(server, admin, tenant):
    other = make_tenant(admin, "Other Intel Co")
    r = admin.post("/api/v1/iocs", {"type": "ip", "values": ["203.0.113.99", "198.51.100.0/24"],
                                    "description": "scanner", "source": "feed-x"})
    assert r.status == 201, r
    assert [i["value"] for i in r.json["created"]] == ["203.0.113.99", "198.51.100.0/24"]
    assert r.json["created"][0]["tenant_id"] is None
    again = admin.post("/api/v1/iocs", {"type": "ip", "value": "203.0.113.99"})
    assert again.status == 201 and again.json == {"created": [], "existing": ["203.0.113.99"]}
    mine = admin.post("/api/v1/iocs", {"tenant_id": tenant["id"], "type": "domain",
                                       "value": "Evil.Example.", "level": "critical"})
    assert mine.json["created"][0]["value"] == "evil.example"
    bad = admin.post("/api/v1/iocs", {"type": "ip", "values": ["1.2.3.4", "nope"]})
    assert bad.status == 400 and bad.json["detail"] == \
        'values[1]: not an IP address or network: "nope"'
    s = make_source(admin, tenant, "intel", "json")
    events = [
        {"id": 1, "src": "203.0.113.99"},
        {"id": 2, "peer": {"addr": "198.51.100.42"}},
        {"id": 3, "url": "https://cdn.evil.example/x.js"},
        {"id": 4, "note": "nothing here 10.0.0.1"},
    ]
    body = "".join(json.dumps(e) + "\n" for e in events)
    # The lists are read again within a clock tick (five seconds).
    wait_for(lambda: send(server, s, body).json["alerts"] == 3, timeout=30)
    alerts = admin.get(f"/api/v1/alerts?tenant={tenant['id']}&source={s['id']}").json["items"]
    by_value = {a["group"]["ioc"]: a for a in alerts}
    assert set(by_value) == {"203.0.113.99", "198.51.100.0/24", "evil.example"}
    a = by_value["evil.example"]
    assert a["rule"]["title"] == "Indicator of compromise: domain evil.example"
    assert a["severity"] == "critical" and a["tags"] == ["intel.ioc", "intel.ioc.domain"]
    assert by_value["203.0.113.99"]["severity"] == "high"
    # The tenant's own list is not another tenant's.
    s2 = make_source(admin, other, "intel", "json")
    r = send(server, s2, body)
    assert r.json["alerts"] == 2
    ioc_id = mine.json["created"][0]["id"]
    assert admin.request("DELETE", f"/api/v1/iocs/{ioc_id}").status == 204
    assert admin.get(f"/api/v1/iocs/{ioc_id}").status == 404
