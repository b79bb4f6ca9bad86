/*
 * test_sla.c - a ticket's response and resolution clocks from its history,
 * on the shipped policies and calendars, at fixed instants: business hours
 * of cn-business (09:00-12:00, 13:30-18:00 Beijing), a pause while the
 * customer was asked, a P1 incident on the round-the-clock calendar, and
 * the statuses running, warning, met and breached. And the policies file
 * itself: escalation rules as data, the first matching one applying, and
 * bad files named with their line; a non-edition policy; the words an
 * escalation is explained in.
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

#define POLICY_HEAD "version: 1\npolicies:\n  p:\n    calendar: 7x24\n"
#define TARGETS "    targets:\n      incident:\n        P1: {response: 30m, resolution: 4h}\n"

/* The first rule that matches applies; a rule without clock takes either. */
static void escalation_rules_are_data(void **state)
{
	static const char text[] =
		POLICY_HEAD "    escalation:\n"
			    "      - {on: warning, notify: [assignee]}\n"
			    "      - {on: breach, clock: resolution, notify: [manager], "
			    "reassign_group: l2-soc}\n"
			    "      - {on: breach, notify: [group, manager]}\n" TARGETS;
	vg_sla_policies *ps;
	const vg_sla_escalation *e;
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_sla_policies_parse(text, strlen(text), "s.yaml", &ps, &err), VG_OK);
	e = vg_sla_escalation_of(ps, "p", VG_SLA_WARNING, "response");
	assert_non_null(e);
	assert_int_equal(e->notify, VG_SLA_NOTIFY_ASSIGNEE);
	assert_null(e->clock);
	assert_null(e->reassign_group);
	e = vg_sla_escalation_of(ps, "p", VG_SLA_BREACH, "resolution");
	assert_int_equal(e->notify, VG_SLA_NOTIFY_MANAGER);
	assert_string_equal(e->clock, "resolution");
	assert_string_equal(e->reassign_group, "l2-soc");
	e = vg_sla_escalation_of(ps, "p", VG_SLA_BREACH, "response");
	assert_int_equal(e->notify, VG_SLA_NOTIFY_GROUP | VG_SLA_NOTIFY_MANAGER);
	assert_null(e->reassign_group);
	assert_null(vg_sla_escalation_of(ps, "q", VG_SLA_BREACH, "response"));
	vg_sla_policies_free(ps);
}

static void bad_escalations_are_named_with_their_line(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ POLICY_HEAD "    escalation:\n      - {on: later, notify: [assignee]}\n" TARGETS,
		  "s.yaml:6: escalation: on is warning or breach" },
		{ POLICY_HEAD
		  "    escalation:\n      - {on: breach, clock: both, notify: [manager]}\n" TARGETS,
		  "s.yaml:6: escalation: clock is response or resolution" },
		{ POLICY_HEAD
		  "    escalation:\n      - on: breach\n        notify: [manager, boss]\n" TARGETS,
		  "s.yaml:7: escalation: \"boss\" is not assignee, manager or group" },
		{ POLICY_HEAD "    escalation:\n      - {on: breach, notify: manager}\n" TARGETS,
		  "s.yaml:6: escalation: notify lists assignee, manager or group" },
		{ POLICY_HEAD
		  "    escalation:\n      - {on: breach, reassign_group: L2 SOC}\n" TARGETS,
		  "s.yaml:6: escalation: reassign_group must be a group name such as l2-soc" },
		{ POLICY_HEAD "    escalation:\n      - {on: breach}\n" TARGETS,
		  "s.yaml:6: escalation: a rule notifies someone or reassigns the ticket" },
		{ POLICY_HEAD "    escalation:\n      - {notify: [manager]}\n" TARGETS,
		  "s.yaml:6: escalation: a rule needs on (warning or breach)" },
		{ POLICY_HEAD
		  "    escalation:\n      - {on: breach, notify: [manager], page: yes}\n" TARGETS,
		  "s.yaml:6: escalation: unknown field \"page\"" },
		{ POLICY_HEAD "    escalation: {on: breach, notify: [manager]}\n" TARGETS,
		  "s.yaml:5: escalation is a list of rules {on, clock, notify, reassign_group}" },
		{ POLICY_HEAD "    escalate: []\n" TARGETS,
		  "s.yaml:5: unknown field \"escalate\"" },
		{ "version: 1\npolicies:\n  Gold Plus:\n    calendar: 7x24\n" TARGETS,
		  "s.yaml:3: a policy's name is lowercase letters, digits, '-', '_' or '.'" },
		{ POLICY_HEAD "    warn_at: 1.5\n" TARGETS,
		  "s.yaml:5: warn_at is a share between 0 and 1, such as 0.8" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_sla_policies *ps = (vg_sla_policies *)1;
		vg_error err = { 0 };

		assert_int_equal(vg_sla_policies_parse(cases[i].text, strlen(cases[i].text),
						       "s.yaml", &ps, &err),
				 VG_EINVAL);
		assert_null(ps);
		if (strcmp(err.msg, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.msg, cases[i].want);
	}
}

