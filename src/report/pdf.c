/*
 * pdf.c - the report model drawn as an A4 PDF with cairo and pango
 * (render.h).
 *
 * The contents and every footer print page numbers, which are known only
 * once everything has been placed. So one set of routines lays the document
 * out twice: a measuring pass (p->drawing false) that places every block,
 * noting on which page each section starts and how many pages there are,
 * then a drawing pass that places the same blocks again and draws them.
 * Both passes measure text with the same cairo context on the same surface,
 * so they break pages at the same places; nothing placed depends on a page
 * number (the contents reserve a fixed column for them).
 *
 * Pages break between blocks, between the lines of a paragraph and between
 * table rows (the header row repeated); a heading keeps with the start of
 * what follows it, and figures, notices and charts are never split.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/render.h"
#include "report/report_int.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN_X 56.7
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define BODY_TOP 78.0
#define BODY_BOTTOM (PAGE_H - 72.0)
#define HEADER_TOP 38.0
#define HEADER_RULE 56.0
#define FOOTER_RULE (PAGE_H - 58.0)
#define FOOTER_TOP (PAGE_H - 52.0)
#define GAP 8.0
#define CELL_PAD 4.0
#define BOX_PAD 8.0
#define FIG_PER_ROW 4
#define FIG_GAP 10.0
#define TOC_NUM_W 36.0
#define TOC_INDENT 18.0
#define LOGO_W 200.0
#define LOGO_H 90.0
#define FONT_FAMILY "Noto Sans CJK SC"

#define INK 0x222222
#define GREY 0x666666
#define ACCENT 0x1F4E79
#define RULE 0xC8D0D8

enum font {
	F_TITLE,
	F_COVER,
	F_H1,
	F_H2,
	F_BODY,
	F_BOLD,
	F_SMALL,
	F_TABLE,
	F_TABLE_BOLD,
	F_VALUE,
	F_RUNNING,
	F_COUNT
};

static const struct {
	double size;
	bool bold;
} font_specs[F_COUNT] = {
    [F_TITLE] = {26, true},   [F_COVER] = {16, false},	[F_H1] = {17, true},
    [F_H2] = {13, true},      [F_BODY] = {10.5, false}, [F_BOLD] = {10.5, true},
    [F_SMALL] = {8.5, false}, [F_TABLE] = {9, false},	[F_TABLE_BOLD] = {9, true},
    [F_VALUE] = {18, true},   [F_RUNNING] = {8, false},
};

typedef struct pdf {
	const vg_report *r;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontDescription *fonts[F_COUNT];
	cairo_surface_t *logo;
	bool drawing;
	int page;	     /* the page being laid out, 1 the cover; 0 before it */
	int npages;	     /* M, counted by the measuring pass */
	double y;	     /* where the next block goes on this page */
	int *section_pages;  /* by section in order: the page it starts on */
	int chapter_outline; /* the bookmark level-2 sections hang under */
	int rc;		     /* the first error while laying out */
	vg_error *err;
} pdf;

/* The output stream: cairo writes the PDF into buf. */
typedef struct sink {
	vg_buf *buf;
	int rc;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	sink *s = closure;
	int rc = vg_buf_append(s->buf, data, len);

	if (rc) {
		if (!s->rc)
			s->rc = rc;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

typedef struct png_source {
	const unsigned char *at;
	size_t left;
} png_source;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
	png_source *s = closure;

	if (len > s->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, s->at, len);
	s->at += len;
	s->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *vg__report_png_decode(const void *png, size_t len)
{
	png_source src = {png, len};

	return cairo_image_surface_create_from_png_stream(png_read, &src);
}

static int logo_load(pdf *p, vg_error *err)
{
	p->logo = vg__report_png_decode(p->r->logo, p->r->logo_len);
	/* Every failure is the image's: cairo reports libpng's complaints about
	 * a corrupt image as CAIRO_STATUS_NO_MEMORY too. */
	if (cairo_surface_status(p->logo))
		return vg_error_set(err, VG_EINVAL, "logo: not a PNG image");
	return VG_OK;
}

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
}

static PangoLayout *text_layout(pdf *p, const char *text, const PangoFontDescription *font,
				double width, PangoAlignment align)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);

	pango_layout_set_font_description(l, font);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	PangoRectangle log;

	pango_layout_get_extents(l, NULL, &log);
	return pango_units_to_double(log.height);
}

