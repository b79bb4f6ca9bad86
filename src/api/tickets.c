/* tickets.c - /api/v1/tickets: requests, incidents, problems, changes. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "itsm/tickets.h"
#include "itsm/workflow.h"
#include "itsm/worklog.h"

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "type", VG_JSON_STRING, true },
	{ "title", VG_JSON_STRING, true },
	{ "description", VG_JSON_STRING, false },
	{ "impact", VG_JSON_STRING, false },
	{ "urgency", VG_JSON_STRING, false },
	{ "channel", VG_JSON_STRING, false },
	{ "received_at", VG_JSON_STRING, false },
	{ "fields", VG_JSON_OBJECT, false },
	{ "caller", VG_JSON_STRING, false },
	{ "caller_number", VG_JSON_STRING, false },
	{ NULL, 0, false },
};
static const vg_json_field step_fields[] = {
	{ "action", VG_JSON_STRING, true },
	{ "fields", VG_JSON_OBJECT, false },
	{ "assignee_id", VG_JSON_INTEGER, false },
	{ "group_id", VG_JSON_INTEGER, false },
	{ "comment", VG_JSON_STRING, false },
	{ NULL, 0, false },
};
static const vg_json_field comment_fields[] = {
	{ "text", VG_JSON_STRING, true },
	{ "public", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

/* ?tenant, ?state, ?type, ?priority, ?channel, ?assignee (a user id),
 * ?group (a group id) and ?q (a substring of the title). */
