/*
 * model.h - a report as a document model, built from store queries and
 * rendered by html.c and pdf.c.
 *
 * A report is a cover (title, customer, period, optional logo), then
 * sections in order, each a list of blocks: paragraphs, headline figures,
 * tables, charts and "not collected" notes. The renderers draw the model
 * as it is; they compute nothing, so the same model gives the same numbers
 * in every format.
 *
 * Everything a report holds lives in its own arena: builders copy the
 * strings and numbers they are given, and vg_report_free releases them all.
 * Text is copied as valid UTF-8 without control characters whatever it was
 * (a title from a vendor's alert, a mail's subject): a byte that is not
 * UTF-8 becomes U+FFFD, a control character but tab and line feed a space,
 * so neither renderer meets text it cannot draw.
 * Building does not fail call by call: an allocation that fails marks the
 * report, later calls do nothing, and vg_report_failed (which the
 * renderers check) says so once at the end, the way vg_buf does.
 */
#ifndef VG_REPORT_MODEL_H
#define VG_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum vg_report_lang { VG_REPORT_ZH, VG_REPORT_EN } vg_report_lang;

/* The text in the report's language: VG_TR(r->lang, "目录", "Contents"). */
#define VG_TR(lang, zh, en) ((lang) == VG_REPORT_EN ? (en) : (zh))

/* "zh-CN" or "en" into *out; VG_EINVAL naming the value otherwise. */
int vg_report_lang_parse(const char *s, vg_report_lang *out, vg_error *err);
const char *vg_report_lang_name(vg_report_lang lang);

typedef enum vg_report_block_kind {
	VG_BLOCK_PARAGRAPH, /* a paragraph of text */
	VG_BLOCK_FIGURES,   /* headline figures, a row of big numbers */
	VG_BLOCK_TABLE,
	VG_BLOCK_CHART,
	VG_BLOCK_NOTICE, /* "not collected by the platform yet": said plainly */
} vg_report_block_kind;

typedef struct vg_report_figure {
	const char *label; /* "告警总数" */
	const char *value; /* "12,345" (formatted by the builder) */
	const char *note;  /* "较上月 +12%"; NULL: none */
} vg_report_figure;

typedef struct vg_report_table {
	size_t ncols, nrows;
	const char **headers; /* ncols */
	bool *numeric;	      /* ncols: right-aligned */
	double *widths;	      /* ncols: relative column widths (builder's hint, >0) */
	const char **cells;   /* nrows * ncols, row by row; "" for empty */
	size_t cap;	      /* rows allocated */
} vg_report_table;

typedef enum vg_report_chart_kind {
	VG_CHART_BAR,	      /* one bar per category per series, side by side */
	VG_CHART_STACKED_BAR, /* series stacked in one bar per category */
	VG_CHART_LINE,	      /* one line per series over the categories */
	VG_CHART_DONUT,	      /* the first series' values as shares of a ring */
	VG_CHART_CALENDAR,    /* a month's days as a heat map, series 0 the values */
} vg_report_chart_kind;

typedef struct vg_report_series {
	const char *name;
	double *values; /* the chart's ncat values */
} vg_report_series;

typedef struct vg_report_chart {
	vg_report_chart_kind kind;
	const char *title;
	size_t ncat;
	const char **categories; /* ncat labels ("1", "2", ... for a calendar) */
	size_t nseries, cap;
	vg_report_series *series;
	/* The colours (0xRRGGBB) of the series in order, or of the categories
	 * for a donut; past ncolors (or with none) the renderers' palette. */
	uint32_t *colors;
	size_t ncolors;
	/* Calendar only: the month drawn (ncat is its number of days) and the
	 * weekday of its first day, 0 Monday .. 6 Sunday. */
	int year, month, first_weekday;
} vg_report_chart;

typedef struct vg_report_block {
	vg_report_block_kind kind;
	struct vg_report_block *next;
	const char *text;	   /* PARAGRAPH, NOTICE */
	vg_report_figure *figures; /* FIGURES */
	size_t nfigures;
	vg_report_table *table; /* TABLE */
	vg_report_chart *chart; /* CHART */
} vg_report_block;

