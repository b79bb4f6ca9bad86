/*
 * source.c - the built-in source types, read from content/sources.yaml.
 */
#include "detect/source.h"

#include <pthread.h>
#include <stdarg.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "detect/ioc.h"

extern const char *const vg__content_sources;

#define ORIGIN "content/sources.yaml"

typedef struct types {
	vg_source_type *v;
	size_t n;
	char names[512];
} types;

static types builtin;
static vg_error builtin_err;
static int builtin_rc;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* Errors name the file and line. */
#define fail(err, at, ...) vg_yaml_fail(err, ORIGIN, at, __VA_ARGS__)

static int read_list(struct fy_node *v, char ***out, size_t *n, vg_error *err)
{
	struct fy_node *e;
	void *iter = NULL;

	if (!v || !fy_node_is_sequence(v))
		return fail(err, v, "expected a list of names");
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		if (!fy_node_is_scalar(e))
			return fail(err, e, "expected a name");
		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = vg_yaml_text_dup(e);
	}
	return VG_OK;
}

static int read_scopes(struct fy_node *v, vg_source_scope **out, size_t *n, vg_error *err)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc;

	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "expected a map of logsource values to gates");
	while ((p = fy_node_mapping_iterate(v, &iter)) != NULL) {
		vg_source_scope *s;

		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		s = &(*out)[(*n)++];
		s->name = vg_yaml_text_dup(fy_node_pair_key(p));
		s->gate = NULL;
		if (vg_yaml_is_null(fy_node_pair_value(p)))
			continue;
		s->gate = vg_xcalloc(1, sizeof(*s->gate));
		rc = vg_sigma_map_read(fy_node_pair_value(p), ORIGIN, s->gate, err);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static void push_part(vg_extractor *x, enum vg_template_kind kind, const char *s, size_t len)
{
	vg_template_part *part;

	x->parts = vg_xrealloc(x->parts, (x->nparts + 1) * sizeof(*x->parts));
	part = &x->parts[x->nparts++];
	part->kind = kind;
	part->text = vg_xmalloc(len + 1);
	memcpy(part->text, s, len);
	part->text[len] = '\0';
	part->len = len;
}

/* "Failed {auth_method} for {user} ..." into literal and field parts. */
static int read_template(struct fy_node *v, vg_extractor *x, vg_error *err)
{
	size_t len, i = 0, lit;
	const char *s = vg_yaml_text(v, &len);

	if (!v || !fy_node_is_scalar(v) || len == 0)
		return fail(err, v, "match must be a message template");
	while (i < len) {
		const char *close, *colon;
		enum vg_template_kind kind = VG_TPL_TEXT;
		size_t name_len;

		for (lit = i; i < len && s[i] != '{'; i++)
			;
		if (i > lit)
			push_part(x, VG_TPL_LITERAL, s + lit, i - lit);
		if (i == len)
			break;
		close = memchr(s + i, '}', len - i);
		if (!close)
			return fail(err, v, "template: '{' at column %zu has no '}'", i + 1);
		/* After text, where a following field starts would be a guess; an
		 * int or word field ends where its digits or word do. */
		if (x->nparts && (x->parts[x->nparts - 1].kind == VG_TPL_TEXT ||
				  x->parts[x->nparts - 1].kind == VG_TPL_SKIP))
			return fail(err, v, "template: a field right after a text field at column %zu",
				    i + 1);
		name_len = (size_t)(close - (s + i + 1));
		colon = memchr(s + i + 1, ':', name_len);
		if (name_len == 1 && s[i + 1] == '*') {
			kind = VG_TPL_SKIP;
		} else if (colon) {
			size_t tlen = (size_t)(close - colon - 1);

			if (tlen == 3 && memcmp(colon + 1, "int", 3) == 0)
				kind = VG_TPL_INT;
			else if (tlen == 4 && memcmp(colon + 1, "word", 4) == 0)
				kind = VG_TPL_WORD;
			else
				return fail(err, v, "template: unknown field type \"%.*s\"", (int)tlen,
					    colon + 1);
			name_len = (size_t)(colon - (s + i + 1));
		}
		if (name_len == 0)
			return fail(err, v, "template: empty field name at column %zu", i + 1);
		push_part(x, kind, s + i + 1, name_len);
		i = (size_t)(close - s) + 1;
	}
	return VG_OK;
}

static int read_extractors(struct fy_node *v, vg_source_type *t, vg_error *err)
{
	struct fy_node *e;
	void *iter = NULL;

	if (!v || !fy_node_is_sequence(v))
		return fail(err, v, "extract must be a list of templates");
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		struct fy_node *app, *match, *set;
		vg_extractor *x;
		int rc;

		if (!fy_node_is_mapping(e))
			return fail(err, e, "an extractor is a map of app, match and set");
		t->extractors = vg_xrealloc(t->extractors, (t->nextractors + 1) * sizeof(*x));
		x = &t->extractors[t->nextractors++];
		memset(x, 0, sizeof(*x));
		x->line = vg_yaml_line(e);
		app = fy_node_mapping_lookup_by_string(e, "app", FY_NT);
		match = fy_node_mapping_lookup_by_string(e, "match", FY_NT);
		set = fy_node_mapping_lookup_by_string(e, "set", FY_NT);
		if (!app || !match)
			return fail(err, e, "an extractor needs app and match");
		x->app = vg_yaml_text_dup(app);
		rc = read_template(match, x, err);
		if (rc)
			return rc;
		if (set) {
			struct fy_node_pair *p;
			void *it2 = NULL;

			if (!fy_node_is_mapping(set))
				return fail(err, set, "set must map field names to values");
			while ((p = fy_node_mapping_iterate(set, &it2)) != NULL) {
				struct fy_node *val = fy_node_pair_value(p);
				size_t len;
				const char *txt = vg_yaml_text(val, &len);
				vg_buf json = VG_BUF_INIT(4096);

				if (!val || !fy_node_is_scalar(val))
					return fail(err, p ? fy_node_pair_key(p) : e,
						    "set: values are strings, numbers or booleans");
				if (vg_yaml_is_plain(val) &&
				    ((len == 4 && memcmp(txt, "true", 4) == 0) ||
				     (len == 5 && memcmp(txt, "false", 5) == 0) ||
				     strspn(txt, "0123456789") == len))
					vg_buf_append(&json, txt, len);
				else if (vg_json_append_string(&json, txt, len))
					return fail(err, val, "set: value is not UTF-8 text");
				x->set_keys = vg_xrealloc(x->set_keys, (x->nset + 1) * sizeof(char *));
				x->set_json = vg_xrealloc(x->set_json, (x->nset + 1) * sizeof(char *));
				x->set_keys[x->nset] = vg_yaml_text_dup(fy_node_pair_key(p));
				x->set_json[x->nset] = vg_buf_detach(&json);
				x->nset++;
			}
		}
	}
	return VG_OK;
}

