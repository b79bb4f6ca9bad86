/*
 * syslog.c - one syslog message (RFC 5424 or RFC 3164) as a JSON event.
 *
 *   {"timestamp": "2026-03-27T13:06:56.000Z", "host": "web-1", "app": "sshd",
 *    "pid": 1291, "facility": "auth", "severity": "info", "msgid": "...",
 *    "sd": {"id": {"param": "value"}}, "message": "...", <extracted fields>}
 *
 * Members the message does not carry are left out. RFC 3164 stamps have
 * neither year nor zone: the zone is taken as UTC and the year from the
 * context (or the year that does not put the stamp more than a month in
 * the future). A message with a PRI but a header RFC 3164 cannot read is
 * kept whole as the message, stamped with the time it was received, as
 * that RFC asks of relays; a line with neither PRI nor stamp is not
 * syslog and is refused. The source type's message templates then add
 * the fields of the programs it knows (sshd's user, address, outcome).
 */
#include "ingest/line_parser.h"

#include <string.h>
#include <time.h>

#include "core/digits.h"
#include "core/json.h"
#include "core/time.h"
#include "core/utf8.h"

static const char *const facilities[24] = {
	"kern",	    "user",   "mail",	"daemon", "auth",   "syslog", "lpr",	"news",
	"uucp",	    "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
};
static const char *const severities[8] = { "emerg",  "alert",  "crit", "err",
					   "warning", "notice", "info", "debug" };

typedef struct message {
	int pri; /* -1 when absent */
	int64_t time_ms;
	vg_str host, app, pid, msgid, sd, text;
} message;

typedef struct cursor {
	const char *p, *end;
} cursor;

static bool at_end(const cursor *c)
{
	return c->p >= c->end;
}

/* The next space-delimited token (may be empty when spaces repeat). */
static vg_str token(cursor *c)
{
	vg_str t = { c->p, 0 };

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	t.len = (size_t)(c->p - t.ptr);
	if (c->p < c->end)
		c->p++;
	return t;
}

static int read_pri(cursor *c)
{
	const char *close;
	int pri;

	if (at_end(c) || *c->p != '<')
		return -1;
	close = memchr(c->p, '>', (size_t)(c->end - c->p) < 5 ? (size_t)(c->end - c->p) : 5);
	if (!close || !vg_digits_int(c->p + 1, (size_t)(close - c->p - 1), &pri) || pri > 191)
		return -1;
	c->p = close + 1;
	return pri;
}

/* An RFC 3339 date-time ("2026-03-27T13:06:56.123+08:00") as a token. */
static bool read_rfc3339(vg_str t, int64_t *ms)
{
	char buf[48];

	if (t.len < 20 || t.len >= sizeof(buf) || t.ptr[10] != 'T')
		return false;
	memcpy(buf, t.ptr, t.len);
	buf[t.len] = '\0';
	return vg_time_parse_iso(buf, ms) == VG_OK;
}

static int month_of(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int m;

	for (m = 0; m < 12; m++)
		if (memcmp(s, names + 3 * m, 3) == 0)
			return m + 1;
	return 0;
}

#define MONTH_MS (31LL * 86400 * 1000)

/* "Mar 27 13:06:56" or "Mar  7 13:06:56" (15 bytes and a space). The year
 * is ctx's, or else the latest that does not put the stamp more than a
 * month after now: in January, December's lines are last year's; in late
 * December, early January's are next year's; Feb 29 is a leap year's. */
static bool read_bsd_stamp(cursor *c, const vg_line_ctx *ctx, int64_t *ms)
{
	const char *s = c->p;
	int mon, day, h, mi, sec, year;
	struct tm now_tm;
	time_t now_s = (time_t)(ctx->now_ms / 1000);

	if (c->end - s < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' ||
	    s[15] != ' ')
		return false;
	mon = month_of(s);
	if (!mon || !vg_digits_int(s + 4 + (s[4] == ' '), s[4] == ' ' ? 1 : 2, &day) ||
	    !vg_digits_int(s + 7, 2, &h) || !vg_digits_int(s + 10, 2, &mi) || !vg_digits_int(s + 13, 2, &sec))
		return false;
	if (ctx->year) {
		if (vg_time_from_civil(ctx->year, mon, day, h, mi, sec, 0, ms))
			return false;
	} else {
		int now_year;

		gmtime_r(&now_s, &now_tm);
		now_year = now_tm.tm_year + 1900;
		for (year = now_year + 1; year >= now_year - 8; year--)
			if (vg_time_from_civil(year, mon, day, h, mi, sec, 0, ms) == VG_OK &&
			    *ms <= ctx->now_ms + MONTH_MS)
				break;
		if (year < now_year - 8)
			return false;
	}
	c->p = s + 16;
	return true;
}

