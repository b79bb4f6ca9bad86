/*
 * workflow.h - the ITIL record types' workflows and the priority matrix,
 * as data (content/workflows.yaml).
 *
 * A workflow names a record type's states, what the SLA clocks do in each
 * (run, pause while the customer is asked, stop once resolved), and the
 * actions between them: from which states, to which, who may take them,
 * which fields must be set first and, for changes, how many approvers each
 * change kind needs. Tickets ask it whether a step is allowed; nothing else
 * knows the process.
 */
#ifndef VG_ITSM_WORKFLOW_H
#define VG_ITSM_WORKFLOW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "store/ctx.h"

typedef struct vg_workflows vg_workflows;
typedef struct vg_workflow vg_workflow;

enum vg_clock { VG_CLOCK_RUNNING, VG_CLOCK_PAUSED, VG_CLOCK_STOPPED };

/* Parses a workflows file (text, len bytes, named origin in errors):
 * VG_EINVAL "origin:LINE: ..." naming what is wrong, including states an
 * action names that do not exist, states no action reaches, a workflow
 * without a final state, and an incomplete priority matrix. */
int vg_workflows_parse(const char *text, size_t len, const char *origin, vg_workflows **out,
		       vg_error *err);
void vg_workflows_free(vg_workflows *w);

/* The shipped workflows, parsed once (NULL with err for bad embedded
 * data, a build defect). */
const vg_workflows *vg_workflows_builtin(vg_error *err);

/* The workflow of a record type ("incident"), or NULL. */
const vg_workflow *vg_workflow_of(const vg_workflows *w, const char *type);

const char *vg_workflow_initial(const vg_workflow *wf);

/* What the SLA clocks do in state; VG_EINVAL for a state it does not have. */
int vg_workflow_clock(const vg_workflow *wf, const char *state, enum vg_clock *clock,
		      vg_error *err);

/* Days a record may stay in state before the system closes it; 0: never. */
int vg_workflow_auto_close_days(const vg_workflow *wf, const char *state);

/* The states the system closes records in: up to max of them, as record
 * type, state and days; returns how many. */
size_t vg_workflows_auto_close(const vg_workflows *w, const char **types, const char **states,
			       int *days, size_t max);

/* What an allowed step does. */
typedef struct vg_step {
	const char *to;            /* the state it leads to */
	const char *const *requires; /* fields that must be set, nrequires of them */
	size_t nrequires;
	int approvals;             /* approvers needed (changes; 0: none) */
} vg_step;

/*
 * Whether role (VG_ROLE_SYSTEM for the server's timers) may take action on
 * a record in state; change_kind (NULL for other types) picks the approvals
 * needed. VG_EINVAL "no action X for an incident", VG_ECONFLICT "cannot X
 * an incident that is STATE", VG_EPERM "ROLE may not X an incident".
 */
int vg_workflow_step(const vg_workflow *wf, const char *state, const char *action, vg_role role,
		     const char *change_kind, vg_step *out, vg_error *err);

/* P1..P4 from impact and urgency (high, medium, low): VG_EINVAL naming
 * the value that is not on the matrix. */
int vg_priority(const vg_workflows *w, const char *impact, const char *urgency,
		const char **priority, vg_error *err);

/*
 * The workflows as the API shows them (GET /api/v1/workflows), a new
 * reference for the caller (NULL when out of memory):
 *   {"priorities": {"impact": [..], "urgency": [..],
 *                   "matrix": {IMPACT: {URGENCY: "P1".."P4"}}},
 *    "workflows": [{"type", "initial",
 *                   "states": [{"name", "clock": running|paused|stopped,
 *                               "final", "auto_close_days" (null: never)}],
 *                   "actions": [{"name", "from": [..], "to", "by": [role
 *                                names, "system" for the server's timers],
 *                                "requires": [..], "approvals": {KIND: n}
 *                                or null}]}]}
 * in the order the file writes them.
 */
json_t *vg_workflows_to_json(const vg_workflows *w);

#endif
