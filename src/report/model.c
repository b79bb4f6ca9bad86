/*
 * model.c - the report model's arena and builders (model.h).
 */
#include "report/model.h"

#include "core/utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64u * 1024u)

/* Chunks of memory handed out in order and freed together. */
typedef struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
} chunk;

struct vg_report_arena {
	chunk *head;
};

static void *arena_alloc(vg_report *r, size_t n)
{
	chunk *c;
	size_t at;

	if (r->failed)
		return NULL;
	n = (n + _Alignof(max_align_t) - 1) & ~(size_t)(_Alignof(max_align_t) - 1);
	c = r->arena->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c) {
			r->failed = true;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = r->arena->head;
		r->arena->head = c;
	}
	at = c->used;
	c->used += n;
	memset(c->data + at, 0, n);
	return c->data + at;
}

static void *arena_dup(vg_report *r, const void *p, size_t n)
{
	void *q = arena_alloc(r, n ? n : 1);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

int vg_report_lang_parse(const char *s, vg_report_lang *out, vg_error *err)
{
	if (s && (strcmp(s, "zh-CN") == 0 || strcmp(s, "zh") == 0))
		*out = VG_REPORT_ZH;
	else if (s && strcmp(s, "en") == 0)
		*out = VG_REPORT_EN;
	else
		return vg_error_set(err, VG_EINVAL, "language \"%s\" is not zh-CN or en",
				    s ? s : "");
	return VG_OK;
}

const char *vg_report_lang_name(vg_report_lang lang)
{
	return lang == VG_REPORT_EN ? "en" : "zh-CN";
}

vg_report *vg_report_new(vg_report_lang lang)
{
	vg_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->arena = calloc(1, sizeof(*r->arena));
	if (!r->arena) {
		free(r);
		return NULL;
	}
	r->lang = lang;
	r->title = r->customer = r->period = r->issuer = r->generated = "";
	return r;
}

void vg_report_free(vg_report *r)
{
	chunk *c, *next;

	if (!r)
		return;
	for (c = r->arena->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(r->arena);
	free(r);
}

int vg_report_failed(const vg_report *r, vg_error *err)
{
	if (r->failed)
		return vg_error_set(err, VG_ENOMEM, "out of memory building the report");
	return VG_OK;
}

/* Whether c, a byte below 0x80, is a control character the model leaves
 * out. */
static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* Whether the n bytes at s are model text as they are. */
static bool text_clean(const char *s, size_t n)
{
	bool clean = vg_utf8_invalid_at(s, n, false) == n;

	for (size_t i = 0; clean && i < n; i++)
		clean = !is_control((unsigned char)s[i]);
	return clean;
}

/* The n bytes at s as model text (model.h): copied as they are when they
 * are clean, the common case; else repaired byte by byte. */
static const char *arena_text(vg_report *r, const char *s, size_t n)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	const unsigned char *u = (const unsigned char *)s;
	size_t i, o = 0, len;
	char *out;

	if (text_clean(s, n))
		return arena_dup(r, s, n + 1);
	/* At most three bytes (U+FFFD) for each one. */
	out = arena_alloc(r, n * 3 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i += len) {
		len = u[i] < 0x80 ? 1 : vg_utf8_seq_len(u + i, n - i);
		if (len == 0) {
			memcpy(out + o, replacement, 3);
			o += 3;
			len = 1;
		} else if (len == 1) {
			out[o++] = is_control(u[i]) ? ' ' : (char)u[i];
		} else {
			memcpy(out + o, s + i, len);
			o += len;
		}
	}
	out[o] = '\0';
	return out;
}

const char *vg_report_strdup(vg_report *r, const char *s)
{
	if (!s)
		s = "";
	return arena_text(r, s, strlen(s));
}

const char *vg_report_printf(vg_report *r, const char *fmt, ...)
{
	va_list ap;
	char small[256], *out;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		r->failed = true;
		return NULL;
	}
	if ((size_t)n < sizeof(small))
		return arena_text(r, small, (size_t)n);
	out = arena_alloc(r, (size_t)n + 1);
	if (!out)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* The arguments are text too: a copy only when they need repair. */
	return text_clean(out, (size_t)n) ? out : arena_text(r, out, (size_t)n);
}

