/* record.c - the names of the reasons a record is refused. */
#include "ingest/record.h"

#include <stdio.h>
#include <string.h>

static const char *const reason_names[VG_REJECT_NREASONS] = {
	[VG_REJECT_INVALID_JSON] = "invalid_json",
	[VG_REJECT_TRUNCATED] = "truncated",
	[VG_REJECT_INVALID_UTF8] = "invalid_utf8",
	[VG_REJECT_TOO_LARGE] = "too_large",
	[VG_REJECT_NOT_OBJECT] = "not_an_object",
	[VG_REJECT_TOO_DEEP] = "too_deep",
	[VG_REJECT_UNPARSABLE] = "unparsable",
	[VG_REJECT_UNMAPPED] = "unmapped",
};

const char *vg_reject_reason_name(enum vg_reject_reason r)
{
	return (unsigned)r < VG_REJECT_NREASONS ? reason_names[r] : "unknown";
}

void vg_reject_at_line(vg_reject *rej, size_t line)
{
	char prefix[32];
	size_t n = (size_t)snprintf(prefix, sizeof(prefix), "line %zu: ", line);
	size_t len = strnlen(rej->msg, sizeof(rej->msg) - 1);

	if (len > sizeof(rej->msg) - 1 - n)
		len = sizeof(rej->msg) - 1 - n;
	memmove(rej->msg + n, rej->msg, len);
	memcpy(rej->msg, prefix, n);
	rej->msg[n + len] = '\0';
	rej->line = line;
}
