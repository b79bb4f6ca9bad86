/*
 * line_parser_fuzz.c - the checks every line parser's fuzz target makes
 * (fuzz_syslog, fuzz_access_log): one line into a JSON event through the
 * source type's parser (ingest/line_parser.h).
 *
 * Promises checked:
 *  - a line is parsed (VG_OK), or refused with VG_EINVAL, a reason and a
 *    message, leaving out exactly as it was;
 *  - a parsed line appends one JSON object that vg_fields_extract accepts,
 *    starting with its "timestamp", after what out held;
 *  - with out one byte too small for that object, VG_ETOOBIG and out as
 *    it was;
 *  - the first byte picks the year of BSD stamps (given or guessed);
 *  - the input read as lines through a feed gives the same events and
 *    refusals whole and in two pieces cut where the data says.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "detect/extract.h"
#include "detect/source.h"
#include "ingest/feed.h"
#include "ingest/line_parser.h"

/* Where out starts: empty, or holding text from before. */
static const char before[] = "{\"earlier\":1}\n";

static void check(vg_line_parse_fn parse, const char *line, size_t len, const vg_line_ctx *ctx,
		  bool prefilled)
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
	rc = parse(line, len, ctx, &out, &rej);
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
	if (parse(line, len, ctx, &small, &rej) != VG_ETOOBIG || small.len != mark ||
	    (small.ptr && small.ptr[mark] != '\0'))
		abort();
	vg_buf_release(&small);
	vg_buf_release(&out);
}

/* ---- the same input, as lines through a feed, whole and in pieces ---- */

typedef struct seen {
	vg_buf text;
	size_t events, rejects;
} seen;

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		    vg_error *err)
{
	seen *s = arg;

	(void)fields;
	(void)err;
	s->events++;
	vg_buf_puts(&s->text, "E ");
	vg_buf_append(&s->text, json, len);
	vg_buf_puts(&s->text, "\n");
	return VG_OK;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	seen *s = arg;

	if ((unsigned)rej->reason >= VG_REJECT_NREASONS || rej->line < 1 ||
	    strncmp(rej->msg, "line ", 5) != 0)
		abort();
	s->rejects++;
	vg_buf_printf(&s->text, "R %d %zu %zu %s\n", (int)rej->reason, rej->line, rej->offset,
		      rej->msg);
}

static char *feed(const vg_source_type *type, const char *data, size_t size, size_t max_event,
		  size_t cut)
{
	static vg_fieldset *fs;
	vg_feed_options opts = { .max_event = max_event, .now_ms = 1776254400000LL };
	seen s = { .text = VG_BUF_INIT(1 << 26) };
	vg_feed_sink sink = { on_event, on_reject, &s };
	vg_feed_counts counts;
	vg_error err = { 0 };
	vg_feed *f;
	char *text, *piece;

	if (!fs) {
		fs = vg_fieldset_new();
		vg_fieldset_add(fs, "message");
		vg_fieldset_add_all_strings(fs);
	}
	f = vg_feed_new(type, fs, &opts);
	piece = malloc(cut ? cut : 1);
	memcpy(piece, data, cut);
	if (vg_feed_push(f, piece, cut, cut == size, &sink, &err) != VG_OK)
		abort();
	free(piece);
	if (cut < size) {
		piece = malloc(size - cut);
		memcpy(piece, data + cut, size - cut);
		if (vg_feed_push(f, piece, size - cut, true, &sink, &err) != VG_OK)
			abort();
		free(piece);
	}
	vg_feed_counts_get(f, &counts);
	if (counts.events != s.events || counts.rejected != s.rejects || counts.bytes != size)
		abort();
	vg_feed_free(f);
	text = vg_buf_detach(&s.text);
	return text ? text : calloc(1, 1);
}

/* Whole and in two pieces, the same events and refusals. */
static void check_feed(const vg_source_type *type, const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	size_t max_event, cut;
	char *whole, *pieces;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	max_event = h & 1 ? 0 : 16 + (h >> 1) % 200;
	cut = size ? (h >> 9) % (size + 1) : 0;
	whole = feed(type, (const char *)data, size, max_event, size);
	pieces = feed(type, (const char *)data, size, max_event, cut);
	if (strcmp(whole, pieces) != 0)
		abort();
	free(whole);
	free(pieces);
}

void fuzz_line_parser(const char *type_name, const uint8_t *data, size_t size)
{
	const vg_source_type *type = vg_source_type_find(type_name, NULL);
	vg_line_parse_fn parse = type ? vg_line_parser_for(type) : NULL;
	vg_line_ctx ctx = { 0 };
	char *line;

	if (!parse)
		abort();
	ctx.type = type;
	/* 2026-04-15T12:00:00Z, and a year from the first byte (0: guess). */
	ctx.now_ms = 1776254400000LL;
	ctx.year = size && data[0] < 0x20 ? 2000 + data[0] : 0;
	line = malloc(size ? size : 1); /* exact size, for ASan */
	memcpy(line, data, size);
	check(parse, line, size, &ctx, false);
	check(parse, line, size, &ctx, true);
	free(line);
	check_feed(type, data, size);
}
