/*
 * fuzz_report.c - report text from outside (alert titles, mail subjects,
 * customers' names, anything the store holds) drawn by both renderers.
 *
 * Input: NUL-separated strings, taken in turn as the cover's texts,
 * section titles, a paragraph, a notice, figures, a table's headers and
 * cells, and a bar chart's title and categories (its values the strings'
 * lengths).
 * Promises checked: the model keeps only valid UTF-8 without control
 * characters but tab and line feed; HTML and PDF are both made (VG_OK);
 * the HTML is valid UTF-8, and has as many '<' as the same report's with
 * every '<' of the text an 'x' (so none of the text became markup); the
 * PDF is a PDF.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "report/model.h"
#include "report/render.h"

#define STRINGS_MAX 40

/* The clean form of every string the model keeps (model.h). */
static void check_text(const char *s)
{
	size_t n = strlen(s);

	if (!vg_utf8_valid(s, n, false))
		abort();
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7f)
			abort();
}

/* The report of strings s, in lang. */
static vg_report *build(char *const *s, vg_report_lang lang)
{
	vg_report *r = vg_report_new(lang);
	vg_report_figure fig[3];
	vg_report_table *t;
	vg_report_chart *c;
	double values[4];
	size_t i;

	if (!r)
		abort();
	vg_report_cover(r, s[0], s[1], s[2], s[3], s[4]);
	vg_report_section_add(r, 1, s[5]);
	vg_report_paragraph(r, s[6]);
	vg_report_notice(r, s[7]);
	for (i = 0; i < 3; i++)
		fig[i] = (vg_report_figure){s[8 + i], s[11 + i], i ? s[14] : NULL};
	vg_report_figures(r, fig, 3);
	vg_report_section_add(r, 2, s[15]);
	t = vg_report_table_add(r, 2, (const char *const[]){s[16], s[17]},
				(const bool[]){false, true}, NULL);
	for (i = 18; i + 1 < 30; i += 2)
		vg_report_table_row(r, t, (const char *const[]){s[i], s[i + 1]});
	for (i = 0; i < 4; i++)
		values[i] = (double)strlen(s[31 + i]);
	c = vg_report_chart_add(r, VG_CHART_BAR, s[30], 4,
				(const char *const[]){s[31], s[32], s[33], s[34]});
	vg_report_chart_series(r, c, s[35], values);
	if (vg_report_failed(r, NULL))
		abort();
	return r;
}

static size_t count_lt(const vg_buf *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->len; i++)
		n += b->ptr[i] == '<';
	return n;
}

/* Splits size bytes at data (copied into buf) at NUL bytes into s. */
static void split(const uint8_t *data, size_t size, char *buf, char **s)
{
	size_t n = 0;
	char *at = buf;

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (; n < STRINGS_MAX; n++) {
		s[n] = at;
		at += strlen(at);
		if (at == buf + size)
			break;
		at++;
	}
	for (n = n < STRINGS_MAX ? n + 1 : n; n < STRINGS_MAX; n++)
		s[n] = "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *plain = malloc(size + 1), *s[STRINGS_MAX], *p[STRINGS_MAX];
	vg_buf html = VG_BUF_INIT(SIZE_MAX), control = VG_BUF_INIT(SIZE_MAX),
	       pdf = VG_BUF_INIT(SIZE_MAX);
	vg_report_lang lang = size && data[0] & 1 ? VG_REPORT_EN : VG_REPORT_ZH;
	vg_report *r, *rp;

	if (!copy || !plain)
		abort();
	split(data, size, copy, s);
	/* The same report with every '<' an 'x' (of the same width, so laid out
	 * the same): its HTML has as many '<' as the first only when none of
	 * the text's got into the first as markup. */
	split(data, size, plain, p);
	for (size_t i = 0; i < size; i++)
		if (plain[i] == '<')
			plain[i] = 'x';
	r = build(s, lang);
	rp = build(p, lang);
	check_text(r->title);
	check_text(r->customer);
	check_text(r->first->title);
	check_text(r->first->first->text);
	if (vg_report_html(r, &html, NULL) != VG_OK ||
	    vg_report_html(rp, &control, NULL) != VG_OK || vg_report_pdf(r, &pdf, NULL) != VG_OK)
		abort();
	if (!vg_utf8_valid(html.ptr, html.len, false) || count_lt(&html) != count_lt(&control))
		abort();
	if (pdf.len < 5 || memcmp(pdf.ptr, "%PDF-", 5) != 0)
		abort();
	vg_buf_release(&html);
	vg_buf_release(&control);
	vg_buf_release(&pdf);
	vg_report_free(r);
	vg_report_free(rp);
	free(copy);
	free(plain);
	return 0;
}
