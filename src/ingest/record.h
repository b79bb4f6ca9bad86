/*
 * record.h - what the readers of outside input hand on: events, and the
 * records they refuse with a reason.
 *
 * Every reader (JSON streams, syslog, access logs) goes on after a bad
 * record: the record is counted under one of the reasons below, with where
 * it was and why, and the good records around it are kept.
 */
#ifndef VG_INGEST_RECORD_H
#define VG_INGEST_RECORD_H

#include <stddef.h>

enum vg_reject_reason {
	VG_REJECT_INVALID_JSON, /* not JSON */
	VG_REJECT_TRUNCATED,    /* cut short: the input ended inside the record */
	VG_REJECT_INVALID_UTF8, /* bytes that are not UTF-8 text */
	VG_REJECT_TOO_LARGE,    /* longer than the event size limit */
	VG_REJECT_NOT_OBJECT,   /* JSON, but not an object */
	VG_REJECT_TOO_DEEP,     /* nested deeper than the extractor allows */
	VG_REJECT_UNPARSABLE,   /* a line the source type's format does not describe */
	VG_REJECT_UNMAPPED,     /* a product's alert its mapping cannot read (content/findings.yaml) */
	VG_REJECT_NREASONS,
};

/* "invalid_json", "truncated", ...: the names the stats API uses. */
const char *vg_reject_reason_name(enum vg_reject_reason r);

#define VG_REJECT_MSG_MAX 160

/* A refused record: why, where (1-based line, byte offset into the input
 * read), a message naming the problem, and the record's bytes as they came
 * (raw_len of them: a too_large record whole when the reader holds all of
 * it, else its first part; valid while the sink that is handed the refusal
 * runs), kept so it can be replayed. */
typedef struct vg_reject {
	enum vg_reject_reason reason;
	size_t line;
	size_t offset;
	char msg[VG_REJECT_MSG_MAX];
	const char *raw;
	size_t raw_len;
} vg_reject;

/* Sets rej->line and puts "line N: " before its message (cut to fit). */
void vg_reject_at_line(vg_reject *rej, size_t line);

#endif
