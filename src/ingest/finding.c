/* finding.c - vendor alerts into the one alert model (see finding.h). */
#include "ingest/finding.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "core/yaml.h"

extern const char *const vg__content_findings;

#define ORIGIN "content/findings.yaml"

const char *const vg_resource_keys[VG_RESOURCE_NKEYS] = { "instance_id", "ip",      "hostname",
							  "region",      "account", "cloud" };
const char *const vg_actor_keys[VG_ACTOR_NKEYS] = { "user", "ip" };

/* One way of reading a field: a path, or a constant. */
typedef struct alt {
	char *path;  /* NULL: value is the constant */
	char *value;
	char *after; /* keep the text after its last occurrence (NULL: all) */
	char *until; /* and before the first of this after that (NULL: to the end) */
} alt;

typedef struct spec {
	alt *alts;
	size_t n;
} spec;

typedef struct severity_rule {
	spec path;
	char **names; /* map: native value -> id */
	int *ids;
	size_t n;
	bool from; /* ids by lower bounds of a number, bounds in names as text */
} severity_rule;

struct vg_finding_type {
	char *type;
	spec vendor, product;
	bool raises;
	spec each, uid, kind, title, description, category, status;
	severity_rule *severity;
	size_t nseverity;
	spec resource[VG_RESOURCE_NKEYS];
	spec actor[VG_ACTOR_NKEYS];
};

typedef struct types {
	vg_finding_type *v;
	size_t n;
} types;

static types builtin;
static vg_error builtin_err;
static int builtin_rc;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* ---- reading the mappings ----------------------------------------- */

/* Errors name the file and line. */
#define fail(err, at, ...) vg_yaml_fail(err, ORIGIN, at, __VA_ARGS__)

static int read_alt(struct fy_node *v, alt *a, vg_error *err)
{
	struct fy_node_pair *p;
	void *iter = NULL;

	memset(a, 0, sizeof(*a));
	if (v && fy_node_is_scalar(v)) {
		a->path = vg_yaml_text_dup(v);
		return VG_OK;
	}
	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "expected a path, a list of paths or {value: TEXT}");
	while ((p = fy_node_mapping_iterate(v, &iter)) != NULL) {
		char **to = vg_yaml_key_is(p, "path")    ? &a->path
			    : vg_yaml_key_is(p, "value") ? &a->value
			    : vg_yaml_key_is(p, "after") ? &a->after
			    : vg_yaml_key_is(p, "until") ? &a->until
							 : NULL;

		if (!to || !fy_node_is_scalar(fy_node_pair_value(p)))
			return fail(err, fy_node_pair_key(p),
				    "a field is {path, after, until} or {value}");
		*to = vg_yaml_text_dup(fy_node_pair_value(p));
	}
	if (!a->path == !a->value)
		return fail(err, v, "give a path or a value");
	return VG_OK;
}

static int read_spec(struct fy_node *v, spec *s, vg_error *err)
{
	struct fy_node *e;
	void *iter = NULL;
	int rc = VG_OK;

	if (v && fy_node_is_sequence(v)) {
		while (rc == VG_OK && (e = fy_node_sequence_iterate(v, &iter)) != NULL) {
			s->alts = vg_xrealloc(s->alts, (s->n + 1) * sizeof(*s->alts));
			rc = read_alt(e, &s->alts[s->n++], err);
		}
		if (rc == VG_OK && !s->n)
			rc = fail(err, v, "an empty list of paths");
		return rc;
	}
	s->alts = vg_xcalloc(1, sizeof(*s->alts));
	s->n = 1;
	return read_alt(v, &s->alts[0], err);
}

