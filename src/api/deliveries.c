/* deliveries.c - /api/v1/deliveries: every notification sent or being sent. */
#include "api/api.h"

#include "notify/queue.h"

/* ?tenant and ?state (pending, sent, failed, cancelled). */
int api_deliveries_list(vg_req *req, vg_error *err)
{
	int64_t tenant, after, last;
	json_t *items;
	vg_tx *tx;
	int limit, rc = vg_req_page(req, &limit, &after, err);

	if (!rc)
		rc = vg_req_tenant_filter(req, &tenant, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_delivery_list_in(tx, vg_req_ctx(req), tenant, vg_req_query(req, "state"),
					 after, limit, &items, &last, err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

int api_deliveries_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_delivery_get, err);
}
