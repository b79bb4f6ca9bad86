"""Integration fixtures: the real vigil binary, a fresh data directory and a
server on a free loopback port per test module, and a small HTTP client that
keeps the session cookie and sends the CSRF token."""
import base64
import hashlib
import hmac
import http.client
import http.cookiejar
import json
import os
import signal
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request

import pytest

VIGIL = os.environ.get("VIGIL_BIN", "")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Peer content nobody here wrote (SigmaHQ rules, public logs), beside the checkout.
SHARED = os.path.join(os.path.dirname(REPO), "shared")
ADMIN_PASSWORD = "admin-password-for-tests"


def pytest_configure(config):
    if not VIGIL or not os.access(VIGIL, os.X_OK):
        raise pytest.UsageError("set VIGIL_BIN to the vigil binary (make check does)")


def cli(*args, data=None, input=None, env=None, check=False):
    """Runs `vigil ARGS` and returns the CompletedProcess (text mode)."""
    argv = [VIGIL, *args]
    if data is not None:
        argv += ["--data", str(data)]
    full_env = clean_env()
    full_env.update(env or {})
    p = subprocess.run(argv, input=input, capture_output=True, text=True, env=full_env,
                       timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def clean_env():
    """The environment without VIGIL_* variables: vigil refuses unknown ones,
    and the test runner's own (VIGIL_BIN) is not a setting."""
    return {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}


def init_data(path, config=None):
    """Creates a data directory with the known admin password."""
    if config is not None:
        os.makedirs(path, mode=0o700, exist_ok=True)
        with open(os.path.join(path, "vigil.yaml"), "w") as f:
            f.write(config)
    cli("init", data=path, env={"VIGIL_ADMIN_PASSWORD": ADMIN_PASSWORD}, check=True)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data):
        self.data = data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(data, "server.log"), "w+")
        self.proc = subprocess.Popen(
            [VIGIL, "serve", "--data", data, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=clean_env())
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited at start:\n" + self.output())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("server did not answer /healthz:\n" + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            code = self.proc.wait(timeout=30)
            assert code == 0, "server exited %d on SIGTERM:\n%s" % (code, self.output())
        self.log.close()

    def client(self, username=None, password=None, totp=None):
        c = Client(self.base)
        if username:
            status, body = c.login(username, password, totp)
            assert status == 200, body
        return c


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        ctype = headers.get("Content-Type", "")
        self.json = json.loads(raw) if raw and "json" in ctype else None

    def __repr__(self):
        return f"<{self.status} {self.raw[:300]!r}>"


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None
        self.bearer = None

    def request(self, method, path, body=None, headers=None, send_csrf=True):
        h = {}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.csrf and send_csrf:
            h["X-CSRF-Token"] = self.csrf
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=60) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, {} if body is None else body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, username, password, totp=None):
        body = {"username": username, "password": password}
        if totp is not None:
            body["totp"] = totp
        r = self.post("/api/v1/auth/login", body)
        if r.status == 200:
            self.csrf = r.json["csrf_token"]
        return r.status, r.json

    def cookie_header(self):
        return [c for c in self.jar if c.name == "vigil_session"]


def totp_code(secret, at=None, step=30):
    """RFC 6238 TOTP (HMAC-SHA1, 6 digits) computed independently of vigil."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 15
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def raw_request(port, data, read=65536):
    """Sends bytes on a fresh connection and returns the status line and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(read)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """The module's server, configured by the module's SERVER_CONFIG (the
    vigil.yaml text) when it has one."""
    data = init_data(str(tmp_path_factory.mktemp("data") / "vigil"),
                     getattr(request.module, "SERVER_CONFIG", None))
    srv = Server(data)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def admin(server):
    return server.client("admin", ADMIN_PASSWORD)


def wait_for(pred, timeout=20):
    """pred's first truthy answer, asked every 0.1 s; fails after timeout."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("timed out")


def make_tenant(client, name, edition="professional"):
    r = client.post("/api/v1/tenants", {"name": name, "edition": edition,
                                        "contract_start": "2026-01-01",
                                        "contract_end": "2026-12-31"})
    assert r.status == 201, r
    return r.json


def make_user(client, username, role, tenant_id=None, password="password-for-" + "tests"):
    body = {"username": username, "password": password, "role": role}
    if tenant_id is not None:
        body["tenant_id"] = tenant_id
    r = client.post("/api/v1/users", body)
    assert r.status == 201, r
    return r.json


class Dovecot:
    """A real IMAP server (Debian's dovecot-imapd) on a free loopback port,
    with one mailbox per user of users ({login: password}); mail is put in
    with IMAP APPEND, as a mail server's delivery would."""

    def __init__(self, users):
        import pwd
        import tempfile
        self.port = free_port()
        self.users = users
        # Outside pytest's private tmp: dovecot's own users must reach it.
        self.dir = tempfile.mkdtemp(prefix="vigil-dovecot-")
        os.chmod(self.dir, 0o755)
        root = os.geteuid() == 0
        me = pwd.getpwuid(os.geteuid()).pw_name
        mail_user = "dovecot" if root else me
        for sub in ("run", "state", "mail"):
            os.makedirs(os.path.join(self.dir, sub))
        if root:
            entry = pwd.getpwnam(mail_user)
            os.chown(os.path.join(self.dir, "mail"), entry.pw_uid, entry.pw_gid)
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            for login, password in users.items():
                f.write(f"{login}:{{PLAIN}}{password}\n")
        conf = os.path.join(self.dir, "dovecot.conf")
        with open(conf, "w") as f:
            f.write(f"""base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {mail_user}
default_internal_group = {mail_user}
default_login_user = {"dovenull" if root else me}
first_valid_uid = 1
mail_location = maildir:{self.dir}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={self.dir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {"root" if root else me}
}}
""")
        self.proc = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(64).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("dovecot did not start:\n" + self.log())

    def log(self):
        try:
            with open(os.path.join(self.dir, "dovecot.log")) as f:
                return f.read()
        except OSError:
            return ""

    def deliver(self, login, message, received=None):
        """Puts message (bytes) in login's INBOX; received (Unix seconds) is
        its arrival time (INTERNALDATE). Returns its UID."""
        import imaplib
        m = imaplib.IMAP4("127.0.0.1", self.port)
        try:
            m.login(login, self.users[login])
            when = imaplib.Time2Internaldate(received) if received else None
            status, data = m.append("INBOX", None, when, message)
            assert status == "OK", data
            return int(data[0].split(b"]")[0].split()[-1])
        finally:
            m.logout()

    def stop(self):
        import shutil
        self.proc.terminate()
        self.proc.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)


class SmtpInbox:
    """A real SMTP server (aiosmtpd) keeping what it is sent."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.port = self.controller.port

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def stop(self):
        self.controller.stop()