/* A tenant may be put on government-7x24: a P3 incident is due on the
 * round-the-clock calendar, not business hours. Unknown names are refused
 * with the names there are. */
static void a_policy_beside_the_editions(void **state)
{
	json_t *t = json_pack("{s:s, s:s, s:s, s:[o]}", "type", "incident", "priority", "P3",
			      "received_at", "2026-11-28T20:00:00.000Z", "activity",
			      step("2026-11-28T20:00:00.000Z", "create", "new", false));
	json_t *sla = sla_of("government-7x24", t, "2026-11-28T20:50:00.000Z");
	vg_error err = { 0 };

	(void)state;
	assert_string_equal(json_string_value(json_object_get(sla, "policy")), "government-7x24");
	assert_string_equal(json_string_value(json_object_get(sla, "calendar")), "7x24");
	assert_string_equal(field(sla, "response", "target"), "1h");
	assert_string_equal(field(sla, "response", "due_at"), "2026-11-28T21:00:00.000Z");
	/* 50 of 60 minutes: past its 75 % warning share. */
	assert_string_equal(field(sla, "response", "status"), "warning");
	assert_string_equal(field(sla, "resolution", "due_at"), "2026-11-29T04:00:00.000Z");
	json_decref(sla);
	assert_int_equal(vg_sla_policy_check("government-7x24", &err), VG_OK);
	assert_int_equal(vg_sla_policy_check("platinum", &err), VG_EINVAL);
	assert_string_equal(err.msg, "sla_policy \"platinum\" is not a policy of content/sla.yaml "
				     "(professional, enterprise, government-7x24)");
	assert_non_null(vg_sla_escalation_of(vg_sla_policies_builtin(NULL), "professional",
					     VG_SLA_BREACH, "resolution"));
}

static void explained_in_words(void **state)
{
	char text[128];
	json_t *sla = json_pack("{s:s, s:{s:s, s:I}}", "calendar", "cn-business", "resolution",
				"target", "4h", "paused_seconds", (json_int_t)4320);

	(void)state;
	vg_sla_explain(sla, "resolution", VG_SLA_BREACH, text, sizeof(text));
	assert_string_equal(text,
			    "resolution SLA breached (target 4h on cn-business, 1h12m paused)");
	vg_sla_explain(sla, "resolution", VG_SLA_WARNING, text, sizeof(text));
	assert_string_equal(text,
			    "resolution SLA at risk (target 4h on cn-business, 1h12m paused)");
	json_decref(sla);
	vg_sla_span(59, text, sizeof(text));
	assert_string_equal(text, "0m");
	vg_sla_span(45 * 60, text, sizeof(text));
	assert_string_equal(text, "45m");
	vg_sla_span(7200, text, sizeof(text));
	assert_string_equal(text, "2h");
	vg_sla_span(86400 + 3600 + 60, text, sizeof(text));
	assert_string_equal(text, "1d1h1m");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(business_hours_with_a_pause),
		cmocka_unit_test(p1_round_the_clock),
		cmocka_unit_test(no_targets_no_sla),
		cmocka_unit_test(escalation_rules_are_data),
		cmocka_unit_test(bad_escalations_are_named_with_their_line),
		cmocka_unit_test(a_policy_beside_the_editions),
		cmocka_unit_test(explained_in_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
