/*
 * test_yaml.c - Vigil's YAML reading (core/yaml.h): scalars decoded as
 * YAML 1.2 says, errors naming the line, and input libfyaml mishandles
 * refused before it reaches it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/yaml.h"

typedef struct {
	char text[256];
	size_t documents;
} collected;

/* Keeps the text of each document's "v" value, one per line. */
static int collect_v(void *arg, struct fy_node *root, vg_error *err)
{
	collected *c = arg;
	struct fy_node *v = root ? fy_node_mapping_lookup_by_string(root, "v", 1) : NULL;
	size_t len, used = strlen(c->text);
	const char *s = vg_yaml_text(v, &len);

	(void)err;
	assert_true(used + len + 2 <= sizeof(c->text));
	memcpy(c->text + used, s, len);
	c->text[used + len] = '|';
	c->text[used + len + 1] = '\0';
	c->documents++;
	return VG_OK;
}

static void scalar_values(void **state)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "v: plain", "plain|" },
		{ "v: 'x''y'", "x'y|" },
		/* libfyaml itself leaks decoding several '' (fuzzing found it). */
		{ "v: 'C:^Win''''''''dows'", "C:^Win''''dows|" },
		{ "v: ''''", "'|" },
		{ "v: ''", "|" },
		{ "v: 'one  \n   two\n\n  three'", "one two\nthree|" },
		{ "v: 'a\r\n  b'", "a b|" },
		{ "v: 'a\n\n\n  b'", "a\n\nb|" },
		{ "v: \"dq\\tx\"", "dq\tx|" },
		{ "v: |\n  block\n", "block\n|" },
		{ "v: 'first'\n---\nv: 'second''s'\n", "first|second's|" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		collected c = { .text = "" };
		vg_error err = { 0 };
		int rc = vg_yaml_each_document(cases[i].yaml, strlen(cases[i].yaml), "t.yml",
					       collect_v, &c, &err);

		assert_int_equal(rc, VG_OK);
		assert_string_equal(c.text, cases[i].want);
	}
}

static void single_quoted_decoding(void **state)
{
	char out[32];
	size_t n;

	(void)state;
	n = vg_yaml_single_quoted("it''s", 5, out);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "it's", 4);
	n = vg_yaml_single_quoted("a \t\n\t b", 7, out);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "a b", 3);
	n = vg_yaml_single_quoted("", 0, out);
	assert_int_equal(n, 0);
}

static void errors_name_the_line(void **state)
{
	static const struct {
		const char *yaml;
		size_t len;
		const char *want;
	} cases[] = {
		{ "v: 1\nw: [unclosed\n", 0, "t.yml:3: invalid YAML: " },
		{ "v: 1\n%YAML \xff\n", 0, "t.yml:2: invalid YAML: not printable UTF-8 text" },
		{ "v: a\0\0b\n", 8, "t.yml:1: invalid YAML: not printable UTF-8 text" },
		{ "v: \x01\n", 0, "t.yml:1: invalid YAML: not printable UTF-8 text" },
		/* Aliases are refused, not read as nothing (nor grown without bound). */
		{ "a: &x [1, 2]\nv:\n  - *x\n", 0,
		  "t.yml:3: YAML aliases (*x) are not supported: write the value out" },
		{ "a: &k key\nb: {*k : 1}\n", 0,
		  "t.yml:2: YAML aliases (*k) are not supported: write the value out" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		collected c = { .text = "" };
		vg_error err = { 0 };
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].yaml);
		int rc = vg_yaml_each_document(cases[i].yaml, len, "t.yml", collect_v, &c, &err);

		assert_int_equal(rc, VG_EINVAL);
		assert_int_equal(strncmp(err.msg, cases[i].want, strlen(cases[i].want)), 0);
		assert_int_equal(c.documents, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scalar_values),
		cmocka_unit_test(single_quoted_decoding),
		cmocka_unit_test(errors_name_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
