/* triage.c - the alert queue's workflow (see triage.h). */
#include "alerts/triage.h"

#include <string.h>

#include "alerts/alerts.h"
#include "core/time.h"
#include "core/utf8.h"
#include "ops/staff.h"

#define TEXT_MAX 10000

static const char *const action_names[] = {
	[VG_TRIAGE_ACKNOWLEDGE] = "acknowledge", [VG_TRIAGE_ASSIGN] = "assign",
	[VG_TRIAGE_COMMENT] = "comment",         [VG_TRIAGE_CLOSE] = "close",
	[VG_TRIAGE_REOPEN] = "reopen",
};

int vg_triage_action_parse(const char *name, enum vg_triage_action *out, vg_error *err)
{
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
		if (name && strcmp(name, action_names[i]) == 0) {
			*out = (enum vg_triage_action)i;
			return VG_OK;
		}
	}
	return vg_error_set(err, VG_EINVAL,
			    "action must be acknowledge, assign, comment, close or reopen");
}

static bool valid_disposition(const char *d)
{
	static const char *const names[] = { "true_positive", "false_positive", "benign",
					     "duplicate" };

	for (size_t i = 0; d && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(d, names[i]) == 0)
			return true;
	return false;
}

static int log_activity(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t tenant_id,
			enum vg_triage_action action, const char *detail, int64_t now,
			vg_error *err)
{
	return vg_tx_exec(tx,
			  "INSERT INTO alert_activity (alert_id, tenant_id, at, user_id, username, "
			  "action, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
			  VG_PARAMS(VG_P_INT(id), VG_P_INT(tenant_id), VG_P_INT(now),
				    VG_P_ID_OR_NULL(ctx->user_id), VG_P_TEXT(ctx->username),
				    VG_P_TEXT(action_names[action]), VG_P_TEXT(detail ? detail : "")),
			  NULL, err);
}

int vg_alert_triage(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_triage *t,
		    int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	char status[16] = "", who[256] = "", detail[512];
	const char *what = detail;
	vg_rows *r;
	int rc;

	*tenant_id = 0;
	rc = vg_tx_query(tx,
			 "SELECT tenant_id, status FROM alerts WHERE id = ? AND (? = 0 OR tenant_id = ?)",
			 VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
			 &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*tenant_id = vg_rows_int(r, 0);
		snprintf(status, sizeof(status), "%s", vg_rows_text(r, 1));
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such alert");
	}
	vg_rows_free(r);
	if (rc)
		return rc;
	detail[0] = '\0';
	switch (t->action) {
	case VG_TRIAGE_ACKNOWLEDGE:
		if (strcmp(status, "open") != 0)
			return vg_error_set(err, VG_ECONFLICT, "the alert is %s, not open", status);
		rc = vg_tx_exec(tx,
				"UPDATE alerts SET status = 'acknowledged', acknowledged_at = "
				"COALESCE(acknowledged_at, ?), updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_INT(now), VG_P_INT(now), VG_P_INT(id)), NULL, err);
		break;
	case VG_TRIAGE_ASSIGN:
		if (t->assignee_id) {
			rc = vg_staff_name(tx, t->assignee_id, who, sizeof(who), err);
			snprintf(detail, sizeof(detail), "to %s", who);
		} else {
			snprintf(detail, sizeof(detail), "unassigned");
		}
		if (!rc)
			rc = vg_tx_exec(tx, "UPDATE alerts SET assignee_id = ?, updated_at = ? WHERE id = ?",
					VG_PARAMS(VG_P_ID_OR_NULL(t->assignee_id), VG_P_INT(now),
						  VG_P_INT(id)),
					NULL, err);
		break;
	case VG_TRIAGE_COMMENT:
		rc = vg_text_check("a comment", t->text, TEXT_MAX, true, err);
		what = t->text;
		break;
	case VG_TRIAGE_CLOSE:
		if (!valid_disposition(t->disposition))
			return vg_error_set(err, VG_EINVAL,
					    "disposition must be true_positive, false_positive, benign "
					    "or duplicate");
		if (strcmp(status, "closed") == 0)
			return vg_error_set(err, VG_ECONFLICT, "the alert is closed already");
		rc = vg_text_check("the reason", t->text, TEXT_MAX, false, err);
		snprintf(detail, sizeof(detail), "%s%s%.400s", t->disposition, t->text ? ": " : "",
			 t->text ? t->text : "");
		if (!rc)
			rc = vg_tx_exec(tx,
					"UPDATE alerts SET status = 'closed', closed_at = ?, "
					"disposition = ?, close_reason = ?, updated_at = ? WHERE id = ?",
					VG_PARAMS(VG_P_INT(now), VG_P_TEXT(t->disposition),
						  VG_P_TEXT_OR_NULL(t->text), VG_P_INT(now), VG_P_INT(id)),
					NULL, err);
		break;
	case VG_TRIAGE_REOPEN:
		if (strcmp(status, "closed") != 0)
			return vg_error_set(err, VG_ECONFLICT, "the alert is %s, not closed", status);
		rc = vg_text_check("the reason", t->text, TEXT_MAX, false, err);
		what = t->text;
		/* Back to where it was before the close: acknowledged if it had been. */
		if (!rc)
			rc = vg_tx_exec(tx,
					"UPDATE alerts SET status = CASE WHEN acknowledged_at IS NULL "
					"THEN 'open' ELSE 'acknowledged' END, closed_at = NULL, "
					"disposition = NULL, close_reason = NULL, updated_at = ? WHERE id = ?",
					VG_PARAMS(VG_P_INT(now), VG_P_INT(id)), NULL, err);
		break;
	default:
		return vg_error_set(err, VG_EINVAL, "unknown triage action");
	}
	if (!rc)
		rc = log_activity(tx, ctx, id, *tenant_id, t->action, what, now, err);
	return rc;
}

static json_t *activity_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:o, s:s, s:s, s:s}", "at", vg_rows_json_time(r, 1), "user",
			 vg_rows_text(r, 2), "action", vg_rows_text(r, 3), "detail",
			 vg_rows_text(r, 4));
}

