/*
 * sla.h - where a ticket stands against its SLA (content/sla.yaml).
 *
 * A ticket's response and resolution clocks start when the customer
 * reached the MSSP (received_at) and count working time on the policy's
 * calendar, less the time the ticket spent in a state whose clock is
 * paused or stopped. The figures are computed from the ticket's history
 * whenever it is read, so they are always explainable from it: which
 * target, which calendar, how much time was paused.
 */
#ifndef VG_ITSM_SLA_H
#define VG_ITSM_SLA_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"

/*
 * The "sla" member of a ticket of a tenant of edition, read at now: null
 * when no target applies (problems, changes), else {"policy", "calendar",
 * "paused_seconds", "response": CLOCK, "resolution": CLOCK} with CLOCK
 * {"target", "target_seconds", "elapsed_seconds", "due_at", "done_at",
 * "status": running, warning, met or breached}. ticket is the ticket's
 * JSON as tickets.c builds it, with its activity.
 */
int vg_ticket_sla(const char *edition, const json_t *ticket, int64_t now, json_t **out,
		  vg_error *err);

/* Reads the shipped policies now (a start-up check; NULL err fills). */
int vg_sla_check(vg_error *err);

#endif
