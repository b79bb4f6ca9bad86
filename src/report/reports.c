/*
 * reports.c - reports rendered and kept (reports.h), and tenants' logos.
 */
#include "report/reports.h"

#include <cairo.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "report/render.h"
#include "report/report_int.h"

#define REPORT_COLUMNS                                                                             \
	"id, tenant_id, kind, period, incident_id, format, language, state, size, sha256, "        \
	"error, scheduled, attempts, next_at, created_by, created_at, updated_at"

int vg_report_kind_parse(const char *s, vg_report_kind *out, vg_error *err)
{
	if (s && strcmp(s, "monthly") == 0)
		*out = VG_REPORT_MONTHLY;
	else if (s && strcmp(s, "incident") == 0)
		*out = VG_REPORT_INCIDENT;
	else
		return vg_error_set(err, VG_EINVAL, "kind \"%s\" is not monthly or incident",
				    s ? s : "");
	return VG_OK;
}

int vg_report_format_parse(const char *s, vg_report_format *out, vg_error *err)
{
	if (s && strcmp(s, "pdf") == 0)
		*out = VG_REPORT_PDF;
	else if (s && strcmp(s, "html") == 0)
		*out = VG_REPORT_HTML;
	else
		return vg_error_set(err, VG_EINVAL, "format \"%s\" is not pdf or html", s ? s : "");
	return VG_OK;
}

const char *vg_report_format_type(vg_report_format format)
{
	return format == VG_REPORT_PDF ? "application/pdf" : "text/html; charset=utf-8";
}

static const char *kind_name(vg_report_kind kind)
{
	return kind == VG_REPORT_INCIDENT ? "incident" : "monthly";
}

static const char *format_name(vg_report_format format)
{
	return format == VG_REPORT_HTML ? "html" : "pdf";
}

/* The file name of a report from its kind, period, language and format as
 * stored ("monthly", "2026-11", "zh-CN", "pdf"). */
static void filename_of(const char *kind, const char *period, const char *lang, const char *format,
			char out[96])
{
	snprintf(out, 96, "vigil-%s-%s-%s.%s", kind, period, lang, format);
}

void vg_report_filename(vg_report_kind kind, const char *period, vg_report_lang lang,
			vg_report_format format, char out[96])
{
	filename_of(kind_name(kind), period, vg_report_lang_name(lang), format_name(format), out);
}

/* The tenant's logo as stored (no check of ctx: the caller has one). */
static int logo_read(vg_tx *tx, int64_t tenant_id, vg_buf *data, vg_error *err)
{
	vg_rows *r = NULL;
	int rc = vg_tx_query(tx, "SELECT logo FROM tenants WHERE id = ? AND logo IS NOT NULL",
			     VG_PARAMS(VG_P_INT(tenant_id)), &r, err);
	size_t len;
	const void *png;

	if (!rc && (rc = vg_rows_next(r, err)) == 1) {
		png = vg_rows_blob(r, 0, &len);
		rc = vg_buf_append(data, png, len);
		if (rc)
			rc = vg_error_set(err, rc, "out of memory reading the logo");
	}
	vg_rows_free(r);
	return rc < 0 ? rc : VG_OK;
}

int vg_report_render(vg_tx *tx, const vg_ctx *ctx, const vg_report_request *req,
		     const vg_report_origin *origin, vg_buf *out, int64_t *tenant_id,
		     char period[32], vg_error *err)
{
	vg_buf logo = VG_BUF_INIT(VG_REPORT_LOGO_MAX);
	vg_report *r = NULL;
	int rc;

	*tenant_id = 0;
	period[0] = '\0';
	if (req->kind == VG_REPORT_MONTHLY) {
		rc = vg_report_monthly_build(tx, ctx, req->tenant_id, req->month, req->lang, origin,
					     &r, err);
		if (!rc) {
			*tenant_id = req->tenant_id;
			snprintf(period, 32, "%s", req->month);
		}
	} else {
		rc =
		    vg_report_incident_build(tx, ctx, req->incident_id, req->lang, origin, &r, err);
		if (!rc) {
			rc = vg_tx_query_int(
			    tx, "SELECT tenant_id FROM security_incidents WHERE id = ?",
			    VG_PARAMS(VG_P_INT(req->incident_id)), tenant_id, err);
			snprintf(period, 32, "SEC-%" PRId64, req->incident_id);
		}
	}
	if (!rc)
		rc = logo_read(tx, *tenant_id, &logo, err);
	if (!rc && logo.len)
		vg_report_logo(r, (const unsigned char *)logo.ptr, logo.len);
	if (!rc)
		rc = req->format == VG_REPORT_PDF ? vg_report_pdf(r, out, err)
						  : vg_report_html(r, out, err);
	vg_report_free(r);
	vg_buf_release(&logo);
	return rc;
}

