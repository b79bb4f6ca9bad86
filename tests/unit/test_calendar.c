/*
 * test_calendar.c - working calendars: holidays, make-up working days,
 * pauses across a night and a weekend, clocks started outside working
 * hours, a target across the year end, 7x24 against business hours, a zone
 * with daylight saving, durations, limits, and calendar files refused with
 * their exact messages.
 *
 * Every expected value is worked out by hand in the comment beside it.
 * Beijing time is UTC+8 all year, so 09:00+08:00 is 01:00Z.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/calendar.h"
#include "core/time.h"

/* Business hours in Beijing with a few 2026 holidays and make-up days,
 * and 2027-01-01 as a holiday (test data, apart from the shipped file). */
static const char biz_yaml[] = "timezone: Asia/Shanghai\n"
			       "hours:\n"
			       "  mon: [\"09:00-12:00\", \"13:30-18:00\"]\n"
			       "  tue: [\"09:00-12:00\", \"13:30-18:00\"]\n"
			       "  wed: [\"09:00-12:00\", \"13:30-18:00\"]\n"
			       "  thu: [\"09:00-12:00\", \"13:30-18:00\"]\n"
			       "  fri: [\"09:00-12:00\", \"13:30-18:00\"]\n"
			       "  sat: []\n"
			       "holidays: [\"2026-10-01..2026-10-07\", \"2026-09-25\", "
			       "\"2027-01-01\"]\n"
			       "workdays: [\"2026-09-20\", \"2026-10-10\"]\n";

/* New York business hours, and Sunday night hours across the clock
 * changes (02:00 local on 2026-03-08 and 2026-11-01). */
static const char ny_yaml[] = "timezone: America/New_York\n"
			      "hours:\n"
			      "  mon: [\"09:00-17:00\"]\n"
			      "  tue: [\"09:00-17:00\"]\n"
			      "  wed: [\"09:00-17:00\"]\n"
			      "  thu: [\"09:00-17:00\"]\n"
			      "  fri: [\"09:00-17:00\"]\n"
			      "  sun: [\"01:00-04:00\"]\n";

static vg_calendar *parse(const char *yaml)
{
	vg_calendar *c = NULL;
	vg_error err = {0};

	if (vg_calendar_parse(yaml, strlen(yaml), "test.yaml", &c, &err))
		fail_msg("parse: %s", err.msg);
	return c;
}

static vg_calendar *load(const char *name)
{
	vg_calendar *c = NULL;
	vg_error err = {0};

	if (vg_calendar_load(name, &c, &err))
		fail_msg("load %s: %s", name, err.msg);
	return c;
}

static int64_t ms(const char *iso)
{
	int64_t v;

	if (vg_time_parse_iso(iso, &v))
		fail_msg("bad ISO in test: %s", iso);
	return v;
}

static int64_t elapsed_p(const vg_calendar *c, const char *from, const char *to,
			 const vg_interval *p, size_t np)
{
	vg_error err = {0};
	int64_t s = -1;

	if (vg_calendar_elapsed(c, ms(from), ms(to), p, np, &s, &err))
		fail_msg("elapsed %s..%s: %s", from, to, err.msg);
	return s;
}

static int64_t elapsed(const vg_calendar *c, const char *from, const char *to)
{
	return elapsed_p(c, from, to, NULL, 0);
}

/* The due instant as ISO text, for readable failures. */
static const char *due(const vg_calendar *c, const char *from, const char *target)
{
	static char iso[VG_TIME_ISO_LEN];
	vg_error err = {0};
	int64_t secs, at;

	assert_int_equal(vg_duration_parse(target, &secs), VG_OK);
	if (vg_calendar_due(c, ms(from), secs, &at, &err))
		fail_msg("due %s + %s: %s", from, target, err.msg);
	vg_time_format_iso(at, iso);
	return iso;
}

