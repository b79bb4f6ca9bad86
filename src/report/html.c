/*
 * html.c - a report model as one self-contained HTML file (render.h).
 *
 * Everything the page needs is in it: the styles, the charts as inline SVG
 * from the same layout the PDF draws (chart.h), the logo as a data: URI. It
 * has no script and fetches nothing, so it opens the same from a mail
 * attachment, a file share or an archive years later.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "core/base64.h"
#include "report/chart.h"
#include "report/render.h"

/* A print stylesheet for A4 beside the screen one: the cover and the
 * contents on pages of their own, each chapter from a new page, tables
 * repeating their header row, figures and charts kept whole. */
static const char stylesheet[] =
    "*{box-sizing:border-box}"
    "body{margin:0;color:#222;background:#fff;line-height:1.55;"
    "font-family:\"Noto Sans CJK SC\",\"Noto Sans CJK\",sans-serif;font-size:15px}"
    "main{max-width:860px;margin:0 auto;padding:24px}"
    ".cover{min-height:90vh;display:flex;flex-direction:column;justify-content:center;"
    "padding:48px 24px;border-bottom:4px solid #2F6DB5}"
    ".cover img{max-width:200px;max-height:80px;margin-bottom:40px;align-self:flex-start}"
    ".cover h1{font-size:34px;margin:0 0 32px}"
    ".cover dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 20px;margin:0}"
    ".cover dt{color:#666}.cover dd{margin:0}"
    ".toc h2{font-size:22px}.toc ol{list-style:none;padding:0}"
    ".toc li{padding:4px 0;border-bottom:1px dotted #ccc}"
    ".toc a{color:#222;text-decoration:none}"
    "h2{font-size:22px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid #2F6DB5}"
    "h3{font-size:17px;margin:24px 0 10px}"
    "p{white-space:pre-line;margin:0 0 12px}"
    ".figures{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0 16px}"
    ".figure{flex:1 1 150px;border:1px solid #d9dee5;border-radius:6px;padding:12px 14px;"
    "background:#f7f9fc}"
    ".figure .label{color:#555;font-size:13px}"
    ".figure .value{font-size:26px;font-weight:bold;color:#1d4f8c}"
    ".figure .note{color:#666;font-size:12px}"
    "table{width:100%;border-collapse:collapse;margin:12px 0 18px;font-size:13px}"
    "th,td{border:1px solid #d9dee5;padding:5px 8px;text-align:left;vertical-align:top}"
    "th{background:#eef2f7}"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "td.empty{text-align:center;color:#777}"
    "thead{display:table-header-group}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    "figure.chart{margin:12px 0 18px}"
    "figure.chart svg{width:100%;max-width:640px;height:auto;display:block}"
    ".notice{border:1px solid #e0b84c;border-left:6px solid #e0a21b;background:#fff8e5;"
    "padding:10px 14px;margin:12px 0 16px;border-radius:4px}"
    ".notice p{margin:0}"
    "footer{margin-top:40px;padding-top:8px;border-top:1px solid #ccc;color:#777;"
    "font-size:12px}"
    "@page{size:A4;margin:18mm 16mm 20mm 16mm}"
    "@media print{"
    "body{font-size:10.5pt}main{max-width:none;padding:0}"
    ".cover{min-height:240mm;border-bottom:none;break-after:page;page-break-after:always}"
    ".toc{break-after:page;page-break-after:always}"
    "section.l1{break-before:page;page-break-before:always}"
    "figure,.figures,.figure,.notice,svg{break-inside:avoid;page-break-inside:avoid}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    "a{color:inherit}"
    "}";

/* Writing stops at the first failure, which is reported once at the end,
 * so the many small writes need no check each. */
typedef struct writer {
	vg_buf *out;
	int rc;
} writer;

static void put(writer *w, const char *s)
{
	if (!w->rc)
		w->rc = vg_buf_puts(w->out, s);
}

__attribute__((format(printf, 2, 3))) static void putf(writer *w, const char *fmt, ...)
{
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	w->rc = vg_buf_vprintf(w->out, fmt, ap);
	va_end(ap);
}

/* s as HTML text or attribute value. */
static void put_esc(writer *w, const char *s)
{
	const char *run = s ? s : "";

	for (s = run; *s; s++) {
		const char *ent;

		switch (*s) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		if (!w->rc && s > run)
			w->rc = vg_buf_append(w->out, run, (size_t)(s - run));
		put(w, ent);
		run = s + 1;
	}
	if (!w->rc && s > run)
		w->rc = vg_buf_append(w->out, run, (size_t)(s - run));
}

/* A section's anchor: "sec-1-2" for section 1.2. */
static void put_anchor(writer *w, const char *number)
{
	put(w, "sec-");
	for (; *number; number++)
		putf(w, "%c", *number == '.' ? '-' : *number);
}

