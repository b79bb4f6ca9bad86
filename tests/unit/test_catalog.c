/* test_catalog.c - the embedded service catalog and its validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ops/catalog.h"

static const char item_head[] =
	"version: 1\ncategories:\n  - id: c\n    name: C\n    name_zh: 类\n    items:\n";

static int parse_item(const char *item, vg_error *err)
{
	char doc[2048];
	vg_catalog *c = NULL;
	int rc;

	snprintf(doc, sizeof(doc), "%s%s", item_head, item);
	rc = vg_catalog_parse(doc, strlen(doc), &c, err);
	vg_catalog_free(c);
	return rc;
}

static void builtin_catalog_loads_with_every_line(void **state)
{
	vg_error err = { 0 };
	const vg_catalog *c = vg_catalog_builtin(&err);
	json_t *all, *cat, *item;
	size_t i, j, items = 0;

	(void)state;
	assert_non_null(c);
	all = vg_catalog_to_json(c);
	json_array_foreach(json_object_get(all, "categories"), i, cat)
		json_array_foreach(json_object_get(cat, "items"), j, item)
			items++;
	assert_int_equal(json_array_size(json_object_get(all, "categories")), 11);
	assert_int_equal(items, 48);
	json_decref(all);
}

static void editions_decide_entitlements(void **state)
{
	const vg_catalog *c = vg_catalog_builtin(NULL);
	vg_tenant pro = { .id = 1, .edition = "professional", .contract_start = "2026-01-01",
			  .contract_end = "2026-12-31" };
	vg_tenant ent = pro;
	json_t *p, *e, *item;
	size_t i;
	bool pro_has_drill = false;

	(void)state;
	memcpy(ent.edition, "enterprise", sizeof("enterprise"));
	p = vg_catalog_entitlements(c, &pro, "2026-06-01");
	e = vg_catalog_entitlements(c, &ent, "2027-01-01");
	assert_true(json_is_true(json_object_get(p, "active")));
	assert_true(json_is_false(json_object_get(e, "active")));
	assert_int_equal(json_array_size(json_object_get(p, "items")), 30);
	assert_int_equal(json_array_size(json_object_get(e, "items")), 48);
	json_array_foreach(json_object_get(p, "items"), i, item) {
		const char *id = json_string_value(json_object_get(item, "id"));

		if (strcmp(id, "drills.emergency") == 0)
			pro_has_drill = true;
		if (strcmp(id, "duty.watch") == 0)
			assert_int_equal(json_integer_value(json_object_get(
						 json_object_get(item, "quota"), "hours_per_year")), 16);
	}
	assert_false(pro_has_drill);
	json_array_foreach(json_object_get(e, "items"), i, item) {
		if (strcmp(json_string_value(json_object_get(item, "id")), "duty.watch") == 0)
			assert_int_equal(json_integer_value(json_object_get(
						 json_object_get(item, "quota"), "hours_per_year")), 48);
	}
	json_decref(p);
	json_decref(e);
}

static void bad_items_are_named(void **state)
{
	static const struct {
		const char *item;
		const char *message;
	} cases[] = {
		{ "      - {id: a, name: A, name_zh: A, editions: [gold], frequency: weekly, "
		  "platform: p}\n", "catalog item a: unknown edition" },
		{ "      - {id: a, name: A, name_zh: A, editions: [enterprise], frequency: hourly, "
		  "platform: p}\n", "catalog item a: unknown frequency \"hourly\"" },
		{ "      - {id: a, name: A, editions: [enterprise], frequency: weekly, platform: p}\n",
		  "catalog item a: missing field \"name_zh\"" },
		{ "      - {id: a, name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "platform: p, colour: red}\n", "catalog item a: unknown field \"colour\"" },
		{ "      - {id: a, name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "platform: p}\n      - {id: a, name: B, name_zh: B, editions: [enterprise], "
		  "frequency: weekly, platform: p}\n", "catalog item a: id used twice" },
		{ "      - {id: a, name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "platform: p, quota: {platinum: {hours: 1}}}\n",
		  "catalog item a: quota is a mapping of edition to limits" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(parse_item(cases[i].item, &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
	}
	{
		vg_error err = { 0 };
		vg_catalog *c;

		assert_int_equal(vg_catalog_parse("version: [", 10, &c, &err), VG_EINVAL);
		assert_string_equal(err.msg, "catalog: invalid YAML");
		assert_int_equal(vg_catalog_parse("- a\n", 4, &c, &err), VG_EINVAL);
		assert_string_equal(err.msg, "catalog: expected a mapping");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_catalog_loads_with_every_line),
		cmocka_unit_test(editions_decide_entitlements),
		cmocka_unit_test(bad_items_are_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
