/* worklog.c - work on tickets against the contract's quotas (see worklog.h). */
#include "itsm/worklog.h"

#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "core/utf8.h"
#include "ops/catalog.h"
#include "ops/tenant.h"

#define NOTE_MAX 2000
#define WARN_SHARE 0.8

/* The entitlements of the tenant's contract, as the catalog answers them. */
static int entitlements(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *today,
			vg_tenant *t, json_t **out, vg_error *err)
{
	const vg_catalog *c = vg_catalog_builtin(err);
	int rc;

	*out = NULL;
	if (!c)
		return err->code;
	rc = vg_tenant_get(tx, ctx, tenant_id, t, err);
	if (rc)
		return rc;
	rc = vg_catalog_entitlements(c, t, today, out, err);
	if (rc)
		vg_tenant_release(t);
	return rc;
}

static json_t *item_named(json_t *ent, const char *id)
{
	json_t *items = json_object_get(ent, "items"), *it;
	size_t i;

	json_array_foreach(items, i, it)
		if (id && strcmp(json_string_value(json_object_get(it, "id")), id) == 0)
			return it;
	return NULL;
}

int vg_worklog_add(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *item, int minutes,
		   int64_t worked_at, const char *note, int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	char today[VG_TIME_ISO_LEN];
	json_t *ent;
	vg_tenant t;
	int rc;

	*tenant_id = 0;
	rc = vg_tx_query_int(tx, "SELECT tenant_id FROM tickets WHERE id = ? AND (? = 0 OR "
				 "tenant_id = ?)",
			     VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id),
				       VG_P_INT(ctx->tenant_id)),
			     tenant_id, err);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such ticket");
	if (rc)
		return rc;
	if (ctx->role != VG_ROLE_ADMIN && ctx->role != VG_ROLE_MANAGER &&
	    ctx->role != VG_ROLE_ANALYST)
		return vg_error_set(err, VG_EPERM, "work is logged by the MSSP's staff");
	if (minutes < 1 || minutes > 1440)
		return vg_error_set(err, VG_EINVAL, "minutes must be 1 to 1440");
	if (worked_at && (worked_at > now + 60000 || worked_at < now - 366LL * 86400000))
		return vg_error_set(err, VG_EINVAL,
				    "worked_at must be within the last year, not later than now");
	rc = vg_text_check("note", note, NOTE_MAX, false, err);
	if (rc)
		return rc;
	vg_time_format_iso(now, today);
	today[10] = '\0';
	rc = entitlements(tx, ctx, *tenant_id, today, &t, &ent, err);
	if (rc)
		return rc;
	vg_tenant_release(&t);
	if (!item_named(ent, item))
		rc = vg_error_set(err, VG_EINVAL, "service_item \"%.64s\" is not in the contract",
				  item ? item : "");
	json_decref(ent);
	if (!rc)
		rc = vg_tx_exec(tx,
				"INSERT INTO worklogs (tenant_id, ticket_id, user_id, username, "
				"service_item, minutes, worked_at, note, created_at) VALUES (?, ?, ?, ?, "
				"?, ?, ?, ?, ?)",
				VG_PARAMS(VG_P_INT(*tenant_id), VG_P_INT(id), VG_P_ID_OR_NULL(ctx->user_id),
					  VG_P_TEXT(ctx->username), VG_P_TEXT(item), VG_P_INT(minutes),
					  VG_P_INT(worked_at ? worked_at : now), VG_P_TEXT(note ? note : ""),
					  VG_P_INT(now)),
				NULL, err);
	return rc;
}

/* The contract year holding today: from the contract start's anniversary
 * at or before today, a year long. */
static void contract_year(const char *start, const char *today, int64_t *from, int64_t *until)
{
	int sy, sm, sd, ty, tm, td, y;

	sscanf(start, "%4d-%2d-%2d", &sy, &sm, &sd);
	sscanf(today, "%4d-%2d-%2d", &ty, &tm, &td);
	y = ty - ((tm < sm || (tm == sm && td < sd)) ? 1 : 0);
	if (y < sy)
		y = sy;
	/* 29 February starts its years on 28 February when there is none. */
	if (vg_time_from_civil(y, sm, sd, 0, 0, 0, 0, from))
		vg_time_from_civil(y, sm, sd - 1, 0, 0, 0, 0, from);
	if (vg_time_from_civil(y + 1, sm, sd, 0, 0, 0, 0, until))
		vg_time_from_civil(y + 1, sm, sd - 1, 0, 0, 0, 0, until);
}

static json_t *hours(int64_t minutes)
{
	return json_real((double)(minutes * 100 / 60) / 100.0);
}

int vg_tenant_quotas(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *today,
		     json_t **out, vg_error *err)
{
	char a[VG_TIME_ISO_LEN], b[VG_TIME_ISO_LEN];
	json_t *ent, *items, *it, *list = json_array();
	int64_t from, until;
	vg_tenant t;
	size_t i;
	int rc;

	*out = NULL;
	rc = entitlements(tx, ctx, tenant_id, today, &t, &ent, err);
	if (rc) {
		json_decref(list);
		return rc;
	}
	contract_year(t.contract_start, today, &from, &until);
	vg_tenant_release(&t);
	items = json_object_get(ent, "items");
	json_array_foreach(items, i, it)
	{
		json_int_t quota = json_integer_value(
			json_object_get(json_object_get(it, "quota"), "hours_per_year"));
		int64_t used = 0;

		if (!quota || rc)
			continue;
		rc = vg_tx_query_int(tx,
				     "SELECT COALESCE(SUM(minutes), 0) FROM worklogs WHERE tenant_id = "
				     "? AND service_item = ? AND worked_at >= ? AND worked_at < ?",
				     VG_PARAMS(VG_P_INT(tenant_id),
					       VG_P_TEXT(json_string_value(json_object_get(it, "id"))),
					       VG_P_INT(from), VG_P_INT(until)),
				     &used, err);
		if (!rc)
			json_array_append_new(
				list,
				json_pack("{s:O, s:O, s:O, s:I, s:o, s:o, s:o, s:b}", "id",
					  json_object_get(it, "id"), "name", json_object_get(it, "name"),
					  "name_zh", json_object_get(it, "name_zh"), "quota_hours", quota,
					  "used_hours", hours(used), "remaining_hours",
					  hours(used < quota * 60 ? quota * 60 - used : 0),
					  "over_quota_hours", hours(used > quota * 60 ? used - quota * 60 : 0),
					  "warning", (double)used >= WARN_SHARE * (double)quota * 60));
	}
	json_decref(ent);
	if (rc) {
		json_decref(list);
		return rc;
	}
	vg_time_format_iso(from, a);
	vg_time_format_iso(until, b);
	*out = json_pack("{s:I, s:{s:s, s:s}, s:o}", "tenant_id", (json_int_t)tenant_id,
			 "contract_year", "from", a, "until", b, "items", list);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}
