/*
 * test_correlate.c - Sigma correlation rules: each type's window, group-by,
 * aliases, chains, generate, occurrence counts, limits and errors. A case
 * is rules, events (their "timestamp" in seconds) and the exact hits, each
 * written "title group=.. value=.. first..last" with times in seconds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect/correlate.h"
#include "detect/engine.h"
#include "detect/rule.h"
#include "detect/source.h"

#define BASE(name, sel) \
	"title: " name "\nname: " name "\nlogsource: {product: test}\n" \
	"detection:\n  s:\n    " sel "\n  condition: s\n---\n"

typedef struct corr_case {
	const char *name;
	const char *rules;
	const char *events[24];
	const char *hits[12];
} corr_case;

static const corr_case cases[] = {
	{ "event_count fires at the threshold and starts afresh",
	  BASE("fail", "e: f") "title: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
			       "  group-by: [u]\n  timespan: 60s\n  condition: {gte: 3}\n",
	  { "{\"timestamp\":0,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":10,\"e\":\"f\",\"u\":\"b\"}",
	    "{\"timestamp\":10,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":20,\"e\":\"f\",\"u\":\"a\"}",
	    "{\"timestamp\":30,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":40,\"e\":\"f\",\"u\":\"a\"}",
	    "{\"timestamp\":45,\"e\":\"x\",\"u\":\"a\"}" },
	  { "many u=a value=3 0..20" } },
	{ "event_count slides: a span that is not a fixed bucket",
	  BASE("fail", "e: f") "title: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
			       "  group-by: [u]\n  timespan: 60s\n  condition: {gte: 3}\n",
	  { "{\"timestamp\":0,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":50,\"e\":\"f\",\"u\":\"a\"}",
	    "{\"timestamp\":100,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":110,\"e\":\"f\",\"u\":\"a\"}" },
	  { "many u=a value=3 50..110" } },
	{ "event_count: the window's edge is inclusive",
	  BASE("fail", "e: f") "title: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
			       "  group-by: [u]\n  timespan: 60s\n  condition: {gte: 2}\n",
	  { "{\"timestamp\":0,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":60,\"e\":\"f\",\"u\":\"a\"}",
	    "{\"timestamp\":200,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":260.001,\"e\":\"f\",\"u\":\"a\"}" },
	  { "many u=a value=2 0..60" } },
	{ "event_count without group-by is one group",
	  BASE("fail", "e: f") "title: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
			       "  timespan: 1m\n  condition: {gt: 1}\n",
	  { "{\"timestamp\":0,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":1,\"e\":\"f\",\"u\":\"b\"}" },
	  { "many value=2 0..1" } },
	{ "event_count out of order within the window",
	  BASE("fail", "e: f") "title: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
			       "  group-by: [u]\n  timespan: 60s\n  condition: {gte: 3}\n",
	  { "{\"timestamp\":100,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":90,\"e\":\"f\",\"u\":\"a\"}",
	    "{\"timestamp\":95,\"e\":\"f\",\"u\":\"a\"}" },
	  { "many u=a value=3 90..95" } },
	{ "event_count with an upper bound is judged when the window closes",
	  BASE("login", "e: l") "title: rare\ncorrelation:\n  type: event_count\n  rules: [login]\n"
				"  group-by: [u]\n  timespan: 60s\n  condition: {lt: 2}\n",
	  { "{\"timestamp\":0,\"e\":\"l\",\"u\":\"a\"}", "{\"timestamp\":5,\"e\":\"l\",\"u\":\"b\"}",
	    "{\"timestamp\":6,\"e\":\"l\",\"u\":\"b\"}", "{\"timestamp\":100,\"e\":\"l\",\"u\":\"a\"}" },
	  { "rare u=a value=1 0..0", "rare u=a value=1 100..100" } },
	{ "event_count eq",
	  BASE("login", "e: l") "title: two\ncorrelation:\n  type: event_count\n  rules: [login]\n"
				"  group-by: [u]\n  timespan: 60s\n  condition: {eq: 2}\n",
	  { "{\"timestamp\":0,\"e\":\"l\",\"u\":\"a\"}", "{\"timestamp\":5,\"e\":\"l\",\"u\":\"a\"}",
	    "{\"timestamp\":6,\"e\":\"l\",\"u\":\"b\"}", "{\"timestamp\":7,\"e\":\"l\",\"u\":\"b\"}",
	    "{\"timestamp\":8,\"e\":\"l\",\"u\":\"b\"}" },
	  { "two u=a value=2 0..5" } },
	{ "event_count range: gt and lte together",
	  BASE("login", "e: l") "title: some\ncorrelation:\n  type: event_count\n  rules: [login]\n"
				"  timespan: 60s\n  condition: {gt: 1, lte: 2}\n",
	  { "{\"timestamp\":0,\"e\":\"l\"}", "{\"timestamp\":5,\"e\":\"l\"}",
	    "{\"timestamp\":100,\"e\":\"l\"}", "{\"timestamp\":101,\"e\":\"l\"}",
	    "{\"timestamp\":102,\"e\":\"l\"}" },
	  { "some value=2 0..5" } },
	{ "value_count counts distinct values and leaves out events without one",
	  BASE("fail", "e: f") "title: spray\ncorrelation:\n  type: value_count\n  rules: [fail]\n"
			       "  group-by: [ip]\n  timespan: 5m\n  condition: {field: u, gte: 3}\n",
	  { "{\"timestamp\":0,\"e\":\"f\",\"ip\":\"1.1.1.1\",\"u\":\"a\"}",
	    "{\"timestamp\":1,\"e\":\"f\",\"ip\":\"1.1.1.1\",\"u\":\"a\"}",
	    "{\"timestamp\":2,\"e\":\"f\",\"ip\":\"1.1.1.1\"}",
	    "{\"timestamp\":3,\"e\":\"f\",\"ip\":\"2.2.2.2\",\"u\":\"b\"}",
	    "{\"timestamp\":4,\"e\":\"f\",\"ip\":\"1.1.1.1\",\"u\":\"b\"}",
	    "{\"timestamp\":5,\"e\":\"f\",\"ip\":\"1.1.1.1\",\"u\":\"c\"}" },
	  { "spray ip=1.1.1.1 value=3 0..5" } },
	{ "value_count over a tuple of fields",
	  BASE("conn", "e: c") "title: scan\ncorrelation:\n  type: value_count\n  rules: [conn]\n"
			       "  group-by: [src]\n  timespan: 1m\n"
			       "  condition: {field: [dst, port], gte: 3}\n",
	  { "{\"timestamp\":0,\"e\":\"c\",\"src\":\"s\",\"dst\":\"a\",\"port\":22}",
	    "{\"timestamp\":1,\"e\":\"c\",\"src\":\"s\",\"dst\":\"a\",\"port\":22}",
	    "{\"timestamp\":2,\"e\":\"c\",\"src\":\"s\",\"dst\":\"a\",\"port\":80}",
	    "{\"timestamp\":3,\"e\":\"c\",\"src\":\"s\",\"dst\":\"b\",\"port\":22}" },
	  { "scan src=s value=3 0..3" } },
	{ "value_sum",
	  BASE("up", "e: u") "title: exfil\ncorrelation:\n  type: value_sum\n  rules: [up]\n"
			     "  group-by: [user]\n  timespan: 1h\n"
			     "  condition: {field: bytes, gt: 1000}\n",
	  { "{\"timestamp\":0,\"e\":\"u\",\"user\":\"x\",\"bytes\":600}",
	    "{\"timestamp\":10,\"e\":\"u\",\"user\":\"x\",\"bytes\":\"n/a\"}",
	    "{\"timestamp\":20,\"e\":\"u\",\"user\":\"x\",\"bytes\":\"401\"}" },
	  { "exfil user=x value=1001 0..20" } },
	{ "value_avg",
	  BASE("req", "e: r") "title: slow\ncorrelation:\n  type: value_avg\n  rules: [req]\n"
			      "  timespan: 1m\n  condition: {field: ms, gte: 50}\n",
	  { "{\"timestamp\":0,\"e\":\"r\",\"ms\":10}", "{\"timestamp\":1,\"e\":\"r\",\"ms\":60}",
	    "{\"timestamp\":2,\"e\":\"r\",\"ms\":80}" },
	  { "slow value=50 0..2" } },
	{ "value_percentile: a value seen in few of the group's events",
	  BASE("proc", "e: p") "title: rare process\ncorrelation:\n  type: value_percentile\n"
			       "  rules: [proc]\n  group-by: [host]\n  timespan: 1d\n"
			       "  condition: {field: image, lte: 20}\n",
	  { "{\"timestamp\":0,\"e\":\"p\",\"host\":\"h\",\"image\":\"svchost.exe\"}",
	    "{\"timestamp\":1,\"e\":\"p\",\"host\":\"h\",\"image\":\"svchost.exe\"}",
	    "{\"timestamp\":2,\"e\":\"p\",\"host\":\"h\",\"image\":\"svchost.exe\"}",
	    "{\"timestamp\":3,\"e\":\"p\",\"host\":\"h\",\"image\":\"svchost.exe\"}",
	    "{\"timestamp\":4,\"e\":\"p\",\"host\":\"h\",\"image\":\"mimikatz.exe\"}",
	    "{\"timestamp\":5,\"e\":\"p\",\"host\":\"h\",\"image\":\"svchost.exe\"}" },
	  { "rare process host=h value=20 0..4" } },
	{ "temporal: every rule within the span, in any order",
	  BASE("a", "e: a") BASE("b", "e: b")
	  "title: both\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  group-by: [host]\n"
	  "  timespan: 30s\n",
	  { "{\"timestamp\":0,\"e\":\"b\",\"host\":\"h\"}", "{\"timestamp\":10,\"e\":\"b\",\"host\":\"g\"}",
	    "{\"timestamp\":20,\"e\":\"a\",\"host\":\"h\"}", "{\"timestamp\":100,\"e\":\"a\",\"host\":\"g\"}" },
	  { "both host=h value=2 0..20" } },
	{ "temporal with a condition: two of three",
	  BASE("a", "e: a") BASE("b", "e: b") BASE("c", "e: c")
	  "title: two\ncorrelation:\n  type: temporal\n  rules: [a, b, c]\n  timespan: 30s\n"
	  "  condition: {gte: 2}\n",
	  { "{\"timestamp\":0,\"e\":\"c\"}", "{\"timestamp\":1,\"e\":\"c\"}",
	    "{\"timestamp\":2,\"e\":\"a\"}" },
	  { "two value=2 1..2" } },
	{ "temporal_ordered: only in the order given",
	  BASE("a", "e: a") BASE("b", "e: b")
	  "title: then\ncorrelation:\n  type: temporal_ordered\n  rules: [a, b]\n"
	  "  group-by: [u]\n  timespan: 30s\n",
	  { "{\"timestamp\":0,\"e\":\"b\",\"u\":\"x\"}", "{\"timestamp\":10,\"e\":\"a\",\"u\":\"x\"}",
	    "{\"timestamp\":50,\"e\":\"b\",\"u\":\"x\"}", "{\"timestamp\":60,\"e\":\"a\",\"u\":\"x\"}",
	    "{\"timestamp\":70,\"e\":\"a\",\"u\":\"x\"}", "{\"timestamp\":80,\"e\":\"b\",\"u\":\"x\"}" },
	  { "then u=x value=2 70..80" } },
	{ "temporal_ordered with a rule twice: a, then a again, then b",
	  BASE("a", "e: a") BASE("b", "e: b")
	  "title: aab\ncorrelation:\n  type: temporal_ordered\n  rules: [a, a, b]\n"
	  "  timespan: 30s\n",
	  { "{\"timestamp\":0,\"e\":\"a\"}", "{\"timestamp\":1,\"e\":\"b\"}", "{\"timestamp\":2,\"e\":\"a\"}",
	    "{\"timestamp\":3,\"e\":\"b\"}" },
	  { "aab value=3 0..3" } },
	{ "a chain: many failures, then a success of the same user",
	  BASE("failed", "e: f") BASE("ok", "e: s")
	  "title: many failed\nname: many_failed\ncorrelation:\n  type: event_count\n"
	  "  rules: [failed]\n  group-by: [user]\n  timespan: 10m\n  condition: {gte: 3}\n---\n"
	  "title: brute force then success\ncorrelation:\n  type: temporal_ordered\n"
	  "  rules: [many_failed, ok]\n  group-by: [user]\n  timespan: 10m\n",
	  { "{\"timestamp\":0,\"e\":\"f\",\"user\":\"root\"}", "{\"timestamp\":1,\"e\":\"f\",\"user\":\"root\"}",
	    "{\"timestamp\":2,\"e\":\"s\",\"user\":\"root\"}", "{\"timestamp\":3,\"e\":\"f\",\"user\":\"root\"}",
	    "{\"timestamp\":4,\"e\":\"s\",\"user\":\"bob\"}", "{\"timestamp\":5,\"e\":\"s\",\"user\":\"root\"}" },
	  { "brute force then success user=root value=2 3..5" } },
	{ "aliases: one address in two fields",
	  BASE("err", "status: 500") BASE("conn", "kind: connection")
	  "title: error then connection back\ncorrelation:\n  type: temporal\n  rules: [err, conn]\n"
	  "  group-by: [internal_ip]\n  timespan: 10s\n"
	  "  aliases:\n    internal_ip:\n      err: dst\n      conn: src\n",
	  { "{\"timestamp\":0,\"status\":500,\"dst\":\"10.0.0.5\",\"src\":\"1.2.3.4\"}",
	    "{\"timestamp\":1,\"kind\":\"connection\",\"src\":\"10.0.0.6\"}",
	    "{\"timestamp\":2,\"kind\":\"connection\",\"src\":\"10.0.0.5\"}" },
	  { "error then connection back internal_ip=10.0.0.5 value=2 0..2" } },
	{ "generate: the base rule reports too",
	  BASE("fail", "e: f") "title: many\ngenerate: true\ncorrelation:\n  type: event_count\n"
			       "  rules: [fail]\n  timespan: 60s\n  condition: {gte: 2}\n",
	  { "{\"timestamp\":0,\"e\":\"f\"}", "{\"timestamp\":1,\"e\":\"f\"}" },
	  { "fail", "fail", "many value=2 0..1" } },
};

typedef struct run {
	vg_matcher *m;
	vg_corr_binding *b;
	vg_corr_state *st;
	const vg_correlator *c;
	char hits[16][256];
	int nhits;
} run;

static int record(void *arg, const vg_corr_hit *hit, vg_error *err)
{
	run *r = arg;
	char *o = r->hits[r->nhits];
	size_t i, n = 0, cap = sizeof(r->hits[0]);

	(void)err;
	n += (size_t)snprintf(o + n, cap - n, "%s", hit->rule->title);
	for (i = 0; i < hit->ngroup; i++)
		n += (size_t)snprintf(o + n, cap - n, " %s=%.*s", hit->group_names[i],
				      (int)hit->group_values[i].len,
				      hit->group_values[i].ptr ? hit->group_values[i].ptr : "(none)");
	snprintf(o + n, cap - n, " value=%.15g %.15g..%.15g", hit->value,
		 (double)hit->first_ms / 1000, (double)hit->last_ms / 1000);
	r->nhits++;
	return VG_OK;
}

static int feed_event(run *r, const char *json, vg_error *err)
{
	const vg_rule *const *matched;
	size_t n, i;
	int rc = vg_matcher_run(r->m, json, strlen(json), &matched, &n, err);

	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		if (vg_correlator_reports(r->c, matched[i]))
			snprintf(r->hits[r->nhits++], sizeof(r->hits[0]), "%s", matched[i]->title);
	return vg_corr_feed(r->st, r->b, matched, n, vg_matcher_fields(r->m),
			    vg_corr_event_time(r->b, vg_matcher_fields(r->m), -1), json, strlen(json),
			    record, r, err);
}

/* Runs rules over events with type (NULL: plain JSON) and limits; returns
 * the number of hits, or -1 with err set. */
