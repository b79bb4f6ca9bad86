/*
 * config.c - configuration from YAML and the environment, driven by a key
 * table (see config.h).
 *
 * Every source is applied in two steps: each value is parsed and checked
 * into a list of changes, and only when all of them are valid are the
 * changes stored into the caller's struct. That is what makes a bad file or
 * variable change nothing.
 *
 * YAML is read as libfyaml's event stream rather than as a document tree:
 * events carry the line of every node (a tree gives lines for scalars only)
 * and show a second document, anchors, aliases and tags as they come, so
 * each can be refused with the line it is on.
 */
#include "core/config.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "core/yaml.h"

/* A section name grows by at least two bytes a level ("a.b"), so no
 * mapping that names a section can nest deeper than this. */
#define WALK_DEPTH_MAX (VG_CONF_NAME_MAX / 2 + 1)

typedef struct change {
	const vg_conf_key *key;
	int64_t i;
	bool b;
	char *s; /* owned; NULL for an unset string */
} change;

/* Pending changes, at most one a key (a later one for the same key
 * replaces the earlier), so the list never outgrows the table. */
typedef struct changes {
	change *items;
	size_t len, cap;
} changes;

static void *field(void *cfg, const vg_conf_key *k)
{
	return (char *)cfg + k->offset;
}

static void changes_put(changes *list, const change *c)
{
	for (size_t i = 0; i < list->len; i++) {
		if (list->items[i].key == c->key) {
			free(list->items[i].s);
			list->items[i] = *c;
			return;
		}
	}
	if (list->len == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 16;
		list->items = vg_xrealloc(list->items, list->cap * sizeof(*list->items));
	}
	list->items[list->len++] = *c;
}

/* Stores every change into cfg; strings move into cfg, replacing (and
 * freeing) what was there. */
static void changes_commit(changes *list, void *cfg)
{
	for (size_t i = 0; i < list->len; i++) {
		change *c = &list->items[i];
		void *f = field(cfg, c->key);

		switch (c->key->type) {
		case VG_CONF_STRING:
			free(*(char **)f);
			*(char **)f = c->s;
			c->s = NULL;
			break;
		case VG_CONF_INT:
			*(int64_t *)f = c->i;
			break;
		case VG_CONF_BOOL:
			*(bool *)f = c->b;
			break;
		}
	}
}

static void changes_release(changes *list)
{
	for (size_t i = 0; i < list->len; i++)
		free(list->items[i].s);
	free(list->items);
	list->items = NULL;
	list->len = list->cap = 0;
}

static bool text_is(const char *text, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(text, word, len) == 0;
}

/* YAML 1.2 core schema null, as a plain scalar. */
static bool text_is_null(const char *text, size_t len)
{
	return len == 0 || text_is(text, len, "~") || text_is(text, len, "null") ||
	       text_is(text, len, "Null") || text_is(text, len, "NULL");
}

