"""The alert queue worked through the API: acknowledge, assign, comment,
close with a disposition, reopen, bulk steps that change all or nothing, the
activity timeline, and mean time to acknowledge and to close."""
import pytest

from conftest import make_tenant, make_user
from test_isolation import ingest, make_source

PASSWORD = "password-for-tests"


@pytest.fixture(scope="module")
def queue(server, admin):
    t = make_tenant(admin, "Triage Co")
    src = make_source(admin, t["id"], "triage syslog")
    # Ten failed logins from each of three addresses: three brute-force alerts.
    lines = "".join(f"Mar 29 14:15:{i:02d} host sshd[1]: Failed password for root from "
                    f"203.0.113.{n} port {40000 + i} ssh2\n" for n in (11, 12, 13)
                    for i in range(10))
    r = ingest(server, src, lines)
    assert r.status == 200 and r.json["alerts"] == 3, r
    alerts = admin.get(f"/api/v1/alerts?tenant={t['id']}").json["items"]
    analyst = make_user(admin, "triage.analyst", "analyst", None, PASSWORD)
    make_user(admin, "triage.auditor", "auditor", None, PASSWORD)
    make_user(admin, "triage.customer", "customer_admin", t["id"], PASSWORD)
    return {"tenant": t, "alerts": sorted(a["id"] for a in alerts), "analyst": analyst,
            "as_analyst": server.client("triage.analyst", PASSWORD)}


def test_an_alerts_life(server, admin, queue):
    c = queue["as_analyst"]
    a = queue["alerts"][0]
    r = c.post(f"/api/v1/alerts/{a}/acknowledge", {})
    assert r.status == 200 and r.json["status"] == "acknowledged", r
    assert r.json["acknowledged_at"]
    assert c.post(f"/api/v1/alerts/{a}/acknowledge", {}).json["detail"] == \
        "the alert is acknowledged, not open"
    r = c.post(f"/api/v1/alerts/{a}/assign", {"user_id": queue["analyst"]["id"]})
    assert r.status == 200 and r.json["assignee_id"] == queue["analyst"]["id"]
    r = c.post(f"/api/v1/alerts/{a}/comments", {"text": "来自同一 IP 的 SSH 猜测"})
    assert r.status == 200
    r = c.post(f"/api/v1/alerts/{a}/close", {"disposition": "maybe"})
    assert r.status == 400 and r.json["detail"].startswith("disposition must be")
    r = c.post(f"/api/v1/alerts/{a}/close", {"disposition": "true_positive",
                                             "reason": "blocked at the firewall"})
    assert r.status == 200, r
    assert (r.json["status"], r.json["disposition"], r.json["close_reason"]) == (
        "closed", "true_positive", "blocked at the firewall")
    assert c.post(f"/api/v1/alerts/{a}/close", {"disposition": "benign"}).status == 409
    r = c.post(f"/api/v1/alerts/{a}/reopen", {"reason": "it came back"})
    assert r.status == 200 and r.json["status"] == "acknowledged"
    assert r.json["disposition"] is None and r.json["closed_at"] is None
    activity = [(x["user"], x["action"], x["detail"]) for x in r.json["activity"]]
    assert activity == [
        ("triage.analyst", "acknowledge", ""),
        ("triage.analyst", "assign", "to triage.analyst"),
        ("triage.analyst", "comment", "来自同一 IP 的 SSH 猜测"),
        ("triage.analyst", "close", "true_positive: blocked at the firewall"),
        ("triage.analyst", "reopen", "it came back")]
    r = c.post(f"/api/v1/alerts/{a}/assign", {"user_id": None})
    assert r.status == 200 and r.json["assignee_id"] is None
    # Only working staff can hold an alert.
    auditor = [u for u in admin.get("/api/v1/users?limit=500").json["items"]
               if u["username"] == "triage.auditor"][0]
    r = c.post(f"/api/v1/alerts/{a}/assign", {"user_id": auditor["id"]})
    assert r.status == 400 and "not an enabled admin, manager or analyst" in r.json["detail"]
    assert c.post(f"/api/v1/alerts/{a}/comments", {"text": ""}).status == 400
    # Triage is staff's: a customer admin reads the alert, and cannot work it.
    cust = server.client("triage.customer", PASSWORD)
    assert cust.get(f"/api/v1/alerts/{a}").status == 200
    assert cust.post(f"/api/v1/alerts/{a}/acknowledge", {}).status == 404
    audit = admin.get("/api/v1/audit?limit=500").json["items"]
    assert {"alert.acknowledge", "alert.assign", "alert.comment", "alert.close",
            "alert.reopen"} <= {e["action"] for e in audit}


