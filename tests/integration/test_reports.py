"""Reports: generated through the API and kept, downloaded by the customer
they belong to, the tenant's logo on the cover, and the monthly schedule that
makes last month's report and mails it to the tenant's report contacts."""
import datetime
import email
import email.policy
import os
import struct
import subprocess
import zlib

import pytest

from conftest import (ADMIN_PASSWORD, REPO, Server, SmtpInbox, cli, init_data, make_tenant,
                      make_user, wait_for)
from test_isolation import ingest, make_source

SERVER_CONFIG = ("notify.allow_private_targets: true\n"
                 "notify.retry_base_seconds: 1\n"
                 "notify.max_attempts: 2\n"
                 "report.check_seconds: 1\n"
                 "report.email_channel: report mail\n"
                 "report.issuer: Example MSSP\n")
PASSWORD = "password-for-tests"


def last_month(zone_hours=8):
    """The month before this one, in a zone zone_hours east of UTC."""
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=zone_hours)
    first = now.replace(day=1)
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


def png(width=4, height=2):
    """A small valid PNG: width x height red pixels."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def backdate(data, tenant_id):
    """Makes the tenant one of long standing: the schedule reports only on
    months that ended after a tenant came (writes the live store, as the
    server's own connections would)."""
    import sqlite3
    db = sqlite3.connect(os.path.join(data, "vigil.db"), timeout=30)
    db.execute("UPDATE tenants SET created_at = 0 WHERE id = ?", (tenant_id,))
    db.commit()
    db.close()


def pdf_text(data, tmp_path, name="r.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def world(server, admin):
    acme = make_tenant(admin, "Acme Reports")
    other = make_tenant(admin, "Other Reports")
    make_user(admin, "acme-reader", "customer_user", acme["id"])
    make_user(admin, "other-reader", "customer_user", other["id"])
    make_user(admin, "an-auditor", "auditor")
    return {"acme": acme, "other": other,
            "acme_user": server.client("acme-reader", PASSWORD),
            "other_user": server.client("other-reader", PASSWORD),
            "auditor": server.client("an-auditor", PASSWORD)}


def test_generate_list_download(admin, world, tmp_path):
    acme = world["acme"]
    r = admin.post("/api/v1/reports", {"kind": "monthly", "tenant_id": acme["id"],
                                       "month": "2026-11", "format": "pdf"})
    assert r.status == 201, r
    rep = r.json
    assert (rep["kind"], rep["period"], rep["format"], rep["language"], rep["state"],
            rep["scheduled"], rep["mailings"], rep["filename"], rep["created_by"]) == (
        "monthly", "2026-11", "pdf", "zh-CN", "ready", False, [],
        "vigil-monthly-2026-11-zh-CN.pdf", "admin")
    f = admin.get(f"/api/v1/reports/{rep['id']}/file")
    assert f.status == 200
    assert f.headers["Content-Type"] == "application/pdf"
    assert f.headers["Content-Disposition"] == \
        'attachment; filename="vigil-monthly-2026-11-zh-CN.pdf"'
    assert f.raw.startswith(b"%PDF-") and len(f.raw) == rep["size"]
    text = pdf_text(f.raw, tmp_path)
    assert "MSS月度分析报告" in text and "Acme Reports" in text and "Example MSSP" in text

    h = admin.post("/api/v1/reports", {"kind": "monthly", "tenant_id": acme["id"],
                                       "month": "2026-11", "format": "html",
                                       "language": "en"})
    assert h.status == 201, h
    page = admin.get(f"/api/v1/reports/{h.json['id']}/file")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Security-Policy"].startswith("sandbox")
    html = page.raw.decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "MSS Monthly Analysis Report" in html and "Acme Reports" in html
    assert "<script" not in html

    ids = [x["id"] for x in admin.get(f"/api/v1/reports?tenant={acme['id']}").json["items"]]
    assert ids == [rep["id"], h.json["id"]]
    audit = admin.get("/api/v1/audit?action=report.generate").json["items"]
    assert {a["detail"] for a in audit} >= {"vigil-monthly-2026-11-zh-CN.pdf",
                                            "vigil-monthly-2026-11-en.html"}


def test_customers_see_and_download_only_their_own(admin, world):
    acme, other = world["acme"], world["other"]
    rep = admin.post("/api/v1/reports", {"kind": "monthly", "tenant_id": acme["id"],
                                         "month": "2026-10"}).json
    mine = world["acme_user"]
    assert rep["id"] in [x["id"] for x in mine.get("/api/v1/reports").json["items"]]
    assert {x["tenant_id"] for x in mine.get("/api/v1/reports").json["items"]} == {acme["id"]}
    assert mine.get(f"/api/v1/reports/{rep['id']}/file").raw.startswith(b"%PDF-")
    stranger = world["other_user"]
    assert stranger.get(f"/api/v1/reports/{rep['id']}").status == 404
    assert stranger.get(f"/api/v1/reports/{rep['id']}/file").status == 404
    assert stranger.get(f"/api/v1/reports?tenant={acme['id']}").status == 404
    # Customers read reports; making them is the MSSP's work (and a customer
    # is told 404, as for anything outside what it may see).
    r = mine.post("/api/v1/reports", {"kind": "monthly", "tenant_id": acme["id"],
                                      "month": "2026-10"})
    assert r.status == 404
    assert world["auditor"].post("/api/v1/reports", {"kind": "monthly",
                                                      "tenant_id": other["id"],
                                                      "month": "2026-10"}).status == 403


@pytest.mark.parametrize("body, status, detail", [
    ({"kind": "monthly", "tenant_id": 1, "month": "2026-13"}, 400, "month must be YYYY-MM"),
    ({"kind": "monthly", "month": "2026-11"}, 400,
     "a monthly report needs tenant_id and month"),
    ({"kind": "weekly", "tenant_id": 1, "month": "2026-11"}, 400,
     'kind "weekly" is not monthly or incident'),
    ({"kind": "monthly", "tenant_id": 1, "month": "2026-11", "format": "docx"}, 400,
     'format "docx" is not pdf or html'),
    ({"kind": "monthly", "tenant_id": 1, "month": "2026-11", "language": "fr"}, 400,
     'language "fr" is not zh-CN or en'),
    ({"kind": "monthly", "tenant_id": 99999, "month": "2026-11"}, 404, "no such tenant"),
    ({"kind": "incident", "incident_id": 99999}, 404, "no such"),
    ({"kind": "incident"}, 400, "an incident report needs incident_id"),
])
def test_bad_requests_are_refused_and_nothing_is_kept(admin, world, body, status, detail):
    before = len(admin.get("/api/v1/reports?limit=500").json["items"])
    r = admin.post("/api/v1/reports", body)
    assert r.status == status, r
    assert detail in r.json["detail"]
    assert len(admin.get("/api/v1/reports?limit=500").json["items"]) == before


def test_logo_on_the_cover(admin, world, tmp_path):
    acme = world["acme"]
    path = f"/api/v1/tenants/{acme['id']}/logo"
    assert admin.get(path).status == 404
    bad = admin.request("POST", path, b"GIF89a not a png", headers={"Content-Type": "image/png"})
    assert bad.status == 400 and bad.json["detail"] == "logo: not a PNG image"
    broken = admin.request("POST", path, png()[:40], headers={"Content-Type": "image/png"})
    assert broken.status == 400 and "does not decode" in broken.json["detail"]
    image = png(8, 4)
    ok = admin.request("POST", path, image, headers={"Content-Type": "image/png"})
    assert ok.status == 204, ok
    got = admin.get(path)
    assert got.status == 200 and got.raw == image
    assert world["acme_user"].get(path).raw == image
    assert world["other_user"].get(path).status == 404
    assert world["acme_user"].request("POST", path, image,
                                      headers={"Content-Type": "image/png"}).status == 404
    rep = admin.post("/api/v1/reports", {"kind": "monthly", "tenant_id": acme["id"],
                                         "month": "2026-11", "format": "html"}).json
    html = admin.get(f"/api/v1/reports/{rep['id']}/file").raw.decode()
    assert "data:image/png;base64," in html
    pdf = admin.post("/api/v1/reports", {"kind": "monthly", "tenant_id": acme["id"],
                                         "month": "2026-11"}).json
    raw = admin.get(f"/api/v1/reports/{pdf['id']}/file").raw
    (tmp_path / "logo.pdf").write_bytes(raw)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "logo.pdf")],
                            capture_output=True, text=True, check=True).stdout
    # The logo, 8 x 4 pixels, on page 1.
    assert any(line.split()[:1] == ["1"] and line.split()[3:5] == ["8", "4"]
               for line in images.splitlines()[2:]), images
    assert admin.delete(path).status == 204
    assert admin.get(path).status == 404


