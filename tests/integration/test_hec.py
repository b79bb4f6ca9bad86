"""The Splunk HTTP Event Collector (src/api/hec.c) against the real server:
Splunk's exact answers for every status code, events as concatenated JSON
objects and as raw bodies landing in the archive with the right times,
string events on a syslog source, gzip, a request shaped as Fluent Bit
sends it, and the all-or-nothing refusal of a batch with a bad event."""
import base64
import gzip
import json
import urllib.parse

import pytest

from conftest import make_tenant, raw_request

SERVER_CONFIG = "ingest:\n  max_event_bytes: 4096\n  max_body_bytes: 262144\n"
OK = {"text": "Success", "code": 0}



@pytest.fixture(scope="module")
def tenant(admin):
    t = make_tenant(admin, "HEC Co")
    # The events below carry times from 2020 on: keep them from the
    # retention sweep the server runs soon after it starts.
    r = admin.patch(f"/api/v1/tenants/{t['id']}", {"retention_days": 3650})
    assert r.status == 200, r
    return t


def make_source(admin, tenant, name, type_="json"):
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": name, "type": type_})
    assert r.status == 201, r
    return r.json


def hec(server, path, body, token=None, scheme="Splunk", headers=None):
    h = {"Content-Type": "application/json"}
    if token is not None:
        h["Authorization"] = f"{scheme} {token}"
    h.update(headers or {})
    data = body if isinstance(body, bytes) else body.encode()
    return server.client().request("POST", "/services/collector" + path, data, headers=h)


def events(admin, tenant, source):
    q = urllib.parse.urlencode({"tenant": tenant["id"], "source": source["id"], "limit": 500,
                                "from": "1970-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"})
    r = admin.get("/api/v1/events?" + q)
    assert r.status == 200, r
    return r.json["items"]


def stats(admin, source):
    return admin.get(f"/api/v1/sources/{source['id']}/stats").json


def answer(r):
    assert r.headers["Content-Type"] == "application/json", r
    return r.status, r.json


def test_health_answers_as_splunk_does(server):
    for path in ("/services/collector/health", "/services/collector/health/1.0"):
        r = server.client().get(path)
        assert answer(r) == (200, {"text": "HEC is healthy", "code": 17})


def test_every_authorization_answer(server, admin, tenant):
    s = make_source(admin, tenant, "auth")
    body = '{"event": {"n": 1}}'
    assert answer(hec(server, "/event", body)) == (401, {"text": "Token is required", "code": 2})
    assert answer(hec(server, "/event", body, "", scheme="Splunk")) == \
        (401, {"text": "Token is required", "code": 2})
    for scheme, token in (("Token", s["token"]), ("Basic", "not base64!"),
                          ("Basic", base64.b64encode(b"no colon").decode())):
        assert answer(hec(server, "/event", body, token, scheme)) == \
            (401, {"text": "Invalid authorization", "code": 3}), scheme
    for authz in ("Splunk", "vgs_token-without-a-scheme"):
        r = server.client().request("POST", "/services/collector/event", body.encode(),
                                    headers={"Authorization": authz})
        want = (401, {"text": "Token is required", "code": 2}) if authz == "Splunk" else \
            (401, {"text": "Invalid authorization", "code": 3})
        assert answer(r) == want, authz
    for token in ("vgs_not-a-real-token", "11111111-2222-3333-4444-555555555555"):
        assert answer(hec(server, "/event", body, token)) == \
            (403, {"text": "Invalid token", "code": 4})
    # Splunk takes ?token= only where it was enabled; Vigil never enables it.
    r = server.client().request("POST", "/services/collector/event?token=" + s["token"],
                                body.encode())
    assert answer(r) == (400, {"text": "Query string authorization is not enabled",
                               "code": 16})
    # The three ways that work, on every event path.
    basic = base64.b64encode(b"anyone:" + s["token"].encode()).decode()
    for path, scheme, token in (("", "Splunk", s["token"]), ("/event", "Bearer", s["token"]),
                                ("/event/1.0", "Basic", basic), ("/raw", "Splunk", s["token"]),
                                ("/raw/1.0", "Basic", basic)):
        assert answer(hec(server, path, body, token, scheme)) == (200, OK), (path, scheme)
    assert len(events(admin, tenant, s)) == 5
    # A rotated token stops at once; a disabled source's token is told 4 as
    # well (the source store does not say which of the two a token is).
    rotated = admin.post(f"/api/v1/sources/{s['id']}/token").json["token"]
    assert answer(hec(server, "/event", body, s["token"]))[0] == 403
    assert answer(hec(server, "/event", body, rotated)) == (200, OK)
    assert admin.patch(f"/api/v1/sources/{s['id']}", {"enabled": False}).status == 200
    assert answer(hec(server, "/event", body, rotated)) == \
        (403, {"text": "Invalid token", "code": 4})


