"""Alerts to people: routing rules send a tenant's alerts to its channels
through the persistent delivery queue, within each robot's rate limit (the
receiver enforces WeCom's 20 a minute and counts), aggregated into digests,
retried with backoff and logged attempt by attempt."""
import json
import time

from conftest import make_tenant, make_user, wait_for
from test_notify import vendor  # noqa: F401 (a fixture)

PASSWORD = "password-for-tests"
SERVER_CONFIG = ("notify:\n  allow_private_targets: true\n  retry_base_seconds: 1\n"
          "public_url: https://vigil.mssp.example\n")



def base(vendor):
    return f"http://127.0.0.1:{vendor.server_address[1]}"




class Tenant:
    """A tenant with a CloudTrail source; its events hit indicators, so
    each distinct address is one high-severity alert."""

    def __init__(self, server, admin, name):
        self.server, self.admin = server, admin
        self.t = make_tenant(admin, name)
        r = admin.post("/api/v1/sources", {"tenant_id": self.t["id"], "name": "trail",
                                           "type": "cloudtrail"})
        assert r.status == 201, r
        self.source = r.json

    def channel(self, vendor, key, name=None):
        r = self.admin.post("/api/v1/channels", {
            "tenant_id": self.t["id"], "name": name or key, "type": "wecom",
            "url": f"{base(vendor)}/cgi-bin/webhook/send?key={key}"})
        assert r.status == 201, r
        return r.json

    def route(self, channel, **kw):
        r = self.admin.post("/api/v1/notify-routes", {
            "tenant_id": self.t["id"], "name": kw.pop("name", channel["name"]),
            "channel_id": channel["id"], **kw})
        assert r.status == 201, r
        return r.json

    def hit(self, addresses):
        r = self.admin.post("/api/v1/iocs", {"tenant_id": self.t["id"], "type": "ip",
                                             "values": addresses})
        assert r.status == 201, r
        c = self.server.client()
        c.bearer = self.source["token"]
        body = "".join(json.dumps({"eventTime": "2026-11-30T10:00:00Z", "eventName": "GetObject",
                                   "eventSource": "s3.amazonaws.com",
                                   "sourceIPAddress": a}) + "\n" for a in addresses)
        # The pipeline reads indicator lists again within five seconds.
        time.sleep(5.5)
        r = c.request("POST", f"/api/v1/ingest/{self.source['id']}", body.encode(),
                      headers={"Content-Type": "application/x-ndjson"})
        assert r.status == 200 and r.json["accepted"] == len(addresses), r
        return r.json

    def deliveries(self, client=None):
        out, cursor = [], ""
        while True:
            r = (client or self.admin).get(
                f"/api/v1/deliveries?tenant={self.t['id']}&limit=500{cursor}")
            assert r.status == 200, r
            out += r.json["items"]
            if not r.json["next"]:
                return out
            cursor = f"&cursor={r.json['next']}"


def sent_to(vendor, key):
    return [s for s in list(vendor.seen) if s["query"].get("key") == key]


def test_an_alert_reaches_the_tenants_robot(server, admin, vendor):
    t = Tenant(server, admin, "Routed Co")
    ch = t.channel(vendor, "robot-routed")
    t.route(ch, min_severity=4)
    quiet = t.channel(vendor, "robot-quiet")
    t.route(quiet, min_severity=5)  # critical only: this alert is high
    assert t.hit(["203.0.113.9"])["alerts"] == 1
    msg = wait_for(lambda: sent_to(vendor, "robot-routed"))
    content = json.loads(msg[0]["body"])["markdown"]["content"]
    alert = admin.get(f"/api/v1/alerts?tenant={t.t['id']}").json["items"][0]
    assert content.startswith(f"## 【高危】{alert['rule']['title']}\n\n")
    assert "- **客户** Routed Co\n- **严重程度** 高危\n" in content
    assert "`203.0.113.9`" in content
    assert content.endswith(
        f"[在 Vigil 中查看](https://vigil.mssp.example/alerts/{alert['id']})\n")
    d = wait_for(lambda: [x for x in t.deliveries() if x["state"] == "sent"])
    assert len(t.deliveries()) == 1
    assert {k: d[0][k] for k in ("kind", "alert_id", "alerts", "attempts", "last_status",
                                 "channel")} == {
        "kind": "alert", "alert_id": alert["id"], "alerts": 1, "attempts": 1,
        "last_status": 200, "channel": "robot-routed"}
    one = admin.get(f"/api/v1/deliveries/{d[0]['id']}").json
    assert [(a["delivered"], a["status"], a["answer"]) for a in one["attempts"]] == [
        (True, 200, '{"errcode": 0, "errmsg": "ok"}')]
    time.sleep(1.5)
    assert sent_to(vendor, "robot-quiet") == []


