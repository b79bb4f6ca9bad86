/*
 * line_parse.h - what the unit tests of the line parsers (CEF, LEEF)
 * share: one line through a parser, as the JSON it makes or the refusal.
 * Header-only, like testutil.h, so each test stays one file of its own.
 * Include it after cmocka.h.
 */
#ifndef VG_TESTS_LINE_PARSE_H
#define VG_TESTS_LINE_PARSE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "detect/extract.h"
#include "detect/source.h"
#include "ingest/line_parser.h"

static inline int64_t at(const char *iso)
{
	int64_t ms;

	if (vg_time_parse_iso(iso, &ms))
		fail_msg("bad stamp %s", iso);
	return ms;
}

static inline const vg_source_type *type_named(const char *name)
{
	vg_error err = { 0 };
	const vg_source_type *t = vg_source_type_find(name, &err);

	if (!t)
		fail_msg("%s type: %s", name, err.msg);
	return t;
}

/* What the parser of type makes of len bytes of line, read at now_ms: the
 * JSON, or "REJECT <reason>: <message>". Checks that a refusal leaves out
 * alone and that an event is one JSON object the extractor accepts. */
static inline const char *line_parse(const char *type, int64_t now_ms, const char *line,
				     size_t len, char *res, size_t size)
{
	static const char before[] = "[before]";
	const vg_source_type *t = type_named(type);
	vg_line_ctx ctx = { t, now_ms, 0 };
	vg_buf out = VG_BUF_INIT(1 << 20);
	vg_reject rej = { .reason = VG_REJECT_NREASONS };
	char *copy = malloc(len ? len : 1); /* exact size, for ASan */
	int rc;

	memcpy(copy, line, len);
	vg_buf_puts(&out, before);
	rc = vg_line_parser_for(t)(copy, len, &ctx, &out, &rej);
	if (rc == VG_EINVAL) {
		assert_string_equal(vg_buf_cstr(&out), before);
		assert_true(rej.reason < VG_REJECT_NREASONS);
		snprintf(res, size, "REJECT %s: %s", vg_reject_reason_name(rej.reason), rej.msg);
	} else {
		vg_fieldset *fs = vg_fieldset_new();
		vg_fields f = { 0 };
		vg_error err = { 0 };

		assert_int_equal(rc, VG_OK);
		if (vg_fields_extract(fs, out.ptr + sizeof(before) - 1,
				      out.len - (sizeof(before) - 1), &f, &err))
			fail_msg("%s: invalid JSON: %s", out.ptr, err.msg);
		snprintf(res, size, "%s", out.ptr + sizeof(before) - 1);
		vg_fields_release(&f);
		vg_fieldset_free(fs);
	}
	vg_buf_release(&out);
	free(copy);
	return res;
}

#endif