static int read_severity(struct fy_node *v, vg_finding_type *t, vg_error *err)
{
	struct fy_node *e;
	void *iter = NULL;

	if (!v || !fy_node_is_sequence(v))
		return fail(err, v, "severity is a list of {path, map} or {path, from}");
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		struct fy_node *path = fy_node_mapping_lookup_by_string(e, "path", FY_NT);
		struct fy_node *map = fy_node_mapping_lookup_by_string(e, "map", FY_NT);
		struct fy_node *from = fy_node_mapping_lookup_by_string(e, "from", FY_NT);
		struct fy_node *table = map ? map : from;
		struct fy_node_pair *p;
		void *it2 = NULL;
		severity_rule *r;
		int rc;

		if (!fy_node_is_mapping(e) || !path || !table || (map && from) ||
		    !fy_node_is_mapping(table) || fy_node_mapping_item_count(e) != 2)
			return fail(err, e, "a severity rule is {path, map} or {path, from}");
		t->severity = vg_xrealloc(t->severity, (t->nseverity + 1) * sizeof(*t->severity));
		r = &t->severity[t->nseverity++];
		memset(r, 0, sizeof(*r));
		r->from = from != NULL;
		rc = read_spec(path, &r->path, err);
		if (rc)
			return rc;
		while ((p = fy_node_mapping_iterate(table, &it2)) != NULL) {
			const char *id = vg_yaml_cstr(fy_node_pair_value(p));
			char *end;
			long n = strtol(id, &end, 10);

			if (*end || n < 1 || n > 5)
				return fail(err, fy_node_pair_value(p), "severity_id must be 1 to 5");
			if (r->from && (strtod(vg_yaml_cstr(fy_node_pair_key(p)), &end), *end))
				return fail(err, fy_node_pair_key(p), "from: bounds are numbers");
			r->names = vg_xrealloc(r->names, (r->n + 1) * sizeof(*r->names));
			r->ids = vg_xrealloc(r->ids, (r->n + 1) * sizeof(*r->ids));
			r->names[r->n] = vg_yaml_text_dup(fy_node_pair_key(p));
			r->ids[r->n++] = (int)n;
		}
	}
	return VG_OK;
}

static int read_keys(struct fy_node *v, const char *const *names, spec *specs, size_t n,
		     vg_error *err)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	size_t i;
	int rc = VG_OK;

	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "expected a map of fields");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(v, &iter)) != NULL) {
		for (i = 0; i < n && !vg_yaml_key_is(p, names[i]); i++)
			;
		if (i == n)
			return fail(err, fy_node_pair_key(p), "unknown field \"%s\"",
				    vg_yaml_cstr(fy_node_pair_key(p)));
		rc = read_spec(fy_node_pair_value(p), &specs[i], err);
	}
	return rc;
}

static int read_finding(struct fy_node *v, vg_finding_type *t, vg_error *err)
{
	static const char *const names[] = { "each", "uid", "kind", "title", "description",
					     "category", "status" };
	spec *specs[] = { &t->each, &t->uid, &t->kind, &t->title, &t->description, &t->category,
			  &t->status };
	struct fy_node_pair *p;
	void *iter = NULL;
	size_t i;
	int rc = VG_OK;

	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "finding must be a map");
	t->raises = true;
	while (rc == VG_OK && (p = fy_node_mapping_iterate(v, &iter)) != NULL) {
		if (vg_yaml_key_is(p, "severity")) {
			rc = read_severity(fy_node_pair_value(p), t, err);
			continue;
		}
		for (i = 0; i < sizeof(names) / sizeof(names[0]) && !vg_yaml_key_is(p, names[i]); i++)
			;
		if (i == sizeof(names) / sizeof(names[0]))
			return fail(err, fy_node_pair_key(p), "unknown field \"%s\"",
				    vg_yaml_cstr(fy_node_pair_key(p)));
		rc = read_spec(fy_node_pair_value(p), specs[i], err);
	}
	if (rc == VG_OK && (!t->uid.n || !t->kind.n || !t->title.n || !t->nseverity))
		rc = fail(err, v, "a finding needs uid, kind, title and severity");
	return rc;
}