def test_a_burst_of_1000_alerts_keeps_to_the_robots_rate(server, admin, vendor):
    t = Tenant(server, admin, "Burst Co")
    flood = t.channel(vendor, "robot-flood")
    t.route(flood)
    digest = t.channel(vendor, "robot-digest")
    t.route(digest, aggregate_minutes=10, language="en")
    addresses = [f"198.18.{i // 250}.{i % 250 + 1}" for i in range(1000)]
    started = time.time()
    assert t.hit(addresses)["alerts"] == 1000
    # The digest route sends the first alert now and holds the rest.
    wait_for(lambda: sent_to(vendor, "robot-digest"))
    # The flood route sends exactly the robot's 20 a minute, and waits.
    wait_for(lambda: len(sent_to(vendor, "robot-flood")) >= 20)
    time.sleep(3)
    flood_sent = sent_to(vendor, "robot-flood")
    assert len(flood_sent) == 20
    assert max(s["at"] for s in flood_sent) - started < 60
    for s in flood_sent:
        assert "45009" not in json.dumps(json.loads(s["body"]))
    mine = t.deliveries()
    flood_log = [d for d in mine if d["channel"] == "robot-flood"]
    assert len(flood_log) == 1000
    assert sum(d["state"] == "sent" for d in flood_log) == 20
    assert all(d["state"] == "pending" and d["attempts"] == 0
               for d in flood_log if d["state"] != "sent")
    digest_log = [d for d in mine if d["channel"] == "robot-digest"]
    assert [(d["kind"], d["alerts"], d["state"]) for d in digest_log] == [
        ("alert", 1, "sent"), ("digest", 999, "pending")]
    assert len(sent_to(vendor, "robot-digest")) == 1
    held = admin.get(f"/api/v1/deliveries/{digest_log[1]['id']}").json
    assert held["text"].count("\n") == 50 and held["text"].startswith("- [High] ")
    # Nobody else's robot heard of it.
    assert sent_to(vendor, "robot-routed") == [] or all(
        "Burst Co" not in s["body"].decode() for s in sent_to(vendor, "robot-routed"))


def test_failures_retry_with_backoff_or_stop(server, admin, vendor):
    t = Tenant(server, admin, "Flaky Co")
    t.route(t.channel(vendor, "flaky-1"))
    t.route(t.channel(vendor, "bad-key"))
    t.hit(["192.0.2.77"])
    done = wait_for(lambda: (lambda ds: ds if all(d["state"] != "pending" for d in ds)
                             and len(ds) == 2 else None)(t.deliveries()))
    flaky = next(d for d in done if d["channel"] == "flaky-1")
    bad = next(d for d in done if d["channel"] == "bad-key")
    assert (flaky["state"], flaky["attempts"]) == ("sent", 3)
    attempts = admin.get(f"/api/v1/deliveries/{flaky['id']}").json["attempts"]
    assert [(a["delivered"], a["retry"], a["status"]) for a in attempts] == [
        (False, True, 502), (False, True, 502), (True, False, 200)]
    # 1 s, then 2 s: each retry waits twice the one before.
    at = [time.mktime(time.strptime(a["at"][:19], "%Y-%m-%dT%H:%M:%S")) for a in attempts]
    assert at[1] - at[0] >= 1 and at[2] - at[1] >= 2
    assert (bad["state"], bad["attempts"], bad["last_vendor_code"], bad["last_error"]) == (
        "failed", 1, 93000, "wecom: errcode 93000: invalid webhook url")
    # The log by state.
    by_state = lambda state: [d["id"] for d in admin.get(  # noqa: E731
        f"/api/v1/deliveries?tenant={t.t['id']}&state={state}").json["items"]]
    assert (by_state("sent"), by_state("failed"), by_state("pending"),
            by_state("cancelled")) == ([flaky["id"]], [bad["id"]], [], [])
    r = admin.get(f"/api/v1/deliveries?tenant={t.t['id']}&state=done")
    assert (r.status, r.json["detail"]) == (
        400, "state must be pending, sent, failed or cancelled")


