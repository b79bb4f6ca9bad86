/* groups.c - /api/v1/groups: the staff groups tickets are assigned to. */
#include "api/api.h"

#include <stdio.h>

#include "core/json.h"
#include "itsm/groups.h"

static const vg_json_field create_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "description", VG_JSON_STRING, false },
	{ NULL, 0, false },
};
static const vg_json_field member_fields[] = {
	{ "user_id", VG_JSON_INTEGER, true },
	{ NULL, 0, false },
};

int api_groups_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_group_list, err);
}

int api_groups_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_group_get, err);
}

int api_groups_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	int64_t id;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_group_create(tx, vg_req_ctx(req), vg_json_str(body, "name"),
				     vg_json_str(body, "description"), &id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "group", id, 0);
	return api_answer_one(req, tx, vg_group_get, id, 201, err);
}

/* POST /api/v1/groups/{id}/members {"user_id"}: the group with it. */
int api_groups_add_member(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	json_int_t user = json_integer_value(json_object_get(body, "user_id"));
	char detail[32];
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, member_fields, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_group_add_member(tx, vg_req_ctx(req), id, user, err);
	if (rc)
		return rc;
	snprintf(detail, sizeof(detail), "user %lld", (long long)user);
	vg_req_audit_object(req, "group", id, 0);
	vg_req_audit_detail(req, detail);
	return api_answer_one(req, tx, vg_group_get, id, 200, err);
}