static int read_type(struct fy_node *n, vg_finding_type *t, vg_error *err)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc = VG_OK;

	if (!n || !fy_node_is_mapping(n))
		return fail(err, n, "a type must be a map");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(n, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);

		if (vg_yaml_key_is(p, "type"))
			t->type = vg_yaml_text_dup(v);
		else if (vg_yaml_key_is(p, "vendor"))
			rc = read_spec(v, &t->vendor, err);
		else if (vg_yaml_key_is(p, "product"))
			rc = read_spec(v, &t->product, err);
		else if (vg_yaml_key_is(p, "finding"))
			rc = read_finding(v, t, err);
		else if (vg_yaml_key_is(p, "resource"))
			rc = read_keys(v, vg_resource_keys, t->resource, VG_RESOURCE_NKEYS, err);
		else if (vg_yaml_key_is(p, "actor"))
			rc = read_keys(v, vg_actor_keys, t->actor, VG_ACTOR_NKEYS, err);
		else
			rc = fail(err, fy_node_pair_key(p), "unknown field \"%s\"",
				  vg_yaml_cstr(fy_node_pair_key(p)));
	}
	if (rc == VG_OK && !t->type)
		rc = fail(err, n, "an entry needs its type");
	if (rc == VG_OK && t->raises && (!t->vendor.n || !t->product.n))
		rc = fail(err, n, "a type raising findings needs vendor and product");
	return rc;
}