static double first_line_height(PangoLayout *l)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	PangoRectangle log;

	pango_layout_iter_get_line_extents(it, NULL, &log);
	pango_layout_iter_free(it);
	return pango_units_to_double(log.height);
}

static void show(pdf *p, PangoLayout *l, double x, double y, uint32_t rgb)
{
	if (!p->drawing)
		return;
	set_rgb(p->cr, rgb);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void hline(pdf *p, double x0, double x1, double y, double width, uint32_t rgb)
{
	if (!p->drawing)
		return;
	set_rgb(p->cr, rgb);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x1, y);
	cairo_stroke(p->cr);
}

static void box(pdf *p, double x, double y, double w, double h, uint32_t fill, uint32_t border)
{
	if (!p->drawing)
		return;
	cairo_rectangle(p->cr, x, y, w, h);
	set_rgb(p->cr, fill);
	cairo_fill_preserve(p->cr);
	set_rgb(p->cr, border);
	cairo_set_line_width(p->cr, 0.6);
	cairo_stroke(p->cr);
}

/* One line of running text, cut with an ellipsis to width. */
static void running_text(pdf *p, const char *text, double x, double width, PangoAlignment align)
{
	PangoLayout *l = text_layout(p, text, p->fonts[F_RUNNING], width, align);

	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	show(p, l, x, HEADER_TOP, GREY);
	g_object_unref(l);
}

static void running_header_footer(pdf *p)
{
	const vg_report *r = p->r;
	PangoLayout *l;
	char *pages;

	running_text(p, r->title, MARGIN_X, TEXT_W * 0.6, PANGO_ALIGN_LEFT);
	running_text(p, r->customer, MARGIN_X + TEXT_W * 0.62, TEXT_W * 0.38, PANGO_ALIGN_RIGHT);
	hline(p, MARGIN_X, MARGIN_X + TEXT_W, HEADER_RULE, 0.5, RULE);
	hline(p, MARGIN_X, MARGIN_X + TEXT_W, FOOTER_RULE, 0.5, RULE);
	l = text_layout(p, r->period, p->fonts[F_RUNNING], TEXT_W * 0.6, PANGO_ALIGN_LEFT);
	show(p, l, MARGIN_X, FOOTER_TOP, GREY);
	g_object_unref(l);
	if (r->lang == VG_REPORT_EN)
		pages = g_strdup_printf("%d / %d", p->page, p->npages);
	else
		pages = g_strdup_printf("第 %d 页 / 共 %d 页", p->page, p->npages);
	l = text_layout(p, pages, p->fonts[F_RUNNING], TEXT_W * 0.38, PANGO_ALIGN_RIGHT);
	show(p, l, MARGIN_X + TEXT_W * 0.62, FOOTER_TOP, GREY);
	g_object_unref(l);
	g_free(pages);
}

static void page_next(pdf *p)
{
	if (p->page > 0 && p->drawing)
		cairo_show_page(p->cr);
	p->page++;
	p->y = BODY_TOP;
	if (p->drawing && p->page > 1)
		running_header_footer(p);
}

/* A new page unless h more points fit on this one (or it is still empty). */
static void ensure(pdf *p, double h)
{
	if (p->y + h > BODY_BOTTOM && p->y > BODY_TOP)
		page_next(p);
}

/* Places l at x from p->y line by line, carrying the lines that do not fit
 * over to the next pages. */
