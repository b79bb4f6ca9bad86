/*
 * catalog.h - the service catalog (content/catalog.yaml, embedded in the
 * binary) and what a tenant's contract includes.
 *
 * The catalog is data: categories of service lines, each with the editions
 * that include it, how often it is delivered, its quota per edition and its
 * deliverable. It is parsed and checked completely once, then read-only, so
 * any number of threads may read one vg_catalog at once.
 *
 * The JSON form (GET /api/v1/catalog):
 *   {"version": 1, "categories": [{"id", "name", "name_zh", "editions": [...],
 *    "items": [{"id", "name", "name_zh", "editions": [...], "frequency",
 *    "quota": {"professional": {"hours_per_year": 16}, ...} | null,
 *    "deliverable": {"name", "name_zh"} | null, "sla_object": bool,
 *    "platform_must"}]}]}
 */
#ifndef VG_OPS_CATALOG_H
#define VG_OPS_CATALOG_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "ops/tenant.h"

typedef struct vg_catalog vg_catalog;

/* Where the built-in catalog comes from, as its errors name it. */
#define VG_CATALOG_ORIGIN "content/catalog.yaml"

/*
 * Parses and checks the catalog document yaml (len bytes) into *out (free
 * with vg_catalog_free; NULL on failure). Every mistake is VG_EINVAL with a
 * message naming origin, the line and the item or category:
 * `content/catalog.yaml:42: item duty.watch: unknown field "hours"`. Checked:
 * invalid YAML, unknown and missing fields, wrong types, ids that are not
 * slugs or not under their category, duplicate ids, unknown editions or
 * frequencies, an item's editions outside its category's, quotas for an
 * edition the item lacks, anchors, aliases and tags.
 */
int vg_catalog_parse(const char *yaml, size_t len, const char *origin, vg_catalog **out,
		     vg_error *err);
void vg_catalog_free(vg_catalog *c);

/*
 * The catalog built into this binary, parsed on first use and kept for the
 * life of the process. NULL with err filled when the embedded data is bad
 * (a build defect: `vigil serve` checks it at start-up).
 */
const vg_catalog *vg_catalog_builtin(vg_error *err);

/* The whole catalog as JSON (above; a new reference, NULL when out of
 * memory). */
json_t *vg_catalog_to_json(const vg_catalog *c);

/*
 * What tenant t's contract includes on date today ("YYYY-MM-DD"), as a new
 * JSON object in *out:
 *   {"tenant_id", "edition", "contract_start", "contract_end", "active",
 *    "items": [{"id", "category", "name", "name_zh", "frequency", "quota",
 *    "deliverable", "sla_object"}]}
 * with only the items of t's edition, each quota resolved for that edition
 * ({"hours_per_year": 16} or null). active is true when today lies within
 * the contract (both ends inclusive). VG_EINVAL when t's edition or today
 * is malformed, VG_ENOMEM when out of memory.
 */
int vg_catalog_entitlements(const vg_catalog *c, const vg_tenant *t, const char *today,
			    json_t **out, vg_error *err);

#endif
