"""The email channel end to end: a real IMAP server (dovecot) read by the
server, tickets and comments made of the mail, the triage queue, failed mail
kept for retry, and the replies sent through a real SMTP server (aiosmtpd)
threaded under the customer's mail."""
import base64
import email
import email.policy
import time

import pytest

from conftest import (ADMIN_PASSWORD, Dovecot, Server, SmtpInbox, init_data, make_tenant,
                      make_user, wait_for)

SUPPORT = "support@mssp.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


def mail(headers, body, content_type="text/plain; charset=utf-8", cte=None):
    """A message as bytes, CRLF line ends."""
    lines = [f"{k}: {v}" for k, v in headers.items()]
    lines.append("MIME-Version: 1.0")
    lines.append(f"Content-Type: {content_type}")
    if cte:
        lines.append(f"Content-Transfer-Encoding: {cte}")
    head = "\r\n".join(lines).encode() + b"\r\n\r\n"
    return head + (body if isinstance(body, bytes) else body.encode()).replace(b"\n", b"\r\n")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    imap = Dovecot({SUPPORT: "imap-password-for-tests"})
    smtp = SmtpInbox()
    try:
        w = mail_world(tmp_path_factory, imap, smtp)
    except BaseException:
        smtp.stop()
        imap.stop()
        raise
    yield w
    w["server"].stop()
    smtp.stop()
    imap.stop()


def mail_world(tmp_path_factory, imap, smtp):
    data = init_data(str(tmp_path_factory.mktemp("mail") / "vigil"),
                     "notify.allow_private_targets: true\n"
                     "notify.retry_base_seconds: 1\n"
                     "mail.poll_seconds: 3600\n"
                     "mail.max_message_bytes: 65536\n"
                     "attachments.max_bytes: 20000\n")
    server = Server(data)
    try:
        admin = server.client("admin", ADMIN_PASSWORD)
        acme = make_tenant(admin, "Acme Mail")
        other = make_tenant(admin, "Other Mail")
        alice = make_user(admin, "alice-mail", "customer_user", acme["id"])
        assert admin.patch(f"/api/v1/users/{alice['id']}",
                           {"email": "Alice@Acme.example"}).status == 200
        olga = make_user(admin, "olga-mail", "customer_user", other["id"])
        assert admin.patch(f"/api/v1/users/{olga['id']}", {"email": "olga@other.example"}).status == 200
        bob = make_user(admin, "bob-mail", "analyst")
        assert admin.patch(f"/api/v1/users/{bob['id']}", {"email": "bob@mssp.example"}).status == 200
        channel = admin.post("/api/v1/channels", {
            "name": "support replies", "type": "email", "url": f"smtp://127.0.0.1:{smtp.port}",
            "from": SUPPORT, "to": ["support-copy@mssp.example"]})
        assert channel.status == 201, channel
        box = admin.post("/api/v1/mailboxes", {
            "name": "support", "url": f"imap://127.0.0.1:{imap.port}/INBOX", "username": SUPPORT,
            "password": "imap-password-for-tests", "address": SUPPORT,
            "reply_channel_id": channel.json["id"]})
        assert box.status == 201, box
        w = {"imap": imap, "smtp": smtp, "server": server, "admin": admin, "acme": acme,
             "other": other, "box": box.json, "bob": server.client("bob-mail", "password-for-tests"),
             "alice": server.client("alice-mail", "password-for-tests"),
             "olga": server.client("olga-mail", "password-for-tests")}
    except BaseException:
        server.stop()
        raise
    return w


def read_now(w):
    r = w["admin"].post(f"/api/v1/mailboxes/{w['box']['id']}/poll")
    assert r.status == 200, r
    return r.json


def mail_of_uid(w, uid):
    r = w["admin"].get(f"/api/v1/mailboxes/{w['box']['id']}/mail?limit=200")
    assert r.status == 200, r
    found = [m for m in r.json["items"] if m["uid"] == uid]
    assert len(found) == 1, r.json
    return found[0]


def sent_to(w, address, count):
    """The messages the SMTP server got for address, once there are count."""
    def got():
        msgs = [email.message_from_bytes(e.content, policy=email.policy.default)
                for e in w["smtp"].messages if address in e.rcpt_tos]
        return msgs if len(msgs) >= count else None
    return wait_for(got)


