/* intake.c - mail into tickets, comments or the triage queue (see intake.h). */
#include "mail/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "identity/role.h"
#include "itsm/attachments.h"
#include "itsm/tickets.h"
#include "mail/mime.h"

#define MAX_PARTS 100
#define MAX_DEPTH 8
#define TITLE_MAX_BYTES 300
#define TEXT_MAX_BYTES 20000
#define REFERENCES_MAX 20

/* The mail as the store keeps it, and its mailbox. */
typedef struct mail_row {
	int64_t id, mailbox_id, mailbox_tenant, received_at;
	char status[16];
	char *address; /* the mailbox's own */
	char *raw;
	size_t len;
} mail_row;

/* Where a mail goes. */
typedef struct decision {
	const char *status; /* ticket, comment, triage, ignored, failed */
	char reason[VG_ERROR_MSG_MAX];
	int64_t tenant_id, ticket_id;
} decision;

static void mail_row_free(mail_row *m)
{
	free(m->address);
	free(m->raw);
}

static int load_mail(vg_store *store, int64_t id, mail_row *m, vg_error *err)
{
	vg_tx *tx;
	vg_rows *r;
	int rc = vg_tx_begin(store, false, &tx, err);

	memset(m, 0, sizeof(*m));
	if (rc)
		return rc;
	rc = vg_tx_query(tx,
			 "SELECT g.id, g.mailbox_id, COALESCE(b.tenant_id, 0), g.received_at, "
			 "g.status, b.address, g.raw FROM mail_messages g JOIN mailboxes b ON b.id "
			 "= g.mailbox_id WHERE g.id = ?",
			 VG_PARAMS(VG_P_INT(id)), &r, err);
	if (!rc) {
		rc = vg_rows_next(r, err);
		if (rc == 0)
			rc = vg_error_set(err, VG_ENOTFOUND, "no such mail");
		if (rc == 1) {
			const void *raw = vg_rows_blob(r, 6, &m->len);

			m->id = vg_rows_int(r, 0);
			m->mailbox_id = vg_rows_int(r, 1);
			m->mailbox_tenant = vg_rows_int(r, 2);
			m->received_at = vg_rows_int(r, 3);
			snprintf(m->status, sizeof(m->status), "%s", vg_rows_text(r, 4));
			m->address = vg_xstrdup(vg_rows_text(r, 5));
			if (raw) {
				m->raw = vg_xmalloc(m->len + 1);
				memcpy(m->raw, raw, m->len);
				m->raw[m->len] = '\0';
			}
			rc = VG_OK;
		}
		vg_rows_free(r);
	}
	vg_tx_rollback(tx);
	return rc;
}

/* The ticket a subject names, "[INC-42]" (its type must be the one the
 * prefix says), or 0. */
static int64_t ticket_in_subject(vg_tx *tx, const char *subject)
{
	for (const char *p = strchr(subject, '['); p; p = strchr(p + 1, '[')) {
		const char *type;
		int64_t id, found = 0;
		size_t len = vg_ticket_ref_read(p + 1, &type, &id);
		vg_error ignored;

		if (len && p[1 + len] == ']' &&
		    vg_tx_query_int(tx, "SELECT id FROM tickets WHERE id = ? AND type = ?",
				    VG_PARAMS(VG_P_INT(id), VG_P_TEXT(type)), &found, &ignored) == VG_OK)
			return found;
	}
	return 0;
}

/* The ticket whose thread holds message id msgid, or 0. */
static int64_t ticket_of_message(vg_tx *tx, const char *msgid)
{
	int64_t ticket = 0;
	vg_error ignored;

	if (!*msgid || vg_tx_query_int(tx,
				       "SELECT ticket_id FROM ticket_message_ids WHERE "
				       "message_id = ?",
				       VG_PARAMS(VG_P_TEXT(msgid)), &ticket, &ignored))
		return 0;
	return ticket;
}

static int64_t ticket_replied_to(vg_tx *tx, const vg_mime_message *m)
{
	int64_t ticket = ticket_in_subject(tx, m->subject);

	if (!ticket)
		ticket = ticket_of_message(tx, m->in_reply_to);
	for (size_t i = m->nreferences; !ticket && i > 0; i--)
		ticket = ticket_of_message(tx, m->references[i - 1]);
	return ticket;
}

