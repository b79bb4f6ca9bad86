/*
 * catalog.c - loading, checking and answering from the service catalog
 * (see catalog.h).
 *
 * The YAML is read as a libfyaml document tree and checked node by node,
 * so that every error names its line. What passes is kept as the JSON tree
 * the API answers with; nothing changes it afterwards, and answers are deep
 * copies, so threads share it without locks or reference-count traffic.
 */
#include "ops/catalog.h"

#include <libfyaml.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "core/yaml.h"

/* content/catalog.yaml, embedded by cmake/embed.cmake. */
extern const char *const vg__content_catalog;

#define CATALOG_VERSION 1
#define QUOTA_MAX 1000000000

struct vg_catalog {
	json_t *root; /* the JSON form described in catalog.h */
};

static const char *const editions[] = { "professional", "enterprise", NULL };
static const char *const frequencies[] = {
	"unlimited", "continuous", "on_demand",	 "weekly",	    "monthly",
	"quarterly", "semiannual", "yearly",	 "once_onboarding", "onboarding_or_renewal",
	NULL,
};

typedef enum field_kind { K_STRING, K_INT, K_BOOL, K_SEQ, K_MAP, K_MAP_OR_NULL } field_kind;

typedef struct field {
	const char *name;
	field_kind kind;
	bool required;
} field;

enum { ROOT_VERSION, ROOT_CATEGORIES, ROOT__N };
static const field root_fields[] = {
	[ROOT_VERSION] = { "version", K_INT, true },
	[ROOT_CATEGORIES] = { "categories", K_SEQ, true },
	[ROOT__N] = { NULL, K_STRING, false },
};

enum { CAT_ID, CAT_NAME, CAT_NAME_ZH, CAT_EDITIONS, CAT_ITEMS, CAT__N };
static const field category_fields[] = {
	[CAT_ID] = { "id", K_STRING, true },
	[CAT_NAME] = { "name", K_STRING, true },
	[CAT_NAME_ZH] = { "name_zh", K_STRING, true },
	[CAT_EDITIONS] = { "editions", K_SEQ, true },
	[CAT_ITEMS] = { "items", K_SEQ, true },
	[CAT__N] = { NULL, K_STRING, false },
};

enum {
	ITEM_ID,
	ITEM_NAME,
	ITEM_NAME_ZH,
	ITEM_EDITIONS,
	ITEM_FREQUENCY,
	ITEM_QUOTA,
	ITEM_DELIVERABLE,
	ITEM_SLA_OBJECT,
	ITEM_PLATFORM_MUST,
	ITEM__N
};
static const field item_fields[] = {
	[ITEM_ID] = { "id", K_STRING, true },
	[ITEM_NAME] = { "name", K_STRING, true },
	[ITEM_NAME_ZH] = { "name_zh", K_STRING, true },
	[ITEM_EDITIONS] = { "editions", K_SEQ, true },
	[ITEM_FREQUENCY] = { "frequency", K_STRING, true },
	[ITEM_QUOTA] = { "quota", K_MAP, false },
	[ITEM_DELIVERABLE] = { "deliverable", K_MAP_OR_NULL, false },
	[ITEM_SLA_OBJECT] = { "sla_object", K_BOOL, false },
	[ITEM_PLATFORM_MUST] = { "platform_must", K_STRING, true },
	[ITEM__N] = { NULL, K_STRING, false },
};

enum { DELIV_NAME, DELIV_NAME_ZH, DELIV__N };
static const field deliverable_fields[] = {
	[DELIV_NAME] = { "name", K_STRING, true },
	[DELIV_NAME_ZH] = { "name_zh", K_STRING, true },
	[DELIV__N] = { NULL, K_STRING, false },
};

/* A field's value as read_mapping found it: the node (NULL when absent)
 * and the line of its key, which an empty collection has none of. */
typedef struct slot {
	struct fy_node *node;
	int line;
} slot;

