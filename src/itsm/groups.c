/* groups.c - staff groups and their members (see groups.h). */
#include "itsm/groups.h"

#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "core/utf8.h"
#include "ops/staff.h"

#define DESCRIPTION_MAX 2000

bool vg_group_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > VG_GROUP_NAME_MAX ||
	    !strchr("abcdefghijklmnopqrstuvwxyz0123456789", name[0]))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

int vg_group_create(vg_tx *tx, const vg_ctx *ctx, const char *name, const char *description,
		    int64_t *id, vg_error *err)
{
	int rc;

	*id = 0;
	if (vg_role_is_customer(ctx->role))
		return vg_error_set(err, VG_EPERM, "groups are the MSSP's");
	if (!vg_group_name_valid(name))
		return vg_error_set(
			err, VG_EINVAL,
			"name must be 1 to %d lowercase letters, digits, '-', '_' or '.'",
			VG_GROUP_NAME_MAX);
	rc = vg_text_check("description", description, DESCRIPTION_MAX, false, err);
	if (!rc)
		rc = vg_tx_query_int(
			tx,
			"INSERT INTO groups (name, description, created_at) VALUES (?, ?, "
			"?) RETURNING id",
			VG_PARAMS(VG_P_TEXT(name), VG_P_TEXT(description ? description : ""),
				  VG_P_INT(vg_time_now_ms())),
			id, err);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "group name \"%s\" is taken", name);
	if (rc)
		*id = 0;
	return rc;
}

static json_t *member_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:s}", "id", (json_int_t)vg_rows_int(r, 0), "username",
			 vg_rows_text(r, 1));
}

static json_t *group_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)vg_rows_int(r, 0), "name",
			 vg_rows_text(r, 1), "description", vg_rows_text(r, 2), "created_at",
			 vg_rows_json_time(r, 3));
}

/* Adds group g's "members", in username order. */
static int with_members(vg_tx *tx, json_t *g, vg_error *err)
{
	json_t *members;
	int64_t last;
	int rc = vg_tx_query_list(
		tx,
		"SELECT u.id, u.username FROM group_members m JOIN users u ON u.id = "
		"m.user_id WHERE m.group_id = ? ORDER BY u.username",
		VG_PARAMS(VG_P_INT(json_integer_value(json_object_get(g, "id")))), member_json,
		NULL, &members, &last, err);

	if (!rc)
		json_object_set_new(g, "members", members);
	return rc;
}

int vg_group_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	int rc;

	*out = NULL;
	if (vg_role_is_customer(ctx->role))
		return vg_error_set(err, VG_ENOTFOUND, "no such group");
	rc = vg_tx_query_object(tx,
				"SELECT id, name, description, created_at FROM groups WHERE id = ?",
				VG_PARAMS(VG_P_INT(id)), group_json, NULL, "group", out, err);
	if (!rc)
		rc = with_members(tx, *out, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int vg_group_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		  json_t **items, int64_t *last_id, vg_error *err)
{
	json_t *g;
	size_t i;
	int rc;

	*items = NULL;
	*last_id = 0;
	if (vg_role_is_customer(ctx->role) || (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id)))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	rc = vg_tx_query_list(tx,
			      "SELECT id, name, description, created_at FROM groups WHERE id > ? "
			      "ORDER BY id LIMIT ?",
			      VG_PARAMS(VG_P_INT(after_id), VG_P_INT(limit)), group_json, NULL,
			      items, last_id, err);
	json_array_foreach(*items, i, g)
	{
		if (rc)
			break;
		rc = with_members(tx, g, err);
	}
	if (rc) {
		json_decref(*items);
		*items = NULL;
		*last_id = 0;
	}
	return rc;
}

int vg_group_name(vg_tx *tx, int64_t id, char *name, size_t size, vg_error *err)
{
	int rc = vg_tx_query_text(tx, "SELECT name FROM groups WHERE id = ?",
				  VG_PARAMS(VG_P_INT(id)), name, size, err);

	return rc == VG_ENOTFOUND ? vg_error_set(err, VG_ENOTFOUND, "no such group") : rc;
}

int vg_group_add_member(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t user_id, vg_error *err)
{
	char group[VG_GROUP_NAME_MAX + 1], user[256];
	int rc;

	if (vg_role_is_customer(ctx->role))
		return vg_error_set(err, VG_EPERM, "groups are the MSSP's");
	rc = vg_group_name(tx, id, group, sizeof(group), err);
	if (!rc)
		rc = vg_staff_name(tx, user_id, user, sizeof(user), err);
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"INSERT INTO group_members (group_id, user_id, added_at) VALUES (?, ?, ?)",
			VG_PARAMS(VG_P_INT(id), VG_P_INT(user_id), VG_P_INT(vg_time_now_ms())),
			NULL, err);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "%s is a member of %s already", user, group);
	return rc;
}

int vg_group_find(vg_tx *tx, const char *name, int64_t *id, vg_error *err)
{
	int rc = vg_tx_query_int(tx, "SELECT id FROM groups WHERE name = ?",
				 VG_PARAMS(VG_P_TEXT(name)), id, err);

	if (rc == VG_ENOTFOUND) {
		*id = 0;
		return VG_OK;
	}
	if (rc)
		*id = 0;
	return rc;
}

int vg_group_has_member(vg_tx *tx, int64_t id, int64_t user_id, bool *member, vg_error *err)
{
	int64_t n = 0;
	int rc = vg_tx_query_int(
		tx, "SELECT COUNT(*) FROM group_members WHERE group_id = ? AND user_id = ?",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(user_id)), &n, err);

	*member = rc == VG_OK && n > 0;
	return rc;
}
