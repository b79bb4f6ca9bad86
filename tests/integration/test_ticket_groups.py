"""Who works a ticket and who follows it, and what its SLA sets off, against
the real server: staff groups and assignment to a group and a member of
it; watchers (staff, or the ticket's tenant's users); a phone ticket's
clocks counted from the call; a tenant put on a policy that is not its
edition's; and a breach escalated once by its policy's rule (content/
sla.yaml): the ticket handed to l2-soc, the managers told through the
route that listens for "escalated", the explanation in its history and
its events."""
import calendar
import json
import time

import pytest

from conftest import make_tenant, make_user, wait_for
from test_notify import vendor  # noqa: F401 (a fixture)

PASSWORD = "password-for-tests"
SERVER_CONFIG = ("notify:\n  allow_private_targets: true\n  retry_base_seconds: 1\n"
          "public_url: https://vigil.mssp.example\n")



@pytest.fixture(scope="module")
def world(server, admin):
    t = make_tenant(admin, "Group Co")
    other = make_tenant(admin, "Group Other Co")
    w = {"t": t, "other": other}
    for name, role in (("gr.analyst", "analyst"), ("gr.analyst2", "analyst"),
                       ("gr.manager", "manager")):
        w[name] = make_user(admin, name, role, None, PASSWORD)
    w["gr.customer"] = make_user(admin, "gr.customer", "customer_user", t["id"], PASSWORD)
    w["gr.customer2"] = make_user(admin, "gr.customer2", "customer_user", t["id"], PASSWORD)
    w["gr.foreign"] = make_user(admin, "gr.foreign", "customer_user", other["id"], PASSWORD)
    for name in ("gr.analyst", "gr.manager", "gr.customer", "gr.foreign"):
        w[name.split(".")[1]] = server.client(name, PASSWORD)
    # The second-line SOC the shipped escalation rules hand breaches to.
    r = w["manager"].post("/api/v1/groups", {"name": "l2-soc",
                                             "description": "Second-line SOC"})
    assert r.status == 201, r
    w["l2"] = r.json
    assert w["l2"]["members"] == []
    r = w["manager"].post(f"/api/v1/groups/{w['l2']['id']}/members",
                          {"user_id": w["gr.analyst2"]["id"]})
    assert r.status == 200, r
    w["l2"] = r.json
    return w


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def seconds_of(stamp):
    return calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))


def step(client, ticket, action, **body):
    return client.post(f"/api/v1/tickets/{ticket['id']}/steps", {"action": action, **body})


def test_groups_are_staffs(world, admin):
    a, m, c = world["analyst"], world["manager"], world["customer"]
    l2 = world["l2"]
    assert (l2["name"], l2["description"], l2["members"]) == (
        "l2-soc", "Second-line SOC",
        [{"id": world["gr.analyst2"]["id"], "username": "gr.analyst2"}])
    r = a.post("/api/v1/groups", {"name": "net"})
    assert (r.status, r.json["detail"]) == (403, "your role may not do this (needs group.write)")
    r = m.post("/api/v1/groups", {"name": "l2-soc"})
    assert (r.status, r.json["detail"]) == (409, "group name \"l2-soc\" is taken")
    r = m.post("/api/v1/groups", {"name": "L2 SOC"})
    assert (r.status, r.json["detail"]) == (
        400, "name must be 1 to 64 lowercase letters, digits, '-', '_' or '.'")
    r = m.post(f"/api/v1/groups/{l2['id']}/members", {"user_id": world["gr.analyst2"]["id"]})
    assert (r.status, r.json["detail"]) == (409, "gr.analyst2 is a member of l2-soc already")
    r = m.post(f"/api/v1/groups/{l2['id']}/members", {"user_id": world["gr.customer"]["id"]})
    assert (r.status, r.json["detail"]) == (
        400, f"user {world['gr.customer']['id']} is not an enabled admin, manager or analyst")
    r = m.post("/api/v1/groups/999999/members", {"user_id": world["gr.analyst"]["id"]})
    assert (r.status, r.json["detail"]) == (404, "no such group")
    # Staff read them; a customer is told they do not exist.
    assert a.get(f"/api/v1/groups/{l2['id']}").json == l2
    assert [g["name"] for g in a.get("/api/v1/groups").json["items"]] == ["l2-soc"]
    assert c.get("/api/v1/groups").status == 404
    assert c.get(f"/api/v1/groups/{l2['id']}").status == 404
    audit = admin.get("/api/v1/audit?action=group.member").json["items"]
    assert [x["outcome"] for x in audit][-1] == "ok"


