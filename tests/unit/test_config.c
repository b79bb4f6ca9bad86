/* test_config.c - the YAML and environment configuration loader, driven by
 * Vigil's real key table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/config.h"

static vg_config cfg;

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	return vg_conf_defaults(vg_config_keys, &cfg, NULL);
}

static int teardown(void **state)
{
	(void)state;
	vg_conf_release(vg_config_keys, &cfg);
	return 0;
}

static int apply(const char *yaml, vg_error *err)
{
	return vg_conf_apply_yaml(vg_config_keys, &cfg, yaml, strlen(yaml), "vigil.yaml", err);
}

static void defaults_come_from_the_table(void **state)
{
	(void)state;
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_int_equal(cfg.http_max_body_bytes, 1048576);
	assert_int_equal(cfg.auth_lockout_failures, 5);
	assert_null(cfg.tls_cert);
	assert_string_equal(cfg.log_level, "info");
}

static void nested_mappings_set_dotted_keys(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("# comment\nlisten: 0.0.0.0:9000\nhttp:\n  threads: 8\n"
			       "  max_body_bytes: 4096\nauth:\n  lockout_failures: 3\n"
			       "tls:\n  cert: ~\n", &err), VG_OK);
	assert_string_equal(cfg.listen, "0.0.0.0:9000");
	assert_int_equal(cfg.http_threads, 8);
	assert_int_equal(cfg.http_max_body_bytes, 4096);
	assert_int_equal(cfg.auth_lockout_failures, 3);
	assert_null(cfg.tls_cert);
	assert_int_equal(apply("", &err), VG_OK);
	assert_int_equal(apply("# only a comment\n", &err), VG_OK);
}

static void errors_name_file_line_and_key(void **state)
{
	static const struct {
		const char *yaml;
		const char *message;
	} cases[] = {
		{ "listen: x\nhttp:\n  max_body: 1\n", "vigil.yaml:3: unknown key \"http.max_body\"" },
		{ "http:\n  threads: zero\n",
		  "vigil.yaml:2: http.threads: must be an integer from 1 to 256, not \"zero\"" },
		{ "http:\n  threads: 0\n",
		  "vigil.yaml:2: http.threads: must be an integer from 1 to 256, not \"0\"" },
		{ "http:\n  threads: 4x\n",
		  "vigil.yaml:2: http.threads: must be an integer from 1 to 256, not \"4x\"" },
		{ "listen:\n  - a\n  - b\n", "vigil.yaml:1: listen: lists are not allowed here" },
		{ "http: 5\n", "vigil.yaml:1: unknown key \"http\"" },
		{ "listen:\n  host: x\n", "vigil.yaml:1: listen: expected a value, not a mapping" },
		{ "- a\n- b\n", "vigil.yaml:1: expected a mapping of settings" },
		{ "a: &x 1\nlisten: *x\n",
		  "vigil.yaml:1: a: tags, anchors and aliases are not allowed" },
		{ "listen: !!str x\n", "vigil.yaml:1: listen: tags, anchors and aliases are not allowed" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(apply(cases[i].yaml, &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
	}
}

static void syntax_errors_and_duplicates_name_the_line(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("listen: a\nlisten: b\n", &err), VG_EINVAL);
	assert_string_equal(err.msg, "vigil.yaml:2: listen: set twice");
	assert_int_equal(apply("http:\n  threads: [1\n", &err), VG_EINVAL);
	assert_string_equal(err.msg,
			    "vigil.yaml:3: invalid YAML: flow sequence without a closing bracket");
	assert_int_equal(apply("listen: \"open\n", &err), VG_EINVAL);
	assert_string_equal(err.msg, "vigil.yaml:1: invalid YAML: double-quoted scalar without closing quote");
}

static void bad_document_changes_nothing(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("listen: 10.0.0.1:1\nhttp:\n  threads: 999\n", &err), VG_EINVAL);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_int_equal(cfg.http_threads, 4);
}

static void environment_overrides(void **state)
{
	char *env[] = { "PATH=/bin", "VIGIL_HTTP_THREADS=16", "VIGIL_LISTEN=[::1]:8443",
			"VIGIL_DATA=/ignored", NULL };
	char *bad[] = { "VIGIL_HTTP_THREADZ=2", NULL };
	char *bad_value[] = { "VIGIL_HTTP_THREADS=0", NULL };
	const char *const ignore[] = { "VIGIL_DATA", NULL };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_conf_apply_env(vg_config_keys, &cfg, "VIGIL_", env, ignore, &err),
			 VG_OK);
	assert_int_equal(cfg.http_threads, 16);
	assert_string_equal(cfg.listen, "[::1]:8443");
	assert_int_equal(vg_conf_apply_env(vg_config_keys, &cfg, "VIGIL_", bad, ignore, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "VIGIL_HTTP_THREADZ: unknown configuration variable");
	assert_int_equal(vg_conf_apply_env(vg_config_keys, &cfg, "VIGIL_", bad_value, ignore, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg,
			    "VIGIL_HTTP_THREADS: http.threads: must be an integer from 1 to 256, not \"0\"");
	assert_int_equal(cfg.http_threads, 16);
}

static void markdown_lists_every_key(void **state)
{
	vg_buf md = VG_BUF_INIT(1 << 20);

	(void)state;
	assert_int_equal(vg_conf_render_markdown(vg_config_keys, "VIGIL_", &md), VG_OK);
	for (const vg_conf_key *k = vg_config_keys; k->name; k++)
		assert_non_null(strstr(vg_buf_cstr(&md), k->name));
	assert_non_null(strstr(vg_buf_cstr(&md),
			       "| `http.max_body_bytes` | `VIGIL_HTTP_MAX_BODY_BYTES` | integer "
			       "1024–1073741824 | `1048576` |"));
	vg_buf_release(&md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults_come_from_the_table, setup, teardown),
		cmocka_unit_test_setup_teardown(nested_mappings_set_dotted_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_name_file_line_and_key, setup, teardown),
		cmocka_unit_test_setup_teardown(syntax_errors_and_duplicates_name_the_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_document_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(environment_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(markdown_lists_every_key, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
