/*
 * events.c - GET /api/v1/events: hunting through a tenant's archived
 * events with a Sigma detection as the query (?q=), oldest first.
 */
#include "api/api.h"

#include "core/time.h"
#include "pipeline/pipeline.h"

#define DAY_MS (86400LL * 1000)

int api_events_search(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	int64_t now = vg_time_now_ms();
	vg_hunt h = { .from_ms = now - DAY_MS, .to_ms = now + 1, .query = vg_req_query(req, "q"),
		      .cursor = vg_req_query(req, "cursor") };
	json_t *page;
	int rc;

	if (!app->pipeline)
		return vg_error_set(err, VG_EFAIL, "this server runs no detection pipeline");
	rc = vg_req_limit(req, &h.limit, err);
	if (!rc)
		rc = vg_req_tenant_filter(req, &h.tenant_id, err);
	if (!rc && !h.tenant_id)
		h.tenant_id = vg_req_ctx(req)->tenant_id;
	if (!rc && !h.tenant_id)
		rc = vg_error_set(err, VG_EINVAL, "name the tenant: ?tenant=ID");
	if (!rc)
		rc = vg_req_query_time(req, "from", &h.from_ms, err);
	if (!rc)
		rc = vg_req_query_time(req, "to", &h.to_ms, err);
	if (!rc && h.to_ms <= h.from_ms)
		rc = vg_error_set(err, VG_EINVAL, "to must be after from");
	if (!rc)
		rc = vg_req_query_id(req, "source", &h.source_id, err);
	if (!rc)
		rc = vg_pipeline_hunt(app->pipeline, vg_req_ctx(req), &h, &page, err);
	if (rc)
		return rc;
	return vg_resp_json(req, 200, page);
}
