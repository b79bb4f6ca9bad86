/*
 * calendar.c - working calendars, elapsed working time and due instants
 * (see calendar.h).
 *
 * Everything is in Unix milliseconds. A local day is a day number (days
 * since 1970-01-01 of the local calendar); "local ms" are the milliseconds
 * a wall clock in the calendar's zone shows, counted as if they were UTC.
 */
#include "core/calendar.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/embedded.h"
#include "core/file.h"
#include "core/time.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#define DAY_MS ((int64_t)86400000)
#define MINUTE_MS ((int64_t)60000)
#define HOUR_MS ((int64_t)3600000)
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z */
#define INSTANT_MIN ((int64_t)-62135596800000)
#define INSTANT_MAX ((int64_t)253402300799999)
#define FILE_MAX (1u << 20)

/* A day's working intervals, minutes after local midnight, sorted and
 * disjoint; end is at most 1440. */
typedef struct day_hours {
	int n;
	int start[VG_CALENDAR_DAY_INTERVALS_MAX], end[VG_CALENDAR_DAY_INTERVALS_MAX];
} day_hours;

/* Local days first..last, inclusive. */
typedef struct day_range {
	int64_t first, last;
} day_range;

struct vg_calendar {
	char *zone;
	day_hours week[7];		/* 0 Sunday */
	day_range *holidays, *workdays; /* sorted, disjoint, not adjacent */
	size_t nholidays, nworkdays;
};

static const char *const weekdays[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/* ---- dates and durations ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int weekday_of(int64_t day)
{
	/* 1970-01-01 was a Thursday. */
	return (int)(((day % 7) + 11) % 7);
}

/* "YYYY-MM-DD" (exactly len bytes) into its day number. */
static bool parse_day(const char *s, size_t len, int64_t *day)
{
	char buf[11];
	int64_t ms;

	if (len != 10)
		return false;
	memcpy(buf, s, 10);
	buf[10] = '\0';
	if (!vg_time_is_date(buf) || vg_time_parse_iso(buf, &ms) != VG_OK)
		return false;
	*day = floor_div(ms, DAY_MS);
	return true;
}

static void format_day(int64_t day, char out[11])
{
	char iso[VG_TIME_ISO_LEN];

	vg_time_format_iso(day * DAY_MS, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

int vg_duration_parse(const char *s, int64_t *seconds)
{
	const int64_t max = VG_CALENDAR_SPAN_MAX_MS / 1000;
	int64_t total = 0;

	*seconds = 0;
	if (!s || !*s)
		return VG_EINVAL;
	while (*s) {
		int64_t n = 0, unit;
		int digits = 0;

		for (; *s >= '0' && *s <= '9'; s++, digits++) {
			if (n > max)
				return VG_EINVAL;
			n = n * 10 + (*s - '0');
		}
		switch (*s) {
		case 'd':
			unit = 86400;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'm':
			unit = 60;
			break;
		case 's':
			unit = 1;
			break;
		default:
			return VG_EINVAL;
		}
		s++;
		if (digits == 0 || n > max / unit || total + n * unit > max)
			return VG_EINVAL;
		total += n * unit;
	}
	*seconds = total;
	return VG_OK;
}

/* ---- local time to instants ---- */

static int offset_ms(const vg_calendar *c, int64_t at_ms, int64_t *off, vg_error *err)
{
	int minutes;
	int rc = vg_tz_offset(c->zone, at_ms, &minutes, err);

	*off = rc ? 0 : minutes * MINUTE_MS;
	return rc;
}

/*
 * The instant a wall clock in c's zone shows local_ms: the smallest u with
 * u + offset(u) >= local_ms. That is the one instant for an ordinary local
 * time, the first of two for a time a fall-back repeats, and the instant
 * of the jump for a time a spring-forward skips. It grows with local_ms, so
 * local intervals stay in order. Zones change their offset at most once in
 * the 30 hours around a local time, which is what the candidates rely on.
 */
static int local_to_utc(const vg_calendar *c, int64_t local_ms, int64_t *utc, vg_error *err)
{
	int64_t cand[4], before, after, lo, hi, best = INT64_MAX, off;
	int rc, i;

	*utc = 0;
	rc = offset_ms(c, local_ms - 15 * HOUR_MS, &before, err);
	if (rc == VG_OK)
		rc = offset_ms(c, local_ms + 15 * HOUR_MS, &after, err);
	if (rc == VG_OK)
		rc = offset_ms(c, local_ms - before, &cand[2], err);
	if (rc == VG_OK)
		rc = offset_ms(c, local_ms - after, &cand[3], err);
	if (rc)
		return rc;
	cand[0] = before;
	cand[1] = after;
	for (i = 0; i < 4; i++) {
		rc = offset_ms(c, local_ms - cand[i], &off, err);
		if (rc)
			return rc;
		if (off == cand[i] && local_ms - cand[i] < best)
			best = local_ms - cand[i];
	}
	if (best != INT64_MAX) {
		*utc = best;
		return VG_OK;
	}
	/* A skipped local time: u + offset(u) is below local_ms at lo and
	 * above it at hi, with the one jump in between. */
	lo = local_ms - (before > after ? before : after);
	hi = local_ms - (before < after ? before : after);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		rc = offset_ms(c, mid, &off, err);
		if (rc)
			return rc;
		if (mid + off >= local_ms)
			hi = mid;
		else
			lo = mid;
	}
	*utc = hi;
	return VG_OK;
}

/* ---- walking the working intervals of a span ---- */

static bool in_ranges(const day_range *r, size_t n, int64_t day)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].last < day)
			lo = mid + 1;
		else if (r[mid].first > day)
			hi = mid;
		else
			return true;
	}
	return false;
}

