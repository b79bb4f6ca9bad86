/* config.c - `vigil config`: the configuration keys and their values. */
#include "cmd/cmd.h"

#include <stdbool.h>
#include <stdint.h>

static const char usage[] =
	"usage: vigil config --markdown\n"
	"       vigil config --data DIR\n\n"
	"--markdown prints the reference table of every key (docs/config.md);\n"
	"--data prints the effective configuration of DIR after vigil.yaml and VIGIL_*.\n";

int cmd_config(int argc, char **argv)
{
	const char *markdown = NULL, *data = NULL;
	cmd_flag flags[] = { { "markdown", false, &markdown, NULL }, { "data", true, &data, NULL }, { 0 } };
	vg_buf out = VG_BUF_INIT(1 << 16);
	vg_error err = { 0 };
	vg_config cfg;
	int status;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	if (markdown) {
		status = vg_conf_render_markdown(vg_config_keys, VG_ENV_PREFIX, &out) ? VG_EXIT_FAIL
										       : VG_EXIT_OK;
		fputs(vg_buf_cstr(&out), stdout);
		vg_buf_release(&out);
		return status;
	}
	if (!data)
		return cmd_usage_error(usage, "give --markdown or --data DIR");
	if (vg_app_load_config(data, &cfg, &err))
		return cmd_fail(&err);
	for (const vg_conf_key *k = vg_config_keys; k->name; k++) {
		const void *field = (const char *)&cfg + k->offset;

		if (k->type == VG_CONF_INT)
			printf("%s: %lld\n", k->name, (long long)*(const int64_t *)field);
		else if (k->type == VG_CONF_BOOL)
			printf("%s: %s\n", k->name, *(const bool *)field ? "true" : "false");
		else if (*(char *const *)field)
			printf("%s: \"%s\"\n", k->name, *(char *const *)field);
		else
			printf("%s: ~\n", k->name);
	}
	vg_conf_release(vg_config_keys, &cfg);
	return VG_EXIT_OK;
}