int api_tickets_list(vg_req *req, vg_error *err)
{
	vg_ticket_filter f = { .state = vg_req_query(req, "state"),
			       .type = vg_req_query(req, "type"),
			       .priority = vg_req_query(req, "priority"),
			       .channel = vg_req_query(req, "channel"),
			       .q = vg_req_query(req, "q") };
	int64_t after, last;
	json_t *items;
	vg_tx *tx;
	int limit, rc = vg_req_page(req, &limit, &after, err);

	if (!rc)
		rc = vg_req_tenant_filter(req, &f.tenant_id, err);
	if (!rc)
		rc = vg_req_query_id(req, "assignee", &f.assignee_id, err);
	if (!rc)
		rc = vg_req_query_id(req, "group", &f.group_id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_ticket_list_filtered(tx, vg_req_ctx(req), &f, after, limit, &items, &last,
					     err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

int api_tickets_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_ticket_get, err);
}

int api_tickets_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	const char *received = vg_json_str(body, "received_at");
	vg_ticket_fields in = {
		.tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
		.type = vg_json_str(body, "type"),
		.title = vg_json_str(body, "title"),
		.description = vg_json_str(body, "description"),
		.impact = vg_json_str(body, "impact"),
		.urgency = vg_json_str(body, "urgency"),
		.channel = vg_json_str(body, "channel"),
		.fields = json_object_get(body, "fields"),
		.caller = vg_json_str(body, "caller"),
		.caller_number = vg_json_str(body, "caller_number"),
	};
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (!rc && received && vg_time_parse_iso(received, &in.received_at))
		rc = vg_error_set(err, VG_EINVAL, "received_at must be an ISO 8601 time");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_create(tx, vg_req_ctx(req), &in, &id, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return api_answer_one(req, tx, vg_ticket_get, id, 201, err);
}

int api_tickets_step(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_ticket_step_in in = {
		.action = vg_json_str(body, "action"),
		.fields = json_object_get(body, "fields"),
		.assignee_id = json_integer_value(json_object_get(body, "assignee_id")),
		.group_id = json_integer_value(json_object_get(body, "group_id")),
		.comment = vg_json_str(body, "comment"),
	};
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, step_fields, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_take_step(tx, vg_req_ctx(req), id, &in, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	vg_req_audit_detail(req, vg_json_str(body, "action"));
	return api_answer_one(req, tx, vg_ticket_get, id, 200, err);
}

int api_tickets_comment(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	const json_t *public = json_object_get(body, "public");
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, comment_fields, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_comment(tx, vg_req_ctx(req), id, vg_json_str(body, "text"),
				       !public || json_is_true(public), &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return api_answer_one(req, tx, vg_ticket_get, id, 201, err);
}

/* GET /api/v1/tenants/{id}/sla?month=YYYY-MM[&format=csv] */
int api_tenants_sla(vg_req *req, vg_error *err)
{
	const char *format = vg_req_query(req, "format");
	json_t *figures;
	char *csv = NULL;
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc && format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		rc = vg_error_set(err, VG_EINVAL, "format must be json or csv");
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_tenant_sla_month(tx, vg_req_ctx(req), id, vg_req_query(req, "month"), &figures,
					 format && strcmp(format, "csv") == 0 ? &csv : NULL, err);
	if (rc)
		return rc;
	if (!csv)
		return vg_resp_json(req, 200, figures);
	json_decref(figures);
	rc = vg_resp_raw(req, 200, "text/csv; charset=utf-8", csv, strlen(csv));
	free(csv);
	return rc;
}

static const vg_json_field worklog_fields[] = {
	{ "service_item", VG_JSON_STRING, true },
	{ "minutes", VG_JSON_INTEGER, true },
	{ "worked_at", VG_JSON_STRING, false },
	{ "note", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

int api_tickets_worklog(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	const char *worked = vg_json_str(body, "worked_at");
	json_int_t minutes = json_integer_value(json_object_get(body, "minutes"));
	int64_t id, tenant, at = 0;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, worklog_fields, err);
	if (!rc && worked && vg_time_parse_iso(worked, &at))
		rc = vg_error_set(err, VG_EINVAL, "worked_at must be an ISO 8601 time");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_worklog_add(tx, vg_req_ctx(req), id, vg_json_str(body, "service_item"),
				    minutes < 0 || minutes > 100000 ? 0 : (int)minutes, at,
				    vg_json_str(body, "note"), &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return vg_resp_empty(req, 204);
}

int api_tenants_quotas(vg_req *req, vg_error *err)
{
	char today[VG_TIME_ISO_LEN];
	json_t *out;
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	vg_time_format_iso(vg_time_now_ms(), today);
	today[10] = '\0';
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_tenant_quotas(tx, vg_req_ctx(req), id, today, &out, err);
	return rc ? rc : vg_resp_json(req, 200, out);
}

static const vg_json_field link_fields[] = {
	{ "ticket_id", VG_JSON_INTEGER, false },
	{ "alert_id", VG_JSON_INTEGER, false },
	{ "asset_id", VG_JSON_INTEGER, false },
	{ NULL, 0, false },
};

int api_tickets_link(vg_req *req, vg_error *err)
{
	static const char *const kinds[][2] = {
		{ "ticket_id", "ticket" }, { "alert_id", "alert" }, { "asset_id", "asset" }
	};
	json_t *body = vg_req_body(req);
	const char *kind = NULL;
	int64_t id, tenant, target = 0;
	vg_tx *tx;
	size_t i;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, link_fields, err);
	for (i = 0; !rc && i < 3; i++)
		if (json_object_get(body, kinds[i][0])) {
			if (kind)
				rc = vg_error_set(err, VG_EINVAL, "link one thing at a time");
			kind = kinds[i][1];
			target = json_integer_value(json_object_get(body, kinds[i][0]));
		}
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_link(tx, vg_req_ctx(req), id, kind, target, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return api_answer_one(req, tx, vg_ticket_get, id, 200, err);
}

static const vg_json_field update_fields[] = {
	{ "title", VG_JSON_STRING, false },
	{ "description", VG_JSON_STRING, false },
	{ "impact", VG_JSON_STRING, false },
	{ "urgency", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

int api_tickets_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, update_fields, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_update(tx, vg_req_ctx(req), id, vg_json_str(body, "title"),
				      vg_json_str(body, "description"), vg_json_str(body, "impact"),
				      vg_json_str(body, "urgency"), &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return api_answer_one(req, tx, vg_ticket_get, id, 200, err);
}

static const vg_json_field watch_fields[] = {
	{ "user_id", VG_JSON_INTEGER, true },
	{ NULL, 0, false },
};

/* POST /api/v1/tickets/{id}/watchers {"user_id"}: the ticket, watched. */
int api_tickets_watch(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, watch_fields, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_watch(tx, vg_req_ctx(req), id,
				     json_integer_value(json_object_get(body, "user_id")), &tenant,
				     err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return api_answer_one(req, tx, vg_ticket_get, id, 201, err);
}

/* DELETE /api/v1/tickets/{id}/watchers/{user_id} */
int api_tickets_unwatch(vg_req *req, vg_error *err)
{
	int64_t id, user, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc && vg_req_param_id(req, 1, &user, err))
		rc = vg_error_set(err, VG_ENOTFOUND, "no such watcher");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_ticket_unwatch(tx, vg_req_ctx(req), id, user, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	return vg_resp_empty(req, 204);
}

int api_workflows_get(vg_req *req, vg_error *err)
{
	const vg_workflows *w = vg_workflows_builtin(err);
	json_t *body;

	if (!w)
		return err->code;
	body = vg_workflows_to_json(w);
	if (!body)
		return vg_error_set(err, VG_ENOMEM, "out of memory answering the workflows");
	return vg_resp_json(req, 200, body);
}