static const day_hours *hours_of(const vg_calendar *c, int64_t day)
{
	static const day_hours none = {0};

	if (in_ranges(c->workdays, c->nworkdays, day))
		return &c->week[1];
	if (in_ranges(c->holidays, c->nholidays, day))
		return &none;
	return &c->week[weekday_of(day)];
}

/* Called with each working interval [s, e) inside the span, in order;
 * returns true to stop. */
typedef bool (*span_fn)(void *arg, int64_t s, int64_t e);

/* Hands fn the working intervals of c within [from, limit); *stopped tells
 * whether fn stopped the walk. */
static int walk(const vg_calendar *c, int64_t from, int64_t limit, span_fn fn, void *arg,
		bool *stopped, vg_error *err)
{
	int64_t off, day, start, s, e;
	int rc, i;

	*stopped = false;
	rc = offset_ms(c, from, &off, err);
	if (rc)
		return rc;
	/* The local day holding from: the days before it end by its midnight,
	 * which is no later than from. */
	for (day = floor_div(from + off, DAY_MS);; day++) {
		const day_hours *h = hours_of(c, day);

		rc = local_to_utc(c, day * DAY_MS, &start, err);
		if (rc)
			return rc;
		if (start >= limit)
			return VG_OK;
		for (i = 0; i < h->n; i++) {
			rc = local_to_utc(c, day * DAY_MS + h->start[i] * MINUTE_MS, &s, err);
			if (rc == VG_OK)
				rc = local_to_utc(c, day * DAY_MS + h->end[i] * MINUTE_MS, &e, err);
			if (rc)
				return rc;
			if (s < from)
				s = from;
			if (e > limit)
				e = limit;
			if (s < e && fn(arg, s, e)) {
				*stopped = true;
				return VG_OK;
			}
		}
	}
}

static int check_instant(int64_t ms, const char *what, vg_error *err)
{
	if (ms < INSTANT_MIN || ms > INSTANT_MAX)
		return vg_error_set(err, VG_EINVAL, "%s is outside the years 1 to 9999", what);
	return VG_OK;
}

typedef struct elapsed_walk {
	const vg_interval *pauses; /* sorted, disjoint */
	size_t n, next;		   /* pauses before next end before the spans to come */
	int64_t total_ms;
} elapsed_walk;

static bool add_span(void *arg, int64_t s, int64_t e)
{
	elapsed_walk *w = arg;
	size_t i;

	w->total_ms += e - s;
	while (w->next < w->n && w->pauses[w->next].to_ms <= s)
		w->next++;
	for (i = w->next; i < w->n && w->pauses[i].from_ms < e; i++) {
		int64_t a = w->pauses[i].from_ms > s ? w->pauses[i].from_ms : s;
		int64_t b = w->pauses[i].to_ms < e ? w->pauses[i].to_ms : e;

		if (a < b)
			w->total_ms -= b - a;
	}
	return false;
}