int vg_alert_activity(vg_tx *tx, int64_t id, json_t **out, vg_error *err)
{
	int64_t last;

	return vg_tx_query_list(tx,
				"SELECT id, at, username, action, detail FROM alert_activity WHERE "
				"alert_id = ? ORDER BY id",
				VG_PARAMS(VG_P_INT(id)), activity_json, NULL, out, &last, err);
}

static json_t *mean_or_null(vg_rows *r, int col)
{
	return vg_rows_is_null(r, col) ? json_null() : json_integer(vg_rows_int(r, col));
}

static json_t *metrics_json(vg_rows *r, void *unused)
{
	int sev = (int)vg_rows_int(r, 1);

	(void)unused;
	return json_pack("{s:I, s:I, s:s, s:I, s:I, s:o, s:I, s:o}", "tenant_id",
			 (json_int_t)vg_rows_int(r, 0), "severity_id", (json_int_t)sev, "severity",
			 vg_alert_severity_name(sev), "alerts", (json_int_t)vg_rows_int(r, 2),
			 "acknowledged", (json_int_t)vg_rows_int(r, 3), "mtta_seconds",
			 mean_or_null(r, 4), "closed", (json_int_t)vg_rows_int(r, 5),
			 "mttc_seconds", mean_or_null(r, 6));
}

int vg_alert_metrics(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t since_ms,
		     int64_t until_ms, json_t **out, vg_error *err)
{
	int64_t last;

	*out = NULL;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	/* Means in whole seconds, rounded; the first column is the tenant, so
	 * the list helper's "last id" is meaningless here and ignored. */
	return vg_tx_query_list(
		tx,
		"SELECT tenant_id, severity_id, COUNT(*), COUNT(acknowledged_at), "
		"CAST(ROUND(AVG(acknowledged_at - created_at) / 1000.0) AS INTEGER), "
		"COUNT(closed_at), CAST(ROUND(AVG(closed_at - created_at) / 1000.0) AS INTEGER) "
		"FROM alerts WHERE (? = 0 OR tenant_id = ?) AND (? = 0 OR tenant_id = ?) "
		"AND (? = 0 OR created_at >= ?) AND (? = 0 OR created_at < ?) "
		"GROUP BY tenant_id, severity_id ORDER BY tenant_id, severity_id DESC",
		VG_PARAMS(VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id), VG_P_INT(tenant_id),
			  VG_P_INT(tenant_id), VG_P_INT(since_ms), VG_P_INT(since_ms),
			  VG_P_INT(until_ms), VG_P_INT(until_ms)),
		metrics_json, NULL, out, &last, err);
}
