/* alerts.c - /api/v1/alerts: what detection found, newest first. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "alerts/triage.h"
#include "core/json.h"

/* ?NAME= (min_severity, severity) as 1-5 or a name (low, high, ...). */
static int read_severity(const vg_req *req, const char *name, int *out, vg_error *err)
{
	static const char *const names[] = { "informational", "low", "medium", "high", "critical" };
	const char *v = vg_req_query(req, name);
	int i;

	*out = 0;
	if (!v)
		return VG_OK;
	for (i = 0; i < 5; i++)
		if (strcmp(v, names[i]) == 0 || (v[0] == '1' + i && !v[1])) {
			*out = i + 1;
			return VG_OK;
		}
	return vg_error_set(err, VG_EINVAL,
			    "%s must be 1-5 or informational, low, medium, high, critical", name);
}

int api_alerts_list(vg_req *req, vg_error *err)
{
	vg_alert_filter f = { .status = vg_req_query(req, "status"),
			      .rule_id = vg_req_query(req, "rule"),
			      .vendor = vg_req_query(req, "vendor"),
			      .product = vg_req_query(req, "product") };
	int64_t before, last;
	json_t *items;
	vg_tx *tx;
	int limit, rc;

	rc = vg_req_page(req, &limit, &before, err);
	if (!rc)
		rc = vg_req_tenant_filter(req, &f.tenant_id, err);
	if (!rc)
		rc = vg_req_query_id(req, "source", &f.source_id, err);
	if (!rc)
		rc = vg_req_query_id(req, "asset", &f.asset_id, err);
	if (!rc)
		rc = vg_req_query_time(req, "since", &f.since_ms, err);
	if (!rc)
		rc = vg_req_query_time(req, "until", &f.until_ms, err);
	if (!rc)
		rc = read_severity(req, "min_severity", &f.min_severity, err);
	if (!rc)
		rc = read_severity(req, "severity", &f.severity, err);
	if (!rc && vg_req_query(req, "assignee") && strcmp(vg_req_query(req, "assignee"), "none") == 0)
		f.assignee_id = -1;
	else if (!rc)
		rc = vg_req_query_id(req, "assignee", &f.assignee_id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_alert_list(tx, vg_req_ctx(req), &f, before, limit, &items, &last, err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

/* The alert, its events and its activity. */
static int alert_with_activity(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out,
			       vg_error *err)
{
	json_t *activity;
	int rc = vg_alert_get(tx, ctx, id, out, err);

	if (!rc)
		rc = vg_alert_activity(tx, id, &activity, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "activity", activity);
	return VG_OK;
}

int api_alerts_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, alert_with_activity, err);
}

static const vg_json_field step_fields[] = {
	{ "user_id", VG_JSON_INTEGER_OR_NULL, false },
	{ "disposition", VG_JSON_STRING, false },
	{ "reason", VG_JSON_STRING, false },
	{ "text", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

static vg_triage step_of(enum vg_triage_action action, const json_t *body)
{
	return (vg_triage){
		.action = action,
		.assignee_id = json_integer_value(json_object_get(body, "user_id")),
		.disposition = vg_json_str(body, "disposition"),
		.text = action == VG_TRIAGE_COMMENT ? vg_json_str(body, "text")
						    : vg_json_str(body, "reason"),
	};
}

/* One step on the alert in the path; answers the alert as it now is. */
static int triage_one(vg_req *req, enum vg_triage_action action, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_triage t = step_of(action, body);
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, step_fields, err);
	if (!rc && action == VG_TRIAGE_ASSIGN && !json_object_get(body, "user_id"))
		rc = vg_error_set(err, VG_EINVAL, "missing field \"user_id\" (null unassigns)");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_alert_triage(tx, vg_req_ctx(req), id, &t, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "alert", id, tenant);
	return api_answer_one(req, tx, alert_with_activity, id, 200, err);
}

int api_alerts_acknowledge(vg_req *req, vg_error *err)
{
	return triage_one(req, VG_TRIAGE_ACKNOWLEDGE, err);
}

int api_alerts_assign(vg_req *req, vg_error *err)
{
	return triage_one(req, VG_TRIAGE_ASSIGN, err);
}

int api_alerts_comment(vg_req *req, vg_error *err)
{
	return triage_one(req, VG_TRIAGE_COMMENT, err);
}

int api_alerts_close(vg_req *req, vg_error *err)
{
	return triage_one(req, VG_TRIAGE_CLOSE, err);
}

int api_alerts_reopen(vg_req *req, vg_error *err)
{
	return triage_one(req, VG_TRIAGE_REOPEN, err);
}

#define BULK_MAX 1000

static const vg_json_field bulk_fields[] = {
	{ "ids", VG_JSON_ARRAY, true },
	{ "action", VG_JSON_STRING, true },
	{ "user_id", VG_JSON_INTEGER_OR_NULL, false },
	{ "disposition", VG_JSON_STRING, false },
	{ "reason", VG_JSON_STRING, false },
	{ "text", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

/* The same step on many alerts, all or none: the first that cannot take
 * it is named and nothing changes. */
int api_alerts_bulk(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req), *ids = json_object_get(body, "ids");
	enum vg_triage_action action;
	vg_triage t;
	vg_tx *tx;
	size_t i;
	int rc = vg_json_check(body, bulk_fields, err);

	if (!rc)
		rc = vg_triage_action_parse(vg_json_str(body, "action"), &action, err);
	if (!rc && (json_array_size(ids) == 0 || json_array_size(ids) > BULK_MAX))
		rc = vg_error_set(err, VG_EINVAL, "ids holds 1 to %d alert ids", BULK_MAX);
	if (!rc && action == VG_TRIAGE_ASSIGN && !json_object_get(body, "user_id"))
		rc = vg_error_set(err, VG_EINVAL, "missing field \"user_id\" (null unassigns)");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (rc)
		return rc;
	t = step_of(action, body);
	for (i = 0; !rc && i < json_array_size(ids); i++) {
		json_t *v = json_array_get(ids, i);
		int64_t tenant;

		if (!json_is_integer(v)) {
			rc = vg_error_set(err, VG_EINVAL, "ids[%zu] must be an alert id", i);
			break;
		}
		rc = vg_alert_triage(tx, vg_req_ctx(req), json_integer_value(v), &t, &tenant, err);
		if (rc)
			vg_error_prefix(err, "alert %lld", (long long)json_integer_value(v));
	}
	if (rc)
		return rc;
	vg_req_audit_detail(req, json_array_size(ids) == 1 ? "1 alert" : "several alerts");
	return vg_resp_json(req, 200, json_pack("{s:s, s:O}", "action", vg_json_str(body, "action"),
						"ids", ids));
}

int api_alerts_metrics(vg_req *req, vg_error *err)
{
	int64_t tenant, since = 0, until = 0;
	json_t *items;
	vg_tx *tx;
	int rc = vg_req_tenant_filter(req, &tenant, err);

	if (!rc)
		rc = vg_req_query_time(req, "since", &since, err);
	if (!rc)
		rc = vg_req_query_time(req, "until", &until, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_alert_metrics(tx, vg_req_ctx(req), tenant, since, until, &items, err);
	if (rc)
		return rc;
	return vg_resp_json(req, 200, json_pack("{s:o}", "items", items));
}
