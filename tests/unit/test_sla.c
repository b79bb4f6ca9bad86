/*
 * test_sla.c - a ticket's response and resolution clocks from its history,
 * on the shipped policies and calendars, at fixed instants: business hours
 * of cn-business (09:00-12:00, 13:30-18:00 Beijing), a pause while the
 * customer was asked, a P1 incident on the round-the-clock calendar, and
 * the statuses running, warning, met and breached.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/time.h"
#include "itsm/sla.h"

static int64_t at(const char *iso)
{
	int64_t ms;

	if (vg_time_parse_iso(iso, &ms))
		fail_msg("bad stamp %s", iso);
	return ms;
}

/* A step of the history: {"at", "action", "to", "public", "staff"}. */
static json_t *step(const char *when, const char *action, const char *to, bool staff)
{
	return json_pack("{s:s, s:s, s:o, s:b, s:b}", "at", when, "action", action, "to",
			 to ? json_string(to) : json_null(), "public", 1, "staff", staff);
}

static json_t *sla_of(const char *edition, json_t *ticket, const char *now)
{
	json_t *sla;
	vg_error err = { 0 };

	if (vg_ticket_sla(edition, ticket, at(now), &sla, &err))
		fail_msg("sla: %s", err.msg);
	json_decref(ticket);
	return sla;
}

static const char *field(json_t *sla, const char *clock, const char *key)
{
	static char text[64];
	json_t *v = json_object_get(json_object_get(sla, clock), key);

	if (json_is_integer(v))
		snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(v));
	else
		snprintf(text, sizeof(text), "%s", json_is_string(v) ? json_string_value(v) : "null");
	return text;
}

/* A P3 request on a Friday afternoon in Beijing, answered on Monday,
 * waiting on the customer from Monday 10:00 to Tuesday 11:00, resolved
 * Tuesday 15:00. Professional: response 4h, resolution 5d, cn-business. */
static void business_hours_with_a_pause(void **state)
{
	json_t *t = json_pack("{s:s, s:s, s:s, s:[o, o, o, o, o]}", "type", "request",
			      "priority", "P3", "received_at", "2026-11-27T08:00:00.000Z", "activity",
			      step("2026-11-27T08:00:00.000Z", "create", "new", false),
			      step("2026-11-30T01:30:00.000Z", "start", "in_progress", true),
			      step("2026-11-30T02:00:00.000Z", "wait_customer", "pending_customer",
				   true),
			      step("2026-12-01T03:00:00.000Z", "customer_reply", "in_progress",
				   false),
			      step("2026-12-01T07:00:00.000Z", "resolve", "resolved", true));
	json_t *sla = sla_of("professional", t, "2026-12-02T02:00:00.000Z");

	(void)state;
	/* Received Fri 16:00 (2 h left that day); answered Mon 09:30 (0.5 h). */
	assert_string_equal(field(sla, "response", "elapsed_seconds"), "9000");
	assert_string_equal(field(sla, "response", "status"), "met");
	assert_string_equal(field(sla, "response", "done_at"), "2026-11-30T01:30:00.000Z");
	/* Working time: Fri 2 h, Mon 09:00-10:00 1 h (then paused to Tue 11:00),
	 * Tue 11:00-12:00 and 13:30-15:00 2.5 h: 5.5 h; paused Mon 10:00-18:00
	 * less lunch (6.5 h) and Tue 09:00-11:00 (2 h). */
	assert_string_equal(field(sla, "resolution", "elapsed_seconds"), "19800");
	assert_string_equal(field(sla, "resolution", "status"), "met");
	assert_int_equal(json_integer_value(json_object_get(sla, "paused_seconds")), 30600);
	assert_string_equal(json_string_value(json_object_get(sla, "calendar")), "cn-business");
	assert_string_equal(field(sla, "resolution", "target"), "5d");
	json_decref(sla);
}

/* An enterprise P1 incident runs on 7x24: 15 minutes to answer, 2 hours
 * to resolve. */
static void p1_round_the_clock(void **state)
{
	json_t *t = json_pack("{s:s, s:s, s:s, s:[o]}", "type", "incident", "priority", "P1",
			      "received_at", "2026-11-28T20:00:00.000Z", "activity",
			      step("2026-11-28T20:00:00.000Z", "create", "new", false));
	json_t *sla = sla_of("enterprise", t, "2026-11-28T20:13:00.000Z");

	(void)state;
	assert_string_equal(field(sla, "response", "status"), "warning");
	assert_string_equal(field(sla, "response", "due_at"), "2026-11-28T20:15:00.000Z");
	assert_string_equal(field(sla, "resolution", "status"), "running");
	assert_string_equal(field(sla, "resolution", "due_at"), "2026-11-28T22:00:00.000Z");
	assert_string_equal(json_string_value(json_object_get(sla, "calendar")), "7x24");
	json_decref(sla);
	t = json_pack("{s:s, s:s, s:s, s:[o]}", "type", "incident", "priority", "P1",
		      "received_at", "2026-11-28T20:00:00.000Z", "activity",
		      step("2026-11-28T20:00:00.000Z", "create", "new", false));
	sla = sla_of("enterprise", t, "2026-11-28T22:30:00.000Z");
	assert_string_equal(field(sla, "response", "status"), "breached");
	assert_string_equal(field(sla, "resolution", "status"), "breached");
	assert_string_equal(field(sla, "resolution", "elapsed_seconds"), "9000");
	json_decref(sla);
}

/* Problems and changes have no targets; nor has an unknown edition. */
static void no_targets_no_sla(void **state)
{
	(void)state;
	assert_true(json_is_null(sla_of("professional",
					json_pack("{s:s, s:s, s:s, s:[]}", "type", "problem",
						  "priority", "P1", "received_at",
						  "2026-11-28T20:00:00.000Z", "activity"),
					"2026-11-29T00:00:00.000Z")));
	assert_true(json_is_null(sla_of("basic",
					json_pack("{s:s, s:s, s:s, s:[]}", "type", "incident",
						  "priority", "P1", "received_at",
						  "2026-11-28T20:00:00.000Z", "activity"),
					"2026-11-29T00:00:00.000Z")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(business_hours_with_a_pause),
		cmocka_unit_test(p1_round_the_clock),
		cmocka_unit_test(no_targets_no_sla),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
