/*
 * yaml.c - YAML documents with Vigil's error messages.
 */
#include "core/yaml.h"

#include <string.h>

/* libfyaml writes diagnostics through this when it does not collect them;
 * callers report errors themselves, so nothing may reach stderr. */
static void diag_discard(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

/* The first error libfyaml collected as "origin:LINE: invalid YAML: ...";
 * VG_OK when it collected none. */
static int syntax_error(struct fy_diag *diag, const char *origin, vg_error *err)
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

int vg_yaml_each_document(const char *text, size_t len, const char *origin, vg_yaml_doc_fn fn,
			  void *arg, vg_error *err)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 };
	struct fy_parser *parser = NULL;
	struct fy_document *doc;
	struct fy_diag_cfg dcfg;
	int rc = VG_OK;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_discard;
	dcfg.colorize = false;
	cfg.diag = fy_diag_create(&dcfg);
	if (!cfg.diag)
		return vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
	fy_diag_set_collect_errors(cfg.diag, true);
	parser = fy_parser_create(&cfg);
	if (!parser || fy_parser_set_string(parser, text, len) != 0) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory reading %s", origin);
		goto out;
	}
	while ((doc = fy_parse_load_document(parser)) != NULL) {
		rc = syntax_error(cfg.diag, origin, err);
		if (rc == VG_OK)
			rc = fn(arg, fy_document_root(doc), err);
		fy_parse_document_destroy(parser, doc);
		if (rc)
			goto out;
	}
	rc = syntax_error(cfg.diag, origin, err);
	if (rc == VG_OK && fy_parser_get_stream_error(parser))
		rc = vg_error_set(err, VG_EINVAL, "%s: invalid YAML", origin);
out:
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

const char *vg_yaml_text(struct fy_node *n, size_t *len)
{
	const char *s = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, len) : NULL;

	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}
