/*
 * test_sigma_match.c - the Sigma matching semantics, one case a row: a
 * detection (YAML), an event (JSON), and whether the rule matches it. Every
 * modifier and condition form, with the tricky ones (windash,
 * base64offset, cidr v4/v6, all on lists, not 1 of, null and empty,
 * escaping of * ? and \, case rules) given several rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect/engine.h"
#include "detect/placeholder.h"
#include "detect/rule.h"

typedef struct match_case {
	const char *name;
	const char *detection; /* YAML lines under "detection:", indented two spaces */
	const char *event;
	bool match;
} match_case;

static const match_case cases[] = {
	/* maps, lists, keywords */
	{ "map is AND", "  s:\n    a: x\n    b: y\n  condition: s", "{\"a\":\"x\",\"b\":\"y\"}", true },
	{ "map is AND (one missing)", "  s:\n    a: x\n    b: y\n  condition: s", "{\"a\":\"x\"}",
	  false },
	{ "value list is OR", "  s:\n    a: [x, z]\n  condition: s", "{\"a\":\"z\"}", true },
	{ "list of maps is OR", "  s:\n    - a: x\n    - b: y\n  condition: s", "{\"b\":\"y\"}", true },
	{ "list of maps, none", "  s:\n    - a: x\n    - b: y\n  condition: s", "{\"a\":\"y\"}", false },
	{ "keyword anywhere in a string", "  k:\n    - evilservice\n  condition: k",
	  "{\"msg\":\"started EvilService now\"}", true },
	{ "keyword in a nested string", "  k:\n    - needle\n  condition: k",
	  "{\"a\":{\"b\":[\"x\",\"the needle\"]}}", true },
	{ "keyword not in keys", "  k:\n    - needle\n  condition: k", "{\"needle\":\"x\"}", false },
	{ "keywords all", "  k:\n    '|all':\n      - Oab\n      - ' -ExternalUrl '\n  condition: k",
	  "{\"c\":\"Set-OabVirtualDirectory -ExternalUrl x\"}", true },
	{ "keywords all, one missing",
	  "  k:\n    '|all':\n      - Oab\n      - ' -ExternalUrl '\n  condition: k",
	  "{\"c\":\"Set-OabVirtualDirectory\"}", false },
	{ "dotted field is a path", "  s:\n    a.b: x\n  condition: s", "{\"a\":{\"b\":\"x\"}}", true },
	{ "array elements are values", "  s:\n    r.arn: 'arn:2'\n  condition: s",
	  "{\"r\":[{\"arn\":\"arn:1\"},{\"arn\":\"arn:2\"}]}", true },

	/* plain values: exact and case-insensitive */
	{ "exact", "  s:\n    a: cmd.exe\n  condition: s", "{\"a\":\"cmd.exe\"}", true },
	{ "exact is whole", "  s:\n    a: cmd.exe\n  condition: s", "{\"a\":\"xcmd.exe\"}", false },
	{ "exact ignores case", "  s:\n    a: CMD.exe\n  condition: s", "{\"a\":\"cmd.EXE\"}", true },
	{ "exact is not before a final newline", "  s:\n    a: x\n  condition: s",
	  "{\"a\":\"x\\n\"}", false },
	{ "cased", "  s:\n    a|cased: CMD\n  condition: s", "{\"a\":\"cmd\"}", false },
	{ "cased, same case", "  s:\n    a|cased: CMD\n  condition: s", "{\"a\":\"CMD\"}", true },
	{ "number equals number", "  s:\n    EventID: 4688\n  condition: s", "{\"EventID\":4688}", true },
	{ "number equals string", "  s:\n    EventID: 4688\n  condition: s", "{\"EventID\":\"4688\"}",
	  true },
	{ "number is whole", "  s:\n    EventID: 468\n  condition: s", "{\"EventID\":4688}", false },
	{ "boolean", "  s:\n    ok: true\n  condition: s", "{\"ok\":true}", true },
	{ "non-ASCII text", "  s:\n    u|contains: 用户\n  condition: s", "{\"u\":\"新用户登录\"}", true },

	/* null and empty */
	{ "null: absent", "  s:\n    a: null\n  condition: s", "{\"b\":1}", true },
	{ "null: null", "  s:\n    a: null\n  condition: s", "{\"a\":null}", true },
	{ "null: empty string is not null", "  s:\n    a: null\n  condition: s", "{\"a\":\"\"}", false },
	{ "empty: empty string", "  s:\n    a: ''\n  condition: s", "{\"a\":\"\"}", true },
	{ "empty: absent is not empty", "  s:\n    a: ''\n  condition: s", "{\"b\":\"\"}", false },
	{ "not null", "  s:\n    e: 1\n  f:\n    a: null\n  condition: s and not f",
	  "{\"e\":1,\"a\":\"set\"}", true },

	/* position modifiers and wildcards */
	{ "contains", "  s:\n    a|contains: ell\n  condition: s", "{\"a\":\"Hello\"}", true },
	{ "startswith", "  s:\n    a|startswith: he\n  condition: s", "{\"a\":\"Hello\"}", true },
	{ "startswith, not at start", "  s:\n    a|startswith: ll\n  condition: s", "{\"a\":\"Hello\"}",
	  false },
	{ "endswith", "  s:\n    a|endswith: '\\cmd.exe'\n  condition: s",
	  "{\"a\":\"C:\\\\Windows\\\\cmd.exe\"}", true },
	{ "endswith, not at end", "  s:\n    a|endswith: cmd\n  condition: s", "{\"a\":\"cmd.exe\"}",
	  false },
	{ "star", "  s:\n    a: 'prog*.exe'\n  condition: s", "{\"a\":\"progA12.exe\"}", true },
	{ "star spans a newline", "  s:\n    a: 'a*b'\n  condition: s", "{\"a\":\"a\\nb\"}", true },
	{ "question mark is one character", "  s:\n    a: 'prog?.exe'\n  condition: s",
	  "{\"a\":\"progAB.exe\"}", false },
	{ "question mark, one character", "  s:\n    a: 'prog?.exe'\n  condition: s",
	  "{\"a\":\"progA.exe\"}", true },
	{ "question mark is one UTF-8 character", "  s:\n    a: 'x?y'\n  condition: s",
	  "{\"a\":\"x用y\"}", true },
	{ "escaped star is a star", "  s:\n    a: 'a\\*b'\n  condition: s", "{\"a\":\"a*b\"}", true },
	{ "escaped star is not a wildcard", "  s:\n    a: 'a\\*b'\n  condition: s", "{\"a\":\"aXb\"}",
	  false },
	{ "escaped question mark", "  s:\n    a: 'a\\?'\n  condition: s", "{\"a\":\"a?\"}", true },
	{ "escaped question mark is not a wildcard", "  s:\n    a: 'a\\?'\n  condition: s",
	  "{\"a\":\"ab\"}", false },
	{ "backslash before a letter is itself", "  s:\n    a: 'C:\\Windows'\n  condition: s",
	  "{\"a\":\"C:\\\\Windows\"}", true },
	{ "double backslash is one", "  s:\n    a: 'C:\\\\Windows'\n  condition: s",
	  "{\"a\":\"C:\\\\Windows\"}", true },
	{ "escaped backslash then wildcard", "  s:\n    a: 'dir\\\\*'\n  condition: s",
	  "{\"a\":\"dir\\\\anything\"}", true },
	{ "three backslashes: backslash and star", "  s:\n    a: 'dir\\\\\\*'\n  condition: s",
	  "{\"a\":\"dir\\\\*\"}", true },
	{ "three backslashes: star is plain", "  s:\n    a: 'dir\\\\\\*'\n  condition: s",
	  "{\"a\":\"dir\\\\x\"}", false },
	{ "four backslashes are two", "  s:\n    a: 'a\\\\\\\\b'\n  condition: s",
	  "{\"a\":\"a\\\\\\\\b\"}", true },
	{ "regex metacharacters are plain", "  s:\n    a: 'a.b(c)+[d]'\n  condition: s",
	  "{\"a\":\"a.b(c)+[d]\"}", true },
	{ "regex metacharacters are plain (dot)", "  s:\n    a: 'a.b'\n  condition: s",
	  "{\"a\":\"aXb\"}", false },

	/* all */
	{ "all on a list", "  s:\n    a|contains|all: [one, two]\n  condition: s",
	  "{\"a\":\"two and one\"}", true },
	{ "all on a list, one missing", "  s:\n    a|contains|all: [one, two]\n  condition: s",
	  "{\"a\":\"only one\"}", false },
	{ "all over array values", "  s:\n    a|all: [x, y]\n  condition: s", "{\"a\":[\"x\",\"y\"]}",
	  true },

	/* regular expressions */
	{ "re is a search", "  s:\n    a|re: 'b+c'\n  condition: s", "{\"a\":\"abbbcd\"}", true },
	{ "re is case-sensitive", "  s:\n    a|re: 'ABC'\n  condition: s", "{\"a\":\"abc\"}", false },
	{ "re i", "  s:\n    a|re|i: 'ABC'\n  condition: s", "{\"a\":\"abc\"}", true },
	{ "re without m: ^ is the start", "  s:\n    a|re: '^two'\n  condition: s",
	  "{\"a\":\"one\\ntwo\"}", false },
	{ "re m", "  s:\n    a|re|m: '^two'\n  condition: s", "{\"a\":\"one\\ntwo\"}", true },
	{ "re without s: dot stops at newline", "  s:\n    a|re: 'a.b'\n  condition: s",
	  "{\"a\":\"a\\nb\"}", false },
	{ "re s", "  s:\n    a|re|s: 'a.b'\n  condition: s", "{\"a\":\"a\\nb\"}", true },
	{ "re on PCRE2 (lookahead)", "  s:\n    a|re: 'foo(?!bar)'\n  condition: s",
	  "{\"a\":\"foobaz\"}", true },
	{ "re on PCRE2 (lookahead fails)", "  s:\n    a|re: 'foo(?!bar)'\n  condition: s",
	  "{\"a\":\"foobar\"}", false },
	{ "re on PCRE2 (backreference)", "  s:\n    a|re: '(ab)\\1'\n  condition: s",
	  "{\"a\":\"xababx\"}", true },

	/* cidr */
	{ "cidr v4", "  s:\n    ip|cidr: 10.0.0.0/8\n  condition: s", "{\"ip\":\"10.20.30.40\"}", true },
	{ "cidr v4 outside", "  s:\n    ip|cidr: 10.0.0.0/8\n  condition: s", "{\"ip\":\"11.0.0.1\"}",
	  false },
	{ "cidr v4 /27 edge", "  s:\n    ip|cidr: 192.168.1.32/27\n  condition: s",
	  "{\"ip\":\"192.168.1.63\"}", true },
	{ "cidr v4 /27 past edge", "  s:\n    ip|cidr: 192.168.1.32/27\n  condition: s",
	  "{\"ip\":\"192.168.1.64\"}", false },
	{ "cidr /0 takes all v4", "  s:\n    ip|cidr: 0.0.0.0/0\n  condition: s",
	  "{\"ip\":\"8.8.8.8\"}", true },
	{ "cidr host", "  s:\n    ip|cidr: 1.2.3.4\n  condition: s", "{\"ip\":\"1.2.3.4\"}", true },
	{ "cidr v6", "  s:\n    ip|cidr: 'fe80::/10'\n  condition: s", "{\"ip\":\"fe80::1:2\"}", true },
	{ "cidr v6 outside", "  s:\n    ip|cidr: 'fe80::/10'\n  condition: s", "{\"ip\":\"fec0::1\"}",
	  false },
	{ "cidr v6 /127", "  s:\n    ip|cidr: '2001:db8::/127'\n  condition: s",
	  "{\"ip\":\"2001:db8::1\"}", true },
	{ "cidr v4 never matches v6", "  s:\n    ip|cidr: 0.0.0.0/0\n  condition: s",
	  "{\"ip\":\"::1\"}", false },
	{ "cidr list", "  s:\n    ip|cidr: [10.0.0.0/8, 172.16.0.0/12]\n  condition: s",
	  "{\"ip\":\"172.20.0.1\"}", true },
	{ "cidr on text", "  s:\n    ip|cidr: 10.0.0.0/8\n  condition: s", "{\"ip\":\"10.x\"}", false },

	/* encodings */
	{ "base64", "  s:\n    c|base64: whoami\n  condition: s", "{\"c\":\"d2hvYW1p\"}", true },
	{ "base64 contains", "  s:\n    c|base64|contains: whoami\n  condition: s",
	  "{\"c\":\"x d2hvYW1p y\"}", true },
	{ "base64offset at 0", "  s:\n    c|base64offset|contains: whoami\n  condition: s",
	  "{\"c\":\"d2hvYW1pIC9hbGw=\"}", true },
	{ "base64offset at 1", "  s:\n    c|base64offset|contains: whoami\n  condition: s",
	  "{\"c\":\"eHdob2FtaSAvYWxs\"}", true },
	{ "base64offset at 2", "  s:\n    c|base64offset|contains: whoami\n  condition: s",
	  "{\"c\":\"eHl3aG9hbWkgL2FsbA==\"}", true },
	{ "base64offset is case-sensitive", "  s:\n    c|base64offset|contains: whoami\n  condition: s",
	  "{\"c\":\"D2HVYW1P\"}", false },
	{ "base64offset utf16le", "  s:\n    c|utf16le|base64offset|contains: cmd\n  condition: s",
	  "{\"c\":\"xxYwBtAGQAxx\"}", true },
	{ "base64 wide", "  s:\n    c|wide|base64: cmd\n  condition: s", "{\"c\":\"YwBtAGQA\"}", true },
	{ "base64 utf16be", "  s:\n    c|utf16be|base64: cmd\n  condition: s", "{\"c\":\"AGMAbQBk\"}",
	  true },
	{ "base64 utf16 has a BOM", "  s:\n    c|utf16|base64: cmd\n  condition: s",
	  "{\"c\":\"//5jAG0AZAA=\"}", true },

	/* windash */
	{ "windash: dash", "  s:\n    c|windash|contains: ' -enc '\n  condition: s",
	  "{\"c\":\"ps -enc x\"}", true },
	{ "windash: slash", "  s:\n    c|windash|contains: ' -enc '\n  condition: s",
	  "{\"c\":\"ps /enc x\"}", true },
	{ "windash: en dash", "  s:\n    c|windash|contains: ' -enc '\n  condition: s",
	  "{\"c\":\"ps \u2013enc x\"}", true },
	{ "windash: em dash", "  s:\n    c|windash|contains: ' -enc '\n  condition: s",
	  "{\"c\":\"ps \u2014enc x\"}", true },
	{ "windash: horizontal bar", "  s:\n    c|windash|contains: ' -enc '\n  condition: s",
	  "{\"c\":\"ps \u2015enc x\"}", true },
	{ "windash: slash in the rule too", "  s:\n    c|windash|contains: ' /c '\n  condition: s",
	  "{\"c\":\"cmd -c x\"}", true },
	{ "windash: a dash inside a word stays", "  s:\n    c|windash|contains: 'x-y'\n  condition: s",
	  "{\"c\":\"x/y\"}", false },
	{ "windash: other characters stay", "  s:\n    c|windash|contains: ' -enc '\n  condition: s",
	  "{\"c\":\"ps +enc x\"}", false },

	/* exists */
	{ "exists true", "  s:\n    a|exists: true\n  condition: s", "{\"a\":null}", true },
	{ "exists true, absent", "  s:\n    a|exists: true\n  condition: s", "{\"b\":1}", false },
	{ "exists false", "  s:\n    a|exists: false\n  condition: s", "{\"b\":1}", true },
	{ "exists false, present", "  s:\n    a|exists: false\n  condition: s", "{\"a\":\"\"}", false },
	{ "exists on an object", "  s:\n    a|exists: true\n  condition: s", "{\"a\":{\"b\":1}}", true },

	/* fieldref */
	{ "fieldref equal", "  s:\n    a|fieldref: b\n  condition: s", "{\"a\":\"X\",\"b\":\"x\"}", true },
	{ "fieldref different", "  s:\n    a|fieldref: b\n  condition: s", "{\"a\":\"x\",\"b\":\"y\"}",
	  false },
	{ "fieldref other absent", "  s:\n    a|fieldref: b\n  condition: s", "{\"a\":\"x\"}", false },
	{ "fieldref contains", "  s:\n    a|fieldref|contains: b\n  condition: s",
	  "{\"a\":\"C:\\\\x\\\\evil.exe\",\"b\":\"evil\"}", true },
	{ "fieldref endswith", "  s:\n    a|fieldref|endswith: b\n  condition: s",
	  "{\"a\":\"abc\",\"b\":\"bc\"}", true },
	{ "fieldref cased", "  s:\n    a|fieldref|cased: b\n  condition: s",
	  "{\"a\":\"X\",\"b\":\"x\"}", false },
	{ "fieldref neq", "  s:\n    a|fieldref|neq: b\n  condition: s", "{\"a\":\"x\",\"b\":\"y\"}",
	  true },

	/* neq and numbers */
	{ "neq", "  s:\n    a|neq: x\n  condition: s", "{\"a\":\"y\"}", true },
	{ "neq equal", "  s:\n    a|neq: x\n  condition: s", "{\"a\":\"X\"}", false },
	{ "neq list: different from all", "  s:\n    a|neq: [x, y]\n  condition: s", "{\"a\":\"y\"}",
	  false },
	{ "lt", "  s:\n    n|lt: 10\n  condition: s", "{\"n\":9.5}", true },
	{ "lt equal", "  s:\n    n|lt: 10\n  condition: s", "{\"n\":10}", false },
	{ "lte", "  s:\n    n|lte: 10\n  condition: s", "{\"n\":10}", true },
	{ "gt", "  s:\n    n|gt: 10\n  condition: s", "{\"n\":\"11\"}", true },
	{ "gt less", "  s:\n    n|gt: 10\n  condition: s", "{\"n\":-11}", false },
	{ "gte", "  s:\n    n|gte: 10\n  condition: s", "{\"n\":1e1}", true },
	{ "gt on text", "  s:\n    n|gt: 10\n  condition: s", "{\"n\":\"eleven\"}", false },
	{ "gt absent", "  s:\n    n|gt: 10\n  condition: s", "{}", false },
	{ "neq number", "  s:\n    n|neq: 3\n  condition: s", "{\"n\":4}", true },

	/* date parts */
	{ "minute", "  s:\n    t|minute: 7\n  condition: s", "{\"t\":\"2026-03-27T13:07:56Z\"}", true },
	{ "hour", "  s:\n    t|hour|gte: 22\n  condition: s", "{\"t\":\"2026-03-27 23:01:00\"}", true },
	{ "hour outside", "  s:\n    t|hour|gte: 22\n  condition: s", "{\"t\":\"2026-03-27 21:59:59\"}",
	  false },
	{ "day", "  s:\n    t|day: 27\n  condition: s", "{\"t\":\"2026-03-27\"}", true },
	{ "week", "  s:\n    t|week: 13\n  condition: s", "{\"t\":\"2026-03-27T00:00:00Z\"}", true },
	{ "week of January 1st 2027 is 53", "  s:\n    t|week: 53\n  condition: s",
	  "{\"t\":\"2027-01-01\"}", true },
	{ "week of December 31st 2024 is 1", "  s:\n    t|week: 1\n  condition: s",
	  "{\"t\":\"2024-12-31\"}", true },
	{ "month", "  s:\n    t|month: 3\n  condition: s", "{\"t\":\"2026-03-27\"}", true },
	{ "year", "  s:\n    t|year|lt: 2020\n  condition: s", "{\"t\":\"2019-12-31T23:59:59Z\"}", true },
	{ "date part of text", "  s:\n    t|year: 2026\n  condition: s", "{\"t\":\"yesterday\"}", false },

	/* expand (placeholders: Admins = [root, 'adm_*']) */
	{ "expand", "  s:\n    u|expand: '%Admins%'\n  condition: s", "{\"u\":\"adm_joe\"}", true },
	{ "expand other", "  s:\n    u|expand: '%Admins%'\n  condition: s", "{\"u\":\"joe\"}", false },
	{ "expand inside text", "  s:\n    u|expand: 'CORP-%Admins%'\n  condition: s",
	  "{\"u\":\"CORP-root\"}", true },
	{ "without expand a placeholder is text", "  s:\n    u: '%Admins%'\n  condition: s",
	  "{\"u\":\"%Admins%\"}", true },
	{ "escaped percent is plain", "  s:\n    u|expand: '\\%Admins%'\n  condition: s",
	  "{\"u\":\"%Admins%\"}", true },

	/* conditions */
	{ "or", "  a:\n    x: 1\n  b:\n    y: 1\n  condition: a or b", "{\"y\":1}", true },
	{ "and", "  a:\n    x: 1\n  b:\n    y: 1\n  condition: a and b", "{\"y\":1}", false },
	{ "not", "  a:\n    x: 1\n  condition: not a", "{\"y\":1}", true },
	{ "and binds tighter than or",
	  "  a:\n    x: 1\n  b:\n    y: 1\n  c:\n    z: 1\n  condition: a or b and c", "{\"x\":1}",
	  true },
	{ "parentheses",
	  "  a:\n    x: 1\n  b:\n    y: 1\n  c:\n    z: 1\n  condition: (a or b) and c", "{\"x\":1}",
	  false },
	{ "not binds tighter than and", "  a:\n    x: 1\n  b:\n    y: 1\n  condition: not a and b",
	  "{\"y\":1}", true },
	{ "1 of pattern", "  sel_a:\n    x: 1\n  sel_b:\n    y: 1\n  condition: 1 of sel_*",
	  "{\"y\":1}", true },
	{ "all of pattern", "  sel_a:\n    x: 1\n  sel_b:\n    y: 1\n  condition: all of sel_*",
	  "{\"y\":1}", false },
	{ "all of pattern, both", "  sel_a:\n    x: 1\n  sel_b:\n    y: 1\n  condition: all of sel_*",
	  "{\"x\":1,\"y\":1}", true },
	{ "1 of them", "  a:\n    x: 1\n  b:\n    y: 1\n  condition: 1 of them", "{\"y\":1}", true },
	{ "all of them", "  a:\n    x: 1\n  b:\n    y: 1\n  condition: all of them", "{\"y\":1}", false },
	{ "them leaves out _names", "  a:\n    x: 1\n  _b:\n    y: 1\n  condition: all of them",
	  "{\"x\":1}", true },
	{ "not 1 of", "  s:\n    e: 1\n  f_a:\n    x: 1\n  f_b:\n    y: 1\n"
	  "  condition: s and not 1 of f_*", "{\"e\":1,\"y\":1}", false },
	{ "not 1 of, none", "  s:\n    e: 1\n  f_a:\n    x: 1\n  f_b:\n    y: 1\n"
	  "  condition: s and not 1 of f_*", "{\"e\":1}", true },
	{ "pattern in the middle", "  sel1x:\n    x: 1\n  sel2x:\n    y: 1\n  condition: 1 of sel*x",
	  "{\"y\":1}", true },
	{ "condition list is OR", "  a:\n    x: 1\n  b:\n    y: 1\n  condition:\n    - a\n    - b",
	  "{\"y\":1}", true },
};

