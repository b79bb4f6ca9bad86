/* system.c - health and metrics. */
#include "api/api.h"

#include "http/metrics.h"

int api_health(vg_req *req, vg_error *err)
{
	int64_t one = 0;
	vg_tx *tx;
	int rc;

	rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_tx_query_int(tx, "SELECT 1", VG_NO_PARAMS, &one, err);
	if (rc || one != 1)
		return vg_resp_json(req, 503, json_pack("{s:s, s:s, s:s}", "status", "degraded",
							"store", "error", "version", VIGIL_VERSION));
	return vg_resp_json(req, 200, json_pack("{s:s, s:s, s:s}", "status", "ok", "store", "ok",
						"version", VIGIL_VERSION));
}

int api_metrics(vg_req *req, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(1 << 20);
	int rc = vg_metrics_render(&text);

	if (rc) {
		vg_buf_release(&text);
		return vg_error_set(err, rc, "cannot render metrics");
	}
	rc = vg_resp_raw(req, 200, "text/plain; version=0.0.4; charset=utf-8", vg_buf_cstr(&text),
			 text.len);
	vg_buf_release(&text);
	return rc;
}
