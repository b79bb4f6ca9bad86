/*
 * rules_test.c - `vigil rules test PATH...`: the sample events attached to
 * rules, and SigmaHQ regression cases.
 *
 * A rule's own samples (tests: {match: [...], no_match: [...]}) are run on
 * the rule alone, with its field names as paths. A regression case is a
 * directory with an info.yml naming the rule (rule_metadata[].id) and its
 * tests (regression_tests_info[]: path of the .evtx, match_count); the
 * events are the .json beside the .evtx, read with the source type that
 * serves the rule's log source, and the rule must match exactly
 * match_count of them (at least one when the case gives no count).
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "detect/engine.h"
#include "detect/lint.h"
#include "detect/rule.h"
#include "detect/source.h"
#include "ingest/feed.h"

/* Regression events are small; a case's JSON is refused past this. */
#define EVENTS_FILE_MAX (64u << 20)

typedef struct tally {
	size_t passed, failed, skipped;
} tally;

static void report(tally *t, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(tally *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "PASS " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	if (ok)
		t->passed++;
	else
		t->failed++;
}

static void run_samples(const vg_rule *r, tally *t)
{
	vg_engine *e = NULL;
	vg_matcher *m = NULL;
	vg_error err = { 0 };
	size_t i;

	if (vg_engine_new_one(r, NULL, &e, &err) || vg_matcher_new(e, &m, &err)) {
		report(t, false, "%s:%d: %s", r->origin, r->line, err.msg);
		goto out;
	}
	for (i = 0; i < r->nsamples; i++) {
		const vg_rule_sample *s = &r->samples[i];
		const vg_rule *const *matched;
		size_t n;

		if (vg_matcher_run(m, s->json, strlen(s->json), &matched, &n, &err)) {
			report(t, false, "%s:%d: %s: sample is not a JSON object: %s", r->origin,
			       s->line, r->title, err.msg);
			continue;
		}
		report(t, (n > 0) == s->match, "%s:%d: %s: sample %s", r->origin, s->line, r->title,
		       s->match ? (n ? "matches" : "does not match, but should")
				: (n ? "matches, but should not" : "does not match"));
	}
out:
	vg_matcher_free(m);
	vg_engine_free(e);
}

/* ---- SigmaHQ regression cases -------------------------------------- */

typedef struct count_state {
	vg_matcher *m;
	size_t matches;
} count_state;

static int count_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		       vg_error *err)
{
	count_state *cs = arg;
	const vg_rule *const *matched;
	size_t n;
	int rc;

	(void)json;
	(void)len;
	rc = vg_matcher_match(cs->m, fields, &matched, &n, err);
	cs->matches += n;
	return rc;
}

static void count_reject(void *arg, const vg_reject *rej)
{
	(void)arg;
	fprintf(stderr, "vigil: rejected: %s\n", rej->msg);
}

/* Matches of r over the events of a JSON file. */
static int count_matches(const vg_rule *r, const char *events_path, size_t *count,
			 const char **type_name, vg_error *err)
{
	const vg_source_type *type = vg_source_type_for_rule(r);
	vg_feed_options fopts = { .now_ms = vg_time_now_ms() };
	count_state cs = { 0 };
	vg_feed_sink sink = { count_event, count_reject, &cs };
	vg_engine *e = NULL;
	vg_feed *feed = NULL;
	vg_buf text = VG_BUF_INIT(EVENTS_FILE_MAX);
	int rc;

	*type_name = type ? type->name : "json";
	rc = vg_engine_new_one(r, type, &e, err);
	if (rc == VG_OK)
		rc = vg_matcher_new(e, &cs.m, err);
	if (rc == VG_OK)
		rc = vg_file_read(events_path, EVENTS_FILE_MAX, &text, err);
	if (rc == VG_OK) {
		if (!type)
			type = vg_source_type_find("json", err);
		feed = vg_feed_new(type, vg_engine_fieldset(e), &fopts);
		rc = vg_feed_push(feed, vg_buf_cstr(&text), text.len, true, &sink, err);
	}
	*count = cs.matches;
	vg_buf_release(&text);
	vg_feed_free(feed);
	vg_matcher_free(cs.m);
	vg_engine_free(e);
	return rc;
}

typedef struct regression {
	char *rule_id;
	struct {
		char *path;
		long match_count; /* -1: not given */
		int line;
	} tests[8];
	int ntests;
} regression;