/* A tenant's contact (tenants.contacts) who is not a user: a customer
 * acting under the address itself. VG_ENOTFOUND when no tenant lists it,
 * VG_EEXIST when several do. */
static int contact_ctx(vg_tx *tx, const char *address, vg_ctx *ctx, vg_error *err)
{
	vg_rows *r;
	int found = 0;
	int rc = vg_tx_query(tx, "SELECT id, contacts FROM tenants WHERE contacts LIKE ?",
			     VG_PARAMS(VG_P_TEXT("%@%")), &r, err);

	if (rc)
		return rc;
	while ((rc = vg_rows_next(r, err)) == 1) {
		json_t *contacts = json_loads(vg_rows_text(r, 1), 0, NULL), *c;
		size_t i;
		bool listed = false;

		json_array_foreach(contacts, i, c)
		{
			const char *email = json_string_value(json_object_get(c, "email"));

			listed = listed || (email && strcasecmp(email, address) == 0);
		}
		json_decref(contacts);
		if (listed && ++found == 1)
			ctx->tenant_id = vg_rows_int(r, 0);
	}
	vg_rows_free(r);
	if (rc < 0)
		return rc;
	if (found == 0)
		return VG_ENOTFOUND;
	if (found > 1)
		return VG_EEXIST;
	ctx->user_id = 0;
	ctx->role = VG_ROLE_CUSTOMER_USER;
	snprintf(ctx->username, sizeof(ctx->username), "%s", address);
	return VG_OK;
}

/* The user whose address sent the mail (else the tenant contact), as the
 * actor of what it does: VG_ENOTFOUND when nobody (enabled) has the
 * address, VG_EEXIST when several do. */
static int sender_ctx(vg_tx *tx, const char *address, vg_ctx *ctx, vg_error *err)
{
	vg_rows *r;
	int n = 0;
	int rc =
	    vg_tx_query(tx,
			"SELECT id, username, role, COALESCE(tenant_id, 0) FROM users WHERE "
			"lower(email) = ? AND email <> '' AND NOT disabled ORDER BY id LIMIT 2",
			VG_PARAMS(VG_P_TEXT(address)), &r, err);

	if (rc)
		return rc;
	memset(ctx, 0, sizeof(*ctx));
	while ((rc = vg_rows_next(r, err)) == 1 && ++n == 1) {
		ctx->user_id = vg_rows_int(r, 0);
		snprintf(ctx->username, sizeof(ctx->username), "%s", vg_rows_text(r, 1));
		ctx->role = vg_role_parse(vg_rows_text(r, 2));
		ctx->tenant_id = vg_rows_int(r, 3);
	}
	vg_rows_free(r);
	if (rc < 0)
		return rc;
	if (n == 0) {
		rc = contact_ctx(tx, address, ctx, err);
		if (rc)
			return rc;
		n = 1;
	}
	if (n > 1)
		return VG_EEXIST;
	memcpy(ctx->source, VG_CTX_SOURCE_MAIL, sizeof(VG_CTX_SOURCE_MAIL));
	ctx->scopes = VG_SCOPE_ALL;
	return VG_OK;
}

static bool blank(const char *l, size_t n)
{
	return strspn(l, " \t") >= n;
}

/* "On Tue, 1 Dec 2026, Li Lei wrote:", "在 2026年12月1日，李雷 写道：" */
static bool quote_intro(const char *l, size_t n)
{
	return (n >= 6 && memcmp(l + n - 6, "wrote:", 6) == 0) ||
	       memmem(l, n, "\xe5\x86\x99\xe9\x81\x93", 6); /* 写道 */
}

/* Where the quoted mail a reply carries begins in text (LF line ends): the
 * "-----Original Message-----" of Outlook (Foxmail's "-----原始邮件-----"),
 * or the run of "> " lines that ends the mail with the line introducing
 * it; len when there is none. */
