/*
 * test_report_chart.c - charts laid out as primitives: bar heights against
 * their rounded axis, donut shares, the calendar's Monday-first grid, the
 * empty chart, category labels thinned until they no longer overlap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/chart.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)

static size_t count_kind(const vg_chart_drawing *d, vg_chart_prim_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->prims[i].kind == kind;
	return n;
}

/* The nth (from 0) prim of kind. */
static const vg_chart_prim *nth_kind(const vg_chart_drawing *d, vg_chart_prim_kind kind, size_t nth)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->prims[i].kind == kind && nth-- == 0)
			return &d->prims[i];
	return NULL;
}

static const vg_chart_prim *find_text(const vg_chart_drawing *d, const char *text,
				      vg_chart_anchor anchor)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->prims[i].kind == VG_PRIM_TEXT && d->prims[i].anchor == anchor &&
		    strcmp(d->prims[i].text, text) == 0)
			return &d->prims[i];
	return NULL;
}

/* The tick labels (the right-aligned texts), top to bottom joined by '|'. */
static void tick_labels(const vg_chart_drawing *d, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = d->n; i-- > 0;)
		if (d->prims[i].kind == VG_PRIM_TEXT && d->prims[i].anchor == VG_ANCHOR_END)
			o += (size_t)snprintf(out + o, size - o, "%s%s", o ? "|" : "",
					      d->prims[i].text);
}

static void layout(vg_report *r, const vg_report_chart *c, vg_chart_drawing *d)
{
	double w, h;
	vg_error err = {0};

	assert_int_equal(vg_report_failed(r, NULL), VG_OK);
	vg_chart_size(c->kind, &w, &h);
	assert_int_equal(vg_chart_layout(c, r->lang, w, h, d, &err), VG_OK);
	assert_true(d->width == w && d->height == h);
}

static void sizes_are_fixed_per_kind(void **state)
{
	double w, h;

	(void)state;
	vg_chart_size(VG_CHART_BAR, &w, &h);
	assert_true(w == 480.0 && h == 260.0);
	vg_chart_size(VG_CHART_STACKED_BAR, &w, &h);
	assert_true(w == 480.0 && h == 260.0);
	vg_chart_size(VG_CHART_LINE, &w, &h);
	assert_true(w == 480.0 && h == 260.0);
	vg_chart_size(VG_CHART_DONUT, &w, &h);
	assert_true(w == 480.0 && h == 220.0);
	vg_chart_size(VG_CHART_CALENDAR, &w, &h);
	assert_true(w == 480.0 && h == 300.0);
}

static void text_widths_are_estimated(void **state)
{
	(void)state;
	assert_true(NEAR(vg_chart_text_width("abc", 10.0), 16.5));
	assert_true(NEAR(vg_chart_text_width("无数据", 10.0), 30.0));
	assert_true(NEAR(vg_chart_text_width("a无", 8.0), 12.4));
	assert_true(NEAR(vg_chart_text_width("é", 10.0), 5.5)); /* U+00E9: not CJK */
	assert_true(NEAR(vg_chart_text_width("", 10.0), 0.0));
}

static void bars_are_proportional_on_a_rounded_axis(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[] = {"a", "b", "c"};
	const double values[] = {0, 5, 10};
	vg_report_chart *c = vg_report_chart_add(r, VG_CHART_BAR, "Alerts", 3, cats);
	vg_chart_drawing d;
	const vg_chart_prim *b[3], *top;
	char ticks[128];

	(void)state;
	vg_report_chart_series(r, c, "alerts", values);
	layout(r, c, &d);
	assert_int_equal(count_kind(&d, VG_PRIM_RECT), 3);
	for (size_t i = 0; i < 3; i++)
		b[i] = nth_kind(&d, VG_PRIM_RECT, i);
	assert_true(b[0]->h == 0.0);
	assert_true(b[1]->h > 0.0);
	assert_true(NEAR(b[2]->h, 2 * b[1]->h));
	assert_true(NEAR(b[0]->y + b[0]->h, b[2]->y + b[2]->h));
	assert_true(b[0]->x < b[1]->x && b[1]->x < b[2]->x);
	tick_labels(&d, ticks, sizeof(ticks));
	assert_string_equal(ticks, "10|8|6|4|2|0");
	/* The tallest bar reaches the top tick exactly. */
	top = find_text(&d, "10", VG_ANCHOR_END);
	assert_non_null(top);
	assert_true(NEAR(top->y - 3.0, b[2]->y));
	/* Few bars: each has its value above it. */
	assert_non_null(find_text(&d, "5", VG_ANCHOR_MIDDLE));
	assert_true(NEAR(find_text(&d, "10", VG_ANCHOR_MIDDLE)->y, b[2]->y - 3.0));
	assert_string_equal(nth_kind(&d, VG_PRIM_TEXT, 0)->text, "Alerts");
	assert_true(nth_kind(&d, VG_PRIM_TEXT, 0)->bold);
	vg_chart_drawing_release(&d);
	assert_null(d.prims);
	vg_report_free(r);
}