def test_incident_report(server, admin, world, tmp_path):
    acme = world["acme"]
    src = make_source(admin, acme["id"], "reports syslog")
    r = ingest(server, src, "".join(
        f"Mar 29 17:15:{i:02d} web-01 sshd[1]: Failed password for root from 203.0.113.77 "
        f"port {42000 + i} ssh2\n" for i in range(10)))
    assert r.status == 200 and r.json["alerts_opened"] == 1, r
    alert = admin.get(f"/api/v1/alerts?tenant={acme['id']}").json["items"][0]
    inc = admin.post("/api/v1/security-incidents", {
        "title": "SSH 暴力破解 web-01", "category": "brute_force", "alert_ids": [alert["id"]],
        "note": "one address guessing root"})
    assert inc.status == 201, inc
    iid = inc.json["id"]
    r = admin.post("/api/v1/reports", {"kind": "incident", "incident_id": iid})
    assert r.status == 201, r
    assert (r.json["kind"], r.json["period"], r.json["incident_id"], r.json["tenant_id"],
            r.json["filename"]) == ("incident", f"SEC-{iid}", iid, acme["id"],
                                    f"vigil-incident-SEC-{iid}-zh-CN.pdf")
    text = pdf_text(admin.get(f"/api/v1/reports/{r.json['id']}/file").raw, tmp_path)
    assert "安全事件分析报告" in text and "SSH 暴力破解 web-01" in text
    assert "203.0.113.77" in text and "one address guessing root" in text
    assert world["acme_user"].get(f"/api/v1/reports/{r.json['id']}/file").status == 200
    assert world["other_user"].post("/api/v1/reports", {
        "kind": "incident", "incident_id": iid}).status == 404
    en = admin.post("/api/v1/reports", {"kind": "incident", "incident_id": iid,
                                        "language": "en", "format": "html"})
    html = admin.get(f"/api/v1/reports/{en.json['id']}/file").raw.decode()
    assert "Security Incident Analysis Report" in html and "203.0.113.77" in html


