/*
 * chart.c - charts of the report model laid out as drawing primitives
 * (chart.h), shared by the HTML and PDF renderers.
 */
#include "report/chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD 8.0
#define TITLE_SIZE 11.0
#define LABEL_SIZE 8.0
#define VALUE_SIZE 7.0
#define LEGEND_ROW 12.0
#define TARGET_TICKS 5.0
/* Value labels above bars only while there is room to read them. */
#define MAX_VALUE_LABELS 12

#define COLOR_TEXT 0x222222u
#define COLOR_MUTED 0x595959u
#define COLOR_GRID 0xE3E3E3u
#define COLOR_AXIS 0x9A9A9Au
#define COLOR_EMPTY_CELL 0xF1F2F4u
#define COLOR_SCALE_LIGHT 0xDCEAF7u
#define COLOR_SCALE_DARK 0x0B4A8Bu

/* Distinct on screen, still told apart when printed in greyscale by their
 * differing lightness, and none so pale that it vanishes on paper. */
static const uint32_t palette[] = {
    0x2F6DB5, 0xE07B39, 0x3A9E6F, 0xC8453C, 0x7E5BA6,
    0x8C6D46, 0xD16BA5, 0x5F6B7A, 0xC9A227, 0x2A9DB0,
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* The colour of series (or a donut's category) i of c. */
static uint32_t color_of(const vg_report_chart *c, size_t i)
{
	return i < c->ncolors ? c->colors[i] : palette[i % NPALETTE];
}

/* Each block of memory the drawing's prims point into, freed together. */
struct vg_chart_drawing_mem {
	struct vg_chart_drawing_mem *next;
	_Alignas(max_align_t) unsigned char data[];
};

void vg_chart_size(vg_report_chart_kind kind, double *width, double *height)
{
	*width = 480.0;
	switch (kind) {
	case VG_CHART_DONUT:
		*height = 220.0;
		break;
	case VG_CHART_CALENDAR:
		*height = 300.0;
		break;
	default:
		*height = 260.0;
		break;
	}
}

double vg_chart_text_width(const char *text, double size)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	double em = 0.0;

	while (*p) {
		uint32_t cp = *p;
		size_t len = 1, i;

		if (*p >= 0xF0)
			len = 4, cp = *p & 0x07u;
		else if (*p >= 0xE0)
			len = 3, cp = *p & 0x0Fu;
		else if (*p >= 0xC0)
			len = 2, cp = *p & 0x1Fu;
		for (i = 1; i < len && (p[i] & 0xC0u) == 0x80u; i++)
			cp = cp << 6 | (p[i] & 0x3Fu);
		/* A stray continuation byte still takes room when drawn (as U+FFFD). */
		em += len > 1 && i == len && cp >= 0x2E80 ? 1.0 : 0.55;
		p += i;
	}
	return em * size;
}

static void *mem_alloc(vg_chart_drawing *d, size_t n)
{
	struct vg_chart_drawing_mem *m = malloc(sizeof(*m) + n);

	if (!m)
		return NULL;
	m->next = d->mem;
	d->mem = m;
	return m->data;
}

static const char *mem_strdup(vg_chart_drawing *d, const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *p = mem_alloc(d, n);

	if (p)
		memcpy(p, s ? s : "", n);
	return p;
}

void vg_chart_drawing_release(vg_chart_drawing *d)
{
	struct vg_chart_drawing_mem *m, *next;

	if (!d)
		return;
	for (m = d->mem; m; m = next) {
		next = m->next;
		free(m);
	}
	free(d->prims);
	memset(d, 0, sizeof(*d));
}

static vg_chart_prim *prim_add(vg_chart_drawing *d, vg_chart_prim_kind kind, uint32_t rgb)
{
	vg_chart_prim *p;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		vg_chart_prim *grown = realloc(d->prims, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		d->prims = grown;
		d->cap = cap;
	}
	p = &d->prims[d->n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->rgb = rgb;
	return p;
}

static int rect_add(vg_chart_drawing *d, double x, double y, double w, double h, uint32_t rgb)
{
	vg_chart_prim *p = prim_add(d, VG_PRIM_RECT, rgb);

	if (!p)
		return VG_ENOMEM;
	p->x = x;
	p->y = y;
	p->w = w;
	p->h = h;
	return VG_OK;
}

static int line_add(vg_chart_drawing *d, double x0, double y0, double x1, double y1, double width,
		    uint32_t rgb)
{
	double *pts = mem_alloc(d, 4 * sizeof(*pts));
	vg_chart_prim *p;

	if (!pts || !(p = prim_add(d, VG_PRIM_POLYLINE, rgb)))
		return VG_ENOMEM;
	pts[0] = x0;
	pts[1] = y0;
	pts[2] = x1;
	pts[3] = y1;
	p->pts = pts;
	p->npts = 2;
	p->width = width;
	return VG_OK;
}

static int text_add(vg_chart_drawing *d, double x, double y, double size, vg_chart_anchor anchor,
		    int bold, uint32_t rgb, const char *text)
{
	const char *copy = mem_strdup(d, text);
	vg_chart_prim *p;

	if (!copy || !(p = prim_add(d, VG_PRIM_TEXT, rgb)))
		return VG_ENOMEM;
	p->x = x;
	p->y = y;
	p->size = size;
	p->anchor = anchor;
	p->bold = bold;
	p->text = copy;
	return VG_OK;
}

/* text cut to at most maxw points at size, ending in "…" when cut. */
static int text_fit_add(vg_chart_drawing *d, double x, double y, double size,
			vg_chart_anchor anchor, uint32_t rgb, const char *text, double maxw)
{
	size_t len = strlen(text ? text : ""), cut;
	char *buf;
	int rc;

	if (vg_chart_text_width(text, size) <= maxw)
		return text_add(d, x, y, size, anchor, 0, rgb, text);
	buf = malloc(len + sizeof("…"));
	if (!buf)
		return VG_ENOMEM;
	for (cut = len; cut > 0; cut--) {
		if (((unsigned char)text[cut] & 0xC0u) == 0x80u)
			continue;
		memcpy(buf, text, cut);
		memcpy(buf + cut, "…", sizeof("…"));
		if (vg_chart_text_width(buf, size) <= maxw)
			break;
	}
	if (cut == 0)
		memcpy(buf, "…", sizeof("…"));
	rc = text_add(d, x, y, size, anchor, 0, rgb, buf);
	free(buf);
	return rc;
}

/* n with thousands separators, like vg_report_int. */
static void format_int(char *out, size_t size, long long n)
{
	char digits[32];
	unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
	size_t len, i, o = 0;

	snprintf(digits, sizeof(digits), "%llu", u);
	len = strlen(digits);
	if (n < 0 && o + 1 < size)
		out[o++] = '-';
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* A value as a label: a whole number with separators, else with the
 * decimals a step of that size needs (step 0: one decimal). */
static void format_value(char *out, size_t size, double v, double step)
{
	int decimals;

	if (fabs(v - round(v)) < 1e-9 && (step == 0.0 || step >= 1.0)) {
		format_int(out, size, (long long)llround(v));
		return;
	}
	decimals = step > 0.0 ? (int)ceil(-log10(step) - 1e-9) : 1;
	if (decimals < 1)
		decimals = 1;
	if (decimals > 6)
		decimals = 6;
	snprintf(out, size, "%.*f", decimals, v);
}

/* Negative and non-finite values are drawn as nothing: the charts show
 * counts and durations, and a bar below zero would only be a bug made
 * visible in the customer's report. */
static double value_at(const vg_report_chart *c, size_t s, size_t i)
{
	double v = c->series[s].values[i];

	return isfinite(v) && v > 0.0 ? v : 0.0;
}

static bool values_integral(const vg_report_chart *c)
{
	size_t s, i;

	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < c->ncat; i++)
			if (fabs(value_at(c, s, i) - round(value_at(c, s, i))) > 1e-9)
				return false;
	return true;
}

/* The axis top and tick step for data up to max > 0: steps of 1, 2 or 5
 * times a power of ten, whole steps for whole-number data. */
static double nice_top(double max, bool integral, double *step)
{
	double raw = max / TARGET_TICKS, p = pow(10.0, floor(log10(raw))), f = raw / p;

	*step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * p;
	if (integral && *step < 1.0)
		*step = 1.0;
	return ceil(max / *step - 1e-9) * *step;
}

static int title_add(vg_chart_drawing *d, const vg_report_chart *c, double *top)
{
	int rc;

	*top = PAD;
	if (!c->title || !*c->title)
		return VG_OK;
	*top = PAD + TITLE_SIZE + 8.0;
	if ((rc = text_fit_add(d, PAD, PAD + TITLE_SIZE, TITLE_SIZE, VG_ANCHOR_START, COLOR_TEXT,
			       c->title, d->width - 2 * PAD)))
		return rc;
	d->prims[d->n - 1].bold = 1;
	return VG_OK;
}

/* A legend of the series' names in rows below *top, which it moves down. */
static int series_legend_add(vg_chart_drawing *d, const vg_report_chart *c, double *top)
{
	double x = PAD, y = *top;
	size_t s;
	int rc;

	for (s = 0; s < c->nseries; s++) {
		const char *name = c->series[s].name;
		double w = 11.0 + vg_chart_text_width(name, LABEL_SIZE) + 12.0;

		if (x > PAD && x + w > d->width - PAD) {
			x = PAD;
			y += LEGEND_ROW;
		}
		if ((rc = rect_add(d, x, y + 1.0, 8.0, 8.0, color_of(c, s))) ||
		    (rc = text_fit_add(d, x + 11.0, y + 8.0, LABEL_SIZE, VG_ANCHOR_START,
				       COLOR_MUTED, name, d->width - 2 * PAD - 11.0)))
			return rc;
		x += w;
	}
	*top = y + LEGEND_ROW + 2.0;
	return VG_OK;
}

static int no_data_add(vg_chart_drawing *d, vg_report_lang lang, double top)
{
	double *pts = mem_alloc(d, 10 * sizeof(*pts));
	double x0 = PAD, x1 = d->width - PAD, y0 = top, y1 = d->height - PAD;
	vg_chart_prim *p;

	if (!pts || !(p = prim_add(d, VG_PRIM_POLYLINE, COLOR_AXIS)))
		return VG_ENOMEM;
	pts[0] = x0, pts[1] = y0, pts[2] = x1, pts[3] = y0, pts[4] = x1;
	pts[5] = y1, pts[6] = x0, pts[7] = y1, pts[8] = x0, pts[9] = y0;
	p->pts = pts;
	p->npts = 5;
	p->width = 0.8;
	return text_add(d, (x0 + x1) / 2, (y0 + y1) / 2 + 4.0, 10.0, VG_ANCHOR_MIDDLE, 0,
			COLOR_MUTED, VG_TR(lang, "无数据", "No data"));
}

/* Bar, stacked bar and line charts: a value axis and a category axis. */
static int axes_chart_add(vg_chart_drawing *d, const vg_report_chart *c, double top, double max)
{
	bool stacked = c->kind == VG_CHART_STACKED_BAR, bars = c->kind != VG_CHART_LINE;
	size_t nbars = c->kind == VG_CHART_BAR ? c->nseries : 1, i, s, k, nticks;
	bool value_labels = bars && c->ncat * nbars <= MAX_VALUE_LABELS;
	double step, axis_top = nice_top(max, values_integral(c), &step);
	double left, right = d->width - PAD, bottom = d->height - PAD - LABEL_SIZE - 4.0;
	double ticks_w = 0.0, label_w = 0.0, plot_h, slot, group, barw;
	char label[48];
	int rc;

	nticks = (size_t)llround(axis_top / step);
	for (k = 0; k <= nticks; k++) {
		format_value(label, sizeof(label), step * (double)k, step);
		ticks_w = fmax(ticks_w, vg_chart_text_width(label, LABEL_SIZE));
	}
	left = PAD + ticks_w + 6.0;
	top += value_labels ? VALUE_SIZE + 6.0 : 6.0;
	plot_h = bottom - top;
	slot = (right - left) / (double)c->ncat;
	group = slot * (nbars > 1 ? 0.8 : 0.6);
	barw = group / (double)nbars;

	for (k = 0; k <= nticks; k++) {
		double y = bottom - plot_h * (double)k / (double)nticks;

		format_value(label, sizeof(label), step * (double)k, step);
		if ((k && (rc = line_add(d, left, y, right, y, 0.5, COLOR_GRID))) ||
		    (rc = text_add(d, left - 4.0, y + 3.0, LABEL_SIZE, VG_ANCHOR_END, 0,
				   COLOR_MUTED, label)))
			return rc;
	}

	for (i = 0; i < c->ncat; i++) {
		double x = left + slot * (double)i + (slot - group) / 2, base = bottom;

		for (s = 0; s < c->nseries && bars; s++) {
			double v = value_at(c, s, i), h = plot_h * v / axis_top;
			double bx = stacked ? x : x + barw * (double)s;

			if ((rc = rect_add(d, bx, base - h, barw, h, color_of(c, s))))
				return rc;
			if (stacked)
				base -= h;
			if (value_labels && !stacked) {
				format_value(label, sizeof(label), v, 0.0);
				if (vg_chart_text_width(label, VALUE_SIZE) <=
					slot / (double)nbars &&
				    (rc = text_add(d, bx + barw / 2, base - h - 3.0, VALUE_SIZE,
						   VG_ANCHOR_MIDDLE, 0, COLOR_MUTED, label)))
					return rc;
			}
		}
		if (value_labels && stacked) {
			double total = 0.0;

			for (s = 0; s < c->nseries; s++)
				total += value_at(c, s, i);
			format_value(label, sizeof(label), total, 0.0);
			if (vg_chart_text_width(label, VALUE_SIZE) <= slot &&
			    (rc = text_add(d, x + group / 2, base - 3.0, VALUE_SIZE,
					   VG_ANCHOR_MIDDLE, 0, COLOR_MUTED, label)))
				return rc;
		}
	}

	for (s = 0; s < c->nseries && !bars; s++) {
		double *pts = mem_alloc(d, 2 * c->ncat * sizeof(*pts));
		vg_chart_prim *p;

		if (!pts || !(p = prim_add(d, VG_PRIM_POLYLINE, color_of(c, s))))
			return VG_ENOMEM;
		for (i = 0; i < c->ncat; i++) {
			pts[2 * i] = left + slot * ((double)i + 0.5);
			pts[2 * i + 1] = bottom - plot_h * value_at(c, s, i) / axis_top;
		}
		p->pts = pts;
		p->npts = c->ncat;
		p->width = 1.8;
		/* A single point is no line: mark each point while they are few. */
		for (i = 0; i < c->ncat && c->ncat <= 16; i++)
			if ((rc = rect_add(d, pts[2 * i] - 2.0, pts[2 * i + 1] - 2.0, 4.0, 4.0,
					   color_of(c, s))))
				return rc;
	}

	if ((rc = line_add(d, left, bottom, right, bottom, 0.8, COLOR_AXIS)))
		return rc;
	/* Every k-th label, k the least that keeps the widest clear of its
	 * neighbours. */
	for (i = 0; i < c->ncat; i++)
		label_w = fmax(label_w, vg_chart_text_width(c->categories[i], LABEL_SIZE));
	k = 1;
	while ((double)k * slot < label_w + 4.0 && k < c->ncat)
		k++;
	for (i = 0; i < c->ncat; i += k)
		if ((rc = text_add(d, left + slot * ((double)i + 0.5), bottom + LABEL_SIZE + 3.0,
				   LABEL_SIZE, VG_ANCHOR_MIDDLE, 0, COLOR_MUTED, c->categories[i])))
			return rc;
	return VG_OK;
}

static int donut_add(vg_chart_drawing *d, const vg_report_chart *c, vg_report_lang lang, double top)
{
	const double row = 14.0, size = 8.5, pi = acos(-1.0);
	double bottom = d->height - PAD, total = 0.0, acc = 0.0;
	double r_out = fmin((bottom - top) / 2, (d->width - 2 * PAD) * 0.22);
	double cx = PAD + r_out + 10.0, cy = (top + bottom) / 2;
	double x0 = cx + r_out + 24.0, pct_x = d->width - PAD, val_x, val_w = 0.0, label_w = 0.0, y;
	size_t i, rows = (size_t)((bottom - top) / row), shown;
	char label[48];
	int rc;

	for (i = 0; i < c->ncat; i++)
		total += value_at(c, 0, i);
	for (i = 0; i < c->ncat; i++) {
		double v = value_at(c, 0, i);
		vg_chart_prim *p;

		if (v <= 0.0)
			continue;
		if (!(p = prim_add(d, VG_PRIM_WEDGE, color_of(c, i))))
			return VG_ENOMEM;
		p->cx = cx;
		p->cy = cy;
		p->r_out = r_out;
		p->r_in = r_out * 0.58;
		p->a0 = 2 * pi * acc / total;
		acc += v;
		p->a1 = 2 * pi * acc / total;
	}
	format_value(label, sizeof(label), total, 0.0);
	if ((rc = text_add(d, cx, cy + 3.0, 14.0, VG_ANCHOR_MIDDLE, 1, COLOR_TEXT, label)) ||
	    (rc = text_add(d, cx, cy + 15.0, LABEL_SIZE, VG_ANCHOR_MIDDLE, 0, COLOR_MUTED,
			   VG_TR(lang, "合计", "Total"))))
		return rc;

	if (rows < 2)
		rows = 2;
	shown = c->ncat <= rows ? c->ncat : rows - 1;
	for (i = 0; i < shown; i++) {
		format_value(label, sizeof(label), value_at(c, 0, i), 0.0);
		val_w = fmax(val_w, vg_chart_text_width(label, size));
		label_w = fmax(label_w, vg_chart_text_width(c->categories[i], size));
	}
	/* The value column follows the labels, so a short legend stays together. */
	val_x = pct_x - vg_chart_text_width("100.0%", size) - 8.0;
	val_x = fmin(val_x, x0 + 14.0 + label_w + 12.0 + val_w);
	y = cy - row * (double)(shown + (shown < c->ncat)) / 2;
	for (i = 0; i < shown; i++, y += row) {
		double v = value_at(c, 0, i);

		if ((rc = rect_add(d, x0, y + 2.0, 9.0, 9.0, color_of(c, i))) ||
		    (rc = text_fit_add(d, x0 + 14.0, y + 10.0, size, VG_ANCHOR_START, COLOR_TEXT,
				       c->categories[i], val_x - val_w - 10.0 - (x0 + 14.0))))
			return rc;
		format_value(label, sizeof(label), v, 0.0);
		if ((rc = text_add(d, val_x, y + 10.0, size, VG_ANCHOR_END, 0, COLOR_TEXT, label)))
			return rc;
		snprintf(label, sizeof(label), "%.1f%%", 100.0 * v / total);
		if ((rc = text_add(d, pct_x, y + 10.0, size, VG_ANCHOR_END, 0, COLOR_MUTED, label)))
			return rc;
	}
	if (shown < c->ncat) {
		if (lang == VG_REPORT_EN)
			snprintf(label, sizeof(label), "%zu more", c->ncat - shown);
		else
			snprintf(label, sizeof(label), "其余 %zu 项", c->ncat - shown);
		if ((rc = text_add(d, x0 + 14.0, y + 10.0, size, VG_ANCHOR_START, 0, COLOR_MUTED,
				   label)))
			return rc;
	}
	return VG_OK;
}

static uint32_t scale_color(double t)
{
	uint32_t out = 0;
	int shift;

	for (shift = 16; shift >= 0; shift -= 8) {
		double a = (double)(COLOR_SCALE_LIGHT >> shift & 0xFFu);
		double b = (double)(COLOR_SCALE_DARK >> shift & 0xFFu);

		out |= (uint32_t)lround(a + (b - a) * t) << shift;
	}
	return out;
}

static int calendar_add(vg_chart_drawing *d, const vg_report_chart *c, vg_report_lang lang,
			double top, double max)
{
	static const char *const zh_days[] = {"一", "二", "三", "四", "五", "六", "日"};
	static const char *const en_days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	int first = (c->first_weekday % 7 + 7) % 7;
	size_t rows = ((size_t)first + c->ncat + 6) / 7, i;
	double cw = (d->width - 2 * PAD) / 7, ch;
	char label[48];
	int rc;

	for (i = 0; i < 7; i++)
		if ((rc = text_add(d, PAD + cw * ((double)i + 0.5), top + LABEL_SIZE + 1.0,
				   LABEL_SIZE, VG_ANCHOR_MIDDLE, 0, COLOR_MUTED,
				   lang == VG_REPORT_EN ? en_days[i] : zh_days[i])))
			return rc;
	top += LABEL_SIZE + 6.0;
	ch = fmin((d->height - PAD - top) / (double)rows, cw);
	for (i = 0; i < c->ncat; i++) {
		size_t cell = (size_t)first + i;
		double x = PAD + cw * (double)(cell % 7) + 1.0,
		       y = top + ch * (double)(cell / 7) + 1.0;
		double v = value_at(c, 0, i), t = v / max;
		uint32_t ink = t > 0.55 ? 0xFFFFFFu : COLOR_TEXT;

		if ((rc = rect_add(d, x, y, cw - 2.0, ch - 2.0,
				   v > 0.0 ? scale_color(t) : COLOR_EMPTY_CELL)))
			return rc;
		snprintf(label, sizeof(label), "%zu", i + 1);
		if ((rc = text_add(d, x + 3.0, y + VALUE_SIZE + 2.0, VALUE_SIZE, VG_ANCHOR_START, 0,
				   ink, label)))
			return rc;
		format_value(label, sizeof(label), v, 0.0);
		if ((rc = text_add(d, x + (cw - 2.0) / 2, y + (ch - 2.0) / 2 + 5.0, 10.0,
				   VG_ANCHOR_MIDDLE, 1, ink, label)))
			return rc;
	}
	return VG_OK;
}

int vg_chart_layout(const vg_report_chart *c, vg_report_lang lang, double width, double height,
		    vg_chart_drawing *out, vg_error *err)
{
	vg_chart_drawing d = {0};
	double top, max = 0.0;
	size_t s, i;
	int rc = VG_EFAIL;

	memset(out, 0, sizeof(*out));
	if (!c || c->nseries == 0) {
		rc = vg_error_set(err, VG_EINVAL, "chart \"%s\" has no series",
				  c && c->title ? c->title : "");
		goto out;
	}
	d.width = width;
	d.height = height;
	for (i = 0; i < c->ncat; i++) {
		double sum = 0.0;

		for (s = 0; s < c->nseries; s++) {
			sum += value_at(c, s, i);
			if (c->kind != VG_CHART_STACKED_BAR)
				max = fmax(max, value_at(c, s, i));
		}
		if (c->kind == VG_CHART_STACKED_BAR)
			max = fmax(max, sum);
	}
	if (c->kind == VG_CHART_DONUT || c->kind == VG_CHART_CALENDAR) {
		max = 0.0;
		for (i = 0; i < c->ncat; i++)
			max = fmax(max, value_at(c, 0, i));
	}

	if ((rc = title_add(&d, c, &top)))
		goto out;
	if (max <= 0.0) {
		rc = no_data_add(&d, lang, top);
		goto out;
	}
	switch (c->kind) {
	case VG_CHART_DONUT:
		rc = donut_add(&d, c, lang, top);
		break;
	case VG_CHART_CALENDAR:
		rc = calendar_add(&d, c, lang, top, max);
		break;
	default:
		if (c->nseries > 1 && (rc = series_legend_add(&d, c, &top)))
			break;
		rc = axes_chart_add(&d, c, top, max);
		break;
	}

out:
	if (rc == VG_ENOMEM)
		vg_error_set(err, VG_ENOMEM, "out of memory laying out chart \"%s\"",
			     c->title ? c->title : "");
	if (rc)
		vg_chart_drawing_release(&d);
	else
		*out = d;
	return rc;
}
