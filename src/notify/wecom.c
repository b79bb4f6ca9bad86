/*
 * wecom.c - WeCom (企业微信) group robots: markdown messages to the robot's
 * webhook URL, whose key is the only credential (there is no signature).
 * developer.work.weixin.qq.com/document/path/91770
 */
#include "notify/internal.h"

#include <stdlib.h>

/* The robot's limits: markdown content at most 4096 bytes of UTF-8. */
#define CONTENT_MAX 4096
/* errcode 45009: the robot's 20 messages a minute were used up. */
#define ERR_RATE_LIMITED 45009

static int build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		 vg__notify_request *req, vg_error *err)
{
	vg_buf md = VG_BUF_INIT(SIZE_MAX), content = VG_BUF_INIT(SIZE_MAX);
	json_t *o;
	char *body;
	int rc;

	(void)now_ms;
	rc = vg_buf_puts(&req->url, ch->url);
	if (!rc)
		rc = vg__notify_markdown(m, &md);
	if (!rc)
		rc = vg__notify_put_fitted(&content, vg_buf_cstr(&md), CONTENT_MAX);
	o = rc ? NULL
	       : json_pack("{s:s, s:{s:s%}}", "msgtype", "markdown", "markdown", "content",
			   vg_buf_cstr(&content), content.len);
	body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (body)
		rc = vg_buf_puts(&req->body, body);
	else
		rc = vg_error_set(err, VG_ENOMEM, "out of memory building a message");
	vg__notify_header(req, "Content-Type: application/json");
	free(body);
	json_decref(o);
	vg_buf_release(&md);
	vg_buf_release(&content);
	return rc;
}

static void judge(const vg_http_answer *answer, vg_notify_result *res, char *why, size_t why_size)
{
	/* The limit is per minute: waiting one frees it. */
	vg__notify_judge_errcode(answer, res, why, why_size, ERR_RATE_LIMITED, 60);
}

const vg__notify_vendor vg__notify_wecom = { build, judge };
