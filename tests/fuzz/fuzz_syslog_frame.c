/*
 * fuzz_syslog_frame.c - RFC 6587 framing (vg_syslog_frame_next) on
 * arbitrary streams.
 *
 * Promises checked: every call consumes within its input and frames point
 * inside it; the framer always makes progress or asks for more; framing
 * the stream whole and in two pieces split at a point the input picks gives
 * the same frames and refusals; no frame is longer than the limit.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/syslog_frame.h"

#define MAX 64

/* Frames data fed in two pieces (split at cut) into a record of what came
 * out: each frame's bytes and each refusal's reason. */
static void frame(const uint8_t *data, size_t size, size_t cut, vg_buf *out)
{
	vg_syslog_framer f = { .max = MAX };
	char *buf = malloc(size + 1);
	size_t have = 0, fed = 0;

	for (int step = 0; step < 2; step++) {
		size_t n = step == 0 ? cut : size - cut, at = 0;
		bool final = step == 1;

		memcpy(buf + have, data + fed, n);
		have += n;
		fed += n;
		for (;;) {
			vg_str fr;
			vg_reject rej;
			size_t used = 0;
			enum vg_frame_result r =
				vg_syslog_frame_next(&f, buf + at, have - at, final, &fr, &used, &rej);

			if (used > have - at)
				abort();
			if (r == VG_FRAME_OK) {
				if (fr.ptr < buf + at || fr.ptr + fr.len > buf + at + used || fr.len > MAX)
					abort();
				vg_buf_append(out, "F", 1);
				vg_buf_append(out, fr.ptr, fr.len);
				vg_buf_append(out, "\n", 1);
			} else if (r == VG_FRAME_REFUSED) {
				vg_buf_printf(out, "R%d\n", (int)rej.reason);
			}
			at += used;
			if (r == VG_FRAME_MORE && !used)
				break;
			if (at == have && r == VG_FRAME_MORE)
				break;
		}
		memmove(buf, buf + at, have - at);
		have -= at;
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_buf whole = VG_BUF_INIT(SIZE_MAX), pieces = VG_BUF_INIT(SIZE_MAX);
	size_t cut = size ? data[0] % (size + 1) : 0;

	frame(data, size, size, &whole);
	frame(data, size, cut, &pieces);
	if (whole.len != pieces.len || (whole.len && memcmp(whole.ptr, pieces.ptr, whole.len) != 0))
		abort();
	vg_buf_release(&whole);
	vg_buf_release(&pieces);
	return 0;
}
