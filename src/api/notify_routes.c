/* notify_routes.c - /api/v1/notify-routes: which alerts go to which channel. */
#include "api/api.h"

#include "core/json.h"
#include "notify/routes.h"

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "name", VG_JSON_STRING, true },
	{ "channel_id", VG_JSON_INTEGER, true },
	{ "min_severity", VG_JSON_INTEGER, false },
	{ "sources", VG_JSON_ARRAY, false },
	{ "rules", VG_JSON_ARRAY, false },
	{ "categories", VG_JSON_ARRAY, false },
	{ "ticket_events", VG_JSON_ARRAY, false },
	{ "alerts", VG_JSON_BOOL, false },
	{ "aggregate_minutes", VG_JSON_INTEGER, false },
	{ "language", VG_JSON_STRING, false },
	{ "escalate_after_minutes", VG_JSON_INTEGER, false },
	{ "escalate_channel_id", VG_JSON_INTEGER_OR_NULL, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ "quiet_from", VG_JSON_STRING_OR_NULL, false },
	{ "quiet_until", VG_JSON_STRING_OR_NULL, false },
	{ "quiet_min_severity", VG_JSON_INTEGER, false },
	{ NULL, 0, false },
};

static const vg_json_field update_fields[] = {
	{ "name", VG_JSON_STRING, false },
	{ "channel_id", VG_JSON_INTEGER, false },
	{ "min_severity", VG_JSON_INTEGER, false },
	{ "sources", VG_JSON_ARRAY, false },
	{ "rules", VG_JSON_ARRAY, false },
	{ "categories", VG_JSON_ARRAY, false },
	{ "ticket_events", VG_JSON_ARRAY, false },
	{ "alerts", VG_JSON_BOOL, false },
	{ "aggregate_minutes", VG_JSON_INTEGER, false },
	{ "language", VG_JSON_STRING, false },
	{ "escalate_after_minutes", VG_JSON_INTEGER, false },
	{ "escalate_channel_id", VG_JSON_INTEGER_OR_NULL, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ "quiet_from", VG_JSON_STRING_OR_NULL, false },
	{ "quiet_until", VG_JSON_STRING_OR_NULL, false },
	{ "quiet_min_severity", VG_JSON_INTEGER, false },
	{ NULL, 0, false },
};

/* An integer field that must fit in an int, or 0 (absent) / fallback. */
static int small_int(const json_t *body, const char *key, int absent, int *out, vg_error *err)
{
	const json_t *v = json_object_get(body, key);

	if (!v) {
		*out = absent;
		return VG_OK;
	}
	if (json_integer_value(v) < -1 || json_integer_value(v) > 100000)
		return vg_error_set(err, VG_EINVAL, "%s is out of range", key);
	*out = (int)json_integer_value(v);
	return VG_OK;
}

/* A list of texts (rules, categories, ticket events) into out; *set when
 * the body gave it. */
static int text_list(const json_t *list, const char *key, const char *plural, const char *one,
		     const char **out, size_t *n, bool *set, vg_error *err)
{
	if (!list)
		return VG_OK;
	if (json_array_size(list) > VG_ROUTE_LIST_MAX)
		return vg_error_set(err, VG_EINVAL, "%s holds at most %d %s", key, VG_ROUTE_LIST_MAX,
				    plural);
	*set = true;
	for (size_t i = 0; i < json_array_size(list); i++) {
		if (!json_is_string(json_array_get(list, i)))
			return vg_error_set(err, VG_EINVAL, "%s[%zu] must be %s", key, i, one);
		out[(*n)++] = json_string_value(json_array_get(list, i));
	}
	return VG_OK;
}

