"""HTTP behaviour: limits, errors as problem+json, health, metrics, paging."""
import json

import pytest

from conftest import ADMIN_PASSWORD, Server, init_data, make_tenant, raw_request


def test_health(server):
    r = server.client().get("/healthz")
    assert r.status == 200
    assert r.json == {"status": "ok", "store": "ok", "version": "0.1.0"}


def test_every_answer_carries_security_headers(server, admin):
    for r in (server.client().get("/healthz"), admin.get("/api/v1/me"),
              server.client().get("/api/v1/nope")):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Cache-Control"] == "no-store"
    # A console page (the build, or its "not built" answer) is framed by nobody either.
    r = server.client().get("/alerts")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_metrics_in_prometheus_text(server, admin):
    admin.get("/api/v1/tenants")
    r = server.client().get("/metrics")
    assert r.status == 200
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = r.raw.decode()
    assert 'vigil_build_info{version="0.1.0"} 1' in text
    assert 'vigil_http_requests_total{method="GET",code="200"}' in text
    assert "vigil_http_request_duration_seconds_bucket{le=\"+Inf\"}" in text
    assert "process_resident_memory_bytes " in text


def test_unknown_path_and_wrong_method(server, admin):
    r = admin.get("/api/v1/nothing-here")
    assert r.status == 404
    assert r.json == {"type": "about:blank", "title": "Not Found", "status": 404,
                      "detail": "no such resource: /api/v1/nothing-here"}
    r = admin.request("PUT", "/api/v1/tenants", {})
    assert r.status == 405
    assert r.headers["Allow"] == "GET, POST"
    assert admin.get("/api/v1/tenants/abc").status == 404
    assert admin.get("/api/v1/tenants/999999").json["detail"] == "no such tenant"


@pytest.mark.parametrize("body, detail", [
    (b'{"name": "x"', "invalid JSON at line 1 column 12: '}' expected near end of file"),
    (b"", "invalid JSON at line 1 column 0: '[' or '{' expected near end of file"),
    (b"[]", "expected a JSON object"),
    (b'{"name": "A", "bogus": 1}', 'unknown field "bogus"'),
    (b'{"name": 5}', 'field "name" must be a string'),
    (b'{"name": "A", "edition": "gold", "contract_start": "2026-01-01",'
     b' "contract_end": "2026-12-31"}', "edition must be professional or enterprise"),
    (b'{"name": "A", "edition": "enterprise", "contract_start": "2026-02-30",'
     b' "contract_end": "2026-12-31"}', "contract_start must be a date YYYY-MM-DD"),
    (b'{"name": "A", "edition": "enterprise", "contract_start": "2026-05-01",'
     b' "contract_end": "2026-04-30"}', "contract_end is before contract_start"),
    (b'{"name": "A", "edition": "enterprise", "contract_start": "2026-01-01",'
     b' "contract_end": "2026-12-31", "timezone": "Mars/Olympus"}',
     'timezone "Mars/Olympus" is not a known time zone'),
])
def test_bad_bodies_are_400_problems(admin, body, detail):
    r = admin.post("/api/v1/tenants", body)
    assert r.status == 400
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json["detail"] == detail


def test_duplicate_name_is_409(admin):
    make_tenant(admin, "Unique Co")
    r = admin.post("/api/v1/tenants", {"name": "Unique Co", "edition": "enterprise",
                                       "contract_start": "2026-01-01",
                                       "contract_end": "2026-12-31"})
    assert r.status == 409
    assert r.json["detail"] == 'tenant name "Unique Co" is taken'


@pytest.fixture(scope="module")
def small_body_server(tmp_path_factory):
    data = init_data(str(tmp_path_factory.mktemp("small") / "vigil"),
                     config="http:\n  max_body_bytes: 2048\n")
    srv = Server(data)
    yield srv
    srv.stop()


def test_oversized_body_with_content_length_is_413(small_body_server):
    c = small_body_server.client("admin", ADMIN_PASSWORD)
    r = c.post("/api/v1/tenants", b'{"name": "' + b"x" * 4096 + b'"}')
    assert r.status == 413
    assert r.json == {"type": "about:blank", "title": "Content Too Large", "status": 413,
                      "detail": "request body is larger than 2048 bytes"}
    assert c.post("/api/v1/tenants", b'{"name": "' + b"x" * 1000 + b'"}').status == 400


