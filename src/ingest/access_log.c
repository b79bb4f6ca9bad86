/*
 * access_log.c - one line of the NCSA common or combined log format
 * (Apache's and nginx's default access logs) as a JSON event with the W3C
 * field names of Sigma's webserver taxonomy:
 *
 *   83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /a?b=1 HTTP/1.1" 200 203
 *       "http://ref/" "Mozilla/5.0 ..."
 *   {"timestamp": "2015-05-17T10:05:03.000Z", "c-ip": "83.149.9.216",
 *    "cs-method": "GET", "cs-uri": "/a?b=1", "cs-uri-stem": "/a",
 *    "cs-uri-query": "b=1", "cs-version": "HTTP/1.1", "sc-status": 200,
 *    "sc-bytes": 203, "cs-referer": "http://ref/",
 *    "cs-user-agent": "Mozilla/5.0 ...", "message": "<the line>"}
 *
 * The line itself is kept as "message": the archive holds what the server
 * wrote, and keyword rules search it. A request that is not "METHOD TARGET
 * VERSION" (scanners send anything) is kept as cs-uri alone. In the quoted
 * fields the server's \" and \\ stand for " and \ (its \xhh escapes of
 * other bytes stay as written); "-" is the format's "none" and leaves the
 * member out. A line cut short inside its user agent (the last field) keeps
 * what there is of it.
 */
#include "ingest/line_parser.h"

#include <string.h>

#include "core/digits.h"
#include "core/json.h"
#include "core/time.h"
#include "core/utf8.h"

typedef struct access {
	int64_t time_ms;
	vg_str ip, user, request, status, bytes, referer, agent;
	bool has_referer;
} access;

static int refuse(vg_reject *rej, const char *msg)
{
	rej->reason = VG_REJECT_UNPARSABLE;
	snprintf(rej->msg, sizeof(rej->msg), "not an access log line: %s", msg);
	return VG_EINVAL;
}

static bool take_token(const char **p, const char *end, vg_str *out)
{
	const char *s = *p;

	while (*p < end && **p != ' ')
		(*p)++;
	if (*p == s)
		return false;
	*out = (vg_str){ s, (size_t)(*p - s) };
	while (*p < end && **p == ' ')
		(*p)++;
	return true;
}

/* A double-quoted field; a backslash escapes the next byte. With to_end, a
 * field the line ends in without its closing quote runs to the end. */
static bool take_quoted(const char **p, const char *end, vg_str *out, bool to_end)
{
	const char *s;

	if (*p >= end || **p != '"')
		return false;
	s = ++*p;
	while (*p < end && **p != '"') {
		if (**p == '\\' && *p + 1 < end)
			(*p)++;
		(*p)++;
	}
	if (*p >= end && !to_end)
		return false;
	*out = (vg_str){ s, (size_t)(*p - s) };
	if (*p < end)
		(*p)++;
	while (*p < end && **p == ' ')
		(*p)++;
	return true;
}

/* [17/May/2015:10:05:03 +0000] */
static bool take_time(const char **p, const char *end, int64_t *ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *s = *p;
	int d, mon, y, h, mi, sec, oh, om;

	if (end - s < 28 || s[0] != '[' || s[3] != '/' || s[7] != '/' || s[12] != ':' ||
	    s[15] != ':' || s[18] != ':' || s[21] != ' ' || (s[22] != '+' && s[22] != '-') ||
	    s[27] != ']')
		return false;
	for (mon = 0; mon < 12; mon++)
		if (memcmp(s + 4, months + 3 * mon, 3) == 0)
			break;
	if (mon == 12 || !vg_digits_int(s + 1, 2, &d) || !vg_digits_int(s + 8, 4, &y) ||
	    !vg_digits_int(s + 13, 2, &h) || !vg_digits_int(s + 16, 2, &mi) || !vg_digits_int(s + 19, 2, &sec) ||
	    !vg_digits_int(s + 23, 2, &oh) || !vg_digits_int(s + 25, 2, &om) || oh > 23 || om > 59 ||
	    vg_time_from_civil(y, mon + 1, d, h, mi, sec, 0, ms))
		return false;
	*ms -= (s[22] == '-' ? -1 : 1) * (int64_t)(oh * 60 + om) * 60000;
	*p = s + 28;
	while (*p < end && **p == ' ')
		(*p)++;
	return true;
}

static int put_key(vg_buf *out, const char *key)
{
	int rc = vg_buf_puts(out, ",\"");

	if (rc == VG_OK)
		rc = vg_buf_puts(out, key);
	if (rc == VG_OK)
		rc = vg_buf_puts(out, "\":");
	return rc;
}

/* A text field; "-" (the format's "none") is left out. */
static int put_text(vg_buf *out, const char *key, vg_str v)
{
	int rc;

	if (!v.ptr || (v.len == 1 && v.ptr[0] == '-'))
		return VG_OK;
	rc = put_key(out, key);
	return rc ? rc : vg_json_append_string(out, v.ptr, v.len);
}

/* Digits as a JSON number (without the leading zeros JSON forbids). */
static int put_number(vg_buf *out, const char *key, vg_str v)
{
	int rc;

	if (!v.ptr || (v.len == 1 && v.ptr[0] == '-'))
		return VG_OK;
	while (v.len > 1 && v.ptr[0] == '0') {
		v.ptr++;
		v.len--;
	}
	rc = put_key(out, key);
	return rc ? rc : vg_buf_append(out, v.ptr, v.len);
}