/* A decimal integer, [-+]?[0-9]+, that fits in int64_t. */
static bool int_parse(const char *text, size_t len, int64_t *out)
{
	const uint64_t limit_pos = INT64_MAX, limit_neg = (uint64_t)INT64_MAX + 1;
	bool neg = false;
	uint64_t v = 0;
	size_t i = 0;

	if (len && (text[0] == '-' || text[0] == '+'))
		neg = text[i++] == '-';
	if (i == len)
		return false;
	for (; i < len; i++) {
		unsigned d = (unsigned char)text[i] - '0';

		if (d > 9 || v > (limit_neg - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == limit_neg ? INT64_MIN : -(int64_t)v;
	else if (v > limit_pos)
		return false;
	else
		*out = (int64_t)v;
	return true;
}

/*
 * Parses text (len bytes; null when it is a YAML null) as a value of k into
 * *c. A null value is the key's default. VG_EINVAL, with *c holding
 * nothing to free, when the value is not valid for k; value_error says why.
 */
static int value_parse(const vg_conf_key *k, const char *text, size_t len, bool null, change *c)
{
	memset(c, 0, sizeof(*c));
	c->key = k;
	if (null) {
		if (!k->default_value)
			return k->type == VG_CONF_STRING ? VG_OK : VG_EINVAL;
		return value_parse(k, k->default_value, strlen(k->default_value), false, c);
	}
	switch (k->type) {
	case VG_CONF_STRING:
		/* Escapes such as "\x84" can make bytes that are not UTF-8. */
		if (vg_utf8_invalid_at(text, len, false) < len)
			return VG_EINVAL;
		c->s = vg_xmalloc(len + 1);
		memcpy(c->s, text, len);
		c->s[len] = '\0';
		return VG_OK;
	case VG_CONF_INT:
		if (!int_parse(text, len, &c->i) || c->i < k->min || c->i > k->max)
			return VG_EINVAL;
		return VG_OK;
	case VG_CONF_BOOL:
		if (text_is(text, len, "true"))
			c->b = true;
		else if (!text_is(text, len, "false"))
			return VG_EINVAL;
		return VG_OK;
	}
	return VG_EINVAL;
}

/* Sets err to "<where>: <what a valid value of k looks like>"; where is
 * formatted from fmt. Returns VG_EINVAL. */
static int value_error(vg_error *err, const vg_conf_key *k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int value_error(vg_error *err, const vg_conf_key *k, const char *fmt, ...)
{
	char where[VG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(where, sizeof(where), fmt, ap);
	va_end(ap);
	switch (k->type) {
	case VG_CONF_INT:
		return vg_error_set(err, VG_EINVAL, "%s: must be an integer from %lld to %lld",
				    where, (long long)k->min, (long long)k->max);
	case VG_CONF_BOOL:
		return vg_error_set(err, VG_EINVAL, "%s: must be true or false", where);
	case VG_CONF_STRING:
		break;
	}
	return vg_error_set(err, VG_EINVAL, "%s: must be UTF-8 text without NUL characters", where);
}

static const vg_conf_key *key_find(const vg_conf_key *keys, const char *name, size_t len)
{
	for (const vg_conf_key *k = keys; k->name; k++)
		if (text_is(name, len, k->name))
			return k;
	return NULL;
}

/* The first key under section name ("http" for "http.threads"), or NULL
 * when name is not a section. */
static const vg_conf_key *section_find(const vg_conf_key *keys, const char *name, size_t len)
{
	for (const vg_conf_key *k = keys; k->name; k++)
		if (strlen(k->name) > len && memcmp(k->name, name, len) == 0 && k->name[len] == '.')
			return k;
	return NULL;
}

int vg_conf_defaults(const vg_conf_key *keys, void *cfg, vg_error *err)
{
	changes list = { 0 };
	int rc = VG_OK;

	for (const vg_conf_key *k = keys; k->name; k++) {
		change c;

		if (value_parse(k, NULL, 0, true, &c)) {
			rc = value_error(err, k, "default of %s", k->name);
			goto out;
		}
		changes_put(&list, &c);
	}
	changes_commit(&list, cfg);
out:
	changes_release(&list);
	return rc;
}

int vg_conf_set(const vg_conf_key *keys, void *cfg, const char *name, const char *value,
		const char *origin, vg_error *err)
{
	const vg_conf_key *k = key_find(keys, name, strlen(name));
	size_t len = strlen(value);
	changes list = { 0 };
	change c;

	if (!k)
		return origin ? vg_error_set(err, VG_EINVAL, "%s: unknown key \"%s\"", origin, name)
			      : vg_error_set(err, VG_EINVAL, "unknown key \"%s\"", name);
	if (value_parse(k, value, len, text_is_null(value, len), &c))
		return origin ? value_error(err, k, "%s: %s", origin, k->name)
			      : value_error(err, k, "%s", k->name);
	changes_put(&list, &c);
	changes_commit(&list, cfg);
	changes_release(&list);
	return VG_OK;
}

/* State of one pass over a YAML event stream. */
typedef struct yaml_walk {
	const vg_conf_key *keys;
	const char *origin;
	vg_error *err;
	changes *out;
	char name[VG_CONF_NAME_MAX];     /* the current key's dotted name */
	size_t name_len;
	size_t prefix[WALK_DEPTH_MAX];   /* name length of each open mapping */
	int depth;                       /* open mappings; 0 before and after the root */
	bool want_key;                   /* the innermost mapping expects a key next */
	bool root_done;
	int documents;
	int key_line;                    /* 1-based line of the current key */
	/* Names used so far, each as the first table key at or under it and the
	 * name's length, so a repeated key or section is caught. Only names in
	 * the table get here, once each, so the list stays as small as it. */
	struct seen_name {
		const vg_conf_key *key;
		size_t len;
	} *seen;
	size_t nseen, seen_cap;
	const char *data;                /* the YAML text, for scalar_text */
	size_t data_len;
	char *scratch;                   /* the last single-quoted scalar, decoded */
	size_t scratch_cap;
} yaml_walk;

/* The 1-based line an event starts on; libfyaml gives no mark for an
 * empty scalar ("key:" with nothing after it), which is on the key's line. */
static int event_line(const yaml_walk *w, struct fy_event *e)
{
	const struct fy_mark *m = fy_event_start_mark(e);

	return m ? m->line + 1 : (w->key_line ? w->key_line : 1);
}

/*
 * A scalar's text (len bytes, valid until the next call); NULL when
 * libfyaml cannot produce it (out of memory). Single-quoted scalars are
 * decoded from the source by vg_yaml_single_quoted (see there why).
 */
static const char *scalar_text(yaml_walk *w, struct fy_token *t, size_t *len)
{
	const struct fy_mark *start = fy_token_start_mark(t), *end = fy_token_end_mark(t);
	size_t raw_len;

	if (fy_token_scalar_style(t) != FYSS_SINGLE_QUOTED || !start || !end ||
	    start->input_pos > end->input_pos || end->input_pos > w->data_len)
		return fy_token_get_text(t, len);
	raw_len = end->input_pos - start->input_pos;
	if (raw_len + 1 > w->scratch_cap) {
		w->scratch_cap = raw_len + 1;
		w->scratch = vg_xrealloc(w->scratch, w->scratch_cap);
	}
	*len = vg_yaml_single_quoted(w->data + start->input_pos, raw_len, w->scratch);
	return w->scratch;
}

/*
 * Configuration values are one line: a block scalar (| or >) or a quoted
 * or plain scalar folded over several lines is refused. No setting needs
 * more, and libfyaml 0.7.12 folds such scalars wrongly, dropping bytes and
 * leaking memory.
 */
static bool scalar_on_one_line(struct fy_token *t)
{
	const struct fy_mark *start = fy_token_start_mark(t), *end = fy_token_end_mark(t);

	return !start || !end || start->line == end->line;
}

/* Copies a key's text after the current mapping's prefix into w->name.
 * Bytes that cannot be in a table key (controls, NUL) become '?', so the
 * name prints safely in errors; false when it does not fit. */
static bool name_set(yaml_walk *w, const char *text, size_t len)
{
	size_t at = w->prefix[w->depth - 1];

	if (at)
		w->name[at++] = '.';
	if (len >= sizeof(w->name) - at) {
		len = sizeof(w->name) - at - 1;
		memcpy(w->name + at, text, len);
		w->name_len = at + len;
		w->name[w->name_len] = '\0';
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		w->name[at + i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	w->name_len = at + len;
	w->name[w->name_len] = '\0';
	return true;
}

/* Refuses anchors and tags on a node: config values are literal. The
 * error names the anchor's or tag's own line, which for a block mapping is
 * above the node's. */
static int check_plain_node(yaml_walk *w, struct fy_token *anchor, struct fy_token *tag,
			    int line, bool is_value)
{
	const char *what = anchor ? "anchors" : "tags";
	const struct fy_mark *m;

	if (!anchor && !tag)
		return VG_OK;
	m = fy_token_start_mark(anchor ? anchor : tag);
	if (m)
		line = m->line + 1;
	if (is_value)
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: %s: %s are not allowed", w->origin,
				    line, w->name, what);
	return vg_error_set(w->err, VG_EINVAL, "%s:%d: %s are not allowed", w->origin, line, what);
}

static int walk_key(yaml_walk *w, struct fy_event *e, int line)
{
	const vg_conf_key *k;
	const char *text;
	size_t len;
	int rc;

	if (e->type != FYET_SCALAR)
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: keys must be plain names",
				    w->origin, line);
	rc = check_plain_node(w, e->scalar.anchor, e->scalar.tag, line, false);
	if (rc)
		return rc;
	if (!scalar_on_one_line(e->scalar.value))
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: keys must be on one line",
				    w->origin, line);
	text = scalar_text(w, e->scalar.value, &len);
	if (!text)
		return vg_error_set(w->err, VG_ENOMEM, "out of memory reading %s", w->origin);
	if (!name_set(w, text, len))
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: unknown key \"%s...\"", w->origin,
				    line, w->name);
	k = key_find(w->keys, w->name, w->name_len);
	if (!k)
		k = section_find(w->keys, w->name, w->name_len);
	if (!k)
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: unknown key \"%s\"", w->origin,
				    line, w->name);
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i].key == k && w->seen[i].len == w->name_len)
			return vg_error_set(w->err, VG_EINVAL, "%s:%d: duplicate key \"%s\"",
					    w->origin, line, w->name);
	if (w->nseen == w->seen_cap) {
		w->seen_cap = w->seen_cap ? w->seen_cap * 2 : 16;
		w->seen = vg_xrealloc(w->seen, w->seen_cap * sizeof(*w->seen));
	}
	w->seen[w->nseen].key = k;
	w->seen[w->nseen].len = w->name_len;
	w->nseen++;
	w->key_line = line;
	w->want_key = false;
	return VG_OK;
}

