/*
 * config.c - configuration from YAML and the environment, driven by a key
 * table (see config.h).
 *
 * Every source is applied in two steps: first every value is parsed and
 * checked into a list of pending settings, then, only if all were valid,
 * the settings are stored. That is what makes a bad file change nothing.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONF_NAME_MAX 128
#define CONF_MAX_SETTINGS 256
#define CONF_FILE_MAX (1024 * 1024)

typedef struct pending {
	const vg_conf_key *key;
	bool is_null;
	int64_t i;
	bool b;
	char *s;
} pending;

typedef struct pending_list {
	pending items[CONF_MAX_SETTINGS];
	int n;
} pending_list;

static const vg_conf_key *find_key(const vg_conf_key *keys, const char *name)
{
	for (const vg_conf_key *k = keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static void *field(void *cfg, const vg_conf_key *k)
{
	return (char *)cfg + k->offset;
}

static bool is_null_scalar(const char *v)
{
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

/* Parses value for key into p; origin names where it came from in errors. */
static int parse_value(const vg_conf_key *k, const char *value, const char *origin,
		       pending *p, vg_error *err)
{
	memset(p, 0, sizeof(*p));
	p->key = k;
	switch (k->type) {
	case VG_CONF_STRING:
		if (is_null_scalar(value)) {
			p->is_null = true;
			return VG_OK;
		}
		p->s = strdup(value);
		if (!p->s)
			return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
		return VG_OK;
	case VG_CONF_INT: {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(value, &end, 10);
		if (!*value || isspace((unsigned char)*value) || *end || errno || v < k->min ||
		    v > k->max)
			return vg_error_set(err, VG_EINVAL,
					    "%s: %s: must be an integer from %lld to %lld, not \"%s\"",
					    origin, k->name, (long long)k->min, (long long)k->max,
					    value);
		p->i = v;
		return VG_OK;
	}
	case VG_CONF_BOOL:
		if (strcmp(value, "true") == 0) {
			p->b = true;
		} else if (strcmp(value, "false") == 0) {
			p->b = false;
		} else {
			return vg_error_set(err, VG_EINVAL, "%s: %s: must be true or false, not \"%s\"",
					    origin, k->name, value);
		}
		return VG_OK;
	}
	return vg_error_set(err, VG_EINVAL, "%s: %s: unsupported type", origin, k->name);
}

static void pending_release(pending_list *list)
{
	for (int i = 0; i < list->n; i++)
		free(list->items[i].s);
	list->n = 0;
}

/* Stores every pending setting into cfg, taking ownership of strings. */
static void pending_apply(pending_list *list, void *cfg)
{
	for (int i = 0; i < list->n; i++) {
		pending *p = &list->items[i];
		void *f = field(cfg, p->key);

		switch (p->key->type) {
		case VG_CONF_STRING:
			free(*(char **)f);
			*(char **)f = p->is_null ? NULL : p->s;
			p->s = NULL;
			break;
		case VG_CONF_INT:
			*(int64_t *)f = p->i;
			break;
		case VG_CONF_BOOL:
			*(bool *)f = p->b;
			break;
		}
	}
	list->n = 0;
}

static int pending_add(pending_list *list, const vg_conf_key *keys, const char *name,
		       const char *value, const char *origin, vg_error *err)
{
	const vg_conf_key *k = find_key(keys, name);

	if (!k)
		return vg_error_set(err, VG_EINVAL, "%s: unknown key \"%s\"", origin, name);
	if (list->n == CONF_MAX_SETTINGS)
		return vg_error_set(err, VG_EINVAL, "%s: too many settings", origin);
	for (int i = 0; i < list->n; i++)
		if (list->items[i].key == k)
			return vg_error_set(err, VG_EINVAL, "%s: %s: set twice", origin, name);
	if (parse_value(k, value, origin, &list->items[list->n], err))
		return err ? err->code : VG_EINVAL;
	list->n++;
	return VG_OK;
}

