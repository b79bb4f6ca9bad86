"""The cloud audit source types with Vigil's own rules, end to end: a small
file of each vendor's events goes through `vigil ingest` into a tenant, and
the alerts the server then lists are exactly the rules those events meet.

The fixtures in data/ are written in each vendor's documented event shape
(JSONL cannot carry comments, so the pages are named here):

- actiontrail.jsonl: Alibaba Cloud ActionTrail management events,
  https://www.alibabacloud.com/help/doc-detail/28819.html (management event
  structure) and the logon samples at
  https://www.alibabacloud.com/help/en/actiontrail/user-guide/logon-events-by-using-an-alibaba-cloud-account
  Repeated parameters are flat dotted keys ("Permissions.1.SourceCidrIp"), as
  ActionTrail records them.
- aliyun-waf.jsonl: Alibaba Cloud WAF logs in SLS,
  https://www.alibabacloud.com/help/en/sls/waf
- tencent-cloudaudit.jsonl: Tencent Cloud CloudAudit in its three shapes:
  the CloudAuditEvent object (requestParameters a JSON string),
  https://www.tencentcloud.com/document/product/1021/40499 ; the same wrapped
  in an EventBridge CloudEvent (tc-03),
  https://www.tencentcloud.com/document/product/1108/46246 ; and
  LookUpEvents' Event with CloudAuditEvent as a string (tc-04, whose
  EventTime is Beijing time without a zone as in the older samples, and
  tc-09), https://www.tencentcloud.com/document/product/1021/34209
- huawei-cts.jsonl: Huawei Cloud CTS traces (time in epoch milliseconds,
  request as a JSON string),
  https://support.huaweicloud.com/intl/en-us/usermanual-cts/cts_03_0010.html
"""
import json
import os

import pytest

from conftest import ADMIN_PASSWORD, Server, cli, init_data

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# Source type -> the tenant its fixture is ingested into.
TENANTS = {
    "actiontrail": "Alibaba Audit Co",
    "aliyun-waf": "Alibaba Web Co",
    "tencent-cloudaudit": "Tencent Co",
    "huawei-cts": "Huawei Co",
}


def fixture_events(type_):
    with open(os.path.join(DATA, type_ + ".jsonl")) as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """Every fixture ingested through the CLI, then a server to read the
    alerts from; yields the server, an admin client and ingest's output."""
    data = init_data(str(tmp_path_factory.mktemp("data") / "vigil"))
    printed = {}
    for type_, tenant in TENANTS.items():
        cli("tenant", "add", "--name", tenant, "--edition", "professional", "--start",
            "2026-01-01", "--end", "2026-12-31", data=data, check=True)
        p = cli("ingest", "--tenant", tenant, "--type", type_,
                os.path.join(DATA, type_ + ".jsonl"), data=data)
        assert p.returncode == 0, p.stderr
        printed[type_] = p.stdout
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        yield srv, admin, printed
    finally:
        srv.stop()


def alerts_of(admin, type_):
    tenants = admin.get("/api/v1/tenants").json["items"]
    tid = [t["id"] for t in tenants if t["name"] == TENANTS[type_]][0]
    return admin.get(f"/api/v1/alerts?tenant={tid}&limit=100").json["items"]


def matched(admin, type_, key):
    """Alert title -> the fixture event ids (at key) it was raised for."""
    out = {}
    for a in alerts_of(admin, type_):
        full = admin.get(f"/api/v1/alerts/{a['id']}").json
        out[a["rule"]["title"]] = key(full["first_event"])
    return out


def test_actiontrail_events_raise_the_alibaba_rules(ingested):
    _, admin, printed = ingested
    events = fixture_events("actiontrail")
    assert printed["actiontrail"] == \
        f"{len(events)} accepted, 0 rejected; 6 alerts (6 new) for source 1\n"
    assert matched(admin, "actiontrail", lambda e: e["eventId"]) == {
        "Alibaba Cloud Account (Root) Credentials Used": "at-01",
        "Alibaba Cloud Console Logon Without MFA": "at-01",
        "Alibaba Cloud RAM Access Key Created For Another User": "at-03",
        "Alibaba Cloud Security Group Opened To The Internet On Admin Ports": "at-05",
        "Alibaba Cloud ActionTrail Trail Stopped Or Deleted": "at-07",
        "Alibaba Cloud Security Center Agent Or Audit Log Store Disabled": "at-08",
    }


