"""What the web console asks of the API besides single objects: the
workflows as data (GET /api/v1/workflows), the ticket list's filters and
its per-row SLA summary, and the alert list's exact severity, status lists
and link to the security incident an alert is in."""
import json
import time

import pytest

from conftest import make_tenant, make_user

PASSWORD = "password-for-tests"
STAFF = ["admin", "manager", "analyst"]
CUSTOMER = ["customer_admin", "customer_user"]


@pytest.fixture(scope="module")
def world(server, admin):
    t = make_tenant(admin, "Filter Co")
    other = make_tenant(admin, "Filter Other Co")
    w = {"t": t, "other": other}
    w["fa.analyst"] = make_user(admin, "fa.analyst", "analyst", None, PASSWORD)
    w["fa.analyst2"] = make_user(admin, "fa.analyst2", "analyst", None, PASSWORD)
    w["fa.customer"] = make_user(admin, "fa.customer", "customer_user", t["id"], PASSWORD)
    w["fa.auditor"] = make_user(admin, "fa.auditor", "auditor", None, PASSWORD)
    w["analyst"] = server.client("fa.analyst", PASSWORD)
    w["customer"] = server.client("fa.customer", PASSWORD)
    r = admin.post("/api/v1/groups", {"name": "fa-l2"})
    assert r.status == 201, r
    w["group"] = r.json
    r = admin.post(f"/api/v1/groups/{w['group']['id']}/members",
                   {"user_id": w["fa.analyst"]["id"]})
    assert r.status in (200, 201), r
    return w


# ---- GET /api/v1/workflows ----

def test_the_workflows_as_data(server, world):
    r = server.client().get("/api/v1/workflows")
    assert r.status == 401, r
    # ticket.read: every role, customers too.
    for who in (world["customer"], server.client("fa.auditor", PASSWORD)):
        r = who.get("/api/v1/workflows")
        assert r.status == 200, r
    w = r.json
    assert w["priorities"] == {
        "impact": ["high", "medium", "low"], "urgency": ["high", "medium", "low"],
        "matrix": {"high": {"high": "P1", "medium": "P2", "low": "P3"},
                   "medium": {"high": "P2", "medium": "P3", "low": "P4"},
                   "low": {"high": "P3", "medium": "P4", "low": "P4"}}}
    assert [x["type"] for x in w["workflows"]] == ["request", "incident", "problem", "change"]
    by_type = {x["type"]: x for x in w["workflows"]}
    inc = by_type["incident"]
    assert inc["initial"] == "new"
    assert inc["states"] == [
        {"name": "new", "clock": "running", "final": False, "auto_close_days": None},
        {"name": "assigned", "clock": "running", "final": False, "auto_close_days": None},
        {"name": "in_progress", "clock": "running", "final": False, "auto_close_days": None},
        {"name": "pending_customer", "clock": "paused", "final": False,
         "auto_close_days": None},
        {"name": "resolved", "clock": "stopped", "final": False, "auto_close_days": 7},
        {"name": "closed", "clock": "stopped", "final": True, "auto_close_days": None}]
    actions = {a["name"]: a for a in inc["actions"]}
    assert list(actions) == ["assign", "start", "wait_customer", "customer_reply", "resolve",
                             "close", "reopen"]
    assert actions["assign"] == {
        "name": "assign", "from": ["new", "assigned", "in_progress", "pending_customer"],
        "to": "assigned", "by": STAFF, "requires": ["assignee"], "approvals": None}
    assert actions["customer_reply"]["by"] == STAFF + CUSTOMER
    assert actions["close"] == {"name": "close", "from": ["resolved"], "to": "closed",
                                "by": STAFF + CUSTOMER + ["system"], "requires": [],
                                "approvals": None}
    problem = {a["name"]: a for a in by_type["problem"]["actions"]}
    assert problem["close"]["by"] == ["admin", "manager"]
    assert problem["known_error"]["requires"] == ["root_cause", "workaround"]
    change = by_type["change"]
    assert change["initial"] == "draft"
    assert [s["name"] for s in change["states"] if s["final"]] == ["rejected", "closed"]
    approve = next(a for a in change["actions"] if a["name"] == "approve")
    assert approve == {"name": "approve", "from": ["assessed"], "to": "approved",
                       "by": STAFF, "requires": [],
                       "approvals": {"standard": 1, "normal": 3, "emergency": 1}}
    submit = next(a for a in change["actions"] if a["name"] == "submit")
    assert submit["requires"] == ["change_kind", "plan", "risk", "rollback_plan"]


