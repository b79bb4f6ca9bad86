/*
 * test_tickets.c - what the clock does to tickets: a resolved incident
 * nobody answered for its workflow's auto_close_days is closed by the
 * system, with the reason in its history; one answered within them, or in
 * another state, stays. And what an SLA breach sets off: the policy's
 * escalation rules applied once, the group reassigned and the managers
 * and assignee addressed, explained in the history and the events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/time.h"
#include "itsm/groups.h"
#include "itsm/tickets.h"
#include "ops/tenant.h"
#include "testutil.h"

static vg_ctx analyst(void)
{
	vg_ctx c = vg_ctx_system();

	c.role = VG_ROLE_ANALYST;
	snprintf(c.username, sizeof(c.username), "an.analyst");
	return c;
}

/* An incident of tenant, taken to state by analyst steps. */
static int64_t incident(vg_tx *tx, int64_t tenant, const char *const *actions, size_t n)
{
	vg_ctx c = analyst();
	vg_ticket_fields in = { .tenant_id = tenant, .type = "incident", .title = "t" };
	json_t *fields = json_pack("{s:s}", "resolution", "fixed");
	vg_error err = { 0 };
	int64_t id, t;

	if (vg_ticket_create(tx, &c, &in, &id, &t, &err))
		fail_msg("create: %s", err.msg);
	for (size_t i = 0; i < n; i++)
		if (vg_ticket_step(tx, &c, id, actions[i], fields, 0, NULL, &t, &err))
			fail_msg("%s: %s", actions[i], err.msg);
	json_decref(fields);
	return id;
}

static const char *state_of(vg_tx *tx, int64_t id)
{
	static char state[32];
	vg_ctx c = vg_ctx_system();
	json_t *t;

	assert_int_equal(vg_ticket_get(tx, &c, id, &t, NULL), VG_OK);
	snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(t, "state")));
	json_decref(t);
	return state;
}

static void resolved_and_unanswered_is_closed(void **state)
{
	static const char *const to_resolved[] = { "start", "resolve" };
	static const char *const to_working[] = { "start" };
	test_store ts;
	vg_ctx sys = vg_ctx_system();
	vg_error err = { 0 };
	vg_tx *tx;
	int64_t tenant, old, recent, working, now = vg_time_now_ms();
	size_t closed;

	(void)state;
	assert_int_equal(test_store_open(&ts), 0);
	assert_int_equal(vg_tx_begin(ts.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_tenant_create(tx, &sys,
					  &(vg_tenant_fields){ .name = "T", .edition = "professional",
							       .contract_start = "2026-01-01",
							       .contract_end = "2026-12-31" },
					  &tenant, &err),
			 VG_OK);
	old = incident(tx, tenant, to_resolved, 2);
	recent = incident(tx, tenant, to_resolved, 2);
	working = incident(tx, tenant, to_working, 1);
	/* Resolved 8 and 6 days ago (the shipped wait is 7); in progress for 30. */
	vg_tx_exec(tx, "UPDATE tickets SET updated_at = ? WHERE id = ?",
		   VG_PARAMS(VG_P_INT(now - 8 * 86400000LL), VG_P_INT(old)), NULL, &err);
	vg_tx_exec(tx, "UPDATE tickets SET updated_at = ? WHERE id = ?",
		   VG_PARAMS(VG_P_INT(now - 6 * 86400000LL), VG_P_INT(recent)), NULL, &err);
	vg_tx_exec(tx, "UPDATE tickets SET updated_at = ? WHERE id = ?",
		   VG_PARAMS(VG_P_INT(now - 30 * 86400000LL), VG_P_INT(working)), NULL, &err);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);

	assert_int_equal(vg_tickets_auto_close(ts.store, now, 100, &closed, &err), VG_OK);
	assert_int_equal(closed, 1);
	assert_int_equal(vg_tx_begin(ts.store, false, &tx, &err), VG_OK);
	assert_string_equal(state_of(tx, old), "closed");
	assert_string_equal(state_of(tx, recent), "resolved");
	assert_string_equal(state_of(tx, working), "in_progress");
	{
		vg_ctx c = vg_ctx_system();
		json_t *t, *last;

		vg_ticket_get(tx, &c, old, &t, NULL);
		last = json_array_get(json_object_get(t, "activity"), 3);
		assert_string_equal(json_string_value(json_object_get(last, "action")), "close");
		assert_string_equal(json_string_value(json_object_get(last, "user")), "system");
		assert_string_equal(json_string_value(json_object_get(last, "text")),
				    "closed without a reply");
		json_decref(t);
	}
	vg_tx_rollback(tx);
	/* Nothing more to close. */
	assert_int_equal(vg_tickets_auto_close(ts.store, now, 100, &closed, &err), VG_OK);
	assert_int_equal(closed, 0);
	test_store_close(&ts);
}

