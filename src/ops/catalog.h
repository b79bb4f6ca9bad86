/*
 * catalog.h - the service catalog (content/catalog.yaml, embedded in the
 * binary) and what a tenant's contract includes.
 */
#ifndef VG_OPS_CATALOG_H
#define VG_OPS_CATALOG_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "ops/tenant.h"

typedef struct vg_catalog vg_catalog;

/* Parses and validates a catalog document: unknown or missing fields,
 * unknown editions or frequencies and duplicate ids are VG_EINVAL naming
 * the item. */
int vg_catalog_parse(const char *yaml, size_t len, vg_catalog **out, vg_error *err);
void vg_catalog_free(vg_catalog *c);

/* The catalog built into this binary, parsed once on first use and shared
 * read-only by every thread for the life of the process. */
const vg_catalog *vg_catalog_builtin(vg_error *err);

/* The whole catalog as JSON (new reference). */
json_t *vg_catalog_to_json(const vg_catalog *c);

/*
 * What tenant t's contract includes on date today ("YYYY-MM-DD", UTC):
 * {"tenant_id", "edition", "contract_start", "contract_end", "active",
 *  "items": [{"id", "category", "name", "name_zh", "frequency", "quota",
 *  "deliverable", "sla_object"}]}, quota resolved for the tenant's edition.
 */
json_t *vg_catalog_entitlements(const vg_catalog *c, const vg_tenant *t, const char *today);

#endif
