"""`vigil notify test` against local receivers that behave like each vendor:
they check the body's shape and recompute the signature exactly as the
vendor documents it (../shared/reference/webhooks.md), and answer the way
the vendor does, for success and for each kind of failure. Email goes to a
real SMTP server (aiosmtpd)."""
import base64
import email
import email.policy
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from conftest import cli, free_port

DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
FEISHU_SECRET = "feishu-signing-secret"
WEBHOOK_KEY = b"\x01\x02vigil-webhook-key\xfe\xff"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(WEBHOOK_KEY).decode()
TEXT = "## 告警\n- **主机** `web-1` 可疑登录\n- [详情](https://vigil.example/alerts/7)"


def dingtalk_sign(ts, secret):
    mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def feishu_sign(ts, secret):
    mac = hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


class Vendor(BaseHTTPRequestHandler):
    """Answers as WeCom, DingTalk, Feishu, Slack or a Standard Webhooks
    receiver, by path; every request is kept for the test to inspect."""

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        body = self.rfile.read(int(self.headers["Content-Length"]))
        now = time.time()
        self.server.seen.append({"path": url.path, "query": query, "raw_query": url.query,
                                 "headers": dict(self.headers), "body": body, "at": now})
        if url.path == "/cgi-bin/webhook/send":
            msg = json.loads(body)
            key = query.get("key", "")
            if key == "limited":
                return self.answer(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
            if key.startswith("flaky"):
                # Fails the first two tries of each message, then takes it.
                tries = self.server.tries = getattr(self.server, "tries", {})
                tries[key] = tries.get(key, 0) + 1
                if tries[key] <= 2:
                    return self.answer(502, b"bad gateway")
                key = "good"
            if key.startswith("robot-"):
                # A robot's documented 20 messages a minute, enforced.
                sent = self.server.sent = getattr(self.server, "sent", {})
                recent = [t for t in sent.get(key, []) if t > now - 60]
                if len(recent) >= 20:
                    return self.answer(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
                sent[key] = recent + [now]
                key = "good"
            if key != "good":
                return self.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
            ok = msg["msgtype"] == "markdown" and \
                len(msg["markdown"]["content"].encode()) <= 4096
            return self.answer(200, {"errcode": 0, "errmsg": "ok"} if ok else
                               {"errcode": 40058, "errmsg": "markdown.content exceed max length"})
        if url.path == "/robot/send":
            ts = query.get("timestamp", "")
            good = ts.isdigit() and abs(now * 1000 - int(ts)) < 3600 * 1000 and \
                query.get("sign") == dingtalk_sign(ts, DINGTALK_SECRET)
            if not good:
                return self.answer(200, {"errcode": 310000, "errmsg": "sign not match"})
            return self.answer(200, {"errcode": 0, "errmsg": "ok"})
        if url.path.startswith("/open-apis/bot/v2/hook/"):
            msg = json.loads(body)
            ts = msg.get("timestamp", "")
            good = ts.isdigit() and abs(now - int(ts)) < 3600 and \
                msg.get("sign") == feishu_sign(ts, FEISHU_SECRET) and len(body) <= 20000
            if not good:
                return self.answer(200, {"code": 19021, "msg": "sign match fail or timestamp "
                                         "is not within one hour from current time"})
            return self.answer(200, {"code": 0, "msg": "success", "data": {}})
        if url.path == "/services/T0/B0/busy":
            return self.answer(429, b"rate_limited", [("Retry-After", "30")])
        if url.path.startswith("/services/T0/B0/"):
            if url.path.endswith("/gone"):
                return self.answer(404, b"no_service")
            return self.answer(200, b"ok")
        if url.path in ("/hook", "/gone"):
            h = self.headers
            signed = f"{h['webhook-id']}.{h['webhook-timestamp']}.".encode() + body
            want = "v1," + base64.b64encode(
                hmac.new(WEBHOOK_KEY, signed, hashlib.sha256).digest()).decode()
            if h["webhook-signature"] != want or abs(now - int(h["webhook-timestamp"])) > 300:
                return self.answer(401, {"error": "bad signature"})
            return self.answer(410 if url.path == "/gone" else 204, b"")
        return self.answer(404, b"not found")


@pytest.fixture(scope="module")
def vendor():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Vendor)
    srv.seen = []
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


def base(vendor):
    return f"http://127.0.0.1:{vendor.server_address[1]}"


def send(*args, input=None):
    return cli("notify", "test", *args, input=input)


def test_wecom_markdown_within_its_limit(vendor):
    vendor.seen.clear()
    p = send("--type", "wecom", "--url", f"{base(vendor)}/cgi-bin/webhook/send?key=good",
             "--title", "暴力破解", "--text", TEXT)
    assert p.returncode == 0, p.stderr
    assert p.stdout == 'answer: HTTP 200: {"errcode": 0, "errmsg": "ok"}\ndelivered\n'
    msg = json.loads(vendor.seen[0]["body"])
    assert msg == {"msgtype": "markdown", "markdown": {"content": "## 暴力破解\n\n" + TEXT}}
    # A long body is cut to the robot's 4096 bytes at a character boundary.
    vendor.seen.clear()
    p = send("--type", "wecom", "--url", f"{base(vendor)}/cgi-bin/webhook/send?key=good",
             "--title", "长", "--text", "告警" * 1000)
    assert p.returncode == 0, p.stderr
    content = json.loads(vendor.seen[0]["body"])["markdown"]["content"]
    assert len(content.encode()) <= 4096 and len(content.encode()) > 4090
    assert content.startswith("## 长\n\n告警") and content.endswith("…")


def test_wecom_refusals_say_whether_to_retry(vendor):
    p = send("--type", "wecom", "--url", f"{base(vendor)}/cgi-bin/webhook/send?key=bad",
             "--text", "x")
    assert p.returncode == 1
    assert p.stderr == "vigil: wecom: errcode 93000: invalid webhook url\n"
    assert p.stdout.endswith("retry: no, refused for good\n")
    p = send("--type", "wecom", "--url", f"{base(vendor)}/cgi-bin/webhook/send?key=limited",
             "--text", "x")
    assert p.returncode == 1
    assert p.stderr == "vigil: wecom: errcode 45009: api freq out of limit\n"
    assert p.stdout.endswith("retry: worth it\n")


def test_dingtalk_signs_the_url(vendor):
    vendor.seen.clear()
    url = f"{base(vendor)}/robot/send?access_token=tok"
    p = send("--type", "dingtalk", "--url", url, "--secret", DINGTALK_SECRET,
             "--title", "SSH 暴力破解", "--text", TEXT)
    assert p.returncode == 0, p.stderr
    seen = vendor.seen[0]
    # The sign is percent-encoded in the URL, as DingTalk requires.
    assert seen["raw_query"] == "access_token=tok&timestamp={}&sign={}".format(
        seen["query"]["timestamp"], urllib.parse.quote(seen["query"]["sign"], safe=""))
    assert json.loads(seen["body"]) == {
        "msgtype": "markdown", "markdown": {"title": "SSH 暴力破解",
                                            "text": "## SSH 暴力破解\n\n" + TEXT},
        "at": {"atMobiles": [], "isAtAll": False}}
    p = send("--type", "dingtalk", "--url", url, "--secret", "SECwrong", "--text", "x")
    assert p.returncode == 1
    assert p.stderr == "vigil: dingtalk: errcode 310000: sign not match\n"
    p = send("--type", "dingtalk", "--url", url, "--secret", "tok", "--text", "x")
    assert p.returncode == 2
    assert "starts with \"SEC\"" in p.stderr


def test_feishu_signs_the_body(vendor):
    vendor.seen.clear()
    p = send("--type", "feishu", "--url", f"{base(vendor)}/open-apis/bot/v2/hook/abc",
             "--secret-stdin", "--title", "告警", "--text", "第一行\n第二行",
             input=FEISHU_SECRET + "\n")
    assert p.returncode == 0, p.stderr
    msg = json.loads(vendor.seen[0]["body"])
    assert msg["sign"] == feishu_sign(msg["timestamp"], FEISHU_SECRET)
    assert {k: v for k, v in msg.items() if k not in ("sign", "timestamp")} == {
        "msg_type": "post", "content": {"post": {"zh_cn": {"title": "告警", "content": [
            [{"tag": "text", "text": "第一行"}], [{"tag": "text", "text": "第二行"}]]}}}}
    p = send("--type", "feishu", "--url", f"{base(vendor)}/open-apis/bot/v2/hook/abc",
             "--secret", "other", "--text", "x")
    assert p.returncode == 1
    assert p.stderr.startswith("vigil: feishu: code 19021: sign match fail")
    # A body over the bot's 20 KB is cut to fit.
    vendor.seen.clear()
    p = send("--type", "feishu", "--url", f"{base(vendor)}/open-apis/bot/v2/hook/abc",
             "--secret", FEISHU_SECRET, "--text", "\"quoted\" " * 4000)
    assert p.returncode == 0, p.stderr
    assert 19000 < len(vendor.seen[0]["body"]) <= 20000


def test_slack_blocks_and_mrkdwn(vendor):
    vendor.seen.clear()
    p = send("--type", "slack", "--url", f"{base(vendor)}/services/T0/B0/xyz", "--title",
             "Brute force", "--text", "# Host\n- **web-1** <x> [alert](https://v.example/a/7)")
    assert p.returncode == 0, p.stderr
    assert json.loads(vendor.seen[0]["body"]) == {
        "text": "Brute force",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "Brute force"}},
                   {"type": "section", "text": {
                       "type": "mrkdwn",
                       "text": "*Host*\n• *web-1* &lt;x&gt; <https://v.example/a/7|alert>"}}]}
    p = send("--type", "slack", "--url", f"{base(vendor)}/services/T0/B0/busy", "--text", "x")
    assert p.returncode == 1
    assert p.stderr == "vigil: slack: HTTP 429: rate_limited\n"
    assert p.stdout.endswith("retry: worth it\n")
    p = send("--type", "slack", "--url", f"{base(vendor)}/services/T0/B0/gone", "--text", "x")
    assert p.returncode == 1
    assert p.stderr == "vigil: slack: HTTP 404: no_service\n"
    assert p.stdout.endswith("retry: no, refused for good\n")


