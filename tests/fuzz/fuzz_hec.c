/*
 * fuzz_hec.c - Splunk HEC event bodies (api_hec_read, api/hec.c): JSON
 * objects one after another, each turned into the record its source type
 * reads.
 *
 * Input: byte 0 picks the source type (json, cloudtrail, windows, syslog,
 * nginx), byte 1 the largest event (256 bytes to 64 KiB); the rest is the
 * body.
 * Promises checked: a body is read or refused, never half-read - on VG_OK
 * every event was handed over, once, as a record within the size limit (a
 * JSON type's a single valid JSON object); on VG_EINVAL nothing was handed
 * over and the fault names one of Splunk's codes, an event no further than
 * the body reaches and a message; nothing else is returned.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "detect/extract.h"
#include "detect/source.h"

static const char *const types[] = { "json", "cloudtrail", "windows", "syslog", "nginx" };

typedef struct seen {
	bool json;
	size_t max_event, n;
	vg_fieldset *fs;
	vg_fields fields;
} seen;

static int check_record(void *arg, const char *rec, size_t len, vg_error *err)
{
	seen *s = arg;

	(void)err;
	if (len > s->max_event || rec[len] != '\0')
		abort();
	if (s->json && vg_fields_extract(s->fs, rec, len, &s->fields, NULL) != VG_OK)
		abort();
	s->n++;
	return VG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const vg_source_type *t;
	api_hec_fault fault;
	vg_error err = { 0 };
	seen s = { 0 };
	size_t n = 0;
	int rc;

	if (size < 2)
		return 0;
	t = vg_source_type_find(types[data[0] % (sizeof(types) / sizeof(types[0]))], &err);
	if (!t)
		abort();
	s.json = strcmp(t->parser, "json") == 0;
	s.max_event = 256 + (size_t)data[1] * 256;
	s.fs = vg_fieldset_new();
	rc = api_hec_read((const char *)data + 2, size - 2, t, s.max_event, check_record, &s, &n,
			  &fault, &err);
	if (rc == VG_OK) {
		if (n == 0 || n != s.n)
			abort();
	} else if (rc == VG_EINVAL) {
		if (s.n || !fault.msg[0] || fault.offset > size - 2 || fault.event > size - 2)
			abort();
		if (fault.code != API_HEC_NO_DATA && fault.code != API_HEC_INVALID_DATA &&
		    fault.code != API_HEC_EVENT_REQUIRED && fault.code != API_HEC_EVENT_BLANK &&
		    fault.code != API_HEC_INDEXED_FIELDS)
			abort();
	} else if (rc != VG_ENOMEM) {
		abort();
	}
	vg_fields_release(&s.fields);
	vg_fieldset_free(s.fs);
	return 0;
}
