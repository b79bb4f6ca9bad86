/* notify.c - channel types and one delivery (see notify.h). */
#include "notify/internal.h"

#include <stdio.h>
#include <string.h>

static const char *const type_names[VG_NOTIFY_NTYPES] = {
	[VG_NOTIFY_WECOM] = "wecom",     [VG_NOTIFY_DINGTALK] = "dingtalk",
	[VG_NOTIFY_FEISHU] = "feishu",   [VG_NOTIFY_SLACK] = "slack",
	[VG_NOTIFY_WEBHOOK] = "webhook", [VG_NOTIFY_EMAIL] = "email",
};

static const vg__notify_vendor *const vendors[VG_NOTIFY_NTYPES] = {
	[VG_NOTIFY_WECOM] = &vg__notify_wecom,     [VG_NOTIFY_DINGTALK] = &vg__notify_dingtalk,
	[VG_NOTIFY_FEISHU] = &vg__notify_feishu,   [VG_NOTIFY_SLACK] = &vg__notify_slack,
	[VG_NOTIFY_WEBHOOK] = &vg__notify_webhook,
};

const char *vg_notify_type_name(enum vg_notify_type type)
{
	return (unsigned)type < VG_NOTIFY_NTYPES ? type_names[type] : "unknown";
}

int vg_notify_type_parse(const char *name, enum vg_notify_type *out, vg_error *err)
{
	for (int i = 0; i < VG_NOTIFY_NTYPES; i++) {
		if (strcmp(name, type_names[i]) == 0) {
			*out = (enum vg_notify_type)i;
			return VG_OK;
		}
	}
	return vg_error_set(err, VG_EINVAL,
			    "unknown channel type \"%s\" (wecom, dingtalk, feishu, slack, webhook, "
			    "email)",
			    name);
}

/* What every channel needs before anything is built. */
static int check_channel(const vg_notify_channel *ch, const vg_notify_message *m, vg_error *err)
{
	if ((unsigned)ch->type >= VG_NOTIFY_NTYPES)
		return vg_error_set(err, VG_EINVAL, "unknown channel type %d", (int)ch->type);
	if (!ch->url || !*ch->url)
		return vg_error_set(err, VG_EINVAL, "%s: the channel has no URL",
				    type_names[ch->type]);
	if (!m->title || !*m->title || strpbrk(m->title, "\r\n"))
		return vg_error_set(err, VG_EINVAL, "%s: a message needs a one-line title",
				    type_names[ch->type]);
	if (ch->type == VG_NOTIFY_DINGTALK && ch->secret && strncmp(ch->secret, "SEC", 3) != 0)
		return vg_error_set(err, VG_EINVAL,
				    "dingtalk: a signing secret starts with \"SEC\" (the access "
				    "token belongs in the URL)");
	return VG_OK;
}

int vg__notify_build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		     vg__notify_request *req, vg_error *err)
{
	int rc = check_channel(ch, m, err);

	req->url = (vg_buf)VG_BUF_INIT(SIZE_MAX);
	req->body = (vg_buf)VG_BUF_INIT(SIZE_MAX);
	req->nheaders = 0;
	if (rc)
		return rc;
	if (!vendors[ch->type])
		return vg_error_set(err, VG_EINVAL, "%s is not sent over HTTP", type_names[ch->type]);
	rc = vendors[ch->type]->build(ch, m, now_ms, req, err);
	if (rc) {
		vg_error_prefix(err, "%s", type_names[ch->type]);
		vg__notify_request_release(req);
	}
	return rc;
}

void vg__notify_request_release(vg__notify_request *req)
{
	vg_buf_release(&req->url);
	vg_buf_release(&req->body);
	req->nheaders = 0;
}

int vg__notify_judge(enum vg_notify_type type, const vg_http_answer *answer,
		     vg_notify_result *res, vg_error *err)
{
	char why[384] = "";

	res->status = answer->status;
	res->vendor_code = 0;
	snprintf(res->answer, sizeof(res->answer), "%s", answer->body.ptr ? answer->body.ptr : "");
	vendors[type]->judge(answer, res, why, sizeof(why));
	if (res->delivered)
		return VG_OK;
	return vg_error_set(err, VG_EIO, "%s: %s", type_names[type], why);
}

int vg_notify_check(const vg_notify_channel *ch, vg_error *err)
{
	vg_notify_message probe = { .title = "Vigil", .text = "check", .event = "check" };
	vg__notify_request req;
	int rc = check_channel(ch, &probe, err);

	if (rc)
		return rc;
	if (ch->type == VG_NOTIFY_EMAIL)
		return vg__notify_email_check(ch, err);
	rc = vg__notify_build(ch, &probe, 0, &req, err);
	if (rc == VG_OK)
		vg__notify_request_release(&req);
	return rc;
}

int vg_notify_send(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		   vg_notify_result *res, vg_error *err)
{
	vg__notify_request req;
	vg_http_request http = { .method = "POST" };
	vg_http_answer answer;
	int rc;

	memset(res, 0, sizeof(*res));
	res->retry_after_s = -1;
	if (ch->type == VG_NOTIFY_EMAIL) {
		rc = check_channel(ch, m, err);
		return rc ? rc : vg__notify_email_send(ch, m, now_ms, res, err);
	}
	rc = vg__notify_build(ch, m, now_ms, &req, err);
	if (rc)
		return rc;
	http.public_only = ch->public_only;
	http.url = vg_buf_cstr(&req.url);
	http.body = vg_buf_cstr(&req.body);
	http.body_len = req.body.len;
	for (size_t i = 0; i < req.nheaders; i++)
		http.headers[i] = req.headers[i];
	rc = vg_http_send(&http, &answer, err);
	if (rc == VG_OK) {
		rc = vg__notify_judge(ch->type, &answer, res, err);
		vg_http_answer_release(&answer);
	} else {
		/* No answer at all: the network or the vendor may be back later. */
		res->retry = rc == VG_EIO;
		vg_error_prefix(err, "%s", type_names[ch->type]);
	}
	vg__notify_request_release(&req);
	return rc;
}
