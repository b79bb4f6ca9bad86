/* tokens.c - /api/v1/tokens. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>

#include "core/json.h"
#include "identity/token.h"

static const vg_json_field create_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "scopes", VG_JSON_ARRAY, true },
	{ "expires_in_days", VG_JSON_INTEGER, false },
	{ "user_id", VG_JSON_INTEGER, false },
	{ NULL, 0, false },
};

int api_tokens_list(vg_req *req, vg_error *err)
{
	const char *user = vg_req_query(req, "user");
	int64_t tenant, after, last, user_id = 0;
	json_t *items;
	vg_tx *tx;
	int limit, rc;

	if (user) {
		char *end;

		errno = 0;
		user_id = strtoll(user, &end, 10);
		if (*end || errno || user_id <= 0)
			return vg_error_set(err, VG_EINVAL, "user must be a user id");
	}
	rc = vg_req_page(req, &limit, &after, err);
	if (!rc)
		rc = vg_req_tenant_filter(req, &tenant, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_token_list(tx, vg_req_ctx(req), tenant, user_id, after, limit, &items, &last,
				   err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

int api_tokens_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	json_t *days = json_object_get(body, "expires_in_days");
	json_t *scope, *token;
	vg_token_new in;
	vg_tx *tx;
	size_t i;
	int rc;

	rc = vg_json_check(body, create_fields, err);
	if (rc)
		return rc;
	in = (vg_token_new){ .name = vg_json_str(body, "name"),
			     .user_id = json_integer_value(json_object_get(body, "user_id")) };
	if (days) {
		if (json_integer_value(days) < 1 || json_integer_value(days) > 3650)
			return vg_error_set(err, VG_EINVAL, "expires_in_days must be from 1 to 3650");
		in.expires_in_days = (int)json_integer_value(days);
	}
	json_array_foreach(json_object_get(body, "scopes"), i, scope) {
		unsigned bits;

		if (!json_is_string(scope))
			return vg_error_set(err, VG_EINVAL, "scopes must be strings");
		rc = vg_token_scopes_parse(json_string_value(scope), &bits, err);
		if (rc)
			return rc;
		in.scopes |= bits;
	}
	if (!in.scopes)
		return vg_error_set(err, VG_EINVAL, "a token needs at least one scope");
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_token_create(tx, vg_req_ctx(req), &in, &token, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "token", json_integer_value(json_object_get(token, "id")),
			    json_integer_value(json_object_get(token, "tenant_id")));
	return vg_resp_json(req, 201, token);
}

int api_tokens_revoke(vg_req *req, vg_error *err)
{
	int64_t id;
	vg_tx *tx;
	int rc;

	rc = vg_req_param_id(req, 0, &id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "token", id, 0);
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_token_revoke(tx, vg_req_ctx(req), id, err);
	if (!rc)
		rc = vg_resp_empty(req, 204);
	return rc;
}