def test_schedule_makes_last_month_and_mails_it(server, admin):
    smtp = SmtpInbox()
    try:
        ch = admin.post("/api/v1/channels", {
            "name": "report mail", "type": "email", "url": f"smtp://127.0.0.1:{smtp.port}",
            "from": "reports@mssp.example", "to": ["reports-copy@mssp.example"]})
        assert ch.status == 201, ch
        t = admin.post("/api/v1/tenants", {
            "name": "Scheduled Reports", "edition": "enterprise",
            "contract_start": "2026-01-01", "contract_end": "2027-12-31",
            "contacts": [{"name": "CISO", "email": "ciso@scheduled.example", "reports": True},
                         {"name": "Ops", "email": "ops@scheduled.example"}]})
        assert t.status == 201, t
        backdate(server.data, t.json["id"])
        month = last_month()

        def mailed():
            items = admin.get(f"/api/v1/reports?tenant={t.json['id']}").json["items"]
            if not items:
                return None
            rep = admin.get(f"/api/v1/reports/{items[0]['id']}").json
            return rep if rep["mailings"] and rep["mailings"][0]["state"] == "sent" else None
        rep = wait_for(mailed, timeout=60)
        assert (rep["period"], rep["scheduled"], rep["state"], rep["created_by"],
                rep["format"]) == (month, True, "ready", "schedule", "pdf")
        assert [(m["recipient"], m["attempts"], m["error"]) for m in rep["mailings"]] == [
            ("ciso@scheduled.example", 1, None)]
        msgs = [e for e in smtp.messages if "ciso@scheduled.example" in e.rcpt_tos]
        assert len(msgs) == 1 and msgs[0].rcpt_tos == ["ciso@scheduled.example"]
        msg = email.message_from_bytes(msgs[0].content, policy=email.policy.default)
        assert msg["Subject"] == f"MSS月度分析报告 {month}：Scheduled Reports"
        parts = [p for p in msg.iter_attachments()]
        assert [(p.get_filename(), p.get_content_type()) for p in parts] == [
            (f"vigil-monthly-{month}-zh-CN.pdf", "application/pdf")]
        body = parts[0].get_content()
        assert body.startswith(b"%PDF-") and len(body) == rep["size"]
        # A tenant whose reports are in English gets them so, mail and all.
        en = admin.post("/api/v1/tenants", {
            "name": "English Reports", "edition": "professional",
            "contract_start": "2026-01-01", "contract_end": "2027-12-31",
            "report_language": "en",
            "contacts": [{"name": "CTO", "email": "cto@english.example", "reports": True}]})
        assert en.status == 201 and en.json["report_language"] == "en", en
        backdate(server.data, en.json["id"])
        wait_for(lambda: [e for e in smtp.messages if "cto@english.example" in e.rcpt_tos],
                 timeout=60)
        (sent,) = [e for e in smtp.messages if "cto@english.example" in e.rcpt_tos]
        msg = email.message_from_bytes(sent.content, policy=email.policy.default)
        assert msg["Subject"] == f"MSS Monthly Analysis Report {month}: English Reports"
        assert [p.get_filename() for p in msg.iter_attachments()] == [
            f"vigil-monthly-{month}-en.pdf"]
        bad = admin.patch(f"/api/v1/tenants/{en.json['id']}", {"report_language": "fr"})
        assert bad.status == 400 and bad.json["detail"] == "report_language must be zh-CN or en"
        # Made once: later passes find it there.
        import time
        time.sleep(2.5)
        again = admin.get(f"/api/v1/reports?tenant={t.json['id']}").json["items"]
        assert [r["id"] for r in again if r["scheduled"]] == [rep["id"]]
        assert len([e for e in smtp.messages if "ciso@scheduled.example" in e.rcpt_tos]) == 1
    finally:
        smtp.stop()