# ---- GET /api/v1/tickets filters and SLA summaries ----

@pytest.fixture(scope="module")
def tickets(world, admin):
    a, c, t = world["analyst"], world["customer"], world["t"]
    received = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 600))
    out = {}
    for key, client, body in (
            ("phone", a, {"tenant_id": t["id"], "type": "incident", "title": "Website down",
                          "channel": "phone", "caller": "Li Wei",
                          "caller_number": "+86 10 5555 0100", "impact": "high",
                          "urgency": "medium", "received_at": received}),
            ("portal", c, {"type": "request", "title": "Add a Firewall rule"}),
            ("email", a, {"tenant_id": t["id"], "type": "request", "title": "VPN account",
                          "channel": "email", "impact": "low", "urgency": "low"}),
            ("problem", a, {"tenant_id": t["id"], "type": "problem",
                            "title": "Weak SSH configuration"}),
            ("theirs", a, {"tenant_id": world["other"]["id"], "type": "incident",
                           "title": "Their website down too"})):
        r = client.post("/api/v1/tickets", body)
        assert r.status == 201, (key, r)
        out[key] = r.json
    r = a.post(f"/api/v1/tickets/{out['phone']['id']}/steps",
               {"action": "assign", "assignee_id": world["fa.analyst"]["id"],
                "group_id": world["group"]["id"]})
    assert r.status == 200 and r.json["state"] == "assigned", r
    out["phone"] = r.json
    return out


def ids(r):
    assert r.status == 200, r
    return [x["id"] for x in r.json["items"]]


def test_ticket_list_filters(world, admin, tickets):
    t = world["t"]["id"]
    tk = {k: v["id"] for k, v in tickets.items()}
    base = f"/api/v1/tickets?tenant={t}"
    assert ids(admin.get(base)) == [tk["phone"], tk["portal"], tk["email"], tk["problem"]]
    for query, want in (
            ("state=assigned", [tk["phone"]]),
            ("state=new", [tk["portal"], tk["email"]]),
            ("state=open", [tk["problem"]]),
            ("type=problem", [tk["problem"]]),
            ("type=request", [tk["portal"], tk["email"]]),
            ("type=incident&state=new", []),
            ("priority=P2", [tk["phone"]]),
            ("priority=P4", [tk["email"]]),
            ("channel=portal", [tk["portal"], tk["problem"]]),  # staff's default
            ("channel=portal&type=request", [tk["portal"]]),
            ("channel=phone", [tk["phone"]]),
            (f"assignee={world['fa.analyst']['id']}", [tk["phone"]]),
            (f"assignee={world['fa.analyst2']['id']}", []),
            (f"group={world['group']['id']}", [tk["phone"]]),
            ("q=firewall", [tk["portal"]]),
            ("q=WEBSITE", [tk["phone"]]),
            ("type=request&channel=email&priority=P4&state=new&q=VPN", [tk["email"]])):
        assert ids(admin.get(f"{base}&{query}")) == want, query
    # Without ?tenant, every tenant staff sees; a customer only its own.
    assert ids(admin.get("/api/v1/tickets?q=website%20down&limit=500")) == [
        tk["phone"], tk["theirs"]]
    assert ids(world["customer"].get("/api/v1/tickets?q=website")) == [tk["phone"]]
    # Filters and cursors together: a page of one, then the next.
    r = admin.get(f"{base}&type=request&limit=1")
    assert ids(r) == [tk["portal"]] and r.json["next"]
    assert ids(admin.get(f"{base}&type=request&limit=1&cursor={r.json['next']}")) == [
        tk["email"]]


