/*
 * fuzz_json_reader.c - JSON streams through a feed of the json source type
 * (vg_feed_push over ingest/json_reader.c).
 *
 * Promises checked:
 *  - the input fed whole, in three pieces cut at places taken from the
 *    data, and (when short) a byte at a time gives the same events and the
 *    same refusals (reason, line, offset, message), in the same order;
 *  - every event is one JSON object vg_fields_extract accepts, and its
 *    fields are those of that object;
 *  - every refusal has a reason, a 1-based line within the input, an
 *    offset past the one before, and a message that starts "line N: ";
 *  - the feed's counts add up to what the sink saw and to the input size.
 * The event size limit is taken from the data too, small or the default.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "detect/source.h"
#include "ingest/feed.h"

typedef struct seen {
	vg_buf text;
	size_t events, rejects, lines, size;
	uint64_t last_offset;
	bool any_reject;
	const vg_fieldset *fs;
	uint32_t id;
} seen;

static vg_fieldset *fieldset(uint32_t *id)
{
	static vg_fieldset *fs;
	static uint32_t id_;

	if (!fs) {
		fs = vg_fieldset_new();
		id_ = vg_fieldset_add(fs, "id");
		vg_fieldset_add(fs, "a.b");
		vg_fieldset_add(fs, "*.x");
		vg_fieldset_add_all_strings(fs);
	}
	*id = id_;
	return fs;
}

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		    vg_error *err)
{
	seen *s = arg;
	vg_fields again = { 0 };
	const vg_fvalue *v = vg_fields_first(fields, s->id), *w;

	(void)err;
	/* One object, and the fields handed on are its fields. */
	if (vg_fields_extract(s->fs, json, len, &again, NULL) != VG_OK)
		abort();
	w = vg_fields_first(&again, s->id);
	if (!v != !w || (v && (v->len != w->len || v->type != w->type ||
			       memcmp(v->ptr, w->ptr, v->len) != 0)))
		abort();
	vg_fields_release(&again);
	s->events++;
	vg_buf_printf(&s->text, "E %zu ", len);
	vg_buf_append(&s->text, json, len);
	if (v) {
		vg_buf_printf(&s->text, " id=%u:", v->type);
		vg_buf_append(&s->text, v->ptr, v->len);
	}
	vg_buf_puts(&s->text, "\n");
	return VG_OK;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	seen *s = arg;
	char prefix[40];

	snprintf(prefix, sizeof(prefix), "line %zu: ", rej->line);
	if ((unsigned)rej->reason >= VG_REJECT_NREASONS || rej->line < 1 || rej->line > s->lines ||
	    rej->offset >= s->size || (s->any_reject && rej->offset <= s->last_offset) ||
	    strncmp(rej->msg, prefix, strlen(prefix)) != 0 || strlen(rej->msg) == strlen(prefix))
		abort();
	s->any_reject = true;
	s->last_offset = rej->offset;
	s->rejects++;
	vg_buf_printf(&s->text, "R %s %zu %zu %s\n", vg_reject_reason_name(rej->reason), rej->line,
		      rej->offset, rej->msg);
}

/* Feeds data cut at the ascending offsets cuts[0..n), returns what the
 * sink saw (free() it). */
static char *feed(const char *data, size_t size, size_t max_event, const size_t *cuts, size_t n)
{
	static const vg_source_type *type;
	vg_feed_options opts = { .max_event = max_event };
	seen s = { .text = VG_BUF_INIT(1 << 26), .size = size, .lines = 1 };
	vg_feed_sink sink = { on_event, on_reject, &s };
	vg_feed_counts counts;
	vg_error err = { 0 };
	uint64_t by_reason = 0;
	size_t at = 0;
	vg_feed *f;
	char *text;

	if (!type && !(type = vg_source_type_find("json", &err)))
		abort();
	s.fs = fieldset(&s.id);
	for (size_t i = 0; i < size; i++)
		s.lines += data[i] == '\n';
	f = vg_feed_new(type, s.fs, &opts);
	for (size_t i = 0; i <= n; i++) {
		size_t to = i < n ? cuts[i] : size;
		char *piece = malloc(to - at ? to - at : 1); /* exact size, for ASan */

		memcpy(piece, data + at, to - at);
		if (vg_feed_push(f, piece, to - at, i == n, &sink, &err) != VG_OK)
			abort();
		free(piece);
		at = to;
	}
	vg_feed_counts_get(f, &counts);
	for (int r = 0; r < VG_REJECT_NREASONS; r++)
		by_reason += counts.by_reason[r];
	if (counts.events != s.events || counts.rejected != s.rejects || by_reason != s.rejects ||
	    counts.bytes != size)
		abort();
	vg_feed_free(f);
	text = vg_buf_detach(&s.text);
	return text ? text : calloc(1, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	uint32_t h = 2166136261u;
	size_t max_event, cuts[2];
	char *whole, *pieces;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	max_event = h & 1 ? 0 : 8 + (h >> 1) % 256;
	cuts[0] = size ? (h >> 8) % (size + 1) : 0;
	cuts[1] = size ? (h >> 20) % (size + 1) : 0;
	if (cuts[0] > cuts[1]) {
		size_t t = cuts[0];

		cuts[0] = cuts[1];
		cuts[1] = t;
	}
	whole = feed(in, size, max_event, NULL, 0);
	pieces = feed(in, size, max_event, cuts, 2);
	if (strcmp(whole, pieces) != 0)
		abort();
	free(pieces);
	if (size <= 256) {
		size_t bytes[256];

		for (size_t i = 0; i + 1 < size; i++)
			bytes[i] = i + 1;
		pieces = feed(in, size, max_event, bytes, size ? size - 1 : 0);
		if (strcmp(whole, pieces) != 0)
			abort();
		free(pieces);
	}
	free(whole);
	return 0;
}
