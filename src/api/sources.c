/* sources.c - /api/v1/sources: a tenant's log sources, their tokens and counters. */
#include "api/api.h"

#include <string.h>

#include "core/json.h"
#include "ingest/sources.h"
#include "pipeline/pipeline.h"

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, true },
	{ "name", VG_JSON_STRING, true },
	{ "type", VG_JSON_STRING, true },
	{ "listen", VG_JSON_STRING_OR_NULL, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

static const vg_json_field update_fields[] = {
	{ "name", VG_JSON_STRING, false },
	{ "type", VG_JSON_STRING, false },
	{ "listen", VG_JSON_STRING_OR_NULL, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

static vg_source_fields fields_of(const json_t *body)
{
	const json_t *enabled = json_object_get(body, "enabled"),
		     *listen = json_object_get(body, "listen");

	return (vg_source_fields){
		.name = vg_json_str(body, "name"),
		.type = vg_json_str(body, "type"),
		.listen = json_is_null(listen) ? "" : json_string_value(listen),
		.enabled = enabled ? json_is_true(enabled) : -1,
	};
}

/* The source and, when just made, its token: the one time it is shown. */
static int answer(vg_req *req, int status, const vg_source *s, const char *token)
{
	json_t *o = vg_source_to_json(s);

	if (token)
		json_object_set_new(o, "token", json_string(token));
	vg_req_audit_object(req, "source", s->id, s->tenant_id);
	return vg_resp_json(req, status, o);
}

int api_sources_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_source_list, err);
}

int api_sources_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	char token[VG_SOURCE_TOKEN_MAX];
	vg_source_fields in;
	vg_source s;
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, create_fields, err);
	if (rc)
		return rc;
	in = fields_of(body);
	if (in.enabled < 0)
		in.enabled = 1;
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_source_create(tx, vg_req_ctx(req),
				      json_integer_value(json_object_get(body, "tenant_id")), &in, &s,
				      token, err);
	if (rc)
		return rc;
	rc = answer(req, 201, &s, token);
	memset(token, 0, sizeof(token));
	return rc;
}

int api_sources_get(vg_req *req, vg_error *err)
{
	int64_t id;
	vg_source s;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_source_get(tx, vg_req_ctx(req), id, &s, err);
	if (rc)
		return rc;
	return vg_resp_json(req, 200, vg_source_to_json(&s));
}

int api_sources_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_source_fields in;
	int64_t id;
	vg_source s;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, update_fields, err);
	if (rc)
		return rc;
	in = fields_of(body);
	if (!json_object_get(body, "listen"))
		in.listen = NULL;
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_source_update(tx, vg_req_ctx(req), id, &in, err);
	if (!rc)
		rc = vg_source_get(tx, vg_req_ctx(req), id, &s, err);
	if (rc)
		return rc;
	return answer(req, 200, &s, NULL);
}

int api_sources_rotate(vg_req *req, vg_error *err)
{
	char token[VG_SOURCE_TOKEN_MAX];
	int64_t id;
	vg_source s;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_source_rotate_token(tx, vg_req_ctx(req), id, token, err);
	if (!rc)
		rc = vg_source_get(tx, vg_req_ctx(req), id, &s, err);
	if (rc)
		return rc;
	rc = answer(req, 200, &s, token);
	memset(token, 0, sizeof(token));
	return rc;
}

int api_sources_stats(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_source_stats_get, err);
}

int api_sources_rejects(vg_req *req, vg_error *err)
{
	int64_t id, after, last;
	json_t *items;
	vg_tx *tx;
	int limit;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_page(req, &limit, &after, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_source_rejects_list(tx, vg_req_ctx(req), id, after, limit, &items, &last,
					    err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

/* The records are read again by the pipeline, in transactions of its own;
 * the request's is only for finding the source. */
int api_sources_replay(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	vg_ingest_result res;
	vg_source s;
	int64_t id;
	vg_tx *tx;
	int rc;

	if (!app->pipeline)
		return vg_error_set(err, VG_EFAIL, "this server runs no detection pipeline");
	rc = vg_req_param_id(req, 0, &id, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_source_get(tx, vg_req_ctx(req), id, &s, err);
	if (!rc)
		rc = vg_pipeline_replay(app->pipeline, &s, &res, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "source", s.id, s.tenant_id);
	return vg_resp_json(req, 200, api_ingest_result_json(&res));
}