/* The length of the SD-NAME at p (SD-ID or PARAM-NAME: 1 to 32 printable
 * US-ASCII characters other than '=', ' ', ']' and '"'), or 0. */
static size_t sd_name(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && n <= 32 && p[n] > ' ' && p[n] <= '~' && p[n] != '=' &&
	       p[n] != ']' && p[n] != '"')
		n++;
	return n <= 32 ? n : 0;
}

/* RFC 5424 STRUCTURED-DATA: "-", or one or more
 * [SD-ID *(SP PARAM-NAME="PARAM-VALUE")], in which a value escapes '"',
 * '\' and ']' with a backslash. Then a space, or the end of the line. */
static bool read_sd(cursor *c, vg_str *sd)
{
	const char *start = c->p, *p = c->p, *end = c->end;
	size_t n;

	if (p < end && *p == '-') {
		p++;
	} else {
		if (p >= end || *p != '[')
			return false;
		while (p < end && *p == '[') {
			if (!(n = sd_name(++p, end)))
				return false;
			p += n;
			while (p < end && *p == ' ') {
				n = sd_name(++p, end);
				if (!n || end - (p + n) < 2 || p[n] != '=' || p[n + 1] != '"')
					return false;
				for (p += n + 2; p < end && *p != '"'; p++)
					if (*p == '\\' && end - p >= 2)
						p++;
				if (p >= end)
					return false;
				p++;
			}
			if (p >= end || *p != ']')
				return false;
			p++;
		}
		*sd = (vg_str){ start, (size_t)(p - start) };
	}
	if (p < end) {
		if (*p != ' ')
			return false;
		p++;
	}
	c->p = p;
	return true;
}

static vg_str nil_or(vg_str t)
{
	return t.len == 1 && t.ptr[0] == '-' ? (vg_str){ NULL, 0 } : t;
}

static bool read_rfc5424(cursor *c, message *m, const vg_line_ctx *ctx)
{
	vg_str stamp;

	/* VERSION was checked by the caller. */
	token(c);
	stamp = token(c);
	if (stamp.len == 1 && stamp.ptr[0] == '-')
		m->time_ms = ctx->now_ms;
	else if (!read_rfc3339(stamp, &m->time_ms))
		return false;
	m->host = nil_or(token(c));
	m->app = nil_or(token(c));
	m->pid = nil_or(token(c));
	m->msgid = nil_or(token(c));
	if (!read_sd(c, &m->sd))
		return false;
	/* A MSG in UTF-8 may start with a byte order mark. */
	if (c->end - c->p >= 3 && memcmp(c->p, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
	m->text = (vg_str){ c->p, (size_t)(c->end - c->p) };
	return true;
}

/* "app[pid]: text" or "app: text"; false (and m untouched) when the
 * content has no tag. */
static bool read_tag(cursor *c, message *m)
{
	const char *p = c->p, *colon;
	vg_str app, pid = { NULL, 0 };
	size_t n = 0;

	while (p + n < c->end && n < 48 && p[n] != ':' && p[n] != '[' && p[n] != ' ')
		n++;
	if (n == 0 || p + n >= c->end)
		return false;
	app = (vg_str){ p, n };
	p += n;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(c->end - p));

		if (!close || close + 1 >= c->end || close[1] != ':')
			return false;
		pid = (vg_str){ p + 1, (size_t)(close - p - 1) };
		p = close + 1;
	}
	if (*p != ':')
		return false;
	colon = p + 1;
	if (colon < c->end && *colon == ' ')
		colon++;
	m->app = app;
	m->pid = pid;
	c->p = colon;
	return true;
}

