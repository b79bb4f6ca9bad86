/* source.c - `vigil source add|list|token`: a tenant's log sources. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "ingest/sources.h"
#include "ops/tenant.h"

static const char usage[] =
	"usage: vigil source add --data DIR --tenant T --name NAME --type TYPE\n"
	"                        [--listen udp://HOST:PORT|tcp://HOST:PORT]\n"
	"       vigil source list --data DIR [--tenant T]\n"
	"       vigil source token --data DIR ID\n\n"
	"add and token print the source's ingest token once, on the last line; only\n"
	"its hash is stored. T is a tenant id or name. A listener is opened when the\n"
	"server starts.\n";

typedef struct source_args {
	const char *tenant;
	vg_source_fields in;
	int64_t id;
	vg_source s;
	char token[VG_SOURCE_TOKEN_MAX];
	char object[32];
} source_args;

static int add_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
		      vg_error *err)
{
	source_args *a = arg;
	vg_tenant t;
	int rc = vg_tenant_lookup(tx, ctx, a->tenant, &t, err);

	if (rc)
		return rc;
	vg_tenant_release(&t);
	rc = vg_source_create(tx, ctx, t.id, &a->in, &a->s, a->token, err);
	if (rc)
		return rc;
	snprintf(a->object, sizeof(a->object), "source:%lld", (long long)a->s.id);
	entry->object = a->object;
	entry->tenant_id = a->s.tenant_id;
	return VG_OK;
}

static int token_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
			vg_error *err)
{
	source_args *a = arg;
	int rc = vg_source_rotate_token(tx, ctx, a->id, a->token, err);

	if (rc == VG_OK)
		rc = vg_source_get(tx, ctx, a->id, &a->s, err);
	snprintf(a->object, sizeof(a->object), "source:%lld", (long long)a->id);
	entry->object = a->object;
	entry->tenant_id = a->s.tenant_id;
	return rc;
}

static int list(vg_app *app, const char *tenant)
{
	vg_ctx system = vg_ctx_system();
	int64_t tenant_id = 0, last, after = 0;
	vg_error err = { 0 };
	json_t *items;
	vg_tenant t;
	vg_tx *tx;
	size_t i;
	int rc;

	rc = vg_tx_begin(app->store, false, &tx, &err);
	if (!rc && tenant) {
		rc = vg_tenant_lookup(tx, &system, tenant, &t, &err);
		tenant_id = t.id;
		if (!rc)
			vg_tenant_release(&t);
	}
	printf("%-6s %-8s %-12s %-30s %s\n", "id", "tenant", "type", "name", "listen");
	while (!rc) {
		rc = vg_source_list(tx, &system, tenant_id, after, 500, &items, &last, &err);
		if (rc)
			break;
		for (i = 0; i < json_array_size(items); i++) {
			json_t *s = json_array_get(items, i);

			printf("%-6lld %-8lld %-12s %-30s %s\n",
			       (long long)json_integer_value(json_object_get(s, "id")),
			       (long long)json_integer_value(json_object_get(s, "tenant_id")),
			       vg_json_str(s, "type"), vg_json_str(s, "name"),
			       vg_json_str(s, "listen") ? vg_json_str(s, "listen") : "-");
		}
		i = json_array_size(items);
		json_decref(items);
		if (i < 500)
			break;
		after = last;
	}
	vg_tx_rollback(tx);
	return rc ? cmd_fail(&err) : VG_EXIT_OK;
}

int cmd_source(int argc, char **argv)
{
	const char *data = NULL, *tenant = NULL, *name = NULL, *type = NULL, *listen = NULL;
	const char *pos[2], *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL },	{ "tenant", true, &tenant, NULL },
			     { "name", true, &name, NULL },	{ "type", true, &type, NULL },
			     { "listen", true, &listen, NULL }, { 0 } };
	source_args a = { 0 };
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status, npos;

	if (!cmd_parse_flags(argc, argv, flags, pos, 2, &npos, usage, &status))
		return status;
	if (npos < 1)
		return cmd_usage_error(usage, "give add, list or token");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (strcmp(pos[0], "add") == 0) {
		if (npos != 1 || !tenant || !name || !type)
			return cmd_usage_error(usage, "add needs --tenant, --name and --type");
		a.tenant = tenant;
		a.in = (vg_source_fields){ .name = name, .type = type, .listen = listen, .enabled = 1 };
	} else if (strcmp(pos[0], "token") == 0) {
		char *end;

		errno = 0;
		a.id = npos == 2 ? strtoll(pos[1], &end, 10) : 0;
		if (npos != 2 || *end || errno || a.id <= 0)
			return cmd_usage_error(usage, "token needs the source's id");
	} else if (strcmp(pos[0], "list") != 0 || npos != 1) {
		return cmd_usage_error(usage, "unknown source command \"%s\"", pos[0]);
	}
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	if (strcmp(pos[0], "list") == 0) {
		status = list(app, tenant);
	} else if (cmd_write(app, strcmp(pos[0], "add") == 0 ? "source.create" : "source.token",
			     strcmp(pos[0], "add") == 0 ? add_change : token_change, &a, &err)) {
		status = cmd_fail(&err);
	} else {
		printf("source %lld (%s) of tenant %lld; its ingest token:\n%s\n", (long long)a.s.id,
		       a.s.type, (long long)a.s.tenant_id, a.token);
	}
	memset(a.token, 0, sizeof(a.token));
	vg_app_close(app);
	return status;
}