def test_the_mailbox_shows_no_password(world):
    r = world["admin"].get(f"/api/v1/mailboxes/{world['box']['id']}")
    assert r.status == 200
    assert "password" not in r.raw.decode() and "imap-password" not in r.raw.decode()
    assert r.json["address"] == SUPPORT and r.json["enabled"] is True
    assert r.json["read"] == {"uidvalidity": 0, "last_uid": 0, "polled_at": None,
                              "last_error": None}


def test_a_customer_mail_opens_a_ticket_replied_to_and_threaded(world):
    w = world
    arrived = int(time.time()) - 600
    uid = w["imap"].deliver(SUPPORT, mail({
        "From": "Alice Li <alice@acme.example>", "To": SUPPORT,
        "Subject": "=?UTF-8?B?" + base64.b64encode("VPN 无法连接".encode()).decode() + "?=",
        "Message-ID": "<first@acme.example>", "Date": "Tue, 1 Dec 2026 09:00:00 +0800"},
        "--b1\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Since this morning the VPN refuses us.\n"
        "--b1\n"
        "Content-Type: image/png; name=\"screen.png\"\n"
        "Content-Disposition: attachment; filename=\"screen.png\"\n"
        "Content-Transfer-Encoding: base64\n\n" + base64.b64encode(PNG).decode() + "\n"
        "--b1--\n", content_type="multipart/mixed; boundary=\"b1\""), received=arrived)
    box = read_now(w)
    assert box["read"]["last_uid"] == uid and box["read"]["last_error"] is None
    m = mail_of_uid(w, uid)
    assert (m["status"], m["reason"], m["from"], m["subject"], m["message_id"]) == (
        "ticket", "", "alice@acme.example", "VPN 无法连接", "first@acme.example")
    assert m["tenant_id"] == w["acme"]["id"] and m["attempts"] == 1 and m["kept"] is True
    ticket = w["alice"].get(f"/api/v1/tickets/{m['ticket_id']}").json
    assert (ticket["type"], ticket["channel"], ticket["title"], ticket["description"]) == (
        "request", "email", "VPN 无法连接", "Since this morning the VPN refuses us.")
    # The SLA clocks start when the mail reached the mailbox.
    assert ticket["received_at"] == time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                                  time.gmtime(arrived))
    assert [(a["filename"], a["content_type"], a["size"]) for a in ticket["attachments"]] == [
        ("screen.png", "image/png", len(PNG))]
    ref = ticket["ref"]

    ack = sent_to(w, "alice@acme.example", 1)[0]
    assert ack["Subject"] == f"[{ref}] VPN 无法连接"
    assert ack["To"] == "alice@acme.example" and ack["From"] == SUPPORT
    assert ack["In-Reply-To"] == "<first@acme.example>"
    assert ack["References"] == "<first@acme.example>"
    ack_id = ack["Message-ID"]
    assert ack_id.startswith(f"<vigil.{ticket['id']}.") and ack_id.endswith("@mssp.example>")

    r = w["bob"].post(f"/api/v1/tickets/{ticket['id']}/comments",
                      {"text": "Please send the client's log.", "public": True})
    assert r.status in (200, 201), r
    r = w["bob"].post(f"/api/v1/tickets/{ticket['id']}/comments",
                      {"text": "looks like the cert expired", "public": False})
    assert r.status in (200, 201), r
    reply = sent_to(w, "alice@acme.example", 2)[1]
    assert reply["Subject"] == f"Re: [{ref}] VPN 无法连接"
    assert reply["In-Reply-To"] == ack_id
    assert reply["References"] == f"<first@acme.example> {ack_id}"
    body = reply.get_body(("plain",)).get_content()
    assert body.startswith("Please send the client's log.\n") and "cert expired" not in body

    # The customer answers the reply: its In-Reply-To finds the ticket.
    uid = w["imap"].deliver(SUPPORT, mail({
        "From": "alice@acme.example", "To": SUPPORT, "Subject": "Re: VPN",
        "Message-ID": "<second@acme.example>", "In-Reply-To": reply["Message-ID"],
        "References": f"<first@acme.example> {ack_id} {reply['Message-ID']}"},
        "Here it is: error 809.\n\nOn Tue, 1 Dec 2026, support wrote:\n> Please send the "
        "client's log.\n"))
    read_now(w)
    m = mail_of_uid(w, uid)
    assert (m["status"], m["ticket_id"]) == ("comment", ticket["id"])
    comments = [a for a in w["alice"].get(f"/api/v1/tickets/{ticket['id']}").json["activity"]
                if a["action"] == "comment"]
    assert [(c["user"], c["text"], c["public"]) for c in comments] == [
        ("bob-mail", "Please send the client's log.", True),
        ("alice-mail", "Here it is: error 809.", True)]
    # Her own comment is not mailed back to her.
    time.sleep(1.5)
    assert len(sent_to(w, "alice@acme.example", 2)) == 2