static bool read_rfc3164(cursor *c, message *m, const vg_line_ctx *ctx)
{
	cursor save;
	vg_str t;

	if (read_bsd_stamp(c, ctx, &m->time_ms)) {
		/* stamp read */
	} else {
		save = *c;
		t = token(c);
		if (!read_rfc3339(t, &m->time_ms)) {
			*c = save;
			return false;
		}
	}
	/* HOSTNAME, unless what follows the stamp is already the tag. */
	save = *c;
	t = token(c);
	if (t.len && t.ptr[t.len - 1] != ':' && !memchr(t.ptr, '[', t.len))
		m->host = t;
	else
		*c = save;
	save = *c;
	if (!read_tag(c, m))
		*c = save;
	m->text = (vg_str){ c->p, (size_t)(c->end - c->p) };
	return true;
}

static int put_key(vg_buf *out, bool *first, const char *key)
{
	int rc = vg_buf_puts(out, *first ? "{" : ",");

	*first = false;
	if (rc == VG_OK)
		rc = vg_json_append_string(out, key, strlen(key));
	if (rc == VG_OK)
		rc = vg_buf_append(out, ":", 1);
	return rc;
}

static int put_str(vg_buf *out, bool *first, const char *key, vg_str v)
{
	int rc;

	if (!v.ptr)
		return VG_OK;
	rc = put_key(out, first, key);
	return rc ? rc : vg_json_append_string(out, v.ptr, v.len);
}

/* Digits as a JSON number: without leading zeros, which JSON forbids. */
static int put_int(vg_buf *out, vg_str v)
{
	while (v.len > 1 && v.ptr[0] == '0') {
		v.ptr++;
		v.len--;
	}
	return vg_buf_append(out, v.ptr, v.len);
}

/* Structured data (as read_sd checked it) as
 * {"id": {"param": "value", ...}, ...}. */
static int put_sd(vg_buf *out, bool *first, vg_str sd)
{
	/* No structured data ("-") is a NULL pointer, which takes no offset. */
	const char *p = sd.ptr, *end = sd.len ? sd.ptr + sd.len : sd.ptr;
	vg_buf val = VG_BUF_INIT(sd.len + 1);
	bool first_el = true;
	int rc;

	if (!sd.len)
		return VG_OK;
	rc = put_key(out, first, "sd");
	while (rc == VG_OK && p < end && *p == '[') {
		const char *id = ++p;
		bool first_param = true;

		while (*p != ' ' && *p != ']')
			p++;
		rc = vg_buf_puts(out, first_el ? "{" : ",");
		first_el = false;
		if (rc == VG_OK)
			rc = vg_json_append_string(out, id, (size_t)(p - id));
		if (rc == VG_OK)
			rc = vg_buf_puts(out, ":{");
		while (rc == VG_OK && *p == ' ') {
			const char *name = ++p, *eq = memchr(p, '=', (size_t)(end - p)), *run;

			vg_buf_reset(&val);
			for (p = run = eq + 2; rc == VG_OK && *p != '"'; p++) {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == ']')) {
					rc = vg_buf_append(&val, run, (size_t)(p - run));
					run = ++p;
				}
			}
			if (rc == VG_OK)
				rc = vg_buf_append(&val, run, (size_t)(p - run));
			p++;
			if (rc == VG_OK && !first_param)
				rc = vg_buf_puts(out, ",");
			first_param = false;
			if (rc == VG_OK)
				rc = vg_json_append_string(out, name, (size_t)(eq - name));
			if (rc == VG_OK)
				rc = vg_buf_append(out, ":", 1);
			if (rc == VG_OK)
				rc = vg_json_append_string(out, vg_buf_cstr(&val), val.len);
		}
		p++;
		if (rc == VG_OK)
			rc = vg_buf_puts(out, "}");
	}
	if (rc == VG_OK)
		rc = vg_buf_puts(out, "}");
	vg_buf_release(&val);
	return rc;
}

/* ---- message templates ------------------------------------------- */

#define MAX_PARTS 32

static bool part_accepts(const vg_template_part *part, const char *s, size_t n)
{
	switch (part->kind) {
	case VG_TPL_INT:
		return vg_digits_is_count(s, n);
	case VG_TPL_WORD:
		return n > 0 && !memchr(s, ' ', n);
	default:
		return true;
	}
}

