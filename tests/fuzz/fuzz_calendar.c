/*
 * fuzz_calendar.c - working calendar files (vg_calendar_parse) and the
 * arithmetic on what they accept.
 *
 * Promises checked: any input is accepted, or refused with VG_EINVAL, a
 * message and no calendar; on an accepted calendar, elapsed time over a
 * span is between 0 and the span's length, and for a small target t the
 * due instant d is not before the start and elapsed(from, d) == t exactly
 * (or the target is refused as never reached). The start instant and the
 * target are drawn from the input's bytes. Leaks show up through
 * LeakSanitizer.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

/* FNV-1a of the input, to draw instants from. */
static uint64_t hash(const uint8_t *data, size_t size)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211ull;
	return h;
}

static void check(const vg_calendar *c, int64_t from, int64_t target)
{
	const int64_t span = (int64_t)10 * 86400000;
	vg_interval pause = {from + span / 4, from + span / 2};
	vg_error err = {0};
	int64_t secs, paused, due;
	int rc;

	if (vg_calendar_elapsed(c, from, from + span, NULL, 0, &secs, &err) || secs < 0 ||
	    secs > span / 1000)
		abort();
	if (vg_calendar_elapsed(c, from, from + span, &pause, 1, &paused, &err) || paused < 0 ||
	    paused > secs)
		abort();
	rc = vg_calendar_due(c, from, target, &due, &err);
	if (rc == VG_EINVAL && strstr(err.msg, "not reached"))
		return;
	if (rc || due < from)
		abort();
	if (vg_calendar_elapsed(c, from, due, NULL, 0, &secs, &err) || secs != target)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2026-01-01T00:00:00Z */
	const int64_t base = 1767225600000;
	vg_calendar *c = (vg_calendar *)1;
	vg_error err = {0};
	uint64_t h = hash(data, size);
	int rc;

	rc = vg_calendar_parse((const char *)data, size, "fuzz.yaml", &c, &err);
	if (rc != VG_OK) {
		if (rc != VG_EINVAL || !err.msg[0] || c != NULL)
			abort();
		return 0;
	}
	/* A start within two years of 2026, to the millisecond, and a target
	 * of up to three days of working time. */
	check(c, base + (int64_t)(h % ((uint64_t)730 * 86400000)), (int64_t)((h >> 40) % 259200));
	check(c, base + (int64_t)((h >> 20) % ((uint64_t)730 * 86400)) * 1000, 1);
	vg_calendar_free(c);
	return 0;
}
