/*
 * kv_line.c - what the CEF and LEEF parsers share (see kv_line.h): the
 * marker, '|'-ended header fields, the syslog header before them, times,
 * severities and the key=value pairs written out as the event.
 */
#include "ingest/sources/kv_line.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/digits.h"
#include "core/json.h"
#include "core/time.h"
#include "core/utf8.h"

int vg__kv_refuse(vg_reject *rej, enum vg_reject_reason reason, const char *fmt, ...)
{
	va_list ap;

	rej->reason = reason;
	va_start(ap, fmt);
	vsnprintf(rej->msg, sizeof(rej->msg), fmt, ap);
	va_end(ap);
	return VG_EINVAL;
}

/* The syslog parser's event of the header starts {"timestamp":"<stamp>"
 * and goes on ,"host":"..." when the header names a host (syslog.c). */
static int read_syslog_header(vg__kv_line *kl, size_t n, const vg_line_ctx *ctx)
{
	static const char stamp[] = "{\"timestamp\":\"", host[] = ",\"host\":\"";
	vg_reject rej = { 0 };
	const char *h, *q;
	int rc;

	/* Room for the header's every byte escaped as \u00XX, and more. */
	kl->header.max = 8 * n + 1024;
	rc = vg_syslog_parse(kl->line, n, ctx, &kl->header, &rej);
	if (rc == VG_EINVAL)
		return VG_OK;
	if (rc)
		return rc;
	kl->stamp = (vg_str){ kl->header.ptr + sizeof(stamp) - 1, VG_TIME_ISO_LEN - 1 };
	h = kl->stamp.ptr + kl->stamp.len + 1;
	if (strncmp(h, host, sizeof(host) - 1) != 0)
		return VG_OK;
	h += sizeof(host) - 2;
	for (q = h + 1; *q != '"'; q++)
		if (*q == '\\')
			q++;
	kl->host = (vg_str){ h, (size_t)(q + 1 - h) };
	return VG_OK;
}

int vg__kv_open(vg__kv_line *kl, const char *what, const char *line, size_t len,
		const vg_line_ctx *ctx, vg_reject *rej)
{
	char marker[8];
	size_t n = strlen(what), bad;
	const char *m;

	*kl = (vg__kv_line){
		.what = what, .line = line, .header = VG_BUF_INIT(0), .tmp = VG_BUF_INIT(len + 1)
	};
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	bad = vg_utf8_invalid_at(line, len, false);
	if (bad < len && line[bad] == '\0')
		return vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
				     "binary data (a NUL byte at byte %zu) in a %s line", bad,
				     what);
	if (bad < len)
		return vg__kv_refuse(rej, VG_REJECT_INVALID_UTF8,
				     "%s line is not UTF-8 text (byte %zu)", what, bad);
	memcpy(marker, what, n);
	marker[n++] = ':';
	m = memmem(line, len, marker, n);
	if (!m)
		return vg__kv_refuse(rej, VG_REJECT_UNPARSABLE, "not a %s line: no \"%.*s\" in it",
				     what, (int)n, marker);
	kl->p = m + n;
	kl->end = line + len;
	return m > line ? read_syslog_header(kl, (size_t)(m - line), ctx) : VG_OK;
}

bool vg__kv_field(vg__kv_line *kl, vg_str *field)
{
	const char *p = kl->p;

	while (p < kl->end && *p != '|')
		p += *p == '\\' && p + 1 < kl->end ? 2 : 1;
	if (p >= kl->end)
		return false;
	*field = (vg_str){ kl->p, (size_t)(p - kl->p) };
	kl->p = p + 1;
	return true;
}

bool vg__kv_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '[' || c == ']';
}

int vg__kv_key(const vg__kv_line *kl, vg_str key, vg_reject *rej)
{
	char shown[41];
	size_t i, n = key.len < sizeof(shown) - 1 ? key.len : sizeof(shown) - 1;
	bool ok = key.len > 0;

	for (i = 0; i < key.len && ok; i++)
		ok = vg__kv_key_char(key.ptr[i]);
	if (ok)
		return VG_OK;
	if (!key.len)
		return vg__kv_refuse(rej, VG_REJECT_UNPARSABLE, "%s key at byte %zu is empty",
				     kl->what, (size_t)(key.ptr - kl->line));
	/* Shown as ASCII, so that cutting it cannot split a character. */
	for (i = 0; i < n; i++)
		shown[i] = key.ptr[i] >= ' ' && key.ptr[i] <= '~' ? key.ptr[i] : '?';
	shown[n] = '\0';
	return vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
			     "%s key \"%s%s\" at byte %zu is not made of A-Z a-z 0-9 _ . [ ]",
			     kl->what, shown, n < key.len ? "..." : "",
			     (size_t)(key.ptr - kl->line));
}