static void holidays(void **state)
{
	vg_calendar *c = parse(biz_yaml), *cn = load("cn-business");

	(void)state;
	/* Wed 09-30 is a whole day (3 h + 4.5 h = 7.5 h = 27000 s); 10-01..07
	 * are holidays; Thu 10-08 is another whole day: 54000 s. */
	assert_int_equal(elapsed(c, "2026-09-30T09:00:00+08:00", "2026-10-09T09:00:00+08:00"),
			 54000);
	/* The shipped calendar says the same of National Day 2026. */
	assert_int_equal(elapsed(cn, "2026-09-30T09:00:00+08:00", "2026-10-09T09:00:00+08:00"),
			 54000);
	/* A single-date holiday, Fri 09-25: nothing that day. */
	assert_int_equal(elapsed(c, "2026-09-25T00:00:00+08:00", "2026-09-26T00:00:00+08:00"), 0);
	/* Wed 09-30 17:00 + 4 h: 1 h that day, the holiday week, then Thu
	 * 10-08 09:00-12:00 gives the other 3 h: 12:00+08 = 04:00Z. */
	assert_string_equal(due(c, "2026-09-30T17:00:00+08:00", "4h"), "2026-10-08T04:00:00.000Z");
	/* Spring Festival in the shipped calendar: Fri 02-13 17:00 + 2 h is
	 * 1 h that day, then Sat 02-14 (a make-up day) 09:00-10:00. */
	assert_string_equal(due(cn, "2026-02-13T17:00:00+08:00", "2h"), "2026-02-14T02:00:00.000Z");
	/* From Sat 02-14 18:00: 02-15..23 are holidays, so Tue 02-24 09:00
	 * + 1 h = 10:00+08 = 02:00Z. */
	assert_string_equal(due(cn, "2026-02-14T18:00:00+08:00", "1h"), "2026-02-24T02:00:00.000Z");
	vg_calendar_free(c);
	vg_calendar_free(cn);
}

static void makeup_workdays(void **state)
{
	vg_calendar *c = parse(biz_yaml);

	(void)state;
	/* Sun 09-20 is a workday: it takes Monday's 7.5 h = 27000 s. */
	assert_int_equal(elapsed(c, "2026-09-20T00:00:00+08:00", "2026-09-21T00:00:00+08:00"),
			 27000);
	/* An ordinary Sunday, 09-13, has none. */
	assert_int_equal(elapsed(c, "2026-09-13T00:00:00+08:00", "2026-09-14T00:00:00+08:00"), 0);
	/* Sat 10-10 from 10:00 to 14:00: 10-12 (2 h) and 13:30-14 (0.5 h)
	 * = 9000 s. */
	assert_int_equal(elapsed(c, "2026-10-10T10:00:00+08:00", "2026-10-10T14:00:00+08:00"),
			 9000);
	/* Sat 09-19 10:00 + 4 h: nothing on Saturday; Sun 09-20 09-12 is 3 h
	 * and 13:30-14:30 the last hour: 14:30+08 = 06:30Z. */
	assert_string_equal(due(c, "2026-09-19T10:00:00+08:00", "4h"), "2026-09-20T06:30:00.000Z");
	vg_calendar_free(c);
}

static void pauses(void **state)
{
	vg_calendar *c = parse(biz_yaml);
	/* Fri 11-27 16:00 to Mon 11-30 11:00: a night and a weekend. */
	vg_interval weekend[] = {
	    {ms("2026-11-27T16:00:00+08:00"), ms("2026-11-30T11:00:00+08:00")}};
	/* The same, and one overlapping its end up to Mon 12:30. */
	vg_interval overlapping[] = {
	    {ms("2026-11-30T10:00:00+08:00"), ms("2026-11-30T12:30:00+08:00")},
	    {ms("2026-11-27T16:00:00+08:00"), ms("2026-11-30T11:00:00+08:00")},
	};
	/* Reaching back before the start: only Fri 10:00-11:00 counts. */
	vg_interval early[] = {{ms("2026-11-26T00:00:00+08:00"), ms("2026-11-27T11:00:00+08:00")}};
	const char *from = "2026-11-27T10:00:00+08:00", *to = "2026-12-01T12:00:00+08:00";

	(void)state;
	/* Without pauses: Fri 10-12 + 13:30-18 = 6.5 h, Mon 7.5 h, Tue 9-12
	 * 3 h: 17 h = 61200 s. */
	assert_int_equal(elapsed(c, from, to), 61200);
	/* The pause covers Fri 16-18 (2 h) and Mon 09-11 (2 h): 13 h. */
	assert_int_equal(elapsed_p(c, from, to, weekend, 1), 46800);
	/* Their union runs to Mon 12:30: Fri 2 h, Mon 09-12 3 h: 12 h. */
	assert_int_equal(elapsed_p(c, from, to, overlapping, 2), 43200);
	/* Clipped to the span: 1 h paused, 16 h = 57600 s. */
	assert_int_equal(elapsed_p(c, from, to, early, 1), 57600);
	vg_calendar_free(c);
}

