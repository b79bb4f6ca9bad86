/* init.c - `vigil init`: create a data directory and its first admin. */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "identity/password.h"
#include "identity/user.h"

static const char usage[] =
	"usage: vigil init --data DIR\n\n"
	"Creates DIR (mode 0700) with the SQLite store, the master key that seals\n"
	"secrets (DIR/master.key, mode 0600) and the user \"admin\". The admin\n"
	"password is taken from VIGIL_ADMIN_PASSWORD, or generated and printed once.\n";

/* Creates the admin user; cmd_write audits it in the same transaction. */
static int create_admin(vg_tx *tx, const vg_ctx *ctx, void *password, vg_audit_entry *entry,
			vg_error *err)
{
	int64_t id;

	entry->object = "user:admin";
	return vg_user_create(tx, ctx,
			      &(vg_user_new){ .username = "admin", .password = password,
					      .role = VG_ROLE_ADMIN,
					      .display_name = "Administrator" },
			      &id, err);
}

int cmd_init(int argc, char **argv)
{
	const char *data = NULL, *dir, *given = getenv("VIGIL_ADMIN_PASSWORD");
	cmd_flag flags[] = { { "data", true, &data, NULL }, { 0 } };
	char generated[VG_PASSWORD_GENERATED_LEN + 1];
	const char *password = given;
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (given && vg_password_check_policy(given, &err)) {
		vg_error_prefix(&err, "VIGIL_ADMIN_PASSWORD");
		return cmd_fail(&err);
	}
	if (vg_app_create(dir, &err))
		return cmd_fail(&err);
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	if (!given) {
		vg_password_generate(generated, sizeof(generated));
		password = generated;
	}
	if (cmd_write(app, "store.init", create_admin, (void *)password, &err)) {
		status = cmd_fail(&err);
		goto out;
	}
	printf("created %s\n", dir);
	if (!given)
		printf("admin password (shown once): %s\n", generated);
out:
	memset(generated, 0, sizeof(generated));
	vg_app_close(app);
	return status;
}
