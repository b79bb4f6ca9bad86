/*
 * mailbox.h - the IMAP mailboxes Vigil reads, and the mail read from them.
 *
 * A mailbox serves the whole deployment (tenant_id 0: senders are matched
 * to their tenants) or one tenant. Its password is sealed with the master
 * key and never leaves the store again but to log in. Every mail read is
 * kept with its raw bytes and what became of it (mail_messages), so a mail
 * that failed can be read again once the cause is fixed, and one from an
 * unknown sender waits in the triage queue for a person.
 */
#ifndef VG_MAIL_MAILBOX_H
#define VG_MAIL_MAILBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_mailbox_fields {
	int64_t tenant_id; /* 0: the deployment's (create only) */
	const char *name, *url, *username, *password, *address; /* NULL: unchanged */
	int64_t reply_channel_id; /* an email channel; 0: unchanged */
	bool clear_reply_channel; /* replies are not sent */
	int enabled;              /* 1, 0; -1: unchanged (create: 1) */
} vg_mailbox_fields;

/* VG_EINVAL naming a bad or missing field, VG_ENOTFOUND for a tenant or
 * channel ctx cannot see, VG_EEXIST for a name taken. */
int vg_mailbox_create(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
		      const vg_mailbox_fields *in, int64_t *id, vg_error *err);
int vg_mailbox_update(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key, int64_t id,
		      const vg_mailbox_fields *in, int64_t *tenant_id, vg_error *err);

/* A mailbox as the API shows it, with where its reading stands and how
 * many of its mails are in each state; never the password. */
int vg_mailbox_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);
/* Shaped as http.h's vg_list_fn. */
int vg_mailbox_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		    int limit, json_t **items, int64_t *last_id, vg_error *err);

/* A mailbox to read, its password open. */
typedef struct vg_mailbox_open {
	int64_t id, tenant_id, reply_channel_id, uidvalidity, last_uid;
	char *name, *url, *username, *password, *address;
} vg_mailbox_open;

/* The enabled mailboxes, *v to release with vg_mailbox_open_free. */
int vg_mailboxes_enabled(vg_tx *tx, const vg_master_key *key, vg_mailbox_open **v, size_t *n,
			 vg_error *err);
void vg_mailbox_open_free(vg_mailbox_open *v, size_t n);

/* The mail read from mailbox id, oldest first, as a page: status ""
 * for all, else one of ticket, comment, triage, failed, ignored,
 * dismissed; without the raw bytes. */
int vg_mail_list(vg_tx *tx, const vg_ctx *ctx, int64_t mailbox_id, const char *status,
		 int64_t after_id, int limit, json_t **items, int64_t *last_id, vg_error *err);
int vg_mail_get(vg_tx *tx, const vg_ctx *ctx, int64_t mailbox_id, int64_t id, json_t **out,
		vg_error *err);

#endif
