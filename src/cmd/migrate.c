/* migrate.c - `vigil migrate`: apply pending schema migrations. */
#include "cmd/cmd.h"

#include <unistd.h>

static const char usage[] =
	"usage: vigil migrate --data DIR\n\n"
	"Applies the schema migrations this binary carries that the store lacks.\n"
	"Stop the server first; back up with `vigil backup` before upgrading.\n";

int cmd_migrate(int argc, char **argv)
{
	const char *data = NULL, *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL }, { 0 } };
	vg_error err = { 0 };
	int status, from, to, lock = -1;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (vg_app_lock(dir, &lock, &err) || vg_app_migrate(dir, &from, &to, &err)) {
		if (lock >= 0)
			close(lock);
		return cmd_fail(&err);
	}
	close(lock);
	if (from == to)
		printf("schema is up to date at version %d; nothing applied\n", to);
	else
		printf("migrated schema from version %d to %d\n", from, to);
	return VG_EXIT_OK;
}
