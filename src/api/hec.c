/*
 * hec.c - a Splunk HTTP Event Collector (HEC) on Vigil's ingest, so that
 * senders already set up for Splunk (Splunk forwarders in HEC mode, Fluent
 * Bit's splunk output, Vector's splunk_hec sink, cloud exports that "push to
 * Splunk HEC") can point at Vigil unchanged.
 *
 *   POST /services/collector, /services/collector/event, .../event/1.0
 *        JSON event objects one after another (white space between, not an
 *        array): {"time", "host", "source", "sourcetype", "index", "fields",
 *        "event"}, "event" an object or a string.
 *   POST /services/collector/raw, .../raw/1.0
 *        the body as POST /api/v1/ingest/{id} takes it: what the source's
 *        type reads (log lines, NDJSON, ...).
 *   GET  /services/collector/health, .../health/1.0
 *        {"text":"HEC is healthy","code":17}.
 *
 * Splunk's documentation followed (help.splunk.com, Splunk Enterprise,
 * "Get data in" > "Collect HTTP event data"):
 *   "Format events for HTTP Event Collector" - the event object, epoch
 *     seconds with decimals, batching by concatenation, the three ways to
 *     authenticate;
 *   "HTTP Event Collector REST API endpoints" - the paths;
 *   "Troubleshoot HTTP Event Collector" - the status codes table, whose
 *     rows this file answers with (HTTP status, code, text):
 *        200  0 Success                  400  5 No data
 *        401  2 Token is required        400  6 Invalid data format
 *        401  3 Invalid authorization    500  8 Internal server error
 *        403  4 Invalid token            503  9 Server is busy
 *        400 12 Event field is required  400 13 Event field cannot be blank
 *        400 15 Error in handling indexed fields
 *        400 16 Query string authorization is not enabled
 *        200 17 HEC is healthy
 *     with "invalid-event-number" (the 0-based index of the bad event) on
 *     6, 12, 13 and 15 when an event is at fault. Not sent: 1 Token
 *     disabled (below), 7 Incorrect index ("index" never routes), 10 and
 *     11 (channels), 14 (acknowledgement). A body over the limit once
 *     gzip is undone is 413 {"text":"Request entity too large","code":6}:
 *     the table has no row for 413, and this is what other HEC receivers
 *     answer (clients act on the HTTP status).
 *
 * Authentication. The token is the Vigil ingest token of a source (vgs_...)
 * and names that source, and through it its tenant; "index" never routes.
 * Accepted: "Authorization: Splunk TOKEN" (what Splunk documents), "Bearer
 * TOKEN", and Basic with any user and the token as the password (Splunk
 * documents that too). Splunk takes ?token= only where an administrator
 * enabled it; Vigil does not (tokens in URLs end up in logs), so a request
 * with ?token= and no Authorization header is told code 16. A disabled
 * source's token is told code 4, not code 1: vg_source_authenticate says
 * only "invalid source token" for both (ingest/sources.h), on purpose.
 *
 * What is ingested, per HEC event. For a source type whose parser reads
 * JSON, the record is the event object as sent, byte for byte, with up to
 * two members added before its closing brace (a string event becomes
 * {"message": "the string"} first):
 *   - the event time, when "time" is given and the object has no value at
 *     any of the paths the type reads its time from (content/sources.yaml
 *     "timestamp"): written as ISO 8601 UTC at the first of those paths
 *     whose first key the object lacks ("timestamp" for json; an object
 *     that has every such first key gets its receive time). Why there:
 *     the pipeline takes an event's time only from those paths, falling
 *     back to the receive time of the whole ingest (vg_corr_event_time);
 *     an ingest per distinct time would fsync per event and could not be
 *     all or nothing. An event that carries its own time keeps it.
 *   - "splunk_hec": every member of the HEC object other than "event"
 *     (time, host, source, sourcetype, index, fields, anything else) as
 *     sent, so the envelope is kept and an added time can be traced to
 *     it. Left out when the event already has a "splunk_hec" member (an
 *     event forwarded twice keeps its first envelope).
 * For a text type (syslog, combined access logs, ...) the record is the
 * string event, one line read whole by the type's parser (a final line
 * break dropped); its time is the line's own stamp, and the envelope is
 * not kept: a text line has nowhere to hold it. An object event for a
 * text type is refused (code 6): send the line as a string.
 *
 * Bad input: all or nothing. Splunk's table says only which event was bad;
 * Splunk is known to stop there, having indexed the events before it, so
 * a sender that resends a refused batch duplicates them. Vigil refuses the
 * whole body
 * instead: every event is read and checked first - its envelope, then its
 * record through a dry run of the source type's own parser, the check the
 * pipeline will make - and only when all pass are the records handed to
 * the pipeline, in one ingest committed before the answer (the same
 * archive-before-answer promise as api/ingest.c). A refusal names the
 * first bad event ("invalid-event-number"), archives nothing, and counts
 * that event in the source's refused records with the reason, so
 * GET /api/v1/sources/{id}/stats says what was wrong. (Once handed over,
 * a failure of the store or disk itself midway may leave the batches the
 * pipeline already flushed, as with every ingest; the sender then hears
 * 500 or 503 and resends. A record the pipeline refuses past the parser -
 * a vendor mapping that cannot read it - is counted and kept for replay
 * as in every ingest.)
 * /raw has no events to count: its body goes to the pipeline as the ingest
 * route sends it; records the type's parser refuses are counted (and kept)
 * per source, the rest are archived. Both answer Success once the records
 * are in the archive - or code 6 when the pipeline refused every one, so
 * nothing was archived.
 *
 * Channels and acknowledgement: Vigil has no indexer acknowledgement (the
 * answer comes after the archive write, which is what an ack would tell),
 * so it never needs the X-Splunk-Request-Channel header (Splunk wants a
 * channel, code 10 without one, when a token has indexer acknowledgement
 * on); the header and ?channel= are accepted and ignored, and there is no
 * /services/collector/ack.
 *
 * Limits are the ingest route's: the body (after gzip is undone) at most
 * ingest.max_body_bytes, a record at most ingest.max_event_bytes (a larger
 * event is code 6). A body whose Content-Length passes the limit is turned
 * away by the server before it reaches this file, as problem+json 413.
 */