@pytest.mark.parametrize("query, detail", [
    ("state=bogus", "state \"bogus\" is not a state of any workflow"),
    ("type=problem&state=new", "state \"new\" is not a state of a problem"),
    ("type=incident&state=open", "state \"open\" is not a state of an incident"),
    ("type=outage", "type must be request, incident, problem or change"),
    ("priority=P5", "priority must be P1, P2, P3 or P4"),
    ("priority=p1", "priority must be P1, P2, P3 or P4"),
    ("channel=fax", "channel must be portal, email, phone, im or alert"),
    ("assignee=alice", "assignee must be an id"),
    ("group=-1", "group must be an id"),
    ("q=", "q must be 1 to 300 bytes of a title"),
    ("q=" + "x" * 301, "q must be 1 to 300 bytes of a title"),
])
def test_ticket_list_filters_are_checked(admin, tickets, query, detail):
    r = admin.get(f"/api/v1/tickets?{query}")
    assert (r.status, r.json["detail"]) == (400, detail)


def summary(sla):
    """The list row's "sla", from the single ticket's."""
    if sla is None:
        return None
    due = [c["due_at"] for c in (sla["response"], sla["resolution"]) if c["done_at"] is None]
    return {"response": sla["response"]["status"], "resolution": sla["resolution"]["status"],
            "next_due_at": min(due) if due else None}


def test_ticket_list_rows_carry_an_sla_summary(world, admin, tickets):
    t = world["t"]["id"]
    for who in (admin, world["customer"]):
        rows = {x["id"]: x for x in who.get(f"/api/v1/tickets?tenant={t}").json["items"]}
        assert len(rows) == 4
        for key in ("phone", "portal", "email", "problem"):
            row = rows[tickets[key]["id"]]
            one = who.get(f"/api/v1/tickets/{row['id']}").json
            assert row["sla"] == summary(one["sla"]), key
            assert "activity" not in row and "sla_events" not in row
            assert (row["state"], row["priority"], row["group"]) == (
                one["state"], one["priority"], one["group"])
    rows = {x["id"]: x for x in admin.get(f"/api/v1/tickets?tenant={t}").json["items"]}
    phone = admin.get(f"/api/v1/tickets/{tickets['phone']['id']}").json["sla"]
    # Staff logging the call answered it: only the resolution clock is due.
    assert rows[tickets["phone"]["id"]]["sla"] == {
        "response": "met", "resolution": phone["resolution"]["status"],
        "next_due_at": phone["resolution"]["due_at"]}
    assert phone["resolution"]["status"] in ("running", "warning")
    # Nobody at the MSSP has answered the customer's request yet: its
    # response is due first.
    portal = admin.get(f"/api/v1/tickets/{tickets['portal']['id']}").json["sla"]
    row = rows[tickets["portal"]["id"]]["sla"]
    assert row["response"] in ("running", "warning")
    assert row["next_due_at"] == portal["response"]["due_at"] < portal["resolution"]["due_at"]
    # Problems have no SLA target.
    assert rows[tickets["problem"]["id"]]["sla"] is None


# ---- GET /api/v1/alerts: severity, status lists, security_incident_id ----

def cwp_alert(key, level):
    """A Tencent host security alert (tencent-cwp) of OCSF severity level."""
    return json.dumps({"ID": key, "Key": key, "Name": f"alert {key}", "Source": "CWP",
                       "Level": level, "Type": "入侵检测", "SubType": "反弹Shell", "Status": 0,
                       "CreateTime": "2026-11-30 11:21:09", "Victim": {"Ip": "10.0.0.12"}})


@pytest.fixture(scope="module")
def alerts(server, admin, world):
    t = make_tenant(admin, "Filter Alerts Co")
    r = admin.post("/api/v1/sources", {"tenant_id": t["id"], "name": "cwp",
                                       "type": "tencent-cwp"})
    assert r.status == 201, r
    c = server.client()
    c.bearer = r.json["token"]
    levels = {"low-1": 2, "med-1": 3, "high-1": 4, "high-2": 4, "crit-1": 5}
    body = "".join(cwp_alert(k, v) + "\n" for k, v in levels.items())
    r = c.request("POST", f"/api/v1/ingest/{r.json['id']}", body.encode(),
                  headers={"Content-Type": "application/x-ndjson"})
    assert r.status == 200, r
    items = admin.get(f"/api/v1/alerts?tenant={t['id']}").json["items"]
    by_name = {a["rule"]["title"].rsplit(" ", 1)[-1]: a for a in items}
    assert {k: by_name[k]["severity_id"] for k in levels} == levels
    return {"t": t, **{k: by_name[k]["id"] for k in levels}}


