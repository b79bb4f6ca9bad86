/*
 * routes.h - routing rules: which alerts go to which channel.
 *
 * A route belongs to a tenant, or to the MSSP (tenant 0: it sees every
 * tenant's alerts, for the SOC's own duty channel), and sends to a channel
 * of the same owner. It takes the alerts at or above its minimum severity
 * (OCSF severity_id 1-6) from the listed sources, rules (Sigma ids or a
 * product's "<type>:<kind>") and alert categories (none listed: any), and
 * the ticket events it lists (a ticket opened, an SLA clock at its warning
 * share, an SLA clock breached; none listed: none). With an aggregation window, the first alert is sent at once
 * and the ones after it, until the window ends, as one digest: a burst of a
 * thousand alerts is two messages, not a thousand. With escalation, an
 * alert nobody acknowledged within the set minutes goes again to a second
 * channel (the duty manager's), of the same owner. With quiet hours,
 * alerts below a severity that come in them wait until they end (in the
 * owner's time zone), where the critical ones go at once.
 */
#ifndef VG_NOTIFY_ROUTES_H
#define VG_NOTIFY_ROUTES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_ROUTE_LIST_MAX 64

typedef struct vg_route_fields {
	int64_t tenant_id;   /* create: 0 is the MSSP's (staff only) */
	const char *name;    /* NULL: unchanged */
	int64_t channel_id;  /* 0: unchanged */
	int min_severity;    /* 1-6; 0: unchanged (create: 1) */
	int64_t sources[VG_ROUTE_LIST_MAX];
	size_t nsources;
	bool set_sources;
	const char *rules[VG_ROUTE_LIST_MAX];
	size_t nrules;
	bool set_rules;
	const char *categories[VG_ROUTE_LIST_MAX]; /* alert categories; none: any */
	size_t ncategories;
	bool set_categories;
	int alerts;            /* 0: ticket events only; -1: unchanged (create: 1) */
	const char *ticket_events[VG_ROUTE_LIST_MAX]; /* created, sla_warning, sla_breach,
							 escalated */
	size_t nticket_events;
	bool set_ticket_events;
	int aggregate_minutes; /* 0-1440; -1: unchanged (create: 0) */
	const char *language;  /* zh-CN or en; NULL: unchanged (create: zh-CN) */
	int escalate_after_minutes; /* 0-10080; -1: unchanged (create: 0, none) */
	int64_t escalate_channel_id; /* used when set_escalate; 0: none */
	bool set_escalate;
	int enabled;           /* 0, 1; -1: unchanged (create: enabled) */
	/* Quiet hours "HH:MM" to "HH:MM" in the owner's zone, used when
	 * set_quiet (both NULL: none); alerts at or above quiet_min_severity
	 * (1-6; 0: unchanged, create: 5) go through them. */
	const char *quiet_from, *quiet_until;
	bool set_quiet;
	int quiet_min_severity;
} vg_route_fields;

/* VG_EINVAL naming the bad field; VG_EPERM when a customer names the
 * MSSP's routes; VG_ENOTFOUND for a tenant or channel the caller cannot
 * see, or a channel of another owner; VG_EEXIST for a name in use. */
int vg_route_create(vg_tx *tx, const vg_ctx *ctx, const vg_route_fields *in, int64_t *id_out,
		    vg_error *err);
int vg_route_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_route_fields *in,
		    int64_t *tenant_id, vg_error *err);
int vg_route_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
		    vg_error *err);

/* id, tenant_id (null: the MSSP's), name, channel_id, min_severity,
 * sources, rules, categories, aggregate_minutes, language, escalate_after_minutes,
 * escalate_channel_id, enabled, created_at, updated_at, quiet_hours (null,
 * or {"from", "until", "min_severity"}). */
int vg_route_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);
int vg_route_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		  json_t **items, int64_t *last_id, vg_error *err);

#endif
