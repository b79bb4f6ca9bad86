/*
 * test_report_pdf.c - the PDF renderer, read back with poppler's tools: the
 * cover, the contents' page numbers against the pages the headings are
 * really on, a long table repeating its header row on every page it spans,
 * a paragraph running on over a page break, headings kept with what
 * follows, charts kept whole, the running header and "N / M" footers, the
 * bookmarks, the embedded CJK fonts and the logo; and the errors: a logo
 * that is not a PNG, a failed model, a chart that cannot be laid out, the
 * output's size limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/render.h"

#define TITLE "MSS月度分析报告"
#define CUSTOMER "示例客户"
#define TABLE_ROWS 150
#define TABLE_HEADER "序号 规则名称 告警数 占比"
#define SENTENCES 300

/* The text of a PDF as pdftotext -layout gives it, one string per page. */
typedef struct pdf_text {
	char *all;
	char **page; /* page[0] is page 1 */
	size_t n;
} pdf_text;

/* LeakSanitizer's suppressions for this program: two leaks inside the
 * libraries, not the renderer's (a program drawing one line of text with
 * pango to a PDF surface shows both): cairo 1.16 loses 768 bytes for each
 * font subset it writes when the PDF surface is finished, and fontconfig
 * part of the configuration it parses once. They name functions deep in
 * the libraries, which are built without frame pointers: only the slow
 * unwinder finds those frames. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:cairo_surface_finish\nleak:FcInitLoadConfigAndFonts\n";
}

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static char *run(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0, cap = 0, got;

	assert_non_null(f);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			out = realloc(out, cap + 1);
			assert_non_null(out);
		}
		got = fread(out + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	out[len] = '\0';
	assert_int_equal(pclose(f), 0);
	return out;
}

static void text_read(const char *path, pdf_text *t)
{
	char cmd[512];
	char *at;

	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
	t->all = run(cmd);
	t->n = 0;
	t->page = NULL;
	/* pdftotext ends every page, the last one too, with a form feed. */
	for (at = t->all; (at = strchr(at, '\f')) != NULL; at++) {
		t->page = realloc(t->page, (t->n + 1) * sizeof(*t->page));
		assert_non_null(t->page);
		t->n++;
	}
	at = t->all;
	for (size_t i = 0; i < t->n; i++) {
		char *ff = strchr(at, '\f');

		*ff = '\0';
		t->page[i] = at;
		at = ff + 1;
	}
}

/* How many times s occurs in the text, all pages. */
static size_t text_count(const pdf_text *t, const char *s)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		for (const char *at = t->page[i]; (at = strstr(at, s)) != NULL; at++)
			n++;
	return n;
}

static void text_free(pdf_text *t)
{
	free(t->page);
	free(t->all);
}

/* Line i (from 0) of page, its runs of blanks made single spaces and its
 * ends trimmed, into out; false past the last line. */
static bool line_get(const char *page, size_t i, char *out, size_t size)
{
	const char *at = page;
	size_t n = 0;
	bool blank = false;

	for (; i > 0; i--) {
		at = strchr(at, '\n');
		if (!at)
			return false;
		at++;
	}
	if (!*at)
		return false;
	for (; *at && *at != '\n' && n + 1 < size; at++) {
		if (*at == ' ') {
			blank = n > 0;
			continue;
		}
		if (blank)
			out[n++] = ' ';
		blank = false;
		out[n++] = *at;
	}
	out[n] = '\0';
	return true;
}

/* The first line of page that begins with prefix (whole), or NULL. */
static const char *line_starting(const char *page, const char *prefix, char *out, size_t size)
{
	for (size_t i = 0; line_get(page, i, out, size); i++)
		if (strncmp(out, prefix, strlen(prefix)) == 0)
			return out;
	return NULL;
}

static bool has_line(const char *page, const char *want)
{
	char line[1024];

	for (size_t i = 0; line_get(page, i, line, sizeof(line)); i++)
		if (strcmp(line, want) == 0)
			return true;
	return false;
}

