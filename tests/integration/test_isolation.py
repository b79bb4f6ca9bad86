"""Tenant isolation, table-driven over every route the server has.

Tenant A's customer users (customer_admin and customer_user) try every route
in `vigil routes --json`, each time naming tenant B's objects: B's ids in
the path, ?tenant=B on lists, B in request bodies. Every such request must
answer 404 and change nothing; routes that cannot name a tenant's object
must not leak any of B's data. The walk fails when a route has no case, so
a new route cannot escape it.
"""
import json
import re
import time

import pytest

from conftest import ADMIN_PASSWORD, cli, make_tenant, make_user

PASSWORD = "password-for-tests"


@pytest.fixture(scope="module")
def world(server, admin):
    a = make_tenant(admin, "Isolation Alpha")
    b = make_tenant(admin, "Isolation Bravo Secret Name", "enterprise")
    w = {"a": a, "b": b}
    w["a_admin"] = make_user(admin, "iso.a.admin", "customer_admin", a["id"], PASSWORD)
    w["a_user"] = make_user(admin, "iso.a.user", "customer_user", a["id"], PASSWORD)
    w["b_admin"] = make_user(admin, "iso.b.admin", "customer_admin", b["id"], PASSWORD)
    w["b_user"] = make_user(admin, "iso.b.user", "customer_user", b["id"], PASSWORD)
    b_client = server.client("iso.b.admin", PASSWORD)
    w["b_token"] = b_client.post("/api/v1/tokens", {"name": "bravo", "scopes": ["read"]}).json
    w["a_source"] = make_source(admin, a["id"], "alpha syslog")
    w["b_source"] = make_source(admin, b["id"], "bravo syslog")
    r = admin.post("/api/v1/channels", {"tenant_id": b["id"], "name": "bravo robot",
                                        "type": "wecom",
                                        "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/"
                                               "send?key=bravo-secret-key"})
    assert r.status == 201, r
    w["b_channel"] = r.json
    r = admin.post("/api/v1/notify-routes", {"tenant_id": b["id"], "name": "bravo route",
                                             "channel_id": w["b_channel"]["id"]})
    assert r.status == 201, r
    w["b_route"] = r.json
    # Ten failed logins: the shipped brute-force correlation alerts on B.
    r = ingest(server, w["b_source"], "".join(
        f"Mar 29 14:15:{i:02d} bravo-host sshd[2414]: Failed password for root from "
        f"203.0.113.66 port {50000 + i} ssh2\n" for i in range(10)))
    assert r.status == 200 and r.json["accepted"] == 10 and r.json["alerts"] == 1, r
    alerts = admin.get(f"/api/v1/alerts?tenant={b['id']}").json["items"]
    assert len(alerts) == 1
    w["b_alert"] = alerts[0]
    # The alert named B's host: the first asset of B's inventory.
    assets = admin.get(f"/api/v1/assets?tenant={b['id']}").json["items"]
    assert [x["hostname"] for x in assets] == ["bravo-host"]
    w["b_asset"] = assets[0]
    r = admin.post("/api/v1/security-incidents", {"title": "bravo incident",
                                                  "category": "brute_force",
                                                  "alert_ids": [alerts[0]["id"]]})
    assert r.status == 201, r
    w["b_incident"] = r.json
    # The escalation opened B's incident ticket.
    w["b_ticket"] = admin.get(f"/api/v1/tickets/{r.json['ticket_id']}").json
    assert w["b_ticket"]["tenant_id"] == b["id"]
    # B's user watches it; the MSSP's staff group (no tenant's) it could go to.
    r = admin.post(f"/api/v1/tickets/{w['b_ticket']['id']}/watchers",
                   {"user_id": w["b_user"]["id"]})
    assert r.status == 201, r
    r = admin.post("/api/v1/groups", {"name": "iso-l2", "description": "isolation"})
    assert r.status == 201, r
    w["group"] = r.json
    # A public attachment on it: B's own customers may read it, A's not.
    r = admin.request("POST", f"/api/v1/tickets/{w['b_ticket']['id']}/attachments"
                      "?name=bravo-secret-evidence.txt", b"bravo secret evidence\n",
                      headers={"Content-Type": "text/plain"})
    assert r.status == 201, r
    w["b_attachment"] = r.json
    r = admin.post("/api/v1/iocs", {"tenant_id": b["id"], "type": "domain",
                                    "value": "bravo-secret-intel.example"})
    w["b_ioc"] = r.json["created"][0]
    r = admin.post("/api/v1/suppressions", {"tenant_id": b["id"], "rule_id": "bravo-rule",
                                            "reason": "bravo scanner",
                                            "expires_at": "2027-06-01T00:00:00Z"})
    assert r.status == 201, r
    w["b_suppression"] = r.json
    # B's own mailbox (not read: disabled).
    r = admin.post("/api/v1/mailboxes", {"tenant_id": b["id"], "name": "bravo mailbox",
                                         "url": "imap://mail.bravo.example/INBOX",
                                         "username": "bravo", "password": "bravo-imap-secret",
                                         "address": "support@bravo.example", "enabled": False})
    assert r.status == 201, r
    w["b_mailbox"] = r.json
    r = admin.post("/api/v1/reports", {"kind": "monthly", "tenant_id": b["id"],
                                       "month": "2026-11", "format": "html"})
    assert r.status == 201, r
    w["b_report"] = r.json
    # The alert is routed to B's robot within a second or two.
    for _ in range(100):
        items = admin.get(f"/api/v1/deliveries?tenant={b['id']}").json["items"]
        if items:
            break
        time.sleep(0.1)
    assert len(items) == 1, items
    w["b_delivery"] = items[0]
    return w