/* The state of one parse: where errors point and the ids seen so far. */
typedef struct walk {
	const char *origin;
	vg_error *err;
	char what[160];        /* "item duty.watch", "category duty" or "" */
	json_t *item_lines;    /* item id -> line it was first defined on */
	json_t *category_ids;  /* category id -> true */
} walk;

__attribute__((format(printf, 3, 4)))
static int fail(walk *w, int line, const char *fmt, ...)
{
	char msg[VG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_set(w->err, VG_EINVAL, "%s:%d: %s%s%s", w->origin, line, w->what,
			    *w->what ? ": " : "", msg);
}

static bool listed(const char *const *names, const char *s)
{
	for (; *names; names++)
		if (strcmp(*names, s) == 0)
			return true;
	return false;
}

static int line_or(struct fy_node *n, int fallback)
{
	int line = vg_yaml_line(n);

	return line ? line : fallback;
}

/* The catalog is plain data: anchors and tags would only hide it
 * (aliases are refused for every YAML reader by core/yaml.c). */
static int check_plain_node(walk *w, struct fy_node *n, int line)
{
	size_t len;

	if (fy_node_get_anchor(n))
		return fail(w, line, "anchors are not allowed");
	if (fy_node_get_tag(n, &len))
		return fail(w, line, "tags are not allowed");
	return VG_OK;
}

/* A positive decimal integer up to QUOTA_MAX, no sign or leading zero. */
static bool parse_count(struct fy_node *n, int64_t *out)
{
	const char *s = vg_yaml_cstr(n);
	size_t len = strlen(s);
	char *end;
	long long v;

	*out = 0;
	if (!vg_yaml_is_plain(n) || len == 0 || len > 10 || s[0] == '0' ||
	    strspn(s, "0123456789") != len)
		return false;
	v = strtoll(s, &end, 10);
	if (*end || v > QUOTA_MAX)
		return false;
	*out = v;
	return true;
}

static int check_kind(walk *w, const field *f, struct fy_node *v, int line)
{
	static const char *const want[] = {
		[K_STRING] = "a string",      [K_INT] = "a positive integer",
		[K_BOOL] = "true or false",   [K_SEQ] = "a list",
		[K_MAP] = "a mapping",	      [K_MAP_OR_NULL] = "a mapping or null",
	};
	int64_t count;
	bool ok = false;
	int rc;

	if (v) {
		rc = check_plain_node(w, v, line);
		if (rc)
			return rc;
	}
	switch (f->kind) {
	case K_STRING:
		ok = v && fy_node_is_scalar(v) && !vg_yaml_is_null(v);
		break;
	case K_INT:
		ok = parse_count(v, &count);
		break;
	case K_BOOL:
		ok = vg_yaml_is_plain(v) && (strcmp(vg_yaml_cstr(v), "true") == 0 ||
				     strcmp(vg_yaml_cstr(v), "false") == 0);
		break;
	case K_SEQ:
		ok = v && fy_node_is_sequence(v);
		break;
	case K_MAP:
		ok = v && fy_node_is_mapping(v);
		break;
	case K_MAP_OR_NULL:
		ok = vg_yaml_is_null(v) || fy_node_is_mapping(v);
		break;
	}
	if (!ok)
		return fail(w, line, "field \"%s\" must be %s", f->name, want[f->kind]);
	if (f->kind == K_STRING && !*vg_yaml_cstr(v))
		return fail(w, line, "field \"%s\" must not be empty", f->name);
	return VG_OK;
}

/*
 * Checks that map is a mapping of exactly the given fields and puts each
 * field's value in vals (indexed like fields; node NULL when absent or, for
 * K_MAP_OR_NULL, null). line is where map starts, for its errors.
 */
static int read_mapping(walk *w, struct fy_node *map, int line, const field *fields,
			slot *vals)
{
	struct fy_node_pair *pair;
	void *iter = NULL;
	size_t i;
	int rc;

	for (i = 0; fields[i].name; i++)
		vals[i] = (slot){ NULL, line };
	if (!map || !fy_node_is_mapping(map))
		return fail(w, line, "expected a mapping");
	rc = check_plain_node(w, map, line);
	if (rc)
		return rc;
	while ((pair = fy_node_mapping_iterate(map, &iter)) != NULL) {
		struct fy_node *key = fy_node_pair_key(pair), *val = fy_node_pair_value(pair);
		int key_line = line_or(key, line);

		if (!key || !fy_node_is_scalar(key))
			return fail(w, key_line, "keys must be plain names");
		rc = check_plain_node(w, key, key_line);
		if (rc)
			return rc;
		for (i = 0; fields[i].name && strcmp(fields[i].name, vg_yaml_cstr(key)) != 0; i++)
			;
		if (!fields[i].name)
			return fail(w, key_line, "unknown field \"%s\"", vg_yaml_cstr(key));
		rc = check_kind(w, &fields[i], val, line_or(val, key_line));
		if (rc)
			return rc;
		vals[i].node = fields[i].kind == K_MAP_OR_NULL && vg_yaml_is_null(val) ? NULL : val;
		vals[i].line = key_line;
	}
	for (i = 0; fields[i].name; i++)
		if (fields[i].required && !vals[i].node)
			return fail(w, line, "missing field \"%s\"", fields[i].name);
	return VG_OK;
}

/* Sets obj[key] = v, failing on a NULL v: jansson refuses text that is not
 * UTF-8 (and allocations that fail). */
static int put(walk *w, json_t *obj, const char *key, json_t *v, int line)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		return fail(w, line, "field \"%s\" is not valid UTF-8 text", key);
	return VG_OK;
}