/* Whether page has the footer: a line starting with period and then the
 * page number as pages (pdftotext keeps or drops the narrow spaces around
 * the slash as it sees fit, so spaces do not count). */
static bool has_footer(const char *page, const char *period, const char *pages)
{
	char line[1024], want[128];
	size_t n = 0;

	for (const char *c = pages; *c && n + 1 < sizeof(want); c++)
		if (*c != ' ')
			want[n++] = *c;
	want[n] = '\0';
	for (size_t i = 0; line_get(page, i, line, sizeof(line)); i++) {
		size_t len = strlen(period), k = 0;

		if (strncmp(line, period, len) != 0)
			continue;
		for (const char *c = line + len; *c; c++)
			if (*c != ' ')
				line[k++] = *c;
		line[k] = '\0';
		if (strcmp(line, want) == 0)
			return true;
	}
	return false;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

static bool bytes_have(const char *data, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(data + i, s, n) == 0)
			return true;
	return false;
}

/* "/Title <FEFF...>": how cairo writes a bookmark's title, UTF-16BE in
 * hex (the titles here are all in the BMP). */
static void outline_title(const char *utf8, char *out, size_t size)
{
	const unsigned char *u = (const unsigned char *)utf8;
	size_t n = (size_t)snprintf(out, size, "/Title <FEFF");

	while (*u) {
		unsigned cp;

		if (*u < 0x80) {
			cp = *u++;
		} else if (*u < 0xE0) {
			cp = (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu);
			u += 2;
		} else {
			cp = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
			u += 3;
		}
		n += (size_t)snprintf(out + n, size - n, "%04X", cp);
	}
	snprintf(out + n, size - n, ">");
}

static char *long_text(const char *sentence, int times)
{
	size_t n = strlen(sentence);
	char *s = malloc(n * (size_t)times + 1);

	assert_non_null(s);
	for (int i = 0; i < times; i++)
		memcpy(s + n * (size_t)i, sentence, n);
	s[n * (size_t)times] = '\0';
	return s;
}

static vg_report *sample_report(void)
{
	static const char *const headers[] = {"序号", "规则名称", "告警数", "占比"};
	static const bool numeric[] = {false, false, true, true};
	static const double widths[] = {1, 4, 1.5, 1.5};
	static const vg_report_figure figures[] = {
	    {"告警总数", "12,345", "较上月 +12%"},
	    {"安全事件", "42", "较上月 -3"},
	    {"已处置", "40", NULL},
	    {"平均响应", "3小时12分", "目标 4小时"},
	    {"资产数", "1,024", NULL},
	};
	static const char *const days[] = {"周一", "周二", "周三", "周四", "周五"};
	static const double high[] = {12, 30, 18, 25, 9}, low[] = {40, 22, 35, 28, 50};
	static const char *const levels[] = {"高危", "中危", "低危"};
	static const double shares[] = {12, 30, 58};
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	char *para = long_text("本月平台共接收安全日志并完成关联分析，重点关注外部攻击与内部异常"
			       "行为，所有高危告警均在服务时限内完成研判与处置。",
			       30);
	vg_report_chart *c;

	assert_non_null(r);
	vg_report_cover(r, TITLE, CUSTOMER, "2026-11", "示例安全服务有限公司",
			"2026-12-01 08:00 (Asia/Shanghai)");
	vg_report_section_add(r, 1, "概述");
	vg_report_paragraph(r, para);
	vg_report_figures(r, figures, 5);
	vg_report_section_add(r, 2, "服务范围");
	vg_report_paragraph(r, "服务范围包括边界防火墙、主机与云上资产。");
	vg_report_notice(r, "终端数据尚未接入平台，本节暂无统计。");
	vg_report_section_add(r, 1, "告警分析");
	vg_report_paragraph(r, "下表列出本月触发告警的全部规则。");
	{
		vg_report_table *t = vg_report_table_add(r, 4, headers, numeric, widths);

		for (int i = 1; i <= TABLE_ROWS; i++) {
			char id[16], name[64], count[16], share[16];
			const char *cells[] = {id, name, count, share};

			snprintf(id, sizeof(id), "R-%03d", i);
			snprintf(name, sizeof(name), "可疑登录行为检测规则 %d", i);
			snprintf(count, sizeof(count), "%d", 1000 - i);
			snprintf(share, sizeof(share), "%d.%d%%", i % 10, i % 7);
			vg_report_table_row(r, t, cells);
		}
	}
	c = vg_report_chart_add(r, VG_CHART_BAR, "每日告警分布", 5, days);
	vg_report_chart_series(r, c, "高危", high);
	vg_report_chart_series(r, c, "低危", low);
	c = vg_report_chart_add(r, VG_CHART_DONUT, "告警级别占比", 3, levels);
	vg_report_chart_series(r, c, "告警", shares);
	vg_report_section_add(r, 1, "事件处置");
	vg_report_paragraph(r, para);
	vg_report_notice(r, "工单数据尚未接入平台。");
	free(para);
	assert_int_equal(vg_report_failed(r, NULL), VG_OK);
	return r;
}

