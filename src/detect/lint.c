/* lint.c - rules checked and tried outside the pipeline (see lint.h). */
#include "detect/lint.h"

#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/file.h"

#define RULE_SOURCE_MAX (4u << 20)
#define BUILTIN_PREFIX "content/rules/"

int vg_rules_compile_check(const vg_ruleset *set, vg_error *err)
{
	vg_engine_options opts = { .placeholders_unknown_ok = true };
	vg_engine *e = NULL;
	int rc = vg_engine_new(set, NULL, &opts, &e, err);

	vg_engine_free(e);
	return rc;
}

int vg_rules_lint(vg_ruleset *set, const char *text, size_t len, const char *origin,
		  vg_error *err)
{
	vg_ruleset one = { 0 };
	size_t i;
	int rc = vg_rules_load(&one, text, len, origin, err);

	if (rc == VG_OK)
		rc = vg_rules_compile_check(&one, err);
	if (rc) {
		vg_ruleset_release(&one);
		return rc;
	}
	for (i = 0; i < one.n; i++)
		vg_ruleset_push(set, one.rules[i]);
	free(one.rules);
	return VG_OK;
}

int vg_engine_new_one(const vg_rule *r, const vg_source_type *type, vg_engine **out,
		      vg_error *err)
{
	vg_rule *one[1] = { (vg_rule *)r };
	vg_ruleset set = { .rules = one, .n = 1, .cap = 1 };

	return vg_engine_new(&set, type, NULL, out, err);
}

int vg_rules_try(const vg_rule *const *rules, size_t n, const vg_source_type *type,
		 const char *json, size_t len, const vg_rule **matched, size_t *nmatched,
		 vg_error *err)
{
	/* A set that borrows the rules: never released. */
	vg_ruleset set = { .rules = (vg_rule **)rules, .n = n, .cap = n };
	vg_engine_options opts = { .placeholders_unknown_ok = true };
	const vg_rule *const *hit = NULL;
	vg_engine *e = NULL;
	vg_matcher *m = NULL;
	size_t nhit = 0, i;
	int rc;

	*nmatched = 0;
	rc = vg_engine_new(&set, type, &opts, &e, err);
	if (rc == VG_OK)
		rc = vg_matcher_new(e, &m, err);
	if (rc == VG_OK)
		rc = vg_matcher_run(m, json, len, &hit, &nhit, err);
	for (i = 0; rc == VG_OK && i < nhit && i < n; i++)
		matched[(*nmatched)++] = hit[i];
	vg_matcher_free(m);
	vg_engine_free(e);
	return rc;
}

int vg_rule_error_line(const char *msg, const char *origin, const char **message)
{
	size_t olen = strlen(origin);
	const char *s = msg + olen + 1;
	int line = 0;

	*message = msg;
	if (strncmp(msg, origin, olen) != 0 || msg[olen] != ':' || *s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9' && line < 100000000)
		line = line * 10 + (*s++ - '0');
	if (*s != ':')
		return 0;
	s++;
	while (*s == ' ')
		s++;
	*message = s;
	return line;
}

static bool is_doc_marker(const char *line, const char *end)
{
	return end - line >= 3 && (memcmp(line, "---", 3) == 0 || memcmp(line, "...", 3) == 0) &&
	       (end - line == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

/* The lines of text's document holding line `at` (1-based): from after
 * the marker before it through the line before the next marker. */
static int append_document(const char *text, int at, vg_buf *out)
{
	const char *p = text, *start = text, *stop = NULL;
	int line = 1;

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);

		if (is_doc_marker(p, end)) {
			if (line < at) {
				start = nl ? nl + 1 : end;
			} else if (line > at) {
				stop = p;
				break;
			}
		}
		p = nl ? nl + 1 : end;
		line++;
	}
	if (!stop)
		stop = text + strlen(text);
	return vg_buf_append(out, start, stop > start ? (size_t)(stop - start) : 0);
}

int vg_rule_source(const vg_rule *r, vg_buf *out, vg_error *err)
{
	const size_t plen = sizeof(BUILTIN_PREFIX) - 1;
	const vg_embedded_file *f;
	const char *from = NULL;
	vg_buf text = VG_BUF_INIT(RULE_SOURCE_MAX);
	int rc = VG_OK;

	if (strncmp(r->origin, BUILTIN_PREFIX, plen) == 0)
		for (f = vg__rules_files; f->path && !from; f++)
			if (strcmp(f->path, r->origin + plen) == 0)
				from = f->text;
	if (!from) {
		rc = vg_file_read(r->origin, RULE_SOURCE_MAX, &text, err);
		from = vg_buf_cstr(&text);
	}
	if (rc == VG_OK && append_document(from, r->line, out) != VG_OK)
		rc = vg_error_set(err, VG_ENOMEM, "%s: out of memory reading the rule", r->origin);
	vg_buf_release(&text);
	return rc;
}
