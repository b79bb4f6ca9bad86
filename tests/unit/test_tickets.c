/*
 * test_tickets.c - what the clock does to tickets: a resolved incident
 * nobody answered for its workflow's auto_close_days is closed by the
 * system, with the reason in its history; one answered within them, or in
 * another state, stays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/time.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolved_and_unanswered_is_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