static int compare_intervals(const void *a, const void *b)
{
	const vg_interval *x = a, *y = b;

	return x->from_ms < y->from_ms ? -1 : x->from_ms > y->from_ms;
}

int vg_calendar_elapsed(const vg_calendar *c, int64_t from_ms, int64_t to_ms,
			const vg_interval *pauses, size_t npauses, int64_t *seconds, vg_error *err)
{
	elapsed_walk w = {0};
	vg_interval *merged = NULL;
	size_t i, n = 0;
	bool stopped;
	int rc;

	*seconds = 0;
	rc = check_instant(from_ms, "the start", err);
	if (rc == VG_OK)
		rc = check_instant(to_ms, "the end", err);
	if (rc)
		return rc;
	if (to_ms < from_ms)
		return vg_error_set(err, VG_EINVAL, "the end is before the start");
	if (to_ms - from_ms > VG_CALENDAR_SPAN_MAX_MS)
		return vg_error_set(err, VG_EINVAL, "the span is longer than 20 years");
	for (i = 0; i < npauses; i++)
		if (pauses[i].to_ms < pauses[i].from_ms)
			return vg_error_set(err, VG_EINVAL, "pause %zu ends before it starts",
					    i + 1);
	if (npauses) {
		if (npauses > SIZE_MAX / sizeof(*merged) ||
		    !(merged = malloc(npauses * sizeof(*merged))))
			return vg_error_set(err, VG_ENOMEM, "out of memory merging pauses");
		/* Clipped to the span, sorted, and overlapping ones joined. */
		for (i = 0; i < npauses; i++) {
			vg_interval p = pauses[i];

			if (p.from_ms < from_ms)
				p.from_ms = from_ms;
			if (p.to_ms > to_ms)
				p.to_ms = to_ms;
			if (p.from_ms < p.to_ms)
				merged[n++] = p;
		}
		qsort(merged, n, sizeof(*merged), compare_intervals);
		for (i = 1, w.n = n ? 1 : 0; i < n; i++) {
			if (merged[i].from_ms <= merged[w.n - 1].to_ms) {
				if (merged[i].to_ms > merged[w.n - 1].to_ms)
					merged[w.n - 1].to_ms = merged[i].to_ms;
			} else {
				merged[w.n++] = merged[i];
			}
		}
		w.pauses = merged;
	}
	rc = walk(c, from_ms, to_ms, add_span, &w, &stopped, err);
	if (rc == VG_OK)
		*seconds = w.total_ms / 1000;
	free(merged);
	return rc;
}

typedef struct due_walk {
	int64_t left_ms, due_ms;
} due_walk;

static bool use_span(void *arg, int64_t s, int64_t e)
{
	due_walk *w = arg;

	if (w->left_ms <= e - s) {
		w->due_ms = s + w->left_ms;
		return true;
	}
	w->left_ms -= e - s;
	return false;
}

int vg_calendar_due(const vg_calendar *c, int64_t from_ms, int64_t target_seconds, int64_t *due_ms,
		    vg_error *err)
{
	due_walk w = {0};
	bool stopped;
	int rc;

	*due_ms = 0;
	rc = check_instant(from_ms, "the start", err);
	if (rc)
		return rc;
	if (target_seconds < 0 || target_seconds > VG_CALENDAR_SPAN_MAX_MS / 1000)
		return vg_error_set(err, VG_EINVAL, "the target is negative or over 20 years");
	w.left_ms = target_seconds * 1000;
	rc = walk(c, from_ms, from_ms + VG_CALENDAR_SPAN_MAX_MS, use_span, &w, &stopped, err);
	if (rc)
		return rc;
	if (!stopped)
		return vg_error_set(err, VG_EINVAL,
				    "the target is not reached within 20 years on this calendar");
	if (w.due_ms > INSTANT_MAX)
		return vg_error_set(err, VG_EINVAL, "the due instant is past the year 9999");
	*due_ms = w.due_ms;
	return VG_OK;
}

/* ---- parsing ---- */

typedef struct date_entry {
	day_range r;
	struct fy_node *node;
} date_entry;

typedef struct parse_state {
	const char *origin;
	vg_calendar *cal;
	int documents;
	struct fy_node *timezone;
	date_entry *dates[2]; /* holidays, workdays */
	size_t ndates[2];
} parse_state;