static int run_case(const char *rules, const char *const *events, size_t nevents,
		    const vg_source_type *type, const vg_corr_limits *limits, run *r,
		    uint64_t *dropped, vg_error *err)
{
	vg_ruleset set = { 0 };
	vg_engine *e = NULL;
	vg_correlator *c = NULL;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = vg_rules_load(&set, rules, strlen(rules), "c.yml", err);
	if (rc == VG_OK)
		rc = vg_engine_new(&set, type, NULL, &e, err);
	if (rc == VG_OK)
		rc = vg_correlator_new(&set, &c, err);
	if (rc == VG_OK)
		rc = vg_corr_bind(c, e, &r->b, err);
	if (rc == VG_OK)
		rc = vg_matcher_new(e, &r->m, err);
	if (rc == VG_OK) {
		r->c = c;
		r->st = vg_corr_state_new(c, limits);
		for (i = 0; i < nevents && events[i] && rc == VG_OK; i++)
			rc = feed_event(r, events[i], err);
		if (rc == VG_OK)
			rc = vg_corr_flush(r->st, INT64_MAX, record, r, err);
		if (dropped)
			*dropped = vg_corr_state_dropped(r->st);
	}
	vg_corr_state_free(r->st);
	vg_matcher_free(r->m);
	vg_corr_binding_free(r->b);
	vg_correlator_free(c);
	vg_engine_free(e);
	vg_ruleset_release(&set);
	return rc ? -1 : r->nhits;
}