def test_routes_belong_to_their_tenant(server, admin, vendor):
    a = Tenant(server, admin, "Route Alpha")
    b = Tenant(server, admin, "Route Bravo")
    make_user(admin, "route.a.admin", "customer_admin", a.t["id"], PASSWORD)
    ca = server.client("route.a.admin", PASSWORD)
    b_channel = b.channel(vendor, "robot-bravo")
    # A customer cannot send its alerts to another tenant's channel, nor
    # name the MSSP's.
    r = ca.post("/api/v1/notify-routes", {"tenant_id": a.t["id"], "name": "steal",
                                          "channel_id": b_channel["id"]})
    assert r.status == 404 and r.json["detail"] == "no such channel for this route's owner"
    r = ca.post("/api/v1/notify-routes", {"name": "mssp", "channel_id": b_channel["id"]})
    assert r.status == 403
    r = ca.post("/api/v1/channels", {"tenant_id": a.t["id"], "name": "mine", "type": "wecom",
                                     "url": f"{base(vendor)}/cgi-bin/webhook/send?key=robot-a"})
    route = ca.post("/api/v1/notify-routes", {"tenant_id": a.t["id"], "name": "mine",
                                              "channel_id": r.json["id"], "min_severity": 9})
    assert route.status == 400 and route.json["detail"] == "min_severity must be 1 to 6"
    route = ca.post("/api/v1/notify-routes", {"tenant_id": a.t["id"], "name": "mine",
                                              "channel_id": r.json["id"], "rules": ["x"],
                                              "language": "en"})
    assert route.status == 201, route
    assert {k: route.json[k] for k in ("tenant_id", "min_severity", "sources", "rules",
                                       "aggregate_minutes", "language", "enabled")} == {
        "tenant_id": a.t["id"], "min_severity": 1, "sources": [], "rules": ["x"],
        "aggregate_minutes": 0, "language": "en", "enabled": True}
    r = ca.patch(f"/api/v1/notify-routes/{route.json['id']}", {"rules": [], "enabled": False})
    assert r.status == 200 and (r.json["rules"], r.json["enabled"]) == ([], False)
    assert [x["id"] for x in ca.get("/api/v1/notify-routes").json["items"]] == \
        [route.json["id"]]
    assert ca.get("/api/v1/deliveries").json["items"] == []
    assert ca.delete(f"/api/v1/notify-routes/{route.json['id']}").status == 204