/* Renders r into a new temporary file, named in path. */
static void render_file(const vg_report *r, char *path, size_t size)
{
	vg_buf out = VG_BUF_INIT(64u << 20);
	vg_error err = {0};
	int fd, rc = vg_report_pdf(r, &out, &err);

	if (rc)
		fail_msg("vg_report_pdf: %s", err.msg);
	assert_memory_equal(out.ptr, "%PDF-", 5);
	snprintf(path, size, "/tmp/vigil-pdf-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out.ptr, out.len), (ssize_t)out.len);
	assert_int_equal(close(fd), 0);
	vg_buf_release(&out);
}

/* A copy of the rendered sample for people to look at, when the tree has
 * a place for it. */
static void keep_artifact(const char *path)
{
	const char *src = getenv("VIGIL_SOURCE_DIR");
	char dir[1024], cmd[2200];
	struct stat st;

	if (!src)
		return;
	snprintf(dir, sizeof(dir), "%s/tests/artifacts", src);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/report-unit.pdf'", path, dir);
	assert_int_equal(system(cmd), 0);
}

static void cover_contents_and_pages(void **state)
{
	static const struct {
		const char *number, *title;
	} sections[] = {{"1", "概述"}, {"1.1", "服务范围"}, {"2", "告警分析"}, {"3", "事件处置"}};
	vg_report *r = sample_report();
	char path[64], line[1024], want[256];
	pdf_text t;
	size_t table_pages = 0;

	(void)state;
	render_file(r, path, sizeof(path));
	keep_artifact(path);
	text_read(path, &t);
	assert_true(t.n >= 7);

	/* The cover: title and customer, and neither header nor footer. */
	assert_true(has_line(t.page[0], TITLE));
	assert_true(has_line(t.page[0], CUSTOMER));
	assert_null(strstr(t.page[0], "页"));

	/* The contents list each section with the page its heading is on. */
	assert_true(has_line(t.page[1], "目录"));
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		char *end;
		long listed;
		size_t found = 0;

		snprintf(want, sizeof(want), "%s %s ", sections[i].number, sections[i].title);
		assert_non_null(line_starting(t.page[1], want, line, sizeof(line)));
		listed = strtol(line + strlen(want), &end, 10);
		assert_int_equal(*end, '\0');
		want[strlen(want) - 1] = '\0';
		for (size_t p = 2; p < t.n && !found; p++)
			if (has_line(t.page[p], want))
				found = p + 1;
		assert_int_equal(listed, found);
	}

	/* Every page but the cover: the running header and "第 N 页 / 共 M 页". */
	for (size_t p = 1; p < t.n; p++) {
		snprintf(want, sizeof(want), "第 %zu 页 / 共 %zu 页", p + 1, t.n);
		assert_true(has_footer(t.page[p], "2026-11", want));
		assert_true(has_line(t.page[p], TITLE " " CUSTOMER));
	}

	/* Each row once; the header row on every page the rows are on. */
	for (int i = 1; i <= TABLE_ROWS; i++) {
		size_t seen = 0;

		snprintf(want, sizeof(want), "R-%03d 可疑登录行为检测规则 %d %d ", i, i, 1000 - i);
		for (size_t p = 0; p < t.n; p++)
			seen += line_starting(t.page[p], want, line, sizeof(line)) != NULL;
		assert_int_equal(seen, 1);
	}
	for (size_t p = 0; p < t.n; p++) {
		if (!line_starting(t.page[p], "R-", line, sizeof(line)))
			continue;
		table_pages++;
		assert_true(has_line(t.page[p], TABLE_HEADER));
	}
	assert_true(table_pages >= 3);

	/* A chart is never split: each one's title and its last labels share
	 * a page. */
	for (size_t p = 0; p < t.n; p++) {
		if (has_line(t.page[p], "每日告警分布"))
			assert_non_null(line_starting(t.page[p], "周一 周二 周三 周四 周五", line,
						      sizeof(line)));
		if (has_line(t.page[p], "告警级别占比"))
			assert_non_null(strstr(t.page[p], "58.0%"));
	}
	assert_int_equal(text_count(&t, "每日告警分布"), 1);
	assert_int_equal(text_count(&t, "告警级别占比"), 1);

	/* A bookmark for every section, as "number  title". */
	{
		size_t len;
		char *raw = slurp(path, &len);

		for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
			snprintf(line, sizeof(line), "%s  %s", sections[i].number,
				 sections[i].title);
			outline_title(line, want, sizeof(want));
			assert_true(bytes_have(raw, len, want));
		}
		free(raw);
	}

	text_free(&t);
	unlink(path);
	vg_report_free(r);
}

