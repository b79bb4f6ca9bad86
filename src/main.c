/*
 * main.c - `vigil <command> [options]`: the command table and dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

const vg_command vg_commands[] = {
	{ "init", cmd_init, "Create a data directory: store, master key, admin user" },
	{ "serve", cmd_serve, "Run the server" },
	{ "migrate", cmd_migrate, "Apply pending schema migrations" },
	{ "tenant", cmd_tenant, "Add, list and show tenants (customers)" },
	{ "user", cmd_user, "Add, list, disable users and set passwords" },
	{ "token", cmd_token, "Create and revoke API tokens" },
	{ "audit", cmd_audit, "Verify the audit trail's hash chain" },
	{ "backup", cmd_backup, "Write an online backup of the store" },
	{ "restore", cmd_restore, "Replace the store with a backup" },
	{ "demo", cmd_demo, "Fill a fresh store with a believable MSSP" },
	{ "source", cmd_source, "Add and list log sources; rotate their ingest tokens" },
	{ "ingest", cmd_ingest, "Read a file of events into a tenant's archive and detection" },
	{ "rules", cmd_rules, "Lint Sigma rules and run their tests" },
	{ "detect", cmd_detect, "Run Sigma rules over events offline (a hunt)" },
	{ "notify", cmd_notify, "Send a test message through a notification channel type" },
	{ "sla", cmd_sla, "Working time on a calendar: SLA elapsed time and due instants" },
	{ "report", cmd_report, "Render a monthly or incident report into a PDF or HTML file" },
	{ "routes", cmd_routes, "List the HTTP routes" },
	{ "permissions", cmd_permissions, "Show the role and permission table" },
	{ "config", cmd_config, "Show the configuration keys" },
	{ "version", cmd_version, "Print the version" },
	{ NULL, NULL, NULL },
};

#ifdef __SANITIZE_ADDRESS__
/* The sanitized build's leak check, told of the caches fontconfig, cairo
 * and pango keep for the life of the process once a report was drawn:
 * they are never freed by design, and are not Vigil's to free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\nleak:libpango\nleak:libharfbuzz.so\n"
	       "leak:libglib-2.0.so\nleak:libgobject-2.0.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

static void print_usage(FILE *out)
{
	fputs("usage: vigil <command> [options]\n\ncommands:\n", out);
	for (const vg_command *c = vg_commands; c->name; c++)
		fprintf(out, "  %-12s %s\n", c->name, c->summary);
	fputs("\nRun `vigil <command> --help` for a command's options.\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return VG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		print_usage(stdout);
		return cmd_finish_output(VG_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(argc - 1, argv + 1);
	for (const vg_command *c = vg_commands; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return cmd_finish_output(c->run(argc - 1, argv + 1));
	fprintf(stderr, "vigil: unknown command \"%s\"\n\n", argv[1]);
	print_usage(stderr);
	return VG_EXIT_USAGE;
}
