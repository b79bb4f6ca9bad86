/* test_config.c - the YAML and environment configuration loader, with
 * Vigil's real key table and a small table covering every type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A table of one key of each type, two levels deep. */
typedef struct small {
	char *name;
	int64_t level;
	bool verbose;
	char *note;
} small;

static const vg_conf_key small_keys[] = {
	{ "name", VG_CONF_STRING, offsetof(small, name), 0, 0, "unnamed", "A name." },
	{ "a.b.level", VG_CONF_INT, offsetof(small, level), -5, 5, "0", "A level." },
	{ "a.verbose", VG_CONF_BOOL, offsetof(small, verbose), 0, 0, "false", "Talk more | less." },
	{ "a.note", VG_CONF_STRING, offsetof(small, note), 0, 0, NULL, "A note." },
	{ 0 },
};

static void defaults_come_from_the_table(void **state)
{
	(void)state;
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_int_equal(cfg.http_max_body_bytes, 1048576);
	assert_int_equal(cfg.http_threads, 4);
	assert_int_equal(cfg.auth_lockout_failures, 5);
	assert_null(cfg.tls_cert);
	assert_null(cfg.store_url);
	assert_string_equal(cfg.log_level, "info");
}

static void defaults_replace_earlier_values(void **state)
{
	small s = { 0 };

	(void)state;
	assert_int_equal(vg_conf_set(small_keys, &s, "a.note", "x", NULL, NULL), VG_OK);
	assert_int_equal(vg_conf_set(small_keys, &s, "name", "n", NULL, NULL), VG_OK);
	assert_int_equal(vg_conf_defaults(small_keys, &s, NULL), VG_OK);
	assert_string_equal(s.name, "unnamed");
	assert_null(s.note);
	assert_int_equal(s.level, 0);
	assert_false(s.verbose);
	vg_conf_release(small_keys, &s);
	assert_null(s.name);
}

static void bad_default_is_reported(void **state)
{
	static const vg_conf_key bad[] = {
		{ "n", VG_CONF_INT, offsetof(small, level), 1, 9, "10", "N." },
		{ 0 },
	};
	small s = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_conf_defaults(bad, &s, &err), VG_EINVAL);
	assert_string_equal(err.msg, "default of n: must be an integer from 1 to 9");
}

static void nested_mappings_set_dotted_keys(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("# comment\nlisten: 0.0.0.0:9000\nhttp:\n  threads: 8\n"
			       "  max_body_bytes: 4096\nauth:\n  lockout_failures: 3\n"
			       "log.level: debug\ntls:\n", &err), VG_OK);
	assert_string_equal(cfg.listen, "0.0.0.0:9000");
	assert_int_equal(cfg.http_threads, 8);
	assert_int_equal(cfg.http_max_body_bytes, 4096);
	assert_int_equal(cfg.auth_lockout_failures, 3);
	assert_string_equal(cfg.log_level, "debug");
	assert_null(cfg.tls_cert);
	/* Keys not written keep their values. */
	assert_int_equal(cfg.http_timeout_seconds, 30);
}

static void empty_documents_change_nothing(void **state)
{
	static const char *const empty[] = { "", "# only a comment\n", "---\n", "~\n", "{}\n",
					     "\n\n   \n" };
	vg_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		assert_int_equal(apply(empty[i], &err), VG_OK);
		assert_string_equal(cfg.listen, "127.0.0.1:8080");
	}
}

