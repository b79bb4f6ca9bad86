/* time.c - Unix-millisecond clock and ISO 8601 (see time.h). */
#include "core/time.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "core/digits.h"
#include "core/error.h"

int64_t vg_time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


/* Reads exactly n digits at *p into *out and advances *p. */
static int read_digits(const char **p, int n, int *out)
{
	if (!vg_digits_int(*p, (size_t)n, out))
		return VG_EINVAL;
	*p += n;
	return VG_OK;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil date of a day count from 1970-01-01, the inverse of
 * days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void vg_time_to_civil(int64_t ms, int *year, int *month, int *day, int *weekday)
{
	int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000), y;

	civil_from_days(days, &y, month, day);
	*year = (int)y;
	/* 1970-01-01 was a Thursday. */
	*weekday = (int)(((days % 7) + 11) % 7);
}

static void put_digits(char *out, int64_t v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Written by hand, not with gmtime_r and snprintf: every event's time is
 * formatted on the ingest path, and this is several times faster. */
void vg_time_format_iso(int64_t ms, char out[VG_TIME_ISO_LEN])
{
	int64_t days = ms / 86400000, rest = ms % 86400000, year;
	int month, day;

	if (rest < 0) {
		rest += 86400000;
		days -= 1;
	}
	civil_from_days(days, &year, &month, &day);
	/* Years past 9999 do not fit the ISO form; they keep their last digits. */
	year %= 10000;
	if (year < 0)
		year += 10000;
	memcpy(out, "0000-00-00T00:00:00.000Z", VG_TIME_ISO_LEN);
	put_digits(out, year, 4);
	put_digits(out + 5, month, 2);
	put_digits(out + 8, day, 2);
	put_digits(out + 11, rest / 3600000, 2);
	put_digits(out + 14, rest / 60000 % 60, 2);
	put_digits(out + 17, rest / 1000 % 60, 2);
	put_digits(out + 20, rest % 1000, 3);
}

static int parse_date(const char **p, int *y, int *m, int *d)
{
	if (read_digits(p, 4, y) || **p != '-')
		return VG_EINVAL;
	(*p)++;
	if (read_digits(p, 2, m) || **p != '-')
		return VG_EINVAL;
	(*p)++;
	if (read_digits(p, 2, d))
		return VG_EINVAL;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return VG_EINVAL;
	return VG_OK;
}

int vg_time_from_civil(int year, int month, int day, int hour, int minute, int second,
		       int millis, int64_t *ms_out)
{
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour < 0 ||
	    hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || millis < 0 ||
	    millis > 999)
		return VG_EINVAL;
	*ms_out = (days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second) *
			  1000 +
		  millis;
	return VG_OK;
}

int vg_time_is_date(const char *s)
{
	int y, m, d;

	return parse_date(&s, &y, &m, &d) == VG_OK && *s == '\0';
}

/* zone_minutes: the offset of a stamp without a zone; INT_MIN: it needs one. */
static int parse_stamp(const char *s, int zone_minutes, int64_t *ms_out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, millis = 0, off = 0;
	const char *p = s;

	if (parse_date(&p, &y, &mo, &d))
		return VG_EINVAL;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (read_digits(&p, 2, &h) || *p++ != ':' || read_digits(&p, 2, &mi) ||
		    *p++ != ':' || read_digits(&p, 2, &sec))
			return VG_EINVAL;
		if (h > 23 || mi > 59 || sec > 60)
			return VG_EINVAL;
		if (*p == '.') {
			int scale = 100;

			p++;
			if (!isdigit((unsigned char)*p))
				return VG_EINVAL;
			for (; isdigit((unsigned char)*p); p++) {
				millis += (*p - '0') * scale;
				scale /= 10;
			}
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;

			if (read_digits(&p, 2, &oh) || *p++ != ':' || read_digits(&p, 2, &om) ||
			    oh > 23 || om > 59)
				return VG_EINVAL;
			off = sign * (oh * 60 + om);
		} else if (zone_minutes != INT_MIN) {
			off = zone_minutes;
		} else {
			return VG_EINVAL;
		}
	}
	if (*p != '\0')
		return VG_EINVAL;
	*ms_out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
		   (int64_t)off * 60) * 1000 + millis;
	return VG_OK;
}

int vg_time_parse_iso(const char *s, int64_t *ms_out)
{
	return parse_stamp(s, INT_MIN, ms_out);
}

int vg_time_parse_zoned(const char *s, int zone_minutes, int64_t *ms_out)
{
	return parse_stamp(s, zone_minutes, ms_out);
}

int vg_time_parse_offset(const char *s, int *minutes)
{
	int oh, om;

	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || s[3] != ':' || !isdigit((unsigned char)s[4]) ||
	    !isdigit((unsigned char)s[5]) || s[6])
		return VG_EINVAL;
	oh = (s[1] - '0') * 10 + (s[2] - '0');
	om = (s[4] - '0') * 10 + (s[5] - '0');
	if (oh > 23 || om > 59)
		return VG_EINVAL;
	*minutes = (s[0] == '-' ? -1 : 1) * (oh * 60 + om);
	return VG_OK;
}