static int fail_line(vg_error *err, const char *origin, int line, const char *msg)
{
	return vg_error_set(err, VG_EINVAL, "%s:%d: %s", origin, line > 0 ? line : 1, msg);
}

/* "HH:MM" at s into minutes; 24:00 only when end is true. */
static bool parse_hhmm(const char *s, bool end, int *minutes)
{
	int h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' ||
	    s[3] > '9' || s[4] < '0' || s[4] > '9')
		return false;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
		return false;
	*minutes = h * 60 + m;
	return true;
}

static int parse_day_hours(parse_state *p, const char *day, struct fy_node *list, day_hours *out,
			   vg_error *err)
{
	struct fy_node *item;
	void *iter = NULL;

	out->n = 0;
	if (vg_yaml_is_null(list))
		return VG_OK;
	if (!fy_node_is_sequence(list))
		return vg_yaml_fail(err, p->origin, list,
				    "hours.%s: a list of \"HH:MM-HH:MM\" intervals", day);
	while ((item = fy_node_sequence_iterate(list, &iter)) != NULL) {
		size_t len;
		const char *s = vg_yaml_text(item, &len);
		int start, end;

		if (!fy_node_is_scalar(item) || len != 11 || s[5] != '-' ||
		    !parse_hhmm(s, false, &start) || !parse_hhmm(s + 6, true, &end))
			return vg_yaml_fail(err, p->origin, item,
					    "hours.%s: \"%.*s\" is not an interval HH:MM-HH:MM",
					    day, (int)(len > 32 ? 32 : len), s);
		if (end <= start)
			return vg_yaml_fail(err, p->origin, item,
					    "hours.%s: \"%.11s\" does not end after it starts", day,
					    s);
		if (out->n > 0 && start < out->end[out->n - 1])
			return vg_yaml_fail(
			    err, p->origin, item,
			    "hours.%s: \"%.11s\" starts before the interval before it "
			    "ends: list intervals in order, without overlaps",
			    day, s);
		if (out->n == VG_CALENDAR_DAY_INTERVALS_MAX)
			return vg_yaml_fail(err, p->origin, item,
					    "hours.%s: more than %d intervals", day,
					    VG_CALENDAR_DAY_INTERVALS_MAX);
		out->start[out->n] = start;
		out->end[out->n] = end;
		out->n++;
	}
	return VG_OK;
}

