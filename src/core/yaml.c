/*
 * yaml.c - YAML documents with Vigil's error messages.
 */
#include "core/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xalloc.h"

/*
 * The stream vg_yaml_each_document is reading on this thread, so that
 * vg_yaml_text can decode single-quoted scalars from their source text:
 * libfyaml 0.7.12's own decoding (fy_token_get_text) leaks memory on one
 * with several ''. Decoded texts live until the document is freed.
 */
typedef struct decoded_text {
	struct decoded_text *next;
	char text[];
} decoded_text;

typedef struct yaml_stream {
	const char *text;
	size_t len;
	decoded_text *decoded;
	struct yaml_stream *outer;       /* a stream read from inside fn */
} yaml_stream;

static __thread yaml_stream *current_stream;

static void decoded_free(yaml_stream *stream)
{
	while (stream->decoded) {
		decoded_text *next = stream->decoded->next;

		free(stream->decoded);
		stream->decoded = next;
	}
}

/* libfyaml writes diagnostics through this when it does not collect them;
 * callers report errors themselves, so nothing may reach stderr. */
static void diag_discard(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

struct fy_diag *vg_yaml_diag_new(void)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_discard;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	if (diag)
		fy_diag_set_collect_errors(diag, true);
	return diag;
}

int vg_yaml_diag_error(struct fy_diag *diag, const char *origin, vg_error *err)
{
	struct fy_diag_error *de;
	void *iter = NULL;

	while ((de = fy_diag_errors_iterate(diag, &iter)) != NULL) {
		if (de->type < FYET_ERROR || !de->msg)
			continue;
		return vg_error_set(err, VG_EINVAL, "%s:%d: invalid YAML: %s", origin,
				    de->line > 0 ? de->line : 1, de->msg);
	}
	return VG_OK;
}

int vg_yaml_check_text(const char *text, size_t len, const char *origin, vg_error *err)
{
	size_t bad = vg_utf8_unprintable_at(text, len);
	int line = 1;

	if (bad >= len)
		return VG_OK;
	for (size_t i = 0; i < bad; i++)
		line += text[i] == '\n';
	return vg_error_set(err, VG_EINVAL, "%s:%d: invalid YAML: not printable UTF-8 text", origin,
			    line);
}

/* The first alias (*name) in n, or NULL. Vigil's readers walk trees that
 * have them unresolved, so an alias would read as nothing; resolving them
 * instead would let a few lines of aliases of aliases grow without bound. */
static struct fy_node *first_alias(struct fy_node *n)
{
	struct fy_node_pair *p;
	struct fy_node *e, *hit = NULL;
	void *iter = NULL;

	if (!n)
		return NULL;
	if (fy_node_is_alias(n))
		return n;
	if (fy_node_is_sequence(n))
		while (!hit && (e = fy_node_sequence_iterate(n, &iter)) != NULL)
			hit = first_alias(e);
	else if (fy_node_is_mapping(n))
		while (!hit && (p = fy_node_mapping_iterate(n, &iter)) != NULL) {
			hit = first_alias(fy_node_pair_key(p));
			if (!hit)
				hit = first_alias(fy_node_pair_value(p));
		}
	return hit;
}

int vg_yaml_each_document(const char *text, size_t len, const char *origin, vg_yaml_doc_fn fn,
			  void *arg, vg_error *err)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 };
	yaml_stream stream = { .text = text, .len = len, .outer = current_stream };
	struct fy_parser *parser = NULL;
	struct fy_document *doc;
	struct fy_node *alias;
	int rc = vg_yaml_check_text(text, len, origin, err);

	if (rc)
		return rc;
	cfg.diag = vg_yaml_diag_new();
	if (!cfg.diag)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
	parser = fy_parser_create(&cfg);
	if (!parser || fy_parser_set_string(parser, text, len) != 0) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
		goto out;
	}
	current_stream = &stream;
	while ((doc = fy_parse_load_document(parser)) != NULL) {
		rc = vg_yaml_diag_error(cfg.diag, origin, err);
		alias = rc == VG_OK ? first_alias(fy_document_root(doc)) : NULL;
		if (alias)
			rc = vg_yaml_fail(err, origin, alias,
					  "YAML aliases (*%s) are not supported: write the value out",
					  fy_node_get_scalar0(alias) ? fy_node_get_scalar0(alias) : "");
		if (rc == VG_OK)
			rc = fn(arg, fy_document_root(doc), err);
		fy_parse_document_destroy(parser, doc);
		decoded_free(&stream);
		if (rc)
			goto out;
	}
	rc = vg_yaml_diag_error(cfg.diag, origin, err);
	if (rc == VG_OK && fy_parser_get_stream_error(parser))
		rc = vg_error_set(err, VG_EINVAL, "%s: invalid YAML", origin);
out:
	current_stream = stream.outer;
	fy_parser_destroy(parser);
	/* destroy, not unref: only destroy frees the collected errors. */
	fy_diag_destroy(cfg.diag);
	return rc;
}

