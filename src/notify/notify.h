/*
 * notify.h - sending one message to where a team works: WeCom, DingTalk and
 * Feishu group robots, Slack, a Standard Webhooks endpoint, or email.
 *
 * A message is a title and a body in Vigil's small Markdown (below); each
 * channel type turns it into what its vendor renders, signs it the way the
 * vendor documents (../shared/reference/webhooks.md), keeps it inside the
 * vendor's size limit (cutting the body, marked with "…", at a character
 * boundary), sends it and judges the answer: delivered, worth retrying
 * (throttled, a server error, no answer) or refused for good (a bad key or
 * signature, a vanished endpoint), with the vendor's own code and words.
 *
 * Vigil's Markdown: lines; "# " and "## " headings; "- " list items;
 * **bold**, `code` and [text](url) within a line. Nothing else is special.
 */
#ifndef VG_NOTIFY_NOTIFY_H
#define VG_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum vg_notify_type {
	VG_NOTIFY_WECOM,
	VG_NOTIFY_DINGTALK,
	VG_NOTIFY_FEISHU,
	VG_NOTIFY_SLACK,
	VG_NOTIFY_WEBHOOK,
	VG_NOTIFY_EMAIL,
	VG_NOTIFY_NTYPES
};

/* "wecom", "dingtalk", "feishu", "slack", "webhook", "email"; the parse
 * returns VG_EINVAL naming the choices for anything else. */
const char *vg_notify_type_name(enum vg_notify_type type);
int vg_notify_type_parse(const char *name, enum vg_notify_type *out, vg_error *err);

#define VG_NOTIFY_TO_MAX 16

typedef struct vg_notify_channel {
	enum vg_notify_type type;
	/* The vendor's webhook URL (WeCom ...?key=, DingTalk ...?access_token=,
	 * Feishu .../hook/TOKEN, Slack, the customer's endpoint), or for email
	 * the SMTP server: smtps://host:port, or smtp://host:port with
	 * STARTTLS when the server offers it (and required before a login,
	 * unless the server is on this machine). */
	const char *url;
	/* DingTalk's "SEC..." signing secret, Feishu's signing secret, the
	 * webhook's "whsec_<base64>" key; for email the SMTP password. NULL
	 * when the channel has none (WeCom and Slack never do). */
	const char *secret;
	/* Email only: SMTP user (NULL: no login), sender, recipients. */
	const char *username;
	const char *from;
	const char *to[VG_NOTIFY_TO_MAX];
	size_t nto;
	/* Refuse to connect to loopback, private and link-local addresses (see
	 * vg_curl_guard_install): set for channels whoever configured them may
	 * point anywhere. */
	bool public_only;
} vg_notify_channel;

/* A file an email carries (its name without path; its MIME type). */
typedef struct vg_notify_attachment {
	const char *name, *type;
	const void *data;
	size_t len;
} vg_notify_attachment;

typedef struct vg_notify_message {
	const char *title; /* one line */
	const char *text;  /* Vigil's Markdown */
	/* What the message is about, for the webhook's "type" ("alert.created",
	 * "test") and its data object (NULL: none). */
	const char *event;
	json_t *data;
	/* A stable id, so a retried delivery is recognisable (webhook-id, the
	 * email's Message-ID); NULL: one is made up. */
	const char *id;
	/* Email only. to: the one recipient instead of the channel's (a
	 * ticket's contact; NULL: the channel's). message_id: the Message-ID
	 * itself, without brackets (NULL: made from id). in_reply_to and
	 * references: the thread's "<id>" list (NULL: not a reply). */
	const char *to, *message_id, *in_reply_to, *references;
	/* Email only: files attached (none when nattachments is 0). */
	const vg_notify_attachment *attachments;
	size_t nattachments;
} vg_notify_message;

typedef struct vg_notify_result {
	bool delivered;
	bool retry;         /* not delivered, but worth sending again later */
	long retry_after_s; /* when the vendor says (Retry-After, throttling); -1: unsaid */
	long status;        /* HTTP status, or the SMTP server's last reply code */
	long vendor_code;   /* errcode / code in the vendor's answer, 0 when none */
	char answer[512];   /* the vendor's answer as received, cut */
} vg_notify_result;

/* VG_OK when ch can be sent to as configured (the checks vg_notify_send
 * makes before sending), else VG_EINVAL naming the problem. */
int vg_notify_check(const vg_notify_channel *ch, vg_error *err);

/*
 * Sends m over ch, with now_ms as the signing time. VG_OK when the vendor
 * accepted it; otherwise an error naming the channel type and the vendor's
 * reason ("dingtalk: errcode 310000: sign not match"), with *res saying
 * whether to retry. VG_EINVAL for a channel that cannot work as given (a
 * missing or malformed secret, no recipients), before anything is sent;
 * VG_EPERM when public_only refused the address the URL leads to.
 */
int vg_notify_send(const vg_notify_channel *ch, const vg_notify_message *m, int64_t now_ms,
		   vg_notify_result *res, vg_error *err);

#endif