static void fonts_are_embedded(void **state)
{
	vg_report *r = sample_report();
	char path[64], cmd[128], *out, *line, *save = NULL;
	int regular = 0, bold = 0;

	(void)state;
	render_file(r, path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "pdffonts '%s'", path);
	out = run(cmd);
	/* name type... emb sub uni object generation: emb is fifth from the end
	 * (the type has spaces in it). */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok[16], *tsave = NULL;
		size_t n = 0;

		if (!strstr(line, "NotoSansCJK"))
			continue;
		for (char *w = strtok_r(line, " ", &tsave); w && n < 16;
		     w = strtok_r(NULL, " ", &tsave))
			tok[n++] = w;
		assert_true(n >= 6);
		assert_string_equal(tok[n - 5], "yes");
		regular += strstr(tok[0], "Regular") != NULL;
		bold += strstr(tok[0], "Bold") != NULL;
	}
	assert_true(regular >= 1);
	assert_true(bold >= 1);
	free(out);
	unlink(path);
	vg_report_free(r);
}

static cairo_status_t png_append(void *closure, const unsigned char *data, unsigned int len)
{
	return vg_buf_append(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void english_with_logo(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 20);
	vg_buf png = VG_BUF_INIT(1u << 20);
	char path[64], cmd[128], *out, line[1024], want[64];
	pdf_text t;
	int page, width, height;

	(void)state;
	assert_int_equal(cairo_surface_write_to_png_stream(img, png_append, &png),
			 CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(img);
	vg_report_cover(r, "Monthly Report", "Example Ltd", "2026-11", "Example MSSP", "now");
	vg_report_logo(r, (const unsigned char *)png.ptr, png.len);
	vg_buf_release(&png);
	vg_report_section_add(r, 1, "Summary");
	{
		vg_buf para = VG_BUF_INIT(1u << 20);

		for (int i = 1; i <= SENTENCES; i++)
			assert_int_equal(vg_buf_printf(&para, "Sentence n%03d is here. ", i),
					 VG_OK);
		vg_report_paragraph(r, vg_buf_cstr(&para));
		vg_buf_release(&para);
	}
	render_file(r, path, sizeof(path));
	text_read(path, &t);
	assert_int_equal(t.n, 4);
	assert_non_null(line_starting(t.page[1], "Contents", line, sizeof(line)));
	assert_true(has_line(t.page[1], "1 Summary 3"));
	assert_true(has_line(t.page[2], "1 Summary"));
	/* The paragraph goes on over the next page line by line: every
	 * sentence once, the first on page 3 and the last on page 4. */
	for (int i = 1; i <= SENTENCES; i++) {
		snprintf(want, sizeof(want), "n%03d", i);
		assert_int_equal(text_count(&t, want), 1);
	}
	assert_non_null(strstr(t.page[2], "n001"));
	snprintf(want, sizeof(want), "n%03d", SENTENCES);
	assert_non_null(strstr(t.page[3], want));
	for (size_t p = 1; p < t.n; p++) {
		snprintf(want, sizeof(want), "%zu / %zu", p + 1, t.n);
		assert_true(has_footer(t.page[p], "2026-11", want));
	}
	text_free(&t);

	/* One image, the logo, on the cover at its own size in pixels. */
	snprintf(cmd, sizeof(cmd), "pdfimages -list '%s' | tail -n +3", path);
	out = run(cmd);
	assert_int_equal(sscanf(out, "%d %*d %*s %d %d", &page, &width, &height), 3);
	assert_int_equal(page, 1);
	assert_int_equal(width, 40);
	assert_int_equal(height, 20);
	assert_non_null(strstr(out, " image "));
	assert_string_equal(strchr(out, '\n'), "\n");
	free(out);
	unlink(path);
	vg_report_free(r);
}

/* Wherever the page ends, a heading stays with the first line after it. */
static void heading_keeps_with_next(void **state)
{
	(void)state;
	for (int lines = 38; lines <= 46; lines++) {
		vg_report *r = vg_report_new(VG_REPORT_EN);
		vg_buf filler = VG_BUF_INIT(1u << 16);
		char path[64], line[1024];
		pdf_text t;
		size_t found = 0;

		for (int i = 1; i <= lines; i++)
			assert_int_equal(vg_buf_printf(&filler, "Line %d.\n", i), VG_OK);
		vg_report_cover(r, "T", "C", "P", "I", "G");
		vg_report_section_add(r, 1, "One");
		vg_report_paragraph(r, vg_buf_cstr(&filler));
		vg_report_section_add(r, 2, "Two");
		vg_report_paragraph(r, "After the heading.");
		vg_buf_release(&filler);
		render_file(r, path, sizeof(path));
		text_read(path, &t);
		for (size_t p = 2; p < t.n; p++) {
			for (size_t i = 0; line_get(t.page[p], i, line, sizeof(line)); i++) {
				if (strcmp(line, "1.1 Two") != 0)
					continue;
				found = p + 1;
				while (line_get(t.page[p], ++i, line, sizeof(line)) && !*line)
					;
				assert_string_equal(line, "After the heading.");
				break;
			}
		}
		assert_true(found >= 3);
		text_free(&t);
		unlink(path);
		vg_report_free(r);
	}
}

/* A row taller than a page is cut at the page's foot, and what follows it
 * still comes out. */
static void oversized_row_is_cut(void **state)
{
	static const char *const headers[] = {"A"};
	vg_report *r = vg_report_new(VG_REPORT_EN);
	char *huge = long_text("word ", 8000), path[64];
	const char *cells[] = {huge};
	pdf_text t;
	vg_report_table *tab;

	(void)state;
	vg_report_cover(r, "T", "C", "P", "I", "G");
	vg_report_section_add(r, 1, "Big");
	tab = vg_report_table_add(r, 1, headers, NULL, NULL);
	vg_report_table_row(r, tab, cells);
	vg_report_table_row(r, tab, headers);
	vg_report_paragraph(r, "After the table.");
	free(huge);
	render_file(r, path, sizeof(path));
	text_read(path, &t);
	assert_int_equal(t.n, 4);
	assert_true(has_line(t.page[3], "After the table."));
	text_free(&t);
	unlink(path);
	vg_report_free(r);
}

static void bad_logo_is_refused(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	vg_buf out = VG_BUF_INIT(1u << 20);
	vg_error err = {0};

	(void)state;
	vg_report_cover(r, TITLE, CUSTOMER, "2026-11", "I", "G");
	vg_report_logo(r, (const unsigned char *)"GIF89a not a png", 16);
	assert_int_equal(vg_report_pdf(r, &out, &err), VG_EINVAL);
	assert_string_equal(err.msg, "logo: not a PNG image");
	assert_int_equal(out.len, 0);
	vg_report_free(r);
}

static void failed_model_is_refused(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	vg_buf out = VG_BUF_INIT(1u << 20);
	vg_error err = {0};

	(void)state;
	r->failed = true;
	assert_int_equal(vg_report_pdf(r, &out, &err), VG_ENOMEM);
	assert_string_equal(err.msg, "out of memory building the report");
	assert_int_equal(out.len, 0);
	vg_report_free(r);
}

/* A failure halfway through drawing leaves out as it was. */
static void chart_without_series_is_refused(void **state)
{
	static const char *const cats[] = {"a", "b"};
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	vg_buf out = VG_BUF_INIT(1u << 20);
	vg_error err = {0};

	(void)state;
	vg_report_cover(r, TITLE, CUSTOMER, "2026-11", "I", "G");
	vg_report_section_add(r, 1, "概述");
	vg_report_paragraph(r, "正文");
	vg_report_chart_add(r, VG_CHART_BAR, "空图", 2, cats);
	assert_int_equal(vg_buf_puts(&out, "kept"), VG_OK);
	assert_int_equal(vg_report_pdf(r, &out, &err), VG_EINVAL);
	assert_string_equal(err.msg, "chart \"空图\" has no series");
	assert_string_equal(vg_buf_cstr(&out), "kept");
	vg_buf_release(&out);
	vg_report_free(r);
}

static void output_limit_is_kept(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	vg_buf out = VG_BUF_INIT(4096);
	vg_error err = {0};

	(void)state;
	vg_report_cover(r, "T", "C", "P", "I", "G");
	vg_report_section_add(r, 1, "Summary");
	vg_report_paragraph(r, "All quiet.");
	assert_int_equal(vg_report_pdf(r, &out, &err), VG_ETOOBIG);
	assert_string_equal(err.msg, "PDF: larger than the output allows");
	assert_int_equal(out.len, 0);
	vg_report_free(r);
}

int main(void)
{
	const struct CMUnitTest errors[] = {
	    cmocka_unit_test(bad_logo_is_refused),
	    cmocka_unit_test(failed_model_is_refused),
	    cmocka_unit_test(chart_without_series_is_refused),
	    cmocka_unit_test(output_limit_is_kept),
	};
	const struct CMUnitTest read_back[] = {
	    cmocka_unit_test(cover_contents_and_pages), cmocka_unit_test(fonts_are_embedded),
	    cmocka_unit_test(english_with_logo),	cmocka_unit_test(oversized_row_is_cut),
	    cmocka_unit_test(heading_keeps_with_next),
	};
	int failed = cmocka_run_group_tests_name("errors", errors, NULL, NULL);

	/* Reading the PDF back needs poppler-utils (installed here and in CI). */
	if (system("command -v pdftotext pdffonts pdfimages >/dev/null 2>&1") == 0)
		failed += cmocka_run_group_tests_name("read back", read_back, NULL, NULL);
	else
		printf("SKIPPED: reading the PDF back needs pdftotext, pdffonts and pdfimages "
		       "(poppler-utils), which are not installed\n");
	/* Let go of the fonts pango and cairo keep for the process, so that the
	 * leak checker sees what the renderer left behind. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return failed;
}