static bool match_from(const vg_template_part *parts, size_t n, size_t i, const char *s,
		       size_t pos, size_t len, vg_str *caps)
{
	const vg_template_part *part = &parts[i];
	const vg_template_part *lit;
	size_t q, qmax;

	if (i == n)
		return pos == len;
	if (part->kind == VG_TPL_LITERAL) {
		if (len - pos < part->len || memcmp(s + pos, part->text, part->len) != 0)
			return false;
		return match_from(parts, n, i + 1, s, pos + part->len, len, caps);
	}
	if (i + 1 == n) {
		if (!part_accepts(part, s + pos, len - pos))
			return false;
		caps[i] = (vg_str){ s + pos, len - pos };
		return true;
	}
	lit = &parts[i + 1];
	if (lit->kind != VG_TPL_LITERAL) {
		/* An int or word field before another field: as long as it goes. */
		for (q = pos; q < len && (part->kind == VG_TPL_INT ? s[q] >= '0' && s[q] <= '9'
								  : s[q] != ' ');
		     q++)
			;
		if (!part_accepts(part, s + pos, q - pos))
			return false;
		caps[i] = (vg_str){ s + pos, q - pos };
		return match_from(parts, n, i + 1, s, q, len, caps);
	}
	/* An int or word field ends at its first non-digit or space. */
	qmax = len;
	if (part->kind == VG_TPL_INT || part->kind == VG_TPL_WORD)
		for (qmax = pos; qmax < len && (part->kind == VG_TPL_INT ? s[qmax] >= '0' && s[qmax] <= '9'
								    : s[qmax] != ' ');
		     qmax++)
			;
	for (q = pos; q <= qmax && q + lit->len <= len; q++) {
		if (memcmp(s + q, lit->text, lit->len) != 0)
			continue;
		if (!part_accepts(part, s + pos, q - pos)) {
			/* Digits and words only grow worse with more text. */
			if (part->kind != VG_TPL_TEXT && part->kind != VG_TPL_SKIP)
				return false;
			continue;
		}
		caps[i] = (vg_str){ s + pos, q - pos };
		if (match_from(parts, n, i + 1, s, q, len, caps))
			return true;
	}
	return false;
}

static int put_extracted(vg_buf *out, bool *first, const vg_extractor *x, const vg_str *caps)
{
	size_t i;
	int rc = VG_OK;

	for (i = 0; i < x->nparts && rc == VG_OK; i++) {
		const vg_template_part *part = &x->parts[i];

		if (part->kind == VG_TPL_LITERAL || part->kind == VG_TPL_SKIP)
			continue;
		rc = put_key(out, first, part->text);
		if (rc == VG_OK)
			rc = part->kind == VG_TPL_INT ? put_int(out, caps[i])
						      : vg_json_append_string(out, caps[i].ptr, caps[i].len);
	}
	for (i = 0; i < x->nset && rc == VG_OK; i++) {
		rc = put_key(out, first, x->set_keys[i]);
		if (rc == VG_OK)
			rc = vg_buf_puts(out, x->set_json[i]);
	}
	return rc;
}

/* rsyslog folds repeats into "message repeated 5 times: [ text]". */
static vg_str unfold_repeat(vg_str text, int *repeat)
{
	static const char head[] = "message repeated ";
	const char *p = text.ptr, *end = text.ptr + text.len;
	int n = 0;

	*repeat = 0;
	if (text.len < sizeof(head) + 12 || memcmp(p, head, sizeof(head) - 1) != 0)
		return text;
	for (p += sizeof(head) - 1; p < end && *p >= '0' && *p <= '9' && n < 1000000; p++)
		n = n * 10 + (*p - '0');
	if (n == 0 || end - p < 11 || memcmp(p, " times: [ ", 10) != 0 || end[-1] != ']')
		return text;
	*repeat = n;
	return (vg_str){ p + 10, (size_t)(end - 1 - (p + 10)) };
}

