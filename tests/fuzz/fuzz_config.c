/*
 * fuzz_config.c - vigil.yaml parsing (vg_conf_apply_yaml on Vigil's key
 * table).
 *
 * Promises checked: any input is accepted or refused with VG_EINVAL and a
 * message; a refused input leaves the configuration exactly as it was; an
 * accepted one renders (vg_conf_render_yaml) to YAML that reads back to the
 * same configuration. Leaks show up through LeakSanitizer.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "app/config.h"

/* Renders cfg, reads the rendering into a fresh configuration and renders
 * that: both renderings must be the same text. */
static void check_round_trip(const vg_config *cfg)
{
	vg_buf first = VG_BUF_INIT(1 << 20), second = VG_BUF_INIT(1 << 20);
	vg_config back;

	memset(&back, 0, sizeof(back));
	if (vg_conf_render_yaml(vg_config_keys, cfg, &first) ||
	    vg_conf_defaults(vg_config_keys, &back, NULL) ||
	    vg_conf_apply_yaml(vg_config_keys, &back, first.ptr, first.len, "rendered", NULL) ||
	    vg_conf_render_yaml(vg_config_keys, &back, &second) ||
	    strcmp(vg_buf_cstr(&first), vg_buf_cstr(&second)) != 0)
		abort();
	vg_conf_release(vg_config_keys, &back);
	vg_buf_release(&first);
	vg_buf_release(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_config cfg, before;
	vg_error err = { 0 };
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	if (vg_conf_defaults(vg_config_keys, &cfg, NULL))
		abort();
	before = cfg;
	rc = vg_conf_apply_yaml(vg_config_keys, &cfg, (const char *)data, size, "fuzz.yaml", &err);
	if (rc == VG_OK)
		check_round_trip(&cfg);
	else if (rc != VG_EINVAL || !err.msg[0] || memcmp(&cfg, &before, sizeof(cfg)) != 0)
		abort();
	vg_conf_release(vg_config_keys, &cfg);
	return 0;
}