static vg_placeholders placeholders;

static int setup(void **state)
{
	static const char text[] = "Admins: [root, 'adm_*']\n";
	vg_error err = { 0 };

	(void)state;
	return vg_placeholders_load(&placeholders, text, strlen(text), "placeholders.yaml", &err);
}

static int teardown(void **state)
{
	(void)state;
	vg_placeholders_release(&placeholders);
	return 0;
}

/* How many rules of the rule text match the event; -1 when the rule does
 * not load or compile (err says why). */
static int run_rule(const char *rule_text, const char *event, vg_error *err)
{
	vg_engine_options opts = { .placeholders = &placeholders };
	vg_ruleset set = { 0 };
	vg_engine *e = NULL;
	vg_matcher *m = NULL;
	const vg_rule *const *matched;
	size_t n = 0;
	int result = -1;

	if (vg_rules_load(&set, rule_text, strlen(rule_text), "t.yml", err) == VG_OK &&
	    vg_engine_new(&set, NULL, &opts, &e, err) == VG_OK &&
	    vg_matcher_new(e, &m, err) == VG_OK &&
	    vg_matcher_run(m, event, strlen(event), &matched, &n, err) == VG_OK)
		result = (int)n;
	vg_matcher_free(m);
	vg_engine_free(e);
	vg_ruleset_release(&set);
	return result;
}