def test_concatenated_events_land_with_their_times(server, admin, tenant):
    s = make_source(admin, tenant, "batch")
    body = (
        '{"time": 1700000000.5, "host": "web-1", "source": "/var/log/app", '
        '"sourcetype": "app", "index": "main", "fields": {"env": "prod"}, '
        '"event": {"n": 1}}'
        '{"time": "1700000001.25", "event": "a string event"}\n'
        '\n  {"event": {"n": 3}}\r\n'
        '{"time": 1700000003, "event": {"n": 4, "timestamp": "2020-02-02T02:02:02Z"}}'
        '{"time": 1700000004, "event": {}}'
    )
    assert answer(hec(server, "", body, s["token"])) == (200, OK)
    got = events(admin, tenant, s)
    assert len(got) == 5
    by = {str(e["event"].get("n", "message" in e["event"])): e for e in got}
    first = by["1"]
    assert first["time"] == "2023-11-14T22:13:20.500Z"
    assert first["event"]["splunk_hec"] == {"time": 1700000000.5, "host": "web-1",
                                            "source": "/var/log/app", "sourcetype": "app",
                                            "index": "main", "fields": {"env": "prod"}}
    assert first["event"]["timestamp"] == "2023-11-14T22:13:20.500Z"
    text = by["True"]
    assert text["time"] == "2023-11-14T22:13:21.250Z"
    assert text["event"]["message"] == "a string event"
    assert text["event"]["splunk_hec"] == {"time": "1700000001.25"}
    # No time at all: the receive time, and nothing added.
    assert by["3"]["event"] == {"n": 3} and by["3"]["time"] > "2024"
    # The event's own time wins over the envelope's; the envelope keeps both.
    assert by["4"]["time"] == "2020-02-02T02:02:02.000Z"
    assert by["4"]["event"]["splunk_hec"] == {"time": 1700000003}
    empty = by["False"]
    assert empty["time"] == "2023-11-14T22:13:24.000Z"
    assert empty["event"] == {"timestamp": "2023-11-14T22:13:24.000Z",
                              "splunk_hec": {"time": 1700000004}}


def test_a_type_with_its_own_time_paths(server, admin, tenant):
    s = make_source(admin, tenant, "trail", "cloudtrail")
    body = ('{"time": 1600000000, "event": {"eventName": "A"}}'
            '{"time": 1600000001, "event": {"eventName": "B", '
            '"eventTime": "2021-01-01T00:00:00Z"}}')
    assert answer(hec(server, "/event", body, s["token"])) == (200, OK)
    got = {e["event"]["eventName"]: e for e in events(admin, tenant, s)}
    assert got["A"]["time"] == "2020-09-13T12:26:40.000Z"
    assert got["A"]["event"]["eventTime"] == "2020-09-13T12:26:40.000Z"
    assert got["B"]["time"] == "2021-01-01T00:00:00.000Z"


