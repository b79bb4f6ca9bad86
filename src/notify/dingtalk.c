/*
 * dingtalk.c - DingTalk (钉钉) custom robots: markdown messages; with a
 * signing secret ("SEC..."), the URL carries timestamp (ms) and
 * sign = urlencode(base64(HMAC-SHA256(secret, timestamp "\n" secret))).
 * open.dingtalk.com/document/robots/customize-robot-security-settings
 */
#include "notify/internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/crypto.h"

/* DingTalk documents no markdown limit; this keeps a message readable on a
 * phone and well under what its API takes. */
#define TEXT_MAX 20000
/* errcode 130101: over 20 messages a minute; the robot is then throttled
 * for ten minutes. */
#define ERR_THROTTLED 130101

static int sign_url(const vg_notify_channel *ch, int64_t now_ms, vg_buf *url)
{
	char stamp[24], *to_sign;
	uint8_t mac[VG_SHA256_LEN];
	vg_buf b64 = VG_BUF_INIT(SIZE_MAX);
	int rc;

	snprintf(stamp, sizeof(stamp), "%" PRId64, now_ms);
	if (asprintf(&to_sign, "%s\n%s", stamp, ch->secret) < 0)
		return VG_ENOMEM;
	vg_hmac_sha256(ch->secret, strlen(ch->secret), to_sign, strlen(to_sign), mac);
	free(to_sign);
	rc = vg_base64_encode(mac, sizeof(mac), &b64);
	if (!rc)
		rc = vg_buf_printf(url, "%ctimestamp=%s&sign=", strchr(ch->url, '?') ? '&' : '?',
				   stamp);
	if (!rc)
		rc = vg_url_encode(b64.ptr, b64.len, url);
	vg_buf_release(&b64);
	return rc;
}

static json_t *message(const char *piece, void *arg)
{
	const vg_notify_message *m = arg;

	return json_pack("{s:s, s:{s:s, s:s}, s:{s:[], s:b}}", "msgtype", "markdown", "markdown",
			 "title", m->title, "text", piece, "at", "atMobiles", "isAtAll", 0);
}

static int build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		 vg__notify_request *req, vg_error *err)
{
	vg_buf md = VG_BUF_INIT(SIZE_MAX);
	int rc = vg_buf_puts(&req->url, ch->url);

	if (!rc && ch->secret)
		rc = sign_url(ch, now_ms, &req->url);
	if (!rc)
		rc = vg__notify_markdown(m, &md);
	if (rc)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory building a message");
	else
		rc = vg__notify_fit_json(req, vg_buf_cstr(&md), TEXT_MAX + 512, message, (void *)m,
					 err);
	vg__notify_header(req, "Content-Type: application/json");
	vg_buf_release(&md);
	return rc;
}

static void judge(const vg_http_answer *answer, vg_notify_result *res, char *why, size_t why_size)
{
	vg__notify_judge_errcode(answer, res, why, why_size, ERR_THROTTLED, 600);
}

const vg__notify_vendor vg__notify_dingtalk = { build, judge };