static int put_scalar(walk *w, json_t *obj, const char *key, struct fy_node *n)
{
	return put(w, obj, key, json_string(vg_yaml_cstr(n)), line_or(n, 0));
}

/* A slug: lower-case letters, digits and inner hyphens. */
static bool is_slug(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == len &&
	       s[0] != '-' && s[len - 1] != '-';
}

/* Reads a list of editions into *out (a new array); each must be known,
 * listed once and, when allowed is not NULL, one of allowed. */
static int read_editions(walk *w, struct fy_node *seq, int line, const json_t *allowed,
			 json_t **out)
{
	json_t *list = json_array();
	struct fy_node *e;
	void *iter = NULL;
	int rc = VG_OK;

	*out = NULL;
	if (!list)
		return vg_error_set(w->err, VG_ENOMEM, "out of memory reading the catalog");
	while ((e = fy_node_sequence_iterate(seq, &iter)) != NULL) {
		int e_line = line_or(e, line);
		const char *name = vg_yaml_cstr(e);
		json_t *have;
		bool in_allowed = !allowed;
		size_t i;

		rc = check_plain_node(w, e, e_line);
		if (rc)
			goto out;
		if (!fy_node_is_scalar(e) || !listed(editions, name)) {
			rc = fail(w, e_line, "unknown edition \"%s\" (use professional or enterprise)",
				  fy_node_is_scalar(e) ? name : "(not a name)");
			goto out;
		}
		json_array_foreach(list, i, have) {
			if (strcmp(json_string_value(have), name) == 0) {
				rc = fail(w, e_line, "edition \"%s\" is listed twice", name);
				goto out;
			}
		}
		json_array_foreach(allowed, i, have)
			in_allowed = in_allowed || strcmp(json_string_value(have), name) == 0;
		if (!in_allowed) {
			rc = fail(w, e_line, "edition \"%s\" is not one of its category's editions",
				  name);
			goto out;
		}
		if (json_array_append_new(list, json_string(name))) {
			rc = vg_error_set(w->err, VG_ENOMEM, "out of memory reading the catalog");
			goto out;
		}
	}
	if (json_array_size(list) == 0) {
		rc = fail(w, line, "editions must name at least one edition");
		goto out;
	}
	*out = list;
	list = NULL;
out:
	json_decref(list);
	return rc;
}

