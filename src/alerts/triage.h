/*
 * triage.h - working the alert queue: acknowledge, assign, comment, close
 * with a disposition, reopen; each step in the alert's activity, and the
 * queue's speed (mean time to acknowledge and to close).
 *
 * States: open -> acknowledged -> closed, open -> closed, closed -> open
 * (reopen). An alert is acknowledged once: its acknowledged_at is the
 * first time, which is what time-to-acknowledge measures. A closed alert
 * takes no new hits: the next ones open a new alert.
 */
#ifndef VG_ALERTS_TRIAGE_H
#define VG_ALERTS_TRIAGE_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

enum vg_triage_action {
	VG_TRIAGE_ACKNOWLEDGE,
	VG_TRIAGE_ASSIGN,
	VG_TRIAGE_COMMENT,
	VG_TRIAGE_CLOSE,
	VG_TRIAGE_REOPEN,
};

typedef struct vg_triage {
	enum vg_triage_action action;
	int64_t assignee_id;     /* assign: a staff user; 0 unassigns */
	const char *disposition; /* close: true_positive, false_positive, benign, duplicate */
	const char *text;        /* comment's text; close's or reopen's reason (may be NULL) */
} vg_triage;

/* "acknowledge" ... -> action; VG_EINVAL naming the choices otherwise. */
int vg_triage_action_parse(const char *name, enum vg_triage_action *out, vg_error *err);

/*
 * Applies t to alert id as ctx, recorded in its activity; *tenant_id gets
 * the alert's tenant. VG_ENOTFOUND for an alert ctx cannot see; VG_EINVAL
 * for a bad disposition, an empty comment, an assignee who is not an
 * enabled staff user; VG_ECONFLICT for a step the alert's state does not
 * allow (closing a closed alert, reopening an open one, acknowledging a
 * closed one).
 */
int vg_alert_triage(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_triage *t,
		    int64_t *tenant_id, vg_error *err);

/* The alert's activity, oldest first: [{at, user, action, detail}]. */
int vg_alert_activity(vg_tx *tx, int64_t id, json_t **out, vg_error *err);

/*
 * For alerts of tenant_id (0: all the caller sees) created in [since,
 * until) (0: unbounded), per tenant and severity: {tenant_id, severity_id,
 * severity, alerts, acknowledged, mtta_seconds, closed, mttc_seconds}, the
 * means null when nothing was acknowledged or closed.
 */
int vg_alert_metrics(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t since_ms,
		     int64_t until_ms, json_t **out, vg_error *err);

#endif
