/*
 * kv_line.h - what the CEF and LEEF parsers (cef.c, leef.c) share.
 *
 * Both formats are a marker ("CEF:", "LEEF:"), '|'-ended header fields and
 * key=value pairs, sent after a syslog header; they differ in how the
 * pairs are separated and escaped.
 */
#ifndef VG_INGEST_SOURCES_KV_LINE_H
#define VG_INGEST_SOURCES_KV_LINE_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest/line_parser.h"

/* How a value is escaped in the line. */
enum vg__kv_esc {
	VG__KV_RAW,       /* not at all (LEEF attributes) */
	VG__KV_HEADER,    /* \| and \\ (CEF and LEEF header fields) */
	VG__KV_EXTENSION, /* also \=, \n and \r (CEF extension values) */
};

/* One member of the event; key and value point into the line. */
typedef struct vg__kv {
	vg_str key, value;
	enum vg__kv_esc esc;
} vg__kv;

/* A CEF or LEEF line being read. p..end is what is left of it, just past
 * the marker at first; stamp (ISO 8601 text) and host (a JSON string,
 * quotes and all) come from the syslog header, NULL when there is none.
 * The pairs are in line order. Owns its buffers: vg__kv_release. */
typedef struct vg__kv_line {
	const char *what; /* "CEF" or "LEEF", for messages */
	const char *line, *p, *end;
	vg_str stamp, host;
	vg__kv *kvs;
	size_t nkvs, cap;
	vg_buf header; /* the syslog parser's event of the header */
	vg_buf tmp;    /* one value unescaped */
} vg__kv_line;

/* The event time when the line names none: the syslog header's, or now. */
#define VG__KV_NO_TIME INT64_MIN

/* Starts reading a line of format what: refuses NUL bytes, text that is
 * not UTF-8 and lines without the marker (VG_EINVAL, rej's reason and
 * message set), and reads the time and host of the syslog header before
 * the marker, if the syslog parser takes it for one (else the event is
 * stamped with ctx->now_ms). kl needs vg__kv_release whatever this
 * returns. */
int vg__kv_open(vg__kv_line *kl, const char *what, const char *line, size_t len,
		const vg_line_ctx *ctx, vg_reject *rej);

/* The next header field (escapes as written) and past its '|'; false when
 * the line ends before the '|'. */
bool vg__kv_field(vg__kv_line *kl, vg_str *field);

/* VG_OK when key is 1 or more of [A-Za-z0-9_.[]], else VG_EINVAL with a
 * message naming it and its offset. */
int vg__kv_key(const vg__kv_line *kl, vg_str key, vg_reject *rej);

/* Whether c may be in a key: [A-Za-z0-9_.[]]. */
bool vg__kv_key_char(char c);

/* Whether a backslash before c is an escape in values escaped as esc. */
bool vg__kv_is_escape(enum vg__kv_esc esc, char c);

/* Adds a pair (VG_ENOMEM). */
int vg__kv_add(vg__kv_line *kl, vg_str key, vg_str value, enum vg__kv_esc esc);

/* The last pair named key, or NULL. */
const vg__kv *vg__kv_find(const vg__kv_line *kl, const char *key);

/* kv's value with its escapes undone, valid until the next call. */
int vg__kv_text(vg__kv_line *kl, const vg__kv *kv, vg_str *out);

/* s as a time: with pattern.ptr NULL, epoch milliseconds or
 * "MMM dd yyyy HH:mm:ss[.SSS][ zzz]" (the forms CEF's rt and LEEF's
 * devTime default to); else the Java SimpleDateFormat pattern (letters
 * yyyy M MM MMM d dd H HH m mm s ss S SS SSS z Z X, quoted text, other
 * characters as themselves). Zones are Z, UTC, GMT and +hh[[:]mm] after
 * either or alone; a time without one is UTC. */
bool vg__kv_time(vg_str s, vg_str pattern, int64_t *ms);

/* The OCSF severity_id of a 0-10 severity: low (2) to critical (5). */
int vg__kv_severity_id(int level);

/* Refuses with reason and a message (VG_EINVAL). */
int vg__kv_refuse(vg_reject *rej, enum vg_reject_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends the event: "timestamp" (time_ms, or VG__KV_NO_TIME), the
 * nhead members of head, "severity_id" (when 0 or more), "host", then the
 * pairs. Of pairs with one key the last is kept; a pair named like one of
 * the members before it is written as "ext_<key>". VG_ETOOBIG or
 * VG_ENOMEM with out as it was. */
int vg__kv_write(vg__kv_line *kl, const vg__kv *head, size_t nhead, int64_t time_ms,
		 int severity_id, const vg_line_ctx *ctx, vg_buf *out);

void vg__kv_release(vg__kv_line *kl);

#endif
