/*
 * attachments.c - files on tickets (itsm/attachments.h):
 *
 *   POST /api/v1/tickets/{id}/attachments?name=FILE[&public=false]
 *        the raw file as the body, its Content-Type header as its declared
 *        type; answers 201 with the attachment
 *   GET  /api/v1/tickets/{id}/attachments/{aid}
 *        the bytes, as a download a browser neither sniffs nor renders
 */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "itsm/attachments.h"

int api_tickets_attach(vg_req *req, vg_error *err)
{
	const char *public = vg_req_query(req, "public");
	vg_app *app = vg_req_app(req);
	vg_attachment_in in = {
		.filename = vg_req_query(req, "name"),
		.content_type = vg_req_header(req, "Content-Type"),
		.public = !public || strcmp(public, "true") == 0,
		.source = "upload",
		.max_bytes = app->config.attachments_max_bytes,
	};
	char detail[VG_ATTACHMENT_NAME_MAX + 64];
	int64_t id, aid, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	in.data = vg_req_raw_body(req, &in.len);
	if (!rc && public && strcmp(public, "true") != 0 && strcmp(public, "false") != 0)
		rc = vg_error_set(err, VG_EINVAL, "public must be true or false");
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	/* The ticket is looked up first: naming one the caller cannot see is
	 * 404 whatever the upload. */
	if (!rc)
		rc = vg_ticket_attach(tx, vg_req_ctx(req), app->data_dir, id, &in, &aid, &tenant,
				      err);
	if (rc == VG_EINVAL && (!in.filename || !*in.filename))
		rc = vg_error_set(err, VG_EINVAL, "name the file: ?name=FILE");
	if (rc)
		return rc;
	vg_req_audit_object(req, "ticket", id, tenant);
	snprintf(detail, sizeof(detail), "attachment %lld: %s", (long long)aid, in.filename);
	vg_req_audit_detail(req, detail);
	return api_answer_one(req, tx, vg_ticket_attachment_get, aid, 201, err);
}

/* Appends s percent-encoded as RFC 8187's value-chars: what is not an
 * attr-char is %XX. */
static int append_pct(vg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = VG_OK;

	for (; *s && rc == VG_OK; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[3] = {'%', hex[c >> 4], hex[c & 15]};

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c))
			rc = vg_buf_append(b, s, 1);
		else
			rc = vg_buf_append(b, esc, 3);
	}
	return rc;
}

int api_tickets_attachment(vg_req *req, vg_error *err)
{
	vg_buf disposition = VG_BUF_INIT(4096), data = VG_BUF_INIT(0);
	vg_attachment meta;
	int64_t id, aid;
	size_t len;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc && vg_req_param_id(req, 1, &aid, err))
		rc = vg_error_set(err, VG_ENOTFOUND, "no such attachment");
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_ticket_attachment_open(tx, vg_req_ctx(req), vg_req_app(req)->data_dir, id,
					       aid, &meta, &data, err);
	if (!rc) {
		rc = vg_buf_puts(&disposition, "attachment; filename*=UTF-8''");
		if (!rc)
			rc = append_pct(&disposition, meta.filename);
		if (!rc)
			rc = vg_resp_header(req, "Content-Disposition", vg_buf_cstr(&disposition));
		if (!rc)
			rc = vg_resp_header(req, "Content-Security-Policy", "sandbox");
		if (rc)
			rc = vg_error_set(err, rc, "cannot answer attachment %lld", (long long)aid);
	}
	vg_buf_release(&disposition);
	if (rc) {
		vg_buf_release(&data);
		return rc;
	}
	/* X-Content-Type-Options: nosniff goes with every answer (server.c). */
	len = data.len;
	return vg_resp_raw_take(req, 200, vg_attachment_served_type(meta.content_type),
				vg_buf_detach(&data), len);
}
