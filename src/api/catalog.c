/* catalog.c - /api/v1/catalog and /api/v1/tenants/{id}/entitlements: the
 * service catalog, and what one tenant's contract includes from it. */
#include "api/api.h"

#include "core/time.h"
#include "ops/catalog.h"

int api_catalog_get(vg_req *req, vg_error *err)
{
	const vg_catalog *c = vg_catalog_builtin(err);
	json_t *body;

	if (!c)
		return err->code;
	body = vg_catalog_to_json(c);
	if (!body)
		return vg_error_set(err, VG_ENOMEM, "out of memory answering the catalog");
	return vg_resp_json(req, 200, body);
}

int api_tenants_entitlements(vg_req *req, vg_error *err)
{
	const vg_catalog *c = vg_catalog_builtin(err);
	char today[VG_TIME_ISO_LEN];
	vg_tenant t = { 0 };
	json_t *body;
	int64_t id;
	vg_tx *tx;
	int rc;

	if (!c)
		return err->code;
	rc = vg_req_param_id(req, 0, &id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_tenant_get(tx, vg_req_ctx(req), id, &t, err);
	if (rc)
		return rc;
	/* The UTC date: "active" flips at midnight UTC, not in the tenant's zone. */
	vg_time_format_iso(vg_time_now_ms(), today);
	today[10] = '\0';
	rc = vg_catalog_entitlements(c, &t, today, &body, err);
	vg_tenant_release(&t);
	if (rc)
		return rc;
	return vg_resp_json(req, 200, body);
}
