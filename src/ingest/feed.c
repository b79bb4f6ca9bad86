/*
 * feed.c - framing, parsing and field extraction for one source's input
 * (see feed.h).
 */
#include "ingest/feed.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "ingest/json_reader.h"
#include "ingest/line_parser.h"

struct vg_feed {
	const vg_source_type *type;
	const vg_fieldset *fs;
	vg_line_parse_fn parse; /* NULL: the input is JSON */
	vg_line_ctx ctx;
	size_t max_event;
	char *carry; /* the incomplete record left by the last push */
	size_t carry_len, carry_cap;
	size_t line;     /* number of the line the carry (or next input) starts */
	uint64_t offset; /* input bytes before the carry */
	bool skipping;   /* text: discarding the rest of an overlong line */
	bool started, array; /* JSON: past the first record; inside a top-level array */
	bool skip_line;      /* JSON: discarding the rest of a refused record's line */
	vg_fields fields;
	vg_json_reader *reading; /* JSON: the reader of the push under way */
	const char *record;      /* JSON: the event handed to the sink */
	vg_buf json; /* a text line as JSON */
	vg_feed_counts counts;
};

vg_feed *vg_feed_new(const vg_source_type *type, const vg_fieldset *fs,
		     const vg_feed_options *opts)
{
	vg_feed *f = vg_xcalloc(1, sizeof(*f));

	f->type = type;
	f->fs = fs;
	f->parse = vg_line_parser_for(type);
	f->ctx.type = type;
	f->ctx.now_ms = opts ? opts->now_ms : 0;
	f->ctx.year = opts ? opts->year : 0;
	f->max_event = opts && opts->max_event ? opts->max_event : VG_FEED_MAX_EVENT_DEFAULT;
	f->line = 1;
	/* A text line grows by its escapes and added fields as JSON. */
	f->json = (vg_buf)VG_BUF_INIT(4 * f->max_event + 4096);
	return f;
}

void vg_feed_free(vg_feed *f)
{
	if (!f)
		return;
	free(f->carry);
	vg_fields_release(&f->fields);
	vg_buf_release(&f->json);
	free(f);
}

size_t vg_feed_event_line(vg_feed *f)
{
	return f->reading ? vg_json_reader_line_at(f->reading, f->record) : f->line;
}

void vg_feed_counts_get(const vg_feed *f, vg_feed_counts *out)
{
	*out = f->counts;
}

static void refuse(vg_feed *f, const vg_feed_sink *sink, vg_reject *rej)
{
	f->counts.rejected++;
	f->counts.by_reason[rej->reason]++;
	if (sink->reject)
		sink->reject(sink->arg, rej);
}

static void refuse(vg_feed *f, const vg_feed_sink *sink, vg_reject *rej);

static int hand_on(vg_feed *f, const vg_feed_sink *sink, const char *json, size_t len,
		   vg_error *err)
{
	f->counts.events++;
	return sink->event ? sink->event(sink->arg, json, len, &f->fields, err) : VG_OK;
}

/* The list of events json holds under one of the type's records keys
 * (a new reference), or NULL when it is an event itself. */
static json_t *records_of(const vg_feed *f, const char *json, size_t len)
{
	json_t *o = NULL, *list = NULL;
	size_t i;

	for (i = 0; i < f->type->nrecords && !o; i++) {
		char quoted[72];
		int n = snprintf(quoted, sizeof(quoted), "\"%s\"", f->type->records[i]);

		/* Most events are not envelopes: look before parsing. */
		if (n > 0 && (size_t)n < sizeof(quoted) && memmem(json, len, quoted, (size_t)n))
			o = json_loadb(json, len, JSON_ALLOW_NUL, NULL);
	}
	for (i = 0; o && i < f->type->nrecords && !list; i++)
		list = json_object_get(o, f->type->records[i]);
	if (json_is_array(list))
		json_incref(list);
	else
		list = NULL;
	json_decref(o);
	return list;
}

/* An envelope's events one by one, each as compact JSON; an element that
 * is not an object is refused. */
