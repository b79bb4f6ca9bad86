/*
 * watchers.c - who follows a ticket besides its assignee: staff, or users
 * of the ticket's tenant (see tickets.h). Watching is not answering: it is
 * kept out of the ticket's history, which the SLA clocks read.
 */
#include "itsm/itsm_int.h"
#include "itsm/tickets.h"

#include <stdio.h>

#include "core/time.h"

static bool is_customer(const vg_ctx *ctx)
{
	return vg_role_is_customer(ctx->role);
}

/* The tenant of ticket id, in ctx's view. */
static int ticket_tenant(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant, vg_error *err)
{
	int rc = vg_tx_query_int(
		tx, "SELECT tenant_id FROM tickets WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant,
		err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such ticket");
	if (rc)
		*tenant = 0;
	return rc;
}

/* The tenant (0: staff) and name of an enabled user: VG_ENOTFOUND "no such
 * user" for none. */
static int user_of(vg_tx *tx, int64_t user_id, int64_t *tenant, char *name, size_t size,
		   vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT COALESCE(tenant_id, 0), username FROM users WHERE id = ? AND "
			     "disabled = 0",
			     VG_PARAMS(VG_P_INT(user_id)), &r, err);

	*tenant = 0;
	name[0] = '\0';
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*tenant = vg_rows_int(r, 0);
		snprintf(name, size, "%s", vg_rows_text(r, 1));
	}
	vg_rows_free(r);
	if (rc < 0)
		return rc;
	return rc == 1 ? VG_OK : vg_error_set(err, VG_ENOTFOUND, "no such user");
}

int vg_ticket_watch(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t user_id, int64_t *tenant_id,
		    vg_error *err)
{
	char name[VG_CTX_NAME_MAX];
	int64_t theirs;
	int rc = ticket_tenant(tx, ctx, id, tenant_id, err);

	if (rc)
		return rc;
	rc = user_of(tx, user_id, &theirs, name, sizeof(name), err);
	/* Staff, or the ticket's tenant's; a customer does not name staff. */
	if (!rc && (theirs ? theirs != *tenant_id : is_customer(ctx)))
		rc = vg_error_set(err, VG_ENOTFOUND, "no such user");
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"INSERT INTO ticket_watchers (ticket_id, user_id, added_by, added_at) "
			"VALUES (?, ?, ?, ?)",
			VG_PARAMS(VG_P_INT(id), VG_P_INT(user_id), VG_P_TEXT(ctx->username),
				  VG_P_INT(vg_time_now_ms())),
			NULL, err);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "%s watches this ticket already", name);
	return rc;
}

int vg_ticket_unwatch(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t user_id, int64_t *tenant_id,
		      vg_error *err)
{
	int64_t theirs = 0;
	int rc = ticket_tenant(tx, ctx, id, tenant_id, err);

	if (!rc)
		rc = vg_tx_query_int(
			tx,
			"SELECT COALESCE(u.tenant_id, 0) FROM ticket_watchers w JOIN users "
			"u ON u.id = w.user_id WHERE w.ticket_id = ? AND w.user_id = ?",
			VG_PARAMS(VG_P_INT(id), VG_P_INT(user_id)), &theirs, err);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such watcher");
	if (!rc && is_customer(ctx) && theirs != ctx->tenant_id)
		rc = vg_error_set(err, VG_EPERM, "customers remove their own tenant's watchers");
	if (!rc)
		rc = vg_tx_exec(tx,
				"DELETE FROM ticket_watchers WHERE ticket_id = ? AND user_id = ?",
				VG_PARAMS(VG_P_INT(id), VG_P_INT(user_id)), NULL, err);
	return rc;
}

static json_t *watcher_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:s, s:b}", "user_id", (json_int_t)vg_rows_int(r, 0), "username",
			 vg_rows_text(r, 1), "staff", (int)vg_rows_int(r, 2));
}

int vg__ticket_watchers_json(vg_tx *tx, int64_t id, json_t **out, vg_error *err)
{
	int64_t last;

	return vg_tx_query_list(
		tx,
		"SELECT u.id, u.username, u.tenant_id IS NULL FROM ticket_watchers w "
		"JOIN users u ON u.id = w.user_id WHERE w.ticket_id = ? ORDER BY "
		"u.username",
		VG_PARAMS(VG_P_INT(id)), watcher_json, NULL, out, &last, err);
}