def test_waf_flood_from_one_address_is_one_correlated_alert(ingested):
    _, admin, printed = ingested
    events = fixture_events("aliyun-waf")
    blocked = [e for e in events if e.get("final_action") == "block"]
    assert len(events) == 85 and len(blocked) == 65
    assert printed["aliyun-waf"].startswith(f"{len(events)} accepted, 0 rejected; ")
    alerts = alerts_of(admin, "aliyun-waf")
    # 55 blocks from the scanner; the 10 from the second address stay below 50.
    assert [(a["rule"]["title"], a["group"]) for a in alerts] == [
        ("Alibaba Cloud WAF Blocks Many Requests From One Address",
         {"real_client_ip": "203.0.113.200"})]
    assert alerts[0]["correlation"] == "event_count"


def test_cloudaudit_events_raise_the_tencent_rules_in_every_shape(ingested):
    _, admin, printed = ingested
    events = fixture_events("tencent-cloudaudit")
    assert printed["tencent-cloudaudit"] == \
        f"{len(events)} accepted, 0 rejected; 6 alerts (6 new) for source 3\n"

    def event_id(e):
        return e.get("eventID") or e.get("EventId") or e["id"]

    assert matched(admin, "tencent-cloudaudit", event_id) == {
        "Tencent Cloud Root Account Used": "tc-01",
        "Tencent Cloud CloudAudit Tracking Set Stopped Or Deleted": "tc-02",
        "Tencent Cloud CAM Access Key Created For Another User": "tc-03",
        "Tencent Cloud Security Group Opened To The Internet On Admin Ports": "tc-04",
        "Tencent Cloud Console Login Without MFA": "tc-05",
        "Tencent Cloud Workload Protection Agent Uninstalled": "tc-06",
    }


def test_cts_traces_raise_the_huawei_rules(ingested):
    _, admin, printed = ingested
    events = fixture_events("huawei-cts")
    assert printed["huawei-cts"] == \
        f"{len(events)} accepted, 0 rejected; 6 alerts (6 new) for source 4\n"
    assert matched(admin, "huawei-cts", lambda e: e["trace_id"]) == {
        "Huawei Cloud Account (Root) Credentials Used": "hw-01",
        "Huawei Cloud CTS Tracker Disabled Or Deleted": "hw-02",
        "Huawei Cloud IAM Access Key Created For Another User": "hw-03",
        "Huawei Cloud Security Group Opened To The Internet On Admin Ports": "hw-04",
        "Huawei Cloud Console Login Without MFA": "hw-05",
        "Huawei Cloud Host Security Protection Disabled": "hw-06",
    }


def test_event_times_come_from_each_vendors_time_field(ingested):
    """ActionTrail's ISO eventTime, CloudAudit's Unix seconds (eventTime),
    EventBridge's milliseconds (time) and a zone-less Beijing EventTime, and
    CTS's epoch milliseconds all become the alert's time."""
    _, admin, _ = ingested
    times = {}
    for type_ in ("actiontrail", "tencent-cloudaudit", "huawei-cts"):
        for a in alerts_of(admin, type_):
            times[a["rule"]["title"]] = a["first_seen"]
    assert times["Alibaba Cloud ActionTrail Trail Stopped Or Deleted"] == \
        "2026-11-20T01:20:00.000Z"
    assert times["Tencent Cloud CloudAudit Tracking Set Stopped Or Deleted"] == \
        "2026-11-20T03:01:00.000Z"
    assert times["Tencent Cloud CAM Access Key Created For Another User"] == \
        "2026-11-20T03:02:00.000Z"
    assert times["Tencent Cloud Security Group Opened To The Internet On Admin Ports"] == \
        "2026-11-20T03:05:00.000Z"
    assert times["Huawei Cloud CTS Tracker Disabled Or Deleted"] == "2026-11-20T04:47:40.000Z"