def make_source(admin, tenant_id, name):
    r = admin.post("/api/v1/sources", {"tenant_id": tenant_id, "name": name, "type": "syslog"})
    assert r.status == 201, r
    return r.json


def ingest(server, source, body, source_id=None):
    c = server.client()
    c.bearer = source["token"]
    return c.request("POST", f"/api/v1/ingest/{source_id or source['id']}", body.encode(),
                     headers={"Content-Type": "text/plain"})


def foreign_id(world, resource):
    return {"tenant": world["b"]["id"], "user": world["b_user"]["id"],
            "token": world["b_token"]["id"], "source": world["b_source"]["id"],
            "alert": world["b_alert"]["id"], "ioc": world["b_ioc"]["id"],
            "channel": world["b_channel"]["id"], "route": world["b_route"]["id"],
            "delivery": world["b_delivery"]["id"],
            "suppression": world["b_suppression"]["id"],
            "security_incident": world["b_incident"]["id"],
            "asset": world["b_asset"]["id"], "ticket": world["b_ticket"]["id"],
            "group": world["group"]["id"], "mailbox": world["b_mailbox"]["id"],
            "rule": world["b_alert"]["rule"]["id"], "report": world["b_report"]["id"]}[resource]


def foreign_body(world, route):
    """A request body that names tenant B, for routes that create things."""
    b = world["b"]
    bodies = {
        "/api/v1/users": {"username": "iso.intruder", "password": PASSWORD,
                          "role": "customer_user", "tenant_id": b["id"]},
        "/api/v1/tokens": {"name": "intruder", "scopes": ["read"],
                           "user_id": world["b_user"]["id"]},
        "/api/v1/tenants/{id}": {"name": "Renamed by intruder"},
        "/api/v1/users/{id}": {"disabled": True},
        "/api/v1/tenants": {"name": "Isolation Bravo Secret Name 2", "edition": "enterprise",
                            "contract_start": "2026-01-01", "contract_end": "2026-12-31"},
        "/api/v1/sources": {"tenant_id": b["id"], "name": "intruder", "type": "json"},
        "/api/v1/sources/{id}": {"enabled": False},
        "/api/v1/iocs": {"tenant_id": b["id"], "type": "ip", "value": "192.0.2.66"},
        "/api/v1/channels": {"tenant_id": b["id"], "name": "intruder", "type": "slack",
                             "url": "https://hooks.slack.com/services/intruder"},
        "/api/v1/channels/{id}": {"name": "renamed by intruder"},
        "/api/v1/notify-routes": {"tenant_id": b["id"], "name": "intruder",
                                  "channel_id": world["b_channel"]["id"]},
        "/api/v1/notify-routes/{id}": {"name": "renamed by intruder"},
        "/api/v1/alerts/bulk": {"ids": [world["b_alert"]["id"]], "action": "close",
                                "disposition": "benign"},
        "/api/v1/alerts/{id}/close": {"disposition": "benign"},
        "/api/v1/alerts/{id}/comments": {"text": "intruder"},
        "/api/v1/alerts/{id}/assign": {"user_id": None},
        "/api/v1/suppressions": {"tenant_id": b["id"], "rule_id": "x", "reason": "intruder",
                                 "expires_at": "2027-06-01T00:00:00Z"},
        "/api/v1/security-incidents": {"title": "intruder", "category": "other",
                                       "alert_ids": [world["b_alert"]["id"]]},
        "/api/v1/security-incidents/{id}/phase": {"phase": "containment", "note": "intruder"},
        "/api/v1/security-incidents/{id}/notes": {"text": "intruder"},
        "/api/v1/security-incidents/{id}/alerts": {"alert_ids": [world["b_alert"]["id"]]},
        "/api/v1/security-incidents/{id}/close": {"summary": "intruder"},
        "/api/v1/tickets": {"tenant_id": b["id"], "type": "request", "title": "intruder"},
        "/api/v1/tickets/{id}/steps": {"action": "close"},
        "/api/v1/tickets/{id}/comments": {"text": "intruder"},
        "/api/v1/tickets/{id}/worklogs": {"service_item": "duty.watch", "minutes": 30},
        "/api/v1/tickets/{id}/links": {"alert_id": world["b_alert"]["id"]},
        "/api/v1/tickets/{id}": {"title": "intruder"},
        "/api/v1/tickets/{id}/watchers": {"user_id": world["a_user"]["id"]},
        "/api/v1/groups": {"name": "iso-intruder"},
        "/api/v1/groups/{id}/members": {"user_id": world["a_user"]["id"]},
        "/api/v1/mailboxes": {"tenant_id": b["id"], "name": "intruder",
                              "url": "imap://mail.intruder.example", "username": "x",
                              "password": "y", "address": "x@intruder.example"},
        "/api/v1/mailboxes/{id}": {"name": "renamed by intruder"},
        "/api/v1/mailboxes/{id}/mail/{mid}/triage": {"action": "dismiss"},
        "/api/v1/rules/{id}/tenants/{tenant_id}": {"enabled": False},
        "/api/v1/rules/lint": {"yaml": "title: intruder\n"},
        "/api/v1/rules/test": {"rule_id": world["b_alert"]["rule"]["id"], "event": {}},
        "/api/v1/reports": {"kind": "monthly", "tenant_id": b["id"], "month": "2026-11"},
        # Raw: the file itself, a JSON one, named by FOREIGN_QUERY.
        "/api/v1/tickets/{id}/attachments": {"text": "intruder"},
    }
    return bodies.get(route["path"], {})


