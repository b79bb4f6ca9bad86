"""The command line: help, exit codes, configuration errors, and each
command's effect on a real data directory."""
import json
import os
import stat

import pytest

from conftest import ADMIN_PASSWORD, Server, cli, init_data

COMMANDS = ["init", "serve", "migrate", "tenant", "user", "token", "audit", "backup",
            "restore", "demo", "source", "ingest", "rules", "detect", "routes", "permissions",
            "config",
            "version"]


def test_help_and_version():
    p = cli("--help")
    assert p.returncode == 0
    for name in COMMANDS:
        assert f"  {name} " in p.stdout
    for name in COMMANDS:
        h = cli(name, "--help")
        assert h.returncode == 0, name
        assert h.stdout.startswith(f"usage: vigil {name}"), name
    v = cli("version")
    assert v.returncode == 0 and v.stdout == "vigil 0.1.0 (schema 18)\n"


def test_usage_errors_exit_2():
    p = cli("frobnicate")
    assert p.returncode == 2 and 'unknown command "frobnicate"' in p.stderr
    assert cli().returncode == 2
    p = cli("tenant", "list", "--bogus")
    assert p.returncode == 2 and "unknown option --bogus" in p.stderr
    p = cli("tenant", "list")
    assert p.returncode == 2
    assert "no data directory: give --data DIR or set VIGIL_DATA" in p.stderr


def test_init_creates_a_private_directory_once(tmp_path):
    data = str(tmp_path / "vigil")
    p = cli("init", data=data)
    assert p.returncode == 0
    assert p.stdout.startswith(f"created {data}\nadmin password (shown once): ")
    password = p.stdout.split(": ")[1].strip()
    assert len(password) == 20
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data + "/master.key").st_mode) == 0o600
    again = cli("init", data=data)
    assert again.returncode == 1
    assert again.stderr == f"vigil: {data} already holds a Vigil store\n"
    srv = Server(data)
    try:
        assert srv.client().login("admin", password)[0] == 200
    finally:
        srv.stop()


def test_weak_admin_password_is_refused(tmp_path):
    p = cli("init", data=str(tmp_path / "v"), env={"VIGIL_ADMIN_PASSWORD": "short"})
    assert p.returncode == 2
    assert p.stderr == "vigil: VIGIL_ADMIN_PASSWORD: password must be at least 12 characters\n"


def test_not_a_data_directory(tmp_path):
    p = cli("tenant", "list", data=str(tmp_path / "missing"))
    assert p.returncode == 1
    assert "is not a Vigil data directory" in p.stderr


@pytest.mark.parametrize("yaml, message", [
    ("http:\n  threads: zero\n", "/vigil.yaml:2: http.threads: must be an integer from 1 to 256"),
    ("listen: 127.0.0.1:1\nhttp:\n  max_body: 5\n", '/vigil.yaml:3: unknown key "http.max_body"'),
    ("log:\n  level: loud\n", 'log.level: must be debug, info, warn or error, not "loud"'),
])
def test_bad_configuration_exits_2_naming_key_and_line(tmp_path, yaml, message):
    data = init_data(str(tmp_path / "vigil"))
    with open(data + "/vigil.yaml", "w") as f:
        f.write(yaml)
    p = cli("serve", data=data)
    assert p.returncode == 2
    assert p.stderr.startswith("vigil: ")
    assert p.stderr.endswith(message + "\n")


