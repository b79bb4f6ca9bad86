/*
 * json_reader.c - records out of a JSON stream (see json_reader.h for the
 * rules on where reading resumes after a bad record).
 */
#include "ingest/json_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void vg_json_reader_init(vg_json_reader *r, const char *buf, size_t len, size_t max_event,
			 bool final, size_t base_line)
{
	memset(r, 0, sizeof(*r));
	r->start = r->p = r->line_at = buf;
	r->end = buf + len;
	r->max_event = max_event;
	r->final = final;
	r->line = base_line ? base_line : 1;
}

size_t vg_json_reader_offset(const vg_json_reader *r)
{
	return (size_t)(r->p - r->start);
}

/* The number of the line at, which is not before line_at. */
static size_t line_of(vg_json_reader *r, const char *at)
{
	const char *q = r->line_at;

	while ((q = memchr(q, '\n', (size_t)(at - q))) != NULL) {
		r->line++;
		q++;
	}
	r->line_at = at;
	return r->line;
}

size_t vg_json_reader_line(vg_json_reader *r)
{
	return line_of(r, r->p);
}

size_t vg_json_reader_line_at(vg_json_reader *r, const char *at)
{
	return line_of(r, at);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Skips white space, and inside an array the commas and the closing
 * bracket between elements. */
static void skip_between(vg_json_reader *r)
{
	for (;;) {
		while (r->p < r->end && is_space(*r->p))
			r->p++;
		if (r->p >= r->end || !r->array)
			return;
		if (*r->p == ',') {
			r->p++;
		} else if (*r->p == ']') {
			r->p++;
			r->array = false;
		} else {
			return;
		}
	}
}

static const char *line_start(const char *begin, const char *at)
{
	while (at > begin && at[-1] != '\n')
		at--;
	return at;
}

static enum vg_reject_reason reason_of(enum vg_json_fault f)
{
	switch (f) {
	case VG_JSON_TRUNCATED: return VG_REJECT_TRUNCATED;
	case VG_JSON_UTF8: return VG_REJECT_INVALID_UTF8;
	case VG_JSON_DEPTH: return VG_REJECT_TOO_DEEP;
	case VG_JSON_NOT_OBJECT: return VG_REJECT_NOT_OBJECT;
	default: return VG_REJECT_INVALID_JSON;
	}
}

static int reject(vg_json_reader *r, const char *record, enum vg_reject_reason reason,
		  const char *msg, const char *resume, vg_reject *rej)
{
	const char *raw_end = resume > record ? resume : record;

	/* The record's bytes, without the line end or separator after them;
	 * a too_large one whole when it is all there, so that it can be read
	 * again once the limit is raised. */
	while (raw_end > record && (is_space(raw_end[-1]) || raw_end[-1] == ','))
		raw_end--;
	rej->reason = reason;
	rej->offset = (size_t)(record - r->start);
	rej->raw = record;
	rej->raw_len = (size_t)(raw_end - record);
	snprintf(rej->msg, sizeof(rej->msg), "%s", msg);
	vg_reject_at_line(rej, line_of(r, record));
	r->p = resume;
	return VG_READ_REJECT;
}

/* The scanner looks less than this far past the place it reports an error
 * (the \uXXXX\uXXXX of a surrogate pair from its backslash), so a line end
 * further on cannot change what the error is. */
#define LOOKAHEAD 16

/* Just past the end of at's line. When the line has not all arrived, the
 * rest of it is skipped as it comes (skip_line). */
static const char *after_line(vg_json_reader *r, const char *at)
{
	const char *nl = memchr(at, '\n', (size_t)(r->end - at));

	if (nl)
		return nl + 1;
	if (!r->final)
		r->skip_line = true;
	return r->end;
}

/* Where the next record starts when the one at record was cut short: the
 * first later line, up to at's, that starts with '{' in its first column,
 * or at itself when it is a '{' with only white space before it on a later
 * line. NULL when there is no such place. */
static const char *next_record(const vg_json_reader *r, const char *record, const char *at)
{
	const char *q = record, *ls;

	while ((q = memchr(q, '\n', (size_t)(at - q))) != NULL) {
		q++;
		if (q < r->end && *q == '{')
			return q;
	}
	ls = line_start(record, at);
	if (ls == record || at >= r->end || *at != '{')
		return NULL;
	while (ls < at && is_space(*ls))
		ls++;
	return ls == at ? at : NULL;
}

/* Refuses the record at record as cut short at cut (a line end, or the
 * start of the next record's line), with what scanning it up to there
 * says, and goes on at resume. */
static int reject_cut(vg_json_reader *r, const vg_fieldset *fs, vg_fields *fields,
		      const char *record, const char *cut, const char *resume, vg_reject *rej)
{
	vg_error err = { 0 };
	vg_json_pos pos;
	int rc;

	while (cut > record && is_space(cut[-1]))
		cut--;
	rc = vg_fields_scan(fs, record, (size_t)(cut - record), fields, &pos, &err);

	if (rc == VG_OK)
		return reject(r, record, VG_REJECT_TRUNCATED, "record cut short", resume, rej);
	if (rc != VG_EINVAL)
		return rc;
	return reject(r, record, reason_of(pos.fault), err.msg, resume, rej);
}

/* Skips what is left of a refused record's line; false when the input
 * ends first. */
static bool skip_rest_of_line(vg_json_reader *r)
{
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));

	if (!nl) {
		r->p = r->end;
		return false;
	}
	r->p = nl + 1;
	r->skip_line = false;
	return true;
}