def test_the_reference_in_the_subject_finds_the_ticket(world):
    w = world
    t = w["alice"].post("/api/v1/tickets", {"type": "request", "title": "portal one"}).json
    uid = w["imap"].deliver(SUPPORT, mail({"From": "alice@acme.example",
                                           "Subject": f"Re: [{t['ref']}] portal one",
                                           "Message-ID": "<third@acme.example>"},
                                          "还有一件事。\n\n在 2026年12月1日，support 写道：\n"
                                          "> 请提供日志\n>\n"))
    read_now(w)
    m = mail_of_uid(w, uid)
    assert (m["status"], m["ticket_id"]) == ("comment", t["id"])
    comments = [a["text"] for a in w["alice"].get(f"/api/v1/tickets/{t['id']}").json["activity"]
                if a["action"] == "comment"]
    assert comments == ["还有一件事。"]


def test_chinese_mail_in_gbk_and_gb18030(world):
    w = world
    subject = "=?GBK?B?" + base64.b64encode("防火墙策略变更申请".encode("gbk")).decode() + "?="
    body = "请在周五晚上变更策略，谢谢。".encode("gb18030")
    uid = w["imap"].deliver(SUPPORT, mail({"From": "alice@acme.example", "Subject": subject,
                                           "Message-ID": "<gbk@acme.example>"},
                                          body, content_type="text/plain; charset=GB18030",
                                          cte="8bit"))
    read_now(w)
    m = mail_of_uid(w, uid)
    assert m["status"] == "ticket", m
    t = w["alice"].get(f"/api/v1/tickets/{m['ticket_id']}").json
    assert (t["title"], t["description"]) == ("防火墙策略变更申请", "请在周五晚上变更策略，谢谢。")


def test_unknown_senders_wait_in_triage_until_someone_decides(world):
    w = world
    uid = w["imap"].deliver(SUPPORT, mail({"From": "stranger@unknown.example",
                                           "Subject": "hello", "Message-ID": "<s1@unknown>"},
                                          "is this the SOC?"))
    read_now(w)
    m = mail_of_uid(w, uid)
    assert (m["status"], m["reason"], m["ticket_id"]) == (
        "triage", "no user or tenant contact has the address stranger@unknown.example", None)
    queue = w["admin"].get(f"/api/v1/mailboxes/{w['box']['id']}/mail?status=triage").json
    assert [x["id"] for x in queue["items"]] == [m["id"]]
    path = f"/api/v1/mailboxes/{w['box']['id']}/mail/{m['id']}/triage"
    r = w["bob"].post(path, {"action": "ticket"})
    assert r.status == 400 and "tenant_id" in r.json["detail"], r
    r = w["bob"].post(path, {"action": "ticket", "tenant_id": w["acme"]["id"]})
    assert r.status == 200, r
    assert r.json["status"] == "ticket" and r.json["tenant_id"] == w["acme"]["id"]
    t = w["bob"].get(f"/api/v1/tickets/{r.json['ticket_id']}").json
    assert (t["channel"], t["title"], t["description"]) == ("email", "hello", "is this the SOC?")
    r = w["bob"].post(path, {"action": "dismiss"})
    assert r.status == 409 and r.json["detail"] == "the mail is not waiting: it is ticket"