def test_assigned_to_a_group_and_a_member_of_it(world):
    a, l2 = world["analyst"], world["l2"]
    tk = a.post("/api/v1/tickets", {"tenant_id": world["t"]["id"], "type": "incident",
                                    "title": "Beaconing from a workstation"}).json
    assert tk["group"] is None
    r = step(a, tk, "assign", group_id=l2["id"], assignee_id=world["gr.analyst"]["id"])
    assert (r.status, r.json["detail"]) == (400, "gr.analyst is not a member of group l2-soc")
    r = step(a, tk, "assign", group_id=999999)
    assert (r.status, r.json["detail"]) == (404, "no such group")
    # The group alone is an assignee: the ticket waits in its queue.
    r = step(a, tk, "assign", group_id=l2["id"])
    assert r.status == 200, r
    assert (r.json["state"], r.json["group"], r.json["assignee_id"]) == (
        "assigned", {"id": l2["id"], "name": "l2-soc"}, None)
    r = step(a, tk, "assign", assignee_id=world["gr.analyst"]["id"])
    assert (r.status, r.json["detail"]) == (400, "gr.analyst is not a member of group l2-soc")
    r = step(a, tk, "assign", assignee_id=world["gr.analyst2"]["id"])
    assert (r.json["group"]["name"], r.json["assignee_id"]) == (
        "l2-soc", world["gr.analyst2"]["id"])
    assert world["customer"].get(f"/api/v1/tickets/{tk['id']}").json["group"] == {
        "id": l2["id"], "name": "l2-soc"}


def test_watchers(world):
    a, c, f = world["analyst"], world["customer"], world["foreign"]
    tk = c.post("/api/v1/tickets", {"type": "request", "title": "New VPN account"}).json
    assert tk["watchers"] == []
    url = f"/api/v1/tickets/{tk['id']}/watchers"
    r = c.post(url, {"user_id": world["gr.customer2"]["id"]})
    assert r.status == 201, r
    assert r.json["watchers"] == [{"user_id": world["gr.customer2"]["id"],
                                   "username": "gr.customer2", "staff": False}]
    # A customer names users of its own tenant only: not staff, not another tenant's.
    for who in ("gr.analyst", "gr.foreign"):
        r = c.post(url, {"user_id": world[who]["id"]})
        assert (r.status, r.json["detail"]) == (404, "no such user"), who
    r = a.post(url, {"user_id": world["gr.foreign"]["id"]})
    assert (r.status, r.json["detail"]) == (404, "no such user")
    r = a.post(url, {"user_id": 999999})
    assert (r.status, r.json["detail"]) == (404, "no such user")
    r = a.post(url, {"user_id": world["gr.analyst"]["id"]})
    assert [(x["username"], x["staff"]) for x in r.json["watchers"]] == [
        ("gr.analyst", True), ("gr.customer2", False)]
    r = a.post(url, {"user_id": world["gr.analyst"]["id"]})
    assert (r.status, r.json["detail"]) == (409, "gr.analyst watches this ticket already")
    # Watching is not answering: the response clock still runs.
    sla = c.get(f"/api/v1/tickets/{tk['id']}").json["sla"]
    assert (sla["response"]["status"], sla["response"]["done_at"]) == ("running", None)
    # Another tenant's customer sees no such ticket, to watch or to read.
    r = f.post(url, {"user_id": world["gr.foreign"]["id"]})
    assert (r.status, r.json["detail"]) == (404, "no such ticket")
    assert f.get(f"/api/v1/tickets/{tk['id']}").status == 404
    assert f.request("DELETE", f"{url}/{world['gr.customer2']['id']}").status == 404
    r = c.request("DELETE", f"{url}/{world['gr.analyst']['id']}")
    assert (r.status, r.json["detail"]) == (403, "customers remove their own tenant's watchers")
    assert c.request("DELETE", f"{url}/{world['gr.customer2']['id']}").status == 204
    assert a.request("DELETE", f"{url}/{world['gr.analyst']['id']}").status == 204
    r = a.request("DELETE", f"{url}/{world['gr.analyst']['id']}")
    assert (r.status, r.json["detail"]) == (404, "no such watcher")
    assert a.get(f"/api/v1/tickets/{tk['id']}").json["watchers"] == []


