/*
 * calendar.h - working calendars: which instants count as working time.
 *
 * A calendar is data (YAML): an IANA time zone, the working intervals of
 * each weekday in that zone's local time, holidays (no working time) and
 * make-up working days (China moves working days onto weekends around its
 * public holidays; such a day takes Monday's hours):
 *
 *   timezone: Asia/Shanghai
 *   hours:                                 # a missing weekday has no hours
 *     mon: ["09:00-12:00", "13:30-18:00"]  # sorted, not overlapping;
 *     sun: []                              # "00:00-24:00" is a whole day
 *   holidays: ["2026-10-01..2026-10-07", "2026-09-25"]  # inclusive ranges
 *   workdays: ["2026-09-20", "2026-10-10"]
 *
 * A local day is read as: a workday -> Monday's hours; else a holiday ->
 * none; else its weekday's hours. Local times become instants with the
 * zone's offset at each of them (core/tz.h), so days around a daylight
 * saving change have their true length: a local time a spring-forward
 * skips is read as the instant the clocks jumped, one a fall-back repeats
 * as its first occurrence.
 *
 * Elapsed time and due instants are pure functions of the calendar and
 * their arguments; they walk the span day by day, so a span of years costs
 * a few thousand days. Spans are capped at VG_CALENDAR_SPAN_MAX_MS.
 */
#ifndef VG_CORE_CALENDAR_H
#define VG_CORE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* The longest span elapsed and due look at: 20 years of 365.25 days. */
#define VG_CALENDAR_SPAN_MAX_MS ((int64_t)7305 * 86400000)

/* Limits on what a calendar file may hold. */
#define VG_CALENDAR_DAY_INTERVALS_MAX 16 /* working intervals per weekday */
#define VG_CALENDAR_DATES_MAX 4096	 /* entries of holidays plus workdays */

/* The instants from from_ms (included) to to_ms (excluded), Unix ms. */
typedef struct vg_interval {
	int64_t from_ms, to_ms;
} vg_interval;

/* A parsed calendar; immutable, so one may be shared between threads. */
typedef struct vg_calendar vg_calendar;

/*
 * Parses a calendar from YAML text (len bytes) read from origin (a file
 * name for messages) into a new calendar (*out, free with
 * vg_calendar_free). VG_EINVAL "origin:LINE: field: message" for anything
 * the format above does not allow: an unknown field or weekday, a bad
 * HH:MM, intervals that overlap or are unsorted or end before they start,
 * a bad date or range, a time zone the tz database does not know, a date
 * that is both a holiday and a workday. *out is NULL on failure.
 */
int vg_calendar_parse(const char *text, size_t len, const char *origin, vg_calendar **out,
		      vg_error *err);

/*
 * Loads the calendar name_or_path: the name of a shipped calendar
 * (content/calendars/NAME.yaml, carried in the binary: "7x24",
 * "cn-business"), else the path of a calendar file. VG_ENOTFOUND
 * "\"NAME\" is neither a shipped calendar (...) nor a file", the errors
 * of vg_file_read, and those of vg_calendar_parse.
 */
int vg_calendar_load(const char *name_or_path, vg_calendar **out, vg_error *err);

/* Writes the shipped calendars' names into out (size bytes, truncated to
 * fit), for usage texts and messages: "7x24, cn-business". */
void vg_calendar_shipped_names(char *out, size_t size);

void vg_calendar_free(vg_calendar *c);

/* The calendar's IANA zone name (owned by c). */
const char *vg_calendar_zone(const vg_calendar *c);

/*
 * Sets *seconds to the working time between from_ms and to_ms (whole
 * seconds, rounded down) that no pause covers. Pauses may overlap each
 * other and reach outside [from, to]; only their union inside it counts.
 * VG_EINVAL when to_ms is before from_ms, a pause ends before it starts,
 * an instant is outside the years 1-9999, or the span is longer than
 * VG_CALENDAR_SPAN_MAX_MS. *seconds is 0 on failure.
 */
int vg_calendar_elapsed(const vg_calendar *c, int64_t from_ms, int64_t to_ms,
			const vg_interval *pauses, size_t npauses, int64_t *seconds, vg_error *err);

/*
 * Sets *due_ms to the instant at which target_seconds of working time have
 * elapsed since from_ms: the clock starts at the first working instant at
 * or after from_ms, and a target used up exactly at the end of a working
 * interval is due at that end (18:00, not the next morning). A target of 0
 * is due at that first working instant. VG_EINVAL for a negative target,
 * an instant outside the years 1-9999, or a target not reached within
 * VG_CALENDAR_SPAN_MAX_MS of from_ms. *due_ms is 0 on failure.
 */
int vg_calendar_due(const vg_calendar *c, int64_t from_ms, int64_t target_seconds, int64_t *due_ms,
		    vg_error *err);

/*
 * Parses a duration of working time: one or more NUMBER UNIT parts, units
 * d (24 hours of working time, not a calendar day), h, m, s: "4h", "30m",
 * "2d", "1h30m". VG_EINVAL for anything else, or over 20 years of 365.25
 * days (VG_CALENDAR_SPAN_MAX_MS); *seconds is 0 then.
 */
int vg_duration_parse(const char *s, int64_t *seconds);

#endif