int vg_yaml_line(struct fy_node *n)
{
	const struct fy_mark *m;
	struct fy_token *t;
	void *iter = NULL;

	if (!n)
		return 0;
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &iter);

		return p ? vg_yaml_line(fy_node_pair_key(p)) : 0;
	}
	if (fy_node_is_sequence(n))
		return vg_yaml_line(fy_node_sequence_iterate(n, &iter));
	t = fy_node_get_scalar_token(n);
	m = t ? fy_token_start_mark(t) : NULL;
	return m ? m->line + 1 : 0;
}

bool vg_yaml_is_plain(struct fy_node *n)
{
	return n && fy_node_is_scalar(n) && fy_node_get_style(n) == FYNS_PLAIN;
}

bool vg_yaml_is_null(struct fy_node *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t len, i;
	const char *s;

	if (!n)
		return true;
	if (!vg_yaml_is_plain(n))
		return false;
	s = vg_yaml_text(n, &len);
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strlen(nulls[i]) == len && memcmp(nulls[i], s, len) == 0)
			return true;
	return false;
}

size_t vg_yaml_single_quoted(const char *raw, size_t raw_len, char *out)
{
	size_t n = 0, i = 0;

	while (i < raw_len) {
		size_t blank_lines = 0;

		if (raw[i] == '\'') {
			out[n++] = '\'';
			i += i + 1 < raw_len && raw[i + 1] == '\'' ? 2 : 1;
			continue;
		}
		if (raw[i] != '\n' && raw[i] != '\r') {
			out[n++] = raw[i++];
			continue;
		}
		/* A line break folds: the white space around it goes, and it
		 * becomes a space, or the line breaks of the empty lines after
		 * it when there are some. */
		while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
			n--;
		for (;;) {
			i += raw[i] == '\r' && i + 1 < raw_len && raw[i + 1] == '\n' ? 2 : 1;
			while (i < raw_len && (raw[i] == ' ' || raw[i] == '\t'))
				i++;
			if (i >= raw_len || (raw[i] != '\n' && raw[i] != '\r'))
				break;
			blank_lines++;
		}
		if (blank_lines == 0)
			out[n++] = ' ';
		while (blank_lines-- > 0)
			out[n++] = '\n';
	}
	return n;
}

/* A single-quoted scalar's text decoded from the stream; NULL when it is
 * not one from the stream being read, or has nothing to decode. */
static const char *single_quoted_text(struct fy_token *t, size_t *len)
{
	const struct fy_mark *start = t ? fy_token_start_mark(t) : NULL;
	const struct fy_mark *end = t ? fy_token_end_mark(t) : NULL;
	yaml_stream *stream = current_stream;
	decoded_text *decoded;
	const char *raw;
	size_t raw_len;

	if (!stream || !start || !end || fy_token_scalar_style(t) != FYSS_SINGLE_QUOTED ||
	    start->input_pos > end->input_pos || end->input_pos > stream->len)
		return NULL;
	raw = stream->text + start->input_pos;
	raw_len = end->input_pos - start->input_pos;
	if (!memchr(raw, '\'', raw_len) && !memchr(raw, '\n', raw_len) &&
	    !memchr(raw, '\r', raw_len))
		return NULL;
	decoded = vg_xmalloc(sizeof(*decoded) + raw_len + 1);
	*len = vg_yaml_single_quoted(raw, raw_len, decoded->text);
	decoded->text[*len] = '\0';
	decoded->next = stream->decoded;
	stream->decoded = decoded;
	return decoded->text;
}

const char *vg_yaml_text(struct fy_node *n, size_t *len)
{
	const char *s = NULL;

	if (n && fy_node_is_scalar(n)) {
		s = single_quoted_text(fy_node_get_scalar_token(n), len);
		if (!s)
			s = fy_node_get_scalar(n, len);
	}
	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}

const char *vg_yaml_cstr(struct fy_node *n)
{
	const char *s = NULL;
	size_t len;

	if (n && fy_node_is_scalar(n)) {
		s = single_quoted_text(fy_node_get_scalar_token(n), &len);
		if (!s)
			s = fy_node_get_scalar0(n);
	}
	return s ? s : "";
}

char *vg_yaml_text_dup(struct fy_node *n)
{
	size_t len;
	const char *s = vg_yaml_text(n, &len);
	char *copy = vg_xmalloc(len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

bool vg_yaml_key_is(struct fy_node_pair *pair, const char *name)
{
	size_t len;
	const char *s = vg_yaml_text(fy_node_pair_key(pair), &len);

	return len == strlen(name) && memcmp(s, name, len) == 0;
}

int vg_yaml_fail(vg_error *err, const char *origin, struct fy_node *at, const char *fmt, ...)
{
	char msg[VG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_set(err, VG_EINVAL, "%s:%d: %s", origin, vg_yaml_line(at), msg);
}