int vg_conf_defaults(const vg_conf_key *keys, void *cfg, vg_error *err)
{
	pending_list *list = calloc(1, sizeof(*list));
	int rc = VG_OK;

	if (!list)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
	for (const vg_conf_key *k = keys; k->name && !rc; k++)
		rc = pending_add(list, keys, k->name, k->default_value ? k->default_value : "~",
				 "default", err);
	if (!rc)
		pending_apply(list, cfg);
	pending_release(list);
	free(list);
	return rc;
}

int vg_conf_set(const vg_conf_key *keys, void *cfg, const char *name, const char *value,
		const char *origin, vg_error *err)
{
	pending_list *list = calloc(1, sizeof(*list));
	int rc;

	if (!list)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
	rc = pending_add(list, keys, name, value, origin, err);
	if (!rc)
		pending_apply(list, cfg);
	pending_release(list);
	free(list);
	return rc;
}

/* The 1-based line of a node, or 0 when libfyaml cannot tell. */
static int node_line(struct fy_node *n)
{
	struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

	return m ? m->line + 1 : 0;
}

static int walk_mapping(struct fy_node *map, const char *prefix, const vg_conf_key *keys,
			const char *origin, pending_list *list, vg_error *err)
{
	struct fy_node_pair *pair;
	void *iter = NULL;

	while ((pair = fy_node_mapping_iterate(map, &iter)) != NULL) {
		struct fy_node *key = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		int line = node_line(key);
		char where[CONF_NAME_MAX + 64];
		char name[CONF_NAME_MAX];
		const char *text;
		size_t len;
		int n;

		text = key && fy_node_is_scalar(key) && !fy_node_is_alias(key)
			       ? fy_node_get_scalar(key, &len)
			       : NULL;
		if (!text || len == 0 || memchr(text, '\0', len))
			return vg_error_set(err, VG_EINVAL, "%s:%d: keys must be plain names",
					    origin, line);
		n = prefix ? snprintf(name, sizeof(name), "%s.%.*s", prefix, (int)len, text)
			   : snprintf(name, sizeof(name), "%.*s", (int)len, text);
		if (n < 0 || n >= (int)sizeof(name))
			return vg_error_set(err, VG_EINVAL, "%s:%d: key too long", origin, line);
		snprintf(where, sizeof(where), "%s:%d", origin, line);
		if (value && (fy_node_get_tag(value, &len) || fy_node_is_alias(value) ||
			      fy_node_get_anchor(value)))
			return vg_error_set(err, VG_EINVAL,
					    "%s: %s: tags, anchors and aliases are not allowed",
					    where, name);
		if (value && fy_node_is_mapping(value)) {
			if (find_key(keys, name))
				return vg_error_set(err, VG_EINVAL, "%s: %s: expected a value, not a mapping",
						    where, name);
			if (walk_mapping(value, name, keys, origin, list, err))
				return err ? err->code : VG_EINVAL;
			continue;
		}
		if (value && fy_node_is_sequence(value))
			return vg_error_set(err, VG_EINVAL, "%s: %s: lists are not allowed here",
					    where, name);
		text = value ? fy_node_get_scalar(value, &len) : "";
		if (!text)
			text = "";
		else if (memchr(text, '\0', len))
			return vg_error_set(err, VG_EINVAL, "%s: %s: value contains a NUL byte", where,
					    name);
		{
			char *copy = strndup(text, value ? len : 0);
			int rc;

			if (!copy)
				return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
			rc = pending_add(list, keys, name, copy, where, err);
			free(copy);
			if (rc)
				return rc;
		}
	}
	return VG_OK;
}

/* The first diagnostic libfyaml reports, captured instead of printed. */
typedef struct yaml_diag {
	char text[256];
	bool seen;
} yaml_diag;