static int fields_of(const json_t *body, vg_route_fields *in, vg_error *err)
{
	const json_t *sources = json_object_get(body, "sources"), *rules = json_object_get(body, "rules");
	const json_t *categories = json_object_get(body, "categories");
	const json_t *events = json_object_get(body, "ticket_events");
	const json_t *alerts = json_object_get(body, "alerts");
	const json_t *enabled = json_object_get(body, "enabled");
	const json_t *escalate = json_object_get(body, "escalate_channel_id");
	int rc;

	*in = (vg_route_fields){
		.tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
		.name = vg_json_str(body, "name"),
		.channel_id = json_integer_value(json_object_get(body, "channel_id")),
		.language = vg_json_str(body, "language"),
		.enabled = enabled ? json_is_true(enabled) : -1,
		.escalate_channel_id = json_integer_value(escalate),
		.set_escalate = escalate != NULL,
		.quiet_from = vg_json_str(body, "quiet_from"),
		.quiet_until = vg_json_str(body, "quiet_until"),
		.set_quiet = json_object_get(body, "quiet_from") || json_object_get(body, "quiet_until"),
		.alerts = alerts ? json_is_true(alerts) : -1,
	};
	rc = small_int(body, "min_severity", 0, &in->min_severity, err);
	if (!rc && json_object_get(body, "min_severity") && in->min_severity == 0)
		rc = vg_error_set(err, VG_EINVAL, "min_severity must be 1 to 6");
	if (!rc)
		rc = small_int(body, "quiet_min_severity", 0, &in->quiet_min_severity, err);
	if (!rc && json_object_get(body, "quiet_min_severity") && in->quiet_min_severity == 0)
		rc = vg_error_set(err, VG_EINVAL, "quiet_min_severity must be 1 to 6");
	if (!rc)
		rc = small_int(body, "aggregate_minutes", -1, &in->aggregate_minutes, err);
	if (!rc && json_object_get(body, "aggregate_minutes") && in->aggregate_minutes < 0)
		rc = vg_error_set(err, VG_EINVAL, "aggregate_minutes must be 0 to 1440");
	if (!rc)
		rc = small_int(body, "escalate_after_minutes", -1, &in->escalate_after_minutes, err);
	if (!rc && json_object_get(body, "escalate_after_minutes") && in->escalate_after_minutes < 0)
		rc = vg_error_set(err, VG_EINVAL, "escalate_after_minutes must be 0 to 10080");
	if (rc)
		return rc;
	if (sources) {
		if (json_array_size(sources) > VG_ROUTE_LIST_MAX)
			return vg_error_set(err, VG_EINVAL, "sources holds at most %d ids",
					    VG_ROUTE_LIST_MAX);
		in->set_sources = true;
		for (size_t i = 0; i < json_array_size(sources); i++) {
			if (!json_is_integer(json_array_get(sources, i)))
				return vg_error_set(err, VG_EINVAL, "sources[%zu] must be an id", i);
			in->sources[in->nsources++] = json_integer_value(json_array_get(sources, i));
		}
	}
	rc = text_list(rules, "rules", "ids", "a rule id", in->rules, &in->nrules, &in->set_rules,
		       err);
	if (!rc)
		rc = text_list(categories, "categories", "names", "a name", in->categories,
			       &in->ncategories, &in->set_categories, err);
	if (!rc)
		rc = text_list(events, "ticket_events", "kinds", "a kind", in->ticket_events,
			       &in->nticket_events, &in->set_ticket_events, err);
	return rc;
}

int api_notify_routes_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_route_list, err);
}

int api_notify_routes_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_route_fields in;
	int64_t id;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (!rc)
		rc = fields_of(body, &in, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_route_create(tx, vg_req_ctx(req), &in, &id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "route", id, in.tenant_id);
	return api_answer_one(req, tx, vg_route_get, id, 201, err);
}

int api_notify_routes_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_route_get, err);
}

int api_notify_routes_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_route_fields in;
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, update_fields, err);
	if (!rc)
		rc = fields_of(body, &in, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_route_update(tx, vg_req_ctx(req), id, &in, &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "route", id, tenant);
	return api_answer_one(req, tx, vg_route_get, id, 200, err);
}

int api_notify_routes_delete(vg_req *req, vg_error *err)
{
	return api_delete_one(req, "route", vg_route_delete, err);
}