def test_a_mail_that_cannot_be_sent_is_retried_then_failed(tmp_path):
    data = init_data(str(tmp_path / "vigil"), SERVER_CONFIG.replace(
        "report.email_channel: report mail", "report.email_channel: dead mail"))
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        dead = admin.post("/api/v1/channels", {
            "name": "dead mail", "type": "email", "url": "smtp://127.0.0.1:9",
            "from": "reports@mssp.example", "to": ["x@mssp.example"]})
        assert dead.status == 201, dead
        t = admin.post("/api/v1/tenants", {
            "name": "Unlucky", "edition": "professional", "contract_start": "2026-01-01",
            "contract_end": "2027-12-31",
            "contacts": [{"name": "IT", "email": "it@unlucky.example", "reports": True}]})
        assert t.status == 201, t
        backdate(data, t.json["id"])

        def failed():
            items = admin.get(f"/api/v1/reports?tenant={t.json['id']}").json["items"]
            if not items:
                return None
            rep = admin.get(f"/api/v1/reports/{items[0]['id']}").json
            return rep if rep["mailings"] and rep["mailings"][0]["state"] == "failed" else None
        rep = wait_for(failed, timeout=60)
        m = rep["mailings"][0]
        assert rep["state"] == "ready"
        assert (m["recipient"], m["attempts"], m["sent_at"]) == ("it@unlucky.example", 2, None)
        assert m["error"].startswith("email: ")
    finally:
        srv.stop()


def test_without_a_channel_the_mail_waits_and_says_why(tmp_path):
    data = init_data(str(tmp_path / "vigil"), "report.check_seconds: 1\n")
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        t = admin.post("/api/v1/tenants", {
            "name": "Patient", "edition": "professional", "contract_start": "2026-01-01",
            "contract_end": "2027-12-31",
            "contacts": [{"name": "IT", "email": "it@patient.example", "reports": True}]})
        assert t.status == 201, t
        backdate(data, t.json["id"])

        def waiting():
            items = admin.get(f"/api/v1/reports?tenant={t.json['id']}").json["items"]
            if not items:
                return None
            rep = admin.get(f"/api/v1/reports/{items[0]['id']}").json
            return rep if rep["mailings"] and rep["mailings"][0]["error"] else None
        m = wait_for(waiting, timeout=60)["mailings"][0]
        assert (m["state"], m["attempts"], m["error"]) == (
            "pending", 0, "report.email_channel is not set: no channel to mail reports through")
    finally:
        srv.stop()