int vg__kv_add(vg__kv_line *kl, vg_str key, vg_str value, enum vg__kv_esc esc)
{
	if (kl->nkvs == kl->cap) {
		size_t cap = kl->cap ? 2 * kl->cap : 32;
		vg__kv *kvs = realloc(kl->kvs, cap * sizeof(*kvs));

		if (!kvs)
			return VG_ENOMEM;
		kl->kvs = kvs;
		kl->cap = cap;
	}
	kl->kvs[kl->nkvs++] = (vg__kv){ key, value, esc };
	return VG_OK;
}

const vg__kv *vg__kv_find(const vg__kv_line *kl, const char *key)
{
	size_t i;

	for (i = kl->nkvs; i > 0; i--)
		if (vg_str_eq_c(kl->kvs[i - 1].key, key))
			return &kl->kvs[i - 1];
	return NULL;
}

/* Whether \c is an escape in a value escaped so. */
bool vg__kv_is_escape(enum vg__kv_esc esc, char c)
{
	if (c == '|' || c == '\\')
		return esc != VG__KV_RAW;
	return esc == VG__KV_EXTENSION && (c == '=' || c == 'n' || c == 'r');
}

int vg__kv_text(vg__kv_line *kl, const vg__kv *kv, vg_str *out)
{
	const char *p = kv->value.ptr, *end = p + kv->value.len, *run = p;
	int rc = VG_OK;

	if (kv->esc == VG__KV_RAW || !memchr(p, '\\', kv->value.len)) {
		*out = kv->value;
		return VG_OK;
	}
	vg_buf_reset(&kl->tmp);
	for (; p + 1 < end && rc == VG_OK; p++) {
		if (*p != '\\' || !vg__kv_is_escape(kv->esc, p[1]))
			continue;
		rc = vg_buf_append(&kl->tmp, run, (size_t)(p - run));
		p++;
		if (rc == VG_OK)
			rc = vg_buf_append(&kl->tmp, *p == 'n' ? "\n" : *p == 'r' ? "\r" : p, 1);
		run = p + 1;
	}
	if (rc == VG_OK)
		rc = vg_buf_append(&kl->tmp, run, (size_t)(end - run));
	*out = (vg_str){ vg_buf_cstr(&kl->tmp), kl->tmp.len };
	return rc;
}

/* min to max digits (as many as there are) into *v. */
static bool take_num(const char **p, const char *end, size_t min, size_t max, int *v)
{
	size_t n = 0;

	while (n < max && *p + n < end && (*p)[n] >= '0' && (*p)[n] <= '9')
		n++;
	if (n < min || !vg_digits_int(*p, n, v))
		return false;
	*p += n;
	return true;
}

static bool take_month(const char **p, const char *end, int *mon)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";

	if (end - *p < 3)
		return false;
	for (*mon = 1; *mon <= 12; (*mon)++)
		if (strncasecmp(*p, names + 3 * (*mon - 1), 3) == 0) {
			*p += 3;
			return true;
		}
	return false;
}

/* Z, UTC, GMT, and +hh, +hhmm or +hh:mm after either or alone. */
static bool take_zone(const char **p, const char *end, int *minutes)
{
	const char *s = *p;
	int h, m = 0, sign;

	*minutes = 0;
	if (s < end && *s == 'Z') {
		*p = s + 1;
		return true;
	}
	if (end - s >= 3 && (memcmp(s, "UTC", 3) == 0 || memcmp(s, "GMT", 3) == 0))
		s += 3;
	if (s < end && (*s == '+' || *s == '-')) {
		sign = *s++ == '-' ? -1 : 1;
		if (!take_num(&s, end, 1, 2, &h) || h > 23)
			return false;
		if (s < end && *s == ':') {
			s++;
			if (!take_num(&s, end, 2, 2, &m))
				return false;
		} else if (s < end && *s >= '0' && *s <= '9' && !take_num(&s, end, 2, 2, &m)) {
			return false;
		}
		if (m > 59)
			return false;
		*minutes = sign * (h * 60 + m);
	} else if (s == *p) {
		return false;
	}
	*p = s;
	return true;
}

