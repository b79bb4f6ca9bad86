/*
 * ingest.c - `vigil ingest`: read a file of events into a tenant's archive,
 * through detection, as the server does with what sources send.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"
#include "core/xalloc.h"
#include "ingest/sources.h"
#include "ops/tenant.h"
#include "pipeline/pipeline.h"

static const char usage[] =
	"usage: vigil ingest --data DIR --tenant T --type TYPE [--source NAME]\n"
	"                    [--year YYYY] FILE|-\n\n"
	"Reads events from FILE (or standard input) as source type TYPE into tenant\n"
	"T's archive (T an id or name), runs detection on them and stores the\n"
	"alerts. The events count under the tenant's source NAME (default\n"
	"cli-TYPE), created when missing. Prints what was accepted and refused, and\n"
	"each refused record's line and reason on standard error. The server must\n"
	"not be running on DIR (send files to it with POST /api/v1/ingest/ID).\n";

#define READ_CHUNK (8u << 20)

typedef struct find_args {
	const char *tenant, *name, *type;
	vg_source s;
	char token[VG_SOURCE_TOKEN_MAX];
	char object[32];
} find_args;

/* The named source of the tenant, created (and audited) when missing. */
static int find_or_create(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
			  vg_error *err)
{
	find_args *a = arg;
	vg_source_fields in = { .name = a->name, .type = a->type, .enabled = 1 };
	vg_tenant t;
	int rc = vg_tenant_lookup(tx, ctx, a->tenant, &t, err);

	if (rc)
		return rc;
	vg_tenant_release(&t);
	rc = vg_source_find(tx, ctx, t.id, a->name, &a->s, err);
	if (rc == VG_OK && strcmp(a->s.type, a->type) != 0)
		return vg_error_set(err, VG_EINVAL, "source \"%s\" is of type %s, not %s", a->name,
				    a->s.type, a->type);
	if (rc == VG_ENOTFOUND)
		rc = vg_source_create(tx, ctx, t.id, &in, &a->s, a->token, err);
	memset(a->token, 0, sizeof(a->token));
	snprintf(a->object, sizeof(a->object), "source:%lld", (long long)a->s.id);
	entry->object = a->object;
	entry->tenant_id = a->s.tenant_id;
	return rc;
}

static int push_chunk(void *arg, const char *data, size_t len, bool last, vg_error *err)
{
	return vg_ingest_push(arg, data, len, last, err);
}

int cmd_ingest(int argc, char **argv)
{
	const char *data = NULL, *tenant = NULL, *type = NULL, *name = NULL, *year = NULL;
	const char *pos[1], *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL },   { "tenant", true, &tenant, NULL },
			     { "type", true, &type, NULL },   { "source", true, &name, NULL },
			     { "year", true, &year, NULL },   { 0 } };
	char default_name[64];
	vg_ingest_options opts = { 0 };
	vg_ingest_result res;
	vg_pipeline *p = NULL;
	vg_ingest *in = NULL;
	vg_error err = { 0 };
	vg_app *app = NULL;
	find_args a = { 0 };
	int status, npos, fd = 0;
	size_t i;

	if (!cmd_parse_flags(argc, argv, flags, pos, 1, &npos, usage, &status))
		return status;
	if (npos != 1 || !tenant || !type)
		return cmd_usage_error(usage, "give --tenant, --type and a FILE (or -)");
	if (year) {
		char *end;
		long y = strtol(year, &end, 10);

		if (*end || y < 1970 || y > 9999)
			return cmd_usage_error(usage, "--year must be a year such as 2026");
		opts.year = (int)y;
	}
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	snprintf(default_name, sizeof(default_name), "cli-%s", type);
	a = (find_args){ .tenant = tenant, .name = name ? name : default_name, .type = type };
	if (strcmp(pos[0], "-") != 0) {
		fd = open(pos[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "vigil: %s: %s\n", pos[0], strerror(errno));
			return VG_EXIT_FAIL;
		}
	}
	status = cmd_open_app(dir, false, &app);
	if (status)
		goto out;
	if (cmd_write(app, "source.ingest", find_or_create, &a, &err) ||
	    vg_pipeline_open(app, &p, &err) || vg_ingest_begin(p, &a.s, &opts, &in, &err) ||
	    vg_fd_read_chunks(fd, READ_CHUNK, "events", push_chunk, in, &err)) {
		status = cmd_fail(&err);
		if (in) {
			vg_ingest_result_get(in, &res);
			fprintf(stderr, "vigil: %llu events were stored before the failure\n",
				(unsigned long long)res.accepted);
		}
		goto out;
	}
	vg_ingest_result_get(in, &res);
	for (i = 0; i < res.nrejects; i++)
		fprintf(stderr, "vigil: rejected (%s): %s\n",
			vg_reject_reason_name(res.rejects[i].reason), res.rejects[i].msg);
	if (res.rejected > res.nrejects)
		fprintf(stderr, "vigil: ... and %llu more rejected\n",
			(unsigned long long)(res.rejected - res.nrejects));
	printf("%llu accepted, %llu rejected", (unsigned long long)res.accepted,
	       (unsigned long long)res.rejected);
	for (i = 0; i < VG_REJECT_NREASONS; i++)
		if (res.by_reason[i])
			printf(", %s %llu", vg_reject_reason_name((enum vg_reject_reason)i),
			       (unsigned long long)res.by_reason[i]);
	printf("; %llu alerts (%llu new) for source %lld\n", (unsigned long long)res.hits,
	       (unsigned long long)res.opened, (long long)a.s.id);
	status = VG_EXIT_OK;
out:
	vg_ingest_end(in);
	vg_pipeline_close(p);
	vg_app_close(app);
	if (fd > 0)
		close(fd);
	return status;
}
