"""Notification channels through the API: kept sealed (neither the URL's key
nor the secret ever comes back, in answers or the audit trail), checked when
created, tested against receivers that behave like the vendors, scoped to
their tenant, and unable to reach private addresses unless allowed."""
import pytest

from conftest import ADMIN_PASSWORD, Server, init_data, make_tenant, make_user
from test_notify import DINGTALK_SECRET, WEBHOOK_SECRET, vendor  # noqa: F401 (a fixture)

PASSWORD = "password-for-tests"
SERVER_CONFIG = "notify:\n  allow_private_targets: true\n"



@pytest.fixture(scope="module")
def customer(server, admin):
    t = make_tenant(admin, "Channel Co")
    make_user(admin, "chan.admin", "customer_admin", t["id"], PASSWORD)
    make_user(admin, "chan.user", "customer_user", t["id"], PASSWORD)
    return {"tenant": t, "admin": server.client("chan.admin", PASSWORD),
            "user": server.client("chan.user", PASSWORD)}


def base(vendor):
    return f"http://127.0.0.1:{vendor.server_address[1]}"


def test_customer_admin_keeps_its_wecom_group(customer, vendor, admin):
    c, t = customer["admin"], customer["tenant"]
    url = f"{base(vendor)}/cgi-bin/webhook/send?key=good"
    r = c.post("/api/v1/channels", {"tenant_id": t["id"], "name": "SOC 群", "type": "wecom",
                                    "url": url})
    assert r.status == 201, r
    ch = r.json
    assert {k: ch[k] for k in ("tenant_id", "name", "type", "url_hint", "has_secret", "to",
                               "enabled", "username", "from")} == {
        "tenant_id": t["id"], "name": "SOC 群", "type": "wecom",
        "url_hint": f"{base(vendor)}/…", "has_secret": False, "to": [], "enabled": True,
        "username": None, "from": None}
    vendor.seen.clear()
    r = c.post(f"/api/v1/channels/{ch['id']}/test", {"title": "演练", "text": "**测试**"})
    assert r.status == 200, r
    assert r.json == {"delivered": True, "retry": False, "status": 200, "vendor_code": None,
                      "retry_after_seconds": None,
                      "answer": '{"errcode": 0, "errmsg": "ok"}', "error": None}
    assert vendor.seen[0]["query"] == {"key": "good"}
    # The key in the URL is never shown again, to anyone.
    for resp in (c.get(f"/api/v1/channels/{ch['id']}"), c.get("/api/v1/channels"),
                 admin.get("/api/v1/channels?limit=500"), admin.get("/api/v1/audit?limit=500")):
        assert resp.status == 200 and "key=good" not in resp.raw.decode(), resp
    # Without channel.read the route is not there for a customer user.
    assert customer["user"].get("/api/v1/channels").status == 404


def test_refused_messages_say_why_and_keep_secrets(customer, vendor, admin):
    c, t = customer["admin"], customer["tenant"]
    r = c.post("/api/v1/channels", {"tenant_id": t["id"], "name": "钉钉", "type": "dingtalk",
                                    "url": f"{base(vendor)}/robot/send?access_token=tok",
                                    "secret": "SECnot-the-robots-secret"})
    assert r.status == 201 and r.json["has_secret"] is True, r
    ch = r.json
    r = c.post(f"/api/v1/channels/{ch['id']}/test", {})
    assert r.status == 200
    assert (r.json["delivered"], r.json["retry"], r.json["vendor_code"], r.json["error"]) == \
        (False, False, 310000, "dingtalk: errcode 310000: sign not match")
    r = c.patch(f"/api/v1/channels/{ch['id']}", {"secret": DINGTALK_SECRET})
    assert r.status == 200 and r.json["has_secret"] is True
    assert c.post(f"/api/v1/channels/{ch['id']}/test", {}).json["delivered"] is True
    audit = admin.get("/api/v1/audit?limit=500")
    text = audit.raw.decode()
    assert DINGTALK_SECRET not in text and "SECnot-the-robots-secret" not in text
    assert "access_token=tok" not in text
    tests = [e for e in audit.json["items"] if e["action"] == "channel.test"]
    assert [e["detail"] for e in tests[:2]] == [
        "delivered", "dingtalk: errcode 310000: sign not match"]
    # Without a secret, the robot refuses the unsigned message.
    r = c.patch(f"/api/v1/channels/{ch['id']}", {"secret": None})
    assert r.status == 200 and r.json["has_secret"] is False
    assert c.post(f"/api/v1/channels/{ch['id']}/test", {}).json["vendor_code"] == 310000