static void values_by_type(void **state)
{
	small s = { 0 };
	vg_error err = { 0 };
	const char *doc = "name: \"quoted: yes\"\na:\n  b: {level: -5}\n  verbose: true\n"
			  "  note: ''\n";

	(void)state;
	assert_int_equal(vg_conf_defaults(small_keys, &s, NULL), VG_OK);
	assert_int_equal(vg_conf_apply_yaml(small_keys, &s, doc, strlen(doc), "s.yaml", &err),
			 VG_OK);
	assert_string_equal(s.name, "quoted: yes");
	assert_int_equal(s.level, -5);
	assert_true(s.verbose);
	assert_string_equal(s.note, "");
	assert_int_equal(vg_conf_set(small_keys, &s, "a.b.level", "+5", NULL, NULL), VG_OK);
	assert_int_equal(s.level, 5);
	assert_int_equal(vg_conf_set(small_keys, &s, "a.b.level", "-0", NULL, NULL), VG_OK);
	assert_int_equal(s.level, 0);
	/* A null value is the default: the key as if it were not written. */
	doc = "name: ~\na:\n  verbose: null\n  note:\n";
	assert_int_equal(vg_conf_apply_yaml(small_keys, &s, doc, strlen(doc), "s.yaml", &err),
			 VG_OK);
	assert_string_equal(s.name, "unnamed");
	assert_false(s.verbose);
	assert_null(s.note);
	/* Quoted, "~" is a string. */
	doc = "name: \"~\"\n";
	assert_int_equal(vg_conf_apply_yaml(small_keys, &s, doc, strlen(doc), "s.yaml", &err),
			 VG_OK);
	assert_string_equal(s.name, "~");
	vg_conf_release(small_keys, &s);
}