def test_no_report_for_a_month_outside_the_contract(tmp_path):
    data = init_data(str(tmp_path / "vigil"), "report.check_seconds: 1\n")
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        start = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
        late = admin.post("/api/v1/tenants", {
            "name": "Starts Later", "edition": "professional", "contract_start": start,
            "contract_end": "2030-12-31"})
        assert late.status == 201, late
        on = admin.post("/api/v1/tenants", {
            "name": "On Contract", "edition": "professional", "contract_start": "2026-01-01",
            "contract_end": "2030-12-31"})
        # Under contract since January, but a customer of Vigil only from
        # today: its first report is of this month, not of the one before.
        new = admin.post("/api/v1/tenants", {
            "name": "New Today", "edition": "professional", "contract_start": "2026-01-01",
            "contract_end": "2030-12-31"})
        backdate(data, late.json["id"])
        backdate(data, on.json["id"])
        made = wait_for(lambda: admin.get(f"/api/v1/reports?tenant={on.json['id']}").json[
            "items"], timeout=60)
        assert [r["period"] for r in made] == [last_month()]
        assert admin.get(f"/api/v1/reports?tenant={late.json['id']}").json["items"] == []
        assert admin.get(f"/api/v1/reports?tenant={new.json['id']}").json["items"] == []
    finally:
        srv.stop()


def flat(text):
    """text without whitespace, so a figure wrapped across lines still reads whole."""
    return "".join(text.split())