def test_unacknowledged_alerts_escalate(server, admin, vendor):
    t = Tenant(server, admin, "Escalation Co")
    duty = t.channel(vendor, "robot-duty")
    manager = t.channel(vendor, "robot-manager")
    r = admin.post("/api/v1/notify-routes", {"tenant_id": t.t["id"], "name": "escalating",
                                             "channel_id": duty["id"],
                                             "escalate_after_minutes": 1})
    assert r.status == 400 and r.json["detail"] == \
        "escalate_after_minutes needs escalate_channel_id"
    route = t.route(duty, escalate_after_minutes=1, escalate_channel_id=manager["id"])
    assert (route["escalate_after_minutes"], route["escalate_channel_id"]) == (1, manager["id"])
    t.hit(["192.0.2.201", "192.0.2.202"])
    alerts = sorted(admin.get(f"/api/v1/alerts?tenant={t.t['id']}").json["items"],
                    key=lambda a: a["id"])
    assert admin.post(f"/api/v1/alerts/{alerts[0]['id']}/acknowledge", {}).status == 200
    wait_for(lambda: len(sent_to(vendor, "robot-duty")) == 2)
    # A minute on, only the alert nobody acknowledged goes to the manager.
    escalations = wait_for(lambda: (lambda ds: ds if len(ds) == 2 and all(
        d["state"] != "pending" for d in ds) else None)(
        [d for d in t.deliveries() if d["kind"] == "escalation"]), timeout=90)
    by_alert = {d["alert_id"]: d for d in escalations}
    assert (by_alert[alerts[0]["id"]]["state"], by_alert[alerts[0]["id"]]["last_error"]) == (
        "cancelled", "acknowledged before the escalation")
    assert by_alert[alerts[1]["id"]]["state"] == "sent"
    (msg,) = sent_to(vendor, "robot-manager")
    content = json.loads(msg["body"])["markdown"]["content"]
    assert content.startswith("## 【升级】【高危】")
    assert "**1 分钟内无人确认。**" in content and "`192.0.2.202`" in content


def cwp_alert(key, level):
    """A Tencent host security alert (tencent-cwp) of OCSF severity level."""
    return json.dumps({"ID": key, "Key": key, "Name": f"alert {key}", "Source": "CWP",
                       "Level": level, "Type": "入侵检测", "SubType": "反弹Shell", "Status": 0,
                       "CreateTime": "2026-11-30 11:21:09", "Victim": {"Ip": "10.0.0.12"}})


def test_quiet_hours_hold_all_but_the_severe_until_they_end(server, admin, vendor):
    """The tenant is in Asia/Shanghai (UTC+8, no summer time): quiet hours
    from the minute before now to ten minutes on, there."""
    t = make_tenant(admin, "Quiet Co")
    r = admin.post("/api/v1/sources", {"tenant_id": t["id"], "name": "cwp",
                                       "type": "tencent-cwp"})
    source = r.json
    r = admin.post("/api/v1/channels", {
        "tenant_id": t["id"], "name": "night", "type": "wecom",
        "url": f"{base(vendor)}/cgi-bin/webhook/send?key=robot-night"})
    channel = r.json
    now = time.time()
    local = time.gmtime(now + 8 * 3600)
    start = (local.tm_hour * 60 + local.tm_min - 1) % 1440
    end = (start + 11) % 1440
    hhmm = lambda m: f"{m // 60:02d}:{m % 60:02d}"  # noqa: E731
    r = admin.post("/api/v1/notify-routes", {
        "tenant_id": t["id"], "name": "night", "channel_id": channel["id"],
        "quiet_from": hhmm(start), "quiet_until": hhmm(end), "quiet_min_severity": 5})
    assert r.status == 201, r
    assert r.json["quiet_hours"] == {"from": hhmm(start), "until": hhmm(end),
                                     "min_severity": 5}
    c = server.client()
    c.bearer = source["token"]
    body = cwp_alert("low-1", 2) + "\n" + cwp_alert("crit-1", 5) + "\n"
    r = c.request("POST", f"/api/v1/ingest/{source['id']}", body.encode(),
                  headers={"Content-Type": "application/x-ndjson"})
    assert r.status == 200 and r.json["alerts_opened"] == 2, r
    sent = wait_for(lambda: sent_to(vendor, "robot-night"))
    time.sleep(1.5)
    assert len(sent_to(vendor, "robot-night")) == 1
    assert "alert crit-1" in json.loads(sent[0]["body"])["markdown"]["content"]
    items = admin.get(f"/api/v1/deliveries?tenant={t['id']}").json["items"]
    held = [d for d in items if d["state"] == "pending"]
    assert len(held) == 1 and held[0]["title"].endswith("alert low-1")
    assert admin.get(f"/api/v1/deliveries?tenant={t['id']}&state=pending").json["items"] == held
    assert [d["state"] for d in admin.get(
        f"/api/v1/deliveries?tenant={t['id']}&state=sent").json["items"]] == ["sent"]
    # Held until the quiet hours end: the minute `end` in UTC+8.
    release = (int(now // 60) + (end - (local.tm_hour * 60 + local.tm_min)) % 1440) * 60
    assert held[0]["next_at"] == time.strftime("%Y-%m-%dT%H:%M:00.000Z", time.gmtime(release))


def test_quiet_hours_are_checked(server, admin, vendor):
    t = make_tenant(admin, "Quiet Checks Co")
    r = admin.post("/api/v1/channels", {
        "tenant_id": t["id"], "name": "c", "type": "wecom",
        "url": f"{base(vendor)}/cgi-bin/webhook/send?key=robot-checks"})
    ch = r.json
    for body, detail in [
        ({"quiet_from": "22:00"}, "quiet hours need quiet_from and quiet_until"),
        ({"quiet_from": "24:00", "quiet_until": "08:00"},
         "quiet_from and quiet_until are times HH:MM"),
        ({"quiet_from": "22:00", "quiet_until": "8:00"},
         "quiet_from and quiet_until are times HH:MM"),
        ({"quiet_from": "08:00", "quiet_until": "08:00"},
         "quiet hours must not start when they end"),
        ({"quiet_from": "22:00", "quiet_until": "08:00", "quiet_min_severity": 7},
         "quiet_min_severity must be 1 to 6"),
    ]:
        r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "q",
                                                 "channel_id": ch["id"], **body})
        assert (r.status, r.json["detail"]) == (400, detail), body
    r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "q",
                                             "channel_id": ch["id"], "quiet_from": "22:00",
                                             "quiet_until": "08:00"})
    assert r.json["quiet_hours"] == {"from": "22:00", "until": "08:00", "min_severity": 5}
    r = admin.patch(f"/api/v1/notify-routes/{r.json['id']}", {"quiet_from": None,
                                                             "quiet_until": None})
    assert r.status == 200 and r.json["quiet_hours"] is None