# Query strings a route needs besides the body to be a request it would
# otherwise take.
FOREIGN_QUERY = {"/api/v1/tickets/{id}/attachments": "?name=intruder.json"}


# Routes that take no object and no tenant: they can only be checked for leaks.
TENANTLESS = {
    ("GET", "/healthz"), ("GET", "/metrics"), ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/me"), ("POST", "/api/v1/me/password"),
    ("POST", "/api/v1/me/totp"), ("POST", "/api/v1/me/totp/confirm"),
    ("GET", "/api/v1/catalog"), ("GET", "/api/v1/workflows"),
}


# Routes a source's ingest token authenticates, not a user: tenant A's
# token must not reach tenant B's source.
SOURCE_TOKEN = {("POST", "/api/v1/ingest/{id}")}

# The Splunk HEC routes (api/hec.c) take a source token too, but name no
# source in the path: the token alone does. Tenant A's token must put its
# events into A's source and never B's, whatever the HEC "index" or "host"
# say, and a user's session is no HEC token. The health checks only answer.
HEC = {("POST", p) for p in ("/services/collector", "/services/collector/event",
                              "/services/collector/event/1.0", "/services/collector/raw",
                              "/services/collector/raw/1.0")}
SOURCE_TOKEN |= HEC
TENANTLESS |= {("GET", "/services/collector/health"), ("GET", "/services/collector/health/1.0")}


def hec_case(server, admin, world, c, path):
    b = world["b"]
    marker = "hec-isolation%s-%d" % (path.replace("/", "-"), time.time_ns())
    line = f"Mar 29 14:16:00 alpha-host probe[1]: {marker}\n"
    body = line.encode() if "/raw" in path else json.dumps(
        {"event": line, "index": str(b["id"]), "host": b["name"]}).encode()
    r = server.client().request("POST", path, body,
                                headers={"Authorization": "Splunk " + world["a_source"]["token"]})
    assert (r.status, r.json) == (200, {"text": "Success", "code": 0}), (path, r)
    r = c.request("POST", path, body)
    assert (r.status, r.json) == (401, {"text": "Token is required", "code": 2}), (path, r)

    def events_of(tenant):
        r = admin.get(f"/api/v1/events?tenant={tenant['id']}&from=2000-01-01T00:00:00Z"
                      "&to=2100-01-01T00:00:00Z&limit=500")
        assert r.status == 200, r
        return r.raw.decode()
    assert marker in events_of(world["a"])
    assert marker not in events_of(b)


