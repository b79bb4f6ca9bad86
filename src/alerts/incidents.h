/*
 * incidents.h - security incidents (安全事件): alerts escalated into one
 * case and worked through the response phases.
 *
 * An incident belongs to one tenant: the alerts escalated into it must all
 * be that tenant's, and an alert joins one incident at most. Escalating
 * acknowledges the alerts that were open. Phases go forward only -
 * detection, containment, eradication, recovery, post_incident - each
 * entered with a note and a time in the incident's timeline; an incident
 * closes (with a summary) from recovery or post_incident.
 */
#ifndef VG_ALERTS_INCIDENTS_H
#define VG_ALERTS_INCIDENTS_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_INCIDENT_ALERTS_MAX 1000

typedef struct vg_incident_fields {
	const char *title;
	const char *category;   /* ransomware, backdoor, cryptomining, webshell,
				 * brute_force, data_leak, ddos_cc, other */
	int severity_id;        /* 1-6; 0: the highest of the alerts' */
	const int64_t *alerts;  /* at least one */
	size_t nalerts;
	const char *note;       /* the opening note; may be NULL */
} vg_incident_fields;

/* VG_EINVAL for a bad field; VG_ENOTFOUND for an alert ctx cannot see;
 * VG_EINVAL for alerts of several tenants; VG_ECONFLICT for an alert in
 * another incident already. */
int vg_incident_create(vg_tx *tx, const vg_ctx *ctx, const vg_incident_fields *in,
		       int64_t *id_out, int64_t *tenant_id, vg_error *err);

/* Steps on an open incident; *tenant_id gets its tenant. */
int vg_incident_phase(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *phase,
		      const char *note, int64_t *tenant_id, vg_error *err);
int vg_incident_note(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *text,
		     int64_t *tenant_id, vg_error *err);
int vg_incident_link(vg_tx *tx, const vg_ctx *ctx, int64_t id, const int64_t *alerts,
		     size_t n, int64_t *tenant_id, vg_error *err);
int vg_incident_close(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *summary,
		      int64_t *tenant_id, vg_error *err);

/* id, tenant_id, title, category, severity_id, severity, phase, status,
 * summary, created_by, created_at, updated_at, closed_at; get adds alerts
 * (ids) and activity [{at, user, action, phase, detail}]. */
int vg_incident_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);
int vg_incident_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		     int limit, json_t **items, int64_t *last_id, vg_error *err);

#endif
