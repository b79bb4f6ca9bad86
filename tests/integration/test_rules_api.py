"""The rules API (/api/v1/rules): the rules the server's pipeline runs,
their YAML, lint and trial runs of rule text as `vigil rules lint|test`
judge it, and a rule switched off and on for one tenant."""
import pytest

from conftest import make_tenant, make_user

PASSWORD = "password-for-tests"
BRUTE_FORCE = "2f055c27-eadc-4fee-80b5-cf7c6539005a"   # content/rules/linux/sshd_brute_force.yml
LOGIN_FAILED = "c4da12a4-fef5-4ed4-b050-b97cf92657d1"  # its base rule, same file

RULE = """title: Root Did Something
id: 0b9f6a43-1c1e-4a43-9d55-3f0c1a5e7a01
status: experimental
logsource:
    product: linux
detection:
    selection:
        user: root
    condition: selection
level: medium
"""

# Line 7 names a modifier Sigma does not have.
BROKEN = """title: Broken
id: broken-rule
logsource:
    product: linux
detection:
    selection:
        user|contain: root
    condition: selection
"""


@pytest.fixture(scope="module")
def tenants(admin):
    return make_tenant(admin, "Rules Alpha"), make_tenant(admin, "Rules Bravo")


def test_list_has_the_shipped_rules(admin):
    r = admin.get("/api/v1/rules?limit=500")
    assert r.status == 200, r
    by_id = {x["id"]: x for x in r.json["items"]}
    assert r.json["next"] is None
    rule = by_id[BRUTE_FORCE]
    assert rule == {
        "id": BRUTE_FORCE, "title": "SSH Brute Force From One Address", "level": "high",
        "status": "stable", "kind": "correlation",
        "tags": ["attack.credential-access", "attack.t1110.001"],
        "logsource": {"product": None, "service": None, "category": None},
        "origin": "content/rules/linux/sshd_brute_force.yml", "disabled_tenants": []}
    base = by_id[LOGIN_FAILED]
    assert (base["kind"], base["logsource"]) == (
        "detection", {"product": "linux", "service": "sshd", "category": None})


def test_list_filters_and_pages(admin):
    r = admin.get("/api/v1/rules?q=brute%20FORCE")
    assert [x["id"] for x in r.json["items"]] == [BRUTE_FORCE]
    r = admin.get(f"/api/v1/rules?q={LOGIN_FAILED[:8]}")
    assert [x["id"] for x in r.json["items"]] == [LOGIN_FAILED]
    everything = [x["id"] for x in admin.get("/api/v1/rules?limit=500").json["items"]]
    first = admin.get("/api/v1/rules?limit=2").json
    assert [x["id"] for x in first["items"]] == everything[:2] and first["next"]
    second = admin.get("/api/v1/rules?limit=2&cursor=" + first["next"]).json
    assert [x["id"] for x in second["items"]] == everything[2:4]


def test_get_returns_the_rule_as_written(admin):
    r = admin.get(f"/api/v1/rules/{LOGIN_FAILED}")
    assert r.status == 200, r
    assert r.json["title"] == "SSH Login Failed"
    y = r.json["yaml"]
    assert y.startswith("title: SSH Login Failed\n")
    assert "detection:\n    selection:\n        event: login_failed\n" in y
    # Its own document of the file only.
    assert "correlation:" not in y and "---" not in y
    first = admin.get(f"/api/v1/rules/{BRUTE_FORCE}").json["yaml"]
    assert first.startswith("title: SSH Brute Force From One Address\n")
    assert "correlation:" in first and "SSH Login Failed" not in first
    # By name too; an unknown id is 404.
    assert admin.get("/api/v1/rules/ssh_login_failed").json["id"] == LOGIN_FAILED
    r = admin.get("/api/v1/rules/no-such-rule")
    assert (r.status, r.json["detail"]) == (404, "no such rule: no-such-rule")


