/* rule_tenants.c - rules switched off for single tenants (see rule_tenants.h). */
#include "alerts/rule_tenants.h"

#include <string.h>

#include "ops/tenant.h"

/* The value of every key of a disabled set (vg_map_get answers NULL for
 * an absent key). */
static const char disabled_mark = 1;

int vg_rule_tenant_set(vg_tx *tx, const vg_ctx *ctx, const char *rule_id, int64_t tenant_id,
		       bool enabled, int64_t now, vg_error *err)
{
	vg_tenant t;
	int rc = vg_tenant_get(tx, ctx, tenant_id, &t, err);

	vg_tenant_release(&t);
	if (rc)
		return rc;
	return vg_tx_exec(tx,
			  "INSERT INTO rule_tenants (rule_id, tenant_id, enabled, changed_by, "
			  "changed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (rule_id, tenant_id) "
			  "DO UPDATE SET enabled = excluded.enabled, "
			  "changed_by = excluded.changed_by, changed_at = excluded.changed_at",
			  VG_PARAMS(VG_P_TEXT(rule_id), VG_P_INT(tenant_id),
				    VG_P_INT(enabled ? 1 : 0), VG_P_TEXT(ctx->username),
				    VG_P_INT(now)),
			  NULL, err);
}

int vg_rule_tenants_disabled_for(vg_tx *tx, const char *rule_id, json_t **out, vg_error *err)
{
	vg_rows *r = NULL;
	json_t *ids = json_array();
	int rc = vg_tx_query(tx,
			     "SELECT tenant_id FROM rule_tenants WHERE rule_id = ? AND enabled = 0 "
			     "ORDER BY tenant_id",
			     VG_PARAMS(VG_P_TEXT(rule_id)), &r, err);

	*out = NULL;
	while (rc == VG_OK && (rc = vg_rows_next(r, err)) == 1) {
		json_array_append_new(ids, json_integer(vg_rows_int(r, 0)));
		rc = VG_OK;
	}
	vg_rows_free(r);
	if (rc) {
		json_decref(ids);
		return rc;
	}
	*out = ids;
	return VG_OK;
}

int vg_rule_tenants_disabled_all(vg_tx *tx, json_t **out, vg_error *err)
{
	vg_rows *r = NULL;
	json_t *all = json_object();
	int rc = vg_tx_query(tx,
			     "SELECT rule_id, tenant_id FROM rule_tenants WHERE enabled = 0 "
			     "ORDER BY rule_id, tenant_id",
			     NULL, 0, &r, err);

	*out = NULL;
	while (rc == VG_OK && (rc = vg_rows_next(r, err)) == 1) {
		const char *id = vg_rows_text(r, 0);
		json_t *ids = json_object_get(all, id);

		if (!ids) {
			ids = json_array();
			json_object_set_new(all, id, ids);
		}
		json_array_append_new(ids, json_integer(vg_rows_int(r, 1)));
		rc = VG_OK;
	}
	vg_rows_free(r);
	if (rc) {
		json_decref(all);
		return rc;
	}
	*out = all;
	return VG_OK;
}

int vg_rule_tenants_disabled_load(vg_tx *tx, int64_t tenant_id, vg_map *out, vg_error *err)
{
	vg_rows *r = NULL;
	int rc = vg_tx_query(tx,
			     "SELECT rule_id FROM rule_tenants WHERE tenant_id = ? AND enabled = 0",
			     VG_PARAMS(VG_P_INT(tenant_id)), &r, err);

	*out = (vg_map)VG_MAP_INIT;
	while (rc == VG_OK && (rc = vg_rows_next(r, err)) == 1) {
		const char *id = vg_rows_text(r, 0);
		int created;
		vg_map_entry *e = vg_map_put(out, id, strlen(id), &created);

		if (!e) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory reading disabled rules");
			break;
		}
		e->value = (void *)&disabled_mark;
		rc = VG_OK;
	}
	vg_rows_free(r);
	if (rc)
		vg_map_release(out);
	return rc;
}
