/* config.c - `vigil config`: the configuration keys, and the settings a
 * data directory runs with. */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: vigil config --markdown\n"
	"       vigil config [--data DIR]\n\n"
	"--markdown prints the reference table of configuration keys that\n"
	"docs/config.md carries. Otherwise prints the configuration DIR (or\n"
	"$VIGIL_DATA) runs with: DIR/vigil.yaml and VIGIL_* variables over the\n"
	"defaults, one \"key: value\" line a key (strings quoted, unset ones null);\n"
	"the output is itself a valid vigil.yaml.\n";

/* The output of either form is small; this bounds it all the same. */
#define CONFIG_OUTPUT_MAX (1024 * 1024)

int cmd_config(int argc, char **argv)
{
	const char *data = NULL, *markdown = NULL, *dir;
	cmd_flag flags[] = { { "data", true, &data }, { "markdown", false, &markdown }, { 0 } };
	vg_buf out = VG_BUF_INIT(CONFIG_OUTPUT_MAX);
	vg_error err = { 0 };
	vg_config cfg;
	int status, rc;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	if (markdown && data)
		return cmd_usage_error(usage, "give --markdown or --data, not both");
	if (markdown) {
		rc = vg_conf_render_markdown(vg_config_keys, VG_ENV_PREFIX, &out);
	} else {
		dir = cmd_data_dir(data, usage);
		if (!dir)
			return VG_EXIT_USAGE;
		if (vg_app_load_config(dir, &cfg, &err))
			return cmd_fail(&err);
		rc = vg_conf_render_yaml(vg_config_keys, &cfg, &out);
		vg_conf_release(vg_config_keys, &cfg);
	}
	if (rc) {
		vg_buf_release(&out);
		vg_error_set(&err, rc, "cannot render the configuration: %s", vg_strerror(rc));
		return cmd_fail(&err);
	}
	fwrite(vg_buf_cstr(&out), 1, out.len, stdout);
	vg_buf_release(&out);
	return VG_EXIT_OK;
}