/* iocs: {ip: [fields], domain: [...], url: [...], hash: [...]} */
static int read_ioc_fields(struct fy_node *v, vg_source_type *t, vg_error *err)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc;

	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "iocs must map ip, domain, url and hash to fields");
	t->has_ioc_fields = true;
	while ((p = fy_node_mapping_iterate(v, &iter)) != NULL) {
		char *name = vg_yaml_text_dup(fy_node_pair_key(p));
		int kind = vg_ioc_type_parse(name);

		free(name);
		if (kind < 0)
			return fail(err, fy_node_pair_key(p), "iocs: expected ip, domain, url or hash");
		rc = read_list(fy_node_pair_value(p), &t->ioc_fields[kind], &t->nioc_fields[kind], err);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int read_type(struct fy_node *n, vg_source_type *t, vg_error *err)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc = VG_OK;

	if (!n || !fy_node_is_mapping(n))
		return fail(err, n, "a type must be a map");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(n, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);

		if (vg_yaml_key_is(p, "name")) {
			t->name = vg_yaml_text_dup(v);
		} else if (vg_yaml_key_is(p, "parser")) {
			t->parser = vg_yaml_text_dup(v);
			if (strcmp(t->parser, "json") && strcmp(t->parser, "syslog") &&
			    strcmp(t->parser, "combined") && strcmp(t->parser, "cef") &&
			    strcmp(t->parser, "leef"))
				rc = fail(err, v, "parser must be json, syslog, combined, cef or leef");
		} else if (vg_yaml_key_is(p, "timestamp")) {
			if (v && fy_node_is_scalar(v)) {
				t->timestamps = vg_xcalloc(1, sizeof(char *));
				t->timestamps[t->ntimestamps++] = vg_yaml_text_dup(v);
			} else {
				rc = read_list(v, &t->timestamps, &t->ntimestamps, err);
			}
		} else if (vg_yaml_key_is(p, "field_prefixes")) {
			rc = read_list(v, &t->field_prefixes, &t->nfield_prefixes, err);
		} else if (vg_yaml_key_is(p, "products")) {
			rc = read_list(v, &t->products, &t->nproducts, err);
		} else if (vg_yaml_key_is(p, "extract")) {
			rc = read_extractors(v, t, err);
		} else if (vg_yaml_key_is(p, "iocs")) {
			rc = read_ioc_fields(v, t, err);
		} else if (vg_yaml_key_is(p, "timezone")) {
			if (vg_time_parse_offset(vg_yaml_cstr(v), &t->timezone_minutes))
				rc = fail(err, v, "timezone is an offset such as +08:00");
			t->has_timezone = true;
		} else if (vg_yaml_key_is(p, "occurrences")) {
			t->occurrences = vg_yaml_text_dup(v);
		} else if (vg_yaml_key_is(p, "keywords")) {
			rc = read_list(v, &t->keywords, &t->nkeywords, err);
		} else if (vg_yaml_key_is(p, "records")) {
			rc = read_list(v, &t->records, &t->nrecords, err);
		} else if (vg_yaml_key_is(p, "services")) {
			rc = read_scopes(v, &t->services, &t->nservices, err);
		} else if (vg_yaml_key_is(p, "categories")) {
			rc = read_scopes(v, &t->categories, &t->ncategories, err);
		} else if (vg_yaml_key_is(p, "fields")) {
			struct fy_node_pair *q;
			void *it2 = NULL;

			if (!v || !fy_node_is_mapping(v))
				return fail(err, v, "fields must map Sigma names to paths");
			while ((q = fy_node_mapping_iterate(v, &it2)) != NULL) {
				t->map_from = vg_xrealloc(t->map_from, (t->nmap + 1) * sizeof(char *));
				t->map_to = vg_xrealloc(t->map_to, (t->nmap + 1) * sizeof(char *));
				t->map_from[t->nmap] = vg_yaml_text_dup(fy_node_pair_key(q));
				t->map_to[t->nmap] = vg_yaml_text_dup(fy_node_pair_value(q));
				t->nmap++;
			}
		} else {
			size_t len;
			const char *k = vg_yaml_text(fy_node_pair_key(p), &len);

			rc = fail(err, fy_node_pair_key(p), "unknown field \"%.*s\"", (int)len, k);
		}
	}
	if (rc == VG_OK && (!t->name || !t->parser || !t->ntimestamps))
		rc = fail(err, n, "a type needs name, parser and timestamp");
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
		vg_source_type *t;

		ts->v = vg_xrealloc(ts->v, (ts->n + 1) * sizeof(*ts->v));
		t = &ts->v[ts->n++];
		memset(t, 0, sizeof(*t));
		rc = read_type(e, t, err);
		if (rc)
			return rc;
		snprintf(ts->names + strlen(ts->names), sizeof(ts->names) - strlen(ts->names), "%s%s",
			 ts->n > 1 ? ", " : "", t->name);
	}
	return VG_OK;
}