static int put_templates(vg_buf *out, bool *first, const message *m, const vg_line_ctx *ctx)
{
	const vg_source_type *t = ctx->type;
	vg_str caps[MAX_PARTS], text;
	int repeat, rc = VG_OK;
	size_t i;

	if (!t || !m->app.ptr)
		return VG_OK;
	text = unfold_repeat(m->text, &repeat);
	if (repeat) {
		rc = put_key(out, first, "repeat");
		if (rc == VG_OK)
			rc = vg_buf_printf(out, "%d", repeat);
	}
	for (i = 0; i < t->nextractors && rc == VG_OK; i++) {
		const vg_extractor *x = &t->extractors[i];

		if (x->nparts > MAX_PARTS || strlen(x->app) != m->app.len ||
		    memcmp(x->app, m->app.ptr, m->app.len) != 0)
			continue;
		if (match_from(x->parts, x->nparts, 0, text.ptr, 0, text.len, caps))
			return put_extracted(out, first, x, caps);
	}
	return rc;
}

static int refuse(vg_reject *rej, enum vg_reject_reason reason, const char *msg)
{
	rej->reason = reason;
	snprintf(rej->msg, sizeof(rej->msg), "%s", msg);
	return VG_EINVAL;
}

int vg_syslog_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out,
		    vg_reject *rej)
{
	cursor c = { line, line + len };
	message m = { .pri = -1 };
	char stamp[VG_TIME_ISO_LEN];
	size_t mark = out->len;
	bool first = true;
	int rc;

	if (memchr(line, '\0', len))
		return refuse(rej, VG_REJECT_UNPARSABLE, "binary data (a NUL byte) in a syslog line");
	if (!vg_utf8_valid(line, len, false))
		return refuse(rej, VG_REJECT_INVALID_UTF8, "syslog line is not UTF-8 text");
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		c.end = line + --len;
	m.pri = read_pri(&c);
	if (c.end - c.p >= 2 && c.p[0] >= '1' && c.p[0] <= '9' && c.p[1] == ' ' && m.pri >= 0) {
		if (!read_rfc5424(&c, &m, ctx))
			return refuse(rej, VG_REJECT_UNPARSABLE, "malformed RFC 5424 header");
	} else if (!read_rfc3164(&c, &m, ctx)) {
		if (m.pri < 0)
			return refuse(rej, VG_REJECT_UNPARSABLE,
				      "not a syslog message: no <PRI> and no timestamp");
		m.time_ms = ctx->now_ms;
		m.text = (vg_str){ c.p, (size_t)(c.end - c.p) };
	}
	vg_time_format_iso(m.time_ms, stamp);
	rc = put_key(out, &first, "timestamp");
	if (rc == VG_OK)
		rc = vg_json_append_string(out, stamp, strlen(stamp));
	if (rc == VG_OK)
		rc = put_str(out, &first, "host", m.host);
	if (rc == VG_OK)
		rc = put_str(out, &first, "app", m.app);
	if (rc == VG_OK && m.pid.ptr) {
		rc = put_key(out, &first, "pid");
		if (rc == VG_OK)
			rc = vg_digits_is_count(m.pid.ptr, m.pid.len) ? put_int(out, m.pid)
					       : vg_json_append_string(out, m.pid.ptr, m.pid.len);
	}
	if (rc == VG_OK && m.pri >= 0) {
		rc = put_str(out, &first, "facility", vg_str_c(facilities[m.pri >> 3]));
		if (rc == VG_OK)
			rc = put_str(out, &first, "severity", vg_str_c(severities[m.pri & 7]));
	}
	if (rc == VG_OK)
		rc = put_str(out, &first, "msgid", m.msgid);
	if (rc == VG_OK)
		rc = put_sd(out, &first, m.sd);
	if (rc == VG_OK)
		rc = put_str(out, &first, "message", m.text);
	if (rc == VG_OK)
		rc = put_templates(out, &first, &m, ctx);
	if (rc == VG_OK)
		rc = vg_buf_append(out, "}", 1);
	if (rc) {
		out->len = mark;
		if (out->ptr)
			out->ptr[mark] = '\0';
		if (rc == VG_EINVAL)
			return refuse(rej, VG_REJECT_INVALID_UTF8, "syslog line is not UTF-8 text");
	}
	return rc;
}
