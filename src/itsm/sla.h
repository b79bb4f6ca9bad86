/*
 * sla.h - where a ticket stands against its SLA (content/sla.yaml), and
 * what its policy does when a clock warns or breaches.
 *
 * A ticket's response and resolution clocks start when the customer
 * reached the MSSP (received_at) and count working time on the policy's
 * calendar, less the time the ticket spent in a state whose clock is
 * paused or stopped. The figures are computed from the ticket's history
 * whenever it is read, so they are always explainable from it: which
 * target, which calendar, how much time was paused.
 *
 * A tenant is on its edition's policy unless it names another of the
 * file's (tenants.sla_policy). A policy's escalation rules say, as data,
 * what a clock's warning or breach sets off: whom to tell (the assignee,
 * the managers, the ticket's group) and which group to hand the ticket to.
 */
#ifndef VG_ITSM_SLA_H
#define VG_ITSM_SLA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct vg_sla_policies vg_sla_policies;

/* Whom an escalation tells. */
enum {
	VG_SLA_NOTIFY_ASSIGNEE = 1u << 0, /* the ticket's assignee */
	VG_SLA_NOTIFY_MANAGER = 1u << 1,  /* every enabled manager */
	VG_SLA_NOTIFY_GROUP = 1u << 2,	  /* the members of the ticket's group */
};

typedef enum vg_sla_mark { VG_SLA_WARNING, VG_SLA_BREACH } vg_sla_mark;

/*
 * One escalation rule, as written:
 *   {on: warning|breach, clock: response|resolution, notify: [assignee,
 *    manager, group], reassign_group: NAME}
 * clock absent matches either clock; a rule notifies someone, reassigns
 * the ticket, or both. Owned by its policies.
 */
typedef struct vg_sla_escalation {
	vg_sla_mark on;
	const char *clock;    /* "response", "resolution"; NULL: either */
	unsigned notify;      /* VG_SLA_NOTIFY_* */
	char *reassign_group; /* a group's name (groups.h); NULL: none */
} vg_sla_escalation;

/*
 * Parses a policies file (text, len bytes, named origin in errors) into
 * *out (free with vg_sla_policies_free; NULL on failure). VG_EINVAL
 * "origin:LINE: ..." naming what is wrong: an unknown field, a bad
 * policy name, duration, share or priority, a calendar that does not
 * load, a bad escalation rule.
 */
int vg_sla_policies_parse(const char *text, size_t len, const char *origin, vg_sla_policies **out,
			  vg_error *err);
void vg_sla_policies_free(vg_sla_policies *ps);

/* The shipped policies, parsed once (NULL with err for bad embedded data,
 * a build defect). */
const vg_sla_policies *vg_sla_policies_builtin(vg_error *err);

/* The first escalation rule of policy in ps for mark on clock ("response",
 * "resolution"), in the order written; NULL when none matches or there is
 * no such policy. */
const vg_sla_escalation *vg_sla_escalation_of(const vg_sla_policies *ps, const char *policy,
					      vg_sla_mark mark, const char *clock);

/* VG_OK when name is a shipped policy; VG_EINVAL "sla_policy \"NAME\" is
 * not a policy of content/sla.yaml (professional, ...)" otherwise. */
int vg_sla_policy_check(const char *name, vg_error *err);

/*
 * The "sla" member of a ticket on the shipped policy named policy (its
 * tenant's sla_policy, else its edition), read at now: null when no target
 * applies (problems, changes, an unknown policy), else {"policy",
 * "calendar", "paused_seconds", "response": CLOCK, "resolution": CLOCK}
 * with CLOCK {"target", "target_seconds", "elapsed_seconds",
 * "paused_seconds", "due_at", "done_at", "status": running, warning, met or
 * breached}; the outer paused_seconds is the resolution clock's. ticket is
 * the ticket's JSON as tickets.c builds it, with its activity.
 */
int vg_ticket_sla(const char *policy, const json_t *ticket, int64_t now, json_t **out,
		  vg_error *err);

/* seconds as the explanations write it: "1d2h", "1h12m", "45m", "0m"
 * (days of 24 hours, like the targets; seconds left out). */
void vg_sla_span(int64_t seconds, char *out, size_t size);

/* In words, how clock ("response", "resolution") of sla (a ticket's "sla"
 * member) stands at mark, into out (size bytes): "resolution SLA breached
 * (target 4h on cn-business, 1h12m paused)", "response SLA at risk
 * (target 30m on 7x24, 0m paused)". */
void vg_sla_explain(const json_t *sla, const char *clock, vg_sla_mark mark, char *out, size_t size);

/* Reads the shipped policies now (a start-up check; NULL err fills). */
int vg_sla_check(vg_error *err);

#endif