static void put_cover(writer *w, const vg_report *r)
{
	static const struct {
		size_t off;
		const char *zh, *en;
	} rows[] = {
	    {offsetof(vg_report, customer), "客户", "Customer"},
	    {offsetof(vg_report, period), "报告周期", "Period"},
	    {offsetof(vg_report, issuer), "出具单位", "Issued by"},
	    {offsetof(vg_report, generated), "生成时间", "Generated"},
	};
	size_t i;

	put(w, "<section class=\"cover\">\n");
	if (r->logo && r->logo_len) {
		put(w, "<img alt=\"\" src=\"data:image/png;base64,");
		if (!w->rc)
			w->rc = vg_base64_encode(r->logo, r->logo_len, w->out);
		put(w, "\">\n");
	}
	put(w, "<h1>");
	put_esc(w, r->title);
	put(w, "</h1>\n<dl>\n");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *value = *(const char *const *)((const char *)r + rows[i].off);

		if (!value || !*value)
			continue;
		putf(w, "<dt>%s</dt><dd>", VG_TR(r->lang, rows[i].zh, rows[i].en));
		put_esc(w, value);
		put(w, "</dd>\n");
	}
	put(w, "</dl>\n</section>\n");
}

/* The contents list the chapters, as model.h has it. */
static void put_toc(writer *w, const vg_report *r)
{
	const vg_report_section *s;

	putf(w, "<nav class=\"toc\">\n<h2>%s</h2>\n<ol>\n", VG_TR(r->lang, "目录", "Contents"));
	for (s = r->first; s; s = s->next) {
		if (s->level != 1 || !*s->title)
			continue;
		put(w, "<li><a href=\"#");
		put_anchor(w, s->number);
		put(w, "\">");
		put_esc(w, s->number);
		put(w, " ");
		put_esc(w, s->title);
		put(w, "</a></li>\n");
	}
	put(w, "</ol>\n</nav>\n");
}

static void put_figures(writer *w, const vg_report_block *b)
{
	size_t i;

	put(w, "<div class=\"figures\">\n");
	for (i = 0; i < b->nfigures; i++) {
		const vg_report_figure *f = &b->figures[i];

		put(w, "<div class=\"figure\"><div class=\"label\">");
		put_esc(w, f->label);
		put(w, "</div><div class=\"value\">");
		put_esc(w, f->value);
		put(w, "</div>");
		if (f->note) {
			put(w, "<div class=\"note\">");
			put_esc(w, f->note);
			put(w, "</div>");
		}
		put(w, "</div>\n");
	}
	put(w, "</div>\n");
}

static void put_table(writer *w, const vg_report *r, const vg_report_table *t)
{
	double total = 0.0;
	size_t i, j;

	for (i = 0; i < t->ncols; i++)
		total += t->widths[i];
	put(w, "<table>\n<colgroup>");
	for (i = 0; i < t->ncols; i++)
		putf(w, "<col style=\"width:%.1f%%\">", 100.0 * t->widths[i] / total);
	put(w, "</colgroup>\n<thead><tr>");
	for (i = 0; i < t->ncols; i++) {
		put(w, t->numeric[i] ? "<th class=\"num\">" : "<th>");
		put_esc(w, t->headers[i]);
		put(w, "</th>");
	}
	put(w, "</tr></thead>\n<tbody>\n");
	if (t->nrows == 0)
		putf(w, "<tr><td class=\"empty\" colspan=\"%zu\">%s</td></tr>\n", t->ncols,
		     VG_TR(r->lang, "无数据", "No data"));
	for (j = 0; j < t->nrows; j++) {
		put(w, "<tr>");
		for (i = 0; i < t->ncols; i++) {
			put(w, t->numeric[i] ? "<td class=\"num\">" : "<td>");
			put_esc(w, t->cells[j * t->ncols + i]);
			put(w, "</td>");
		}
		put(w, "</tr>\n");
	}
	put(w, "</tbody>\n</table>\n");
}

/* The point at angle a (clockwise from 12 o'clock) on the circle of
 * radius rad around (cx, cy). */
static void put_polar(writer *w, double cx, double cy, double rad, double a)
{
	putf(w, "%.2f,%.2f", cx + rad * sin(a), cy - rad * cos(a));
}

/* A ring sector as a path; a full ring is drawn as two halves, an SVG arc
 * from a point back to itself being nothing at all. */
static void put_wedge(writer *w, const vg_chart_prim *p)
{
	const double pi = acos(-1.0);
	double a0 = p->a0, a1 = p->a1, mid = (a0 + a1) / 2;
	double cut[3];
	size_t i, n;

	if (a1 - a0 >= 2 * pi - 1e-9) {
		cut[0] = a0, cut[1] = mid, cut[2] = a1, n = 2;
	} else {
		cut[0] = a0, cut[1] = a1, n = 1;
	}
	putf(w, "<path fill=\"#%06X\" d=\"", (unsigned)p->rgb);
	for (i = 0; i < n; i++) {
		int large = cut[i + 1] - cut[i] > pi;

		put(w, "M");
		put_polar(w, p->cx, p->cy, p->r_out, cut[i]);
		putf(w, " A%.2f,%.2f 0 %d 1 ", p->r_out, p->r_out, large);
		put_polar(w, p->cx, p->cy, p->r_out, cut[i + 1]);
		if (p->r_in > 0.0) {
			put(w, " L");
			put_polar(w, p->cx, p->cy, p->r_in, cut[i + 1]);
			putf(w, " A%.2f,%.2f 0 %d 0 ", p->r_in, p->r_in, large);
			put_polar(w, p->cx, p->cy, p->r_in, cut[i]);
		} else {
			putf(w, " L%.2f,%.2f", p->cx, p->cy);
		}
		put(w, " Z");
	}
	put(w, "\"/>\n");
}