def test_webhook_standard_signature(vendor):
    vendor.seen.clear()
    p = send("--type", "webhook", "--url", f"{base(vendor)}/hook", "--secret", WEBHOOK_SECRET,
             "--title", "t", "--text", "body")
    assert p.returncode == 0, p.stderr
    seen = vendor.seen[0]
    assert seen["headers"]["webhook-id"].startswith("msg_")
    payload = json.loads(seen["body"])
    assert payload["type"] == "test" and payload["data"] == {"title": "t", "text": "body"}
    assert payload["timestamp"].endswith("Z")
    p = send("--type", "webhook", "--url", f"{base(vendor)}/gone", "--secret", WEBHOOK_SECRET,
             "--text", "x")
    assert p.returncode == 1
    assert p.stderr == "vigil: webhook: HTTP 410 (the endpoint is gone)\n"
    assert p.stdout.endswith("retry: no, refused for good\n")
    wrong = "whsec_" + base64.b64encode(b"another key").decode()
    p = send("--type", "webhook", "--url", f"{base(vendor)}/hook", "--secret", wrong,
             "--text", "x")
    assert p.returncode == 1 and p.stderr == "vigil: webhook: HTTP 401\n"
    for secret, why in (("nokey", "a webhook needs its secret"),
                        ("whsec_%%%", "webhook secret: not base64")):
        p = send("--type", "webhook", "--url", f"{base(vendor)}/hook", "--secret", secret,
                 "--text", "x")
        assert p.returncode == 2 and why in p.stderr, p.stderr


