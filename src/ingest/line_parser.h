/*
 * line_parser.h - turning one line of text (a syslog message, an access
 * log line, a CEF or LEEF event) into a JSON event.
 *
 * The parsers of the source types whose input is text (content/sources.yaml
 * "parser: syslog", "combined", "cef" and "leef") share one signature, so a
 * reader frames lines and calls the type's parser without knowing which it
 * is. A parser appends exactly one JSON object to out, or nothing when it
 * refuses the line (rej then says why).
 */
#ifndef VG_INGEST_LINE_PARSER_H
#define VG_INGEST_LINE_PARSER_H

#include <stdint.h>

#include "core/buf.h"
#include "detect/source.h"
#include "ingest/record.h"

/* What a parser knows besides the line. */
typedef struct vg_line_ctx {
	const vg_source_type *type; /* its extractors (syslog) */
	int64_t now_ms;             /* when the line was received */
	int year;                   /* for RFC 3164 stamps, which carry none; 0: guess */
} vg_line_ctx;

/* Returns VG_OK with the event appended, VG_EINVAL with rej filled (line
 * and offset left to the caller), or VG_ETOOBIG when out is full. */
typedef int (*vg_line_parse_fn)(const char *line, size_t len, const vg_line_ctx *ctx,
				vg_buf *out, vg_reject *rej);

/* RFC 5424 and RFC 3164 (with or without PRI, BSD or RFC 3339 stamps). */
int vg_syslog_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out,
		    vg_reject *rej);

/* NCSA common and combined access log format (Apache, nginx). */
int vg_access_log_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out,
			vg_reject *rej);

/* ArcSight CEF (sources/cef.c), alone or after a syslog header. */
int vg_cef_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out,
		 vg_reject *rej);

/* IBM QRadar LEEF 1.0 and 2.0 (sources/leef.c), alone or after a syslog
 * header. */
int vg_leef_parse(const char *line, size_t len, const vg_line_ctx *ctx, vg_buf *out,
		  vg_reject *rej);

/* The parser a source type names ("syslog", "combined", "cef", "leef");
 * NULL for "json", whose input is already events. */
vg_line_parse_fn vg_line_parser_for(const vg_source_type *type);

#endif
