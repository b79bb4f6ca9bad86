/*
 * replies.c - the mails a ticket's contact gets when the ticket came by
 * mail: the acknowledgement of a new ticket, and what the MSSP's staff
 * write publicly on it or how they resolve it, through the mailbox's reply
 * channel, each threaded under the mails before it (see queue.h).
 */
#include "notify/queue.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "itsm/tickets.h"

#define REFERENCES_KEPT 10 /* the thread's first Message-ID and the newest ones */

static json_t *message_id_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_string(vg_rows_text(r, 1));
}

static json_t *activity_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("[I, I, I, I, s, o, s, s, b, b, s, s, o, o, o]", vg_rows_int(r, 0),
			 vg_rows_int(r, 1), vg_rows_int(r, 2), vg_rows_int(r, 3), vg_rows_text(r, 4),
			 vg_rows_json_text(r, 5), vg_rows_text(r, 6), vg_rows_text(r, 7),
			 (int)vg_rows_int(r, 8), (int)vg_rows_int(r, 9), vg_rows_text(r, 10),
			 vg_rows_text(r, 11), vg_rows_json_text(r, 12), vg_rows_json_text(r, 13),
			 vg_rows_json_text(r, 14));
}

typedef struct activity {
	int64_t id, ticket_id, tenant_id, channel_id;
	const char *action, *to_state, *text, *username;
	bool public, staff;
	const char *type, *title, *address, *mailbox_address, *channel_name;
} activity;

/* What the contact is told of a step, or NULL: nothing. */
static const char *told(const activity *a)
{
	if (strcmp(a->action, "create") == 0)
		return "created";
	if (!a->staff || !a->public)
		return NULL;
	if (a->to_state && (strcmp(a->to_state, "resolved") == 0 ||
			    strcmp(a->to_state, "closed") == 0))
		return a->to_state;
	return *a->text ? "comment" : NULL;
}

/* The thread so far: In-Reply-To its newest Message-ID, References its
 * first and its newest ones, oldest first, each "<id>". */
static int thread_of(vg_tx *tx, int64_t ticket, vg_buf *in_reply_to, vg_buf *references,
		     vg_error *err)
{
	json_t *ids;
	int64_t last;
	size_t n, from;
	int rc = vg_tx_query_list(tx,
				  "SELECT rowid, message_id FROM ticket_message_ids WHERE ticket_id = "
				  "? ORDER BY at, rowid",
				  VG_PARAMS(VG_P_INT(ticket)), message_id_json, NULL, &ids, &last,
				  err);

	if (rc)
		return rc;
	n = json_array_size(ids);
	from = n > REFERENCES_KEPT ? n - (REFERENCES_KEPT - 1) : 1;
	if (n > 0) {
		vg_buf_printf(references, "<%s>", json_string_value(json_array_get(ids, 0)));
		for (size_t i = from; i < n; i++)
			vg_buf_printf(references, " <%s>", json_string_value(json_array_get(ids, i)));
		vg_buf_printf(in_reply_to, "<%s>", json_string_value(json_array_get(ids, n - 1)));
	}
	json_decref(ids);
	return VG_OK;
}

/* The mail's subject and text. */
static void compose(const activity *a, const char *what, const char *ref, vg_buf *title,
		    vg_buf *text)
{
	if (strcmp(what, "created") == 0) {
		vg_buf_printf(title, "[%s] %s", ref, a->title);
		vg_buf_printf(text,
			      "您的请求已受理，编号 %s。回复本邮件即可补充信息，请保留主题中的 [%s]。\n\n"
			      "We have received your request and opened %s. Reply to this mail to "
			      "add to it; keep [%s] in the subject.\n",
			      ref, ref, ref, ref);
		return;
	}
	vg_buf_printf(title, "Re: [%s] %s", ref, a->title);
	if (*a->text)
		vg_buf_printf(text, "%s\n\n", a->text);
	if (strcmp(what, "resolved") == 0)
		vg_buf_printf(text, "%s 已解决；如仍有问题，请直接回复本邮件。\n%s is resolved; if it "
			      "is not, reply to this mail.\n", ref, ref);
	else if (strcmp(what, "closed") == 0)
		vg_buf_printf(text, "%s 已关闭。\n%s is closed.\n", ref, ref);
	vg_buf_printf(text, "\n-- \n%s, %s\n", a->username, ref);
}

