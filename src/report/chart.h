/*
 * chart.h - a chart of the model laid out as drawing primitives, so the
 * HTML renderer (inline SVG) and the PDF renderer (cairo) draw exactly the
 * same picture: the same bars, the same labels, the same numbers.
 *
 * Coordinates are in points (1/72 inch) from the top-left corner of the
 * chart's box, y growing downwards. Colours are 0xRRGGBB.
 */
#ifndef VG_REPORT_CHART_H
#define VG_REPORT_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "report/model.h"

typedef enum vg_chart_prim_kind {
	VG_PRIM_RECT,	  /* x, y, w, h, filled with rgb */
	VG_PRIM_POLYLINE, /* npts points in pts (x0, y0, x1, y1, ...), stroked width wide */
	VG_PRIM_WEDGE,	  /* a ring sector: centre cx, cy, radii r_in..r_out, angles a0..a1 */
	VG_PRIM_TEXT,	  /* text at x (by anchor), baseline y, size points */
} vg_chart_prim_kind;

typedef enum vg_chart_anchor { VG_ANCHOR_START, VG_ANCHOR_MIDDLE, VG_ANCHOR_END } vg_chart_anchor;

typedef struct vg_chart_prim {
	vg_chart_prim_kind kind;
	uint32_t rgb;
	double x, y, w, h; /* RECT; TEXT uses x, y */
	const double *pts; /* POLYLINE */
	size_t npts;
	double width;		    /* POLYLINE stroke */
	double cx, cy, r_in, r_out; /* WEDGE */
	double a0, a1;		    /* WEDGE: radians clockwise from 12 o'clock, a0 < a1 */
	const char *text;	    /* TEXT, UTF-8 */
	double size;		    /* TEXT */
	vg_chart_anchor anchor;	    /* TEXT */
	int bold;		    /* TEXT */
} vg_chart_prim;

typedef struct vg_chart_drawing {
	double width, height;
	vg_chart_prim *prims;
	size_t n, cap;
	struct vg_chart_drawing_mem *mem; /* the points and texts the prims name */
} vg_chart_drawing;

/*
 * Lays chart c out in a box width x height points into *out (release with
 * vg_chart_drawing_release): title, axes with rounded ticks, bars/lines/
 * wedges/cells, value labels, legend. Text widths are estimated (a CJK
 * character one em, others about half), the same for both renderers.
 * VG_ENOMEM when out of memory; VG_EINVAL for a chart with no series.
 */
int vg_chart_layout(const vg_report_chart *c, vg_report_lang lang, double width, double height,
		    vg_chart_drawing *out, vg_error *err);
void vg_chart_drawing_release(vg_chart_drawing *d);

/*
 * The box every renderer lays chart kind out in, in points: 480 x 260 for
 * bar, stacked bar and line charts, 480 x 220 for a donut, 480 x 300 for a
 * calendar. One place, so the HTML and the PDF draw charts the same size.
 */
void vg_chart_size(vg_report_chart_kind kind, double *width, double *height);

/* The estimated width in points of text (UTF-8) at size points. */
double vg_chart_text_width(const char *text, double size);

#endif
