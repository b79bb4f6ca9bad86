/* tenants.c - /api/v1/tenants: list, create, read and change tenants. The
 * store (ops/tenant.h) validates and scopes; this file maps JSON to it. */
#include "api/api.h"

#include "core/json.h"
#include "itsm/sla.h"
#include "ops/tenant.h"

/* POST needs the contract; PATCH takes any subset. */
static const vg_json_field create_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "edition", VG_JSON_STRING, true },
	{ "contract_start", VG_JSON_STRING, true },
	{ "contract_end", VG_JSON_STRING, true },
	{ "timezone", VG_JSON_STRING, false },
	{ "contacts", VG_JSON_ARRAY, false },
	{ "retention_days", VG_JSON_INTEGER, false },
	{ "sla_policy", VG_JSON_STRING_OR_NULL, false },
	{ "report_language", VG_JSON_STRING, false },
	{ NULL, 0, false },
};
static const vg_json_field update_fields[] = {
	{ "name", VG_JSON_STRING, false },
	{ "edition", VG_JSON_STRING, false },
	{ "contract_start", VG_JSON_STRING, false },
	{ "contract_end", VG_JSON_STRING, false },
	{ "timezone", VG_JSON_STRING, false },
	{ "contacts", VG_JSON_ARRAY, false },
	{ "retention_days", VG_JSON_INTEGER, false },
	{ "sla_policy", VG_JSON_STRING_OR_NULL, false },
	{ "report_language", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

/* An out-of-range number becomes -1, so validation names it. */
static int retention_of(const json_t *body)
{
	json_t *v = json_object_get(body, "retention_days");
	json_int_t n = json_integer_value(v);

	if (!v)
		return 0;
	return n >= 1 && n <= 3650 ? (int)n : -1;
}

/* The policy named, "" for null (the edition's), NULL when absent. */
static const char *sla_policy_of(const json_t *body)
{
	json_t *v = json_object_get(body, "sla_policy");

	return !v ? NULL : json_is_null(v) ? "" : json_string_value(v);
}

static vg_tenant_fields fields_of(const json_t *body)
{
	return (vg_tenant_fields){ .name = vg_json_str(body, "name"),
				   .edition = vg_json_str(body, "edition"),
				   .contract_start = vg_json_str(body, "contract_start"),
				   .contract_end = vg_json_str(body, "contract_end"),
				   .timezone = vg_json_str(body, "timezone"),
				   .contacts = json_object_get(body, "contacts"),
				   .retention_days = retention_of(body),
				   .sla_policy = sla_policy_of(body),
				   .report_language = vg_json_str(body, "report_language") };
}

/* sla_policy names a policy of content/sla.yaml (null: back to the
 * edition's); ops/tenant.c sits below the SLA engine, so it is checked
 * here. */
static int check_sla_policy(const vg_tenant_fields *in, vg_error *err)
{
	return in->sla_policy && *in->sla_policy ? vg_sla_policy_check(in->sla_policy, err) : VG_OK;
}

/* Answers status with tenant id as the caller sees it. */
static int answer_tenant(vg_req *req, vg_tx *tx, int status, int64_t id, vg_error *err)
{
	vg_tenant t;
	json_t *body;
	int rc;

	rc = vg_tenant_get(tx, vg_req_ctx(req), id, &t, err);
	if (rc)
		return rc;
	body = vg_tenant_to_json(&t);
	vg_tenant_release(&t);
	if (!body)
		return vg_error_set(err, VG_ENOMEM, "out of memory answering tenant %lld",
				    (long long)id);
	return vg_resp_json(req, status, body);
}

int api_tenants_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_tenant_list, err);
}

int api_tenants_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_tenant_fields in;
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, create_fields, err);
	if (rc)
		return rc;
	in = fields_of(body);
	rc = check_sla_policy(&in, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_tenant_create(tx, vg_req_ctx(req), &in, &id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "tenant", id, id);
	return answer_tenant(req, tx, 201, id, err);
}

int api_tenants_get(vg_req *req, vg_error *err)
{
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_req_param_id(req, 0, &id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (rc)
		return rc;
	return answer_tenant(req, tx, 200, id, err);
}

int api_tenants_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_tenant_fields in;
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_req_param_id(req, 0, &id, err);
	if (!rc)
		rc = vg_json_check(body, update_fields, err);
	if (rc)
		return rc;
	/* Named before the change so a refused update is audited against it. */
	vg_req_audit_object(req, "tenant", id, id);
	in = fields_of(body);
	rc = check_sla_policy(&in, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_tenant_update(tx, vg_req_ctx(req), id, &in, err);
	if (rc)
		return rc;
	return answer_tenant(req, tx, 200, id, err);
}
