/* deliveries.c - /api/v1/deliveries: every notification sent or being sent. */
#include "api/api.h"

#include "notify/queue.h"

int api_deliveries_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_delivery_list, err);
}

int api_deliveries_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_delivery_get, err);
}
