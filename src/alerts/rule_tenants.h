/*
 * rule_tenants.h - detection rules switched off for single tenants.
 *
 * A (rule, tenant) pair is enabled unless a row of rule_tenants says
 * otherwise. vg_alerts_record, the one place matches become alerts, reads
 * the tenant's disabled rules with each batch it records (in the batch's
 * own transaction), so a change applies from the next batch on, on every
 * process sharing the store, with nothing to invalidate.
 */
#ifndef VG_ALERTS_RULE_TENANTS_H
#define VG_ALERTS_RULE_TENANTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/map.h"
#include "store/ctx.h"
#include "store/store.h"

/* Enables or disables rule_id for tenant_id (which ctx must see: else
 * VG_ENOTFOUND "no such tenant"), recording who and when. */
int vg_rule_tenant_set(vg_tx *tx, const vg_ctx *ctx, const char *rule_id, int64_t tenant_id,
		       bool enabled, int64_t now, vg_error *err);

/* The ids of the tenants rule_id is disabled for, ascending, as a new
 * JSON array. */
int vg_rule_tenants_disabled_for(vg_tx *tx, const char *rule_id, json_t **out, vg_error *err);

/* Every disabled pair: a new JSON object of rule id -> array of tenant
 * ids (for listing many rules in one query). */
int vg_rule_tenants_disabled_all(vg_tx *tx, json_t **out, vg_error *err);

/* The rules disabled for tenant_id, as keys of *out (an empty map when
 * none; vg_map_release it). */
int vg_rule_tenants_disabled_load(vg_tx *tx, int64_t tenant_id, vg_map *out, vg_error *err);

#endif