def test_bulk_steps_change_all_or_nothing(queue, admin):
    c = queue["as_analyst"]
    first, second, third = queue["alerts"]
    # The first is acknowledged already: acknowledging all three fails on it
    # and changes none.
    r = c.post("/api/v1/alerts/bulk", {"ids": [second, first, third], "action": "acknowledge"})
    assert r.status == 409 and r.json["detail"] == \
        f"alert {first}: the alert is acknowledged, not open", r
    assert c.get(f"/api/v1/alerts/{second}").json["status"] == "open"
    r = c.post("/api/v1/alerts/bulk", {"ids": [second, third], "action": "close",
                                       "disposition": "false_positive",
                                       "reason": "penetration test"})
    assert r.status == 200, r
    for a in (second, third):
        got = c.get(f"/api/v1/alerts/{a}").json
        assert (got["status"], got["disposition"]) == ("closed", "false_positive")
    assert c.post("/api/v1/alerts/bulk", {"ids": [], "action": "close"}).status == 400
    assert c.post("/api/v1/alerts/bulk", {"ids": [second], "action": "delete"}).json[
        "detail"] == "action must be acknowledge, assign, comment, close or reopen"
    listed = c.get(f"/api/v1/alerts?tenant={queue['tenant']['id']}&status=closed").json
    assert sorted(x["id"] for x in listed["items"]) == [second, third]
    assert c.get(f"/api/v1/alerts?tenant={queue['tenant']['id']}&assignee=none").status == 200


def test_time_to_acknowledge_and_close(queue, admin):
    r = admin.get(f"/api/v1/alerts/metrics?tenant={queue['tenant']['id']}")
    assert r.status == 200, r
    (row,) = r.json["items"]
    assert {k: row[k] for k in ("tenant_id", "severity_id", "severity", "alerts",
                                "acknowledged", "closed")} == {
        "tenant_id": queue["tenant"]["id"], "severity_id": 4, "severity": "high", "alerts": 3,
        "acknowledged": 1, "closed": 2}
    assert isinstance(row["mtta_seconds"], int) and 0 <= row["mtta_seconds"] < 120
    assert isinstance(row["mttc_seconds"], int) and 0 <= row["mttc_seconds"] < 120


def test_suppressions_silence_known_noise(server, admin, queue):
    c = queue["as_analyst"]
    t = queue["tenant"]
    rule = admin.get(f"/api/v1/alerts?tenant={t['id']}").json["items"][0]["rule"]["id"]
    src = make_source(admin, t["id"], "noisy syslog")
    future = "2027-06-01T00:00:00Z"
    for body, detail in (
            ({"tenant_id": t["id"], "reason": "x", "expires_at": future},
             "name a rule_id, a source_id or group values"),
            ({"tenant_id": t["id"], "rule_id": rule, "reason": "", "expires_at": future},
             "reason must be 1 to 2000 bytes"),
            ({"tenant_id": t["id"], "rule_id": rule, "reason": "x",
              "expires_at": "2020-01-01T00:00:00Z"}, "expires_at must be within the next year"),
            ({"tenant_id": t["id"], "rule_id": rule, "reason": "x",
              "expires_at": "2099-01-01T00:00:00Z"}, "expires_at must be within the next year")):
        r = c.post("/api/v1/suppressions", body)
        assert r.status == 400 and r.json["detail"] == detail, (body, r)
    # The brute-force rule is a correlation: its alerts span sources, so it
    # is named by rule and grouped value.
    r = c.post("/api/v1/suppressions", {"tenant_id": t["id"], "rule_id": rule,
                                        "group": {"source_ip": "203.0.113.21"},
                                        "reason": "the customer's own vulnerability scanner",
                                        "expires_at": future})
    assert r.status == 201, r
    s = r.json
    assert {k: s[k] for k in ("tenant_id", "match", "reason", "active", "created_by",
                              "suppressed")} == {
        "tenant_id": t["id"], "match": {"rule_id": rule, "source_id": None,
                                        "group": {"source_ip": "203.0.113.21"}},
        "reason": "the customer's own vulnerability scanner", "active": True,
        "created_by": "triage.analyst", "suppressed": 0}
    lines = "".join(f"Mar 29 15:15:{i:02d} host sshd[1]: Failed password for root from "
                    f"203.0.113.{n} port {41000 + i} ssh2\n" for n in (21, 22) for i in range(10))
    r = ingest(server, src, lines)
    assert r.status == 200 and (r.json["alerts"], r.json["alerts_opened"]) == (2, 1), r
    opened = admin.get(f"/api/v1/alerts?tenant={t['id']}&status=open").json["items"]
    assert [a["group"]["source_ip"] for a in opened] == ["203.0.113.22"]
    s = admin.get(f"/api/v1/suppressions/{s['id']}").json
    assert s["suppressed"] == 1 and s["last_suppressed_at"]
    # The customer sees why its alerts are quiet; lifting it is staff's.
    cust = server.client("triage.customer", PASSWORD)
    assert [x["id"] for x in cust.get("/api/v1/suppressions").json["items"]] == [s["id"]]
    assert cust.delete(f"/api/v1/suppressions/{s['id']}").status == 404
    assert c.delete(f"/api/v1/suppressions/{s['id']}").status == 204
    r = ingest(server, src, lines.replace("15:15:", "16:15:"))
    assert r.json["alerts_opened"] == 1  # .21 opens now; .22 joins its open alert