int vg_json_reader_next(vg_json_reader *r, const vg_fieldset *fs, vg_fields *fields,
			vg_str *event, vg_reject *rej)
{
	const char *record, *at, *cut, *nl;
	enum vg_reject_reason reason;
	size_t avail, limit;
	vg_error err = { 0 };
	vg_json_pos pos;
	int rc;

	if (r->skip_line && !skip_rest_of_line(r))
		return r->final ? VG_READ_END : VG_READ_MORE;
	skip_between(r);
	if (!r->started && r->p < r->end) {
		r->started = true;
		if (*r->p == '[') {
			r->p++;
			r->array = true;
			skip_between(r);
		}
	}
	if (r->p >= r->end)
		return r->final ? VG_READ_END : VG_READ_MORE;
	record = r->p;
	avail = (size_t)(r->end - record);
	limit = avail < r->max_event ? avail : r->max_event;
	if (limit > UINT32_MAX)
		limit = UINT32_MAX;
	rc = vg_fields_scan(fs, record, limit, fields, &pos, &err);
	if (rc == VG_OK) {
		event->ptr = record;
		event->len = pos.end;
		r->p = record + pos.end;
		return VG_READ_EVENT;
	}
	if (rc != VG_EINVAL)
		return rc;
	at = record + pos.end;
	reason = reason_of(pos.fault);
	switch (pos.fault) {
	case VG_JSON_TRUNCATED:
		if (limit < avail) {
			char msg[64];

			snprintf(msg, sizeof(msg), "event larger than %zu bytes", r->max_event);
			return reject(r, record, VG_REJECT_TOO_LARGE, msg, after_line(r, record + limit),
				      rej);
		}
		if (!r->final)
			return VG_READ_MORE;
		cut = next_record(r, record, at);
		return reject_cut(r, fs, fields, record, cut ? cut : r->end, cut ? cut : r->end, rej);
	case VG_JSON_NOT_OBJECT: {
		/* at is just past the value (a number there may go on). It is a
		 * record only when its line, or array element, ends there. */
		const char *stop = record + limit, *q = at;
		char msg[80];

		if (at >= r->end && !r->final)
			return VG_READ_MORE;
		while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r' || (r->array && *q == '\n')))
			q++;
		if (q >= stop && limit == avail && !r->final)
			return VG_READ_MORE;
		if (q < stop && (r->array ? *q != ',' && *q != ']' : *q != '\n')) {
			snprintf(msg, sizeof(msg), "invalid JSON at byte %zu: unexpected character",
				 (size_t)(q - record));
			return reject(r, record, VG_REJECT_INVALID_JSON, msg, after_line(r, q), rej);
		}
		return reject(r, record, reason, err.msg, r->array ? at : after_line(r, at), rej);
	}
	default:
		break;
	}
	if ((cut = next_record(r, record, at)) != NULL)
		return reject_cut(r, fs, fields, record, cut, cut, rej);
	if (line_start(record, at) > record)
		return reject(r, record, reason, err.msg, line_start(record, at), rej);
	/* Refused on its first line: cut short when that line, read alone, is
	 * valid as far as it goes. Only a line end close to the error can make
	 * it so. */
	nl = memchr(at, '\n', (size_t)(r->end - at));
	if (!nl && !r->final && r->end - at < LOOKAHEAD)
		return VG_READ_MORE;
	if (nl && nl - at < LOOKAHEAD) {
		vg_json_pos lpos;

		cut = nl > record && nl[-1] == '\r' ? nl - 1 : nl;
		rc = vg_fields_scan(fs, record, (size_t)(cut - record), fields, &lpos, NULL);
		if (rc != VG_OK && rc != VG_EINVAL)
			return rc;
		if (rc == VG_EINVAL && lpos.fault == VG_JSON_TRUNCATED)
			return reject_cut(r, fs, fields, record, cut, nl + 1, rej);
	}
	return reject(r, record, reason, err.msg, after_line(r, at), rej);
}