static void diag_capture(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	yaml_diag *d = user;

	(void)diag;
	if (d->seen || len == 0)
		return;
	d->seen = true;
	snprintf(d->text, sizeof(d->text), "%.*s", (int)len, buf);
}

/*
 * Turns libfyaml's "<source>:LINE:COL: error: MESSAGE" into
 * "origin:LINE: invalid YAML: MESSAGE".
 */
static int yaml_syntax_error(const yaml_diag *d, const char *origin, vg_error *err)
{
	const char *msg = strstr(d->text, ": error: ");
	const char *pos = strrchr(d->text, '>');
	int line = 0, col = 0;
	size_t len;

	if (!msg || !pos || sscanf(pos + 1, ":%d:%d:", &line, &col) != 2)
		return vg_error_set(err, VG_EINVAL, "%s: invalid YAML", origin);
	msg += strlen(": error: ");
	len = strcspn(msg, "\n");
	return vg_error_set(err, VG_EINVAL, "%s:%d: invalid YAML: %.*s", origin, line, (int)len,
			    msg);
}

/* True when data holds only blank lines and comments (libfyaml reports
 * such a stream as a failed load rather than an empty document). */
static bool yaml_is_blank(const char *data, size_t len)
{
	bool in_comment = false;

	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			in_comment = false;
		else if (data[i] == '#')
			in_comment = true;
		else if (!in_comment && !isspace((unsigned char)data[i]))
			return false;
	}
	return true;
}

int vg_conf_apply_yaml(const vg_conf_key *keys, void *cfg, const char *data, size_t len,
		       const char *origin, vg_error *err)
{
	struct fy_parse_cfg pcfg = { 0 };
	struct fy_document *doc = NULL;
	yaml_diag captured = { .seen = false };
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;
	pending_list *list;
	struct fy_node *root;
	int rc = VG_OK;

	if (yaml_is_blank(data, len))
		return VG_OK;
	list = calloc(1, sizeof(*list));
	if (!list)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_capture;
	dcfg.user = &captured;
	dcfg.colorize = false;
	dcfg.show_source = false;
	diag = fy_diag_create(&dcfg);
	if (!diag) {
		free(list);
		return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
	}
	/* Duplicate keys are let through the parser so that pending_add reports
	 * them with the line of the second occurrence. */
	pcfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_ALLOW_DUPLICATE_KEYS;
	pcfg.diag = diag;
	doc = fy_document_build_from_string(&pcfg, data, len);
	if (captured.seen || fy_diag_got_error(diag)) {
		rc = yaml_syntax_error(&captured, origin, err);
		goto out;
	}
	root = doc ? fy_document_root(doc) : NULL;
	if (!root || (fy_node_is_scalar(root) && is_null_scalar(fy_node_get_scalar0(root))))
		goto out;
	if (!fy_node_is_mapping(root)) {
		rc = vg_error_set(err, VG_EINVAL, "%s:%d: expected a mapping of settings", origin,
				  node_line(root) ? node_line(root) : 1);
		goto out;
	}
	rc = walk_mapping(root, NULL, keys, origin, list, err);
	if (!rc)
		pending_apply(list, cfg);
out:
	pending_release(list);
	free(list);
	fy_document_destroy(doc);
	fy_diag_unref(diag);
	return rc;
}

int vg_conf_apply_file(const vg_conf_key *keys, void *cfg, const char *path, vg_error *err)
{
	const char *origin = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	vg_buf text = VG_BUF_INIT(CONF_FILE_MAX);
	char chunk[4096];
	size_t n;
	FILE *f;
	int rc = VG_OK;

	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return vg_error_set(err, VG_ENOTFOUND, "%s does not exist", path);
		return vg_error_set(err, VG_EIO, "cannot read %s: %s", path, strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !rc)
		rc = vg_buf_append(&text, chunk, n);
	if (rc == VG_ETOOBIG)
		vg_error_set(err, VG_EINVAL, "%s: larger than %d bytes", origin, CONF_FILE_MAX);
	else if (!rc && ferror(f))
		rc = vg_error_set(err, VG_EIO, "cannot read %s: %s", path, strerror(errno));
	else if (rc)
		vg_error_set(err, rc, "out of memory reading %s", path);
	fclose(f);
	if (rc == VG_ETOOBIG)
		rc = VG_EINVAL;
	if (!rc)
		rc = vg_conf_apply_yaml(keys, cfg, vg_buf_cstr(&text), text.len, origin, err);
	vg_buf_release(&text);
	return rc;
}