/* A quoted field's text into tmp, with \" and \\ unescaped. */
static int unescape(vg_buf *tmp, vg_str v, vg_str *out)
{
	const char *p = v.ptr, *end = v.ptr + v.len, *run = p;
	int rc = VG_OK;

	vg_buf_reset(tmp);
	for (; p < end && rc == VG_OK; p++) {
		if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\')) {
			rc = vg_buf_append(tmp, run, (size_t)(p - run));
			run = ++p;
		}
	}
	if (rc == VG_OK)
		rc = vg_buf_append(tmp, run, (size_t)(end - run));
	*out = (vg_str){ vg_buf_cstr(tmp), tmp->len };
	return rc;
}

static int put_quoted(vg_buf *out, vg_buf *tmp, const char *key, vg_str v)
{
	vg_str text;
	int rc = unescape(tmp, v, &text);

	return rc ? rc : put_text(out, key, text);
}

/* "GET /a?b HTTP/1.1" into method, target (stem and query) and version. */
static int put_request(vg_buf *out, vg_str req)
{
	const char *sp1 = memchr(req.ptr, ' ', req.len), *sp2, *q;
	vg_str target;
	int rc;

	sp2 = sp1 ? memrchr(sp1 + 1, ' ', (size_t)(req.ptr + req.len - sp1 - 1)) : NULL;
	if (!sp1 || !sp2 || sp2 == sp1 + 1 || req.ptr + req.len - (sp2 + 1) < 5 ||
	    memcmp(sp2 + 1, "HTTP/", 5) != 0)
		return put_text(out, "cs-uri", req);
	target = (vg_str){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
	rc = put_text(out, "cs-method", (vg_str){ req.ptr, (size_t)(sp1 - req.ptr) });
	if (rc == VG_OK)
		rc = put_text(out, "cs-uri", target);
	q = memchr(target.ptr, '?', target.len);
	if (rc == VG_OK)
		rc = put_text(out, "cs-uri-stem",
			      (vg_str){ target.ptr, q ? (size_t)(q - target.ptr) : target.len });
	if (rc == VG_OK && q)
		rc = put_text(out, "cs-uri-query",
			      (vg_str){ q + 1, (size_t)(target.ptr + target.len - q - 1) });
	if (rc == VG_OK)
		rc = put_text(out, "cs-version",
			      (vg_str){ sp2 + 1, (size_t)(req.ptr + req.len - sp2 - 1) });
	return rc;
}

int vg_access_log_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out,
			vg_reject *rej)
{
	const char *p = line, *end;
	char stamp[VG_TIME_ISO_LEN];
	vg_str ident, request;
	access a = { 0 };
	vg_buf tmp = VG_BUF_INIT(len + 1);
	size_t mark = out->len;
	int status, rc;

	(void)ctx;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	end = line + len;
	if (memchr(line, '\0', len)) {
		rej->reason = VG_REJECT_UNPARSABLE;
		snprintf(rej->msg, sizeof(rej->msg), "binary data (a NUL byte) in an access log line");
		return VG_EINVAL;
	}
	if (!vg_utf8_valid(line, len, false)) {
		rej->reason = VG_REJECT_INVALID_UTF8;
		snprintf(rej->msg, sizeof(rej->msg), "access log line is not UTF-8 text");
		return VG_EINVAL;
	}
	if (!take_token(&p, end, &a.ip) || !take_token(&p, end, &ident) ||
	    !take_token(&p, end, &a.user))
		return refuse(rej, "expected client address, identity and user");
	if (!take_time(&p, end, &a.time_ms))
		return refuse(rej, "expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time");
	if (!take_quoted(&p, end, &a.request, false))
		return refuse(rej, "expected a quoted request");
	if (!take_token(&p, end, &a.status) || a.status.len != 3 ||
	    !vg_digits_int(a.status.ptr, 3, &status))
		return refuse(rej, "expected a three-digit status");
	if (!take_token(&p, end, &a.bytes) ||
	    !(vg_digits_is_count(a.bytes.ptr, a.bytes.len) || (a.bytes.len == 1 && a.bytes.ptr[0] == '-')))
		return refuse(rej, "expected a byte count or -");
	if (p < end) {
		if (!take_quoted(&p, end, &a.referer, false) || !take_quoted(&p, end, &a.agent, true))
			return refuse(rej, "expected quoted referer and user agent");
		a.has_referer = true;
	}
	vg_time_format_iso(a.time_ms, stamp);
	rc = vg_buf_puts(out, "{\"timestamp\":\"");
	if (rc == VG_OK)
		rc = vg_buf_puts(out, stamp);
	if (rc == VG_OK)
		rc = vg_buf_puts(out, "\"");
	if (rc == VG_OK)
		rc = put_text(out, "c-ip", a.ip);
	if (rc == VG_OK)
		rc = put_text(out, "cs-username", a.user);
	if (rc == VG_OK)
		rc = unescape(&tmp, a.request, &request);
	if (rc == VG_OK)
		rc = put_request(out, request);
	if (rc == VG_OK)
		rc = put_number(out, "sc-status", a.status);
	if (rc == VG_OK)
		rc = put_number(out, "sc-bytes", a.bytes);
	if (rc == VG_OK && a.has_referer)
		rc = put_quoted(out, &tmp, "cs-referer", a.referer);
	if (rc == VG_OK && a.has_referer)
		rc = put_quoted(out, &tmp, "cs-user-agent", a.agent);
	if (rc == VG_OK)
		rc = put_key(out, "message");
	if (rc == VG_OK)
		rc = vg_json_append_string(out, line, len);
	if (rc == VG_OK)
		rc = vg_buf_append(out, "}", 1);
	vg_buf_release(&tmp);
	if (rc) {
		out->len = mark;
		if (out->ptr)
			out->ptr[mark] = '\0';
	}
	return rc;
}
