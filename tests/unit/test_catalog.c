/* test_catalog.c - the embedded service catalog, entitlements per edition,
 * and the loader's refusal of bad catalogs with errors naming the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ops/catalog.h"

/* Seven lines: items start on line 8. */
static const char head[] = "version: 1\n"
			   "categories:\n"
			   "  - id: c\n"
			   "    name: C\n"
			   "    name_zh: 类\n"
			   "    editions: [professional, enterprise]\n"
			   "    items:\n";

#define GOOD_ITEM                                                                              \
	"      - {id: c.a, name: A, name_zh: 甲, editions: [enterprise], frequency: weekly, "    \
	"platform_must: p}\n"

static int parse(const char *doc, vg_catalog **out, vg_error *err)
{
	return vg_catalog_parse(doc, strlen(doc), "cat.yaml", out, err);
}

static int parse_items(const char *items, vg_error *err)
{
	char doc[4096];
	vg_catalog *c = NULL;
	int rc;

	snprintf(doc, sizeof(doc), "%s%s", head, items);
	rc = parse(doc, &c, err);
	vg_catalog_free(c);
	return rc;
}

/* The item with this id among a JSON list of items, or NULL. */
static json_t *find_item(json_t *items, const char *id)
{
	json_t *item;
	size_t i;

	json_array_foreach(items, i, item) {
		if (strcmp(json_string_value(json_object_get(item, "id")), id) == 0)
			return item;
	}
	return NULL;
}

static json_t *catalog_item(json_t *catalog, const char *id)
{
	json_t *cat, *item;
	size_t i;

	json_array_foreach(json_object_get(catalog, "categories"), i, cat) {
		item = find_item(json_object_get(cat, "items"), id);
		if (item)
			return item;
	}
	return NULL;
}

static void builtin_catalog_has_every_line(void **state)
{
	static const char *const keys[] = { "id",	   "name",	  "name_zh",
					     "editions",   "frequency",	  "quota",
					     "deliverable", "sla_object", "platform_must" };
	vg_error err = { 0 };
	const vg_catalog *c = vg_catalog_builtin(&err);
	json_t *all, *cat, *item;
	size_t i, j, items = 0;

	(void)state;
	assert_non_null(c);
	assert_ptr_equal(vg_catalog_builtin(NULL), c);
	all = vg_catalog_to_json(c);
	assert_int_equal(json_integer_value(json_object_get(all, "version")), 1);
	assert_int_equal(json_array_size(json_object_get(all, "categories")), 11);
	json_array_foreach(json_object_get(all, "categories"), i, cat) {
		json_array_foreach(json_object_get(cat, "items"), j, item) {
			assert_int_equal(json_object_size(item), sizeof(keys) / sizeof(keys[0]));
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				assert_non_null(json_object_get(item, keys[k]));
			items++;
		}
	}
	assert_int_equal(items, 48);

	item = catalog_item(all, "monitoring.event-alert-management");
	assert_non_null(item);
	assert_string_equal(json_string_value(json_object_get(item, "name_zh")),
			    "事件监测及告警管理");
	assert_string_equal(json_string_value(json_object_get(item, "frequency")), "monthly");
	assert_true(json_is_null(json_object_get(item, "quota")));
	assert_true(json_is_null(json_object_get(item, "deliverable")));
	assert_true(json_is_true(json_object_get(item, "sla_object")));

	assert_true(json_is_false(json_object_get(catalog_item(all, "channels.im"), "sla_object")));
	item = catalog_item(all, "drills.emergency");
	assert_string_equal(json_string_value(json_object_get(item, "frequency")), "semiannual");
	assert_int_equal(json_array_size(json_object_get(item, "editions")), 1);
	item = catalog_item(all, "risk-assessment.exposure");
	assert_string_equal(json_string_value(json_object_get(item, "frequency")),
			    "onboarding_or_renewal");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(item, "deliverable"), "name_zh")),
			    "风险评估报告");
	json_decref(all);
}

static json_t *entitlements(const char *edition, const char *today)
{
	vg_tenant t = { .id = 7, .contract_start = "2026-01-01", .contract_end = "2026-12-31" };
	vg_error err = { 0 };
	json_t *out;

	snprintf(t.edition, sizeof(t.edition), "%s", edition);
	assert_int_equal(vg_catalog_entitlements(vg_catalog_builtin(NULL), &t, today, &out, &err),
			 VG_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "tenant_id")), 7);
	assert_string_equal(json_string_value(json_object_get(out, "edition")), edition);
	return out;
}

