/*
 * rules.c - `vigil rules lint|test PATH...`: check Sigma rule files and run
 * the tests attached to them.
 */
#include "cmd/cmd.h"

#include <string.h>

#include "detect/lint.h"
#include "detect/rule.h"

static const char usage[] =
	"usage: vigil rules lint PATH...\n"
	"       vigil rules test PATH...\n\n"
	"lint  reads every rule file (a file, or every *.yml/*.yaml under a\n"
	"      directory), compiles its rules and prints \"FILE: ok\" or the error\n"
	"      with file and line; then checks the references between rules\n"
	"      (filters and correlations) across all files. Exits 1 when any\n"
	"      file fails.\n"
	"test  runs the sample events attached to rules (tests: match/no_match)\n"
	"      and SigmaHQ regression cases (a directory holding info.yml, whose\n"
	"      rule_path or rule id names the rule, and event JSON files), and\n"
	"      prints one line per case.\n";

#define MAX_PATHS 256

static int lint(const char *const *paths, int npaths)
{
	vg_ruleset all = { 0 };
	size_t files = 0, failed = 0, rules = 0, i;
	vg_error err = { 0 };
	int p;

	for (p = 0; p < npaths; p++) {
		vg_rule_files list = { 0 };

		if (vg_rule_files_list(paths[p], &list, &err)) {
			printf("%s\n", err.msg);
			failed++;
			continue;
		}
		for (i = 0; i < list.n; i++) {
			vg_ruleset one = { 0 };
			size_t k;

			files++;
			if (vg_rules_load_file(&one, list.paths[i], &err) == VG_OK &&
			    vg_rules_compile_check(&one, &err) == VG_OK) {
				printf("%s: ok\n", list.paths[i]);
				rules += one.n;
				for (k = 0; k < one.n; k++)
					vg_ruleset_push(&all, one.rules[k]);
				free(one.rules);
				continue;
			}
			printf("%s\n", err.msg);
			failed++;
			vg_ruleset_release(&one);
		}
		vg_rule_files_release(&list);
	}
	if (vg_ruleset_link(&all, &err) != VG_OK) {
		printf("%s\n", err.msg);
		failed++;
	}
	vg_ruleset_release(&all);
	printf("%zu files, %zu rules: %zu ok, %zu failed\n", files, rules, files - failed, failed);
	return failed ? VG_EXIT_FAIL : VG_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
	const char *pos[MAX_PATHS + 1];
	cmd_flag flags[] = { { 0 } };
	int status, npos;

	if (!cmd_parse_flags(argc, argv, flags, pos, MAX_PATHS + 1, &npos, usage, &status))
		return status;
	if (npos < 2)
		return cmd_usage_error(usage, "give lint or test and at least one path");
	if (strcmp(pos[0], "lint") == 0)
		return lint(pos + 1, npos - 1);
	if (strcmp(pos[0], "test") == 0)
		return cmd_rules_test(pos + 1, npos - 1);
	return cmd_usage_error(usage, "unknown rules command \"%s\"", pos[0]);
}
