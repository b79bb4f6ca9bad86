"""The web console's files as `vigil serve` answers them: the build's
index.html for every page of the single-page app, hashed assets cached for a
year, a strict Content-Security-Policy, and nothing outside the build."""
import os

import pytest

from conftest import Server, init_data, raw_request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'self'")
INDEX = b"<!doctype html><title>Vigil</title><script type=module src=/assets/app-3f9a.js></script>"
APP = b"console.log('vigil')\n"


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    root = tmp_path_factory.mktemp("console")
    os.makedirs(root / "dist" / "assets")
    (root / "dist" / "index.html").write_bytes(INDEX)
    (root / "dist" / "assets" / "app-3f9a.js").write_bytes(APP)
    (root / "dist" / "favicon.svg").write_bytes(b"<svg/>")
    (root / "secret.txt").write_bytes(b"outside the build")
    data = init_data(str(root / "vigil"), f"console.dir: {root / 'dist'}\n")
    srv = Server(data)
    yield srv
    srv.stop()


def get(server, path, method="GET"):
    return server.client().request(method, path, send_csrf=False)


def test_every_page_is_the_index(console):
    for path in ("/", "/alerts", "/tickets/42", "/portal/tickets/new"):
        r = get(console, path)
        assert (r.status, r.raw) == (200, INDEX), path
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert r.headers["Cache-Control"] == "no-cache"
        assert r.headers["Content-Security-Policy"] == CSP
        assert r.headers["X-Frame-Options"] == "DENY"


def test_hashed_assets_are_cached_for_a_year(console):
    r = get(console, "/assets/app-3f9a.js")
    assert (r.status, r.raw) == (200, APP)
    assert r.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    r = get(console, "/favicon.svg")
    assert (r.status, r.headers["Content-Type"], r.headers["Cache-Control"]) == (
        200, "image/svg+xml", "no-cache")


def test_head_answers_without_a_body(console):
    r = get(console, "/", "HEAD")
    assert (r.status, r.raw) == (200, b"")
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"


def test_nothing_outside_the_build_nor_a_missing_asset(console):
    for path in ("/assets/gone-1234.js", "/../secret.txt", "/%2e%2e/secret.txt",
                 "/assets/..%2f..%2fsecret.txt", "/.env", "/assets//app-3f9a.js",
                 "/vigil.yaml.bak"):
        r = raw_request(console.port, f"GET {path} HTTP/1.1\r\nHost: x\r\n"
                        "Connection: close\r\n\r\n".encode())
        head = r.split(b"\r\n\r\n")[0].decode()
        assert head.startswith("HTTP/1.1 404") or head.startswith("HTTP/1.1 400"), (path, head)
        assert b"outside the build" not in r and INDEX not in r, path


def test_the_api_is_not_the_console(console):
    r = get(console, "/api/v1/nothing-here")
    assert r.status == 404 and r.json["detail"] == "no such resource: /api/v1/nothing-here"
    assert r.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" not in r.headers
    r = console.client().request("POST", "/alerts", {}, send_csrf=False)
    assert r.status == 404 and r.json["detail"] == "no such resource: /alerts"


def test_a_server_without_a_built_console_says_so(tmp_path):
    data = init_data(str(tmp_path / "vigil"), f"console.dir: {tmp_path / 'none'}\n")
    srv = Server(data)
    try:
        r = get(srv, "/")
        assert r.status == 404
        assert r.json["detail"] == ("the console is not built (web/dist has no index.html): "
                                    "run make")
    finally:
        srv.stop()