static long long quota_of(json_t *ent, const char *id, const char *limit)
{
	json_t *item = find_item(json_object_get(ent, "items"), id);

	assert_non_null(item);
	return json_integer_value(json_object_get(json_object_get(item, "quota"), limit));
}

static void editions_decide_entitlements(void **state)
{
	json_t *p = entitlements("professional", "2026-06-01");
	json_t *e = entitlements("enterprise", "2026-06-01");
	json_t *items = json_object_get(p, "items"), *item;
	size_t i;

	(void)state;
	assert_int_equal(json_array_size(items), 30);
	assert_int_equal(json_array_size(json_object_get(e, "items")), 48);
	assert_null(find_item(items, "risk-assessment.host-vulnerability"));
	assert_null(find_item(items, "drills.emergency"));
	assert_null(find_item(items, "enterprise-operations.permission-audit"));
	json_array_foreach(items, i, item) {
		const char *category = json_string_value(json_object_get(item, "category"));

		assert_string_not_equal(category, "risk-assessment");
		assert_string_not_equal(category, "drills");
		assert_string_not_equal(category, "enterprise-operations");
		assert_int_equal(json_object_size(item), 8);
	}
	assert_int_equal(quota_of(p, "duty.watch", "hours_per_year"), 16);
	assert_int_equal(quota_of(e, "duty.watch", "hours_per_year"), 48);
	assert_int_equal(quota_of(e, "drills.emergency", "per_year"), 2);
	item = find_item(items, "reports.monthly");
	assert_true(json_is_null(json_object_get(item, "quota")));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(item, "deliverable"), "name")),
			    "MSS Monthly Analysis Report");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(item, "deliverable"), "name_zh")),
			    "MSS月度分析报告");
	assert_string_equal(
		json_string_value(json_object_get(
			find_item(items, "monitoring.event-alert-management"), "category")),
		"monitoring");
	json_decref(p);
	json_decref(e);
}

static void active_means_today_within_the_contract(void **state)
{
	static const struct {
		const char *today;
		bool active;
	} cases[] = {
		{ "2025-12-31", false }, { "2026-01-01", true }, { "2026-07-15", true },
		{ "2026-12-31", true },	 { "2027-01-01", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *e = entitlements("enterprise", cases[i].today);

		assert_int_equal(json_is_true(json_object_get(e, "active")), cases[i].active);
		json_decref(e);
	}
}

static void bad_tenant_or_date_is_refused(void **state)
{
	vg_tenant t = { .id = 3, .edition = "gold", .contract_start = "2026-01-01",
			.contract_end = "2026-12-31" };
	const vg_catalog *c = vg_catalog_builtin(NULL);
	vg_error err = { 0 };
	json_t *out;

	(void)state;
	assert_int_equal(vg_catalog_entitlements(c, &t, "2026-01-01", &out, &err), VG_EINVAL);
	assert_null(out);
	assert_string_equal(err.msg, "tenant 3 has an unknown edition \"gold\"");
	snprintf(t.edition, sizeof(t.edition), "enterprise");
	assert_int_equal(vg_catalog_entitlements(c, &t, "2026-02-30", &out, &err), VG_EINVAL);
	assert_string_equal(err.msg, "\"2026-02-30\" is not a date YYYY-MM-DD");
}

static void good_small_catalog_parses(void **state)
{
	vg_error err = { 0 };
	char doc[1024];
	vg_catalog *c;
	json_t *j, *item;

	(void)state;
	snprintf(doc, sizeof(doc), "%s%s", head,
		 "      - id: c.b\n"
		 "        name: B\n"
		 "        name_zh: 乙\n"
		 "        editions: [professional, enterprise]\n"
		 "        frequency: on_demand\n"
		 "        quota:\n"
		 "          professional: {hours_per_year: 16}\n"
		 "          enterprise: {hours_per_year: 48, visits_per_year: 2}\n"
		 "        deliverable: {name: Report, name_zh: 报告}\n"
		 "        sla_object: false\n"
		 "        platform_must: \"things: quoted\"\n" GOOD_ITEM);
	assert_int_equal(parse(doc, &c, &err), VG_OK);
	j = vg_catalog_to_json(c);
	item = catalog_item(j, "c.b");
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_object_get(item, "quota"), "enterprise"),
				 "visits_per_year")),
			 2);
	assert_true(json_is_false(json_object_get(item, "sla_object")));
	assert_string_equal(json_string_value(json_object_get(item, "platform_must")),
			    "things: quoted");
	item = catalog_item(j, "c.a");
	assert_true(json_is_null(json_object_get(item, "quota")));
	assert_true(json_is_null(json_object_get(item, "deliverable")));
	assert_true(json_is_true(json_object_get(item, "sla_object")));
	json_decref(j);
	vg_catalog_free(c);
}