static int split_records(vg_feed *f, const vg_feed_sink *sink, json_t *list, vg_error *err)
{
	size_t i;
	int rc = VG_OK;

	for (i = 0; i < json_array_size(list) && rc == VG_OK; i++) {
		json_t *e = json_array_get(list, i);
		char *text = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
		vg_error xerr = { 0 };

		if (!text)
			return vg_error_set(err, VG_ENOMEM, "line %zu: out of memory splitting records",
					    f->line);
		if (json_is_object(e) &&
		    (rc = vg_fields_extract(f->fs, text, strlen(text), &f->fields, &xerr)) == VG_OK) {
			rc = hand_on(f, sink, text, strlen(text), err);
		} else if (!json_is_object(e) || rc == VG_EINVAL) {
			vg_reject rej = { .reason = json_is_object(e) ? VG_REJECT_INVALID_JSON
								      : VG_REJECT_NOT_OBJECT,
					  .raw = text, .raw_len = strlen(text) };

			snprintf(rej.msg, sizeof(rej.msg), "record %zu of the list: %.100s", i,
				 json_is_object(e) ? xerr.msg : "not an object");
			vg_reject_at_line(&rej, f->line);
			refuse(f, sink, &rej);
			rc = VG_OK;
		} else {
			rc = vg_error_set(err, rc, "line %zu: %s", f->line, xerr.msg);
		}
		free(text);
	}
	return rc;
}

static int accept_event(vg_feed *f, const vg_feed_sink *sink, const char *json, size_t len,
			vg_error *err)
{
	json_t *list = f->type->nrecords ? records_of(f, json, len) : NULL;
	int rc;

	if (!list)
		return hand_on(f, sink, json, len, err);
	rc = split_records(f, sink, list, err);
	json_decref(list);
	return rc;
}

static int text_line(vg_feed *f, const vg_feed_sink *sink, const char *line, size_t len,
		     uint64_t offset, vg_error *err)
{
	vg_reject rej = { 0 };
	vg_error xerr = { 0 };
	size_t i;
	int rc;

	rej.line = f->line;
	rej.offset = offset;
	rej.raw = line;
	rej.raw_len = len;
	/* Too long is too long, blank or not: push_text cannot wait for the
	 * end of an overlong line to see. */
	if (len > f->max_event) {
		rej.reason = VG_REJECT_TOO_LARGE;
		snprintf(rej.msg, sizeof(rej.msg), "longer than %zu bytes", f->max_event);
		vg_reject_at_line(&rej, f->line);
		refuse(f, sink, &rej);
		return VG_OK;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	if (i == len)
		return VG_OK;
	vg_buf_reset(&f->json);
	rc = f->parse(line, len, &f->ctx, &f->json, &rej);
	if (rc == VG_ETOOBIG) {
		/* Escapes can make the JSON of a line several times its size. */
		rej.reason = VG_REJECT_TOO_LARGE;
		snprintf(rej.msg, sizeof(rej.msg), "longer than %zu bytes as JSON", f->json.max);
		rc = VG_EINVAL;
	}
	if (rc == VG_EINVAL) {
		vg_reject_at_line(&rej, f->line);
		refuse(f, sink, &rej);
		return VG_OK;
	}
	if (rc)
		return vg_error_set(err, rc, "line %zu: out of memory writing the event", f->line);
	rc = vg_fields_extract(f->fs, f->json.ptr, f->json.len, &f->fields, &xerr);
	if (rc)
		return vg_error_set(err, rc == VG_EINVAL ? VG_EFAIL : rc,
				    "line %zu: the %s parser wrote invalid JSON: %s", f->line,
				    f->type->parser, xerr.msg);
	return accept_event(f, sink, f->json.ptr, f->json.len, err);
}

/* Text input: one record a line. Returns the bytes consumed. */
static int push_text(vg_feed *f, const char *buf, size_t len, bool final,
		     const vg_feed_sink *sink, size_t *consumed, vg_error *err)
{
	const char *p = buf, *end = buf + len, *nl, *line_end;
	int rc = VG_OK;

	while (p < end && rc == VG_OK) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !final) {
			if ((size_t)(end - p) > f->max_event && !f->skipping) {
				vg_reject rej = { .reason = VG_REJECT_TOO_LARGE, .line = f->line,
						  .offset = f->offset + (size_t)(p - buf),
						  .raw = p, .raw_len = f->max_event };

				snprintf(rej.msg, sizeof(rej.msg), "longer than %zu bytes",
					 f->max_event);
				vg_reject_at_line(&rej, f->line);
				refuse(f, sink, &rej);
				f->skipping = true;
			}
			if (f->skipping)
				p = end;
			break;
		}
		line_end = nl ? nl : end;
		if (f->skipping)
			f->skipping = false;
		else
			rc = text_line(f, sink, p, (size_t)(line_end - p), f->offset + (size_t)(p - buf),
				       err);
		if (nl)
			f->line++;
		p = nl ? nl + 1 : end;
	}
	*consumed = (size_t)(p - buf);
	return rc;
}

