/* incidents.c - /api/v1/security-incidents: alerts escalated into a case. */
#include "api/api.h"

#include "alerts/incidents.h"
#include "core/json.h"
#include "itsm/tickets.h"

/* An incident as the API shows it: with the ticket it opened. */
static int incident_with_ticket(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out,
				vg_error *err)
{
	int64_t ticket;
	int rc = vg_incident_get(tx, ctx, id, out, err);

	if (!rc)
		rc = vg_ticket_of_incident(tx, id, &ticket, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "ticket_id", ticket ? json_integer(ticket) : json_null());
	return VG_OK;
}

static const vg_json_field create_fields[] = {
	{ "title", VG_JSON_STRING, true },
	{ "category", VG_JSON_STRING, true },
	{ "severity_id", VG_JSON_INTEGER, false },
	{ "alert_ids", VG_JSON_ARRAY, true },
	{ "note", VG_JSON_STRING, false },
	{ NULL, 0, false },
};
static const vg_json_field phase_fields[] = {
	{ "phase", VG_JSON_STRING, true },
	{ "note", VG_JSON_STRING, true },
	{ NULL, 0, false },
};
static const vg_json_field note_fields[] = {
	{ "text", VG_JSON_STRING, true },
	{ NULL, 0, false },
};
static const vg_json_field link_fields[] = {
	{ "alert_ids", VG_JSON_ARRAY, true },
	{ NULL, 0, false },
};
static const vg_json_field close_fields[] = {
	{ "summary", VG_JSON_STRING, true },
	{ NULL, 0, false },
};

/* body's alert_ids into ids (VG_INCIDENT_ALERTS_MAX of them at most). */
static int alert_ids(const json_t *body, int64_t *ids, size_t *n, vg_error *err)
{
	const json_t *a = json_object_get(body, "alert_ids");

	*n = 0;
	if (json_array_size(a) > VG_INCIDENT_ALERTS_MAX)
		return vg_error_set(err, VG_EINVAL, "alert_ids holds 1 to %d alerts",
				    VG_INCIDENT_ALERTS_MAX);
	for (size_t i = 0; i < json_array_size(a); i++) {
		if (!json_is_integer(json_array_get(a, i)))
			return vg_error_set(err, VG_EINVAL, "alert_ids[%zu] must be an alert id", i);
		ids[(*n)++] = json_integer_value(json_array_get(a, i));
	}
	return VG_OK;
}

int api_incidents_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_incident_list, err);
}

int api_incidents_create(vg_req *req, vg_error *err)
{
	static __thread int64_t ids[VG_INCIDENT_ALERTS_MAX];
	json_t *body = vg_req_body(req);
	vg_incident_fields in = { .title = vg_json_str(body, "title"),
				  .category = vg_json_str(body, "category"),
				  .note = vg_json_str(body, "note"),
				  .alerts = ids };
	const json_t *sev = json_object_get(body, "severity_id");
	int64_t id, tenant, ticket;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (!rc)
		rc = alert_ids(body, ids, &in.nalerts, err);
	if (!rc && sev && (json_integer_value(sev) < 1 || json_integer_value(sev) > 6))
		rc = vg_error_set(err, VG_EINVAL, "severity_id must be 1 to 6");
	in.severity_id = (int)json_integer_value(sev);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_incident_create(tx, vg_req_ctx(req), &in, &id, &tenant, err);
	/* Escalating to an incident opens its incident ticket, under SLA. */
	if (!rc)
		rc = vg_ticket_for_incident(tx, vg_req_ctx(req), id, &ticket, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "security_incident", id, tenant);
	return api_answer_one(req, tx, incident_with_ticket, id, 201, err);
}

int api_incidents_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, incident_with_ticket, err);
}

enum step { STEP_PHASE, STEP_NOTE, STEP_LINK, STEP_CLOSE };

static int step(vg_req *req, enum step kind, const vg_json_field *fields, vg_error *err)
{
	static __thread int64_t ids[VG_INCIDENT_ALERTS_MAX];
	json_t *body = vg_req_body(req);
	int64_t id, tenant;
	size_t n = 0;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, fields, err);
	if (!rc && kind == STEP_LINK)
		rc = alert_ids(body, ids, &n, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (rc)
		return rc;
	switch (kind) {
	case STEP_PHASE:
		rc = vg_incident_phase(tx, vg_req_ctx(req), id, vg_json_str(body, "phase"),
				       vg_json_str(body, "note"), &tenant, err);
		break;
	case STEP_NOTE:
		rc = vg_incident_note(tx, vg_req_ctx(req), id, vg_json_str(body, "text"), &tenant,
				      err);
		break;
	case STEP_LINK:
		rc = vg_incident_link(tx, vg_req_ctx(req), id, ids, n, &tenant, err);
		break;
	case STEP_CLOSE:
		rc = vg_incident_close(tx, vg_req_ctx(req), id, vg_json_str(body, "summary"),
				       &tenant, err);
		break;
	}
	if (rc)
		return rc;
	vg_req_audit_object(req, "security_incident", id, tenant);
	return api_answer_one(req, tx, incident_with_ticket, id, 200, err);
}

int api_incidents_phase(vg_req *req, vg_error *err)
{
	return step(req, STEP_PHASE, phase_fields, err);
}

int api_incidents_note(vg_req *req, vg_error *err)
{
	return step(req, STEP_NOTE, note_fields, err);
}

int api_incidents_link(vg_req *req, vg_error *err)
{
	return step(req, STEP_LINK, link_fields, err);
}

int api_incidents_close(vg_req *req, vg_error *err)
{
	return step(req, STEP_CLOSE, close_fields, err);
}