static int read_root(void *arg, struct fy_node *root, vg_error *err)
{
	types *ts = arg;
	struct fy_node *list, *e;
	void *iter = NULL;
	int rc;

	list = root && fy_node_is_mapping(root) ? fy_node_mapping_lookup_by_string(root, "types", FY_NT)
						: NULL;
	if (!list || !fy_node_is_sequence(list))
		return fail(err, root, "expected version and a list of types");
	while ((e = fy_node_sequence_iterate(list, &iter)) != NULL) {
		ts->v = vg_xrealloc(ts->v, (ts->n + 1) * sizeof(*ts->v));
		memset(&ts->v[ts->n], 0, sizeof(ts->v[0]));
		rc = read_type(e, &ts->v[ts->n++], err);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static void load_builtin(void)
{
	builtin_rc = vg_yaml_each_document(vg__content_findings, strlen(vg__content_findings),
					   ORIGIN, read_root, &builtin, &builtin_err);
}

const vg_finding_type *vg_finding_type_find(const char *type, vg_error *err)
{
	size_t i;

	pthread_once(&builtin_once, load_builtin);
	if (builtin_rc) {
		vg_error_set(err, builtin_rc, "%s", builtin_err.msg);
		return NULL;
	}
	for (i = 0; i < builtin.n; i++)
		if (strcmp(builtin.v[i].type, type) == 0)
			return &builtin.v[i];
	return NULL;
}

bool vg_finding_type_raises(const vg_finding_type *t)
{
	return t && t->raises;
}

/* ---- reading events ----------------------------------------------- */

/* The value at path in the finding, or in the whole event for "$.x". */
static json_t *at_path(json_t *finding, json_t *event, const char *path)
{
	json_t *v = finding;
	const char *s = path, *dot;

	if (strncmp(s, "$.", 2) == 0) {
		v = event;
		s += 2;
	}
	while (v && *s) {
		char key[256];
		size_t len;

		dot = strchr(s, '.');
		len = dot ? (size_t)(dot - s) : strlen(s);
		if (len >= sizeof(key))
			return NULL;
		memcpy(key, s, len);
		key[len] = '\0';
		if (json_is_object(v)) {
			v = json_object_get(v, key);
		} else if (json_is_array(v) && len && strspn(key, "0123456789") == len) {
			v = json_array_get(v, strtoul(key, NULL, 10));
		} else {
			return NULL;
		}
		s = dot ? dot + 1 : s + len;
	}
	return v;
}

static bool present(const json_t *v)
{
	return v && !json_is_null(v) && !(json_is_string(v) && json_string_length(v) == 0);
}

static const char *type_name(const json_t *v)
{
	return json_is_object(v) ? "an object" : json_is_array(v) ? "a list" : "a value";
}

/* Reading events is on the data plane: out of memory fails the one event
 * (VG_ENOMEM), as xalloc.h says, instead of aborting. */
static int copy_text(const char *s, size_t len, char **out, vg_error *err)
{
	*out = malloc(len + 1);
	if (!*out)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading a finding");
	memcpy(*out, s, len);
	(*out)[len] = '\0';
	return VG_OK;
}

/* v as text, cut as a's after/until say; *out NULL when the cut leaves
 * none. */
static int text_of(const json_t *v, const alt *a, char **out, vg_error *err)
{
	char num[64];
	const char *s = num, *from, *to;

	*out = NULL;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
	else
		snprintf(num, sizeof(num), "%s", json_is_true(v) ? "true" : "false");
	from = s;
	if (a->after) {
		const char *hit = NULL, *q = s;

		while ((q = strstr(q, a->after)) != NULL)
			hit = q++;
		if (!hit)
			return VG_OK;
		from = hit + strlen(a->after);
	}
	to = a->until ? strstr(from, a->until) : NULL;
	if (!to)
		to = from + strlen(from);
	return to > from ? copy_text(from, (size_t)(to - from), out, err) : VG_OK;
}

/*
 * The field s names: the first alternative present (a constant always
 * is). *out NULL when none is; VG_EINVAL when the first present holds an
 * object or a list.
 */
static int read_field(const spec *s, json_t *finding, json_t *event, const char *what,
		      char **out, vg_error *err)
{
	size_t i;
	int rc = VG_OK;

	*out = NULL;
	for (i = 0; i < s->n && !*out && rc == VG_OK; i++) {
		const alt *a = &s->alts[i];
		json_t *v;

		if (a->value) {
			rc = copy_text(a->value, strlen(a->value), out, err);
			break;
		}
		v = at_path(finding, event, a->path);
		if (!present(v))
			continue;
		if (json_is_object(v) || json_is_array(v))
			return vg_error_set(err, VG_EINVAL, "%s: %s holds %s, not text", what,
					    a->path, type_name(v));
		rc = text_of(v, a, out, err);
	}
	return rc;
}

static const char *first_path(const spec *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->alts[i].path)
			return s->alts[i].path;
	return "?";
}

static int read_required(const spec *s, json_t *finding, json_t *event, const char *what,
			 char **out, vg_error *err)
{
	int rc = read_field(s, finding, event, what, out, err);

	if (rc == VG_OK && !*out)
		rc = vg_error_set(err, VG_EINVAL, "%s missing (%s)", what, first_path(s));
	return rc;
}

/* The OCSF severity_id of the first rule whose path is present. */
static int read_severity_id(const vg_finding_type *t, json_t *finding, json_t *event,
			    vg_finding *f, vg_error *err)
{
	size_t i, k;
	int rc;

	for (i = 0; i < t->nseverity; i++) {
		const severity_rule *r = &t->severity[i];
		double x, best = -INFINITY;
		char *end;

		rc = read_field(&r->path, finding, event, "severity", &f->native_severity, err);
		if (rc)
			return rc;
		if (!f->native_severity)
			continue;
		for (k = 0; k < r->n && !r->from; k++)
			if (strcasecmp(r->names[k], f->native_severity) == 0) {
				f->severity_id = r->ids[k];
				return VG_OK;
			}
		x = strtod(f->native_severity, &end);
		for (k = 0; k < r->n && r->from && !*end && isfinite(x); k++) {
			double bound = strtod(r->names[k], NULL);

			if (bound <= x && bound > best) {
				best = bound;
				f->severity_id = r->ids[k];
			}
		}
		if (f->severity_id)
			return VG_OK;
		return vg_error_set(err, VG_EINVAL, "severity \"%.40s\" at %s is not on %s's scale",
				    f->native_severity, first_path(&r->path), t->type);
	}
	return vg_error_set(err, VG_EINVAL, "severity missing (%s)", first_path(&t->severity[0].path));
}

static int read_one(const vg_finding_type *t, json_t *finding, json_t *event, vg_finding *f,
		    vg_error *err)
{
	char *kind = NULL;
	size_t i;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = read_required(&t->uid, finding, event, "uid", &f->uid, err);
	if (rc == VG_OK)
		rc = read_required(&t->kind, finding, event, "kind", &kind, err);
	if (rc == VG_OK)
		rc = read_required(&t->title, finding, event, "title", &f->title, err);
	if (rc == VG_OK)
		rc = read_field(&t->description, finding, event, "description", &f->description, err);
	if (rc == VG_OK)
		rc = read_field(&t->category, finding, event, "category", &f->category, err);
	if (rc == VG_OK)
		rc = read_field(&t->status, finding, event, "status", &f->status, err);
	if (rc == VG_OK)
		rc = read_required(&t->vendor, finding, event, "vendor", &f->vendor, err);
	if (rc == VG_OK)
		rc = read_required(&t->product, finding, event, "product", &f->product, err);
	if (rc == VG_OK)
		rc = read_severity_id(t, finding, event, f, err);
	for (i = 0; i < VG_RESOURCE_NKEYS && rc == VG_OK; i++)
		rc = read_field(&t->resource[i], finding, event, vg_resource_keys[i], &f->resource[i],
				err);
	for (i = 0; i < VG_ACTOR_NKEYS && rc == VG_OK; i++)
		rc = read_field(&t->actor[i], finding, event, vg_actor_keys[i], &f->actor[i], err);
	if (rc == VG_OK) {
		size_t len = strlen(t->type) + strlen(kind) + 2;

		f->rule_id = malloc(len);
		if (f->rule_id)
			snprintf(f->rule_id, len, "%s:%s", t->type, kind);
		else
			rc = vg_error_set(err, VG_ENOMEM, "out of memory reading a finding");
	}
	free(kind);
	return rc;
}

void vg_finding_release(vg_finding *f)
{
	size_t i;

	free(f->uid);
	free(f->rule_id);
	free(f->title);
	free(f->description);
	free(f->category);
	free(f->status);
	free(f->vendor);
	free(f->product);
	free(f->native_severity);
	for (i = 0; i < VG_RESOURCE_NKEYS; i++)
		free(f->resource[i]);
	for (i = 0; i < VG_ACTOR_NKEYS; i++)
		free(f->actor[i]);
}

void vg_findings_free(vg_finding *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vg_finding_release(&v[i]);
	free(v);
}

int vg_findings_read(const vg_finding_type *t, json_t *event, vg_finding **out, size_t *n,
		     vg_error *err)
{
	json_t *list = NULL;
	const char *list_path = NULL;
	size_t i, count = 1;
	vg_finding *v;
	int rc = VG_OK;

	*out = NULL;
	*n = 0;
	for (i = 0; i < t->each.n && !list; i++) {
		list_path = t->each.alts[i].path;
		list = at_path(event, event, list_path);
	}
	if (list && !json_is_array(list) && !json_is_object(list))
		return vg_error_set(err, VG_EINVAL, "%s holds %s, not findings", list_path,
				    type_name(list));
	if (json_is_array(list)) {
		count = json_array_size(list);
		if (!count)
			return vg_error_set(err, VG_EINVAL, "%s holds no finding", list_path);
	}
	v = calloc(count, sizeof(*v));
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading findings");
	for (i = 0; i < count && rc == VG_OK; i++) {
		json_t *finding = !list ? event : json_is_array(list) ? json_array_get(list, i) : list;
		vg_error ferr = { 0 };

		if (!json_is_object(finding)) {
			rc = vg_error_set(err, VG_EINVAL, "%s.%zu holds %s, not a finding", list_path, i,
					  type_name(finding));
			break;
		}
		rc = read_one(t, finding, event, &v[i], &ferr);
		if (rc && json_is_array(list))
			vg_error_set(err, rc, "%s.%zu: %s", list_path, i, ferr.msg);
		else if (rc)
			vg_error_set(err, rc, "%s", ferr.msg);
	}
	if (rc) {
		vg_findings_free(v, count);
		return rc;
	}
	*out = v;
	*n = count;
	return VG_OK;
}

void vg_finding_describe(const vg_finding_type *t, json_t *event,
			 char *resource[VG_RESOURCE_NKEYS], char *actor[VG_ACTOR_NKEYS])
{
	size_t i;

	for (i = 0; i < VG_RESOURCE_NKEYS; i++)
		if (!t || read_field(&t->resource[i], event, event, vg_resource_keys[i], &resource[i],
				     NULL))
			resource[i] = NULL;
	for (i = 0; i < VG_ACTOR_NKEYS; i++)
		if (!t || read_field(&t->actor[i], event, event, vg_actor_keys[i], &actor[i], NULL))
			actor[i] = NULL;
}

char *vg_finding_keys_json(const char *const *keys, char *const *values, size_t n)
{
	json_t *o = json_object();
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		if (values[i])
			json_object_set_new(o, keys[i], json_string(values[i]));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}
