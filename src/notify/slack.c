/*
 * slack.c - Slack incoming webhooks: a header block with the title and a
 * section of mrkdwn; the URL is the credential. An answer of "ok" is
 * success; errors are words ("invalid_payload", "no_service").
 * api.slack.com/messaging/webhooks
 */
#include "notify/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_MAX 150   /* characters of a plain_text header */
#define SECTION_MAX 3000 /* characters of a section's text */

/* The bytes of the first max characters of s. */
static size_t chars_to_bytes(const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	while (s[i] && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	return i;
}

static int fitted_chars(const char *s, size_t max_chars, vg_buf *out)
{
	size_t len = strlen(s), bytes = chars_to_bytes(s, max_chars);

	/* Cut by characters, then leave room for the "…" as one of them. */
	return bytes >= len ? vg_buf_append(out, s, len)
			    : vg__notify_put_fitted(out, s, chars_to_bytes(s, max_chars - 1) + 3);
}

static int build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		 vg__notify_request *req, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(SIZE_MAX), section = VG_BUF_INIT(SIZE_MAX),
	       header = VG_BUF_INIT(SIZE_MAX);
	json_t *o = NULL;
	char *body = NULL;
	int rc;

	(void)now_ms;
	rc = vg_buf_puts(&req->url, ch->url);
	if (!rc)
		rc = vg__notify_to_mrkdwn(m->text, &text);
	if (!rc)
		rc = fitted_chars(vg_buf_cstr(&text), SECTION_MAX, &section);
	if (!rc)
		rc = fitted_chars(m->title, HEADER_MAX, &header);
	if (!rc)
		o = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}, {s:s, s:{s:s, s:s}}]}", "text", m->title,
			      "blocks", "type", "header", "text", "type", "plain_text", "text",
			      vg_buf_cstr(&header), "type", "section", "text", "type", "mrkdwn",
			      "text", section.len ? vg_buf_cstr(&section) : " ");
	body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (body)
		rc = vg_buf_puts(&req->body, body);
	else
		rc = vg_error_set(err, VG_ENOMEM, "out of memory building a message");
	vg__notify_header(req, "Content-Type: application/json");
	free(body);
	json_decref(o);
	vg_buf_release(&text);
	vg_buf_release(&section);
	vg_buf_release(&header);
	return rc;
}

static void judge(const vg_http_answer *answer, vg_notify_result *res, char *why, size_t why_size)
{
	const char *said = answer->body.ptr ? answer->body.ptr : "";

	vg__notify_judge_http(answer, res);
	if (res->delivered && strcmp(said, "ok") != 0) {
		res->delivered = false;
		snprintf(why, why_size, "HTTP %ld: %.200s", answer->status, said);
	} else if (!res->delivered) {
		snprintf(why, why_size, "HTTP %ld: %.200s", answer->status,
			 *said ? said : "(no answer)");
	}
}

const vg__notify_vendor vg__notify_slack = { build, judge };