typedef struct vg_report_section {
	const char *title;
	int level;	    /* 1: a chapter (numbered, in the contents), 2: within one */
	const char *number; /* "1", "1.2": given by vg_report_section */
	vg_report_block *first, *last;
	struct vg_report_section *next;
} vg_report_section;

typedef struct vg_report {
	vg_report_lang lang;
	const char *title;	   /* "MSS月度分析报告" */
	const char *customer;	   /* the tenant's name */
	const char *period;	   /* "2026-11", or the incident's reference */
	const char *issuer;	   /* who delivers it: the MSSP (cover, footer) */
	const char *generated;	   /* "2026-12-01 08:00 (Asia/Shanghai)" */
	const unsigned char *logo; /* PNG bytes, or NULL */
	size_t logo_len;
	vg_report_section *first, *last;
	struct vg_report_arena *arena;
	bool failed;
} vg_report;

/* A new empty report in lang (NULL when out of memory). */
vg_report *vg_report_new(vg_report_lang lang);
void vg_report_free(vg_report *r);

/* VG_ENOMEM with a message when building ran out of memory. */
int vg_report_failed(const vg_report *r, vg_error *err);

/* A copy of s in the report's arena ("" for NULL; NULL only when failed). */
const char *vg_report_strdup(vg_report *r, const char *s);
/* printf into the report's arena. */
const char *vg_report_printf(vg_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* n with thousands separators: "1,234,567". */
const char *vg_report_int(vg_report *r, int64_t n);
/* share (0..1) as a percentage with one decimal: "97.5%"; "—" when the
 * share is undefined (NaN: nothing to divide). */
const char *vg_report_percent(vg_report *r, double share);
/* seconds as a duration: "3h 12m", "45m", "2d 4h"; in Chinese "3小时12分". */
const char *vg_report_duration(vg_report *r, int64_t seconds);

/* Sets the cover; the strings are copied, the logo too. */
void vg_report_cover(vg_report *r, const char *title, const char *customer, const char *period,
		     const char *issuer, const char *generated);
void vg_report_logo(vg_report *r, const unsigned char *png, size_t len);

/* Starts a section at level 1 (numbered 1, 2, ...) or 2 (1.1, 1.2, ...);
 * the blocks added after it belong to it. */
vg_report_section *vg_report_section_add(vg_report *r, int level, const char *title);

void vg_report_paragraph(vg_report *r, const char *text);
void vg_report_notice(vg_report *r, const char *text);
/* n figures, copied. */
void vg_report_figures(vg_report *r, const vg_report_figure *figures, size_t n);

/* A table of ncols columns with these headers; numeric[i] right-aligns a
 * column (NULL: none), widths[i] its relative width (NULL: equal). */
vg_report_table *vg_report_table_add(vg_report *r, size_t ncols, const char *const *headers,
				     const bool *numeric, const double *widths);
/* Appends a row of the table's ncols cells (NULL cells are ""). */
void vg_report_table_row(vg_report *r, vg_report_table *t, const char *const *cells);

/* A chart over ncat categories; then add series. */
vg_report_chart *vg_report_chart_add(vg_report *r, vg_report_chart_kind kind, const char *title,
				     size_t ncat, const char *const *categories);
void vg_report_chart_series(vg_report *r, vg_report_chart *c, const char *name,
			    const double *values);
/* Colours chart c's series (a donut's categories) with n 0xRRGGBB values,
 * copied: colours that mean something, such as severities'. */
void vg_report_chart_colors(vg_report *r, vg_report_chart *c, const uint32_t *rgb, size_t n);

/* A calendar heat map of month (1..12) of year, values[d] for day d+1. */
vg_report_chart *vg_report_calendar_add(vg_report *r, const char *title, const char *series_name,
					int year, int month, const double *values);

/* The number of days of month in year. */
int vg_report_days_in_month(int year, int month);

#endif
