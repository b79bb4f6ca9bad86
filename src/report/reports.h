/*
 * reports.h - reports made, kept and handed out: a report asked for is
 * built (build.h), rendered (render.h) and, unless only printed by the
 * CLI, kept in the store as the file it became, so what a customer
 * downloads later is exactly what was delivered.
 *
 * The JSON form of a kept report (GET /api/v1/reports/{id}):
 *   {"id", "tenant_id", "kind": monthly|incident, "period": "2026-11" |
 *    "SEC-7", "incident_id", "format": pdf|html, "language": zh-CN|en,
 *    "state": pending|ready|failed, "size", "sha256", "error", "scheduled",
 *    "attempts", "next_at", "filename", "created_by", "created_at",
 *    "updated_at", "mailings": [{"id", "recipient", "state", "attempts",
 *    "next_at", "error", "sent_at"}]}
 * (lists leave the mailings out).
 */
#ifndef VG_REPORT_REPORTS_H
#define VG_REPORT_REPORTS_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "report/build.h"
#include "report/model.h"
#include "store/ctx.h"
#include "store/store.h"

typedef enum vg_report_kind { VG_REPORT_MONTHLY, VG_REPORT_INCIDENT } vg_report_kind;
typedef enum vg_report_format { VG_REPORT_PDF, VG_REPORT_HTML } vg_report_format;

/* What to make. */
typedef struct vg_report_request {
	vg_report_kind kind;
	int64_t tenant_id;   /* monthly */
	const char *month;   /* monthly: "YYYY-MM" */
	int64_t incident_id; /* incident */
	vg_report_format format;
	vg_report_lang lang;
} vg_report_request;

/* "monthly"/"incident", "pdf"/"html" into *out; VG_EINVAL naming the
 * value otherwise. */
int vg_report_kind_parse(const char *s, vg_report_kind *out, vg_error *err);
int vg_report_format_parse(const char *s, vg_report_format *out, vg_error *err);

/* The MIME type of a format: "application/pdf", "text/html; charset=utf-8". */
const char *vg_report_format_type(vg_report_format format);

/*
 * Builds and renders req into out (appended), with the tenant's logo on
 * the cover; *tenant_id gets the report's tenant and period (size 32) its
 * period ("2026-11", "SEC-7"). Errors as the builders give them
 * (VG_ENOTFOUND for what ctx cannot see, VG_EINVAL for a bad month).
 */
int vg_report_render(vg_tx *tx, const vg_ctx *ctx, const vg_report_request *req,
		     const vg_report_origin *origin, vg_buf *out, int64_t *tenant_id,
		     char period[32], vg_error *err);

/* Keeps file, req rendered by vg_report_render (of tenant_id, for
 * period), as a ready report made at origin->now by ctx; *id gets its id.
 * Rendering first in a read transaction and keeping the file in a short
 * write one keeps the store's write lock off the seconds a report takes. */
int vg_report_keep(vg_tx *tx, const vg_ctx *ctx, const vg_report_request *req, int64_t tenant_id,
		   const char *period, const vg_buf *file, const vg_report_origin *origin,
		   int64_t *id, vg_error *err);

/* Shaped as http.h's vg_list_fn: the reports of tenant_id (0: every one
 * ctx sees), newest first is not promised: by id. */
int vg_report_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err);

/* The report id with its mailings into *out; VG_ENOTFOUND for one ctx
 * cannot see. */
int vg_report_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

/* Sends a scheduled report that was given up back to the schedule: a
 * failed report is made again, its failed mails are sent again, each
 * with its attempts from zero, at the schedule's next pass. VG_ENOTFOUND
 * for one ctx cannot see; VG_ECONFLICT "report N has nothing to retry"
 * for one that is not scheduled or has neither. *tenant_id gets its
 * tenant. */
int vg_report_retry(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t now, int64_t *tenant_id,
		    vg_error *err);

/* The file of ready report id: its bytes appended to data, *format and
 * filename (size 96, "vigil-monthly-2026-11-zh-CN.pdf"). VG_ENOTFOUND for
 * one ctx cannot see; VG_ECONFLICT "report N is pending|failed" when it
 * has no file. */
int vg_report_file(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_buf *data, vg_report_format *format,
		   char filename[96], vg_error *err);

/* The file name of a report: "vigil-<kind>-<period>-<language>.<format>". */
void vg_report_filename(vg_report_kind kind, const char *period, vg_report_lang lang,
			vg_report_format format, char out[96]);

/*
 * The tenant's logo for report covers: a PNG image of at most
 * VG_REPORT_LOGO_MAX bytes that decodes (VG_EINVAL "logo: ..." otherwise).
 * NULL/0 removes it. VG_ENOTFOUND for a tenant ctx cannot see.
 */
#define VG_REPORT_LOGO_MAX (512 * 1024)

/* VG_OK when len bytes at png are a logo vg_report_logo_set keeps: a PNG
 * that decodes, 1 to 4096 pixels each way, at most VG_REPORT_LOGO_MAX
 * bytes; else VG_EINVAL or VG_ETOOBIG "logo: ..." saying why. */
int vg_report_logo_check(const void *png, size_t len, vg_error *err);

int vg_report_logo_set(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const void *png, size_t len,
		       vg_error *err);
/* The logo into data (left empty when the tenant has none). */
int vg_report_logo_get(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, vg_buf *data,
		       vg_error *err);

#endif
