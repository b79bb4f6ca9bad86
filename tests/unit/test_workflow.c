/*
 * test_workflow.c - the ITIL workflows and the priority matrix as data:
 * the shipped file's steps, clocks and priorities, and files refused with
 * the line and the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "itsm/workflow.h"

static const vg_workflow *shipped(const char *type)
{
	vg_error err = { 0 };
	const vg_workflows *w = vg_workflows_builtin(&err);

	if (!w)
		fail_msg("content/workflows.yaml: %s", err.msg);
	return vg_workflow_of(w, type);
}

/* "to=STATE requires=a,b approvals=N", or the error's message. */
static const char *step(const char *type, const char *state, const char *action, vg_role role,
			const char *kind)
{
	static char out[VG_ERROR_MSG_MAX];
	vg_error err = { 0 };
	vg_step s;
	size_t i, n;

	if (vg_workflow_step(shipped(type), state, action, role, kind, &s, &err)) {
		memcpy(out, err.msg, sizeof(out));
		return out;
	}
	n = (size_t)snprintf(out, sizeof(out), "to=%s requires=", s.to);
	for (i = 0; i < s.nrequires; i++)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", i ? "," : "", s.requires[i]);
	snprintf(out + n, sizeof(out) - n, " approvals=%d", s.approvals);
	return out;
}

static void incident_lifecycle(void **state)
{
	enum vg_clock clock;

	(void)state;
	assert_string_equal(vg_workflow_initial(shipped("incident")), "new");
	assert_string_equal(step("incident", "new", "assign", VG_ROLE_ANALYST, NULL),
			    "to=assigned requires=assignee approvals=0");
	assert_string_equal(step("incident", "in_progress", "wait_customer", VG_ROLE_ANALYST, NULL),
			    "to=pending_customer requires= approvals=0");
	assert_string_equal(step("incident", "pending_customer", "customer_reply",
				 VG_ROLE_CUSTOMER_USER, NULL),
			    "to=in_progress requires= approvals=0");
	assert_string_equal(step("incident", "in_progress", "resolve", VG_ROLE_CUSTOMER_ADMIN, NULL),
			    "customer_admin may not resolve an incident");
	assert_string_equal(step("incident", "new", "close", VG_ROLE_ADMIN, NULL),
			    "cannot close an incident that is new");
	assert_string_equal(step("incident", "resolved", "close", VG_ROLE_SYSTEM, NULL),
			    "to=closed requires= approvals=0");
	assert_string_equal(step("incident", "closed", "reopen", VG_ROLE_CUSTOMER_USER, NULL),
			    "to=in_progress requires= approvals=0");
	assert_string_equal(step("incident", "new", "escalate", VG_ROLE_ADMIN, NULL),
			    "no action escalate for an incident");
	/* Auditors read; they take no step. */
	assert_string_equal(step("incident", "new", "start", VG_ROLE_AUDITOR, NULL),
			    "auditor may not start an incident");
	assert_int_equal(vg_workflow_clock(shipped("incident"), "pending_customer", &clock, NULL),
			 VG_OK);
	assert_int_equal(clock, VG_CLOCK_PAUSED);
	vg_workflow_clock(shipped("incident"), "resolved", &clock, NULL);
	assert_int_equal(clock, VG_CLOCK_STOPPED);
	vg_workflow_clock(shipped("incident"), "assigned", &clock, NULL);
	assert_int_equal(clock, VG_CLOCK_RUNNING);
	assert_int_equal(vg_workflow_auto_close_days(shipped("incident"), "resolved"), 7);
	assert_int_equal(vg_workflow_auto_close_days(shipped("incident"), "in_progress"), 0);
}

static void change_approvals(void **state)
{
	(void)state;
	assert_string_equal(step("change", "draft", "submit", VG_ROLE_CUSTOMER_ADMIN, NULL),
			    "to=submitted requires=change_kind,plan,risk,rollback_plan approvals=0");
	assert_string_equal(step("change", "assessed", "approve", VG_ROLE_MANAGER, "normal"),
			    "to=approved requires= approvals=3");
	assert_string_equal(step("change", "assessed", "approve", VG_ROLE_MANAGER, "emergency"),
			    "to=approved requires= approvals=1");
	assert_string_equal(step("change", "assessed", "approve", VG_ROLE_MANAGER, "urgent"),
			    "approve a change: change_kind must be one its approvals name");
	assert_string_equal(step("change", "assessed", "approve", VG_ROLE_CUSTOMER_ADMIN, "normal"),
			    "customer_admin may not approve a change");
	assert_string_equal(step("change", "approved", "schedule", VG_ROLE_ANALYST, NULL),
			    "to=scheduled requires=window_start,window_end approvals=0");
	assert_string_equal(step("problem", "root_cause_analysis", "known_error", VG_ROLE_ANALYST,
				 NULL),
			    "to=known_error requires=root_cause,workaround approvals=0");
}

