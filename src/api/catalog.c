/* catalog.c - the service catalog and a tenant's entitlements. */
#include "api/api.h"

#include <string.h>

#include "core/time.h"
#include "ops/catalog.h"

int api_catalog_get(vg_req *req, vg_error *err)
{
	const vg_catalog *c = vg_catalog_builtin(err);

	if (!c)
		return err->code;
	return vg_resp_json(req, 200, vg_catalog_to_json(c));
}

int api_tenants_entitlements(vg_req *req, vg_error *err)
{
	const vg_catalog *c = vg_catalog_builtin(err);
	char today[VG_TIME_ISO_LEN];
	vg_tenant t;
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
	vg_time_format_iso(vg_time_now_ms(), today);
	today[10] = '\0';
	rc = vg_resp_json(req, 200, vg_catalog_entitlements(c, &t, today));
	vg_tenant_release(&t);
	return rc;
}
