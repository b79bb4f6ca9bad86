/*
 * fuzz_findings.c - a product's alert read into the one alert model
 * (vg_findings_read, content/findings.yaml). The first byte picks the
 * source type; the rest is the event, read by jansson as the pipeline
 * does.
 *
 * Promises checked:
 *  - any event is read (VG_OK) or refused with VG_EINVAL and a message,
 *    never a crash, a leak or an out-of-memory abort;
 *  - a read event gives at least one finding, each with a uid, a rule id
 *    "<type>:<kind>", a title, a vendor and a product that are not empty,
 *    and a severity_id of 1 to 5;
 *  - a refusal hands back no findings.
 */
#include "fuzz.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/finding.h"

static const char *const types[] = { "asff",        "azure-defender", "aliyun-sas",
				     "tencent-cwp", "huawei-hss",     "huawei-secmaster" };
#define NTYPES (sizeof(types) / sizeof(types[0]))

static bool filled(const char *s)
{
	return s && *s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static vg_finding unset; /* to see that a refusal clears *out */
	const vg_finding_type *t;
	vg_finding *v = &unset;
	vg_error err = { 0 };
	json_t *event;
	size_t n = 99, i;
	int rc;

	if (size < 1)
		return 0;
	t = vg_finding_type_find(types[data[0] % NTYPES], &err);
	if (!t || !vg_finding_type_raises(t))
		abort();
	event = json_loadb((const char *)data + 1, size - 1, JSON_ALLOW_NUL, NULL);
	if (!event)
		return 0;
	rc = vg_findings_read(t, event, &v, &n, &err);
	if (rc == VG_EINVAL) {
		if (v || n || !err.msg[0])
			abort();
	} else if (rc != VG_OK || !n) {
		abort();
	}
	for (i = 0; i < n; i++) {
		const vg_finding *f = &v[i];
		size_t tl = strlen(types[data[0] % NTYPES]);

		if (!filled(f->uid) || !filled(f->title) || !filled(f->vendor) ||
		    !filled(f->product) || !filled(f->native_severity) || f->severity_id < 1 ||
		    f->severity_id > 5 || strncmp(f->rule_id, types[data[0] % NTYPES], tl) != 0 ||
		    f->rule_id[tl] != ':' || !f->rule_id[tl + 1])
			abort();
	}
	vg_findings_free(v, n);
	json_decref(event);
	return 0;
}