static int64_t user(vg_tx *tx, const char *name, const char *role)
{
	vg_error err = { 0 };
	int64_t id;

	if (vg_tx_query_int(
		    tx,
		    "INSERT INTO users (username, role, password_hash, created_at, updated_at) "
		    "VALUES (?, ?, 'x', 0, 0) RETURNING id",
		    VG_PARAMS(VG_P_TEXT(name), VG_P_TEXT(role)), &id, &err))
		fail_msg("user %s: %s", name, err.msg);
	return id;
}

static const char *text_at(const json_t *o, const char *path_a, size_t i, const char *key)
{
	return json_string_value(
		json_object_get(json_array_get(json_object_get(o, path_a), i), key));
}

/* A P1 incident (professional: 30 min to answer, 4 h to resolve, 7x24)
 * received six hours ago, 1 h 12 min of it waiting on the customer: both
 * clocks breached. The response breach tells the managers and the
 * assignee; the resolution breach hands the ticket to l2-soc, whose
 * members do not include the assignee, and tells the managers. */
static void breaches_escalate_once(void **state)
{
	test_store ts;
	vg_ctx sys = vg_ctx_system(), an = analyst();
	vg_error err = { 0 };
	vg_tx *tx;
	int64_t tenant, id, t, now = vg_time_now_ms(), received = now - 6 * 3600000LL;
	int64_t a1, a2, group, other;
	vg_ticket_fields in = { .type = "incident",
				.title = "Ransomware",
				.impact = "high",
				.urgency = "high",
				.channel = "email",
				.received_at = received };
	json_t *tk, *ev;
	size_t raised;

	(void)state;
	assert_int_equal(test_store_open(&ts), 0);
	assert_int_equal(vg_tx_begin(ts.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_tenant_create(tx, &sys,
					  &(vg_tenant_fields){ .name = "T",
							       .edition = "professional",
							       .contract_start = "2026-01-01",
							       .contract_end = "2026-12-31" },
					  &tenant, &err),
			 VG_OK);
	user(tx, "m.one", "manager");
	a1 = user(tx, "a.one", "analyst");
	a2 = user(tx, "a.two", "analyst");
	assert_int_equal(vg_group_create(tx, &sys, "l2-soc", NULL, &group, &err), VG_OK);
	assert_int_equal(vg_group_create(tx, &sys, "net", "the network team", &other, &err), VG_OK);
	assert_int_equal(vg_group_create(tx, &sys, "L2", NULL, &t, &err), VG_EINVAL);
	assert_string_equal(err.msg,
			    "name must be 1 to 64 lowercase letters, digits, '-', '_' or '.'");
	assert_int_equal(vg_group_create(tx, &sys, "net", NULL, &t, &err), VG_EEXIST);
	assert_int_equal(vg_group_add_member(tx, &sys, group, a2, &err), VG_OK);
	assert_int_equal(vg_group_add_member(tx, &sys, group, a2, &err), VG_EEXIST);
	assert_string_equal(err.msg, "a.two is a member of l2-soc already");
	in.tenant_id = tenant;
	assert_int_equal(vg_ticket_create(tx, &an, &in, &id, &t, &err), VG_OK);

	/* A person assigned with a group is one of its members. */
	assert_int_equal(vg_ticket_take_step(tx, &an, id,
					     &(vg_ticket_step_in){ .action = "assign",
								   .assignee_id = a1,
								   .group_id = group },
					     &t, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "a.one is not a member of group l2-soc");
	assert_int_equal(vg_ticket_take_step(tx, &an, id,
					     &(vg_ticket_step_in){ .action = "assign",
								   .group_id = other + 100 },
					     &t, &err),
			 VG_ENOTFOUND);
	assert_string_equal(err.msg, "no such group");
	assert_int_equal(vg_ticket_step(tx, &an, id, "assign", NULL, a1, NULL, &t, &err), VG_OK);
	/* Waiting on the customer from 1 h after the call to 2 h 12 min after. */
	vg_tx_exec(tx,
		   "INSERT INTO ticket_activity (ticket_id, at, username, action, to_state) VALUES "
		   "(?, ?, 'a.one', 'wait_customer', 'pending_customer'), (?, ?, 'c', "
		   "'customer_reply', 'assigned')",
		   VG_PARAMS(VG_P_INT(id), VG_P_INT(received + 3600000), VG_P_INT(id),
			     VG_P_INT(received + 7920000)),
		   NULL, &err);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);

	assert_int_equal(vg_tickets_sla_scan(ts.store, 100, &raised, &err), VG_OK);
	assert_int_equal(raised, 2);
	assert_int_equal(vg_tx_begin(ts.store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_ticket_get(tx, &sys, id, &tk, &err), VG_OK);
	assert_true(json_is_null(json_object_get(tk, "assignee_id")));
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(tk, "group"), "name")), "l2-soc");
	assert_string_equal(text_at(tk, "activity", 4, "action"), "escalate");
	assert_string_equal(text_at(tk, "activity", 4, "text"),
			    "response SLA breached (target 30m on 7x24, 1h12m paused): managers "
			    "notified, assignee notified");
	assert_string_equal(text_at(tk, "activity", 5, "text"),
			    "resolution SLA breached (target 4h on 7x24, 1h12m paused): reassigned "
			    "to group l2-soc (assignee cleared: not a member), managers notified");
	assert_false(json_is_true(
		json_object_get(json_array_get(json_object_get(tk, "activity"), 5), "public")));
	assert_int_equal(json_array_size(json_object_get(tk, "sla_events")), 4);
	assert_string_equal(text_at(tk, "sla_events", 0, "kind"), "sla_breach");
	assert_string_equal(text_at(tk, "sla_events", 1, "kind"), "escalated");
	assert_string_equal(text_at(tk, "sla_events", 1, "cause"), "sla_breach");
	ev = json_object_get(json_array_get(json_object_get(tk, "sla_events"), 3), "detail");
	assert_string_equal(json_string_value(json_object_get(ev, "clock")), "resolution");
	assert_string_equal(json_string_value(json_object_get(ev, "target")), "4h");
	assert_int_equal(json_integer_value(json_object_get(ev, "paused_seconds")), 4320);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(ev, "rule"), "reassign_group")),
		"l2-soc");
	assert_int_equal(json_array_size(json_object_get(ev, "recipients")), 1);
	ev = json_object_get(json_array_get(json_object_get(tk, "sla_events"), 1), "detail");
	assert_string_equal(text_at(ev, "recipients", 0, "username"), "m.one");
	assert_string_equal(text_at(ev, "recipients", 1, "username"), "a.one");
	assert_string_equal(text_at(ev, "recipients", 1, "as"), "assignee");
	json_decref(tk);
	vg_tx_rollback(tx);

	/* Raised once: nothing more, and no second escalation. */
	assert_int_equal(vg_tickets_sla_scan(ts.store, 100, &raised, &err), VG_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(vg_tx_begin(ts.store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_ticket_get(tx, &sys, id, &tk, &err), VG_OK);
	assert_int_equal(json_array_size(json_object_get(tk, "activity")), 6);
	json_decref(tk);
	vg_tx_rollback(tx);
	test_store_close(&ts);
}

/* Rules meet a world without the people and groups they name: a group that
 * does not exist is noted, not an error; nobody to tell is said so. A P1
 * incident received 3 h 20 min ago has used more than 80 % of its 4 h:
 * the warning tells the assignee. */
static void escalation_says_what_it_could_not_do(void **state)
{
	test_store ts;
	vg_ctx sys = vg_ctx_system(), an = analyst();
	vg_error err = { 0 };
	vg_tx *tx;
	int64_t tenant, late, risky, t, now = vg_time_now_ms();
	vg_ticket_fields in = { .type = "incident",
				.title = "t",
				.impact = "high",
				.urgency = "high",
				.channel = "email" };
	json_t *tk;
	size_t raised;

	(void)state;
	assert_int_equal(test_store_open(&ts), 0);
	assert_int_equal(vg_tx_begin(ts.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_tenant_create(tx, &sys,
					  &(vg_tenant_fields){ .name = "T",
							       .edition = "professional",
							       .contract_start = "2026-01-01",
							       .contract_end = "2026-12-31" },
					  &tenant, &err),
			 VG_OK);
	in.tenant_id = tenant;
	in.received_at = now - 5 * 3600000LL;
	assert_int_equal(vg_ticket_create(tx, &an, &in, &late, &t, &err), VG_OK);
	in.received_at = now - 200 * 60000LL;
	assert_int_equal(vg_ticket_create(tx, &an, &in, &risky, &t, &err), VG_OK);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);

	assert_int_equal(vg_tickets_sla_scan(ts.store, 100, &raised, &err), VG_OK);
	assert_int_equal(raised, 4);
	assert_int_equal(vg_tx_begin(ts.store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_ticket_get(tx, &sys, late, &tk, &err), VG_OK);
	assert_string_equal(text_at(tk, "activity", 1, "text"),
			    "response SLA breached (target 30m on 7x24, 0m paused): no manager to "
			    "notify, no assignee to notify");
	assert_string_equal(text_at(tk, "activity", 2, "text"),
			    "resolution SLA breached (target 4h on 7x24, 0m paused): group l2-soc "
			    "does not exist, not reassigned, no manager to notify");
	assert_true(json_is_null(json_object_get(tk, "group")));
	json_decref(tk);
	assert_int_equal(vg_ticket_get(tx, &sys, risky, &tk, &err), VG_OK);
	assert_string_equal(text_at(tk, "sla_events", 2, "kind"), "sla_warning");
	assert_string_equal(text_at(tk, "sla_events", 3, "cause"), "sla_warning");
	assert_string_equal(text_at(tk, "activity", 2, "text"),
			    "resolution SLA at risk (target 4h on 7x24, 0m paused): no assignee to "
			    "notify");
	json_decref(tk);
	vg_tx_rollback(tx);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolved_and_unanswered_is_closed),
		cmocka_unit_test(breaches_escalate_once),
		cmocka_unit_test(escalation_says_what_it_could_not_do),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