static void ticks_round_to_one_two_five(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[] = {"x", "y", "z"};
	const double counts[] = {0, 37, 123}, big[] = {1234567, 1, 2}, small[] = {0.3, 0.1, 0};
	vg_report_chart *c1 = vg_report_chart_add(r, VG_CHART_BAR, "", 3, cats);
	vg_report_chart *c2 = vg_report_chart_add(r, VG_CHART_LINE, "", 3, cats);
	vg_report_chart *c3 = vg_report_chart_add(r, VG_CHART_BAR, "", 3, cats);
	vg_chart_drawing d;
	char ticks[256];

	(void)state;
	vg_report_chart_series(r, c1, "n", counts);
	vg_report_chart_series(r, c2, "n", big);
	vg_report_chart_series(r, c3, "n", small);
	layout(r, c1, &d);
	tick_labels(&d, ticks, sizeof(ticks));
	assert_string_equal(ticks, "150|100|50|0");
	vg_chart_drawing_release(&d);
	layout(r, c2, &d);
	tick_labels(&d, ticks, sizeof(ticks));
	assert_string_equal(ticks, "1,500,000|1,000,000|500,000|0");
	vg_chart_drawing_release(&d);
	layout(r, c3, &d);
	tick_labels(&d, ticks, sizeof(ticks));
	assert_string_equal(ticks, "0.3|0.2|0.1|0.0");
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

static void stacked_bars_with_a_legend(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[] = {"Mon", "Tue"};
	const double s0[] = {1, 2}, s1[] = {3, 4};
	vg_report_chart *c = vg_report_chart_add(r, VG_CHART_STACKED_BAR, "", 2, cats);
	const vg_chart_prim *under, *over;
	vg_chart_drawing d;
	char ticks[128];

	(void)state;
	vg_report_chart_series(r, c, "high", s0);
	vg_report_chart_series(r, c, "low", s1);
	layout(r, c, &d);
	/* Two legend swatches, then the segments category by category. */
	assert_int_equal(count_kind(&d, VG_PRIM_RECT), 6);
	assert_non_null(find_text(&d, "high", VG_ANCHOR_START));
	assert_non_null(find_text(&d, "low", VG_ANCHOR_START));
	under = nth_kind(&d, VG_PRIM_RECT, 2);
	over = nth_kind(&d, VG_PRIM_RECT, 3);
	assert_true(NEAR(over->y + over->h, under->y));
	assert_true(NEAR(over->h, 3 * under->h));
	assert_true(NEAR(over->x, under->x));
	assert_true(under->rgb != over->rgb);
	assert_int_equal(under->rgb, nth_kind(&d, VG_PRIM_RECT, 0)->rgb);
	tick_labels(&d, ticks, sizeof(ticks));
	assert_string_equal(ticks, "6|4|2|0");
	/* The taller stack reaches the top tick; totals stand above the stacks. */
	assert_true(
	    NEAR(find_text(&d, "6", VG_ANCHOR_END)->y - 3.0, nth_kind(&d, VG_PRIM_RECT, 5)->y));
	assert_true(NEAR(find_text(&d, "4", VG_ANCHOR_MIDDLE)->y, over->y - 3.0));
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

static void lines_one_per_series(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[] = {"Mon", "Tue", "Wed"};
	const double s0[] = {1, 2, 4}, s1[] = {3, 4, 0};
	vg_report_chart *c = vg_report_chart_add(r, VG_CHART_LINE, "", 3, cats);
	const vg_chart_prim *lines[2];
	vg_chart_drawing d;
	size_t n = 0;
	double y4, y0;

	(void)state;
	vg_report_chart_series(r, c, "high", s0);
	vg_report_chart_series(r, c, "low", s1);
	layout(r, c, &d);
	for (size_t i = 0; i < d.n; i++)
		if (d.prims[i].kind == VG_PRIM_POLYLINE && d.prims[i].npts == 3) {
			assert_true(n < 2);
			lines[n++] = &d.prims[i];
		}
	assert_int_equal(n, 2);
	y4 = find_text(&d, "4", VG_ANCHOR_END)->y - 3.0;
	y0 = find_text(&d, "0", VG_ANCHOR_END)->y - 3.0;
	assert_true(NEAR(lines[0]->pts[5], y4));
	assert_true(NEAR(lines[1]->pts[5], y0));
	assert_true(NEAR(lines[0]->pts[1], y0 + (y4 - y0) / 4));
	for (size_t i = 0; i < 3; i++)
		assert_true(NEAR(lines[0]->pts[2 * i], lines[1]->pts[2 * i]));
	assert_true(NEAR(find_text(&d, "Tue", VG_ANCHOR_MIDDLE)->x, lines[0]->pts[2]));
	assert_true(lines[0]->rgb != lines[1]->rgb);
	assert_non_null(find_text(&d, "low", VG_ANCHOR_START));
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

static void donut_wedges_are_shares(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[] = {"high", "medium", "none", "low"};
	const double values[] = {1, 3, 0, 4};
	vg_report_chart *c = vg_report_chart_add(r, VG_CHART_DONUT, "By severity", 4, cats);
	const double pi = acos(-1.0);
	const vg_chart_prim *w[3];
	vg_chart_drawing d;
	double sum = 0.0;

	(void)state;
	vg_report_chart_series(r, c, "alerts", values);
	layout(r, c, &d);
	/* No wedge for the empty share. */
	assert_int_equal(count_kind(&d, VG_PRIM_WEDGE), 3);
	for (size_t i = 0; i < 3; i++) {
		w[i] = nth_kind(&d, VG_PRIM_WEDGE, i);
		sum += w[i]->a1 - w[i]->a0;
		assert_true(w[i]->a0 < w[i]->a1);
		assert_true(w[i]->r_in > 0.0 && w[i]->r_in < w[i]->r_out);
	}
	assert_true(NEAR(sum, 2 * pi));
	assert_true(NEAR(w[0]->a0, 0.0));
	assert_true(NEAR(w[0]->a1 - w[0]->a0, 2 * pi / 8));
	assert_true(NEAR(w[1]->a1 - w[1]->a0, 2 * pi * 3 / 8));
	assert_true(NEAR(w[2]->a1 - w[2]->a0, 2 * pi * 4 / 8));
	assert_true(NEAR(w[1]->a0, w[0]->a1));
	assert_true(NEAR(w[2]->a1, 2 * pi));
	/* The total in the centre, the legend with label, value and percent. */
	assert_true(NEAR(find_text(&d, "8", VG_ANCHOR_MIDDLE)->x, w[0]->cx));
	assert_non_null(find_text(&d, "Total", VG_ANCHOR_MIDDLE));
	assert_non_null(find_text(&d, "medium", VG_ANCHOR_START));
	assert_non_null(find_text(&d, "none", VG_ANCHOR_START));
	assert_non_null(find_text(&d, "12.5%", VG_ANCHOR_END));
	assert_non_null(find_text(&d, "37.5%", VG_ANCHOR_END));
	assert_non_null(find_text(&d, "0.0%", VG_ANCHOR_END));
	assert_non_null(find_text(&d, "50.0%", VG_ANCHOR_END));
	assert_non_null(find_text(&d, "3", VG_ANCHOR_END));
	assert_int_equal(count_kind(&d, VG_PRIM_RECT), 4);
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

/* The cell (rect) a day's number is drawn in. */
static const vg_chart_prim *cell_of(const vg_chart_drawing *d, const char *day)
{
	const vg_chart_prim *t = find_text(d, day, VG_ANCHOR_START);

	assert_non_null(t);
	for (size_t i = 0; i < d->n; i++) {
		const vg_chart_prim *p = &d->prims[i];

		if (p->kind == VG_PRIM_RECT && p->x <= t->x && t->x <= p->x + p->w &&
		    p->y <= t->y && t->y <= p->y + p->h)
			return p;
	}
	fail_msg("no cell holds day %s", day);
	return NULL;
}

/* The row of a cell: how many distinct cell tops lie above it. */
static size_t row_of(const vg_chart_drawing *d, const vg_chart_prim *cell)
{
	double above[8];
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++) {
		const vg_chart_prim *p = &d->prims[i];
		size_t j;

		if (p->kind != VG_PRIM_RECT || p->y >= cell->y - 1e-6)
			continue;
		j = 0;
		while (j < n && !NEAR(above[j], p->y))
			j++;
		if (j == n) {
			assert_true(n < 8);
			above[n++] = p->y;
		}
	}
	return n;
}

static bool in_column(const vg_chart_drawing *d, const vg_chart_prim *cell, const char *weekday)
{
	const vg_chart_prim *h = find_text(d, weekday, VG_ANCHOR_MIDDLE);

	assert_non_null(h);
	return cell->x < h->x && h->x < cell->x + cell->w;
}

/* Colours given to a chart are its series' (a donut's categories'), the
 * palette's past them; the legend's swatches match. */
static void colours_given_are_kept(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[] = {"info", "low", "high"};
	const double values[] = {1, 1, 1};
	const uint32_t rgb[] = {0x111111, 0x222222};
	vg_report_chart *c = vg_report_chart_add(r, VG_CHART_DONUT, "By severity", 3, cats);
	vg_chart_drawing d;

	(void)state;
	vg_report_chart_colors(r, c, rgb, 2);
	vg_report_chart_series(r, c, "alerts", values);
	layout(r, c, &d);
	assert_int_equal(nth_kind(&d, VG_PRIM_WEDGE, 0)->rgb, 0x111111);
	assert_int_equal(nth_kind(&d, VG_PRIM_WEDGE, 1)->rgb, 0x222222);
	/* The third category has no colour given: the palette's third. */
	assert_int_equal(nth_kind(&d, VG_PRIM_WEDGE, 2)->rgb, 0x3A9E6F);
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

static void calendar_is_a_monday_first_grid(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	double values[30];
	vg_report_chart *c;
	vg_chart_drawing d;
	const vg_chart_prim *first, *last, *value;

	(void)state;
	for (int i = 0; i < 30; i++)
		values[i] = 100 + i;
	values[4] = 0;
	c = vg_report_calendar_add(r, "Alerts per day", "alerts", 2026, 11, values);
	layout(r, c, &d);
	assert_int_equal(count_kind(&d, VG_PRIM_RECT), 30);
	first = cell_of(&d, "1");
	last = cell_of(&d, "30");
	assert_true(in_column(&d, first, "Sun"));
	assert_false(in_column(&d, first, "Sat"));
	assert_int_equal(row_of(&d, first), 0);
	assert_true(in_column(&d, last, "Mon"));
	assert_int_equal(row_of(&d, last), 5);
	assert_true(in_column(&d, cell_of(&d, "2"), "Mon"));
	assert_int_equal(row_of(&d, cell_of(&d, "2")), 1);
	/* The value in the cell, and the darker the more. */
	value = find_text(&d, "129", VG_ANCHOR_MIDDLE);
	assert_non_null(value);
	assert_true(last->x < value->x && value->x < last->x + last->w);
	assert_true((cell_of(&d, "30")->rgb & 0xFF) < (cell_of(&d, "1")->rgb & 0xFF));
	assert_int_equal(cell_of(&d, "5")->rgb, 0xF1F2F4);
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

static void calendar_weekdays_in_chinese(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	double values[31] = {0};
	vg_report_chart *c;
	vg_chart_drawing d;

	(void)state;
	values[0] = 3;
	c = vg_report_calendar_add(r, "每日告警", "告警", 2026, 12, values);
	layout(r, c, &d);
	assert_true(in_column(&d, cell_of(&d, "1"), "二"));
	assert_true(in_column(&d, cell_of(&d, "31"), "四"));
	assert_int_equal(row_of(&d, cell_of(&d, "31")), 4);
	assert_non_null(find_text(&d, "日", VG_ANCHOR_MIDDLE));
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

static void empty_data_says_so(void **state)
{
	vg_report *en = vg_report_new(VG_REPORT_EN), *zh = vg_report_new(VG_REPORT_ZH);
	const char *cats[] = {"a", "b"};
	const double zeros[] = {0, 0};
	vg_report_chart *bar = vg_report_chart_add(en, VG_CHART_BAR, "Nothing", 2, cats);
	vg_report_chart *none = vg_report_chart_add(en, VG_CHART_LINE, "Nothing", 0, NULL);
	vg_report_chart *donut = vg_report_chart_add(zh, VG_CHART_DONUT, "空", 2, cats);
	vg_report_chart *bare = vg_report_chart_add(en, VG_CHART_BAR, "No series", 2, cats);
	vg_chart_drawing d;
	vg_error err = {0};

	(void)state;
	vg_report_chart_series(en, bar, "s", zeros);
	vg_report_chart_series(en, none, "s", NULL);
	vg_report_chart_series(zh, donut, "s", zeros);
	layout(en, bar, &d);
	assert_int_equal(d.n, 3); /* title, frame, words */
	assert_string_equal(d.prims[0].text, "Nothing");
	assert_int_equal(d.prims[1].kind, VG_PRIM_POLYLINE);
	assert_int_equal(d.prims[1].npts, 5);
	assert_string_equal(d.prims[2].text, "No data");
	vg_chart_drawing_release(&d);
	layout(en, none, &d);
	assert_non_null(find_text(&d, "No data", VG_ANCHOR_MIDDLE));
	vg_chart_drawing_release(&d);
	layout(zh, donut, &d);
	assert_non_null(find_text(&d, "无数据", VG_ANCHOR_MIDDLE));
	assert_int_equal(count_kind(&d, VG_PRIM_WEDGE), 0);
	vg_chart_drawing_release(&d);
	assert_int_equal(vg_chart_layout(bare, VG_REPORT_EN, 480, 260, &d, &err), VG_EINVAL);
	assert_string_equal(err.msg, "chart \"No series\" has no series");
	assert_null(d.prims);
	assert_int_equal(d.n, 0);
	vg_report_free(en);
	vg_report_free(zh);
}

static void crowded_labels_are_thinned(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *cats[60];
	double values[60];
	const vg_chart_prim *shown[60];
	size_t n = 0, k;
	vg_report_chart *c;
	vg_chart_drawing d;

	(void)state;
	for (int i = 0; i < 60; i++) {
		cats[i] = vg_report_printf(r, "11-%02d host", i + 1);
		values[i] = i % 7 + 1;
	}
	c = vg_report_chart_add(r, VG_CHART_BAR, "", 60, cats);
	vg_report_chart_series(r, c, "s", values);
	layout(r, c, &d);
	for (size_t i = 0; i < d.n; i++)
		if (d.prims[i].kind == VG_PRIM_TEXT && strncmp(d.prims[i].text, "11-", 3) == 0)
			shown[n++] = &d.prims[i];
	assert_true(n > 1 && n < 60);
	/* Every k-th from the first, and no two overlap. */
	k = 1;
	while (k < 60 && strcmp(cats[k], shown[1]->text) != 0)
		k++;
	assert_true(k > 1);
	assert_int_equal(n, (60 + k - 1) / k);
	assert_string_equal(shown[0]->text, "11-01 host");
	for (size_t i = 1; i < n; i++) {
		double gap = shown[i]->x - shown[i - 1]->x;
		double need = (vg_chart_text_width(shown[i]->text, shown[i]->size) +
			       vg_chart_text_width(shown[i - 1]->text, shown[i - 1]->size)) /
			      2;

		assert_string_equal(shown[i]->text, cats[i * k]);
		assert_true(gap >= need);
		/* k is the least that keeps 4 points between neighbours. */
		assert_true(gap * (double)(k - 1) / (double)k < need + 4.0);
	}
	/* Many bars: no value labels. */
	assert_null(find_text(&d, "7", VG_ANCHOR_MIDDLE));
	vg_chart_drawing_release(&d);
	vg_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sizes_are_fixed_per_kind),
	    cmocka_unit_test(text_widths_are_estimated),
	    cmocka_unit_test(bars_are_proportional_on_a_rounded_axis),
	    cmocka_unit_test(ticks_round_to_one_two_five),
	    cmocka_unit_test(stacked_bars_with_a_legend),
	    cmocka_unit_test(lines_one_per_series),
	    cmocka_unit_test(donut_wedges_are_shares),
	    cmocka_unit_test(colours_given_are_kept),
	    cmocka_unit_test(calendar_is_a_monday_first_grid),
	    cmocka_unit_test(calendar_weekdays_in_chinese),
	    cmocka_unit_test(empty_data_says_so),
	    cmocka_unit_test(crowded_labels_are_thinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
