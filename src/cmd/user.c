/* user.c - `vigil user add|list|passwd|disable`. */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "identity/password.h"
#include "identity/role.h"
#include "identity/user.h"
#include "ops/tenant.h"

static const char usage[] =
	"usage: vigil user add --data DIR --username NAME --role ROLE [--tenant ID|NAME]\n"
	"                      [--display-name TEXT] [--email ADDR] [--password-stdin]\n"
	"       vigil user list --data DIR [--tenant ID|NAME] [--json]\n"
	"       vigil user passwd --data DIR USERNAME [--password-stdin]\n"
	"       vigil user disable --data DIR USERNAME\n\n"
	"Roles: admin, manager, analyst, auditor (staff); customer_admin, customer_user\n"
	"(need --tenant). Without --password-stdin a random password is printed once.\n";

typedef struct user_args {
	const char *tenant;  /* ID or name, may be NULL */
	const char *username;
	vg_user_new in;
	vg_user_change change;
	int64_t id;
	char object[96];
} user_args;

static int resolve_tenant(vg_tx *tx, const vg_ctx *ctx, const char *which, int64_t *id,
			  vg_error *err)
{
	vg_tenant t;
	int rc;

	*id = 0;
	if (!which)
		return VG_OK;
	rc = vg_tenant_lookup(tx, ctx, which, &t, err);
	if (rc)
		return rc;
	*id = t.id;
	vg_tenant_release(&t);
	return VG_OK;
}

static int add_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
		      vg_error *err)
{
	user_args *a = arg;
	int rc = resolve_tenant(tx, ctx, a->tenant, &a->in.tenant_id, err);

	if (!rc)
		rc = vg_user_create(tx, ctx, &a->in, &a->id, err);
	if (rc)
		return rc;
	snprintf(a->object, sizeof(a->object), "user:%lld", (long long)a->id);
	entry->object = a->object;
	entry->tenant_id = a->in.tenant_id;
	return VG_OK;
}

static int update_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
			 vg_error *err)
{
	user_args *a = arg;
	vg_user u;
	int rc = vg_user_find(tx, ctx, a->username, &u, err);

	if (!rc)
		rc = vg_user_update(tx, ctx, u.id, &a->change, err);
	if (rc)
		return rc;
	snprintf(a->object, sizeof(a->object), "user:%lld", (long long)u.id);
	entry->object = a->object;
	entry->tenant_id = u.tenant_id;
	return VG_OK;
}

/* The password from stdin, or a generated one (printed by the caller). */
static int obtain_password(bool from_stdin, char *buf, size_t size, vg_error *err)
{
	if (from_stdin)
		return cmd_read_secret_line(buf, size, err);
	vg_password_generate(buf, size);
	return VG_OK;
}

static int list_users(vg_app *app, const char *tenant, bool as_json)
{
	vg_ctx system = vg_ctx_system();
	json_t *items = NULL, *u;
	vg_error err = { 0 };
	int64_t tenant_id, last;
	int status = VG_EXIT_OK;
	vg_tx *tx;
	size_t i;

	if (vg_tx_begin(app->store, false, &tx, &err))
		return cmd_fail(&err);
	if (resolve_tenant(tx, &system, tenant, &tenant_id, &err) ||
	    vg_user_list(tx, &system, tenant_id, 0, 1000000, &items, &last, &err)) {
		status = cmd_fail(&err);
	} else if (as_json) {
		char *text = json_dumps(items, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (text)
			puts(text);
		free(text);
	} else {
		json_array_foreach(items, i, u) {
			json_t *t = json_object_get(u, "tenant_id");

			printf("%-6lld %-24s %-15s %-8s %s\n",
			       (long long)json_integer_value(json_object_get(u, "id")),
			       vg_json_str(u, "username"), vg_json_str(u, "role"),
			       json_is_null(t) ? "-" : "tenant",
			       json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active");
		}
	}
	json_decref(items);
	vg_tx_rollback(tx);
	return status;
}

int cmd_user(int argc, char **argv)
{
	const char *data = NULL, *username = NULL, *role = NULL, *tenant = NULL, *name = NULL;
	const char *email = NULL, *from_stdin = NULL, *as_json = NULL, *pos[2], *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL },
			     { "username", true, &username, NULL },
			     { "role", true, &role, NULL },
			     { "tenant", true, &tenant, NULL },
			     { "display-name", true, &name, NULL },
			     { "email", true, &email, NULL },
			     { "password-stdin", false, &from_stdin, NULL },
			     { "json", false, &as_json, NULL },
			     { 0 } };
	char password[VG_PASSWORD_MAX + 2];
	user_args a = { 0 };
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status, npos;

	if (!cmd_parse_flags(argc, argv, flags, pos, 2, &npos, usage, &status))
		return status;
	if (npos < 1)
		return cmd_usage_error(usage, "name a subcommand: add, list, passwd or disable");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (strcmp(pos[0], "add") == 0) {
		if (npos != 1 || !username || !role)
			return cmd_usage_error(usage, "user add needs --username and --role");
		a.in = (vg_user_new){ .username = username, .role = vg_role_parse(role),
				      .display_name = name, .email = email, .password = password };
		a.tenant = tenant;
		if (a.in.role == VG_ROLE_NONE)
			return cmd_usage_error(usage, "unknown role \"%s\"", role);
	} else if (strcmp(pos[0], "passwd") == 0 || strcmp(pos[0], "disable") == 0) {
		if (npos != 2)
			return cmd_usage_error(usage, "user %s needs a USERNAME", pos[0]);
		a.username = pos[1];
		a.change = (vg_user_change){ .role = VG_ROLE_NONE, .disabled = -1 };
		if (pos[0][0] == 'p')
			a.change.password = password;
		else
			a.change.disabled = 1;
	} else if (strcmp(pos[0], "list") == 0) {
		if (npos != 1)
			return cmd_usage_error(usage, "user list takes no arguments");
		status = cmd_open_app(dir, false, &app);
		if (!status)
			status = list_users(app, tenant, as_json != NULL);
		vg_app_close(app);
		return status;
	} else {
		return cmd_usage_error(usage, "unknown subcommand \"%s\"", pos[0]);
	}

	if ((a.in.password || a.change.password) &&
	    obtain_password(from_stdin != NULL, password, sizeof(password), &err))
		return cmd_fail(&err);
	status = cmd_open_app(dir, false, &app);
	if (status)
		goto out;
	if (a.in.username ? cmd_write(app, "user.create", add_change, &a, &err)
			  : cmd_write(app, a.change.password ? "user.password" : "user.disable",
				      update_change, &a, &err)) {
		status = cmd_fail(&err);
		goto out;
	}
	if (a.in.username)
		printf("created user %s (id %lld)\n", username, (long long)a.id);
	else
		printf("%s %s\n", a.change.password ? "set the password of" : "disabled", a.username);
	if ((a.in.username || a.change.password) && !from_stdin)
		printf("password (shown once): %s\n", password);
out:
	memset(password, 0, sizeof(password));
	vg_app_close(app);
	return status;
}