static void put_prim(writer *w, const vg_chart_prim *p)
{
	static const char *const anchors[] = {"start", "middle", "end"};
	size_t i;

	switch (p->kind) {
	case VG_PRIM_RECT:
		putf(
		    w,
		    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#%06X\"/>\n",
		    p->x, p->y, p->w, p->h, (unsigned)p->rgb);
		break;
	case VG_PRIM_POLYLINE:
		put(w, "<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"");
		for (i = 0; i < p->npts; i++)
			putf(w, "%s%.2f,%.2f", i ? " " : "", p->pts[2 * i], p->pts[2 * i + 1]);
		putf(w, "\" stroke=\"#%06X\" stroke-width=\"%.2f\"/>\n", (unsigned)p->rgb,
		     p->width);
		break;
	case VG_PRIM_WEDGE:
		put_wedge(w, p);
		break;
	case VG_PRIM_TEXT:
		putf(w,
		     "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\"%s "
		     "fill=\"#%06X\">",
		     p->x, p->y, p->size, anchors[p->anchor],
		     p->bold ? " font-weight=\"bold\"" : "", (unsigned)p->rgb);
		put_esc(w, p->text);
		put(w, "</text>\n");
		break;
	}
}

static int put_chart(writer *w, const vg_report *r, const vg_report_chart *c, vg_error *err)
{
	vg_chart_drawing d;
	double width, height;
	size_t i;
	int rc;

	vg_chart_size(c->kind, &width, &height);
	if ((rc = vg_chart_layout(c, r->lang, width, height, &d, err)))
		return rc;
	putf(w,
	     "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g "
	     "%g\" width=\"%g\" height=\"%g\" role=\"img\" aria-label=\"",
	     width, height, width, height);
	put_esc(w, c->title);
	put(w, "\" font-family=\"'Noto Sans CJK SC','Noto Sans CJK',sans-serif\">\n");
	for (i = 0; i < d.n; i++)
		put_prim(w, &d.prims[i]);
	put(w, "</svg></figure>\n");
	vg_chart_drawing_release(&d);
	return VG_OK;
}

static int put_block(writer *w, const vg_report *r, const vg_report_block *b, vg_error *err)
{
	switch (b->kind) {
	case VG_BLOCK_PARAGRAPH:
		put(w, "<p>");
		put_esc(w, b->text);
		put(w, "</p>\n");
		break;
	case VG_BLOCK_NOTICE:
		put(w, "<div class=\"notice\" role=\"note\"><p>");
		put_esc(w, b->text);
		put(w, "</p></div>\n");
		break;
	case VG_BLOCK_FIGURES:
		put_figures(w, b);
		break;
	case VG_BLOCK_TABLE:
		put_table(w, r, b->table);
		break;
	case VG_BLOCK_CHART:
		return put_chart(w, r, b->chart, err);
	}
	return VG_OK;
}

int vg_report_html(const vg_report *r, vg_buf *out, vg_error *err)
{
	writer w = {out, VG_OK};
	size_t start = out->len;
	const vg_report_section *s;
	const vg_report_block *b;
	int rc;

	if ((rc = vg_report_failed(r, err)))
		return rc;
	putf(&w, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
	     vg_report_lang_name(r->lang));
	put(&w,
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	put_esc(&w, r->title);
	if (*r->customer) {
		put(&w, " - ");
		put_esc(&w, r->customer);
	}
	putf(&w, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", stylesheet);
	put_cover(&w, r);
	put_toc(&w, r);
	for (s = r->first; s && !w.rc; s = s->next) {
		putf(&w, "<section class=\"l%d\" id=\"", s->level);
		put_anchor(&w, s->number);
		put(&w, "\">\n");
		if (*s->title) {
			put(&w, s->level == 1 ? "<h2>" : "<h3>");
			put_esc(&w, s->number);
			put(&w, " ");
			put_esc(&w, s->title);
			put(&w, s->level == 1 ? "</h2>\n" : "</h3>\n");
		}
		for (b = s->first; b && !w.rc; b = b->next)
			if ((rc = put_block(&w, r, b, err)))
				goto out;
		put(&w, "</section>\n");
	}
	put(&w, "<footer>");
	put_esc(&w, r->issuer);
	if (*r->issuer && *r->generated)
		put(&w, " · ");
	put_esc(&w, r->generated);
	put(&w, "</footer>\n</main>\n</body>\n</html>\n");
	if ((rc = w.rc))
		vg_error_set(err, rc, "writing the HTML report: %s", vg_strerror(rc));

out:
	if (rc && out->ptr) {
		out->len = start;
		out->ptr[start] = '\0';
	}
	return rc;
}
