/*
 * tenant.h - tenants: the MSSP's customers and their contracts.
 *
 * A customer-scoped caller sees only its own tenant; any other id is
 * VG_ENOTFOUND "no such tenant".
 */
#ifndef VG_OPS_TENANT_H
#define VG_OPS_TENANT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_tenant {
	int64_t id;
	char name[201];
	char edition[16];        /* "professional" or "enterprise" */
	char contract_start[11]; /* YYYY-MM-DD */
	char contract_end[11];
	char timezone[64];
	json_t *contacts; /* owned array of {name, email, phone, role} */
	int64_t created_at;
	int64_t updated_at;
} vg_tenant;

/* The fields of a create or update; NULL leaves a field unset (update) or
 * takes its default (create: timezone Asia/Shanghai, no contacts). */
typedef struct vg_tenant_fields {
	const char *name;
	const char *edition;
	const char *contract_start;
	const char *contract_end;
	const char *timezone;
	const json_t *contacts;
} vg_tenant_fields;

int vg_tenant_create(vg_tx *tx, const vg_ctx *ctx, const vg_tenant_fields *in, int64_t *id_out,
		     vg_error *err);
/* Fills *out (release with vg_tenant_release). */
int vg_tenant_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_tenant *out, vg_error *err);
int vg_tenant_find(vg_tx *tx, const vg_ctx *ctx, const char *name, vg_tenant *out,
		   vg_error *err);
/* By id when which is a number, else by name (command-line arguments). */
int vg_tenant_lookup(vg_tx *tx, const vg_ctx *ctx, const char *which, vg_tenant *out,
		     vg_error *err);
int vg_tenant_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_tenant_fields *in,
		     vg_error *err);
/* Tenants visible to ctx with id > after_id (only tenant_id when not 0) as
 * a JSON array. */
int vg_tenant_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err);
void vg_tenant_release(vg_tenant *t);
json_t *vg_tenant_to_json(const vg_tenant *t);

#endif