def test_bad_environment_override_exits_2(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    p = cli("serve", data=data, env={"VIGIL_HTTP_THREADS": "0"})
    assert p.returncode == 2
    assert p.stderr == "vigil: VIGIL_HTTP_THREADS: must be an integer from 1 to 256\n"
    p = cli("config", data=data, env={"VIGIL_HTTP_THREADS": "16"})
    assert p.returncode == 0 and "http.threads: 16\n" in p.stdout


def test_tenant_user_and_token_commands(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    p = cli("tenant", "add", "--name", "CLI Tenant", "--edition", "enterprise",
            "--start", "2026-01-01", "--end", "2026-12-31", data=data)
    assert p.returncode == 0 and p.stdout == "1\n"
    bad = cli("tenant", "add", "--name", "Bad", "--edition", "gold", "--start", "2026-01-01",
              "--end", "2026-12-31", data=data)
    assert bad.returncode == 2
    assert bad.stderr == "vigil: edition must be professional or enterprise\n"
    listed = json.loads(cli("tenant", "list", "--json", data=data).stdout)
    assert [t["name"] for t in listed] == ["CLI Tenant"]
    shown = json.loads(cli("tenant", "show", "CLI Tenant", "--json", data=data).stdout)
    assert shown["edition"] == "enterprise" and shown["timezone"] == "Asia/Shanghai"
    assert cli("tenant", "show", "Nobody", data=data).returncode == 1

    p = cli("user", "add", "--username", "cli.customer", "--role", "customer_admin",
            "--tenant", "CLI Tenant", "--password-stdin", data=data,
            input="cli-password-123\n")
    assert p.returncode == 0, p.stderr
    assert p.stdout == "created user cli.customer (id 2)\n"
    p = cli("user", "add", "--username", "cli.staff", "--role", "analyst", data=data)
    assert p.returncode == 0
    generated = p.stdout.splitlines()[1].split(": ")[1]
    users = json.loads(cli("user", "list", "--json", data=data).stdout)
    assert [u["username"] for u in users] == ["admin", "cli.customer", "cli.staff"]
    token_out = cli("token", "create", "--user", "cli.customer", "--name", "ci",
                    "--scopes", "read", data=data)
    assert token_out.returncode == 0
    token = token_out.stdout.splitlines()[-1]
    assert token.startswith("vgt_")

    srv = Server(data)
    try:
        assert srv.client().login("cli.customer", "cli-password-123")[0] == 200
        assert srv.client().login("cli.staff", generated)[0] == 200
        c = srv.client()
        c.bearer = token
        me = c.get("/api/v1/me").json
        assert me["username"] == "cli.customer" and me["tenant"]["name"] == "CLI Tenant"
        assert cli("user", "disable", "cli.customer", data=data).returncode == 0
        assert srv.client().login("cli.customer", "cli-password-123")[0] == 401
        assert c.get("/api/v1/me").status == 401
        assert cli("user", "passwd", "cli.staff", "--password-stdin", data=data,
                   input="another-password-1\n").returncode == 0
        assert srv.client().login("cli.staff", "another-password-1")[0] == 200
        assert cli("token", "revoke", "1", data=data).stdout == "revoked token 1\n"
    finally:
        srv.stop()


def test_backup_and_restore_round_trip(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    cli("tenant", "add", "--name", "Before Backup", "--edition", "professional",
        "--start", "2026-01-01", "--end", "2026-12-31", data=data, check=True)
    srv = Server(data)
    try:
        backup = str(tmp_path / "vigil-backup.db")
        p = cli("backup", backup, data=data)
        assert p.returncode == 0 and p.stdout == f"backed up {data} to {backup}\n"
        assert cli("backup", backup, data=data).returncode == 1
        cli("tenant", "add", "--name", "After Backup", "--edition", "professional",
            "--start", "2026-01-01", "--end", "2026-12-31", data=data, check=True)
        busy = cli("restore", backup, data=data)
        assert busy.returncode == 1
        assert busy.stderr == f"vigil: {data} is in use by a running vigil server; stop it first\n"
    finally:
        srv.stop()
    p = cli("restore", backup, data=data)
    assert p.returncode == 0, p.stderr
    names = [t["name"] for t in json.loads(cli("tenant", "list", "--json", data=data).stdout)]
    assert names == ["Before Backup"]
    assert cli("audit", "verify", data=data).returncode == 0
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    p = cli("restore", str(garbage), data=data)
    assert p.returncode == 1
    assert "is not an intact SQLite database" in p.stderr
    srv = Server(data)
    try:
        assert srv.client().login("admin", ADMIN_PASSWORD)[0] == 200
    finally:
        srv.stop()


def test_migrate_on_a_current_store(tmp_path):
    data = init_data(str(tmp_path / "vigil"))
    p = cli("migrate", data=data)
    assert p.returncode == 0
    assert p.stdout == "schema is up to date at version 18; nothing applied\n"


def test_routes_and_permissions_tables():
    routes = json.loads(cli("routes", "--json").stdout)
    assert {"method": "GET", "path": "/api/v1/audit", "permission": "audit.read",
            "action": None, "resource": None, "public": False,
            "summary": "Read the audit trail, newest first"} in routes
    # Every state change is audited, but for ingest (and its Splunk HEC
    # form): events are data, counted per source (GET
    # /api/v1/sources/{id}/stats), not a row per batch.
    unaudited = [r["path"] for r in routes if r["method"] != "GET" and not r["action"]]
    assert unaudited == ["/api/v1/ingest/{id}", "/services/collector",
                         "/services/collector/event", "/services/collector/event/1.0",
                         "/services/collector/raw", "/services/collector/raw/1.0"]
    perms = cli("permissions").stdout
    assert perms.splitlines()[0] == ("| permission | what it covers | admin | manager | analyst "
                                     "| auditor | customer_admin | customer_user |")
    audit_row = next(l for l in perms.splitlines() if l.startswith("| `audit.read`"))
    assert audit_row.count("✓") == 2
