/* channels.c - /api/v1/channels: where notifications go, and their test. */
#include "api/api.h"

#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "notify/channels.h"

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "name", VG_JSON_STRING, true },
	{ "type", VG_JSON_STRING, true },
	{ "url", VG_JSON_STRING, true },
	{ "secret", VG_JSON_STRING_OR_NULL, false },
	{ "username", VG_JSON_STRING_OR_NULL, false },
	{ "from", VG_JSON_STRING, false },
	{ "to", VG_JSON_ARRAY, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

static const vg_json_field update_fields[] = {
	{ "name", VG_JSON_STRING, false },
	{ "url", VG_JSON_STRING, false },
	{ "secret", VG_JSON_STRING_OR_NULL, false },
	{ "username", VG_JSON_STRING_OR_NULL, false },
	{ "from", VG_JSON_STRING, false },
	{ "to", VG_JSON_ARRAY, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

static const vg_json_field test_fields[] = {
	{ "title", VG_JSON_STRING, false },
	{ "text", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

/* The body's fields; VG_EINVAL for recipients that are not strings. */
static int fields_of(const json_t *body, vg_channel_fields *in, vg_error *err)
{
	const json_t *enabled = json_object_get(body, "enabled"), *to = json_object_get(body, "to");
	const json_t *secret = json_object_get(body, "secret");
	const json_t *username = json_object_get(body, "username");

	*in = (vg_channel_fields){
		.tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
		.name = vg_json_str(body, "name"),
		.type = vg_json_str(body, "type"),
		.url = vg_json_str(body, "url"),
		.secret = json_string_value(secret),
		.clear_secret = json_is_null(secret),
		.username = json_is_null(username) ? "" : json_string_value(username),
		.from = vg_json_str(body, "from"),
		.enabled = enabled ? json_is_true(enabled) : -1,
	};
	if (!to)
		return VG_OK;
	if (json_array_size(to) > VG_NOTIFY_TO_MAX)
		return vg_error_set(err, VG_EINVAL, "to holds at most %d addresses", VG_NOTIFY_TO_MAX);
	in->set_to = true;
	for (size_t i = 0; i < json_array_size(to); i++) {
		if (!json_is_string(json_array_get(to, i)))
			return vg_error_set(err, VG_EINVAL, "to[%zu] must be a string", i);
		in->to[in->nto++] = json_string_value(json_array_get(to, i));
	}
	return VG_OK;
}

int api_channels_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_channel_list, err);
}

int api_channels_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_channel_fields in;
	int64_t id;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (!rc)
		rc = fields_of(body, &in, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_channel_create(tx, vg_req_ctx(req), &vg_req_app(req)->master_key, &in, &id,
				       err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "channel", id, in.tenant_id);
	return api_answer_one(req, tx, vg_channel_get, id, 201, err);
}

int api_channels_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_channel_get, err);
}

int api_channels_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_channel_fields in;
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
		rc = vg_channel_update(tx, vg_req_ctx(req), &vg_req_app(req)->master_key, id, &in,
				       &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "channel", id, tenant);
	return api_answer_one(req, tx, vg_channel_get, id, 200, err);
}

int api_channels_delete(vg_req *req, vg_error *err)
{
	return api_delete_one(req, "channel", vg_channel_delete, err);
}

/* Sends one message now and answers what the vendor said: the "send a
 * test message" of setting a channel up. A message the vendor refused is
 * still a 200: the test ran, and its answer is the result. */
int api_channels_test(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_app *app = vg_req_app(req);
	vg_notify_message m = { .event = "test" };
	vg_channel_open c;
	vg_notify_result res;
	vg_error why = { 0 };
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, test_fields, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_channel_open_get(tx, vg_req_ctx(req), &app->master_key, id, &c, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "channel", id, c.tenant_id);
	m.title = vg_json_str(body, "title") ? vg_json_str(body, "title") : "Vigil test message";
	m.text = vg_json_str(body, "text") ? vg_json_str(body, "text")
					    : "This channel receives Vigil's notifications.";
	c.ch.public_only = !app->config.notify_allow_private_targets;
	rc = vg_notify_send(&c.ch, &m, vg_time_now_ms(), &res, &why);
	vg_channel_open_release(&c);
	if (rc == VG_EINVAL) {
		*err = why;
		return rc;
	}
	vg_req_audit_detail(req, rc ? why.msg : "delivered");
	return vg_resp_json(req, 200,
			    json_pack("{s:b, s:b, s:o, s:o, s:o, s:s, s:o}", "delivered", rc == VG_OK,
				      "retry", res.retry, "status",
				      res.status ? json_integer(res.status) : json_null(),
				      "vendor_code",
				      res.vendor_code ? json_integer(res.vendor_code) : json_null(),
				      "retry_after_seconds",
				      res.retry_after_s >= 0 ? json_integer(res.retry_after_s)
							     : json_null(),
				      "answer", res.answer, "error",
				      rc ? json_string(why.msg) : json_null()));
}