static int walk_value(yaml_walk *w, struct fy_event *e, int line)
{
	const vg_conf_key *k = key_find(w->keys, w->name, w->name_len);
	const vg_conf_key *first = k ? NULL : section_find(w->keys, w->name, w->name_len);
	const char *text;
	change c;
	size_t len;
	bool null;
	int rc;

	switch (e->type) {
	case FYET_ALIAS:
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: %s: aliases are not allowed",
				    w->origin, line, w->name);
	case FYET_SEQUENCE_START:
		rc = check_plain_node(w, e->sequence_start.anchor, e->sequence_start.tag, line, true);
		if (rc)
			return rc;
		if (k)
			return vg_error_set(w->err, VG_EINVAL,
					    "%s:%d: %s: must be a single value, not a list",
					    w->origin, line, w->name);
		break;
	case FYET_MAPPING_START:
		rc = check_plain_node(w, e->mapping_start.anchor, e->mapping_start.tag, line, true);
		if (rc)
			return rc;
		if (k)
			return vg_error_set(w->err, VG_EINVAL,
					    "%s:%d: %s: must be a single value, not a mapping",
					    w->origin, line, w->name);
		if (w->depth == WALK_DEPTH_MAX)
			return vg_error_set(w->err, VG_EINVAL, "%s:%d: nested too deep",
					    w->origin, line);
		w->prefix[w->depth++] = w->name_len;
		w->want_key = true;
		return VG_OK;
	case FYET_SCALAR:
		rc = check_plain_node(w, e->scalar.anchor, e->scalar.tag, line, true);
		if (rc)
			return rc;
		if (!scalar_on_one_line(e->scalar.value))
			return vg_error_set(w->err, VG_EINVAL, "%s:%d: %s: must be on one line",
					    w->origin, line, w->name);
		text = scalar_text(w, e->scalar.value, &len);
		if (!text)
			return vg_error_set(w->err, VG_ENOMEM, "out of memory reading %s",
					    w->origin);
		null = fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN &&
		       text_is_null(text, len);
		if (k) {
			if (value_parse(k, text, len, null, &c))
				return value_error(w->err, k, "%s:%d: %s", w->origin, line,
						   w->name);
			changes_put(w->out, &c);
			w->want_key = true;
			return VG_OK;
		}
		/* "http:" with nothing under it (every key commented out) is fine. */
		if (null) {
			w->want_key = true;
			return VG_OK;
		}
		break;
	default:
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: unexpected YAML", w->origin, line);
	}
	return vg_error_set(w->err, VG_EINVAL, "%s:%d: %s: must be a mapping of keys such as %s",
			    w->origin, line, w->name, first->name);
}