static int queue_reply(vg_tx *tx, const activity *a, const char *what, int64_t now,
		       vg_error *err)
{
	vg_buf title = VG_BUF_INIT(SIZE_MAX), text = VG_BUF_INIT(SIZE_MAX),
	       in_reply_to = VG_BUF_INIT(SIZE_MAX), references = VG_BUF_INIT(SIZE_MAX);
	const char *domain = strchr(a->mailbox_address, '@');
	char ref[32], message_id[384];
	int rc;

	vg_ticket_ref(a->type, a->ticket_id, ref);
	snprintf(message_id, sizeof(message_id), "vigil.%lld.%lld%s", (long long)a->ticket_id,
		 (long long)a->id, domain ? domain : "@vigil");
	rc = thread_of(tx, a->ticket_id, &in_reply_to, &references, err);
	compose(a, what, ref, &title, &text);
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"INSERT INTO deliveries (tenant_id, channel_id, channel_name, kind, ticket_id, "
			"alerts, title, text, next_at, created_at, recipient, message_id, "
			"in_reply_to, mail_references) VALUES (?, ?, ?, 'ticket', ?, 0, ?, ?, ?, ?, "
			"?, ?, ?, ?)",
			VG_PARAMS(VG_P_INT(a->tenant_id), VG_P_INT(a->channel_id),
				  VG_P_TEXT(a->channel_name), VG_P_INT(a->ticket_id),
				  VG_P_TEXT(vg_buf_cstr(&title)), VG_P_TEXT(vg_buf_cstr(&text)),
				  VG_P_INT(now), VG_P_INT(now), VG_P_TEXT(a->address),
				  VG_P_TEXT(message_id),
				  in_reply_to.len ? VG_P_TEXT(vg_buf_cstr(&in_reply_to)) : VG_P_NULL,
				  references.len ? VG_P_TEXT(vg_buf_cstr(&references)) : VG_P_NULL),
			NULL, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"INSERT INTO ticket_message_ids (message_id, ticket_id, at) VALUES (?, "
				"?, ?) ON CONFLICT (message_id) DO NOTHING",
				VG_PARAMS(VG_P_TEXT(message_id), VG_P_INT(a->ticket_id), VG_P_INT(now)),
				NULL, err);
	vg_buf_release(&title);
	vg_buf_release(&text);
	vg_buf_release(&in_reply_to);
	vg_buf_release(&references);
	return rc;
}

int vg_notify_queue_replies(vg_store *store, int64_t now, int limit, size_t *seen,
			    size_t *queued, vg_error *err)
{
	json_t *rows = NULL, *row;
	int64_t cursor, last = 0;
	size_t i;
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	*seen = *queued = 0;
	if (rc)
		return rc;
	rc = vg_tx_query_int(tx, "SELECT last_activity_id FROM mail_cursor WHERE id = 1",
			     VG_NO_PARAMS, &cursor, err);
	if (!rc)
		rc = vg_tx_query_list(
			tx,
			"SELECT a.id, a.ticket_id, t.tenant_id, COALESCE(b.reply_channel_id, 0), "
			"a.action, a.to_state, a.text, a.username, a.public, a.staff, t.type, t.title, "
			"m.address, b.address, c.name FROM ticket_activity a JOIN tickets t ON t.id = "
			"a.ticket_id LEFT JOIN ticket_mail m ON m.ticket_id = a.ticket_id LEFT JOIN "
			"mailboxes b ON b.id = m.mailbox_id LEFT JOIN channels c ON c.id = "
			"b.reply_channel_id WHERE a.id > ? ORDER BY a.id LIMIT ?",
			VG_PARAMS(VG_P_INT(cursor), VG_P_INT(limit)), activity_json, NULL, &rows,
			&last, err);
	json_array_foreach(rows, i, row)
	{
#define COL_INT(k) ((int64_t)json_integer_value(json_array_get(row, k)))
#define COL_TEXT(k) json_string_value(json_array_get(row, k))
		activity a = { .id = COL_INT(0),
			       .ticket_id = COL_INT(1),
			       .tenant_id = COL_INT(2),
			       .channel_id = COL_INT(3),
			       .action = COL_TEXT(4),
			       .to_state = COL_TEXT(5),
			       .text = COL_TEXT(6),
			       .username = COL_TEXT(7),
			       .public = json_is_true(json_array_get(row, 8)),
			       .staff = json_is_true(json_array_get(row, 9)),
			       .type = COL_TEXT(10),
			       .title = COL_TEXT(11),
			       .address = COL_TEXT(12),
			       .mailbox_address = COL_TEXT(13),
			       .channel_name = COL_TEXT(14) };
#undef COL_INT
#undef COL_TEXT
		const char *what;

		if (rc)
			break;
		++*seen;
		if (!a.address || !a.channel_id || !a.channel_name || !(what = told(&a)))
			continue;
		rc = queue_reply(tx, &a, what, now, err);
		if (!rc)
			++*queued;
	}
	json_decref(rows);
	if (rc == 0 && last)
		rc = vg_tx_exec(tx, "UPDATE mail_cursor SET last_activity_id = ? WHERE id = 1",
				VG_PARAMS(VG_P_INT(last)), NULL, err);
	if (rc == 0)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	*queued = 0;
	return rc;
}