static void outside_hours(void **state)
{
	vg_calendar *c = parse(biz_yaml);

	(void)state;
	/* Fri 11-27 19:00 + 30 m: the clock starts Mon 11-30 09:00, so
	 * 09:30+08 = 01:30Z. */
	assert_string_equal(due(c, "2026-11-27T19:00:00+08:00", "30m"), "2026-11-30T01:30:00.000Z");
	/* Wed 12-02 at lunch (12:30) + 1 h: 13:30-14:30 = 06:30Z. */
	assert_string_equal(due(c, "2026-12-02T12:30:00+08:00", "1h"), "2026-12-02T06:30:00.000Z");
	/* Wed 16:00 + 2 h ends exactly at the 18:00 close (10:00Z), not at
	 * 09:00 the next morning. */
	assert_string_equal(due(c, "2026-12-02T16:00:00+08:00", "2h"), "2026-12-02T10:00:00.000Z");
	/* A target of 0 from outside hours is due when the clock starts. */
	assert_string_equal(due(c, "2026-12-02T20:00:00+08:00", "0m"), "2026-12-03T01:00:00.000Z");
	/* Sat 11-28 08:00 to Mon 11-30 10:00: only Mon 09-10, 3600 s. */
	assert_int_equal(elapsed(c, "2026-11-28T08:00:00+08:00", "2026-11-30T10:00:00+08:00"),
			 3600);
	/* Milliseconds count, and whole seconds are rounded down: 09:00 to
	 * 09:00:01.999 is 1 s. */
	assert_int_equal(elapsed(c, "2026-12-02T09:00:00+08:00", "2026-12-02T09:00:01.999+08:00"),
			 1);
	vg_calendar_free(c);
}

static void year_end(void **state)
{
	vg_calendar *c = parse(biz_yaml), *cn = load("cn-business");

	(void)state;
	/* Thu 2026-12-31 17:00 + 4 h: 1 h to 18:00; Fri 2027-01-01 is a
	 * holiday, then the weekend; Mon 01-04 09:00-12:00 is the other 3 h:
	 * 12:00+08 = 04:00Z. */
	assert_string_equal(due(c, "2026-12-31T17:00:00+08:00", "4h"), "2027-01-04T04:00:00.000Z");
	/* And back: from 12-31 17:00 to that instant is 4 h. */
	assert_int_equal(elapsed(c, "2026-12-31T17:00:00+08:00", "2027-01-04T04:00:00Z"), 14400);
	/* The shipped calendar's provisional 2027 holds the statutory days:
	 * 元旦 the same, and 春节 from its eve, Fri 02-05, to Mon 02-08. */
	assert_string_equal(due(cn, "2026-12-31T17:00:00+08:00", "4h"),
			    "2027-01-04T04:00:00.000Z");
	assert_string_equal(due(cn, "2027-02-04T17:30:00+08:00", "1h"),
			    "2027-02-09T01:30:00.000Z");
	vg_calendar_free(c);
	vg_calendar_free(cn);
}

