/*
 * tz.c - UTC offsets of IANA zones from the TZif files of the tz database
 * (RFC 8536), see tz.h.
 */
#include "core/tz.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/map.h"
#include "core/time.h"

#define ZONEINFO "/usr/share/zoneinfo/"
#define TZIF_MAX (1u << 20)

/* A POSIX TZ rule date "Mm.w.d/time": the d-th weekday (0 Sunday) of week
 * w (5: the last) of month m, at time seconds of local time. */
typedef struct rule_date {
	int month, week, weekday;
	int32_t time;
} rule_date;

typedef struct zone {
	int64_t *at; /* transitions, seconds, ascending */
	int32_t *offset; /* the offset (seconds east) from each transition on */
	size_t n;
	int32_t before; /* the offset before the first transition */
	bool has_rule;  /* the footer's rule, for instants past the last transition */
	int32_t std, dst;
	bool has_dst;
	rule_date start, end;
} zone;

static void zone_free(zone *z)
{
	if (!z)
		return;
	free(z->at);
	free(z->offset);
	free(z);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* ---- the footer's POSIX TZ string ---- */

static bool tz_name(const char **s)
{
	const char *p = *s;

	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		if (*p != '>')
			return false;
		*s = p + 1;
		return true;
	}
	while (isalpha((unsigned char)*p))
		p++;
	if (p - *s < 3)
		return false;
	*s = p;
	return true;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167 (rule times may pass a day). */
static bool tz_time(const char **s, int32_t *out)
{
	const char *p = *s;
	int sign = 1, part[3] = { 0, 0, 0 }, i;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p)) {
			part[i] = part[i] * 10 + (*p++ - '0');
			if (part[i] > 167)
				return false;
		}
		if (*p != ':')
			break;
		p++;
	}
	if (part[1] > 59 || part[2] > 59)
		return false;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*s = p;
	return true;
}

static bool rule_date_read(const char **s, rule_date *d)
{
	const char *p = *s;
	char *end;
	long m, w, wd;

	if (*p++ != 'M')
		return false; /* Jn and n dates: no zone of the database uses them */
	m = strtol(p, &end, 10);
	if (end == p || *end != '.' || m < 1 || m > 12)
		return false;
	p = end + 1;
	w = strtol(p, &end, 10);
	if (end == p || *end != '.' || w < 1 || w > 5)
		return false;
	p = end + 1;
	wd = strtol(p, &end, 10);
	if (end == p || wd < 0 || wd > 6)
		return false;
	p = end;
	d->month = (int)m;
	d->week = (int)w;
	d->weekday = (int)wd;
	d->time = 7200;
	if (*p == '/') {
		p++;
		if (!tz_time(&p, &d->time))
			return false;
	}
	*s = p;
	return true;
}

/* "CST-8", "EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30": POSIX offsets are
 * west of UTC, so their signs are turned. */
static bool footer_read(const char *s, zone *z)
{
	int32_t west;

	if (!tz_name(&s) || !tz_time(&s, &west))
		return false;
	z->std = -west;
	z->has_rule = true;
	if (!*s)
		return true;
	if (!tz_name(&s))
		return false;
	z->dst = z->std + 3600;
	if (*s && *s != ',') {
		if (!tz_time(&s, &west))
			return false;
		z->dst = -west;
	}
	if (*s++ != ',' || !rule_date_read(&s, &z->start) || *s++ != ',' ||
	    !rule_date_read(&s, &z->end) || *s)
		return false;
	z->has_dst = true;
	return true;
}

/* The UTC second the rule date falls on in year, read on a clock at
 * offset seconds east. */
static int64_t rule_instant(int year, const rule_date *d, int32_t offset)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t first_ms;
	int y, m, day, wd, last = mdays[d->month - 1], dom;

	if (d->month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		last = 29;
	vg_time_from_civil(year, d->month, 1, 0, 0, 0, 0, &first_ms);
	vg_time_to_civil(first_ms, &y, &m, &day, &wd);
	dom = 1 + (d->weekday - wd + 7) % 7 + (d->week - 1) * 7;
	while (dom > last)
		dom -= 7;
	return first_ms / 1000 + (int64_t)(dom - 1) * 86400 + d->time - offset;
}