static bool has_edition(const json_t *list, const char *edition)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		if (strcmp(json_string_value(e), edition) == 0)
			return true;
	}
	return false;
}

/* quota: {edition: {limit_name: positive integer, ...}, ...}, covering
 * exactly the item's editions. */
static int read_quota(walk *w, struct fy_node *map, int line, const json_t *item_editions,
		      json_t *out)
{
	struct fy_node_pair *pair;
	void *iter = NULL;
	json_t *e;
	size_t i;
	int rc;

	while ((pair = fy_node_mapping_iterate(map, &iter)) != NULL) {
		struct fy_node *key = fy_node_pair_key(pair), *limits = fy_node_pair_value(pair);
		const char *edition = vg_yaml_cstr(key);
		int key_line = line_or(key, line);
		struct fy_node_pair *lp;
		void *liter = NULL;
		json_t *lj;

		if (!fy_node_is_scalar(key) || !listed(editions, edition))
			return fail(w, key_line, "quota: unknown edition \"%s\"", edition);
		if (!has_edition(item_editions, edition))
			return fail(w, key_line, "quota: the item is not in edition \"%s\"", edition);
		if (!limits || !fy_node_is_mapping(limits) ||
		    fy_node_mapping_item_count(limits) == 0)
			return fail(w, key_line, "quota: %s must map limit names to numbers",
				    edition);
		rc = check_plain_node(w, limits, key_line);
		if (rc)
			return rc;
		lj = json_object();
		rc = put(w, out, edition, lj, key_line);
		if (rc)
			return rc;
		while ((lp = fy_node_mapping_iterate(limits, &liter)) != NULL) {
			struct fy_node *lkey = fy_node_pair_key(lp), *lval = fy_node_pair_value(lp);
			const char *name = vg_yaml_cstr(lkey);
			int lline = line_or(lkey, key_line);
			int64_t v;

			if (!fy_node_is_scalar(lkey) || !*name ||
			    strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
				return fail(w, lline,
					    "quota: limit name \"%s\" must be lower-case letters "
					    "and underscores", name);
			if (!parse_count(lval, &v))
				return fail(w, lline, "quota: %s.%s must be a positive integer",
					    edition, name);
			rc = put(w, lj, name, json_integer(v), lline);
			if (rc)
				return rc;
		}
	}
	json_array_foreach(item_editions, i, e) {
		if (!json_object_get(out, json_string_value(e)))
			return fail(w, line, "quota: no limits for edition \"%s\"",
				    json_string_value(e));
	}
	return VG_OK;
}

static int read_deliverable(walk *w, struct fy_node *map, int line, json_t **out)
{
	slot v[DELIV__N];
	size_t len = strlen(w->what);
	json_t *d;
	int rc;

	*out = NULL;
	snprintf(w->what + len, sizeof(w->what) - len, ": deliverable");
	rc = read_mapping(w, map, line, deliverable_fields, v);
	if (rc)
		return rc;
	w->what[len] = '\0';
	d = json_object();
	rc = put(w, d, "name", json_string(vg_yaml_cstr(v[DELIV_NAME].node)), line);
	if (!rc)
		rc = put(w, d, "name_zh", json_string(vg_yaml_cstr(v[DELIV_NAME_ZH].node)), line);
	if (rc) {
		json_decref(d);
		return rc;
	}
	*out = d;
	return VG_OK;
}

static int walk_item(walk *w, struct fy_node *n, int line, const char *cat_id,
		     const json_t *cat_editions, json_t *item)
{
	slot v[ITEM__N];
	struct fy_node *id_node;
	json_t *seen, *eds = NULL, *quota = NULL, *deliverable = NULL;
	const char *id, *frequency;
	size_t prefix = strlen(cat_id);
	int rc;

	id_node = fy_node_is_mapping(n) ? fy_node_mapping_lookup_by_string(n, "id", FY_NT) : NULL;
	if (id_node && fy_node_is_scalar(id_node) && !vg_yaml_is_null(id_node))
		snprintf(w->what, sizeof(w->what), "item %s", vg_yaml_cstr(id_node));
	rc = read_mapping(w, n, line, item_fields, v);
	if (rc)
		return rc;
	id = vg_yaml_cstr(v[ITEM_ID].node);
	if (strncmp(id, cat_id, prefix) != 0 || id[prefix] != '.' || !is_slug(id + prefix + 1))
		return fail(w, v[ITEM_ID].line,
			    "id must be \"%s.\" and a slug (lower-case letters, digits, hyphens)",
			    cat_id);
	seen = json_object_get(w->item_lines, id);
	if (seen)
		return fail(w, v[ITEM_ID].line, "id already used on line %lld",
			    (long long)json_integer_value(seen));
	rc = put(w, w->item_lines, id, json_integer(v[ITEM_ID].line), line);
	if (rc)
		return rc;
	frequency = vg_yaml_cstr(v[ITEM_FREQUENCY].node);
	if (!listed(frequencies, frequency))
		return fail(w, v[ITEM_FREQUENCY].line, "unknown frequency \"%s\"",
			    frequency);
	rc = put_scalar(w, item, "id", v[ITEM_ID].node);
	if (!rc)
		rc = put_scalar(w, item, "name", v[ITEM_NAME].node);
	if (!rc)
		rc = put_scalar(w, item, "name_zh", v[ITEM_NAME_ZH].node);
	if (!rc)
		rc = read_editions(w, v[ITEM_EDITIONS].node, v[ITEM_EDITIONS].line,
				   cat_editions, &eds);
	if (!rc)
		rc = put(w, item, "editions", eds, line);
	if (!rc)
		rc = put_scalar(w, item, "frequency", v[ITEM_FREQUENCY].node);
	if (!rc && v[ITEM_QUOTA].node) {
		quota = json_object();
		rc = put(w, item, "quota", quota, line);
		if (!rc)
			rc = read_quota(w, v[ITEM_QUOTA].node, v[ITEM_QUOTA].line, eds, quota);
	} else if (!rc) {
		rc = put(w, item, "quota", json_null(), line);
	}
	if (!rc && v[ITEM_DELIVERABLE].node)
		rc = read_deliverable(w, v[ITEM_DELIVERABLE].node, v[ITEM_DELIVERABLE].line,
				      &deliverable);
	if (!rc)
		rc = put(w, item, "deliverable", deliverable ? deliverable : json_null(), line);
	if (!rc)
		rc = put(w, item, "sla_object",
			 json_boolean(!v[ITEM_SLA_OBJECT].node ||
				      strcmp(vg_yaml_cstr(v[ITEM_SLA_OBJECT].node), "true") == 0),
			 line);
	if (!rc)
		rc = put_scalar(w, item, "platform_must", v[ITEM_PLATFORM_MUST].node);
	return rc;
}

static int walk_category(walk *w, struct fy_node *n, int line, json_t *cat)
{
	slot v[CAT__N];
	struct fy_node *id_node, *item_node;
	json_t *eds = NULL, *items;
	void *iter = NULL;
	const char *id;
	int rc;

	id_node = fy_node_is_mapping(n) ? fy_node_mapping_lookup_by_string(n, "id", FY_NT) : NULL;
	if (id_node && fy_node_is_scalar(id_node) && !vg_yaml_is_null(id_node))
		snprintf(w->what, sizeof(w->what), "category %s", vg_yaml_cstr(id_node));
	rc = read_mapping(w, n, line, category_fields, v);
	if (rc)
		return rc;
	id = vg_yaml_cstr(v[CAT_ID].node);
	if (!is_slug(id))
		return fail(w, v[CAT_ID].line,
			    "id must be a slug (lower-case letters, digits, hyphens)");
	if (json_object_get(w->category_ids, id))
		return fail(w, v[CAT_ID].line, "id is used by an earlier category");
	rc = put(w, w->category_ids, id, json_true(), line);
	if (!rc)
		rc = put_scalar(w, cat, "id", v[CAT_ID].node);
	if (!rc)
		rc = put_scalar(w, cat, "name", v[CAT_NAME].node);
	if (!rc)
		rc = put_scalar(w, cat, "name_zh", v[CAT_NAME_ZH].node);
	if (!rc)
		rc = read_editions(w, v[CAT_EDITIONS].node, v[CAT_EDITIONS].line, NULL, &eds);
	if (!rc)
		rc = put(w, cat, "editions", eds, line);
	if (rc)
		return rc;
	if (fy_node_sequence_item_count(v[CAT_ITEMS].node) == 0)
		return fail(w, v[CAT_ITEMS].line, "items must list at least one item");
	items = json_array();
	rc = put(w, cat, "items", items, line);
	while (!rc && (item_node = fy_node_sequence_iterate(v[CAT_ITEMS].node, &iter)) != NULL) {
		json_t *item = json_object();

		snprintf(w->what, sizeof(w->what), "item %zu of category %s",
			 json_array_size(items) + 1, id);
		if (!item || json_array_append_new(items, item))
			return vg_error_set(w->err, VG_ENOMEM, "out of memory reading the catalog");
		rc = walk_item(w, item_node, line_or(item_node, v[CAT_ITEMS].line), id,
			       eds, item);
	}
	return rc;
}

static int walk_root(walk *w, struct fy_node *n, json_t *root)
{
	slot v[ROOT__N];
	struct fy_node *cat_node;
	int64_t version;
	json_t *cats;
	void *iter = NULL;
	int rc;

	rc = read_mapping(w, n, line_or(n, 1), root_fields, v);
	if (rc)
		return rc;
	parse_count(v[ROOT_VERSION].node, &version);
	if (version != CATALOG_VERSION)
		return fail(w, v[ROOT_VERSION].line,
			    "version %lld is not one this binary reads (%d)", (long long)version,
			    CATALOG_VERSION);
	if (fy_node_sequence_item_count(v[ROOT_CATEGORIES].node) == 0)
		return fail(w, v[ROOT_CATEGORIES].line,
			    "categories must list at least one category");
	cats = json_array();
	rc = put(w, root, "version", json_integer(version), 1);
	if (!rc)
		rc = put(w, root, "categories", cats, 1);
	while (!rc && (cat_node = fy_node_sequence_iterate(v[ROOT_CATEGORIES].node, &iter)) != NULL) {
		json_t *cat = json_object();

		snprintf(w->what, sizeof(w->what), "category %zu", json_array_size(cats) + 1);
		if (!cat || json_array_append_new(cats, cat))
			return vg_error_set(w->err, VG_ENOMEM, "out of memory reading the catalog");
		rc = walk_category(w, cat_node, line_or(cat_node, v[ROOT_CATEGORIES].line),
				   cat);
	}
	return rc;
}

/* What parsing the catalog text builds from its one document. */
typedef struct parse_state {
	walk w;
	json_t *root;
	int documents;
} parse_state;

static int parse_document(void *arg, struct fy_node *root, vg_error *err)
{
	parse_state *p = arg;

	(void)err;
	if (++p->documents > 1) {
		p->w.what[0] = '\0';
		return fail(&p->w, line_or(root, 1), "the catalog is one YAML document");
	}
	return walk_root(&p->w, root, p->root);
}

int vg_catalog_parse(const char *yaml, size_t len, const char *origin, vg_catalog **out,
		     vg_error *err)
{
	parse_state p = { .w = { .origin = origin, .err = err } };
	vg_catalog *c = NULL;
	int rc;

	*out = NULL;
	p.w.item_lines = json_object();
	p.w.category_ids = json_object();
	p.root = json_object();
	c = malloc(sizeof(*c));
	if (!p.w.item_lines || !p.w.category_ids || !p.root || !c) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
		goto out;
	}
	rc = vg_yaml_each_document(yaml, len, origin, parse_document, &p, err);
	/* An empty text holds no document, which walk_root refuses like any
	 * other document that is not a mapping. */
	if (!rc && p.documents == 0)
		rc = walk_root(&p.w, NULL, p.root);
	if (rc)
		goto out;
	c->root = p.root;
	p.root = NULL;
	*out = c;
	c = NULL;
out:
	json_decref(p.w.item_lines);
	json_decref(p.w.category_ids);
	json_decref(p.root);
	free(c);
	return rc;
}