def test_demo_month_in_both_formats_matches_the_apis(tmp_path):
    """The monthly report of the demo data, rendered by the CLI: the figures
    it prints are the ones the alert and SLA APIs give for the month. Its
    pages are kept as PNG under tests/artifacts/ for review."""
    data = init_data(str(tmp_path / "vigil"))
    assert cli("demo", data=data).returncode == 0
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        lantern = admin.get("/api/v1/tenants").json["items"][0]
        month = (datetime.datetime.now(datetime.timezone.utc) +
                 datetime.timedelta(hours=8)).strftime("%Y-%m")
        sla = admin.get(f"/api/v1/tenants/{lantern['id']}/sla?month={month}").json
        alerts = admin.get(f"/api/v1/alerts?tenant={lantern['id']}&limit=500").json["items"]
    finally:
        srv.stop()

    def in_month(iso):
        t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        return (t + datetime.timedelta(hours=8)).strftime("%Y-%m") == month
    n_alerts = sum(1 for a in alerts if in_month(a["created_at"]))
    high = sum(1 for a in alerts if in_month(a["created_at"]) and a["severity_id"] >= 4)
    assert n_alerts == 2 and sla["tickets"] == 3 and sla["im_excluded"] == 1
    expected = [
        "MSS月度分析报告", "Hangzhou Lantern Retail",
        f"本月共产生告警{n_alerts}条",
        f"其中高危及严重告警{high}条",
        f"本月受理工单{sla['tickets']}张（另有即时通讯渠道工单{sla['im_excluded']}张不计入）",
        "响应SLA达成率%.1f%%" % sla["response"]["met_percent"],
        "解决SLA达成率%.1f%%" % sla["resolution"]["met_percent"],
    ]
    pdf = tmp_path / "monthly.pdf"
    html = tmp_path / "monthly.html"
    for path, fmt in ((pdf, "pdf"), (html, "html")):
        p = cli("report", "monthly", "--tenant", lantern["name"], "--month", month,
                "--format", fmt, "-o", str(path), data=data)
        assert p.returncode == 0, p.stderr
        assert p.stdout == f"{path}: monthly report {month}, {path.stat().st_size} bytes\n"
    text = flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout)
    page = flat(html.read_text())
    for figure in expected:
        assert flat(figure) in text, figure
        assert flat(figure) in page, figure
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    cjk = [line.split() for line in fonts if "NotoSansCJK" in line]
    assert cjk and all(f[-5] == "yes" for f in cjk), fonts  # the "emb" column

    artifacts = os.path.join(REPO, "tests", "artifacts")
    os.makedirs(artifacts, exist_ok=True)
    for old in os.listdir(artifacts):
        if old.startswith("report-monthly-"):
            os.remove(os.path.join(artifacts, old))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf),
                    os.path.join(artifacts, "report-monthly")], check=True)
    pages = sorted(f for f in os.listdir(artifacts) if f.startswith("report-monthly-"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    assert len(pages) == count and count >= 3


def test_a_report_that_cannot_be_made_is_retried_then_failed(tmp_path):
    """A scheduled report whose rendering fails (here: a logo that no longer
    decodes, written into the store behind the API's back) is tried again
    after the back-off, then given up as failed with the reason, and nothing
    is mailed."""
    import sqlite3
    data = init_data(str(tmp_path / "vigil"), SERVER_CONFIG.replace(
        "notify.retry_base_seconds: 1", "notify.retry_base_seconds: 3"))
    db = sqlite3.connect(os.path.join(data, "vigil.db"))
    db.execute("INSERT INTO tenants (name, edition, contract_start, contract_end, contacts, "
               "logo, created_at, updated_at) VALUES ('Broken Logo', 'professional', "
               "'2026-01-01', '2030-12-31', '[{\"name\":\"IT\",\"email\":\"it@broken.example\","
               "\"reports\":true}]', X'89504E470D0A1A0A00', 0, 0)")
    db.commit()
    db.close()
    srv = Server(data)
    try:
        admin = srv.client("admin", ADMIN_PASSWORD)
        tid = admin.get("/api/v1/tenants").json["items"][0]["id"]
        first = wait_for(lambda: [r for r in admin.get(f"/api/v1/reports?tenant={tid}").json[
            "items"] if r["attempts"]])[0]
        # The first try failed; the next waits notify.retry_base_seconds.
        assert (first["state"], first["attempts"], first["error"], first["size"]) == (
            "pending", 1, "logo: not a PNG image", 0)
        assert first["next_at"] is not None
        assert admin.get(f"/api/v1/reports/{first['id']}/file").status == 409

        def given_up():
            rep = admin.get(f"/api/v1/reports/{first['id']}").json
            return rep if rep["state"] == "failed" else None
        # The second is the last of notify.max_attempts (2).
        rep = wait_for(given_up, timeout=30)
        assert (rep["attempts"], rep["error"], rep["next_at"], rep["mailings"]) == (
            2, "logo: not a PNG image", None, [])
        r = admin.get(f"/api/v1/reports/{first['id']}/file")
        assert r.status == 409 and r.json["detail"] == f"report {first['id']} is failed"
        # Once the cause is put right, the report is tried again on request.
        assert admin.delete(f"/api/v1/tenants/{tid}/logo").status == 204
        again = admin.post(f"/api/v1/reports/{first['id']}/retry")
        assert again.status == 200, again
        assert (again.json["state"], again.json["attempts"]) == ("pending", 0)

        def made():
            rep = admin.get(f"/api/v1/reports/{first['id']}").json
            return rep if rep["state"] == "ready" else None
        rep = wait_for(made, timeout=30)
        assert (rep["attempts"], rep["error"]) == (1, None)
        assert [m["recipient"] for m in rep["mailings"]] == ["it@broken.example"]
        assert admin.get(f"/api/v1/reports/{first['id']}/file").raw.startswith(b"%PDF-")
        nothing = admin.post(f"/api/v1/reports/{first['id']}/retry")
        assert nothing.status == 409 and nothing.json["detail"] == \
            f"report {first['id']} has nothing to retry"
        audit = admin.get("/api/v1/audit?action=report.retry").json["items"]
        assert [(a["object"], a["outcome"]) for a in audit] == [
            (f"/api/v1/reports/{first['id']}/retry", "failed: 409"),
            (f"report:{first['id']}", "ok")]
    finally:
        srv.stop()
