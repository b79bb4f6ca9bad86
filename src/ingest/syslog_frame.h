/*
 * syslog_frame.h - splitting a syslog TCP stream into messages (RFC 6587).
 *
 * A sender either counts octets ("57 <34>1 2026-... message" - the length,
 * a space, that many bytes) or ends each message with a line feed (CR LF
 * and NUL are taken as line ends too). The framer tells them apart message
 * by message: a frame that starts with a digit 1-9 is counted, any other
 * ends at a line end, as RFC 6587 section 3.4 lets a receiver do.
 *
 * A frame longer than max is refused (too_large) and skipped whole, its
 * bytes counted off as they arrive; a count that is not a number followed
 * by a space is refused (unparsable) up to the next line end.
 */
#ifndef VG_INGEST_SYSLOG_FRAME_H
#define VG_INGEST_SYSLOG_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "ingest/record.h"

typedef struct vg_syslog_framer {
	size_t max;  /* longest message accepted */
	size_t skip;    /* bytes of a refused frame still to come */
	bool skip_line; /* the rest of a refused line is still to come */
} vg_syslog_framer;

enum vg_frame_result {
	VG_FRAME_MORE,   /* the rest is an incomplete frame: call again with more */
	VG_FRAME_OK,     /* *frame is the next message */
	VG_FRAME_REFUSED /* *rej says what was refused */
};

/*
 * The next frame of buf (len bytes). *consumed is how many bytes the call
 * used up (the caller drops them); *frame points into buf. final says no
 * more input follows (a last message without its line end is then taken
 * as it is).
 */
enum vg_frame_result vg_syslog_frame_next(vg_syslog_framer *f, const char *buf, size_t len,
					  bool final, vg_str *frame, size_t *consumed,
					  vg_reject *rej);

#endif
