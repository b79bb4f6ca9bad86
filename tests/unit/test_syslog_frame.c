/*
 * test_syslog_frame.c - RFC 6587 framing of syslog TCP streams: octet
 * counting and line ends told apart frame by frame, frames cut by the end
 * of a read, frames over the limit skipped whole, and a stream fed one
 * byte at a time framing as it does whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/syslog_frame.h"

/* Frames a stream read in pieces of `piece` bytes into "frame|" and
 * "!reason|" marks. */
static void frame_all(const char *stream, size_t len, size_t piece, size_t max, char *out,
		      size_t outsize)
{
	vg_syslog_framer f = { .max = max };
	char buf[4096];
	size_t have = 0, fed = 0, at, o = 0;

	out[0] = '\0';
	while (fed < len || have) {
		size_t n = len - fed < piece ? len - fed : piece;
		bool final;

		memcpy(buf + have, stream + fed, n);
		have += n;
		fed += n;
		final = fed == len;
		at = 0;
		for (;;) {
			vg_str frame;
			vg_reject rej;
			size_t used;
			enum vg_frame_result r =
				vg_syslog_frame_next(&f, buf + at, have - at, final, &frame, &used, &rej);

			at += used;
			if (r == VG_FRAME_OK)
				o += (size_t)snprintf(out + o, outsize - o, "%.*s|", (int)frame.len,
						      frame.ptr);
			else if (r == VG_FRAME_REFUSED)
				o += (size_t)snprintf(out + o, outsize - o, "!%s|",
						      vg_reject_reason_name(rej.reason));
			else if (!used)
				break;
		}
		memmove(buf, buf + at, have - at);
		have -= at;
		if (final)
			break;
	}
}

static const struct {
	const char *stream;
	size_t max;
	const char *frames;
} cases[] = {
	{ "11 <34>1 hello5 <1>a ", 100, "<34>1 hello|<1>a |" },
	{ "<34>one\n<34>two\r\n\n\n<34>three", 100, "<34>one|<34>two|<34>three|" },
	{ "8 <1>a\nb c\n<1>line\n", 100, "<1>a\nb c|<1>line|" },
	{ "<1>nul ended\0<1>next\n", 100, "<1>nul ended|<1>next|" },
	{ "99 <1>short", 100, "!truncated|" },
	{ "20 <1>this frame is tha\n<1>after\n", 10, "!too_large|<1>after|" },
	{ "<1>a line far too long for the limit\n<1>ok\n", 10, "!too_large|<1>ok|" },
	{ "2026-03-27T13:06:56Z host app: a line that starts with digits\n", 100,
	  "2026-03-27T13:06:56Z host app: a line that starts with digits|" },
	{ "", 100, "" },
};

static void test_cases(void **state)
{
	char out[1024];
	size_t i, piece;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].stream);

		if (i == 3)
			len = sizeof("<1>nul ended\0<1>next\n") - 1;
		for (piece = 1; piece <= len + 1; piece++) {
			frame_all(cases[i].stream, len, piece, cases[i].max, out, sizeof(out));
			if (strcmp(out, cases[i].frames) != 0)
				fail_msg("case %zu in pieces of %zu: got \"%s\", want \"%s\"", i, piece,
					 out, cases[i].frames);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
