"""API tokens: scopes, revocation, expiry, and no secret in any answer."""
import sqlite3

from conftest import ADMIN_PASSWORD, Client, make_tenant, make_user


def bearer(server, token):
    c = Client(server.base)
    c.bearer = token
    return c


def test_read_token_reads_but_cannot_write(server, admin):
    r = admin.post("/api/v1/tokens", {"name": "reporting", "scopes": ["read"],
                                      "expires_in_days": 30})
    assert r.status == 201
    token = r.json["token"]
    assert token.startswith("vgt_") and len(token) == 47
    assert r.json["prefix"] == token[:10]
    assert r.json["scopes"] == ["read"]
    c = bearer(server, token)
    me = c.get("/api/v1/me")
    assert me.status == 200 and me.json["auth"] == "token"
    assert c.get("/api/v1/tenants").status == 200
    w = c.post("/api/v1/tenants", {"name": "Nope", "edition": "enterprise",
                                   "contract_start": "2026-01-01", "contract_end": "2026-12-31"})
    assert w.status == 403
    assert w.json["detail"] == "this API token's scopes do not allow POST"


def test_write_token_needs_no_csrf(server, admin):
    token = admin.post("/api/v1/tokens", {"name": "automation", "scopes": ["read", "write"]}).json
    c = bearer(server, token["token"])
    r = c.post("/api/v1/tenants", {"name": "Token Co", "edition": "enterprise",
                                   "contract_start": "2026-01-01", "contract_end": "2026-12-31"})
    assert r.status == 201


def test_revoked_and_expired_tokens_are_refused(server, admin):
    revoked = admin.post("/api/v1/tokens", {"name": "short-lived", "scopes": ["read"]}).json
    assert bearer(server, revoked["token"]).get("/api/v1/me").status == 200
    assert admin.delete(f"/api/v1/tokens/{revoked['id']}").status == 204
    r = bearer(server, revoked["token"]).get("/api/v1/me")
    assert r.status == 401
    assert r.json["detail"] == "API token unknown, revoked or expired"

    expiring = admin.post("/api/v1/tokens", {"name": "expiring", "scopes": ["read"],
                                             "expires_in_days": 1}).json
    db = sqlite3.connect(server.data + "/vigil.db")
    db.execute("UPDATE api_tokens SET expires_at = 1 WHERE id = ?", (expiring["id"],))
    db.commit()
    db.close()
    assert bearer(server, expiring["token"]).get("/api/v1/me").status == 401
    assert bearer(server, "vgt_" + "A" * 43).get("/api/v1/me").status == 401


def test_token_list_never_shows_secrets(server, admin):
    created = admin.post("/api/v1/tokens", {"name": "listed", "scopes": ["read"]}).json
    listing = admin.get("/api/v1/tokens?limit=500")
    assert listing.status == 200
    text = listing.raw.decode()
    assert created["token"] not in text
    assert "token_hash" not in text
    ids = [t["id"] for t in listing.json["items"]]
    assert created["id"] in ids
    assert all("token" not in t for t in listing.json["items"])


def test_bad_token_requests_are_rejected(server, admin):
    r = admin.post("/api/v1/tokens", {"name": "x", "scopes": ["admin"]})
    assert r.status == 400 and r.json["detail"] == 'unknown scope "admin" (scopes are read and write)'
    r = admin.post("/api/v1/tokens", {"name": "x", "scopes": []})
    assert r.status == 400 and r.json["detail"] == "a token needs at least one scope"
    r = admin.post("/api/v1/tokens", {"name": "x", "scopes": ["read"], "expires_in_days": 0})
    assert r.status == 400


def test_customer_sees_only_own_tokens(server, admin):
    a = make_tenant(admin, "Token Tenant A")
    b = make_tenant(admin, "Token Tenant B")
    make_user(admin, "tok.a", "customer_admin", a["id"])
    make_user(admin, "tok.b", "customer_admin", b["id"])
    ca = server.client("tok.a", "password-for-tests")
    cb = server.client("tok.b", "password-for-tests")
    tb = cb.post("/api/v1/tokens", {"name": "b's", "scopes": ["read"]}).json
    assert tb["tenant_id"] == b["id"]
    listed = [t["id"] for t in ca.get("/api/v1/tokens").json["items"]]
    assert tb["id"] not in listed
    assert ca.delete(f"/api/v1/tokens/{tb['id']}").status == 404
    assert bearer(server, tb["token"]).get("/api/v1/me").status == 200
