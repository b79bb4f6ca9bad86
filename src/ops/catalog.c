/*
 * catalog.c - loading and querying the service catalog (see catalog.h).
 *
 * The YAML is turned into a JSON tree once and checked against the field
 * tables below; everything after that reads the immutable tree.
 */
#include "ops/catalog.h"

#include <libfyaml.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

extern const char *const vg__content_catalog;

struct vg_catalog {
	json_t *root;
};

static const char *const editions[] = { "professional", "enterprise", NULL };
static const char *const frequencies[] = { "unlimited", "continuous", "on_demand",
					   "weekly", "monthly", "quarterly",
					   "semiannual", "once_onboarding", NULL };

static const vg_json_field root_fields[] = {
	{ "version", VG_JSON_INTEGER, true },
	{ "categories", VG_JSON_ARRAY, true },
	{ NULL, 0, false },
};
static const vg_json_field category_fields[] = {
	{ "id", VG_JSON_STRING, true },
	{ "name", VG_JSON_STRING, true },
	{ "name_zh", VG_JSON_STRING, true },
	{ "items", VG_JSON_ARRAY, true },
	{ NULL, 0, false },
};
static const vg_json_field item_fields[] = {
	{ "id", VG_JSON_STRING, true },
	{ "name", VG_JSON_STRING, true },
	{ "name_zh", VG_JSON_STRING, true },
	{ "editions", VG_JSON_ARRAY, true },
	{ "frequency", VG_JSON_STRING, true },
	{ "quota", VG_JSON_OBJECT, false },
	{ "deliverable", VG_JSON_OBJECT, false },
	{ "sla_object", VG_JSON_BOOL, false },
	{ "platform", VG_JSON_STRING, true },
	{ NULL, 0, false },
};
static const vg_json_field deliverable_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "name_zh", VG_JSON_STRING, true },
	{ NULL, 0, false },
};

static bool listed(const char *const *names, const char *s)
{
	for (; *names; names++)
		if (strcmp(*names, s) == 0)
			return true;
	return false;
}

/* YAML node to JSON: plain integers and true/false keep their type. */
static json_t *node_to_json(struct fy_node *n)
{
	if (!n)
		return json_null();
	if (fy_node_is_mapping(n)) {
		json_t *obj = json_object();
		struct fy_node_pair *pair;
		void *iter = NULL;

		while ((pair = fy_node_mapping_iterate(n, &iter)) != NULL) {
			const char *key = fy_node_get_scalar0(fy_node_pair_key(pair));

			json_object_set_new(obj, key ? key : "", node_to_json(fy_node_pair_value(pair)));
		}
		return obj;
	}
	if (fy_node_is_sequence(n)) {
		json_t *arr = json_array();
		struct fy_node *item;
		void *iter = NULL;

		while ((item = fy_node_sequence_iterate(n, &iter)) != NULL)
			json_array_append_new(arr, node_to_json(item));
		return arr;
	}
	{
		const char *text = fy_node_get_scalar0(n);
		char *end;
		long long v;

		if (!text)
			return json_null();
		if (fy_node_get_style(n) == FYNS_PLAIN) {
			if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
				return json_boolean(text[0] == 't');
			v = strtoll(text, &end, 10);
			if (*text && !*end)
				return json_integer(v);
		}
		return json_string(text);
	}
}

static int check_item(json_t *item, json_t *seen, vg_error *err)
{
	const char *id = vg_json_str(item, "id");
	json_t *quota = json_object_get(item, "quota");
	json_t *deliverable = json_object_get(item, "deliverable");
	json_t *e;
	const char *key;
	size_t i;
	int rc;

	if (!json_is_object(item))
		return vg_error_set(err, VG_EINVAL, "catalog: every item must be a mapping");
	rc = vg_json_check(item, item_fields, err);
	if (rc) {
		vg_error_prefix(err, "catalog item %s", id ? id : "(no id)");
		return rc;
	}
	if (json_object_get(seen, id))
		return vg_error_set(err, VG_EINVAL, "catalog item %s: id used twice", id);
	json_object_set_new(seen, id, json_true());
	if (!listed(frequencies, vg_json_str(item, "frequency")))
		return vg_error_set(err, VG_EINVAL, "catalog item %s: unknown frequency \"%s\"", id,
				    vg_json_str(item, "frequency"));
	if (json_array_size(json_object_get(item, "editions")) == 0)
		return vg_error_set(err, VG_EINVAL, "catalog item %s: no editions", id);
	json_array_foreach(json_object_get(item, "editions"), i, e) {
		if (!json_is_string(e) || !listed(editions, json_string_value(e)))
			return vg_error_set(err, VG_EINVAL, "catalog item %s: unknown edition", id);
	}
	json_object_foreach(quota, key, e) {
		if (!listed(editions, key) || !json_is_object(e))
			return vg_error_set(err, VG_EINVAL,
					    "catalog item %s: quota is a mapping of edition to limits", id);
	}
	if (deliverable) {
		rc = vg_json_check(deliverable, deliverable_fields, err);
		if (rc) {
			vg_error_prefix(err, "catalog item %s: deliverable", id);
			return rc;
		}
	}
	return VG_OK;
}

