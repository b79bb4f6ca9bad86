/*
 * tickets.h - service requests, incidents, problems and changes, worked
 * through their workflows (itsm/workflow.h).
 *
 * A ticket belongs to one tenant. Staff open any type in any tenant they
 * see; a customer opens requests, incidents and changes in its own, from
 * the portal. Priority comes from impact and urgency through the matrix.
 * Every step is the workflow's to allow: who, from which state, with which
 * fields set; a change's approval counts distinct approvers until its kind
 * has enough. Comments are public (the customer sees them) or internal.
 */
#ifndef VG_ITSM_TICKETS_H
#define VG_ITSM_TICKETS_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_ticket_fields {
	int64_t tenant_id;
	const char *type;        /* request, incident, problem, change */
	const char *title, *description;
	const char *impact, *urgency; /* high, medium, low (the matrix's) */
	const char *channel;     /* portal, email, phone, im, alert */
	int64_t received_at;     /* when the customer reached the MSSP; 0: now */
	const char *caller, *caller_number; /* who called (channel phone only) */
	const json_t *fields;    /* object of text fields, or NULL */
	int64_t security_incident_id; /* 0: none */
} vg_ticket_fields;

/* VG_EINVAL naming the bad field; VG_ENOTFOUND for a tenant ctx cannot
 * see; VG_EPERM for a type or channel a customer may not open. A phone
 * ticket (staff log the call) needs the caller's name and number, kept as
 * its fields "caller" and "caller_number", and received_at, when the call
 * came in (not later than now, nor over 30 days ago): its SLA clocks start
 * there, not when it was typed in. */
int vg_ticket_create(vg_tx *tx, const vg_ctx *ctx, const vg_ticket_fields *in, int64_t *id,
		     int64_t *tenant_id, vg_error *err);

/* A workflow action on ticket id, with fields to set first (object of
 * text, may be NULL), the assignee for actions that require one (0: keep)
 * and a comment (may be NULL) logged with it. A change's approval that
 * is not yet the last needed records the approver and leaves the state.
 * Errors as vg_workflow_step, and VG_EINVAL naming a required field that
 * is not set. */
int vg_ticket_step(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *action,
		   const json_t *fields, int64_t assignee_id, const char *comment,
		   int64_t *tenant_id, vg_error *err);

/* A step with everything it may set. */
typedef struct vg_ticket_step_in {
	const char *action;
	const json_t *fields; /* object of text to set first, or NULL */
	int64_t assignee_id;  /* a working staff user; 0: keep */
	int64_t group_id;     /* a staff group (groups.h); 0: keep */
	const char *comment;  /* logged with the step, or NULL */
} vg_ticket_step_in;

/*
 * vg_ticket_step with a group: an action that requires an assignee takes a
 * person, a group, or both. With a group set (now or before), a person
 * named must be one of its members: VG_EINVAL "USER is not a member of
 * group NAME"; a new group whose members do not include the current
 * assignee clears the assignee (the ticket waits in the group's queue).
 * VG_ENOTFOUND "no such group" for a group that does not exist.
 */
int vg_ticket_take_step(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_ticket_step_in *in,
			int64_t *tenant_id, vg_error *err);

/*
 * Makes user_id a watcher of ticket id (watchers.c): staff, or a user of
 * the ticket's tenant; a customer adds itself or users of its own tenant.
 * VG_ENOTFOUND "no such ticket" for one ctx cannot see, "no such user" for
 * a user that is none of these (or disabled); VG_EEXIST "USER watches this
 * ticket already".
 */
int vg_ticket_watch(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t user_id, int64_t *tenant_id,
		    vg_error *err);

/* Stops user_id watching ticket id: VG_ENOTFOUND "no such watcher"; a
 * customer removes only users of its own tenant (VG_EPERM otherwise). */
int vg_ticket_unwatch(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t user_id, int64_t *tenant_id,
		      vg_error *err);

/* Changes a ticket's title, description, impact or urgency (NULL: kept),
 * its priority following from the matrix; staff only (VG_EPERM for a
 * customer), logged in its history with the priority before and after. */
int vg_ticket_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *title,
		     const char *description, const char *impact, const char *urgency,
		     int64_t *tenant_id, vg_error *err);

/* Links ticket id to another ticket, an alert or an asset (kind "ticket",
 * "alert", "asset") of its own tenant: VG_ENOTFOUND "no such KIND" for one
 * of another tenant or none, VG_EEXIST when linked already, VG_EINVAL for a
 * ticket linked to itself. */
int vg_ticket_link(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *kind, int64_t target,
		   int64_t *tenant_id, vg_error *err);

/* A comment: internal ones (public false) only staff write and read. */
int vg_ticket_comment(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *text, bool public,
		      int64_t *tenant_id, vg_error *err);

