"""`vigil demo`: a believable MSSP whose printed logins work."""
from conftest import ADMIN_PASSWORD, Server, cli, init_data


def test_demo_fills_a_fresh_store(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    p = cli("demo", data=data)
    assert p.returncode == 0, p.stderr
    logins_text, tokens_text = p.stdout.split("\n\n")
    logins = [line.split() for line in logins_text.splitlines()]
    assert [(u, r) for u, r, _ in logins] == [
        ("wang.manager", "manager"), ("liu.analyst", "analyst"), ("sun.analyst", "analyst"),
        ("zhou.auditor", "auditor"), ("lantern.admin", "customer_admin"),
        ("lantern.user", "customer_user"), ("harbour.admin", "customer_admin"),
        ("harbour.user", "customer_user")]
    again = cli("demo", data=data)
    assert again.returncode == 1
    assert again.stderr == ("vigil: the store already has tenants; demo data goes into a "
                            "fresh store\n")
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        tenants = admin.get("/api/v1/tenants").json["items"]
        assert [(t["name"], t["edition"]) for t in tenants] == [
            ("Hangzhou Lantern Retail", "professional"),
            ("Shenzhen Harbour Logistics", "enterprise")]
        for username, role, password in logins:
            c = srv.client(username, password)
            me = c.get("/api/v1/me").json
            assert me["role"] == role
        lantern = srv.client("lantern.admin", logins[4][2])
        ent = lantern.get(f"/api/v1/tenants/{tenants[0]['id']}/entitlements").json
        duty = next(i for i in ent["items"] if i["id"] == "duty.watch")
        assert duty["quota"] == {"hours_per_year": 16}
        assert ent["active"] is True
        assert lantern.get(f"/api/v1/tenants/{tenants[1]['id']}").status == 404
        # Each customer's last hour went through detection.
        alerts = {(a["tenant_id"], a["rule"]["title"], a["count"])
                  for a in admin.get("/api/v1/alerts").json["items"]}
        assert alerts == {(tenants[0]["id"], "SSH Brute Force From One Address", 1),
                          (tenants[1]["id"], "Indicator of compromise: ip 198.51.100.23", 2),
                          (tenants[0]["id"], "进程异常行为-反弹Shell", 1)}
        assert [a["rule"]["title"] for a in lantern.get("/api/v1/alerts").json["items"]] == \
            ["进程异常行为-反弹Shell", "SSH Brute Force From One Address"]
        # Both name web-01: one asset, covered by Vigil's rules and Security Center.
        assets = lantern.get("/api/v1/assets").json["items"]
        assert [(a["instance_id"], a["hostname"], a["products"], a["alerts"]) for a in assets] \
            == [("i-bp1a2b3c4d5e6f7g8h9i", "web-01", ["Vigil", "Alibaba Cloud Security Center"],
                 2)]
        lines = tokens_text.splitlines()
        assert lines[0].startswith("Ingest tokens")
        token = lines[1].split()[-1]
        c = srv.client()
        c.bearer = token
        r = c.request("POST", "/api/v1/ingest/1", b"<38>Mar 29 14:15:00 h sshd[1]: hello\n")
        assert r.status == 200 and r.json["accepted"] == 1
    finally:
        srv.stop()