def routes():
    p = cli("routes", "--json", check=True)
    return json.loads(p.stdout)


def test_route_table_is_what_the_walk_knows():
    table = routes()
    assert len(table) >= 21
    for r in table:
        key = (r["method"], r["path"])
        assert (key in TENANTLESS or key in SOURCE_TOKEN or "{id}" in r["path"]
                or r["method"] == "GET"
                or r["path"] in ("/api/v1/users", "/api/v1/tokens", "/api/v1/tenants",
                                 "/api/v1/sources", "/api/v1/iocs", "/api/v1/channels",
                                 "/api/v1/notify-routes", "/api/v1/alerts/bulk",
                                 "/api/v1/suppressions", "/api/v1/security-incidents",
                                 "/api/v1/tickets", "/api/v1/groups",
                                 "/api/v1/mailboxes", "/api/v1/rules/lint",
                                 "/api/v1/rules/test", "/api/v1/reports")), key


@pytest.mark.parametrize("who", ["iso.a.admin", "iso.a.user"])
def test_customer_cannot_reach_another_tenant_on_any_route(server, admin, world, who):
    covered = 0
    b = world["b"]
    secrets = [b["name"], "iso.b.admin", "iso.b.user", world["b_token"]["prefix"],
               world["b_source"]["token_prefix"], "bravo syslog", "203.0.113.66",
               "bravo-secret-intel", "bravo robot", "bravo-secret-key", "bravo route",
               "bravo scanner", "bravo incident", "bravo-host", "bravo-secret-evidence",
               "bravo secret evidence", "bravo mailbox", "bravo-imap-secret"]
    before = admin.get(f"/api/v1/sources/{world['b_source']['id']}/stats").json
    for route in routes():
        key = (route["method"], route["path"])
        c = server.client(who, PASSWORD)
        if key in HEC:
            hec_case(server, admin, world, c, route["path"])
            covered += 1
            continue
        if key in SOURCE_TOKEN:
            # With A's own token, and with the user's session, into B's source.
            line = "Mar 29 14:16:00 h sshd[1]: Failed password for root from 198.51.100.1 port 1\n"
            r = ingest(server, world["a_source"], line, world["b_source"]["id"])
            assert r.status == 401 and r.json["detail"] == "invalid source token", r
            r = c.request("POST", f"/api/v1/ingest/{world['b_source']['id']}", line.encode())
            assert r.status == 401, r
            covered += 1
            continue
        if key in TENANTLESS:
            body = {}
            if key == ("POST", "/api/v1/auth/login"):
                body = {"username": "iso.b.user", "password": "wrong-password-1"}
            if key == ("POST", "/api/v1/me/password"):
                body = {"current_password": "wrong-password-1", "new_password": PASSWORD}
            if key == ("POST", "/api/v1/me/totp/confirm"):
                body = {"code": "000000"}
            r = c.request(route["method"], route["path"],
                          body if route["method"] != "GET" else None)
            text = r.raw.decode("utf-8", "replace")
            for s in secrets:
                assert s not in text, (key, s)
            covered += 1
            continue
        path = route["path"]
        if "{id}" in path:
            path = path.replace("{id}", str(foreign_id(world, route["resource"])))
            # A ticket's watcher: B's user, on B's ticket.
            path = path.replace("{user_id}", str(world["b_user"]["id"]))
            # A ticket's attachment: B's, under B's ticket.
            path = path.replace("{aid}", str(world["b_attachment"]["id"]))
            # A rule switched for a tenant: for B.
            path = path.replace("{tenant_id}", str(b["id"]))
            # A mail of B's mailbox (refused before it is looked up).
            path = path.replace("{mid}", "1")
            path += FOREIGN_QUERY.get(route["path"], "")
        elif route["method"] == "GET":
            path += f"?tenant={b['id']}"
        body = foreign_body(world, route) if route["method"] in ("POST", "PATCH") else None
        r = c.request(route["method"], path, body)
        assert r.status == 404, (who, key, path, r)
        assert r.headers["Content-Type"] == "application/problem+json"
        for s in secrets:
            assert s not in r.raw.decode(), (key, s)
        covered += 1
    assert covered == len(routes())

    # Nothing was changed by the attempts.
    assert admin.get(f"/api/v1/sources/{world['b_source']['id']}/stats").json == before
    assert admin.get(f"/api/v1/sources/{world['b_source']['id']}").json["enabled"] is True
    assert admin.get(f"/api/v1/iocs/{world['b_ioc']['id']}").status == 200
    assert admin.get(f"/api/v1/suppressions/{world['b_suppression']['id']}").status == 200
    assert "intruder" not in admin.get("/api/v1/suppressions?limit=500").raw.decode()
    b_alert = admin.get(f"/api/v1/alerts/{world['b_alert']['id']}").json
    assert b_alert["status"] == "acknowledged"
    assert [x["action"] for x in b_alert["activity"]] == ["escalate"]
    inc = admin.get(f"/api/v1/security-incidents/{world['b_incident']['id']}").json
    assert (inc["phase"], inc["status"], len(inc["activity"])) == ("detection", "open", 1)
    ticket = admin.get(f"/api/v1/tickets/{world['b_ticket']['id']}").json
    assert (ticket["state"], [a["action"] for a in ticket["activity"]]) == ("new", ["create"])
    assert [x["filename"] for x in ticket["attachments"]] == ["bravo-secret-evidence.txt"]
    assert "intruder" not in admin.get("/api/v1/tickets?limit=500").raw.decode()
    assert [w["username"] for w in ticket["watchers"]] == ["iso.b.user"]
    groups = admin.get("/api/v1/groups?limit=500").json["items"]
    assert [(g["name"], g["members"]) for g in groups] == [("iso-l2", [])]
    assert "192.0.2.66" not in admin.get("/api/v1/iocs?limit=500").raw.decode()
    assert admin.get(f"/api/v1/tenants/{b['id']}").json["name"] == b["name"]
    assert admin.get(f"/api/v1/channels/{world['b_channel']['id']}").json["name"] == \
        "bravo robot"
    assert "intruder" not in admin.get("/api/v1/channels?limit=500").raw.decode()
    assert admin.get(f"/api/v1/mailboxes/{world['b_mailbox']['id']}").json["name"] == \
        "bravo mailbox"
    assert "intruder" not in admin.get("/api/v1/mailboxes?limit=500").raw.decode()
    rule = admin.get(f"/api/v1/rules/{world['b_alert']['rule']['id']}").json
    assert rule["disabled_tenants"] == []
    assert admin.get(f"/api/v1/notify-routes/{world['b_route']['id']}").json["name"] == \
        "bravo route"
    assert "intruder" not in admin.get("/api/v1/notify-routes?limit=500").raw.decode()
    assert admin.get(f"/api/v1/users/{world['b_user']['id']}").json["disabled"] is False
    users = admin.get("/api/v1/users?limit=500").json["items"]
    assert "iso.intruder" not in [u["username"] for u in users]
    assert server.client("iso.b.user", PASSWORD).get("/api/v1/me").status == 200
    from test_tokens import bearer
    assert bearer(server, world["b_token"]["token"]).get("/api/v1/me").status == 200


