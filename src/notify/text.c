/* text.c - message text shared by the channel types (see internal.h). */
#include "notify/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, three bytes */

size_t vg__notify_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* Back off continuation bytes (10xxxxxx) to a character's start. */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

int vg__notify_put_fitted(vg_buf *out, const char *s, size_t max)
{
	size_t len = strlen(s), keep;

	if (len <= max)
		return vg_buf_append(out, s, len);
	if (max < sizeof(ELLIPSIS) - 1)
		return VG_OK;
	keep = vg__notify_cut(s, len, max - (sizeof(ELLIPSIS) - 1));
	if (vg_buf_append(out, s, keep))
		return VG_ENOMEM;
	return vg_buf_puts(out, ELLIPSIS);
}

int vg__notify_markdown(const vg_notify_message *m, vg_buf *out)
{
	return vg_buf_printf(out, "## %s\n\n%s", m->title, m->text ? m->text : "");
}

/* ---- inline Markdown: **bold**, `code`, [text](url) ---- */

typedef struct inline_style {
	const char *bold_open, *bold_close, *code_open, *code_close;
	int (*link)(vg_buf *out, const char *text, size_t tlen, const char *url, size_t ulen);
	int (*plain)(vg_buf *out, const char *s, size_t n);
} inline_style;

static int put_inline(const inline_style *st, const char *s, size_t n, vg_buf *out)
{
	size_t i = 0, run = 0;
	int rc = VG_OK;

	while (rc == VG_OK && i < n) {
		const char *close;

		if (s[i] == '*' && i + 1 < n && s[i + 1] == '*' &&
		    (close = memmem(s + i + 2, n - i - 2, "**", 2)) != NULL && close > s + i + 2) {
			rc = st->plain(out, s + run, i - run);
			if (!rc)
				rc = vg_buf_puts(out, st->bold_open);
			if (!rc)
				rc = put_inline(st, s + i + 2, (size_t)(close - s - i - 2), out);
			if (!rc)
				rc = vg_buf_puts(out, st->bold_close);
			i = run = (size_t)(close - s) + 2;
		} else if (s[i] == '`' && (close = memchr(s + i + 1, '`', n - i - 1)) != NULL) {
			rc = st->plain(out, s + run, i - run);
			if (!rc)
				rc = vg_buf_puts(out, st->code_open);
			if (!rc)
				rc = st->plain(out, s + i + 1, (size_t)(close - s - i - 1));
			if (!rc)
				rc = vg_buf_puts(out, st->code_close);
			i = run = (size_t)(close - s) + 1;
		} else if (s[i] == '[' && (close = memchr(s + i, ']', n - i)) != NULL &&
			   close + 1 < s + n && close[1] == '(' &&
			   memchr(close + 2, ')', (size_t)(s + n - close - 2))) {
			const char *url = close + 2, *end = memchr(url, ')', (size_t)(s + n - url));

			rc = st->plain(out, s + run, i - run);
			if (!rc)
				rc = st->link(out, s + i + 1, (size_t)(close - s - i - 1), url,
					      (size_t)(end - url));
			i = run = (size_t)(end - s) + 1;
		} else {
			i++;
		}
	}
	if (!rc)
		rc = st->plain(out, s + run, n - run);
	return rc;
}

/* ---- Slack mrkdwn ---- */

static int mrkdwn_plain(vg_buf *out, const char *s, size_t n)
{
	int rc = VG_OK;

	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		if (s[i] == '&')
			rc = vg_buf_puts(out, "&amp;");
		else if (s[i] == '<')
			rc = vg_buf_puts(out, "&lt;");
		else if (s[i] == '>')
			rc = vg_buf_puts(out, "&gt;");
		else
			rc = vg_buf_append(out, &s[i], 1);
	}
	return rc;
}

static int mrkdwn_link(vg_buf *out, const char *text, size_t tlen, const char *url, size_t ulen)
{
	int rc = vg_buf_puts(out, "<");

	if (!rc)
		rc = mrkdwn_plain(out, url, ulen);
	if (!rc)
		rc = vg_buf_puts(out, "|");
	if (!rc)
		rc = mrkdwn_plain(out, text, tlen);
	if (!rc)
		rc = vg_buf_puts(out, ">");
	return rc;
}

static const inline_style mrkdwn = { "*", "*", "`", "`", mrkdwn_link, mrkdwn_plain };