def test_a_phone_ticket_is_due_from_the_call(world):
    a = world["analyst"]
    now = time.time()
    call = {"tenant_id": world["t"]["id"], "type": "incident", "title": "Site down",
            "channel": "phone", "caller": "Li Wei", "caller_number": "+86 10 5555 0100",
            "impact": "high", "urgency": "high", "received_at": iso(now - 1200)}
    for change, detail in [
        ({"caller": None}, "caller must not be empty"),
        ({"caller_number": None},
         "caller_number must be a telephone number: digits, spaces, +, -, ( and )"),
        ({"caller_number": "call me"},
         "caller_number must be a telephone number: digits, spaces, +, -, ( and )"),
        ({"received_at": None}, "a phone ticket needs received_at, when the call came in"),
        ({"received_at": iso(now + 3600)},
         "received_at must be within the last 30 days, not later than now"),
        ({"received_at": iso(now - 31 * 86400)},
         "received_at must be within the last 30 days, not later than now"),
        ({"channel": "email"}, "caller and caller_number are for phone tickets"),
    ]:
        body = {k: v for k, v in {**call, **change}.items() if v is not None}
        r = a.post("/api/v1/tickets", body)
        assert (r.status, r.json["detail"]) == (400, detail), change
    r = a.post("/api/v1/tickets", call)
    assert r.status == 201, r
    tk = r.json
    assert tk["fields"] == {"caller": "Li Wei", "caller_number": "+86 10 5555 0100"}
    assert tk["received_at"] == call["received_at"]
    # A professional P1 incident: 30 min to answer, 4 h to resolve, round
    # the clock, both counted from the call twenty minutes before it was
    # typed in. Staff logging the call answered it.
    sla = tk["sla"]
    assert (sla["calendar"], sla["response"]["target"], sla["resolution"]["target"]) == (
        "7x24", "30m", "4h")
    assert sla["response"]["due_at"] == iso(now - 1200 + 1800)
    assert sla["resolution"]["due_at"] == iso(now - 1200 + 4 * 3600)
    assert (sla["response"]["status"], sla["response"]["done_at"]) == ("met", tk["created_at"])
    assert 1200 <= sla["response"]["elapsed_seconds"] <= 1260
    assert seconds_of(tk["created_at"]) - seconds_of(tk["received_at"]) >= 1199


def test_a_tenant_put_on_another_policy(world, admin):
    t = make_tenant(admin, "Ministry Co")
    a, m = world["analyst"], world["manager"]
    tk = a.post("/api/v1/tickets", {"tenant_id": t["id"], "type": "incident",
                                    "title": "Defaced page"}).json
    sla = tk["sla"]
    assert (sla["policy"], sla["calendar"], sla["response"]["target"],
            sla["resolution"]["target"]) == ("professional", "cn-business", "4h", "3d")
    r = m.patch(f"/api/v1/tenants/{t['id']}", {"sla_policy": "platinum"})
    assert (r.status, r.json["detail"]) == (
        400, "sla_policy \"platinum\" is not a policy of content/sla.yaml (professional, "
             "enterprise, government-7x24)")
    r = a.patch(f"/api/v1/tenants/{t['id']}", {"sla_policy": "government-7x24"})
    assert r.status == 403, r
    r = m.patch(f"/api/v1/tenants/{t['id']}", {"sla_policy": "government-7x24"})
    assert r.status == 200, r
    assert (r.json["sla_policy"], r.json["edition"]) == ("government-7x24", "professional")
    # The same P3 incident, now on the policy's round-the-clock targets.
    sla = a.get(f"/api/v1/tickets/{tk['id']}").json["sla"]
    assert (sla["policy"], sla["calendar"], sla["response"]["target"],
            sla["resolution"]["target"]) == ("government-7x24", "7x24", "1h", "8h")
    assert seconds_of(sla["resolution"]["due_at"]) == seconds_of(tk["received_at"]) + 8 * 3600
    r = m.patch(f"/api/v1/tenants/{t['id']}", {"sla_policy": None})
    assert r.status == 200 and r.json["sla_policy"] is None, r
    assert a.get(f"/api/v1/tickets/{tk['id']}").json["sla"]["policy"] == "professional"
    assert admin.get(f"/api/v1/tenants/{world['t']['id']}").json["sla_policy"] is None


def sent_to(vendor, key):
    return [s for s in list(vendor.seen) if s["query"].get("key") == key]


