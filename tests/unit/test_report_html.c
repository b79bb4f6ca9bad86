/*
 * test_report_html.c - the HTML report: escaped text, the contents linking
 * to numbered sections, tables with a header that repeats in print, charts
 * as inline SVG, the logo as a data: URI, and nothing that runs or fetches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "report/render.h"

/* The first bytes of a PNG, enough to check the data URI's encoding. */
static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static vg_report *sample(vg_report_lang lang)
{
	vg_report *r = vg_report_new(lang);
	const char *headers[] = {"Rule", "Alerts"};
	const bool numeric[] = {false, true};
	const double widths[] = {3, 1};
	const char *row1[] = {"Brute force <ssh>", "1,204"};
	const char *cats[] = {"a", "b", "c"};
	const double values[] = {0, 5, 10}, shares[] = {2, 0, 0};
	const vg_report_figure figs[] = {{"Alerts", "12,345", "+12% on October"},
					 {"Tickets", "8", NULL}};
	vg_report_table *t;
	vg_report_chart *c;

	vg_report_cover(r, "Monthly \"MSS\" report", "Acme & Sons", "2026-11", "Vigil MSSP",
			"2026-12-01 08:00 (Asia/Shanghai)");
	vg_report_logo(r, png, sizeof(png));
	vg_report_section_add(r, 1, "Title");
	vg_report_paragraph(r, "<script>& 'quoted'");
	vg_report_figures(r, figs, 2);
	vg_report_section_add(r, 2, "Details");
	t = vg_report_table_add(r, 2, headers, numeric, widths);
	vg_report_table_row(r, t, row1);
	vg_report_section_add(r, 1, "Charts");
	c = vg_report_chart_add(r, VG_CHART_BAR, "Per day", 3, cats);
	vg_report_chart_series(r, c, "alerts", values);
	c = vg_report_chart_add(r, VG_CHART_DONUT, "All one kind", 3, cats);
	vg_report_chart_series(r, c, "alerts", shares);
	vg_report_notice(r, "Not collected yet");
	return r;
}

static void renders_a_self_contained_document(void **state)
{
	vg_report *r = sample(VG_REPORT_EN);
	vg_buf out = VG_BUF_INIT(1 << 20);
	vg_error err = {0};
	const char *html;

	(void)state;
	assert_int_equal(vg_report_html(r, &out, &err), VG_OK);
	html = vg_buf_cstr(&out);
	assert_int_equal(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33), 0);
	assert_non_null(
	    strstr(html, "<title>Monthly &quot;MSS&quot; report - Acme &amp; Sons</title>"));
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(html, "\"Noto Sans CJK SC\",\"Noto Sans CJK\",sans-serif"));
	assert_non_null(strstr(html, "@media print{"));
	assert_non_null(strstr(html, "@page{size:A4;"));
	assert_non_null(strstr(html, "thead{display:table-header-group}"));
	/* The cover. */
	assert_non_null(strstr(html, "<img alt=\"\" src=\"data:image/png;base64,iVBORw0KGgo=\">"));
	assert_non_null(strstr(html, "<h1>Monthly &quot;MSS&quot; report</h1>"));
	assert_non_null(strstr(html, "<dt>Customer</dt><dd>Acme &amp; Sons</dd>"));
	assert_non_null(strstr(html, "<dt>Period</dt><dd>2026-11</dd>"));
	assert_non_null(strstr(html, "<dt>Issued by</dt><dd>Vigil MSSP</dd>"));
	/* The contents: the chapters, linked to their anchors. */
	assert_non_null(strstr(html, "<h2>Contents</h2>"));
	assert_non_null(strstr(html, "<li><a href=\"#sec-1\">1 Title</a></li>"));
	assert_non_null(strstr(html, "<li><a href=\"#sec-2\">2 Charts</a></li>"));
	assert_null(strstr(html, "href=\"#sec-1-1\""));
	assert_non_null(strstr(html, "<section class=\"l1\" id=\"sec-1\">\n<h2>1 Title</h2>"));
	assert_non_null(
	    strstr(html, "<section class=\"l2\" id=\"sec-1-1\">\n<h3>1.1 Details</h3>"));
	assert_non_null(strstr(html, "<section class=\"l1\" id=\"sec-2\">\n<h2>2 Charts</h2>"));
	/* Blocks. */
	assert_non_null(strstr(html, "<p>&lt;script&gt;&amp; &#39;quoted&#39;</p>"));
	assert_non_null(strstr(html, "<div class=\"figure\"><div class=\"label\">Alerts</div>"
				     "<div class=\"value\">12,345</div>"
				     "<div class=\"note\">+12% on October</div></div>"));
	assert_non_null(strstr(html, "<div class=\"value\">8</div></div>"));
	assert_non_null(strstr(html, "<colgroup><col style=\"width:75.0%\">"
				     "<col style=\"width:25.0%\"></colgroup>"));
	assert_non_null(strstr(html, "<thead><tr><th>Rule</th><th class=\"num\">Alerts</th></tr>"
				     "</thead>"));
	assert_non_null(strstr(html, "<tr><td>Brute force &lt;ssh&gt;</td>"
				     "<td class=\"num\">1,204</td></tr>"));
	assert_non_null(
	    strstr(html, "<div class=\"notice\" role=\"note\"><p>Not collected yet</p>"));
	/* Charts: inline SVG in the fixed boxes, their text escaped. */
	assert_int_equal(count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\""), 2);
	assert_non_null(strstr(html, "viewBox=\"0 0 480 260\" width=\"480\" height=\"260\""));
	assert_non_null(strstr(html, "viewBox=\"0 0 480 220\" width=\"480\" height=\"220\""));
	assert_int_equal(count(html, "<rect "), 3 + 3); /* three bars, three legend swatches */
	assert_non_null(strstr(html, "font-weight=\"bold\" fill=\"#222222\">Per day</text>"));
	assert_non_null(strstr(html, "text-anchor=\"end\" fill=\"#595959\">10</text>"));
	/* The donut's one share is a full ring, drawn as two halves. */
	assert_int_equal(count(html, "<path "), 1);
	assert_int_equal(count(html, " 0 0 1 "), 2);
	assert_int_equal(count(html, " 0 0 0 "), 2);
	assert_non_null(strstr(html, ">100.0%</text>"));
	/* Nothing runs and nothing is fetched. */
	assert_null(strstr(html, "<script"));
	assert_int_equal(count(html, "http"), 2); /* the SVG namespaces */
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "url("));
	assert_non_null(
	    strstr(html, "<footer>Vigil MSSP · 2026-12-01 08:00 (Asia/Shanghai)</footer>"));
	assert_int_equal(strcmp(html + out.len - 16, "</body>\n</html>\n"), 0);
	vg_buf_release(&out);
	vg_report_free(r);
}