static size_t quoted_start(const char *text, size_t len)
{
	static const char outlook[] = "-----Original Message-----",
			  foxmail[] = "-----\xe5\x8e\x9f\xe5\xa7\x8b\xe9\x82\xae\xe4\xbb\xb6-----";
	size_t quotes = len, intro = len;

	for (size_t line = 0; line < len;) {
		size_t n = strcspn(text + line, "\n");
		const char *l = text + line;

		if (memmem(l, n, outlook, sizeof(outlook) - 1) ||
		    memmem(l, n, foxmail, sizeof(foxmail) - 1))
			return line;
		if (n > 0 && l[0] == '>') {
			if (quotes == len)
				quotes = line;
		} else if (!blank(l, n)) {
			quotes = len;
			intro = quote_intro(l, n) ? line : len;
		}
		line += n + 1;
	}
	if (quotes == len)
		return len;
	return intro < quotes ? intro : quotes;
}

/* The mail's text as a ticket takes it: LF line ends, the quoted mail a
 * reply carries cut off, at most TEXT_MAX_BYTES (cut on a character). */
static char *ticket_text(const char *text, bool reply)
{
	size_t len = strlen(text), n = 0, cut;
	char *out = vg_xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && text[i + 1] == '\n'))
			out[n++] = text[i];
	out[n] = '\0';
	cut = reply ? quoted_start(out, n) : n;
	while (cut > 0 && strchr(" \t\r\n", out[cut - 1]))
		cut--;
	if (cut > TEXT_MAX_BYTES) {
		cut = TEXT_MAX_BYTES;
		while (cut > 0 && ((unsigned char)out[cut] & 0xc0) == 0x80)
			cut--;
	}
	out[cut] = '\0';
	return out;
}