def test_lint(admin):
    r = admin.post("/api/v1/rules/lint", {"yaml": RULE})
    assert (r.status, r.json) == (200, {"ok": True,
                                        "rules": ["0b9f6a43-1c1e-4a43-9d55-3f0c1a5e7a01"]})
    r = admin.post("/api/v1/rules/lint", {"yaml": BROKEN})
    assert (r.status, r.json) == (200, {"ok": False, "errors": [
        {"line": 7, "message": 'unknown modifier "contain"'}]}), r
    r = admin.post("/api/v1/rules/lint", {"yaml": "title: [unclosed\n"})
    # Where the parser found the bracket missing: the end of the text.
    assert (r.status, r.json) == (200, {"ok": False, "errors": [
        {"line": 2, "message": "invalid YAML: flow sequence without a closing bracket"}]}), r
    # A correlation may read the loaded rules.
    corr = ("title: Many Failures\nid: many-failures\ncorrelation:\n    type: event_count\n"
            "    rules: [ssh_login_failed]\n    group-by: [user]\n    timespan: 1m\n"
            "    condition: {gte: 3}\nlevel: low\n")
    assert admin.post("/api/v1/rules/lint", {"yaml": corr}).json == {
        "ok": True, "rules": ["many-failures"]}
    r = admin.post("/api/v1/rules/lint", {"yaml": corr.replace("ssh_login_failed", "nope")})
    assert r.json["ok"] is False and "nope" in r.json["errors"][0]["message"], r
    assert admin.post("/api/v1/rules/lint", {}).status == 400


def test_test(admin):
    r = admin.post("/api/v1/rules/test", {"yaml": RULE, "event": {"user": "root"}})
    assert (r.status, r.json) == (200, {"matched": True,
                                        "rules": ["0b9f6a43-1c1e-4a43-9d55-3f0c1a5e7a01"]})
    r = admin.post("/api/v1/rules/test", {"yaml": RULE, "event": {"user": "bob"}})
    assert (r.status, r.json) == (200, {"matched": False, "rules": []})
    r = admin.post("/api/v1/rules/test", {"rule_id": LOGIN_FAILED,
                                          "event": {"event": "login_failed", "user": "x"}})
    assert (r.status, r.json) == (200, {"matched": True, "rules": [LOGIN_FAILED]})
    r = admin.post("/api/v1/rules/test", {"rule_id": LOGIN_FAILED, "event": {"event": "login"},
                                          "source_type": "json"})
    assert (r.status, r.json) == (200, {"matched": False, "rules": []})
    r = admin.post("/api/v1/rules/test", {"yaml": BROKEN, "event": {"user": "root"}})
    assert (r.status, r.json["detail"]) == (400, 'yaml: line 7: unknown modifier "contain"')
    r = admin.post("/api/v1/rules/test", {"yaml": RULE, "event": [1, 2]})
    assert (r.status, r.json["detail"]) == (400, "event: a JSON object is required")
    r = admin.post("/api/v1/rules/test", {"yaml": RULE})
    assert (r.status, r.json["detail"]) == (400, "event: a JSON object is required")
    r = admin.post("/api/v1/rules/test", {"rule_id": "no-such-rule", "event": {}})
    assert r.status == 404
    r = admin.post("/api/v1/rules/test", {"yaml": RULE, "rule_id": LOGIN_FAILED, "event": {}})
    assert (r.status, r.json["detail"]) == (400, "give either yaml (rule text) or rule_id")


def test_customers_are_told_404_and_analysts_read(server, admin, tenants):
    a, _ = tenants
    make_user(admin, "rules.customer", "customer_admin", a["id"], PASSWORD)
    make_user(admin, "rules.analyst", "analyst", None, PASSWORD)
    c = server.client("rules.customer", PASSWORD)
    for method, path, body in (
            ("GET", "/api/v1/rules", None), ("GET", f"/api/v1/rules/{BRUTE_FORCE}", None),
            ("POST", "/api/v1/rules/lint", {"yaml": RULE}),
            ("POST", "/api/v1/rules/test", {"yaml": RULE, "event": {}}),
            ("PATCH", f"/api/v1/rules/{BRUTE_FORCE}/tenants/{a['id']}", {"enabled": False})):
        r = c.request(method, path, body)
        assert r.status == 404, (path, r)
    analyst = server.client("rules.analyst", PASSWORD)
    assert analyst.get(f"/api/v1/rules/{BRUTE_FORCE}").status == 200
    r = analyst.patch(f"/api/v1/rules/{BRUTE_FORCE}/tenants/{a['id']}", {"enabled": False})
    assert (r.status, r.json["detail"]) == (403, "your role may not do this (needs rule.write)")


