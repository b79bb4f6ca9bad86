/* test_json.c - strict JSON request parsing and field checking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

static const vg_json_field tenant_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "edition", VG_JSON_STRING, true },
	{ "contacts", VG_JSON_ARRAY, false },
	{ "timezone", VG_JSON_STRING_OR_NULL, false },
	{ NULL, 0, false },
};

static int check(const char *text, vg_error *err)
{
	json_t *obj;
	int rc = vg_json_parse_object(text, strlen(text), &obj, err);

	if (rc)
		return rc;
	rc = vg_json_check(obj, tenant_fields, err);
	json_decref(obj);
	return rc;
}

static void accepts_valid_object(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(check("{\"name\":\"Acme\",\"edition\":\"enterprise\",\"timezone\":null}",
			       &err), VG_OK);
}

static void rejects_with_named_reason(void **state)
{
	static const struct {
		const char *input;
		const char *message;
	} cases[] = {
		{ "{\"name\":\"A\",\"edition\":\"e\",\"bogus\":1}", "unknown field \"bogus\"" },
		{ "{\"name\":7,\"edition\":\"e\"}", "field \"name\" must be a string" },
		{ "{\"name\":\"A\"}", "missing field \"edition\"" },
		{ "{\"name\":\"A\",\"edition\":\"e\",\"contacts\":{}}", "field \"contacts\" must be an array" },
		{ "[1,2]", "expected a JSON object" },
		{ "{\"name\":\"A\",\"name\":\"B\",\"edition\":\"e\"}",
		  "invalid JSON at line 1 column 18: duplicate object key near '\"name\"'" },
		{ "{\"name\":", "invalid JSON at line 1 column 8: unexpected token near end of file" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(check(cases[i].input, &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
	}
}

static void dump_is_compact_and_ordered(void **state)
{
	json_t *obj = json_pack("{s:i, s:s, s:n}", "id", 3, "name", "Acme", "end");
	char *text = vg_json_dump(obj);

	(void)state;
	assert_string_equal(text, "{\"id\":3,\"name\":\"Acme\",\"end\":null}");
	assert_string_equal(vg_json_str(obj, "name"), "Acme");
	assert_null(vg_json_str(obj, "end"));
	assert_null(vg_json_str(obj, "absent"));
	free(text);
	json_decref(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_valid_object),
		cmocka_unit_test(rejects_with_named_reason),
		cmocka_unit_test(dump_is_compact_and_ordered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
