/* worklog.c - work on tickets against the contract's quotas (see worklog.h). */
#include "itsm/worklog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
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

/* Minutes logged on service item of tenant in [from, until). */
static int used_minutes(vg_tx *tx, int64_t tenant, const char *item, int64_t from, int64_t until,
			int64_t *used, vg_error *err)
{
	return vg_tx_query_int(tx,
			       "SELECT COALESCE(SUM(minutes), 0) FROM worklogs WHERE tenant_id = ? "
			       "AND service_item = ? AND worked_at >= ? AND worked_at < ?",
			       VG_PARAMS(VG_P_INT(tenant), VG_P_TEXT(item), VG_P_INT(from),
					 VG_P_INT(until)),
			       used, err);
}

/*
 * The ticket events of a quota passing its warning share or running out,
 * raised by the work log (of minutes, at at, on ticket) that passed it: the
 * sums only grow, so each is passed once a contract year. The event names
 * the ticket whose work passed it; a ticket that passes the same mark in
 * two contract years keeps the first event (the key is the ticket's).
 */
static int quota_events(vg_tx *tx, int64_t tenant, int64_t ticket, const json_t *it,
			json_int_t quota_hours, const char *contract_start, int64_t at, int minutes,
			int64_t now, vg_error *err)
{
	static const struct {
		const char *kind;
		double share;
	} marks[] = { { "quota_warning", WARN_SHARE }, { "quota_exceeded", 1.0 } };
	const char *item = json_string_value(json_object_get(it, "id"));
	char day[VG_TIME_ISO_LEN], from_iso[VG_TIME_ISO_LEN];
	int64_t from, until, after;
	double quota = (double)quota_hours * 60;
	int rc;

	vg_time_format_iso(at, day);
	day[10] = '\0';
	contract_year(contract_start, day, &from, &until);
	vg_time_format_iso(from, from_iso);
	from_iso[10] = '\0';
	rc = used_minutes(tx, tenant, item, from, until, &after, err);
	for (size_t i = 0; !rc && i < sizeof(marks) / sizeof(marks[0]); i++) {
		double mark = marks[i].share * quota;
		char text[512], *detail;
		json_t *o;

		if ((double)(after - minutes) >= mark || (double)after < mark)
			continue;
		snprintf(text, sizeof(text),
			 "%s: %.2f of %lld hours used in the contract year from %s (%d%%)",
			 json_string_value(json_object_get(it, "name")), (double)after / 60.0,
			 (long long)quota_hours, from_iso, (int)((double)after * 100 / quota));
		o = json_pack("{s:s, s:s, s:I, s:f, s:s}", "text", text, "service_item", item,
			      "quota_hours", quota_hours, "used_hours", (double)after / 60.0,
			      "contract_year_from", from_iso);
		detail = o ? vg_json_dump(o) : NULL;
		json_decref(o);
		rc = detail ? vg_tx_exec(tx,
					 "INSERT INTO ticket_events (tenant_id, ticket_id, kind, at, "
					 "detail) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
					 VG_PARAMS(VG_P_INT(tenant), VG_P_INT(ticket),
						   VG_P_TEXT(marks[i].kind), VG_P_INT(now),
						   VG_P_TEXT(detail)),
					 NULL, err)
			    : vg_error_set(err, VG_ENOMEM, "out of memory");
		free(detail);
	}
	return rc;
}

int vg_worklog_add(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *item, int minutes,
		   int64_t worked_at, const char *note, int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	char today[VG_TIME_ISO_LEN];
	json_t *ent, *it;
	json_int_t quota;
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
	if (!(it = item_named(ent, item)))
		rc = vg_error_set(err, VG_EINVAL, "service_item \"%.64s\" is not in the contract",
				  item ? item : "");
	quota = json_integer_value(json_object_get(json_object_get(it, "quota"), "hours_per_year"));
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
	if (!rc && quota)
		rc = quota_events(tx, *tenant_id, id, it, quota, t.contract_start,
				  worked_at ? worked_at : now, minutes, now, err);
	json_decref(ent);
	vg_tenant_release(&t);
	return rc;
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
		rc = used_minutes(tx, tenant_id, json_string_value(json_object_get(it, "id")), from,
				  until, &used, err);
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