static int walk_root(yaml_walk *w, struct fy_event *e, int line)
{
	const char *text;
	size_t len;
	int rc;

	if (w->root_done)
		return vg_error_set(w->err, VG_EINVAL, "%s:%d: unexpected YAML after the document",
				    w->origin, line);
	if (e->type == FYET_MAPPING_START) {
		rc = check_plain_node(w, e->mapping_start.anchor, e->mapping_start.tag, line, false);
		if (rc)
			return rc;
		w->prefix[0] = 0;
		w->depth = 1;
		w->want_key = true;
		return VG_OK;
	}
	/* A document of just "---" or "~" sets nothing, like an empty one. */
	if (e->type == FYET_SCALAR && !e->scalar.anchor && !e->scalar.tag &&
	    fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN &&
	    scalar_on_one_line(e->scalar.value)) {
		text = scalar_text(w, e->scalar.value, &len);
		if (text && text_is_null(text, len)) {
			w->root_done = true;
			return VG_OK;
		}
	}
	return vg_error_set(w->err, VG_EINVAL, "%s:%d: expected a mapping of configuration keys",
			    w->origin, line);
}

static int walk_event(yaml_walk *w, struct fy_event *e)
{
	int line = event_line(w, e);

	switch (e->type) {
	case FYET_STREAM_START:
	case FYET_STREAM_END:
	case FYET_DOCUMENT_END:
		return VG_OK;
	case FYET_DOCUMENT_START:
		if (++w->documents > 1)
			return vg_error_set(w->err, VG_EINVAL,
					    "%s:%d: only one YAML document is allowed", w->origin,
					    line);
		return VG_OK;
	case FYET_MAPPING_END:
		w->depth--;
		w->want_key = true;
		if (w->depth == 0)
			w->root_done = true;
		return VG_OK;
	default:
		break;
	}
	if (w->depth == 0)
		return walk_root(w, e, line);
	if (w->want_key)
		return walk_key(w, e, line);
	return walk_value(w, e, line);
}