def test_alerts_by_exact_severity(admin, alerts):
    base = f"/api/v1/alerts?tenant={alerts['t']['id']}"
    # Newest first.
    assert ids(admin.get(f"{base}&severity=4")) == [alerts["high-2"], alerts["high-1"]]
    assert ids(admin.get(f"{base}&severity=high")) == [alerts["high-2"], alerts["high-1"]]
    assert ids(admin.get(f"{base}&severity=5")) == [alerts["crit-1"]]
    assert ids(admin.get(f"{base}&min_severity=4")) == [
        alerts["crit-1"], alerts["high-2"], alerts["high-1"]]
    assert ids(admin.get(f"{base}&min_severity=4&severity=3")) == []
    for q, name in (("severity=9", "severity"), ("severity=", "severity"),
                    ("min_severity=x", "min_severity")):
        r = admin.get(f"{base}&{q}")
        assert (r.status, r.json["detail"]) == (
            400, f"{name} must be 1-5 or informational, low, medium, high, critical"), q


def test_alerts_by_a_list_of_statuses(admin, world, alerts):
    a = world["analyst"]
    base = f"/api/v1/alerts?tenant={alerts['t']['id']}"
    assert a.post(f"/api/v1/alerts/{alerts['high-1']}/acknowledge", {}).status == 200
    r = a.post(f"/api/v1/alerts/{alerts['low-1']}/close",
               {"disposition": "benign", "reason": "a scanner we run"})
    assert r.status == 200, r
    every = [alerts[k] for k in ("crit-1", "high-2", "high-1", "med-1", "low-1")]
    assert ids(admin.get(f"{base}&status=open,acknowledged")) == every[:4]
    assert ids(admin.get(f"{base}&status=acknowledged")) == [alerts["high-1"]]
    assert ids(admin.get(f"{base}&status=open")) == [
        alerts["crit-1"], alerts["high-2"], alerts["med-1"]]
    assert ids(admin.get(f"{base}&status=closed,open")) == [
        alerts["crit-1"], alerts["high-2"], alerts["med-1"], alerts["low-1"]]
    assert ids(admin.get(f"{base}&status=open,acknowledged,closed")) == every
    assert ids(admin.get(f"{base}&status=acknowledged&severity=4")) == [alerts["high-1"]]
    for bad in ("open,bogus", "open,", ",open", "Open", ""):
        r = admin.get(f"{base}&status={bad}")
        assert (r.status, r.json["detail"]) == (
            400, "status must be open, acknowledged or closed, or a comma list of them"), bad


def test_alerts_name_their_security_incident(admin, world, alerts):
    base = f"/api/v1/alerts?tenant={alerts['t']['id']}"
    assert {x["security_incident_id"] for x in admin.get(base).json["items"]} == {None}
    r = world["analyst"].post("/api/v1/security-incidents", {
        "title": "Reverse shell on a web host", "category": "other",
        "alert_ids": [alerts["crit-1"], alerts["high-2"]]})
    assert r.status == 201, r
    inc = r.json["id"]
    got = {x["id"]: x["security_incident_id"] for x in admin.get(base).json["items"]}
    assert got == {alerts["crit-1"]: inc, alerts["high-2"]: inc, alerts["high-1"]: None,
                   alerts["med-1"]: None, alerts["low-1"]: None}
    assert admin.get(f"/api/v1/alerts/{alerts['crit-1']}").json["security_incident_id"] == inc
    assert admin.get(f"/api/v1/alerts/{alerts['med-1']}").json["security_incident_id"] is None
    # A triage step answers the alert as it now is, the link with it.
    r = world["analyst"].post(f"/api/v1/alerts/{alerts['high-2']}/comments", {"text": "seen"})
    assert r.status == 200 and r.json["security_incident_id"] == inc, r