/* The ticket with its activity (a customer's view leaves out internal
 * comments), its "group" ({id, name} or null), its "watchers" ([{user_id,
 * username, staff}]) and its "sla_events": the SLA warnings, breaches and
 * (staff only) escalations raised, oldest first, each {id, kind, clock,
 * cause, at, detail} with detail the explanation stored when it was raised
 * ({policy, calendar, clock, target, target_seconds, elapsed_seconds,
 * paused_seconds, due_at, text}, and for an escalation its rule and
 * "recipients"): VG_ENOTFOUND "no such ticket". */
int vg_ticket_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

/* What a ticket list keeps; zero or NULL members keep every ticket. */
typedef struct vg_ticket_filter {
	int64_t tenant_id;
	const char *state;       /* a state of some workflow (of type's, with type) */
	const char *type;        /* request, incident, problem, change */
	const char *priority;    /* P1..P4 */
	const char *channel;     /* portal, email, phone, im, alert */
	int64_t assignee_id;     /* the assigned user */
	int64_t group_id;        /* the assigned group */
	const char *q;           /* a substring of the title (ASCII case ignored) */
} vg_ticket_filter;

/*
 * The tickets ctx sees that f keeps, oldest first, id > after_id, at most
 * limit; each row is the ticket as vg_ticket_get shows it without its
 * activity, attachments, links, watchers and sla_events, and with a
 * compact "sla": null when no target applies, else {"response": STATUS,
 * "resolution": STATUS, "next_due_at": the earliest due_at of a clock not
 * yet done, or null}, STATUS as vg_ticket_sla's. VG_EINVAL naming a filter
 * value that is not one of its kind; VG_ENOTFOUND "no such tenant".
 */
int vg_ticket_list_filtered(vg_tx *tx, const vg_ctx *ctx, const vg_ticket_filter *f,
			    int64_t after_id, int limit, json_t **items, int64_t *last_id,
			    vg_error *err);

/* Shaped as http.h's vg_list_fn: vg_ticket_list_filtered by tenant alone. */
int vg_ticket_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err);

/* Opens the incident ticket of security incident incident_id (of its
 * tenant, channel alert, impact and urgency from its severity), which
 * keeps the link to it and so to its alerts. */
int vg_ticket_for_incident(vg_tx *tx, const vg_ctx *ctx, int64_t incident_id, int64_t *id,
			   vg_error *err);

/* Closes, as the system, the tickets left in a state longer than its
 * auto_close_days (resolved requests and incidents nobody answered), at
 * most limit of them a call; *closed counts them. */
int vg_tickets_auto_close(vg_store *store, int64_t now, int limit, size_t *closed,
			  vg_error *err);

/*
 * A tenant's SLA figures for month ("YYYY-MM", in the tenant's time zone)
 * over the tickets received in it, as they stand now: counts by type, priority
 * and channel; for response and resolution, how many had a target, were
 * decided (met or breached), were met, the share met of those decided and
 * the working time taken by those done, as mean_seconds, median_seconds
 * and p95_seconds (nearest rank; null when none is done); and every breach
 * with its ticket ({ticket_id, ref, clock, target, target_seconds,
 * elapsed_seconds, due_at, done_at}). There is no cap on the tickets of a month. Tickets
 * of the im channel are counted apart and in no figure. With csv set,
 * *csv gets one line per ticket instead (to free). VG_EINVAL for a bad
 * month; VG_ENOTFOUND for a tenant ctx cannot see.
 */
int vg_tenant_sla_month(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *month,
			json_t **out, char **csv, vg_error *err);

/* A ticket's reference, its type's prefix and its id: "INC-42". */
void vg_ticket_ref(const char *type, int64_t id, char out[32]);

/* Reads a reference ("INC-42") at the start of s: the bytes it takes, with
 * *type the record type its prefix names and *id its number; 0 when s does
 * not start with one. */
size_t vg_ticket_ref_read(const char *s, const char **type, int64_t *id);

/* Raises, once each, the SLA warnings and breaches of open tickets (at
 * most limit of them a call, the longest untouched first) as ticket
 * events for the notification routes, and applies its policy's escalation
 * rule to each (escalation.c): an "escalate" entry in the ticket's history
 * saying why and what was done, the group reassigned, and an "escalated"
 * event addressed to whom the rule names. *raised counts the new warnings
 * and breaches. */
int vg_tickets_sla_scan(vg_store *store, int limit, size_t *raised, vg_error *err);

/* The ticket of a security incident, or 0. */
int vg_ticket_of_incident(vg_tx *tx, int64_t incident_id, int64_t *id, vg_error *err);

#endif