static void single_quoted_strings(void **state)
{
	static const struct {
		const char *yaml;
		const char *value;
	} cases[] = {
		{ "listen: 'it''s'\n", "it's" },
		{ "listen: 'a''''b'\n", "a''b" },
		{ "listen: '''''''''''''''''''''''''''''''''''''''''x'\n", "''''''''''''''''''''x" },
		{ "listen: ' a '\r\n", " a " },
		{ "listen: ''\n", "" },
		{ "'listen': 'x'\n", "x" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(apply(cases[i].yaml, &err), VG_OK);
		assert_string_equal(cfg.listen, cases[i].value);
	}
}

static void errors_name_origin_line_and_key(void **state)
{
	static const struct {
		const char *yaml;
		const char *message;
	} cases[] = {
		{ "listen: x\nhttp:\n  max_body: 1\n", "vigil.yaml:3: unknown key \"http.max_body\"" },
		{ "bogus: 1\n", "vigil.yaml:1: unknown key \"bogus\"" },
		{ "http:\n  threads: zero\n",
		  "vigil.yaml:2: http.threads: must be an integer from 1 to 256" },
		{ "http:\n  threads: 0\n",
		  "vigil.yaml:2: http.threads: must be an integer from 1 to 256" },
		{ "http:\n\n  threads: 257\n",
		  "vigil.yaml:3: http.threads: must be an integer from 1 to 256" },
		{ "http.threads: 0x10\n",
		  "vigil.yaml:1: http.threads: must be an integer from 1 to 256" },
		{ "http.threads: 4.0\n",
		  "vigil.yaml:1: http.threads: must be an integer from 1 to 256" },
		{ "http.threads: 99999999999999999999\n",
		  "vigil.yaml:1: http.threads: must be an integer from 1 to 256" },
		{ "http.threads: ''\n",
		  "vigil.yaml:1: http.threads: must be an integer from 1 to 256" },
		{ "listen:\n  - a\n  - b\n", "vigil.yaml:2: listen: must be a single value, not a list" },
		{ "listen: [a]\n", "vigil.yaml:1: listen: must be a single value, not a list" },
		{ "listen:\n  host: x\n", "vigil.yaml:2: listen: must be a single value, not a mapping" },
		{ "http: 5\n", "vigil.yaml:1: http: must be a mapping of keys such as http.threads" },
		{ "tls: [a]\n", "vigil.yaml:1: tls: must be a mapping of keys such as tls.cert" },
		{ "listen: a\nlisten: b\n", "vigil.yaml:2: duplicate key \"listen\"" },
		{ "http:\n  threads: 2\nhttp:\n  timeout_seconds: 3\n",
		  "vigil.yaml:3: duplicate key \"http\"" },
		{ "http.threads: 2\nhttp:\n  threads: 3\n",
		  "vigil.yaml:3: duplicate key \"http.threads\"" },
		{ "- a\n- b\n", "vigil.yaml:1: expected a mapping of configuration keys" },
		{ "just text\n", "vigil.yaml:1: expected a mapping of configuration keys" },
		{ "listen: &x a\n", "vigil.yaml:1: listen: anchors are not allowed" },
		{ "store.url: a\nlisten: *x\n", "vigil.yaml:2: listen: aliases are not allowed" },
		{ "listen: !!str x\n", "vigil.yaml:1: listen: tags are not allowed" },
		{ "http: !!map\n  threads: 1\n", "vigil.yaml:1: http: tags are not allowed" },
		{ "&r\nlisten: x\n", "vigil.yaml:1: anchors are not allowed" },
		{ "listen: !!str &a x\n", "vigil.yaml:1: listen: anchors are not allowed" },
		{ "? [a, b]\n: 1\n", "vigil.yaml:1: keys must be plain names" },
		{ "listen: ' one\n  two'\n", "vigil.yaml:1: listen: must be on one line" },
		{ "listen: \"one\n  two\"\n", "vigil.yaml:1: listen: must be on one line" },
		{ "listen: one\n  two\n", "vigil.yaml:1: listen: must be on one line" },
		{ "listen: |\n  one\n  two\n", "vigil.yaml:2: listen: must be on one line" },
		{ "? \"li\n  sten\"\n: x\n", "vigil.yaml:1: keys must be on one line" },
		{ "listen: \"a\\0b\"\n",
		  "vigil.yaml:1: listen: must be UTF-8 text without NUL characters" },
		{ "listen: a\n---\nlisten: b\n", "vigil.yaml:2: only one YAML document is allowed" },
		{ "listen: a\nhttp:\n  threads: \"\xff\"\n",
		  "vigil.yaml:3: invalid YAML: not printable UTF-8 text" },
		{ "listen: \xed\xa0\x80\n", "vigil.yaml:1: invalid YAML: not printable UTF-8 text" },
		{ "listen: \xc0\xaf\n", "vigil.yaml:1: invalid YAML: not printable UTF-8 text" },
		{ "listen: \xe2\x82\n", "vigil.yaml:1: invalid YAML: not printable UTF-8 text" },
		{ "listen: a\n\n\x01\n", "vigil.yaml:3: invalid YAML: not printable UTF-8 text" },
		{ "listen: \"a\"\n\x7f", "vigil.yaml:2: invalid YAML: not printable UTF-8 text" },
		{ "listen: a\nhttp: {threads: 1\n",
		  "vigil.yaml:3: invalid YAML: missing comma in flow mapping" },
		/* Errors come in document order: the list is refused before its
		 * missing bracket is found. */
		{ "http:\n  threads: [1\n",
		  "vigil.yaml:2: http.threads: must be a single value, not a list" },
		{ "listen: \"open\n",
		  "vigil.yaml:1: invalid YAML: double-quoted scalar without closing quote" },
		{ "http:\n  threads: 1\n timeout_seconds: 2\n",
		  "vigil.yaml:3: invalid YAML: invalid indentation in mapping" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(apply(cases[i].yaml, &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
	}
}

static void unicode_and_control_bytes(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("\"a\\e[31mb\": 1\n", &err), VG_EINVAL);
	assert_string_equal(err.msg, "vigil.yaml:1: unknown key \"a?[31mb\"");
	assert_int_equal(apply("listen: \"\xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x94\x92\"\n", &err),
			 VG_OK);
	assert_string_equal(cfg.listen, "\xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x94\x92");
}

static void bad_document_changes_nothing(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("listen: 10.0.0.1:1\ntls:\n  cert: c.pem\nhttp:\n  threads: 999\n",
			       &err), VG_EINVAL);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_null(cfg.tls_cert);
	assert_int_equal(cfg.http_threads, 4);
	assert_int_equal(apply("listen: 10.0.0.1:1\nhttp: {threads: [\n", &err), VG_EINVAL);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
}

static void file_is_read_and_named_in_errors(void **state)
{
	char dir[] = "/tmp/vigil-test-config-XXXXXX";
	char path[sizeof(dir) + 16];
	vg_error err = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vigil.yaml", dir);
	assert_int_equal(vg_conf_apply_file(vg_config_keys, &cfg, path, &err), VG_ENOTFOUND);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("http:\n  threads: 12\n", f);
	fclose(f);
	assert_int_equal(vg_conf_apply_file(vg_config_keys, &cfg, path, &err), VG_OK);
	assert_int_equal(cfg.http_threads, 12);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("http:\n  thread: 12\n", f);
	fclose(f);
	assert_int_equal(vg_conf_apply_file(vg_config_keys, &cfg, path, &err), VG_EINVAL);
	assert_true(strncmp(err.msg, path, strlen(path)) == 0);
	assert_string_equal(err.msg + strlen(path), ":2: unknown key \"http.thread\"");
	unlink(path);
	rmdir(dir);
}

static void environment_overrides_the_file(void **state)
{
	char *env[] = { "PATH=/bin", "VIGIL_HTTP_THREADS=16", "VIGIL_LISTEN=[::1]:8443",
			"VIGIL_DATA=/ignored", "VIGIL_ADMIN_PASSWORD=x", "VIGIL_TLS_CERT=",
			"VIGIL_AUTH_FAILURE_WINDOW_MINUTES=30", "vigil_lower=1", NULL };
	const char *const ignore[] = { "VIGIL_DATA", "VIGIL_ADMIN_PASSWORD", NULL };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(apply("listen: 0.0.0.0:1\nhttp:\n  threads: 2\n  timeout_seconds: 9\n"
			       "tls:\n  cert: c.pem\n", &err), VG_OK);
	assert_int_equal(vg_conf_apply_env(vg_config_keys, &cfg, VG_ENV_PREFIX, env, ignore, &err),
			 VG_OK);
	assert_int_equal(cfg.http_threads, 16);
	assert_string_equal(cfg.listen, "[::1]:8443");
	assert_int_equal(cfg.auth_failure_window_minutes, 30);
	/* An empty variable is null: the default. */
	assert_null(cfg.tls_cert);
	assert_int_equal(cfg.http_timeout_seconds, 9);
}

static void environment_errors_change_nothing(void **state)
{
	static const struct {
		const char *var;
		const char *message;
	} cases[] = {
		{ "VIGIL_HTTP_THREADZ=2", "VIGIL_HTTP_THREADZ: unknown configuration variable" },
		{ "VIGIL_FOO=1", "VIGIL_FOO: unknown configuration variable" },
		{ "VIGIL_DATA=/x", "VIGIL_DATA: unknown configuration variable" },
		{ "VIGIL_HTTP_THREADS=0", "VIGIL_HTTP_THREADS: must be an integer from 1 to 256" },
		{ "VIGIL_HTTP_THREADS= 8", "VIGIL_HTTP_THREADS: must be an integer from 1 to 256" },
		{ "VIGIL_PUBLIC_URL=\xff", "VIGIL_PUBLIC_URL: must be UTF-8 text without NUL characters" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *env[] = { "VIGIL_LISTEN=1.2.3.4:5", (char *)cases[i].var, NULL };
		vg_error err = { 0 };

		assert_int_equal(vg_conf_apply_env(vg_config_keys, &cfg, VG_ENV_PREFIX, env, NULL,
						   &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
		assert_string_equal(cfg.listen, "127.0.0.1:8080");
		assert_int_equal(cfg.http_threads, 4);
	}
}

static void set_names_origin_and_key(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_conf_set(vg_config_keys, &cfg, "http.threads", "7", "--threads", &err),
			 VG_OK);
	assert_int_equal(cfg.http_threads, 7);
	assert_int_equal(vg_conf_set(vg_config_keys, &cfg, "http.threads", "x", "--threads", &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "--threads: http.threads: must be an integer from 1 to 256");
	assert_int_equal(vg_conf_set(vg_config_keys, &cfg, "http.thread", "1", NULL, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "unknown key \"http.thread\"");
	assert_int_equal(vg_conf_set(small_keys, &(small){ 0 }, "a.verbose", "yes", "cli", &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "cli: a.verbose: must be true or false");
	assert_int_equal(cfg.http_threads, 7);
}

static void markdown_lists_every_key(void **state)
{
	static const char header[] =
		"| key | environment variable | type and range | default | meaning |\n"
		"|---|---|---|---|---|\n";
	vg_buf md = VG_BUF_INIT(1 << 20);

	(void)state;
	assert_int_equal(vg_conf_render_markdown(vg_config_keys, VG_ENV_PREFIX, &md), VG_OK);
	assert_true(strncmp(vg_buf_cstr(&md), header, strlen(header)) == 0);
	for (const vg_conf_key *k = vg_config_keys; k->name; k++) {
		char cell[VG_CONF_NAME_MAX + 8];

		snprintf(cell, sizeof(cell), "| `%s` |", k->name);
		assert_non_null(strstr(vg_buf_cstr(&md), cell));
	}
	assert_non_null(strstr(vg_buf_cstr(&md),
			       "| `http.max_body_bytes` | `VIGIL_HTTP_MAX_BODY_BYTES` | integer, "
			       "1024 to 1073741824 | `1048576` | Largest request body accepted; "
			       "larger ones are answered 413. |\n"));
	assert_non_null(strstr(vg_buf_cstr(&md), "| `tls.cert` | `VIGIL_TLS_CERT` | string | none |"));
	vg_buf_release(&md);
	assert_int_equal(vg_conf_render_markdown(small_keys, "X_", &md), VG_OK);
	assert_string_equal(vg_buf_cstr(&md),
			    "| key | environment variable | type and range | default | meaning |\n"
			    "|---|---|---|---|---|\n"
			    "| `name` | `X_NAME` | string | `unnamed` | A name. |\n"
			    "| `a.b.level` | `X_A_B_LEVEL` | integer, -5 to 5 | `0` | A level. |\n"
			    "| `a.verbose` | `X_A_VERBOSE` | true or false | `false` | "
			    "Talk more \\| less. |\n"
			    "| `a.note` | `X_A_NOTE` | string | none | A note. |\n");
	vg_buf_release(&md);
}

static void yaml_rendering_reads_back(void **state)
{
	small s = { 0 }, back = { 0 };
	vg_buf out = VG_BUF_INIT(1 << 16);
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_conf_defaults(small_keys, &s, NULL), VG_OK);
	assert_int_equal(vg_conf_set(small_keys, &s, "name", "say \"hi\"\\\t\x01", NULL, NULL), VG_OK);
	assert_int_equal(vg_conf_set(small_keys, &s, "a.verbose", "true", NULL, NULL), VG_OK);
	assert_int_equal(vg_conf_render_yaml(small_keys, &s, &out), VG_OK);
	assert_string_equal(vg_buf_cstr(&out), "name: \"say \\\"hi\\\"\\\\\\t\\x01\"\n"
					       "a.b.level: 0\na.verbose: true\na.note: null\n");
	assert_int_equal(vg_conf_defaults(small_keys, &back, NULL), VG_OK);
	assert_int_equal(vg_conf_apply_yaml(small_keys, &back, out.ptr, out.len, "out", &err), VG_OK);
	assert_string_equal(back.name, s.name);
	assert_true(back.verbose);
	assert_null(back.note);
	vg_buf_release(&out);
	vg_conf_release(small_keys, &s);
	vg_conf_release(small_keys, &back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults_come_from_the_table, setup, teardown),
		cmocka_unit_test(defaults_replace_earlier_values),
		cmocka_unit_test(bad_default_is_reported),
		cmocka_unit_test_setup_teardown(nested_mappings_set_dotted_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_documents_change_nothing, setup, teardown),
		cmocka_unit_test(values_by_type),
		cmocka_unit_test_setup_teardown(single_quoted_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_name_origin_line_and_key, setup, teardown),
		cmocka_unit_test_setup_teardown(unicode_and_control_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_document_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(file_is_read_and_named_in_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(environment_overrides_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(environment_errors_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(set_names_origin_and_key, setup, teardown),
		cmocka_unit_test(markdown_lists_every_key),
		cmocka_unit_test(yaml_rendering_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