static void test_cases(void **state)
{
	char rule[2048];
	size_t i;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };
		int n;

		snprintf(rule, sizeof(rule), "title: t\nlogsource: {product: test}\ndetection:\n%s\n",
			 cases[i].detection);
		n = run_rule(rule, cases[i].event, &err);
		if (n != (cases[i].match ? 1 : 0)) {
			fprintf(stderr, "case \"%s\": expected %s, got %d %s\n", cases[i].name,
				cases[i].match ? "a match" : "no match", n, err.msg);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* Rules refused with the file, line and feature named. */
static const struct {
	const char *rule;
	const char *error;
} refused[] = {
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|contain: x\n  condition: s\n",
	  "t.yml:5: unknown modifier \"contain\"" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: x\n  condition: s and t\n",
	  "t.yml:6: condition: column 7: unknown search identifier \"t\"" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: x\n  condition: 1 of f*\n",
	  "t.yml:6: condition: column 6: no search identifier matches \"f*\"" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: x\n  condition: (s\n",
	  "t.yml:6: condition: column 3: expected ')'" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: x\n"
	  "  condition: s | count() > 5\n",
	  "t.yml:6: condition: column 3: aggregation expressions (\"| count() ...\") are not part of "
	  "Sigma 2; write a correlation rule" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|all: x\n  condition: s\n",
	  "t.yml:5: all needs a list of two or more values" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|exists: yes\n  condition: s\n",
	  "t.yml:5: exists takes true or false" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|gt: ten\n  condition: s\n",
	  "t.yml:5: a comparison takes numbers, not \"ten\"" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|cidr: 10.0.0.0/33\n"
	  "  condition: s\n",
	  "t.yml:5: cidr: bad prefix length in \"10.0.0.0/33\"" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|re: '(x'\n  condition: s\n",
	  "t.yml:5: invalid regular expression \"(x\": missing closing parenthesis at offset 2" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|expand: '%Nobody%'\n"
	  "  condition: s\n",
	  "t.yml:5: expand: placeholder %Nobody% has no values defined" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|contains|startswith: x\n"
	  "  condition: s\n",
	  "t.yml:5: modifiers contains, startswith and endswith exclude each other" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a|base64|contains: 'x*'\n"
	  "  condition: s\n",
	  "t.yml:5: wildcards cannot be combined with base64 encodings" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: x\n  timeframe: 5m\n"
	  "  condition: s\n",
	  "t.yml:6: timeframe is Sigma 1 aggregation; write a correlation rule" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  condition: s\n",
	  "t.yml:4: detection has no search identifiers" },
	{ "logsource: {product: x}\ndetection:\n  s:\n    a: x\n  condition: s\n",
	  "t.yml:1: a rule needs a title" },
	{ "title: t\ndetection:\n  s:\n    a: x\n  condition: s\n", "t.yml:1: a rule needs a logsource" },
	{ "title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: [x\n",
	  "t.yml:6: invalid YAML: flow sequence without a closing bracket" },
};

static void test_refused(void **state)
{
	size_t i;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		vg_error err = { 0 };

		if (run_rule(refused[i].rule, "{}", &err) != -1 ||
		    strcmp(err.msg, refused[i].error) != 0) {
			fprintf(stderr, "refusal %zu: expected \"%s\"\n                got \"%s\"\n", i,
				refused[i].error, err.msg);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* A filter (meta rule) ANDs its condition into the rules it names and
 * applies only where its log source fits. */
static void test_filters(void **state)
{
	static const char rules[] =
		"title: whoami\nid: r1\nlogsource: {product: windows, category: process_creation}\n"
		"detection:\n  s:\n    Image|endswith: '\\whoami.exe'\n  condition: s\n"
		"---\n"
		"title: other\nid: r2\nlogsource: {product: windows, category: process_creation}\n"
		"detection:\n  s:\n    Image|endswith: '\\whoami.exe'\n  condition: s\n"
		"---\n"
		"title: not the admins\nlogsource: {product: windows}\n"
		"filter:\n  rules: [r1]\n  selection:\n    User|startswith: adm_\n"
		"  condition: not selection\n"
		"---\n"
		"title: wrong log source\nlogsource: {product: linux}\n"
		"filter:\n  rules: any\n  selection:\n    User: joe\n  condition: not selection\n";
	const char *admin = "{\"Image\":\"C:\\\\whoami.exe\",\"User\":\"adm_x\"}";
	const char *joe = "{\"Image\":\"C:\\\\whoami.exe\",\"User\":\"joe\"}";
	vg_ruleset set = { 0 };
	vg_engine *e = NULL;
	vg_matcher *m = NULL;
	vg_error err = { 0 };
	const vg_rule *const *matched;
	size_t n;

	(void)state;
	assert_int_equal(vg_rules_load(&set, rules, strlen(rules), "f.yml", &err), VG_OK);
	assert_int_equal(vg_engine_new(&set, NULL, NULL, &e, &err), VG_OK);
	assert_int_equal(vg_matcher_new(e, &m, &err), VG_OK);
	assert_int_equal(vg_matcher_run(m, admin, strlen(admin), &matched, &n, &err), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(matched[0]->id, "r2");
	assert_int_equal(vg_matcher_run(m, joe, strlen(joe), &matched, &n, &err), VG_OK);
	assert_int_equal(n, 2);
	vg_matcher_free(m);
	vg_engine_free(e);
	vg_ruleset_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_filters),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
