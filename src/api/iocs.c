/* iocs.c - /api/v1/iocs: the indicator lists detection looks for. */
#include "api/api.h"

#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "ops/ioc.h"

#define IOCS_PER_REQUEST 10000

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "type", VG_JSON_STRING, true },
	{ "value", VG_JSON_STRING, false },
	{ "values", VG_JSON_ARRAY, false },
	{ "level", VG_JSON_STRING, false },
	{ "description", VG_JSON_STRING, false },
	{ "source", VG_JSON_STRING, false },
	{ "expires_at", VG_JSON_STRING_OR_NULL, false },
	{ NULL, 0, false },
};

int api_iocs_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_ioc_list, err);
}

/* Adds "value", or each of "values"; answers what was added and which of
 * them were listed already. */
int api_iocs_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req), *values = json_object_get(body, "values");
	json_t *expires = json_object_get(body, "expires_at"), *created, *existing, *one;
	vg_ioc_fields in = {
		.tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
		.type = vg_json_str(body, "type"),
		.level = vg_json_str(body, "level"),
		.description = vg_json_str(body, "description"),
		.source = vg_json_str(body, "source"),
	};
	size_t i, n;
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, create_fields, err);
	if (rc)
		return rc;
	if (!values == !json_object_get(body, "value"))
		return vg_error_set(err, VG_EINVAL, "give value or values");
	n = values ? json_array_size(values) : 1;
	if (n == 0 || n > IOCS_PER_REQUEST)
		return vg_error_set(err, VG_EINVAL, "values holds 1 to %d indicators", IOCS_PER_REQUEST);
	if (json_is_string(expires) && vg_time_parse_iso(json_string_value(expires), &in.expires_at))
		return vg_error_set(err, VG_EINVAL, "expires_at must be an ISO 8601 time");
	rc = vg_req_tx(req, true, &tx, err);
	if (rc)
		return rc;
	created = json_array();
	existing = json_array();
	for (i = 0; i < n && rc == VG_OK; i++) {
		json_t *v = values ? json_array_get(values, i) : json_object_get(body, "value");
		vg_error one_err = { 0 };

		if (!json_is_string(v)) {
			rc = vg_error_set(err, VG_EINVAL, "values[%zu] must be a string", i);
			break;
		}
		in.value = json_string_value(v);
		rc = vg_ioc_create(tx, vg_req_ctx(req), &in, &id, &one_err);
		if (rc == VG_EEXIST) {
			json_array_append(existing, v);
			rc = VG_OK;
			continue;
		}
		if (rc) {
			*err = one_err;
			if (values)
				vg_error_prefix(err, "values[%zu]", i);
			break;
		}
		rc = vg_ioc_get(tx, vg_req_ctx(req), id, &one, err);
		if (rc == VG_OK)
			json_array_append_new(created, one);
	}
	if (rc) {
		json_decref(created);
		json_decref(existing);
		return rc;
	}
	/* The list changed: "iocs:0" is the MSSP's own. */
	vg_req_audit_object(req, "iocs", in.tenant_id, in.tenant_id);
	vg_req_audit_detail(req, json_array_size(created) == 1 ? in.value : "several indicators");
	return vg_resp_json(req, 201, json_pack("{s:o, s:o}", "created", created, "existing",
						existing));
}

int api_iocs_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_ioc_get, err);
}

int api_iocs_delete(vg_req *req, vg_error *err)
{
	return api_delete_one(req, "ioc", vg_ioc_delete, err);
}
