/*
 * suppress.h - suppression rules: known noise silenced for a while, with a
 * reason, counted.
 *
 * A suppression names a rule, a source and grouped field values (any it
 * leaves out matches anything, and it must name one), and holds for its
 * tenant's alerts, or every tenant's (tenant 0, staff only), until it
 * expires (at most a year ahead: a suppression nobody renews lapses). While
 * it holds, a hit that would open a new alert is counted against it
 * instead, so it is never notified; alerts already open go on as before.
 */
#ifndef VG_ALERTS_SUPPRESS_H
#define VG_ALERTS_SUPPRESS_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_suppression_fields {
	int64_t tenant_id;   /* 0: every tenant (staff only) */
	const char *rule_id; /* NULL: any */
	int64_t source_id;   /* 0: any */
	const json_t *group; /* object of field -> value; NULL: any */
	const char *reason;
	int64_t expires_at;  /* Unix ms, in the future, at most a year ahead */
} vg_suppression_fields;

int vg_suppression_create(vg_tx *tx, const vg_ctx *ctx, const vg_suppression_fields *in,
			  int64_t *id_out, vg_error *err);
int vg_suppression_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
			  vg_error *err);

/* id, tenant_id (null: every tenant), match {rule_id, source_id, group},
 * reason, expires_at, active, created_by, suppressed, last_suppressed_at,
 * created_at. */
int vg_suppression_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);
int vg_suppression_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
			int limit, json_t **items, int64_t *last_id, vg_error *err);

/* The suppressions holding for tenant_id's alerts at now (alerts.c). */
typedef struct vg_suppressions vg_suppressions;
int vg_suppressions_load(vg_tx *tx, int64_t tenant_id, int64_t now, vg_suppressions **out,
			 vg_error *err);
void vg_suppressions_free(vg_suppressions *s);

/* The id of a suppression that holds for an alert of this rule, source
 * (0: none) and grouped values (JSON object text), or 0. */
int64_t vg_suppressions_match(const vg_suppressions *s, const char *rule_id, int64_t source_id,
			      const char *group_json);

#endif