const char *vg_report_int(vg_report *r, int64_t n)
{
	char digits[32], out[48];
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	size_t len, i, o = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, u);
	len = strlen(digits);
	if (n < 0)
		out[o++] = '-';
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return vg_report_strdup(r, out);
}

const char *vg_report_percent(vg_report *r, double share)
{
	if (isnan(share))
		return vg_report_strdup(r, "—");
	return vg_report_printf(r, "%.1f%%", share * 100.0);
}

const char *vg_report_duration(vg_report *r, int64_t seconds)
{
	int64_t m = (seconds < 0 ? 0 : seconds + 30) / 60, d = m / 1440, h = m / 60 % 24;
	bool zh = r->lang == VG_REPORT_ZH;

	m %= 60;
	if (d)
		return zh ? vg_report_printf(r, "%" PRId64 "天%" PRId64 "小时", d, h)
			  : vg_report_printf(r, "%" PRId64 "d %" PRId64 "h", d, h);
	if (h)
		return zh ? vg_report_printf(r, "%" PRId64 "小时%" PRId64 "分", h, m)
			  : vg_report_printf(r, "%" PRId64 "h %" PRId64 "m", h, m);
	return zh ? vg_report_printf(r, "%" PRId64 "分钟", m)
		  : vg_report_printf(r, "%" PRId64 "m", m);
}

void vg_report_cover(vg_report *r, const char *title, const char *customer, const char *period,
		     const char *issuer, const char *generated)
{
	r->title = vg_report_strdup(r, title);
	r->customer = vg_report_strdup(r, customer);
	r->period = vg_report_strdup(r, period);
	r->issuer = vg_report_strdup(r, issuer);
	r->generated = vg_report_strdup(r, generated);
}

void vg_report_logo(vg_report *r, const unsigned char *png, size_t len)
{
	r->logo = png && len ? arena_dup(r, png, len) : NULL;
	r->logo_len = r->logo ? len : 0;
}

vg_report_section *vg_report_section_add(vg_report *r, int level, const char *title)
{
	vg_report_section *s = arena_alloc(r, sizeof(*s)), *p;
	int chapter = 0, sub = 0;

	if (!s)
		return NULL;
	for (p = r->first; p; p = p->next) {
		if (p->level == 1) {
			chapter++;
			sub = 0;
		} else {
			sub++;
		}
	}
	s->level = level == 1 ? 1 : 2;
	s->title = vg_report_strdup(r, title);
	s->number = s->level == 1 ? vg_report_printf(r, "%d", chapter + 1)
				  : vg_report_printf(r, "%d.%d", chapter, sub + 1);
	if (r->last)
		r->last->next = s;
	else
		r->first = s;
	r->last = s;
	return s;
}

/* A new block at the end of the current section (one is opened, untitled,
 * when there is none yet). */
static vg_report_block *block_add(vg_report *r, vg_report_block_kind kind)
{
	vg_report_block *b;
	vg_report_section *s = r->last;

	if (!s && !(s = vg_report_section_add(r, 1, "")))
		return NULL;
	b = arena_alloc(r, sizeof(*b));
	if (!b)
		return NULL;
	b->kind = kind;
	if (s->last)
		s->last->next = b;
	else
		s->first = b;
	s->last = b;
	return b;
}

void vg_report_paragraph(vg_report *r, const char *text)
{
	vg_report_block *b = block_add(r, VG_BLOCK_PARAGRAPH);

	if (b)
		b->text = vg_report_strdup(r, text);
}

void vg_report_notice(vg_report *r, const char *text)
{
	vg_report_block *b = block_add(r, VG_BLOCK_NOTICE);

	if (b)
		b->text = vg_report_strdup(r, text);
}

void vg_report_figures(vg_report *r, const vg_report_figure *figures, size_t n)
{
	vg_report_block *b = block_add(r, VG_BLOCK_FIGURES);
	size_t i;

	if (!b || !(b->figures = arena_alloc(r, n * sizeof(*b->figures) + 1)))
		return;
	b->nfigures = n;
	for (i = 0; i < n; i++) {
		b->figures[i].label = vg_report_strdup(r, figures[i].label);
		b->figures[i].value = vg_report_strdup(r, figures[i].value);
		b->figures[i].note = figures[i].note ? vg_report_strdup(r, figures[i].note) : NULL;
	}
}

