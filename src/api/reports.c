/*
 * reports.c - /api/v1/reports: monthly and incident reports generated,
 * listed and downloaded (report/reports.h), and the tenant's logo on their
 * covers:
 *
 *   POST /api/v1/reports {"kind": "monthly", "tenant_id", "month": "2026-11"
 *        | "kind": "incident", "incident_id", "format": pdf|html,
 *        "language": zh-CN|en} renders and keeps the report; 201 with it
 *   GET  /api/v1/reports/{id}/file   the file, as a download
 *   POST /api/v1/reports/{id}/retry  a scheduled report given up, tried again
 *   POST /api/v1/tenants/{id}/logo   the PNG as the raw body
 */
#include "api/api.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "report/reports.h"

static const vg_json_field generate_fields[] = {
    {"kind", VG_JSON_STRING, true},
    {"tenant_id", VG_JSON_INTEGER, false},
    {"month", VG_JSON_STRING, false},
    {"incident_id", VG_JSON_INTEGER, false},
    {"format", VG_JSON_STRING, false},
    {"language", VG_JSON_STRING, false},
    {NULL, 0, false},
};

/* The request a body asks for; format defaults to pdf, language to zh-CN. */
static int request_of(const json_t *body, vg_report_request *req, vg_error *err)
{
	const char *format = vg_json_str(body, "format"), *lang = vg_json_str(body, "language");
	int rc = vg_json_check(body, generate_fields, err);

	memset(req, 0, sizeof(*req));
	if (!rc)
		rc = vg_report_kind_parse(vg_json_str(body, "kind"), &req->kind, err);
	if (!rc)
		rc = vg_report_format_parse(format ? format : "pdf", &req->format, err);
	if (!rc)
		rc = vg_report_lang_parse(lang ? lang : "zh-CN", &req->lang, err);
	if (rc)
		return rc;
	req->tenant_id = json_integer_value(json_object_get(body, "tenant_id"));
	req->month = vg_json_str(body, "month");
	req->incident_id = json_integer_value(json_object_get(body, "incident_id"));
	if (req->kind == VG_REPORT_MONTHLY && (!req->tenant_id || !req->month))
		return vg_error_set(err, VG_EINVAL, "a monthly report needs tenant_id and month");
	if (req->kind == VG_REPORT_INCIDENT && !req->incident_id)
		return vg_error_set(err, VG_EINVAL, "an incident report needs incident_id");
	return VG_OK;
}

int api_reports_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_report_list, err);
}

int api_reports_generate(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	vg_report_origin origin = {.issuer = app->config.report_issuer, .now = vg_time_now_ms()};
	vg_buf file = VG_BUF_INIT(SIZE_MAX);
	vg_report_request what;
	char period[32], filename[96];
	int64_t id, tenant_id;
	vg_tx *tx = NULL;
	int rc = request_of(vg_req_body(req), &what, err);

	/* Drawn in a read transaction of its own: the request's write one is
	 * only for keeping the file (reports.h). */
	if (!rc)
		rc = vg_tx_begin(app->store, false, &tx, err);
	if (!rc) {
		rc = vg_report_render(tx, vg_req_ctx(req), &what, &origin, &file, &tenant_id,
				      period, err);
		vg_tx_rollback(tx);
	}
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_report_keep(tx, vg_req_ctx(req), &what, tenant_id, period, &file, &origin,
				    &id, err);
	vg_buf_release(&file);
	if (rc)
		return rc;
	vg_report_filename(what.kind, period, what.lang, what.format, filename);
	vg_req_audit_object(req, "report", id, tenant_id);
	vg_req_audit_detail(req, filename);
	return api_answer_one(req, tx, vg_report_get, id, 201, err);
}

int api_reports_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_report_get, err);
}

int api_reports_retry(vg_req *req, vg_error *err)
{
	int64_t id, tenant_id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_report_retry(tx, vg_req_ctx(req), id, vg_time_now_ms(), &tenant_id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "report", id, tenant_id);
	return api_answer_one(req, tx, vg_report_get, id, 200, err);
}

int api_reports_file(vg_req *req, vg_error *err)
{
	vg_buf data = VG_BUF_INIT(SIZE_MAX);
	vg_report_format format;
	char filename[96], disposition[128];
	size_t len;
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_report_file(tx, vg_req_ctx(req), id, &data, &format, filename, err);
	if (!rc) {
		/* The name is ours and plain ASCII (reports.h). */
		snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
		rc = vg_resp_header(req, "Content-Disposition", disposition);
		/* A report is a document: nothing in it runs, even opened in place. */
		if (!rc)
			rc = vg_resp_header(req, "Content-Security-Policy",
					    "sandbox; default-src 'none'; img-src data:; "
					    "style-src 'unsafe-inline'");
		if (rc)
			rc = vg_error_set(err, rc, "cannot answer report %lld", (long long)id);
	}
	if (rc) {
		vg_buf_release(&data);
		return rc;
	}
	len = data.len;
	return vg_resp_raw_take(req, 200, vg_report_format_type(format), vg_buf_detach(&data), len);
}

/* Sets the logo of the tenant in the path to len bytes at png (NULL:
 * removes it), audited on the tenant. */
static int logo_change(vg_req *req, const void *png, size_t len, vg_error *err)
{
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_report_logo_set(tx, vg_req_ctx(req), id, png, len, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "tenant", id, id);
	return vg_resp_empty(req, 204);
}

int api_tenants_logo_set(vg_req *req, vg_error *err)
{
	size_t len;
	const char *png = vg_req_raw_body(req, &len);

	if (len == 0)
		return vg_error_set(err, VG_EINVAL, "logo: send the PNG image as the body");
	return logo_change(req, png, len, err);
}

int api_tenants_logo_delete(vg_req *req, vg_error *err)
{
	return logo_change(req, NULL, 0, err);
}

int api_tenants_logo_get(vg_req *req, vg_error *err)
{
	vg_buf data = VG_BUF_INIT(VG_REPORT_LOGO_MAX);
	size_t len;
	int64_t id;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_report_logo_get(tx, vg_req_ctx(req), id, &data, err);
	if (!rc && data.len == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "tenant %lld has no logo", (long long)id);
	if (rc) {
		vg_buf_release(&data);
		return rc;
	}
	len = data.len;
	return vg_resp_raw_take(req, 200, "image/png", vg_buf_detach(&data), len);
}
