/* assets.c - /api/v1/assets: what alerts named, per tenant (alerts/assets.h). */
#include "api/api.h"

#include "alerts/assets.h"

int api_assets_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_asset_list, err);
}

int api_assets_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_asset_get, err);
}