def brute_force(server, admin, tenant_id, name, addresses):
    src = make_source(admin, tenant_id, name)
    r = ingest(server, src, "".join(
        f"Mar 29 17:15:{i:02d} host sshd[1]: Failed password for root from {a} port "
        f"{42000 + i} ssh2\n" for a in addresses for i in range(10)))
    assert r.status == 200 and r.json["alerts_opened"] == len(addresses), r
    alerts = admin.get(f"/api/v1/alerts?tenant={tenant_id}&status=open&limit=500").json["items"]
    return sorted(a["id"] for a in alerts if a["group"].get("source_ip") in addresses)


def test_alerts_escalate_into_a_security_incident(server, admin, queue):
    c = queue["as_analyst"]
    t = queue["tenant"]
    a31, a32 = brute_force(server, admin, t["id"], "incident syslog",
                           ["203.0.113.31", "203.0.113.32"])
    r = c.post("/api/v1/security-incidents", {"title": "SSH 暴力破解", "category": "brute_force",
                                              "alert_ids": [a31, a32],
                                              "note": "two addresses guessing root"})
    assert r.status == 201, r
    inc = r.json
    assert {k: inc[k] for k in ("tenant_id", "title", "category", "severity_id", "severity",
                                "phase", "status", "alerts", "created_by")} == {
        "tenant_id": t["id"], "title": "SSH 暴力破解", "category": "brute_force",
        "severity_id": 4, "severity": "high", "phase": "detection", "status": "open",
        "alerts": [a31, a32], "created_by": "triage.analyst"}
    assert [(s["action"], s["phase"], s["detail"]) for s in inc["activity"]] == [
        ("open", "detection", "two addresses guessing root")]
    alert = c.get(f"/api/v1/alerts/{a31}").json
    assert alert["status"] == "acknowledged"
    assert alert["activity"][-1]["action"] == "escalate"
    assert alert["activity"][-1]["detail"] == f"to incident {inc['id']}"
    r = c.post("/api/v1/security-incidents", {"title": "again", "category": "other",
                                              "alert_ids": [a31]})
    assert r.status == 409 and r.json["detail"] == \
        f"alert {a31} is in incident {inc['id']} already"
    other = make_tenant(admin, "Other Incident Co")
    (foreign,) = brute_force(server, admin, other["id"], "other syslog", ["198.51.100.44"])
    r = c.post(f"/api/v1/security-incidents/{inc['id']}/alerts", {"alert_ids": [foreign]})
    assert r.status == 400 and "another tenant's" in r.json["detail"], r
    r = c.post("/api/v1/security-incidents", {"title": "x", "category": "spam",
                                              "alert_ids": [foreign]})
    assert r.status == 400 and r.json["detail"].startswith("category must be")
    # Phases go forward, each with a note; closing waits for recovery.
    r = c.post(f"/api/v1/security-incidents/{inc['id']}/phase",
               {"phase": "containment", "note": "blocked both addresses"})
    assert r.status == 200 and r.json["phase"] == "containment", r
    r = c.post(f"/api/v1/security-incidents/{inc['id']}/phase",
               {"phase": "detection", "note": "back"})
    assert r.status == 409 and r.json["detail"] == "the incident is in containment: phases go forward"
    r = c.post(f"/api/v1/security-incidents/{inc['id']}/close", {"summary": "done"})
    assert r.status == 409
    assert c.post(f"/api/v1/security-incidents/{inc['id']}/notes",
                  {"text": "客户已确认"}).status == 200
    assert c.post(f"/api/v1/security-incidents/{inc['id']}/phase",
                  {"phase": "recovery", "note": "passwords rotated"}).status == 200
    r = c.post(f"/api/v1/security-incidents/{inc['id']}/close",
               {"summary": "no login succeeded; addresses blocked"})
    assert r.status == 200 and (r.json["status"], r.json["summary"]) == (
        "closed", "no login succeeded; addresses blocked")
    assert [(s["action"], s["phase"]) for s in r.json["activity"]] == [
        ("open", "detection"), ("phase", "containment"), ("note", "containment"),
        ("phase", "recovery"), ("close", "recovery")]
    assert c.post(f"/api/v1/security-incidents/{inc['id']}/notes",
                  {"text": "late"}).status == 409
    # The customer follows its incident and does not work it.
    cust = server.client("triage.customer", PASSWORD)
    assert [x["id"] for x in cust.get("/api/v1/security-incidents").json["items"]] == [inc["id"]]
    assert cust.get(f"/api/v1/security-incidents/{inc['id']}").json["status"] == "closed"
    assert cust.post(f"/api/v1/security-incidents/{inc['id']}/notes",
                     {"text": "x"}).status == 404