static void flow_layout(pdf *p, PangoLayout *l, double x, uint32_t rgb)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = p->y, base = 0, bottom = p->y;

	if (p->drawing)
		set_rgb(p->cr, rgb);
	do {
		PangoRectangle log;
		double ly, lh;

		pango_layout_iter_get_line_extents(it, NULL, &log);
		ly = pango_units_to_double(log.y);
		lh = pango_units_to_double(log.height);
		if (top + ly - base + lh > BODY_BOTTOM && top + ly - base > BODY_TOP) {
			page_next(p);
			if (p->drawing)
				set_rgb(p->cr, rgb);
			top = p->y;
			base = ly;
		}
		if (p->drawing) {
			cairo_move_to(
			    p->cr, x + pango_units_to_double(log.x),
			    top - base + pango_units_to_double(pango_layout_iter_get_baseline(it)));
			pango_cairo_show_layout_line(p->cr,
						     pango_layout_iter_get_line_readonly(it));
		}
		bottom = top - base + ly + lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y = bottom;
}

static void cover(pdf *p)
{
	const vg_report *r = p->r;
	const char *labels[3] = {VG_TR(r->lang, "报告周期：", "Period: "),
				 VG_TR(r->lang, "出具单位：", "Issued by: "),
				 VG_TR(r->lang, "生成时间：", "Generated: ")};
	const char *values[3] = {r->period, r->issuer, r->generated};
	PangoLayout *l;
	double y = 120;

	page_next(p);
	if (!p->drawing)
		return;
	if (p->logo) {
		double w = cairo_image_surface_get_width(p->logo);
		double h = cairo_image_surface_get_height(p->logo);
		double s = fmin(LOGO_W / w, LOGO_H / h);

		cairo_save(p->cr);
		cairo_translate(p->cr, (PAGE_W - w * s) / 2, y + (LOGO_H - h * s) / 2);
		cairo_scale(p->cr, s, s);
		cairo_set_source_surface(p->cr, p->logo, 0, 0);
		cairo_paint(p->cr);
		cairo_restore(p->cr);
	}
	y += LOGO_H + 90;
	l = text_layout(p, r->title, p->fonts[F_TITLE], TEXT_W, PANGO_ALIGN_CENTER);
	show(p, l, MARGIN_X, y, ACCENT);
	y += layout_height(l) + 16;
	g_object_unref(l);
	hline(p, MARGIN_X + TEXT_W * 0.3, MARGIN_X + TEXT_W * 0.7, y, 1.5, ACCENT);
	y += 20;
	l = text_layout(p, r->customer, p->fonts[F_COVER], TEXT_W, PANGO_ALIGN_CENTER);
	show(p, l, MARGIN_X, y, INK);
	y += layout_height(l) + 200;
	g_object_unref(l);
	for (size_t i = 0; i < 3; i++) {
		char *line = g_strdup_printf("%s%s", labels[i], values[i]);

		l = text_layout(p, line, p->fonts[F_BODY], TEXT_W, PANGO_ALIGN_CENTER);
		show(p, l, MARGIN_X, y, GREY);
		y += layout_height(l) + 4;
		g_object_unref(l);
		g_free(line);
	}
}

/* The x where l's last line ends and the y of its baseline, from l's top. */
static void last_line(PangoLayout *l, double *end_x, double *baseline)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	PangoRectangle log;

	while (pango_layout_iter_next_line(it))
		;
	pango_layout_iter_get_line_extents(it, NULL, &log);
	*end_x = pango_units_to_double(log.x + log.width);
	*baseline = pango_units_to_double(pango_layout_iter_get_baseline(it));
	pango_layout_iter_free(it);
}

static void toc_entry(pdf *p, const vg_report_section *s, int page)
{
	double indent = s->level == 1 ? 0 : TOC_INDENT;
	double x = MARGIN_X + indent, num_x = MARGIN_X + TEXT_W - TOC_NUM_W;
	char *label = g_strdup_printf("%s  %s", s->number, s->title);
	char *num = g_strdup_printf("%d", page);
	PangoLayout *l = text_layout(p, label, p->fonts[s->level == 1 ? F_BOLD : F_BODY],
				     num_x - 12 - x, PANGO_ALIGN_LEFT);
	PangoLayout *n = text_layout(p, num, p->fonts[F_BODY], TOC_NUM_W, PANGO_ALIGN_RIGHT);
	double h = layout_height(l), end_x, baseline;

	if (s->level == 1)
		p->y += 4;
	ensure(p, h);
	show(p, l, x, p->y, INK);
	last_line(l, &end_x, &baseline);
	show(p, n, num_x, p->y + baseline - pango_units_to_double(pango_layout_get_baseline(n)),
	     INK);
	if (p->drawing) {
		PangoRectangle log;
		double dots_end;

		pango_layout_get_extents(n, NULL, &log);
		dots_end = num_x + pango_units_to_double(log.x) - 4;
		set_rgb(p->cr, GREY);
		for (double dx = x + end_x + 6; dx < dots_end; dx += 4) {
			cairo_new_sub_path(p->cr);
			cairo_arc(p->cr, dx, p->y + baseline - 1.2, 0.5, 0, 2 * M_PI);
		}
		cairo_fill(p->cr);
	}
	p->y += h + 3;
	g_object_unref(n);
	g_object_unref(l);
	g_free(num);
	g_free(label);
}

