/*
 * read_one.c - GET and DELETE of one resource by the id in its path.
 */
#include "api/api.h"

int api_answer_one(vg_req *req, vg_tx *tx, api_read_fn read, int64_t id, int status,
		   vg_error *err)
{
	json_t *object;
	int rc = read(tx, vg_req_ctx(req), id, &object, err);

	return rc ? rc : vg_resp_json(req, status, object);
}

int api_read_one(vg_req *req, api_read_fn read, vg_error *err)
{
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	return rc ? rc : api_answer_one(req, tx, read, id, 200, err);
}

int api_delete_one(vg_req *req, const char *kind, api_delete_fn remove, vg_error *err)
{
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = remove(tx, vg_req_ctx(req), id, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, kind, id, tenant);
	return vg_resp_empty(req, 204);
}