static int read_info(void *arg, struct fy_node *root, vg_error *err)
{
	regression *rg = arg;
	struct fy_node *meta, *tests, *e;
	void *iter = NULL;

	(void)err;
	if (!root || !fy_node_is_mapping(root))
		return VG_OK;
	meta = fy_node_by_path(root, "/rule_metadata/0/id", FY_NT, FYNWF_DONT_FOLLOW);
	if (meta && !rg->rule_id)
		rg->rule_id = vg_yaml_text_dup(meta);
	tests = fy_node_mapping_lookup_by_string(root, "regression_tests_info", FY_NT);
	if (!tests || !fy_node_is_sequence(tests))
		return VG_OK;
	while ((e = fy_node_sequence_iterate(tests, &iter)) != NULL && rg->ntests < 8) {
		struct fy_node *path = fy_node_mapping_lookup_by_string(e, "path", FY_NT);
		struct fy_node *count = fy_node_mapping_lookup_by_string(e, "match_count", FY_NT);

		if (!path)
			continue;
		rg->tests[rg->ntests].path = vg_yaml_text_dup(path);
		rg->tests[rg->ntests].match_count = count ? strtol(vg_yaml_text(count, NULL), NULL, 10)
							  : -1;
		rg->tests[rg->ntests].line = vg_yaml_line(e);
		rg->ntests++;
	}
	return VG_OK;
}

/* The .json beside the test's .evtx, in the info.yml's directory. */
static void events_path(const char *info, const char *test_path, char *out, size_t n)
{
	const char *slash = strrchr(info, '/'), *base = strrchr(test_path, '/'), *dot;
	int dir_len = slash ? (int)(slash - info) : 1;

	base = base ? base + 1 : test_path;
	dot = strrchr(base, '.');
	snprintf(out, n, "%.*s/%.*s.json", dir_len, slash ? info : ".",
		 dot ? (int)(dot - base) : (int)strlen(base), base);
}

static void run_regression(const vg_ruleset *set, const char *info, tally *t)
{
	regression rg = { 0 };
	const vg_rule *r;
	vg_error err = { 0 };
	vg_buf text = VG_BUF_INIT(1u << 20);
	int i;

	if (vg_file_read(info, text.max, &text, &err) ||
	    vg_yaml_each_document(vg_buf_cstr(&text), text.len, info, read_info, &rg, &err)) {
		report(t, false, "%s: %s", info, err.msg);
		goto out;
	}
	if (!rg.rule_id || rg.ntests == 0) {
		printf("SKIP %s: no regression tests (no rule_metadata id or "
		       "regression_tests_info)\n",
		       info);
		t->skipped++;
		goto out;
	}
	r = vg_ruleset_find(set, rg.rule_id);
	if (!r) {
		report(t, false, "%s: rule %s is not among the rules loaded", info, rg.rule_id);
		goto out;
	}
	for (i = 0; i < rg.ntests; i++) {
		const char *type_name;
		char path[4096];
		size_t count;

		events_path(info, rg.tests[i].path, path, sizeof(path));
		if (count_matches(r, path, &count, &type_name, &err)) {
			report(t, false, "%s:%d: %s: %s", info, rg.tests[i].line, r->title, err.msg);
			continue;
		}
		if (rg.tests[i].match_count >= 0)
			report(t, (long)count == rg.tests[i].match_count,
			       "%s:%d: %s (%s): %zu matches, expected %ld", info, rg.tests[i].line,
			       r->title, type_name, count, rg.tests[i].match_count);
		else
			report(t, count > 0, "%s:%d: %s (%s): %zu matches, expected at least 1", info,
			       rg.tests[i].line, r->title, type_name, count);
	}
out:
	vg_buf_release(&text);
	free(rg.rule_id);
	for (i = 0; i < rg.ntests; i++)
		free(rg.tests[i].path);
}

static bool is_info(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, "info.yml") == 0;
}

int cmd_rules_test(const char *const *paths, int npaths)
{
	vg_ruleset set = { 0 };
	vg_rule_files cases = { 0 };
	vg_error err = { 0 };
	tally t = { 0 };
	size_t i, k;
	int p;

	for (p = 0; p < npaths; p++) {
		vg_rule_files list = { 0 };

		if (vg_rule_files_list(paths[p], &list, &err)) {
			report(&t, false, "%s", err.msg);
			continue;
		}
		for (i = 0; i < list.n; i++) {
			if (is_info(list.paths[i])) {
				cases.paths = vg_xrealloc(cases.paths, (cases.n + 1) * sizeof(char *));
				cases.paths[cases.n++] = list.paths[i];
				list.paths[i] = NULL;
			} else if (vg_rules_load_file(&set, list.paths[i], &err)) {
				report(&t, false, "%s", err.msg);
			}
		}
		vg_rule_files_release(&list);
	}
	for (k = 0; k < set.n; k++)
		if (set.rules[k]->nsamples)
			run_samples(set.rules[k], &t);
	for (i = 0; i < cases.n; i++)
		run_regression(&set, cases.paths[i], &t);
	printf("%zu passed, %zu failed, %zu skipped\n", t.passed, t.failed, t.skipped);
	vg_rule_files_release(&cases);
	vg_ruleset_release(&set);
	return t.failed ? VG_EXIT_FAIL : VG_EXIT_OK;
}