static int32_t rule_offset(const zone *z, int64_t t)
{
	int year, month, day, wd;
	int64_t start, end;

	if (!z->has_dst)
		return z->std;
	vg_time_to_civil(t * 1000, &year, &month, &day, &wd);
	start = rule_instant(year, &z->start, z->std);
	end = rule_instant(year, &z->end, z->dst);
	if (start < end)
		return t >= start && t < end ? z->dst : z->std;
	return t >= end && t < start ? z->std : z->dst;
}

/* ---- the TZif file ---- */

typedef struct counts {
	uint32_t isut, isstd, leap, time, type, chars;
} counts;

static bool header(const unsigned char *p, size_t len, counts *c, int *version)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return false;
	*version = p[4] ? p[4] - '0' : 1;
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->leap <= 10000 &&
	       c->chars <= 65536 && (c->isut == 0 || c->isut == c->type) &&
	       (c->isstd == 0 || c->isstd == c->type);
}

static size_t block_size(const counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) +
	       c->isstd + c->isut;
}

static int parse(const unsigned char *data, size_t len, zone **out, vg_error *err)
{
	const unsigned char *p = data, *end = data + len, *times, *idx, *types;
	size_t tsize = 4, i;
	counts c;
	int version;
	zone *z;

	*out = NULL;
	if (!header(p, len, &c, &version))
		return vg_error_set(err, VG_EINVAL, "not a TZif file");
	if (version >= 2) {
		/* Skip the 32-bit block for the 64-bit one after it. */
		if (block_size(&c, 4) > len - 44)
			return vg_error_set(err, VG_EINVAL, "TZif data cut short");
		p += 44 + block_size(&c, 4);
		if (!header(p, (size_t)(end - p), &c, &version))
			return vg_error_set(err, VG_EINVAL, "TZif second header is bad");
		tsize = 8;
	}
	if (block_size(&c, tsize) > (size_t)(end - p) - 44)
		return vg_error_set(err, VG_EINVAL, "TZif data cut short");
	times = p + 44;
	idx = times + c.time * tsize;
	types = idx + c.time;
	z = calloc(1, sizeof(*z));
	if (!z || (c.time && (!(z->at = malloc(c.time * sizeof(*z->at))) ||
			      !(z->offset = malloc(c.time * sizeof(*z->offset)))))) {
		zone_free(z);
		return vg_error_set(err, VG_ENOMEM, "out of memory reading a time zone");
	}
	for (i = 0; i < c.time; i++) {
		z->at[i] = tsize == 8 ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
		if (idx[i] >= c.type || (i && z->at[i] <= z->at[i - 1])) {
			zone_free(z);
			return vg_error_set(err, VG_EINVAL, "TZif transition %zu is bad", i);
		}
		z->offset[i] = (int32_t)be32(types + idx[i] * 6);
	}
	z->n = c.time;
	/* Before the first transition: time type 0 (RFC 8536, 3.2). */
	z->before = (int32_t)be32(types);
	p = times + block_size(&c, tsize);
	if (version >= 2 && p < end && *p == '\n') {
		const unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
		char footer[128];

		if (!nl || (size_t)(nl - p - 1) >= sizeof(footer)) {
			zone_free(z);
			return vg_error_set(err, VG_EINVAL, "TZif footer is bad");
		}
		memcpy(footer, p + 1, (size_t)(nl - p - 1));
		footer[nl - p - 1] = '\0';
		if (footer[0] && !footer_read(footer, z)) {
			zone_free(z);
			return vg_error_set(err, VG_EINVAL, "TZif footer \"%s\" is not a rule Vigil reads",
					    footer);
		}
	}
	*out = z;
	return VG_OK;
}

/* The offset in seconds at instant ms. */
static int32_t offset_at(const zone *z, int64_t ms)
{
	int64_t t = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	size_t lo = 0, hi = z->n;

	if (!z->n)
		return z->has_rule ? rule_offset(z, t) : z->before;
	if (t < z->at[0])
		return z->before;
	if (t >= z->at[z->n - 1] && z->has_rule)
		return rule_offset(z, t);
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->offset[lo];
}