int vg_report_keep(vg_tx *tx, const vg_ctx *ctx, const vg_report_request *req, int64_t tenant_id,
		   const char *period, const vg_buf *file, const vg_report_origin *origin,
		   int64_t *id, vg_error *err)
{
	char sha[VG_SHA256_HEX_LEN];

	vg_sha256_hex(file->ptr, file->len, sha);
	return vg_tx_query_int(
	    tx,
	    "INSERT INTO reports (tenant_id, kind, period, incident_id, format, language, state, "
	    "content, size, sha256, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
	    "'ready', ?, ?, ?, ?, ?, ?) RETURNING id",
	    VG_PARAMS(VG_P_INT(tenant_id), VG_P_TEXT(kind_name(req->kind)), VG_P_TEXT(period),
		      VG_P_ID_OR_NULL(req->kind == VG_REPORT_INCIDENT ? req->incident_id : 0),
		      VG_P_TEXT(format_name(req->format)),
		      VG_P_TEXT(vg_report_lang_name(req->lang)), VG_P_BLOB(file->ptr, file->len),
		      VG_P_INT(file->len), VG_P_TEXT(sha), VG_P_TEXT(ctx->username),
		      VG_P_INT(origin->now), VG_P_INT(origin->now)),
	    id, err);
}

static json_t *report_json(vg_rows *r, void *unused)
{
	char filename[96];

	(void)unused;
	filename_of(vg_rows_text(r, 2), vg_rows_text(r, 3), vg_rows_text(r, 6), vg_rows_text(r, 5),
		    filename);
	return json_pack(
	    "{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:o, s:o, s:b, s:I, s:o, "
	    "s:s, s:s, s:o, s:o}",
	    "id", (json_int_t)vg_rows_int(r, 0), "tenant_id", (json_int_t)vg_rows_int(r, 1), "kind",
	    vg_rows_text(r, 2), "period", vg_rows_text(r, 3), "incident_id",
	    vg_rows_is_null(r, 4) ? json_null() : json_integer(vg_rows_int(r, 4)), "format",
	    vg_rows_text(r, 5), "language", vg_rows_text(r, 6), "state", vg_rows_text(r, 7), "size",
	    (json_int_t)vg_rows_int(r, 8), "sha256", vg_rows_json_text(r, 9), "error",
	    vg_rows_json_text(r, 10), "scheduled", (int)vg_rows_int(r, 11), "attempts",
	    (json_int_t)vg_rows_int(r, 12), "next_at", vg_rows_json_time(r, 13), "filename",
	    filename, "created_by", vg_rows_text(r, 14), "created_at", vg_rows_json_time(r, 15),
	    "updated_at", vg_rows_json_time(r, 16));
}

int vg_report_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " REPORT_COLUMNS " FROM reports WHERE id > ? AND (? = 0 OR "
				"tenant_id = ?) AND (? = 0 OR tenant_id = ?) ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id),
					  VG_P_INT(tenant_id), VG_P_INT(ctx->tenant_id),
					  VG_P_INT(ctx->tenant_id), VG_P_INT(limit)),
				report_json, NULL, items, last_id, err);
}

static json_t *mailing_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:o}", "id", (json_int_t)vg_rows_int(r, 0),
			 "recipient", vg_rows_text(r, 1), "state", vg_rows_text(r, 2), "attempts",
			 (json_int_t)vg_rows_int(r, 3), "next_at", vg_rows_json_time(r, 4), "error",
			 vg_rows_json_text(r, 5), "sent_at", vg_rows_json_time(r, 6));
}