int vg_conf_apply_yaml(const vg_conf_key *keys, void *cfg, const char *data, size_t len,
		       const char *origin, vg_error *err)
{
	struct fy_parse_cfg pcfg = { 0 };
	struct fy_parser *parser = NULL;
	struct fy_diag *diag = NULL;
	struct fy_event *e;
	changes list = { 0 };
	yaml_walk *w;
	int rc = VG_OK;

	if (len == 0)
		return VG_OK;
	rc = vg_yaml_check_text(data, len, origin, err);
	if (rc)
		return rc;
	w = vg_xcalloc(1, sizeof(*w));
	w->keys = keys;
	w->origin = origin;
	w->err = err;
	w->out = &list;
	w->data = data;
	w->data_len = len;
	diag = vg_yaml_diag_new();
	if (!diag) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
		goto out;
	}
	pcfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2;
	pcfg.diag = diag;
	parser = fy_parser_create(&pcfg);
	if (!parser || fy_parser_set_string(parser, data, len) != 0) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
		goto out;
	}
	while ((e = fy_parser_parse(parser)) != NULL) {
		rc = walk_event(w, e);
		fy_parser_event_free(parser, e);
		if (rc)
			goto out;
	}
	if (fy_parser_get_stream_error(parser) || fy_diag_got_error(diag)) {
		rc = vg_yaml_diag_error(diag, origin, err);
		if (!rc)
			rc = vg_error_set(err, VG_EINVAL, "%s: invalid YAML", origin);
		goto out;
	}
	changes_commit(&list, cfg);
out:
	changes_release(&list);
	fy_parser_destroy(parser);
	/* destroy, not unref: only destroy frees the collected errors. */
	fy_diag_destroy(diag);
	free(w->seen);
	free(w->scratch);
	free(w);
	return rc;
}

int vg_conf_apply_file(const vg_conf_key *keys, void *cfg, const char *path, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(VG_CONF_FILE_MAX);
	int rc = vg_file_read(path, VG_CONF_FILE_MAX, &text, err);

	if (rc == VG_ETOOBIG)
		err->code = rc = VG_EINVAL;
	if (!rc)
		rc = vg_conf_apply_yaml(keys, cfg, vg_buf_cstr(&text), text.len, path, err);
	vg_buf_release(&text);
	return rc;
}

/* True when name (len bytes) is key's variable: prefix, then the key's
 * name in upper case with dots as underscores. */
static bool env_name_is(const char *prefix, const char *key, const char *name, size_t len)
{
	size_t plen = strlen(prefix);

	if (len != plen + strlen(key) || memcmp(name, prefix, plen) != 0)
		return false;
	for (size_t i = 0; key[i]; i++) {
		char want = key[i] == '.' ? '_' : key[i];

		if (want >= 'a' && want <= 'z')
			want = (char)(want - 'a' + 'A');
		if (name[plen + i] != want)
			return false;
	}
	return true;
}

static bool listed(const char *const *names, const char *name, size_t len)
{
	for (; names && *names; names++)
		if (text_is(name, len, *names))
			return true;
	return false;
}