vg_report_table *vg_report_table_add(vg_report *r, size_t ncols, const char *const *headers,
				     const bool *numeric, const double *widths)
{
	vg_report_block *b = block_add(r, VG_BLOCK_TABLE);
	vg_report_table *t;
	size_t i;

	if (!b || !(t = arena_alloc(r, sizeof(*t))))
		return NULL;
	t->ncols = ncols;
	t->headers = arena_alloc(r, ncols * sizeof(*t->headers) + 1);
	t->numeric = arena_alloc(r, ncols * sizeof(*t->numeric) + 1);
	t->widths = arena_alloc(r, ncols * sizeof(*t->widths) + 1);
	if (!t->headers || !t->numeric || !t->widths)
		return NULL;
	for (i = 0; i < ncols; i++) {
		t->headers[i] = vg_report_strdup(r, headers[i]);
		t->numeric[i] = numeric ? numeric[i] : false;
		t->widths[i] = widths && widths[i] > 0 ? widths[i] : 1.0;
	}
	b->table = t;
	return t;
}

void vg_report_table_row(vg_report *r, vg_report_table *t, const char *const *cells)
{
	size_t i;

	if (!t || r->failed)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		const char **grown = arena_alloc(r, cap * t->ncols * sizeof(*grown));

		if (!grown)
			return;
		if (t->nrows)
			memcpy(grown, t->cells, t->nrows * t->ncols * sizeof(*grown));
		t->cells = grown;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = vg_report_strdup(r, cells[i]);
	if (!r->failed)
		t->nrows++;
}

vg_report_chart *vg_report_chart_add(vg_report *r, vg_report_chart_kind kind, const char *title,
				     size_t ncat, const char *const *categories)
{
	vg_report_block *b = block_add(r, VG_BLOCK_CHART);
	vg_report_chart *c;
	size_t i;

	if (!b || !(c = arena_alloc(r, sizeof(*c))))
		return NULL;
	c->kind = kind;
	c->title = vg_report_strdup(r, title);
	c->ncat = ncat;
	c->categories = arena_alloc(r, ncat * sizeof(*c->categories) + 1);
	if (!c->categories)
		return NULL;
	for (i = 0; i < ncat; i++)
		c->categories[i] = vg_report_strdup(r, categories[i]);
	b->chart = c;
	return c;
}

void vg_report_chart_series(vg_report *r, vg_report_chart *c, const char *name,
			    const double *values)
{
	vg_report_series *s;

	if (!c || r->failed)
		return;
	if (c->nseries == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		vg_report_series *grown = arena_alloc(r, cap * sizeof(*grown));

		if (!grown)
			return;
		if (c->nseries)
			memcpy(grown, c->series, c->nseries * sizeof(*grown));
		c->series = grown;
		c->cap = cap;
	}
	s = &c->series[c->nseries];
	s->name = vg_report_strdup(r, name);
	s->values = arena_dup(r, values, c->ncat * sizeof(*values));
	if (!r->failed)
		c->nseries++;
}

void vg_report_chart_colors(vg_report *r, vg_report_chart *c, const uint32_t *rgb, size_t n)
{
	if (!c || r->failed)
		return;
	c->colors = arena_dup(r, rgb, n * sizeof(*rgb));
	c->ncolors = c->colors ? n : 0;
}

int vg_report_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && leap);
}

vg_report_chart *vg_report_calendar_add(vg_report *r, const char *title, const char *series_name,
					int year, int month, const double *values)
{
	int ndays = vg_report_days_in_month(year, month), d;
	const char *labels[31];
	vg_report_chart *c;
	/* Sakamoto's method: the weekday of the 1st, 0 Sunday. */
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	int y = month < 3 ? year - 1 : year, sunday_first;

	if (ndays == 0)
		return NULL;
	for (d = 0; d < ndays; d++)
		labels[d] = vg_report_printf(r, "%d", d + 1);
	c = vg_report_chart_add(r, VG_CHART_CALENDAR, title, (size_t)ndays, labels);
	if (!c)
		return NULL;
	sunday_first = (y + y / 4 - y / 100 + y / 400 + t[month - 1] + 1) % 7;
	c->year = year;
	c->month = month;
	c->first_weekday = (sunday_first + 6) % 7;
	vg_report_chart_series(r, c, series_name, values);
	return c;
}
