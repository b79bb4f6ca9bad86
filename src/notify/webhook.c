/*
 * webhook.c - a customer's own endpoint, signed per Standard Webhooks 1.0:
 * headers webhook-id, webhook-timestamp (seconds) and webhook-signature
 * "v1,<base64 HMAC-SHA256(key, id "." timestamp "." body)>", where the key
 * is the base64 after "whsec_" in the endpoint's secret. The body is
 * {"type": ..., "timestamp": ISO 8601, "data": {"title", "text", ...}}.
 * github.com/standard-webhooks/standard-webhooks (spec/standard-webhooks.md)
 */
#include "notify/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/base64.h"
#include "core/crypto.h"
#include "core/time.h"

#define BODY_MAX 20000 /* the specification asks for payloads under 20 KB */
#define SECRET_PREFIX "whsec_"

typedef struct webhook_message {
	const vg_notify_message *m;
	char when[VG_TIME_ISO_LEN];
} webhook_message;

static json_t *message(const char *piece, void *arg)
{
	const webhook_message *wm = arg;
	json_t *data = wm->m->data ? json_deep_copy(wm->m->data) : json_object();

	if (!json_is_object(data)) {
		json_decref(data);
		data = json_pack("{s:O}", "value", wm->m->data);
	}
	json_object_set_new(data, "title", json_string(wm->m->title));
	json_object_set_new(data, "text", json_string(piece));
	return json_pack("{s:s, s:s, s:o}", "type", wm->m->event ? wm->m->event : "notification",
			 "timestamp", wm->when, "data", data);
}

static int build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		 vg__notify_request *req, vg_error *err)
{
	webhook_message wm = { .m = m };
	vg_buf key = VG_BUF_INIT(256), to_sign = VG_BUF_INIT(SIZE_MAX), sig = VG_BUF_INIT(SIZE_MAX);
	char id[64], stamp[24];
	uint8_t mac[VG_SHA256_LEN];
	vg_error why = { 0 };
	int rc;

	if (!ch->secret || strncmp(ch->secret, SECRET_PREFIX, strlen(SECRET_PREFIX)) != 0)
		return vg_error_set(err, VG_EINVAL,
				    "a webhook needs its secret, \"whsec_\" and base64 of the key");
	rc = vg_base64_decode(ch->secret + strlen(SECRET_PREFIX),
			      strlen(ch->secret + strlen(SECRET_PREFIX)), &key, &why);
	if (rc)
		return vg_error_set(err, VG_EINVAL, "webhook secret: %s", why.msg);
	if (key.len == 0) {
		vg_buf_release(&key);
		return vg_error_set(err, VG_EINVAL, "webhook secret: the key is empty");
	}
	if (m->id) {
		snprintf(id, sizeof(id), "%s", m->id);
	} else {
		memcpy(id, "msg_", 4);
		vg_random_token(18, id + 4, sizeof(id) - 4);
	}
	snprintf(stamp, sizeof(stamp), "%" PRId64, now_ms / 1000);
	vg_time_format_iso(now_ms, wm.when);
	rc = vg_buf_puts(&req->url, ch->url);
	if (!rc)
		rc = vg__notify_fit_json(req, m->text, BODY_MAX, message, &wm, err);
	if (!rc) {
		vg_buf_printf(&to_sign, "%s.%s.", id, stamp);
		vg_buf_append(&to_sign, req->body.ptr, req->body.len);
		vg_hmac_sha256(key.ptr, key.len, to_sign.ptr, to_sign.len, mac);
		rc = vg_base64_encode(mac, sizeof(mac), &sig);
		if (rc)
			rc = vg_error_set(err, rc, "out of memory signing a message");
	}
	if (!rc) {
		vg__notify_header(req, "Content-Type: application/json");
		vg__notify_header(req, "webhook-id: %s", id);
		vg__notify_header(req, "webhook-timestamp: %s", stamp);
		vg__notify_header(req, "webhook-signature: v1,%s", vg_buf_cstr(&sig));
	}
	memset(mac, 0, sizeof(mac));
	if (key.ptr)
		memset(key.ptr, 0, key.len);
	vg_buf_release(&key);
	vg_buf_release(&to_sign);
	vg_buf_release(&sig);
	return rc;
}

/* Any 2xx is success; 410 means the endpoint is gone for good; anything
 * else is retried with backoff, as the specification asks. */
static void judge(const vg_http_answer *answer, vg_notify_result *res, char *why, size_t why_size)
{
	vg__notify_judge_http(answer, res);
	if (!res->delivered) {
		res->retry = answer->status != 410;
		snprintf(why, why_size, "HTTP %ld%s", answer->status,
			 answer->status == 410 ? " (the endpoint is gone)" : "");
	}
}

const vg__notify_vendor vg__notify_webhook = { build, judge };
