/*
 * time.h - wall-clock time as Unix milliseconds, and its ISO 8601 form.
 *
 * Vigil stores and exchanges instants in UTC ("2026-11-25T02:01:52.123Z");
 * calendars and tenant time zones live in the subsystems that need them.
 */
#ifndef VG_CORE_TIME_H
#define VG_CORE_TIME_H

#include <stdint.h>

#define VG_TIME_ISO_LEN 25 /* "YYYY-MM-DDTHH:MM:SS.mmmZ" plus NUL */

int64_t vg_time_now_ms(void);

/* Formats ms since the epoch as UTC ISO 8601 with milliseconds into out. */
void vg_time_format_iso(int64_t ms, char out[VG_TIME_ISO_LEN]);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" into ms since the
 * epoch. Returns VG_EINVAL for anything else, including impossible dates.
 */
int vg_time_parse_iso(const char *s, int64_t *ms_out);

/* The same, with a stamp that names no zone read at zone_minutes east of
 * UTC (Chinese clouds write Beijing time, "2026-11-30 14:02:11"). */
int vg_time_parse_zoned(const char *s, int zone_minutes, int64_t *ms_out);

/* "+08:00" or "-05:30" into minutes east of UTC; VG_EINVAL otherwise. */
int vg_time_parse_offset(const char *s, int *minutes);

/* ms since the epoch of a UTC civil time; VG_EINVAL when the date or time
 * does not exist (month 13, February 30, hour 24). */
int vg_time_from_civil(int year, int month, int day, int hour, int minute, int second,
		       int millis, int64_t *ms_out);

/* The UTC civil date of ms since the epoch, and its weekday (0 Sunday). */
void vg_time_to_civil(int64_t ms, int *year, int *month, int *day, int *weekday);

/* True when s is a calendar date "YYYY-MM-DD" that exists. */
int vg_time_is_date(const char *s);

#endif
