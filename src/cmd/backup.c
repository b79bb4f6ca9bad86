/* backup.c - `vigil backup` and `vigil restore`. */
#include "cmd/cmd.h"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "audit/audit.h"

static const char backup_usage[] =
	"usage: vigil backup --data DIR FILE\n\n"
	"Writes a consistent copy of the store to FILE while the server keeps running.\n"
	"The master key (DIR/master.key) is not in the backup: keep a copy of it\n"
	"separately, or sealed secrets in the backup cannot be opened.\n";

static const char restore_usage[] =
	"usage: vigil restore --data DIR FILE\n\n"
	"Replaces the store's contents with the backup FILE. Stop the server first.\n"
	"The data directory must hold the master key the backup was made with.\n";

/* The audit row of a backup or restore: the change is the file itself. */
static int describe_file(vg_tx *tx, const vg_ctx *ctx, void *file, vg_audit_entry *entry,
			 vg_error *err)
{
	(void)tx;
	(void)ctx;
	(void)err;
	entry->object = "store";
	entry->detail = file;
	return VG_OK;
}

static int run(int argc, char **argv, bool restore)
{
	const char *usage = restore ? restore_usage : backup_usage;
	const char *data = NULL, *dir, *file[1];
	cmd_flag flags[] = { { "data", true, &data, NULL }, { 0 } };
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status, npos, lock = -1;

	if (!cmd_parse_flags(argc, argv, flags, file, 1, &npos, usage, &status))
		return status;
	if (npos != 1)
		return cmd_usage_error(usage, "name the backup FILE");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	if (!restore && access(file[0], F_OK) == 0) {
		fprintf(stderr, "vigil: %s exists; choose a new file name\n", file[0]);
		return VG_EXIT_FAIL;
	}
	if (restore && vg_app_lock(dir, &lock, &err))
		return cmd_fail(&err);
	status = cmd_open_app(dir, false, &app);
	if (status)
		goto out;
	if (restore) {
		/* A backup from an older vigil is brought up to this schema. */
		if (vg_store_restore(app->store, file[0], &err) ||
		    vg_store_migrate(app->store, NULL, NULL, &err) ||
		    cmd_write(app, "store.restore", describe_file, (void *)file[0], &err))
			status = cmd_fail(&err);
		else
			printf("restored %s into %s\n", file[0], dir);
	} else {
		if (cmd_write(app, "store.backup", describe_file, (void *)file[0], &err) ||
		    vg_store_backup(app->store, file[0], &err))
			status = cmd_fail(&err);
		else
			printf("backed up %s to %s\n", dir, file[0]);
	}
	vg_app_close(app);
out:
	if (lock >= 0)
		close(lock);
	return status;
}

int cmd_backup(int argc, char **argv)
{
	return run(argc, argv, false);
}

int cmd_restore(int argc, char **argv)
{
	return run(argc, argv, true);
}