/* The subject as a ticket's title: one line, at most TITLE_MAX_BYTES. */
static char *ticket_title(const char *subject)
{
	size_t cut = strlen(subject);
	char *title;

	while (*subject == ' ' || *subject == '\t')
		subject++, cut--;
	if (cut == 0)
		return vg_xstrdup("(no subject)");
	title = vg_xstrdup(subject);
	for (char *p = title; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	if (cut > TITLE_MAX_BYTES) {
		cut = TITLE_MAX_BYTES;
		while (cut > 0 && ((unsigned char)title[cut] & 0xc0) == 0x80)
			cut--;
		title[cut] = '\0';
	}
	return title;
}

static int attach_all(vg_tx *tx, const vg_ctx *ctx, const vg_mail_settings *s, int64_t ticket,
		      const vg_mime_message *m, vg_error *err)
{
	for (size_t i = 0; i < m->nattachments; i++) {
		const vg_mime_attachment *a = &m->attachments[i];
		vg_attachment_in in = {.filename = a->filename,
				       .content_type = a->content_type,
				       .data = a->data,
				       .len = a->len,
				       .public = true,
				       .source = "email",
				       .max_bytes = s->max_attachment_bytes};
		vg_error why = {0};
		int64_t id, tenant;
		int rc = vg_ticket_attach(tx, ctx, s->data_dir, ticket, &in, &id, &tenant, &why);

		if (rc)
			return vg_error_set(err, rc, "attachment %zu \"%s\": %s", i + 1,
					    a->filename, why.msg);
	}
	return VG_OK;
}

/* Records msgid as part of ticket's thread (a mail read twice is one). */
static int thread_note(vg_tx *tx, int64_t ticket, const char *msgid, int64_t at, vg_error *err)
{
	if (!*msgid)
		return VG_OK;
	return vg_tx_exec(
	    tx,
	    "INSERT INTO ticket_message_ids (message_id, ticket_id, at) VALUES (?, ?, "
	    "?) ON CONFLICT (message_id) DO NOTHING",
	    VG_PARAMS(VG_P_TEXT(msgid), VG_P_INT(ticket), VG_P_INT(at)), NULL, err);
}

/* A comment of ctx on ticket from the mail. */
static int comment_from(vg_tx *tx, const vg_ctx *ctx, const vg_mail_settings *s,
			const mail_row *row, const vg_mime_message *m, int64_t ticket, decision *d,
			vg_error *err)
{
	char *text = ticket_text(m->text, true);
	int rc = vg_ticket_comment(tx, ctx, ticket, *text ? text : "(an empty mail)", true,
				   &d->tenant_id, err);

	free(text);
	if (!rc)
		rc = attach_all(tx, ctx, s, ticket, m, err);
	if (!rc)
		rc = thread_note(tx, ticket, m->message_id, row->received_at, err);
	d->status = "comment";
	d->ticket_id = ticket;
	return rc;
}

/* A new ticket of ctx (tenant_id for staff) from the mail; its replies go
 * back to the sender through the mailbox. */
static int ticket_from(vg_tx *tx, const vg_ctx *ctx, const vg_mail_settings *s, const mail_row *row,
		       const vg_mime_message *m, int64_t tenant_id, decision *d, vg_error *err)
{
	char *title = ticket_title(m->subject), *text = ticket_text(m->text, false);
	vg_ticket_fields in = {.tenant_id = tenant_id,
			       .type = "request",
			       .title = title,
			       .description = text,
			       .channel = "email",
			       .received_at = row->received_at};
	int rc = vg_ticket_create(tx, ctx, &in, &d->ticket_id, &d->tenant_id, err);

	free(title);
	free(text);
	if (!rc)
		rc = attach_all(tx, ctx, s, d->ticket_id, m, err);
	if (!rc)
		rc = vg_tx_exec(
		    tx,
		    "INSERT INTO ticket_mail (ticket_id, mailbox_id, address) VALUES (?, ?, "
		    "?)",
		    VG_PARAMS(VG_P_INT(d->ticket_id), VG_P_INT(row->mailbox_id),
			      VG_P_TEXT(m->from_address)),
		    NULL, err);
	if (!rc)
		rc = thread_note(tx, d->ticket_id, m->message_id, row->received_at, err);
	d->status = "ticket";
	return rc;
}

static void triage(decision *d, const char *fmt, const char *arg)
{
	d->status = "triage";
	snprintf(d->reason, sizeof(d->reason), fmt, arg);
}

/* Decides and does, in tx: VG_OK with d filled, or the error of a ticket
 * or attachment refused (the caller marks the mail failed). */
static int route(vg_tx *tx, const vg_mail_settings *s, const mail_row *row,
		 const vg_mime_message *m, decision *d, vg_error *err)
{
	int64_t ticket, found, ticket_tenant;
	vg_ctx sender;
	vg_error ignored;
	int rc;

	if (strcmp(m->from_address, row->address) == 0) {
		d->status = "ignored";
		snprintf(d->reason, sizeof(d->reason), "sent by the mailbox itself");
		return VG_OK;
	}
	if (*m->message_id &&
	    vg_tx_query_int(
		tx,
		"SELECT id FROM mail_messages WHERE mailbox_id = ? AND message_id = ? "
		"AND id <> ? AND status IN ('ticket', 'comment') LIMIT 1",
		VG_PARAMS(VG_P_INT(row->mailbox_id), VG_P_TEXT(m->message_id), VG_P_INT(row->id)),
		&found, &ignored) == VG_OK) {
		d->status = "ignored";
		snprintf(d->reason, sizeof(d->reason),
			 "the same mail (Message-ID <%.400s>) was read "
			 "before",
			 m->message_id);
		return VG_OK;
	}
	rc = sender_ctx(tx, m->from_address, &sender, err);
	if (rc == VG_ENOTFOUND) {
		triage(d, "no user or tenant contact has the address %.400s", m->from_address);
		return VG_OK;
	}
	if (rc == VG_EEXIST) {
		triage(d, "several users or tenant contacts have the address %.400s",
		       m->from_address);
		return VG_OK;
	}
	if (rc)
		return rc;
	ticket = ticket_replied_to(tx, m);
	if (ticket) {
		rc = vg_tx_query_int(tx, "SELECT tenant_id FROM tickets WHERE id = ?",
				     VG_PARAMS(VG_P_INT(ticket)), &ticket_tenant, err);
		if (rc)
			return rc;
		if (!vg_ctx_sees_tenant(&sender, ticket_tenant) ||
		    (row->mailbox_tenant && row->mailbox_tenant != ticket_tenant)) {
			triage(d, "%.400s answered a ticket of another tenant", m->from_address);
			return VG_OK;
		}
		if (!vg_role_can(sender.role, VG_PERM_TICKET_WRITE)) {
			triage(d, "%.400s may not write on tickets", m->from_address);
			return VG_OK;
		}
		return comment_from(tx, &sender, s, row, m, ticket, d, err);
	}
	if (!vg_role_is_customer(sender.role)) {
		/* Staff forward what customers sent them: a person picks the tenant. */
		triage(d, "%.400s is the MSSP's staff: which tenant is it for?", m->from_address);
		return VG_OK;
	}
	if (row->mailbox_tenant && row->mailbox_tenant != sender.tenant_id) {
		triage(d, "%.400s is a contact of another tenant than the mailbox's",
		       m->from_address);
		return VG_OK;
	}
	if (!vg_role_can(sender.role, VG_PERM_TICKET_WRITE)) {
		triage(d, "%.400s may not open tickets", m->from_address);
		return VG_OK;
	}
	return ticket_from(tx, &sender, s, row, m, sender.tenant_id, d, err);
}

/* Writes what became of the mail; taken counts one more attempt at it. */
static int note(vg_tx *tx, const mail_row *row, const vg_mime_message *m, const decision *d,
		bool taken, vg_error *err)
{
	return vg_tx_exec(
	    tx,
	    "UPDATE mail_messages SET status = ?, reason = ?, tenant_id = ?, ticket_id = ?, "
	    "message_id = CASE WHEN ? IS NULL THEN message_id ELSE ? END, "
	    "from_address = COALESCE(?, from_address), subject = COALESCE(?, subject), "
	    "attempts = attempts + ?, updated_at = ? WHERE id = ?",
	    VG_PARAMS(VG_P_TEXT(d->status), VG_P_TEXT(d->reason), VG_P_ID_OR_NULL(d->tenant_id),
		      VG_P_ID_OR_NULL(d->ticket_id), VG_P_TEXT_OR_NULL(m ? m->message_id : NULL),
		      VG_P_TEXT_OR_NULL(m ? m->message_id : NULL),
		      VG_P_TEXT_OR_NULL(m ? m->from_address : NULL),
		      VG_P_TEXT_OR_NULL(m ? m->subject : NULL), VG_P_INT(taken),
		      VG_P_INT(vg_time_now_ms()), VG_P_INT(row->id)),
	    NULL, err);
}

/* Marks the mail failed for why, in a transaction of its own. */
static int fail_mail(vg_store *store, const mail_row *row, const vg_mime_message *m,
		     const char *why, bool taken, vg_error *err)
{
	decision d = {.status = "failed"};
	vg_tx *tx;
	int rc;

	snprintf(d.reason, sizeof(d.reason), "%s", why);
	vg_warn("mail", "mailbox %lld, mail %lld: %s (kept, to be taken again)",
		(long long)row->mailbox_id, (long long)row->id, why);
	rc = vg_tx_begin(store, true, &tx, err);
	if (!rc)
		rc = note(tx, row, m, &d, taken, err);
	if (!rc)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

static bool store_failed(int rc)
{
	return rc == VG_EIO || rc == VG_ENOMEM || rc == VG_ECORRUPT || rc == VG_EFAIL ||
	       rc == VG_ELIMIT;
}

/* Parses the mail: VG_OK, or the reason it cannot be read in why. */
static int parse(const vg_mail_settings *s, const mail_row *row, vg_mime_message *m, vg_error *why)
{
	vg_mime_limits limits = {.max_attachment = (size_t)s->max_attachment_bytes,
				 .max_parts = MAX_PARTS,
				 .max_depth = MAX_DEPTH};

	if (!row->raw)
		return vg_error_set(why, VG_ETOOBIG,
				    "the mail is over mail.max_message_bytes "
				    "(%lld) and was not fetched",
				    (long long)s->max_message_bytes);
	return vg_mime_parse(row->raw, row->len, &limits, m, why);
}

vg_mail_settings vg_mail_settings_of(const vg_app *app)
{
	return (vg_mail_settings){.data_dir = app->data_dir,
				  .max_message_bytes = app->config.mail_max_message_bytes,
				  .max_attachment_bytes = app->config.attachments_max_bytes,
				  .public_only = !app->config.notify_allow_private_targets};
}

int vg_mail_take(vg_store *store, const vg_mail_settings *s, int64_t id, vg_error *err)
{
	vg_mime_message m;
	decision d = {0};
	mail_row row;
	vg_error why = {0};
	vg_tx *tx = NULL;
	int rc = load_mail(store, id, &row, err);

	if (rc)
		return rc;
	if (parse(s, &row, &m, &why)) {
		rc = fail_mail(store, &row, NULL, why.msg, true, err);
		mail_row_free(&row);
		return rc;
	}
	rc = vg_tx_begin(store, true, &tx, err);
	if (!rc) {
		rc = route(tx, s, &row, &m, &d, &why);
		if (!rc)
			rc = note(tx, &row, &m, &d, true, &why);
		if (!rc)
			rc = vg_tx_commit(tx, &why);
		else
			vg_tx_rollback(tx);
		if (rc && store_failed(rc))
			*err = why;
		else if (rc)
			rc = fail_mail(store, &row, &m, why.msg, true, err);
	}
	if (!rc && strcmp(d.status, "triage") == 0)
		vg_info("mail", "mailbox %lld, mail %lld to triage: %s", (long long)row.mailbox_id,
			(long long)row.id, d.reason);
	vg_mime_free(&m);
	mail_row_free(&row);
	return rc;
}

int vg_mail_decide(vg_store *store, const vg_mail_settings *s, const vg_ctx *ctx,
		   int64_t mailbox_id, int64_t id, int64_t tenant_id, int64_t ticket_id,
		   vg_error *err)
{
	vg_mime_message m = {0};
	decision d = {0};
	mail_row row;
	vg_error why = {0};
	vg_tx *tx = NULL;
	int rc = load_mail(store, id, &row, err);

	if (rc == VG_OK && (row.mailbox_id != mailbox_id ||
			    (row.mailbox_tenant && !vg_ctx_sees_tenant(ctx, row.mailbox_tenant)) ||
			    (!row.mailbox_tenant && ctx->tenant_id)))
		rc = vg_error_set(err, VG_ENOTFOUND, "no such mail");
	if (rc) {
		mail_row_free(&row);
		return rc;
	}
	if (strcmp(row.status, "triage") != 0 && strcmp(row.status, "failed") != 0) {
		mail_row_free(&row);
		return vg_error_set(err, VG_ECONFLICT, "the mail is not waiting: it is %s",
				    row.status);
	}
	if (tenant_id && ticket_id) {
		mail_row_free(&row);
		return vg_error_set(err, VG_EINVAL, "give tenant_id or ticket_id, not both");
	}
	rc = (tenant_id || ticket_id) ? parse(s, &row, &m, &why) : VG_OK;
	if (rc) {
		mail_row_free(&row);
		return vg_error_set(err, VG_EINVAL, "the mail cannot be read: %s", why.msg);
	}
	rc = vg_tx_begin(store, true, &tx, err);
	if (!rc) {
		/* Claimed in the transaction: of two people deciding at once, one does. */
		int64_t changed = 0;

		rc =
		    vg_tx_exec(tx,
			       "UPDATE mail_messages SET updated_at = ? WHERE id = ? AND status IN "
			       "('triage', 'failed')",
			       VG_PARAMS(VG_P_INT(vg_time_now_ms()), VG_P_INT(id)), &changed, err);
		if (!rc && changed != 1)
			rc = vg_error_set(err, VG_ECONFLICT, "the mail was decided on meanwhile");
	}
	if (!rc && ticket_id)
		rc = comment_from(tx, ctx, s, &row, &m, ticket_id, &d, err);
	else if (!rc && tenant_id)
		rc = ticket_from(tx, ctx, s, &row, &m, tenant_id, &d, err);
	else if (!rc) {
		d.status = "dismissed";
		snprintf(d.reason, sizeof(d.reason), "dismissed by %s", ctx->username);
	}
	if (!rc)
		rc = note(tx, &row, (tenant_id || ticket_id) ? &m : NULL, &d, false, err);
	if (!rc)
		rc = vg_tx_commit(tx, err);
	else
		vg_tx_rollback(tx);
	vg_mime_free(&m);
	mail_row_free(&row);
	return rc;
}
