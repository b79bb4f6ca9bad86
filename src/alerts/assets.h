/*
 * assets.h - what alerts name: each tenant's cloud instances, addresses and
 * hosts, with when they were first and last seen in an alert and which
 * products reported on them. This seeds the asset inventory (catalog
 * section 6): an asset no product covers stands out.
 */
#ifndef VG_ALERTS_ASSETS_H
#define VG_ALERTS_ASSETS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

/*
 * Links an alert's resource (JSON object: instance_id, ip, hostname,
 * region, account, cloud) to the tenant's asset: the one with its instance
 * id, else the one with its address, else its host name, of that instance
 * or of none; created when there is none. Fields the asset lacks are filled in,
 * last_seen moves to seen_ms, reporter joins its products, and an opened
 * alert is counted. *asset_id is 0 when the resource names no asset.
 */
int vg_asset_link(vg_tx *tx, int64_t tenant_id, const char *resource_json, const char *reporter,
		  int64_t seen_ms, bool opened, int64_t *asset_id, vg_error *err);

/* Assets ctx sees (of tenant_id, 0: all it sees) after after_id, at most
 * limit, shaped as http.h's vg_list_fn. VG_ENOTFOUND for a tenant it may
 * not see. */
int vg_asset_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		  json_t **items, int64_t *last_id, vg_error *err);

/* One asset: VG_ENOTFOUND "no such asset". */
int vg_asset_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

#endif