static int parse_hours(parse_state *p, struct fy_node *map, vg_error *err)
{
	struct fy_node_pair *pair;
	void *iter = NULL;
	bool seen[7] = {false};

	if (vg_yaml_is_null(map))
		return VG_OK;
	if (!fy_node_is_mapping(map))
		return vg_yaml_fail(err, p->origin, map,
				    "hours: a mapping of weekdays (mon ... sun) to lists of "
				    "\"HH:MM-HH:MM\" intervals");
	while ((pair = fy_node_mapping_iterate(map, &iter)) != NULL) {
		struct fy_node *key = fy_node_pair_key(pair);
		int d;
		int rc;

		for (d = 0; d < 7 && !vg_yaml_key_is(pair, weekdays[d]); d++)
			;
		if (d == 7 || !fy_node_is_scalar(key))
			return vg_yaml_fail(err, p->origin, key,
					    "hours: unknown weekday \"%.32s\" (mon, tue, wed, thu, "
					    "fri, sat, sun)",
					    vg_yaml_cstr(key));
		if (seen[d])
			return vg_yaml_fail(err, p->origin, key, "hours: %s given twice",
					    weekdays[d]);
		seen[d] = true;
		rc = parse_day_hours(p, weekdays[d], fy_node_pair_value(pair), &p->cal->week[d],
				     err);
		if (rc)
			return rc;
	}
	return VG_OK;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (len bytes) into days. */
static bool parse_date_or_range(const char *s, size_t len, day_range *r)
{
	if (len == 10 && parse_day(s, 10, &r->first)) {
		r->last = r->first;
		return true;
	}
	return len == 22 && s[10] == '.' && s[11] == '.' && parse_day(s, 10, &r->first) &&
	       parse_day(s + 12, 10, &r->last);
}

/* holidays (which 0) or workdays (1): dates and inclusive ranges. */
static int parse_dates(parse_state *p, int which, struct fy_node *list, vg_error *err)
{
	const char *field = which ? "workdays" : "holidays";
	struct fy_node *item;
	void *iter = NULL;

	if (vg_yaml_is_null(list))
		return VG_OK;
	if (!fy_node_is_sequence(list))
		return vg_yaml_fail(err, p->origin, list,
				    "%s: a list of dates YYYY-MM-DD and ranges "
				    "YYYY-MM-DD..YYYY-MM-DD",
				    field);
	while ((item = fy_node_sequence_iterate(list, &iter)) != NULL) {
		size_t len;
		const char *s = vg_yaml_text(item, &len);
		day_range r;

		if (!fy_node_is_scalar(item) || !parse_date_or_range(s, len, &r))
			return vg_yaml_fail(err, p->origin, item,
					    "%s: \"%.*s\" is not a date YYYY-MM-DD or a range "
					    "YYYY-MM-DD..YYYY-MM-DD",
					    field, (int)(len > 32 ? 32 : len), s);
		if (r.last < r.first)
			return vg_yaml_fail(err, p->origin, item,
					    "%s: \"%.22s\" ends before it starts", field, s);
		if (p->ndates[0] + p->ndates[1] == VG_CALENDAR_DATES_MAX)
			return vg_yaml_fail(err, p->origin, item,
					    "%s: more than %d holidays and workdays", field,
					    VG_CALENDAR_DATES_MAX);
		if (!p->dates[which])
			p->dates[which] =
			    vg_xcalloc(VG_CALENDAR_DATES_MAX, sizeof(*p->dates[which]));
		p->dates[which][p->ndates[which]++] = (date_entry){r, item};
	}
	return VG_OK;
}

static int compare_entries(const void *a, const void *b)
{
	const date_entry *x = a, *y = b;

	return x->r.first < y->r.first ? -1 : x->r.first > y->r.first;
}

/* Sorts the entries and joins overlapping and adjacent ranges into a new
 * array (*n ranges). */
static day_range *merge_dates(date_entry *e, size_t ne, size_t *n)
{
	day_range *out;
	size_t i;

	*n = 0;
	if (ne == 0)
		return NULL;
	qsort(e, ne, sizeof(*e), compare_entries);
	out = vg_xmalloc(ne * sizeof(*out));
	for (i = 0; i < ne; i++) {
		if (*n > 0 && e[i].r.first <= out[*n - 1].last + 1) {
			if (e[i].r.last > out[*n - 1].last)
				out[*n - 1].last = e[i].r.last;
		} else {
			out[(*n)++] = e[i].r;
		}
	}
	return out;
}

static int finish(parse_state *p, struct fy_node *root, vg_error *err)
{
	vg_calendar *c = p->cal;
	vg_error tz_err = {0};
	size_t i, nw = p->ndates[1];
	int minutes, rc;

	if (!p->timezone)
		return fail_line(err, p->origin, vg_yaml_line(root),
				 "timezone: missing (an IANA zone name such as Asia/Shanghai)");
	c->holidays = merge_dates(p->dates[0], p->ndates[0], &c->nholidays);
	/* A date both a holiday and a workday is a mistake, in file order. */
	for (i = 0; i < nw; i++) {
		date_entry *w = &p->dates[1][i];
		size_t lo = 0, hi = c->nholidays;

		/* The first holiday range that ends on or after the workday. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (c->holidays[mid].last < w->r.first)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->nholidays && c->holidays[lo].first <= w->r.last) {
			char date[11];

			format_day(w->r.first > c->holidays[lo].first ? w->r.first
								      : c->holidays[lo].first,
				   date);
			return vg_yaml_fail(err, p->origin, w->node,
					    "workdays: %s is also a holiday", date);
		}
	}
	c->workdays = merge_dates(p->dates[1], nw, &c->nworkdays);
	c->zone = vg_yaml_text_dup(p->timezone);
	rc = vg_tz_offset(c->zone, 0, &minutes, &tz_err);
	if (rc == VG_EINVAL)
		return vg_yaml_fail(err, p->origin, p->timezone, "timezone: %s", tz_err.msg);
	if (rc)
		return vg_error_set(err, rc, "%s", tz_err.msg);
	return VG_OK;
}

static int parse_document(void *arg, struct fy_node *root, vg_error *err)
{
	parse_state *p = arg;
	struct fy_node_pair *pair;
	void *iter = NULL;
	int rc;

	if (++p->documents > 1)
		return fail_line(err, p->origin, vg_yaml_line(root),
				 "a calendar file holds one YAML document");
	if (!root || !fy_node_is_mapping(root))
		return fail_line(err, p->origin, vg_yaml_line(root),
				 "a calendar is a mapping of timezone, hours, holidays and "
				 "workdays");
	while ((pair = fy_node_mapping_iterate(root, &iter)) != NULL) {
		struct fy_node *key = fy_node_pair_key(pair), *value = fy_node_pair_value(pair);

		if (vg_yaml_key_is(pair, "timezone")) {
			size_t len;

			vg_yaml_text(value, &len);
			if (!value || !fy_node_is_scalar(value) || vg_yaml_is_null(value) ||
			    len == 0)
				return vg_yaml_fail(err, p->origin, value ? value : key,
						    "timezone: an IANA zone name such as "
						    "Asia/Shanghai");
			p->timezone = value;
			rc = VG_OK;
		} else if (vg_yaml_key_is(pair, "hours")) {
			rc = parse_hours(p, value, err);
		} else if (vg_yaml_key_is(pair, "holidays")) {
			rc = parse_dates(p, 0, value, err);
		} else if (vg_yaml_key_is(pair, "workdays")) {
			rc = parse_dates(p, 1, value, err);
		} else {
			rc = vg_yaml_fail(err, p->origin, key,
					  "unknown field \"%.32s\" (timezone, hours, holidays, "
					  "workdays)",
					  vg_yaml_cstr(key));
		}
		if (rc)
			return rc;
	}
	return finish(p, root, err);
}

void vg_calendar_free(vg_calendar *c)
{
	if (!c)
		return;
	free(c->zone);
	free(c->holidays);
	free(c->workdays);
	free(c);
}

int vg_calendar_parse(const char *text, size_t len, const char *origin, vg_calendar **out,
		      vg_error *err)
{
	parse_state p = {.origin = origin};
	int rc;

	*out = NULL;
	p.cal = vg_xcalloc(1, sizeof(*p.cal));
	rc = vg_yaml_each_document(text, len, origin, parse_document, &p, err);
	if (rc == VG_OK && p.documents == 0)
		rc = fail_line(err, origin, 1,
			       "empty calendar: give timezone, hours, holidays and workdays");
	free(p.dates[0]);
	free(p.dates[1]);
	if (rc) {
		vg_calendar_free(p.cal);
		return rc;
	}
	*out = p.cal;
	return VG_OK;
}

const char *vg_calendar_zone(const vg_calendar *c)
{
	return c->zone;
}

void vg_calendar_shipped_names(char *out, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	for (const vg_embedded_file *f = vg__calendars_files; f->path; f++) {
		size_t n = strlen(f->path);
		int w;

		if (n > 5 && strcmp(f->path + n - 5, ".yaml") == 0)
			n -= 5;
		w = snprintf(out + used, size - used, "%s%.*s", used ? ", " : "", (int)n, f->path);
		if (w < 0 || (size_t)w >= size - used)
			return;
		used += (size_t)w;
	}
}

int vg_calendar_load(const char *name_or_path, vg_calendar **out, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(FILE_MAX + 1);
	char origin[256], names[256];
	int rc;

	*out = NULL;
	for (const vg_embedded_file *f = vg__calendars_files; f->path; f++) {
		size_t n = strlen(name_or_path);

		if (strncmp(f->path, name_or_path, n) == 0 && strcmp(f->path + n, ".yaml") == 0) {
			snprintf(origin, sizeof(origin), "calendars/%s", f->path);
			return vg_calendar_parse(f->text, strlen(f->text), origin, out, err);
		}
	}
	rc = vg_file_read(name_or_path, FILE_MAX, &text, err);
	if (rc == VG_ENOTFOUND) {
		vg_calendar_shipped_names(names, sizeof(names));
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "\"%.200s\" is neither a shipped calendar (%s) nor a file",
				  name_or_path, names);
	}
	if (rc == VG_OK)
		rc = vg_calendar_parse(vg_buf_cstr(&text), text.len, name_or_path, out, err);
	vg_buf_release(&text);
	return rc;
}
