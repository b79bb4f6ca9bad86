/*
 * itsm_int.h - what the files of src/itsm/ share and nothing else may use:
 * the parts of a ticket's JSON kept in files of their own, and the
 * escalation the SLA scan applies.
 */
#ifndef VG_ITSM_INT_H
#define VG_ITSM_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "itsm/sla.h"
#include "store/ctx.h"
#include "store/store.h"

/* watchers.c: the watchers of ticket id, [{user_id, username, staff}] in
 * username order, into *out (to decref). */
int vg__ticket_watchers_json(vg_tx *tx, int64_t id, json_t **out, vg_error *err);

/* escalation.c: the ticket's SLA warnings, breaches and, for staff
 * (customer false), escalations, as vg_ticket_get shows them. */
int vg__ticket_sla_events_json(vg_tx *tx, int64_t id, bool customer, json_t **out, vg_error *err);

/* escalation.c: the detail an SLA event of clock stores: the clock of
 * ticket's "sla" member with the policy, calendar and explanation, into
 * *out (to decref). */
int vg__sla_event_detail(const json_t *ticket, const char *clock, vg_sla_mark mark, json_t **out,
			 vg_error *err);

/*
 * escalation.c: applies the escalation rule of ticket's policy that
 * matches mark on clock, just raised at now (ticket as vg_ticket_get shows
 * it to the system): the group reassigned when the rule names one (a group
 * that does not exist is noted in the text), the recipients worked out,
 * an "escalate" entry in the ticket's history (internal) explaining both,
 * and an "escalated" ticket event with the same explanation and the
 * recipients. Nothing when no rule matches.
 */
int vg__ticket_escalate(vg_tx *tx, const json_t *ticket, vg_sla_mark mark, const char *clock,
			int64_t now, vg_error *err);

#endif
