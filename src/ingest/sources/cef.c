/*
 * cef.c - one ArcSight CEF line (Micro Focus "Implementing ArcSight CEF",
 * revision 25) as a JSON event, and the reading of marker, header fields,
 * syslog header, times and key=value pairs that it shares with the LEEF
 * parser (kv_line.h):
 *
 *   Sep 19 08:26:10 fw01 CEF:0|Security|threatmanager|1.0|100|worm
 *       successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232
 *   {"timestamp": "2025-09-19T08:26:10.000Z", "cef_version": "0",
 *    "device_vendor": "Security", "device_product": "threatmanager",
 *    "device_version": "1.0", "signature_id": "100",
 *    "name": "worm successfully stopped", "severity": "10",
 *    "severity_id": 5, "host": "fw01", "src": "10.0.0.1",
 *    "dst": "2.1.2.2", "spt": "1232"}
 *
 * (read in April 2026: the header's stamp has no year, and syslog.c takes
 * the one that does not put it in the future).
 *
 * Every value is a string as the device wrote it (escapes undone);
 * severity_id is OCSF's reading of the severity, for rules that compare
 * severities across products. Devices send CEF after a syslog header
 * (RFC 3164 or 5424), which the syslog parser reads for the host and the
 * time; text before the marker that it does not take for a header is
 * ignored and the event stamped with the time it was received, as syslog
 * relays do with headers they cannot read: the CEF itself is whole. The
 * event time is the extension's rt when it is in one of the spec's
 * forms with a year (else rt stays a field only), the header's, or the
 * time received.
 *
 * In the header \| and \\ stand for | and \; other backslashes (Windows
 * paths, which devices do not escape) stand for themselves. The extension
 * is key=value pairs separated by spaces: a value runs up to the next
 * space(s), key and '=', so an unescaped '=' inside a word (a URL's query,
 * base64) stays in its value. There \=, \\, \|, \n and \r are escapes; a
 * line that ends in the middle of one was cut short and is refused. Of a
 * key given twice the last is kept; an extension key named like a member
 * the parser writes itself (name, host, ...) becomes ext_<key>.
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

/* Where a pair starts after the space at p: spaces, a key, '='; NULL when
 * what follows is more of the value. *stop is where to look on from. */
static const char *pair_at(const char *p, const char *end, const char **stop)
{
	const char *k, *q;

	for (k = p; k < end && *k == ' '; k++)
		;
	for (q = k; q < end && vg__kv_key_char(*q); q++)
		;
	*stop = q;
	return q > k && q < end && *q == '=' ? k : NULL;
}

/* key=value pairs separated by spaces (see the top of the file). */
static int read_extension(vg__kv_line *kl, vg_reject *rej)
{
	const char *p = kl->p, *end = kl->end, *key, *val, *vend = end, *next, *stop = end;
	int rc;

	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return VG_OK;
	for (key = p; p < end && *p != '=' && *p != ' '; p++)
		;
	if (p == end || *p != '=')
		return vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
				     "CEF extension at byte %zu does not start with key=value",
				     (size_t)(key - kl->line));
	for (;;) {
		rc = vg__kv_key(kl, (vg_str){ key, (size_t)(p - key) }, rej);
		if (rc)
			return rc;
		val = ++p;
		next = NULL;
		while (p < end && !next) {
			if (*p == '\\' && p + 1 == end)
				return vg__kv_refuse(
				    rej, VG_REJECT_UNPARSABLE,
				    "CEF line ends inside an escape (the \\ at byte %zu)",
				    (size_t)(p - kl->line));
			if (*p == '\\' && vg__kv_is_escape(VG__KV_EXTENSION, p[1]))
				p += 2;
			else if (*p == ' ' && (next = pair_at(p, end, &stop)))
				vend = p;
			else
				p = *p == ' ' ? stop : p + 1;
		}
		if (!next)
			for (vend = end; vend > val && vend[-1] == ' '; vend--)
				;
		rc = vg__kv_add(kl, (vg_str){ key, (size_t)(val - 1 - key) },
				(vg_str){ val, (size_t)(vend - val) }, VG__KV_EXTENSION);
		if (rc || !next)
			return rc;
		key = next;
		p = stop;
	}
}

/* Unknown (0), or 0-10 and the names, as OCSF ids; -1 when neither. */
static int severity_of(vg_str s)
{
	static const struct {
		const char *name;
		int id;
	} names[] = {
		{ "unknown", 0 }, { "low", 2 }, { "medium", 3 }, { "high", 4 }, { "very-high", 5 },
	};
	int level;
	size_t i;

	if (s.len <= 2 && vg_digits_int(s.ptr, s.len, &level))
		return level <= 10 ? vg__kv_severity_id(level) : -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s.len == strlen(names[i].name) && strncasecmp(s.ptr, names[i].name, s.len) == 0)
			return names[i].id;
	return -1;
}

int vg_cef_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out, vg_reject *rej)
{
	static const char *const names[7] = { "cef_version",	"device_vendor", "device_product",
					      "device_version", "signature_id",	 "name",
					      "severity" };
	vg__kv_line kl;
	vg__kv head[7];
	const vg__kv *rt;
	int64_t time_ms = VG__KV_NO_TIME, ms;
	vg_str text;
	int version, severity_id = -1, rc;
	size_t i;

	rc = vg__kv_open(&kl, "CEF", line, len, ctx, rej);
	for (i = 0; i < 7 && rc == VG_OK; i++) {
		head[i] = (vg__kv){ vg_str_c(names[i]), { NULL, 0 }, VG__KV_HEADER };
		if (!vg__kv_field(&kl, &head[i].value))
			rc = vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
					   "CEF header has %zu of its 7 fields (each ended by '|')",
					   i);
	}
	if (rc == VG_OK && !vg_digits_int(head[0].value.ptr, head[0].value.len, &version))
		rc = vg__kv_refuse(rej, VG_REJECT_UNPARSABLE,
				   "CEF version at byte %zu is not a number",
				   (size_t)(head[0].value.ptr - line));
	if (rc == VG_OK)
		rc = vg__kv_text(&kl, &head[6], &text);
	if (rc == VG_OK) {
		severity_id = severity_of(text);
		if (severity_id < 0)
			rc = vg__kv_refuse(
			    rej, VG_REJECT_UNPARSABLE,
			    "CEF severity at byte %zu is not 0-10, Unknown, Low, Medium, "
			    "High or Very-High",
			    (size_t)(head[6].value.ptr - line));
	}
	if (rc == VG_OK)
		rc = read_extension(&kl, rej);
	rt = rc == VG_OK ? vg__kv_find(&kl, "rt") : NULL;
	if (rt)
		rc = vg__kv_text(&kl, rt, &text);
	if (rt && rc == VG_OK && vg__kv_time(text, (vg_str){ NULL, 0 }, &ms))
		time_ms = ms;
	if (rc == VG_OK)
		rc = vg__kv_write(&kl, head, 7, time_ms, severity_id, ctx, out);
	vg__kv_release(&kl);
	return rc;
}