/* The first and last milliseconds ISO 8601's four-digit years reach. */
#define MIN_ISO_MS (-62167219200000LL)
#define MAX_ISO_MS 253402300799999LL

static bool time_pattern(vg_str pattern, vg_str s, int64_t *ms)
{
	const char *f = pattern.ptr, *fend = f + pattern.len, *p = s.ptr, *end = p + s.len;
	int year = -1, mon = -1, day = -1, h = 0, mi = 0, sec = 0, milli = 0, zone = 0;

	while (f < fend) {
		char c = *f;
		size_t run = 1;
		bool ok;

		if (c == '\'') {
			/* Quoted text; '' is a quote, inside quotes or out. */
			if (++f < fend && *f == '\'') {
				if (p >= end || *p++ != '\'')
					return false;
				f++;
				continue;
			}
			for (; f < fend && (*f != '\'' || (f + 1 < fend && f[1] == '\'')); f++) {
				f += *f == '\'';
				if (p >= end || *p++ != *f)
					return false;
			}
			f += f < fend;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
			/* A space stands for a run of them ("Dec  5"). */
			if (p >= end || *p != c)
				return false;
			while (c == ' ' && p + 1 < end && p[1] == ' ')
				p++;
			p++;
			f++;
			continue;
		}
		while (f + run < fend && f[run] == c)
			run++;
		f += run;
		switch (c) {
		case 'y':
			ok = run == 4 && take_num(&p, end, 4, 4, &year);
			break;
		case 'M':
			ok = run == 3 ? take_month(&p, end, &mon)
				      : run <= 2 && take_num(&p, end, 1, 2, &mon);
			break;
		case 'd':
			ok = run <= 2 && take_num(&p, end, 1, 2, &day);
			break;
		case 'H':
			ok = run <= 2 && take_num(&p, end, 1, 2, &h);
			break;
		case 'm':
			ok = run <= 2 && take_num(&p, end, 1, 2, &mi);
			break;
		case 's':
			ok = run <= 2 && take_num(&p, end, 1, 2, &sec);
			break;
		case 'S':
			/* Java reads S as a count of milliseconds, not a fraction. */
			ok = run <= 3 && take_num(&p, end, 1, 3, &milli);
			break;
		case 'z':
		case 'Z':
		case 'X':
			ok = take_zone(&p, end, &zone);
			break;
		default:
			ok = false;
		}
		if (!ok)
			return false;
	}
	if (p != end || year < 0 || mon < 0 || day < 0 ||
	    vg_time_from_civil(year, mon, day, h, mi, sec, milli, ms))
		return false;
	*ms -= (int64_t)zone * 60000;
	return *ms >= MIN_ISO_MS && *ms <= MAX_ISO_MS;
}

bool vg__kv_time(vg_str s, vg_str pattern, int64_t *ms)
{
	static const char *const forms[] = {
		"MMM dd yyyy HH:mm:ss.SSS zzz",
		"MMM dd yyyy HH:mm:ss.SSS",
		"MMM dd yyyy HH:mm:ss zzz",
		"MMM dd yyyy HH:mm:ss",
	};
	size_t i;

	if (pattern.ptr)
		return time_pattern(pattern, s, ms);
	if (vg_digits_is_count(s.ptr, s.len)) {
		for (*ms = 0, i = 0; i < s.len; i++)
			*ms = *ms * 10 + (s.ptr[i] - '0');
		return *ms <= MAX_ISO_MS;
	}
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (time_pattern(vg_str_c(forms[i]), s, ms))
			return true;
	return false;
}

int vg__kv_severity_id(int level)
{
	return level <= 3 ? 2 : level <= 6 ? 3 : level <= 8 ? 4 : 5;
}

/* A pair's key as written: "ext_" before it when it is renamed. */
typedef struct slot {
	vg_str key;
	bool ext;
	size_t i;
} slot;

static unsigned char slot_char(const slot *s, size_t i)
{
	if (!s->ext)
		return (unsigned char)s->key.ptr[i];
	return (unsigned char)(i < 4 ? "ext_"[i] : s->key.ptr[i - 4]);
}

static int slot_name_cmp(const slot *a, const slot *b)
{
	size_t na = a->key.len + 4 * a->ext, nb = b->key.len + 4 * b->ext, i;

	for (i = 0; i < na && i < nb; i++)
		if (slot_char(a, i) != slot_char(b, i))
			return slot_char(a, i) - slot_char(b, i);
	return (na > nb) - (na < nb);
}