static int push_json(vg_feed *f, const char *buf, size_t len, bool final,
		     const vg_feed_sink *sink, size_t *consumed, vg_error *err)
{
	vg_json_reader r;
	vg_reject rej;
	vg_str event;
	int rc = VG_OK, res;

	vg_json_reader_init(&r, buf, len, f->max_event, final, f->line);
	f->reading = &r;
	r.started = f->started;
	r.array = f->array;
	r.skip_line = f->skip_line;
	while (rc == VG_OK) {
		res = vg_json_reader_next(&r, f->fs, &f->fields, &event, &rej);
		if (res == VG_READ_EVENT) {
			f->record = event.ptr;
			rc = accept_event(f, sink, event.ptr, event.len, err);
		} else if (res == VG_READ_REJECT) {
			rej.offset += f->offset;
			refuse(f, sink, &rej);
		} else if (res < 0) {
			rc = vg_error_set(err, res, "out of memory reading an event");
		} else {
			break;
		}
	}
	f->reading = NULL;
	*consumed = vg_json_reader_offset(&r);
	f->line = vg_json_reader_line(&r);
	f->started = r.started;
	f->array = r.array;
	f->skip_line = r.skip_line;
	return rc;
}

int vg_feed_push(vg_feed *f, const char *data, size_t len, bool final, const vg_feed_sink *sink,
		 vg_error *err)
{
	const char *buf = len ? data : "";
	size_t n = len, consumed = 0;
	int rc;

	f->counts.bytes += len;
	if (f->carry_len) {
		if (f->carry_len + len > f->carry_cap) {
			size_t cap = f->carry_len + len;
			char *c = realloc(f->carry, cap);

			if (!c)
				return vg_error_set(err, VG_ENOMEM, "out of memory joining input");
			f->carry = c;
			f->carry_cap = cap;
		}
		if (len)
			memcpy(f->carry + f->carry_len, data, len);
		buf = f->carry;
		n = f->carry_len + len;
	}
	rc = f->parse ? push_text(f, buf, n, final, sink, &consumed, err)
		      : push_json(f, buf, n, final, sink, &consumed, err);
	f->offset += consumed;
	if (rc || final || consumed == n) {
		f->carry_len = 0;
		return rc;
	}
	/* Keep the incomplete tail for the next piece. */
	if (buf == f->carry) {
		memmove(f->carry, f->carry + consumed, n - consumed);
	} else {
		if (n - consumed > f->carry_cap) {
			char *c = realloc(f->carry, n - consumed);

			if (!c)
				return vg_error_set(err, VG_ENOMEM, "out of memory keeping input");
			f->carry = c;
			f->carry_cap = n - consumed;
		}
		memcpy(f->carry, buf + consumed, n - consumed);
	}
	f->carry_len = n - consumed;
	return VG_OK;
}

int vg_feed_push_record(vg_feed *f, const char *data, size_t len, const vg_feed_sink *sink,
			vg_error *err)
{
	size_t consumed;
	int rc;

	f->counts.bytes += len;
	if (!f->parse) {
		bool started = f->started, array = f->array;

		rc = push_json(f, data, len, true, sink, &consumed, err);
		f->started = started;
		f->array = array;
	} else {
		rc = text_line(f, sink, data, len, f->offset, err);
		f->line++;
	}
	f->offset += len;
	return rc;
}
