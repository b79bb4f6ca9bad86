/*
 * alerts.h - what detection found, kept per tenant and grouped.
 *
 * A detection match or a correlation hit is an alert hit. Hits with the same
 * group key - the rule, the tenant, the source and the values of the
 * grouped fields (a correlation's group-by, or the fields configured for
 * detections) - join the group's open alert while its last hit is within
 * the grouping window, so a flood becomes one alert whose count and
 * last_seen grow, with the first and the latest matching event kept.
 *
 * Severity is OCSF's severity_id from the Sigma level: informational 1,
 * low 2, medium 3, high 4, critical 5 (a rule without a level is medium);
 * a product's finding brings its own, mapped from the vendor's scale.
 * An alert naming an asset (a cloud instance, an address, a host) is
 * linked to the tenant's asset record, created the first time
 * (alerts/assets.h).
 */
#ifndef VG_ALERTS_ALERTS_H
#define VG_ALERTS_ALERTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_alert_hit {
	const char *rule_id; /* may be NULL */
	const char *title;
	const char *level; /* may be NULL */
	char **tags;
	size_t ntags;
	const char *correlation; /* the correlation type, or NULL for a detection */
	const char *group_json;  /* JSON object of the grouped fields: "{}" when none */
	int64_t first_ms, last_ms;
	uint64_t count; /* matches the hit stands for */
	double value;   /* a correlation's count, sum or share; 0 for a detection */
	const char *event; /* the event JSON, or NULL */
	size_t event_len;
	/* The rest of the one alert model (OCSF's Detection Finding); each may
	 * be NULL. A product's finding (finding_uid set) gives its own
	 * severity_id, the vendor's severity as level, and always joins the
	 * open alert of its uid, however long ago that was last seen. */
	int severity_id; /* 0: from level */
	const char *description, *category;
	const char *vendor, *product; /* NULL: Vigil's own */
	const char *finding_uid, *vendor_status;
	const char *resource_json; /* {"instance_id", "ip", "hostname", "region", "account", "cloud"} */
	const char *actor_json;    /* {"user", "ip"} */
} vg_alert_hit;

/* 1 to 5 for a Sigma level; OCSF's names for 0 (unknown) to 6 (fatal). */
int vg_alert_severity(const char *level);
const char *vg_alert_severity_name(int severity_id);

/*
 * Records one batch's hits of a source (write transaction): hits of one
 * group are folded together, then each group updates its open alert (the
 * latest with the group key, not closed, last seen within window_ms of the
 * group's first hit) or opens a new one. *opened counts new alerts.
 * Hits of a rule switched off for the tenant (rule_tenants.h) are dropped.
 */
int vg_alerts_record(vg_tx *tx, int64_t tenant_id, int64_t source_id, const vg_alert_hit *hits,
		     size_t n, int64_t window_ms, int64_t now, uint64_t *opened, vg_error *err);

typedef struct vg_alert_filter {
	int64_t tenant_id;   /* 0: all the caller sees */
	int64_t source_id;   /* 0: any */
	const char *status;  /* NULL: any; else open, acknowledged or closed, or a
			      * comma list of them ("open,acknowledged") */
	const char *rule_id; /* NULL: any */
	int min_severity;    /* 0: any */
	int severity;        /* 0: any; else exactly this severity_id */
	int64_t since_ms;    /* last_seen >= since; 0: any */
	int64_t until_ms;    /* last_seen < until; 0: any */
	int64_t assignee_id; /* 0: any; -1: unassigned */
	int64_t asset_id;    /* 0: any */
	const char *vendor;  /* NULL: any ("Vigil" for Vigil's own) */
	const char *product; /* NULL: any */
} vg_alert_filter;

/* Alerts ctx sees that pass f, newest first (id descending) below
 * before_id (0: from the newest), at most limit, as a JSON array of
 * vg_alert JSON objects (each with "security_incident_id": the incident
 * it was escalated into, or null); *last_id is the last id listed.
 * VG_EINVAL for a bad status or severity; VG_ENOTFOUND for a tenant the
 * caller may not see. */
int vg_alert_list(vg_tx *tx, const vg_ctx *ctx, const vg_alert_filter *f, int64_t before_id,
		  int limit, json_t **items, int64_t *last_id, vg_error *err);

/* Alerts opened after after_id, oldest first, at most limit, as the JSON
 * objects vg_alert_list gives (every tenant's: for the notification
 * router, which runs as the system). */
int vg_alerts_after(vg_tx *tx, int64_t after_id, int limit, json_t **items, int64_t *last_id,
		    vg_error *err);

/* An alert's status ("open", "acknowledged", "closed") into status;
 * VG_ENOTFOUND "no such alert". For the system (no tenant scope). */
int vg_alert_status(vg_tx *tx, int64_t id, char status[16], vg_error *err);

/* One alert with its events: VG_ENOTFOUND "no such alert". */
int vg_alert_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

#endif
