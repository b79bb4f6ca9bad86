/* token.c - `vigil token create|revoke`. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "identity/token.h"
#include "identity/user.h"

static const char usage[] =
	"usage: vigil token create --data DIR --user USERNAME --name NAME\n"
	"                          [--scopes read,write] [--expires-days N]\n"
	"       vigil token revoke --data DIR ID\n\n"
	"create prints the token once, on the last line; only its hash is stored.\n";

typedef struct token_args {
	const char *username;
	vg_token_new in;
	int64_t id;
	json_t *token;
	char object[32];
} token_args;

static int create_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
			 vg_error *err)
{
	token_args *a = arg;
	vg_user u;
	int rc = vg_user_find(tx, ctx, a->username, &u, err);

	if (rc)
		return rc;
	a->in.user_id = u.id;
	rc = vg_token_create(tx, ctx, &a->in, &a->token, err);
	if (rc)
		return rc;
	snprintf(a->object, sizeof(a->object), "token:%lld",
		 (long long)json_integer_value(json_object_get(a->token, "id")));
	entry->object = a->object;
	entry->tenant_id = u.tenant_id;
	return VG_OK;
}

static int revoke_change(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
			 vg_error *err)
{
	token_args *a = arg;

	snprintf(a->object, sizeof(a->object), "token:%lld", (long long)a->id);
	entry->object = a->object;
	return vg_token_revoke(tx, ctx, a->id, err);
}

int cmd_token(int argc, char **argv)
{
	const char *data = NULL, *user = NULL, *name = NULL, *scopes = "read", *days = NULL;
	const char *pos[2], *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL },	{ "user", true, &user, NULL },
			     { "name", true, &name, NULL },	{ "scopes", true, &scopes, NULL },
			     { "expires-days", true, &days, NULL }, { 0 } };
	token_args a = { 0 };
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status, npos;
	char *end;

	if (!cmd_parse_flags(argc, argv, flags, pos, 2, &npos, usage, &status))
		return status;
	if (npos < 1)
		return cmd_usage_error(usage, "name a subcommand: create or revoke");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (strcmp(pos[0], "create") == 0) {
		if (npos != 1 || !user || !name)
			return cmd_usage_error(usage, "token create needs --user and --name");
		if (vg_token_scopes_parse(scopes, &a.in.scopes, &err))
			return cmd_fail(&err);
		if (days) {
			errno = 0;
			a.in.expires_in_days = (int)strtol(days, &end, 10);
			if (*end || errno || a.in.expires_in_days < 1 || a.in.expires_in_days > 3650)
				return cmd_usage_error(usage, "--expires-days must be from 1 to 3650");
		}
		a.username = user;
		a.in.name = name;
	} else if (strcmp(pos[0], "revoke") == 0) {
		if (npos != 2)
			return cmd_usage_error(usage, "token revoke needs the token ID");
		errno = 0;
		a.id = strtoll(pos[1], &end, 10);
		if (*end || errno || a.id <= 0)
			return cmd_usage_error(usage, "token ID must be a number");
	} else {
		return cmd_usage_error(usage, "unknown subcommand \"%s\"", pos[0]);
	}
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	if (a.username ? cmd_write(app, "token.create", create_change, &a, &err)
		       : cmd_write(app, "token.revoke", revoke_change, &a, &err)) {
		status = cmd_fail(&err);
	} else if (a.username) {
		printf("created token %lld for %s\n",
		       (long long)json_integer_value(json_object_get(a.token, "id")), user);
		printf("%s\n", vg_json_str(a.token, "token"));
	} else {
		printf("revoked token %lld\n", (long long)a.id);
	}
	json_decref(a.token);
	vg_app_close(app);
	return status;
}
