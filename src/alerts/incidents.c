/* incidents.c - security incidents and their phases (see incidents.h). */
#include "alerts/incidents.h"

#include <string.h>

#include "alerts/alerts.h"
#include "core/time.h"
#include "core/utf8.h"

#define TEXT_MAX 10000
#define TITLE_MAX 300

static const char *const categories[] = { "ransomware", "backdoor",  "cryptomining",
					  "webshell",   "brute_force", "data_leak",
					  "ddos_cc",    "other" };
static const char *const phases[] = { "detection", "containment", "eradication", "recovery",
				      "post_incident" };
#define NPHASES (sizeof(phases) / sizeof(phases[0]))

static int index_of(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static int log_step(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *action,
		    const char *phase, const char *detail, int64_t now, vg_error *err)
{
	return vg_tx_exec(tx,
			  "INSERT INTO security_incident_activity (incident_id, at, username, action, "
			  "phase, detail) VALUES (?, ?, ?, ?, ?, ?)",
			  VG_PARAMS(VG_P_INT(id), VG_P_INT(now), VG_P_TEXT(ctx->username),
				    VG_P_TEXT(action), VG_P_TEXT(phase),
				    VG_P_TEXT(detail ? detail : "")),
			  NULL, err);
}

/* Joins the alerts to incident id (all of tenant_id's, in no incident yet),
 * acknowledging those still open. *highest gets their highest severity. */
static int link_alerts(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t tenant_id,
		       const int64_t *alerts, size_t n, int *highest, int64_t now, vg_error *err)
{
	int rc = VG_OK;

	*highest = 0;
	if (n == 0 || n > VG_INCIDENT_ALERTS_MAX)
		return vg_error_set(err, VG_EINVAL, "alert_ids holds 1 to %d alerts",
				    VG_INCIDENT_ALERTS_MAX);
	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		int64_t owner, severity, other;
		char detail[64];

		rc = vg_tx_query_int(tx,
				     "SELECT tenant_id FROM alerts WHERE id = ? AND (? = 0 OR "
				     "tenant_id = ?)",
				     VG_PARAMS(VG_P_INT(alerts[i]), VG_P_INT(ctx->tenant_id),
					       VG_P_INT(ctx->tenant_id)),
				     &owner, err);
		if (rc == VG_ENOTFOUND)
			return vg_error_set(err, VG_ENOTFOUND, "no such alert %lld",
					    (long long)alerts[i]);
		if (rc)
			return rc;
		if (owner != tenant_id)
			return vg_error_set(err, VG_EINVAL,
					    "alert %lld is another tenant's: an incident is one "
					    "tenant's",
					    (long long)alerts[i]);
		rc = vg_tx_query_int(tx,
				     "SELECT incident_id FROM security_incident_alerts WHERE alert_id = ?",
				     VG_PARAMS(VG_P_INT(alerts[i])), &other, err);
		if (rc == VG_OK)
			return vg_error_set(err, VG_ECONFLICT, "alert %lld is in incident %lld already",
					    (long long)alerts[i], (long long)other);
		if (rc != VG_ENOTFOUND)
			return rc;
		rc = vg_tx_exec(tx,
				"INSERT INTO security_incident_alerts (incident_id, alert_id) VALUES (?, ?)",
				VG_PARAMS(VG_P_INT(id), VG_P_INT(alerts[i])), NULL, err);
		if (!rc)
			rc = vg_tx_exec(tx,
					"UPDATE alerts SET status = CASE WHEN status = 'open' THEN "
					"'acknowledged' ELSE status END, acknowledged_at = "
					"COALESCE(acknowledged_at, ?), updated_at = ? WHERE id = ?",
					VG_PARAMS(VG_P_INT(now), VG_P_INT(now), VG_P_INT(alerts[i])),
					NULL, err);
		snprintf(detail, sizeof(detail), "to incident %lld", (long long)id);
		if (!rc)
			rc = vg_tx_exec(tx,
					"INSERT INTO alert_activity (alert_id, tenant_id, at, user_id, "
					"username, action, detail) VALUES (?, ?, ?, ?, ?, 'escalate', ?)",
					VG_PARAMS(VG_P_INT(alerts[i]), VG_P_INT(tenant_id), VG_P_INT(now),
						  VG_P_ID_OR_NULL(ctx->user_id), VG_P_TEXT(ctx->username),
						  VG_P_TEXT(detail)),
					NULL, err);
		if (!rc)
			rc = vg_tx_query_int(tx, "SELECT severity_id FROM alerts WHERE id = ?",
					     VG_PARAMS(VG_P_INT(alerts[i])), &severity, err);
		if (!rc && severity > *highest)
			*highest = (int)severity;
	}
	return rc;
}