def test_routes_by_alert_category(server, admin, vendor):
    t = make_tenant(admin, "Category Co")
    source = admin.post("/api/v1/sources", {"tenant_id": t["id"], "name": "cwp",
                                            "type": "tencent-cwp"}).json
    routes = {}
    for key, categories in (("robot-intrusion", ["入侵检测"]),
                            ("robot-creds", ["credential-access"])):
        ch = admin.post("/api/v1/channels", {
            "tenant_id": t["id"], "name": key, "type": "wecom",
            "url": f"{base(vendor)}/cgi-bin/webhook/send?key={key}"}).json
        r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": key,
                                                 "channel_id": ch["id"],
                                                 "categories": categories})
        assert r.status == 201 and r.json["categories"] == categories, r
        routes[key] = r.json
    r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "bad",
                                             "channel_id": ch["id"], "categories": [1]})
    assert (r.status, r.json["detail"]) == (400, "categories[0] must be a name")
    c = server.client()
    c.bearer = source["token"]
    r = c.request("POST", f"/api/v1/ingest/{source['id']}",
                  (cwp_alert("cat-1", 4) + "\n").encode(),
                  headers={"Content-Type": "application/x-ndjson"})
    assert r.status == 200 and r.json["alerts_opened"] == 1, r
    wait_for(lambda: sent_to(vendor, "robot-intrusion"))
    time.sleep(1.5)
    assert len(sent_to(vendor, "robot-intrusion")) == 1
    assert sent_to(vendor, "robot-creds") == []