def test_channels_that_cannot_work_are_refused(customer, vendor, admin):
    c, t = customer["admin"], customer["tenant"]
    cases = [
        ({"type": "dingtalk", "url": f"{base(vendor)}/robot/send", "secret": "tok"},
         'dingtalk: a signing secret starts with "SEC" (the access token belongs in the URL)'),
        ({"type": "webhook", "url": f"{base(vendor)}/hook"},
         'webhook: a webhook needs its secret, "whsec_" and base64 of the key'),
        ({"type": "webhook", "url": f"{base(vendor)}/hook", "secret": "whsec_@@@@"},
         "webhook: webhook secret: not base64: bad character near offset 0"),
        ({"type": "slack", "url": "ftp://hooks.example/x"}, "url must be an http or https URL"),
        ({"type": "email", "url": "smtp://127.0.0.1:25", "to": ["a@b.example"]},
         "email needs a sender (from)"),
        ({"type": "email", "url": "https://mail.example", "from": "a@b.example",
          "to": ["c@d.example"]}, "email needs an smtp:// or smtps:// URL"),
        ({"type": "pager", "url": "https://x.example"},
         'unknown channel type "pager" (wecom, dingtalk, feishu, slack, webhook, email)'),
    ]
    for body, detail in cases:
        r = c.post("/api/v1/channels", {"tenant_id": t["id"], "name": "bad", **body})
        assert r.status == 400 and r.json["detail"] == detail, (body, r)
    # The MSSP's own channels are staff's.
    r = c.post("/api/v1/channels", {"name": "duty", "type": "slack",
                                    "url": f"{base(vendor)}/services/T0/B0/x"})
    assert r.status == 403, r
    r = admin.post("/api/v1/channels", {"name": "duty", "type": "webhook",
                                        "url": f"{base(vendor)}/hook", "secret": WEBHOOK_SECRET})
    assert r.status == 201 and r.json["tenant_id"] is None, r
    duty = r.json
    assert admin.post(f"/api/v1/channels/{duty['id']}/test", {}).json["delivered"] is True
    assert duty["id"] not in [x["id"] for x in c.get("/api/v1/channels").json["items"]]
    assert c.get(f"/api/v1/channels/{duty['id']}").status == 404
    r = admin.post("/api/v1/channels", {"name": "duty", "type": "slack",
                                        "url": f"{base(vendor)}/services/T0/B0/x"})
    assert r.status == 409, r
    assert admin.delete(f"/api/v1/channels/{duty['id']}").status == 204
    assert admin.get(f"/api/v1/channels/{duty['id']}").status == 404


def test_email_channel(customer, admin):
    from aiosmtpd.controller import Controller
    from conftest import free_port
    from test_notify import Inbox

    c, t = customer["admin"], customer["tenant"]
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        r = c.post("/api/v1/channels", {
            "tenant_id": t["id"], "name": "mail", "type": "email",
            "url": f"smtp://127.0.0.1:{smtp.port}", "from": "vigil@mssp.example",
            "to": ["soc@channel-co.example"]})
        assert r.status == 201, r
        assert r.json["to"] == ["soc@channel-co.example"]
        assert r.json["url_hint"] == f"smtp://127.0.0.1:{smtp.port}"
        r = c.post(f"/api/v1/channels/{r.json['id']}/test", {"title": "邮件测试"})
        assert r.json["delivered"] is True, r
    finally:
        smtp.stop()
    assert inbox.messages[0].rcpt_tos == ["soc@channel-co.example"]


def test_private_targets_are_refused_by_default(tmp_path, vendor):
    srv = Server(init_data(str(tmp_path / "vigil")))
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        t = make_tenant(admin, "Careful Co")
        for url, refused in ((f"{base(vendor)}/cgi-bin/webhook/send?key=good", "127.0.0.1"),
                             ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
                             ("http://[::1]:9/x", "::1")):
            r = admin.post("/api/v1/channels", {"tenant_id": t["id"], "name": refused,
                                                "type": "wecom", "url": url})
            assert r.status == 201, r
            vendor.seen.clear()
            r = admin.post(f"/api/v1/channels/{r.json['id']}/test", {})
            origin = url.split("/")[0] + "//" + url.split("/")[2]
            assert r.json["delivered"] is False and r.json["retry"] is False
            assert r.json["error"] == f"wecom: {origin}: {refused} is not a public address", r
            assert vendor.seen == []
    finally:
        srv.stop()