static void priority_matrix(void **state)
{
	const vg_workflows *w = vg_workflows_builtin(NULL);
	const char *p = NULL;
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_priority(w, "high", "high", &p, &err), VG_OK);
	assert_string_equal(p, "P1");
	vg_priority(w, "high", "low", &p, &err);
	assert_string_equal(p, "P3");
	vg_priority(w, "medium", "medium", &p, &err);
	assert_string_equal(p, "P3");
	vg_priority(w, "low", "low", &p, &err);
	assert_string_equal(p, "P4");
	assert_int_equal(vg_priority(w, "huge", "low", &p, &err), VG_EINVAL);
	assert_string_equal(err.msg, "impact \"huge\" is not one of the matrix's");
}

/* A whole file around one workflow; the others are minimal. */
#define HEAD                                                                               \
	"version: 1\npriorities:\n  impact: [high, low]\n  urgency: [high, low]\n"           \
	"  matrix:\n    high: {high: P1, low: P2}\n    low: {high: P3, low: P4}\nworkflows:\n"
#define MIN(t) "  - {type: " t ", initial: a, states: {a: {}, b: {final: true}}, " \
	       "actions: {go: {from: a, to: b, by: [staff]}}}\n"

static void bad_files_are_named_with_their_line(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ HEAD MIN("request") MIN("incident") MIN("problem")
		  "  - type: change\n    initial: a\n    states: {a: {}, b: {final: true}}\n"
		  "    actions:\n      go: {from: a, to: c, by: [staff]}\n",
		  "w.yaml:16: action go: no state \"c\"" },
		{ HEAD MIN("request") MIN("incident") MIN("problem")
		  "  - type: change\n    initial: a\n    states:\n      a: {}\n      b: {final: true}\n"
		  "      lost: {}\n    actions:\n      go: {from: a, to: b, by: [staff]}\n",
		  "w.yaml:17: state lost: no action leads to it" },
		{ HEAD MIN("request") MIN("incident") MIN("problem")
		  "  - type: change\n    initial: a\n    states: {a: {}, b: {}}\n"
		  "    actions:\n      go: {from: a, to: b, by: [staff]}\n",
		  "w.yaml:12: change: no state is final" },
		{ HEAD MIN("request") MIN("incident") MIN("problem")
		  "  - type: change\n    initial: a\n    states: {a: {}, b: {final: true}}\n"
		  "    actions:\n      go: {from: a, to: b, by: [owner]}\n",
		  "w.yaml:16: action go: \"owner\" is not staff, customer, system or a role" },
		{ HEAD MIN("request") MIN("incident") MIN("change")
		  "  - type: problem\n    initial: a\n    states: {a: {}, b: {final: true}}\n"
		  "    actions:\n      go: {from: a, to: b, by: [staff], approvals: {normal: 3}}\n",
		  "w.yaml:16: action go: only changes take approvals" },
		{ HEAD MIN("request") MIN("incident") MIN("problem") MIN("problem"),
		  "w.yaml:12: a second workflow for problem" },
		{ HEAD MIN("request") MIN("incident") MIN("problem"), "w.yaml:9: no workflow for change" },
		{ "version: 1\npriorities:\n  impact: [high, low]\n  urgency: [high, low]\n"
		  "  matrix:\n    high: {high: P1, low: P2}\n    low: {high: P3}\nworkflows: []\n",
		  "w.yaml:6: matrix: impact low with urgency low has no priority" },
		{ "version: 1\npriorities:\n  impact: [high]\n  urgency: [high]\n"
		  "  matrix:\n    high: {high: P5}\nworkflows: []\n",
		  "w.yaml:6: matrix: priorities are P1 to P4" },
		{ HEAD MIN("request") "  - {type: incident, initial: a, states: {a: {clock: frozen}}}\n",
		  "w.yaml:10: state a: clock is running, paused or stopped" },
		/* Waiting too long closes a record: the system must be let. */
		{ HEAD MIN("request") MIN("incident") MIN("problem")
		  "  - type: change\n    initial: a\n    states:\n      a: {auto_close_days: 7}\n"
		  "      b: {final: true}\n    actions:\n      close: {from: a, to: b, by: [staff]}\n",
		  "w.yaml:15: state a: auto_close_days needs a close action the system may take from "
		  "it" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_workflows *w = (vg_workflows *)1;
		vg_error err = { 0 };

		assert_int_equal(vg_workflows_parse(cases[i].text, strlen(cases[i].text), "w.yaml", &w,
						    &err),
				 VG_EINVAL);
		assert_null(w);
		if (strcmp(err.msg, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.msg, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(incident_lifecycle),
		cmocka_unit_test(change_approvals),
		cmocka_unit_test(priority_matrix),
		cmocka_unit_test(bad_files_are_named_with_their_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
