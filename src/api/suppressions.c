/* suppressions.c - /api/v1/suppressions: known noise, silenced for a while. */
#include "api/api.h"

#include "alerts/suppress.h"
#include "core/json.h"
#include "core/time.h"

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "rule_id", VG_JSON_STRING, false },
	{ "source_id", VG_JSON_INTEGER, false },
	{ "group", VG_JSON_OBJECT, false },
	{ "reason", VG_JSON_STRING, true },
	{ "expires_at", VG_JSON_STRING, true },
	{ NULL, 0, false },
};

int api_suppressions_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_suppression_list, err);
}

int api_suppressions_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_suppression_fields in = {
		.tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
		.rule_id = vg_json_str(body, "rule_id"),
		.source_id = json_integer_value(json_object_get(body, "source_id")),
		.group = json_object_get(body, "group"),
		.reason = vg_json_str(body, "reason"),
	};
	int64_t id;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (!rc && vg_time_parse_iso(vg_json_str(body, "expires_at"), &in.expires_at))
		rc = vg_error_set(err, VG_EINVAL, "expires_at must be an ISO 8601 time");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_suppression_create(tx, vg_req_ctx(req), &in, &id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "suppression", id, in.tenant_id);
	vg_req_audit_detail(req, in.reason);
	return api_answer_one(req, tx, vg_suppression_get, id, 201, err);
}

int api_suppressions_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_suppression_get, err);
}

int api_suppressions_delete(vg_req *req, vg_error *err)
{
	return api_delete_one(req, "suppression", vg_suppression_delete, err);
}
