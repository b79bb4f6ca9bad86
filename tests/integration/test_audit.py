"""The audit trail: what is recorded, who may read it, and tamper evidence."""
import sqlite3

import pytest

from conftest import ADMIN_PASSWORD, Server, cli, init_data, make_tenant, make_user

PASSWORD = "password-for-tests"


def rows(client, query=""):
    r = client.get("/api/v1/audit?limit=500" + query)
    assert r.status == 200, r
    return r.json["items"]


def test_logins_changes_and_refusals_are_recorded(server, admin):
    server.client().login("admin", "wrong-password-audit")
    tenant = make_tenant(admin, "Audited Co")
    user = make_user(admin, "audited.user", "customer_user", tenant["id"], PASSWORD)
    refused = server.client("audited.user", PASSWORD).post(
        "/api/v1/tenants", {"name": "x", "edition": "enterprise",
                            "contract_start": "2026-01-01", "contract_end": "2026-12-31"})
    assert refused.status == 404
    log = rows(admin)
    ids = [r["id"] for r in log]
    assert ids == sorted(ids, reverse=True)
    summary = [(r["actor"], r["action"], r["object"], r["outcome"]) for r in log]
    assert ("admin", "auth.login", "/api/v1/auth/login", "failed: 401") in summary
    assert ("admin", "tenant.create", f"tenant:{tenant['id']}", "ok") in summary
    assert ("admin", "user.create", f"user:{user['id']}", "ok") in summary
    assert ("audited.user", "auth.login", f"user:{user['id']}", "ok") in summary
    assert ("audited.user", "tenant.create", "/api/v1/tenants", "failed: 404") in summary
    created = next(r for r in log if r["object"] == f"tenant:{tenant['id']}")
    assert created["tenant_id"] == tenant["id"]
    assert created["source"] == "127.0.0.1"
    assert len(created["hash"]) == 64 and len(created["prev_hash"]) == 64
    assert PASSWORD not in str(log) and ADMIN_PASSWORD not in str(log)


def test_audit_filters_and_pages(server, admin):
    only_logins = rows(admin, "&action=auth.login")
    assert only_logins and all(r["action"] == "auth.login" for r in only_logins)
    first = admin.get("/api/v1/audit?limit=2").json
    second = admin.get("/api/v1/audit?limit=2&cursor=" + first["next"]).json
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert first["items"][1]["id"] > second["items"][0]["id"]


def test_only_admin_and_auditor_read_the_trail(server, admin):
    make_user(admin, "audit.reader", "auditor", None, PASSWORD)
    make_user(admin, "audit.analyst", "analyst", None, PASSWORD)
    assert server.client("audit.reader", PASSWORD).get("/api/v1/audit").status == 200
    assert server.client("audit.analyst", PASSWORD).get("/api/v1/audit").status == 403
    auditor = server.client("audit.reader", PASSWORD)
    r = auditor.post("/api/v1/tenants", {"name": "Auditor Co", "edition": "enterprise",
                                         "contract_start": "2026-01-01",
                                         "contract_end": "2026-12-31"})
    assert r.status == 403


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "POST", "PUT"])
def test_no_route_changes_the_trail(admin, method):
    r = admin.request(method, "/api/v1/audit", {} if method != "DELETE" else None)
    assert r.status == 405
    assert r.headers["Allow"] == "GET"


@pytest.fixture
def stopped_store(tmp_path):
    """A data directory with a few audited actions and no server running."""
    data = init_data(str(tmp_path / "vigil"))
    srv = Server(data)
    admin = srv.client("admin", ADMIN_PASSWORD)
    for i in range(3):
        make_tenant(admin, f"Tamper Co {i}")
    srv.stop()
    p = cli("audit", "verify", data=data)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "audit trail intact: 5 rows\n"
    return data


def tamper(data, *statements):
    db = sqlite3.connect(data + "/vigil.db")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    for s in statements:
        db.execute(s)
    db.commit()
    db.close()


def test_triggers_refuse_changes(stopped_store):
    db = sqlite3.connect(stopped_store + "/vigil.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET outcome = 'ok' WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log WHERE id = 2")
    db.close()


def test_changed_row_is_named(stopped_store):
    tamper(stopped_store, "UPDATE audit_log SET detail = 'nothing to see' WHERE id = 3")
    p = cli("audit", "verify", data=stopped_store)
    assert p.returncode == 1
    assert p.stderr == "vigil: audit row 3: content does not match its hash (row changed)\n"


def test_deleted_row_is_named_by_its_successor(stopped_store):
    tamper(stopped_store, "DELETE FROM audit_log WHERE id = 3")
    p = cli("audit", "verify", data=stopped_store)
    assert p.returncode == 1
    assert p.stderr == ("vigil: audit row 4: chain broken before this row "
                        "(a row was inserted or deleted)\n")


def test_inserted_row_is_named(stopped_store):
    tamper(stopped_store,
           "INSERT INTO audit_log (id, at, actor, action, object, source, outcome, detail,"
           " prev_hash, hash) SELECT 100, at, 'mallory', 'tenant.create', 'tenant:9', source,"
           " 'ok', '', hash, hash FROM audit_log WHERE id = 5")
    p = cli("audit", "verify", data=stopped_store)
    assert p.returncode == 1
    assert p.stderr == "vigil: audit row 100: content does not match its hash (row changed)\n"


def test_cli_actions_are_audited_as_system(stopped_store):
    assert cli("tenant", "add", "--name", "CLI Co", "--edition", "enterprise", "--start",
               "2026-01-01", "--end", "2026-12-31", data=stopped_store).returncode == 0
    db = sqlite3.connect(stopped_store + "/vigil.db")
    row = db.execute("SELECT actor, source, action, outcome FROM audit_log "
                     "ORDER BY id DESC LIMIT 1").fetchone()
    db.close()
    assert row == ("system", "cli", "tenant.create", "ok")
    assert cli("audit", "verify", data=stopped_store).stdout == "audit trail intact: 6 rows\n"
