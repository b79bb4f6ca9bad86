/* users.c - /api/v1/users. */
#include "api/api.h"

#include "core/json.h"
#include "identity/user.h"

static const vg_json_field create_fields[] = {
	{ "username", VG_JSON_STRING, true },
	{ "password", VG_JSON_STRING, true },
	{ "role", VG_JSON_STRING, true },
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "display_name", VG_JSON_STRING, false },
	{ "email", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

static const vg_json_field update_fields[] = {
	{ "display_name", VG_JSON_STRING, false },
	{ "email", VG_JSON_STRING, false },
	{ "role", VG_JSON_STRING, false },
	{ "disabled", VG_JSON_BOOL, false },
	{ "password", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

static int parse_role(const char *name, vg_role *out, vg_error *err)
{
	*out = vg_role_parse(name);
	if (*out == VG_ROLE_NONE)
		return vg_error_set(err, VG_EINVAL,
				    "role must be admin, manager, analyst, auditor, customer_admin "
				    "or customer_user");
	return VG_OK;
}

static int answer_user(vg_req *req, vg_tx *tx, int status, int64_t id, vg_error *err)
{
	vg_user u;
	int rc = vg_user_get(tx, vg_req_ctx(req), id, &u, err);

	if (rc)
		return rc;
	vg_req_audit_object(req, "user", u.id, u.tenant_id);
	return vg_resp_json(req, status, vg_user_to_json(&u));
}

int api_users_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_user_list, err);
}

int api_users_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_user_new in;
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, create_fields, err);
	if (rc)
		return rc;
	in = (vg_user_new){ .username = vg_json_str(body, "username"),
			    .password = vg_json_str(body, "password"),
			    .tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
			    .display_name = vg_json_str(body, "display_name"),
			    .email = vg_json_str(body, "email") };
	rc = parse_role(vg_json_str(body, "role"), &in.role, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_user_create(tx, vg_req_ctx(req), &in, &id, err);
	if (!rc)
		rc = answer_user(req, tx, 201, id, err);
	return rc;
}

int api_users_get(vg_req *req, vg_error *err)
{
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_req_param_id(req, 0, &id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = answer_user(req, tx, 200, id, err);
	return rc;
}

int api_users_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	json_t *disabled = json_object_get(body, "disabled");
	vg_user_change change;
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_req_param_id(req, 0, &id, err);
	if (!rc)
		rc = vg_json_check(body, update_fields, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "user", id, 0);
	change = (vg_user_change){ .display_name = vg_json_str(body, "display_name"),
				   .email = vg_json_str(body, "email"),
				   .password = vg_json_str(body, "password"),
				   .role = VG_ROLE_NONE,
				   .disabled = disabled ? json_is_true(disabled) : -1 };
	if (vg_json_str(body, "role"))
		rc = parse_role(vg_json_str(body, "role"), &change.role, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_user_update(tx, vg_req_ctx(req), id, &change, err);
	if (!rc)
		rc = answer_user(req, tx, 200, id, err);
	return rc;
}