int vg_conf_apply_env(const vg_conf_key *keys, void *cfg, const char *prefix,
		      char *const *envp, const char *const *ignore, vg_error *err)
{
	size_t plen = strlen(prefix);
	changes list = { 0 };
	int rc = VG_OK;

	for (char *const *e = envp; *e; e++) {
		const char *eq = strchr(*e, '=');
		const vg_conf_key *k;
		size_t nlen, vlen;
		change c;

		if (!eq || strncmp(*e, prefix, plen) != 0)
			continue;
		nlen = (size_t)(eq - *e);
		if (listed(ignore, *e, nlen))
			continue;
		for (k = keys; k->name; k++)
			if (env_name_is(prefix, k->name, *e, nlen))
				break;
		if (!k->name) {
			rc = vg_error_set(err, VG_EINVAL, "%.*s: unknown configuration variable",
					  (int)nlen, *e);
			goto out;
		}
		vlen = strlen(eq + 1);
		if (value_parse(k, eq + 1, vlen, text_is_null(eq + 1, vlen), &c)) {
			rc = value_error(err, k, "%.*s", (int)nlen, *e);
			goto out;
		}
		changes_put(&list, &c);
	}
	changes_commit(&list, cfg);
out:
	changes_release(&list);
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

/* Appends text for a Markdown table cell: a '|' would end the cell. */
static int md_cell(vg_buf *out, const char *text)
{
	int rc = VG_OK;

	for (const char *p = text; *p && !rc; p++)
		rc = *p == '|' ? vg_buf_puts(out, "\\|") : vg_buf_append(out, p, 1);
	return rc;
}

int vg_conf_render_markdown(const vg_conf_key *keys, const char *env_prefix, vg_buf *out)
{
	int rc = vg_buf_puts(out, "| key | environment variable | type and range | default | "
				  "meaning |\n|---|---|---|---|---|\n");

	for (const vg_conf_key *k = keys; k->name && !rc; k++) {
		rc = vg_buf_printf(out, "| `%s` | `%s", k->name, env_prefix);
		for (const char *p = k->name; *p && !rc; p++) {
			char ch = *p == '.' ? '_' : *p;

			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			rc = vg_buf_append(out, &ch, 1);
		}
		if (!rc && k->type == VG_CONF_INT)
			rc = vg_buf_printf(out, "` | integer, %lld to %lld | ", (long long)k->min,
					   (long long)k->max);
		else if (!rc)
			rc = vg_buf_printf(out, "` | %s | ",
					   k->type == VG_CONF_BOOL ? "true or false" : "string");
		if (!rc && k->default_value) {
			rc = vg_buf_puts(out, "`");
			if (!rc)
				rc = md_cell(out, k->default_value);
			if (!rc)
				rc = vg_buf_puts(out, "`");
		} else if (!rc) {
			rc = vg_buf_puts(out, "none");
		}
		if (!rc)
			rc = vg_buf_puts(out, " | ");
		if (!rc)
			rc = md_cell(out, k->doc);
		if (!rc)
			rc = vg_buf_puts(out, " |\n");
	}
	return rc;
}

/* Appends s as a YAML double-quoted scalar. */
static int yaml_quote(vg_buf *out, const char *s)
{
	int rc = vg_buf_puts(out, "\"");

	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		if (*p == '"' || *p == '\\')
			rc = vg_buf_printf(out, "\\%c", *p);
		else if (*p == '\n')
			rc = vg_buf_puts(out, "\\n");
		else if (*p == '\t')
			rc = vg_buf_puts(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			rc = vg_buf_printf(out, "\\x%02x", *p);
		else
			rc = vg_buf_append(out, p, 1);
	}
	if (!rc)
		rc = vg_buf_puts(out, "\"");
	return rc;
}

int vg_conf_render_yaml(const vg_conf_key *keys, const void *cfg, vg_buf *out)
{
	int rc = VG_OK;

	for (const vg_conf_key *k = keys; k->name && !rc; k++) {
		const void *f = (const char *)cfg + k->offset;

		rc = vg_buf_printf(out, "%s: ", k->name);
		if (rc)
			break;
		switch (k->type) {
		case VG_CONF_STRING:
			rc = *(char *const *)f ? yaml_quote(out, *(char *const *)f)
					       : vg_buf_puts(out, "null");
			break;
		case VG_CONF_INT:
			rc = vg_buf_printf(out, "%lld", (long long)*(const int64_t *)f);
			break;
		case VG_CONF_BOOL:
			rc = vg_buf_puts(out, *(const bool *)f ? "true" : "false");
			break;
		}
		if (!rc)
			rc = vg_buf_puts(out, "\n");
	}
	return rc;
}
