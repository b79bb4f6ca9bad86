/*
 * fuzz_access_log.c - one access log line (NCSA common or combined) into a
 * JSON event (vg_access_log_parse).
 *
 * Promises checked:
 *  - a line is parsed (VG_OK), or refused with VG_EINVAL, a reason and a
 *    message, leaving out exactly as it was;
 *  - a parsed line appends one JSON object that vg_fields_extract accepts,
 *    starting with its "timestamp", after what out held;
 *  - with out one byte too small for that object, VG_ETOOBIG and out as
 *    it was.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "detect/extract.h"
#include "detect/source.h"
#include "ingest/line_parser.h"

#define PARSE vg_access_log_parse
#define TYPE "nginx"

/* Where out starts: empty, or holding text from before. */
static const char before[] = "{\"earlier\":1}\n";

static void check(const char *line, size_t len, const vg_line_ctx *ctx, bool prefilled)
{
	static vg_fieldset *fs;
	vg_buf out = VG_BUF_INIT(1 << 24), small;
	vg_reject rej = { .reason = VG_REJECT_NREASONS };
	vg_fields f = { 0 };
	size_t mark;
	int rc;

	if (!fs)
		fs = vg_fieldset_new();
	if (prefilled && vg_buf_puts(&out, before) != VG_OK)
		abort();
	mark = out.len;
	rc = PARSE(line, len, ctx, &out, &rej);
	if (rc == VG_EINVAL) {
		if ((unsigned)rej.reason >= VG_REJECT_NREASONS || !rej.msg[0] || out.len != mark ||
		    (mark && memcmp(out.ptr, before, mark) != 0) || (out.ptr && out.ptr[mark] != '\0'))
			abort();
		vg_buf_release(&out);
		return;
	}
	if (rc != VG_OK || out.len <= mark || (mark && memcmp(out.ptr, before, mark) != 0) ||
	    strncmp(out.ptr + mark, "{\"timestamp\":\"", 14) != 0 ||
	    vg_fields_extract(fs, out.ptr + mark, out.len - mark, &f, NULL) != VG_OK)
		abort();
	vg_fields_release(&f);
	/* One byte short: refused as too big, out untouched. */
	small = (vg_buf)VG_BUF_INIT(out.len - 1);
	if (prefilled && vg_buf_puts(&small, before) != VG_OK)
		abort();
	if (PARSE(line, len, ctx, &small, &rej) != VG_ETOOBIG || small.len != mark ||
	    (small.ptr && small.ptr[mark] != '\0'))
		abort();
	vg_buf_release(&small);
	vg_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const vg_source_type *type;
	vg_line_ctx ctx = { 0 };
	char *line;

	if (!type && !(type = vg_source_type_find(TYPE, NULL)))
		abort();
	ctx.type = type;
	/* 2026-04-15T12:00:00Z, and a year from the first byte (0: guess). */
	ctx.now_ms = 1776254400000LL;
	ctx.year = size && data[0] < 0x20 ? 2000 + data[0] : 0;
	line = malloc(size ? size : 1); /* exact size, for ASan */
	memcpy(line, data, size);
	check(line, size, &ctx, false);
	check(line, size, &ctx, true);
	free(line);
	return 0;
}