static int check_catalog(json_t *root, vg_error *err)
{
	json_t *seen = json_object();
	json_t *cat, *item;
	size_t i, j;
	int rc;

	if (!json_is_object(root)) {
		rc = vg_error_set(err, VG_EINVAL, "catalog: expected a mapping");
		goto out;
	}
	rc = vg_json_check(root, root_fields, err);
	if (rc) {
		vg_error_prefix(err, "catalog");
		goto out;
	}
	json_array_foreach(json_object_get(root, "categories"), i, cat) {
		if (!json_is_object(cat)) {
			rc = vg_error_set(err, VG_EINVAL, "catalog: every category must be a mapping");
			goto out;
		}
		rc = vg_json_check(cat, category_fields, err);
		if (rc) {
			vg_error_prefix(err, "catalog category %zu", i + 1);
			goto out;
		}
		json_array_foreach(json_object_get(cat, "items"), j, item) {
			rc = check_item(item, seen, err);
			if (rc)
				goto out;
		}
	}
out:
	json_decref(seen);
	return rc;
}

/* libfyaml reports errors through a diag object; the catalog's are turned
 * into one vg_error, so its own output is dropped. */
static void diag_discard(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

int vg_catalog_parse(const char *yaml, size_t len, vg_catalog **out, vg_error *err)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 };
	struct fy_diag_cfg dcfg;
	struct fy_document *doc;
	vg_catalog *c;
	json_t *root;
	int rc;

	*out = NULL;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_discard;
	cfg.diag = fy_diag_create(&dcfg);
	if (!cfg.diag)
		return vg_error_set(err, VG_ENOMEM, "out of memory loading the catalog");
	doc = fy_document_build_from_string(&cfg, yaml, len);
	fy_diag_destroy(cfg.diag);
	if (!doc)
		return vg_error_set(err, VG_EINVAL, "catalog: invalid YAML");
	root = node_to_json(fy_document_root(doc));
	fy_document_destroy(doc);
	rc = check_catalog(root, err);
	if (rc) {
		json_decref(root);
		return rc;
	}
	c = malloc(sizeof(*c));
	if (!c) {
		json_decref(root);
		return vg_error_set(err, VG_ENOMEM, "out of memory loading the catalog");
	}
	c->root = root;
	*out = c;
	return VG_OK;
}

void vg_catalog_free(vg_catalog *c)
{
	if (!c)
		return;
	json_decref(c->root);
	free(c);
}

static vg_catalog *builtin;
static vg_error builtin_err;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void)
{
	vg_catalog_parse(vg__content_catalog, strlen(vg__content_catalog), &builtin, &builtin_err);
}

const vg_catalog *vg_catalog_builtin(vg_error *err)
{
	pthread_once(&builtin_once, load_builtin);
	if (!builtin && err)
		*err = builtin_err;
	return builtin;
}

json_t *vg_catalog_to_json(const vg_catalog *c)
{
	return json_deep_copy(c->root);
}

static bool has_edition(json_t *item, const char *edition)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(item, "editions"), i, e) {
		if (strcmp(json_string_value(e), edition) == 0)
			return true;
	}
	return false;
}

json_t *vg_catalog_entitlements(const vg_catalog *c, const vg_tenant *t, const char *today)
{
	json_t *items = json_array();
	json_t *cat, *item;
	size_t i, j;

	json_array_foreach(json_object_get(c->root, "categories"), i, cat) {
		json_array_foreach(json_object_get(cat, "items"), j, item) {
			json_t *quota = json_object_get(json_object_get(item, "quota"), t->edition);
			json_t *deliverable = json_object_get(item, "deliverable");
			json_t *sla = json_object_get(item, "sla_object");

			if (!has_edition(item, t->edition))
				continue;
			json_array_append_new(
				items,
				json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:b}", "id",
					  vg_json_str(item, "id"), "category", vg_json_str(cat, "id"),
					  "name", vg_json_str(item, "name"), "name_zh",
					  vg_json_str(item, "name_zh"), "frequency",
					  vg_json_str(item, "frequency"), "quota",
					  quota ? quota : json_null(), "deliverable",
					  deliverable ? deliverable : json_null(), "sla_object",
					  sla ? json_is_true(sla) : 1));
		}
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}", "tenant_id", (json_int_t)t->id,
			 "edition", t->edition, "contract_start", t->contract_start, "contract_end",
			 t->contract_end, "active",
			 strcmp(today, t->contract_start) >= 0 && strcmp(today, t->contract_end) <= 0,
			 "items", items);
}
