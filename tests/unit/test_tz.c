/*
 * test_tz.c - UTC offsets of IANA zones read from Debian's tzdata: a zone
 * without daylight saving, both hemispheres' summer time, the instants a
 * clock changes, half-hour zones, and refusals of names outside the
 * database and of bytes that are not TZif.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/time.h"
#include "core/tz.h"

static int offset(const char *zone, const char *iso)
{
	vg_error err = { 0 };
	int64_t ms;
	int minutes = 9999;

	assert_int_equal(vg_time_parse_iso(iso, &ms), VG_OK);
	if (vg_tz_offset(zone, ms, &minutes, &err))
		fail_msg("%s at %s: %s", zone, iso, err.msg);
	return minutes;
}

static void fixed_zones(void **state)
{
	(void)state;
	assert_int_equal(offset("Asia/Shanghai", "2026-12-01T12:00:00Z"), 480);
	assert_int_equal(offset("Asia/Shanghai", "2026-07-01T12:00:00Z"), 480);
	/* China kept summer time from 1986 to 1991. */
	assert_int_equal(offset("Asia/Shanghai", "1988-07-01T00:00:00Z"), 540);
	assert_int_equal(offset("Asia/Kolkata", "2026-12-01T00:00:00Z"), 330);
	assert_int_equal(offset("UTC", "2026-12-01T00:00:00Z"), 0);
	assert_int_equal(offset("Asia/Kathmandu", "2040-01-01T00:00:00Z"), 345);
}

static void summer_time(void **state)
{
	(void)state;
	assert_int_equal(offset("America/New_York", "2026-01-15T12:00:00Z"), -300);
	assert_int_equal(offset("America/New_York", "2026-07-15T12:00:00Z"), -240);
	/* 2026-03-08 02:00 EST is 07:00 UTC; 2026-11-01 02:00 EDT is 06:00 UTC. */
	assert_int_equal(offset("America/New_York", "2026-03-08T06:59:59Z"), -300);
	assert_int_equal(offset("America/New_York", "2026-03-08T07:00:00Z"), -240);
	assert_int_equal(offset("America/New_York", "2026-11-01T05:59:59Z"), -240);
	assert_int_equal(offset("America/New_York", "2026-11-01T06:00:00Z"), -300);
	/* Past the transitions the file lists: its POSIX rule. */
	assert_int_equal(offset("America/New_York", "2070-07-04T12:00:00Z"), -240);
	assert_int_equal(offset("America/New_York", "2070-12-25T12:00:00Z"), -300);
	assert_int_equal(offset("Europe/London", "2026-06-01T00:00:00Z"), 60);
	assert_int_equal(offset("Europe/London", "2026-10-25T00:59:59Z"), 60);
	assert_int_equal(offset("Europe/London", "2026-10-25T01:00:00Z"), 0);
	/* The southern hemisphere: summer across the new year. */
	assert_int_equal(offset("Australia/Sydney", "2026-01-15T00:00:00Z"), 660);
	assert_int_equal(offset("Australia/Sydney", "2026-07-15T00:00:00Z"), 600);
	assert_int_equal(offset("Australia/Sydney", "2071-01-15T00:00:00Z"), 660);
	assert_int_equal(offset("Australia/Sydney", "2071-07-15T00:00:00Z"), 600);
}

static void refusals(void **state)
{
	static const char *const bad[] = { "Mars/Olympus_Mons", "../../etc/passwd", "/etc/passwd",
					   "", "Asia/Shanghai\n", "zone.tab" };
	/* A version 2 header promising 5 transitions and 1 type, and no more. */
	unsigned char cut[44] = { 'T', 'Z', 'i', 'f', '2' };
	vg_error err = { 0 };
	int minutes;
	size_t i;

	(void)state;
	cut[35] = 5;
	cut[39] = 1;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = (vg_error){ 0 };
		assert_int_equal(vg_tz_offset(bad[i], 0, &minutes, &err), VG_EINVAL);
		assert_non_null(strstr(err.msg, "unknown time zone"));
	}
	assert_int_equal(vg_tz_offset_in((const unsigned char *)"hello", 5, 0, &minutes, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "not a TZif file");
	assert_int_equal(vg_tz_offset_in(cut, sizeof(cut), 0, &minutes, &err), VG_EINVAL);
	assert_string_equal(err.msg, "TZif data cut short");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_zones),
		cmocka_unit_test(summer_time),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