static void round_the_clock(void **state)
{
	vg_calendar *all = load("7x24"), *biz = parse(biz_yaml);

	(void)state;
	/* Fri 12-04 17:00+08 is 09:00Z; 7x24 just adds 4 h: 13:00Z. */
	assert_string_equal(due(all, "2026-12-04T17:00:00+08:00", "4h"),
			    "2026-12-04T13:00:00.000Z");
	/* Business hours: 1 h on Friday, Mon 12-07 09-12: 04:00Z. */
	assert_string_equal(due(biz, "2026-12-04T17:00:00+08:00", "4h"),
			    "2026-12-07T04:00:00.000Z");
	/* 2d is 48 h of working time: on 7x24 two calendar days... */
	assert_string_equal(due(all, "2026-12-04T09:00:00Z", "2d"), "2026-12-06T09:00:00.000Z");
	/* ...on business hours from Mon 12-07 09:00: that week 37.5 h, Mon
	 * 12-14 7.5 h (45 h), Tue 12-15 09-12 the last 3 h: 12:00+08. */
	assert_string_equal(due(biz, "2026-12-07T09:00:00+08:00", "2d"),
			    "2026-12-15T04:00:00.000Z");
	/* A year of 7x24 is 365 days of 86400 s. */
	assert_int_equal(elapsed(all, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), 31536000);
	/* Twenty years (7305 days) is the longest span: 631152000 s. */
	assert_int_equal(elapsed(all, "2026-01-01T00:00:00Z", "2046-01-01T00:00:00Z"), 631152000);
	vg_calendar_free(all);
	vg_calendar_free(biz);
}

static void daylight_saving(void **state)
{
	vg_calendar *c = parse(ny_yaml);

	(void)state;
	/* Fri 03-06 09:00 EST to Mon 03-09 17:00 EDT: 8 h + 8 h on the
	 * weekdays, plus Sun 03-08 01:00-04:00 local, which is 01:00 EST
	 * (06:00Z) to 04:00 EDT (08:00Z): 2 h, since 02:00-03:00 never
	 * happens. 18 h = 64800 s. */
	assert_int_equal(elapsed(c, "2026-03-06T09:00:00-05:00", "2026-03-09T17:00:00-04:00"),
			 64800);
	/* Fri 03-06 16:00 EST + 2 h: 1 h to 17:00, and the hour left starts
	 * Sunday at 01:00 EST (06:00Z): due 07:00Z, which the clocks, having
	 * jumped from 02:00 to 03:00, show as 03:00 EDT. */
	assert_string_equal(due(c, "2026-03-06T16:00:00-05:00", "2h"), "2026-03-08T07:00:00.000Z");
	/* Mon 03-09 16:00 EDT (20:00Z) + 2 h: 1 h to 17:00, Tue 09:00-10:00
	 * EDT = 14:00Z (a fixed UTC-5 would say 15:00Z). */
	assert_string_equal(due(c, "2026-03-09T16:00:00-04:00", "2h"), "2026-03-10T14:00:00.000Z");
	/* Sun 11-01 01:00-04:00 local: 01:00 first happens at 05:00Z (EDT),
	 * 04:00 EST is 09:00Z: 4 h = 14400 s. */
	assert_int_equal(elapsed(c, "2026-11-01T00:00:00-04:00", "2026-11-01T12:00:00-05:00"),
			 14400);
	vg_calendar_free(c);
}