def test_a_breach_is_escalated_once(world, server, admin, vendor):
    """A P4 incident, logged five hours after the call, is on time; raised to
    P1 (30 min, 4 h on 7x24) both its clocks have breached. The next SLA pass
    applies professional's rules: the response breach tells the managers and
    the assignee; the resolution breach hands the ticket to l2-soc, which
    its assignee is not in, and tells the managers."""
    t = make_tenant(admin, "Escalation Co")
    a, c = world["analyst"], world["customer"]
    ch = admin.post("/api/v1/channels", {
        "tenant_id": t["id"], "name": "duty", "type": "wecom",
        "url": f"http://127.0.0.1:{vendor.server_address[1]}/cgi-bin/webhook/send?key=robot-esc"})
    assert ch.status == 201, ch
    r = admin.post("/api/v1/notify-routes", {"tenant_id": t["id"], "name": "escalations",
                                             "channel_id": ch.json["id"], "alerts": False,
                                             "ticket_events": ["escalated"], "language": "en"})
    assert r.status == 201 and r.json["ticket_events"] == ["escalated"], r
    tk = a.post("/api/v1/tickets", {"tenant_id": t["id"], "type": "incident",
                                    "title": "Ransomware", "channel": "phone",
                                    "caller": "Wang Fang", "caller_number": "010-5555-0199",
                                    "impact": "low", "urgency": "low",
                                    "received_at": iso(time.time() - 5 * 3600)}).json
    assert (tk["priority"], tk["sla"]["resolution"]["status"]) == ("P4", "running")
    assert step(a, tk, "assign", assignee_id=world["gr.analyst"]["id"]).status == 200
    r = a.patch(f"/api/v1/tickets/{tk['id']}", {"impact": "high", "urgency": "high"})
    assert r.json["priority"] == "P1" and r.json["sla"]["resolution"]["status"] == "breached"

    msgs = wait_for(lambda: len(sent_to(vendor, "robot-esc")) >= 2 and sent_to(vendor,
                                                                               "robot-esc"))
    time.sleep(6)  # another SLA pass: nothing is escalated twice
    msgs = sent_to(vendor, "robot-esc")
    bodies = sorted(json.loads(m["body"])["markdown"]["content"] for m in msgs)
    assert [b.split("\n")[0] for b in bodies] == [
        f"## [Escalated: resolution SLA] {tk['ref']} Ransomware",
        f"## [Escalated: response SLA] {tk['ref']} Ransomware"]
    assert ("- **Why** `resolution SLA breached (target 4h on 7x24, 0m paused): reassigned "
            "to group l2-soc (assignee cleared: not a member), managers notified`\n"
            "- **For** `gr.manager` (manager)\n") in bodies[0]
    assert ("- **Why** `response SLA breached (target 30m on 7x24, 0m paused): managers "
            "notified, assignee notified`\n"
            "- **For** `gr.manager` (manager), `gr.analyst` (assignee)\n") in bodies[1]

    got = a.get(f"/api/v1/tickets/{tk['id']}").json
    assert (got["group"], got["assignee_id"]) == (
        {"id": world["l2"]["id"], "name": "l2-soc"}, None)
    assert [(x["action"], x["user"], x["public"], x["text"]) for x in got["activity"][-2:]] == [
        ("escalate", "system", False, "response SLA breached (target 30m on 7x24, 0m paused): "
                                      "managers notified, assignee notified"),
        ("escalate", "system", False, "resolution SLA breached (target 4h on 7x24, 0m paused): "
                                      "reassigned to group l2-soc (assignee cleared: not a "
                                      "member), managers notified")]
    events = got["sla_events"]
    assert [(e["kind"], e["clock"], e["cause"]) for e in events] == [
        ("sla_breach", "response", None), ("escalated", "response", "sla_breach"),
        ("sla_breach", "resolution", None), ("escalated", "resolution", "sla_breach")]
    d = events[3]["detail"]
    assert {k: d[k] for k in ("policy", "calendar", "clock", "target", "target_seconds",
                              "paused_seconds")} == {
        "policy": "professional", "calendar": "7x24", "clock": "resolution", "target": "4h",
        "target_seconds": 14400, "paused_seconds": 0}
    assert d["elapsed_seconds"] > 14400
    assert d["rule"] == {"on": "breach", "clock": "resolution", "notify": ["manager"],
                         "reassign_group": "l2-soc"}
    assert d["recipients"] == [{"user_id": world["gr.manager"]["id"], "username": "gr.manager",
                                "role": "manager", "as": "manager"}]
    assert [(x["username"], x["as"]) for x in events[1]["detail"]["recipients"]] == [
        ("gr.manager", "manager"), ("gr.analyst", "assignee")]
    assert events[0]["detail"]["text"] == \
        "response SLA breached (target 30m on 7x24, 0m paused)"
    # The customer's view: the breaches, not the MSSP's escalations.
    mine = admin.get(f"/api/v1/tickets/{tk['id']}").json
    assert len(mine["sla_events"]) == 4
    make_user(admin, "esc.customer", "customer_user", t["id"], PASSWORD)
    theirs = server.client("esc.customer", PASSWORD).get(f"/api/v1/tickets/{tk['id']}").json
    assert [e["kind"] for e in theirs["sla_events"]] == ["sla_breach", "sla_breach"]
    assert "escalate" not in [x["action"] for x in theirs["activity"]]
    assert c.get(f"/api/v1/tickets/{tk['id']}").status == 404
    kinds = [d["kind"] for d in admin.get(f"/api/v1/deliveries?tenant={t['id']}").json["items"]]
    assert kinds == ["ticket", "ticket"]