def test_oversized_chunked_body_is_413(small_body_server):
    chunk = b"x" * 1000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
    answer = raw_request(small_body_server.port,
                         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                         b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
                         b"Connection: close\r\n\r\n" + body)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"request body is larger than 2048 bytes" in answer


def test_pagination_walks_every_item_once(admin):
    names = {f"Paged Co {i}" for i in range(7)}
    for n in sorted(names):
        make_tenant(admin, n)
    seen, cursor, pages = [], None, 0
    while True:
        r = admin.get("/api/v1/tenants?limit=3" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status == 200
        assert len(r.json["items"]) <= 3
        seen += [t["name"] for t in r.json["items"]]
        pages += 1
        cursor = r.json["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert names <= set(seen)
    assert pages == -(-len(seen) // 3) or pages == len(seen) // 3 + 1


@pytest.mark.parametrize("query, detail", [
    ("limit=0", "limit must be an integer from 1 to 500"),
    ("limit=501", "limit must be an integer from 1 to 500"),
    ("cursor=garbage", "cursor is not one this server issued"),
    ("tenant=x", "tenant must be a tenant id"),
])
def test_bad_paging_arguments_are_400(admin, query, detail):
    r = admin.get("/api/v1/users?" + query)
    assert r.status == 400
    assert r.json["detail"] == detail


def test_catalog_and_entitlements(admin):
    cat = admin.get("/api/v1/catalog").json
    ids = [i["id"] for c in cat["categories"] for i in c["items"]]
    assert len(ids) == len(set(ids)) == 48  # every line of SERVICE-CATALOG.md
    pro = make_tenant(admin, "Entitled Pro", "professional")
    ent = make_tenant(admin, "Entitled Ent", "enterprise")
    p = admin.get(f"/api/v1/tenants/{pro['id']}/entitlements").json
    e = admin.get(f"/api/v1/tenants/{ent['id']}/entitlements").json
    p_items = {i["id"]: i for i in p["items"]}
    e_items = {i["id"]: i for i in e["items"]}
    assert "risk-assessment.exposure" not in p_items
    assert "drills.emergency" not in p_items
    assert e_items["drills.emergency"]["quota"] == {"per_year": 2}
    assert p_items["duty.watch"]["quota"] == {"hours_per_year": 16}
    assert e_items["duty.watch"]["quota"] == {"hours_per_year": 48}
    assert p_items["operations.inspection"]["frequency"] == "weekly"
    assert p_items["channels.im"]["sla_object"] is False
    assert e_items["reports.monthly"]["deliverable"] == {
        "name": "MSS Monthly Analysis Report", "name_zh": "MSS月度分析报告"}
    assert set(p_items) < set(e_items)
    assert p["active"] in (True, False) and p["contract_end"] == "2026-12-31"


def test_slow_client_is_cut_off(tmp_path):
    """A client that starts a request and stalls is disconnected after
    http.timeout_seconds instead of holding a connection forever."""
    import socket
    import time
    data = init_data(str(tmp_path / "vigil"), config="http:\n  timeout_seconds: 1\n")
    srv = Server(data)
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            started = time.time()
            assert s.recv(1024) == b""
            assert time.time() - started < 8
        assert srv.client().get("/healthz").status == 200
    finally:
        srv.stop()


def test_tls_serving_with_secure_cookie(tmp_path):
    import http.client
    import ssl
    import subprocess
    from conftest import ADMIN_PASSWORD, clean_env, free_port, VIGIL
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    data = init_data(str(tmp_path / "vigil"))
    port = free_port()
    log = open(str(tmp_path / "tls.log"), "w+")
    proc = subprocess.Popen([VIGIL, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                             "--tls-cert", cert, "--tls-key", key], stdout=log,
                            stderr=subprocess.STDOUT, env=clean_env())
    try:
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False
        import time
        for _ in range(200):
            try:
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
                conn.request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        assert conn.getresponse().status == 200
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
        conn.request("POST", "/api/v1/auth/login",
                     body=json.dumps({"username": "admin", "password": ADMIN_PASSWORD}),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 200
        assert "; Secure" in r.getheader("Set-Cookie")
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        log.seek(0)
        assert "serving on https://127.0.0.1:%d" % port in log.read()
