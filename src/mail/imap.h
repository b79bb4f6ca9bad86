/*
 * imap.h - reading a mailbox's new mail over IMAP, through libcurl.
 *
 * Vigil only reads: it asks for the UIDs after the last one it has read
 * and fetches each message whole, which marks it \Seen as any mail client
 * does. Nothing is deleted on the server, so a mail Vigil could not take
 * is still there, as it is in Vigil's own copy.
 */
#ifndef VG_MAIL_IMAP_H
#define VG_MAIL_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

typedef struct vg_imap vg_imap;

typedef struct vg_imap_login {
	const char *url; /* imap[s]://host[:port]/FOLDER; no folder: INBOX */
	const char *username, *password;
	bool public_only; /* refuse loopback and private addresses */
} vg_imap_login;

/* Checks a mailbox URL: VG_EINVAL naming what is wrong. */
int vg_imap_url_check(const char *url, vg_error *err);

/* Logs in and opens the folder read-only: *uidvalidity is the folder's
 * UIDVALIDITY (its UIDs mean other messages once it changes). VG_EAUTH for
 * refused credentials, VG_EIO for a server that cannot be reached or
 * answers nonsense, with its origin but never the password. */
int vg_imap_open(const vg_imap_login *login, vg_imap **out, int64_t *uidvalidity,
		 vg_error *err);

/* The UIDs above after, ascending, at most max of them (*uids to free). */
int vg_imap_uids_after(vg_imap *m, int64_t after, size_t max, int64_t **uids, size_t *n,
		       vg_error *err);

/* A message's size in bytes and when the server received it (Unix ms). */
int vg_imap_info(vg_imap *m, int64_t uid, int64_t *size, int64_t *received_ms,
		 vg_error *err);

/* The whole message into out (whose max bounds it: VG_ETOOBIG beyond). */
int vg_imap_fetch(vg_imap *m, int64_t uid, vg_buf *out, vg_error *err);

void vg_imap_close(vg_imap *m);

/* The server's answers read (the parts above that take outside input):
 * the UIDs of a "* SEARCH" answer above after, ascending, at most max
 * (*uids to free); the RFC822.SIZE and INTERNALDATE of a FETCH answer.
 * VG_EIO when the answer lacks them. answer is NUL-terminated. */
int vg_imap_parse_search(const char *answer, int64_t after, size_t max, int64_t **uids,
			 size_t *n, vg_error *err);
int vg_imap_parse_info(const char *answer, int64_t *size, int64_t *received_ms,
		       vg_error *err);

#endif
