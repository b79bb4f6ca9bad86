/*
 * json_reader.c - records out of a JSON stream (see json_reader.h for the
 * rules on where reading resumes after a bad record).
 */
#include "ingest/json_reader.h"

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
	rej->reason = reason;
	rej->offset = (size_t)(record - r->start);
	snprintf(rej->msg, sizeof(rej->msg), "%s", msg);
	vg_reject_at_line(rej, line_of(r, record));
	r->p = resume;
	return VG_READ_REJECT;
}

/* Just past the newline at or after at; NULL when the input has none. */
static const char *next_line(const vg_json_reader *r, const char *at)
{
	const char *nl = memchr(at, '\n', (size_t)(r->end - at));

	return nl ? nl + 1 : NULL;
}

int vg_json_reader_next(vg_json_reader *r, const vg_fieldset *fs, vg_fields *fields,
			vg_str *event, vg_reject *rej)
{
	const char *record, *at, *resume, *err_line;
	enum vg_reject_reason reason;
	size_t avail, limit;
	vg_error err = { 0 };
	vg_json_pos pos;
	int rc;

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
	rc = vg_fields_scan(fs, record, limit, fields, &pos, &err);
	if (rc == VG_OK) {
		event->ptr = record;
		event->len = pos.end;
		r->p = record + pos.end;
		return VG_READ_EVENT;
	}
	if (rc != VG_EINVAL && rc != VG_ETOOBIG)
		return rc;
	at = record + pos.end;
	if (pos.fault == VG_JSON_TRUNCATED) {
		if (limit < avail) {
			char msg[64];

			resume = next_line(r, record + limit);
			if (!resume && !r->final)
				return VG_READ_MORE;
			snprintf(msg, sizeof(msg), "event larger than %zu bytes", r->max_event);
			return reject(r, record, VG_REJECT_TOO_LARGE, msg, resume ? resume : r->end,
				      rej);
		}
		if (!r->final)
			return VG_READ_MORE;
		return reject(r, record, VG_REJECT_TRUNCATED, err.msg, r->end, rej);
	}
	reason = reason_of(pos.fault);
	err_line = line_start(record, at);
	if (err_line > record) {
		/* The error is on a later line than the record began: the record
		 * was cut short there when only white space precedes the error. */
		const char *q = err_line;

		while (q < at && is_space(*q))
			q++;
		if (q == at && reason == VG_REJECT_INVALID_JSON)
			reason = VG_REJECT_TRUNCATED;
		return reject(r, record, reason, err.msg, err_line, rej);
	}
	/* A raw line break inside a string: the line ended mid-string. */
	if (at < r->end && *at == '\n' && reason == VG_REJECT_INVALID_JSON)
		reason = VG_REJECT_TRUNCATED;
	resume = next_line(r, at);
	if (!resume && !r->final)
		return VG_READ_MORE;
	return reject(r, record, reason, err.msg, resume ? resume : r->end, rej);
}
