/*
 * cmd.h - the subcommands of `vigil` and what they share.
 *
 * Each subcommand lives in its own file, parses its flags with
 * cmd_parse_flags, calls subsystems, prints results to stdout and errors
 * to stderr, and returns an exit status: VG_EXIT_OK, VG_EXIT_FAIL, or
 * VG_EXIT_USAGE for a usage or configuration error.
 */
#ifndef VG_CMD_CMD_H
#define VG_CMD_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/error.h"

enum { VG_EXIT_OK = 0, VG_EXIT_FAIL = 1, VG_EXIT_USAGE = 2 };

typedef struct vg_command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command's name */
	const char *summary;
} vg_command;

/* The command table (main.c), ended by an entry whose name is NULL. */
extern const vg_command vg_commands[];

/*
 * One flag of a command. Flags are "--name VALUE" or "--name=VALUE" (and
 * "-n VALUE" for a flag whose name is the one letter n); with
 * takes_value false, "--name" sets *value to "1". Positional arguments are
 * collected in order into the caller's array.
 */
/* The values of a flag that may be given more than once. */
#define CMD_LIST_MAX 64
typedef struct cmd_list {
	const char *v[CMD_LIST_MAX];
	int n;
} cmd_list;

typedef struct cmd_flag {
	const char *name;     /* without the dashes: "data" */
	bool takes_value;
	const char **value;   /* where the value goes; untouched when absent */
	cmd_list *list;       /* instead of value: every occurrence is kept */
} cmd_flag;

/*
 * Parses argv[1..] against flags (ended by a NULL name). "--help" prints
 * usage to stdout and returns VG_EXIT_OK through *exit_now; an unknown
 * flag, a missing value or more than max_positional positionals prints the
 * problem and usage to stderr and returns VG_EXIT_USAGE through *exit_now.
 * Returns true when the command should go on.
 */
bool cmd_parse_flags(int argc, char **argv, const cmd_flag *flags, const char **positional,
		     int max_positional, int *npositional, const char *usage, int *exit_now);

/* The data directory: the --data value, else $VIGIL_DATA; NULL (after
 * printing a usage error) when neither is set. */
const char *cmd_data_dir(const char *flag_value, const char *usage);

/* Opens the data directory (see vg_app_open); prints the error and returns
 * the exit status on failure, VG_EXIT_OK with *out set on success. */
int cmd_open_app(const char *data_dir, bool migrate, vg_app **out);

/* Prints "vigil: <message>" to stderr and returns the matching exit
 * status: VG_EXIT_USAGE for VG_EINVAL, else VG_EXIT_FAIL. */
int cmd_fail(const vg_error *err);

/* Prints "vigil: <formatted message>" to stderr and returns VG_EXIT_USAGE. */
int cmd_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads one line (a password or secret) from stdin without its newline
 * into buf; VG_EINVAL when stdin is empty. */
int cmd_read_secret_line(char *buf, size_t size, vg_error *err);

/*
 * One state change from the command line: runs change in a write
 * transaction as the system actor, appends the audit row it describes
 * (entry->action is preset; change fills object, tenant and detail), and
 * commits both or neither.
 */
typedef int (*cmd_change_fn)(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry,
			     vg_error *err);
int cmd_write(vg_app *app, const char *action, cmd_change_fn change, void *arg, vg_error *err);

/* Flushes stdout and reports a write error (full disk, closed pipe) as a
 * failure, so a command's output is never silently truncated. */
int cmd_finish_output(int status);

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_tenant(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_permissions(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_source(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_sla(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* rules_test.c: `vigil rules test` */
int cmd_rules_test(const char *const *paths, int npaths);

#endif