int vg_report_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	json_t *mailings = NULL;
	int64_t last;
	int rc = vg_tx_query_object(
	    tx,
	    "SELECT " REPORT_COLUMNS " FROM reports WHERE id = ? AND (? = 0 "
	    "OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
	    report_json, NULL, "report", out, err);

	if (!rc)
		rc = vg_tx_query_list(
		    tx,
		    "SELECT id, recipient, state, attempts, next_at, error, "
		    "sent_at FROM report_mailings WHERE report_id = ? ORDER BY id",
		    VG_PARAMS(VG_P_INT(id)), mailing_json, NULL, &mailings, &last, err);
	if (!rc && json_object_set_new(*out, "mailings", mailings))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (rc && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int vg_report_retry(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t now, int64_t *tenant_id,
		    vg_error *err)
{
	int64_t reports = 0, mails = 0;
	int rc = vg_tx_query_int(
	    tx,
	    "SELECT tenant_id FROM reports WHERE id = ? AND (? = 0 OR "
	    "tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant_id,
	    err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such report");
	if (!rc)
		rc = vg_tx_exec(
		    tx,
		    "UPDATE reports SET state = 'pending', attempts = 0, next_at = ?, "
		    "updated_at = ? WHERE id = ? AND scheduled = 1 AND state = 'failed'",
		    VG_PARAMS(VG_P_INT(now), VG_P_INT(now), VG_P_INT(id)), &reports, err);
	if (!rc)
		rc = vg_tx_exec(
		    tx,
		    "UPDATE report_mailings SET state = 'pending', attempts = 0, next_at "
		    "= ? WHERE report_id = ? AND state = 'failed'",
		    VG_PARAMS(VG_P_INT(now), VG_P_INT(id)), &mails, err);
	if (!rc && reports + mails == 0)
		rc = vg_error_set(err, VG_ECONFLICT, "report %" PRId64 " has nothing to retry", id);
	return rc;
}

int vg_report_file(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_buf *data, vg_report_format *format,
		   char filename[96], vg_error *err)
{
	vg_rows *r = NULL;
	int rc = vg_tx_query(
	    tx,
	    "SELECT state, kind, period, language, format, content FROM reports "
	    "WHERE id = ? AND (? = 0 OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), &r, err);

	if (!rc && (rc = vg_rows_next(r, err)) == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no such report");
	if (rc == 1 && strcmp(vg_rows_text(r, 0), "ready") != 0)
		rc = vg_error_set(err, VG_ECONFLICT, "report %" PRId64 " is %s", id,
				  vg_rows_text(r, 0));
	if (rc == 1) {
		size_t len;
		const void *bytes = vg_rows_blob(r, 5, &len);

		/* The CHECK constraints keep the stored words to the parsers'. */
		vg_report_format_parse(vg_rows_text(r, 4), format, NULL);
		filename_of(vg_rows_text(r, 1), vg_rows_text(r, 2), vg_rows_text(r, 3),
			    vg_rows_text(r, 4), filename);
		rc = vg_buf_append(data, bytes, len);
		if (rc)
			rc = vg_error_set(err, rc, "out of memory reading report %" PRId64, id);
	}
	vg_rows_free(r);
	return rc;
}

/* A logo is kept only when it decodes, so no report fails on it later. */
int vg_report_logo_check(const void *png, size_t len, vg_error *err)
{
	static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	cairo_surface_t *s;
	cairo_status_t status;
	int w, h;

	if (len > VG_REPORT_LOGO_MAX)
		return vg_error_set(err, VG_ETOOBIG, "logo: %zu bytes, over the %d allowed", len,
				    VG_REPORT_LOGO_MAX);
	if (len < sizeof(signature) || memcmp(png, signature, sizeof(signature)) != 0)
		return vg_error_set(err, VG_EINVAL, "logo: not a PNG image");
	s = vg__report_png_decode(png, len);
	status = cairo_surface_status(s);
	w = status == CAIRO_STATUS_SUCCESS ? cairo_image_surface_get_width(s) : 0;
	h = status == CAIRO_STATUS_SUCCESS ? cairo_image_surface_get_height(s) : 0;
	cairo_surface_destroy(s);
	if (status != CAIRO_STATUS_SUCCESS)
		return vg_error_set(err, VG_EINVAL, "logo: the PNG image does not decode (%s)",
				    cairo_status_to_string(status));
	if (w < 1 || h < 1 || w > 4096 || h > 4096)
		return vg_error_set(err, VG_EINVAL, "logo: %dx%d pixels; at most 4096x4096", w, h);
	return VG_OK;
}

int vg_report_logo_set(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const void *png, size_t len,
		       vg_error *err)
{
	int64_t changed = 0;
	int rc = VG_OK;

	if (!vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	if (png && len)
		rc = vg_report_logo_check(png, len, err);
	if (!rc)
		rc = vg_tx_exec(
		    tx, "UPDATE tenants SET logo = ? WHERE id = ?",
		    VG_PARAMS(png && len ? VG_P_BLOB(png, len) : VG_P_NULL, VG_P_INT(tenant_id)),
		    &changed, err);
	if (!rc && changed == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return rc;
}

int vg_report_logo_get(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, vg_buf *data, vg_error *err)
{
	int64_t n;
	int rc;

	if (!vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	rc = vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants WHERE id = ?",
			     VG_PARAMS(VG_P_INT(tenant_id)), &n, err);
	if (!rc && n == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return rc ? rc : logo_read(tx, tenant_id, data, err);
}
