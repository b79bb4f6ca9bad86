"""Logins, sessions, CSRF, lockout, throttling and TOTP against the real server."""
import pytest

from conftest import (ADMIN_PASSWORD, Server, init_data, make_tenant, make_user, totp_code)

PASSWORD = "password-for-tests"


def test_login_sets_strict_httponly_cookie_and_returns_csrf(server):
    c = server.client()
    r = c.post("/api/v1/auth/login", {"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status == 200
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("vigil_session=")
    for attribute in ("Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain HTTP in this test
    assert len(r.json["csrf_token"]) == 43
    assert r.json["user"]["username"] == "admin"
    assert r.json["user"]["role"] == "admin"
    assert "password_hash" not in r.raw.decode()
    me = c.get("/api/v1/me")
    assert me.status == 200
    assert me.json["username"] == "admin"
    assert me.json["auth"] == "session"
    assert me.json["tenant"] is None
    assert "audit.read" in me.json["permissions"]


def test_wrong_password_and_unknown_user_look_the_same(server):
    c = server.client()
    wrong = c.post("/api/v1/auth/login", {"username": "admin", "password": "not-the-password"})
    unknown = c.post("/api/v1/auth/login", {"username": "nobody", "password": "not-the-password"})
    assert wrong.status == unknown.status == 401
    assert wrong.headers["Content-Type"] == "application/problem+json"
    assert wrong.json == unknown.json == {
        "type": "about:blank", "title": "Unauthorized", "status": 401,
        "detail": "invalid username or password"}


def test_unauthenticated_requests_get_401(server):
    r = server.client().get("/api/v1/me")
    assert r.status == 401
    assert r.json["detail"] == "authentication required"


def test_logout_ends_the_session(server):
    c = server.client("admin", ADMIN_PASSWORD)
    r = c.post("/api/v1/auth/logout")
    assert r.status == 204
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    c2 = server.client("admin", ADMIN_PASSWORD)
    cookie = c2.cookie_header()[0].value
    assert c2.post("/api/v1/auth/logout").status == 204
    stale = server.client()
    r = stale.get("/api/v1/me", headers={"Cookie": "vigil_session=" + cookie})
    assert r.status == 401
    assert r.json["detail"] == "session expired or unknown; log in again"


def test_state_changes_need_the_csrf_token(server, admin):
    body = {"name": "CSRF Co", "edition": "enterprise", "contract_start": "2026-01-01",
            "contract_end": "2026-12-31"}
    missing = admin.post("/api/v1/tenants", body, send_csrf=False)
    assert missing.status == 403
    assert missing.json["detail"] == "missing or invalid CSRF token"
    wrong = admin.post("/api/v1/tenants", body, send_csrf=False,
                       headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status == 403
    # Reads do not need it.
    assert admin.get("/api/v1/tenants", send_csrf=False).status == 200
    ok = admin.post("/api/v1/tenants", body)
    assert ok.status == 201
    assert admin.get(f"/api/v1/tenants/{ok.json['id']}").json["name"] == "CSRF Co"


def test_own_password_change_ends_other_sessions(server, admin):
    tenant = make_tenant(admin, "Password Co")
    make_user(admin, "pw.user", "customer_user", tenant["id"], PASSWORD)
    first = server.client("pw.user", PASSWORD)
    second = server.client("pw.user", PASSWORD)
    too_short = first.post("/api/v1/me/password",
                           {"current_password": PASSWORD, "new_password": "short"})
    assert too_short.status == 400
    assert too_short.json["detail"] == "password must be at least 12 characters"
    wrong = first.post("/api/v1/me/password",
                       {"current_password": "wrong-password-xx", "new_password": "new-password-123"})
    assert wrong.status == 401
    ok = first.post("/api/v1/me/password",
                    {"current_password": PASSWORD, "new_password": "new-password-123"})
    assert ok.status == 204
    assert first.get("/api/v1/me").status == 200
    assert second.get("/api/v1/me").status == 401
    assert server.client().login("pw.user", "new-password-123")[0] == 200


def test_disabled_user_cannot_log_in_and_loses_sessions(server, admin):
    tenant = make_tenant(admin, "Disabled Co")
    user = make_user(admin, "gone.user", "customer_user", tenant["id"], PASSWORD)
    session = server.client("gone.user", PASSWORD)
    r = admin.patch(f"/api/v1/users/{user['id']}", {"disabled": True})
    assert r.status == 200 and r.json["disabled"] is True
    assert session.get("/api/v1/me").status == 401
    status, body = server.client().login("gone.user", PASSWORD)
    assert status == 401 and body["detail"] == "invalid username or password"


def test_nobody_disables_or_demotes_themselves(server, admin):
    me = admin.get("/api/v1/me").json
    r = admin.patch(f"/api/v1/users/{me['id']}", {"disabled": True})
    assert r.status == 409
    assert r.json["detail"] == "you cannot disable yourself or change your own role"


@pytest.fixture
def strict_server(tmp_path):
    data = init_data(str(tmp_path / "vigil"), config=(
        "auth:\n  lockout_failures: 3\n  address_failures: 5\n"
        "  failure_window_minutes: 15\n  lockout_minutes: 1\n"))
    srv = Server(data)
    yield srv
    srv.stop()


def test_user_is_locked_after_repeated_failures(strict_server):
    c = strict_server.client()
    for _ in range(3):
        assert c.login("admin", "wrong-password-!")[0] == 401
    r = c.post("/api/v1/auth/login", {"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert r.json["detail"].startswith("too many failed logins for this user; try again in ")


def test_source_address_is_blocked_after_failures_across_users(strict_server):
    c = strict_server.client()
    for i in range(5):
        assert c.login(f"someone{i}", "wrong-password-!")[0] == 401
    r = c.post("/api/v1/auth/login", {"username": "unrelated", "password": "whatever-1234"})
    assert r.status == 429
    assert r.json["detail"].startswith("too many failed logins from this address")
    metrics = strict_server.client().get("/metrics").raw.decode()
    assert 'vigil_auth_logins_total{outcome="failed"} 5' in metrics
    assert 'vigil_auth_logins_total{outcome="locked"} 1' in metrics


def test_totp_enrolment_then_every_login_needs_a_fresh_code(server, admin):
    make_user(admin, "totp.analyst", "analyst", None, PASSWORD)
    c = server.client("totp.analyst", PASSWORD)
    enrol = c.post("/api/v1/me/totp")
    assert enrol.status == 200
    secret = enrol.json["secret"]
    assert len(secret) == 32
    assert enrol.json["uri"] == (
        f"otpauth://totp/Vigil:totp.analyst?secret={secret}&issuer=Vigil"
        "&algorithm=SHA1&digits=6&period=30")
    bad = c.post("/api/v1/me/totp/confirm", {"code": "000000" if totp_code(secret) != "000000"
                                             else "111111"})
    assert bad.status == 400 and bad.json["detail"] == "invalid totp code"
    assert c.post("/api/v1/me/totp/confirm", {"code": totp_code(secret)}).status == 204
    assert c.get("/api/v1/me").json["totp_enabled"] is True
    assert c.post("/api/v1/me/totp").status == 409

    fresh = server.client()
    status, body = fresh.login("totp.analyst", PASSWORD)
    assert status == 401 and body["detail"] == "totp code required"
    status, body = fresh.login("totp.analyst", PASSWORD, "12345")
    assert status == 401 and body["detail"] == "invalid totp code"
    # The code used to confirm enrolment was spent; the next step's code is
    # valid now (one step of drift is accepted) and can be used once only.
    import time
    code = totp_code(secret, time.time() + 30)
    assert fresh.login("totp.analyst", PASSWORD, code)[0] == 200
    status, body = server.client().login("totp.analyst", PASSWORD, code)
    assert status == 401 and body["detail"] == "invalid totp code"