int vg_incident_create(vg_tx *tx, const vg_ctx *ctx, const vg_incident_fields *in,
		       int64_t *id_out, int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	int highest, rc;

	*id_out = *tenant_id = 0;
	rc = vg_text_check("title", in->title, TITLE_MAX, true, err);
	if (!rc)
		rc = vg_text_check("note", in->note, TEXT_MAX, false, err);
	if (rc)
		return rc;
	if (index_of(categories, sizeof(categories) / sizeof(categories[0]), in->category) < 0)
		return vg_error_set(err, VG_EINVAL,
				    "category must be ransomware, backdoor, cryptomining, webshell, "
				    "brute_force, data_leak, ddos_cc or other");
	if (in->severity_id < 0 || in->severity_id > 6)
		return vg_error_set(err, VG_EINVAL, "severity_id must be 1 to 6");
	if (in->nalerts == 0)
		return vg_error_set(err, VG_EINVAL, "an incident starts from at least one alert");
	rc = vg_tx_query_int(tx,
			     "SELECT tenant_id FROM alerts WHERE id = ? AND (? = 0 OR tenant_id = ?)",
			     VG_PARAMS(VG_P_INT(in->alerts[0]), VG_P_INT(ctx->tenant_id),
				       VG_P_INT(ctx->tenant_id)),
			     tenant_id, err);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such alert %lld", (long long)in->alerts[0]);
	if (!rc)
		rc = vg_tx_query_int(tx,
				     "INSERT INTO security_incidents (tenant_id, title, category, "
				     "severity_id, created_by, created_at, updated_at) VALUES (?, ?, ?, 1, "
				     "?, ?, ?) RETURNING id",
				     VG_PARAMS(VG_P_INT(*tenant_id), VG_P_TEXT(in->title),
					       VG_P_TEXT(in->category), VG_P_TEXT(ctx->username),
					       VG_P_INT(now), VG_P_INT(now)),
				     id_out, err);
	if (!rc)
		rc = link_alerts(tx, ctx, *id_out, *tenant_id, in->alerts, in->nalerts, &highest, now,
				 err);
	if (!rc)
		rc = vg_tx_exec(tx, "UPDATE security_incidents SET severity_id = ? WHERE id = ?",
				VG_PARAMS(VG_P_INT(in->severity_id ? in->severity_id : highest),
					  VG_P_INT(*id_out)),
				NULL, err);
	if (!rc)
		rc = log_step(tx, ctx, *id_out, "open", "detection", in->note, now, err);
	return rc;
}

/* The open incident's phase, for a step on it. */
static int open_incident(vg_tx *tx, const vg_ctx *ctx, int64_t id, int *phase,
			 int64_t *tenant_id, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT tenant_id, phase, status FROM security_incidents WHERE id = ? AND "
			     "(? = 0 OR tenant_id = ?)",
			     VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
			     &r, err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*tenant_id = vg_rows_int(r, 0);
		*phase = index_of(phases, NPHASES, vg_rows_text(r, 1));
		rc = strcmp(vg_rows_text(r, 2), "open") == 0
			     ? VG_OK
			     : vg_error_set(err, VG_ECONFLICT, "the incident is closed");
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such incident");
	}
	vg_rows_free(r);
	return rc;
}

int vg_incident_phase(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *phase,
		      const char *note, int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	int cur, next = index_of(phases, NPHASES, phase);
	int rc = open_incident(tx, ctx, id, &cur, tenant_id, err);

	if (rc)
		return rc;
	if (next < 0)
		return vg_error_set(err, VG_EINVAL,
				    "phase must be containment, eradication, recovery or "
				    "post_incident");
	if (next <= cur)
		return vg_error_set(err, VG_ECONFLICT, "the incident is in %s: phases go forward",
				    phases[cur]);
	rc = vg_text_check("note", note, TEXT_MAX, true, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE security_incidents SET phase = ?, updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_TEXT(phases[next]), VG_P_INT(now), VG_P_INT(id)), NULL,
				err);
	if (!rc)
		rc = log_step(tx, ctx, id, "phase", phases[next], note, now, err);
	return rc;
}

int vg_incident_note(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *text,
		     int64_t *tenant_id, vg_error *err)
{
	int cur, rc = open_incident(tx, ctx, id, &cur, tenant_id, err);

	if (!rc)
		rc = vg_text_check("a note", text, TEXT_MAX, true, err);
	return rc ? rc : log_step(tx, ctx, id, "note", phases[cur], text, vg_time_now_ms(), err);
}

