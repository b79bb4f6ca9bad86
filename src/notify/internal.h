/*
 * internal.h - what the channel types share inside notify/, and the two
 * steps of an HTTP delivery that the unit tests check on their own.
 */
#ifndef VG_NOTIFY_INTERNAL_H
#define VG_NOTIFY_INTERNAL_H

#include "core/buf.h"
#include "core/http_client.h"
#include "notify/notify.h"

/* An HTTP delivery as a channel type builds it. */
typedef struct vg__notify_request {
	vg_buf url;
	vg_buf body;
	char headers[VG_HTTP_HEADERS_MAX - 1][256]; /* "Name: value" */
	size_t nheaders;
} vg__notify_request;

/* Builds the request for ch (any type but email): body inside the vendor's
 * limit, signed with now_ms. VG_EINVAL for a channel that cannot work. */
int vg__notify_build(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		     vg__notify_request *req, vg_error *err);
void vg__notify_request_release(vg__notify_request *req);

/* Judges the vendor's HTTP answer into *res; VG_OK when delivered, else
 * the error as vg_notify_send reports it. */
int vg__notify_judge(enum vg_notify_type type, const vg_http_answer *answer,
		     vg_notify_result *res, vg_error *err);

/* One channel type over HTTP: how it builds a request and reads answers. */
typedef struct vg__notify_vendor {
	int (*build)(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		     vg__notify_request *req, vg_error *err);
	/* Sets res->delivered, retry, retry_after_s and vendor_code; writes
	 * the vendor's reason for a failure into why. */
	void (*judge)(const vg_http_answer *answer, vg_notify_result *res, char *why,
		      size_t why_size);
} vg__notify_vendor;

extern const vg__notify_vendor vg__notify_wecom, vg__notify_dingtalk, vg__notify_feishu,
	vg__notify_slack, vg__notify_webhook;

/* Email goes over SMTP, not HTTP; check is its part of vg_notify_check. */
int vg__notify_email_check(const vg_notify_channel *ch, vg_error *err);
int vg__notify_email_send(const vg_notify_channel *ch, const vg_notify_message *m,
			  int64_t now_ms, vg_notify_result *res, vg_error *err);

/* ---- shared by the channel types (text.c) ---- */

/* The length of the longest start of s (len bytes of UTF-8) that is at
 * most max bytes and ends at a character boundary. */
size_t vg__notify_cut(const char *s, size_t len, size_t max);

/* Appends s to out cut to at most max bytes, the cut marked with "…"
 * (which counts towards max). */
int vg__notify_put_fitted(vg_buf *out, const char *s, size_t max);

/* "## title\n\ntext": the message as one Markdown text (WeCom, DingTalk). */
int vg__notify_markdown(const vg_notify_message *m, vg_buf *out);

/* The text rewritten for Slack's mrkdwn: **b** as *b*, [t](u) as <u|t>,
 * headings as bold lines, & < > escaped. */
int vg__notify_to_mrkdwn(const char *text, vg_buf *out);

/* The text as HTML (headings, lists, paragraphs, bold, code, links; all
 * else escaped), for email. */
int vg__notify_to_html(const char *text, vg_buf *out);

/* Appends s (n bytes) with & < > " escaped for HTML. */
int vg__notify_html_escape(vg_buf *out, const char *s, size_t n);

/* Generic answers: 2xx delivered; 429, 408 and 5xx worth retrying. */
void vg__notify_judge_http(const vg_http_answer *answer, vg_notify_result *res);

/* The answer of the robots that say {"errcode":0,"errmsg":"ok"} (WeCom,
 * DingTalk): another errcode is a refusal, worth retrying after wait_s
 * when it is rate_limited; why gets "errcode N: errmsg". */
void vg__notify_judge_errcode(const vg_http_answer *answer, vg_notify_result *res, char *why,
			      size_t why_size, long rate_limited, long wait_s);

/* Adds "Name: value" to req's headers. */
void vg__notify_header(vg__notify_request *req, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets req's body to the compact JSON make(piece, arg) builds (and
 * vg__notify_fit_json frees), where piece is text cut as far as needed for
 * the body to fit in max bytes (vg__notify_put_fitted's "…" marks a cut).
 * VG_ETOOBIG when even an empty piece does not fit; VG_ENOMEM when make
 * returns NULL. */
typedef json_t *(*vg__notify_json_fn)(const char *piece, void *arg);
int vg__notify_fit_json(vg__notify_request *req, const char *text, size_t max,
			vg__notify_json_fn make, void *arg, vg_error *err);

/* ---- alerts as messages (alert_text.c); language "zh-CN" or "en" ---- */

/* "【高危】SSH Brute Force From One Address". */
int vg__notify_alert_title(const json_t *alert, const char *language, vg_buf *out);
/* Customer, severity, rule, count and times, the grouped fields (their
 * values as code: they come from events), and a link when public_url is
 * set. */
int vg__notify_alert_text(const json_t *alert, const char *tenant, const char *language,
			  const char *public_url, vg_buf *out);
int vg__notify_digest_title(size_t alerts, int window_minutes, const char *language,
			    vg_buf *out);
/* "【升级】【高危】title", and the line that says why it is sent again. */
int vg__notify_escalation_title(const json_t *alert, const char *language, vg_buf *out);
int vg__notify_escalation_note(int minutes, const char *language, vg_buf *out);
/* "- 【高危】title — tenant\n" */
int vg__notify_digest_line(const json_t *alert, const char *tenant, const char *language,
			   vg_buf *out);
/* A ticket event ({"kind", "clock", "ticket_id", "ref", "type", "title",
 * "priority", "state", "text": the SLA explanation or null, "recipients":
 * [{"username", ...}] an escalation is for}): "【响应超时】INC-12 title",
 * and its lines. A channel posts to a team's robot or a fixed address, not
 * to a user: an escalation's recipients are named in its text. */
int vg__notify_ticket_title(const json_t *event, const char *language, vg_buf *out);
int vg__notify_ticket_text(const json_t *event, const char *tenant, const char *language,
			   const char *public_url, vg_buf *out);

#endif
