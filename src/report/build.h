/*
 * build.h - the deliverable reports built as models (model.h) from the
 * store: the MSS Monthly Analysis Report (《MSS月度分析报告》) of a tenant
 * and month, and the Security Incident Analysis Report (《安全事件分析报告》)
 * of one security incident.
 *
 * Every figure is read from the store in the transaction given, as it
 * stands then; a section whose data the platform does not collect yet
 * says so in a notice rather than disappearing.
 */
#ifndef VG_REPORT_BUILD_H
#define VG_REPORT_BUILD_H

#include <stdint.h>

#include "core/error.h"
#include "report/model.h"
#include "store/ctx.h"
#include "store/store.h"

/* Who delivers the report and when it was made, for the cover. */
typedef struct vg_report_origin {
	const char *issuer; /* the MSSP's name (config report.issuer) */
	int64_t now;	    /* Unix ms: the report's "generated" time */
} vg_report_origin;

/*
 * The monthly report of tenant_id for month ("YYYY-MM", in the tenant's
 * time zone) into *out (vg_report_free). VG_EINVAL for a malformed month;
 * VG_ENOTFOUND for a tenant ctx cannot see.
 */
int vg_report_monthly_build(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *month,
			    vg_report_lang lang, const vg_report_origin *origin, vg_report **out,
			    vg_error *err);

/*
 * The analysis report of security incident incident_id into *out.
 * VG_ENOTFOUND for an incident ctx cannot see.
 */
int vg_report_incident_build(vg_tx *tx, const vg_ctx *ctx, int64_t incident_id, vg_report_lang lang,
			     const vg_report_origin *origin, vg_report **out, vg_error *err);

#endif