static void contents(pdf *p)
{
	PangoLayout *l;
	size_t i = 0;

	page_next(p);
	l = text_layout(p, VG_TR(p->r->lang, "目录", "Contents"), p->fonts[F_H1], TEXT_W,
			PANGO_ALIGN_LEFT);
	show(p, l, MARGIN_X, p->y, ACCENT);
	p->y += layout_height(l) + 12;
	g_object_unref(l);
	for (const vg_report_section *s = p->r->first; s; s = s->next, i++)
		if (*s->title)
			toc_entry(p, s, p->section_pages[i]);
}

/* A table's column widths and the cell layouts of its header and of the row
 * being placed. */
typedef struct table_ctx {
	const vg_report_table *t;
	double *colw;
	PangoLayout **head, **cells;
	double head_h;
} table_ctx;

static void cells_clear(PangoLayout **cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (cells[i])
			g_object_unref(cells[i]);
		cells[i] = NULL;
	}
}

/* Lays out the cells of row (SIZE_MAX: the header) into cells and returns
 * the row's height. */
static double row_measure(pdf *p, const table_ctx *tc, size_t row, PangoLayout **cells)
{
	const vg_report_table *t = tc->t;
	double h = 0;

	cells_clear(cells, t->ncols);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *text = row == SIZE_MAX ? t->headers[c] : t->cells[row * t->ncols + c];

		cells[c] = text_layout(p, text, p->fonts[row == SIZE_MAX ? F_TABLE_BOLD : F_TABLE],
				       tc->colw[c] - 2 * CELL_PAD,
				       t->numeric[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
		h = fmax(h, layout_height(cells[c]) + 2 * CELL_PAD);
	}
	return h;
}

/* Draws measured cells as a row h high at p->y, cut off at h. */
static void row_draw(pdf *p, const table_ctx *tc, PangoLayout **cells, double h, uint32_t fill)
{
	double x = MARGIN_X;

	if (!p->drawing)
		return;
	cairo_save(p->cr);
	cairo_rectangle(p->cr, MARGIN_X, p->y, TEXT_W, h);
	cairo_clip(p->cr);
	for (size_t c = 0; c < tc->t->ncols; c++) {
		box(p, x, p->y, tc->colw[c], h, fill, RULE);
		show(p, cells[c], x + CELL_PAD, p->y + CELL_PAD, INK);
		x += tc->colw[c];
	}
	cairo_restore(p->cr);
}

static int table_init(pdf *p, table_ctx *tc, const vg_report_table *t)
{
	double total = 0;

	tc->t = t;
	tc->colw = calloc(t->ncols ? t->ncols : 1, sizeof(*tc->colw));
	tc->head = calloc(t->ncols ? t->ncols : 1, sizeof(*tc->head));
	tc->cells = calloc(t->ncols ? t->ncols : 1, sizeof(*tc->cells));
	if (!tc->colw || !tc->head || !tc->cells)
		return vg_error_set(p->err, VG_ENOMEM, "out of memory laying out a table");
	for (size_t c = 0; c < t->ncols; c++)
		total += t->widths[c];
	for (size_t c = 0; c < t->ncols; c++)
		tc->colw[c] = TEXT_W * t->widths[c] / total;
	tc->head_h = row_measure(p, tc, SIZE_MAX, tc->head);
	return VG_OK;
}

static void table_release(table_ctx *tc)
{
	if (tc->head)
		cells_clear(tc->head, tc->t->ncols);
	if (tc->cells)
		cells_clear(tc->cells, tc->t->ncols);
	free(tc->head);
	free(tc->cells);
	free(tc->colw);
}

#define HEAD_FILL 0xE3EAF2
#define ROW_FILL 0xFFFFFF
#define ROW_FILL_ALT 0xF6F8FB
#define ROW_CUT_MIN 60.0

/* The header row at p->y, on every page the table reaches. */
static void table_head(pdf *p, const table_ctx *tc)
{
	double h = fmin(tc->head_h, BODY_BOTTOM - p->y);

	row_draw(p, tc, tc->head, h, HEAD_FILL);
	p->y += h;
}

/* The room a row of height h needs to start on this page: all of it, or
 * for a row taller than any page (cut at the page's foot wherever it
 * starts) a few lines. */
static double row_need(const table_ctx *tc, double h)
{
	return h > BODY_BOTTOM - BODY_TOP - tc->head_h ? ROW_CUT_MIN : h;
}

static void block_table(pdf *p, const vg_report_table *t)
{
	table_ctx tc = {0};

	if (t->ncols == 0)
		return;
	p->rc = table_init(p, &tc, t);
	if (p->rc)
		goto out;
	ensure(p, tc.head_h + (t->nrows ? row_need(&tc, row_measure(p, &tc, 0, tc.cells)) : 0));
	table_head(p, &tc);
	for (size_t i = 0; i < t->nrows; i++) {
		double h = row_measure(p, &tc, i, tc.cells);

		if (i > 0 && p->y + row_need(&tc, h) > BODY_BOTTOM) {
			page_next(p);
			table_head(p, &tc);
		}
		h = fmin(h, BODY_BOTTOM - p->y);
		row_draw(p, &tc, tc.cells, h, i % 2 ? ROW_FILL_ALT : ROW_FILL);
		p->y += h;
	}
	p->y += GAP;
out:
	table_release(&tc);
}

/* Lays out (and when drawing, draws at p->y) up to FIG_PER_ROW figures as a
 * row of boxes; returns its height. */
static double figure_row(pdf *p, const vg_report_figure *f, size_t n, bool draw)
{
	double w = (TEXT_W - (FIG_PER_ROW - 1) * FIG_GAP) / FIG_PER_ROW, h = 0,
	       inner = w - 2 * BOX_PAD;
	PangoLayout *parts[FIG_PER_ROW][3];

	for (size_t i = 0; i < n; i++) {
		parts[i][0] =
		    text_layout(p, f[i].label, p->fonts[F_SMALL], inner, PANGO_ALIGN_LEFT);
		parts[i][1] =
		    text_layout(p, f[i].value, p->fonts[F_VALUE], inner, PANGO_ALIGN_LEFT);
		parts[i][2] = f[i].note ? text_layout(p, f[i].note, p->fonts[F_SMALL], inner,
						      PANGO_ALIGN_LEFT)
					: NULL;
		h = fmax(h, 2 * BOX_PAD + layout_height(parts[i][0]) + 2 +
				layout_height(parts[i][1]) +
				(parts[i][2] ? 2 + layout_height(parts[i][2]) : 0));
	}
	for (size_t i = 0; i < n; i++) {
		double x = MARGIN_X + i * (w + FIG_GAP), y = p->y + BOX_PAD;

		if (draw) {
			box(p, x, p->y, w, h, 0xF3F6FA, RULE);
			show(p, parts[i][0], x + BOX_PAD, y, GREY);
			y += layout_height(parts[i][0]) + 2;
			show(p, parts[i][1], x + BOX_PAD, y, ACCENT);
			y += layout_height(parts[i][1]) + 2;
			if (parts[i][2])
				show(p, parts[i][2], x + BOX_PAD, y, GREY);
		}
		cells_clear(parts[i], 3);
	}
	return h;
}

static void block_figures(pdf *p, const vg_report_figure *f, size_t n)
{
	for (size_t i = 0; i < n; i += FIG_PER_ROW) {
		size_t k = n - i < FIG_PER_ROW ? n - i : FIG_PER_ROW;

		ensure(p, figure_row(p, f + i, k, false));
		p->y += figure_row(p, f + i, k, true) + FIG_GAP;
	}
	p->y += GAP - FIG_GAP;
}

static double notice(pdf *p, const char *text, bool draw)
{
	PangoLayout *l =
	    text_layout(p, text, p->fonts[F_BODY], TEXT_W - 2 * BOX_PAD - 4, PANGO_ALIGN_LEFT);
	double h = layout_height(l) + 2 * BOX_PAD;

	if (draw) {
		box(p, MARGIN_X, p->y, TEXT_W, h, 0xFFF8E6, 0xE3B341);
		if (p->drawing) {
			cairo_rectangle(p->cr, MARGIN_X, p->y, 3, h);
			set_rgb(p->cr, 0xE3B341);
			cairo_fill(p->cr);
		}
		show(p, l, MARGIN_X + BOX_PAD + 4, p->y + BOX_PAD, 0x6B4E00);
	}
	g_object_unref(l);
	return h;
}

static void block_notice(pdf *p, const char *text)
{
	ensure(p, notice(p, text, false));
	p->y += notice(p, text, true) + GAP;
}

static void block_paragraph(pdf *p, const char *text)
{
	PangoLayout *l = text_layout(p, text, p->fonts[F_BODY], TEXT_W, PANGO_ALIGN_LEFT);

	flow_layout(p, l, MARGIN_X, INK);
	p->y += GAP;
	g_object_unref(l);
}

/* A chart is laid out in vg_chart_size's box, as in the HTML, and drawn
 * scaled down when that box is wider than the text. */
static double chart_scale(const vg_report_chart *c, double *w, double *h)
{
	vg_chart_size(c->kind, w, h);
	return *w > TEXT_W ? TEXT_W / *w : 1.0;
}

static double chart_height(const vg_report_chart *c)
{
	double w, h, s = chart_scale(c, &w, &h);

	return h * s;
}

static void chart_text(pdf *p, const vg_chart_prim *pr)
{
	PangoFontDescription *font = pango_font_description_copy(p->fonts[F_BODY]);
	PangoLayout *l;
	PangoRectangle log;
	double x = pr->x;

	pango_font_description_set_absolute_size(font, pr->size * PANGO_SCALE);
	pango_font_description_set_weight(font, pr->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	l = pango_cairo_create_layout(p->cr);
	pango_layout_set_font_description(l, font);
	pango_layout_set_text(l, pr->text ? pr->text : "", -1);
	pango_layout_get_extents(l, NULL, &log);
	if (pr->anchor == VG_ANCHOR_MIDDLE)
		x -= pango_units_to_double(log.width) / 2;
	else if (pr->anchor == VG_ANCHOR_END)
		x -= pango_units_to_double(log.width);
	set_rgb(p->cr, pr->rgb);
	cairo_move_to(p->cr, x, pr->y - pango_units_to_double(pango_layout_get_baseline(l)));
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	pango_font_description_free(font);
}

static void chart_prim(pdf *p, const vg_chart_prim *pr)
{
	cairo_t *cr = p->cr;

	switch (pr->kind) {
	case VG_PRIM_RECT:
		set_rgb(cr, pr->rgb);
		cairo_rectangle(cr, pr->x, pr->y, pr->w, pr->h);
		cairo_fill(cr);
		break;
	case VG_PRIM_POLYLINE:
		if (pr->npts < 2)
			break;
		set_rgb(cr, pr->rgb);
		cairo_set_line_width(cr, pr->width);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_move_to(cr, pr->pts[0], pr->pts[1]);
		for (size_t i = 1; i < pr->npts; i++)
			cairo_line_to(cr, pr->pts[2 * i], pr->pts[2 * i + 1]);
		cairo_stroke(cr);
		break;
	case VG_PRIM_WEDGE:
		/* Chart angles run clockwise from 12 o'clock, cairo's from 3. */
		set_rgb(cr, pr->rgb);
		cairo_new_path(cr);
		cairo_arc(cr, pr->cx, pr->cy, pr->r_out, pr->a0 - M_PI / 2, pr->a1 - M_PI / 2);
		cairo_arc_negative(cr, pr->cx, pr->cy, pr->r_in, pr->a1 - M_PI / 2,
				   pr->a0 - M_PI / 2);
		cairo_close_path(cr);
		cairo_fill(cr);
		break;
	case VG_PRIM_TEXT:
		chart_text(p, pr);
		break;
	}
}

static void block_chart(pdf *p, const vg_report_chart *c)
{
	vg_chart_drawing d = {0};
	double w, h, s = chart_scale(c, &w, &h);

	ensure(p, h * s);
	if (p->drawing) {
		p->rc = vg_chart_layout(c, p->r->lang, w, h, &d, p->err);
		if (p->rc)
			return;
		cairo_save(p->cr);
		cairo_translate(p->cr, MARGIN_X + (TEXT_W - w * s) / 2, p->y);
		cairo_scale(p->cr, s, s);
		for (size_t i = 0; i < d.n; i++)
			chart_prim(p, &d.prims[i]);
		cairo_restore(p->cr);
		vg_chart_drawing_release(&d);
	}
	p->y += h * s + GAP;
}

/* How much of b must fit under a heading for the heading to stay there. */
static double block_start_height(pdf *p, const vg_report_block *b)
{
	double h = 0;

	if (!b)
		return 0;
	switch (b->kind) {
	case VG_BLOCK_PARAGRAPH: {
		PangoLayout *l =
		    text_layout(p, b->text, p->fonts[F_BODY], TEXT_W, PANGO_ALIGN_LEFT);

		h = first_line_height(l);
		g_object_unref(l);
		break;
	}
	case VG_BLOCK_FIGURES:
		h = figure_row(p, b->figures, b->nfigures < FIG_PER_ROW ? b->nfigures : FIG_PER_ROW,
			       false);
		break;
	case VG_BLOCK_TABLE: {
		table_ctx tc = {0};

		if (!b->table->ncols)
			break;
		p->rc = table_init(p, &tc, b->table);
		if (!p->rc)
			h = tc.head_h +
			    (b->table->nrows ? row_need(&tc, row_measure(p, &tc, 0, tc.cells)) : 0);
		table_release(&tc);
		break;
	}
	case VG_BLOCK_CHART:
		h = chart_height(b->chart);
		break;
	case VG_BLOCK_NOTICE:
		h = notice(p, b->text, false);
		break;
	}
	return h;
}

static void heading(pdf *p, const vg_report_section *s, size_t index)
{
	bool chapter = s->level == 1;
	char *label;
	PangoLayout *l;
	double h, after = chapter ? 14 : 6;

	if (chapter)
		page_next(p);
	/* An untitled section (blocks added before any section) has neither
	 * a heading nor an entry in the contents. */
	if (!*s->title)
		return;
	label = g_strdup_printf("%s  %s", s->number, s->title);
	l = text_layout(p, label, p->fonts[chapter ? F_H1 : F_H2], TEXT_W, PANGO_ALIGN_LEFT);
	h = layout_height(l);
	if (!chapter) {
		if (p->y > BODY_TOP)
			p->y += GAP;
		ensure(p, h + after + block_start_height(p, s->first));
	}
	p->section_pages[index] = p->page;
	show(p, l, MARGIN_X, p->y, ACCENT);
	if (p->drawing) {
		char *dest = g_strdup_printf("page=%d pos=[0 %d]", p->page, (int)p->y);
		int id = cairo_pdf_surface_add_outline(
		    p->surface, chapter ? CAIRO_PDF_OUTLINE_ROOT : p->chapter_outline, label, dest,
		    chapter ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);

		if (chapter)
			p->chapter_outline = id;
		g_free(dest);
	}
	if (chapter)
		hline(p, MARGIN_X, MARGIN_X + TEXT_W, p->y + h + 4, 1, ACCENT);
	p->y += h + after;
	g_object_unref(l);
	g_free(label);
}

/* One pass over the whole document. */
static void lay_out(pdf *p)
{
	size_t i = 0;

	p->page = 0;
	p->chapter_outline = CAIRO_PDF_OUTLINE_ROOT;
	cover(p);
	contents(p);
	for (const vg_report_section *s = p->r->first; s && !p->rc; s = s->next, i++) {
		heading(p, s, i);
		for (const vg_report_block *b = s->first; b && !p->rc; b = b->next) {
			switch (b->kind) {
			case VG_BLOCK_PARAGRAPH:
				block_paragraph(p, b->text);
				break;
			case VG_BLOCK_FIGURES:
				block_figures(p, b->figures, b->nfigures);
				break;
			case VG_BLOCK_TABLE:
				block_table(p, b->table);
				break;
			case VG_BLOCK_CHART:
				block_chart(p, b->chart);
				break;
			case VG_BLOCK_NOTICE:
				block_notice(p, b->text);
				break;
			}
		}
	}
	if (p->drawing)
		cairo_show_page(p->cr);
}

static void fonts_init(pdf *p)
{
	for (size_t i = 0; i < F_COUNT; i++) {
		p->fonts[i] = pango_font_description_new();
		pango_font_description_set_family(p->fonts[i], FONT_FAMILY);
		pango_font_description_set_weight(
		    p->fonts[i], font_specs[i].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
		pango_font_description_set_absolute_size(p->fonts[i],
							 font_specs[i].size * PANGO_SCALE);
	}
}

int vg_report_pdf(const vg_report *r, vg_buf *out, vg_error *err)
{
	pdf p = {.r = r, .err = err};
	vg_buf doc = VG_BUF_INIT(out->max - out->len);
	sink s = {&doc, VG_OK};
	cairo_status_t st;
	size_t nsections = 0;
	int rc = vg_report_failed(r, err);

	if (rc)
		return rc;
	if (r->logo) {
		rc = logo_load(&p, err);
		if (rc)
			goto out;
	}
	for (const vg_report_section *sec = r->first; sec; sec = sec->next)
		nsections++;
	p.section_pages = calloc(nsections ? nsections : 1, sizeof(*p.section_pages));
	if (!p.section_pages) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory laying out the PDF");
		goto out;
	}
	p.surface = cairo_pdf_surface_create_for_stream(sink_write, &s, PAGE_W, PAGE_H);
	p.cr = cairo_create(p.surface);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, r->title);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_AUTHOR, r->issuer);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "Vigil");
	fonts_init(&p);

	lay_out(&p);
	if (p.rc) {
		rc = p.rc;
		goto out;
	}
	p.npages = p.page;
	p.drawing = true;
	lay_out(&p);
	if (p.rc) {
		rc = p.rc;
		goto out;
	}
	st = cairo_status(p.cr);
	cairo_destroy(p.cr);
	p.cr = NULL;
	cairo_surface_finish(p.surface);
	if (!st)
		st = cairo_surface_status(p.surface);
	if (s.rc) {
		rc = vg_error_set(err, s.rc, "PDF: %s",
				  s.rc == VG_ETOOBIG ? "larger than the output allows"
						     : "out of memory");
		goto out;
	}
	if (st) {
		rc = vg_error_set(err, st == CAIRO_STATUS_NO_MEMORY ? VG_ENOMEM : VG_EIO,
				  "PDF: cairo: %s", cairo_status_to_string(st));
		goto out;
	}
	rc = vg_buf_append(out, doc.ptr, doc.len);
	if (rc)
		vg_error_set(err, rc, "PDF: %s",
			     rc == VG_ETOOBIG ? "larger than the output allows" : "out of memory");
out:
	for (size_t i = 0; i < F_COUNT; i++)
		if (p.fonts[i])
			pango_font_description_free(p.fonts[i]);
	if (p.cr)
		cairo_destroy(p.cr);
	if (p.surface)
		cairo_surface_destroy(p.surface);
	if (p.logo)
		cairo_surface_destroy(p.logo);
	free(p.section_pages);
	vg_buf_release(&doc);
	return rc;
}
