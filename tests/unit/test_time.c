/* test_time.c - ISO 8601 formatting and parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <time.h>

#include "core/error.h"
#include "core/time.h"

static void formats_utc_with_millis(void **state)
{
	char out[VG_TIME_ISO_LEN];

	(void)state;
	vg_time_format_iso(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	vg_time_format_iso(1795572112123LL, out);
	assert_string_equal(out, "2026-11-25T02:01:52.123Z");
	vg_time_format_iso(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
}

/* The C library's calendar as the oracle, from 1601 to 2400 in steps that
 * land on every time of day, leap days and negative instants included. */
static void formats_as_gmtime_does(void **state)
{
	const int64_t first = -11644473600000LL, last = 13569465600000LL;
	char out[VG_TIME_ISO_LEN], want[64];

	(void)state;
	for (int64_t ms = first; ms < last; ms += 86400000LL * 37 + 3600000LL * 5 + 61001) {
		time_t secs = (time_t)(ms / 1000 - (ms % 1000 < 0));
		int millis = (int)((ms % 1000 + 1000) % 1000);
		struct tm tm;

		gmtime_r(&secs, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, millis);
		vg_time_format_iso(ms, out);
		assert_string_equal(out, want);
	}
	/* Past 9999 the year keeps its last four digits. */
	vg_time_format_iso(253402300800000LL, out);
	assert_string_equal(out, "0000-01-01T00:00:00.000Z");
}

static void parses_dates_and_instants(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(vg_time_parse_iso("2026-11-25T02:01:52.123Z", &ms), VG_OK);
	assert_int_equal(ms, 1795572112123LL);
	assert_int_equal(vg_time_parse_iso("2026-11-25T10:01:52.123+08:00", &ms), VG_OK);
	assert_int_equal(ms, 1795572112123LL);
	assert_int_equal(vg_time_parse_iso("2024-02-29", &ms), VG_OK);
	assert_int_equal(ms, 1709164800000LL);
	assert_int_equal(vg_time_parse_iso("2000-01-01T00:00:00Z", &ms), VG_OK);
	assert_int_equal(ms, 946684800000LL);
}

static void rejects_impossible_and_malformed(void **state)
{
	static const char *const bad[] = {
		"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-1",
		"2026-11-25T24:00:00Z", "2026-11-25T10:00:00", "2026-11-25T10:00:00+8:00",
		"2026-11-25Z", "2026-11-25T10:00:00.Z", "", "yesterday",
	};
	int64_t ms;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vg_time_parse_iso(bad[i], &ms), VG_EINVAL);
	assert_true(vg_time_is_date("2028-02-29"));
	assert_false(vg_time_is_date("2100-02-29"));
	assert_false(vg_time_is_date("2026-11-25T00:00:00Z"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_utc_with_millis),
		cmocka_unit_test(formats_as_gmtime_does),
		cmocka_unit_test(parses_dates_and_instants),
		cmocka_unit_test(rejects_impossible_and_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
