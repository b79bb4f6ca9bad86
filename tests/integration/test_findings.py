"""Cloud security products' alerts into Vigil's one alert model, through the
real server: each adapter's fixture (tests/integration/data/findings/,
written from the vendor's documented schema, named in its header) maps to
exactly the alerts and assets it lists; the same finding sent again
updates its alert; truncated, wrong-typed and version-drifted records are
refused with a message naming the field and kept verbatim, as are the bad
records of every log adapter, and a kept record is read again by a replay
once what refused it is fixed."""
import glob
import json
import os

import pytest
import yaml

from conftest import ADMIN_PASSWORD, Server, init_data, make_tenant, make_user

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = sorted(glob.glob(os.path.join(HERE, "data", "findings", "*.yaml")))
ALERT_KEYS = ("rule", "severity_id", "severity", "description", "category", "vendor",
              "product", "finding_uid", "vendor_status", "resource", "actor", "first_seen")
ASSET_KEYS = ("instance_id", "ip", "hostname", "region", "account", "cloud", "products",
              "alerts")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def make_source(admin, tenant, type_):
    r = admin.post("/api/v1/sources", {"tenant_id": tenant["id"], "name": type_, "type": type_})
    assert r.status == 201, r
    return r.json


def send(server, source, body):
    c = server.client()
    c.bearer = source["token"]
    r = c.request("POST", f"/api/v1/ingest/{source['id']}", body.encode(),
                  headers={"Content-Type": "application/x-ndjson"})
    assert r.status == 200, r
    return r.json


def alerts_of(admin, tenant):
    r = admin.get(f"/api/v1/alerts?tenant={tenant['id']}")
    assert r.status == 200, r
    return sorted(r.json["items"], key=lambda a: a["id"])


def test_every_adapter_has_a_fixture():
    types = {load(p)["type"] for p in FIXTURES}
    assert types == {"asff", "azure-defender", "aliyun-sas", "tencent-cwp", "huawei-hss",
                     "huawei-secmaster"}


@pytest.mark.parametrize("path", FIXTURES, ids=[os.path.basename(p) for p in FIXTURES])
def test_fixture_maps_exactly(server, admin, path):
    fx = load(path)
    tenant = make_tenant(admin, f"Findings {fx['type']}")
    source = make_source(admin, tenant, fx["type"])
    events = fx["events"].strip().splitlines()
    res = send(server, source, fx["events"])
    assert (res["accepted"], res["rejected"]) == (len(events), 0), res
    alerts = alerts_of(admin, tenant)
    assert len(alerts) == len(fx["expect"])
    for alert, expected in zip(alerts, fx["expect"]):
        assert {k: alert[k] for k in ALERT_KEYS} == expected
    assert all(a["source_id"] == source["id"] and a["count"] == 1 and a["status"] == "open"
               for a in alerts)
    # The raw original is kept verbatim as the alert's event.
    detail = admin.get(f"/api/v1/alerts/{alerts[0]['id']}").json
    assert detail["first_event"] == json.loads(events[0])

    assets = admin.get(f"/api/v1/assets?tenant={tenant['id']}").json["items"]
    assert len(assets) == len(fx["assets"])
    for asset, expected in zip(assets, fx["assets"]):
        assert {k: asset[k] for k in ASSET_KEYS} == expected
    assert all(a["tenant_id"] == tenant["id"] for a in assets)
    # Alerts link to their asset, and the queue filters by it.
    by_asset = admin.get(f"/api/v1/alerts?asset={assets[0]['id']}").json["items"]
    assert [a["id"] for a in by_asset] == [alerts[0]["id"]]
    assert alerts[0]["asset_id"] == assets[0]["id"]

    # The same findings again: the same alerts, counted twice, no new asset.
    res = send(server, source, fx["events"])
    assert res["alerts_opened"] == 0
    again = alerts_of(admin, tenant)
    assert [a["id"] for a in again] == [a["id"] for a in alerts]
    assert all(a["count"] == 2 for a in again)
    assets = admin.get(f"/api/v1/assets?tenant={tenant['id']}").json["items"]
    assert [a["alerts"] for a in assets] == [1] * len(fx["assets"])


@pytest.mark.parametrize("path", FIXTURES, ids=[os.path.basename(p) for p in FIXTURES])
def test_bad_records_are_refused_by_name_and_kept(server, admin, path):
    fx = load(path)
    tenant = make_tenant(admin, f"Bad {fx['type']}")
    source = make_source(admin, tenant, fx["type"])
    for bad in fx["bad"]:
        res = send(server, source, bad["input"] + "\n")
        assert (res["accepted"], res["rejected"]) == (0, 1), res
        reject = res["rejects"][0]
        assert reject["reason"] == bad["reason"]
        if "message" in bad:
            assert reject["message"] == "line 1: " + bad["message"]
    assert alerts_of(admin, tenant) == []
    kept = admin.get(f"/api/v1/sources/{source['id']}/rejects").json["items"]
    assert [(k["raw"], k["reason"]) for k in kept] == \
        [(b["input"], b["reason"]) for b in fx["bad"]]
    stats = admin.get(f"/api/v1/sources/{source['id']}/stats").json
    assert stats["rejected"] == len(fx["bad"])


def test_a_good_finding_between_bad_ones_is_kept(server, admin):
    fx = load(os.path.join(HERE, "data", "findings", "aliyun-sas.yaml"))
    tenant = make_tenant(admin, "Mixed SAS")
    source = make_source(admin, tenant, "aliyun-sas")
    good = fx["events"].strip().splitlines()[0]
    body = "\n".join([fx["bad"][1]["input"], good, fx["bad"][2]["input"]]) + "\n"
    res = send(server, source, body)
    assert (res["accepted"], res["rejected"]) == (1, 2)
    assert [r["message"].split(":")[0] for r in res["rejects"]] == ["line 1", "line 3"]
    assert [a["finding_uid"] for a in alerts_of(admin, tenant)] == [
        "4e2ab4c2d1e0f9a8b7c6d5e4f3a2b1c0"]