def test_a_tenant_contact_without_a_login_opens_tickets_too(world):
    w = world
    r = w["admin"].patch(f"/api/v1/tenants/{w['acme']['id']}", {"contacts": [
        {"name": "Wang Fang", "email": "Wang.Fang@acme.example", "role": "IT manager"}]})
    assert r.status == 200, r
    uid = w["imap"].deliver(SUPPORT, mail({"From": "=?UTF-8?B?" + base64.b64encode(
        "王芳".encode()).decode() + "?= <wang.fang@acme.example>", "Subject": "账号锁定",
        "Message-ID": "<wf1@acme.example>"}, "请解锁。"))
    read_now(w)
    m = mail_of_uid(w, uid)
    assert (m["status"], m["tenant_id"]) == ("ticket", w["acme"]["id"]), m
    t = w["bob"].get(f"/api/v1/tickets/{m['ticket_id']}").json
    assert (t["title"], t["channel"], t["activity"][0]["user"]) == (
        "账号锁定", "email", "wang.fang@acme.example")


def test_staff_mail_and_foreign_replies_go_to_triage(world):
    w = world
    uid = w["imap"].deliver(SUPPORT, mail({"From": "bob@mssp.example", "Subject": "fwd",
                                           "Message-ID": "<fw@mssp>"}, "forwarded"))
    t = w["olga"].post("/api/v1/tickets", {"type": "request", "title": "theirs"}).json
    uid2 = w["imap"].deliver(SUPPORT, mail({"From": "alice@acme.example",
                                            "Subject": f"[{t['ref']}] theirs",
                                            "Message-ID": "<nosy@acme.example>"}, "mine now"))
    uid3 = w["imap"].deliver(SUPPORT, mail({"From": SUPPORT, "Subject": "loop",
                                            "Message-ID": "<loop@mssp>"}, "echo"))
    read_now(w)
    assert mail_of_uid(w, uid)["reason"] == \
        "bob@mssp.example is the MSSP's staff: which tenant is it for?"
    m = mail_of_uid(w, uid2)
    assert (m["status"], m["reason"]) == (
        "triage", "alice@acme.example answered a ticket of another tenant")
    assert len([a for a in w["olga"].get(f"/api/v1/tickets/{t['id']}").json["activity"]
                if a["action"] == "comment"]) == 0
    m = mail_of_uid(w, uid3)
    assert (m["status"], m["reason"]) == ("ignored", "sent by the mailbox itself")


def test_bad_mail_is_kept_failed_with_the_reason_and_taken_again(world):
    w = world
    broken = mail({"From": "alice@acme.example", "Subject": "broken",
                   "Message-ID": "<broken@acme.example>"},
                  "--x\nContent-Type: text/plain\n\nno end\n",
                  content_type="multipart/mixed; boundary=\"x\"")
    uid = w["imap"].deliver(SUPPORT, broken)
    uid2 = w["imap"].deliver(SUPPORT, mail({"From": "alice@acme.example", "Subject": "odd",
                                            "Message-ID": "<odd@acme.example>"},
                                           "text", content_type="text/plain; charset=x-klingon"))
    big = base64.b64encode(bytes(30000)).decode()
    uid3 = w["imap"].deliver(SUPPORT, mail({"From": "alice@acme.example", "Subject": "big",
                                            "Message-ID": "<big@acme.example>"},
                                           "--b\nContent-Type: text/plain\n\nsee zip\n--b\n"
                                           "Content-Type: application/zip; name=\"a.zip\"\n"
                                           "Content-Transfer-Encoding: base64\n\n" + big +
                                           "\n--b--\n",
                                           content_type="multipart/mixed; boundary=\"b\""))
    huge = "x" * 70000
    uid4 = w["imap"].deliver(SUPPORT, mail({"From": "alice@acme.example", "Subject": "huge",
                                            "Message-ID": "<huge@acme.example>"}, huge))
    read_now(w)
    m = mail_of_uid(w, uid)
    assert m["status"] == "failed" and m["kept"] is True
    assert "closing boundary" in m["reason"], m
    raw = w["admin"].get(f"/api/v1/mailboxes/{w['box']['id']}/mail/{m['id']}/raw")
    assert raw.status == 200 and raw.headers["content-type"] == "message/rfc822"
    assert raw.raw == broken
    retry = w["admin"].post(f"/api/v1/mailboxes/{w['box']['id']}/mail/{m['id']}/retry")
    assert retry.status == 200 and retry.json["status"] == "failed"
    assert retry.json["attempts"] == 2

    m = mail_of_uid(w, uid2)
    assert (m["status"], m["reason"]) == ("failed", 'message: unknown charset "x-klingon"'), m
    m = mail_of_uid(w, uid3)
    assert (m["status"], m["reason"]) == (
        "failed", 'part 2: attachment "a.zip" is 30000 bytes, over the limit of 20000'), m
    m = mail_of_uid(w, uid4)
    assert (m["status"], m["kept"]) == ("failed", False)
    assert m["reason"] == ("the mail is over mail.max_message_bytes (65536) and was not "
                           "fetched"), m
    r = w["admin"].post(f"/api/v1/mailboxes/{w['box']['id']}/mail/{m['id']}/retry")
    assert r.status == 413, r
    assert r.json["detail"].startswith("the mail is ") and "still over" in r.json["detail"]
    # A failed mail dismissed is put aside, not lost.
    r = w["bob"].post(f"/api/v1/mailboxes/{w['box']['id']}/mail/{m['id']}/triage",
                      {"action": "dismiss"})
    assert r.status == 200 and r.json["status"] == "dismissed"
    assert r.json["reason"] == "dismissed by bob-mail"


