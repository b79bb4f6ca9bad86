/*
 * ioc.h - the lists of indicators of compromise (threat intelligence): a
 * tenant's own, and the MSSP's, which hold for every tenant (tenant_id 0).
 *
 * Staff keep both; a customer admin reads only its tenant's list. Values
 * are stored normalised (detect/ioc.h says how), so the same indicator
 * cannot be listed twice in one list (VG_EEXIST). Expired indicators stay
 * listed but are not looked for.
 */
#ifndef VG_OPS_IOC_H
#define VG_OPS_IOC_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "detect/ioc.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_ioc_fields {
	int64_t tenant_id;       /* 0: the MSSP's list */
	const char *type;        /* ip, domain, url, hash */
	const char *value;
	const char *level;       /* NULL: high */
	const char *description; /* NULL: "" */
	const char *source;      /* NULL: "" */
	int64_t expires_at;      /* 0: never */
} vg_ioc_fields;

/* Adds one indicator; *id_out its id. VG_EINVAL for a bad type, value or
 * level; VG_EPERM when a customer names the MSSP's list; VG_ENOTFOUND for
 * a tenant the caller cannot see; VG_EEXIST when it is listed already. */
int vg_ioc_create(vg_tx *tx, const vg_ctx *ctx, const vg_ioc_fields *in, int64_t *id_out,
		  vg_error *err);

int vg_ioc_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

int vg_ioc_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id, vg_error *err);

/* Shaped as http.h's vg_list_fn: indicators of tenant_id (0: all the
 * caller sees; the MSSP's list is tenant 0 and only staff see it). */
int vg_ioc_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		json_t **items, int64_t *last_id, vg_error *err);

/* Every indicator not expired at now_ms, compiled into a set for matching
 * (*out, vg_ioc_set_free it). */
int vg_ioc_load(vg_tx *tx, int64_t now_ms, vg_ioc_set **out, vg_error *err);

/* A number that changes whenever the lists do (for reloading). */
int vg_ioc_version(vg_tx *tx, int64_t now_ms, int64_t *out, vg_error *err);

#endif
