/*
 * fuzz_sigma_rules.c - the Sigma rule loader and compiler (vg_rules_load,
 * vg_engine_new, vg_correlator_new) on arbitrary YAML.
 *
 * Promises checked: any input loads or is refused with VG_EINVAL and a
 * message that names the file ("fuzz.yml:"); a refused input adds nothing
 * to the rule set; loaded rules compile or are refused the same way, and a
 * compiled engine matches a fixed event without error. Leaks show up
 * through LeakSanitizer.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "detect/correlate.h"
#include "detect/engine.h"
#include "detect/rule.h"

static const char event[] =
	"{\"Image\":\"C:\\\\Windows\\\\cmd.exe\",\"CommandLine\":\"cmd /c whoami\",\"EventID\":1,"
	"\"a\":{\"b\":[1,\"x\",null]},\"ip\":\"10.1.2.3\",\"t\":\"2026-03-27T13:06:56Z\"}";

static void refused_properly(int rc, const vg_error *err)
{
	if (rc != VG_EINVAL || strncmp(err->msg, "fuzz.yml", 8) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_engine_options opts = { .placeholders_unknown_ok = true };
	vg_ruleset set = { 0 };
	vg_engine *e = NULL;
	vg_matcher *m = NULL;
	vg_correlator *c = NULL;
	const vg_rule *const *matched;
	vg_error err = { 0 };
	size_t n;
	int rc;

	rc = vg_rules_load(&set, (const char *)data, size, "fuzz.yml", &err);
	if (rc) {
		refused_properly(rc, &err);
		if (set.n)
			abort();
		goto out;
	}
	rc = vg_engine_new(&set, NULL, &opts, &e, &err);
	if (rc) {
		/* Vectorscan may refuse a pattern past its limits (VG_EFAIL). */
		if (rc != VG_EFAIL)
			refused_properly(rc, &err);
		goto out;
	}
	if (vg_matcher_new(e, &m, &err) ||
	    vg_matcher_run(m, event, sizeof(event) - 1, &matched, &n, &err))
		abort();
	rc = vg_correlator_new(&set, &c, &err);
	if (rc)
		refused_properly(rc, &err);
out:
	vg_correlator_free(c);
	vg_matcher_free(m);
	vg_engine_free(e);
	vg_ruleset_release(&set);
	return 0;
}
