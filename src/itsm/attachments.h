/*
 * attachments.h - files attached to tickets: screenshots, logs, pcaps,
 * mails, office documents.
 *
 * What is taken is data (content/attachments.yaml): the media types
 * allowed, each with the bytes its files start with (its magic) or, for
 * text, the rule its bytes follow; executables are refused whatever type
 * is declared. A file must not be empty nor larger than attachments.max_bytes.
 *
 * The bytes are kept in the data directory, content-addressed:
 * DATA/attachments/<first two hex digits>/<sha256> (directories mode 0700,
 * files 0600). A file is written to a temporary name, fsync'd and renamed
 * into place, so no reader ever finds half of one, and the same bytes
 * attached twice are stored once. The ticket_attachments row names the file
 * by its sha256; reading one back checks the bytes against it.
 *
 * Visibility follows comments: public attachments the ticket's customer
 * sees and adds, internal ones (public false) only staff add and read.
 * Files of rows rolled back stay in the directory (nothing names them).
 */
#ifndef VG_ITSM_ATTACHMENTS_H
#define VG_ITSM_ATTACHMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_ATTACHMENT_NAME_MAX 255	   /* bytes of a file name */
#define VG_ATTACHMENT_TYPE_MAX 127	   /* bytes of a media type */
#define VG_ATTACHMENT_MAX_DEFAULT 10485760 /* attachments.max_bytes's default */

typedef struct vg_attachment_in {
	const char *filename;	  /* as the sender named it: "capture.pcap" */
	const char *content_type; /* as declared; parameters may follow (";charset=utf-8") */
	const void *data;	  /* len bytes */
	size_t len;
	bool public;	    /* false: internal, the MSSP's staff's only */
	const char *source; /* where it came from: "upload", "email"; NULL: unknown */
	int64_t max_bytes;  /* attachments.max_bytes; 0: VG_ATTACHMENT_MAX_DEFAULT */
} vg_attachment_in;

/* One attachment as stored. */
typedef struct vg_attachment {
	int64_t id, ticket_id, tenant_id;
	char filename[VG_ATTACHMENT_NAME_MAX + 1];
	char content_type[VG_ATTACHMENT_TYPE_MAX + 1]; /* the list's name for it */
	int64_t size;
	char sha256[VG_SHA256_HEX_LEN];
	bool public;
} vg_attachment;

/*
 * The checks an attachment must pass, without the store: filename 1 to 255
 * bytes of UTF-8 without '/', '\', control or bidirectional-override
 * characters and not "." or ".."; content_type on the shipped list (an
 * alias counts as its type; text types take charset utf-8 or us-ascii
 * only); len 1 to max_bytes (0: the default); no executable; the bytes as
 * the type says. *type gets the type as it is kept ("image/png").
 * VG_EINVAL naming what is wrong ("the file is declared image/png but does
 * not start like a PNG"), VG_ETOOBIG past max_bytes, the list's error when
 * content/attachments.yaml cannot be read.
 */
int vg_attachment_check(const char *filename, const char *content_type, const void *data,
			size_t len, int64_t max_bytes, char type[VG_ATTACHMENT_TYPE_MAX + 1],
			vg_error *err);

/* The Content-Type to answer a kept type's bytes with: the type, with
 * "; charset=utf-8" for UTF-8 text; "application/octet-stream" for a type
 * no longer on the list. Static: valid for the life of the process. */
const char *vg_attachment_served_type(const char *type);

/* Reads the shipped list now (a defect stops a start rather than an
 * upload): VG_OK, or VG_EINVAL "content/attachments.yaml:LINE: ...". */
int vg_attachment_types_check(vg_error *err);

/*
 * Attaches in's file to ticket ticket_id, keeping its bytes under data_dir
 * as above, and records it as ctx's (staff or not). *id gets the new
 * attachment's id and *tenant_id the ticket's tenant (0 when not found).
 * VG_ENOTFOUND "no such ticket" for one ctx cannot see; VG_EPERM
 * "internal attachments are the MSSP's" for a customer's internal one;
 * vg_attachment_check's errors; VG_EIO when the file cannot be written.
 */
int vg_ticket_attach(vg_tx *tx, const vg_ctx *ctx, const char *data_dir, int64_t ticket_id,
		     const vg_attachment_in *in, int64_t *id, int64_t *tenant_id, vg_error *err);

/* The ticket's attachments ctx may see (a customer: the public ones),
 * oldest first, as a JSON array into *items (to decref). */
int vg_ticket_attachments_list(vg_tx *tx, const vg_ctx *ctx, int64_t ticket_id, json_t **items,
			       vg_error *err);

/* Attachment id as JSON (to decref) when ctx may see it: VG_ENOTFOUND
 * "no such attachment" otherwise. Shaped as api.h's api_read_fn. */
int vg_ticket_attachment_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

/*
 * Attachment id of ticket ticket_id, for reading back: *meta gets what is
 * kept of it and, when data is not NULL, *data its bytes (a new buffer to
 * release). VG_ENOTFOUND "no such ticket" for a ticket ctx cannot see, "no
 * such attachment" for one that is not the ticket's or that ctx may not
 * see (a customer, an internal one); VG_ECORRUPT when the file is missing
 * or its bytes are not the ones recorded; VG_EIO when it cannot be read.
 */
int vg_ticket_attachment_open(vg_tx *tx, const vg_ctx *ctx, const char *data_dir, int64_t ticket_id,
			      int64_t id, vg_attachment *meta, vg_buf *data, vg_error *err);

#endif