def make_source(admin, tenant_id):
    r = admin.post("/api/v1/sources", {"tenant_id": tenant_id, "name": "rules syslog",
                                       "type": "syslog"})
    assert r.status == 201, r
    return r.json


def guess_passwords(server, source, address):
    c = server.client()
    c.bearer = source["token"]
    body = "".join(f"Mar 29 14:15:{i:02d} alpha-host sshd[2414]: Failed password for root "
                   f"from {address} port {50000 + i} ssh2\n" for i in range(10))
    r = c.request("POST", f"/api/v1/ingest/{source['id']}", body.encode(),
                  headers={"Content-Type": "text/plain"})
    assert r.status == 200 and r.json["accepted"] == 10, r
    return r.json


def brute_force_alerts(admin, tenant):
    items = admin.get(f"/api/v1/alerts?tenant={tenant['id']}&rule={BRUTE_FORCE}").json["items"]
    return [x["group"] for x in items]


def test_a_rule_disabled_for_a_tenant_opens_no_alerts_there(server, admin, tenants):
    a, b = tenants
    src_a, src_b = make_source(admin, a["id"]), make_source(admin, b["id"])
    path = f"/api/v1/rules/{BRUTE_FORCE}/tenants/{a['id']}"
    r = admin.patch(path, {"enabled": False})
    assert (r.status, r.json) == (200, {"rule_id": BRUTE_FORCE, "tenant_id": a["id"],
                                        "enabled": False})
    assert admin.get(f"/api/v1/rules/{BRUTE_FORCE}").json["disabled_tenants"] == [a["id"]]
    listed = admin.get("/api/v1/rules?q=brute").json["items"]
    assert [x["disabled_tenants"] for x in listed] == [[a["id"]]]
    log = admin.get("/api/v1/audit?limit=5").json["items"]
    assert (log[0]["action"], log[0]["object"], log[0]["tenant_id"], log[0]["outcome"]) == (
        "rule.tenant", f"tenant:{a['id']}", a["id"], "ok")

    # Off for A: the guessing matches, and opens nothing; B still alerts.
    assert guess_passwords(server, src_a, "198.51.100.10")["alerts_opened"] == 0
    assert brute_force_alerts(admin, a) == []
    assert guess_passwords(server, src_b, "198.51.100.10")["alerts_opened"] == 1
    assert brute_force_alerts(admin, b) == [{"source_ip": "198.51.100.10"}]

    # On again: A alerts.
    r = admin.patch(path, {"enabled": True})
    assert (r.status, r.json["enabled"]) == (200, True)
    assert admin.get(f"/api/v1/rules/{BRUTE_FORCE}").json["disabled_tenants"] == []
    assert guess_passwords(server, src_a, "198.51.100.11")["alerts_opened"] == 1
    assert brute_force_alerts(admin, a) == [{"source_ip": "198.51.100.11"}]


def test_switch_refuses_what_does_not_exist(admin, tenants):
    a, _ = tenants
    r = admin.patch(f"/api/v1/rules/no-such-rule/tenants/{a['id']}", {"enabled": False})
    assert (r.status, r.json["detail"]) == (404, "no such rule: no-such-rule")
    r = admin.patch(f"/api/v1/rules/{BRUTE_FORCE}/tenants/999999", {"enabled": False})
    assert r.status == 404, r
    r = admin.patch(f"/api/v1/rules/{BRUTE_FORCE}/tenants/{a['id']}", {"enabled": "no"})
    assert r.status == 400, r
