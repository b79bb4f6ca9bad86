/* alerts.c - /api/v1/alerts: what detection found, newest first. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"

/* ?min_severity= as 1-5 or a name (low, high, ...). */
static int read_severity(const vg_req *req, int *out, vg_error *err)
{
	static const char *const names[] = { "informational", "low", "medium", "high", "critical" };
	const char *v = vg_req_query(req, "min_severity");
	int i;

	*out = 0;
	if (!v)
		return VG_OK;
	for (i = 0; i < 5; i++)
		if (strcmp(v, names[i]) == 0 || (v[0] == '1' + i && !v[1])) {
			*out = i + 1;
			return VG_OK;
		}
	return vg_error_set(err, VG_EINVAL,
			    "min_severity must be 1-5 or informational, low, medium, high, critical");
}

int api_alerts_list(vg_req *req, vg_error *err)
{
	vg_alert_filter f = { .status = vg_req_query(req, "status"),
			      .rule_id = vg_req_query(req, "rule") };
	int64_t before, last;
	json_t *items;
	vg_tx *tx;
	int limit, rc;

	rc = vg_req_page(req, &limit, &before, err);
	if (!rc)
		rc = vg_req_tenant_filter(req, &f.tenant_id, err);
	if (!rc)
		rc = vg_req_query_id(req, "source", &f.source_id, err);
	if (!rc)
		rc = vg_req_query_time(req, "since", &f.since_ms, err);
	if (!rc)
		rc = vg_req_query_time(req, "until", &f.until_ms, err);
	if (!rc)
		rc = read_severity(req, &f.min_severity, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_alert_list(tx, vg_req_ctx(req), &f, before, limit, &items, &last, err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

int api_alerts_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_alert_get, err);
}