def test_no_answer_is_worth_retrying():
    p = send("--type", "slack", "--url", f"http://127.0.0.1:{free_port()}/services/x",
             "--text", "x")
    assert p.returncode == 1
    assert p.stderr.startswith("vigil: slack: http://127.0.0.1:")
    assert p.stdout == "retry: worth it\n"
    p = send("--type", "slack", "--url", "ftp://example.com/x", "--text", "x")
    assert p.returncode == 2


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_email_text_and_html():
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        p = send("--type", "email", "--url", f"smtp://127.0.0.1:{smtp.port}",
                 "--from", "vigil@mssp.example", "--to", "soc@customer.example",
                 "--to", "oncall@customer.example", "--title", "告警：SSH 暴力破解",
                 "--text", TEXT + "\n\n<script>x</script>")
        assert p.returncode == 0, p.stderr
        assert p.stdout == "answer: SMTP 250: 250\ndelivered\n"
    finally:
        smtp.stop()
    env = inbox.messages[0]
    assert env.mail_from == "vigil@mssp.example"
    assert env.rcpt_tos == ["soc@customer.example", "oncall@customer.example"]
    msg = email.message_from_bytes(env.content, policy=email.policy.default)
    assert msg["Subject"] == "告警：SSH 暴力破解"
    assert msg["To"] == "soc@customer.example, oncall@customer.example"
    assert msg["Message-ID"].endswith("@vigil>") and msg["Date"]
    alt = [part for part in msg.walk() if part.get_content_type() == "multipart/alternative"]
    assert len(alt) == 1
    plain = alt[0].get_body(("plain",)).get_content()
    html = alt[0].get_body(("html",)).get_content()
    assert plain.replace("\r\n", "\n") == TEXT + "\n\n<script>x</script>"
    assert "<h1>告警：SSH 暴力破解</h1>" in html
    assert "<h3>告警</h3>" in html
    assert "<li><strong>主机</strong> <code>web-1</code> 可疑登录</li>" in html
    assert '<a href="https://vigil.example/alerts/7">详情</a>' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html


def test_email_needs_sender_and_recipients():
    p = send("--type", "email", "--url", "smtp://127.0.0.1:1", "--text", "x")
    assert p.returncode == 2 and "email needs a sender" in p.stderr
    p = send("--type", "email", "--url", "smtp://127.0.0.1:1", "--from", "a@b", "--text", "x")
    assert p.returncode == 2 and "at least one recipient" in p.stderr
    p = send("--type", "wecom", "--url", "http://x", "--to", "a@b", "--text", "x")
    assert p.returncode == 2 and "are for email" in p.stderr