static int slot_cmp(const void *x, const void *y)
{
	const slot *a = x, *b = y;
	int c = slot_name_cmp(a, b);

	return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* The members the parser writes itself, which pairs must not repeat. */
static bool reserved(vg_str key, const vg__kv *head, size_t nhead)
{
	size_t i;

	if (vg_str_eq_c(key, "timestamp") || vg_str_eq_c(key, "severity_id") ||
	    vg_str_eq_c(key, "host"))
		return true;
	for (i = 0; i < nhead; i++)
		if (vg_str_eq(key, head[i].key))
			return true;
	return false;
}

static int put_member(vg__kv_line *kl, vg_buf *out, const vg__kv *kv, bool ext)
{
	vg_str v;
	int rc = vg_buf_puts(out, ext ? ",\"ext_" : ",\"");

	/* Keys are [A-Za-z0-9_.[]] (vg__kv_key): nothing to escape. */
	if (rc == VG_OK)
		rc = vg_buf_append(out, kv->key.ptr, kv->key.len);
	if (rc == VG_OK)
		rc = vg_buf_puts(out, "\":");
	if (rc == VG_OK)
		rc = vg__kv_text(kl, kv, &v);
	if (rc == VG_OK)
		rc = vg_json_append_string(out, v.ptr, v.len);
	return rc;
}

/* The pairs, the last of each key, in line order. Sorting by key (then
 * position) finds the repeats in n log n, for a line of many pairs. */
static int put_pairs(vg__kv_line *kl, vg_buf *out, const vg__kv *head, size_t nhead)
{
	size_t n = kl->nkvs, i;
	slot *s;
	bool *keep;
	int rc = VG_OK;

	if (!n)
		return VG_OK;
	s = malloc(n * (sizeof(*s) + sizeof(*keep)));
	if (!s)
		return VG_ENOMEM;
	keep = (bool *)(s + n);
	for (i = 0; i < n; i++)
		s[i] = (slot){ kl->kvs[i].key, reserved(kl->kvs[i].key, head, nhead), i };
	qsort(s, n, sizeof(*s), slot_cmp);
	for (i = 0; i < n; i++)
		keep[s[i].i] = i + 1 == n || slot_name_cmp(&s[i], &s[i + 1]) != 0;
	for (i = 0; i < n && rc == VG_OK; i++)
		if (keep[i])
			rc =
			    put_member(kl, out, &kl->kvs[i], reserved(kl->kvs[i].key, head, nhead));
	free(s);
	return rc;
}

int vg__kv_write(vg__kv_line *kl, const vg__kv *head, size_t nhead, int64_t time_ms,
		 int severity_id, const vg_line_ctx *ctx, vg_buf *out)
{
	char stamp[VG_TIME_ISO_LEN];
	vg_str ts = kl->stamp;
	size_t mark = out->len, i;
	int rc;

	if (time_ms != VG__KV_NO_TIME || !ts.ptr) {
		vg_time_format_iso(time_ms != VG__KV_NO_TIME ? time_ms : ctx->now_ms, stamp);
		ts = (vg_str){ stamp, VG_TIME_ISO_LEN - 1 };
	}
	rc = vg_buf_puts(out, "{\"timestamp\":\"");
	if (rc == VG_OK)
		rc = vg_buf_append(out, ts.ptr, ts.len);
	if (rc == VG_OK)
		rc = vg_buf_puts(out, "\"");
	for (i = 0; i < nhead && rc == VG_OK; i++)
		rc = put_member(kl, out, &head[i], false);
	if (rc == VG_OK && severity_id >= 0)
		rc = vg_buf_printf(out, ",\"severity_id\":%d", severity_id);
	if (rc == VG_OK && kl->host.ptr) {
		rc = vg_buf_puts(out, ",\"host\":");
		if (rc == VG_OK)
			rc = vg_buf_append(out, kl->host.ptr, kl->host.len);
	}
	if (rc == VG_OK)
		rc = put_pairs(kl, out, head, nhead);
	if (rc == VG_OK)
		rc = vg_buf_puts(out, "}");
	if (rc) {
		out->len = mark;
		if (out->ptr)
			out->ptr[mark] = '\0';
	}
	return rc;
}

void vg__kv_release(vg__kv_line *kl)
{
	free(kl->kvs);
	kl->kvs = NULL;
	kl->nkvs = kl->cap = 0;
	vg_buf_release(&kl->header);
	vg_buf_release(&kl->tmp);
}