static void load_builtin(void)
{
	builtin_rc = vg_yaml_each_document(vg__content_sources, strlen(vg__content_sources), ORIGIN,
					   read_root, &builtin, &builtin_err);
}

const vg_source_type *vg_source_type_find(const char *name, vg_error *err)
{
	size_t i;

	pthread_once(&builtin_once, load_builtin);
	if (builtin_rc) {
		vg_error_set(err, builtin_rc, "%s", builtin_err.msg);
		return NULL;
	}
	for (i = 0; i < builtin.n; i++)
		if (strcmp(builtin.v[i].name, name) == 0)
			return &builtin.v[i];
	vg_error_set(err, VG_ENOTFOUND, "unknown source type \"%s\" (types: %s)", name,
		     builtin.names);
	return NULL;
}

const char *vg_source_type_names(void)
{
	pthread_once(&builtin_once, load_builtin);
	return builtin.names;
}

size_t vg_source_type_paths(const vg_source_type *t, const char *field, char out[][VG_PATH_MAX],
			    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < t->nmap; i++) {
		if (strcmp(t->map_from[i], field) == 0) {
			snprintf(out[0], VG_PATH_MAX, "%s", t->map_to[i]);
			return 1;
		}
	}
	if (!t->nfield_prefixes) {
		snprintf(out[0], VG_PATH_MAX, "%s", field);
		return 1;
	}
	for (i = 0; i < t->nfield_prefixes && n < max; i++)
		snprintf(out[n++], VG_PATH_MAX, "%s%s", t->field_prefixes[i], field);
	return n;
}

static const vg_source_scope *find_scope(const vg_source_scope *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	return NULL;
}

bool vg_source_type_serves(const vg_source_type *t, const vg_rule *r,
			   const vg_sigma_map *gates[2], size_t *ngates)
{
	const vg_source_scope *s;
	size_t i;

	*ngates = 0;
	if (!t->nproducts && !t->nservices && !t->ncategories)
		return true;
	if (r->product) {
		for (i = 0; i < t->nproducts; i++)
			if (strcmp(t->products[i], r->product) == 0)
				break;
		if (i == t->nproducts)
			return false;
	}
	if (r->category) {
		s = find_scope(t->categories, t->ncategories, r->category);
		if (!s)
			return false;
		if (s->gate)
			gates[(*ngates)++] = s->gate;
	}
	if (r->service) {
		s = find_scope(t->services, t->nservices, r->service);
		if (!s)
			return false;
		if (s->gate)
			gates[(*ngates)++] = s->gate;
	}
	return r->product || r->category || r->service;
}

const vg_source_type *vg_source_type_for_rule(const vg_rule *r)
{
	const vg_sigma_map *gates[2];
	size_t i, ngates;

	pthread_once(&builtin_once, load_builtin);
	if (builtin_rc)
		return NULL;
	for (i = 0; i < builtin.n; i++) {
		const vg_source_type *t = &builtin.v[i];

		if ((t->nproducts || t->nservices || t->ncategories) &&
		    vg_source_type_serves(t, r, gates, &ngates))
			return t;
	}
	return NULL;
}
