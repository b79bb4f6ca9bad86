/* tenant.c - `vigil tenant add|list|show`. */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "ops/tenant.h"

static const char usage[] =
	"usage: vigil tenant add --data DIR --name NAME --edition professional|enterprise\n"
	"                        --start YYYY-MM-DD --end YYYY-MM-DD [--timezone TZ]\n"
	"       vigil tenant list --data DIR [--json]\n"
	"       vigil tenant show --data DIR ID|NAME [--json]\n\n"
	"Tenants are the MSSP's customers; the edition decides what the contract includes.\n";

typedef struct add_args {
	vg_tenant_fields fields;
	int64_t id;
	char object[32];
} add_args;

static int add_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
		      vg_error *err)
{
	add_args *a = arg;
	int rc = vg_tenant_create(tx, ctx, &a->fields, &a->id, err);

	if (rc)
		return rc;
	snprintf(a->object, sizeof(a->object), "tenant:%lld", (long long)a->id);
	entry->object = a->object;
	entry->tenant_id = a->id;
	return VG_OK;
}

static void print_tenant_line(json_t *t)
{
	printf("%-6lld %-32s %-13s %s..%s %s\n",
	       (long long)json_integer_value(json_object_get(t, "id")), vg_json_str(t, "name"),
	       vg_json_str(t, "edition"), vg_json_str(t, "contract_start"),
	       vg_json_str(t, "contract_end"), vg_json_str(t, "timezone"));
}

static int print_json(json_t *value)
{
	char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (!text)
		return VG_EXIT_FAIL;
	puts(text);
	free(text);
	return VG_EXIT_OK;
}

int cmd_tenant(int argc, char **argv)
{
	const char *data = NULL, *name = NULL, *edition = NULL, *start = NULL, *end = NULL;
	const char *tz = NULL, *as_json = NULL, *pos[2], *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL },	  { "name", true, &name, NULL },
			     { "edition", true, &edition, NULL }, { "start", true, &start, NULL },
			     { "end", true, &end, NULL },	  { "timezone", true, &tz, NULL },
			     { "json", false, &as_json, NULL },  { 0 } };
	vg_ctx system = vg_ctx_system();
	vg_error err = { 0 };
	vg_app *app = NULL;
	vg_tx *tx = NULL;
	int status, npos;

	if (!cmd_parse_flags(argc, argv, flags, pos, 2, &npos, usage, &status))
		return status;
	if (npos < 1)
		return cmd_usage_error(usage, "name a subcommand: add, list or show");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (strcmp(pos[0], "add") == 0) {
		add_args a = { .fields = { .name = name, .edition = edition,
					   .contract_start = start, .contract_end = end,
					   .timezone = tz } };

		if (npos != 1 || !name || !edition || !start || !end)
			return cmd_usage_error(usage,
					       "tenant add needs --name, --edition, --start and --end");
		status = cmd_open_app(dir, false, &app);
		if (status)
			return status;
		if (cmd_write(app, "tenant.create", add_change, &a, &err))
			status = cmd_fail(&err);
		else
			printf("%lld\n", (long long)a.id);
	} else if (strcmp(pos[0], "list") == 0 || strcmp(pos[0], "show") == 0) {
		bool show = pos[0][0] == 's';
		json_t *items = NULL;
		int64_t last;

		if (npos != (show ? 2 : 1))
			return cmd_usage_error(usage, show ? "tenant show needs an ID or NAME"
							   : "tenant list takes no arguments");
		status = cmd_open_app(dir, false, &app);
		if (status)
			return status;
		if (vg_tx_begin(app->store, false, &tx, &err)) {
			status = cmd_fail(&err);
		} else if (show) {
			vg_tenant t;

			if (vg_tenant_lookup(tx, &system, pos[1], &t, &err)) {
				status = cmd_fail(&err);
			} else {
				json_t *j = vg_tenant_to_json(&t);

				if (as_json)
					status = print_json(j);
				else
					print_tenant_line(j);
				json_decref(j);
				vg_tenant_release(&t);
			}
		} else if (vg_tenant_list(tx, &system, 0, 0, 1000000, &items, &last, &err)) {
			status = cmd_fail(&err);
		} else if (as_json) {
			status = print_json(items);
		} else {
			size_t i;
			json_t *t;

			json_array_foreach(items, i, t)
				print_tenant_line(t);
		}
		json_decref(items);
		vg_tx_rollback(tx);
	} else {
		return cmd_usage_error(usage, "unknown subcommand \"%s\"", pos[0]);
	}
	vg_app_close(app);
	return status;
}
