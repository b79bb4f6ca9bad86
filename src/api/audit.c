/* audit.c - /api/v1/audit: reading the audit trail (never changing it). */
#include "api/api.h"

#include "audit/audit.h"

int api_audit_list(vg_req *req, vg_error *err)
{
	vg_audit_filter filter = { .actor = vg_req_query(req, "actor"),
				   .action = vg_req_query(req, "action") };
	int64_t last;
	json_t *items;
	vg_tx *tx;
	int rc;

	rc = vg_req_page(req, &filter.limit, &filter.before_id, err);
	if (!rc)
		rc = vg_req_tenant_filter(req, &filter.tenant_id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_audit_list(tx, vg_req_ctx(req), &filter, &items, &last, err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == filter.limit ? last : 0);
}