BAD = [
    # (body, status, code, invalid-event-number or None)
    ("", 400, 5, None),
    (" \n\t ", 400, 5, None),
    ('{"event": {"n": 1}}{"event": {"n": 2}', 400, 6, 1),
    ('{"event": {"n": 1}} not json', 400, 6, 1),
    ('[{"event": {"n": 1}}]', 400, 6, 0),
    ('{"event": {"n": 1}}{"event": 42}', 400, 6, 1),
    ('{"event": {"n": 1}}{"time": "yesterday", "event": {"n": 2}}', 400, 6, 1),
    ('{"time": 1700000000000, "event": {"n": 1}}', 400, 6, 0),
    ('{"event": {"n": 1}}{"host": 7, "event": {"n": 2}}', 400, 6, 1),
    ('{"event": {"n": 1}}{"event": "' + "x" * 5000 + '"}', 400, 6, 1),
    ('{"event": {"n": 1}}{"event": {"n": 2}}{"time": 1}', 400, 12, 2),
    ('{"event": {"n": 1}}{"event": ""}', 400, 13, 1),
    ('{"event": "   "}', 400, 13, 0),
    ('{"event": null}', 400, 13, 0),
    ('{"event": {"n": 1}}{"event": {"n": 2}, "fields": ["a"]}', 400, 15, 1),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_a_bad_event_refuses_the_whole_batch(server, admin, tenant, case):
    body, status, code, number = BAD[case]
    s = make_source(admin, tenant, f"bad {case}")
    r = hec(server, "/event", body, s["token"])
    texts = {5: "No data", 6: "Invalid data format", 12: "Event field is required",
             13: "Event field cannot be blank", 15: "Error in handling indexed fields"}
    want = {"text": texts[code], "code": code}
    if number is not None:
        want["invalid-event-number"] = number
    assert answer(r) == (status, want)
    # Nothing of the batch is archived, the good events before the bad one
    # included; the bad one is counted with why.
    assert events(admin, tenant, s) == []
    st = stats(admin, s)
    assert st["events"] == 0
    if number is None:
        assert st["rejected"] == 0
    else:
        assert st["rejected"] == 1
        assert st["last_reject"].startswith(f"HEC event {number} "), st


def test_syslog_source_takes_string_events(server, admin, tenant):
    s = make_source(admin, tenant, "hosts", "syslog")
    lines = [
        "<34>1 2026-03-27T13:06:56.000Z web-1 sshd 1291 - - Failed password for root from "
        "203.0.113.9 port 50000 ssh2",
        "<38>1 2026-03-27T13:06:57.250Z web-2 cron - - - job ran\n",
    ]
    body = "".join(json.dumps({"time": 1700000000, "host": "ignored", "event": l})
                   for l in lines)
    assert answer(hec(server, "/event", body, s["token"])) == (200, OK)
    got = events(admin, tenant, s)
    assert [(e["time"], e["event"]["host"], e["event"]["app"]) for e in got] == [
        ("2026-03-27T13:06:56.000Z", "web-1", "sshd"),
        ("2026-03-27T13:06:57.250Z", "web-2", "cron")]
    assert got[0]["event"]["source_ip"] == "203.0.113.9"
    assert got[1]["event"]["message"] == "job ran"
    # A text type reads lines: an object event, or a line its parser
    # refuses, refuses the whole batch.
    for bad, why in (('{"event": {"message": "x"}}', "reads text lines"),
                     ('{"event": "not syslog at all"}', "not a syslog message")):
        r = hec(server, "/event", json.dumps({"event": lines[0]}) + bad, s["token"])
        assert answer(r) == (400, {"text": "Invalid data format", "code": 6,
                                   "invalid-event-number": 1})
        assert why in stats(admin, s)["last_reject"]
    assert len(events(admin, tenant, s)) == 2


def test_raw_bodies_as_the_source_type_reads_them(server, admin, tenant):
    js = make_source(admin, tenant, "raw json")
    body = '{"n": 1, "timestamp": "2025-01-02T03:04:05.678Z"}\n{"n": 2}\n'
    r = hec(server, "/raw", body, js["token"],
            headers={"X-Splunk-Request-Channel": "11111111-2222-3333-4444-555555555555"})
    assert answer(r) == (200, OK)
    got = events(admin, tenant, js)
    assert [e["event"]["n"] for e in got] == [1, 2]
    assert got[0]["time"] == "2025-01-02T03:04:05.678Z"
    sl = make_source(admin, tenant, "raw syslog", "syslog")
    r = hec(server, "/raw?channel=abc&sourcetype=syslog",
            "<34>1 2026-03-27T13:06:56.000Z h1 app - - - one\n"
            "<34>1 2026-03-27T13:06:58.000Z h2 app - - - two\n", sl["token"])
    assert answer(r) == (200, OK)
    assert [(e["time"], e["event"]["message"]) for e in events(admin, tenant, sl)] == [
        ("2026-03-27T13:06:56.000Z", "one"), ("2026-03-27T13:06:58.000Z", "two")]
    assert answer(hec(server, "/raw", "", sl["token"])) == (400, {"text": "No data", "code": 5})
    # Every record refused: nothing was archived, and the sender hears so.
    assert answer(hec(server, "/raw", "garbage\nmore garbage\n", sl["token"])) == \
        (400, {"text": "Invalid data format", "code": 6})
    assert stats(admin, sl)["rejected"] == 2


def test_gzip_and_the_body_limit(server, admin, tenant):
    s = make_source(admin, tenant, "gzip")
    packed = gzip.compress(b'{"time": 1700000000, "event": {"n": 1}}') + \
        gzip.compress(b'{"time": 1700000001, "event": {"n": 2}}')
    assert answer(hec(server, "/event", packed, s["token"],
                      headers={"Content-Encoding": "gzip"})) == (200, OK)
    assert answer(hec(server, "/raw", gzip.compress(b'{"n": 3}\n'), s["token"],
                      headers={"Content-Encoding": "gzip"})) == (200, OK)
    assert sorted(e["event"]["n"] for e in events(admin, tenant, s)) == [1, 2, 3]
    for data, enc in ((b"\x1f\x8bnot gzip", "gzip"), (b'{"event": "x"}', "br")):
        assert answer(hec(server, "/event", data, s["token"],
                          headers={"Content-Encoding": enc})) == \
            (400, {"text": "Invalid data format", "code": 6})
    # Larger than ingest.max_body_bytes once undone.
    bomb = gzip.compress(b'{"event": "' + b"x" * 300000 + b'"}')
    assert answer(hec(server, "/event", bomb, s["token"],
                      headers={"Content-Encoding": "gzip"})) == \
        (413, {"text": "Request entity too large", "code": 6})
    # A Content-Length over the limit is turned away by the server before
    # any route runs, as for every ingest route (a problem document).
    got = raw_request(server.port,
                      b"POST /services/collector/event HTTP/1.1\r\nHost: x\r\n"
                      b"Authorization: Splunk %s\r\nContent-Length: 300000\r\n"
                      b"Connection: close\r\n\r\n" % s["token"].encode())
    assert got.startswith(b"HTTP/1.1 413 ")
    assert len(events(admin, tenant, s)) == 3


def test_a_fluent_bit_request(server, admin, tenant):
    """As Fluent Bit's splunk output sends records: "Authorization: Splunk",
    gzip, one {"time", "event"} object per record, back to back."""
    s = make_source(admin, tenant, "fluent-bit")
    records = [{"time": 1700000000.123456 + i, "event": {"log": f"line {i}\n",
                                                        "stream": "stdout"}}
               for i in range(5)]
    body = "".join(json.dumps(rec, separators=(",", ":")) for rec in records).encode()
    r = server.client().request("POST", "/services/collector/event", gzip.compress(body),
                                headers={"Authorization": "Splunk " + s["token"],
                                         "Content-Type": "application/json",
                                         "Content-Encoding": "gzip",
                                         "User-Agent": "Fluent-Bit"})
    assert answer(r) == (200, OK)
    got = events(admin, tenant, s)
    assert [e["event"]["log"] for e in got] == [f"line {i}\n" for i in range(5)]
    assert [e["time"] for e in got] == [f"2023-11-14T22:13:{20 + i}.123Z" for i in range(5)]


def test_a_vector_request_to_a_syslog_source(server, admin, tenant):
    """As Vector's splunk_hec_logs sink sends text-encoded lines: a string
    event each, with host, sourcetype and index."""
    s = make_source(admin, tenant, "vector", "syslog")
    body = "".join(json.dumps({"event": f"<13>Mar 27 13:06:5{i} edge-{i} app[1]: msg {i}",
                               "time": 1774616810.5 + i, "host": f"edge-{i}",
                               "sourcetype": "syslog", "index": "main"})
                   for i in range(3))
    assert answer(hec(server, "", body, s["token"])) == (200, OK)
    got = events(admin, tenant, s)
    assert [e["event"]["host"] for e in got] == ["edge-0", "edge-1", "edge-2"]
    assert all(e["time"].endswith(f"-03-27T13:06:5{i}.000Z") for i, e in enumerate(got))