void vg_catalog_free(vg_catalog *c)
{
	if (!c)
		return;
	json_decref(c->root);
	free(c);
}

/*
 * The built-in catalog is a process-wide value on purpose: it is immutable
 * data compiled into the binary, the same for every caller, so parsing it
 * once (pthread_once) and sharing it read-only hides no state. It lives
 * until the process exits.
 */
static vg_catalog *builtin;
static vg_error builtin_err;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void)
{
	vg_catalog_parse(vg__content_catalog, strlen(vg__content_catalog), VG_CATALOG_ORIGIN,
			 &builtin, &builtin_err);
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

int vg_catalog_entitlements(const vg_catalog *c, const vg_tenant *t, const char *today,
			    json_t **out, vg_error *err)
{
	json_t *items = NULL, *result = NULL, *cat, *item;
	size_t i, j;
	int rc = VG_ENOMEM;

	*out = NULL;
	if (!listed(editions, t->edition))
		return vg_error_set(err, VG_EINVAL, "tenant %lld has an unknown edition \"%s\"",
				    (long long)t->id, t->edition);
	if (!vg_time_is_date(today))
		return vg_error_set(err, VG_EINVAL, "\"%s\" is not a date YYYY-MM-DD", today);
	items = json_array();
	if (!items)
		goto out;
	json_array_foreach(json_object_get(c->root, "categories"), i, cat) {
		json_array_foreach(json_object_get(cat, "items"), j, item) {
			json_t *quota = json_object_get(json_object_get(item, "quota"), t->edition);
			json_t *entry;

			if (!has_edition(json_object_get(item, "editions"), t->edition))
				continue;
			/* Deep copies: the shared tree's reference counts never move. */
			entry = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:O}", "id",
					  json_string_value(json_object_get(item, "id")),
					  "category", json_string_value(json_object_get(cat, "id")),
					  "name", json_string_value(json_object_get(item, "name")),
					  "name_zh",
					  json_string_value(json_object_get(item, "name_zh")),
					  "frequency",
					  json_string_value(json_object_get(item, "frequency")),
					  "quota", quota ? json_deep_copy(quota) : json_null(),
					  "deliverable",
					  json_deep_copy(json_object_get(item, "deliverable")),
					  "sla_object", json_object_get(item, "sla_object"));
			if (!entry || json_array_append_new(items, entry))
				goto out;
		}
	}
	result = json_pack("{s:I, s:s, s:s, s:s, s:b, s:O}", "tenant_id", (json_int_t)t->id,
			   "edition", t->edition, "contract_start", t->contract_start,
			   "contract_end", t->contract_end, "active",
			   strcmp(today, t->contract_start) >= 0 &&
				   strcmp(today, t->contract_end) <= 0,
			   "items", items);
	if (!result)
		goto out;
	*out = result;
	rc = VG_OK;
out:
	json_decref(items);
	if (rc)
		vg_error_set(err, rc, "out of memory listing entitlements");
	return rc;
}