def test_sla_breaches_reach_the_duty_robot_once(server, admin, vendor):
    """A route for ticket events only: an enterprise P1 incident logged
    three hours after the call has breached both clocks (15 min, 2 h on
    7x24); each breach is told once, and no alert goes to this robot."""
    t = make_tenant(admin, "Breach Co", "enterprise")
    ch = admin.post("/api/v1/channels", {
        "tenant_id": t["id"], "name": "duty", "type": "wecom",
        "url": f"{base(vendor)}/cgi-bin/webhook/send?key=robot-sla"}).json
    r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "sla",
                                             "channel_id": ch["id"], "alerts": False,
                                             "ticket_events": ["sla_breach"], "language": "en"})
    assert r.status == 201 and (r.json["alerts"], r.json["ticket_events"]) == (
        False, ["sla_breach"]), r
    r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "bad",
                                             "channel_id": ch["id"], "ticket_events": ["late"]})
    assert (r.status, r.json["detail"]) == (
        400, "ticket_events are created, sla_warning, sla_breach, escalated, quota_warning and "
        "quota_exceeded")
    received = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 3 * 3600))
    tk = admin.post("/api/v1/tickets", {"tenant_id": t["id"], "type": "incident",
                                        "title": "Ransomware", "channel": "phone",
                                        "caller": "Wang Fang", "caller_number": "010-5555-0199",
                                        "impact": "high", "urgency": "high",
                                        "received_at": received}).json
    msgs = wait_for(lambda: len(sent_to(vendor, "robot-sla")) >= 2 and sent_to(vendor,
                                                                               "robot-sla"))
    time.sleep(6)  # another SLA pass: nothing is told twice
    msgs = sent_to(vendor, "robot-sla")
    titles = sorted(json.loads(m["body"])["markdown"]["content"].split("\n")[0] for m in msgs)
    assert titles == [f"## [Resolution SLA breached] {tk['ref']} Ransomware",
                      f"## [Response SLA breached] {tk['ref']} Ransomware"]
    body = json.loads(msgs[0]["body"])["markdown"]["content"]
    assert f"- **Ticket** {tk['ref']} (incident, P1)\n" in body
    assert f"(https://vigil.mssp.example/tickets/{tk['id']})" in body
    kinds = [d["kind"] for d in admin.get(f"/api/v1/deliveries?tenant={t['id']}").json["items"]]
    assert kinds == ["ticket", "ticket"]


def test_a_yearly_quota_warns_at_80_percent_and_when_it_runs_out(server, admin, vendor):
    """Professional: 16 hours of on-duty watch a year. 10 h then 4 h (87.5 %)
    pass the warning mark, 3 h more (106 %) the end; 1 h after that passes
    nothing. Each mark is told once, naming the ticket whose work passed it."""
    t = make_tenant(admin, "Quota Watch Co")
    ch = admin.post("/api/v1/channels", {
        "tenant_id": t["id"], "name": "account", "type": "wecom",
        "url": f"{base(vendor)}/cgi-bin/webhook/send?key=robot-quota"}).json
    r = admin.post("/api/v1/notify-routes", {
        "tenant_id": t["id"], "name": "quota", "channel_id": ch["id"], "alerts": False,
        "ticket_events": ["quota_warning", "quota_exceeded"], "language": "en"})
    assert r.status == 201, r
    tk = admin.post("/api/v1/tickets", {"tenant_id": t["id"], "type": "request",
                                        "title": "Watch the launch"}).json
    for minutes, told in ((600, 0), (240, 1), (180, 2), (60, 2)):
        r = admin.post(f"/api/v1/tickets/{tk['id']}/worklogs",
                       {"service_item": "duty.watch", "minutes": minutes})
        assert r.status == 204, r
        if told:
            wait_for(lambda: len(sent_to(vendor, "robot-quota")) >= told)
    time.sleep(1.5)
    msgs = sent_to(vendor, "robot-quota")
    assert len(msgs) == 2
    year = "2026-01-01"  # make_tenant's contract start
    texts = [json.loads(m["body"])["markdown"]["content"] for m in msgs]
    assert texts[0].split("\n")[0] == f"## [Service hours nearly used up] {tk['ref']} Watch the launch"
    assert (f"- **Why** `On-duty watch: 14.00 of 16 hours used in the contract year "
            f"from {year} (87%)`\n") in texts[0], texts[0]
    assert texts[1].split("\n")[0] == f"## [Service hours exceeded] {tk['ref']} Watch the launch"
    assert f"17.00 of 16 hours used in the contract year from {year} (106%)" in texts[1]