static void chinese_labels(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	vg_buf out = VG_BUF_INIT(1 << 20);
	const char *headers[] = {"规则"};
	vg_report_table *t;
	const char *html;

	(void)state;
	vg_report_cover(r, "MSS月度分析报告", "示例客户", "2026-11", "", "");
	vg_report_section_add(r, 1, "总体态势");
	t = vg_report_table_add(r, 1, headers, NULL, NULL);
	assert_non_null(t);
	assert_int_equal(vg_report_html(r, &out, NULL), VG_OK);
	html = vg_buf_cstr(&out);
	assert_non_null(strstr(html, "<html lang=\"zh-CN\">"));
	assert_non_null(strstr(html, "<h2>目录</h2>"));
	assert_non_null(strstr(html, "<dt>客户</dt><dd>示例客户</dd>"));
	assert_non_null(strstr(html, "<dt>报告周期</dt><dd>2026-11</dd>"));
	/* Empty cover lines are left out, not shown blank. */
	assert_null(strstr(html, "出具单位"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "<a href=\"#sec-1\">1 总体态势</a>"));
	assert_non_null(strstr(html, "<tr><td class=\"empty\" colspan=\"1\">无数据</td></tr>"));
	assert_non_null(strstr(html, "<footer></footer>"));
	vg_buf_release(&out);
	vg_report_free(r);
}

static void refuses_a_failed_model(void **state)
{
	vg_report *r = sample(VG_REPORT_EN);
	vg_buf out = VG_BUF_INIT(1 << 20);
	vg_error err = {0};

	(void)state;
	r->failed = true;
	assert_int_equal(vg_report_html(r, &out, &err), VG_ENOMEM);
	assert_string_equal(err.msg, "out of memory building the report");
	assert_int_equal(out.len, 0);
	vg_buf_release(&out);
	vg_report_free(r);
}

static void leaves_the_buffer_as_it_was_when_too_big(void **state)
{
	vg_report *r = sample(VG_REPORT_EN);
	vg_buf out = VG_BUF_INIT(4096);
	vg_error err = {0};

	(void)state;
	assert_int_equal(vg_buf_puts(&out, "kept"), VG_OK);
	assert_int_equal(vg_report_html(r, &out, &err), VG_ETOOBIG);
	assert_string_equal(err.msg, "writing the HTML report: too large");
	assert_string_equal(vg_buf_cstr(&out), "kept");
	vg_buf_release(&out);
	vg_report_free(r);
}

static void refuses_a_chart_without_series(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	vg_buf out = VG_BUF_INIT(1 << 20);
	vg_error err = {0};
	const char *cats[] = {"a"};

	(void)state;
	vg_report_section_add(r, 1, "One");
	vg_report_chart_add(r, VG_CHART_BAR, "Empty", 1, cats);
	assert_int_equal(vg_report_html(r, &out, &err), VG_EINVAL);
	assert_string_equal(err.msg, "chart \"Empty\" has no series");
	assert_int_equal(out.len, 0);
	vg_buf_release(&out);
	vg_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(renders_a_self_contained_document),
	    cmocka_unit_test(chinese_labels),
	    cmocka_unit_test(refuses_a_failed_model),
	    cmocka_unit_test(leaves_the_buffer_as_it_was_when_too_big),
	    cmocka_unit_test(refuses_a_chart_without_series),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
