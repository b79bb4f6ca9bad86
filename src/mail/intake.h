/*
 * intake.h - what becomes of a mail a mailbox read.
 *
 * A mail from the mailbox itself is ignored (Vigil's own replies come back
 * through some servers). A reply (the ticket's reference "[INC-42]" in the
 * subject, or a Message-ID of the ticket's thread in In-Reply-To or
 * References) from someone who may write on that ticket becomes a public
 * comment on it; a new mail from a known customer contact (a user of the
 * tenant, or a contact the tenant lists) opens a request of its tenant, its SLA clocks started when the mail reached
 * the server. Attachments go with the comment or the ticket. Anything else
 * waits in the triage queue with the reason. A mail that cannot be read,
 * or whose ticket or attachment is refused, is marked failed with the
 * reason and kept, raw, to be taken again.
 */
#ifndef VG_MAIL_INTAKE_H
#define VG_MAIL_INTAKE_H

#include <stdint.h>

#include "app/app.h"
#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_mail_settings {
	const char *data_dir;       /* where attachments are kept */
	int64_t max_message_bytes;  /* a larger mail is not fetched */
	int64_t max_attachment_bytes;
	bool public_only;           /* mailboxes reach public addresses only */
} vg_mail_settings;

/* The settings of app's configuration and data directory. */
vg_mail_settings vg_mail_settings_of(const vg_app *app);

/* Takes mail id (a row of mail_messages with its raw bytes): its status,
 * reason, tenant and ticket are written, and a failure noted in the log.
 * Fails only when the store does. */
int vg_mail_take(vg_store *store, const vg_mail_settings *s, int64_t id, vg_error *err);

/* A person's decision on a mail in triage (or failed): open a ticket of
 * tenant_id for it (ticket_id 0), add it to ticket_id as a comment, or
 * (both 0) dismiss it. ctx acts; VG_ECONFLICT for a mail not waiting. */
int vg_mail_decide(vg_store *store, const vg_mail_settings *s, const vg_ctx *ctx,
		   int64_t mailbox_id, int64_t id, int64_t tenant_id, int64_t ticket_id,
		   vg_error *err);

#endif
