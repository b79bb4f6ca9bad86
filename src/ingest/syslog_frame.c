/* syslog_frame.c - RFC 6587 framing (see syslog_frame.h). */
#include "ingest/syslog_frame.h"

#include <stdio.h>
#include <string.h>

static const char *line_end(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == '\n' || *p == '\0')
			return p;
	return NULL;
}

static enum vg_frame_result refuse(vg_reject *rej, enum vg_reject_reason reason,
				   const char *msg)
{
	memset(rej, 0, sizeof(*rej));
	rej->reason = reason;
	snprintf(rej->msg, sizeof(rej->msg), "%s", msg);
	return VG_FRAME_REFUSED;
}

enum vg_frame_result vg_syslog_frame_next(vg_syslog_framer *f, const char *buf, size_t len,
					  bool final, vg_str *frame, size_t *consumed,
					  vg_reject *rej)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t count = 0, digits = 0;

	*consumed = 0;
	if (f->skip) {
		size_t n = f->skip < len ? f->skip : len;

		f->skip -= n;
		*consumed = n;
		return VG_FRAME_MORE;
	}
	if (f->skip_line) {
		nl = line_end(p, end);
		f->skip_line = !nl;
		*consumed = nl ? (size_t)(nl + 1 - buf) : len;
		return VG_FRAME_MORE;
	}
	/* Blank line ends between messages are nothing. */
	while (p < end && (*p == '\n' || *p == '\r' || *p == '\0'))
		p++;
	*consumed = (size_t)(p - buf);
	if (p == end)
		return VG_FRAME_MORE;
	if (*p >= '1' && *p <= '9') {
		while (p + digits < end && p[digits] >= '0' && p[digits] <= '9' && digits < 10) {
			count = count * 10 + (size_t)(p[digits] - '0');
			digits++;
		}
		if (p + digits == end && !final)
			return VG_FRAME_MORE;
		if (p + digits < end && p[digits] == ' ') {
			const char *msg = p + digits + 1;

			if (count > f->max) {
				size_t have = (size_t)(end - msg);

				f->skip = count > have ? count - have : 0;
				*consumed = (size_t)(msg - buf) + (count < have ? count : have);
				return refuse(rej, VG_REJECT_TOO_LARGE,
					      "syslog frame longer than the event size limit");
			}
			if ((size_t)(end - msg) < count) {
				if (!final)
					return VG_FRAME_MORE;
				*consumed = len;
				return refuse(rej, VG_REJECT_TRUNCATED,
					      "syslog frame shorter than its octet count");
			}
			*frame = (vg_str){ msg, count };
			*consumed = (size_t)(msg + count - buf);
			return VG_FRAME_OK;
		}
		/* Digits without the space: a line that starts with a number. */
	}
	nl = line_end(p, end);
	if (!nl && !final) {
		if ((size_t)(end - p) > f->max) {
			*consumed = len;
			f->skip_line = true;
			return refuse(rej, VG_REJECT_TOO_LARGE,
				      "syslog line longer than the event size limit");
		}
		return VG_FRAME_MORE;
	}
	if (!nl)
		nl = end;
	*consumed = (size_t)(nl - buf) + (nl < end);
	if ((size_t)(nl - p) > f->max)
		return refuse(rej, VG_REJECT_TOO_LARGE, "syslog line longer than the event size limit");
	*frame = (vg_str){ p, (size_t)(nl - p) };
	if (frame->len && frame->ptr[frame->len - 1] == '\r')
		frame->len--;
	return VG_FRAME_OK;
}