static void bad_items_are_named_with_their_line(void **state)
{
	static const struct {
		const char *items;
		const char *message;
	} cases[] = {
		{ "      - {id: c.a, name: A, name_zh: A, editions: [gold], frequency: weekly, "
		  "platform_must: p}\n",
		  "cat.yaml:8: item c.a: unknown edition \"gold\" (use professional or enterprise)" },
		{ "      - {id: c.a, name: A, name_zh: A, editions: [enterprise, enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.a: edition \"enterprise\" is listed twice" },
		{ "      - {id: c.a, name: A, name_zh: A, editions: [], frequency: weekly, "
		  "platform_must: p}\n",
		  "cat.yaml:8: item c.a: editions must name at least one edition" },
		{ "      - {id: c.a, name: A, name_zh: A, editions: [enterprise], frequency: hourly, "
		  "platform_must: p}\n",
		  "cat.yaml:8: item c.a: unknown frequency \"hourly\"" },
		{ GOOD_ITEM "      - id: c.b\n        name: B\n        editions: [enterprise]\n"
			    "        frequency: weekly\n        platform_must: p\n",
		  "cat.yaml:9: item c.b: missing field \"name_zh\"" },
		{ GOOD_ITEM "      - id: c.b\n        name: B\n        name_zh: 乙\n"
			    "        editions: [enterprise]\n        frequency: weekly\n"
			    "        colour: red\n        platform_must: p\n",
		  "cat.yaml:14: item c.b: unknown field \"colour\"" },
		{ GOOD_ITEM "      - {id: c.b, name: B, name_zh: B, editions: [enterprise], "
			    "frequency: weekly, platform_must: p}\n" GOOD_ITEM,
		  "cat.yaml:10: item c.a: id already used on line 8" },
		{ "      - {id: other.a, name: A, name_zh: A, editions: [enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item other.a: id must be \"c.\" and a slug (lower-case letters, "
		  "digits, hyphens)" },
		{ "      - {id: c.Big, name: A, name_zh: A, editions: [enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.Big: id must be \"c.\" and a slug (lower-case letters, "
		  "digits, hyphens)" },
		{ "      - {name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "platform_must: p}\n",
		  "cat.yaml:8: item 1 of category c: missing field \"id\"" },
		{ "      - {id: c.a, name: \"\", name_zh: A, editions: [enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.a: field \"name\" must not be empty" },
		{ "      - {id: c.a, name: [A], name_zh: A, editions: [enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.a: field \"name\" must be a string" },
		{ "      - {id: c.a, name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "sla_object: no, platform_must: p}\n",
		  "cat.yaml:8: item c.a: field \"sla_object\" must be true or false" },
		{ "      - {id: c.a, name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "deliverable: {name: R}, platform_must: p}\n",
		  "cat.yaml:8: item c.a: deliverable: missing field \"name_zh\"" },
		{ "      - {id: c.a, name: A, name_zh: A, editions: [enterprise], frequency: weekly, "
		  "deliverable: Report, platform_must: p}\n",
		  "cat.yaml:8: item c.a: field \"deliverable\" must be a mapping or null" },
		{ "      - id: c.a\n        name: A\n        name_zh: A\n"
		  "        editions: [enterprise]\n        frequency: weekly\n"
		  "        quota:\n          platinum: {hours: 1}\n        platform_must: p\n",
		  "cat.yaml:14: item c.a: quota: unknown edition \"platinum\"" },
		{ "      - id: c.a\n        name: A\n        name_zh: A\n"
		  "        editions: [enterprise]\n        frequency: weekly\n"
		  "        quota:\n          professional: {hours: 1}\n        platform_must: p\n",
		  "cat.yaml:14: item c.a: quota: the item is not in edition \"professional\"" },
		{ "      - id: c.a\n        name: A\n        name_zh: A\n"
		  "        editions: [professional, enterprise]\n        frequency: weekly\n"
		  "        quota:\n          enterprise: {hours: 48}\n        platform_must: p\n",
		  "cat.yaml:13: item c.a: quota: no limits for edition \"professional\"" },
		{ "      - id: c.a\n        name: A\n        name_zh: A\n"
		  "        editions: [enterprise]\n        frequency: weekly\n"
		  "        quota:\n          enterprise:\n            hours: -4\n"
		  "        platform_must: p\n",
		  "cat.yaml:15: item c.a: quota: enterprise.hours must be a positive integer" },
		{ "      - id: c.a\n        name: A\n        name_zh: A\n"
		  "        editions: [enterprise]\n        frequency: weekly\n"
		  "        quota:\n          enterprise: 48\n        platform_must: p\n",
		  "cat.yaml:14: item c.a: quota: enterprise must map limit names to numbers" },
		{ "      - &x {id: c.a, name: A, name_zh: A, editions: [enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.a: anchors are not allowed" },
		{ "      - {id: c.a, name: !!str A, name_zh: A, editions: [enterprise], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.a: tags are not allowed" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(parse_items(cases[i].items, &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
	}
}

static void bad_documents_are_named_with_their_line(void **state)
{
	static const struct {
		const char *doc;
		const char *message;
	} cases[] = {
		{ "version: 1\ncategories: [\n", "cat.yaml:3: invalid YAML: flow sequence without "
						 "a closing bracket" },
		{ "version: 1\nversion: 2\n", "cat.yaml:2: invalid YAML: duplicate key" },
		{ "- a\n", "cat.yaml:1: expected a mapping" },
		{ "version: \x01\n", "cat.yaml:1: invalid YAML: not printable UTF-8 text" },
		{ "version: 1\ncategories:\n  - id: c\n    name: C\n    name_zh: 类\n"
		  "    editions: [enterprise]\n    items:\n" GOOD_ITEM "---\nversion: 1\n",
		  "cat.yaml:10: the catalog is one YAML document" },
		{ "", "cat.yaml:1: expected a mapping" },
		{ "version: 2\ncategories: []\n",
		  "cat.yaml:1: version 2 is not one this binary reads (1)" },
		{ "version: one\ncategories: []\n",
		  "cat.yaml:1: field \"version\" must be a positive integer" },
		{ "categories: []\n", "cat.yaml:1: missing field \"version\"" },
		{ "version: 1\ncategories: []\n",
		  "cat.yaml:2: categories must list at least one category" },
		{ "version: 1\ncategories:\n  - id: c\n    name: C\n    name_zh: 类\n"
		  "    editions: [enterprise]\n    items: []\n",
		  "cat.yaml:7: category c: items must list at least one item" },
		{ "version: 1\ncategories:\n  - id: c\n    name: C\n    name_zh: 类\n"
		  "    editions: [enterprise]\n    items:\n" GOOD_ITEM
		  "  - id: c\n    name: D\n    name_zh: 丁\n    editions: [enterprise]\n"
		  "    items:\n" GOOD_ITEM,
		  "cat.yaml:9: category c: id is used by an earlier category" },
		{ "version: 1\ncategories:\n  - id: c\n    name: C\n    name_zh: 类\n"
		  "    editions: [enterprise]\n    items:\n"
		  "      - {id: c.a, name: A, name_zh: A, editions: [professional], "
		  "frequency: weekly, platform_must: p}\n",
		  "cat.yaml:8: item c.a: edition \"professional\" is not one of its category's "
		  "editions" },
		{ "version: 1\ncategories:\n  - id: c\n    name: C\n    editions: [enterprise]\n"
		  "    items:\n" GOOD_ITEM,
		  "cat.yaml:3: category c: missing field \"name_zh\"" },
		{ "version: 1\ncategories:\n  - id: c\n    name: C\n    name_zh: 类\n"
		  "    editions: [enterprise]\n    items:\n" GOOD_ITEM "    owner: me\n",
		  "cat.yaml:9: category c: unknown field \"owner\"" },
		{ "version: &v 1\ncategories: []\n", "cat.yaml:1: anchors are not allowed" },
		{ "version: 1\ncategories: &c []\nextra: *c\n",
		  "cat.yaml:3: YAML aliases (*c) are not supported: write the value out" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };
		vg_catalog *c = (vg_catalog *)1;

		assert_int_equal(parse(cases[i].doc, &c, &err), VG_EINVAL);
		assert_null(c);
		assert_string_equal(err.msg, cases[i].message);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_catalog_has_every_line),
		cmocka_unit_test(editions_decide_entitlements),
		cmocka_unit_test(active_means_today_within_the_contract),
		cmocka_unit_test(bad_tenant_or_date_is_refused),
		cmocka_unit_test(good_small_catalog_parses),
		cmocka_unit_test(bad_items_are_named_with_their_line),
		cmocka_unit_test(bad_documents_are_named_with_their_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