/* Calls line(start, len, arg) for each line of text. */
static int each_line(const char *text, int (*line)(const char *s, size_t n, void *arg), void *arg)
{
	const char *p = text ? text : "";
	int rc = VG_OK;

	while (rc == VG_OK) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		rc = line(p, n, arg);
		if (!nl)
			break;
		p = nl + 1;
	}
	return rc;
}

typedef struct line_state {
	vg_buf *out;
	bool first;
	bool in_list;
	bool in_para;
} line_state;

static int mrkdwn_line(const char *s, size_t n, void *arg)
{
	line_state *ls = arg;
	int rc = ls->first ? VG_OK : vg_buf_puts(ls->out, "\n");

	ls->first = false;
	if (rc)
		return rc;
	if (n >= 2 && s[0] == '#') {
		size_t skip = 0;

		while (skip < n && s[skip] == '#')
			skip++;
		while (skip < n && s[skip] == ' ')
			skip++;
		rc = vg_buf_puts(ls->out, "*");
		if (!rc)
			rc = put_inline(&mrkdwn, s + skip, n - skip, ls->out);
		return rc ? rc : vg_buf_puts(ls->out, "*");
	}
	if (n >= 2 && s[0] == '-' && s[1] == ' ') {
		rc = vg_buf_puts(ls->out, "\xe2\x80\xa2 "); /* a bullet */
		return rc ? rc : put_inline(&mrkdwn, s + 2, n - 2, ls->out);
	}
	return put_inline(&mrkdwn, s, n, ls->out);
}

int vg__notify_to_mrkdwn(const char *text, vg_buf *out)
{
	line_state ls = { .out = out, .first = true };

	return each_line(text, mrkdwn_line, &ls);
}

/* ---- HTML ---- */

int vg__notify_html_escape(vg_buf *out, const char *s, size_t n)
{
	int rc = VG_OK;

	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		switch (s[i]) {
		case '&': rc = vg_buf_puts(out, "&amp;"); break;
		case '<': rc = vg_buf_puts(out, "&lt;"); break;
		case '>': rc = vg_buf_puts(out, "&gt;"); break;
		case '"': rc = vg_buf_puts(out, "&quot;"); break;
		default: rc = vg_buf_append(out, &s[i], 1);
		}
	}
	return rc;
}

static int html_link(vg_buf *out, const char *text, size_t tlen, const char *url, size_t ulen)
{
	/* Only web links become anchors: a javascript: or data: URL stays text. */
	bool web = (ulen > 7 && strncmp(url, "http://", 7) == 0) ||
		   (ulen > 8 && strncmp(url, "https://", 8) == 0);
	int rc = web ? vg_buf_puts(out, "<a href=\"") : VG_OK;

	if (!rc && web)
		rc = vg__notify_html_escape(out, url, ulen);
	if (!rc && web)
		rc = vg_buf_puts(out, "\">");
	if (!rc)
		rc = vg__notify_html_escape(out, text, tlen);
	if (!rc && web)
		rc = vg_buf_puts(out, "</a>");
	return rc;
}

static const inline_style html = { "<strong>", "</strong>", "<code>", "</code>", html_link,
				   vg__notify_html_escape };

static int html_close_blocks(line_state *ls)
{
	int rc = VG_OK;

	if (ls->in_list)
		rc = vg_buf_puts(ls->out, "</ul>\n");
	if (!rc && ls->in_para)
		rc = vg_buf_puts(ls->out, "</p>\n");
	ls->in_list = ls->in_para = false;
	return rc;
}

static int html_line(const char *s, size_t n, void *arg)
{
	line_state *ls = arg;
	int rc = VG_OK;

	if (n >= 2 && s[0] == '#') {
		size_t level = 0, skip;

		while (level < n && s[level] == '#')
			level++;
		for (skip = level; skip < n && s[skip] == ' '; skip++)
			;
		level = level > 2 ? 3 : level + 1; /* # is h2 under the email's title */
		rc = html_close_blocks(ls);
		if (!rc)
			rc = vg_buf_printf(ls->out, "<h%zu>", level);
		if (!rc)
			rc = put_inline(&html, s + skip, n - skip, ls->out);
		return rc ? rc : vg_buf_printf(ls->out, "</h%zu>\n", level);
	}
	if (n >= 2 && s[0] == '-' && s[1] == ' ') {
		if (ls->in_para)
			rc = html_close_blocks(ls);
		if (!rc && !ls->in_list)
			rc = vg_buf_puts(ls->out, "<ul>\n");
		ls->in_list = true;
		if (!rc)
			rc = vg_buf_puts(ls->out, "<li>");
		if (!rc)
			rc = put_inline(&html, s + 2, n - 2, ls->out);
		return rc ? rc : vg_buf_puts(ls->out, "</li>\n");
	}
	if (n == 0)
		return html_close_blocks(ls);
	if (ls->in_list)
		rc = html_close_blocks(ls);
	if (!rc)
		rc = vg_buf_puts(ls->out, ls->in_para ? "<br>\n" : "<p>");
	ls->in_para = true;
	return rc ? rc : put_inline(&html, s, n, ls->out);
}

