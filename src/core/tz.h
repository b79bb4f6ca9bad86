/*
 * tz.h - what the clock says in a tenant's time zone.
 *
 * Tenants name IANA zones ("Asia/Shanghai"); quiet hours, on-duty hours
 * and SLA clocks need the UTC offset such a zone has at an instant. The
 * zones are read from the system's compiled tz database (TZif files under
 * /usr/share/zoneinfo, Debian's tzdata), transitions and the POSIX rule
 * that extends them, once per zone and kept; the C library's localtime
 * cannot be used because it reads one process-wide TZ.
 */
#ifndef VG_CORE_TZ_H
#define VG_CORE_TZ_H

#include <stdint.h>

#include "core/error.h"

/* The offset east of UTC, in minutes, that zone has at at_ms. VG_EINVAL
 * "unknown time zone" for a name that is not a zone of the database. */
int vg_tz_offset(const char *zone, int64_t at_ms, int *minutes, vg_error *err);

/* The instant local midnight of the date year-month-day begins in zone
 * (a midnight a spring-forward skips is read as the instant the clocks
 * jumped). VG_EINVAL for a date that does not exist or an unknown zone. */
int vg_tz_day_start(const char *zone, int year, int month, int day, int64_t *out,
		    vg_error *err);

/* The first instant of month ("YYYY-MM", years 2000 to 9999) in zone, and
 * of the month after it: the month is [*from, *until). VG_EINVAL "month
 * must be YYYY-MM" for anything else. */
int vg_tz_month_bounds(const char *month, const char *zone, int64_t *from, int64_t *until,
		       vg_error *err);

/* Reads a TZif file's bytes (for the zone reader and its fuzz target):
 * the offset at at_ms, or VG_EINVAL naming what is wrong with the data. */
int vg_tz_offset_in(const unsigned char *data, size_t len, int64_t at_ms, int *minutes,
		    vg_error *err);

#endif