#include "api/api.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "archive/archive.h"
#include "core/base64.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/time.h"
#include "detect/extract.h"
#include "detect/source.h"
#include "ingest/feed.h"
#include "ingest/sources.h"
#include "pipeline/pipeline.h"

/* ---- answers --------------------------------------------------------- */

enum {
	HEC_SUCCESS = 0,
	HEC_TOKEN_REQUIRED = 2,
	HEC_INVALID_AUTHORIZATION = 3,
	HEC_INVALID_TOKEN = 4,
	HEC_INTERNAL_ERROR = 8,
	HEC_SERVER_BUSY = 9,
	HEC_QUERY_AUTH_DISABLED = 16,
	HEC_HEALTHY = 17,
	HEC_TOO_LARGE = 1000, /* not a Splunk code: 413, sent as code 6 */
};

static const struct hec_answer {
	int code;
	int status;
	int sent_code;
	const char *text;
} answers[] = {
	{ HEC_SUCCESS, 200, 0, "Success" },
	{ HEC_TOKEN_REQUIRED, 401, 2, "Token is required" },
	{ HEC_INVALID_AUTHORIZATION, 401, 3, "Invalid authorization" },
	{ HEC_INVALID_TOKEN, 403, 4, "Invalid token" },
	{ API_HEC_NO_DATA, 400, 5, "No data" },
	{ API_HEC_INVALID_DATA, 400, 6, "Invalid data format" },
	{ HEC_INTERNAL_ERROR, 500, 8, "Internal server error" },
	{ HEC_SERVER_BUSY, 503, 9, "Server is busy" },
	{ API_HEC_EVENT_REQUIRED, 400, 12, "Event field is required" },
	{ API_HEC_EVENT_BLANK, 400, 13, "Event field cannot be blank" },
	{ API_HEC_INDEXED_FIELDS, 400, 15, "Error in handling indexed fields" },
	{ HEC_QUERY_AUTH_DISABLED, 400, 16, "Query string authorization is not enabled" },
	{ HEC_HEALTHY, 200, 17, "HEC is healthy" },
	{ HEC_TOO_LARGE, 413, 6, "Request entity too large" },
};

/* Answers Splunk's {"text", "code"} for code, with "invalid-event-number"
 * when event is not SIZE_MAX. The answer is the handler's: it returns
 * VG_OK after this, whatever the status. */
static int answer(vg_req *req, int code, size_t event)
{
	const struct hec_answer *a = NULL;
	json_t *body;
	size_t i;

	for (i = 0; i < sizeof(answers) / sizeof(answers[0]) && !a; i++)
		if (answers[i].code == code)
			a = &answers[i];
	if (!a)
		return VG_EFAIL; /* a code missing from the table: a defect */
	body = json_pack("{s:s, s:i}", "text", a->text, "code", a->sent_code);
	if (body && event != SIZE_MAX && code != API_HEC_NO_DATA)
		json_object_set_new(body, "invalid-event-number", json_integer((json_int_t)event));
	if (!body)
		return VG_ENOMEM;
	return vg_resp_json(req, a->status, body);
}

/* A failure that is not the sender's: 503 "Server is busy" when the store
 * is busy or a memory cap was hit (a sender retries later), else 500,
 * logged here since the answer says nothing of it. */