def test_a_customer_sees_only_its_own_findings_and_assets(server, admin):
    fx = load(os.path.join(HERE, "data", "findings", "tencent-cwp.yaml"))
    mine = make_tenant(admin, "CWP Mine")
    theirs = make_tenant(admin, "CWP Theirs")
    for t in (mine, theirs):
        send(server, make_source(admin, t, "tencent-cwp"), fx["events"])
    make_user(admin, "cwp-viewer", "customer_user", tenant_id=mine["id"])
    viewer = server.client("cwp-viewer", "password-for-tests")
    alerts = viewer.get("/api/v1/alerts").json["items"]
    assets = viewer.get("/api/v1/assets").json["items"]
    assert {a["tenant_id"] for a in alerts} == {mine["id"]}
    assert {a["tenant_id"] for a in assets} == {mine["id"]}
    foreign = admin.get(f"/api/v1/assets?tenant={theirs['id']}").json["items"][0]
    assert viewer.get(f"/api/v1/assets/{foreign['id']}").status == 404
    assert viewer.get(f"/api/v1/assets?tenant={theirs['id']}").status == 404


def test_replay_reads_kept_records_again_once_the_limit_is_raised(tmp_path):
    fx = load(os.path.join(HERE, "data", "findings", "asff.yaml"))
    event = fx["events"].strip().splitlines()[0]
    assert 1024 < len(event) < 4096
    data = init_data(str(tmp_path / "vigil"), "ingest:\n  max_event_bytes: 1024\n")
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        tenant = make_tenant(admin, "Replay Co")
        source = make_source(admin, tenant, "asff")
        res = send(srv, source, event + "\n")
        assert res["rejected_by_reason"] == {"too_large": 1}
        # Nothing fixed yet: refused again, and kept again.
        r = admin.post(f"/api/v1/sources/{source['id']}/rejects/replay")
        assert r.status == 200, r
        assert (r.json["accepted"], r.json["rejected"]) == (0, 1)
        kept = admin.get(f"/api/v1/sources/{source['id']}/rejects").json["items"]
        assert [k["raw"] for k in kept] == [event]
    finally:
        srv.stop()
    config = os.path.join(data, "vigil.yaml")
    with open(config, encoding="utf-8") as f:
        text = f.read()
    with open(config, "w", encoding="utf-8") as f:
        f.write(text.replace("max_event_bytes: 1024", "max_event_bytes: 65536"))
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        r = admin.post(f"/api/v1/sources/{source['id']}/rejects/replay")
        assert (r.json["accepted"], r.json["rejected"], r.json["alerts_opened"]) == (1, 0, 1)
        assert admin.get(f"/api/v1/sources/{source['id']}/rejects").json["items"] == []
        alerts = alerts_of(admin, tenant)
        assert [a["finding_uid"] for a in alerts] == [fx["expect"][0]["finding_uid"]]
        audit = admin.get("/api/v1/audit?action=source.replay").json["items"]
        assert len(audit) == 2 and all(a["outcome"] == "ok" for a in audit)
    finally:
        srv.stop()


# The log adapters: a record of each that its reader cannot take, with the
# reason and the message it is refused with. A JSON type takes any object
# (its fields are what rules read), so its bad records are cut short or not
# objects; a drifted text format is a line its parser does not describe.
LOG_BAD = [
    ("actiontrail", '{"eventId":"e1","eventName":"DeleteTrail","eventTime":"2026-11-30T0',
     "truncated", None),
    ("tencent-cloudaudit", '"DeleteAudit"', "not_an_object", None),
    ("huawei-cts", '{"trace_name": "deleteTracker", "time": 1796018531000,}', "invalid_json",
     None),
    ("azure-activity", '{"records": [{"operationName": "x"}, "y"]}', "not_an_object",
     "line 1: record 1 of the list: not an object"),
    ("aliyun-waf", '{"time":"2026-11-30T06:02:11+08:00","real_client_ip":"198.51.100.7"',
     "truncated", None),
    ("cloudtrail", '{"Records": [1]}', "not_an_object",
     "line 1: record 0 of the list: not an object"),
    ("cef", "<134>Nov 30 14:02:11 fw-01 CEF:0|Fortinet|FortiGate|7.2.5|13|traffic|5",
     "unparsable", None),
    ("leef", "<13>Nov 30 14:02:11 sw-1 LEEF:2.0|Lancope|StealthWatch", "unparsable", None),
    ("nginx", '203.0.113.9 - - [30/Nov/2026:14:02:11 +0800] "GET / HTTP/1.1" abc 12',
     "unparsable", None),
]


@pytest.mark.parametrize("type_,line,reason,message", LOG_BAD, ids=[b[0] for b in LOG_BAD])
def test_log_adapters_refuse_bad_records_and_keep_them(server, admin, type_, line, reason,
                                                       message):
    tenant = make_tenant(admin, f"Bad logs {type_}")
    source = make_source(admin, tenant, type_)
    res = send(server, source, line + "\n")
    assert (res["accepted"], res["rejected"]) == (1 if type_ == "azure-activity" else 0, 1), res
    assert res["rejects"][0]["reason"] == reason
    if message:
        assert res["rejects"][0]["message"] == message
    kept = admin.get(f"/api/v1/sources/{source['id']}/rejects").json["items"]
    want = '"y"' if type_ == "azure-activity" else "1" if type_ == "cloudtrail" else line
    assert [(k["raw"], k["reason"]) for k in kept] == [(want, reason)]
