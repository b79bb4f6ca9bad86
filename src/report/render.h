/*
 * render.h - a report model (model.h) drawn as a document.
 *
 * Both renderers draw the model as built and compute no figure of their
 * own; both refuse a model whose building failed (vg_report_failed).
 */
#ifndef VG_REPORT_RENDER_H
#define VG_REPORT_RENDER_H

#include "core/buf.h"
#include "core/error.h"
#include "report/model.h"

/*
 * One self-contained HTML file into out: the styles inline, charts as
 * inline SVG (chart.h), the logo as a data: URI, no script and nothing
 * fetched; a print stylesheet for A4 with the cover on its own page.
 */
int vg_report_html(const vg_report *r, vg_buf *out, vg_error *err);

/*
 * A4 PDF into out, drawn with cairo and pango in Noto CJK (embedded by
 * cairo as subsets): a cover page, the table of contents with page
 * numbers, a running header (title, customer) and footer (period, page
 * N / M), tables that break across pages repeating their header row,
 * charts drawn from the same layout as the HTML's.
 */
int vg_report_pdf(const vg_report *r, vg_buf *out, vg_error *err);

#endif
