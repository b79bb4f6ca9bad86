/*
 * report.c - `vigil report monthly|incident`: a report rendered from the
 * store into a file (report/reports.h), as the API would make it, without
 * keeping it.
 */
#include "cmd/cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/file.h"
#include "core/time.h"
#include "ops/tenant.h"
#include "report/reports.h"

static const char usage[] =
    "usage: vigil report monthly --data DIR --tenant T --month YYYY-MM [options] -o FILE\n"
    "       vigil report incident --data DIR --incident ID [options] -o FILE\n\n"
    "monthly   the MSS Monthly Analysis Report of tenant T (a name or an id) for\n"
    "          the month YYYY-MM in the tenant's time zone\n"
    "incident  the Security Incident Analysis Report of security incident ID\n"
    "  --format pdf|html      the file's format (default pdf)\n"
    "  --language zh-CN|en    the report's language (default zh-CN)\n"
    "  -o, --output FILE      where to write it: whole or not at all\n";

/* The tenant named by which (a name or an id). */
static int tenant_id_of(vg_tx *tx, const char *which, int64_t *id, vg_error *err)
{
	vg_ctx sys = vg_ctx_system();
	vg_tenant t;
	int rc = vg_tenant_lookup(tx, &sys, which, &t, err);

	if (!rc) {
		*id = t.id;
		vg_tenant_release(&t);
	}
	return rc;
}

int cmd_report(int argc, char **argv)
{
	const char *data = NULL, *tenant = NULL, *month = NULL, *incident = NULL, *format = "pdf",
		   *language = "zh-CN", *output = NULL, *dir, *sub[1];
	cmd_flag flags[] = {{"data", true, &data, NULL},
			    {"tenant", true, &tenant, NULL},
			    {"month", true, &month, NULL},
			    {"incident", true, &incident, NULL},
			    {"format", true, &format, NULL},
			    {"language", true, &language, NULL},
			    {"output", true, &output, NULL},
			    {"o", true, &output, NULL},
			    {0}};
	vg_report_request req = {0};
	vg_buf file = VG_BUF_INIT(SIZE_MAX);
	vg_ctx sys = vg_ctx_system();
	vg_error err = {0};
	vg_app *app = NULL;
	vg_tx *tx = NULL;
	char period[32], *end;
	int64_t tenant_id;
	int status, npos, rc;

	if (!cmd_parse_flags(argc, argv, flags, sub, 1, &npos, usage, &status))
		return status;
	if (npos != 1 || vg_report_kind_parse(sub[0], &req.kind, NULL))
		return cmd_usage_error(usage, "name the report: `vigil report monthly` or `vigil "
					      "report incident`");
	if (!output)
		return cmd_usage_error(usage, "name the file to write with -o FILE");
	if (vg_report_format_parse(format, &req.format, &err) ||
	    vg_report_lang_parse(language, &req.lang, &err))
		return cmd_usage_error(usage, "%s", err.msg);
	if (req.kind == VG_REPORT_MONTHLY && (!tenant || !month))
		return cmd_usage_error(usage, "a monthly report needs --tenant and --month");
	if (req.kind == VG_REPORT_INCIDENT) {
		if (!incident)
			return cmd_usage_error(usage, "an incident report needs --incident");
		req.incident_id = strtoll(incident, &end, 10);
		if (*end || req.incident_id <= 0)
			return cmd_usage_error(usage, "--incident: \"%s\" is not an incident id",
					       incident);
	}
	req.month = month;
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	vg_report_origin origin = {.issuer = app->config.report_issuer, .now = vg_time_now_ms()};

	rc = vg_tx_begin(app->store, false, &tx, &err);
	if (!rc && req.kind == VG_REPORT_MONTHLY)
		rc = tenant_id_of(tx, tenant, &req.tenant_id, &err);
	if (!rc)
		rc = vg_report_render(tx, &sys, &req, &origin, &file, &tenant_id, period, &err);
	vg_tx_rollback(tx);
	if (!rc)
		rc = vg_file_write_atomic(output, file.ptr, file.len, 0644, &err);
	if (rc) {
		status = cmd_fail(&err);
	} else {
		printf("%s: %s report %s, %zu bytes\n", output, sub[0], period, file.len);
		status = cmd_finish_output(VG_EXIT_OK);
	}
	vg_buf_release(&file);
	vg_app_close(app);
	return status;
}
