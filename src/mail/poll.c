/* poll.c - the mailboxes' new mail into the store (see poll.h). */
#include "mail/poll.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/time.h"
#include "mail/imap.h"
#include "mail/mailbox.h"

/* One read at a time: the reader's turn, a "read now" and a retry must not
 * fetch the same UIDs nor take the same mail. */
static pthread_mutex_t reading = PTHREAD_MUTEX_INITIALIZER;

/* Notes a mailbox's read: when, and what went wrong (NULL: nothing). */
static void note_poll(vg_store *store, int64_t mailbox_id, const char *error)
{
	vg_error err = {0};
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, &err);

	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE mailboxes SET polled_at = ?, last_error = ? WHERE id = ?",
				VG_PARAMS(VG_P_INT(vg_time_now_ms()), VG_P_TEXT_OR_NULL(error),
					  VG_P_INT(mailbox_id)),
				NULL, &err);
	if (!rc)
		rc = vg_tx_commit(tx, &err);
	else
		vg_tx_rollback(tx);
	if (rc)
		vg_err("mail", "mailbox %lld: noting the read: %s", (long long)mailbox_id, err.msg);
}

/* Keeps one mail (raw NULL: over the limit, not fetched) and moves the
 * mailbox past its UID, in one transaction; *id gets the mail's row. */
static int keep(vg_store *store, const vg_mailbox_open *b, int64_t uidvalidity, int64_t uid,
		int64_t size, int64_t received_at, const vg_buf *raw, int64_t *id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	if (!rc)
		rc = vg_tx_query_int(
		    tx,
		    "INSERT INTO mail_messages (mailbox_id, uidvalidity, uid, received_at, size, "
		    "raw, status, reason, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
		    "?, 'failed', 'kept, not taken yet', 0, ?, ?) RETURNING id",
		    VG_PARAMS(VG_P_INT(b->id), VG_P_INT(uidvalidity), VG_P_INT(uid),
			      VG_P_INT(received_at), VG_P_INT(size),
			      raw ? VG_P_BLOB(raw->ptr ? raw->ptr : "", raw->len) : VG_P_NULL,
			      VG_P_INT(now), VG_P_INT(now)),
		    id, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE mailboxes SET uidvalidity = ?, last_uid = max(last_uid, ?) "
				"WHERE id = ?",
				VG_PARAMS(VG_P_INT(uidvalidity), VG_P_INT(uid), VG_P_INT(b->id)),
				NULL, err);
	if (!rc)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

/* A new UIDVALIDITY: the folder's UIDs name other mails now. */
static int restart(vg_store *store, int64_t mailbox_id, int64_t uidvalidity, vg_error *err)
{
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE mailboxes SET uidvalidity = ?, last_uid = 0 WHERE id = ?",
				VG_PARAMS(VG_P_INT(uidvalidity), VG_P_INT(mailbox_id)), NULL, err);
	if (!rc)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

static int poll_one(vg_store *store, const vg_mail_settings *s, vg_mailbox_open *b, size_t max,
		    size_t *read, vg_error *err)
{
	vg_imap_login login = {.url = b->url,
			       .username = b->username,
			       .password = b->password,
			       .public_only = s->public_only};
	int64_t uidvalidity, *uids = NULL;
	vg_imap *m;
	size_t n = 0;
	int rc = vg_imap_open(&login, &m, &uidvalidity, err);

	if (rc)
		return rc;
	if (uidvalidity != b->uidvalidity) {
		if (b->uidvalidity)
			vg_warn("mail",
				"mailbox %s: the folder's UIDVALIDITY changed; reading it anew",
				b->name);
		rc = restart(store, b->id, uidvalidity, err);
		b->last_uid = 0;
	}
	if (!rc)
		rc = vg_imap_uids_after(m, b->last_uid, max, &uids, &n, err);
	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		vg_buf raw = VG_BUF_INIT((size_t)s->max_message_bytes);
		int64_t size, received, id;
		vg_error why = {0};

		rc = vg_imap_info(m, uids[i], &size, &received, err);
		if (!rc && size <= s->max_message_bytes)
			rc = vg_imap_fetch(m, uids[i], &raw, err);
		if (rc == VG_ETOOBIG || (!rc && size > s->max_message_bytes))
			rc = keep(store, b, uidvalidity, uids[i], size, received, NULL, &id, err);
		else if (!rc)
			rc = keep(store, b, uidvalidity, uids[i], size, received, &raw, &id, err);
		vg_buf_release(&raw);
		if (rc)
			break;
		++*read;
		if (vg_mail_take(store, s, id, &why))
			vg_err("mail", "mailbox %s, mail %lld: %s", b->name, (long long)id,
			       why.msg);
	}
	free(uids);
	vg_imap_close(m);
	return rc;
}

/* The enabled mailboxes, their passwords open. */
static int enabled(vg_store *store, const vg_master_key *key, vg_mailbox_open **v, size_t *n,
		   vg_error *err)
{
	vg_tx *tx;
	int rc = vg_tx_begin(store, false, &tx, err);

	*v = NULL;
	*n = 0;
	if (rc)
		return rc;
	rc = vg_mailboxes_enabled(tx, key, v, n, err);
	vg_tx_rollback(tx);
	return rc;
}