/* "http.max_body_bytes" -> "VIGIL_HTTP_MAX_BODY_BYTES" */
static void env_name(const char *prefix, const char *key, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "%s", prefix);

	for (; *key && n + 1 < size; key++)
		out[n++] = *key == '.' ? '_' : (char)toupper((unsigned char)*key);
	out[n] = '\0';
}

static bool listed(const char *const *names, const char *name, size_t len)
{
	for (; names && *names; names++)
		if (strlen(*names) == len && memcmp(*names, name, len) == 0)
			return true;
	return false;
}

int vg_conf_apply_env(const vg_conf_key *keys, void *cfg, const char *prefix,
		      char *const *envp, const char *const *ignore, vg_error *err)
{
	size_t plen = strlen(prefix);
	pending_list *list;
	int rc = VG_OK;

	list = calloc(1, sizeof(*list));
	if (!list)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading configuration");
	for (char *const *e = envp; *e && !rc; e++) {
		const char *eq = strchr(*e, '=');
		const vg_conf_key *k;
		size_t nlen;

		if (!eq || strncmp(*e, prefix, plen) != 0)
			continue;
		nlen = (size_t)(eq - *e);
		if (listed(ignore, *e, nlen))
			continue;
		for (k = keys; k->name; k++) {
			char name[CONF_NAME_MAX];

			env_name(prefix, k->name, name, sizeof(name));
			if (strlen(name) == nlen && memcmp(name, *e, nlen) == 0)
				break;
		}
		if (!k->name) {
			rc = vg_error_set(err, VG_EINVAL, "%.*s: unknown configuration variable",
					  (int)nlen, *e);
			break;
		}
		{
			char origin[CONF_NAME_MAX];

			snprintf(origin, sizeof(origin), "%.*s", (int)nlen, *e);
			rc = pending_add(list, keys, k->name, eq + 1, origin, err);
		}
	}
	if (!rc)
		pending_apply(list, cfg);
	pending_release(list);
	free(list);
	return rc;
}

void vg_conf_release(const vg_conf_key *keys, void *cfg)
{
	for (const vg_conf_key *k = keys; k->name; k++) {
		if (k->type == VG_CONF_STRING) {
			free(*(char **)field(cfg, k));
			*(char **)field(cfg, k) = NULL;
		}
	}
}

int vg_conf_render_markdown(const vg_conf_key *keys, const char *env_prefix, vg_buf *out)
{
	int rc = vg_buf_puts(out, "| key | environment variable | type | default | meaning |\n"
				  "|---|---|---|---|---|\n");

	for (const vg_conf_key *k = keys; k->name && !rc; k++) {
		char env[CONF_NAME_MAX];
		char type[64];

		env_name(env_prefix, k->name, env, sizeof(env));
		if (k->type == VG_CONF_INT)
			snprintf(type, sizeof(type), "integer %lld–%lld", (long long)k->min,
				 (long long)k->max);
		else
			snprintf(type, sizeof(type), "%s", k->type == VG_CONF_BOOL ? "boolean" : "string");
		rc = vg_buf_printf(out, "| `%s` | `%s` | %s | %s%s%s | %s |\n", k->name, env, type,
				   k->default_value ? "`" : "",
				   k->default_value ? k->default_value : "(none)",
				   k->default_value ? "`" : "", k->doc);
	}
	return rc;
}
