/*
 * feishu.c - Feishu / Lark custom bots: "post" (rich text) messages, one
 * paragraph a line under the title; with a signing secret, the body carries
 * "timestamp" (seconds) and sign = base64(HMAC-SHA256(key = timestamp "\n"
 * secret, message = nothing)).
 * open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 */
#include "notify/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/crypto.h"

#define BODY_MAX 20000 /* the bot takes 20 KB */

typedef struct feishu_message {
	const vg_notify_message *m;
	const char *timestamp, *sign; /* NULL when unsigned */
} feishu_message;

/* Each line a paragraph of one text element: the post format renders no
 * Markdown, so the text goes as written. */
static json_t *message(const char *piece, void *arg)
{
	const feishu_message *fm = arg;
	json_t *lines = json_array(), *o;
	const char *p = piece;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		json_array_append_new(lines, json_pack("[{s:s, s:s%}]", "tag", "text", "text", p, n));
		if (!nl)
			break;
		p = nl + 1;
	}
	o = json_pack("{s:s, s:{s:{s:{s:s, s:o}}}}", "msg_type", "post", "content", "post", "zh_cn",
		      "title", fm->m->title, "content", lines);
	if (o && fm->sign) {
		json_object_set_new(o, "timestamp", json_string(fm->timestamp));
		json_object_set_new(o, "sign", json_string(fm->sign));
	}
	return o;
}

static int build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		 vg__notify_request *req, vg_error *err)
{
	feishu_message fm = { .m = m };
	vg_buf sign = VG_BUF_INIT(SIZE_MAX);
	char stamp[24], *key = NULL;
	int rc = vg_buf_puts(&req->url, ch->url);

	if (!rc && ch->secret) {
		uint8_t mac[VG_SHA256_LEN];

		snprintf(stamp, sizeof(stamp), "%" PRId64, now_ms / 1000);
		if (asprintf(&key, "%s\n%s", stamp, ch->secret) < 0)
			return vg_error_set(err, VG_ENOMEM, "out of memory signing a message");
		vg_hmac_sha256(key, strlen(key), "", 0, mac);
		rc = vg_base64_encode(mac, sizeof(mac), &sign);
		fm.timestamp = stamp;
		fm.sign = vg_buf_cstr(&sign);
	}
	if (rc)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory building a message");
	else
		rc = vg__notify_fit_json(req, m->text, BODY_MAX, message, &fm, err);
	vg__notify_header(req, "Content-Type: application/json");
	free(key);
	vg_buf_release(&sign);
	return rc;
}

/* {"code":0,"msg":"success"}; older bots answer {"StatusCode":0,...}. */
static void judge(const vg_http_answer *answer, vg_notify_result *res, char *why, size_t why_size)
{
	json_t *o = json_loadb(answer->body.ptr ? answer->body.ptr : "", answer->body.len, 0, NULL);
	json_t *code = json_object_get(o, "code"), *msg = json_object_get(o, "msg");

	if (!code) {
		code = json_object_get(o, "StatusCode");
		msg = json_object_get(o, "StatusMessage");
	}
	vg__notify_judge_http(answer, res);
	if (json_is_integer(code) && json_integer_value(code) != 0) {
		res->vendor_code = (long)json_integer_value(code);
		res->delivered = false;
		snprintf(why, why_size, "code %ld: %s", res->vendor_code,
			 json_is_string(msg) ? json_string_value(msg) : "(no msg)");
	} else if (res->delivered && !json_is_integer(code)) {
		res->delivered = false;
		res->retry = true;
		snprintf(why, why_size, "HTTP %ld but no code in the answer", answer->status);
	} else if (!res->delivered) {
		snprintf(why, why_size, "HTTP %ld", answer->status);
	}
	json_decref(o);
}

const vg__notify_vendor vg__notify_feishu = { build, judge };