int vg__notify_to_html(const char *text, vg_buf *out)
{
	line_state ls = { .out = out, .first = true };
	int rc = each_line(text, html_line, &ls);

	return rc ? rc : html_close_blocks(&ls);
}

/* ---- requests ---- */

void vg__notify_judge_http(const vg_http_answer *answer, vg_notify_result *res)
{
	long s = answer->status;

	res->delivered = s >= 200 && s < 300;
	res->retry = !res->delivered && (s == 408 || s == 429 || s >= 500);
	res->retry_after_s = answer->retry_after_s;
}

void vg__notify_judge_errcode(const vg_http_answer *answer, vg_notify_result *res, char *why,
			  size_t why_size, long rate_limited, long wait_s)
{
	json_t *o = json_loadb(answer->body.ptr ? answer->body.ptr : "", answer->body.len, 0, NULL);
	json_t *code = json_object_get(o, "errcode");

	vg__notify_judge_http(answer, res);
	if (res->delivered && !json_is_integer(code)) {
		res->delivered = false;
		res->retry = true;
		snprintf(why, why_size, "HTTP %ld but no errcode in the answer", answer->status);
	} else if (json_is_integer(code) && json_integer_value(code) != 0) {
		res->vendor_code = (long)json_integer_value(code);
		res->delivered = false;
		res->retry = res->vendor_code == rate_limited;
		if (res->retry)
			res->retry_after_s = wait_s;
		snprintf(why, why_size, "errcode %ld: %s", res->vendor_code,
			 json_is_string(json_object_get(o, "errmsg"))
				 ? json_string_value(json_object_get(o, "errmsg"))
				 : "(no errmsg)");
	} else if (!res->delivered) {
		snprintf(why, why_size, "HTTP %ld", answer->status);
	}
	json_decref(o);
}

void vg__notify_header(vg__notify_request *req, const char *fmt, ...)
{
	va_list ap;

	if (req->nheaders == sizeof(req->headers) / sizeof(req->headers[0]))
		abort(); /* the channel types add a fixed few */
	va_start(ap, fmt);
	vsnprintf(req->headers[req->nheaders++], sizeof(req->headers[0]), fmt, ap);
	va_end(ap);
}

/* The body with text cut to keep bytes; its length, or 0 when out of
 * memory. */
static size_t body_for(vg__notify_request *req, const char *text, size_t keep,
		       vg__notify_json_fn make, void *arg)
{
	vg_buf piece = VG_BUF_INIT(SIZE_MAX);
	json_t *o;
	char *body;

	if (vg__notify_put_fitted(&piece, text, keep))
		return 0;
	o = make(vg_buf_cstr(&piece), arg);
	vg_buf_release(&piece);
	body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!body)
		return 0;
	vg_buf_reset(&req->body);
	if (vg_buf_puts(&req->body, body))
		vg_buf_release(&req->body);
	free(body);
	return req->body.len;
}

int vg__notify_fit_json(vg__notify_request *req, const char *text, size_t max,
			vg__notify_json_fn make, void *arg, vg_error *err)
{
	size_t lo = 0, hi, len;

	text = text ? text : "";
	hi = strlen(text);
	len = body_for(req, text, hi, make, arg);
	if (len == 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory building a message");
	if (len <= max)
		return VG_OK;
	/* Escaping makes the body's growth with the text uneven: search for
	 * the longest cut that fits. */
	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;

		len = body_for(req, text, mid, make, arg);
		if (len == 0)
			return vg_error_set(err, VG_ENOMEM, "out of memory building a message");
		if (len <= max)
			lo = mid;
		else
			hi = mid;
	}
	len = body_for(req, text, lo, make, arg);
	if (len == 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory building a message");
	if (len > max)
		return vg_error_set(err, VG_ETOOBIG,
				    "the message is larger than the %zu bytes the channel takes", max);
	return VG_OK;
}
