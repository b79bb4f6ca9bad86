/*
 * fuzz_notify.c - notifications on outside input: message text (alert
 * titles and bodies carry event fields) built into each vendor's request,
 * and vendors' answers judged.
 *
 * Input: byte 0 picks the channel type, bytes 1-2 the HTTP status; the
 * rest is split at its first NUL into the vendor's answer and the message
 * text (its first line the title).
 * Promises checked: a request is built or refused with VG_EINVAL and a
 * message; a built JSON body parses as JSON and stays inside the vendor's
 * limit; an answer is judged delivered exactly when VG_OK is returned, and
 * a failure always has a message; the Markdown converters never fail on
 * valid UTF-8.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/utf8.h"
#include "notify/internal.h"

static const vg_notify_channel channels[] = {
	{ .type = VG_NOTIFY_WECOM, .url = "https://q.example/send?key=K" },
	{ .type = VG_NOTIFY_DINGTALK, .url = "https://d.example/send?t=T", .secret = "SECs" },
	{ .type = VG_NOTIFY_FEISHU, .url = "https://f.example/hook/T", .secret = "s" },
	{ .type = VG_NOTIFY_SLACK, .url = "https://s.example/services/x" },
	{ .type = VG_NOTIFY_WEBHOOK, .url = "https://w.example/in", .secret = "whsec_a2V5" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	const vg_notify_channel *ch;
	vg_http_answer answer;
	vg_notify_result res = { .retry_after_s = -1 };
	vg__notify_request req;
	vg_notify_message m = { .event = "fuzz", .id = "msg_f" };
	vg_buf scratch = VG_BUF_INIT(1 << 24);
	vg_error err = { 0 };
	const char *nul;
	char *text, *title_end;
	size_t answer_len;
	int rc;

	if (!ready) {
		if (vg_crypto_init(&err))
			abort();
		ready = true;
	}
	if (size < 3)
		return 0;
	ch = &channels[data[0] % (sizeof(channels) / sizeof(channels[0]))];
	nul = memchr(data + 3, 0, size - 3);
	answer_len = nul ? (size_t)(nul - (const char *)data - 3) : size - 3;

	answer = (vg_http_answer){ .status = 100 + (data[1] << 8 | data[2]) % 500,
				   .retry_after_s = -1,
				   .body = VG_BUF_INIT(1 << 16) };
	vg_buf_append(&answer.body, data + 3, answer_len);
	rc = vg__notify_judge(ch->type, &answer, &res, &err);
	if ((rc == VG_OK) != res.delivered || (rc && !err.msg[0]))
		abort();
	vg_http_answer_release(&answer);

	if (!nul)
		return 0;
	text = strndup(nul + 1, size - answer_len - 4);
	if (!text || !vg_utf8_valid(text, strlen(text), false)) {
		free(text);
		return 0;
	}
	title_end = strchr(text, '\n');
	m.title = text;
	m.text = title_end ? title_end + 1 : "";
	if (title_end)
		*title_end = '\0';
	rc = vg__notify_build(ch, &m, 1796150899123LL, &req, &err);
	if (rc == VG_OK) {
		json_t *body = json_loadb(req.body.ptr, req.body.len, 0, NULL);

		if (!body || req.body.len > 20512)
			abort();
		json_decref(body);
		vg__notify_request_release(&req);
	} else if ((rc != VG_EINVAL && rc != VG_ETOOBIG) || !err.msg[0]) {
		abort();
	}
	if (vg__notify_to_mrkdwn(m.text, &scratch) || vg__notify_to_html(m.text, &scratch))
		abort();
	vg_buf_release(&scratch);
	free(text);
	return 0;
}