def test_a_mailbox_that_refuses_the_login_says_so(world):
    w = world
    r = w["admin"].post("/api/v1/mailboxes", {
        "name": "wrong", "url": f"imap://127.0.0.1:{w['imap'].port}", "username": SUPPORT,
        "password": "not-it", "address": "wrong@mssp.example"})
    assert r.status == 201, r
    p = w["admin"].post(f"/api/v1/mailboxes/{r.json['id']}/poll")
    assert p.status == 409, p
    assert p.json["detail"] == ("the mailbox cannot be read: imap://127.0.0.1:%d: the server "
                                "refused the login" % w["imap"].port)
    box = w["admin"].get(f"/api/v1/mailboxes/{r.json['id']}").json
    assert box["read"]["last_error"].endswith("the server refused the login")
    assert w["admin"].patch(f"/api/v1/mailboxes/{r.json['id']}",
                            {"enabled": False}).status == 200


def test_bad_mailbox_settings_are_refused(world):
    w = world
    base = {"name": "x", "url": "imap://mail.example/INBOX", "username": "u", "password": "p",
            "address": "x@mssp.example"}
    for change, why in (({"url": "http://mail.example"}, "a mailbox needs an imap:// or imaps:// URL"),
                        ({"url": "imap://u@mail.example"},
                         "the mailbox URL carries a user; give the username apart"),
                        ({"url": "imap://mail.example/IN BOX"},
                         "the folder name may hold letters, digits and . _ - / only"),
                        ({"address": "not an address"},
                         "address must be one mail address (a@b.example)"),
                        ({"name": "support"}, 'a mailbox named "support" exists')):
        r = w["admin"].post("/api/v1/mailboxes", {**base, **change})
        assert r.status in (400, 409) and r.json["detail"] == why, (change, r)


def test_customers_and_auditors_do_not_touch_mailboxes(world):
    w = world
    # To a customer the routes do not exist.
    assert w["alice"].get("/api/v1/mailboxes").status == 404
    assert w["alice"].get(f"/api/v1/mailboxes/{w['box']['id']}/mail").status == 404
    assert w["bob"].post("/api/v1/mailboxes", {}).status == 403
    assert w["bob"].get(f"/api/v1/mailboxes/{w['box']['id']}").status == 200


def test_what_staff_are_told_of_a_ticket_threads_by_email(world):
    w = world
    t = make_tenant(w["admin"], "Thread Co")
    ch = w["admin"].post("/api/v1/channels", {
        "tenant_id": t["id"], "name": "soc mail", "type": "email", "url": f"smtp://127.0.0.1:{w['smtp'].port}",
        "from": "vigil@mssp.example", "to": ["soc@mssp.example"]}).json
    r = w["admin"].post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "new tickets",
                                                  "channel_id": ch["id"], "alerts": False,
                                                  "ticket_events": ["created"]})
    assert r.status == 201, r
    tk = w["bob"].post("/api/v1/tickets", {"tenant_id": t["id"], "type": "request",
                                           "title": "new firewall rule"}).json
    msg = sent_to(w, "soc@mssp.example", 1)[0]
    assert msg["To"] == "soc@mssp.example"
    assert msg["Message-ID"].startswith(f"<vigil.{tk['id']}.event")
    assert msg["Message-ID"].endswith(f".route{r.json['id']}@vigil>")
    assert msg["In-Reply-To"] == msg["References"] == f"<vigil.{tk['id']}@vigil>"