static int poll_all(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		    int64_t only_id, size_t max_per_mailbox, size_t *read, vg_error *err)
{
	vg_mailbox_open *v;
	size_t n;
	int rc = enabled(store, key, &v, &n, err);

	*read = 0;
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		vg_error why = {0};

		if (only_id && v[i].id != only_id)
			continue;
		if (poll_one(store, s, &v[i], max_per_mailbox, read, &why)) {
			vg_warn("mail", "mailbox %s: %s", v[i].name, why.msg);
			note_poll(store, v[i].id, why.msg);
			if (only_id) {
				*err = why;
				rc = why.code;
			}
		} else {
			note_poll(store, v[i].id, NULL);
		}
	}
	vg_mailbox_open_free(v, n);
	return rc;
}

/* Fetches the mail of UID uid again into raw (it was over the limit). */
static int fetch_again(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		       int64_t mailbox_id, int64_t uidvalidity, int64_t uid, vg_buf *raw,
		       vg_error *err)
{
	vg_mailbox_open *v, *b = NULL;
	vg_imap_login login;
	int64_t now_validity, size, received;
	vg_imap *m = NULL;
	size_t n;
	int rc = enabled(store, key, &v, &n, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == mailbox_id)
			b = &v[i];
	if (!b) {
		vg_mailbox_open_free(v, n);
		return vg_error_set(err, VG_ECONFLICT, "the mailbox is disabled");
	}
	login = (vg_imap_login){.url = b->url,
				.username = b->username,
				.password = b->password,
				.public_only = s->public_only};
	rc = vg_imap_open(&login, &m, &now_validity, err);
	if (!rc && now_validity != uidvalidity)
		rc = vg_error_set(err, VG_ECONFLICT,
				  "the folder is another one now (its UIDVALIDITY changed)");
	if (!rc)
		rc = vg_imap_info(m, uid, &size, &received, err);
	if (!rc && size > s->max_message_bytes)
		rc =
		    vg_error_set(err, VG_ETOOBIG,
				 "the mail is %lld bytes, still over mail.max_message_bytes (%lld)",
				 (long long)size, (long long)s->max_message_bytes);
	if (!rc)
		rc = vg_imap_fetch(m, uid, raw, err);
	vg_imap_close(m);
	vg_mailbox_open_free(v, n);
	return rc;
}

static int retry(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		 const vg_ctx *ctx, int64_t mailbox_id, int64_t id, vg_error *err)
{
	int64_t uidvalidity = 0, uid = 0, kept = 0;
	char status[16] = "";
	vg_rows *r;
	vg_tx *tx;
	int rc = vg_tx_begin(store, false, &tx, err);

	if (rc)
		return rc;
	rc = vg_tx_query(
	    tx,
	    "SELECT g.status, g.uidvalidity, g.uid, g.raw IS NOT NULL FROM "
	    "mail_messages g JOIN mailboxes b ON b.id = g.mailbox_id WHERE g.id = ? AND "
	    "g.mailbox_id = ? AND (? = 0 OR b.tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(mailbox_id), VG_P_INT(ctx->tenant_id),
		      VG_P_INT(ctx->tenant_id)),
	    &r, err);
	if (!rc) {
		rc = vg_rows_next(r, err);
		if (rc == 0)
			rc = vg_error_set(err, VG_ENOTFOUND, "no such mail");
		if (rc == 1) {
			snprintf(status, sizeof(status), "%s", vg_rows_text(r, 0));
			uidvalidity = vg_rows_int(r, 1);
			uid = vg_rows_int(r, 2);
			kept = vg_rows_int(r, 3);
			rc = VG_OK;
		}
		vg_rows_free(r);
	}
	vg_tx_rollback(tx);
	if (rc)
		return rc;
	if (strcmp(status, "failed") != 0)
		return vg_error_set(err, VG_ECONFLICT,
				    "only a failed mail is taken again; this one "
				    "is %s",
				    status);
	if (!kept) {
		vg_buf raw = VG_BUF_INIT((size_t)s->max_message_bytes);

		rc = fetch_again(store, key, s, mailbox_id, uidvalidity, uid, &raw, err);
		if (!rc)
			rc = vg_tx_begin(store, true, &tx, err);
		if (!rc) {
			rc = vg_tx_exec(tx,
					"UPDATE mail_messages SET raw = ?, size = ? WHERE id = ?",
					VG_PARAMS(VG_P_BLOB(raw.ptr ? raw.ptr : "", raw.len),
						  VG_P_INT((int64_t)raw.len), VG_P_INT(id)),
					NULL, err);
			rc = rc ? (vg_tx_rollback(tx), rc) : vg_tx_commit(tx, err);
		}
		vg_buf_release(&raw);
		if (rc)
			return rc;
	}
	return vg_mail_take(store, s, id, err);
}

int vg_mail_poll(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		 int64_t only_id, size_t max_per_mailbox, size_t *read, vg_error *err)
{
	int rc;

	pthread_mutex_lock(&reading);
	rc = poll_all(store, key, s, only_id, max_per_mailbox, read, err);
	pthread_mutex_unlock(&reading);
	return rc;
}

int vg_mail_retry(vg_store *store, const vg_master_key *key, const vg_mail_settings *s,
		  const vg_ctx *ctx, int64_t mailbox_id, int64_t id, vg_error *err)
{
	int rc;

	pthread_mutex_lock(&reading);
	rc = retry(store, key, s, ctx, mailbox_id, id, err);
	pthread_mutex_unlock(&reading);
	return rc;
}