int vg_incident_link(vg_tx *tx, const vg_ctx *ctx, int64_t id, const int64_t *alerts,
		     size_t n, int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	char detail[64];
	int cur, highest, rc = open_incident(tx, ctx, id, &cur, tenant_id, err);

	if (!rc)
		rc = link_alerts(tx, ctx, id, *tenant_id, alerts, n, &highest, now, err);
	snprintf(detail, sizeof(detail), "%zu alert%s", n, n == 1 ? "" : "s");
	if (!rc)
		rc = log_step(tx, ctx, id, "link", phases[cur], detail, now, err);
	return rc;
}

int vg_incident_close(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *summary,
		      int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	int cur, rc = open_incident(tx, ctx, id, &cur, tenant_id, err);

	if (rc)
		return rc;
	if (cur < index_of(phases, NPHASES, "recovery"))
		return vg_error_set(err, VG_ECONFLICT,
				    "the incident is in %s: it closes from recovery or post_incident",
				    phases[cur]);
	rc = vg_text_check("summary", summary, TEXT_MAX, true, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE security_incidents SET status = 'closed', summary = ?, "
				"closed_at = ?, updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_TEXT(summary), VG_P_INT(now), VG_P_INT(now),
					  VG_P_INT(id)),
				NULL, err);
	if (!rc)
		rc = log_step(tx, ctx, id, "close", phases[cur], summary, now, err);
	return rc;
}

#define INCIDENT_COLUMNS                                                                      \
	"id, tenant_id, title, category, severity_id, phase, status, summary, created_by, "  \
	"created_at, updated_at, closed_at"

static json_t *row_to_json(vg_rows *r, void *unused)
{
	int sev = (int)vg_rows_int(r, 4);

	(void)unused;
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "id",
			 (json_int_t)vg_rows_int(r, 0), "tenant_id", (json_int_t)vg_rows_int(r, 1),
			 "title", vg_rows_text(r, 2), "category", vg_rows_text(r, 3), "severity_id",
			 (json_int_t)sev, "severity", vg_alert_severity_name(sev), "phase",
			 vg_rows_text(r, 5), "status", vg_rows_text(r, 6), "summary",
			 vg_rows_json_text(r, 7), "created_by", vg_rows_text(r, 8), "created_at",
			 vg_rows_json_time(r, 9), "updated_at", vg_rows_json_time(r, 10),
			 "closed_at", vg_rows_json_time(r, 11));
}

static json_t *alert_id_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_integer(vg_rows_int(r, 0));
}

static json_t *step_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:o, s:s, s:s, s:s, s:s}", "at", vg_rows_json_time(r, 1), "user",
			 vg_rows_text(r, 2), "action", vg_rows_text(r, 3), "phase",
			 vg_rows_text(r, 4), "detail", vg_rows_text(r, 5));
}

int vg_incident_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	json_t *alerts = NULL, *activity = NULL;
	int64_t last;
	int rc = vg_tx_query_object(tx,
				    "SELECT " INCIDENT_COLUMNS " FROM security_incidents WHERE id = ? "
				    "AND (? = 0 OR tenant_id = ?)",
				    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id),
					      VG_P_INT(ctx->tenant_id)),
				    row_to_json, NULL, "incident", out, err);

	if (!rc)
		rc = vg_tx_query_list(tx,
				      "SELECT alert_id FROM security_incident_alerts WHERE "
				      "incident_id = ? ORDER BY alert_id",
				      VG_PARAMS(VG_P_INT(id)), alert_id_json, NULL, &alerts, &last, err);
	if (!rc)
		rc = vg_tx_query_list(tx,
				      "SELECT id, at, username, action, phase, detail FROM "
				      "security_incident_activity WHERE incident_id = ? ORDER BY id",
				      VG_PARAMS(VG_P_INT(id)), step_json, NULL, &activity, &last, err);
	if (rc) {
		json_decref(*out);
		json_decref(alerts);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "alerts", alerts);
	json_object_set_new(*out, "activity", activity);
	return VG_OK;
}

int vg_incident_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		     int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " INCIDENT_COLUMNS " FROM security_incidents WHERE id > ? AND "
				"(? = 0 OR tenant_id = ?) AND (? = 0 OR tenant_id = ?) ORDER BY id "
				"LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
					  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id),
					  VG_P_INT(limit)),
				row_to_json, NULL, items, last_id, err);
}
