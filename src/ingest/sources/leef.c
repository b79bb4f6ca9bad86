/*
 * leef.c - one IBM QRadar LEEF line (Log Event Extended Format 1.0 and
 * 2.0) as a JSON event:
 *
 *   <13>Jan 18 11:07:53 qradar LEEF:2.0|Lancope|StealthWatch|1.0|41|^|
 *       src=10.0.1.8^dst=10.0.0.5^sev=5^srcPort=81^dstPort=21
 *   {"timestamp": "2026-01-18T11:07:53.000Z", "leef_version": "2.0",
 *    "vendor": "Lancope", "product": "StealthWatch", "version": "1.0",
 *    "event_id": "41", "severity_id": 3, "host": "qradar",
 *    "src": "10.0.1.8", "dst": "10.0.0.5", "sev": "5", "srcPort": "81",
 *    "dstPort": "21"}
 *
 * LEEF 1.0 separates its attributes with tabs; LEEF 2.0 names the
 * separator in a header field after the event id, as a character or its
 * hex code ("x09", "0x09"), and a 2.0 line without that field separates
 * with tabs too. Attribute values have no escapes, so a value holds
 * anything but the separator; spaces before a key (some devices put them
 * after each tab) are not part of it. The syslog header, the header's \|
 * and \\, the keys, repeated keys and the members the parser writes
 * itself are as in CEF (cef.c, which reads them for both). The event time
 * is devTime read with devTimeFormat when the line gives one, else as
 * epoch milliseconds or "MMM dd yyyy HH:mm:ss" (LEEF's default); else the
 * syslog header's, or the time received. severity_id reads sev, LEEF's
 * 1-10 scale, as CEF's severity is read.
 */
#include "ingest/sources/kv_line.h"

#include <string.h>

#include "core/digits.h"

/* The separator a 2.0 delimiter field names, or -1 when the field is not
 * one (it is then the first attribute). */
static int delimiter_of(vg_str d)
{
	size_t i = 0;
	int v = 0;

	if (d.len == 0)
		return '\t';
	if (d.len == 1)
		return (unsigned char)d.ptr[0];
	if (d.len >= 2 && d.ptr[0] == '0' && (d.ptr[1] == 'x' || d.ptr[1] == 'X'))
		i = 2;
	else if (d.ptr[0] == 'x' || d.ptr[0] == 'X')
		i = 1;
	else
		return -1;
	if (d.len - i < 1 || d.len - i > 2)
		return -1;
	for (; i < d.len; i++) {
		char c = d.ptr[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return v;
}

static int read_attributes(vg__kv_line *kl, char delim, vg_reject *rej)
{
	const char *p = kl->p, *end = kl->end, *e, *eq;
	vg_str key;
	int rc = VG_OK;

	while (p < end && rc == VG_OK) {
		e = memchr(p, delim, (size_t)(end - p));
		if (!e)
			e = end;
		while (p < e && *p == ' ')
			p++;
		if (p < e) {
			eq = memchr(p, '=', (size_t)(e - p));
			if (!eq)
				return vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
						     "LEEF attribute at byte %zu has no '='",
						     (size_t)(p - kl->line));
			key = (vg_str){ p, (size_t)(eq - p) };
			rc = vg__kv_key(kl, key, rej);
			if (rc == VG_OK)
				rc = vg__kv_add(kl, key, (vg_str){ eq + 1, (size_t)(e - eq - 1) },
						VG__KV_RAW);
		}
		if (e == end)
			break;
		p = e + 1;
	}
	return rc;
}

int vg_leef_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out, vg_reject *rej)
{
	static const char *const names[5] = { "leef_version", "vendor", "product", "version",
					      "event_id" };
	vg__kv_line kl;
	vg__kv head[5];
	const vg__kv *dev_time, *format, *sev;
	vg_str pattern = { NULL, 0 };
	int64_t time_ms = VG__KV_NO_TIME, ms;
	int delim = '\t', named, level, severity_id = -1, rc;
	const char *bar;
	size_t i;

	rc = vg__kv_open(&kl, "LEEF", line, len, ctx, rej);
	for (i = 0; i < 5 && rc == VG_OK; i++) {
		head[i] = (vg__kv){ vg_str_c(names[i]), { NULL, 0 }, VG__KV_HEADER };
		if (!vg__kv_field(&kl, &head[i].value))
			rc = vg__kv_refuse(
			    rej, VG_REJECT_UNPARSABLE,
			    "LEEF header has %zu of its 5 fields (each ended by '|')", i);
	}
	if (rc == VG_OK && !vg_str_eq_c(head[0].value, "1.0") && !vg_str_eq_c(head[0].value, "2.0"))
		rc = vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
				   "LEEF version at byte %zu is not 1.0 or 2.0",
				   (size_t)(head[0].value.ptr - line));
	if (rc == VG_OK && head[0].value.ptr[0] == '2') {
		bar = memchr(kl.p, '|', (size_t)(kl.end - kl.p));
		named = bar ? delimiter_of((vg_str){ kl.p, (size_t)(bar - kl.p) }) : -1;
		if (named >= 0) {
			delim = named;
			kl.p = bar + 1;
		}
	}
	/* A byte of a UTF-8 sequence would cut characters in two. */
	if (rc == VG_OK && (delim == '=' || delim >= 0x80))
		rc = vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
				   "LEEF delimiter 0x%02x cannot separate key=value attributes",
				   delim);
	if (rc == VG_OK)
		rc = read_attributes(&kl, (char)delim, rej);
	if (rc == VG_OK) {
		dev_time = vg__kv_find(&kl, "devTime");
		format = vg__kv_find(&kl, "devTimeFormat");
		sev = vg__kv_find(&kl, "sev");
		if (format)
			pattern = format->value;
		/* Attribute values have no escapes to undo. */
		if (dev_time && vg__kv_time(dev_time->value, pattern, &ms))
			time_ms = ms;
		if (sev && sev->value.len <= 2 &&
		    vg_digits_int(sev->value.ptr, sev->value.len, &level) && level <= 10)
			severity_id = vg__kv_severity_id(level);
		rc = vg__kv_write(&kl, head, 5, time_ms, severity_id, ctx, out);
	}
	vg__kv_release(&kl);
	return rc;
}