static void test_cases(void **state)
{
	size_t i, k, nevents;
	int failures = 0;
	run r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };
		int n, want = 0;
		bool same;

		for (nevents = 0; nevents < 24 && cases[i].events[nevents]; nevents++)
			;
		while (want < 12 && cases[i].hits[want])
			want++;
		n = run_case(cases[i].rules, cases[i].events, nevents, NULL, NULL, &r, NULL, &err);
		same = n == want;
		for (k = 0; same && k < (size_t)want; k++)
			same = strcmp(r.hits[k], cases[i].hits[k]) == 0;
		if (!same) {
			fprintf(stderr, "case \"%s\" (%s): got %d hits:\n", cases[i].name, err.msg, n);
			for (k = 0; n > 0 && k < (size_t)n; k++)
				fprintf(stderr, "  %s\n", r.hits[k]);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* A syslog line folded by rsyslog ("message repeated 5 times") stands for
 * five failures. */
static void test_occurrences(void **state)
{
	static const char rules[] =
		BASE("failed", "event: login_failed")
		"title: guessing\ncorrelation:\n  type: event_count\n  rules: [failed]\n"
		"  group-by: [source_ip]\n  timespan: 5m\n  condition: {gte: 6}\n";
	const char *events[] = {
		"{\"timestamp\":\"2026-03-29T23:18:30Z\",\"event\":\"login_failed\",\"source_ip\":"
		"\"218.60.136.106\"}",
		"{\"timestamp\":\"2026-03-29T23:18:33Z\",\"event\":\"login_failed\",\"source_ip\":"
		"\"218.60.136.106\",\"repeat\":5}",
	};
	vg_error err = { 0 };
	const vg_source_type *syslog = vg_source_type_find("syslog", &err);
	char with_product[sizeof(rules) + 64];
	const char *p;
	run r;

	(void)state;
	assert_non_null(syslog);
	/* The same rules for linux/sshd, so that the syslog type serves them. */
	p = strstr(rules, "{product: test}");
	snprintf(with_product, sizeof(with_product), "%.*s{product: linux}%s", (int)(p - rules), rules,
		 p + strlen("{product: test}"));
	assert_int_equal(run_case(with_product, events, 2, syslog, NULL, &r, NULL, &err), 1);
	assert_string_equal(r.hits[0], "guessing source_ip=218.60.136.106 value=6 "
				       "1774826310..1774826313");
}

static void test_limits(void **state)
{
	static const char rules[] =
		BASE("fail", "e: f") "title: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
				     "  group-by: [u]\n  timespan: 60s\n  condition: {gte: 2}\n";
	const char *events[] = {
		"{\"timestamp\":0,\"e\":\"f\",\"u\":\"a\"}", "{\"timestamp\":1,\"e\":\"f\",\"u\":\"b\"}",
		"{\"timestamp\":2,\"e\":\"f\",\"u\":\"c\"}", "{\"timestamp\":3,\"e\":\"f\",\"u\":\"c\"}",
		"{\"timestamp\":4,\"e\":\"f\",\"u\":\"a\"}",
	};
	vg_corr_limits limits = { .max_groups = 2 };
	vg_error err = { 0 };
	uint64_t dropped;
	run r;

	(void)state;
	assert_int_equal(run_case(rules, events, 5, NULL, &limits, &r, &dropped, &err), 1);
	assert_string_equal(r.hits[0], "many u=a value=2 0..4");
	assert_int_equal(dropped, 2);
}

static const struct {
	const char *rules;
	const char *error;
} refused[] = {
	{ "title: c\ncorrelation:\n  type: event_count\n  rules: [nope]\n  timespan: 1m\n"
	  "  condition: {gte: 1}\n",
	  "c.yml:1: correlation \"c\": reads a rule that is not loaded: \"nope\"" },
	{ "title: a\nname: a\ncorrelation:\n  type: event_count\n  rules: [b]\n  timespan: 1m\n"
	  "  condition: {gte: 1}\n---\ntitle: b\nname: b\ncorrelation:\n  type: event_count\n"
	  "  rules: [a]\n  timespan: 1m\n  condition: {gte: 1}\n",
	  "c.yml:1: correlation \"a\": is part of a cycle of correlations" },
	{ BASE("x", "e: x") "title: c\ncorrelation:\n  type: temporal\n  rules: [x]\n"
			    "  group-by: [ip]\n  timespan: 1m\n  aliases:\n    ip:\n      other: src\n",
	  "c.yml:9: correlation \"c\": alias names no field for rule \"x\"" },
	{ BASE("x", "e: x") "title: c\ncorrelation:\n  type: value_count\n  rules: [x]\n"
			    "  timespan: 1m\n  condition: {gte: 1}\n",
	  "c.yml:11: value_count needs condition field" },
	{ BASE("x", "e: x") "title: c\ncorrelation:\n  type: temporal_ordered\n  rules: [x]\n"
			    "  timespan: 1m\n  condition: {gte: 1}\n",
	  "c.yml:11: temporal_ordered with a condition is not supported: the order needs every "
	  "rule (leave the condition out)" },
	{ BASE("x", "e: x") "title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n"
			    "  timespan: 1w\n  condition: {gte: 1}\n",
	  "c.yml:13: timespan must be a number and s, m, h or d (\"5m\")" },
	{ BASE("x", "e: x") "title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n"
			    "  timespan: 1m\n  condition: {above: 1}\n",
	  "c.yml:14: unknown correlation condition \"above\"" },
};

static void test_refused(void **state)
{
	size_t i;
	int failures = 0;
	run r;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		vg_error err = { 0 };

		if (run_case(refused[i].rules, NULL, 0, NULL, NULL, &r, NULL, &err) != -1 ||
		    strcmp(err.msg, refused[i].error) != 0) {
			fprintf(stderr, "refusal %zu: expected \"%s\"\n                got \"%s\"\n", i,
				refused[i].error, err.msg);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_occurrences),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
