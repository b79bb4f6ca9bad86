/*
 * poll.h - reading the mailboxes' new mail into the store, and taking it.
 *
 * A mail is first kept (its raw bytes and where it came from, in the same
 * transaction that moves the mailbox's last UID past it), then taken
 * (intake.h), so a mail is never read twice nor lost between the two: one
 * kept but not taken is marked failed and is taken again on retry.
 */
#ifndef VG_MAIL_POLL_H
#define VG_MAIL_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/error.h"
#include "mail/intake.h"
#include "store/ctx.h"
#include "store/store.h"

/* Reads every enabled mailbox (only_id not 0: that one) once, at most
 * max_per_mailbox new mails each; *read counts the mails kept. A mailbox
 * that cannot be read has its error recorded (last_error) and logged, and
 * the others are read; with only_id, the error is returned as well. */
int vg_mail_poll(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		 int64_t only_id, size_t max_per_mailbox, size_t *read, vg_error *err);

/* Takes failed mail id of mailbox_id again: fetched again first when it
 * was over the size limit then (the folder must still be the same one).
 * VG_ENOTFOUND for a mail ctx cannot see, VG_ECONFLICT for one not failed. */
int vg_mail_retry(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		  const vg_ctx *ctx, int64_t mailbox_id, int64_t id, vg_error *err);

#endif