int vg_tz_offset_in(const unsigned char *data, size_t len, int64_t at_ms, int *minutes,
		    vg_error *err)
{
	zone *z;
	int rc = parse(data, len, &z, err);

	if (rc)
		return rc;
	*minutes = offset_at(z, at_ms) / 60;
	zone_free(z);
	return VG_OK;
}

/* ---- zones by name, read once ---- */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static vg_map cache = VG_MAP_INIT;

/* Area/Location names only: nothing that climbs out of the database. */
static bool zone_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > 64 || name[0] == '/' || strstr(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("/_+-", name[i]))
			return false;
	return true;
}

static int load(const char *name, zone **out, vg_error *err)
{
	char path[128];
	vg_buf b = VG_BUF_INIT(TZIF_MAX);
	vg_error ferr = { 0 };
	int rc;

	snprintf(path, sizeof(path), ZONEINFO "%s", name);
	rc = vg_file_read(path, TZIF_MAX, &b, &ferr);
	if (rc == VG_OK)
		rc = parse((const unsigned char *)b.ptr, b.len, out, &ferr);
	vg_buf_release(&b);
	if (rc == VG_ENOMEM)
		return vg_error_set(err, rc, "%s", ferr.msg);
	if (rc)
		return vg_error_set(err, VG_EINVAL, "unknown time zone \"%s\"", name);
	return VG_OK;
}

/* The zone this thread read last: SLA clocks and reports ask for one zone
 * thousands of times in a row. Zones read are immutable and never freed,
 * so the pointer stays good without the lock. */
static _Thread_local struct {
	char name[65];
	const zone *z;
} last_zone;

int vg_tz_offset(const char *zone_name, int64_t at_ms, int *minutes, vg_error *err)
{
	vg_map_entry *e;
	zone *z = NULL;
	int created, rc = VG_OK;

	if (strcmp(zone_name, "UTC") == 0) {
		*minutes = 0;
		return VG_OK;
	}
	if (last_zone.z && strcmp(last_zone.name, zone_name) == 0) {
		*minutes = offset_at(last_zone.z, at_ms) / 60;
		return VG_OK;
	}
	if (!zone_name_ok(zone_name))
		return vg_error_set(err, VG_EINVAL, "unknown time zone \"%.64s\"", zone_name);
	pthread_mutex_lock(&cache_lock);
	e = vg_map_put(&cache, zone_name, strlen(zone_name), &created);
	if (!e) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory reading a time zone");
	} else if (created) {
		rc = load(zone_name, &z, err);
		e->value = z;
	} else {
		z = e->value;
	}
	if (rc == VG_OK && !z)
		rc = vg_error_set(err, VG_EINVAL, "unknown time zone \"%s\"", zone_name);
	if (rc == VG_OK) {
		*minutes = offset_at(z, at_ms) / 60;
		snprintf(last_zone.name, sizeof(last_zone.name), "%s", zone_name);
		last_zone.z = z;
	}
	pthread_mutex_unlock(&cache_lock);
	return rc;
}

int vg_tz_day_start(const char *zone_name, int year, int month, int day, int64_t *out,
		    vg_error *err)
{
	int64_t utc;
	int off, rc;

	if (vg_time_from_civil(year, month, day, 0, 0, 0, 0, &utc))
		return vg_error_set(err, VG_EINVAL, "no such date %d-%02d-%02d", year, month, day);
	/* The offset is the one in force at local midnight: read it at the
	 * UTC instant of that wall time, then again where that lands. */
	rc = vg_tz_offset(zone_name, utc, &off, err);
	if (rc)
		return rc;
	vg_tz_offset(zone_name, utc - (int64_t)off * 60000, &off, NULL);
	*out = utc - (int64_t)off * 60000;
	return VG_OK;
}

int vg_tz_month_bounds(const char *month, const char *zone_name, int64_t *from, int64_t *until,
		       vg_error *err)
{
	int y, m, rc;

	if (!month || strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < 2000 || y > 9999)
		return vg_error_set(err, VG_EINVAL, "month must be YYYY-MM");
	rc = vg_tz_day_start(zone_name, y, m, 1, from, err);
	if (!rc)
		rc = vg_tz_day_start(zone_name, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, until,
				     err);
	return rc;
}