static int answer_failure(vg_req *req, int rc, const vg_error *err)
{
	if (rc == VG_ELIMIT || rc == VG_ENOMEM)
		return answer(req, HEC_SERVER_BUSY, SIZE_MAX);
	vg_err("hec", "%s", err && err->msg[0] ? err->msg : vg_strerror(rc));
	return answer(req, HEC_INTERNAL_ERROR, SIZE_MAX);
}

/* ---- reading the event body ------------------------------------------ */

/* How much larger than the largest record an HEC object may be: the
 * envelope's own keys and the white space between its members. */
#define HEC_ENVELOPE_SLACK 65536

/* The text below walks JSON that vg_fields_scan has already validated,
 * so it only steps over tokens (and stays inside end regardless). */

static size_t skip_ws(const char *s, size_t len, size_t at)
{
	while (at < len && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r'))
		at++;
	return at;
}

/* Past the string that starts at s[at] ('"'): the next quote that an
 * even run of backslashes precedes. */
static size_t skip_string(const char *s, size_t len, size_t at)
{
	size_t open = at, q, bs;

	for (at++; at < len; at = q + 1) {
		const char *p = memchr(s + at, '"', len - at);

		if (!p)
			break;
		q = (size_t)(p - s);
		for (bs = 0; q - bs - 1 > open && s[q - bs - 1] == '\\'; bs++)
			;
		if (bs % 2 == 0)
			return q + 1;
	}
	return len;
}

/* Past the value that starts at s[at]. */
static size_t skip_value(const char *s, size_t len, size_t at)
{
	size_t depth = 0;

	if (at >= len)
		return len;
	if (s[at] == '"')
		return skip_string(s, len, at);
	if (s[at] != '{' && s[at] != '[') {
		while (at < len && s[at] != ',' && s[at] != '}' && s[at] != ']' && s[at] != ' ' &&
		       s[at] != '\t' && s[at] != '\r' && s[at] != '\n')
			at++;
		return at;
	}
	while (at < len) {
		switch (s[at]) {
		case '"':
			at = skip_string(s, len, at);
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return at + 1;
			break;
		default:
			break;
		}
		at++;
	}
	return len;
}

/* One member of an object: its key as written (between the quotes,
 * escapes left alone), its value's text, and the whole "key": value. */
typedef struct member {
	vg_str key, value, whole;
} member;

/* The member at *at inside the object text obj (*at starts just past its
 * '{'); false at the end of the object. */
static bool next_member(vg_str obj, size_t *at, member *m)
{
	const char *s = obj.ptr;
	size_t len = obj.len, start, kend;

	start = skip_ws(s, len, *at);
	if (start < len && s[start] == ',')
		start = skip_ws(s, len, start + 1);
	if (start >= len || s[start] != '"')
		return false;
	kend = skip_string(s, len, start);
	m->key = (vg_str){ s + start + 1, kend - start - (kend > start + 1 ? 2 : 1) };
	*at = skip_ws(s, len, kend);
	if (*at < len && s[*at] == ':')
		(*at)++;
	*at = skip_ws(s, len, *at);
	m->value.ptr = s + *at;
	*at = skip_value(s, len, *at);
	m->value.len = (size_t)(s + *at - m->value.ptr);
	m->whole = (vg_str){ s + start, (size_t)(s + *at - (s + start)) };
	return true;
}

static bool has_member(vg_str obj, const char *key, size_t key_len)
{
	size_t at = 1;
	member m;

	while (next_member(obj, &at, &m))
		if (m.key.len == key_len && memcmp(m.key.ptr, key, key_len) == 0)
			return true;
	return false;
}

/* The HEC object's members this file reads (the last of each, as most
 * JSON readers take a repeated key). ptr NULL: absent. */
typedef struct envelope {
	vg_str obj;
	vg_str event, time, fields;
	int64_t time_ms; /* when time.ptr */
	bool others;     /* members besides "event" */
} envelope;

typedef struct reader {
	const char *body;
	size_t len;
	bool json; /* the type's parser reads JSON; else text lines */
	const vg_source_type *type;
	vg_fieldset *none;   /* no fields: validation only */
	vg_fieldset *stamps; /* the type's time paths */
	vg_fields fields;
	vg_buf rec; /* the record being built; max: the largest event */
	vg_feed *dry; /* the first pass: the type's parser reads each record */
	size_t dry_events;
	bool dry_refused;
	vg_reject dry_rej;
	api_hec_fault *fault;
	size_t line, line_at; /* line counting for faults */
} reader;

static int refuse(reader *r, int code, size_t event, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Fills the fault: code for event (at bytes into the body), counted as
 * unparsable unless the caller says otherwise after. */
static int refuse(reader *r, int code, size_t event, size_t at, const char *fmt, ...)
{
	api_hec_fault *f = r->fault;
	size_t used = 0;
	va_list ap;
	int w;

	for (; r->line_at < at && r->line_at < r->len; r->line_at++)
		if (r->body[r->line_at] == '\n')
			r->line++;
	f->code = code;
	f->reason = VG_REJECT_UNPARSABLE;
	f->event = event;
	f->offset = at;
	f->line = r->line;
	if (code != API_HEC_NO_DATA) {
		w = snprintf(f->msg, sizeof(f->msg), "HEC event %zu (line %zu): ", event, r->line);
		used = w > 0 && (size_t)w < sizeof(f->msg) ? (size_t)w : 0;
	}
	va_start(ap, fmt);
	vsnprintf(f->msg + used, sizeof(f->msg) - used, fmt, ap);
	va_end(ap);
	return VG_EINVAL;
}

/* The JSON string text s (quotes and all) decoded into out. */
static int string_value(vg_str s, vg_buf *out)
{
	json_error_t jerr;
	json_t *v = json_loadb(s.ptr, s.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	int rc;

	if (!v)
		return VG_ENOMEM; /* the text was validated: only memory fails */
	rc = json_is_string(v) ? vg_buf_append(out, json_string_value(v), json_string_length(v))
			       : VG_EINVAL;
	json_decref(v);
	return rc;
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", s[i]) || !s[i])
			return false;
	return true;
}

/* "time": epoch seconds, a number or a string of digits with decimals,
 * within what the archive keeps. */
static bool read_time(vg_str v, int64_t *ms)
{
	char text[64];
	size_t n = 0, i, dots = 0;
	char *end;
	double x;

	if (v.len >= 2 && v.ptr[0] == '"') {
		vg_buf b = VG_BUF_INIT(sizeof(text) - 1);
		bool ok = string_value(v, &b) == VG_OK && b.len > 0;

		for (i = 0; ok && i < b.len; i++) {
			if (b.ptr[i] == '.')
				dots++;
			else if (b.ptr[i] < '0' || b.ptr[i] > '9')
				ok = false;
		}
		if (ok && dots <= 1 && b.ptr[0] != '.' && b.ptr[b.len - 1] != '.') {
			memcpy(text, b.ptr, b.len);
			n = b.len;
		}
		vg_buf_release(&b);
		if (!n)
			return false;
	} else if (v.len && (v.ptr[0] == '-' || (v.ptr[0] >= '0' && v.ptr[0] <= '9')) &&
		   v.len < sizeof(text)) {
		memcpy(text, v.ptr, v.len);
		n = v.len;
	} else {
		return false;
	}
	text[n] = '\0';
	x = strtod(text, &end);
	if (*end || !isfinite(x) || x < 0 || x > (double)VG_ARCHIVE_TIME_MAX / 1000.0)
		return false;
	*ms = (int64_t)llround(x * 1000.0);
	if (*ms > VG_ARCHIVE_TIME_MAX)
		*ms = VG_ARCHIVE_TIME_MAX;
	return true;
}

/* Reads the members of the HEC object i and checks them. */
static int read_envelope(reader *r, size_t i, size_t at, envelope *e)
{
	size_t pos = 1;
	member m;

	while (next_member(e->obj, &pos, &m)) {
		vg_str *slot = NULL;
		const char *k = m.key.ptr;
		size_t kl = m.key.len;

		if (kl == 5 && memcmp(k, "event", 5) == 0) {
			e->event = m.value;
			continue;
		}
		e->others = true;
		if (kl == 4 && memcmp(k, "time", 4) == 0)
			slot = &e->time;
		else if (kl == 6 && memcmp(k, "fields", 6) == 0)
			slot = &e->fields;
		else if ((kl == 4 && memcmp(k, "host", 4) == 0) ||
			 (kl == 6 && memcmp(k, "source", 6) == 0) ||
			 (kl == 10 && memcmp(k, "sourcetype", 10) == 0) ||
			 (kl == 5 && memcmp(k, "index", 5) == 0)) {
			if (m.value.ptr[0] != '"')
				return refuse(r, API_HEC_INVALID_DATA, i, at, "\"%.*s\" must be a string",
					      (int)kl, k);
		}
		if (slot)
			*slot = m.value;
	}
	if (!e->event.ptr)
		return refuse(r, API_HEC_EVENT_REQUIRED, i, at, "no \"event\" member");
	if (e->event.ptr[0] == 'n')
		return refuse(r, API_HEC_EVENT_BLANK, i, at, "\"event\" is null");
	if (e->event.ptr[0] != '{' && e->event.ptr[0] != '"')
		return refuse(r, API_HEC_INVALID_DATA, i, at,
			      "\"event\" must be an object or a string");
	if (e->fields.ptr && e->fields.ptr[0] != '{')
		return refuse(r, API_HEC_INDEXED_FIELDS, i, at, "\"fields\" must be an object");
	if (e->time.ptr && !read_time(e->time, &e->time_ms))
		return refuse(r, API_HEC_INVALID_DATA, i, at,
			      "\"time\" must be epoch seconds (a number, or a string of digits)");
	return VG_OK;
}

/* Appends "a":{"b":...{"z":"ISO"}...} for the dotted path. */
static int append_time_member(vg_buf *b, const char *path, int64_t ms)
{
	char iso[VG_TIME_ISO_LEN];
	const char *seg = path, *dot;
	int rc = VG_OK, depth = 0;

	vg_time_format_iso(ms, iso);
	for (;;) {
		dot = strchr(seg, '.');
		rc = vg_json_append_string(b, seg, dot ? (size_t)(dot - seg) : strlen(seg));
		if (!rc)
			rc = vg_buf_puts(b, dot ? ":{" : ":");
		if (rc || !dot)
			break;
		depth++;
		seg = dot + 1;
	}
	if (!rc)
		rc = vg_json_append_string(b, iso, strlen(iso));
	while (!rc && depth--)
		rc = vg_buf_puts(b, "}");
	return rc;
}

/* Does the record in r->rec carry a value where the type reads time? */
static int carries_time(reader *r, bool *yes, vg_error *err)
{
	size_t i;
	int rc;

	*yes = false;
	rc = vg_fields_extract(r->stamps, r->rec.ptr, r->rec.len, &r->fields, err);
	if (rc)
		return rc;
	for (i = 0; i < vg_fieldset_count(r->stamps) && !*yes; i++)
		*yes = vg_fields_first(&r->fields, (uint32_t)i) != NULL;
	return VG_OK;
}

/* The record of a JSON type: the event object (a string event as
 * {"message": ...}) with the time and the envelope added. */
static int build_json_record(reader *r, size_t i, size_t at, const envelope *e)
{
	vg_buf *b = &r->rec;
	vg_str obj = e->event;
	bool object = e->event.ptr[0] == '{', stamped = true, members;
	vg_error why = { 0 };
	size_t k, pos = 1;
	member m;
	int rc;

	if (object) {
		rc = vg_buf_append(b, obj.ptr, obj.len);
		members = next_member(obj, &pos, &m);
	} else {
		rc = vg_buf_puts(b, "{\"message\":");
		if (!rc)
			rc = vg_buf_append(b, obj.ptr, obj.len);
		if (!rc)
			rc = vg_buf_puts(b, "}");
		members = true;
	}
	if (!rc && e->time.ptr) {
		rc = carries_time(r, &stamped, &why);
		if (rc == VG_EINVAL)
			return refuse(r, API_HEC_INVALID_DATA, i, at, "%s", why.msg);
	}
	if (rc)
		goto out;
	b->ptr[--b->len] = '\0'; /* the closing brace, put back below */
	if (!stamped) {
		for (k = 0; k < r->type->ntimestamps; k++) {
			const char *path = r->type->timestamps[k];
			size_t first = strcspn(path, ".");

			if (object ? has_member(obj, path, first)
				   : first == 7 && memcmp(path, "message", 7) == 0)
				continue;
			rc = vg_buf_puts(b, members ? "," : "");
			if (!rc)
				rc = append_time_member(b, path, e->time_ms);
			members = true;
			break;
		}
	}
	if (!rc && e->others && !(object && has_member(obj, "splunk_hec", 10))) {
		bool first = true;

		rc = vg_buf_puts(b, members ? ",\"splunk_hec\":{" : "\"splunk_hec\":{");
		for (pos = 1; !rc && next_member(e->obj, &pos, &m);) {
			if (m.key.len == 5 && memcmp(m.key.ptr, "event", 5) == 0)
				continue;
			rc = vg_buf_puts(b, first ? "" : ",");
			if (!rc)
				rc = vg_buf_append(b, m.whole.ptr, m.whole.len);
			first = false;
		}
		if (!rc)
			rc = vg_buf_puts(b, "}");
	}
	if (!rc)
		rc = vg_buf_puts(b, "}");
out:
	if (rc == VG_ETOOBIG) {
		rc = refuse(r, API_HEC_INVALID_DATA, i, at, "larger than ingest.max_event_bytes (%zu)",
			    b->max);
		r->fault->reason = VG_REJECT_TOO_LARGE;
	}
	return rc;
}

/* The record of a text type: the string event (decoded into r->rec
 * already), its last line break off. */
static int build_text_record(reader *r, size_t i, size_t at, const envelope *e)
{
	vg_buf *b = &r->rec;

	if (e->event.ptr[0] != '"')
		return refuse(r, API_HEC_INVALID_DATA, i, at,
			      "source type %s reads text lines: send the line as a string event",
			      r->type->name);
	if (b->len && b->ptr[b->len - 1] == '\n')
		b->ptr[--b->len] = '\0';
	if (b->len && b->ptr[b->len - 1] == '\r')
		b->ptr[--b->len] = '\0';
	return VG_OK;
}

static int on_dry_event(void *arg, const char *json, size_t len, const vg_fields *fields,
			vg_error *err)
{
	reader *r = arg;

	(void)json;
	(void)len;
	(void)fields;
	(void)err;
	r->dry_events++;
	return VG_OK;
}

static void on_dry_reject(void *arg, const vg_reject *rej)
{
	reader *r = arg;

	if (!r->dry_refused)
		r->dry_rej = *rej;
	r->dry_refused = true;
}

/* Event i, whose text starts at body[at]: read, checked and built into
 * r->rec; *end is where it ends. */
static int read_event(reader *r, size_t i, size_t at, size_t *end, vg_error *err)
{
	envelope e = { 0 };
	vg_json_pos pos;
	vg_error scan = { 0 };
	size_t window;
	int rc;

	if (r->body[at] != '{') {
		rc = refuse(r, API_HEC_INVALID_DATA, i, at,
			    r->body[at] == '[' ? "events are JSON objects one after another, not an array"
					       : "not a JSON object");
		r->fault->reason = VG_REJECT_NOT_OBJECT;
		return rc;
	}
	/* An event is read within a window a little past the largest record
	 * (what the scanner holds stays bounded): one that does not end in it
	 * cannot make a record that fits. */
	window = r->len - at < r->rec.max + HEC_ENVELOPE_SLACK ? r->len - at
							       : r->rec.max + HEC_ENVELOPE_SLACK;
	rc = vg_fields_scan(r->none, r->body + at, window, &r->fields, &pos, &scan);
	if (rc == VG_ENOMEM)
		return vg_error_set(err, rc, "%s", scan.msg);
	if (rc && pos.fault == VG_JSON_TRUNCATED && window < r->len - at) {
		rc = refuse(r, API_HEC_INVALID_DATA, i, at, "larger than ingest.max_event_bytes (%zu)",
			    r->rec.max);
		r->fault->reason = VG_REJECT_TOO_LARGE;
		return rc;
	}
	if (rc) {
		rc = refuse(r, API_HEC_INVALID_DATA, i, at, "%s", scan.msg);
		r->fault->reason = pos.fault == VG_JSON_UTF8	   ? VG_REJECT_INVALID_UTF8
				   : pos.fault == VG_JSON_DEPTH	   ? VG_REJECT_TOO_DEEP
				   : pos.fault == VG_JSON_TRUNCATED ? VG_REJECT_TRUNCATED
								    : VG_REJECT_INVALID_JSON;
		return rc;
	}
	*end = at + pos.end;
	e.obj = (vg_str){ r->body + at, pos.end };
	rc = read_envelope(r, i, at, &e);
	if (rc)
		return rc;
	vg_buf_reset(&r->rec);
	if (e.event.ptr[0] == '"') {
		rc = string_value(e.event, &r->rec);
		if (rc == VG_ETOOBIG) {
			rc = refuse(r, API_HEC_INVALID_DATA, i, at,
				    "larger than ingest.max_event_bytes (%zu)", r->rec.max);
			r->fault->reason = VG_REJECT_TOO_LARGE;
			return rc;
		}
		if (rc)
			return vg_error_set(err, rc, "out of memory reading HEC events");
		if (blank(r->rec.ptr, r->rec.len))
			return refuse(r, API_HEC_EVENT_BLANK, i, at, "\"event\" is blank");
		if (r->json)
			vg_buf_reset(&r->rec);
	}
	rc = r->json ? build_json_record(r, i, at, &e) : build_text_record(r, i, at, &e);
	if (rc == VG_ENOMEM)
		return vg_error_set(err, rc, "out of memory reading HEC events");
	return rc;
}

/* The first pass's check of r->rec: the type's parser reads one event. */
static int dry_run(reader *r, size_t i, size_t at, vg_error *err)
{
	vg_feed_sink sink = { on_dry_event, on_dry_reject, r };
	int rc;

	r->dry_events = 0;
	r->dry_refused = false;
	rc = vg_feed_push_record(r->dry, r->rec.ptr ? r->rec.ptr : "", r->rec.len, &sink, err);
	if (rc)
		return rc;
	if (r->dry_refused) {
		/* The dry run numbers its records as lines: drop its "line N: ". */
		const char *why = r->dry_rej.msg;

		if (strncmp(why, "line ", 5) == 0 && strspn(why + 5, "0123456789") &&
		    strncmp(why + 5 + strspn(why + 5, "0123456789"), ": ", 2) == 0)
			why += 5 + strspn(why + 5, "0123456789") + 2;
		rc = refuse(r, API_HEC_INVALID_DATA, i, at, "%s", why);
		r->fault->reason = r->dry_rej.reason;
		return rc;
	}
	if (r->dry_events != 1)
		return refuse(r, API_HEC_INVALID_DATA, i, at, "not one event");
	return VG_OK;
}

int api_hec_read(const char *body, size_t len, const vg_source_type *type, size_t max_event,
		 api_hec_emit emit, void *arg, size_t *n, api_hec_fault *fault, vg_error *err)
{
	vg_feed_options fo = { .max_event = max_event, .now_ms = vg_time_now_ms() };
	reader r = { .body = body ? body : "", .len = body ? len : 0, .type = type,
		     .json = strcmp(type->parser, "json") == 0, .fault = fault, .line = 1,
		     .rec = VG_BUF_INIT(max_event) };
	size_t i = 0, at, end = 0;
	int pass, rc = VG_OK;

	*n = 0;
	memset(fault, 0, sizeof(*fault));
	r.none = vg_fieldset_new();
	r.stamps = vg_fieldset_new();
	for (size_t k = 0; k < type->ntimestamps; k++)
		vg_fieldset_add(r.stamps, type->timestamps[k]);
	r.dry = vg_feed_new(type, r.none, &fo);
	/* Pass 0 reads and checks every event; pass 1, only when all are
	 * good, builds them again and hands them to emit. */
	for (pass = 0; pass < 2 && !rc; pass++) {
		for (i = 0, at = skip_ws(r.body, r.len, 0); at < r.len && !rc;
		     at = skip_ws(r.body, r.len, end), i++) {
			rc = read_event(&r, i, at, &end, err);
			if (!rc && pass == 0)
				rc = dry_run(&r, i, at, err);
			else if (!rc)
				rc = emit(arg, r.rec.ptr ? r.rec.ptr : "", r.rec.len, err);
		}
		if (!rc && i == 0)
			rc = refuse(&r, API_HEC_NO_DATA, 0, 0, "the body holds no event");
	}
	if (!rc)
		*n = i;
	vg_feed_free(r.dry);
	vg_buf_release(&r.rec);
	vg_fields_release(&r.fields);
	vg_fieldset_free(r.none);
	vg_fieldset_free(r.stamps);
	return rc;
}

/* ---- the requests --------------------------------------------------- */

/* The token the request carries, into token (NUL-terminated); or the HEC
 * code that refuses it. */
static int read_token(vg_req *req, char token[VG_SOURCE_TOKEN_MAX + 1])
{
	const char *authz = vg_req_header(req, "Authorization");
	const char *t = NULL, *sp;
	vg_buf basic = VG_BUF_INIT(4 * VG_SOURCE_TOKEN_MAX);
	size_t len;
	int code = HEC_SUCCESS;

	token[0] = '\0';
	if (!authz)
		return vg_req_query(req, "token") ? HEC_QUERY_AUTH_DISABLED : HEC_TOKEN_REQUIRED;
	sp = authz + strcspn(authz, " ");
	len = (size_t)(sp - authz);
	while (*sp == ' ')
		sp++;
	if ((len == 6 && strncasecmp(authz, "Splunk", 6) == 0) ||
	    (len == 6 && strncasecmp(authz, "Bearer", 6) == 0)) {
		t = sp;
		len = strcspn(t, " ");
		if (t[len])
			code = HEC_INVALID_AUTHORIZATION;
	} else if (len == 5 && strncasecmp(authz, "Basic", 5) == 0 && *sp) {
		const char *colon;

		if (vg_base64_decode(sp, strlen(sp), &basic, NULL) || !basic.ptr ||
		    memchr(basic.ptr, '\0', basic.len) || !(colon = strchr(basic.ptr, ':')))
			code = HEC_INVALID_AUTHORIZATION;
		else {
			t = colon + 1;
			len = strlen(t);
		}
	} else {
		code = HEC_INVALID_AUTHORIZATION;
	}
	if (code == HEC_SUCCESS && len == 0)
		code = HEC_TOKEN_REQUIRED;
	else if (code == HEC_SUCCESS && len > VG_SOURCE_TOKEN_MAX)
		code = HEC_INVALID_TOKEN;
	if (code == HEC_SUCCESS) {
		memcpy(token, t, len);
		token[len] = '\0';
	}
	vg_buf_release(&basic);
	return code;
}

/* What every HEC POST does first: the source the token names, and the
 * body with gzip undone. *answered: an answer was given, the handler is
 * done. */
static int hec_begin(vg_req *req, vg_source *s, vg_buf *plain, const char **body, size_t *len,
		     bool *answered, vg_error *err)
{
	const char *encoding = vg_req_header(req, "Content-Encoding");
	char token[VG_SOURCE_TOKEN_MAX + 1];
	vg_error why = { 0 };
	vg_tx *tx;
	int code, rc;

	*answered = true;
	code = read_token(req, token);
	if (code != HEC_SUCCESS)
		return answer(req, code, SIZE_MAX);
	rc = vg_req_tx(req, false, &tx, &why);
	if (!rc)
		rc = vg_source_authenticate(tx, token, s, &why);
	if (rc == VG_EAUTH)
		return answer(req, HEC_INVALID_TOKEN, SIZE_MAX);
	if (rc)
		return answer_failure(req, rc, &why);
	if (!vg_req_app(req)->pipeline) {
		vg_error_set(&why, VG_EFAIL, "this server runs no detection pipeline");
		return answer_failure(req, VG_EFAIL, &why);
	}
	*body = vg_req_raw_body(req, len);
	if (encoding && strcasecmp(encoding, "gzip") == 0) {
		rc = api_gunzip(*body, *len, plain, &why);
		*body = vg_buf_cstr(plain);
		*len = plain->len;
		if (rc == VG_ETOOBIG)
			return answer(req, HEC_TOO_LARGE, SIZE_MAX);
		if (rc == VG_EINVAL)
			return answer(req, API_HEC_INVALID_DATA, SIZE_MAX);
		if (rc)
			return answer_failure(req, rc, &why);
	} else if (encoding && strcasecmp(encoding, "identity") != 0) {
		return answer(req, API_HEC_INVALID_DATA, SIZE_MAX);
	}
	if (!*body)
		*body = "";
	if (skip_ws(*body, *len, 0) == *len)
		return answer(req, API_HEC_NO_DATA, SIZE_MAX);
	(void)err;
	*answered = false;
	return VG_OK;
}

/* The answer once the pipeline took a body: Success, unless it refused
 * every record (counted, and kept, per source; nothing archived). */
static int answer_ingested(vg_req *req, const vg_ingest *in)
{
	vg_ingest_result res;

	vg_ingest_result_get(in, &res);
	return answer(req, res.accepted || !res.rejected ? HEC_SUCCESS : API_HEC_INVALID_DATA,
		      SIZE_MAX);
}

static int emit_record(void *arg, const char *rec, size_t len, vg_error *err)
{
	return vg_ingest_add_record(arg, rec, len, err);
}

int api_hec_event(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	vg_buf plain = VG_BUF_INIT((size_t)app->config.ingest_max_body_bytes);
	const vg_source_type *type;
	api_hec_fault fault = { 0 };
	vg_ingest *in = NULL;
	vg_error why = { 0 };
	const char *body;
	bool answered;
	size_t len, n;
	vg_source s;
	int rc;

	rc = hec_begin(req, &s, &plain, &body, &len, &answered, err);
	if (rc || answered)
		goto out;
	type = vg_source_type_find(s.type, &why);
	rc = type ? vg_ingest_begin(app->pipeline, &s, NULL, &in, &why) : VG_EFAIL;
	if (!rc)
		rc = api_hec_read(body, len, type, (size_t)app->config.ingest_max_event_bytes,
				  emit_record, in, &n, &fault, &why);
	if (rc == VG_EINVAL && fault.code) {
		/* Refused whole: nothing was handed over; the bad event is
		 * counted in the source's refused records, with why. */
		vg_reject rej = { .reason = fault.reason, .line = fault.line,
				  .offset = fault.offset };

		memcpy(rej.msg, fault.msg, sizeof(rej.msg));
		if (fault.code != API_HEC_NO_DATA)
			vg_ingest_reject(in, &rej);
		rc = vg_ingest_commit(in, &why);
		if (!rc) {
			rc = answer(req, fault.code, fault.event);
			goto out;
		}
	} else if (!rc) {
		rc = vg_ingest_commit(in, &why);
	}
	if (rc) {
		rc = answer_failure(req, rc, &why);
		goto out;
	}
	rc = answer_ingested(req, in);
out:
	vg_ingest_end(in);
	vg_buf_release(&plain);
	return rc;
}

int api_hec_raw(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	vg_buf plain = VG_BUF_INIT((size_t)app->config.ingest_max_body_bytes);
	vg_ingest *in = NULL;
	vg_error why = { 0 };
	const char *body;
	bool answered;
	size_t len;
	vg_source s;
	int rc;

	rc = hec_begin(req, &s, &plain, &body, &len, &answered, err);
	if (rc || answered)
		goto out;
	rc = vg_ingest_begin(app->pipeline, &s, NULL, &in, &why);
	if (!rc)
		rc = vg_ingest_push(in, body, len, true, &why);
	if (rc) {
		rc = answer_failure(req, rc, &why);
		goto out;
	}
	rc = answer_ingested(req, in);
out:
	vg_ingest_end(in);
	vg_buf_release(&plain);
	return rc;
}

int api_hec_health(vg_req *req, vg_error *err)
{
	(void)err;
	if (!vg_req_app(req)->pipeline)
		return answer(req, HEC_INTERNAL_ERROR, SIZE_MAX);
	return answer(req, HEC_HEALTHY, SIZE_MAX);
}