def test_customer_sees_its_own_tenant(server, world):
    c = server.client("iso.a.admin", PASSWORD)
    a = world["a"]
    assert c.get(f"/api/v1/tenants/{a['id']}").status == 200
    listed = c.get("/api/v1/tenants").json["items"]
    assert [t["id"] for t in listed] == [a["id"]]
    users = c.get("/api/v1/users").json["items"]
    assert {u["username"] for u in users} == {"iso.a.admin", "iso.a.user"}
    assert [s["id"] for s in c.get("/api/v1/sources").json["items"]] == [world["a_source"]["id"]]
    assert c.get("/api/v1/alerts").json["items"] == []
    ent = c.get(f"/api/v1/tenants/{a['id']}/entitlements")
    assert ent.status == 200 and ent.json["edition"] == "professional"


def test_staff_can_read_every_tenant(server, admin, world):
    """The walk is not vacuous: the same requests succeed for staff."""
    make_user(admin, "iso.analyst", "analyst", None, PASSWORD)
    c = server.client("iso.analyst", PASSWORD)
    b = world["b"]
    assert c.get(f"/api/v1/tenants/{b['id']}").json["name"] == b["name"]
    assert c.get(f"/api/v1/users/{world['b_user']['id']}").status == 200
    assert c.get(f"/api/v1/users?tenant={b['id']}").json["items"]
    assert c.get(f"/api/v1/tenants/{b['id']}/entitlements").status == 200
    att = world["b_attachment"]
    for who in (c, server.client("iso.b.user", PASSWORD)):
        r = who.get(f"/api/v1/tickets/{world['b_ticket']['id']}/attachments/{att['id']}")
        assert (r.status, r.raw) == (200, b"bravo secret evidence\n"), r
    denied = c.get("/api/v1/audit")
    assert denied.status == 403
    assert denied.json["detail"] == "your role may not do this (needs audit.read)"