static void whole_days_in_a_summer_time_zone(void **state)
{
	vg_calendar *c = parse("timezone: America/New_York\n"
			       "hours: {sun: [\"00:00-24:00\"], mon: [\"00:00-24:00\"]}\n");

	(void)state;
	/* Sunday 03-08 is 23 hours long, Sunday 11-01 is 25. */
	assert_int_equal(elapsed(c, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"),
			 23 * 3600 + 24 * 3600 - 4 * 3600);
	assert_int_equal(elapsed(c, "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"), 23 * 3600);
	assert_int_equal(elapsed(c, "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"), 25 * 3600);
	vg_calendar_free(c);
}

static void durations(void **state)
{
	static const char *const bad[] = {"",
					  "4",
					  "h",
					  "-1h",
					  "4x",
					  "1e3h",
					  "4h ",
					  " 4h",
					  "4H",
					  "1.5h",
					  "99999999999999999999s",
					  "7306d"};
	int64_t s;
	size_t i;

	(void)state;
	assert_int_equal(vg_duration_parse("4h", &s), VG_OK);
	assert_int_equal(s, 14400);
	assert_int_equal(vg_duration_parse("30m", &s), VG_OK);
	assert_int_equal(s, 1800);
	assert_int_equal(vg_duration_parse("2d", &s), VG_OK);
	assert_int_equal(s, 172800);
	assert_int_equal(vg_duration_parse("1h30m", &s), VG_OK);
	assert_int_equal(s, 5400);
	assert_int_equal(vg_duration_parse("90s", &s), VG_OK);
	assert_int_equal(s, 90);
	assert_int_equal(vg_duration_parse("7305d", &s), VG_OK);
	assert_int_equal(s, 631152000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = 1;
		assert_int_equal(vg_duration_parse(bad[i], &s), VG_EINVAL);
		assert_int_equal(s, 0);
	}
}

static void limits(void **state)
{
	vg_calendar *all = load("7x24");
	vg_calendar *never = parse("timezone: UTC\nhours: {}\n");
	vg_interval backwards = {ms("2026-01-02T00:00:00Z"), ms("2026-01-01T00:00:00Z")};
	vg_error err = {0};
	int64_t s = 7, at = 7;

	(void)state;
	assert_int_equal(vg_calendar_elapsed(all, ms("2026-01-01T00:00:00Z"),
					     ms("2046-01-01T00:00:00.001Z"), NULL, 0, &s, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "the span is longer than 20 years");
	assert_int_equal(s, 0);
	assert_int_equal(vg_calendar_elapsed(all, ms("2026-01-02T00:00:00Z"),
					     ms("2026-01-01T00:00:00Z"), NULL, 0, &s, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "the end is before the start");
	assert_int_equal(vg_calendar_elapsed(all, ms("2026-01-01T00:00:00Z"),
					     ms("2026-01-03T00:00:00Z"), &backwards, 1, &s, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "pause 1 ends before it starts");
	/* A calendar without hours never reaches a target. */
	assert_int_equal(vg_calendar_due(never, ms("2026-01-01T00:00:00Z"), 1, &at, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "the target is not reached within 20 years on this calendar");
	assert_int_equal(at, 0);
	assert_int_equal(vg_calendar_due(all, ms("2026-01-01T00:00:00Z"), -1, &at, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "the target is negative or over 20 years");
	vg_calendar_free(all);
	vg_calendar_free(never);
}

static void refusals(void **state)
{
	static const struct {
		const char *yaml, *msg;
	} cases[] = {
	    {"timezone: UTC\nhours:\n  mon: [\"9:00-12:00\"]\n",
	     "test.yaml:3: hours.mon: \"9:00-12:00\" is not an interval HH:MM-HH:MM"},
	    {"timezone: UTC\nhours:\n  tue: [\"09:60-12:00\"]\n",
	     "test.yaml:3: hours.tue: \"09:60-12:00\" is not an interval HH:MM-HH:MM"},
	    {"timezone: UTC\nhours:\n  tue: [\"24:00-24:00\"]\n",
	     "test.yaml:3: hours.tue: \"24:00-24:00\" is not an interval HH:MM-HH:MM"},
	    {"timezone: UTC\nhours:\n  wed: [\"12:00-09:00\"]\n",
	     "test.yaml:3: hours.wed: \"12:00-09:00\" does not end after it starts"},
	    {"timezone: UTC\nhours:\n  thu: [\"09:00-12:00\",\n        \"11:00-13:00\"]\n",
	     "test.yaml:4: hours.thu: \"11:00-13:00\" starts before the interval before it "
	     "ends: list intervals in order, without overlaps"},
	    {"timezone: UTC\nhours:\n  fri: [\"13:00-14:00\", \"09:00-10:00\"]\n",
	     "test.yaml:3: hours.fri: \"09:00-10:00\" starts before the interval before it "
	     "ends: list intervals in order, without overlaps"},
	    {"timezone: UTC\nhours:\n  monday: [\"09:00-12:00\"]\n",
	     "test.yaml:3: hours: unknown weekday \"monday\" (mon, tue, wed, thu, fri, sat, "
	     "sun)"},
	    {"timezone: UTC\nhours:\n  sat: \"09:00-12:00\"\n",
	     "test.yaml:3: hours.sat: a list of \"HH:MM-HH:MM\" intervals"},
	    {"timezone: UTC\nholiday: [\"2026-10-01\"]\n",
	     "test.yaml:2: unknown field \"holiday\" (timezone, hours, holidays, workdays)"},
	    {"timezone: UTC\nholidays: [\"2026-02-30\"]\n",
	     "test.yaml:2: holidays: \"2026-02-30\" is not a date YYYY-MM-DD or a range "
	     "YYYY-MM-DD..YYYY-MM-DD"},
	    {"timezone: UTC\nholidays:\n  - 2026-10-01...2026-10-07\n",
	     "test.yaml:3: holidays: \"2026-10-01...2026-10-07\" is not a date YYYY-MM-DD or "
	     "a range YYYY-MM-DD..YYYY-MM-DD"},
	    {"timezone: UTC\nholidays: [\"2026-10-07..2026-10-01\"]\n",
	     "test.yaml:2: holidays: \"2026-10-07..2026-10-01\" ends before it starts"},
	    {"timezone: UTC\nworkdays: [\"20260920\"]\n",
	     "test.yaml:2: workdays: \"20260920\" is not a date YYYY-MM-DD or a range "
	     "YYYY-MM-DD..YYYY-MM-DD"},
	    {"timezone: Mars/Olympus_Mons\n",
	     "test.yaml:1: timezone: unknown time zone \"Mars/Olympus_Mons\""},
	    {"timezone: [UTC]\n", "test.yaml:1: timezone: an IANA zone name such as Asia/Shanghai"},
	    {"hours: {mon: [\"09:00-12:00\"]}\n",
	     "test.yaml:1: timezone: missing (an IANA zone name such as Asia/Shanghai)"},
	    {"timezone: UTC\nholidays: [\"2026-10-01..2026-10-07\"]\n"
	     "workdays:\n  - \"2026-09-20\"\n  - \"2026-10-03\"\n",
	     "test.yaml:5: workdays: 2026-10-03 is also a holiday"},
	    {"timezone: UTC\nholidays: [\"2026-10-05\"]\nworkdays: [\"2026-10-01..2026-10-10\"]\n",
	     "test.yaml:3: workdays: 2026-10-05 is also a holiday"},
	    {"", "test.yaml:1: empty calendar: give timezone, hours, holidays and workdays"},
	    {"- timezone\n",
	     "test.yaml:1: a calendar is a mapping of timezone, hours, holidays and workdays"},
	    {"timezone: UTC\n---\ntimezone: UTC\n",
	     "test.yaml:3: a calendar file holds one YAML document"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_calendar *c = (vg_calendar *)1;
		vg_error err = {0};

		assert_int_equal(
		    vg_calendar_parse(cases[i].yaml, strlen(cases[i].yaml), "test.yaml", &c, &err),
		    VG_EINVAL);
		assert_null(c);
		assert_string_equal(err.msg, cases[i].msg);
	}
}

static void loading(void **state)
{
	vg_calendar *c = NULL;
	vg_error err = {0};
	char names[64];

	(void)state;
	vg_calendar_shipped_names(names, sizeof(names));
	assert_string_equal(names, "7x24, cn-business");
	assert_int_equal(vg_calendar_load("cn-business", &c, &err), VG_OK);
	assert_string_equal(vg_calendar_zone(c), "Asia/Shanghai");
	vg_calendar_free(c);
	assert_int_equal(vg_calendar_load("no-such-calendar", &c, &err), VG_ENOTFOUND);
	assert_null(c);
	assert_string_equal(err.msg, "\"no-such-calendar\" is neither a shipped calendar "
				     "(7x24, cn-business) nor a file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(holidays),	       cmocka_unit_test(makeup_workdays),
	    cmocka_unit_test(pauses),	       cmocka_unit_test(outside_hours),
	    cmocka_unit_test(year_end),	       cmocka_unit_test(round_the_clock),
	    cmocka_unit_test(daylight_saving), cmocka_unit_test(whole_days_in_a_summer_time_zone),
	    cmocka_unit_test(durations),       cmocka_unit_test(limits),
	    cmocka_unit_test(refusals),	       cmocka_unit_test(loading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
